//! Spreadsheets in and out of ngoaivu: everything between "a spreadsheet
//! file as bytes" and "record bodies as JSON", and back. Pure logic: no
//! database, no HTTP, no file I/O except the temporary file the XLSX writer
//! keeps in constant-memory mode.
//!
//! # Modules
//!
//! - [`read`](mod@read): bytes → [`Workbook`] of plain [`Cell`]s. XLSX/XLS/ODS through
//!   calamine, CSV through `csv` + `encoding_rs` (BOM, UTF-8, else
//!   Windows-1258; `;`, `,` or tab). The format comes from the content.
//!   Refuses, with a [`SheetError`] in Vietnamese and English and a stable
//!   `code`: `too_large`, `empty`, `not_a_spreadsheet` (naming what the file
//!   is), `wrong_extension` (an HTML page named .xls), `encrypted`,
//!   `corrupt`, `unsupported` (.xlsb), `zip_bomb`, `doctype`,
//!   `too_many_rows` (XLSX is streamed, never loaded whole),
//!   `bad_encoding`. [`cell_ref`] names a cell as Excel does.
//! - [`columns`](mod@columns): ONE declaration of each record type's columns ([`Column`]:
//!   key, Vietnamese and English header, synonyms, [`ColumnKind`], required),
//!   used by import, export and templates. Every body field is reachable.
//! - [`values`]: cell values as people type them: dates (`15/03/2019`,
//!   serials, `tháng 3/2019`, `Quý II/2020`), numbers (`1.234,5`,
//!   `3,5 triệu USD`), units, countries, choices, yes/no, periods.
//! - [`mapping`]: [`propose`] finds the sheet, the header row and each
//!   column's key; [`Mapping`] is serde- and TOML-saveable
//!   ([`SavedMapping`]) and re-binds to next year's workbook by header text.
//! - [`convert`](mod@convert): rows → bodies ([`RowOutcome`]), partners by name
//!   ([`PartnerRef`]), errors by cell ([`CellError`]).
//! - [`write`](mod@write): [`template`] (XLSX with lists, an example row, notes),
//!   [`CsvExport`] and [`XlsxExport`] (constant memory), which read back
//!   through [`read()`] → [`propose`] → [`convert()`] to the same bodies.
//!
//! # Public API (the contract with the store, CLI, API and pages)
//!
//! ```text
//! // read
//! pub struct Limits { max_bytes: usize /* 50 MiB */, max_rows: usize /* 200_000 a sheet */, max_unpacked: u64 /* 400 MiB */ }
//! pub enum Cell { Empty, Text(String), Number(f64), Date(f64 /* 1900 serial */), Bool(bool), Error(String) }
//! pub struct Sheet { name: String, rows: Vec<Vec<Cell>> }      // rows[0] = Excel row 1; Sheet::cell(r, c)
//! pub struct Workbook { format: Format, sheets: Vec<Sheet> }    // Workbook::sheet(name)
//! pub enum Format { Xlsx, Xls, Ods, Csv }
//! pub fn read(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<Workbook, SheetError>;
//! pub struct SheetError { code: &'static str, vi: String, en: String }   // Display = en; message(lang)
//! pub fn cell_ref(sheet: &str, row0: usize, col0: usize) -> String;        // 'Đoàn ra 2019'!D14
//!
//! // columns
//! pub struct Column { key, vi, en, synonyms, kind: ColumnKind, required }  // header(lang), export_only()
//! pub enum ColumnKind { Text, LongText, Date, Integer, Decimal, Money, Currency, Country, Countries,
//!                       Choice(&[Choice]), Choices(&[Choice]) /* sectors */, Partner, Partners, Bool, Period, Json, Id }
//! pub struct Choice { code, vi, en, synonyms }
//! pub fn columns(rt: RecordType) -> &'static [Column];   columns::column(rt, key)
//!
//! // mapping
//! pub struct Mapping { sheet: String, header_row: usize /* 1-based */, columns: Vec<MappedColumn> }
//! pub struct MappedColumn { index: usize, header: String, key: Option<String>, unit: Option<Unit> }
//! pub fn propose(rt, wb: &Workbook, sheet: Option<&str>) -> Result<Mapping, SheetError>;
//! Mapping::check(rt), ::to_toml(), ::saved() -> SavedMapping, ::apply(rt, wb) -> Result<Mapping>
//! pub struct SavedMapping { sheet: Option<String>, header_row: Option<usize>, columns: BTreeMap<header, key> }
//! SavedMapping::from_toml(&str), ::to_toml(), ::apply(rt, wb) -> Result<Mapping, SheetError>
//!
//! // values (each -> Result<_, ValueError { vi, en }>)
//! parse_date / parse_date_cell -> DateValue { first, last, precision }, parse_date_range,
//! parse_number / parse_number_cell -> (Decimal, Option<Unit>), parse_unit, parse_integer_cell,
//! parse_country, parse_countries, parse_choice, parse_bool_cell, parse_period_cell
//!
//! // convert
//! pub struct RowOutcome { sheet, row /* 1-based */, body: Value, partners: Vec<PartnerRef>, errors: Vec<CellError> }
//! pub struct PartnerRef { field: &'static str /* partner_ids | investor_id */, name: String, country: Option<String> }
//! pub struct CellError { cell: String, column: String, vi: String, en: String }
//! pub fn convert(rt, wb: &Workbook, m: &Mapping) -> Vec<RowOutcome>;
//!
//! // write
//! pub fn template(rt, lang: Lang) -> Vec<u8>;
//! pub struct ExportRow<'a> { id: i64, link: String, body: &'a Value, partner_names: Vec<(i64, String)> }
//! CsvExport::new(rt, lang, w) -> Result<Self>; push(&ExportRow) -> Result<()>; finish() -> Result<W>
//! XlsxExport::new(rt, lang) -> Result<Self>; push(&ExportRow) -> Result<()>;
//!     finish() -> Result<Vec<u8>>; finish_to(w: impl Write + Send); save(path)
//! pub fn example(rt) -> (Value, Vec<(i64, String)>)   // the templates' example row
//! ```
//!
//! # Use
//!
//! ```no_run
//! use ngoaivu_sheets::*;
//! # let bytes: Vec<u8> = vec![];
//! let wb = read(&bytes, "doan-ra-2019.xlsx", &Limits::default())?;
//! let m = propose(RecordType::Delegation, &wb, None)?;
//! for row in convert(RecordType::Delegation, &wb, &m) {
//!     // resolve row.partners to ids, then records::prepare(row.body)
//! }
//! # Ok::<(), SheetError>(())
//! ```
#![forbid(unsafe_code)]

pub mod columns;
pub mod convert;
pub mod error;
pub mod mapping;
pub mod read;
pub mod values;
pub mod write;

pub use columns::{Choice, Column, ColumnKind, columns};
pub use convert::{CellError, PartnerRef, RowOutcome, convert};
pub use error::{SheetError, ValueError};
pub use mapping::{MappedColumn, Mapping, SavedMapping, propose};
pub use ngoaivu_core::{Lang, RecordType};
pub use read::{Cell, Format, Limits, Sheet, Workbook, cell_ref, read};
pub use values::Unit;
pub use write::{CsvExport, ExportRow, XlsxExport, example, template};
