//! The page frame: header, navigation, search box, language switch,
//! sign-out, footer; the public pages' frame. Error pages are `error.rs`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use ngoaivu_core::{Lang, OrgKind, RecordType};

use crate::kit::session::WebUser;
use crate::kit::text::{t, value_label};

pub(crate) struct Page<'a> {
    pub lang: Lang,
    pub user: Option<&'a WebUser>,
    pub title: &'a str,
    /// The search box's current words.
    pub search: &'a str,
}

pub(crate) fn css_href() -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        // FNV-1a of the stylesheet: a new file gets a new URL, so it can be cached for a year.
        let mut h: u64 = 0xcbf29ce484222325;
        for b in crate::kit::stylesheet::stylesheet().bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("/static/app.css?v={:x}", h & 0xffff_ffff)
    })
}

pub(crate) fn lang_form(lang: Lang, _back: Option<&str>) -> Markup {
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

pub(crate) fn page(p: Page, body: Markup) -> Markup {
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
                                        li { a href={ "/records/" (rt.path()) } aria-current=[current(p.title, rt.label(lang), false)] { (rt.menu_label(lang)) } }
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

/// A signed-in user's page with `status`: the layout around `body`, in the
/// user's language, with an empty search box.
pub(crate) fn respond(u: &WebUser, title: &str, status: StatusCode, body: Markup) -> Response {
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

/// The frame of the public pages (the investment catalog): no account, no
/// search of records; the same stylesheet, language switch and footer.
pub(crate) fn public_page(lang: Lang, title: &str, body: Markup) -> Markup {
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
