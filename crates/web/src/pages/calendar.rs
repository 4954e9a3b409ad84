//! The calendar feed: an organisation's delegations and events as an
//! iCalendar file at `/calendar/{token}.ics`, for Outlook, Google Calendar
//! or a phone to subscribe to. The token is the only key (calendar clients
//! cannot sign in), so it is 256 random bits, only its SHA-256 is stored,
//! and an editor or admin can replace it from `/account` (audited), which
//! makes the old address answer 404 like any wrong one.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ngoaivu_core::RecordType;
use ngoaivu_core::ical::{CalEvent, calendar};
use ngoaivu_core::values::parse_date;
use ngoaivu_http::AppState;
use ngoaivu_store::{Record, StoreError};
use serde_json::Value;

use crate::kit::error;
use crate::kit::session::WebLang;
use crate::kit::text::*;

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k)
        .and_then(Value::as_str)
        .filter(|x| !x.trim().is_empty())
}

fn countries(v: &Value, key: &str) -> Option<String> {
    let names: Vec<String> = v
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|c| country_name(c, ngoaivu_core::Lang::Vi))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// A delegation or event as a calendar entry, in Vietnamese; `None` when
/// it has no valid start date.
pub(crate) fn entry(rec: &Record, org_slug: &str) -> Option<CalEvent> {
    let vi = ngoaivu_core::Lang::Vi;
    let d = &rec.data;
    let start = parse_date(s(d, "start_on")?)?;
    let last_day = s(d, "end_on").and_then(parse_date).unwrap_or(start);
    let mut lines: Vec<String> = vec![];
    let (summary, location, cancelled) = match rec.rt {
        RecordType::Delegation => {
            let dir = match s(d, "direction") {
                Some("inbound") => "Đoàn vào",
                _ => "Đoàn ra",
            };
            if let Some(l) = d.get("leader") {
                let name = s(l, "name").unwrap_or_default();
                match s(l, "position") {
                    Some(p) => lines.push(format!("Trưởng đoàn: {name}, {p}")),
                    None => lines.push(format!("Trưởng đoàn: {name}")),
                }
            }
            if let Some(n) = d.get("member_count").and_then(Value::as_i64) {
                lines.push(format!("Số thành viên: {n}"));
            }
            if let Some(st) = s(d, "status") {
                lines.push(format!("Trạng thái: {}", value_label(st, vi)));
            }
            (
                format!("{dir}: {}", s(d, "purpose").unwrap_or_default()),
                countries(d, "countries"),
                s(d, "status") == Some("cancelled"),
            )
        }
        _ => {
            if let Some(k) = s(d, "kind") {
                lines.push(format!("Loại: {}", value_label(k, vi)));
            }
            if let Some(n) = d.get("participants").and_then(Value::as_i64) {
                lines.push(format!("Số người tham dự: {n}"));
            }
            let place = [
                s(d, "place").map(str::to_owned),
                s(d, "country").map(|c| country_name(c, vi)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            (
                s(d, "title").unwrap_or_default().to_owned(),
                (!place.is_empty()).then_some(place),
                false,
            )
        }
    };
    Some(CalEvent {
        uid: format!("{}-{}@{org_slug}.ngoaivu", rec.rt.code(), rec.id),
        summary,
        description: (!lines.is_empty()).then(|| lines.join("\n")),
        location,
        start,
        last_day,
        changed_at: rec.updated_at,
        cancelled,
    })
}

/// `GET /calendar/{token}.ics`
pub(crate) async fn feed(
    State(st): State<AppState>,
    WebLang(lang): WebLang,
    Path(file): Path<String>,
) -> Response {
    // Whatever is wrong (no `.ics`, unknown or replaced token) answers the
    // same 404 as a page that does not exist.
    let Some(token) = file.strip_suffix(".ics").filter(|t| !t.is_empty()) else {
        return error::not_found(lang, None);
    };
    let (org, records) = match st.service.calendar_feed(token).await {
        Ok(x) => x,
        Err(StoreError::NotFound) => return error::not_found(lang, None),
        Err(e) => return error::internal(lang, e),
    };
    let events: Vec<CalEvent> = records.iter().filter_map(|r| entry(r, &org.slug)).collect();
    let name = format!(
        "Lịch đối ngoại — {}",
        org.office_name.as_deref().unwrap_or(&org.name)
    );
    let mut resp = calendar(&name, &events).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&ngoaivu_http::api::content_disposition(
        "inline",
        &format!("ngoaivu-{}.ics", org.slug),
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // The address is a secret: no shared cache may keep the answer.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    resp
}
