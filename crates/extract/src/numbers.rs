//! Numbers as Vietnamese texts write them: `1.588` (thousands), `370,34`
//! (decimals), English separators where a text uses them (`3,286,743`),
//! scale words (`nghìn`, `triệu`, `tỷ`) and numbers in words (`bốn`, `mười hai`).

/// How a document separates thousands and decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// `.` thousands, `,` decimals.
    Vietnamese,
    /// `,` thousands, `.` decimals.
    English,
}

/// A decimal number: `mantissa * 10^-decimals`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decimal {
    pub mantissa: i128,
    pub decimals: u32,
}

impl Decimal {
    pub fn int(v: i128) -> Decimal {
        Decimal {
            mantissa: v,
            decimals: 0,
        }
    }

    /// Multiply by 10^exp and give the value as f64 (exact when integral).
    pub fn scaled(self, exp: u32) -> f64 {
        if exp >= self.decimals {
            let m = self
                .mantissa
                .checked_mul(10i128.checked_pow(exp - self.decimals).unwrap_or(i128::MAX));
            match m {
                Some(m) => m as f64,
                None => self.mantissa as f64 * 10f64.powi(exp as i32 - self.decimals as i32),
            }
        } else {
            let div = 10i128.pow(self.decimals - exp);
            if self.mantissa % div == 0 {
                (self.mantissa / div) as f64
            } else {
                self.mantissa as f64 / div as f64
            }
        }
    }
}

/// A digit group as written: the digit runs and the separators between them.
#[derive(Debug, Clone)]
pub struct DigitToken<'a> {
    pub groups: Vec<&'a str>,
    pub seps: Vec<u8>,
}

/// Split `s` (digits with `.`/`,` between them) into groups.
pub fn digit_token(s: &str) -> DigitToken<'_> {
    let mut groups = Vec::new();
    let mut seps = Vec::new();
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b'.' || b == b',' {
            groups.push(&s[start..i]);
            seps.push(b);
            start = i + 1;
        }
    }
    groups.push(&s[start..]);
    DigitToken { groups, seps }
}

/// Evidence a token gives for a convention: +1 English, -1 Vietnamese, 0 none.
pub fn convention_evidence(tok: &DigitToken<'_>, followed_by_scale: bool) -> i32 {
    let commas = tok.seps.iter().filter(|&&b| b == b',').count();
    let dots = tok.seps.len() - commas;
    let rest3 = tok.groups[1..].iter().all(|g| g.len() == 3);
    if commas >= 2 && dots == 0 && rest3 {
        return 1;
    }
    if dots >= 2 && commas == 0 && rest3 {
        return -1;
    }
    if commas >= 1 && dots == 1 && tok.seps.last() == Some(&b'.') {
        return 1;
    }
    if dots >= 1 && commas == 1 && tok.seps.last() == Some(&b',') {
        return -1;
    }
    if tok.seps.len() == 1 {
        let last = tok.groups[1];
        if last.len() != 3 {
            // A decimal part: the separator is the decimal mark.
            return if tok.seps[0] == b'.' { 1 } else { -1 };
        }
        if followed_by_scale {
            // "2.500 triệu" is unusual; "4,019 tỷ" and "1.5 million" tell the decimal mark.
            return if tok.seps[0] == b',' { -1 } else { 0 };
        }
    }
    0
}

/// The value of a digit token under a convention. None if malformed.
pub fn parse_digits(tok: &DigitToken<'_>, conv: Convention) -> Option<Decimal> {
    if tok.groups.iter().any(|g| g.is_empty() || g.len() > 18) {
        return None;
    }
    let (thousands, decimal) = match conv {
        Convention::Vietnamese => (b'.', b','),
        Convention::English => (b',', b'.'),
    };
    let n = tok.seps.len();
    // Unambiguous forms whatever the convention.
    let commas = tok.seps.iter().filter(|&&b| b == b',').count();
    let dots = n - commas;
    let (thousands, decimal) = if n >= 2 && commas == n {
        (b',', b'.')
    } else if n >= 2 && dots == n {
        (b'.', b',')
    } else if n >= 2 {
        // Mixed: the last separator is the decimal mark.
        let last = tok.seps[n - 1];
        if tok.seps[..n - 1].contains(&last) {
            return None;
        }
        (if last == b'.' { b',' } else { b'.' }, last)
    } else if n == 1 && tok.groups[1].len() != 3 {
        // "2,5" / "2.5": a decimal mark whatever the convention.
        (0, tok.seps[0])
    } else {
        (thousands, decimal)
    };
    let mut mantissa: i128 = 0;
    let mut decimals = 0u32;
    let mut after_decimal = false;
    for (k, g) in tok.groups.iter().enumerate() {
        if k > 0 {
            let sep = tok.seps[k - 1];
            if sep == decimal && !after_decimal {
                after_decimal = true;
            } else if sep == thousands && !after_decimal {
                if g.len() != 3 {
                    return None;
                }
            } else {
                return None;
            }
        } else if n > 0 && tok.seps[0] == thousands && g.len() > 3 {
            return None;
        }
        for b in g.bytes() {
            mantissa = mantissa.checked_mul(10)?.checked_add((b - b'0') as i128)?;
            if after_decimal {
                decimals += 1;
            }
        }
    }
    Some(Decimal { mantissa, decimals })
}

/// The power of ten of a scale word (canonical lowercase form).
pub fn scale_of(word: &str) -> Option<u32> {
    Some(match word {
        "nghìn" | "ngàn" | "ngan" | "nghin" | "k" => 3,
        "triệu" | "trieu" | "million" | "millions" => 6,
        "tỷ" | "tỉ" | "ty" | "billion" | "billions" => 9,
        _ => return None,
    })
}

/// The value of a number word (canonical lowercase form).
fn digit_word(w: &str) -> Option<i128> {
    Some(match w {
        "không" | "linh" | "lẻ" => 0,
        "một" | "mốt" => 1,
        "hai" => 2,
        "ba" => 3,
        "bốn" | "tư" => 4,
        "năm" | "lăm" => 5,
        "sáu" => 6,
        "bảy" | "bẩy" => 7,
        "tám" => 8,
        "chín" => 9,
        _ => return None,
    })
}

/// Whether `w` can be part of a number written in words.
pub fn is_number_word(w: &str) -> bool {
    // Asked of every word of a sentence: rule most words out by their length
    // and first letter before comparing strings (the number words are 2 to
    // 7 bytes long and start with one of these letters).
    matches!(w.len(), 2..=7)
        && matches!(
            w.as_bytes()[0],
            b'b' | b'c' | b'h' | b'k' | b'l' | b'm' | b'n' | b's' | b't'
        )
        && (digit_word(w).is_some() || matches!(w, "mười" | "mươi" | "trăm"))
}

/// Parse a number written in words (`bốn`, `mười hai`, `hai mươi lăm`,
/// `một trăm linh năm`). Returns the value and how many words it used.
pub fn parse_number_words(ws: &[&str]) -> Option<(i128, usize)> {
    let mut total: i128 = 0;
    let mut current: i128 = 0;
    let mut used = 0;
    let mut seen_any = false;
    let mut last_was_tens = false;
    for (k, w) in ws.iter().enumerate() {
        let w = *w;
        if let Some(d) = digit_word(w) {
            // "tư", "mốt", "lăm", "linh" are only numbers after another number word.
            if !seen_any && matches!(w, "tư" | "mốt" | "lăm" | "linh" | "lẻ" | "không") {
                return None;
            }
            if seen_any
                && !last_was_tens
                && current % 10 != 0
                && !matches!(ws[k - 1], "trăm" | "linh" | "lẻ")
            {
                break;
            }
            current += d;
            last_was_tens = false;
        } else if w == "mười" {
            current += 10;
            last_was_tens = true;
        } else if w == "mươi" {
            if !seen_any {
                return None;
            }
            current = (current % 10) * 10 + (current - current % 10);
            last_was_tens = true;
        } else if w == "trăm" {
            if !seen_any {
                return None;
            }
            current = current.max(1) * 100;
            last_was_tens = false;
        } else {
            break;
        }
        seen_any = true;
        used = k + 1;
    }
    total += current;
    if used == 0 { None } else { Some((total, used)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str, c: Convention) -> Option<f64> {
        parse_digits(&digit_token(s), c).map(|d| d.scaled(0))
    }

    #[test]
    fn vietnamese() {
        let c = Convention::Vietnamese;
        assert_eq!(v("1.588", c), Some(1588.0));
        assert_eq!(v("370,34", c), Some(370.34));
        assert_eq!(v("4,019", c), Some(4.019));
        assert_eq!(v("18.019", c), Some(18019.0));
        assert_eq!(v("1.234.567,5", c), Some(1234567.5));
        assert_eq!(v("3,286,743", c), Some(3286743.0));
        assert_eq!(v("04", c), Some(4.0));
        assert_eq!(v("1.2.3", c), None);
    }

    #[test]
    fn english() {
        let c = Convention::English;
        assert_eq!(v("3,286,743", c), Some(3286743.0));
        assert_eq!(v("1,588", c), Some(1588.0));
        assert_eq!(v("2.5", c), Some(2.5));
        assert_eq!(v("1,234.56", c), Some(1234.56));
    }

    #[test]
    fn scaled_exact() {
        let d = parse_digits(&digit_token("370,34"), Convention::Vietnamese).unwrap();
        assert_eq!(d.scaled(6), 370_340_000.0);
        let d = parse_digits(&digit_token("4,019"), Convention::Vietnamese).unwrap();
        assert_eq!(d.scaled(9), 4_019_000_000.0);
    }

    #[test]
    fn words() {
        assert_eq!(parse_number_words(&["bốn", "dự"]), Some((4, 1)));
        assert_eq!(parse_number_words(&["mười", "hai", "đoàn"]), Some((12, 2)));
        assert_eq!(parse_number_words(&["hai", "mươi", "lăm"]), Some((25, 3)));
        assert_eq!(
            parse_number_words(&["một", "trăm", "linh", "năm"]),
            Some((105, 4))
        );
        assert_eq!(parse_number_words(&["ba", "mươi"]), Some((30, 2)));
        assert_eq!(parse_number_words(&["dự"]), None);
        // The quick test by length and first letter lets every number word through.
        for w in [
            "không", "linh", "lẻ", "một", "mốt", "hai", "ba", "bốn", "tư", "năm", "lăm", "sáu",
            "bảy", "bẩy", "tám", "chín", "mười", "mươi", "trăm",
        ] {
            assert!(is_number_word(w), "{w}");
        }
        assert!(!is_number_word("các") && !is_number_word("dự"));
    }
}
