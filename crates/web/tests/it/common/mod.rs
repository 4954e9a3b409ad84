//! The harness both page tests use: the app behind the same router as
//! `ngoaivu serve`, on a fresh SQLite file, with users and form sign-in.
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ngoaivu_core::{Actor, Role};
use ngoaivu_http::{AppState, HttpConfig, auth};
use ngoaivu_store::{Backend, NewUser, Service};
use ngoaivu_store_sqlite::SqliteBackend;
use tower::ServiceExt;

pub(crate) const PASSWORD: &str = "mật khẩu đủ dài 123";

pub(crate) struct App {
    pub router: Router,
    pub service: Service,
    /// The database below the service, for a test that sets up a state no
    /// page or service call would write (a record dated long ago).
    pub backend: Arc<dyn Backend>,
    pub _dir: tempfile::TempDir,
}

pub(crate) struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl App {
    pub(crate) async fn new() -> App {
        App::with_config(HttpConfig::default()).await
    }

    /// The app with its own settings (a small attachment limit, say).
    pub(crate) async fn with_config(config: HttpConfig) -> App {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("web.db");
        let backend = SqliteBackend::open(&format!("sqlite:{}", path.display()))
            .await
            .expect("open SQLite");
        let backend: Arc<dyn Backend> = Arc::new(backend);
        let service = Service::new(backend.clone());
        let state = AppState::new(service.clone(), config).unwrap();
        App {
            router: ngoaivu_http::router_with(state, ngoaivu_web::routes()),
            service,
            backend,
            _dir: dir,
        }
    }

    /// Add an account and return the actor the store will see for it.
    pub(crate) async fn user(&self, org: &str, username: &str, role: Role) -> Actor {
        let b = &self.backend;
        let o = b.org_by_slug(org).await.unwrap().unwrap();
        let u = b
            .add_user(
                &Actor::system(),
                NewUser {
                    org_id: o.id,
                    username: username.into(),
                    role,
                    consular: false,
                    password_hash: auth::hash_password(PASSWORD).unwrap(),
                },
            )
            .await
            .unwrap();
        Actor {
            user_id: u.id,
            username: username.into(),
            org_id: o.id,
            org_slug: o.slug,
            org_kind: o.kind,
            role,
            consular: false,
        }
    }

    pub(crate) async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub(crate) async fn get(&self, path: &str, cookie: &str) -> Resp {
        let mut r = Request::get(path).header(header::HOST, "ngoaivu.test");
        if !cookie.is_empty() {
            r = r.header(header::COOKIE, cookie);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    pub(crate) async fn post(&self, path: &str, cookie: &str, form: &str) -> Resp {
        let mut r = Request::post(path)
            .header(header::HOST, "ngoaivu.test")
            .header(header::ORIGIN, "http://ngoaivu.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if !cookie.is_empty() {
            r = r.header(header::COOKIE, cookie);
        }
        self.send(r.body(Body::from(form.to_owned())).unwrap())
            .await
    }

    /// Send one file as the upload form does (`multipart/form-data`, field `file`).
    pub(crate) async fn upload(
        &self,
        path: &str,
        cookie: &str,
        filename: &str,
        bytes: &[u8],
    ) -> Resp {
        let boundary = "----ngoaivu-test-boundary-7d1f";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut r = Request::post(path)
            .header(header::HOST, "ngoaivu.test")
            .header(header::ORIGIN, "http://ngoaivu.test")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
        if !cookie.is_empty() {
            r = r.header(header::COOKIE, cookie);
        }
        self.send(r.body(Body::from(body)).unwrap()).await
    }

    /// The path a response redirects to.
    pub(crate) fn location(r: &Resp) -> String {
        r.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// Sign in through the form; the session cookie (`name=value`).
    pub(crate) async fn login(&self, username: &str) -> String {
        let form =
            serde_urlencoded::to_string([("username", username), ("password", PASSWORD)]).unwrap();
        let r = self.post("/login", "", &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let c = r
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        c.split(';').next().unwrap().to_owned()
    }
}
