//! A record's workflow on its page: the current state, the steps the user
//! may take as buttons (one plain form, so it works without JavaScript;
//! the CSRF check of `kit/session.rs` applies as to every form), and the open
//! deadline with a "quá hạn" (overdue) flag. Steps go through
//! `Service::transition`, which decides who may take them.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ngoaivu_core::workflow::{self, Machine};
use ngoaivu_core::{Lang, RecordType};
use ngoaivu_http::AppState;
use ngoaivu_store::Record;

use crate::kit::error;
use crate::kit::forms::form_pairs;
use crate::kit::session::WebUser;
use crate::kit::text::*;

/// The words on a step's button, by the state it leads to (and, for a
/// step back, the state it leaves).
pub(crate) fn step_label(from: &str, to: &str, lang: Lang) -> &'static str {
    let (vi, en) = match (from, to) {
        ("suspended", "in_force") => ("Cho thực hiện trở lại", "Put back in force"),
        ("resolved", "handling") => ("Xử lý tiếp", "Reopen"),
        _ => step_words(to),
    };
    lang.pick(vi, en)
}

fn step_words(to: &str) -> (&'static str, &'static str) {
    match to {
        "submitted" => ("Trình phê duyệt", "Submit for approval"),
        "approved" => ("Phê duyệt", "Approve"),
        "rejected" => ("Không phê duyệt", "Reject"),
        "travelling" => ("Bắt đầu chuyến đi", "Start the trip"),
        "returned" => ("Ghi nhận đoàn đã về", "Record the return"),
        "reported" => ("Ghi nhận đã báo cáo kết quả", "Record the report"),
        "cancelled" => ("Hủy", "Cancel"),
        "draft" => ("Trả về dự thảo", "Back to draft"),
        "confirmed" => ("Xác nhận đón đoàn", "Confirm the visit"),
        "received" => ("Ghi nhận đã đón tiếp", "Record the visit"),
        "consulting" => ("Gửi lấy ý kiến", "Send for consultation"),
        "signed" => ("Ghi nhận đã ký", "Record the signing"),
        "in_force" => ("Ghi nhận có hiệu lực", "Record entry into force"),
        "expired" => ("Ghi nhận hết hiệu lực", "Record expiry"),
        "terminated" => ("Chấm dứt", "Terminate"),
        "renewed" => ("Gia hạn", "Extend"),
        "amended" => ("Sửa đổi, bổ sung", "Amend"),
        "suspended" => ("Tạm đình chỉ", "Suspend"),
        "referred_pm" => (
            "Báo cáo Thủ tướng (còn ý kiến khác nhau)",
            "Refer the disagreement to the Prime Minister",
        ),
        "checked" => ("Ghi nhận đã thẩm định", "Record the check"),
        "refused" => ("Không chấp thuận", "Refuse"),
        "issued" => ("Ghi nhận đã cấp thẻ", "Record the card issued"),
        "appraisal" => ("Gửi thẩm định", "Send for appraisal"),
        "active" => ("Bắt đầu thực hiện", "Start"),
        "completed" => ("Kết thúc dự án", "Close the project"),
        "permitted" => ("Cho phép tổ chức", "Permit"),
        "held" => ("Ghi nhận đã tổ chức", "Record it held"),
        "verifying" => ("Xác minh", "Verify"),
        "handling" => ("Bắt đầu xử lý", "Start handling"),
        "resolved" => ("Ghi nhận đã giải quyết", "Record it resolved"),
        "closed" => ("Đóng hồ sơ", "Close the case"),
        _ => ("Chuyển", "Move"),
    }
}

fn role_label(role: ngoaivu_core::Role, lang: Lang) -> &'static str {
    match role {
        ngoaivu_core::Role::Approver => lang.pick("người phê duyệt", "an approver"),
        _ => lang.pick("biên tập viên", "an editor"),
    }
}

/// The workflow section of a record's page, if the record has a workflow.
pub(crate) fn section(
    u: &WebUser,
    rt: RecordType,
    rec: &Record,
    cal: &ngoaivu_core::workdays::Calendar,
    settings: &workflow::Settings,
) -> Option<Markup> {
    let lang = u.lang;
    let machine = Machine::of(rt, &rec.data)?;
    let state = rec
        .data
        .get("status")
        .and_then(|v| v.as_str())
        .unwrap_or(machine.initial());
    let allowed = machine.allowed(state, &u.actor, rec.org_id);
    let others: Vec<_> = machine
        .next(state)
        .filter(|st| !allowed.iter().any(|a| a.to == st.to))
        .collect();
    let today = ngoaivu_store::service::today_in_vietnam();
    let due = workflow::deadlines(
        rt,
        &rec.data,
        workflow::When {
            today,
            calendar: cal,
            settings,
        },
    );
    let warnings = workflow::warnings(rt, &rec.data, settings);
    let action = format!("/records/{}/{}/transitions", rt.path(), rec.id);
    Some(html! {
        section.workflow aria-labelledby="wf-h" {
            h2 #wf-h { (t(lang, "Quy trình", "Workflow")) }
            @if rec.data.get("inherited").and_then(|v| v.as_bool()) == Some(true) {
                p.inherited {
                    strong { (t(lang, "Kế thừa", "Inherited")) }
                    (t(lang, ": thỏa thuận của đơn vị hành chính đã sáp nhập (Nghị định 177/2025/NĐ-CP).",
                        ": an agreement of a merged administrative unit (Decree 177/2025/NĐ-CP)."))
                }
            }
            p {
                (t(lang, "Trạng thái hiện tại: ", "Current state: "))
                strong.state data-state=(state) { (value_label(state, lang)) }
            }
            @for w in &warnings {
                p.deadline.overdue.warning { strong { (t(lang, "Cảnh báo: ", "Warning: ")) } (w.message(lang)) }
            }
            @for d in &due {
                p.deadline.overdue[d.overdue] {
                    (d.label(lang)) ": "
                    strong { (date(&ngoaivu_core::values::format_date(d.due))) }
                    @if d.overdue {
                        " " span.flag { (t(lang, "quá hạn", "overdue")) }
                    }
                }
            }
            @if !allowed.is_empty() {
                form.steps method="post" action=(action) {
                    div.field {
                        label for="wf-note" { (t(lang, "Ghi chú (không bắt buộc)", "Note (optional)")) }
                        input #wf-note type="text" name="note" maxlength="2000";
                    }
                    // An agreement's acts are decisions with a number.
                    @if machine == Machine::Agreement {
                        div.field {
                            label for="wf-decision" { (t(lang, "Số quyết định (không bắt buộc)", "Decision number (optional)")) }
                            input #wf-decision type="text" name="decision_number" maxlength="100";
                        }
                    }
                    div.actions {
                        @for st in &allowed {
                            @let danger = matches!(st.to, "rejected" | "cancelled" | "refused" | "terminated" | "suspended");
                            button.primary[!danger].danger[danger] type="submit" name="to" value=(st.to) {
                                (step_label(st.from, st.to, lang))
                            }
                        }
                    }
                }
            }
            @if !others.is_empty() {
                p.muted {
                    (t(lang, "Bước tiếp theo do người khác thực hiện: ", "Next steps taken by others: "))
                    @for (i, st) in others.iter().enumerate() {
                        @if i > 0 { "; " }
                        (step_label(st.from, st.to, lang)) " (" (role_label(st.role, lang)) ")"
                    }
                }
            }
            @if machine.next(state).next().is_none() {
                p.muted { (t(lang, "Quy trình đã kết thúc.", "The workflow has ended.")) }
            }
        }
    })
}

/// `POST /records/{type}/{id}/transitions`: take the step the pressed
/// button names; a refusal shows the reason (403), as the API does.
pub(crate) async fn submit(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let (Some(rt), Some(id)) = (RecordType::from_path(&ty), crate::kit::query::parse_id(&id))
    else {
        return error::not_found(u.lang, Some(&u));
    };
    let pairs = form_pairs(&body);
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let to = get("to").unwrap_or("");
    let input = workflow::StepInput {
        note: get("note"),
        decision_number: get("decision_number"),
    };
    let today = ngoaivu_store::service::today_in_vietnam();
    match st
        .service
        .transition_with(&u.actor, rt, id, to, input, today, None)
        .await
    {
        Ok(_) => Redirect::to(&format!("/records/{}/{id}", rt.path())).into_response(),
        Err(e) => error::store_error(&u, e),
    }
}
