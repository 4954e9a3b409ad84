//! `/account`: the signed-in user changes their own password. The current
//! password is checked (argon2id, off the async threads, with the login
//! throttle counting failures), the new one must satisfy the same rule as
//! the command line's (`auth::check_new_password`). On success every session
//! of the user ends (`Backend::set_password`); this browser gets a fresh one.
//! Editors and admins also find their organisation's calendar address here
//! (`settings_section`) and replace it (`rotate`); the feed itself is
//! `calendar.rs`.

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ngoaivu_core::{Lang, OrgKind};
use ngoaivu_http::AppState;
use ngoaivu_http::api::ClientAddr;
use ngoaivu_http::auth;

use crate::kit::error;
use crate::kit::forms::{form_pairs, form_value};
use crate::kit::layout;
use crate::kit::query::Params;
use crate::kit::session::{SESSION_COOKIE, WebUser, set_cookie};
use crate::kit::text::{moment, t, value_label};

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
pub(crate) async fn render(
    st: &AppState,
    u: &WebUser,
    errors: &[(&str, String)],
    done: bool,
    new_calendar_url: Option<&str>,
    status: StatusCode,
) -> Response {
    let calendar = settings_section(st, u, new_calendar_url).await;
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
pub(crate) async fn account_form(
    State(st): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let done = Params::parse(raw.as_deref()).get("done") == "password";
    render(&st, &u, &[], done, None, StatusCode::OK).await
}

/// `POST /account`
pub(crate) async fn account_submit(
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
    if let Err(e) = st.service.set_password(&u.actor, &username, &hash).await {
        return error::internal(lang, e);
    }
    let token = match auth::new_token() {
        Ok(t) => t,
        Err(e) => return error::internal(lang, e),
    };
    let expires = time::OffsetDateTime::now_utc() + st.config.session_ttl;
    if let Err(e) = st
        .service
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

// ------------------------------------------------------------ the calendar address

/// Whether `u` may see and replace the feed address of their organisation.
pub(crate) fn may_manage(u: &WebUser) -> bool {
    u.actor.role.can_write() && u.actor.org_kind != OrgKind::Mission
}

/// The calendar section of `/account`; `new_url` is the address just made
/// (shown once: only its hash is kept).
pub(crate) async fn settings_section(st: &AppState, u: &WebUser, new_url: Option<&str>) -> Markup {
    let lang = u.lang;
    if u.actor.org_kind == OrgKind::Mission {
        return html! {};
    }
    let current = if may_manage(u) {
        st.service.calendar_token(&u.actor).await.ok().flatten()
    } else {
        None
    };
    html! {
        section.calendar aria-labelledby="cal-h" {
            h2 #cal-h { (t(lang, "Lịch đoàn ra, đoàn vào và sự kiện (iCalendar)", "Calendar of delegations and events (iCalendar)")) }
            p { (t(lang,
                "Đăng ký địa chỉ lịch riêng của cơ quan trong Outlook, Google Calendar hoặc điện thoại để thấy các đoàn và sự kiện của cơ quan. Ai có địa chỉ này đều xem được lịch, nên chỉ chia sẻ trong cơ quan.",
                "Subscribe to your organisation's private calendar address in Outlook, Google Calendar or a phone to see its delegations and events. Anyone with the address can read the calendar, so share it only within the organisation.")) }
            @if !may_manage(u) {
                p.muted { (t(lang, "Biên tập viên hoặc quản trị viên của cơ quan có thể lấy địa chỉ lịch.", "An editor or administrator of your organisation can get the calendar address.")) }
            } @else {
                @if let Some(url) = new_url {
                    div.alert.ok role="status" {
                        p { (t(lang, "Địa chỉ lịch mới (chỉ hiện một lần; hãy sao chép ngay):", "The new calendar address (shown only once; copy it now):")) }
                        p { code.feed-url { (url) } }
                    }
                } @else if let Some(c) = &current {
                    p {
                        (t(lang, "Địa chỉ hiện tại được tạo lúc ", "The current address was made on "))
                        (moment(c.created_at)) (t(lang, " bởi ", " by ")) (c.created_by) ". "
                        (t(lang, "Địa chỉ không được lưu nên không thể hiện lại; nếu làm mất, hãy tạo địa chỉ mới.", "Addresses are not kept and cannot be shown again; if it is lost, make a new one."))
                    }
                } @else {
                    p.muted { (t(lang, "Cơ quan chưa có địa chỉ lịch.", "Your organisation has no calendar address yet.")) }
                }
                form method="post" action="/account/calendar" {
                    div.actions {
                        button.primary type="submit" {
                            @if current.is_some() || new_url.is_some() {
                                (t(lang, "Tạo địa chỉ mới (địa chỉ cũ ngừng hoạt động)", "Make a new address (the old one stops working)"))
                            } @else {
                                (t(lang, "Tạo địa chỉ lịch", "Make a calendar address"))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /account/calendar`: a new feed token for the user's organisation.
pub(crate) async fn rotate(
    State(st): State<AppState>,
    u: WebUser,
    src: ngoaivu_http::proxy::RequestSource,
) -> Response {
    let lang = u.lang;
    let token = match auth::new_token() {
        Ok(t) => t,
        Err(e) => return error::internal(lang, e),
    };
    match st.service.rotate_calendar_token(&u.actor, &token).await {
        Ok(_) => {}
        Err(e) => return error::store_error(&u, e),
    }
    tracing::info!(username = %u.actor.username, org = %u.org.slug, "calendar address replaced");
    // The public address (`public_url`), else this request's own.
    let url = format!("{}/calendar/{token}.ics", src.origin);
    render(&st, &u, &[], false, Some(&url), StatusCode::OK).await
}
