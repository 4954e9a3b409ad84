//! The table builder: choose indicators, provincial units and years; see
//! the table with a chart; download it in any format; save it by name for
//! the organisation and open it again later.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use ngoaivu_core::OrgKind;
use ngoaivu_core::refdata::refdata;
use ngoaivu_http::AppState;
use ngoaivu_report::Format;
use ngoaivu_report::table::{TableSpec, table_document};
use ngoaivu_stats::Request;
use ngoaivu_store::service::today_in_vietnam;
use ngoaivu_store::{Replacing, SavedTable, StoreError};

use crate::kit::error;
use crate::kit::forms::{form_pairs, form_value};
use crate::kit::layout;
use crate::kit::session::WebUser;
use crate::kit::text::{moment, t};

/// The longest span of years a table may have.
const MAX_YEARS: i32 = 30;

/// The units a user may put in a table: a province its own unit and the
/// former units it absorbed; the Ministry every current and former unit.
fn allowed_units(u: &WebUser) -> Vec<(String, String)> {
    let rd = refdata();
    match u.actor.org_kind {
        OrgKind::Province => rd
            .localities_of(&u.org.slug)
            .into_iter()
            .map(|s| {
                let name = rd
                    .unit(&s)
                    .map(|x| x.short_name.clone())
                    .unwrap_or_else(|| s.clone());
                (s, name)
            })
            .collect(),
        _ => {
            let mut v: Vec<(String, String)> = rd
                .current_units()
                .map(|x| (x.slug.clone(), x.short_name.clone()))
                .collect();
            v.sort_by_key(|(_, n)| ngoaivu_core::fold::vi_sort_key(n));
            let mut former: Vec<(String, String)> = rd
                .legacy_units()
                .filter(|x| rd.current_unit(&x.slug).is_none())
                .map(|x| (x.slug.clone(), format!("{} (trước 2025)", x.short_name)))
                .collect();
            former.sort_by_key(|(_, n)| ngoaivu_core::fold::vi_sort_key(n));
            v.extend(former);
            v
        }
    }
}

struct Parsed {
    spec: Option<TableSpec>,
    errors: Vec<String>,
    pairs: Vec<(String, String)>,
}

fn parse(raw: Option<&str>, u: &WebUser) -> Parsed {
    let lang = u.lang;
    let pairs = form_pairs(raw.unwrap_or("").as_bytes());
    let all = |k: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(key, v)| key == k && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    };
    let indicators = all("ind");
    let localities = all("loc");
    let from_text = form_value(&pairs, "from").trim().to_owned();
    let to_text = form_value(&pairs, "to").trim().to_owned();
    if indicators.is_empty() && localities.is_empty() && from_text.is_empty() && to_text.is_empty()
    {
        return Parsed {
            spec: None,
            errors: vec![],
            pairs,
        };
    }
    let mut errors = vec![];
    let known = &refdata().indicators;
    if indicators.is_empty() {
        errors.push(
            t(
                lang,
                "Chọn ít nhất một chỉ tiêu.",
                "Choose at least one indicator.",
            )
            .to_owned(),
        );
    }
    for i in &indicators {
        if !known.iter().any(|k| &k.code == i) {
            errors.push(format!(
                "{} «{i}»",
                t(lang, "Không có chỉ tiêu", "No such indicator")
            ));
        }
    }
    let allowed = allowed_units(u);
    let localities = if localities.is_empty() {
        match u.actor.org_kind {
            // A province's table is about itself unless it says otherwise.
            OrgKind::Province => vec![u.org.slug.clone()],
            _ => {
                errors.push(
                    t(
                        lang,
                        "Chọn ít nhất một tỉnh, thành phố.",
                        "Choose at least one province.",
                    )
                    .to_owned(),
                );
                vec![]
            }
        }
    } else {
        localities
    };
    for l in &localities {
        if !allowed.iter().any(|(s, _)| s == l) {
            errors.push(format!(
                "{} «{l}»",
                t(
                    lang,
                    "Không được chọn đơn vị hành chính",
                    "You may not choose the unit"
                )
            ));
        }
    }
    let year = |s: &str, errors: &mut Vec<String>| -> Option<i32> {
        match s.parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => Some(y),
            _ => {
                errors.push(format!(
                    "{} «{s}»",
                    t(
                        lang,
                        "Năm phải là số từ 1990 đến 2100, không phải",
                        "The year must be a number from 1990 to 2100, not"
                    )
                ));
                None
            }
        }
    };
    let from = year(&from_text, &mut errors);
    let to = year(&to_text, &mut errors);
    if let (Some(f), Some(tt)) = (from, to) {
        if f > tt {
            errors.push(
                t(
                    lang,
                    "Năm kết thúc phải sau hoặc bằng năm bắt đầu.",
                    "The last year must not come before the first.",
                )
                .into(),
            );
        } else if tt - f >= MAX_YEARS {
            errors.push(
                t(
                    lang,
                    "Một bảng có tối đa 30 năm.",
                    "A table has at most 30 years.",
                )
                .into(),
            );
        }
    }
    let stock = form_value(&pairs, "period") == "as_of";
    let spec = if errors.is_empty() {
        Some(TableSpec {
            indicators,
            localities,
            from: from.expect("checked"),
            to: to.expect("checked"),
            stock,
        })
    } else {
        None
    };
    Parsed {
        spec,
        errors,
        pairs,
    }
}

fn chosen(pairs: &[(String, String)], key: &str, value: &str) -> bool {
    pairs.iter().any(|(k, v)| k == key && v == value)
}

fn builder_form(u: &WebUser, pairs: &[(String, String)]) -> Markup {
    let lang = u.lang;
    let default_to = today_in_vietnam().year() - 1;
    let from = form_value(pairs, "from");
    let to = form_value(pairs, "to");
    let units = allowed_units(u);
    let saved = form_value(pairs, "saved");
    html! {
        form.filters.table-form method="get" action="/reports/table" {
            // The saved table this one was opened from, kept while its
            // choices change, so that saving it again replaces that version.
            @if !saved.is_empty() {
                input type="hidden" name="saved" value=(saved);
            }
            div.field {
                label for="tb-ind" { (t(lang, "Chỉ tiêu (chọn một hoặc nhiều)", "Indicators (one or more)")) }
                select #tb-ind name="ind" multiple size="8" {
                    @for i in &refdata().indicators {
                        option value=(i.code) selected[chosen(pairs, "ind", &i.code)] { (lang.pick(&i.name_vi, &i.name_en)) }
                    }
                }
            }
            div.field {
                label for="tb-loc" { (t(lang, "Tỉnh, thành phố", "Provincial units")) }
                select #tb-loc name="loc" multiple size="8" {
                    @for (slug, name) in &units {
                        option value=(slug) selected[chosen(pairs, "loc", slug)] { (name) }
                    }
                }
            }
            div.field {
                label for="tb-from" { (t(lang, "Từ năm", "From")) }
                input #tb-from type="number" name="from" inputmode="numeric" value=(if from.is_empty() { (default_to - 4).to_string() } else { from.to_owned() });
            }
            div.field {
                label for="tb-to" { (t(lang, "Đến năm", "To")) }
                input #tb-to type="number" name="to" inputmode="numeric" value=(if to.is_empty() { default_to.to_string() } else { to.to_owned() });
            }
            div.field {
                label for="tb-period" { (t(lang, "Số liệu", "Figures")) }
                select #tb-period name="period" {
                    option value="year" selected[form_value(pairs, "period") != "as_of"] { (t(lang, "Trong năm", "Within the year")) }
                    option value="as_of" selected[form_value(pairs, "period") == "as_of"] { (t(lang, "Lũy kế đến cuối năm", "Cumulative at the year's end")) }
                }
            }
            div.actions { button.primary type="submit" { (t(lang, "Lập bảng", "Build the table")) } }
        }
    }
}

async fn saved_list(st: &AppState, u: &WebUser) -> Result<Markup, StoreError> {
    let lang = u.lang;
    let tables = st.service.tables(&u.actor).await?;
    Ok(html! {
        section.saved {
            h2 { (t(lang, "Bảng đã lưu", "Saved tables")) }
            @if tables.is_empty() {
                p.muted { (t(lang, "Chưa có bảng nào được lưu.", "No saved tables yet.")) }
            } @else {
                ul.saved-tables {
                    @for tb in &tables {
                        li {
                            a href={ "/reports/table?" (tb.spec) "&saved=" (tb.id) "." (tb.version()) } { (tb.name) }
                            span.muted { " · " (tb.created_by) ", " (moment(tb.created_at)) }
                            form.inline method="post" action={ "/reports/tables/" (tb.id) "/delete" } {
                                button.link type="submit" aria-label={ (t(lang, "Xóa bảng", "Delete the table")) " " (tb.name) } { (t(lang, "Xóa", "Delete")) }
                            }
                        }
                    }
                }
            }
        }
    })
}

fn page(u: &WebUser, status: StatusCode, body: Markup) -> Response {
    layout::respond(
        u,
        t(u.lang, "Lập bảng số liệu", "Table builder"),
        status,
        body,
    )
}

async fn load_document(
    st: &AppState,
    u: &WebUser,
    spec: &TableSpec,
) -> Result<ngoaivu_document::Document, StoreError> {
    let req = Request {
        org_id: match u.actor.org_kind {
            OrgKind::Province => Some(u.actor.org_id),
            _ => None,
        },
        from: spec.from - 1,
        to: spec.to,
        sequential: false,
    };
    let figs = st.figures.get(&st.service, &u.actor, &req).await?;
    let indicators = st.service.indicators().await?;
    let issuer = u
        .org
        .office_name
        .clone()
        .unwrap_or_else(|| u.org.name.clone());
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+7))
        .date();
    Ok(table_document(
        &figs,
        spec,
        &indicators,
        &issuer,
        u.lang,
        today,
    ))
}

pub(crate) async fn builder(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let lang = u.lang;
    if u.actor.org_kind == OrgKind::Mission {
        return error::not_found(lang, Some(&u));
    }
    let parsed = parse(raw.as_deref(), &u);
    let saved = match saved_list(&st, &u).await {
        Ok(m) => m,
        Err(e) => return error::store_error(&u, e),
    };
    let title = t(lang, "Lập bảng số liệu", "Table builder");
    if !parsed.errors.is_empty() {
        return page(
            &u,
            StatusCode::UNPROCESSABLE_ENTITY,
            html! {
                h1 { (title) }
                div.alert.error role="alert" {
                    p { (t(lang, "Chưa lập được bảng:", "The table could not be built:")) }
                    ul { @for e in &parsed.errors { li { (e) } } }
                }
                (builder_form(&u, &parsed.pairs))
                (saved)
            },
        );
    }
    let Some(spec) = parsed.spec else {
        return page(
            &u,
            StatusCode::OK,
            html! {
                h1 { (title) }
                p.muted { (t(lang,
                    "Chọn chỉ tiêu, đơn vị hành chính và các năm; bảng gồm số liệu báo cáo, nếu không có thì tổng hợp từ hồ sơ.",
                    "Choose indicators, provincial units and years; each cell is the reported figure, or else what the records add up to.")) }
                (builder_form(&u, &parsed.pairs))
                (saved)
            },
        );
    };
    let doc = match load_document(&st, &u, &spec).await {
        Ok(d) => d,
        Err(e) => return error::store_error(&u, e),
    };
    let query = spec.to_query();
    // A table opened from the saved list (`saved=ID.VERSION`, kept while
    // its choices change), or one whose choices a saved table has, is saved
    // again under its name, replacing the version opened and no other
    // (`Replacing::Version`).
    let tables = match st.service.tables(&u.actor).await {
        Ok(ts) => ts,
        Err(e) => return error::store_error(&u, e),
    };
    let opened: Option<(String, String)> = form_value(&parsed.pairs, "saved")
        .split_once('.')
        .and_then(|(id, version)| {
            let id: i64 = id.parse().ok()?;
            let tb = tables.iter().find(|tb| tb.id == id)?;
            Some((tb.name.clone(), version.to_owned()))
        })
        .or_else(|| {
            tables
                .iter()
                .find(|tb| tb.spec == query)
                .map(|tb| (tb.name.clone(), tb.version()))
        });
    let body = html! {
        h1 { (title) }
        (builder_form(&u, &parsed.pairs))
        div.downloads {
            span { (t(lang, "Tải về:", "Download:")) }
            @for (f, label) in [("xlsx", "Excel (XLSX)"), ("docx", "Word (DOCX)"), ("pdf", "PDF"), ("html", "HTML")] {
                a.button href={ "/reports/table/download?" (query) "&format=" (f) } { (label) }
            }
        }
        form.save-table method="post" action="/reports/tables" {
            input type="hidden" name="spec" value=(query);
            @if let Some((_, version)) = &opened {
                input type="hidden" name="version" value=(version);
            }
            div.field {
                label for="tb-name" { (t(lang, "Lưu bảng với tên", "Save the table as")) }
                input #tb-name type="text" name="name" required maxlength="200" value=[opened.as_ref().map(|(name, _)| name.as_str())];
            }
            div.actions { button type="submit" { (t(lang, "Lưu", "Save")) } }
        }
        div.docview { (PreEscaped(ngoaivu_document::html::fragment(&doc))) }
        (saved)
    };
    page(&u, StatusCode::OK, body)
}

pub(crate) async fn download(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let lang = u.lang;
    if u.actor.org_kind == OrgKind::Mission {
        return error::not_found(lang, Some(&u));
    }
    let pairs = form_pairs(raw.as_deref().unwrap_or("").as_bytes());
    let Some(format) = Format::parse(form_value(&pairs, "format")) else {
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
    let parsed = parse(raw.as_deref(), &u);
    let Some(spec) = parsed.spec else {
        return error::error_page(
            lang,
            Some(&u),
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "Chưa lập được bảng", "The table could not be built"),
            &parsed.errors.join(" "),
        );
    };
    let doc = match load_document(&st, &u, &spec).await {
        Ok(d) => d,
        Err(e) => return error::store_error(&u, e),
    };
    let bytes =
        match tokio::task::spawn_blocking(move || ngoaivu_report::render(&doc, format)).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => return error::store_error(&u, StoreError::Other(e)),
            Err(e) => return error::store_error(&u, StoreError::Other(e.to_string())),
        };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.media_type()),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!(
                    "attachment; filename=\"bang-so-lieu-{}-{}.{}\"",
                    spec.from,
                    spec.to,
                    format.extension()
                ))
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

pub(crate) async fn save(
    State(st): State<AppState>,
    u: WebUser,
    body: axum::body::Bytes,
) -> Response {
    let lang = u.lang;
    let pairs = form_pairs(&body);
    let spec_text = form_value(&pairs, "spec");
    // The spec is checked as a table would be, so that nothing unusable is saved.
    let parsed = parse(Some(spec_text), &u);
    let Some(spec) = parsed.spec else {
        return error::error_page(
            lang,
            Some(&u),
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "Chưa lưu được bảng", "The table was not saved"),
            &parsed.errors.join(" "),
        );
    };
    let version = form_value(&pairs, "version");
    let replacing = if version.is_empty() {
        Replacing::Nothing
    } else {
        Replacing::Version(version)
    };
    let name = form_value(&pairs, "name");
    let query = spec.to_query();
    match st
        .service
        .save_table(&u.actor, name, &query, replacing)
        .await
    {
        Ok(_) => Redirect::to(&format!("/reports/table?{query}")).into_response(),
        Err(StoreError::StaleTable(now)) => save_conflict(&u, &now, &query),
        Err(StoreError::Invalid(inv)) => error::invalid_page(
            &u,
            t(lang, "Chưa lưu được bảng", "The table was not saved"),
            &inv,
        ),
        Err(e) => error::store_error(&u, e),
    }
}

/// A saved table's choices in words: its indicators, units and years.
fn describe(spec: &str, u: &WebUser) -> String {
    let lang = u.lang;
    let rd = refdata();
    let pairs: Vec<(&str, &str)> = spec
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .collect();
    let all = |k: &'static str| {
        pairs
            .iter()
            .filter(move |(key, _)| *key == k)
            .map(|(_, v)| *v)
    };
    let indicators: Vec<String> = all("ind")
        .map(|c| {
            rd.indicators
                .iter()
                .find(|i| i.code == c)
                .map(|i| lang.pick(&i.name_vi, &i.name_en).to_owned())
                .unwrap_or_else(|| c.to_owned())
        })
        .collect();
    let units: Vec<String> = all("loc")
        .map(|s| {
            rd.unit(s)
                .map(|x| x.short_name.clone())
                .unwrap_or_else(|| s.to_owned())
        })
        .collect();
    let year = |k: &'static str| all(k).next().unwrap_or("");
    format!(
        "{} · {} · {}–{}",
        indicators.join(", "),
        units.join(", "),
        year("from"),
        year("to")
    )
}

/// Someone saved a table of that name since this one was opened (or it
/// existed already): both are shown, and the user replaces it knowingly
/// (the form then names the version they have seen) or saves under
/// another name. Nothing was written.
fn save_conflict(u: &WebUser, now: &SavedTable, mine: &str) -> Response {
    let lang = u.lang;
    let body = html! {
        h1 { (t(lang, "Bảng chưa được lưu", "The table was not saved")) }
        div.alert.error role="alert" {
            @match lang {
                ngoaivu_core::Lang::Vi => { "Đã có bảng «" (now.name) "» (" (now.created_by) " lưu lúc " (moment(now.created_at)) "), khác với bảng bạn đã mở. Bảng của bạn chưa được lưu." }
                ngoaivu_core::Lang::En => { "There is a table “" (now.name) "” (saved by " (now.created_by) " at " (moment(now.created_at)) "), not the one you opened. Yours was not saved." }
            }
        }
        div.versions {
            section {
                h2 { (t(lang, "Bảng đã lưu", "The saved table")) }
                p { a href={ "/reports/table?" (now.spec) } { (t(lang, "Mở bảng đã lưu", "Open the saved table")) } }
                p.muted { (describe(&now.spec, u)) }
            }
            section {
                h2 { (t(lang, "Bảng của bạn", "Your table")) }
                p { a href={ "/reports/table?" (mine) } { (t(lang, "Mở bảng của bạn", "Open your table")) } }
                p.muted { (describe(mine, u)) }
            }
        }
        form.save-table method="post" action="/reports/tables" {
            input type="hidden" name="spec" value=(mine);
            input type="hidden" name="name" value=(now.name);
            input type="hidden" name="version" value=(now.version());
            div.actions { button.primary type="submit" { (t(lang, "Lưu đè bằng bảng của bạn", "Replace it with yours")) } }
        }
        form.save-table method="post" action="/reports/tables" {
            input type="hidden" name="spec" value=(mine);
            div.field {
                label for="tb-other" { (t(lang, "Hoặc lưu với tên khác", "Or save under another name")) }
                input #tb-other type="text" name="name" required maxlength="200";
            }
            div.actions { button type="submit" { (t(lang, "Lưu", "Save")) } }
        }
    };
    page(u, StatusCode::CONFLICT, body)
}

pub(crate) async fn delete(
    State(st): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> Response {
    match st.service.delete_table(&u.actor, id).await {
        Ok(()) => Redirect::to("/reports/table").into_response(),
        Err(e) => error::store_error(&u, e),
    }
}
