//! The public investment catalog: `/catalog` (list, filters by province,
//! sector and country of interest), `/catalog/{id}` (one project with its
//! pictures), `/catalog/{id}/pictures/{picture}` and `/catalog/feed.json`
//! (JSON Feed 1.1). No sign-in: every read goes through
//! `Service::public_catalog*`, which returns published projects only, without
//! their internal notes, and only their PNG and JPEG files. Vietnamese by
//! default, English with the `lang` cookie; no JavaScript; GET only.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use ngoaivu_core::Lang;
use ngoaivu_core::fold::vi_sort_key;
use ngoaivu_core::records::{CatalogProject, CatalogText};
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::values::SECTORS;
use ngoaivu_http::AppState;
use ngoaivu_store::{CatalogFilter, PublicProject, StoreError};
use serde_json::{Value, json};

use crate::kit::error;
use crate::kit::forms::country_options;
use crate::kit::layout::public_page;
use crate::kit::query::{Params, parse_id};
use crate::kit::session::WebLang;
use crate::kit::text::*;

const PAGE_SIZE: i64 = 24;

fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

fn text_of(p: &CatalogProject, lang: Lang) -> Option<&CatalogText> {
    p.text(code(lang))
}

fn name_of(p: &CatalogProject, lang: Lang) -> String {
    text_of(p, lang).map(|t| t.name.clone()).unwrap_or_default()
}

fn province_name(p: &PublicProject) -> String {
    refdata()
        .current_unit(&p.org.slug)
        .map(|u| u.short_name.clone())
        .unwrap_or_else(|| p.org.name.clone())
}

/// As reports write amounts: `60 triệu USD`, `2.500 tỷ đồng`.
fn capital_text(p: &CatalogProject, lang: Lang) -> Option<String> {
    p.capital
        .as_ref()
        .map(|m| ngoaivu_core::numfmt::format_amount(m.amount.0, &m.currency, lang))
}

fn area_text(p: &CatalogProject, lang: Lang) -> Option<String> {
    p.area_ha
        .map(|a| format!("{} ha", number(a.0.normalize(), lang)))
}

/// The filter of the page (and the feed) from the query string. Unknown
/// codes simply match nothing: the public gets an empty list, not an error.
fn filter_of(p: &Params) -> CatalogFilter {
    let opt = |k: &str| Some(p.get(k).to_owned()).filter(|v| !v.is_empty());
    let page = p.get("page").parse::<i64>().unwrap_or(1).clamp(1, 10_000);
    CatalogFilter {
        province: opt("province"),
        sector: opt("sector"),
        country: opt("country"),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    }
}

fn province_options() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = refdata()
        .current_units()
        .map(|u| (u.slug.clone(), u.short_name.clone()))
        .collect();
    v.sort_by_key(|(_, n)| vi_sort_key(n));
    v
}

fn sector_options(lang: Lang) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = SECTORS
        .iter()
        .map(|(c, vi, en)| ((*c).to_owned(), lang.pick(vi, en).to_owned()))
        .collect();
    v.sort_by_key(|(_, n)| vi_sort_key(n));
    v
}

fn public_error(lang: Lang, e: StoreError) -> Response {
    match e {
        StoreError::NotFound => public_not_found(lang),
        e => error::internal(lang, e),
    }
}

fn public_not_found(lang: Lang) -> Response {
    let body = html! {
        div.notice {
            h1 { (t(lang, "Không tìm thấy", "Not found")) }
            p { (t(lang, "Không có dự án hoặc trang này.", "There is no such project or page.")) }
            p { a href="/catalog" { (t(lang, "Về danh mục dự án", "Back to the project catalog")) } }
        }
    };
    (
        StatusCode::NOT_FOUND,
        public_page(lang, t(lang, "Không tìm thấy", "Not found"), body),
    )
        .into_response()
}

fn picture_url(p: &PublicProject, picture: i64) -> String {
    format!("/catalog/{}/pictures/{picture}", p.id)
}

/// A project's sector as a coloured band where it has no picture.
fn placeholder(p: &CatalogProject, lang: Lang) -> Markup {
    html! {
        div class={ "ph sector-" (p.sector) } aria-hidden="true" {
            span { (sector_label(&p.sector, lang)) }
        }
    }
}

fn card(p: &PublicProject, lang: Lang) -> Markup {
    let b = &p.body;
    let name = name_of(b, lang);
    let href = format!("/catalog/{}", p.id);
    let summary = text_of(b, lang).and_then(|t| t.summary.clone());
    html! {
        li.project {
            article aria-labelledby={ "p" (p.id) } {
                @if let Some(pic) = p.pictures.first() {
                    img.pic src=(picture_url(p, pic.id)) alt="" loading="lazy";
                } @else {
                    (placeholder(b, lang))
                }
                div.body {
                    p.meta {
                        span.badge { (sector_label(&b.sector, lang)) }
                        " "
                        span.where { (province_name(p)) }
                    }
                    h2 id={ "p" (p.id) } { a href=(href) { (name) } }
                    @if let Some(s) = summary {
                        p.summary { (clip(&s, 180)) }
                    }
                    dl.facts {
                        @if let Some(c) = capital_text(b, lang) {
                            div { dt { (t(lang, "Vốn kêu gọi", "Capital sought")) } dd { (c) } }
                        }
                        @if let Some(a) = area_text(b, lang) {
                            div { dt { (t(lang, "Diện tích", "Area")) } dd { (a) } }
                        }
                    }
                }
            }
        }
    }
}

/// The first `max` characters, cut at a word, with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{}…", cut.trim_end_matches([',', ';', '.', ':']))
}

fn select(id: &str, label: &str, any: &str, options: &[(String, String)], value: &str) -> Markup {
    html! {
        div.field {
            label for=(id) { (label) }
            select #(id) name=(id) {
                option value="" { (any) }
                @for (v, l) in options { option value=(v) selected[v == value] { (l) } }
            }
        }
    }
}

/// `GET /catalog`
pub(crate) async fn list(
    State(st): State<AppState>,
    WebLang(lang): WebLang,
    RawQuery(raw): RawQuery,
) -> Response {
    let p = Params::parse(raw.as_deref());
    let filter = filter_of(&p);
    let page = match st.service.public_catalog(&filter).await {
        Ok(x) => x,
        Err(e) => return public_error(lang, e),
    };
    let current = filter.offset / PAGE_SIZE + 1;
    let pages = (page.total + PAGE_SIZE - 1) / PAGE_SIZE;
    let filtered = filter.province.is_some() || filter.sector.is_some() || filter.country.is_some();
    let title = t(
        lang,
        "Danh mục dự án kêu gọi đầu tư",
        "Projects open for investment",
    );
    let body = html! {
        section.hero {
            h1 { (title) }
            p.lead { (t(lang,
                "Các tỉnh, thành phố của Việt Nam giới thiệu dự án đang tìm nhà đầu tư: quy mô, vốn kêu gọi, ưu đãi và đầu mối liên hệ.",
                "Viet Nam's provinces and cities present projects looking for investors: size, capital sought, incentives and whom to contact.")) }
        }
        form.filters method="get" action="/catalog" aria-label=(t(lang, "Lọc danh mục", "Filter the catalog")) {
            (select("province", t(lang, "Tỉnh, thành phố", "Province or city"), t(lang, "Tất cả", "All"), &province_options(), p.get("province")))
            (select("sector", t(lang, "Lĩnh vực", "Sector"), t(lang, "Tất cả", "All"), &sector_options(lang), p.get("sector")))
            (select("country", t(lang, "Quốc gia nhà đầu tư", "Investor's country"), t(lang, "Tất cả", "All"), &country_options(lang), &p.get("country").to_ascii_uppercase()))
            div.actions {
                button.primary type="submit" { (t(lang, "Lọc", "Filter")) }
                @if filtered { a.button href="/catalog" { (t(lang, "Bỏ lọc", "Clear")) } }
            }
        }
        p.count role="status" {
            (match lang {
                Lang::Vi => format!("{} dự án", number(page.total.into(), lang)),
                Lang::En => format!("{} project{}", number(page.total.into(), lang), if page.total == 1 { "" } else { "s" }),
            })
        }
        @if page.items.is_empty() {
            p.empty { (t(lang, "Chưa có dự án nào phù hợp.", "No project matches.")) }
        } @else {
            ul.catalog {
                @for item in &page.items { (card(item, lang)) }
            }
        }
        @if pages > 1 {
            nav.pager aria-label=(t(lang, "Trang", "Pages")) {
                @if current > 1 {
                    a href={ "/catalog?" (p.with(&[("page", &(current - 1).to_string())])) } rel="prev" { "‹ " (t(lang, "Trang trước", "Previous")) }
                }
                span { (t(lang, "Trang ", "Page ")) (current) " / " (pages) }
                @if current < pages {
                    a href={ "/catalog?" (p.with(&[("page", &(current + 1).to_string())])) } rel="next" { (t(lang, "Trang sau", "Next")) " ›" }
                }
            }
        }
    };
    public_page(lang, title, body).into_response()
}

fn contact_markup(b: &CatalogProject, lang: Lang) -> Markup {
    html! {
        @if let Some(c) = &b.contact {
            section.contact aria-labelledby="contact-h" {
                h2 #contact-h { (t(lang, "Liên hệ", "Contact")) }
                p {
                    strong { (c.name) }
                    @if let Some(pos) = &c.position { br; (pos) }
                    @if let Some(e) = &c.email { br; a href={ "mailto:" (e) } { (e) } }
                    @if let Some(ph) = &c.phone { br; a href={ "tel:" (ph.replace(' ', "")) } { (ph) } }
                }
            }
        }
    }
}

fn text_block(text: &CatalogText, lang: Lang) -> Markup {
    html! {
        @if let Some(s) = &text.summary {
            h2 { (t(lang, "Giới thiệu dự án", "About the project")) }
            @for para in s.split("\n").filter(|l| !l.trim().is_empty()) { p { (para) } }
        }
        @if let Some(i) = &text.incentives {
            h2 { (t(lang, "Ưu đãi đầu tư", "Investment incentives")) }
            @for para in i.split("\n").filter(|l| !l.trim().is_empty()) { p { (para) } }
        }
    }
}

/// `GET /catalog/{id}`
pub(crate) async fn detail(
    State(st): State<AppState>,
    WebLang(lang): WebLang,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return public_not_found(lang);
    };
    let p = match st.service.public_catalog_project(id).await {
        Ok(p) => p,
        Err(e) => return public_error(lang, e),
    };
    let b = &p.body;
    let name = name_of(b, lang);
    let shown = text_of(b, lang);
    let shown_code = b
        .translations
        .iter()
        .find(|(_, t)| shown.is_some_and(|s| std::ptr::eq(*t, s)))
        .map(|(c, _)| c.clone())
        .unwrap_or_default();
    let others: Vec<(&String, &CatalogText)> = b
        .translations
        .iter()
        .filter(|(c, _)| **c != shown_code && c.as_str() != "vi" && c.as_str() != "en")
        .collect();
    let location = shown.and_then(|t| t.location.clone());
    let body = html! {
        nav.crumbs aria-label=(t(lang, "Đường dẫn", "Breadcrumb")) {
            a href="/catalog" { (t(lang, "Danh mục dự án", "Project catalog")) } " › "
            a href={ "/catalog?province=" (p.org.slug) } { (province_name(&p)) } " › "
            span { (name) }
        }
        article.project-detail {
            p.meta {
                span.badge { (sector_label(&b.sector, lang)) }
                " "
                span.where { (province_name(&p)) }
            }
            h1 lang=(shown_code) { (name) }
            @if shown_code != code(lang) {
                p.muted { (t(lang, "Dự án chưa có nội dung tiếng Việt; hiển thị bản gốc.", "This project has no English text yet; the original is shown.")) }
            }
            div.detail-grid {
                div.main-col lang=(shown_code) {
                    @if p.pictures.is_empty() {
                        (placeholder(b, lang))
                    } @else {
                        div.gallery {
                            @for (i, pic) in p.pictures.iter().enumerate() {
                                figure {
                                    img src=(picture_url(&p, pic.id)) alt={ (name) " — " (t(lang, "ảnh ", "picture ")) (i + 1) };
                                }
                            }
                        }
                    }
                    @if let Some(text) = shown { (text_block(text, lang)) }
                }
                aside.side {
                    dl.fields {
                        dt { (t(lang, "Tỉnh, thành phố", "Province or city")) } dd { (province_name(&p)) }
                        @if let Some(l) = &location { dt { (t(lang, "Địa điểm", "Location")) } dd { (l) } }
                        dt { (t(lang, "Lĩnh vực", "Sector")) } dd { (sector_label(&b.sector, lang)) }
                        @if let Some(a) = area_text(b, lang) { dt { (t(lang, "Diện tích", "Area")) } dd { (a) } }
                        @if let Some(c) = capital_text(b, lang) { dt { (t(lang, "Vốn kêu gọi", "Capital sought")) } dd { (c) } }
                        @if !b.countries_of_interest.is_empty() {
                            dt { (t(lang, "Mời nhà đầu tư từ", "Investors invited from")) }
                            dd { (b.countries_of_interest.iter().map(|c| country_name(c, lang)).collect::<Vec<_>>().join(", ")) }
                        }
                        dt { (t(lang, "Cập nhật", "Updated")) } dd { (moment(p.updated_at).split(' ').next().unwrap_or_default()) }
                    }
                    (contact_markup(b, lang))
                    p.office {
                        (t(lang, "Cơ quan công bố: ", "Published by: "))
                        @if let Some(office) = &p.org.office_name { (office) " – " }
                        (p.org.name)
                    }
                }
            }
            @if !others.is_empty() {
                section aria-labelledby="other-h" {
                    h2 #other-h { (t(lang, "Bằng ngôn ngữ khác", "In other languages")) }
                    @for (c, text) in others {
                        details lang=(c) {
                            summary { (language_name(c, lang)) ": " (text.name) }
                            (text_block(text, lang))
                        }
                    }
                }
            }
        }
    };
    public_page(lang, &name, body).into_response()
}

/// `GET /catalog/{id}/pictures/{picture}`: only a PNG or JPEG of a
/// published project; anything else is 404.
pub(crate) async fn picture(
    State(st): State<AppState>,
    WebLang(lang): WebLang,
    Path((id, pic)): Path<(String, String)>,
) -> Response {
    let (Some(id), Some(pic)) = (parse_id(&id), parse_id(&pic)) else {
        return public_not_found(lang);
    };
    let (meta, bytes) = match st.service.public_catalog_picture(id, pic).await {
        Ok(x) => x,
        Err(e) => return public_error(lang, e),
    };
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&meta.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&ngoaivu_http::api::content_disposition(
        "inline",
        &meta.filename,
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Short: a withdrawn project's pictures should leave caches soon.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    resp
}

/// One project as a JSON Feed item, with the structured data under
/// `_catalog` (JSON Feed's place for extensions).
fn feed_item(p: &PublicProject, base: &str, lang: Lang) -> Value {
    let b = &p.body;
    let url = format!("{base}/catalog/{}", p.id);
    let text = text_of(b, lang);
    let translations: serde_json::Map<String, Value> = b
        .translations
        .iter()
        .map(|(c, t)| (c.clone(), serde_json::to_value(t).unwrap_or(Value::Null)))
        .collect();
    let pictures: Vec<Value> = p
        .pictures
        .iter()
        .map(|a| {
            json!({"url": format!("{base}{}", picture_url(p, a.id)), "mime_type": a.content_type, "size_in_bytes": a.size})
        })
        .collect();
    let mut item = json!({
        "id": url,
        "url": url,
        "title": name_of(b, lang),
        "content_text": text.and_then(|t| t.summary.clone()).unwrap_or_default(),
        "date_modified": ngoaivu_store::seed::ts_text(p.updated_at),
        "tags": [sector_label(&b.sector, lang)],
        "_catalog": {
            "id": p.id,
            "province": {"slug": p.org.slug, "name": province_name(p)},
            "sector": b.sector,
            "locality": b.locality,
            "area_ha": b.area_ha,
            "capital": b.capital,
            "countries_of_interest": b.countries_of_interest,
            "contact": b.contact,
            "translations": translations,
            "pictures": pictures,
        }
    });
    if let Some(first) = p.pictures.first() {
        item["image"] = json!(format!("{base}{}", picture_url(p, first.id)));
    }
    item
}

/// `GET /catalog/feed.json`: the published projects as JSON Feed 1.1
/// (same filters as the page, newest first, up to 100).
pub(crate) async fn feed(
    State(st): State<AppState>,
    WebLang(lang): WebLang,
    src: ngoaivu_http::proxy::RequestSource,
    RawQuery(raw): RawQuery,
) -> Response {
    let p = Params::parse(raw.as_deref());
    let mut filter = filter_of(&p);
    filter.limit = 100;
    filter.offset = 0;
    let page = match st.service.public_catalog(&filter).await {
        Ok(x) => x,
        Err(e) => return public_error(lang, e),
    };
    // Absolute links from the public address (`public_url`), never from
    // a client's `Host` alone (the feed is cached publicly).
    let base = src.origin.clone();
    let doc = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": t(lang, "Danh mục dự án kêu gọi đầu tư", "Projects open for investment"),
        "home_page_url": format!("{base}/catalog"),
        "feed_url": format!("{base}/catalog/feed.json"),
        "language": code(lang),
        "items": page.items.iter().map(|i| feed_item(i, &base, lang)).collect::<Vec<_>>(),
    });
    let mut resp = axum::Json(doc).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/feed+json; charset=utf-8"),
    );
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    resp
}
