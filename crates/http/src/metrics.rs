//! Prometheus metrics, opt-in (`metrics = true` / `NGOAIVU_METRICS=1`):
//! `GET /metrics` in Prometheus' text format. Counted where things happen
//! (the access log counts requests, sign-in its outcomes, the reminder
//! task what it sent) through the `metrics` crate's macros, which cost a
//! relaxed atomic load when no recorder is installed; read at scrape time:
//! the database pools and SQLite's write-ahead log.
//!
//! The page tells how busy the server is and who signs in how often, so it
//! answers only clients on loopback or in `metrics_allow` (CIDRs), and, as
//! everywhere, the client is the forwarded one when a trusted proxy sent
//! the request: a scraper outside the allowed networks gets 403 even
//! through the public proxy.

use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;
use crate::proxy::{Cidr, RequestSource};

/// The request latency histogram's buckets, in seconds: from a cached
/// read (a few ms) to a big report (tens of seconds, the time limit 30 s).
const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The page's settings.
#[derive(Debug, Clone, Default)]
pub struct MetricsConfig {
    /// Networks besides loopback that may read `/metrics`.
    pub allow: Vec<Cidr>,
}

/// The recorder, installed once per process (a second server in the same
/// process, as in tests, shares it).
static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Install the recorder (once) and keep its histograms drained.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    if let Some(h) = HANDLE.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("ngoaivu_http_request_duration_seconds".into()),
            LATENCY_BUCKETS,
        )?
        .install_recorder()?;
    let handle = HANDLE.get_or_init(|| handle).clone();
    describe();
    metrics::gauge!("ngoaivu_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        let h = handle.clone();
        rt.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(10));
            loop {
                tick.tick().await;
                h.run_upkeep();
            }
        });
    }
    Ok(handle)
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "ngoaivu_http_requests_total",
        "Requests answered, by method, route pattern and status"
    );
    describe_histogram!(
        "ngoaivu_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer a request, by method and route pattern"
    );
    describe_gauge!(
        "ngoaivu_http_requests_in_flight",
        "Requests being answered now"
    );
    describe_counter!(
        "ngoaivu_sign_ins_total",
        "Sign-in attempts by outcome (success, wrong, throttled, busy, error)"
    );
    describe_gauge!(
        "ngoaivu_db_connections",
        "Open database connections by pool and state (idle, busy)"
    );
    describe_gauge!(
        "ngoaivu_sqlite_wal_bytes",
        Unit::Bytes,
        "Size of SQLite's write-ahead log file"
    );
    describe_gauge!(
        "ngoaivu_background_tasks",
        "Background tasks running, by task"
    );
    describe_counter!(
        "ngoaivu_reminders_sent_total",
        "Reminder e-mails sent by the daily digest"
    );
    describe_counter!(
        "ngoaivu_reminders_failed_total",
        "Reminder e-mails the SMTP server refused or that could not be sent"
    );
    describe_gauge!("ngoaivu_build_info", "The running version (value 1)");
}

/// `GET /metrics`.
pub async fn page(State(st): State<AppState>, req: Request) -> Response {
    let Some(handle) = st.metrics.as_ref() else {
        return crate::error::ApiError::not_found().into_response();
    };
    let client = req
        .extensions()
        .get::<RequestSource>()
        .and_then(|s| s.client_ip);
    let allowed = client.is_some_and(|ip| {
        let ip = match ip {
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map(std::net::IpAddr::V4).unwrap_or(ip),
            v4 @ std::net::IpAddr::V4(_) => v4,
        };
        ip.is_loopback()
            || st
                .config
                .metrics
                .as_ref()
                .is_some_and(|m| m.allow.iter().any(|c| c.contains(ip)))
    });
    if !allowed {
        return crate::error::ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Địa chỉ này không được đọc số đo của máy chủ (xem metrics_allow).",
            "This address may not read the server's metrics (see metrics_allow).",
        )
        .into_response();
    }
    let gauges = st.service.store_gauges();
    for (pool, open, idle) in gauges.pools {
        metrics::gauge!("ngoaivu_db_connections", "pool" => pool, "state" => "idle")
            .set(f64::from(idle));
        metrics::gauge!("ngoaivu_db_connections", "pool" => pool, "state" => "busy")
            .set(f64::from(open.saturating_sub(idle)));
    }
    if let Some(wal) = gauges.wal_bytes {
        metrics::gauge!("ngoaivu_sqlite_wal_bytes").set(wal as f64);
    }
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
