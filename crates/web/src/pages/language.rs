//! The language switch (`POST /lang`, the form in every page's header):
//! the `lang` cookie, then back to the page it was pressed on.

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use ngoaivu_http::proxy::RequestSource;

use crate::kit::forms::{form_pairs, form_value};
use crate::kit::session::{LANG_COOKIE, set_cookie};

/// The path of a same-origin `Referer`, else `/`.
fn back_path(src: &RequestSource, headers: &HeaderMap) -> String {
    let host = Some(src.authority());
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok());
    if let (Some(host), Some(r)) = (host, referer) {
        let rest = r
            .strip_prefix("https://")
            .or_else(|| r.strip_prefix("http://"));
        if let Some(rest) = rest {
            let (auth, path) = match rest.find('/') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, "/"),
            };
            if auth.eq_ignore_ascii_case(host) && path.starts_with('/') && !path.starts_with("//") {
                return path.to_owned();
            }
        }
    }
    "/".into()
}

pub(crate) async fn set_lang(
    src: RequestSource,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let pairs = form_pairs(&body);
    let lang = match form_value(&pairs, "lang") {
        "en" => "en",
        _ => "vi",
    };
    let mut resp = Redirect::to(&back_path(&src, &headers)).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&src, LANG_COOKIE, lang, Some(365 * 24 * 3600), false),
    );
    resp
}
