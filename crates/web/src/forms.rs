//! Create, edit and delete forms. Create and edit exist for partners and
//! agreements; delete (with a confirmation page) for every type. Errors are
//! shown next to their field, and what the user typed is kept.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ngoaivu_core::{FieldError, Lang, OrgKind, RecordType};
use ngoaivu_http::AppState;
use ngoaivu_store::{ListQuery, SortKey, StoreError};
use serde_json::{Map, Value};

use crate::layout::{self, Page, is_ministry};
use crate::records::{Names, country_options, record_title, sector_options};
use crate::session::{WebUser, form_pairs, form_value};
use crate::text::*;

enum Input {
    Text,
    Area,
    Date,
    Url,
    Select(Vec<(String, String)>),
    Multi(Vec<(String, String)>),
}

struct Field {
    name: &'static str,
    input: Input,
    required: bool,
}

fn f(name: &'static str, input: Input, required: bool) -> Field {
    Field {
        name,
        input,
        required,
    }
}

fn opts(values: &[&str], lang: Lang) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| ((*v).to_owned(), value_label(v, lang)))
        .collect()
}

async fn fields(
    st: &AppState,
    u: &WebUser,
    rt: RecordType,
    creating: bool,
) -> Result<Vec<Field>, StoreError> {
    let lang = u.lang;
    let mut out = vec![];
    if creating && is_ministry(u) {
        let names = Names::load(st).await?;
        out.push(f("org", Input::Select(names.provinces.clone()), true));
    }
    match rt {
        RecordType::Partner => {
            out.extend([
                f("name", Input::Text, true),
                f("name_original", Input::Text, false),
                f(
                    "kind",
                    Input::Select(opts(ngoaivu_core::records::PARTNER_KINDS, lang)),
                    true,
                ),
                f("country", Input::Select(country_options(lang)), true),
                f("sectors", Input::Multi(sector_options(lang)), false),
                f("website", Input::Url, false),
                f("notes", Input::Area, false),
            ]);
        }
        _ => {
            let mut q = ListQuery::new(RecordType::Partner);
            q.sort = SortKey::Title;
            q.descending = false;
            q.limit = 200;
            let partners = st.service.list(&u.actor, &q).await?;
            let partner_opts = partners
                .items
                .iter()
                .map(|p| {
                    (
                        p.id.to_string(),
                        format!(
                            "{} ({})",
                            record_title(RecordType::Partner, &p.data, None, lang),
                            country_name(
                                p.data.get("country").and_then(|c| c.as_str()).unwrap_or(""),
                                lang
                            )
                        ),
                    )
                })
                .collect();
            out.extend([
                f("title", Input::Text, true),
                f(
                    "kind",
                    Input::Select(opts(ngoaivu_core::records::AGREEMENT_KINDS, lang)),
                    true,
                ),
                f("partner_ids", Input::Multi(partner_opts), true),
                f(
                    "status",
                    Input::Select(opts(ngoaivu_core::records::AGREEMENT_STATUSES, lang)),
                    true,
                ),
                f("signed_on", Input::Date, false),
                f("signed_place", Input::Text, false),
                f("valid_from", Input::Date, false),
                f("valid_until", Input::Date, false),
                f("sectors", Input::Multi(sector_options(lang)), false),
                f("notes", Input::Area, false),
            ]);
        }
    }
    Ok(out)
}

/// The JSON body (create) or merge patch (edit) built from the form.
fn body_from(fields: &[Field], pairs: &[(String, String)], patch: bool) -> Value {
    let mut m = Map::new();
    for fd in fields {
        match &fd.input {
            Input::Multi(_) => {
                let vals: Vec<&str> = pairs
                    .iter()
                    .filter(|(k, v)| k == fd.name && !v.is_empty())
                    .map(|(_, v)| v.as_str())
                    .collect();
                let arr: Vec<Value> = if fd.name.ends_with("_ids") {
                    vals.iter()
                        .map(|v| {
                            v.parse::<i64>()
                                .map(Value::from)
                                .unwrap_or_else(|_| Value::from(*v))
                        })
                        .collect()
                } else {
                    vals.iter().map(|v| Value::from(*v)).collect()
                };
                if !arr.is_empty() || patch || fd.required {
                    m.insert(fd.name.into(), Value::Array(arr));
                }
            }
            _ => {
                let v = form_value(pairs, fd.name).trim();
                if !v.is_empty() {
                    m.insert(fd.name.into(), Value::from(v));
                } else if fd.required && patch {
                    m.insert(fd.name.into(), Value::from(""));
                } else if patch {
                    m.insert(fd.name.into(), Value::Null);
                }
            }
        }
    }
    Value::Object(m)
}

/// The form's values from a stored record (for editing).
fn pairs_from(data: &Value) -> Vec<(String, String)> {
    let mut out = vec![];
    if let Some(o) = data.as_object() {
        for (k, v) in o {
            match v {
                Value::String(s) => out.push((k.clone(), s.clone())),
                Value::Number(n) => out.push((k.clone(), n.to_string())),
                Value::Array(a) => {
                    for x in a {
                        match x {
                            Value::String(s) => out.push((k.clone(), s.clone())),
                            Value::Number(n) => out.push((k.clone(), n.to_string())),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn field_of(e: &FieldError) -> &str {
    e.field.split(['.', '[']).next().unwrap_or("")
}

fn form_markup(
    u: &WebUser,
    rt: RecordType,
    action: &str,
    fields: &[Field],
    pairs: &[(String, String)],
    errors: &[FieldError],
) -> Markup {
    let lang = u.lang;
    let loose: Vec<&FieldError> = errors
        .iter()
        .filter(|e| !fields.iter().any(|fd| fd.name == field_of(e)))
        .collect();
    html! {
        @if !errors.is_empty() {
            div.alert.error role="alert" {
                p { (t(lang, "Chưa lưu được: hãy sửa các ô được đánh dấu.", "Not saved: please correct the marked fields.")) }
                @if !loose.is_empty() {
                    ul { @for e in &loose { li { @if !e.field.is_empty() { strong { (field_label(&e.field, lang)) } ": " } (e.message(lang)) } } }
                }
            }
        }
        form.record method="post" action=(action) novalidate {
            @for fd in fields {
                @let errs: Vec<&FieldError> = errors.iter().filter(|e| field_of(e) == fd.name).collect();
                @let id = fd.name;
                @let err_id = format!("{id}-error");
                div.field.has-error[!errs.is_empty()] {
                    label for=(id) {
                        (field_label(if rt == RecordType::Partner && id == "kind" { "kind" } else { id }, lang))
                        @if fd.required { " " abbr title=(t(lang, "bắt buộc", "required")) { "*" } }
                    }
                    @match &fd.input {
                        Input::Text => { input #(id) type="text" name=(id) value=(form_value(pairs, id)) required[fd.required] aria-invalid=[(!errs.is_empty()).then_some("true")] aria-describedby=[(!errs.is_empty()).then_some(&err_id)]; }
                        Input::Url => { input #(id) type="url" name=(id) value=(form_value(pairs, id)) aria-invalid=[(!errs.is_empty()).then_some("true")] aria-describedby=[(!errs.is_empty()).then_some(&err_id)]; }
                        Input::Date => { input #(id) type="date" name=(id) value=(form_value(pairs, id)) aria-invalid=[(!errs.is_empty()).then_some("true")] aria-describedby=[(!errs.is_empty()).then_some(&err_id)]; }
                        Input::Area => { textarea #(id) name=(id) rows="4" aria-invalid=[(!errs.is_empty()).then_some("true")] aria-describedby=[(!errs.is_empty()).then_some(&err_id)] { (form_value(pairs, id)) } }
                        Input::Select(options) => {
                            select #(id) name=(id) required[fd.required] aria-invalid=[(!errs.is_empty()).then_some("true")] aria-describedby=[(!errs.is_empty()).then_some(&err_id)] {
                                option value="" { (t(lang, "— Chọn —", "— Choose —")) }
                                @for (v, l) in options { option value=(v) selected[form_value(pairs, id) == v] { (l) } }
                            }
                        }
                        Input::Multi(options) => {
                            select #(id) name=(id) multiple size=(options.len().clamp(3, 8)) aria-invalid=[(!errs.is_empty()).then_some("true")] aria-describedby=[(!errs.is_empty()).then_some(&err_id)] {
                                @for (v, l) in options { option value=(v) selected[pairs.iter().any(|(k, x)| k == id && x == v)] { (l) } }
                            }
                            span.hint { (t(lang, "Giữ Ctrl (hoặc ⌘) để chọn nhiều mục.", "Hold Ctrl (or ⌘) to choose several.")) }
                        }
                    }
                    @if !errs.is_empty() {
                        span.error id=(err_id) { @for e in &errs { (e.message(lang)) " " } }
                    }
                }
            }
            div.actions {
                button.primary type="submit" { (t(lang, "Lưu", "Save")) }
                a.button href={ "/records/" (rt.path()) } { (t(lang, "Hủy", "Cancel")) }
            }
        }
    }
}

fn may_create(u: &WebUser) -> bool {
    u.actor.role.can_write() && u.actor.org_kind != OrgKind::Mission
}

async fn render_new(
    st: &AppState,
    u: &WebUser,
    rt: RecordType,
    pairs: &[(String, String)],
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    if !may_create(u) {
        return layout::store_error(
            u,
            StoreError::Forbidden(if u.actor.org_kind == OrgKind::Mission {
                ngoaivu_core::Denied::MissionRecords
            } else {
                ngoaivu_core::Denied::ReadOnlyRole
            }),
        );
    }
    let fields = match fields(st, u, rt, true).await {
        Ok(f) => f,
        Err(e) => return layout::store_error(u, e),
    };
    let title = format!("{} — {}", rt.label(lang), t(lang, "thêm mới", "new"));
    let body = html! {
        h1 { (title) }
        (form_markup(u, rt, &format!("/records/{}/new", rt.path()), &fields, pairs, errors))
    };
    (
        status,
        layout::page(
            Page {
                lang,
                user: Some(u),
                title: &title,
                search: "",
            },
            body,
        ),
    )
        .into_response()
}

async fn create(st: AppState, u: WebUser, rt: RecordType, body: &[u8]) -> Response {
    let pairs = form_pairs(body);
    let fields = match fields(&st, &u, rt, true).await {
        Ok(f) => f,
        Err(e) => return layout::store_error(&u, e),
    };
    let json = body_from(&fields, &pairs, false);
    match st.service.create(&u.actor, rt, json).await {
        Ok(rec) => Redirect::to(&format!("/records/{}/{}", rt.path(), rec.id)).into_response(),
        Err(StoreError::Invalid(inv)) => {
            render_new(
                &st,
                &u,
                rt,
                &pairs,
                &inv.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => layout::store_error(&u, e),
    }
}

pub async fn new_partner(State(st): State<AppState>, u: WebUser) -> Response {
    render_new(&st, &u, RecordType::Partner, &[], &[], StatusCode::OK).await
}
pub async fn create_partner(
    State(st): State<AppState>,
    u: WebUser,
    body: axum::body::Bytes,
) -> Response {
    create(st, u, RecordType::Partner, &body).await
}
pub async fn new_agreement(State(st): State<AppState>, u: WebUser) -> Response {
    render_new(
        &st,
        &u,
        RecordType::Agreement,
        &[("status".into(), "draft".into())],
        &[],
        StatusCode::OK,
    )
    .await
}
pub async fn create_agreement(
    State(st): State<AppState>,
    u: WebUser,
    body: axum::body::Bytes,
) -> Response {
    create(st, u, RecordType::Agreement, &body).await
}

fn target(ty: &str, id: &str, editable_only: bool) -> Option<(RecordType, i64)> {
    let rt = RecordType::from_path(ty)?;
    if editable_only && !matches!(rt, RecordType::Partner | RecordType::Agreement) {
        return None;
    }
    Some((rt, id.parse::<i64>().ok().filter(|n| *n > 0)?))
}

async fn render_edit(
    st: &AppState,
    u: &WebUser,
    rt: RecordType,
    id: i64,
    pairs: Option<Vec<(String, String)>>,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let rec = match st.service.get(&u.actor, rt, id).await {
        Ok(r) => r,
        Err(e) => return layout::store_error(u, e),
    };
    if let Err(d) = u.actor.may_write_org(rec.org_id) {
        return layout::store_error(u, StoreError::Forbidden(d));
    }
    let fields = match fields(st, u, rt, false).await {
        Ok(f) => f,
        Err(e) => return layout::store_error(u, e),
    };
    let pairs = pairs.unwrap_or_else(|| pairs_from(&rec.data));
    let name = record_title(rt, &rec.data, None, lang);
    let title = format!("{}: {name}", t(lang, "Sửa", "Edit"));
    let body = html! {
        nav.crumbs { a href={ "/records/" (rt.path()) } { (rt.label(lang)) } " › " a href={ "/records/" (rt.path()) "/" (id) } { (name) } }
        h1 { (title) }
        (form_markup(u, rt, &format!("/records/{}/{id}/edit", rt.path()), &fields, &pairs, errors))
    };
    (
        status,
        layout::page(
            Page {
                lang,
                user: Some(u),
                title: &title,
                search: "",
            },
            body,
        ),
    )
        .into_response()
}

pub async fn edit_form(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
) -> Response {
    let Some((rt, id)) = target(&ty, &id, true) else {
        return layout::not_found(u.lang, Some(&u));
    };
    render_edit(&st, &u, rt, id, None, &[], StatusCode::OK).await
}

pub async fn edit_submit(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let Some((rt, id)) = target(&ty, &id, true) else {
        return layout::not_found(u.lang, Some(&u));
    };
    let pairs = form_pairs(&body);
    let fields = match fields(&st, &u, rt, false).await {
        Ok(f) => f,
        Err(e) => return layout::store_error(&u, e),
    };
    let patch = body_from(&fields, &pairs, true);
    match st.service.update(&u.actor, rt, id, &patch).await {
        Ok(_) => Redirect::to(&format!("/records/{}/{id}", rt.path())).into_response(),
        Err(StoreError::Invalid(inv)) => {
            render_edit(
                &st,
                &u,
                rt,
                id,
                Some(pairs),
                &inv.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => layout::store_error(&u, e),
    }
}

pub async fn delete_confirm(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
) -> Response {
    let lang = u.lang;
    let Some((rt, id)) = target(&ty, &id, false) else {
        return layout::not_found(lang, Some(&u));
    };
    let rec = match st.service.get(&u.actor, rt, id).await {
        Ok(r) => r,
        Err(e) => return layout::store_error(&u, e),
    };
    if let Err(d) = u.actor.may_write_org(rec.org_id) {
        return layout::store_error(&u, StoreError::Forbidden(d));
    }
    let name = record_title(rt, &rec.data, None, lang);
    let title = t(lang, "Xóa hồ sơ", "Delete record");
    let body = html! {
        div.notice {
            h1 { (title) }
            p { (t(lang, "Bạn có chắc muốn xóa hồ sơ này? Thao tác được ghi vào lịch sử.", "Do you really want to delete this record? The deletion is kept in the history.")) }
            p { strong { (rt.label(lang)) ": " (name) } }
            form method="post" action={ "/records/" (rt.path()) "/" (id) "/delete" } {
                div.actions {
                    button.danger type="submit" { (t(lang, "Xóa", "Delete")) }
                    a.button href={ "/records/" (rt.path()) "/" (id) } { (t(lang, "Không xóa", "Keep it")) }
                }
            }
        }
    };
    layout::page(
        Page {
            lang,
            user: Some(&u),
            title,
            search: "",
        },
        body,
    )
    .into_response()
}

pub async fn delete_submit(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
) -> Response {
    let Some((rt, id)) = target(&ty, &id, false) else {
        return layout::not_found(u.lang, Some(&u));
    };
    match st.service.delete(&u.actor, rt, id).await {
        Ok(()) => Redirect::to(&format!("/records/{}", rt.path())).into_response(),
        Err(e) => layout::store_error(&u, e),
    }
}
