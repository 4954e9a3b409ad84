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

/// An amount as reports write it: `793 triệu USD`, `4,019 tỷ USD`,
/// `56 tỷ đồng`, `370,34 triệu USD`; counts as `1.588`. The scale is the
/// largest that leaves at least 1; up to three decimals are kept (trailing
/// zeros dropped), so `4.019.000.000 USD` stays `4,019 tỷ`, not `4,02 tỷ`.
/// `unit` is a currency (`USD`, `VND`) or `count`, `people`, `percent`.
pub fn format_amount(value: Decimal, unit: &str, lang: Lang) -> String {
    let scales: [(i64, &str, &str); 3] = [
        (1_000_000_000, "tỷ", "billion"),
        (1_000_000, "triệu", "million"),
        (1_000, "nghìn", "thousand"),
    ];
    match unit {
        "USD" | "VND" | "EUR" | "JPY" => {
            let cur = match (unit, lang) {
                ("VND", Lang::Vi) => "đồng",
                _ => unit,
            };
            let abs = value.abs();
            for (factor, vi, en) in scales {
                let f = Decimal::from(factor);
                // Thousands only for small sums; reports say "900 nghìn USD".
                if abs >= f {
                    let scaled = value / f;
                    let word = match lang {
                        Lang::Vi => vi,
                        Lang::En => en,
                    };
                    return format!("{} {word} {cur}", format_number(scaled, 3, lang));
                }
            }
            format!("{} {cur}", format_number(value, 2, lang))
        }
        "percent" => format!("{}%", format_number(value, 2, lang)),
        _ => format_number(value, 2, lang),
    }
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

    #[test]
    fn amounts_in_words_as_reports_write_them() {
        let d = |s| Decimal::from_str(s).unwrap();
        let cases = [
            ("793000000", "USD", Lang::Vi, "793 triệu USD"),
            ("4019000000", "USD", Lang::Vi, "4,019 tỷ USD"),
            ("20230000000", "USD", Lang::Vi, "20,23 tỷ USD"),
            ("370340000", "USD", Lang::Vi, "370,34 triệu USD"),
            ("56000000000", "VND", Lang::Vi, "56 tỷ đồng"),
            ("37010000000000", "VND", Lang::Vi, "37.010 tỷ đồng"),
            ("4500000", "USD", Lang::Vi, "4,5 triệu USD"),
            ("250000", "USD", Lang::Vi, "250 nghìn USD"),
            ("1588", "count", Lang::Vi, "1.588"),
            ("793000000", "USD", Lang::En, "793 million USD"),
            ("56000000000", "VND", Lang::En, "56 billion VND"),
        ];
        for (v, unit, lang, want) in cases {
            assert_eq!(format_amount(d(v), unit, lang), want);
        }
    }
}
