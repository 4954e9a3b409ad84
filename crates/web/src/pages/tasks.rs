//! `/tasks`: what is due for the signed-in user (`Service::inbox`): steps
//! waiting for the user's role, reports due and overdue, agreements ending
//! within 90 and 30 days, delegations starting within 7 days.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use ngoaivu_http::AppState;
use ngoaivu_store::inbox::Reason;

use crate::kit::error::{OrPage, PageError};
use crate::kit::layout::{self, Page};
use crate::kit::session::WebUser;
use crate::kit::text::*;

/// `GET /tasks`
pub(crate) async fn tasks_page(
    State(st): State<AppState>,
    u: WebUser,
) -> Result<Response, PageError> {
    let lang = u.lang;
    let today = ngoaivu_store::service::today_in_vietnam();
    let items = st.service.tasks(&u.actor, today).await.or_page(&u)?;
    let title = t(lang, "Việc cần xử lý", "Tasks");
    let body = html! {
        h1 { (title) }
        p.muted {
            (t(lang, "Ngày ", "As of ")) (date(&ngoaivu_core::values::format_date(today)))
            (t(lang, ". Hạn báo cáo tính theo ngày làm việc (trừ thứ Bảy, Chủ nhật và ngày lễ, Tết).",
                ". Report deadlines count working days (weekends and public holidays excluded)."))
        }
        @if items.is_empty() {
            p { (t(lang, "Không có việc nào cần xử lý.", "Nothing is due.")) }
        }
        @for reason in Reason::ALL {
            @let group: Vec<_> = items.iter().filter(|i| i.reason == reason).collect();
            @if !group.is_empty() {
                section.inbox data-reason=(serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()) {
                    h2 { (reason.label(lang)) " (" (group.len()) ")" }
                    ul.links {
                        @for i in group {
                            li {
                                span.muted { (i.rt.label(lang)) ": " }
                                a href={ "/records/" (i.rt.path()) "/" (i.id) } { (i.title) }
                                @if !i.status.is_empty() {
                                    " — " (value_label(&i.status, lang))
                                }
                                @if let Some(d) = &i.date {
                                    " · " (date(d))
                                }
                                @if reason == Reason::ReportOverdue {
                                    " " span.flag { (t(lang, "quá hạn", "overdue")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(
        Page {
            lang,
            user: Some(&u),
            title,
            search: "",
        },
        body,
    )
    .into_response())
}
