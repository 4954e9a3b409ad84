//! What is due for a user: the web inbox (`/inbox`) and the reminders
//! (`ngoaivu remind`, the daily digest) read the same list. Everything is
//! read through `Service::list` with the user's `Actor`, so the scope is
//! the store's as for any read, and narrowed to the user's own
//! organisation: only its users move its records on.

use std::collections::{BTreeSet, HashMap};

use ngoaivu_core::records::RecordType;
use ngoaivu_core::values::{format_date, parse_date};
use ngoaivu_core::workflow::{self, Machine};
use ngoaivu_core::{Actor, Role};
use serde::Serialize;
use time::{Date, Duration};

use crate::{ListQuery, Record, Result, Service};

/// Why an item is in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// In a state whose next step the user's role takes (an approver's
    /// decision, or an editor's record of what happened).
    Waiting,
    /// A report is due (trip report; agreement's report to the PM).
    ReportDue,
    /// That report is past its due date.
    ReportOverdue,
    /// A consulted body's answer (the Ministry's or another's) is due.
    AnswerDue,
    /// … and late.
    AnswerOverdue,
    /// An agreement in force ends within 90 days.
    Expiring90,
    /// … within 30 days.
    Expiring30,
    /// A delegation starts within 7 days.
    StartingSoon,
    /// An issued APEC Business Travel Card expires within 90 days: time
    /// for its holder to apply again.
    CardExpiring,
    /// A foreign NGO's registration ends within 90 days: time for it to
    /// apply for an extension (NĐ 58/2022/NĐ-CP).
    RegistrationExpiring,
    /// Foreign NGO aid not yet closed, from an NGO registered here, in a
    /// field its registrations do not cover.
    AidOutsideFields,
    /// A conference dossier, not yet decided, that came in later than the
    /// rule's 30 (or 40) days before the opening.
    FiledLate,
    /// A task of a plan past its due date, not done.
    PlanTaskOverdue,
    /// A task of a plan due within 30 days, not done.
    PlanTaskDue,
    /// An aid dossier's appraisal is due (or late).
    AppraisalDue,
}

impl Reason {
    pub fn label(self, lang: ngoaivu_core::Lang) -> &'static str {
        match self {
            Reason::Waiting => lang.pick("Chờ tôi xử lý", "Waiting for me"),
            Reason::ReportDue => lang.pick("Báo cáo sắp đến hạn", "Reports due"),
            Reason::ReportOverdue => lang.pick("Báo cáo quá hạn", "Reports overdue"),
            Reason::AnswerDue => lang.pick(
                "Chờ cơ quan được hỏi trả lời ý kiến",
                "Waiting for consulted bodies' answers",
            ),
            Reason::AnswerOverdue => lang.pick(
                "Cơ quan được hỏi trả lời quá hạn",
                "Consulted bodies' answers overdue",
            ),
            Reason::Expiring30 => lang.pick(
                "Thỏa thuận hết hiệu lực trong 30 ngày",
                "Agreements expiring within 30 days",
            ),
            Reason::Expiring90 => lang.pick(
                "Thỏa thuận hết hiệu lực trong 90 ngày",
                "Agreements expiring within 90 days",
            ),
            Reason::StartingSoon => lang.pick(
                "Đoàn khởi hành hoặc đến trong 7 ngày",
                "Delegations starting within 7 days",
            ),
            Reason::CardExpiring => lang.pick(
                "Thẻ ABTC hết hạn trong 90 ngày",
                "ABTC cards expiring within 90 days",
            ),
            Reason::RegistrationExpiring => lang.pick(
                "Giấy đăng ký của tổ chức phi chính phủ nước ngoài hết hạn trong 90 ngày",
                "Foreign NGO registrations expiring within 90 days",
            ),
            Reason::AidOutsideFields => lang.pick(
                "Viện trợ ngoài lĩnh vực tổ chức phi chính phủ đã đăng ký",
                "NGO aid outside the fields the NGO registered",
            ),
            Reason::FiledLate => lang.pick(
                "Hồ sơ xin phép hội nghị, hội thảo quốc tế nộp muộn",
                "Conference dossiers filed late",
            ),
            Reason::PlanTaskOverdue => {
                lang.pick("Nhiệm vụ trong kế hoạch quá hạn", "Plan tasks overdue")
            }
            Reason::PlanTaskDue => lang.pick(
                "Nhiệm vụ trong kế hoạch đến hạn trong 30 ngày",
                "Plan tasks due within 30 days",
            ),
            Reason::AppraisalDue => lang.pick("Hạn thẩm định hồ sơ viện trợ", "Aid appraisals due"),
        }
    }

    pub const ALL: [Reason; 15] = [
        Reason::ReportOverdue,
        Reason::AnswerOverdue,
        Reason::AppraisalDue,
        Reason::PlanTaskOverdue,
        Reason::FiledLate,
        Reason::Waiting,
        Reason::ReportDue,
        Reason::AnswerDue,
        Reason::StartingSoon,
        Reason::Expiring30,
        Reason::Expiring90,
        Reason::CardExpiring,
        Reason::RegistrationExpiring,
        Reason::AidOutsideFields,
        Reason::PlanTaskDue,
    ];
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub reason: Reason,
    #[serde(skip)]
    pub rt: RecordType,
    pub record_type: &'static str,
    pub id: i64,
    pub title: String,
    pub status: String,
    /// The date that puts it here (due date, end, start), ISO.
    pub date: Option<String>,
}

/// The states in which a step waits for `role`: approvers and admins for
/// the decisions, editors for recording what happened.
fn waiting_states(m: Machine, role: Role) -> Vec<&'static str> {
    let wanted = if role >= Role::Approver {
        Role::Approver
    } else {
        Role::Editor
    };
    let mut out: Vec<&'static str> = Vec::new();
    for st in m.steps() {
        // Cancelling, sending back and recording an expiry are always
        // possible and never "waiting"; nor are the acts on an agreement
        // in force (amending, extending, suspending, resuming,
        // terminating), taken when the parties decide.
        let act_in_force = m == Machine::Agreement
            && matches!(st.from, "in_force" | "amended" | "renewed" | "suspended");
        if st.role == wanted
            && !matches!(st.to, "cancelled" | "draft" | "expired")
            && !act_in_force
            && !out.contains(&st.from)
        {
            out.push(st.from);
        }
    }
    // A draft waits for its author, not for the office's inbox.
    if wanted == Role::Editor {
        out.retain(|s| *s != m.initial());
    }
    out
}

const LIMIT: i64 = 200;

/// Where a deadline goes in the list.
fn reason_of(d: &workflow::Deadline) -> Reason {
    match (d.what, d.awaits_answer(), d.overdue) {
        ("appraisal", _, _) => Reason::AppraisalDue,
        (_, true, true) => Reason::AnswerOverdue,
        (_, true, false) => Reason::AnswerDue,
        (_, false, true) => Reason::ReportOverdue,
        (_, false, false) => Reason::ReportDue,
    }
}

/// A plain title for a reminder line (the web page writes its own).
fn title_of(rt: RecordType, data: &serde_json::Value) -> String {
    data.get(rt.title_field())
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_owned()
}

impl Service {
    async fn own(&self, actor: &Actor, q: ListQuery) -> Result<Vec<Record>> {
        let mut q = q;
        q.org_id = Some(actor.org_id);
        q.limit = LIMIT;
        Ok(self.list(actor, &q).await?.items)
    }

    /// The caller's foreign NGO aid, not yet closed, whose donor is an NGO
    /// registered here (a registration in force naming it as partner) and
    /// whose field is none of the fields its registrations cover.
    async fn aid_outside_fields(&self, actor: &Actor, today: Date) -> Result<Vec<Record>> {
        let text = |r: &Record, k: &str| r.data.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let mut fields: HashMap<i64, BTreeSet<String>> = HashMap::new();
        for r in self.own_records(actor, RecordType::NgoRegistration).await? {
            let Some(partner) = r.data.get("partner_id").and_then(serde_json::Value::as_i64) else {
                continue;
            };
            let over = |k: &str| {
                text(&r, k)
                    .and_then(|d| parse_date(&d))
                    .is_some_and(|d| d < today)
            };
            if over("ended_on") || over("valid_until") {
                continue;
            }
            let sectors = r.data.get("sectors").and_then(|v| v.as_array());
            fields.entry(partner).or_default().extend(
                sectors
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_owned)),
            );
        }
        if fields.is_empty() {
            return Ok(vec![]);
        }
        Ok(self
            .own_records(actor, RecordType::Project)
            .await?
            .into_iter()
            .filter(|r| {
                let open = text(r, "status")
                    .is_some_and(|s| !matches!(s.as_str(), "completed" | "cancelled"));
                let donor = r
                    .data
                    .get("investor_id")
                    .and_then(serde_json::Value::as_i64);
                let registered = donor.and_then(|d| fields.get(&d));
                let sector = text(r, "sector");
                text(r, "kind").as_deref() == Some("ngo_aid")
                    && open
                    && matches!((registered, &sector), (Some(f), Some(s)) if !f.contains(s))
            })
            .collect())
    }

    /// What is due for `actor` on `today`, most pressing first.
    pub async fn tasks(&self, actor: &Actor, today: Date) -> Result<Vec<Item>> {
        let mut out = Vec::new();
        if !actor.role.can_write() {
            return Ok(out);
        }
        let iso = format_date;
        let calendar = self.calendar().await?;
        let when = workflow::When {
            today,
            calendar: &calendar,
            settings: &self.settings,
        };
        let push =
            |out: &mut Vec<Item>, reason, rt: RecordType, r: &Record, date: Option<String>| {
                out.push(Item {
                    reason,
                    rt,
                    record_type: rt.code(),
                    id: r.id,
                    title: title_of(rt, &r.data),
                    status: r
                        .data
                        .get("status")
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_owned(),
                    date,
                });
            };
        // Waiting for my role, and open report deadlines.
        for rt in [
            RecordType::Delegation,
            RecordType::Agreement,
            RecordType::AbtcApproval,
            RecordType::Project,
            RecordType::ConferencePermit,
            RecordType::ConsularCase,
        ] {
            let probe = match rt {
                RecordType::Delegation => vec![
                    (Machine::OutboundDelegation, "outbound"),
                    (Machine::InboundDelegation, "inbound"),
                ],
                RecordType::Agreement => vec![(Machine::Agreement, "")],
                RecordType::AbtcApproval => vec![(Machine::Abtc, "")],
                RecordType::ConferencePermit => vec![(Machine::Conference, "")],
                RecordType::ConsularCase => vec![(Machine::Consular, "")],
                _ => vec![(Machine::Aid, "ngo_aid"), (Machine::Aid, "oda")],
            };
            for (m, kind) in probe {
                let mut states = waiting_states(m, actor.role);
                // And the states with deadlines though nobody's step waits.
                for s in [
                    "returned",
                    "received",
                    "signed",
                    "in_force",
                    "amended",
                    "renewed",
                    "suspended",
                    "consulting",
                    "referred_pm",
                    "appraisal",
                    "active",
                    "held",
                ] {
                    if m.states().contains(&s) && !states.contains(&s) {
                        states.push(s);
                    }
                }
                for state in states {
                    let mut q = ListQuery::new(rt);
                    q.status = Some(state.into());
                    if !kind.is_empty() {
                        q.kind = Some(kind.into());
                    }
                    let waits = waiting_states(m, actor.role).contains(&state);
                    for r in self.own(actor, q).await? {
                        let due = workflow::deadlines(rt, &r.data, when);
                        // A report due is listed as such, not twice.
                        if waits && due.iter().all(workflow::Deadline::awaits_answer) {
                            push(&mut out, Reason::Waiting, rt, &r, None);
                        }
                        for d in due {
                            push(&mut out, reason_of(&d), rt, &r, Some(iso(d.due)));
                        }
                    }
                }
            }
        }
        // Agreements in force (as signed, amended or extended) ending
        // within 90 (and 30) days.
        let mut in_force = Vec::new();
        for status in ["in_force", "amended", "renewed"] {
            let mut q = ListQuery::new(RecordType::Agreement);
            q.status = Some(status.into());
            q.end_from = Some(iso(today));
            q.end_to = Some(iso(today + Duration::days(90)));
            in_force.extend(self.own(actor, q).await?);
        }
        for r in in_force {
            let end = r.data.get("valid_until").and_then(|v| v.as_str());
            let soon = end
                .and_then(parse_date)
                .is_some_and(|d| d <= today + Duration::days(30));
            let reason = if soon {
                Reason::Expiring30
            } else {
                Reason::Expiring90
            };
            push(
                &mut out,
                reason,
                RecordType::Agreement,
                &r,
                end.map(str::to_owned),
            );
        }
        // Issued ABTC cards expiring within 90 days.
        let mut q = ListQuery::new(RecordType::AbtcApproval);
        q.status = Some("issued".into());
        q.end_from = Some(iso(today));
        q.end_to = Some(iso(today + Duration::days(90)));
        for r in self.own(actor, q).await? {
            let end = r
                .data
                .get("card_expires_on")
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            push(
                &mut out,
                Reason::CardExpiring,
                RecordType::AbtcApproval,
                &r,
                end,
            );
        }
        // Foreign NGO registrations ending within 90 days (not ended early).
        let mut q = ListQuery::new(RecordType::NgoRegistration);
        q.end_from = Some(iso(today));
        q.end_to = Some(iso(today + Duration::days(90)));
        for r in self.own(actor, q).await? {
            if r.data.get("ended_on").is_some_and(|v| !v.is_null()) {
                continue;
            }
            let end = r
                .data
                .get("valid_until")
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            push(
                &mut out,
                Reason::RegistrationExpiring,
                RecordType::NgoRegistration,
                &r,
                end,
            );
        }
        // Conference dossiers not yet decided that came in late.
        for state in ["filed", "consulting", "submitted"] {
            let mut q = ListQuery::new(RecordType::ConferencePermit);
            q.status = Some(state.into());
            for r in self.own(actor, q).await? {
                if !workflow::warnings(RecordType::ConferencePermit, &r.data, &self.settings)
                    .is_empty()
                {
                    let start = r
                        .data
                        .get("start_on")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned);
                    push(
                        &mut out,
                        Reason::FiledLate,
                        RecordType::ConferencePermit,
                        &r,
                        start,
                    );
                }
            }
        }
        // Plans' tasks not done: past due, or due within 30 days. One line
        // per task, titled "plan — task".
        for r in self.own_records(actor, RecordType::Plan).await? {
            let Ok(plan) = serde_json::from_value::<ngoaivu_core::records::Plan>(r.data.clone())
            else {
                continue;
            };
            for task in &plan.tasks {
                use ngoaivu_core::records::TaskStatus;
                let Some(due) = task.due_on else { continue };
                if matches!(task.status, TaskStatus::Done | TaskStatus::Dropped) {
                    continue;
                }
                let reason = if due.0 < today {
                    Reason::PlanTaskOverdue
                } else if due.0 <= today + Duration::days(30) {
                    Reason::PlanTaskDue
                } else {
                    continue;
                };
                out.push(Item {
                    reason,
                    rt: RecordType::Plan,
                    record_type: RecordType::Plan.code(),
                    id: r.id,
                    title: format!("{} — {}", plan.title.trim(), task.title.trim()),
                    status: task.status.code().to_owned(),
                    date: Some(iso(due.0)),
                });
            }
        }
        for r in self.aid_outside_fields(actor, today).await? {
            push(
                &mut out,
                Reason::AidOutsideFields,
                RecordType::Project,
                &r,
                None,
            );
        }
        // Delegations starting within 7 days, unless off.
        let mut q = ListQuery::new(RecordType::Delegation);
        q.date_from = Some(iso(today));
        q.date_to = Some(iso(today + Duration::days(7)));
        for r in self.own(actor, q).await? {
            let status = r.data.get("status").and_then(|v| v.as_str()).unwrap_or("");
            if matches!(status, "cancelled" | "rejected" | "reported") {
                continue;
            }
            let start = r
                .data
                .get("start_on")
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            push(
                &mut out,
                Reason::StartingSoon,
                RecordType::Delegation,
                &r,
                start,
            );
        }
        out.sort_by_key(|i| {
            (
                Reason::ALL.iter().position(|r| *r == i.reason),
                i.date.clone(),
                i.id,
            )
        });
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approvers_wait_on_decisions_editors_on_records_of_what_happened() {
        assert_eq!(
            waiting_states(Machine::OutboundDelegation, Role::Approver),
            vec!["submitted"]
        );
        assert_eq!(
            waiting_states(Machine::OutboundDelegation, Role::Editor),
            vec!["approved", "travelling", "returned"]
        );
        assert_eq!(
            waiting_states(Machine::InboundDelegation, Role::Admin),
            vec!["planned"]
        );
        // An agreement waits for the approver's permission (or the Prime
        // Minister's answer relayed); an agreement in force waits for no one.
        assert_eq!(
            waiting_states(Machine::Agreement, Role::Approver),
            vec!["consulting", "referred_pm"]
        );
        assert_eq!(
            waiting_states(Machine::Agreement, Role::Editor),
            vec!["approved", "signed"]
        );
    }
}
