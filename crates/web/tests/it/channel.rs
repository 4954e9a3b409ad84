//! The channel's pages in-process: a request sent through the form, the
//! mission's inbox and answer, the province reading it; who sees the thread
//! (other province, other mission: "not found"; the Ministry: read only);
//! refused moves shown with their reason; CSRF; labels; English.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ngoaivu_core::Role;

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

/// Every `<input>`, `<select>` and `<textarea>` with an id has a `<label for=id>`.
fn assert_labelled(html: &str) {
    for tag in ["<input", "<select", "<textarea"] {
        for (i, _) in html.match_indices(tag) {
            let end = html[i..].find('>').unwrap() + i;
            let el = &html[i..end];
            if el.contains("type=\"hidden\"") {
                continue;
            }
            let Some(id) = el
                .split(" id=\"")
                .nth(1)
                .map(|r| r.split('"').next().unwrap())
            else {
                panic!("field without id: {el}");
            };
            assert!(
                html.contains(&format!("<label for=\"{id}\""))
                    || html.contains(&format!("<label class=\"sr\" for=\"{id}\"")),
                "no label for #{id}: {el}"
            );
        }
    }
}

#[tokio::test]
async fn request_sent_answered_and_read_in_pages() {
    let app = App::new().await;
    app.user("dak-lak", "dl-editor", Role::Editor).await;
    app.user("vinh-long", "vl-editor", Role::Editor).await;
    app.user("dsq-nhat-ban", "nb-editor", Role::Editor).await;
    app.user("dsq-han-quoc", "hq-editor", Role::Editor).await;
    app.user("bo-ngoai-giao", "bng-viewer", Role::Viewer).await;
    let dl = app.login("dl-editor").await;
    let vl = app.login("vl-editor").await;
    let nb = app.login("nb-editor").await;
    let hq = app.login("hq-editor").await;
    let bng = app.login("bng-viewer").await;

    // The form: every field labelled, every mission offered.
    let r = app.get("/requests/new", &dl).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_labelled(&r.body);
    assert!(r.body.contains("Đại sứ quán Việt Nam tại Nhật Bản"));
    // A mission is not offered the form: the reason instead.
    let r = app.get("/requests/new", &nb).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Chỉ địa phương gửi đề nghị"), "{}", r.body);

    // Refused: each field's message, values kept.
    let bad = form(&[
        ("missions", "dsq-nhat-ban"),
        ("subject", ""),
        ("body", "Nội dung"),
        ("sector", "agriculture"),
        ("country", "JP"),
        ("deadline", ""),
    ]);
    let r = app.post("/requests/new", &dl, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"subject-error\""), "{}", r.body);
    assert!(
        r.body.contains("value=\"dsq-nhat-ban\" checked"),
        "the mission stays chosen"
    );

    let ok = form(&[
        ("missions", "dsq-nhat-ban"),
        ("missions", "tlsq-osaka"),
        ("subject", "Tìm đối tác chế biến cà phê"),
        ("body", "Đề nghị giới thiệu doanh nghiệp Nhật Bản."),
        ("sector", "agriculture"),
        ("country", "JP"),
        ("deadline", "2099-03-31"),
    ]);
    let r = app.post("/requests/new", &dl, &ok).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let thread = App::location(&r);
    assert!(
        thread.starts_with("/requests/") && thread.contains("?done=sent&n=2"),
        "{thread}"
    );
    let path = thread.split('?').next().unwrap().to_owned();
    let r = app.get(&thread, &dl).await;
    assert!(r.body.contains("Đã gửi đề nghị tới 2 cơ quan đại diện"));
    assert!(r.body.contains("31/03/2099"));
    // No notes yet: the missions in Japan match by country alone.
    assert!(
        r.body.contains("cùng quốc gia: Nhật Bản"),
        "suggestions with reasons"
    );
    assert_labelled(&r.body);

    // Who sees it.
    assert_eq!(
        app.get(&path, &vl).await.status,
        StatusCode::NOT_FOUND,
        "another province"
    );
    assert_eq!(
        app.get(&path, &hq).await.status,
        StatusCode::NOT_FOUND,
        "another mission"
    );
    let r = app.get(&path, &bng).await;
    assert_eq!(r.status, StatusCode::OK, "the Ministry");
    assert!(
        !r.body.contains("form class=\"record answer\""),
        "no answer form for the Ministry"
    );
    assert!(r.body.contains("chỉ xem"));
    let list = app.get("/requests", &hq).await;
    assert!(
        !list.body.contains("Tìm đối tác chế biến cà phê"),
        "not in another mission's list"
    );

    // The mission: its inbox shows it as new; it answers.
    let r = app.get("/", &nb).await;
    assert_eq!(App::location(&r), "/inbox", "a mission starts at its inbox");
    let inbox = app.get("/inbox", &nb).await;
    assert!(inbox.body.contains("Tìm đối tác chế biến cà phê") && inbox.body.contains(">Mới<"));
    let page = app.get(&path, &nb).await;
    assert!(page.body.contains("value=\"answer\"") && page.body.contains("value=\"ask_back\""));
    assert!(
        !page.body.contains("value=\"reply\""),
        "a mission does not reply as the province"
    );
    // A refused move (replying as the province) shows its reason, text kept.
    let r = app
        .post(
            &format!("{path}/messages"),
            &nb,
            &form(&[("action", "reply"), ("body", "Giữ lại nội dung này")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body
            .contains("Chỉ địa phương gửi đề nghị mới được bổ sung"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Giữ lại nội dung này"));
    // An empty answer: the reason, nothing sent.
    let r = app
        .post(
            &format!("{path}/messages"),
            &nb,
            &form(&[("action", "answer"), ("body", " ")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The form carries the thread's version as the page showed it.
    let mark = "name=\"version\" value=\"";
    let version_in = |body: &str| {
        let at = body.find(mark).expect("the thread's version in the form") + mark.len();
        body[at..at + body[at..].find('"').unwrap()].replace("&quot;", "\"")
    };
    let opened = version_in(&page.body);
    let r = app
        .post(
            &format!("{path}/messages"),
            &nb,
            &form(&[
                ("action", "answer"),
                ("body", "Đã có ba doanh nghiệp quan tâm."),
                ("version", &opened),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let r = app.get(&App::location(&r), &nb).await;
    assert!(r.body.contains("Đã gửi trả lời") && r.body.contains("Đã trả lời"));
    // A second answer typed on the page as it was opened: the thread has
    // changed, so it is shown again with the new message, the text kept,
    // nothing sent.
    let stale = app
        .post(
            &format!("{path}/messages"),
            &nb,
            &form(&[
                ("action", "ask_back"),
                ("body", "Viết trên trang cũ"),
                ("version", &opened),
            ]),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        stale.body.contains("tin của bạn chưa được gửi")
            && stale.body.contains("Viết trên trang cũ"),
        "{}",
        stale.body
    );
    assert!(stale.body.contains("Đã có ba doanh nghiệp quan tâm."));
    assert_ne!(version_in(&stale.body), opened);
    let after = app.get(&path, &nb).await;
    assert!(
        !after.body.contains("<p>Viết trên trang cũ</p>"),
        "not sent"
    );
    // The province: news in its inbox until it opens the thread.
    let inbox = app.get("/inbox", &dl).await;
    assert!(inbox.body.contains("Tìm đối tác chế biến cà phê") && inbox.body.contains(">Mới<"));
    // A file on the thread, downloaded by the province, not by another mission.
    let r = app
        .upload(
            &format!("{path}/attachments"),
            &nb,
            "Danh sách doanh nghiệp.pdf",
            b"%PDF-1.4\n%%EOF\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&path, &dl).await;
    let href = page
        .body
        .split(&format!("href=\"{path}/attachments/"))
        .nth(1)
        .unwrap();
    let aid = href.split('"').next().unwrap();
    assert_eq!(
        app.get(&format!("{path}/attachments/{aid}"), &dl)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("{path}/attachments/{aid}"), &hq)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The province: the answer on the thread.
    let page = app.get(&path, &dl).await;
    assert!(page.body.contains("Đã có ba doanh nghiệp quan tâm."));
    assert!(page.body.contains("Danh sách doanh nghiệp.pdf"));

    // CSRF: a cross-site POST is refused and writes nothing.
    let req = Request::post(format!("{path}/messages"))
        .header(header::HOST, "ngoaivu.test")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, &dl)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form(&[("action", "close"), ("body", "")])))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    assert!(
        app.get(&path, &dl).await.body.contains("Đã trả lời"),
        "still answered"
    );

    // The province closes it: no buttons left.
    let r = app
        .post(
            &format!("{path}/messages"),
            &dl,
            &form(&[("action", "close"), ("body", "")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(&path, &dl).await;
    assert!(page.body.contains("Đề nghị đã đóng.") && !page.body.contains("name=\"action\""));
}

#[tokio::test]
async fn notes_follows_and_english() {
    let app = App::new().await;
    app.user("dak-lak", "dl-editor", Role::Editor).await;
    app.user("dsq-nhat-ban", "nb-editor", Role::Editor).await;
    let dl = app.login("dl-editor").await;
    let nb = app.login("nb-editor").await;

    // Publishing: missions only; the form is labelled and keeps values on error.
    assert_eq!(
        app.get("/market-notes/new", &dl).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.get("/market-notes/new", &nb).await;
    assert_labelled(&r.body);
    assert!(
        r.body.contains("value=\"JP\" selected"),
        "the mission's country is proposed"
    );
    let r = app
        .post(
            "/market-notes/new",
            &nb,
            &form(&[
                ("kind", "early_warning"),
                ("title", ""),
                ("body", "x"),
                ("sector", "agriculture"),
                ("country", "JP"),
                ("date", "2026-02-30"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"title-error\"") && r.body.contains("id=\"date-error\""));
    let r = app
        .post(
            "/market-notes/new",
            &nb,
            &form(&[
                ("kind", "early_warning"),
                ("title", "Cảnh báo hàng giả nhãn Việt Nam"),
                ("body", "Nội dung."),
                ("sector", "trade"),
                ("country", "JP"),
                ("date", "2026-02-03"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let note = App::location(&r);
    let page = app.get(&note, &dl).await;
    assert!(page.body.contains("Cảnh báo sớm") && page.body.contains("03/02/2026"));

    // Follows → inbox.
    let r = app.get("/follows", &dl).await;
    assert_labelled(&r.body);
    let inbox = app.get("/inbox", &app.login("dl-editor").await).await;
    assert!(inbox.body.contains("chưa chọn ngành hay quốc gia"));
    let r = app
        .post(
            "/follows",
            &dl,
            &form(&[("sectors", "trade"), ("countries", "JP")]),
        )
        .await;
    assert_eq!(App::location(&r), "/follows?done=saved");
    // A second user of the province: the note is new for them.
    app.user("dak-lak", "dl-viewer", Role::Viewer).await;
    let viewer = app.login("dl-viewer").await;
    let inbox = app.get("/inbox", &viewer).await;
    assert!(
        inbox.body.contains("Cảnh báo hàng giả nhãn Việt Nam"),
        "{}",
        inbox.body
    );
    assert_eq!(
        app.post("/follows", &viewer, &form(&[("sectors", "trade")]))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // English.
    let en = format!("{viewer}; lang=en");
    let inbox = app.get("/inbox", &en).await;
    assert!(
        inbox
            .body
            .contains("New notes in the sectors and countries you follow")
    );
    assert!(inbox.body.contains(">Early warning<"));
    let notes = app.get("/market-notes", &en).await;
    assert!(notes.body.contains("Market notes") && notes.body.contains("Japan"));
}

/// The Ministry reads a province's record but has no edit button; its
/// writer asks the province to correct it, from the record's page, and the
/// province finds the request in its inbox and answers it.
#[tokio::test]
async fn the_ministry_asks_a_province_to_correct_a_record_from_its_page() {
    use ngoaivu_core::RecordType;
    let app = App::new().await;
    let vl_actor = app.user("vinh-long", "vl-editor", Role::Editor).await;
    app.user("bo-ngoai-giao", "bng-editor", Role::Editor).await;
    app.user("bo-ngoai-giao", "bng-viewer", Role::Viewer).await;
    let rec = app
        .service
        .create(
            &vl_actor,
            RecordType::Event,
            serde_json::json!({"kind": "conference", "title": "Hội nghị xúc tiến đầu tư 2025", "start_on": "2025-03-02"}),
        )
        .await
        .unwrap();
    let vl = app.login("vl-editor").await;
    let bng = app.login("bng-editor").await;
    let viewer = app.login("bng-viewer").await;
    let page = format!("/records/events/{}", rec.id);

    let r = app.get(&page, &bng).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        !r.body.contains(&format!("href=\"{page}/edit\"")),
        "no edit for the Ministry"
    );
    assert!(
        r.body.contains("Đề nghị địa phương chỉnh sửa"),
        "{}",
        r.body
    );
    assert_labelled(&r.body);
    assert!(
        !app.get(&page, &viewer)
            .await
            .body
            .contains("Gửi đề nghị chỉnh sửa"),
        "not for a viewer"
    );
    assert!(
        !app.get(&page, &vl)
            .await
            .body
            .contains("Gửi đề nghị chỉnh sửa"),
        "not for the owner"
    );
    // An empty request is refused; nothing is sent.
    let r = app
        .post(
            &format!("{page}/corrections"),
            &bng,
            &form(&[("body", " ")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .post(
            &format!("{page}/corrections"),
            &bng,
            &form(&[("body", "Ngày bắt đầu là 03/03/2025.")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = App::location(&r);
    assert!(location.starts_with("/requests/"), "{location}");
    let thread = location.split('?').next().unwrap().to_owned();
    let r = app.get(&thread, &bng).await;
    assert!(
        r.body
            .contains("Đề nghị chỉnh sửa: Hội nghị xúc tiến đầu tư 2025"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("Chờ địa phương"),
        "whose turn it is: {}",
        r.body
    );

    // The province: in its inbox, answered from the thread.
    let inbox = app.get("/inbox", &vl).await;
    assert!(
        inbox
            .body
            .contains("Đề nghị chỉnh sửa: Hội nghị xúc tiến đầu tư 2025"),
        "{}",
        inbox.body
    );
    let r = app.get(&thread, &vl).await;
    assert!(
        r.body.contains("Ngày bắt đầu là 03/03/2025.") && r.body.contains("value=\"answer\""),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Trả lời, hoặc đề nghị Bộ Ngoại giao bổ sung"),
        "{}",
        r.body
    );
    let r = app
        .post(
            &format!("{thread}/messages"),
            &vl,
            &form(&[("action", "answer"), ("body", "Đã chỉnh sửa ngày bắt đầu.")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&thread, &bng).await;
    assert!(r.body.contains("Đã chỉnh sửa ngày bắt đầu."));
}
