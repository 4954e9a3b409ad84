//! What only PostgreSQL does: its types, its error codes, `UNNEST` bulk
//! inserts, list pages assembled in Rust, and creates written in groups by
//! several tasks side by side. Everything else is in `crates/store/backend/`.

use std::borrow::Cow;

use ngoaivu_core::records::Index;
use ngoaivu_core::{Actor, RecordType, Scope, fold::vi_sort_key};
use ngoaivu_store::group::{self, PendingCreate};
use ngoaivu_store::seed::search_text;
use ngoaivu_store::sql::{self, Dialect};

use ngoaivu_store::{BulkRecord, ListQuery, ObsQuery, ObsRow, Org, Record, Result, StoreError};
use serde_json::Value;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{AssertSqlSafe, PgPool, Postgres, Row, Transaction};
use time::OffsetDateTime;

use crate::shared::{bind_all, insert_in, write_partner_country_tags};

pub(crate) use crate::PgBackend as DbBackend;
use crate::PgBackend;
pub(crate) type DbRow = PgRow;
pub(crate) type DbQuery<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;
/// A write transaction. Rows it changes are locked first (`FOR UPDATE`).
pub(crate) type Tx = Transaction<'static, Postgres>;
pub(crate) const DIALECT: Dialect = Dialect::Postgres;
pub(crate) const KIND: &str = "postgresql";

/// A timestamp as bound: PostgreSQL keeps `timestamptz`.
pub(crate) fn ts(t: OffsetDateTime) -> OffsetDateTime {
    t
}

pub(crate) trait RowExt {
    /// The timestamp in column `i`.
    fn ts(&self, i: usize) -> OffsetDateTime;
    /// The timestamp in column `i`, which may be NULL.
    fn ts_opt(&self, i: usize) -> Option<OffsetDateTime>;
    /// A sum of amounts (`ngoaivu_store::sql::aggregate_statement`), exact.
    fn amount_sum(&self, i: usize) -> Option<rust_decimal::Decimal>;
}

impl RowExt for PgRow {
    fn ts(&self, i: usize) -> OffsetDateTime {
        self.get(i)
    }
    fn ts_opt(&self, i: usize) -> Option<OffsetDateTime> {
        self.get(i)
    }
    fn amount_sum(&self, i: usize) -> Option<rust_decimal::Decimal> {
        // A `numeric` sum, read as text: exact.
        self.get::<Option<String>, _>(i)
            .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
    }
}

/// The shared statements are written in PostgreSQL's dialect already.
pub(crate) fn adapt(sql: &str) -> Cow<'_, str> {
    Cow::Borrowed(sql)
}

/// Lock the rows a read in a write transaction finds (alias `table`).
pub(crate) fn for_update_of(table: &str) -> String {
    format!(" FOR UPDATE OF {table}")
}

/// Counts the tables named `$1` in the connection's schema.
pub(crate) const TABLE_EXISTS: &str = "SELECT COUNT(*) FROM information_schema.tables \
     WHERE table_schema = current_schema() AND table_name = $1";

/// A database error as the service sees it. Causes an operator can act on
/// (the server gone or restarting, its disk full, a read-only standby) are
/// `Unavailable`, answered 503/507 with the cause, as on SQLite; the rest
/// stay internal.
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    use ngoaivu_store::Unavailable;
    match &e {
        // The connection broke, could not be made, or no connection came
        // free in time: the server is down or restarting.
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => return StoreError::Unavailable(Unavailable::Down),
        sqlx::Error::Database(d) => match d.code().as_deref() {
            // Class 08, connection exception; 57P01–57P03, the server
            // shutting down or not yet accepting connections.
            Some(c) if c.starts_with("08") || c.starts_with("57P") => {
                return StoreError::Unavailable(Unavailable::Down);
            }
            // disk_full
            Some("53100") => return StoreError::Unavailable(Unavailable::DiskFull),
            // read_only_sql_transaction: a standby, or default_transaction_read_only
            Some("25006") => return StoreError::Unavailable(Unavailable::ReadOnly),
            _ => {}
        },
        _ => {}
    }
    StoreError::Database(Box::new(e))
}

impl PgBackend {
    /// The connections migrations run on.
    pub(crate) fn migration_pool(&self) -> &sqlx::Pool<sqlx::Postgres> {
        &self.pool
    }

    pub(crate) async fn begin(&self) -> Result<Tx> {
        self.pool.begin().await.map_err(db_err)
    }

    pub(crate) fn db_describe(&self) -> String {
        self.describe.clone()
    }

    pub(crate) async fn db_health(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(crate) fn db_gauges(&self) -> ngoaivu_store::StoreGauges {
        ngoaivu_store::StoreGauges {
            pools: vec![("postgres", self.pool.size(), self.pool.num_idle() as u32)],
            wal_bytes: None,
        }
    }

    pub(crate) async fn db_close(&self) {
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
        group::create(&self.creates, actor, rt, org, data, idx, |creates| {
            write_group(&self.pool, creates)
        })
        .await
    }

    pub(crate) async fn db_list_records_json(
        &self,
        scope: &Scope,
        q: &ListQuery,
    ) -> Result<(String, i64)> {
        let Some(page) = sql::list_rows_statement(scope, q) else {
            return Ok(("[]".into(), 0));
        };
        let rows = bind_all(sqlx::query(AssertSqlSafe(&*page.text)), &page.binds)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut items = String::with_capacity(rows.len() * 1024 + 2);
        items.push('[');
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                items.push(',');
            }
            sql::push_item_json(
                &mut items,
                r.get(0),
                r.get::<&str, _>(3),
                r.get::<&str, _>(4),
                r.get::<OffsetDateTime, _>(5),
                r.get::<&str, _>(6),
                r.get::<OffsetDateTime, _>(7),
                r.get::<&str, _>(8),
            );
        }
        items.push(']');
        let total = match rows.first() {
            Some(r) => r.get::<i64, _>(9),
            // A page past the end: counted on its own.
            None if q.offset > 0 => {
                let count = sql::count_statement(Dialect::Postgres, scope, q)
                    .ok_or(StoreError::NotFound)?;
                let row = bind_all(sqlx::query(AssertSqlSafe(&*count.text)), &count.binds)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_err)?;
                row.get::<i64, _>(0)
            }
            None => 0,
        };
        Ok((items, total))
    }

    pub(crate) async fn db_observations(&self, scope: &Scope, q: &ObsQuery) -> Result<Vec<ObsRow>> {
        let rows = self
            .fetch_statement(sql::observations_statement(Dialect::Postgres, scope, q))
            .await?;
        Ok(rows
            .iter()
            .map(|row: &PgRow| ObsRow {
                id: row.get(0),
                org_id: row.get(1),
                indicator: row.get::<Option<String>, _>(2).unwrap_or_default(),
                locality: row.get(3),
                value: row
                    .get::<Option<String>, _>(4)
                    .and_then(|v| v.parse::<rust_decimal::Decimal>().ok()),
                unit: row.get(5),
                period: row.get(6),
                qualifier: row.get(7),
                change_pct: row.get(8),
                source_document: row.get(9),
                note: row.get(10),
            })
            .collect())
    }

    pub(crate) async fn db_analyze(&self) -> Result<()> {
        sqlx::raw_sql("VACUUM (ANALYZE)")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}

pub(crate) async fn write_tags_links(tx: &mut Tx, id: i64, idx: &Index) -> Result<()> {
    // One statement each for all the tags and all the links: a round trip
    // to the server per tag was most of a create's time on the wire.
    if !idx.tags.is_empty() {
        sqlx::query(
            "INSERT INTO record_tags (tag, record_id) SELECT t, $2 FROM UNNEST($1::text[]) AS t ON CONFLICT DO NOTHING",
        )
        .bind(idx.tags.iter().cloned().collect::<Vec<String>>())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    }
    if !idx.links.is_empty() {
        let (rels, targets): (Vec<String>, Vec<i64>) = idx
            .links
            .iter()
            .map(|(rel, target)| (rel.to_string(), *target))
            .unzip();
        sqlx::query("INSERT INTO record_links (record_id, rel, target_id) SELECT $1, l.rel, l.target FROM UNNEST($2::text[], $3::bigint[]) AS l(rel, target) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(&rels)
            .bind(&targets)
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
    }
    if !idx.links.is_empty() {
        write_partner_country_tags(tx, id).await?;
    }
    Ok(())
}

/// Write a group of creates (`ngoaivu_store::group`) in one transaction.
pub(crate) async fn write_group(pool: &PgPool, creates: Vec<PendingCreate>) {
    group::write_group(
        || async { Ok(PgCreateTx(pool.begin().await.map_err(db_err)?)) },
        creates,
    )
    .await;
}

/// The transaction a group of creates is written in.
struct PgCreateTx(Tx);

impl group::CreateTx for PgCreateTx {
    fn insert(&mut self, create: &PendingCreate) -> impl Future<Output = Result<Record>> + Send {
        insert_in(&mut self.0, create)
    }
    async fn commit(self) -> Result<()> {
        self.0.commit().await.map_err(db_err)
    }
}

/// Insert prepared records in `tx` with one statement per table: links to
/// earlier records of the batch by position are resolved first; `titles_of`
/// are the titles of existing records the batch links to (for the search
/// text). A record with a `source` (an import) gets an audit row of its
/// own, written together in one statement.
pub(crate) async fn bulk_write(
    tx: &mut Tx,
    actor: &Actor,
    batch: Vec<BulkRecord>,
    titles_of: &std::collections::HashMap<i64, String>,
) -> Result<Vec<i64>> {
    // Written in chunks, all in the caller's transaction: the arrays of a
    // 50,000-row import at once held hundreds of megabytes.
    const CHUNK: usize = 5_000;
    let n = batch.len();
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT nextval('records_id_seq') FROM generate_series(1, $1)")
            .bind(n as i64)
            .fetch_all(&mut **tx)
            .await
            .map_err(db_err)?;
    let mut titles: Vec<String> = Vec::with_capacity(n);
    let mut rest = batch.into_iter();
    let mut start = 0;
    while start < n {
        let chunk: Vec<BulkRecord> = rest.by_ref().take(CHUNK).collect();
        let len = chunk.len();
        write_chunk(tx, actor, chunk, start, &ids, &mut titles, titles_of).await?;
        start += len;
    }
    Ok(ids)
}

/// One chunk of `bulk_write`: records `start..` of the batch, whose ids
/// are `ids[start..]`; `titles` holds the titles of the records before.
async fn write_chunk(
    tx: &mut Tx,
    actor: &Actor,
    chunk: Vec<BulkRecord>,
    start: usize,
    ids: &[i64],
    titles: &mut Vec<String>,
    titles_of: &std::collections::HashMap<i64, String>,
) -> Result<()> {
    let mut sources = Vec::new();
    let mut cols = BulkColumns::default();
    let (mut tag_ids, mut tag_vals) = (Vec::new(), Vec::new());
    let (mut link_ids, mut link_rels, mut link_targets) = (Vec::new(), Vec::new(), Vec::new());
    let chunk_ids = &ids[start..start + chunk.len()];
    for (j, mut rec) in chunk.into_iter().enumerate() {
        let i = start + j;
        let id = ids[i];
        let mut linked: Vec<String> = rec
            .idx
            .links
            .iter()
            .filter_map(|(_, t)| titles_of.get(t).cloned())
            .collect();
        for (rel, pos) in &rec.batch_links {
            let target = *ids
                .get(*pos)
                .filter(|_| *pos < i)
                .ok_or_else(|| StoreError::Other(format!("bulk link to later record {pos}")))?;
            rec.idx.links.push((rel, target));
            ngoaivu_store::seed::apply_link(&mut rec.data, rel, target);
            linked.push(titles[*pos].clone());
        }
        for tag in &rec.idx.tags {
            tag_ids.push(id);
            tag_vals.push(tag.clone());
        }
        for (rel, target) in &rec.idx.links {
            link_ids.push(id);
            link_rels.push(rel.to_string());
            link_targets.push(*target);
        }
        cols.push(id, &rec, search_text(&rec.idx.search, &linked));
        titles.push(rec.idx.title.clone());
        if let Some(source) = rec.source.take() {
            sources.push((j, rec.rt, rec.org_id, rec.data, source));
        }
    }
    sqlx::query(
        "INSERT INTO records (id, type, org_id, locality, kind, status, country, year, date, date_end, amount, unit, title, title_key, \
         search_own, search_text, data, created_at, created_by, updated_at, updated_by) \
         SELECT u.id, u.type, u.org_id, u.locality, u.kind, u.status, u.country, u.year, u.date, u.date_end, u.amount, u.unit, u.title, \
         u.title_key, u.search_own, u.search_text, u.data, u.created_at, $18, u.created_at, $18 \
         FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], \
         $9::text[]::date[], $10::text[]::date[], $11::text[]::numeric[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], \
         $17::text[]::jsonb[], $19::timestamptz[]) \
         AS u(id, type, org_id, locality, kind, status, country, year, date, date_end, amount, unit, title, title_key, search_own, search_text, data, created_at)",
    )
    .bind(chunk_ids)
    .bind(&cols.types)
    .bind(&cols.orgs)
    .bind(&cols.localities)
    .bind(&cols.kinds)
    .bind(&cols.statuses)
    .bind(&cols.countries)
    .bind(&cols.years)
    .bind(&cols.dates)
    .bind(&cols.date_ends)
    .bind(&cols.amounts)
    .bind(&cols.units)
    .bind(&cols.titles)
    .bind(&cols.title_keys)
    .bind(&cols.search_owns)
    .bind(&cols.search_texts)
    .bind(&cols.datas)
    .bind(&actor.username)
    .bind(&cols.created_ats)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    sqlx::query("INSERT INTO record_tags (tag, record_id) SELECT * FROM UNNEST($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING")
        .bind(&tag_vals)
        .bind(&tag_ids)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    sqlx::query("INSERT INTO record_links (record_id, rel, target_id) SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING")
        .bind(&link_ids)
        .bind(&link_rels)
        .bind(&link_targets)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    sqlx::query(
        "INSERT INTO record_tags (tag, record_id) SELECT 'pcountry:' || t.country, l.record_id FROM record_links l \
         JOIN records t ON t.id = l.target_id WHERE l.record_id = ANY($1) AND t.country IS NOT NULL ON CONFLICT DO NOTHING",
    )
    .bind(&link_ids)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    if !sources.is_empty() {
        let slugs: std::collections::HashMap<i64, String> =
            sqlx::query_as::<_, (i64, String)>("SELECT id, slug FROM orgs")
                .fetch_all(&mut **tx)
                .await
                .map_err(db_err)?
                .into_iter()
                .collect();
        let now = OffsetDateTime::now_utc();
        let (mut orgs, mut entities, mut entity_ids, mut afters) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (j, rt, org_id, data, source) in sources {
            let at = cols.created_ats[j];
            let record = Record {
                id: chunk_ids[j],
                rt,
                org_id,
                org_slug: slugs.get(&org_id).cloned().unwrap_or_default(),
                data,
                created_at: at,
                created_by: actor.username.clone(),
                updated_at: at,
                updated_by: actor.username.clone(),
            };
            let mut after = record.to_json();
            if let Some(o) = after.as_object_mut() {
                o.insert("import".into(), source.to_json());
            }
            orgs.push(org_id);
            entities.push(rt.code().to_owned());
            entity_ids.push(chunk_ids[j]);
            afters.push(after.to_string());
        }
        sqlx::query(
            "INSERT INTO audit (at, user_id, username, org_id, entity, entity_id, action, before, after) \
             SELECT $1, $2, $3, u.org_id, u.entity, u.entity_id, 'import', NULL, u.after \
             FROM UNNEST($4::bigint[], $5::text[], $6::bigint[], $7::text[]::jsonb[]) AS u(org_id, entity, entity_id, after)",
        )
        .bind(now)
        .bind(if actor.user_id == 0 { None } else { Some(actor.user_id) })
        .bind(&actor.username)
        .bind(&orgs)
        .bind(&entities)
        .bind(&entity_ids)
        .bind(&afters)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

#[derive(Default)]
/// A bulk batch as columns, for `UNNEST`.
struct BulkColumns {
    types: Vec<String>,
    orgs: Vec<i64>,
    localities: Vec<Option<String>>,
    kinds: Vec<Option<String>>,
    statuses: Vec<Option<String>>,
    countries: Vec<Option<String>>,
    years: Vec<Option<i32>>,
    dates: Vec<Option<String>>,
    date_ends: Vec<Option<String>>,
    amounts: Vec<Option<String>>,
    units: Vec<Option<String>>,
    titles: Vec<String>,
    title_keys: Vec<String>,
    search_owns: Vec<String>,
    search_texts: Vec<String>,
    datas: Vec<String>,
    created_ats: Vec<OffsetDateTime>,
}

impl BulkColumns {
    fn push(&mut self, _id: i64, rec: &BulkRecord, search: String) {
        let idx = &rec.idx;
        self.types.push(rec.rt.code().to_owned());
        self.orgs.push(rec.org_id);
        self.localities.push(idx.locality.clone());
        self.kinds.push(idx.kind.clone());
        self.statuses.push(idx.status.clone());
        self.countries.push(idx.country.clone());
        self.years.push(idx.year);
        self.dates.push(idx.date.clone());
        self.date_ends.push(idx.date_end.clone());
        self.amounts.push(idx.amount.map(|a| a.to_string()));
        self.units.push(idx.unit.clone());
        self.titles.push(idx.title.clone());
        self.title_keys.push(vi_sort_key(&idx.title));
        self.search_owns
            .push(ngoaivu_core::fold::fold_vi(&idx.search));
        self.search_texts.push(search);
        self.datas.push(rec.data.to_string());
        self.created_ats.push(rec.created_at);
    }
}
