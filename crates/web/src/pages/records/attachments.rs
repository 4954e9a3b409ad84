//! A record's attachments in the web: upload (one file, `multipart/form-data`),
//! download, and removal after a confirmation page.
//!
//! The file goes through `Service::attach` with the configured limit, as in
//! the API, so the same size limit and the same recognition by content apply;
//! a refused file is named on the record's page and nothing is written.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use ngoaivu_core::{Lang, RecordType};
use ngoaivu_http::AppState;
use ngoaivu_store::StoreError;

use crate::kit::error::{self, OrPage, PageError};
use crate::kit::layout::{self, Page};
use crate::kit::query::parse_id;
use crate::kit::records::record_title;
use crate::kit::session::WebUser;
use crate::kit::text::{size_text, t};
use crate::kit::upload::{Upload, read_upload};

use super::detail::{FileNotice, render_detail};

fn target(ty: &str, id: &str) -> Option<(RecordType, i64)> {
    Some((RecordType::from_path(ty)?, parse_id(id)?))
}

fn refused_message(lang: Lang, filename: &str, reason: &str) -> String {
    if filename.is_empty() {
        format!(
            "{} {reason}",
            t(
                lang,
                "Không đính kèm được tệp:",
                "The file was not attached:"
            )
        )
    } else {
        match lang {
            Lang::Vi => format!("Không đính kèm được tệp “{filename}”: {reason}"),
            Lang::En => format!("The file “{filename}” was not attached: {reason}"),
        }
    }
}

/// `POST /records/{type}/{id}/attachments`
pub(crate) async fn upload(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let lang = u.lang;
    let Some((rt, id)) = target(&ty, &id) else {
        return Err(error::not_found(lang, Some(&u)).into());
    };
    let max = st.config.attachment_max_bytes;
    let refuse = |name: &str, reason: String| {
        render_detail(
            &st,
            &u,
            rt,
            id,
            FileNotice::Refused(refused_message(lang, name, &reason)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let (filename, bytes) = match read_upload(mp, max).await {
        Upload::File(n, b) => (n, b),
        Upload::NoFile => {
            return refuse(
                "",
                t(
                    lang,
                    "Chưa chọn tệp nào để đính kèm.",
                    "No file was chosen to attach.",
                )
                .into(),
            )
            .await;
        }
        Upload::Unreadable => {
            return refuse(
                "",
                t(
                    lang,
                    "Không đọc được tệp gửi lên; hãy thử lại.",
                    "The file sent could not be read; please try again.",
                )
                .into(),
            )
            .await;
        }
        Upload::TooLarge => {
            let mib = max / (1024 * 1024);
            let reason = match lang {
                Lang::Vi => format!("Tệp quá lớn: tối đa {mib} MiB."),
                Lang::En => format!("The file is too large: at most {mib} MiB."),
            };
            return refuse("", reason).await;
        }
    };
    match st
        .service
        .attach(&u.actor, rt, id, &filename, bytes, max)
        .await
    {
        Ok(meta) => {
            tracing::info!(rt = rt.code(), id, file = %meta.filename, "attached (web)");
            Ok(
                Redirect::to(&format!("/records/{}/{id}?done=attached#files", rt.path()))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid(inv)) => {
            let reason = inv
                .0
                .iter()
                .map(|e| e.message(lang))
                .collect::<Vec<_>>()
                .join(" ");
            let shown = filename.rsplit(['/', '\\']).next().unwrap_or("").to_owned();
            refuse(&shown, reason).await
        }
        Err(e) => Err(error::store_error(&u, e).into()),
    }
}

fn attachment_target(ty: &str, id: &str, aid: &str) -> Option<(RecordType, i64, i64)> {
    let (rt, id) = target(ty, id)?;
    Some((rt, id, parse_id(aid)?))
}

/// `GET /records/{type}/{id}/attachments/{aid}/delete`: the confirmation.
pub(crate) async fn remove_confirm(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id, aid)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let lang = u.lang;
    let Some((rt, id, aid)) = attachment_target(&ty, &id, &aid) else {
        return Err(error::not_found(lang, Some(&u)).into());
    };
    let rec = st.service.get(&u.actor, rt, id).await.or_page(&u)?;
    u.actor
        .may_write_org(rec.org_id)
        .map_err(StoreError::Forbidden)
        .or_page(&u)?;
    let files = st.service.attachments(&u.actor, rt, id).await.or_page(&u)?;
    let Some(file) = files.iter().find(|f| f.id == aid) else {
        return Err(error::not_found(lang, Some(&u)).into());
    };
    let base = format!("/records/{}/{id}", rt.path());
    let title = t(lang, "Gỡ tệp đính kèm", "Remove an attachment");
    let body = html! {
        div.notice {
            h1 { (title) }
            p { (t(lang, "Bạn có chắc muốn gỡ tệp này khỏi hồ sơ? Thao tác được ghi vào lịch sử.", "Do you really want to remove this file from the record? The removal is kept in the history.")) }
            p {
                strong { (file.filename) } " "
                span.muted { "(" (size_text(file.size, lang)) ")" }
            }
            p { (rt.label(lang)) ": " a href=(base) { (record_title(rt, &rec.data, None, lang)) } }
            form method="post" action={ (base) "/attachments/" (aid) "/delete" } {
                div.actions {
                    button.danger type="submit" { (t(lang, "Gỡ tệp", "Remove the file")) }
                    a.button href={ (base) "#files" } { (t(lang, "Không gỡ", "Keep it")) }
                }
            }
        }
    };
    Ok(layout::page(
        Page {
            lang,
            user: Some(&u),
            title,
            search: "",
        },
        body,
    )
    .into_response())
}

/// `POST /records/{type}/{id}/attachments/{aid}/delete`
pub(crate) async fn remove_submit(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id, aid)): Path<(String, String, String)>,
) -> Response {
    let Some((rt, id, aid)) = attachment_target(&ty, &id, &aid) else {
        return error::not_found(u.lang, Some(&u));
    };
    match st.service.detach(&u.actor, rt, id, aid).await {
        Ok(()) => {
            Redirect::to(&format!("/records/{}/{id}?done=removed#files", rt.path())).into_response()
        }
        Err(e) => error::store_error(&u, e),
    }
}

/// `GET /records/{type}/{id}/attachments/{aid}`: the file, under its name.
pub(crate) async fn download(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id, aid)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let (Some(rt), Some(id), Some(aid)) =
        (RecordType::from_path(&ty), parse_id(&id), parse_id(&aid))
    else {
        return Err(error::not_found(u.lang, Some(&u)).into());
    };
    let (meta, bytes) = st
        .service
        .attachment(&u.actor, rt, id, aid)
        .await
        .or_page(&u)?;
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&meta.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&ngoaivu_http::api::content_disposition(
        "attachment",
        &meta.filename,
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(resp)
}
