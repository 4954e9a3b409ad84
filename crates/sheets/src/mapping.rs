//! Mapping: which sheet, which row holds the headers, and which column of
//! the sheet is which field.
//!
//! [`propose`] finds it: the header row is the row among the first 30 that
//! best matches the type's vocabulary (title rows, merged cells and blank
//! rows above are normal), and without a named sheet the best-matching
//! sheet wins. Headers are compared folded (`fold_vi`), without punctuation
//! or line breaks, and a unit in parentheses (`Vốn đăng ký (triệu USD)`) is
//! taken out and kept in [`MappedColumn::unit`]. A workbook written from
//! our own template or export maps exactly.
//!
//! A mapping is saved per organisation and reused next year: [`Mapping`] is
//! serde-serialisable, and [`Mapping::to_toml`] / [`SavedMapping`] give it
//! as TOML (`sheet`, optional `header_row`, and `[columns]`: header text →
//! key, `""` for an ignored column). [`SavedMapping::apply`] binds it to a
//! new workbook by header text, so changed column order does not matter.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use ngoaivu_core::RecordType;
use serde::{Deserialize, Serialize};

use crate::columns::{self, columns};
use crate::error::SheetError;
use crate::read::{Sheet, Workbook};
use crate::values::{Unit, norm, parse_unit};

/// The header row is looked for among this many first rows.
pub const HEADER_SEARCH_ROWS: usize = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub sheet: String,
    /// 1-based, as Excel shows it.
    pub header_row: usize,
    pub columns: Vec<MappedColumn>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappedColumn {
    /// 0-based column of the sheet.
    pub index: usize,
    /// The header as written (line breaks as spaces).
    pub header: String,
    /// The column key ([`crate::columns::Column::key`]), or `None`: ignored.
    pub key: Option<String>,
    /// Unit words found in the header: `(triệu USD)`, `(tỷ đồng)`, `(%)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
}

/// Header text without line breaks and repeated spaces.
fn clean_header(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A header's folded form and the unit it names: parenthesised groups that
/// are units (`(triệu USD)`, `(ĐVT: tỷ đồng)`) are taken out; other
/// parentheses keep their words (`Đơn vị tiền (kinh phí)`). A trailing
/// `, triệu USD` counts too.
pub fn header_norm(h: &str) -> (String, Option<Unit>) {
    let mut unit = None;
    let mut text = String::new();
    let mut rest = h;
    while let Some(open) = rest.find(['(', '[']) {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find([')', ']']) else {
            text.push(' ');
            text.push_str(after);
            rest = "";
            break;
        };
        let inside = &after[..close];
        match unit_words(inside) {
            Some(u) if unit.is_none() => unit = Some(u),
            _ => {
                text.push(' ');
                text.push_str(inside);
                text.push(' ');
            }
        }
        rest = &after[close + 1..];
    }
    text.push_str(rest);
    if unit.is_none()
        && let Some((head, tail)) = text.rsplit_once([',', ':', '-', '–'])
        && let Some(u) = unit_words(tail)
        && !norm(head).is_empty()
    {
        unit = Some(u);
        text = head.to_owned();
    }
    (norm(&text), unit)
}

/// The header without anything in parentheses, folded.
fn main_part(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in h.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    norm(&out)
}

/// Unit words, with an optional `ĐVT:` / `đơn vị:` / `unit:` before them.
fn unit_words(s: &str) -> Option<Unit> {
    let n = norm(s);
    let stripped = ["dvt ", "don vi tinh ", "don vi ", "unit ", "in "]
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .unwrap_or(&n);
    if stripped.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return None;
    }
    // Parse from the original to keep `%` and `$`.
    parse_unit(s.split_once(':').map(|(_, u)| u).unwrap_or(s)).or_else(|| parse_unit(stripped))
}

/// Headers that are known and ignored (row numbers).
const IGNORED: &[&str] = &[
    "stt",
    "tt",
    "so tt",
    "so thu tu",
    "no",
    "#",
    "n0",
    "ord",
    "s t t",
];

struct Vocab {
    exact: HashMap<String, usize>,
    /// (term, column) longest first, for containment.
    terms: Vec<(String, usize)>,
}

/// Each type's vocabulary, folded once.
static VOCABS: LazyLock<Vec<Vocab>> = LazyLock::new(|| {
    RecordType::ALL
        .iter()
        .map(|rt| {
            let mut exact = HashMap::new();
            let mut terms = Vec::new();
            for (i, c) in columns(*rt).iter().enumerate() {
                let key_words = c.key.replace(['.', '_'], " ");
                // Own headers first so that they win over another column's synonym.
                for t in [c.vi, c.en] {
                    let n = header_norm(t).0;
                    exact.insert(n.clone(), i);
                    terms.push((n, i));
                }
                for t in c
                    .synonyms
                    .iter()
                    .copied()
                    .chain(std::iter::once(key_words.as_str()))
                {
                    let n = header_norm(t).0;
                    if n.is_empty() {
                        continue;
                    }
                    exact.entry(n.clone()).or_insert(i);
                    terms.push((n, i));
                }
            }
            terms.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
            Vocab { exact, terms }
        })
        .collect()
});

/// How a header matches a column: exact 100, else how much of the header
/// the longest contained term covers (whole words), when at least 40 %.
fn match_header(vocab: &Vocab, n: &str) -> Option<(usize, u32)> {
    if n.is_empty() {
        return None;
    }
    if let Some(&i) = vocab.exact.get(n) {
        return Some((i, 100));
    }
    let padded = format!(" {n} ");
    for (t, i) in &vocab.terms {
        if t.len() * 10 < n.len() * 4 {
            break;
        }
        if padded.contains(&format!(" {t} ")) {
            return Some((*i, (t.len() * 90 / n.len()) as u32));
        }
    }
    None
}

struct Candidate {
    score: u32,
    columns: Vec<MappedColumn>,
}

/// The headers of a header row (0-based, the last row of the header), as
/// (column, text). With `two_level`, the row above holds group headers
/// merged over several columns ("Thời gian" over "Đi" and "Về"): each
/// column's header is its group's and its own ("Thời gian Đi"). `None`
/// when the rows are not such a pair: the lower row must hold text only,
/// and at least one of its headers must sit under an empty (merged) cell.
fn headers_at(sheet: &Sheet, row0: usize, two_level: bool) -> Option<Vec<(usize, String)>> {
    let row = sheet.rows.get(row0).map(Vec::as_slice).unwrap_or(&[]);
    let text = |c: &crate::read::Cell| clean_header(&c.text());
    if !two_level {
        return Some(
            row.iter()
                .enumerate()
                .map(|(i, c)| (i, text(c)))
                .filter(|(_, t)| !t.is_empty())
                .collect(),
        );
    }
    let upper = sheet.rows.get(row0.checked_sub(1)?)?;
    if row
        .iter()
        .any(|c| !matches!(c, crate::read::Cell::Text(_) | crate::read::Cell::Empty))
    {
        return None;
    }
    let mut under_merged = false;
    let mut out = Vec::new();
    let mut group = String::new();
    for i in 0..row.len().max(upper.len()) {
        let parent = upper.get(i).map(text).unwrap_or_default();
        let child = row.get(i).map(text).unwrap_or_default();
        if !parent.is_empty() {
            group = parent.clone();
        } else if !child.is_empty() && !group.is_empty() {
            under_merged = true;
        }
        let header = match (parent.is_empty(), child.is_empty()) {
            (_, true) => parent,
            (true, false) if !group.is_empty() => format!("{group} {child}"),
            (false, false) => format!("{parent} {child}"),
            (true, false) => child,
        };
        if !header.is_empty() {
            out.push((i, header));
        }
    }
    under_merged.then_some(out)
}

/// Map one row as the header row (with the row above it, `two_level`).
fn map_row(rt: RecordType, sheet: &Sheet, row0: usize, two_level: bool) -> Option<Candidate> {
    let vocab = &VOCABS[columns::type_index(rt)];
    let cols = columns(rt);
    let headers = headers_at(sheet, row0, two_level)?;
    let mut found: Vec<(u32, usize, usize)> = Vec::new();
    let mut mapped: Vec<MappedColumn> = Vec::new();
    let mut score = 0;
    for (ci, header) in headers {
        let (n, unit) = header_norm(&header);
        if IGNORED.contains(&n.as_str()) {
            score += 1;
        } else {
            // The words outside parentheses alone may be the header
            // ("Hình thức (MOU/Thỏa thuận)"): an exact match of those
            // beats a partial match of the whole.
            let whole = match_header(vocab, &n);
            let main = main_part(&header);
            let best = match (
                whole,
                (main != n).then(|| match_header(vocab, &main)).flatten(),
            ) {
                (Some(w), Some(m)) if m.1 > w.1 => Some(m),
                (None, m) => m,
                (w, _) => w,
            };
            if let Some((k, s)) = best {
                found.push((s, ci, k));
            }
        }
        mapped.push(MappedColumn {
            index: ci,
            header,
            key: None,
            unit,
        });
    }
    // Best matches first; each sheet column and each key used once.
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut used = vec![false; cols.len()];
    for (s, ci, k) in found {
        if used[k] {
            continue;
        }
        let Some(m) = mapped.iter_mut().find(|m| m.index == ci) else {
            continue;
        };
        if m.key.is_some() {
            continue;
        }
        used[k] = true;
        m.key = Some(cols[k].key.to_owned());
        score += if s == 100 { 4 } else { 2 };
    }
    Some(Candidate {
        score,
        columns: mapped,
    })
}

fn best_in_sheet(rt: RecordType, sheet: &Sheet) -> (u32, usize, Vec<MappedColumn>) {
    let mut best = (0, 0, Vec::new());
    for r in 0..sheet.rows.len().min(HEADER_SEARCH_ROWS) {
        // One header row, or a group row above it; the simpler wins ties.
        for two in [false, true] {
            if let Some(c) = map_row(rt, sheet, r, two)
                && c.score > best.0
            {
                best = (c.score, r, c.columns);
            }
        }
    }
    best
}

fn no_sheet(name: &str) -> SheetError {
    SheetError::new(
        "no_sheet",
        format!("Không có trang “{name}” trong tệp."),
        format!("The workbook has no sheet “{name}”."),
    )
}

/// Propose a mapping of `wb` (its sheet `sheet`, else the best-matching one)
/// for records of type `rt`.
pub fn propose(rt: RecordType, wb: &Workbook, sheet: Option<&str>) -> Result<Mapping, SheetError> {
    let candidates: Vec<&Sheet> = match sheet {
        Some(name) => vec![wb.sheet(name).ok_or_else(|| no_sheet(name))?],
        None => wb.sheets.iter().collect(),
    };
    let mut best: Option<(u32, &Sheet, usize, Vec<MappedColumn>)> = None;
    for s in candidates {
        let (score, row, cols) = best_in_sheet(rt, s);
        if score > 0 && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, s, row, cols));
        }
    }
    // One recognised column is enough only when it is the sole header.
    match best {
        Some((_, s, row, columns)) if columns.iter().any(|c| c.key.is_some()) => Ok(Mapping {
            sheet: s.name.clone(),
            header_row: row + 1,
            columns,
        }),
        _ => Err(SheetError::new(
            "no_header",
            format!(
                "Không tìm thấy dòng tiêu đề của {} trong {} dòng đầu; hãy dùng tệp mẫu hoặc chọn cột bằng tay.",
                rt.label(ngoaivu_core::Lang::Vi).to_lowercase(),
                HEADER_SEARCH_ROWS
            ),
            format!(
                "No header row for {} in the first {} rows; use the template or map the columns by hand.",
                rt.label(ngoaivu_core::Lang::En).to_lowercase(),
                HEADER_SEARCH_ROWS
            ),
        )),
    }
}

/// A mapping as saved: no column positions, only header texts → keys.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SavedMapping {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<usize>,
    /// Header text → column key; `""` keeps the column ignored.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

fn bad_mapping(vi: String, en: String) -> SheetError {
    SheetError::new("bad_mapping", vi, en)
}

impl Mapping {
    /// The keys mapped, each with its column.
    pub fn keys(&self) -> impl Iterator<Item = (&str, &MappedColumn)> {
        self.columns
            .iter()
            .filter_map(|c| c.key.as_deref().map(|k| (k, c)))
    }

    /// Check every key is a column of `rt` and used once.
    pub fn check(&self, rt: RecordType) -> Result<(), SheetError> {
        let mut seen = Vec::new();
        for (k, c) in self.keys() {
            if columns::column(rt, k).is_none() {
                return Err(bad_mapping(
                    format!(
                        "“{k}” (cột “{}”) không phải trường của {}.",
                        c.header,
                        rt.label(ngoaivu_core::Lang::Vi)
                    ),
                    format!(
                        "“{k}” (column “{}”) is not a field of {}.",
                        c.header,
                        rt.label(ngoaivu_core::Lang::En)
                    ),
                ));
            }
            if seen.contains(&k) {
                return Err(bad_mapping(
                    format!("Trường “{k}” được gán cho hai cột."),
                    format!("The field “{k}” is mapped to two columns."),
                ));
            }
            seen.push(k);
        }
        Ok(())
    }

    /// The mapping without positions, to save.
    pub fn saved(&self) -> SavedMapping {
        SavedMapping {
            sheet: Some(self.sheet.clone()),
            header_row: Some(self.header_row),
            columns: self
                .columns
                .iter()
                .map(|c| (c.header.clone(), c.key.clone().unwrap_or_default()))
                .collect(),
        }
    }

    pub fn to_toml(&self) -> String {
        self.saved().to_toml()
    }

    /// This mapping bound to another workbook by header text.
    pub fn apply(&self, rt: RecordType, wb: &Workbook) -> Result<Mapping, SheetError> {
        self.saved().apply(rt, wb)
    }
}

impl SavedMapping {
    pub fn from_toml(text: &str) -> Result<SavedMapping, SheetError> {
        toml::from_str(text).map_err(|e| {
            bad_mapping(
                format!("Tệp ánh xạ TOML không hợp lệ: {e}"),
                format!("The TOML mapping is not valid: {e}"),
            )
        })
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Bind to `wb`: the named sheet (else the one whose rows hold most of
    /// the saved headers), the header row holding most of them (the saved
    /// row first), each saved header to its key wherever it now is; headers
    /// not in the saved mapping are proposed from the vocabulary.
    pub fn apply(&self, rt: RecordType, wb: &Workbook) -> Result<Mapping, SheetError> {
        let saved: HashMap<String, &str> = self
            .columns
            .iter()
            .map(|(h, k)| (header_norm(h).0, k.as_str()))
            .collect();
        for k in saved.values() {
            if !k.is_empty() && columns::column(rt, k).is_none() {
                return Err(bad_mapping(
                    format!(
                        "“{k}” không phải trường của {}.",
                        rt.label(ngoaivu_core::Lang::Vi)
                    ),
                    format!(
                        "“{k}” is not a field of {}.",
                        rt.label(ngoaivu_core::Lang::En)
                    ),
                ));
            }
        }
        let hits = |sheet: &Sheet, r: usize, two: bool| {
            headers_at(sheet, r, two).map_or(0, |hs| {
                hs.iter()
                    .filter(|(_, h)| saved.contains_key(&header_norm(h).0))
                    .count()
            })
        };
        let sheets: Vec<&Sheet> = match self.sheet.as_deref().and_then(|n| wb.sheet(n)) {
            Some(s) => vec![s],
            None => wb.sheets.iter().collect(),
        };
        let mut best: Option<(usize, &Sheet, usize, bool)> = None;
        for s in sheets {
            let mut rows: Vec<usize> = (0..s.rows.len().min(HEADER_SEARCH_ROWS)).collect();
            if let Some(h) = self.header_row.filter(|h| *h >= 1) {
                rows.retain(|r| *r != h - 1);
                rows.insert(0, h - 1);
            }
            for r in rows {
                for two in [false, true] {
                    let n = hits(s, r, two);
                    if n > 0 && best.as_ref().is_none_or(|b| n > b.0) {
                        best = Some((n, s, r, two));
                    }
                }
            }
        }
        let Some((_, sheet, row, two)) = best else {
            return propose(rt, wb, None);
        };
        let Some(proposed) = map_row(rt, sheet, row, two) else {
            return propose(rt, wb, None);
        };
        let mut columns: Vec<MappedColumn> = proposed
            .columns
            .into_iter()
            .map(|mut c| {
                if let Some(k) = saved.get(&header_norm(&c.header).0) {
                    c.key = Some((*k).to_owned()).filter(|k| !k.is_empty());
                } else if c
                    .key
                    .as_deref()
                    .is_some_and(|k| saved.values().any(|v| v == &k))
                {
                    // The vocabulary's guess is a key the saved mapping puts elsewhere.
                    c.key = None;
                }
                c
            })
            .collect();
        // A key bound twice (two headers saved under one key): the first wins.
        let mut seen: Vec<String> = Vec::new();
        for c in &mut columns {
            if let Some(k) = &c.key {
                if seen.contains(k) {
                    c.key = None;
                } else {
                    seen.push(k.clone());
                }
            }
        }
        Ok(Mapping {
            sheet: sheet.name.clone(),
            header_row: row + 1,
            columns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Cell, Format};
    use rust_decimal::Decimal;

    fn text_row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text((*c).into())
                }
            })
            .collect()
    }

    fn wb(sheets: Vec<(&str, Vec<Vec<Cell>>)>) -> Workbook {
        Workbook {
            format: Format::Xlsx,
            sheets: sheets
                .into_iter()
                .map(|(n, rows)| Sheet {
                    name: n.into(),
                    rows,
                })
                .collect(),
        }
    }

    #[test]
    fn header_units_and_words() {
        for (h, n, scale, cur) in [
            (
                "Vốn đăng ký (triệu USD)",
                "von dang ky",
                Some("1000000"),
                Some("USD"),
            ),
            (
                "Vốn đăng ký\n(Triệu USD)",
                "von dang ky",
                Some("1000000"),
                Some("USD"),
            ),
            (
                "Kinh phí (ĐVT: tỷ đồng)",
                "kinh phi",
                Some("1000000000"),
                Some("VND"),
            ),
            (
                "Kinh phí, triệu đồng",
                "kinh phi",
                Some("1000000"),
                Some("VND"),
            ),
            ("Đơn vị tiền (kinh phí)", "don vi tien kinh phi", None, None),
            ("Tên đoàn", "ten doan", None, None),
            ("Tăng, giảm (%)", "tang giam", Some("1"), None),
            ("Ngày ký (dd/mm/yyyy)", "ngay ky dd mm yyyy", None, None),
        ] {
            let (got, unit) = header_norm(h);
            assert_eq!(got, n, "{h}");
            assert_eq!(
                unit.as_ref().map(|u| u.scale),
                scale.map(|s| s.parse::<Decimal>().unwrap()),
                "{h}"
            );
            assert_eq!(unit.and_then(|u| u.currency).as_deref(), cur, "{h}");
        }
    }

    #[test]
    fn finds_the_header_below_a_title_and_the_right_sheet() {
        let w = wb(vec![
            ("Ghi chú", vec![text_row(&["Bảng này do Sở Ngoại vụ lập"])]),
            (
                "Đoàn ra 2019",
                vec![
                    text_row(&["DANH SÁCH ĐOÀN RA NĂM 2019"]),
                    vec![],
                    text_row(&[
                        "STT",
                        "Tên đoàn",
                        "Trưởng đoàn",
                        "Thời gian đi",
                        "Nước đến",
                        "Số QĐ cử đoàn",
                        "Kinh phí\n(triệu đồng)",
                        "Ghi chú lạ",
                    ]),
                    text_row(&[
                        "1",
                        "Đoàn công tác",
                        "Ông A",
                        "15/03/2019",
                        "Nhật Bản",
                        "123/QĐ-UBND",
                        "500",
                        "",
                    ]),
                ],
            ),
        ]);
        let m = propose(RecordType::Delegation, &w, None).unwrap();
        assert_eq!(m.sheet, "Đoàn ra 2019");
        assert_eq!(m.header_row, 3);
        let keys: Vec<Option<&str>> = m.columns.iter().map(|c| c.key.as_deref()).collect();
        assert_eq!(
            keys,
            vec![
                None,
                Some("purpose"),
                Some("leader.name"),
                Some("start_on"),
                Some("countries"),
                Some("decision_number"),
                Some("budget"),
                Some("notes")
            ]
        );
        assert_eq!(
            m.columns[6].unit.as_ref().unwrap().currency.as_deref(),
            Some("VND")
        );
        assert!(propose(RecordType::Delegation, &w, Some("Không có")).is_err());
        assert_eq!(
            propose(
                RecordType::Delegation,
                &wb(vec![("A", vec![text_row(&["xyz"])])]),
                None
            )
            .unwrap_err()
            .code,
            "no_header"
        );
    }

    #[test]
    fn a_group_header_over_two_columns() {
        let w = wb(vec![(
            "Đoàn vào",
            vec![
                text_row(&["STT", "Đoàn", "Thời gian", "", "Nước"]),
                text_row(&["", "", "Đến", "Về", ""]),
                vec![
                    Cell::Number(1.0),
                    Cell::Text("Đoàn Gunma".into()),
                    Cell::Date(43539.0),
                    Cell::Date(43541.0),
                    Cell::Text("Nhật Bản".into()),
                ],
            ],
        )]);
        let m = propose(RecordType::Delegation, &w, None).unwrap();
        assert_eq!(m.header_row, 2);
        let keys: Vec<(&str, Option<&str>)> = m
            .columns
            .iter()
            .map(|c| (c.header.as_str(), c.key.as_deref()))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("STT", None),
                ("Đoàn", Some("purpose")),
                ("Thời gian Đến", Some("start_on")),
                ("Thời gian Về", Some("end_on")),
                ("Nước", Some("countries"))
            ]
        );
        // Saved and applied again, it finds the same two rows.
        let again = SavedMapping::from_toml(&m.to_toml())
            .unwrap()
            .apply(RecordType::Delegation, &w)
            .unwrap();
        assert_eq!(again, m);
    }

    /// Headers as provinces' workbooks write them, each alone.
    #[test]
    fn usual_headers() {
        use RecordType::*;
        let cases: &[(RecordType, &str, &str)] = &[
            (Partner, "Tên đối tác", "name"),
            (Partner, "Tên tổ chức", "name"),
            (Partner, "Quốc gia/vùng lãnh thổ", "country"),
            (Partner, "Loại hình", "kind"),
            (Partner, "Lĩnh vực", "sectors"),
            (Partner, "Tên tiếng Anh", "name_original"),
            (Agreement, "Tên văn bản thỏa thuận", "title"),
            (Agreement, "Trích yếu", "title"),
            (Agreement, "Đối tác ký kết", "partner_ids"),
            (Agreement, "Ngày ký", "signed_on"),
            (Agreement, "Ngày ký kết", "signed_on"),
            (Agreement, "Hiệu lực đến", "valid_until"),
            (Agreement, "Ngày hết hiệu lực", "valid_until"),
            (Agreement, "Hình thức (MOU/Thỏa thuận)", "kind"),
            (Agreement, "Lĩnh vực hợp tác", "sectors"),
            (Agreement, "Tình trạng", "status"),
            (Agreement, "Địa điểm ký kết", "signed_place"),
            (Delegation, "Tên đoàn", "purpose"),
            (Delegation, "Mục đích chuyến đi", "purpose"),
            (Delegation, "Nội dung làm việc", "purpose"),
            (Delegation, "Trưởng đoàn", "leader.name"),
            (Delegation, "Họ tên trưởng đoàn", "leader.name"),
            (Delegation, "Thời gian đi", "start_on"),
            (Delegation, "Thời gian", "start_on"),
            (Delegation, "Nước đến", "countries"),
            (Delegation, "Quốc gia", "countries"),
            (Delegation, "Số thành viên", "member_count"),
            (Delegation, "Số lượng", "member_count"),
            (Delegation, "Kinh phí (triệu đồng)", "budget"),
            (Delegation, "Nguồn kinh phí", "funding_source"),
            (Delegation, "Cơ quan đón tiếp", "partner_ids"),
            (Delegation, "Kết quả chuyến đi", "outcome"),
            (Delegation, "Số QĐ cử đoàn", "decision_number"),
            (Project, "Tên dự án", "name"),
            (Project, "Nhà đầu tư", "investor_id"),
            (Project, "Nhà tài trợ", "investor_id"),
            (Project, "Quốc tịch", "country"),
            (Project, "Vốn đăng ký (triệu USD)", "capital"),
            (Project, "Tổng vốn đầu tư", "capital"),
            (Project, "Ngày cấp GCNĐKĐT", "approved_on"),
            (Project, "Địa điểm thực hiện", "location"),
            (Project, "Vốn đã giải ngân", "disbursed"),
            (Project, "Lĩnh vực đầu tư", "sector"),
            (Event, "Nội dung hoạt động", "title"),
            (Event, "Thời gian tổ chức", "start_on"),
            (Event, "Địa điểm tổ chức", "place"),
            (Event, "Đơn vị phối hợp", "partner_ids"),
            (Event, "Số lượng đại biểu", "participants"),
            (AbtcApproval, "Họ và tên", "person_name"),
            (AbtcApproval, "Tên doanh nghiệp", "enterprise"),
            (AbtcApproval, "Các nước đề nghị", "economies"),
            (AbtcApproval, "Số văn bản", "decision_number"),
            (AbtcApproval, "Ngày hết hạn", "card_expires_on"),
            (OverseasContact, "Họ tên", "name"),
            (OverseasContact, "Quốc gia cư trú", "country"),
            (OverseasContact, "Nghề nghiệp", "field"),
            (OverseasContact, "Địa chỉ liên hệ", "contact"),
            (Observation, "Chỉ tiêu", "indicator"),
            (Observation, "Năm", "period"),
            (Observation, "ĐVT", "unit"),
            (Observation, "Số liệu", "value"),
            (CatalogProject, "Tên dự án", "translations.vi.name"),
            (
                CatalogProject,
                "Mục tiêu, quy mô",
                "translations.vi.summary",
            ),
            (CatalogProject, "Diện tích (ha)", "area_ha"),
            (CatalogProject, "Sơ bộ tổng vốn đầu tư (tỷ đồng)", "capital"),
            (Partner, "Partner name", "name"),
            (Agreement, "Date signed", "signed_on"),
            (Project, "Registered capital (million USD)", "capital"),
            (Event, "Venue", "place"),
        ];
        let mut wrong = Vec::new();
        for (rt, header, key) in cases {
            let w = wb(vec![("S", vec![text_row(&[header])])]);
            let got = propose(*rt, &w, None).map(|m| m.columns[0].key.clone());
            let got = got.ok().flatten();
            if got.as_deref() != Some(*key) {
                wrong.push(format!("{rt:?}: “{header}” → {got:?}, not {key}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn a_saved_mapping_applies_to_next_years_columns() {
        let this_year = wb(vec![(
            "2019",
            vec![
                text_row(&["Tên thỏa thuận", "Đối tác", "Cột riêng", "Ngày ký"]),
                text_row(&["A", "B", "x", "01/01/2019"]),
            ],
        )]);
        let mut m = propose(RecordType::Agreement, &this_year, None).unwrap();
        // The user maps their own column by hand.
        m.columns[2].key = Some("notes".into());
        let toml = m.to_toml();
        assert!(toml.contains("[columns]"), "{toml}");
        let saved = SavedMapping::from_toml(&toml).unwrap();
        let next_year = wb(vec![(
            "2020",
            vec![
                text_row(&["BÁO CÁO 2020"]),
                text_row(&[
                    "Ngày ký",
                    "Cột riêng",
                    "Tên thỏa thuận",
                    "Đối tác",
                    "Loại thỏa thuận",
                ]),
            ],
        )]);
        let m2 = saved.apply(RecordType::Agreement, &next_year).unwrap();
        assert_eq!(m2.header_row, 2);
        let keys: Vec<Option<&str>> = m2.columns.iter().map(|c| c.key.as_deref()).collect();
        assert_eq!(
            keys,
            vec![
                Some("signed_on"),
                Some("notes"),
                Some("title"),
                Some("partner_ids"),
                Some("kind")
            ]
        );
        let bad = SavedMapping::from_toml("[columns]\n\"A\" = \"nope\"\n").unwrap();
        assert_eq!(
            bad.apply(RecordType::Agreement, &next_year)
                .unwrap_err()
                .code,
            "bad_mapping"
        );
        assert_eq!(
            SavedMapping::from_toml("sheet = [").unwrap_err().code,
            "bad_mapping"
        );
    }
}
