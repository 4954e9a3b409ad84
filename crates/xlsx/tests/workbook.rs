//! The workbook as independent readers see it: calamine reads the cells back
//! (numbers must be numbers with the exact values, text must keep its
//! diacritics), the package holds native chart parts pointing at the
//! table's cells, and LibreOffice opens it and exports every sheet.
//!
//! The LibreOffice test needs `soffice` (libreoffice-calc-nogui) and fails,
//! not skips, when it is missing.

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

use calamine::{Data, DataType, Reader, Xlsx};
use ngoaivu_document::{
    AdminHeading, Block, Cell, Chart, ChartKind, Closing, Column, Document, Lang, NumFormat, Row,
    Series, Table,
};
use rust_decimal::Decimal;

fn num(v: &str, format: NumFormat) -> Cell {
    Cell::Number {
        value: v.parse::<Decimal>().unwrap(),
        format,
    }
}

fn col(label: &str, numeric: bool) -> Column {
    Column {
        label: label.into(),
        numeric,
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
        subtitle: vec!["Tình hình công tác đối ngoại năm 2022".into()],
        blocks: vec![
            Block::Heading {
                level: 1,
                text: "I. TÌNH HÌNH THỰC HIỆN CÔNG TÁC ĐỐI NGOẠI".into(),
            },
            Block::Paragraph(
                "Phối hợp với các tỉnh Đắk Lắk, Quảng Nam; vốn FDI đạt 370,34 triệu USD, \
                 tăng 37,91%."
                    .into(),
            ),
            Block::Table(Table {
                caption: "Bảng 1. Một số chỉ tiêu đối ngoại năm 2022".into(),
                columns: vec![
                    col("Chỉ tiêu", false),
                    col("Năm 2021", true),
                    col("Năm 2022", true),
                    col("Tăng, giảm", true),
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
                            Cell::text("Tổng"),
                            num("1420.54", NumFormat::Decimal2),
                            num("1958.34", NumFormat::Decimal2),
                            Cell::Empty,
                        ],
                        total: true,
                    },
                ],
                note: Some("Nguồn: Sở Ngoại vụ tổng hợp.".into()),
                sheet: "Chỉ tiêu".into(),
            }),
            Block::Chart(Chart {
                title: "Đoàn ra, đoàn vào".into(),
                kind: ChartKind::Column,
                categories: vec!["2020".into(), "2021".into(), "2022".into()],
                series: vec![
                    Series {
                        name: "Đoàn vào".into(),
                        values: vec![Some(5.0), Some(8.0), Some(21.0)],
                    },
                    Series {
                        name: "Đoàn ra".into(),
                        values: vec![Some(2.0), None, Some(9.0)],
                    },
                ],
                unit: "đoàn".into(),
                decimals: 0,
                sheet: "Đoàn ra, đoàn vào".into(),
            }),
            Block::Chart(Chart {
                title: "Vốn FDI theo đối tác".into(),
                kind: ChartKind::Bar,
                categories: vec!["Hàn Quốc".into(), "Nhật Bản".into(), "Xin-ga-po".into()],
                series: vec![Series {
                    name: "Vốn đăng ký".into(),
                    values: vec![Some(170.5), Some(120.25), Some(79.59)],
                }],
                unit: "triệu USD".into(),
                decimals: 2,
                // The same sheet name as the first table: must be made unique.
                sheet: "Chỉ tiêu".into(),
            }),
        ],
        closing: Closing {
            recipients: vec!["- Bộ Ngoại giao;".into(), "- Lưu: VT, NV.".into()],
            authority: vec!["KT. GIÁM ĐỐC".into(), "PHÓ GIÁM ĐỐC".into()],
            signer: Some("Nguyễn Văn An".into()),
        },
        footnote: Some("Số liệu từ hệ thống ngoaivu.".into()),
    }
}

fn part(xlsx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn s(v: &str) -> Data {
    Data::String(v.into())
}

#[test]
fn calamine_reads_real_numbers_and_vietnamese_text() {
    let xlsx = ngoaivu_xlsx::write(&sample()).unwrap();
    let mut wb = Xlsx::new(Cursor::new(xlsx)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Báo cáo", "Chỉ tiêu", "Đoàn ra, đoàn vào", "Chỉ tiêu (2)"]
    );

    let report = wb.worksheet_range("Báo cáo").unwrap();
    let texts: Vec<String> = report
        .rows()
        .filter_map(|r| r.first().and_then(|c| c.get_string()).map(String::from))
        .collect();
    for want in [
        "UBND TỈNH VĨNH LONG",
        "SỞ NGOẠI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Long, ngày 20 tháng 12 năm 2022",
        "BÁO CÁO",
        "I. TÌNH HÌNH THỰC HIỆN CÔNG TÁC ĐỐI NGOẠI",
        "Phối hợp với các tỉnh Đắk Lắk, Quảng Nam; vốn FDI đạt 370,34 triệu USD, tăng 37,91%.",
        "Bảng 1. Một số chỉ tiêu đối ngoại năm 2022 (xem trang tính «Chỉ tiêu»)",
        "Nơi nhận:",
        "Nguyễn Văn An",
    ] {
        assert!(texts.iter().any(|t| t == want), "{want:?} not in {texts:?}");
    }

    let t = wb.worksheet_range("Chỉ tiêu").unwrap();
    let at = |r: u32, c: u32| t.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(0, 0), s("Bảng 1. Một số chỉ tiêu đối ngoại năm 2022"));
    assert_eq!(at(1, 0), s("Chỉ tiêu"));
    assert_eq!(at(1, 3), s("Tăng, giảm"));
    assert_eq!(at(2, 0), s("Lượt khách quốc tế"));
    assert_eq!(at(2, 2), Data::Float(1588.0));
    assert_eq!(at(3, 2), Data::Float(370.34));
    assert_eq!(at(3, 3), Data::Float(37.91));
    assert_eq!(at(4, 1), Data::Float(1420.54));
    assert_eq!(at(4, 3), Data::Empty);
    assert_eq!(at(6, 0), s("Nguồn: Sở Ngoại vụ tổng hợp."));

    let d = wb.worksheet_range("Đoàn ra, đoàn vào").unwrap();
    let at = |r: u32, c: u32| d.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(1, 1), s("Đoàn vào (đoàn)"));
    assert_eq!(at(2, 0), s("2020"));
    assert_eq!(at(4, 1), Data::Float(21.0));
    assert_eq!(at(3, 2), Data::Empty, "no figure stays empty");

    let b = wb.worksheet_range("Chỉ tiêu (2)").unwrap();
    assert_eq!(b.get_value((3, 1)), Some(&Data::Float(120.25)));
}

#[test]
fn charts_are_native_and_point_at_the_cells() {
    let xlsx = ngoaivu_xlsx::write(&sample()).unwrap();
    let column = part(&xlsx, "xl/charts/chart1.xml");
    assert!(column.contains(r#"<c:barDir val="col"/>"#));
    assert_eq!(column.matches("<c:ser>").count(), 2);
    for r in [
        "<c:f>'Đoàn ra, đoàn vào'!$B$2</c:f>",
        "<c:f>'Đoàn ra, đoàn vào'!$A$3:$A$5</c:f>",
        "<c:f>'Đoàn ra, đoàn vào'!$B$3:$B$5</c:f>",
        "<c:f>'Đoàn ra, đoàn vào'!$C$3:$C$5</c:f>",
    ] {
        assert!(column.contains(r), "{r} not in {column}");
    }
    assert!(column.contains("Đoàn ra, đoàn vào (đoàn)"), "title");
    let bar = part(&xlsx, "xl/charts/chart2.xml");
    assert!(bar.contains(r#"<c:barDir val="bar"/>"#));
    assert!(bar.contains("<c:f>'Chỉ tiêu (2)'!$B$3:$B$5</c:f>"), "{bar}");
    // The drawings are attached to the chart sheets, not the report.
    let rels = part(&xlsx, "xl/worksheets/_rels/sheet3.xml.rels");
    assert!(rels.contains("drawing"), "{rels}");
    // Number formats travel with the cells.
    let styles = part(&xlsx, "xl/styles.xml");
    for code in [
        "#,##0",
        "#,##0.00",
        "+0.00&quot;%&quot;;-0.00&quot;%&quot;;0.00&quot;%&quot;",
    ] {
        assert!(
            styles.contains(&format!(r#"formatCode="{code}""#)),
            "{code}"
        );
    }
    // Panes frozen under the header row.
    let sheet = part(&xlsx, "xl/worksheets/sheet2.xml");
    assert!(sheet.contains(r#"topLeftCell="A3""#) && sheet.contains(r#"state="frozen""#));
}

#[test]
fn english_report_sheet_is_named_report() {
    let mut doc = sample();
    doc.lang = Lang::En;
    let xlsx = ngoaivu_xlsx::write(&doc).unwrap();
    let wb = Xlsx::new(Cursor::new(xlsx)).unwrap();
    assert_eq!(wb.sheet_names()[0], "Report");
}

#[test]
fn libreoffice_opens_it_and_exports_every_sheet() {
    let xlsx = ngoaivu_xlsx::write(&sample()).unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xlsx-sample");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.xlsx");
    std::fs::write(&file, xlsx).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    // CSV, UTF-8, raw values (not as shown), every sheet to its own file.
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    let out = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
            dir.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run soffice ({e}); install libreoffice-calc-nogui"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |sheet: &str| {
        std::fs::read_to_string(dir.join(format!("report-{sheet}.csv"))).unwrap_or_else(|e| {
            panic!(
                "{sheet}: {e}; files: {:?}",
                std::fs::read_dir(&dir)
                    .unwrap()
                    .map(|f| f.unwrap().file_name())
                    .collect::<Vec<_>>()
            )
        })
    };
    let report = read("Báo cáo");
    assert!(
        report.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        "{report}"
    );
    assert!(report.contains("Đắk Lắk, Quảng Nam"), "{report}");
    let table = read("Chỉ tiêu");
    assert!(
        table.contains("Lượt khách quốc tế,1152,1588,37.85"),
        "{table}"
    );
    assert!(
        table.contains("Vốn FDI đăng ký (triệu USD),268.54,370.34,37.91"),
        "{table}"
    );
    let chart = read("Đoàn ra, đoàn vào");
    assert!(chart.contains("2022,21,9"), "{chart}");
}
