//! The embedded SQLite backend: one file, created and migrated on first
//! start. WAL mode, foreign keys on, writes in `BEGIN IMMEDIATE`
//! transactions so that concurrent writers queue instead of failing.
//!
//! The statements are written once, in `crates/store/backend/` (included
//! below as `shared`); `dialect.rs` holds what only SQLite does.
#![forbid(unsafe_code)]

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use ngoaivu_store::group;
use ngoaivu_store::{Result, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, SqlitePool};
use time::OffsetDateTime;

mod dialect;
#[path = "../../store/backend/mod.rs"]
mod shared;

use dialect::{db_err, write_group};

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
    pub(crate) fn file_present(&self) -> Result<()> {
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
    // Versions are in sqlx's table; a database made before the migrator
    // (an old backup) keeps them in `schema_migrations`.
    let mut version = None;
    for table in ["_sqlx_migrations WHERE success", "schema_migrations"] {
        if let Ok(v) = sqlx::query_scalar::<_, i64>(AssertSqlSafe(format!(
            "SELECT COALESCE(MAX(version), 0) FROM {table}"
        )))
        .fetch_one(&mut c)
        .await
        {
            version = Some(v);
            break;
        }
    }
    let version =
        version.ok_or_else(|| StoreError::Other(format!("{path}: not an ngoaivu database")))?;
    let known = shared::migrate::known_version();
    let _ = c.close().await;
    Ok((version, known))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngoaivu_store::Backend as _;

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
