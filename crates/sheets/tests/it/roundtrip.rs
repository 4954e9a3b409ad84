//! For every record type: a realistic body → XLSX and CSV exports (both
//! languages) → read → propose (every column mapped, no correction) →
//! convert → the same body and the same partner names. And the templates:
//! their example row imports as a valid record.

use ngoaivu_core::records::{Context, prepare};
use ngoaivu_core::refdata::refdata;
use ngoaivu_sheets::*;
use serde_json::{Value, json};

fn indicators() -> Vec<(String, Vec<String>)> {
    refdata()
        .indicators
        .iter()
        .map(|i| (i.code.clone(), i.units.clone()))
        .collect()
}

/// A province's context, as the store builds it (`context_for`).
fn ctx(ind: &[(String, Vec<String>)]) -> Context<'_> {
    Context {
        allowed_localities: Some(refdata().localities_of("dak-lak")),
        default_locality: Some("dak-lak".into()),
        indicators: ind,
    }
}

/// Put the partners' ids back from their names, as the integrator does.
fn resolve(row: &RowOutcome, names: &[(i64, String)]) -> Value {
    let mut body = row.body.clone();
    let id = |n: &str| {
        names
            .iter()
            .find(|(_, m)| m == n)
            .map(|(i, _)| *i)
            .unwrap_or_else(|| panic!("unknown partner {n}"))
    };
    let ids: Vec<i64> = row
        .partners
        .iter()
        .filter(|p| p.field == "partner_ids")
        .map(|p| id(&p.name))
        .collect();
    if !ids.is_empty() {
        body["partner_ids"] = json!(ids);
    }
    for p in row.partners.iter().filter(|p| p.field != "partner_ids") {
        body[p.field] = json!(id(&p.name));
    }
    body
}

fn check_import(
    rt: RecordType,
    bytes: &[u8],
    file: &str,
    want: &Value,
    names: &[(i64, String)],
    template: bool,
) {
    let ind = indicators();
    let wb = read(bytes, file, &Limits::default()).unwrap_or_else(|e| panic!("{rt:?} {file}: {e}"));
    let m = propose(rt, &wb, None).unwrap_or_else(|e| panic!("{rt:?} {file}: {e}"));
    assert_eq!(m.header_row, 1, "{rt:?} {file}");
    let mapped: Vec<&str> = m
        .columns
        .iter()
        .map(|c| c.key.as_deref().unwrap_or("?"))
        .collect();
    let expected: Vec<&str> = columns(rt)
        .iter()
        .filter(|c| !(template && c.export_only()))
        .map(|c| c.key)
        .collect();
    assert_eq!(
        mapped, expected,
        "{rt:?} {file}: every column maps to itself"
    );
    let rows = convert(rt, &wb, &m);
    assert_eq!(rows.len(), 1, "{rt:?} {file}: {rows:#?}");
    let row = &rows[0];
    assert!(row.errors.is_empty(), "{rt:?} {file}: {:#?}", row.errors);
    assert_eq!(row.row, 2);
    // The partner names come back as written.
    let mut got_names: Vec<&str> = row.partners.iter().map(|p| p.name.as_str()).collect();
    got_names.sort();
    let mut want_names: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
    want_names.sort();
    assert_eq!(got_names, want_names, "{rt:?} {file}");
    let body = resolve(row, names);
    let (back, _) =
        prepare(rt, &body, &ctx(&ind)).unwrap_or_else(|e| panic!("{rt:?} {file}: {e:?}\n{body:#}"));
    assert_eq!(&back, want, "{rt:?} {file}");
}

#[test]
fn every_type_survives_export_and_import() {
    let ind = indicators();
    for rt in RecordType::ALL {
        let (body, names) = example(rt);
        let (want, _) = prepare(rt, &body, &ctx(&ind)).unwrap_or_else(|e| panic!("{rt:?}: {e:?}"));
        let row = ExportRow {
            id: 42,
            link: format!("https://ngoaivu.example/records/{}/42", rt.path()),
            body: &want,
            partner_names: names.clone(),
        };
        for lang in [Lang::Vi, Lang::En] {
            let mut x = XlsxExport::new(rt, lang).unwrap();
            x.push(&row).unwrap();
            let bytes = x.finish().unwrap();
            check_import(rt, &bytes, "export.xlsx", &want, &names, false);

            let mut c = CsvExport::new(rt, lang, Vec::new()).unwrap();
            c.push(&row).unwrap();
            let bytes = c.finish().unwrap();
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
            check_import(rt, &bytes, "export.csv", &want, &names, false);
        }
    }
}

#[test]
fn templates_import_their_example_row() {
    let ind = indicators();
    for rt in RecordType::ALL {
        let (body, names) = example(rt);
        let (want, _) = prepare(rt, &body, &ctx(&ind)).unwrap();
        for lang in [Lang::Vi, Lang::En] {
            let bytes = template(rt, lang);
            assert!(!bytes.is_empty(), "{rt:?}");
            let wb = read(&bytes, "mau.xlsx", &Limits::default()).unwrap();
            // The data sheet, the notes and the hidden lists.
            assert_eq!(wb.sheets.len(), 3, "{rt:?}");
            check_import(rt, &bytes, "mau.xlsx", &want, &names, true);
            // Drop-down lists from the hidden sheet, a frozen header.
            let part = |name: &str| {
                let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
                let mut s = String::new();
                std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
                s
            };
            let sheet = part("xl/worksheets/sheet1.xml");
            assert!(
                sheet.contains("<dataValidation ") && sheet.contains("$A$2:$A$"),
                "{rt:?}"
            );
            assert!(sheet.contains("state=\"frozen\""), "{rt:?}");
            assert!(
                part("xl/workbook.xml").contains("state=\"hidden\""),
                "{rt:?}"
            );
        }
    }
}

#[test]
fn formula_text_stays_text() {
    let (body, _) = example(RecordType::Partner);
    let row = ExportRow {
        id: 1,
        link: String::new(),
        body: &body,
        partner_names: vec![],
    };
    let mut c = CsvExport::new(RecordType::Partner, Lang::Vi, Vec::new()).unwrap();
    c.push(&row).unwrap();
    let text = String::from_utf8(c.finish().unwrap()).unwrap();
    assert!(text.contains(",'=Kết nghĩa"), "{text}");
    let mut x = XlsxExport::new(RecordType::Partner, Lang::Vi).unwrap();
    x.push(&row).unwrap();
    let bytes = x.finish().unwrap();
    // No formula element in the sheet: the text is a string.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(!sheet.contains("<f>"), "{sheet}");
}

#[test]
fn a_hundred_thousand_rows_export_and_read_back() {
    // A tenth in debug builds, where the writer is slow.
    let n: i64 = if cfg!(debug_assertions) {
        10_000
    } else {
        100_000
    };
    let (body, names) = example(RecordType::Event);
    let t = std::time::Instant::now();
    let mut x = XlsxExport::new(RecordType::Event, Lang::Vi).unwrap();
    for id in 1..=n {
        x.push(&ExportRow {
            id,
            link: String::new(),
            body: &body,
            partner_names: names.clone(),
        })
        .unwrap();
    }
    let bytes = x.finish().unwrap();
    eprintln!(
        "{n} rows written in {:?}, {} bytes",
        t.elapsed(),
        bytes.len()
    );
    let wb = read(&bytes, "su-kien.xlsx", &Limits::default()).unwrap();
    assert_eq!(wb.sheets[0].rows.len(), n as usize + 1);
    assert_eq!(wb.sheets[0].rows[n as usize][0], Cell::Number(n as f64));
}

#[test]
fn awkward_text_survives_xlsx() {
    let (mut body, _) = example(RecordType::Partner);
    body["notes"] = json!("dòng 1\r\ndòng 2\tcột\u{1}\u{FFFE} _x000D_ hết");
    body["name"] = json!("  Tỉnh Gunma  ");
    let row = ExportRow {
        id: 1,
        link: String::new(),
        body: &body,
        partner_names: vec![],
    };
    let mut x = XlsxExport::new(RecordType::Partner, Lang::Vi).unwrap();
    x.push(&row).unwrap();
    let wb = read(&x.finish().unwrap(), "x.xlsx", &Limits::default()).unwrap();
    let m = propose(RecordType::Partner, &wb, None).unwrap();
    let out = convert(RecordType::Partner, &wb, &m);
    // Characters XML forbids are gone; everything else is kept.
    assert_eq!(out[0].body["notes"], "dòng 1\r\ndòng 2\tcột _x000D_ hết");
    // Cells are trimmed on import.
    assert_eq!(out[0].body["name"], "Tỉnh Gunma");
}
