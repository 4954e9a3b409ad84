//! Workflow steps through the Service on each backend: every step of an
//! outbound delegation's path and of an inbound one, taken by the role the
//! machine names and refused to the others (with the reason), each written
//! with its audit row `transition` (from, to, note) and nothing written
//! when refused; the report due 15 working days after return, across Tết;
//! an edit cannot change the status; admins extend the holiday calendar.

use ngoaivu_core::values::parse_date;
use ngoaivu_core::workdays::{DayKind, Holiday};
use ngoaivu_core::workflow::{Refusal, deadline};
use ngoaivu_core::{Actor, Denied, RecordType, Role};
use ngoaivu_store::{Service, StoreError};
use ngoaivu_store_tests::{actor, both};
use serde_json::json;

fn refused(r: Result<ngoaivu_store::Record, StoreError>) -> Denied {
    match r {
        Err(StoreError::Forbidden(why)) => why,
        other => panic!("expected a refused step, got {other:?}"),
    }
}

/// A step refused by the machine or the role it names.
fn no(why: Refusal) -> Option<Denied> {
    Some(Denied::Transition(why))
}

#[tokio::test]
async fn delegations_move_step_by_step_by_the_right_roles() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let editor = actor(&b, "vinh-long", Role::Editor, "vl_editor").await;
        let approver = actor(&b, "vinh-long", Role::Approver, "vl_approver").await;
        let viewer = actor(&b, "vinh-long", Role::Viewer, "vl_viewer").await;
        let other = actor(&b, "dong-thap", Role::Admin, "dt_admin").await;
        let ministry = actor(&b, "bo-ngoai-giao", Role::Admin, "bng_admin").await;
        let d = svc
            .create(
                &editor,
                RecordType::Delegation,
                json!({"direction": "outbound", "purpose": "Xúc tiến thương mại tại Lào", "countries": ["LA"], "start_on": "2026-02-02", "end_on": "2026-02-12"}),
            )
            .await
            .unwrap();
        assert_eq!(d.data["status"], "draft");
        let id = d.id;
        let day = |s: &str| parse_date(s).unwrap();
        let step = |who: &Actor, to: &str, on: &str| {
            let svc = svc.clone();
            let who = who.clone();
            let to = to.to_owned();
            let on = day(on);
            async move {
                svc.transition_on(&who, RecordType::Delegation, id, &to, Some("ghi chú"), on)
                    .await
            }
        };
        // (who, to, the reason it is refused, or None when allowed)
        // A viewer is refused by the write policy before the machine is asked.
        let read_only = Some(Denied::ReadOnlyRole);
        let table: Vec<(&Actor, &str, Option<Denied>)> = vec![
            (&viewer, "submitted", read_only),
            // The Ministry writes no province's records (the write policy).
            (&ministry, "submitted", Some(Denied::OtherOrg)),
            (&editor, "approved", no(Refusal::NotFromHere)),
            (&editor, "submitted", None),
            (&editor, "approved", no(Refusal::NeedsApprover)),
            (&editor, "travelling", no(Refusal::NotFromHere)),
            (&approver, "approved", None),
            (&editor, "travelling", None),
            (&editor, "reported", no(Refusal::NotFromHere)),
            (&editor, "returned", None),
            (&viewer, "reported", read_only),
            (&editor, "reported", None),
            (&approver, "draft", no(Refusal::NotFromHere)),
        ];
        let mut taken = 0;
        for (who, to, want) in table {
            let before = svc
                .get(&ministry, RecordType::Delegation, id)
                .await
                .unwrap();
            let r = step(who, to, "2026-02-13").await;
            match want {
                None => {
                    let rec = r.unwrap_or_else(|e| panic!("{}: {to}: {e:?}", who.username));
                    assert_eq!(rec.data["status"], to);
                    taken += 1;
                }
                Some(why) => {
                    assert_eq!(Some(refused(r)), Some(why), "{} → {to}", who.username);
                    let after = svc
                        .get(&ministry, RecordType::Delegation, id)
                        .await
                        .unwrap();
                    assert_eq!(after.data, before.data, "refused but changed");
                }
            }
        }
        // Another province does not see the record at all.
        assert!(matches!(
            step(&other, "draft", "2026-02-13").await,
            Err(StoreError::NotFound)
        ));
        let rec = svc.get(&editor, RecordType::Delegation, id).await.unwrap();
        assert_eq!(rec.data["submitted_on"], "2026-02-13");
        assert_eq!(rec.data["returned_on"], "2026-02-13");
        // 15 working days after Friday 13/02/2026, Tết (16–20/02) skipped.
        assert_eq!(rec.data["report_due"], "2026-03-13");
        assert_eq!(rec.data["reported_on"], "2026-02-13");
        let hist = svc
            .history(&editor, RecordType::Delegation, id)
            .await
            .unwrap();
        let steps: Vec<_> = hist.iter().filter(|h| h.action == "transition").collect();
        assert_eq!(steps.len(), taken);
        let last = steps.last().unwrap();
        assert_eq!(last.username, "vl_editor");
        let t = &last.after.as_ref().unwrap()["transition"];
        assert_eq!(
            (t["from"].as_str(), t["to"].as_str(), t["note"].as_str()),
            (Some("returned"), Some("reported"), Some("ghi chú"))
        );
        assert!(steps.iter().any(|h| h.username == "vl_approver"
            && h.after.as_ref().unwrap()["transition"]["to"] == "approved"));
        // An edit may not change the status.
        let e = svc
            .update(
                &editor,
                RecordType::Delegation,
                id,
                &json!({"status": "draft"}),
            )
            .await;
        assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");
        svc.update(
            &editor,
            RecordType::Delegation,
            id,
            &json!({"outcome": "Ký 2 biên bản ghi nhớ"}),
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn inbound_delegations_and_overdue_reports() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let editor = actor(&b, "dong-thap", Role::Editor, "dt_editor").await;
        let approver = actor(&b, "dong-thap", Role::Approver, "dt_approver").await;
        let d = svc
            .create(
                &editor,
                RecordType::Delegation,
                json!({"direction": "inbound", "purpose": "Đoàn tỉnh Gelderland thăm và làm việc", "countries": ["NL"],
                       "guests": [{"name": "Ông Jan de Vries", "position": "Phó Thống đốc"}],
                       "programme": [{"date": "2026-04-20", "activity": "Hội đàm với UBND tỉnh"}]}),
            )
            .await
            .unwrap();
        assert_eq!(d.data["status"], "planned");
        let on = parse_date("2026-04-21").unwrap();
        let r = svc
            .transition_on(&editor, RecordType::Delegation, d.id, "confirmed", None, on)
            .await;
        assert_eq!(refused(r), Denied::Transition(Refusal::NeedsApprover));
        for (who, to) in [(&approver, "confirmed"), (&editor, "received")] {
            svc.transition_on(who, RecordType::Delegation, d.id, to, None, on)
                .await
                .unwrap();
        }
        let rec = svc
            .get(&editor, RecordType::Delegation, d.id)
            .await
            .unwrap();
        // 21/04 + 15 working days: 26/04 (Sunday, Giỗ Tổ) gives Monday
        // 27/04 off, and 30/04, 01/05 are holidays.
        assert_eq!(rec.data["report_due"], "2026-05-15");
        let due = deadline(
            RecordType::Delegation,
            &rec.data,
            parse_date("2026-05-18").unwrap(),
        )
        .unwrap();
        assert!(due.overdue);
        assert_eq!(rec.data["guests"][0]["name"], "Ông Jan de Vries");
    }
}

#[tokio::test]
async fn admins_extend_the_holiday_calendar() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let admin = actor(&b, "vinh-long", Role::Admin, "vl_admin").await;
        let editor = actor(&b, "vinh-long", Role::Editor, "vl_editor2").await;
        let day = Holiday {
            date: parse_date("2027-09-03").unwrap(),
            name_vi: "Quốc khánh (ngày liền kề)".into(),
            name_en: "National Day (adjacent day)".into(),
            kind: DayKind::Off,
        };
        assert!(matches!(
            svc.add_holiday(&editor, &day).await,
            Err(StoreError::Forbidden(Denied::NotAdmin))
        ));
        assert!(!svc.calendar().await.unwrap().is_holiday(day.date));
        svc.add_holiday(&admin, &day).await.unwrap();
        let cal = svc.calendar().await.unwrap();
        assert!(cal.is_holiday(day.date));
        assert!(cal.is_holiday(parse_date("2027-09-02").unwrap()));
        assert_eq!(b.list_holidays().await.unwrap(), vec![day]);
    }
}

#[tokio::test]
async fn reminder_addresses_of_active_users() {
    for b in both().await {
        let a = actor(&b, "vinh-long", Role::Editor, "vl_mail").await;
        actor(&b, "vinh-long", Role::Editor, "vl_nomail").await;
        let system = Actor::system();
        b.set_user_email(&system, "vl_mail", Some("bien.tap@songoaivu.example"))
            .await
            .unwrap();
        assert_eq!(
            b.user_emails().await.unwrap(),
            vec![(a.user_id, "bien.tap@songoaivu.example".to_owned())]
        );
        assert!(matches!(
            b.set_user_email(&system, "nobody", Some("x@example.org"))
                .await,
            Err(StoreError::NotFound)
        ));
        b.set_disabled(&system, "vl_mail", true).await.unwrap();
        assert!(b.user_emails().await.unwrap().is_empty());
        b.set_disabled(&system, "vl_mail", false).await.unwrap();
        b.set_user_email(&system, "vl_mail", None).await.unwrap();
        assert!(b.user_emails().await.unwrap().is_empty());
    }
}
