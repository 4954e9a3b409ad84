//! The record types: their bodies (what a client sends and reads back),
//! their validation, and the index projections the store keeps beside the
//! JSON body for filtering, sorting and search.
//!
//! One generic path serves all eight: `prepare(type, json, ctx)` checks the
//! body against its type and returns the normalised body and its `Index`.
//! `PATCH` is a JSON merge patch (RFC 7386) on the stored body followed by
//! the same `prepare`, so an edit can never leave a record that a create
//! would have refused.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::error::{FieldError, Invalid, Problem};
use crate::refdata::refdata;
use crate::values::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordType {
    Partner,
    Agreement,
    Delegation,
    Project,
    Event,
    AbtcApproval,
    OverseasContact,
    Observation,
    /// A project a province offers to investors, published in the public catalog.
    CatalogProject,
}

impl RecordType {
    pub const ALL: [RecordType; 9] = [
        RecordType::Partner,
        RecordType::Agreement,
        RecordType::Delegation,
        RecordType::Project,
        RecordType::Event,
        RecordType::AbtcApproval,
        RecordType::OverseasContact,
        RecordType::Observation,
        RecordType::CatalogProject,
    ];

    /// The collection name in URLs (`/api/v1/abtc-approvals`).
    pub fn path(self) -> &'static str {
        match self {
            RecordType::Partner => "partners",
            RecordType::Agreement => "agreements",
            RecordType::Delegation => "delegations",
            RecordType::Project => "projects",
            RecordType::Event => "events",
            RecordType::AbtcApproval => "abtc-approvals",
            RecordType::OverseasContact => "overseas-contacts",
            RecordType::Observation => "observations",
            RecordType::CatalogProject => "catalog-projects",
        }
    }

    /// The value of the `type` column.
    pub fn code(self) -> &'static str {
        match self {
            RecordType::Partner => "partner",
            RecordType::Agreement => "agreement",
            RecordType::Delegation => "delegation",
            RecordType::Project => "project",
            RecordType::Event => "event",
            RecordType::AbtcApproval => "abtc_approval",
            RecordType::OverseasContact => "overseas_contact",
            RecordType::Observation => "observation",
            RecordType::CatalogProject => "catalog_project",
        }
    }

    pub fn from_path(p: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.path() == p)
    }

    pub fn from_code(c: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.code() == c)
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (vi, en) = match self {
            RecordType::Partner => ("Đối tác", "Partners"),
            RecordType::Agreement => ("Thỏa thuận quốc tế", "Agreements"),
            RecordType::Delegation => ("Đoàn ra, đoàn vào", "Delegations"),
            RecordType::Project => ("Dự án FDI, ODA, PCPNN", "Projects"),
            RecordType::Event => ("Sự kiện", "Events"),
            RecordType::AbtcApproval => ("Thẻ ABTC", "ABTC approvals"),
            RecordType::OverseasContact => ("Người Việt Nam ở nước ngoài", "Overseas Vietnamese"),
            RecordType::Observation => ("Số liệu", "Figures"),
            RecordType::CatalogProject => ("Danh mục kêu gọi đầu tư", "Investment catalog"),
        };
        lang.pick(vi, en)
    }

    /// The values allowed in the `status` field, where the type has one.
    pub fn statuses(self) -> &'static [&'static str] {
        match self {
            RecordType::Agreement => AGREEMENT_STATUSES,
            RecordType::Delegation => DELEGATION_STATUSES,
            RecordType::Project => PROJECT_STATUSES,
            RecordType::AbtcApproval => ABTC_STATUSES,
            RecordType::CatalogProject => CATALOG_STATUSES,
            _ => &[],
        }
    }

    /// The values of the field exposed as the `kind` filter.
    pub fn kinds(self) -> Vec<&'static str> {
        match self {
            RecordType::Partner => PARTNER_KINDS.to_vec(),
            RecordType::Agreement => AGREEMENT_KINDS.to_vec(),
            RecordType::Delegation => DIRECTIONS.to_vec(),
            RecordType::Project => PROJECT_KINDS.to_vec(),
            RecordType::Event => EVENT_KINDS.to_vec(),
            RecordType::AbtcApproval | RecordType::CatalogProject => vec![],
            RecordType::OverseasContact => OVERSEAS_KINDS.to_vec(),
            RecordType::Observation => refdata()
                .indicators
                .iter()
                .map(|i| i.code.as_str())
                .collect(),
        }
    }
}

pub const PARTNER_KINDS: &[&str] = &[
    "foreign_locality",
    "ngo",
    "international_org",
    "enterprise",
    "university",
    "chamber_of_commerce",
    "ministry",
    "diplomatic_mission",
    "political_party",
    "friendship_society",
    "other",
];
pub const AGREEMENT_KINDS: &[&str] = &["agreement", "mou", "twinning"];
pub const AGREEMENT_STATUSES: &[&str] = &[
    "draft",
    "consulting",
    "approved",
    "signed",
    "in_force",
    "expired",
    "terminated",
    "renewed",
];
pub const DIRECTIONS: &[&str] = &["inbound", "outbound"];
/// Every delegation status; which ones a delegation may take depends on its
/// direction (`OUTBOUND_STATUSES`, `INBOUND_STATUSES`; see `workflow`).
pub const DELEGATION_STATUSES: &[&str] = &[
    "draft",
    "submitted",
    "approved",
    "rejected",
    "travelling",
    "returned",
    "planned",
    "confirmed",
    "received",
    "reported",
    "cancelled",
];
pub const OUTBOUND_STATUSES: &[&str] = &[
    "draft",
    "submitted",
    "approved",
    "rejected",
    "travelling",
    "returned",
    "reported",
    "cancelled",
];
pub const INBOUND_STATUSES: &[&str] =
    &["planned", "confirmed", "received", "reported", "cancelled"];
pub const PROJECT_KINDS: &[&str] = &["fdi", "oda", "ngo_aid"];
pub const PROJECT_STATUSES: &[&str] = &[
    "proposed",
    "appraisal",
    "approved",
    "active",
    "completed",
    "suspended",
    "cancelled",
];
pub const EVENT_KINDS: &[&str] = &[
    "trade_promotion",
    "investment_promotion",
    "fair",
    "conference",
    "seminar",
    "cultural",
    "foreign_information",
    "other",
];
pub const ABTC_STATUSES: &[&str] = &["applied", "checked", "approved", "refused", "issued"];
pub const OVERSEAS_KINDS: &[&str] = &["association", "person"];
pub const QUALIFIERS: &[&str] = &["exact", "over", "under", "about"];
pub const SOURCES: &[&str] = &["manual", "import", "reader", "derived"];
pub const OBS_UNITS: &[&str] = &["USD", "VND", "count", "percent", "people"];
/// A catalog project is visible to the public only while `published`.
pub const CATALOG_STATUSES: &[&str] = &["draft", "published", "withdrawn"];
pub const CATALOG_PUBLISHED: &str = "published";
/// The languages every published catalog project must be written in.
pub const CATALOG_REQUIRED_LANGS: &[&str] = &["vi", "en"];

// ---------------------------------------------------------------- bodies

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 50))]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub position: Option<String>,
}

/// One day's item of a visit's programme.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeItem {
    #[schemars(extend("format" = "date"))]
    pub date: String,
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub activity: String,
}

/// A body consulted on an agreement.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// The body asked (Bộ Ngoại giao, Sở Tư pháp, Công an tỉnh …).
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub asked_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub answered_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub opinion: Option<String>,
    /// The body is the Ministry of Foreign Affairs, which has a set number
    /// of working days to answer (7 by default, NĐ 64/2021/NĐ-CP): its
    /// answer is then tracked as a deadline.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ministry: bool,
}

/// An APEC economy's pre-clearance of a card holder.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preclearance {
    /// ISO 3166-1 alpha-2 code of the APEC economy.
    #[schemars(with = "crate::codes::ApecEconomy")]
    pub economy: String,
    #[schemars(extend("enum" = ["pending", "cleared", "refused"]))]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub on: Option<String>,
}

/// A payment of aid on a date.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disbursement {
    #[schemars(extend("format" = "date"))]
    pub on: String,
    pub amount: Money,
}

/// A foreign partner: a foreign locality (province, state, city), a foreign
/// organisation, or a foreign diplomatic mission in Vietnam.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// The name in Vietnamese usage ("Xiêng Khoảng", "Gelderland").
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub name: String,
    /// The name in the original language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub name_original: Option<String>,
    #[schemars(extend("enum" = ["foreign_locality", "ngo", "international_org", "enterprise", "university", "chamber_of_commerce", "ministry", "diplomatic_mission", "political_party", "friendship_society", "other"]))]
    pub kind: String,
    /// ISO 3166-1 alpha-2.
    #[schemars(with = "crate::codes::CountryCode")]
    pub country: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<crate::codes::SectorCode>", length(max = 20))]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    pub contacts: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 500))]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// `vn` for the Vietnamese side, `foreign` for the partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["vn", "foreign"]))]
    pub side: Option<String>,
}

/// A local-level international agreement, memorandum of understanding or twinning.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub title: String,
    #[schemars(extend("enum" = ["agreement", "mou", "twinning"]))]
    pub kind: String,
    /// The partners (ids of `partners` records of the same organisation); one or more.
    #[schemars(length(min = 1, max = 50))]
    pub partner_ids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<crate::codes::SectorCode>", length(max = 20))]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub signed_on: Option<String>,
    /// Where it was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub signed_place: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatories: Vec<Signatory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub valid_from: Option<String>,
    /// Absent for an open-ended agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub valid_until: Option<String>,
    #[serde(default = "default_draft")]
    #[schemars(extend("enum" = ["draft", "consulting", "approved", "signed", "in_force", "expired", "terminated", "renewed"]))]
    pub status: String,
    /// The bodies consulted before approval (NĐ 64/2021/NĐ-CP Art. 5), each
    /// with when it was asked, when it answered and its opinion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consultations: Vec<Consultation>,
    /// When the report to the Prime Minister and the copy to the Ministry
    /// are due (set when the agreement is signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub report_due: Option<String>,
    /// When the report to the Prime Minister was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub reported_pm_on: Option<String>,
    /// When the copy was sent to the Ministry of Foreign Affairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub copy_to_mofa_on: Option<String>,
    /// The agreement this one renews or replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces_id: Option<i64>,
    /// The provincial unit of its time (a former unit for agreements signed before the 2025 merger).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    /// Inherited from a unit merged in 2025 (NĐ 177/2025/NĐ-CP).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

fn default_draft() -> String {
    "draft".into()
}
fn default_planned() -> String {
    "planned".into()
}
fn default_active() -> String {
    "active".into()
}
fn default_applied() -> String {
    "applied".into()
}
fn default_exact() -> String {
    "exact".into()
}
fn default_manual() -> String {
    "manual".into()
}

/// A delegation sent abroad (`outbound`) or received (`inbound`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    #[schemars(extend("enum" = ["inbound", "outbound"]))]
    pub direction: String,
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Person>,
    /// ISO 3166-1 alpha-2 codes of the countries visited or sending the delegation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<crate::codes::CountryCode>")]
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_ids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub start_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub end_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub funding_source: Option<String>,
    /// The number of the decision that sent the delegation (outbound) or
    /// allowed the visit (inbound): "Số QĐ cử đoàn", "125/QĐ-UBND".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub decision_number: Option<String>,
    /// Outbound: draft, submitted, approved, rejected, travelling, returned,
    /// reported (or cancelled). Inbound: planned, confirmed, received,
    /// reported (or cancelled). An outbound delegation sent as `planned`
    /// is stored as `draft`.
    #[serde(default = "default_planned")]
    #[schemars(extend("enum" = ["draft", "submitted", "approved", "rejected", "travelling", "returned", "planned", "confirmed", "received", "reported", "cancelled"]))]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub outcome: Option<String>,
    /// Inbound: the programme of the visit, day by day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programme: Vec<ProgrammeItem>,
    /// Inbound: the guests received.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guests: Vec<Person>,
    /// When the proposal was submitted for approval (set by the step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub submitted_on: Option<String>,
    /// When it was approved, rejected or confirmed (set by the step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub decided_on: Option<String>,
    /// When the delegation came back (outbound) or was received (inbound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub returned_on: Option<String>,
    /// When the report on the trip is due (a number of working days after return).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub report_due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub reported_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

/// A foreign direct investment, ODA or foreign NGO aid project.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    #[schemars(extend("enum" = ["fdi", "oda", "ngo_aid"]))]
    pub kind: String,
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub name: String,
    /// The investor or donor (a `partners` record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investor_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// Capital registered (FDI) or committed (ODA, aid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disbursed: Option<Money>,
    /// Date of the investment licence or the approval decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub approved_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub period_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub period_until: Option<String>,
    /// Foreign NGO aid moves proposed → appraisal → approved → active (in
    /// progress) → completed (closed); see `workflow`.
    #[serde(default = "default_active")]
    #[schemars(extend("enum" = ["proposed", "appraisal", "approved", "active", "completed", "suspended", "cancelled"]))]
    pub status: String,
    /// Money paid out, by date (foreign NGO aid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disbursements: Vec<Disbursement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

/// A trade or investment promotion, fair, international conference or
/// seminar, or cultural-diplomacy event.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    #[schemars(extend("enum" = ["trade_promotion", "investment_promotion", "fair", "conference", "seminar", "cultural", "foreign_information", "other"]))]
    pub kind: String,
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub start_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub end_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_ids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

/// Permission for a businessperson to use an APEC Business Travel Card.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AbtcApproval {
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub person_name: String,
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub enterprise: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub position: Option<String>,
    /// APEC economies requested (ISO 3166-1 alpha-2).
    #[schemars(with = "Vec<crate::codes::ApecEconomy>", length(min = 1))]
    pub economies: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub decision_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub decision_on: Option<String>,
    #[serde(default = "default_applied")]
    #[schemars(extend("enum" = ["applied", "checked", "approved", "refused", "issued"]))]
    pub status: String,
    /// Months the enterprise has operated continuously (at least 12 to pass the check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_months: Option<u32>,
    /// Months the applicant has worked there (at least 12 to pass the check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_months: Option<u32>,
    /// Pre-clearance per APEC economy, as the economies answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preclearance: Vec<Preclearance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub card_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub card_issued_on: Option<String>,
    /// Five years after issue by default (QĐ 09/2023/QĐ-TTg).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub card_expires_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

/// An overseas Vietnamese association or person.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverseasContact {
    #[schemars(extend("enum" = ["association", "person"]))]
    pub kind: String,
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub name: String,
    #[schemars(with = "crate::codes::CountryCode")]
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub city: Option<String>,
    /// Field of activity (business, science, culture …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 500))]
    pub contact: Option<String>,
    /// The person agreed to have their personal data kept (Nghị định 13/2023/NĐ-CP). Required for a person.
    #[serde(default)]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub consent_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

/// A reported figure: one indicator for one locality and period.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// A code of the indicator vocabulary (`GET /api/v1/indicators`).
    pub indicator: String,
    /// The provincial unit of the figure's time (`tien-giang` for a 2019
    /// figure of Tiền Giang), or `viet-nam` for a national figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    pub period: Period,
    pub value: Amount,
    #[schemars(extend("enum" = ["USD", "VND", "count", "percent", "people"]))]
    pub unit: String,
    #[serde(default = "default_exact")]
    #[schemars(extend("enum" = ["exact", "over", "under", "about"]))]
    pub qualifier: String,
    /// Growth stated with the figure, in percent (37.91 for "tăng 37,91%").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_pct: Option<Amount>,
    #[serde(default = "default_manual")]
    #[schemars(extend("enum" = ["manual", "import", "reader", "derived"]))]
    pub source: String,
    /// Where the figure comes from (a document, a report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 500))]
    pub source_document: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub note: Option<String>,
}

/// The text of a catalog project in one language.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogText {
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub name: String,
    /// What the project is: products, capacity, market.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = CATALOG_TEXT_MAX))]
    pub summary: Option<String>,
    /// Incentives offered (land rent, tax, support) as the province states them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = CATALOG_TEXT_MAX))]
    pub incentives: Option<String>,
    /// Where it is, in words of this language (industrial park, commune).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub location: Option<String>,
}

/// A project a province invites investment in, for the public catalog
/// (`/catalog`). Only `published` projects are ever shown to the public;
/// `notes` are internal and never shown there.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogProject {
    /// The texts per language code (ISO 639-1: `vi`, `en`, `ja`, `ko` …).
    /// `vi` is always required; `vi` and `en` before publication.
    #[schemars(extend("propertyNames" = {"pattern": "^[a-z]{2}$"}))]
    pub translations: std::collections::BTreeMap<String, CatalogText>,
    /// A sector code of `values::SECTORS` (agriculture, industry, infrastructure …).
    #[schemars(with = "crate::codes::SectorCode")]
    pub sector: String,
    #[serde(default = "default_draft")]
    #[schemars(extend("enum" = ["draft", "published", "withdrawn"]))]
    pub status: String,
    /// The provincial unit where the project is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    /// Land area in hectares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_ha: Option<Amount>,
    /// Total investment capital sought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital: Option<Money>,
    /// Countries whose investors the province addresses (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<crate::codes::CountryCode>", length(max = 50))]
    pub countries_of_interest: Vec<String>,
    /// Whom an investor writes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Internal notes (sources, follow-up); never shown in the public catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

impl CatalogProject {
    /// The text in `lang`, else Vietnamese, else any.
    pub fn text(&self, lang: &str) -> Option<&CatalogText> {
        self.translations
            .get(lang)
            .or_else(|| self.translations.get("vi"))
            .or_else(|| self.translations.values().next())
    }
}

fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

// ---------------------------------------------------------------- index

/// The columns the store keeps beside a record's JSON body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    pub title: String,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub year: Option<i32>,
    /// The record's main date (ISO), for sorting and "what is coming".
    pub date: Option<String>,
    /// The end of its validity or of the trip, for "expiring soon".
    pub date_end: Option<String>,
    pub country: Option<String>,
    /// The provincial unit of the record's time (slug), or `viet-nam`.
    pub locality: Option<String>,
    pub amount: Option<Decimal>,
    /// Currency of `amount`, or the unit of an observation's value.
    pub unit: Option<String>,
    /// Multi-valued filters: `country:KH`, `sector:agriculture`.
    pub tags: BTreeSet<String>,
    /// Links to other records: (relation, id). Checked by the store to be
    /// partners (or agreements, for `replaces`) within the caller's reach.
    pub links: Vec<(&'static str, i64)>,
    /// Text to fold into the search column (the store adds linked titles).
    pub search: String,
}

/// What validation needs to know about where the record goes.
pub struct Context<'a> {
    /// Unit slugs (current or former) a record of the owning organisation may
    /// be tagged with; `None` allows any unit and `viet-nam` (the Ministry).
    pub allowed_localities: Option<Vec<String>>,
    /// The owning organisation's own unit, used when a body names none.
    pub default_locality: Option<String>,
    /// Indicator codes and their allowed units.
    pub indicators: &'a [(String, Vec<String>)],
}

pub const NATIONAL: &str = "viet-nam";

trait Body: DeserializeOwned + Serialize + JsonSchema {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid);
    fn index(&self) -> Index;
}

fn push_search(idx: &mut Index, parts: &[Option<&str>]) {
    for p in parts.iter().flatten() {
        if !p.is_empty() {
            idx.search.push_str(p);
            idx.search.push(' ');
        }
    }
}

fn country_words(code: &str) -> String {
    match refdata().country(code) {
        Some(c) => format!("{} {} {}", c.alpha2, c.name_vi, c.name_en),
        None => code.to_owned(),
    }
}

fn check_country(field: &str, code: &str, errs: &mut Invalid) {
    if refdata().country(code).is_none() {
        errs.push(
            field,
            Problem::UnknownCountry {
                value: code.to_owned(),
            },
        );
    }
}

fn check_locality(field: &str, loc: &mut Option<String>, ctx: &Context, errs: &mut Invalid) {
    match loc {
        None => *loc = ctx.default_locality.clone(),
        Some(slug) => match &ctx.allowed_localities {
            None => {
                if slug != NATIONAL && refdata().unit(slug).is_none() {
                    errs.push(
                        field,
                        Problem::UnknownUnit {
                            value: slug.clone(),
                        },
                    );
                }
            }
            Some(allowed) => {
                if !allowed.contains(slug) {
                    if refdata().unit(slug).is_none() && slug != NATIONAL {
                        errs.push(
                            field,
                            Problem::UnknownUnit {
                                value: slug.clone(),
                            },
                        );
                    } else {
                        errs.push(
                            field,
                            Problem::UnitOutsideOrg {
                                value: slug.clone(),
                            },
                        );
                    }
                }
            }
        },
    }
}

fn locality_words(slug: Option<&str>) -> String {
    match slug.and_then(|s| refdata().unit(s)) {
        Some(u) => u.name.clone(),
        None => slug
            .map(|s| {
                if s == NATIONAL {
                    "Việt Nam".to_owned()
                } else {
                    s.to_owned()
                }
            })
            .unwrap_or_default(),
    }
}

fn check_dates_in_order(
    a: (&str, Option<time::Date>),
    b: (&'static str, &str, Option<time::Date>),
    errs: &mut Invalid,
) {
    if let (Some(x), Some(y)) = (a.1, b.2)
        && y < x
    {
        errs.push(
            b.1,
            Problem::DateOrder {
                earlier_field: leak(a.0),
            },
        );
    }
    let _ = b.0;
}

/// Field names are static in every call; this keeps `Problem` free of lifetimes.
fn leak(s: &str) -> &'static str {
    match s {
        "valid_from" => "valid_from",
        "start_on" => "start_on",
        "period_from" => "period_from",
        _ => "the start",
    }
}

fn year_of(d: Option<time::Date>) -> Option<i32> {
    d.map(|d| d.year())
}

fn iso(d: Option<time::Date>) -> Option<String> {
    d.map(format_date)
}

fn check_opt_len(field: &str, v: &Option<String>, max: usize, errs: &mut Invalid) {
    if let Some(v) = v {
        check_len(field, v, max, errs);
    }
}

fn check_people(field: &str, people: &[Person], errs: &mut Invalid) {
    if people.len() > 500 {
        errs.push(field, Problem::TooMany { max: 500 });
    }
    for (i, p) in people.iter().enumerate() {
        check_required_text(&format!("{field}[{i}].name"), &p.name, 200, errs);
        check_opt_len(&format!("{field}[{i}].position"), &p.position, 200, errs);
    }
}

const NAME_MAX: usize = 300;
const TITLE_MAX: usize = 500;
const NOTES_MAX: usize = 20_000;

impl Body for Partner {
    fn check(&mut self, _ctx: &Context, errs: &mut Invalid) {
        check_required_text("name", &self.name, NAME_MAX, errs);
        check_opt_len("name_original", &self.name_original, NAME_MAX, errs);
        check_one_of("kind", &self.kind, PARTNER_KINDS, errs);
        self.country = self.country.to_ascii_uppercase();
        check_country("country", &self.country, errs);
        check_sectors("sectors", &self.sectors, errs);
        if self.contacts.len() > 50 {
            errs.push("contacts", Problem::TooMany { max: 50 });
        }
        for (i, c) in self.contacts.iter().enumerate() {
            check_required_text(&format!("contacts[{i}].name"), &c.name, 200, errs);
            check_opt_len(&format!("contacts[{i}].position"), &c.position, 200, errs);
            check_opt_len(&format!("contacts[{i}].email"), &c.email, 200, errs);
            check_opt_len(&format!("contacts[{i}].phone"), &c.phone, 50, errs);
        }
        check_opt_len("website", &self.website, 500, errs);
        check_opt_len("notes", &self.notes, NOTES_MAX, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.name.trim().to_owned(),
            kind: Some(self.kind.clone()),
            country: Some(self.country.clone()),
            ..Index::default()
        };
        idx.tags.insert(format!("country:{}", self.country));
        idx.tags
            .extend(self.sectors.iter().map(|s| format!("sector:{s}")));
        let cw = country_words(&self.country);
        push_search(
            &mut idx,
            &[
                Some(&self.name),
                self.name_original.as_deref(),
                Some(&cw),
                self.notes.as_deref(),
            ],
        );
        for c in &self.contacts {
            push_search(&mut idx, &[Some(&c.name)]);
        }
        idx
    }
}

impl Body for Agreement {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_required_text("title", &self.title, TITLE_MAX, errs);
        check_one_of("kind", &self.kind, AGREEMENT_KINDS, errs);
        if self.partner_ids.is_empty() {
            errs.push("partner_ids", Problem::Required);
        }
        if self.partner_ids.len() > 50 {
            errs.push("partner_ids", Problem::TooMany { max: 50 });
        }
        check_sectors("sectors", &self.sectors, errs);
        let signed = check_date("signed_on", &self.signed_on, errs);
        let from = check_date("valid_from", &self.valid_from, errs);
        let until = check_date("valid_until", &self.valid_until, errs);
        check_dates_in_order(("valid_from", from), ("", "valid_until", until), errs);
        self.signed_on = iso(signed);
        self.valid_from = iso(from);
        self.valid_until = iso(until);
        check_opt_len("signed_place", &self.signed_place, NAME_MAX, errs);
        for (i, s) in self.signatories.iter().enumerate() {
            check_required_text(&format!("signatories[{i}].name"), &s.name, 200, errs);
            if let Some(side) = &s.side {
                check_one_of(
                    &format!("signatories[{i}].side"),
                    side,
                    &["vn", "foreign"],
                    errs,
                );
            }
        }
        check_one_of("status", &self.status, AGREEMENT_STATUSES, errs);
        for (field, v) in [
            ("report_due", &mut self.report_due),
            ("reported_pm_on", &mut self.reported_pm_on),
            ("copy_to_mofa_on", &mut self.copy_to_mofa_on),
        ] {
            let d = check_date(field, v, errs);
            *v = iso(d);
        }
        for (i, c) in self.consultations.iter_mut().enumerate() {
            check_required_text(&format!("consultations[{i}].body"), &c.body, NAME_MAX, errs);
            let a = check_date(&format!("consultations[{i}].asked_on"), &c.asked_on, errs);
            let b = check_date(
                &format!("consultations[{i}].answered_on"),
                &c.answered_on,
                errs,
            );
            c.asked_on = iso(a);
            c.answered_on = iso(b);
            check_opt_len(
                &format!("consultations[{i}].opinion"),
                &c.opinion,
                NOTES_MAX,
                errs,
            );
        }
        check_locality("locality", &mut self.locality, ctx, errs);
        check_opt_len("notes", &self.notes, NOTES_MAX, errs);
    }
    fn index(&self) -> Index {
        let signed = self.signed_on.as_deref().and_then(parse_date);
        let from = self.valid_from.as_deref().and_then(parse_date);
        let mut idx = Index {
            title: self.title.trim().to_owned(),
            kind: Some(self.kind.clone()),
            status: Some(self.status.clone()),
            year: year_of(signed.or(from)),
            date: iso(signed.or(from)),
            date_end: self.valid_until.clone(),
            locality: self.locality.clone(),
            ..Index::default()
        };
        idx.tags
            .extend(self.sectors.iter().map(|s| format!("sector:{s}")));
        idx.links
            .extend(self.partner_ids.iter().map(|id| ("partner", *id)));
        if let Some(r) = self.replaces_id {
            idx.links.push(("replaces", r));
        }
        let loc = locality_words(self.locality.as_deref());
        push_search(
            &mut idx,
            &[
                Some(&self.title),
                self.signed_place.as_deref(),
                Some(&loc),
                self.notes.as_deref(),
            ],
        );
        for s in &self.signatories {
            push_search(&mut idx, &[Some(&s.name)]);
        }
        idx
    }
}

impl Body for Delegation {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_one_of("direction", &self.direction, DIRECTIONS, errs);
        check_required_text("purpose", &self.purpose, TITLE_MAX, errs);
        if let Some(l) = &self.leader {
            check_required_text("leader.name", &l.name, 200, errs);
            check_opt_len("leader.position", &l.position, 200, errs);
        }
        check_people("members", &self.members, errs);
        if let Some(n) = self.member_count
            && (n as usize) < self.members.len()
        {
            errs.push(
                "member_count",
                Problem::Invalid {
                    vi: format!(
                        "Số thành viên ({n}) ít hơn danh sách thành viên ({}).",
                        self.members.len()
                    ),
                    en: format!(
                        "member_count ({n}) is less than the members listed ({}).",
                        self.members.len()
                    ),
                },
            );
        }
        for (i, c) in self.countries.iter_mut().enumerate() {
            *c = c.to_ascii_uppercase();
            check_country(&format!("countries[{i}]"), c, errs);
        }
        let start = check_date("start_on", &self.start_on, errs);
        let end = check_date("end_on", &self.end_on, errs);
        check_dates_in_order(("start_on", start), ("", "end_on", end), errs);
        self.start_on = iso(start);
        self.end_on = iso(end);
        if let Some(b) = &self.budget {
            b.check("budget", errs);
        }
        check_opt_len("funding_source", &self.funding_source, NAME_MAX, errs);
        check_opt_len("decision_number", &self.decision_number, 100, errs);
        check_opt_len("notes", &self.notes, NOTES_MAX, errs);
        // Statuses of the earlier vocabulary, and an outbound delegation
        // sent as `planned`, map onto the workflow's states.
        self.status = match (self.direction.as_str(), self.status.as_str()) {
            ("outbound", "planned") => "draft".into(),
            ("inbound", "approved") => "confirmed".into(),
            (_, "done") => "reported".into(),
            _ => std::mem::take(&mut self.status),
        };
        let allowed = if self.direction == "inbound" {
            INBOUND_STATUSES
        } else {
            OUTBOUND_STATUSES
        };
        check_one_of("status", &self.status, allowed, errs);
        for (field, v) in [
            ("submitted_on", &mut self.submitted_on),
            ("decided_on", &mut self.decided_on),
            ("returned_on", &mut self.returned_on),
            ("report_due", &mut self.report_due),
            ("reported_on", &mut self.reported_on),
        ] {
            let d = check_date(field, v, errs);
            *v = iso(d);
        }
        for (i, p) in self.programme.iter_mut().enumerate() {
            let d = check_date(&format!("programme[{i}].date"), &Some(p.date.clone()), errs);
            if let Some(d) = iso(d) {
                p.date = d;
            }
            check_required_text(
                &format!("programme[{i}].activity"),
                &p.activity,
                TITLE_MAX,
                errs,
            );
        }
        check_people("guests", &self.guests, errs);
        check_opt_len("outcome", &self.outcome, NOTES_MAX, errs);
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let start = self.start_on.as_deref().and_then(parse_date);
        let mut idx = Index {
            title: self.purpose.trim().to_owned(),
            kind: Some(self.direction.clone()),
            status: Some(self.status.clone()),
            year: year_of(start),
            date: self.start_on.clone(),
            date_end: self.end_on.clone(),
            country: self.countries.first().cloned(),
            locality: self.locality.clone(),
            amount: self.budget.as_ref().map(|b| b.amount.0),
            unit: self.budget.as_ref().map(|b| b.currency.clone()),
            ..Index::default()
        };
        idx.tags
            .extend(self.countries.iter().map(|c| format!("country:{c}")));
        idx.links
            .extend(self.partner_ids.iter().map(|id| ("partner", *id)));
        let words: Vec<String> = self.countries.iter().map(|c| country_words(c)).collect();
        let loc = locality_words(self.locality.as_deref());
        push_search(
            &mut idx,
            &[
                Some(&self.purpose),
                self.leader.as_ref().map(|l| l.name.as_str()),
                Some(&words.join(" ")),
                Some(&loc),
                self.outcome.as_deref(),
                self.decision_number.as_deref(),
            ],
        );
        idx
    }
}

impl Body for Project {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_one_of("kind", &self.kind, PROJECT_KINDS, errs);
        check_required_text("name", &self.name, TITLE_MAX, errs);
        if let Some(c) = &mut self.country {
            *c = c.to_ascii_uppercase();
            check_country("country", c, errs);
        }
        if let Some(s) = &self.sector {
            check_sectors("sector", std::slice::from_ref(s), errs);
        }
        if let Some(m) = &self.capital {
            m.check("capital", errs);
        }
        if let Some(m) = &self.disbursed {
            m.check("disbursed", errs);
        }
        let approved = check_date("approved_on", &self.approved_on, errs);
        let from = check_date("period_from", &self.period_from, errs);
        let until = check_date("period_until", &self.period_until, errs);
        check_dates_in_order(("period_from", from), ("", "period_until", until), errs);
        self.approved_on = iso(approved);
        self.period_from = iso(from);
        self.period_until = iso(until);
        check_one_of("status", &self.status, PROJECT_STATUSES, errs);
        for (i, d) in self.disbursements.iter_mut().enumerate() {
            let on = check_date(&format!("disbursements[{i}].on"), &Some(d.on.clone()), errs);
            if let Some(on) = iso(on) {
                d.on = on;
            }
            d.amount.check(&format!("disbursements[{i}].amount"), errs);
        }
        check_opt_len("location", &self.location, NAME_MAX, errs);
        check_locality("locality", &mut self.locality, ctx, errs);
        check_opt_len("notes", &self.notes, NOTES_MAX, errs);
    }
    fn index(&self) -> Index {
        let approved = self.approved_on.as_deref().and_then(parse_date);
        let from = self.period_from.as_deref().and_then(parse_date);
        let mut idx = Index {
            title: self.name.trim().to_owned(),
            kind: Some(self.kind.clone()),
            status: Some(self.status.clone()),
            year: year_of(approved.or(from)),
            date: iso(approved.or(from)),
            date_end: self.period_until.clone(),
            country: self.country.clone(),
            locality: self.locality.clone(),
            amount: self.capital.as_ref().map(|m| m.amount.0),
            unit: self.capital.as_ref().map(|m| m.currency.clone()),
            ..Index::default()
        };
        if let Some(c) = &self.country {
            idx.tags.insert(format!("country:{c}"));
        }
        if let Some(s) = &self.sector {
            idx.tags.insert(format!("sector:{s}"));
        }
        if let Some(i) = self.investor_id {
            idx.links.push(("investor", i));
        }
        let cw = self.country.as_deref().map(country_words);
        let loc = locality_words(self.locality.as_deref());
        push_search(
            &mut idx,
            &[
                Some(&self.name),
                cw.as_deref(),
                self.location.as_deref(),
                Some(&loc),
                self.notes.as_deref(),
            ],
        );
        idx
    }
}

impl Body for Event {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_one_of("kind", &self.kind, EVENT_KINDS, errs);
        check_required_text("title", &self.title, TITLE_MAX, errs);
        let start = check_date("start_on", &self.start_on, errs);
        let end = check_date("end_on", &self.end_on, errs);
        check_dates_in_order(("start_on", start), ("", "end_on", end), errs);
        self.start_on = iso(start);
        self.end_on = iso(end);
        check_opt_len("place", &self.place, NAME_MAX, errs);
        if let Some(c) = &mut self.country {
            *c = c.to_ascii_uppercase();
            check_country("country", c, errs);
        }
        check_locality("locality", &mut self.locality, ctx, errs);
        check_opt_len("notes", &self.notes, NOTES_MAX, errs);
    }
    fn index(&self) -> Index {
        let start = self.start_on.as_deref().and_then(parse_date);
        let mut idx = Index {
            title: self.title.trim().to_owned(),
            kind: Some(self.kind.clone()),
            year: year_of(start),
            date: self.start_on.clone(),
            date_end: self.end_on.clone(),
            country: self.country.clone(),
            locality: self.locality.clone(),
            ..Index::default()
        };
        if let Some(c) = &self.country {
            idx.tags.insert(format!("country:{c}"));
        }
        idx.links
            .extend(self.partner_ids.iter().map(|id| ("partner", *id)));
        let cw = self.country.as_deref().map(country_words);
        let loc = locality_words(self.locality.as_deref());
        push_search(
            &mut idx,
            &[
                Some(&self.title),
                self.place.as_deref(),
                cw.as_deref(),
                Some(&loc),
                self.notes.as_deref(),
            ],
        );
        idx
    }
}

impl Body for AbtcApproval {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_required_text("person_name", &self.person_name, 200, errs);
        check_required_text("enterprise", &self.enterprise, NAME_MAX, errs);
        check_opt_len("position", &self.position, 200, errs);
        if self.economies.is_empty() {
            errs.push("economies", Problem::Required);
        }
        for (i, e) in self.economies.iter_mut().enumerate() {
            *e = e.to_ascii_uppercase();
            if !refdata().is_apec(e) {
                errs.push(
                    format!("economies[{i}]"),
                    Problem::NotApec { value: e.clone() },
                );
            }
        }
        check_opt_len("decision_number", &self.decision_number, 100, errs);
        let d = check_date("decision_on", &self.decision_on, errs);
        self.decision_on = iso(d);
        check_one_of("status", &self.status, ABTC_STATUSES, errs);
        for (i, p) in self.preclearance.iter_mut().enumerate() {
            p.economy = p.economy.to_ascii_uppercase();
            if !refdata().is_apec(&p.economy) {
                errs.push(
                    format!("preclearance[{i}].economy"),
                    Problem::NotApec {
                        value: p.economy.clone(),
                    },
                );
            }
            check_one_of(
                &format!("preclearance[{i}].status"),
                &p.status,
                &["pending", "cleared", "refused"],
                errs,
            );
            let d = check_date(&format!("preclearance[{i}].on"), &p.on, errs);
            p.on = iso(d);
        }
        check_opt_len("card_number", &self.card_number, 100, errs);
        for (field, v) in [
            ("card_issued_on", &mut self.card_issued_on),
            ("card_expires_on", &mut self.card_expires_on),
        ] {
            let d = check_date(field, v, errs);
            *v = iso(d);
        }
        check_locality("locality", &mut self.locality, ctx, errs);
        check_opt_len("notes", &self.notes, NOTES_MAX, errs);
    }
    fn index(&self) -> Index {
        let d = self.decision_on.as_deref().and_then(parse_date);
        let mut idx = Index {
            title: format!("{} — {}", self.person_name.trim(), self.enterprise.trim()),
            status: Some(self.status.clone()),
            year: year_of(d),
            date: self.decision_on.clone(),
            // The card's expiry, for the cards to renew (`/tasks`).
            date_end: self.card_expires_on.clone(),
            locality: self.locality.clone(),
            ..Index::default()
        };
        idx.tags
            .extend(self.economies.iter().map(|c| format!("country:{c}")));
        push_search(
            &mut idx,
            &[
                Some(&self.person_name),
                Some(&self.enterprise),
                self.position.as_deref(),
                self.decision_number.as_deref(),
            ],
        );
        idx
    }
}

impl Body for OverseasContact {
    fn check(&mut self, _ctx: &Context, errs: &mut Invalid) {
        check_one_of("kind", &self.kind, OVERSEAS_KINDS, errs);
        check_required_text("name", &self.name, NAME_MAX, errs);
        self.country = self.country.to_ascii_uppercase();
        check_country("country", &self.country, errs);
        check_opt_len("city", &self.city, 200, errs);
        check_opt_len("field", &self.field, 200, errs);
        check_opt_len("contact", &self.contact, 500, errs);
        if self.kind == "person" && !self.consent {
            errs.push(
                "consent",
                Problem::Invalid {
                    vi: "Cần có sự đồng ý của người này trước khi lưu dữ liệu cá nhân.".into(),
                    en: "The person's consent is required before keeping their personal data."
                        .into(),
                },
            );
        }
        let d = check_date("consent_on", &self.consent_on, errs);
        self.consent_on = iso(d);
        check_opt_len("notes", &self.notes, NOTES_MAX, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.name.trim().to_owned(),
            kind: Some(self.kind.clone()),
            country: Some(self.country.clone()),
            ..Index::default()
        };
        idx.tags.insert(format!("country:{}", self.country));
        let cw = country_words(&self.country);
        push_search(
            &mut idx,
            &[
                Some(&self.name),
                Some(&cw),
                self.city.as_deref(),
                self.field.as_deref(),
                self.notes.as_deref(),
            ],
        );
        idx
    }
}

impl Body for Observation {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        match ctx
            .indicators
            .iter()
            .find(|(code, _)| *code == self.indicator)
        {
            None => errs.push(
                "indicator",
                Problem::UnknownIndicator {
                    value: self.indicator.clone(),
                },
            ),
            Some((_, units)) => {
                if !units.contains(&self.unit) {
                    errs.push(
                        "unit",
                        Problem::UnitNotAllowed {
                            value: self.unit.clone(),
                            allowed: units.join(", "),
                        },
                    );
                }
            }
        }
        if !OBS_UNITS.contains(&self.unit.as_str()) && !errs.0.iter().any(|e| e.field == "unit") {
            errs.push(
                "unit",
                Problem::OneOf {
                    allowed: OBS_UNITS.join(", "),
                },
            );
        }
        check_locality("locality", &mut self.locality, ctx, errs);
        self.period.check("period", errs);
        if self.value.0.is_sign_negative() && !self.value.0.is_zero() {
            errs.push("value", Problem::Negative);
        }
        check_one_of("qualifier", &self.qualifier, QUALIFIERS, errs);
        check_one_of("source", &self.source, SOURCES, errs);
        check_opt_len("source_document", &self.source_document, 500, errs);
        check_opt_len("note", &self.note, NOTES_MAX, errs);
    }
    fn index(&self) -> Index {
        let ind = refdata()
            .indicators
            .iter()
            .find(|i| i.code == self.indicator);
        let loc = locality_words(self.locality.as_deref());
        let title = format!(
            "{} — {} — {}",
            ind.map(|i| i.name_vi.as_str()).unwrap_or(&self.indicator),
            loc,
            self.period.label_vi()
        );
        let mut idx = Index {
            title,
            kind: Some(self.indicator.clone()),
            year: self.period.key_year(),
            locality: self.locality.clone(),
            amount: Some(self.value.0),
            unit: Some(self.unit.clone()),
            ..Index::default()
        };
        idx.tags.insert(format!("source:{}", self.source));
        let names = ind.map(|i| format!("{} {}", i.name_vi, i.name_en));
        push_search(
            &mut idx,
            &[
                Some(&self.indicator),
                names.as_deref(),
                Some(&loc),
                self.note.as_deref(),
                self.source_document.as_deref(),
            ],
        );
        idx
    }
}

const CATALOG_TEXT_MAX: usize = 5_000;

impl Body for CatalogProject {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_one_of("status", &self.status, CATALOG_STATUSES, errs);
        if self.translations.len() > 20 {
            errs.push("translations", Problem::TooMany { max: 20 });
        }
        for (code, text) in &self.translations {
            let field = format!("translations.{code}");
            if !is_language_code(code) {
                errs.push(
                    field.clone(),
                    Problem::Invalid {
                        vi: format!(
                            "“{code}” không phải mã ngôn ngữ ISO 639-1 (ví dụ vi, en, ja)."
                        ),
                        en: format!(
                            "“{code}” is not an ISO 639-1 language code (e.g. vi, en, ja)."
                        ),
                    },
                );
                continue;
            }
            check_required_text(&format!("{field}.name"), &text.name, TITLE_MAX, errs);
            check_opt_len(
                &format!("{field}.summary"),
                &text.summary,
                CATALOG_TEXT_MAX,
                errs,
            );
            check_opt_len(
                &format!("{field}.incentives"),
                &text.incentives,
                CATALOG_TEXT_MAX,
                errs,
            );
            check_opt_len(&format!("{field}.location"), &text.location, NAME_MAX, errs);
        }
        // Vietnamese always; English too before the public may see it.
        let required: &[&str] = if self.status == CATALOG_PUBLISHED {
            CATALOG_REQUIRED_LANGS
        } else {
            &["vi"]
        };
        for code in required {
            if !self.translations.contains_key(*code) {
                errs.push(format!("translations.{code}.name"), Problem::Required);
            }
        }
        let sectors: Vec<&str> = SECTORS.iter().map(|(code, ..)| *code).collect();
        check_one_of("sector", &self.sector, &sectors, errs);
        check_locality("locality", &mut self.locality, ctx, errs);
        if let Some(a) = &self.area_ha
            && a.0.is_sign_negative()
            && !a.0.is_zero()
        {
            errs.push("area_ha", Problem::Negative);
        }
        if let Some(m) = &self.capital {
            m.check("capital", errs);
        }
        if self.countries_of_interest.len() > 50 {
            errs.push("countries_of_interest", Problem::TooMany { max: 50 });
        }
        for (i, c) in self.countries_of_interest.iter_mut().enumerate() {
            *c = c.to_ascii_uppercase();
            check_country(&format!("countries_of_interest[{i}]"), c, errs);
        }
        if let Some(c) = &self.contact {
            check_required_text("contact.name", &c.name, 200, errs);
            check_opt_len("contact.position", &c.position, 200, errs);
            check_opt_len("contact.email", &c.email, 200, errs);
            check_opt_len("contact.phone", &c.phone, 50, errs);
        }
        check_opt_len("notes", &self.notes, NOTES_MAX, errs);
    }
    fn index(&self) -> Index {
        let title = self
            .text("vi")
            .map(|t| t.name.trim().to_owned())
            .unwrap_or_default();
        let mut idx = Index {
            title,
            status: Some(self.status.clone()),
            country: self.countries_of_interest.first().cloned(),
            locality: self.locality.clone(),
            amount: self.capital.as_ref().map(|m| m.amount.0),
            unit: self.capital.as_ref().map(|m| m.currency.clone()),
            ..Index::default()
        };
        idx.tags.insert(format!("sector:{}", self.sector));
        idx.tags.extend(
            self.countries_of_interest
                .iter()
                .map(|c| format!("country:{c}")),
        );
        for text in self.translations.values() {
            push_search(
                &mut idx,
                &[
                    Some(&text.name),
                    text.summary.as_deref(),
                    text.location.as_deref(),
                ],
            );
        }
        let words: Vec<String> = self
            .countries_of_interest
            .iter()
            .map(|c| country_words(c))
            .collect();
        let loc = locality_words(self.locality.as_deref());
        push_search(
            &mut idx,
            &[Some(&words.join(" ")), Some(&loc), self.notes.as_deref()],
        );
        idx
    }
}

// ---------------------------------------------------------------- the generic path

/// Check a body for `rt` and return it normalised, with its index.
pub fn prepare(rt: RecordType, body: &Value, ctx: &Context) -> Result<(Value, Index), Invalid> {
    match rt {
        RecordType::Partner => prepare_as::<Partner>(body, ctx),
        RecordType::Agreement => prepare_as::<Agreement>(body, ctx),
        RecordType::Delegation => prepare_as::<Delegation>(body, ctx),
        RecordType::Project => {
            // Foreign NGO aid has a workflow, and a new record starts in its
            // first state: without a status it is `proposed`, not the
            // `active` other projects default to.
            if body.get("kind").and_then(Value::as_str) == Some("ngo_aid")
                && body.get("status").is_none_or(Value::is_null)
                && let Some(o) = body.as_object()
            {
                let mut o = o.clone();
                o.insert("status".into(), Value::String("proposed".into()));
                return prepare_as::<Project>(&Value::Object(o), ctx);
            }
            prepare_as::<Project>(body, ctx)
        }
        RecordType::Event => prepare_as::<Event>(body, ctx),
        RecordType::AbtcApproval => prepare_as::<AbtcApproval>(body, ctx),
        RecordType::OverseasContact => prepare_as::<OverseasContact>(body, ctx),
        RecordType::Observation => prepare_as::<Observation>(body, ctx),
        RecordType::CatalogProject => prepare_as::<CatalogProject>(body, ctx),
    }
}

/// The JSON Schema of a record type's body.
pub fn body_schema(rt: RecordType) -> schemars::Schema {
    let gen_for = |f: fn(&mut schemars::SchemaGenerator) -> schemars::Schema| {
        let mut g = schemars::generate::SchemaSettings::openapi3().into_generator();
        f(&mut g)
    };
    match rt {
        RecordType::Partner => gen_for(Partner::json_schema),
        RecordType::Agreement => gen_for(Agreement::json_schema),
        RecordType::Delegation => gen_for(Delegation::json_schema),
        RecordType::Project => gen_for(Project::json_schema),
        RecordType::Event => gen_for(Event::json_schema),
        RecordType::AbtcApproval => gen_for(AbtcApproval::json_schema),
        RecordType::OverseasContact => gen_for(OverseasContact::json_schema),
        RecordType::Observation => gen_for(Observation::json_schema),
        RecordType::CatalogProject => gen_for(CatalogProject::json_schema),
    }
}

/// Top-level field names and required fields of each body, from its schema.
fn shape(rt: RecordType) -> &'static (Vec<String>, Vec<String>) {
    static SHAPES: OnceLock<Vec<(Vec<String>, Vec<String>)>> = OnceLock::new();
    let all = SHAPES.get_or_init(|| {
        RecordType::ALL
            .iter()
            .map(|rt| {
                let s = body_schema(*rt);
                let props = s
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                let required = s
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                (props, required)
            })
            .collect()
    });
    &all[RecordType::ALL.iter().position(|t| *t == rt).unwrap_or(0)]
}

/// Errors of one kind reported at most (the rest summed up in one line).
const MAX_REPORTED_ERRORS: usize = 50;
/// The longest list a record field may hold.
pub const MAX_LIST_ITEMS: usize = 200;

fn prepare_as<T: Body>(body: &Value, ctx: &Context) -> Result<(Value, Index), Invalid> {
    let rt_shape = shape_for::<T>();
    let Some(obj) = body.as_object() else {
        return Err(Invalid::one("", Problem::WrongType { expected: "object" }));
    };
    // Report every unknown and missing field at once, before serde stops
    // at the first; but not 80,000 of them (the answer would be megabytes).
    let mut errs = Invalid::default();
    let unknown: Vec<&String> = obj.keys().filter(|k| !rt_shape.0.contains(*k)).collect();
    for key in unknown.iter().take(MAX_REPORTED_ERRORS) {
        errs.push(
            crate::values::strip_forbidden(key).into_owned(),
            Problem::UnknownField,
        );
    }
    if unknown.len() > MAX_REPORTED_ERRORS {
        let more = unknown.len() - MAX_REPORTED_ERRORS;
        errs.push(
            "",
            Problem::Invalid {
                vi: format!("… và {more} trường không xác định khác."),
                en: format!("… and {more} more unknown fields."),
            },
        );
    }
    // No list in a record holds more than MAX_LIST_ITEMS: refused before
    // it is read, so a body of 100,000 ids costs nothing.
    for (key, v) in obj {
        if let Some(a) = v.as_array()
            && a.len() > MAX_LIST_ITEMS
        {
            errs.push(
                key.clone(),
                Problem::TooMany {
                    max: MAX_LIST_ITEMS,
                },
            );
        }
    }
    for req in &rt_shape.1 {
        match obj.get(req) {
            None | Some(Value::Null) => errs.push(req.clone(), Problem::Required),
            _ => {}
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    // Nulls mean "absent" (a merge patch removes a field with null).
    let mut cleaned = Value::Object(
        obj.iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    crate::values::strip_forbidden_json(&mut cleaned);
    // A partner named twice is one link.
    if let Some(Value::Array(ids)) = cleaned.get_mut("partner_ids") {
        let mut seen = std::collections::HashSet::new();
        ids.retain(|v| seen.insert(v.to_string()));
    }
    let mut parsed: T = serde_path_to_error::deserialize(cleaned).map_err(|e| {
        let path = e.path().to_string();
        Invalid(vec![serde_problem(&path, &e.into_inner().to_string())])
    })?;
    parsed.check(ctx, &mut errs);
    errs.into_result()?;
    let idx = parsed.index();
    let normalised = serde_json::to_value(&parsed).map_err(|e| {
        Invalid::one(
            "",
            Problem::Invalid {
                vi: e.to_string(),
                en: e.to_string(),
            },
        )
    })?;
    Ok((normalised, idx))
}

fn shape_for<T: Body>() -> &'static (Vec<String>, Vec<String>) {
    let name = T::schema_name();
    let rt = match name.as_ref() {
        "Partner" => RecordType::Partner,
        "Agreement" => RecordType::Agreement,
        "Delegation" => RecordType::Delegation,
        "Project" => RecordType::Project,
        "Event" => RecordType::Event,
        "AbtcApproval" => RecordType::AbtcApproval,
        "OverseasContact" => RecordType::OverseasContact,
        "CatalogProject" => RecordType::CatalogProject,
        _ => RecordType::Observation,
    };
    shape(rt)
}

/// Turn a serde message into a field problem.
fn serde_problem(path: &str, msg: &str) -> FieldError {
    let field = if path == "." {
        String::new()
    } else {
        path.to_owned()
    };
    let expected = if msg.contains("expected a decimal") {
        Some("decimal")
    } else if msg.contains("expected a string") {
        Some("string")
    } else if msg.contains("expected i64")
        || msg.contains("expected u32")
        || msg.contains("expected i32")
    {
        Some("integer")
    } else if msg.contains("expected a boolean") {
        Some("boolean")
    } else if msg.contains("expected a sequence") {
        Some("array")
    } else if msg.contains("expected struct") || msg.contains("expected a map") {
        Some("object")
    } else {
        None
    };
    if msg.starts_with("unknown field") {
        let name = msg.split('`').nth(1).unwrap_or("");
        let f = if field.is_empty() {
            name.to_owned()
        } else {
            format!("{field}.{name}")
        };
        return FieldError::new(f, Problem::UnknownField);
    }
    if msg.starts_with("missing field") {
        let name = msg.split('`').nth(1).unwrap_or("");
        let f = if field.is_empty() {
            name.to_owned()
        } else {
            format!("{field}.{name}")
        };
        return FieldError::new(f, Problem::Required);
    }
    if msg.starts_with("invalid value") && msg.contains("expected u32") {
        return FieldError::new(field, Problem::Negative);
    }
    match expected {
        Some(e) => FieldError::new(field, Problem::WrongType { expected: e }),
        None => FieldError::new(
            field,
            Problem::Invalid {
                vi: format!("Giá trị không hợp lệ: {msg}"),
                en: format!("Invalid value: {msg}"),
            },
        ),
    }
}

/// RFC 7386 JSON merge patch.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    if let Value::Object(p) = patch {
        if !target.is_object() {
            *target = Value::Object(Default::default());
        }
        let t = target.as_object_mut().expect("object");
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    } else {
        *target = patch.clone();
    }
}

/// The relation names `Index::links` uses, and the record type each must point at.
pub fn link_target(rel: &str) -> RecordType {
    match rel {
        "replaces" => RecordType::Agreement,
        _ => RecordType::Partner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold_vi;
    use serde_json::json;

    fn ctx() -> Context<'static> {
        static IND: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
        let ind = IND.get_or_init(|| {
            refdata()
                .indicators
                .iter()
                .map(|i| (i.code.clone(), i.units.clone()))
                .collect()
        });
        Context {
            allowed_localities: Some(refdata().localities_of("dong-thap")),
            default_locality: Some("dong-thap".into()),
            indicators: ind,
        }
    }

    fn problems(rt: RecordType, body: Value) -> Vec<(String, &'static str)> {
        match prepare(rt, &body, &ctx()) {
            Ok(_) => vec![],
            Err(e) => e.0.iter().map(|f| (f.field.clone(), f.code())).collect(),
        }
    }

    #[test]
    fn accepts_the_documented_shapes() {
        let (v, idx) = prepare(
            RecordType::Partner,
            &json!({"name": "Xiêng Khoảng", "kind": "foreign_locality", "country": "la"}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v["country"], "LA");
        assert!(fold_vi(&idx.search).contains("xieng khoang"));
        assert!(idx.tags.contains("country:LA"));
        let (v, idx) = prepare(
            RecordType::Agreement,
            &json!({"title": "Thỏa thuận hợp tác giai đoạn 2016 - 2020", "kind": "agreement", "partner_ids": [7], "signed_on": "2016-05-10", "valid_from": "2016-01-01", "valid_until": "2020-12-31", "status": "in_force"}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v["locality"], "dong-thap");
        assert_eq!(idx.year, Some(2016));
        assert_eq!(idx.links, vec![("partner", 7)]);
    }

    #[test]
    fn refuses_bad_input_with_named_fields() {
        // (type, body, the fields and error codes it must be refused with)
        type Case<'a> = (RecordType, Value, Vec<(&'a str, &'a str)>);
        let table: Vec<Case> = vec![
            (
                RecordType::Partner,
                json!({"kind": "ngo", "country": "XX", "colour": 1}),
                vec![("colour", "unknown_field"), ("name", "required")],
            ),
            (
                RecordType::Partner,
                json!({"name": "A", "kind": "ngo", "country": "XX"}),
                vec![("country", "unknown_country")],
            ),
            (
                RecordType::Partner,
                json!({"name": 5, "kind": "ngo", "country": "LA"}),
                vec![("name", "wrong_type")],
            ),
            (
                RecordType::Partner,
                json!({"name": "x".repeat(301), "kind": "ngo", "country": "LA"}),
                vec![("name", "too_long")],
            ),
            (
                RecordType::Partner,
                json!({"name": "A", "kind": "alien", "country": "LA"}),
                vec![("kind", "not_allowed_value")],
            ),
            (
                RecordType::Agreement,
                json!({"title": "T", "kind": "agreement", "partner_ids": [1], "signed_on": "2024-13-01"}),
                vec![("signed_on", "invalid_date")],
            ),
            (
                RecordType::Agreement,
                json!({"title": "T", "kind": "agreement", "partner_ids": [1], "valid_from": "2020-01-01", "valid_until": "2019-12-31"}),
                vec![("valid_until", "date_order")],
            ),
            (
                RecordType::Project,
                json!({"kind": "fdi", "name": "P", "capital": {"amount": "-5", "currency": "USD"}}),
                vec![("capital.amount", "negative")],
            ),
            (
                RecordType::Project,
                json!({"kind": "fdi", "name": "P", "capital": {"amount": "abc", "currency": "USD"}}),
                vec![("capital.amount", "wrong_type")],
            ),
            (
                RecordType::Observation,
                json!({"indicator": "remittances", "locality": "ha-noi", "period": {"year": 2019}, "value": 80000000, "unit": "USD"}),
                vec![("locality", "unit_outside_org")],
            ),
            (
                RecordType::Observation,
                json!({"indicator": "remittances", "period": {"year": 2019, "as_of": 2019}, "value": 1, "unit": "count"}),
                vec![("unit", "unit_not_allowed"), ("period", "invalid")],
            ),
            (
                RecordType::AbtcApproval,
                json!({"person_name": "A", "enterprise": "B", "economies": ["FR"]}),
                vec![("economies[0]", "not_apec")],
            ),
            (
                RecordType::OverseasContact,
                json!({"kind": "person", "name": "A", "country": "US"}),
                vec![("consent", "invalid")],
            ),
            (
                RecordType::Delegation,
                json!({"direction": "outbound", "purpose": "P", "member_count": -3}),
                vec![("member_count", "negative")],
            ),
        ];
        for (rt, body, want) in table {
            let got = problems(rt, body.clone());
            let want: Vec<(String, &str)> =
                want.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
            assert_eq!(got, want, "{body}");
        }
    }

    #[test]
    fn former_units_belong_to_their_successor() {
        let (v, idx) = prepare(
            RecordType::Observation,
            &json!({"indicator": "remittances", "locality": "tien-giang", "period": {"year": 2019}, "value": 80000000, "unit": "USD"}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v["locality"], "tien-giang");
        assert_eq!(v["value"], "80000000");
        assert_eq!(idx.year, Some(2019));
    }

    #[test]
    fn merge_patch_follows_rfc7386() {
        let mut t = json!({"a": 1, "b": {"c": 2, "d": 3}});
        merge_patch(&mut t, &json!({"a": null, "b": {"c": 5}, "e": [1]}));
        assert_eq!(t, json!({"b": {"c": 5, "d": 3}, "e": [1]}));
    }

    #[test]
    fn amounts_are_exact() {
        let (v, idx) = prepare(
            RecordType::Project,
            &json!({"kind": "fdi", "name": "P", "capital": {"amount": 370.34, "currency": "USD"}}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v["capital"]["amount"], "370.34");
        assert_eq!(idx.amount.unwrap().to_string(), "370.34");
    }

    #[test]
    fn catalog_projects_need_vietnamese_and_english_to_be_published() {
        let draft = json!({
            "translations": {"vi": {"name": "Nhà máy chế biến trái cây Sa Đéc"}},
            "sector": "industry", "countries_of_interest": ["jp", "KR"],
            "capital": {"amount": "25000000", "currency": "USD"}, "area_ha": "12.5"
        });
        let (v, idx) = prepare(RecordType::CatalogProject, &draft, &ctx()).unwrap();
        assert_eq!(v["status"], "draft");
        assert_eq!(v["countries_of_interest"], json!(["JP", "KR"]));
        assert_eq!(idx.title, "Nhà máy chế biến trái cây Sa Đéc");
        assert!(idx.tags.contains("sector:industry") && idx.tags.contains("country:KR"));
        let mut published = draft.clone();
        published["status"] = json!("published");
        assert_eq!(
            problems(RecordType::CatalogProject, published.clone()),
            vec![("translations.en.name".to_owned(), "required")]
        );
        published["translations"]["en"] = json!({"name": "Sa Dec fruit processing plant"});
        assert!(prepare(RecordType::CatalogProject, &published, &ctx()).is_ok());
        assert_eq!(
            problems(
                RecordType::CatalogProject,
                json!({"translations": {"VI!": {"name": "x"}, "vi": {"name": " "}}, "sector": "mining", "status": "public"})
            ),
            vec![
                ("status".to_owned(), "not_allowed_value"),
                ("translations.VI!".to_owned(), "invalid"),
                ("translations.vi.name".to_owned(), "required"),
                ("sector".to_owned(), "not_allowed_value"),
            ]
        );
    }
}
