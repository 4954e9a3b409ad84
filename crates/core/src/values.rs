//! Value types shared by the record bodies: dates, exact amounts, money,
//! sectors, periods.

use std::str::FromStr;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Invalid, Problem};

/// Parse an ISO date (`YYYY-MM-DD`), rejecting impossible ones (`2024-13-01`).
pub fn parse_date(s: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    if s.len() != 10 {
        return None;
    }
    time::Date::parse(s, fmt).ok()
}

pub fn format_date(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(fmt).unwrap_or_default()
}

/// `dd/mm/yyyy`, as Vietnamese documents write dates.
pub fn format_date_vi(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[day]/[month]/[year]");
    d.format(fmt).unwrap_or_default()
}

/// A calendar date. Its JSON form is ISO 8601 (`2024-05-10`), the only
/// form accepted; pages show it `dd/mm/yyyy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        parse_date(s).map(Date)
    }
    pub fn year(self) -> i32 {
        self.0.year()
    }
    /// `yyyy-mm-dd`.
    pub fn iso(self) -> String {
        format_date(self.0)
    }
}

impl From<time::Date> for Date {
    fn from(d: time::Date) -> Self {
        Date(d)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as Deserialize>::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("invalid date `{s}`: expected yyyy-mm-dd"))
        })
    }
}

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date"})
    }
}

/// The JSON Schema of an instant as the API writes one (`OffsetDateTime`,
/// RFC 3339), for fields that derive their schema.
pub struct Timestamp;

impl JsonSchema for Timestamp {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date-time"})
    }
}

/// Check an optional date field and return it parsed.
pub fn check_date(field: &str, value: &Option<String>, errs: &mut Invalid) -> Option<time::Date> {
    let v = value.as_deref()?;
    match parse_date(v) {
        Some(d) => Some(d),
        None => {
            errs.push(
                field,
                Problem::InvalidDate {
                    value: v.to_owned(),
                },
            );
            None
        }
    }
}

/// An exact decimal. Accepts a JSON string (`"370340000.50"`) or a JSON
/// number (read from its shortest decimal form, never through arithmetic on
/// a float); serialises as a string so that no client rounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Amount(pub Decimal);

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.normalize().to_string())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let text = match &v {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.trim().to_owned(),
            _ => return Err(serde::de::Error::custom("invalid type: expected a decimal")),
        };
        Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .map(Amount)
            .map_err(|_| serde::de::Error::custom("invalid type: expected a decimal"))
    }
}

impl JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact decimal, as a string (\"370340000.50\") or a JSON number; always returned as a string.",
            "type": ["string", "number"],
            "examples": ["370340000", "4019000000.5"]
        })
    }
}

pub const CURRENCIES: [&str; 13] = [
    "VND", "USD", "EUR", "JPY", "KRW", "CNY", "AUD", "GBP", "THB", "LAK", "KHR", "SGD", "TWD",
];

/// An amount with its currency. Amounts in different currencies are never
/// added together anywhere in ngoaivu.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount: Amount,
    /// ISO 4217 code.
    #[schemars(extend("enum" = ["VND", "USD", "EUR", "JPY", "KRW", "CNY", "AUD", "GBP", "THB", "LAK", "KHR", "SGD", "TWD"]))]
    pub currency: String,
}

impl Money {
    pub fn check(&self, field: &str, errs: &mut Invalid) {
        if self.amount.0.is_sign_negative() && !self.amount.0.is_zero() {
            errs.push(format!("{field}.amount"), Problem::Negative);
        }
        if !CURRENCIES.contains(&self.currency.as_str()) {
            errs.push(
                format!("{field}.currency"),
                Problem::OneOf {
                    allowed: CURRENCIES.join(", "),
                },
            );
        }
    }
}

/// The sectors of cooperation, as codes (labels in both languages for the
/// interface). Used for filters and, later, for matching partners.
pub const SECTORS: [(&str, &str, &str); 20] = [
    ("agriculture", "Nông nghiệp", "Agriculture"),
    ("aquaculture", "Thủy sản", "Fisheries and aquaculture"),
    (
        "industry",
        "Công nghiệp, chế biến",
        "Industry and processing",
    ),
    ("energy", "Năng lượng", "Energy"),
    (
        "infrastructure",
        "Hạ tầng, giao thông",
        "Infrastructure and transport",
    ),
    ("trade", "Thương mại", "Trade"),
    ("investment", "Đầu tư", "Investment"),
    ("tourism", "Du lịch", "Tourism"),
    ("education", "Giáo dục, đào tạo", "Education and training"),
    ("health", "Y tế", "Health"),
    ("culture", "Văn hóa, thể thao", "Culture and sport"),
    (
        "environment",
        "Môi trường, biến đổi khí hậu",
        "Environment and climate",
    ),
    ("water", "Nước, thủy lợi", "Water and irrigation"),
    (
        "technology",
        "Khoa học, công nghệ",
        "Science and technology",
    ),
    ("finance", "Tài chính, ngân hàng", "Finance and banking"),
    ("labour", "Lao động", "Labour"),
    ("social", "Xã hội, nhân đạo", "Social and humanitarian"),
    ("governance", "Quản lý nhà nước", "Public administration"),
    (
        "security",
        "Quốc phòng, an ninh, biên giới",
        "Defence, security and borders",
    ),
    ("other", "Lĩnh vực khác", "Other"),
];

pub fn check_sectors(field: &str, sectors: &[String], errs: &mut Invalid) {
    if sectors.len() > 20 {
        errs.push(field, Problem::TooMany { max: 20 });
    }
    for (i, s) in sectors.iter().enumerate() {
        if !SECTORS.iter().any(|(code, ..)| code == s) {
            errs.push(format!("{field}[{i}]"), not_a_sector());
        }
    }
}

/// The problem of a code that is no sector: the allowed ones named.
pub fn not_a_sector() -> Problem {
    Problem::OneOf {
        allowed: SECTORS
            .iter()
            .map(|(c, ..)| *c)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A reporting period: exactly one of a year, a range of years, a stock as of
/// a year, or an accumulation since a year.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<i32>,
}

impl Period {
    pub fn check(&self, field: &str, errs: &mut Invalid) {
        let forms = [
            self.year.is_some(),
            self.from.is_some() || self.to.is_some(),
            self.as_of.is_some(),
            self.since.is_some(),
        ];
        let count = forms.iter().filter(|f| **f).count();
        let bad = |errs: &mut Invalid| {
            errs.push(
                field,
                Problem::Invalid {
                    vi: "Kỳ phải là đúng một trong: {\"year\"}, {\"from\", \"to\"}, {\"as_of\"}, {\"since\"}.".into(),
                    en: "The period must be exactly one of {\"year\"}, {\"from\", \"to\"}, {\"as_of\"}, {\"since\"}.".into(),
                },
            );
        };
        if count != 1 {
            return bad(errs);
        }
        if (self.from.is_some() || self.to.is_some()) && (self.from.is_none() || self.to.is_none())
        {
            return bad(errs);
        }
        for y in [self.year, self.from, self.to, self.as_of, self.since]
            .into_iter()
            .flatten()
        {
            if !(1945..=2100).contains(&y) {
                errs.push(
                    field,
                    Problem::Invalid {
                        vi: format!("Năm {y} nằm ngoài khoảng 1945–2100."),
                        en: format!("Year {y} is outside 1945–2100."),
                    },
                );
                return;
            }
        }
        if let (Some(f), Some(t)) = (self.from, self.to)
            && t < f
        {
            errs.push(
                format!("{field}.to"),
                Problem::DateOrder {
                    earlier_field: "period.from",
                },
            );
        }
    }

    /// The year the period is filed under: the year, the end of a range, the
    /// year of a stock, the start of an accumulation.
    pub fn key_year(&self) -> Option<i32> {
        self.year.or(self.to).or(self.as_of).or(self.since)
    }

    pub fn label_vi(&self) -> String {
        match (self.year, self.from, self.to, self.as_of, self.since) {
            (Some(y), ..) => format!("năm {y}"),
            (_, Some(f), Some(t), ..) => format!("giai đoạn {f}–{t}"),
            (.., Some(a), _) => format!("đến năm {a}"),
            (.., Some(s)) => format!("từ năm {s}"),
            _ => String::new(),
        }
    }
}

pub fn check_len(field: &str, value: &str, max: usize, errs: &mut Invalid) {
    if value.chars().count() > max {
        errs.push(field, Problem::TooLong { max });
    }
}

pub fn check_required_text(field: &str, value: &str, max: usize, errs: &mut Invalid) {
    if value.trim().is_empty() {
        errs.push(field, Problem::Required);
    } else {
        check_len(field, value, max, errs);
    }
}

pub fn check_one_of(field: &str, value: &str, allowed: &[&str], errs: &mut Invalid) {
    if !allowed.contains(&value) {
        errs.push(
            field,
            Problem::OneOf {
                allowed: allowed.join(", "),
            },
        );
    }
}

/// Characters no record keeps, stripped from every text on the way in:
/// those XML 1.0 forbids (C0 controls but tab and line ends, U+FFFE, U+FFFF
/// and the other non-characters), which would make every XLSX, DOCX, IATI
/// file, calendar and feed written from the record unreadable, and the
/// bidirectional embeddings and overrides (U+202A–U+202E, U+2066–U+2069),
/// which make text display in another order than it is stored
/// ("invoice<U+202E>fdp.exe").
pub fn is_forbidden_char(c: char) -> bool {
    let n = c as u32;
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || (0xfdd0..=0xfdef).contains(&n)
        || n & 0xfffe == 0xfffe
}

/// `s` without the characters of `is_forbidden_char` (borrowed when it has none).
pub fn strip_forbidden(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_forbidden_char) {
        std::borrow::Cow::Owned(s.chars().filter(|c| !is_forbidden_char(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Every string of a JSON body, keys included, without forbidden characters.
pub fn strip_forbidden_json(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(clean) = strip_forbidden(s) {
                *s = clean;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_forbidden_json),
        Value::Object(o) => {
            if o.keys().any(|k| k.chars().any(is_forbidden_char)) {
                let old = std::mem::take(o);
                for (k, v) in old {
                    o.insert(strip_forbidden(&k).into_owned(), v);
                }
            }
            o.values_mut().for_each(strip_forbidden_json);
        }
        _ => {}
    }
}

#[cfg(test)]
mod forbidden_tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_stripped_and_vietnamese_kept() {
        assert_eq!(
            strip_forbidden("Xiêng\u{fffe} Khoảng\u{ffff}"),
            "Xiêng Khoảng"
        );
        assert_eq!(strip_forbidden("hóa đơn\u{202e}fdp.exe"), "hóa đơnfdp.exe");
        assert_eq!(strip_forbidden("a\u{0}b\u{1b}c\u{1fffe}d\u{fdd0}"), "abcd");
        assert_eq!(
            strip_forbidden("dòng 1\ndòng 2\tcột\r"),
            "dòng 1\ndòng 2\tcột\r"
        );
        assert!(matches!(
            strip_forbidden("Đà Nẵng"),
            std::borrow::Cow::Borrowed(_)
        ));
        let mut v = serde_json::json!({"name": "A\u{fffe}", "list": ["\u{202d}B"], "n": 1});
        strip_forbidden_json(&mut v);
        assert_eq!(v, serde_json::json!({"name": "A", "list": ["B"], "n": 1}));
    }
}
