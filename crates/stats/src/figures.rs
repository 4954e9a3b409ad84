//! The table of figures and how it is read: one cell per indicator, unit of
//! the time, period and unit of measure, holding what was reported and what
//! the records give. Readers ask for a set of units (one current unit is
//! itself plus the former units it absorbed), so the merger's roll-up is a
//! question of which units are asked for, not a second copy of the data.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ngoaivu_core::Lang;
use ngoaivu_core::values::Period;
use rust_decimal::Decimal;

/// The period a figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKey {
    /// A flow within a calendar year.
    Year(i32),
    /// A stock at the end of a year.
    AsOf(i32),
    /// A flow over the years from..=to.
    Range(i32, i32),
    /// A flow from a year until the report was written.
    Since(i32),
}

impl PeriodKey {
    pub fn from_period(p: &Period) -> Option<PeriodKey> {
        match (p.year, p.from, p.to, p.as_of, p.since) {
            (Some(y), ..) => Some(PeriodKey::Year(y)),
            (_, Some(f), Some(t), ..) => Some(PeriodKey::Range(f, t)),
            (.., Some(a), _) => Some(PeriodKey::AsOf(a)),
            (.., Some(s)) => Some(PeriodKey::Since(s)),
            _ => None,
        }
    }

    pub fn label(&self, lang: Lang) -> String {
        match (self, lang) {
            (PeriodKey::Year(y), Lang::Vi) => format!("năm {y}"),
            (PeriodKey::Year(y), Lang::En) => format!("{y}"),
            (PeriodKey::AsOf(y), Lang::Vi) => format!("đến năm {y}"),
            (PeriodKey::AsOf(y), Lang::En) => format!("as of {y}"),
            (PeriodKey::Range(a, b), Lang::Vi) => format!("giai đoạn {a}–{b}"),
            (PeriodKey::Range(a, b), Lang::En) => format!("{a}–{b}"),
            (PeriodKey::Since(y), Lang::Vi) => format!("từ năm {y}"),
            (PeriodKey::Since(y), Lang::En) => format!("since {y}"),
        }
    }
}

/// Where a cell is: indicator, unit of the time (slug, or `viet-nam` for a
/// national figure), period, unit of measure (`count`, `USD`, `VND` …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub indicator: String,
    pub locality: String,
    pub period: PeriodKey,
    pub unit: String,
}

/// A figure as an observation reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    /// The observation record.
    pub id: i64,
    pub value: Decimal,
    /// `exact`, `over` ("hơn"), `under`, `about` ("khoảng").
    pub qualifier: String,
    /// Growth stated with the figure, in percent.
    pub change_pct: Option<Decimal>,
    pub source_document: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Every observation of this key, oldest first; more than one with
    /// different values is a conflict the tables show.
    pub reported: Vec<Reported>,
    /// What the records give, if the indicator is derived.
    pub derived: Option<Decimal>,
}

impl Cell {
    /// The latest reported figure.
    pub fn latest_reported(&self) -> Option<&Reported> {
        self.reported.last()
    }
}

/// A figure read for a set of units: its reported and derived parts, each
/// summed over the units that have one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Value {
    pub reported: Option<Decimal>,
    /// `exact` only when every part is exact; otherwise the loosest.
    pub qualifier: String,
    /// The stated growth, when exactly one unit reported one.
    pub change_pct: Option<Decimal>,
    pub derived: Option<Decimal>,
    /// Units (of the time) that gave a reported part, in order.
    pub reported_by: Vec<String>,
    pub sources: Vec<String>,
}

impl Value {
    /// The figure to show: the reported one (an official statement) if
    /// there is one, otherwise the one the records give.
    pub fn best(&self) -> Option<Decimal> {
        self.reported.or(self.derived)
    }

    /// Reported and derived both exist and differ.
    pub fn differs(&self) -> bool {
        matches!((self.reported, self.derived), (Some(r), Some(d)) if r != d)
    }

    pub fn is_empty(&self) -> bool {
        self.reported.is_none() && self.derived.is_none()
    }
}

/// Where a tally is: which table (`conferences.by_kind`,
/// `consular.by_kind`, `consular.by_nationality`), the unit of the time,
/// the year, the row (a kind, a country code) and the column (an outcome,
/// or `count`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TallyKey {
    pub table: &'static str,
    pub locality: String,
    pub year: i32,
    pub row: String,
    pub col: String,
}

/// All the figures loaded for a request.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub cells: BTreeMap<Key, Cell>,
    /// Indicator code → may it be summed across units.
    pub summable: HashMap<String, bool>,
    /// FDI capital registered by investor country: (unit, year, country) →
    /// (projects, USD).
    pub fdi_by_country: BTreeMap<(String, i32, String), (i64, Decimal)>,
    /// Agreements (all kinds) signed by partner country: (unit, year,
    /// country) → count.
    pub agreements_by_country: BTreeMap<(String, i32, String), i64>,
    /// Records counted by two of their attributes, for the breakdown
    /// tables (a permit's kind and outcome, a consular case's kind, the
    /// person's nationality); see `TallyKey`.
    pub tallies: BTreeMap<TallyKey, i64>,
    /// The organisation (slug) each unit's records were filed under.
    pub units_seen: BTreeSet<String>,
    /// How long each query of the load took, and how many groups it gave:
    /// for logs and the benchmark (`ngoaivu report --timings`).
    pub timings: Vec<(String, std::time::Duration, usize)>,
}

impl Figures {
    pub fn cell_mut(&mut self, key: Key) -> &mut Cell {
        self.units_seen.insert(key.locality.clone());
        self.cells.entry(key).or_default()
    }

    /// A breakdown table for the units `units` over the years
    /// `from..=to`: (row, column) → count, summed over units and years.
    pub fn tally(
        &self,
        table: &str,
        units: &[String],
        from: i32,
        to: i32,
    ) -> BTreeMap<(String, String), i64> {
        let mut out = BTreeMap::new();
        for (k, n) in &self.tallies {
            if k.table == table && (from..=to).contains(&k.year) && units.contains(&k.locality) {
                *out.entry((k.row.clone(), k.col.clone())).or_default() += n;
            }
        }
        out
    }

    pub fn is_summable(&self, indicator: &str) -> bool {
        self.summable.get(indicator).copied().unwrap_or(false)
    }

    /// The figure of `indicator` for the units `units` over `period` in
    /// `unit`. Reported parts are summed only where the indicator may be
    /// summed; otherwise a figure exists only for a single reporting unit.
    /// A `Range` or `Since` with nothing reported for exactly that period is
    /// derived by adding the years (flows only).
    pub fn value(&self, indicator: &str, units: &[String], period: PeriodKey, unit: &str) -> Value {
        let summable = self.is_summable(indicator);
        let mut v = Value {
            qualifier: "exact".into(),
            ..Value::default()
        };
        let mut changes = vec![];
        for u in units {
            let key = Key {
                indicator: indicator.into(),
                locality: u.clone(),
                period,
                unit: unit.into(),
            };
            let cell = self.cells.get(&key);
            if let Some(r) = cell.and_then(Cell::latest_reported) {
                if v.reported.is_some() && !summable {
                    // Two units' values of a non-summable indicator (a
                    // count of countries) cannot be combined.
                    v.reported = None;
                    v.reported_by.clear();
                    break;
                }
                v.reported = Some(v.reported.unwrap_or_default() + r.value);
                v.reported_by.push(u.clone());
                if r.qualifier != "exact" {
                    v.qualifier = if v.qualifier == "exact" || v.qualifier == r.qualifier {
                        r.qualifier.clone()
                    } else {
                        "about".into()
                    };
                }
                if let Some(c) = r.change_pct {
                    changes.push(c);
                }
                if let Some(s) = &r.source_document
                    && !v.sources.contains(s)
                {
                    v.sources.push(s.clone());
                }
            }
            let derived = match (cell.and_then(|c| c.derived), period) {
                (Some(d), _) => Some(d),
                (None, PeriodKey::Range(a, b)) => self.sum_years(indicator, u, a, b, unit),
                _ => None,
            };
            if let Some(d) = derived
                && (summable || units.len() == 1)
            {
                v.derived = Some(v.derived.unwrap_or_default() + d);
            }
        }
        if changes.len() == 1 && v.reported_by.len() == 1 {
            v.change_pct = changes.pop();
        }
        v
    }

    fn sum_years(
        &self,
        indicator: &str,
        unit_slug: &str,
        a: i32,
        b: i32,
        unit: &str,
    ) -> Option<Decimal> {
        let mut total = None;
        for y in a..=b {
            let key = Key {
                indicator: indicator.into(),
                locality: unit_slug.into(),
                period: PeriodKey::Year(y),
                unit: unit.into(),
            };
            if let Some(d) = self.cells.get(&key).and_then(|c| c.derived) {
                total = Some(total.unwrap_or(Decimal::ZERO) + d);
            }
        }
        total
    }

    /// The units (of the time) with a figure of `indicator` for `period`,
    /// excluding the national figure.
    pub fn units_with(&self, indicator: &str, period: PeriodKey, unit: &str) -> BTreeSet<String> {
        self.cells
            .iter()
            .filter(|(k, c)| {
                k.indicator == indicator
                    && k.period == period
                    && k.unit == unit
                    && k.locality != "viet-nam"
                    && (c.derived.is_some_and(|d| !d.is_zero())
                        || c.latest_reported().is_some_and(|r| !r.value.is_zero()))
            })
            .map(|(k, _)| k.locality.clone())
            .collect()
    }

    /// The units of measure in which `indicator` has figures (USD and VND
    /// are never added together).
    pub fn units_of_measure(&self, indicator: &str) -> BTreeSet<String> {
        self.cells
            .keys()
            .filter(|k| k.indicator == indicator)
            .map(|k| k.unit.clone())
            .collect()
    }

    /// The reported figures of `units` for any period ending in `year`
    /// (`Since`, `Range` ending then, `AsOf`), for the sections that quote
    /// figures of longer periods.
    pub fn reported_other_periods(&self, units: &[String], year: i32) -> Vec<(&Key, &Reported)> {
        self.cells
            .iter()
            .filter(|(k, _)| units.contains(&k.locality))
            .filter(|(k, _)| match k.period {
                PeriodKey::Range(_, b) => b == year,
                PeriodKey::Since(s) => s <= year,
                PeriodKey::AsOf(y) => y == year,
                PeriodKey::Year(_) => false,
            })
            .filter_map(|(k, c)| c.latest_reported().map(|r| (k, r)))
            .collect()
    }
}

/// The units a current unit answers for: itself and the former units it
/// absorbed in 2025 (`vinh-long` → Vĩnh Long, Bến Tre, Trà Vinh); a former
/// unit or `viet-nam` answers for itself.
pub fn units_of(slug: &str) -> Vec<String> {
    let rd = ngoaivu_core::refdata::refdata();
    let v = rd.localities_of(slug);
    if v.is_empty() {
        vec![slug.to_owned()]
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn rep(id: i64, v: &str, q: &str) -> Reported {
        Reported {
            id,
            value: d(v),
            qualifier: q.into(),
            change_pct: None,
            source_document: Some(format!("doc{id}")),
            note: None,
        }
    }

    fn key(ind: &str, loc: &str, p: PeriodKey, unit: &str) -> Key {
        Key {
            indicator: ind.into(),
            locality: loc.into(),
            period: p,
            unit: unit.into(),
        }
    }

    #[test]
    fn a_current_unit_sums_the_units_it_absorbed() {
        let mut f = Figures::default();
        f.summable.insert("remittances".into(), true);
        f.cell_mut(key(
            "remittances",
            "tien-giang",
            PeriodKey::Year(2019),
            "USD",
        ))
        .reported
        .push(rep(1, "80000000", "about"));
        f.cell_mut(key(
            "remittances",
            "dong-thap",
            PeriodKey::Year(2019),
            "USD",
        ))
        .reported
        .push(rep(2, "20000000", "exact"));
        let units = units_of("dong-thap");
        assert!(units.contains(&"tien-giang".to_string()));
        let v = f.value("remittances", &units, PeriodKey::Year(2019), "USD");
        assert_eq!(v.reported, Some(d("100000000")));
        assert_eq!(v.qualifier, "about");
        assert_eq!(v.reported_by.len(), 2);
        // By the units of that time, Tiền Giang alone.
        let tg = f.value(
            "remittances",
            &["tien-giang".into()],
            PeriodKey::Year(2019),
            "USD",
        );
        assert_eq!(tg.reported, Some(d("80000000")));
    }

    #[test]
    fn reported_and_derived_stay_apart_and_differences_show() {
        let mut f = Figures::default();
        f.summable.insert("agreements.signed".into(), true);
        let c = f.cell_mut(key(
            "agreements.signed",
            "vinh-long",
            PeriodKey::Year(2022),
            "count",
        ));
        c.reported.push(rep(1, "5", "exact"));
        c.derived = Some(d("4"));
        let v = f.value(
            "agreements.signed",
            &["vinh-long".into()],
            PeriodKey::Year(2022),
            "count",
        );
        assert_eq!((v.reported, v.derived), (Some(d("5")), Some(d("4"))));
        assert!(v.differs());
        assert_eq!(v.best(), Some(d("5")));
    }

    #[test]
    fn non_summable_figures_are_not_added() {
        let mut f = Figures::default();
        f.summable.insert("fdi.source_countries".into(), false);
        for (i, u) in ["vinh-long", "ben-tre"].iter().enumerate() {
            f.cell_mut(key(
                "fdi.source_countries",
                u,
                PeriodKey::AsOf(2020),
                "count",
            ))
            .reported
            .push(rep(i as i64, "21", "exact"));
        }
        let v = f.value(
            "fdi.source_countries",
            &["vinh-long".into(), "ben-tre".into()],
            PeriodKey::AsOf(2020),
            "count",
        );
        assert_eq!(v.reported, None);
        let one = f.value(
            "fdi.source_countries",
            &["ben-tre".into()],
            PeriodKey::AsOf(2020),
            "count",
        );
        assert_eq!(one.reported, Some(d("21")));
    }

    #[test]
    fn ranges_add_the_years_the_records_give() {
        let mut f = Figures::default();
        f.summable.insert("delegations.inbound".into(), true);
        for (y, n) in [(2016, "10"), (2017, "12"), (2019, "3")] {
            f.cell_mut(key(
                "delegations.inbound",
                "vinh-long",
                PeriodKey::Year(y),
                "count",
            ))
            .derived = Some(d(n));
        }
        let v = f.value(
            "delegations.inbound",
            &["vinh-long".into()],
            PeriodKey::Range(2016, 2018),
            "count",
        );
        assert_eq!(v.derived, Some(d("22")));
        assert_eq!(
            f.units_with("delegations.inbound", PeriodKey::Year(2017), "count")
                .len(),
            1
        );
    }
}
