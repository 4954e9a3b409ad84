//! The IATI codelists this crate writes or reads, compiled in from
//! `data/iati/*.csv` (source, commit and licence in `data/iati/README.md`).
//!
//! They are compiled in rather than fetched because ngoaivu makes no network
//! calls at run time; the unit test at the end proves that every code the
//! exporter can write is in them, so an update of the lists that withdraws a
//! code we use fails the build's tests instead of producing invalid files.

use std::collections::HashMap;
use std::sync::OnceLock;

use ngoaivu_core::refdata::parse_csv;

macro_rules! lists {
    ($($name:literal),* $(,)?) => {
        const LISTS: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../../data/iati/", $name, ".csv")))),*
        ];
    };
}

lists!(
    "ActivityDateType",
    "ActivityStatus",
    "BudgetStatus",
    "BudgetType",
    "Country",
    "Currency",
    "DescriptionType",
    "GeographicLocationClass",
    "GeographicLocationReach",
    "GeographicVocabulary",
    "Language",
    "OrganisationRole",
    "OrganisationType",
    "Sector",
    "SectorVocabulary",
    "TransactionType",
);

/// One code of a codelist.
#[derive(Debug, Clone)]
pub struct Code {
    pub code: String,
    /// The English name the IATI list gives.
    pub name: String,
    /// `false` for codes the list marks `withdrawn`.
    pub active: bool,
}

fn all() -> &'static HashMap<&'static str, Vec<Code>> {
    static ALL: OnceLock<HashMap<&'static str, Vec<Code>>> = OnceLock::new();
    ALL.get_or_init(|| {
        LISTS
            .iter()
            .map(|(name, text)| {
                let codes = parse_csv(text)
                    .into_iter()
                    .skip(1)
                    .map(|r| Code {
                        code: r.first().cloned().unwrap_or_default(),
                        name: r.get(1).cloned().unwrap_or_default(),
                        active: r.get(2).map(String::as_str) != Some("withdrawn"),
                    })
                    .collect();
                (*name, codes)
            })
            .collect()
    })
}

/// The names of the shipped lists.
pub fn names() -> impl Iterator<Item = &'static str> {
    LISTS.iter().map(|(n, _)| *n)
}

/// The codes of a shipped list (empty for a list not shipped).
pub fn codes(list: &str) -> &'static [Code] {
    all().get(list).map(Vec::as_slice).unwrap_or(&[])
}

/// Whether `code` is an active code of `list`.
pub fn is_active(list: &str, code: &str) -> bool {
    codes(list).iter().any(|c| c.active && c.code == code)
}

/// The English name of a code, if the list has it.
pub fn name_of(list: &str, code: &str) -> Option<&'static str> {
    codes(list)
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::*;
    use ngoaivu_core::records::ProjectStatus;
    use ngoaivu_core::values::{CURRENCIES, SECTORS};

    #[test]
    fn every_list_is_shipped_and_read() {
        for name in names() {
            assert!(codes(name).len() >= 2, "{name}");
        }
        assert_eq!(
            name_of("Sector", "14010"),
            Some("Water sector policy and administrative management")
        );
    }

    /// Every code the exporter can write is an active code of its list.
    #[test]
    fn the_exporter_writes_only_listed_codes() {
        for (list, code) in FIXED_CODES {
            assert!(is_active(list, code), "{list} {code}");
        }
        for s in ProjectStatus::ALL {
            assert!(is_active("ActivityStatus", status_to_iati(*s)), "{s}");
        }
        for c in CURRENCIES {
            assert!(is_active("Currency", c), "{c}");
        }
        // Every ngoaivu sector has a DAC code, and no DAC code twice (so
        // the table reads back one-to-one).
        for (s, ..) in SECTORS {
            let dac = sector_to_dac(s).unwrap_or_else(|| panic!("no DAC code for {s}"));
            assert!(is_active("Sector", dac), "{s} → {dac}");
            assert_eq!(dac_to_sector(dac), Some(s));
        }
        assert_eq!(SECTOR_DAC.len(), SECTORS.len());
    }

    #[test]
    fn statuses_read_back() {
        for s in ProjectStatus::ALL {
            let back = status_from_iati(status_to_iati(*s), *s == ProjectStatus::Approved).unwrap();
            match s {
                // IATI's "1" cannot tell appraisal from proposed; nv:status does.
                ProjectStatus::Appraisal => assert_eq!(back, "proposed"),
                _ => assert_eq!(back, s.code()),
            }
        }
    }
}
