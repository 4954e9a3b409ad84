//! One access-log line per request at INFO (target `access`): method,
//! route (the matched pattern, not the raw path with its ids), status,
//! latency, user, organisation, client and request id. The user is known
//! only once a handler's extractor has signed the request in, and the
//! route only inside the router, so the outer middleware (which sees every
//! request, unmatched ones included) hands a slot down the request (`Who`)
//! that `route` (a route layer) and `Authed` / the pages' `WebUser` fill in.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use ngoaivu_core::Actor;

use crate::proxy::RequestSource;

#[derive(Default)]
struct Noted {
    /// Username and organisation slug.
    actor: Option<(String, String)>,
    /// The matched route pattern.
    route: Option<String>,
}

/// Who made the request and which route took it, once known.
#[derive(Clone, Default)]
pub struct Who(Arc<Mutex<Noted>>);

impl Who {
    /// Record the signed-in actor of this request.
    pub fn set(&self, actor: &Actor) {
        if let Ok(mut w) = self.0.lock() {
            w.actor = Some((actor.username.clone(), actor.org_slug.clone()));
        }
    }
}

/// Route layer: note the matched pattern for the access line.
pub async fn route(req: Request, next: Next) -> Response {
    if let (Some(who), Some(path)) = (
        req.extensions().get::<Who>(),
        req.extensions().get::<MatchedPath>(),
    ) && let Ok(mut w) = who.0.lock()
    {
        w.route = Some(path.as_str().to_owned());
    }
    next.run(req).await
}

/// Record the actor in the request's `Who` slot, if the middleware put one.
pub fn note(parts: &axum::http::request::Parts, actor: &Actor) {
    if let Some(w) = parts.extensions.get::<Who>() {
        w.set(actor);
    }
}

/// Counts a request in flight until dropped: also when the client goes
/// away and the request's future is dropped half-way.
struct InFlight(metrics::Gauge);

impl InFlight {
    fn enter() -> InFlight {
        let g = metrics::gauge!("ngoaivu_http_requests_in_flight");
        g.increment(1.0);
        InFlight(g)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

pub async fn middleware(mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let who = Who::default();
    req.extensions_mut().insert(who.clone());
    let method = req.method().clone();
    let client = req
        .extensions()
        .get::<RequestSource>()
        .and_then(|s| s.client_ip)
        .map(|ip| ip.to_string());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let in_flight = InFlight::enter();
    let resp = next.run(req).await;
    drop(in_flight);
    let (actor, route) = who
        .0
        .lock()
        .map(|w| (w.actor.clone(), w.route.clone()))
        .unwrap_or_default();
    let (user, org) = actor.unwrap_or_else(|| ("-".into(), "-".into()));
    let route = route.unwrap_or_else(|| "(no route)".into());
    let latency = started.elapsed();
    metrics::counter!(
        "ngoaivu_http_requests_total",
        "method" => method.to_string(),
        "route" => route.clone(),
        "status" => resp.status().as_u16().to_string()
    )
    .increment(1);
    metrics::histogram!(
        "ngoaivu_http_request_duration_seconds",
        "method" => method.to_string(),
        "route" => route.clone()
    )
    .record(latency.as_secs_f64());
    tracing::info!(
        target: "access",
        method = %method,
        // No pattern matched: one name for all of them ("(no route)"), so
        // that counts by route stay few (the path is in the request's span).
        route = %route,
        status = resp.status().as_u16(),
        latency_ms = latency.as_secs_f64() * 1000.0,
        user = %user,
        org = %org,
        client = client.as_deref().unwrap_or("-"),
        request_id = %request_id,
    );
    resp
}
