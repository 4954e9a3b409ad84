//! Search across every record type, and the overview page.

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use ngoaivu_core::fold::{fold_vi, search_terms};
use ngoaivu_core::{Lang, RecordType};
use ngoaivu_http::AppState;
use ngoaivu_store::ListQuery;

use crate::kit::error::{OrPage, PageError};
use crate::kit::layout::{self, Page};
use crate::kit::query::{Params, SEARCH_COUNT_CAP};
use crate::kit::records::{Names, record_title};
use crate::kit::session::WebUser;
use crate::kit::text::*;

/// `text` with the words that match a search term (ignoring case and
/// diacritics; a term matches the start of a word) inside `<mark>`.
pub(crate) fn highlight(text: &str, terms: &[String]) -> Markup {
    let mut segs: Vec<(String, bool)> = vec![];
    let mut cur = String::new();
    let mut cur_word = false;
    let flush = |cur: &mut String, word: bool, segs: &mut Vec<(String, bool)>| {
        if cur.is_empty() {
            return;
        }
        let hit = word && {
            let f = fold_vi(cur);
            terms.iter().any(|t| f.starts_with(t.as_str()))
        };
        match segs.last_mut() {
            Some((s, false)) if !hit => s.push_str(cur),
            _ => segs.push((std::mem::take(cur), hit)),
        }
        cur.clear();
    };
    for c in text.chars() {
        let w = c.is_alphanumeric();
        if w != cur_word {
            flush(&mut cur, cur_word, &mut segs);
            cur_word = w;
        }
        cur.push(c);
    }
    flush(&mut cur, cur_word, &mut segs);
    html! {
        @for (s, hit) in &segs {
            @if *hit { mark { (s) } } @else { (s) }
        }
    }
}

pub(crate) async fn search_page(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let lang = u.lang;
    let p = Params::parse(raw.as_deref());
    let q = p.get("q").to_owned();
    let terms = search_terms(&q);
    let names = Names::load(&st).await.or_page(&u)?;
    let too_long = q.chars().count() > 200;
    let mut groups = vec![];
    if !terms.is_empty() && !too_long {
        // One search per record type, independent: they run side by side.
        let queries = RecordType::ALL
            .into_iter()
            .map(|rt| {
                let mut lq = ListQuery::new(rt);
                lq.q = Some(q.clone());
                lq.limit = 10;
                lq.count_cap = Some(SEARCH_COUNT_CAP);
                lq
            })
            .collect();
        let pages = st.service.list_each(&u.actor, queries).await.or_page(&u)?;
        groups.extend(
            RecordType::ALL
                .into_iter()
                .zip(pages)
                .filter(|(_, page)| page.total > 0),
        );
    }
    let enc = serde_urlencoded::to_string([("q", q.as_str())]).unwrap_or_default();
    let total: i64 = groups.iter().map(|(_, p)| p.total).sum();
    let title = t(lang, "Tìm kiếm", "Search");
    let body = html! {
        h1 { (title) }
        form.filters method="get" action="/search" role="search" {
            div.field.wide {
                label for="q" { (field_label("q", lang)) }
                input #q type="search" name="q" value=(q);
            }
            div.actions { button.primary type="submit" { (t(lang, "Tìm", "Search")) } }
        }
        @if too_long {
            div.alert.error role="alert" { (t(lang, "Từ khóa quá dài (tối đa 200 ký tự).", "The search is too long (at most 200 characters).")) }
        } @else if terms.is_empty() {
            p.muted { (t(lang, "Nhập từ khóa, có dấu hoặc không dấu (ví dụ: da nang).", "Type some words, with or without diacritics (e.g. da nang).")) }
        } @else if groups.is_empty() {
            p.count role="status" { (t(lang, "Không tìm thấy kết quả cho", "No results for")) " “" (q) "”." }
        } @else {
            // A capped group makes the sum a lower bound: "hơn …".
            @let capped = groups.iter().any(|(_, p)| p.total >= SEARCH_COUNT_CAP);
            p.count role="status" { (count_text(total, if capped { total } else { i64::MAX }, lang)) }
            @for (rt, page) in &groups {
                section.group aria-labelledby={ "g-" (rt.path()) } {
                    h2 #{ "g-" (rt.path()) } { (rt.label(lang)) " " span.badge { (count_number(page.total, SEARCH_COUNT_CAP, lang)) } }
                    ul.results {
                        @for r in &page.items {
                            li {
                                a href={ "/records/" (rt.path()) "/" (r.id) } { (highlight(&record_title(*rt, &r.data, Some(&names), lang), &terms)) }
                                @if let Some(extra) = secondary(*rt, &r.data, lang) {
                                    " " span.muted { (highlight(&extra, &terms)) }
                                }
                                " " span.muted { "· " (names.org(&r.org_slug)) }
                            }
                        }
                    }
                    @if page.total > page.items.len() as i64 {
                        p { a href={ "/records/" (rt.path()) "?" (enc) } { (t(lang, "Xem tất cả", "See all")) " (" (count_number(page.total, SEARCH_COUNT_CAP, lang)) ")" } }
                    } @else {
                        p { a href={ "/records/" (rt.path()) "?" (enc) } { (t(lang, "Xem trong danh sách", "Open in the list")) } }
                    }
                }
            }
        }
    };
    Ok(layout::page(
        Page {
            lang,
            user: Some(&u),
            title,
            search: &q,
        },
        body,
    )
    .into_response())
}

/// A second line that helps tell results apart.
fn secondary(rt: RecordType, d: &serde_json::Value, lang: Lang) -> Option<String> {
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).filter(|x| !x.is_empty());
    let parts: Vec<String> = match rt {
        RecordType::Partner | RecordType::OverseasContact | RecordType::NgoRegistration => [
            s("kind").map(|k| value_label(k, lang)),
            s("country").map(|c| country_name(c, lang)),
            s("city").map(str::to_owned),
        ]
        .into_iter()
        .flatten()
        .collect(),
        RecordType::Agreement
        | RecordType::Project
        | RecordType::Delegation
        | RecordType::AbtcApproval => [
            s("kind").or(s("direction")).map(|k| value_label(k, lang)),
            s("enterprise").map(str::to_owned),
            s("status").map(|k| value_label(k, lang)),
        ]
        .into_iter()
        .flatten()
        .collect(),
        RecordType::ConferencePermit | RecordType::ConsularCase => [
            s("kind").map(|k| value_label(k, lang)),
            s("status").map(|k| value_label(k, lang)),
        ]
        .into_iter()
        .flatten()
        .collect(),
        RecordType::Plan => [
            s("kind").map(|k| value_label(k, lang)),
            d.get("year")
                .and_then(serde_json::Value::as_i64)
                .map(|y| y.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        RecordType::Event | RecordType::TrainingCourse => [
            s("kind").map(|k| value_label(k, lang)),
            s("place").map(str::to_owned),
        ]
        .into_iter()
        .flatten()
        .collect(),
        RecordType::Observation => vec![crate::kit::records::obs_value(d, lang)],
        RecordType::Publication => [
            s("kind").map(|k| value_label(k, lang)),
            d.get("year")
                .and_then(serde_json::Value::as_i64)
                .map(|y| y.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        RecordType::CatalogProject => [
            s("sector").map(|c| sector_label(c, lang)),
            s("status").map(|k| value_label(k, lang)),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    (!parts.is_empty()).then(|| format!("— {}", parts.join(", ")))
}
