//! No lost updates: two editors of one province change the same record.
//! Every record read carries its version in `ETag`; a write with `If-Match`
//! of an older version is refused with 412, the record as it is now in the
//! body; a write without `If-Match` still goes through (clients that do
//! not know versions keep working); `If-None-Match` answers 304.

use ngoaivu_core::Role;
use serde_json::json;

use crate::common::{TestApp, on_both_backends};

async fn two_editors(app: TestApp) {
    let db = app.db.name();
    let (_, a) = app.user("vinh-long", "ve-a", Role::Editor).await;
    let (_, b) = app.user("vinh-long", "ve-b", Role::Editor).await;
    let (_, approver) = app.user("vinh-long", "ve-duyet", Role::Approver).await;
    let created = app
        .post(
            "/api/v1/partners",
            Some(&a),
            &json!({"name": "Tỉnh Champasak", "kind": "foreign_locality", "country": "LA"}),
        )
        .await;
    created.expect(201, db);
    let id = created.json["id"].as_i64().unwrap();
    let path = format!("/api/v1/partners/{id}");

    // Both read the same version.
    let read_a = app.get(&path, Some(&a)).await;
    let read_b = app.get(&path, Some(&b)).await;
    let v1 = read_a.header("etag").expect("ETag on a read").to_owned();
    assert!(v1.starts_with('"') && v1.ends_with('"'), "[{db}] {v1}");
    assert_eq!(read_b.header("etag"), Some(v1.as_str()), "[{db}]");

    // A record not changed since: 304, no body.
    let same = app
        .raw("GET", &path, Some(&a), &[("if-none-match", &v1)], None)
        .await;
    assert_eq!(same.status, 304, "[{db}]");
    assert!(same.body.is_empty(), "[{db}]");
    assert_eq!(same.header("etag"), Some(v1.as_str()), "[{db}]");

    // B saves first.
    let patch = |who: &str, v: &str, body: serde_json::Value| {
        let (who, v, body) = (who.to_owned(), v.to_owned(), body);
        let path = path.clone();
        let app = &app;
        async move {
            app.raw(
                "PATCH",
                &path,
                Some(&who),
                &[("content-type", "application/json"), ("if-match", &v)],
                Some(body.to_string().into_bytes()),
            )
            .await
        }
    };
    let saved_b = patch(&b, &v1, json!({"notes": "Đối tác của huyện Mường Khương"})).await;
    saved_b.expect(200, db);
    let v2 = saved_b
        .header("etag")
        .expect("ETag after a save")
        .to_owned();
    assert_ne!(v1, v2, "[{db}] a save gives a new version");

    // A's change, made to v1, is refused; nothing of it is written.
    let refused = patch(&a, &v1, json!({"name": "Tỉnh Champasak (Lào)"})).await;
    refused.expect(412, db);
    assert_eq!(refused.error(), "changed_since_read", "[{db}]");
    assert_eq!(
        refused.json["current"]["notes"], "Đối tác của huyện Mường Khương",
        "[{db}]"
    );
    assert_eq!(refused.json["current"]["name"], "Tỉnh Champasak", "[{db}]");
    assert_eq!(refused.json["current_etag"], v2.as_str(), "[{db}]");
    assert_eq!(refused.header("etag"), Some(v2.as_str()), "[{db}]");
    assert!(
        refused.message().contains("người khác"),
        "[{db}] {}",
        refused.message()
    );
    let now = app.get(&path, Some(&a)).await;
    assert_eq!(now.json["name"], "Tỉnh Champasak", "[{db}]");
    assert_eq!(now.header("etag"), Some(v2.as_str()), "[{db}]");
    // In English when asked.
    let refused_en = app
        .raw(
            "PATCH",
            &path,
            Some(&a),
            &[
                ("content-type", "application/json"),
                ("if-match", &v1),
                ("accept-language", "en"),
            ],
            Some(json!({"name": "x"}).to_string().into_bytes()),
        )
        .await;
    refused_en.expect(412, db);
    assert!(
        refused_en.message().contains("Someone else changed"),
        "[{db}] {}",
        refused_en.message()
    );
    assert_eq!(refused_en.json["current_etag"], v2.as_str(), "[{db}]");

    // A merges onto v2 and saves.
    let merged = patch(&a, &v2, json!({"name": "Tỉnh Champasak (Lào)"})).await;
    merged.expect(200, db);
    assert_eq!(
        merged.json["notes"], "Đối tác của huyện Mường Khương",
        "[{db}]"
    );
    assert_eq!(merged.json["name"], "Tỉnh Champasak (Lào)", "[{db}]");
    let v3 = merged.header("etag").unwrap().to_owned();
    // A list of tags, one of which is current; `*`; no header at all.
    patch(&a, &format!("{v1}, {v3}"), json!({"notes": "một"}))
        .await
        .expect(200, db);
    patch(&a, "*", json!({"notes": "hai"}))
        .await
        .expect(200, db);
    app.patch(&path, Some(&b), &json!({"notes": "ba"}))
        .await
        .expect(200, db);

    // A header that is not text is refused, not ignored.
    let bad = app
        .send(
            axum::http::Request::builder()
                .method("PATCH")
                .uri(&path)
                .header("authorization", format!("Bearer {a}"))
                .header("content-type", "application/json")
                .header(
                    "if-match",
                    axum::http::HeaderValue::from_bytes(b"\"\xff\"").unwrap(),
                )
                .body(axum::body::Body::from(json!({"notes": "bốn"}).to_string()))
                .unwrap(),
        )
        .await;
    bad.expect(400, db);
    assert_eq!(bad.error(), "bad_if_match", "[{db}]");

    // A list answers conditional GETs too: 304 until something in it changes.
    let list = app.get("/api/v1/partners", Some(&a)).await;
    list.expect(200, db);
    let lt = list.header("etag").expect("ETag on a list").to_owned();
    let same = app
        .raw(
            "GET",
            "/api/v1/partners",
            Some(&a),
            &[("if-none-match", &lt)],
            None,
        )
        .await;
    assert_eq!(same.status, 304, "[{db}]");
    app.patch(&path, Some(&b), &json!({"notes": "năm"}))
        .await
        .expect(200, db);
    let changed = app
        .raw(
            "GET",
            "/api/v1/partners",
            Some(&a),
            &[("if-none-match", &lt)],
            None,
        )
        .await;
    changed.expect(200, db);
    assert_ne!(changed.header("etag"), Some(lt.as_str()), "[{db}]");

    // Workflow steps and deletes honour versions too.
    let trip = app
        .post(
            "/api/v1/delegations",
            Some(&a),
            &json!({"direction": "outbound", "purpose": "Xúc tiến đầu tư tại Lào", "countries": ["LA"],
                    "start_on": "2027-03-01", "end_on": "2027-03-05"}),
        )
        .await;
    trip.expect(201, db);
    let trip_path = format!("/api/v1/delegations/{}", trip.json["id"]);
    let t1 = app
        .get(&trip_path, Some(&a))
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    app.patch(
        &trip_path,
        Some(&b),
        &json!({"purpose": "Xúc tiến đầu tư và du lịch tại Lào"}),
    )
    .await
    .expect(200, db);
    let step = app
        .raw(
            "POST",
            &format!("{trip_path}/transitions"),
            Some(&a),
            &[("content-type", "application/json"), ("if-match", &t1)],
            Some(json!({"to": "submitted"}).to_string().into_bytes()),
        )
        .await;
    step.expect(412, db);
    assert_eq!(step.json["current"]["status"], "draft", "[{db}]");
    let t2 = step.json["current_etag"].as_str().unwrap().to_owned();
    let step = app
        .raw(
            "POST",
            &format!("{trip_path}/transitions"),
            Some(&a),
            &[("content-type", "application/json"), ("if-match", &t2)],
            Some(json!({"to": "submitted"}).to_string().into_bytes()),
        )
        .await;
    step.expect(200, db);
    assert_eq!(step.json["status"], "submitted", "[{db}]");
    let t3 = step.header("etag").unwrap().to_owned();
    // The approver's step made the editor's version old: the delete is refused.
    app.post(
        &format!("{trip_path}/transitions"),
        Some(&approver),
        &json!({"to": "approved"}),
    )
    .await
    .expect(200, db);
    let gone = app
        .raw("DELETE", &trip_path, Some(&a), &[("if-match", &t3)], None)
        .await;
    gone.expect(412, db);
    assert_eq!(gone.json["current"]["status"], "approved", "[{db}]");
    app.get(&trip_path, Some(&a)).await.expect(200, db);
    let v_now = app
        .get(&path, Some(&a))
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    app.raw("DELETE", &path, Some(&a), &[("if-match", &v_now)], None)
        .await
        .expect(204, db);
}

#[tokio::test]
async fn two_editors_of_one_record_lose_no_update() {
    on_both_backends("versions", two_editors).await;
}

/// A request of the channel: its version in `ETag`, 304 while nobody
/// writes, and a message with `If-Match` of a thread someone has written
/// in since is 412 with the request as it is now; nothing is sent.
async fn two_mission_users(app: TestApp) {
    let db = app.db.name();
    let (_, province) = app.user("dak-lak", "vq-dl", Role::Editor).await;
    let (_, one) = app.user("dsq-nhat-ban", "vq-nb1", Role::Editor).await;
    let (_, two) = app.user("dsq-nhat-ban", "vq-nb2", Role::Editor).await;
    let sent = app
        .post(
            "/api/v1/requests",
            Some(&province),
            &json!({"missions": ["dsq-nhat-ban"], "subject": "Tìm đối tác cà phê",
                    "body": "Đề nghị giới thiệu doanh nghiệp.", "sector": "agriculture", "country": "JP"}),
        )
        .await;
    sent.expect(201, db);
    let id = sent.json[0]["id"]
        .as_i64()
        .or_else(|| sent.json["items"][0]["id"].as_i64())
        .or_else(|| sent.json["id"].as_i64())
        .unwrap_or_else(|| panic!("[{db}] {}", sent.json));
    let path = format!("/api/v1/requests/{id}");
    let seen = app.get(&path, Some(&one)).await;
    seen.expect(200, db);
    let v1 = seen.header("etag").expect("ETag on a request").to_owned();
    assert_eq!(
        app.get(&path, Some(&two)).await.header("etag"),
        Some(v1.as_str()),
        "[{db}]"
    );
    let same = app
        .raw("GET", &path, Some(&one), &[("if-none-match", &v1)], None)
        .await;
    assert_eq!(same.status, 304, "[{db}]");

    let message = |action: &str, text: &str| {
        serde_json::to_vec(&json!({"action": action, "body": text})).unwrap()
    };
    let post = |token: String, tag: String, body: Vec<u8>| {
        let app = &app;
        let uri = format!("{path}/messages");
        async move {
            app.raw(
                "POST",
                &uri,
                Some(&token),
                &[("if-match", &tag), ("content-type", "application/json")],
                Some(body),
            )
            .await
        }
    };
    let r = post(one.clone(), v1.clone(), message("answer", "Trả lời")).await;
    assert_eq!(r.status, 201, "[{db}] {}", r.json);
    let r = post(two.clone(), v1.clone(), message("ask_back", "Hỏi lại")).await;
    assert_eq!(r.status, 412, "[{db}] {}", r.json);
    let err = &r.json;
    assert_eq!(err["current"]["status"], "answered", "[{db}] {err}");
    let v2 = err["current_etag"].as_str().unwrap().to_owned();
    assert_ne!(v2, v1, "[{db}]");
    let thread = app.get(&path, Some(&two)).await;
    assert_eq!(
        thread.json["messages"].as_array().map(Vec::len),
        Some(1),
        "[{db}] nothing sent"
    );
    assert_eq!(thread.header("etag"), Some(v2.as_str()), "[{db}]");
    let r = post(two.clone(), v2, message("ask_back", "Hỏi lại")).await;
    assert_eq!(r.status, 201, "[{db}] {}", r.json);
}

#[tokio::test]
async fn two_mission_users_of_one_request_lose_no_message() {
    on_both_backends("request-versions", two_mission_users).await;
}
