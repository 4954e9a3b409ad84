//! Behind a reverse proxy: the public URL decides the cross-site check,
//! `Secure` cookies and absolute links; forwarding headers count only from
//! a trusted proxy, so the login throttle keys on the real client; a
//! client's request id is kept only when plain.

use std::net::SocketAddr;

use crate::common::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use ngoaivu_core::Role;
use ngoaivu_http::HttpConfig;
use ngoaivu_http::proxy::{ProxyConfig, parse_cidrs};

const PUBLIC: &str = "https://ngoaivu.example.gov.vn";

fn behind_proxy() -> HttpConfig {
    HttpConfig {
        proxy: ProxyConfig {
            public_url: Some(PUBLIC.parse().unwrap()),
            trusted_proxies: parse_cidrs("127.0.0.1").unwrap(),
        },
        ..HttpConfig::default()
    }
}

/// A request as nginx sends it: from 127.0.0.1, `Host` rewritten to the
/// upstream's, the client in `X-Forwarded-For`.
fn via_proxy(method: &str, path: &str, client: &str) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1:8080")
        .header("x-forwarded-for", client)
        .header("x-forwarded-proto", "https")
        .extension(ConnectInfo::<SocketAddr>(
            "127.0.0.1:40000".parse().unwrap(),
        ))
}

fn login_form(user: &str, pw: &str) -> String {
    serde_urlencoded::to_string([("username", user), ("password", pw)]).unwrap()
}

#[tokio::test]
async fn signing_in_through_a_proxy_that_rewrites_host() {
    let app = App::with_config(behind_proxy()).await;
    app.user("vinh-long", "vl-editor", Role::Editor).await;
    // The browser's Origin is the public URL; Host is the upstream's.
    let r = app
        .send(
            via_proxy("POST", "/login", "203.0.113.7")
                .header(header::ORIGIN, PUBLIC)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(login_form("vl-editor", PASSWORD)))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(set.contains("Secure") && set.contains("HttpOnly"), "{set}");
    // Another origin is refused, even one naming the upstream's host.
    for origin in [
        "https://evil.example",
        "http://127.0.0.1:8080",
        "http://ngoaivu.example.gov.vn",
    ] {
        let r = app
            .send(
                via_proxy("POST", "/login", "203.0.113.7")
                    .header(header::ORIGIN, origin)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(login_form("vl-editor", PASSWORD)))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{origin}");
    }
}

#[tokio::test]
async fn the_throttle_keys_on_the_forwarded_client_not_the_proxy() {
    let app = App::with_config(behind_proxy()).await;
    app.user("vinh-long", "vl-editor", Role::Editor).await;
    let attempt = |client: &'static str, user: String, pw: &'static str| {
        via_proxy("POST", "/login", client)
            .header(header::ORIGIN, PUBLIC)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(login_form(&user, pw)))
            .unwrap()
    };
    // Twenty wrong passwords (for as many unknown names) from one client…
    for i in 0..20 {
        let r = app
            .send(attempt(
                "198.51.100.66",
                format!("khong-co-{i}"),
                "sai mật khẩu",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app
        .send(attempt("198.51.100.66", "vl-editor".into(), PASSWORD))
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "that client is held back"
    );
    // …do not lock out everyone else behind the same proxy.
    let r = app
        .send(attempt("203.0.113.7", "vl-editor".into(), PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    // No trusted proxy: a client naming itself in X-Forwarded-For gains nothing.
    let app = App::with_config(HttpConfig::default()).await;
    app.user("vinh-long", "vl-editor", Role::Editor).await;
    for i in 0..20 {
        let r = app
            .send(
                Request::post("/login")
                    .header(header::HOST, "ngoaivu.test")
                    .header("x-forwarded-for", format!("192.0.2.{i}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .extension(ConnectInfo::<SocketAddr>(
                        "198.51.100.66:5000".parse().unwrap(),
                    ))
                    .body(Body::from(login_form(&format!("khong-co-{i}"), "sai")))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app
        .send(
            Request::post("/login")
                .header(header::HOST, "ngoaivu.test")
                .header("x-forwarded-for", "192.0.2.200")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .extension(ConnectInfo::<SocketAddr>(
                    "198.51.100.66:5001".parse().unwrap(),
                ))
                .body(Body::from(login_form("vl-editor", PASSWORD)))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn absolute_links_come_from_the_public_url_not_the_host_header() {
    let app = App::with_config(behind_proxy()).await;
    let r = app
        .send(
            Request::get("/catalog/feed.json")
                .header(header::HOST, "evil.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(&format!("\"home_page_url\":\"{PUBLIC}/catalog")),
        "{}",
        r.body
    );
    assert!(!r.body.contains("evil.example"), "{}", r.body);
}

#[tokio::test]
async fn a_clients_request_id_is_kept_only_when_plain() {
    let app = App::new().await;
    let id = |v: &str| {
        Request::get("/healthz")
            .header(header::HOST, "ngoaivu.test")
            .header("x-request-id", v)
            .body(Body::empty())
            .unwrap()
    };
    let r = app.send(id("abc-123_x.y")).await;
    assert_eq!(r.headers.get("x-request-id").unwrap(), "abc-123_x.y");
    let r = app.send(id("x\" level=INFO msg=signed-in")).await;
    let got = r
        .headers
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!got.contains(' ') && !got.contains('"'), "{got}");
}

#[tokio::test]
async fn signed_in_answers_are_never_cached() {
    let app = App::new().await;
    app.user("vinh-long", "vl-cache", Role::Editor).await;
    let cookie = app.login("vl-cache").await;
    for path in ["/", "/records/partners", "/reader"] {
        let r = app.get(path, &cookie).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let cc = r
            .headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned());
        assert!(
            cc.as_deref().is_some_and(|c| c.contains("no-store")),
            "{path}: {cc:?}"
        );
    }
    // The public catalog, signed out, keeps its own caching.
    let r = app.get("/catalog/feed.json", "").await;
    assert!(
        r.headers
            .get(header::CACHE_CONTROL)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("public")
    );
}
