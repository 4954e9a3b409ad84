//! What only SQLite does: one writer connection taken in turn
//! (`BEGIN IMMEDIATE`), timestamps kept as RFC 3339 text, tags and links
//! written from a JSON array (`json_each`), list pages and observations
//! assembled as JSON inside SQLite, and the file itself watched (a database
//! deleted under the running server). Everything else is in
//! `crates/store/backend/`.

use std::borrow::Cow;

use ngoaivu_core::records::Index;
use ngoaivu_core::{Actor, RecordType, Scope};
use ngoaivu_store::group::{self, PendingCreate};
use ngoaivu_store::seed::{parse_ts, search_text, ts_text};
use ngoaivu_store::sql::{self, Dialect};
use ngoaivu_store::{BulkRecord, ListQuery, ObsQuery, ObsRow, Org, Record, Result, StoreError};
use serde_json::Value;
use sqlx::SqlSafeStr as _;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{AssertSqlSafe, Row, Sqlite, SqlitePool, Transaction};
use time::OffsetDateTime;

use crate::SqliteBackend;
use crate::shared::{Projection, bind_all, insert_in, insert_row, write_partner_country_tags};

pub(crate) use crate::SqliteBackend as DbBackend;
pub(crate) type DbRow = SqliteRow;
pub(crate) type DbQuery<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments>;
pub(crate) type Tx = WriteTx;
pub(crate) const DIALECT: Dialect = Dialect::Sqlite;
pub(crate) const KIND: &str = "sqlite";

/// A write transaction on the one writer connection, holding the writer's
/// turn until it ends (`_turn` is `None` inside a group of creates, whose
/// caller holds the turn for the whole group). Dereferences to the
/// connection, as sqlx's `Transaction` does, so statements read the same
/// on both backends.
pub(crate) struct WriteTx {
    // Declared first: dropped (rolled back) before the turn is given up.
    tx: Transaction<'static, Sqlite>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub(crate) async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// A timestamp as bound: RFC 3339 text in UTC with microseconds, which
/// sorts as time does.
pub(crate) fn ts(t: OffsetDateTime) -> String {
    ts_text(t)
}

pub(crate) trait RowExt {
    /// The timestamp in column `i`.
    fn ts(&self, i: usize) -> OffsetDateTime;
    /// The timestamp in column `i`, which may be NULL.
    fn ts_opt(&self, i: usize) -> Option<OffsetDateTime>;
    /// A sum of amounts (`ngoaivu_store::sql::aggregate_statement`), exact.
    fn amount_sum(&self, i: usize) -> Option<rust_decimal::Decimal>;
}

impl RowExt for SqliteRow {
    fn ts(&self, i: usize) -> OffsetDateTime {
        parse_ts(self.get::<&str, _>(i))
    }
    fn ts_opt(&self, i: usize) -> Option<OffsetDateTime> {
        self.get::<Option<&str>, _>(i).map(parse_ts)
    }
    fn amount_sum(&self, i: usize) -> Option<rust_decimal::Decimal> {
        // Summed in cents, as integers: exact, where a REAL sum would not be.
        self.get::<Option<i64>, _>(i)
            .map(|cents| rust_decimal::Decimal::new(cents, 2))
    }
}

/// A statement written in PostgreSQL's dialect, for SQLite: casts
/// (`$1::date`, `x::text[]`) go, since SQLite's values carry their own
/// types, and so do row locks (`FOR UPDATE [OF t]`), since the one writer
/// holds the whole database. Text in quotes is left as it is.
pub(crate) fn adapt(sql: &str) -> Cow<'_, str> {
    if !sql.contains("::") && !sql.contains("FOR UPDATE") {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        } else if !quoted && c == ':' && chars.peek() == Some(&':') {
            chars.next();
            // The type name, and `[]` when it is an array.
            while chars
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '[' || *c == ']')
            {
                chars.next();
            }
            continue;
        }
        out.push(c);
    }
    while let Some(at) = out.find(" FOR UPDATE") {
        let mut end = at + " FOR UPDATE".len();
        if out[end..].starts_with(" OF ") {
            end += " OF ".len();
            end += out[end..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(out.len() - end);
        }
        out.replace_range(at..end, "");
    }
    Cow::Owned(out)
}

/// Row locks: none (see `adapt`).
pub(crate) fn for_update_of(_table: &str) -> String {
    String::new()
}

/// Counts the tables named `$1`.
pub(crate) const TABLE_EXISTS: &str =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1";

pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e {
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
    StoreError::Database(Box::new(e))
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
pub(crate) async fn write_group(pool: &SqlitePool, creates: Vec<PendingCreate>) {
    group::write_group(
        || async {
            Ok(SqliteCreateTx(WriteTx {
                tx: begin_immediate(pool).await?,
                // The caller holds the writer's turn for the whole group.
                _turn: None,
            }))
        },
        creates,
    )
    .await;
}

/// The transaction a group of creates is written in.
struct SqliteCreateTx(Tx);

impl group::CreateTx for SqliteCreateTx {
    fn insert(&mut self, create: &PendingCreate) -> impl Future<Output = Result<Record>> + Send {
        insert_in(&mut self.0, create)
    }
    async fn commit(self) -> Result<()> {
        self.0.commit().await.map_err(db_err)
    }
}

pub(crate) async fn write_tags_links(tx: &mut Tx, id: i64, idx: &Index) -> Result<()> {
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

/// Insert prepared records in `tx`: links to earlier records of the batch
/// by position are resolved first; `titles` are the titles of existing
/// records the batch links to (for the search text). A record with a
/// `source` (an import) gets an audit row of its own.
pub(crate) async fn bulk_write(
    tx: &mut Tx,
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
        let at = parse_ts(&when);
        let p = Projection {
            search: search_text(&rec.idx.search, &linked),
            idx: &rec.idx,
        };
        let id = insert_row(tx, rec.rt, rec.org_id, &rec.data, &p, at, &actor.username).await?;
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
    tx: &mut Tx,
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

impl SqliteBackend {
    /// The connections migrations run on.
    pub(crate) fn migration_pool(&self) -> &sqlx::Pool<sqlx::Sqlite> {
        &self.write_pool
    }

    pub(crate) async fn begin(&self) -> Result<Tx> {
        self.file_present()?;
        let turn = self.writer.clone().lock_owned().await;
        let tx = begin_immediate(&self.write_pool).await?;
        Ok(WriteTx {
            tx,
            _turn: Some(turn),
        })
    }

    pub(crate) fn db_describe(&self) -> String {
        format!("SQLite file {}", self.path)
    }

    pub(crate) async fn db_health(&self) -> Result<()> {
        self.file_present()?;
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(crate) fn db_gauges(&self) -> ngoaivu_store::StoreGauges {
        let pool = |name, p: &SqlitePool| (name, p.size(), p.num_idle() as u32);
        ngoaivu_store::StoreGauges {
            pools: vec![pool("read", &self.pool), pool("write", &self.write_pool)],
            wal_bytes: std::fs::metadata(format!("{}-wal", self.path))
                .map(|m| m.len())
                .ok(),
        }
    }

    pub(crate) async fn db_close(&self) {
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

    pub(crate) async fn db_insert_record(
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

    pub(crate) async fn db_list_records_json(
        &self,
        scope: &Scope,
        q: &ListQuery,
    ) -> Result<(String, i64)> {
        let Some(page) = sql::list_json_statement(scope, q) else {
            return Ok(("[]".into(), 0));
        };
        let row = bind_all(sqlx::query(AssertSqlSafe(&*page.text)), &page.binds)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok((row.get(0), row.get(1)))
    }

    pub(crate) async fn db_observations(&self, scope: &Scope, q: &ObsQuery) -> Result<Vec<ObsRow>> {
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

    pub(crate) async fn db_analyze(&self) -> Result<()> {
        sqlx::raw_sql("ANALYZE")
            .execute(&self.write_pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::adapt;

    #[test]
    fn statements_lose_casts_and_row_locks_but_not_quoted_text() {
        for (pg, sqlite) in [
            ("SELECT 1", "SELECT 1"),
            ("VALUES ($1, $2::date, $3::jsonb)", "VALUES ($1, $2, $3)"),
            ("SELECT before::text FROM audit", "SELECT before FROM audit"),
            ("($1::bigint IS NULL OR x = $2)", "($1 IS NULL OR x = $2)"),
            ("UNNEST($7::text[]::jsonb[])", "UNNEST($7)"),
            (
                "SELECT id FROM orgs WHERE id = $1 FOR UPDATE",
                "SELECT id FROM orgs WHERE id = $1",
            ),
            (
                "SELECT x FROM r WHERE a = $1 FOR UPDATE OF r LIMIT 1",
                "SELECT x FROM r WHERE a = $1 LIMIT 1",
            ),
            ("SELECT 'a::b' || x::text", "SELECT 'a::b' || x"),
        ] {
            assert_eq!(adapt(pg), sqlite, "{pg}");
        }
    }
}
