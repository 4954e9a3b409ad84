//! The sign-in page (`/login`) and signing out (`/logout`): sign-in with the
//! API's logic (throttle, argon2 off the async threads, sessions table).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use ngoaivu_core::Lang;
use ngoaivu_http::AppState;
use ngoaivu_http::api::ClientAddr;
use ngoaivu_http::auth;
use ngoaivu_http::proxy::RequestSource;

use crate::kit::error;
use crate::kit::forms::{form_pairs, form_value};
use crate::kit::layout::{self, Page};
use crate::kit::session::{SESSION_COOKIE, WebLang, cookie, lang_of, set_cookie};
use crate::kit::text::t;

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

pub(crate) async fn login_form(WebLang(lang): WebLang) -> Response {
    login_page(lang, "", None).into_response()
}

pub(crate) async fn login_submit(
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
        Err(auth::SignInError::Store(e)) => return error::internal(lang, e),
        Err(auth::SignInError::Internal(e)) => return error::internal(lang, e),
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

pub(crate) async fn logout(
    State(st): State<AppState>,
    src: RequestSource,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let hash = auth::token_hash(token);
        if let Err(e) = st.service.delete_session(&hash).await {
            return error::internal(lang_of(&headers), e);
        }
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&src, SESSION_COOKIE, "", Some(0), true),
    );
    resp
}
