//! The province–mission channel over HTTP: every status move allowed and
//! refused (403 with its reason, in Vietnamese and in English), the thread
//! as each party sees it, the actions offered, bad input, follows → inbox,
//! and suggestions with their reasons.

use ngoaivu_core::Role;
use serde_json::{Value, json};

use crate::common::*;

fn request(missions: &[&str]) -> Value {
    json!({
        "missions": missions, "subject": "Tìm đối tác chế biến cà phê tại Nhật Bản",
        "body": "Đề nghị giới thiệu doanh nghiệp.", "sector": "agriculture", "country": "JP",
        "deadline": "2099-06-30"
    })
}

async fn say(app: &TestApp, token: &str, id: i64, action: &str) -> Resp {
    app.post(
        &format!("/api/v1/requests/{id}/messages"),
        Some(token),
        &json!({"action": action, "body": format!("Nội dung: {action}")}),
    )
    .await
}

async fn status_of(app: &TestApp, token: &str, id: i64) -> String {
    let r = app
        .get(&format!("/api/v1/requests/{id}"), Some(token))
        .await;
    r.expect(200, "GET request");
    r.json["status"].as_str().unwrap_or("").to_owned()
}

async fn run(app: TestApp) {
    let (_, dl) = app.user("dak-lak", "dl-editor", Role::Editor).await;
    let (_, dl_viewer) = app.user("dak-lak", "dl-viewer", Role::Viewer).await;
    let (_, nb) = app.user("dsq-nhat-ban", "nb-editor", Role::Editor).await;
    let (_, bng) = app.user("bo-ngoai-giao", "bng-admin", Role::Admin).await;

    // Bad input: each field named.
    let r = app
        .post(
            "/api/v1/requests",
            Some(&dl),
            &json!({"missions": "dsq-nhat-ban", "subject": 3, "extra": 1}),
        )
        .await;
    r.expect(422, "bad request body");
    let fields: Vec<String> = r.fields().into_iter().map(|(f, _)| f).collect();
    for f in ["extra", "missions", "subject", "body", "sector", "country"] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    let r = app
        .post("/api/v1/requests", Some(&dl), &json!({"missions": ["dsq-nhat-ban"], "subject": "x", "body": "y", "sector": "coffee", "country": "JP", "deadline": "2001-01-01"}))
        .await;
    r.expect(422, "unknown sector, past deadline");
    assert_eq!(
        r.fields().into_iter().map(|(f, _)| f).collect::<Vec<_>>(),
        ["sector", "deadline"]
    );
    let r = app.get("/api/v1/requests?status=lost", Some(&dl)).await;
    r.expect(422, "unknown status filter");

    // Sent: 201 with a Location, one request per mission.
    let r = app
        .post("/api/v1/requests", Some(&dl), &request(&["dsq-nhat-ban"]))
        .await;
    r.expect(201, "send");
    let id = r.items()[0]["id"].as_i64().unwrap();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/requests/{id}").as_str())
    );
    assert_eq!(r.items()[0]["status"], "open");
    assert_eq!(r.items()[0]["deadline"], "2099-06-30");

    // The actions offered follow the rule.
    let actions = |r: &Resp| -> Vec<String> {
        r.json["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect()
    };
    let seen = app.get(&format!("/api/v1/requests/{id}"), Some(&nb)).await;
    assert_eq!(actions(&seen), ["answer", "ask_back", "close"]);
    let seen = app.get(&format!("/api/v1/requests/{id}"), Some(&dl)).await;
    assert_eq!(actions(&seen), ["reply", "close"]);
    let seen = app.get(&format!("/api/v1/requests/{id}"), Some(&bng)).await;
    assert!(actions(&seen).is_empty());
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(&dl_viewer))
        .await;
    assert!(actions(&seen).is_empty());

    // Refusals: 403, a stable code, the reason in both languages; nothing written.
    let refusals: [(&str, &str, &str, &str); 5] = [
        (
            &dl,
            "answer",
            "Chỉ cơ quan đại diện nhận đề nghị",
            "Only the addressed mission",
        ),
        (
            &nb,
            "reply",
            "Chỉ địa phương gửi đề nghị",
            "Only the sending province",
        ),
        (
            &bng,
            "answer",
            "Bộ Ngoại giao theo dõi",
            "The Ministry follows",
        ),
        (&dl_viewer, "reply", "chỉ có quyền xem", "may only read"),
        (
            &dl,
            "ask_back",
            "Chỉ cơ quan đại diện nhận đề nghị",
            "Only the addressed mission",
        ),
    ];
    for (token, action, vi, en) in refusals {
        let r = say(&app, token, id, action).await;
        r.expect(403, action);
        assert_eq!(r.error(), "forbidden");
        assert!(r.message().contains(vi), "{}", r.message());
        let r = app
            .raw(
                "POST",
                &format!("/api/v1/requests/{id}/messages"),
                Some(token),
                &[
                    ("content-type", "application/json"),
                    ("accept-language", "en"),
                ],
                Some(
                    json!({"action": action, "body": "x"})
                        .to_string()
                        .into_bytes(),
                ),
            )
            .await;
        r.expect(403, action);
        assert!(r.message().contains(en), "{}", r.message());
    }
    let h = app
        .get(&format!("/api/v1/requests/{id}/history"), Some(&bng))
        .await;
    assert_eq!(h.total(), 1, "refusals write nothing: {}", h.json);
    let r = app
        .post(
            &format!("/api/v1/requests/{id}/messages"),
            Some(&nb),
            &json!({"action": "answer"}),
        )
        .await;
    r.expect(422, "an answer without text");
    let r = app
        .post(
            &format!("/api/v1/requests/{id}/messages"),
            Some(&nb),
            &json!({"action": "shout", "body": "x"}),
        )
        .await;
    r.expect(422, "an unknown action");

    // Every allowed move, and the status after it.
    for (token, action, want) in [
        (&nb, "ask_back", "asked_back"),
        (&dl, "reply", "open"),
        (&nb, "answer", "answered"),
        (&dl, "reply", "open"),
        (&nb, "answer", "answered"),
        (&nb, "close", "closed"),
    ] {
        let r = say(&app, token, id, action).await;
        r.expect(201, action);
        assert_eq!(r.json["status"], want, "{action}");
        assert_eq!(status_of(&app, &bng, id).await, want);
    }
    // Closed: every move refused with the reason, from both sides.
    for (token, action) in [
        (&nb, "answer"),
        (&nb, "close"),
        (&dl, "reply"),
        (&dl, "close"),
    ] {
        let r = say(&app, token, id, action).await;
        r.expect(403, action);
        assert!(r.message().contains("Đề nghị đã đóng"), "{}", r.message());
    }
    let thread = app.get(&format!("/api/v1/requests/{id}"), Some(&dl)).await;
    let msgs = thread.json["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 6);
    assert_eq!(msgs[2]["org"]["slug"], "dsq-nhat-ban");
    assert_eq!(msgs[2]["body"], "Nội dung: answer");
    let h = app
        .get(&format!("/api/v1/requests/{id}/history"), Some(&dl))
        .await;
    assert_eq!(h.total(), 7);

    // The sending province may close its own request (with no text).
    let r = app
        .post("/api/v1/requests", Some(&dl), &request(&["dsq-nhat-ban"]))
        .await;
    let id2 = r.items()[0]["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/requests/{id2}/messages"),
            Some(&dl),
            &json!({"action": "close"}),
        )
        .await;
    r.expect(201, "province closes");
    assert_eq!(r.json["status"], "closed");

    // Notes, follows, inbox, suggestions.
    let r = app
        .post(
            "/api/v1/market-notes",
            Some(&nb),
            &json!({"kind": "opportunity", "title": "Cà phê đặc sản", "body": "Nhu cầu tăng.", "sector": "agriculture", "country": "JP", "date": "2026-01-05"}),
        )
        .await;
    r.expect(201, "publish");
    let note = r.id();
    let r = app
        .call(
            "PUT",
            "/api/v1/follows",
            Some(&dl),
            Some(&json!({"sectors": ["agriculture"], "countries": ["jp"]})),
        )
        .await;
    r.expect(200, "follow");
    assert_eq!(
        r.json,
        json!({"sectors": ["agriculture"], "countries": ["JP"]})
    );
    let inbox = app.get("/api/v1/inbox", Some(&dl)).await;
    inbox.expect(200, "inbox");
    assert_eq!(inbox.json["notes"][0]["id"], note);
    app.get(&format!("/api/v1/market-notes/{note}"), Some(&dl))
        .await
        .expect(200, "read the note");
    let inbox = app.get("/api/v1/inbox", Some(&dl)).await;
    assert!(
        inbox.json["notes"].as_array().unwrap().is_empty(),
        "read: {}",
        inbox.json
    );
    let r = app
        .call(
            "PUT",
            "/api/v1/follows",
            Some(&dl),
            Some(&json!({"sectors": ["coffee"]})),
        )
        .await;
    r.expect(422, "unknown sector");

    let s = app
        .get(&format!("/api/v1/requests/{id}/suggestions"), Some(&dl))
        .await;
    s.expect(200, "suggestions");
    let first = &s.items()[0];
    assert_eq!(first["kind"], "note");
    assert_eq!(first["id"], note);
    assert_eq!(
        first["reasons_vi"],
        "cùng ngành: nông nghiệp; cùng quốc gia: Nhật Bản"
    );
    assert_eq!(
        first["reasons_en"],
        "same sector: agriculture; same country: Japan"
    );
    let second = &s.items()[1];
    assert_eq!(second["slug"], "tlsq-osaka", "the other mission in Japan");
    assert_eq!(second["reasons_en"], "same country: Japan");
    assert!(
        s.items().iter().all(|x| x["slug"] != "dsq-nhat-ban"),
        "the mission asked is not suggested again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_transitions_and_reasons() {
    on_both_backends("channel", run).await;
}
