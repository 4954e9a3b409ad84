//! Error pages (not found, not allowed, a store error, an internal error),
//! and `PageError`: a page that could not be shown, already rendered as its
//! error page, so that a handler returning `Result<Response, PageError>`
//! can use `?` (`.or_page(&u)?` on a store result) instead of an early
//! `return` in every `match`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use ngoaivu_core::Lang;

use crate::kit::layout::{Page, page};
use crate::kit::session::WebUser;
use crate::kit::text::t;

/// A page that could not be shown: its error page, rendered where the
/// error was met (the frame needs the user, which `IntoResponse` has not).
/// Boxed, so that a `Result` of a page stays small.
pub(crate) struct PageError(Box<Response>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.0
    }
}

impl From<Response> for PageError {
    fn from(r: Response) -> Self {
        PageError(Box::new(r))
    }
}

/// A store result on a page: the store's error becomes its error page in
/// the user's frame (`store_error`).
pub(crate) trait OrPage<T> {
    fn or_page(self, u: &WebUser) -> Result<T, PageError>;
}

impl<T> OrPage<T> for ngoaivu_store::Result<T> {
    fn or_page(self, u: &WebUser) -> Result<T, PageError> {
        self.map_err(|e| PageError::from(store_error(u, e)))
    }
}

/// A form refused for its fields: 422 with `title` and every field's
/// message in the user's language.
pub(crate) fn invalid_page(u: &WebUser, title: &str, inv: &ngoaivu_core::Invalid) -> Response {
    let msg = inv
        .0
        .iter()
        .map(|f| f.message(u.lang))
        .collect::<Vec<_>>()
        .join(" ");
    error_page(
        u.lang,
        Some(u),
        StatusCode::UNPROCESSABLE_ENTITY,
        title,
        &msg,
    )
}

pub(crate) fn error_page(
    lang: Lang,
    user: Option<&WebUser>,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    let body = html! {
        div.notice {
            h1 { (title) }
            p { (message) }
            p { a href="/" { (t(lang, "Về trang tổng quan", "Back to the overview")) } }
        }
    };
    (
        status,
        page(
            Page {
                lang,
                user,
                title,
                search: "",
            },
            body,
        ),
    )
        .into_response()
}

pub(crate) fn not_found(lang: Lang, user: Option<&WebUser>) -> Response {
    error_page(
        lang,
        user,
        StatusCode::NOT_FOUND,
        t(lang, "Không tìm thấy", "Not found"),
        t(
            lang,
            "Không có trang hoặc hồ sơ này, hoặc bạn không có quyền xem.",
            "This page or record does not exist, or you may not see it.",
        ),
    )
}

pub(crate) fn internal(lang: Lang, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "internal error (web)");
    error_page(
        lang,
        None,
        StatusCode::INTERNAL_SERVER_ERROR,
        t(lang, "Lỗi hệ thống", "Internal error"),
        t(
            lang,
            "Đã có lỗi; xin thử lại. Nếu lỗi lặp lại, hãy báo cho quản trị viên.",
            "Something went wrong; please try again. If it persists, tell the administrator.",
        ),
    )
}

/// A store error as a page: not found and forbidden speak plainly; the rest is internal.
pub(crate) fn store_error(u: &WebUser, e: ngoaivu_store::StoreError) -> Response {
    use ngoaivu_store::StoreError;
    let lang = u.lang;
    match e {
        StoreError::NotFound => not_found(lang, Some(u)),
        StoreError::Forbidden(d) => error_page(
            lang,
            Some(u),
            StatusCode::FORBIDDEN,
            t(lang, "Không được phép", "Not allowed"),
            d.message(lang),
        ),
        StoreError::Conflict(c) => {
            let msg = c.message(lang);
            error_page(
                lang,
                Some(u),
                StatusCode::CONFLICT,
                t(lang, "Xung đột dữ liệu", "Conflict"),
                &msg,
            )
        }
        StoreError::Invalid(inv) => {
            let msg = inv
                .0
                .iter()
                .map(|f| f.message(lang))
                .collect::<Vec<_>>()
                .join(" ");
            error_page(
                lang,
                Some(u),
                StatusCode::BAD_REQUEST,
                t(lang, "Dữ liệu không hợp lệ", "Invalid input"),
                &msg,
            )
        }
        StoreError::Unavailable(c) => {
            tracing::error!(cause = %c.message(Lang::En), "the database cannot serve the page");
            let status = if c == ngoaivu_store::Unavailable::DiskFull {
                StatusCode::INSUFFICIENT_STORAGE
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            error_page(
                lang,
                Some(u),
                status,
                t(
                    lang,
                    "Tạm thời không ghi được dữ liệu",
                    "Temporarily unavailable",
                ),
                &c.message(lang),
            )
        }
        e => internal(lang, e),
    }
}
