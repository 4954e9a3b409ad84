//! IATI 2.03 export and import of ODA and foreign NGO aid projects (record
//! type `project`, kinds `oda` and `ngo_aid`). Pure: bytes and strings in
//! and out, no I/O, no clock (the caller passes the times).
//!
//! # Contract
//!
//! - [`export`]`(publisher, projects, generated) -> String`: one
//!   `<iati-activities version="2.03">` document, one `iati-activity` per
//!   project of kind `oda` or `ngo_aid` (others, and bodies that do not read
//!   as a project, are left out with an XML comment saying so). The output
//!   validates against the IATI 2.03 activity schema (the tests run xmllint
//!   on it) and uses only codes of the codelists shipped in `data/iati/`.
//! - [`import`]`(xml, unit_slugs) -> Result<ImportOutcome, IatiError>`: the
//!   activities of the importing province as project bodies ready for
//!   `ngoaivu_core::records::prepare` (without `investor_id`: the integrator
//!   finds or creates the partner from `donor_name`/`donor_country`), the
//!   others skipped with a reason, and per-activity errors. `Err` is for a
//!   file that cannot be read at all: a DOCTYPE or entity declaration
//!   (`doctype`, refused before anything else is read), over 50 MiB
//!   (`too_large`), not UTF-8 (`encoding`), malformed XML (`xml`, with its
//!   line), a root that is not `iati-activities` (`root`), a version other
//!   than 2.0x (`version`), nesting deeper than 64 (`too_deep`).
//!
//! # Identifiers
//!
//! An activity's `iati-identifier` is the reporting organisation's ref, a
//! hyphen and the ngoaivu record id: `VN-NGOAIVU-dak-lak-42`. The ref is
//! [`org_ref`]: `VN-NGOAIVU-` and the organisation's ngoaivu slug. This is
//! **not a registered IATI organisation identifier**: `NGOAIVU` is not an
//! agency of IATI's OrganisationRegistrationAgency codelist, and IATI's
//! rules want the reporting org ref to be `{agency}-{id}` from that list. A
//! province that publishes to the IATI Registry must first get a real
//! identifier, either from `VN-COA` (Viet Nam's chart of accounts: the
//! budget-relation code, mã quan hệ ngân sách, of the Sở Ngoại vụ or the
//! People's Committee) or from the IATI Secretariat (`XI-IATI-…`), and then
//! export with [`export_with_ref`]. We chose an obviously unregistered
//! prefix over borrowing `XI-IATI`, which would claim a registration that
//! does not exist. The identifier stays stable as long as the ref does
//! (slug and id never change).
//!
//! # How re-import recognises an activity
//!
//! The `project` body has no field for an external identifier, so the
//! imported body's `notes` is the line `IATI: <iati-identifier>` (see
//! [`NOTES_PREFIX`], [`identifier_in_notes`]). The integrator looks for an
//! existing project of the organisation whose notes hold that line and
//! skips (or updates) it, so importing the same file twice creates nothing
//! new. Exported files never carry `notes` (they are internal), so the
//! round trip changes `notes` and nothing else.
//!
//! # The ngoaivu extension
//!
//! IATI has no place for a few things a ngoaivu project records. Our files
//! carry them as attributes in the namespace [`NV_NS`] (prefix `nv`) on
//! `iati-activity`, which the schema allows (`anyAttribute namespace="##other"`)
//! and other readers ignore: `nv:kind`, `nv:status` (IATI's status 1
//! covers proposed, appraisal and approved), `nv:country` (the project's
//! country, normally the donor's; IATI names no country for a funder),
//! `nv:approved-on` (IATI has no approval date), `nv:disbursed` and
//! `nv:disbursed-currency` (the running total, which may exist without dated
//! disbursements), `nv:start-substitute="true"` (the planned start written
//! only because the schema requires one `activity-date`: the approval date,
//! or else the record's last update). The importer uses them when present
//! and otherwise reads the IATI elements alone.
//!
//! See `data/iati/README.md` for every mapping table.

pub mod codelists;
mod export;
mod import;
pub mod mapping;
mod xml;

pub use export::{export, export_with_ref, org_ref};
pub use import::{identifier_in_notes, import};

/// The namespace of ngoaivu's extension attributes (prefix `nv`).
pub const NV_NS: &str = "urn:ngoaivu:iati:1";
/// The start of the line in `notes` that names an imported activity.
pub const NOTES_PREFIX: &str = "IATI: ";
/// The prefix of [`org_ref`] (not a registered agency; see above).
pub const ORG_REF_PREFIX: &str = "VN-NGOAIVU";
/// The largest file [`import`] reads.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;

/// The organisation that publishes: a province's foreign-affairs office.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub org_slug: String,
    pub org_name_vi: String,
    pub org_name_en: String,
    /// The provincial unit's slug (`dak-lak`), current or former.
    pub unit_code: String,
    /// The unit's name as shown (`Tỉnh Đắk Lắk`).
    pub unit_name: String,
}

/// One project to export.
#[derive(Debug, Clone)]
pub struct ExportProject<'a> {
    pub id: i64,
    /// A `project` body as stored.
    pub body: &'a serde_json::Value,
    /// The name of the partner `investor_id` points at.
    pub donor_name: Option<String>,
    /// That partner's country (ISO 3166-1 alpha-2).
    pub donor_country: Option<String>,
    pub updated_at: time::OffsetDateTime,
}

/// An activity of the importing province, as a project body.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedActivity {
    pub iati_identifier: String,
    /// A `project` body for `ngoaivu_core::records::prepare`, without
    /// `investor_id`; `notes` is `IATI: <identifier>`.
    pub body: serde_json::Value,
    /// The funding organisation's name (vi narrative preferred).
    pub donor_name: Option<String>,
    /// The funder's country: ours from `nv:country`, another publisher's
    /// from the country prefix of the funder's org ref (`JP-…`), if any.
    pub donor_country: Option<String>,
    /// The line of the file where the activity starts.
    pub line: usize,
}

/// An activity left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub iati_identifier: String,
    pub line: usize,
    /// `not_in_province`, `not_vietnam` or `not_aid`.
    pub code: &'static str,
    pub vi: String,
    pub en: String,
}

/// What an import found.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub activities: Vec<ImportedActivity>,
    pub skipped: Vec<Skipped>,
    /// Activities of the province that could not be read (each names its
    /// line); the others are still imported.
    pub errors: Vec<IatiError>,
}

/// An error with a stable code, the line it concerns and its message in
/// both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct IatiError {
    pub code: &'static str,
    pub line: Option<usize>,
    pub vi: String,
    pub en: String,
}

impl std::fmt::Display for IatiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.en),
            None => f.write_str(&self.en),
        }
    }
}

impl std::error::Error for IatiError {}
