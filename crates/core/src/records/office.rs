//! The office's own procedures (issue 15): permits for international
//! conferences and seminars (QĐ 06/2020/QĐ-TTg), consular and
//! citizen-protection cases, and the yearly plan or directive the office
//! carries out with its tasks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Consultation, Context, Index, NAME_MAX, NOTES_MAX, RecordBody, TITLE_MAX, check_dates_in_order,
    check_locality, country_words, iso, locality_words, push_search, upper,
};
use crate::error::{Invalid, Problem};
use crate::values::*;

crate::vocab! {
    /// What an international gathering is (QĐ 06/2020/QĐ-TTg Art. 2 names
    /// conferences, seminars, round tables and forums alike).
    pub enum ConferenceKind {
        Conference = "conference",
        Seminar = "seminar",
        Roundtable = "roundtable",
        Forum = "forum",
    }
}

crate::vocab! {
    /// Held in person in the province, online with an end in Vietnam, or both.
    pub enum ConferenceFormat { InPerson = "in_person", Online = "online", Hybrid = "hybrid" }
}

crate::vocab! {
    /// The highest rank among the foreign participants or co-chairs: a head
    /// of state or government or of a parliament, a minister or equivalent,
    /// or below.
    pub enum ForeignRank { HeadOfState = "head_of_state", Minister = "minister", Other = "other" }
}

crate::vocab! {
    /// The topics that take a gathering to the Prime Minister whatever its
    /// participants' rank (QĐ 06/2020/QĐ-TTg Art. 3).
    pub enum SensitiveTopic {
        Sovereignty = "sovereignty",
        Security = "security",
        Defence = "defence",
        Ethnicity = "ethnicity",
        Religion = "religion",
        HumanRights = "human_rights",
        StateSecrets = "state_secrets",
    }
}

crate::vocab! {
    /// Who permits a gathering: the provincial chairman, or the Prime
    /// Minister (ministers or higher taking part, or a sensitive topic).
    pub enum Authority { Chairman = "chairman", PrimeMinister = "prime_minister" }
}

crate::vocab! {
    /// A permit's state (its steps: `workflow`).
    pub enum ConferenceStatus {
        Filed = "filed",
        Consulting = "consulting",
        Submitted = "submitted",
        Permitted = "permitted",
        Refused = "refused",
        Held = "held",
        Reported = "reported",
        Cancelled = "cancelled",
    }
}

crate::vocab! {
    /// What a consular case is about: a citizen of the province abroad in
    /// distress, arrested or detained, deceased, or brought home; or an
    /// incident involving a foreigner in the province.
    pub enum ConsularKind {
        Distress = "distress",
        Arrested = "arrested",
        Deceased = "deceased",
        Repatriated = "repatriated",
        ForeignerIncident = "foreigner_incident",
    }
}

crate::vocab! {
    /// A consular case's state (its steps: `workflow`).
    pub enum ConsularStatus {
        Opened = "opened",
        Verifying = "verifying",
        Handling = "handling",
        Resolved = "resolved",
        Closed = "closed",
    }
}

crate::vocab! {
    /// What is being carried out: the province's yearly foreign-affairs
    /// plan, a Party directive, a resolution, a programme.
    pub enum PlanKind {
        YearlyPlan = "yearly_plan",
        Directive = "directive",
        Resolution = "resolution",
        Programme = "programme",
    }
}

crate::vocab! {
    /// How far a plan's task is.
    pub enum TaskStatus {
        NotStarted = "not_started",
        InProgress = "in_progress",
        Done = "done",
        Dropped = "dropped",
    }
}

default_to! {
    ConferenceFormat => InPerson,
    ConferenceStatus => Filed,
    ConsularStatus => Opened,
    TaskStatus => NotStarted,
}

/// A request to hold an international conference or seminar in the
/// province, from the dossier's arrival to the organiser's report after
/// the event (QĐ 06/2020/QĐ-TTg).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConferencePermit {
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub title: String,
    pub kind: ConferenceKind,
    /// The body that organises it and asks for the permit.
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub organiser: String,
    /// Foreign co-organisers and sponsors (`partners` records).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_ids: Vec<i64>,
    /// The opening day; a register of past years may not know it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_on: Option<Date>,
    #[serde(default)]
    pub format: ConferenceFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub venue: Option<String>,
    /// Countries of the foreign participants (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<crate::codes::CountryCode>", length(max = 100))]
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_participants: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highest_rank: Option<ForeignRank>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 7))]
    pub sensitive_topics: Vec<SensitiveTopic>,
    /// What it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub topics: Option<String>,
    /// Where the money comes from (the state budget, a sponsor …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub funding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Money>,
    /// Who permits it; set by ngoaivu from the rank and the topics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<Authority>,
    /// When the complete dossier came in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_on: Option<Date>,
    /// The bodies asked for their opinion, each due to answer within the
    /// period of `workflow::Settings::conference_answer_days`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    pub consultations: Vec<Consultation>,
    /// When the dossier went to the one who decides (set by the step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_on: Option<Date>,
    /// The decision permitting or refusing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub decision_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
    /// The event held, where it is recorded (`events`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<i64>,
    /// When the organiser's report on the results is due (set when held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_due: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<Date>,
    #[serde(default)]
    pub status: ConferenceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

impl ConferencePermit {
    /// Who permits it: the Prime Minister when a head of state or
    /// government, a minister or an equivalent takes part or co-chairs, or
    /// when it touches a sensitive topic; the provincial chairman otherwise
    /// (QĐ 06/2020/QĐ-TTg Art. 3–4).
    pub fn authority_of(rank: Option<ForeignRank>, sensitive: bool) -> Authority {
        match rank {
            Some(ForeignRank::HeadOfState | ForeignRank::Minister) => Authority::PrimeMinister,
            _ if sensitive => Authority::PrimeMinister,
            _ => Authority::Chairman,
        }
    }
}

impl RecordBody for ConferencePermit {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        upper(&mut self.countries);
        self.countries.dedup();
        self.sensitive_topics.sort();
        self.sensitive_topics.dedup();
        self.authority = Some(ConferencePermit::authority_of(
            self.highest_rank,
            !self.sensitive_topics.is_empty(),
        ));
        check_dates_in_order(("start_on", self.start_on), ("end_on", self.end_on), errs);
        // The dossier comes before the event (it may come late, which the
        // workflow warns of, but not after the opening).
        if let (Some(r), Some(start)) = (self.received_on, self.start_on)
            && r > start
        {
            errs.push(
                "received_on",
                Problem::Invalid {
                    vi: "Ngày nhận hồ sơ sau ngày khai mạc hội nghị: hồ sơ xin phép phải đến trước khi tổ chức.".into(),
                    en: "The dossier is dated after the opening: the request must come before the event.".into(),
                },
            );
        }
        if let (Some(p), Some(f)) = (self.participants, self.foreign_participants)
            && f > p
        {
            errs.push(
                "foreign_participants",
                Problem::Invalid {
                    vi: format!("Số đại biểu nước ngoài ({f}) lớn hơn tổng số đại biểu ({p})."),
                    en: format!("Foreign participants ({f}) exceed all participants ({p})."),
                },
            );
        }
        for (i, c) in self.consultations.iter().enumerate() {
            if let (Some(a), Some(b)) = (c.asked_on, c.answered_on)
                && b < a
            {
                errs.push(
                    format!("consultations[{i}].answered_on"),
                    Problem::DateOrder {
                        earlier_field: "asked_on",
                    },
                );
            }
        }
        if let Some(b) = &self.budget {
            b.check("budget", errs);
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.title.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            status: Some(self.status.code().to_owned()),
            year: self
                .start_on
                .or(self.decided_on)
                .or(self.received_on)
                .map(Date::year),
            date: iso(self.start_on),
            date_end: iso(self.end_on),
            country: self.countries.first().cloned(),
            locality: self.locality.clone(),
            ..Index::default()
        };
        idx.tags
            .extend(self.countries.iter().map(|c| format!("country:{c}")));
        if let Some(a) = self.authority {
            idx.tags.insert(format!("authority:{}", a.code()));
        }
        idx.links
            .extend(self.partner_ids.iter().map(|id| ("partner", *id)));
        if let Some(e) = self.event_id {
            idx.links.push(("event", e));
        }
        let loc = locality_words(self.locality.as_deref());
        let cw: Vec<String> = self.countries.iter().map(|c| country_words(c)).collect();
        push_search(
            &mut idx,
            &[
                Some(&self.title),
                Some(&self.organiser),
                self.venue.as_deref(),
                self.topics.as_deref(),
                self.decision_number.as_deref(),
                Some(&loc),
                self.notes.as_deref(),
            ],
        );
        for w in &cw {
            push_search(&mut idx, &[Some(w)]);
        }
        idx
    }
}

/// The person a consular case is about. Personal data (Nghị định
/// 13/2023/NĐ-CP): kept only with the person's or family's consent noted.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CasePerson {
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1900, max = 2100))]
    pub birth_year: Option<i32>,
    /// Passport or identity document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub document_number: Option<String>,
    /// Home address or commune of origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub home: Option<String>,
    /// Who to reach (family).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub contact: Option<String>,
    /// The person (or the family) agreed to their data being processed.
    #[serde(default)]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_on: Option<Date>,
}

/// One action taken on a case, in its timeline.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseAction {
    pub on: Date,
    #[schemars(length(min = 1, max = NOTES_MAX), regex(pattern = r"\S"))]
    pub action: String,
    /// Who took it (the department, the mission, the police).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub by: Option<String>,
}

/// A consular or citizen-protection case: a citizen of the province in
/// trouble abroad, or an incident involving a foreigner in the province.
/// Its records are read only by users granted consular work, and every
/// read is audited (`access::Actor::may_read`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsularCase {
    pub kind: ConsularKind,
    /// What happened, in a line (the title in lists).
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub incident: String,
    pub person: CasePerson,
    /// The person's nationality (ISO 3166-1 alpha-2): VN for a citizen.
    #[schemars(with = "crate::codes::CountryCode")]
    pub nationality: String,
    /// Where it happened: the country abroad, or VN for a foreigner here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::CountryCode>")]
    pub country: Option<String>,
    /// The Vietnamese mission abroad or the foreign embassy or consulate involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub mission: Option<String>,
    /// Other agencies working on it (police, border guard, hospital …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20), inner(length(min = 1, max = NAME_MAX), regex(pattern = r"\S")))]
    pub agencies: Vec<String>,
    /// When the office learnt of it.
    pub opened_on: Date,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 200))]
    pub actions: Vec<CaseAction>,
    /// When it was resolved and closed (set by the steps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<Date>,
    #[serde(default)]
    pub status: ConsularStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

impl RecordBody for ConsularCase {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        self.nationality.make_ascii_uppercase();
        if let Some(c) = &mut self.country {
            c.make_ascii_uppercase();
        }
        for (i, a) in self.actions.iter().enumerate() {
            if a.on < self.opened_on {
                errs.push(
                    format!("actions[{i}].on"),
                    Problem::DateOrder {
                        earlier_field: "opened_on",
                    },
                );
            }
        }
        self.actions.sort_by_key(|a| a.on);
        check_dates_in_order(
            ("opened_on", Some(self.opened_on)),
            ("resolved_on", self.resolved_on),
            errs,
        );
        check_dates_in_order(
            ("opened_on", Some(self.opened_on)),
            ("closed_on", self.closed_on),
            errs,
        );
        if let Some(y) = self.person.birth_year {
            check_year("person.birth_year", y, 1900..=2100, errs);
        }
        if self.person.consent_on.is_some() && !self.person.consent {
            errs.push(
                "person.consent",
                Problem::Invalid {
                    vi: "Có ngày đồng ý nhưng chưa ghi nhận sự đồng ý xử lý dữ liệu cá nhân."
                        .into(),
                    en: "A consent date is given but the consent is not recorded.".into(),
                },
            );
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.incident.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            status: Some(self.status.code().to_owned()),
            year: Some(self.opened_on.year()),
            date: Some(self.opened_on.iso()),
            date_end: iso(self.closed_on),
            // Figures by nationality read the country column.
            country: Some(self.nationality.clone()),
            locality: self.locality.clone(),
            ..Index::default()
        };
        idx.tags.insert(format!("country:{}", self.nationality));
        if let Some(c) = &self.country {
            idx.tags.insert(format!("where:{c}"));
        }
        let nw = country_words(&self.nationality);
        push_search(
            &mut idx,
            &[
                Some(&self.incident),
                Some(&self.person.name),
                self.person.document_number.as_deref(),
                self.mission.as_deref(),
                Some(&nw),
                self.notes.as_deref(),
            ],
        );
        idx
    }
}

/// One task of a plan: who leads it, by when, what it aims at, how far it
/// is and the records that carry it out.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanTask {
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub title: String,
    /// The lead body (a department, the People's Committee office …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub lead: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<Date>,
    /// What counts as done ("tổ chức 2 đoàn xúc tiến đầu tư").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub target: Option<String>,
    #[serde(default)]
    pub status: TaskStatus,
    /// The delegations, agreements and events that carry it out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub delegation_ids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub agreement_ids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub event_ids: Vec<i64>,
}

/// The province's yearly foreign-affairs plan, or a directive, resolution
/// or programme it carries out, with its tasks.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub kind: PlanKind,
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub title: String,
    /// The year it plans (for a directive: the year it was issued).
    #[schemars(range(min = 1945, max = 2100))]
    pub year: i32,
    /// The document's number and symbol ("38-CT/TW", "125/KH-UBND").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_on: Option<Date>,
    /// Who issued it (the People's Committee, the Politburo …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 300))]
    pub tasks: Vec<PlanTask>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

/// How far a plan is: its tasks done out of those not dropped, and the
/// ones past their due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
}

impl Progress {
    /// Per cent done, rounded down; `None` for a plan without tasks.
    pub fn percent(&self) -> Option<u32> {
        (self.total > 0).then(|| (self.done * 100 / self.total) as u32)
    }
}

impl Plan {
    pub fn progress(&self, today: time::Date) -> Progress {
        let mut p = Progress::default();
        for t in &self.tasks {
            match t.status {
                TaskStatus::Dropped => {}
                TaskStatus::Done => {
                    p.done += 1;
                    p.total += 1;
                }
                _ => {
                    p.total += 1;
                    if t.due_on.is_some_and(|d| d.0 < today) {
                        p.overdue += 1;
                    }
                }
            }
        }
        p
    }
}

/// A year outside `range` is refused by name (the shape check does not
/// read the schema's `minimum`/`maximum`).
fn check_year(field: &str, year: i32, range: std::ops::RangeInclusive<i32>, errs: &mut Invalid) {
    if !range.contains(&year) {
        let (a, b) = (range.start(), range.end());
        errs.push(
            field,
            Problem::Invalid {
                vi: format!("Năm {year} nằm ngoài khoảng {a}–{b}."),
                en: format!("The year {year} is outside {a}–{b}."),
            },
        );
    }
}

impl RecordBody for Plan {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_year("year", self.year, 1945..=2100, errs);
        for (i, t) in self.tasks.iter_mut().enumerate() {
            for ids in [
                &mut t.delegation_ids,
                &mut t.agreement_ids,
                &mut t.event_ids,
            ] {
                ids.sort_unstable();
                ids.dedup();
            }
            if let (Some(issued), Some(due)) = (self.signed_on, t.due_on)
                && due < issued
            {
                errs.push(
                    format!("tasks[{i}].due_on"),
                    Problem::DateOrder {
                        earlier_field: "signed_on",
                    },
                );
            }
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.title.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            year: Some(self.year),
            date: iso(self.signed_on),
            locality: self.locality.clone(),
            ..Index::default()
        };
        for t in &self.tasks {
            idx.links
                .extend(t.delegation_ids.iter().map(|id| ("plan_delegation", *id)));
            idx.links
                .extend(t.agreement_ids.iter().map(|id| ("plan_agreement", *id)));
            idx.links
                .extend(t.event_ids.iter().map(|id| ("plan_event", *id)));
        }
        idx.links.sort_unstable();
        idx.links.dedup();
        push_search(
            &mut idx,
            &[
                Some(&self.title),
                self.reference.as_deref(),
                self.issuer.as_deref(),
                self.notes.as_deref(),
            ],
        );
        for t in &self.tasks {
            push_search(&mut idx, &[Some(&t.title), t.lead.as_deref()]);
        }
        idx
    }
}
