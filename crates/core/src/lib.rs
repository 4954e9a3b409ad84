//! ngoaivu's domain: record types and their validation, reference data,
//! Vietnamese text handling and the access policy. This crate does no I/O:
//! everything here is a pure function of its inputs (reference data is
//! compiled in).
#![forbid(unsafe_code)]

pub mod access;
pub mod attachments;
pub mod channel;
pub mod codes;
pub mod error;
pub mod fold;
pub mod i18n;
pub mod ical;
pub mod numfmt;
pub mod records;
pub mod refdata;
pub mod shape;
pub mod values;
pub mod vocab;
pub mod workdays;
pub mod workflow;

pub use access::{Actor, Denied, OrgKind, Role, Scope};
pub use error::{FieldError, Invalid, Problem};
pub use i18n::Lang;
pub use records::RecordType;
