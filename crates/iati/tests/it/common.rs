//! Shared fixtures of the IATI tests: a publisher, realistic projects, the
//! schema check with xmllint, and `prepare` with a province's context.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use ngoaivu_core::records::{Context, RecordType, prepare};
use ngoaivu_core::refdata::refdata;
use ngoaivu_iati::{ExportProject, Publisher};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

pub(crate) fn publisher() -> Publisher {
    Publisher {
        org_slug: "dak-lak".into(),
        org_name_vi: "Sở Ngoại vụ tỉnh Đắk Lắk".into(),
        org_name_en: "Dak Lak Department of Foreign Affairs".into(),
        unit_code: "dak-lak".into(),
        unit_name: "Tỉnh Đắk Lắk".into(),
    }
}

pub(crate) fn generated() -> OffsetDateTime {
    datetime!(2026-12-04 09:30:00 UTC)
}

/// Projects as a province records them: two currencies, disbursements,
/// a former unit's locality, optional fields missing, names with
/// diacritics, `<&>` and characters XML cannot carry.
pub(crate) fn bodies() -> Vec<Value> {
    vec![
        json!({
            "kind": "oda",
            "name": "Dự án Cấp nước sạch & vệ sinh <giai đoạn 2> cho huyện Krông Pắc",
            "country": "JP",
            "sector": "water",
            "capital": {"amount": "12500000.50", "currency": "USD"},
            "disbursed": {"amount": "4000000", "currency": "USD"},
            "approved_on": "2023-03-15",
            "period_from": "2023-06-01",
            "period_until": "2027-12-31",
            "status": "active",
            "disbursements": [
                {"on": "2024-01-20", "amount": {"amount": "1500000", "currency": "USD"}},
                {"on": "2025-02-10", "amount": {"amount": "2500000", "currency": "USD"}}
            ],
            "location": "xã Ea Kênh, huyện Krông Pắc",
            "locality": "dak-lak",
            "notes": "nội bộ: không xuất ra"
        }),
        json!({
            "kind": "ngo_aid",
            "name": "Hỗ trợ sinh kế\u{1} cho phụ nữ dân tộc Ê Đê\u{FFFE}\u{FFFF} \"Buôn Đôn\"",
            "country": "DE",
            "sector": "social",
            "capital": {"amount": "850000", "currency": "EUR"},
            "disbursed": {"amount": "300000", "currency": "EUR"},
            "approved_on": "2024-09-05",
            "period_from": "2024-10-01",
            "period_until": "2025-09-30",
            "status": "completed",
            "disbursements": [
                {"on": "2024-10-15", "amount": {"amount": "300000", "currency": "EUR"}}
            ],
            "locality": "phu-yen"
        }),
        // Only a name, a status and an approval date.
        json!({
            "kind": "ngo_aid",
            "name": "Học bổng cho học sinh nghèo Đắk Lắk",
            "status": "appraisal",
            "approved_on": "2025-11-20"
        }),
        // Nothing dated at all, capital in đồng.
        json!({
            "kind": "oda",
            "name": "Đường giao thông liên xã M'Đrắk",
            "sector": "infrastructure",
            "capital": {"amount": "45000000000", "currency": "VND"},
            "status": "proposed"
        }),
        json!({
            "kind": "oda",
            "name": "Trạm y tế xã Ea Tam (tạm dừng)",
            "country": "KR",
            "sector": "health",
            "capital": {"amount": "1200000", "currency": "USD"},
            "approved_on": "2022-05-04",
            "period_from": "2022-07-01",
            "status": "suspended"
        }),
        // Not aid: left out of the export.
        json!({
            "kind": "fdi",
            "name": "Nhà máy chế biến cà phê",
            "status": "active"
        }),
    ]
}

pub(crate) fn donors() -> Vec<(Option<&'static str>, Option<&'static str>)> {
    vec![
        (Some("Cơ quan Hợp tác Quốc tế Nhật Bản (JICA)"), Some("JP")),
        (Some("Brot für die Welt & <Partner>"), Some("DE")),
        (None, None),
        (Some("Ngân hàng Thế giới"), None),
        (Some("KOICA"), Some("KR")),
        (Some("Công ty X"), Some("SG")),
    ]
}

pub(crate) fn export_projects(bodies: &[Value]) -> Vec<ExportProject<'_>> {
    bodies
        .iter()
        .zip(donors())
        .enumerate()
        .map(|(i, (body, (name, country)))| ExportProject {
            id: 100 + i as i64,
            body,
            donor_name: name.map(str::to_owned),
            donor_country: country.map(str::to_owned),
            updated_at: datetime!(2026-11-30 08:15:42.123 +07:00),
        })
        .collect()
}

/// The slugs a province imports into: its current unit and the former ones.
pub(crate) fn slugs(province: &str) -> Vec<String> {
    refdata().localities_of(province)
}

/// A body as `prepare` leaves it for the province.
pub(crate) fn prepared(body: &Value, province: &str) -> Value {
    let ctx = Context {
        allowed_localities: Some(slugs(province)),
        default_locality: Some(province.to_owned()),
        indicators: &[],
    };
    match prepare(RecordType::Project, body, &ctx) {
        Ok((v, _)) => v,
        Err(e) => panic!("prepare refused {body}: {e:?}"),
    }
}

fn shared_dir() -> PathBuf {
    match std::env::var_os("NGOAIVU_SHARED") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// Validate a document against the IATI 2.03 activity schema with xmllint
/// (Debian package libxml2-utils). Never skipped: a missing xmllint or
/// schema fails the test.
pub(crate) fn assert_valid(xml: &str) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let schema = shared_dir().join("data/iati/iati-activities-schema.xsd");
    assert!(
        schema.exists(),
        "the IATI schema is not at {} (set NGOAIVU_SHARED to the shared folder)",
        schema.display()
    );
    let file = std::env::temp_dir().join(format!(
        "ngoaivu-iati-{}-{}.xml",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint is needed (apt-get install libxml2-utils)");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "xmllint refused the export:\n{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}
