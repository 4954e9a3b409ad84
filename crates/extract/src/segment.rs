//! Paragraphs and sentences.

/// A sentence of the normalised text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Index of its paragraph (line).
    pub para: usize,
    /// First sentence of a paragraph that starts a new topic (heading, list item).
    pub resets_context: bool,
    /// A line that is site furniture (related-news headline ending in a date,
    /// a bare date, a visitor counter): no facts are read from it.
    pub furniture: bool,
}

const ABBREVIATIONS: &[&str] = &[
    "tp", "tx", "tt", "ts", "ths", "pgs", "gs", "bs", "ks", "st", "mr", "mrs", "ms", "dr", "q",
    "p", "h", "ng", "v.v", "vv", "no", "co", "ltd", "inc", "jsc", "corp", "e.g", "i.e", "vs",
    // Company forms: "Energy PTE. Ltd", "Holdings Pte. Ltd".
    "pte", "plc", "llc", "bhd", "sdn", "ubnd", "hđnd",
];

/// The longest abbreviation, in bytes.
const ABBREVIATION_MAX_LEN: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        if ABBREVIATIONS[i].len() > max {
            max = ABBREVIATIONS[i].len();
        }
        i += 1;
    }
    max
};

/// Split the normalised text into sentences.
pub(crate) fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut para = 0usize;
    let mut line_start = 0usize;
    let bytes = text.as_bytes();
    while line_start <= text.len() {
        let line_end = memchr_nl(bytes, line_start).unwrap_or(text.len());
        let line = &text[line_start..line_end];
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let lead = line_start + (line.len() - line.trim_start().len());
            let tail = line_start + line.trim_end().len();
            let furniture = is_furniture(trimmed);
            let resets = is_heading(trimmed) || is_list_item(trimmed);
            let mut first = true;
            split_line(text, lead, tail, |s, e| {
                out.push(Sentence {
                    start: s,
                    end: e,
                    para,
                    resets_context: first && resets,
                    furniture,
                });
                first = false;
            });
            para += 1;
        }
        if line_end >= text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    out
}

fn memchr_nl(b: &[u8], from: usize) -> Option<usize> {
    crate::text::find_byte_of(b, from, b.len(), b"\n")
}

fn split_line(text: &str, start: usize, end: usize, mut emit: impl FnMut(usize, usize)) {
    let b = text.as_bytes();
    let mut s = start;
    let mut i = start;
    while i < end {
        let c = b[i];
        if c == b'.' || c == b'!' || c == b'?' {
            // The run of terminal punctuation ("...", "./.", "?!").
            let mut j = i;
            while j < end && matches!(b[j], b'.' | b'!' | b'?' | b'/') {
                j += 1;
            }
            // Closing quotes/brackets belong to the sentence.
            while j < end && matches!(b[j], b'"' | b'\'' | b')' | b']') {
                j += 1;
            }
            if j >= end {
                break;
            }
            if b[j] != b' ' && b[j] != b'\t' {
                i = j.max(i + 1);
                continue;
            }
            let mut k = j;
            while k < end && (b[k] == b' ' || b[k] == b'\t') {
                k += 1;
            }
            if k >= end {
                break;
            }
            let next = text[k..].chars().next().unwrap();
            let starts_sentence = next.is_uppercase()
                || next.is_ascii_digit()
                || matches!(next, '-' | '"' | '(' | '[' | '+' | '•' | '*');
            let single_dot = c == b'.' && j == i + 1;
            if starts_sentence && !(single_dot && is_abbreviation(text, s, i)) {
                emit(s, j);
                s = k;
            }
            i = k;
            continue;
        }
        // On to the next possible sentence end.
        match crate::text::find_byte_of(b, i + 1, end, b".!?") {
            Some(next) => i = next,
            None => break,
        }
    }
    if s < end {
        emit(s, end);
    }
}

fn is_abbreviation(text: &str, sent_start: usize, dot: usize) -> bool {
    let before = &text[sent_start..dot];
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word = &before[start..];
    if word.is_empty() {
        return false;
    }
    // The abbreviations are short: lowercase only a word that could be one
    // (a character lowercases to one byte or more).
    if word.chars().nth(ABBREVIATION_MAX_LEN).is_none()
        && ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    {
        return true;
    }
    // A single capital letter (an initial).
    let mut cs = word.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
}

fn is_heading(line: &str) -> bool {
    let last = line.chars().next_back().unwrap_or(' ');
    // The cheap tests first (a paragraph ends in a full stop); words counted
    // no further than the limit.
    !matches!(last, '.' | ',' | ';' | ':' | '!' | '?')
        && !line.bytes().any(|b| b.is_ascii_digit())
        && line.split_whitespace().take(13).count() <= 12
}

fn is_list_item(line: &str) -> bool {
    let mut cs = line.chars();
    match cs.next() {
        Some('-' | '+' | '•' | '*' | '–' | '·') => true,
        Some(c) if c.is_ascii_digit() || c.is_alphabetic() => {
            // "1." "2)" "a)" "b." at the start.
            (c.is_ascii_digit() || c.is_lowercase())
                && matches!(cs.next(), Some('.' | ')'))
                && cs.next() == Some(' ')
        }
        _ => false,
    }
}

/// A line that looks like page furniture rather than report text.
fn is_furniture(line: &str) -> bool {
    let t = line.trim();
    // Ends with a date dd/mm/yyyy and has no sentence punctuation before it:
    // a related-news headline or a page date.
    if let Some(date_at) = trailing_date(t) {
        let before = t[..date_at].trim_end();
        let sentence_like = before.ends_with('.') || before.contains(". ");
        return !sentence_like;
    }
    // Counters: "Đang truy cập : 45", "Tổng lượt truy cập: 786362" (short
    // lines only: lowercasing every paragraph to look would cost much).
    t.len() < 60 && t.to_lowercase().contains("truy cập")
}

fn trailing_date(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let n = b.len();
    // yyyy
    if n < 8 || !b[n - 4..].iter().all(|c| c.is_ascii_digit()) || b[n - 5] != b'/' {
        return None;
    }
    let mut i = n - 5;
    let mut k = i;
    while k > 0 && b[k - 1].is_ascii_digit() {
        k -= 1;
    }
    if i - k == 0 || i - k > 2 || k == 0 || b[k - 1] != b'/' {
        return None;
    }
    i = k - 1;
    let mut k2 = i;
    while k2 > 0 && b[k2 - 1].is_ascii_digit() {
        k2 -= 1;
    }
    if i - k2 == 0 || i - k2 > 2 {
        return None;
    }
    if k2 > 0 && !(b[k2 - 1] as char).is_whitespace() && b[k2 - 1] != b',' {
        return None;
    }
    Some(k2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn splits() {
        let t = "Năm 2014, đạt 4,019 tỷ USD. Tổng giá trị FDI đạt 20,23 tỷ. TP. HCM có 1.588 dự án... Đến nay, có.\nDòng hai… tiếp";
        assert_eq!(
            texts(t),
            vec![
                "Năm 2014, đạt 4,019 tỷ USD.",
                "Tổng giá trị FDI đạt 20,23 tỷ.",
                "TP. HCM có 1.588 dự án...",
                "Đến nay, có.",
                "Dòng hai… tiếp"
            ]
        );
    }

    #[test]
    fn furniture() {
        assert!(is_furniture(
            "Nhiều công ty Châu Âu chọn Việt Nam hơn Trung Quốc    17/06/2022"
        ));
        assert!(is_furniture("Chủ nhật,  09/05/2021"));
        assert!(!is_furniture("Năm 2022 tỉnh có 5 dự án."));
    }
}
