//! The report reader review screen, end to end: paste, review, save, rollback, refusals.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use ngoaivu_core::{Actor, RecordType, Role};

const BOUNDARY: &str = "----ngoaivuTestBoundary7MA4YWxk";

fn multipart(fields: &[(&str, &str)]) -> String {
    let mut b = String::new();
    for (k, v) in fields {
        b.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    b.push_str(&format!("--{BOUNDARY}--\r\n"));
    b
}

impl App {
    async fn paste(&self, cookie: &str, text: &str, date: &str) -> Resp {
        let r = Request::post("/reader")
            .header(header::HOST, "ngoaivu.test")
            .header(header::ORIGIN, "http://ngoaivu.test")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::COOKIE, cookie);
        let body = multipart(&[("text", text), ("date", date), ("title", "")]);
        self.send(r.body(Body::from(body)).unwrap()).await
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The hidden inputs of a page, as form pairs.
fn hidden_pairs(html: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    for (i, _) in html.match_indices("<input type=\"hidden\" name=\"") {
        let rest = &html[i + "<input type=\"hidden\" name=\"".len()..];
        let name = rest.split('"').next().unwrap();
        let rest = &rest[name.len()..];
        let Some(v) = rest.strip_prefix("\" value=\"") else {
            continue;
        };
        let value = v.split('"').next().unwrap();
        out.push((unescape(name), unescape(value)));
    }
    out
}

/// The fact keys (`o3`, `p0`) of a review page.
fn fact_keys(pairs: &[(String, String)]) -> Vec<String> {
    pairs
        .iter()
        .filter_map(|(k, _)| k.strip_suffix(".orig").map(str::to_owned))
        .collect()
}

fn fixture() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/narrative/001_48e1829c32424006.txt");
    std::fs::read_to_string(p).expect("fixture")
}

async fn count(app: &App, actor: &Actor, rt: RecordType) -> i64 {
    app.service
        .list(actor, &ngoaivu_store::ListQuery::new(rt))
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn paste_review_save_and_recognise() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-editor", Role::Editor).await;
    app.user("vinh-long", "vl-viewer", Role::Viewer).await;
    let cookie = app.login("vl-editor").await;
    let text = fixture();

    // The form: labelled fields, multipart.
    let form = app.get("/reader", &cookie).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("multipart/form-data") && form.body.contains("Dán nội dung báo cáo")
    );
    assert_labelled(&form.body);

    // Paste: the review screen lists the export figure, marked in the text.
    let r = app.paste(&cookie, &text, "2022-12-20").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_labelled(&r.body);
    assert!(!r.body.contains("đã được xem xét trước đây"));
    let pos = r.body.find("793.000.000").expect("export figure listed");
    let block_start = r.body[..pos].rfind("class=\"fact").unwrap();
    let link = &r.body[block_start..pos];
    let n: usize = link
        .split("href=\"#f-")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mark = format!("<mark id=\"f-{n}\">");
    let m = r.body.find(&mark).expect("the figure's words are marked");
    let marked = &r.body[m..m + r.body[m..].find("</mark>").unwrap()];
    assert!(marked.contains("793"), "{marked}");
    // Nothing is preselected as accepted.
    assert!(!r.body.contains("value=\"accept\" checked"));

    // Save with only the export figure accepted.
    let mut pairs = hidden_pairs(&r.body);
    let keys = fact_keys(&pairs);
    assert!(keys.len() > 1, "{keys:?}");
    let export_key = format!("o{n}");
    assert!(keys.contains(&export_key));
    for k in &keys {
        let a = if *k == export_key { "accept" } else { "reject" };
        pairs.push((format!("{k}.action"), a.to_owned()));
    }
    let save_form = serde_urlencoded::to_string(&pairs).unwrap();
    let s = app.post("/reader/save", &cookie, &save_form).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    assert!(s.body.contains("Đã lưu 1 số liệu, 0 đối tác"), "{}", s.body);

    assert_eq!(count(&app, &editor, RecordType::Observation).await, 1);
    assert_eq!(count(&app, &editor, RecordType::Partner).await, 0);
    assert_eq!(count(&app, &editor, RecordType::Agreement).await, 0);
    let page = app
        .service
        .list(
            &editor,
            &ngoaivu_store::ListQuery::new(RecordType::Observation),
        )
        .await
        .unwrap();
    let obs = &page.items[0];
    assert_eq!(obs.data["indicator"], "trade.export");
    assert_eq!(obs.data["value"], "793000000");
    assert_eq!(obs.data["change_pct"], "37.91");
    assert_eq!(obs.data["source"], "reader");
    assert_eq!(obs.data["locality"], "vinh-long");
    assert!(
        obs.data["source_document"]
            .as_str()
            .unwrap()
            .contains("sha256:")
    );
    let att = app
        .service
        .attachments(&editor, RecordType::Observation, obs.id)
        .await
        .unwrap();
    assert_eq!(att.len(), 1);

    // The same text again: recognised.
    let again = app.paste(&cookie, &text, "2022-12-20").await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(
        again
            .body
            .contains("Văn bản này đã được xem xét trước đây: 1 số liệu đã lưu."),
        "{}",
        again.body
    );

    // A viewer may read but not save.
    let vcookie = app.login("vl-viewer").await;
    let v = app.paste(&vcookie, &text, "2022-12-20").await;
    assert_eq!(v.status, StatusCode::OK);
    assert!(!v.body.contains("Lưu các mục đã chấp nhận"));
    let v = app.post("/reader/save", &vcookie, &save_form).await;
    assert_eq!(v.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 1);

    // A failing fact rolls back what the save created: a correct with a bad
    // value after the export figure is accepted.
    let mut bad = hidden_pairs(&r.body);
    let other = keys
        .iter()
        .find(|k| k.starts_with('o') && **k != export_key)
        .unwrap();
    for k in &keys {
        let a = if *k == export_key {
            "accept"
        } else if k == other {
            "correct"
        } else {
            "reject"
        };
        bad.push((format!("{k}.action"), a.to_owned()));
    }
    bad.push((format!("{other}.value"), "-5".into()));
    bad.push((format!("{other}.y1"), "2022".into()));
    let b = app
        .post(
            "/reader/save",
            &cookie,
            &serde_urlencoded::to_string(&bad).unwrap(),
        )
        .await;
    assert_eq!(b.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", b.body);
    assert!(b.body.contains("Chưa lưu gì"));
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 1);
}

#[tokio::test]
async fn empty_paste_bad_date_and_csrf() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-editor", Role::Editor).await;
    let cookie = app.login("vl-editor").await;

    let r = app.paste(&cookie, "   \r\n ", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Chưa có nội dung"), "{}", r.body);
    assert!(r.body.contains("id=\"text-error\""));

    let r = app
        .paste(
            &cookie,
            "Năm 2022, xuất khẩu đạt 5 triệu USD.",
            "20-12-2022",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ngày không hợp lệ") && r.body.contains("value=\"20-12-2022\""));
    assert!(r.body.contains("xuất khẩu đạt 5 triệu USD"), "text kept");

    let form = "text=N%C4%83m+2022&title=x&o0.orig=%7B%7D&o0.action=accept";
    let r = app
        .send(
            Request::post("/reader/save")
                .header(header::HOST, "ngoaivu.test")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &cookie)
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 0);
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

/// Accepted partnerships become partners, and signed relations agreements
/// naming them; the rest of the report creates nothing.
#[tokio::test]
async fn accepted_partnerships_become_partners_and_agreements() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-partners", Role::Editor).await;
    let cookie = app.login("vl-partners").await;
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/narrative/000_9d5cd8e4fd5c3780.txt");
    let text = std::fs::read_to_string(p).expect("fixture");
    let r = app.paste(&cookie, &text, "2017-04-13").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut pairs = hidden_pairs(&r.body);
    let keys = fact_keys(&pairs);
    let partnerships: Vec<&String> = keys.iter().filter(|k| k.starts_with('p')).collect();
    assert!(partnerships.len() >= 2, "{keys:?}");
    // Accept every partnership, reject every figure.
    for k in &keys {
        let a = if k.starts_with('p') {
            "accept"
        } else {
            "reject"
        };
        pairs.push((format!("{k}.action"), a.to_owned()));
    }
    let s = app
        .post(
            "/reader/save",
            &cookie,
            &serde_urlencoded::to_string(&pairs).unwrap(),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    assert!(
        s.body
            .contains(&format!("Đã lưu 0 số liệu, {} đối tác", partnerships.len())),
        "{}",
        s.body
    );
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 0);
    assert_eq!(
        count(&app, &editor, RecordType::Partner).await,
        partnerships.len() as i64
    );
    let mut q = ngoaivu_store::ListQuery::new(RecordType::Agreement);
    q.q = Some("xieng khoang".into());
    let ag = app.service.list(&editor, &q).await.unwrap();
    assert_eq!(
        ag.total, 1,
        "the Xiêng Khoảng agreement is found by its partner's name"
    );
    let links = app
        .service
        .links(&editor, RecordType::Agreement, ag.items[0].id)
        .await
        .unwrap();
    assert_eq!(links.outgoing.len(), 1);
    assert_eq!(
        app.service
            .attachments(&editor, RecordType::Agreement, ag.items[0].id)
            .await
            .unwrap()
            .len(),
        1,
        "the report is attached"
    );
}

/// A report uploaded as an HTML file (with site navigation and entities) is
/// read like a pasted one.
#[tokio::test]
async fn uploaded_html_report_is_read() {
    let app = App::new().await;
    app.user("vinh-long", "vl-upload", Role::Editor).await;
    let cookie = app.login("vl-upload").await;
    let html = "<html><head><title>Báo cáo</title><style>p{}</style></head><body>\
        <nav><a href=\"/\">Trang chủ</a> | <a href=\"/tin\">Tin tức</a></nav>\
        <p>Năm 2022, tổng kim ngạch xuất khẩu của tỉnh Vĩnh Long đạt 793 triệu USD, tăng 37,91% so với năm 2021.</p>\
        <footer>&copy; Báo Vĩnh Long</footer></body></html>";
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bao-cao.html\"\r\nContent-Type: text/html\r\n\r\n{html}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"date\"\r\n\r\n2022-12-20\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n\r\n--{BOUNDARY}--\r\n"
    );
    let r = Request::post("/reader")
        .header(header::HOST, "ngoaivu.test")
        .header(header::ORIGIN, "http://ngoaivu.test")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, &cookie);
    let resp = app.send(r.body(Body::from(body)).unwrap()).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert!(
        resp.body.contains("793.000.000"),
        "the figure is read from the file: {}",
        resp.body
    );
    assert!(
        !resp.body.contains("Trang chủ | Tin tức"),
        "site navigation is stripped"
    );
    assert!(
        resp.body.contains("bao-cao"),
        "the file name is the default title"
    );
}

/// A report larger than the API's 1 MiB JSON limit is still read.
#[tokio::test]
async fn large_pasted_report_is_accepted() {
    let app = App::new().await;
    app.user("vinh-long", "vl-large", Role::Editor).await;
    let cookie = app.login("vl-large").await;
    let filler = "Tỉnh tiếp tục triển khai công tác đối ngoại theo kế hoạch. ".repeat(30_000);
    let text = format!(
        "{filler}\nNăm 2022, tổng kim ngạch xuất khẩu của tỉnh Vĩnh Long đạt 793 triệu USD."
    );
    assert!(text.len() > 1024 * 1024);
    let r = app.paste(&cookie, &text, "2022-12-20").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        &r.body[..r.body.len().min(300)]
    );
    assert!(r.body.contains("793.000.000"));
    // Saving carries the whole text back, also over 1 MiB.
    let mut pairs = hidden_pairs(&r.body);
    for k in fact_keys(&pairs) {
        pairs.push((format!("{k}.action"), "accept".to_owned()));
    }
    let s = app
        .post(
            "/reader/save",
            &cookie,
            &serde_urlencoded::to_string(&pairs).unwrap(),
        )
        .await;
    assert_eq!(
        s.status,
        StatusCode::OK,
        "{}",
        &s.body[..s.body.len().min(300)]
    );
    assert!(
        s.body.contains("Đã lưu 1 số liệu"),
        "{}",
        &s.body[..s.body.len().min(300)]
    );
}
