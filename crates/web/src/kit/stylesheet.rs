//! The stylesheet: the application's `static/app.css`, then the documents'
//! (reports shown on a page). The CSP allows no inline style or script.

use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;

pub(crate) const APP_CSS: &str = include_str!("../../static/app.css");

/// The stylesheet served: the application's, then the one of documents
/// (reports shown on a page), so no page needs an inline style.
pub(crate) fn stylesheet() -> &'static str {
    static CSS: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("{APP_CSS}\n{}", ngoaivu_document::html::STYLE));
    &CSS
}

/// `GET /static/app.css`: the stylesheet, cached for a year (its URL
/// carries its hash: `layout::css_href`).
pub(crate) async fn serve() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        stylesheet(),
    )
}
