//! Issue 15's figures on each backend, through `ngoaivu_stats::load` (the
//! reports' and dashboards' loader): aid money by the year each
//! transaction moved (NGO aid mobilised, ODA disbursed, counterpart funds
//! apart), conference permits by kind and outcome, consular cases by kind
//! and nationality. Counts only: a viewer without the consular grant sees
//! the counts; another province sees none of this province's. Cases read
//! to match an import's rows leave their audit rows.

use ngoaivu_core::{Actor, RecordType, Role};
use ngoaivu_stats::figures::PeriodKey;
use ngoaivu_stats::load::{Request, load};
use ngoaivu_store::Service;
use ngoaivu_store_tests::{actor, both};
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::BTreeMap;

fn money(amount: &str, currency: &str) -> serde_json::Value {
    json!({"amount": amount, "currency": currency})
}

async fn figures_of(svc: &Service, who: &Actor) -> ngoaivu_stats::Figures {
    load(
        svc,
        who,
        &Request {
            org_id: None,
            from: 2021,
            to: 2023,
            sequential: false,
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn aid_money_permits_and_consular_cases_are_counted_as_the_reports_need() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let kind = b.kind();
        let mut approver = actor(&b, "vinh-long", Role::Approver, "vl_fig_ap").await;
        approver.consular = true;
        let viewer = actor(&b, "vinh-long", Role::Viewer, "vl_fig_xem").await;
        let other = actor(&b, "dong-thap", Role::Viewer, "dt_fig_xem").await;
        let create = |rt: RecordType, body: serde_json::Value| {
            let (svc, approver) = (svc.clone(), approver.clone());
            async move {
                svc.create(&approver, rt, body.clone())
                    .await
                    .unwrap_or_else(|e| panic!("{kind}: {body}: {e}"))
            }
        };

        // ODA approved in 2019, paying out in 2021 and 2022, with
        // counterpart funds and a planned disbursement (not counted).
        create(
            RecordType::Project,
            json!({"kind": "oda", "name": "Nâng cấp đê bao", "status": "active",
                   "approved_on": "2019-06-01", "capital": money("9000000", "USD"),
                   "transactions": [
                       {"kind": "disbursement", "on": "2021-03-01", "amount": money("1000000", "USD")},
                       {"kind": "disbursement", "on": "2022-04-01", "amount": money("2500000", "USD")},
                       {"kind": "disbursement", "stage": "planned", "on": "2023-01-01", "amount": money("4000000", "USD")},
                       {"kind": "disbursement", "source": "counterpart", "on": "2022-06-01", "amount": money("12000000000", "VND")}
                   ]}),
        )
        .await;
        // NGO aid: commitments by their years; one pledge without
        // transactions counts its committed value in its record's year;
        // withdrawn aid counts nothing.
        create(
            RecordType::Project,
            json!({"kind": "ngo_aid", "name": "Nước sạch cho trường học", "status": "active",
            "approved_on": "2021-01-10", "capital": money("150000", "USD"),
            "transactions": [
                {"kind": "commitment", "on": "2020-12-01", "amount": money("120000", "USD")},
                {"kind": "commitment", "on": "2022-02-01", "amount": money("30000", "USD")}
            ]}),
        )
        .await;
        create(
            RecordType::Project,
            json!({"kind": "ngo_aid", "name": "Học bổng cho học sinh nghèo", "status": "approved",
                   "approved_on": "2022-05-05", "capital": money("40000", "USD")}),
        )
        .await;
        create(
            RecordType::Project,
            json!({"kind": "ngo_aid", "name": "Viện trợ đã rút", "status": "cancelled",
                   "capital": money("70000", "USD"),
                   "transactions": [{"kind": "commitment", "on": "2022-03-03", "amount": money("70000", "USD")}]}),
        )
        .await;

        // Permits: two seminars permitted (one held), a conference refused.
        for (title, pkind, status) in [
            ("Hội thảo nông nghiệp", "seminar", "held"),
            ("Hội thảo du lịch", "seminar", "permitted"),
            ("Hội nghị biên giới", "conference", "refused"),
        ] {
            create(
                RecordType::ConferencePermit,
                json!({"title": title, "kind": pkind, "organiser": "Sở Ngoại vụ", "status": status,
                       "start_on": "2022-09-09", "decided_on": "2022-08-01"}),
            )
            .await;
        }
        // Consular cases: two Vietnamese citizens arrested, one foreigner.
        for (ckind, nationality) in [
            ("arrested", "VN"),
            ("arrested", "VN"),
            ("foreigner_incident", "KR"),
        ] {
            create(
                RecordType::ConsularCase,
                json!({"kind": ckind, "incident": "Vụ việc", "nationality": nationality,
                       "person": {"name": "Người liên quan", "consent": true},
                       "opened_on": "2022-10-10"}),
            )
            .await;
        }

        // Reading the cases to match an import's rows is a read like any
        // other: each case's history names who read it, and how.
        let cases = svc
            .own_record_bodies(&approver, RecordType::ConsularCase)
            .await
            .unwrap();
        assert_eq!(cases.len(), 3, "{kind}");
        svc.own_records(&approver, RecordType::ConsularCase)
            .await
            .unwrap();
        let history = svc
            .history(&approver, RecordType::ConsularCase, cases[0].0)
            .await
            .unwrap();
        let reads: Vec<_> = history
            .iter()
            .filter(|e| {
                e.action == "read" && e.after.as_ref().is_some_and(|a| a["via"] == "import")
            })
            .collect();
        assert_eq!(reads.len(), 2, "{kind}: {history:?}");
        assert_eq!(reads[0].username, approver.username, "{kind}");

        let units = vec!["vinh-long".to_owned()];
        for who in [&approver, &viewer] {
            let figs = figures_of(&svc, who).await;
            let derived = |ind: &str, y: i32, unit: &str| {
                figs.value(ind, &units, PeriodKey::Year(y), unit).derived
            };
            let d = |n: i64| Some(Decimal::from(n));
            let expected = [
                ("oda.disbursed", 2021, "USD", d(1_000_000)),
                ("oda.disbursed", 2022, "USD", d(2_500_000)),
                ("oda.disbursed", 2023, "USD", None),
                ("oda.counterpart", 2022, "VND", d(12_000_000_000)),
                ("oda.counterpart", 2022, "USD", None),
                // 2020 is before the years asked (2021 is the first, with
                // 2020 only as the year before it).
                ("ngo_aid.mobilised", 2020, "USD", d(120_000)),
                ("ngo_aid.mobilised", 2022, "USD", d(70_000)),
                ("ngo_aid.mobilised", 2021, "USD", None),
            ];
            for (ind, y, unit, want) in expected {
                assert_eq!(
                    derived(ind, y, unit),
                    want,
                    "{kind} {}: {ind} {y} {unit}",
                    who.username
                );
            }
            let permits = figs.tally("conferences.by_kind", &units, 2022, 2022);
            let want: BTreeMap<(String, String), i64> = [
                (("conference", "refused"), 1),
                (("seminar", "held"), 1),
                (("seminar", "permitted"), 2),
            ]
            .into_iter()
            .map(|((r, c), n)| ((r.to_owned(), c.to_owned()), n))
            .collect();
            assert_eq!(permits, want, "{kind} {}", who.username);
            let by_kind = figs.tally("consular.by_kind", &units, 2021, 2023);
            assert_eq!(
                by_kind.values().copied().collect::<Vec<_>>(),
                [2, 1],
                "{kind}: {by_kind:?}"
            );
            let by_nationality = figs.tally("consular.by_nationality", &units, 2021, 2023);
            assert_eq!(
                by_nationality.get(&("VN".to_owned(), "count".to_owned())),
                Some(&2),
                "{kind}"
            );
            assert_eq!(
                by_nationality.get(&("KR".to_owned(), "count".to_owned())),
                Some(&1),
                "{kind}"
            );
            assert!(
                figs.tally("consular.by_kind", &units, 2023, 2023)
                    .is_empty()
            );
        }

        // Another province's figures hold none of these.
        let figs = figures_of(&svc, &other).await;
        assert!(
            figs.value("oda.disbursed", &units, PeriodKey::Year(2022), "USD")
                .derived
                .is_none(),
            "{kind}"
        );
        assert!(figs.tallies.is_empty(), "{kind}: {:?}", figs.tallies);
    }
}
