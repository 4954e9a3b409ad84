//! The harness: an app per backend, requests through `oneshot`, users made
//! directly through the backend, sign-in through the API.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request};
use http_body_util::BodyExt;
use ngoaivu_core::{Actor, Role};
use ngoaivu_http::{AppState, HttpConfig};
use ngoaivu_store::{Backend, NewUser, Service, User};
use ngoaivu_store_postgres::PgBackend;
use ngoaivu_store_sqlite::SqliteBackend;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The password of every test user.
pub(crate) const PASSWORD: &str = "mat-khau-thu-nghiem-2025";

pub(crate) const PG_ENV: &str = "NGOAIVU_TEST_PG_URL";

/// argon2 is slow: hash the one password once per process.
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        ngoaivu_http::auth::hash_password(PASSWORD).expect("hash the test password")
    })
}

fn unique_suffix() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        nanos % 100_000
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Db::Sqlite => "sqlite",
            Db::Postgres => "postgresql",
        }
    }
}

/// One response, body read.
#[derive(Debug, Clone)]
pub(crate) struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body as JSON (`Null` when empty or not JSON).
    pub json: Value,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Resp {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// `error` of an error body.
    pub(crate) fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }
    pub(crate) fn message(&self) -> &str {
        self.json["message"].as_str().unwrap_or("")
    }
    /// `(field, code)` of every entry of `fields`.
    pub(crate) fn fields(&self) -> Vec<(String, String)> {
        self.json["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        (
                            f["field"].as_str().unwrap_or("").to_owned(),
                            f["code"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    /// The message and every field message, for language checks.
    pub(crate) fn all_messages(&self) -> String {
        let mut s = self.message().to_owned();
        for f in self.json["fields"].as_array().into_iter().flatten() {
            s.push('\n');
            s.push_str(f["message"].as_str().unwrap_or(""));
        }
        s
    }
    pub(crate) fn id(&self) -> i64 {
        self.json["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {} {}", self.status, self.json))
    }
    pub(crate) fn items(&self) -> Vec<Value> {
        self.json["items"].as_array().cloned().unwrap_or_default()
    }
    pub(crate) fn total(&self) -> i64 {
        self.json["total"].as_i64().unwrap_or(-1)
    }
    /// Panic with the body unless the status is `want`.
    #[track_caller]
    pub(crate) fn expect(&self, want: u16, what: &str) -> &Self {
        assert_eq!(
            self.status, want,
            "{what}: expected {want}, got {} {}",
            self.status, self.json
        );
        self
    }
}

pub(crate) struct TestApp {
    pub db: Db,
    pub router: Router,
    pub backend: Arc<dyn Backend>,
    sqlite_file: Option<PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(p) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let mut s = p.clone().into_os_string();
                s.push(suffix);
                let _ = std::fs::remove_file(s);
            }
        }
    }
}

fn app_from(db: Db, backend: Arc<dyn Backend>, sqlite_file: Option<PathBuf>) -> TestApp {
    let state =
        AppState::new(Service::new(backend.clone()), HttpConfig::default()).expect("app state");
    TestApp {
        db,
        router: ngoaivu_http::router(state),
        backend,
        sqlite_file,
    }
}

impl TestApp {
    /// A fresh SQLite file under the temporary directory.
    pub(crate) async fn sqlite(test: &str) -> TestApp {
        let path = std::env::temp_dir().join(format!("ngoaivu_it_{test}_{}.db", unique_suffix()));
        let backend = SqliteBackend::open(&format!("sqlite:{}", path.display()))
            .await
            .expect("open SQLite");
        app_from(Db::Sqlite, Arc::new(backend), Some(path))
    }

    /// A fresh database on the server of `NGOAIVU_TEST_PG_URL`; fails when it is unset.
    pub(crate) async fn postgres(test: &str) -> TestApp {
        let admin = match std::env::var(PG_ENV) {
            Ok(u) if !u.trim().is_empty() => u,
            _ => panic!(
                "{PG_ENV} is not set: the PostgreSQL half of `{test}` cannot run. \
                 Set NGOAIVU_TEST_PG_URL or run scripts/test (it starts a throwaway server)."
            ),
        };
        let name = format!("ngoaivu_it_{test}_{}", unique_suffix()).to_lowercase();
        let url = PgBackend::create_database(&admin, &name)
            .await
            .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        let backend = PgBackend::open(&url)
            .await
            .unwrap_or_else(|e| panic!("open {name}: {e}"));
        app_from(Db::Postgres, Arc::new(backend), None)
    }

    pub(crate) async fn open(db: Db, test: &str) -> TestApp {
        match db {
            Db::Sqlite => Self::sqlite(test).await,
            Db::Postgres => Self::postgres(test).await,
        }
    }

    /// Send one request; every response must carry `x-request-id`.
    pub(crate) async fn send(&self, req: Request<Body>) -> Resp {
        let what = format!("{} {}", req.method(), req.uri());
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .expect("read body")
            .to_bytes()
            .to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert!(
            headers.get("x-request-id").is_some_and(|v| !v.is_empty()),
            "[{}] {what}: response {status} has no x-request-id header",
            self.db.name()
        );
        Resp {
            status,
            headers,
            json,
            body: bytes,
        }
    }

    /// A request with raw body bytes and extra headers.
    pub(crate) async fn raw(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let body = match body {
            Some(bytes) => Body::from(bytes),
            None => Body::empty(),
        };
        self.send(b.body(body).expect("request")).await
    }

    /// A request with an optional JSON body.
    pub(crate) async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        match body {
            Some(v) => {
                self.raw(
                    method,
                    uri,
                    token,
                    &[("content-type", "application/json")],
                    Some(v.to_string().into_bytes()),
                )
                .await
            }
            None => self.raw(method, uri, token, &[], None).await,
        }
    }

    pub(crate) async fn get(&self, uri: &str, token: Option<&str>) -> Resp {
        self.call("GET", uri, token, None).await
    }
    pub(crate) async fn post(&self, uri: &str, token: Option<&str>, body: &Value) -> Resp {
        self.call("POST", uri, token, Some(body)).await
    }
    pub(crate) async fn patch(&self, uri: &str, token: Option<&str>, body: &Value) -> Resp {
        self.call("PATCH", uri, token, Some(body)).await
    }
    pub(crate) async fn delete(&self, uri: &str, token: Option<&str>) -> Resp {
        self.call("DELETE", uri, token, None).await
    }

    pub(crate) async fn org_id(&self, slug: &str) -> i64 {
        self.backend
            .org_by_slug(slug)
            .await
            .expect("org_by_slug")
            .unwrap_or_else(|| panic!("no organisation {slug}"))
            .id
    }

    /// Create a user directly through the backend (password [`PASSWORD`]).
    pub(crate) async fn add_user(&self, org_slug: &str, username: &str, role: Role) -> User {
        let org_id = self.org_id(org_slug).await;
        self.backend
            .add_user(
                &Actor::system(),
                NewUser {
                    org_id,
                    username: username.into(),
                    role,
                    password_hash: password_hash().into(),
                    consular: false,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("add user {username}: {e}"))
    }

    /// Sign in through `POST /api/v1/sessions`; the bearer token.
    pub(crate) async fn login(&self, username: &str, password: &str) -> String {
        let r = self
            .post(
                "/api/v1/sessions",
                None,
                &json!({"username": username, "password": password}),
            )
            .await;
        r.expect(201, &format!("[{}] sign in as {username}", self.db.name()));
        r.json["token"].as_str().expect("token").to_owned()
    }

    /// A user of `org_slug` with `role`, signed in: (user, token).
    pub(crate) async fn user(&self, org_slug: &str, username: &str, role: Role) -> (User, String) {
        let u = self.add_user(org_slug, username, role).await;
        let t = self.login(username, PASSWORD).await;
        (u, t)
    }

    /// A second session for a user, made directly (no argon2): for tests
    /// that end sessions.
    pub(crate) async fn extra_session(&self, user_id: i64) -> String {
        let token = ngoaivu_http::auth::new_token().expect("token");
        let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        self.backend
            .create_session(&ngoaivu_http::auth::token_hash(&token), user_id, expires)
            .await
            .expect("create session");
        token
    }
}

/// `application/x-www-form-urlencoded` of query pairs.
pub(crate) fn query(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).expect("encode query")
}

/// Run `body` against SQLite and then PostgreSQL (each in a task of its
/// own, so that one failing does not hide the other), then fail if either
/// did. Without `NGOAIVU_TEST_PG_URL` the PostgreSQL half is skipped with
/// a message (`ngoaivu_store_tests::postgres_url`), unless
/// `NGOAIVU_REQUIRE_PG=1` (scripts/test) makes it fail.
pub(crate) async fn on_both_backends<F, Fut>(test: &'static str, body: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut failed = Vec::new();
    for db in [Db::Sqlite, Db::Postgres] {
        if db == Db::Postgres && ngoaivu_store_tests::postgres_url().is_none() {
            continue;
        }
        let app_or_panic = tokio::spawn(async move { TestApp::open(db, test).await }).await;
        let app = match app_or_panic {
            Ok(app) => app,
            Err(e) => {
                failed.push(format!("{}: setup failed: {}", db.name(), panic_text(e)));
                continue;
            }
        };
        let started = std::time::Instant::now();
        match tokio::spawn(body(app)).await {
            Ok(()) => eprintln!(
                "{test} [{}]: passed in {:.1?}",
                db.name(),
                started.elapsed()
            ),
            Err(e) => failed.push(format!("{}: {}", db.name(), panic_text(e))),
        }
    }
    if !failed.is_empty() {
        panic!(
            "{test} failed on {} backend(s):\n{}",
            failed.len(),
            failed.join("\n")
        );
    }
}

fn panic_text(e: tokio::task::JoinError) -> String {
    match e.try_into_panic() {
        Ok(p) => p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into()),
        Err(e) => e.to_string(),
    }
}
