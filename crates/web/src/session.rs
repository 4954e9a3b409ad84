//! Sign-in with a session cookie, the `WebUser` extractor, the language
//! cookie and the CSRF check.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use ngoaivu_core::{Actor, Lang};
use ngoaivu_http::AppState;
use ngoaivu_http::api::ClientAddr;
use ngoaivu_http::auth;
use ngoaivu_http::proxy::RequestSource;
use ngoaivu_store::Org;

use crate::layout::{self, Page};
use crate::text::t;

pub use ngoaivu_http::auth::SESSION_COOKIE;
pub const LANG_COOKIE: &str = "lang";

/// The value of cookie `name`, from every `Cookie` header.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// The language the visitor chose (cookie `lang`), Vietnamese by default.
pub struct WebLang(pub Lang);

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
pub struct WebUser {
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
            .backend
            .session_actor(&hash, time::OffsetDateTime::now_utc())
            .await
            .map_err(|e| layout::internal(lang, e))?;
        let Some((actor, _expires)) = found else {
            return Err(to_login());
        };
        let org = st
            .service
            .backend
            .org_by_id(actor.org_id)
            .await
            .map_err(|e| layout::internal(lang, e))?
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

fn login_page(lang: Lang, username: &str, error: Option<&str>) -> maud::Markup {
    let body = html! {
        div.login {
            h1 { (t(lang, "Đăng nhập", "Sign in")) }
            p.muted { (t(lang, "Hệ thống quản lý công tác đối ngoại địa phương", "Provincial foreign-affairs records")) }
            @if let Some(e) = error {
                div.alert.error role="alert" { (e) }
            }
            form method="post" action="/login" {
                div.field {
                    label for="username" { (t(lang, "Tên đăng nhập", "Username")) }
                    input #username type="text" name="username" value=(username) autocomplete="username" required autofocus[username.is_empty()];
                }
                div.field {
                    label for="password" { (t(lang, "Mật khẩu", "Password")) }
                    input #password type="password" name="password" autocomplete="current-password" required autofocus[!username.is_empty()];
                }
                button.primary type="submit" { (t(lang, "Đăng nhập", "Sign in")) }
            }
            (layout::lang_form(lang, None))
        }
    };
    layout::page(
        Page {
            lang,
            user: None,
            title: t(lang, "Đăng nhập", "Sign in"),
            search: "",
        },
        body,
    )
}

pub async fn login_form(WebLang(lang): WebLang) -> Response {
    login_page(lang, "", None).into_response()
}

/// `application/x-www-form-urlencoded` pairs, repeated keys kept.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

pub fn form_value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub async fn login_submit(
    State(st): State<AppState>,
    ClientAddr(addr): ClientAddr,
    src: RequestSource,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let lang = lang_of(&headers);
    let pairs = form_pairs(&body);
    let username = form_value(&pairs, "username").trim().to_owned();
    let password = form_value(&pairs, "password").to_owned();
    if username.is_empty() || password.is_empty() {
        let msg = t(
            lang,
            "Cần nhập tên đăng nhập và mật khẩu.",
            "Enter your username and password.",
        );
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            login_page(lang, &username, Some(msg)),
        )
            .into_response();
    }
    let signed = match auth::sign_in(&st, &username, &password, addr).await {
        Ok(s) => s,
        Err(auth::SignInError::Throttled(secs)) => {
            tracing::warn!(username, ?addr, "web login throttled");
            let msg = match lang {
                Lang::Vi => format!("Đăng nhập sai quá nhiều lần; thử lại sau {secs} giây."),
                Lang::En => format!("Too many failed sign-ins; try again in {secs} seconds."),
            };
            let mut resp = (
                StatusCode::TOO_MANY_REQUESTS,
                login_page(lang, &username, Some(&msg)),
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return resp;
        }
        Err(auth::SignInError::Wrong) => {
            tracing::warn!(username, ?addr, "web login failed");
            let msg = t(
                lang,
                "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.",
                "Wrong username or password, or the account is disabled.",
            );
            return (
                StatusCode::UNAUTHORIZED,
                login_page(lang, &username, Some(msg)),
            )
                .into_response();
        }
        Err(auth::SignInError::Busy) => {
            let msg = t(
                lang,
                "Máy chủ đang bận; xin thử đăng nhập lại sau giây lát.",
                "The server is busy; try signing in again in a moment.",
            );
            let mut resp = (
                StatusCode::SERVICE_UNAVAILABLE,
                login_page(lang, &username, Some(msg)),
            )
                .into_response();
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
            return resp;
        }
        Err(auth::SignInError::Store(e)) => return layout::internal(lang, e),
        Err(auth::SignInError::Internal(e)) => return layout::internal(lang, e),
    };
    let (token, user) = (signed.token, signed.user);
    tracing::info!(username, org = %user.org, "signed in (web)");
    let mut resp = Redirect::to("/").into_response();
    *resp.status_mut() = StatusCode::SEE_OTHER;
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&src, SESSION_COOKIE, &token, None, true),
    );
    resp
}

pub async fn logout(
    State(st): State<AppState>,
    src: RequestSource,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let hash = auth::token_hash(token);
        if let Err(e) = st.service.backend.delete_session(&hash).await {
            return layout::internal(lang_of(&headers), e);
        }
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&src, SESSION_COOKIE, "", Some(0), true),
    );
    resp
}

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

pub async fn set_lang(src: RequestSource, headers: HeaderMap, body: axum::body::Bytes) -> Response {
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

/// Refuse state-changing requests sent from another site: `Sec-Fetch-Site:
/// cross-site`, or an `Origin` that is not this host.
pub async fn csrf(req: Request, next: Next) -> Response {
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
        return layout::error_page(
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
