//! The core flows on both backends: create, search (case and diacritics
//! folded), Vietnamese sort, paging, merge patch, delete, history, links,
//! the Ministry's `org`, former units, the login throttle, logout, health,
//! request ids.

use std::collections::BTreeSet;

use ngoaivu_core::Role;
use serde_json::{Value, json};

use crate::common::*;

fn ids(r: &Resp) -> Vec<i64> {
    r.items().iter().filter_map(|i| i["id"].as_i64()).collect()
}

async fn list_ids(app: &TestApp, token: &str, path: &str, pairs: &[(&str, &str)]) -> Vec<i64> {
    let uri = format!("/api/v1/{path}?{}", query(pairs));
    let r = app.get(&uri, Some(token)).await;
    r.expect(200, &uri);
    ids(&r)
}

async fn flows(app: TestApp) {
    let db = app.db.name();
    let (_, dt) = app.user("dong-thap", "dt-editor", Role::Editor).await;
    let (_, bng) = app.user("bo-ngoai-giao", "bng-editor", Role::Editor).await;
    let (_, vl) = app.user("vinh-long", "vl-viewer", Role::Viewer).await;
    let (_, dt_approver) = app.user("dong-thap", "dt-approver", Role::Approver).await;
    let dt = dt.as_str();

    // ---- the documented shapes
    let r = app
        .post(
            "/api/v1/partners",
            Some(dt),
            &json!({"name": "Xiêng Khoảng", "kind": "foreign_locality", "country": "LA"}),
        )
        .await;
    r.expect(201, "create partner");
    let partner = r.id();
    assert_eq!(r.json["org"], "dong-thap", "[{db}] {}", r.json);
    assert_eq!(r.json["created_by"], "dt-editor");
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/partners/{partner}").as_str())
    );
    // An agreement of past years, in force: a new record starts as a
    // draft, so entering one past the approval is an approver's.
    let past = json!({"title": "Thỏa thuận hợp tác giai đoạn 2016 - 2020", "kind": "agreement", "partner_ids": [partner],
        "signed_on": "2016-05-10", "valid_from": "2016-01-01", "valid_until": "2020-12-31", "status": "in_force"});
    let r = app.post("/api/v1/agreements", Some(dt), &past).await;
    r.expect(422, "an editor enters an agreement in force");
    assert_eq!(r.json["fields"][0]["field"], "status", "[{db}] {}", r.json);
    assert!(
        r.json["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("người phê duyệt")),
        "[{db}] {}",
        r.json
    );
    let r = app
        .post("/api/v1/agreements", Some(&dt_approver), &past)
        .await;
    r.expect(201, "create agreement");
    // The report the signing would have made due, from the signing date.
    assert_eq!(r.json["report_due"], "2016-05-25", "[{db}] {}", r.json);
    {
        // Past a decision, the decision is named: its date or its number.
        let approved = json!({"direction": "outbound", "purpose": "Đoàn công tác tại Lào", "countries": ["LA"],
            "start_on": "2016-06-01", "status": "approved"});
        let d = app
            .post("/api/v1/delegations", Some(&dt_approver), &approved)
            .await;
        d.expect(422, "an approved delegation without its decision");
        assert_eq!(
            d.json["fields"][0]["field"], "decided_on",
            "[{db}] {}",
            d.json
        );
        let mut numbered = approved.clone();
        numbered["decision_number"] = json!("125/QĐ-UBND");
        let d = app
            .post("/api/v1/delegations", Some(&dt_approver), &numbered)
            .await;
        d.expect(201, "an approved delegation with its decision's number");
        let id = d.id();
        let d = app
            .delete(&format!("/api/v1/delegations/{id}"), Some(&dt_approver))
            .await;
        d.expect(204, "the delegation removed again");
    }

    let agreement = r.id();
    assert_eq!(
        r.json["locality"], "dong-thap",
        "[{db}] the default locality: {}",
        r.json
    );
    assert_eq!(r.json["partner_ids"], json!([partner]));

    // ---- search: the agreement by its partner's name, any case, with or without diacritics
    for q in ["xieng khoang", "XIÊNG", "Xieng", "xiêng khoảng", "khoang"] {
        let found = list_ids(&app, dt, "agreements", &[("q", q)]).await;
        assert_eq!(found, vec![agreement], "[{db}] agreements?q={q}");
    }
    assert_eq!(
        app.get("/api/v1/agreements?q=xieng+khoang", Some(dt))
            .await
            .total(),
        1,
        "[{db}] q=xieng+khoang (plus as space)"
    );
    assert!(
        list_ids(&app, dt, "agreements", &[("q", "viêng")])
            .await
            .is_empty(),
        "[{db}] a word it does not hold"
    );
    assert_eq!(
        list_ids(&app, dt, "agreements", &[("year", "2016")]).await,
        vec![agreement]
    );
    assert!(
        list_ids(&app, dt, "agreements", &[("year", "2017")])
            .await
            .is_empty()
    );
    assert_eq!(
        list_ids(&app, dt, "agreements", &[("status", "in_force")]).await,
        vec![agreement]
    );

    // đ folds to d
    let r = app
        .post(
            "/api/v1/partners",
            Some(dt),
            &json!({"name": "Đà Nẵng Partners", "kind": "enterprise", "country": "JP"}),
        )
        .await;
    r.expect(201, "create Đà Nẵng Partners");
    let danang = r.id();
    for q in ["da nang", "DA NANG", "Đà Nẵng", "đà", "ĐÀ NẴNG", "Da"] {
        let found = list_ids(&app, dt, "partners", &[("q", q)]).await;
        assert_eq!(found, vec![danang], "[{db}] partners?q={q}");
    }
    // country, by code and by its names
    assert_eq!(
        list_ids(&app, dt, "partners", &[("country", "la")]).await,
        vec![partner],
        "[{db}] country=la"
    );
    assert_eq!(
        list_ids(&app, dt, "partners", &[("q", "Lào")]).await,
        vec![partner],
        "[{db}] q=Lào (country name)"
    );

    // ---- Vietnamese alphabetical order
    let mut sorted_ids = Vec::new();
    for name in ["Đông", "Dương", "An", "Ăn", "Bình"] {
        let r = app
            .post(
                "/api/v1/partners",
                Some(dt),
                &json!({"name": name, "kind": "other", "country": "KH", "notes": "thứ tự"}),
            )
            .await;
        r.expect(201, name);
        sorted_ids.push((name, r.id()));
    }
    let names = |r: &Resp| -> Vec<String> {
        r.items()
            .iter()
            .filter(|i| i["notes"] == "thứ tự")
            .filter_map(|i| i["name"].as_str().map(str::to_owned))
            .collect()
    };
    let r = app
        .get("/api/v1/partners?sort=title&limit=200", Some(dt))
        .await;
    r.expect(200, "sort=title");
    assert_eq!(
        names(&r),
        ["An", "Ăn", "Bình", "Dương", "Đông"],
        "[{db}] sort=title"
    );
    let r = app
        .get("/api/v1/partners?sort=-title&limit=200", Some(dt))
        .await;
    assert_eq!(
        names(&r),
        ["Đông", "Dương", "Bình", "Ăn", "An"],
        "[{db}] sort=-title"
    );
    // the whole list, including the others, in Vietnamese order
    let all = app
        .get("/api/v1/partners?sort=title&limit=200", Some(dt))
        .await;
    let all_names: Vec<String> = all
        .items()
        .iter()
        .map(|i| i["name"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        all_names,
        [
            "An",
            "Ăn",
            "Bình",
            "Dương",
            "Đà Nẵng Partners",
            "Đông",
            "Xiêng Khoảng"
        ],
        "[{db}] sort=title, all"
    );

    // ---- paging
    let mut page_ids = BTreeSet::new();
    for i in 0..5 {
        let r = app.post("/api/v1/events", Some(dt), &json!({"kind": "seminar", "title": format!("Hội thảo phân trang {i}"), "start_on": format!("2023-0{}-01", i + 1)})).await;
        r.expect(201, "event");
        page_ids.insert(r.id());
    }
    let mut seen = Vec::new();
    for (offset, want) in [(0, 2), (2, 2), (4, 1), (10, 0)] {
        let uri = format!("/api/v1/events?q=phan+trang&limit=2&offset={offset}");
        let r = app.get(&uri, Some(dt)).await;
        r.expect(200, &uri);
        assert_eq!(r.items().len(), want, "[{db}] {uri}: items");
        assert_eq!(r.total(), 5, "[{db}] {uri}: total");
        assert_eq!(
            (r.json["limit"].as_i64(), r.json["offset"].as_i64()),
            (Some(2), Some(offset)),
            "[{db}] {uri}"
        );
        seen.extend(ids(&r));
    }
    assert_eq!(seen.len(), 5, "[{db}] pages overlap: {seen:?}");
    assert_eq!(seen.iter().copied().collect::<BTreeSet<_>>(), page_ids);
    let mut desc = seen.clone();
    desc.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, desc, "[{db}] the default order is newest id first");
    let by_date = list_ids(&app, dt, "events", &[("q", "phan trang"), ("sort", "date")]).await;
    assert_eq!(
        by_date,
        page_ids.iter().copied().collect::<Vec<_>>(),
        "[{db}] sort=date (dates follow creation)"
    );

    // ---- merge patch and re-validation
    let r = app
        .post("/api/v1/partners", Some(dt), &json!({"name": "Tỉnh Gelderland", "kind": "foreign_locality", "country": "NL", "website": "https://www.gelderland.nl", "notes": "cũ"}))
        .await;
    r.expect(201, "Gelderland");
    let gld = r.id();
    let r = app
        .patch(
            &format!("/api/v1/partners/{gld}"),
            Some(dt),
            &json!({"website": null, "notes": "mới"}),
        )
        .await;
    r.expect(200, "merge patch");
    assert!(
        r.json.get("website").is_none(),
        "[{db}] null removes the field: {}",
        r.json
    );
    assert_eq!(
        (
            r.json["notes"].as_str(),
            r.json["name"].as_str(),
            r.json["country"].as_str()
        ),
        (Some("mới"), Some("Tỉnh Gelderland"), Some("NL"))
    );
    let stored = app.get(&format!("/api/v1/partners/{gld}"), Some(dt)).await;
    assert_eq!(stored.json, r.json, "[{db}] GET after PATCH");
    for (patch, field, code) in [
        (json!({"country": "XX"}), "country", "unknown_country"),
        (json!({"name": null}), "name", "required"),
        (json!({"kind": "alien"}), "kind", "not_allowed_value"),
        (json!({"colour": "red"}), "colour", "unknown_field"),
    ] {
        let bad = app
            .patch(&format!("/api/v1/partners/{gld}"), Some(dt), &patch)
            .await;
        bad.expect(422, &format!("PATCH {patch}"));
        assert_eq!(
            bad.fields(),
            vec![(field.to_owned(), code.to_owned())],
            "[{db}] PATCH {patch}: {}",
            bad.json
        );
        let again = app.get(&format!("/api/v1/partners/{gld}"), Some(dt)).await;
        assert_eq!(
            again.json, stored.json,
            "[{db}] a refused PATCH {patch} changed the record"
        );
    }
    let moved = app
        .patch(
            &format!("/api/v1/partners/{gld}"),
            Some(dt),
            &json!({"org": "vinh-long"}),
        )
        .await;
    moved.expect(422, "PATCH org");

    // ---- history: create and update rows with before, after and who
    let h = app
        .get(&format!("/api/v1/partners/{gld}/history"), Some(dt))
        .await;
    h.expect(200, "history");
    let items = h.items();
    assert_eq!(
        h.total(),
        2,
        "[{db}] one create, one update (refused PATCHes leave no row): {}",
        h.json
    );
    assert_eq!(
        (items[0]["action"].as_str(), items[0]["username"].as_str()),
        (Some("create"), Some("dt-editor"))
    );
    assert!(
        items[0]["before"].is_null() && items[0]["after"]["name"] == "Tỉnh Gelderland",
        "[{db}] {}",
        items[0]
    );
    assert_eq!(
        (items[1]["action"].as_str(), items[1]["username"].as_str()),
        (Some("update"), Some("dt-editor"))
    );
    assert_eq!(
        items[1]["before"]["website"], "https://www.gelderland.nl",
        "[{db}] {}",
        items[1]
    );
    assert!(
        items[1]["after"].get("website").is_none() && items[1]["after"]["notes"] == "mới",
        "[{db}] {}",
        items[1]
    );
    assert!(items[0]["at"].is_string() && items[0]["id"].is_i64());

    // ---- delete
    let gone = app
        .delete(&format!("/api/v1/partners/{gld}"), Some(dt))
        .await;
    gone.expect(204, "delete");
    app.get(&format!("/api/v1/partners/{gld}"), Some(dt))
        .await
        .expect(404, "GET after DELETE");
    app.delete(&format!("/api/v1/partners/{gld}"), Some(dt))
        .await
        .expect(404, "DELETE twice");
    let bng_h = app
        .get(&format!("/api/v1/partners/{gld}/history"), Some(&bng))
        .await;
    bng_h.expect(404, "history of a deleted record");
    // a partner an agreement names cannot go
    let r = app
        .delete(&format!("/api/v1/partners/{partner}"), Some(dt))
        .await;
    r.expect(409, "delete a partner in use");
    assert_eq!(r.error(), "conflict");
    assert!(
        r.message().contains(&agreement.to_string()),
        "[{db}] the message names the agreement: {}",
        r.message()
    );
    app.get(&format!("/api/v1/partners/{partner}"), Some(dt))
        .await
        .expect(200, "the partner in use is still there");

    // ---- links, both ways
    let l = app
        .get(&format!("/api/v1/partners/{partner}/links"), Some(dt))
        .await;
    l.expect(200, "links of the partner");
    let incoming = l.json["incoming"].as_array().cloned().unwrap_or_default();
    assert!(
        incoming.iter().any(|x| x["id"] == agreement
            && x["type"] == "agreement"
            && x["rel"] == "partner"
            && x["title"] == "Thỏa thuận hợp tác giai đoạn 2016 - 2020"),
        "[{db}] incoming: {}",
        l.json
    );
    let l = app
        .get(&format!("/api/v1/agreements/{agreement}/links"), Some(dt))
        .await;
    assert!(
        l.json["outgoing"].as_array().is_some_and(|o| o
            .iter()
            .any(|x| x["id"] == partner && x["type"] == "partner")),
        "[{db}] outgoing: {}",
        l.json
    );

    // ---- the Ministry writes only its own records; a province files one
    // under a former unit of its own
    let r = app
        .post("/api/v1/events", Some(&bng), &json!({"kind": "conference", "title": "Hội nghị Tiền Giang 2019", "start_on": "2019-05-05", "org": "tien-giang"}))
        .await;
    r.expect(403, "the Ministry creates no province's record");
    assert!(
        r.json["message"]
            .as_str()
            .is_some_and(|m| m.contains("cơ quan khác")),
        "[{db}] {}",
        r.json
    );
    let r = app
        .post("/api/v1/events", Some(dt), &json!({"kind": "conference", "title": "Hội nghị Tiền Giang 2019", "start_on": "2019-05-05", "org": "tien-giang"}))
        .await;
    r.expect(201, "Đồng Tháp creates with org tien-giang");
    let tg = r.id();
    assert_eq!(
        (r.json["org"].as_str(), r.json["locality"].as_str()),
        (Some("dong-thap"), Some("tien-giang")),
        "[{db}] {}",
        r.json
    );
    assert!(r.json.get("org_slug").is_none());
    let seen = app.get(&format!("/api/v1/events/{tg}"), Some(&bng)).await;
    seen.expect(200, "the Ministry reads it");
    assert_eq!(seen.json["created_by"], "dt-editor");
    // Nor changes or deletes it: a province's record is the province's.
    app.patch(
        &format!("/api/v1/events/{tg}"),
        Some(&bng),
        &json!({"title": "Sửa"}),
    )
    .await
    .expect(403, "the Ministry edits no province's record");
    app.delete(&format!("/api/v1/events/{tg}"), Some(&bng))
        .await
        .expect(403, "the Ministry deletes no province's record");
    app.get(&format!("/api/v1/events/{tg}"), Some(&vl))
        .await
        .expect(404, "vinh-long does not");
    assert_eq!(
        list_ids(&app, dt, "events", &[("locality", "tien-giang")]).await,
        vec![tg],
        "[{db}] locality=tien-giang"
    );
    // the Ministry's own records (its organisation by default)
    let r = app
        .post(
            "/api/v1/events",
            Some(&bng),
            &json!({"kind": "conference", "title": "Hội nghị toàn quốc"}),
        )
        .await;
    r.expect(201, "Ministry record");
    assert_eq!(
        (r.json["org"].as_str(), r.json["locality"].as_str()),
        (Some("bo-ngoai-giao"), Some("viet-nam"))
    );
    app.get(&format!("/api/v1/events/{}", r.id()), Some(dt))
        .await
        .expect(404, "a province does not see the Ministry's records");
    let r = app
        .post(
            "/api/v1/events",
            Some(&bng),
            &json!({"kind": "conference", "title": "X", "org": "dsq-lao"}),
        )
        .await;
    r.expect(403, "Ministry create for a mission");
    let r = app
        .post(
            "/api/v1/events",
            Some(&bng),
            &json!({"kind": "conference", "title": "X", "org": "khong-co"}),
        )
        .await;
    r.expect(422, "Ministry create for an unknown org");
    assert_eq!(
        r.fields(),
        vec![("org".to_owned(), "unknown_unit".to_owned())]
    );
    // a province user may name its own former unit
    let r = app
        .post(
            "/api/v1/events",
            Some(dt),
            &json!({"kind": "fair", "title": "Hội chợ Mỹ Tho", "org": "tien-giang"}),
        )
        .await;
    r.expect(201, "dong-thap names tien-giang");
    assert_eq!(
        (r.json["org"].as_str(), r.json["locality"].as_str()),
        (Some("dong-thap"), Some("tien-giang"))
    );
    app.post(
        "/api/v1/events",
        Some(dt),
        &json!({"kind": "fair", "title": "X", "org": "ben-tre"}),
    )
    .await
    .expect(403, "dong-thap names vinh-long's former unit");

    // ---- the former-unit rule for figures
    let obs = |locality: &str| json!({"indicator": "trade.export", "locality": locality, "period": {"year": 2019}, "value": "793000000", "unit": "USD", "change_pct": "37.91"});
    let r = app
        .post("/api/v1/observations", Some(dt), &obs("tien-giang"))
        .await;
    r.expect(201, "observation of tien-giang");
    assert_eq!(
        (
            r.json["locality"].as_str(),
            r.json["value"].as_str(),
            r.json["change_pct"].as_str()
        ),
        (Some("tien-giang"), Some("793000000"), Some("37.91"))
    );
    let r = app
        .post("/api/v1/observations", Some(dt), &obs("ha-noi"))
        .await;
    r.expect(422, "observation of ha-noi");
    assert_eq!(
        r.fields(),
        vec![("locality".to_owned(), "unit_outside_org".to_owned())],
        "[{db}] {}",
        r.json
    );
    let r = app
        .post("/api/v1/observations", Some(dt), &obs("khong-co"))
        .await;
    r.expect(422, "observation of an unknown unit");
    assert_eq!(
        r.fields(),
        vec![("locality".to_owned(), "unknown_unit".to_owned())]
    );
    let r = app.post("/api/v1/observations", Some(&bng), &json!({"indicator": "trade.export", "period": {"year": 2024}, "value": "405000000000", "unit": "USD", "org": "bo-ngoai-giao"})).await;
    r.expect(201, "a national figure");
    assert_eq!(r.json["locality"], "viet-nam");

    // ---- health and request ids
    let h = app.get("/healthz", None).await;
    h.expect(200, "healthz");
    assert_eq!(
        (h.json["status"].as_str(), h.json["database"].as_str()),
        (Some("ok"), Some(app.backend.kind()))
    );
    let a = app.get("/healthz", None).await;
    assert_ne!(
        a.header("x-request-id"),
        h.header("x-request-id"),
        "[{db}] request ids repeat"
    );
    let mine = app
        .raw(
            "GET",
            "/api/v1/me",
            Some(dt),
            &[("x-request-id", "it-chosen-id-1")],
            None,
        )
        .await;
    assert_eq!(
        mine.header("x-request-id"),
        Some("it-chosen-id-1"),
        "[{db}] the client's request id is kept"
    );
    for (uri, want) in [
        ("/no/such/page", 404),
        ("/api/v1/me", 401),
        ("/api/v1/partners/abc", 404),
    ] {
        let r = app
            .get(uri, if want == 401 { None } else { Some(dt) })
            .await;
        assert_eq!(r.status, want, "[{db}] {uri}");
        assert!(
            r.header("x-request-id").is_some() && r.json["error"].is_string(),
            "[{db}] {uri}: {}",
            r.json
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn core_flows() {
    on_both_backends("records", flows).await;
}

async fn sessions(app: TestApp) {
    let db = app.db.name();
    app.add_user("dong-thap", "dt-throttled", Role::Viewer)
        .await;
    let (_, other) = app.user("dong-thap", "dt-other", Role::Viewer).await;

    // ---- five wrong passwords, then even the right one is refused for a while
    for i in 1..=5 {
        let r = app
            .post(
                "/api/v1/sessions",
                None,
                &json!({"username": "dt-throttled", "password": format!("sai mật khẩu {i}")}),
            )
            .await;
        r.expect(401, &format!("wrong password {i}"));
        assert_eq!(r.error(), "invalid_credentials", "[{db}] {}", r.json);
    }
    let r = app
        .post(
            "/api/v1/sessions",
            None,
            &json!({"username": "dt-throttled", "password": PASSWORD}),
        )
        .await;
    r.expect(429, "the 6th attempt, with the right password");
    assert_eq!(r.error(), "too_many_attempts");
    let secs: u64 = r
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("[{db}] no Retry-After: {:?}", r.headers));
    assert!((1..=15 * 60).contains(&secs), "[{db}] Retry-After {secs}");
    let en = app
        .raw(
            "POST",
            "/api/v1/sessions",
            None,
            &[
                ("content-type", "application/json"),
                ("accept-language", "en"),
            ],
            Some(
                json!({"username": "DT-THROTTLED", "password": PASSWORD})
                    .to_string()
                    .into_bytes(),
            ),
        )
        .await;
    en.expect(429, "the throttle ignores the case of the name");
    assert!(
        en.message().starts_with("Too many failed sign-ins"),
        "[{db}] {}",
        en.message()
    );
    assert!(
        en.header("retry-after").is_some(),
        "[{db}] Retry-After survives the English rendering"
    );
    // others are not held back
    let t = app.login("dt-other", PASSWORD).await;

    // ---- logout ends that token only
    app.get("/api/v1/me", Some(&t)).await.expect(200, "me");
    app.delete("/api/v1/sessions/current", Some(&t))
        .await
        .expect(204, "logout");
    let r = app.get("/api/v1/me", Some(&t)).await;
    r.expect(401, "the token after logout");
    assert_eq!(r.error(), "unauthorized");
    app.delete("/api/v1/sessions/current", Some(&t))
        .await
        .expect(401, "logout twice");
    app.get("/api/v1/me", Some(&other))
        .await
        .expect(200, "the other session lives on");
    for bad in [
        "Bearer",
        "Bearer nonsense",
        "Basic Zm9vOmJhcg==",
        "nonsense",
    ] {
        let r = app
            .raw("GET", "/api/v1/me", None, &[("authorization", bad)], None)
            .await;
        assert_eq!(r.status, 401, "[{db}] Authorization: {bad}");
    }
    let me = app.get("/api/v1/me", Some(&other)).await;
    assert_eq!(
        (
            me.json["username"].as_str(),
            me.json["role"].as_str(),
            me.json["org"]["slug"].as_str()
        ),
        (Some("dt-other"), Some("viewer"), Some("dong-thap"))
    );
    let _: &Value = &me.json;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_throttle_and_logout() {
    on_both_backends("sessions", sessions).await;
}

/// `country` filters on the country of the record or of its partners: an
/// agreement with a Lao partner is found by `country=LA`.
async fn partners_country(app: TestApp) {
    let (_, dt) = app.user("dong-thap", "dt-editor", Role::Editor).await;
    let p = app
        .post(
            "/api/v1/partners",
            Some(&dt),
            &json!({"name": "Xiêng Khoảng", "kind": "foreign_locality", "country": "LA"}),
        )
        .await
        .id();
    let a = app
        .post("/api/v1/agreements", Some(&dt), &json!({"title": "Thỏa thuận", "kind": "agreement", "partner_ids": [p], "signed_on": "2016-05-10"}))
        .await
        .id();
    assert_eq!(
        list_ids(&app, &dt, "agreements", &[("country", "LA")]).await,
        vec![a],
        "[{}] agreements?country=LA",
        app.db.name()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agreements_found_by_their_partners_country() {
    on_both_backends("partners_country", partners_country).await;
}

/// Naming a former unit as `org` files a partner or overseas contact (types
/// without a locality) under the successor, without a locality tag.
async fn former_unit_without_locality(app: TestApp) {
    let db = app.db.name();
    let (_, bng) = app.user("bo-ngoai-giao", "bng-editor", Role::Editor).await;
    let (_, dt) = app.user("dong-thap", "dt-editor", Role::Editor).await;
    // The Ministry writes no province's records, former units included.
    let r = app
        .post(
            "/api/v1/partners",
            Some(&bng),
            &json!({"name": "Tỉnh Xiêng Khoảng", "kind": "foreign_locality", "country": "LA", "org": "tien-giang"}),
        )
        .await;
    assert_eq!(r.status, 403, "[{db}] {}", r.json);
    for (who, token) in [("dong-thap", &dt)] {
        for (path, body) in [
            (
                "partners",
                json!({"name": "Tỉnh Xiêng Khoảng", "kind": "foreign_locality", "country": "LA", "org": "tien-giang"}),
            ),
            (
                "overseas-contacts",
                json!({"kind": "association", "name": "Hội đồng hương Tiền Giang", "country": "FR", "org": "tien-giang"}),
            ),
        ] {
            let r = app
                .post(&format!("/api/v1/{path}"), Some(token), &body)
                .await;
            assert_eq!(
                (r.status, r.json["org"].as_str()),
                (201, Some("dong-thap")),
                "[{db}] {who}: POST /api/v1/{path} with org tien-giang: {}",
                r.json
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn former_unit_org_for_types_without_locality() {
    on_both_backends("former_unit_no_locality", former_unit_without_locality).await;
}

/// Attachments through the API: upload as the body, listing, download with
/// the Vietnamese name kept, and the refusals (no name, a type not accepted,
/// content that is not what the name says, over the size limit), each
/// writing nothing.
async fn attachments(app: TestApp) {
    let db = app.db.name();
    let (_, dt) = app.user("dong-thap", "dt-att", Role::Editor).await;
    let dt = dt.as_str();
    let r = app.post("/api/v1/agreements", Some(dt), &json!({"title": "Kết nghĩa", "kind": "twinning", "partner_ids": [
        app.post("/api/v1/partners", Some(dt), &json!({"name": "Pursat", "kind": "foreign_locality", "country": "KH"})).await.id()
    ]})).await;
    let ag = r.id();
    let base = format!("/api/v1/agreements/{ag}/attachments");
    let pdf = b"%PDF-1.7\n%%EOF\n".to_vec();
    let up = |name: &str| format!("{base}?filename={}", query_escape(name));
    let r = app
        .raw(
            "POST",
            &up("Thỏa thuận ký kết.pdf"),
            Some(dt),
            &[("content-type", "application/pdf")],
            Some(pdf.clone()),
        )
        .await;
    r.expect(201, "upload");
    assert_eq!(r.json["filename"], "Thỏa thuận ký kết.pdf", "[{db}]");
    assert_eq!(r.json["content_type"], "application/pdf");
    let att = r.id();
    let r = app.get(&format!("{base}/{att}"), Some(dt)).await;
    r.expect(200, "download");
    assert_eq!(r.body, pdf, "[{db}] the bytes come back unchanged");
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains("filename*=UTF-8''Th%E1%BB%8Fa%20thu%E1%BA%ADn"),
        "{:?}",
        r.header("content-disposition")
    );
    let cases: Vec<(String, Vec<u8>, u16, &str)> = vec![
        (base.clone(), pdf.clone(), 422, "filename"),
        (up("virus.exe"), b"MZ\x90\x00".to_vec(), 422, "filename"),
        (up("giả.pdf"), b"MZ\x90\x00".to_vec(), 422, "file"),
        (up("rỗng.pdf"), vec![], 422, "file"),
        (
            up("lớn.pdf"),
            [b"%PDF-".to_vec(), vec![b'x'; 21 * 1024 * 1024]].concat(),
            413,
            "",
        ),
    ];
    for (uri, body, status, field) in cases {
        let r = app
            .raw(
                "POST",
                &uri,
                Some(dt),
                &[("content-type", "application/octet-stream")],
                Some(body),
            )
            .await;
        assert_eq!(r.status, status, "[{db}] {uri}: {}", r.json);
        if !field.is_empty() {
            assert_eq!(
                r.json["fields"][0]["field"], field,
                "[{db}] {uri}: {}",
                r.json
            );
        }
        assert!(
            !r.message().is_empty(),
            "[{db}] {uri}: the refusal says why"
        );
    }
    let list = app.get(&base, Some(dt)).await;
    assert_eq!(
        list.total(),
        1,
        "[{db}] refused uploads wrote nothing: {}",
        list.json
    );
    let h = app
        .get(&format!("/api/v1/agreements/{ag}/history"), Some(dt))
        .await;
    let actions: Vec<String> = h
        .items()
        .iter()
        .map(|e| e["action"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(actions, vec!["create", "attach"], "[{db}]");
    app.delete(&format!("{base}/{att}"), Some(dt))
        .await
        .expect(204, "detach");
    assert_eq!(app.get(&base, Some(dt)).await.total(), 0);
}

fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_upload_download_and_refusals() {
    on_both_backends("attachments", attachments).await;
}

/// A burst of guesses is counted before the passwords are checked: of 30
/// wrong passwords and the right one sent at once, at most five reach a
/// password check, and the right one, arriving among the rest, gets no
/// token.
async fn login_burst(app: TestApp) {
    use tower::ServiceExt;
    let db = app.db.name();
    app.add_user("dong-thap", "dt-burst", Role::Viewer).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..31 {
        let router = app.router.clone();
        let password = if i == 30 {
            PASSWORD.to_owned()
        } else {
            format!("sai {i}")
        };
        tasks.spawn(async move {
            // The right password last, after the guesses have started.
            if i == 30 {
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
            let body = json!({"username": "dt-burst", "password": password}).to_string();
            let req = axum::http::Request::post("/api/v1/sessions")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            (i, router.oneshot(req).await.unwrap().status().as_u16())
        });
    }
    let mut checked = 0;
    let mut right = 0;
    while let Some(r) = tasks.join_next().await {
        let (i, status) = r.unwrap();
        if status == 401 {
            checked += 1;
        }
        if i == 30 {
            right = status;
        }
    }
    assert!(
        checked <= 5,
        "[{db}] {checked} wrong passwords were checked"
    );
    assert_eq!(
        right, 429,
        "[{db}] the right password inside the burst got {right}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_burst_is_held_to_the_limit() {
    on_both_backends("login_burst", login_burst).await;
}
