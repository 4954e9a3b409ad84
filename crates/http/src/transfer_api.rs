//! Data in and out over the API: lists exported as CSV or XLSX
//! (`?format=` or `Accept`), an XLSX template per record type, imports with
//! a dry run (`POST …/imports`), saved column mappings, and IATI 2.03 for
//! aid projects. The work is `ngoaivu_transfer`'s; scope and write policy
//! are the service's, as everywhere.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ngoaivu_core::{Invalid, Lang, Problem, RecordType};
use ngoaivu_transfer::export::Format;
use ngoaivu_transfer::import::{ImportError, MappingChoice, Review, Upload};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiError;

/// The language a request asks for (`Accept-Language`).
pub fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The export format a list request asks for: `?format=csv|xlsx`, else an
/// `Accept` of CSV or XLSX; `None` for the JSON page. The parameter is
/// taken out of the query so the list's own parameters parse as before.
pub fn export_format(
    raw: &mut Option<String>,
    headers: &HeaderMap,
) -> Result<Option<Format>, ApiError> {
    let mut format = None;
    if let Some(q) = raw.as_deref() {
        let mut kept = Vec::new();
        for pair in q.split('&') {
            match pair.strip_prefix("format=") {
                Some(f) => {
                    format = Some(Format::parse(f).ok_or_else(|| {
                        ApiError::invalid(Invalid::one(
                            "format",
                            Problem::OneOf {
                                allowed: "csv, xlsx".into(),
                            },
                        ))
                    })?);
                }
                None => kept.push(pair),
            }
        }
        *raw = Some(kept.join("&"));
    }
    if format.is_none() {
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accept.contains("text/csv") {
            format = Some(Format::Csv);
        } else if accept.contains(Format::Xlsx.content_type()) {
            format = Some(Format::Xlsx);
        }
    }
    Ok(format)
}

/// The scheme and host links in a file point at: the public address
/// (`public_url`), else the request's own (`proxy::RequestSource`).
pub fn link_base(src: &crate::proxy::RequestSource) -> String {
    src.origin.clone()
}

/// `attachment; filename*=UTF-8''…` for a download.
pub fn attachment(name: &str) -> String {
    let enc: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    // The plain name for old clients: folded to ASCII (`đoàn` → `doan`).
    let plain: String = ngoaivu_core::fold::fold_vi(name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{enc}")
}

/// A list exported: CSV streamed page by page, XLSX written with constant memory.
pub async fn export_list(
    st: &AppState,
    who: &Authed,
    q: ngoaivu_store::ListQuery,
    format: Format,
    lang: Lang,
    base: String,
) -> Result<Response, ApiError> {
    let name = ngoaivu_transfer::export::file_name(q.rt, lang, format);
    let disposition = attachment(&name);
    match format {
        Format::Xlsx => {
            let bytes =
                ngoaivu_transfer::export::xlsx(&st.service, &who.actor, q, lang, &base).await?;
            Ok((
                [
                    (header::CONTENT_TYPE, format.content_type().to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response())
        }
        Format::Csv => {
            let rx = ngoaivu_transfer::export::csv_chunks(
                st.service.clone(),
                who.actor.clone(),
                q,
                lang,
                base,
            );
            let stream = futures_util::stream::unfold(rx, |mut rx| async move {
                let chunk = rx.recv().await?;
                let item = chunk
                    .map(Bytes::from)
                    .map_err(|e| std::io::Error::other(e.to_string()));
                Some((item, rx))
            });
            Ok((
                [
                    (header::CONTENT_TYPE, format.content_type().to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                Body::from_stream(stream),
            )
                .into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LangParam {
    lang: Option<String>,
}

fn query<T: for<'de> Deserialize<'de> + Default>(raw: &Option<String>) -> Result<T, ApiError> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).map_err(|e| {
        ApiError::bad_request(
            "bad_query",
            format!("Tham số truy vấn không hợp lệ: {e}"),
            format!("Invalid query parameters: {e}"),
        )
    })
}

fn lang_param(lang: Option<&str>, headers: &HeaderMap) -> Result<Lang, ApiError> {
    match lang {
        None => Ok(lang_of(headers)),
        Some("vi") => Ok(Lang::Vi),
        Some("en") => Ok(Lang::En),
        Some(_) => Err(ApiError::invalid(Invalid::one(
            "lang",
            Problem::OneOf {
                allowed: "vi, en".into(),
            },
        ))),
    }
}

/// `GET /api/v1/{type}/template`: the XLSX template of a record type.
pub async fn template(
    _who: Authed,
    rt: RecordType,
    raw: RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let p: LangParam = query(&raw.0)?;
    let lang = lang_param(p.lang.as_deref(), &headers)?;
    let bytes = ngoaivu_sheets::write::template(rt, lang);
    let name = format!(
        "{}-{}.xlsx",
        lang.pick("mau", "template"),
        ngoaivu_core::fold::slugify(rt.label(lang))
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                Format::Xlsx.content_type().to_string(),
            ),
            (header::CONTENT_DISPOSITION, attachment(&name)),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ImportParams {
    filename: Option<String>,
    dry_run: Option<bool>,
    mapping: Option<String>,
    sheet: Option<String>,
    save_mapping: Option<String>,
}

/// The answer to an import: the review (200 for a dry run), the outcome
/// (201), or the review with its errors (422, nothing written).
fn review_response(
    review: &Review,
    lang: Lang,
    status: StatusCode,
    extra: Option<Value>,
) -> Response {
    let mut body = json!({"review": review});
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        let e = ImportError::HasErrors(review.summary.errors);
        body["error"] = json!("import_has_errors");
        body["message"] = json!(e.message(lang));
        body["fields"] = json!([]);
    }
    if let Some(x) = extra {
        body["outcome"] = x;
    }
    (status, Json(body)).into_response()
}

fn import_error(e: ImportError) -> ApiError {
    match e {
        ImportError::Store(s) => s.into(),
        ImportError::File(f) => ApiError::new(
            if f.code == "too_large" {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            },
            f.code,
            f.vi,
            f.en,
        ),
        ImportError::NoRows => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_rows",
            ImportError::NoRows.message(Lang::Vi),
            ImportError::NoRows.message(Lang::En),
        ),
        other @ ImportError::HasErrors(_) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "import_has_errors",
            other.message(Lang::Vi),
            other.message(Lang::En),
        ),
    }
}

fn upload_body(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Bytes, ApiError> {
    body.map_err(|rej| {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "Tệp quá lớn để nhập.",
                "The file is too large to import.",
            )
        } else {
            ApiError::bad_request(
                "unreadable_body",
                "Không đọc được tệp gửi lên.",
                "The uploaded file could not be read.",
            )
        }
    })
}

/// `POST /api/v1/{type}/imports`: the body is the workbook.
pub async fn import(
    st: AppState,
    who: Authed,
    rt: RecordType,
    raw: RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let p: ImportParams = query(&raw.0)?;
    let lang = lang_of(&headers);
    let Some(filename) = p.filename.filter(|f| !f.trim().is_empty()) else {
        return Err(ApiError::invalid(Invalid::one(
            "filename",
            Problem::Required,
        )));
    };
    // The write policy first: a viewer is refused before the file is read.
    st.service.import_org(&who.actor).await?;
    let bytes = upload_body(body)?;
    let upload = Upload {
        file_name: &filename,
        bytes: &bytes,
    };
    let limits = import_limits(&st);
    let wb = ngoaivu_transfer::import::read_workbook(&upload, &limits).map_err(import_error)?;
    let choice = match &p.mapping {
        Some(name) => {
            let saved = st
                .service
                .mappings(&who.actor, rt)
                .await?
                .into_iter()
                .find(|m| m.name == *name)
                .ok_or_else(|| {
                    ApiError::invalid(Invalid::one(
                        "mapping",
                        Problem::Invalid {
                            vi: format!("Không có cách ghép cột nào tên “{name}”."),
                            en: format!("No saved mapping is named “{name}”."),
                        },
                    ))
                })?;
            let m: ngoaivu_sheets::mapping::Mapping =
                serde_json::from_str(&saved.spec).map_err(ApiError::internal)?;
            MappingChoice::Given(
                m.apply(rt, &wb)
                    .map_err(|e| import_error(ImportError::File(e)))?,
            )
        }
        None => MappingChoice::Propose {
            sheet: p.sheet.clone(),
        },
    };
    let mapping = ngoaivu_transfer::import::mapping_for(rt, &wb, &choice).map_err(import_error)?;
    let rows = ngoaivu_transfer::import::rows_of(rt, &wb, &mapping);
    drop(wb);
    let mut review = ngoaivu_transfer::import::review_rows(
        &st.service,
        &who.actor,
        rt,
        &filename,
        &ngoaivu_transfer::import::sha256_hex(&bytes),
        rows,
    )
    .await
    .map_err(import_error)?;
    review.mapping = Some(mapping.clone());
    finish_import(
        &st,
        &who,
        review,
        p.dry_run.unwrap_or(false),
        lang,
        p.save_mapping.as_deref().map(|n| (rt, n, mapping)),
    )
    .await
}

async fn finish_import(
    st: &AppState,
    who: &Authed,
    review: Review,
    dry_run: bool,
    lang: Lang,
    save: Option<(RecordType, &str, ngoaivu_sheets::mapping::Mapping)>,
) -> Result<Response, ApiError> {
    if review.summary.errors > 0 {
        return Ok(review_response(
            &review,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ));
    }
    if dry_run {
        return Ok(review_response(&review, lang, StatusCode::OK, None));
    }
    let shown = review.clone();
    let outcome = ngoaivu_transfer::import::commit(&st.service, &who.actor, review)
        .await
        .map_err(import_error)?;
    if let Some((rt, name, mapping)) = save {
        let spec = serde_json::to_string(&mapping).map_err(ApiError::internal)?;
        st.service.save_mapping(&who.actor, rt, name, &spec).await?;
    }
    Ok(review_response(
        &shown,
        lang,
        StatusCode::CREATED,
        Some(serde_json::to_value(outcome).map_err(ApiError::internal)?),
    ))
}

/// What an import may read: the configured upload limit for the file.
pub fn import_limits(st: &AppState) -> ngoaivu_sheets::Limits {
    ngoaivu_sheets::Limits {
        max_bytes: st.config.import_max_bytes,
        ..ngoaivu_sheets::Limits::default()
    }
}

/// `GET /api/v1/{type}/import-mappings`: the organisation's saved mappings.
pub async fn list_mappings(
    st: AppState,
    who: Authed,
    rt: RecordType,
) -> Result<Json<Value>, ApiError> {
    let items = st.service.mappings(&who.actor, rt).await?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|m| {
            json!({
                "id": m.id, "name": m.name,
                "mapping": serde_json::from_str::<Value>(&m.spec).unwrap_or(Value::Null),
                "created_at": m.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "created_by": m.created_by,
            })
        })
        .collect();
    let total = items.len();
    Ok(Json(json!({"items": items, "total": total})))
}

/// `POST /api/v1/{type}/import-mappings` with `{"name": …, "mapping": {…}}`.
pub async fn save_mapping(
    st: AppState,
    who: Authed,
    rt: RecordType,
    body: crate::api::JsonBody,
) -> Result<Response, ApiError> {
    let name = body.0.get("name").and_then(Value::as_str).unwrap_or("");
    let mapping: ngoaivu_sheets::mapping::Mapping = body
        .0
        .get("mapping")
        .cloned()
        .ok_or_else(|| ApiError::invalid(Invalid::one("mapping", Problem::Required)))
        .and_then(|m| {
            serde_json::from_value(m).map_err(|e| {
                ApiError::invalid(Invalid::one(
                    "mapping",
                    Problem::Invalid {
                        vi: format!("Cách ghép cột không hợp lệ: {e}"),
                        en: format!("Invalid mapping: {e}"),
                    },
                ))
            })
        })?;
    if let Some(o) = body.0.as_object()
        && let Some(k) = o.keys().find(|k| *k != "name" && *k != "mapping")
    {
        return Err(ApiError::invalid(Invalid::one(k, Problem::UnknownField)));
    }
    let spec = serde_json::to_string(&mapping).map_err(ApiError::internal)?;
    let saved = st.service.save_mapping(&who.actor, rt, name, &spec).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": saved.id, "name": saved.name, "mapping": mapping})),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct IatiExportParams {
    year: Option<i32>,
}

/// `GET /api/v1/projects/iati`: the organisation's aid projects as IATI 2.03.
pub async fn iati_export(
    axum::extract::State(st): axum::extract::State<AppState>,
    who: Authed,
    raw: RawQuery,
) -> Result<Response, ApiError> {
    let p: IatiExportParams = query(&raw.0)?;
    if let Some(y) = p.year
        && !(1900..=2100).contains(&y)
    {
        return Err(ApiError::invalid(Invalid::one(
            "year",
            Problem::Invalid {
                vi: "Cần năm từ 1900 đến 2100.".into(),
                en: "Expected a year from 1900 to 2100.".into(),
            },
        )));
    }
    let xml = ngoaivu_transfer::iati::export(&st.service, &who.actor, p.year).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/xml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                attachment(&format!("iati-{}.xml", who.actor.org_slug)),
            ),
        ],
        xml,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct IatiImportParams {
    filename: Option<String>,
    dry_run: Option<bool>,
}

/// `POST /api/v1/projects/iati`: an IATI file's activities in this
/// province, imported with the same review as a workbook.
pub async fn iati_import(
    st: AppState,
    who: Authed,
    raw: RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let p: IatiImportParams = query(&raw.0)?;
    let lang = lang_of(&headers);
    st.service.import_org(&who.actor).await?;
    let bytes = upload_body(body)?;
    let name = p.filename.unwrap_or_else(|| "iati.xml".into());
    let review = ngoaivu_transfer::iati::review(&st.service, &who.actor, &name, &bytes)
        .await
        .map_err(import_error)?;
    finish_import(&st, &who, review, p.dry_run.unwrap_or(false), lang, None).await
}
