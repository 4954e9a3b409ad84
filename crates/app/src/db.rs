//! Opening the database a URL names: `postgres://…` (or `postgresql://…`)
//! is PostgreSQL; `sqlite:PATH` or a plain path is an SQLite file.

use std::sync::Arc;

use anyhow::Context;
use ngoaivu_store::Backend;

pub(crate) fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// SQLite's durability for every database this process opens: set once
/// from the settings (`sqlite_synchronous`) before any is opened.
static SQLITE_DURABILITY: std::sync::OnceLock<ngoaivu_store_sqlite::Durability> =
    std::sync::OnceLock::new();

pub(crate) fn set_sqlite_durability(d: ngoaivu_store_sqlite::Durability) {
    let _ = SQLITE_DURABILITY.set(d);
}

pub(crate) fn sqlite_durability() -> ngoaivu_store_sqlite::Durability {
    SQLITE_DURABILITY.get().copied().unwrap_or_default()
}

pub(crate) async fn open(url: &str) -> anyhow::Result<Arc<dyn Backend>> {
    if is_postgres(url) {
        let b = ngoaivu_store_postgres::PgBackend::open(url)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot open the PostgreSQL database {}", redact(url)))?;
        Ok(Arc::new(b))
    } else {
        let b = ngoaivu_store_sqlite::SqliteBackend::open_with(url, sqlite_durability())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot open the SQLite database {url}"))?;
        Ok(Arc::new(b))
    }
}

/// A URL without its password, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!(
                "{}{}@{}",
                &url[..s + 3],
                if creds.contains(':') {
                    format!("{user}:***")
                } else {
                    user.to_owned()
                },
                &url[at + 1..]
            )
        }
        _ => url.to_owned(),
    }
}
