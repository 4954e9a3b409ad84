//! The PostgreSQL backend, for national deployments. The same semantics as
//! the SQLite backend (one conformance suite runs on both); native types
//! (timestamptz, date, numeric, jsonb) and a GIN index over a generated
//! tsvector of the folded search column. Rows are locked (`FOR UPDATE`)
//! before they are changed.
//!
//! The statements are written once, in `crates/store/backend/` (included
//! below as `shared`); `dialect.rs` holds what only PostgreSQL does.
#![forbid(unsafe_code)]

use std::str::FromStr;
use std::time::Duration;

use ngoaivu_store::Result;
use ngoaivu_store::group;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{AssertSqlSafe, ConnectOptions, Executor, PgPool};

mod dialect;
#[path = "../../store/backend/mod.rs"]
mod shared;

use dialect::{db_err, write_group};

pub struct PgBackend {
    pool: PgPool,
    describe: String,
    /// Creates go to a task of their own, which writes those that wait
    /// together in one transaction (`ngoaivu_store::group`).
    creates: group::CreateQueue,
}

/// Creates are written in groups (`ngoaivu_store::group`) by this many
/// tasks side by side, each group at most `GROUP_MAX` creates: small groups
/// written in parallel kept the slowest creates' wait shortest (measured at
/// 32 concurrent creators; see BENCHMARKS.md).
const GROUP_WRITERS: usize = 4;
const GROUP_MAX: usize = 8;

impl PgBackend {
    /// Connect to the database at `url` (`postgres://…`) and migrate it.
    pub async fn open(url: &str) -> Result<PgBackend> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(db_err)?
            .log_statements(tracing::log::LevelFilter::Trace);
        let describe = match opts.get_socket() {
            // `?host=/dir` in the URL: the server's Unix socket in that directory.
            Some(dir) => format!(
                "PostgreSQL database {} through the socket in {} (port {})",
                opts.get_database().unwrap_or("(default)"),
                dir.display(),
                opts.get_port()
            ),
            None => format!(
                "PostgreSQL database {} on {}:{}",
                opts.get_database().unwrap_or("(default)"),
                opts.get_host(),
                opts.get_port()
            ),
        };
        // About four connections a core: enough to keep the server's cores
        // busy while some wait on the network or the disk, few enough that
        // requests queue in the pool (in order) rather than as PostgreSQL
        // processes fighting over the cores. On the 2-core benchmark
        // machine 8 gave a lower p99 than 16 for lists, searches and creates
        // alike (BENCHMARKS.md); a national report's nine side-by-side
        // queries still find room.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        let pool = PgPoolOptions::new()
            .max_connections((4 * cores).clamp(8, 32))
            .min_connections(1)
            // While the server is down a request waits this long for a
            // connection, then is answered 503 with the cause; well under
            // the request timeout (30 s), which would answer without one.
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(opts)
            .await
            .map_err(db_err)?;
        let creates = {
            let pool = pool.clone();
            group::spawn_create_writer(GROUP_WRITERS, GROUP_MAX, move |creates| {
                let pool = pool.clone();
                async move { write_group(&pool, creates).await }
            })
        };
        let backend = PgBackend {
            pool,
            describe,
            creates,
        };
        backend.migrate().await?;
        Ok(backend)
    }

    /// Create a fresh database next to the one `admin_url` names and return
    /// its URL (for tests and benchmarks: each gets a database of its own).
    pub async fn create_database(admin_url: &str, name: &str) -> Result<String> {
        let opts = PgConnectOptions::from_str(admin_url).map_err(db_err)?;
        let mut conn = opts.connect().await.map_err(db_err)?;
        let safe: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        conn.execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {safe}")))
            .await
            .map_err(db_err)?;
        conn.execute(AssertSqlSafe(format!(
            "CREATE DATABASE {safe} ENCODING 'UTF8' TEMPLATE template0"
        )))
        .await
        .map_err(db_err)?;
        let base = admin_url.split('?').next().unwrap_or(admin_url);
        let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
        Ok(format!("{prefix}/{safe}"))
    }
}
