//! IATI 2.0x import: a streaming read with quick-xml that builds a small
//! tree per `iati-activity` (so memory follows the largest activity, not
//! the file) and turns each activity of the importing province into a
//! project body.

use std::collections::HashMap;
use std::str::FromStr;

use ngoaivu_core::fold::{fold_vi, slugify};
use ngoaivu_core::refdata::{CodeSet, Unit, refdata};
use ngoaivu_core::values::{CURRENCIES, parse_date};
use quick_xml::events::{BytesStart, Event};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::mapping::*;
use crate::{
    IatiError, ImportOutcome, ImportedActivity, MAX_IMPORT_BYTES, NOTES_PREFIX, NV_NS, Skipped,
};

const MAX_DEPTH: usize = 64;

/// The identifier an imported body's `notes` names, if any (the line
/// `IATI: <identifier>`).
pub fn identifier_in_notes(notes: &str) -> Option<&str> {
    notes
        .lines()
        .find_map(|l| l.trim().strip_prefix(NOTES_PREFIX.trim_end()))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn err(
    code: &'static str,
    line: Option<usize>,
    vi: impl Into<String>,
    en: impl Into<String>,
) -> IatiError {
    IatiError {
        code,
        line,
        vi: vi.into(),
        en: en.into(),
    }
}

/// An element of an activity: its qualified name, attributes, text and
/// children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
    line: usize,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn text(&self) -> String {
        crate::xml::clean(&self.text)
    }
}

/// Line numbers from byte offsets.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &[u8]) -> Lines {
        Lines(
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }
    fn line(&self, offset: u64) -> usize {
        self.0.partition_point(|&nl| (nl as u64) < offset) + 1
    }
}

fn read_start(
    e: &BytesStart,
    line: usize,
    lines_err: &dyn Fn(String) -> IatiError,
) -> Result<Node, IatiError> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| lines_err(x.to_string()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        // The file was checked to be UTF-8; unescaped here rather than with
        // `unescape_value`, which quick-xml drops when another crate of the
        // build turns its `encoding` feature on.
        let raw = std::str::from_utf8(&a.value).map_err(|x| lines_err(x.to_string()))?;
        let value = quick_xml::escape::unescape(raw).map_err(|x| lines_err(x.to_string()))?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Node {
        name,
        attrs,
        line,
        ..Node::default()
    })
}

/// Read `xml` (IATI 2.0x activities) and keep the activities located in one
/// of `unit_slugs` (the importing province's current and former units).
pub fn import(xml: &[u8], unit_slugs: &[String]) -> Result<ImportOutcome, IatiError> {
    if xml.len() > MAX_IMPORT_BYTES {
        return Err(err(
            "too_large",
            None,
            format!(
                "Tệp quá lớn ({} MiB); giới hạn là {} MiB.",
                xml.len() / (1024 * 1024),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
            format!(
                "The file is too large ({} MiB); the limit is {} MiB.",
                xml.len() / (1024 * 1024),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        ));
    }
    let lines = Lines::new(xml);
    let text = match std::str::from_utf8(xml) {
        Ok(t) => t,
        Err(e) => {
            return Err(err(
                "encoding",
                Some(lines.line(e.valid_up_to() as u64)),
                "Tệp không phải văn bản UTF-8.",
                "The file is not UTF-8 text.",
            ));
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bom = xml.len() - text.len();
    let mut reader = quick_xml::Reader::from_str(text);
    let at = |pos: u64| lines.line(pos + bom as u64);
    let units = Units::new(unit_slugs);

    let mut out = ImportOutcome::default();
    let mut root_seen = false;
    let mut root_prefixes: HashMap<String, String> = HashMap::new();
    // The open elements of the current activity (index 0 is the activity).
    let mut stack: Vec<Node> = Vec::new();
    // Depth below the root outside any activity (elements we do not read).
    let mut other_depth = 0usize;
    let mut root_open = false;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            let p = reader.error_position();
            err(
                "xml",
                Some(at(p)),
                format!("XML không hợp lệ: {e}"),
                format!("Malformed XML: {e}"),
            )
        })?;
        let line = at(pos);
        let bad = |m: String| {
            err(
                "xml",
                Some(line),
                format!("XML không hợp lệ: {m}"),
                format!("Malformed XML: {m}"),
            )
        };
        match event {
            Event::DocType(_) => {
                // Refused outright: a DTD can declare entities (the "billion
                // laughs") or fetch external ones; IATI files have none.
                return Err(err(
                    "doctype",
                    Some(line),
                    "Tệp có khai báo DOCTYPE/ENTITY; vì an toàn, tệp IATI có khai báo này bị từ chối và không được đọc.",
                    "The file has a DOCTYPE/ENTITY declaration; for safety, IATI files with one are refused and not read.",
                ));
            }
            Event::Decl(d) => {
                if let Some(Ok(enc)) = d.encoding() {
                    let enc = String::from_utf8_lossy(&enc).to_ascii_lowercase();
                    if enc != "utf-8" && enc != "utf8" && enc != "us-ascii" && enc != "ascii" {
                        return Err(err(
                            "encoding",
                            Some(line),
                            format!("Tệp khai báo bảng mã {enc}; chỉ đọc được UTF-8."),
                            format!("The file declares the encoding {enc}; only UTF-8 is read."),
                        ));
                    }
                }
            }
            Event::Start(e) | Event::Empty(e) if !root_seen => {
                let node = read_start(&e, line, &bad)?;
                check_root(&node)?;
                for (k, v) in &node.attrs {
                    if let Some(p) = k.strip_prefix("xmlns:") {
                        root_prefixes.insert(p.to_owned(), v.clone());
                    }
                }
                root_seen = true;
                // `<iati-activities/>` holds nothing; the next event tells.
                root_open = !text[..reader.buffer_position() as usize].ends_with("/>");
            }
            Event::Start(e) => {
                if !root_open {
                    return Err(bad(
                        "nội dung sau phần tử gốc / content after the root element".into(),
                    ));
                }
                if stack.len() + other_depth + 1 > MAX_DEPTH {
                    return Err(err(
                        "too_deep",
                        Some(line),
                        format!("Các phần tử lồng nhau quá {MAX_DEPTH} cấp."),
                        format!("Elements are nested more than {MAX_DEPTH} deep."),
                    ));
                }
                // Inside an activity, or an activity starting directly
                // under the root: kept. Anything else under the root
                // (IATI has nothing else there) is passed over.
                if !stack.is_empty() || (other_depth == 0 && e.name().as_ref() == b"iati-activity")
                {
                    stack.push(read_start(&e, line, &bad)?);
                } else {
                    other_depth += 1;
                }
            }
            Event::Empty(e) => {
                if !root_open {
                    return Err(bad(
                        "nội dung sau phần tử gốc / content after the root element".into(),
                    ));
                }
                if let Some(parent) = stack.last_mut() {
                    let node = read_start(&e, line, &bad)?;
                    parent.children.push(node);
                } else if other_depth == 0 && e.name().as_ref() == b"iati-activity" {
                    let node = read_start(&e, line, &bad)?;
                    activity(&node, &root_prefixes, &units, &mut out);
                }
            }
            Event::End(_) => {
                if let Some(node) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => activity(&node, &root_prefixes, &units, &mut out),
                    }
                } else if other_depth > 0 {
                    other_depth -= 1;
                } else {
                    root_open = false;
                }
            }
            Event::Text(t) => {
                if let Some(node) = stack.last_mut() {
                    let s = t.unescape().map_err(|e| bad(e.to_string()))?;
                    node.text.push_str(&s);
                } else if !t.iter().all(u8::is_ascii_whitespace) && (!root_open || !root_seen) {
                    return Err(bad(
                        "văn bản ngoài phần tử gốc / text outside the root element".into(),
                    ));
                }
            }
            Event::CData(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !root_seen {
        return Err(err(
            "root",
            None,
            "Tệp không có phần tử gốc iati-activities.",
            "The file has no iati-activities root element.",
        ));
    }
    if root_open || !stack.is_empty() {
        return Err(err(
            "xml",
            Some(lines.line(xml.len() as u64)),
            "XML không hợp lệ: tệp kết thúc khi còn phần tử chưa đóng.",
            "Malformed XML: the file ends inside an open element.",
        ));
    }
    Ok(out)
}

fn check_root(root: &Node) -> Result<(), IatiError> {
    if root.name != "iati-activities" {
        let (vi, en) = if root.name == "iati-organisations" {
            (
                "Đây là tệp tổ chức IATI (iati-organisations), không phải tệp hoạt động (iati-activities).".to_owned(),
                "This is an IATI organisation file (iati-organisations), not an activity file (iati-activities).".to_owned(),
            )
        } else {
            (
                format!(
                    "Không phải tệp IATI: phần tử gốc là <{}>, cần <iati-activities>.",
                    root.name
                ),
                format!(
                    "Not an IATI file: the root element is <{}>, expected <iati-activities>.",
                    root.name
                ),
            )
        };
        return Err(err("root", Some(root.line), vi, en));
    }
    match root.attr("version") {
        Some(v) if is_2x(v) => Ok(()),
        Some(v) => Err(err(
            "version",
            Some(root.line),
            format!(
                "Phiên bản IATI {v} không được hỗ trợ; chỉ đọc được phiên bản 2.01, 2.02, 2.03."
            ),
            format!(
                "IATI version {v} is not supported; only versions 2.01, 2.02 and 2.03 are read."
            ),
        )),
        None => Err(err(
            "version",
            Some(root.line),
            "Phần tử iati-activities thiếu thuộc tính version; chỉ đọc được phiên bản 2.0x.",
            "The iati-activities element has no version attribute; only versions 2.0x are read.",
        )),
    }
}

fn is_2x(v: &str) -> bool {
    v.len() == 4 && v.starts_with("2.0") && v.as_bytes()[3].is_ascii_digit() && v != "2.00"
}

/// The importing province's units, and how a location names one.
struct Units {
    units: Vec<&'static Unit>,
}

impl Units {
    fn new(slugs: &[String]) -> Units {
        let r = refdata();
        let mut units: Vec<&'static Unit> = Vec::new();
        for s in slugs {
            for u in r.units.iter().filter(|u| &u.slug == s) {
                units.push(u);
            }
        }
        Units { units }
    }

    /// The unit a location ref (`VN-GSO-2025-66`) names.
    fn by_ref(&self, r: &str) -> Option<&'static Unit> {
        let (set, code) = if let Some(c) = r.strip_prefix("VN-GSO-2025-") {
            (CodeSet::Y2025, c)
        } else if let Some(c) = r.strip_prefix("VN-GSO-LEGACY-") {
            (CodeSet::Legacy, c)
        } else {
            return None;
        };
        self.units
            .iter()
            .copied()
            .find(|u| u.code_set == set && u.code == code)
    }

    /// The unit a name means: "Tỉnh Đắk Lắk", "Dak Lak Province", "Đắk Lắk",
    /// "TP. Hồ Chí Minh", "Ho Chi Minh City". Compared as slugs (folded)
    /// after dropping the unit's type word.
    fn by_name(&self, name: &str) -> Option<&'static Unit> {
        let slug = bare_slug(name);
        if slug.is_empty() {
            return None;
        }
        // A slug names both a current and a former unit for an unchanged
        // province: the current one is meant.
        self.units
            .iter()
            .copied()
            .filter(|u| u.slug == slug || bare_slug(&u.name) == slug)
            .min_by_key(|u| u.code_set != CodeSet::Y2025)
    }
}

fn bare_slug(name: &str) -> String {
    let s = slugify(&fold_vi(name).replace(['.', ','], " "));
    let mut s = s.as_str();
    for p in ["thanh-pho-", "tinh-", "tp-", "province-of-", "city-of-"] {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest;
            break;
        }
    }
    for suffix in ["-province", "-city", "-municipality"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
            break;
        }
    }
    s.to_owned()
}

/// The narrative to show: Vietnamese, else the activity's default language
/// (no xml:lang), else English, else the first.
fn narrative(parent: Option<&Node>) -> Option<String> {
    let parent = parent?;
    let ns: Vec<(Option<&str>, String)> = parent
        .all("narrative")
        .map(|n| (n.attr("xml:lang"), n.text()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    for want in [Some("vi"), None, Some("en")] {
        if let Some((_, t)) = ns
            .iter()
            .find(|(l, _)| l.map(str::to_ascii_lowercase).as_deref() == want)
        {
            return Some(t.clone());
        }
    }
    ns.into_iter().next().map(|(_, t)| t)
}

fn all_narratives(parent: Option<&Node>) -> Vec<String> {
    parent
        .map(|p| {
            p.all("narrative")
                .map(Node::text)
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn activity(
    a: &Node,
    root_prefixes: &HashMap<String, String>,
    units: &Units,
    out: &mut ImportOutcome,
) {
    let id = a
        .child("iati-identifier")
        .map(Node::text)
        .unwrap_or_default();
    if id.is_empty() {
        out.errors.push(err(
            "identifier",
            Some(a.line),
            "Hoạt động không có iati-identifier.",
            "The activity has no iati-identifier.",
        ));
        return;
    }
    // Our extension's prefix, wherever it was declared.
    let mut prefixes = root_prefixes.clone();
    for (k, v) in &a.attrs {
        if let Some(p) = k.strip_prefix("xmlns:") {
            prefixes.insert(p.to_owned(), v.clone());
        }
    }
    let nv_prefix = prefixes
        .iter()
        .find(|(_, v)| v.as_str() == NV_NS)
        .map(|(k, _)| k.clone());
    let nv = |name: &str| {
        nv_prefix
            .as_ref()
            .and_then(|p| a.attr(&format!("{p}:{name}")))
    };

    // Where: a location of the province.
    let mut found: Option<(&'static Unit, &Node)> = None;
    for loc in a.all("location") {
        let unit = loc
            .attr("ref")
            .and_then(|r| units.by_ref(r))
            .or_else(|| {
                all_narratives(loc.child("name"))
                    .iter()
                    .find_map(|n| units.by_name(n))
            })
            .or_else(|| {
                loc.all("administrative").find_map(|ad| {
                    units
                        .by_name(&ad.text())
                        .or_else(|| ad.attr("code").and_then(|c| units.by_name(c)))
                })
            });
        if let Some(u) = unit {
            found = Some((u, loc));
            break;
        }
    }
    let countries: Vec<&str> = a
        .all("recipient-country")
        .filter_map(|c| c.attr("code"))
        .collect();
    let skip = |code: &'static str, vi: String, en: String| Skipped {
        iati_identifier: id.clone(),
        line: a.line,
        code,
        vi,
        en,
    };
    let in_vietnam = countries.is_empty() || countries.iter().any(|c| c.eq_ignore_ascii_case("VN"));
    let Some((unit, location)) = found.filter(|_| in_vietnam) else {
        out.skipped.push(if !in_vietnam {
            skip(
                "not_vietnam",
                format!(
                    "Hoạt động ở nước khác ({}), không phải Việt Nam.",
                    countries.join(", ")
                ),
                format!(
                    "The activity is in another country ({}), not Viet Nam.",
                    countries.join(", ")
                ),
            )
        } else {
            skip(
                "not_in_province",
                "Hoạt động không có địa điểm thuộc tỉnh, thành phố nhập dữ liệu.".into(),
                "The activity has no location in the importing province.".into(),
            )
        });
        return;
    };

    // Who pays.
    let funders: Vec<&Node> = a
        .all("participating-org")
        .filter(|o| o.attr("role") == Some(ROLE_FUNDING))
        .collect();
    let funder_types: Vec<&str> = funders.iter().filter_map(|o| o.attr("type")).collect();
    if !funder_types.is_empty() && funder_types.iter().all(|t| PRIVATE_TYPES.contains(t)) {
        out.skipped.push(skip(
            "not_aid",
            "Nhà tài trợ là doanh nghiệp tư nhân: đây là đầu tư, không phải viện trợ (ODA, phi chính phủ).".into(),
            "The funder is a private company: this is investment, not aid (ODA or NGO).".into(),
        ));
        return;
    }
    let donor = funders.iter().find_map(|o| narrative(Some(o)));
    let donor_ref = funders.iter().find_map(|o| o.attr("ref"));
    let mut kind = if funder_types.iter().any(|t| NGO_TYPES.contains(t)) {
        "ngo_aid"
    } else if funders.is_empty()
        && a.child("reporting-org")
            .and_then(|r| r.attr("type"))
            .is_some_and(|t| NGO_TYPES.contains(&t))
    {
        // An NGO reporting its own activity often lists no separate funder.
        "ngo_aid"
    } else {
        "oda"
    };
    if let Some(k) = nv("kind").filter(|k| ["oda", "ngo_aid"].contains(k)) {
        kind = if k == "oda" { "oda" } else { "ngo_aid" };
    }
    let r = refdata();
    let ref_country = donor_ref
        .and_then(|d| d.split('-').next())
        .filter(|p| p.len() == 2 && !p.starts_with('X'))
        .and_then(|p| r.country(&p.to_ascii_uppercase()))
        .map(|c| c.alpha2.clone());
    let nv_country = nv("country")
        .and_then(|c| r.country(&c.to_ascii_uppercase()))
        .map(|c| c.alpha2.clone());
    let country = nv_country.clone().or(ref_country.clone());

    let mut problems: Vec<IatiError> = Vec::new();
    let mut problem = |code: &'static str, line: usize, vi: String, en: String| {
        problems.push(err(
            code,
            Some(line),
            format!("Hoạt động {id}: {vi}"),
            format!("Activity {id}: {en}"),
        ));
    };

    let name = narrative(a.child("title"));
    if name.is_none() {
        problem(
            "title",
            a.line,
            "không có tên (title).".into(),
            "has no title.".into(),
        );
    }

    // Money.
    let default_currency = a.attr("default-currency");
    let money = |v: &Node,
                 problem: &mut dyn FnMut(&'static str, usize, String, String)|
     -> Option<(Decimal, String)> {
        let text = v.text();
        let Ok(amount) = Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&text))
        else {
            problem(
                "amount",
                v.line,
                format!("số tiền \"{text}\" không hợp lệ."),
                format!("the amount \"{text}\" is not a number."),
            );
            return None;
        };
        let Some(cur) = v
            .attr("currency")
            .or(default_currency)
            .map(str::to_ascii_uppercase)
        else {
            problem(
                "currency",
                v.line,
                "số tiền không ghi loại tiền (currency) và hoạt động không có default-currency."
                    .into(),
                "an amount has no currency and the activity no default-currency.".into(),
            );
            return None;
        };
        if !CURRENCIES.contains(&cur.as_str()) {
            problem(
                "currency",
                v.line,
                format!(
                    "loại tiền {cur} chưa được hỗ trợ (được: {}).",
                    CURRENCIES.join(", ")
                ),
                format!(
                    "the currency {cur} is not supported (allowed: {}).",
                    CURRENCIES.join(", ")
                ),
            );
            return None;
        }
        if amount.is_sign_negative() && !amount.is_zero() {
            problem(
                "amount",
                v.line,
                format!("số tiền âm ({text}) không nhập được."),
                format!("a negative amount ({text}) cannot be imported."),
            );
            return None;
        }
        Some((amount, cur))
    };
    let date_of = |n: Option<&Node>,
                   problem: &mut dyn FnMut(&'static str, usize, String, String)|
     -> Option<String> {
        let n = n?;
        let d = n.attr("iso-date")?;
        // xsd:date may carry a zone; the day is what ngoaivu keeps.
        let day = d.get(..10).unwrap_or(d);
        match parse_date(day) {
            Some(_) => Some(day.to_owned()),
            None => {
                problem(
                    "date",
                    n.line,
                    format!("ngày \"{d}\" không hợp lệ."),
                    format!("the date \"{d}\" is not valid."),
                );
                None
            }
        }
    };

    let mut commitments: Vec<(String, Decimal, String)> = Vec::new();
    let mut disbursements: Vec<(String, Decimal, String)> = Vec::new();
    for t in a.all("transaction") {
        let kind = t.child("transaction-type").and_then(|k| k.attr("code"));
        if kind != Some("2") && kind != Some("3") {
            continue;
        }
        let Some(value) = t.child("value") else {
            problem(
                "amount",
                t.line,
                "giao dịch không có giá trị (value).".into(),
                "a transaction has no value.".into(),
            );
            continue;
        };
        let on = date_of(t.child("transaction-date"), &mut problem).or_else(|| {
            value
                .attr("value-date")
                .map(|d| d.get(..10).unwrap_or(d).to_owned())
                .filter(|d| parse_date(d).is_some())
        });
        let Some(on) = on else {
            problem(
                "date",
                t.line,
                "giao dịch không có ngày (transaction-date).".into(),
                "a transaction has no date (transaction-date).".into(),
            );
            continue;
        };
        if let Some((amount, cur)) = money(value, &mut problem) {
            if kind == Some("2") {
                commitments.push((on, amount, cur));
            } else {
                disbursements.push((on, amount, cur));
            }
        }
    }
    let sum = |items: &[(Decimal, String)],
               what_vi: &str,
               what_en: &str,
               problem: &mut dyn FnMut(&'static str, usize, String, String)|
     -> Option<(Decimal, String)> {
        let first = items.first()?;
        if items.iter().any(|(_, c)| *c != first.1) {
            problem(
                "currency",
                a.line,
                format!(
                    "{what_vi} bằng nhiều loại tiền; ngoaivu không cộng các loại tiền khác nhau."
                ),
                format!(
                    "{what_en} are in several currencies; ngoaivu never adds different currencies."
                ),
            );
            return None;
        }
        Some((items.iter().map(|(a, _)| *a).sum(), first.1.clone()))
    };
    let capital = if !commitments.is_empty() {
        let items: Vec<_> = commitments
            .iter()
            .map(|(_, a, c)| (*a, c.clone()))
            .collect();
        sum(&items, "Các cam kết", "The commitments", &mut problem)
    } else {
        let mut items = Vec::new();
        for b in a
            .all("budget")
            .filter(|b| matches!(b.attr("type"), None | Some("1")))
        {
            if let Some(v) = b.child("value")
                && let Some(m) = money(v, &mut problem)
            {
                items.push(m);
            }
        }
        sum(&items, "Các ngân sách", "The budgets", &mut problem)
    };
    let disbursed = match (nv("disbursed"), nv("disbursed-currency")) {
        (Some(amount), Some(cur)) => match (Decimal::from_str(amount), CURRENCIES.contains(&cur)) {
            (Ok(d), true) => Some((d, cur.to_owned())),
            _ => None,
        },
        _ => {
            let items: Vec<_> = disbursements
                .iter()
                .map(|(_, a, c)| (*a, c.clone()))
                .collect();
            sum(
                &items,
                "Các khoản giải ngân",
                "The disbursements",
                &mut problem,
            )
        }
    };

    // When.
    // Planned start, actual start, planned end, actual end (ActivityDateType
    // 1–4); an actual date wins over the planned one.
    let mut dates: [Option<String>; 4] = Default::default();
    for d in a.all("activity-date") {
        let Some(i) = d
            .attr("type")
            .and_then(|t| ["1", "2", "3", "4"].iter().position(|x| *x == t))
        else {
            continue;
        };
        if let Some(day) = date_of(Some(d), &mut problem)
            && dates[i].is_none()
        {
            dates[i] = Some(day);
        }
    }
    let [planned_start, actual_start, planned_end, actual_end] = dates;
    // Our own stand-in start (see `nv:start-substitute`) is not a start.
    let substitute = nv("start-substitute") == Some("true");
    let period_from = actual_start.or(if substitute { None } else { planned_start });
    let period_until = actual_end.or(planned_end);
    let approved_on = nv("approved-on")
        .filter(|d| parse_date(d).is_some())
        .map(str::to_owned)
        // Our own files say the approval date (or that there is none) in
        // nv:approved-on; their commitment date may be a stand-in.
        .or_else(|| {
            if nv("status").is_some() {
                None
            } else {
                commitments.iter().map(|(d, ..)| d.clone()).min()
            }
        });

    let status = match a.child("activity-status").and_then(|s| s.attr("code")) {
        Some(code) => match status_from_iati(code, !commitments.is_empty()) {
            Some(s) => Some(s),
            None => {
                problem(
                    "status",
                    a.line,
                    format!(
                        "trạng thái hoạt động \"{code}\" không có trong danh mục ActivityStatus."
                    ),
                    format!(
                        "the activity status \"{code}\" is not in the ActivityStatus codelist."
                    ),
                );
                None
            }
        },
        None => None,
    };
    let status = nv("status")
        .filter(|s| ngoaivu_core::records::PROJECT_STATUSES.contains(s))
        .or(status);

    // The sector: the mappable DAC 5-digit code with the largest share.
    let sector = a
        .all("sector")
        .filter(|s| matches!(s.attr("vocabulary"), None | Some("1")))
        .filter_map(|s| {
            let mapped = dac_to_sector(s.attr("code")?)?;
            let pct = s
                .attr("percentage")
                .and_then(|p| Decimal::from_str(p).ok())
                .unwrap_or(Decimal::ONE_HUNDRED);
            Some((mapped, pct))
        })
        .fold(None::<(&str, Decimal)>, |best, (s, p)| match best {
            Some((_, bp)) if bp >= p => best,
            _ => Some((s, p)),
        })
        .map(|(s, _)| s);

    if !problems.is_empty() {
        out.errors.extend(problems);
        return;
    }

    let mut body = Map::new();
    body.insert("kind".into(), json!(kind));
    body.insert("name".into(), json!(name.unwrap_or_default()));
    if let Some(c) = &country {
        body.insert("country".into(), json!(c));
    }
    if let Some(s) = sector {
        body.insert("sector".into(), json!(s));
    }
    let money_json =
        |(a, c): &(Decimal, String)| json!({"amount": a.normalize().to_string(), "currency": c});
    if let Some(m) = &capital {
        body.insert("capital".into(), money_json(m));
    }
    if let Some(m) = &disbursed {
        body.insert("disbursed".into(), money_json(m));
    }
    if let Some(d) = approved_on {
        body.insert("approved_on".into(), json!(d));
    }
    if let Some(d) = period_from {
        body.insert("period_from".into(), json!(d));
    }
    if let Some(d) = period_until {
        body.insert("period_until".into(), json!(d));
    }
    if let Some(s) = status {
        body.insert("status".into(), json!(s));
    }
    if !disbursements.is_empty() {
        let mut list = disbursements.clone();
        list.sort_by(|x, y| x.0.cmp(&y.0));
        // The donor's disbursements: actual, foreign funds.
        body.insert(
            "transactions".into(),
            Value::Array(
                list.iter()
                    .map(|(on, a, c)| {
                        json!({"kind": "disbursement", "stage": "actual", "source": "foreign",
                               "on": on, "amount": money_json(&(*a, c.clone()))})
                    })
                    .collect(),
            ),
        );
    }
    if let Some(place) = narrative(location.child("description")) {
        body.insert("location".into(), json!(place));
    }
    body.insert("locality".into(), json!(unit.slug));
    body.insert("notes".into(), json!(format!("{NOTES_PREFIX}{id}")));

    out.activities.push(ImportedActivity {
        iati_identifier: id.clone(),
        body: Value::Object(body),
        donor_name: donor,
        donor_country: country,
        line: a.line,
    });
}
