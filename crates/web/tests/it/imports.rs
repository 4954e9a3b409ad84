//! The import page and the export links, in-process: upload, the review
//! with an error at its cell and nothing written, a corrected mapping, the
//! confirmation, the same file again, refusals (viewer, a PDF renamed
//! .xlsx, a gone upload), and a list exported with its filter.

use crate::common::*;
use axum::http::StatusCode;
use ngoaivu_core::{RecordType, Role};

/// Partners as an office's CSV (semicolons, as Excel writes with
/// Vietnamese settings); `country_of_third` lets the third row be wrong.
fn partners_csv(country_of_third: &str) -> Vec<u8> {
    format!(
        "DANH SÁCH ĐỐI TÁC;;\n\
         Tên đối tác;Loại đối tác;Quốc gia;Ghi chú nội bộ\n\
         Tỉnh Chungcheong Nam;Địa phương nước ngoài;Hàn Quốc;kết nghĩa\n\
         Tỉnh Gelderland;Địa phương nước ngoài;Hà Lan;\n\
         Quỹ Hữu nghị;Tổ chức phi chính phủ nước ngoài;{country_of_third};\n"
    )
    .into_bytes()
}

fn token_of(body: &str) -> String {
    let at = body
        .find("name=\"token\" value=\"")
        .expect("the review carries its upload's token");
    body[at + 20..at + 52].to_string()
}

#[tokio::test]
async fn a_workbook_through_the_import_page() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-editor", Role::Editor).await;
    app.user("vinh-long", "vl-viewer", Role::Viewer).await;
    let cookie = app.login("vl-editor").await;

    // The list offers the export and the import.
    let list = app.get("/records/partners", &cookie).await;
    assert!(
        list.body.contains("/records/partners/export.xlsx"),
        "{}",
        list.body
    );
    assert!(list.body.contains("/records/partners/import"));
    let page = app.get("/records/partners/import", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/records/partners/template.xlsx"));

    // A country that does not exist: the error at its cell, nothing written.
    let r = app
        .upload(
            "/records/partners/import",
            &cookie,
            "doi-tac.csv",
            &partners_csv("Xứ Không Có"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("3 dòng: 2 tạo mới, 0 cập nhật, 0 không đổi, 1 có lỗi"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<mark class=\"cell\">CSV!C5</mark>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Xứ Không Có"));
    assert!(
        !r.body.contains("value=\"import\""),
        "no import button while errors remain"
    );
    assert!(
        app.service
            .own_records(&editor, RecordType::Partner)
            .await
            .unwrap()
            .is_empty()
    );

    // Fixed, and the unmapped notes column mapped by hand: imported.
    let r = app
        .upload(
            "/records/partners/import",
            &cookie,
            "doi-tac.csv",
            &partners_csv("Nhật Bản"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = token_of(&r.body);
    let form = format!(
        "token={token}&sheet=CSV&col0=name&col1=kind&col2=country&col3=notes&action=import&save_name=Doi+tac+hang+nam"
    );
    let done = app
        .post("/records/partners/import/review", &cookie, &form)
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("3 bản ghi mới"), "{}", done.body);
    let partners = app
        .service
        .own_records(&editor, RecordType::Partner)
        .await
        .unwrap();
    assert_eq!(partners.len(), 3);
    let chungcheong = partners
        .iter()
        .find(|p| p.data["name"] == "Tỉnh Chungcheong Nam")
        .unwrap();
    assert_eq!(chungcheong.data["country"], "KR");
    assert_eq!(
        chungcheong.data["notes"], "kết nghĩa",
        "the column mapped by hand"
    );
    let saved = app
        .service
        .mappings(&editor, RecordType::Partner)
        .await
        .unwrap();
    assert_eq!(saved.len(), 1);
    // The upload is gone once imported.
    let again = app
        .post("/records/partners/import/review", &cookie, &form)
        .await;
    assert_eq!(again.status, StatusCode::GONE);

    // The same file again, with the saved mapping: nothing new.
    let r = app
        .upload(
            "/records/partners/import",
            &cookie,
            "doi-tac.csv",
            &partners_csv("Nhật Bản"),
        )
        .await;
    assert!(r.body.contains("3 dòng: 0 tạo mới"), "{}", r.body);

    // A list exported with its filter.
    let csv = app
        .get("/records/partners/export.csv?country=KR", &cookie)
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("Tỉnh Chungcheong Nam"));
    assert!(!csv.body.contains("Tỉnh Gelderland"), "the filter is kept");
    let xlsx = app.get("/records/partners/export.xlsx", &cookie).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(
        xlsx.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );

    // Refusals: a viewer; a PDF named .xlsx.
    let viewer = app.login("vl-viewer").await;
    let r = app.get("/records/partners/import", &viewer).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .upload(
            "/records/partners/import",
            &cookie,
            "doi-tac.xlsx",
            b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("PDF"), "{}", r.body);
    assert_eq!(
        app.service
            .own_records(&editor, RecordType::Partner)
            .await
            .unwrap()
            .len(),
        3
    );
}
