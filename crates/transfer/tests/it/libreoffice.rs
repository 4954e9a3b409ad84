//! An exported list opened by an independent reader: LibreOffice converts
//! the XLSX to a flat OpenDocument spreadsheet, in which dates must be dates
//! and amounts numbers (not text), with the Vietnamese headers intact.
//! Needs `soffice` (Debian's libreoffice-calc-nogui, which scripts/test
//! installs); the test fails without it rather than passing unread.

use std::process::Command;

use ngoaivu_core::{Lang, RecordType};
use ngoaivu_store::{ListQuery, Service};
use serde_json::json;

use crate::approver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libreoffice_reads_dates_and_numbers_in_an_export() {
    let b = ngoaivu_store_tests::sqlite().await;
    let svc = Service::new(b.clone());
    let actor = approver(&b, "vinh-long", "vl-lo").await;
    svc.create(
        &actor,
        RecordType::Delegation,
        json!({"direction": "outbound", "purpose": "Đoàn xúc tiến thương mại tại Nhật Bản", "countries": ["JP"],
               "start_on": "2019-04-01", "end_on": "2019-04-06", "budget": {"amount": "250000000", "currency": "VND"},
               "decision_number": "125/QĐ-UBND", "status": "reported"}),
    )
    .await
    .unwrap();
    let bytes = ngoaivu_transfer::export::xlsx(
        &svc,
        &actor,
        ListQuery::new(RecordType::Delegation),
        Lang::Vi,
        "http://localhost",
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doan.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let out = Command::new("soffice")
        .args([
            "--headless",
            &format!("-env:UserInstallation=file://{}/lo", dir.path().display()),
            "--convert-to",
            "fods",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run soffice ({e}); install libreoffice-calc-nogui"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fods =
        std::fs::read_to_string(dir.path().join("doan.fods")).expect("LibreOffice wrote the file");
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

/// The sample register saved by LibreOffice as XLS (Excel 97–2003) and as
/// ODS: each reads to the same review as the XLSX it was made from.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xls_and_ods_written_by_libreoffice_read_like_the_xlsx() {
    use ngoaivu_transfer::import::{self, MappingChoice, Upload};
    let b = ngoaivu_store_tests::sqlite().await;
    let svc = Service::new(b.clone());
    let actor = approver(&b, "vinh-long", "vl-xls").await;
    let xlsx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/demo-workbook.xlsx"
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("so-mau.xlsx");
    std::fs::write(&src, &xlsx).unwrap();
    let titles = |r: &import::Review| {
        r.rows
            .iter()
            .map(|x| (x.row, x.title.clone(), x.action))
            .collect::<Vec<_>>()
    };
    let review = |name: String, bytes: Vec<u8>| {
        let (svc, actor) = (svc.clone(), actor.clone());
        async move {
            import::review(
                &svc,
                &actor,
                RecordType::Delegation,
                Upload {
                    file_name: &name,
                    bytes: &bytes,
                },
                &MappingChoice::Propose {
                    sheet: Some("Đoàn ra".into()),
                },
                &ngoaivu_sheets::Limits::default(),
            )
            .await
            .unwrap()
        }
    };
    let expected = review("so-mau.xlsx".into(), xlsx.clone()).await;
    assert_eq!(expected.summary.create, 4, "{:?}", expected.rows);
    for ext in ["xls", "ods"] {
        let out = Command::new("soffice")
            .args([
                "--headless",
                &format!("-env:UserInstallation=file://{}/lo", dir.path().display()),
                "--convert-to",
                ext,
                "--outdir",
            ])
            .arg(dir.path())
            .arg(&src)
            .output()
            .unwrap_or_else(|e| panic!("cannot run soffice ({e}); install libreoffice-calc-nogui"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(dir.path().join(format!("so-mau.{ext}"))).unwrap();
        let got = review(format!("so-mau.{ext}"), bytes).await;
        assert_eq!(got.summary.errors, 0, "{ext}: {:?}", got.rows);
        assert_eq!(titles(&got), titles(&expected), "{ext}");
    }
}
