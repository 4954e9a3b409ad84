//! `/account`: the signed-in user changes their own password. The current
//! password is checked (argon2id, off the async threads, with the login
//! throttle counting failures), the new one must satisfy the same rule as
//! the command line's (`auth::check_new_password`). On success every session
//! of the user ends (`Backend::set_password`); this browser gets a fresh one.
//! Editors and admins also find their organisation's calendar address here
//! (`calendar::settings_section`).

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use ngoaivu_core::Lang;
use ngoaivu_http::AppState;
use ngoaivu_http::api::ClientAddr;
use ngoaivu_http::auth;

use crate::kit::error;
use crate::kit::forms::{form_pairs, form_value};
use crate::kit::layout;
use crate::kit::query::Params;
use crate::kit::session::{SESSION_COOKIE, WebUser, set_cookie};
use crate::kit::text::{t, value_label};

const FIELDS: [(&str, &str, &str, &str); 3] = [
    (
        "current_password",
        "Mật khẩu hiện tại",
        "Current password",
        "current-password",
    ),
    (
        "new_password",
        "Mật khẩu mới",
        "New password",
        "new-password",
    ),
    (
        "new_password2",
        "Nhập lại mật khẩu mới",
        "Repeat the new password",
        "new-password",
    ),
];

/// The account page, with the calendar section of the organisation
/// (`new_calendar_url`: the address just made, shown once).
pub async fn render(
    st: &AppState,
    u: &WebUser,
    errors: &[(&str, String)],
    done: bool,
    new_calendar_url: Option<&str>,
    status: StatusCode,
) -> Response {
    let calendar = crate::calendar::settings_section(st, u, new_calendar_url).await;
    let mut resp = account_page(u, errors, done, calendar, status);
    if new_calendar_url.is_some() {
        // The page shows a secret address: keep it out of every cache.
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    resp
}

fn account_page(
    u: &WebUser,
    errors: &[(&str, String)],
    done: bool,
    calendar: maud::Markup,
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    let title = t(lang, "Tài khoản", "Account");
    let body = html! {
        h1 { (title) }
        dl.fields {
            dt { (t(lang, "Tên đăng nhập", "Username")) } dd { (u.actor.username) }
            dt { (t(lang, "Cơ quan", "Organisation")) } dd { (u.org.name) }
            dt { (t(lang, "Vai trò", "Role")) } dd { (value_label(u.actor.role.as_str(), lang)) }
        }
        h2 #pw-h { (t(lang, "Đổi mật khẩu", "Change password")) }
        @if done {
            div.alert.ok role="status" {
                (t(lang, "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn (trên máy khác, trình duyệt khác) đã kết thúc.", "Your password was changed. Your other sessions (other computers, other browsers) have been ended."))
            }
        }
        @if !errors.is_empty() {
            div.alert.error role="alert" {
                p { (t(lang, "Chưa đổi được mật khẩu: hãy sửa các ô được đánh dấu.", "The password was not changed: please correct the marked fields.")) }
            }
        }
        form.record method="post" action="/account" aria-labelledby="pw-h" novalidate {
            @for (name, vi, en, autocomplete) in FIELDS {
                @let errs: Vec<&String> = errors.iter().filter(|(f, _)| *f == name).map(|(_, m)| m).collect();
                @let err_id = format!("{name}-error");
                div.field.has-error[!errs.is_empty()] {
                    label for=(name) { (t(lang, vi, en)) }
                    input #(name) type="password" name=(name) autocomplete=(autocomplete) required
                        aria-invalid=[(!errs.is_empty()).then_some("true")]
                        aria-describedby=[(!errs.is_empty()).then_some(err_id.as_str())];
                    @if name == "new_password" {
                        span.hint { (t(lang, "Ít nhất 10 ký tự.", "At least 10 characters.")) }
                    }
                    @if !errs.is_empty() {
                        span.error id=(err_id) { @for m in &errs { (m) " " } }
                    }
                }
            }
            div.actions {
                button.primary type="submit" { (t(lang, "Đổi mật khẩu", "Change password")) }
            }
        }
        (calendar)
    };
    layout::respond(u, title, status, body)
}

/// `GET /account`
pub async fn account_form(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let done = Params::parse(raw.as_deref()).get("done") == "password";
    render(&st, &u, &[], done, None, StatusCode::OK).await
}

/// `POST /account`
pub async fn account_submit(
    State(st): State<AppState>,
    u: WebUser,
    ClientAddr(addr): ClientAddr,
    src: ngoaivu_http::proxy::RequestSource,
    body: axum::body::Bytes,
) -> Response {
    let lang = u.lang;
    let pairs = form_pairs(&body);
    let current = form_value(&pairs, "current_password").to_owned();
    let new = form_value(&pairs, "new_password").to_owned();
    let repeat = form_value(&pairs, "new_password2");
    let username = u.actor.username.clone();
    let mut errors: Vec<(&str, String)> = vec![];
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;

    if let Err((vi, en)) = auth::check_new_password(&new) {
        errors.push(("new_password", lang.pick(vi, en).to_owned()));
    } else if new == current {
        errors.push((
            "new_password",
            t(
                lang,
                "Mật khẩu mới phải khác mật khẩu hiện tại.",
                "The new password must differ from the current one.",
            )
            .to_owned(),
        ));
    }
    if new != repeat {
        errors.push((
            "new_password2",
            t(
                lang,
                "Hai lần nhập mật khẩu mới không khớp nhau.",
                "The two entries of the new password do not match.",
            )
            .to_owned(),
        ));
    }
    if current.is_empty() {
        errors.push((
            "current_password",
            t(
                lang,
                "Cần nhập mật khẩu hiện tại.",
                "Enter your current password.",
            )
            .to_owned(),
        ));
    } else {
        match auth::check_credentials(&st, &username, &current, addr).await {
            Ok(user) if user.id == u.actor.user_id => {}
            Ok(_) | Err(auth::SignInError::Wrong) => {
                tracing::warn!(username, ?addr, "password change: wrong current password");
                errors.push((
                    "current_password",
                    t(
                        lang,
                        "Mật khẩu hiện tại không đúng.",
                        "The current password is wrong.",
                    )
                    .to_owned(),
                ));
            }
            Err(auth::SignInError::Throttled(secs)) => {
                tracing::warn!(username, ?addr, "password change throttled");
                errors.push((
                    "current_password",
                    match lang {
                        Lang::Vi => {
                            format!("Nhập sai mật khẩu quá nhiều lần; thử lại sau {secs} giây.")
                        }
                        Lang::En => {
                            format!("Too many wrong passwords; try again in {secs} seconds.")
                        }
                    },
                ));
                status = StatusCode::TOO_MANY_REQUESTS;
            }
            Err(auth::SignInError::Busy) => {
                errors.push((
                    "current_password",
                    t(
                        lang,
                        "Máy chủ đang bận; xin thử lại sau giây lát.",
                        "The server is busy; try again in a moment.",
                    )
                    .to_owned(),
                ));
                status = StatusCode::SERVICE_UNAVAILABLE;
            }
            Err(auth::SignInError::Store(e)) => return error::internal(lang, e),
            Err(auth::SignInError::Internal(e)) => return error::internal(lang, e),
        }
    }
    if !errors.is_empty() {
        return render(&st, &u, &errors, false, None, status).await;
    }

    let hash = match tokio::task::spawn_blocking(move || auth::hash_password(&new)).await {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => return error::internal(lang, e),
        Err(e) => return error::internal(lang, e),
    };
    // Sets the hash and ends every session of the user, this one included.
    if let Err(e) = st
        .service
        .backend
        .set_password(&u.actor, &username, &hash)
        .await
    {
        return error::internal(lang, e);
    }
    let token = match auth::new_token() {
        Ok(t) => t,
        Err(e) => return error::internal(lang, e),
    };
    let expires = time::OffsetDateTime::now_utc() + st.config.session_ttl;
    if let Err(e) = st
        .service
        .backend
        .create_session(&auth::token_hash(&token), u.actor.user_id, expires)
        .await
    {
        return error::internal(lang, e);
    }
    tracing::info!(username, "password changed (web); other sessions ended");
    let mut resp = Redirect::to("/account?done=password").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&src, SESSION_COOKIE, &token, None, true),
    );
    resp
}
