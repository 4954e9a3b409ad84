//! No input makes the reader panic, and big inputs take linear time.

use std::time::Instant;

use ngoaivu_extract::{DocDate, Extractor, detect_and_read, extract};
use proptest::prelude::*;

/// Pieces of Vietnamese report text, to build inputs that reach deep into the rules.
const PIECES: &[&str] = &[
    "Năm 2022, ",
    "tỉnh Vĩnh Long ",
    "đón ",
    "trên ",
    "khoảng ",
    "1.588 ",
    "370,34 ",
    "triệu ",
    "tỷ ",
    "USD",
    "đồng",
    "%",
    " dự án FDI",
    " đoàn khách nước ngoài",
    ", tăng ",
    " so với năm 2021",
    "; ",
    ". ",
    "\n",
    "(",
    ")",
    " - ",
    "Lào",
    "(Campuchia)",
    "ký kết thỏa thuận hợp tác với tỉnh ",
    "Xiêng Khoảng",
    " kết nghĩa ",
    "Trường Đại học ",
    " giai đoạn 2016 - 2020",
    "đến nay",
    "trong đó ",
    "bốn ",
    "tương đương ",
    "\u{00A0}",
    "\u{2013}",
    "…",
    "\u{0301}",
    "TP. HCM",
    "ĐBSCL",
    "&amp;",
    "<p>",
    "3,286,743",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let f = extract(&s, None);
        for o in &f.observations {
            prop_assert!(o.span[0] <= o.span[1] && o.span[1] <= s.len());
        }
    }

    #[test]
    fn report_like_strings_never_panic(idx in proptest::collection::vec(0..PIECES.len(), 0..60), year in 1990i32..2030) {
        let s: String = idx.iter().map(|&i| PIECES[i]).collect();
        let f = extract(&s, Some(DocDate::year(year)));
        for o in &f.observations {
            prop_assert!(o.span[0] <= o.span[1] && o.span[1] <= s.len());
            prop_assert!(s.is_char_boundary(o.span[0]) && s.is_char_boundary(o.span[1]));
        }
        for p in &f.partnerships {
            prop_assert!(p.span[1] <= s.len());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..2000), docx in any::<bool>(), html in any::<bool>()) {
        let mut bytes = b;
        if docx { bytes.splice(0..0, b"PK\x03\x04".iter().copied()); }
        let hint = if html { Some("x.html") } else if docx { Some("x.docx") } else { None };
        if let Ok(t) = detect_and_read(&bytes, hint) {
            let _ = extract(&t, None);
        }
    }

    #[test]
    fn html_soup_never_panics(idx in proptest::collection::vec(0..8usize, 0..80)) {
        const TAGS: &[&str] = &["<div class='menu'>", "</div>", "<script>", "</script>", "<p>Năm 2020 có 5 dự án FDI", "&#x1EBF;", "<!--", "<nav>"];
        let s: String = idx.iter().map(|&i| TAGS[i]).collect();
        let t = ngoaivu_extract::text_from_html(&s);
        let _ = extract(&t, None);
    }
}

/// About 10 MB of generated Vietnamese text: finishes (no quadratic blow-up) and still reads.
#[test]
fn ten_megabytes_in_linear_time() {
    let provinces = [
        "Vĩnh Long",
        "Tiền Giang",
        "Đắk Lắk",
        "Lạng Sơn",
        "Quảng Nam",
        "Cần Thơ",
    ];
    let mut s = String::with_capacity(10_500_000);
    let mut i = 0usize;
    while s.len() < 10_000_000 {
        let p = provinces[i % provinces.len()];
        let y = 2010 + (i % 12);
        s.push_str(&format!(
            "Năm {y}, tỉnh {p} đón {} đoàn khách nước ngoài, ký kết {} thỏa thuận quốc tế với tỉnh Xiêng Khoảng - Lào; kim ngạch xuất khẩu đạt {},{} triệu USD, tăng {},5% so với năm trước. ",
            i % 300 + 1, i % 9 + 1, i % 900 + 10, i % 100, i % 30
        ));
        if i.is_multiple_of(7) {
            s.push('\n');
        }
        if i.is_multiple_of(50) {
            // A very long line without full stops, and a long run of digits.
            s.push_str(&"hợp tác, ".repeat(200));
            s.push_str(&"1.234.".repeat(100));
            s.push('\n');
        }
        i += 1;
    }
    let ex = Extractor::new();
    let t0 = Instant::now();
    let f = ex.extract(&s, Some(DocDate::year(2022)));
    let dt = t0.elapsed();
    eprintln!(
        "{:.1} MB in {:?}: {} observations, {} partnerships",
        s.len() as f64 / 1e6,
        dt,
        f.observations.len(),
        f.partnerships.len()
    );
    assert!(
        f.observations.len() > 100,
        "the generated text states figures"
    );
    assert!(!f.partnerships.is_empty());
    // Debug builds are slow; a quadratic reader would take minutes.
    assert!(dt.as_secs() < 120, "{dt:?}");
}
