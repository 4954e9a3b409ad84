//! Conversion: the rows of a mapped sheet → record bodies (JSON), with
//! every problem named by its cell (`'Đoàn ra 2019'!D14`).
//!
//! Rows that are not records are skipped: blank rows, repeated header
//! rows, total rows at the bottom ("Tổng cộng", "Cộng", "Total" beside
//! numbers only), what reports write under the table ("Người lập biểu",
//! "KT. GIÁM ĐỐC", the signers' names), and section rows ("I. Đoàn ra", or a bare "ĐOÀN VÀO"):
//! a section row that names a value of a choice column the sheet does not
//! have (the direction of a delegation, the kind of a project) gives that
//! value to the rows below it.
//!
//! Mapped keys that are not columns of the type are ignored here
//! ([`Mapping::check`] reports them).
//!
//! Partners are left out of the body: `partner_ids` and `investor_id` come
//! back as [`PartnerRef`]s, names the integrator resolves to ids. No status
//! is invented: an absent status is left to the body's own default.

use std::cell::RefCell;
use std::collections::HashMap;

use ngoaivu_core::RecordType;
use ngoaivu_core::values::{CURRENCIES, format_date};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::columns::{Choice, Column, ColumnKind, columns};
use crate::error::ValueError;
use crate::mapping::Mapping;
use crate::read::{Cell, cell_ref};
use crate::values::{
    ChoiceIndex, Precision, Unit, parse_bool_cell, parse_choice_with, parse_choices_with,
    parse_countries, parse_country, parse_date_cell, parse_date_range, parse_integer_cell,
    parse_number_cell, parse_period_cell, parse_unit,
};

#[derive(Debug, Clone, PartialEq)]
pub struct RowOutcome {
    pub sheet: String,
    /// 1-based, as Excel shows it.
    pub row: usize,
    /// The record body; pass it to `ngoaivu_core::records::prepare` once the
    /// partner ids are filled in.
    pub body: Value,
    pub partners: Vec<PartnerRef>,
    pub errors: Vec<CellError>,
}

/// A partner named in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRef {
    /// `partner_ids`, or a one-partner field (`investor_id`, `partner_id`).
    pub field: &'static str,
    pub name: String,
    /// The row's country (alpha-2), to create the partner with when it is new.
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// `Sheet1!D14`.
    pub cell: String,
    /// The column's header in the sheet (or its Vietnamese name when the
    /// sheet has no such column).
    pub column: String,
    pub vi: String,
    pub en: String,
}

/// Keys whose date is the end of a span: a month or a year given there
/// means its last day.
const END_KEYS: &[&str] = &["end_on", "valid_until", "period_until", "card_expires_on"];
/// Start → end pairs: a span typed in the start column fills both.
const SPANS: &[(&str, &str)] = &[
    ("start_on", "end_on"),
    ("valid_from", "valid_until"),
    ("period_from", "period_until"),
];
/// Lists of people: plain names are accepted where JSON is expected.
const PEOPLE: &[&str] = &["contacts", "members", "guests", "signatories"];

struct Planned {
    index: usize,
    col: &'static Column,
    header: String,
    /// The header folded (`norm`), to spot repeated header rows.
    header_fold: String,
    unit: Option<Unit>,
    choices: Option<ChoiceIndex>,
    /// Values already parsed in this column (choices, countries, currencies
    /// repeat down a sheet): text → result. Bounded.
    cache: RefCell<HashMap<String, Result<Value, ValueError>>>,
}

const CACHE_MAX: usize = 4096;

impl Planned {
    fn cached(
        &self,
        text: &str,
        parse: impl FnOnce() -> Result<Value, ValueError>,
    ) -> Result<Value, ValueError> {
        if let Some(v) = self.cache.borrow().get(text) {
            return v.clone();
        }
        let v = parse();
        let mut cache = self.cache.borrow_mut();
        if cache.len() < CACHE_MAX {
            cache.insert(text.to_owned(), v.clone());
        }
        v
    }
}

fn choice_list(kind: ColumnKind) -> Option<&'static [Choice]> {
    match kind {
        ColumnKind::Choice(c) | ColumnKind::Choices(c) => Some(c),
        _ => None,
    }
}

fn rank(kind: ColumnKind) -> u8 {
    match kind {
        ColumnKind::Currency => 0,
        ColumnKind::Json => 1,
        _ => 2,
    }
}

/// Convert every record row of the mapped sheet.
pub fn convert(rt: RecordType, wb: &crate::read::Workbook, m: &Mapping) -> Vec<RowOutcome> {
    let Some(sheet) = wb.sheet(&m.sheet) else {
        return vec![RowOutcome {
            sheet: m.sheet.clone(),
            row: m.header_row,
            body: json!({}),
            partners: vec![],
            errors: vec![CellError {
                cell: cell_ref(&m.sheet, m.header_row.saturating_sub(1), 0),
                column: String::new(),
                vi: format!("Không có trang “{}” trong tệp.", m.sheet),
                en: format!("The workbook has no sheet “{}”.", m.sheet),
            }],
        }];
    };
    let cols = columns(rt);
    let mut plan: Vec<Planned> = m
        .columns
        .iter()
        .filter_map(|mc| {
            let key = mc.key.as_deref()?;
            let col = cols.iter().find(|c| c.key == key)?;
            if col.export_only() {
                return None;
            }
            Some(Planned {
                index: mc.index,
                col,
                header: mc.header.clone(),
                header_fold: crate::values::norm(&mc.header),
                unit: mc.unit.clone(),
                choices: choice_list(col.kind).map(ChoiceIndex::new),
                cache: RefCell::default(),
            })
        })
        .collect();
    plan.sort_by_key(|p| rank(p.col.kind));
    // Choice columns the sheet lacks: section rows may give their value.
    let unmapped: Vec<(&'static Column, ChoiceIndex)> = cols
        .iter()
        .filter(|c| {
            matches!(c.kind, ColumnKind::Choice(_)) && !plan.iter().any(|p| p.col.key == c.key)
        })
        .filter_map(|c| choice_list(c.kind).map(|l| (c, ChoiceIndex::new(l))))
        .collect();
    let mut section: HashMap<&'static str, &'static str> = HashMap::new();
    let mut after_total = false;
    let mut out = Vec::new();
    for row0 in m.header_row.min(sheet.rows.len())..sheet.rows.len() {
        let row = &sheet.rows[row0];
        if let Some((text, numbered)) = section_text(row) {
            // A numbered heading may word its value freely ("I. Các đoàn
            // ra nước ngoài"); a bare one must be the value itself.
            let mut is_section = numbered;
            for (c, idx) in &unmapped {
                let code = if numbered {
                    idx.find(&text)
                } else {
                    idx.find_exact(&text)
                };
                if let Some(code) = code {
                    section.insert(c.key, code);
                    is_section = true;
                }
            }
            if is_section {
                continue;
            }
        }
        if plan
            .iter()
            .all(|p| row.get(p.index).is_none_or(Cell::is_empty))
        {
            continue;
        }
        if is_repeated_header(row, &plan) || is_numbering(row) {
            continue;
        }
        if is_total(row) {
            after_total = true;
            continue;
        }
        if is_footer(row, after_total) {
            continue;
        }
        out.push(convert_row(rt, &sheet.name, row0, row, &plan, &section));
        // Records again: that total was a section's subtotal.
        after_total = false;
    }
    out
}

/// The row of column numbers official forms put under the header:
/// `(1) (2) (3) …` or `1 2 3 …`, increasing, at least three.
fn is_numbering(row: &[Cell]) -> bool {
    let mut last = 0i64;
    let mut count = 0;
    for c in row {
        let n = match c {
            Cell::Empty => continue,
            Cell::Number(n) if n.fract() == 0.0 => *n as i64,
            Cell::Text(t) if t.trim().is_empty() => continue,
            Cell::Text(t) => {
                let t = t.trim().trim_start_matches('(').trim_end_matches(')');
                match t.parse::<i64>() {
                    Ok(n) => n,
                    Err(_) => return false,
                }
            }
            _ => return false,
        };
        if n <= last || n > 200 {
            return false;
        }
        last = n;
        count += 1;
    }
    count >= 3
}

/// What reports put under their table: "Nơi nhận:", "Người lập biểu",
/// "KT. GIÁM ĐỐC", the signers' names, "Ghi chú: số liệu ước tính". Below a
/// total row, any row of one or two text cells; anywhere, a row whose text
/// cells all start with such words.
fn is_footer(row: &[Cell], after_total: bool) -> bool {
    const WORDS: &[&str] = &[
        "noi nhan",
        "nguoi lap",
        "nguoi lap bieu",
        "kt ",
        "tm ",
        "tl ",
        "giam doc",
        "pho giam doc",
        "thu truong",
        "ky ten",
        "da ky",
        "xac nhan",
        "ghi chu",
        "luu vt",
        "chanh van phong",
    ];
    let mut texts = 0;
    let mut all_footer = true;
    for c in row {
        match c {
            Cell::Empty => {}
            Cell::Text(t) if t.trim().is_empty() => {}
            Cell::Text(t) => {
                texts += 1;
                if all_footer {
                    let n = format!("{} ", crate::values::norm(t));
                    all_footer = WORDS
                        .iter()
                        .any(|w| n.starts_with(w) || n.starts_with(&format!("{} ", w.trim())));
                }
            }
            _ => return false,
        }
    }
    texts > 0 && (all_footer || (after_total && texts <= 2))
}

fn is_repeated_header(row: &[Cell], plan: &[Planned]) -> bool {
    // Cheap gate: the first mapped text cell must be its header.
    let Some((first, t)) = plan.iter().find_map(|p| match row.get(p.index) {
        Some(Cell::Text(t)) if !t.trim().is_empty() => Some((p, t)),
        _ => None,
    }) else {
        return false;
    };
    if t.trim() != first.header && crate::values::norm(t) != first.header_fold {
        return false;
    }
    let mut same = 0;
    let mut filled = 0;
    for p in plan {
        match row.get(p.index) {
            Some(Cell::Text(t)) if !t.trim().is_empty() => {
                filled += 1;
                if t.trim() == p.header || crate::values::norm(t) == p.header_fold {
                    same += 1;
                }
            }
            Some(c) if !c.is_empty() => filled += 1,
            _ => {}
        }
    }
    same * 2 >= filled
}

/// "Tổng cộng", "Cộng", "Tổng", "Total" in a text cell, and nothing but
/// numbers (or formulas' values) beside it.
fn is_total(row: &[Cell]) -> bool {
    let mut label = false;
    for c in row {
        match c {
            Cell::Text(t) => {
                let t = t.trim();
                if t.is_empty() {
                    continue;
                }
                let first = t.chars().next().unwrap_or(' ');
                if !label
                    && matches!(first, 'T' | 't' | 'C' | 'c' | 'G' | 'g' | 'S' | 's')
                    && is_total_label(&crate::values::norm(t))
                {
                    label = true;
                    continue;
                }
                if crate::values::parse_number(t).is_err() {
                    return false;
                }
            }
            Cell::Number(_) | Cell::Empty | Cell::Error(_) => {}
            Cell::Date(_) | Cell::Bool(_) => return false,
        }
    }
    label
}

/// "Tổng cộng", "Cộng", "Total", and subtotals: "Cộng I", "Tổng cộng
/// (I+II)", "Cộng A".
fn is_total_label(f: &str) -> bool {
    if matches!(
        f,
        "tong cong"
            | "tong"
            | "cong"
            | "total"
            | "grand total"
            | "subtotal"
            | "sub total"
            | "tong so"
            | "cong tong"
            | "tong cong chung"
    ) {
        return true;
    }
    ["tong cong ", "cong ", "tong ", "total ", "subtotal "]
        .iter()
        .any(|p| {
            f.strip_prefix(p).is_some_and(|rest| {
                let words: Vec<&str> = rest.split(' ').collect();
                words.len() <= 3 && words.iter().all(|w| w.len() <= 4)
            })
        })
}

/// A row with a single text cell: its text without a section number
/// ("I. Đoàn ra", "B) Dự án ODA") and whether it had one.
fn section_text(row: &[Cell]) -> Option<(String, bool)> {
    let mut filled = row.iter().filter(|c| !c.is_empty());
    let only = filled.next()?;
    if filled.next().is_some() {
        return None;
    }
    let Cell::Text(t) = only else { return None };
    let t = t.trim();
    if let Some((head, rest)) = t.split_once(['.', ')', ':']) {
        let head = head.trim();
        let numbered = !head.is_empty()
            && (head.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
                || (head.chars().count() == 1 && head.chars().all(|c| c.is_ascii_uppercase())));
        if numbered {
            return Some((rest.trim().to_owned(), true));
        }
    }
    Some((t.to_owned(), false))
}

fn set(body: &mut Map<String, Value>, key: &str, v: Value) {
    match key.split_once('.') {
        None => {
            body.insert(key.to_owned(), v);
        }
        Some((head, rest)) => {
            let entry = body
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                set(inner, rest, v);
            }
        }
    }
}

fn has(body: &Map<String, Value>, key: &str) -> bool {
    match key.split_once('.') {
        None => body.get(key).is_some_and(|v| !v.is_null()),
        Some((head, rest)) => body
            .get(head)
            .and_then(Value::as_object)
            .is_some_and(|inner| has(inner, rest)),
    }
}

fn amount_json(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

fn date_json(key: &str, v: crate::values::DateValue) -> Value {
    let d = if v.precision != Precision::Day && END_KEYS.contains(&key) {
        v.last
    } else {
        v.first
    };
    Value::String(format_date(d))
}

/// A currency cell: a code (`USD`) or words (`đồng`), possibly with a
/// scale (`triệu đồng` in an "ĐVT" column: the amounts are in millions).
fn parse_currency(cell: &Cell) -> Result<(String, Decimal), ValueError> {
    let t = cell.text();
    let up = t.trim().to_ascii_uppercase();
    if CURRENCIES.contains(&up.as_str()) {
        return Ok((up, Decimal::ONE));
    }
    parse_unit(&t)
        .and_then(|u| Some((u.currency?, u.scale)))
        .ok_or_else(|| {
            ValueError::new(
                format!(
                    "“{}” không phải đơn vị tiền ({})",
                    t.trim(),
                    CURRENCIES.join(", ")
                ),
                format!(
                    "“{}” is not a currency ({})",
                    t.trim(),
                    CURRENCIES.join(", ")
                ),
            )
        })
}

/// Split a list of names: `;` and line breaks (names may hold commas).
fn split_names(t: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in t
        .split([';', '\n', '\r'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_owned());
        }
    }
    out
}

/// A person typed as "Nguyễn Văn A - Giám đốc" or "Nguyễn Văn A (Giám đốc)".
fn person(s: &str) -> Value {
    let (name, position) = if let Some((n, p)) = s.split_once(" - ").or_else(|| s.split_once(" – "))
    {
        (n.trim(), Some(p.trim()))
    } else if let Some((n, p)) = s.split_once('(') {
        (n.trim(), Some(p.trim_end_matches(')').trim()))
    } else {
        (s.trim(), None)
    };
    match position.filter(|p| !p.is_empty()) {
        Some(p) => json!({"name": name, "position": p}),
        None => json!({"name": name}),
    }
}

fn convert_row(
    rt: RecordType,
    sheet: &str,
    row0: usize,
    row: &[Cell],
    plan: &[Planned],
    section: &HashMap<&'static str, &'static str>,
) -> RowOutcome {
    let mut body = Map::new();
    let mut partners: Vec<PartnerRef> = Vec::new();
    let mut errors: Vec<CellError> = Vec::new();
    // Currency columns of this row: money key → (code, scale).
    let mut currencies: HashMap<&str, (String, Decimal)> = HashMap::new();
    // What the value's unit says (observations): from a header or a cell.
    let mut implied_unit: Option<&'static str> = None;
    let mut err = |p: &Planned, e: ValueError| {
        errors.push(CellError {
            cell: cell_ref(sheet, row0, p.index),
            column: p.header.clone(),
            vi: e.vi,
            en: e.en,
        });
    };
    let empty = Cell::Empty;
    for p in plan {
        let cell = row.get(p.index).unwrap_or(&empty);
        if cell.is_empty() {
            continue;
        }
        if let Cell::Error(e) = cell {
            err(
                p,
                ValueError::new(
                    format!("ô có lỗi công thức {e}"),
                    format!("the cell holds the formula error {e}"),
                ),
            );
            continue;
        }
        let key = p.col.key;
        let text = || match cell {
            Cell::Text(t) => t.trim().to_owned(),
            c => c.text(),
        };
        match p.col.kind {
            // "Ông A - Phó Chủ tịch" or "Ông A, Phó Chủ tịch" in the leader's
            // column when the sheet has no column for the position.
            ColumnKind::Text
                if key == "leader.name" && !plan.iter().any(|q| q.col.key == "leader.position") =>
            {
                let t = text();
                let v = match t.split_once(", ") {
                    Some((n, pos)) if !t.contains(" - ") => {
                        json!({"name": n.trim(), "position": pos.trim()})
                    }
                    _ => person(&t),
                };
                set(&mut body, "leader", v);
            }
            ColumnKind::Text | ColumnKind::LongText => set(&mut body, key, Value::String(text())),
            ColumnKind::Id => {
                let t = text();
                match t.trim_start_matches('#').trim().parse::<i64>() {
                    Ok(id) if id > 0 => set(&mut body, key, json!(id)),
                    _ => err(
                        p,
                        ValueError::new(
                            format!("“{t}” không phải mã bản ghi (số)"),
                            format!("“{t}” is not a record id (a number)"),
                        ),
                    ),
                }
            }
            ColumnKind::Date => {
                if let Cell::Text(t) = cell
                    && let Some(r) = parse_date_range(t)
                {
                    let end_key = SPANS.iter().find(|(s, _)| *s == key).map(|(_, e)| *e);
                    match (r, end_key) {
                        (Ok((a, b)), Some(end_key)) => {
                            set(&mut body, key, date_json(key, a));
                            let end_typed = plan.iter().any(|q| {
                                q.col.key == end_key
                                    && row.get(q.index).is_some_and(|c| !c.is_empty())
                            });
                            if !end_typed {
                                set(&mut body, end_key, date_json(end_key, b));
                            }
                        }
                        (Ok(_), None) => err(
                            p,
                            ValueError::new(
                                format!("“{t}” là một khoảng thời gian; cột này cần một ngày"),
                                format!("“{t}” is a span of time; this column takes one date"),
                            ),
                        ),
                        (Err(e), _) => err(p, e),
                    }
                    continue;
                }
                match parse_date_cell(cell) {
                    Ok(v) => set(&mut body, key, date_json(key, v)),
                    Err(e) => err(p, e),
                }
            }
            ColumnKind::Integer => match parse_integer_cell(cell) {
                Ok(n) if (0..=u32::MAX as i64).contains(&n) => set(&mut body, key, json!(n)),
                Ok(n) => err(
                    p,
                    ValueError::new(
                        format!("{n} nằm ngoài khoảng cho phép"),
                        format!("{n} is out of range"),
                    ),
                ),
                Err(e) => err(p, e),
            },
            ColumnKind::Decimal => match parse_number_cell(cell) {
                Ok((v, cell_unit)) => {
                    let unit = cell_unit.as_ref().or(p.unit.as_ref());
                    let v = unit.map_or(v, |u| v * u.scale);
                    // An observation's value in "(triệu USD)" or "(%)" says its unit.
                    if let Some(u) = unit.filter(|_| key == "value") {
                        implied_unit = match (u.currency.as_deref(), u.measure.as_deref()) {
                            (Some("USD"), _) => Some("USD"),
                            (Some("VND"), _) => Some("VND"),
                            (_, Some("percent")) => Some("percent"),
                            (_, Some("people")) => Some("people"),
                            (_, Some("count")) => Some("count"),
                            _ => implied_unit,
                        };
                    }
                    set(&mut body, key, amount_json(v));
                }
                Err(e) => err(p, e),
            },
            ColumnKind::Money => match parse_number_cell(cell) {
                Ok((v, cell_unit)) => {
                    // The money's own currency column, else the row's only
                    // one (an "ĐVT" column serving every amount).
                    let column = currencies.get(key).cloned().or_else(|| {
                        let mut all = currencies.values();
                        match (all.next(), all.next()) {
                            (Some(only), None) => Some(only.clone()),
                            _ => None,
                        }
                    });
                    let scale = cell_unit
                        .as_ref()
                        .filter(|u| u.scale != Decimal::ONE || u.currency.is_some())
                        .map(|u| u.scale)
                        .or(column.as_ref().map(|c| c.1).filter(|s| *s != Decimal::ONE))
                        .or(p.unit.as_ref().map(|u| u.scale))
                        .unwrap_or(Decimal::ONE);
                    let from_cell = cell_unit.as_ref().and_then(|u| u.currency.clone());
                    let from_column = column.map(|c| c.0);
                    let from_header = p.unit.as_ref().and_then(|u| u.currency.clone());
                    let currency = match (from_cell, from_column) {
                        (Some(a), Some(b)) if a != b => {
                            err(
                                p,
                                ValueError::new(
                                    format!("đơn vị tiền trong ô ({a}) khác cột đơn vị tiền ({b})"),
                                    format!(
                                        "the currency in the cell ({a}) differs from the currency column ({b})"
                                    ),
                                ),
                            );
                            continue;
                        }
                        (Some(a), _) | (None, Some(a)) => Some(a),
                        (None, None) => from_header,
                    };
                    match currency {
                        Some(c) => set(
                            &mut body,
                            key,
                            json!({"amount": amount_json(v * scale), "currency": c}),
                        ),
                        None => err(
                            p,
                            ValueError::new(
                                format!(
                                    "không rõ đơn vị tiền của “{}”: ghi trong ô (12 tỷ đồng), ở tiêu đề (“{} (triệu đồng)”) hoặc ở cột đơn vị tiền",
                                    text(),
                                    p.col.vi
                                ),
                                format!(
                                    "the currency of “{}” is unknown: write it in the cell (12 billion VND), in the header (“{} (million USD)”) or in a currency column",
                                    text(),
                                    p.col.en
                                ),
                            ),
                        ),
                    }
                }
                Err(e) => err(p, e),
            },
            ColumnKind::Currency => {
                let parsed = p.cached(&text(), || {
                    parse_currency(cell).map(|(c, s)| json!([c, s.to_string()]))
                });
                match parsed {
                    Ok(Value::Array(a)) => {
                        let code = a[0].as_str().unwrap_or_default().to_owned();
                        let scale = a[1]
                            .as_str()
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(Decimal::ONE);
                        currencies
                            .insert(key.strip_suffix(".currency").unwrap_or(key), (code, scale));
                    }
                    Ok(_) => {}
                    Err(e) => err(p, e),
                }
            }
            ColumnKind::Country
            | ColumnKind::Countries
            | ColumnKind::Choice(_)
            | ColumnKind::Choices(_) => {
                let t = text();
                let parsed = p.cached(&t, || match p.col.kind {
                    ColumnKind::Country => parse_country(&t).map(Value::String),
                    ColumnKind::Countries => parse_countries(&t).map(|c| json!(c)),
                    ColumnKind::Choice(list) => {
                        let idx = p.choices.as_ref().expect("choice index");
                        parse_choice_with(&t, idx, list).map(|c| Value::String(c.to_owned()))
                    }
                    ColumnKind::Choices(list) => {
                        let idx = p.choices.as_ref().expect("choice index");
                        parse_choices_with(&t, idx, list).map(|c| json!(c))
                    }
                    _ => unreachable!(),
                });
                match parsed {
                    Ok(v) => set(&mut body, key, v),
                    Err(e) => err(p, e),
                }
            }
            // One partner: the column's own field (`investor_id`, `partner_id`).
            ColumnKind::Partner => partners.push(PartnerRef {
                field: key,
                name: text(),
                country: None,
            }),
            ColumnKind::Partners => {
                for name in split_names(&text()) {
                    partners.push(PartnerRef {
                        field: "partner_ids",
                        name,
                        country: None,
                    });
                }
            }
            ColumnKind::Bool => match parse_bool_cell(cell) {
                Ok(true) => set(&mut body, key, Value::Bool(true)),
                Ok(false) => {}
                Err(e) => err(p, e),
            },
            ColumnKind::Period => match parse_period_cell(cell) {
                Ok(period) => set(
                    &mut body,
                    key,
                    serde_json::to_value(period).unwrap_or_default(),
                ),
                Err(e) => err(p, e),
            },
            ColumnKind::Json => {
                let t = text();
                match serde_json::from_str::<Value>(&t) {
                    Ok(v @ Value::Array(_)) if key != "translations" => set(&mut body, key, v),
                    Ok(Value::Object(o)) if key == "translations" => {
                        let tr = body
                            .entry("translations")
                            .or_insert_with(|| Value::Object(Map::new()));
                        if let Value::Object(tr) = tr {
                            for (lang, text) in o {
                                tr.entry(lang).or_insert(text);
                            }
                        }
                    }
                    _ if PEOPLE.contains(&key) && !t.starts_with(['[', '{']) => {
                        let people: Vec<Value> =
                            split_names(&t).iter().map(|n| person(n)).collect();
                        set(&mut body, key, Value::Array(people));
                    }
                    Ok(_) => err(
                        p,
                        ValueError::new(
                            format!("cột “{}” cần một danh sách JSON ([...])", p.header),
                            format!("column “{}” takes a JSON list ([...])", p.header),
                        ),
                    ),
                    Err(e) => err(
                        p,
                        ValueError::new(
                            format!("JSON không hợp lệ: {e}"),
                            format!("invalid JSON: {e}"),
                        ),
                    ),
                }
            }
        }
    }
    // Values a section row gave.
    for (k, code) in section {
        if !has(&body, k) {
            body.insert((*k).to_owned(), Value::String((*code).to_owned()));
        }
    }
    if rt == RecordType::Observation
        && !has(&body, "unit")
        && has(&body, "value")
        && let Some(u) = implied_unit
    {
        body.insert("unit".into(), Value::String(u.to_owned()));
    }
    // The row's country, for new partners.
    let country = body
        .get("country")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| match body.get("countries").and_then(Value::as_array) {
            Some(a) if a.len() == 1 => a[0].as_str().map(str::to_owned),
            _ => None,
        });
    for p in &mut partners {
        p.country = country.clone();
    }
    // Required fields, named by their cell or column.
    let cols = columns(rt);
    for c in cols.iter().filter(|c| c.required) {
        let field = c.key;
        let given = has(&body, field) || partners.iter().any(|p| p.field == field);
        let failed = errors.iter().any(|e| {
            plan.iter()
                .any(|p| p.col.key == field && e.column == p.header)
        });
        if given || failed {
            continue;
        }
        let (cell, column) = match plan.iter().find(|p| p.col.key == field) {
            Some(p) => (cell_ref(sheet, row0, p.index), p.header.clone()),
            None => (cell_ref(sheet, row0, 0), c.vi.to_owned()),
        };
        errors.push(CellError {
            cell,
            column,
            vi: format!("thiếu {}", lower_words(c.vi)),
            en: format!("{} is missing", c.en),
        });
    }
    RowOutcome {
        sheet: sheet.to_owned(),
        row: row0 + 1,
        body: Value::Object(body),
        partners,
        errors,
    }
}

/// "Tên đoàn" → "tên đoàn" for the middle of a sentence (keeps proper
/// nouns such as "APEC" whole).
fn lower_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if w.chars().skip(1).any(char::is_uppercase) {
            out.push_str(w);
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Format, Sheet, Workbook};

    fn t(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }

    fn sheet(rows: Vec<Vec<Cell>>) -> Workbook {
        Workbook {
            format: Format::Xlsx,
            sheets: vec![Sheet {
                name: "Đoàn ra 2019".into(),
                rows,
            }],
        }
    }

    #[test]
    fn delegations_with_sections_totals_and_units() {
        let wb = sheet(vec![
            vec![t("BÁO CÁO ĐOÀN RA, ĐOÀN VÀO NĂM 2019")],
            vec![
                t("STT"),
                t("Tên đoàn"),
                t("Trưởng đoàn"),
                t("Thời gian đi"),
                t("Nước đến"),
                t("Đối tác"),
                t("Kinh phí (triệu đồng)"),
                t("Số thành viên"),
            ],
            vec![
                t("(1)"),
                t("(2)"),
                t("(3)"),
                t("(4)"),
                t("(5)"),
                t("(6)"),
                t("(7)"),
                t("(8)"),
            ],
            vec![t("I. Đoàn ra")],
            vec![
                Cell::Number(1.0),
                t("Xúc tiến đầu tư tại Nhật Bản"),
                t("Ông Nguyễn Văn A - Phó Chủ tịch UBND tỉnh"),
                t("15/3 - 20/3/2019"),
                t("Nhật Bản"),
                t("Tỉnh Gunma; JETRO"),
                Cell::Number(350.5),
                t("8 người"),
            ],
            vec![
                Cell::Number(2.0),
                t("Làm việc tại Lào"),
                t(""),
                Cell::Date(43600.0),
                t("Lào, Campuchia"),
                t(""),
                t("1.200"),
                Cell::Number(5.0),
            ],
            vec![t(""), t("ĐOÀN VÀO")],
            vec![
                Cell::Number(3.0),
                t("Đoàn Tỉnh Gyeonggi"),
                t(""),
                t("31/02/2019"),
                t("Atlantis"),
                t(""),
                t("abc"),
                t(""),
            ],
            vec![t("STT"), t("Tên đoàn"), t("Trưởng đoàn")],
            vec![
                t(""),
                t("Cộng II"),
                t(""),
                t(""),
                t(""),
                t(""),
                Cell::Number(0.0),
            ],
            vec![],
            vec![
                t(""),
                t("Tổng cộng"),
                t(""),
                t(""),
                t(""),
                t(""),
                Cell::Number(1550.5),
                Cell::Number(13.0),
            ],
            vec![t(""), t("Người lập biểu"), t(""), t(""), t("KT. GIÁM ĐỐC")],
            vec![t(""), t(""), t(""), t(""), t("PHÓ GIÁM ĐỐC")],
            vec![t(""), t("Nguyễn Thị F"), t(""), t(""), t("Lê Văn G")],
        ]);
        let m = crate::mapping::propose(RecordType::Delegation, &wb, None).unwrap();
        let out = convert(RecordType::Delegation, &wb, &m);
        assert_eq!(out.len(), 3, "{out:#?}");
        let a = &out[0];
        assert_eq!(a.row, 5);
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        assert_eq!(a.body["direction"], "outbound");
        assert_eq!(a.body["leader"]["name"], "Ông Nguyễn Văn A");
        assert_eq!(a.body["start_on"], "2019-03-15");
        assert_eq!(a.body["end_on"], "2019-03-20");
        assert_eq!(a.body["countries"], json!(["JP"]));
        assert_eq!(
            a.body["budget"],
            json!({"amount": "350500000", "currency": "VND"})
        );
        assert_eq!(a.body["member_count"], 8);
        assert!(a.body.get("status").is_none());
        assert_eq!(a.partners.len(), 2);
        assert_eq!(
            a.partners[0],
            PartnerRef {
                field: "partner_ids",
                name: "Tỉnh Gunma".into(),
                country: Some("JP".into())
            }
        );
        let b = &out[1];
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert_eq!(b.body["start_on"], "2019-05-15");
        assert_eq!(b.body["countries"], json!(["LA", "KH"]));
        assert_eq!(b.body["budget"]["amount"], "1200000000");
        assert_eq!(b.partners, vec![]);
        let c = &out[2];
        assert_eq!(c.body["direction"], "inbound");
        let cells: Vec<&str> = c.errors.iter().map(|e| e.cell.as_str()).collect();
        assert_eq!(
            cells,
            vec![
                "'Đoàn ra 2019'!D8",
                "'Đoàn ra 2019'!E8",
                "'Đoàn ra 2019'!G8"
            ]
        );
        assert!(
            c.errors
                .iter()
                .any(|e| e.vi == "ngày 31/02/2019 không tồn tại")
        );
    }

    #[test]
    fn missing_required_and_money_without_currency() {
        let wb = sheet(vec![
            vec![t("Tên thỏa thuận"), t("Loại thỏa thuận"), t("Kinh phí")],
            vec![t("Thỏa thuận A"), t("MOU")],
        ]);
        let m = crate::mapping::propose(RecordType::Agreement, &wb, None).unwrap();
        let out = convert(RecordType::Agreement, &wb, &m);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].errors.len(), 1, "{:?}", out[0].errors);
        assert_eq!(out[0].errors[0].vi, "thiếu đối tác");
        assert_eq!(out[0].body["kind"], "mou");
        let wb = sheet(vec![
            vec![t("Tên dự án"), t("Loại dự án"), t("Vốn đầu tư")],
            vec![t("Nhà máy"), t("FDI"), Cell::Number(12.0)],
            vec![t("Nhà máy 2"), t("FDI"), t("12 tỷ đồng")],
        ]);
        let m = crate::mapping::propose(RecordType::Project, &wb, None).unwrap();
        let out = convert(RecordType::Project, &wb, &m);
        assert!(
            out[0].errors[0].vi.contains("không rõ đơn vị tiền"),
            "{:?}",
            out[0].errors
        );
        assert_eq!(
            out[1].body["capital"],
            json!({"amount": "12000000000", "currency": "VND"})
        );
    }

    #[test]
    fn one_unit_column_serves_every_amount() {
        let wb = sheet(vec![
            vec![
                t("Tên dự án"),
                t("Loại dự án"),
                t("Vốn đăng ký"),
                t("Vốn đã giải ngân"),
                t("ĐVT"),
            ],
            vec![
                t("Nhà máy"),
                t("FDI"),
                Cell::Number(3.5),
                Cell::Number(1.25),
                t("Triệu USD"),
            ],
        ]);
        let m = crate::mapping::propose(RecordType::Project, &wb, None).unwrap();
        let out = convert(RecordType::Project, &wb, &m);
        assert!(out[0].errors.is_empty(), "{:?}", out[0].errors);
        assert_eq!(
            out[0].body["capital"],
            json!({"amount": "3500000", "currency": "USD"})
        );
        assert_eq!(
            out[0].body["disbursed"],
            json!({"amount": "1250000", "currency": "USD"})
        );
    }

    #[test]
    fn observations_take_their_unit_from_the_header() {
        let wb = sheet(vec![
            vec![t("Chỉ tiêu"), t("Năm"), t("Giá trị (triệu USD)")],
            vec![t("fdi.capital.registered"), Cell::Number(2019.0), t("3,5")],
        ]);
        let m = crate::mapping::propose(RecordType::Observation, &wb, None).unwrap();
        let out = convert(RecordType::Observation, &wb, &m);
        let b = &out[0].body;
        assert_eq!(b["value"], "3500000");
        assert_eq!(b["unit"], "USD");
        assert_eq!(b["period"], json!({"year": 2019}));
    }
}
