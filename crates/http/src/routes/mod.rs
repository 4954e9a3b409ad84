//! The documented routes (`/api/v1`, `/healthz`, `/readyz`), each
//! registered with its OpenAPI operation: `Endpoint` adds a method to a
//! path only together with its operation, and `ApiRoutes` yields both the
//! axum router and the document's `paths` from the same calls. So a route
//! cannot be served undocumented, nor documented unserved. (The web pages,
//! `/static` and `/metrics` are not part of the API and are routed apart.)

mod channel;
mod records;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{MethodFilter, MethodRouter};
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::api;
use crate::openapi::{json_ok, list_of, op};

/// Every documented route. The limits are the larger bodies that uploads
/// and imports take (`HttpConfig`); they change no documentation.
pub(crate) fn api_routes(attachment_limit: usize, import_limit: usize) -> ApiRoutes {
    let routes = system_routes(ApiRoutes::default());
    let routes = channel::routes(routes, attachment_limit);
    records::routes(routes, attachment_limit, import_limit)
}

/// Probes, this document, sessions and the reference lists.
fn system_routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .add(
            "/healthz",
            Endpoint::new().get(
                api::healthz,
                op("Liveness: the process answers (the database is not consulted)", "system", vec![], None, ("200", json_ok("Up", json!({"type": "object"}))), &[], false),
            ),
        )
        .add(
            "/readyz",
            Endpoint::new().get(
                api::readyz,
                op("Readiness: the database answers and its schema is this binary's (503 with the reason otherwise)", "system", vec![], None, ("200", json_ok("Ready", json!({"type": "object"}))), &["503"], false),
            ),
        )
        .add(
            "/api/v1/openapi.json",
            Endpoint::new().get(
                api::openapi,
                op("This document", "system", vec![], None, ("200", json_ok("OpenAPI document", json!({"type": "object"}))), &[], false),
            ),
        )
        .add(
            "/api/v1/sessions",
            Endpoint::new().post(
                api::login,
                op(
                    "Sign in: a bearer token for the Authorization header", "sessions", vec![],
                    Some(json!({"type": "object", "required": ["username", "password"], "additionalProperties": false,
                        "properties": {"username": {"type": "string"}, "password": {"type": "string", "format": "password"}}})),
                    ("201", json_ok("Signed in", json!({"type": "object", "required": ["token", "expires_at", "user"], "properties": {
                        "token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}, "user": {"type": "object"}}}))),
                    &["400", "401", "415", "422", "429"], false),
            ),
        )
        .add(
            "/api/v1/sessions/current",
            Endpoint::new().delete(
                api::logout,
                op("Sign out: end this token's session", "sessions", vec![], None, ("204", json!({"description": "Signed out"})), &["401"], true),
            ),
        )
        .add(
            "/api/v1/me",
            Endpoint::new().get(
                api::me,
                op("The signed-in user and their organisation", "sessions", vec![], None, ("200", json_ok("Me", json!({"type": "object"}))), &["401"], true),
            ),
        )
        .add(
            "/api/v1/orgs",
            Endpoint::new().get(
                api::list_orgs,
                op("Organisations: provinces, the Ministry, missions abroad", "reference", vec![], None, ("200", json_ok("Organisations", list_of(json!({"type": "object"})))), &["401"], true),
            ),
        )
        .add(
            "/api/v1/orgs/{slug}",
            Endpoint::new().patch(
                api::patch_org,
                op(
                    "Set the name of an organisation's foreign-affairs office (its admins, or the Ministry's)", "reference",
                    vec![json!({"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}})],
                    Some(json!({"type": "object", "required": ["office_name"], "additionalProperties": false, "properties": {"office_name": {"type": "string", "maxLength": 200}}})),
                    ("200", json_ok("Updated", json!({"type": "object"}))), &["400", "401", "403", "404", "422"], true),
            ),
        )
        .add(
            "/api/v1/indicators",
            Endpoint::new()
                .get(
                    api::list_indicators,
                    op("The indicator vocabulary of reported figures", "reference", vec![], None, ("200", json_ok("Indicators", list_of(json!({"type": "object"})))), &["401"], true),
                )
                .post(
                    api::add_indicator,
                    op("Add an indicator (Ministry admins)", "reference", vec![],
                        Some(json!({"type": "object", "required": ["code", "name_vi", "name_en", "units"], "additionalProperties": false, "properties": {
                            "code": {"type": "string", "pattern": "^[a-z0-9._]{1,60}$"}, "name_vi": {"type": "string"}, "name_en": {"type": "string"},
                            "units": {"type": "array", "items": {"type": "string", "enum": ["USD", "VND", "count", "percent", "people"]}}, "summable": {"type": "boolean"}}})),
                        ("201", json_ok("Added", json!({"type": "object"}))), &["400", "401", "403", "409", "415", "422"], true),
                ),
        )
        .add(
            "/api/v1/countries",
            Endpoint::new().get(
                api::countries,
                op("ISO 3166-1 countries with Vietnamese and English names", "reference", vec![], None, ("200", json_ok("Countries", list_of(json!({"type": "object"})))), &["401"], true),
            ),
        )
        .add(
            "/api/v1/units",
            Endpoint::new().get(
                api::units,
                op("Vietnam's provincial units, current (34) and former (63), with successors", "reference", vec![], None, ("200", json_ok("Units", list_of(json!({"type": "object"})))), &["401"], true),
            ),
        )
}

/// The methods of one path, each with its operation.
pub(crate) struct Endpoint {
    methods: MethodRouter<AppState>,
    operations: Map<String, Value>,
}

impl Endpoint {
    pub(crate) fn new() -> Endpoint {
        Endpoint {
            methods: MethodRouter::new(),
            operations: Map::new(),
        }
    }

    pub(crate) fn get<H, T>(self, handler: H, operation: Value) -> Endpoint
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(MethodFilter::GET, "get", handler, operation)
    }

    pub(crate) fn post<H, T>(self, handler: H, operation: Value) -> Endpoint
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(MethodFilter::POST, "post", handler, operation)
    }

    pub(crate) fn put<H, T>(self, handler: H, operation: Value) -> Endpoint
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(MethodFilter::PUT, "put", handler, operation)
    }

    pub(crate) fn patch<H, T>(self, handler: H, operation: Value) -> Endpoint
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(MethodFilter::PATCH, "patch", handler, operation)
    }

    pub(crate) fn delete<H, T>(self, handler: H, operation: Value) -> Endpoint
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(MethodFilter::DELETE, "delete", handler, operation)
    }

    fn on<H, T>(
        mut self,
        filter: MethodFilter,
        method: &str,
        handler: H,
        operation: Value,
    ) -> Endpoint
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let previous = self.operations.insert(method.to_owned(), operation);
        assert!(previous.is_none(), "{method} given twice for one path");
        self.methods = self.methods.on(filter, handler);
        self
    }

    /// A larger body limit than the router's, for the methods added so far
    /// (uploads and imports), as `MethodRouter::layer` applies it.
    pub(crate) fn body_limit(mut self, max: usize) -> Endpoint {
        self.methods = self.methods.layer(DefaultBodyLimit::max(max));
        self
    }
}

/// The documented routes: the router and the document's `paths`, built
/// by the same calls.
#[derive(Default)]
pub(crate) struct ApiRoutes {
    router: Router<AppState>,
    paths: Map<String, Value>,
}

impl ApiRoutes {
    /// Serve `endpoint` at `path` and document it there.
    pub(crate) fn add(mut self, path: &str, endpoint: Endpoint) -> ApiRoutes {
        assert!(
            !endpoint.operations.is_empty(),
            "{path}: an endpoint without methods"
        );
        // One call per path, so that a path's methods and their operations
        // are read in one place (axum would merge a second call's methods).
        assert!(!self.paths.contains_key(path), "{path} registered twice");
        self.router = self.router.route(path, endpoint.methods);
        self.paths
            .insert(path.to_owned(), Value::Object(endpoint.operations));
        self
    }

    pub(crate) fn into_parts(self) -> (Router<AppState>, Map<String, Value>) {
        (self.router, self.paths)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    #[test]
    fn the_document_lists_exactly_the_registered_routes() {
        let (_, registered) = api_routes(0, 0).into_parts();
        let document = crate::openapi::document();
        assert_eq!(document["paths"], Value::Object(registered));
    }

    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// `Endpoint` and `ApiRoutes` make a registered route documented; this
    /// makes every route of the crate a registered one: nowhere else does
    /// the crate hand axum a route, except `/metrics` (not part of the API).
    #[test]
    fn the_crate_routes_nothing_outside_the_registry() {
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let calls: Vec<String> = ["route", "route_service", "nest", "nest_service"]
            .iter()
            .map(|m| format!(".{m}("))
            .collect();
        let mut found = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).expect("read source");
            // Tests may build routers of their own.
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            for call in &calls {
                for (at, _) in text.match_indices(call.as_str()) {
                    let args: String = text[at + call.len()..]
                        .chars()
                        .take_while(|c| *c != ',' && *c != ')')
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    let name = file
                        .strip_prefix(&src)
                        .unwrap_or(file)
                        .display()
                        .to_string();
                    found.push(format!("{name}: {call}{args}"));
                }
            }
        }
        found.sort();
        assert_eq!(
            found,
            ["lib.rs: .route(\"/metrics\"", "routes/mod.rs: .route(path",],
            "a route added outside `ApiRoutes::add` would be served undocumented"
        );
    }
}
