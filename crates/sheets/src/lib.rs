//! Spreadsheets in and out of ngoaivu: everything between "a spreadsheet
//! file as bytes" and "record bodies as JSON", and back. Pure logic: no
//! database, no HTTP, no file I/O except the temporary file the XLSX writer
//! keeps in constant-memory mode.
//!
//! # Modules
//!
//! - [`read`]: bytes → [`Workbook`] of plain [`Cell`]s. XLSX/XLS/ODS through
//!   calamine, CSV through `csv` + `encoding_rs` (BOM, UTF-8, else
//!   Windows-1258; `;`, `,` or tab). The format comes from the content.
//!   Refuses, with a [`SheetError`] in Vietnamese and English and a stable
//!   `code`: `too_large`, `empty`, `not_a_spreadsheet` (naming what the file
//!   is), `wrong_extension` (an HTML page named .xls), `encrypted`,
//!   `corrupt`, `unsupported` (.xlsb), `zip_bomb`, `doctype`,
//!   `too_many_rows` (XLSX is streamed, never loaded whole),
//!   `bad_encoding`. [`cell_ref`] names a cell as Excel does.
//! - [`columns`]: ONE declaration of each record type's columns ([`Column`]:
//!   key, Vietnamese and English header, synonyms, [`ColumnKind`], required),
//!   used by import, export and templates. Every body field is reachable.
//! - [`values`]: cell values as people type them: dates (`15/03/2019`,
//!   serials, `tháng 3/2019`, `Quý II/2020`), numbers (`1.234,5`,
//!   `3,5 triệu USD`), units, countries, choices, yes/no, periods.
//! - [`mapping`]: [`propose`] finds the sheet, the header row and each
//!   column's key; [`Mapping`] is serde- and TOML-saveable
//!   ([`SavedMapping`]) and re-binds to next year's workbook by header text.
//! - [`convert`]: rows → bodies ([`RowOutcome`]), partners by name
//!   ([`PartnerRef`]), errors by cell ([`CellError`]).
//! - [`write`]: [`template`] (XLSX with lists, an example row, notes),
//!   [`CsvExport`] and [`XlsxExport`] (constant memory), which read back
//!   through [`read`] → [`propose`] → [`convert`] to the same bodies.
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
