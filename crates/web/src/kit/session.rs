//! Who is asking: the `WebUser` extractor (a live session from the
//! `ngoaivu_session` cookie), the language (`WebLang`, cookie `lang`), our
//! cookies, the CSRF check every state-changing request passes, and the
//! facts about the signed-in user that several pages ask.

use axum::extract::{FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use ngoaivu_core::{Actor, Lang, OrgKind};
use ngoaivu_http::AppState;
use ngoaivu_http::auth;
use ngoaivu_http::proxy::RequestSource;
use ngoaivu_store::Org;

use crate::kit::error;
use crate::kit::text::t;

pub(crate) use ngoaivu_http::auth::SESSION_COOKIE;
pub(crate) const LANG_COOKIE: &str = "lang";

/// The value of cookie `name`, from every `Cookie` header.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

pub(crate) fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// The language the visitor chose (cookie `lang`), Vietnamese by default.
pub(crate) struct WebLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for WebLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(WebLang(lang_of(&parts.headers)))
    }
}

/// A cookie of ours; `Secure` when the browser speaks TLS to us or to our
/// proxy (`RequestSource::secure`: the public URL's scheme, or a trusted
/// proxy's word).
pub(crate) fn set_cookie(
    src: &RequestSource,
    name: &str,
    value: &str,
    max_age: Option<i64>,
    http_only: bool,
) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if let Some(secs) = max_age {
        c.push_str(&format!("; Max-Age={secs}"));
    }
    if src.secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The signed-in user of a page. Without a live session, the page answers
/// with a redirect to `/login`.
pub(crate) struct WebUser {
    pub actor: Actor,
    pub token_hash: String,
    pub org: Org,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let to_login = || Redirect::to("/login").into_response();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty()) else {
            return Err(to_login());
        };
        let hash = auth::token_hash(token);
        let found = st
            .service
            .session_actor(&hash, time::OffsetDateTime::now_utc())
            .await
            .map_err(|e| error::internal(lang, e))?;
        let Some((actor, _expires)) = found else {
            return Err(to_login());
        };
        let org = st
            .service
            .org_by_id(actor.org_id)
            .await
            .map_err(|e| error::internal(lang, e))?
            .ok_or_else(to_login)?;
        ngoaivu_http::access_log::note(parts, &actor);
        Ok(WebUser {
            actor,
            token_hash: hash,
            org,
            lang,
        })
    }
}

/// Refuse state-changing requests sent from another site: `Sec-Fetch-Site:
/// cross-site`, or an `Origin` that is not this host.
pub(crate) async fn csrf(req: Request, next: Next) -> Response {
    let m = req.method();
    if m == axum::http::Method::GET
        || m == axum::http::Method::HEAD
        || m == axum::http::Method::OPTIONS
    {
        return next.run(req).await;
    }
    let h = req.headers();
    let cross_site = h
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"));
    // The browser's `Origin` must be ours: the public URL when configured
    // (scheme and host), else the host the request came to.
    let bad_origin = match h.get(header::ORIGIN) {
        None => false,
        Some(o) => {
            let o = o.to_str().unwrap_or("").trim_end_matches('/');
            match req.extensions().get::<RequestSource>() {
                Some(src) if src.configured => !o.eq_ignore_ascii_case(&src.origin),
                Some(src) => {
                    let authority = o
                        .strip_prefix("https://")
                        .or_else(|| o.strip_prefix("http://"));
                    authority.is_none_or(|a| !a.eq_ignore_ascii_case(src.authority()))
                }
                None => true,
            }
        }
    };
    if cross_site || bad_origin {
        let lang = lang_of(h);
        tracing::warn!(path = %req.uri().path(), "cross-site form refused");
        return error::error_page(
            lang,
            None,
            StatusCode::FORBIDDEN,
            t(lang, "Yêu cầu bị từ chối", "Request refused"),
            t(
                lang,
                "Biểu mẫu này được gửi từ một trang web khác nên đã bị từ chối để bảo vệ tài khoản của bạn. Hãy mở lại trang và gửi lại từ ngoaivu.",
                "This form was sent from another website and was refused to protect your account. Open the page again and submit it from ngoaivu.",
            ),
        );
    }
    next.run(req).await
}

pub(crate) fn is_ministry(u: &WebUser) -> bool {
    u.actor.org_kind == OrgKind::Ministry
}

/// Whether `u` may import into (and so sees the import link of) a list:
/// writers of a province or the Ministry; a mission keeps no records.
pub(crate) fn may_import(u: &WebUser) -> bool {
    u.actor.role.can_write() && u.actor.org_kind != OrgKind::Mission
}
