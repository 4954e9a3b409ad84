//! The HTTP layer of ngoaivu: the JSON API under `/api/v1`, its OpenAPI
//! document, sign-in, and the middleware every request passes (request id,
//! trace span, security headers, body limit, timeout, error language).
//!
//! Handlers are thin; they never filter records by organisation: the store
//! service does (see `ngoaivu_store::Service`).
#![forbid(unsafe_code)]

pub mod access_log;
pub mod api;
pub mod auth;
pub mod channel_api;
pub mod error;
pub mod metrics;
pub mod openapi;
pub mod proxy;
mod routes;
pub mod transfer_api;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::get;
use ngoaivu_store::Service;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub session_ttl: time::Duration,
    pub body_limit: usize,
    pub request_timeout: Duration,
    pub login_window: Duration,
    pub login_failures_per_account: u32,
    pub login_failures_per_address: u32,
    /// Largest attachment accepted.
    pub attachment_max_bytes: usize,
    /// Largest workbook or IATI file an import accepts.
    pub import_max_bytes: usize,
    /// The public address and the proxies whose forwarding headers count.
    pub proxy: proxy::ProxyConfig,
    /// Password checks run at once; more sign-ins wait (10 s at most, then
    /// 503), so a flood of logins cannot take the server's memory.
    pub password_checks: usize,
    /// `/metrics` for Prometheus, when set (off by default).
    pub metrics: Option<metrics::MetricsConfig>,
    /// A connection must send a whole request header within this time of
    /// starting to wait for one (idle keep-alive connections included).
    pub header_read_timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            session_ttl: time::Duration::hours(12),
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            login_window: Duration::from_secs(15 * 60),
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            attachment_max_bytes: ngoaivu_core::attachments::DEFAULT_MAX_BYTES,
            import_max_bytes: ngoaivu_sheets::Limits::default().max_bytes,
            proxy: proxy::ProxyConfig::default(),
            password_checks: 4,
            metrics: None,
            header_read_timeout: Duration::from_secs(30),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub throttle: Arc<auth::Throttle>,
    /// Password checks allowed at once (argon2 takes about 19 MiB each):
    /// `HttpConfig::password_checks`.
    pub hashing: Arc<tokio::sync::Semaphore>,
    pub config: Arc<HttpConfig>,
    pub openapi: Arc<serde_json::Value>,
    /// A hash to verify against when a username does not exist.
    pub dummy_hash: String,
    /// Figures for dashboards, kept while nothing changes (`ngoaivu_stats::cache`).
    pub figures: Arc<ngoaivu_stats::FiguresCache>,
    /// The Prometheus recorder, when metrics are on.
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
}

impl AppState {
    pub fn new(service: Service, config: HttpConfig) -> anyhow::Result<AppState> {
        let throttle = auth::Throttle::new(
            config.login_window,
            config.login_failures_per_account,
            config.login_failures_per_address,
        );
        let metrics = match config.metrics {
            Some(_) => Some(metrics::install()?),
            None => None,
        };
        Ok(AppState {
            service,
            throttle: Arc::new(throttle),
            hashing: Arc::new(tokio::sync::Semaphore::new(config.password_checks.max(1))),
            config: Arc::new(config),
            openapi: Arc::new(openapi::document()),
            dummy_hash: auth::hash_password(&auth::random_password()?)?,
            figures: Arc::new(ngoaivu_stats::FiguresCache::default()),
            metrics,
        })
    }
}

/// Answers to a signed-in request (a bearer token or the session cookie)
/// hold someone's records: `Cache-Control: no-store`, so that no proxy or
/// shared browser cache keeps them, unless the handler said otherwise.
async fn no_store_when_signed_in(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let h = req.headers();
    let signed_in = h.contains_key(header::AUTHORIZATION)
        || h.get_all(header::COOKIE).iter().any(|v| {
            v.to_str().is_ok_and(|c| {
                c.split(';')
                    .any(|p| p.trim_start().starts_with(auth::SESSION_COOKIE))
            })
        });
    let mut resp = next.run(req).await;
    if signed_in && !resp.headers().contains_key(header::CACHE_CONTROL) {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Conditional GETs for every answer of known, modest size (lists, feeds,
/// calendars, pages): the body's digest is its `ETag` (unless the handler
/// set one, as a record's read does), and a request whose `If-None-Match`
/// names it gets 304 without the body. Streamed answers (exports, files)
/// have no size known in advance and pass untouched.
async fn conditional_get(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::body::{Body, HttpBody};
    use sha2::Digest;
    /// Larger bodies are not buffered to be hashed.
    const MAX: u64 = 4 * 1024 * 1024;
    if req.method() != axum::http::Method::GET {
        return next.run(req).await;
    }
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let resp = next.run(req).await;
    if resp.status() != axum::http::StatusCode::OK
        || resp.headers().contains_key(header::ETAG)
        || resp.body().size_hint().exact().is_none_or(|n| n > MAX)
    {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX as usize).await else {
        return axum::response::IntoResponse::into_response(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        );
    };
    let digest = sha2::Sha256::digest(&bytes);
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{hex}\"");
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    let unchanged = if_none_match.is_some_and(|tags| {
        tags.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*")
    });
    if unchanged {
        parts.status = axum::http::StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return axum::response::Response::from_parts(parts, Body::empty());
    }
    axum::response::Response::from_parts(parts, Body::from(bytes))
}

/// A client's own `X-Request-Id` is kept (to follow a request across
/// systems) only when it is short and plain (letters, digits, `-`, `_`,
/// `.`): anything else could forge lines in text logs. Otherwise ngoaivu
/// makes one.
async fn drop_unsafe_request_id(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let unsafe_id = req.headers().get("x-request-id").is_some_and(|v| {
        let b = v.as_bytes();
        b.is_empty()
            || b.len() > 64
            || !b
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
    });
    if unsafe_id {
        req.headers_mut().remove("x-request-id");
    }
    next.run(req).await
}

/// Request ids: a per-process random prefix and a counter, so ids are unique
/// across restarts without a UUID dependency.
#[derive(Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The API plus `extra` routes (the web pages), all behind the same
/// middleware: request ids, tracing, security headers, limits, error language.
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    let body_limit = state.config.body_limit;
    let timeout = state.config.request_timeout;
    let ids = RequestIds {
        prefix: {
            let mut b = [0u8; 4];
            let _ = getrandom::fill(&mut b);
            b.iter()
                .map(|x| format!("{x:02x}"))
                .collect::<String>()
                .into()
        },
        next: Arc::new(AtomicU64::new(1)),
    };
    let x_request_id = HeaderName::from_static("x-request-id");
    let proxy_config = Arc::new(state.config.proxy.clone());
    let (api, _) = routes::api_routes(
        state.config.attachment_max_bytes,
        state.config.import_max_bytes,
    )
    .into_parts();
    api.route("/metrics", get(metrics::page))
        .merge(extra)
        // Inside the routes, where the matched pattern is known.
        .route_layer(axum::middleware::from_fn(access_log::route))
        .fallback(api::fallback)
        .with_state(state)
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(axum::middleware::from_fn(no_store_when_signed_in))
        .layer(axum::middleware::from_fn(conditional_get))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, timeout))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        // Outside the time limit and the panic catcher, so that a request
        // cut short or a handler that panicked is logged with its 503/500.
        .layer(axum::middleware::from_fn(access_log::middleware))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            let client = req
                .extensions()
                .get::<proxy::RequestSource>()
                .and_then(|s| s.client_ip)
                .map(|ip| ip.to_string())
                .unwrap_or_else(|| "-".into());
            tracing::info_span!("request", request_id = %id, client = %client, method = %req.method(), path = %req.uri().path())
        }))
        .layer(axum::middleware::from_fn_with_state(proxy_config, proxy::middleware))
        .layer(SetRequestIdLayer::new(x_request_id.clone(), ids))
        .layer(axum::middleware::from_fn(drop_unsafe_request_id))
}

/// Serve on an already-bound listener until `shutdown` resolves (tests bind
/// `127.0.0.1:0`; the binary binds the configured address).
pub async fn serve_with_listener(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// As `serve_with_listener`, with `extra` routes (the web pages) mounted
/// beside the API, behind the same middleware.
pub async fn serve_with_listener_and(
    listener: tokio::net::TcpListener,
    state: AppState,
    extra: Router<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use tower::Service;

    let header_read = state.config.header_read_timeout;
    let make =
        router_with(state, extra).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let mut builder = Builder::new(TokioExecutor::new());
    // HTTP/1: the whole request header within `header_read`, counted from
    // when the connection starts waiting for a request, so a keep-alive
    // connection left idle that long is closed too (slowloris, clients
    // that never close).
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read);
    // HTTP/2 (through a proxy that speaks it): pings find dead peers.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(30)))
        .keep_alive_timeout(Duration::from_secs(20));
    // The stop reaches the connections through `stop`; each holds a clone
    // of `done` until it ends, so that `done_rx` ends once all have.
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let (done, mut done_rx) = tokio::sync::mpsc::channel::<()>(1);
    let serve = move |stream: tokio::net::TcpStream, peer: std::net::SocketAddr| {
        let _ = stream.set_nodelay(true);
        let mut make = make.clone();
        let builder = builder.clone();
        let mut stopping = stopping.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let _done = done;
            // The builder first reads to tell HTTP/1 from HTTP/2, before
            // any header timer runs: a connection that sends nothing at
            // all is closed here. Wait until the bytes already sent tell
            // them apart, so that the builder's first read settles it.
            match tokio::time::timeout(header_read, told_apart(&stream)).await {
                Ok(Ok(true)) => {}
                Ok(Ok(false) | Err(_)) => return,
                Err(_) => {
                    tracing::debug!(client = %peer, "connection closed: nothing sent");
                    return;
                }
            }
            let Ok(svc) = make.call(peer).await;
            let svc = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let mut svc = svc.clone();
                async move { svc.call(req.map(axum::body::Body::new)).await }
            });
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), svc);
            tokio::pin!(conn);
            // The connection is polled before the stop is looked at: a
            // connection accepted just before a stop reads its request
            // first, and is then told to close once it has answered (told
            // while still reading which protocol it speaks, hyper-util
            // would drop it, request and all).
            let mut told = false;
            loop {
                tokio::select! {
                    biased;
                    ended = conn.as_mut() => {
                        if let Err(e) = ended {
                            tracing::debug!(error = %e, client = %peer, "connection ended with an error");
                        }
                        break;
                    }
                    _ = stopping.wait_for(|s| *s), if !told => {
                        conn.as_mut().graceful_shutdown();
                        told = true;
                    }
                }
            }
        });
    };
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: say so, wait,
                    // go on (as axum::serve does).
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        serve(stream, peer);
    }
    // Stop accepting. The connections the kernel has already set up wait
    // in the listener's queue, their requests perhaps sent: closing the
    // listener would reset them. Take them all first (accept until there is
    // none, without waiting), then close it; after that, connecting is
    // refused, which a proxy reports as such.
    let listener = listener.into_std()?;
    loop {
        match listener.accept() {
            Ok((stream, peer)) => {
                let stream = stream
                    .set_nonblocking(true)
                    .and_then(|()| tokio::net::TcpStream::from_std(stream));
                match stream {
                    Ok(stream) => serve(stream, peer),
                    Err(e) => {
                        tracing::warn!(error = %e, client = %peer, "cannot take a connection while stopping");
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                tracing::warn!(error = %e, "cannot accept a connection while stopping");
                break;
            }
        }
    }
    drop(listener);
    drop(serve);
    // Then let the connections finish their requests (the caller bounds
    // how long).
    let _ = stop.send(true);
    let _ = done_rx.recv().await;
    Ok(())
}

/// Wait until the first bytes a client sent tell HTTP/1 from HTTP/2 (whose
/// connections open with its 24-byte preface), without taking them: false
/// when the client closed without sending anything.
async fn told_apart(stream: &tokio::net::TcpStream) -> std::io::Result<bool> {
    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let mut buf = [0u8; 24];
    loop {
        let n = stream.peek(&mut buf).await?;
        if n == 0 {
            return Ok(false);
        }
        if n >= PREFACE.len() || buf[..n] != PREFACE[..n] {
            return Ok(true);
        }
        // The start of the preface only (rare: HTTP/2 without TLS, or a
        // request line sent in pieces): peeking again would return at once.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
