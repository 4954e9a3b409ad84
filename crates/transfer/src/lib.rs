//! Data in and out of ngoaivu, through the record service only (so the
//! same validation, scope and audit as every other write):
//!
//! - [`import`]: spreadsheets (and IATI files) in, with a review that
//!   writes nothing, then all or nothing;
//! - [`export`]: any list out as CSV or XLSX, page by page;
//! - [`iati`]: aid projects out as IATI 2.03 activities, and in through
//!   the same review as spreadsheets.
//!
//! The file formats themselves are pure crates: `ngoaivu-sheets`
//! (workbooks, columns, values) and `ngoaivu-iati` (the IATI XML).

pub mod export;
pub mod iati;
pub mod import;
