//! The province–mission channel's API: requests and their threads, market
//! notes, follows and the inbox. Thin like `api.rs`: who may see or do what
//! is decided by `Service` and the backends (`Reach` in SQL).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ngoaivu_core::channel::{self, Action, Follows, NoteDraft, Party, RequestDraft, RequestStatus};
use ngoaivu_core::{Invalid, Problem};
use ngoaivu_store::{ChannelItem, NoteFilter, RequestFilter};
use serde_json::{Value, json};

use crate::AppState;
use crate::api::{JsonBody, file_response, only_fields, parse_id, str_field, upload_parts};
use crate::auth::Authed;
use crate::error::ApiError;

/// Query parameters, each known name at most once; others are refused.
fn query_params(raw: Option<&str>, known: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
            ApiError::bad_request(
                "bad_query",
                format!("Tham số truy vấn không hợp lệ: {e}"),
                format!("Invalid query parameters: {e}"),
            )
        })?;
    let mut errs = Invalid::default();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if !known.contains(&k.as_str()) {
            errs.push(k.clone(), Problem::UnknownField);
        } else if pairs[..i].iter().any(|(earlier, _)| earlier == k) {
            // Each filter takes one value: a second one would be ignored
            // without a word.
            errs.push(
                k.clone(),
                Problem::Invalid {
                    vi: "Tham số này chỉ nhận một giá trị.".into(),
                    en: "This parameter takes one value.".into(),
                },
            );
        } else if v.is_empty() {
            errs.push(k.clone(), Problem::Required);
        }
    }
    errs.into_result().map_err(ApiError::invalid)?;
    Ok(pairs)
}

/// A filter's value checked against its closed list.
fn one_of(
    p: &[(String, String)],
    name: &str,
    allowed: &[&str],
    errs: &mut Invalid,
) -> Option<String> {
    let v = param(p, name)?;
    if allowed.contains(&v) {
        Some(v.to_owned())
    } else {
        errs.push(
            name,
            Problem::OneOf {
                allowed: allowed.join(", "),
            },
        );
        None
    }
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn opt_str(obj: &Value, name: &str, errs: &mut Invalid) -> Option<String> {
    match obj.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errs.push(name, Problem::WrongType { expected: "string" });
            None
        }
    }
}

fn str_array(obj: &Value, name: &str, errs: &mut Invalid) -> Vec<String> {
    match obj.get(name) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                Value::String(s) => Some(s.clone()),
                _ => {
                    errs.push(
                        format!("{name}[{i}]"),
                        Problem::WrongType { expected: "string" },
                    );
                    None
                }
            })
            .collect(),
        Some(_) => {
            errs.push(name, Problem::WrongType { expected: "array" });
            Vec::new()
        }
    }
}

fn created(location: String, body: Value) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, v);
    }
    (StatusCode::CREATED, headers, Json(body)).into_response()
}

// ---------------------------------------------------------------- requests

pub async fn list_requests(
    State(st): State<AppState>,
    who: Authed,
    raw: RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = query_params(raw.0.as_deref(), &["status", "unread"])?;
    let mut f = RequestFilter {
        limit: 200,
        ..Default::default()
    };
    let mut errs = Invalid::default();
    if let Some(s) = param(&p, "status") {
        match RequestStatus::parse(s) {
            Some(st) => f.status = Some(st),
            None => errs.push(
                "status",
                Problem::OneOf {
                    allowed: "open, answered, asked_back, closed".into(),
                },
            ),
        }
    }
    match param(&p, "unread") {
        None | Some("false") => {}
        Some("true") => f.unread_only = true,
        Some(_) => errs.push(
            "unread",
            Problem::OneOf {
                allowed: "true, false".into(),
            },
        ),
    }
    errs.into_result().map_err(ApiError::invalid)?;
    let items = st.service.requests(&who.actor, &f).await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

/// `POST /api/v1/requests`: one request per mission named in `missions`.
pub async fn create_request(
    State(st): State<AppState>,
    who: Authed,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let b = body.0;
    let mut errs = Invalid::default();
    only_fields(
        &b,
        &[
            "missions", "subject", "body", "sector", "country", "deadline",
        ],
        &mut errs,
    );
    let draft = RequestDraft {
        missions: str_array(&b, "missions", &mut errs),
        subject: str_field(&b, "subject", &mut errs),
        body: str_field(&b, "body", &mut errs),
        sector: str_field(&b, "sector", &mut errs),
        country: str_field(&b, "country", &mut errs),
        deadline: opt_str(&b, "deadline", &mut errs),
    };
    // Type errors first; the draft's own checks (and the policy) follow.
    errs.into_result().map_err(ApiError::invalid)?;
    let items = st.service.send_request(&who.actor, &draft).await?;
    let first = items.first().map(|r| r.id).unwrap_or_default();
    let total = items.len();
    Ok(created(
        format!("/api/v1/requests/{first}"),
        json!({"items": items, "total": total}),
    ))
}

/// The thread, plus the actions the caller may take now, with the
/// request's version in `ETag` (`If-None-Match` with it answers 304).
pub async fn get_request(
    State(st): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let t = st
        .service
        .request_thread(&who.actor, parse_id(&id)?)
        .await?;
    let etag = t.request.etag();
    let etag_header = header::HeaderValue::from_str(&etag).ok();
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| t.request.is_version(Some(tags)));
    if unchanged {
        let mut resp = StatusCode::NOT_MODIFIED.into_response();
        if let Some(v) = etag_header {
            resp.headers_mut().insert(header::ETAG, v);
        }
        return Ok(resp);
    }
    let party = Party::by_slug(&who.actor, &t.request.from.slug, &t.request.to.slug);
    let actions = channel::available_actions(t.request.status, party, who.actor.role.can_write());
    let mut v = serde_json::to_value(&t.request).unwrap_or_default();
    v["messages"] = serde_json::to_value(&t.messages).unwrap_or_default();
    v["attachments"] = serde_json::to_value(&t.attachments).unwrap_or_default();
    v["actions"] = json!(actions.iter().map(|a| a.as_str()).collect::<Vec<_>>());
    let mut resp = Json(v).into_response();
    if let Some(v) = etag_header {
        resp.headers_mut().insert(header::ETAG, v);
    }
    Ok(resp)
}

/// `POST /api/v1/requests/{id}/messages` `{"action": "answer", "body": "…"}`.
/// With `If-Match` (the request's `ETag`), only if nobody wrote in the
/// thread since it was read: 412 with the request as it is now otherwise.
pub async fn post_message(
    State(st): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let expect = crate::api::if_match(&headers)?;
    let id = parse_id(&id)?;
    let b = body.0;
    let mut errs = Invalid::default();
    only_fields(&b, &["action", "body"], &mut errs);
    let action_text = str_field(&b, "action", &mut errs);
    let action = Action::parse(&action_text);
    if action.is_none() && !action_text.is_empty() {
        errs.push(
            "action",
            Problem::OneOf {
                allowed: "reply, answer, ask_back, close".into(),
            },
        );
    }
    let text = opt_str(&b, "body", &mut errs).unwrap_or_default();
    errs.into_result().map_err(ApiError::invalid)?;
    let Some(action) = action else {
        return Err(ApiError::invalid(Invalid::one("action", Problem::Required)));
    };
    let m = st
        .service
        .post_message(&who.actor, id, action, &text, expect.as_deref())
        .await?;
    Ok(created(
        format!("/api/v1/requests/{id}"),
        serde_json::to_value(m).unwrap_or_default(),
    ))
}

pub async fn request_suggestions(
    State(st): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let items = st.service.suggestions(&who.actor, parse_id(&id)?).await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

/// Suggestions for an investment-catalog project (its sector and the
/// countries it hopes to attract investors from).
pub async fn catalog_suggestions(
    State(st): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let items = st
        .service
        .catalog_suggestions(&who.actor, parse_id(&id)?)
        .await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

pub async fn request_history(
    State(st): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let items = st
        .service
        .channel_history(&who.actor, ChannelItem::Request(parse_id(&id)?))
        .await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

// ------------------------------------------------------------- attachments

fn item(kind: &str, id: i64) -> ChannelItem {
    if kind == "note" {
        ChannelItem::Note(id)
    } else {
        ChannelItem::Request(id)
    }
}

pub async fn list_attachments(
    st: AppState,
    who: Authed,
    kind: &'static str,
    id: String,
) -> Result<Json<Value>, ApiError> {
    let items = st
        .service
        .channel_attachments(&who.actor, item(kind, parse_id(&id)?))
        .await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

pub async fn upload_attachment(
    st: AppState,
    who: Authed,
    kind: &'static str,
    id: String,
    raw: RawQuery,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let (filename, bytes) = upload_parts(&st, raw, body)?;
    let meta = st
        .service
        .attach_channel(
            &who.actor,
            item(kind, id),
            &filename,
            bytes,
            st.config.attachment_max_bytes,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(meta).unwrap_or_default()),
    )
        .into_response())
}

pub async fn download_attachment(
    st: AppState,
    who: Authed,
    kind: &'static str,
    id: String,
    attachment: String,
) -> Result<Response, ApiError> {
    let (meta, bytes) = st
        .service
        .channel_attachment(
            &who.actor,
            item(kind, parse_id(&id)?),
            parse_id(&attachment)?,
        )
        .await?;
    Ok(file_response(&meta, bytes))
}

// ------------------------------------------------------------ market notes

pub async fn list_notes(
    State(st): State<AppState>,
    who: Authed,
    raw: RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = query_params(raw.0.as_deref(), &["sector", "country", "kind", "org"])?;
    let mut errs = Invalid::default();
    let sectors: Vec<&str> = ngoaivu_core::values::SECTORS
        .iter()
        .map(|(c, ..)| *c)
        .collect();
    let kinds: Vec<&str> = ngoaivu_core::channel::NOTE_KINDS
        .iter()
        .map(|(c, ..)| *c)
        .collect();
    let country = param(&p, "country").map(|c| c.to_ascii_uppercase());
    if let Some(c) = &country
        && ngoaivu_core::refdata::refdata().country(c).is_none()
    {
        errs.push("country", Problem::UnknownCountry { value: c.clone() });
    }
    let mut f = NoteFilter {
        sector: one_of(&p, "sector", &sectors, &mut errs),
        country,
        kind: one_of(&p, "kind", &kinds, &mut errs),
        limit: 200,
        ..Default::default()
    };
    errs.into_result().map_err(ApiError::invalid)?;
    if let Some(slug) = param(&p, "org") {
        f.org_id = Some(st.service.org_filter(slug).await?);
    }
    let items = st.service.notes(&who.actor, &f).await?;
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

pub async fn create_note(
    State(st): State<AppState>,
    who: Authed,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let b = body.0;
    let mut errs = Invalid::default();
    only_fields(
        &b,
        &["kind", "title", "body", "sector", "country", "date"],
        &mut errs,
    );
    let draft = NoteDraft {
        kind: str_field(&b, "kind", &mut errs),
        title: str_field(&b, "title", &mut errs),
        body: str_field(&b, "body", &mut errs),
        sector: str_field(&b, "sector", &mut errs),
        country: str_field(&b, "country", &mut errs),
        date: str_field(&b, "date", &mut errs),
    };
    errs.into_result().map_err(ApiError::invalid)?;
    let n = st.service.publish_note(&who.actor, &draft).await?;
    Ok(created(
        format!("/api/v1/market-notes/{}", n.id),
        serde_json::to_value(n).unwrap_or_default(),
    ))
}

pub async fn get_note(
    State(st): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id)?;
    let n = st.service.note(&who.actor, id).await?;
    let files = st
        .service
        .channel_attachments(&who.actor, ChannelItem::Note(id))
        .await?;
    let mut v = serde_json::to_value(n).unwrap_or_default();
    v["attachments"] = serde_json::to_value(files).unwrap_or_default();
    Ok(Json(v))
}

// ------------------------------------------------------- follows and inbox

pub async fn get_follows(State(st): State<AppState>, who: Authed) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        serde_json::to_value(st.service.follows(&who.actor).await?).unwrap_or_default(),
    ))
}

/// `PUT /api/v1/follows` `{"sectors": [...], "countries": [...]}` replaces them.
pub async fn put_follows(
    State(st): State<AppState>,
    who: Authed,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    let b = body.0;
    let mut errs = Invalid::default();
    only_fields(&b, &["sectors", "countries"], &mut errs);
    let f = Follows {
        sectors: str_array(&b, "sectors", &mut errs),
        countries: str_array(&b, "countries", &mut errs)
            .into_iter()
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    };
    errs.into_result().map_err(ApiError::invalid)?;
    Ok(Json(
        serde_json::to_value(st.service.set_follows(&who.actor, f).await?).unwrap_or_default(),
    ))
}

pub async fn inbox(State(st): State<AppState>, who: Authed) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        serde_json::to_value(st.service.inbox(&who.actor).await?).unwrap_or_default(),
    ))
}
