//! Rows as the rest of ngoaivu sees them.

use ngoaivu_core::records::Index;
use ngoaivu_core::{OrgKind, RecordType, Role};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Org {
    #[serde(skip)]
    pub id: i64,
    pub slug: String,
    pub kind: OrgKind,
    pub name: String,
    /// The foreign-affairs office (Sở Ngoại vụ, or the office that took over
    /// its functions), configurable per province.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Statistics Office code of a province.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewOrg {
    pub slug: String,
    pub kind: OrgKind,
    pub name: String,
    pub office_name: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Indicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub units: Vec<String>,
    pub summable: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub org: String,
    #[serde(skip)]
    pub org_id: i64,
    pub role: Role,
    pub disabled: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Granted consular work (reads consular cases).
    pub consular: bool,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub org_id: i64,
    pub username: String,
    pub role: Role,
    pub password_hash: String,
    /// Granted consular work from the start.
    pub consular: bool,
}

/// A stored record: its body plus who owns it and who changed it when.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: i64,
    pub rt: RecordType,
    pub org_id: i64,
    pub org_slug: String,
    pub data: Value,
    pub created_at: OffsetDateTime,
    pub created_by: String,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

impl Record {
    /// The record's version as an HTTP entity tag (quoted): a digest of its
    /// id, body and last change. Any saved change gives a new tag, so a
    /// writer who read the record earlier can say which version its change
    /// is to (`If-Match`), and a change to another version is refused
    /// instead of silently overwriting it.
    pub fn etag(&self) -> String {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(self.rt.code().as_bytes());
        h.update(self.id.to_le_bytes());
        h.update(self.updated_at.unix_timestamp_nanos().to_le_bytes());
        h.update(self.updated_by.as_bytes());
        h.update(self.data.to_string().as_bytes());
        let d = h.finalize();
        let hex: String = d.iter().take(10).map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}\"")
    }

    /// Refuse a change meant for another version: `expect` is the tag the
    /// writer read (`If-Match`; `*` or none: any version). The record as it
    /// is now goes with the refusal, for the writer to compare and merge.
    pub fn check_version(&self, expect: Option<&str>) -> crate::Result<()> {
        match expect.map(str::trim) {
            None | Some("*") => Ok(()),
            Some(tags) => {
                let mine = self.etag();
                // A list of tags, weak or strong, any of which may match.
                let matches = tags
                    .split(',')
                    .map(|t| t.trim().trim_start_matches("W/"))
                    .any(|t| t == mine);
                if matches {
                    Ok(())
                } else {
                    Err(crate::StoreError::Stale(Box::new(self.clone())))
                }
            }
        }
    }

    /// The API's JSON: the body's fields with `id`, `org` and the change stamps.
    /// As `to_json`, without copying the body.
    pub fn into_json(self) -> Value {
        let meta = self.meta_json();
        let mut obj = match self.data {
            Value::Object(body) => body,
            _ => serde_json::Map::new(),
        };
        obj.extend(meta);
        Value::Object(obj)
    }

    fn meta_json(&self) -> serde_json::Map<String, Value> {
        let ts = |t: &OffsetDateTime| crate::seed::ts_text(*t);
        let mut m = serde_json::Map::new();
        m.insert("id".into(), self.id.into());
        m.insert("org".into(), self.org_slug.clone().into());
        m.insert("created_at".into(), ts(&self.created_at).into());
        m.insert("created_by".into(), self.created_by.clone().into());
        m.insert("updated_at".into(), ts(&self.updated_at).into());
        m.insert("updated_by".into(), self.updated_by.clone().into());
        m
    }

    pub fn to_json(&self) -> Value {
        let mut obj = serde_json::Map::new();
        obj.insert("id".into(), self.id.into());
        obj.insert("org".into(), self.org_slug.clone().into());
        if let Value::Object(body) = &self.data {
            for (k, v) in body {
                obj.insert(k.clone(), v.clone());
            }
        }
        let ts = |t: &OffsetDateTime| crate::seed::ts_text(*t);
        obj.insert("created_at".into(), ts(&self.created_at).into());
        obj.insert("created_by".into(), self.created_by.clone().into());
        obj.insert("updated_at".into(), ts(&self.updated_at).into());
        obj.insert("updated_by".into(), self.updated_by.clone().into());
        Value::Object(obj)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Id,
    Title,
    Date,
    Year,
    UpdatedAt,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub rt: RecordType,
    /// Search words (any case, with or without diacritics).
    pub q: Option<String>,
    pub year: Option<i32>,
    pub status: Option<String>,
    pub country: Option<String>,
    pub kind: Option<String>,
    pub sector: Option<String>,
    pub locality: Option<String>,
    /// Organisation id (the service resolves the slug).
    pub org_id: Option<i64>,
    /// The record's main date (start, signature, approval) within these
    /// bounds, inclusive (ISO dates): "delegations in the next 30 days".
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// The end of its validity or trip within these bounds: "agreements
    /// expiring within 90 days".
    pub end_from: Option<String>,
    pub end_to: Option<String>,
    /// Count at most this many (the total is then `min(true total, cap)`);
    /// `None` counts them all (the API's exact totals).
    pub count_cap: Option<i64>,
    pub sort: SortKey,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

impl ListQuery {
    pub fn new(rt: RecordType) -> Self {
        ListQuery {
            rt,
            q: None,
            year: None,
            status: None,
            country: None,
            kind: None,
            sector: None,
            locality: None,
            org_id: None,
            date_from: None,
            date_to: None,
            end_from: None,
            end_to: None,
            count_cap: None,
            sort: SortKey::Id,
            descending: true,
            limit: 50,
            offset: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Record>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub username: String,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkRef {
    pub id: i64,
    #[serde(rename = "type")]
    pub rt: String,
    pub rel: String,
    pub title: String,
}

/// Records this one points at, and records that point at it.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Links {
    pub outgoing: Vec<LinkRef>,
    pub incoming: Vec<LinkRef>,
}

/// A prepared record for bulk loading. Links may name an earlier record of
/// the same batch by its position (`BulkLink::Batch`).
#[derive(Debug, Clone)]
pub struct BulkRecord {
    pub rt: RecordType,
    pub org_id: i64,
    pub data: Value,
    pub idx: Index,
    pub batch_links: Vec<(&'static str, usize)>,
    pub created_at: OffsetDateTime,
    /// Where the record comes from, when it is imported: the record then
    /// gets an audit row of its own (`import`) naming this source (the
    /// file's name and SHA-256, the sheet and row). `None` for synthetic
    /// and demo loads, which write one audit row per batch.
    pub source: Option<ImportSource>,
}

/// Where an imported record comes from: the file (its name and SHA-256,
/// shared by all its rows) and the row. The audit row of the record
/// carries it as `import` (`to_json`). Kept small: an import of 50,000
/// rows holds one per row until it is written.
#[derive(Debug, Clone)]
pub struct ImportSource {
    /// `{"file": …, "sha256": …}`, one per file.
    pub file: std::sync::Arc<Value>,
    pub sheet: std::sync::Arc<str>,
    pub row: usize,
}

impl ImportSource {
    pub fn to_json(&self) -> Value {
        let mut v = (*self.file).clone();
        if let Some(o) = v.as_object_mut() {
            o.insert("sheet".into(), Value::from(&*self.sheet));
            o.insert("row".into(), Value::from(self.row));
        }
        v
    }
}

/// An imported row that matched an existing record of the organisation and
/// changes it: its new body and index, computed from the body read during
/// the review. Updates are written after the import's creates. The write is refused (`Conflict`) when the record has
/// changed since (`expected_updated_at`), so the import writes what its
/// review showed or nothing.
#[derive(Debug, Clone)]
pub struct ImportUpdate {
    pub rt: RecordType,
    pub id: i64,
    pub data: Value,
    pub idx: Index,
    /// Links to records created by the same import (by their position
    /// among its creates), as `BulkRecord::batch_links`.
    pub batch_links: Vec<(&'static str, usize)>,
    pub expected_updated_at: OffsetDateTime,
    /// As `BulkRecord::source`.
    pub source: ImportSource,
}

/// A spreadsheet column mapping saved by name for an organisation and a
/// record type (the import's "use last year's mapping").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedMapping {
    pub id: i64,
    pub record_type: String,
    pub name: String,
    /// The mapping as JSON text.
    pub spec: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
}

/// Where a report read by the reader stands: waiting in the queue,
/// reviewed (its accepted facts saved), or put aside unsaved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Queued,
    Reviewed,
    Dismissed,
}

impl DocumentStatus {
    pub fn code(self) -> &'static str {
        match self {
            DocumentStatus::Queued => "queued",
            DocumentStatus::Reviewed => "reviewed",
            DocumentStatus::Dismissed => "dismissed",
        }
    }
    pub fn from_code(s: &str) -> Option<DocumentStatus> {
        match s {
            "queued" => Some(DocumentStatus::Queued),
            "reviewed" => Some(DocumentStatus::Reviewed),
            "dismissed" => Some(DocumentStatus::Dismissed),
            _ => None,
        }
    }
}

/// A report given to the reader, as it is to be kept.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReaderDocument {
    pub title: String,
    pub file_name: String,
    /// `text`, `html`, `docx` or `pdf`.
    pub format: String,
    /// The document's date as given (`YYYY-MM-DD` or `YYYY`).
    pub doc_date: Option<String>,
    pub text: String,
    /// Where the pages of a PDF start in `text` (bytes).
    pub page_starts: Vec<usize>,
    /// What the reader noticed reading the file, `{vi, en}` each.
    pub warnings: Vec<Value>,
    pub status: DocumentStatus,
}

/// A report kept by the reader: the queue's entries and the texts that saved
/// facts link back to. Lists leave `text` and `page_starts` empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReaderDocument {
    pub id: i64,
    pub org_id: i64,
    /// SHA-256 of `text` (hex).
    pub sha256: String,
    pub title: String,
    pub file_name: String,
    pub format: String,
    pub doc_date: Option<String>,
    pub text: String,
    pub page_starts: Vec<usize>,
    pub warnings: Vec<Value>,
    pub status: DocumentStatus,
    pub facts_saved: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub reviewed_at: Option<OffsetDateTime>,
    pub reviewed_by: Option<String>,
}

impl ReaderDocument {
    /// The first 16 hex digits of the hash, as facts name their source
    /// (`… · sha256:0123456789abcdef`).
    pub fn hash16(&self) -> &str {
        &self.sha256[..self.sha256.len().min(16)]
    }
}

/// A file attached to a record (its bytes are fetched separately).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AttachmentMeta {
    pub id: i64,
    pub record_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// A count-and-sum over records of one type, grouped by organisation,
/// provincial unit of the time, year, kind and currency: the raw material of
/// every derived figure (crates/stats). The caller's scope is applied by the
/// service, as for lists.
#[derive(Debug, Clone, PartialEq)]
pub struct AggQuery {
    pub rt: RecordType,
    /// Only these kinds (empty: all).
    pub kinds: Vec<String>,
    /// Only these statuses (empty: all).
    pub statuses: Vec<String>,
    /// Records of these years (inclusive); `None` leaves that end open.
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// Only this organisation.
    pub org_id: Option<i64>,
    /// Group by the record's country as well (FDI by country).
    pub by_country: bool,
    /// Group by the year the record's validity ends (`date_end`) as well,
    /// for stocks ("projects valid at the end of 2020").
    pub by_end_year: bool,
    /// Group by status as well (a permit's outcome).
    pub by_status: bool,
}

impl AggQuery {
    pub fn new(rt: RecordType) -> Self {
        AggQuery {
            rt,
            kinds: vec![],
            statuses: vec![],
            year_from: None,
            year_to: None,
            org_id: None,
            by_country: false,
            by_end_year: false,
            by_status: false,
        }
    }
}

/// One group of an [`AggQuery`].
#[derive(Debug, Clone, PartialEq)]
pub struct AggRow {
    pub org_id: i64,
    pub locality: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
    /// Currency of `sum` (or an observation's unit).
    pub unit: Option<String>,
    pub country: Option<String>,
    pub end_year: Option<i32>,
    pub count: i64,
    /// Sum of the amounts, exact to the cent (amounts are money).
    pub sum: Option<rust_decimal::Decimal>,
    /// The status, when grouped by it (`by_status`).
    pub status: Option<String>,
}

/// The money of aid projects (foreign NGO aid and ODA) as statistics read
/// it: every project of these kinds, whatever its year, since its
/// transactions are dated on their own (a project approved in 2019
/// disburses in 2022).
#[derive(Debug, Clone, PartialEq)]
pub struct FundsQuery {
    pub kinds: Vec<String>,
    /// Only this organisation.
    pub org_id: Option<i64>,
}

/// One aid project's money: its projection columns and its transactions
/// as the database holds them (JSON text; `legacy` is the earlier
/// `disbursements` list of a body not written since).
#[derive(Debug, Clone, PartialEq)]
pub struct FundsRow {
    pub org_id: i64,
    pub locality: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub year: Option<i32>,
    /// The committed value (`capital`) and its currency.
    pub amount: Option<rust_decimal::Decimal>,
    pub unit: Option<String>,
    pub transactions: Option<String>,
    pub legacy: Option<String>,
}

/// A reported figure (an observation record) as statistics read it: the
/// projection columns and the few body fields statistics need, picked out
/// by the database (parsing whole bodies was most of the time of a national
/// load).
#[derive(Debug, Clone, PartialEq)]
pub struct ObsRow {
    pub id: i64,
    pub org_id: i64,
    pub indicator: String,
    pub locality: Option<String>,
    pub value: Option<rust_decimal::Decimal>,
    pub unit: Option<String>,
    /// The body's `period`, as JSON text.
    pub period: Option<String>,
    pub qualifier: Option<String>,
    pub change_pct: Option<String>,
    pub source_document: Option<String>,
    pub note: Option<String>,
}

/// Which reported figures to read.
#[derive(Debug, Clone, PartialEq)]
pub struct ObsQuery {
    /// Observations whose key year (`year`, `to`, `as_of` or `since`) is in range.
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub org_id: Option<i64>,
    /// Only these indicators (empty: all).
    pub indicators: Vec<String>,
    /// Only figures of this source (`reader`, `import` …), by their
    /// `source:` tag: the national dashboard lists the figures read from
    /// reports without reading every figure of the country.
    pub source: Option<String>,
}

/// What saving a table under a name may replace: nothing (a new table; a
/// table of that name already there is a conflict), or the version the
/// caller opened (`SavedTable::version`), so that two people saving one
/// table do not overwrite each other unknowingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacing<'a> {
    Nothing,
    Version(&'a str),
}

impl SavedTable {
    /// The table's version: its last save's time, to the stored precision.
    pub fn version(&self) -> String {
        self.created_at.unix_timestamp_nanos().to_string()
    }

    /// Whether saving with `replacing` may replace this table.
    pub fn replaceable_by(&self, replacing: Replacing<'_>) -> bool {
        matches!(replacing, Replacing::Version(v) if v == self.version())
    }
}

/// A table of figures a user built and saved for reuse (the table builder).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedTable {
    pub id: i64,
    pub name: String,
    /// The table's choices as a canonical query string.
    pub spec: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
}

/// The calendar feed of an organisation: when its current token was made and
/// by whom. The token itself is never kept, only its SHA-256.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarToken {
    pub org_id: i64,
    pub created_at: OffsetDateTime,
    pub created_by: String,
}

/// A report as it was submitted (`Service::submit_report`): its files are
/// kept and served as they were, whatever changes in the records after.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubmittedReport {
    pub id: i64,
    pub org_id: i64,
    pub org: String,
    /// `annual` or `term`.
    pub kind: String,
    /// `2025`, or `2021-2025` for a term.
    pub period: String,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub submitted_by: String,
}

/// The files of a report being submitted.
#[derive(Debug, Clone)]
pub struct NewSubmittedReport {
    pub org_id: i64,
    pub kind: String,
    pub period: String,
    pub title: String,
    pub docx: Vec<u8>,
    pub xlsx: Vec<u8>,
    pub pdf: Vec<u8>,
}
