//! The report reader in the browser. A report is pasted or uploaded (one
//! file or a batch: text, HTML, DOCX, PDF), read by `ngoaivu-extract`, and
//! kept as a document of the organisation (`Service::add_document`), so
//! that a batch queues its documents for review one after another. The
//! review screen lists what the reader found, the least certain first with
//! the words that decided it and the page, and the figures it could not
//! place; the person accepts, corrects, places or rejects each, and the
//! accepted ones are written as records in one transaction, each with an
//! audit row naming the document. Facts saved link back to the document
//! (`/reader/sources/{hash}`).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use ngoaivu_core::fold::{slugify, vi_sort_key};
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::{Lang, OrgKind, RecordType, Role};
use ngoaivu_extract::{DocDate, Extractor, Facts, PartnershipKind, Period, ReadDocument, Why};
use ngoaivu_http::AppState;
use ngoaivu_store::{
    BulkRecord, DocumentStatus, ImportSource, NewReaderDocument, ReaderDocument, StoreError,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::kit::error;
use crate::kit::forms::{form_pairs, form_value};
use crate::kit::layout;
use crate::kit::records::Names;
use crate::kit::session::{WebUser, is_ministry};
use crate::kit::text::*;

/// Largest upload on the reader's form, all files together.
pub(crate) const UPLOAD_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Files taken from one upload.
const MAX_FILES: usize = 200;
/// Below this confidence a fact is marked for a careful look.
const DOUBTFUL: f64 = 0.7;
/// From this confidence a fact is marked as clear.
const CLEAR: f64 = 0.85;

/// What the user sent on the first form.
#[derive(Default)]
struct Input {
    text: String,
    date: String,
    title: String,
}

/// Whether the user may keep documents and save facts: a writer of a
/// province or the Ministry (missions keep no provincial records).
fn may_keep(u: &WebUser) -> bool {
    u.actor.role.can_write() && u.actor.org_kind != OrgKind::Mission
}

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(Extractor::new)
}

/// The text as kept and hashed: line ends `\n` (forms send `\r\n`), no
/// trailing blanks.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_owned()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn why_text(w: &Why, lang: Lang) -> &str {
    w.text(lang == Lang::Vi)
}

/// A warning kept as `{vi, en}` JSON, in `lang`.
fn warning_text(v: &Value, lang: Lang) -> String {
    let k = if lang == Lang::Vi { "vi" } else { "en" };
    v.get(k)
        .or_else(|| v.get("en"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

fn format_label(format: &str) -> &'static str {
    match format {
        "pdf" => "PDF",
        "docx" => "DOCX",
        "html" => "HTML",
        _ => "TXT",
    }
}

fn status_label(s: DocumentStatus, lang: Lang) -> &'static str {
    match s {
        DocumentStatus::Queued => t(lang, "Chờ xem xét", "Awaiting review"),
        DocumentStatus::Reviewed => t(lang, "Đã xem xét", "Reviewed"),
        DocumentStatus::Dismissed => t(lang, "Đã bỏ qua", "Put aside"),
    }
}

fn status_class(s: DocumentStatus) -> &'static str {
    match s {
        DocumentStatus::Queued => "doc-queued",
        DocumentStatus::Reviewed => "doc-reviewed",
        DocumentStatus::Dismissed => "doc-dismissed",
    }
}

// ---------------------------------------------------------------- the home page

fn input_form(u: &WebUser, input: &Input, errors: &HashMap<&str, String>) -> Markup {
    let lang = u.lang;
    let err = |k: &str| errors.get(k);
    html! {
        @if !may_keep(u) {
            div.alert.info role="note" { (t(lang, "Tài khoản của bạn chỉ có quyền xem: bạn có thể đọc báo cáo nhưng không thể lưu số liệu hay đưa văn bản vào hàng chờ.", "Your account may only view: you can read a report but cannot save figures or queue documents.")) }
        }
        @if !errors.is_empty() {
            div.alert.error role="alert" { p { (t(lang, "Chưa đọc được: hãy sửa các ô được đánh dấu.", "Not read: please correct the marked fields.")) } }
        }
        form.record method="post" action="/reader" enctype="multipart/form-data" novalidate {
            @for (id, label, hint) in [
                ("text", t(lang, "Dán nội dung báo cáo", "Paste the report's text"), None),
                ("file", t(lang, "Hoặc tải lên tệp (.pdf, .docx, .html, .txt; chọn được nhiều tệp)", "Or upload files (.pdf, .docx, .html, .txt; several at once)"), Some(t(lang, "Nhiều tệp được đưa vào hàng chờ để xem xét lần lượt. PDF phải có lớp chữ (xuất từ Word), không phải bản quét.", "Several files are queued to be reviewed one after another. A PDF needs a text layer (exported from Word), not a scan."))),
                ("date", t(lang, "Ngày của văn bản", "Date of the document"), Some(t(lang, "YYYY-MM-DD hoặc YYYY; không bắt buộc (mặc định đọc từ văn bản).", "YYYY-MM-DD or YYYY; optional (read from the text by default)."))),
                ("title", t(lang, "Tên văn bản", "Title of the document"), Some(t(lang, "Không bắt buộc; mặc định là tên tệp hoặc dòng đầu tiên.", "Optional; defaults to the file name or the first line.")))
            ] {
                @let e = err(id);
                @let err_id = format!("{id}-error");
                @let hint_id = format!("{id}-hint");
                div.field.has-error[e.is_some()] {
                    label for=(id) { (label) }
                    @match id {
                        "text" => { textarea #text name="text" rows="10" aria-invalid=[e.map(|_| "true")] aria-describedby=[e.map(|_| &err_id)] { (input.text) } }
                        "file" => { input #file type="file" name="file" multiple accept=".pdf,.docx,.html,.htm,.txt,application/pdf,text/plain,text/html,application/vnd.openxmlformats-officedocument.wordprocessingml.document" aria-invalid=[e.map(|_| "true")] aria-describedby={ (hint_id) @if e.is_some() { " " (err_id) } }; }
                        "date" => { input #date type="text" name="date" value=(input.date) placeholder="2022-12-20" inputmode="numeric" aria-invalid=[e.map(|_| "true")] aria-describedby={ (hint_id) @if e.is_some() { " " (err_id) } }; }
                        _ => { input #title type="text" name="title" value=(input.title) aria-invalid=[e.map(|_| "true")] aria-describedby={ (hint_id) @if e.is_some() { " " (err_id) } }; }
                    }
                    @if let Some(h) = hint { span.hint id=(hint_id) { (h) } }
                    @if let Some(e) = e { span.error id=(err_id) { (e) } }
                }
            }
            div.actions {
                button.primary type="submit" { (t(lang, "Đọc báo cáo", "Read the report")) }
            }
        }
    }
}

/// The documents table of the home page (the queue, or the recent ones).
fn documents_table(u: &WebUser, docs: &[ReaderDocument], names: &Names, caption: &str) -> Markup {
    let lang = u.lang;
    let ministry = is_ministry(u);
    html! {
        table.list {
            caption.sr { (caption) }
            thead { tr {
                th scope="col" { (t(lang, "Văn bản", "Document")) }
                @if ministry { th scope="col" { (field_label("org", lang)) } }
                th scope="col" { (t(lang, "Định dạng", "Format")) }
                th scope="col" { (t(lang, "Ngày văn bản", "Document date")) }
                th scope="col" { (t(lang, "Tải lên", "Uploaded")) }
                th scope="col" { (t(lang, "Trạng thái", "Status")) }
            } }
            tbody {
                @for d in docs {
                    tr {
                        td { a href={ "/reader/documents/" (d.id) } { (d.title) } }
                        @if ministry { td { (names.org(&org_slug(names, d.org_id))) } }
                        td { (format_label(&d.format)) @if !d.warnings.is_empty() { " " span.badge.doc-warning title=(warning_text(&d.warnings[0], lang)) { "!" } } }
                        td { @if let Some(x) = &d.doc_date { (date(x)) } @else { "—" } }
                        td { (moment(d.created_at)) " · " (d.created_by) }
                        td {
                            span class={ "badge " (status_class(d.status)) } { (status_label(d.status, lang)) }
                            @if d.status == DocumentStatus::Reviewed {
                                " " (d.facts_saved) " " (t(lang, "mục đã lưu", "saved"))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The slug of an organisation by id, through the names (orgs are few).
fn org_slug(names: &Names, org_id: i64) -> String {
    names
        .org_ids
        .get(&org_id)
        .cloned()
        .unwrap_or_else(|| org_id.to_string())
}

async fn render_home(
    st: &AppState,
    u: &WebUser,
    input: &Input,
    errors: &HashMap<&str, String>,
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let names = match Names::load(st).await {
        Ok(n) => n,
        Err(e) => return error::store_error(u, e),
    };
    let queued = st
        .service
        .documents(&u.actor, Some(DocumentStatus::Queued), 500)
        .await
        .unwrap_or_default();
    let recent: Vec<ReaderDocument> = st
        .service
        .documents(&u.actor, None, 60)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|d| d.status != DocumentStatus::Queued)
        .take(20)
        .collect();
    let title = t(lang, "Đọc báo cáo", "Read a report");
    let body = html! {
        h1 { (title) }
        p.muted { (t(lang, "Dán nội dung hoặc tải lên báo cáo (kể cả PDF, nhiều tệp một lúc); hệ thống đọc các số liệu và quan hệ đối tác để bạn xem xét trước khi lưu. Mục kém chắc chắn được xếp lên đầu.", "Paste or upload reports (PDF too, several at once); the figures and partnerships they state are read for you to review before saving, the least certain first.")) }
        (input_form(u, input, errors))
        @if !queued.is_empty() {
            section aria-labelledby="queue-h" {
                h2 #queue-h { (t(lang, "Hàng chờ xem xét", "Awaiting review")) " (" (queued.len()) ")" }
                (documents_table(u, &queued, &names, t(lang, "Văn bản chờ xem xét", "Documents awaiting review")))
            }
        }
        @if !recent.is_empty() {
            section aria-labelledby="recent-h" {
                h2 #recent-h { (t(lang, "Đã xem xét gần đây", "Recently reviewed")) }
                (documents_table(u, &recent, &names, t(lang, "Văn bản đã xem xét", "Reviewed documents")))
            }
        }
    };
    layout::respond(u, title, status, body)
}

pub(crate) async fn reader_home(State(st): State<AppState>, u: WebUser) -> Response {
    render_home(&st, &u, &Input::default(), &HashMap::new(), StatusCode::OK).await
}

async fn form_again(
    st: &AppState,
    u: &WebUser,
    input: &Input,
    field: &'static str,
    msg: String,
) -> Response {
    let mut errors = HashMap::new();
    errors.insert(field, msg);
    render_home(st, u, input, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

fn parse_date(lang: Lang, s: &str) -> Result<Option<DocDate>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    DocDate::parse(s.trim()).map(Some).map_err(|_| {
        t(
            lang,
            "Ngày không hợp lệ: hãy viết theo dạng YYYY-MM-DD (ví dụ 2022-12-20) hoặc chỉ năm YYYY.",
            "Invalid date: write it as YYYY-MM-DD (e.g. 2022-12-20) or just the year YYYY.",
        )
        .to_owned()
    })
}

/// The title of a pasted text: the given one, else its first line.
fn pasted_title(input: &Input, text: &str) -> String {
    let t = input.title.trim();
    if !t.is_empty() {
        return t.chars().take(200).collect();
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    first.chars().take(120).collect()
}

/// A file's name without its folder and extension, as a title.
fn file_title(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let t: String = stem.chars().take(200).collect();
    if t.trim().is_empty() {
        "bao-cao".into()
    } else {
        t
    }
}

/// One file of an upload, read (or refused).
enum Read {
    Doc(NewReaderDocument),
    Refused { file: String, why: Why },
}

/// Read an uploaded file to a document to keep. CPU-bound (PDF): run on
/// the blocking pool.
fn read_file(name: &str, bytes: &[u8], title: Option<&str>, date: &str) -> Read {
    let refused = |why: Why| Read::Refused {
        file: name.to_owned(),
        why,
    };
    match ngoaivu_extract::read_document(bytes, Some(name)) {
        Ok(d) => {
            let format = match d.format {
                Some(ngoaivu_extract::Format::Pdf) => "pdf",
                Some(ngoaivu_extract::Format::Docx) => "docx",
                Some(ngoaivu_extract::Format::Html) => "html",
                _ => "text",
            };
            // Page offsets point into the text as read: only a text with
            // no pages is normalised (a PDF's text already is).
            let (text, page_starts) = if d.page_starts.is_empty() {
                (normalise(&d.text), vec![])
            } else {
                let len = d.text.len();
                let starts = d.page_starts.iter().map(|&p| p.min(len)).collect();
                (d.text, starts)
            };
            if text.trim().is_empty() {
                return refused(Why::new(
                    "tệp không có chữ nào để đọc",
                    "the file has no text to read",
                ));
            }
            Read::Doc(NewReaderDocument {
                title: title.map(str::to_owned).unwrap_or_else(|| file_title(name)),
                file_name: name.chars().take(300).collect(),
                format: format.into(),
                doc_date: (!date.is_empty()).then(|| date.to_owned()),
                text,
                page_starts,
                warnings: d
                    .warnings
                    .iter()
                    .map(|w| json!({"vi": w.vi, "en": w.en}))
                    .collect(),
                status: DocumentStatus::Queued,
            })
        }
        Err(e) => refused(e.message()),
    }
}

/// A document as the review screen needs it, kept or not (a viewer's
/// reading is not kept: `id` 0).
fn transient(doc: NewReaderDocument, u: &WebUser) -> ReaderDocument {
    ReaderDocument {
        id: 0,
        org_id: u.actor.org_id,
        sha256: ngoaivu_store::reader_docs::text_sha256(&doc.text),
        title: doc.title,
        file_name: doc.file_name,
        format: doc.format,
        doc_date: doc.doc_date,
        text: doc.text,
        page_starts: doc.page_starts,
        warnings: doc.warnings,
        status: DocumentStatus::Queued,
        facts_saved: 0,
        created_at: time::OffsetDateTime::now_utc(),
        created_by: u.actor.username.clone(),
        reviewed_at: None,
        reviewed_by: None,
    }
}

pub(crate) async fn reader_submit(
    State(st): State<AppState>,
    u: WebUser,
    mut mp: Multipart,
) -> Response {
    let lang = u.lang;
    let mut input = Input::default();
    let mut files: Vec<(String, Vec<u8>)> = vec![];
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let msg = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    match lang {
                        Lang::Vi => format!(
                            "Các tệp quá lớn: tổng cộng tối đa {} MB mỗi lần tải lên.",
                            UPLOAD_MAX_BYTES / (1024 * 1024)
                        ),
                        Lang::En => format!(
                            "The files are too large: at most {} MB in all per upload.",
                            UPLOAD_MAX_BYTES / (1024 * 1024)
                        ),
                    }
                } else {
                    format!(
                        "{} ({e})",
                        t(
                            lang,
                            "Không đọc được biểu mẫu gửi lên.",
                            "The form could not be read."
                        )
                    )
                };
                return form_again(&st, &u, &input, "file", msg).await;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let fname = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return form_again(
                    &st,
                    &u,
                    &input,
                    "file",
                    format!(
                        "{} ({e})",
                        t(lang, "Không nhận được tệp.", "The file was not received.")
                    ),
                )
                .await;
            }
        };
        let s = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "text" => input.text = s(),
            "date" => input.date = s(),
            "title" => input.title = s(),
            "file" if !bytes.is_empty() => {
                if files.len() >= MAX_FILES {
                    let msg = match lang {
                        Lang::Vi => {
                            format!("Quá nhiều tệp: tối đa {MAX_FILES} tệp mỗi lần tải lên.")
                        }
                        Lang::En => format!("Too many files: at most {MAX_FILES} per upload."),
                    };
                    return form_again(&st, &u, &input, "file", msg).await;
                }
                files.push((fname.unwrap_or_else(|| "bao-cao".into()), bytes.to_vec()));
            }
            _ => {}
        }
    }
    if let Err(m) = parse_date(lang, &input.date) {
        return form_again(&st, &u, &input, "date", m).await;
    }
    let date = input.date.trim().to_owned();
    let pasted = normalise(&input.text);
    if files.is_empty() && pasted.trim().is_empty() {
        let msg = t(
            lang,
            "Chưa có nội dung: hãy dán nội dung báo cáo hoặc chọn tệp.",
            "Nothing to read: paste the report's text or choose files.",
        );
        return form_again(&st, &u, &input, "text", msg.to_owned()).await;
    }

    // Read every file (PDFs take CPU: off the async workers).
    let single_title =
        (files.len() == 1 && pasted.trim().is_empty() && !input.title.trim().is_empty())
            .then(|| input.title.trim().chars().take(200).collect::<String>());
    let reads: Vec<Read> = {
        let date = date.clone();
        match tokio::task::spawn_blocking(move || {
            files
                .iter()
                .map(|(name, bytes)| read_file(name, bytes, single_title.as_deref(), &date))
                .collect::<Vec<_>>()
        })
        .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "reader: reading the upload failed");
                return error::store_error(&u, StoreError::Other("reader task failed".into()));
            }
        }
    };
    let mut docs: Vec<NewReaderDocument> = vec![];
    let mut refused: Vec<(String, Why)> = vec![];
    if !pasted.trim().is_empty() {
        docs.push(NewReaderDocument {
            title: pasted_title(&input, &pasted),
            file_name: String::new(),
            format: "text".into(),
            doc_date: (!date.is_empty()).then(|| date.clone()),
            text: pasted.clone(),
            page_starts: vec![],
            warnings: ngoaivu_extract::legacy_encoding(&pasted)
                .map(|w| vec![json!({"vi": w.vi, "en": w.en})])
                .unwrap_or_default(),
            status: DocumentStatus::Queued,
        });
    }
    for r in reads {
        match r {
            Read::Doc(d) => docs.push(d),
            Read::Refused { file, why } => refused.push((file, why)),
        }
    }

    // One file refused and nothing else: the form again, saying why.
    if docs.is_empty() && refused.len() == 1 {
        let (file, why) = &refused[0];
        let msg = format!("{file}: {}", why_text(why, lang));
        return form_again(&st, &u, &input, "file", msg).await;
    }

    // A viewer reads without keeping: the first document's review.
    if !may_keep(&u) {
        let Some(first) = docs.into_iter().next() else {
            return batch_page(&st, &u, &[], &refused).await;
        };
        let doc = transient(first, &u);
        return render_review(&st, &u, &doc, &[], &HashMap::new(), StatusCode::OK).await;
    }

    let mut kept: Vec<(ReaderDocument, bool)> = vec![];
    for d in &docs {
        match st.service.add_document(&u.actor, d).await {
            Ok(k) => kept.push(k),
            Err(StoreError::Invalid(inv)) => {
                let msg = inv
                    .0
                    .iter()
                    .map(|f| f.message(lang))
                    .collect::<Vec<_>>()
                    .join("; ");
                refused.push((
                    if d.file_name.is_empty() {
                        d.title.clone()
                    } else {
                        d.file_name.clone()
                    },
                    Why::new(msg.clone(), msg),
                ));
            }
            Err(e) => return error::store_error(&u, e),
        }
    }
    if kept.len() == 1 && refused.is_empty() {
        return Redirect::to(&format!("/reader/documents/{}", kept[0].0.id)).into_response();
    }
    batch_page(&st, &u, &kept, &refused).await
}

/// What a batch upload did: each document queued (with what the reader
/// found in it) or refused (and why).
async fn batch_page(
    _st: &AppState,
    u: &WebUser,
    kept: &[(ReaderDocument, bool)],
    refused: &[(String, Why)],
) -> Response {
    let lang = u.lang;
    // How many facts each document holds, and how many are doubtful.
    let counts: Vec<(usize, usize, usize)> = {
        let docs: Vec<ReaderDocument> = kept.iter().map(|(d, _)| d.clone()).collect();
        tokio::task::spawn_blocking(move || {
            docs.iter()
                .map(|d| {
                    let f = facts_of(d);
                    let n = f.observations.len() + f.partnerships.len();
                    let doubtful = f
                        .observations
                        .iter()
                        .filter(|o| o.confidence < DOUBTFUL)
                        .count()
                        + f.partnerships
                            .iter()
                            .filter(|p| p.confidence < DOUBTFUL)
                            .count();
                    (n, doubtful, f.unplaced.len())
                })
                .collect()
        })
        .await
        .unwrap_or_default()
    };
    let title = t(lang, "Đã nhận các văn bản", "Documents received");
    let status = if kept.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = html! {
        h1 { (title) }
        div.alert.ok[!kept.is_empty()].error[kept.is_empty()] role="status" {
            @match lang {
                Lang::Vi => { "Đã đưa " (kept.len()) " văn bản vào hàng chờ xem xét; " (refused.len()) " tệp không đọc được." }
                Lang::En => { (kept.len()) " documents queued for review; " (refused.len()) " files could not be read." }
            }
        }
        table.list {
            caption.sr { (title) }
            thead { tr {
                th scope="col" { (t(lang, "Tệp", "File")) }
                th scope="col" { (t(lang, "Kết quả", "Result")) }
                th scope="col" { (t(lang, "Mục đọc được", "Facts found")) }
                th scope="col" { (t(lang, "Cần xem kỹ", "Need a careful look")) }
                th scope="col" { (t(lang, "Chưa xác định", "Unplaced")) }
            } }
            tbody {
                @for ((d, new), (n, doubtful, unplaced)) in kept.iter().zip(counts.iter().chain(std::iter::repeat(&(0, 0, 0)))) {
                    tr {
                        td { a href={ "/reader/documents/" (d.id) } { (if d.file_name.is_empty() { &d.title } else { &d.file_name }) } }
                        td {
                            @if *new { (t(lang, "Đã vào hàng chờ", "Queued")) }
                            @else { (t(lang, "Đã có từ trước", "Already kept")) " (" (status_label(d.status, lang)) ")" }
                            @for w in &d.warnings { br; span.error { (warning_text(w, lang)) } }
                        }
                        td.num { (n) }
                        td.num { (doubtful) }
                        td.num { (unplaced) }
                    }
                }
                @for (file, why) in refused {
                    tr.has-error {
                        td { (file) }
                        td colspan="4" { span.error { (t(lang, "Không đọc được: ", "Not read: ")) (why_text(why, lang)) } }
                    }
                }
            }
        }
        p {
            @if let Some((d, _)) = kept.iter().find(|(d, _)| d.status == DocumentStatus::Queued) {
                a.button.primary href={ "/reader/documents/" (d.id) } { (t(lang, "Xem xét văn bản đầu tiên", "Review the first document")) }
                " "
            }
            a.button href="/reader" { (t(lang, "Về hàng chờ", "To the queue")) }
        }
    };
    layout::respond(u, title, status, body)
}

// ---------------------------------------------------------------- helpers

/// A display name of the reader ("Vĩnh Long", "Việt Nam") as a unit slug.
fn locality_slug(name: &str) -> Option<String> {
    if name == ngoaivu_extract::NATIONAL {
        return Some(ngoaivu_core::records::NATIONAL.to_owned());
    }
    let slug = slugify(name);
    refdata().unit(&slug).map(|u| u.slug.clone())
}

/// The unit slugs the user's organisation may write, with names.
fn allowed_localities(u: &WebUser) -> Vec<(String, String)> {
    let rd = refdata();
    let slugs: Vec<String> = if is_ministry(u) {
        let mut v = vec![ngoaivu_core::records::NATIONAL.to_owned()];
        for unit in rd.current_units().chain(rd.legacy_units()) {
            if !v.contains(&unit.slug) {
                v.push(unit.slug.clone());
            }
        }
        v
    } else {
        rd.localities_of(&u.org.slug)
    };
    slugs
        .into_iter()
        .map(|s| {
            let name = locality_name(&s, u.lang);
            (s, name)
        })
        .collect()
}

fn period_json(p: &Period) -> Value {
    match *p {
        Period::Year(y) => json!({"year": y}),
        Period::Range { from, to } => json!({"from": from, "to": to}),
        Period::AsOf(y) => json!({"as_of": y}),
        Period::Since(y) => json!({"since": y}),
    }
}

fn period_parts(p: &Period) -> (&'static str, i32, Option<i32>) {
    match *p {
        Period::Year(y) => ("year", y, None),
        Period::Range { from, to } => ("range", from, Some(to)),
        Period::AsOf(y) => ("as_of", y, None),
        Period::Since(y) => ("since", y, None),
    }
}

/// A number of the reader as the decimal text the store keeps.
fn num_text(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        let d = Decimal::from_str(&format!("{v}")).unwrap_or_default();
        d.normalize().to_string()
    }
}

fn kind_code(k: PartnershipKind) -> &'static str {
    match k {
        PartnershipKind::Agreement => "agreement",
        PartnershipKind::Twinning => "twinning",
        PartnershipKind::Cooperation => "cooperation",
    }
}

fn kind_label(k: &str, lang: Lang) -> String {
    match k {
        "agreement" => t(lang, "Thỏa thuận hợp tác", "Cooperation agreement").into(),
        "twinning" => t(lang, "Kết nghĩa", "Twinning").into(),
        _ => t(lang, "Quan hệ hợp tác", "Cooperation").into(),
    }
}

fn growth(c: f64, lang: Lang) -> String {
    let d = Decimal::from_str(&num_text(c.abs())).unwrap_or_default();
    let n = number(d, lang);
    if c >= 0.0 {
        format!("{} {n}%", t(lang, "tăng", "up"))
    } else {
        format!("{} {n}%", t(lang, "giảm", "down"))
    }
}

const ORG_WORDS: &[(&str, &str)] = &[
    ("hội hữu nghị", "friendship_society"),
    ("đảng", "political_party"),
    ("tổ chức", "ngo"),
    ("quỹ", "ngo"),
    ("hiệp hội", "chamber_of_commerce"),
    ("phòng thương mại", "chamber_of_commerce"),
    ("trường", "university"),
    ("đại học", "university"),
    ("viện", "university"),
    ("công ty", "enterprise"),
    ("tập đoàn", "enterprise"),
    ("ngân hàng", "enterprise"),
    ("bộ", "ministry"),
    ("cơ quan", "other"),
    ("đại sứ quán", "diplomatic_mission"),
    ("tổng lãnh sự", "diplomatic_mission"),
];

fn partner_kind(name: &str) -> &'static str {
    let lower = name.trim().to_lowercase();
    ORG_WORDS
        .iter()
        .find(|(w, _)| {
            lower.starts_with(w)
                && lower[w.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|(_, k)| *k)
        .unwrap_or("foreign_locality")
}

// ---------------------------------------------------------------- the review screen

/// The facts of a document, read again from its kept text: the reader is
/// deterministic, so the review and the save see the same facts and the
/// form needs to carry only the person's decisions.
fn facts_of(doc: &ReaderDocument) -> Facts {
    let date = doc.doc_date.as_deref().and_then(|d| DocDate::parse(d).ok());
    let read = ReadDocument {
        text: doc.text.clone(),
        format: None,
        page_starts: doc.page_starts.clone(),
        warnings: vec![],
    };
    extractor().extract_document(&read, date)
}

async fn facts_blocking(doc: &ReaderDocument) -> Facts {
    let d = doc.clone();
    tokio::task::spawn_blocking(move || facts_of(&d))
        .await
        .unwrap_or_default()
}

/// One line of the review, in the order shown.
#[derive(Clone, Copy)]
enum Item {
    Obs(usize),
    Part(usize),
}

impl Item {
    fn key(self) -> String {
        match self {
            Item::Obs(i) => format!("o{i}"),
            Item::Part(j) => format!("p{j}"),
        }
    }
}

/// Observations and partnerships together, the least confident first
/// (ties in the order of the text).
fn review_order(f: &Facts) -> Vec<Item> {
    let mut items: Vec<(f64, usize, Item)> = f
        .observations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.confidence, o.span[0], Item::Obs(i)))
        .chain(
            f.partnerships
                .iter()
                .enumerate()
                .map(|(j, p)| (p.confidence, p.span[0], Item::Part(j))),
        )
        .collect();
    items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    items.into_iter().map(|(_, _, it)| it).collect()
}

fn confidence_badge(c: f64, lang: Lang) -> Markup {
    let (class, label) = if c < DOUBTFUL {
        ("conf-low", t(lang, "cần xem kỹ", "check carefully"))
    } else if c < CLEAR {
        ("conf-mid", t(lang, "khá chắc", "fairly sure"))
    } else {
        ("conf-high", t(lang, "rõ ràng", "clear"))
    };
    let pct = (c * 100.0).round() as i64;
    html! {
        span class={ "conf " (class) } title=(t(lang, "Độ tin cậy của bộ đọc", "The reader's confidence")) {
            (label) " · " (pct) " %"
        }
    }
}

fn page_note(page: Option<u32>, lang: Lang) -> Markup {
    html! {
        @if let Some(p) = page { span.page { (t(lang, "trang", "page")) " " (p) } }
    }
}

/// The text with each fact's span marked (`<mark id="f-o3">`), all escaped.
fn marked_text(text: &str, spans: &[(String, [usize; 2], bool)]) -> String {
    let mut order: Vec<(usize, usize, &str, bool)> = spans
        .iter()
        .map(|(k, s, unplaced)| (s[0], s[1], k.as_str(), *unplaced))
        .filter(|(a, b, _, _)| {
            a < b && *b <= text.len() && text.is_char_boundary(*a) && text.is_char_boundary(*b)
        })
        .collect();
    order.sort();
    let mut out = String::with_capacity(text.len() + 64 * order.len());
    let mut pos = 0;
    for (a, b, key, unplaced) in order {
        if a < pos {
            continue; // overlaps the previous mark
        }
        out.push_str(&escape(&text[pos..a]));
        if unplaced {
            out.push_str(&format!("<mark class=\"unplaced\" id=\"f-{key}\">"));
        } else {
            out.push_str(&format!("<mark id=\"f-{key}\">"));
        }
        out.push_str(&escape(&text[a..b]));
        out.push_str("</mark>");
        pos = b;
    }
    out.push_str(&escape(&text[pos..]));
    out
}

fn radios(lang: Lang, key: &str, current: &str, options: &[(&str, &str, &str)]) -> Markup {
    html! {
        fieldset.choice {
            legend.sr { (t(lang, "Quyết định", "Decision")) }
            @for (v, vi, en) in options {
                @let id = format!("{key}-{v}");
                span.radio {
                    input id=(id) type="radio" name={ (key) ".action" } value=(v) checked[current == *v];
                    label for=(id) { (lang.pick(vi, en)) }
                }
            }
        }
    }
}

const FACT_CHOICES: [(&str, &str, &str); 3] = [
    ("accept", "Chấp nhận", "Accept"),
    ("correct", "Sửa", "Correct"),
    ("reject", "Bỏ qua", "Reject"),
];
const UNPLACED_CHOICES: [(&str, &str, &str); 2] = [
    ("place", "Xác định và lưu", "Place and save"),
    ("reject", "Bỏ qua", "Skip"),
];

fn choice<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    match form_value(pairs, &format!("{key}.action")) {
        "accept" => "accept",
        "correct" => "correct",
        "place" => "place",
        _ => "reject",
    }
}

/// A posted value, or the reader's when the form did not send one.
fn val(pairs: &[(String, String)], key: &str, default: String) -> String {
    if pairs.iter().any(|(k, _)| k == key) {
        form_value(pairs, key).to_owned()
    } else {
        default
    }
}

fn unit_code(u: ngoaivu_extract::Unit) -> String {
    serde_json::to_value(u)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn qualifier_code(q: ngoaivu_extract::Qualifier) -> String {
    serde_json::to_value(q)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The year a figure without one most likely belongs to: the document's.
fn doc_year(doc: &ReaderDocument) -> i32 {
    doc.doc_date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().year())
}

#[allow(clippy::too_many_arguments)]
async fn render_review(
    st: &AppState,
    u: &WebUser,
    doc: &ReaderDocument,
    pairs: &[(String, String)],
    errors: &HashMap<String, Vec<String>>,
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let facts = facts_blocking(doc).await;
    let names = match Names::load(st).await {
        Ok(n) => n,
        Err(e) => return error::store_error(u, e),
    };
    let localities = allowed_localities(u);
    let order = review_order(&facts);
    let mut spans: Vec<(String, [usize; 2], bool)> = order
        .iter()
        .map(|it| match *it {
            Item::Obs(i) => (it.key(), facts.observations[i].span, false),
            Item::Part(j) => (it.key(), facts.partnerships[j].span, false),
        })
        .collect();
    spans.extend(
        facts
            .unplaced
            .iter()
            .enumerate()
            .map(|(k, x)| (format!("u{k}"), x.span, true)),
    );
    let marked = marked_text(&doc.text, &spans);
    let doubtful = order
        .iter()
        .filter(|it| match **it {
            Item::Obs(i) => facts.observations[i].confidence < DOUBTFUL,
            Item::Part(j) => facts.partnerships[j].confidence < DOUBTFUL,
        })
        .count();
    let title = t(
        lang,
        "Xem xét số liệu đọc từ báo cáo",
        "Review the facts read from the report",
    );
    let can_save = may_keep(u) && doc.id > 0;
    let mut indicators: Vec<(&String, String)> = names
        .indicators
        .iter()
        .map(|(code, (vi, en))| (code, lang.pick(vi, en).to_owned()))
        .collect();
    indicators.sort_by_key(|(_, n)| vi_sort_key(n));
    let loc_select = |key: &str, current: &str| -> Markup {
        let id = format!("{key}-locality");
        let known = localities.iter().any(|(s, _)| s == current);
        html! {
            label for=(id) { (field_label("locality", lang)) }
            select id=(id) name={ (key) ".locality" } {
                @if !known && !current.is_empty() {
                    option value=(current) selected { (locality_name(current, lang)) " " (t(lang, "(ngoài phạm vi của cơ quan)", "(outside your organisation)")) }
                }
                @if current.is_empty() { option value="" selected { "—" } }
                @for (s, n) in &localities { option value=(s) selected[s == current] { (n) } }
            }
        }
    };
    let period_fields = |key: &str, ptype: &str, y1: i32, y2: Option<i32>| -> Markup {
        let ptype = val(pairs, &format!("{key}.ptype"), ptype.to_owned());
        html! {
            div.field {
                label for={ (key) "-ptype" } { (field_label("period", lang)) }
                select id={ (key) "-ptype" } name={ (key) ".ptype" } {
                    @for (v, vi, en) in [("year", "Cả năm", "Whole year"), ("range", "Giai đoạn (từ năm – đến năm)", "Range (from – to)"), ("as_of", "Lũy kế đến năm", "As of year"), ("since", "Từ năm đến nay", "Since year")] {
                        option value=(v) selected[ptype == v] { (lang.pick(vi, en)) }
                    }
                }
            }
            div.field {
                label for={ (key) "-y1" } { (t(lang, "Năm (hoặc từ năm)", "Year (or from year)")) }
                input id={ (key) "-y1" } type="text" inputmode="numeric" name={ (key) ".y1" } value=(val(pairs, &format!("{key}.y1"), y1.to_string()));
            }
            div.field {
                label for={ (key) "-y2" } { (t(lang, "Đến năm (giai đoạn)", "To year (range)")) }
                input id={ (key) "-y2" } type="text" inputmode="numeric" name={ (key) ".y2" } value=(val(pairs, &format!("{key}.y2"), y2.map(|y| y.to_string()).unwrap_or_default()));
            }
        }
    };
    let fact_errors = |key: &str| -> Markup {
        html! {
            @if let Some(es) = errors.get(key) {
                p.error role="alert" { @for e in es { (e) " " } }
            }
        }
    };
    let pages = doc.page_starts.len();
    let body = html! {
        h1 { (title) }
        p.muted {
            strong { (doc.title) }
            @if !doc.file_name.is_empty() && doc.file_name != doc.title { " · " (doc.file_name) }
            " · " (format_label(&doc.format))
            @if pages > 0 { " · " (pages) " " (t(lang, "trang", "pages")) }
            @if let Some(d) = &doc.doc_date { " · " (date(d)) }
            " · sha256:" (doc.hash16())
            @if doc.id > 0 { " · " span class={ "badge " (status_class(doc.status)) } { (status_label(doc.status, lang)) } }
        }
        @if doc.status == DocumentStatus::Reviewed {
            div.alert.warning role="note" {
                (t(lang, "Văn bản này đã được xem xét", "This document was reviewed"))
                @if let Some(by) = &doc.reviewed_by { " (" (by) @if let Some(at) = doc.reviewed_at { ", " (moment(at)) } ")" }
                ": " (doc.facts_saved) " " (t(lang, "mục đã lưu. Lưu lần nữa sẽ tạo thêm bản ghi.", "items saved. Saving again creates more records."))
                " " a href={ "/records/observations?q=" (doc.hash16()) } { (t(lang, "Xem các số liệu đã lưu", "See the saved figures")) }
            }
        }
        @for w in &doc.warnings {
            div.alert.warning role="note" { (warning_text(w, lang)) }
        }
        @if !errors.is_empty() {
            div.alert.error role="alert" { p {
                @if let Some(es) = errors.get("") { @for e in es { (e) " " } }
                @else { (t(lang, "Chưa lưu gì: có mục không hợp lệ, xem thông báo ở từng mục. Không có bản ghi nào được tạo.", "Nothing was saved: some items are invalid, see the message at each. No record was created.")) }
            } }
        }
        @if !may_keep(u) {
            div.alert.info role="note" { (t(lang, "Tài khoản của bạn chỉ có quyền xem: không thể lưu các mục này.", "Your account may only view: these items cannot be saved.")) }
        }
        p.reader-summary {
            @match lang {
                Lang::Vi => { "Đọc được " strong { (order.len()) } " mục; " strong { (doubtful) } " mục cần xem kỹ (độ tin cậy dưới " (DOUBTFUL * 100.0) " %), được xếp lên đầu; " strong { (facts.unplaced.len()) } " số liệu chưa xác định được chủ thể hay chỉ tiêu." }
                Lang::En => { strong { (order.len()) } " items read; " strong { (doubtful) } " need a careful look (confidence under " (DOUBTFUL * 100.0) " %) and come first; " strong { (facts.unplaced.len()) } " figures could not be placed." }
            }
        }
        form.reader method="post" action={ "/reader/documents/" (doc.id) "/save" } {
            div.reader-grid {
                section.reader-doc aria-label=(t(lang, "Văn bản", "Document")) {
                    h2 { (t(lang, "Văn bản", "Document")) }
                    pre.reader-text { (PreEscaped(marked)) }
                }
                section.reader-facts aria-label=(t(lang, "Các mục đọc được", "Facts read")) {
                    h2 { (t(lang, "Các mục đọc được", "Facts read")) " (" (order.len()) ")" }
                    @if order.is_empty() {
                        p { (t(lang, "Không đọc được số liệu hay quan hệ đối tác nào trong văn bản này.", "No figures or partnerships were found in this document.")) }
                    }
                    @for (n, it) in order.iter().enumerate() {
                        @let key = it.key();
                        @match *it {
                            Item::Obs(i) => {
                                @let o = &facts.observations[i];
                                @let slug = locality_slug(&o.locality).unwrap_or_default();
                                @let (ptype, y1, y2) = period_parts(&o.period);
                                @let value = Decimal::from_str(&num_text(o.value)).map(|d| number(d, lang)).unwrap_or_else(|_| num_text(o.value));
                                @let unit = unit_code(o.unit);
                                @let qual = qualifier_code(o.qualifier);
                                div.fact.doubtful[o.confidence < DOUBTFUL].has-error[errors.contains_key(&key)] id={ "fact-" (key) } data-confidence=(o.confidence) {
                                    p.fact-words {
                                        a href={ "#f-" (key) } { (n + 1) "." } " "
                                        strong { (names.indicator(o.indicator.code(), lang)) } " — " (o.locality) " — " (period(&period_json(&o.period), lang)) ": "
                                        @if qual != "exact" { (value_label(&qual, lang).to_lowercase()) " " }
                                        span.value { (value) } " " (unit_label(&unit, lang))
                                        @if let Some(c) = o.change_pct { " (" (growth(c, lang)) ")" }
                                    }
                                    p.fact-why { (confidence_badge(o.confidence, lang)) " " (page_note(o.page, lang)) " " span { (why_text(&o.why, lang)) } }
                                    (fact_errors(&key))
                                    @if can_save { (radios(lang, &key, choice(pairs, &key), &FACT_CHOICES)) }
                                    @if can_save { details.correct open[choice(pairs, &key) == "correct"] {
                                        summary { (t(lang, "Sửa giá trị", "Correct the values")) }
                                        div.field {
                                            label for={ (key) "-value" } { (field_label("value", lang)) " (" (unit_label(&unit, lang)) ")" }
                                            input id={ (key) "-value" } type="text" inputmode="decimal" name={ (key) ".value" } value=(val(pairs, &format!("{key}.value"), num_text(o.value)));
                                        }
                                        (period_fields(&key, ptype, y1, y2))
                                        div.field { (loc_select(&key, &val(pairs, &format!("{key}.locality"), slug.clone()))) }
                                    } }
                                }
                            }
                            Item::Part(j) => {
                                @let p = &facts.partnerships[j];
                                @let kind = kind_code(p.kind);
                                @let country = p.partner_country.clone().unwrap_or_default();
                                div.fact.partnership.doubtful[p.confidence < DOUBTFUL].has-error[errors.contains_key(&key)] id={ "fact-" (key) } data-confidence=(p.confidence) {
                                    p.fact-words {
                                        a href={ "#f-" (key) } { (n + 1) "." } " "
                                        strong { (kind_label(kind, lang)) } " — " (p.locality) " ↔ " (p.partner)
                                        @if !country.is_empty() { " (" (country_name(&country, lang)) ")" }
                                        @if let Some(per) = &p.period { " — " (period(&period_json(per), lang)) }
                                    }
                                    p.fact-why { (confidence_badge(p.confidence, lang)) " " (page_note(p.page, lang)) " " span { (why_text(&p.why, lang)) } }
                                    (fact_errors(&key))
                                    @if can_save { (radios(lang, &key, choice(pairs, &key), &FACT_CHOICES)) }
                                    @if can_save { details.correct open[choice(pairs, &key) == "correct"] {
                                        summary { (t(lang, "Sửa thông tin đối tác", "Correct the partner")) }
                                        div.field {
                                            label for={ (key) "-name" } { (t(lang, "Tên đối tác", "Partner name")) }
                                            input id={ (key) "-name" } type="text" name={ (key) ".name" } value=(val(pairs, &format!("{key}.name"), p.partner.clone()));
                                        }
                                        div.field {
                                            label for={ (key) "-country" } { (field_label("country", lang)) " (ISO, " (t(lang, "ví dụ", "e.g.")) " KR)" }
                                            input id={ (key) "-country" } type="text" name={ (key) ".country" } maxlength="2" value=(val(pairs, &format!("{key}.country"), country.clone()));
                                        }
                                        div.field {
                                            label for={ (key) "-kind" } { (field_label("kind", lang)) }
                                            @let cur = val(pairs, &format!("{key}.kind"), kind.to_owned());
                                            select id={ (key) "-kind" } name={ (key) ".kind" } {
                                                @for k in ["agreement", "twinning", "cooperation"] { option value=(k) selected[cur == k] { (kind_label(k, lang)) } }
                                            }
                                        }
                                    } }
                                }
                            }
                        }
                    }
                    @if !facts.unplaced.is_empty() {
                        h2 #unplaced-h { (t(lang, "Số liệu chưa xác định được", "Figures not placed")) " (" (facts.unplaced.len()) ")" }
                        p.muted { (t(lang, "Bộ đọc thấy các số này nhưng không chắc chúng thuộc chỉ tiêu, địa phương hay kỳ nào. Nếu một số cần lưu, hãy chọn «Xác định và lưu» và điền thông tin.", "The reader saw these figures but could not tell their indicator, place or period. To keep one, choose «Place and save» and fill in what it is.")) }
                        @for (k, x) in facts.unplaced.iter().enumerate() {
                            @let key = format!("u{k}");
                            @let unit = unit_code(x.unit);
                            @let value = Decimal::from_str(&num_text(x.value)).map(|d| number(d, lang)).unwrap_or_else(|_| num_text(x.value));
                            @let current_ind = val(pairs, &format!("{key}.indicator"), x.indicator.map(|i| i.code().to_owned()).unwrap_or_default());
                            div.fact.unplaced.has-error[errors.contains_key(&key)] id={ "fact-" (key) } {
                                p.fact-words {
                                    a href={ "#f-" (key) } { "?" } " "
                                    span.value { (value) } " " (unit_label(&unit, lang))
                                    @if let Some(i) = x.indicator { " — " (names.indicator(i.code(), lang)) }
                                }
                                p.fact-why { (page_note(x.page, lang)) " " span { (why_text(&x.why, lang)) } }
                                (fact_errors(&key))
                                @if can_save { (radios(lang, &key, choice(pairs, &key), &UNPLACED_CHOICES)) }
                                @if can_save { details.correct open[choice(pairs, &key) == "place"] {
                                    summary { (t(lang, "Xác định số liệu", "Place the figure")) }
                                    div.field {
                                        label for={ (key) "-indicator" } { (field_label("indicator", lang)) }
                                        select id={ (key) "-indicator" } name={ (key) ".indicator" } {
                                            @if current_ind.is_empty() { option value="" selected { "—" } }
                                            @for (code, name) in &indicators { option value=(code) selected[**code == current_ind] { (name) } }
                                        }
                                    }
                                    div.field {
                                        label for={ (key) "-value" } { (field_label("value", lang)) " (" (unit_label(&unit, lang)) ")" }
                                        input id={ (key) "-value" } type="text" inputmode="decimal" name={ (key) ".value" } value=(val(pairs, &format!("{key}.value"), num_text(x.value)));
                                    }
                                    (period_fields(&key, "year", doc_year(doc), None))
                                    div.field { (loc_select(&key, &val(pairs, &format!("{key}.locality"), if is_ministry(u) { String::new() } else { u.org.slug.clone() }))) }
                                } }
                            }
                        }
                    }
                }
            }
            @if can_save {
                div.actions {
                    @if !(order.is_empty() && facts.unplaced.is_empty()) {
                        button.primary type="submit" { (t(lang, "Lưu các mục đã chấp nhận", "Save the accepted items")) }
                    }
                    a.button href="/reader" { (t(lang, "Về hàng chờ", "To the queue")) }
                    @if doc.status == DocumentStatus::Queued {
                        // Same form, another action: the decisions are ignored.
                        button type="submit" formaction={ "/reader/documents/" (doc.id) "/dismiss" } formnovalidate {
                            (t(lang, "Bỏ qua văn bản này (không lưu gì)", "Put this document aside (save nothing)"))
                        }
                    }
                }
            }
        }
    };
    layout::respond(u, title, status, body)
}

pub(crate) async fn document_page(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> Response {
    match st.service.document(&u.actor, id).await {
        Ok(doc) => render_review(&st, &u, &doc, &[], &HashMap::new(), StatusCode::OK).await,
        Err(e) => error::store_error(&u, e),
    }
}

/// `/reader/sources/{hash}`: the document a saved fact names by the start
/// of its SHA-256 (`source_document: "… · sha256:0123456789abcdef"`).
pub(crate) async fn source_page(
    State(st): State<AppState>,
    u: WebUser,
    Path(hash): Path<String>,
) -> Response {
    match st.service.document_by_hash(&u.actor, &hash).await {
        Ok(Some(doc)) => Redirect::to(&format!("/reader/documents/{}", doc.id)).into_response(),
        Ok(None) => error::store_error(&u, StoreError::NotFound),
        Err(e) => error::store_error(&u, e),
    }
}

pub(crate) async fn document_dismiss(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> Response {
    match st
        .service
        .finish_document(&u.actor, id, DocumentStatus::Dismissed, 0)
        .await
    {
        Ok(_) => Redirect::to("/reader").into_response(),
        Err(e) => error::store_error(&u, e),
    }
}

// ---------------------------------------------------------------- saving

/// A number as typed in a form, Vietnamese style (`793.000.000`, `37,91`)
/// or plain (`793000000`, `37.91`), as the decimal text the store keeps.
fn typed_number(v: &str) -> String {
    let v = v.trim().replace([' ', '\u{a0}'], "");
    if v.contains(',') || v.matches('.').count() > 1 {
        v.replace('.', "").replace(',', ".")
    } else {
        v
    }
}

/// The period posted for `key` (`ptype`, `y1`, `y2`).
fn posted_period(pairs: &[(String, String)], key: &str) -> Value {
    let y = |k: &str| {
        let s = form_value(pairs, &format!("{key}.{k}")).trim();
        s.parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(s))
    };
    match form_value(pairs, &format!("{key}.ptype")) {
        "range" => json!({"from": y("y1"), "to": y("y2")}),
        "as_of" => json!({"as_of": y("y1")}),
        "since" => json!({"since": y("y1")}),
        _ => json!({"year": y("y1")}),
    }
}

/// The observation body of fact `o` as accepted or corrected.
fn obs_body(
    o: &ngoaivu_extract::Observation,
    pairs: &[(String, String)],
    key: &str,
    correct: bool,
    source_document: &str,
    default_loc: Option<String>,
) -> Value {
    let mut body = json!({
        "indicator": o.indicator.code(),
        "period": period_json(&o.period),
        "value": num_text(o.value),
        "unit": unit_code(o.unit),
        "qualifier": qualifier_code(o.qualifier),
    });
    if let Some(c) = o.change_pct {
        body["change_pct"] = Value::from(num_text(c));
    }
    let posted = form_value(pairs, &format!("{key}.locality")).trim();
    let loc = if correct && !posted.is_empty() {
        Some(posted.to_owned())
    } else {
        locality_slug(&o.locality).or(default_loc)
    };
    if let Some(l) = loc {
        body["locality"] = Value::from(l);
    }
    if correct {
        body["value"] = Value::from(typed_number(form_value(pairs, &format!("{key}.value"))));
        body["period"] = posted_period(pairs, key);
    }
    body["source"] = Value::from("reader");
    body["source_document"] = Value::from(source_document);
    body
}

/// The observation body of an unplaced figure as the person placed it.
fn placed_body(
    x: &ngoaivu_extract::Unplaced,
    pairs: &[(String, String)],
    key: &str,
    source_document: &str,
) -> Value {
    let mut body = json!({
        "indicator": form_value(pairs, &format!("{key}.indicator")).trim(),
        "period": posted_period(pairs, key),
        "value": typed_number(form_value(pairs, &format!("{key}.value"))),
        "unit": unit_code(x.unit),
        "qualifier": "exact",
        "source": "reader",
        "source_document": source_document,
    });
    let loc = form_value(pairs, &format!("{key}.locality")).trim();
    if !loc.is_empty() {
        body["locality"] = Value::from(loc);
    }
    body
}

fn invalid_messages(e: &StoreError, lang: Lang) -> Vec<String> {
    match e {
        StoreError::Invalid(inv) => inv
            .0
            .iter()
            .map(|f| {
                if f.field.is_empty() {
                    f.message(lang).clone()
                } else {
                    format!(
                        "{}: {}",
                        field_label(f.field.split(['.', '[']).next().unwrap_or(""), lang),
                        f.message(lang)
                    )
                }
            })
            .collect(),
        StoreError::Forbidden(d) => vec![d.message(lang).to_owned()],
        e => vec![e.to_string()],
    }
}

pub(crate) async fn document_save(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let lang = u.lang;
    if !may_keep(&u) {
        return error::store_error(
            &u,
            StoreError::Forbidden(if u.actor.org_kind == OrgKind::Mission {
                ngoaivu_core::Denied::MissionRecords
            } else {
                ngoaivu_core::Denied::ReadOnlyRole
            }),
        );
    }
    let doc = match st.service.document(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error::store_error(&u, e),
    };
    let org = match st.service.import_org(&u.actor).await {
        Ok(o) => o,
        Err(e) => return error::store_error(&u, e),
    };
    let pairs = form_pairs(&body);
    let facts = facts_blocking(&doc).await;
    let source_document = format!("{} · sha256:{}", doc.title, doc.hash16());
    let default_loc = (!is_ministry(&u)).then(|| u.org.slug.clone());
    let validators = match (
        st.service
            .validator(&u.actor, RecordType::Observation)
            .await,
        st.service.validator(&u.actor, RecordType::Partner).await,
        st.service.validator(&u.actor, RecordType::Agreement).await,
    ) {
        (Ok(o), Ok(p), Ok(a)) => (o, p, a),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return error::store_error(&u, e),
    };
    let validator = |rt: RecordType| match rt {
        RecordType::Observation => &validators.0,
        RecordType::Partner => &validators.1,
        _ => &validators.2,
    };
    // Where the records come from, in their audit rows.
    let file = Arc::new(json!({
        "file": if doc.file_name.is_empty() { &doc.title } else { &doc.file_name },
        "sha256": doc.sha256,
        "reader_document": doc.id,
    }));
    let sheet: Arc<str> = Arc::from("reader");
    let now = time::OffsetDateTime::now_utc();

    // Every decision, in the order of the review, as bodies to create.
    let mut wanted: Vec<(String, RecordType, Value, Option<usize>)> = vec![];
    for it in review_order(&facts) {
        let key = it.key();
        let action = choice(&pairs, &key);
        if action != "accept" && action != "correct" {
            continue;
        }
        let correct = action == "correct";
        match it {
            Item::Obs(i) => wanted.push((
                key.clone(),
                RecordType::Observation,
                obs_body(
                    &facts.observations[i],
                    &pairs,
                    &key,
                    correct,
                    &source_document,
                    default_loc.clone(),
                ),
                None,
            )),
            Item::Part(j) => {
                let p = &facts.partnerships[j];
                let pick = |k: &str, orig: String| -> String {
                    if correct {
                        form_value(&pairs, &format!("{key}.{k}")).trim().to_owned()
                    } else {
                        orig
                    }
                };
                let name = pick("name", p.partner.clone());
                let country = pick("country", p.partner_country.clone().unwrap_or_default())
                    .to_ascii_uppercase();
                let kind = pick("kind", kind_code(p.kind).to_owned());
                let note = format!(
                    "{} {source_document}",
                    t(lang, "Đọc từ báo cáo:", "Read from the report:")
                );
                let partner_pos = wanted.len();
                wanted.push((
                    key.clone(),
                    RecordType::Partner,
                    json!({"name": name, "kind": partner_kind(&name), "country": country, "notes": note}),
                    None,
                ));
                if kind == "agreement" || kind == "twinning" {
                    let title = if kind == "twinning" {
                        format!("Kết nghĩa với {name}")
                    } else {
                        format!("Thỏa thuận hợp tác với {name}")
                    };
                    // The report says it was signed; entering a record past
                    // the approval is an approver's (workflow::check_entry), so
                    // an editor's review files it as a draft with the report's
                    // words, for an approver to take through its steps.
                    let (status, note) = if u.actor.role >= Role::Approver {
                        ("signed", note.clone())
                    } else {
                        (
                            "draft",
                            format!(
                                "{note} {}",
                                t(
                                    lang,
                                    "Báo cáo ghi đã ký; người phê duyệt ghi nhận các bước và ngày ký.",
                                    "The report says it was signed; an approver records the steps and the signing date."
                                )
                            ),
                        )
                    };
                    wanted.push((
                        key.clone(),
                        RecordType::Agreement,
                        json!({"title": title, "kind": kind, "status": status, "notes": note,
                               // A placeholder for the partner created with it.
                               "partner_ids": [-(partner_pos as i64) - 1]}),
                        Some(partner_pos),
                    ));
                }
            }
        }
    }
    for (k, x) in facts.unplaced.iter().enumerate() {
        let key = format!("u{k}");
        if choice(&pairs, &key) == "place" {
            wanted.push((
                key.clone(),
                RecordType::Observation,
                placed_body(x, &pairs, &key, &source_document),
                None,
            ));
        }
    }

    let mut errors: HashMap<String, Vec<String>> = HashMap::new();
    if wanted.is_empty() {
        errors.insert(
            String::new(),
            vec![t(
                lang,
                "Chưa chọn mục nào để lưu: chọn «Chấp nhận», «Sửa» hoặc «Xác định và lưu» cho các mục cần lưu, hoặc bỏ qua văn bản.",
                "No item chosen to save: choose Accept, Correct or Place for the items to keep, or put the document aside.",
            )
            .to_owned()],
        );
    }
    let mut creates: Vec<BulkRecord> = vec![];
    let mut titles: Vec<(RecordType, String)> = vec![];
    let names = Names::load(&st).await.ok();
    for (row, (key, rt, body, partner_pos)) in wanted.iter().enumerate() {
        match validator(*rt).prepare(&org, body) {
            Ok((mut data, mut idx)) => {
                let mut batch_links = vec![];
                if let Some(pos) = partner_pos {
                    // The partner is created in the same transaction.
                    idx.links.retain(|(_, id)| *id >= 0);
                    if let Some(Value::Array(ids)) = data.get_mut("partner_ids") {
                        ids.retain(|v| v.as_i64().is_none_or(|n| n >= 0));
                    }
                    batch_links.push(("partner", *pos));
                }
                titles.push((
                    *rt,
                    crate::kit::records::record_title(*rt, &data, names.as_ref(), lang),
                ));
                creates.push(BulkRecord {
                    rt: *rt,
                    org_id: org.id,
                    data,
                    idx,
                    batch_links,
                    created_at: now,
                    source: Some(ImportSource {
                        file: file.clone(),
                        sheet: sheet.clone(),
                        row: row + 1,
                    }),
                });
            }
            Err(inv) => {
                errors
                    .entry(key.clone())
                    .or_default()
                    .extend(invalid_messages(&StoreError::Invalid(inv), lang));
            }
        }
    }
    if !errors.is_empty() {
        return render_review(
            &st,
            &u,
            &doc,
            &pairs,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let n_obs = creates
        .iter()
        .filter(|c| c.rt == RecordType::Observation)
        .count();
    let n_partners = creates
        .iter()
        .filter(|c| c.rt == RecordType::Partner)
        .count();
    let ids = match st
        .service
        .import_records(&u.actor, &org, creates, vec![])
        .await
    {
        Ok(ids) => ids,
        Err(e @ (StoreError::Invalid(_) | StoreError::Forbidden(_))) => {
            errors.insert(String::new(), invalid_messages(&e, lang));
            return render_review(
                &st,
                &u,
                &doc,
                &pairs,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return error::store_error(&u, e),
    };
    if let Err(e) = st
        .service
        .finish_document(
            &u.actor,
            doc.id,
            DocumentStatus::Reviewed,
            (n_obs + n_partners) as i64,
        )
        .await
    {
        // The records are written; only the queue's mark is missing.
        tracing::error!(error = %e, document = doc.id, "reader: marking the document reviewed failed");
    }
    let next = st
        .service
        .documents(&u.actor, Some(DocumentStatus::Queued), 1)
        .await
        .ok()
        .and_then(|d| d.into_iter().next());
    let title = t(lang, "Đã lưu", "Saved");
    let body = html! {
        h1 { (title) }
        div.alert.ok role="status" {
            @match lang {
                Lang::Vi => { "Đã lưu " (n_obs) " số liệu, " (n_partners) " đối tác." }
                Lang::En => { "Saved " (n_obs) " figures, " (n_partners) " partners." }
            }
        }
        ul.created {
            @for ((rt, name), id) in titles.iter().zip(ids.iter()) {
                li { (rt.label(lang)) ": " a href={ "/records/" (rt.path()) "/" (id) } { (name) } }
            }
        }
        p {
            @if let Some(d) = &next {
                a.button.primary href={ "/reader/documents/" (d.id) } { (t(lang, "Văn bản tiếp theo trong hàng chờ", "Next document in the queue")) ": " (d.title) }
                " "
            }
            a.button href="/reader" { (t(lang, "Đọc báo cáo khác", "Read another report")) }
            " "
            a href={ "/records/observations?q=" (doc.hash16()) } { (t(lang, "Các số liệu từ văn bản này", "The figures from this document")) }
        }
    };
    layout::respond(&u, title, StatusCode::OK, body)
}
