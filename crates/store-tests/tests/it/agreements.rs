//! Agreements as Law 70/2020/QH14 and NĐ 64/2021/NĐ-CP set them, on each
//! backend: a disagreement referred to the Prime Minister waits for his
//! answer (a deadline in the tasks); each act (permission, amendment,
//! suspension and back in force, termination) is a step that appends a
//! dated action with its decision number, written with its audit row; only
//! the levels that report to the Prime Minister owe the report after
//! signing; older bodies (without level or actions) still read and move on.

use ngoaivu_core::workflow::StepInput;
use ngoaivu_core::{RecordType, Role};
use ngoaivu_store::inbox::Reason;
use ngoaivu_store::{Service, StoreError};
use ngoaivu_store_tests::{actor, both};
use serde_json::{Value, json};
use time::macros::date;

#[tokio::test]
async fn acts_on_an_agreement_are_dated_steps_and_the_report_follows_the_level() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let kind = b.kind();
        let editor = actor(&b, "vinh-long", Role::Editor, "vl_law_ed").await;
        let approver = actor(&b, "vinh-long", Role::Approver, "vl_law_ap").await;
        let partner = svc
            .create(
                &editor,
                RecordType::Partner,
                json!({"name": "Tỉnh Champasak", "kind": "foreign_locality", "country": "LA"}),
            )
            .await
            .unwrap();
        let agreement = |title: &str, level: Option<&str>| {
            let mut body = json!({"title": title, "kind": "agreement", "partner_ids": [partner.id],
            "consultations": [
                {"body": "Bộ Ngoại giao", "ministry": true, "asked_on": "2026-02-12"},
                {"body": "Công an tỉnh", "asked_on": "2026-02-12"}
            ]});
            if let Some(l) = level {
                body["vn_level"] = json!(l);
            }
            body
        };
        let step = |id: i64, to: &'static str, number: Option<&'static str>, on| {
            let svc = &svc;
            let approver = &approver;
            let editor = &editor;
            async move {
                let who = if matches!(to, "consulting" | "signed") {
                    editor
                } else {
                    approver
                };
                svc.transition_with(
                    who,
                    RecordType::Agreement,
                    id,
                    to,
                    StepInput {
                        note: Some("theo đề nghị của Sở"),
                        decision_number: number,
                    },
                    on,
                    None,
                )
                .await
                .unwrap_or_else(|e| panic!("{kind}: {to}: {e}"))
            }
        };

        let a = svc
            .create(
                &editor,
                RecordType::Agreement,
                agreement("Thỏa thuận hợp tác với tỉnh Champasak", Some("province")),
            )
            .await
            .unwrap();
        step(a.id, "consulting", None, date!(2026 - 02 - 12)).await;
        // Every body consulted has its answer due after 7 working days
        // (Tết 16–20/02/2026 skipped): the Ministry's and the police's.
        let tasks = svc.tasks(&editor, date!(2026 - 03 - 03)).await.unwrap();
        let answers: Vec<_> = tasks
            .iter()
            .filter(|t| t.id == a.id && t.reason == Reason::AnswerOverdue)
            .map(|t| t.date.clone().unwrap_or_default())
            .collect();
        assert_eq!(answers, ["2026-03-02", "2026-03-02"], "{kind}: {tasks:?}");

        // The police disagree: referred to the Prime Minister.
        let r = step(a.id, "referred_pm", None, date!(2026 - 03 - 05)).await;
        assert_eq!(r.data["status"], "referred_pm", "{kind}");
        assert_eq!(r.data["referred_pm_on"], "2026-03-05", "{kind}");
        let tasks = svc.tasks(&approver, date!(2026 - 03 - 17)).await.unwrap();
        let pm: Vec<_> = tasks
            .iter()
            .filter(|t| t.id == a.id && t.reason == Reason::AnswerOverdue)
            .map(|t| t.date.clone().unwrap_or_default())
            .collect();
        // Thursday 05/03 + 7 working days: Monday 16/03.
        assert_eq!(pm, ["2026-03-16"], "{kind}: {tasks:?}");
        assert!(
            tasks
                .iter()
                .any(|t| t.id == a.id && t.reason == Reason::Waiting),
            "{kind}: the approver records the answer"
        );

        let r = step(a.id, "approved", Some("125/QĐ-UBND"), date!(2026 - 03 - 20)).await;
        assert_eq!(r.data["permission_decision_number"], "125/QĐ-UBND");
        assert_eq!(r.data["permission_decision_on"], "2026-03-20");
        let r = step(a.id, "signed", None, date!(2026 - 03 - 27)).await;
        // A province's agreement is reported to the Prime Minister 15
        // calendar days after signing.
        assert_eq!(r.data["report_due"], "2026-04-11", "{kind}");
        step(a.id, "in_force", None, date!(2026 - 03 - 27)).await;
        step(a.id, "amended", Some("20/QĐ-UBND"), date!(2026 - 06 - 01)).await;
        step(a.id, "suspended", Some("31/QĐ-UBND"), date!(2026 - 07 - 01)).await;
        step(a.id, "in_force", Some("40/QĐ-UBND"), date!(2026 - 08 - 01)).await;
        let r = step(
            a.id,
            "terminated",
            Some("52/QĐ-UBND"),
            date!(2026 - 09 - 01),
        )
        .await;
        let acts: Vec<(String, String, String)> = r.data["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let s = |k: &str| x.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                (s("kind"), s("on"), s("decision_number"))
            })
            .collect();
        let want = [
            ("referred_pm", "2026-03-05", ""),
            ("approved", "2026-03-20", "125/QĐ-UBND"),
            ("amended", "2026-06-01", "20/QĐ-UBND"),
            ("suspended", "2026-07-01", "31/QĐ-UBND"),
            ("resumed", "2026-08-01", "40/QĐ-UBND"),
            ("terminated", "2026-09-01", "52/QĐ-UBND"),
        ]
        .map(|(k, d, n)| (k.to_owned(), d.to_owned(), n.to_owned()));
        assert_eq!(acts, want, "{kind}");
        assert_eq!(r.data["actions"][0]["note"], "theo đề nghị của Sở");
        // Each step has its audit row, with the decision's number.
        let history = svc
            .history(&approver, RecordType::Agreement, a.id)
            .await
            .unwrap();
        let text = serde_json::to_string(&history).unwrap();
        assert!(text.contains("52/QĐ-UBND"), "{kind}");
        assert_eq!(
            history.iter().filter(|h| h.action == "transition").count(),
            9,
            "{kind}"
        );
        // A decision number too long is refused by name, nothing written.
        let b2 = svc
            .create(
                &editor,
                RecordType::Agreement,
                agreement("Bản ghi nhớ", None),
            )
            .await
            .unwrap();
        step(b2.id, "consulting", None, date!(2026 - 03 - 02)).await;
        let long = "x".repeat(101);
        let e = svc
            .transition_with(
                &approver,
                RecordType::Agreement,
                b2.id,
                "approved",
                StepInput {
                    note: None,
                    decision_number: Some(&long),
                },
                date!(2026 - 03 - 03),
                None,
            )
            .await
            .unwrap_err();
        match e {
            StoreError::Invalid(inv) => assert_eq!(inv.0[0].field, "decision_number", "{kind}"),
            e => panic!("{kind}: {e}"),
        }
        let still = svc
            .get(&approver, RecordType::Agreement, b2.id)
            .await
            .unwrap();
        assert_eq!(still.data["status"], "consulting", "{kind}");

        // A department's agreement reports to the chairman: no deadline to
        // the Prime Minister; one without a level still owes it.
        let dept = svc
            .create(
                &editor,
                RecordType::Agreement,
                agreement("Thỏa thuận của Sở Y tế", Some("department")),
            )
            .await
            .unwrap();
        for (id, owes) in [(dept.id, false), (b2.id, true)] {
            if id == dept.id {
                step(id, "consulting", None, date!(2026 - 03 - 02)).await;
            }
            step(id, "approved", None, date!(2026 - 03 - 10)).await;
            let r = step(id, "signed", None, date!(2026 - 03 - 12)).await;
            assert_eq!(r.data.get("report_due").is_some(), owes, "{kind}: {r:?}");
            let tasks = svc.tasks(&editor, date!(2026 - 04 - 30)).await.unwrap();
            assert_eq!(
                tasks
                    .iter()
                    .any(|t| t.id == id && t.reason == Reason::ReportOverdue),
                owes,
                "{kind}: {tasks:?}"
            );
        }

        // An agreement in force is no approver's waiting task.
        let tasks = svc.tasks(&approver, date!(2026 - 04 - 30)).await.unwrap();
        assert!(
            !tasks
                .iter()
                .any(|t| t.id == dept.id && t.reason == Reason::Waiting),
            "{kind}"
        );
    }
}
