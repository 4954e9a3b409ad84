//! Working days in Vietnam: Monday to Friday, less public holidays, plus the
//! Saturdays the Government declares working days when it swaps a day off.
//!
//! Legal deadlines (a trip report 15 working days after return, the
//! Ministry's 7 working days to answer a consultation) count these days. The
//! holidays come from `data/holidays.csv` (compiled in, sources in
//! `data/README.md`) merged with the days administrators add at run time
//! (`ngoaivu holiday add`), because the lunar holidays and the compensating
//! days are only announced a few months ahead.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use time::{Date, Duration, Weekday};

use crate::refdata::parse_csv;
use crate::values::parse_date;

const HOLIDAYS_CSV: &str = include_str!("../../../data/holidays.csv");

/// What a listed day is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// A day off (fixed or lunar holiday, compensating or swapped day off).
    Off,
    /// A weekend day worked in exchange for a swapped day off (ngày làm bù).
    Working,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    pub name_vi: String,
    pub name_en: String,
    pub kind: DayKind,
}

/// The calendar deadlines are counted on.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: BTreeMap<Date, Holiday>,
}

fn builtin_days() -> &'static [Holiday] {
    static DAYS: OnceLock<Vec<Holiday>> = OnceLock::new();
    DAYS.get_or_init(|| {
        parse_csv(HOLIDAYS_CSV)
            .into_iter()
            .skip(1)
            .filter_map(|r| {
                let date = parse_date(r.first()?)?;
                Some(Holiday {
                    date,
                    name_vi: r.get(1)?.clone(),
                    name_en: r.get(2)?.clone(),
                    kind: if r.get(3).map(String::as_str) == Some("working_day") {
                        DayKind::Working
                    } else {
                        DayKind::Off
                    },
                })
            })
            .collect()
    })
}

impl Calendar {
    /// The days of `data/holidays.csv`.
    pub fn builtin() -> Calendar {
        let mut c = Calendar::default();
        for h in builtin_days() {
            c.days.insert(h.date, h.clone());
        }
        c
    }

    /// The built-in days plus `extra` (an added day replaces a listed one).
    pub fn with_extra(extra: impl IntoIterator<Item = Holiday>) -> Calendar {
        let mut c = Calendar::builtin();
        for h in extra {
            c.days.insert(h.date, h);
        }
        c
    }

    pub fn holidays(&self) -> impl Iterator<Item = &Holiday> {
        self.days.values()
    }

    /// The holiday on `d`, if `d` is a listed day off.
    pub fn holiday(&self, d: Date) -> Option<&Holiday> {
        self.days.get(&d).filter(|h| h.kind == DayKind::Off)
    }

    pub fn is_holiday(&self, d: Date) -> bool {
        self.holiday(d).is_some()
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        match self.days.get(&d) {
            Some(h) => h.kind == DayKind::Working,
            None => !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// The `n`th working day after `start` (`start` itself never counts, as
    /// a period "within n working days from" an event starts the next day).
    /// `n = 0` is `start`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`: 0 when `to <= from`.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn the_data_file_lists_the_fixed_and_lunar_holidays_of_2024_to_2027() {
        let c = Calendar::builtin();
        for y in 2024..=2027 {
            for md in ["01-01", "04-30", "05-01", "09-02"] {
                assert!(c.is_holiday(d(&format!("{y}-{md}"))), "{y}-{md}");
            }
        }
        // Mùng 1 Tết and Giỗ Tổ Hùng Vương (10/3 âm lịch) of each year.
        for s in [
            "2024-02-10",
            "2025-01-29",
            "2026-02-17",
            "2027-02-06",
            "2024-04-18",
            "2025-04-07",
            "2026-04-26",
            "2027-04-16",
        ] {
            assert!(c.is_holiday(d(s)), "{s}");
        }
        assert!(c.holiday(d("2026-02-17")).unwrap().name_vi.contains("Tết"));
    }

    #[test]
    fn weekends_are_off_except_declared_working_saturdays() {
        let c = Calendar::builtin();
        assert!(!c.is_working_day(d("2025-06-07"))); // a Saturday
        assert!(!c.is_working_day(d("2025-06-08"))); // a Sunday
        assert!(c.is_working_day(d("2025-06-09")));
        assert!(c.is_working_day(d("2025-04-26"))); // làm bù for 02/05/2025
        assert!(!c.is_working_day(d("2025-05-02")));
    }

    #[test]
    fn counting_across_tet() {
        let c = Calendar::builtin();
        // Returned Friday 13/02/2026, the last working day before Tết Bính Ngọ:
        // 16–20/02 are Tết, so the 15th working day is Friday 13/03/2026.
        assert_eq!(c.add_working_days(d("2026-02-13"), 1), d("2026-02-23"));
        assert_eq!(c.add_working_days(d("2026-02-13"), 15), d("2026-03-13"));
        assert_eq!(c.working_days_between(d("2026-02-13"), d("2026-03-13")), 15);
        // Tết Giáp Thìn 2024: off 08–14/02.
        assert_eq!(c.add_working_days(d("2024-02-07"), 1), d("2024-02-15"));
    }

    #[test]
    fn counting_across_weekends_and_swapped_days() {
        let c = Calendar::builtin();
        // Friday + 1 working day is Monday.
        assert_eq!(c.add_working_days(d("2025-06-06"), 1), d("2025-06-09"));
        assert_eq!(c.add_working_days(d("2025-06-06"), 0), d("2025-06-06"));
        // 25/04/2025 (Fri) → Sat 26/04 is a working day; 30/04–02/05 off.
        assert_eq!(c.add_working_days(d("2025-04-25"), 1), d("2025-04-26"));
        assert_eq!(c.add_working_days(d("2025-04-26"), 1), d("2025-04-28"));
        assert_eq!(c.add_working_days(d("2025-04-29"), 1), d("2025-05-05"));
        assert_eq!(c.working_days_between(d("2025-05-05"), d("2025-05-01")), 0);
    }

    #[test]
    fn added_days_extend_the_file() {
        let extra = Holiday {
            date: d("2027-09-03"),
            name_vi: "Quốc khánh (ngày liền kề)".into(),
            name_en: "National Day (adjacent day)".into(),
            kind: DayKind::Off,
        };
        let c = Calendar::with_extra([extra]);
        assert!(c.is_holiday(d("2027-09-03")));
        assert!(c.is_holiday(d("2027-09-02")));
        assert!(!Calendar::builtin().is_holiday(d("2027-09-03")));
    }
}
