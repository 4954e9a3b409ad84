mod common;

use common::*;
use ngoaivu_iati::{export, import, org_ref};

#[test]
fn export_is_valid_iati_2_03() {
    let bodies = bodies();
    let xml = export(&publisher(), &export_projects(&bodies), generated());
    assert_valid(&xml);
    // One activity per aid project; the FDI project is left out.
    assert_eq!(xml.matches("<iati-activity ").count(), 5);
    assert!(!xml.contains("cà phê"));
    assert!(xml.contains("<iati-identifier>VN-NGOAIVU-dak-lak-100</iati-identifier>"));
    assert!(xml.contains(r#"<reporting-org ref="VN-NGOAIVU-dak-lak" type="11">"#));
    // Escaped, and the characters XML cannot carry are gone.
    assert!(xml.contains("Cấp nước sạch &amp; vệ sinh &lt;giai đoạn 2&gt;"));
    assert!(xml.contains("Brot für die Welt &amp; &lt;Partner&gt;"));
    assert!(!xml.contains('\u{1}') && !xml.contains('\u{FFFE}') && !xml.contains('\u{FFFF}'));
    // Internal notes are never published.
    assert!(!xml.contains("nội bộ"));
    // Money in its own currency, with its date.
    assert!(xml.contains(r#"<value currency="USD" value-date="2024-01-20">1500000</value>"#));
    assert!(xml.contains(r#"<value currency="EUR" value-date="2024-09-05">850000</value>"#));
    assert!(xml.contains(r#"<value currency="VND" value-date="2026-11-30">45000000000</value>"#));
    // Phú Yên (merged into Đắk Lắk) keeps its own place and former code.
    assert!(xml.contains(r#"<location ref="VN-GSO-LEGACY-54">"#));
    assert!(xml.contains(r#"<location ref="VN-GSO-2025-66">"#));
    assert!(xml.contains(r#"<sector vocabulary="1" code="14010" percentage="100"/>"#));
    assert!(xml.contains(r#"last-updated-datetime="2026-11-30T08:15:42+07:00""#));
}

#[test]
fn an_empty_export_is_well_formed() {
    // The schema wants at least one activity, so an empty list is not
    // schema-valid; it is still a document the importer reads as nothing.
    let xml = export(&publisher(), &[], generated());
    assert!(xml.contains(r#"<iati-activities version="2.03""#));
    let out = import(xml.as_bytes(), &slugs("dak-lak")).unwrap();
    assert!(out.activities.is_empty() && out.errors.is_empty());
}

#[test]
fn org_ref_scheme() {
    assert_eq!(org_ref(&publisher()), "VN-NGOAIVU-dak-lak");
}

#[test]
#[ignore]
fn print_export() {
    let bodies = bodies();
    println!("{}", export(&publisher(), &export_projects(&bodies), generated()));
}
