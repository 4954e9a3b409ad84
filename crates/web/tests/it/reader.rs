//! The report reader in the browser, end to end through the router: paste
//! or upload (PDF and batches queue their documents), review the least
//! certain first, place unplaced figures, save in one transaction, link
//! back from a record to its document; refusals and isolation.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ngoaivu_core::{Actor, RecordType, Role};

const BOUNDARY: &str = "----ngoaivuTestBoundary7MA4YWxk";

/// A multipart body of text fields and files.
fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, bytes) in files {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

impl App {
    async fn reader_post(&self, cookie: &str, body: Vec<u8>) -> Resp {
        let r = Request::post("/reader")
            .header(header::HOST, "ngoaivu.test")
            .header(header::ORIGIN, "http://ngoaivu.test")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::COOKIE, cookie);
        self.send(r.body(Body::from(body)).unwrap()).await
    }

    async fn paste(&self, cookie: &str, text: &str, date: &str) -> Resp {
        self.reader_post(
            cookie,
            multipart(&[("text", text), ("date", date), ("title", "")], &[]),
        )
        .await
    }

    /// Paste, follow the redirect to the document, return (its path, its review page).
    async fn paste_and_open(&self, cookie: &str, text: &str, date: &str) -> (String, Resp) {
        let r = self.paste(cookie, text, date).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let path = App::location(&r);
        assert!(path.starts_with("/reader/documents/"), "{path}");
        let page = self.get(&path, cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        (path, page)
    }
}

/// The fact keys (`o3`, `p0`, `u1`) of a review page, in the order shown.
fn fact_keys(html: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for (i, _) in html.match_indices(".action\" value=\"") {
        let start = html[..i].rfind("name=\"").unwrap() + 6;
        let k = html[start..i].to_owned();
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// The key of the fact whose block contains `needle`.
fn key_of(html: &str, needle: &str) -> String {
    let pos = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not on the page"));
    let start = html[..pos].rfind("id=\"fact-").unwrap() + "id=\"fact-".len();
    html[start..].split('"').next().unwrap().to_owned()
}

fn decisions(keys: &[String], pick: impl Fn(&str) -> &'static str) -> Vec<(String, String)> {
    keys.iter()
        .map(|k| (format!("{k}.action"), pick(k).to_owned()))
        .collect()
}

fn form(pairs: &[(String, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/narrative")
        .join(name);
    std::fs::read_to_string(p).expect("fixture")
}

fn pdf(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../extract/tests/pdfs")
            .join(name),
    )
    .expect("pdf fixture")
}

async fn count(app: &App, actor: &Actor, rt: RecordType) -> i64 {
    app.service
        .list(actor, &ngoaivu_store::ListQuery::new(rt))
        .await
        .unwrap()
        .total
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

#[tokio::test]
async fn paste_review_uncertain_first_save_and_link_back() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-editor", Role::Editor).await;
    app.user("vinh-long", "vl-viewer", Role::Viewer).await;
    app.user("dong-thap", "dt-editor", Role::Editor).await;
    app.user("bo-ngoai-giao", "bng-viewer", Role::Viewer).await;
    let cookie = app.login("vl-editor").await;
    let text = fixture("001_48e1829c32424006.txt");

    // The form: labelled fields, multipart, several files, PDF accepted.
    let home = app.get("/reader", &cookie).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("multipart/form-data") && home.body.contains("Dán nội dung báo cáo")
    );
    assert!(home.body.contains(" multiple") && home.body.contains(".pdf"));
    assert_labelled(&home.body);

    // Paste: kept as a document, then its review screen.
    let (doc_path, r) = app.paste_and_open(&cookie, &text, "2022-12-20").await;
    assert_labelled(&r.body);
    assert!(
        r.body.contains("cần xem kỹ") || r.body.contains("khá chắc") || r.body.contains("rõ ràng")
    );
    // The least certain first: confidences never fall down the list.
    let confs: Vec<f64> = r
        .body
        .split("data-confidence=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(confs.len() > 2, "{confs:?}");
    assert!(confs.windows(2).all(|w| w[0] <= w[1]), "{confs:?}");
    // Every fact says why.
    assert_eq!(
        r.body.matches("class=\"fact-why\"").count(),
        r.body.matches("class=\"fact").count() - r.body.matches("class=\"fact-").count(),
    );
    // The export figure, its words marked in the text; nothing preselected.
    let export = key_of(&r.body, "793.000.000");
    let mark = format!("<mark id=\"f-{export}\">");
    let m = r.body.find(&mark).expect("the figure's words are marked");
    assert!(r.body[m..m + r.body[m..].find("</mark>").unwrap()].contains("793"));
    assert!(!r.body.contains("value=\"accept\" checked"));
    let keys = fact_keys(&r.body);
    assert!(keys.len() > 1, "{keys:?}");

    // Nothing chosen: refused, nothing written.
    let none = app
        .post(
            &format!("{doc_path}/save"),
            &cookie,
            &form(&decisions(&keys, |_| "reject")),
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Chưa chọn mục nào"), "{}", none.body);

    // A failing correction beside an accepted figure: nothing is written.
    let other = keys
        .iter()
        .find(|k| k.starts_with('o') && **k != export)
        .unwrap()
        .clone();
    let mut bad = decisions(&keys, |k| {
        if k == export {
            "accept"
        } else if k == other {
            "correct"
        } else {
            "reject"
        }
    });
    bad.push((format!("{other}.value"), "-5".into()));
    bad.push((format!("{other}.y1"), "2022".into()));
    bad.push((format!("{other}.ptype"), "year".into()));
    let b = app
        .post(&format!("{doc_path}/save"), &cookie, &form(&bad))
        .await;
    assert_eq!(b.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", b.body);
    assert!(b.body.contains("Chưa lưu gì"));
    assert!(
        b.body.contains("value=\"-5\""),
        "the correction is kept on the page"
    );
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 0);

    // Isolation: another province, a viewer, a mission-less Ministry viewer.
    let dt = app.login("dt-editor").await;
    assert_eq!(app.get(&doc_path, &dt).await.status, StatusCode::NOT_FOUND);
    let ok = form(&decisions(&keys, |k| {
        if k == export { "accept" } else { "reject" }
    }));
    assert_eq!(
        app.post(&format!("{doc_path}/save"), &dt, &ok).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&format!("{doc_path}/dismiss"), &dt, "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let bng = app.login("bng-viewer").await;
    let seen = app.get(&doc_path, &bng).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains("Lưu các mục đã chấp nhận"));
    let vcookie = app.login("vl-viewer").await;
    assert_eq!(
        app.post(&format!("{doc_path}/save"), &vcookie, &ok)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Save with only the export figure accepted.
    let s = app.post(&format!("{doc_path}/save"), &cookie, &ok).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    assert!(s.body.contains("Đã lưu 1 số liệu, 0 đối tác"), "{}", s.body);
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 1);
    assert_eq!(count(&app, &editor, RecordType::Partner).await, 0);
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
    // Its audit row names the document.
    let hist = app
        .service
        .history(&editor, RecordType::Observation, obs.id)
        .await
        .unwrap();
    assert_eq!(hist[0].action, "import");
    let doc_id: i64 = doc_path.rsplit('/').next().unwrap().parse().unwrap();
    assert!(
        hist[0]
            .after
            .as_ref()
            .unwrap()
            .to_string()
            .contains(&format!("\"reader_document\":{doc_id}")),
        "{:?}",
        hist[0].after
    );

    // The record links back to the text it came from.
    let detail = app
        .get(&format!("/records/observations/{}", obs.id), &cookie)
        .await;
    let at = detail
        .body
        .find("href=\"/reader/sources/")
        .expect("a link to the source");
    let link: String = detail.body[at + 6..].split('"').next().unwrap().to_owned();
    let go = app.get(&link, &cookie).await;
    assert_eq!(go.status, StatusCode::SEE_OTHER);
    assert_eq!(App::location(&go), doc_path);
    assert_eq!(app.get(&link, &dt).await.status, StatusCode::NOT_FOUND);

    // The home page lists it as reviewed; the same text again is recognised.
    let home = app.get("/reader", &cookie).await;
    assert!(home.body.contains("Đã xem xét gần đây") && home.body.contains("1 mục đã lưu"));
    let (again_path, again) = app.paste_and_open(&cookie, &text, "2022-12-20").await;
    assert_eq!(again_path, doc_path);
    assert!(
        again.body.contains("Văn bản này đã được xem xét"),
        "{}",
        again.body
    );

    // A viewer reads without keeping: a review with nothing to save.
    let v = app.paste(&vcookie, &text, "2022-12-20").await;
    assert_eq!(v.status, StatusCode::OK);
    assert!(v.body.contains("793.000.000") && !v.body.contains("Lưu các mục đã chấp nhận"));
}

#[tokio::test]
async fn unplaced_figures_are_listed_and_can_be_placed() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-place", Role::Editor).await;
    let cookie = app.login("vl-place").await;
    let text = "Báo cáo công tác đối ngoại năm 2023 của tỉnh Vĩnh Long.\n\
        Trong 6 tháng đầu năm 2023, tỉnh Vĩnh Long đón 12 đoàn khách quốc tế. Tỉnh đã tiếp nhận 3,5 triệu USD.\n\
        Năm 2023, tổng kim ngạch xuất khẩu của tỉnh Vĩnh Long đạt 793 triệu USD.";
    let (path, r) = app.paste_and_open(&cookie, text, "2023-12-20").await;
    assert!(r.body.contains("Số liệu chưa xác định được"), "{}", r.body);
    let usd = key_of(&r.body, "3.500.000");
    assert!(usd.starts_with('u'), "{usd}");
    assert!(r.body.contains("<mark class=\"unplaced\""));
    // Placed without an indicator: the error is at the figure.
    let keys = fact_keys(&r.body);
    let mut pairs = decisions(&keys, |k| if k == usd { "place" } else { "reject" });
    pairs.push((format!("{usd}.indicator"), String::new()));
    pairs.push((format!("{usd}.value"), "3.500.000".into()));
    pairs.push((format!("{usd}.ptype"), "year".into()));
    pairs.push((format!("{usd}.y1"), "2023".into()));
    pairs.push((format!("{usd}.locality"), "vinh-long".into()));
    let e = app
        .post(&format!("{path}/save"), &cookie, &form(&pairs))
        .await;
    assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", e.body);
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 0);
    // With an indicator: saved as that indicator, Vietnamese number read.
    pairs.retain(|(k, _)| k != &format!("{usd}.indicator"));
    pairs.push((format!("{usd}.indicator"), "ngo_aid.amount".into()));
    let s = app
        .post(&format!("{path}/save"), &cookie, &form(&pairs))
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let page = app
        .service
        .list(
            &editor,
            &ngoaivu_store::ListQuery::new(RecordType::Observation),
        )
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let o = &page.items[0].data;
    assert_eq!(o["indicator"], "ngo_aid.amount");
    assert_eq!(o["value"], "3500000");
    assert_eq!(o["unit"], "USD");
    assert_eq!(o["period"]["year"], 2023);
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

    let (path, page) = app
        .paste_and_open(
            &cookie,
            "Năm 2022, kim ngạch xuất khẩu của tỉnh Vĩnh Long đạt 5 triệu USD.",
            "2022",
        )
        .await;
    let keys = fact_keys(&page.body);
    let r = app
        .send(
            Request::post(format!("{path}/save"))
                .header(header::HOST, "ngoaivu.test")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &cookie)
                .body(Body::from(form(&decisions(&keys, |_| "accept"))))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 0);
}

/// Accepted partnerships become partners, and signed relations agreements
/// naming them, in one transaction; the rest of the report creates nothing.
#[tokio::test]
async fn accepted_partnerships_become_partners_and_agreements() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-partners", Role::Editor).await;
    let cookie = app.login("vl-partners").await;
    let text = fixture("000_9d5cd8e4fd5c3780.txt");
    let (path, r) = app.paste_and_open(&cookie, &text, "2017-04-13").await;
    let keys = fact_keys(&r.body);
    let partnerships = keys.iter().filter(|k| k.starts_with('p')).count();
    assert!(partnerships >= 2, "{keys:?}");
    let pairs = decisions(&keys, |k| {
        if k.starts_with('p') {
            "accept"
        } else {
            "reject"
        }
    });
    let s = app
        .post(&format!("{path}/save"), &cookie, &form(&pairs))
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    assert!(
        s.body
            .contains(&format!("Đã lưu 0 số liệu, {partnerships} đối tác")),
        "{}",
        s.body
    );
    assert_eq!(count(&app, &editor, RecordType::Observation).await, 0);
    assert_eq!(
        count(&app, &editor, RecordType::Partner).await,
        partnerships as i64
    );
    let mut q = ngoaivu_store::ListQuery::new(RecordType::Agreement);
    q.q = Some("xieng khoang".into());
    let ag = app.service.list(&editor, &q).await.unwrap();
    assert_eq!(
        ag.total, 1,
        "the Xiêng Khoảng agreement is found by its partner's name"
    );
    // The report says it was signed; an editor may not enter an agreement
    // past its approval, so it waits as a draft, saying so, for an approver.
    let data = &ag.items[0].data;
    assert_eq!(data["status"], "draft", "{data}");
    assert!(
        data["notes"]
            .as_str()
            .is_some_and(|n| n.contains("Báo cáo ghi đã ký")),
        "{data}"
    );
    let links = app
        .service
        .links(&editor, RecordType::Agreement, ag.items[0].id)
        .await
        .unwrap();
    assert_eq!(
        links.outgoing.len(),
        1,
        "the agreement names its new partner"
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
    let r = app
        .reader_post(
            &cookie,
            multipart(
                &[("text", ""), ("date", "2022-12-20"), ("title", "")],
                &[("bao-cao.html", html.as_bytes())],
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&App::location(&r), &cookie).await;
    assert!(page.body.contains("793.000.000"), "{}", page.body);
    assert!(
        !page.body.contains("Trang chủ | Tin tức"),
        "site navigation is stripped"
    );
    assert!(
        page.body.contains("<strong>bao-cao</strong>"),
        "the file name is the default title"
    );
    assert!(page.body.contains("HTML"));
}

/// A PDF printed from Word is read with its pages; a batch queues its
/// documents and says which files it refused and why; a document can be
/// put aside.
#[tokio::test]
async fn pdf_and_batch_upload_queue_their_documents() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-batch", Role::Editor).await;
    let cookie = app.login("vl-batch").await;

    // One PDF: straight to its review, with pages.
    let r = app
        .reader_post(
            &cookie,
            multipart(
                &[("date", "2023-12-20")],
                &[("bao-cao-2023.pdf", &pdf("baocao.pdf"))],
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let pdf_path = App::location(&r);
    let page = app.get(&pdf_path, &cookie).await;
    assert!(page.body.contains("PDF · "), "{}", page.body);
    assert!(
        page.body.contains("<span class=\"page\">trang "),
        "each fact names its page"
    );

    // A batch: the same PDF again, a text, a scan and an old .doc.
    let text = "Năm 2023, tổng kim ngạch xuất khẩu của tỉnh Vĩnh Long đạt 800 triệu USD.";
    let body = multipart(
        &[("date", "")],
        &[
            ("bao-cao-2023.pdf", &pdf("baocao.pdf")),
            ("tin-xuat-khau.txt", text.as_bytes()),
            ("ban-quet.pdf", &pdf("scan.pdf")),
            (
                "cu.doc",
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
            ),
        ],
    );
    let b = app.reader_post(&cookie, body.clone()).await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    assert!(
        b.body
            .contains("Đã đưa 2 văn bản vào hàng chờ xem xét; 2 tệp không đọc được."),
        "{}",
        b.body
    );
    assert!(b.body.contains("Đã có từ trước"));
    assert!(b.body.contains("ban-quet.pdf") && b.body.contains("bản quét"));
    assert!(b.body.contains("cu.doc") && b.body.contains(".docx"));
    // In English too.
    let en = app.reader_post(&format!("{cookie}; lang=en"), body).await;
    assert!(
        en.body.contains("a scanned PDF with no text layer"),
        "{}",
        en.body
    );

    // The queue on the home page holds both; put the text aside.
    let home = app.get("/reader", &cookie).await;
    assert!(home.body.contains("Hàng chờ xem xét (2)"), "{}", home.body);
    let docs = app
        .service
        .documents(&editor, Some(ngoaivu_store::DocumentStatus::Queued), 10)
        .await
        .unwrap();
    let txt = docs
        .iter()
        .find(|d| d.file_name == "tin-xuat-khau.txt")
        .unwrap();
    let d = app
        .post(
            &format!("/reader/documents/{}/dismiss", txt.id),
            &cookie,
            "",
        )
        .await;
    assert_eq!(d.status, StatusCode::SEE_OTHER);
    let home = app.get("/reader", &cookie).await;
    assert!(home.body.contains("Hàng chờ xem xét (1)") && home.body.contains("Đã bỏ qua"));

    // Only one bad file: the form again, saying why.
    let one = app
        .reader_post(
            &cookie,
            multipart(&[], &[("ban-quet.pdf", &pdf("scan.pdf"))]),
        )
        .await;
    assert_eq!(one.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(one.body.contains("id=\"file-error\"") && one.body.contains("bản quét"));
}

/// A report larger than the API's 1 MiB JSON limit is still read and saved.
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
    let (path, r) = app.paste_and_open(&cookie, &text, "2022-12-20").await;
    assert!(r.body.contains("793.000.000"));
    let pairs = decisions(&fact_keys(&r.body), |_| "accept");
    let s = app
        .post(&format!("{path}/save"), &cookie, &form(&pairs))
        .await;
    assert_eq!(
        s.status,
        StatusCode::OK,
        "{}",
        &s.body[..s.body.len().min(300)]
    );
    assert!(s.body.contains("Đã lưu 1 số liệu"));
}
