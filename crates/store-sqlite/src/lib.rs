//! The embedded SQLite backend: one file, created and migrated on first
//! start. WAL mode, foreign keys on, writes in `BEGIN IMMEDIATE`
//! transactions so that concurrent writers queue instead of failing.
#![forbid(unsafe_code)]

use std::str::FromStr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use async_trait::async_trait;
use ngoaivu_core::records::{Index, link_target, merge_patch};
use ngoaivu_core::workdays::{DayKind, Holiday};
use ngoaivu_core::{Actor, Invalid, OrgKind, Problem, RecordType, Role, Scope, fold::vi_sort_key};
use ngoaivu_store::group::{self, PendingCreate};
use ngoaivu_store::seed::{parse_ts, reference_indicators, reference_orgs, search_text, ts_text};
use ngoaivu_store::sql::{self, Bind, Dialect};
use ngoaivu_store::{
    AggQuery, AggRow, AttachmentMeta, AuditEntry, Backend, BulkRecord, CalendarToken, Changer,
    ConflictKind, ImportUpdate, Indicator, LinkRef, Links, ListQuery, NewAttachment, NewOrg,
    NewUser, ObsQuery, ObsRow, Org, Page, Preparer, Record, Replacing, Result, SavedMapping,
    SavedTable, StoreError, User,
};
use serde_json::Value;
use sqlx::SqlSafeStr as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row, Sqlite, SqlitePool, Transaction};
use time::OffsetDateTime;

mod channel;
mod reader_docs;

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "records", include_str!("../migrations/0001_records.sql")),
    (
        2,
        "attachments",
        include_str!("../migrations/0002_attachments.sql"),
    ),
    (
        3,
        "search_speed",
        include_str!("../migrations/0003_search_speed.sql"),
    ),
    (
        4,
        "list_speed",
        include_str!("../migrations/0004_list_speed.sql"),
    ),
    (
        5,
        "search_scope",
        include_str!("../migrations/0005_search_scope.sql"),
    ),
    (
        6,
        "statistics",
        include_str!("../migrations/0006_statistics.sql"),
    ),
    (
        7,
        "catalog_calendar",
        include_str!("../migrations/0007_catalog_calendar.sql"),
    ),
    (8, "channel", include_str!("../migrations/0008_channel.sql")),
    (
        9,
        "workflow",
        include_str!("../migrations/0009_workflow.sql"),
    ),
    (
        10,
        "user_email",
        include_str!("../migrations/0010_user_email.sql"),
    ),
    (
        11,
        "list_order",
        include_str!("../migrations/0011_list_order.sql"),
    ),
    (
        12,
        "search_owner",
        include_str!("../migrations/0012_search_owner.sql"),
    ),
    (
        13,
        "import_mappings",
        include_str!("../migrations/0013_import_mappings.sql"),
    ),
    (
        14,
        "reader_documents",
        include_str!("../migrations/0014_reader_documents.sql"),
    ),
    (
        15,
        "digests_sent",
        include_str!("../migrations/0015_digests_sent.sql"),
    ),
    (
        16,
        "abtc_card_expiry",
        include_str!("../migrations/0016_abtc_card_expiry.sql"),
    ),
];

pub struct SqliteBackend {
    /// Readers. In WAL mode a connection throws its whole page cache away
    /// when another connection has written since its last read, so reads
    /// and writes use separate connections: the writer's cache stays warm.
    pool: SqlitePool,
    /// The one connection every write goes through.
    write_pool: SqlitePool,
    path: String,
    /// SQLite has one writer at a time. Writers queue here, in order, rather
    /// than in SQLite's busy handler, which sleeps and retries (up to 100 ms
    /// a try) and made write latency spiky under load.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Creates go to a task of their own (`write_creates`), which writes
    /// those that wait together in one transaction.
    creates: group::CreateQueue,
}

fn db_err(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e {
        if d.is_unique_violation() {
            return StoreError::Other(format!("unique: {}", d.message()));
        }
        // SQLITE_FULL and SQLITE_READONLY (extended codes keep the primary
        // code in their low byte).
        match d
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .map(|c| c & 0xff)
        {
            Some(13) => return StoreError::Unavailable(ngoaivu_store::Unavailable::DiskFull),
            Some(8) => return StoreError::Unavailable(ngoaivu_store::Unavailable::ReadOnly),
            // SQLITE_CANTOPEN: the file went away (pools never create it).
            Some(14) => {
                return StoreError::Unavailable(
                    ngoaivu_store::Unavailable::FileGone(String::new()),
                );
            }
            _ => {}
        }
    }
    StoreError::Other(e.to_string())
}

/// The file path of a `sqlite:` URL (or a plain path).
/// How far a commit is on disk when it is acknowledged (SQLite's
/// `synchronous` in WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// The write-ahead log is synced at every commit: an acknowledged
    /// record survives a power cut or an operating-system crash. The
    /// default for a system of record (its cost is in BENCHMARKS.md).
    #[default]
    Full,
    /// Synced at checkpoints only: survives a crash of ngoaivu itself, but
    /// a power cut can lose the last commits. Faster writes.
    Normal,
}

impl std::str::FromStr for Durability {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Durability, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(Durability::Full),
            "normal" => Ok(Durability::Normal),
            other => Err(format!("“{other}” is not full or normal")),
        }
    }
}

/// The file a `sqlite:` URL names: `sqlite:PATH`, `sqlite://PATH`, or a
/// plain path, without the URL's query (`?mode=rwc` and the like: the
/// options ngoaivu needs it sets itself).
pub fn path_of(url: &str) -> &str {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    match path.split_once('?') {
        Some((file, _)) if url.starts_with("sqlite:") => file,
        _ => path,
    }
}

impl SqliteBackend {
    /// The audit rows of one entity (a record type's code, `calendar_token`,
    /// `request`, `market_note`), oldest first. The caller has checked
    /// that the entity is in reach.
    pub(crate) async fn audit_trail(
        &self,
        entity: &str,
        entity_id: i64,
    ) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT id, at, username, action, before, after FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id")
            .bind(entity)
            .bind(entity_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                id: r.get(0),
                at: parse_ts(r.get::<&str, _>(1)),
                username: r.get(2),
                action: r.get(3),
                before: r
                    .get::<Option<String>, _>(4)
                    .and_then(|s| serde_json::from_str(&s).ok()),
                after: r
                    .get::<Option<String>, _>(5)
                    .and_then(|s| serde_json::from_str(&s).ok()),
            })
            .collect())
    }

    /// Read the record in scope, let `change` compute its new body, and write
    /// it back with its audit row (`action`) in one transaction.
    #[allow(clippy::too_many_arguments)]
    async fn change_record(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        id: i64,
        change: &Changer<'_>,
        action: &str,
        expect: Option<&str>,
    ) -> Result<Record> {
        let (_writer, mut tx) = self.begin().await?;
        let before = fetch_record_tx(&mut tx, scope, rt, id).await?;
        actor
            .may_write_org(before.org_id)
            .map_err(StoreError::Forbidden)?;
        before.check_version(expect)?;
        let org = {
            let row = sqlx::query(AssertSqlSafe(&*format!(
                "SELECT {ORG_COLUMNS} FROM orgs WHERE id = ?"
            )))
            .bind(before.org_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            org_from_row(&row)
        };
        let (data, idx, step) = change(&org, &before.data)?;
        let titles = check_links(&mut tx, org.id, Some(id), &idx).await?;
        let after = write_change(
            &mut tx,
            actor,
            &org,
            before,
            (&data, &idx),
            &titles,
            action,
            step.map(|s| ("transition", s)),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(after)
    }

    /// Open (creating if needed) and migrate the database at `url`, with
    /// every commit synced to disk ([`Durability::Full`]).
    pub async fn open(url: &str) -> Result<SqliteBackend> {
        Self::open_with(url, Durability::Full).await
    }

    /// [`SqliteBackend::open`] with a chosen durability.
    pub async fn open_with(url: &str, durability: Durability) -> Result<SqliteBackend> {
        let path = path_of(url).to_owned();
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
            .map_err(db_err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-8192") // 8 MiB per connection: 8 connections stay well under the 150 MB target
            .pragma("temp_store", "memory")
            // After a checkpoint the WAL is cut back to 64 MiB at most, so
            // that it does not stay as large as its largest burst.
            .pragma("journal_size_limit", "67108864");
        // Create the file when there is none, once, here; the pools' own
        // connections never create it, so that a file deleted under the
        // running server is reported as gone (SQLITE_CANTOPEN), not quietly
        // replaced by an empty database on the next connection.
        {
            use sqlx::Connection;
            let first = sqlx::SqliteConnection::connect_with(&opts.clone().create_if_missing(true))
                .await
                .map_err(db_err)?;
            first.close().await.map_err(db_err)?;
        }
        let opts = opts.create_if_missing(false);
        let write_pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(opts.clone())
            .await
            .map_err(db_err)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(opts)
            .await
            .map_err(db_err)?;
        let writer = Arc::new(tokio::sync::Mutex::new(()));
        let creates = {
            let (pool, writer) = (write_pool.clone(), writer.clone());
            // One writer: SQLite writes one transaction at a time.
            group::spawn_create_writer(1, 256, move |creates| {
                let (pool, writer) = (pool.clone(), writer.clone());
                async move {
                    let _writer = writer.lock().await;
                    write_group(&pool, creates).await;
                }
            })
        };
        let backend = SqliteBackend {
            pool,
            write_pool,
            path,
            writer,
            creates,
        };
        backend.migrate().await?;
        Ok(backend)
    }

    /// The database file is still where it was opened: deleted under a
    /// running server, SQLite would go on writing into an unlinked file and
    /// every write would be lost at the next start.
    fn file_present(&self) -> Result<()> {
        if self.path == ":memory:" || self.path.starts_with("file::memory") {
            return Ok(());
        }
        if std::path::Path::new(&self.path).exists() {
            Ok(())
        } else {
            Err(StoreError::Unavailable(
                ngoaivu_store::Unavailable::FileGone(self.path.clone()),
            ))
        }
    }

    /// A write transaction, holding the writer queue until it is dropped.
    async fn begin(
        &self,
    ) -> Result<(
        tokio::sync::MutexGuard<'_, ()>,
        Transaction<'static, Sqlite>,
    )> {
        self.file_present()?;
        let guard = self.writer.lock().await;
        let tx = begin_immediate(&self.write_pool).await?;
        Ok((guard, tx))
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            .execute(&self.write_pool)
            .await
            .map_err(db_err)?;
        for (version, name, text) in MIGRATIONS {
            let (_writer, mut tx) = self.begin().await?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
            if done.is_some() {
                continue;
            }
            tracing::info!(version, name, "applying SQLite migration");
            sqlx::raw_sql(*text)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            )
            .bind(version)
            .bind(name)
            .bind(ts_text(OffsetDateTime::now_utc()))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            if *version == 1 {
                seed(&mut tx).await?;
            }
            tx.commit().await.map_err(db_err)?;
        }
        Ok(())
    }
}

async fn seed(tx: &mut Transaction<'static, Sqlite>) -> Result<()> {
    for o in reference_orgs() {
        insert_org(tx, &o).await?;
    }
    for i in reference_indicators() {
        sqlx::query("INSERT INTO indicators (code, name_vi, name_en, units, summable) VALUES (?, ?, ?, ?, ?)")
            .bind(&i.code)
            .bind(&i.name_vi)
            .bind(&i.name_en)
            .bind(i.units.join("|"))
            .bind(i.summable)
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

async fn insert_org(tx: &mut Transaction<'static, Sqlite>, o: &NewOrg) -> Result<i64> {
    sqlx::query_scalar("INSERT INTO orgs (slug, kind, name, office_name, country, city, code) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
        .bind(&o.slug)
        .bind(o.kind.as_str())
        .bind(&o.name)
        .bind(&o.office_name)
        .bind(&o.country)
        .bind(&o.city)
        .bind(&o.code)
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(ConflictKind::SlugTaken(o.slug.clone())),
            _ => db_err(e),
        })
}

const ORG_COLUMNS: &str = "id, slug, kind, name, office_name, country, city, code";

fn org_from_row(r: &SqliteRow) -> Org {
    Org {
        id: r.get(0),
        slug: r.get(1),
        kind: OrgKind::parse(r.get::<&str, _>(2)).unwrap_or(OrgKind::Province),
        name: r.get(3),
        office_name: r.get(4),
        country: r.get(5),
        city: r.get(6),
        code: r.get(7),
    }
}

fn record_from_row(r: &SqliteRow) -> Result<Record> {
    let data: String = r.get(4);
    Ok(Record {
        id: r.get(0),
        rt: RecordType::from_code(r.get::<&str, _>(1))
            .ok_or_else(|| StoreError::Other("unknown record type".into()))?,
        org_id: r.get(2),
        org_slug: r.get(3),
        data: serde_json::from_str(&data).map_err(|e| StoreError::Other(e.to_string()))?,
        created_at: parse_ts(r.get::<&str, _>(5)),
        created_by: r.get(6),
        updated_at: parse_ts(r.get::<&str, _>(7)),
        updated_by: r.get(8),
    })
}

const USER_COLUMNS: &str = "u.id, u.username, o.slug, u.org_id, u.role, u.disabled, u.created_at";

fn attachment_from_row(r: &SqliteRow) -> AttachmentMeta {
    AttachmentMeta {
        id: r.get(0),
        record_id: r.get(1),
        filename: r.get(2),
        content_type: r.get(3),
        size: r.get(4),
        sha256: r.get(5),
        created_at: parse_ts(r.get::<&str, _>(6)),
        created_by: r.get(7),
    }
}

fn user_from_row(r: &SqliteRow) -> User {
    User {
        id: r.get(0),
        username: r.get(1),
        org: r.get(2),
        org_id: r.get(3),
        role: Role::parse(r.get::<&str, _>(4)).unwrap_or(Role::Viewer),
        disabled: r.get::<i64, _>(5) != 0,
        created_at: parse_ts(r.get::<&str, _>(6)),
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments> {
    for b in binds {
        q = match b {
            Bind::I64(v) => q.bind(*v),
            Bind::Text(v) => q.bind(v.as_str()),
        };
    }
    q
}

fn scope_clause(scope: &Scope) -> Option<String> {
    match scope {
        Scope::All => Some(String::new()),
        Scope::Org(id) => Some(format!(" AND r.org_id = {id}")),
        Scope::Nothing => None,
    }
}

fn link_field(rel: &str) -> &'static str {
    match rel {
        "investor" => "investor_id",
        "replaces" => "replaces_id",
        _ => "partner_ids",
    }
}

/// A holiday's kind as the `holidays` table writes it.
fn kind_code(k: &DayKind) -> &'static str {
    match k {
        DayKind::Off => "off",
        DayKind::Working => "working",
    }
}

fn day_kind(code: &str) -> DayKind {
    if code == "working" {
        DayKind::Working
    } else {
        DayKind::Off
    }
}

/// The record as written, with the workflow step that wrote it (`from`,
/// `to`, `note`) when there is one, for the audit row.
/// One audit row; the arguments are the table's columns.
#[allow(clippy::too_many_arguments)]
async fn audit(
    tx: &mut Transaction<'static, Sqlite>,
    actor: &Actor,
    org_id: Option<i64>,
    entity: &str,
    entity_id: Option<i64>,
    action: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<()> {
    sqlx::query("INSERT INTO audit (at, user_id, username, org_id, entity, entity_id, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(ts_text(OffsetDateTime::now_utc()))
        .bind(if actor.user_id == 0 { None } else { Some(actor.user_id) })
        .bind(&actor.username)
        .bind(org_id)
        .bind(entity)
        .bind(entity_id)
        .bind(action)
        .bind(before.map(|v| v.to_string()))
        .bind(after.map(|v| v.to_string()))
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// `BEGIN IMMEDIATE` on the one writer connection.
///
/// A COMMIT refused by SQLite (a full disk, a file made read-only) ends
/// SQLite's transaction, but sqlx still counts it as open: its ROLLBACK on
/// drop then fails ("no transaction is active"), the count stays at one,
/// and every later BEGIN on that connection would be refused until a
/// restart. A connection left so is closed here and a fresh one opened,
/// so writes recover by themselves once space returns.
async fn begin_immediate(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>> {
    use sqlx::Connection;
    let mut conn = pool.acquire().await.map_err(db_err)?;
    if conn.is_in_transaction() {
        tracing::warn!(
            "the writer connection was left inside a failed transaction; opening a new one"
        );
        let _ = conn.close().await;
        conn = pool.acquire().await.map_err(db_err)?;
    }
    Transaction::begin(conn, Some("BEGIN IMMEDIATE".into_sql_str()))
        .await
        .map_err(db_err)
}

/// Write a group of creates (`ngoaivu_store::group`) in one transaction.
async fn write_group(pool: &SqlitePool, creates: Vec<PendingCreate>) {
    group::write_group(
        || async { Ok(SqliteCreateTx(begin_immediate(pool).await?)) },
        creates,
    )
    .await
}

/// The transaction a group of creates is written in.
struct SqliteCreateTx(Transaction<'static, Sqlite>);

impl group::CreateTx for SqliteCreateTx {
    fn insert(&mut self, create: &PendingCreate) -> impl Future<Output = Result<Record>> + Send {
        insert_in(&mut self.0, create)
    }
    async fn commit(self) -> Result<()> {
        self.0.commit().await.map_err(db_err)
    }
}

/// One create within `tx`: the row, its tags and links, its audit row.
async fn insert_in(tx: &mut Transaction<'static, Sqlite>, p: &PendingCreate) -> Result<Record> {
    let (actor, rt, org, idx) = (&p.actor, p.rt, &p.org, &p.idx);
    let titles = check_links(tx, org.id, None, idx).await?;
    let now = ts_text(OffsetDateTime::now_utc());
    let proj = Projection {
        search: search_text(&idx.search, &titles),
        idx,
    };
    let id = insert_row(tx, rt, org.id, &p.data, &proj, &now, &actor.username).await?;
    write_tags_links(tx, id, idx).await?;
    // Built from what was written, not read back (one round trip less
    // inside the write lock); the conformance suite compares it with a GET.
    let at = parse_ts(&now);
    let rec = Record {
        id,
        rt,
        org_id: org.id,
        org_slug: org.slug.clone(),
        data: p.data.clone(),
        created_at: at,
        created_by: actor.username.clone(),
        updated_at: at,
        updated_by: actor.username.clone(),
    };
    audit(
        tx,
        actor,
        Some(org.id),
        rt.code(),
        Some(id),
        "create",
        None,
        Some(&rec.to_json()),
    )
    .await?;
    Ok(rec)
}

/// Check every link of `idx` points at a record of the right type in the
/// same organisation, and return the linked titles.
async fn check_links(
    tx: &mut Transaction<'static, Sqlite>,
    org_id: i64,
    self_id: Option<i64>,
    idx: &Index,
) -> Result<Vec<String>> {
    let mut titles = Vec::new();
    let mut errs = Invalid::default();
    for (rel, target) in &idx.links {
        let row = sqlx::query("SELECT type, org_id, title FROM records WHERE id = ?")
            .bind(target)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db_err)?;
        let ok = match &row {
            Some(r) => {
                r.get::<&str, _>(0) == link_target(rel).code()
                    && r.get::<i64, _>(1) == org_id
                    && Some(*target) != self_id
            }
            None => false,
        };
        if ok {
            titles.push(row.map(|r| r.get::<String, _>(2)).unwrap_or_default());
        } else {
            errs.push(link_field(rel), Problem::LinkNotFound { id: *target });
        }
    }
    errs.into_result().map_err(StoreError::Invalid)?;
    Ok(titles)
}

async fn write_tags_links(
    tx: &mut Transaction<'static, Sqlite>,
    id: i64,
    idx: &Index,
) -> Result<()> {
    // One statement each for all the tags and all the links (a JSON array
    // read by json_each): every statement is a hand-over to the
    // connection's thread, and those hand-overs were most of a create.
    if !idx.tags.is_empty() {
        sqlx::query(
            "INSERT OR IGNORE INTO record_tags (tag, record_id) SELECT value, ? FROM json_each(?)",
        )
        .bind(id)
        .bind(Value::from(idx.tags.iter().cloned().collect::<Vec<String>>()).to_string())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    }
    if !idx.links.is_empty() {
        let links: Vec<Value> = idx
            .links
            .iter()
            .map(|(rel, target)| serde_json::json!([rel, target]))
            .collect();
        sqlx::query(
            "INSERT OR IGNORE INTO record_links (record_id, rel, target_id) \
             SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)",
        )
        .bind(id)
        .bind(Value::from(links).to_string())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    }
    if !idx.links.is_empty() {
        write_partner_country_tags(tx, id).await?;
    }
    Ok(())
}

/// Tag a record with the countries of the partners it links to
/// (`pcountry:LA`), so that `country=LA` finds an agreement with a Lao partner.
async fn write_partner_country_tags(tx: &mut Transaction<'static, Sqlite>, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM record_tags WHERE record_id = ? AND tag LIKE 'pcountry:%'")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    sqlx::query("INSERT OR IGNORE INTO record_tags (tag, record_id) SELECT 'pcountry:' || t.country, l.record_id FROM record_links l JOIN records t ON t.id = l.target_id WHERE l.record_id = ? AND t.country IS NOT NULL").bind(id).execute(&mut **tx).await.map_err(db_err)?;
    Ok(())
}

/// Rebuild the search text and partner-country tags of records linking to
/// `target` (its name or country changed).
async fn refresh_dependents(tx: &mut Transaction<'static, Sqlite>, target: i64) -> Result<()> {
    let deps: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT record_id FROM record_links WHERE target_id = ?")
            .bind(target)
            .fetch_all(&mut **tx)
            .await
            .map_err(db_err)?;
    for dep in deps {
        let own: String = sqlx::query_scalar("SELECT search_own FROM records WHERE id = ?")
            .bind(dep)
            .fetch_one(&mut **tx)
            .await
            .map_err(db_err)?;
        let titles: Vec<String> = sqlx::query_scalar("SELECT t.title FROM record_links l JOIN records t ON t.id = l.target_id WHERE l.record_id = ?")
            .bind(dep)
            .fetch_all(&mut **tx)
            .await
            .map_err(db_err)?;
        sqlx::query("UPDATE records SET search_text = ? WHERE id = ?")
            .bind(search_text(&own, &titles))
            .bind(dep)
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
        write_partner_country_tags(tx, dep).await?;
    }
    Ok(())
}

async fn fetch_record_tx(
    tx: &mut Transaction<'static, Sqlite>,
    scope: &Scope,
    rt: RecordType,
    id: i64,
) -> Result<Record> {
    let Some(clause) = scope_clause(scope) else {
        return Err(StoreError::NotFound);
    };
    let sql = format!(
        "SELECT {} FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.id = ? AND r.type = ?{clause}",
        sql::record_columns(Dialect::Sqlite)
    );
    let row = sqlx::query(AssertSqlSafe(&*sql))
        .bind(id)
        .bind(rt.code())
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_err)?;
    row.as_ref()
        .map(record_from_row)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

/// Insert prepared records in `tx`: links to earlier records of the batch
/// by position are resolved first; `titles` are the titles of existing
/// records the batch links to (for the search text). A record with a
/// `source` (an import) gets an audit row of its own.
async fn bulk_write(
    tx: &mut Transaction<'static, Sqlite>,
    actor: &Actor,
    batch: Vec<BulkRecord>,
    titles_of: &std::collections::HashMap<i64, String>,
) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> = Vec::with_capacity(batch.len());
    let mut titles: Vec<String> = Vec::with_capacity(batch.len());
    let mut slugs: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    let mut audits = Vec::new();
    for mut rec in batch {
        let mut linked: Vec<String> = rec
            .idx
            .links
            .iter()
            .filter_map(|(_, t)| titles_of.get(t).cloned())
            .collect();
        for (rel, pos) in &rec.batch_links {
            let target = *ids
                .get(*pos)
                .ok_or_else(|| StoreError::Other(format!("bulk link to later record {pos}")))?;
            rec.idx.links.push((rel, target));
            ngoaivu_store::seed::apply_link(&mut rec.data, rel, target);
            linked.push(titles[*pos].clone());
        }
        let when = ts_text(rec.created_at);
        let p = Projection {
            search: search_text(&rec.idx.search, &linked),
            idx: &rec.idx,
        };
        let id = insert_row(
            tx,
            rec.rt,
            rec.org_id,
            &rec.data,
            &p,
            &when,
            &actor.username,
        )
        .await?;
        write_tags_links(tx, id, &rec.idx).await?;
        if let Some(source) = rec.source {
            let org_slug = match slugs.get(&rec.org_id) {
                Some(s) => s.clone(),
                None => {
                    let slug: String = sqlx::query_scalar("SELECT slug FROM orgs WHERE id = ?")
                        .bind(rec.org_id)
                        .fetch_one(&mut **tx)
                        .await
                        .map_err(db_err)?;
                    slugs.insert(rec.org_id, slug.clone());
                    slug
                }
            };
            let at = parse_ts(&when);
            let record = Record {
                id,
                rt: rec.rt,
                org_id: rec.org_id,
                org_slug,
                data: rec.data,
                created_at: at,
                created_by: actor.username.clone(),
                updated_at: at,
                updated_by: actor.username.clone(),
            };
            let after = with_source(record.to_json(), source.to_json());
            audits.push((rec.org_id, rec.rt.code(), id, after.to_string()));
            if audits.len() == AUDIT_ROWS {
                import_audits(tx, actor, &when, std::mem::take(&mut audits)).await?;
            }
        }
        ids.push(id);
        titles.push(rec.idx.title.clone());
    }
    if !audits.is_empty() {
        let when = ts_text(OffsetDateTime::now_utc());
        import_audits(tx, actor, &when, audits).await?;
    }
    Ok(ids)
}

/// Audit rows written together by `import_audits` (9 parameters each, far
/// below SQLite's limit): a statement each was a third of an import's time.
const AUDIT_ROWS: usize = 200;

/// The `import` audit rows of imported records: (org, entity, id, after).
async fn import_audits(
    tx: &mut Transaction<'static, Sqlite>,
    actor: &Actor,
    when: &str,
    rows: Vec<(i64, &'static str, i64, String)>,
) -> Result<()> {
    let mut q = sqlx::QueryBuilder::<Sqlite>::new(
        "INSERT INTO audit (at, user_id, username, org_id, entity, entity_id, action, before, after) ",
    );
    let user = if actor.user_id == 0 {
        None
    } else {
        Some(actor.user_id)
    };
    q.push_values(rows, |mut b, (org, entity, id, after)| {
        b.push_bind(when.to_owned())
            .push_bind(user)
            .push_bind(actor.username.clone())
            .push_bind(org)
            .push_bind(entity)
            .push_bind(id)
            .push_bind("import")
            .push_bind(None::<String>)
            .push_bind(after);
    });
    q.build().execute(&mut **tx).await.map_err(db_err)?;
    Ok(())
}

/// The audit row's `after` of an imported record: the record and where it came from.
fn with_source(mut after: Value, source: Value) -> Value {
    if let Some(o) = after.as_object_mut() {
        o.insert("import".into(), source);
    }
    after
}

/// Write a record's new body and index over `before` inside `tx`, with its
/// audit row (`action`; `extra` is added to the row's `after` under its
/// key: the workflow step, or an import's source).
#[allow(clippy::too_many_arguments)]
async fn write_change(
    tx: &mut Transaction<'static, Sqlite>,
    actor: &Actor,
    org: &Org,
    before: Record,
    (data, idx): (&Value, &Index),
    linked_titles: &[String],
    action: &str,
    extra: Option<(&'static str, Value)>,
) -> Result<Record> {
    let (rt, id) = (before.rt, before.id);
    let p = Projection {
        search: search_text(&idx.search, linked_titles),
        idx,
    };
    let now = ts_text(OffsetDateTime::now_utc());
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let set: Vec<String> = PROJECTION.iter().map(|c| format!("{c} = ?")).collect();
        format!(
            "UPDATE records SET {}, updated_at = ?, updated_by = ? WHERE id = ?",
            set.join(", ")
        )
    });
    bind_projection(sqlx::query(AssertSqlSafe(SQL.as_str())), &p, data)
        .bind(now.clone())
        .bind(actor.username.clone())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    sqlx::query("DELETE FROM record_tags WHERE record_id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    sqlx::query("DELETE FROM record_links WHERE record_id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    write_tags_links(tx, id, idx).await?;
    if rt == RecordType::Partner {
        refresh_dependents(tx, id).await?;
    }
    let after = fetch_record_tx(tx, &Scope::All, rt, id).await?;
    let mut after_json = after.to_json();
    if let (Some(o), Some((key, value))) = (after_json.as_object_mut(), extra) {
        o.insert(key.into(), value);
    }
    audit(
        tx,
        actor,
        Some(org.id),
        rt.code(),
        Some(id),
        action,
        Some(&before.to_json()),
        Some(&after_json),
    )
    .await?;
    Ok(after)
}

struct Projection<'a> {
    idx: &'a Index,
    search: String,
}

#[async_trait]
impl Backend for SqliteBackend {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn describe(&self) -> String {
        format!("SQLite file {}", self.path)
    }

    async fn health(&self) -> Result<()> {
        self.file_present()?;
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn schema_versions(&self) -> Result<(i64, i64)> {
        let applied: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                .fetch_one(&self.pool)
                .await
                .map_err(db_err)?;
        let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
        Ok((applied, known))
    }

    fn gauges(&self) -> ngoaivu_store::StoreGauges {
        let pool = |name, p: &SqlitePool| (name, p.size(), p.num_idle() as u32);
        ngoaivu_store::StoreGauges {
            pools: vec![pool("read", &self.pool), pool("write", &self.write_pool)],
            wal_bytes: std::fs::metadata(format!("{}-wal", self.path))
                .map(|m| m.len())
                .ok(),
        }
    }

    async fn close(&self) {
        // TRUNCATE: the -wal file is emptied, so that the main file alone
        // holds everything (a copied backup, a restore, `ls -l`).
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.write_pool)
            .await
        {
            tracing::warn!(error = %e, "closing: the WAL checkpoint failed");
        }
        self.write_pool.close().await;
        self.pool.close().await;
    }

    async fn list_orgs(&self) -> Result<Vec<Org>> {
        let rows = sqlx::query(AssertSqlSafe(&*format!(
            "SELECT {ORG_COLUMNS} FROM orgs ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(org_from_row).collect())
    }

    async fn org_by_slug(&self, slug: &str) -> Result<Option<Org>> {
        let row = sqlx::query(AssertSqlSafe(&*format!(
            "SELECT {ORG_COLUMNS} FROM orgs WHERE slug = ?"
        )))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(org_from_row))
    }

    async fn org_by_id(&self, id: i64) -> Result<Option<Org>> {
        let row = sqlx::query(AssertSqlSafe(&*format!(
            "SELECT {ORG_COLUMNS} FROM orgs WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(org_from_row))
    }

    async fn add_org(&self, actor: &Actor, org: NewOrg) -> Result<Org> {
        let (_writer, mut tx) = self.begin().await?;
        let id = insert_org(&mut tx, &org).await?;
        let after =
            serde_json::json!({"slug": org.slug, "kind": org.kind.as_str(), "name": org.name});
        audit(
            &mut tx,
            actor,
            Some(id),
            "org",
            Some(id),
            "create",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        self.org_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    async fn set_org_office(&self, actor: &Actor, org_id: i64, office_name: &str) -> Result<Org> {
        let (_writer, mut tx) = self.begin().await?;
        let before: Option<Option<String>> =
            sqlx::query_scalar("SELECT office_name FROM orgs WHERE id = ?")
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        let Some(before) = before else {
            return Err(StoreError::NotFound);
        };
        sqlx::query("UPDATE orgs SET office_name = ? WHERE id = ?")
            .bind(office_name)
            .bind(org_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(
            &mut tx,
            actor,
            Some(org_id),
            "org",
            Some(org_id),
            "update",
            Some(&serde_json::json!({"office_name": before})),
            Some(&serde_json::json!({"office_name": office_name})),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        self.org_by_id(org_id).await?.ok_or(StoreError::NotFound)
    }

    async fn list_indicators(&self) -> Result<Vec<Indicator>> {
        let rows = sqlx::query(
            "SELECT code, name_vi, name_en, units, summable FROM indicators ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| Indicator {
                code: r.get(0),
                name_vi: r.get(1),
                name_en: r.get(2),
                units: r
                    .get::<String, _>(3)
                    .split('|')
                    .map(str::to_owned)
                    .collect(),
                summable: r.get(4),
            })
            .collect())
    }

    async fn add_indicator(&self, actor: &Actor, ind: Indicator) -> Result<Indicator> {
        let (_writer, mut tx) = self.begin().await?;
        let res = sqlx::query("INSERT INTO indicators (code, name_vi, name_en, units, summable) VALUES (?, ?, ?, ?, ?)")
            .bind(&ind.code)
            .bind(&ind.name_vi)
            .bind(&ind.name_en)
            .bind(ind.units.join("|"))
            .bind(ind.summable)
            .execute(&mut *tx)
            .await;
        if let Err(sqlx::Error::Database(d)) = &res
            && d.is_unique_violation()
        {
            return Err(StoreError::Conflict(ConflictKind::IndicatorExists(
                ind.code.clone(),
            )));
        }
        res.map_err(db_err)?;
        let after = serde_json::to_value(&ind).unwrap_or_default();
        audit(
            &mut tx,
            actor,
            Some(actor.org_id),
            "indicator",
            None,
            "create",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(ind)
    }

    async fn add_user(&self, actor: &Actor, user: NewUser) -> Result<User> {
        let (_writer, mut tx) = self.begin().await?;
        let res = sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (org_id, username, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?) RETURNING id",
        )
        .bind(user.org_id)
        .bind(&user.username)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(ts_text(OffsetDateTime::now_utc()))
        .fetch_one(&mut *tx)
        .await;
        let id = match res {
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                return Err(StoreError::Conflict(ConflictKind::UsernameTaken(
                    user.username,
                )));
            }
            r => r.map_err(db_err)?,
        };
        let after = serde_json::json!({"username": user.username, "role": user.role.as_str(), "org_id": user.org_id});
        audit(
            &mut tx,
            actor,
            Some(user.org_id),
            "user",
            Some(id),
            "create",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        let row = sqlx::query(AssertSqlSafe(&*format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(user_from_row(&row))
    }

    async fn list_users(&self, org_id: Option<i64>) -> Result<Vec<User>> {
        let rows = sqlx::query(AssertSqlSafe(&*format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN orgs o ON o.id = u.org_id WHERE (? IS NULL OR u.org_id = ?) ORDER BY o.slug, u.username"
        )))
        .bind(org_id)
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(user_from_row).collect())
    }

    async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(AssertSqlSafe(&*format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ?")))
            .bind(username)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| (user_from_row(&r), r.get(7))))
    }

    async fn set_password(&self, actor: &Actor, username: &str, password_hash: &str) -> Result<()> {
        let (_writer, mut tx) = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET password_hash = ? WHERE username = ? RETURNING id",
        )
        .bind(password_hash)
        .bind(username)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some(id) = id else {
            return Err(StoreError::NotFound);
        };
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(
            &mut tx,
            actor,
            None,
            "user",
            Some(id),
            "reset_password",
            None,
            None,
        )
        .await?;
        tx.commit().await.map_err(db_err)
    }

    async fn set_disabled(&self, actor: &Actor, username: &str, disabled: bool) -> Result<()> {
        let (_writer, mut tx) = self.begin().await?;
        let id: Option<i64> =
            sqlx::query_scalar("UPDATE users SET disabled = ? WHERE username = ? RETURNING id")
                .bind(disabled)
                .bind(username)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        let Some(id) = id else {
            return Err(StoreError::NotFound);
        };
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        let action = if disabled { "disable" } else { "enable" };
        audit(&mut tx, actor, None, "user", Some(id), action, None, None).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn set_user_email(
        &self,
        actor: &Actor,
        username: &str,
        email: Option<&str>,
    ) -> Result<()> {
        let (_writer, mut tx) = self.begin().await?;
        let id: Option<i64> =
            sqlx::query_scalar("UPDATE users SET email = ? WHERE username = ? RETURNING id")
                .bind(email)
                .bind(username)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        let Some(id) = id else {
            return Err(StoreError::NotFound);
        };
        let after = serde_json::json!({"email": email});
        audit(
            &mut tx,
            actor,
            None,
            "user",
            Some(id),
            "set_email",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(db_err)
    }

    async fn digests_sent(&self, day: &str) -> Result<Vec<i64>> {
        sqlx::query_scalar("SELECT user_id FROM digests_sent WHERE day = ? ORDER BY user_id")
            .bind(day)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn note_digest_sent(&self, day: &str, user_id: i64) -> Result<()> {
        let (_writer, mut tx) = self.begin().await?;
        sqlx::query(
            "INSERT INTO digests_sent (day, user_id, sent_at) VALUES (?, ?, ?) ON CONFLICT (day, user_id) DO NOTHING",
        )
        .bind(day)
        .bind(user_id)
        .bind(ts_text(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn user_emails(&self) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT id, email FROM users WHERE email IS NOT NULL AND disabled = 0 ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(ts_text(OffsetDateTime::now_utc()))
            .bind(ts_text(expires_at))
            .execute(&self.write_pool)
            .await
            .map_err(db_err)?;
        // Expired sessions are swept whenever a new one starts.
        sqlx::query("DELETE FROM sessions WHERE expires_at < ?")
            .bind(ts_text(OffsetDateTime::now_utc()))
            .execute(&self.write_pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn session_actor(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(Actor, OffsetDateTime)>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, o.id, o.slug, o.kind, u.role, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id \
             WHERE s.token_hash = ? AND u.disabled = 0 AND s.expires_at > ?",
        )
        .bind(token_hash)
        .bind(ts_text(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| {
            (
                Actor {
                    user_id: r.get(0),
                    username: r.get(1),
                    org_id: r.get(2),
                    org_slug: r.get(3),
                    org_kind: OrgKind::parse(r.get::<&str, _>(4)).unwrap_or(OrgKind::Province),
                    role: Role::parse(r.get::<&str, _>(5)).unwrap_or(Role::Viewer),
                },
                parse_ts(r.get::<&str, _>(6)),
            )
        }))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.write_pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_sessions_of(&self, user_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user_id)
            .execute(&self.write_pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn insert_record(
        &self,
        actor: &Actor,
        rt: RecordType,
        org: &Org,
        data: Value,
        idx: Index,
    ) -> Result<Record> {
        self.file_present()?;
        group::create(&self.creates, actor, rt, org, data, idx, |creates| async {
            let _writer = self.writer.lock().await;
            write_group(&self.write_pool, creates).await;
        })
        .await
    }

    async fn get_record(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Record> {
        let Some(clause) = scope_clause(scope) else {
            return Err(StoreError::NotFound);
        };
        let sql = format!(
            "SELECT {} FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.id = ? AND r.type = ?{clause}",
            sql::record_columns(Dialect::Sqlite)
        );
        let row = sqlx::query(AssertSqlSafe(&*sql))
            .bind(id)
            .bind(rt.code())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref()
            .map(record_from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn update_record(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        id: i64,
        patch: &Value,
        prepare: &Preparer<'_>,
        expect: Option<&str>,
    ) -> Result<Record> {
        let change = |org: &Org, before: &Value| {
            let mut merged = before.clone();
            merge_patch(&mut merged, patch);
            ngoaivu_core::workflow::check_edit(rt, before, &merged).map_err(StoreError::Invalid)?;
            let (data, idx) = prepare(org, &merged).map_err(StoreError::Invalid)?;
            Ok((data, idx, None))
        };
        self.change_record(actor, scope, rt, id, &change, "update", expect)
            .await
    }

    async fn list_holidays(&self) -> Result<Vec<Holiday>> {
        let rows = sqlx::query("SELECT date, name_vi, name_en, kind FROM holidays ORDER BY date")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let date: String = r.get(0);
                Some(Holiday {
                    date: ngoaivu_core::values::parse_date(&date)?,
                    name_vi: r.get(1),
                    name_en: r.get(2),
                    kind: day_kind(&r.get::<String, _>(3)),
                })
            })
            .collect())
    }

    async fn add_holiday(&self, actor: &Actor, day: &Holiday) -> Result<()> {
        let (_writer, mut tx) = self.begin().await?;
        let date = ngoaivu_core::values::format_date(day.date);
        sqlx::query("INSERT INTO holidays (date, name_vi, name_en, kind, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, kind = excluded.kind, added_at = excluded.added_at, added_by = excluded.added_by")
            .bind(&date)
            .bind(&day.name_vi)
            .bind(&day.name_en)
            .bind(kind_code(&day.kind))
            .bind(ts_text(OffsetDateTime::now_utc()))
            .bind(&actor.username)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(
            &mut tx,
            actor,
            None,
            "holiday",
            None,
            "add",
            None,
            Some(&serde_json::json!({"date": date, "name_vi": day.name_vi, "name_en": day.name_en, "kind": kind_code(&day.kind)})),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn transition_record(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        id: i64,
        change: &Changer<'_>,
        expect: Option<&str>,
    ) -> Result<Record> {
        self.change_record(actor, scope, rt, id, change, "transition", expect)
            .await
    }

    async fn delete_record(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        id: i64,
        expect: Option<&str>,
    ) -> Result<()> {
        let (_writer, mut tx) = self.begin().await?;
        let before = fetch_record_tx(&mut tx, scope, rt, id).await?;
        actor
            .may_write_org(before.org_id)
            .map_err(StoreError::Forbidden)?;
        before.check_version(expect)?;
        let users: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT record_id FROM record_links WHERE target_id = ? ORDER BY record_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        if !users.is_empty() {
            return Err(StoreError::Conflict(ConflictKind::InUse(users)));
        }
        sqlx::query("DELETE FROM records WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(
            &mut tx,
            actor,
            Some(before.org_id),
            rt.code(),
            Some(id),
            "delete",
            Some(&before.to_json()),
            None,
        )
        .await?;
        tx.commit().await.map_err(db_err)
    }

    async fn list_records(&self, scope: &Scope, q: &ListQuery) -> Result<Page> {
        let Some((page, count)) = sql::list_statements(Dialect::Sqlite, scope, q) else {
            return Ok(Page {
                items: vec![],
                total: 0,
            });
        };
        let rows = bind_all(sqlx::query(AssertSqlSafe(&*page.text)), &page.binds)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let items = rows
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>>>()?;
        let total = if q.offset == 0 && (items.len() as i64) < q.limit {
            items.len() as i64
        } else {
            let row = bind_all(sqlx::query(AssertSqlSafe(&*count.text)), &count.binds)
                .fetch_one(&self.pool)
                .await
                .map_err(db_err)?;
            row.get::<i64, _>(0)
        };
        Ok(Page { items, total })
    }

    async fn list_records_json(&self, scope: &Scope, q: &ListQuery) -> Result<(String, i64)> {
        let Some(page) = sql::list_json_statement(scope, q) else {
            return Ok(("[]".into(), 0));
        };
        let row = bind_all(sqlx::query(AssertSqlSafe(&*page.text)), &page.binds)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok((row.get(0), row.get(1)))
    }

    async fn save_table(
        &self,
        actor: &Actor,
        org_id: i64,
        name: &str,
        spec: &str,
        replacing: Replacing<'_>,
    ) -> Result<SavedTable> {
        let (_writer, mut tx) = self.begin().await?;
        // The table of that name now, read in the writing transaction (the
        // one writer: nobody saves in between), replaced only if the caller
        // opened this version of it.
        let now = sqlx::query("SELECT id, name, spec, created_at, created_by FROM saved_tables WHERE org_id = ? AND name = ?")
            .bind(org_id)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
            .map(|r: SqliteRow| saved_table(&r));
        if let Some(now) = now
            && !now.replaceable_by(replacing)
        {
            return Err(StoreError::StaleTable(Box::new(now)));
        }
        let id: i64 = sqlx::query_scalar("INSERT INTO saved_tables (org_id, name, spec, created_at, created_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, name) DO UPDATE SET spec = excluded.spec, created_at = excluded.created_at, created_by = excluded.created_by RETURNING id")
            .bind(org_id)
            .bind(name)
            .bind(spec)
            .bind(ts_text(OffsetDateTime::now_utc()))
            .bind(&actor.username)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(
            &mut tx,
            actor,
            Some(org_id),
            "saved_table",
            Some(id),
            "save",
            None,
            Some(&serde_json::json!({"name": name, "spec": spec})),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        self.list_tables(org_id)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StoreError::NotFound)
    }

    async fn list_tables(&self, org_id: i64) -> Result<Vec<SavedTable>> {
        let rows = sqlx::query("SELECT id, name, spec, created_at, created_by FROM saved_tables WHERE org_id = ? ORDER BY name")
            .bind(org_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(saved_table).collect())
    }

    async fn delete_table(&self, actor: &Actor, org_id: i64, id: i64) -> Result<()> {
        let (_writer, mut tx) = self.begin().await?;
        let before: Option<(String, String)> =
            sqlx::query_as("SELECT name, spec FROM saved_tables WHERE id = ? AND org_id = ?")
                .bind(id)
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        let Some((name, spec)) = before else {
            return Err(StoreError::NotFound);
        };
        sqlx::query("DELETE FROM saved_tables WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(
            &mut tx,
            actor,
            Some(org_id),
            "saved_table",
            Some(id),
            "delete",
            Some(&serde_json::json!({"name": name, "spec": spec})),
            None,
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn aggregate(&self, scope: &Scope, q: &AggQuery) -> Result<Vec<AggRow>> {
        let Some(stmt) = sql::aggregate_statement(Dialect::Sqlite, scope, q) else {
            return Ok(vec![]);
        };
        let rows = bind_all(sqlx::query(AssertSqlSafe(&*stmt.text)), &stmt.binds)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|row: &SqliteRow| AggRow {
                org_id: row.get(0),
                locality: row.get(1),
                year: row.get::<Option<i64>, _>(2).map(|y| y as i32),
                kind: row.get(3),
                unit: row.get(4),
                country: row.get(5),
                end_year: row.get::<Option<i64>, _>(6).map(|y| y as i32),
                count: row.get(7),
                sum: row
                    .get::<Option<i64>, _>(8)
                    .map(|cents| rust_decimal::Decimal::new(cents, 2).normalize()),
            })
            .collect())
    }

    async fn observations(&self, scope: &Scope, q: &ObsQuery) -> Result<Vec<ObsRow>> {
        let Some(stmt) = sql::observations_statement(Dialect::Sqlite, scope, q) else {
            return Ok(vec![]);
        };
        let row = bind_all(sqlx::query(AssertSqlSafe(&*stmt.text)), &stmt.binds)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        let all: Option<String> = row.get(0);
        // [id, org_id, indicator, locality, value, unit, [period, qualifier,
        //  change_pct, source_document, note]]
        type Obs = (
            i64,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            (
                Option<Value>,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
            ),
        );
        let items: Vec<Obs> = serde_json::from_str(all.as_deref().unwrap_or("[]"))
            .map_err(|e| StoreError::Other(format!("observations: {e}")))?;
        Ok(items
            .into_iter()
            .map(|(id, org_id, indicator, locality, value, unit, f)| ObsRow {
                id,
                org_id,
                indicator: indicator.unwrap_or_default(),
                locality,
                value: value.and_then(|v| v.parse::<rust_decimal::Decimal>().ok()),
                unit,
                period: f.0.filter(|v| !v.is_null()).map(|v| v.to_string()),
                qualifier: f.1,
                change_pct: f.2,
                source_document: f.3,
                note: f.4,
            })
            .collect())
    }

    async fn history(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Vec<AuditEntry>> {
        self.get_record(scope, rt, id).await?;
        self.audit_trail(rt.code(), id).await
    }

    async fn links(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Links> {
        self.get_record(scope, rt, id).await?;
        let clause = scope_clause(scope).unwrap_or_default();
        let map = |r: &SqliteRow| LinkRef {
            rel: r.get(0),
            id: r.get(1),
            rt: r.get(2),
            title: r.get(3),
        };
        let outgoing = sqlx::query(AssertSqlSafe(&*format!(
            "SELECT l.rel, r.id, r.type, r.title FROM record_links l JOIN records r ON r.id = l.target_id WHERE l.record_id = ?{clause} ORDER BY r.id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let incoming = sqlx::query(AssertSqlSafe(&*format!(
            "SELECT l.rel, r.id, r.type, r.title FROM record_links l JOIN records r ON r.id = l.record_id WHERE l.target_id = ?{clause} ORDER BY r.id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Links {
            outgoing: outgoing.iter().map(map).collect(),
            incoming: incoming.iter().map(map).collect(),
        })
    }

    async fn bulk_insert(
        &self,
        actor: &Actor,
        batch: Vec<BulkRecord>,
        note: &str,
    ) -> Result<Vec<i64>> {
        let (_writer, mut tx) = self.begin().await?;
        let n = batch.len();
        let ids = bulk_write(&mut tx, actor, batch, &Default::default()).await?;
        let after = serde_json::json!({"records": n, "note": note});
        audit(
            &mut tx,
            actor,
            None,
            "bulk",
            None,
            "bulk_insert",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(ids)
    }

    async fn import_records(
        &self,
        actor: &Actor,
        org: &Org,
        creates: Vec<BulkRecord>,
        updates: Vec<ImportUpdate>,
    ) -> Result<Vec<i64>> {
        actor.may_write_org(org.id).map_err(StoreError::Forbidden)?;
        let (_writer, mut tx) = self.begin().await?;
        // Links to records that exist already: of the right type, in `org`.
        let mut titles = std::collections::HashMap::new();
        let mut errs = Invalid::default();
        let existing = creates
            .iter()
            .flat_map(|c| c.idx.links.iter())
            .chain(updates.iter().flat_map(|u| u.idx.links.iter()));
        for (rel, target) in existing {
            if titles.contains_key(target) {
                continue;
            }
            let row = sqlx::query("SELECT type, org_id, title FROM records WHERE id = ?")
                .bind(target)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
            match row {
                Some(r)
                    if r.get::<&str, _>(0) == link_target(rel).code()
                        && r.get::<i64, _>(1) == org.id =>
                {
                    titles.insert(*target, r.get::<String, _>(2));
                }
                _ => errs.push(link_field(rel), Problem::LinkNotFound { id: *target }),
            }
        }
        errs.into_result().map_err(StoreError::Invalid)?;
        let ids = bulk_write(&mut tx, actor, creates, &titles).await?;
        for mut u in updates {
            let scope = Scope::Org(org.id);
            let before = fetch_record_tx(&mut tx, &scope, u.rt, u.id).await?;
            if before.updated_at != u.expected_updated_at {
                return Err(StoreError::Conflict(ConflictKind::ChangedSince(u.id)));
            }
            for (rel, pos) in &u.batch_links {
                let target = *ids
                    .get(*pos)
                    .ok_or_else(|| StoreError::Other(format!("import link to record {pos}")))?;
                u.idx.links.push((rel, target));
                ngoaivu_store::seed::apply_link(&mut u.data, rel, target);
            }
            let linked: Vec<String> = u
                .idx
                .links
                .iter()
                .filter_map(|(_, t)| titles.get(t).cloned())
                .collect();
            write_change(
                &mut tx,
                actor,
                org,
                before,
                (&u.data, &u.idx),
                &linked,
                "import",
                Some(("import", u.source.to_json())),
            )
            .await?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(ids)
    }

    async fn org_records(&self, scope: &Scope, org_id: i64, rt: RecordType) -> Result<Vec<Record>> {
        let Some(clause) = scope_clause(scope) else {
            return Ok(vec![]);
        };
        let sql = format!(
            "SELECT {} FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.type = ? AND r.org_id = ?{clause} ORDER BY r.id",
            sql::record_columns(Dialect::Sqlite)
        );
        let rows = sqlx::query(AssertSqlSafe(&*sql))
            .bind(rt.code())
            .bind(org_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(record_from_row).collect()
    }

    async fn org_record_bodies(
        &self,
        scope: &Scope,
        org_id: i64,
        rt: RecordType,
    ) -> Result<Vec<(i64, OffsetDateTime, String)>> {
        let Some(clause) = scope_clause(scope) else {
            return Ok(vec![]);
        };
        let sql = format!(
            "SELECT r.id, r.updated_at, r.data FROM records r WHERE r.type = ? AND r.org_id = ?{clause} ORDER BY r.id"
        );
        let rows = sqlx::query(AssertSqlSafe(&*sql))
            .bind(rt.code())
            .bind(org_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), parse_ts(r.get::<&str, _>(1)), r.get(2)))
            .collect())
    }

    async fn save_mapping(
        &self,
        actor: &Actor,
        org_id: i64,
        rt: RecordType,
        name: &str,
        spec: &str,
    ) -> Result<SavedMapping> {
        let (_writer, mut tx) = self.begin().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO import_mappings (org_id, record_type, name, spec, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, record_type, name) DO UPDATE SET spec = excluded.spec, created_at = excluded.created_at, created_by = excluded.created_by RETURNING id")
            .bind(org_id)
            .bind(rt.code())
            .bind(name)
            .bind(spec)
            .bind(ts_text(OffsetDateTime::now_utc()))
            .bind(&actor.username)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(
            &mut tx,
            actor,
            Some(org_id),
            "import_mapping",
            Some(id),
            "save",
            None,
            Some(&serde_json::json!({"record_type": rt.code(), "name": name, "spec": spec})),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        self.list_mappings(org_id, rt)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(StoreError::NotFound)
    }

    async fn list_mappings(&self, org_id: i64, rt: RecordType) -> Result<Vec<SavedMapping>> {
        let rows = sqlx::query("SELECT id, record_type, name, spec, created_at, created_by FROM import_mappings WHERE org_id = ? AND record_type = ? ORDER BY name")
            .bind(org_id)
            .bind(rt.code())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r: &SqliteRow| SavedMapping {
                id: r.get(0),
                record_type: r.get(1),
                name: r.get(2),
                spec: r.get(3),
                created_at: parse_ts(r.get::<&str, _>(4)),
                created_by: r.get(5),
            })
            .collect())
    }

    async fn add_attachment(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        record_id: i64,
        file: NewAttachment,
    ) -> Result<AttachmentMeta> {
        let (_writer, mut tx) = self.begin().await?;
        let parent = fetch_record_tx(&mut tx, scope, rt, record_id).await?;
        actor
            .may_write_org(parent.org_id)
            .map_err(StoreError::Forbidden)?;
        let now = ts_text(OffsetDateTime::now_utc());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (record_id, filename, content_type, size, sha256, content, created_at, created_by) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(record_id)
        .bind(&file.filename)
        .bind(&file.content_type)
        .bind(file.bytes.len() as i64)
        .bind(&file.sha256)
        .bind(&file.bytes)
        .bind(&now)
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let meta = AttachmentMeta {
            id,
            record_id,
            filename: file.filename,
            content_type: file.content_type,
            size: file.bytes.len() as i64,
            sha256: file.sha256,
            created_at: parse_ts(&now),
            created_by: actor.username.clone(),
        };
        let after = serde_json::to_value(&meta).unwrap_or_default();
        audit(
            &mut tx,
            actor,
            Some(parent.org_id),
            rt.code(),
            Some(record_id),
            "attach",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(meta)
    }

    async fn list_attachments(
        &self,
        scope: &Scope,
        rt: RecordType,
        record_id: i64,
    ) -> Result<Vec<AttachmentMeta>> {
        self.get_record(scope, rt, record_id).await?;
        let rows = sqlx::query("SELECT id, record_id, filename, content_type, size, sha256, created_at, created_by FROM attachments WHERE record_id = ? ORDER BY id")
            .bind(record_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(attachment_from_row).collect())
    }

    async fn get_attachment(
        &self,
        scope: &Scope,
        rt: RecordType,
        record_id: i64,
        id: i64,
    ) -> Result<(AttachmentMeta, Vec<u8>)> {
        self.get_record(scope, rt, record_id).await?;
        let row = sqlx::query(
            "SELECT id, record_id, filename, content_type, size, sha256, created_at, created_by, content FROM attachments WHERE id = ? AND record_id = ?",
        )
        .bind(id)
        .bind(record_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        let row = row.ok_or(StoreError::NotFound)?;
        Ok((attachment_from_row(&row), row.get(8)))
    }

    async fn delete_attachment(
        &self,
        actor: &Actor,
        scope: &Scope,
        rt: RecordType,
        record_id: i64,
        id: i64,
    ) -> Result<()> {
        let (_writer, mut tx) = self.begin().await?;
        let parent = fetch_record_tx(&mut tx, scope, rt, record_id).await?;
        actor
            .may_write_org(parent.org_id)
            .map_err(StoreError::Forbidden)?;
        let row = sqlx::query("DELETE FROM attachments WHERE id = ? AND record_id = ? RETURNING id, record_id, filename, content_type, size, sha256, created_at, created_by")
            .bind(id)
            .bind(record_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        let meta = attachment_from_row(&row.ok_or(StoreError::NotFound)?);
        let before = serde_json::to_value(&meta).unwrap_or_default();
        audit(
            &mut tx,
            actor,
            Some(parent.org_id),
            rt.code(),
            Some(record_id),
            "detach",
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await.map_err(db_err)
    }

    async fn analyze(&self) -> Result<()> {
        sqlx::raw_sql("ANALYZE")
            .execute(&self.write_pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn add_document(
        &self,
        actor: &Actor,
        org_id: i64,
        doc: &ngoaivu_store::NewReaderDocument,
    ) -> Result<(ngoaivu_store::ReaderDocument, bool)> {
        self.rd_add(actor, org_id, doc).await
    }
    async fn list_documents(
        &self,
        scope: &Scope,
        status: Option<ngoaivu_store::DocumentStatus>,
        limit: i64,
    ) -> Result<Vec<ngoaivu_store::ReaderDocument>> {
        self.rd_list(scope, status, limit).await
    }
    async fn get_document(&self, scope: &Scope, id: i64) -> Result<ngoaivu_store::ReaderDocument> {
        self.rd_get(scope, id).await
    }
    async fn document_by_hash(
        &self,
        scope: &Scope,
        prefer_org: i64,
        prefix: &str,
    ) -> Result<Option<ngoaivu_store::ReaderDocument>> {
        self.rd_by_hash(scope, prefer_org, prefix).await
    }
    async fn document_history(&self, scope: &Scope, id: i64) -> Result<Vec<AuditEntry>> {
        self.rd_get(scope, id).await?;
        self.audit_trail("reader_document", id).await
    }
    async fn finish_document(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        status: ngoaivu_store::DocumentStatus,
        facts_saved: i64,
    ) -> Result<ngoaivu_store::ReaderDocument> {
        self.rd_finish(actor, scope, id, status, facts_saved).await
    }
    async fn count_records(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM records")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn calendar_token(&self, org_id: i64) -> Result<Option<CalendarToken>> {
        let row = sqlx::query(
            "SELECT org_id, created_at, created_by FROM calendar_tokens WHERE org_id = ?",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| CalendarToken {
            org_id: r.get(0),
            created_at: parse_ts(r.get::<&str, _>(1)),
            created_by: r.get(2),
        }))
    }

    async fn set_calendar_token(
        &self,
        actor: &Actor,
        org_id: i64,
        token_hash: &str,
    ) -> Result<CalendarToken> {
        let (_writer, mut tx) = self.begin().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM orgs WHERE id = ?")
            .bind(org_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let before: Option<String> =
            sqlx::query_scalar("SELECT created_at FROM calendar_tokens WHERE org_id = ?")
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        let now = OffsetDateTime::now_utc();
        sqlx::query("INSERT INTO calendar_tokens (org_id, token_hash, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, created_by = excluded.created_by")
            .bind(org_id)
            .bind(token_hash)
            .bind(ts_text(now))
            .bind(&actor.username)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        // The audit row names when the feed changed, never the token.
        audit(
            &mut tx,
            actor,
            Some(org_id),
            "calendar_token",
            Some(org_id),
            "rotate",
            before
                .map(|b| serde_json::json!({"created_at": b}))
                .as_ref(),
            Some(&serde_json::json!({"created_at": ts_text(now)})),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(CalendarToken {
            org_id,
            created_at: parse_ts(&ts_text(now)),
            created_by: actor.username.clone(),
        })
    }

    async fn calendar_org(&self, token_hash: &str) -> Result<Option<i64>> {
        sqlx::query_scalar("SELECT org_id FROM calendar_tokens WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn calendar_token_history(&self, org_id: i64) -> Result<Vec<AuditEntry>> {
        self.audit_trail("calendar_token", org_id).await
    }

    // the province–mission channel: see channel.rs
    async fn create_requests(
        &self,
        actor: &Actor,
        draft: &ngoaivu_core::channel::RequestDraft,
        missions: &[Org],
    ) -> Result<Vec<ngoaivu_store::ChannelRequest>> {
        self.ch_create_requests(actor, draft, missions).await
    }
    async fn list_requests(
        &self,
        reach: ngoaivu_core::channel::Reach,
        actor: &Actor,
        f: &ngoaivu_store::RequestFilter,
    ) -> Result<Vec<ngoaivu_store::ChannelRequest>> {
        self.ch_list_requests(reach, actor, f).await
    }
    async fn get_request(
        &self,
        reach: ngoaivu_core::channel::Reach,
        actor: &Actor,
        id: i64,
    ) -> Result<ngoaivu_store::RequestThread> {
        self.ch_get_request(reach, actor, id).await
    }
    async fn post_message(
        &self,
        actor: &Actor,
        reach: ngoaivu_core::channel::Reach,
        id: i64,
        action: ngoaivu_core::channel::Action,
        body: &str,
        expect: Option<&str>,
    ) -> Result<ngoaivu_store::ChannelMessage> {
        self.ch_post_message(actor, reach, id, action, body, expect)
            .await
    }
    async fn mark_read(&self, user_id: i64, item: ngoaivu_store::ChannelItem) -> Result<()> {
        self.ch_mark_read(user_id, item).await
    }
    async fn create_note(
        &self,
        actor: &Actor,
        draft: &ngoaivu_core::channel::NoteDraft,
    ) -> Result<ngoaivu_store::MarketNote> {
        self.ch_create_note(actor, draft).await
    }
    async fn list_notes(
        &self,
        actor: &Actor,
        f: &ngoaivu_store::NoteFilter,
    ) -> Result<Vec<ngoaivu_store::MarketNote>> {
        self.ch_list_notes(actor, f).await
    }
    async fn get_note(&self, actor: &Actor, id: i64) -> Result<ngoaivu_store::MarketNote> {
        self.ch_get_note(actor, id).await
    }
    async fn follows(&self, org_id: i64) -> Result<ngoaivu_core::channel::Follows> {
        self.ch_follows(org_id).await
    }
    async fn set_follows(
        &self,
        actor: &Actor,
        follows: &ngoaivu_core::channel::Follows,
    ) -> Result<ngoaivu_core::channel::Follows> {
        self.ch_set_follows(actor, follows).await
    }
    async fn channel_history(
        &self,
        actor: &Actor,
        reach: ngoaivu_core::channel::Reach,
        item: ngoaivu_store::ChannelItem,
    ) -> Result<Vec<AuditEntry>> {
        self.ch_history(actor, reach, item).await
    }
    async fn add_channel_attachment(
        &self,
        actor: &Actor,
        reach: ngoaivu_core::channel::Reach,
        item: ngoaivu_store::ChannelItem,
        file: NewAttachment,
    ) -> Result<AttachmentMeta> {
        self.ch_add_attachment(actor, reach, item, file).await
    }
    async fn list_channel_attachments(
        &self,
        actor: &Actor,
        reach: ngoaivu_core::channel::Reach,
        item: ngoaivu_store::ChannelItem,
    ) -> Result<Vec<AttachmentMeta>> {
        self.ch_list_attachments(actor, reach, item).await
    }
    async fn get_channel_attachment(
        &self,
        actor: &Actor,
        reach: ngoaivu_core::channel::Reach,
        item: ngoaivu_store::ChannelItem,
        id: i64,
    ) -> Result<(AttachmentMeta, Vec<u8>)> {
        self.ch_get_attachment(actor, reach, item, id).await
    }
}

/// The projection columns, in the order `bind_projection` binds them. The
/// INSERT and the UPDATE of a record both use this list, so a new column
/// cannot be written by one and forgotten by the other.
const PROJECTION: [&str; 14] = [
    "locality",
    "kind",
    "status",
    "country",
    "year",
    "date",
    "date_end",
    "amount",
    "unit",
    "title",
    "title_key",
    "search_own",
    "search_text",
    "data",
];

fn bind_projection<'q>(
    q: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments>,
    p: &Projection<'_>,
    data: &Value,
) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments> {
    let idx = p.idx;
    q.bind(idx.locality.clone())
        .bind(idx.kind.clone())
        .bind(idx.status.clone())
        .bind(idx.country.clone())
        .bind(idx.year)
        .bind(idx.date.clone())
        .bind(idx.date_end.clone())
        .bind(idx.amount.map(|a| a.to_string()))
        .bind(idx.unit.clone())
        .bind(idx.title.clone())
        .bind(vi_sort_key(&idx.title))
        .bind(ngoaivu_core::fold::fold_vi(&idx.search))
        .bind(p.search.clone())
        .bind(data.to_string())
}

async fn insert_row(
    tx: &mut Transaction<'static, Sqlite>,
    rt: RecordType,
    org_id: i64,
    data: &Value,
    p: &Projection<'_>,
    when: &str,
    who: &str,
) -> Result<i64> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO records (type, org_id, {}, created_at, created_by, updated_at, updated_by) VALUES (?, ?, {}, ?, ?, ?, ?) RETURNING id",
            PROJECTION.join(", "),
            ["?"; 14].join(", ")
        )
    });
    let q = sqlx::query(AssertSqlSafe(SQL.as_str()))
        .bind(rt.code())
        .bind(org_id);
    let row = bind_projection(q, p, data)
        .bind(when.to_owned())
        .bind(who.to_owned())
        .bind(when.to_owned())
        .bind(who.to_owned())
        .fetch_one(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(row.get(0))
}

impl SqliteBackend {
    /// A consistent copy of the live database in one file (`VACUUM INTO`),
    /// safe while the server runs.
    pub async fn backup_to(&self, dest: &str) -> Result<()> {
        if std::path::Path::new(dest).exists() {
            return Err(StoreError::Other(format!(
                "{dest} already exists; choose a new file name"
            )));
        }
        // Written under a temporary name beside the destination, checked,
        // then renamed: a backup killed half-way leaves no file that looks
        // like a database.
        let partial = format!("{dest}.partial-{}", std::process::id());
        let _ = std::fs::remove_file(&partial);
        let result = async {
            sqlx::query("VACUUM INTO ?")
                .bind(&partial)
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
            verify_database_file(&partial).await?;
            std::fs::rename(&partial, dest)
                .map_err(|e| StoreError::Other(format!("renaming the backup to {dest}: {e}")))
        }
        .await;
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        result
    }
}

/// Check that `path` is a whole ngoaivu database: SQLite's integrity check
/// passes and its schema has every migration this binary knows.
pub async fn verify_database_file(path: &str) -> Result<()> {
    let (version, known) = database_file_version(path).await?;
    if version != known {
        return Err(StoreError::Other(format!(
            "{path}: schema version {version}, this binary's is {known}"
        )));
    }
    Ok(())
}

/// Put the backup `backup` in place of the database `target` (`ngoaivu
/// restore`). The backup must pass SQLite's integrity check and be an
/// ngoaivu database no newer than this binary (an older one is migrated at
/// the next start). A database in use by a running server is refused: in
/// WAL mode every open connection holds a shared lock on the file, so an
/// exclusive transaction that cannot start means someone has it open. The
/// database that was there is not deleted but renamed beside it (its name
/// is returned), after its write-ahead log has been folded into it; the
/// copy is written under a temporary name, synced, then renamed, so an
/// interrupted restore leaves the old name free or whole.
pub async fn restore_database_file(backup: &str, target: &str) -> Result<Option<String>> {
    use sqlx::Connection;
    let (version, known) = database_file_version(backup).await?;
    if version > known {
        return Err(StoreError::Other(format!(
            "{backup}: made by a newer ngoaivu (schema version {version}, this binary's is {known}); restore it with that version"
        )));
    }
    let target_path = std::path::Path::new(target);
    let mut kept = None;
    if target_path.exists() {
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{target}"))
            .map_err(db_err)?
            .create_if_missing(false)
            .busy_timeout(Duration::ZERO);
        let mut c = sqlx::SqliteConnection::connect_with(&opts)
            .await
            .map_err(db_err)?;
        let probe = async {
            sqlx::query("PRAGMA locking_mode = EXCLUSIVE")
                .execute(&mut c)
                .await?;
            sqlx::query("BEGIN EXCLUSIVE").execute(&mut c).await?;
            sqlx::query("SELECT count(*) FROM sqlite_master")
                .execute(&mut c)
                .await?;
            sqlx::query("ROLLBACK").execute(&mut c).await?;
            sqlx::query("PRAGMA locking_mode = NORMAL")
                .execute(&mut c)
                .await?;
            Ok::<_, sqlx::Error>(())
        }
        .await;
        if probe.is_err() {
            let _ = c.close().await;
            return Err(StoreError::Other(format!(
                "{target} is in use (a running ngoaivu server?): stop the server, then restore"
            )));
        }
        // Closing the last connection folds the write-ahead log into the
        // file and removes it.
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut c)
            .await;
        c.close().await.map_err(db_err)?;
        let stamp = OffsetDateTime::now_utc().unix_timestamp();
        let aside = format!("{target}.before-restore-{stamp}");
        std::fs::rename(target, &aside)
            .map_err(|e| StoreError::Other(format!("moving {target} aside: {e}")))?;
        for suffix in ["-wal", "-shm"] {
            let side = format!("{target}{suffix}");
            if std::path::Path::new(&side).exists() {
                let _ = std::fs::rename(&side, format!("{aside}{suffix}"));
            }
        }
        kept = Some(aside);
    }
    let partial = format!("{target}.partial-{}", std::process::id());
    let copy = || -> std::io::Result<()> {
        std::fs::copy(backup, &partial)?;
        std::fs::File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, target)?;
        if let Some(dir) = target_path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                dir
            };
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    };
    if let Err(e) = copy() {
        let _ = std::fs::remove_file(&partial);
        return Err(StoreError::Other(format!(
            "copying {backup} to {target}: {e}"
        )));
    }
    Ok(kept)
}

/// The schema version of the ngoaivu database in `path` (after SQLite's
/// integrity check) and this binary's.
async fn database_file_version(path: &str) -> Result<(i64, i64)> {
    if !std::path::Path::new(path).is_file() {
        return Err(StoreError::Other(format!("{path}: no such file")));
    }
    use sqlx::Connection;
    let opts = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
        .map_err(db_err)?
        .create_if_missing(false)
        .read_only(true);
    let mut c = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .map_err(db_err)?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut c)
        .await
        .map_err(|e| StoreError::Other(format!("{path}: not a readable SQLite database ({e})")))?;
    if check != "ok" {
        return Err(StoreError::Other(format!(
            "{path}: integrity check failed: {check}"
        )));
    }
    let version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            .fetch_one(&mut c)
            .await
            .map_err(|_| StoreError::Other(format!("{path}: not an ngoaivu database")))?;
    let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
    let _ = c.close().await;
    Ok((version, known))
}

/// A `saved_tables` row (id, name, spec, created_at, created_by).
fn saved_table(r: &SqliteRow) -> SavedTable {
    SavedTable {
        id: r.get(0),
        name: r.get(1),
        spec: r.get(2),
        created_at: parse_ts(r.get::<&str, _>(3)),
        created_by: r.get(4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_its_file_without_its_query() {
        for (url, file) in [
            ("sqlite:ngoaivu.db", "ngoaivu.db"),
            (
                "sqlite:///var/lib/ngoaivu/ngoaivu.db?mode=rwc",
                "/var/lib/ngoaivu/ngoaivu.db",
            ),
            ("sqlite://data/n.db", "data/n.db"),
            ("/srv/n.db", "/srv/n.db"),
            ("sqlite::memory:", ":memory:"),
        ] {
            assert_eq!(path_of(url), file, "{url}");
        }
    }

    /// The durability asked for is the one every connection runs with
    /// (`PRAGMA synchronous`: 2 is FULL, 1 is NORMAL), writers and readers.
    #[tokio::test]
    async fn every_connection_syncs_as_asked() {
        let dir = tempfile::tempdir().unwrap();
        for (durability, want) in [(Durability::Full, 2i64), (Durability::Normal, 1)] {
            let path = dir.path().join(format!("{durability:?}.db"));
            let url = format!("sqlite:{}", path.display());
            let b = SqliteBackend::open_with(&url, durability).await.unwrap();
            for pool in [&b.write_pool, &b.pool] {
                let got: i64 = sqlx::query_scalar("PRAGMA synchronous")
                    .fetch_one(pool)
                    .await
                    .unwrap();
                assert_eq!(got, want, "{durability:?}");
            }
            b.close().await;
        }
        assert_eq!("FULL".parse::<Durability>(), Ok(Durability::Full));
        assert_eq!(" normal ".parse::<Durability>(), Ok(Durability::Normal));
        assert!("off".parse::<Durability>().is_err());
        assert_eq!(Durability::default(), Durability::Full);
    }
}
