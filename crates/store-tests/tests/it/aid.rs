//! Aid as regulated (NĐ 80/2020/NĐ-CP → NĐ 313/2025/NĐ-CP, ODA NĐ
//! 242/2025/NĐ-CP) on each backend: the form of aid; the appraisal with
//! its due date and the opinions asked, in the tasks; transactions
//! (commitments, disbursements, expenditures; planned or actual; foreign
//! or counterpart funds), the earlier `disbursements` read as actual
//! foreign disbursements; the next periodic report of started aid, ODA
//! included, in the tasks.

use ngoaivu_core::{RecordType, Role};
use ngoaivu_store::inbox::Reason;
use ngoaivu_store::{Service, StoreError};
use ngoaivu_store_tests::{actor, both};
use serde_json::json;
use time::macros::date;

#[tokio::test]
async fn aid_is_appraised_paid_and_reported_as_regulated() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let kind = b.kind();
        let editor = actor(&b, "vinh-long", Role::Editor, "vl_aid_ed").await;
        let approver = actor(&b, "vinh-long", Role::Approver, "vl_aid_ap").await;

        // An earlier body: disbursements become actual foreign transactions.
        let aid = svc
            .create(
                &editor,
                RecordType::Project,
                json!({"kind": "ngo_aid", "name": "Nước sạch cho trường học", "aid_form": "project",
                       "capital": {"amount": "150000", "currency": "USD"},
                       "disbursements": [{"on": "2026-01-15", "amount": {"amount": "50000", "currency": "USD"}}],
                       "transactions": [{"kind": "commitment", "on": "2025-12-01",
                                         "amount": {"amount": "150000", "currency": "USD"}},
                                        {"stage": "planned", "source": "counterpart", "on": "2026-06-30",
                                         "amount": {"amount": "200000000", "currency": "VND"}}],
                       "appraisal_opinions": [
                           {"body": "Sở Tài chính", "asked_on": "2026-02-13", "due_on": "2026-02-20"},
                           {"body": "Công an tỉnh", "asked_on": "2026-02-13"}]}),
            )
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(aid.data["status"], "proposed", "{kind}");
        assert!(aid.data.get("disbursements").is_none(), "{kind}");
        let tx = aid.data["transactions"].as_array().unwrap();
        assert_eq!(tx.len(), 3, "{kind}: {tx:?}");
        assert_eq!(
            (
                &tx[2]["kind"],
                &tx[2]["stage"],
                &tx[2]["source"],
                &tx[2]["on"]
            ),
            (
                &json!("disbursement"),
                &json!("actual"),
                &json!("foreign"),
                &json!("2026-01-15")
            ),
            "{kind}"
        );
        assert_eq!(tx[1]["source"], "counterpart", "{kind}");

        // Bad input names the field.
        for (body, field) in [
            (
                json!({"kind": "ngo_aid", "name": "x", "aid_form": "loan"}),
                "aid_form",
            ),
            (
                json!({"kind": "ngo_aid", "name": "x", "transactions": [{"kind": "refund", "on": "2026-01-01",
                       "amount": {"amount": "1", "currency": "USD"}}]}),
                "transactions[0].kind",
            ),
            (
                json!({"kind": "ngo_aid", "name": "x", "transactions": [{"on": "2026-01-01",
                       "amount": {"amount": "-1", "currency": "USD"}}]}),
                "transactions[0].amount",
            ),
            (
                json!({"kind": "ngo_aid", "name": "x", "reporting": "weekly"}),
                "reporting",
            ),
        ] {
            match svc.create(&editor, RecordType::Project, body.clone()).await {
                Err(StoreError::Invalid(inv)) => assert!(
                    inv.0.iter().any(|e| e.field.starts_with(field)),
                    "{kind}: {body}: {inv:?}"
                ),
                other => panic!("{kind}: {body}: {other:?}"),
            }
        }

        // To appraisal: due 20 calendar days later; the opinions with it.
        let r = svc
            .transition_on(
                &editor,
                RecordType::Project,
                aid.id,
                "appraisal",
                None,
                date!(2026 - 02 - 13),
            )
            .await
            .unwrap();
        assert_eq!(r.data["appraisal_due"], "2026-03-05", "{kind}");
        let tasks = svc.tasks(&approver, date!(2026 - 02 - 25)).await.unwrap();
        let mine: Vec<_> = tasks
            .iter()
            .filter(|t| t.id == aid.id)
            .map(|t| (t.reason, t.date.clone().unwrap_or_default()))
            .collect();
        assert!(
            mine.contains(&(Reason::AppraisalDue, "2026-03-05".into())),
            "{kind}: {mine:?}"
        );
        assert!(
            mine.contains(&(Reason::AnswerOverdue, "2026-02-20".into())),
            "{kind}: {mine:?}"
        );
        assert!(
            mine.contains(&(Reason::AnswerDue, "2026-03-05".into())),
            "{kind}: {mine:?}"
        );

        // Approved, started with a six-monthly report: the first is due
        // 15 days after 30 June; once reported, the next one.
        svc.transition_on(
            &approver,
            RecordType::Project,
            aid.id,
            "approved",
            None,
            date!(2026 - 03 - 02),
        )
        .await
        .unwrap();
        svc.update(
            &editor,
            RecordType::Project,
            aid.id,
            &json!({"reporting": "six_monthly"}),
        )
        .await
        .unwrap();
        let r = svc
            .transition_on(
                &editor,
                RecordType::Project,
                aid.id,
                "active",
                None,
                date!(2026 - 03 - 10),
            )
            .await
            .unwrap();
        assert_eq!(r.data["period_from"], "2026-03-10", "{kind}");
        let report_of = |tasks: &[ngoaivu_store::inbox::Item], id: i64| {
            tasks
                .iter()
                .filter(|t| {
                    t.id == id && matches!(t.reason, Reason::ReportDue | Reason::ReportOverdue)
                })
                .map(|t| (t.reason, t.date.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        let tasks = svc.tasks(&editor, date!(2026 - 07 - 20)).await.unwrap();
        assert_eq!(
            report_of(&tasks, aid.id),
            [(Reason::ReportOverdue, "2026-07-15".into())],
            "{kind}"
        );
        svc.update(
            &editor,
            RecordType::Project,
            aid.id,
            &json!({"reported_through": "2026-06-30"}),
        )
        .await
        .unwrap();
        let tasks = svc.tasks(&editor, date!(2026 - 07 - 20)).await.unwrap();
        assert_eq!(
            report_of(&tasks, aid.id),
            [(Reason::ReportDue, "2027-01-15".into())],
            "{kind}"
        );

        // ODA goes through the same stages, and its yearly report is due
        // as well. An editor may not enter it already started.
        let body = json!({"kind": "oda", "name": "Dự án cấp nước sạch vốn ODA",
                   "aid_form": "programme", "reporting": "yearly", "period_from": "2025-03-01",
                   "transactions": [{"kind": "disbursement", "source": "counterpart", "on": "2025-09-01",
                                     "amount": {"amount": "1500000000", "currency": "VND"}}]});
        let mut started = body.clone();
        started["status"] = json!("active");
        let e = svc
            .create(&editor, RecordType::Project, started)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{kind}: {e}");
        let oda = svc
            .create(&editor, RecordType::Project, body)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(oda.data["status"], "proposed", "{kind}");
        let e = svc
            .transition(&editor, RecordType::Project, oda.id, "appraisal", None)
            .await
            .unwrap();
        assert!(e.data["appraisal_due"].is_string(), "{kind}: {}", e.data);
        let refused = svc
            .transition(&editor, RecordType::Project, oda.id, "approved", None)
            .await;
        assert!(refused.is_err(), "{kind}: an editor approves ODA");
        svc.transition(&approver, RecordType::Project, oda.id, "approved", None)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        let oda = svc
            .transition(&editor, RecordType::Project, oda.id, "active", None)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(oda.data["period_from"], "2025-03-01", "{kind}");
        let tasks = svc.tasks(&editor, date!(2026 - 02 - 01)).await.unwrap();
        assert_eq!(
            report_of(&tasks, oda.id),
            [(Reason::ReportOverdue, "2026-01-15".into())],
            "{kind}"
        );
    }
}
