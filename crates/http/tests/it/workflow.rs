//! Workflow steps through `POST /api/v1/{type}/{id}/transitions` on both
//! backends, table-driven: every machine walked along its path, each step
//! tried first by a role that may not take it (403 with the reason, in
//! Vietnamese and English, nothing written) and then by one that may; bad
//! bodies (422); the Ministry refused (403, not the owner); another
//! province answered as for a missing record (404).

use ngoaivu_core::Role;
use serde_json::{Value, json};

use crate::common::*;

/// (who, to, expected status, a word of the 403 message).
type Step = (&'static str, &'static str, u16, &'static str);

async fn walk(app: &TestApp, tokens: &[(&str, String)], path: &str, steps: &[Step]) -> Value {
    let db = app.db.name();
    let mut last = Value::Null;
    for (who, to, want, why) in steps {
        let token = &tokens.iter().find(|(n, _)| n == who).unwrap().1;
        let before = app
            .get(path.trim_end_matches("/transitions"), Some(token))
            .await;
        let r = app
            .post(
                path,
                Some(token),
                &json!({"to": to, "note": "theo quy trình"}),
            )
            .await;
        r.expect(*want, &format!("[{db}] {who} → {to}"));
        if *want == 200 {
            assert_eq!(r.json["status"], *to, "[{db}] {}", r.json);
            last = r.json.clone();
        } else {
            assert_eq!(r.error(), "forbidden", "[{db}] {}", r.json);
            assert!(
                r.message().contains(why),
                "[{db}] {who} → {to}: {}",
                r.message()
            );
            let after = app
                .get(path.trim_end_matches("/transitions"), Some(token))
                .await;
            assert_eq!(after.json, before.json, "[{db}] refused but changed");
        }
    }
    last
}

async fn workflows(app: TestApp) {
    let db = app.db.name();
    let mut tokens = Vec::new();
    for (name, role) in [
        ("viewer", Role::Viewer),
        ("editor", Role::Editor),
        ("approver", Role::Approver),
        ("admin", Role::Admin),
    ] {
        let (_, t) = app.user("vinh-long", &format!("vl-{name}"), role).await;
        tokens.push((name, t));
    }
    let (_, bng) = app.user("bo-ngoai-giao", "bng-admin", Role::Admin).await;
    let (_, dt) = app.user("dong-thap", "dt-admin", Role::Admin).await;
    tokens.push(("ministry", bng));
    let ed = tokens[1].1.clone();
    let create = |rt: &'static str, body: Value| {
        let ed = ed.clone();
        let app = &app;
        async move {
            let r = app.post(&format!("/api/v1/{rt}"), Some(&ed), &body).await;
            r.expect(201, &format!("create {rt}"));
            format!("/api/v1/{rt}/{}/transitions", r.id())
        }
    };
    let partner = app
        .post(
            "/api/v1/partners",
            Some(&ed),
            &json!({"name": "Tỉnh Gifu", "kind": "foreign_locality", "country": "JP"}),
        )
        .await
        .id();

    // Outbound delegation: draft → submitted → approved → travelling → returned → reported.
    let p = create(
        "delegations",
        json!({"direction": "outbound", "purpose": "Xúc tiến đầu tư tại Nhật Bản", "countries": ["JP"]}),
    )
    .await;
    let d = walk(
        &app,
        &tokens,
        &p,
        &[
            ("viewer", "submitted", 403, "chỉ có quyền xem"),
            ("ministry", "submitted", 403, "cơ quan khác"),
            ("editor", "approved", 403, "từ trạng thái hiện tại"),
            ("editor", "submitted", 200, ""),
            ("editor", "approved", 403, "phê duyệt"),
            ("approver", "approved", 200, ""),
            ("editor", "returned", 403, "từ trạng thái hiện tại"),
            ("editor", "travelling", 200, ""),
            ("editor", "returned", 200, ""),
            ("editor", "reported", 200, ""),
            ("admin", "draft", 403, "từ trạng thái hiện tại"),
        ],
    )
    .await;
    for k in [
        "submitted_on",
        "decided_on",
        "returned_on",
        "report_due",
        "reported_on",
    ] {
        assert!(d[k].is_string(), "[{db}] {k} missing: {d}");
    }
    // Another province: as for a missing record. English reason on request.
    let r = app.post(&p, Some(&dt), &json!({"to": "draft"})).await;
    r.expect(404, "another province");
    let hist = app
        .get(&p.replace("/transitions", "/history"), Some(&tokens[0].1))
        .await;
    let steps: Vec<_> = hist
        .items()
        .into_iter()
        .filter(|h| h["action"] == "transition")
        .collect();
    assert_eq!(steps.len(), 5, "[{db}] {}", hist.json);
    assert_eq!(steps[1]["username"], "vl-approver");
    assert_eq!(steps[1]["after"]["transition"]["from"], "submitted");
    assert_eq!(steps[1]["after"]["transition"]["note"], "theo quy trình");

    // Rejected is final.
    let p = create(
        "delegations",
        json!({"direction": "outbound", "purpose": "Tham quan học tập", "countries": ["KR"]}),
    )
    .await;
    walk(
        &app,
        &tokens,
        &p,
        &[
            ("editor", "submitted", 200, ""),
            ("approver", "rejected", 200, ""),
            ("editor", "submitted", 403, "từ trạng thái hiện tại"),
        ],
    )
    .await;

    // Inbound: planned → confirmed → received → reported, with programme and guests.
    let p = create(
        "delegations",
        json!({"direction": "inbound", "purpose": "Đoàn tỉnh Gifu thăm Vĩnh Long", "countries": ["JP"],
               "guests": [{"name": "Ông Tanaka Hiroshi", "position": "Phó Thống đốc"}],
               "programme": [{"date": "2026-05-12", "activity": "Hội đàm với UBND tỉnh"}]}),
    )
    .await;
    walk(
        &app,
        &tokens,
        &p,
        &[
            ("editor", "confirmed", 403, "phê duyệt"),
            ("approver", "confirmed", 200, ""),
            ("editor", "received", 200, ""),
            ("editor", "reported", 200, ""),
        ],
    )
    .await;

    // Agreement: draft → consulting → approved → signed → in force → renewed.
    let p = create(
        "agreements",
        json!({"title": "Thỏa thuận hợp tác với tỉnh Gifu", "kind": "agreement", "partner_ids": [partner],
               "status": "draft", "consultations": [{"body": "Bộ Ngoại giao", "asked_on": "2026-03-02"}]}),
    )
    .await;
    let a = walk(
        &app,
        &tokens,
        &p,
        &[
            ("editor", "consulting", 200, ""),
            ("editor", "approved", 403, "phê duyệt"),
            ("approver", "approved", 200, ""),
            ("editor", "signed", 200, ""),
            ("editor", "in_force", 200, ""),
            ("editor", "renewed", 403, "phê duyệt"),
            ("admin", "renewed", 200, ""),
        ],
    )
    .await;
    assert!(
        a["report_due"].is_string() && a["signed_on"].is_string(),
        "[{db}] {a}"
    );
    // Signed on a Friday: the report is due 15 calendar days later (Law
    // 70/2020), not 15 working days.
    let p = create(
        "agreements",
        json!({"title": "Bản ghi nhớ ký thứ Sáu", "kind": "mou", "partner_ids": [partner],
               "status": "draft", "signed_on": "2026-03-06"}),
    )
    .await;
    let a = walk(
        &app,
        &tokens,
        &p,
        &[
            ("editor", "consulting", 200, ""),
            ("approver", "approved", 200, ""),
            ("editor", "signed", 200, ""),
        ],
    )
    .await;
    assert_eq!(a["signed_on"], "2026-03-06", "[{db}] {a}");
    assert_eq!(a["report_due"], "2026-03-21", "[{db}] {a}");

    // Law 70/2020: a disagreement goes to the Prime Minister; the
    // permission and the acts after signing carry their decision's number
    // in `actions`; a department's agreement owes the Prime Minister no
    // report.
    let p = create(
        "agreements",
        json!({"title": "Thỏa thuận hợp tác y tế của Sở Y tế", "kind": "agreement", "partner_ids": [partner],
               "vn_level": "department"}),
    )
    .await;
    walk(
        &app,
        &tokens,
        &p,
        &[
            ("editor", "consulting", 200, ""),
            ("editor", "referred_pm", 403, "phê duyệt"),
            ("approver", "referred_pm", 200, ""),
        ],
    )
    .await;
    let approver = tokens
        .iter()
        .find(|(n, _)| *n == "approver")
        .unwrap()
        .1
        .clone();
    let r = app
        .post(
            &p,
            Some(&approver),
            &json!({"to": "approved", "decision_number": "125/QĐ-UBND", "note": "Thủ tướng đồng ý"}),
        )
        .await;
    r.expect(200, "approved with its decision");
    assert_eq!(
        r.json["permission_decision_number"], "125/QĐ-UBND",
        "[{db}]"
    );
    let acts = r.json["actions"].as_array().unwrap();
    assert_eq!(
        (
            acts.len(),
            &acts[1]["kind"],
            &acts[1]["decision_number"],
            &acts[1]["note"]
        ),
        (
            2,
            &json!("approved"),
            &json!("125/QĐ-UBND"),
            &json!("Thủ tướng đồng ý")
        ),
        "[{db}] {}",
        r.json
    );
    let a = walk(
        &app,
        &tokens,
        &p,
        &[
            ("editor", "signed", 200, ""),
            ("editor", "in_force", 200, ""),
            ("editor", "suspended", 403, "phê duyệt"),
            ("approver", "suspended", 200, ""),
            ("approver", "in_force", 200, ""),
            ("approver", "renewed", 200, ""),
            ("approver", "amended", 200, ""),
            ("editor", "terminated", 403, "phê duyệt"),
            ("approver", "terminated", 200, ""),
        ],
    )
    .await;
    assert!(a.get("report_due").is_none(), "[{db}] {a}");
    let kinds: Vec<&str> = a["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "referred_pm",
            "approved",
            "suspended",
            "resumed",
            "renewed",
            "amended",
            "terminated"
        ],
        "[{db}]"
    );
    // A bad decision number: 422 naming it.
    for number in [json!(125), json!("x".repeat(101))] {
        let r = app
            .post(
                &p,
                Some(&approver),
                &json!({"to": "expired", "decision_number": number}),
            )
            .await;
        r.expect(422, &format!("[{db}] decision_number {number}"));
        assert!(
            r.fields().iter().any(|(f, _)| f == "decision_number"),
            "[{db}] {}",
            r.json
        );
    }

    // ABTC: the check needs 12 months each; the card is valid 5 years.
    let r = app
        .post(
            "/api/v1/abtc-approvals",
            Some(&ed),
            &json!({"person_name": "Phạm Thị Dung", "enterprise": "Công ty TNHH Mekong Fruit", "economies": ["JP", "AU"],
                    "enterprise_months": 30, "applicant_months": 8}),
        )
        .await;
    r.expect(201, "abtc");
    let id = r.id();
    let p = format!("/api/v1/abtc-approvals/{id}/transitions");
    walk(&app, &tokens, &p, &[("editor", "checked", 403, "12 tháng")]).await;
    app.patch(
        &format!("/api/v1/abtc-approvals/{id}"),
        Some(&ed),
        &json!({"applicant_months": 14, "preclearance": [{"economy": "JP", "status": "cleared", "on": "2026-04-01"}, {"economy": "AU", "status": "pending"}]}),
    )
    .await
    .expect(200, "abtc months");
    let c = walk(
        &app,
        &tokens,
        &p,
        &[
            ("editor", "checked", 200, ""),
            ("editor", "approved", 403, "phê duyệt"),
            ("approver", "approved", 200, ""),
            ("editor", "issued", 200, ""),
        ],
    )
    .await;
    let issued = c["card_issued_on"].as_str().unwrap();
    let expires = c["card_expires_on"].as_str().unwrap();
    assert_eq!(
        expires[..4].parse::<i32>().unwrap(),
        issued[..4].parse::<i32>().unwrap() + 5,
        "[{db}] {c}"
    );

    // Foreign NGO aid: proposed → appraisal → approved → active → completed, disbursements by date.
    let p = create(
        "projects",
        json!({"kind": "ngo_aid", "name": "Nước sạch cho trường học vùng ven biển", "status": "proposed",
               "capital": {"amount": "150000", "currency": "USD"},
               "disbursements": [{"on": "2026-06-01", "amount": {"amount": "50000", "currency": "USD"}}]}),
    )
    .await;
    walk(
        &app,
        &tokens,
        &p,
        &[
            ("editor", "appraisal", 200, ""),
            ("editor", "approved", 403, "phê duyệt"),
            ("approver", "approved", 200, ""),
            ("editor", "active", 200, ""),
            ("editor", "completed", 200, ""),
        ],
    )
    .await;
    // An FDI project has no workflow.
    let p = create(
        "projects",
        json!({"kind": "fdi", "name": "Nhà máy chế biến dừa", "country": "JP"}),
    )
    .await;
    walk(
        &app,
        &tokens,
        &p,
        &[("admin", "completed", 403, "không có quy trình")],
    )
    .await;

    // Bad bodies: 422 naming the field, nothing written.
    for (body, field) in [
        (json!({}), "to"),
        (json!({"to": 5}), "to"),
        (json!({"to": "approved", "why": "x"}), "why"),
        (json!({"to": "approved", "note": ["x"]}), "note"),
    ] {
        let r = app.post(&p, Some(&ed), &body).await;
        r.expect(422, &format!("[{db}] {body}"));
        assert!(
            r.fields().iter().any(|(f, _)| f == field),
            "[{db}] {}",
            r.json
        );
    }
    // The reason in English.
    let r = app
        .raw(
            "POST",
            &p,
            Some(&tokens[0].1),
            &[
                ("content-type", "application/json"),
                ("accept-language", "en"),
            ],
            Some(br#"{"to": "completed"}"#.to_vec()),
        )
        .await;
    r.expect(403, "viewer, English");
    assert!(r.message().contains("may only read"), "[{db}] {}", r.json);
}

#[tokio::test]
async fn workflows_through_the_api() {
    on_both_backends("workflow", workflows).await;
}
