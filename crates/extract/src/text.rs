//! Text normalisation that keeps a byte-offset map back to the input, and the
//! "canonical" lowercase copy the rules match against.
//!
//! * [`Normalized`]: NFC (input may be NFD), no-break and other odd spaces to
//!   a space, en/em dashes and minus to `-`, `…` to `...`, typographic quotes
//!   to ASCII quotes, zero-width characters dropped, CR LF to LF, `Ð` (U+00D0,
//!   used for `Đ` by old converters) to `Đ`. Offsets in the normalised text map
//!   back to offsets in the input.
//! * [`canon`]: the normalised text lowercased, with the tone of the open
//!   syllables `oa`, `oe`, `uy` placed the classic way (`hoà` → `hòa`,
//!   `thoả` → `thỏa`). It has exactly the byte length and the character
//!   boundaries of the normalised text, so a match in one is a match in the other.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a combining mark, without the table lookup for the
/// characters a Vietnamese text is made of: below U+0300 (ASCII, Latin-1,
/// `ă đ ơ ư`) and the precomposed letters U+1E00–U+1EFF are never marks.
/// Asked of the character after every non-ASCII one.
#[inline]
fn is_combining_mark(c: char) -> bool {
    let u = c as u32;
    if u < 0x300 || (0x1E00..=0x1EFF).contains(&u) {
        return false;
    }
    unicode_normalization::char::is_combining_mark(c)
}

/// The byte length of the character at `b[i]` (not ASCII) when its first
/// bytes show it is a Vietnamese letter: U+00C0–U+01BF (lead bytes C3–C6:
/// `à é ô ă đ ĩ ũ ơ ư` …) or U+1E00–U+1EFF (E1 B8–BB: the letters with
/// their tone, `ạ ế ữ` …), but not `×`, `÷` or `Ð` (C3 97, C3 B7, C3 90).
/// Such a character is a word character, never a combining mark and never
/// replaced by normalisation, so the passes over every character of a
/// document need not decode it. None: decode and look.
#[inline]
fn vietnamese_letter_len(b: &[u8], i: usize) -> Option<usize> {
    match b[i] {
        0xC3 if !matches!(b.get(i + 1), Some(0x90 | 0x97 | 0xB7)) => Some(2),
        0xC4..=0xC6 => Some(2),
        0xE1 if matches!(b.get(i + 1), Some(0xB8..=0xBB)) => Some(3),
        _ => None,
    }
}

/// Whether a combining mark starts at `input[j..]`. Asked after every
/// character: the first byte settles it for all but the rare ones (marks
/// are U+0300 and above, whose lead byte is 0xCC or more).
#[inline(always)]
fn mark_at(input: &str, j: usize) -> bool {
    let b = input.as_bytes();
    j < b.len()
        && b[j] >= 0xCC
        && !(b[j] == 0xE1 && matches!(b.get(j + 1), Some(0xB8..=0xBB)))
        && mark_at_slow(input, j)
}

#[inline(never)]
fn mark_at_slow(input: &str, j: usize) -> bool {
    input[j..].chars().next().is_some_and(is_combining_mark)
}

/// A stretch of the normalised text and where it came from.
#[derive(Debug, Clone, Copy)]
struct Piece {
    norm_start: usize,
    norm_len: usize,
    orig_start: usize,
    orig_len: usize,
    /// Copied unchanged: offsets inside map one to one.
    verbatim: bool,
}

/// The normalised text with its map back to the input.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// None when the text is the input unchanged.
    pieces: Option<Vec<Piece>>,
    orig_len: usize,
}

fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00A0}'
        | '\u{2007}'
        | '\u{202F}'
        | '\u{2000}'..='\u{2006}'
        | '\u{2008}'..='\u{200A}'
        | '\u{205F}'
        | '\u{3000}' => " ",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{2026}' => "...",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => "\"",
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => "",
        '\u{00D0}' => "\u{0110}",
        '\u{2028}' | '\u{2029}' | '\u{0085}' => "\n",
        _ => return None,
    })
}

impl Normalized {
    pub fn new(input: &str) -> Normalized {
        let bytes = input.as_bytes();
        // Filled only once something changes.
        let mut text = String::new();
        let mut pieces: Vec<Piece> = Vec::new();
        // Start of the current verbatim run (in the input).
        let mut run_start = 0usize;
        let flush = |text: &mut String, pieces: &mut Vec<Piece>, from: usize, to: usize| {
            if text.capacity() == 0 {
                text.reserve(input.len() + 16);
            }
            if to > from {
                pieces.push(Piece {
                    norm_start: text.len(),
                    norm_len: to - from,
                    orig_start: from,
                    orig_len: to - from,
                    verbatim: true,
                });
                text.push_str(&input[from..to]);
            }
        };
        let mut changed = false;
        // The end of what has been read.
        let mut done = 0usize;
        // Only carriage returns and characters outside ASCII can change: the
        // scan goes to them eight bytes at a time, and an ASCII character is
        // looked at only when a combining mark follows it.
        let cr = ONES * u64::from(b'\r');
        let interesting = |p: usize| {
            let w = word_at(bytes, p);
            lead_bytes(w) | zero_bytes(w ^ cr)
        };
        each_position(bytes, interesting, |j| {
            // An ASCII character followed by a combining mark forms a cluster.
            if j > done && bytes[j - 1] < 0x80 && mark_at(input, j) {
                let i = j - 1;
                let end = cluster_end(input, j);
                flush(&mut text, &mut pieces, run_start, i);
                push_cluster(&mut text, &mut pieces, input, i, end);
                run_start = end;
                changed = true;
                done = end;
                return end;
            }
            let i = j;
            done = if bytes[i] == b'\r' {
                flush(&mut text, &mut pieces, run_start, i);
                let len = if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                pieces.push(Piece {
                    norm_start: text.len(),
                    norm_len: 1,
                    orig_start: i,
                    orig_len: len,
                    verbatim: false,
                });
                text.push('\n');
                run_start = i + len;
                changed = true;
                i + len
            } else if let Some(len) = vietnamese_letter_len(bytes, i)
                && !mark_at(input, i + len)
            {
                // A Vietnamese letter stays, unless a mark follows it.
                i + len
            } else {
                let c = input[i..].chars().next().unwrap();
                let clen = c.len_utf8();
                if let Some(rep) = replacement(c) {
                    flush(&mut text, &mut pieces, run_start, i);
                    pieces.push(Piece {
                        norm_start: text.len(),
                        norm_len: rep.len(),
                        orig_start: i,
                        orig_len: clen,
                        verbatim: false,
                    });
                    text.push_str(rep);
                    run_start = i + clen;
                    changed = true;
                    i + clen
                } else if mark_at(input, i + clen) {
                    let end = cluster_end(input, i + clen);
                    let cluster = &input[i..end];
                    let nfc: String = cluster.nfc().collect();
                    if nfc != cluster {
                        flush(&mut text, &mut pieces, run_start, i);
                        push_cluster(&mut text, &mut pieces, input, i, end);
                        run_start = end;
                        changed = true;
                    }
                    end
                } else {
                    i + clen
                }
            };
            done
        });
        if !changed {
            return Normalized {
                text: input.to_string(),
                pieces: None,
                orig_len: input.len(),
            };
        }
        flush(&mut text, &mut pieces, run_start, bytes.len());
        Normalized {
            text,
            pieces: Some(pieces),
            orig_len: input.len(),
        }
    }

    /// Map a span `[start, end)` of the normalised text to the input.
    pub fn map_span(&self, start: usize, end: usize) -> [usize; 2] {
        match &self.pieces {
            None => [start.min(self.orig_len), end.min(self.orig_len)],
            Some(p) => {
                let s = self.map_start(p, start);
                let e = if end <= start {
                    s
                } else {
                    self.map_end(p, end)
                };
                [s, e.max(s)]
            }
        }
    }

    fn find(p: &[Piece], off: usize) -> Option<&Piece> {
        let idx = p.partition_point(|x| x.norm_start + x.norm_len <= off);
        p.get(idx)
    }

    fn map_start(&self, p: &[Piece], off: usize) -> usize {
        match Self::find(p, off) {
            Some(pc) if pc.verbatim => pc.orig_start + (off - pc.norm_start),
            Some(pc) => pc.orig_start,
            None => self.orig_len,
        }
    }

    fn map_end(&self, p: &[Piece], end: usize) -> usize {
        match Self::find(p, end - 1) {
            Some(pc) if pc.verbatim => pc.orig_start + (end - pc.norm_start),
            Some(pc) => pc.orig_start + pc.orig_len,
            None => self.orig_len,
        }
    }
}

fn cluster_end(input: &str, mut j: usize) -> usize {
    for c in input[j..].chars() {
        if is_combining_mark(c) {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    j
}

fn push_cluster(text: &mut String, pieces: &mut Vec<Piece>, input: &str, from: usize, to: usize) {
    let start = text.len();
    for c in input[from..to].nfc() {
        match replacement(c) {
            Some(r) => text.push_str(r),
            None => text.push(c),
        }
    }
    pieces.push(Piece {
        norm_start: start,
        norm_len: text.len() - start,
        orig_start: from,
        orig_len: to - from,
        verbatim: false,
    });
}

/// The canonical matching copy of `s`: lowercase, classic tone placement in
/// open `oa`/`oe`/`uy`. Same byte length and character boundaries as `s`.
///
/// Made in one pass that decodes only what it must: runs of text that stay
/// as they are are copied whole, ASCII is lowercased in bulk at the end, and
/// the capitals of Vietnamese are told by their bytes (this runs over every
/// document, and went character by character before).
pub fn canon(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Start of the text not yet copied.
    let mut run = 0;
    // Only the characters outside ASCII: found eight bytes at a time.
    each_position(
        b,
        |i| lead_bytes(word_at(b, i)),
        |i| {
            let (len, lower) = match (b[i], b.get(i + 1).copied(), b.get(i + 2).copied()) {
                // U+00C0–U+00DE (not ×, C3 97): the capitals of Latin-1, +0x20.
                (0xC3, Some(b1 @ 0x80..=0x9E), _) if b1 != 0x97 => {
                    (2, char::from_u32(0xC0 + u32::from(b1 - 0x80) + 0x20))
                }
                // The rest of U+00C0–U+00FF is lowercase already.
                (0xC3, Some(_), _) => (2, None),
                // U+1EA0–U+1EF9 (E1 BA A0 – E1 BB B9), the letters with their
                // tone: capitals even, small letters odd.
                (0xE1, Some(b1 @ (0xBA | 0xBB)), Some(b2))
                    if (b1, b2) >= (0xBA, 0xA0) && (b1, b2) <= (0xBB, 0xB9) =>
                {
                    let u = 0x1000 + (u32::from(b1 & 0x3F) << 6) + u32::from(b2 & 0x3F);
                    (3, (u & 1 == 0).then(|| char::from_u32(u | 1)).flatten())
                }
                _ => {
                    let c = s[i..].chars().next().expect("a character starts here");
                    (c.len_utf8(), lower_same_len(c).filter(|&l| l != c))
                }
            };
            if let Some(l) = lower {
                out.push_str(&s[run..i]);
                out.push(l);
                run = i + len;
            }
            i + len
        },
    );
    out.push_str(&s[run..]);
    out.make_ascii_lowercase();
    place_tones(out)
}

/// Tone placement in `lower` (already lowercase): "oà" -> "òa" etc. at the
/// end of a word. Only between characters of equal byte lengths, so offsets
/// do not move. Candidates are an ASCII `o`/`u` followed by a non-ASCII
/// letter, found by a byte scan.
fn place_tones(lower: String) -> String {
    let t = lower.as_str();
    let b = t.as_bytes();
    let mut patches: Vec<(usize, char, char)> = Vec::new();
    // An `o` or `u` followed by a character outside ASCII, eight at a time.
    let (wo, wu) = (ONES * u64::from(b'o'), ONES * u64::from(b'u'));
    let candidates = |i: usize| {
        let w = word_at(b, i);
        (zero_bytes(w ^ wo) | zero_bytes(w ^ wu)) & lead_bytes(word_at(b, i + 1))
    };
    each_position(b, candidates, |pi| {
        let a = b[pi] as char;
        let i = pi + 1;
        let c = t[i..].chars().next().expect("a character starts here");
        let at_end = t[i + c.len_utf8()..]
            .chars()
            .next()
            .is_none_or(|n| !is_word_char(n));
        if !at_end {
            return pi + 1;
        }
        let prev2 = t[..pi].chars().next_back();
        let swap = match a {
            'o' => tone_of(c, "aàáảãạ")
                .map(|t| (t, 'a'))
                .or_else(|| tone_of(c, "eèéẻẽẹ").map(|t| (t, 'e'))),
            _ if prev2 != Some('q') => tone_of(c, "yỳýỷỹỵ").map(|t| (t, 'y')),
            _ => None,
        };
        if let Some((tone, base)) = swap
            && tone > 0
        {
            let first = match a {
                'o' => ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'][tone],
                _ => ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'][tone],
            };
            if first.len_utf8() + base.len_utf8() == a.len_utf8() + c.len_utf8() {
                patches.push((pi, first, base));
            }
        }
        pi + 1
    });
    let mut out = lower;
    for (pos, first, base) in patches {
        let pair: String = [first, base].into_iter().collect();
        out.replace_range(pos..pos + pair.len(), &pair);
    }
    out
}

fn tone_of(c: char, row: &str) -> Option<usize> {
    row.chars().position(|x| x == c)
}

/// Whether a character is part of a word (letters and digits).
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Fast path for the Latin letters Vietnamese uses.
    match c as u32 {
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x1E00..=0x1EFF => true,
        0x2000..=0x206F | 0xA0..=0xBF | 0xD7 | 0xF7 => false,
        _ => c.is_alphanumeric(),
    }
}

/// Lowercase of one character when it has the same UTF-8 length.
#[inline]
fn lower_same_len(c: char) -> Option<char> {
    let u = c as u32;
    match u {
        // Vietnamese letters with tone marks: upper even, lower odd.
        0x1EA0..=0x1EF9 => char::from_u32(u | 1),
        0xC0..=0xD6 | 0xD8..=0xDE => char::from_u32(u + 0x20),
        0xDF..=0xFF => Some(c),
        0x102 | 0x110 | 0x128 | 0x168 | 0x1A0 => char::from_u32(u + 1),
        0x1AF => Some('\u{1B0}'),
        0x103 | 0x111 | 0x129 | 0x169 | 0x1A1 | 0x1B0 => Some(c),
        _ => {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(lc), None) if lc.len_utf8() == c.len_utf8() => Some(lc),
                _ => None,
            }
        }
    }
}

/// The first occurrence of `needle` in `hay` at or after `from`.
///
/// The reader's haystacks are sentences or clauses and its needles a few
/// words, searched many times each: `str::find` set up its two-way searcher
/// on every call, which cost more than the search (a fifth of the reader's
/// time). Here candidates are found by the needle's first two bytes, eight
/// positions at a time ([`find_pair`]), then compared.
fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.len() > hay.len() || from > hay.len() - needle.len() {
        return needle
            .is_empty()
            .then_some(from)
            .filter(|&f| f <= hay.len());
    }
    let last_start = hay.len() - needle.len();
    match *needle {
        [] => Some(from),
        [a] => (from..=last_start).find(|&i| hay[i] == a),
        [a, b, ..] => {
            let eq = Prefix::new(needle);
            let mut i = from;
            loop {
                let at = find_pair(hay, a, b, i, last_start)?;
                if eq.at(hay, at) {
                    return Some(at);
                }
                i = at + 1;
            }
        }
    }
}

/// The last occurrence of `needle` in `hay[..end]`.
fn rfind_bytes(hay: &[u8], needle: &[u8], end: usize) -> Option<usize> {
    let hay = &hay[..end];
    if needle.len() > hay.len() {
        return None;
    }
    let last_start = hay.len() - needle.len();
    match *needle {
        [] => Some(end),
        [a] => (0..=last_start).rev().find(|&i| hay[i] == a),
        [a, b, ..] => {
            let eq = Prefix::new(needle);
            let mut hi = last_start;
            loop {
                let at = rfind_pair(hay, a, b, hi)?;
                if eq.at(hay, at) {
                    return Some(at);
                }
                hi = at.checked_sub(1)?;
            }
        }
    }
}

/// A needle compared eight bytes at a time: most candidates of a search
/// (found by their first two bytes) differ in the first eight, and are
/// told apart by one comparison of words instead of a call to `memcmp`.
struct Prefix<'n> {
    needle: &'n [u8],
    head: u64,
    mask: u64,
}

impl<'n> Prefix<'n> {
    fn new(needle: &'n [u8]) -> Prefix<'n> {
        let k = needle.len().min(8);
        Prefix {
            needle,
            head: word_at(needle, 0),
            mask: if k == 8 { !0 } else { (1u64 << (8 * k)) - 1 },
        }
    }

    /// Whether the needle occurs at `hay[at..]` (which is long enough).
    #[inline]
    fn at(&self, hay: &[u8], at: usize) -> bool {
        (word_at(hay, at) ^ self.head) & self.mask == 0
            && (self.needle.len() <= 8 || hay[at + 8..].starts_with(&self.needle[8..]))
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of every byte of `x` that is zero (exact: no borrow from one
/// byte into the next).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Bytes `i..i + 8` of `b` as one word (byte `i` lowest); past the end, zeros.
#[inline]
fn word_at(b: &[u8], i: usize) -> u64 {
    match b.get(i..i + 8) {
        Some(w) => u64::from_le_bytes(w.try_into().expect("eight bytes")),
        None => {
            let mut w = [0u8; 8];
            let rest = b.get(i..).unwrap_or_default();
            w[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(w)
        }
    }
}

/// The first position in `b[from..to]` holding one of `bytes`, eight bytes
/// at a time (for scans over whole documents: line ends, full stops).
pub(crate) fn find_byte_of(b: &[u8], from: usize, to: usize, bytes: &[u8]) -> Option<usize> {
    let to = to.min(b.len());
    let mut i = from;
    while i + 8 <= to {
        let w = word_at(b, i);
        let m = bytes
            .iter()
            .fold(0, |m, &x| m | zero_bytes(w ^ (ONES * u64::from(x))));
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..to).find(|&j| bytes.contains(&b[j]))
}

/// The high bit of every byte of `x` that is an ASCII digit (exact: each
/// byte's sum stays below 0x100).
#[inline]
fn digit_bytes(x: u64) -> u64 {
    let d = x ^ (ONES * 0x30);
    !(((d & LOW7) + ONES * 0x76) | d) & !LOW7
}

/// The first ASCII digit in `b[from..to]`, eight bytes at a time.
pub(crate) fn find_digit(b: &[u8], from: usize, to: usize) -> Option<usize> {
    let to = to.min(b.len());
    let mut i = from;
    while i + 8 <= to {
        let m = digit_bytes(word_at(b, i));
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..to).find(|&j| b[j].is_ascii_digit())
}

/// The high bit of every byte of `x` that starts a character of two bytes
/// or more (0b11xx_xxxx).
#[inline]
fn lead_bytes(x: u64) -> u64 {
    x & (x << 1) & !LOW7
}

/// Calls `f(i)`, in order, for every position `i` of `b` whose byte has its
/// high bit in `mask(i)` (the mask of the eight bytes from `i`): a scan
/// eight bytes at a time for the few bytes that matter. `f` returns the
/// position to go on from (at least `i + 1`).
#[inline]
fn each_position(b: &[u8], mask: impl Fn(usize) -> u64, mut f: impl FnMut(usize) -> usize) {
    let mut i = 0;
    while i < b.len() {
        let m = mask(i);
        if m == 0 {
            i += 8;
            continue;
        }
        let at = i + m.trailing_zeros() as usize / 8;
        if at >= b.len() {
            return;
        }
        i = f(at).max(at + 1);
    }
}

/// The first `at` in `lo..=hi` with `hay[at] == a` and `hay[at + 1] == b`
/// (`hi + 1 < hay.len()`): eight positions per step, then one by one.
#[inline]
fn find_pair(hay: &[u8], a: u8, b: u8, lo: usize, hi: usize) -> Option<usize> {
    let (wa, wb) = (ONES * u64::from(a), ONES * u64::from(b));
    let mut i = lo;
    while i + 7 <= hi {
        let m = zero_bytes(word_at(hay, i) ^ wa) & zero_bytes(word_at(hay, i + 1) ^ wb);
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..=hi).find(|&j| hay[j] == a && hay[j + 1] == b)
}

/// The last `at` in `0..=hi` with `hay[at] == a` and `hay[at + 1] == b`.
#[inline]
fn rfind_pair(hay: &[u8], a: u8, b: u8, hi: usize) -> Option<usize> {
    let (wa, wb) = (ONES * u64::from(a), ONES * u64::from(b));
    // Candidates left to look at: 0..end.
    let mut end = hi + 1;
    while end >= 8 {
        let i = end - 8;
        let m = zero_bytes(word_at(hay, i) ^ wa) & zero_bytes(word_at(hay, i + 1) ^ wb);
        if m != 0 {
            return Some(i + (63 - m.leading_zeros() as usize) / 8);
        }
        end = i;
    }
    (0..end).rev().find(|&j| hay[j] == a && hay[j + 1] == b)
}

/// Find `needle` in `hay` as whole words (both ends on a word boundary),
/// starting the search at `from`. Returns the byte offset.
pub fn find_word(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    while pos <= hay.len() {
        let at = find_bytes(hay.as_bytes(), needle.as_bytes(), pos)?;
        let end = at + needle.len();
        let before_ok = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c))
            || !needle.chars().next().is_some_and(is_word_char);
        let after_ok = hay[end..].chars().next().is_none_or(|c| !is_word_char(c))
            || !needle.chars().next_back().is_some_and(is_word_char);
        if before_ok && after_ok {
            return Some(at);
        }
        pos = at + needle.chars().next().map_or(1, |c| c.len_utf8());
    }
    None
}

/// The last whole-word occurrence of `needle` in `hay`.
pub fn rfind_word(hay: &str, needle: &str) -> Option<usize> {
    let mut end = hay.len();
    loop {
        let at = rfind_bytes(hay.as_bytes(), needle.as_bytes(), end)?;
        let e = at + needle.len();
        let before_ok = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c))
            || !needle.chars().next().is_some_and(is_word_char);
        let after_ok = hay[e..].chars().next().is_none_or(|c| !is_word_char(c))
            || !needle.chars().next_back().is_some_and(is_word_char);
        if before_ok && after_ok {
            return Some(at);
        }
        if at == 0 {
            return None;
        }
        end = at + needle.len() - 1;
        while !hay.is_char_boundary(end) {
            end -= 1;
        }
        if end <= at {
            end = at;
            if end == 0 {
                return None;
            }
        }
    }
}

/// Whether `hay` contains `needle` as whole words.
pub fn has_word(hay: &str, needle: &str) -> bool {
    find_word(hay, needle, 0).is_some()
}

/// Where the keys of a list occur in a stretch of a text, found once to ask
/// of many parts of it whether one of the keys stands there as whole words
/// (what `keys.iter().any(|k| has_word(part, k))` says). A sentence's
/// figures each ask it of the clause before them ("is this a plan, a
/// projection, an average?"): one search per figure scanned the clause
/// again and again.
pub struct Occurrences<'t> {
    text: &'t str,
    from: usize,
    to: usize,
    keys: &'t [&'t str],
    /// Start and end of each occurrence (as a substring), and whether its
    /// key starts and ends with a word character (then the occurrence must
    /// stand on word boundaries).
    hits: Vec<(usize, usize, bool, bool)>,
}

impl<'t> Occurrences<'t> {
    /// The occurrences of `keys` in `text[from..to]`.
    pub fn new(text: &'t str, from: usize, to: usize, keys: &'t [&'t str]) -> Occurrences<'t> {
        let hay = &text.as_bytes()[from..to];
        let mut hits = Vec::new();
        for k in keys {
            let first_word = k.chars().next().is_some_and(is_word_char);
            let last_word = k.chars().next_back().is_some_and(is_word_char);
            if k.is_empty() {
                // Found anywhere, as `has_word` finds it.
                hits.push((usize::MAX, usize::MAX, false, false));
                continue;
            }
            let mut p = 0;
            while let Some(at) = find_bytes(hay, k.as_bytes(), p) {
                hits.push((from + at, from + at + k.len(), first_word, last_word));
                p = at + 1;
            }
        }
        Occurrences {
            text,
            from,
            to,
            keys,
            hits,
        }
    }

    /// Whether a key stands as whole words in `part`, a slice of the text.
    pub fn any_in(&self, part: &str) -> bool {
        let a = (part.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        let b = a.wrapping_add(part.len());
        if a < self.from || b > self.to || a > b {
            // Not in the stretch searched: search it.
            return self.keys.iter().any(|k| has_word(part, k));
        }
        let t = self.text;
        self.hits.iter().any(|&(s, e, first_word, last_word)| {
            s == usize::MAX
                || s >= a
                    && e <= b
                    && (s == a
                        || !first_word
                        || !t[..s].chars().next_back().is_some_and(is_word_char))
                    && (e == b || !last_word || !t[e..].chars().next().is_some_and(is_word_char))
        })
    }
}

/// A word of a text: byte range, and whether it starts with a capital letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub cap: bool,
}

/// The words of `norm[from..to]` (offsets absolute).
pub fn words(norm: &str, from: usize, to: usize) -> Vec<Word> {
    let s = &norm[from..to];
    // About one word in six bytes of Vietnamese.
    let mut out = Vec::with_capacity(s.len() / 6 + 1);
    let mut start: Option<(usize, bool)> = None;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // ASCII and Vietnamese letters without decoding; other characters
        // decoded one at a time.
        let (word, len) = if b[i] < 0x80 {
            (b[i].is_ascii_alphanumeric(), 1)
        } else if let Some(len) = vietnamese_letter_len(b, i) {
            (true, len)
        } else {
            let c = s[i..].chars().next().expect("a character starts here");
            (is_word_char(c), c.len_utf8())
        };
        if word {
            if start.is_none() {
                let cap = s[i..].chars().next().is_some_and(char::is_uppercase);
                start = Some((i, cap));
            }
        } else if let Some((st, cap)) = start.take() {
            out.push(Word {
                start: from + st,
                end: from + i,
                cap,
            });
        }
        i += len;
    }
    if let Some((st, cap)) = start {
        out.push(Word {
            start: from + st,
            end: to,
            cap,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_maps_back() {
        let nfd: String = "Tiền Giang có 5 dự án".nfd().collect();
        let n = Normalized::new(&nfd);
        assert_eq!(n.text, "Tiền Giang có 5 dự án");
        let at = n.text.find("dự án").unwrap();
        let sp = n.map_span(at, at + "dự án".len());
        assert_eq!(nfd[sp[0]..sp[1]].nfc().collect::<String>(), "dự án");
    }

    #[test]
    fn replacements() {
        let n = Normalized::new("a\u{00A0}b \u{2013} c\u{2026} \u{201C}x\u{201D}\r\n");
        assert_eq!(n.text, "a b - c... \"x\"\n");
        let at = n.text.find('x').unwrap();
        let sp = n.map_span(at, at + 1);
        assert_eq!(
            &"a\u{00A0}b \u{2013} c\u{2026} \u{201C}x\u{201D}\r\n"[sp[0]..sp[1]],
            "x"
        );
    }

    #[test]
    fn canon_keeps_length() {
        for s in [
            "Thoả thuận THANH HOÁ",
            "Khánh Hoà, Thuỷ sản, quý, tuỳ",
            "ĐẮK LẮK",
            "İstanbul K",
        ] {
            let c = canon(s);
            assert_eq!(c.len(), s.len(), "{s}");
        }
        assert_eq!(canon("Thoả thuận"), "thỏa thuận");
        assert_eq!(canon("Khánh Hoà"), canon("Khánh Hòa"));
        assert_eq!(canon("quý"), "quý");
    }

    /// The canonical copy as it was made before it worked on bytes: the
    /// reference the faster one must agree with.
    fn canon_char_by_char(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(lower_same_len(c).unwrap_or(c));
            }
        }
        // Tone placement: "oà" -> "òa" etc. at the end of a word. Done on chars with
        // equal byte lengths only, so offsets do not move.
        if !out.bytes().any(|b| b >= 0x80) {
            return out;
        }
        let mut patches: Vec<(usize, char, char)> = Vec::new();
        let mut it = out.char_indices().peekable();
        let mut prev2: Option<char> = None;
        let mut prev: Option<(usize, char)> = None;
        while let Some((i, b)) = it.next() {
            if let Some((pi, a)) = prev {
                if (a == 'o' || a == 'u') && !b.is_ascii() {
                    let at_end = it.peek().is_none_or(|&(_, n)| !is_word_char(n));
                    if at_end {
                        let swap = match a {
                            'o' => tone_of(b, "aàáảãạ")
                                .map(|t| (t, 'a'))
                                .or_else(|| tone_of(b, "eèéẻẽẹ").map(|t| (t, 'e'))),
                            _ if prev2 != Some('q') => tone_of(b, "yỳýỷỹỵ").map(|t| (t, 'y')),
                            _ => None,
                        };
                        if let Some((tone, base)) = swap
                            && tone > 0
                        {
                            let first = match a {
                                'o' => ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'][tone],
                                _ => ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'][tone],
                            };
                            if first.len_utf8() + base.len_utf8() == a.len_utf8() + b.len_utf8() {
                                patches.push((pi, first, base));
                            }
                        }
                    }
                }
                prev2 = Some(a);
            }
            let _ = i;
            prev = Some((i, b));
        }
        if patches.is_empty() {
            return out;
        }
        let mut bytes = out.into_bytes();
        for (pos, first, base) in patches {
            let mut buf = [0u8; 8];
            let l1 = first.encode_utf8(&mut buf).len();
            let l2 = base.encode_utf8(&mut buf[l1..]).len();
            bytes[pos..pos + l1 + l2].copy_from_slice(&buf[..l1 + l2]);
        }
        String::from_utf8(bytes).expect("same-length replacements keep UTF-8 valid")
    }

    /// Normalisation as it was before it skipped Vietnamese letters by
    /// their bytes: the reference for the faster one.
    fn normalized_char_by_char(input: &str) -> Normalized {
        let bytes = input.as_bytes();
        let mut text = String::with_capacity(input.len());
        let mut pieces: Vec<Piece> = Vec::new();
        // Start of the current verbatim run (in the input).
        let mut run_start = 0usize;
        let mut i = 0usize;
        let flush = |text: &mut String, pieces: &mut Vec<Piece>, from: usize, to: usize| {
            if to > from {
                pieces.push(Piece {
                    norm_start: text.len(),
                    norm_len: to - from,
                    orig_start: from,
                    orig_len: to - from,
                    verbatim: true,
                });
                text.push_str(&input[from..to]);
            }
        };
        let mut changed = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if b == b'\r' {
                    flush(&mut text, &mut pieces, run_start, i);
                    let len = if bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    pieces.push(Piece {
                        norm_start: text.len(),
                        norm_len: 1,
                        orig_start: i,
                        orig_len: len,
                        verbatim: false,
                    });
                    text.push('\n');
                    i += len;
                    run_start = i;
                    changed = true;
                    continue;
                }
                // ASCII followed by a combining mark forms a cluster.
                if bytes.get(i + 1).is_some_and(|&n| n >= 0x80) {
                    let next = input[i + 1..].chars().next().unwrap();
                    if is_combining_mark(next) {
                        let end = cluster_end(input, i + 1);
                        flush(&mut text, &mut pieces, run_start, i);
                        push_cluster(&mut text, &mut pieces, input, i, end);
                        i = end;
                        run_start = i;
                        changed = true;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            let c = input[i..].chars().next().unwrap();
            let clen = c.len_utf8();
            if let Some(rep) = replacement(c) {
                flush(&mut text, &mut pieces, run_start, i);
                pieces.push(Piece {
                    norm_start: text.len(),
                    norm_len: rep.len(),
                    orig_start: i,
                    orig_len: clen,
                    verbatim: false,
                });
                text.push_str(rep);
                i += clen;
                run_start = i;
                changed = true;
                continue;
            }
            let next_is_mark = input[i + clen..]
                .chars()
                .next()
                .is_some_and(is_combining_mark);
            if next_is_mark {
                let end = cluster_end(input, i + clen);
                let cluster = &input[i..end];
                let nfc: String = cluster.nfc().collect();
                if nfc != cluster {
                    flush(&mut text, &mut pieces, run_start, i);
                    push_cluster(&mut text, &mut pieces, input, i, end);
                    run_start = end;
                    changed = true;
                }
                i = end;
                continue;
            }
            i += clen;
        }
        if !changed {
            return Normalized {
                text: input.to_string(),
                pieces: None,
                orig_len: input.len(),
            };
        }
        flush(&mut text, &mut pieces, run_start, bytes.len());
        Normalized {
            text,
            pieces: Some(pieces),
            orig_len: input.len(),
        }
    }

    /// The words of a text as they were found before, character by character.
    fn words_char_by_char(norm: &str, from: usize, to: usize) -> Vec<Word> {
        let s = &norm[from..to];
        // About one word in six bytes of Vietnamese.
        let mut out = Vec::with_capacity(s.len() / 6 + 1);
        let mut start: Option<(usize, bool)> = None;
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            // ASCII without decoding; other characters decoded one at a time.
            let (c, len) = if b[i] < 0x80 {
                (b[i] as char, 1)
            } else {
                let c = s[i..].chars().next().expect("a character starts here");
                (c, c.len_utf8())
            };
            if is_word_char(c) {
                if start.is_none() {
                    start = Some((i, c.is_uppercase()));
                }
            } else if let Some((st, cap)) = start.take() {
                out.push(Word {
                    start: from + st,
                    end: from + i,
                    cap,
                });
            }
            i += len;
        }
        if let Some((st, cap)) = start {
            out.push(Word {
                start: from + st,
                end: to,
                cap,
            });
        }
        out
    }

    /// Text made of what the passes over characters tell apart: ASCII,
    /// Vietnamese letters (capitals too), marks of NFD text, characters
    /// normalisation replaces, `×` `÷` `Ð`, other scripts.
    const PIECES: &str = "aA oO uU qQ Ðđ Đ ×÷ ạẠ ếẾ ỳỲ ữỮ àÀ ảẢ ăĂ ơƠ ưƯ \u{0301}\u{0323}\u{0300}\u{0306} \u{00A0}\u{2013}\u{2026}\u{201C}\u{200B}\r\n İ ẞ ǅ ɐ Ω й 中 1,5. Hoà thoả quý";

    fn from_pieces(idx: &[usize]) -> String {
        let chars: Vec<char> = PIECES.chars().collect();
        idx.iter().map(|&i| chars[i % chars.len()]).collect()
    }

    proptest::proptest! {
        #[test]
        fn passes_on_bytes_agree_with_char_by_char(idx in proptest::collection::vec(0usize..200, 0..40)) {
            let s = from_pieces(&idx);
            let fast = Normalized::new(&s);
            let slow = normalized_char_by_char(&s);
            proptest::prop_assert_eq!(&fast.text, &slow.text);
            proptest::prop_assert_eq!(format!("{:?}", fast.pieces), format!("{:?}", slow.pieces));
            proptest::prop_assert_eq!(canon(&s), canon_char_by_char(&s));
            proptest::prop_assert_eq!(words(&s, 0, s.len()), words_char_by_char(&s, 0, s.len()));
        }
    }

    proptest::proptest! {
        /// Occurrences found once answer for every part as a search of the part would.
        #[test]
        fn occurrences_answer_as_searches(hay in "[ab sẽ,.]{0,30}", a in 0usize..40, b in 0usize..40) {
            const KEYS: &[&str] = &["a", "ab", "sẽ", "b a", ", a"];
            let fix = |i: usize| (0..=i.min(hay.len())).rev().find(|&j| hay.is_char_boundary(j)).unwrap();
            let (a, b) = (fix(a.min(b)), fix(a.max(b)));
            let occ = Occurrences::new(&hay, 0, hay.len(), KEYS);
            let part = &hay[a..b];
            proptest::prop_assert_eq!(occ.any_in(part), KEYS.iter().any(|k| has_word(part, k)));
            // Also for a stretch that does not hold the part.
            let short = Occurrences::new(&hay, 0, a, KEYS);
            proptest::prop_assert_eq!(short.any_in(part), KEYS.iter().any(|k| has_word(part, k)));
        }
    }

    proptest::proptest! {
        #[test]
        fn canon_on_bytes_agrees_with_char_by_char(s in "[oOuUqaAàÀảẢoeEèéYyỳýỷỹỵ ,.ĐđHòÒ\u{0130}K\u{1E9E}]{0,30}") {
            proptest::prop_assert_eq!(canon(&s), canon_char_by_char(&s));
        }

        /// The byte scans find what `str::find` and `str::rfind` find.
        #[test]
        fn byte_scans_agree_with_std(hay in "[aàđ ô.]{0,40}", needle in "[aàđ ô]{0,8}", cut in 0usize..48) {
            let from = (0..=cut.min(hay.len())).rev().find(|&i| hay.is_char_boundary(i)).unwrap();
            proptest::prop_assert_eq!(
                find_bytes(hay.as_bytes(), needle.as_bytes(), from),
                hay[from..].find(needle.as_str()).map(|p| p + from)
            );
            proptest::prop_assert_eq!(
                rfind_bytes(hay.as_bytes(), needle.as_bytes(), from),
                hay[..from].rfind(needle.as_str())
            );
        }
    }

    #[test]
    fn digits_eight_at_a_time() {
        for b in 0..=255u8 {
            let bytes = [b'a', b, 0xFF, b'0', b'9', b'/', b':', b];
            let want: u64 = bytes
                .iter()
                .enumerate()
                .filter(|(_, x)| x.is_ascii_digit())
                .map(|(i, _)| 0x80u64 << (8 * i))
                .sum();
            assert_eq!(digit_bytes(u64::from_le_bytes(bytes)), want, "{b:#x}");
        }
        assert_eq!(find_digit(b"abc def ghi 7", 0, 13), Some(12));
        assert_eq!(find_digit(b"abc def ghi 7", 0, 12), None);
        assert_eq!(find_digit("năm 2022".as_bytes(), 0, 9), Some(5));
        assert_eq!(find_digit(b"abc", 0, 3), None);
    }

    #[test]
    fn word_search() {
        assert_eq!(find_word("ngoài ngo x", "ngo", 0), Some(7));
        assert_eq!(rfind_word("oda, oda hoda", "oda"), Some(5));
        assert!(!has_word("hoda", "oda"));
    }
}
