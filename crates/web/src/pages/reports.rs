//! Reports in the browser: choose the kind, organisation and period, read
//! the report on the page, download it as DOCX, XLSX, PDF or HTML. The
//! report is built by `ngoaivu_report` exactly as the command line builds it.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::{Lang, OrgKind};
use ngoaivu_http::AppState;
use ngoaivu_report::{Format, Kind, ReportError, Spec};
use ngoaivu_store::StoreError;
use ngoaivu_store::service::today_in_vietnam;

use crate::kit::error;
use crate::kit::layout;
use crate::kit::session::WebUser;
use crate::kit::text::t;

#[derive(serde::Deserialize, Default, Clone)]
pub(crate) struct ReportQuery {
    kind: Option<String>,
    org: Option<String>,
    year: Option<String>,
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    units: Option<String>,
    format: Option<String>,
}

/// What the form asked for, checked: a spec, or the problems to show.
fn spec_of(q: &ReportQuery, u: &WebUser) -> Result<Option<Spec>, Vec<(&'static str, String)>> {
    let lang = u.lang;
    let Some(kind_text) = q.kind.as_deref().filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    let mut errs = vec![];
    let kind = Kind::parse(kind_text);
    if kind.is_none() {
        errs.push((
            "kind",
            t(lang, "Chọn loại báo cáo.", "Choose a kind of report.").to_owned(),
        ));
    }
    let year = |v: &Option<String>,
                field: &'static str,
                errs: &mut Vec<(&'static str, String)>|
     -> Option<i32> {
        let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        match s.parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => Some(y),
            _ => {
                errs.push((
                    field,
                    format!(
                        "{} «{s}»",
                        t(
                            lang,
                            "Năm phải là số từ 1990 đến 2100, không phải",
                            "The year must be a number from 1990 to 2100, not"
                        )
                    ),
                ));
                None
            }
        }
    };
    let (from, to) = match kind {
        Some(Kind::Term) => {
            let f = year(&q.from, "from", &mut errs);
            let t2 = year(&q.to, "to", &mut errs);
            if q.from.as_deref().is_none_or(|s| s.trim().is_empty()) {
                errs.push((
                    "from",
                    t(lang, "Nhập năm bắt đầu.", "Enter the first year.").into(),
                ));
            }
            if q.to.as_deref().is_none_or(|s| s.trim().is_empty()) {
                errs.push((
                    "to",
                    t(lang, "Nhập năm kết thúc.", "Enter the last year.").into(),
                ));
            }
            if let (Some(f), Some(t2)) = (f, t2)
                && f > t2
            {
                errs.push((
                    "to",
                    t(
                        lang,
                        "Năm kết thúc phải sau hoặc bằng năm bắt đầu.",
                        "The last year must not come before the first.",
                    )
                    .into(),
                ));
            }
            (f, t2)
        }
        _ => {
            let y = year(&q.year, "year", &mut errs);
            if q.year.as_deref().is_none_or(|s| s.trim().is_empty()) {
                errs.push((
                    "year",
                    t(lang, "Nhập năm báo cáo.", "Enter the year.").into(),
                ));
            }
            (y, y)
        }
    };
    let org = match (kind, u.actor.org_kind) {
        (Some(Kind::National), OrgKind::Ministry) => "bo-ngoai-giao".to_owned(),
        (Some(Kind::National), _) => {
            errs.push((
                "kind",
                t(
                    lang,
                    "Báo cáo tổng hợp toàn quốc do Bộ Ngoại giao lập.",
                    "The national summary is the Ministry's.",
                )
                .into(),
            ));
            String::new()
        }
        (_, OrgKind::Ministry) => match q.org.as_deref().filter(|s| !s.is_empty()) {
            Some(o) => o.to_owned(),
            None => {
                errs.push((
                    "org",
                    t(lang, "Chọn tỉnh, thành phố.", "Choose a province.").into(),
                ));
                String::new()
            }
        },
        _ => u.org.slug.clone(),
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    let lang_doc = match q.lang.as_deref() {
        Some("en") => Lang::En,
        Some("vi") => Lang::Vi,
        _ => lang,
    };
    Ok(Some(Spec {
        kind: kind.expect("checked"),
        org,
        from: from.expect("checked"),
        to: to.expect("checked"),
        lang: lang_doc,
        units_of_the_time: q.units.as_deref() == Some("then"),
        date: today_in_vietnam(),
    }))
}

fn err_for<'a>(errs: &'a [(&'static str, String)], field: &str) -> Option<&'a str> {
    errs.iter()
        .find(|(f, _)| *f == field)
        .map(|(_, m)| m.as_str())
}

fn form(u: &WebUser, q: &ReportQuery, errs: &[(&'static str, String)]) -> Markup {
    let lang = u.lang;
    let ministry = u.actor.org_kind == OrgKind::Ministry;
    let kind = q.kind.as_deref().unwrap_or("annual");
    let year_default = (today_in_vietnam().year() - 1).to_string();
    let mut provinces: Vec<_> = refdata().current_units().collect();
    provinces.sort_by_key(|p| ngoaivu_core::fold::vi_sort_key(&p.short_name));
    let field = |name: &'static str, label: &str, input: Markup| {
        let e = err_for(errs, name);
        html! {
            div.field.has-error[e.is_some()] {
                label for={ "rep-" (name) } { (label) }
                (input)
                @if let Some(m) = e { p.error id={ "rep-" (name) "-error" } { (m) } }
            }
        }
    };
    html! {
        form.filters.report-form method="get" action="/reports" {
            (field("kind", t(lang, "Loại báo cáo", "Kind of report"), html! {
                select #rep-kind name="kind" {
                    option value="annual" selected[kind == "annual"] { (t(lang, "Báo cáo năm của tỉnh", "A province's annual report")) }
                    option value="term" selected[kind == "term"] { (t(lang, "Báo cáo nhiệm kỳ, giai đoạn", "A province's term report")) }
                    @if ministry {
                        option value="national" selected[kind == "national"] { (t(lang, "Tổng hợp toàn quốc", "National summary")) }
                    }
                }
            }))
            @if ministry {
                (field("org", t(lang, "Tỉnh, thành phố (báo cáo năm, nhiệm kỳ)", "Province (annual, term)"), html! {
                    select #rep-org name="org" {
                        option value="" { "—" }
                        @for p in &provinces {
                            option value=(p.slug) selected[q.org.as_deref() == Some(p.slug.as_str())] { (p.name) }
                        }
                    }
                }))
            }
            (field("year", t(lang, "Năm (báo cáo năm, toàn quốc)", "Year (annual, national)"), html! {
                input #rep-year type="number" name="year" inputmode="numeric"
                    value=(q.year.clone().unwrap_or(year_default));
            }))
            (field("from", t(lang, "Từ năm (nhiệm kỳ)", "From (term)"), html! {
                input #rep-from type="number" name="from" value=(q.from.clone().unwrap_or_default());
            }))
            (field("to", t(lang, "Đến năm (nhiệm kỳ)", "To (term)"), html! {
                input #rep-to type="number" name="to" value=(q.to.clone().unwrap_or_default());
            }))
            (field("lang", t(lang, "Ngôn ngữ của báo cáo", "Language of the report"), html! {
                select #rep-lang name="lang" {
                    option value="vi" selected[q.lang.as_deref().unwrap_or(match lang { Lang::Vi => "vi", Lang::En => "en" }) == "vi"] { "Tiếng Việt" }
                    option value="en" selected[q.lang.as_deref().unwrap_or(match lang { Lang::Vi => "vi", Lang::En => "en" }) == "en"] { "English" }
                }
            }))
            (field("units", t(lang, "Đơn vị hành chính (năm trước 2025)", "Provincial units (years before 2025)"), html! {
                select #rep-units name="units" {
                    option value="now" selected[q.units.as_deref() != Some("then")] { (t(lang, "Theo 34 đơn vị hiện nay", "Today's 34 units")) }
                    option value="then" selected[q.units.as_deref() == Some("then")] { (t(lang, "Theo đơn vị của thời điểm đó (63)", "The units of that time (63)")) }
                }
            }))
            div.actions { button.primary type="submit" { (t(lang, "Lập báo cáo", "Make the report")) } }
        }
    }
}

fn query_string(q: &ReportQuery, format: Option<&str>) -> String {
    let mut parts = vec![];
    for (k, v) in [
        ("kind", &q.kind),
        ("org", &q.org),
        ("year", &q.year),
        ("from", &q.from),
        ("to", &q.to),
        ("lang", &q.lang),
        ("units", &q.units),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", urlencode(v)));
        }
    }
    if let Some(f) = format {
        parts.push(format!("format={f}"));
    }
    parts.join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn page(u: &WebUser, status: StatusCode, body: Markup) -> Response {
    layout::respond(u, t(u.lang, "Báo cáo", "Reports"), status, body)
}

fn report_error(u: &WebUser, q: &ReportQuery, e: ReportError) -> Response {
    match e {
        ReportError::Invalid(m) => page(
            u,
            StatusCode::UNPROCESSABLE_ENTITY,
            html! { h1 { (t(u.lang, "Báo cáo", "Reports")) } div.alert.error role="alert" { p { (m) } } (form(u, q, &[])) },
        ),
        ReportError::Store(e) => error::store_error(u, e),
    }
}

pub(crate) async fn reports_page(
    State(st): State<AppState>,
    u: WebUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let lang = u.lang;
    let spec = match spec_of(&q, &u) {
        Ok(s) => s,
        Err(errs) => {
            return page(
                &u,
                StatusCode::UNPROCESSABLE_ENTITY,
                html! {
                    h1 { (t(lang, "Báo cáo", "Reports")) }
                    div.alert.error role="alert" {
                        p { (t(lang, "Chưa lập được báo cáo:", "The report could not be made:")) }
                        ul { @for (_, m) in &errs { li { (m) } } }
                    }
                    (form(&u, &q, &errs))
                },
            );
        }
    };
    let Some(spec) = spec else {
        return page(
            &u,
            StatusCode::OK,
            html! {
                h1 { (t(lang, "Báo cáo", "Reports")) }
                p.muted { (t(lang,
                    "Báo cáo lập từ hồ sơ và số liệu đã nhập: báo cáo năm, báo cáo nhiệm kỳ của tỉnh, báo cáo tổng hợp toàn quốc của Bộ. Tải về dạng Word, Excel, PDF.",
                    "Reports made from the records and figures: a province's annual and term reports, the Ministry's national summary. Download as Word, Excel or PDF.")) }
                (form(&u, &q, &[]))
                p { a href="/reports/submitted" { (t(lang, "Báo cáo đã nộp", "Submitted reports")) } }
                p { a href="/reports/table" { (t(lang, "Lập bảng số liệu tự chọn (chỉ tiêu × địa phương × năm)", "Build a table of your own (indicators × provinces × years)")) } }
            },
        );
    };
    let doc = match ngoaivu_report::build(&st.service, &u.actor, &spec).await {
        Ok(d) => d,
        Err(e) => return report_error(&u, &q, e),
    };
    let body = html! {
        h1 { (t(lang, "Báo cáo", "Reports")) }
        (form(&u, &q, &[]))
        div.downloads {
            span { (t(lang, "Tải về:", "Download:")) }
            @for (f, label) in [("docx", "Word (DOCX)"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF"), ("html", "HTML")] {
                a.button href={ "/reports/download?" (query_string(&q, Some(f))) } { (label) }
            }
        }
        @if may_submit(&u, &spec) {
            form.submit-report method="post" action={ "/reports/submit?" (query_string(&q, None)) } {
                p.muted { (t(lang,
                    "Nộp báo cáo: các tệp Word, Excel, PDF được lưu đúng như hiện nay; thay đổi hồ sơ về sau không làm thay đổi bản đã nộp.",
                    "Submit the report: its Word, Excel and PDF files are kept as they are now; later changes to the records do not change the submitted copy.")) }
                button.primary type="submit" { (t(lang, "Nộp báo cáo", "Submit the report")) }
            }
        }
        div.docview { (PreEscaped(ngoaivu_document::html::fragment(&doc))) }
    };
    page(&u, StatusCode::OK, body)
}

/// A province's approvers and administrators submit its own annual and
/// term reports (`Service::submit_report` decides; this hides the button
/// from the others).
fn may_submit(u: &WebUser, spec: &Spec) -> bool {
    spec.kind != Kind::National
        && u.actor.org_kind == OrgKind::Province
        && spec.org == u.actor.org_slug
        && u.actor.role >= ngoaivu_core::Role::Approver
}

/// The period a submitted report covers: `2025`, or `2021-2025`.
fn period_of(spec: &Spec) -> String {
    if spec.from == spec.to {
        spec.from.to_string()
    } else {
        format!("{}-{}", spec.from, spec.to)
    }
}

/// `POST /reports/submit?…`: build the report as the page shows it, render
/// its three files and keep them (`Service::submit_report`); then the list
/// of submitted reports.
pub(crate) async fn submit(
    State(st): State<AppState>,
    u: WebUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let lang = u.lang;
    let spec = match spec_of(&q, &u) {
        Ok(Some(s)) => s,
        Ok(None) => return error::not_found(lang, Some(&u)),
        Err(errs) => {
            let msg = errs
                .iter()
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            return error::error_page(
                lang,
                Some(&u),
                StatusCode::UNPROCESSABLE_ENTITY,
                t(
                    lang,
                    "Chưa lập được báo cáo",
                    "The report could not be made",
                ),
                &msg,
            );
        }
    };
    let org = match st.service.org_by_slug(&spec.org).await {
        Ok(Some(o)) => o,
        Ok(None) => return error::not_found(lang, Some(&u)),
        Err(e) => return error::store_error(&u, e),
    };
    let doc = match ngoaivu_report::build(&st.service, &u.actor, &spec).await {
        Ok(d) => d,
        Err(e) => return report_error(&u, &q, e),
    };
    let title = doc.title.clone();
    let files = tokio::task::spawn_blocking(move || -> Result<_, String> {
        Ok((
            ngoaivu_report::render(&doc, Format::Docx)?,
            ngoaivu_report::render(&doc, Format::Xlsx)?,
            ngoaivu_report::render(&doc, Format::Pdf)?,
        ))
    })
    .await;
    let (docx, xlsx, pdf) = match files {
        Ok(Ok(f)) => f,
        Ok(Err(e)) => return error::store_error(&u, StoreError::Other(e)),
        Err(e) => return error::store_error(&u, StoreError::Other(e.to_string())),
    };
    let report = ngoaivu_store::NewSubmittedReport {
        org_id: org.id,
        kind: spec.kind.code().to_owned(),
        period: period_of(&spec),
        title,
        docx,
        xlsx,
        pdf,
    };
    match st.service.submit_report(&u.actor, report).await {
        Ok(_) => axum::response::Redirect::to("/reports/submitted").into_response(),
        Err(e) => error::store_error(&u, e),
    }
}

/// `GET /reports/submitted`: the reports submitted, each downloadable as it
/// was submitted.
pub(crate) async fn submitted_page(State(st): State<AppState>, u: WebUser) -> Response {
    let lang = u.lang;
    let list = match st.service.submitted_reports(&u.actor).await {
        Ok(l) => l,
        Err(e) => return error::store_error(&u, e),
    };
    let body = html! {
        h1 { (t(lang, "Báo cáo đã nộp", "Submitted reports")) }
        p.muted { (t(lang,
            "Mỗi báo cáo được giữ đúng như khi nộp, kể cả khi hồ sơ thay đổi về sau.",
            "Each report is kept as it was submitted, even when the records change later.")) }
        @if list.is_empty() {
            p.muted { (t(lang, "Chưa có báo cáo nào được nộp.", "No report has been submitted yet.")) }
        } @else {
            table.list.submitted {
                thead { tr {
                    th { (t(lang, "Báo cáo", "Report")) }
                    th { (t(lang, "Kỳ", "Period")) }
                    th { (t(lang, "Nộp lúc", "Submitted")) }
                    th { (t(lang, "Người nộp", "By")) }
                    th { (t(lang, "Tải về", "Download")) }
                } }
                tbody {
                    @for r in &list {
                        tr {
                            td { (r.title) }
                            td { (r.period) }
                            td { (crate::kit::text::moment(r.submitted_at)) }
                            td { (r.submitted_by) }
                            td {
                                @for f in ["docx", "xlsx", "pdf"] {
                                    a.button href={ "/reports/submitted/" (r.id) "/" (f) } { (f.to_uppercase()) } " "
                                }
                            }
                        }
                    }
                }
            }
        }
        p { a href="/reports" { (t(lang, "Lập báo cáo", "Make a report")) } }
    };
    page(&u, StatusCode::OK, body)
}

/// `GET /reports/submitted/{id}/{format}`: the file as it was submitted.
pub(crate) async fn submitted_file(
    State(st): State<AppState>,
    u: WebUser,
    axum::extract::Path((id, format)): axum::extract::Path<(i64, String)>,
) -> Response {
    let Some(f) = Format::parse(&format).filter(|f| *f != Format::Html) else {
        return error::not_found(u.lang, Some(&u));
    };
    let (meta, bytes) = match st
        .service
        .submitted_report_file(&u.actor, id, &format)
        .await
    {
        Ok(x) => x,
        Err(e) => return error::store_error(&u, e),
    };
    let name = format!(
        "da-nop-{}-{}-{}.{}",
        meta.kind,
        meta.period,
        meta.org,
        f.extension()
    );
    file_response(f, &name, bytes)
}

pub(crate) async fn download(
    State(st): State<AppState>,
    u: WebUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let lang = u.lang;
    let Some(format) = q.format.as_deref().and_then(Format::parse) else {
        return error::error_page(
            lang,
            Some(&u),
            StatusCode::BAD_REQUEST,
            t(lang, "Định dạng không hợp lệ", "Unknown format"),
            t(
                lang,
                "Chọn một trong: docx, xlsx, pdf, html.",
                "Choose one of: docx, xlsx, pdf, html.",
            ),
        );
    };
    let spec = match spec_of(&q, &u) {
        Ok(Some(s)) => s,
        Ok(None) => return error::not_found(lang, Some(&u)),
        Err(errs) => {
            return error::error_page(
                lang,
                Some(&u),
                StatusCode::UNPROCESSABLE_ENTITY,
                t(
                    lang,
                    "Chưa lập được báo cáo",
                    "The report could not be made",
                ),
                &errs
                    .iter()
                    .map(|(_, m)| m.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
    };
    let doc = match ngoaivu_report::build(&st.service, &u.actor, &spec).await {
        Ok(d) => d,
        Err(e) => return report_error(&u, &q, e),
    };
    let bytes =
        match tokio::task::spawn_blocking(move || ngoaivu_report::render(&doc, format)).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => return error::store_error(&u, StoreError::Other(e)),
            Err(e) => return error::store_error(&u, StoreError::Other(e.to_string())),
        };
    file_response(format, &file_name(&spec, format), bytes)
}

/// A report file to download, never kept by a shared cache.
fn file_response(format: Format, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.media_type()),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `bao-cao-nam-2022-vinh-long.docx`: ASCII, so every browser keeps it.
pub(crate) fn file_name(spec: &Spec, format: Format) -> String {
    let stem = match spec.kind {
        Kind::Annual => format!("bao-cao-nam-{}-{}", spec.from, spec.org),
        Kind::Term => format!("bao-cao-giai-doan-{}-{}-{}", spec.from, spec.to, spec.org),
        Kind::National => format!("tong-hop-toan-quoc-{}", spec.from),
    };
    format!("{stem}.{}", format.extension())
}
