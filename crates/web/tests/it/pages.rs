//! The web pages, end to end through the same router as `ngoaivu serve`:
//! sign-in, CSRF refusal, lists, detail, search, isolation, language.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ngoaivu_core::{RecordType, Role};
use serde_json::json;

/// Every `<input>`, `<select>` and `<textarea>` with an id has a `<label for=id>`.
fn assert_labelled(html: &str) {
    for tag in ["<input", "<select", "<textarea"] {
        for (i, _) in html.match_indices(tag) {
            let end = html[i..].find('>').unwrap() + i;
            let el = &html[i..end];
            if el.contains("type=\"hidden\"") {
                continue;
            }
            let id = el
                .split(" id=\"")
                .nth(1)
                .map(|r| r.split('"').next().unwrap())
                .unwrap_or_else(|| panic!("field without id: {el}"));
            assert!(
                html.contains(&format!("<label for=\"{id}\""))
                    || html.contains(&format!("<label class=\"sr\" for=\"{id}\"")),
                "no label for #{id}: {el}"
            );
        }
    }
}

#[tokio::test]
async fn sign_in_out_and_csrf() {
    let app = App::new().await;
    app.user("vinh-long", "vl-editor", Role::Editor).await;

    let form = app.get("/login", "").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("Đăng nhập")
            && form.body.contains("name=\"username\"")
            && form.body.contains("name=\"password\"")
    );
    assert_labelled(&form.body);
    assert!(form.headers.get(header::CONTENT_SECURITY_POLICY).is_some());

    // No cookie: pages send the visitor to the sign-in form.
    let r = app.get("/records/partners", "").await;
    assert!(r.status.is_redirection());
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/login");

    // A wrong password: 401 and the form again, username kept, message in Vietnamese.
    let r = app
        .post("/login", "", "username=vl-editor&password=sai")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body.contains("Sai tên đăng nhập hoặc mật khẩu"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"vl-editor\""));

    // The right one: 303 to / with an HttpOnly, SameSite cookie.
    let form =
        serde_urlencoded::to_string([("username", "vl-editor"), ("password", PASSWORD)]).unwrap();
    let r = app.post("/login", "", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/");
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        set.starts_with("ngoaivu_session=")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Lax")
            && set.contains("Path=/"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain HTTP: no Secure flag");
    let cookie = set.split(';').next().unwrap().to_owned();

    // A client's own X-Forwarded-Proto does not count (no trusted proxy
    // configured): still no Secure flag. `tests/it/proxy.rs` has the rest.
    let r = app
        .send(
            Request::post("/login")
                .header(header::HOST, "ngoaivu.test")
                .header("x-forwarded-proto", "https")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.clone()))
                .unwrap(),
        )
        .await;
    assert!(
        !r.headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Secure")
    );

    let home = app.get("/", &cookie).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("Tỉnh Vĩnh Long") && home.body.contains("Biên tập"),
        "{}",
        home.body
    );
    for rt in RecordType::ALL {
        assert!(home.body.contains(rt.label(ngoaivu_core::Lang::Vi)));
    }
    assert_labelled(&home.body);

    // CSRF: a POST from another origin or site is refused.
    let r = app
        .send(
            Request::post("/logout")
                .header(header::HOST, "ngoaivu.test")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("từ chối"), "{}", r.body);
    let r = app
        .send(
            Request::post("/logout")
                .header(header::HOST, "ngoaivu.test")
                .header("sec-fetch-site", "cross-site")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/", &cookie).await.status,
        StatusCode::OK,
        "the session survived the refused logouts"
    );

    // Sign out: the session ends and the cookie is cleared.
    let r = app.post("/logout", &cookie, "").await;
    assert!(r.status.is_redirection());
    assert!(
        r.headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert!(app.get("/", &cookie).await.status.is_redirection());

    // The stylesheet is served with a long cache.
    let css = app.get("/static/app.css", "").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers
            .get(header::CACHE_CONTROL)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("max-age=31536000")
    );
}

#[tokio::test]
async fn lists_detail_search_isolation_and_english() {
    let app = App::new().await;
    let vl = app.user("vinh-long", "vl-editor", Role::Editor).await;
    let dt = app.user("dong-thap", "dt-editor", Role::Editor).await;
    app.user("bo-ngoai-giao", "mofa", Role::Viewer).await;
    let s = &app.service;
    // Records of past years in force are an approver's to enter.
    let vl_approver = app.user("vinh-long", "vl-approver", Role::Approver).await;

    let partner = s
        .create(&vl, RecordType::Partner, json!({"name": "Hội hữu nghị Đà Nẵng – Gifu", "kind": "foreign_locality", "country": "JP", "sectors": ["education"]}))
        .await
        .unwrap();
    let agreement = s
        .create(&vl_approver, RecordType::Agreement, json!({"title": "Thỏa thuận hợp tác giáo dục", "kind": "mou", "partner_ids": [partner.id], "status": "in_force", "signed_on": "2023-04-13"}))
        .await
        .unwrap();
    s.create(&vl, RecordType::Observation, json!({"indicator": "trade.export", "period": {"year": 2022}, "value": "793000000", "unit": "USD"}))
        .await
        .unwrap();
    let hidden = s
        .create(
            &dt,
            RecordType::Partner,
            json!({"name": "Tỉnh Đồng Tháp bí mật Đà Nẵng", "kind": "ngo", "country": "KR"}),
        )
        .await
        .unwrap();

    let vlc = app.login("vl-editor").await;

    // Lists: Vietnamese labels and number formatting.
    let r = app.get("/records/partners", &vlc).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Hội hữu nghị Đà Nẵng – Gifu")
            && r.body.contains("Địa phương nước ngoài")
            && r.body.contains("Nhật Bản"),
        "{}",
        r.body
    );
    assert!(r.body.contains("1 bản ghi"));
    assert!(
        !r.body.contains("bí mật"),
        "another province's partner is not listed"
    );
    assert_labelled(&r.body);
    let r = app.get("/records/agreements", &vlc).await;
    assert!(
        r.body.contains("Đang có hiệu lực")
            && r.body.contains("Biên bản ghi nhớ")
            && r.body.contains("13/04/2023"),
        "{}",
        r.body
    );
    let r = app.get("/records/observations", &vlc).await;
    assert!(
        r.body.contains("793.000.000 USD") && r.body.contains("Kim ngạch xuất khẩu"),
        "{}",
        r.body
    );
    for rt in RecordType::ALL {
        let r = app.get(&format!("/records/{}", rt.path()), &vlc).await;
        assert_eq!(r.status, StatusCode::OK, "{}", rt.path());
        assert_labelled(&r.body);
    }

    // A bad filter shows the API's message, not a crash.
    let r = app
        .get("/records/agreements?status=nope&year=abc", &vlc)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("Cần số nguyên từ 1900 đến 2100"),
        "{}",
        r.body
    );

    // Filters and sorting links.
    let r = app.get("/records/agreements?status=draft", &vlc).await;
    assert!(r.body.contains("0 bản ghi"));
    let r = app.get("/records/partners?sort=title", &vlc).await;
    assert!(r.body.contains("sort=-title"));

    // Detail: labels, linked records, history.
    let r = app
        .get(&format!("/records/agreements/{}", agreement.id), &vlc)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Ngày ký")
            && r.body.contains("13/04/2023")
            && r.body.contains("Đang có hiệu lực")
    );
    assert!(
        r.body
            .contains(&format!("href=\"/records/partners/{}\"", partner.id)),
        "linked partner: {}",
        r.body
    );
    assert!(
        r.body.contains("Lịch sử thay đổi")
            && r.body.contains("Tạo mới")
            && r.body.contains("vl-editor")
    );

    // Isolation: another province's record is the same 404 as a missing one.
    let r = app
        .get(&format!("/records/partners/{}", hidden.id), &vlc)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let missing = app.get("/records/partners/999999", &vlc).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body, missing.body);

    // Search without diacritics finds and highlights Đà Nẵng, only within scope.
    let r = app.get("/search?q=da+nang", &vlc).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("<mark>Đà</mark> <mark>Nẵng</mark>"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("bí mật"));
    assert_labelled(&r.body);
    // The Ministry sees both, with the province filter.
    let mc = app.login("mofa").await;
    let r = app.get("/search?q=DA+NANG", &mc).await;
    assert!(r.body.contains("bí mật") && r.body.contains("Gifu"));
    let r = app.get("/records/partners?org=dong-thap", &mc).await;
    assert!(
        r.body.contains("bí mật")
            && !r.body.contains("Gifu")
            && r.body.contains("<label for=\"org\"")
    );

    // English after the switch, and back to the page one came from.
    let r = app
        .send(
            Request::post("/lang")
                .header(header::HOST, "ngoaivu.test")
                .header(
                    header::REFERER,
                    "http://ngoaivu.test/records/agreements?status=in_force",
                )
                .header(header::COOKIE, &vlc)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("lang=en"))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_redirection());
    assert_eq!(
        r.headers.get(header::LOCATION).unwrap(),
        "/records/agreements?status=in_force"
    );
    let lang = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let both = format!("{vlc}; {lang}");
    let r = app.get("/records/agreements", &both).await;
    assert!(
        r.body.contains("In force")
            && r.body.contains("Agreements")
            && r.body.contains("1 record")
            && r.body.contains("<html lang=\"en\""),
        "{}",
        r.body
    );
    let r = app.get("/records/observations", &both).await;
    assert!(r.body.contains("793,000,000 USD") && r.body.contains("Export turnover"));
    // A foreign referer sends one home.
    let r = app
        .send(
            Request::post("/lang")
                .header(header::HOST, "ngoaivu.test")
                .header(header::REFERER, "https://evil.example/x")
                .body(Body::from("lang=vi"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/");
}

#[tokio::test]
async fn create_edit_delete_forms() {
    let app = App::new().await;
    app.user("vinh-long", "vl-editor", Role::Editor).await;
    app.user("vinh-long", "vl-viewer", Role::Viewer).await;
    let c = app.login("vl-editor").await;

    let r = app.get("/records/partners/new", &c).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_labelled(&r.body);

    // Missing name and unknown country: the form again, messages by the fields, values kept.
    let r = app.post("/records/partners/new", &c, "name=&name_original=Gifu-ken&kind=foreign_locality&country=&sectors=education&sectors=trade").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("name-error") && r.body.contains("country-error"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"Gifu-ken\"")
            && r.body.contains("<option value=\"trade\" selected>"),
        "{}",
        r.body
    );
    assert_labelled(&r.body);

    let r = app
        .post(
            "/records/partners/new",
            &c,
            "name=T%E1%BB%89nh+Gifu&kind=foreign_locality&country=JP&sectors=education",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let r = app.get(&loc, &c).await;
    assert!(r.body.contains("Tỉnh Gifu") && r.body.contains("Giáo dục, đào tạo"));

    // An agreement with that partner chosen from the list.
    let r = app.get("/records/agreements/new", &c).await;
    assert!(
        r.body.contains(&format!(
            "<option value=\"{id}\">Tỉnh Gifu (Nhật Bản)</option>"
        )),
        "{}",
        r.body
    );
    assert_labelled(&r.body);
    let r = app.post("/records/agreements/new", &c, &format!("title=Bi%C3%AAn+b%E1%BA%A3n&kind=mou&partner_ids={id}&status=draft&signed_on=2024-02-30")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("signed_on-error") && r.body.contains("2024-02-30"),
        "{}",
        r.body
    );
    let r = app.post("/records/agreements/new", &c, &format!("title=Bi%C3%AAn+b%E1%BA%A3n&kind=mou&partner_ids={id}&status=draft&signed_on=2024-02-28")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Edit: the stored values are in the form; a change is saved.
    let r = app.get(&format!("/records/partners/{id}/edit"), &c).await;
    assert!(r.body.contains("value=\"Tỉnh Gifu\""));
    let r = app
        .post(
            &format!("/records/partners/{id}/edit"),
            &c,
            "name=T%E1%BB%89nh+Gifu+m%E1%BB%9Bi&kind=foreign_locality&country=JP",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(app.get(&loc, &c).await.body.contains("Tỉnh Gifu mới"));

    // A viewer may not create.
    let v = app.login("vl-viewer").await;
    assert_eq!(
        app.get("/records/partners/new", &v).await.status,
        StatusCode::FORBIDDEN
    );

    // Delete: refused while an agreement refers to the partner; confirmation page first.
    let r = app.get(&format!("/records/partners/{id}/delete"), &c).await;
    assert!(r.body.contains("Bạn có chắc muốn xóa"));
    let r = app
        .post(&format!("/records/partners/{id}/delete"), &c, "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

/// The version an edit form was filled from (its hidden `_version`), as a
/// browser would send it back.
fn form_version(body: &str) -> String {
    let start = body
        .find("name=\"_version\" value=\"")
        .unwrap_or_else(|| panic!("no _version in the form: {body}"))
        + "name=\"_version\" value=\"".len();
    let raw = &body[start..start + body[start..].find('"').unwrap()];
    raw.replace("&quot;", "\"")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Two editors open the same record; the second to save is shown both
/// versions side by side, nothing of theirs is lost, and saving again
/// from that page is a choice made knowingly.
#[tokio::test]
async fn two_editors_of_one_record_see_the_conflict() {
    let app = App::new().await;
    app.user("vinh-long", "vl-bt-mot", Role::Editor).await;
    app.user("vinh-long", "vl-bt-hai", Role::Editor).await;
    let one = app.login("vl-bt-mot").await;
    let two = app.login("vl-bt-hai").await;
    let r = app
        .post(
            "/records/partners/new",
            &one,
            "name=T%E1%BB%89nh+Gifu&kind=foreign_locality&country=JP",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let detail = App::location(&r);
    let edit = format!("{detail}/edit");

    let v_one = form_version(&app.get(&edit, &one).await.body);
    let v_two = form_version(&app.get(&edit, &two).await.body);
    assert_eq!(v_one, v_two);

    // The second editor saves first.
    let r = app
        .post(
            &edit,
            &two,
            &format!(
                "_version={}&name={}&kind=foreign_locality&country=JP&notes={}",
                urlencode(&v_two),
                urlencode("Tỉnh Gifu (Nhật Bản)"),
                urlencode("Kết nghĩa từ 2019")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The first, from the version they opened: refused, both shown.
    let mine = format!(
        "_version={}&name={}&kind=foreign_locality&country=JP",
        urlencode(&v_one),
        urlencode("Tỉnh Gifu, Nhật Bản")
    );
    let r = app.post(&edit, &one, &mine).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("người khác đã sửa hồ sơ này"), "{}", r.body);
    assert!(
        r.body.contains("vl-bt-hai"),
        "who saved is named: {}",
        r.body
    );
    let table = &r.body[r
        .body
        .find("<table class=\"conflict\"")
        .expect("the comparison table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(
        table.contains("<td class=\"theirs\">Tỉnh Gifu (Nhật Bản)</td><td class=\"mine\">Tỉnh Gifu, Nhật Bản</td>"),
        "{table}"
    );
    assert!(
        table.contains("<td class=\"theirs\">Kết nghĩa từ 2019</td><td class=\"mine\">—</td>"),
        "{table}"
    );
    assert!(
        !table.contains("Quốc gia") && !table.contains(">JP<"),
        "unchanged fields are not listed: {table}"
    );
    // The form keeps what the first editor typed, and now carries the saved version.
    assert!(
        r.body.contains("value=\"Tỉnh Gifu, Nhật Bản\""),
        "{}",
        r.body
    );
    let v_now = form_version(&r.body);
    assert_ne!(v_now, v_one);
    assert!(
        app.get(&detail, &one)
            .await
            .body
            .contains("Tỉnh Gifu (Nhật Bản)"),
        "nothing of the refused save written"
    );

    // Saving from the conflict page (the notes taken over) goes through.
    let r = app
        .post(
            &edit,
            &one,
            &format!(
                "_version={}&name={}&kind=foreign_locality&country=JP&notes={}",
                urlencode(&v_now),
                urlencode("Tỉnh Gifu, Nhật Bản"),
                urlencode("Kết nghĩa từ 2019")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&detail, &one).await.body;
    assert!(
        page.contains("Tỉnh Gifu, Nhật Bản") && page.contains("Kết nghĩa từ 2019"),
        "{page}"
    );

    // A stale version after that is refused again.
    let r = app
        .post(
            &edit,
            &two,
            &format!(
                "_version={}&name=X&kind=foreign_locality&country=JP",
                urlencode(&v_two)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

/// Lists of names come in Vietnamese alphabetical order unless the user sorts otherwise.
#[tokio::test]
async fn names_list_in_vietnamese_order() {
    let app = App::new().await;
    let vl = app.user("vinh-long", "vl-order", Role::Editor).await;
    for name in [
        "Đông Kinh",
        "Dương Châu",
        "Bình Nhưỡng",
        "Ăn Giang",
        "An Huy",
    ] {
        app.service
            .create(
                &vl,
                RecordType::Partner,
                json!({"name": name, "kind": "foreign_locality", "country": "CN"}),
            )
            .await
            .unwrap();
    }
    let c = app.login("vl-order").await;
    let r = app.get("/records/partners", &c).await;
    assert_eq!(r.status, StatusCode::OK);
    let at = |n: &str| r.body.find(n).unwrap_or_else(|| panic!("{n} missing"));
    let order = [
        "An Huy",
        "Ăn Giang",
        "Bình Nhưỡng",
        "Dương Châu",
        "Đông Kinh",
    ]
    .map(at);
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "not in Vietnamese order: {order:?}"
    );
    // An explicit sort still wins.
    let r = app.get("/records/partners?sort=-title", &c).await;
    assert!(r.body.find("Đông Kinh").unwrap() < r.body.find("An Huy").unwrap());
}

/// The overview names the user's office and province, in both languages.
#[tokio::test]
async fn overview_names_the_office_and_province() {
    let app = App::new().await;
    app.user("vinh-long", "vl-home", Role::Viewer).await;
    let c = app.login("vl-home").await;
    let r = app.get("/", &c).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Sở Ngoại vụ · Tỉnh Vĩnh Long"),
        "{}",
        r.body
    );
    let l = app.post("/lang", &c, "lang=en").await;
    let cookie = l
        .headers
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .chain(std::iter::once(c.as_str()))
        .collect::<Vec<_>>()
        .join("; ");
    let r = app.get("/", &cookie).await;
    assert!(
        r.body
            .contains("Foreign-affairs office: Sở Ngoại vụ · Tỉnh Vĩnh Long"),
        "{}",
        r.body
    );
}
