//! Foreign NGO registrations on each backend: a registration ending within
//! 90 days is in the tasks (not one ended early, nor one further off, nor
//! another province's), and NGO aid from a registered NGO in a field its
//! registrations in force do not cover is flagged, until it is closed.

use ngoaivu_core::values::format_date;
use ngoaivu_core::{RecordType, Role};
use ngoaivu_store::Service;
use ngoaivu_store::inbox::Reason;
use ngoaivu_store_tests::{actor, both};
use serde_json::json;
use time::{Duration, OffsetDateTime};

#[tokio::test]
async fn registrations_ending_soon_and_aid_outside_their_fields_are_in_the_tasks() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let kind = b.kind();
        let editor = actor(&b, "vinh-long", Role::Editor, "vl_ngo").await;
        let other = actor(&b, "dong-thap", Role::Editor, "dt_ngo").await;
        let today = OffsetDateTime::now_utc().date();
        let day = |n: i64| format_date(today + Duration::days(n));
        let ngo = svc
            .create(
                &editor,
                RecordType::Partner,
                json!({"name": "Tổ chức Cứu trợ Trẻ em", "kind": "ngo", "country": "GB"}),
            )
            .await
            .unwrap();
        // (name, valid until, ended on, fields)
        for (name, until, ended, sectors) in [
            ("Sắp hết hạn", day(60), None, json!(["health"])),
            ("Còn lâu", day(400), None, json!(["education"])),
            ("Đã chấm dứt", day(30), Some(day(-10)), json!(["water"])),
        ] {
            let mut body = json!({"name": name, "kind": "operation", "number": format!("{name}/BNG"),
                "issued_on": day(-1700), "valid_until": until, "sectors": sectors, "partner_id": ngo.id});
            if let Some(e) = ended {
                body["ended_on"] = json!(e);
            }
            svc.create(&editor, RecordType::NgoRegistration, body)
                .await
                .unwrap_or_else(|e| panic!("{kind}: {name}: {e}"));
        }
        svc.create(
            &other,
            RecordType::NgoRegistration,
            json!({"name": "Của tỉnh khác", "kind": "operation", "number": "9/BNG",
                   "issued_on": day(-1700), "valid_until": day(20)}),
        )
        .await
        .unwrap();
        // Aid in a registered field (health), outside them (agriculture),
        // and in the field of the ended registration only (water).
        let mut aid = vec![];
        for (name, sector) in [
            ("Y tế", "health"),
            ("Nông nghiệp", "agriculture"),
            ("Nước sạch", "water"),
        ] {
            let p = svc
                .create(
                    &editor,
                    RecordType::Project,
                    json!({"kind": "ngo_aid", "name": format!("Viện trợ {name}"), "investor_id": ngo.id, "sector": sector}),
                )
                .await
                .unwrap();
            aid.push(p);
        }

        let tasks = svc.tasks(&editor, today).await.unwrap();
        let of = |reason: Reason| -> Vec<String> {
            tasks
                .iter()
                .filter(|t| t.reason == reason)
                .map(|t| t.title.clone())
                .collect()
        };
        assert_eq!(of(Reason::RegistrationExpiring), ["Sắp hết hạn"], "{kind}");
        let expiring = tasks
            .iter()
            .find(|t| t.reason == Reason::RegistrationExpiring)
            .unwrap();
        assert_eq!(expiring.date.as_deref(), Some(day(60).as_str()), "{kind}");
        assert_eq!(
            of(Reason::AidOutsideFields),
            ["Viện trợ Nông nghiệp", "Viện trợ Nước sạch"],
            "{kind}"
        );

        // Closed aid is no longer flagged.
        let approver = actor(&b, "vinh-long", Role::Approver, "vl_ngo_approver").await;
        let closed = svc
            .create(
                &approver,
                RecordType::Project,
                json!({"kind": "ngo_aid", "name": "Viện trợ đã xong", "investor_id": ngo.id, "sector": "energy",
                       "status": "cancelled"}),
            )
            .await
            .unwrap();
        let tasks = svc.tasks(&editor, today).await.unwrap();
        assert!(
            !tasks.iter().any(|t| t.id == closed.id),
            "{kind}: a cancelled aid project flagged"
        );
        // The other province's registration is its own business.
        assert!(!tasks.iter().any(|t| t.title == "Của tỉnh khác"), "{kind}");
    }
}
