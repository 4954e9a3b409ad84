//! Reference data compiled into the binary from `data/*.csv` (sources named
//! in `data/README.md`): countries, Vietnam's provincial units before and
//! after the 2025 merger, the indicator vocabulary, APEC economies, missions.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::fold::fold_vi;

const COUNTRIES_CSV: &str = include_str!("../../../data/countries.csv");
const PROVINCES_CSV: &str = include_str!("../../../data/provinces.csv");
const INDICATORS_CSV: &str = include_str!("../../../data/indicators.csv");
const APEC_CSV: &str = include_str!("../../../data/apec_economies.csv");
const MISSIONS_CSV: &str = include_str!("../../../data/missions.csv");

/// Parse a small RFC 4180 CSV (quoted fields, doubled quotes). The header row
/// is returned as the first row.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn records(text: &str) -> Vec<HashMap<String, String>> {
    let mut rows = parse_csv(text).into_iter();
    let header = rows.next().unwrap_or_default();
    rows.map(|r| {
        header
            .iter()
            .cloned()
            .zip(r.into_iter().chain(std::iter::repeat(String::new())))
            .collect()
    })
    .collect()
}

#[derive(Debug, Clone)]
pub struct Country {
    pub alpha2: String,
    pub name_vi: String,
    pub name_en: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSet {
    /// The 63 units before 1 July 2025.
    Legacy,
    /// The 34 units in operation since 1 July 2025.
    Y2025,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub code_set: CodeSet,
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub slug: String,
    /// Legacy units: the 2025 code of the unit that absorbed it.
    pub successor_code: Option<String>,
    /// 2025 units: the legacy codes it took over.
    pub absorbed_codes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct IndicatorSeed {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub units: Vec<String>,
    pub summable: bool,
}

#[derive(Debug, Clone)]
pub struct MissionSeed {
    pub slug: String,
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub country: String,
    pub city: String,
}

pub struct RefData {
    pub countries: Vec<Country>,
    by_alpha2: HashMap<String, usize>,
    pub units: Vec<Unit>,
    pub indicators: Vec<IndicatorSeed>,
    pub apec: Vec<String>,
    pub missions: Vec<MissionSeed>,
}

/// The reference data, parsed once.
pub fn refdata() -> &'static RefData {
    static DATA: OnceLock<RefData> = OnceLock::new();
    DATA.get_or_init(RefData::load)
}

impl RefData {
    fn load() -> RefData {
        let countries: Vec<Country> = records(COUNTRIES_CSV)
            .into_iter()
            .map(|r| Country {
                alpha2: r["alpha2"].clone(),
                name_vi: r["name_vi"].clone(),
                name_en: r["name_en"].clone(),
                aliases: r["aliases_vi"]
                    .split(';')
                    .chain(r["aliases_en"].split(';'))
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
            .collect();
        let by_alpha2 = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.alpha2.clone(), i))
            .collect();
        let units = records(PROVINCES_CSV)
            .into_iter()
            .map(|r| Unit {
                code_set: if r["code_set"] == "2025" {
                    CodeSet::Y2025
                } else {
                    CodeSet::Legacy
                },
                code: r["code"].clone(),
                name: r["name"].clone(),
                short_name: r["short_name"].clone(),
                kind: r["kind"].clone(),
                slug: r["slug"].clone(),
                successor_code: Some(r["successor_code"].clone()).filter(|s| !s.is_empty()),
                absorbed_codes: r["absorbed_codes"]
                    .split(';')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
            .collect();
        let indicators = records(INDICATORS_CSV)
            .into_iter()
            .map(|r| IndicatorSeed {
                code: r["code"].clone(),
                name_vi: r["name_vi"].clone(),
                name_en: r["name_en"].clone(),
                units: r["units"].split('|').map(str::to_owned).collect(),
                summable: r["summable"] == "true",
            })
            .collect();
        let apec = records(APEC_CSV)
            .into_iter()
            .map(|r| r["alpha2"].clone())
            .collect();
        let missions = records(MISSIONS_CSV)
            .into_iter()
            .map(|r| MissionSeed {
                slug: r["slug"].clone(),
                kind: r["kind"].clone(),
                name_vi: r["name_vi"].clone(),
                name_en: r["name_en"].clone(),
                country: r["country"].clone(),
                city: r["city"].clone(),
            })
            .collect();
        RefData {
            countries,
            by_alpha2,
            units,
            indicators,
            apec,
            missions,
        }
    }

    pub fn country(&self, alpha2: &str) -> Option<&Country> {
        self.by_alpha2.get(alpha2).map(|&i| &self.countries[i])
    }

    /// The current (2025) units, in code order.
    pub fn current_units(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| u.code_set == CodeSet::Y2025)
    }

    pub fn legacy_units(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| u.code_set == CodeSet::Legacy)
    }

    pub fn current_unit(&self, slug: &str) -> Option<&Unit> {
        self.current_units().find(|u| u.slug == slug)
    }

    /// Any unit, current or legacy, by slug. Where a slug names both (an
    /// unchanged province), the current one is returned.
    pub fn unit(&self, slug: &str) -> Option<&Unit> {
        self.current_unit(slug)
            .or_else(|| self.legacy_units().find(|u| u.slug == slug))
    }

    /// The current unit that a unit (current or legacy) belongs to today.
    pub fn successor(&self, slug: &str) -> Option<&Unit> {
        if let Some(u) = self.current_unit(slug) {
            return Some(u);
        }
        let legacy = self.legacy_units().find(|u| u.slug == slug)?;
        let code = legacy.successor_code.as_deref()?;
        self.current_units().find(|u| u.code == code)
    }

    /// Slugs of every unit, current or legacy, whose records belong to the
    /// current unit `slug` (itself included).
    pub fn localities_of(&self, slug: &str) -> Vec<String> {
        let Some(current) = self.current_unit(slug) else {
            return vec![];
        };
        let mut out = vec![current.slug.clone()];
        for legacy in self.legacy_units() {
            if legacy.successor_code.as_deref() == Some(current.code.as_str())
                && !out.contains(&legacy.slug)
            {
                out.push(legacy.slug.clone());
            }
        }
        out
    }

    /// Country by ISO code, Vietnamese or English name or alias (folded).
    pub fn find_country(&self, text: &str) -> Option<&Country> {
        let upper = text.trim().to_ascii_uppercase();
        if upper.len() == 2
            && let Some(c) = self.country(&upper)
        {
            return Some(c);
        }
        let want = fold_vi(text.trim());
        self.countries.iter().find(|c| {
            fold_vi(&c.name_vi) == want
                || fold_vi(&c.name_en) == want
                || c.aliases.iter().any(|a| fold_vi(a) == want)
        })
    }

    pub fn is_apec(&self, alpha2: &str) -> bool {
        self.apec.iter().any(|a| a == alpha2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_all_units_and_the_merger_map() {
        let r = refdata();
        assert_eq!(r.current_units().count(), 34);
        assert_eq!(r.legacy_units().count(), 63);
        assert_eq!(r.successor("tien-giang").unwrap().slug, "dong-thap");
        assert_eq!(r.successor("quang-nam").unwrap().slug, "da-nang");
        assert_eq!(r.successor("phu-yen").unwrap().slug, "dak-lak");
        let mut vl = r.localities_of("vinh-long");
        vl.sort();
        assert_eq!(vl, vec!["ben-tre", "tra-vinh", "vinh-long"]);
        for slug in [
            "vinh-long",
            "dong-thap",
            "dak-lak",
            "lang-son",
            "da-nang",
            "ho-chi-minh",
        ] {
            assert!(r.current_unit(slug).is_some(), "{slug}");
        }
        // Every legacy unit has a successor.
        for u in r.legacy_units() {
            assert!(r.successor(&u.slug).is_some(), "{}", u.slug);
        }
    }

    #[test]
    fn countries_by_code_and_vietnamese_name() {
        let r = refdata();
        for (code, vi) in [
            ("KR", "Hàn Quốc"),
            ("LA", "Lào"),
            ("NL", "Hà Lan"),
            ("US", "Hoa Kỳ"),
            ("KH", "Campuchia"),
            ("MZ", "Mozambique"),
        ] {
            assert_eq!(r.country(code).unwrap().name_vi, vi);
            assert_eq!(r.find_country(vi).unwrap().alpha2, code);
        }
        assert_eq!(r.find_country("Mỹ").unwrap().alpha2, "US");
        assert!(r.country("XX").is_none());
        assert_eq!(r.indicators.len(), 27);
        assert_eq!(r.apec.len(), 21);
    }
}
