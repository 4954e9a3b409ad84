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

/// The PostgreSQL server the tests use (an admin URL), from
/// `NGOAIVU_TEST_PG_URL`. Without it a plain `cargo test` skips the
/// PostgreSQL half of a test and says so on stderr; `scripts/test` (and so
/// CI) starts a server, sets the URL and also sets `NGOAIVU_REQUIRE_PG=1`,
/// under which a missing URL fails the test instead: CI never runs on one
/// database without saying so loudly.
pub fn postgres_url() -> Option<String> {
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_owned();
    match std::env::var("NGOAIVU_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("NGOAIVU_REQUIRE_PG").is_ok_and(|v| v == "1") => panic!(
            "NGOAIVU_TEST_PG_URL is not set, and NGOAIVU_REQUIRE_PG=1 requires the PostgreSQL half of `{test}`"
        ),
        _ => {
            // Once a test binary, and past libtest's capture of `eprintln!`
            // (which would hide it whenever the test passes).
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED: the PostgreSQL half of this binary's database tests (first: `{test}`): \
                     NGOAIVU_TEST_PG_URL is not set; scripts/test starts a throwaway PostgreSQL and sets it"
                );
            });
            None
        }
    }
}

/// A fresh PostgreSQL database on the server `NGOAIVU_TEST_PG_URL` names.
pub async fn postgres() -> Arc<dyn Backend> {
    let admin = postgres_url().expect("NGOAIVU_TEST_PG_URL is not set");
    let url = ngoaivu_store_postgres::PgBackend::create_database(&admin, &unique("ngoaivu_conf"))
        .await
        .expect("create database");
    Arc::new(
        ngoaivu_store_postgres::PgBackend::open(&url)
            .await
            .expect("open postgres"),
    )
}

/// Both backends, fresh (SQLite alone, with a message, when no PostgreSQL
/// server is given: see `postgres_url`).
pub async fn both() -> Vec<Arc<dyn Backend>> {
    let mut backends = vec![sqlite().await];
    if postgres_url().is_some() {
        backends.push(postgres().await);
    }
    backends
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
                consular: false,
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
        consular: false,
    }
}
