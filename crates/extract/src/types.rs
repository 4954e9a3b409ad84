//! The output document of the report reader, exactly as
//! `shared/specs/narrative-facts.md` describes it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The facts read from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Facts {
    pub subject: Subject,
    #[serde(default)]
    pub observations: Vec<Observation>,
    #[serde(default)]
    pub partnerships: Vec<Partnership>,
    /// Figures the reader saw but could not attribute (no indicator, a
    /// region, part of a year, a plan …), for review; not part of the spec's
    /// scored output (the scorer ignores this key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unplaced: Vec<Unplaced>,
}

impl Facts {
    /// Indices of the observations, least confident first (the review
    /// screen's order).
    pub fn observations_by_confidence(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.observations.len()).collect();
        idx.sort_by(|&a, &b| {
            self.observations[a]
                .confidence
                .total_cmp(&self.observations[b].confidence)
                .then(a.cmp(&b))
        });
        idx
    }

    /// Indices of the partnerships, least confident first.
    pub fn partnerships_by_confidence(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.partnerships.len()).collect();
        idx.sort_by(|&a, &b| {
            self.partnerships[a]
                .confidence
                .total_cmp(&self.partnerships[b].confidence)
                .then(a.cmp(&b))
        });
        idx
    }
}

/// Why the reader decided what it did, in Vietnamese and English (short,
/// for the review screen: "địa danh ở đây là nơi họp, không phải chủ thể số
/// liệu?").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Why {
    pub vi: String,
    pub en: String,
}

impl Why {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Why {
        Why {
            vi: vi.into(),
            en: en.into(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.vi.is_empty() && self.en.is_empty()
    }
    /// The text in Vietnamese (`vi = true`) or English.
    pub fn text(&self, vi: bool) -> &str {
        if vi { &self.vi } else { &self.en }
    }
}

/// The English text (logs and the command line).
impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

fn one() -> f64 {
    1.0
}

fn is_one(v: &f64) -> bool {
    *v == 1.0
}

/// A figure seen but not attributed: its value and unit, what the reader
/// could tell, and why it was left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unplaced {
    #[serde(serialize_with = "ser_number")]
    pub value: f64,
    pub unit: Unit,
    /// The indicator, when the reader could tell it.
    #[serde(default)]
    pub indicator: Option<Indicator>,
    /// A short code: `no_indicator`, `no_locality`, `part_of_year`, `plan`,
    /// `part_of_whole`, `restatement`, `average`, `threshold`, `change`, `left_out`.
    pub reason: String,
    #[serde(default)]
    pub why: Why,
    #[serde(default)]
    pub span: [usize; 2],
    /// The page (1-based) of a PDF input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// The locality the text is mainly about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub name: String,
    pub level: Level,
}

impl Default for Subject {
    fn default() -> Self {
        Subject {
            name: NATIONAL.to_string(),
            level: Level::National,
        }
    }
}

/// The name used for national figures.
pub const NATIONAL: &str = "Việt Nam";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    National,
}

/// One reported figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub indicator: Indicator,
    pub locality: String,
    pub period: Period,
    #[serde(serialize_with = "ser_number")]
    pub value: f64,
    pub unit: Unit,
    pub qualifier: Qualifier,
    #[serde(default, serialize_with = "ser_opt_number")]
    pub change_pct: Option<f64>,
    #[serde(default)]
    pub span: [usize; 2],
    /// How sure the reader is (0–1); 1 when read from a file without it.
    /// Not scored.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub confidence: f64,
    /// The words that decided it and what is doubtful. Not scored.
    #[serde(default, skip_serializing_if = "Why::is_empty")]
    pub why: Why,
    /// The page (1-based) of a PDF input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// One relation with a foreign partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partnership {
    pub locality: String,
    pub partner: String,
    #[serde(default)]
    pub partner_country: Option<String>,
    pub kind: PartnershipKind,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub span: [usize; 2],
    /// How sure the reader is (0–1). Not scored.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub confidence: f64,
    /// The words that decided it. Not scored.
    #[serde(default, skip_serializing_if = "Why::is_empty")]
    pub why: Why,
    /// The page (1-based) of a PDF input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnershipKind {
    /// A signed cooperation agreement or MoU.
    Agreement,
    /// Kết nghĩa.
    Twinning,
    /// A relation named without a signed document.
    Cooperation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "VND")]
    Vnd,
    #[serde(rename = "count")]
    Count,
    #[serde(rename = "percent")]
    Percent,
    #[serde(rename = "people")]
    People,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    Over,
    Under,
    About,
}

macro_rules! indicators {
    ($( $variant:ident = $code:literal ),* $(,)?) => {
        /// The indicator vocabulary of the spec.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Indicator {
            $( #[serde(rename = $code)] $variant, )*
        }
        impl Indicator {
            /// Every indicator, in the spec's order.
            pub const ALL: &'static [Indicator] = &[ $( Indicator::$variant, )* ];
            /// The spec's code, e.g. `fdi.capital.registered`.
            pub fn code(self) -> &'static str {
                match self { $( Indicator::$variant => $code, )* }
            }
            /// The indicator with this code.
            pub fn from_code(code: &str) -> Option<Indicator> {
                match code { $( $code => Some(Indicator::$variant), )* _ => None }
            }
        }
    };
}

indicators! {
    AgreementsSigned = "agreements.signed",
    MousSigned = "mous.signed",
    DelegationsInbound = "delegations.inbound",
    DelegationsOutbound = "delegations.outbound",
    FdiProjects = "fdi.projects",
    FdiCapitalRegistered = "fdi.capital.registered",
    FdiSourceCountries = "fdi.source_countries",
    OdaProjects = "oda.projects",
    OdaCapital = "oda.capital",
    NgoAidPrograms = "ngo_aid.programs",
    NgoAidAmount = "ngo_aid.amount",
    TradeExport = "trade.export",
    TradeImport = "trade.import",
    Grdp = "grdp",
    InvestorsVisits = "investors.visits",
    AbtcApproved = "abtc.approved",
    OverseasVnPopulation = "overseas_vn.population",
    OverseasVnEnterprises = "overseas_vn.enterprises",
    Remittances = "remittances",
    BulletinsIssues = "bulletins.issues",
}

impl std::fmt::Display for Indicator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The period a figure covers. Serialised as exactly one of `{"year": 2016}`,
/// `{"from": 2012, "to": 2016}`, `{"as_of": 2022}` or `{"since": 2016}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    Range { from: i32, to: i32 },
    AsOf(i32),
    Since(i32),
}

impl Period {
    /// The last year the period reaches (for `since`, its start year: the end is the report's date).
    pub fn last_year(self) -> i32 {
        match self {
            Period::Year(y) | Period::AsOf(y) | Period::Since(y) => y,
            Period::Range { to, .. } => to,
        }
    }
}

#[derive(Serialize, Deserialize, Default)]
struct PeriodRepr {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    from: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    to: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    as_of: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    since: Option<i32>,
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut r = PeriodRepr::default();
        match *self {
            Period::Year(y) => r.year = Some(y),
            Period::Range { from, to } => {
                r.from = Some(from);
                r.to = Some(to);
            }
            Period::AsOf(y) => r.as_of = Some(y),
            Period::Since(y) => r.since = Some(y),
        }
        r.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = PeriodRepr::deserialize(d)?;
        match (r.year, r.from, r.to, r.as_of, r.since) {
            (Some(y), None, None, None, None) => Ok(Period::Year(y)),
            (None, Some(from), Some(to), None, None) => Ok(Period::Range { from, to }),
            (None, None, None, Some(y), None) => Ok(Period::AsOf(y)),
            (None, None, None, None, Some(y)) => Ok(Period::Since(y)),
            _ => Err(serde::de::Error::custom(
                "a period is exactly one of {year}, {from, to}, {as_of} or {since}",
            )),
        }
    }
}

/// Whole numbers are written without a fraction (`370340000`, not `370340000.0`).
fn ser_number<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

fn ser_opt_number<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => ser_number(v, s),
        None => s.serialize_none(),
    }
}
