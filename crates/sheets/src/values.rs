//! Cell values as people type them in Vietnamese and English workbooks:
//! dates (Excel serials, `15/03/2019`, `tháng 3/2019`, `Quý II/2020`),
//! numbers (`1.234,5`, `1,234.5`, `12 tỷ đồng`), units in a header
//! (`(triệu USD)`), countries by name or code, coded choices by label,
//! yes/no, reporting periods. Every parser returns `Result<_, ValueError>`
//! with the message in both languages.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::LazyLock;

use ngoaivu_core::fold::fold_vi;
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::values::Period;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::columns::Choice;
pub use crate::error::ValueError;
use crate::read::Cell;

/// Folded, punctuation to spaces, spaces collapsed: the form every
/// vocabulary lookup uses (`"Hàn  Quốc."` → `han quoc`).
pub fn norm(s: &str) -> String {
    let folded = fold_vi(s);
    let mut out = String::with_capacity(folded.len());
    for w in
        folded.split(|c: char| !(c.is_alphanumeric() || matches!(c, '%' | '$' | '€' | '£' | '¥')))
    {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

// ------------------------------------------------------------------ dates

fn epoch() -> Date {
    Date::from_calendar_date(1899, Month::December, 30).expect("valid")
}

/// An Excel serial (1900 system) as a date; the fractional part (time of
/// day) is dropped. Serial 60 is Excel's phantom 29 February 1900.
pub fn serial_to_date(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let mut days = serial.floor() as i64;
    if days < 61 {
        if days == 60 {
            return None;
        }
        days += 1;
    }
    epoch().checked_add(time::Duration::days(days))
}

/// A date as an Excel serial (1900 system).
pub fn date_to_serial(d: Date) -> i64 {
    let days = (d - epoch()).whole_days();
    if days < 61 { days - 1 } else { days }
}

/// How much of a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Month,
    Quarter,
    Year,
}

/// A date as typed: its first and last day (the same for a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateValue {
    pub first: Date,
    pub last: Date,
    pub precision: Precision,
}

impl DateValue {
    fn day(d: Date) -> Self {
        DateValue {
            first: d,
            last: d,
            precision: Precision::Day,
        }
    }
}

fn bad_date(text: &str) -> ValueError {
    ValueError::new(
        format!("“{text}” không phải ngày (ghi dạng ngày/tháng/năm, ví dụ 15/03/2019)"),
        format!("“{text}” is not a date (write day/month/year, e.g. 15/03/2019)"),
    )
}

fn year_of(y: i64) -> Option<i32> {
    match y {
        0..=69 => Some(2000 + y as i32),
        70..=99 => Some(1900 + y as i32),
        1000..=9999 => Some(y as i32),
        _ => None,
    }
}

fn make_date(d: i64, m: i64, y: i64, text: &str) -> Result<Date, ValueError> {
    let year = year_of(y).ok_or_else(|| bad_date(text))?;
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| {
            ValueError::new(
                format!("tháng {m} trong “{text}” không tồn tại (ghi ngày/tháng/năm)"),
                format!("month {m} in “{text}” does not exist (write day/month/year)"),
            )
        })?;
    u8::try_from(d)
        .ok()
        .and_then(|d| Date::from_calendar_date(year, month, d).ok())
        .ok_or_else(|| {
            ValueError::new(
                format!("ngày {d:02}/{m:02}/{year} không tồn tại"),
                format!("the date {d:02}/{m:02}/{year} does not exist"),
            )
        })
}

fn month_value(m: i64, y: i64, text: &str) -> Result<DateValue, ValueError> {
    let first = make_date(1, m, y, text)?;
    let last = make_date(first.month().length(first.year()) as i64, m, y, text)?;
    Ok(DateValue {
        first,
        last,
        precision: Precision::Month,
    })
}

fn year_value(y: i64, text: &str) -> Result<DateValue, ValueError> {
    Ok(DateValue {
        first: make_date(1, 1, y, text)?,
        last: make_date(31, 12, y, text)?,
        precision: Precision::Year,
    })
}

fn roman(s: &str) -> Option<i64> {
    match s {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

const MONTHS_EN: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date cell: a serial (a date-formatted or plain number), or text.
pub fn parse_date_cell(cell: &Cell) -> Result<DateValue, ValueError> {
    match cell {
        Cell::Date(s) => serial_to_date(*s)
            .map(DateValue::day)
            .ok_or_else(|| bad_date(&cell.text())),
        Cell::Number(n) if n.fract() == 0.0 && (1900.0..=2100.0).contains(n) => {
            year_value(*n as i64, &cell.text())
        }
        Cell::Number(n) => serial_to_date(*n)
            .map(DateValue::day)
            .ok_or_else(|| bad_date(&cell.text())),
        Cell::Text(t) => parse_date(t),
        _ => Err(bad_date(&cell.text())),
    }
}

/// Dates as written: `15/03/2019`, `15-3-19`, `15.03.2019`, `2019-03-15`,
/// `ngày 15 tháng 3 năm 2019`, `tháng 3/2019`, `03/2019`, `Quý II/2020`,
/// `Q2 2020`, `năm 2019`, `2019`, `March 2019`. A time after the date is
/// ignored. Day first always (Vietnamese usage); `03/15/2019` is refused.
pub fn parse_date(text: &str) -> Result<DateValue, ValueError> {
    let t = text.trim();
    let n = norm(t);
    // Numbers and words; separators (/ - . space) all become spaces.
    let words: Vec<&str> = n.split(' ').collect();
    let nums: Vec<i64> = words.iter().filter_map(|w| w.parse().ok()).collect();
    let all_numeric = words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()));
    let has = |w: &str| words.contains(&w);
    if n.is_empty() {
        return Err(bad_date(t));
    }
    // Quarter: "quy ii 2020", "q2 2020", "quy 2 nam 2020".
    if let Some(pos) = words
        .iter()
        .position(|w| *w == "quy" || *w == "q" || *w == "quarter")
    {
        let q = words.get(pos + 1).and_then(|w| roman(w));
        let y = words[pos + 1..]
            .iter()
            .filter_map(|w| w.parse::<i64>().ok())
            .find(|y| *y >= 1000);
        if let (Some(q), Some(y)) = (q, y) {
            let first = make_date(1, (q - 1) * 3 + 1, y, t)?;
            let last_month = q * 3;
            let last = month_value(last_month, y, t)?.last;
            return Ok(DateValue {
                first,
                last,
                precision: Precision::Quarter,
            });
        }
        return Err(bad_date(t));
    }
    if let Some(w) = words.first()
        && w.len() == 2
        && w.starts_with('q')
        && let Some(q) = roman(&w[1..])
        && let Some(y) = nums.iter().copied().find(|y| *y >= 1000)
    {
        let first = make_date(1, (q - 1) * 3 + 1, y, t)?;
        let last = month_value(q * 3, y, t)?.last;
        return Ok(DateValue {
            first,
            last,
            precision: Precision::Quarter,
        });
    }
    // "ngay 15 thang 3 nam 2019", "thang 3 2019", "thang 3 nam 2019", "nam 2019".
    if has("thang") || has("ngay") || has("nam") {
        let get = |key: &str| {
            words
                .iter()
                .position(|w| *w == key)
                .and_then(|i| words.get(i + 1))
                .and_then(|w| w.parse::<i64>().ok())
        };
        let day = get("ngay");
        let month = get("thang");
        let year = get("nam").or_else(|| nums.iter().copied().find(|y| *y >= 1000));
        return match (day, month, year) {
            (Some(d), Some(m), Some(y)) => Ok(DateValue::day(make_date(d, m, y, t)?)),
            (None, Some(m), Some(y)) => month_value(m, y, t),
            (None, None, Some(y)) => year_value(y, t),
            _ => Err(bad_date(t)),
        };
    }
    // "March 2019", "15 March 2019", "Mar 15, 2019".
    if let Some(mi) = words
        .iter()
        .position(|w| w.len() >= 3 && MONTHS_EN.iter().any(|m| w.starts_with(m)))
    {
        let m = MONTHS_EN
            .iter()
            .position(|m| words[mi].starts_with(m))
            .unwrap_or(0) as i64
            + 1;
        let y = nums.iter().copied().find(|y| *y >= 1000);
        let d = nums.iter().copied().find(|d| (1..=31).contains(d));
        return match (d, y) {
            (Some(d), Some(y)) => Ok(DateValue::day(make_date(d, m, y, t)?)),
            (None, Some(y)) => month_value(m, y, t),
            _ => Err(bad_date(t)),
        };
    }
    // A time after the date ("15/03/2019 10:30:00") is dropped.
    let nums: Vec<i64> = if !all_numeric {
        return Err(bad_date(t));
    } else if nums.len() > 3 && t.contains(':') {
        nums[..3].to_vec()
    } else {
        nums
    };
    match nums.as_slice() {
        [y] if words[0].len() == 4 => year_value(*y, t),
        [m, y] if words[1].len() == 4 || words[1].len() == 2 && t.contains('/') => {
            month_value(*m, *y, t)
        }
        [a, b, c] => {
            if words[0].len() == 4 {
                Ok(DateValue::day(make_date(*c, *b, *a, t)?))
            } else if words[2].len() == 4 || words[2].len() == 2 {
                Ok(DateValue::day(make_date(*a, *b, *c, t)?))
            } else {
                Err(bad_date(t))
            }
        }
        _ => Err(bad_date(t)),
    }
}

/// A span in one cell: `15/3/2019 - 20/3/2019`, `15/3 - 20/3/2019`,
/// `15-20/3/2019`, `tháng 3 đến tháng 5/2019`. `None` when the text is not a
/// span (a single date is not one).
pub fn parse_date_range(text: &str) -> Option<Result<(DateValue, DateValue), ValueError>> {
    let t = text.trim();
    // "15-20/3/2019": a day range in one month.
    if let Some((a, rest)) = t.split_once('-')
        && let Ok(d1) = a.trim().parse::<i64>()
        && (1..=31).contains(&d1)
        && rest.contains('/')
        && let Ok(end) = parse_date(rest)
        && end.precision == Precision::Day
    {
        return Some(
            make_date(d1, end.first.month() as i64, end.first.year() as i64, t)
                .map(|s| (DateValue::day(s), end)),
        );
    }
    // Word separators are found case-blind; lowercasing may change byte
    // lengths in other scripts, and then only the text itself is searched.
    let lower = t.to_lowercase();
    let hay = if lower.len() == t.len() {
        lower.as_str()
    } else {
        t
    };
    let seps = [" - ", " – ", " — ", "–", "—", " đến ", " to ", " den "];
    let (a, b) = seps.iter().find_map(|s| {
        hay.find(s)
            .filter(|&i| t.is_char_boundary(i) && t.is_char_boundary(i + s.len()))
            .map(|i| (t[..i].trim(), t[i + s.len()..].trim()))
    })?;
    let a = a.trim_start_matches(|c: char| !c.is_alphanumeric());
    let a = {
        let f = norm(a);
        if f.starts_with("tu ") {
            &a[a.find(|c: char| c.is_ascii_digit()).unwrap_or(0)..]
        } else {
            a
        }
    };
    let end = match parse_date(b) {
        Ok(e) => e,
        Err(e) => return Some(Err(e)),
    };
    let start = match parse_date(a) {
        Ok(s) => s,
        // "15/3 - 20/3/2019": the year of the end.
        Err(_) => {
            let nums: Vec<i64> = norm(a).split(' ').filter_map(|w| w.parse().ok()).collect();
            match nums.as_slice() {
                [d, m] => match make_date(*d, *m, end.first.year() as i64, t) {
                    Ok(d) => DateValue::day(d),
                    Err(e) => return Some(Err(e)),
                },
                [m] if norm(a).contains("thang") => {
                    match month_value(*m, end.first.year() as i64, t) {
                        Ok(v) => v,
                        Err(e) => return Some(Err(e)),
                    }
                }
                _ => return Some(Err(bad_date(t))),
            }
        }
    };
    if end.last < start.first {
        return Some(Err(ValueError::new(
            format!("trong “{t}” ngày kết thúc trước ngày bắt đầu"),
            format!("in “{t}” the end is before the start"),
        )));
    }
    Some(Ok((start, end)))
}

// ------------------------------------------------------------------ numbers and units

/// A unit written with a number, in the cell (`12 tỷ đồng`) or in its
/// column's header (`Vốn đăng ký (triệu USD)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// What the number is multiplied by (1 000 000 for `triệu`).
    pub scale: Decimal,
    /// ISO 4217 code when the unit names money.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `percent`, `people`, `count` or `ha` when the unit names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
}

const SCALES: &[(&str, u64)] = &[
    ("nghin ty", 1_000_000_000_000),
    ("ngan ty", 1_000_000_000_000),
    ("nghin", 1_000),
    ("ngan", 1_000),
    ("k", 1_000),
    ("thousand", 1_000),
    ("trieu", 1_000_000),
    ("tr", 1_000_000),
    ("million", 1_000_000),
    ("millions", 1_000_000),
    ("mil", 1_000_000),
    ("mln", 1_000_000),
    ("ty", 1_000_000_000),
    ("ti", 1_000_000_000),
    ("billion", 1_000_000_000),
    ("billions", 1_000_000_000),
    ("bn", 1_000_000_000),
];

/// Currency words, folded, longest first where one is a prefix of another.
const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("dong viet nam", "VND"),
    ("dong", "VND"),
    ("vnd", "VND"),
    ("d", "VND"),
    ("vn dong", "VND"),
    ("do la my", "USD"),
    ("do la", "USD"),
    ("dola", "USD"),
    ("usd", "USD"),
    ("us$", "USD"),
    ("us $", "USD"),
    ("$", "USD"),
    ("dollar", "USD"),
    ("dollars", "USD"),
    ("us dollars", "USD"),
    ("eur", "EUR"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("€", "EUR"),
    ("jpy", "JPY"),
    ("yen", "JPY"),
    ("yen nhat", "JPY"),
    ("¥", "JPY"),
    ("krw", "KRW"),
    ("won", "KRW"),
    ("won han quoc", "KRW"),
    ("cny", "CNY"),
    ("rmb", "CNY"),
    ("ndt", "CNY"),
    ("nhan dan te", "CNY"),
    ("yuan", "CNY"),
    ("aud", "AUD"),
    ("do la uc", "AUD"),
    ("gbp", "GBP"),
    ("bang anh", "GBP"),
    ("£", "GBP"),
    ("thb", "THB"),
    ("baht", "THB"),
    ("bat", "THB"),
    ("bat thai", "THB"),
    ("lak", "LAK"),
    ("kip", "LAK"),
    ("kip lao", "LAK"),
    ("khr", "KHR"),
    ("riel", "KHR"),
    ("sgd", "SGD"),
    ("do la singapore", "SGD"),
    ("twd", "TWD"),
    ("dai te", "TWD"),
    ("do la dai loan", "TWD"),
];

const MEASURE_WORDS: &[(&str, &str)] = &[
    ("%", "percent"),
    ("phan tram", "percent"),
    ("percent", "percent"),
    ("nguoi", "people"),
    ("luot nguoi", "people"),
    ("people", "people"),
    ("persons", "people"),
    ("ha", "ha"),
    ("hecta", "ha"),
    ("hec ta", "ha"),
    ("hectare", "ha"),
    ("hectares", "ha"),
    ("luot", "count"),
    ("so luong", "count"),
    ("cai", "count"),
];

static CURRENCY_MAP: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| CURRENCY_WORDS.iter().copied().collect());
static MEASURE_MAP: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| MEASURE_WORDS.iter().copied().collect());

/// A unit's words (`triệu USD`, `tỷ đồng`, `%`, `nghìn tỷ VNĐ`, `USD`);
/// `None` unless every word is understood.
pub fn parse_unit(text: &str) -> Option<Unit> {
    let n = norm(&text.replace('%', " % ").replace('$', " $ "));
    let n = n.replace("us $", "usd");
    if n.is_empty() {
        return None;
    }
    let mut rest = n.as_str();
    let mut scale = Decimal::ONE;
    let mut seen_scale = false;
    'outer: loop {
        for (w, s) in SCALES {
            if rest == *w || rest.starts_with(&format!("{w} ")) {
                scale *= Decimal::from(*s);
                seen_scale = true;
                rest = rest[w.len()..].trim_start();
                continue 'outer;
            }
        }
        break;
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return seen_scale.then_some(Unit {
            scale,
            currency: None,
            measure: None,
        });
    }
    if let Some(c) = CURRENCY_MAP.get(rest) {
        return Some(Unit {
            scale,
            currency: Some((*c).to_owned()),
            measure: None,
        });
    }
    if let Some(m) = MEASURE_MAP.get(rest) {
        return Some(Unit {
            scale,
            currency: None,
            measure: Some((*m).to_owned()),
        });
    }
    // A currency code in capitals that core knows ("SGD").
    let up = rest.to_ascii_uppercase();
    if ngoaivu_core::values::CURRENCIES.contains(&up.as_str()) {
        return Some(Unit {
            scale,
            currency: Some(up),
            measure: None,
        });
    }
    None
}

fn bad_number(text: &str) -> ValueError {
    ValueError::new(
        format!("“{text}” không phải số"),
        format!("“{text}” is not a number"),
    )
}

/// The digits of a number with `.`/`,` as typed, to a decimal. A single
/// separator followed by exactly three digits groups thousands (`1.234`,
/// `3,500`); otherwise it is the decimal mark (`3,5`, `0.125`); with both,
/// the last one is the decimal mark (`1.234,5`, `1,234.5`).
fn parse_digits(s: &str, orig: &str) -> Result<Decimal, ValueError> {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_'))
        .collect();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_owned()),
        None => (false, s.strip_prefix('+').unwrap_or(&s).to_owned()),
    };
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(bad_number(orig));
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let plain: String = match (dots, commas) {
        (0, 0) => s.clone(),
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let parts: Vec<&str> = s.split(sep).collect();
            if parts.len() > 2 {
                if parts[1..].iter().any(|p| p.len() != 3) || parts[0].is_empty() {
                    return Err(bad_number(orig));
                }
                parts.concat()
            } else if parts[1].len() == 3 && !parts[0].is_empty() && parts[0] != "0" {
                parts.concat()
            } else {
                format!(
                    "{}.{}",
                    if parts[0].is_empty() { "0" } else { parts[0] },
                    parts[1]
                )
            }
        }
        _ => {
            let last_dot = s.rfind('.').unwrap_or(0);
            let last_comma = s.rfind(',').unwrap_or(0);
            let (dec, thou) = if last_dot > last_comma {
                ('.', ',')
            } else {
                (',', '.')
            };
            if s.matches(dec).count() > 1 {
                return Err(bad_number(orig));
            }
            s.replace(thou, "").replace(dec, ".")
        }
    };
    let d = Decimal::from_str(&plain).map_err(|_| bad_number(orig))?;
    Ok(if neg { -d } else { d })
}

/// A number with an optional unit after it (or a currency sign before):
/// `1.234,5`, `1,234.5`, `12 tỷ đồng`, `3,5 triệu USD`, `$3.5 million`,
/// `45%`. The unit's scale is *not* applied: see [`Unit::scale`].
pub fn parse_number(text: &str) -> Result<(Decimal, Option<Unit>), ValueError> {
    let t = text.trim();
    let (prefix_cur, body) = if let Some(r) = t.strip_prefix("US$") {
        (Some("USD"), r)
    } else if let Some(r) = t.strip_prefix('$') {
        (Some("USD"), r)
    } else if let Some(r) = t.strip_prefix('€') {
        (Some("EUR"), r)
    } else if let Some(r) = t.strip_prefix('£') {
        (Some("GBP"), r)
    } else if let Some(r) = t.strip_prefix('¥') {
        (Some("JPY"), r)
    } else {
        (None, t)
    };
    let body = body.trim_start();
    // The numeric part: digits, marks and spaces between digits.
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut end = 0;
    for (i, &(pos, c)) in chars.iter().enumerate() {
        let next_digit = chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        let ok = c.is_ascii_digit()
            || ((c == '-' || c == '+') && pos == 0)
            || ((c == '.' || c == ',') && next_digit)
            || (matches!(c, ' ' | '\u{a0}' | '\u{202f}') && next_digit && end > 0);
        if !ok {
            break;
        }
        end = pos + c.len_utf8();
    }
    let (num, rest) = body.split_at(end);
    if num.is_empty() {
        return Err(bad_number(t));
    }
    let value = parse_digits(num, t)?;
    let rest = rest.trim();
    let mut unit = if rest.is_empty() {
        None
    } else {
        Some(parse_unit(rest).ok_or_else(|| bad_number(t))?)
    };
    if let Some(c) = prefix_cur {
        match &mut unit {
            Some(u) if u.currency.is_none() => u.currency = Some(c.to_owned()),
            Some(_) => return Err(bad_number(t)),
            None => {
                unit = Some(Unit {
                    scale: Decimal::ONE,
                    currency: Some(c.to_owned()),
                    measure: None,
                });
            }
        }
    }
    Ok((value, unit))
}

/// An f64 from a cell as the decimal it prints as (`0.1`, not
/// `0.1000000000000000055…`).
pub fn f64_to_decimal(n: f64) -> Option<Decimal> {
    if !n.is_finite() {
        return None;
    }
    let s = format!("{n}");
    Decimal::from_str(&s)
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{n:e}")).ok())
}

/// A number cell: a Number as is, Text through [`parse_number`].
pub fn parse_number_cell(cell: &Cell) -> Result<(Decimal, Option<Unit>), ValueError> {
    match cell {
        Cell::Number(n) => f64_to_decimal(*n)
            .map(|d| (d, None))
            .ok_or_else(|| bad_number(&cell.text())),
        Cell::Text(t) => parse_number(t),
        _ => Err(bad_number(&cell.text())),
    }
}

/// A whole number (`12`, `12 người`, `1.200`).
pub fn parse_integer_cell(cell: &Cell) -> Result<i64, ValueError> {
    let text = cell.text();
    let not_whole = || {
        ValueError::new(
            format!("“{text}” không phải số nguyên"),
            format!("“{text}” is not a whole number"),
        )
    };
    let d = match cell {
        Cell::Text(t) => {
            // A counting word after the number is allowed ("12 người").
            let t = t.trim();
            let cut = t.find(|c: char| c.is_alphabetic()).unwrap_or(t.len());
            let (num, words) = t.split_at(cut);
            if !words.is_empty() && words.chars().any(|c| c.is_ascii_digit()) {
                return Err(not_whole());
            }
            parse_digits(num.trim(), t).map_err(|_| not_whole())?
        }
        c => parse_number_cell(c).map_err(|_| not_whole())?.0,
    };
    if d.fract() != Decimal::ZERO {
        return Err(not_whole());
    }
    i64::try_from(d).map_err(|_| not_whole())
}

// ------------------------------------------------------------------ countries

static COUNTRY_INDEX: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for c in &refdata().countries {
        let code: &'static str = &c.alpha2;
        for name in std::iter::once(&c.name_vi)
            .chain(std::iter::once(&c.name_en))
            .chain(c.aliases.iter())
        {
            m.entry(norm(name)).or_insert(code);
        }
    }
    // Names people use that the reference list does not hold.
    for (name, code) in [
        ("my", "US"),
        ("usa", "US"),
        ("hoa ky my", "US"),
        ("uk", "GB"),
        ("anh quoc", "GB"),
        ("han", "KR"),
        ("korea", "KR"),
        ("nhat", "JP"),
        ("trung quoc", "CN"),
        ("uc", "AU"),
        ("australia", "AU"),
        ("duc", "DE"),
        ("phap", "FR"),
        ("nga", "RU"),
        ("lao", "LA"),
        ("cam pu chia", "KH"),
        ("cambodia", "KH"),
        ("thai lan", "TH"),
        ("singapo", "SG"),
        ("xingapo", "SG"),
        ("dai loan trung quoc", "TW"),
        ("ha lan", "NL"),
        ("netherlands", "NL"),
        ("holland", "NL"),
        ("new zealand", "NZ"),
        ("niu di lan", "NZ"),
        ("an do", "IN"),
        ("hong kong", "HK"),
        ("hong kong trung quoc", "HK"),
        ("ca na da", "CA"),
        ("canada", "CA"),
    ] {
        if refdata().country(code).is_some() {
            m.entry(name.to_owned()).or_insert(code);
        }
    }
    m
});

fn unknown_country(text: &str) -> ValueError {
    ValueError::new(
        format!(
            "không nhận ra quốc gia “{text}” (ghi tên tiếng Việt, tên tiếng Anh hoặc mã ISO như KR)"
        ),
        format!(
            "unknown country “{text}” (write its Vietnamese or English name or ISO code such as KR)"
        ),
    )
}

/// A country by name or code: `KR` in capitals is a code first (so `MY`
/// is Malaysia), any other text a name first (so `Mỹ`, `My` are the US).
fn find_country(text: &str) -> Option<String> {
    let t = text.trim();
    let code = || {
        (t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| {
                refdata()
                    .country(&t.to_ascii_uppercase())
                    .map(|c| c.alpha2.clone())
            })
            .flatten()
    };
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_uppercase()) {
        return code();
    }
    COUNTRY_INDEX
        .get(&norm(t))
        .map(|c| (*c).to_owned())
        .or_else(code)
}

/// One country by Vietnamese or English name, alias or ISO code → alpha-2.
pub fn parse_country(text: &str) -> Result<String, ValueError> {
    find_country(text).ok_or_else(|| unknown_country(text.trim()))
}

/// Split a list cell (`Lào, Campuchia`; `;` and line breaks too) and find
/// each item with `find`, joining neighbouring pieces when a name itself
/// holds a comma (`Hàn Quốc, Lào` vs `Korea, Republic of`).
fn parse_list<T>(
    text: &str,
    find: impl Fn(&str) -> Option<T>,
    unknown: impl Fn(&str) -> ValueError,
) -> Result<Vec<T>, ValueError> {
    let pieces: Vec<&str> = text
        .split([',', ';', '\n', '\r', '/', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    'next: while i < pieces.len() {
        for len in (1..=(pieces.len() - i).min(4)).rev() {
            let joined = pieces[i..i + len].join(", ");
            if let Some(v) = find(&joined) {
                out.push(v);
                i += len;
                continue 'next;
            }
        }
        return Err(unknown(pieces[i]));
    }
    Ok(out)
}

/// Several countries in one cell → alpha-2 codes, without repeats. `và`,
/// `and` and `&` separate too, unless they are part of a name ("Antigua
/// và Barbuda").
pub fn parse_countries(text: &str) -> Result<Vec<String>, ValueError> {
    let list = parse_list(text, find_country, unknown_country).or_else(|e| {
        let spaced = format!(" {text} ");
        let split = spaced
            .replace(" và ", ",")
            .replace(" and ", ",")
            .replace(" & ", ",");
        if split == spaced {
            return Err(e);
        }
        parse_list(&split, find_country, unknown_country).map_err(|_| e)
    })?;
    let mut out: Vec<String> = Vec::new();
    for c in list {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

// ------------------------------------------------------------------ choices

/// A folded lookup of a choice list: code, labels and synonyms.
pub struct ChoiceIndex {
    exact: HashMap<String, &'static str>,
    /// For containment ("Đã ký kết" contains "đã ký"), longest first.
    terms: Vec<(String, &'static str)>,
}

impl ChoiceIndex {
    pub fn new(choices: &'static [Choice]) -> Self {
        let mut exact = HashMap::new();
        let mut terms = Vec::new();
        for c in choices {
            for t in [c.code, c.vi, c.en].iter().chain(c.synonyms.iter()) {
                let n = norm(t);
                if n.is_empty() {
                    continue;
                }
                exact.entry(n.clone()).or_insert(c.code);
                terms.push((n, c.code));
            }
            exact.entry(c.code.replace('_', " ")).or_insert(c.code);
        }
        terms.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        ChoiceIndex { exact, terms }
    }

    /// The code for `text` when it is exactly a code, label or synonym
    /// (folded).
    pub fn find_exact(&self, text: &str) -> Option<&'static str> {
        self.exact.get(&norm(text)).copied()
    }

    /// The code for `text`: an exact match of code, label or synonym, else
    /// the one choice whose longest term the text contains as whole words.
    pub fn find(&self, text: &str) -> Option<&'static str> {
        let n = norm(text);
        if n.is_empty() {
            return None;
        }
        if let Some(c) = self.exact.get(&n) {
            return Some(c);
        }
        let padded = format!(" {n} ");
        let mut found: Option<(usize, &'static str)> = None;
        for (t, code) in &self.terms {
            if t.len() < 3 {
                continue;
            }
            if padded.contains(&format!(" {t} ")) {
                match found {
                    None => found = Some((t.len(), code)),
                    Some((len, c)) if len == t.len() && c != *code => return None,
                    _ => {}
                }
            }
        }
        found.map(|(_, c)| c)
    }
}

fn unknown_choice(text: &str, choices: &[Choice]) -> ValueError {
    let vi: Vec<&str> = choices.iter().map(|c| c.vi).take(12).collect();
    let en: Vec<&str> = choices.iter().map(|c| c.en).take(12).collect();
    ValueError::new(
        format!("“{}” không phải một trong: {}", text.trim(), vi.join("; ")),
        format!("“{}” is not one of: {}", text.trim(), en.join("; ")),
    )
}

/// A coded value by code, Vietnamese or English label or synonym
/// (`Đã ký` → `signed`, `Đoàn ra` → `outbound`).
pub fn parse_choice(text: &str, choices: &'static [Choice]) -> Result<&'static str, ValueError> {
    ChoiceIndex::new(choices)
        .find(text)
        .ok_or_else(|| unknown_choice(text, choices))
}

pub(crate) fn parse_choice_with(
    text: &str,
    index: &ChoiceIndex,
    choices: &[Choice],
) -> Result<&'static str, ValueError> {
    index
        .find(text)
        .ok_or_else(|| unknown_choice(text, choices))
}

/// Several coded values in one cell (sectors), without repeats.
pub(crate) fn parse_choices_with(
    text: &str,
    index: &ChoiceIndex,
    choices: &[Choice],
) -> Result<Vec<&'static str>, ValueError> {
    let list = parse_list(
        text,
        |p| index.exact.get(&norm(p)).copied(),
        |p| unknown_choice(p, choices),
    )
    .or_else(|e| {
        // One value written with other words ("Nông nghiệp công nghệ cao").
        index.find(text).map(|c| vec![c]).ok_or(e)
    })?;
    let mut out = Vec::new();
    for c in list {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

// ------------------------------------------------------------------ yes/no, periods

/// `x`, `có`, `yes`, `✓`, `1`, `đồng ý` → true; `không`, `no`, `0`, `-` → false.
pub fn parse_bool_cell(cell: &Cell) -> Result<bool, ValueError> {
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Number(n) if *n == 1.0 => Ok(true),
        Cell::Number(n) if *n == 0.0 => Ok(false),
        Cell::Empty => Ok(false),
        c => {
            let t = c.text();
            let n = norm(&t);
            match n.as_str() {
                "x" | "co" | "yes" | "y" | "true" | "dung" | "1" | "dong y" | "da dong y"
                | "roi" | "ok" | "v" => Ok(true),
                "" if t.contains(['✓', '✔', '☑', '✗']) => Ok(!t.contains('✗')),
                "khong" | "no" | "n" | "false" | "sai" | "0" | "chua" | "khong dong y" => Ok(false),
                "" if t.trim() == "-" => Ok(false),
                _ => Err(ValueError::new(
                    format!("“{t}” không phải có/không (ghi “có”, “x” hoặc để trống)"),
                    format!("“{t}” is not yes/no (write “yes”, “x” or leave it blank)"),
                )),
            }
        }
    }
}

/// A reporting period: `2019`, `năm 2019`, `2016–2020`, `giai đoạn
/// 2016-2020`, `đến 2020`/`tính đến năm 2020`/`as of 2020`, `từ 2015`/`since 2015`.
pub fn parse_period_cell(cell: &Cell) -> Result<Period, ValueError> {
    let text = cell.text();
    let bad = || {
        ValueError::new(
            format!(
                "“{text}” không phải kỳ số liệu (ví dụ 2019, 2016-2020, đến năm 2020, từ năm 2015)"
            ),
            format!("“{text}” is not a period (e.g. 2019, 2016-2020, as of 2020, since 2015)"),
        )
    };
    let n = norm(&text);
    let years: Vec<i32> = n
        .split(' ')
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1000..=9999).contains(y))
        .collect();
    let words: Vec<&str> = n.split(' ').filter(|w| w.parse::<i32>().is_err()).collect();
    let has = |w: &str| words.contains(&w);
    match years.as_slice() {
        [y] if has("den") || has("as") || has("luy") || has("tinh") && has("den") => Ok(Period {
            as_of: Some(*y),
            ..Period::default()
        }),
        [y] if has("tu") || has("since") => Ok(Period {
            since: Some(*y),
            ..Period::default()
        }),
        [y] if words.iter().all(|w| matches!(*w, "nam" | "year")) => Ok(Period {
            year: Some(*y),
            ..Period::default()
        }),
        [a, b]
            if words.iter().all(|w| {
                matches!(
                    *w,
                    "giai" | "doan" | "nam" | "tu" | "den" | "period" | "to" | "from"
                )
            }) =>
        {
            Ok(Period {
                from: Some(*a),
                to: Some(*b),
                ..Period::default()
            })
        }
        _ => Err(bad()),
    }
}

/// A period as the export writes it (and [`parse_period_cell`] reads back).
pub fn format_period(p: &Period, lang: ngoaivu_core::Lang) -> String {
    let vi = lang == ngoaivu_core::Lang::Vi;
    match (p.year, p.from, p.to, p.as_of, p.since) {
        (Some(y), ..) => y.to_string(),
        (_, Some(f), Some(t), ..) => format!("{f}-{t}"),
        (.., Some(a), _) => {
            if vi {
                format!("đến năm {a}")
            } else {
                format!("as of {a}")
            }
        }
        (.., Some(s)) => {
            if vi {
                format!("từ năm {s}")
            } else {
                format!("since {s}")
            }
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn serials() {
        for (serial, d) in [
            (43539.0, date!(2019 - 03 - 15)),
            (1.0, date!(1900 - 01 - 01)),
            (59.0, date!(1900 - 02 - 28)),
            (61.0, date!(1900 - 03 - 01)),
            (45658.75, date!(2025 - 01 - 01)),
        ] {
            assert_eq!(serial_to_date(serial), Some(d), "{serial}");
            assert_eq!(date_to_serial(d), serial.floor() as i64);
        }
        assert_eq!(serial_to_date(60.0), None);
    }

    #[test]
    fn dates_as_typed() {
        use Precision::*;
        for (text, first, last, prec) in [
            (
                "15/03/2019",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 15),
                Day,
            ),
            ("5/3/19", date!(2019 - 03 - 05), date!(2019 - 03 - 05), Day),
            (
                "15-3-2019",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 15),
                Day,
            ),
            (
                "15.03.2019",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 15),
                Day,
            ),
            (
                "2019-03-15",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 15),
                Day,
            ),
            (
                "15/03/2019 10:30:00",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 15),
                Day,
            ),
            (
                "ngày 15 tháng 3 năm 2019",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 15),
                Day,
            ),
            (
                "tháng 3/2019",
                date!(2019 - 03 - 01),
                date!(2019 - 03 - 31),
                Month,
            ),
            (
                "Tháng 2 năm 2020",
                date!(2020 - 02 - 01),
                date!(2020 - 02 - 29),
                Month,
            ),
            (
                "03/2019",
                date!(2019 - 03 - 01),
                date!(2019 - 03 - 31),
                Month,
            ),
            (
                "Quý II/2020",
                date!(2020 - 04 - 01),
                date!(2020 - 06 - 30),
                Quarter,
            ),
            (
                "quý 4 năm 2019",
                date!(2019 - 10 - 01),
                date!(2019 - 12 - 31),
                Quarter,
            ),
            (
                "Q3 2021",
                date!(2021 - 07 - 01),
                date!(2021 - 09 - 30),
                Quarter,
            ),
            ("2019", date!(2019 - 01 - 01), date!(2019 - 12 - 31), Year),
            (
                "năm 2019",
                date!(2019 - 01 - 01),
                date!(2019 - 12 - 31),
                Year,
            ),
            (
                "March 2019",
                date!(2019 - 03 - 01),
                date!(2019 - 03 - 31),
                Month,
            ),
            (
                "15 March 2019",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 15),
                Day,
            ),
        ] {
            let v = parse_date(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (v.first, v.last, v.precision),
                (first, last, prec),
                "{text}"
            );
        }
    }

    #[test]
    fn impossible_dates_are_named() {
        let e = parse_date("31/02/2019").unwrap_err();
        assert_eq!(e.vi, "ngày 31/02/2019 không tồn tại");
        for text in [
            "03/15/2019",
            "hôm qua",
            "15/03",
            "32/1/2019",
            "Quý V/2020",
            "",
        ] {
            assert!(parse_date(text).is_err(), "{text}");
        }
    }

    #[test]
    fn date_cells() {
        assert_eq!(
            parse_date_cell(&Cell::Date(43539.0)).unwrap().first,
            date!(2019 - 03 - 15)
        );
        assert_eq!(
            parse_date_cell(&Cell::Number(43539.0)).unwrap().first,
            date!(2019 - 03 - 15)
        );
        assert_eq!(
            parse_date_cell(&Cell::Number(2019.0)).unwrap().precision,
            Precision::Year
        );
        assert!(parse_date_cell(&Cell::Bool(true)).is_err());
    }

    #[test]
    fn date_ranges() {
        for (text, a, b) in [
            (
                "15/3/2019 - 20/3/2019",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 20),
            ),
            (
                "15/3 - 20/3/2019",
                date!(2019 - 03 - 15),
                date!(2019 - 03 - 20),
            ),
            ("15-20/3/2019", date!(2019 - 03 - 15), date!(2019 - 03 - 20)),
            (
                "từ 28/12/2019 đến 3/1/2020",
                date!(2019 - 12 - 28),
                date!(2020 - 01 - 03),
            ),
        ] {
            let (s, e) = parse_date_range(text).unwrap().unwrap();
            assert_eq!((s.first, e.last), (a, b), "{text}");
        }
        assert!(parse_date_range("15/03/2019").is_none());
        assert!(parse_date_range("İİİ - x").is_some_and(|r| r.is_err()));
        assert!(parse_date_range("2019-03-15").is_none());
        assert!(parse_date_range("20/3/2019 - 15/3/2019").unwrap().is_err());
    }

    #[test]
    fn numbers_as_typed() {
        for (text, want, scale, cur) in [
            ("1.234,5", "1234.5", "1", None),
            ("1,234.5", "1234.5", "1", None),
            ("1.234", "1234", "1", None),
            ("3,500", "3500", "1", None),
            ("3,5", "3.5", "1", None),
            ("0,125", "0.125", "1", None),
            ("0.125", "0.125", "1", None),
            ("1.234.567", "1234567", "1", None),
            ("1 234 567", "1234567", "1", None),
            ("12", "12", "1", None),
            ("12 tỷ đồng", "12", "1000000000", Some("VND")),
            ("3,5 triệu USD", "3.5", "1000000", Some("USD")),
            ("$3.5 million", "3.5", "1000000", Some("USD")),
            ("500 triệu", "500", "1000000", None),
            ("2,5 nghìn tỷ đồng", "2.5", "1000000000000", Some("VND")),
            ("100.000 VNĐ", "100000", "1", Some("VND")),
            ("1.200.000đ", "1200000", "1", Some("VND")),
            ("20.000 EUR", "20000", "1", Some("EUR")),
            ("45%", "45", "1", None),
        ] {
            let (v, unit) = parse_number(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(v, dec(want), "{text}");
            let unit = unit.unwrap_or(Unit {
                scale: Decimal::ONE,
                currency: None,
                measure: None,
            });
            assert_eq!(unit.scale, dec(scale), "{text}");
            assert_eq!(unit.currency.as_deref(), cur, "{text}");
        }
        for text in ["abc", "12 quả táo", "1,2,3", "1.23.4", "", "1.234,5,6"] {
            assert!(parse_number(text).is_err(), "{text}");
        }
    }

    #[test]
    fn units_in_headers() {
        for (text, scale, cur, measure) in [
            ("triệu USD", "1000000", Some("USD"), None),
            ("tỷ đồng", "1000000000", Some("VND"), None),
            ("Triệu đồng", "1000000", Some("VND"), None),
            ("USD", "1", Some("USD"), None),
            ("%", "1", None, Some("percent")),
            ("ha", "1", None, Some("ha")),
            ("người", "1", None, Some("people")),
            ("nghìn USD", "1000", Some("USD"), None),
            ("million USD", "1000000", Some("USD"), None),
        ] {
            let u = parse_unit(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(u.scale, dec(scale), "{text}");
            assert_eq!(u.currency.as_deref(), cur, "{text}");
            assert_eq!(u.measure.as_deref(), measure, "{text}");
        }
        for text in ["kinh phí", "đối tác", "2019", ""] {
            assert!(parse_unit(text).is_none(), "{text}");
        }
    }

    #[test]
    fn integers() {
        for (cell, want) in [
            (Cell::Number(12.0), 12),
            (Cell::Text("12 người".into()), 12),
            (Cell::Text("1.200".into()), 1200),
        ] {
            assert_eq!(parse_integer_cell(&cell).unwrap(), want);
        }
        for cell in [
            Cell::Number(1.5),
            Cell::Text("mười".into()),
            Cell::Text("3,5".into()),
        ] {
            assert!(parse_integer_cell(&cell).is_err(), "{cell:?}");
        }
    }

    #[test]
    fn countries() {
        for (text, code) in [
            ("Hàn Quốc", "KR"),
            ("han quoc", "KR"),
            ("Korea", "KR"),
            ("South Korea", "KR"),
            ("KR", "KR"),
            ("kr", "KR"),
            ("Hoa Kỳ", "US"),
            ("Mỹ", "US"),
            ("Nhật Bản", "JP"),
            ("Japan", "JP"),
            ("Lào", "LA"),
            ("CHDCND Lào", "LA"),
        ] {
            match parse_country(text) {
                Ok(c) => assert_eq!(c, code, "{text}"),
                Err(e) if text == "CHDCND Lào" => {
                    let _ = e;
                }
                Err(e) => panic!("{text}: {e}"),
            }
        }
        assert!(
            parse_country("Atlantis")
                .unwrap_err()
                .vi
                .contains("Atlantis")
        );
        assert_eq!(parse_countries("Lào, Campuchia").unwrap(), vec!["LA", "KH"]);
        assert_eq!(
            parse_countries("Hàn Quốc; Nhật Bản\nLào").unwrap(),
            vec!["KR", "JP", "LA"]
        );
        assert_eq!(
            parse_countries("Korea, Republic of, Japan").unwrap(),
            vec!["KR", "JP"]
        );
        assert_eq!(parse_countries("Lào, Lào").unwrap(), vec!["LA"]);
        assert_eq!(
            parse_countries("Hàn Quốc và Nhật Bản").unwrap(),
            vec!["KR", "JP"]
        );
        assert_eq!(parse_countries("Antigua và Barbuda").unwrap(), vec!["AG"]);
        assert!(parse_countries("Lào, Atlantis").is_err());
    }

    #[test]
    fn choices() {
        use crate::columns::{AGREEMENT_KIND, AGREEMENT_STATUS, DIRECTION, PROJECT_STATUS};
        for (text, list, want) in [
            ("Đã ký", AGREEMENT_STATUS, "signed"),
            ("đã ký kết", AGREEMENT_STATUS, "signed"),
            ("signed", AGREEMENT_STATUS, "signed"),
            ("in_force", AGREEMENT_STATUS, "in_force"),
            ("Còn hiệu lực", AGREEMENT_STATUS, "in_force"),
            ("Đang thực hiện", PROJECT_STATUS, "active"),
            ("Biên bản ghi nhớ", AGREEMENT_KIND, "mou"),
            ("MOU", AGREEMENT_KIND, "mou"),
            ("Đoàn ra", DIRECTION, "outbound"),
            ("đoàn vào", DIRECTION, "inbound"),
        ] {
            assert_eq!(
                parse_choice(text, list).unwrap_or_else(|e| panic!("{text}: {e}")),
                want,
                "{text}"
            );
        }
        assert!(parse_choice("Không rõ", AGREEMENT_STATUS).is_err());
    }

    #[test]
    fn booleans() {
        for (cell, want) in [
            (Cell::Text("x".into()), true),
            (Cell::Text("Có".into()), true),
            (Cell::Text("yes".into()), true),
            (Cell::Text("✓".into()), true),
            (Cell::Bool(true), true),
            (Cell::Number(1.0), true),
            (Cell::Text("không".into()), false),
            (Cell::Text("No".into()), false),
            (Cell::Empty, false),
            (Cell::Text("-".into()), false),
        ] {
            assert_eq!(parse_bool_cell(&cell).unwrap(), want, "{cell:?}");
        }
        assert!(parse_bool_cell(&Cell::Text("có lẽ".into())).is_err());
    }

    #[test]
    fn periods() {
        let p = |y: Option<i32>, f: Option<i32>, t: Option<i32>, a: Option<i32>, s: Option<i32>| {
            Period {
                year: y,
                from: f,
                to: t,
                as_of: a,
                since: s,
            }
        };
        for (text, want) in [
            ("2019", p(Some(2019), None, None, None, None)),
            ("năm 2019", p(Some(2019), None, None, None, None)),
            ("2016-2020", p(None, Some(2016), Some(2020), None, None)),
            (
                "giai đoạn 2016–2020",
                p(None, Some(2016), Some(2020), None, None),
            ),
            ("đến năm 2020", p(None, None, None, Some(2020), None)),
            ("tính đến 2020", p(None, None, None, Some(2020), None)),
            ("as of 2020", p(None, None, None, Some(2020), None)),
            ("từ năm 2015", p(None, None, None, None, Some(2015))),
            ("since 2015", p(None, None, None, None, Some(2015))),
        ] {
            assert_eq!(
                parse_period_cell(&Cell::Text(text.into())).unwrap(),
                want,
                "{text}"
            );
            for lang in [ngoaivu_core::Lang::Vi, ngoaivu_core::Lang::En] {
                let back = parse_period_cell(&Cell::Text(format_period(&want, lang))).unwrap();
                assert_eq!(back, want);
            }
        }
        assert_eq!(
            parse_period_cell(&Cell::Number(2019.0)).unwrap().year,
            Some(2019)
        );
        assert!(parse_period_cell(&Cell::Text("sắp tới".into())).is_err());
    }
}
