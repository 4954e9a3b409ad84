use crate::common::*;
use ngoaivu_iati::{export, identifier_in_notes, import};
use serde_json::Value;

/// Export then import gives the same bodies, but for `notes` (internal,
/// never exported; an imported body's notes name the IATI identifier) and
/// `investor_id` (the integrator links the partner from `donor_name`).
#[test]
fn export_then_import_gives_the_same_bodies() {
    let bodies = bodies();
    let projects = export_projects(&bodies);
    let xml = export(&publisher(), &projects, generated());
    let out = import(xml.as_bytes(), &slugs("dak-lak")).unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let aid: Vec<_> = projects
        .iter()
        .filter(|p| p.body["kind"] != "fdi")
        .collect();
    assert_eq!(out.activities.len(), aid.len());
    for (p, a) in aid.iter().zip(&out.activities) {
        let mut want = prepared(p.body, "dak-lak");
        let mut got = prepared(&a.body, "dak-lak");
        assert_eq!(
            identifier_in_notes(got["notes"].as_str().unwrap()),
            Some(format!("VN-NGOAIVU-dak-lak-{}", p.id).as_str())
        );
        assert_eq!(a.iati_identifier, format!("VN-NGOAIVU-dak-lak-{}", p.id));
        for b in [&mut want, &mut got] {
            b.as_object_mut().unwrap().remove("notes");
        }
        // The characters XML cannot carry were dropped on the way out.
        if let Value::String(name) = &mut want["name"] {
            name.retain(|c| !matches!(c, '\u{1}' | '\u{FFFE}' | '\u{FFFF}'));
        }
        assert_eq!(got, want, "project {}", p.id);
        assert_eq!(a.donor_name, p.donor_name, "project {}", p.id);
        assert_eq!(a.donor_country.as_deref(), p.body["country"].as_str());
    }
    // Importing the same file again names the same identifiers, which is
    // what the integrator matches on.
    let again = import(xml.as_bytes(), &slugs("dak-lak")).unwrap();
    assert_eq!(again.activities, out.activities);
}

#[test]
fn another_province_skips_them_all() {
    let bodies = bodies();
    let xml = export(&publisher(), &export_projects(&bodies), generated());
    let out = import(xml.as_bytes(), &slugs("ha-noi")).unwrap();
    assert!(out.activities.is_empty());
    assert_eq!(out.skipped.len(), 5);
    assert!(out.skipped.iter().all(|s| s.code == "not_in_province"));
}
