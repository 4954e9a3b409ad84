//! The page layout: header, navigation, search box, language switch,
//! sign-out; and the error pages.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use ngoaivu_core::{Lang, OrgKind, RecordType};

use crate::session::WebUser;
use crate::text::{t, value_label};

pub struct Page<'a> {
    pub lang: Lang,
    pub user: Option<&'a WebUser>,
    pub title: &'a str,
    /// The search box's current words.
    pub search: &'a str,
}

pub fn css_href() -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        // FNV-1a of the stylesheet: a new file gets a new URL, so it can be cached for a year.
        let mut h: u64 = 0xcbf29ce484222325;
        for b in crate::stylesheet().bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("/static/app.css?v={:x}", h & 0xffff_ffff)
    })
}

pub fn lang_form(lang: Lang, _back: Option<&str>) -> Markup {
    let (other, label) = match lang {
        Lang::Vi => ("en", "English"),
        Lang::En => ("vi", "Tiếng Việt"),
    };
    html! {
        form.lang method="post" action="/lang" {
            input type="hidden" name="lang" value=(other);
            button.link type="submit" lang=(other) { (label) }
        }
    }
}

/// `aria-current="page"` for the navigation link of the page being shown:
/// a section's page is titled with its link's label (the national overview
/// extends it, "Tổng quan toàn quốc").
fn current(title: &str, label: &str, prefix: bool) -> Option<&'static str> {
    let hit = if prefix {
        title.starts_with(label)
    } else {
        title == label
    };
    hit.then_some("page")
}

pub fn page(p: Page, body: Markup) -> Markup {
    let lang = p.lang;
    let html_lang = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    html! {
        (DOCTYPE)
        html lang=(html_lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (p.title) " · ngoaivu" }
                link rel="stylesheet" href=(css_href());
            }
            body {
                a.skip href="#main" { (t(lang, "Bỏ qua, đến nội dung chính", "Skip to main content")) }
                header.top {
                    div.bar {
                        a.brand href="/" { "ngoaivu" }
                        @if let Some(u) = p.user {
                            span.who {
                                span.org { (u.org.name) }
                                " · "
                                span.user {
                                    a href="/account" title=(t(lang, "Tài khoản, đổi mật khẩu", "Account, change password")) { (u.actor.username) }
                                    " (" (value_label(u.actor.role.as_str(), lang)) ")"
                                }
                            }
                        }
                        div.tools {
                            // The search finds records; a mission keeps none.
                            @if p.user.is_some_and(|u| u.actor.org_kind != OrgKind::Mission) {
                                form.search role="search" method="get" action="/search" {
                                    label.sr for="site-q" { (t(lang, "Tìm kiếm", "Search")) }
                                    input #site-q type="search" name="q" value=(p.search) placeholder=(t(lang, "Tìm trong mọi hồ sơ…", "Search all records…"));
                                    button type="submit" { (t(lang, "Tìm", "Search")) }
                                }
                            }
                            (lang_form(lang, None))
                            @if p.user.is_some() {
                                form.logout method="post" action="/logout" {
                                    button.link type="submit" { (t(lang, "Đăng xuất", "Sign out")) }
                                }
                            }
                        }
                    }
                    @if p.user.is_some() {
                        nav.main aria-label=(t(lang, "Các loại hồ sơ", "Record types")) {
                            ul {
                                @let mission = p.user.is_some_and(|u| u.actor.org_kind == OrgKind::Mission);
                                // A mission keeps no provincial records: its
                                // work here is the channel with provinces.
                                @if !mission {
                                    li { a href="/" aria-current=[current(p.title, t(lang, "Tổng quan", "Overview"), true)] { (t(lang, "Tổng quan", "Overview")) } }
                                    li { a href="/tasks" aria-current=[current(p.title, t(lang, "Việc cần xử lý", "Tasks"), false)] { (t(lang, "Việc cần xử lý", "Tasks")) } }
                                    @for rt in RecordType::ALL {
                                        li { a href={ "/records/" (rt.path()) } aria-current=[current(p.title, rt.label(lang), false)] { (rt.label(lang)) } }
                                    }
                                    li { a href="/reports" aria-current=[current(p.title, t(lang, "Báo cáo", "Reports"), false)] { (t(lang, "Báo cáo", "Reports")) } }
                                    li { a href="/reader" aria-current=[current(p.title, t(lang, "Đọc báo cáo", "Read a report"), false)] { (t(lang, "Đọc báo cáo", "Read a report")) } }
                                }
                                // Set apart from the records when they are shown.
                                li.channel[!mission] { a href="/inbox" aria-current=[current(p.title, t(lang, "Hộp thư", "Inbox"), false)] { (t(lang, "Hộp thư", "Inbox")) } }
                                li { a href="/requests" aria-current=[current(p.title, t(lang, "Đề nghị", "Requests"), false)] { (t(lang, "Đề nghị", "Requests")) } }
                                li { a href="/market-notes" aria-current=[current(p.title, t(lang, "Bản tin thị trường", "Market notes"), false)] { (t(lang, "Bản tin thị trường", "Market notes")) } }
                            }
                        }
                    }
                }
                main #main tabindex="-1" {
                    (body)
                }
                footer.foot {
                    p {
                        (t(lang, "ngoaivu · Công tác đối ngoại địa phương", "ngoaivu · Provincial foreign affairs"))
                        " · " a href="/source" { (t(lang, "Mã nguồn (AGPL)", "Source (AGPL)")) }
                    }
                }
            }
        }
    }
}

/// The frame of the public pages (the investment catalog): no account, no
/// search of records; the same stylesheet, language switch and footer.
/// A signed-in user's page with `status`: the layout around `body`, in the
/// user's language, with an empty search box.
pub fn respond(u: &WebUser, title: &str, status: StatusCode, body: Markup) -> Response {
    (
        status,
        page(
            Page {
                lang: u.lang,
                user: Some(u),
                title,
                search: "",
            },
            body,
        ),
    )
        .into_response()
}

pub fn public_page(lang: Lang, title: &str, body: Markup) -> Markup {
    let html_lang = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    html! {
        (DOCTYPE)
        html lang=(html_lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (t(lang, "Cơ hội đầu tư tại Việt Nam", "Investment opportunities in Viet Nam")) }
                link rel="stylesheet" href=(css_href());
                link rel="alternate" type="application/feed+json" href="/catalog/feed.json" title=(t(lang, "Danh mục dự án (JSON Feed)", "Project catalog (JSON Feed)"));
            }
            body.public {
                a.skip href="#main" { (t(lang, "Bỏ qua, đến nội dung chính", "Skip to main content")) }
                header.top {
                    div.bar {
                        a.brand href="/catalog" {
                            (t(lang, "Cơ hội đầu tư", "Investment opportunities"))
                            span.brand-sub { (t(lang, "Danh mục dự án kêu gọi đầu tư của các tỉnh, thành phố", "Projects offered by Viet Nam's provinces and cities")) }
                        }
                        div.tools {
                            (lang_form(lang, None))
                            a.signin href="/login" { (t(lang, "Cán bộ đăng nhập", "Staff sign-in")) }
                        }
                    }
                }
                main #main tabindex="-1" {
                    (body)
                }
                footer.foot {
                    p {
                        (t(lang, "Thông tin do Sở Ngoại vụ và cơ quan đầu mối đối ngoại các tỉnh, thành phố công bố. ", "Published by the provincial foreign-affairs offices. "))
                        a href="/catalog/feed.json" { (t(lang, "Dữ liệu mở (JSON Feed)", "Open data (JSON Feed)")) }
                        " · " a href="/source" { (t(lang, "Mã nguồn (AGPL)", "Source (AGPL)")) }
                    }
                }
            }
        }
    }
}

/// A form refused for its fields: 422 with `title` and every field's
/// message in the user's language.
pub fn invalid_page(u: &WebUser, title: &str, inv: &ngoaivu_core::Invalid) -> Response {
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

pub fn error_page(
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

pub fn not_found(lang: Lang, user: Option<&WebUser>) -> Response {
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

pub fn internal(lang: Lang, e: impl std::fmt::Display) -> Response {
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
pub fn store_error(u: &WebUser, e: ngoaivu_store::StoreError) -> Response {
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

pub fn is_ministry(u: &WebUser) -> bool {
    u.actor.org_kind == OrgKind::Ministry
}
