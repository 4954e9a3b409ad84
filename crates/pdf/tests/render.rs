//! The PDF read back with poppler-utils (pdftotext, pdfinfo, pdffonts), as a
//! reader's machine would: the Vietnamese text comes back exactly, the pages
//! are A4, the font is embedded. The tools are required: a missing tool is a
//! failure, not a skip (`apt-get install poppler-utils`).
//!
//! Set `NGOAIVU_PDF_OUT=/some/dir` to keep the sample PDF for a look.

use std::path::{Path, PathBuf};
use std::process::Command;

use ngoaivu_document::{
    AdminHeading, Block, Cell, Chart, ChartKind, Closing, Column, Document, Lang, NumFormat, Row,
    Series, Table,
};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

const PROVINCES: [&str; 24] = [
    "Đắk Lắk",
    "Quảng Nam",
    "Thừa Thiên Huế",
    "Bà Rịa - Vũng Tàu",
    "Khánh Hòa",
    "Lâm Đồng",
    "Kiên Giang",
    "Hà Tĩnh",
    "Quảng Ngãi",
    "Bình Định",
    "Phú Yên",
    "Ninh Thuận",
    "Bình Thuận",
    "Gia Lai",
    "Kon Tum",
    "Đắk Nông",
    "Quảng Trị",
    "Quảng Bình",
    "Nghệ An",
    "Thanh Hóa",
    "Vĩnh Long",
    "Bến Tre",
    "Cà Mau",
    "Sóc Trăng",
];

fn sample() -> Document {
    let para = |s: &str| Block::Paragraph(s.to_string());
    let heading = |level: u8, s: &str| Block::Heading {
        level,
        text: s.to_string(),
    };
    let mut blocks = vec![
        heading(1, "I. TÌNH HÌNH TRIỂN KHAI CÔNG TÁC ĐỐI NGOẠI"),
        para(
            "Thực hiện Chương trình công tác năm 2022 của Ủy ban nhân dân tỉnh, Sở Ngoại vụ đã chủ trì, \
             phối hợp với các sở, ban, ngành và địa phương triển khai đồng bộ các hoạt động đối ngoại; \
             tổng số đoàn vào là 1.588 lượt, tăng 37,91% so với cùng kỳ năm trước. Vốn đầu tư trực tiếp \
             nước ngoài đăng ký mới đạt 370,34 triệu USD, chủ yếu từ Hàn Quốc, Nhật Bản và Singapore.",
        ),
        para(
            "Công tác thông tin đối ngoại được đẩy mạnh, góp phần quảng bá hình ảnh địa phương với bạn bè \
             quốc tế; các hoạt động hợp tác với tỉnh Đắk Lắk và tỉnh Quảng Nam trong khuôn khổ liên kết \
             vùng tiếp tục được duy trì. Nhiều chương trình xúc tiến đầu tư, thương mại và du lịch đã \
             được tổ chức thành công, thu hút sự quan tâm của các nhà đầu tư, doanh nghiệp nước ngoài.",
        ),
        heading(2, "1. Đoàn ra, đoàn vào"),
        para(
            "Trong năm, tỉnh đã cử các đoàn đi công tác nước ngoài và đón tiếp các đoàn khách quốc tế \
             đến làm việc; việc quản lý đoàn ra, đoàn vào bảo đảm đúng quy định, tiết kiệm, hiệu quả.",
        ),
        Block::Table(Table {
            caption: "Bảng 1. Thỏa thuận quốc tế và đoàn ra, đoàn vào".into(),
            columns: vec![
                Column {
                    label: "Nội dung".into(),
                    numeric: false,
                },
                Column {
                    label: "Năm 2021".into(),
                    numeric: true,
                },
                Column {
                    label: "Năm 2022".into(),
                    numeric: true,
                },
                Column {
                    label: "Tăng, giảm so với năm trước".into(),
                    numeric: true,
                },
            ],
            rows: vec![
                Row {
                    cells: vec![
                        Cell::text("Đoàn vào (lượt)"),
                        Cell::int(1151),
                        Cell::int(1588),
                        Cell::change(Some(d("37.97"))),
                    ],
                    total: false,
                },
                Row {
                    cells: vec![
                        Cell::text("Đoàn ra (lượt)"),
                        Cell::int(12),
                        Cell::int(31),
                        Cell::change(Some(d("158.33"))),
                    ],
                    total: false,
                },
                Row {
                    cells: vec![
                        Cell::text("Thỏa thuận quốc tế được ký kết mới, gồm cả thỏa thuận cấp sở"),
                        Cell::int(4),
                        Cell::int(7),
                        Cell::change(Some(d("75"))),
                    ],
                    total: false,
                },
                Row {
                    cells: vec![
                        Cell::text("Vốn FDI đăng ký (triệu USD)"),
                        Cell::dec2(d("268.55")),
                        Cell::dec2(d("370.34")),
                        Cell::change(Some(d("37.91"))),
                    ],
                    total: false,
                },
                Row {
                    cells: vec![
                        Cell::text("Tổng số đoàn"),
                        Cell::int(1163),
                        Cell::int(1619),
                        Cell::Empty,
                    ],
                    total: true,
                },
            ],
            note: Some(
                "Nguồn: Sở Ngoại vụ tổng hợp từ báo cáo của các sở, ngành; “—”: không có số liệu."
                    .into(),
            ),
            sheet: "Đoàn".into(),
        }),
        heading(2, "2. Hợp tác với các địa phương"),
    ];
    // A long table: breaks across pages, header repeated.
    let rows = PROVINCES
        .iter()
        .cycle()
        .take(48)
        .enumerate()
        .map(|(i, p)| Row {
            cells: vec![
                Cell::int(i as i64 + 1),
                Cell::text(*p),
                Cell::text(if i % 3 == 0 {
                    "Ký kết biên bản ghi nhớ hợp tác về giáo dục, y tế và du lịch"
                } else {
                    "Trao đổi đoàn"
                }),
                Cell::int(10 + (i as i64 * 37) % 90),
                Cell::Number {
                    value: Decimal::new(1234 + i as i64 * 517, 2),
                    format: NumFormat::Decimal2,
                },
            ],
            total: false,
        })
        .chain(std::iter::once(Row {
            cells: vec![
                Cell::Empty,
                Cell::text("Tổng cộng"),
                Cell::Empty,
                Cell::int(2460),
                Cell::Number {
                    value: d("370.34"),
                    format: NumFormat::Decimal2,
                },
            ],
            total: true,
        }))
        .collect();
    blocks.push(Block::Table(Table {
        caption: "Bảng 2. Hoạt động hợp tác với các địa phương trong nước và quốc tế".into(),
        columns: vec![
            Column {
                label: "STT".into(),
                numeric: true,
            },
            Column {
                label: "Địa phương".into(),
                numeric: false,
            },
            Column {
                label: "Nội dung hợp tác".into(),
                numeric: false,
            },
            Column {
                label: "Số hoạt động".into(),
                numeric: true,
            },
            Column {
                label: "Kinh phí (triệu đồng)".into(),
                numeric: true,
            },
        ],
        rows,
        note: Some("Ghi chú: kinh phí tính theo giá hiện hành.".into()),
        sheet: "Địa phương".into(),
    }));
    blocks.push(heading(1, "II. KẾT QUẢ NỔI BẬT"));
    blocks.push(Block::Chart(Chart {
        title: "Đoàn ra, đoàn vào".into(),
        kind: ChartKind::Column,
        categories: vec!["2019".into(), "2020".into(), "2021".into(), "2022".into()],
        series: vec![
            Series {
                name: "Đoàn vào".into(),
                values: vec![Some(980.0), Some(240.0), Some(1151.0), Some(1588.0)],
            },
            Series {
                name: "Đoàn ra".into(),
                values: vec![Some(28.0), Some(3.0), Some(12.0), Some(31.0)],
            },
        ],
        unit: "lượt".into(),
        decimals: 0,
        sheet: "Biểu đồ đoàn".into(),
    }));
    blocks.push(para(
        "Các chỉ tiêu chủ yếu đều đạt và vượt kế hoạch; công tác người Việt Nam ở nước ngoài, \
         công tác lãnh sự và bảo hộ công dân được triển khai kịp thời, đúng quy định.",
    ));
    blocks.push(Block::Chart(Chart {
        title: "Vốn FDI đăng ký theo quốc gia".into(),
        kind: ChartKind::Bar,
        categories: vec![
            "Hàn Quốc".into(),
            "Nhật Bản".into(),
            "Singapore".into(),
            "Đài Loan (Trung Quốc)".into(),
            "Hoa Kỳ".into(),
        ],
        series: vec![Series {
            name: "Vốn đăng ký".into(),
            values: vec![Some(150.2), Some(98.6), Some(61.04), Some(40.5), Some(20.0)],
        }],
        unit: "triệu USD".into(),
        decimals: 2,
        sheet: "FDI".into(),
    }));
    blocks.push(heading(1, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023"));
    blocks.push(para(
        "Tiếp tục tham mưu Ủy ban nhân dân tỉnh triển khai hiệu quả công tác đối ngoại, hội nhập \
         quốc tế; tăng cường xúc tiến đầu tư, thương mại, du lịch; nâng cao chất lượng công tác \
         thông tin đối ngoại và công tác người Việt Nam ở nước ngoài. Chữ có dấu chồng: ặ, ệ, ộ, ự, ỹ, Đ.",
    ));
    Document {
        lang: Lang::Vi,
        heading: AdminHeading {
            parent_body: Some("UBND TỈNH QUẢNG NAM".into()),
            issuing_body: "SỞ NGOẠI VỤ".into(),
            number: "Số:      /BC-SNgV".into(),
            place_date: "Quảng Nam, ngày 20 tháng 12 năm 2022".into(),
        },
        title: "BÁO CÁO".into(),
        subtitle: vec!["Tình hình công tác đối ngoại năm 2022".into()],
        blocks,
        closing: Closing {
            recipients: vec![
                "- UBND tỉnh (b/c);".into(),
                "- Bộ Ngoại giao (b/c);".into(),
                "- Các sở, ban, ngành, đơn vị có liên quan trên địa bàn tỉnh;".into(),
                "- Lưu: VT, HTQT.".into(),
            ],
            authority: vec!["KT. GIÁM ĐỐC".into(), "PHÓ GIÁM ĐỐC".into()],
            signer: Some("Nguyễn Thị Thu Hường".into()),
        },
        footnote: Some("Số liệu tổng hợp từ hệ thống ngoaivu ngày 20/12/2022.".into()),
    }
}

fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(file)
        .args(if name == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is required to check the PDF: {e}"));
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn write_sample(name: &str, doc: &Document) -> PathBuf {
    let bytes = ngoaivu_pdf::write(doc).expect("PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    let dir = std::env::var_os("NGOAIVU_PDF_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.pdf", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    path
}

fn page_count(path: &Path) -> usize {
    let info = tool("pdfinfo", &[], path);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("page count")
        .trim()
        .parse()
        .unwrap()
}

/// Runs of spaces as one (pdftotext -layout pads to keep columns).
fn squeeze(s: &str) -> String {
    let mut o = String::new();
    for line in s.lines() {
        o.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
        o.push('\n');
    }
    o
}

#[test]
fn vietnamese_text_comes_back_exactly() {
    let doc = sample();
    let path = write_sample("sample", &doc);
    let layout = tool("pdftotext", &["-layout", "-enc", "UTF-8"], &path);
    let flat = squeeze(&layout);
    for want in [
        "UBND TỈNH QUẢNG NAM",
        "SỞ NGOẠI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Quảng Nam, ngày 20 tháng 12 năm 2022",
        "BÁO CÁO",
        "Tình hình công tác đối ngoại năm 2022",
        "I. TÌNH HÌNH TRIỂN KHAI CÔNG TÁC ĐỐI NGOẠI",
        "tăng 37,91%",
        "1.588",
        "370,34",
        "+37,91%",
        "Đắk Lắk",
        "Quảng Nam",
        "Thừa Thiên Huế",
        "Bà Rịa - Vũng Tàu",
        "Bảng 1. Thỏa thuận quốc tế và đoàn ra, đoàn vào",
        "Tổng số đoàn",
        "ặ, ệ, ộ, ự, ỹ, Đ",
        "Nơi nhận:",
        "- Lưu: VT, HTQT.",
        "KT. GIÁM ĐỐC",
        "Nguyễn Thị Thu Hường",
        // Chart labels are text too.
        "Đoàn ra, đoàn vào (lượt)",
        "Vốn FDI đăng ký theo quốc gia (triệu USD)",
        "Đài Loan (Trung Quốc)",
    ] {
        assert!(flat.contains(want), "{want:?} not found in:\n{layout}");
    }
    // NFC throughout: no combining marks left over.
    assert!(
        !layout.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)),
        "decomposed text in the output"
    );
    // The raw reading order gives the paragraphs' words with single spaces.
    let raw = tool("pdftotext", &["-enc", "UTF-8"], &path);
    assert!(
        raw.contains("tổng số đoàn vào là 1.588 lượt, tăng 37,91% so với"),
        "{raw}"
    );
}

#[test]
fn pages_are_a4_with_metadata_and_numbers() {
    let doc = sample();
    let path = write_sample("info", &doc);
    let info = tool("pdfinfo", &[], &path);
    assert!(info.contains("(A4)"), "{info}");
    assert!(
        info.contains("Title:") && info.contains("BÁO CÁO Tình hình công tác đối ngoại năm 2022"),
        "{info}"
    );
    let pages = page_count(&path);
    assert!((3..=7).contains(&pages), "{pages} pages\n{info}");

    // Page numbers from page 2, none on page 1.
    let first = tool("pdftotext", &["-layout", "-f", "1", "-l", "1"], &path);
    let second = tool("pdftotext", &["-layout", "-f", "2", "-l", "2"], &path);
    assert_eq!(
        second.lines().find(|l| !l.trim().is_empty()).map(str::trim),
        Some("2"),
        "{second}"
    );
    assert!(
        first.trim_start().starts_with("UBND TỈNH QUẢNG NAM"),
        "{first}"
    );
}

#[test]
fn long_table_repeats_its_header_on_the_next_page() {
    let doc = sample();
    let path = write_sample("table", &doc);
    let pages = page_count(&path);
    let per_page: Vec<String> = (1..=pages)
        .map(|p| {
            let p = p.to_string();
            squeeze(&tool("pdftotext", &["-layout", "-f", &p, "-l", &p], &path))
        })
        .collect();
    let with_rows: Vec<usize> = (0..pages)
        .filter(|&i| per_page[i].contains("Trao đổi đoàn"))
        .collect();
    assert!(
        with_rows.len() >= 2,
        "the long table should run over two pages"
    );
    for &i in &with_rows {
        assert!(
            per_page[i].contains("STT Địa phương Nội dung hợp tác"),
            "page {} has rows of table 2 but no header:\n{}",
            i + 1,
            per_page[i]
        );
    }
    // Every row is there once, and the total at the end.
    let all = per_page.concat();
    assert_eq!(all.matches("Trao đổi đoàn").count(), 32);
    assert!(all.contains("Tổng cộng — 2.460 370,34"), "{all}");
}

#[test]
fn liberation_serif_is_embedded_as_subsets() {
    let doc = sample();
    let path = write_sample("fonts", &doc);
    let fonts = tool("pdffonts", &[], &path);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains("+LiberationSerif"), "{fonts}");
        // name type encoding emb sub uni
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{fonts}");
    }
    for face in [
        "LiberationSerif ",
        "LiberationSerif-Bold ",
        "LiberationSerif-Italic ",
        "LiberationSerif-BoldItalic ",
    ] {
        assert!(
            fonts.contains(&format!("+{face}")),
            "{face} missing:\n{fonts}"
        );
    }
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let doc = sample();
    assert_eq!(
        ngoaivu_pdf::write(&doc).unwrap(),
        ngoaivu_pdf::write(&doc).unwrap()
    );
}

#[test]
fn an_english_document_without_parent_body_or_signer() {
    let mut doc = sample();
    doc.lang = Lang::En;
    doc.heading.parent_body = None;
    doc.closing.signer = None;
    doc.footnote = None;
    doc.blocks.truncate(3);
    let path = write_sample("en", &doc);
    let text = squeeze(&tool("pdftotext", &["-layout"], &path));
    assert!(text.contains("Recipients:"), "{text}");
    assert!(!text.contains("UBND TỈNH"), "{text}");
    assert_eq!(page_count(&path), 1);
}

#[test]
fn decomposed_input_comes_out_composed_and_odd_shapes_do_not_break_it() {
    use unicode_normalization::UnicodeNormalization;
    let mut doc = sample();
    let nfd = |s: &str| s.nfd().collect::<String>();
    doc.blocks = vec![
        Block::Paragraph(nfd("Tỉnh Đắk Lắk tăng trưởng ổn định; ặ ệ ộ ự ỹ.")),
        // A word longer than the line is cut, not lost.
        Block::Paragraph("x".repeat(300)),
        Block::Table(Table {
            caption: "Bảng rỗng".into(),
            columns: vec![],
            rows: vec![],
            note: None,
            sheet: "Rỗng".into(),
        }),
        Block::Chart(Chart {
            title: "Biểu đồ không có số liệu".into(),
            kind: ChartKind::Bar,
            categories: vec![],
            series: vec![],
            unit: String::new(),
            decimals: 0,
            sheet: "Trống".into(),
        }),
    ];
    let path = write_sample("odd", &doc);
    let text = tool("pdftotext", &["-enc", "UTF-8"], &path);
    assert!(
        text.contains("Tỉnh Đắk Lắk tăng trưởng ổn định; ặ ệ ộ ự ỹ."),
        "{text}"
    );
    assert_eq!(text.matches('x').count(), 300, "{text}");
    assert!(text.contains("Biểu đồ không có số liệu"), "{text}");
}
