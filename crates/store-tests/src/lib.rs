//! Helpers for running one test body on both backends.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use ngoaivu_core::{Actor, Role};
use ngoaivu_store::{Backend, NewUser};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh SQLite database in a temporary file.
pub async fn sqlite() -> Arc<dyn Backend> {
    let path = std::env::temp_dir().join(format!("{}.db", unique("ngoaivu_conf")));
    let _ = std::fs::remove_file(&path);
    Arc::new(
        ngoaivu_store_sqlite::SqliteBackend::open(&path.to_string_lossy())
            .await
            .expect("open sqlite"),
    )
}

/// A fresh PostgreSQL database on the server `NGOAIVU_TEST_PG_URL` names.
/// Without it the test fails: the suite must run on both backends.
pub async fn postgres() -> Arc<dyn Backend> {
    let admin = std::env::var("NGOAIVU_TEST_PG_URL")
        .expect("NGOAIVU_TEST_PG_URL is not set: run the tests with scripts/test, which starts a PostgreSQL server");
    let url = ngoaivu_store_postgres::PgBackend::create_database(&admin, &unique("ngoaivu_conf"))
        .await
        .expect("create database");
    Arc::new(
        ngoaivu_store_postgres::PgBackend::open(&url)
            .await
            .expect("open postgres"),
    )
}

/// Both backends, fresh.
pub async fn both() -> Vec<Arc<dyn Backend>> {
    vec![sqlite().await, postgres().await]
}

/// A user of `org` with `role`, added to `b`, as the actor the Service sees.
pub async fn actor(b: &Arc<dyn Backend>, org: &str, role: Role, name: &str) -> Actor {
    let o = b.org_by_slug(org).await.unwrap().unwrap();
    let u = b
        .add_user(
            &Actor::system(),
            NewUser {
                org_id: o.id,
                username: name.into(),
                role,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    Actor {
        user_id: u.id,
        username: u.username,
        org_id: o.id,
        org_slug: o.slug,
        org_kind: o.kind,
        role,
    }
}
