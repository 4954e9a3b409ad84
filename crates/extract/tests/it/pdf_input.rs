//! PDF input: a Word-style report printed to PDF, scans, encrypted and
//! hostile files (see `tests/pdfs/README.md`).

use std::time::{Duration, Instant};

use ngoaivu_extract::pdf::{PdfError, PdfLimits, text_from_pdf, text_from_pdf_with};
use ngoaivu_extract::{DocDate, Extractor, Indicator, ReadError, read_document};

fn pdf(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/pdfs/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn a_report_printed_to_pdf_reads_in_order_without_headers_and_footers() {
    let t = text_from_pdf(&pdf("baocao.pdf")).unwrap();
    assert_eq!(t.page_starts.len(), 3, "{:?}", t.page_starts);
    // Vietnamese through the fonts' ToUnicode maps.
    assert!(
        t.text
            .contains("Năm 2022, tỉnh Bình Định đã đón 42 đoàn khách nước ngoài")
    );
    // Running header and page-number footer removed.
    assert!(!t.text.contains("SỞ NGOẠI VỤ"), "{}", t.text);
    assert!(
        !t.text.lines().any(|l| l.trim().starts_with("Trang")),
        "{}",
        t.text
    );
    // Lines joined into paragraphs ("kinh tế - xã hội" across a line break).
    assert!(
        !t.text.lines().any(|l| l.starts_with("- xã hội")),
        "{}",
        t.text
    );
    // The table row by row.
    assert!(
        t.text.contains("Kim ngạch xuất khẩu | 1.520 triệu USD"),
        "{}",
        t.text
    );
}

#[test]
fn two_columns_read_down_each_column() {
    let t = text_from_pdf(&pdf("columns.pdf")).unwrap();
    for sentence in [
        "Năm 2022, tỉnh Bình Định đã đón 42 đoàn khách nước ngoài đến thăm và làm việc.",
        "Đến nay, trên địa bàn tỉnh có 95 dự án đầu tư trực tiếp nước ngoài còn hiệu lực với tổng vốn đăng ký 1.234,5 triệu USD.",
    ] {
        assert!(t.text.contains(sentence), "{sentence}\n{}", t.text);
    }
    assert!(!t.text.contains("Trang"), "{}", t.text);
    // The same facts as the one-column print.
    let date = Some(DocDate::parse("2023-01-10").unwrap());
    let ex = Extractor::new();
    let one = ex.extract_document(&read_document(&pdf("baocao.pdf"), None).unwrap(), date);
    let two = ex.extract_document(&read_document(&pdf("columns.pdf"), None).unwrap(), date);
    let key = |f: &ngoaivu_extract::Facts| {
        let mut v: Vec<String> = f
            .observations
            .iter()
            .map(|o| format!("{} {} {:?}", o.indicator, o.value, o.period))
            .collect();
        v.sort();
        v
    };
    assert_eq!(key(&one), key(&two));
}

#[test]
fn facts_from_a_pdf_tell_their_page() {
    let doc = read_document(&pdf("baocao.pdf"), Some("baocao.pdf")).unwrap();
    let facts =
        Extractor::new().extract_document(&doc, Some(DocDate::parse("2023-01-10").unwrap()));
    let fdi = facts
        .observations
        .iter()
        .find(|o| o.indicator == Indicator::FdiProjects)
        .expect("the FDI stock");
    assert_eq!(fdi.value, 95.0);
    assert_eq!(fdi.page, Some(2));
    let s = &doc.text[fdi.span[0]..fdi.span[1]];
    assert!(s.contains("95"), "{s}");
    assert!(facts.observations.iter().all(|o| o.page.is_some()));
    assert_eq!(facts.partnerships.len(), 1);
    assert_eq!(facts.partnerships[0].page, Some(3));
}

#[test]
fn a_scan_is_refused_with_a_clear_message() {
    assert_eq!(
        text_from_pdf(&pdf("scan.pdf")).unwrap_err(),
        PdfError::Scanned
    );
    match read_document(&pdf("scan.pdf"), Some("scan.pdf")) {
        Err(e @ ReadError::Pdf(_)) => {
            let m = e.message();
            assert!(m.en.contains("scanned") && m.en.contains("OCR"), "{m:?}");
            assert!(m.vi.contains("bản quét") && m.vi.contains("OCR"), "{m:?}");
            assert_eq!(e.code(), "pdf_scanned");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_encrypted_pdf_is_refused() {
    assert_eq!(
        text_from_pdf(&pdf("encrypted.pdf")).unwrap_err(),
        PdfError::Encrypted
    );
}

#[test]
fn a_bomb_is_refused_within_its_limits() {
    let limits = PdfLimits {
        max_inflated: 1024 * 1024,
        ..PdfLimits::default()
    };
    assert!(matches!(
        text_from_pdf_with(&pdf("bomb.pdf"), &limits),
        Err(PdfError::TooBig(_))
    ));
}

#[test]
fn pages_over_the_limit_are_left_out_with_a_warning() {
    let limits = PdfLimits {
        max_pages: 1,
        ..PdfLimits::default()
    };
    let t = text_from_pdf_with(&pdf("baocao.pdf"), &limits).unwrap();
    assert_eq!(t.page_starts.len(), 1);
    assert!(
        t.warnings
            .iter()
            .any(|w| w.en.contains("only the first 1") && w.vi.contains("1 trang đầu")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn broken_and_truncated_pdfs_are_errors_quickly() {
    let good = pdf("baocao.pdf");
    let started = Instant::now();
    for cut in [10, 100, 1000, good.len() / 2, good.len() - 10] {
        let _ = text_from_pdf(&good[..cut]);
    }
    assert!(text_from_pdf(b"%PDF-1.7\nnot really").is_err());
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn legacy_doc_and_encodings_are_named() {
    match read_document(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0], Some("bc.doc")) {
        Err(e @ ReadError::LegacyDoc) => {
            assert!(e.message().en.contains(".doc") && e.message().vi.contains(".docx"));
        }
        other => panic!("{other:?}"),
    }
    let tcvn3 = "Th«ng b¸o kÕt qu¶ c«ng t¸c ®èi ngo¹i n¨m 2022 cña tØnh. Trong n¨m, tØnh ®· ®ãn 30 ®oµn kh¸ch n\u{AD}íc ngoµi.";
    let d = read_document(tcvn3.as_bytes(), Some("a.txt")).unwrap();
    assert!(
        d.warnings
            .iter()
            .any(|w| w.en.contains("TCVN3") && w.vi.contains("TCVN3")),
        "{:?}",
        d.warnings
    );
    let vni = "Thoâng baùo keát quaû coâng taùc ñoái ngoaïi naêm 2022 cuûa tænh. Trong naêm, tænh ñaõ ñoùn 30 ñoaøn khaùch nöôùc ngoaøi.";
    let d = read_document(vni.as_bytes(), Some("a.txt")).unwrap();
    assert!(
        d.warnings
            .iter()
            .any(|w| w.en.contains("VNI") && w.vi.contains("VNI")),
        "{:?}",
        d.warnings
    );
    let ok = "Thông báo kết quả công tác đối ngoại năm 2022 của tỉnh.";
    assert!(
        read_document(ok.as_bytes(), Some("a.txt"))
            .unwrap()
            .warnings
            .is_empty()
    );
}

mod fuzz {
    //! Arbitrary bytes after a PDF header, and mutations of a real PDF, never
    //! panic and finish in bounded time.
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

        #[test]
        fn arbitrary_pdf_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let mut b = b"%PDF-1.4\n".to_vec();
            b.extend(body);
            let started = Instant::now();
            let _ = text_from_pdf(&b);
            prop_assert!(started.elapsed() < Duration::from_secs(20));
        }

        #[test]
        fn mutated_pdfs_never_panic(pos in 0usize..30_000, byte in any::<u8>(), len in 1usize..64) {
            let mut b = pdf("baocao.pdf");
            let p = pos % b.len();
            for i in p..(p + len).min(b.len()) {
                b[i] = byte;
            }
            let started = Instant::now();
            let _ = text_from_pdf(&b);
            prop_assert!(started.elapsed() < Duration::from_secs(20));
        }
    }
}

// ---------------------------------------------------------------- DOCX

fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, xml) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(xml.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

#[test]
fn docx_text_boxes_once_tables_by_row_and_footnotes() {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>
<w:p><w:r><w:t>Năm 2022, tỉnh đón 30 đoàn.</w:t></w:r></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Hộp chữ: 5 dự án FDI.</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Hộp chữ: 5 dự án FDI.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Chỉ tiêu</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Năm 2022</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>Xuất khẩu</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1.200 triệu USD</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:delText>đã xoá</w:delText><w:instrText>PAGE</w:instrText><w:t>Hết.</w:t></w:r></w:p>
</w:body></w:document>"#
    );
    let notes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>----</w:t></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Số liệu của Sở Kế hoạch và Đầu tư.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let bytes = docx(&[("word/document.xml", &body), ("word/footnotes.xml", &notes)]);
    let t = ngoaivu_extract::text_from_docx(&bytes).unwrap();
    assert_eq!(t.matches("Hộp chữ").count(), 1, "{t}");
    assert!(
        t.contains("Chỉ tiêu | Năm 2022\nXuất khẩu | 1.200 triệu USD\n"),
        "{t}"
    );
    assert!(
        !t.contains("đã xoá") && !t.contains("PAGE") && !t.contains("----"),
        "{t}"
    );
    assert!(t.ends_with("Số liệu của Sở Kế hoạch và Đầu tư.\n"), "{t}");
}
