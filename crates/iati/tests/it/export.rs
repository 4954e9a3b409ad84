use crate::common::*;
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

/// Every coded attribute in an export is an active code of its IATI list
/// (the schema does not check codelists).
#[test]
fn the_export_uses_only_listed_codes() {
    use ngoaivu_iati::codelists::is_active;
    let bodies = bodies();
    let xml = export(&publisher(), &export_projects(&bodies), generated());
    let checks: &[(&str, &str, &str)] = &[
        ("<activity-status ", "code", "ActivityStatus"),
        ("<activity-date ", "type", "ActivityDateType"),
        ("<participating-org ", "role", "OrganisationRole"),
        ("<participating-org ", "type", "OrganisationType"),
        ("<reporting-org ", "type", "OrganisationType"),
        ("<transaction-type ", "code", "TransactionType"),
        ("<sector ", "code", "Sector"),
        ("<sector ", "vocabulary", "SectorVocabulary"),
        ("<value ", "currency", "Currency"),
        ("<iati-activity ", "default-currency", "Currency"),
        ("<recipient-country ", "code", "Country"),
        ("<location-class ", "code", "GeographicLocationClass"),
        ("<location-reach ", "code", "GeographicLocationReach"),
        ("<budget ", "type", "BudgetType"),
        ("<budget ", "status", "BudgetStatus"),
        ("<description ", "type", "DescriptionType"),
        ("<narrative ", "xml:lang", "Language"),
        ("<iati-activity ", "xml:lang", "Language"),
    ];
    let mut seen = 0;
    for line in xml.lines() {
        for (tag, attr, list) in checks {
            if let Some(rest) = line.trim_start().strip_prefix(tag.trim_end()) {
                let rest = rest.to_owned();
                if let Some(i) = rest.find(&format!(" {attr}=\"")) {
                    let v = &rest[i + attr.len() + 3..];
                    let v = &v[..v.find('"').unwrap()];
                    assert!(is_active(list, v), "{list} has no {v}: {line}");
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 50, "{seen}");
}
