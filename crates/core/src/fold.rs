//! Vietnamese text folding (for search) and collation (for sorting).
//!
//! Why our own: SQLite's FTS5 never folds `đ` (U+0111 has no decomposition)
//! and misses letters with two marks in its default mode; PostgreSQL's
//! `unaccent` is not IMMUTABLE. So both backends index a column that Rust has
//! already folded, and every query is folded the same way.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// Fold text for search: decompose, drop combining marks, map đ/Đ to d,
/// lowercase. `Đà Nẵng`, `da nang` and `DA NANG` all fold to `da nang`.
pub fn fold_vi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The words of a folded query: runs of letters and digits.
pub fn search_terms(query: &str) -> Vec<String> {
    fold_vi(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(16)
        .map(str::to_owned)
        .collect()
}

/// ASCII slug: folded, lowercase, words joined by hyphens (`Đắk Lắk` → `dak-lak`).
pub fn slugify(s: &str) -> String {
    let folded = fold_vi(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

/// The Vietnamese alphabet in dictionary order, with the Latin letters that
/// foreign names use slotted in where Latin puts them.
const ALPHABET: [&str; 33] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
];

fn letter_rank(base: char, breve: bool, circumflex: bool, horn: bool) -> Option<usize> {
    let letter: String = match (base, breve, circumflex, horn) {
        ('a', true, _, _) => "ă".into(),
        ('a', _, true, _) => "â".into(),
        ('e', _, true, _) => "ê".into(),
        ('o', _, true, _) => "ô".into(),
        ('o', _, _, true) => "ơ".into(),
        ('u', _, _, true) => "ư".into(),
        (c, ..) => c.to_string(),
    };
    ALPHABET.iter().position(|l| *l == letter)
}

/// Tone rank in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
fn tone_rank(mark: char) -> Option<u8> {
    match mark {
        '\u{0300}' => Some(1), // huyền
        '\u{0309}' => Some(2), // hỏi
        '\u{0303}' => Some(3), // ngã
        '\u{0301}' => Some(4), // sắc
        '\u{0323}' => Some(5), // nặng
        _ => None,
    }
}

/// A sort key whose plain byte order is Vietnamese alphabetical order
/// (a ă â b c d đ e ê g h i …, tones as a tie-break). Stored beside titles so
/// both databases sort with a binary collation.
pub fn vi_sort_key(s: &str) -> String {
    let mut primary = String::with_capacity(s.len());
    let mut tones = String::new();
    let chars: Vec<char> = s.nfd().flat_map(char::to_lowercase).collect();
    let mut i = 0;
    while i < chars.len() {
        let base = chars[i];
        i += 1;
        let (mut breve, mut circ, mut horn, mut tone) = (false, false, false, 0u8);
        while i < chars.len() && is_combining_mark(chars[i]) {
            match chars[i] {
                '\u{0306}' => breve = true,
                '\u{0302}' => circ = true,
                '\u{031B}' => horn = true,
                m => tone = tone_rank(m).unwrap_or(tone),
            }
            i += 1;
        }
        if base == 'đ' {
            primary.push(rank_char(6));
            tones.push('0');
        } else if let Some(rank) = letter_rank(base, breve, circ, horn) {
            primary.push(rank_char(rank));
            tones.push(char::from(b'0' + tone));
        } else if base.is_ascii_digit() {
            primary.push(base);
        } else if base.is_whitespace() {
            if !primary.ends_with(' ') && !primary.is_empty() {
                primary.push(' ');
            }
        } else if base.is_alphanumeric() {
            primary.push('~');
            primary.push(base);
        }
    }
    let primary = primary.trim_end().to_owned();
    format!("{primary}\u{1}{tones}")
}

/// Letters map to 'A'.. so that they sort after digits and space.
fn rank_char(rank: usize) -> char {
    char::from(b'A' + rank as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_diacritics_and_d_stroke() {
        for (input, want) in [
            ("Đà Nẵng", "da nang"),
            ("DA NANG", "da nang"),
            ("Đắk Lắk", "dak lak"),
            ("Thừa Thiên Huế", "thua thien hue"),
            ("Hiệp định", "hiep dinh"),
            ("Xiêng Khoảng", "xieng khoang"),
        ] {
            assert_eq!(fold_vi(input), want, "{input}");
        }
    }

    #[test]
    fn slugs_match_the_reference_data() {
        assert_eq!(slugify("Đắk Lắk"), "dak-lak");
        assert_eq!(slugify("Hồ Chí Minh"), "ho-chi-minh");
        assert_eq!(slugify("Bà Rịa - Vũng Tàu"), "ba-ria-vung-tau");
    }

    #[test]
    fn sorts_in_vietnamese_alphabetical_order() {
        let mut words = vec![
            "đường",
            "dân",
            "ăn",
            "an",
            "ấm",
            "bạn",
            "ê",
            "em",
            "ơn",
            "ôm",
            "ong",
            "ưa",
            "ua",
            "Zê",
            "Hà Nội",
            "Hà Giang",
        ];
        words.sort_by_key(|w| vi_sort_key(w));
        assert_eq!(
            words,
            vec![
                "an",
                "ăn",
                "ấm",
                "bạn",
                "dân",
                "đường",
                "em",
                "ê",
                "Hà Giang",
                "Hà Nội",
                "ong",
                "ôm",
                "ơn",
                "ua",
                "ưa",
                "Zê"
            ]
        );
        let mut tones = vec!["má", "ma", "mạ", "mà", "mã", "mả"];
        tones.sort_by_key(|w| vi_sort_key(w));
        assert_eq!(tones, vec!["ma", "mà", "mả", "mã", "má", "mạ"]);
    }

    proptest! {
        #[test]
        fn fold_is_idempotent_and_mark_free(s in "\\PC{0,40}") {
            let once = fold_vi(&s);
            prop_assert_eq!(fold_vi(&once), once.clone());
            prop_assert!(!once.chars().any(is_combining_mark));
            prop_assert!(!once.contains('đ'));
        }

        #[test]
        fn nfc_and_nfd_fold_alike(s in "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐ ]{0,30}") {
            let nfd: String = s.nfd().collect();
            let nfc: String = s.nfc().collect();
            prop_assert_eq!(fold_vi(&nfd), fold_vi(&nfc));
            prop_assert_eq!(vi_sort_key(&nfd), vi_sort_key(&nfc));
        }
    }
}
