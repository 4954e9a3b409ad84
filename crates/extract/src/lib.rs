//! The report reader of ngoaivu: facts from Vietnamese narrative reports on
//! provincial foreign affairs, in the format of
//! `shared/specs/narrative-facts.md`.
//!
//! Text in, facts out: the library does no I/O. The command line's file
//! handling (`cli_support`) exists only with the `cli` feature, which the
//! `ngoaivu` binary enables.
//!
//! ```
//! use ngoaivu_extract::{extract, DocDate, Indicator};
//! let text = "Đến nay, trên địa bàn tỉnh Vĩnh Long có 39 dự án FDI với tổng vốn đăng ký 370,34 triệu USD.";
//! let facts = extract(text, Some(DocDate::parse("2017-04-13").unwrap()));
//! assert_eq!(facts.subject.name, "Vĩnh Long");
//! assert_eq!(facts.observations[1].indicator, Indicator::FdiCapitalRegistered);
//! assert_eq!(facts.observations[1].value, 370_340_000.0);
//! ```

#[cfg(feature = "cli")]
pub mod cli_support;
mod csv;
mod date;
mod extract;
pub mod gazetteer;
mod input;
pub mod numbers;
mod partners;
pub mod pdf;
mod periods;
pub mod score;
mod segment;
pub mod text;
mod types;

use std::sync::OnceLock;

pub use csv::CsvError;
pub use date::{DateError, DocDate};
pub use extract::Extractor;
pub use input::{
    DOCX_TEXT_MAX, Format, ReadDocument, ReadError, decode_text, detect_and_read, detect_format,
    legacy_encoding, read_document, text_from_docx, text_from_html,
};
pub use score::{Prf, Scores, score};
pub use types::{
    Facts, Indicator, Level, NATIONAL, Observation, Partnership, PartnershipKind, Period,
    Qualifier, Subject, Unit, Unplaced, Why,
};

/// Read the facts of `text` with the built-in vocabulary. Spans are byte
/// offsets into `text`. `date` is the document's date when known (it fixes
/// the report's year); without it the year is inferred from the text.
pub fn extract(text: &str, date: Option<DocDate>) -> Facts {
    static DEFAULT: OnceLock<Extractor> = OnceLock::new();
    DEFAULT.get_or_init(Extractor::new).extract(text, date)
}

/// The facts as the spec's JSON (pretty-printed).
pub fn to_json(facts: &Facts) -> String {
    serde_json::to_string_pretty(facts).expect("facts always serialise")
}
