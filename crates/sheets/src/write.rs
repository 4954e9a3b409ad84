//! Writing: exports (XLSX, CSV) and entry templates, from the same column
//! declarations the importer reads with, so an export imports back whole.
//!
//! - XLSX cells hold real numbers and dates (dates as Excel dates shown
//!   `dd/mm/yyyy`, amounts as numbers shown `#,##0` or `#,##0.##…`); text
//!   is always written as a string, never as a formula, so `=HYPERLINK(…)`
//!   typed in a note stays text. Characters XML forbids (control characters
//!   other than tab and line breaks, U+FFFE, U+FFFF) are removed.
//! - CSV is UTF-8 **with a BOM** and `,`: without the BOM, Excel opens a
//!   CSV in the ANSI code page of the machine (Windows-1258 under
//!   Vietnamese settings) and garbles every diacritic; `,` is RFC 4180 and
//!   what every other tool expects (Excel under Vietnamese settings, whose
//!   list separator is `;`, opens it through Data › From Text/CSV; our
//!   importer detects either). A text cell starting with `=`, `+`, `-`, `@`,
//!   tab or CR gets a leading `'` (OWASP's advice against formula injection);
//!   the importer removes exactly that quote again.
//! - Numbers written as text (CSV, or an XLSX amount a float cannot hold
//!   exactly) never end in exactly three decimals, which would read as
//!   thousands (`1,234` → 1234): a zero is added (`1,2340`).

use std::io::Write;

use ngoaivu_core::Lang;
use ngoaivu_core::RecordType;
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::values::{Period, format_date_vi, parse_date};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format as XFormat, FormatBorder, Formula,
    Workbook as XWorkbook, Worksheet, XlsxError,
};
use serde_json::Value;
use std::str::FromStr;

use crate::columns::{Choice, Column, ColumnKind, columns};
use crate::error::SheetError;
use crate::values::{date_to_serial, f64_to_decimal, format_period};

/// One record to export.
pub struct ExportRow<'a> {
    pub id: i64,
    /// Where the record is in ngoaivu (written, never read back).
    pub link: String,
    pub body: &'a Value,
    /// The names of the partners the body references (`partner_ids`,
    /// `investor_id`), by id.
    pub partner_names: Vec<(i64, String)>,
}

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
enum Out {
    Blank,
    Text(String),
    /// A number written by us (never prefixed against injection).
    Number(f64),
    /// A number that a float would not hold exactly, as text.
    NumText(String),
    Date(time::Date),
}

fn get<'a>(body: &'a Value, key: &str) -> Option<&'a Value> {
    let mut v = body;
    for part in key.split('.') {
        v = v.get(part)?;
    }
    (!v.is_null()).then_some(v)
}

fn label(list: &[Choice], code: &str, lang: Lang) -> String {
    list.iter()
        .find(|c| c.code == code)
        .map(|c| lang.pick(c.vi, c.en).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn country_name(code: &str, lang: Lang) -> String {
    refdata()
        .country(code)
        .map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// A decimal as text that reads back the same (see the module notes).
fn decimal_text(d: Decimal, lang: Lang) -> String {
    let s = d.normalize().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if frac.is_empty() {
        return int.to_owned();
    }
    let mark = if lang == Lang::Vi { ',' } else { '.' };
    let pad = if frac.len() == 3 { "0" } else { "" };
    format!("{int}{mark}{frac}{pad}")
}

fn decimal_out(v: &Value, lang: Lang) -> Out {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Out::Blank,
    };
    let Ok(d) = Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&text)) else {
        return Out::Text(text);
    };
    let f: f64 = d.to_string().parse().unwrap_or(f64::NAN);
    if f64_to_decimal(f).is_some_and(|back| back.normalize() == d.normalize()) {
        Out::Number(f)
    } else {
        Out::NumText(decimal_text(d, lang))
    }
}

fn partner_name(id: i64, names: &[(i64, String)]) -> String {
    names
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| format!("#{id}"))
}

/// The cell of `col` for a record.
fn cell_for(col: &Column, row: &ExportRow, lang: Lang) -> Out {
    let body = row.body;
    match col.key {
        "id" => return Out::Number(row.id as f64),
        "link" => {
            return if row.link.is_empty() {
                Out::Blank
            } else {
                Out::Text(row.link.clone())
            };
        }
        _ => {}
    }
    let Some(v) = (if col.kind == ColumnKind::Currency {
        get(body, col.key.strip_suffix(".currency").unwrap_or(col.key))
            .and_then(|m| m.get("currency"))
    } else {
        get(body, col.key)
    }) else {
        return Out::Blank;
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    match col.kind {
        ColumnKind::Text | ColumnKind::LongText | ColumnKind::Currency => Out::Text(text(v)),
        ColumnKind::Date => match v.as_str().and_then(parse_date) {
            Some(d) => Out::Date(d),
            None => Out::Text(text(v)),
        },
        ColumnKind::Integer | ColumnKind::Id => match v.as_i64() {
            Some(n) => Out::Number(n as f64),
            None => Out::Text(text(v)),
        },
        ColumnKind::Decimal => decimal_out(v, lang),
        ColumnKind::Money => v.get("amount").map_or(Out::Blank, |a| decimal_out(a, lang)),
        ColumnKind::Country => Out::Text(country_name(&text(v), lang)),
        ColumnKind::Countries => {
            let names: Vec<String> = v
                .as_array()
                .map(|a| a.iter().map(|c| country_name(&text(c), lang)).collect())
                .unwrap_or_default();
            if names.is_empty() {
                Out::Blank
            } else {
                Out::Text(names.join(", "))
            }
        }
        ColumnKind::Choice(list) => Out::Text(label(list, &text(v), lang)),
        ColumnKind::Choices(list) => {
            let labels: Vec<String> = v
                .as_array()
                .map(|a| a.iter().map(|c| label(list, &text(c), lang)).collect())
                .unwrap_or_default();
            if labels.is_empty() {
                Out::Blank
            } else {
                Out::Text(labels.join(", "))
            }
        }
        ColumnKind::Partner => match v.as_i64() {
            Some(id) => Out::Text(partner_name(id, &row.partner_names)),
            None => Out::Blank,
        },
        ColumnKind::Partners => {
            let names: Vec<String> = v
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_i64)
                        .map(|id| partner_name(id, &row.partner_names))
                        .collect()
                })
                .unwrap_or_default();
            if names.is_empty() {
                Out::Blank
            } else {
                Out::Text(names.join("; "))
            }
        }
        ColumnKind::Bool => match v.as_bool() {
            Some(true) => Out::Text(lang.pick("Có", "Yes").to_owned()),
            _ => Out::Blank,
        },
        ColumnKind::Period => match serde_json::from_value::<Period>(v.clone()) {
            Ok(p) => Out::Text(format_period(&p, lang)),
            Err(_) => Out::Text(text(v)),
        },
        ColumnKind::Json => {
            let v = if col.key == "translations" {
                // The languages the flat columns do not hold.
                let others: serde_json::Map<String, Value> = v
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .filter(|(k, _)| !matches!(k.as_str(), "vi" | "en"))
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                if others.is_empty() {
                    return Out::Blank;
                }
                Value::Object(others)
            } else {
                v.clone()
            };
            match &v {
                Value::Array(a) if a.is_empty() => Out::Blank,
                v => Out::Text(v.to_string()),
            }
        }
    }
}

/// The columns an export writes (all) and a template writes (not `id`, `link`).
fn export_columns(rt: RecordType, template: bool) -> Vec<&'static Column> {
    columns(rt)
        .iter()
        .filter(|c| !(template && c.export_only()))
        .collect()
}

// ------------------------------------------------------------------ CSV

fn csv_error(e: impl std::fmt::Display) -> SheetError {
    SheetError::new(
        "write_failed",
        format!("Không ghi được tệp CSV: {e}"),
        format!("The CSV file could not be written: {e}"),
    )
}

/// A text cell Excel would run as a formula gets a leading `'`.
fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// A CSV export: UTF-8 with a BOM, `,`, CRLF, headers in `lang`.
pub struct CsvExport<W: Write> {
    w: csv::Writer<W>,
    cols: Vec<&'static Column>,
    lang: Lang,
}

impl<W: Write> CsvExport<W> {
    /// Writes the BOM and the header row.
    pub fn new(rt: RecordType, lang: Lang, mut w: W) -> Result<Self, SheetError> {
        w.write_all(b"\xEF\xBB\xBF").map_err(csv_error)?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(w);
        let cols = export_columns(rt, false);
        w.write_record(cols.iter().map(|c| c.header(lang)))
            .map_err(csv_error)?;
        Ok(CsvExport { w, cols, lang })
    }

    pub fn push(&mut self, row: &ExportRow) -> Result<(), SheetError> {
        let lang = self.lang;
        let cells: Vec<String> = self
            .cols
            .iter()
            .map(|c| match cell_for(c, row, lang) {
                Out::Blank => String::new(),
                Out::Text(t) => defuse(&t),
                Out::Number(n) => match f64_to_decimal(n) {
                    Some(d) => decimal_text(d, lang),
                    None => String::new(),
                },
                Out::NumText(t) => t,
                Out::Date(d) => match lang {
                    Lang::Vi => format_date_vi(d),
                    Lang::En => ngoaivu_core::values::format_date(d),
                },
            })
            .collect();
        self.w.write_record(&cells).map_err(csv_error)
    }

    /// Flush and give the writer back.
    pub fn finish(self) -> Result<W, SheetError> {
        self.w.into_inner().map_err(csv_error)
    }
}

// ------------------------------------------------------------------ XLSX

fn xlsx_error(e: XlsxError) -> SheetError {
    SheetError::new(
        "write_failed",
        format!("Không ghi được tệp Excel: {e}"),
        format!("The Excel file could not be written: {e}"),
    )
}

/// Remove what XML 1.0 forbids, and cut at Excel's 32,767 characters a cell.
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .take(32_767)
        .collect()
}

fn width(kind: ColumnKind) -> f64 {
    match kind {
        ColumnKind::LongText | ColumnKind::Json => 45.0,
        ColumnKind::Text | ColumnKind::Partners | ColumnKind::Partner => 30.0,
        ColumnKind::Countries | ColumnKind::Choices(_) => 26.0,
        ColumnKind::Choice(_) | ColumnKind::Country => 22.0,
        ColumnKind::Date => 13.0,
        ColumnKind::Money | ColumnKind::Decimal => 18.0,
        ColumnKind::Integer
        | ColumnKind::Id
        | ColumnKind::Currency
        | ColumnKind::Bool
        | ColumnKind::Period => 12.0,
    }
}

struct Formats {
    header: XFormat,
    date: XFormat,
    int: XFormat,
    dec: XFormat,
    wrap: XFormat,
    /// Plain text cells, when they have a format.
    text: Option<XFormat>,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: XFormat::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_border(FormatBorder::Thin),
            date: XFormat::new().set_num_format("dd/mm/yyyy"),
            int: XFormat::new().set_num_format("#,##0"),
            dec: XFormat::new().set_num_format("#,##0.##########"),
            wrap: XFormat::new().set_text_wrap(),
            text: None,
        }
    }

    /// The template's example row: grey italics, so that it reads as an
    /// example to overwrite or delete.
    fn example() -> Self {
        let grey = |f: XFormat| f.set_italic().set_font_color(Color::RGB(0x7F7F7F));
        let f = Formats::new();
        Formats {
            header: f.header,
            date: grey(f.date),
            int: grey(f.int),
            dec: grey(f.dec),
            wrap: grey(f.wrap),
            text: Some(grey(XFormat::new())),
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(31)
        .collect::<String>()
        .trim()
        .to_owned()
}

fn write_header(
    ws: &mut Worksheet,
    cols: &[&Column],
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (i, c) in cols.iter().enumerate() {
        ws.set_column_width(i as u16, width(c.kind))?;
        ws.write_string_with_format(0, i as u16, c.header(lang), &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_row(
    ws: &mut Worksheet,
    r: u32,
    cols: &[&Column],
    row: &ExportRow,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (i, c) in cols.iter().enumerate() {
        let col = i as u16;
        match cell_for(c, row, lang) {
            Out::Blank => {}
            Out::Text(t) => {
                let t = xml_safe(&t);
                if c.kind == ColumnKind::LongText && t.contains('\n') {
                    ws.write_string_with_format(r, col, &t, &f.wrap)?;
                } else if let Some(fmt) = &f.text {
                    ws.write_string_with_format(r, col, &t, fmt)?;
                } else {
                    ws.write_string(r, col, &t)?;
                }
            }
            Out::NumText(t) => match &f.text {
                Some(fmt) => {
                    ws.write_string_with_format(r, col, &t, fmt)?;
                }
                None => {
                    ws.write_string(r, col, &t)?;
                }
            },
            Out::Number(n) => {
                let fmt = if n.fract() == 0.0 { &f.int } else { &f.dec };
                let fmt = if matches!(c.kind, ColumnKind::Id) {
                    &f.wrap
                } else {
                    fmt
                };
                ws.write_number_with_format(r, col, n, fmt)?;
            }
            Out::Date(d) => {
                ws.write_number_with_format(r, col, date_to_serial(d) as f64, &f.date)?;
            }
        }
    }
    Ok(())
}

/// An XLSX export in constant memory: each row goes to a temporary file as
/// it is pushed, so 100,000 rows take no more memory than ten.
pub struct XlsxExport {
    wb: XWorkbook,
    cols: Vec<&'static Column>,
    lang: Lang,
    formats: Formats,
    next_row: u32,
}

impl XlsxExport {
    pub fn new(rt: RecordType, lang: Lang) -> Result<Self, SheetError> {
        let mut wb = XWorkbook::new();
        let cols = export_columns(rt, false);
        let formats = Formats::new();
        let ws = wb
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        ws.set_name(sheet_name(rt.label(lang)))
            .map_err(xlsx_error)?;
        write_header(ws, &cols, lang, &formats).map_err(xlsx_error)?;
        ws.autofilter(0, 0, 0, cols.len().saturating_sub(1) as u16)
            .map_err(xlsx_error)?;
        Ok(XlsxExport {
            wb,
            cols,
            lang,
            formats,
            next_row: 1,
        })
    }

    pub fn push(&mut self, row: &ExportRow) -> Result<(), SheetError> {
        if self.next_row >= 1_048_576 {
            return Err(SheetError::new(
                "too_many_rows",
                "Excel chỉ chứa được 1.048.576 dòng một trang; hãy xuất CSV hoặc lọc bớt.",
                "Excel holds at most 1,048,576 rows a sheet; export CSV or filter.",
            ));
        }
        let ws = self.wb.worksheet_from_index(0).map_err(xlsx_error)?;
        write_row(ws, self.next_row, &self.cols, row, self.lang, &self.formats)
            .map_err(xlsx_error)?;
        self.next_row += 1;
        Ok(())
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, SheetError> {
        self.wb.save_to_buffer().map_err(xlsx_error)
    }

    /// Write the workbook to a file.
    pub fn save(mut self, path: impl AsRef<std::path::Path>) -> Result<(), SheetError> {
        self.wb.save(path).map_err(xlsx_error)
    }

    /// Write the workbook to `w` (a file, a response body) without holding
    /// it whole in memory first.
    pub fn finish_to<W: Write + Send>(mut self, w: W) -> Result<(), SheetError> {
        self.wb.save_to_writer(w).map_err(xlsx_error)
    }
}

// ------------------------------------------------------------------ templates

/// Rows of a template that get the drop-down lists.
const TEMPLATE_ROWS: u32 = 2000;

fn kind_note(c: &Column, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let list = |l: &[Choice]| -> String {
        l.iter()
            .map(|c| lang.pick(c.vi, c.en))
            .take(40)
            .collect::<Vec<_>>()
            .join("; ")
    };
    match c.kind {
        ColumnKind::Text => {
            if vi {
                "Văn bản".into()
            } else {
                "Text".into()
            }
        }
        ColumnKind::LongText => {
            if vi {
                "Văn bản, có thể nhiều dòng".into()
            } else {
                "Text, may span lines".into()
            }
        }
        ColumnKind::Date => {
            if vi {
                "Ngày: ngày/tháng/năm (15/03/2019); tháng (tháng 3/2019), quý (Quý II/2020) hoặc năm (2019) cũng được".into()
            } else {
                "Date: day/month/year (15/03/2019); a month (03/2019), quarter (Q2 2020) or year (2019) is accepted".into()
            }
        }
        ColumnKind::Integer => {
            if vi {
                "Số nguyên".into()
            } else {
                "Whole number".into()
            }
        }
        ColumnKind::Decimal => {
            if vi {
                "Số (dấu phẩy thập phân: 3,5); đơn vị ở tiêu đề được tính, ví dụ (triệu USD)".into()
            } else {
                "Number; a unit in the header counts, e.g. (million USD)".into()
            }
        }
        ColumnKind::Money => {
            if vi {
                "Số tiền; đơn vị tiền ở cột bên cạnh, trong ô (12 tỷ đồng) hoặc ở tiêu đề (triệu USD)".into()
            } else {
                "Amount; its currency in the next column, in the cell (12 billion VND) or in the header (million USD)".into()
            }
        }
        ColumnKind::Currency => format!(
            "{}: {}",
            if vi {
                "Mã tiền tệ"
            } else {
                "Currency code"
            },
            ngoaivu_core::values::CURRENCIES.join(", ")
        ),
        ColumnKind::Country => {
            if vi {
                "Tên quốc gia (tiếng Việt hoặc tiếng Anh) hoặc mã ISO (KR)".into()
            } else {
                "Country name (Vietnamese or English) or ISO code (KR)".into()
            }
        }
        ColumnKind::Countries => {
            if vi {
                "Một hoặc nhiều quốc gia, cách nhau bằng dấu phẩy (Lào, Campuchia)".into()
            } else {
                "One or more countries, separated by commas".into()
            }
        }
        ColumnKind::Choice(l) => {
            format!("{}: {}", if vi { "Một trong" } else { "One of" }, list(l))
        }
        ColumnKind::Choices(l) => format!(
            "{}: {}",
            if vi {
                "Một hoặc nhiều, cách nhau bằng dấu phẩy"
            } else {
                "One or more, separated by commas"
            },
            list(l)
        ),
        ColumnKind::Partner => {
            if vi {
                "Tên đối tác (đối tác mới sẽ được tạo)".into()
            } else {
                "Partner name (a new partner is created)".into()
            }
        }
        ColumnKind::Partners => {
            if vi {
                "Tên đối tác; nhiều đối tác cách nhau bằng dấu chấm phẩy (;)".into()
            } else {
                "Partner names, separated by semicolons (;)".into()
            }
        }
        ColumnKind::Bool => {
            if vi {
                "Có / để trống".into()
            } else {
                "Yes / blank".into()
            }
        }
        ColumnKind::Period => {
            if vi {
                "2019; 2016-2020; đến năm 2020; từ năm 2015".into()
            } else {
                "2019; 2016-2020; as of 2020; since 2015".into()
            }
        }
        ColumnKind::Json if matches!(c.key, "contacts" | "members" | "guests" | "signatories") => {
            if vi {
                "Họ tên, mỗi người một dòng hoặc cách nhau bằng dấu ; (“Nguyễn Văn A - Giám đốc”); hoặc JSON".into()
            } else {
                "Names, one per line or separated by ; (“Jane Doe - Director”); or JSON".into()
            }
        }
        ColumnKind::Json => {
            if vi {
                "Danh sách JSON, như trong tệp xuất".into()
            } else {
                "A JSON list, as exports write it".into()
            }
        }
        ColumnKind::Id => {
            if vi {
                "Mã bản ghi (số)".into()
            } else {
                "Record ID (a number)".into()
            }
        }
    }
}

/// An entry template for `rt`: headers in `lang` (bold, frozen, sized),
/// drop-down lists for choices and countries (from a hidden sheet), one
/// example row, and a sheet explaining every column.
pub fn template(rt: RecordType, lang: Lang) -> Vec<u8> {
    build_template(rt, lang).unwrap_or_default()
}

fn build_template(rt: RecordType, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = XWorkbook::new();
    let f = Formats::new();
    let cols = export_columns(rt, true);
    let lists_name = lang.pick("Danh mục", "Lists");
    // The hidden lists: countries in A, then one column per choice column.
    let mut lists: Vec<(usize, Vec<String>)> = Vec::new();
    let countries: Vec<String> = {
        let mut v: Vec<String> = refdata()
            .countries
            .iter()
            .map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned())
            .collect();
        match lang {
            Lang::Vi => v.sort_by_key(|s| ngoaivu_core::fold::vi_sort_key(s)),
            Lang::En => v.sort(),
        }
        v
    };
    for (i, c) in cols.iter().enumerate() {
        match c.kind {
            ColumnKind::Country | ColumnKind::Countries => lists.push((i, countries.clone())),
            ColumnKind::Choice(l) | ColumnKind::Choices(l) => lists.push((
                i,
                l.iter().map(|c| lang.pick(c.vi, c.en).to_owned()).collect(),
            )),
            _ => {}
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(rt.label(lang)))?;
        write_header(ws, &cols, lang, &f)?;
        let (body, names) = example(rt);
        let row = ExportRow {
            id: 0,
            link: String::new(),
            body: &body,
            partner_names: names,
        };
        write_row(ws, 1, &cols, &row, lang, &Formats::example())?;
        for (li, (ci, values)) in lists.iter().enumerate() {
            let c = cols[*ci];
            let letter = crate::read::column_letters(li);
            let formula = format!("='{lists_name}'!${letter}$2:${letter}${}", values.len() + 1);
            // Several values in one cell, or a synonym, must stay possible:
            // a warning, not a stop.
            let style = match c.kind {
                ColumnKind::Choice(_) | ColumnKind::Country => DataValidationErrorStyle::Warning,
                _ => DataValidationErrorStyle::Information,
            };
            let dv = DataValidation::new()
                .allow_list_formula(Formula::new(formula))
                .set_error_style(style);
            ws.add_data_validation(1, *ci as u16, TEMPLATE_ROWS, *ci as u16, &dv)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(lang.pick("Hướng dẫn", "Notes"))?;
        let heads = [
            lang.pick("Cột", "Column"),
            lang.pick("Bắt buộc", "Required"),
            lang.pick("Cách ghi", "How to write it"),
            lang.pick("Tên khác được nhận", "Other names recognised"),
        ];
        for (i, h) in heads.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &f.header)?;
        }
        ws.set_column_width(0, 30)?;
        ws.set_column_width(1, 10)?;
        ws.set_column_width(2, 70)?;
        ws.set_column_width(3, 50)?;
        for (r, c) in cols.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, c.header(lang))?;
            if c.required {
                ws.write_string(r, 1, lang.pick("Có", "Yes"))?;
            }
            ws.write_string_with_format(r, 2, kind_note(c, lang), &f.wrap)?;
            ws.write_string_with_format(
                r,
                3,
                c.synonyms
                    .iter()
                    .take(8)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("; "),
                &f.wrap,
            )?;
        }
        let r = cols.len() as u32 + 2;
        ws.write_string(r, 0, lang.pick(
            "Dòng tiêu đề có thể nằm dưới dòng tên bảng; dòng tổng cộng ở cuối được bỏ qua; tên cột viết khác cũng được nhận.",
            "The header row may sit below a title; a total row at the bottom is skipped; columns named otherwise are recognised.",
        ))?;
        ws.write_string(r + 1, 0, lang.pick(
            "Dòng 2 (chữ nghiêng, màu xám) là ví dụ: hãy ghi đè hoặc xóa dòng đó trước khi nhập, nếu không nó sẽ được nhập như một bản ghi.",
            "Row 2 (grey italics) is an example: overwrite or delete it before importing, or it is imported as a record.",
        ))?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(lists_name)?;
        for (li, (ci, values)) in lists.iter().enumerate() {
            ws.write_string_with_format(0, li as u16, cols[*ci].header(lang), &f.header)?;
            for (r, v) in values.iter().enumerate() {
                ws.write_string(r as u32 + 1, li as u16, v)?;
            }
        }
        ws.set_hidden(true);
    }
    wb.worksheet_from_index(0)?.set_active(true);
    wb.save_to_buffer()
}

/// A realistic body of each type, with the names of the partners it
/// references: the templates' example row and the tests' round trip.
pub fn example(rt: RecordType) -> (Value, Vec<(i64, String)>) {
    use serde_json::json;
    let gunma = (11, "Tỉnh Gunma".to_owned());
    let jetro = (
        12,
        "Tổ chức Xúc tiến Thương mại Nhật Bản (JETRO)".to_owned(),
    );
    let body = match rt {
        RecordType::Partner => json!({
            "name": "Tỉnh Gunma",
            "name_original": "群馬県",
            "kind": "foreign_locality",
            "country": "JP",
            "sectors": ["agriculture", "industry"],
            "contacts": [{"name": "Tanaka Hiroshi", "position": "Trưởng phòng Quốc tế", "email": "kokusai@pref.gunma.lg.jp", "phone": "+81 27 223 1111"}],
            "website": "https://www.pref.gunma.jp",
            "notes": "=Kết nghĩa từ 2019; liên hệ qua Đại sứ quán"
        }),
        RecordType::Agreement => json!({
            "title": "Biên bản ghi nhớ hợp tác giữa tỉnh Đắk Lắk và tỉnh Gunma",
            "kind": "mou",
            "partner_ids": [11, 12],
            "sectors": ["agriculture", "industry", "education"],
            "signed_on": "2019-03-15",
            "signed_place": "Maebashi, Nhật Bản",
            "signatories": [{"name": "Nguyễn Văn A", "position": "Chủ tịch UBND tỉnh", "side": "vn"}, {"name": "Yamamoto Ichita", "position": "Thống đốc", "side": "foreign"}],
            "valid_from": "2019-03-15",
            "valid_until": "2024-03-14",
            "status": "in_force",
            "consultations": [{"body": "Bộ Ngoại giao", "asked_on": "2019-01-10", "answered_on": "2019-01-18", "opinion": "Đồng ý", "ministry": true}],
            "report_due": "2019-04-15",
            "reported_pm_on": "2019-04-10",
            "copy_to_mofa_on": "2019-04-10",
            "replaces_id": 7,
            "locality": "dak-lak",
            "inherited": true,
            "notes": "+ Gia hạn tự động\nDòng thứ hai"
        }),
        RecordType::Delegation => json!({
            "direction": "outbound",
            "purpose": "Xúc tiến đầu tư, thương mại tại Nhật Bản và Hàn Quốc",
            "leader": {"name": "Nguyễn Văn A", "position": "Phó Chủ tịch UBND tỉnh"},
            "member_count": 8,
            "members": [{"name": "Trần Thị B", "position": "Giám đốc Sở Ngoại vụ"}, {"name": "Lê Văn C"}],
            "countries": ["JP", "KR"],
            "partner_ids": [11],
            "start_on": "2019-03-15",
            "end_on": "2019-03-20",
            "budget": {"amount": "350500000", "currency": "VND"},
            "funding_source": "Ngân sách tỉnh",
            "decision_number": "125/QĐ-UBND",
            "status": "reported",
            "outcome": "Ký 02 biên bản ghi nhớ; 15 doanh nghiệp tham gia",
            "programme": [{"date": "2019-03-16", "activity": "Làm việc với tỉnh Gunma"}],
            "guests": [{"name": "Suzuki Taro", "position": "Phó Thống đốc"}],
            "submitted_on": "2019-02-01",
            "decided_on": "2019-02-15",
            "returned_on": "2019-03-20",
            "report_due": "2019-04-03",
            "reported_on": "2019-03-29",
            "locality": "dak-lak",
            "notes": "Đoàn đi theo chương trình xúc tiến năm 2019"
        }),
        RecordType::Project => json!({
            "kind": "fdi",
            "name": "Nhà máy chế biến cà phê Gunma Đắk Lắk",
            "investor_id": 21,
            "country": "JP",
            "sector": "industry",
            "capital": {"amount": "3500000", "currency": "USD"},
            "disbursed": {"amount": "1200000.5", "currency": "USD"},
            "approved_on": "2019-06-01",
            "period_from": "2019-07-01",
            "period_until": "2069-06-30",
            "status": "active",
            "transactions": [{"kind": "disbursement", "stage": "actual", "source": "foreign", "on": "2020-01-15", "amount": {"amount": "1200000.5", "currency": "USD"}}],
            "location": "Khu công nghiệp Hòa Phú",
            "locality": "dak-lak",
            "notes": "@Nhà đầu tư cam kết dùng 70% lao động địa phương"
        }),
        RecordType::Event => json!({
            "kind": "investment_promotion",
            "title": "Hội nghị xúc tiến đầu tư Đắk Lắk tại Tokyo",
            "start_on": "2019-03-18",
            "end_on": "2019-03-18",
            "place": "Tokyo",
            "country": "JP",
            "partner_ids": [11, 12],
            "participants": 120,
            "locality": "dak-lak",
            "notes": "Phối hợp với Đại sứ quán Việt Nam tại Nhật Bản"
        }),
        RecordType::AbtcApproval => json!({
            "person_name": "Phạm Thị D",
            "enterprise": "Công ty Cổ phần Cà phê Buôn Ma Thuột",
            "position": "Tổng Giám đốc",
            "economies": ["JP", "KR", "AU"],
            "decision_number": "123/QĐ-UBND",
            "decision_on": "2023-05-10",
            "status": "issued",
            "enterprise_months": 36,
            "applicant_months": 24,
            "preclearance": [{"economy": "JP", "status": "cleared", "on": "2023-06-01"}],
            "card_number": "VN1234567",
            "card_issued_on": "2023-07-01",
            "card_expires_on": "2028-06-30",
            "locality": "dak-lak",
            "notes": "-Cấp lần đầu"
        }),
        RecordType::OverseasContact => json!({
            "kind": "person",
            "name": "Nguyễn Văn E",
            "country": "DE",
            "city": "Berlin",
            "field": "Kinh doanh",
            "contact": "nguyen.e@example.de; +49 30 123456",
            "consent": true,
            "consent_on": "2024-01-05",
            "notes": "Chủ doanh nghiệp nhập khẩu cà phê"
        }),
        RecordType::Observation => json!({
            "indicator": "fdi.capital.registered",
            "locality": "dak-lak",
            "period": {"from": 2016, "to": 2020},
            "value": "370340000.5",
            "unit": "USD",
            "qualifier": "about",
            "change_pct": "-3.25",
            "source": "import",
            "source_document": "Báo cáo 5 năm công tác đối ngoại 2016-2020",
            "note": "Lũy kế"
        }),
        RecordType::CatalogProject => json!({
            "translations": {
                "vi": {"name": "Khu nông nghiệp công nghệ cao Ea Kar", "summary": "Trồng và chế biến sầu riêng xuất khẩu", "incentives": "Miễn tiền thuê đất 15 năm", "location": "Huyện Ea Kar"},
                "en": {"name": "Ea Kar high-tech agriculture zone", "summary": "Durian growing and processing for export", "incentives": "Land rent waived for 15 years", "location": "Ea Kar district"},
                "ja": {"name": "エアカー・ハイテク農業区"}
            },
            "sector": "agriculture",
            "status": "published",
            "locality": "dak-lak",
            "area_ha": "52.5",
            "capital": {"amount": "1500000000000", "currency": "VND"},
            "countries_of_interest": ["JP", "KR", "SG"],
            "contact": {"name": "Sở Kế hoạch và Đầu tư", "position": "Phòng Đối ngoại", "email": "skhdt@daklak.gov.vn", "phone": "0262 3852 421"},
            "notes": "Nội bộ: đã khảo sát thực địa"
        }),
        RecordType::Publication => json!({
            "title": "Bản tin Thông tin đối ngoại Đắk Lắk",
            "kind": "bulletin",
            "year": 2024,
            "issues": 12,
            "languages": ["vi", "en"],
            "print_run": 500,
            "distribution": "Các cơ quan đại diện Việt Nam ở nước ngoài, đối tác",
            "locality": "dak-lak",
            "notes": "Phát hành hằng tháng"
        }),
        RecordType::TrainingCourse => json!({
            "topic": "Bồi dưỡng kiến thức đối ngoại cho cán bộ cấp xã",
            "kind": "foreign_affairs",
            "organiser": "Sở Ngoại vụ",
            "start_on": "2024-06-10",
            "end_on": "2024-06-12",
            "place": "Buôn Ma Thuột",
            "trainees": [{"unit": "UBND xã Ea Kar", "count": 12}, {"unit": "Sở Công Thương", "count": 8}],
            "trainee_count": 20,
            "partner_ids": [11],
            "locality": "dak-lak",
            "notes": "Học viện Ngoại giao giảng dạy"
        }),
        RecordType::NgoRegistration => json!({
            "name": "Tổ chức Tầm nhìn Thế giới",
            "partner_id": 11,
            "country": "US",
            "kind": "operation",
            "number": "123/BNG-ĐK",
            "issued_on": "2023-03-01",
            "valid_until": "2028-02-28",
            "sectors": ["health", "education"],
            "locality": "dak-lak",
            "notes": "Hoạt động tại 3 huyện"
        }),
        RecordType::ConferencePermit => json!({
            "title": "Hội thảo quốc tế về nông nghiệp thông minh",
            "kind": "seminar",
            "organiser": "Sở Nông nghiệp và Môi trường",
            "partner_ids": [11],
            "start_on": "2024-09-18",
            "end_on": "2024-09-19",
            "format": "hybrid",
            "venue": "Buôn Ma Thuột",
            "countries": ["JP", "KR"],
            "participants": 150,
            "foreign_participants": 20,
            "highest_rank": "other",
            "topics": "Chuyển đổi số trong sản xuất cà phê",
            "funding": "Nhà tài trợ nước ngoài",
            "budget": {"amount": "300000000", "currency": "VND"},
            "authority": "chairman",
            "received_on": "2024-08-01",
            "consultations": [{"body": "Công an tỉnh", "asked_on": "2024-08-02", "answered_on": "2024-08-10", "opinion": "Đồng ý"}],
            "submitted_on": "2024-08-12",
            "decision_number": "2150/UBND-NGV",
            "decided_on": "2024-08-20",
            "status": "permitted",
            "locality": "dak-lak",
            "notes": "Đối tác đồng tổ chức"
        }),
        RecordType::ConsularCase => json!({
            "kind": "distress",
            "incident": "Ngư dân bị tạm giữ do tàu gặp nạn trôi dạt",
            "person": {"name": "Nguyễn Văn A", "birth_year": 1985, "document_number": "C1234567", "home": "Xã Ea Kar", "contact": "Vợ: Trần Thị B", "consent": true, "consent_on": "2024-04-03"},
            "nationality": "VN",
            "country": "MY",
            "mission": "Đại sứ quán Việt Nam tại Malaysia",
            "agencies": ["Công an tỉnh", "Bộ đội Biên phòng tỉnh"],
            "opened_on": "2024-04-02",
            "actions": [{"on": "2024-04-03", "action": "Đề nghị Đại sứ quán thăm lãnh sự", "by": "Sở Ngoại vụ"}],
            "status": "handling",
            "locality": "dak-lak",
            "notes": "Gia đình đề nghị hỗ trợ"
        }),
        RecordType::Plan => json!({
            "kind": "yearly_plan",
            "title": "Kế hoạch công tác đối ngoại năm 2024",
            "year": 2024,
            "reference": "45/KH-UBND",
            "signed_on": "2024-01-15",
            "issuer": "UBND tỉnh",
            "tasks": [{"title": "Tổ chức đoàn xúc tiến đầu tư tại Nhật Bản", "lead": "Sở Ngoại vụ", "due_on": "2024-10-31", "target": "1 đoàn", "status": "in_progress"}],
            "locality": "dak-lak",
            "notes": "Ban hành kèm phụ lục"
        }),
    };
    let names = match rt {
        RecordType::Agreement | RecordType::Event => vec![gunma, jetro],
        RecordType::Delegation
        | RecordType::TrainingCourse
        | RecordType::NgoRegistration
        | RecordType::ConferencePermit => {
            vec![gunma]
        }
        RecordType::Project => vec![(21, "Công ty TNHH Gunma Coffee, Nhật Bản".to_owned())],
        _ => vec![],
    };
    (body, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_text_reads_back() {
        for (d, lang, want) in [
            ("1234.567", Lang::Vi, "1234,5670"),
            ("1234.5", Lang::En, "1234.5"),
            ("1234", Lang::Vi, "1234"),
            ("0.125", Lang::Vi, "0,1250"),
            ("-3.25", Lang::Vi, "-3,25"),
        ] {
            let dec = Decimal::from_str(d).unwrap();
            let text = decimal_text(dec, lang);
            assert_eq!(text, want);
            assert_eq!(
                crate::values::parse_number(&text).unwrap().0.normalize(),
                dec.normalize()
            );
        }
    }

    #[test]
    fn xml_safe_drops_forbidden_characters() {
        assert_eq!(xml_safe("a\u{1}b\u{FFFE}c\td\ne\u{FFFF}"), "abc\td\ne");
    }

    #[test]
    fn defuse_marks_formulas() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("@SUM"), "'@SUM");
        assert_eq!(defuse("ok"), "ok");
    }
}
