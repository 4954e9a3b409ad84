//! Imports with a review, for spreadsheets and IATI files alike.
//!
//! An import happens in two steps, and nothing is written by the first:
//!
//! 1. [`review`] (or [`review_rows`] for rows that come from elsewhere, such
//!    as an IATI file) reads the rows, validates each as a create would
//!    (`Service::validator`), resolves partners named in cells to the
//!    organisation's partner records (or plans new ones, created in the same
//!    import), and matches each row against the organisation's records by
//!    its **natural key** ([`natural_key`]): a row that matches and changes
//!    nothing is `unchanged`, one that changes fields is an `update` (with
//!    the fields and their old and new values), else a `create`. Every
//!    problem is reported at its cell (`Sheet1!D14`).
//! 2. [`commit`] writes a review that has no errors, all of it in one
//!    transaction with an audit row per record naming the file's SHA-256 and
//!    the row (`Service::import_records`), or nothing.
//!
//! So a re-import of the same workbook creates nothing and reports what
//! would change; an import always writes into the caller's own
//! organisation (`Service::import_org`), whatever the workbook says.

use std::collections::HashMap;

use ngoaivu_core::fold::fold_vi;
use ngoaivu_core::records::{Index, link_field, link_target};
use ngoaivu_core::{Actor, Lang, RecordType};
use ngoaivu_sheets::mapping::Mapping;
use ngoaivu_sheets::{Limits, SheetError, Workbook};
use ngoaivu_store::{BulkRecord, ImportSource, ImportUpdate, Org, Service, StoreError};
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::Digest;

/// A file as uploaded.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// How the columns of a workbook are mapped to fields.
#[derive(Debug, Clone)]
pub enum MappingChoice {
    /// Propose a mapping from the headers (on the named sheet, or the best one).
    Propose { sheet: Option<String> },
    /// Use this mapping (a saved one re-bound to this workbook's headers, or
    /// the user's corrections).
    Given(Mapping),
}

/// What an import will do, row by row, before anything is written.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    #[serde(rename = "type")]
    pub rt_path: &'static str,
    pub file_name: String,
    pub sha256: String,
    /// The mapping used (absent for IATI files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapping: Option<Mapping>,
    /// The workbook's sheets, for choosing another.
    pub sheets: Vec<String>,
    pub summary: Summary,
    pub rows: Vec<ReviewRow>,
    /// What the file holds that is not for this import (an IATI file's
    /// activities in another province), with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    #[serde(skip)]
    rt: RecordType,
    #[serde(skip)]
    plan: Plan,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub rows: usize,
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub errors: usize,
    /// Partners that do not exist yet and will be created.
    pub new_partners: usize,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Error,
}

impl Action {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Action::Create => lang.pick("Tạo mới", "Create"),
            Action::Update => lang.pick("Cập nhật", "Update"),
            Action::Unchanged => lang.pick("Không đổi", "Unchanged"),
            Action::Error => lang.pick("Lỗi", "Error"),
        }
    }
}

/// One row of the review.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    pub sheet: String,
    /// The row number as Excel shows it (or the line of an IATI activity).
    pub row: usize,
    pub action: Action,
    /// The record's title as lists show it.
    pub title: String,
    /// The existing record the row matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Partners this row names that will be created.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_partners: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowError>,
}

/// A record of the organisation as a review keeps it.
struct Existing {
    id: i64,
    updated_at: time::OffsetDateTime,
    /// The stored body as JSON text.
    data: Box<str>,
}

/// Something in the file left out of the import, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub what: String,
    pub message: String,
    pub message_en: String,
}

/// A field an update changes.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// A problem with a row, at its cell when one is to blame.
#[derive(Debug, Clone, Serialize)]
pub struct RowError {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message: String,
    pub message_en: String,
}

impl RowError {
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.message,
            Lang::En => &self.message_en,
        }
    }
}

/// A row as it comes in, from a sheet or an IATI activity.
#[derive(Debug, Clone)]
pub struct IncomingRow {
    pub sheet: String,
    pub row: usize,
    /// The body as far as the source could build it (partners left out).
    pub body: Value,
    pub partners: Vec<PartnerName>,
    /// Problems the source found (a date that does not exist …).
    pub errors: Vec<RowError>,
    /// Where the cells of the row's fields are, for errors found later.
    pub cells: Cells,
    /// The record this row is known to be, whatever its natural key says
    /// (an IATI activity this organisation published names its record).
    pub known_id: Option<i64>,
}

/// Where the cells of a row's fields are: the sheet's columns (shared by
/// all its rows: a workbook of 50,000 rows holds them once) and the row.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    sheet: std::sync::Arc<str>,
    row: usize,
    /// (field key, column index, column label).
    columns: std::sync::Arc<[(String, usize, String)]>,
}

impl Cells {
    /// The cell (`Sheet1!D14`) and column label to blame for a field path
    /// of a validation error: the field's own column, else the column of
    /// the object it is part of.
    fn find(&self, field: &str) -> Option<(String, String)> {
        let head = |s: &str| s.split(['.', '[']).next().unwrap_or("").to_string();
        let cols = &self.columns;
        cols.iter()
            .find(|(k, _, _)| k == field)
            .or_else(|| {
                cols.iter().find(|(k, _, _)| {
                    field.starts_with(&format!("{k}.")) || field.starts_with(&format!("{k}["))
                })
            })
            .or_else(|| cols.iter().find(|(k, _, _)| head(k) == head(field)))
            .map(|(_, index, label)| {
                (
                    ngoaivu_sheets::cell_ref(&self.sheet, self.row.saturating_sub(1), *index),
                    label.clone(),
                )
            })
    }
}

/// A partner named in a row, to be resolved to a partner record.
#[derive(Debug, Clone)]
pub struct PartnerName {
    /// `partner_ids` or `investor_id`.
    pub field: &'static str,
    pub name: String,
    /// The partner's country (ISO code), when the row gives one: needed to
    /// create a partner that does not exist yet.
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Plan {
    creates: Vec<Planned>,
    updates: Vec<PlannedUpdate>,
    unchanged: usize,
}

#[derive(Debug, Clone)]
struct Planned {
    rt: RecordType,
    data: Value,
    idx: Index,
    batch_links: Vec<(&'static str, usize)>,
    source: ImportSource,
}

#[derive(Debug, Clone)]
struct PlannedUpdate {
    id: i64,
    data: Value,
    idx: Index,
    batch_links: Vec<(&'static str, usize)>,
    expected_updated_at: time::OffsetDateTime,
    source: ImportSource,
}

/// Why an import could not be reviewed or written.
#[derive(Debug)]
pub enum ImportError {
    /// The file itself (not a spreadsheet, encrypted, too large …).
    File(SheetError),
    /// The store refused (the caller may not write; a record changed since
    /// the review: nothing was written).
    Store(StoreError),
    /// The review has errors: nothing is written until they are fixed.
    HasErrors(usize),
    /// The file holds no row to import (headers only, or nothing for this
    /// organisation).
    NoRows,
}

impl ImportError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ImportError::File(e) => lang.pick(&e.vi, &e.en).to_string(),
            ImportError::Store(e) => match e {
                StoreError::Invalid(inv) => inv
                    .0
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message(lang)))
                    .collect::<Vec<_>>()
                    .join("; "),
                StoreError::Forbidden(d) => d.message(lang).to_string(),
                StoreError::Conflict(c) => c.message(lang),
                other => other.to_string(),
            },
            ImportError::NoRows => lang
                .pick(
                    "Tệp không có dòng dữ liệu nào để nhập (chỉ có dòng tiêu đề, hoặc không có gì của cơ quan này).",
                    "The file has no rows to import (headers only, or nothing for this organisation).",
                )
                .to_string(),
            ImportError::HasErrors(n) => match lang {
                Lang::Vi => format!(
                    "Tệp còn {n} dòng có lỗi; không có gì được ghi. Sửa các ô được chỉ ra rồi nhập lại."
                ),
                Lang::En => format!(
                    "{n} rows have errors; nothing was written. Fix the cells shown and import again."
                ),
            },
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ImportError {}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Store(e)
    }
}

impl From<SheetError> for ImportError {
    fn from(e: SheetError) -> Self {
        ImportError::File(e)
    }
}

/// The SHA-256 of a file, in hex: how the audit names it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Read a spreadsheet upload (refusals: `ImportError::File`).
pub fn read_workbook(upload: &Upload<'_>, limits: &Limits) -> Result<Workbook, ImportError> {
    Ok(ngoaivu_sheets::read(
        upload.bytes,
        upload.file_name,
        limits,
    )?)
}

/// The mapping a choice gives for `wb`.
pub fn mapping_for(
    rt: RecordType,
    wb: &Workbook,
    choice: &MappingChoice,
) -> Result<Mapping, ImportError> {
    Ok(match choice {
        MappingChoice::Propose { sheet } => {
            ngoaivu_sheets::mapping::propose(rt, wb, sheet.as_deref())?
        }
        MappingChoice::Given(m) => m.clone(),
    })
}

/// Review a spreadsheet upload: read, map, convert, then [`review_rows`].
pub async fn review(
    svc: &Service,
    actor: &Actor,
    rt: RecordType,
    upload: Upload<'_>,
    choice: &MappingChoice,
    limits: &Limits,
) -> Result<Review, ImportError> {
    // Who may import is decided before the file is read.
    svc.import_org(actor).await?;
    let wb = read_workbook(&upload, limits)?;
    let mapping = mapping_for(rt, &wb, choice)?;
    let rows = rows_of(rt, &wb, &mapping);
    let sheets = wb.sheets.iter().map(|s| s.name.clone()).collect();
    let mut review = review_rows(
        svc,
        actor,
        rt,
        upload.file_name,
        &sha256_hex(upload.bytes),
        rows,
    )
    .await?;
    review.mapping = Some(mapping);
    review.sheets = sheets;
    Ok(review)
}

/// Values a sheet states once for all its rows: for a required choice
/// (a delegation's direction, a project's kind) that no column gives, the
/// choice the sheet's name or its title rows above the header name, when
/// they name exactly one ("Đoàn ra 2019", "DANH SÁCH DỰ ÁN FDI"). Only
/// whole labels are looked for (never one-word synonyms such as "ra"),
/// so that a title's ordinary words do not choose for it.
pub fn sheet_defaults(
    rt: RecordType,
    wb: &Workbook,
    mapping: &Mapping,
) -> Vec<(&'static str, &'static str)> {
    let Some(sheet) = wb.sheet(&mapping.sheet) else {
        return vec![];
    };
    let mut text = vec![sheet.name.clone()];
    for row in sheet.rows.iter().take(mapping.header_row.saturating_sub(1)) {
        for c in row {
            text.push(c.text());
        }
    }
    let words = |s: &str| -> String {
        let folded: String = fold_vi(s)
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        format!(
            " {} ",
            folded.split_whitespace().collect::<Vec<_>>().join(" ")
        )
    };
    let haystack = words(&text.join(" "));
    let mapped: Vec<&str> = mapping.keys().map(|(k, _)| k).collect();
    let mut out = Vec::new();
    for col in ngoaivu_sheets::columns::columns(rt) {
        let ngoaivu_sheets::ColumnKind::Choice(choices) = col.kind else {
            continue;
        };
        if !col.required || col.key.contains('.') || mapped.contains(&col.key) {
            continue;
        }
        let named: Vec<&str> = choices
            .iter()
            .filter(|ch| {
                std::iter::once(ch.vi)
                    .chain(std::iter::once(ch.en))
                    .chain(ch.synonyms.iter().copied())
                    .map(words)
                    .filter(|w| w.split_whitespace().count() >= 2)
                    .any(|w| haystack.contains(&w))
            })
            .map(|ch| ch.code)
            .collect();
        if let [one] = named[..] {
            out.push((col.key, one));
        }
    }
    out
}

/// Headers that name a country; an unmapped column so named gives the
/// country of the partners a row names, when the record type has no
/// country of its own (an agreement: "Đối tác" and "Nước").
const COUNTRY_HEADERS: &[&str] = &[
    "nuoc",
    "quoc gia",
    "nuoc doi tac",
    "quoc gia doi tac",
    "nuoc cua doi tac",
    "quoc gia cua doi tac",
    "nuoc vung lanh tho",
    "quoc gia vung lanh tho",
    "country",
    "partner country",
];

/// The unmapped column that gives partners' countries, if any.
fn partner_country_column(mapping: &Mapping) -> Option<usize> {
    mapping
        .columns
        .iter()
        .filter(|c| c.key.is_none())
        .find(|c| {
            COUNTRY_HEADERS.contains(&ngoaivu_sheets::mapping::header_norm(&c.header).0.as_str())
        })
        .map(|c| c.index)
}

/// The incoming rows of a workbook under a mapping.
pub fn rows_of(rt: RecordType, wb: &Workbook, mapping: &Mapping) -> Vec<IncomingRow> {
    let defaults = sheet_defaults(rt, wb, mapping);
    let default_labels: Vec<&str> = defaults
        .iter()
        .filter_map(|(k, _)| ngoaivu_sheets::columns::column(rt, k).map(|c| c.vi))
        .collect();
    let country_col = partner_country_column(mapping);
    let sheet = wb.sheet(&mapping.sheet);
    let country_at = |row: usize| -> Option<String> {
        let cell = sheet?.rows.get(row.checked_sub(1)?)?.get(country_col?)?;
        ngoaivu_sheets::values::parse_country(&cell.text()).ok()
    };
    let columns = ngoaivu_sheets::columns::columns(rt);
    let label = |key: &str| {
        columns
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.vi.to_string())
            .unwrap_or_else(|| key.to_string())
    };
    let shared: std::sync::Arc<[(String, usize, String)]> = mapping
        .columns
        .iter()
        .filter_map(|c| {
            let key = c.key.as_ref()?;
            Some((key.clone(), c.index, label(key)))
        })
        .collect();
    let sheet_name: std::sync::Arc<str> = mapping.sheet.as_str().into();
    let cells_of = |row: usize| Cells {
        sheet: sheet_name.clone(),
        row,
        columns: shared.clone(),
    };
    ngoaivu_sheets::convert::convert(rt, wb, mapping)
        .into_iter()
        .map(|o| IncomingRow {
            known_id: None,
            cells: cells_of(o.row),
            errors: o
                .errors
                .into_iter()
                // A column no cell is mapped to can only be missing; the
                // sheet stated its value once (see `sheet_defaults`).
                .filter(|e| !default_labels.contains(&e.column.as_str()))
                .map(|e| RowError {
                    cell: Some(e.cell),
                    column: Some(e.column),
                    message: e.vi,
                    message_en: e.en,
                })
                .collect(),
            partners: o
                .partners
                .into_iter()
                .map(|p| PartnerName {
                    field: p.field,
                    name: p.name,
                    country: p.country.or_else(|| country_at(o.row)),
                })
                .collect(),
            sheet: o.sheet,
            row: o.row,
            body: {
                let mut body = o.body;
                if let Some(b) = body.as_object_mut() {
                    for (k, v) in &defaults {
                        b.entry(*k).or_insert_with(|| Value::from(*v));
                    }
                }
                body
            },
        })
        .collect()
}

/// The key a record is recognised by when a file is imported again: what
/// an office would call "the same" record (the same partner name in the
/// same country, the same trip on the same day, the same figure for the
/// same unit and period …), folded so that case and diacritics do not
/// matter. `None` when the body lacks what the key needs.
pub fn natural_key(rt: RecordType, data: &Value) -> Option<String> {
    let s = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or("");
    let f = |k: &str| fold_vi(s(k).trim());
    let key = match rt {
        RecordType::Partner => format!("{}|{}", f("name"), s("country")),
        RecordType::Agreement => format!("{}|{}", f("title"), s("kind")),
        RecordType::Delegation => {
            format!("{}|{}|{}", s("direction"), f("purpose"), s("start_on"))
        }
        RecordType::Project => match iati_identifier(data) {
            Some(id) => format!("iati|{id}"),
            None => format!("{}|{}", s("kind"), f("name")),
        },
        RecordType::Event => format!("{}|{}", f("title"), s("start_on")),
        RecordType::AbtcApproval => format!("{}|{}", f("person_name"), f("enterprise")),
        RecordType::OverseasContact => {
            format!("{}|{}|{}", s("kind"), f("name"), s("country"))
        }
        RecordType::Observation => format!(
            "{}|{}|{}",
            s("indicator"),
            s("locality"),
            data.get("period").map(Value::to_string).unwrap_or_default()
        ),
        RecordType::CatalogProject => fold_vi(
            data.pointer("/translations/vi/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim(),
        ),
        RecordType::Publication => {
            let year = data.get("year").map(Value::to_string).unwrap_or_default();
            format!("{}|{}|{year}", f("title"), s("kind"))
        }
        RecordType::TrainingCourse => format!("{}|{}", f("topic"), s("start_on")),
        RecordType::NgoRegistration => format!("{}|{}", f("number"), s("issued_on")),
        RecordType::ConferencePermit => format!("{}|{}", f("title"), s("start_on")),
        RecordType::ConsularCase => {
            let name = data
                .pointer("/person/name")
                .and_then(Value::as_str)
                .map(|n| fold_vi(n.trim()))
                .unwrap_or_default();
            format!("{}|{name}|{}", s("kind"), s("opened_on"))
        }
        RecordType::Plan => {
            let year = data.get("year").map(Value::to_string).unwrap_or_default();
            format!("{}|{}|{year}", s("kind"), f("title"))
        }
    };
    // A key of nothing but separators names nothing.
    key.chars().any(|c| c != '|').then_some(key)
}

/// The IATI identifier an imported aid project keeps in its notes
/// (`IATI: …` on a line of its own; see `ngoaivu-iati`).
pub fn iati_identifier(data: &Value) -> Option<&str> {
    data.get("notes")?
        .as_str()?
        .lines()
        .find_map(|l| l.trim().strip_prefix("IATI:"))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The placeholder id a body carries for the partner planned at `pos`
/// among the creates, until the store gives it its id.
fn placeholder(pos: usize) -> i64 {
    -(pos as i64) - 1
}

/// Take the placeholders out of a prepared body and index, as links to
/// creates by position.
fn detach_placeholders(data: &mut Value, idx: &mut Index) -> Vec<(&'static str, usize)> {
    let mut links = Vec::new();
    idx.links.retain(|(rel, id)| {
        if *id < 0 {
            links.push((*rel, (-id - 1) as usize));
            false
        } else {
            true
        }
    });
    if let Some(o) = data.as_object_mut() {
        if let Some(Value::Array(ids)) = o.get_mut("partner_ids") {
            ids.retain(|v| v.as_i64().is_none_or(|n| n >= 0));
        }
        for one in ["investor_id", "partner_id"] {
            if o.get(one).and_then(Value::as_i64).is_some_and(|n| n < 0) {
                o.remove(one);
            }
        }
    }
    links
}

/// The partner kind a partner created by an import gets: what the field
/// that names it implies, else `other` (the review shows it; the office
/// corrects it on the partner's page).
fn new_partner_kind(rt: RecordType, body: &Value, field: &str) -> &'static str {
    if rt == RecordType::NgoRegistration {
        return "ngo";
    }
    if rt == RecordType::Project && field == "investor_id" {
        return match body.get("kind").and_then(Value::as_str) {
            Some("ngo_aid") => "ngo",
            Some("fdi") => "enterprise",
            _ => "other",
        };
    }
    "other"
}

fn invalid_errors(inv: &ngoaivu_core::Invalid, cells: &Cells) -> Vec<RowError> {
    inv.0
        .iter()
        .map(|f| {
            let at = cells.find(&f.field);
            RowError {
                cell: at.as_ref().map(|c| c.0.clone()),
                column: Some(at.map(|c| c.1).unwrap_or_else(|| f.field.clone())),
                message: f.message(Lang::Vi),
                message_en: f.message(Lang::En),
            }
        })
        .collect()
}

/// The title of a row that failed validation, as far as it can be made.
fn title_of(org: &Org, validator: &ngoaivu_store::imports::Validator, body: &Value) -> String {
    validator
        .prepare(org, body)
        .map(|(_, idx)| idx.title)
        .ok()
        .or_else(|| {
            ["title", "name", "purpose", "person_name", "indicator"]
                .iter()
                .find_map(|k| body.get(*k).and_then(Value::as_str).map(str::to_string))
        })
        .unwrap_or_default()
}

/// Review rows from any source against the caller's organisation.
pub async fn review_rows(
    svc: &Service,
    actor: &Actor,
    rt: RecordType,
    file_name: &str,
    sha256: &str,
    rows: Vec<IncomingRow>,
) -> Result<Review, ImportError> {
    let org = svc.import_org(actor).await?;
    if rows.is_empty() {
        return Err(ImportError::NoRows);
    }
    let validator = svc.validator(actor, rt).await?;
    let partner_validator = svc.validator(actor, RecordType::Partner).await?;
    // The organisation's records of the type, by natural key and by id,
    // each kept as JSON text and parsed again only when a row matches it:
    // a province with 50,000 records held them parsed at twice the memory
    // of the whole import.
    let (by_key, by_id) = {
        let mut by_key: HashMap<String, std::sync::Arc<Existing>> = HashMap::new();
        let mut by_id: HashMap<i64, std::sync::Arc<Existing>> = HashMap::new();
        for (id, updated_at, text) in svc.own_record_bodies(actor, rt).await? {
            let key = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|data| natural_key(rt, &data));
            let e = std::sync::Arc::new(Existing {
                id,
                updated_at,
                data: text.into_boxed_str(),
            });
            if let Some(k) = key {
                by_key.insert(k, e.clone());
            }
            by_id.insert(id, e);
        }
        (by_key, by_id)
    };
    let needs_partners = rows.iter().any(|r| !r.partners.is_empty());
    let partners = if needs_partners {
        svc.own_records(actor, RecordType::Partner).await?
    } else {
        Vec::new()
    };
    // Folded partner name → id; with two partners of one name the newest wins.
    let partner_ids: HashMap<String, i64> = partners
        .iter()
        .filter_map(|p| Some((fold_vi(p.data.get("name")?.as_str()?.trim()), p.id)))
        .collect();

    // The organisation's record ids of each type rows link to by id, read
    // when a row first needs them.
    let mut own_ids: HashMap<RecordType, std::collections::HashSet<i64>> = HashMap::new();
    let mut plan = Plan::default();
    let mut out: Vec<ReviewRow> = Vec::with_capacity(rows.len());
    let mut summary = Summary::default();
    // New partners planned so far: folded name → position among creates.
    let mut new_partners: HashMap<String, usize> = HashMap::new();
    // Keys seen in this file: key → the first row's place in `out` (every
    // row is pushed there once), to refuse a row given twice.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let file = std::sync::Arc::new(json!({"file": file_name, "sha256": sha256}));
    let mut sheet_names: Vec<std::sync::Arc<str>> = Vec::new();
    let mut source_of = |row: &IncomingRow| {
        // One name per sheet, shared by its rows.
        let sheet = match sheet_names.iter().find(|s| ***s == *row.sheet) {
            Some(s) => s.clone(),
            None => {
                let s: std::sync::Arc<str> = row.sheet.as_str().into();
                sheet_names.push(s.clone());
                s
            }
        };
        ImportSource {
            file: file.clone(),
            sheet,
            row: row.row,
        }
    };

    for mut row in rows {
        summary.rows += 1;
        let mut errors = std::mem::take(&mut row.errors);
        let mut row_new_partners = Vec::new();
        // Partners named in cells: existing, planned by an earlier row, or new.
        let mut planned_partners: Vec<Planned> = Vec::new();
        for p in &row.partners {
            let folded = fold_vi(p.name.trim());
            let id = if let Some(id) = partner_ids.get(&folded) {
                *id
            } else if let Some(pos) = new_partners.get(&folded) {
                placeholder(*pos)
            } else {
                let at = row.cells.find(p.field);
                let Some(country) = p.country.clone() else {
                    errors.push(RowError {
                        cell: at.as_ref().map(|c| c.0.clone()),
                        column: at.map(|c| c.1),
                        message: format!(
                            "Đối tác “{}” chưa có trong danh sách đối tác; cần cột nước (quốc gia) để tạo mới, hoặc tạo đối tác trước.",
                            p.name
                        ),
                        message_en: format!(
                            "The partner “{}” is not among the partners; a country column is needed to create it, or create the partner first.",
                            p.name
                        ),
                    });
                    continue;
                };
                let body = json!({
                    "name": p.name.trim(),
                    "kind": new_partner_kind(rt, &row.body, p.field),
                    "country": country,
                });
                match partner_validator.prepare(&org, &body) {
                    Ok((data, idx)) => {
                        let pos = plan.creates.len() + planned_partners.len();
                        planned_partners.push(Planned {
                            rt: RecordType::Partner,
                            data,
                            idx,
                            batch_links: vec![],
                            source: source_of(&row),
                        });
                        new_partners.insert(folded, pos);
                        row_new_partners.push(p.name.trim().to_string());
                        placeholder(pos)
                    }
                    Err(inv) => {
                        errors.extend(invalid_errors(&inv, &row.cells));
                        continue;
                    }
                }
            };
            let o = row.body.as_object_mut().expect("a row body is an object");
            if p.field != "partner_ids" {
                o.insert(p.field.into(), id.into());
            } else {
                let list = o
                    .entry("partner_ids")
                    .or_insert_with(|| Value::Array(vec![]));
                if let Some(a) = list.as_array_mut()
                    && !a.iter().any(|v| v.as_i64() == Some(id))
                {
                    a.push(id.into());
                }
            }
        }

        let prepared = validator.prepare(&org, &row.body);
        let (data, idx) = match prepared {
            Ok(p) => p,
            Err(inv) => {
                // A cell whose value could not be read is already reported;
                // that its field is then missing says nothing new.
                let new: Vec<RowError> = invalid_errors(&inv, &row.cells)
                    .into_iter()
                    .filter(|e| e.cell.is_none() || !errors.iter().any(|o| o.cell == e.cell))
                    .collect();
                errors.extend(new);
                (Value::Null, Index::default())
            }
        };
        // Links by record id (an event held, an agreement replaced, a
        // plan's tasks) hold in the database they were exported from only:
        // one that names no record of this organisation is refused here,
        // at its cell, rather than by the commit.
        for (rel, target) in idx.links.iter().filter(|(_, id)| *id >= 0) {
            let target_rt = link_target(rel);
            if let std::collections::hash_map::Entry::Vacant(slot) = own_ids.entry(target_rt) {
                let ids = svc
                    .own_record_bodies(actor, target_rt)
                    .await?
                    .into_iter()
                    .map(|(id, ..)| id)
                    .collect();
                slot.insert(ids);
            }
            if !own_ids[&target_rt].contains(target) {
                let at = row.cells.find(link_field(rel));
                errors.push(RowError {
                    cell: at.as_ref().map(|c| c.0.clone()),
                    column: at.map(|c| c.1),
                    message: format!(
                        "Không có hồ sơ số {target} ({}) của đơn vị để liên kết: mã hồ sơ chỉ đúng trong cơ sở dữ liệu đã xuất tệp. Xóa mã này hoặc thay bằng mã hồ sơ ở đây.",
                        target_rt.label(Lang::Vi)
                    ),
                    message_en: format!(
                        "No record {target} ({}) of this organisation to link to: record IDs hold only in the database the file was exported from. Remove the ID or use the record's ID here.",
                        target_rt.label(Lang::En)
                    ),
                });
            }
        }
        let key = if data.is_null() {
            None
        } else {
            natural_key(rt, &data)
        };
        if let Some(k) = &key {
            if let Some(first) = seen.get(k) {
                let (sheet, first) = (&out[*first].sheet, out[*first].row);
                errors.push(RowError {
                    cell: None,
                    column: None,
                    message: format!("Trùng với dòng {first} (trang {sheet}): cùng một bản ghi được nhập hai lần."),
                    message_en: format!("Same record as row {first} (sheet {sheet}): it is imported twice."),
                });
            } else {
                seen.insert(k.clone(), out.len());
            }
        }
        let title = if data.is_null() {
            title_of(&org, &validator, &row.body)
        } else {
            idx.title.clone()
        };
        if !errors.is_empty() {
            summary.errors += 1;
            out.push(ReviewRow {
                sheet: row.sheet,
                row: row.row,
                action: Action::Error,
                title,
                record_id: None,
                changes: vec![],
                new_partners: row_new_partners,
                errors,
            });
            continue;
        }
        // The row's partners are planned only once the row is good.
        summary.new_partners += planned_partners.len();
        plan.creates.extend(planned_partners);

        let matched = row
            .known_id
            .and_then(|id| by_id.get(&id))
            .or_else(|| key.as_ref().and_then(|k| by_key.get(k)))
            .cloned();
        let (action, record_id, changes) = match matched {
            None => {
                let (mut data, mut idx) = (data, idx);
                let batch_links = detach_placeholders(&mut data, &mut idx);
                plan.creates.push(Planned {
                    rt,
                    data,
                    idx,
                    batch_links,
                    source: source_of(&row),
                });
                (Action::Create, None, vec![])
            }
            Some(rec) => {
                let stored: Value = serde_json::from_str(&rec.data).unwrap_or_default();
                // The row's fields over the stored body: fields the
                // workbook does not have stay as they are.
                let mut merged = stored.clone();
                if let (Some(m), Some(o)) = (merged.as_object_mut(), row.body.as_object()) {
                    for (k, v) in o {
                        m.insert(k.clone(), v.clone());
                    }
                }
                match validator.prepare(&org, &merged) {
                    Err(inv) => {
                        summary.errors += 1;
                        out.push(ReviewRow {
                            sheet: row.sheet,
                            row: row.row,
                            action: Action::Error,
                            title,
                            record_id: Some(rec.id),
                            changes: vec![],
                            new_partners: row_new_partners,
                            errors: invalid_errors(&inv, &row.cells),
                        });
                        continue;
                    }
                    Ok((mut new_data, mut new_idx)) => {
                        let changes = diff(&stored, &new_data);
                        if changes.is_empty() {
                            plan.unchanged += 1;
                            (Action::Unchanged, Some(rec.id), changes)
                        } else {
                            let batch_links = detach_placeholders(&mut new_data, &mut new_idx);
                            plan.updates.push(PlannedUpdate {
                                id: rec.id,
                                data: new_data,
                                idx: new_idx,
                                batch_links,
                                expected_updated_at: rec.updated_at,
                                source: source_of(&row),
                            });
                            (Action::Update, Some(rec.id), changes)
                        }
                    }
                }
            }
        };
        match action {
            Action::Create => summary.create += 1,
            Action::Update => summary.update += 1,
            _ => summary.unchanged += 1,
        }
        out.push(ReviewRow {
            sheet: row.sheet,
            row: row.row,
            action,
            title,
            record_id,
            changes,
            new_partners: row_new_partners,
            errors: vec![],
        });
    }
    Ok(Review {
        rt_path: rt.path(),
        file_name: file_name.to_string(),
        sha256: sha256.to_string(),
        mapping: None,
        sheets: vec![],
        summary,
        rows: out,
        skipped: vec![],
        rt,
        plan,
    })
}

/// The top-level fields that differ between a stored body and a new one,
/// ignoring placeholders for partners still to be created.
fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (
                b.get(k).cloned().unwrap_or(Value::Null),
                a.get(k).cloned().unwrap_or(Value::Null),
            );
            (x != y).then(|| Change {
                field: k.clone(),
                before: x,
                after: y,
            })
        })
        .collect()
}

/// What an import wrote.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Outcome {
    /// Ids of the records created, partners first.
    pub created: Vec<i64>,
    pub updated: usize,
    pub unchanged: usize,
    pub new_partners: usize,
}

impl Review {
    pub fn record_type(&self) -> RecordType {
        self.rt
    }

    /// Rows with errors first, then the rest in file order: what a person
    /// must look at comes first.
    pub fn errors_first(&self) -> Vec<&ReviewRow> {
        let mut rows: Vec<&ReviewRow> = self.rows.iter().collect();
        rows.sort_by_key(|r| (r.action != Action::Error, r.sheet.clone(), r.row));
        rows
    }
}

/// Write a reviewed import: refused whole while the review has errors;
/// otherwise one transaction, each record with its audit row, or nothing.
pub async fn commit(svc: &Service, actor: &Actor, review: Review) -> Result<Outcome, ImportError> {
    if review.summary.errors > 0 {
        return Err(ImportError::HasErrors(review.summary.errors));
    }
    let org = svc.import_org(actor).await?;
    let now = time::OffsetDateTime::now_utc();
    let new_partners = review.summary.new_partners;
    let plan = review.plan;
    let creates = plan
        .creates
        .into_iter()
        .map(|p| BulkRecord {
            rt: p.rt,
            org_id: org.id,
            data: p.data,
            idx: p.idx,
            batch_links: p.batch_links,
            created_at: now,
            source: Some(p.source),
        })
        .collect();
    let updated = plan.updates.len();
    let updates = plan
        .updates
        .into_iter()
        .map(|u| ImportUpdate {
            rt: review.rt,
            id: u.id,
            data: u.data,
            idx: u.idx,
            batch_links: u.batch_links,
            expected_updated_at: u.expected_updated_at,
            source: u.source,
        })
        .collect();
    let created = svc.import_records(actor, &org, creates, updates).await?;
    Ok(Outcome {
        created,
        updated,
        unchanged: plan.unchanged,
        new_partners,
    })
}
