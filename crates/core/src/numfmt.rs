//! Numbers as Vietnamese writes them: `1.588` (dot for thousands) and
//! `370,34` (comma for decimals). English uses `1,588` and `370.34`.

use rust_decimal::Decimal;

use crate::Lang;

/// Format a decimal with `decimals` places (trailing zeros trimmed).
pub fn format_number(value: Decimal, decimals: u32, lang: Lang) -> String {
    let (thousands, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let rounded = value.round_dp(decimals).normalize();
    let text = rounded.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn vietnamese_and_english_separators() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(format_number(d("1588"), 0, Lang::Vi), "1.588");
        assert_eq!(format_number(d("370.34"), 2, Lang::Vi), "370,34");
        assert_eq!(format_number(d("3286743"), 0, Lang::En), "3,286,743");
        assert_eq!(format_number(d("37.9100"), 2, Lang::Vi), "37,91");
        assert_eq!(format_number(d("-5"), 0, Lang::Vi), "-5");
        assert_eq!(format_number(d("999"), 0, Lang::Vi), "999");
    }
}
