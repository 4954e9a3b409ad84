//! A record type's list: filters, sorting, pages, the count, and the
//! links to export it or import into it (`imports.rs` serves those).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use ngoaivu_core::{Lang, OrgKind, RecordType};
use ngoaivu_http::AppState;
use ngoaivu_store::Record;
use serde_json::Value;

use crate::kit::error::{self, OrPage, PageError};
use crate::kit::forms::{country_options, sector_options};
use crate::kit::layout::{self, Page};
use crate::kit::query::{LIST_COUNT_CAP, PAGE_SIZE, Params, list_query};
use crate::kit::records::{Names, catalog_name, obs_value, record_title, str_field};
use crate::kit::session::{WebUser, is_ministry, may_import};
use crate::kit::text::*;

/// Columns of a list: label key and the sort it toggles.
fn columns(rt: RecordType) -> Vec<(&'static str, Option<&'static str>)> {
    match rt {
        RecordType::Partner => vec![
            ("name", Some("title")),
            ("kind", None),
            ("country", None),
            ("org", None),
        ],
        RecordType::Agreement => vec![
            ("title", Some("title")),
            ("kind", None),
            ("status", None),
            ("signed_on", Some("date")),
            ("valid_until", None),
            ("org", None),
        ],
        RecordType::Delegation => vec![
            ("purpose", Some("title")),
            ("direction", None),
            ("status", None),
            ("start_on", Some("date")),
            ("countries", None),
            ("org", None),
        ],
        RecordType::Project => vec![
            ("name", Some("title")),
            ("kind", None),
            ("status", None),
            ("capital", None),
            ("approved_on", Some("date")),
            ("org", None),
        ],
        RecordType::Event => vec![
            ("title", Some("title")),
            ("kind", None),
            ("start_on", Some("date")),
            ("place", None),
            ("country", None),
            ("org", None),
        ],
        RecordType::AbtcApproval => vec![
            ("person_name", Some("title")),
            ("enterprise", None),
            ("status", None),
            ("decision_on", Some("date")),
            ("economies", None),
            ("org", None),
        ],
        RecordType::OverseasContact => vec![
            ("name", Some("title")),
            ("kind", None),
            ("country", None),
            ("city", None),
            ("org", None),
        ],
        RecordType::CatalogProject => vec![
            ("name", Some("title")),
            ("sector", None),
            ("status", None),
            ("capital", None),
            ("countries_of_interest", None),
            ("org", None),
        ],
        RecordType::Publication => vec![
            ("title", Some("title")),
            ("kind", None),
            ("year", Some("year")),
            ("issues", None),
            ("languages", None),
            ("org", None),
        ],
        RecordType::TrainingCourse => vec![
            ("topic", Some("title")),
            ("kind", None),
            ("start_on", Some("date")),
            ("trainee_count", None),
            ("organiser", None),
            ("org", None),
        ],
        RecordType::NgoRegistration => vec![
            ("name", Some("title")),
            ("kind", None),
            ("number", None),
            ("issued_on", Some("date")),
            ("valid_until", None),
            ("org", None),
        ],
        RecordType::ConferencePermit => vec![
            ("title", Some("title")),
            ("kind", None),
            ("status", None),
            ("start_on", Some("date")),
            ("authority", None),
            ("org", None),
        ],
        RecordType::ConsularCase => vec![
            ("incident", Some("title")),
            ("kind", None),
            ("status", None),
            ("opened_on", Some("date")),
            ("nationality", None),
            ("org", None),
        ],
        RecordType::Plan => vec![
            ("title", Some("title")),
            ("kind", None),
            ("year", Some("year")),
            ("tasks", None),
            ("org", None),
        ],
        RecordType::Observation => vec![
            ("indicator", Some("title")),
            ("locality", None),
            ("period", Some("year")),
            ("value", None),
            ("qualifier", None),
            ("org", None),
        ],
    }
}

fn countries_text(v: &Value, key: &str, lang: Lang) -> String {
    v.get(key)
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str())
                .map(|c| country_name(c, lang))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn cell(rt: RecordType, key: &str, r: &Record, names: &Names, lang: Lang) -> String {
    let d = &r.data;
    match key {
        "org" => names.org(&r.org_slug),
        "kind" | "status" | "direction" | "qualifier" | "authority" => {
            let v = str_field(d, key);
            if v.is_empty() {
                String::new()
            } else {
                value_label(v, lang)
            }
        }
        "country" | "nationality" => {
            let c = str_field(d, key);
            if c.is_empty() {
                String::new()
            } else {
                country_name(c, lang)
            }
        }
        "countries" | "economies" | "countries_of_interest" => countries_text(d, key, lang),
        "name" if rt == RecordType::CatalogProject => catalog_name(d, lang),
        "sector" => sector_label(str_field(d, key), lang),
        "signed_on" | "valid_until" | "start_on" | "approved_on" | "decision_on" | "issued_on"
        | "opened_on" => date(str_field(d, key)),
        "capital" => d.get(key).and_then(|m| money(m, lang)).unwrap_or_default(),
        "locality" => {
            let l = str_field(d, key);
            if l.is_empty() {
                String::new()
            } else {
                locality_name(l, lang)
            }
        }
        "period" => d.get("period").map(|p| period(p, lang)).unwrap_or_default(),
        "languages" => d
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|c| language_name(c, lang))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        // A year is not a quantity: no thousands point.
        "year" => d
            .get(key)
            .and_then(Value::as_i64)
            .map(|y| y.to_string())
            .unwrap_or_default(),
        "issues" | "trainee_count" | "print_run" => d
            .get(key)
            .and_then(Value::as_u64)
            .map(|n| ngoaivu_core::numfmt::format_number(n.into(), 0, lang))
            .unwrap_or_default(),
        "value" => obs_value(d, lang),
        // A plan's progress: tasks done of those not dropped.
        "tasks" => serde_json::from_value::<ngoaivu_core::records::Plan>(d.clone())
            .ok()
            .map(|p| {
                let pr = p.progress(ngoaivu_store::service::today_in_vietnam());
                match pr.percent() {
                    Some(pc) => format!("{}/{} ({pc}%)", pr.done, pr.total),
                    None => String::new(),
                }
            })
            .unwrap_or_default(),
        "indicator" => names.indicator(str_field(d, "indicator"), lang),
        _ if rt == RecordType::Observation => String::new(),
        k => str_field(d, k).to_owned(),
    }
}

fn select(id: &str, lang: Lang, current: &str, options: &[(String, String)]) -> Markup {
    html! {
        div.field {
            label for=(id) { (field_label(id, lang)) }
            select #(id) name=(id) {
                option value="" { (t(lang, "— Tất cả —", "— All —")) }
                @for (v, l) in options {
                    option value=(v) selected[v == current] { (l) }
                }
            }
        }
    }
}

fn filter_form(u: &WebUser, rt: RecordType, p: &Params, names: &Names) -> Markup {
    let lang = u.lang;
    let kinds: Vec<(String, String)> = rt
        .kinds()
        .into_iter()
        .map(|k| {
            let label = if rt == RecordType::Observation {
                names.indicator(k, lang)
            } else {
                value_label(k, lang)
            };
            (k.to_owned(), label)
        })
        .collect();
    let statuses: Vec<(String, String)> = rt
        .statuses()
        .iter()
        .map(|s| ((*s).to_owned(), value_label(s, lang)))
        .collect();
    let kind_label_key = if rt == RecordType::Delegation {
        "direction"
    } else if rt == RecordType::Observation {
        "indicator"
    } else {
        "kind"
    };
    html! {
        form.filters method="get" action={ "/records/" (rt.path()) } {
            div.field.wide {
                label for="q" { (field_label("q", lang)) }
                input #q type="search" name="q" value=(p.get("q"));
            }
            div.field.narrow {
                label for="year" { (field_label("year", lang)) }
                input #year type="number" name="year" min="1900" max="2100" inputmode="numeric" value=(p.get("year"));
            }
            @if !statuses.is_empty() { (select("status", lang, p.get("status"), &statuses)) }
            @if !kinds.is_empty() {
                div.field {
                    label for="kind" { (field_label(kind_label_key, lang)) }
                    select #kind name="kind" {
                        option value="" { (t(lang, "— Tất cả —", "— All —")) }
                        @for (v, l) in &kinds { option value=(v) selected[v == p.get("kind")] { (l) } }
                    }
                }
            }
            @if rt.has_country() { (select("country", lang, &p.get("country").to_ascii_uppercase(), &country_options(lang))) }
            @if rt.has_sector() { (select("sector", lang, p.get("sector"), &sector_options(lang))) }
            @if is_ministry(u) { (select("org", lang, p.get("org"), &names.provinces)) }
            @if !p.get("sort").is_empty() { input type="hidden" name="sort" value=(p.get("sort")); }
            div.actions {
                button.primary type="submit" { (t(lang, "Lọc", "Filter")) }
                a.button href={ "/records/" (rt.path()) } { (t(lang, "Bỏ lọc", "Clear")) }
            }
        }
    }
}

pub(crate) async fn list_page(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let lang = u.lang;
    let Some(rt) = RecordType::from_path(&ty) else {
        return Err(error::not_found(lang, Some(&u)).into());
    };
    let p = Params::parse(raw.as_deref());
    let names = Names::load(&st).await.or_page(&u)?;
    let (q, errs) = list_query(&st, rt, &p).await;
    let page = if errs.is_empty() {
        Some(st.service.list(&u.actor, &q).await.or_page(&u)?)
    } else {
        None
    };
    let cols = columns(rt);
    let cols: Vec<_> = cols
        .into_iter()
        .filter(|(k, _)| *k != "org" || is_ministry(&u))
        .collect();
    let current_sort = p.get("sort");
    let base = format!("/records/{}", rt.path());
    let title = rt.label(lang);
    let can_create = u.actor.role.can_write() && u.actor.org_kind != OrgKind::Mission;
    let body = html! {
        div.heading {
            h1 { (title) }
            @if can_create {
                a.button.primary href={ (base) "/new" } { (t(lang, "Thêm mới", "Add new")) }
            }
        }
        (filter_form(&u, rt, &p, &names))
        (list_links(&u, rt, &p.with(&[("page", "")])))
        @if !errs.is_empty() {
            div.alert.error role="alert" {
                p { (t(lang, "Bộ lọc không hợp lệ:", "Invalid filter:")) }
                ul { @for e in &errs { li { strong { (field_label(&e.field, lang)) } ": " (e.message(lang)) } } }
            }
        }
        @if let Some(page) = &page {
            p.count role="status" { (count_text(page.total, LIST_COUNT_CAP, lang)) }
            @if page.items.is_empty() {
                p.empty { (t(lang, "Không có bản ghi nào phù hợp.", "No matching records.")) }
            } @else {
                div.table-wrap tabindex="0" role="region" aria-label=(title) {
                    table.list {
                        thead { tr {
                            @for (key, sort) in &cols {
                                @let label = if *key == "name" && rt == RecordType::Partner { field_label("name", lang) } else { field_label(key, lang) };
                                @match sort {
                                    Some(sk) => {
                                        @let (next, aria) = if current_sort == *sk { (format!("-{sk}"), "ascending") } else if current_sort == format!("-{sk}") { ((*sk).to_owned(), "descending") } else { ((*sk).to_owned(), "none") };
                                        th scope="col" aria-sort=(aria) {
                                            a href={ (base) "?" (p.with(&[("sort", &next), ("page", "")])) } {
                                                (label)
                                                @if aria == "ascending" { " ▲" } @else if aria == "descending" { " ▼" }
                                            }
                                        }
                                    }
                                    None => { th scope="col" { (label) } }
                                }
                            }
                        } }
                        tbody {
                            @for r in &page.items {
                                tr {
                                    @for (i, (key, _)) in cols.iter().enumerate() {
                                        @if i == 0 {
                                            @let name = if rt == RecordType::Observation { names.indicator(str_field(&r.data, "indicator"), lang) } else { record_title(rt, &r.data, Some(&names), lang) };
                                            td { a href={ (base) "/" (r.id) } { (name) } }
                                        } @else if *key == "value" || *key == "capital" {
                                            td.num { (cell(rt, key, r, &names, lang)) }
                                        } @else {
                                            td { (cell(rt, key, r, &names, lang)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                (pager(&base, &p, q.offset / PAGE_SIZE + 1, page.total, lang))
            }
        }
    };
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        layout::page(
            Page {
                lang,
                user: Some(&u),
                title,
                search: "",
            },
            body,
        ),
    )
        .into_response())
}

fn pager(base: &str, p: &Params, page: i64, total: i64, lang: Lang) -> Markup {
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if pages <= 1 {
        return html! {};
    }
    let href = |n: i64| {
        format!(
            "{base}?{}",
            p.with(&[("page", &if n == 1 { String::new() } else { n.to_string() })])
        )
    };
    html! {
        nav.pager aria-label=(t(lang, "Phân trang", "Pages")) {
            @if page > 1 { a rel="prev" href=(href(page - 1)) { "← " (t(lang, "Trang trước", "Previous")) } }
            span { (t(lang, "Trang", "Page")) " " (number(page.into(), lang)) " / " (number(pages.into(), lang)) }
            @if page < pages { a rel="next" href=(href(page + 1)) { (t(lang, "Trang sau", "Next")) " →" } }
        }
    }
}

/// The export and import links of a list page.
pub(crate) fn list_links(u: &WebUser, rt: RecordType, query: &str) -> Markup {
    let lang = u.lang;
    let base = format!("/records/{}", rt.path());
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    html! {
        p.transfer {
            a href={ (base) "/export.xlsx" (q) } download { (t(lang, "Tải về Excel", "Download Excel")) }
            " · "
            a href={ (base) "/export.csv" (q) } download { "CSV" }
            @if rt == RecordType::Project {
                " · "
                a href="/records/projects/iati.xml" download { (t(lang, "IATI (viện trợ)", "IATI (aid)")) }
            }
            @if may_import(u) {
                " · "
                a href={ (base) "/import" } { (t(lang, "Nhập từ tệp Excel", "Import from a spreadsheet")) }
            }
        }
    }
}
