//! The workflows as explicit state machines: for each kind of record, its
//! states, the steps between them, the least role that may take each step,
//! the dated fields a step fills in, and the reason (Vietnamese and English)
//! when a step is refused. Pure: the store calls [`plan`] inside the
//! transaction that writes the step and its audit row.
//!
//! Legal periods are [`Settings`] with the law's values as defaults, never
//! constants in the logic: provincial rules differ and several periods are
//! not confirmed (see `shared/design/domain.md`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::access::{Actor, Role};
use crate::error::{Invalid, Problem};
use crate::i18n::Lang;
use crate::records::{RecordType, VnLevel};
use crate::values::{format_date, parse_date};
use crate::workdays::Calendar;

/// How a legal period is counted: every day, or working days only
/// (weekends and public holidays skipped, working Saturdays counted;
/// `workdays::Calendar`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DayCount {
    Calendar,
    Working,
}

impl DayCount {
    /// `start` plus `days` counted this way.
    pub fn add(self, cal: &Calendar, start: time::Date, days: u32) -> time::Date {
        match self {
            DayCount::Calendar => start + time::Duration::days(i64::from(days)),
            DayCount::Working => cal.add_working_days(start, days),
        }
    }

    pub fn parse(s: &str) -> Option<DayCount> {
        match s.trim().to_ascii_lowercase().as_str() {
            "calendar" => Some(DayCount::Calendar),
            "working" => Some(DayCount::Working),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DayCount::Calendar => "calendar",
            DayCount::Working => "working",
        }
    }
}

/// The legal periods deadlines are computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Days after return within which the head of a delegation reports
    /// (Chỉ thị 38-CT/TW asks for a report; 15 follows the analogues
    /// domain.md cites, MOET's rules and Thông tư 03/2023/TT-BNV;
    /// provincial rules vary and none was confirmed).
    pub delegation_report_days: u32,
    /// How `delegation_report_days` are counted: working days by default
    /// (the analogues' wording; unconfirmed for provinces).
    pub delegation_report_counting: DayCount,
    /// Days the Ministry of Foreign Affairs has to answer a consultation
    /// on an agreement (NĐ 64/2021/NĐ-CP: 7 working days).
    pub ministry_answer_days: u32,
    /// How `ministry_answer_days` are counted: working days (NĐ 64/2021).
    pub ministry_answer_counting: DayCount,
    /// Days every other body consulted on an agreement (a department, the
    /// provincial police, a ministry) has to answer (NĐ 64/2021/NĐ-CP
    /// Art. 5: 7 working days).
    pub consultation_answer_days: u32,
    /// How `consultation_answer_days` are counted: working days.
    pub consultation_answer_counting: DayCount,
    /// Days after signing by which the report to the Prime Minister and
    /// the copy to the Ministry are due (Law 70/2020/QH14 and NĐ
    /// 64/2021/NĐ-CP Art. 16: 15 days).
    pub agreement_report_days: u32,
    /// How `agreement_report_days` are counted: calendar days, as the law
    /// writes "15 ngày" without "làm việc" (counted in working days, an
    /// agreement signed on a Friday would look on time for a week more).
    pub agreement_report_counting: DayCount,
    /// The levels of Vietnamese party whose agreements are reported to the
    /// Prime Minister (with the copy to the Ministry) `agreement_report_days`
    /// after signing. Law 70/2020/QH14 Art. 19 asks it of agreements in the
    /// name of the provincial People's Council or Committee; the units of
    /// Art. 20 (departments, former districts, border communes) report to
    /// the provincial chairman instead (NĐ 64/2021/NĐ-CP Art. 16), who
    /// consolidates. Whether a provincial body of an organisation (Art. 23)
    /// reports to the Prime Minister is not confirmed: left out by default.
    /// An agreement whose level is not given still owes the report, as
    /// every agreement did before levels were recorded.
    pub agreement_report_pm_levels: Levels,
    /// Days the Prime Minister's answer on a disagreement among the bodies
    /// consulted is awaited once referred (7 working days, as issue 15
    /// reads Law 70/2020/QH14 Art. 19 for provincial agreements; the
    /// article's wording is not confirmed in domain.md).
    pub pm_referral_days: u32,
    /// How `pm_referral_days` are counted: working days.
    pub pm_referral_counting: DayCount,
    /// Days the appraisal of an aid dossier takes at most, from the
    /// complete dossier (NĐ 80/2020/NĐ-CP: 20 days; the local appraisal
    /// under NĐ 313/2025/NĐ-CP is not confirmed).
    pub aid_appraisal_days: u32,
    /// How `aid_appraisal_days` are counted: calendar days, as domain.md
    /// cites "20 days" without "làm việc" (the stricter reading).
    pub aid_appraisal_counting: DayCount,
    /// Days after a reporting period ends (month, half-year, year) by
    /// which an aid project's periodic report is due: 15, as the reports
    /// due by 15 July and 15 January of the aid and ODA decrees; the
    /// provincial rule is not confirmed.
    pub aid_report_days: u32,
    /// How `aid_report_days` are counted: calendar days.
    pub aid_report_counting: DayCount,
    /// Years an APEC Business Travel Card is valid (QĐ 09/2023/QĐ-TTg).
    pub abtc_validity_years: u32,
    /// Months the enterprise has operated and the applicant has worked
    /// there, at least (QĐ 09/2023/QĐ-TTg Art. 8–9).
    pub abtc_min_months: u32,
    /// Days before a conference its dossier must reach the one who permits
    /// it when that is the provincial chairman (QĐ 06/2020/QĐ-TTg Art. 5:
    /// "ít nhất 30 ngày"); calendar days, counted back from the opening.
    pub conference_lead_days: u32,
    /// … and when it is the Prime Minister (same article: 40 days).
    pub conference_lead_days_pm: u32,
    /// Days a body consulted on a conference has to answer (QĐ 06/2020/
    /// QĐ-TTg Art. 6: 15 days).
    pub conference_answer_days: u32,
    /// How `conference_answer_days` are counted: calendar days, as the
    /// decision writes "15 ngày" without "làm việc".
    pub conference_answer_counting: DayCount,
    /// Days after the close by which the organiser reports the results
    /// (QĐ 06/2020/QĐ-TTg Art. 9 asks for a report; 15 days is the usual
    /// provincial rule, not confirmed nationally).
    pub conference_report_days: u32,
    /// How `conference_report_days` are counted (calendar, unconfirmed).
    pub conference_report_counting: DayCount,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            delegation_report_days: 15,
            delegation_report_counting: DayCount::Working,
            ministry_answer_days: 7,
            ministry_answer_counting: DayCount::Working,
            consultation_answer_days: 7,
            consultation_answer_counting: DayCount::Working,
            agreement_report_days: 15,
            agreement_report_counting: DayCount::Calendar,
            agreement_report_pm_levels: Levels::of(&[VnLevel::Province]),
            pm_referral_days: 7,
            pm_referral_counting: DayCount::Working,
            aid_appraisal_days: 20,
            aid_appraisal_counting: DayCount::Calendar,
            aid_report_days: 15,
            aid_report_counting: DayCount::Calendar,
            abtc_validity_years: 5,
            abtc_min_months: 12,
            conference_lead_days: 30,
            conference_lead_days_pm: 40,
            conference_answer_days: 15,
            conference_answer_counting: DayCount::Calendar,
            conference_report_days: 15,
            conference_report_counting: DayCount::Calendar,
        }
    }
}

/// A set of the Vietnamese party's levels (`VnLevel`), written as the
/// list of their codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Levels(u8);

impl Levels {
    pub const fn of(levels: &[VnLevel]) -> Levels {
        let mut bits = 0u8;
        let mut i = 0;
        while i < levels.len() {
            bits |= 1 << levels[i] as u8;
            i += 1;
        }
        Levels(bits)
    }

    pub fn contains(self, level: VnLevel) -> bool {
        self.0 & (1 << level as u8) != 0
    }

    /// The levels' codes, in the vocabulary's order.
    pub fn codes(self) -> Vec<&'static str> {
        VnLevel::ALL
            .iter()
            .filter(|l| self.contains(**l))
            .map(|l| l.code())
            .collect()
    }

    /// `province,department` (any spacing; empty for none); the code that
    /// is not a level, if any.
    pub fn parse(s: &str) -> Result<Levels, String> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            out.push(VnLevel::from_code(part).ok_or_else(|| part.to_owned())?);
        }
        Ok(Levels::of(&out))
    }

    /// Whether an agreement owes the report to the Prime Minister: its
    /// level (`vn_level`) is one of these, or not given.
    pub fn owe(self, agreement: &Map<String, Value>) -> bool {
        match agreement.get("vn_level").and_then(Value::as_str) {
            None => true,
            Some(code) => VnLevel::from_code(code).is_none_or(|l| self.contains(l)),
        }
    }
}

impl Serialize for Levels {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.codes().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Levels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let codes = Vec::<VnLevel>::deserialize(d)?;
        Ok(Levels::of(&codes))
    }
}

/// What the user gives with a step besides its target: a note (kept in
/// the audit row) and, for a decision, its number. A step that is an act
/// on an agreement appends both to its `actions`.
#[derive(Debug, Clone, Copy, Default)]
pub struct StepInput<'a> {
    pub note: Option<&'a str>,
    pub decision_number: Option<&'a str>,
}

/// The machines. A record's machine follows from its type and, for
/// delegations and projects, its direction or kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Machine {
    OutboundDelegation,
    InboundDelegation,
    Agreement,
    Abtc,
    Aid,
    Conference,
    Consular,
}

/// One allowed step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub from: &'static str,
    pub to: &'static str,
    /// The least role that may take it (approvers decide; editors record
    /// what happened).
    pub role: Role,
}

const fn s(from: &'static str, to: &'static str, role: Role) -> Step {
    Step { from, to, role }
}

use Role::{Approver as A, Editor as E};

const OUTBOUND: &[Step] = &[
    s("draft", "submitted", E),
    s("draft", "cancelled", E),
    s("submitted", "approved", A),
    s("submitted", "rejected", A),
    s("submitted", "draft", E),
    s("submitted", "cancelled", E),
    s("approved", "travelling", E),
    s("approved", "cancelled", A),
    s("travelling", "returned", E),
    s("returned", "reported", E),
];

const INBOUND: &[Step] = &[
    s("planned", "confirmed", A),
    s("planned", "cancelled", E),
    s("confirmed", "received", E),
    s("confirmed", "cancelled", A),
    s("received", "reported", E),
];

/// Law 70/2020/QH14 and NĐ 64/2021/NĐ-CP: consulted, permitted or
/// refused (a disagreement among the bodies consulted goes to the Prime
/// Minister first), signed, in force; then amended or extended (`renewed`)
/// any number of times, suspended and back in force, terminated or expired
/// (Art. 33–34). The acts after signing are the approver's: each is a
/// decision of the one who allowed the signing.
const AGREEMENT: &[Step] = &[
    s("draft", "consulting", E),
    s("consulting", "draft", E),
    s("consulting", "referred_pm", A),
    s("consulting", "approved", A),
    s("consulting", "refused", A),
    s("referred_pm", "approved", A),
    s("referred_pm", "refused", A),
    s("approved", "signed", E),
    s("signed", "in_force", E),
    s("in_force", "amended", A),
    s("in_force", "renewed", A),
    s("in_force", "suspended", A),
    s("in_force", "expired", E),
    s("in_force", "terminated", A),
    s("amended", "amended", A),
    s("amended", "renewed", A),
    s("amended", "suspended", A),
    s("amended", "expired", E),
    s("amended", "terminated", A),
    s("renewed", "amended", A),
    s("renewed", "renewed", A),
    s("renewed", "suspended", A),
    s("renewed", "expired", E),
    s("renewed", "terminated", A),
    s("suspended", "in_force", A),
    s("suspended", "terminated", A),
];

const ABTC: &[Step] = &[
    s("applied", "checked", E),
    s("applied", "refused", A),
    s("checked", "approved", A),
    s("checked", "refused", A),
    s("approved", "issued", E),
];

/// Aid: foreign NGO aid (NĐ 80/2020/NĐ-CP, NĐ 313/2025/NĐ-CP) and ODA
/// (NĐ 242/2025/NĐ-CP) alike: pledged and being mobilised (`proposed`),
/// appraised within its period with the opinions asked, approved (or
/// not), started (`active`), closed (`completed`). ODA's appraisal is
/// longer and its bodies differ by scale; the period is the same setting
/// (`aid_appraisal_days`), each opinion carrying its own due date. Aid withdrawn before its appraisal is the editor's to
/// record; an approval revoked (not started within 6 months, NĐ 80) the
/// approver's.
const AID: &[Step] = &[
    s("proposed", "appraisal", E),
    s("proposed", "cancelled", E),
    s("appraisal", "approved", A),
    s("appraisal", "cancelled", A),
    s("approved", "active", E),
    s("approved", "cancelled", A),
    s("active", "completed", E),
];

/// A conference permit: the dossier received, the bodies consulted, the
/// dossier submitted to the one who permits (the chairman or, through him,
/// the Prime Minister), the decision, the event and its report.
const CONFERENCE: &[Step] = &[
    s("filed", "consulting", E),
    s("filed", "submitted", E),
    s("filed", "cancelled", E),
    s("consulting", "submitted", E),
    s("consulting", "cancelled", E),
    s("submitted", "permitted", A),
    s("submitted", "refused", A),
    s("submitted", "cancelled", E),
    s("permitted", "held", E),
    s("permitted", "cancelled", E),
    s("held", "reported", E),
];

/// A consular case: reported, verified, worked on, resolved; an approver
/// closes it (the file is then archived).
const CONSULAR: &[Step] = &[
    s("opened", "verifying", E),
    s("opened", "handling", E),
    s("verifying", "handling", E),
    s("verifying", "closed", A),
    s("handling", "resolved", E),
    s("resolved", "handling", E),
    s("resolved", "closed", A),
];

impl Machine {
    /// The machine of a record of type `rt` with body `body`, if it has one.
    pub fn of(rt: RecordType, body: &Value) -> Option<Machine> {
        let field = |k: &str| body.get(k).and_then(Value::as_str);
        match rt {
            RecordType::Delegation => match field("direction") {
                Some("outbound") => Some(Machine::OutboundDelegation),
                Some("inbound") => Some(Machine::InboundDelegation),
                _ => None,
            },
            RecordType::Agreement => Some(Machine::Agreement),
            RecordType::AbtcApproval => Some(Machine::Abtc),
            RecordType::Project if matches!(field("kind"), Some("ngo_aid" | "oda")) => {
                Some(Machine::Aid)
            }
            RecordType::ConferencePermit => Some(Machine::Conference),
            RecordType::ConsularCase => Some(Machine::Consular),
            _ => None,
        }
    }

    pub fn steps(self) -> &'static [Step] {
        match self {
            Machine::OutboundDelegation => OUTBOUND,
            Machine::InboundDelegation => INBOUND,
            Machine::Agreement => AGREEMENT,
            Machine::Abtc => ABTC,
            Machine::Aid => AID,
            Machine::Conference => CONFERENCE,
            Machine::Consular => CONSULAR,
        }
    }

    /// Every state, in the order of the machine.
    pub fn states(self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for st in self.steps() {
            for x in [st.from, st.to] {
                if !out.contains(&x) {
                    out.push(x);
                }
            }
        }
        out
    }

    pub fn initial(self) -> &'static str {
        self.steps()[0].from
    }

    /// The steps out of `from`.
    pub fn next(self, from: &str) -> impl Iterator<Item = &'static Step> {
        self.steps().iter().filter(move |st| st.from == from)
    }

    /// The steps out of `from` that `actor` may take on a record of `org_id`.
    pub fn allowed(self, from: &str, actor: &Actor, org_id: i64) -> Vec<&'static Step> {
        self.next(from)
            .filter(|st| check_actor(st, actor, org_id).is_ok())
            .collect()
    }
}

/// Whether records of `rt` have a workflow (some of them: projects only
/// when they are foreign NGO aid).
pub fn has_workflow(rt: RecordType) -> bool {
    matches!(
        rt,
        RecordType::Delegation
            | RecordType::Agreement
            | RecordType::AbtcApproval
            | RecordType::Project
            | RecordType::ConferencePermit
            | RecordType::ConsularCase
    )
}

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The record has no workflow.
    NoWorkflow,
    /// The machine has no step from the current state to the one asked.
    NotFromHere,
    /// Only users of the organisation that owns the record move it on.
    NotOwner,
    /// The step needs an approver (or an administrator).
    NeedsApprover,
    /// The step needs an editor, approver or administrator.
    NeedsEditor,
    /// The ABTC applicant or enterprise has not the months the rule asks.
    AbtcMonths,
}

impl Refusal {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Refusal::NoWorkflow => lang.pick(
                "Loại hồ sơ này không có quy trình chuyển trạng thái.",
                "This kind of record has no workflow.",
            ),
            Refusal::NotFromHere => lang.pick(
                "Không thể chuyển hồ sơ sang trạng thái này từ trạng thái hiện tại.",
                "The record cannot move to that state from its current state.",
            ),
            Refusal::NotOwner => lang.pick(
                "Chỉ người dùng của cơ quan quản lý hồ sơ mới được chuyển trạng thái.",
                "Only users of the organisation that owns the record may change its state.",
            ),
            Refusal::NeedsApprover => lang.pick(
                "Bước này cần người có quyền phê duyệt (người phê duyệt hoặc quản trị viên).",
                "This step needs an approver or an administrator.",
            ),
            Refusal::NeedsEditor => lang.pick(
                "Tài khoản chỉ có quyền xem, không được chuyển trạng thái hồ sơ.",
                "This account may only read; it cannot change a record's state.",
            ),
            Refusal::AbtcMonths => lang.pick(
                "Doanh nghiệp và người đề nghị phải có đủ số tháng hoạt động, làm việc theo quy định (mặc định 12 tháng).",
                "The enterprise and the applicant must each have the months the rule asks (12 by default).",
            ),
        }
    }
}

fn check_actor(st: &Step, actor: &Actor, org_id: i64) -> Result<(), Refusal> {
    if actor.org_id != org_id {
        return Err(Refusal::NotOwner);
    }
    if actor.role < st.role {
        return Err(if st.role == Role::Approver {
            Refusal::NeedsApprover
        } else {
            Refusal::NeedsEditor
        });
    }
    Ok(())
}

/// What a step writes: the new body (status and dated fields) and the step
/// itself, for the audit row.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub body: Value,
    pub from: String,
    pub to: String,
}

/// Check that `actor` may move the record (type `rt`, organisation
/// `org_id`, body `body`) to `to` on `today`, and return the body to write.
/// The day a step is taken and what its deadlines are counted with.
#[derive(Debug, Clone, Copy)]
pub struct When<'a> {
    pub today: Date,
    pub calendar: &'a Calendar,
    pub settings: &'a Settings,
}

pub fn plan(
    rt: RecordType,
    org_id: i64,
    body: &Value,
    to: &str,
    actor: &Actor,
    when: When<'_>,
) -> Result<Planned, Refusal> {
    plan_with(rt, org_id, body, to, actor, when, StepInput::default())
}

/// [`plan`] with what the user gave besides the target: the act it
/// records (an agreement's) carries the note and the decision's number.
pub fn plan_with(
    rt: RecordType,
    org_id: i64,
    body: &Value,
    to: &str,
    actor: &Actor,
    when: When<'_>,
    input: StepInput<'_>,
) -> Result<Planned, Refusal> {
    let When {
        today,
        calendar: cal,
        settings,
    } = when;
    let machine = Machine::of(rt, body).ok_or(Refusal::NoWorkflow)?;
    let from = body
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or(machine.initial())
        .to_owned();
    // Who asks comes before what is asked: a user of another organisation
    // learns nothing about the record's state from the reason.
    if actor.org_id != org_id {
        return Err(Refusal::NotOwner);
    }
    if !actor.role.can_write() {
        return Err(Refusal::NeedsEditor);
    }
    let step = machine
        .next(&from)
        .find(|st| st.to == to)
        .ok_or(Refusal::NotFromHere)?;
    check_actor(step, actor, org_id)?;
    let mut out = body.as_object().cloned().unwrap_or_default();
    out.insert("status".into(), Value::String(to.into()));
    let day = format_date(today);
    let set_if_absent = |o: &mut Map<String, Value>, k: &str, v: &str| {
        if o.get(k).is_none_or(Value::is_null) {
            o.insert(k.into(), Value::String(v.into()));
        }
    };
    match (machine, to) {
        (Machine::OutboundDelegation, "submitted") => {
            out.insert("submitted_on".into(), day.clone().into());
        }
        (Machine::OutboundDelegation, "approved" | "rejected")
        | (Machine::InboundDelegation, "confirmed") => {
            out.insert("decided_on".into(), day.clone().into());
        }
        (Machine::OutboundDelegation, "returned") => {
            out.insert("returned_on".into(), day.clone().into());
            let due = settings.delegation_report_counting.add(
                cal,
                today,
                settings.delegation_report_days,
            );
            out.insert("report_due".into(), format_date(due).into());
        }
        (Machine::InboundDelegation, "received") => {
            out.insert("returned_on".into(), day.clone().into());
            let due = settings.delegation_report_counting.add(
                cal,
                today,
                settings.delegation_report_days,
            );
            out.insert("report_due".into(), format_date(due).into());
        }
        (Machine::OutboundDelegation | Machine::InboundDelegation, "reported") => {
            out.insert("reported_on".into(), day.clone().into());
        }
        (Machine::Agreement, "signed") => {
            set_if_absent(&mut out, "signed_on", &day);
            let signed = out
                .get("signed_on")
                .and_then(Value::as_str)
                .and_then(parse_date)
                .unwrap_or(today);
            // Only the levels that report to the Prime Minister get the
            // deadline (the others report to the provincial chairman).
            if settings.agreement_report_pm_levels.owe(&out) {
                let due = settings.agreement_report_counting.add(
                    cal,
                    signed,
                    settings.agreement_report_days,
                );
                out.insert("report_due".into(), format_date(due).into());
            }
        }
        (Machine::Agreement, "in_force") => {
            set_if_absent(&mut out, "valid_from", &day);
            if from == "suspended" {
                push_action(&mut out, "resumed", &day, input);
            }
        }
        (Machine::Agreement, "approved" | "refused") => {
            set_if_absent(&mut out, "permission_decision_on", &day);
            if let Some(n) = input.decision_number {
                set_if_absent(&mut out, "permission_decision_number", n);
            }
            push_action(&mut out, to, &day, input);
        }
        (Machine::Agreement, "referred_pm") => {
            out.insert("referred_pm_on".into(), day.clone().into());
            push_action(&mut out, to, &day, input);
        }
        (Machine::Agreement, "amended" | "renewed" | "suspended" | "terminated") => {
            push_action(&mut out, to, &day, input);
        }
        (Machine::Abtc, "checked") => {
            let months = |k: &str| out.get(k).and_then(Value::as_u64);
            let min = u64::from(settings.abtc_min_months);
            if months("enterprise_months").is_none_or(|m| m < min)
                || months("applicant_months").is_none_or(|m| m < min)
            {
                return Err(Refusal::AbtcMonths);
            }
        }
        (Machine::Abtc, "approved" | "refused") => set_if_absent(&mut out, "decision_on", &day),
        (Machine::Abtc, "issued") => {
            set_if_absent(&mut out, "card_issued_on", &day);
            let issued = out
                .get("card_issued_on")
                .and_then(Value::as_str)
                .and_then(parse_date)
                .unwrap_or(today);
            out.insert(
                "card_expires_on".into(),
                format_date(card_expiry(issued, settings)).into(),
            );
        }
        (Machine::Aid, "approved") => set_if_absent(&mut out, "approved_on", &day),
        (Machine::Conference, "submitted") => set_if_absent(&mut out, "submitted_on", &day),
        (Machine::Conference, "permitted" | "refused") => {
            set_if_absent(&mut out, "decided_on", &day);
        }
        (Machine::Conference, "held") => {
            let closed = out
                .get("end_on")
                .or_else(|| out.get("start_on"))
                .and_then(Value::as_str)
                .and_then(parse_date)
                .filter(|d| *d <= today)
                .unwrap_or(today);
            let due = settings.conference_report_counting.add(
                cal,
                closed,
                settings.conference_report_days,
            );
            out.insert("report_due".into(), format_date(due).into());
        }
        (Machine::Conference, "reported") => set_if_absent(&mut out, "reported_on", &day),
        (Machine::Consular, "resolved") => {
            out.insert("resolved_on".into(), day.clone().into());
        }
        (Machine::Consular, "closed") => set_if_absent(&mut out, "closed_on", &day),
        (Machine::Aid, "appraisal") => {
            set_if_absent(&mut out, "appraisal_started_on", &day);
            let started = out
                .get("appraisal_started_on")
                .and_then(Value::as_str)
                .and_then(parse_date)
                .unwrap_or(today);
            let due =
                settings
                    .aid_appraisal_counting
                    .add(cal, started, settings.aid_appraisal_days);
            out.insert("appraisal_due".into(), format_date(due).into());
        }
        (Machine::Aid, "active") => set_if_absent(&mut out, "period_from", &day),
        _ => {}
    }
    Ok(Planned {
        body: Value::Object(out),
        from,
        to: to.into(),
    })
}

/// Append a dated act (`kind`) to an agreement's `actions`.
fn push_action(out: &mut Map<String, Value>, kind: &str, day: &str, input: StepInput<'_>) {
    let mut act = Map::new();
    act.insert("kind".into(), kind.into());
    act.insert("on".into(), day.into());
    for (key, given) in [
        ("decision_number", input.decision_number),
        ("note", input.note),
    ] {
        if let Some(v) = given.map(str::trim).filter(|v| !v.is_empty()) {
            act.insert(key.into(), v.into());
        }
    }
    match out.get_mut("actions").and_then(Value::as_array_mut) {
        Some(list) => list.push(Value::Object(act)),
        None => {
            out.insert("actions".into(), Value::Array(vec![Value::Object(act)]));
        }
    }
}

/// The dated field a decision step fills in: the day the approver decided.
/// A record entered directly in a state past a decision must give it.
fn decision_date(machine: Machine, to: &str) -> Option<&'static str> {
    match (machine, to) {
        (Machine::OutboundDelegation, "approved" | "rejected")
        | (Machine::InboundDelegation, "confirmed") => Some("decided_on"),
        (Machine::Abtc, "approved" | "refused") => Some("decision_on"),
        (Machine::Aid, "approved") => Some("approved_on"),
        (Machine::Conference, "permitted" | "refused") => Some("decided_on"),
        _ => None,
    }
}

/// What entering a record directly in a state asks of the one who enters
/// it: the least role that could have taken every step to that state (on
/// the cheapest way there), and the decision dates those steps set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub role: Role,
    pub dates: Vec<&'static str>,
}

/// [`Entry`] for `status` on `machine`. A state the machine does not reach
/// from its first (a project `suspended`, say) asks for an approver.
pub fn entry(machine: Machine, status: &str) -> Entry {
    if status == machine.initial() {
        return Entry {
            role: Role::Editor,
            dates: Vec::new(),
        };
    }
    // Every way from the first state without passing a state twice; the
    // machines have at most a dozen steps, so this is a handful of paths.
    fn walk<'a>(
        m: Machine,
        at: &'a str,
        goal: &str,
        seen: &mut Vec<&'a str>,
        path: &mut Vec<&'static Step>,
        best: &mut Option<(Role, usize, Vec<&'static Step>)>,
    ) where
        'static: 'a,
    {
        if at == goal {
            let role = path.iter().map(|st| st.role).max().unwrap_or(Role::Editor);
            let better = best
                .as_ref()
                .is_none_or(|(r, n, _)| (role, path.len()) < (*r, *n));
            if better {
                *best = Some((role, path.len(), path.clone()));
            }
            return;
        }
        for st in m.next(at) {
            if seen.contains(&st.to) {
                continue;
            }
            seen.push(st.to);
            path.push(st);
            walk(m, st.to, goal, seen, path, best);
            path.pop();
            seen.pop();
        }
    }
    let mut best = None;
    let start = machine.initial();
    walk(
        machine,
        start,
        status,
        &mut vec![start],
        &mut Vec::new(),
        &mut best,
    );
    match best {
        Some((role, _, path)) => {
            let mut dates: Vec<&'static str> = Vec::new();
            for st in path {
                if let Some(d) = decision_date(machine, st.to)
                    && !dates.contains(&d)
                {
                    dates.push(d);
                }
            }
            Entry { role, dates }
        }
        None => Entry {
            role: Role::Approver,
            dates: Vec::new(),
        },
    }
}

/// Check a new record of type `rt` (its body as `prepare` normalised it)
/// entered by a user of `role`. A new record starts in its machine's first
/// state; one entered in a later state (a delegation of last year,
/// already reported) is a record of steps taken, so it needs the role that
/// could take them, and the dates of the decisions among them. Without this
/// an editor could create a delegation already `approved` and skip the
/// approver.
pub fn check_entry(rt: RecordType, body: &Value, role: Role) -> Result<(), Invalid> {
    let Some(machine) = Machine::of(rt, body) else {
        return Ok(());
    };
    let status = body
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or(machine.initial());
    let need = entry(machine, status);
    if role < need.role {
        return Err(Invalid::one(
            "status",
            Problem::Invalid {
                vi: format!(
                    "Hồ sơ mới bắt đầu ở trạng thái đầu của quy trình ({}). Chỉ người phê duyệt hoặc quản trị viên được nhập hồ sơ đã qua bước phê duyệt (trạng thái {status}).",
                    machine.initial()
                ),
                en: format!(
                    "A new record starts in the workflow's first state ({}). Only an approver or an administrator may enter a record already past the approval (status {status}).",
                    machine.initial()
                ),
            },
        ));
    }
    let given = |k: &str| {
        body.get(k)
            .is_some_and(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
    };
    // A register of past years often names the decision by its number
    // ("1125/QĐ-UBND") and not its date; the number identifies it as well,
    // where the record has one (delegations, ABTC approvals).
    let number = match rt {
        RecordType::Delegation | RecordType::AbtcApproval | RecordType::ConferencePermit => {
            Some("decision_number")
        }
        _ => None,
    };
    let missing: Vec<_> = need
        .dates
        .iter()
        .filter(|d| !given(d) && number.is_none_or(|n| !given(n)))
        .map(|d| {
            let (vi, en) = match number {
                Some(n) => (
                    format!("cần ngày quyết định ({d}) hoặc số quyết định ({n})"),
                    format!("give the decision's date ({d}) or its number ({n})"),
                ),
                None => (
                    format!("cần ngày quyết định ({d})"),
                    format!("give the decision's date ({d})"),
                ),
            };
            crate::error::FieldError::new(
                *d,
                Problem::Invalid {
                    vi: format!("Hồ sơ nhập ở trạng thái {status} đã qua bước quyết định: {vi}."),
                    en: format!("A record entered as {status} has been through a decision: {en}."),
                },
            )
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Invalid(missing))
    }
}

/// The deadlines a step would have computed, for a record entered directly
/// in a later state with the step's date given but not the deadline: the
/// report due after a delegation's return and after an agreement's
/// signing, and an issued card's expiry.
pub fn fill_derived(rt: RecordType, body: &mut Value, cal: &Calendar, settings: &Settings) {
    let Some(machine) = Machine::of(rt, body) else {
        return;
    };
    let Some(o) = body.as_object_mut() else {
        return;
    };
    let status = o
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let date =
        |o: &Map<String, Value>, k: &str| o.get(k).and_then(Value::as_str).and_then(parse_date);
    let absent = |o: &Map<String, Value>, k: &str| o.get(k).is_none_or(Value::is_null);
    let past = |s: &str| {
        let states = machine.states();
        let pos = |x: &str| states.iter().position(|y| *y == x);
        matches!((pos(&status), pos(s)), (Some(a), Some(b)) if a >= b) && status != "cancelled"
    };
    match machine {
        Machine::OutboundDelegation | Machine::InboundDelegation => {
            let back = if machine == Machine::OutboundDelegation {
                "returned"
            } else {
                "received"
            };
            if past(back)
                && absent(o, "report_due")
                && let Some(d) = date(o, "returned_on")
            {
                let due = settings.delegation_report_counting.add(
                    cal,
                    d,
                    settings.delegation_report_days,
                );
                o.insert("report_due".into(), format_date(due).into());
            }
        }
        Machine::Agreement => {
            if past("signed")
                && settings.agreement_report_pm_levels.owe(o)
                && absent(o, "report_due")
                && let Some(d) = date(o, "signed_on")
            {
                let due =
                    settings
                        .agreement_report_counting
                        .add(cal, d, settings.agreement_report_days);
                o.insert("report_due".into(), format_date(due).into());
            }
        }
        Machine::Abtc => {
            if status == "issued"
                && absent(o, "card_expires_on")
                && let Some(d) = date(o, "card_issued_on")
            {
                o.insert(
                    "card_expires_on".into(),
                    format_date(card_expiry(d, settings)).into(),
                );
            }
        }
        Machine::Conference => {
            if past("held")
                && absent(o, "report_due")
                && let Some(d) = date(o, "end_on").or_else(|| date(o, "start_on"))
            {
                let due = settings.conference_report_counting.add(
                    cal,
                    d,
                    settings.conference_report_days,
                );
                o.insert("report_due".into(), format_date(due).into());
            }
        }
        Machine::Consular => {}
        Machine::Aid => {
            if status == "appraisal"
                && absent(o, "appraisal_due")
                && let Some(d) = date(o, "appraisal_started_on")
            {
                let due = settings
                    .aid_appraisal_counting
                    .add(cal, d, settings.aid_appraisal_days);
                o.insert("appraisal_due".into(), format_date(due).into());
            }
        }
    }
}

/// When a card issued on `issued` expires.
fn card_expiry(issued: Date, settings: &Settings) -> Date {
    let years = settings.abtc_validity_years as i32;
    // A card issued on 29 February ends on 28 February of a common year.
    issued
        .replace_year(issued.year() + years)
        .or_else(|_| Date::from_calendar_date(issued.year() + years, time::Month::February, 28))
        .unwrap_or(issued)
}

/// Refuse an edit that changes the status of a record with a workflow: its
/// state changes only through [`plan`], which checks the role and writes
/// the dated fields. (A record entered in a later state is checked by
/// [`check_entry`].)
pub fn check_edit(rt: RecordType, before: &Value, after: &Value) -> Result<(), Invalid> {
    if Machine::of(rt, before).is_some() && before.get("status") != after.get("status") {
        return Err(Invalid::one(
            "status",
            Problem::Invalid {
                vi: "Trạng thái chỉ thay đổi qua các bước của quy trình (các nút chuyển bước trên trang hồ sơ).".into(),
                en: "The status changes only through the workflow's steps (the step buttons on the record's page).".into(),
            },
        ));
    }
    Ok(())
}

/// A deadline on a record, for its page, the inbox and reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// `report` (a trip's report), `report_pm` (an agreement's report to
    /// the Prime Minister and copy to the Ministry), `answer` (a consulted
    /// body's answer, or an opinion on an aid appraisal), `pm_answer` (the
    /// Prime Minister's on a disagreement referred to him), `appraisal`
    /// (an aid dossier's) or `aid_report` (an aid project's periodic report).
    pub what: &'static str,
    pub due: Date,
    pub overdue: bool,
    /// For an answer: the body consulted, unless it is the Ministry.
    pub body: Option<String>,
}

impl Deadline {
    /// Whether it waits for someone else's answer (not a report the
    /// office owes).
    pub fn awaits_answer(&self) -> bool {
        matches!(self.what, "answer" | "pm_answer")
    }

    pub fn label(&self, lang: Lang) -> String {
        match (self.what, &self.body) {
            ("answer", Some(body)) => match lang {
                Lang::Vi => format!("Hạn {body} trả lời ý kiến"),
                Lang::En => format!("Answer of {body} due"),
            },
            _ => self.fixed_label(lang).to_owned(),
        }
    }

    fn fixed_label(&self, lang: Lang) -> &'static str {
        match self.what {
            "report" => lang.pick("Hạn báo cáo kết quả chuyến đi", "Trip report due"),
            "conference_report" => lang.pick(
                "Hạn báo cáo kết quả hội nghị, hội thảo",
                "Conference results report due",
            ),
            "answer" => lang.pick(
                "Hạn Bộ Ngoại giao trả lời ý kiến",
                "The Ministry's answer due",
            ),
            "appraisal" => lang.pick("Hạn thẩm định hồ sơ viện trợ", "Aid appraisal due"),
            "aid_report" => lang.pick(
                "Hạn báo cáo định kỳ tình hình thực hiện viện trợ",
                "Periodic aid report due",
            ),
            "pm_answer" => lang.pick(
                "Hạn Thủ tướng Chính phủ cho ý kiến về nội dung còn ý kiến khác nhau",
                "The Prime Minister's answer on the disagreement due",
            ),
            _ => lang.pick(
                "Hạn báo cáo Thủ tướng và gửi bản sao cho Bộ Ngoại giao",
                "Report to the Prime Minister and copy to the Ministry due",
            ),
        }
    }
}

/// The open deadline of a record on `today`, if it has one: a report not
/// yet made. Overdue once `today` is past the due date.
pub fn deadline(rt: RecordType, body: &Value, today: Date) -> Option<Deadline> {
    let machine = Machine::of(rt, body)?;
    let status = body.get("status").and_then(Value::as_str)?;
    let due = body
        .get("report_due")
        .and_then(Value::as_str)
        .and_then(parse_date)?;
    let what = match (machine, status) {
        (Machine::OutboundDelegation, "returned") | (Machine::InboundDelegation, "received") => {
            "report"
        }
        (Machine::Agreement, "signed" | "in_force" | "amended" | "renewed" | "suspended")
            if body.get("reported_pm_on").is_none_or(Value::is_null) =>
        {
            "report_pm"
        }
        (Machine::Conference, "held") => "conference_report",
        _ => return None,
    };
    Some(Deadline {
        what,
        due,
        overdue: today > due,
        body: None,
    })
}

/// Every open deadline of a record on `today`: its report (see
/// [`deadline`]) and, for an agreement under consultation, the answer of
/// each body consulted and not yet answered: the Ministry's due
/// `ministry_answer_days` after it was asked, any other body's
/// `consultation_answer_days`. Computed when
/// read, so a changed period or an added holiday applies at once.
pub fn deadlines(rt: RecordType, body: &Value, when: When<'_>) -> Vec<Deadline> {
    let mut out: Vec<Deadline> = deadline(rt, body, when.today).into_iter().collect();
    if rt == RecordType::Agreement {
        // A level that reports to the provincial chairman owes the Prime
        // Minister nothing, even with a due date entered.
        let owes = body
            .as_object()
            .is_some_and(|o| when.settings.agreement_report_pm_levels.owe(o));
        out.retain(|d| d.what != "report_pm" || owes);
        if body.get("status").and_then(Value::as_str) == Some("referred_pm")
            && let Some(on) = body
                .get("referred_pm_on")
                .and_then(Value::as_str)
                .and_then(parse_date)
        {
            let due = when.settings.pm_referral_counting.add(
                when.calendar,
                on,
                when.settings.pm_referral_days,
            );
            out.push(Deadline {
                what: "pm_answer",
                due,
                overdue: when.today > due,
                body: None,
            });
        }
    }
    if rt == RecordType::Project {
        out.extend(aid_deadlines(body, when));
    }
    // Each consulted body not yet answered: on an agreement, the Ministry
    // has its period and every other body the consulted bodies' one (NĐ
    // 64/2021/NĐ-CP); on a conference, every body the same (QĐ 06/2020).
    let consulting = body.get("status").and_then(Value::as_str) == Some("consulting");
    if consulting && matches!(rt, RecordType::Agreement | RecordType::ConferencePermit) {
        let st = when.settings;
        for c in body
            .get("consultations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let asked = c
                .get("asked_on")
                .and_then(Value::as_str)
                .and_then(parse_date);
            let answered = c.get("answered_on").is_some_and(|v| !v.is_null());
            let (Some(asked), false) = (asked, answered) else {
                continue;
            };
            let ministry = rt == RecordType::Agreement
                && c.get("ministry").and_then(Value::as_bool) == Some(true);
            let (days, counting) = match rt {
                RecordType::ConferencePermit => {
                    (st.conference_answer_days, st.conference_answer_counting)
                }
                _ if ministry => (st.ministry_answer_days, st.ministry_answer_counting),
                _ => (st.consultation_answer_days, st.consultation_answer_counting),
            };
            let due = counting.add(when.calendar, asked, days);
            let body = (!ministry)
                .then(|| c.get("body").and_then(Value::as_str).map(str::to_owned))
                .flatten();
            out.push(Deadline {
                what: "answer",
                due,
                overdue: when.today > due,
                body,
            });
        }
    }
    out
}

/// Something about a record the office should know, not a deadline: a
/// conference dossier that came in later than the rule asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The dossier came `days` days before the opening; the rule asks for
    /// `required` (30, or 40 when the Prime Minister permits).
    FiledLate { days: i64, required: u32 },
}

impl Warning {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Warning::FiledLate { days, required } => match lang {
                Lang::Vi => format!(
                    "Hồ sơ nộp muộn: nhận {days} ngày trước ngày khai mạc, quy định yêu cầu ít nhất {required} ngày (Quyết định 06/2020/QĐ-TTg)."
                ),
                Lang::En => format!(
                    "Filed late: the dossier came {days} days before the opening; the rule asks for at least {required} (Decision 06/2020/QĐ-TTg)."
                ),
            },
        }
    }
}

/// The warnings on a record: for a conference permit, a dossier received
/// fewer days before the opening than its authority's lead time. Shown
/// whatever the state, since a late dossier stays late.
pub fn warnings(rt: RecordType, body: &Value, settings: &Settings) -> Vec<Warning> {
    let mut out = Vec::new();
    if rt == RecordType::ConferencePermit {
        let date = |k: &str| body.get(k).and_then(Value::as_str).and_then(parse_date);
        let pm = body.get("authority").and_then(Value::as_str) == Some("prime_minister");
        let required = if pm {
            settings.conference_lead_days_pm
        } else {
            settings.conference_lead_days
        };
        if let (Some(received), Some(start)) = (date("received_on"), date("start_on")) {
            let days = (start - received).whole_days();
            if days < i64::from(required) {
                out.push(Warning::FiledLate { days, required });
            }
        }
    }
    out
}

/// An aid project's deadlines: under appraisal, the appraisal's and each
/// opinion asked and not answered (due when the request says, else with
/// the appraisal); once started, the next periodic report when the
/// project has a reporting cycle.
fn aid_deadlines(body: &Value, when: When<'_>) -> Vec<Deadline> {
    let mut out = Vec::new();
    let kind = body.get("kind").and_then(Value::as_str);
    if !matches!(kind, Some("ngo_aid" | "oda")) {
        return out;
    }
    let date = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).and_then(parse_date);
    let status = body.get("status").and_then(Value::as_str).unwrap_or("");
    let deadline = |what, due: Date, body: Option<String>| Deadline {
        what,
        due,
        overdue: when.today > due,
        body,
    };
    if status == "appraisal" {
        let appraisal_due = date(body, "appraisal_due");
        if let Some(due) = appraisal_due {
            out.push(deadline("appraisal", due, None));
        }
        for o in body
            .get("appraisal_opinions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let answered = o.get("answered_on").is_some_and(|v| !v.is_null());
            let due = date(o, "due_on").or(appraisal_due);
            if let (false, Some(due)) = (answered, due) {
                let name = o.get("body").and_then(Value::as_str).map(str::to_owned);
                out.push(deadline("answer", due, name));
            }
        }
    }
    if status == "active"
        && let Some(cycle) = body
            .get("reporting")
            .and_then(Value::as_str)
            .and_then(crate::records::ReportingCycle::from_code)
    {
        let since = date(body, "reported_through")
            .or_else(|| date(body, "period_from"))
            .or_else(|| date(body, "approved_on"));
        if let Some(since) = since {
            let end = next_period_end(cycle, since);
            let due = when.settings.aid_report_counting.add(
                when.calendar,
                end,
                when.settings.aid_report_days,
            );
            out.push(deadline("aid_report", due, None));
        }
    }
    out
}

/// The end of the first reporting period of `cycle` ending after `day`
/// (a month, a half-year ending 30 June or 31 December, a year).
fn next_period_end(cycle: crate::records::ReportingCycle, day: Date) -> Date {
    use crate::records::ReportingCycle;
    use time::Month;
    let last_of = |year: i32, month: Month| {
        let first_next = match month {
            Month::December => Date::from_calendar_date(year + 1, Month::January, 1),
            m => Date::from_calendar_date(year, m.next(), 1),
        };
        first_next.map_or(day, |d| d - time::Duration::days(1))
    };
    let end = match cycle {
        ReportingCycle::Monthly => last_of(day.year(), day.month()),
        ReportingCycle::SixMonthly if (day.month() as u8) <= 6 => last_of(day.year(), Month::June),
        ReportingCycle::SixMonthly | ReportingCycle::Yearly => last_of(day.year(), Month::December),
    };
    // A period ending on `day` itself has been reported: the next one.
    if end == day {
        next_period_end(cycle, day + time::Duration::days(1))
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::OrgKind;
    use serde_json::json;

    fn actor(role: Role, org_id: i64) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            org_id,
            org_slug: "vinh-long".into(),
            org_kind: OrgKind::Province,
            role,
            consular: false,
        }
    }

    fn day(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    /// What entering a record directly in a state asks: the table of every
    /// machine's states, the least role and the decision dates.
    #[test]
    fn entering_a_record_past_a_decision_needs_the_approver_and_the_date() {
        use Machine::*;
        let rows: &[(Machine, &str, Role, &[&str])] = &[
            (OutboundDelegation, "draft", Role::Editor, &[]),
            (OutboundDelegation, "submitted", Role::Editor, &[]),
            (OutboundDelegation, "cancelled", Role::Editor, &[]),
            (
                OutboundDelegation,
                "approved",
                Role::Approver,
                &["decided_on"],
            ),
            (
                OutboundDelegation,
                "rejected",
                Role::Approver,
                &["decided_on"],
            ),
            (
                OutboundDelegation,
                "reported",
                Role::Approver,
                &["decided_on"],
            ),
            (InboundDelegation, "planned", Role::Editor, &[]),
            (InboundDelegation, "cancelled", Role::Editor, &[]),
            (
                InboundDelegation,
                "received",
                Role::Approver,
                &["decided_on"],
            ),
            (Agreement, "consulting", Role::Editor, &[]),
            (Agreement, "in_force", Role::Approver, &[]),
            (Agreement, "referred_pm", Role::Approver, &[]),
            (Agreement, "refused", Role::Approver, &[]),
            (Agreement, "suspended", Role::Approver, &[]),
            (Agreement, "amended", Role::Approver, &[]),
            (Abtc, "checked", Role::Editor, &[]),
            (Abtc, "refused", Role::Approver, &["decision_on"]),
            (Abtc, "issued", Role::Approver, &["decision_on"]),
            (Aid, "appraisal", Role::Editor, &[]),
            // Withdrawn before its appraisal: the editor records it.
            (Aid, "cancelled", Role::Editor, &[]),
            (Aid, "active", Role::Approver, &["approved_on"]),
            // Not reached by the machine's steps: an approver's to enter.
            (Aid, "suspended", Role::Approver, &[]),
            (Conference, "submitted", Role::Editor, &[]),
            (Conference, "permitted", Role::Approver, &["decided_on"]),
            (Conference, "reported", Role::Approver, &["decided_on"]),
            (Consular, "resolved", Role::Editor, &[]),
            (Consular, "handling", Role::Editor, &[]),
            (Consular, "closed", Role::Approver, &[]),
        ];
        for (m, status, role, dates) in rows {
            let e = entry(*m, status);
            assert_eq!(
                (e.role, e.dates.as_slice()),
                (*role, *dates),
                "{m:?} {status}"
            );
        }
    }

    #[test]
    fn check_entry_names_the_status_or_the_missing_date() {
        let approved = json!({"direction": "outbound", "status": "approved"});
        let e = check_entry(RecordType::Delegation, &approved, Role::Editor).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "status");
        let e = check_entry(RecordType::Delegation, &approved, Role::Approver).unwrap_err();
        assert_eq!(e.0[0].field, "decided_on");
        let dated =
            json!({"direction": "outbound", "status": "approved", "decided_on": "2025-03-02"});
        assert!(check_entry(RecordType::Delegation, &dated, Role::Approver).is_ok());
        // The decision's number identifies it as well as its date.
        let numbered = json!({"direction": "outbound", "status": "reported", "decision_number": "1125/QĐ-UBND"});
        assert!(check_entry(RecordType::Delegation, &numbered, Role::Approver).is_ok());
        let blank = json!({"direction": "outbound", "status": "reported", "decision_number": " "});
        assert!(check_entry(RecordType::Delegation, &blank, Role::Approver).is_err());
        let aid = json!({"kind": "ngo_aid", "status": "completed"});
        let e = check_entry(RecordType::Project, &aid, Role::Admin).unwrap_err();
        assert_eq!(e.0[0].field, "approved_on");
        assert!(check_entry(RecordType::Delegation, &dated, Role::Admin).is_ok());
        let draft = json!({"direction": "outbound", "status": "draft"});
        assert!(check_entry(RecordType::Delegation, &draft, Role::Editor).is_ok());
        // Records without a workflow are not concerned.
        let fdi = json!({"kind": "fdi", "status": "active"});
        assert!(check_entry(RecordType::Project, &fdi, Role::Editor).is_ok());
        let ngo = json!({"kind": "ngo_aid", "status": "active"});
        assert!(check_entry(RecordType::Project, &ngo, Role::Editor).is_err());
    }

    /// QĐ 06/2020/QĐ-TTg: 30 days ahead for the chairman, 40 for the
    /// Prime Minister; the warning names both figures.
    #[test]
    fn a_conference_dossier_filed_late_is_flagged() {
        let s = Settings::default();
        /// Opening, received, authority, the warning expected (days, required).
        type Row<'a> = (&'a str, &'a str, Option<&'a str>, Option<(i64, u32)>);
        let rows: &[Row] = &[
            ("2026-06-01", "2026-05-12", Some("chairman"), Some((20, 30))),
            ("2026-06-01", "2026-05-02", Some("chairman"), None),
            (
                "2026-06-01",
                "2026-05-02",
                Some("prime_minister"),
                Some((30, 40)),
            ),
            ("2026-06-01", "2026-04-22", Some("prime_minister"), None),
            ("2026-06-01", "2026-05-31", None, Some((1, 30))),
        ];
        for (start, received, authority, want) in rows {
            let mut body = json!({"start_on": start, "received_on": received});
            if let Some(a) = authority {
                body["authority"] = json!(a);
            }
            let got = warnings(RecordType::ConferencePermit, &body, &s);
            let want: Vec<Warning> = want
                .iter()
                .map(|(days, required)| Warning::FiledLate {
                    days: *days,
                    required: *required,
                })
                .collect();
            assert_eq!(got, want, "{start} {received} {authority:?}");
        }
        // Without the dossier's date there is nothing to say.
        assert!(
            warnings(
                RecordType::ConferencePermit,
                &json!({"start_on": "2026-06-01"}),
                &s
            )
            .is_empty()
        );
        let w = Warning::FiledLate {
            days: 20,
            required: 30,
        };
        assert!(w.message(Lang::Vi).contains("20 ngày"));
        assert!(w.message(Lang::En).contains("at least 30"));
    }

    #[test]
    fn a_conference_held_owes_its_report_and_consulted_bodies_their_answers() {
        let cal = Calendar::builtin();
        let s = Settings::default();
        let when = |today: &str| When {
            today: day(today),
            calendar: &cal,
            settings: &s,
        };
        let body = json!({"status": "permitted", "start_on": "2026-02-10", "end_on": "2026-02-11"});
        let p = plan(
            RecordType::ConferencePermit,
            7,
            &body,
            "held",
            &actor(Role::Editor, 7),
            when("2026-02-13"),
        )
        .unwrap();
        // 15 calendar days after the close, not after the day it was recorded.
        assert_eq!(p.body["report_due"], "2026-02-26");
        let d = deadlines(RecordType::ConferencePermit, &p.body, when("2026-02-27"));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].what, d[0].overdue), ("conference_report", true));
        let consulting = json!({"status": "consulting", "start_on": "2026-06-01", "consultations": [
            {"body": "Công an tỉnh", "asked_on": "2026-04-01"},
            {"body": "Sở Tư pháp", "asked_on": "2026-04-01", "answered_on": "2026-04-05"},
        ]});
        let d = deadlines(
            RecordType::ConferencePermit,
            &consulting,
            when("2026-04-10"),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due, day("2026-04-16"));
        assert_eq!(d[0].body.as_deref(), Some("Công an tỉnh"));
        assert!(!d[0].overdue);
    }

    #[test]
    fn a_record_entered_past_a_step_gets_the_deadline_the_step_would_set() {
        let cal = Calendar::default();
        let settings = Settings::default();
        let mut agreement = json!({"status": "in_force", "signed_on": "2026-03-06"});
        fill_derived(RecordType::Agreement, &mut agreement, &cal, &settings);
        assert_eq!(agreement["report_due"], "2026-03-21");
        let mut card = json!({"status": "issued", "card_issued_on": "2024-02-29"});
        fill_derived(RecordType::AbtcApproval, &mut card, &cal, &settings);
        assert_eq!(card["card_expires_on"], "2029-02-28");
        // A deadline given is kept; a draft gets none.
        let mut given =
            json!({"status": "signed", "signed_on": "2026-03-06", "report_due": "2026-04-01"});
        fill_derived(RecordType::Agreement, &mut given, &cal, &settings);
        assert_eq!(given["report_due"], "2026-04-01");
        let mut draft = json!({"status": "draft", "signed_on": "2026-03-06"});
        fill_derived(RecordType::Agreement, &mut draft, &cal, &settings);
        assert!(draft.get("report_due").is_none());
    }

    fn try_step(
        rt: RecordType,
        body: Value,
        to: &str,
        role: Role,
        org: i64,
    ) -> Result<Planned, Refusal> {
        plan(
            rt,
            7,
            &body,
            to,
            &actor(role, org),
            When {
                today: day("2026-02-13"),
                calendar: &Calendar::builtin(),
                settings: &Settings::default(),
            },
        )
    }

    /// Every step of every machine: allowed for its least role and above,
    /// refused below it, refused for another organisation, and every pair
    /// of states the machine lacks is refused even to an administrator.
    #[test]
    fn every_step_allowed_and_refused() {
        let cases: [(Machine, RecordType, Value); 7] = [
            (
                Machine::OutboundDelegation,
                RecordType::Delegation,
                json!({"direction": "outbound"}),
            ),
            (
                Machine::InboundDelegation,
                RecordType::Delegation,
                json!({"direction": "inbound"}),
            ),
            (Machine::Agreement, RecordType::Agreement, json!({})),
            (
                Machine::Abtc,
                RecordType::AbtcApproval,
                json!({"enterprise_months": 24, "applicant_months": 12}),
            ),
            (
                Machine::Aid,
                RecordType::Project,
                json!({"kind": "ngo_aid"}),
            ),
            (
                Machine::Conference,
                RecordType::ConferencePermit,
                json!({"start_on": "2026-03-01"}),
            ),
            (Machine::Consular, RecordType::ConsularCase, json!({})),
        ];
        for (m, rt, base) in cases {
            assert_eq!(Machine::of(rt, &base), Some(m));
            for from in m.states() {
                for to in m.states() {
                    let mut body = base.clone();
                    body["status"] = json!(from);
                    let step = m.next(from).find(|st| st.to == to);
                    for role in Role::ALL {
                        let r = try_step(rt, body.clone(), to, role, 7);
                        match step {
                            Some(st) if role >= st.role => {
                                let p = r.unwrap_or_else(|e| {
                                    panic!("{m:?} {from}→{to} {role:?}: {e:?}")
                                });
                                assert_eq!(p.body["status"], json!(to));
                                assert_eq!((p.from.as_str(), p.to.as_str()), (from, to));
                            }
                            Some(st) => {
                                let want = if role == Role::Viewer {
                                    Refusal::NeedsEditor
                                } else if st.role == Role::Approver {
                                    Refusal::NeedsApprover
                                } else {
                                    Refusal::NeedsEditor
                                };
                                assert_eq!(r, Err(want), "{m:?} {from}→{to} {role:?}");
                            }
                            None if role == Role::Viewer => {
                                assert_eq!(r, Err(Refusal::NeedsEditor));
                            }
                            None => assert_eq!(r, Err(Refusal::NotFromHere), "{m:?} {from}→{to}"),
                        }
                    }
                    assert_eq!(
                        try_step(rt, body, to, Role::Admin, 8),
                        Err(Refusal::NotOwner)
                    );
                }
            }
        }
    }

    #[test]
    fn returning_sets_the_report_due_fifteen_working_days_later() {
        let p = try_step(
            RecordType::Delegation,
            json!({"direction": "outbound", "status": "travelling"}),
            "returned",
            Role::Editor,
            7,
        )
        .unwrap();
        assert_eq!(p.body["returned_on"], "2026-02-13");
        // Tết Bính Ngọ (16–20/02/2026) does not count.
        assert_eq!(p.body["report_due"], "2026-03-13");
        let dl = deadline(RecordType::Delegation, &p.body, day("2026-03-13")).unwrap();
        assert!(!dl.overdue);
        let dl = deadline(RecordType::Delegation, &p.body, day("2026-03-14")).unwrap();
        assert!(dl.overdue);
        let mut reported = p.body.clone();
        reported["status"] = json!("reported");
        assert_eq!(
            deadline(RecordType::Delegation, &reported, day("2026-04-01")),
            None
        );
    }

    #[test]
    fn consulted_bodies_answer_within_seven_working_days() {
        let body = json!({"status": "consulting", "consultations": [
            {"body": "Bộ Ngoại giao", "ministry": true, "asked_on": "2026-02-12"},
            {"body": "Sở Tư pháp", "asked_on": "2026-02-12"},
            {"body": "Bộ Ngoại giao", "ministry": true, "asked_on": "2026-01-05", "answered_on": "2026-01-09"}
        ]});
        let cal = Calendar::builtin();
        let settings = Settings::default();
        let when = |d: &str| When {
            today: day(d),
            calendar: &cal,
            settings: &settings,
        };
        // Asked Thursday 12/02/2026: 13/02 is the 1st working day, Tết
        // (16–20/02) does not count, 23–27/02 are the 2nd to 6th, Monday
        // 02/03 the 7th.
        // The Ministry, and the department of justice (any body consulted);
        // not the answer already given.
        let d = deadlines(RecordType::Agreement, &body, when("2026-03-02"));
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            (d[0].what, d[0].due, d[0].overdue, d[0].body.as_deref()),
            ("answer", day("2026-03-02"), false, None)
        );
        assert_eq!(
            (d[1].due, d[1].body.as_deref()),
            (day("2026-03-02"), Some("Sở Tư pháp"))
        );
        assert_eq!(d[0].label(Lang::Vi), "Hạn Bộ Ngoại giao trả lời ý kiến");
        assert_eq!(d[1].label(Lang::Vi), "Hạn Sở Tư pháp trả lời ý kiến");
        assert_eq!(d[1].label(Lang::En), "Answer of Sở Tư pháp due");
        assert!(
            deadlines(RecordType::Agreement, &body, when("2026-03-03"))
                .iter()
                .all(|d| d.overdue)
        );
        // Each body's period is its own setting.
        let longer = Settings {
            consultation_answer_days: 15,
            consultation_answer_counting: DayCount::Calendar,
            ..Settings::default()
        };
        let d = deadlines(
            RecordType::Agreement,
            &body,
            When {
                today: day("2026-03-02"),
                calendar: &cal,
                settings: &longer,
            },
        );
        assert_eq!(d[1].due, day("2026-02-27"));
    }

    #[test]
    fn the_period_is_a_setting() {
        let settings = Settings {
            delegation_report_days: 5,
            ..Settings::default()
        };
        let p = plan(
            RecordType::Delegation,
            7,
            &json!({"direction": "outbound", "status": "travelling"}),
            "returned",
            &actor(Role::Editor, 7),
            When {
                today: day("2026-02-13"),
                calendar: &Calendar::builtin(),
                settings: &settings,
            },
        )
        .unwrap();
        assert_eq!(p.body["report_due"], "2026-02-27");
    }

    #[test]
    fn periods_count_calendar_or_working_days() {
        let cal = Calendar::default();
        let fri = time::macros::date!(2026 - 03 - 06);
        assert_eq!(
            DayCount::Calendar.add(&cal, fri, 15),
            time::macros::date!(2026 - 03 - 21)
        );
        assert_eq!(
            DayCount::Working.add(&cal, fri, 15),
            time::macros::date!(2026 - 03 - 27)
        );
        assert_eq!(DayCount::parse(" Calendar "), Some(DayCount::Calendar));
        assert_eq!(DayCount::parse("working"), Some(DayCount::Working));
        assert_eq!(DayCount::parse("weekdays"), None);
        let d = Settings::default();
        assert_eq!(d.agreement_report_counting, DayCount::Calendar);
        assert_eq!(d.ministry_answer_counting, DayCount::Working);
    }

    #[test]
    fn signing_an_agreement_sets_the_report_due_and_issuing_a_card_its_expiry() {
        let p = try_step(
            RecordType::Agreement,
            json!({"status": "approved", "signed_on": "2026-01-05"}),
            "signed",
            Role::Editor,
            7,
        )
        .unwrap();
        // Monday 05/01/2026 + 15 calendar days (Law 70/2020: "15 ngày").
        assert_eq!(p.body["report_due"], "2026-01-20");
        // Signed on a Friday: still 15 calendar days, a Saturday; in
        // working days it would have been a week later.
        let p = try_step(
            RecordType::Agreement,
            json!({"status": "approved", "signed_on": "2026-03-06"}),
            "signed",
            Role::Editor,
            7,
        )
        .unwrap();
        assert_eq!(p.body["report_due"], "2026-03-21");
        let p = try_step(
            RecordType::AbtcApproval,
            json!({"status": "approved"}),
            "issued",
            Role::Editor,
            7,
        )
        .unwrap();
        assert_eq!(p.body["card_issued_on"], "2026-02-13");
        assert_eq!(p.body["card_expires_on"], "2031-02-13");
    }

    /// The acts on an agreement: each step appends one, dated, with the
    /// decision's number and the note given; the permission's date and
    /// number are kept on the body.
    #[test]
    fn each_act_on_an_agreement_is_a_dated_action() {
        let cal = Calendar::builtin();
        let settings = Settings::default();
        let mut body = json!({"status": "consulting", "vn_level": "province"});
        let acts: &[(&str, &str, Option<&str>, Option<&str>)] = &[
            (
                "referred_pm",
                "referred_pm",
                None,
                Some("Sở Tư pháp không đồng ý"),
            ),
            ("approved", "approved", Some("125/QĐ-UBND"), None),
            ("signed", "", None, None),
            ("in_force", "", None, None),
            (
                "amended",
                "amended",
                Some("20/QĐ-UBND"),
                Some("Bổ sung lĩnh vực"),
            ),
            ("amended", "amended", Some("31/QĐ-UBND"), None),
            ("suspended", "suspended", None, None),
            ("in_force", "resumed", None, None),
            ("renewed", "renewed", Some("44/QĐ-UBND"), None),
            ("terminated", "terminated", None, None),
        ];
        let mut kinds = Vec::new();
        for (to, kind, number, note) in acts {
            let p = plan_with(
                RecordType::Agreement,
                7,
                &body,
                to,
                &actor(Role::Approver, 7),
                When {
                    today: day("2026-02-13"),
                    calendar: &cal,
                    settings: &settings,
                },
                StepInput {
                    note: *note,
                    decision_number: *number,
                },
            )
            .unwrap_or_else(|e| panic!("{to}: {e:?}"));
            body = p.body;
            if !kind.is_empty() {
                kinds.push(*kind);
                let last = body["actions"].as_array().unwrap().last().unwrap().clone();
                assert_eq!(last["kind"], json!(kind), "{to}");
                assert_eq!(last["on"], "2026-02-13");
                assert_eq!(last.get("decision_number").and_then(Value::as_str), *number);
                assert_eq!(last.get("note").and_then(Value::as_str), *note);
            }
        }
        let all: Vec<&str> = body["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["kind"].as_str().unwrap())
            .collect();
        assert_eq!(all, kinds);
        assert_eq!(body["referred_pm_on"], "2026-02-13");
        assert_eq!(body["permission_decision_on"], "2026-02-13");
        assert_eq!(body["permission_decision_number"], "125/QĐ-UBND");
        assert_eq!(body["status"], "terminated");
        // The acts read back as the body's own type.
        let (v, _) = crate::records::prepare(
            RecordType::Agreement,
            &{
                let mut b = body.clone();
                b["title"] = json!("Thỏa thuận");
                b["kind"] = json!("agreement");
                b["partner_ids"] = json!([1]);
                b
            },
            &crate::records::Context {
                allowed_localities: None,
                default_locality: None,
                indicators: &[],
            },
        )
        .unwrap();
        assert_eq!(v["actions"].as_array().unwrap().len(), kinds.len());
        // An editor records what happened, not the acts.
        for to in ["amended", "renewed", "suspended", "terminated"] {
            assert_eq!(
                try_step(
                    RecordType::Agreement,
                    json!({"status": "in_force"}),
                    to,
                    Role::Editor,
                    7
                ),
                Err(Refusal::NeedsApprover),
                "{to}"
            );
        }
    }

    #[test]
    fn a_disagreement_waits_for_the_prime_minister_seven_working_days() {
        let cal = Calendar::builtin();
        let settings = Settings::default();
        let body = json!({"status": "referred_pm", "referred_pm_on": "2026-02-12"});
        let when = |d: &str| When {
            today: day(d),
            calendar: &cal,
            settings: &settings,
        };
        // Thursday 12/02/2026 + 7 working days over Tết: Monday 02/03.
        let d = deadlines(RecordType::Agreement, &body, when("2026-03-02"));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].what, d[0].due, d[0].overdue),
            ("pm_answer", day("2026-03-02"), false)
        );
        assert!(d[0].awaits_answer());
        assert!(d[0].label(Lang::En).contains("Prime Minister"));
        assert!(deadlines(RecordType::Agreement, &body, when("2026-03-03"))[0].overdue);
        // Its period is a setting, counted as it says.
        let calendar_days = Settings {
            pm_referral_days: 10,
            pm_referral_counting: DayCount::Calendar,
            ..Settings::default()
        };
        let d = deadlines(
            RecordType::Agreement,
            &body,
            When {
                today: day("2026-02-13"),
                calendar: &cal,
                settings: &calendar_days,
            },
        );
        assert_eq!(d[0].due, day("2026-02-22"));
        // Decided: nothing awaited.
        let mut approved = body.clone();
        approved["status"] = json!("approved");
        assert!(deadlines(RecordType::Agreement, &approved, when("2026-03-03")).is_empty());
    }

    /// Only the levels that report to the Prime Minister get the deadline
    /// after signing: the province by default (and an agreement whose
    /// level is not given); a department reports to the chairman.
    #[test]
    fn the_report_to_the_prime_minister_is_owed_by_the_levels_set() {
        let cal = Calendar::builtin();
        let sign = |level: Option<&str>, settings: &Settings| {
            let mut body = json!({"status": "approved", "signed_on": "2026-01-05"});
            if let Some(l) = level {
                body["vn_level"] = json!(l);
            }
            let p = plan(
                RecordType::Agreement,
                7,
                &body,
                "signed",
                &actor(Role::Editor, 7),
                When {
                    today: day("2026-01-06"),
                    calendar: &cal,
                    settings,
                },
            )
            .unwrap();
            let due = deadlines(
                RecordType::Agreement,
                &p.body,
                When {
                    today: day("2026-01-06"),
                    calendar: &cal,
                    settings,
                },
            );
            (p.body.get("report_due").cloned(), due.len())
        };
        let d = Settings::default();
        assert_eq!(sign(Some("province"), &d), (Some(json!("2026-01-20")), 1));
        assert_eq!(sign(None, &d), (Some(json!("2026-01-20")), 1));
        for level in [
            "department",
            "former_district",
            "border_commune",
            "provincial_organisation",
        ] {
            assert_eq!(sign(Some(level), &d), (None, 0), "{level}");
        }
        let wider = Settings {
            agreement_report_pm_levels: Levels::parse("province, department").unwrap(),
            ..Settings::default()
        };
        assert_eq!(sign(Some("department"), &wider).1, 1);
        // A due date entered on a level that does not owe it is no deadline.
        let entered =
            json!({"status": "in_force", "vn_level": "border_commune", "report_due": "2026-01-20"});
        assert!(
            deadlines(
                RecordType::Agreement,
                &entered,
                When {
                    today: day("2026-01-06"),
                    calendar: &cal,
                    settings: &d,
                }
            )
            .is_empty()
        );
        let mut filled =
            json!({"status": "in_force", "vn_level": "department", "signed_on": "2026-01-05"});
        fill_derived(RecordType::Agreement, &mut filled, &cal, &d);
        assert!(filled.get("report_due").is_none());
        // The report is still owed while the agreement is amended or suspended.
        let amended = json!({"status": "suspended", "report_due": "2026-01-20"});
        assert_eq!(
            deadline(RecordType::Agreement, &amended, day("2026-02-01")).map(|d| d.overdue),
            Some(true)
        );
    }

    #[test]
    fn levels_read_and_write_as_their_codes() {
        assert_eq!(
            Levels::parse(" province ,border_commune").unwrap().codes(),
            ["province", "border_commune"]
        );
        assert_eq!(Levels::parse("").unwrap(), Levels::default());
        assert_eq!(Levels::parse("province,district"), Err("district".into()));
        let l: Levels = serde_json::from_value(json!(["department"])).unwrap();
        assert_eq!(serde_json::to_value(l).unwrap(), json!(["department"]));
        assert_eq!(
            Settings::default().agreement_report_pm_levels.codes(),
            ["province"]
        );
    }

    /// Aid sent to appraisal gets its due date (20 calendar days); each
    /// opinion asked is due when its request says, else with the
    /// appraisal; started aid owes its periodic report 15 days after each
    /// period, ODA as NGO aid.
    #[test]
    fn aid_is_appraised_within_its_period_and_reports_each_period() {
        let cal = Calendar::builtin();
        let settings = Settings::default();
        let p = try_step(
            RecordType::Project,
            json!({"kind": "ngo_aid", "status": "proposed", "appraisal_opinions": [
                {"body": "Sở Tài chính", "asked_on": "2026-02-13", "due_on": "2026-02-20"},
                {"body": "Công an tỉnh", "asked_on": "2026-02-13"},
                {"body": "Liên hiệp các tổ chức hữu nghị", "asked_on": "2026-02-13", "answered_on": "2026-02-16"}
            ]}),
            "appraisal",
            Role::Editor,
            7,
        )
        .unwrap();
        assert_eq!(p.body["appraisal_started_on"], "2026-02-13");
        // 13/02/2026 + 20 calendar days (Tết counts: "20 ngày").
        assert_eq!(p.body["appraisal_due"], "2026-03-05");
        let when = |d: &str| When {
            today: day(d),
            calendar: &cal,
            settings: &settings,
        };
        let d = deadlines(RecordType::Project, &p.body, when("2026-02-25"));
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.what, d.due, d.overdue, d.body.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("appraisal", day("2026-03-05"), false, None),
                ("answer", day("2026-02-20"), true, Some("Sở Tài chính")),
                ("answer", day("2026-03-05"), false, Some("Công an tỉnh")),
            ]
        );
        assert_eq!(d[0].label(Lang::En), "Aid appraisal due");
        // A record entered under appraisal with its start gets its due date.
        let mut entered =
            json!({"kind": "ngo_aid", "status": "appraisal", "appraisal_started_on": "2026-01-10"});
        fill_derived(RecordType::Project, &mut entered, &cal, &settings);
        assert_eq!(entered["appraisal_due"], "2026-01-30");
        // Started: the period starts, and the reports follow the cycle.
        let p = try_step(
            RecordType::Project,
            json!({"kind": "ngo_aid", "status": "approved", "reporting": "six_monthly"}),
            "active",
            Role::Editor,
            7,
        )
        .unwrap();
        assert_eq!(p.body["period_from"], "2026-02-13");
        let report = |body: &Value, today: &str| {
            deadlines(RecordType::Project, body, when(today))
                .into_iter()
                .find(|d| d.what == "aid_report")
                .map(|d| (d.due, d.overdue))
        };
        assert_eq!(
            report(&p.body, "2026-07-16"),
            Some((day("2026-07-15"), true))
        );
        let mut reported = p.body.clone();
        reported["reported_through"] = json!("2026-06-30");
        assert_eq!(
            report(&reported, "2026-07-16"),
            Some((day("2027-01-15"), false))
        );
        for (cycle, since, due) in [
            ("monthly", "2026-01-31", "2026-03-15"),
            ("monthly", "2026-12-05", "2027-01-15"),
            ("yearly", "2025-12-31", "2027-01-15"),
            ("six_monthly", "2026-07-01", "2027-01-15"),
        ] {
            let oda = json!({"kind": "oda", "status": "active", "reporting": cycle, "reported_through": since});
            assert_eq!(
                report(&oda, "2026-01-01").map(|r| r.0),
                Some(day(due)),
                "{cycle} {since}"
            );
        }
        // No cycle, not started, closed or FDI: no report due.
        for body in [
            json!({"kind": "ngo_aid", "status": "active", "period_from": "2026-01-01"}),
            json!({"kind": "ngo_aid", "status": "approved", "reporting": "yearly", "approved_on": "2026-01-01"}),
            json!({"kind": "ngo_aid", "status": "completed", "reporting": "yearly", "period_from": "2026-01-01"}),
            json!({"kind": "fdi", "status": "active", "reporting": "yearly", "period_from": "2026-01-01"}),
        ] {
            assert!(
                deadlines(RecordType::Project, &body, when("2027-06-01")).is_empty(),
                "{body}"
            );
        }
    }

    #[test]
    fn an_abtc_check_needs_twelve_months_each() {
        let r = try_step(
            RecordType::AbtcApproval,
            json!({"status": "applied", "enterprise_months": 30, "applicant_months": 11}),
            "checked",
            Role::Editor,
            7,
        );
        assert_eq!(r, Err(Refusal::AbtcMonths));
    }

    #[test]
    fn fdi_projects_and_partners_have_no_workflow() {
        let r = try_step(
            RecordType::Project,
            json!({"kind": "fdi", "status": "active"}),
            "completed",
            Role::Admin,
            7,
        );
        assert_eq!(r, Err(Refusal::NoWorkflow));
    }
}
