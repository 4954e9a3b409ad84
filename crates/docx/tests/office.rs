//! The DOCX as independent readers see it: LibreOffice opens and prints it
//! (to PDF), poppler reads the PDF's text and page size, and the package's
//! XML parts are parsed back with a real XML parser.
//!
//! Needs `soffice` (libreoffice-writer-nogui), `pdftotext`/`pdfinfo`
//! (poppler-utils) and a Times New Roman substitute (fonts-liberation2).
//! The tests fail, not skip, when these are missing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use ngoaivu_document::{
    AdminHeading, Block, Cell, Chart, ChartKind, Closing, Column, Document, Lang, NumFormat, Row,
    Series, Table,
};
use resvg::usvg::roxmltree;
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn num(v: &str, format: NumFormat) -> Cell {
    Cell::Number {
        value: dec(v),
        format,
    }
}

fn sample() -> Document {
    Document {
        lang: Lang::Vi,
        heading: AdminHeading {
            parent_body: Some("UBND TỈNH VĨNH LONG".into()),
            issuing_body: "SỞ NGOẠI VỤ".into(),
            number: "Số:       /BC-SNgV".into(),
            place_date: "Vĩnh Long, ngày 20 tháng 12 năm 2022".into(),
        },
        title: "BÁO CÁO".into(),
        subtitle: vec![
            "Tình hình công tác đối ngoại năm 2022".into(),
            "và phương hướng, nhiệm vụ năm 2023".into(),
        ],
        blocks: vec![
            Block::Heading {
                level: 1,
                text: "I. TÌNH HÌNH THỰC HIỆN CÔNG TÁC ĐỐI NGOẠI NĂM 2022".into(),
            },
            Block::Heading {
                level: 2,
                text: "1. Hợp tác quốc tế và thu hút đầu tư".into(),
            },
            Block::Paragraph(
                "Năm 2022, tỉnh đón 1.588 lượt khách quốc tế đến làm việc, tìm hiểu cơ hội \
                 hợp tác; vốn đầu tư trực tiếp nước ngoài đăng ký đạt 370,34 triệu USD, \
                 tăng 37,91% so với năm 2021. Các đối tác chủ yếu đến từ Hàn Quốc, Nhật Bản, \
                 Ô-xtrây-li-a và các nước ASEAN."
                    .into(),
            ),
            Block::Paragraph(
                "Sở đã phối hợp với Sở Ngoại vụ các tỉnh Đắk Lắk, Quảng Nam trao đổi kinh \
                 nghiệm quản lý đoàn ra, đoàn vào & tổ chức hội nghị quốc tế <trực tuyến>."
                    .into(),
            ),
            Block::Table(Table {
                caption: "Bảng 1. Một số chỉ tiêu đối ngoại năm 2022".into(),
                columns: vec![
                    Column {
                        label: "Chỉ tiêu".into(),
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
                        label: "Tăng, giảm".into(),
                        numeric: true,
                    },
                ],
                rows: vec![
                    Row {
                        cells: vec![
                            Cell::text("Lượt khách quốc tế"),
                            num("1152", NumFormat::Integer),
                            num("1588", NumFormat::Integer),
                            num("37.85", NumFormat::ChangePct),
                        ],
                        total: false,
                    },
                    Row {
                        cells: vec![
                            Cell::text("Vốn FDI đăng ký (triệu USD)"),
                            num("268.54", NumFormat::Decimal2),
                            num("370.34", NumFormat::Decimal2),
                            num("37.91", NumFormat::ChangePct),
                        ],
                        total: false,
                    },
                    Row {
                        cells: vec![
                            Cell::text("Dự án viện trợ PCPNN"),
                            num("12", NumFormat::Integer),
                            num("9", NumFormat::Integer),
                            num("-25", NumFormat::ChangePct),
                        ],
                        total: false,
                    },
                    Row {
                        cells: vec![
                            Cell::text("Tổng số đoàn ra, đoàn vào"),
                            num("12", NumFormat::Integer),
                            num("30", NumFormat::Integer),
                            Cell::Empty,
                        ],
                        total: true,
                    },
                ],
                note: Some("Nguồn: Sở Ngoại vụ tổng hợp từ báo cáo của các sở, ngành.".into()),
                sheet: "Chỉ tiêu".into(),
            }),
            Block::Heading {
                level: 2,
                text: "2. Đoàn ra, đoàn vào".into(),
            },
            Block::Paragraph(
                "Số đoàn vào tăng mạnh sau khi mở cửa trở lại, nhất là các đoàn doanh \
                 nghiệp đến từ Hàn Quốc và Nhật Bản."
                    .into(),
            ),
            Block::Chart(Chart {
                title: "Đoàn ra, đoàn vào giai đoạn 2020 - 2022".into(),
                kind: ChartKind::Column,
                categories: vec!["2020".into(), "2021".into(), "2022".into()],
                series: vec![
                    Series {
                        name: "Đoàn vào".into(),
                        values: vec![Some(5.0), Some(8.0), Some(21.0)],
                    },
                    Series {
                        name: "Đoàn ra".into(),
                        values: vec![Some(2.0), Some(4.0), Some(9.0)],
                    },
                ],
                unit: "đoàn".into(),
                decimals: 0,
                sheet: "Đoàn ra, đoàn vào".into(),
            }),
            Block::Heading {
                level: 1,
                text: "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023".into(),
            },
            Block::Paragraph(
                "Tiếp tục tham mưu Ủy ban nhân dân tỉnh triển khai hiệu quả các thỏa thuận \
                 quốc tế đã ký kết; chủ động kết nối với các cơ quan đại diện Việt Nam ở \
                 nước ngoài để quảng bá hình ảnh và kêu gọi đầu tư."
                    .into(),
            ),
        ],
        closing: Closing {
            recipients: vec![
                "- Bộ Ngoại giao;".into(),
                "- TT. Tỉnh ủy, TT. HĐND tỉnh;".into(),
                "- UBND tỉnh;".into(),
                "- Lưu: VT, NV.".into(),
            ],
            authority: vec!["KT. GIÁM ĐỐC".into(), "PHÓ GIÁM ĐỐC".into()],
            signer: Some("Nguyễn Văn An".into()),
        },
        footnote: Some("Số liệu tổng hợp từ hệ thống ngoaivu ngày 20/12/2022.".into()),
    }
}

/// A fresh directory for one test's files, kept under Cargo's target
/// temporary directory so the PDF and page images can be looked at.
fn work_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("docx-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run `{cmd}` ({e}); install libreoffice-writer-nogui, poppler-utils \
             and fonts-liberation2"
        )
    });
    assert!(
        out.status.success(),
        "`{cmd} {args:?}` failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The DOCX converted by LibreOffice: the PDF's path.
fn to_pdf(dir: &Path, docx: &[u8]) -> PathBuf {
    let file = dir.join("report.docx");
    std::fs::write(&file, docx).unwrap();
    // A private profile, so that runs in parallel do not share one.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    tool(
        "soffice",
        &[
            &profile,
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            dir.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    let pdf = dir.join("report.pdf");
    assert!(pdf.exists(), "LibreOffice wrote no PDF");
    pdf
}

/// Text of the PDF, pages `first..=last`, with runs of spaces (from
/// justification and table layout) made single.
fn pdf_text(pdf: &Path, first: u32, last: u32) -> String {
    let t = tool(
        "pdftotext",
        &[
            "-f",
            &first.to_string(),
            "-l",
            &last.to_string(),
            "-layout",
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    t.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdf_pages(pdf: &Path) -> (u32, String) {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {info}"))
            .trim()
            .to_string()
    };
    (field("Pages:").parse().unwrap(), field("Page size:"))
}

fn part(docx: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut f = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name} in the package"));
    let mut v = vec![];
    f.read_to_end(&mut v).unwrap();
    v
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn w_attr<'a>(n: &roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

fn twips(n: &roxmltree::Node, name: &str) -> u32 {
    w_attr(n, name).unwrap().parse().unwrap()
}

#[test]
fn libreoffice_prints_it_as_one_or_two_a4_pages_with_every_word() {
    let doc = sample();
    let docx = ngoaivu_docx::write(&doc).unwrap();
    let dir = work_dir("sample");
    let pdf = to_pdf(&dir, &docx);

    let (pages, size) = pdf_pages(&pdf);
    assert!((1..=2).contains(&pages), "{pages} pages");
    // A4 is 595.276 × 841.89 points.
    let dims: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        dims.len() == 2 && (dims[0] - 595.3).abs() < 1.0 && (dims[1] - 841.9).abs() < 1.0,
        "page size {size}"
    );

    let text = pdf_text(&pdf, 1, pages);
    // Justified lines break and space words as they will: compare without
    // white space (the table rows below are compared line by line).
    let squashed = squash(&text);
    for want in [
        "UBND TỈNH VĨNH LONG",
        "SỞ NGOẠI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Long, ngày 20 tháng 12 năm 2022",
        "BÁO CÁO",
        "Tình hình công tác đối ngoại năm 2022",
        "I. TÌNH HÌNH THỰC HIỆN CÔNG TÁC ĐỐI NGOẠI NĂM 2022",
        "tăng 37,91%",
        "Đắk Lắk, Quảng Nam",
        "đoàn vào & tổ chức hội nghị quốc tế <trực tuyến>",
        "Bảng 1. Một số chỉ tiêu đối ngoại năm 2022",
        "1.588",
        "370,34",
        "+37,91%",
        "-25%",
        "Biểu đồ 1. Đoàn ra, đoàn vào giai đoạn 2020 - 2022 (đoàn)",
        "Nơi nhận:",
        "- Lưu: VT, NV.",
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn An",
        "Số liệu tổng hợp từ hệ thống ngoaivu",
    ] {
        assert!(
            squashed.contains(&squash(want)),
            "{want:?} not in the PDF text:\n{text}"
        );
    }
    // The heading's two columns: the number and the date share a line.
    assert!(
        text.lines()
            .any(|l| l.contains("Số:") && l.contains("Vĩnh Long, ngày 20")),
        "{text}"
    );
    // The table's row reads in order, numbers formatted the Vietnamese way.
    assert!(
        text.lines()
            .any(|l| l.contains("Vốn FDI đăng ký (triệu USD) 268,54 370,34 +37,91%")),
        "{text}"
    );
    // The page number is not on page 1 (Decree 30), and is on page 2.
    let first_line = |p: u32| {
        pdf_text(&pdf, p, p)
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        first_line(1),
        "UBND TỈNH VĨNH LONG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    );
    if pages == 2 {
        assert_eq!(first_line(2), "2");
    }
}

#[test]
fn the_package_parts_say_a4_decree_margins_and_times_new_roman() {
    let docx = ngoaivu_docx::write(&sample()).unwrap();
    // Every XML part is well-formed.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    let names: Vec<String> = z.file_names().map(String::from).collect();
    assert_eq!(names[0], "[Content_Types].xml");
    for n in &names {
        if n.ends_with(".xml") || n.ends_with(".rels") {
            let mut s = String::new();
            z.by_name(n).unwrap().read_to_string(&mut s).unwrap();
            roxmltree::Document::parse(&s).unwrap_or_else(|e| panic!("{n}: {e}"));
        }
    }
    for n in [
        "_rels/.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/_rels/document.xml.rels",
        "word/settings.xml",
        "word/fontTable.xml",
        "word/header1.xml",
        "word/media/chart1.png",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing: {names:?}");
    }

    let xml = String::from_utf8(part(&docx, "word/document.xml")).unwrap();
    let d = roxmltree::Document::parse(&xml).unwrap();
    let find = |name: &str| {
        d.descendants()
            .find(|n| n.has_tag_name((W, name)))
            .unwrap_or_else(|| panic!("no w:{name}"))
    };
    let sz = find("pgSz");
    assert_eq!((twips(&sz, "w"), twips(&sz, "h")), (11906, 16838));
    let mar = find("pgMar");
    // 20, 20, 30, 15 mm in twips (1 mm = 56.7 twips).
    assert_eq!(
        [
            twips(&mar, "top"),
            twips(&mar, "bottom"),
            twips(&mar, "left"),
            twips(&mar, "right")
        ],
        [1134, 1134, 1701, 850]
    );
    // No page number on the first page.
    d.descendants()
        .find(|n| n.has_tag_name((W, "titlePg")))
        .expect("w:titlePg");

    // Three tables: the heading, the figures, the signature block; the
    // figures' header row repeats, its numbers are right-aligned.
    let tables: Vec<_> = d
        .descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .collect();
    assert_eq!(tables.len(), 3);
    let figures = tables[1];
    let rows: Vec<_> = figures
        .children()
        .filter(|n| n.has_tag_name((W, "tr")))
        .collect();
    assert_eq!(rows.len(), 5);
    assert!(
        rows[0]
            .descendants()
            .any(|n| n.has_tag_name((W, "tblHeader")))
    );
    let cell_text_and_jc = |row: &roxmltree::Node, i: usize| {
        let tc = row
            .children()
            .filter(|n| n.has_tag_name((W, "tc")))
            .nth(i)
            .unwrap();
        let text: String = tc
            .descendants()
            .filter(|n| n.has_tag_name((W, "t")))
            .filter_map(|n| n.text())
            .collect();
        let jc = tc
            .descendants()
            .find(|n| n.has_tag_name((W, "jc")))
            .and_then(|n| w_attr(&n, "val"))
            .unwrap_or("")
            .to_string();
        let bold = tc.descendants().any(|n| n.has_tag_name((W, "b")));
        (text, jc, bold)
    };
    assert_eq!(
        cell_text_and_jc(&rows[1], 2),
        ("1.588".to_string(), "right".to_string(), false)
    );
    assert_eq!(
        cell_text_and_jc(&rows[2], 2),
        ("370,34".to_string(), "right".to_string(), false)
    );
    assert!(cell_text_and_jc(&rows[4], 2).2, "total row is bold");
    assert!(cell_text_and_jc(&rows[0], 0).2, "header is bold");

    // The declared font, in the defaults every paragraph inherits.
    let styles = String::from_utf8(part(&docx, "word/styles.xml")).unwrap();
    let s = roxmltree::Document::parse(&styles).unwrap();
    let defaults = s
        .descendants()
        .find(|n| n.has_tag_name((W, "rPrDefault")))
        .unwrap();
    let fonts = defaults
        .descendants()
        .find(|n| n.has_tag_name((W, "rFonts")))
        .unwrap();
    for a in ["ascii", "hAnsi", "cs", "eastAsia"] {
        assert_eq!(w_attr(&fonts, a), Some("Times New Roman"), "{a}");
    }
    let size = defaults
        .descendants()
        .find(|n| n.has_tag_name((W, "sz")))
        .unwrap();
    assert_eq!(w_attr(&size, "val"), Some("28"), "14 pt body");
    // Body paragraphs: justified, first line indented 1.27 cm.
    let body = s
        .descendants()
        .find(|n| n.has_tag_name((W, "style")) && w_attr(n, "styleId") == Some("BodyText"))
        .unwrap();
    let ind = body
        .descendants()
        .find(|n| n.has_tag_name((W, "ind")))
        .unwrap();
    assert_eq!(w_attr(&ind, "firstLine"), Some("720"));
    let jc = body
        .descendants()
        .find(|n| n.has_tag_name((W, "jc")))
        .unwrap();
    assert_eq!(w_attr(&jc, "val"), Some("both"));

    // The chart is a real picture with something drawn in the palette.
    let png = part(&docx, "word/media/chart1.png");
    let pix = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert!(pix.width() >= 1200, "{}", pix.width());
    let blue = pix
        .pixels()
        .iter()
        .filter(|p| (p.red(), p.green(), p.blue()) == (0x1f, 0x5f, 0x99))
        .count();
    let dark = pix
        .pixels()
        .iter()
        .filter(|p| p.red() < 80 && p.green() < 80 && p.blue() < 80)
        .count();
    assert!(blue > 10_000, "columns drawn: {blue}");
    assert!(dark > 1_000, "text drawn: {dark}");
}

/// A long table runs over pages: its header row comes again at the top of
/// the next page, and the page number appears from page 2.
#[test]
fn a_long_table_repeats_its_header_on_the_next_page() {
    let mut doc = sample();
    doc.blocks.retain(|b| matches!(b, Block::Heading { .. }));
    let rows = (1..=70)
        .map(|i| Row {
            cells: vec![
                Cell::text(format!("Đối tác số {i} (Đắk Lắk)")),
                Cell::int(i * 100),
            ],
            total: false,
        })
        .collect();
    doc.blocks.push(Block::Table(Table {
        caption: "Bảng 2. Danh sách đối tác".into(),
        columns: vec![
            Column {
                label: "Tên đối tác".into(),
                numeric: false,
            },
            Column {
                label: "Giá trị hợp tác".into(),
                numeric: true,
            },
        ],
        rows,
        note: None,
        sheet: "Đối tác".into(),
    }));
    doc.lang = Lang::En;
    let docx = ngoaivu_docx::write(&doc).unwrap();
    let dir = work_dir("long-table");
    let pdf = to_pdf(&dir, &docx);
    let (pages, _) = pdf_pages(&pdf);
    assert!(pages >= 2, "{pages}");
    for p in 2..=pages {
        let text = pdf_text(&pdf, p, p);
        assert_eq!(
            text.trim_start().lines().next(),
            Some(p.to_string().as_str())
        );
        if text.contains("Đối tác số") {
            assert!(
                text.contains("Tên đối tác Giá trị hợp tác"),
                "page {p}: {text}"
            );
        }
    }
    let all = pdf_text(&pdf, 1, pages);
    for i in 1..=70 {
        let row = format!(
            "Đối tác số {i} (Đắk Lắk) {}",
            ngoaivu_document::NumFormat::Integer.display((i * 100).into(), Lang::En)
        );
        assert!(all.contains(&row), "{row}");
    }
    assert!(pdf_text(&pdf, pages, pages).contains("Recipients:"));
}
