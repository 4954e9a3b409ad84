//! Figures: for each indicator of the vocabulary, a value per provincial
//! unit and period, reported (observation records) or derived from the
//! records (agreements signed in a year, delegations in and out, FDI
//! projects and their capital …), kept side by side and never merged.
//!
//! - `derive`: which records give which indicator (pure).
//! - `funds`: aid money by the year each transaction moved (pure).
//! - `figures`: the table of figures, the 2025 merger's roll-up into current
//!   units, totals across units, counts of units (pure).
//! - `load`: the I/O, through the store's `Service` so the caller's scope
//!   applies: a province's figures never include another's records.
//!
//! Figures are kept by the unit of their time (`tien-giang` for 2019); a
//! reader asks for one unit or a set of units, so the same table answers
//! "by the units of that time" and "by today's units" (`localities_of`).

pub mod cache;
pub mod derive;
pub mod figures;
pub mod funds;
pub mod load;

pub use cache::FiguresCache;
pub use figures::{Cell, Figures, Key, PeriodKey, Reported, TallyKey, Value};
pub use load::{Request, load};

/// Units in force in a year, for national counts ("54/63 tỉnh, thành"):
/// 63 until the 2025 merger (NQ 202/2025/QH15, in force 1 July 2025), then
/// 34. A year is counted by its units at its end.
pub fn units_in_force(year: i32) -> usize {
    if year >= 2025 { 34 } else { 63 }
}

/// Percentage change from `prev` to `cur`, rounded to two decimals; `None`
/// when there is no base.
pub fn change_pct(
    cur: rust_decimal::Decimal,
    prev: rust_decimal::Decimal,
) -> Option<rust_decimal::Decimal> {
    if prev.is_zero() {
        return None;
    }
    Some(((cur - prev) * rust_decimal::Decimal::from(100) / prev).round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn change_is_computed_to_two_decimals() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(change_pct(d("793"), d("575")), Some(d("37.91")));
        assert_eq!(change_pct(d("90"), d("100")), Some(d("-10")));
        assert_eq!(change_pct(d("5"), d("0")), None);
        assert_eq!(units_in_force(2014), 63);
        assert_eq!(units_in_force(2025), 34);
    }
}
