//! The SQL both backends run, written once and compiled twice: each of
//! `ngoaivu-store-sqlite` and `ngoaivu-store-postgres` includes this
//! directory as a module (`#[path]`) next to its own `dialect.rs`, which
//! names the database types and holds what really differs (pools and
//! transactions, bulk inserts, timestamps as text on SQLite, JSON built in
//! SQL or in Rust). This folder is not part of the `ngoaivu-store` crate.
//!
//! SQL here is written in PostgreSQL's dialect with `$N` placeholders
//! (sqlx binds `$N` by number on SQLite as well); `stmt!` hands it to the
//! backend's `dialect::adapt` once, which on SQLite drops the casts and row
//! locks SQLite has no use for (its one writer holds the whole database).

use std::sync::LazyLock;

use async_trait::async_trait;
use ngoaivu_core::records::{Index, link_field, link_target, merge_patch};
use ngoaivu_core::workdays::{DayKind, Holiday};
use ngoaivu_core::{Actor, Invalid, OrgKind, Problem, RecordType, Role, Scope, fold::vi_sort_key};
use ngoaivu_store::group::PendingCreate;
use ngoaivu_store::seed::{reference_indicators, reference_orgs, search_text};
use ngoaivu_store::sql::{self, Bind};
use ngoaivu_store::{
    AggQuery, AggRow, AttachmentMeta, AuditEntry, Backend, BulkRecord, CalendarToken, Changer,
    ConflictKind, FundsQuery, FundsRow, ImportUpdate, Indicator, LinkRef, Links, ListQuery,
    NewAttachment, NewOrg, NewSubmittedReport, NewUser, ObsQuery, ObsRow, Org, Page, Preparer,
    Record, Replacing, Result, SavedMapping, SavedTable, StoreError, SubmittedReport, User,
};
use serde_json::Value;
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;

use crate::dialect::{self, DIALECT, DbBackend, DbQuery, DbRow, RowExt as _, Tx, db_err};

/// A literal statement in PostgreSQL's dialect, adapted to this backend
/// once (on first use) and kept for the life of the process.
macro_rules! stmt {
    ($text:expr) => {{
        static ADAPTED: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| crate::dialect::adapt($text).into_owned());
        ADAPTED.as_str()
    }};
}

/// A statement built at run time (PostgreSQL's dialect), adapted to this
/// backend each time.
pub(crate) fn dynamic(sql: String) -> AssertSqlSafe<String> {
    AssertSqlSafe(match dialect::adapt(&sql) {
        std::borrow::Cow::Borrowed(_) => sql,
        std::borrow::Cow::Owned(adapted) => adapted,
    })
}

mod channel;
pub(crate) mod migrate;
mod reader_docs;

impl DbBackend {
    /// The rows of a statement built at run time (`sql::*_statement`);
    /// none when the scope sees nothing (`None`).
    pub(crate) async fn fetch_statement(&self, stmt: Option<sql::Sql>) -> Result<Vec<DbRow>> {
        let Some(stmt) = stmt else {
            return Ok(vec![]);
        };
        bind_all(sqlx::query(AssertSqlSafe(&*stmt.text)), &stmt.binds)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)
    }

    /// The audit rows of one entity (a record type's code, `calendar_token`,
    /// `request`, `market_note`), oldest first. The caller has checked
    /// that the entity is in reach.
    pub(crate) async fn audit_trail(
        &self,
        entity: &str,
        entity_id: i64,
    ) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(stmt!("SELECT id, at, username, action, before::text, after::text FROM audit WHERE entity = $1 AND entity_id = $2 ORDER BY id"))
            .bind(entity)
            .bind(entity_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                id: r.get(0),
                at: r.ts(1),
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
        let mut tx = self.begin().await?;
        let before = fetch_record_tx(&mut tx, scope, rt, id).await?;
        actor
            .may_write_org(before.org_id)
            .map_err(StoreError::Forbidden)?;
        before.check_version(expect)?;
        let org = {
            let row = sqlx::query(dynamic(format!(
                "SELECT {ORG_COLUMNS} FROM orgs WHERE id = $1"
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
}

/// The reference organisations and indicators, written with the first
/// migration.
///
/// Rows already there are left alone: servers started together on a new
/// PostgreSQL database each find it empty, and the second waits for the
/// first's rows, then writes none.
pub(crate) async fn seed(tx: &mut Tx) -> Result<()> {
    for o in reference_orgs() {
        sqlx::query(stmt!("INSERT INTO orgs (slug, kind, name, office_name, country, city, code) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (slug) DO NOTHING"))
            .bind(&o.slug)
            .bind(o.kind.as_str())
            .bind(&o.name)
            .bind(&o.office_name)
            .bind(&o.country)
            .bind(&o.city)
            .bind(&o.code)
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
    }
    for i in reference_indicators() {
        sqlx::query(stmt!("INSERT INTO indicators (code, name_vi, name_en, units, summable) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING"))
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

pub(crate) async fn insert_org(tx: &mut Tx, o: &NewOrg) -> Result<i64> {
    sqlx::query_scalar(stmt!("INSERT INTO orgs (slug, kind, name, office_name, country, city, code) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"))
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

pub(crate) const ORG_COLUMNS: &str = "id, slug, kind, name, office_name, country, city, code";

pub(crate) fn org_from_row(r: &DbRow) -> Org {
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

pub(crate) fn record_from_row(r: &DbRow) -> Result<Record> {
    let data: String = r.get(4);
    Ok(Record {
        id: r.get(0),
        rt: RecordType::from_code(r.get::<&str, _>(1))
            .ok_or_else(|| StoreError::Other("unknown record type".into()))?,
        org_id: r.get(2),
        org_slug: r.get(3),
        data: serde_json::from_str(&data).map_err(|e| StoreError::Other(e.to_string()))?,
        created_at: r.ts(5),
        created_by: r.get(6),
        updated_at: r.ts(7),
        updated_by: r.get(8),
    })
}

pub(crate) const USER_COLUMNS: &str =
    "u.id, u.username, o.slug, u.org_id, u.role, u.disabled, u.created_at, u.consular";

pub(crate) fn attachment_from_row(r: &DbRow) -> AttachmentMeta {
    AttachmentMeta {
        id: r.get(0),
        record_id: r.get(1),
        filename: r.get(2),
        content_type: r.get(3),
        size: r.get(4),
        sha256: r.get(5),
        created_at: r.ts(6),
        created_by: r.get(7),
    }
}

pub(crate) fn user_from_row(r: &DbRow) -> User {
    User {
        id: r.get(0),
        username: r.get(1),
        org: r.get(2),
        org_id: r.get(3),
        role: Role::parse(r.get::<&str, _>(4)).unwrap_or(Role::Viewer),
        disabled: r.get::<bool, _>(5),
        created_at: r.ts(6),
        consular: r.get::<bool, _>(7),
    }
}

pub(crate) fn bind_all<'q>(mut q: DbQuery<'q>, binds: &'q [Bind]) -> DbQuery<'q> {
    for b in binds {
        q = match b {
            Bind::I64(v) => q.bind(*v),
            Bind::Text(v) => q.bind(v.as_str()),
        };
    }
    q
}

pub(crate) fn scope_clause(scope: &Scope) -> Option<String> {
    match scope {
        Scope::All => Some(String::new()),
        Scope::Org(id) => Some(format!(" AND r.org_id = {id}")),
        Scope::Nothing => None,
    }
}

/// A holiday's kind as the `holidays` table writes it.
pub(crate) fn kind_code(k: &DayKind) -> &'static str {
    match k {
        DayKind::Off => "off",
        DayKind::Working => "working",
    }
}

pub(crate) fn day_kind(code: &str) -> DayKind {
    if code == "working" {
        DayKind::Working
    } else {
        DayKind::Off
    }
}

/// The record as written, with the workflow step that wrote it (`from`,
/// `to`, `note`) when there is one, for the audit row.
/// Write a record's new body and index over `before` inside `tx`, with its
/// audit row (`action`; `extra` is added to the row's `after` under its
/// key: the workflow step, or an import's source).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_change(
    tx: &mut Tx,
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
    let now = OffsetDateTime::now_utc();
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let set: Vec<String> = PROJECTION
            .iter()
            .enumerate()
            .map(|(i, (c, cast))| format!("{c} = ${}{cast}", i + 1))
            .collect();
        let n = PROJECTION.len();
        dynamic(format!(
            "UPDATE records SET {}, updated_at = ${}, updated_by = ${} WHERE id = ${}",
            set.join(", "),
            n + 1,
            n + 2,
            n + 3
        ))
        .0
    });
    bind_projection(sqlx::query(SQL.as_str()), &p, data)
        .bind(dialect::ts(now))
        .bind(actor.username.clone())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    sqlx::query(stmt!("DELETE FROM record_tags WHERE record_id = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    sqlx::query(stmt!("DELETE FROM record_links WHERE record_id = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    dialect::write_tags_links(tx, id, idx).await?;
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

/// One audit row; the arguments are the table's columns.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    org_id: Option<i64>,
    entity: &str,
    entity_id: Option<i64>,
    action: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<()> {
    sqlx::query(stmt!("INSERT INTO audit (at, user_id, username, org_id, entity, entity_id, action, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)"))
        .bind(dialect::ts(OffsetDateTime::now_utc()))
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

/// Check every link of `idx` points at a record of the right type in the
/// same organisation, and return the linked titles.
pub(crate) async fn check_links(
    tx: &mut Tx,
    org_id: i64,
    self_id: Option<i64>,
    idx: &Index,
) -> Result<Vec<String>> {
    let mut titles = Vec::new();
    let mut errs = Invalid::default();
    for (rel, target) in &idx.links {
        let row = sqlx::query(stmt!(
            "SELECT type, org_id, title FROM records WHERE id = $1"
        ))
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

/// One create within `tx`: the row, its tags and links, its audit row.
pub(crate) async fn insert_in(tx: &mut Tx, p: &PendingCreate) -> Result<Record> {
    let (actor, rt, org, idx) = (&p.actor, p.rt, &p.org, &p.idx);
    let titles = check_links(tx, org.id, None, idx).await?;
    // Microseconds: what PostgreSQL keeps, so the answer equals a later GET.
    let now = ngoaivu_store::seed::now();
    let proj = Projection {
        search: search_text(&idx.search, &titles),
        idx,
    };
    let id = insert_row(tx, rt, org.id, &p.data, &proj, now, &actor.username).await?;
    dialect::write_tags_links(tx, id, idx).await?;
    // Built from what was written, not read back (one round trip less).
    let rec = Record {
        id,
        rt,
        org_id: org.id,
        org_slug: org.slug.clone(),
        data: p.data.clone(),
        created_at: now,
        created_by: actor.username.clone(),
        updated_at: now,
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

/// Tag a record with the countries of the partners it links to
/// (`pcountry:LA`), so that `country=LA` finds an agreement with a Lao partner.
pub(crate) async fn write_partner_country_tags(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query(stmt!(
        "DELETE FROM record_tags WHERE record_id = $1 AND tag LIKE 'pcountry:%'"
    ))
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    sqlx::query(stmt!("INSERT INTO record_tags (tag, record_id) SELECT 'pcountry:' || t.country, l.record_id FROM record_links l JOIN records t ON t.id = l.target_id WHERE l.record_id = $1 AND t.country IS NOT NULL ON CONFLICT DO NOTHING")).bind(id).execute(&mut **tx).await.map_err(db_err)?;
    Ok(())
}

/// Rebuild the search text and partner-country tags of records linking to
/// `target` (its name or country changed).
pub(crate) async fn refresh_dependents(tx: &mut Tx, target: i64) -> Result<()> {
    let deps: Vec<i64> = sqlx::query_scalar(stmt!(
        "SELECT DISTINCT record_id FROM record_links WHERE target_id = $1"
    ))
    .bind(target)
    .fetch_all(&mut **tx)
    .await
    .map_err(db_err)?;
    for dep in deps {
        let own: String = sqlx::query_scalar(stmt!("SELECT search_own FROM records WHERE id = $1"))
            .bind(dep)
            .fetch_one(&mut **tx)
            .await
            .map_err(db_err)?;
        let titles: Vec<String> = sqlx::query_scalar(stmt!("SELECT t.title FROM record_links l JOIN records t ON t.id = l.target_id WHERE l.record_id = $1"))
            .bind(dep)
            .fetch_all(&mut **tx)
            .await
            .map_err(db_err)?;
        sqlx::query(stmt!("UPDATE records SET search_text = $1 WHERE id = $2"))
            .bind(search_text(&own, &titles))
            .bind(dep)
            .execute(&mut **tx)
            .await
            .map_err(db_err)?;
        write_partner_country_tags(tx, dep).await?;
    }
    Ok(())
}

pub(crate) async fn fetch_record_tx(
    tx: &mut Tx,
    scope: &Scope,
    rt: RecordType,
    id: i64,
) -> Result<Record> {
    let Some(clause) = scope_clause(scope) else {
        return Err(StoreError::NotFound);
    };
    let sql = format!(
        "SELECT {} FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.id = $1 AND r.type = $2{clause}",
        sql::record_columns(DIALECT)
    );
    let sql = format!("{sql}{}", dialect::for_update_of("r"));
    let row = sqlx::query(dynamic(sql))
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

pub(crate) struct Projection<'a> {
    pub(crate) idx: &'a Index,
    pub(crate) search: String,
}

#[async_trait]
impl Backend for DbBackend {
    fn kind(&self) -> &'static str {
        dialect::KIND
    }

    fn describe(&self) -> String {
        self.db_describe()
    }

    async fn health(&self) -> Result<()> {
        self.db_health().await
    }

    async fn schema_versions(&self) -> Result<(i64, i64)> {
        let applied: i64 = sqlx::query_scalar(stmt!(
            "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success"
        ))
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok((applied, migrate::known_version()))
    }

    fn gauges(&self) -> ngoaivu_store::StoreGauges {
        self.db_gauges()
    }

    async fn close(&self) {
        self.db_close().await;
    }

    async fn list_orgs(&self) -> Result<Vec<Org>> {
        let rows = sqlx::query(dynamic(format!(
            "SELECT {ORG_COLUMNS} FROM orgs ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(org_from_row).collect())
    }

    async fn org_by_slug(&self, slug: &str) -> Result<Option<Org>> {
        let row = sqlx::query(dynamic(format!(
            "SELECT {ORG_COLUMNS} FROM orgs WHERE slug = $1"
        )))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(org_from_row))
    }

    async fn org_by_id(&self, id: i64) -> Result<Option<Org>> {
        let row = sqlx::query(dynamic(format!(
            "SELECT {ORG_COLUMNS} FROM orgs WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(org_from_row))
    }

    async fn add_org(&self, actor: &Actor, org: NewOrg) -> Result<Org> {
        let mut tx = self.begin().await?;
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
        let mut tx = self.begin().await?;
        let before: Option<Option<String>> =
            sqlx::query_scalar(stmt!("SELECT office_name FROM orgs WHERE id = $1"))
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        let Some(before) = before else {
            return Err(StoreError::NotFound);
        };
        sqlx::query(stmt!("UPDATE orgs SET office_name = $1 WHERE id = $2"))
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
        let rows = sqlx::query(stmt!(
            "SELECT code, name_vi, name_en, units, summable FROM indicators ORDER BY code"
        ))
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
        let mut tx = self.begin().await?;
        let res = sqlx::query(stmt!("INSERT INTO indicators (code, name_vi, name_en, units, summable) VALUES ($1, $2, $3, $4, $5)"))
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
        let mut tx = self.begin().await?;
        let res = sqlx::query_scalar::<_, i64>(
            stmt!("INSERT INTO users (org_id, username, role, password_hash, disabled, created_at, consular) VALUES ($1, $2, $3, $4, FALSE, $5, $6) RETURNING id"),
        )
        .bind(user.org_id)
        .bind(&user.username)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(dialect::ts(OffsetDateTime::now_utc()))
        .bind(user.consular)
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
        let after = serde_json::json!({"username": user.username, "role": user.role.as_str(), "org_id": user.org_id, "consular": user.consular});
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
        let row = sqlx::query(dynamic(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = $1"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(user_from_row(&row))
    }

    async fn list_users(&self, org_id: Option<i64>) -> Result<Vec<User>> {
        let rows = sqlx::query(dynamic(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN orgs o ON o.id = u.org_id WHERE ($1::bigint IS NULL OR u.org_id = $2) ORDER BY o.slug, u.username"
        )))
        .bind(org_id)
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(user_from_row).collect())
    }

    async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(dynamic(format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = $1")))
            .bind(username)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| (user_from_row(&r), r.get(8))))
    }

    async fn set_password(&self, actor: &Actor, username: &str, password_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(stmt!(
            "UPDATE users SET password_hash = $1 WHERE username = $2 RETURNING id"
        ))
        .bind(password_hash)
        .bind(username)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some(id) = id else {
            return Err(StoreError::NotFound);
        };
        sqlx::query(stmt!("DELETE FROM sessions WHERE user_id = $1"))
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

    async fn add_submitted_report(
        &self,
        actor: &Actor,
        report: NewSubmittedReport,
    ) -> Result<SubmittedReport> {
        let mut tx = self.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar(stmt!(
            "SELECT id FROM submitted_reports WHERE org_id = $1 AND kind = $2 AND period = $3"
        ))
        .bind(report.org_id)
        .bind(&report.kind)
        .bind(&report.period)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        if let Some(id) = taken {
            return Err(StoreError::Conflict(ConflictKind::AlreadySubmitted(id)));
        }
        let id: i64 = sqlx::query_scalar(stmt!(
            "INSERT INTO submitted_reports (org_id, kind, period, title, submitted_at, submitted_by, docx, xlsx, pdf) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
        ))
        .bind(report.org_id)
        .bind(&report.kind)
        .bind(&report.period)
        .bind(&report.title)
        .bind(dialect::ts(OffsetDateTime::now_utc()))
        .bind(&actor.username)
        .bind(&report.docx)
        .bind(&report.xlsx)
        .bind(&report.pdf)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let after = serde_json::json!({"kind": report.kind, "period": report.period, "title": report.title,
            "bytes": {"docx": report.docx.len(), "xlsx": report.xlsx.len(), "pdf": report.pdf.len()}});
        audit(
            &mut tx,
            actor,
            Some(report.org_id),
            "submitted_report",
            Some(id),
            "submit",
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        let scope = Scope::Org(report.org_id);
        self.list_submitted_reports(&scope)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(StoreError::NotFound)
    }

    async fn list_submitted_reports(&self, scope: &Scope) -> Result<Vec<SubmittedReport>> {
        let clause = match scope {
            Scope::All => String::new(),
            Scope::Org(id) => format!(" WHERE s.org_id = {id}"),
            Scope::Nothing => return Ok(vec![]),
        };
        let rows = sqlx::query(dynamic(format!(
            "SELECT s.id, s.org_id, o.slug, s.kind, s.period, s.title, s.submitted_at, s.submitted_by FROM submitted_reports s JOIN orgs o ON o.id = s.org_id{clause} ORDER BY s.submitted_at DESC, s.id DESC"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| SubmittedReport {
                id: r.get(0),
                org_id: r.get(1),
                org: r.get(2),
                kind: r.get(3),
                period: r.get(4),
                title: r.get(5),
                submitted_at: r.ts(6),
                submitted_by: r.get(7),
            })
            .collect())
    }

    async fn submitted_report_file(
        &self,
        scope: &Scope,
        id: i64,
        format: &str,
    ) -> Result<(SubmittedReport, Vec<u8>)> {
        // The column is one of three names, never the caller's text.
        let column = match format {
            "docx" => "docx",
            "xlsx" => "xlsx",
            "pdf" => "pdf",
            _ => return Err(StoreError::NotFound),
        };
        let meta = self
            .list_submitted_reports(scope)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(StoreError::NotFound)?;
        let bytes: Option<Vec<u8>> = sqlx::query_scalar(dynamic(format!(
            "SELECT {column} FROM submitted_reports WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok((meta, bytes.ok_or(StoreError::NotFound)?))
    }

    async fn set_consular(&self, actor: &Actor, username: &str, consular: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(stmt!(
            "UPDATE users SET consular = $1 WHERE username = $2 RETURNING id"
        ))
        .bind(consular)
        .bind(username)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some(id) = id else {
            return Err(StoreError::NotFound);
        };
        let action = if consular {
            "grant_consular"
        } else {
            "revoke_consular"
        };
        audit(&mut tx, actor, None, "user", Some(id), action, None, None).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn set_disabled(&self, actor: &Actor, username: &str, disabled: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(stmt!(
            "UPDATE users SET disabled = $1 WHERE username = $2 RETURNING id"
        ))
        .bind(disabled)
        .bind(username)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some(id) = id else {
            return Err(StoreError::NotFound);
        };
        if disabled {
            sqlx::query(stmt!("DELETE FROM sessions WHERE user_id = $1"))
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
        let mut tx = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(stmt!(
            "UPDATE users SET email = $1 WHERE username = $2 RETURNING id"
        ))
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
        sqlx::query_scalar(stmt!(
            "SELECT user_id FROM digests_sent WHERE day = $1 ORDER BY user_id"
        ))
        .bind(day)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)
    }

    async fn note_digest_sent(&self, day: &str, user_id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            stmt!("INSERT INTO digests_sent (day, user_id, sent_at) VALUES ($1, $2, $3) ON CONFLICT (day, user_id) DO NOTHING"),
        )
        .bind(day)
        .bind(user_id)
        .bind(dialect::ts(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn user_emails(&self) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(stmt!(
            "SELECT id, email FROM users WHERE email IS NOT NULL AND NOT disabled ORDER BY id"
        ))
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
        sqlx::query(stmt!("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)"))
            .bind(token_hash)
            .bind(user_id)
            .bind(dialect::ts(OffsetDateTime::now_utc()))
            .bind(dialect::ts(expires_at))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        // Expired sessions are swept whenever a new one starts.
        sqlx::query(stmt!("DELETE FROM sessions WHERE expires_at < $1"))
            .bind(dialect::ts(OffsetDateTime::now_utc()))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn session_actor(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(Actor, OffsetDateTime)>> {
        let row = sqlx::query(stmt!(
            "SELECT u.id, u.username, o.id, o.slug, o.kind, u.role, s.expires_at, u.consular FROM sessions s \
             JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id \
             WHERE s.token_hash = $1 AND NOT u.disabled AND s.expires_at > $2"
        ))
        .bind(token_hash)
        .bind(dialect::ts(now))
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
                    consular: r.get::<bool, _>(7),
                },
                r.ts(6),
            )
        }))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query(stmt!("DELETE FROM sessions WHERE token_hash = $1"))
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_sessions_of(&self, user_id: i64) -> Result<()> {
        sqlx::query(stmt!("DELETE FROM sessions WHERE user_id = $1"))
            .bind(user_id)
            .execute(&self.pool)
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
        self.db_insert_record(actor, rt, org, data, idx).await
    }

    async fn get_record(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Record> {
        let Some(clause) = scope_clause(scope) else {
            return Err(StoreError::NotFound);
        };
        let sql = format!(
            "SELECT {} FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.id = $1 AND r.type = $2{clause}",
            sql::record_columns(DIALECT)
        );
        let row = sqlx::query(dynamic(sql))
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
        let rows = sqlx::query(stmt!(
            "SELECT date::text, name_vi, name_en, kind FROM holidays ORDER BY date"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(Holiday {
                    date: ngoaivu_core::values::parse_date(r.get::<&str, _>(0))?,
                    name_vi: r.get(1),
                    name_en: r.get(2),
                    kind: day_kind(&r.get::<String, _>(3)),
                })
            })
            .collect())
    }

    async fn add_holiday(&self, actor: &Actor, day: &Holiday) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(stmt!("INSERT INTO holidays (date, name_vi, name_en, kind, added_at, added_by) VALUES ($1::date, $2, $3, $4, $5, $6) ON CONFLICT (date) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, kind = excluded.kind, added_at = excluded.added_at, added_by = excluded.added_by"))
            .bind(ngoaivu_core::values::format_date(day.date))
            .bind(&day.name_vi)
            .bind(&day.name_en)
            .bind(kind_code(&day.kind))
            .bind(dialect::ts(OffsetDateTime::now_utc()))
            .bind(&actor.username)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let date = ngoaivu_core::values::format_date(day.date);
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
        let mut tx = self.begin().await?;
        let before = fetch_record_tx(&mut tx, scope, rt, id).await?;
        actor
            .may_write_org(before.org_id)
            .map_err(StoreError::Forbidden)?;
        before.check_version(expect)?;
        let users: Vec<i64> = sqlx::query_scalar(stmt!(
            "SELECT DISTINCT record_id FROM record_links WHERE target_id = $1 ORDER BY record_id"
        ))
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        if !users.is_empty() {
            return Err(StoreError::Conflict(ConflictKind::InUse(users)));
        }
        sqlx::query(stmt!("DELETE FROM records WHERE id = $1"))
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
        let Some((page, count)) = sql::list_statements(DIALECT, scope, q) else {
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
        self.db_list_records_json(scope, q).await
    }

    async fn save_table(
        &self,
        actor: &Actor,
        org_id: i64,
        name: &str,
        spec: &str,
        replacing: Replacing<'_>,
    ) -> Result<SavedTable> {
        let mut tx = self.begin().await?;
        // The table of that name now, read in the writing transaction (and
        // locked on PostgreSQL), replaced only if the caller opened this
        // version of it.
        let now = sqlx::query(stmt!("SELECT id, name, spec, created_at, created_by FROM saved_tables WHERE org_id = $1 AND name = $2 FOR UPDATE"))
            .bind(org_id)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
            .map(|r: DbRow| saved_table(&r));
        let existed = match now {
            Some(now) if !now.replaceable_by(replacing) => {
                return Err(StoreError::StaleTable(Box::new(now)));
            }
            Some(_) => true,
            None => false,
        };
        // A new name is inserted only if nobody saved it in the meantime.
        let sql = if existed {
            "INSERT INTO saved_tables (org_id, name, spec, created_at, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, name) DO UPDATE SET spec = excluded.spec, created_at = excluded.created_at, created_by = excluded.created_by RETURNING id"
        } else {
            "INSERT INTO saved_tables (org_id, name, spec, created_at, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, name) DO NOTHING RETURNING id"
        };
        let id: Option<i64> = sqlx::query_scalar(sql)
            .bind(org_id)
            .bind(name)
            .bind(spec)
            .bind(dialect::ts(OffsetDateTime::now_utc()))
            .bind(&actor.username)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        let Some(id) = id else {
            drop(tx);
            let now = self
                .list_tables(org_id)
                .await?
                .into_iter()
                .find(|t| t.name == name)
                .ok_or(StoreError::NotFound)?;
            return Err(StoreError::StaleTable(Box::new(now)));
        };
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
        let rows = sqlx::query(stmt!("SELECT id, name, spec, created_at, created_by FROM saved_tables WHERE org_id = $1 ORDER BY name"))
            .bind(org_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(saved_table).collect())
    }

    async fn delete_table(&self, actor: &Actor, org_id: i64, id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let before: Option<(String, String)> = sqlx::query_as(stmt!(
            "SELECT name, spec FROM saved_tables WHERE id = $1 AND org_id = $2"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some((name, spec)) = before else {
            return Err(StoreError::NotFound);
        };
        sqlx::query(stmt!("DELETE FROM saved_tables WHERE id = $1"))
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
        let rows = self
            .fetch_statement(sql::aggregate_statement(DIALECT, scope, q))
            .await?;
        Ok(rows
            .iter()
            .map(|row: &DbRow| AggRow {
                org_id: row.get(0),
                locality: row.get(1),
                year: row.get::<Option<i32>, _>(2),
                kind: row.get(3),
                unit: row.get(4),
                country: row.get(5),
                end_year: row.get::<Option<i32>, _>(6),
                count: row.get(7),
                sum: row.amount_sum(8).map(|d| d.normalize()),
                status: row.get(9),
            })
            .collect())
    }

    async fn funds(&self, scope: &Scope, q: &FundsQuery) -> Result<Vec<FundsRow>> {
        let rows = self
            .fetch_statement(sql::funds_statement(DIALECT, scope, q))
            .await?;
        Ok(rows
            .iter()
            .map(|row: &DbRow| FundsRow {
                org_id: row.get(0),
                locality: row.get(1),
                kind: row.get(2),
                status: row.get(3),
                year: row.get::<Option<i32>, _>(4),
                amount: row
                    .get::<Option<String>, _>(5)
                    .and_then(|t| t.parse::<rust_decimal::Decimal>().ok()),
                unit: row.get(6),
                transactions: row.get(7),
                legacy: row.get(8),
            })
            .collect())
    }

    async fn observations(&self, scope: &Scope, q: &ObsQuery) -> Result<Vec<ObsRow>> {
        self.db_observations(scope, q).await
    }

    async fn audit_reads(
        &self,
        actor: &Actor,
        rt: RecordType,
        read: &[(i64, i64)],
        via: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let how = serde_json::json!({ "via": via });
        for (org_id, id) in read {
            audit(
                &mut tx,
                actor,
                Some(*org_id),
                rt.code(),
                Some(*id),
                "read",
                None,
                Some(&how),
            )
            .await?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn history(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Vec<AuditEntry>> {
        self.get_record(scope, rt, id).await?;
        self.audit_trail(rt.code(), id).await
    }

    async fn links(&self, scope: &Scope, rt: RecordType, id: i64) -> Result<Links> {
        self.get_record(scope, rt, id).await?;
        let clause = scope_clause(scope).unwrap_or_default();
        let map = |r: &DbRow| LinkRef {
            rel: r.get(0),
            id: r.get(1),
            rt: r.get(2),
            title: r.get(3),
        };
        let outgoing = sqlx::query(dynamic(format!(
            "SELECT l.rel, r.id, r.type, r.title FROM record_links l JOIN records r ON r.id = l.target_id WHERE l.record_id = $1{clause} ORDER BY r.id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let incoming = sqlx::query(dynamic(format!(
            "SELECT l.rel, r.id, r.type, r.title FROM record_links l JOIN records r ON r.id = l.record_id WHERE l.target_id = $1{clause} ORDER BY r.id"
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

    /// Ids come from the sequence up front; records, tags and links then go
    /// in with one `UNNEST` statement each, so a batch costs a handful of
    /// round trips instead of several per record.
    async fn bulk_insert(
        &self,
        actor: &Actor,
        batch: Vec<BulkRecord>,
        note: &str,
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        let n = batch.len();
        let ids = dialect::bulk_write(&mut tx, actor, batch, &Default::default()).await?;
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
        let mut tx = self.begin().await?;
        // Links to records that exist already: of the right type, in `org`
        // (one statement for all of them).
        let wanted: Vec<(&'static str, i64)> = creates
            .iter()
            .flat_map(|c| c.idx.links.iter())
            .chain(updates.iter().flat_map(|u| u.idx.links.iter()))
            .copied()
            .collect();
        let mut targets: Vec<i64> = wanted.iter().map(|(_, t)| *t).collect();
        targets.sort_unstable();
        targets.dedup();
        let mut found: std::collections::HashMap<i64, (String, i64, String)> =
            std::collections::HashMap::new();
        // Ids are numbers, written into the statement (a list of them is
        // no parameter SQLite knows); a few hundred a statement.
        for ids in targets.chunks(500) {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            let rows = sqlx::query(dynamic(format!(
                "SELECT id, type, org_id, title FROM records WHERE id IN ({})",
                list.join(",")
            )))
            .fetch_all(&mut *tx)
            .await
            .map_err(db_err)?;
            found.extend(
                rows.iter()
                    .map(|r| (r.get::<i64, _>(0), (r.get(1), r.get(2), r.get(3)))),
            );
        }
        let mut titles = std::collections::HashMap::new();
        let mut errs = Invalid::default();
        for (rel, target) in &wanted {
            match found.get(target) {
                Some((ty, o, title)) if ty == link_target(rel).code() && *o == org.id => {
                    titles.insert(*target, title.clone());
                }
                _ => errs.push(link_field(rel), Problem::LinkNotFound { id: *target }),
            }
        }
        errs.into_result().map_err(StoreError::Invalid)?;
        let ids = dialect::bulk_write(&mut tx, actor, creates, &titles).await?;
        for mut u in updates {
            let before = fetch_record_tx(&mut tx, &Scope::Org(org.id), u.rt, u.id).await?;
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
            "SELECT {} FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.type = $1 AND r.org_id = $2{clause} ORDER BY r.id",
            sql::record_columns(DIALECT)
        );
        let rows = sqlx::query(dynamic(sql))
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
            "SELECT r.id, r.updated_at, r.data::text FROM records r WHERE r.type = $1 AND r.org_id = $2{clause} ORDER BY r.id"
        );
        let rows = sqlx::query(dynamic(sql))
            .bind(rt.code())
            .bind(org_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.ts(1), r.get(2))).collect())
    }

    async fn save_mapping(
        &self,
        actor: &Actor,
        org_id: i64,
        rt: RecordType,
        name: &str,
        spec: &str,
    ) -> Result<SavedMapping> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(stmt!("INSERT INTO import_mappings (org_id, record_type, name, spec, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, record_type, name) DO UPDATE SET spec = excluded.spec, created_at = excluded.created_at, created_by = excluded.created_by RETURNING id"))
            .bind(org_id)
            .bind(rt.code())
            .bind(name)
            .bind(spec)
            .bind(dialect::ts(OffsetDateTime::now_utc()))
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
        let rows = sqlx::query(stmt!("SELECT id, record_type, name, spec, created_at, created_by FROM import_mappings WHERE org_id = $1 AND record_type = $2 ORDER BY name"))
            .bind(org_id)
            .bind(rt.code())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r: &DbRow| SavedMapping {
                id: r.get(0),
                record_type: r.get(1),
                name: r.get(2),
                spec: r.get(3),
                created_at: r.ts(4),
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
        let mut tx = self.begin().await?;
        let parent = fetch_record_tx(&mut tx, scope, rt, record_id).await?;
        actor
            .may_write_org(parent.org_id)
            .map_err(StoreError::Forbidden)?;
        let now = ngoaivu_store::seed::now();
        let id: i64 = sqlx::query_scalar(
            stmt!("INSERT INTO attachments (record_id, filename, content_type, size, sha256, content, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"),
        )
        .bind(record_id)
        .bind(&file.filename)
        .bind(&file.content_type)
        .bind(file.bytes.len() as i64)
        .bind(&file.sha256)
        .bind(&file.bytes)
        .bind(dialect::ts(now))
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
            created_at: now,
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
        let rows = sqlx::query(stmt!("SELECT id, record_id, filename, content_type, size, sha256, created_at, created_by FROM attachments WHERE record_id = $1 ORDER BY id"))
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
            stmt!("SELECT id, record_id, filename, content_type, size, sha256, created_at, created_by, content FROM attachments WHERE id = $1 AND record_id = $2"),
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
        let mut tx = self.begin().await?;
        let parent = fetch_record_tx(&mut tx, scope, rt, record_id).await?;
        actor
            .may_write_org(parent.org_id)
            .map_err(StoreError::Forbidden)?;
        let row = sqlx::query(stmt!("DELETE FROM attachments WHERE id = $1 AND record_id = $2 RETURNING id, record_id, filename, content_type, size, sha256, created_at, created_by"))
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

    /// `VACUUM` as well: after a bulk load the visibility map is empty, and
    /// without it counts cannot be answered from the index alone.
    async fn analyze(&self) -> Result<()> {
        self.db_analyze().await
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
        sqlx::query_scalar(stmt!("SELECT COUNT(*) FROM records"))
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn calendar_token(&self, org_id: i64) -> Result<Option<CalendarToken>> {
        let row = sqlx::query(stmt!(
            "SELECT org_id, created_at, created_by FROM calendar_tokens WHERE org_id = $1"
        ))
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| CalendarToken {
            org_id: r.get(0),
            created_at: r.ts(1),
            created_by: r.get(2),
        }))
    }

    async fn set_calendar_token(
        &self,
        actor: &Actor,
        org_id: i64,
        token_hash: &str,
    ) -> Result<CalendarToken> {
        let mut tx = self.begin().await?;
        // Lock the organisation so that two rotations queue.
        let exists: Option<i64> =
            sqlx::query_scalar(stmt!("SELECT id FROM orgs WHERE id = $1 FOR UPDATE"))
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let before: Option<OffsetDateTime> = sqlx::query(stmt!(
            "SELECT created_at FROM calendar_tokens WHERE org_id = $1"
        ))
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .map(|r| r.ts(0));
        // Microseconds, as the database keeps them.
        let now = OffsetDateTime::now_utc();
        let now = now
            .replace_nanosecond(now.microsecond() * 1000)
            .unwrap_or(now);
        sqlx::query(stmt!("INSERT INTO calendar_tokens (org_id, token_hash, created_at, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, created_by = excluded.created_by"))
            .bind(org_id)
            .bind(token_hash)
            .bind(dialect::ts(now))
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
                .map(|b| serde_json::json!({"created_at": ngoaivu_store::seed::ts_text(b)}))
                .as_ref(),
            Some(&serde_json::json!({"created_at": ngoaivu_store::seed::ts_text(now)})),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(CalendarToken {
            org_id,
            created_at: now,
            created_by: actor.username.clone(),
        })
    }

    async fn calendar_org(&self, token_hash: &str) -> Result<Option<i64>> {
        sqlx::query_scalar(stmt!(
            "SELECT org_id FROM calendar_tokens WHERE token_hash = $1"
        ))
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

/// The projection columns with the casts their text parameters need, in the
/// order `bind_projection` binds them. The INSERT and the UPDATE of a record
/// both use this list, so a new column cannot be written by one and
/// forgotten by the other.
pub(crate) const PROJECTION: [(&str, &str); 14] = [
    ("locality", ""),
    ("kind", ""),
    ("status", ""),
    ("country", ""),
    ("year", ""),
    ("date", "::date"),
    ("date_end", "::date"),
    ("amount", "::numeric"),
    ("unit", ""),
    ("title", ""),
    ("title_key", ""),
    ("search_own", ""),
    ("search_text", ""),
    ("data", "::jsonb"),
];

pub(crate) fn bind_projection<'q>(q: DbQuery<'q>, p: &Projection<'_>, data: &Value) -> DbQuery<'q> {
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

pub(crate) async fn insert_row(
    tx: &mut Tx,
    rt: RecordType,
    org_id: i64,
    data: &Value,
    p: &Projection<'_>,
    when: OffsetDateTime,
    who: &str,
) -> Result<i64> {
    // $1, $2 are type and org; the projection follows from $3.
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let values: Vec<String> = PROJECTION
            .iter()
            .enumerate()
            .map(|(i, (_, cast))| format!("${}{cast}", i + 3))
            .collect();
        let n = PROJECTION.len() + 2;
        dynamic(format!(
            "INSERT INTO records (type, org_id, {}, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, {}, ${}, ${}, ${}, ${}) RETURNING id",
            PROJECTION
                .iter()
                .map(|(c, _)| *c)
                .collect::<Vec<_>>()
                .join(", "),
            values.join(", "),
            n + 1,
            n + 2,
            n + 1,
            n + 2
        ))
        .0
    });
    let q = sqlx::query(SQL.as_str()).bind(rt.code()).bind(org_id);
    let row = bind_projection(q, p, data)
        .bind(dialect::ts(when))
        .bind(who.to_owned())
        .fetch_one(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(row.get(0))
}

/// A `saved_tables` row (id, name, spec, created_at, created_by).
pub(crate) fn saved_table(r: &DbRow) -> SavedTable {
    SavedTable {
        id: r.get(0),
        name: r.get(1),
        spec: r.get(2),
        created_at: r.ts(3),
        created_by: r.get(4),
    }
}
