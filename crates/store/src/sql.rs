//! The SQL both backends share. Only placeholders and full-text search
//! differ between SQLite and PostgreSQL; both are decided here so that the
//! list semantics (filters, scope, sort, paging) are written once.

use ngoaivu_core::Scope;
use ngoaivu_core::fold::search_terms;

use crate::model::{ListQuery, SortKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    I64(i64),
    Text(String),
}

/// A statement under construction: text plus its bind values in order.
#[derive(Debug, Clone)]
pub struct Sql {
    dialect: Dialect,
    pub text: String,
    pub binds: Vec<Bind>,
}

impl Sql {
    pub fn new(dialect: Dialect) -> Self {
        Sql {
            dialect,
            text: String::new(),
            binds: Vec::new(),
        }
    }
    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    pub fn bind(&mut self, b: Bind) -> &mut Self {
        self.binds.push(b);
        match self.dialect {
            Dialect::Sqlite => self.text.push('?'),
            Dialect::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.binds.len().to_string());
            }
        }
        self
    }
}

/// The full-text query for the folded words of `q`: every word must match,
/// each as a prefix. `None` when `q` has no words.
pub fn fts_query(dialect: Dialect, q: &str) -> Option<String> {
    let terms = search_terms(q);
    if terms.is_empty() {
        return None;
    }
    Some(match dialect {
        // Terms are letters and digits only, so quoting cannot break out.
        Dialect::Sqlite => terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
        Dialect::Postgres => terms
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
    })
}

/// Append `WHERE …` for a list query within `scope`. Returns false when the
/// scope sees nothing (the caller answers an empty page without asking).
pub fn push_where(sql: &mut Sql, scope: &Scope, q: &ListQuery) -> bool {
    // The type is written as a literal (it comes from a fixed enum, never
    // from input) so that PostgreSQL can use its per-type partial indexes.
    sql.push(&format!(" WHERE r.type = '{}'", q.rt.code()));
    if !push_reach(sql, scope, q.org_id) {
        return false;
    }
    if let Some(y) = q.year {
        sql.push(" AND r.year = ").bind(Bind::I64(y.into()));
    }
    if let Some(s) = &q.status {
        sql.push(" AND r.status = ").bind(Bind::Text(s.clone()));
    }
    for (col, op, v) in [
        ("r.date", ">=", &q.date_from),
        ("r.date", "<=", &q.date_to),
        ("r.date_end", ">=", &q.end_from),
        ("r.date_end", "<=", &q.end_to),
    ] {
        if let Some(v) = v {
            sql.push(&format!(" AND {col} {op} "));
            match sql.dialect {
                Dialect::Sqlite => {
                    sql.bind(Bind::Text(v.clone()));
                }
                Dialect::Postgres => {
                    sql.push("CAST(")
                        .bind(Bind::Text(v.clone()))
                        .push(" AS date)");
                }
            }
        }
    }
    if let Some(k) = &q.kind {
        sql.push(" AND r.kind = ").bind(Bind::Text(k.clone()));
    }
    if let Some(l) = &q.locality {
        sql.push(" AND r.locality = ").bind(Bind::Text(l.clone()));
    }
    if let Some(c) = &q.country {
        // The record's own country, or (`pcountry:`) that of a partner it links to.
        sql.push(" AND r.id IN (SELECT t.record_id FROM record_tags t WHERE t.tag IN (")
            .bind(Bind::Text(format!("country:{c}")))
            .push(", ")
            .bind(Bind::Text(format!("pcountry:{c}")))
            .push("))");
    }
    if let Some(v) = &q.sector {
        sql.push(" AND r.id IN (SELECT t.record_id FROM record_tags t WHERE t.tag = ")
            .bind(Bind::Text(format!("sector:{v}")))
            .push(")");
    }
    if let Some(text) = q.q.as_deref().and_then(|q| fts_query(sql.dialect, q)) {
        match sql.dialect {
            // The FROM clause (`from_clause`) drives the query from the FTS match.
            Dialect::Sqlite => {
                sql.push(&format!(" AND {} MATCH ", fts_table(q.rt)))
                    .bind(Bind::Text(sqlite_match(&text, scope, q)));
            }
            Dialect::Postgres => {
                // A literal, not a parameter: with a parameter PostgreSQL
                // plans a prepared statement once for any query text, and
                // that generic plan walked the whole type backwards by id
                // looking for matches (2 s for a word that matches nothing
                // among 180,000 observations). The text is folded terms,
                // letters and digits only, joined by `:*` and `&`; anything
                // else is dropped so quoting cannot break out.
                let safe: String = text
                    .chars()
                    .filter(|c| c.is_alphanumeric() || matches!(c, ':' | '*' | '&' | ' '))
                    .collect();
                sql.push(&format!(
                    " AND r.search_tsv @@ to_tsquery('simple', '{safe}')"
                ));
            }
        }
    }
    true
}

/// The MATCH text of a SQLite search: the folded terms, and the owner's
/// word (migration 0005), which keeps a province's search within its own
/// posting lists.
fn sqlite_match(terms: &str, scope: &Scope, q: &ListQuery) -> String {
    match (scope, q.org_id) {
        (&Scope::Org(id), _) | (_, Some(id)) => format!("{terms} \"zzo{id}\""),
        _ => terms.to_owned(),
    }
}

/// A SQLite search that its full-text index answers alone: the table and
/// the MATCH text. Each type has its own index and each indexed text holds
/// its owner's word (`org_id` never changes), so when nothing but the words
/// and the owner narrows the list and it is sorted by id, the index has the
/// whole answer: its ids in order and their count. The join to `records`
/// is then skipped, and with it a probe of `records` per match (564 probes,
/// twice, for a national search of a common place name).
fn sqlite_fts_alone(dialect: Dialect, scope: &Scope, q: &ListQuery) -> Option<(String, String)> {
    if dialect != Dialect::Sqlite || q.sort != SortKey::Id {
        return None;
    }
    let narrowed = q.year.is_some()
        || q.status.is_some()
        || q.country.is_some()
        || q.kind.is_some()
        || q.sector.is_some()
        || q.locality.is_some()
        || q.date_from.is_some()
        || q.date_to.is_some()
        || q.end_from.is_some()
        || q.end_to.is_some();
    let owner_differs = match (scope, q.org_id) {
        (Scope::Nothing, _) => return None,
        (Scope::Org(own), Some(org)) => *own != org,
        _ => false,
    };
    if narrowed || owner_differs {
        return None;
    }
    let terms = fts_query(dialect, q.q.as_deref()?)?;
    Some((fts_table(q.rt), sqlite_match(&terms, scope, q)))
}

/// The ids of one page, sorted and limited: `SELECT … ORDER BY … LIMIT …
/// OFFSET …`, to sit inside `r.id IN (…)`. False when the scope sees nothing.
fn push_page_ids(sql: &mut Sql, scope: &Scope, q: &ListQuery) -> bool {
    if let Some((table, text)) = sqlite_fts_alone(sql.dialect, scope, q) {
        let dir = if q.descending { "DESC" } else { "ASC" };
        sql.push(&format!("SELECT rowid FROM {table} WHERE {table} MATCH "))
            .bind(Bind::Text(text))
            .push(&format!(" ORDER BY rowid {dir}"));
    } else {
        let dialect = sql.dialect;
        sql.push("SELECT r.id FROM ").push(&from_clause(dialect, q));
        if !push_where(sql, scope, q) {
            return false;
        }
        sql.push(&order_by(dialect, q));
    }
    sql.push(" LIMIT ")
        .bind(Bind::I64(q.limit))
        .push(" OFFSET ")
        .bind(Bind::I64(q.offset));
    true
}

/// `FROM … WHERE …` of the whole list, for counting. False when the scope
/// sees nothing.
fn push_list_rows(sql: &mut Sql, scope: &Scope, q: &ListQuery) -> bool {
    if let Some((table, text)) = sqlite_fts_alone(sql.dialect, scope, q) {
        sql.push(&format!(" FROM {table} WHERE {table} MATCH "))
            .bind(Bind::Text(text));
        true
    } else {
        let dialect = sql.dialect;
        sql.push(" FROM ").push(&from_clause(dialect, q));
        push_where(sql, scope, q)
    }
}

/// The SQLite full-text table of a record type: one per type, so that a
/// search only meets matches of its own type.
pub fn fts_table(rt: ngoaivu_core::RecordType) -> String {
    format!("fts_{}", rt.code())
}

/// The tables a list reads. With a search on SQLite, the FTS match drives
/// the query (`CROSS JOIN` fixes the join order): the matches are few, the
/// records of a type many, and SQLite's planner would otherwise scan the type.
pub fn from_clause(dialect: Dialect, q: &ListQuery) -> String {
    let searching = q.q.as_deref().is_some_and(|t| !search_terms(t).is_empty());
    match (dialect, searching) {
        (Dialect::Sqlite, true) => {
            // `records_probe` (id, type, org_id) answers the probe of each
            // match without reading its wide row.
            let t = fts_table(q.rt);
            format!("{t} CROSS JOIN records r INDEXED BY records_probe ON r.id = {t}.rowid")
        }
        _ => "records r".into(),
    }
}

pub fn order_by(dialect: Dialect, q: &ListQuery) -> String {
    let dir = if q.descending { "DESC" } else { "ASC" };
    // A PostgreSQL search must start from its matches (the GIN index) and
    // sort them. PostgreSQL misjudges how many rows a prefix tsquery matches
    // (it guessed 1,697 for a word matching none) and would rather walk the
    // whole type in id or title order, checking each row: a second for a
    // rare word. Sorting by an expression rules that walk out, so a search
    // costs at most a sort of its matches.
    let searching =
        dialect == Dialect::Postgres && q.q.as_deref().is_some_and(|t| !search_terms(t).is_empty());
    if searching {
        match q.sort {
            SortKey::Id => return format!(" ORDER BY (r.id + 0) {dir}"),
            SortKey::Title => {
                return format!(" ORDER BY (r.title_key || '') {dir} NULLS LAST, r.id {dir}");
            }
            _ => {}
        }
    }
    let col = match q.sort {
        SortKey::Id => return format!(" ORDER BY r.id {dir}"),
        SortKey::Title => "r.title_key",
        SortKey::Date => "r.date",
        SortKey::Year => "r.year",
        SortKey::UpdatedAt => "r.updated_at",
    };
    // Records without a date or year sort last either way. PostgreSQL says
    // so with NULLS LAST, which lets it walk an index in order (a province's
    // names list by `records_type_org_title`); SQLite has no index order for
    // it, and the expression keeps its plans as they were.
    match dialect {
        Dialect::Postgres => format!(" ORDER BY {col} {dir} NULLS LAST, r.id {dir}"),
        Dialect::Sqlite => format!(" ORDER BY ({col} IS NULL), {col} {dir}, r.id {dir}"),
    }
}

/// The columns a record is read from, in the order both backends decode them.
pub fn record_columns(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            "r.id, r.type, r.org_id, o.slug, r.data, r.created_at, r.created_by, r.updated_at, r.updated_by"
        }
        Dialect::Postgres => {
            "r.id, r.type, r.org_id, o.slug, r.data::text, r.created_at, r.created_by, r.updated_at, r.updated_by"
        }
    }
}

/// `SELECT` of one page, and `SELECT COUNT(*)` of the whole list.
pub fn list_statements(dialect: Dialect, scope: &Scope, q: &ListQuery) -> Option<(Sql, Sql)> {
    // A deferred join: sort and page the ids alone, then read those rows.
    // Sorting whole rows (JSON bodies included) to keep fifty was most of
    // the cost of a national list.
    let mut page = Sql::new(dialect);
    page.push("SELECT ")
        .push(record_columns(dialect))
        .push(" FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.id IN (");
    if !push_page_ids(&mut page, scope, q) {
        return None;
    }
    page.push(")");
    page.push(&order_by(dialect, q));
    let count = count_statement(dialect, scope, q)?;
    Some((page, count))
}

/// The sort key a list orders by, as a column, for ordering inside an aggregate.
fn sort_column(q: &ListQuery) -> &'static str {
    match q.sort {
        SortKey::Id => "r.id",
        SortKey::Title => "r.title_key",
        SortKey::Date => "r.date",
        SortKey::Year => "r.year",
        SortKey::UpdatedAt => "r.updated_at",
    }
}

/// The list's total, within one statement: a page that is not full (and
/// starts at the beginning) is its own count; only otherwise is the list
/// counted, by a subquery that both databases run lazily, when the `CASE`
/// reaches it. `n` is the expression of the page's length. One statement
/// instead of two is one round trip (PostgreSQL) or one hand-over to the
/// connection's thread (SQLite) fewer for every page.
fn push_total(sql: &mut Sql, scope: &Scope, q: &ListQuery, n: &str) -> bool {
    sql.push(&format!(
        "CASE WHEN {} = 0 AND {n} < {} THEN {n} ELSE (",
        q.offset, q.limit
    ));
    if !push_count(sql, scope, q) {
        return false;
    }
    sql.push(") END");
    true
}

/// SQLite: one page as a single JSON array, written by the database, and
/// the list's total: `SELECT items_json, total`. The list API answers with
/// this text as it is: one row crosses from the connection's thread instead
/// of fifty, and no body is parsed and written again on the way. Each item
/// is the record's body merged with `id`, `org` and the change stamps,
/// exactly the fields of `Record::to_json`. (PostgreSQL: `list_rows_statement`.)
pub fn list_json_statement(scope: &Scope, q: &ListQuery) -> Option<Sql> {
    let dir = if q.descending { "DESC" } else { "ASC" };
    let key = sort_column(q);
    let mut sql = Sql::new(Dialect::Sqlite);
    sql.push(&format!(
        "SELECT '[' || COALESCE(group_concat(x.doc, ',' ORDER BY (x.k IS NULL), x.k {dir}, x.id {dir}), '') || ']', "
    ));
    if !push_total(&mut sql, scope, q, "COUNT(*)") {
        return None;
    }
    // Each item is written as text, as `push_item_json` does for
    // PostgreSQL: the stamps, then the body's members (the stored body is
    // compact JSON text, written by serde_json or SQLite's json functions).
    // Merging with json_patch and collecting with json_group_array parsed
    // every body twice: a quarter of a list's time.
    sql.push(
        " FROM (SELECT '{\"id\":' || r.id || ',\"org\":' || json_quote(o.slug) \
         || ',\"created_at\":' || json_quote(r.created_at) || ',\"created_by\":' || json_quote(r.created_by) \
         || ',\"updated_at\":' || json_quote(r.updated_at) || ',\"updated_by\":' || json_quote(r.updated_by) \
         || CASE WHEN ltrim(substr(r.data, 2)) LIKE '}%' THEN '}' ELSE ',' || substr(r.data, 2) END AS doc, ",
    );
    sql.push(&format!("{key} AS k, r.id AS id"));
    sql.push(" FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.id IN (");
    if !push_page_ids(&mut sql, scope, q) {
        return None;
    }
    sql.push(")) x");
    Some(sql)
}

/// PostgreSQL: one page's rows (`record_columns`, the body as text) with the
/// list's total as a last column, in the list's order. The caller writes the
/// JSON (`page_json`): PostgreSQL assembling it (`jsonb ||`,
/// `jsonb_build_object`, `json_agg`, `to_char`) was a third of its time on
/// a province's list.
pub fn list_rows_statement(scope: &Scope, q: &ListQuery) -> Option<Sql> {
    if q.q.as_deref().is_some_and(|t| !search_terms(t).is_empty()) {
        return search_rows_statement(scope, q);
    }
    let mut sql = Sql::new(Dialect::Postgres);
    sql.push("SELECT ")
        .push(record_columns(Dialect::Postgres))
        .push(", ");
    if !push_total(&mut sql, scope, q, "COUNT(*) OVER ()") {
        return None;
    }
    sql.push(" FROM records r JOIN orgs o ON o.id = r.org_id WHERE r.id IN (");
    if !push_page_ids(&mut sql, scope, q) {
        return None;
    }
    sql.push(")");
    sql.push(&order_by(Dialect::Postgres, q));
    Some(sql)
}

/// PostgreSQL, a search: as `list_rows_statement`, but the matches are read
/// once for the page and the total (`COUNT(*) OVER ()` before the `LIMIT`).
/// A search's matches come from the GIN index and must each be read from
/// the table to be sorted; counting them apart read them all again (548
/// table pages twice for a national search of a place name). Lists keep
/// the lazy count: their page walks an index in order and stops at fifty.
fn search_rows_statement(scope: &Scope, q: &ListQuery) -> Option<Sql> {
    let mut sql = Sql::new(Dialect::Postgres);
    sql.push("SELECT ")
        .push(record_columns(Dialect::Postgres))
        .push(", p.total FROM (SELECT r.id, ");
    match q.count_cap {
        Some(cap) => sql.push(&format!("LEAST(COUNT(*) OVER (), {cap})")),
        None => sql.push("COUNT(*) OVER ()"),
    };
    sql.push(" AS total FROM ")
        .push(&from_clause(Dialect::Postgres, q));
    if !push_where(&mut sql, scope, q) {
        return None;
    }
    sql.push(&order_by(Dialect::Postgres, q));
    sql.push(" LIMIT ")
        .bind(Bind::I64(q.limit))
        .push(" OFFSET ")
        .bind(Bind::I64(q.offset));
    sql.push(") p JOIN records r ON r.id = p.id JOIN orgs o ON o.id = r.org_id");
    sql.push(&order_by(Dialect::Postgres, q));
    Some(sql)
}

/// One record of a page as the API's JSON object, written from its parts:
/// `id`, `org`, the change stamps, then the members of `body` (a JSON object
/// as text, which never holds those names). The fields of `Record::to_json`.
#[allow(clippy::too_many_arguments)]
pub fn push_item_json(
    out: &mut String,
    id: i64,
    org: &str,
    body: &str,
    created_at: time::OffsetDateTime,
    created_by: &str,
    updated_at: time::OffsetDateTime,
    updated_by: &str,
) {
    use std::fmt::Write;
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let _ = write!(
        out,
        "{{\"id\":{id},\"org\":{},\"created_at\":\"{}\",\"created_by\":{},\"updated_at\":\"{}\",\"updated_by\":{}",
        quoted(org),
        crate::seed::ts_text(created_at),
        quoted(created_by),
        crate::seed::ts_text(updated_at),
        quoted(updated_by),
    );
    let members = body.trim().strip_prefix('{').unwrap_or("}").trim_start();
    if !members.starts_with('}') {
        out.push(',');
    }
    out.push_str(members);
}

/// `SELECT COUNT(*)` of a whole list, or with `count_cap` of at most that
/// many rows (a page says "more than 10,000" rather than count a nation).
pub fn count_statement(dialect: Dialect, scope: &Scope, q: &ListQuery) -> Option<Sql> {
    let mut count = Sql::new(dialect);
    push_count(&mut count, scope, q).then_some(count)
}

/// Append the count of `count_statement` to `sql` (alone, or as a
/// subquery: binds are numbered as they are pushed). False when the scope
/// sees nothing.
fn push_count(sql: &mut Sql, scope: &Scope, q: &ListQuery) -> bool {
    match q.count_cap {
        None => {
            sql.push("SELECT COUNT(*)");
            push_list_rows(sql, scope, q)
        }
        Some(cap) => {
            sql.push("SELECT COUNT(*) FROM (SELECT 1");
            if !push_list_rows(sql, scope, q) {
                return false;
            }
            sql.push(" LIMIT ").bind(Bind::I64(cap)).push(") capped");
            true
        }
    }
}

/// The grouped count and sum behind derived figures. Columns, in order:
/// org_id, locality, year, kind, unit, country, end_year, count, sum. The sum
/// is exact on both databases: PostgreSQL sums `numeric`; SQLite, which keeps
/// amounts as text, sums whole cents as 64-bit integers (amounts are money,
/// at most two decimals matter, and a float sum would drift in the last
/// digits of a national total).
pub fn aggregate_statement(dialect: Dialect, scope: &Scope, q: &crate::AggQuery) -> Option<Sql> {
    let mut sql = Sql::new(dialect);
    // An agreement has no country of its own: it is its partners'
    // (`pcountry:` tags), and one with partners in two countries counts once
    // for each.
    let partner_country = q.by_country && q.rt == ngoaivu_core::RecordType::Agreement;
    let country = match (q.by_country, partner_country) {
        (false, _) => "CAST(NULL AS TEXT)",
        (true, false) => "r.country",
        (true, true) => "substr(t.tag, 10)",
    };
    // `date_end` is ISO text on SQLite and a `date` on PostgreSQL.
    let end_year = match (q.by_end_year, dialect) {
        (false, _) => "CAST(NULL AS INTEGER)",
        (true, Dialect::Sqlite) => "CAST(substr(r.date_end, 1, 4) AS INTEGER)",
        (true, Dialect::Postgres) => "CAST(EXTRACT(YEAR FROM r.date_end) AS INTEGER)",
    };
    let sum = match dialect {
        Dialect::Sqlite => "SUM(CAST(ROUND(CAST(r.amount AS REAL) * 100) AS INTEGER))",
        Dialect::Postgres => "SUM(r.amount)::text",
    };
    let status = if q.by_status {
        "r.status"
    } else {
        "CAST(NULL AS TEXT)"
    };
    sql.push(&format!(
        "SELECT r.org_id, r.locality, r.year, r.kind, r.unit, {country}, {end_year}, COUNT(*), {sum}, {status} FROM records r{} WHERE r.type = '{}'",
        if partner_country {
            " JOIN record_tags t ON t.record_id = r.id AND t.tag >= 'pcountry:' AND t.tag < 'pcountry;'"
        } else {
            ""
        },
        q.rt.code()
    ));
    if !push_reach(&mut sql, scope, q.org_id) {
        return None;
    }
    push_in(&mut sql, "r.kind", &q.kinds);
    push_in(&mut sql, "r.status", &q.statuses);
    if let Some(y) = q.year_from {
        sql.push(" AND r.year >= ").bind(Bind::I64(y.into()));
    }
    if let Some(y) = q.year_to {
        sql.push(" AND r.year <= ").bind(Bind::I64(y.into()));
    }
    sql.push(" GROUP BY 1, 2, 3, 4, 5, 6, 7, 10");
    Some(sql)
}

/// The aid projects behind the transaction figures (see `FundsRow`).
/// Columns, in order: org_id, locality, kind, status, year, amount (text),
/// unit, transactions (JSON text), disbursements (JSON text).
pub fn funds_statement(dialect: Dialect, scope: &Scope, q: &crate::FundsQuery) -> Option<Sql> {
    let mut sql = Sql::new(dialect);
    sql.push(match dialect {
        Dialect::Sqlite => {
            "SELECT r.org_id, r.locality, r.kind, r.status, r.year, CAST(r.amount AS TEXT), r.unit, json_extract(r.data, '$.transactions'), json_extract(r.data, '$.disbursements') FROM records r WHERE r.type = 'project'"
        }
        Dialect::Postgres => {
            "SELECT r.org_id, r.locality, r.kind, r.status, r.year, r.amount::text, r.unit, (r.data->'transactions')::text, (r.data->'disbursements')::text FROM records r WHERE r.type = 'project'"
        }
    });
    if !push_reach(&mut sql, scope, q.org_id) {
        return None;
    }
    push_in(&mut sql, "r.kind", &q.kinds);
    Some(sql)
}

/// Restrict `sql` (past its `WHERE`) to the caller's scope and, when
/// asked, one organisation; false when the scope sees nothing (the
/// statement is then not run).
fn push_reach(sql: &mut Sql, scope: &Scope, org_id: Option<i64>) -> bool {
    match scope {
        Scope::All => {}
        Scope::Org(id) => {
            sql.push(" AND r.org_id = ").bind(Bind::I64(*id));
        }
        Scope::Nothing => return false,
    }
    if let Some(org) = org_id {
        sql.push(" AND r.org_id = ").bind(Bind::I64(org));
    }
    true
}

fn push_in(sql: &mut Sql, col: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    sql.push(&format!(" AND {col} IN ("));
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Bind::Text(v.clone()));
    }
    sql.push(")");
}

/// Reported figures, by key year, in id order: on PostgreSQL a row each (id,
/// org_id, indicator, locality, value as text, unit, period as JSON text,
/// qualifier, change_pct, source_document, note); on SQLite one row holding
/// them all as JSON (see below).
pub fn observations_statement(dialect: Dialect, scope: &Scope, q: &crate::ObsQuery) -> Option<Sql> {
    let mut sql = Sql::new(dialect);
    match dialect {
        // One row for all: a JSON array of [id, org_id, indicator, locality,
        // value, unit, [period, qualifier, change_pct, source_document,
        // note]]. sqlx hands SQLite rows over one by one between threads,
        // which cost more than reading them; one json_extract with several
        // paths parses each body once.
        Dialect::Sqlite => sql.push(
            "SELECT json_group_array(json_array(r.id, r.org_id, r.kind, r.locality, r.amount, r.unit, json_extract(r.data, '$.period', '$.qualifier', '$.change_pct', '$.source_document', '$.note')) ORDER BY r.id) FROM records r WHERE r.type = 'observation'",
        ),
        Dialect::Postgres => sql.push(
            "SELECT r.id, r.org_id, r.kind, r.locality, r.amount::text, r.unit, (r.data->'period')::text, r.data->>'qualifier', r.data->>'change_pct', r.data->>'source_document', r.data->>'note' FROM records r WHERE r.type = 'observation'",
        ),
    };
    if !push_reach(&mut sql, scope, q.org_id) {
        return None;
    }
    push_in(&mut sql, "r.kind", &q.indicators);
    if let Some(source) = &q.source {
        sql.push(" AND r.id IN (SELECT t.record_id FROM record_tags t WHERE t.tag = ")
            .bind(Bind::Text(format!("source:{source}")))
            .push(")");
    }
    if let Some(y) = q.year_from {
        sql.push(" AND r.year >= ").bind(Bind::I64(y.into()));
    }
    if let Some(y) = q.year_to {
        sql.push(" AND r.year <= ").bind(Bind::I64(y.into()));
    }
    if dialect == Dialect::Postgres {
        sql.push(" ORDER BY r.id");
    }
    Some(sql)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngoaivu_core::RecordType;

    #[test]
    fn builds_the_same_query_for_both_dialects() {
        let mut q = ListQuery::new(RecordType::Agreement);
        q.q = Some("Xiêng Khoảng".into());
        q.year = Some(2016);
        q.country = Some("LA".into());
        let (page, count) = list_statements(Dialect::Postgres, &Scope::Org(3), &q).unwrap();
        assert!(
            page.text.contains("r.type = 'agreement' AND r.org_id = $1"),
            "{}",
            page.text
        );
        assert!(
            page.text
                .contains("to_tsquery('simple', 'xieng:* & khoang:*')"),
            "{}",
            page.text
        );
        assert_eq!(count.binds.len(), 4);
        // Nothing but folded words and the operators reaches the literal.
        let mut evil = q.clone();
        evil.q = Some("x') OR 1=1; --".into());
        let (page, _) = list_statements(Dialect::Postgres, &Scope::All, &evil).unwrap();
        assert!(
            page.text
                .contains("to_tsquery('simple', 'x:* & or:* & 1:* & 1:*')"),
            "{}",
            page.text
        );
        let (page, _) = list_statements(Dialect::Sqlite, &Scope::All, &q).unwrap();
        assert!(!page.text.contains("org_id ="), "{}", page.text);
        assert!(
            page.binds
                .contains(&Bind::Text("\"xieng\"* \"khoang\"*".into())),
            "{:?}",
            page.binds
        );
        let (page, _) = list_statements(Dialect::Sqlite, &Scope::Org(3), &q).unwrap();
        assert!(
            page.binds
                .contains(&Bind::Text("\"xieng\"* \"khoang\"* \"zzo3\"".into())),
            "{:?}",
            page.binds
        );
        assert!(
            page.text
                .contains("FROM fts_agreement CROSS JOIN records r INDEXED BY records_probe"),
            "{}",
            page.text
        );
        assert!(list_statements(Dialect::Sqlite, &Scope::Nothing, &q).is_none());
    }

    #[test]
    fn query_without_words_searches_nothing() {
        assert_eq!(fts_query(Dialect::Sqlite, "  -- ''"), None);
        assert_eq!(
            fts_query(Dialect::Sqlite, "ĐÀ nẵng").as_deref(),
            Some("\"da\"* \"nang\"*")
        );
    }
}
