//! Files the importer refuses whole, each with its code and line.

use crate::common::slugs;
use ngoaivu_iati::{IatiError, MAX_IMPORT_BYTES, import};

fn refused(xml: &[u8]) -> IatiError {
    match import(xml, &slugs("dak-lak")) {
        Ok(out) => panic!("accepted: {out:?}"),
        Err(e) => e,
    }
}

const ACTIVITY: &str = r#"<iati-activity><iati-identifier>A-1</iati-identifier></iati-activity>"#;

#[test]
fn billion_laughs_is_refused_before_anything_is_read() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol9;</iati-identifier></iati-activity></iati-activities>"#;
    let e = refused(xml.as_bytes());
    assert_eq!(e.code, "doctype");
    assert_eq!(e.line, Some(2));
    assert!(
        e.vi.contains("DOCTYPE") && e.vi.contains("bị từ chối"),
        "{}",
        e.vi
    );
}

#[test]
fn any_doctype_is_refused() {
    for xml in [
        r#"<!DOCTYPE iati-activities SYSTEM "http://example.org/x.dtd"><iati-activities version="2.03"/>"#,
        r#"<!DOCTYPE iati-activities><iati-activities version="2.03"/>"#,
        "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<iati-activities version=\"2.03\">&xxe;</iati-activities>",
    ] {
        assert_eq!(refused(xml.as_bytes()).code, "doctype", "{xml}");
    }
}

#[test]
fn an_undeclared_entity_is_malformed() {
    let xml = "<iati-activities version=\"2.03\">\n<iati-activity>\n<iati-identifier>&lol;</iati-identifier></iati-activity></iati-activities>";
    let e = refused(xml.as_bytes());
    assert_eq!(e.code, "xml");
    assert_eq!(e.line, Some(3));
}

#[test]
fn malformed_xml_names_its_line() {
    let xml = "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n <iati-activity>\n  <iati-identifier>A-1</iati-identifier>\n  <title><narrative>x</title>\n </iati-activity>\n</iati-activities>\n";
    let e = refused(xml.as_bytes());
    assert_eq!(e.code, "xml");
    assert_eq!(e.line, Some(5), "{e:?}");
    assert!(e.vi.starts_with("XML không hợp lệ"), "{}", e.vi);
    assert!(e.en.starts_with("Malformed XML"), "{}", e.en);

    let unclosed = "<iati-activities version=\"2.03\">\n<iati-activity>\n<iati-identifier>A-1</iati-identifier>\n";
    let e = refused(unclosed.as_bytes());
    assert_eq!(e.code, "xml");
    assert_eq!(e.line, Some(4));

    let two_roots = format!(
        "<iati-activities version=\"2.03\">{ACTIVITY}</iati-activities>\n<iati-activities version=\"2.03\"/>"
    );
    assert_eq!(refused(two_roots.as_bytes()).code, "xml");
}

#[test]
fn a_huge_file_is_refused_unread() {
    let mut xml = b"<iati-activities version=\"2.03\">".to_vec();
    xml.resize(MAX_IMPORT_BYTES + 1, b' ');
    let e = refused(&xml);
    assert_eq!(e.code, "too_large");
    assert_eq!(e.line, None);
    assert!(e.vi.contains("giới hạn là 50 MiB"), "{}", e.vi);
}

#[test]
fn not_iati_or_not_2x() {
    let e = refused(b"<html><body/></html>");
    assert_eq!(e.code, "root");
    assert!(e.en.contains("<html>"), "{}", e.en);
    let e = refused(b"<iati-organisations version=\"2.03\"/>");
    assert_eq!(e.code, "root");
    assert!(e.vi.contains("tệp tổ chức IATI"), "{}", e.vi);
    for v in ["1.05", "2.00", "3.0", "2.03.1"] {
        let xml = format!("<iati-activities version=\"{v}\">{ACTIVITY}</iati-activities>");
        let e = refused(xml.as_bytes());
        assert_eq!(e.code, "version", "{v}");
        assert!(
            e.vi.contains(v) && e.vi.contains("không được hỗ trợ"),
            "{}",
            e.vi
        );
    }
    let e = refused(format!("<iati-activities>{ACTIVITY}</iati-activities>").as_bytes());
    assert_eq!(e.code, "version");
    for v in ["2.01", "2.02", "2.03"] {
        let xml = format!("<iati-activities version=\"{v}\">{ACTIVITY}</iati-activities>");
        assert!(import(xml.as_bytes(), &slugs("dak-lak")).is_ok(), "{v}");
    }
}

#[test]
fn not_utf8_and_too_deep() {
    let e = refused(b"<iati-activities version=\"2.03\">\n\xff\xfe</iati-activities>");
    assert_eq!(e.code, "encoding");
    assert_eq!(e.line, Some(2));
    let e = refused(
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><iati-activities version=\"2.03\"/>",
    );
    assert_eq!(e.code, "encoding");
    let deep = format!(
        "<iati-activities version=\"2.03\"><iati-activity>{}{}</iati-activity></iati-activities>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    assert_eq!(refused(deep.as_bytes()).code, "too_deep");
}

#[test]
fn an_activity_without_identifier_is_an_error_not_a_refusal() {
    let xml = "\u{FEFF}<iati-activities version=\"2.03\">\n<iati-activity><title><narrative>x</narrative></title></iati-activity>\n</iati-activities>";
    let out = import(xml.as_bytes(), &slugs("dak-lak")).unwrap();
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].code, "identifier");
    assert_eq!(out.errors[0].line, Some(2));
    assert_eq!(out.errors[0].vi, "Hoạt động không có iati-identifier.");
}
