//! The two backends' migrations give the same schema: the same tables,
//! each with the same columns, and the same indexes, read from each
//! database's own catalogue after every migration has run. Types differ by
//! design (TEXT dates on SQLite, DATE on PostgreSQL) and are not compared;
//! what each backend has for itself alone is listed below with its reason.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::Row;

/// SQLite's full-text search: one FTS5 virtual table per record type
/// (`fts_partner` …) and the shadow tables FTS5 keeps for it. PostgreSQL
/// searches the same folded words with its own index on `records`.
fn sqlite_only(table: &str) -> bool {
    table.starts_with("fts_")
}

/// PostgreSQL's side of full-text search: the folded words as a tsvector
/// column of `records`.
const POSTGRES_ONLY_COLUMNS: &[(&str, &str)] = &[("records", "search_tsv")];

/// Indexes of one backend's full-text search: SQLite's probe from an FTS5
/// match to its record's type and owner; PostgreSQL's GIN index on
/// `search_tsv`, one per record type.
fn search_index_of_one_backend(name: &str) -> bool {
    name == "records_probe" || name.starts_with("records_search_")
}

type Schema = (BTreeMap<String, BTreeSet<String>>, BTreeSet<String>);

async fn sqlite_schema() -> Schema {
    let path = std::env::temp_dir().join(format!("ngoaivu_schema_{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let backend = ngoaivu_store_sqlite::SqliteBackend::open(&path.to_string_lossy())
        .await
        .unwrap();
    drop(backend);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let mut tables = BTreeMap::new();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for t in names {
        let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
            .bind(&t)
            .fetch_all(&pool)
            .await
            .unwrap();
        tables.insert(t, cols.into_iter().collect());
    }
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let _ = std::fs::remove_file(&path);
    (tables, indexes.into_iter().collect())
}

async fn postgres_schema(admin: &str) -> Schema {
    let name = format!("ngoaivu_schema_{}", std::process::id());
    let url = ngoaivu_store_postgres::PgBackend::create_database(admin, &name)
        .await
        .unwrap();
    let backend = ngoaivu_store_postgres::PgBackend::open(&url).await.unwrap();
    drop(backend);
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in sqlx::query(
        "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    {
        tables
            .entry(row.get::<String, _>(0))
            .or_default()
            .insert(row.get::<String, _>(1));
    }
    // Primary keys' and unique constraints' own indexes are the
    // constraints SQLite declares inline (its autoindexes, left out too).
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = 'public' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    (tables, indexes.into_iter().collect())
}

#[tokio::test]
async fn both_backends_have_the_same_tables_columns_and_indexes() {
    let Some(admin) = ngoaivu_store_tests::postgres_url() else {
        return;
    };
    let (mut lite_tables, lite_indexes) = sqlite_schema().await;
    let (mut pg_tables, pg_indexes) = postgres_schema(&admin).await;
    for (t, c) in POSTGRES_ONLY_COLUMNS {
        let cols = pg_tables
            .get_mut(*t)
            .unwrap_or_else(|| panic!("no table {t}"));
        assert!(cols.remove(*c), "{t}.{c} is no longer PostgreSQL's");
    }
    assert!(
        lite_tables.keys().any(|t| sqlite_only(t)),
        "SQLite has no full-text tables"
    );
    lite_tables.retain(|t, _| !sqlite_only(t));
    let lite_names: BTreeSet<&String> = lite_tables.keys().collect();
    let pg_names: BTreeSet<&String> = pg_tables.keys().collect();
    assert_eq!(
        lite_names
            .symmetric_difference(&pg_names)
            .collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "tables of one backend only"
    );
    for (t, cols) in &lite_tables {
        let pg = &pg_tables[t];
        assert_eq!(
            cols.symmetric_difference(pg).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "columns of {t} on one backend only"
        );
    }
    assert!(lite_indexes.contains("records_probe"));
    assert!(pg_indexes.iter().any(|i| i.starts_with("records_search_")));
    let lite_indexes: BTreeSet<String> = lite_indexes
        .into_iter()
        .filter(|i| !search_index_of_one_backend(i))
        .collect();
    let pg_indexes: BTreeSet<String> = pg_indexes
        .into_iter()
        .filter(|i| !search_index_of_one_backend(i))
        .collect();
    assert!(lite_indexes.len() > 10, "{lite_indexes:?}");
    assert_eq!(
        lite_indexes
            .symmetric_difference(&pg_indexes)
            .collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "indexes of one backend only"
    );
}

/// A database on each backend, made by this binary, with a raw
/// connection to change it behind ngoaivu's back, and a way to open it
/// again as a server would.
enum Db {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Db {
    async fn fresh_both(tag: &str) -> Vec<Db> {
        let path =
            std::env::temp_dir().join(format!("ngoaivu_mig_{tag}_{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut dbs = vec![Db::Sqlite(path)];
        if let Some(admin) = ngoaivu_store_tests::postgres_url() {
            let url = ngoaivu_store_postgres::PgBackend::create_database(
                &admin,
                &format!("ngoaivu_mig_{tag}_{}", std::process::id()),
            )
            .await
            .unwrap();
            dbs.push(Db::Postgres(url));
        }
        for db in &dbs {
            db.open().await.unwrap();
        }
        dbs
    }

    /// Open (and so migrate) the database; the error's text when refused.
    async fn open(&self) -> Result<(), String> {
        use ngoaivu_store::Backend as _;
        match self {
            Db::Sqlite(p) => {
                match ngoaivu_store_sqlite::SqliteBackend::open(&p.to_string_lossy()).await {
                    Ok(b) => {
                        b.close().await;
                        Ok(())
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Db::Postgres(u) => match ngoaivu_store_postgres::PgBackend::open(u).await {
                Ok(b) => {
                    b.close().await;
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            },
        }
    }

    /// Run `sql` (statements without parameters) on a connection of its own.
    async fn exec(&self, sql: &str) {
        use sqlx::{Connection, Executor};
        match self {
            Db::Sqlite(p) => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", p.display()))
                    .await
                    .unwrap();
                c.execute(sqlx::AssertSqlSafe(sql.to_owned()))
                    .await
                    .unwrap();
                c.close().await.unwrap();
            }
            Db::Postgres(u) => {
                let mut c = sqlx::PgConnection::connect(u).await.unwrap();
                c.execute(sqlx::AssertSqlSafe(sql.to_owned()))
                    .await
                    .unwrap();
                c.close().await.unwrap();
            }
        }
    }

    async fn count(&self, sql: &str) -> i64 {
        use sqlx::Connection;
        match self {
            Db::Sqlite(p) => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", p.display()))
                    .await
                    .unwrap();
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                    .fetch_one(&mut c)
                    .await
                    .unwrap()
            }
            Db::Postgres(u) => {
                let mut c = sqlx::PgConnection::connect(u).await.unwrap();
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                    .fetch_one(&mut c)
                    .await
                    .unwrap()
            }
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgresql",
        }
    }
}

/// A migration edited after it was applied is refused at start, naming it;
/// so is a database whose schema is newer than the binary's.
#[tokio::test]
async fn an_edited_migration_or_a_newer_database_is_refused_at_start() {
    for db in Db::fresh_both("edited").await {
        db.exec(match db {
            Db::Sqlite(_) => "UPDATE _sqlx_migrations SET checksum = X'00' WHERE version = 3",
            Db::Postgres(_) => "UPDATE _sqlx_migrations SET checksum = '\\x00' WHERE version = 3",
        })
        .await;
        let err = db.open().await.expect_err(db.name());
        assert!(
            err.contains("migration 3") && err.contains("never be edited"),
            "{}: {err}",
            db.name()
        );
    }
    for db in Db::fresh_both("newer").await {
        db.exec(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             SELECT 9999, 'from the future', TRUE, checksum, 0 FROM _sqlx_migrations WHERE version = 1",
        )
        .await;
        let err = db.open().await.expect_err(db.name());
        assert!(
            err.contains("schema is version 9999") && err.contains("newer ngoaivu"),
            "{}: {err}",
            db.name()
        );
    }
}

/// A database migrated before sqlx's migrator (versions in
/// `schema_migrations`) opens: its versions are adopted, nothing is applied
/// or seeded twice, and the old table is gone.
#[tokio::test]
async fn a_database_from_before_the_migrator_is_adopted() {
    for db in Db::fresh_both("adopt").await {
        let orgs = db.count("SELECT COUNT(*) FROM orgs").await;
        let versions = db.count("SELECT COUNT(*) FROM _sqlx_migrations").await;
        assert!(versions >= 16, "{}", db.name());
        db.exec(
            "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); \
             INSERT INTO schema_migrations SELECT version, description, '2026-01-01T00:00:00Z' FROM _sqlx_migrations; \
             DROP TABLE _sqlx_migrations",
        )
        .await;
        db.open()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.name()));
        assert_eq!(
            db.count("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .await,
            versions
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM orgs").await,
            orgs,
            "{}",
            db.name()
        );
        let old = match db {
            Db::Sqlite(_) => "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'",
            Db::Postgres(_) => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
            }
        };
        assert_eq!(db.count(old).await, 0, "{}", db.name());
        // And it opens again as any other.
        db.open().await.unwrap();
    }
}

/// Servers started together on one new PostgreSQL database migrate it once
/// (the migrator's advisory lock) and seed it once.
#[tokio::test]
async fn servers_started_together_on_postgresql_migrate_once() {
    let Some(admin) = ngoaivu_store_tests::postgres_url() else {
        return;
    };
    let url = ngoaivu_store_postgres::PgBackend::create_database(
        &admin,
        &format!("ngoaivu_mig_together_{}", std::process::id()),
    )
    .await
    .unwrap();
    let db = Db::Postgres(url);
    let opened = tokio::join!(db.open(), db.open(), db.open(), db.open());
    for r in [opened.0, opened.1, opened.2, opened.3] {
        r.unwrap();
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM orgs").await,
        db.count("SELECT COUNT(DISTINCT slug) FROM orgs").await
    );
    assert!(db.count("SELECT COUNT(*) FROM orgs").await > 30);
}
