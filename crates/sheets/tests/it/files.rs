//! Real files, generated here: workbooks as provinces keep them (a merged
//! title above the header, blank rows, a total row, a formula, two sheets,
//! dates as serials and as text), CSVs as Excel writes them, and bad inputs.

use std::io::Write;
use std::time::Instant;

use ngoaivu_sheets::*;
use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Formula, Workbook as XWorkbook};
use serde_json::json;
use unicode_normalization::UnicodeNormalization;

fn provincial_workbook() -> Vec<u8> {
    let mut wb = XWorkbook::new();
    let date = XFormat::new().set_num_format("dd/mm/yyyy");
    let bold = XFormat::new().set_bold();
    {
        let ws = wb.add_worksheet();
        ws.set_name("Hướng dẫn").unwrap();
        ws.write(0, 0, "Biểu này gửi Sở Ngoại vụ trước ngày 15/12")
            .unwrap();
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Đoàn ra 2019").unwrap();
        ws.merge_range(0, 0, 0, 7, "DANH SÁCH ĐOÀN RA NĂM 2019", &bold)
            .unwrap();
        ws.write(1, 0, "(Kèm theo Báo cáo số 12/BC-SNgV)").unwrap();
        // Row 3 blank; the header on row 4, with a line break and a unit.
        let headers = [
            "STT",
            "Tên đoàn",
            "Trưởng đoàn",
            "Thời gian đi",
            "Nước đến",
            "Số QĐ cử đoàn",
            "Kinh phí\n(triệu đồng)",
            "Số thành viên",
        ];
        for (i, h) in headers.iter().enumerate() {
            ws.write_with_format(3, i as u16, *h, &bold).unwrap();
        }
        let d1 = ExcelDateTime::from_ymd(2019, 3, 15).unwrap();
        ws.write(4, 0, 1).unwrap();
        ws.write(4, 1, "Xúc tiến đầu tư tại Nhật Bản").unwrap();
        ws.write(4, 2, "Ông Nguyễn Văn A, Phó Chủ tịch UBND tỉnh")
            .unwrap();
        ws.write_datetime_with_format(4, 3, &d1, &date).unwrap();
        ws.write(4, 4, "Nhật Bản").unwrap();
        ws.write(4, 5, "123/QĐ-UBND").unwrap();
        ws.write(4, 6, 350.5).unwrap();
        ws.write(4, 7, 8).unwrap();
        ws.write(5, 0, 2).unwrap();
        ws.write(5, 1, "Làm việc với tỉnh Xiêng Khoảng").unwrap();
        ws.write(5, 2, "Bà Trần Thị B").unwrap();
        ws.write(5, 3, "tháng 5/2019").unwrap();
        ws.write(5, 4, "Lào").unwrap();
        ws.write(5, 6, "1.200").unwrap();
        ws.write(5, 7, 5).unwrap();
        // A blank row, then the total with a formula and its cached value.
        ws.write(7, 1, "Tổng cộng").unwrap();
        ws.write_formula(7, 6, Formula::new("=SUM(G5:G6)").set_result("1550.5"))
            .unwrap();
        ws.write_formula(7, 7, Formula::new("=SUM(H5:H6)").set_result("13"))
            .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_provincial_workbook() {
    let bytes = provincial_workbook();
    let wb = read(&bytes, "doan ra 2019.xlsx", &Limits::default()).unwrap();
    assert_eq!(wb.format, Format::Xlsx);
    assert_eq!(wb.sheets.len(), 2);
    let s = &wb.sheets[1];
    assert!(
        matches!(s.cell(4, 3), Cell::Date(d) if *d == 43539.0),
        "{:?}",
        s.cell(4, 3)
    );
    assert_eq!(
        s.cell(7, 6),
        &Cell::Number(1550.5),
        "the formula's cached value"
    );
    let m = propose(RecordType::Delegation, &wb, None).unwrap();
    assert_eq!((m.sheet.as_str(), m.header_row), ("Đoàn ra 2019", 4));
    assert_eq!(m.columns[6].header, "Kinh phí (triệu đồng)");
    let rows = convert(RecordType::Delegation, &wb, &m);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let a = &rows[0];
    assert_eq!(a.row, 5);
    // The direction is not in the sheet: the row says what is missing.
    assert_eq!(a.errors.len(), 1, "{:?}", a.errors);
    assert_eq!(a.errors[0].cell, "'Đoàn ra 2019'!A5");
    assert_eq!(a.errors[0].vi, "thiếu đoàn ra/đoàn vào");
    assert_eq!(
        a.body["leader"],
        json!({"name": "Ông Nguyễn Văn A", "position": "Phó Chủ tịch UBND tỉnh"})
    );
    assert_eq!(a.body["start_on"], "2019-03-15");
    assert_eq!(a.body["countries"], json!(["JP"]));
    assert_eq!(a.body["decision_number"], "123/QĐ-UBND");
    assert_eq!(
        a.body["budget"],
        json!({"amount": "350500000", "currency": "VND"})
    );
    let b = &rows[1];
    assert_eq!(b.body["start_on"], "2019-05-01");
    assert_eq!(b.body["budget"]["amount"], "1200000000");
    assert_eq!(cell_ref(&m.sheet, 4, 3), "'Đoàn ra 2019'!D5");
}

#[test]
fn csv_from_excel_in_windows_1258_with_semicolons() {
    // Excel under Vietnamese settings: `;`, `,` as decimal mark,
    // Windows-1258 with tone marks as combining characters.
    let text = "Tên dự án;Loại dự án;Nhà đầu tư;Quốc gia;Vốn đăng ký (triệu USD);Ngày cấp phép\r\n\
                Nhà máy chế biến cà phê;FDI;Công ty Gunma Coffee;Nhật Bản;3,5;15/03/2019\r\n\
                Dự án nước sạch;ODA;JICA;Nhật Bản;12;2019\r\n\
                Tổng cộng;;;;15,5;\r\n";
    let text = cp1258_form(text);
    let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&text);
    assert!(!bad);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let wb = read(&bytes, "du an.csv", &Limits::default()).unwrap();
    assert_eq!(wb.format, Format::Csv);
    let m = propose(RecordType::Project, &wb, None).unwrap();
    let rows = convert(RecordType::Project, &wb, &m);
    assert_eq!(rows.len(), 2);
    let a = &rows[0];
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.body["name"], "Nhà máy chế biến cà phê");
    assert_eq!(a.body["kind"], "fdi");
    assert_eq!(
        a.body["capital"],
        json!({"amount": "3500000", "currency": "USD"})
    );
    assert_eq!(a.partners[0].name, "Công ty Gunma Coffee");
    assert_eq!(a.partners[0].country.as_deref(), Some("JP"));
    assert_eq!(rows[1].body["approved_on"], "2019-01-01");
}

#[test]
fn csv_in_utf16_with_bom_and_tabs() {
    let text = "Họ và tên\tDoanh nghiệp\tNền kinh tế APEC\tTrạng thái\r\nPhạm Thị D\tCông ty A\tNhật Bản, Hàn Quốc, Úc\tĐã cấp thẻ\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let wb = read(&bytes, "abtc.txt", &Limits::default()).unwrap();
    let m = propose(RecordType::AbtcApproval, &wb, None).unwrap();
    let rows = convert(RecordType::AbtcApproval, &wb, &m);
    assert!(rows[0].errors.is_empty(), "{:?}", rows[0].errors);
    assert_eq!(rows[0].body["economies"], json!(["JP", "KR", "AU"]));
    assert_eq!(rows[0].body["status"], "issued");
}

/// Text as Windows-1258 holds it (see `read`'s tests).
fn cp1258_form(s: &str) -> String {
    let tone = |c: char| matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}');
    let mut out = String::new();
    let (mut base, mut tones) = (String::new(), String::new());
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            if tone(c) { tones.push(c) } else { base.push(c) }
        } else {
            out.extend(base.nfc());
            out.push_str(&tones);
            base = c.to_string();
            tones.clear();
        }
    }
    out.extend(base.nfc());
    out.push_str(&tones);
    out
}

fn zip_with(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn bad_inputs_are_refused_with_their_reason() {
    let l = Limits::default();
    let e = read(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "bao cao.xlsx", &l).unwrap_err();
    assert_eq!(e.code, "not_a_spreadsheet");
    assert!(e.vi.contains("PDF") && e.en.contains("PDF"));

    let good = provincial_workbook();
    let e = read(&good[..good.len() / 2], "cut.xlsx", &l).unwrap_err();
    assert_eq!(e.code, "corrupt", "{e}");

    // A DOCTYPE in a worksheet: entity expansion is never allowed.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&good)).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(data).unwrap();
            let text = text.replacen("?>", "?><!DOCTYPE lol [<!ENTITY lol \"lol\">]>", 1);
            data = text.into_bytes();
        }
        entries.push((name, data));
    }
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let evil = zip_with(&refs, zip::CompressionMethod::Deflated);
    let e = read(&evil, "evil.xlsx", &l).unwrap_err();
    assert_eq!(e.code, "doctype", "{e}");

    // The same in UTF-16, in a part whose name does not say XML.
    let mut sneaky = vec![0xFF, 0xFE];
    sneaky.extend(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE x [<!ENTITY a \"b\">]><worksheet/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let evil = zip_with(
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.dat", &sneaky),
        ],
        zip::CompressionMethod::Deflated,
    );
    assert_eq!(read(&evil, "evil.xlsx", &l).unwrap_err().code, "doctype");

    // A zip bomb: 64 MB of spaces packed about a thousand to one.
    let zeros = vec![b' '; 64 << 20];
    let bomb = zip_with(
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", &zeros),
        ],
        zip::CompressionMethod::Deflated,
    );
    drop(zeros);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    let t = Instant::now();
    let e = read(&bomb, "bomb.xlsx", &l).unwrap_err();
    assert_eq!(e.code, "zip_bomb", "{e}");
    assert!(t.elapsed().as_secs() < 5);
    let small = Limits {
        max_unpacked: 10 << 20,
        ..l
    };
    let e = read(
        &good,
        "ok.xlsx",
        &Limits {
            max_unpacked: 100,
            ..small
        },
    )
    .unwrap_err();
    assert_eq!(e.code, "zip_bomb");

    // A Word document and an encrypted workbook.
    let docx = zip_with(
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ],
        zip::CompressionMethod::Stored,
    );
    assert_eq!(
        read(&docx, "x.xlsx", &l).unwrap_err().code,
        "not_a_spreadsheet"
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 600]);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let e = read(&ole, "secret.xlsx", &l).unwrap_err();
    assert_eq!(e.code, "encrypted");
    assert_eq!(
        e.vi,
        "Tệp được mã hóa bằng mật khẩu; hãy gỡ mật khẩu trong Excel rồi tải lên lại."
    );
    assert_eq!(
        e.en,
        "The workbook is password-protected; remove the password in Excel and upload it again."
    );
    assert!(e.to_string().contains("password"));
}

#[test]
fn a_million_rows_are_refused_quickly() {
    let mut wb = XWorkbook::new();
    {
        let ws = wb.add_worksheet_with_constant_memory().unwrap();
        ws.set_name("Lớn").unwrap();
        ws.write(0, 0, "Tên đối tác").unwrap();
        for r in 1..1_000_000u32 {
            ws.write_number(r, 0, r as f64).unwrap();
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let t = Instant::now();
    let e = read(&bytes, "big.xlsx", &Limits::default()).unwrap_err();
    assert_eq!(e.code, "too_many_rows", "{e}");
    assert!(e.vi.contains("Lớn") && e.vi.contains("200.000"), "{}", e.vi);
    assert!(e.en.contains("200,000"), "{}", e.en);
    eprintln!("refused in {:?} ({} bytes)", t.elapsed(), bytes.len());
}

#[test]
fn fifty_thousand_rows_convert() {
    // 50,000 rows × 12 columns; the time is not asserted (debug builds),
    // only that the path has no quadratic step.
    let headers = [
        "Tên sự kiện",
        "Loại sự kiện",
        "Ngày bắt đầu",
        "Ngày kết thúc",
        "Địa điểm",
        "Quốc gia",
        "Đối tác",
        "Số người tham dự",
        "Địa phương",
        "Ghi chú",
        "STT",
        "Mã bản ghi",
    ];
    let mut rows = vec![
        headers
            .iter()
            .map(|h| Cell::Text((*h).into()))
            .collect::<Vec<_>>(),
    ];
    for i in 0..50_000 {
        rows.push(vec![
            Cell::Text(format!("Hội nghị {i}")),
            Cell::Text("Hội thảo".into()),
            Cell::Date(43539.0 + (i % 300) as f64),
            Cell::Text("20/03/2019".into()),
            Cell::Text("Buôn Ma Thuột".into()),
            Cell::Text(
                if i % 2 == 0 {
                    "Nhật Bản"
                } else {
                    "Hàn Quốc"
                }
                .into(),
            ),
            Cell::Text("Tỉnh Gunma; JETRO".into()),
            Cell::Number(120.0),
            Cell::Text("Tỉnh Đắk Lắk".into()),
            Cell::Text("Ghi chú".into()),
            Cell::Number(i as f64),
            Cell::Empty,
        ]);
    }
    let wb = Workbook {
        format: Format::Xlsx,
        sheets: vec![Sheet {
            name: "Sự kiện".into(),
            rows,
        }],
    };
    let t = Instant::now();
    let m = propose(RecordType::Event, &wb, None).unwrap();
    let out = convert(RecordType::Event, &wb, &m);
    eprintln!("50,000 rows converted in {:?}", t.elapsed());
    assert_eq!(out.len(), 50_000);
    assert!(
        out.iter().all(|r| r.errors.is_empty()),
        "{:?}",
        out[0].errors
    );
    assert_eq!(out[0].body["kind"], "seminar");
    assert_eq!(out[0].body["locality"], "dak-lak");
}

fn ods(rows_xml: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Sự kiện">{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", deflated).unwrap();
        z.write_all(manifest.as_bytes()).unwrap();
        z.start_file("content.xml", deflated).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn ods_text(s: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
    )
}

#[test]
fn an_ods_workbook_named_xls() {
    let rows = format!(
        r#"<table:table-row>{}{}{}</table:table-row><table:table-row>{}{}<table:table-cell office:value-type="date" office:date-value="2019-03-18"><text:p>18/03/2019</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="120"><text:p>120</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        ods_text("Tên sự kiện") + &ods_text("Loại sự kiện"),
        ods_text("Ngày bắt đầu"),
        ods_text("Số người tham dự"),
        ods_text("Hội nghị xúc tiến đầu tư tại Tokyo"),
        ods_text("Xúc tiến đầu tư"),
    );
    // The name says .xls; the content is ODS, and is read as such.
    let wb = read(&ods(&rows), "su kien.xls", &Limits::default()).unwrap();
    assert_eq!(wb.format, Format::Ods);
    assert_eq!(
        wb.sheets[0].rows.len(),
        2,
        "empty repeated rows are not rows"
    );
    let m = propose(RecordType::Event, &wb, None).unwrap();
    let out = convert(RecordType::Event, &wb, &m);
    assert_eq!(out.len(), 1);
    assert!(out[0].errors.is_empty(), "{:?}", out[0].errors);
    assert_eq!(out[0].body["start_on"], "2019-03-18");
    assert_eq!(out[0].body["participants"], 120);
    assert_eq!(out[0].body["kind"], "investment_promotion");
}

#[test]
fn an_ods_repeating_a_filled_row_a_million_times_is_refused() {
    let rows = format!(
        r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="1000000">{}</table:table-row>"#,
        ods_text("Tên đối tác"),
        ods_text("Tỉnh Gunma"),
    );
    let t = Instant::now();
    let e = read(&ods(&rows), "x.ods", &Limits::default()).unwrap_err();
    assert_eq!(e.code, "too_many_rows", "{e}");
    assert!(t.elapsed().as_secs() < 5);
}
