//! The office's procedures of issue 15 through the API, on both backends:
//! a conference permit filed 20 days before the event is warned of and goes
//! to permitted and reported; a consular case is read by users granted
//! consular work (each read audited) and is a missing record (404) for a
//! viewer without the grant and for another province; a plan's tasks link
//! the records that carry them out.

use ngoaivu_core::{Actor, Role};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::common::*;

fn day(offset: i64) -> String {
    ngoaivu_core::values::format_date(
        (OffsetDateTime::now_utc() + Duration::hours(7)).date() + Duration::days(offset),
    )
}

async fn office(app: TestApp) {
    let db = app.db.name();
    let (_, editor) = app.user("vinh-long", "vl-ed", Role::Editor).await;
    let (_, approver) = app.user("vinh-long", "vl-ap", Role::Approver).await;

    // A conference permit filed 20 days before the opening.
    let r = app
        .post(
            "/api/v1/conference-permits",
            Some(&editor),
            &json!({"title": "Hội thảo quốc tế về chuyển đổi số", "kind": "seminar",
                    "organiser": "Sở Khoa học và Công nghệ", "start_on": day(20), "end_on": day(21),
                    "received_on": day(0), "countries": ["jp"], "highest_rank": "other",
                    "consultations": [{"body": "Công an tỉnh", "asked_on": day(0)}]}),
        )
        .await;
    r.expect(201, &format!("[{db}] create permit"));
    let id = r.id();
    assert_eq!(r.json["status"], "filed", "[{db}] {}", r.json);
    assert_eq!(r.json["authority"], "chairman", "[{db}]");
    assert_eq!(r.json["countries"], json!(["JP"]), "[{db}]");
    // The authority is the Prime Minister's once a minister takes part.
    let p = app
        .patch(
            &format!("/api/v1/conference-permits/{id}"),
            Some(&editor),
            &json!({"highest_rank": "minister"}),
        )
        .await;
    p.expect(200, &format!("[{db}] patch rank"));
    assert_eq!(p.json["authority"], "prime_minister", "[{db}]");
    let p = app
        .patch(
            &format!("/api/v1/conference-permits/{id}"),
            Some(&editor),
            &json!({"highest_rank": "other", "authority": "prime_minister"}),
        )
        .await;
    assert_eq!(p.json["authority"], "chairman", "[{db}] derived, not taken");

    let step = |to: &'static str, token: String| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/conference-permits/{id}/transitions"),
                Some(&token),
                &json!({"to": to}),
            )
            .await
        }
    };
    step("consulting", editor.clone())
        .await
        .expect(200, &format!("[{db}] consulting"));
    step("submitted", editor.clone())
        .await
        .expect(200, &format!("[{db}] submitted"));
    // An editor does not permit.
    let r = step("permitted", editor.clone()).await;
    r.expect(403, &format!("[{db}] editor permits"));
    step("permitted", approver.clone())
        .await
        .expect(200, &format!("[{db}] permitted"));
    step("held", editor.clone())
        .await
        .expect(200, &format!("[{db}] held"));
    let r = step("reported", editor.clone()).await;
    r.expect(200, &format!("[{db}] reported"));
    assert_eq!(r.json["decided_on"], day(0), "[{db}] {}", r.json);
    assert!(r.json["report_due"].is_string(), "[{db}] {}", r.json);
    assert_eq!(r.json["reported_on"], day(0), "[{db}]");
    // Bad input is named: a dossier after the opening, an unknown kind.
    let bad = app
        .post(
            "/api/v1/conference-permits",
            Some(&editor),
            &json!({"title": "X", "kind": "party", "organiser": "Y", "start_on": day(1), "received_on": day(5)}),
        )
        .await;
    bad.expect(422, &format!("[{db}] bad permit"));
    let fields: Vec<String> = bad.fields().into_iter().map(|(f, _)| f).collect();
    assert!(fields.contains(&"kind".to_owned()), "[{db}] {fields:?}");

    // Consular cases: the grant decides who reads them.
    let (_, consular) = app.user("vinh-long", "vl-lanhsu", Role::Editor).await;
    let (_, viewer) = app.user("vinh-long", "vl-view", Role::Viewer).await;
    let (_, other) = app.user("dong-thap", "dt-lanhsu", Role::Editor).await;
    let (_, ministry) = app.user("bo-ngoai-giao", "bng-lanhsu", Role::Viewer).await;
    for name in ["vl-lanhsu", "dt-lanhsu", "bng-lanhsu"] {
        app.backend
            .set_consular(&Actor::system(), name, true)
            .await
            .unwrap();
    }
    let body = json!({"kind": "arrested", "incident": "Ngư dân bị tạm giữ ở nước ngoài",
        "person": {"name": "Nguyễn Văn Biển", "consent": true, "consent_on": day(-2)},
        "nationality": "VN", "country": "MY", "mission": "Đại sứ quán Việt Nam tại Malaysia",
        "opened_on": day(-3), "actions": [{"on": day(-2), "action": "Đề nghị thăm lãnh sự"}]});
    // An editor without the grant may not file one.
    let r = app
        .post("/api/v1/consular-cases", Some(&editor), &body)
        .await;
    r.expect(403, &format!("[{db}] ungranted editor files a case"));
    let r = app
        .post("/api/v1/consular-cases", Some(&consular), &body)
        .await;
    r.expect(201, &format!("[{db}] file a case"));
    let case = r.id();
    let path = format!("/api/v1/consular-cases/{case}");
    app.get(&path, Some(&consular))
        .await
        .expect(200, &format!("[{db}] granted reads"));
    app.get(&path, Some(&ministry))
        .await
        .expect(200, &format!("[{db}] granted Ministry reads"));
    let missing = app
        .get("/api/v1/consular-cases/999999999", Some(&viewer))
        .await;
    for (who, token) in [
        ("viewer", &viewer),
        ("editor", &editor),
        ("other province", &other),
    ] {
        let r = app.get(&path, Some(token)).await;
        r.expect(404, &format!("[{db}] {who} reads the case"));
        assert_eq!(r.json, missing.json, "[{db}] {who}: as a missing record");
        let r = app.get(&format!("{path}/history"), Some(token)).await;
        r.expect(404, &format!("[{db}] {who} reads its history"));
        let l = app.get("/api/v1/consular-cases", Some(token)).await;
        l.expect(200, &format!("[{db}] {who} lists"));
        assert_eq!(l.json["total"], 0, "[{db}] {who}: {}", l.json);
        let p = app.patch(&path, Some(token), &json!({"notes": "x"})).await;
        assert!(
            matches!(p.status, 403 | 404),
            "[{db}] {who} patches: {}",
            p.status
        );
    }
    // Every read is in the case's history, with who read it.
    let h = app.get(&format!("{path}/history"), Some(&consular)).await;
    h.expect(200, &format!("[{db}] history"));
    let reads: Vec<&str> = h.json["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["action"] == "read")
        .filter_map(|e| e["username"].as_str())
        .collect();
    assert!(reads.contains(&"vl-lanhsu"), "[{db}] {reads:?}");
    assert!(reads.contains(&"bng-lanhsu"), "[{db}] {reads:?}");
    assert!(
        !reads.contains(&"vl-view"),
        "[{db}] a refused read is no read"
    );

    // A plan whose task names the permit's organiser's trip.
    let trip = app
        .post(
            "/api/v1/delegations",
            Some(&editor),
            &json!({"direction": "outbound", "purpose": "Xúc tiến đầu tư tại Nhật Bản",
                    "status": "draft", "in_plan": true, "countries": ["JP"]}),
        )
        .await;
    trip.expect(201, &format!("[{db}] trip"));
    assert_eq!(trip.json["in_plan"], true, "[{db}]");
    let plan = app
        .post(
            "/api/v1/plans",
            Some(&editor),
            &json!({"kind": "yearly_plan", "title": "Kế hoạch công tác đối ngoại năm 2026", "year": 2026,
                    "tasks": [
                        {"title": "Đoàn xúc tiến đầu tư Nhật Bản", "status": "done", "delegation_ids": [trip.id()]},
                        {"title": "Hội nghị kiều bào", "due_on": day(-1)}
                    ]}),
        )
        .await;
    plan.expect(201, &format!("[{db}] plan"));
    let links = app
        .get(&format!("/api/v1/plans/{}/links", plan.id()), Some(&editor))
        .await;
    links.expect(200, &format!("[{db}] plan links"));
    assert!(
        links
            .json
            .to_string()
            .contains("Xúc tiến đầu tư tại Nhật Bản"),
        "[{db}] {}",
        links.json
    );
    // A task naming a record of another type is refused by name.
    let bad = app
        .post(
            "/api/v1/plans",
            Some(&editor),
            &json!({"kind": "yearly_plan", "title": "Sai", "year": 2026,
                    "tasks": [{"title": "Sai", "agreement_ids": [trip.id()]}]}),
        )
        .await;
    bad.expect(
        422,
        &format!("[{db}] a task links a delegation as an agreement"),
    );
    let bad = app
        .post(
            "/api/v1/plans",
            Some(&editor),
            &json!({"kind": "yearly_plan", "title": "Năm sai", "year": 1944}),
        )
        .await;
    bad.expect(422, &format!("[{db}] a plan before 1945"));
    assert_eq!(bad.fields()[0].0, "year", "[{db}]");
}

#[tokio::test]
async fn permits_consular_cases_and_plans_through_the_api() {
    on_both_backends("office", office).await;
}
