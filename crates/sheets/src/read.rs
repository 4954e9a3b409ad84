//! Reading: a spreadsheet file as bytes → [`Workbook`] of plain cells.
//!
//! The format is recognised from the content, never trusted from the name
//! (a `.xls` that is really an `.xlsx` is read; a PDF named `.xlsx` is
//! refused, naming what it is). Zip-based files are checked before calamine
//! opens them: the sizes in the central directory (zip bombs), and every XML
//! part for `<!DOCTYPE`/`<!ENTITY` (entity expansion is never allowed, even
//! though calamine's XML reader does not expand entities today).

use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Ods, Reader, SheetType, Xls, Xlsx};
use unicode_normalization::UnicodeNormalization;

use crate::error::SheetError;

/// What a file may cost before it is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file itself (default 50 MiB).
    pub max_bytes: usize,
    /// Rows per sheet (default 200,000).
    pub max_rows: usize,
    /// Total uncompressed content of a zip-based file (default 400 MiB).
    pub max_unpacked: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 50 << 20,
            max_rows: 200_000,
            max_unpacked: 400 << 20,
        }
    }
}

/// Cells beyond this column are ignored: no record type has a tenth as many
/// columns, and a stray cell at column XFD of every row would otherwise pad
/// each row to 16,384 cells.
pub const MAX_COLUMNS: usize = 1024;

/// One cell as read: no styles, no formulas (a formula's cached value).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    /// An Excel serial date in the 1900 system (a 1904 workbook's dates are
    /// converted), with the time of day as a fraction.
    Date(f64),
    Bool(bool),
    /// `#N/A`, `#DIV/0!` …
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for messages and header matching.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => format_f64(*n),
            Cell::Date(d) => match crate::values::serial_to_date(*d) {
                Some(d) => ngoaivu_core::values::format_date_vi(d),
                None => format_f64(*d),
            },
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// The shortest text that reads back as the same f64 (`3.5`, `1234`).
pub(crate) fn format_f64(n: f64) -> String {
    if n.is_finite() {
        format!("{n}")
    } else {
        String::new()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    pub name: String,
    /// `rows[0]` is Excel's row 1, `rows[r][0]` is column A. Trailing empty
    /// cells of a row and trailing empty rows are trimmed.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// The cell at (row, column), 0-based; `Empty` outside the data.
    pub fn cell(&self, row0: usize, col0: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(row0)
            .and_then(|r| r.get(col0))
            .unwrap_or(&EMPTY)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub format: Format,
    /// Worksheets in workbook order (chart sheets are left out).
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

/// `A`, `B`, … `Z`, `AA` … for a 0-based column.
pub fn column_letters(col0: usize) -> String {
    let mut n = col0 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `Sheet1!D14` for 0-based (row, column); the sheet name is quoted as Excel
/// writes it when it holds anything but letters, digits and `_`
/// (`'Đoàn ra 2019'!D14`), with quotes inside doubled.
pub fn cell_ref(sheet: &str, row0: usize, col0: usize) -> String {
    let plain = !sheet.is_empty()
        && !sheet.starts_with(|c: char| c.is_ascii_digit())
        && sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    let name = if plain {
        sheet.to_owned()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    format!("{name}!{}{}", column_letters(col0), row0 + 1)
}

/// Read a spreadsheet. `file_name` only serves messages and to tell a CSV
/// from a text file that is not one; the content decides the format.
pub fn read(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    if bytes.len() > limits.max_bytes {
        return Err(SheetError::new(
            "too_large",
            format!(
                "Tệp “{file_name}” lớn {} MB, vượt giới hạn {} MB.",
                mb(bytes.len() as u64),
                mb(limits.max_bytes as u64)
            ),
            format!(
                "The file “{file_name}” is {} MB, over the limit of {} MB.",
                mb(bytes.len() as u64),
                mb(limits.max_bytes as u64)
            ),
        ));
    }
    if bytes.is_empty() {
        return Err(SheetError::new("empty", "Tệp rỗng.", "The file is empty."));
    }
    let ext = extension(file_name);
    match sniff(bytes) {
        Sniffed::Zip => read_zip(bytes, file_name, limits),
        Sniffed::Ole => read_ole(bytes, file_name, limits),
        Sniffed::Other(what_vi, what_en) => Err(not_a_spreadsheet(file_name, what_vi, what_en)),
        Sniffed::Text => {
            let text = decode_text(bytes)?;
            let head: String = text.chars().take(2048).collect::<String>().to_lowercase();
            let head = head.trim_start();
            if head.starts_with("<html")
                || head.starts_with("<!doctype html")
                || head.starts_with("<table")
                || (head.starts_with("<?xml") && head.contains("office:spreadsheet"))
            {
                let (vi, en) = if head.starts_with("<?xml") {
                    ("bảng tính XML 2003", "an XML 2003 spreadsheet")
                } else {
                    ("trang HTML", "an HTML page")
                };
                return Err(SheetError::new(
                    "wrong_extension",
                    format!(
                        "Tệp “{file_name}” thực ra là {vi}, không phải tệp Excel; hãy mở bằng Excel và lưu lại dạng .xlsx rồi tải lên."
                    ),
                    format!(
                        "The file “{file_name}” is really {en}, not an Excel workbook; open it in Excel, save it as .xlsx and upload that."
                    ),
                ));
            }
            if !matches!(
                ext.as_str(),
                "csv" | "txt" | "tsv" | "xlsx" | "xls" | "ods" | ""
            ) {
                return Err(SheetError::new(
                    "wrong_extension",
                    format!(
                        "Tệp “{file_name}” không phải bảng tính (.xlsx, .xls, .ods hoặc .csv)."
                    ),
                    format!(
                        "The file “{file_name}” is not a spreadsheet (.xlsx, .xls, .ods or .csv)."
                    ),
                ));
            }
            read_csv_text(&text, limits)
        }
    }
}

fn mb(n: u64) -> String {
    let tenths = (n * 10).div_ceil(1 << 20);
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

enum Sniffed {
    Zip,
    Ole,
    Text,
    Other(&'static str, &'static str),
}

fn sniff(b: &[u8]) -> Sniffed {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let magic: &[(&[u8], &str, &str)] = &[
        (b"%PDF", "tệp PDF", "a PDF file"),
        (b"\x89PNG", "ảnh PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "ảnh JPEG", "a JPEG image"),
        (b"GIF8", "ảnh GIF", "a GIF image"),
        (b"Rar!", "tệp nén RAR", "a RAR archive"),
        (b"7z\xBC\xAF", "tệp nén 7-Zip", "a 7-Zip archive"),
        (b"\x1F\x8B", "tệp nén gzip", "a gzip archive"),
        (b"{\\rtf", "văn bản RTF", "an RTF document"),
    ];
    if b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if b.starts_with(OLE) {
        return Sniffed::Ole;
    }
    for (m, vi, en) in magic {
        if b.starts_with(m) {
            return Sniffed::Other(vi, en);
        }
    }
    if b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) {
        return Sniffed::Text;
    }
    // Text has no NUL bytes and few control characters.
    let head = &b[..b.len().min(8192)];
    let bad = head
        .iter()
        .filter(|&&c| c == 0 || (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0C)))
        .count();
    if bad == 0 {
        Sniffed::Text
    } else {
        Sniffed::Other(
            "tệp nhị phân không rõ loại",
            "a binary file of unknown kind",
        )
    }
}

fn not_a_spreadsheet(file_name: &str, what_vi: &str, what_en: &str) -> SheetError {
    SheetError::new(
        "not_a_spreadsheet",
        format!(
            "Tệp “{file_name}” là {what_vi}, không phải bảng tính; hãy tải lên tệp .xlsx, .xls, .ods hoặc .csv."
        ),
        format!(
            "The file “{file_name}” is {what_en}, not a spreadsheet; upload an .xlsx, .xls, .ods or .csv file."
        ),
    )
}

// ------------------------------------------------------------------ zip

/// An entry whose content is this many times its compressed size is not a
/// spreadsheet: deflate tops out near 1,032:1, and even the most repetitive
/// real worksheets stay well under 200:1. Small entries are exempt.
const MAX_RATIO: u64 = 250;
const RATIO_FLOOR: u64 = 1 << 20;

fn read_zip(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(SheetError::corrupt)?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    let format = if has("xl/workbook.xml") {
        Format::Xlsx
    } else if has("xl/workbook.bin") {
        return Err(SheetError::new(
            "unsupported",
            "Tệp Excel dạng nhị phân (.xlsb) chưa được hỗ trợ; hãy lưu lại dạng .xlsx trong Excel.",
            "Excel binary workbooks (.xlsb) are not supported; save it as .xlsx in Excel.",
        ));
    } else if has("mimetype") {
        let mut m = String::new();
        if let Ok(f) = zip.by_name("mimetype") {
            let _ = f.take(200).read_to_string(&mut m);
        }
        if m.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
            Format::Ods
        } else if m.contains("opendocument.text") {
            return Err(not_a_spreadsheet(
                file_name,
                "văn bản OpenDocument (.odt)",
                "an OpenDocument text (.odt)",
            ));
        } else {
            return Err(not_a_spreadsheet(
                file_name,
                "tài liệu OpenDocument khác",
                "another OpenDocument file",
            ));
        }
    } else if has("word/document.xml") {
        return Err(not_a_spreadsheet(
            file_name,
            "văn bản Word (.docx)",
            "a Word document (.docx)",
        ));
    } else if has("ppt/presentation.xml") {
        return Err(not_a_spreadsheet(
            file_name,
            "bản trình chiếu PowerPoint (.pptx)",
            "a PowerPoint presentation (.pptx)",
        ));
    } else {
        return Err(not_a_spreadsheet(file_name, "tệp nén ZIP", "a ZIP archive"));
    };
    check_zip(&mut zip, limits)?;
    if format == Format::Ods {
        ods_prescan(&mut zip, limits)?;
    }
    drop(zip);
    match format {
        Format::Xlsx => read_xlsx(bytes, limits),
        _ => read_ods(bytes, limits),
    }
}

fn zip_bomb(detail_vi: String, detail_en: String) -> SheetError {
    SheetError::new(
        "zip_bomb",
        format!("Tệp bị từ chối: nội dung giải nén quá lớn ({detail_vi})."),
        format!("The file is refused: its unpacked content is too large ({detail_en})."),
    )
}

/// The central directory's sizes first (cheap), then every XML part read
/// through once: its real size counted (a central directory can lie) and
/// scanned for DTDs.
fn check_zip(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, limits: &Limits) -> Result<(), SheetError> {
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(SheetError::corrupt)?;
        let (size, packed) = (f.size(), f.compressed_size().max(1));
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        declared = declared.saturating_add(size);
        if size > RATIO_FLOOR && size / packed > MAX_RATIO {
            return Err(zip_bomb(
                format!("phần “{name}” nén {}:1", size / packed),
                format!("part “{name}” is compressed {}:1", size / packed),
            ));
        }
    }
    if declared > limits.max_unpacked {
        return Err(zip_bomb(
            format!(
                "{} MB, giới hạn {} MB",
                mb(declared),
                mb(limits.max_unpacked)
            ),
            format!("{} MB, limit {} MB", mb(declared), mb(limits.max_unpacked)),
        ));
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(SheetError::corrupt)?;
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        let named_xml =
            lower.ends_with(".xml") || lower.ends_with(".rels") || lower.ends_with(".vml");
        // The tail of the previous chunk, so a marker cut in two is found.
        let mut carry: Vec<u8> = Vec::new();
        let mut utf16 = false;
        let mut first = true;
        loop {
            let n = f.read(&mut buf).map_err(SheetError::corrupt)?;
            if n == 0 {
                break;
            }
            if first {
                first = false;
                // A part is XML by its content too: a workbook's
                // relationships may point at a sheet named `sheet1.dat`.
                // UTF-16 XML (which calamine's reader decodes) is scanned
                // without its zero bytes.
                let head = &buf[..n];
                utf16 = head.starts_with(&[0xFF, 0xFE])
                    || head.starts_with(&[0xFE, 0xFF])
                    || head.starts_with(b"<\0")
                    || head.starts_with(b"\0<");
                let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
                let looks_xml = text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
                if !(named_xml || utf16 || looks_xml) {
                    break;
                }
            }
            total += n as u64;
            if total > limits.max_unpacked {
                return Err(zip_bomb(
                    format!("hơn {} MB", mb(limits.max_unpacked)),
                    format!("over {} MB", mb(limits.max_unpacked)),
                ));
            }
            if utf16 {
                carry.extend(buf[..n].iter().filter(|&&b| b != 0));
            } else {
                carry.extend_from_slice(&buf[..n]);
            }
            if has_dtd(&carry) {
                return Err(SheetError::new(
                    "doctype",
                    format!(
                        "Tệp bị từ chối: phần “{name}” chứa khai báo DOCTYPE/ENTITY, điều mà Excel không bao giờ ghi; tệp có thể đã bị sửa để tấn công."
                    ),
                    format!(
                        "The file is refused: part “{name}” holds a DOCTYPE/ENTITY declaration, which Excel never writes; the file may have been crafted as an attack."
                    ),
                ));
            }
            let keep = carry.len().min(16);
            carry.drain(..carry.len() - keep);
        }
    }
    Ok(())
}

/// `<!DOCTYPE` or `<!ENTITY`, any case.
fn has_dtd(b: &[u8]) -> bool {
    let starts = |rest: &[u8], word: &[u8]| {
        rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word)
    };
    b.iter().enumerate().any(|(i, &c)| {
        c == b'<'
            && b.get(i + 1) == Some(&b'!')
            && (starts(&b[i + 2..], b"DOCTYPE") || starts(&b[i + 2..], b"ENTITY"))
    })
}

/// ODS compresses repetition into attributes: one filled row with
/// `table:number-rows-repeated="1000000"` is a few bytes that calamine
/// expands into a million rows. So `content.xml` is streamed once first,
/// counting each table's rows up to its last filled one, and the cells
/// those rows hold; empty repeated rows (LibreOffice writes a million of
/// them after the data) cost nothing.
fn ods_prescan(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<(), SheetError> {
    use quick_xml::events::{BytesStart, Event};
    let Ok(entry) = zip.by_name("content.xml") else {
        return Err(SheetError::corrupt("content.xml"));
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
    let repeat = |e: &BytesStart, attr: &str| -> u64 {
        e.try_get_attribute(attr)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let max_cells = limits.max_rows as u64 * 256;
    let (mut table, mut rows, mut last_filled, mut cells) = (String::new(), 0u64, 0u64, 0u64);
    let (mut row_repeat, mut row_cells) = (1u64, 0u64);
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(SheetError::corrupt)?;
        let (start, e) = match &ev {
            Event::Start(e) => (true, e),
            Event::Empty(e) => (false, e),
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                rows += row_repeat;
                if row_cells > 0 {
                    last_filled = rows;
                    cells = cells.saturating_add(row_repeat.saturating_mul(row_cells));
                }
                if last_filled > limits.max_rows as u64 {
                    return Err(too_many_rows(&table, limits));
                }
                if cells > max_cells {
                    return Err(SheetError::new(
                        "too_large",
                        format!("Trang “{table}” có quá nhiều ô (hơn {max_cells})."),
                        format!("Sheet “{table}” has too many cells (over {max_cells})."),
                    ));
                }
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            "table:table" => {
                table = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                (rows, last_filled, cells) = (0, 0, 0);
            }
            "table:table-row" => {
                row_repeat = repeat(e, "table:number-rows-repeated");
                row_cells = 0;
                if !start {
                    rows += row_repeat;
                }
            }
            "table:table-cell" | "table:covered-table-cell"
                if e.try_get_attribute("office:value-type")
                    .ok()
                    .flatten()
                    .is_some() =>
            {
                row_cells = row_cells.saturating_add(repeat(e, "table:number-columns-repeated"));
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

fn too_many_rows(sheet: &str, limits: &Limits) -> SheetError {
    SheetError::new(
        "too_many_rows",
        format!(
            "Trang “{sheet}” có hơn {} dòng, vượt giới hạn; hãy chia tệp thành nhiều tệp nhỏ hơn.",
            ngoaivu_core::numfmt::format_number(limits.max_rows.into(), 0, ngoaivu_core::Lang::Vi)
        ),
        format!(
            "Sheet “{sheet}” has more than {} rows, over the limit; split the file into smaller ones.",
            ngoaivu_core::numfmt::format_number(limits.max_rows.into(), 0, ngoaivu_core::Lang::En)
        ),
    )
}

/// Put a cell in place, growing the grid; refuses a row past the limit.
fn place(
    rows: &mut Vec<Vec<Cell>>,
    row: usize,
    col: usize,
    cell: Cell,
    sheet: &str,
    limits: &Limits,
) -> Result<(), SheetError> {
    if cell.is_empty() || col >= MAX_COLUMNS {
        return Ok(());
    }
    if row >= limits.max_rows {
        return Err(too_many_rows(sheet, limits));
    }
    if rows.len() <= row {
        rows.resize_with(row + 1, Vec::new);
    }
    let r = &mut rows[row];
    if r.len() <= col {
        r.resize(col + 1, Cell::Empty);
    }
    r[col] = cell;
    Ok(())
}

/// XLSX through calamine's streaming cell reader: cells come one by one in
/// file order, so a sheet of a million rows is refused when its row
/// `max_rows + 1` arrives, never loaded whole.
fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Workbook, SheetError> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut sheets = Vec::new();
    for name in names {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut reader = wb.worksheet_cells_reader(&name).map_err(xlsx_error)?;
        while let Some(c) = reader.next_cell().map_err(xlsx_error)? {
            let (r, col) = c.get_position();
            place(
                &mut rows,
                r as usize,
                col as usize,
                from_ref(c.get_value()),
                &name,
                limits,
            )?;
        }
        drop(reader);
        sheets.push(finish_sheet(name, rows));
    }
    Ok(Workbook {
        format: Format::Xlsx,
        sheets,
    })
}

fn xlsx_error(e: calamine::XlsxError) -> SheetError {
    match e {
        calamine::XlsxError::Password => SheetError::encrypted(),
        e => SheetError::corrupt(e),
    }
}

/// XLS (BIFF in an OLE compound file). calamine reads the whole workbook
/// when it opens it, so a sheet's rows are counted after loading; memory is
/// bounded by the file size limit (BIFF has no compression).
fn read_ole(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    // Directory entries are UTF-16LE names: an encrypted OOXML package is an
    // OLE file holding `EncryptedPackage` (and `EncryptionInfo`).
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let holds = |s: &str| {
        let pat = utf16(s);
        bytes.windows(pat.len()).any(|w| w == pat.as_slice())
    };
    if holds("EncryptedPackage") {
        return Err(SheetError::encrypted());
    }
    if holds("WordDocument") {
        return Err(not_a_spreadsheet(
            file_name,
            "văn bản Word 97-2003 (.doc)",
            "a Word 97-2003 document (.doc)",
        ));
    }
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => SheetError::encrypted(),
        e => SheetError::corrupt(e),
    })?;
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut sheets = Vec::new();
    for name in names {
        let range = wb.worksheet_range(&name).map_err(SheetError::corrupt)?;
        sheets.push(range_to_sheet(name, &range, limits)?);
    }
    Ok(Workbook {
        format: Format::Xls,
        sheets,
    })
}

/// ODS: calamine parses `content.xml` whole; its size is bounded by
/// `max_unpacked`, and its rows and cells (after repetition) by
/// `ods_prescan`, both checked before.
fn read_ods(bytes: &[u8], limits: &Limits) -> Result<Workbook, SheetError> {
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => SheetError::encrypted(),
        e => SheetError::corrupt(e),
    })?;
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut sheets = Vec::new();
    for name in names {
        let range = wb.worksheet_range(&name).map_err(SheetError::corrupt)?;
        sheets.push(range_to_sheet(name, &range, limits)?);
    }
    Ok(Workbook {
        format: Format::Ods,
        sheets,
    })
}

fn range_to_sheet(
    name: String,
    range: &calamine::Range<Data>,
    limits: &Limits,
) -> Result<Sheet, SheetError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (r, c, v) in range.used_cells() {
        place(
            &mut rows,
            r0 as usize + r,
            c0 as usize + c,
            from_data(v),
            &name,
            limits,
        )?;
    }
    Ok(finish_sheet(name, rows))
}

fn finish_sheet(name: String, mut rows: Vec<Vec<Cell>>) -> Sheet {
    for r in &mut rows {
        while r.last().is_some_and(Cell::is_empty) {
            r.pop();
        }
    }
    while rows.last().is_some_and(|r| r.is_empty()) {
        rows.pop();
    }
    Sheet { name, rows }
}

/// Composed form, so "Hà Nội" typed on a Mac (decomposed) equals the same
/// name typed on Windows. ASCII, most cells, is already composed.
fn nfc(s: &str) -> String {
    if s.is_ascii() {
        s.to_owned()
    } else {
        s.nfc().collect()
    }
}

fn from_ref(v: &DataRef) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(nfc(s)),
        DataRef::SharedString(s) => Cell::Text(nfc(s)),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => date_cell(d),
        DataRef::DateTimeIso(s) => iso_cell(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(v: &Data) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(nfc(s)),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => date_cell(d),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// A date-formatted cell as a 1900-system serial, computed from the
/// calendar date calamine gives (which accounts for a 1904 workbook).
fn date_cell(d: &calamine::ExcelDateTime) -> Cell {
    if !d.is_datetime() {
        // A duration ([hh]:mm): keep the number.
        return Cell::Number(d.as_f64());
    }
    let (y, m, day, h, mi, s, ms) = d.to_ymd_hms_milli();
    let Ok(month) = time::Month::try_from(m) else {
        return Cell::Number(d.as_f64());
    };
    match time::Date::from_calendar_date(y as i32, month, day) {
        Ok(date) => {
            let frac =
                (h as f64 * 3600.0 + mi as f64 * 60.0 + s as f64 + ms as f64 / 1000.0) / 86400.0;
            Cell::Date(crate::values::date_to_serial(date) as f64 + frac)
        }
        Err(_) => Cell::Number(d.as_f64()),
    }
}

/// ODS dates come as ISO text (`2019-03-15` or `2019-03-15T10:00:00`).
fn iso_cell(s: &str) -> Cell {
    let day = s.get(..10).and_then(ngoaivu_core::values::parse_date);
    match day {
        Some(d) => Cell::Date(crate::values::date_to_serial(d) as f64),
        None => Cell::Text(s.to_owned()),
    }
}

// ------------------------------------------------------------------ CSV

/// Decode text: a BOM says UTF-8 or UTF-16; else strict UTF-8; else
/// Windows-1258, what Excel writes for "CSV" under Vietnamese regional
/// settings (its tone marks are combining characters, so the result is
/// composed to NFC).
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, SheetError> {
    let (enc, body) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (encoding_rs::UTF_8, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (encoding_rs::UTF_16LE, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (encoding_rs::UTF_16BE, rest)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(nfc(s));
    } else {
        (encoding_rs::WINDOWS_1258, bytes)
    };
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    if had_errors {
        return Err(SheetError::new(
            "bad_encoding",
            format!(
                "Không đọc được bảng mã của tệp (thử {}); hãy lưu lại dạng “CSV UTF-8” trong Excel.",
                enc.name()
            ),
            format!(
                "The file's text encoding could not be read (tried {}); save it as “CSV UTF-8” in Excel.",
                enc.name()
            ),
        ));
    }
    Ok(nfc(&text))
}

/// The delimiter used most consistently on the first lines: `;` (Excel with
/// Vietnamese settings, where `,` is the decimal mark), `,` or tab.
fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (b',', 0usize, 0usize);
    for d in [b';', b'\t', b','] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| {
                let mut quoted = false;
                l.bytes()
                    .filter(|&c| {
                        if c == b'"' {
                            quoted = !quoted;
                        }
                        !quoted && c == d
                    })
                    .count()
            })
            .collect();
        // The most frequent non-zero count and how many lines have it.
        let mut freq: std::collections::HashMap<usize, usize> = Default::default();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_default() += 1;
        }
        if let Some((&count, &lines_with)) = freq.iter().max_by_key(|(c, n)| (**n, **c))
            && (lines_with, count) > (best.1, best.2)
        {
            best = (d, lines_with, count);
        }
    }
    best.0
}

/// A text cell our export wrote with a leading `'` (formula injection, see
/// `write`) gets that one quote removed again.
pub(crate) fn strip_injection_quote(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

fn read_csv_text(text: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    // Excel's own hint on the first line: `sep=;`.
    let (delimiter, text) = match text.split_once('\n') {
        Some((first, rest))
            if first.trim_end().len() == 5
                && first.to_ascii_lowercase().starts_with("sep=")
                && first.is_ascii() =>
        {
            (first.as_bytes()[4], rest)
        }
        _ => (detect_delimiter(text), text),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(SheetError::corrupt(e)),
        }
        if rows.len() >= limits.max_rows {
            return Err(too_many_rows("CSV", limits));
        }
        let row: Vec<Cell> = record
            .iter()
            .take(MAX_COLUMNS)
            .map(|f| {
                if f.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(strip_injection_quote(f).to_owned())
                }
            })
            .collect();
        rows.push(row);
    }
    Ok(Workbook {
        format: Format::Csv,
        sheets: vec![finish_sheet("CSV".into(), rows)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_quote_like_excel() {
        for (sheet, r, c, want) in [
            ("Sheet1", 13, 3, "Sheet1!D14"),
            ("Đoàn ra 2019", 13, 3, "'Đoàn ra 2019'!D14"),
            ("ĐoànRa", 0, 0, "ĐoànRa!A1"),
            ("2019", 0, 26, "'2019'!AA1"),
            ("It's", 1, 701, "'It''s'!ZZ2"),
            ("A-B", 0, 702, "'A-B'!AAA1"),
        ] {
            assert_eq!(cell_ref(sheet, r, c), want);
        }
    }

    #[test]
    fn excel_sep_line() {
        let wb = read_csv_text("sep=;\r\nTên;Vốn\r\nA;1,5\r\n", &Limits::default()).unwrap();
        assert_eq!(
            wb.sheets[0].rows[1],
            vec![Cell::Text("A".into()), Cell::Text("1,5".into())]
        );
    }

    #[test]
    fn delimiters() {
        for (text, want) in [
            ("a;b;c\n1;2,5;3\n", b';'),
            ("a,b,c\n1,2,3\n", b','),
            ("a\tb\tc\n1\t2\t3\n", b'\t'),
            ("\"x;y\",b,c\n1,2,3\n", b','),
            ("Tên;Vốn\nA;1,5\nB;2,25\n", b';'),
        ] {
            assert_eq!(detect_delimiter(text), want, "{text}");
        }
    }

    /// Text as Windows-1258 holds it: letters with a circumflex, breve or
    /// horn precomposed, tone marks as combining characters.
    pub(crate) fn cp1258_form(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
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

    #[test]
    fn encodings() {
        let text = cp1258_form("Hàn Quốc; Đà Nẵng");
        let (w1258, _, bad) = encoding_rs::WINDOWS_1258.encode(&text);
        assert!(!bad);
        assert_eq!(decode_text(&w1258).unwrap(), "Hàn Quốc; Đà Nẵng");
        let mut u16 = vec![0xFF, 0xFE];
        u16.extend("Lào".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_text(&u16).unwrap(), "Lào");
        assert_eq!(decode_text("\u{FEFF}Tên".as_bytes()).unwrap(), "Tên");
    }

    #[test]
    fn injection_quote_strips_exactly_one() {
        for (input, want) in [
            ("'=SUM(A1)", "=SUM(A1)"),
            ("''=x", "''=x"),
            ("'abc", "'abc"),
            ("'-5", "-5"),
            ("=x", "=x"),
        ] {
            assert_eq!(strip_injection_quote(input), want);
        }
    }

    #[test]
    fn dtd_markers() {
        assert!(has_dtd(b"<?xml?><!DOCTYPE x [<!ENTITY a 'b'>]>"));
        assert!(has_dtd(b"<!entity a"));
        assert!(!has_dtd(b"<worksheet><![CDATA[x]]><!-- c -->"));
    }

    #[test]
    fn sniffs_other_files() {
        let e = read(b"%PDF-1.7 ...", "báo cáo.xlsx", &Limits::default()).unwrap_err();
        assert_eq!(e.code, "not_a_spreadsheet");
        assert!(e.vi.contains("PDF"), "{}", e.vi);
        let e = read(b"<html><table>", "x.xls", &Limits::default()).unwrap_err();
        assert_eq!(e.code, "wrong_extension");
        let e = read(&[0u8; 10], "x.xlsx", &Limits::default()).unwrap_err();
        assert_eq!(e.code, "not_a_spreadsheet");
        let e = read(b"PK\x03\x04garbage", "x.xlsx", &Limits::default()).unwrap_err();
        assert_eq!(e.code, "corrupt");
        let e = read(
            b"a;b",
            "x.csv",
            &Limits {
                max_bytes: 2,
                ..Limits::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.code, "too_large");
    }
}
