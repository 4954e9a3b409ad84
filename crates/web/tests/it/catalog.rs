//! The investment catalog (its form, the public pages without sign-in, the
//! JSON feed, pictures) and the calendar feed (address on /account, the
//! iCalendar text parsed back, rotation), through the same router as
//! `ngoaivu serve`.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ngoaivu_core::attachments::DEFAULT_MAX_BYTES;
use ngoaivu_core::ical::{unescape_text, unfold};
use ngoaivu_core::{RecordType, Role};
use serde_json::{Value, json};

fn enc(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const EN: &str = "lang=en";

fn published(vi: &str, en: &str, sector: &str, countries: &[&str]) -> Value {
    json!({
        "translations": {
            "vi": {"name": vi, "summary": "Chế biến sâu, công suất 150 triệu trái mỗi năm.", "incentives": "Miễn tiền thuê đất 11 năm."},
            "en": {"name": en, "summary": "Deep processing, 150 million nuts a year.", "incentives": "No land rent for 11 years."}
        },
        "sector": sector, "status": "published", "countries_of_interest": countries,
        "capital": {"amount": "40000000", "currency": "USD"}, "area_ha": "370.34",
        "contact": {"name": "Phòng Hợp tác quốc tế", "email": "hoptac@example.vn"},
        "notes": "BÍ MẬT NỘI BỘ: nguồn tin chưa kiểm chứng"
    })
}

#[tokio::test]
async fn catalog_form_in_two_languages() {
    let app = App::new().await;
    app.user("vinh-long", "vl-editor", Role::Editor).await;
    let c = app.login("vl-editor").await;

    let r = app.get("/records/catalog-projects/new", &c).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for id in [
        "translations-vi-name",
        "translations-en-summary",
        "translations-en-incentives",
        "capital-amount",
        "area_ha",
        "countries_of_interest",
        "contact-email",
    ] {
        assert!(
            r.body.contains(&format!("<label for=\"{id}\"")),
            "no labelled {id}"
        );
    }
    assert!(r.body.contains("<legend>Tiếng Việt</legend>"));
    assert!(
        !r.body.contains("href=\"/catalog/"),
        "a draft has no public page"
    );
    assert!(r.body.contains("<legend>Tiếng Anh</legend>"));

    // Publishing without the English text is refused, what was typed is kept.
    let bad = [
        ("status", "published"),
        ("sector", "industry"),
        ("translations.vi.name", "Nhà máy chế biến dừa"),
        ("area_ha", "1.588"),
    ];
    let r = app
        .post("/records/catalog-projects/new", &c, &enc(&bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("translations-en-name-error"), "{}", r.body);
    assert!(r.body.contains("value=\"Nhà máy chế biến dừa\""));
    assert!(r.body.contains("value=\"1.588\""));

    let good = [
        ("status", "draft"),
        ("sector", "industry"),
        ("translations.vi.name", "Nhà máy chế biến dừa"),
        ("translations.vi.summary", "Nước dừa, sữa dừa; dầu dừa."),
        ("area_ha", "370,34"),
        ("capital.amount", "40.000.000"),
        ("capital.currency", "USD"),
        ("countries_of_interest", "JP"),
        ("countries_of_interest", "KR"),
        ("contact.name", "Phòng Hợp tác quốc tế"),
        ("notes", "Nguồn: minh họa"),
    ];
    let r = app
        .post("/records/catalog-projects/new", &c, &enc(&good))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = App::location(&r);
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let rec = app
        .backend
        .get_record(&ngoaivu_core::Scope::All, RecordType::CatalogProject, id)
        .await
        .unwrap();
    assert_eq!(rec.data["area_ha"], "370.34");
    assert_eq!(rec.data["capital"]["amount"], "40000000");
    assert_eq!(rec.data["countries_of_interest"], json!(["JP", "KR"]));
    assert!(rec.data["translations"].get("en").is_none());
    let r = app.get(&loc, &c).await;
    for x in [
        "Nhà máy chế biến dừa",
        "370,34 ha",
        "40.000.000 USD",
        "Nhật Bản",
        "Dự thảo",
    ] {
        assert!(r.body.contains(x), "{x} not on {}", r.body);
    }
    // Not yet public.
    assert_eq!(
        app.get(&format!("/catalog/{id}"), "").await.status,
        StatusCode::NOT_FOUND
    );

    // The edit form carries the stored values; adding English and publishing works.
    let r = app.get(&format!("{loc}/edit"), &c).await;
    assert!(r.body.contains("value=\"370,34\""), "{}", r.body);
    assert!(r.body.contains("<option value=\"KR\" selected>"));
    let mut edit: Vec<(&str, &str)> = good.to_vec();
    edit[0] = ("status", "published");
    edit.push(("translations.en.name", "Coconut processing plant"));
    let r = app.post(&format!("{loc}/edit"), &c, &enc(&edit)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The signed-in page links to the public one once published.
    let r = app.get(&loc, &c).await;
    assert!(
        r.body.contains(&format!("href=\"/catalog/{id}\"")),
        "{}",
        r.body
    );
    let r = app.get(&format!("/catalog/{id}"), EN).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Coconut processing plant"));
    // The English page shows the English name, never the internal note.
    assert!(!r.body.contains("Nguồn: minh họa"));

    // Removing the English text again (a draft may lack it) keeps Vietnamese.
    let mut back: Vec<(&str, &str)> = good.to_vec();
    back[0] = ("status", "withdrawn");
    let r = app.post(&format!("{loc}/edit"), &c, &enc(&back)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.get(&format!("/catalog/{id}"), "").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn public_catalog_without_sign_in() {
    let app = App::new().await;
    let s = &app.service;
    let vl = app.user("vinh-long", "vl", Role::Editor).await;
    let dl = app.user("dak-lak", "dl", Role::Editor).await;
    let coconut = s
        .create(
            &vl,
            RecordType::CatalogProject,
            published(
                "Nhà máy chế biến dừa",
                "Coconut processing plant",
                "industry",
                &["JP", "KR"],
            ),
        )
        .await
        .unwrap();
    let coffee = s
        .create(
            &dl,
            RecordType::CatalogProject,
            published(
                "Nhà máy cà phê Buôn Ma Thuột",
                "Buôn Ma Thuột coffee plant",
                "agriculture",
                &["DE"],
            ),
        )
        .await
        .unwrap();
    let mut draft_body = published("Dự án còn dự thảo", "Draft project", "industry", &["JP"]);
    draft_body["status"] = json!("draft");
    let draft = s
        .create(&vl, RecordType::CatalogProject, draft_body)
        .await
        .unwrap();
    let mut withdrawn_body = published("Dự án đã rút", "Withdrawn project", "energy", &["JP"]);
    withdrawn_body["status"] = json!("withdrawn");
    let withdrawn = s
        .create(&dl, RecordType::CatalogProject, withdrawn_body)
        .await
        .unwrap();
    let partner = s
        .create(
            &vl,
            RecordType::Partner,
            json!({"name": "Đối tác bí mật", "kind": "enterprise", "country": "JP"}),
        )
        .await
        .unwrap();
    let pic = s
        .attach(
            &vl,
            RecordType::CatalogProject,
            coconut.id,
            "Khu đất dự án.png",
            PNG.to_vec(),
            DEFAULT_MAX_BYTES,
        )
        .await
        .unwrap();
    let pdf = s
        .attach(
            &vl,
            RecordType::CatalogProject,
            coconut.id,
            "Tờ trình nội bộ.pdf",
            b"%PDF-1.7 noi bo".to_vec(),
            DEFAULT_MAX_BYTES,
        )
        .await
        .unwrap();
    let draft_pic = s
        .attach(
            &vl,
            RecordType::CatalogProject,
            draft.id,
            "Dự thảo.png",
            PNG.to_vec(),
            DEFAULT_MAX_BYTES,
        )
        .await
        .unwrap();

    // The list, in Vietnamese, without any cookie.
    let r = app.get("/catalog", "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY");
    assert!(!r.body.contains("<script"), "no JavaScript");
    assert!(r.body.contains("<html lang=\"vi\""));
    for x in [
        "Nhà máy chế biến dừa",
        "Nhà máy cà phê Buôn Ma Thuột",
        "40 triệu USD",
        "370,34 ha",
        "2 dự án",
    ] {
        assert!(r.body.contains(x), "{x} not in {}", r.body);
    }
    for x in [
        "Dự án còn dự thảo",
        "Dự án đã rút",
        "Đối tác bí mật",
        "BÍ MẬT NỘI BỘ",
    ] {
        assert!(!r.body.contains(x), "{x} shown publicly");
    }
    assert!(!r.body.contains("BÍ MẬT"));
    assert!(
        r.body
            .contains(&format!("/catalog/{}/pictures/{}", coconut.id, pic.id))
    );

    // Filters: province, sector, country of interest.
    let r = app.get("/catalog?province=dak-lak", "").await;
    assert!(r.body.contains("Buôn Ma Thuột") && !r.body.contains("chế biến dừa"));
    assert!(r.body.contains("<option value=\"dak-lak\" selected>"));
    let r = app.get("/catalog?sector=industry", "").await;
    assert!(!r.body.contains("Buôn Ma Thuột") && r.body.contains("chế biến dừa"));
    let r = app.get("/catalog?country=kr", "").await;
    assert!(!r.body.contains("Buôn Ma Thuột") && r.body.contains("chế biến dừa"));
    let r = app.get("/catalog?country=FR&sector=nonsense", "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("0 dự án"));

    // English with the language cookie.
    let r = app.get("/catalog", EN).await;
    assert!(r.body.contains("<html lang=\"en\""));
    assert!(r.body.contains("Coconut processing plant"));
    assert!(r.body.contains("40 million USD"));
    assert!(r.body.contains("Projects open for investment"));

    // A detail page with its picture, texts, contact; never the notes.
    let r = app.get(&format!("/catalog/{}", coconut.id), "").await;
    assert_eq!(r.status, StatusCode::OK);
    for x in [
        "Miễn tiền thuê đất 11 năm.",
        "Nhật Bản, Hàn Quốc",
        "hoptac@example.vn",
        "Vĩnh Long",
    ] {
        assert!(r.body.contains(x), "{x} not in {}", r.body);
    }
    assert!(!r.body.contains("BÍ MẬT") && !r.body.contains(&pdf.filename));
    let r = app.get(&format!("/catalog/{}", coconut.id), EN).await;
    assert!(r.body.contains("No land rent for 11 years."));

    // Guessed ids: drafts, withdrawn projects, other records, nonsense → 404.
    for id in [
        draft.id.to_string(),
        withdrawn.id.to_string(),
        partner.id.to_string(),
        "999999".into(),
        "abc".into(),
        "-1".into(),
    ] {
        let r = app.get(&format!("/catalog/{id}"), "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "/catalog/{id}");
        assert!(!r.body.contains("Dự án còn dự thảo") && !r.body.contains("Đối tác bí mật"));
    }
    // Pictures: only a published project's PNG or JPEG.
    let r = app
        .get(&format!("/catalog/{}/pictures/{}", coconut.id, pic.id), "")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    for (id, aid) in [
        (coconut.id, pdf.id),
        (draft.id, draft_pic.id),
        (coconut.id, draft_pic.id),
        (coffee.id, pic.id),
    ] {
        let r = app.get(&format!("/catalog/{id}/pictures/{aid}"), "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "picture {aid} of {id}");
    }

    // The JSON feed: JSON Feed 1.1, published projects only, no notes, no usernames.
    let r = app.get("/catalog/feed.json", "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/feed+json")
    );
    let feed: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    // A reader polling the feed gets 304 while nothing changed.
    let tag = r.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = app
        .send(
            Request::get("/catalog/feed.json")
                .header(header::HOST, "ngoaivu.test")
                .header(header::IF_NONE_MATCH, &tag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers[header::ETAG], tag.as_str());
    let items = feed["items"].as_array().unwrap();
    let mut ids: Vec<i64> = items
        .iter()
        .map(|i| i["_catalog"]["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, vec![coconut.id, coffee.id]);
    for bad in [
        "BÍ MẬT",
        "notes",
        "created_by",
        "updated_by",
        "\"vl\"",
        "\"dl\"",
        ".pdf",
    ] {
        assert!(!r.body.contains(bad), "{bad} in the feed");
    }
    let coconut_item = items
        .iter()
        .find(|i| i["_catalog"]["id"] == coconut.id)
        .unwrap();
    assert_eq!(
        coconut_item["url"],
        format!("http://ngoaivu.test/catalog/{}", coconut.id)
    );
    assert_eq!(
        coconut_item["image"],
        format!(
            "http://ngoaivu.test/catalog/{}/pictures/{}",
            coconut.id, pic.id
        )
    );
    assert_eq!(
        coconut_item["_catalog"]["translations"]["en"]["name"],
        "Coconut processing plant"
    );
    let r = app.get("/catalog/feed.json?province=dak-lak", EN).await;
    let feed: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(feed["language"], "en");
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);
    assert_eq!(feed["items"][0]["title"], "Buôn Ma Thuột coffee plant");

    // Public pages change nothing: a POST there is not a route.
    let r = app.post("/catalog", "", "x=1").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

/// The content lines of a calendar, unfolded, after checking every
/// physical line ends with CRLF and holds at most 75 octets.
fn ical_lines(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"));
    for l in text.trim_end_matches("\r\n").split("\r\n") {
        assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        assert!(!l.contains('\n') && !l.contains('\r'));
    }
    unfold(text)
}

/// The events of a calendar as maps of property name (without parameters) to value.
fn vevents(lines: &[String]) -> Vec<std::collections::HashMap<String, String>> {
    let mut out = vec![];
    let mut cur: Option<std::collections::HashMap<String, String>> = None;
    for l in lines {
        match l.as_str() {
            "BEGIN:VEVENT" => cur = Some(Default::default()),
            "END:VEVENT" => out.extend(cur.take()),
            _ => {
                if let Some(m) = cur.as_mut() {
                    let (k, v) = l.split_once(':').unwrap();
                    let name = k.split(';').next().unwrap();
                    m.insert(name.to_owned(), v.to_owned());
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn calendar_feed_behind_a_private_address() {
    let app = App::new().await;
    let s = &app.service;
    let dt = app.user("dong-thap", "dt-editor", Role::Editor).await;
    let dt_approver = app.user("dong-thap", "dt-approver", Role::Approver).await;
    app.user("dong-thap", "dt-viewer", Role::Viewer).await;
    let vl = app.user("vinh-long", "vl-admin", Role::Admin).await;
    let long_purpose = "Xúc tiến thương mại, đầu tư; làm việc với tỉnh Gunma\\Nhật Bản về hợp tác nông nghiệp công nghệ cao và chuyển giao công nghệ bảo quản xoài";
    let trip = s
        .create(
            &dt_approver,
            RecordType::Delegation,
            json!({"direction": "outbound", "purpose": long_purpose, "countries": ["JP"],
                   "leader": {"name": "Nguyễn Văn A", "position": "Phó Chủ tịch UBND tỉnh"},
                   "start_on": "2026-12-30", "end_on": "2026-12-31", "status": "approved",
                   "decided_on": "2026-12-01"}),
        )
        .await
        .unwrap();
    let fair = s
        .create(
            &dt,
            RecordType::Event,
            json!({"kind": "fair", "title": "Hội chợ xoài Cao Lãnh", "place": "Cao Lãnh, Đồng Tháp", "start_on": "2026-06-01"}),
        )
        .await
        .unwrap();
    let cancelled = s
        .create(
            &dt,
            RecordType::Delegation,
            json!({"direction": "inbound", "purpose": "Đoàn doanh nghiệp Hàn Quốc", "countries": ["KR"], "start_on": "2026-09-14", "status": "cancelled"}),
        )
        .await
        .unwrap();
    s.create(
        &vl,
        RecordType::Delegation,
        json!({"direction": "inbound", "purpose": "Đoàn tỉnh Xiêng Khoảng", "countries": ["LA"], "start_on": "2026-06-02"}),
    )
    .await
    .unwrap();

    // A viewer sees the section but no button; an editor makes the address.
    let cv = app.login("dt-viewer").await;
    let r = app.get("/account", &cv).await;
    assert!(r.body.contains("iCalendar") && !r.body.contains("action=\"/account/calendar\""));
    let r = app.post("/account/calendar", &cv, "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let c = app.login("dt-editor").await;
    let r = app.get("/account", &c).await;
    assert!(r.body.contains("action=\"/account/calendar\""));
    assert!(r.body.contains("chưa có địa chỉ lịch"));
    // Cross-site: refused like every state change.
    let cross = axum::http::Request::post("/account/calendar")
        .header(header::HOST, "ngoaivu.test")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, &c)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.send(cross).await.status, StatusCode::FORBIDDEN);

    let r = app.post("/account/calendar", &c, "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    let url = r
        .body
        .split("<code class=\"feed-url\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let path = url.strip_prefix("http://ngoaivu.test").unwrap().to_owned();
    assert!(
        path.starts_with("/calendar/") && path.ends_with(".ics"),
        "{path}"
    );
    // Shown once: the next visit names when and who, not the address.
    let r = app.get("/account", &c).await;
    assert!(!r.body.contains(&path) && r.body.contains("dt-editor"));

    let r = app.get(&path, "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    // Calendar clients poll: 304 while nothing changed.
    let tag = r.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = app
        .send(
            Request::get(path.as_str())
                .header(header::HOST, "ngoaivu.test")
                .header(header::IF_NONE_MATCH, &tag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let lines = ical_lines(&r.body);
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_owned()));
    let events = vevents(&lines);
    assert_eq!(events.len(), 3, "own dated records only: {lines:#?}");
    let by_uid = |uid: &str| events.iter().find(|e| e["UID"] == uid).unwrap();
    let t = by_uid(&format!("delegation-{}@dong-thap.ngoaivu", trip.id));
    assert_eq!(
        unescape_text(&t["SUMMARY"]),
        format!("Đoàn ra: {long_purpose}")
    );
    assert!(t["SUMMARY"].contains("thương mại\\, đầu tư\\; làm việc"));
    assert!(t["SUMMARY"].contains("Gunma\\\\Nhật"));
    assert_eq!(t["DTSTART"], "20261230");
    assert_eq!(t["DTEND"], "20270101", "DTEND is exclusive");
    assert!(t["DTSTAMP"].ends_with('Z') && t["DTSTAMP"].len() == 16);
    assert_eq!(unescape_text(&t["LOCATION"]), "Nhật Bản");
    assert!(
        unescape_text(&t["DESCRIPTION"])
            .contains("Trưởng đoàn: Nguyễn Văn A, Phó Chủ tịch UBND tỉnh\nTrạng thái")
    );
    let f = by_uid(&format!("event-{}@dong-thap.ngoaivu", fair.id));
    assert_eq!(unescape_text(&f["SUMMARY"]), "Hội chợ xoài Cao Lãnh");
    assert_eq!(
        (f["DTSTART"].as_str(), f["DTEND"].as_str()),
        ("20260601", "20260602")
    );
    let k = by_uid(&format!("delegation-{}@dong-thap.ngoaivu", cancelled.id));
    assert_eq!(
        unescape_text(&k["SUMMARY"]),
        "Đoàn vào: Đoàn doanh nghiệp Hàn Quốc"
    );
    assert_eq!(k["STATUS"], "CANCELLED", "a cancelled trip stays, marked");
    assert!(!t.contains_key("STATUS"));
    assert!(
        !r.body.contains("Xiêng Khoảng"),
        "another province's record"
    );
    // Long lines were folded (the purpose is over 75 octets).
    assert!(r.body.contains("\r\n "));

    // Rotation: the old address is 404 like any wrong one; the new one works.
    let r = app.post("/account/calendar", &c, "").await;
    let new_path = r
        .body
        .split("<code class=\"feed-url\">http://ngoaivu.test")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(new_path, path);
    let old = app.get(&path, "").await;
    let wrong = app.get("/calendar/not-a-token.ics", "").await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(old.body, wrong.body, "no hint which addresses once existed");
    assert_eq!(app.get(&new_path, "").await.status, StatusCode::OK);
    assert_eq!(
        app.get(new_path.trim_end_matches(".ics"), "").await.status,
        StatusCode::NOT_FOUND
    );
    let history = s.calendar_token_history(dt.org_id).await.unwrap();
    assert_eq!(history.len(), 2);
}
