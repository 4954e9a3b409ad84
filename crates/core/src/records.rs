//! The record types: their bodies (what a client sends and reads back),
//! their validation, and the index projections the store keeps beside the
//! JSON body for filtering, sorting and search.
//!
//! Each type is declared once (`record_types!`); one generic path serves
//! them all: `prepare(type, json, ctx)` holds the body to its type's schema
//! (`shape`), reads it, runs the type's own checks and returns the
//! normalised body and its `Index`.
//! `PATCH` is a JSON merge patch (RFC 7386) on the stored body followed by
//! the same `prepare`, so an edit can never leave a record that a create
//! would have refused.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

use crate::error::{FieldError, Invalid, Problem};
use crate::refdata::refdata;
use crate::shape::Shape;
use crate::values::*;

pub use office::*;

/// Declares the record types, each once: its body type, its codes, its
/// names, the field that titles it and the vocabularies of its `kind` and
/// `status` filters. Everything that dispatches on a record type (the
/// generic `prepare`, the schemas, the OpenAPI components) is generated
/// from this list; a `match` on `RecordType` elsewhere is exhaustive, so
/// the compiler names each place a new type must be taught.
macro_rules! record_types {
    (@menu $lang:ident, ($vi:literal, $en:literal)) => { $lang.pick($vi, $en) };
    (@menu $lang:ident, ($vi:literal, $en:literal), ($mvi:literal, $men:literal)) => { $lang.pick($mvi, $men) };
    ($(
        $(#[$meta:meta])*
        $variant:ident {
            body: $body:ty,
            code: $code:literal,
            path: $path:literal,
            label: ($vi:literal, $en:literal),
            $(menu: ($mvi:literal, $men:literal),)?
            title: $title:literal,
            kinds: $kinds:expr,
            statuses: $statuses:expr $(,)?
        }
    ),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RecordType {
            $($(#[$meta])* $variant),+
        }

        impl RecordType {
    /// Records of this type hold personal data read only by users granted
    /// it (`access::Actor::scope_of`), and every read is audited.
    pub fn restricted(self) -> bool {
        matches!(self, RecordType::ConsularCase)
    }

            pub const ALL: [RecordType; [$(stringify!($variant)),+].len()] =
                [$(RecordType::$variant),+];

            /// The collection name in URLs (`/api/v1/abtc-approvals`).
            pub fn path(self) -> &'static str {
                match self { $(RecordType::$variant => $path),+ }
            }

            /// The value of the `type` column.
            pub fn code(self) -> &'static str {
                match self { $(RecordType::$variant => $code),+ }
            }

            pub fn label(self, lang: crate::Lang) -> &'static str {
                match self { $(RecordType::$variant => lang.pick($vi, $en)),+ }
            }

            /// The name in the main menu: the label, or a shorter one.
            pub fn menu_label(self, lang: crate::Lang) -> &'static str {
                match self { $(RecordType::$variant => record_types!(@menu lang, ($vi, $en) $(, ($mvi, $men))?)),+ }
            }

            /// The body field that names a record (its title in lists and reminders).
            pub fn title_field(self) -> &'static str {
                match self { $(RecordType::$variant => $title),+ }
            }

            /// The name of the body's schema (`components/schemas/…`).
            pub fn schema_name(self) -> String {
                match self { $(RecordType::$variant => <$body as JsonSchema>::schema_name().into_owned()),+ }
            }

            /// The values allowed in the `status` field, where the type has one.
            pub fn statuses(self) -> &'static [&'static str] {
                match self { $(RecordType::$variant => $statuses),+ }
            }

            /// The values of the field exposed as the `kind` filter.
            pub fn kinds(self) -> Vec<&'static str> {
                match self { $(RecordType::$variant => $kinds),+ }
            }

            /// Add every body's schema to `g`'s definitions (the OpenAPI components).
            pub fn define_schemas(g: &mut schemars::SchemaGenerator) {
                $(let _ = g.subschema_for::<$body>();)+
            }

            /// Bring a stored body of an earlier shape up to the current
            /// one (`RecordBody::upgrade`), for readers of stored bodies.
            pub fn upgrade(self, body: &mut Map<String, Value>) {
                match self { $(RecordType::$variant => <$body as RecordBody>::upgrade(body)),+ }
            }

            fn make_shape(self) -> Shape {
                match self { $(RecordType::$variant => Shape::of::<$body>()),+ }
            }

            fn prepare_body(self, body: Map<String, Value>, ctx: &Context) -> Result<(Value, Index), Invalid> {
                match self { $(RecordType::$variant => prepare_as::<$body>(self, body, ctx)),+ }
            }
        }
    };
}

record_types! {
    Partner {
        body: Partner, code: "partner", path: "partners",
        label: ("Đối tác", "Partners"), title: "name",
        kinds: PartnerKind::CODES.to_vec(), statuses: &[],
    },
    Agreement {
        body: Agreement, code: "agreement", path: "agreements",
        label: ("Thỏa thuận quốc tế", "Agreements"), title: "title",
        kinds: AgreementKind::CODES.to_vec(), statuses: AgreementStatus::CODES,
    },
    Delegation {
        body: Delegation, code: "delegation", path: "delegations",
        label: ("Đoàn ra, đoàn vào", "Delegations"), title: "purpose",
        kinds: Direction::CODES.to_vec(), statuses: DelegationStatus::CODES,
    },
    Project {
        body: Project, code: "project", path: "projects",
        label: ("Dự án FDI, ODA, PCPNN", "Projects"), title: "name",
        kinds: ProjectKind::CODES.to_vec(), statuses: ProjectStatus::CODES,
    },
    Event {
        body: Event, code: "event", path: "events",
        label: ("Sự kiện", "Events"), title: "title",
        kinds: EventKind::CODES.to_vec(), statuses: &[],
    },
    AbtcApproval {
        body: AbtcApproval, code: "abtc_approval", path: "abtc-approvals",
        label: ("Thẻ ABTC", "ABTC approvals"), title: "person_name",
        kinds: vec![], statuses: AbtcStatus::CODES,
    },
    OverseasContact {
        body: OverseasContact, code: "overseas_contact", path: "overseas-contacts",
        label: ("Người Việt Nam ở nước ngoài", "Overseas Vietnamese"), title: "name",
        kinds: OverseasKind::CODES.to_vec(), statuses: &[],
    },
    Observation {
        body: Observation, code: "observation", path: "observations",
        label: ("Số liệu", "Figures"), title: "indicator",
        kinds: refdata().indicators.iter().map(|i| i.code.as_str()).collect(),
        statuses: &[],
    },
    /// A project a province offers to investors, published in the public catalog.
    CatalogProject {
        body: CatalogProject, code: "catalog_project", path: "catalog-projects",
        label: ("Danh mục kêu gọi đầu tư", "Investment catalog"), title: "translations",
        kinds: vec![], statuses: CatalogStatus::CODES,
    },
    /// A foreign-information publication (bulletins, books, films).
    Publication {
        body: Publication, code: "publication", path: "publications",
        label: ("Ấn phẩm thông tin đối ngoại", "Publications"),
        menu: ("Ấn phẩm", "Publications"), title: "title",
        kinds: PublicationKind::CODES.to_vec(), statuses: &[],
    },
    /// A training course in foreign-affairs knowledge for the province's staff.
    TrainingCourse {
        body: TrainingCourse, code: "training_course", path: "training-courses",
        label: ("Bồi dưỡng nghiệp vụ đối ngoại", "Training courses"),
        menu: ("Bồi dưỡng", "Training"), title: "topic",
        kinds: TrainingKind::CODES.to_vec(), statuses: &[],
    },
    /// A foreign NGO's registration to work in the province (NĐ 58/2022/NĐ-CP).
    NgoRegistration {
        body: NgoRegistration, code: "ngo_registration", path: "ngo-registrations",
        label: ("Tổ chức phi chính phủ nước ngoài", "Foreign NGOs"),
        menu: ("Tổ chức PCPNN", "Foreign NGOs"), title: "name",
        kinds: NgoRegistrationKind::CODES.to_vec(), statuses: &[],
    },
    /// A request to hold an international conference or seminar (QĐ 06/2020/QĐ-TTg).
    ConferencePermit {
        body: ConferencePermit, code: "conference_permit", path: "conference-permits",
        label: ("Hội nghị, hội thảo quốc tế", "Conference permits"),
        menu: ("Hội nghị QT", "Conferences"), title: "title",
        kinds: ConferenceKind::CODES.to_vec(), statuses: ConferenceStatus::CODES,
    },
    /// A consular or citizen-protection case (restricted: `access`).
    ConsularCase {
        body: ConsularCase, code: "consular_case", path: "consular-cases",
        label: ("Lãnh sự, bảo hộ công dân", "Consular cases"),
        menu: ("Lãnh sự", "Consular"), title: "incident",
        kinds: ConsularKind::CODES.to_vec(), statuses: ConsularStatus::CODES,
    },
    /// The yearly foreign-affairs plan or a directive carried out, with its tasks.
    Plan {
        body: Plan, code: "plan", path: "plans",
        label: ("Kế hoạch, chỉ thị đối ngoại", "Plans and directives"),
        menu: ("Kế hoạch", "Plans"), title: "title",
        kinds: PlanKind::CODES.to_vec(), statuses: &[],
    },
}

impl RecordType {
    /// The values a new record's fields take when the body names none (the
    /// schema's `default`s: `status: draft` …), for the forms to start with.
    pub fn field_defaults(self) -> Vec<(String, String)> {
        shape(self)
            .schema()
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.clone(), v.get("default")?.as_str()?.to_owned())))
            .collect()
    }

    /// The top-level field names of the body.
    pub fn fields(self) -> Vec<String> {
        shape(self).fields()
    }

    /// Whether `country=` can find records of this type: by a country of
    /// their own or of the partners they link to (`pcountry:` tags).
    pub fn has_country(self) -> bool {
        const BY_COUNTRY: [&str; 6] = [
            "country",
            "countries",
            "economies",
            "countries_of_interest",
            "partner_ids",
            "investor_id",
        ];
        self.fields()
            .iter()
            .any(|f| BY_COUNTRY.contains(&f.as_str()))
    }

    /// Whether `sector=` can find records of this type.
    pub fn has_sector(self) -> bool {
        self.fields()
            .iter()
            .any(|f| f == "sector" || f == "sectors")
    }

    pub fn from_path(p: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.path() == p)
    }

    pub fn from_code(c: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.code() == c)
    }
}

// ---------------------------------------------------------------- vocabularies

crate::vocab! {
    /// What a partner is.
    pub enum PartnerKind {
        ForeignLocality = "foreign_locality",
        Ngo = "ngo",
        InternationalOrg = "international_org",
        Enterprise = "enterprise",
        University = "university",
        ChamberOfCommerce = "chamber_of_commerce",
        Ministry = "ministry",
        DiplomaticMission = "diplomatic_mission",
        PoliticalParty = "political_party",
        FriendshipSociety = "friendship_society",
        Other = "other",
    }
}

crate::vocab! {
    pub enum AgreementKind { Agreement = "agreement", Mou = "mou", Twinning = "twinning" }
}

crate::vocab! {
    /// An agreement's state (its steps: `workflow`). `renewed` is the
    /// state after an extension (gia hạn, Law 70/2020/QH14 Art. 33), named
    /// so before the other acts were recorded; `amended` and `renewed` are
    /// in force as amended or extended.
    pub enum AgreementStatus {
        Draft = "draft",
        Consulting = "consulting",
        /// A disagreement among the bodies consulted, referred to the
        /// Prime Minister for decision.
        ReferredPm = "referred_pm",
        Approved = "approved",
        Refused = "refused",
        Signed = "signed",
        InForce = "in_force",
        Amended = "amended",
        Renewed = "renewed",
        Suspended = "suspended",
        Expired = "expired",
        Terminated = "terminated",
    }
}

crate::vocab! {
    /// The Vietnamese party's level, which sets who decides and to whom it
    /// reports (Law 70/2020/QH14: Art. 18–19 the province's People's
    /// Council or Committee, Art. 20 a department-level body, a district
    /// People's Committee before 1 Jul 2025 and a border commune, Art. 23 a
    /// provincial body of an organisation; NĐ 64/2021/NĐ-CP for the units).
    pub enum VnLevel {
        Province = "province",
        Department = "department",
        FormerDistrict = "former_district",
        BorderCommune = "border_commune",
        ProvincialOrganisation = "provincial_organisation",
    }
}

crate::vocab! {
    /// A dated act on an agreement, each taken by a step of its workflow:
    /// the permission or its refusal, the referral of a disagreement to
    /// the Prime Minister, and after signing the acts of Law 70/2020/QH14
    /// Art. 33–34 (amend, extend, suspend, resume, terminate).
    pub enum AgreementActionKind {
        Approved = "approved",
        Refused = "refused",
        ReferredPm = "referred_pm",
        Amended = "amended",
        Renewed = "renewed",
        Suspended = "suspended",
        Resumed = "resumed",
        Terminated = "terminated",
    }
}

crate::vocab! {
    /// A delegation sent abroad or received.
    pub enum Direction { Inbound = "inbound", Outbound = "outbound" }
}

crate::vocab! {
    /// Every delegation status; which ones a delegation may take depends on
    /// its direction (`DelegationStatus::of_direction`; steps: `workflow`).
    pub enum DelegationStatus {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
        Travelling = "travelling",
        Returned = "returned",
        Planned = "planned",
        Confirmed = "confirmed",
        Received = "received",
        Reported = "reported",
        Cancelled = "cancelled",
    }
}

impl DelegationStatus {
    /// The states a delegation of this direction may be in.
    pub fn of_direction(direction: Direction) -> &'static [&'static str] {
        match direction {
            Direction::Outbound => OUTBOUND_STATUSES,
            Direction::Inbound => INBOUND_STATUSES,
        }
    }
}

crate::vocab! {
    pub enum ProjectKind { Fdi = "fdi", Oda = "oda", NgoAid = "ngo_aid" }
}

crate::vocab! {
    /// The form of foreign aid (NĐ 80/2020/NĐ-CP, kept by NĐ 313/2025/NĐ-CP):
    /// a programme, a project, or non-project aid (cash, goods, experts
    /// and volunteers, conferences, training, research, surveys).
    pub enum AidForm { Programme = "programme", Project = "project", NonProject = "non_project" }
}

crate::vocab! {
    /// What an aid transaction is: money committed, paid out to the
    /// project, or spent by it.
    pub enum TransactionKind {
        Commitment = "commitment",
        Disbursement = "disbursement",
        Expenditure = "expenditure",
    }
}

crate::vocab! {
    /// A transaction planned (the plan approved) or actual (done).
    pub enum TransactionStage { Planned = "planned", Actual = "actual" }
}

crate::vocab! {
    /// Whose money: the foreign donor's, or the Vietnamese counterpart
    /// funds (vốn đối ứng), kept apart.
    pub enum FundSource { Foreign = "foreign", Counterpart = "counterpart" }
}

crate::vocab! {
    /// How often an aid project reports on its implementation.
    pub enum ReportingCycle { Monthly = "monthly", SixMonthly = "six_monthly", Yearly = "yearly" }
}

crate::vocab! {
    pub enum ProjectStatus {
        Proposed = "proposed",
        Appraisal = "appraisal",
        Approved = "approved",
        Active = "active",
        Completed = "completed",
        Suspended = "suspended",
        Cancelled = "cancelled",
    }
}

crate::vocab! {
    pub enum EventKind {
        TradePromotion = "trade_promotion",
        InvestmentPromotion = "investment_promotion",
        Fair = "fair",
        Conference = "conference",
        Seminar = "seminar",
        Cultural = "cultural",
        ForeignInformation = "foreign_information",
        Other = "other",
    }
}

crate::vocab! {
    pub enum AbtcStatus {
        Applied = "applied",
        Checked = "checked",
        Approved = "approved",
        Refused = "refused",
        Issued = "issued",
    }
}

crate::vocab! {
    pub enum OverseasKind { Association = "association", Person = "person" }
}

crate::vocab! {
    /// How a reported figure is stated: exactly, "over", "under", "about".
    pub enum Qualifier { Exact = "exact", Over = "over", Under = "under", About = "about" }
}

crate::vocab! {
    /// Where a figure came from.
    pub enum FigureSource { Manual = "manual", Import = "import", Reader = "reader", Derived = "derived" }
}

crate::vocab! {
    /// A catalog project is visible to the public only while `published`.
    pub enum CatalogStatus { Draft = "draft", Published = "published", Withdrawn = "withdrawn" }
}

crate::vocab! {
    /// `vn` for the Vietnamese side, `foreign` for the partner.
    pub enum SignatorySide { Vn = "vn", Foreign = "foreign" }
}

crate::vocab! {
    /// An APEC economy's answer on a card holder.
    pub enum PreclearanceStatus { Pending = "pending", Cleared = "cleared", Refused = "refused" }
}

crate::vocab! {
    /// What a foreign-information publication is.
    pub enum PublicationKind {
        Bulletin = "bulletin",
        Book = "book",
        Leaflet = "leaflet",
        Video = "video",
        Website = "website",
        Other = "other",
    }
}

crate::vocab! {
    /// What a training course teaches.
    pub enum TrainingKind {
        ForeignAffairs = "foreign_affairs",
        Protocol = "protocol",
        Language = "language",
        InternationalIntegration = "international_integration",
        Other = "other",
    }
}

crate::vocab! {
    /// The certificate a foreign NGO holds from the Ministry of Foreign
    /// Affairs (NĐ 58/2022/NĐ-CP): to operate, to open a project office,
    /// to open a representative office.
    pub enum NgoRegistrationKind {
        Operation = "operation",
        ProjectOffice = "project_office",
        RepresentativeOffice = "representative_office",
    }
}

macro_rules! default_to {
    ($($ty:ident => $variant:ident),+ $(,)?) => {
        $(impl Default for $ty {
            fn default() -> Self {
                $ty::$variant
            }
        })+
    };
}

// Declared after `default_to!`, which it uses.
mod office;

// The state a record sent without one starts in.
default_to! {
    TransactionKind => Disbursement,
    TransactionStage => Actual,
    FundSource => Foreign,
    AgreementStatus => Draft,
    DelegationStatus => Planned,
    ProjectStatus => Active,
    AbtcStatus => Applied,
    CatalogStatus => Draft,
    Qualifier => Exact,
    FigureSource => Manual,
}

// The codes as lists, for forms, filters and the columns of workbooks.
pub const PARTNER_KINDS: &[&str] = PartnerKind::CODES;
pub const AGREEMENT_KINDS: &[&str] = AgreementKind::CODES;
pub const AGREEMENT_STATUSES: &[&str] = AgreementStatus::CODES;
pub const VN_LEVELS: &[&str] = VnLevel::CODES;
pub const AGREEMENT_ACTION_KINDS: &[&str] = AgreementActionKind::CODES;
pub const DIRECTIONS: &[&str] = Direction::CODES;
pub const DELEGATION_STATUSES: &[&str] = DelegationStatus::CODES;
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
pub const PROJECT_KINDS: &[&str] = ProjectKind::CODES;
pub const PROJECT_STATUSES: &[&str] = ProjectStatus::CODES;
pub const AID_FORMS: &[&str] = AidForm::CODES;
pub const REPORTING_CYCLES: &[&str] = ReportingCycle::CODES;
pub const EVENT_KINDS: &[&str] = EventKind::CODES;
pub const ABTC_STATUSES: &[&str] = AbtcStatus::CODES;
pub const OVERSEAS_KINDS: &[&str] = OverseasKind::CODES;
pub const QUALIFIERS: &[&str] = Qualifier::CODES;
pub const SOURCES: &[&str] = FigureSource::CODES;
pub const OBS_UNITS: &[&str] = &["USD", "VND", "count", "percent", "people"];
pub const CATALOG_STATUSES: &[&str] = CatalogStatus::CODES;
pub const CATALOG_PUBLISHED: &str = CatalogStatus::Published.code();
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
    pub date: Date,
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
    pub asked_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub opinion: Option<String>,
    /// The body is the Ministry of Foreign Affairs, which has a set number
    /// of working days to answer (7 by default, NĐ 64/2021/NĐ-CP): its
    /// answer is then tracked as a deadline.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ministry: bool,
}

/// A dated act on an agreement (appended by the workflow's step; a
/// register of past years may enter them by hand).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementAction {
    pub kind: AgreementActionKind,
    pub on: Date,
    /// The decision's number ("125/QĐ-UBND"), where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub decision_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2000))]
    pub note: Option<String>,
}

/// An APEC economy's pre-clearance of a card holder.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preclearance {
    /// ISO 3166-1 alpha-2 code of the APEC economy.
    #[schemars(with = "crate::codes::ApecEconomy")]
    pub economy: String,
    pub status: PreclearanceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
}

/// Money of an aid project on a date: committed, disbursed or spent,
/// planned or actual, foreign or counterpart. Without `kind`, `stage` and
/// `source` it is an actual disbursement of foreign funds: the earlier
/// `disbursements` (`{on, amount}`) read as such.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AidTransaction {
    #[serde(default)]
    pub kind: TransactionKind,
    #[serde(default)]
    pub stage: TransactionStage,
    #[serde(default)]
    pub source: FundSource,
    pub on: Date,
    pub amount: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2000))]
    pub note: Option<String>,
}

/// An opinion asked during an aid appraisal (NĐ 80/2020/NĐ-CP: the
/// departments of finance, police, foreign affairs, and the Union of
/// Friendship Organisations for a foreign NGO's aid), with its due date.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppraisalOpinion {
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked_on: Option<Date>,
    /// When the answer is due, as the request says; without it, the
    /// appraisal's own due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub opinion: Option<String>,
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
    pub kind: PartnerKind,
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
    pub side: Option<SignatorySide>,
}

/// A local-level international agreement, memorandum of understanding or twinning.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub title: String,
    pub kind: AgreementKind,
    /// The partners (ids of `partners` records of the same organisation); one or more.
    #[schemars(length(min = 1, max = 50))]
    pub partner_ids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<crate::codes::SectorCode>", length(max = 20))]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_on: Option<Date>,
    /// Where it was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub signed_place: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatories: Vec<Signatory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Absent for an open-ended agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    #[serde(default)]
    pub status: AgreementStatus,
    /// The Vietnamese party's level (who decides, to whom it reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vn_level: Option<VnLevel>,
    /// The bodies consulted before approval (NĐ 64/2021/NĐ-CP Art. 5), each
    /// with when it was asked, when it answered and its opinion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consultations: Vec<Consultation>,
    /// When a disagreement among them was referred to the Prime Minister
    /// (set by the step `referred_pm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_pm_on: Option<Date>,
    /// The number of the decision allowing the signing (NĐ 64/2021/NĐ-CP
    /// Art. 10), or refusing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub permission_decision_number: Option<String>,
    /// Its date (set by the step `approved` or `refused` when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_decision_on: Option<Date>,
    /// The dated acts on the agreement, oldest first: permission or
    /// refusal, referral to the Prime Minister, amendments, extensions,
    /// suspensions and their end, termination.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 200))]
    pub actions: Vec<AgreementAction>,
    /// When the report to the Prime Minister and the copy to the Ministry
    /// are due (set when the agreement is signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_due: Option<Date>,
    /// When the report to the Prime Minister was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_pm_on: Option<Date>,
    /// When the copy was sent to the Ministry of Foreign Affairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_to_mofa_on: Option<Date>,
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

/// A delegation sent abroad (`outbound`) or received (`inbound`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    pub direction: Direction,
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
    pub start_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub funding_source: Option<String>,
    /// Outbound: whether the trip is in the province's yearly plan of
    /// delegations (Chỉ thị 38-CT/TW: trips are planned a year ahead;
    /// unplanned ones are the exception the reports count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_plan: Option<bool>,
    /// The number of the decision that sent the delegation (outbound) or
    /// allowed the visit (inbound): "Số QĐ cử đoàn", "125/QĐ-UBND".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub decision_number: Option<String>,
    /// Outbound: draft, submitted, approved, rejected, travelling, returned,
    /// reported (or cancelled). Inbound: planned, confirmed, received,
    /// reported (or cancelled). An outbound delegation sent as `planned`
    /// is stored as `draft`.
    #[serde(default)]
    pub status: DelegationStatus,
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
    pub submitted_on: Option<Date>,
    /// When it was approved, rejected or confirmed (set by the step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
    /// When the delegation came back (outbound) or was received (inbound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_on: Option<Date>,
    /// When the report on the trip is due (a number of working days after return).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_due: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<Date>,
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
    pub kind: ProjectKind,
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub name: String,
    /// The investor or donor (a `partners` record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investor_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::CountryCode>")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::SectorCode>")]
    pub sector: Option<String>,
    /// Capital registered (FDI) or committed (ODA, aid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disbursed: Option<Money>,
    /// Date of the investment licence or the approval decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_until: Option<Date>,
    /// Aid (foreign NGO aid, ODA) moves proposed (pledged, being mobilised) →
    /// appraisal → approved → active (started) → completed (closed); see
    /// `workflow`.
    #[serde(default)]
    pub status: ProjectStatus,
    /// Aid (ODA, foreign NGO aid): programme, project or non-project aid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aid_form: Option<AidForm>,
    /// When the complete dossier went to appraisal (set by the step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appraisal_started_on: Option<Date>,
    /// When the appraisal is due (set by the step: `aid_appraisal_days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appraisal_due: Option<Date>,
    /// The opinions asked during the appraisal, each with its due date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    pub appraisal_opinions: Vec<AppraisalOpinion>,
    /// Commitments, disbursements and expenditures, planned or actual,
    /// foreign or counterpart funds, by date (aid). Replaces the earlier
    /// `disbursements`, read as actual foreign disbursements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<AidTransaction>,
    /// How often the project reports on its implementation (aid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting: Option<ReportingCycle>,
    /// The end of the last period reported on: the next report covers the
    /// period after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_through: Option<Date>,
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
    pub kind: EventKind,
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::CountryCode>")]
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
    pub decision_on: Option<Date>,
    #[serde(default)]
    pub status: AbtcStatus,
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
    pub card_issued_on: Option<Date>,
    /// Five years after issue by default (QĐ 09/2023/QĐ-TTg).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_expires_on: Option<Date>,
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
    pub kind: OverseasKind,
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
    pub consent_on: Option<Date>,
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
    #[serde(default)]
    pub qualifier: Qualifier,
    /// Growth stated with the figure, in percent (37.91 for "tăng 37,91%").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_pct: Option<Amount>,
    #[serde(default)]
    pub source: FigureSource,
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
    #[serde(default)]
    pub status: CatalogStatus,
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

/// A foreign-information publication: a bulletin of so many issues a
/// year, a book, a leaflet, a film (công tác thông tin đối ngoại).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub title: String,
    pub kind: PublicationKind,
    /// The year it was published (for a bulletin: the year of its issues).
    #[schemars(range(min = 1945, max = 2100))]
    pub year: i32,
    /// Issues published in the year ("bản tin 12 kỳ/năm").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<u32>,
    /// The languages it is written in (ISO 639-1: `vi`, `en`, `lo`, `km` …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20), inner(regex(pattern = "^[a-z]{2}$")))]
    pub languages: Vec<String>,
    /// Copies printed of each issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub print_run: Option<u32>,
    /// Where it goes: missions abroad, partners, fairs, a website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub distribution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

/// Trainees of one unit on a course.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trainees {
    /// The unit (a department, a district, a commune).
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub unit: String,
    pub count: u32,
}

/// A training course in foreign-affairs knowledge and skills for the
/// province's staff.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingCourse {
    #[schemars(length(min = 1, max = TITLE_MAX), regex(pattern = r"\S"))]
    pub topic: String,
    pub kind: TrainingKind,
    /// Who runs it (the department, the Ministry's Diplomatic Academy …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub organiser: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NAME_MAX))]
    pub place: Option<String>,
    /// Trainees by unit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub trainees: Vec<Trainees>,
    /// All trainees, where they are not listed by unit; at least their sum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trainee_count: Option<u32>,
    /// Foreign partners that co-organise or fund it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_ids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

/// A foreign NGO's registration to work in the province: the certificate
/// the Ministry of Foreign Affairs issued (NĐ 58/2022/NĐ-CP), with the
/// provinces and fields it covers and until when.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NgoRegistration {
    /// The NGO's name as the certificate writes it.
    #[schemars(length(min = 1, max = NAME_MAX), regex(pattern = r"\S"))]
    pub name: String,
    /// The NGO's record among the partners, where there is one: its aid is
    /// then checked against the fields registered here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<i64>,
    /// Where the NGO is from (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::CountryCode>")]
    pub country: Option<String>,
    pub kind: NgoRegistrationKind,
    /// The certificate's number.
    #[schemars(length(min = 1, max = 100), regex(pattern = r"\S"))]
    pub number: String,
    pub issued_on: Date,
    /// The certificate's expiry (five years after issue, as a rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// The provinces it may work in (units of their time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<crate::codes::UnitSlug>", length(max = 100))]
    pub provinces: Vec<String>,
    /// The fields of work registered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<crate::codes::SectorCode>", length(max = 20))]
    pub sectors: Vec<String>,
    /// When the registration ended before its expiry (revoked, closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::codes::UnitSlug>")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = NOTES_MAX))]
    pub notes: Option<String>,
}

impl TrainingCourse {
    /// The trainees: the stated total, else the sum by unit.
    pub fn total_trainees(&self) -> u32 {
        let listed: u32 = self.trainees.iter().map(|t| t.count).sum();
        self.trainee_count.unwrap_or(listed).max(listed)
    }
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

/// A record type's body: what it checks beyond its schema and what it
/// indexes. Its shape (fields, lengths, vocabularies, dates) is its
/// `JsonSchema`, which `shape::Shape` holds every body to before serde reads
/// it; `check` is left with what spans fields or needs the caller.
pub trait RecordBody: DeserializeOwned + Serialize + JsonSchema {
    /// Bring a body up to the current shape before it is checked: codes of
    /// an earlier vocabulary, defaults that depend on another field.
    fn upgrade(_body: &mut Map<String, Value>) {}
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

/// Country codes are stored upper case (the schema check accepted either).
fn upper(codes: &mut [String]) {
    for c in codes {
        c.make_ascii_uppercase();
    }
}

fn check_locality(field: &str, loc: &mut Option<String>, ctx: &Context, errs: &mut Invalid) {
    match loc {
        None => *loc = ctx.default_locality.clone(),
        Some(slug) => {
            let known = slug == NATIONAL || refdata().unit(slug).is_some();
            let allowed = match &ctx.allowed_localities {
                None => known,
                Some(allowed) => allowed.contains(slug),
            };
            if !known {
                errs.push(
                    field,
                    Problem::UnknownUnit {
                        value: slug.clone(),
                    },
                );
            } else if !allowed {
                errs.push(
                    field,
                    Problem::UnitOutsideOrg {
                        value: slug.clone(),
                    },
                );
            }
        }
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

/// `later` may not be before `earlier` (fields named as in the body).
fn check_dates_in_order(
    earlier: (&'static str, Option<Date>),
    later: (&'static str, Option<Date>),
    errs: &mut Invalid,
) {
    if let (Some(a), Some(b)) = (earlier.1, later.1)
        && b < a
    {
        errs.push(
            later.0,
            Problem::DateOrder {
                earlier_field: earlier.0,
            },
        );
    }
}

fn iso(d: Option<Date>) -> Option<String> {
    d.map(Date::iso)
}

const NAME_MAX: usize = 300;
const TITLE_MAX: usize = 500;
const NOTES_MAX: usize = 20_000;

impl RecordBody for Partner {
    fn check(&mut self, _ctx: &Context, _errs: &mut Invalid) {
        self.country.make_ascii_uppercase();
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.name.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
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

impl RecordBody for Agreement {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_dates_in_order(
            ("valid_from", self.valid_from),
            ("valid_until", self.valid_until),
            errs,
        );
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let main = self.signed_on.or(self.valid_from);
        let mut idx = Index {
            title: self.title.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            status: Some(self.status.code().to_owned()),
            year: main.map(Date::year),
            date: iso(main),
            date_end: iso(self.valid_until),
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
        // A decision is looked for by its number.
        push_search(&mut idx, &[self.permission_decision_number.as_deref()]);
        for a in &self.actions {
            push_search(&mut idx, &[a.decision_number.as_deref()]);
        }
        idx
    }
}

impl RecordBody for Delegation {
    fn upgrade(body: &mut Map<String, Value>) {
        // `done` is the earlier vocabulary's last state.
        if body.get("status").and_then(Value::as_str) == Some("done") {
            body.insert("status".into(), Value::String("reported".into()));
        }
    }
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
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
        upper(&mut self.countries);
        check_dates_in_order(("start_on", self.start_on), ("end_on", self.end_on), errs);
        if let Some(b) = &self.budget {
            b.check("budget", errs);
        }
        // An outbound delegation sent as `planned` starts as a draft; an
        // inbound one `approved` (the earlier vocabulary) is `confirmed`.
        self.status = match (self.direction, self.status) {
            (Direction::Outbound, DelegationStatus::Planned) => DelegationStatus::Draft,
            (Direction::Inbound, DelegationStatus::Approved) => DelegationStatus::Confirmed,
            (_, status) => status,
        };
        let allowed = DelegationStatus::of_direction(self.direction);
        if !allowed.contains(&self.status.code()) {
            errs.push(
                "status",
                Problem::OneOf {
                    allowed: allowed.join(", "),
                },
            );
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.purpose.trim().to_owned(),
            kind: Some(self.direction.code().to_owned()),
            status: Some(self.status.code().to_owned()),
            year: self.start_on.map(Date::year),
            date: iso(self.start_on),
            date_end: iso(self.end_on),
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

impl RecordBody for Project {
    fn upgrade(body: &mut Map<String, Value>) {
        // The earlier `disbursements` are actual disbursements of foreign
        // funds: they join the transactions (whose defaults say so).
        if let Some(old) = body.remove("disbursements") {
            match old {
                Value::Array(items) => {
                    let list = body
                        .entry("transactions")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    match list.as_array_mut() {
                        Some(l) => l.extend(items),
                        // Not a list: left for the schema to name.
                        None => {
                            body.insert("disbursements".into(), Value::Array(items));
                        }
                    }
                }
                Value::Null => {}
                other => {
                    body.insert("disbursements".into(), other);
                }
            }
        }
        // Aid (foreign NGO aid, ODA) has a workflow, and a new record
        // starts in its first state: without a status it is `proposed`,
        // not the `active` an FDI project defaults to.
        let aid = [ProjectKind::NgoAid.code(), ProjectKind::Oda.code()];
        if body
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| aid.contains(&k))
            && body.get("status").is_none_or(Value::is_null)
        {
            body.insert(
                "status".into(),
                Value::String(ProjectStatus::Proposed.code().into()),
            );
        }
    }
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        if let Some(c) = &mut self.country {
            c.make_ascii_uppercase();
        }
        if let Some(m) = &self.capital {
            m.check("capital", errs);
        }
        if let Some(m) = &self.disbursed {
            m.check("disbursed", errs);
        }
        check_dates_in_order(
            ("period_from", self.period_from),
            ("period_until", self.period_until),
            errs,
        );
        for (i, t) in self.transactions.iter().enumerate() {
            t.amount.check(&format!("transactions[{i}].amount"), errs);
        }
        for (i, o) in self.appraisal_opinions.iter().enumerate() {
            if let (Some(a), Some(b)) = (o.asked_on, o.answered_on)
                && b < a
            {
                errs.push(
                    format!("appraisal_opinions[{i}].answered_on"),
                    Problem::DateOrder {
                        earlier_field: "asked_on",
                    },
                );
            }
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let main = self.approved_on.or(self.period_from);
        let mut idx = Index {
            title: self.name.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            status: Some(self.status.code().to_owned()),
            year: main.map(Date::year),
            date: iso(main),
            date_end: iso(self.period_until),
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

impl RecordBody for Event {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_dates_in_order(("start_on", self.start_on), ("end_on", self.end_on), errs);
        if let Some(c) = &mut self.country {
            c.make_ascii_uppercase();
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.title.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            year: self.start_on.map(Date::year),
            date: iso(self.start_on),
            date_end: iso(self.end_on),
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

impl RecordBody for AbtcApproval {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        upper(&mut self.economies);
        for p in &mut self.preclearance {
            p.economy.make_ascii_uppercase();
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: format!("{} — {}", self.person_name.trim(), self.enterprise.trim()),
            status: Some(self.status.code().to_owned()),
            year: self.decision_on.map(Date::year),
            date: iso(self.decision_on),
            // The card's expiry, for the cards to renew (`/tasks`).
            date_end: iso(self.card_expires_on),
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

impl RecordBody for OverseasContact {
    fn check(&mut self, _ctx: &Context, errs: &mut Invalid) {
        self.country.make_ascii_uppercase();
        if self.kind == OverseasKind::Person && !self.consent {
            errs.push(
                "consent",
                Problem::Invalid {
                    vi: "Cần có sự đồng ý của người này trước khi lưu dữ liệu cá nhân.".into(),
                    en: "The person's consent is required before keeping their personal data."
                        .into(),
                },
            );
        }
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.name.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
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

impl RecordBody for Observation {
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
        check_locality("locality", &mut self.locality, ctx, errs);
        self.period.check("period", errs);
        if self.value.0.is_sign_negative() && !self.value.0.is_zero() {
            errs.push("value", Problem::Negative);
        }
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

impl RecordBody for CatalogProject {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        if self.translations.len() > 20 {
            errs.push("translations", Problem::TooMany { max: 20 });
        }
        for code in self.translations.keys() {
            if !is_language_code(code) {
                errs.push(
                    format!("translations.{code}"),
                    Problem::Invalid {
                        vi: format!(
                            "“{code}” không phải mã ngôn ngữ ISO 639-1 (ví dụ vi, en, ja)."
                        ),
                        en: format!(
                            "“{code}” is not an ISO 639-1 language code (e.g. vi, en, ja)."
                        ),
                    },
                );
            }
        }
        // Vietnamese always; English too before the public may see it.
        let required: &[&str] = if self.status == CatalogStatus::Published {
            CATALOG_REQUIRED_LANGS
        } else {
            &["vi"]
        };
        for code in required {
            if !self.translations.contains_key(*code) {
                errs.push(format!("translations.{code}.name"), Problem::Required);
            }
        }
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
        upper(&mut self.countries_of_interest);
    }
    fn index(&self) -> Index {
        let title = self
            .text("vi")
            .map(|t| t.name.trim().to_owned())
            .unwrap_or_default();
        let mut idx = Index {
            title,
            status: Some(self.status.code().to_owned()),
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

impl RecordBody for Publication {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        if !(1945..=2100).contains(&self.year) {
            errs.push(
                "year",
                Problem::Invalid {
                    vi: format!("Năm {} nằm ngoài khoảng 1945–2100.", self.year),
                    en: format!("The year {} is outside 1945–2100.", self.year),
                },
            );
        }
        for (i, code) in self.languages.iter().enumerate() {
            if !is_language_code(code) {
                errs.push(
                    format!("languages[{i}]"),
                    Problem::Invalid {
                        vi: format!(
                            "“{code}” không phải mã ngôn ngữ ISO 639-1 (ví dụ vi, en, lo)."
                        ),
                        en: format!(
                            "“{code}” is not an ISO 639-1 language code (e.g. vi, en, lo)."
                        ),
                    },
                );
            }
        }
        self.languages.dedup();
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.title.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            year: Some(self.year),
            locality: self.locality.clone(),
            // The issues, summed into `bulletins.issues` (`stats::derive`).
            amount: self.issues.map(Decimal::from),
            unit: self.issues.map(|_| "count".to_owned()),
            ..Index::default()
        };
        idx.tags
            .extend(self.languages.iter().map(|l| format!("language:{l}")));
        let loc = locality_words(self.locality.as_deref());
        push_search(
            &mut idx,
            &[
                Some(&self.title),
                self.distribution.as_deref(),
                Some(&loc),
                self.notes.as_deref(),
            ],
        );
        idx
    }
}

impl RecordBody for TrainingCourse {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        check_dates_in_order(("start_on", self.start_on), ("end_on", self.end_on), errs);
        let listed: u32 = self.trainees.iter().map(|t| t.count).sum();
        if let Some(n) = self.trainee_count
            && n < listed
        {
            errs.push(
                "trainee_count",
                Problem::Invalid {
                    vi: format!("Tổng số học viên ({n}) ít hơn tổng theo đơn vị ({listed})."),
                    en: format!(
                        "trainee_count ({n}) is less than the trainees listed by unit ({listed})."
                    ),
                },
            );
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.topic.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            year: self.start_on.map(Date::year),
            date: iso(self.start_on),
            date_end: iso(self.end_on),
            locality: self.locality.clone(),
            amount: Some(Decimal::from(self.total_trainees())),
            unit: Some("people".to_owned()),
            ..Index::default()
        };
        idx.links
            .extend(self.partner_ids.iter().map(|id| ("partner", *id)));
        let loc = locality_words(self.locality.as_deref());
        push_search(
            &mut idx,
            &[
                Some(&self.topic),
                self.organiser.as_deref(),
                self.place.as_deref(),
                Some(&loc),
                self.notes.as_deref(),
            ],
        );
        for t in &self.trainees {
            push_search(&mut idx, &[Some(&t.unit)]);
        }
        idx
    }
}

impl RecordBody for NgoRegistration {
    fn check(&mut self, ctx: &Context, errs: &mut Invalid) {
        if let Some(c) = &mut self.country {
            c.make_ascii_uppercase();
        }
        check_dates_in_order(
            ("issued_on", Some(self.issued_on)),
            ("valid_until", self.valid_until),
            errs,
        );
        check_dates_in_order(
            ("issued_on", Some(self.issued_on)),
            ("ended_on", self.ended_on),
            errs,
        );
        for (i, slug) in self.provinces.iter().enumerate() {
            if refdata().unit(slug).is_none() {
                errs.push(
                    format!("provinces[{i}]"),
                    Problem::UnknownUnit {
                        value: slug.clone(),
                    },
                );
            }
        }
        check_locality("locality", &mut self.locality, ctx, errs);
    }
    fn index(&self) -> Index {
        let mut idx = Index {
            title: self.name.trim().to_owned(),
            kind: Some(self.kind.code().to_owned()),
            year: Some(self.issued_on.year()),
            date: Some(self.issued_on.iso()),
            // The end of the registration, for the ones to renew (`/tasks`).
            date_end: iso(self.ended_on.or(self.valid_until)),
            country: self.country.clone(),
            locality: self.locality.clone(),
            ..Index::default()
        };
        if let Some(c) = &self.country {
            idx.tags.insert(format!("country:{c}"));
        }
        idx.tags
            .extend(self.sectors.iter().map(|s| format!("sector:{s}")));
        if let Some(p) = self.partner_id {
            idx.links.push(("ngo", p));
        }
        let cw = self.country.as_deref().map(country_words);
        push_search(
            &mut idx,
            &[
                Some(&self.name),
                Some(&self.number),
                cw.as_deref(),
                self.notes.as_deref(),
            ],
        );
        idx
    }
}

// ---------------------------------------------------------------- the generic path

/// Check a body for `rt` and return it normalised, with its index.
pub fn prepare(rt: RecordType, body: &Value, ctx: &Context) -> Result<(Value, Index), Invalid> {
    let Some(obj) = body.as_object() else {
        return Err(Invalid::one("", Problem::WrongType { expected: "object" }));
    };
    check_top_level(rt, obj)?;
    // Nulls mean "absent" (a merge patch removes a field with null).
    let mut cleaned = Value::Object(
        obj.iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    crate::values::strip_forbidden_json(&mut cleaned);
    let Value::Object(mut cleaned) = cleaned else {
        unreachable!("an object stays an object")
    };
    // A partner named twice is one link.
    if let Some(Value::Array(ids)) = cleaned.get_mut("partner_ids") {
        let mut seen = std::collections::HashSet::new();
        ids.retain(|v| seen.insert(v.to_string()));
    }
    rt.prepare_body(cleaned, ctx)
}

/// The JSON Schema of a record type's body.
pub fn body_schema(rt: RecordType) -> schemars::Schema {
    schemars::Schema::try_from(shape(rt).schema().clone()).unwrap_or_default()
}

/// Each type's shape, derived once.
fn shape(rt: RecordType) -> &'static Shape {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    let all = SHAPES.get_or_init(|| RecordType::ALL.iter().map(|rt| rt.make_shape()).collect());
    &all[RecordType::ALL.iter().position(|t| *t == rt).unwrap_or(0)]
}

/// Errors of one kind reported at most (the rest summed up in one line).
const MAX_REPORTED_ERRORS: usize = 50;
/// The longest list a record field may hold.
pub const MAX_LIST_ITEMS: usize = 200;

/// The cheap checks first: unknown and missing fields, oversized lists.
/// Every one is reported at once, but not 80,000 of them (the answer would
/// be megabytes), and a list of 100,000 ids is refused before it is read.
/// Fields of an earlier shape that a type's `upgrade` still moves into the
/// current one (a project's `disbursements`, now its `transactions`).
fn earlier_field(rt: RecordType, key: &str) -> bool {
    matches!((rt, key), (RecordType::Project, "disbursements"))
}

fn check_top_level(rt: RecordType, obj: &Map<String, Value>) -> Result<(), Invalid> {
    let fields = shape(rt).fields();
    let mut errs = Invalid::default();
    let unknown: Vec<&String> = obj
        .keys()
        .filter(|k| !fields.contains(*k) && !earlier_field(rt, k))
        .collect();
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
    for req in shape(rt).required() {
        if obj.get(&req).is_none_or(Value::is_null) {
            errs.push(req, Problem::Required);
        }
    }
    errs.into_result()
}

fn prepare_as<T: RecordBody>(
    rt: RecordType,
    mut body: Map<String, Value>,
    ctx: &Context,
) -> Result<(Value, Index), Invalid> {
    T::upgrade(&mut body);
    let body = Value::Object(body);
    let mut errs = Invalid::default();
    shape(rt).check(&body, &mut errs);
    if !errs.is_empty() {
        // Whoever fixes a form wants every problem at once: the type's own
        // checks (dates in order, the caller's units …) still run on the
        // fields that are well formed, when the body reads without the rest.
        let mut rest = body.clone();
        if let Value::Object(fields) = &mut rest {
            for e in &errs.0 {
                let top = e.field.split(['.', '[']).next().unwrap_or_default();
                fields.remove(top);
            }
        }
        if let Ok(mut parsed) = serde_json::from_value::<T>(rest) {
            let mut more = Invalid::default();
            parsed.check(ctx, &mut more);
            errs.0.extend(more.0);
        }
        return Err(errs);
    }
    let mut parsed: T = serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        Invalid(vec![serde_problem(&path, &e.into_inner().to_string())])
    })?;
    let mut errs = Invalid::default();
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

/// The relation names `Index::links` uses (`partner`: `partner_ids`;
/// `investor`: `investor_id`; `ngo`: a registration's `partner_id`;
/// `replaces`: `replaces_id`; `event`: a permit's `event_id`;
/// `plan_delegation`/`plan_agreement`/`plan_event`: a plan's tasks'
/// `delegation_ids`/`agreement_ids`/`event_ids`), and the record type each
/// must point at.
/// The field of a body that holds a link of relation `rel` (where an
/// error about the link is reported).
pub fn link_field(rel: &str) -> &'static str {
    match rel {
        "investor" => "investor_id",
        "ngo" => "partner_id",
        "replaces" => "replaces_id",
        "event" => "event_id",
        "plan_delegation" | "plan_agreement" | "plan_event" => "tasks",
        _ => "partner_ids",
    }
}

pub fn link_target(rel: &str) -> RecordType {
    match rel {
        "replaces" | "plan_agreement" => RecordType::Agreement,
        "event" | "plan_event" => RecordType::Event,
        "plan_delegation" => RecordType::Delegation,
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
    fn publications_and_training_courses_check_what_their_schema_cannot() {
        let (v, idx) = prepare(
            RecordType::Publication,
            &json!({"title": "Bản tin đối ngoại", "kind": "bulletin", "year": 2020, "issues": 12, "languages": ["vi", "en"]}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v["locality"], "dong-thap");
        assert_eq!(
            (idx.year, idx.amount),
            (Some(2020), Some(Decimal::from(12)))
        );
        assert_eq!(
            problems(
                RecordType::Publication,
                json!({"title": " ", "kind": "poster", "year": 1890, "languages": ["VI!"]})
            ),
            vec![
                ("kind".to_owned(), "not_allowed_value"),
                ("title".to_owned(), "required"),
            ]
        );
        // Those fixed, what the type itself checks.
        assert_eq!(
            problems(
                RecordType::Publication,
                json!({"title": "T", "kind": "book", "year": 1890, "languages": ["VI!"]})
            ),
            vec![
                ("year".to_owned(), "invalid"),
                ("languages[0]".to_owned(), "invalid")
            ]
        );
        let course = json!({"topic": "Lễ tân", "kind": "protocol", "start_on": "2024-05-20", "end_on": "2024-05-19",
            "trainees": [{"unit": "Sở Công Thương", "count": 8}, {"unit": "", "count": -1}], "trainee_count": 5});
        assert_eq!(
            problems(RecordType::TrainingCourse, course),
            vec![
                ("trainees[1].count".to_owned(), "negative"),
                ("trainees[1].unit".to_owned(), "required"),
                ("end_on".to_owned(), "date_order"),
            ]
        );
        let (_, idx) = prepare(
            RecordType::TrainingCourse,
            &json!({"topic": "Lễ tân", "kind": "protocol", "trainees": [{"unit": "A", "count": 8}, {"unit": "B", "count": 12}]}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(idx.amount, Some(Decimal::from(20)));
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
        // The schema's problems first, every one with its path; then what
        // only the type knows (a key that is no language code).
        assert_eq!(
            problems(
                RecordType::CatalogProject,
                json!({"translations": {"VI!": {"name": "x"}, "vi": {"name": " "}}, "sector": "mining", "status": "public"})
            ),
            vec![
                ("sector".to_owned(), "not_allowed_value"),
                ("status".to_owned(), "not_allowed_value"),
                ("translations.vi.name".to_owned(), "required"),
            ]
        );
        assert_eq!(
            problems(
                RecordType::CatalogProject,
                json!({"translations": {"VI!": {"name": "x"}, "vi": {"name": "y"}}, "sector": "industry"})
            ),
            vec![("translations.VI!".to_owned(), "invalid")]
        );
    }
}
