//! Create, edit and delete forms for the nine record types. The service
//! validates; a refused save re-renders the form with each message beside
//! its field and what the user typed kept. Nested parts of a body (a
//! delegation's leader, an amount with its currency, a figure's period) are
//! fields named with a dot (`leader.name`, `budget.amount`) and grouped in a
//! fieldset. Every control works without JavaScript.

use std::str::FromStr;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ngoaivu_core::fold::{fold_vi, vi_sort_key};
use ngoaivu_core::records::{
    ABTC_STATUSES, AGREEMENT_KINDS, AGREEMENT_STATUSES, AID_FORMS, CATALOG_STATUSES,
    ConferenceFormat, ConferenceKind, ConferenceStatus, ConsularKind, ConsularStatus,
    DELEGATION_STATUSES, DIRECTIONS, EVENT_KINDS, ForeignRank, NgoRegistrationKind, OBS_UNITS,
    OVERSEAS_KINDS, PARTNER_KINDS, PROJECT_KINDS, PROJECT_STATUSES, PlanKind, PublicationKind,
    QUALIFIERS, REPORTING_CYCLES, SOURCES, SensitiveTopic, TaskStatus, TrainingKind, VN_LEVELS,
};
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::values::CURRENCIES;
use ngoaivu_core::{FieldError, Lang, OrgKind, Problem, RecordType, Role};
use ngoaivu_http::AppState;
use ngoaivu_store::{ListQuery, SortKey, StoreError};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::kit::error;
use crate::kit::forms::{country_options, form_pairs, form_value, sector_options};
use crate::kit::layout;
use crate::kit::records::{Names, record_title};
use crate::kit::session::{WebUser, is_ministry};
use crate::kit::text::*;

/// What one `;`-separated part of a row is.
#[derive(Clone, Copy)]
enum Cell {
    Text,
    /// `dd/mm/yyyy` (or ISO), sent as ISO.
    Date,
    /// A mark: anything but empty, `không`, `no` or `0` is true.
    Flag,
    /// A number as the user writes it (`50.000`, `370,34`).
    Number,
    /// A code in capitals (`USD`, `JP`).
    Code,
    /// A whole number (`12`); anything else is passed on for the service
    /// to refuse by name.
    Count,
    /// Record numbers separated by commas or spaces (`12, 15`): the
    /// records a plan's task links.
    Ids,
    /// A code of a vocabulary, written as the code or its label in either
    /// language (`done`, `Hoàn thành`); shown as the label.
    Vocab(&'static [&'static str]),
}

const PROGRAMME: &[(&str, Cell)] = &[("date", Cell::Date), ("activity", Cell::Text)];
const CONSULTATIONS: &[(&str, Cell)] = &[
    ("body", Cell::Text),
    ("asked_on", Cell::Date),
    ("answered_on", Cell::Date),
    ("opinion", Cell::Text),
    ("ministry", Cell::Flag),
];
const AGREEMENT_ACTIONS: &[(&str, Cell)] = &[
    ("kind", Cell::Text),
    ("on", Cell::Date),
    ("decision_number", Cell::Text),
    ("note", Cell::Text),
];
const PRECLEARANCE: &[(&str, Cell)] = &[
    ("economy", Cell::Code),
    ("status", Cell::Text),
    ("on", Cell::Date),
];
const TRAINEES: &[(&str, Cell)] = &[("unit", Cell::Text), ("count", Cell::Count)];
const CONFERENCE_CONSULTATIONS: &[(&str, Cell)] = &[
    ("body", Cell::Text),
    ("asked_on", Cell::Date),
    ("answered_on", Cell::Date),
    ("opinion", Cell::Text),
];
const CASE_ACTIONS: &[(&str, Cell)] = &[
    ("on", Cell::Date),
    ("action", Cell::Text),
    ("by", Cell::Text),
];
const PLAN_TASKS: &[(&str, Cell)] = &[
    ("title", Cell::Text),
    ("lead", Cell::Text),
    ("due_on", Cell::Date),
    ("target", Cell::Text),
    ("status", Cell::Vocab(TaskStatus::CODES)),
    ("delegation_ids", Cell::Ids),
    ("agreement_ids", Cell::Ids),
    ("event_ids", Cell::Ids),
];
/// Date, amount and currency first: a line of the earlier disbursements
/// form ("15/03/2024; 50.000; USD") is an actual foreign disbursement.
const TRANSACTIONS: &[(&str, Cell)] = &[
    ("on", Cell::Date),
    ("amount.amount", Cell::Number),
    ("amount.currency", Cell::Code),
    ("kind", Cell::Text),
    ("stage", Cell::Text),
    ("source", Cell::Text),
    ("note", Cell::Text),
];
const APPRAISAL_OPINIONS: &[(&str, Cell)] = &[
    ("body", Cell::Text),
    ("asked_on", Cell::Date),
    ("due_on", Cell::Date),
    ("answered_on", Cell::Date),
    ("opinion", Cell::Text),
];

/// `20/03/2024` → `2024-03-20`; anything else is passed on for the
/// service to refuse by name.
fn date_iso(text: &str) -> String {
    let parts: Vec<&str> = text.split('/').map(str::trim).collect();
    match parts[..] {
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => text.to_owned(),
    }
}

fn rows_value(text: &str, cols: &[(&str, Cell)], lang: Lang) -> Vec<Value> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut obj = Map::new();
            for ((key, cell), part) in cols.iter().zip(line.split(';').map(str::trim)) {
                if part.is_empty() {
                    continue;
                }
                let v = match cell {
                    Cell::Text => Value::from(part),
                    Cell::Date => Value::from(date_iso(part)),
                    Cell::Flag => {
                        let no = matches!(fold_vi(part).as_str(), "khong" | "no" | "0");
                        if no {
                            continue;
                        }
                        Value::Bool(true)
                    }
                    Cell::Number => Value::from(number_input(part, lang)),
                    Cell::Code => Value::from(part.to_uppercase()),
                    Cell::Count => {
                        let digits: String = part.chars().filter(|c| *c != '.').collect();
                        digits
                            .parse::<u64>()
                            .map_or_else(|_| Value::from(part), Value::from)
                    }
                    Cell::Ids => Value::Array(
                        part.split([',', ' '])
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .map(|x| {
                                x.parse::<i64>()
                                    .map_or_else(|_| Value::from(x), Value::from)
                            })
                            .collect(),
                    ),
                    Cell::Vocab(codes) => {
                        let folded = fold_vi(part);
                        let code = codes.iter().find(|c| {
                            fold_vi(c) == folded
                                || fold_vi(value_label(c, Lang::Vi).as_str()) == folded
                                || fold_vi(value_label(c, Lang::En).as_str()) == folded
                        });
                        Value::from(code.copied().unwrap_or(part))
                    }
                };
                match key.split_once('.') {
                    Some((outer, inner)) => {
                        let o = obj
                            .entry(outer.to_owned())
                            .or_insert_with(|| Value::Object(Map::new()));
                        if let Some(m) = o.as_object_mut() {
                            m.insert(inner.to_owned(), v);
                        }
                    }
                    None => {
                        obj.insert((*key).to_owned(), v);
                    }
                }
            }
            Value::Object(obj)
        })
        .collect()
}

fn rows_text(v: &Value, cols: &[(&str, Cell)], lang: Lang) -> String {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let parts: Vec<String> = cols
                .iter()
                .map(|(key, cell)| {
                    let x = key.split('.').try_fold(item, |acc, k| acc.get(k));
                    match (cell, x) {
                        (_, None | Some(Value::Null)) => String::new(),
                        (Cell::Flag, Some(b)) => {
                            if b.as_bool() == Some(true) {
                                "x".into()
                            } else {
                                String::new()
                            }
                        }
                        (Cell::Date, Some(d)) => d.as_str().map(date).unwrap_or_default(),
                        (Cell::Number, Some(n)) => number_json(n, lang).unwrap_or_default(),
                        (Cell::Ids, Some(a)) => a
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|x| x.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                        (Cell::Vocab(_), Some(Value::String(c))) => value_label(c, lang),
                        (_, Some(t)) => t
                            .as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| t.to_string()),
                    }
                })
                .collect();
            let mut line = parts.join("; ");
            while line.ends_with("; ") {
                line.truncate(line.len() - 2);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

enum Input {
    Text,
    Area,
    Date,
    Url,
    /// A whole number (`member_count`, `participants`).
    Int,
    /// A decimal as the user writes it (`1.588`, `370,34`).
    Decimal,
    /// A checkbox: `true` when ticked.
    Check,
    /// People, one a line: `Họ tên; chức vụ`.
    People,
    /// Short texts, one a line (the agencies on a case).
    Lines,
    /// A list of small objects, one a line, fields separated by `;` in the
    /// order given (the workflows' programme, consultations, pre-clearance,
    /// disbursements).
    Rows(&'static [(&'static str, Cell)]),
    Select(Vec<(String, String)>),
    Multi(Vec<(String, String)>),
    /// A reporting period: the kind (radios) and one or two years.
    Period,
}

struct Field {
    /// The body's key; `group.key` for a part of a nested object.
    name: &'static str,
    input: Input,
    required: bool,
    /// This type's label and hint (vi, en) where the shared ones by name
    /// would mislead (a consular case's `actions` are not an agreement's).
    own_words: Option<[(&'static str, &'static str); 2]>,
}

fn f(name: &'static str, input: Input, required: bool) -> Field {
    Field {
        name,
        input,
        required,
        own_words: None,
    }
}

impl Field {
    fn worded(
        mut self,
        label: (&'static str, &'static str),
        hint: (&'static str, &'static str),
    ) -> Self {
        self.own_words = Some([label, hint]);
        self
    }

    /// The nested object this field is part of (`budget` of `budget.amount`,
    /// `translations.en` of `translations.en.name`).
    fn group(&self) -> Option<&'static str> {
        self.name.rsplit_once('.').map(|(g, _)| g)
    }
    fn id(&self) -> String {
        self.name.replace('.', "-")
    }
    /// Whether error `e` belongs to this field.
    fn owns(&self, e: &FieldError) -> bool {
        e.field == self.name
            || e.field
                .strip_prefix(self.name)
                .is_some_and(|r| r.starts_with('[') || r.starts_with('.'))
    }
}

fn opts(values: &[&str], lang: Lang) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| ((*v).to_owned(), value_label(v, lang)))
        .collect()
}

/// The statuses a new record of `rt` may be entered in by a user of
/// `role`: past a workflow's decision only for approvers and administrators
/// (`workflow::check_entry`, which the store applies; the form does not
/// offer what would be refused). Editing shows them all: the status is
/// not edited there.
fn status_opts(
    rt: RecordType,
    values: &[&str],
    creating: bool,
    role: Role,
    lang: Lang,
) -> Vec<(String, String)> {
    use ngoaivu_core::workflow::{Machine, entry};
    let machines: &[Machine] = match rt {
        RecordType::Delegation => &[Machine::OutboundDelegation, Machine::InboundDelegation],
        RecordType::Agreement => &[Machine::Agreement],
        RecordType::AbtcApproval => &[Machine::Abtc],
        _ => &[],
    };
    let enterable = |v: &str| {
        let mut of = machines
            .iter()
            .filter(|m| m.states().contains(&v))
            .peekable();
        of.peek().is_none() || of.any(|m| entry(*m, v).role <= role)
    };
    values
        .iter()
        .filter(|v| !creating || enterable(v))
        .map(|v| ((*v).to_owned(), value_label(v, lang)))
        .collect()
}

fn codes(values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| ((*v).to_owned(), (*v).to_owned()))
        .collect()
}

fn unit_options(lang: Lang) -> Vec<(String, String)> {
    OBS_UNITS
        .iter()
        .map(|u| {
            let l = match *u {
                "count" => t(lang, "Số lượng", "Count").to_owned(),
                "percent" => t(lang, "Phần trăm (%)", "Percent (%)").to_owned(),
                "people" => t(lang, "Người", "People").to_owned(),
                u => u.to_owned(),
            };
            ((*u).to_owned(), l)
        })
        .collect()
}

/// The APEC economies (the ABTC's scope), by name.
/// Today's provinces, in Vietnamese order: where a foreign NGO may work.
fn province_options(lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = refdata()
        .units
        .iter()
        .filter(|u| u.successor_code.is_none())
        .map(|u| (u.slug.clone(), locality_name(&u.slug, lang)))
        .collect();
    out.sort_by_cached_key(|(_, name)| ngoaivu_core::fold::vi_sort_key(name));
    out
}

/// The languages a publication is most often written in, Vietnamese first.
fn language_options(lang: Lang) -> Vec<(String, String)> {
    [
        "vi", "en", "fr", "zh", "ja", "ko", "lo", "km", "th", "ru", "de",
    ]
    .iter()
    .map(|c| ((*c).to_owned(), language_name(c, lang)))
    .collect()
}

fn apec_options(lang: Lang) -> Vec<(String, String)> {
    let rd = refdata();
    let mut out: Vec<(String, String)> = country_options(lang)
        .into_iter()
        .filter(|(c, _)| rd.is_apec(c))
        .collect();
    // An economy missing from the country list still gets a choice.
    for a in &rd.apec {
        if !out.iter().any(|(c, _)| c == a) {
            out.push((a.clone(), a.clone()));
        }
    }
    out
}

/// The units (current and former) the user's organisation may file under.
fn locality_options(u: &WebUser) -> Vec<(String, String)> {
    let rd = refdata();
    let slugs: Vec<String> = if is_ministry(u) {
        let mut v = vec![ngoaivu_core::records::NATIONAL.to_owned()];
        for unit in rd.current_units().chain(rd.legacy_units()) {
            if !v.contains(&unit.slug) {
                v.push(unit.slug.clone());
            }
        }
        v
    } else {
        rd.localities_of(&u.org.slug)
    };
    slugs
        .into_iter()
        .map(|s| {
            let name = locality_name(&s, u.lang);
            (s, name)
        })
        .collect()
}

/// The partners the user may link to: `Name (Country)`, in title order.
async fn partner_options(st: &AppState, u: &WebUser) -> Result<Vec<(String, String)>, StoreError> {
    let lang = u.lang;
    let mut q = ListQuery::new(RecordType::Partner);
    q.sort = SortKey::Title;
    q.descending = false;
    q.limit = 500;
    let partners = st.service.list(&u.actor, &q).await?;
    Ok(partners
        .items
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                format!(
                    "{} ({})",
                    record_title(RecordType::Partner, &p.data, None, lang),
                    country_name(
                        p.data.get("country").and_then(|c| c.as_str()).unwrap_or(""),
                        lang
                    )
                ),
            )
        })
        .collect())
}

/// The organisation's events, newest first, for a permit's "event held".
async fn event_options(st: &AppState, u: &WebUser) -> Result<Vec<(String, String)>, StoreError> {
    let mut q = ListQuery::new(RecordType::Event);
    q.sort = SortKey::Date;
    q.descending = true;
    q.limit = 500;
    let events = st.service.list(&u.actor, &q).await?;
    Ok(events
        .items
        .iter()
        .map(|e| {
            let day = e
                .data
                .get("start_on")
                .and_then(|d| d.as_str())
                .map(date)
                .unwrap_or_default();
            let title = record_title(RecordType::Event, &e.data, None, u.lang);
            let label = if day.is_empty() {
                title
            } else {
                format!("{title} ({day})")
            };
            (e.id.to_string(), label)
        })
        .collect())
}

async fn fields(
    st: &AppState,
    u: &WebUser,
    rt: RecordType,
    creating: bool,
) -> Result<Vec<Field>, StoreError> {
    use Input::*;
    let lang = u.lang;
    let mut out = vec![];
    // No organisation to choose: a record is its writer's organisation's
    // (the Ministry writes only its own; `Actor::may_write_org`).
    let partners = match rt {
        RecordType::Agreement
        | RecordType::Delegation
        | RecordType::Project
        | RecordType::Event
        | RecordType::TrainingCourse
        | RecordType::NgoRegistration
        | RecordType::ConferencePermit => partner_options(st, u).await?,
        _ => vec![],
    };
    let money = |amount: &'static str, currency: &'static str| {
        [
            f(amount, Decimal, false),
            f(currency, Select(codes(&CURRENCIES)), false),
        ]
    };
    match rt {
        RecordType::Partner => out.extend([
            f("name", Text, true),
            f("name_original", Text, false),
            f("kind", Select(opts(PARTNER_KINDS, lang)), true),
            f("country", Select(country_options(lang)), true),
            f("sectors", Multi(sector_options(lang)), false),
            f("website", Url, false),
            f("notes", Area, false),
        ]),
        RecordType::Agreement => out.extend([
            f("title", Text, true),
            f("kind", Select(opts(AGREEMENT_KINDS, lang)), true),
            f("partner_ids", Multi(partners), true),
            f(
                "status",
                Select(status_opts(
                    rt,
                    AGREEMENT_STATUSES,
                    creating,
                    u.actor.role,
                    lang,
                )),
                true,
            ),
            // Who decides and to whom it reports (Law 70/2020/QH14).
            f("vn_level", Select(opts(VN_LEVELS, lang)), false),
            f("consultations", Rows(CONSULTATIONS), false),
            f("permission_decision_number", Text, false),
            f("permission_decision_on", Date, false),
            f("signed_on", Date, false),
            f("signed_place", Text, false),
            f("valid_from", Date, false),
            f("valid_until", Date, false),
            // What the office sent after signing (the deadline is on the page).
            f("reported_pm_on", Date, false),
            f("copy_to_mofa_on", Date, false),
            // Appended by the workflow's steps; a past year's are entered here.
            f("actions", Rows(AGREEMENT_ACTIONS), false),
            f("sectors", Multi(sector_options(lang)), false),
            f("notes", Area, false),
        ]),
        RecordType::Delegation => {
            out.extend([
                f("direction", Select(opts(DIRECTIONS, lang)), true),
                f("purpose", Text, true),
                f(
                    "status",
                    Select(status_opts(
                        rt,
                        DELEGATION_STATUSES,
                        creating,
                        u.actor.role,
                        lang,
                    )),
                    true,
                ),
                f("leader.name", Text, false),
                f("leader.position", Text, false),
                f("member_count", Int, false),
                f("members", People, false),
                f("guests", People, false),
                f("programme", Rows(PROGRAMME), false),
                f("countries", Multi(country_options(lang)), false),
                f("partner_ids", Multi(partners), false),
                f("start_on", Date, false),
                f("end_on", Date, false),
            ]);
            out.extend(money("budget.amount", "budget.currency"));
            out.extend([
                f("funding_source", Text, false),
                // Outbound trips are planned a year ahead (Chỉ thị 38-CT/TW).
                f("in_plan", Check, false),
                f("decision_number", Text, false),
                // A delegation of past years entered as approved names its
                // decision (date or number).
                f("decided_on", Date, false),
                f("outcome", Area, false),
                f("locality", Select(locality_options(u)), false),
                f("notes", Area, false),
            ]);
        }
        RecordType::Project => {
            out.extend([
                f("kind", Select(opts(PROJECT_KINDS, lang)), true),
                f("name", Text, true),
                // Left blank, a new project takes its kind's first state.
                f("status", Select(opts(PROJECT_STATUSES, lang)), false).worded(
                    ("Trạng thái", "Status"),
                    (
                        "Để trống khi thêm mới: dự án FDI là “Đang thực hiện”; viện trợ và ODA bắt đầu ở “Đề xuất” rồi chuyển bước ở trang hồ sơ.",
                        "Leave blank for a new project: FDI is “Active”; aid and ODA start as “Proposed” and move on from the record's page.",
                    ),
                ),
                f("investor_id", Select(partners), false),
                f("country", Select(country_options(lang)), false),
                f("sector", Select(sector_options(lang)), false),
            ]);
            out.extend(money("capital.amount", "capital.currency"));
            out.extend(money("disbursed.amount", "disbursed.currency"));
            // Aid (ODA, foreign NGO aid): its form, appraisal, money and reports.
            out.extend([
                f("aid_form", Select(opts(AID_FORMS, lang)), false),
                f("appraisal_started_on", Date, false),
                f("appraisal_opinions", Rows(APPRAISAL_OPINIONS), false),
                f("transactions", Rows(TRANSACTIONS), false),
                f("reporting", Select(opts(REPORTING_CYCLES, lang)), false),
                f("reported_through", Date, false),
            ]);
            out.extend([
                f("approved_on", Date, false),
                f("period_from", Date, false),
                f("period_until", Date, false),
                f("location", Text, false),
                f("locality", Select(locality_options(u)), false),
                f("notes", Area, false),
            ]);
        }
        RecordType::Event => out.extend([
            f("kind", Select(opts(EVENT_KINDS, lang)), true),
            f("title", Text, true),
            f("start_on", Date, false),
            f("end_on", Date, false),
            f("place", Text, false),
            f("country", Select(country_options(lang)), false),
            f("partner_ids", Multi(partners), false),
            f("participants", Int, false),
            f("locality", Select(locality_options(u)), false),
            f("notes", Area, false),
        ]),
        RecordType::AbtcApproval => out.extend([
            f("person_name", Text, true),
            f("enterprise", Text, true),
            f("position", Text, false),
            f("economies", Multi(apec_options(lang)), true),
            f(
                "status",
                Select(status_opts(rt, ABTC_STATUSES, creating, u.actor.role, lang)),
                true,
            ),
            // The check needs both (12 months each by default).
            f("enterprise_months", Int, false),
            f("applicant_months", Int, false),
            f("card_number", Text, false),
            f("preclearance", Rows(PRECLEARANCE), false),
            f("decision_number", Text, false),
            f("decision_on", Date, false),
            f("locality", Select(locality_options(u)), false),
            f("notes", Area, false),
        ]),
        RecordType::Publication => out.extend([
            f("title", Text, true),
            f("kind", Select(opts(PublicationKind::CODES, lang)), true),
            f("year", Int, true),
            f("issues", Int, false),
            f("languages", Multi(language_options(lang)), false),
            f("print_run", Int, false),
            f("distribution", Text, false),
            f("locality", Select(locality_options(u)), false),
            f("notes", Area, false),
        ]),
        RecordType::TrainingCourse => out.extend([
            f("topic", Text, true),
            f("kind", Select(opts(TrainingKind::CODES, lang)), true),
            f("organiser", Text, false),
            f("start_on", Date, false),
            f("end_on", Date, false),
            f("place", Text, false),
            f("trainees", Rows(TRAINEES), false),
            f("trainee_count", Int, false),
            f("partner_ids", Multi(partners), false),
            f("locality", Select(locality_options(u)), false),
            f("notes", Area, false),
        ]),
        RecordType::NgoRegistration => out.extend([
            f("name", Text, true),
            f("partner_id", Select(partners), false),
            f("country", Select(country_options(lang)), false),
            f("kind", Select(opts(NgoRegistrationKind::CODES, lang)), true),
            f("number", Text, true),
            f("issued_on", Date, true),
            f("valid_until", Date, false),
            f("provinces", Multi(province_options(lang)), false),
            f("sectors", Multi(sector_options(lang)), false),
            f("ended_on", Date, false),
            f("locality", Select(locality_options(u)), false),
            f("notes", Area, false),
        ]),
        RecordType::ConferencePermit => {
            out.extend([
                f("title", Text, true),
                f("kind", Select(opts(ConferenceKind::CODES, lang)), true),
                f("organiser", Text, true),
                f(
                    "status",
                    Select(status_opts(
                        rt,
                        ConferenceStatus::CODES,
                        creating,
                        u.actor.role,
                        lang,
                    )),
                    true,
                ),
                f("received_on", Date, false),
                f("start_on", Date, false),
                f("end_on", Date, false),
                f("format", Select(opts(ConferenceFormat::CODES, lang)), false),
                f("venue", Text, false),
                f("partner_ids", Multi(partners), false),
                f("countries", Multi(country_options(lang)), false),
                f("participants", Int, false),
                f("foreign_participants", Int, false),
                f(
                    "highest_rank",
                    Select(opts(ForeignRank::CODES, lang)),
                    false,
                ),
                f(
                    "sensitive_topics",
                    Multi(opts(SensitiveTopic::CODES, lang)),
                    false,
                ),
                f("topics", Area, false),
                f("funding", Text, false),
            ]);
            out.extend(money("budget.amount", "budget.currency"));
            out.extend([
                f("consultations", Rows(CONFERENCE_CONSULTATIONS), false),
                f("decision_number", Text, false),
                f("decided_on", Date, false),
                f("event_id", Select(event_options(st, u).await?), false),
                f("reported_on", Date, false),
                f("locality", Select(locality_options(u)), false),
                f("notes", Area, false),
            ]);
        }
        RecordType::ConsularCase => out.extend([
            f("kind", Select(opts(ConsularKind::CODES, lang)), true),
            f("incident", Text, true),
            f(
                "status",
                Select(status_opts(
                    rt,
                    ConsularStatus::CODES,
                    creating,
                    u.actor.role,
                    lang,
                )),
                true,
            ),
            f("opened_on", Date, true),
            f("person.name", Text, true),
            f("person.birth_year", Int, false),
            f("person.document_number", Text, false),
            f("person.home", Text, false),
            f("person.contact", Text, false),
            f("person.consent", Check, false),
            f("person.consent_on", Date, false),
            f("nationality", Select(country_options(lang)), true),
            f("country", Select(country_options(lang)), false),
            f("mission", Text, false),
            f("agencies", Lines, false),
            f("actions", Rows(CASE_ACTIONS), false).worded(
                ("Diễn biến xử lý", "Actions taken"),
                (
                    "Mỗi dòng một việc: ngày; việc đã làm; cơ quan thực hiện.",
                    "One a line: date; what was done; by whom.",
                ),
            ),
            f("locality", Select(locality_options(u)), false),
            f("notes", Area, false),
        ]),
        RecordType::Plan => out.extend([
            f("kind", Select(opts(PlanKind::CODES, lang)), true),
            f("title", Text, true),
            f("year", Int, true),
            f("reference", Text, false),
            f("signed_on", Date, false),
            f("issuer", Text, false),
            f("tasks", Rows(PLAN_TASKS), false),
            f("locality", Select(locality_options(u)), false),
            f("notes", Area, false),
        ]),
        RecordType::OverseasContact => out.extend([
            f("kind", Select(opts(OVERSEAS_KINDS, lang)), true),
            f("name", Text, true),
            f("country", Select(country_options(lang)), true),
            f("city", Text, false),
            f("field", Text, false),
            f("contact", Text, false),
            f("consent", Check, false),
            f("consent_on", Date, false),
            f("notes", Area, false),
        ]),
        RecordType::CatalogProject => {
            out.extend([
                f("status", Select(opts(CATALOG_STATUSES, lang)), true),
                f("sector", Select(sector_options(lang)), true),
            ]);
            // One fieldset per language; Vietnamese is always required,
            // English before publication (the service says so).
            for (code, required) in [("vi", true), ("en", false)] {
                let [name, summary, location, incentives] =
                    CATALOG_TEXT_FIELDS[if code == "vi" { 0 } else { 1 }];
                out.extend([
                    f(name, Text, required),
                    f(summary, Area, false),
                    f(location, Text, false),
                    f(incentives, Area, false),
                ]);
            }
            out.push(f("area_ha", Decimal, false));
            out.extend(money("capital.amount", "capital.currency"));
            out.extend([
                f("countries_of_interest", Multi(country_options(lang)), false),
                f("locality", Select(locality_options(u)), false),
                f("contact.name", Text, false),
                f("contact.position", Text, false),
                f("contact.email", Text, false),
                f("contact.phone", Text, false),
                f("notes", Area, false),
            ]);
        }
        RecordType::Observation => {
            let mut indicators: Vec<(String, String)> = st
                .service
                .indicators()
                .await?
                .into_iter()
                .map(|i| {
                    let name = lang.pick(&i.name_vi, &i.name_en).to_owned();
                    (i.code, name)
                })
                .collect();
            match lang {
                Lang::Vi => indicators.sort_by_key(|(_, n)| vi_sort_key(n)),
                Lang::En => indicators.sort_by(|a, b| a.1.cmp(&b.1)),
            }
            out.extend([
                f("indicator", Select(indicators), true),
                f("locality", Select(locality_options(u)), false),
                f("period", Period, true),
                f("value", Decimal, true),
                f("unit", Select(unit_options(lang)), true),
                f("qualifier", Select(opts(QUALIFIERS, lang)), true),
                f("change_pct", Decimal, false),
                f("source", Select(opts(SOURCES, lang)), true),
                f("source_document", Text, false),
                f("note", Area, false),
            ]);
        }
    }
    Ok(out)
}

/// The per-language fields of a catalog project's form (the names must be
/// `'static`, so they are spelled out rather than formatted).
const CATALOG_TEXT_FIELDS: [[&str; 4]; 2] = [
    [
        "translations.vi.name",
        "translations.vi.summary",
        "translations.vi.location",
        "translations.vi.incentives",
    ],
    [
        "translations.en.name",
        "translations.en.summary",
        "translations.en.location",
        "translations.en.incentives",
    ],
];

/// What the form of a catalog project says before its fields.
fn catalog_notice(rt: RecordType, lang: Lang) -> Markup {
    html! {
        @if rt == RecordType::CatalogProject {
            div.alert.info role="note" {
                p { (t(lang,
                    "Chỉ dự án ở trạng thái “Đã công bố” hiện trên trang công khai /catalog, và khi công bố cần cả nội dung tiếng Việt lẫn tiếng Anh. Ảnh (PNG, JPEG) được đính kèm ở trang chi tiết sau khi lưu. Ghi chú chỉ dùng nội bộ, không bao giờ hiện công khai.",
                    "Only projects with the status “Published” appear on the public /catalog pages, and publishing needs both the Vietnamese and the English text. Pictures (PNG, JPEG) are attached on the detail page once saved. Notes are internal and never shown publicly.")) }
            }
        }
    }
}

/// What a new record's form starts with.
fn defaults(rt: RecordType) -> Vec<(String, String)> {
    let mut d = rt.field_defaults();
    // A project's first state depends on its kind, chosen in the same form:
    // left blank, the record takes it (FDI active, aid proposed).
    if rt == RecordType::Project {
        d.retain(|(k, _)| k != "status");
    }
    if rt == RecordType::Observation {
        // The period is a choice of the form, not a field of the body.
        d.push(("period.kind".to_owned(), "year".to_owned()));
    }
    d
}

// ---------------------------------------------------------------- form → body

fn year_value(s: &str) -> Option<Value> {
    let s = s.trim();
    if s.is_empty() {
        None
    } else {
        Some(
            s.parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(s)),
        )
    }
}

/// The period's JSON, every form named (absent ones null, so that a merge
/// patch replaces the stored period instead of mixing two forms).
fn period_value(pairs: &[(String, String)], patch: bool) -> Option<Value> {
    let y1 = year_value(form_value(pairs, "period.y1"));
    let y2 = year_value(form_value(pairs, "period.y2"));
    let kind = form_value(pairs, "period.kind");
    if y1.is_none() && y2.is_none() {
        return None;
    }
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<Value>| match v {
        Some(v) => {
            m.insert(k.into(), v);
        }
        None if patch => {
            m.insert(k.into(), Value::Null);
        }
        None => {}
    };
    match kind {
        "range" => {
            put("year", None);
            put("from", y1);
            put("to", y2);
            put("as_of", None);
            put("since", None);
        }
        "as_of" | "since" => {
            put("year", None);
            put("from", None);
            put("to", None);
            put(if kind == "as_of" { "since" } else { "as_of" }, None);
            put(kind, y1);
        }
        _ => {
            put("year", y1);
            put("from", None);
            put("to", None);
            put("as_of", None);
            put("since", None);
        }
    }
    Some(Value::Object(m))
}

/// People written one a line, `Họ tên; chức vụ`.
fn people_value(text: &str) -> Vec<Value> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, pos) = match l.split_once(';') {
                Some((n, p)) => (n.trim(), p.trim()),
                None => (l, ""),
            };
            let mut m = Map::new();
            m.insert("name".into(), Value::from(name));
            if !pos.is_empty() {
                m.insert("position".into(), Value::from(pos));
            }
            Value::Object(m)
        })
        .collect()
}

/// One field's value from the form; `None` when left empty.
fn field_value(fd: &Field, pairs: &[(String, String)], lang: Lang, patch: bool) -> Option<Value> {
    let raw = form_value(pairs, fd.name).trim();
    match &fd.input {
        Input::Multi(_) => {
            let arr: Vec<Value> = pairs
                .iter()
                .filter(|(k, v)| k == fd.name && !v.is_empty())
                .map(|(_, v)| {
                    if fd.name.ends_with("_ids") {
                        v.parse::<i64>()
                            .map(Value::from)
                            .unwrap_or_else(|_| Value::from(v.as_str()))
                    } else {
                        Value::from(v.as_str())
                    }
                })
                .collect();
            (!arr.is_empty() || patch || fd.required).then_some(Value::Array(arr))
        }
        Input::Check => Some(Value::Bool(!raw.is_empty())),
        Input::People => {
            let arr = people_value(form_value(pairs, fd.name));
            (!arr.is_empty() || patch).then_some(Value::Array(arr))
        }
        Input::Rows(cols) => {
            let arr = rows_value(form_value(pairs, fd.name), cols, lang);
            (!arr.is_empty() || patch).then_some(Value::Array(arr))
        }
        Input::Lines => {
            let arr: Vec<Value> = form_value(pairs, fd.name)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(Value::from)
                .collect();
            (!arr.is_empty() || patch).then_some(Value::Array(arr))
        }
        Input::Period => period_value(pairs, patch),
        _ if raw.is_empty() => None,
        Input::Int => Some(
            number_input(raw, lang)
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(raw)),
        ),
        Input::Decimal => Some(Value::from(number_input(raw, lang))),
        Input::Select(_) if fd.name.ends_with("_id") => Some(
            raw.parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(raw)),
        ),
        _ => Some(Value::from(raw)),
    }
}

/// Put `v` at a dotted path (`translations.en`), making the objects on the way.
fn insert_at(m: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('.') {
        None => {
            m.insert(path.into(), v);
        }
        Some((head, rest)) => {
            let inner = m.entry(head).or_insert_with(|| Value::Object(Map::new()));
            if !inner.is_object() {
                *inner = Value::Object(Map::new());
            }
            if let Value::Object(inner) = inner {
                insert_at(inner, rest, v);
            }
        }
    }
}

/// The JSON body (create) or merge patch (edit) built from the form.
fn body_from(fields: &[Field], pairs: &[(String, String)], lang: Lang, patch: bool) -> Value {
    let mut m = Map::new();
    let mut i = 0;
    while i < fields.len() {
        let fd = &fields[i];
        if let Some(g) = fd.group() {
            // The parts of one nested object: absent when all are empty.
            let mut obj = Map::new();
            let mut any = false;
            while i < fields.len() && fields[i].group() == Some(g) {
                let part = &fields[i];
                let key = &part.name[g.len() + 1..];
                match field_value(part, pairs, lang, patch) {
                    Some(v) => {
                        any = true;
                        obj.insert(key.into(), v);
                    }
                    None if patch => {
                        obj.insert(key.into(), Value::Null);
                    }
                    None => {}
                }
                i += 1;
            }
            if any {
                insert_at(&mut m, g, Value::Object(obj));
            } else if patch {
                insert_at(&mut m, g, Value::Null);
            }
            continue;
        }
        match field_value(fd, pairs, lang, patch) {
            Some(v) => {
                m.insert(fd.name.into(), v);
            }
            None if patch => {
                m.insert(fd.name.into(), Value::Null);
            }
            None => {}
        }
        i += 1;
    }
    Value::Object(m)
}

// ---------------------------------------------------------------- record → form

fn decimal_text(v: &Value, lang: Lang) -> Option<String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Some(match Decimal::from_str(text.trim()) {
        Ok(d) => ngoaivu_core::numfmt::format_number(d, 20, lang),
        Err(_) => text,
    })
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The form's values from a stored record (for editing).
fn pairs_from(fields: &[Field], data: &Value, lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    let get = |path: &str| -> Option<&Value> {
        let mut v = data;
        for k in path.split('.') {
            v = v.get(k)?;
        }
        Some(v)
    };
    for fd in fields {
        let Some(v) = get(fd.name) else { continue };
        let name = fd.name.to_owned();
        match &fd.input {
            Input::Multi(_) => {
                for x in v.as_array().into_iter().flatten() {
                    if let Some(s) = scalar_text(x) {
                        out.push((name.clone(), s));
                    }
                }
            }
            Input::Check => {
                if v.as_bool() == Some(true) {
                    out.push((name, "on".into()));
                }
            }
            Input::Rows(cols) => {
                out.push((name, rows_text(v, cols, lang)));
            }
            Input::Lines => {
                let lines: Vec<&str> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                out.push((name, lines.join("\n")));
            }
            Input::People => {
                let lines: Vec<String> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        let n = p.get("name").and_then(Value::as_str).unwrap_or("");
                        match p.get("position").and_then(Value::as_str) {
                            Some(pos) if !pos.is_empty() => format!("{n}; {pos}"),
                            _ => n.to_owned(),
                        }
                    })
                    .collect();
                out.push((name, lines.join("\n")));
            }
            Input::Period => {
                let y = |k: &str| v.get(k).and_then(scalar_text);
                let (kind, y1, y2) = if let Some(x) = y("year") {
                    ("year", Some(x), None)
                } else if y("from").is_some() || y("to").is_some() {
                    ("range", y("from"), y("to"))
                } else if let Some(x) = y("as_of") {
                    ("as_of", Some(x), None)
                } else {
                    ("since", y("since"), None)
                };
                out.push(("period.kind".into(), kind.into()));
                if let Some(a) = y1 {
                    out.push(("period.y1".into(), a));
                }
                if let Some(b) = y2 {
                    out.push(("period.y2".into(), b));
                }
            }
            Input::Decimal => {
                if let Some(s) = decimal_text(v, lang) {
                    out.push((name, s));
                }
            }
            _ => {
                if let Some(s) = scalar_text(v) {
                    out.push((name, s));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------- markup

/// A field's message as the form shows it: the service's, except where a
/// form can say it more plainly (a number typed as text, a date before
/// another, named by its label rather than its key).
fn message(e: &FieldError, input: Option<&Input>, lang: Lang) -> String {
    match (&e.problem, input) {
        (Problem::WrongType { .. }, Some(Input::Decimal)) => t(
            lang,
            "Cần một số, ví dụ 1.588 hoặc 370,34.",
            "A number is needed, for example 1,588 or 370.34.",
        )
        .into(),
        (Problem::WrongType { .. } | Problem::Negative, Some(Input::Int)) => t(
            lang,
            "Cần một số nguyên không âm, ví dụ 12.",
            "A whole number is needed, for example 12.",
        )
        .into(),
        (Problem::WrongType { .. }, Some(Input::Period)) => t(
            lang,
            "Năm phải là một số, ví dụ 2024.",
            "A year is a number, for example 2024.",
        )
        .into(),
        (Problem::DateOrder { earlier_field }, _) => {
            let label = field_label(earlier_field, lang);
            match lang {
                Lang::Vi => format!("Không được trước “{label}”."),
                Lang::En => format!("Must not be before “{label}”."),
            }
        }
        _ => e.message(lang),
    }
}

fn field_of(e: &FieldError) -> &str {
    e.field.split(['.', '[']).next().unwrap_or("")
}

/// The label of a form field (`budget.amount` is "Số tiền" inside the
/// "Kinh phí" fieldset).
fn input_label(name: &str, lang: Lang) -> String {
    match name {
        "leader.name" => field_label("person_name", lang),
        "period.y1" => t(
            lang,
            "Năm (năm đầu nếu là giai đoạn)",
            "Year (first year of a range)",
        )
        .into(),
        "period.y2" => t(lang, "Đến năm (chỉ với giai đoạn)", "To year (range only)").into(),
        // Inside the fieldset of its language, which the legend names.
        n if n.starts_with("translations.") && n.ends_with(".name") => {
            t(lang, "Tên dự án", "Project name").into()
        }
        "area_ha" => t(lang, "Diện tích (ha)", "Area (ha)").into(),
        "person.name" => t(lang, "Họ tên", "Full name").into(),
        "person.contact" => t(lang, "Thân nhân, người liên hệ", "Family contact").into(),
        "person.consent" => t(
            lang,
            "Người liên quan (hoặc gia đình) đồng ý xử lý dữ liệu cá nhân",
            "The person (or the family) consents to their data being processed",
        )
        .into(),
        n => field_label(n.rsplit('.').next().unwrap_or(n), lang),
    }
}

fn hint(name: &str, lang: Lang) -> Option<&'static str> {
    Some(match name {
        "members" => t(
            lang,
            "Mỗi dòng một người: Họ tên; chức vụ.",
            "One person a line: Name; position.",
        ),
        "guests" => t(
            lang,
            "Mỗi dòng một người: Họ tên; chức vụ.",
            "One person a line: Name; position.",
        ),
        "programme" => t(
            lang,
            "Mỗi dòng một hoạt động: ngày (dd/mm/yyyy); nội dung.",
            "One activity a line: date (dd/mm/yyyy); what.",
        ),
        "consultations" => t(
            lang,
            "Mỗi dòng một cơ quan: tên cơ quan; ngày hỏi; ngày trả lời; ý kiến (thỏa thuận: thêm x nếu là Bộ Ngoại giao). Hạn trả lời được theo dõi từ ngày hỏi.",
            "One body a line: name; asked on; answered on; opinion (agreements: add x for the Ministry of Foreign Affairs). Each answer's deadline is tracked from the day asked.",
        ),
        // An agreement's dated acts (a consular case's actions have words
        // of their own: `Field::worded`).
        "actions" => t(
            lang,
            "Mỗi dòng một quyết định: loại (approved, refused, referred_pm, amended, renewed, suspended, resumed, terminated); ngày; số quyết định; ghi chú (các bước quy trình tự thêm dòng).",
            "One decision a line: kind (approved, refused, referred_pm, amended, renewed, suspended, resumed, terminated); date; decision number; note (the workflow's steps add their lines).",
        ),
        "agencies" => t(lang, "Mỗi dòng một cơ quan.", "One agency a line."),
        "tasks" => t(
            lang,
            "Mỗi dòng một nhiệm vụ: tên; cơ quan chủ trì; hạn (dd/mm/yyyy); chỉ tiêu; tiến độ (chưa thực hiện, đang thực hiện, hoàn thành, không thực hiện); mã các đoàn; mã các thỏa thuận; mã các sự kiện (cách nhau bằng dấu phẩy).",
            "One task a line: title; lead body; due (dd/mm/yyyy); target; status (not started, in progress, done, dropped); delegation ids; agreement ids; event ids (comma-separated).",
        ),
        "sensitive_topics" => t(
            lang,
            "Nội dung thuộc một trong các lĩnh vực này, hoặc có khách cấp Bộ trưởng trở lên, thì Thủ tướng Chính phủ cho phép (Quyết định 06/2020/QĐ-TTg).",
            "A gathering on one of these topics, or with a minister or higher, is permitted by the Prime Minister (Decision 06/2020/QĐ-TTg).",
        ),
        "received_on" => t(
            lang,
            "Hồ sơ phải đến trước ngày khai mạc ít nhất 30 ngày (40 ngày nếu Thủ tướng cho phép).",
            "The dossier must come at least 30 days before the opening (40 when the Prime Minister permits).",
        ),
        "preclearance" => t(
            lang,
            "Mỗi dòng một nền kinh tế: mã (JP, KR…); pending, cleared hoặc refused; ngày.",
            "One economy a line: code (JP, KR…); pending, cleared or refused; date.",
        ),
        "transactions" => t(
            lang,
            "Mỗi dòng một khoản: ngày; số tiền; tiền tệ; loại (commitment cam kết, disbursement giải ngân, expenditure chi tiêu); planned kế hoạch hoặc actual thực hiện; foreign vốn nước ngoài hoặc counterpart vốn đối ứng; ghi chú. Để trống phần sau: giải ngân thực hiện, vốn nước ngoài (ví dụ 15/03/2024; 50.000; USD).",
            "One a line: date; amount; currency; kind (commitment, disbursement, expenditure); planned or actual; foreign or counterpart funds; note. Left out: an actual foreign disbursement (e.g. 15/03/2024; 50,000; USD).",
        ),
        "appraisal_opinions" => t(
            lang,
            "Mỗi dòng một cơ quan: tên cơ quan; ngày hỏi; hạn trả lời (để trống: hạn thẩm định); ngày trả lời; ý kiến.",
            "One body a line: name; asked on; answer due (empty: the appraisal's due date); answered on; opinion.",
        ),
        "reported_through" => t(
            lang,
            "Ngày cuối của kỳ đã báo cáo gần nhất; hạn báo cáo kỳ tiếp theo hiện trong việc cần làm.",
            "The last day of the last period reported on; the next report's due date is in the tasks.",
        ),
        "consent" => t(
            lang,
            "Bắt buộc với cá nhân (Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân).",
            "Required for a person (Decree 13/2023/NĐ-CP on personal data protection).",
        ),
        "change_pct" => t(
            lang,
            "Ví dụ: 37,91 (tăng) hoặc -5,2 (giảm).",
            "For example 37.91 (a rise) or -5.2 (a fall).",
        ),
        "value" | "budget.amount" | "capital.amount" | "disbursed.amount" | "area_ha" => t(
            lang,
            "Viết như 1.588 hoặc 370,34.",
            "Write like 1,588 or 370.34.",
        ),
        "locality" => t(
            lang,
            "Để trống: địa phương của cơ quan.",
            "Leave empty for the organisation's own.",
        ),
        _ => return None,
    })
}

const PERIOD_KINDS: [(&str, &str, &str); 4] = [
    ("year", "Một năm", "One year"),
    ("range", "Giai đoạn (từ năm – đến năm)", "Range of years"),
    ("as_of", "Tính đến năm", "As of a year"),
    ("since", "Lũy kế từ năm", "Since a year"),
];

fn field_markup(
    fd: &Field,
    pairs: &[(String, String)],
    errs: &[&FieldError],
    lang: Lang,
) -> Markup {
    let id = fd.id();
    let name = fd.name;
    let err_id = format!("{id}-error");
    let bad = !errs.is_empty();
    let invalid = bad.then_some("true");
    let described = bad.then_some(err_id.as_str());
    let value = form_value(pairs, name);
    let star =
        html! { @if fd.required { " " abbr title=(t(lang, "bắt buộc", "required")) { "*" } } };
    let error = html! {
        @if bad { span.error id=(err_id) { @for e in errs { (message(e, Some(&fd.input), lang)) " " } } }
    };
    let hint = match fd.own_words {
        Some([_, (vi, en)]) => Some(t(lang, vi, en)),
        None => hint(name, lang),
    };
    let label = match fd.own_words {
        Some([(vi, en), _]) => t(lang, vi, en).to_owned(),
        None => input_label(name, lang),
    };
    if let Input::Period = fd.input {
        let kind = match form_value(pairs, "period.kind") {
            "" => "year",
            k => k,
        };
        return html! {
            fieldset.group.has-error[bad] aria-describedby=[described] {
                legend { (field_label("period", lang)) (star) }
                div.choice {
                    @for (v, vi, en) in PERIOD_KINDS {
                        @let rid = format!("period-kind-{v}");
                        span.radio {
                            input id=(rid) type="radio" name="period.kind" value=(v) checked[kind == v];
                            label for=(rid) { (t(lang, vi, en)) }
                        }
                    }
                }
                div.row {
                    div.field {
                        label for="period-y1" { (input_label("period.y1", lang)) }
                        input #period-y1 type="number" name="period.y1" min="1945" max="2100" inputmode="numeric" value=(form_value(pairs, "period.y1")) aria-invalid=[invalid];
                    }
                    div.field {
                        label for="period-y2" { (input_label("period.y2", lang)) }
                        input #period-y2 type="number" name="period.y2" min="1945" max="2100" inputmode="numeric" value=(form_value(pairs, "period.y2")) aria-invalid=[invalid];
                    }
                }
                @if bad { div.field.has-error { (error) } }
            }
        };
    }
    if let Input::Check = fd.input {
        return html! {
            div.field.check.has-error[bad] {
                span.checkline {
                    input #(id) type="checkbox" name=(name) value="on" checked[!value.is_empty()] aria-invalid=[invalid] aria-describedby=[described];
                    label for=(id) { (label) }
                }
                @if let Some(h) = hint { span.hint { (h) } }
                (error)
            }
        };
    }
    html! {
        div.field.has-error[bad] {
            label for=(id) { (label) (star) }
            @match &fd.input {
                Input::Text => { input #(id) type="text" name=(name) value=(value) required[fd.required] aria-invalid=[invalid] aria-describedby=[described]; }
                Input::Url => { input #(id) type="url" name=(name) value=(value) aria-invalid=[invalid] aria-describedby=[described]; }
                Input::Date => { input #(id) type="date" name=(name) value=(value) aria-invalid=[invalid] aria-describedby=[described]; }
                Input::Int => { input #(id) type="number" name=(name) min="0" step="1" inputmode="numeric" value=(value) aria-invalid=[invalid] aria-describedby=[described]; }
                Input::Decimal => { input #(id) type="text" name=(name) inputmode="decimal" value=(value) required[fd.required] aria-invalid=[invalid] aria-describedby=[described]; }
                Input::Area | Input::People | Input::Lines | Input::Rows(_) => { textarea #(id) name=(name) rows="4" aria-invalid=[invalid] aria-describedby=[described] { (value) } }
                Input::Select(options) => {
                    select #(id) name=(name) required[fd.required] aria-invalid=[invalid] aria-describedby=[described] {
                        option value="" { (t(lang, "— Chọn —", "— Choose —")) }
                        @for (v, l) in options { option value=(v) selected[value == v] { (l) } }
                    }
                }
                Input::Multi(options) => {
                    select #(id) name=(name) multiple size=(options.len().clamp(3, 8)) aria-invalid=[invalid] aria-describedby=[described] {
                        @for (v, l) in options { option value=(v) selected[pairs.iter().any(|(k, x)| k == name && x == v)] { (l) } }
                    }
                }
                Input::Check | Input::Period => {}
            }
            @if let Input::Multi(_) = fd.input {
                span.hint { (t(lang, "Giữ Ctrl (hoặc ⌘) để chọn nhiều mục.", "Hold Ctrl (or ⌘) to choose several.")) }
            } @else if let Some(h) = hint {
                span.hint { (h) }
            }
            (error)
        }
    }
}

fn form_markup(
    u: &WebUser,
    action: &str,
    cancel: &str,
    fields: &[Field],
    pairs: &[(String, String)],
    errors: &[FieldError],
    version: Option<&str>,
) -> Markup {
    let lang = u.lang;
    let owned = |e: &FieldError| fields.iter().any(|fd| fd.owns(e));
    let grouped = |e: &FieldError| fields.iter().any(|fd| fd.group() == Some(field_of(e)));
    let loose: Vec<&FieldError> = errors.iter().filter(|e| !owned(e) && !grouped(e)).collect();
    // Runs of fields: a lone field, or the parts of one nested object.
    let mut runs: Vec<(Option<&'static str>, Vec<&Field>)> = vec![];
    for fd in fields {
        match (fd.group(), runs.last_mut()) {
            (Some(g), Some((Some(last), run))) if *last == g => run.push(fd),
            (g, _) => runs.push((g, vec![fd])),
        }
    }
    let errs_of =
        |fd: &Field| -> Vec<&FieldError> { errors.iter().filter(|e| fd.owns(e)).collect() };
    html! {
        @if !errors.is_empty() {
            div.alert.error role="alert" {
                p { (t(lang, "Chưa lưu được: hãy sửa các ô được đánh dấu.", "Not saved: please correct the marked fields.")) }
                @if !loose.is_empty() {
                    ul { @for e in &loose { li { @if !e.field.is_empty() { strong { (field_label(field_of(e), lang)) } ": " } (message(e, None, lang)) } } }
                }
            }
        }
        form.record method="post" action=(action) novalidate {
            // The version the form was filled from: the save is refused if
            // someone else changed the record meanwhile.
            @if let Some(v) = version { input type="hidden" name="_version" value=(v); }
            @for (group, run) in &runs {
                @match group {
                    Some(g) => {
                        @let group_errs: Vec<&FieldError> = errors.iter().filter(|e| field_of(e) == *g && !run.iter().any(|fd| fd.owns(e))).collect();
                        // A language's texts: long fields, one under the other.
                        fieldset.group.has-error[!group_errs.is_empty()].stacked[g.starts_with("translations.")] {
                            legend { (field_label(g, lang)) }
                            div.row {
                                @for fd in run { (field_markup(fd, pairs, &errs_of(fd), lang)) }
                            }
                            @if !group_errs.is_empty() {
                                div.field.has-error { span.error { @for e in &group_errs { (message(e, None, lang)) " " } } }
                            }
                        }
                    }
                    None => { @for fd in run { (field_markup(fd, pairs, &errs_of(fd), lang)) } }
                }
            }
            div.actions {
                button.primary type="submit" { (t(lang, "Lưu", "Save")) }
                a.button href=(cancel) { (t(lang, "Hủy", "Cancel")) }
            }
        }
    }
}

// ---------------------------------------------------------------- handlers

fn may_create(u: &WebUser) -> bool {
    u.actor.role.can_write() && u.actor.org_kind != OrgKind::Mission
}

async fn render_new(
    st: &AppState,
    u: &WebUser,
    rt: RecordType,
    pairs: &[(String, String)],
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let lang = u.lang;
    if !may_create(u) {
        return error::store_error(
            u,
            StoreError::Forbidden(if u.actor.org_kind == OrgKind::Mission {
                ngoaivu_core::Denied::MissionRecords
            } else {
                ngoaivu_core::Denied::ReadOnlyRole
            }),
        );
    }
    let fields = match fields(st, u, rt, true).await {
        Ok(f) => f,
        Err(e) => return error::store_error(u, e),
    };
    let title = format!("{} — {}", rt.label(lang), t(lang, "thêm mới", "new"));
    let list = format!("/records/{}", rt.path());
    let body = html! {
        nav.crumbs { a href=(list) { (rt.label(lang)) } }
        h1 { (title) }
        (catalog_notice(rt, lang))
        (form_markup(u, &format!("/records/{}/new", rt.path()), &list, &fields, pairs, errors, None))
    };
    layout::respond(u, &title, status, body)
}

/// `GET /records/{type}/new`
pub(crate) async fn new_form(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
) -> Response {
    let Some(rt) = RecordType::from_path(&ty) else {
        return error::not_found(u.lang, Some(&u));
    };
    render_new(&st, &u, rt, &defaults(rt), &[], StatusCode::OK).await
}

/// `POST /records/{type}/new`
pub(crate) async fn new_submit(
    State(st): State<AppState>,
    u: WebUser,
    Path(ty): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let Some(rt) = RecordType::from_path(&ty) else {
        return error::not_found(u.lang, Some(&u));
    };
    if !may_create(&u) {
        return render_new(&st, &u, rt, &[], &[], StatusCode::FORBIDDEN).await;
    }
    let pairs = form_pairs(&body);
    let fields = match fields(&st, &u, rt, true).await {
        Ok(f) => f,
        Err(e) => return error::store_error(&u, e),
    };
    let json = body_from(&fields, &pairs, u.lang, false);
    match st.service.create(&u.actor, rt, json).await {
        Ok(rec) => Redirect::to(&format!("/records/{}/{}", rt.path(), rec.id)).into_response(),
        Err(StoreError::Invalid(inv)) => {
            render_new(
                &st,
                &u,
                rt,
                &pairs,
                &inv.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => error::store_error(&u, e),
    }
}

fn target(ty: &str, id: &str) -> Option<(RecordType, i64)> {
    let rt = RecordType::from_path(ty)?;
    Some((rt, id.parse::<i64>().ok().filter(|n| *n > 0)?))
}

/// What an edit form is shown again with.
#[derive(Default)]
struct EditAgain {
    /// The values the user sent.
    pairs: Option<Vec<(String, String)>>,
    /// The version those values were edited from (kept across a refusal
    /// for invalid input, so that a change by someone else meanwhile is
    /// still caught).
    version: Option<String>,
    /// Someone else saved the record after the user opened it: show what
    /// differs, side by side, and let the user save over it knowingly.
    conflict: bool,
}

async fn render_edit(
    st: &AppState,
    u: &WebUser,
    rt: RecordType,
    id: i64,
    again: EditAgain,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let EditAgain {
        pairs,
        version,
        conflict,
    } = again;
    let lang = u.lang;
    let rec = match st.service.get(&u.actor, rt, id).await {
        Ok(r) => r,
        Err(e) => return error::store_error(u, e),
    };
    if let Err(d) = u.actor.may_write_org(rec.org_id) {
        return error::store_error(u, StoreError::Forbidden(d));
    }
    let fields = match fields(st, u, rt, false).await {
        Ok(f) => f,
        Err(e) => return error::store_error(u, e),
    };
    let saved = pairs_from(&fields, &rec.data, lang);
    let pairs = pairs.unwrap_or_else(|| saved.clone());
    // After a conflict the form carries the version now saved: saving it
    // again is a choice made with both versions in sight.
    let version = if conflict {
        rec.etag()
    } else {
        version.unwrap_or_else(|| rec.etag())
    };
    let names = Names::load(st).await.ok();
    let name = record_title(rt, &rec.data, names.as_ref(), lang);
    let title = format!("{}: {name}", t(lang, "Sửa", "Edit"));
    let detail = format!("/records/{}/{id}", rt.path());
    let values = |ps: &[(String, String)], name: &str| -> String {
        ps.iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let differing: Vec<(&Field, String, String)> = if conflict {
        fields
            .iter()
            .map(|fd| (fd, values(&saved, fd.name), values(&pairs, fd.name)))
            .filter(|(_, theirs, mine)| theirs != mine)
            .collect()
    } else {
        vec![]
    };
    let body = html! {
        nav.crumbs { a href={ "/records/" (rt.path()) } { (rt.label(lang)) } " › " a href=(detail) { (name) } }
        h1 { (title) }
        @if conflict {
            div.alert.error.conflict role="alert" {
                p {
                    strong { (t(lang, "Chưa lưu: ", "Not saved: ")) }
                    (t(lang, "người khác đã sửa hồ sơ này sau khi bạn mở nó", "someone else changed this record after you opened it"))
                    " (" (rec.updated_by) ", " (crate::kit::text::moment(rec.updated_at)) "). "
                    (t(lang, "Hãy đối chiếu hai bản dưới đây, sửa biểu mẫu theo ý bạn rồi lưu lại; bản đang lưu sẽ được thay bằng bản bạn lưu.",
                        "Compare the two versions below, adjust the form as you want it, and save again; what you save then replaces the saved version."))
                }
                @if differing.is_empty() {
                    p { (t(lang, "Các giá trị bạn gửi trùng với bản đang lưu.", "The values you sent are the same as the saved ones.")) }
                } @else {
                    table.conflict {
                        thead { tr {
                            th { (t(lang, "Trường", "Field")) }
                            th { (t(lang, "Bản đang lưu (của người khác)", "Saved now (theirs)")) }
                            th { (t(lang, "Bản của bạn (chưa lưu)", "Yours (not saved)")) }
                        } }
                        tbody {
                            @for (fd, theirs, mine) in &differing {
                                tr {
                                    th scope="row" { (field_label(fd.name, lang)) }
                                    td.theirs { @if theirs.is_empty() { "—" } @else { (theirs) } }
                                    td.mine { @if mine.is_empty() { "—" } @else { (mine) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (catalog_notice(rt, lang))
        (form_markup(u, &format!("{detail}/edit"), &detail, &fields, &pairs, errors, Some(&version)))
    };
    layout::respond(u, &title, status, body)
}

pub(crate) async fn edit_form(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
) -> Response {
    let Some((rt, id)) = target(&ty, &id) else {
        return error::not_found(u.lang, Some(&u));
    };
    render_edit(&st, &u, rt, id, EditAgain::default(), &[], StatusCode::OK).await
}

pub(crate) async fn edit_submit(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let Some((rt, id)) = target(&ty, &id) else {
        return error::not_found(u.lang, Some(&u));
    };
    let pairs = form_pairs(&body);
    let fields = match fields(&st, &u, rt, false).await {
        Ok(f) => f,
        Err(e) => return error::store_error(&u, e),
    };
    let patch = body_from(&fields, &pairs, u.lang, true);
    let version = pairs
        .iter()
        .find(|(k, _)| k == "_version")
        .map(|(_, v)| v.clone());
    match st
        .service
        .update_expecting(&u.actor, rt, id, &patch, version.as_deref())
        .await
    {
        Ok(_) => Redirect::to(&format!("/records/{}/{id}", rt.path())).into_response(),
        Err(StoreError::Invalid(inv)) => {
            render_edit(
                &st,
                &u,
                rt,
                id,
                EditAgain {
                    pairs: Some(pairs),
                    version,
                    conflict: false,
                },
                &inv.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::Stale(_)) => {
            render_edit(
                &st,
                &u,
                rt,
                id,
                EditAgain {
                    pairs: Some(pairs),
                    version: None,
                    conflict: true,
                },
                &[],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => error::store_error(&u, e),
    }
}

pub(crate) async fn delete_confirm(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
) -> Response {
    let lang = u.lang;
    let Some((rt, id)) = target(&ty, &id) else {
        return error::not_found(lang, Some(&u));
    };
    let rec = match st.service.get(&u.actor, rt, id).await {
        Ok(r) => r,
        Err(e) => return error::store_error(&u, e),
    };
    if let Err(d) = u.actor.may_write_org(rec.org_id) {
        return error::store_error(&u, StoreError::Forbidden(d));
    }
    let name = record_title(rt, &rec.data, None, lang);
    let title = t(lang, "Xóa hồ sơ", "Delete record");
    let body = html! {
        div.notice {
            h1 { (title) }
            p { (t(lang, "Bạn có chắc muốn xóa hồ sơ này? Thao tác được ghi vào lịch sử.", "Do you really want to delete this record? The deletion is kept in the history.")) }
            p { strong { (rt.label(lang)) ": " (name) } }
            form method="post" action={ "/records/" (rt.path()) "/" (id) "/delete" } {
                div.actions {
                    button.danger type="submit" { (t(lang, "Xóa", "Delete")) }
                    a.button href={ "/records/" (rt.path()) "/" (id) } { (t(lang, "Không xóa", "Keep it")) }
                }
            }
        }
    };
    layout::respond(&u, title, StatusCode::OK, body)
}

pub(crate) async fn delete_submit(
    State(st): State<AppState>,
    u: WebUser,
    Path((ty, id)): Path<(String, String)>,
) -> Response {
    let Some((rt, id)) = target(&ty, &id) else {
        return error::not_found(u.lang, Some(&u));
    };
    match st.service.delete(&u.actor, rt, id).await {
        Ok(()) => Redirect::to(&format!("/records/{}", rt.path())).into_response(),
        Err(e) => error::store_error(&u, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_replace_each_other_in_a_patch() {
        let p = |kind: &str, y1: &str, y2: &str| {
            vec![
                ("period.kind".to_owned(), kind.to_owned()),
                ("period.y1".to_owned(), y1.to_owned()),
                ("period.y2".to_owned(), y2.to_owned()),
            ]
        };
        assert_eq!(
            period_value(&p("year", "2022", ""), false).unwrap(),
            serde_json::json!({"year": 2022})
        );
        assert_eq!(
            period_value(&p("range", "2016", "2020"), false).unwrap(),
            serde_json::json!({"from": 2016, "to": 2020})
        );
        assert_eq!(
            period_value(&p("since", "1990", ""), true).unwrap(),
            serde_json::json!({"year": null, "from": null, "to": null, "as_of": null, "since": 1990})
        );
        assert!(period_value(&p("year", "", ""), false).is_none());
    }

    #[test]
    fn people_one_a_line() {
        assert_eq!(
            Value::Array(people_value(
                "Nguyễn Văn A; Phó Chủ tịch UBND tỉnh\r\n\n Trần Thị B \n"
            )),
            serde_json::json!([
                {"name": "Nguyễn Văn A", "position": "Phó Chủ tịch UBND tỉnh"},
                {"name": "Trần Thị B"}
            ])
        );
    }
}
