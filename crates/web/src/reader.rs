//! The report reader's review screen: paste or upload a report, read its
//! facts (`ngoaivu-extract`), review each one (accept, correct, reject) and
//! save what was accepted as records, with the report attached to each.

use std::collections::HashMap;
use std::str::FromStr;

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, PreEscaped, html};
use ngoaivu_core::fold::slugify;
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::{Lang, OrgKind, RecordType};
use ngoaivu_extract::{DocDate, Facts, PartnershipKind, Period};
use ngoaivu_http::AppState;
use ngoaivu_store::{ListQuery, StoreError};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::layout;
use crate::records::Names;
use crate::session::{WebUser, form_pairs, form_value};
use crate::text::*;

/// What the user sent on the first form.
#[derive(Default)]
struct Input {
    text: String,
    date: String,
    title: String,
    file_name: String,
}

fn may_save(u: &WebUser) -> bool {
    u.actor.role.can_write() && u.actor.org_kind != OrgKind::Mission
}

/// The text as read and hashed: line ends `\n` (forms send `\r\n`), no
/// trailing blanks.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_owned()
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

// ---------------------------------------------------------------- the first form

fn input_form(u: &WebUser, input: &Input, errors: &HashMap<&str, String>) -> Markup {
    let lang = u.lang;
    let err = |k: &str| errors.get(k);
    html! {
        h1 { (t(lang, "Đọc báo cáo", "Read a report")) }
        p.muted { (t(lang, "Dán nội dung hoặc tải lên một báo cáo; hệ thống đọc các số liệu và quan hệ đối tác để bạn xem xét trước khi lưu.", "Paste or upload a report; the figures and partnerships it states are read for you to review before saving.")) }
        @if !may_save(u) {
            div.alert.info role="note" { (t(lang, "Tài khoản của bạn chỉ có quyền xem: bạn có thể đọc báo cáo nhưng không thể lưu số liệu.", "Your account may only view: you can read a report but cannot save figures.")) }
        }
        @if !errors.is_empty() {
            div.alert.error role="alert" { p { (t(lang, "Chưa đọc được: hãy sửa các ô được đánh dấu.", "Not read: please correct the marked fields.")) } }
        }
        form.record method="post" action="/reader" enctype="multipart/form-data" novalidate {
            @for (id, label, hint) in [("text", t(lang, "Dán nội dung báo cáo", "Paste the report's text"), None), ("file", t(lang, "Hoặc tải lên tệp (.txt, .html, .docx)", "Or upload a file (.txt, .html, .docx)"), None), ("date", t(lang, "Ngày của văn bản", "Date of the document"), Some(t(lang, "YYYY-MM-DD hoặc YYYY; không bắt buộc.", "YYYY-MM-DD or YYYY; optional."))), ("title", t(lang, "Tên văn bản", "Title of the document"), Some(t(lang, "Không bắt buộc; mặc định là tên tệp hoặc dòng đầu tiên.", "Optional; defaults to the file name or the first line.")))] {
                @let e = err(id);
                @let err_id = format!("{id}-error");
                div.field.has-error[e.is_some()] {
                    label for=(id) { (label) }
                    @match id {
                        "text" => { textarea #text name="text" rows="14" aria-invalid=[e.map(|_| "true")] aria-describedby=[e.map(|_| &err_id)] { (input.text) } }
                        "file" => { input #file type="file" name="file" accept=".txt,.html,.htm,.docx,text/plain,text/html,application/vnd.openxmlformats-officedocument.wordprocessingml.document" aria-invalid=[e.map(|_| "true")] aria-describedby=[e.map(|_| &err_id)]; }
                        "date" => { input #date type="text" name="date" value=(input.date) placeholder="2022-12-20" inputmode="numeric" aria-invalid=[e.map(|_| "true")] aria-describedby=[e.map(|_| &err_id)]; }
                        _ => { input #title type="text" name="title" value=(input.title) aria-invalid=[e.map(|_| "true")] aria-describedby=[e.map(|_| &err_id)]; }
                    }
                    @if let Some(h) = hint { span.hint { (h) } }
                    @if let Some(e) = e { span.error id=(err_id) { (e) } }
                }
            }
            div.actions {
                button.primary type="submit" { (t(lang, "Đọc báo cáo", "Read the report")) }
            }
        }
    }
}

pub async fn reader_form(u: WebUser) -> Response {
    let title = t(u.lang, "Đọc báo cáo", "Read a report");
    layout::respond(
        &u,
        title,
        StatusCode::OK,
        input_form(&u, &Input::default(), &HashMap::new()),
    )
}

fn form_again(u: &WebUser, input: &Input, field: &'static str, msg: String) -> Response {
    let mut errors = HashMap::new();
    errors.insert(field, msg);
    layout::respond(
        u,
        t(u.lang, "Đọc báo cáo", "Read a report"),
        StatusCode::UNPROCESSABLE_ENTITY,
        input_form(u, input, &errors),
    )
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

fn default_title(input: &Input, text: &str) -> String {
    let t = input.title.trim();
    if !t.is_empty() {
        return t.chars().take(200).collect();
    }
    if !input.file_name.is_empty() {
        return input.file_name.clone();
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    first.chars().take(120).collect()
}

pub async fn reader_submit(State(st): State<AppState>, u: WebUser, mut mp: Multipart) -> Response {
    let lang = u.lang;
    let mut input = Input::default();
    let mut file: Option<Vec<u8>> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return form_again(
                    &u,
                    &input,
                    "text",
                    format!(
                        "{} ({e})",
                        t(
                            lang,
                            "Không đọc được biểu mẫu gửi lên.",
                            "The form could not be read."
                        )
                    ),
                );
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let fname = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return form_again(
                    &u,
                    &input,
                    "file",
                    format!(
                        "{} ({e})",
                        t(lang, "Không nhận được tệp.", "The file was not received.")
                    ),
                );
            }
        };
        let s = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "text" => input.text = s(),
            "date" => input.date = s(),
            "title" => input.title = s(),
            "file" if !bytes.is_empty() => {
                input.file_name = fname.unwrap_or_default();
                file = Some(bytes.to_vec());
            }
            _ => {}
        }
    }
    let date = match parse_date(lang, &input.date) {
        Ok(d) => d,
        Err(m) => return form_again(&u, &input, "date", m),
    };
    let text = match &file {
        Some(bytes) => {
            let hint = (!input.file_name.is_empty()).then_some(input.file_name.as_str());
            match ngoaivu_extract::detect_and_read(bytes, hint) {
                Ok(t) => t,
                Err(e) => {
                    let msg = e.message().text(lang == Lang::Vi).to_owned();
                    return form_again(&u, &input, "file", msg.to_owned());
                }
            }
        }
        None => input.text.clone(),
    };
    let text = normalise(&text);
    if text.trim().is_empty() {
        return form_again(
            &u,
            &input,
            "text",
            t(
                lang,
                "Chưa có nội dung: hãy dán nội dung báo cáo hoặc chọn một tệp.",
                "Nothing to read: paste the report's text or choose a file.",
            )
            .to_owned(),
        );
    }
    let title = default_title(&input, &text);
    let review = Review {
        text,
        date: input.date.trim().to_owned(),
        title,
    };
    render_review(&st, &u, &review, date, &[], &HashMap::new(), StatusCode::OK).await
}

// ---------------------------------------------------------------- the review screen

struct Review {
    text: String,
    date: String,
    title: String,
}

impl Review {
    fn hash(&self) -> String {
        sha256_hex(&self.text)
    }
    fn hash16(&self) -> String {
        self.hash()[..16].to_owned()
    }
}

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
    let slugs: Vec<String> = if layout::is_ministry(u) {
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

fn obs_orig(o: &ngoaivu_extract::Observation) -> Value {
    let mut m = json!({
        "indicator": o.indicator.code(),
        "period": period_json(&o.period),
        "value": num_text(o.value),
        "unit": serde_json::to_value(o.unit).unwrap_or(Value::Null),
        "qualifier": serde_json::to_value(o.qualifier).unwrap_or(Value::Null),
    });
    if let Some(c) = o.change_pct {
        m["change_pct"] = Value::from(num_text(c));
    }
    m
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

/// The text with each fact's span marked (`<mark id="f-N">`), all escaped.
fn marked_text(text: &str, spans: &[[usize; 2]]) -> String {
    let mut order: Vec<(usize, usize, usize)> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s[0], s[1], i))
        .filter(|(a, b, _)| {
            a < b && *b <= text.len() && text.is_char_boundary(*a) && text.is_char_boundary(*b)
        })
        .collect();
    order.sort();
    let mut out = String::with_capacity(text.len() + 64 * order.len());
    let mut pos = 0;
    for (a, b, i) in order {
        if a < pos {
            continue; // overlaps the previous mark
        }
        out.push_str(&escape(&text[pos..a]));
        out.push_str(&format!("<mark id=\"f-{i}\">"));
        out.push_str(&escape(&text[a..b]));
        out.push_str("</mark>");
        pos = b;
    }
    out.push_str(&escape(&text[pos..]));
    out
}

fn choice<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    match form_value(pairs, key) {
        "accept" => "accept",
        "correct" => "correct",
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

fn radios(lang: Lang, key: &str, current: &str) -> Markup {
    html! {
        fieldset.choice {
            legend.sr { (t(lang, "Quyết định", "Decision")) }
            @for (v, vi, en) in [("accept", "Chấp nhận", "Accept"), ("correct", "Sửa", "Correct"), ("reject", "Bỏ qua", "Reject")] {
                @let id = format!("{key}-{v}");
                span.radio {
                    input id=(id) type="radio" name={ (key) ".action" } value=(v) checked[current == v];
                    label for=(id) { (t(lang, vi, en)) }
                }
            }
        }
    }
}

async fn previous_count(st: &AppState, u: &WebUser, hash16: &str) -> i64 {
    let mut q = ListQuery::new(RecordType::Observation);
    q.q = Some(hash16.to_owned());
    q.limit = 1;
    match st.service.list(&u.actor, &q).await {
        Ok(p) => p.total,
        Err(e) => {
            tracing::warn!(error = %e, "reader: looking up earlier reviews failed");
            0
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_review(
    st: &AppState,
    u: &WebUser,
    review: &Review,
    date: Option<DocDate>,
    pairs: &[(String, String)],
    errors: &HashMap<String, Vec<String>>,
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let facts: Facts = ngoaivu_extract::extract(&review.text, date);
    let names = match Names::load(st).await {
        Ok(n) => n,
        Err(e) => return layout::store_error(u, e),
    };
    let hash = review.hash();
    let hash16 = review.hash16();
    let seen = previous_count(st, u, &hash16).await;
    let localities = allowed_localities(u);
    let n_obs = facts.observations.len();
    let spans: Vec<[usize; 2]> = facts
        .observations
        .iter()
        .map(|o| o.span)
        .chain(facts.partnerships.iter().map(|p| p.span))
        .collect();
    let marked = marked_text(&review.text, &spans);
    let title = t(
        lang,
        "Xem xét số liệu đọc từ báo cáo",
        "Review the facts read from the report",
    );
    let can_save = may_save(u);
    let loc_select = |key: &str, current: &str| -> Markup {
        let id = format!("{key}-locality");
        let known = localities.iter().any(|(s, _)| s == current);
        html! {
            label for=(id) { (field_label("locality", lang)) }
            select id=(id) name={ (key) ".locality" } {
                @if !known && !current.is_empty() {
                    option value=(current) selected { (locality_name(current, lang)) " " (t(lang, "(ngoài phạm vi của cơ quan)", "(outside your organisation)")) }
                }
                @for (s, n) in &localities { option value=(s) selected[s == current] { (n) } }
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
    let body = html! {
        h1 { (title) }
        p.muted { strong { (review.title) } @if !review.date.is_empty() { " · " (review.date) } " · sha256:" (hash16) }
        @if seen > 0 {
            div.alert.warning role="alert" {
                (t(lang, "Văn bản này đã được xem xét trước đây: ", "This document was reviewed before: ")) (seen) (t(lang, " số liệu đã lưu.", " figures saved."))
                " " a href={ "/records/observations?q=" (hash16) } { (t(lang, "Xem các số liệu này", "See these figures")) }
            }
        }
        @if !errors.is_empty() {
            div.alert.error role="alert" { p { (t(lang, "Chưa lưu gì: có mục không hợp lệ, xem thông báo ở từng mục. Không có bản ghi nào được tạo.", "Nothing was saved: some items are invalid, see the message at each. No record was created.")) } }
        }
        @if !can_save {
            div.alert.info role="note" { (t(lang, "Tài khoản của bạn chỉ có quyền xem: không thể lưu các mục này.", "Your account may only view: these items cannot be saved.")) }
        }
        @if spans.is_empty() {
            p { (t(lang, "Không đọc được số liệu hay quan hệ đối tác nào trong văn bản này.", "No figures or partnerships were found in this document.")) }
        }
        form.reader method="post" action="/reader/save" {
            input type="hidden" name="text" value=(review.text);
            input type="hidden" name="hash" value=(hash);
            input type="hidden" name="title" value=(review.title);
            input type="hidden" name="date" value=(review.date);
            div.reader-grid {
                section.reader-doc aria-label=(t(lang, "Văn bản", "Document")) {
                    h2 { (t(lang, "Văn bản", "Document")) }
                    pre.reader-text { (PreEscaped(marked)) }
                }
                section.reader-facts aria-label=(t(lang, "Các mục đọc được", "Facts read")) {
                    h2 { (t(lang, "Các mục đọc được", "Facts read")) " (" (spans.len()) ")" }
                    @for (i, o) in facts.observations.iter().enumerate() {
                        @let key = format!("o{i}");
                        @let orig = obs_orig(o);
                        @let slug = locality_slug(&o.locality).unwrap_or_default();
                        @let (ptype, y1, y2) = period_parts(&o.period);
                        @let value = Decimal::from_str(&num_text(o.value)).map(|d| number(d, lang)).unwrap_or_else(|_| num_text(o.value));
                        @let unit = serde_json::to_value(o.unit).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                        @let qual = serde_json::to_value(o.qualifier).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                        div.fact.has-error[errors.contains_key(&key)] id={ "fact-" (i) } {
                            p.fact-words {
                                a href={ "#f-" (i) } { (i + 1) "." } " "
                                strong { (names.indicator(o.indicator.code(), lang)) } " — " (o.locality) " — " (period(&period_json(&o.period), lang)) ": "
                                @if qual != "exact" { (value_label(&qual, lang).to_lowercase()) " " }
                                span.value { (value) } " " (unit_label(&unit, lang))
                                @if let Some(c) = o.change_pct { " (" (growth(c, lang)) ")" }
                            }
                            (fact_errors(&key))
                            input type="hidden" name={ (key) ".orig" } value=(orig.to_string());
                            input type="hidden" name={ (key) ".ptype" } value=(ptype);
                            (radios(lang, &key, choice(pairs, &format!("{key}.action"))))
                            details.correct open[choice(pairs, &format!("{key}.action")) == "correct"] {
                                summary { (t(lang, "Sửa giá trị", "Correct the values")) }
                                div.field {
                                    label for={ (key) "-value" } { (field_label("value", lang)) " (" (unit_label(&unit, lang)) ")" }
                                    input id={ (key) "-value" } type="text" inputmode="decimal" name={ (key) ".value" } value=(val(pairs, &format!("{key}.value"), num_text(o.value)));
                                }
                                div.field {
                                    label for={ (key) "-y1" } { @if ptype == "range" { (t(lang, "Từ năm", "From year")) } @else { (t(lang, "Năm", "Year")) } }
                                    input id={ (key) "-y1" } type="text" inputmode="numeric" name={ (key) ".y1" } value=(val(pairs, &format!("{key}.y1"), y1.to_string()));
                                }
                                @if let Some(y2) = y2 {
                                    div.field {
                                        label for={ (key) "-y2" } { (t(lang, "Đến năm", "To year")) }
                                        input id={ (key) "-y2" } type="text" inputmode="numeric" name={ (key) ".y2" } value=(val(pairs, &format!("{key}.y2"), y2.to_string()));
                                    }
                                }
                                div.field { (loc_select(&key, &val(pairs, &format!("{key}.locality"), slug.clone()))) }
                            }
                        }
                    }
                    @for (j, p) in facts.partnerships.iter().enumerate() {
                        @let i = n_obs + j;
                        @let key = format!("p{j}");
                        @let kind = kind_code(p.kind);
                        @let country = p.partner_country.clone().unwrap_or_default();
                        div.fact.partnership.has-error[errors.contains_key(&key)] id={ "fact-" (i) } {
                            p.fact-words {
                                a href={ "#f-" (i) } { (i + 1) "." } " "
                                strong { (kind_label(kind, lang)) } " — " (p.locality) " ↔ " (p.partner)
                                @if !country.is_empty() { " (" (country_name(&country, lang)) ")" }
                                @if let Some(per) = &p.period { " — " (period(&period_json(per), lang)) }
                            }
                            (fact_errors(&key))
                            (radios(lang, &key, choice(pairs, &format!("{key}.action"))))
                            details.correct open[choice(pairs, &format!("{key}.action")) == "correct"] {
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
                            }
                            input type="hidden" name={ (key) ".orig" } value=(json!({"name": p.partner, "country": country, "kind": kind}).to_string());
                        }
                    }
                }
            }
            @if can_save && !spans.is_empty() {
                div.actions {
                    button.primary type="submit" { (t(lang, "Lưu các mục đã chấp nhận", "Save the accepted items")) }
                    a.button href="/reader" { (t(lang, "Đọc báo cáo khác", "Read another report")) }
                }
            }
        }
    };
    layout::respond(u, title, status, body)
}

// ---------------------------------------------------------------- saving

const ORG_WORDS: &[(&str, &str)] = &[
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

fn attachment_name(title: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | ',') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    let clean = clean.trim().trim_matches('.').trim();
    if clean.is_empty() {
        "bao-cao.txt".into()
    } else {
        format!("{clean}.txt")
    }
}

/// The observation body of fact `key` as accepted or corrected.
fn obs_body(
    pairs: &[(String, String)],
    key: &str,
    correct: bool,
    source_document: &str,
    default_loc: Option<String>,
) -> Value {
    let mut body: Value =
        serde_json::from_str(form_value(pairs, &format!("{key}.orig"))).unwrap_or(json!({}));
    let loc = form_value(pairs, &format!("{key}.locality")).trim();
    let loc = if loc.is_empty() {
        default_loc
    } else {
        Some(loc.to_owned())
    };
    if let Some(l) = loc {
        body["locality"] = Value::from(l);
    }
    if correct {
        let v = form_value(pairs, &format!("{key}.value")).trim();
        // Vietnamese writing of a number: 793.000.000 or 37,91.
        let v = if v.contains(',') || v.matches('.').count() > 1 {
            v.replace('.', "").replace(',', ".")
        } else {
            v.to_owned()
        };
        body["value"] = Value::from(v.replace(' ', ""));
        let y = |k: &str| {
            let s = form_value(pairs, &format!("{key}.{k}")).trim();
            s.parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(s))
        };
        body["period"] = match form_value(pairs, &format!("{key}.ptype")) {
            "range" => json!({"from": y("y1"), "to": y("y2")}),
            "as_of" => json!({"as_of": y("y1")}),
            "since" => json!({"since": y("y1")}),
            _ => json!({"year": y("y1")}),
        };
    }
    body["source"] = Value::from("reader");
    body["source_document"] = Value::from(source_document);
    body
}

fn invalid_messages(e: &StoreError, lang: Lang) -> Vec<String> {
    match e {
        StoreError::Invalid(inv) => inv
            .0
            .iter()
            .map(|f| {
                if f.field.is_empty() {
                    f.message(lang).to_string()
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

pub async fn reader_save(
    State(st): State<AppState>,
    u: WebUser,
    body: axum::body::Bytes,
) -> Response {
    let lang = u.lang;
    if !may_save(&u) {
        return layout::store_error(
            &u,
            StoreError::Forbidden(if u.actor.org_kind == OrgKind::Mission {
                ngoaivu_core::Denied::MissionRecords
            } else {
                ngoaivu_core::Denied::ReadOnlyRole
            }),
        );
    }
    let pairs = form_pairs(&body);
    let text = normalise(form_value(&pairs, "text"));
    if text.trim().is_empty() {
        return form_again(
            &u,
            &Input::default(),
            "text",
            t(
                lang,
                "Chưa có nội dung: hãy dán nội dung báo cáo hoặc chọn một tệp.",
                "Nothing to read: paste the report's text or choose a file.",
            )
            .to_owned(),
        );
    }
    let review = Review {
        text,
        date: form_value(&pairs, "date").trim().to_owned(),
        title: {
            let t = form_value(&pairs, "title").trim();
            if t.is_empty() {
                "bao-cao".to_owned()
            } else {
                t.to_owned()
            }
        },
    };
    let date = parse_date(lang, &review.date).ok().flatten();
    let hash16 = review.hash16();
    let source_document = format!("{} · sha256:{hash16}", review.title);
    let fname = attachment_name(&review.title);
    let default_loc = match layout::is_ministry(&u) {
        true => None,
        false => Some(u.org.slug.clone()),
    };

    // The facts the form carries, in order.
    let mut keys: Vec<String> = vec![];
    for (k, _) in &pairs {
        if let Some(key) = k.strip_suffix(".orig")
            && !keys.iter().any(|x| x == key)
        {
            keys.push(key.to_owned());
        }
    }

    let names = Names::load(&st).await.ok();
    let mut created: Vec<(RecordType, i64, String)> = vec![];
    let mut errors: HashMap<String, Vec<String>> = HashMap::new();
    let mut n_obs = 0;
    let mut n_partners = 0;
    'facts: for key in &keys {
        let action = choice(&pairs, &format!("{key}.action"));
        if action == "reject" {
            continue;
        }
        let correct = action == "correct";
        let mut bodies: Vec<(RecordType, Value)> = vec![];
        if key.starts_with('o') {
            bodies.push((
                RecordType::Observation,
                obs_body(&pairs, key, correct, &source_document, default_loc.clone()),
            ));
        } else if key.starts_with('p') {
            let orig: Value = serde_json::from_str(form_value(&pairs, &format!("{key}.orig")))
                .unwrap_or(json!({}));
            let pick = |k: &str| -> String {
                if correct {
                    form_value(&pairs, &format!("{key}.{k}")).trim().to_owned()
                } else {
                    orig.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_owned()
                }
            };
            let name = pick("name");
            let country = pick("country").to_ascii_uppercase();
            let kind = pick("kind");
            bodies.push((
                RecordType::Partner,
                json!({
                    "name": name,
                    "kind": partner_kind(&name),
                    "country": country,
                    "notes": format!("{} {source_document}", t(lang, "Đọc từ báo cáo:", "Read from the report:")),
                }),
            ));
            if kind == "agreement" || kind == "twinning" {
                let title = if kind == "twinning" {
                    format!("Kết nghĩa với {name}")
                } else {
                    format!("Thỏa thuận hợp tác với {name}")
                };
                bodies.push((
                    RecordType::Agreement,
                    json!({
                        "title": title,
                        "kind": kind,
                        "partner_ids": [],
                        "status": "signed",
                        "notes": format!("Đọc từ báo cáo: {source_document}"),
                    }),
                ));
            }
        } else {
            continue;
        }
        let mut partner_id = None;
        for (rt, mut b) in bodies {
            if rt == RecordType::Agreement
                && let Some(pid) = partner_id
            {
                b["partner_ids"] = json!([pid]);
            }
            match st.service.create(&u.actor, rt, b).await {
                Ok(rec) => {
                    if rt == RecordType::Partner {
                        partner_id = Some(rec.id);
                        n_partners += 1;
                    }
                    if rt == RecordType::Observation {
                        n_obs += 1;
                    }
                    let name = crate::records::record_title(rt, &rec.data, names.as_ref(), lang);
                    created.push((rt, rec.id, name));
                    if let Err(e) = st
                        .service
                        .attach(
                            &u.actor,
                            rt,
                            rec.id,
                            &fname,
                            review.text.as_bytes().to_vec(),
                            ngoaivu_core::attachments::DEFAULT_MAX_BYTES,
                        )
                        .await
                    {
                        errors.insert(key.clone(), invalid_messages(&e, lang));
                        break 'facts;
                    }
                }
                Err(e @ (StoreError::Invalid(_) | StoreError::Forbidden(_))) => {
                    errors.insert(key.clone(), invalid_messages(&e, lang));
                    break 'facts;
                }
                Err(e) => {
                    rollback(&st, &u, &created).await;
                    return layout::store_error(&u, e);
                }
            }
        }
    }
    if !errors.is_empty() {
        rollback(&st, &u, &created).await;
        return render_review(
            &st,
            &u,
            &review,
            date,
            &pairs,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let title = t(lang, "Đã lưu", "Saved");
    let body = html! {
        h1 { (title) }
        div.alert.ok role="status" {
            @match lang {
                Lang::Vi => { "Đã lưu " (n_obs) " số liệu, " (n_partners) " đối tác." }
                Lang::En => { "Saved " (n_obs) " figures, " (n_partners) " partners." }
            }
        }
        @if !created.is_empty() {
            ul.created {
                @for (rt, id, name) in &created {
                    li { (rt.label(lang)) ": " a href={ "/records/" (rt.path()) "/" (id) } { (name) } }
                }
            }
        }
        p {
            a.button href="/reader" { (t(lang, "Đọc báo cáo khác", "Read another report")) }
            " "
            a href={ "/records/observations?q=" (hash16) } { (t(lang, "Các số liệu từ văn bản này", "The figures from this document")) }
        }
    };
    layout::respond(&u, title, StatusCode::OK, body)
}

/// Delete what this save created, last first.
async fn rollback(st: &AppState, u: &WebUser, created: &[(RecordType, i64, String)]) {
    for (rt, id, _) in created.iter().rev() {
        if let Err(e) = st.service.delete(&u.actor, *rt, *id).await {
            tracing::error!(error = %e, rt = ?rt, id, "reader: could not undo a record of a failed save");
        }
    }
}
