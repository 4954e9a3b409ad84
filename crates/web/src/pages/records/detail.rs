//! A record's page: its fields, workflow, links, suggestions (catalog
//! projects), attachments and history; the Ministry's request that a
//! province correct it.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use ngoaivu_core::{Lang, RecordType};
use ngoaivu_http::AppState;
use serde_json::Value;

use crate::kit::error::{self, OrPage, PageError};
use crate::kit::forms::{form_pairs, form_value};
use crate::kit::layout;
use crate::kit::query::{Params, parse_id};
use crate::kit::records::{Names, obs_value, record_title, str_field};
use crate::kit::session::{WebUser, is_ministry};
use crate::kit::text::*;

use super::workflow;

/// Where `sha256:` followed by 16 to 64 hex digits starts in `s`, and the digits.
fn source_hash(s: &str) -> Option<(usize, &str)> {
    let at = s.find("sha256:")?;
    let rest = &s[at + 7..];
    let n = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
    (16..=64).contains(&n).then(|| (at, &rest[..n]))
}

/// Render one field's value.
fn value_markup(
    key: &str,
    v: &Value,
    lang: Lang,
    rec_links: &HashMap<i64, (String, String)>,
    names: &Names,
) -> Markup {
    let link = |id: i64| -> Markup {
        match rec_links.get(&id) {
            Some((path, title)) => html! { a href={ "/records/" (path) "/" (id) } { (title) } },
            None => html! { "#" (id) },
        }
    };
    match (key, v) {
        (_, Value::Null) => html! { "—" },
        (
            "status" | "kind" | "direction" | "qualifier" | "source" | "side" | "format"
            | "highest_rank" | "authority" | "vn_level" | "stage" | "aid_form" | "reporting",
            Value::String(x),
        ) => {
            html! { (value_label(x, lang)) }
        }
        ("sensitive_topics", Value::Array(xs)) => html! {
            @for (i, x) in xs.iter().filter_map(Value::as_str).enumerate() {
                @if i > 0 { ", " }
                (value_label(x, lang))
            }
        },
        ("country" | "nationality", Value::String(c)) => html! { (country_name(c, lang)) },
        // A year is not a quantity: no thousands point.
        ("year" | "birth_year", Value::Number(n)) => html! { (n) },
        ("source_document" | "notes", Value::String(x)) if source_hash(x).is_some() => {
            // A fact saved by the report reader names its document by
            // hash: link to the text it came from.
            let (at, hash) = source_hash(x).unwrap_or_default();
            html! {
                (x[..at]) a href={ "/reader/sources/" (hash) } { "sha256:" (hash) } (x[at + 7 + hash.len()..])
            }
        }
        ("translations", Value::Object(o)) => html! {
            // Vietnamese, English, then the others in code order.
            @for (code, text) in {
                let mut v: Vec<_> = o.iter().collect();
                v.sort_by_key(|(c, _)| (c.as_str() != "vi", c.as_str() != "en", c.as_str()));
                v
            } {
                div.translation lang=(code) {
                    h3 { (language_name(code, lang)) }
                    dl.fields {
                        @for part in ["name", "summary", "location", "incentives"] {
                            @if let Some(x) = text.get(part).and_then(Value::as_str) {
                                dt { (field_label(part, lang)) } dd.prose { (x) }
                            }
                        }
                    }
                }
            }
        },
        ("area_ha", x) => html! { (number_json(x, lang).unwrap_or_default()) " ha" },
        ("countries" | "economies" | "countries_of_interest", Value::Array(a)) => {
            html! { (a.iter().filter_map(|c| c.as_str()).map(|c| country_name(c, lang)).collect::<Vec<_>>().join(", ")) }
        }
        ("sectors", Value::Array(a)) => {
            html! { (a.iter().filter_map(|c| c.as_str()).map(|c| sector_label(c, lang)).collect::<Vec<_>>().join(", ")) }
        }
        ("sector", Value::String(x)) => html! { (sector_label(x, lang)) },
        ("locality", Value::String(x)) => html! { (locality_name(x, lang)) },
        ("indicator", Value::String(x)) => html! { (names.indicator(x, lang)) },
        ("period", p @ Value::Object(_)) => html! { (period(p, lang)) },
        // Money: a budget, a capital, a transaction's amount.
        ("budget" | "capital" | "disbursed" | "amount", m @ Value::Object(_)) => {
            html! { (money(m, lang).unwrap_or_default()) }
        }
        ("value" | "change_pct", x) => {
            html! { (number_json(x, lang).unwrap_or_else(|| x.to_string())) }
        }
        ("partner_ids", Value::Array(a)) => html! {
            ul.plain { @for id in a.iter().filter_map(|x| x.as_i64()) { li { (link(id)) } } }
        },
        ("investor_id" | "replaces_id", Value::Number(n)) => match n.as_i64() {
            Some(id) => link(id),
            None => html! { (n.to_string()) },
        },
        ("website", Value::String(w)) if w.starts_with("https://") || w.starts_with("http://") => {
            html! { a href=(w) rel="noopener noreferrer" { (w) } }
        }
        ("email", Value::String(w)) => html! { a href={ "mailto:" (w) } { (w) } },
        (k, Value::String(x))
            if k.ends_with("_on")
                || matches!(
                    k,
                    "on" | "valid_from"
                        | "valid_until"
                        | "period_from"
                        | "period_until"
                        | "report_due"
                        | "date"
                ) =>
        {
            html! { (date(x)) }
        }
        (_, Value::String(x)) => html! { (x) },
        (_, Value::Bool(b)) => {
            html! { (if *b { t(lang, "Có", "Yes") } else { t(lang, "Không", "No") }) }
        }
        (_, Value::Number(n)) => html! { (number_json(v, lang).unwrap_or_else(|| n.to_string())) },
        (_, Value::Array(a)) => html! {
            ul.plain { @for item in a { li { (value_markup(key, item, lang, rec_links, names)) } } }
        },
        (_, Value::Object(o)) => html! {
            span.inline-fields {
                // In the order of the label table (a name before its position, email, phone).
                @for (i, (k, x)) in {
                    let mut v: Vec<_> = o.iter().collect();
                    v.sort_by_key(|(k, _)| field_rank(k));
                    v
                }.into_iter().enumerate() {
                    @if i > 0 { " · " }
                    span.k { (field_label(k, lang)) ": " } (value_markup(k, x, lang, rec_links, names))
                }
            }
        },
    }
}

/// How a restricted record was read (its audit row's `via`).
fn read_via(via: &str, lang: Lang) -> &'static str {
    match via {
        "record" => t(lang, "trang hồ sơ", "the record's page"),
        "list" => t(lang, "danh sách", "a list"),
        "import" => t(lang, "đối chiếu khi nhập tệp", "matching an import"),
        _ => t(lang, "khác", "other"),
    }
}

fn rel_label(rel: &str, lang: Lang) -> String {
    match rel {
        "partner" => t(lang, "Đối tác", "Partner").into(),
        "investor" => t(lang, "Nhà đầu tư, nhà tài trợ", "Investor or donor").into(),
        "ngo" => t(lang, "Tổ chức được đăng ký", "Registered organisation").into(),
        "replaces" => t(lang, "Thay thế", "Replaces").into(),
        "event" => t(lang, "Sự kiện đã tổ chức", "Event held").into(),
        "plan_delegation" | "plan_agreement" | "plan_event" => {
            t(lang, "Thực hiện kế hoạch", "Carries out the plan").into()
        }
        r => r.replace('_', " "),
    }
}

/// A message about the attachments, shown in their section.
pub(crate) enum FileNotice {
    None,
    Ok(String),
    Refused(String),
}

pub(crate) async fn detail_page(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let lang = u.lang;
    let (Some(rt), Some(id)) = (RecordType::from_path(&ty), parse_id(&id)) else {
        return Err(error::not_found(lang, Some(&u)).into());
    };
    let p = Params::parse(raw.as_deref());
    let notice = match p.get("done") {
        "attached" => FileNotice::Ok(t(lang, "Đã đính kèm tệp.", "The file was attached.").into()),
        "removed" => FileNotice::Ok(t(lang, "Đã gỡ tệp.", "The file was removed.").into()),
        _ => FileNotice::None,
    };
    render_detail(&st, &u, rt, id, notice, StatusCode::OK).await
}

/// The detail page of a record, with a notice about its attachments.
pub(crate) async fn render_detail(
    st: &AppState,
    u: &WebUser,
    rt: RecordType,
    id: i64,
    notice: FileNotice,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = u.lang;
    let rec = st.service.get(&u.actor, rt, id).await.or_page(u)?;
    let calendar = st.service.calendar().await.or_page(u)?;
    // An investment-catalog project shows who could help attract its
    // investors (the channel's matching, `Service::catalog_suggestions`).
    let suggestions = if rt == RecordType::CatalogProject {
        Some(
            st.service
                .catalog_suggestions(&u.actor, id)
                .await
                .or_page(u)?,
        )
    } else {
        None
    };
    let (links, history, files, names) = match (
        st.service.links(&u.actor, rt, id).await,
        st.service.history(&u.actor, rt, id).await,
        st.service.attachments(&u.actor, rt, id).await,
        Names::load(st).await,
    ) {
        (Ok(l), Ok(h), Ok(f), Ok(n)) => (l, h, f, n),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            return Err(error::store_error(u, e).into());
        }
    };
    let mut by_id: HashMap<i64, (String, String)> = HashMap::new();
    for l in links.outgoing.iter().chain(links.incoming.iter()) {
        if let Some(t) = RecordType::from_code(&l.rt) {
            by_id.insert(l.id, (t.path().to_owned(), l.title.clone()));
        }
    }
    let title = record_title(rt, &rec.data, Some(&names), lang);
    let base = format!("/records/{}/{}", rt.path(), rec.id);
    let can_write = u.actor.may_write_org(rec.org_id).is_ok();
    // The Ministry reads a province's record but does not change it: its
    // writers ask the province to, in a request of the channel.
    let may_ask_correction =
        is_ministry(u) && u.actor.role.can_write() && rec.org_id != u.actor.org_id;
    let max_mib = st.config.attachment_max_bytes / (1024 * 1024);
    let empty = serde_json::Map::new();
    // A plan's tasks have their own table (`plan_section`).
    let mut fields: Vec<(&String, &Value)> = rec
        .data
        .as_object()
        .unwrap_or(&empty)
        .iter()
        .filter(|(k, _)| !(rt == RecordType::Plan && k.as_str() == "tasks"))
        .collect();
    let title_key = rt.title_field();
    fields.sort_by_key(|(k, _)| {
        if k.as_str() == title_key {
            0
        } else {
            1 + field_rank(k)
        }
    });
    let body = html! {
        nav.crumbs aria-label=(t(lang, "Đường dẫn", "Breadcrumb")) {
            a href={ "/records/" (rt.path()) } { (rt.label(lang)) } " › " span { (title) }
        }
        div.heading {
            h1 { (title) }
            @let public = rt == RecordType::CatalogProject
                && str_field(&rec.data, "status") == ngoaivu_core::records::CATALOG_PUBLISHED;
            @if can_write || public {
                div.actions {
                    @if public {
                        a.button href={ "/catalog/" (rec.id) } { (t(lang, "Xem trên trang công khai", "See the public page")) }
                    }
                    @if can_write {
                        a.button href={ (base) "/edit" } { (t(lang, "Sửa", "Edit")) }
                        a.button.danger href={ (base) "/delete" } { (t(lang, "Xóa", "Delete")) }
                    }
                }
            }
        }
        @if let Some(wf) = workflow::section(u, rt, &rec, &calendar, &st.service.settings) { (wf) }
        @if rt == RecordType::Plan { (plan_section(lang, &rec.data, &by_id)) }
        section aria-labelledby="fields-h" {
            h2 #fields-h .sr { (t(lang, "Thông tin", "Details")) }
            dl.fields {
                @for (k, v) in fields {
                    dt { (field_label_in(rt, k, lang)) }
                    dd {
                        @if k == "value" && rt == RecordType::Observation { (obs_value(&rec.data, lang)) }
                        @else { (value_markup(k, v, lang, &by_id, &names)) }
                    }
                }
                dt { (field_label("org", lang)) } dd { (names.org(&rec.org_slug)) }
                dt { (field_label("created_at", lang)) } dd { (moment(rec.created_at)) " · " (rec.created_by) }
                dt { (field_label("updated_at", lang)) } dd { (moment(rec.updated_at)) " · " (rec.updated_by) }
            }
        }
        @if may_ask_correction {
            section aria-labelledby="correct-h" {
                h2 #correct-h { (t(lang, "Đề nghị địa phương chỉnh sửa", "Ask the province to correct it")) }
                p.muted { (t(lang,
                    "Bộ Ngoại giao không sửa hồ sơ của địa phương. Đề nghị được gửi tới địa phương qua mục Đề nghị; địa phương chỉnh sửa hồ sơ và trả lời.",
                    "The Ministry does not change a province's records. The request goes to the province under Requests; the province corrects the record and answers.")) }
                form.record method="post" action={ (base) "/corrections" } {
                    div.field {
                        label for="corr-body" { (t(lang, "Nội dung cần chỉnh sửa", "What to correct")) }
                        textarea #corr-body name="body" rows="4" required {}
                    }
                    div.actions { button.primary type="submit" { (t(lang, "Gửi đề nghị chỉnh sửa", "Send the request")) } }
                }
            }
        }
        section aria-labelledby="links-h" {
            h2 #links-h { (t(lang, "Hồ sơ liên quan", "Linked records")) }
            @if links.outgoing.is_empty() && links.incoming.is_empty() {
                p.muted { (t(lang, "Không có hồ sơ liên quan.", "No linked records.")) }
            } @else {
                ul.links {
                    @for l in &links.outgoing { (link_item(l, lang, false)) }
                    @for l in &links.incoming { (link_item(l, lang, true)) }
                }
            }
        }
        @if let Some(sugg) = &suggestions {
            section aria-labelledby="sugg-h" {
                h2 #sugg-h { (t(lang, "Gợi ý kết nối", "Suggested connections")) }
                p.muted { (t(lang,
                    "Cơ quan đại diện ở các quốc gia nhà đầu tư mục tiêu, đối tác của địa phương và bản tin thị trường cùng ngành hoặc cùng quốc gia, xếp theo mức phù hợp.",
                    "Missions in the target investors' countries, the province's partners and market notes sharing the sector or a country, best match first.")) }
                (crate::kit::suggestions::suggestions_table(sugg, lang, |slug| {
                    u.actor.role.can_write().then(|| format!("/requests/new?missions={slug}"))
                }))
            }
        }
        section #files aria-labelledby="files-h" {
            h2 #files-h { (t(lang, "Tệp đính kèm", "Attachments")) }
            @match &notice {
                FileNotice::Ok(m) => { div.alert.ok role="status" { (m) } }
                FileNotice::Refused(m) => { div.alert.error role="alert" { (m) } }
                FileNotice::None => {}
            }
            @if files.is_empty() {
                p.muted { (t(lang, "Chưa có tệp đính kèm.", "No attachments.")) }
            } @else {
                ul.files {
                    @for f in &files {
                        li {
                            a href={ (base) "/attachments/" (f.id) } download { (f.filename) }
                            " "
                            span.muted { "(" (size_text(f.size, lang)) ", " (moment(f.created_at)) ", " (f.created_by) ")" }
                            @if can_write {
                                " "
                                a.remove href={ (base) "/attachments/" (f.id) "/delete" } aria-label={ (t(lang, "Gỡ tệp ", "Remove the file ")) (f.filename) } { (t(lang, "Gỡ", "Remove")) }
                            }
                        }
                    }
                }
            }
            @if can_write {
                @let refused = matches!(notice, FileNotice::Refused(_));
                form.upload method="post" action={ (base) "/attachments" } enctype="multipart/form-data" {
                    div.field.has-error[refused] {
                        label for="file" { (t(lang, "Đính kèm tệp mới", "Attach a new file")) }
                        input #file type="file" name="file" required aria-describedby="file-hint" aria-invalid=[refused.then_some("true")];
                        span.hint #file-hint {
                            (t(lang, "Nhận các loại: ", "Accepted types: ")) (ngoaivu_core::attachments::accepted_extensions())
                            (t(lang, "; tối đa ", "; at most ")) (max_mib) " MiB."
                        }
                    }
                    div.actions { button.primary type="submit" { (t(lang, "Đính kèm", "Attach")) } }
                }
            }
        }
        section aria-labelledby="hist-h" {
            h2 #hist-h { (t(lang, "Lịch sử thay đổi", "Change history")) }
            div.table-wrap tabindex="0" role="region" aria-labelledby="hist-h" {
                table.list {
                    thead { tr {
                        th scope="col" { (t(lang, "Thời điểm", "When")) }
                        th scope="col" { (t(lang, "Người thực hiện", "Who")) }
                        th scope="col" { (t(lang, "Thao tác", "Action")) }
                    } }
                    tbody {
                        @for h in &history {
                            tr { td { (moment(h.at)) } td { (h.username) } td {
                                (value_label(&h.action, lang))
                                // A read names how: the record, a list, an import.
                                @if h.action == "read" {
                                    @if let Some(via) = h.after.as_ref().and_then(|a| a["via"].as_str()) {
                                        " (" (read_via(via, lang)) ")"
                                    }
                                }
                                // A workflow step names the states it joined, and its note.
                                @if let Some(step) = h.after.as_ref().and_then(|a| a.get("transition")) {
                                    ": " (value_label(step["from"].as_str().unwrap_or(""), lang))
                                    " → " (value_label(step["to"].as_str().unwrap_or(""), lang))
                                    @if let Some(n) = step["note"].as_str() { " (" (n) ")" }
                                }
                            } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::respond(u, &title, status, body))
}

fn link_item(l: &ngoaivu_store::LinkRef, lang: Lang, incoming: bool) -> Markup {
    let rt = RecordType::from_code(&l.rt);
    html! {
        li {
            span.tag { (rt.map(|r| r.label(lang)).unwrap_or(&l.rt)) }
            " "
            @match rt {
                Some(r) => { a href={ "/records/" (r.path()) "/" (l.id) } { (l.title) } }
                None => { (l.title) }
            }
            " "
            span.muted {
                "(" @if incoming { (t(lang, "tham chiếu đến hồ sơ này: ", "refers to this record: ")) } (rel_label(&l.rel, lang)) ")"
            }
        }
    }
}

/// `POST /records/{type}/{id}/corrections`: a Ministry writer asks the
/// province that owns the record to correct it, as a request of the
/// channel addressed to the province, naming the record (the Ministry
/// writes no province's records: `Actor::may_write_org`).
pub(crate) async fn ask_correction(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let lang = u.lang;
    let (Some(rt), Some(id)) = (RecordType::from_path(&ty), parse_id(&id)) else {
        return Err(error::not_found(lang, Some(&u)).into());
    };
    let rec = st.service.get(&u.actor, rt, id).await.or_page(&u)?;
    let pairs = form_pairs(&body);
    let text = form_value(&pairs, "body").trim();
    let title = record_title(rt, &rec.data, None, Lang::Vi);
    let subject: String = format!("Đề nghị chỉnh sửa: {title}")
        .chars()
        .take(300)
        .collect();
    let first = |one: &str, many: &str| {
        rec.data
            .get(one)
            .and_then(Value::as_str)
            .or_else(|| {
                rec.data
                    .get(many)
                    .and_then(|v| v.get(0))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned)
    };
    let draft = ngoaivu_core::channel::RequestDraft {
        missions: vec![rec.org_slug.clone()],
        subject,
        body: if text.is_empty() {
            String::new()
        } else {
            format!("{text}\n\nHồ sơ: /records/{}/{}", rt.path(), rec.id)
        },
        // The request's matching fields, from the record where it has them.
        sector: first("sector", "sectors").unwrap_or_else(|| "other".into()),
        country: first("country", "countries").unwrap_or_else(|| "VN".into()),
        deadline: None,
    };
    Ok(match st.service.send_request(&u.actor, &draft).await {
        Ok(sent) => match sent.first() {
            Some(r) => axum::response::Redirect::to(&format!("/requests/{}?done=sent", r.id))
                .into_response(),
            None => error::not_found(lang, Some(&u)),
        },
        Err(ngoaivu_store::StoreError::Invalid(inv)) => error::invalid_page(
            &u,
            t(lang, "Chưa gửi được đề nghị", "The request was not sent"),
            &inv,
        ),
        Err(e) => error::store_error(&u, e),
    })
}

/// A plan's progress and its tasks, each with the records carrying it out.
fn plan_section(lang: Lang, data: &Value, by_id: &HashMap<i64, (String, String)>) -> Markup {
    let Ok(plan) = serde_json::from_value::<ngoaivu_core::records::Plan>(data.clone()) else {
        return html! {};
    };
    let today = ngoaivu_store::service::today_in_vietnam();
    let p = plan.progress(today);
    let link = |id: &i64| -> Markup {
        match by_id.get(id) {
            Some((path, title)) => html! { a href={ "/records/" (path) "/" (id) } { (title) } },
            None => html! { "#" (id) },
        }
    };
    html! {
        section.plan aria-labelledby="plan-h" {
            h2 #plan-h { (t(lang, "Tiến độ thực hiện", "Progress")) }
            @if let Some(pc) = p.percent() {
                p.progress-line {
                    strong { (p.done) "/" (p.total) } " "
                    (t(lang, "nhiệm vụ hoàn thành", "tasks done"))
                    " (" (pc) "%)"
                    @if p.overdue > 0 {
                        " · " span.flag { (p.overdue) " " (t(lang, "nhiệm vụ quá hạn", "overdue")) }
                    }
                }
                progress max="100" value=(pc) aria-label=(t(lang, "Tiến độ", "Progress")) { (pc) "%" }
                table.list {
                    thead { tr {
                        th { (field_label("title", lang)) }
                        th { (field_label("lead", lang)) }
                        th { (field_label("due_on", lang)) }
                        th { (field_label("target", lang)) }
                        th { (field_label("status", lang)) }
                        th { (t(lang, "Hồ sơ thực hiện", "Carried out by")) }
                    } }
                    tbody {
                        @for task in &plan.tasks {
                            @let late = task.due_on.is_some_and(|d| d.0 < today)
                                && !matches!(task.status, ngoaivu_core::records::TaskStatus::Done | ngoaivu_core::records::TaskStatus::Dropped);
                            tr.overdue[late] data-status=(task.status.code()) {
                                td { (task.title) }
                                td { (task.lead.as_deref().unwrap_or("")) }
                                td { @if let Some(d) = task.due_on { (date(&d.iso())) } @if late { " " span.flag { (t(lang, "quá hạn", "overdue")) } } }
                                td { (task.target.as_deref().unwrap_or("")) }
                                td { (value_label(task.status.code(), lang)) }
                                td {
                                    @for (i, id) in task.delegation_ids.iter().chain(&task.agreement_ids).chain(&task.event_ids).enumerate() {
                                        @if i > 0 { "; " }
                                        (link(id))
                                    }
                                }
                            }
                        }
                    }
                }
            } @else {
                p.muted { (t(lang, "Kế hoạch chưa có nhiệm vụ.", "The plan has no tasks yet.")) }
            }
        }
    }
}
