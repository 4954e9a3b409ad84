//! An exported list opened by an independent reader: LibreOffice converts
//! the XLSX to a flat OpenDocument spreadsheet, in which dates must be dates
//! and amounts numbers (not text), with the Vietnamese headers intact.
//! Needs `soffice` (Debian's libreoffice-calc-nogui, which scripts/test
//! installs); the test fails without it rather than passing unread.

use std::process::Command;

use ngoaivu_core::{Lang, RecordType};
use ngoaivu_store::{ListQuery, Service};
use serde_json::json;

use crate::editor;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libreoffice_reads_dates_and_numbers_in_an_export() {
    let b = ngoaivu_store_tests::sqlite().await;
    let svc = Service::new(b.clone());
    let actor = editor(&b, "vinh-long", "vl-lo").await;
    svc.create(
        &actor,
        RecordType::Delegation,
        json!({"direction": "outbound", "purpose": "Đoàn xúc tiến thương mại tại Nhật Bản", "countries": ["JP"],
               "start_on": "2019-04-01", "end_on": "2019-04-06", "budget": {"amount": "250000000", "currency": "VND"},
               "decision_number": "125/QĐ-UBND", "status": "reported"}),
    )
    .await
    .unwrap();
    let bytes = ngoaivu_transfer::export::xlsx(&svc, &actor, ListQuery::new(RecordType::Delegation), Lang::Vi, "http://localhost")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doan.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let out = Command::new("soffice")
        .args(["--headless", &format!("-env:UserInstallation=file://{}/lo", dir.path().display()), "--convert-to", "fods", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run soffice ({e}); install libreoffice-calc-nogui"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fods = std::fs::read_to_string(dir.path().join("doan.fods")).expect("LibreOffice wrote the file");
    assert!(fods.contains("Tên đoàn") && fods.contains("Đoàn xúc tiến thương mại tại Nhật Bản"));
    assert!(
        fods.contains(r#"office:value-type="date" office:date-value="2019-04-01"#),
        "the start date is a date cell"
    );
    assert!(
        fods.contains(r#"office:value-type="float" office:value="250000000""#),
        "the budget is a number cell"
    );
}
