//! Data in and out on the pages: a list's export (XLSX, CSV) with its
//! filters, the XLSX template of a record type, the IATI file of the aid
//! projects, and the import page: upload a workbook, correct the proposed
//! column mapping, read the review (errors at their cells first), confirm.
//!
//! Between the upload and the confirmation the file waits in the server's
//! temporary folder under a random name that only its uploader's requests
//! can use; it is removed once imported and after two hours in any case.

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use ngoaivu_core::{Lang, RecordType};
use ngoaivu_http::AppState;
use ngoaivu_http::transfer_api::{attachment, import_limits};
use ngoaivu_sheets::mapping::Mapping;
use ngoaivu_transfer::export::Format;
use ngoaivu_transfer::import::{Action, ImportError, MappingChoice, Review, Upload};

use crate::kit::error;
use crate::kit::forms::{form_pairs, form_value};
use crate::kit::layout;
use crate::kit::query::{Params, list_query};
use crate::kit::session::{WebUser, may_import};
use crate::kit::text::t;

/// Rows of a review shown on the page (errors always come first); the
/// rest are counted.
const ROWS_SHOWN: usize = 300;

// ------------------------------------------------------------ exports

/// `GET /records/{type}/export.xlsx`: the list as shown, every page.
pub(crate) async fn export_xlsx(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
    RawQuery(raw): RawQuery,
    src: ngoaivu_http::proxy::RequestSource,
) -> Response {
    export(st, u, ty, raw, src, Format::Xlsx).await
}

/// `GET /records/{type}/export.csv`: the list as shown, every page, streamed.
pub(crate) async fn export_csv(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
    RawQuery(raw): RawQuery,
    src: ngoaivu_http::proxy::RequestSource,
) -> Response {
    export(st, u, ty, raw, src, Format::Csv).await
}

async fn export(
    st: AppState,
    u: WebUser,
    ty: String,
    raw: Option<String>,
    src: ngoaivu_http::proxy::RequestSource,
    format: Format,
) -> Response {
    let lang = u.lang;
    let Some(rt) = RecordType::from_path(&ty) else {
        return error::not_found(lang, Some(&u));
    };
    let p = Params::parse(raw.as_deref());
    let (q, errs) = list_query(&st, rt, &p).await;
    if !errs.is_empty() {
        return error::error_page(
            lang,
            Some(&u),
            StatusCode::BAD_REQUEST,
            t(lang, "Bộ lọc không hợp lệ", "Invalid filter"),
            &errs
                .iter()
                .map(|e| e.message(lang))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    let who = ngoaivu_http::auth::Authed {
        actor: u.actor.clone(),
        token_hash: u.token_hash.clone(),
    };
    let base = ngoaivu_http::transfer_api::link_base(&src);
    match ngoaivu_http::transfer_api::export_list(&st, &who, q, format, lang, base).await {
        Ok(r) => r,
        Err(e) => error::internal(lang, format!("{} {}", e.code, e.en)),
    }
}

/// `GET /records/{type}/template.xlsx`.
pub(crate) async fn template(u: WebUser, Path(ty): Path<String>) -> Response {
    let Some(rt) = RecordType::from_path(&ty) else {
        return error::not_found(u.lang, Some(&u));
    };
    let bytes = ngoaivu_sheets::write::template(rt, u.lang);
    let name = format!(
        "{}-{}.xlsx",
        u.lang.pick("mau", "template"),
        ngoaivu_core::fold::slugify(rt.label(u.lang))
    );
    (
        [
            (
                header::CONTENT_TYPE,
                Format::Xlsx.content_type().to_string(),
            ),
            (header::CONTENT_DISPOSITION, attachment(&name)),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /records/projects/iati.xml`: the organisation's aid projects as IATI 2.03.
pub(crate) async fn iati(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
) -> Response {
    if ty != RecordType::Project.path() {
        return error::not_found(u.lang, Some(&u));
    }
    match ngoaivu_transfer::iati::export(&st.service, &u.actor, None).await {
        Ok(xml) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/xml; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    attachment(&format!("iati-{}.xml", u.actor.org_slug)),
                ),
            ],
            xml,
        )
            .into_response(),
        Err(e) => error::store_error(&u, e),
    }
}

// ------------------------------------------------------------ pending uploads

fn pending_dir() -> PathBuf {
    std::env::temp_dir().join("ngoaivu-imports")
}

fn pending_path(user_id: i64, token: &str) -> Option<PathBuf> {
    (token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| pending_dir().join(format!("{user_id}-{token}")))
}

/// Keep an upload until it is confirmed; returns its token.
fn keep_pending(user_id: i64, name: &str, bytes: &[u8]) -> std::io::Result<String> {
    let dir = pending_dir();
    std::fs::create_dir_all(&dir)?;
    // Uploads older than two hours were abandoned.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 2 * 3600);
            if old {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).map_err(|e| std::io::Error::other(e.to_string()))?;
    let token: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let path = pending_path(user_id, &token).expect("a fresh token is well formed");
    std::fs::write(&path, bytes)?;
    std::fs::write(path.with_extension("name"), name)?;
    Ok(token)
}

fn load_pending(user_id: i64, token: &str) -> Option<(String, Vec<u8>)> {
    let path = pending_path(user_id, token)?;
    let bytes = std::fs::read(&path).ok()?;
    let name = std::fs::read_to_string(path.with_extension("name")).unwrap_or_default();
    Some((name, bytes))
}

fn drop_pending(user_id: i64, token: &str) {
    if let Some(path) = pending_path(user_id, token) {
        let _ = std::fs::remove_file(path.with_extension("name"));
        let _ = std::fs::remove_file(path);
    }
}

// ------------------------------------------------------------ the import page

fn form_page(u: &WebUser, rt: RecordType, mappings: &[String], error: Option<&str>) -> Markup {
    let lang = u.lang;
    let base = format!("/records/{}", rt.path());
    html! {
        div.heading {
            h1 { (t(lang, "Nhập từ tệp", "Import from a file")) ": " (rt.label(lang)) }
        }
        @if let Some(e) = error {
            div.alert.error role="alert" { p { (e) } }
        }
        p {
            (t(lang,
                "Tải lên sổ theo dõi (XLSX, XLS, ODS hoặc CSV). ngoaivu tìm dòng tiêu đề, đề xuất cách ghép các cột với các trường, rồi cho xem trước từng dòng sẽ được tạo mới, cập nhật hay có lỗi (chỉ rõ ô). Chưa có gì được ghi cho đến khi bạn xác nhận; nếu còn lỗi thì không ghi gì.",
                "Upload a register (XLSX, XLS, ODS or CSV). ngoaivu finds the header row, proposes how its columns map to fields, then shows each row that will be created, updated or has an error (at its cell). Nothing is written until you confirm, and nothing at all while errors remain."))
        }
        p {
            a href={ (base) "/template.xlsx" } download { (t(lang, "Tải tệp mẫu Excel", "Download the Excel template")) }
            " — " (t(lang, "điền vào mẫu thì nhập được ngay, không cần ghép cột.", "a filled-in template imports with no mapping step."))
        }
        form.upload method="post" enctype="multipart/form-data" action={ (base) "/import" } {
            div.field {
                label for="file" { (t(lang, "Tệp", "File")) }
                input #file type="file" name="file" required accept=".xlsx,.xls,.ods,.csv";
            }
            div.field {
                label for="sheet" { (t(lang, "Trang tính (để trống: tự chọn)", "Sheet (empty: chosen automatically)")) }
                input #sheet type="text" name="sheet" maxlength="100";
            }
            @if !mappings.is_empty() {
                div.field {
                    label for="mapping" { (t(lang, "Cách ghép cột đã lưu", "Saved column mapping")) }
                    select #mapping name="mapping" {
                        option value="" { (t(lang, "(đề xuất từ dòng tiêu đề)", "(proposed from the header row)")) }
                        @for m in mappings { option value=(m) { (m) } }
                    }
                }
            }
            button.primary type="submit" { (t(lang, "Xem trước", "Review")) }
        }
    }
}

/// `GET /records/{type}/import`.
pub(crate) async fn import_form(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
) -> Response {
    let Some(rt) = RecordType::from_path(&ty) else {
        return error::not_found(u.lang, Some(&u));
    };
    if !may_import(&u) {
        return forbidden(&u);
    }
    let names = match st.service.mappings(&u.actor, rt).await {
        Ok(m) => m.into_iter().map(|m| m.name).collect::<Vec<_>>(),
        Err(e) => return error::store_error(&u, e),
    };
    let title = format!(
        "{}: {}",
        t(u.lang, "Nhập từ tệp", "Import"),
        rt.label(u.lang)
    );
    layout::respond(&u, &title, StatusCode::OK, form_page(&u, rt, &names, None))
}

fn forbidden(u: &WebUser) -> Response {
    error::error_page(
        u.lang,
        Some(u),
        StatusCode::FORBIDDEN,
        t(u.lang, "Không được phép", "Not allowed"),
        t(
            u.lang,
            "Chỉ biên tập viên và quản trị viên của cơ quan được nhập dữ liệu.",
            "Only the organisation's editors and administrators may import.",
        ),
    )
}

/// The fields of the upload form.
struct Sent {
    file: Option<(String, Vec<u8>)>,
    sheet: String,
    mapping: String,
    too_large: bool,
}

async fn read_form(mp: Result<Multipart, MultipartRejection>, max: usize) -> Option<Sent> {
    let mut mp = mp.ok()?;
    let mut sent = Sent {
        file: None,
        sheet: String::new(),
        mapping: String::new(),
        too_large: false,
    };
    while let Ok(Some(mut field)) = mp.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().unwrap_or("").to_owned();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if bytes.len() + c.len() > max {
                        sent.too_large = true;
                        // Read and drop the rest, so the browser gets the page.
                        continue;
                    }
                    bytes.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(_) => return if sent.too_large { Some(sent) } else { None },
            }
        }
        match name.as_str() {
            "file" if !(file_name.is_empty() && bytes.is_empty()) => {
                sent.file = Some((file_name, bytes));
            }
            "sheet" => sent.sheet = String::from_utf8_lossy(&bytes).trim().to_owned(),
            "mapping" => sent.mapping = String::from_utf8_lossy(&bytes).trim().to_owned(),
            _ => {}
        }
    }
    Some(sent)
}

/// `POST /records/{type}/import`: the upload; answers the review.
pub(crate) async fn import_upload(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = u.lang;
    let Some(rt) = RecordType::from_path(&ty) else {
        return error::not_found(lang, Some(&u));
    };
    if !may_import(&u) {
        return forbidden(&u);
    }
    let limits = import_limits(&st);
    let again = |msg: String| {
        let title = format!("{}: {}", t(lang, "Nhập từ tệp", "Import"), rt.label(lang));
        layout::respond(
            &u,
            &title,
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&u, rt, &[], Some(&msg)),
        )
    };
    let Some(sent) = read_form(mp, limits.max_bytes).await else {
        return again(
            t(
                lang,
                "Không đọc được biểu mẫu gửi lên.",
                "The form could not be read.",
            )
            .into(),
        );
    };
    if sent.too_large {
        return again(match lang {
            Lang::Vi => format!(
                "Tệp quá lớn: tối đa {} MB.",
                limits.max_bytes / (1024 * 1024)
            ),
            Lang::En => format!(
                "The file is too large: at most {} MB.",
                limits.max_bytes / (1024 * 1024)
            ),
        });
    }
    let Some((name, bytes)) = sent.file else {
        return again(t(lang, "Hãy chọn một tệp.", "Choose a file.").into());
    };
    let token = match keep_pending(u.actor.user_id, &name, &bytes) {
        Ok(t) => t,
        Err(e) => return error::internal(lang, e),
    };
    let choice = if sent.mapping.is_empty() {
        Choice::Propose(Some(sent.sheet).filter(|s| !s.is_empty()))
    } else {
        Choice::Saved(sent.mapping)
    };
    review_page(&st, &u, rt, &token, &name, &bytes, choice, None).await
}

/// The mapping a form states: proposed for the sheet, then each column's
/// field as the user set it (`keys`: column index → field, or ignored).
fn form_mapping(
    rt: RecordType,
    wb: &ngoaivu_sheets::Workbook,
    sheet: Option<String>,
    keys: &[(usize, Option<String>)],
) -> Result<Mapping, ImportError> {
    let mut m = ngoaivu_transfer::import::mapping_for(rt, wb, &MappingChoice::Propose { sheet })?;
    for c in &mut m.columns {
        if let Some((_, k)) = keys.iter().find(|(i, _)| *i == c.index) {
            c.key = k.clone();
        }
    }
    Ok(m)
}

/// How the review's mapping is chosen.
enum Choice {
    Propose(Option<String>),
    Saved(String),
    /// The sheet, and the field of each column (by index) as the user set them.
    Corrected(String, Vec<(usize, Option<String>)>),
}

#[allow(clippy::too_many_arguments)]
async fn review_page(
    st: &AppState,
    u: &WebUser,
    rt: RecordType,
    token: &str,
    name: &str,
    bytes: &[u8],
    choice: Choice,
    notice: Option<String>,
) -> Response {
    let lang = u.lang;
    let title = format!(
        "{}: {}",
        t(lang, "Xem trước khi nhập", "Import review"),
        rt.label(lang)
    );
    let refused = |msg: String| {
        drop_pending(u.actor.user_id, token);
        layout::respond(
            u,
            &title,
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(u, rt, &[], Some(&msg)),
        )
    };
    let upload = Upload {
        file_name: name,
        bytes,
    };
    let wb = match ngoaivu_transfer::import::read_workbook(&upload, &import_limits(st)) {
        Ok(wb) => wb,
        Err(e) => return refused(e.message(lang)),
    };
    let mapping: Result<Mapping, ImportError> = match choice {
        Choice::Propose(sheet) => {
            ngoaivu_transfer::import::mapping_for(rt, &wb, &MappingChoice::Propose { sheet })
        }
        Choice::Saved(n) => match st.service.mappings(&u.actor, rt).await {
            Err(e) => return error::store_error(u, e),
            Ok(list) => match list.into_iter().find(|m| m.name == n) {
                None => ngoaivu_transfer::import::mapping_for(
                    rt,
                    &wb,
                    &MappingChoice::Propose { sheet: None },
                ),
                Some(saved) => serde_json::from_str::<Mapping>(&saved.spec)
                    .map_err(|e| {
                        ImportError::File(ngoaivu_sheets::SheetError::new(
                            "bad_mapping",
                            format!("Không đọc được cách ghép cột đã lưu: {e}"),
                            format!("The saved mapping cannot be read: {e}"),
                        ))
                    })
                    .and_then(|m| m.apply(rt, &wb).map_err(ImportError::File)),
            },
        },
        Choice::Corrected(sheet, keys) => form_mapping(rt, &wb, Some(sheet), &keys),
    };
    let mapping = match mapping {
        Ok(m) => m,
        Err(e) => return refused(e.message(lang)),
    };
    let rows = ngoaivu_transfer::import::rows_of(rt, &wb, &mapping);
    let sheets: Vec<String> = wb.sheets.iter().map(|s| s.name.clone()).collect();
    drop(wb);
    let review = ngoaivu_transfer::import::review_rows(
        &st.service,
        &u.actor,
        rt,
        name,
        &ngoaivu_transfer::import::sha256_hex(bytes),
        rows,
    )
    .await;
    let mut review = match review {
        Ok(r) => r,
        Err(ImportError::Store(e)) => return error::store_error(u, e),
        Err(e) => return refused(e.message(lang)),
    };
    review.mapping = Some(mapping);
    review.sheets = sheets;
    let status = if review.summary.errors > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    layout::respond(
        u,
        &title,
        status,
        review_markup(u, rt, token, &review, notice),
    )
}

fn summary_text(r: &Review, lang: Lang) -> String {
    let s = &r.summary;
    match lang {
        Lang::Vi => format!(
            "{} dòng: {} tạo mới, {} cập nhật, {} không đổi, {} có lỗi; {} đối tác mới.",
            s.rows, s.create, s.update, s.unchanged, s.errors, s.new_partners
        ),
        Lang::En => format!(
            "{} rows: {} to create, {} to update, {} unchanged, {} with errors; {} new partners.",
            s.rows, s.create, s.update, s.unchanged, s.errors, s.new_partners
        ),
    }
}

fn action_class(a: Action) -> &'static str {
    match a {
        Action::Create => "create",
        Action::Update => "update",
        Action::Unchanged => "unchanged",
        Action::Error => "error",
    }
}

fn short(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "—".into(),
        other => other.to_string(),
    };
    if s.chars().count() > 80 {
        let mut c: String = s.chars().take(79).collect();
        c.push('…');
        c
    } else {
        s
    }
}

fn review_markup(
    u: &WebUser,
    rt: RecordType,
    token: &str,
    r: &Review,
    notice: Option<String>,
) -> Markup {
    let lang = u.lang;
    let base = format!("/records/{}", rt.path());
    let columns = ngoaivu_sheets::columns::columns(rt);
    let rows = r.errors_first();
    let shown = rows.len().min(ROWS_SHOWN.max(r.summary.errors));
    html! {
        div.heading {
            h1 { (t(lang, "Xem trước khi nhập", "Import review")) ": " (rt.label(lang)) }
        }
        p { (t(lang, "Tệp", "File")) ": " strong { (r.file_name) } }
        @if let Some(n) = notice { div.alert.info role="status" { p { (n) } } }
        p.count role="status" { (summary_text(r, lang)) }
        @if r.summary.errors > 0 {
            div.alert.error role="alert" {
                p { (t(lang,
                    "Còn lỗi ở các ô dưới đây: chưa có gì được ghi. Sửa trong tệp rồi tải lên lại, hoặc sửa cách ghép cột nếu cột bị ghép sai.",
                    "The cells below have errors: nothing has been written. Fix them in the file and upload it again, or correct the column mapping if a column is mapped wrongly.")) }
            }
        }
        form method="post" action={ (base) "/import/review" } {
            input type="hidden" name="token" value=(token);
            @if let Some(m) = &r.mapping {
                h2 { (t(lang, "Ghép cột", "Column mapping")) }
                div.field {
                    label for="sheet" { (t(lang, "Trang tính", "Sheet")) }
                    select #sheet name="sheet" {
                        @for s in &r.sheets { option value=(s) selected[*s == m.sheet] { (s) } }
                    }
                    " " (t(lang, "dòng tiêu đề", "header row")) " " (m.header_row)
                }
                div.table-wrap tabindex="0" role="region" aria-label=(t(lang, "Ghép cột", "Column mapping")) {
                    table.list {
                        thead { tr {
                            th scope="col" { (t(lang, "Cột trong tệp", "Column in the file")) }
                            th scope="col" { (t(lang, "Trường của ngoaivu", "ngoaivu field")) }
                        } }
                        tbody {
                            @for c in &m.columns {
                                tr {
                                    td { label for={ "col" (c.index) } { (ngoaivu_sheets::read::column_letters(c.index)) ": " (c.header) } }
                                    td {
                                        select id={ "col" (c.index) } name={ "col" (c.index) } {
                                            option value="" selected[c.key.is_none()] { (t(lang, "(bỏ qua)", "(ignored)")) }
                                            @for col in columns {
                                                option value=(col.key) selected[c.key.as_deref() == Some(col.key)] { (lang.pick(col.vi, col.en)) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                button type="submit" name="action" value="review" { (t(lang, "Xem trước lại với cách ghép này", "Review again with this mapping")) }
            }
            h2 { (t(lang, "Từng dòng", "Row by row")) }
            div.table-wrap tabindex="0" role="region" aria-label=(t(lang, "Từng dòng", "Row by row")) {
                table.list.review {
                    thead { tr {
                        th scope="col" { (t(lang, "Trang", "Sheet")) }
                        th scope="col" { (t(lang, "Dòng", "Row")) }
                        th scope="col" { (t(lang, "Việc", "Action")) }
                        th scope="col" { (t(lang, "Bản ghi", "Record")) }
                        th scope="col" { (t(lang, "Chi tiết", "Details")) }
                    } }
                    tbody {
                        @for row in rows.iter().take(shown) {
                            tr class=(action_class(row.action)) {
                                td { (row.sheet) }
                                td.num { (row.row) }
                                td { span class={ "action " (action_class(row.action)) } { (row.action.label(lang)) } }
                                td {
                                    @if let Some(id) = row.record_id {
                                        a href={ (base) "/" (id) } { (row.title) }
                                    } @else { (row.title) }
                                }
                                td {
                                    @if !row.errors.is_empty() {
                                        ul.errors {
                                            @for e in &row.errors {
                                                li {
                                                    @if let Some(c) = &e.cell { mark.cell { (c) } " " }
                                                    @if let Some(col) = &e.column { strong { (col) } ": " }
                                                    (e.message(lang))
                                                }
                                            }
                                        }
                                    }
                                    @if !row.changes.is_empty() {
                                        ul.changes {
                                            @for c in &row.changes {
                                                li { strong { (crate::kit::text::field_label(&c.field, lang)) } ": " del { (short(&c.before)) } " → " ins { (short(&c.after)) } }
                                            }
                                        }
                                    }
                                    @for p in &row.new_partners {
                                        p.new-partner { (t(lang, "Đối tác mới sẽ được tạo", "New partner to be created")) ": " (p) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if rows.len() > shown {
                p { (match lang {
                    Lang::Vi => format!("… và {} dòng khác không có lỗi.", rows.len() - shown),
                    Lang::En => format!("… and {} more rows without errors.", rows.len() - shown),
                }) }
            }
            @if r.summary.errors == 0 && r.summary.create + r.summary.update == 0 {
                p.empty { (t(lang, "Tệp không có gì mới: mọi dòng đã có trong hồ sơ, không thay đổi.", "Nothing new in this file: every row is already in the records, unchanged.")) }
            } @else if r.summary.errors == 0 {
                div.field {
                    label for="save_name" { (t(lang, "Lưu cách ghép cột với tên (không bắt buộc)", "Save the column mapping as (optional)")) }
                    input #save_name type="text" name="save_name" maxlength="100";
                }
                @let n = r.summary.create + r.summary.update;
                button.primary type="submit" name="action" value="import" {
                    (match lang {
                        Lang::Vi => format!("Nhập: {n} bản ghi"),
                        Lang::En => format!("Import: {n} records"),
                    })
                }
            }
            " "
            a href={ (base) "/import" } { (t(lang, "Tải tệp khác", "Upload another file")) }
        }
    }
}

/// `POST /records/{type}/import/review`: review again with a corrected
/// mapping, or confirm and write.
pub(crate) async fn import_confirm(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
    body: Bytes,
) -> Response {
    let lang = u.lang;
    let Some(rt) = RecordType::from_path(&ty) else {
        return error::not_found(lang, Some(&u));
    };
    if !may_import(&u) {
        return forbidden(&u);
    }
    let pairs = form_pairs(&body);
    let token = form_value(&pairs, "token");
    let Some((name, bytes)) = load_pending(u.actor.user_id, token) else {
        let title = format!("{}: {}", t(lang, "Nhập từ tệp", "Import"), rt.label(lang));
        return layout::respond(
            &u,
            &title,
            StatusCode::GONE,
            form_page(
                &u,
                rt,
                &[],
                Some(t(
                    lang,
                    "Tệp đã tải lên không còn (đã nhập, hoặc quá 2 giờ). Hãy tải lên lại.",
                    "The uploaded file is gone (imported already, or older than two hours). Upload it again.",
                )),
            ),
        );
    };
    let keys: Vec<(usize, Option<String>)> = pairs
        .iter()
        .filter_map(|(k, v)| {
            let i = k.strip_prefix("col")?.parse().ok()?;
            Some((i, Some(v.clone()).filter(|v| !v.is_empty())))
        })
        .collect();
    let sheet = form_value(&pairs, "sheet").to_owned();
    let choice = if keys.is_empty() {
        Choice::Propose(Some(sheet).filter(|s| !s.is_empty()))
    } else {
        Choice::Corrected(sheet, keys)
    };
    if form_value(&pairs, "action") != "import" {
        return review_page(&st, &u, rt, token, &name, &bytes, choice, None).await;
    }
    // Confirm: review once more (the records may have changed since), then
    // write it all or nothing.
    let limits = import_limits(&st);
    let upload = Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let wb = match ngoaivu_transfer::import::read_workbook(&upload, &limits) {
        Ok(wb) => wb,
        Err(e) => {
            return review_page(
                &st,
                &u,
                rt,
                token,
                &name,
                &bytes,
                Choice::Propose(None),
                Some(e.message(lang)),
            )
            .await;
        }
    };
    let mapping = match &choice {
        Choice::Corrected(sheet, keys) => form_mapping(rt, &wb, Some(sheet.clone()), keys),
        Choice::Propose(sheet) => form_mapping(rt, &wb, sheet.clone(), &[]),
        // A confirmation form always carries its sheet; never a saved name.
        Choice::Saved(_) => form_mapping(rt, &wb, None, &[]),
    };
    let mapping = match mapping {
        Ok(m) => m,
        Err(e) => {
            return review_page(
                &st,
                &u,
                rt,
                token,
                &name,
                &bytes,
                Choice::Propose(None),
                Some(e.message(lang)),
            )
            .await;
        }
    };
    let rows = ngoaivu_transfer::import::rows_of(rt, &wb, &mapping);
    drop(wb);
    let review = match ngoaivu_transfer::import::review_rows(
        &st.service,
        &u.actor,
        rt,
        &name,
        &ngoaivu_transfer::import::sha256_hex(&bytes),
        rows,
    )
    .await
    {
        Ok(r) => r,
        Err(ImportError::Store(e)) => return error::store_error(&u, e),
        Err(e) => {
            return review_page(
                &st,
                &u,
                rt,
                token,
                &name,
                &bytes,
                Choice::Propose(None),
                Some(e.message(lang)),
            )
            .await;
        }
    };
    if review.summary.errors > 0 {
        return review_page(&st, &u, rt, token, &name, &bytes, choice, None).await;
    }
    let summary = review.summary.clone();
    let outcome = match ngoaivu_transfer::import::commit(&st.service, &u.actor, review).await {
        Ok(o) => o,
        Err(e) => {
            return review_page(
                &st,
                &u,
                rt,
                token,
                &name,
                &bytes,
                choice,
                Some(e.message(lang)),
            )
            .await;
        }
    };
    drop_pending(u.actor.user_id, token);
    let save_name = form_value(&pairs, "save_name").trim().to_owned();
    let mut saved = None;
    if !save_name.is_empty() {
        let spec = serde_json::to_string(&mapping).unwrap_or_default();
        saved = Some(
            match st
                .service
                .save_mapping(&u.actor, rt, &save_name, &spec)
                .await
            {
                Ok(_) => None,
                Err(e) => Some(e.to_string()),
            },
        );
    }
    let base = format!("/records/{}", rt.path());
    let title = format!("{}: {}", t(lang, "Đã nhập", "Imported"), rt.label(lang));
    let body = html! {
        div.heading { h1 { (title) } }
        div.alert.info role="status" {
            p { (match lang {
                Lang::Vi => format!(
                    "Đã nhập tệp “{name}”: {} bản ghi mới (trong đó {} đối tác mới), {} cập nhật, {} không đổi.",
                    outcome.created.len(), outcome.new_partners, outcome.updated, outcome.unchanged
                ),
                Lang::En => format!(
                    "Imported “{name}”: {} new records ({} of them new partners), {} updated, {} unchanged.",
                    outcome.created.len(), outcome.new_partners, outcome.updated, outcome.unchanged
                ),
            }) }
            @match &saved {
                Some(None) => p { (t(lang, "Đã lưu cách ghép cột", "Column mapping saved as")) ": " strong { (save_name) } },
                Some(Some(err)) => p { (t(lang, "Không lưu được cách ghép cột", "The column mapping was not saved")) ": " (err) },
                None => {}
            }
        }
        p { (summary_text_counts(summary.rows, lang)) }
        p { a.button.primary href=(base) { (t(lang, "Xem danh sách", "See the list")) } }
    };
    layout::respond(&u, &title, StatusCode::OK, body)
}

fn summary_text_counts(rows: usize, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("Tệp có {rows} dòng dữ liệu."),
        Lang::En => format!("The file had {rows} data rows."),
    }
}
