//! The province–mission channel in the browser: requests (a province's
//! sent requests, a mission's received ones, the Ministry's all), a
//! request's thread with its answer form, files and suggestions; market
//! notes; a province's follows; and the inbox of what is new.
//!
//! Every read and write goes through `Service` with the signed-in actor:
//! which requests a page shows is decided by the store (`Reach` in SQL),
//! never here. The buttons offered are `core::channel::available_actions`,
//! the same rule the store enforces, so a page never offers a refused move.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ngoaivu_core::channel::{
    self, Action, Follows, NOTE_KINDS, NoteDraft, Party, RequestDraft, RequestStatus,
};
use ngoaivu_core::{Invalid, Lang, OrgKind};
use ngoaivu_http::AppState;
use ngoaivu_store::{
    ChannelItem, ChannelRequest, MarketNote, NoteFilter, RequestFilter, StoreError,
};

use crate::kit::error;
use crate::kit::forms::{country_options, form_pairs, form_value, sector_options};
use crate::kit::layout;
use crate::kit::query::{Params, parse_id};
use crate::kit::session::WebUser;
use crate::kit::suggestions::suggestions_table;
use crate::kit::text::{country_name, date, moment, sector_label, size_text, t};
use crate::kit::upload::{Upload, read_upload};

/// A request's status, named for who has the turn: a mission (or the
/// province) for a province's request, the province (or the Ministry) for
/// the Ministry's.
fn status_badge(r: &ngoaivu_store::ChannelRequest, lang: Lang) -> Markup {
    let s = r.status;
    let label = if r.from.slug == ngoaivu_store::seed::MINISTRY_SLUG {
        s.label_from_ministry(lang)
    } else {
        s.label(lang)
    };
    html! { span class={ "status " (s.as_str()) } { (label) } }
}

fn new_badge(lang: Lang) -> Markup {
    html! { span.new { (t(lang, "Mới", "New")) } }
}

fn kind_badge(kind: &str, lang: Lang) -> Markup {
    html! { span class={ "notekind " (kind) } { (channel::note_kind_label(kind, lang)) } }
}

fn is_province_writer(u: &WebUser) -> bool {
    u.actor.org_kind == OrgKind::Province && u.actor.role.can_write()
}

fn is_mission_writer(u: &WebUser) -> bool {
    u.actor.org_kind == OrgKind::Mission && u.actor.role.can_write()
}

/// Paragraphs of a free text, as written (no markup is interpreted).
fn paragraphs(text: &str) -> Markup {
    html! {
        @for p in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            p.pre { (p.trim()) }
        }
    }
}

/// The start of a text, cut at a word, for a card.
fn excerpt(text: &str, max_chars: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// Field errors by field name, in the page's language.
fn field_errors(inv: &Invalid, lang: Lang) -> Vec<(String, String)> {
    inv.0
        .iter()
        .map(|f| {
            // `missions[0]` is shown at the missions' fieldset.
            let name = f.field.split('[').next().unwrap_or("").to_owned();
            (name, f.message(lang))
        })
        .collect()
}

fn errors_for<'a>(errors: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    errors
        .iter()
        .filter(|(f, _)| f == name)
        .map(|(_, m)| m.as_str())
        .collect()
}

fn error_span(errors: &[(String, String)], name: &str) -> Markup {
    let errs = errors_for(errors, name);
    html! {
        @if !errs.is_empty() {
            span.error id={ (name) "-error" } { @for m in &errs { (m) " " } }
        }
    }
}

fn select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    required: bool,
    errors: &[(String, String)],
) -> Markup {
    let bad = !errors_for(errors, name).is_empty();
    html! {
        div.field.has-error[bad] {
            label for=(name) { (label) }
            select #(name) name=(name) required[required]
                aria-invalid=[bad.then_some("true")]
                aria-describedby=[bad.then_some(format!("{name}-error"))] {
                option value="" { "—" }
                @for (code, text) in options {
                    option value=(code) selected[code == selected] { (text) }
                }
            }
            (error_span(errors, name))
        }
    }
}

fn text_input(
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    required: bool,
    errors: &[(String, String)],
) -> Markup {
    let bad = !errors_for(errors, name).is_empty();
    html! {
        div.field.has-error[bad] {
            label for=(name) { (label) }
            input #(name) type=(kind) name=(name) value=(value) required[required]
                aria-invalid=[bad.then_some("true")]
                aria-describedby=[bad.then_some(format!("{name}-error"))];
            (error_span(errors, name))
        }
    }
}

fn textarea(
    name: &str,
    label: &str,
    value: &str,
    rows: u32,
    errors: &[(String, String)],
) -> Markup {
    let bad = !errors_for(errors, name).is_empty();
    html! {
        div.field.has-error[bad] {
            label for=(name) { (label) }
            textarea #(name) name=(name) rows=(rows) required
                aria-invalid=[bad.then_some("true")]
                aria-describedby=[bad.then_some(format!("{name}-error"))] { (value) }
            (error_span(errors, name))
        }
    }
}

fn kind_options(lang: Lang) -> Vec<(String, String)> {
    NOTE_KINDS
        .iter()
        .map(|(c, vi, en)| ((*c).to_owned(), lang.pick(vi, en).to_owned()))
        .collect()
}

// ------------------------------------------------------------- requests

fn requests_title(u: &WebUser) -> &'static str {
    let lang = u.lang;
    match u.actor.org_kind {
        OrgKind::Province => t(lang, "Đề nghị gửi cơ quan đại diện", "Requests to missions"),
        OrgKind::Mission => t(lang, "Đề nghị của địa phương", "Requests from provinces"),
        OrgKind::Ministry => t(
            lang,
            "Đề nghị giữa địa phương và cơ quan đại diện",
            "Requests between provinces and missions",
        ),
    }
}

fn requests_table(u: &WebUser, items: &[ChannelRequest]) -> Markup {
    let lang = u.lang;
    // A province sees who wrote when the Ministry wrote to it.
    let show_from = u.actor.org_kind != OrgKind::Province
        || items.iter().any(|r| r.from.slug != u.actor.org_slug);
    let show_to = u.actor.org_kind != OrgKind::Mission;
    html! {
        div.table-wrap {
            table.list {
                thead { tr {
                    th scope="col" { (t(lang, "Nội dung", "Subject")) }
                    @if show_from { th scope="col" { (t(lang, "Bên gửi", "From")) } }
                    @if show_to { th scope="col" { (t(lang, "Gửi tới", "To")) } }
                    th scope="col" { (t(lang, "Ngành", "Sector")) }
                    th scope="col" { (t(lang, "Quốc gia", "Country")) }
                    th scope="col" { (t(lang, "Hạn trả lời", "Deadline")) }
                    th scope="col" { (t(lang, "Trạng thái", "Status")) }
                    th scope="col" { (t(lang, "Cập nhật", "Last activity")) }
                } }
                tbody {
                    @for r in items {
                        tr.unread[r.unread] {
                            td {
                                a href={ "/requests/" (r.id) } { (r.subject) }
                                @if r.unread { " " (new_badge(lang)) }
                            }
                            @if show_from { td { (r.from.name) } }
                            @if show_to { td { (r.to.name) } }
                            td { (sector_label(&r.sector, lang)) }
                            td { (country_name(&r.country, lang)) }
                            td.nowrap { @if let Some(d) = &r.deadline { (date(d)) } @else { "—" } }
                            td { (status_badge(r, lang)) }
                            td.nowrap { (moment(r.last_at)) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /requests`
pub(crate) async fn requests_page(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let lang = u.lang;
    let p = Params::parse(raw.as_deref());
    let status = RequestStatus::parse(p.get("status"));
    let f = RequestFilter {
        status,
        limit: 500,
        ..Default::default()
    };
    let items = match st.service.requests(&u.actor, &f).await {
        Ok(x) => x,
        Err(e) => return error::store_error(&u, e),
    };
    let title = requests_title(&u);
    let statuses: Vec<(String, String)> = RequestStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label(lang).to_owned()))
        .collect();
    let body = html! {
        div.heading {
            h1 { (title) }
            @if is_province_writer(&u) {
                div.actions { a.button.primary href="/requests/new" { (t(lang, "Gửi đề nghị mới", "New request")) } }
            }
        }
        p.lead.muted {
            @match u.actor.org_kind {
                OrgKind::Province => (t(lang, "Các đề nghị địa phương đã gửi tới cơ quan đại diện Việt Nam ở nước ngoài, với trả lời của từng cơ quan.", "The requests your province sent to Vietnam's missions abroad, with each mission's answers.")),
                OrgKind::Mission => (t(lang, "Các đề nghị địa phương gửi tới cơ quan. Chỉ địa phương gửi, cơ quan và Bộ Ngoại giao xem được.", "Requests provinces sent to your mission. Only the sending province, your mission and the Ministry see them.")),
                OrgKind::Ministry => (t(lang, "Toàn bộ đề nghị giữa các địa phương và cơ quan đại diện (chỉ xem).", "Every request between provinces and missions (read only).")),
            }
        }
        form.filters method="get" action="/requests" {
            (select("status", t(lang, "Trạng thái", "Status"), &statuses, p.get("status"), false, &[]))
            div.actions { button type="submit" { (t(lang, "Lọc", "Filter")) } }
        }
        p.count { (items.len()) " " (t(lang, "đề nghị", "requests")) }
        @if items.is_empty() {
            p.empty { (t(lang, "Chưa có đề nghị nào.", "No requests yet.")) }
        } @else {
            (requests_table(&u, &items))
        }
    };
    layout::respond(&u, title, StatusCode::OK, body)
}

struct RequestForm {
    missions: Vec<String>,
    subject: String,
    body: String,
    sector: String,
    country: String,
    deadline: String,
}

async fn request_form_page(
    st: &AppState,
    u: &WebUser,
    form: &RequestForm,
    errors: &[(String, String)],
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let title = t(
        lang,
        "Gửi đề nghị tới cơ quan đại diện",
        "Send a request to missions",
    );
    let missions: Vec<ngoaivu_store::Org> = match st.service.orgs().await {
        Ok(o) => o
            .into_iter()
            .filter(|o| o.kind == OrgKind::Mission)
            .collect(),
        Err(e) => return error::store_error(u, e),
    };
    let mission_errs = errors_for(errors, "missions");
    let body = html! {
        nav.crumbs { a href="/requests" { (requests_title(u)) } }
        h1 #form-h { (title) }
        p.muted { (t(lang, "Mỗi cơ quan được chọn nhận một đề nghị riêng và trả lời riêng; cơ quan này không thấy trao đổi của cơ quan khác.", "Each mission chosen receives its own request and answers it separately; no mission sees another's exchange.")) }
        @if !errors.is_empty() {
            div.alert.error role="alert" {
                p { (t(lang, "Chưa gửi được đề nghị: hãy sửa các ô được đánh dấu.", "The request was not sent: please correct the marked fields.")) }
            }
        }
        form.record method="post" action="/requests/new" aria-labelledby="form-h" novalidate {
            fieldset.group.has-error[!mission_errs.is_empty()] aria-describedby=[(!mission_errs.is_empty()).then_some("missions-error")] {
                legend { (t(lang, "Gửi tới cơ quan đại diện", "To missions")) }
                div.checkgrid {
                    @for m in &missions {
                        @let id = format!("m-{}", m.slug);
                        div.checkline {
                            input #(id) type="checkbox" name="missions" value=(m.slug) checked[form.missions.contains(&m.slug)];
                            label for=(id) {
                                (m.name)
                                @if let Some(c) = &m.country { span.muted { " · " (country_name(c, lang)) } }
                            }
                        }
                    }
                }
                (error_span(errors, "missions"))
            }
            (text_input("subject", t(lang, "Trích yếu", "Subject"), "text", &form.subject, true, errors))
            (textarea("body", t(lang, "Nội dung đề nghị", "Request"), &form.body, 8, errors))
            div.row {
                (select("sector", t(lang, "Ngành, lĩnh vực", "Sector"), &sector_options(lang), &form.sector, true, errors))
                (select("country", t(lang, "Quốc gia", "Country"), &country_options(lang), &form.country, true, errors))
                (text_input("deadline", t(lang, "Đề nghị trả lời trước ngày", "Answer requested by"), "date", &form.deadline, false, errors))
            }
            p.hint { (t(lang, "Có thể đính kèm tài liệu (hồ sơ dự án, thư giới thiệu…) ở trang đề nghị sau khi gửi.", "Documents (project profile, letter…) can be attached on the request's page once it is sent.")) }
            div.actions {
                button.primary type="submit" { (t(lang, "Gửi đề nghị", "Send the request")) }
                a.button href="/requests" { (t(lang, "Hủy", "Cancel")) }
            }
        }
    };
    layout::respond(u, title, status, body)
}

/// `GET /requests/new` (`?missions=slug&sector=…&country=…` prefill, as
/// suggestions link to it).
pub(crate) async fn request_new_form(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Response {
    // The form writes to missions: a province's. (The Ministry's requests
    // to provinces start from the record to correct.)
    if let Err(r) = channel::may_send(&u.actor)
        .and_then(|()| channel::may_address(u.actor.org_kind, OrgKind::Mission))
    {
        return error::store_error(&u, StoreError::Forbidden(ngoaivu_core::Denied::Channel(r)));
    }
    let p = Params::parse(raw.as_deref());
    let form = RequestForm {
        missions: p
            .pairs
            .iter()
            .filter(|(k, _)| k == "missions")
            .map(|(_, v)| v.clone())
            .collect(),
        subject: p.get("subject").to_owned(),
        body: String::new(),
        sector: p.get("sector").to_owned(),
        country: p.get("country").to_owned(),
        deadline: String::new(),
    };
    request_form_page(&st, &u, &form, &[], StatusCode::OK).await
}

/// `POST /requests/new`
pub(crate) async fn request_new_submit(
    State(st): State<AppState>,
    u: WebUser,
    body: axum::body::Bytes,
) -> Response {
    let pairs = form_pairs(&body);
    let form = RequestForm {
        missions: pairs
            .iter()
            .filter(|(k, _)| k == "missions")
            .map(|(_, v)| v.clone())
            .collect(),
        subject: form_value(&pairs, "subject").to_owned(),
        body: form_value(&pairs, "body").to_owned(),
        sector: form_value(&pairs, "sector").to_owned(),
        country: form_value(&pairs, "country").to_owned(),
        deadline: form_value(&pairs, "deadline").to_owned(),
    };
    let draft = RequestDraft {
        missions: form.missions.clone(),
        subject: form.subject.clone(),
        body: form.body.clone(),
        sector: form.sector.clone(),
        country: form.country.clone(),
        deadline: Some(form.deadline.clone()).filter(|d| !d.is_empty()),
    };
    match st.service.send_request(&u.actor, &draft).await {
        Ok(sent) => {
            let first = sent.first().map(|r| r.id).unwrap_or_default();
            Redirect::to(&format!("/requests/{first}?done=sent&n={}", sent.len())).into_response()
        }
        Err(StoreError::Invalid(inv)) => {
            let errors = field_errors(&inv, u.lang);
            request_form_page(&st, &u, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error::store_error(&u, e),
    }
}

fn message_class(action: Action) -> &'static str {
    match action {
        Action::Reply => "msg province",
        Action::Answer => "msg mission answer",
        Action::AskBack => "msg mission askback",
        Action::Close => "msg closing",
    }
}

fn done_text(done: &str, n: &str, lang: Lang) -> Option<String> {
    Some(match done {
        "sent" if n != "1" && !n.is_empty() => match lang {
            Lang::Vi => format!(
                "Đã gửi đề nghị tới {n} cơ quan đại diện; mỗi cơ quan có một trang riêng trong danh sách đề nghị."
            ),
            Lang::En => format!(
                "The request was sent to {n} missions; each has its own page in the list of requests."
            ),
        },
        "sent" => t(lang, "Đã gửi đề nghị.", "The request was sent.").into(),
        "reply" => t(lang, "Đã gửi nội dung bổ sung.", "Your reply was sent.").into(),
        "answer" => t(lang, "Đã gửi trả lời.", "The answer was sent.").into(),
        "ask_back" => t(
            lang,
            "Đã đề nghị địa phương bổ sung thông tin.",
            "The province was asked for more information.",
        )
        .into(),
        "close" => t(lang, "Đã đóng đề nghị.", "The request was closed.").into(),
        "file" => t(lang, "Đã đính kèm tệp.", "The file was attached.").into(),
        _ => return None,
    })
}

async fn request_view(
    st: &AppState,
    u: &WebUser,
    id: i64,
    notice: Option<String>,
    problem: Option<String>,
    typed: &str,
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let thread = match st.service.request_thread(&u.actor, id).await {
        Ok(t) => t,
        Err(e) => return error::store_error(u, e),
    };
    let suggestions = match st.service.suggestions(&u.actor, id).await {
        Ok(s) => s,
        Err(e) => return error::store_error(u, e),
    };
    let r = &thread.request;
    let party = Party::by_slug(&u.actor, &r.from.slug, &r.to.slug);
    let actions = channel::available_actions(r.status, party, u.actor.role.can_write());
    let may_attach = channel::may_attach(r.status, party, u.actor.role.can_write()).is_ok();
    let body = html! {
        nav.crumbs { a href="/requests" { (requests_title(u)) } }
        div.heading {
            h1 { (r.subject) }
            (status_badge(r, lang))
        }
        @if let Some(n) = &notice { div.alert.ok role="status" { (n) } }
        @if let Some(p) = &problem { div.alert.error role="alert" { (p) } }
        dl.fields {
            dt { (t(lang, "Bên gửi", "From")) } dd { (r.from.name) }
            dt { (t(lang, "Gửi tới", "To")) } dd { (r.to.name) }
            dt { (t(lang, "Ngành, lĩnh vực", "Sector")) } dd { (sector_label(&r.sector, lang)) }
            dt { (t(lang, "Quốc gia", "Country")) } dd { (country_name(&r.country, lang)) }
            dt { (t(lang, "Hạn trả lời", "Deadline")) } dd { @if let Some(d) = &r.deadline { (date(d)) } @else { "—" } }
            dt { (t(lang, "Ngày gửi", "Sent")) } dd { (moment(r.created_at)) " · " (r.created_by) }
        }
        h2 #thread-h { (t(lang, "Trao đổi", "Thread")) }
        ol.thread aria-labelledby="thread-h" {
            li.msg.request {
                div.msg-head {
                    strong { (r.from.name) }
                    span.muted { " · " (moment(r.created_at)) " · " (r.created_by) }
                    span.tag { (t(lang, "Đề nghị", "Request")) }
                }
                (paragraphs(&r.body))
            }
            @for m in &thread.messages {
                li class=(message_class(m.action)) {
                    div.msg-head {
                        strong { (m.org.name) }
                        span.muted { " · " (moment(m.created_at)) " · " (m.created_by) }
                        span.tag { (m.action.label(lang)) }
                    }
                    @if m.body.is_empty() {
                        p.muted { (t(lang, "(Không có nội dung)", "(No text)")) }
                    } @else {
                        (paragraphs(&m.body))
                    }
                }
            }
        }
        @if !actions.is_empty() {
            form.record.answer #answer method="post" action={ "/requests/" (r.id) "/messages" } {
                // The thread as this page showed it: a message written
                // meanwhile by someone else is shown before this one goes.
                input type="hidden" name="version" value=(r.etag());
                div.field.has-error[problem.is_some() && typed.is_empty()] {
                    label for="msg-body" {
                        // Named by the other side: a mission and a province,
                        // or a province and the Ministry.
                        @if party == Party::Addressee {
                            @match lang {
                                Lang::Vi => { "Trả lời, hoặc đề nghị " (r.from.name) " bổ sung" }
                                Lang::En => { "Answer, or ask " (r.from.name) " for more" }
                            }
                        } @else {
                            @match lang {
                                Lang::Vi => { "Bổ sung thông tin cho " (r.to.name) }
                                Lang::En => { "Write to " (r.to.name) }
                            }
                        }
                    }
                    textarea #msg-body name="body" rows="6" { (typed) }
                    span.hint { (t(lang, "Khi đóng đề nghị, nội dung có thể để trống.", "When closing, the text may be left empty.")) }
                }
                div.actions {
                    @for a in &actions {
                        button class=(if *a == Action::Close { "" } else { "primary" }) type="submit" name="action" value=(a.as_str()) { (a.label(lang)) }
                    }
                }
            }
        } @else if r.status == RequestStatus::Closed {
            p.muted { (t(lang, "Đề nghị đã đóng.", "This request is closed.")) }
        } @else if party == Party::Ministry {
            p.muted { (t(lang, "Bộ Ngoại giao theo dõi trao đổi này (chỉ xem).", "The Ministry follows this exchange (read only).")) }
        }
        h2 { (t(lang, "Tài liệu đính kèm", "Attachments")) }
        @if thread.attachments.is_empty() {
            p.empty { (t(lang, "Chưa có tệp đính kèm.", "No files attached.")) }
        } @else {
            ul.files {
                @for a in &thread.attachments {
                    li {
                        a href={ "/requests/" (r.id) "/attachments/" (a.id) } { (a.filename) }
                        span.muted { " · " (size_text(a.size, lang)) " · " (moment(a.created_at)) " · " (a.created_by) }
                    }
                }
            }
        }
        @if may_attach {
            form.upload method="post" enctype="multipart/form-data" action={ "/requests/" (r.id) "/attachments" } {
                div.field {
                    label for="file" { (t(lang, "Đính kèm tệp", "Attach a file")) }
                    input #file type="file" name="file" required;
                }
                div.actions { button type="submit" { (t(lang, "Tải lên", "Upload")) } }
            }
        }
        h2 #sugg-h { (t(lang, "Gợi ý kết nối", "Suggested connections")) }
        p.muted { (t(lang, "Cơ quan đại diện, đối tác của địa phương và bản tin thị trường cùng ngành hoặc cùng quốc gia với đề nghị, xếp theo mức phù hợp.", "Missions, the province's partners and market notes sharing the request's sector or country, best match first.")) }
        @let may_ask = party == Party::Sender && u.actor.role.can_write();
        (suggestions_table(&suggestions, lang, |slug| {
            // The sender may ask another mission the same.
            (may_ask && slug != r.to.slug).then(|| {
                format!("/requests/new?missions={slug}&sector={}&country={}", r.sector, r.country)
            })
        }))
    };
    layout::respond(u, &r.subject, status, body)
}

/// `GET /requests/{id}`
pub(crate) async fn request_page(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return error::not_found(u.lang, Some(&u));
    };
    let p = Params::parse(raw.as_deref());
    let notice = done_text(p.get("done"), p.get("n"), u.lang);
    request_view(&st, &u, id, notice, None, "", StatusCode::OK).await
}

/// `POST /requests/{id}/messages`: the button pressed names the action.
pub(crate) async fn request_message(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let lang = u.lang;
    let Some(id) = parse_id(&id) else {
        return error::not_found(lang, Some(&u));
    };
    let pairs = form_pairs(&body);
    let text = form_value(&pairs, "body");
    let Some(action) = Action::parse(form_value(&pairs, "action")) else {
        return request_view(
            &st,
            &u,
            id,
            None,
            Some(t(lang, "Hãy chọn một thao tác.", "Please choose an action.").into()),
            text,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let version = form_value(&pairs, "version");
    let expect = (!version.is_empty()).then_some(version);
    match st
        .service
        .post_message(&u.actor, id, action, text, expect)
        .await
    {
        Ok(_) => {
            Redirect::to(&format!("/requests/{id}?done={}#answer", action.as_str())).into_response()
        }
        Err(StoreError::Invalid(inv)) => {
            let msg = inv
                .0
                .iter()
                .map(|f| f.message(lang))
                .collect::<Vec<_>>()
                .join(" ");
            let problem = format!("{} {msg}", t(lang, "Chưa gửi được:", "Not sent:"));
            request_view(
                &st,
                &u,
                id,
                None,
                Some(problem),
                text,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::StaleRequest(_)) => {
            // Someone wrote since the page was opened: the thread as it is
            // now, with what was typed kept, to read before sending.
            let problem = t(
                lang,
                "Đã có tin mới trong đề nghị sau khi bạn mở trang; tin của bạn chưa được gửi. Hãy đọc tin mới ở trên, rồi gửi lại.",
                "Someone wrote in the request after you opened the page; your message was not sent. Read the new message above, then send again.",
            );
            request_view(
                &st,
                &u,
                id,
                None,
                Some(problem.into()),
                text,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(StoreError::Forbidden(d)) => {
            // The reason, on the thread, with what was typed kept.
            let problem = format!(
                "{} {}",
                t(lang, "Không thực hiện được:", "Not done:"),
                d.message(lang)
            );
            request_view(
                &st,
                &u,
                id,
                None,
                Some(problem),
                text,
                StatusCode::FORBIDDEN,
            )
            .await
        }
        Err(e) => error::store_error(&u, e),
    }
}

async fn upload_to(
    st: &AppState,
    u: &WebUser,
    item: ChannelItem,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<(), String> {
    let lang = u.lang;
    let max = st.config.attachment_max_bytes;
    let (name, bytes) = match read_upload(mp, max).await {
        Upload::File(n, b) => (n, b),
        Upload::NoFile => {
            return Err(t(
                lang,
                "Chưa chọn tệp nào để đính kèm.",
                "No file was chosen to attach.",
            )
            .into());
        }
        Upload::Unreadable => {
            return Err(t(
                lang,
                "Không đọc được tệp gửi lên.",
                "The upload could not be read.",
            )
            .into());
        }
        Upload::TooLarge => return Err(t(lang, "Tệp quá lớn.", "The file is too large.").into()),
    };
    match st
        .service
        .attach_channel(&u.actor, item, &name, bytes, max)
        .await
    {
        Ok(_) => Ok(()),
        Err(StoreError::Invalid(inv)) => Err(inv
            .0
            .iter()
            .map(|f| f.message(lang))
            .collect::<Vec<_>>()
            .join(" ")),
        Err(StoreError::Forbidden(d)) => Err(d.message(lang).into()),
        Err(StoreError::NotFound) => Err(t(lang, "Không tìm thấy.", "Not found.").into()),
        Err(e) => Err(e.to_string()),
    }
}

/// `POST /requests/{id}/attachments`
pub(crate) async fn request_upload(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return error::not_found(u.lang, Some(&u));
    };
    match upload_to(&st, &u, ChannelItem::Request(id), mp).await {
        Ok(()) => Redirect::to(&format!("/requests/{id}?done=file")).into_response(),
        Err(msg) => {
            let problem = format!(
                "{} {msg}",
                t(
                    u.lang,
                    "Không đính kèm được tệp:",
                    "The file was not attached:"
                )
            );
            request_view(
                &st,
                &u,
                id,
                None,
                Some(problem),
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn download(st: &AppState, u: &WebUser, item: ChannelItem, aid: &str) -> Response {
    let Some(aid) = parse_id(aid) else {
        return error::not_found(u.lang, Some(u));
    };
    match st.service.channel_attachment(&u.actor, item, aid).await {
        Ok((meta, bytes)) => ngoaivu_http::api::file_response(&meta, bytes),
        Err(e) => error::store_error(u, e),
    }
}

/// `GET /requests/{id}/attachments/{aid}`
pub(crate) async fn request_download(
    State(st): State<AppState>,
    u: WebUser,
    Path((id, aid)): Path<(String, String)>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return error::not_found(u.lang, Some(&u));
    };
    download(&st, &u, ChannelItem::Request(id), &aid).await
}

// ---------------------------------------------------------- market notes

fn notes_list(u: &WebUser, notes: &[MarketNote]) -> Markup {
    let lang = u.lang;
    html! {
        ul.notes {
            @for n in notes {
                li.note.unread[n.unread] {
                    div.note-head {
                        (kind_badge(&n.kind, lang))
                        @if n.unread { (new_badge(lang)) }
                    }
                    a.note-title href={ "/market-notes/" (n.id) } { (n.title) }
                    p.note-lead { (excerpt(&n.body, 180)) }
                    div.muted.small {
                        (date(&n.date)) " · " (country_name(&n.country, lang)) " · " (sector_label(&n.sector, lang))
                        br;
                        (n.org.name)
                    }
                }
            }
        }
    }
}

/// `GET /market-notes`
pub(crate) async fn notes_page(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let lang = u.lang;
    let p = Params::parse(raw.as_deref());
    let some = |k: &str| Some(p.get(k).to_owned()).filter(|v| !v.is_empty());
    let f = NoteFilter {
        sector: some("sector"),
        country: some("country"),
        kind: some("kind"),
        limit: 300,
        ..Default::default()
    };
    let notes = match st.service.notes(&u.actor, &f).await {
        Ok(n) => n,
        Err(e) => return error::store_error(&u, e),
    };
    let title = t(lang, "Bản tin thị trường", "Market notes");
    let body = html! {
        div.heading {
            h1 { (title) }
            div.actions {
                @if is_mission_writer(&u) {
                    a.button.primary href="/market-notes/new" { (t(lang, "Đăng bản tin", "Publish a note")) }
                }
                @if u.actor.org_kind == OrgKind::Province {
                    a.button href="/follows" { (t(lang, "Ngành và quốc gia theo dõi", "Sectors and countries followed")) }
                }
            }
        }
        p.lead.muted { (t(lang, "Thông tin thị trường, cơ hội hợp tác, cảnh báo sớm và rào cản thương mại do các cơ quan đại diện Việt Nam ở nước ngoài cung cấp.", "Market information, opportunities, early warnings and trade barriers from Vietnam's missions abroad.")) }
        form.filters method="get" action="/market-notes" {
            (select("sector", t(lang, "Ngành, lĩnh vực", "Sector"), &sector_options(lang), p.get("sector"), false, &[]))
            (select("country", t(lang, "Quốc gia", "Country"), &country_options(lang), p.get("country"), false, &[]))
            (select("kind", t(lang, "Loại tin", "Kind"), &kind_options(lang), p.get("kind"), false, &[]))
            div.actions { button type="submit" { (t(lang, "Lọc", "Filter")) } }
        }
        p.count { (notes.len()) " " (t(lang, "bản tin", "notes")) }
        @if notes.is_empty() {
            p.empty { (t(lang, "Chưa có bản tin nào.", "No notes yet.")) }
        } @else {
            (notes_list(&u, &notes))
        }
    };
    layout::respond(&u, title, StatusCode::OK, body)
}

fn note_form_page(
    u: &WebUser,
    d: &NoteDraft,
    errors: &[(String, String)],
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let title = t(lang, "Đăng bản tin thị trường", "Publish a market note");
    let body = html! {
        nav.crumbs { a href="/market-notes" { (t(lang, "Bản tin thị trường", "Market notes")) } }
        h1 #form-h { (title) }
        @if !errors.is_empty() {
            div.alert.error role="alert" {
                p { (t(lang, "Chưa đăng được: hãy sửa các ô được đánh dấu.", "Not published: please correct the marked fields.")) }
            }
        }
        form.record method="post" action="/market-notes/new" aria-labelledby="form-h" novalidate {
            div.row {
                (select("kind", t(lang, "Loại tin", "Kind"), &kind_options(lang), &d.kind, true, errors))
                (text_input("date", t(lang, "Ngày", "Date"), "date", &d.date, true, errors))
            }
            (text_input("title", t(lang, "Tiêu đề", "Title"), "text", &d.title, true, errors))
            div.row {
                (select("sector", t(lang, "Ngành, lĩnh vực", "Sector"), &sector_options(lang), &d.sector, true, errors))
                (select("country", t(lang, "Quốc gia", "Country"), &country_options(lang), &d.country, true, errors))
            }
            (textarea("body", t(lang, "Nội dung", "Text"), &d.body, 10, errors))
            div.actions {
                button.primary type="submit" { (t(lang, "Đăng bản tin", "Publish")) }
                a.button href="/market-notes" { (t(lang, "Hủy", "Cancel")) }
            }
        }
    };
    layout::respond(u, title, status, body)
}

/// `GET /market-notes/new`
pub(crate) async fn note_new_form(u: WebUser) -> Response {
    if let Err(r) = channel::may_publish(&u.actor) {
        return error::store_error(&u, StoreError::Forbidden(ngoaivu_core::Denied::Channel(r)));
    }
    let today = time::OffsetDateTime::now_utc().date();
    let d = NoteDraft {
        kind: String::new(),
        title: String::new(),
        body: String::new(),
        sector: String::new(),
        // The mission's own country is the usual subject.
        country: u.org.country.clone().unwrap_or_default(),
        date: ngoaivu_core::values::format_date(today),
    };
    note_form_page(&u, &d, &[], StatusCode::OK)
}

/// `POST /market-notes/new`
pub(crate) async fn note_new_submit(
    State(st): State<AppState>,
    u: WebUser,
    body: axum::body::Bytes,
) -> Response {
    let pairs = form_pairs(&body);
    let d = NoteDraft {
        kind: form_value(&pairs, "kind").to_owned(),
        title: form_value(&pairs, "title").to_owned(),
        body: form_value(&pairs, "body").to_owned(),
        sector: form_value(&pairs, "sector").to_owned(),
        country: form_value(&pairs, "country").to_owned(),
        date: form_value(&pairs, "date").to_owned(),
    };
    match st.service.publish_note(&u.actor, &d).await {
        Ok(n) => Redirect::to(&format!("/market-notes/{}?done=published", n.id)).into_response(),
        Err(StoreError::Invalid(inv)) => {
            let errors = field_errors(&inv, u.lang);
            note_form_page(&u, &d, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => error::store_error(&u, e),
    }
}

async fn note_view(
    st: &AppState,
    u: &WebUser,
    id: i64,
    notice: Option<String>,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let n = match st.service.note(&u.actor, id).await {
        Ok(n) => n,
        Err(e) => return error::store_error(u, e),
    };
    let files = match st
        .service
        .channel_attachments(&u.actor, ChannelItem::Note(id))
        .await
    {
        Ok(f) => f,
        Err(e) => return error::store_error(u, e),
    };
    let own = is_mission_writer(u) && n.org.slug == u.actor.org_slug;
    let body = html! {
        nav.crumbs { a href="/market-notes" { (t(lang, "Bản tin thị trường", "Market notes")) } }
        div.heading { h1 { (n.title) } (kind_badge(&n.kind, lang)) }
        @if let Some(m) = &notice { div.alert.ok role="status" { (m) } }
        @if let Some(p) = &problem { div.alert.error role="alert" { (p) } }
        dl.fields {
            dt { (t(lang, "Cơ quan đại diện", "Mission")) } dd { (n.org.name) }
            dt { (t(lang, "Ngày", "Date")) } dd { (date(&n.date)) }
            dt { (t(lang, "Quốc gia", "Country")) } dd { a href={ "/market-notes?country=" (n.country) } { (country_name(&n.country, lang)) } }
            dt { (t(lang, "Ngành, lĩnh vực", "Sector")) } dd { a href={ "/market-notes?sector=" (n.sector) } { (sector_label(&n.sector, lang)) } }
        }
        div.prose { (paragraphs(&n.body)) }
        h2 { (t(lang, "Tài liệu đính kèm", "Attachments")) }
        @if files.is_empty() {
            p.empty { (t(lang, "Chưa có tệp đính kèm.", "No files attached.")) }
        } @else {
            ul.files {
                @for a in &files {
                    li {
                        a href={ "/market-notes/" (n.id) "/attachments/" (a.id) } { (a.filename) }
                        span.muted { " · " (size_text(a.size, lang)) }
                    }
                }
            }
        }
        @if own {
            form.upload method="post" enctype="multipart/form-data" action={ "/market-notes/" (n.id) "/attachments" } {
                div.field {
                    label for="file" { (t(lang, "Đính kèm tệp", "Attach a file")) }
                    input #file type="file" name="file" required;
                }
                div.actions { button type="submit" { (t(lang, "Tải lên", "Upload")) } }
            }
        }
        @if is_province_writer(u) {
            p { a.button href={ "/requests/new?missions=" (n.org.slug) "&sector=" (n.sector) "&country=" (n.country) } {
                (t(lang, "Gửi đề nghị tới cơ quan này", "Send this mission a request"))
            } }
        }
    };
    layout::respond(u, &n.title, status, body)
}

/// `GET /market-notes/{id}`
pub(crate) async fn note_page(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return error::not_found(u.lang, Some(&u));
    };
    let p = Params::parse(raw.as_deref());
    let notice = match p.get("done") {
        "published" => Some(t(u.lang, "Đã đăng bản tin.", "The note was published.").to_owned()),
        "file" => Some(t(u.lang, "Đã đính kèm tệp.", "The file was attached.").to_owned()),
        _ => None,
    };
    note_view(&st, &u, id, notice, None, StatusCode::OK).await
}

/// `POST /market-notes/{id}/attachments`
pub(crate) async fn note_upload(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return error::not_found(u.lang, Some(&u));
    };
    match upload_to(&st, &u, ChannelItem::Note(id), mp).await {
        Ok(()) => Redirect::to(&format!("/market-notes/{id}?done=file")).into_response(),
        Err(msg) => {
            let problem = format!(
                "{} {msg}",
                t(
                    u.lang,
                    "Không đính kèm được tệp:",
                    "The file was not attached:"
                )
            );
            note_view(
                &st,
                &u,
                id,
                None,
                Some(problem),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /market-notes/{id}/attachments/{aid}`
pub(crate) async fn note_download(
    State(st): State<AppState>,
    u: WebUser,
    Path((id, aid)): Path<(String, String)>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return error::not_found(u.lang, Some(&u));
    };
    download(&st, &u, ChannelItem::Note(id), &aid).await
}

// ------------------------------------------------------- follows, inbox

/// The countries offered as checkboxes: those with a mission (where notes
/// come from) and those already followed; any other is added from a list.
async fn follow_countries(
    st: &AppState,
    f: &Follows,
    lang: Lang,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut codes: Vec<String> = st
        .service
        .orgs()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Mission)
        .filter_map(|o| o.country)
        .chain(f.countries.iter().cloned())
        .collect();
    codes.sort();
    codes.dedup();
    let mut named: Vec<(String, String)> = codes
        .into_iter()
        .map(|c| {
            let name = country_name(&c, lang);
            (c, name)
        })
        .collect();
    named.sort_by_key(|(_, n)| ngoaivu_core::fold::vi_sort_key(n));
    Ok(named)
}

async fn follows_page(
    st: &AppState,
    u: &WebUser,
    f: &Follows,
    saved: bool,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let title = t(
        lang,
        "Ngành và quốc gia theo dõi",
        "Sectors and countries followed",
    );
    let editable = is_province_writer(u);
    let countries = match follow_countries(st, f, lang).await {
        Ok(c) => c,
        Err(e) => return error::store_error(u, e),
    };
    let body = html! {
        nav.crumbs { a href="/inbox" { (t(lang, "Hộp thư", "Inbox")) } }
        h1 #form-h { (title) }
        p.muted { (t(lang, "Bản tin thị trường mới thuộc các ngành hoặc quốc gia được chọn sẽ hiện trong hộp thư của mọi cán bộ địa phương.", "New market notes in the chosen sectors or countries appear in the inbox of everyone in your province.")) }
        @if saved { div.alert.ok role="status" { (t(lang, "Đã lưu.", "Saved.")) } }
        @if let Some(p) = &problem { div.alert.error role="alert" { (p) } }
        @if u.actor.org_kind != OrgKind::Province {
            p.muted { (channel::Refusal::OnlyProvincesFollow.message(lang)) }
        } @else if !editable {
            p.muted { (t(lang, "Chỉ cán bộ có quyền biên tập của địa phương thay đổi được.", "Only your province's editors may change them.")) }
        }
        form.record method="post" action="/follows" aria-labelledby="form-h" {
            fieldset.group disabled[!editable] {
                legend { (t(lang, "Ngành, lĩnh vực", "Sectors")) }
                div.checkgrid {
                    @for (code, label) in sector_options(lang) {
                        @let id = format!("s-{code}");
                        div.checkline {
                            input #(id) type="checkbox" name="sectors" value=(code) checked[f.sectors.contains(&code)];
                            label for=(id) { (label) }
                        }
                    }
                }
            }
            fieldset.group disabled[!editable] {
                legend { (t(lang, "Quốc gia", "Countries")) }
                div.checkgrid {
                    @for (code, label) in &countries {
                        @let id = format!("c-{code}");
                        div.checkline {
                            input #(id) type="checkbox" name="countries" value=(code) checked[f.countries.contains(code)];
                            label for=(id) { (label) }
                        }
                    }
                }
                div.field {
                    label for="country-more" { (t(lang, "Thêm quốc gia khác", "Add another country")) }
                    select #country-more name="countries" {
                        option value="" { "—" }
                        @for (code, label) in country_options(lang) {
                            @if !countries.iter().any(|(c, _)| *c == code) {
                                option value=(code) { (label) }
                            }
                        }
                    }
                }
            }
            @if editable {
                div.actions { button.primary type="submit" { (t(lang, "Lưu", "Save")) } }
            }
        }
    };
    layout::respond(u, title, status, body)
}

/// `GET /follows`
pub(crate) async fn follows_form(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let f = match st.service.follows(&u.actor).await {
        Ok(f) => f,
        Err(e) => return error::store_error(&u, e),
    };
    let saved = Params::parse(raw.as_deref()).get("done") == "saved";
    follows_page(&st, &u, &f, saved, None, StatusCode::OK).await
}

/// `POST /follows`
pub(crate) async fn follows_submit(
    State(st): State<AppState>,
    u: WebUser,
    body: axum::body::Bytes,
) -> Response {
    let pairs = form_pairs(&body);
    let of = |k: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(key, v)| key == k && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    };
    let f = Follows {
        sectors: of("sectors"),
        countries: of("countries"),
    };
    match st.service.set_follows(&u.actor, f.clone()).await {
        Ok(_) => Redirect::to("/follows?done=saved").into_response(),
        Err(StoreError::Invalid(inv)) => {
            let msg = inv
                .0
                .iter()
                .map(|e| e.message(u.lang))
                .collect::<Vec<_>>()
                .join(" ");
            follows_page(
                &st,
                &u,
                &f,
                false,
                Some(msg),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => error::store_error(&u, e),
    }
}

/// `GET /inbox`
pub(crate) async fn inbox_page(State(st): State<AppState>, u: WebUser) -> Response {
    let lang = u.lang;
    let inbox = match st.service.inbox(&u.actor).await {
        Ok(i) => i,
        Err(e) => return error::store_error(&u, e),
    };
    let title = t(lang, "Hộp thư", "Inbox");
    let province = u.actor.org_kind == OrgKind::Province;
    let body = html! {
        h1 { (title) }
        h2 #req-h {
            (t(lang, "Đề nghị có trao đổi mới", "Requests with news"))
            " " span.count-badge { (inbox.requests.len()) }
        }
        @if inbox.requests.is_empty() {
            p.empty { (t(lang, "Không có trao đổi mới.", "Nothing new.")) " " a href="/requests" { (t(lang, "Xem mọi đề nghị", "All requests")) } }
        } @else {
            (requests_table(&u, &inbox.requests))
        }
        @if province {
            h2 #notes-h {
                (t(lang, "Bản tin mới theo ngành và quốc gia theo dõi", "New notes in the sectors and countries you follow"))
                " " span.count-badge { (inbox.notes.len()) }
            }
            @if inbox.follows.is_empty() {
                p.empty {
                    (t(lang, "Địa phương chưa chọn ngành hay quốc gia nào để theo dõi.", "Your province follows no sector or country yet."))
                    " " a href="/follows" { (t(lang, "Chọn ngành và quốc gia", "Choose sectors and countries")) }
                }
            } @else {
                p.muted {
                    (t(lang, "Đang theo dõi: ", "Following: "))
                    @for (i, s) in inbox.follows.sectors.iter().enumerate() {
                        @if i > 0 { ", " } (sector_label(s, lang))
                    }
                    @if !inbox.follows.sectors.is_empty() && !inbox.follows.countries.is_empty() { "; " }
                    @for (i, c) in inbox.follows.countries.iter().enumerate() {
                        @if i > 0 { ", " } (country_name(c, lang))
                    }
                    " · " a href="/follows" { (t(lang, "Thay đổi", "Change")) }
                }
                @if inbox.notes.is_empty() {
                    p.empty { (t(lang, "Không có bản tin mới.", "No new notes.")) }
                } @else {
                    (notes_list(&u, &inbox.notes))
                }
            }
        }
    };
    layout::respond(&u, title, StatusCode::OK, body)
}
