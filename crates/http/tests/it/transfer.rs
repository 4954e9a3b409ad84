//! Data in and out over the API, on both databases: a dry run, the import,
//! the same file again, saved mappings reused, the list exported as CSV and
//! XLSX (formula-looking text written so spreadsheets do not run it, and
//! read back exactly), the template, IATI, and the bad inputs the issue
//! names, each a clear error in both languages with nothing written.

use ngoaivu_core::Role;
use serde_json::json;

use crate::common::*;

const CSV: &str = "Tên đối tác;Loại đối tác;Quốc gia\n\
                   Tỉnh Chungcheong Nam;Địa phương nước ngoài;Hàn Quốc\n\
                   =HYPERLINK(\"http://x\");Doanh nghiệp;Nhật Bản\n";

async fn partner_count(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/partners", Some(token)).await.total()
}

async fn import(app: &TestApp, token: &str, query: &str, ctype: &str, body: Vec<u8>) -> Resp {
    app.raw(
        "POST",
        &format!("/api/v1/partners/imports?{query}"),
        Some(token),
        &[("content-type", ctype)],
        Some(body),
    )
    .await
}

async fn story(app: TestApp) {
    let (_, token) = app.user("vinh-long", "vl-ed", Role::Editor).await;
    let t = token.as_str();

    // A dry run writes nothing.
    let r = import(
        &app,
        t,
        "filename=doi-tac.csv&dry_run=true",
        "text/csv",
        CSV.into(),
    )
    .await;
    r.expect(200, "dry run");
    assert_eq!(r.json["review"]["summary"]["create"], 2, "{}", r.json);
    assert_eq!(partner_count(&app, t).await, 0);

    // The import, saving its mapping.
    let r = import(
        &app,
        t,
        "filename=doi-tac.csv&save_mapping=hang-nam",
        "text/csv",
        CSV.into(),
    )
    .await;
    r.expect(201, "import");
    assert_eq!(
        r.json["outcome"]["created"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(partner_count(&app, t).await, 2);
    let maps = app.get("/api/v1/partners/import-mappings", Some(t)).await;
    assert_eq!(maps.items()[0]["name"], "hang-nam");

    // The same file with the saved mapping: nothing new.
    let r = import(
        &app,
        t,
        "filename=doi-tac.csv&mapping=hang-nam",
        "text/csv",
        CSV.into(),
    )
    .await;
    r.expect(201, "again");
    assert_eq!(r.json["outcome"]["created"], json!([]));
    assert_eq!(r.json["outcome"]["unchanged"], 2);
    let r = import(
        &app,
        t,
        "filename=doi-tac.csv&mapping=khong-co",
        "text/csv",
        CSV.into(),
    )
    .await;
    r.expect(422, "unknown mapping");

    // Exports: CSV by parameter and by Accept; text that looks like a
    // formula is written as text (a leading ') and reads back exactly.
    let csv = app
        .get("/api/v1/partners?format=csv&sort=title", Some(t))
        .await;
    csv.expect(200, "csv");
    let text = String::from_utf8_lossy(&csv.body).into_owned();
    assert!(
        text.starts_with('\u{feff}'),
        "UTF-8 with BOM, so Excel reads the diacritics"
    );
    assert!(text.contains("Tỉnh Chungcheong Nam"));
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(!text.contains(",=HYPERLINK") && !text.contains("\n=HYPERLINK"));
    let by_accept = app
        .raw(
            "GET",
            "/api/v1/partners",
            Some(t),
            &[("accept", "text/csv")],
            None,
        )
        .await;
    assert_eq!(by_accept.body, csv.body);
    let xlsx = app.get("/api/v1/partners?format=xlsx", Some(t)).await;
    xlsx.expect(200, "xlsx");
    assert!(xlsx.body.starts_with(b"PK"));
    let wb =
        ngoaivu_sheets::read(&xlsx.body, "x.xlsx", &ngoaivu_sheets::Limits::default()).unwrap();
    let cells: Vec<String> = wb.sheets[0]
        .rows
        .iter()
        .flatten()
        .map(|c| c.text())
        .collect();
    assert!(
        cells.iter().any(|c| c == "=HYPERLINK(\"http://x\")"),
        "kept as text: {cells:?}"
    );
    let bad = app.get("/api/v1/partners?format=pdf", Some(t)).await;
    bad.expect(422, "unknown format");
    // An export re-imports: nothing new.
    let r = import(
        &app,
        t,
        "filename=export.xlsx",
        "application/octet-stream",
        xlsx.body.clone(),
    )
    .await;
    r.expect(201, "re-import of the export");
    assert_eq!(r.json["outcome"]["created"], json!([]), "{}", r.json);

    // The template.
    let tpl = app
        .get("/api/v1/delegations/template?lang=en", Some(t))
        .await;
    tpl.expect(200, "template");
    assert!(tpl.body.starts_with(b"PK"));

    // Bad inputs: each a clear error, in Vietnamese or English, nothing written.
    let before = partner_count(&app, t).await;
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "doi-tac.xlsx",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(),
            422,
            "not_a_spreadsheet",
        ),
        (
            "doi-tac.xlsx",
            b"PK\x03\x04 broken zip".to_vec(),
            422,
            "corrupt",
        ),
        ("doi-tac.csv", b"Ten;Loai\n".to_vec(), 422, "no_rows"),
        ("doi-tac.csv", b"a;b\n1;2\n".to_vec(), 422, "no_header"),
        (
            "doi-tac.xlsx",
            vec![0u8; 51 * 1024 * 1024],
            413,
            "too_large",
        ),
    ];
    for (name, body, status, code) in cases {
        for lang in ["vi", "en"] {
            let r = app
                .raw(
                    "POST",
                    &format!("/api/v1/partners/imports?filename={name}"),
                    Some(t),
                    &[
                        ("content-type", "application/octet-stream"),
                        ("accept-language", lang),
                    ],
                    Some(body.clone()),
                )
                .await;
            assert_eq!(r.status, status, "{name} ({code}): {}", r.json);
            assert_eq!(r.error(), code, "{name}: {}", r.json);
            let msg = r.message().to_string();
            assert!(!msg.is_empty());
            if lang == "vi" {
                assert!(msg.chars().any(|c| "ệạảấờểữốọ".contains(c)), "{msg}");
            } else {
                assert!(
                    msg.is_ascii() || !msg.chars().any(|c| "ệạảấờểữố".contains(c)),
                    "{msg}"
                );
            }
        }
    }
    // A row with an error: the review, 422, nothing written.
    let r = import(
        &app,
        t,
        "filename=x.csv",
        "text/csv",
        "Tên đối tác;Loại đối tác;Quốc gia\nTỉnh A;Địa phương nước ngoài;Xứ Lạ\nTỉnh B;Địa phương nước ngoài;Lào\n".into(),
    )
    .await;
    r.expect(422, "a row with an error");
    assert_eq!(r.error(), "import_has_errors");
    assert_eq!(
        r.json["review"]["rows"][0]["errors"][0]["cell"], "CSV!C2",
        "{}",
        r.json
    );
    assert_eq!(partner_count(&app, t).await, before);

    // A viewer may not import.
    let (_, viewer) = app.user("vinh-long", "vl-viewer", Role::Viewer).await;
    let r = import(
        &app,
        &viewer,
        "filename=doi-tac.csv",
        "text/csv",
        CSV.into(),
    )
    .await;
    r.expect(403, "viewer");

    // IATI: DOCTYPE refused; the export is XML.
    let r = app
        .raw(
            "POST",
            "/api/v1/projects/iati?filename=x.xml",
            Some(t),
            &[("content-type", "application/xml")],
            Some(b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><iati-activities version=\"2.03\"/>".to_vec()),
        )
        .await;
    r.expect(422, "DOCTYPE");
    assert_eq!(r.error(), "doctype");
    let x = app.get("/api/v1/projects/iati", Some(t)).await;
    x.expect(200, "iati");
    assert!(String::from_utf8_lossy(&x.body).contains("<iati-activities"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_and_exports_over_the_api() {
    on_both_backends("transfer", story).await;
}
