//! Dashboards: a province's year against the year before, with charts and
//! what is coming; the Ministry's view across provinces with a table, a
//! ranking and a drill-down to one province (`/?org=vinh-long`). Figures
//! come from `ngoaivu_stats` through the state's cache; charts are the SVG
//! of `ngoaivu_document::chart`, each with its numbers as a table.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use ngoaivu_core::numfmt::{format_amount, format_number};
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::{Lang, OrgKind, RecordType};
use ngoaivu_document::Chart;
use ngoaivu_http::AppState;
use ngoaivu_report::charts;
use ngoaivu_stats::figures::units_of;
use ngoaivu_stats::{Figures, PeriodKey, Request, change_pct};
use ngoaivu_store::service::today_in_vietnam;
use ngoaivu_store::{ListQuery, SortKey};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::kit::error;
use crate::kit::layout;
use crate::kit::session::WebUser;
use crate::kit::text::{date, number, t};

/// The key figures: indicator, unit of measure, stock or flow, label.
const KEY_FIGURES: &[(&str, &str, bool, &str, &str)] = &[
    (
        "agreements.signed",
        "count",
        false,
        "Thỏa thuận quốc tế ký mới",
        "New international agreements",
    ),
    (
        "delegations.outbound",
        "count",
        false,
        "Đoàn ra",
        "Delegations sent abroad",
    ),
    (
        "delegations.inbound",
        "count",
        false,
        "Đoàn vào",
        "Delegations received",
    ),
    (
        "fdi.projects",
        "count",
        false,
        "Dự án FDI mới",
        "New FDI projects",
    ),
    (
        "fdi.capital.registered",
        "USD",
        false,
        "Vốn FDI đăng ký mới",
        "New FDI capital registered",
    ),
    ("oda.capital", "USD", false, "Vốn ODA", "ODA"),
    (
        "ngo_aid.amount",
        "USD",
        false,
        "Viện trợ phi chính phủ nước ngoài",
        "Foreign NGO aid",
    ),
    (
        "trade.export",
        "USD",
        false,
        "Kim ngạch xuất khẩu",
        "Export turnover",
    ),
];

/// How many years the dashboard's figures reach back.
const HISTORY: i32 = 15;

/// The latest year (not after this one) with any yearly figure.
fn latest_year(figs: &Figures, units: Option<&[String]>) -> Option<i32> {
    let now = today_in_vietnam().year();
    figs.cells
        .iter()
        .filter(|(k, _)| {
            units.is_none_or(|u| u.contains(&k.locality)) && !k.indicator.starts_with("events.")
        })
        .filter_map(|(k, _)| match k.period {
            PeriodKey::Year(y) | PeriodKey::AsOf(y) if y <= now => Some(y),
            _ => None,
        })
        .max()
}

struct KeyFigure {
    label: String,
    unit: String,
    cur: Option<Decimal>,
    prev: Option<Decimal>,
    change: Option<Decimal>,
    /// The change is the one the source stated (no figure for the year before).
    stated: bool,
    differs: bool,
    /// "hơn", "khoảng" … when the reported figure said so.
    qualifier: Option<&'static str>,
}

fn qualifier_word(v: &ngoaivu_stats::Value, lang: Lang) -> Option<&'static str> {
    v.reported?;
    match v.qualifier.as_str() {
        "over" => Some(lang.pick("hơn", "over")),
        "under" => Some(lang.pick("dưới", "under")),
        "about" => Some(lang.pick("khoảng", "about")),
        _ => None,
    }
}

fn key_figures(figs: &Figures, units: &[String], y: i32, lang: Lang) -> Vec<KeyFigure> {
    KEY_FIGURES
        .iter()
        .map(|(code, unit, stock, vi, en)| {
            let period = |y| {
                if *stock {
                    PeriodKey::AsOf(y)
                } else {
                    PeriodKey::Year(y)
                }
            };
            let cur = figs.value(code, units, period(y), unit);
            let prev = figs.value(code, units, period(y - 1), unit);
            let (change, stated) = match (cur.best(), prev.best()) {
                (Some(c), Some(p)) => (change_pct(c, p), false),
                _ => (cur.change_pct, cur.change_pct.is_some()),
            };
            KeyFigure {
                label: lang.pick(vi, en).to_owned(),
                unit: (*unit).to_owned(),
                cur: cur.best(),
                prev: prev.best(),
                change,
                stated,
                differs: cur.differs(),
                qualifier: qualifier_word(&cur, lang),
            }
        })
        .collect()
}

/// The year's other figures: every indicator outside the key ones with a
/// value for the year (flows) or at its end (stocks), in vocabulary order.
fn other_figures(figs: &Figures, units: &[String], y: i32, lang: Lang) -> Vec<KeyFigure> {
    let mut out = vec![];
    for ind in &refdata().indicators {
        for (period, prev, stock) in [
            (PeriodKey::Year(y), PeriodKey::Year(y - 1), false),
            (PeriodKey::AsOf(y), PeriodKey::AsOf(y - 1), true),
        ] {
            if !stock && KEY_FIGURES.iter().any(|k| k.0 == ind.code) {
                continue;
            }
            for unit in figs.units_of_measure(&ind.code) {
                let cur = figs.value(&ind.code, units, period, &unit);
                let Some(v) = cur.best() else { continue };
                let before = figs.value(&ind.code, units, prev, &unit);
                let (change, stated) = match before.best() {
                    Some(p) => (change_pct(v, p), false),
                    None => (cur.change_pct, cur.change_pct.is_some()),
                };
                let name = lang.pick(&ind.name_vi, &ind.name_en);
                out.push(KeyFigure {
                    label: if stock {
                        format!("{name} ({})", lang.pick("lũy kế", "cumulative"))
                    } else {
                        name.to_owned()
                    },
                    unit,
                    cur: Some(v),
                    prev: before.best(),
                    change,
                    stated,
                    differs: cur.differs(),
                    qualifier: qualifier_word(&cur, lang),
                });
            }
        }
    }
    out
}

fn amount(v: Decimal, unit: &str, lang: Lang) -> String {
    match unit {
        "count" | "people" => format_number(v, 0, lang),
        _ => format_amount(v, unit, lang),
    }
}

fn key_cards(items: &[KeyFigure], y: i32, lang: Lang) -> Markup {
    html! {
        ul.kpis {
            @for k in items {
                li.kpi.empty[k.cur.is_none()] {
                    span.l { (k.label) }
                    span.v {
                        @if let Some(v) = k.cur {
                            @if let Some(q) = k.qualifier { span.q { (q) " " } }
                            (amount(v, &k.unit, lang))
                        } @else { "—" }
                    }
                    @if let Some(c) = k.change {
                        @let up = c.is_sign_positive() && !c.is_zero();
                        @let down = c.is_sign_negative() && !c.is_zero();
                        span.change.up[up].down[down] {
                            (if up { "▲ +" } else if down { "▼ " } else { "" })
                            (format_number(c, 2, lang)) "%"
                            " " (t(lang, "so với", "on")) " " (y - 1)
                            @if k.stated { " " span.muted { (t(lang, "(theo báo cáo)", "(as reported)")) } }
                        }
                    } @else if let Some(p) = k.prev {
                        span.change { (y - 1) ": " (amount(p, &k.unit, lang)) }
                    } @else {
                        span.change.muted { (t(lang, "chưa có số liệu năm trước", "no figure for the year before")) }
                    }
                    @if k.differs {
                        span.flag { (t(lang, "Báo cáo và hồ sơ chênh lệch", "Reported and recorded differ")) }
                    }
                }
            }
        }
    }
}

/// A chart and, under it, its numbers.
pub(crate) fn chart_figure(c: &Chart, lang: Lang) -> Markup {
    let table = c.as_table(lang);
    html! {
        figure.chart {
            (PreEscaped(c.to_svg(lang, 560, "system-ui, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif")))
            details {
                summary { (t(lang, "Xem số liệu dạng bảng", "Show the numbers as a table")) }
                table.data {
                    caption.sr { (c.title) }
                    thead { tr { @for col in &table.columns { th scope="col" .num[col.numeric] { (col.label) } } } }
                    tbody {
                        @for r in &table.rows {
                            tr { @for (i, cell) in r.cells.iter().enumerate() {
                                @if i == 0 { th scope="row" { (cell.display(lang)) } }
                                @else { td.num { (cell.display(lang)) } }
                            } }
                        }
                    }
                }
            }
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub(crate) struct DashQuery {
    org: Option<String>,
    year: Option<String>,
}

fn year_form(lang: Lang, org: Option<&str>, years: &[i32], y: i32) -> Markup {
    html! {
        form.filters.yearpick method="get" action="/" {
            @if let Some(o) = org { input type="hidden" name="org" value=(o); }
            div.field {
                label for="dash-year" { (t(lang, "Năm", "Year")) }
                select #dash-year name="year" {
                    @for yy in years.iter().rev() {
                        option value=(yy) selected[*yy == y] { (yy) }
                    }
                }
            }
            div.actions { button type="submit" { (t(lang, "Xem", "Show")) } }
        }
    }
}

fn parse_year(q: &DashQuery) -> Option<i32> {
    q.year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (1990..=2100).contains(y))
}

pub(crate) async fn home(
    State(st): State<AppState>,
    u: WebUser,
    Query(q): Query<DashQuery>,
) -> Response {
    match (u.actor.org_kind, q.org.as_deref().filter(|s| !s.is_empty())) {
        (OrgKind::Ministry, None) => national(st, u, q).await,
        (OrgKind::Ministry, Some(slug)) => {
            let slug = slug.to_owned();
            province(st, u, q, &slug).await
        }
        (OrgKind::Province, _) => {
            let slug = u.org.slug.clone();
            province(st, u, q, &slug).await
        }
        (OrgKind::Mission, _) => mission(st, u).await,
    }
}

async fn counts(
    st: &AppState,
    u: &WebUser,
) -> Result<Vec<(RecordType, i64)>, ngoaivu_store::StoreError> {
    // Independent counts: side by side.
    let queries = RecordType::ALL
        .into_iter()
        .map(|rt| {
            let mut lq = ListQuery::new(rt);
            // The totals only: no record is read (a consular case read
            // here would be audited as a read nobody made).
            lq.limit = 0;
            lq
        })
        .collect();
    let pages = st.service.list_each(&u.actor, queries).await?;
    Ok(RecordType::ALL
        .into_iter()
        .zip(pages.iter().map(|p| p.total))
        .collect())
}

fn count_cards(cards: &[(RecordType, i64)], lang: Lang) -> Markup {
    html! {
        h2 { (t(lang, "Hồ sơ theo loại", "Records by type")) }
        ul.cards {
            @for (rt, n) in cards {
                li { a.card href={ "/records/" (rt.path()) } {
                    span.n { (number((*n).into(), lang)) }
                    span.l { (rt.label(lang)) }
                } }
            }
        }
    }
}

fn render(u: &WebUser, title: &str, body: Markup) -> Response {
    layout::respond(u, title, StatusCode::OK, body)
}

/// A mission keeps no provincial records (its counts would all be zero):
/// its overview is the channel's inbox, what provinces asked of it.
async fn mission(_st: AppState, _u: WebUser) -> Response {
    axum::response::Redirect::to("/inbox").into_response()
}

async fn province(st: AppState, u: WebUser, q: DashQuery, slug: &str) -> Response {
    let lang = u.lang;
    let Ok(Some(org)) = st.service.org_by_slug(slug).await else {
        return error::not_found(lang, Some(&u));
    };
    if org.kind != OrgKind::Province || !u.actor.read_scope().allows(org.id) {
        return error::not_found(lang, Some(&u));
    }
    let now = today_in_vietnam().year();
    let req = Request {
        org_id: Some(org.id),
        from: now - HISTORY,
        to: now,
        sequential: false,
    };
    let figs = match st.figures.get(&st.service, &u.actor, &req).await {
        Ok(f) => f,
        Err(e) => return error::store_error(&u, e),
    };
    let units = units_of(&org.slug);
    let y = parse_year(&q)
        .or_else(|| latest_year(&figs, Some(&units)))
        .unwrap_or(now)
        .clamp(now - HISTORY + 1, now);
    let years: Vec<i32> = (now - HISTORY + 1..=now).collect();
    let kpis = key_figures(&figs, &units, y, lang);
    let others = other_figures(&figs, &units, y, lang);
    let chart_list: Vec<Chart> = [
        charts::delegations_by_year(&figs, &units, y - 4, y, lang),
        charts::fdi_by_country(&figs, &units, y - 4, y, lang),
        charts::agreements_by_country(&figs, &units, y - 4, y, lang),
        charts::exports_by_year(&figs, &units, y - 4, y, lang),
    ]
    .into_iter()
    .flatten()
    .collect();

    // What is coming: delegations within 30 days, agreements ending within 90.
    let today = today_in_vietnam();
    let iso = |d: time::Date| d.to_string();
    let mut dq = ListQuery::new(RecordType::Delegation);
    dq.org_id = Some(org.id);
    dq.date_from = Some(iso(today));
    dq.date_to = Some(iso(today + time::Duration::days(30)));
    dq.sort = SortKey::Date;
    dq.descending = false;
    dq.limit = 10;
    let mut aq = ListQuery::new(RecordType::Agreement);
    aq.org_id = Some(org.id);
    aq.end_from = Some(iso(today));
    aq.end_to = Some(iso(today + time::Duration::days(90)));
    aq.limit = 10;
    let (coming, expiring) = match (
        st.service.list(&u.actor, &dq).await,
        st.service.list(&u.actor, &aq).await,
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return error::store_error(&u, e),
    };
    let cards = if u.actor.org_kind == OrgKind::Province {
        match counts(&st, &u).await {
            Ok(c) => Some(c),
            Err(e) => return error::store_error(&u, e),
        }
    } else {
        None
    };
    let drill = u.actor.org_kind == OrgKind::Ministry;
    let title = t(lang, "Tổng quan", "Overview");
    let body = html! {
        div.heading {
            h1 { (title) " · " (org.name) }
            @if drill { a.button href={ "/?year=" (y) } { (t(lang, "← Toàn quốc", "← Nationwide")) } }
        }
        @if let Some(o) = &org.office_name {
            // The office's own name is a proper noun (configurable per
            // province); in English the line says what it is.
            p.muted { @if lang == Lang::En { "Foreign-affairs office: " } (o) " · " (org.name) }
        }
        p.muted {
            (t(lang, "Năm", "Year")) " " (y) " " (t(lang, "so với năm", "against")) " " (y - 1)
            @if units.len() > 1 && y < 2025 {
                " · " (t(lang, "gồm số liệu của", "including")) " "
                (units[1..].iter().map(|s| refdata().unit(s).map(|u| u.short_name.clone()).unwrap_or_default()).collect::<Vec<_>>().join(", "))
            }
        }
        (year_form(lang, drill.then_some(org.slug.as_str()), &years, y))
        h2 { (t(lang, "Chỉ tiêu chính năm", "Key figures")) " " (y) }
        (key_cards(&kpis, y, lang))
        @if !others.is_empty() {
            h2 { (t(lang, "Các số liệu khác năm", "Other figures")) " " (y) }
            (key_cards(&others, y, lang))
        }
        @if !chart_list.is_empty() {
            h2 { (t(lang, "Biểu đồ", "Charts")) }
            div.charts { @for c in &chart_list { (chart_figure(c, lang)) } }
        }
        div.coming {
            section {
                h2 { (t(lang, "Đoàn trong 30 ngày tới", "Delegations in the next 30 days")) }
                @if coming.items.is_empty() { p.muted { (t(lang, "Không có đoàn nào.", "None.")) } }
                ul.upcoming { @for r in &coming.items {
                    li {
                        span.when { (r.data.get("start_on").and_then(|v| v.as_str()).map(date).unwrap_or_default()) }
                        a href={ "/records/delegations/" (r.id) } { (r.data.get("purpose").and_then(|v| v.as_str()).unwrap_or("")) }
                    }
                } }
            }
            section {
                h2 { (t(lang, "Thỏa thuận hết hạn trong 90 ngày", "Agreements expiring within 90 days")) }
                @if expiring.items.is_empty() { p.muted { (t(lang, "Không có thỏa thuận nào.", "None.")) } }
                ul.upcoming { @for r in &expiring.items {
                    li {
                        span.when { (r.data.get("valid_until").and_then(|v| v.as_str()).map(date).unwrap_or_default()) }
                        a href={ "/records/agreements/" (r.id) } { (r.data.get("title").and_then(|v| v.as_str()).unwrap_or("")) }
                    }
                } }
            }
        }
        p { a.button href={ "/reports?kind=annual&org=" (org.slug) "&year=" (y) } { (t(lang, "Lập báo cáo năm", "Make the annual report")) " " (y) } }
        @if let Some(c) = &cards { (count_cards(c, lang)) }
    };
    render(&u, title, body)
}

/// The columns of the Ministry's table of provinces.
const PROVINCE_COLUMNS: &[(&str, &str, &str, &str)] = &[
    ("agreements.signed", "count", "Thỏa thuận", "Agreements"),
    ("delegations.outbound", "count", "Đoàn ra", "Sent"),
    ("delegations.inbound", "count", "Đoàn vào", "Received"),
    ("fdi.projects", "count", "Dự án FDI", "FDI projects"),
    (
        "fdi.capital.registered",
        "USD",
        "Vốn FDI (triệu USD)",
        "FDI (million USD)",
    ),
    (
        "trade.export",
        "USD",
        "Xuất khẩu (triệu USD)",
        "Exports (million USD)",
    ),
];

async fn national(st: AppState, u: WebUser, q: DashQuery) -> Response {
    let lang = u.lang;
    let now = today_in_vietnam().year();
    // The year first: the latest with figures among the last years.
    let y = match parse_year(&q) {
        Some(y) => y,
        None => {
            let req = Request {
                org_id: None,
                from: now - HISTORY,
                to: now,
                sequential: false,
            };
            match st.figures.get(&st.service, &u.actor, &req).await {
                Ok(f) => latest_year(&f, None).unwrap_or(now),
                Err(e) => return error::store_error(&u, e),
            }
        }
    };
    let y = y.clamp(now - HISTORY + 1, now);
    let req = Request {
        org_id: None,
        from: y - 4,
        to: y,
        sequential: false,
    };
    let figs = match st.figures.get(&st.service, &u.actor, &req).await {
        Ok(f) => f,
        Err(e) => return error::store_error(&u, e),
    };
    let all: Vec<String> = figs
        .units_seen
        .iter()
        .filter(|s| *s != "viet-nam")
        .cloned()
        .collect();
    let kpis = key_figures(&figs, &all, y, lang);
    let provinces: Vec<_> = {
        let mut v: Vec<_> = refdata().current_units().collect();
        v.sort_by_key(|u| ngoaivu_core::fold::vi_sort_key(&u.short_name));
        v
    };
    let mut rows: Vec<(&str, &str, Vec<Option<Decimal>>)> = vec![];
    let mut ranking = vec![];
    let mut members: HashMap<&str, Vec<String>> = HashMap::new();
    for p in &provinces {
        members.insert(p.slug.as_str(), units_of(&p.slug));
    }
    for p in &provinces {
        let m = &members[p.slug.as_str()];
        let vals: Vec<Option<Decimal>> = PROVINCE_COLUMNS
            .iter()
            .map(|(code, unit, _, _)| figs.value(code, m, PeriodKey::Year(y), unit).best())
            .collect();
        ranking.push((
            p.short_name.clone(),
            vals[4].and_then(|v| v.to_f64()).unwrap_or(0.0) / 1e6,
        ));
        rows.push((p.slug.as_str(), p.short_name.as_str(), vals));
    }
    let with_figures = rows
        .iter()
        .filter(|r| r.2.iter().any(Option::is_some))
        .count();
    let totals: Vec<Option<Decimal>> = (0..PROVINCE_COLUMNS.len())
        .map(|i| rows.iter().filter_map(|r| r.2[i]).reduce(|a, b| a + b))
        .collect();
    let mut chart_list: Vec<Chart> = vec![];
    if let Some(c) = ngoaivu_report::charts::ranked_chart(
        ranking,
        format!(
            "{} {y}",
            t(
                lang,
                "Xếp hạng địa phương theo vốn FDI đăng ký năm",
                "Provinces ranked by FDI registered capital,"
            )
        ),
        t(lang, "triệu USD", "million USD"),
        2,
        "",
        t(lang, "Vốn FDI đăng ký", "FDI registered capital"),
    ) {
        chart_list.push(c);
    }
    if let Some(c) = charts::delegations_by_year(&figs, &all, y - 4, y, lang) {
        chart_list.push(c);
    }
    let title = t(lang, "Tổng quan toàn quốc", "Nationwide overview");
    let years: Vec<i32> = (now - HISTORY + 1..=now).collect();
    let reported = reported_figures(&st, &u).await;
    let body = html! {
        div.heading { h1 { (title) } }
        p.muted {
            (u.org.name) " · " (t(lang, "Năm", "Year")) " " (y) " · "
            (with_figures) "/34 " (t(lang, "tỉnh, thành có số liệu", "provinces with figures"))
        }
        (year_form(lang, None, &years, y))
        h2 { (t(lang, "Chỉ tiêu chính của các địa phương năm", "Key figures of the provinces")) " " (y) }
        (key_cards(&kpis, y, lang))
        div.charts { @for c in &chart_list { (chart_figure(c, lang)) } }
        h2 #provinces { (t(lang, "Số liệu theo tỉnh, thành phố", "Figures by province")) }
        div.table-wrap {
            table.data.provinces {
                caption.sr { (t(lang, "Số liệu theo tỉnh, thành phố năm", "Figures by province,")) " " (y) }
                thead { tr {
                    th scope="col" { (t(lang, "Tỉnh, thành phố", "Province")) }
                    @for (_, _, vi, en) in PROVINCE_COLUMNS { th.num scope="col" { (lang.pick(vi, en)) } }
                } }
                tfoot {
                    tr.total {
                        th scope="row" { (t(lang, "Tổng cộng", "Total")) }
                        @for (i, v) in totals.iter().enumerate() {
                            td.num { @match v {
                                Some(v) if PROVINCE_COLUMNS[i].1 == "USD" => (format_number(*v / Decimal::from(1_000_000), 2, lang)),
                                Some(v) => (format_number(*v, 0, lang)),
                                None => "—",
                            } }
                        }
                    }
                }
                tbody {
                    @for (slug, name, vals) in &rows {
                        tr {
                            th scope="row" { a href={ "/?org=" (slug) "&year=" (y) } { (name) } }
                            @for (i, v) in vals.iter().enumerate() {
                                td.num { @match v {
                                    Some(v) if PROVINCE_COLUMNS[i].1 == "USD" => (format_number(*v / Decimal::from(1_000_000), 2, lang)),
                                    Some(v) => (format_number(*v, 0, lang)),
                                    None => "—",
                                } }
                            }
                        }
                    }
                }
            }
        }
        p { a.button href={ "/reports?kind=national&year=" (y) } { (t(lang, "Lập báo cáo tổng hợp toàn quốc", "Make the national summary")) " " (y) } }
        (reported)
    };
    render(&u, title, body)
}

/// The figures read from reports and reviewed (`source` = reader), of
/// every province and year, each linked to the text it came from.
async fn reported_figures(st: &AppState, u: &WebUser) -> Markup {
    let lang = u.lang;
    let q = ngoaivu_store::ObsQuery {
        year_from: None,
        year_to: None,
        org_id: None,
        indicators: vec![],
        source: Some("reader".to_owned()),
    };
    let rows = match st.service.observations(&u.actor, &q).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "dashboard: reading the reported figures failed");
            return html! {};
        }
    };
    let names = crate::kit::records::Names::load(st).await.ok();
    // Only figures that name their document (`… · sha256:…`).
    let mut rows: Vec<(String, i32, &ngoaivu_store::ObsRow, &str, &str)> = rows
        .iter()
        .filter_map(|r| {
            let doc = r.source_document.as_deref()?;
            let at = doc.find(" · sha256:")?;
            let hash = &doc[at + " · sha256:".len()..];
            let period: serde_json::Value = serde_json::from_str(r.period.as_deref()?).ok()?;
            let year = ["year", "to", "as_of", "since"]
                .iter()
                .find_map(|k| period.get(*k).and_then(serde_json::Value::as_i64))?
                as i32;
            let loc = r.locality.as_deref().unwrap_or("");
            let place = refdata()
                .unit(loc)
                .map(|u| u.short_name.clone())
                .unwrap_or_else(|| crate::kit::text::locality_name(loc, lang));
            Some((place, year, r, &doc[..at], hash))
        })
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    rows.sort_by(|a, b| {
        ngoaivu_core::fold::vi_sort_key(&a.0)
            .cmp(&ngoaivu_core::fold::vi_sort_key(&b.0))
            .then(b.1.cmp(&a.1))
    });
    let places = rows
        .iter()
        .map(|r| &r.0)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let docs = rows
        .iter()
        .map(|r| r.4)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let (y0, y1) = (
        rows.iter().map(|r| r.1).min().unwrap_or(0),
        rows.iter().map(|r| r.1).max().unwrap_or(0),
    );
    const SHOWN: usize = 200;
    html! {
        h2 #reported { (t(lang, "Số liệu đọc từ báo cáo", "Figures read from reports")) }
        p.muted {
            @match lang {
                Lang::Vi => { (rows.len()) " số liệu đã xem xét của " (places) " địa phương, các năm " (y0) "–" (y1) ", từ " (docs) " văn bản. Mỗi số liệu dẫn tới văn bản nguồn." }
                Lang::En => { (rows.len()) " reviewed figures of " (places) " places, " (y0) "–" (y1) ", from " (docs) " documents. Each links to the text it came from." }
            }
        }
        div.table-wrap {
            table.data.reported {
                caption.sr { (t(lang, "Số liệu đọc từ báo cáo", "Figures read from reports")) }
                thead { tr {
                    th scope="col" { (t(lang, "Địa phương", "Place")) }
                    th scope="col" { (t(lang, "Chỉ tiêu", "Indicator")) }
                    th scope="col" { (t(lang, "Kỳ", "Period")) }
                    th.num scope="col" { (t(lang, "Giá trị", "Value")) }
                    th scope="col" { (t(lang, "Văn bản nguồn", "Source document")) }
                } }
                tbody {
                    @for (place, _, r, title, hash) in rows.iter().take(SHOWN) {
                        tr {
                            th scope="row" { (place) }
                            td { a href={ "/records/observations/" (r.id) } { (names.as_ref().map(|n| n.indicator(&r.indicator, lang)).unwrap_or_else(|| r.indicator.clone())) } }
                            td { (r.period.as_deref().and_then(|p| serde_json::from_str(p).ok()).map(|p: serde_json::Value| crate::kit::text::period(&p, lang)).unwrap_or_default()) }
                            td.num {
                                @if let Some(v) = r.value { (format_number(v, 2, lang)) }
                                " " (crate::kit::text::unit_label(r.unit.as_deref().unwrap_or(""), lang))
                            }
                            td { a href={ "/reader/sources/" (hash) } { (title) } }
                        }
                    }
                }
            }
        }
        @if rows.len() > SHOWN {
            p { a href="/records/observations" { (t(lang, "Xem tất cả số liệu", "See all figures")) } }
        }
    }
}
