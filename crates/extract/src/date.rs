//! The document's date: a year with an optional month and day.

use std::fmt;

/// The date of a document, as the gold set's `NAME.meta.json` gives it:
/// `"2022-12-20"`, `"2022-12"` or `"2020"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub input: String,
    pub reason: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid date \"{}\": {} (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            self.input, self.reason
        )
    }
}

impl std::error::Error for DateError {}

impl DocDate {
    pub fn year(year: i32) -> DocDate {
        DocDate {
            year,
            month: None,
            day: None,
        }
    }

    pub fn ymd(year: i32, month: u8, day: u8) -> Result<DocDate, DateError> {
        let s = format!("{year:04}-{month:02}-{day:02}");
        DocDate::parse(&s)
    }

    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (surrounding spaces allowed).
    pub fn parse(s: &str) -> Result<DocDate, DateError> {
        let err = |reason: &str| DateError {
            input: s.to_string(),
            reason: reason.to_string(),
        };
        let t = s.trim();
        if t.is_empty() {
            return Err(err("empty"));
        }
        let parts: Vec<&str> = t.split('-').collect();
        if parts.len() > 3 {
            return Err(err("too many parts"));
        }
        let num = |p: &str, len: usize, what: &str| -> Result<u32, DateError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(&format!("{what} must be {len} digits")));
            }
            p.parse::<u32>().map_err(|_| err(&format!("bad {what}")))
        };
        let year = num(parts[0], 4, "year")? as i32;
        if year < 1900 {
            return Err(err("year before 1900"));
        }
        let month = match parts.get(1) {
            Some(p) => {
                let m = num(p, 2, "month")?;
                if !(1..=12).contains(&m) {
                    return Err(err(&format!("month {m} out of range")));
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(p) => {
                let d = num(p, 2, "day")?;
                let max = days_in_month(year, month.unwrap_or(1));
                if d == 0 || d > max {
                    return Err(err(&format!("day {d} out of range")));
                }
                Some(d as u8)
            }
            None => None,
        };
        Ok(DocDate { year, month, day })
    }
}

fn days_in_month(year: i32, month: u8) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

impl fmt::Display for DocDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for DocDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocDate::parse(s)
    }
}
