//! Storage for ngoaivu.
//!
//! - [`Backend`]: what a database must do. One implementation per database
//!   (`ngoaivu-store-sqlite`, `ngoaivu-store-postgres`), each with its own
//!   migrations; both pass the same conformance suite (`crates/store-tests`).
//! - [`Service`]: the one entry point the HTTP layer and the CLI use. It turns
//!   the caller into a [`Scope`](ngoaivu_core::Scope), applies the write
//!   policy and validates bodies, then calls the backend. Every backend
//!   method that touches records takes that scope and applies it in SQL, so
//!   no handler ever filters records by itself.
//! - [`sql`]: the list/search query both backends build, with the dialect
//!   differences (placeholders, full-text search) in one place.
#![forbid(unsafe_code)]

mod accounts;
pub mod channel;
pub mod group;
pub mod imports;
pub mod inbox;
pub mod model;
pub mod public;
pub mod reader_docs;
pub mod seed;
pub mod service;
pub mod sql;

pub use channel::{
    ChannelItem, ChannelMessage, ChannelRequest, Inbox, MarketNote, NoteFilter, OrgRef,
    RequestFilter, RequestThread, Suggestion,
};
pub use model::*;
pub use public::{CatalogFilter, PublicPage, PublicProject};
pub use service::Service;

use async_trait::async_trait;
use ngoaivu_core::channel::Reach;
use ngoaivu_core::records::Index;
use ngoaivu_core::{Actor, Invalid, RecordType, Scope};
use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Missing, or out of the caller's reach: the two are never told apart.
    #[error("not found")]
    NotFound,
    #[error("invalid input: {}", describe_invalid(.0))]
    Invalid(Invalid),
    #[error("{}", .0.message(ngoaivu_core::Lang::En))]
    Forbidden(ngoaivu_core::Denied),
    /// A uniqueness or reference conflict; the text names it.
    #[error("{0}")]
    Conflict(ConflictKind),
    /// The database cannot take the request now; the cause says what to do.
    #[error("{}", .0.message(ngoaivu_core::Lang::En))]
    Unavailable(Unavailable),
    /// The change was meant for another version of the record (`If-Match`):
    /// someone else changed it first. The record as it is now.
    #[error("the record was changed by someone else since it was read")]
    Stale(Box<Record>),
    /// A saved table of that name was saved (or saved again) since the
    /// caller opened it, or exists already when the caller meant a new
    /// one: the table as it is now.
    #[error("a saved table of that name was saved by someone else since")]
    StaleTable(Box<SavedTable>),
    /// Someone wrote in a request's thread since the caller read it
    /// (`If-Match`): the request as it is now.
    #[error("the request's thread changed since it was read")]
    StaleRequest(Box<ChannelRequest>),
    /// A database error no other variant explains, kept whole (its source
    /// chain reaches the log): a bug, or a cause not yet classified.
    #[error("database error: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("database error: {0}")]
    Other(String),
}

/// Why the database cannot serve a request: each a cause an operator can
/// act on, answered 503 (or 507 for a full disk) rather than "internal".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The database file is gone from under the running server.
    FileGone(String),
    /// No space left for the database to write.
    DiskFull,
    /// The database (file or server) refuses writes.
    ReadOnly,
    /// The database server does not answer.
    Down,
}

impl Unavailable {
    pub fn message(&self, lang: ngoaivu_core::Lang) -> String {
        let vi = lang == ngoaivu_core::Lang::Vi;
        match self {
            Unavailable::FileGone(p) if p.is_empty() && vi => "Không mở được tệp cơ sở dữ liệu (tệp đã bị xóa hoặc di chuyển?); hãy dừng máy chủ và phục hồi từ bản sao lưu (ngoaivu restore).".into(),
            Unavailable::FileGone(p) if p.is_empty() => "The database file cannot be opened (deleted or moved?); stop the server and restore from a backup (ngoaivu restore).".into(),
            Unavailable::FileGone(p) if vi => format!("Tệp cơ sở dữ liệu {p} không còn; hãy dừng máy chủ và phục hồi từ bản sao lưu (ngoaivu restore)."),
            Unavailable::FileGone(p) => format!("The database file {p} is gone; stop the server and restore from a backup (ngoaivu restore)."),
            Unavailable::DiskFull if vi => "Ổ đĩa đã đầy: không ghi được dữ liệu. Việc đọc vẫn hoạt động; hãy giải phóng dung lượng rồi thử lại.".into(),
            Unavailable::DiskFull => "The disk is full: nothing can be written. Reading still works; free some space and try again.".into(),
            Unavailable::ReadOnly if vi => "Cơ sở dữ liệu đang ở chế độ chỉ đọc (quyền tệp hoặc máy chủ CSDL); hãy kiểm tra quyền ghi.".into(),
            Unavailable::ReadOnly => "The database is read-only (file permissions or the database server); check write access.".into(),
            Unavailable::Down if vi => "Máy chủ cơ sở dữ liệu không phản hồi; xin thử lại sau giây lát.".into(),
            Unavailable::Down => "The database server does not answer; try again in a moment.".into(),
        }
    }
}

fn describe_invalid(inv: &Invalid) -> String {
    inv.0
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message(ngoaivu_core::Lang::En)))
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConflictKind {
    UsernameTaken(String),
    SlugTaken(String),
    IndicatorExists(String),
    /// The record is referenced by others (ids).
    InUse(Vec<i64>),
    /// The record was changed by someone else after the import's review
    /// read it (id): the import is refused whole, to be reviewed again.
    ChangedSince(i64),
    /// A report of that kind and period was submitted already (its id):
    /// a submitted report is not replaced.
    AlreadySubmitted(i64),
}

impl ConflictKind {
    /// The conflict as a sentence in `lang` (pages and API errors).
    pub fn message(&self, lang: ngoaivu_core::Lang) -> String {
        let vi = lang == ngoaivu_core::Lang::Vi;
        match self {
            ConflictKind::AlreadySubmitted(_) if vi => {
                "Báo cáo kỳ này đã được nộp; bản đã nộp được giữ nguyên và không thay thế.".into()
            }
            ConflictKind::AlreadySubmitted(_) => {
                "This report was submitted already; the submitted copy is kept as it is.".into()
            }
            ConflictKind::UsernameTaken(u) if vi => format!("Tên đăng nhập “{u}” đã có."),
            ConflictKind::UsernameTaken(u) => format!("The username “{u}” is taken."),
            ConflictKind::SlugTaken(s) if vi => format!("Mã “{s}” đã có."),
            ConflictKind::SlugTaken(s) => format!("The slug “{s}” is taken."),
            ConflictKind::IndicatorExists(c) if vi => format!("Chỉ tiêu “{c}” đã có."),
            ConflictKind::IndicatorExists(c) => format!("The indicator “{c}” exists."),
            ConflictKind::InUse(ids) => {
                let list = ids
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                if vi {
                    format!("Không xóa được: bản ghi đang được các bản ghi {list} tham chiếu.")
                } else {
                    format!("Cannot delete: records {list} refer to this record.")
                }
            }
            ConflictKind::ChangedSince(id) if vi => format!(
                "Bản ghi {id} đã được người khác sửa sau khi xem trước; không có gì được ghi. Hãy xem trước lại rồi nhập."
            ),
            ConflictKind::ChangedSince(id) => format!(
                "Record {id} was changed by someone else after the review; nothing was written. Review the file again, then import."
            ),
        }
    }
}

impl std::fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(ngoaivu_core::Lang::En))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Validation of a record body against the organisation that will own it:
/// given the owning org and the body, the normalised body and its index.
pub type Preparer<'a> = dyn Fn(&Org, &Value) -> Result<(Value, Index), Invalid> + Send + Sync + 'a;
/// Computes a record's new body and index from its organisation and stored
/// body, inside the transaction that writes it; the optional value is the
/// workflow step (`from`, `to`, `note`) the audit row records.
pub type Changer<'a> = dyn Fn(&Org, &Value) -> std::result::Result<(Value, Index, Option<Value>), StoreError>
    + Send
    + Sync
    + 'a;

/// What a database does for ngoaivu. Implementations must apply `scope` in
/// SQL on every record read and write, write the audit row in the same
/// transaction as the change, and keep `search_text` folded (see
/// `ngoaivu_core::fold`).
/// What [`Backend::gauges`] reports.
#[derive(Debug, Clone, Default)]
pub struct StoreGauges {
    /// (pool name, open connections, idle connections).
    pub pools: Vec<(&'static str, u32, u32)>,
    /// Bytes in SQLite's `-wal` file; none for PostgreSQL.
    pub wal_bytes: Option<u64>,
}

// `update_record` takes eight arguments (the version expected among them):
// one struct for them would be built at each of its two call sites only.
#[allow(clippy::too_many_arguments)]
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// `sqlite` or `postgresql`.
    fn kind(&self) -> &'static str;
    /// Where the data lives, without credentials.
    fn describe(&self) -> String;
    async fn health(&self) -> Result<()>;
    /// The schema versions: (applied to the database, known to this binary).
    /// Ready to serve when they are equal.
    async fn schema_versions(&self) -> Result<(i64, i64)>;
    /// Flush and close before the process exits: SQLite checkpoints its
    /// write-ahead log into the database file (so that the file alone is the
    /// database, as backups and restores expect) and closes its pools.
    async fn close(&self);
    /// Gauges for the metrics page, read when it is scraped: each
    /// connection pool's open and idle connections, and (SQLite) the size
    /// of the write-ahead log.
    fn gauges(&self) -> StoreGauges;

    // organisations and reference data
    async fn list_orgs(&self) -> Result<Vec<Org>>;
    async fn org_by_slug(&self, slug: &str) -> Result<Option<Org>>;
    async fn org_by_id(&self, id: i64) -> Result<Option<Org>>;
    async fn add_org(&self, actor: &Actor, org: NewOrg) -> Result<Org>;
    async fn set_org_office(&self, actor: &Actor, org_id: i64, office_name: &str) -> Result<Org>;
    async fn list_indicators(&self) -> Result<Vec<Indicator>>;
    async fn add_indicator(&self, actor: &Actor, ind: Indicator) -> Result<Indicator>;

    // accounts
    async fn add_user(&self, actor: &Actor, user: NewUser) -> Result<User>;
    async fn list_users(&self, org_id: Option<i64>) -> Result<Vec<User>>;
    /// The user and their password hash.
    async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>>;
    async fn set_password(&self, actor: &Actor, username: &str, password_hash: &str) -> Result<()>;
    async fn set_disabled(&self, actor: &Actor, username: &str, disabled: bool) -> Result<()>;
    /// Keep a submitted report's files as submitted, with its audit row;
    /// `Conflict(AlreadySubmitted)` when that organisation, kind and period
    /// has one.
    async fn add_submitted_report(
        &self,
        actor: &Actor,
        report: NewSubmittedReport,
    ) -> Result<SubmittedReport>;
    /// The submitted reports within `scope`, newest first.
    async fn list_submitted_reports(&self, scope: &Scope) -> Result<Vec<SubmittedReport>>;
    /// One submitted file (`docx`, `xlsx` or `pdf`) within `scope`.
    async fn submitted_report_file(
        &self,
        scope: &Scope,
        id: i64,
        format: &str,
    ) -> Result<(SubmittedReport, Vec<u8>)>;
    /// Grant or withdraw consular work (reading consular cases), with its audit row.
    async fn set_consular(&self, actor: &Actor, username: &str, consular: bool) -> Result<()>;
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: time::OffsetDateTime,
    ) -> Result<()>;
    /// The caller behind a live session of an enabled account.
    async fn session_actor(
        &self,
        token_hash: &str,
        now: time::OffsetDateTime,
    ) -> Result<Option<(Actor, time::OffsetDateTime)>>;
    /// Set (or with `None` clear) the address a user's reminders go to, with its audit row.
    async fn set_user_email(
        &self,
        actor: &Actor,
        username: &str,
        email: Option<&str>,
    ) -> Result<()>;
    /// (user id, address) of the active users that have one.
    async fn user_emails(&self) -> Result<Vec<(i64, String)>>;
    /// The users whose daily digest of `day` (YYYY-MM-DD) has gone out.
    async fn digests_sent(&self, day: &str) -> Result<Vec<i64>>;
    /// Note that the digest of `day` went out to `user_id` (a second note
    /// of the same is ignored).
    async fn note_digest_sent(&self, day: &str, user_id: i64) -> Result<()>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn delete_sessions_of(&self, user_id: i64) -> Result<()>;

    // records
    async fn insert_record(
        &self,
        actor: &Actor,
        rt: RecordType,
        org: &Org,
        data: Value,
        idx: Index,
    ) -> Result<Record>;
    async fn get_record(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Record>;
    /// Read the record within `scope`, apply `prepare` to its merged body,
    /// check the writer may change it, and write it back with its audit row.
    async fn update_record(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        id: i64,
        patch: &Value,
        prepare: &Preparer<'_>,
        expect: Option<&str>,
    ) -> Result<Record>;
    /// Move a record along its workflow: read it within `scope`, let
    /// `change` check the step and compute the new body, write it back with
    /// an audit row `transition` in the same transaction.
    async fn transition_record(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        id: i64,
        change: &Changer<'_>,
        expect: Option<&str>,
    ) -> Result<Record>;
    /// Holidays administrators added to those of `data/holidays.csv`.
    async fn list_holidays(&self) -> Result<Vec<ngoaivu_core::workdays::Holiday>>;
    /// Add (or rename) a holiday or a working Saturday, with its audit row.
    async fn add_holiday(&self, actor: &Actor, day: &ngoaivu_core::workdays::Holiday)
    -> Result<()>;
    /// `expect`, here and in the two above: the version (`Record::etag`)
    /// the writer read; checked on the record read in the transaction
    /// (`Record::check_version`), `StoreError::Stale` when it differs.
    async fn delete_record(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        id: i64,
        expect: Option<&str>,
    ) -> Result<()>;
    async fn list_records(&self, scope: &Scope, q: &ListQuery) -> Result<Page>;
    /// The same page as `list_records`, as the JSON array of `Record::to_json`
    /// items (assembled by the database), with the list's total.
    async fn list_records_json(&self, scope: &Scope, q: &ListQuery) -> Result<(String, i64)>;
    async fn history(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Vec<AuditEntry>>;
    /// One audit row `read` per record (`(org id, record id)`) in one
    /// transaction: the reads of restricted records.
    async fn audit_reads(
        &self,
        actor: &Actor,
        rt: RecordType,
        read: &[(i64, i64)],
        via: &str,
    ) -> Result<()>;
    /// Save (or replace, by name) a table of the table builder for `org_id`,
    /// with its audit row: a table of that name is replaced only when
    /// `replacing` names its current version, else `StoreError::StaleTable`.
    async fn save_table(
        &self,
        actor: &Actor,
        org_id: i64,
        name: &str,
        spec: &str,
        replacing: Replacing<'_>,
    ) -> Result<SavedTable>;
    /// The saved tables of `org_id`, by name.
    async fn list_tables(&self, org_id: i64) -> Result<Vec<SavedTable>>;
    /// Remove a saved table of `org_id` (NotFound for another's), with its audit row.
    async fn delete_table(&self, actor: &Actor, org_id: i64, id: i64) -> Result<()>;
    /// Grouped counts and exact sums for statistics (see `sql::aggregate_statement`).
    async fn aggregate(&self, scope: &Scope, q: &AggQuery) -> Result<Vec<AggRow>>;
    /// Aid projects' money for statistics (see `sql::funds_statement`).
    async fn funds(&self, scope: &Scope, q: &FundsQuery) -> Result<Vec<FundsRow>>;
    /// Reported figures (observation records) for statistics.
    async fn observations(&self, scope: &Scope, q: &ObsQuery) -> Result<Vec<ObsRow>>;
    async fn links(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Links>;
    /// Load prepared records in bulk (synthetic data, demo data), one audit
    /// row per batch. Links must point at ids of the same batch's earlier
    /// records or existing ones.
    async fn bulk_insert(
        &self,
        actor: &Actor,
        batch: Vec<BulkRecord>,
        note: &str,
    ) -> Result<Vec<i64>>;
    /// Write an import in one transaction: `creates` (links may name an
    /// earlier create by position, `BulkRecord::batch_links`; links to
    /// existing records are checked to be of the right type in `org`) and
    /// `updates` (each refused with `ChangedSince` when the record changed
    /// after the review read it), every record with its own audit row
    /// `import` naming its source. Any refusal writes nothing. Returns the
    /// created ids in order.
    async fn import_records(
        &self,
        actor: &Actor,
        org: &Org,
        creates: Vec<BulkRecord>,
        updates: Vec<ImportUpdate>,
    ) -> Result<Vec<i64>>;
    /// Every record of one type of `org_id` within `scope` (an import's
    /// review matches its rows against them), in id order.
    async fn org_records(&self, scope: &Scope, org_id: i64, rt: RecordType) -> Result<Vec<Record>>;
    /// The same records as `org_records` as (id, last change, body as JSON
    /// text), unparsed: an import's review keeps tens of thousands of them.
    async fn org_record_bodies(
        &self,
        scope: &Scope,
        org_id: i64,
        rt: RecordType,
    ) -> Result<Vec<(i64, time::OffsetDateTime, String)>>;
    /// Save (or replace, by name) an import mapping of `org_id` for a record
    /// type, with its audit row.
    async fn save_mapping(
        &self,
        actor: &Actor,
        org_id: i64,
        rt: RecordType,
        name: &str,
        spec: &str,
    ) -> Result<SavedMapping>;
    /// The saved import mappings of `org_id` for a record type, by name.
    async fn list_mappings(&self, org_id: i64, rt: RecordType) -> Result<Vec<SavedMapping>>;
    /// Keep a report given to the reader for `org_id`, with its audit row;
    /// the same text given again returns the kept one (`false`: not new).
    async fn add_document(
        &self,
        actor: &Actor,
        org_id: i64,
        doc: &NewReaderDocument,
    ) -> Result<(ReaderDocument, bool)>;
    /// The kept reports within `scope`, newest first, without their texts;
    /// only those of `status` when given.
    async fn list_documents(
        &self,
        scope: &Scope,
        status: Option<DocumentStatus>,
        limit: i64,
    ) -> Result<Vec<ReaderDocument>>;
    /// One kept report within `scope`, with its text.
    async fn get_document(&self, scope: &Scope, id: i64) -> Result<ReaderDocument>;
    /// The kept report within `scope` whose hash starts with `prefix` (hex);
    /// the caller's own organisation's first.
    async fn document_by_hash(
        &self,
        scope: &Scope,
        prefer_org: i64,
        prefix: &str,
    ) -> Result<Option<ReaderDocument>>;
    /// The audit rows of a kept report within `scope`, oldest first.
    async fn document_history(&self, scope: &Scope, id: i64) -> Result<Vec<AuditEntry>>;
    /// Mark a kept report reviewed or dismissed, with its audit row.
    async fn finish_document(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        status: DocumentStatus,
        facts_saved: i64,
    ) -> Result<ReaderDocument>;
    /// Number of records, all organisations.
    async fn count_records(&self) -> Result<i64>;
    /// Refresh the planner's statistics (after a bulk load).
    async fn analyze(&self) -> Result<()>;

    // attachments: the parent record is found within `scope` first, and a
    // change writes an audit row on the parent (`attach`, `detach`).
    async fn add_attachment(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        record_id: i64,
        file: NewAttachment,
    ) -> Result<AttachmentMeta>;
    async fn list_attachments(
        &self,
        scope: &Scope,
        rt: RecordType,
        record_id: i64,
    ) -> Result<Vec<AttachmentMeta>>;
    async fn get_attachment(
        &self,
        scope: &Scope,
        rt: RecordType,
        record_id: i64,
        id: i64,
    ) -> Result<(AttachmentMeta, Vec<u8>)>;
    async fn delete_attachment(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        record_id: i64,
        id: i64,
    ) -> Result<()>;

    // calendar feeds: one secret token per organisation, only its SHA-256
    // kept (as for sessions).
    async fn calendar_token(&self, org_id: i64) -> Result<Option<CalendarToken>>;
    /// Replace the organisation's token (the old feed URL stops working),
    /// with an audit row (`calendar_token`, `rotate`) in the same transaction.
    async fn set_calendar_token(
        &self,
        actor: &Actor,
        org_id: i64,
        token_hash: &str,
    ) -> Result<CalendarToken>;
    /// The organisation whose feed a token opens.
    async fn calendar_org(&self, token_hash: &str) -> Result<Option<i64>>;
    /// The audit rows of an organisation's token rotations, oldest first.
    async fn calendar_token_history(&self, org_id: i64) -> Result<Vec<AuditEntry>>;
    // the province–mission channel (`channel.rs`): every read applies the
    // caller's `Reach` in SQL; every change writes its audit row in the same
    // transaction and checks `core::channel`'s rules on the row it locked.
    /// One request per mission, sharing a batch.
    async fn create_requests(
        &self,
        actor: &Actor,
        draft: &ngoaivu_core::channel::RequestDraft,
        missions: &[Org],
    ) -> Result<Vec<ChannelRequest>>;
    /// Requests in reach, the latest activity first; `actor` decides unread.
    async fn list_requests(
        &self,
        reach: Reach,
        actor: &Actor,
        f: &RequestFilter,
    ) -> Result<Vec<ChannelRequest>>;
    async fn get_request(&self, reach: Reach, actor: &Actor, id: i64) -> Result<RequestThread>;
    /// Add a message and move the status (`core::channel::transition`).
    async fn post_message(
        &self,
        actor: &Actor,
        reach: Reach,
        id: i64,
        action: ngoaivu_core::channel::Action,
        body: &str,
        expect: Option<&str>,
    ) -> Result<ChannelMessage>;
    /// Remember that this user has seen the item as it is now. Not audited:
    /// it changes nobody's data, only what is shown as new to this user.
    async fn mark_read(&self, user_id: i64, item: ChannelItem) -> Result<()>;
    /// A note of the actor's organisation.
    async fn create_note(
        &self,
        actor: &Actor,
        draft: &ngoaivu_core::channel::NoteDraft,
    ) -> Result<MarketNote>;
    async fn list_notes(&self, actor: &Actor, f: &NoteFilter) -> Result<Vec<MarketNote>>;
    async fn get_note(&self, actor: &Actor, id: i64) -> Result<MarketNote>;
    async fn follows(&self, org_id: i64) -> Result<ngoaivu_core::channel::Follows>;
    /// Replace the actor's organisation's follows.
    async fn set_follows(
        &self,
        actor: &Actor,
        follows: &ngoaivu_core::channel::Follows,
    ) -> Result<ngoaivu_core::channel::Follows>;
    /// The audit rows of a request or a note within reach.
    async fn channel_history(
        &self,
        actor: &Actor,
        reach: Reach,
        item: ChannelItem,
    ) -> Result<Vec<AuditEntry>>;
    async fn add_channel_attachment(
        &self,
        actor: &Actor,
        reach: Reach,
        item: ChannelItem,
        file: NewAttachment,
    ) -> Result<AttachmentMeta>;
    async fn list_channel_attachments(
        &self,
        actor: &Actor,
        reach: Reach,
        item: ChannelItem,
    ) -> Result<Vec<AttachmentMeta>>;
    async fn get_channel_attachment(
        &self,
        actor: &Actor,
        reach: Reach,
        item: ChannelItem,
        id: i64,
    ) -> Result<(AttachmentMeta, Vec<u8>)>;
}
