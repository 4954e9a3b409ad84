//! The JSON API handlers. Each is thin: parse, call the store service, shape
//! the answer. Scope and write policy live in the service and the backend.

use std::net::{IpAddr, SocketAddr};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use ngoaivu_core::records::OBS_UNITS;
use ngoaivu_core::{Denied, Invalid, OrgKind, Problem, RecordType};
use ngoaivu_store::{Indicator, ListQuery, SortKey};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{self, Authed};
use crate::error::ApiError;

/// A JSON request body: `Content-Type: application/json`, within the body
/// limit (413 beyond it), well-formed (400 naming the line and column).
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ctype = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !ctype.to_ascii_lowercase().starts_with("application/json") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Cần gửi dữ liệu JSON (Content-Type: application/json).",
                "Send JSON (Content-Type: application/json).",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "Dữ liệu gửi lên quá lớn.",
                    "The request body is too large.",
                )
            } else {
                ApiError::bad_request(
                    "unreadable_body",
                    "Không đọc được dữ liệu gửi lên.",
                    "The request body could not be read.",
                )
            }
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            ApiError::bad_request(
                "malformed_json",
                format!(
                    "JSON không đúng cú pháp (dòng {}, cột {}): {e}",
                    e.line(),
                    e.column()
                ),
                format!(
                    "Malformed JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
        })
    }
}

/// The client's address, when the server knows it (not in in-process
/// tests): the socket peer, or the address a trusted proxy forwarded
/// (`proxy::RequestSource`).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            match parts.extensions.get::<crate::proxy::RequestSource>() {
                Some(src) => src.client_ip,
                None => parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip()),
            },
        ))
    }
}

/// `/healthz`, liveness: the process answers. It does not touch the
/// database, so that a database outage does not make a supervisor restart
/// a server that would recover by itself (`/readyz` says whether it can
/// serve).
pub async fn healthz(State(st): State<AppState>) -> Response {
    Json(json!({"status": "ok", "database": st.service.database_kind()})).into_response()
}

/// `/readyz`, readiness: the database answers and its schema is the one
/// this binary knows. 503 with the reason otherwise.
pub async fn readyz(State(st): State<AppState>) -> Response {
    let service = &st.service;
    let unavailable = |vi: String, en: String| {
        let mut r = (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "unavailable", "database": service.database_kind(), "reason": vi, "reason_en": en})),
        )
            .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
        r
    };
    if let Err(e) = service.database_health().await {
        tracing::error!(error = %e, "readiness: the database does not answer; check that it runs and that ngoaivu can reach it");
        return unavailable(
            "Cơ sở dữ liệu không phản hồi.".into(),
            "The database does not answer.".into(),
        );
    }
    match service.schema_versions().await {
        Ok((applied, known)) if applied == known => Json(json!({
            "status": "ready", "database": service.database_kind(), "schema_version": applied
        }))
        .into_response(),
        Ok((applied, known)) => {
            tracing::error!(
                applied,
                known,
                "readiness: the database schema is not this binary's; run `ngoaivu migrate`"
            );
            unavailable(
                format!(
                    "Lược đồ cơ sở dữ liệu ở phiên bản {applied}, chương trình cần {known}: hãy chạy `ngoaivu migrate`."
                ),
                format!(
                    "The database schema is at version {applied}, this binary needs {known}: run `ngoaivu migrate`."
                ),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "readiness: cannot read the schema version");
            unavailable(
                "Không đọc được phiên bản lược đồ cơ sở dữ liệu.".into(),
                "The database schema version cannot be read.".into(),
            )
        }
    }
}

pub async fn openapi(State(st): State<AppState>) -> Response {
    let mut resp = Json(st.openapi.as_ref().clone()).into_response();
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    resp
}

pub(crate) fn str_field(obj: &Value, name: &str, errs: &mut Invalid) -> String {
    match obj.get(name) {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_) | Value::Null) | None => {
            errs.push(name, Problem::Required);
            String::new()
        }
        Some(_) => {
            errs.push(name, Problem::WrongType { expected: "string" });
            String::new()
        }
    }
}

pub(crate) fn only_fields(obj: &Value, allowed: &[&str], errs: &mut Invalid) {
    match obj.as_object() {
        Some(map) => {
            for k in map.keys() {
                if !allowed.contains(&k.as_str()) {
                    errs.push(k.clone(), Problem::UnknownField);
                }
            }
        }
        None => errs.push("", Problem::WrongType { expected: "object" }),
    }
}

pub async fn login(
    State(st): State<AppState>,
    ClientAddr(addr): ClientAddr,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let mut errs = Invalid::default();
    only_fields(&body, &["username", "password"], &mut errs);
    let username = str_field(&body, "username", &mut errs);
    let password = str_field(&body, "password", &mut errs);
    errs.into_result().map_err(ApiError::invalid)?;
    let signed = match auth::sign_in(&st, &username, &password, addr).await {
        Ok(s) => s,
        Err(auth::SignInError::Throttled(secs)) => {
            tracing::warn!(username, ?addr, "login throttled");
            return Err(auth::too_many(secs));
        }
        Err(auth::SignInError::Wrong) => {
            tracing::warn!(username, ?addr, "login failed");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.",
                "Wrong username or password, or the account is disabled.",
            ));
        }
        Err(auth::SignInError::Busy) => {
            tracing::warn!(
                username,
                ?addr,
                "login refused: too many password checks at once"
            );
            return Err(auth::busy());
        }
        Err(auth::SignInError::Store(e)) => return Err(e.into()),
        Err(auth::SignInError::Internal(e)) => return Err(ApiError::internal(e)),
    };
    let (token, expires, user) = (signed.token, signed.expires, signed.user);
    tracing::info!(username, org = %user.org, "signed in");
    let body = json!({
        "token": token,
        "expires_at": expires.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "user": user,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

pub async fn logout(State(st): State<AppState>, who: Authed) -> Result<StatusCode, ApiError> {
    st.service.delete_session(&who.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(State(st): State<AppState>, who: Authed) -> Result<Json<Value>, ApiError> {
    let org = st
        .service
        .org_by_id(who.actor.org_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(
        json!({"username": who.actor.username, "role": who.actor.role, "org": org}),
    ))
}

pub async fn list_orgs(State(st): State<AppState>, _who: Authed) -> Result<Json<Value>, ApiError> {
    let orgs = st.service.orgs().await?;
    let total = orgs.len();
    Ok(Json(json!({"items": orgs, "total": total})))
}

pub async fn patch_org(
    State(st): State<AppState>,
    who: Authed,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let org = st
        .service
        .org_by_slug(&slug)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if who.actor.org_kind != OrgKind::Ministry && who.actor.org_id != org.id {
        return Err(ApiError::not_found());
    }
    if !who.actor.is_admin_of(org.id) {
        return Err(ApiError::from(ngoaivu_store::StoreError::Forbidden(
            Denied::NotAdmin,
        )));
    }
    let mut errs = Invalid::default();
    only_fields(&body, &["office_name"], &mut errs);
    let office = str_field(&body, "office_name", &mut errs);
    ngoaivu_core::values::check_len("office_name", &office, 200, &mut errs);
    errs.into_result().map_err(ApiError::invalid)?;
    let org = st
        .service
        .set_org_office(&who.actor, org.id, office.trim())
        .await?;
    Ok(Json(serde_json::to_value(org).unwrap_or_default()))
}

pub async fn list_indicators(
    State(st): State<AppState>,
    _who: Authed,
) -> Result<Json<Value>, ApiError> {
    let items = st.service.indicators().await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

pub async fn add_indicator(
    State(st): State<AppState>,
    who: Authed,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    if !(who.actor.org_kind == OrgKind::Ministry && who.actor.role == ngoaivu_core::Role::Admin) {
        return Err(ApiError::from(ngoaivu_store::StoreError::Forbidden(
            Denied::NotAdmin,
        )));
    }
    let mut errs = Invalid::default();
    only_fields(
        &body,
        &["code", "name_vi", "name_en", "units", "summable"],
        &mut errs,
    );
    let code = str_field(&body, "code", &mut errs);
    let name_vi = str_field(&body, "name_vi", &mut errs);
    let name_en = str_field(&body, "name_en", &mut errs);
    let well_formed = code.len() <= 60
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_');
    if !code.is_empty() && !well_formed {
        errs.push(
            "code",
            Problem::Invalid {
                vi: "Mã chỉ tiêu chỉ gồm chữ thường không dấu, số, dấu chấm và gạch dưới (tối đa 60).".into(),
                en: "An indicator code has lowercase ASCII letters, digits, dots and underscores (at most 60).".into(),
            },
        );
    }
    let units: Vec<String> = match body.get("units") {
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => {
            errs.push("units", Problem::Required);
            vec![]
        }
    };
    for (i, u) in units.iter().enumerate() {
        if !OBS_UNITS.contains(&u.as_str()) {
            errs.push(
                format!("units[{i}]"),
                Problem::OneOf {
                    allowed: OBS_UNITS.join(", "),
                },
            );
        }
    }
    let summable = match body.get("summable") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errs.push(
                "summable",
                Problem::WrongType {
                    expected: "boolean",
                },
            );
            false
        }
    };
    errs.into_result().map_err(ApiError::invalid)?;
    let ind = st
        .service
        .add_indicator(
            &who.actor,
            Indicator {
                code,
                name_vi,
                name_en,
                units,
                summable,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(ind).unwrap_or_default()),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListParams {
    q: Option<String>,
    year: Option<String>,
    status: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    sector: Option<String>,
    locality: Option<String>,
    org: Option<String>,
    sort: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

pub const SORTS: &[&str] = &["id", "title", "date", "year", "updated_at"];

async fn parse_list_query(
    st: &AppState,
    rt: RecordType,
    raw: Option<String>,
) -> Result<ListQuery, ApiError> {
    let p: ListParams = serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).map_err(|e| {
        ApiError::bad_request(
            "bad_query",
            format!("Tham số truy vấn không hợp lệ: {e}"),
            format!("Invalid query parameters: {e}"),
        )
    })?;
    let mut q = ListQuery::new(rt);
    let mut errs = Invalid::default();
    // A filter given with no value is a mistake (a client building the
    // query badly), not "no filter": said, rather than ignored.
    for (name, v) in [
        ("status", &p.status),
        ("kind", &p.kind),
        ("country", &p.country),
        ("sector", &p.sector),
        ("locality", &p.locality),
        ("org", &p.org),
        ("sort", &p.sort),
        ("year", &p.year),
        ("limit", &p.limit),
        ("offset", &p.offset),
    ] {
        if v.as_deref() == Some("") {
            errs.push(name, Problem::Required);
        }
    }
    let int =
        |name: &str, v: &Option<String>, lo: i64, hi: i64, errs: &mut Invalid| -> Option<i64> {
            let v = v.as_deref()?;
            match v.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => Some(n),
                _ => {
                    errs.push(
                        name,
                        Problem::Invalid {
                            vi: format!("Cần số nguyên từ {lo} đến {hi}."),
                            en: format!("Expected a whole number from {lo} to {hi}."),
                        },
                    );
                    None
                }
            }
        };
    q.year = int("year", &p.year, 1900, 2100, &mut errs).map(|y| y as i32);
    q.limit = int("limit", &p.limit, 1, 200, &mut errs).unwrap_or(50);
    q.offset = int("offset", &p.offset, 0, 10_000_000, &mut errs).unwrap_or(0);
    q.q = p.q.filter(|s| !s.trim().is_empty());
    if let Some(s) = &q.q {
        ngoaivu_core::values::check_len("q", s, 200, &mut errs);
    }
    if let Some(s) = p.status.filter(|s| !s.is_empty()) {
        if !rt.statuses().contains(&s.as_str()) {
            errs.push(
                "status",
                Problem::OneOf {
                    allowed: rt.statuses().join(", "),
                },
            );
        }
        q.status = Some(s);
    }
    if let Some(k) = p.kind.filter(|s| !s.is_empty()) {
        let kinds = rt.kinds();
        if !kinds.contains(&k.as_str()) {
            errs.push(
                "kind",
                Problem::OneOf {
                    allowed: kinds.join(", "),
                },
            );
        }
        q.kind = Some(k);
    }
    if let Some(c) = p.country.filter(|s| !s.is_empty()) {
        let c = c.to_ascii_uppercase();
        if ngoaivu_core::refdata::refdata().country(&c).is_none() {
            errs.push("country", Problem::UnknownCountry { value: c.clone() });
        }
        q.country = Some(c);
    }
    if let Some(s) = p.sector.filter(|s| !s.is_empty()) {
        ngoaivu_core::values::check_sectors("sector", std::slice::from_ref(&s), &mut errs);
        q.sector = Some(s);
    }
    q.locality = p.locality.filter(|s| !s.is_empty());
    if let Some(l) = &q.locality
        && l != ngoaivu_core::records::NATIONAL
        && ngoaivu_core::refdata::refdata().unit(l).is_none()
    {
        errs.push("locality", Problem::UnknownUnit { value: l.clone() });
    }
    if let Some(sort) = p.sort.filter(|s| !s.is_empty()) {
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort.as_str()),
        };
        q.descending = desc;
        q.sort = match key {
            "id" => SortKey::Id,
            "title" => SortKey::Title,
            "date" => SortKey::Date,
            "year" => SortKey::Year,
            "updated_at" => SortKey::UpdatedAt,
            _ => {
                errs.push(
                    "sort",
                    Problem::OneOf {
                        allowed: SORTS
                            .iter()
                            .flat_map(|s| [s.to_string(), format!("-{s}")])
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                );
                SortKey::Id
            }
        };
    }
    if let Some(org) = p.org.filter(|s| !s.is_empty()) {
        match st.service.org_filter(&org).await {
            Ok(id) => q.org_id = Some(id),
            Err(ngoaivu_store::StoreError::Invalid(inv)) => errs.0.extend(inv.0),
            Err(e) => return Err(e.into()),
        }
    }
    errs.into_result().map_err(|inv| ApiError {
        code: "bad_query",
        status: StatusCode::BAD_REQUEST,
        ..ApiError::invalid(inv)
    })?;
    Ok(q)
}

pub async fn list_records(
    st: AppState,
    who: Authed,
    rt: RecordType,
    raw: RawQuery,
    headers: HeaderMap,
    src: crate::proxy::RequestSource,
) -> Result<Response, ApiError> {
    let mut raw = raw.0;
    let format = crate::transfer_api::export_format(&mut raw, &headers)?;
    let q = parse_list_query(&st, rt, raw).await?;
    if let Some(format) = format {
        // The whole list, not a page: its filters, search and sort.
        let lang = crate::transfer_api::lang_of(&headers);
        let base = crate::transfer_api::link_base(&src);
        return crate::transfer_api::export_list(&st, &who, q, format, lang, base).await;
    }
    // The items arrive as JSON text assembled by the database; they are
    // placed in the answer as they are.
    let (items, total) = st.service.list_json(&who.actor, &q).await?;
    let body = format!(
        r#"{{"items":{items},"total":{total},"limit":{},"offset":{}}}"#,
        q.limit, q.offset
    );
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub async fn create_record(
    st: AppState,
    who: Authed,
    rt: RecordType,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let rec = st.service.create(&who.actor, rt, body.0).await?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = header::HeaderValue::from_str(&format!("/api/v1/{}/{}", rt.path(), rec.id)) {
        headers.insert(header::LOCATION, v);
    }
    Ok((StatusCode::CREATED, headers, Json(rec.to_json())).into_response())
}

pub(crate) fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(ApiError::not_found)
}

/// The `If-Match` of a write: the version (`ETag`) the writer read. A
/// header that is not text is refused rather than ignored: ignoring it
/// would overwrite whatever is there.
pub(crate) fn if_match(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get(header::IF_MATCH) {
        None => Ok(None),
        Some(v) => v.to_str().map(|s| Some(s.to_owned())).map_err(|_| {
            ApiError::bad_request(
                "bad_if_match",
                "Tiêu đề If-Match không hợp lệ: hãy gửi ETag đã nhận khi đọc bản ghi.",
                "The If-Match header is not valid: send the ETag received when the record was read.",
            )
        }),
    }
}

/// A record's JSON with its version in `ETag`.
fn record_response(status: StatusCode, r: ngoaivu_store::Record) -> Response {
    let etag = r.etag();
    let mut resp = (status, Json(r.into_json())).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&etag) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    resp
}

/// `GET /api/v1/{type}/{id}`: the record with its version in `ETag`;
/// `If-None-Match` with that version answers 304 without the body.
pub async fn get_record(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let r = st.service.get(&who.actor, rt, parse_id(&id)?).await?;
    let etag = r.etag();
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
    if unchanged {
        let mut resp = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = header::HeaderValue::from_str(&etag) {
            resp.headers_mut().insert(header::ETAG, v);
        }
        return Ok(resp);
    }
    Ok(record_response(StatusCode::OK, r))
}

/// `PATCH /api/v1/{type}/{id}`: with `If-Match`, only if the record is still
/// the version read (412 with the current record otherwise).
pub async fn patch_record(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let expect = if_match(&headers)?;
    let r = st
        .service
        .update_expecting(&who.actor, rt, parse_id(&id)?, &body.0, expect.as_deref())
        .await?;
    Ok(record_response(StatusCode::OK, r))
}

/// `POST /api/v1/{type}/{id}/transitions` with `{"to": "...", "note": "..."}`:
/// one step of the record's workflow (the Service checks the step, the
/// caller's role and organisation, and writes it with its audit row).
pub async fn transition_record(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let expect = if_match(&headers)?;
    let mut errs = Invalid::default();
    let Some(obj) = body.0.as_object() else {
        return Err(ApiError::invalid(Invalid::one(
            "",
            Problem::WrongType { expected: "object" },
        )));
    };
    for k in obj.keys() {
        if !matches!(k.as_str(), "to" | "note" | "decision_number") {
            errs.push(k.clone(), Problem::UnknownField);
        }
    }
    let to = match obj.get("to") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::String(_)) | None => {
            errs.push("to", Problem::Required);
            None
        }
        Some(_) => {
            errs.push("to", Problem::WrongType { expected: "string" });
            None
        }
    };
    let mut text = |k: &str| match obj.get(k) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errs.push(k, Problem::WrongType { expected: "string" });
            None
        }
    };
    let note = text("note");
    let decision_number = text("decision_number");
    if !errs.is_empty() {
        return Err(ApiError::invalid(errs));
    }
    let to = to.unwrap_or_default();
    let r = st
        .service
        .transition_with(
            &who.actor,
            rt,
            id,
            &to,
            ngoaivu_core::workflow::StepInput {
                note: note.as_deref(),
                decision_number: decision_number.as_deref(),
            },
            ngoaivu_store::service::today_in_vietnam(),
            expect.as_deref(),
        )
        .await?;
    Ok(record_response(StatusCode::OK, r))
}

pub async fn delete_record(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let expect = if_match(&headers)?;
    st.service
        .delete_expecting(&who.actor, rt, parse_id(&id)?, expect.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn record_history(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
) -> Result<Json<Value>, ApiError> {
    let items = st.service.history(&who.actor, rt, parse_id(&id)?).await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

pub async fn record_links(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        serde_json::to_value(st.service.links(&who.actor, rt, parse_id(&id)?).await?)
            .unwrap_or_default(),
    ))
}

pub async fn countries(_who: Authed) -> Json<Value> {
    let items: Vec<Value> = ngoaivu_core::refdata::refdata()
        .countries
        .iter()
        .map(|c| json!({"code": c.alpha2, "name_vi": c.name_vi, "name_en": c.name_en}))
        .collect();
    let total = items.len();
    Json(json!({"items": items, "total": total}))
}

pub async fn units(_who: Authed) -> Json<Value> {
    let r = ngoaivu_core::refdata::refdata();
    let items: Vec<Value> = r
        .units
        .iter()
        .map(|u| {
            let current = u.code_set == ngoaivu_core::refdata::CodeSet::Y2025;
            json!({
                "slug": u.slug, "code": u.code, "name": u.name, "short_name": u.short_name,
                "code_set": if current { "2025" } else { "legacy" },
                "successor": if current { None } else { r.successor(&u.slug).map(|s| s.slug.clone()) },
            })
        })
        .collect();
    let total = items.len();
    Json(json!({"items": items, "total": total}))
}

pub async fn fallback() -> ApiError {
    ApiError::not_found()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct UploadParams {
    filename: Option<String>,
}

/// `POST /api/v1/{type}/{id}/attachments?filename=NAME` with the file's bytes
/// as the body. The type is recognised from the content, not the header.
pub async fn upload_attachment(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
    raw: RawQuery,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let (filename, bytes) = upload_parts(&st, raw, body)?;
    let max = st.config.attachment_max_bytes;
    let meta = st
        .service
        .attach(&who.actor, rt, id, &filename, bytes, max)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(meta).unwrap_or_default()),
    )
        .into_response())
}

/// The file name (`?filename=`) and bytes of an upload, within the limit.
pub(crate) fn upload_parts(
    st: &AppState,
    raw: RawQuery,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(String, Vec<u8>), ApiError> {
    let params: UploadParams =
        serde_urlencoded::from_str(raw.0.as_deref().unwrap_or("")).map_err(|e| {
            ApiError::bad_request(
                "bad_query",
                format!("Tham số truy vấn không hợp lệ: {e}"),
                format!("Invalid query parameters: {e}"),
            )
        })?;
    let Some(filename) = params.filename.filter(|f| !f.trim().is_empty()) else {
        return Err(ApiError::invalid(Invalid::one(
            "filename",
            Problem::Required,
        )));
    };
    let max = st.config.attachment_max_bytes;
    let bytes = body.map_err(|rej| {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            let mib = max / (1024 * 1024);
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("Tệp quá lớn: tối đa {mib} MiB."),
                format!("The file is too large: at most {mib} MiB."),
            )
        } else {
            ApiError::bad_request(
                "unreadable_body",
                "Không đọc được dữ liệu gửi lên.",
                "The request body could not be read.",
            )
        }
    })?;
    Ok((filename, bytes.to_vec()))
}

pub async fn list_attachments(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
) -> Result<Json<Value>, ApiError> {
    let items = st
        .service
        .attachments(&who.actor, rt, parse_id(&id)?)
        .await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

/// A `Content-Disposition` value that keeps a Vietnamese file name (RFC 6266:
/// an ASCII fallback plus the UTF-8 name).
pub fn content_disposition(kind: &str, filename: &str) -> String {
    let fallback: String = ngoaivu_core::fold::fold_vi(filename)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

pub async fn download_attachment(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
    attachment: String,
) -> Result<Response, ApiError> {
    let (meta, bytes) = st
        .service
        .attachment(&who.actor, rt, parse_id(&id)?, parse_id(&attachment)?)
        .await?;
    Ok(file_response(&meta, bytes))
}

/// A stored file as a download: its type, its (Vietnamese) name, not cached.
pub fn file_response(meta: &ngoaivu_store::AttachmentMeta, bytes: Vec<u8>) -> Response {
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    if let Ok(v) = header::HeaderValue::from_str(&meta.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = header::HeaderValue::from_str(&content_disposition("attachment", &meta.filename))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    resp
}

pub async fn delete_attachment(
    st: AppState,
    who: Authed,
    rt: RecordType,
    id: String,
    attachment: String,
) -> Result<StatusCode, ApiError> {
    st.service
        .detach(&who.actor, rt, parse_id(&id)?, parse_id(&attachment)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
