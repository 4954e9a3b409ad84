//! Text-layer PDFs (a Word report printed to PDF) to plain text whose
//! paragraphs are lines, with the byte offset where each page starts.
//!
//! Glyphs come from `pdf-extract` (pure Rust on `lopdf`; fonts decoded
//! through their ToUnicode maps, so Vietnamese set in embedded TrueType or
//! CID fonts reads as Unicode). The layout is ours:
//!
//! * glyphs are grouped into lines by their baseline, lines sorted top to
//!   bottom; a page whose lines split at one gutter near the middle is read
//!   as two columns (left, then right); other multi-cell lines (tables) are
//!   read row by row, cells separated by " | ";
//! * lines repeated at the top or bottom of most pages (running headers and
//!   footers, digits folded) and page-number lines ("12", "- 3 -", "Trang
//!   2/10") are removed;
//! * a line ending in a hyphen glued to a word is joined to the next without
//!   it; lines are joined into paragraphs unless the line ends a sentence and
//!   is short, or a clear vertical gap or an indent starts a new one;
//! * a paragraph running over a page break is joined.
//!
//! Bounded: at most [`MAX_BYTES`] of input and [`MAX_PAGES`] pages (later
//! pages are left out with a warning), compressed streams that would expand
//! past [`MAX_INFLATED`] are refused (a PDF bomb), and the work stops at
//! [`TIME_LIMIT`] (checked glyph by glyph). A panic inside the PDF library on
//! a broken file is caught and reported as an unreadable PDF.

use std::io::Read;
use std::time::{Duration, Instant};

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// Largest PDF read (bytes).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Pages read at most; later pages are left out with a warning.
pub const MAX_PAGES: usize = 500;
/// Total size the compressed streams may expand to.
pub const MAX_INFLATED: u64 = 512 * 1024 * 1024;
/// Time allowed for one PDF.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The text of a PDF and where its pages start.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    pub text: String,
    /// Byte offset in `text` where each page (1-based: index + 1) starts.
    pub page_starts: Vec<usize>,
    pub warnings: Vec<crate::Why>,
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// No text layer: a scan (OCR is not done).
    Scanned,
    /// Encrypted with a password.
    Encrypted,
    /// Damaged or not a PDF the library can parse.
    Broken(String),
    /// Over a size or time limit.
    TooBig(PdfLimit),
}

/// The limit a PDF went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfLimit {
    /// The file's size (MB) and the largest allowed.
    Size { mb: usize, max_mb: usize },
    /// Its compressed streams expand past this many MB (a PDF bomb?).
    Inflated { max_mb: u64 },
    /// Reading took longer than allowed (seconds).
    Time { secs: u64 },
}

impl PdfError {
    /// What went wrong and what to do, in Vietnamese and English.
    pub fn message(&self) -> crate::Why {
        use crate::Why;
        match self {
            PdfError::Scanned => Why::new(
                "tệp PDF là bản quét, không có lớp chữ (hệ thống không nhận dạng chữ OCR): hãy xuất báo cáo từ Word ra PDF, hoặc tải lên tệp .docx",
                "a scanned PDF with no text layer (no OCR is done: export the report from Word as PDF, or give the .docx)",
            ),
            PdfError::Encrypted => Why::new(
                "tệp PDF được bảo vệ bằng mật khẩu; hãy lưu một bản không đặt mật khẩu",
                "an encrypted PDF (password protected); save an unprotected copy",
            ),
            PdfError::Broken(m) => Why::new(
                format!("tệp PDF bị hỏng hoặc không đọc được ({m})"),
                format!("a damaged or unreadable PDF ({m})"),
            ),
            PdfError::TooBig(PdfLimit::Size { mb, max_mb }) => Why::new(
                format!("tệp PDF quá lớn ({mb} MB; tối đa {max_mb} MB)"),
                format!("a PDF over the reader's limits ({mb} MB; at most {max_mb} MB)"),
            ),
            PdfError::TooBig(PdfLimit::Inflated { max_mb }) => Why::new(
                format!(
                    "nội dung nén của tệp PDF bung ra quá {max_mb} MB (có thể là tệp phá hoại)"
                ),
                format!(
                    "a PDF over the reader's limits (its streams expand past {max_mb} MB: a PDF bomb?)"
                ),
            ),
            PdfError::TooBig(PdfLimit::Time { secs }) => Why::new(
                format!("đọc tệp PDF quá {secs} giây; hãy chia nhỏ tệp hoặc tải lên bản .docx"),
                format!(
                    "a PDF over the reader's limits (reading took over {secs} s); split it or give the .docx"
                ),
            ),
        }
    }
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en)
    }
}

#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    w: f64,
    size: f64,
    ch: String,
}

#[derive(Debug, Default)]
struct Page {
    width: f64,

    glyphs: Vec<Glyph>,
}

struct Collector {
    pages: Vec<Page>,
    flip: Transform,
    deadline: Instant,
    max_pages: usize,
    glyphs: usize,
}

fn time_limit(limits: &PdfLimits) -> PdfLimit {
    PdfLimit::Time {
        secs: limits.time_limit.as_secs().max(1),
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.flip = Transform::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        self.pages.push(Page {
            width: (media_box.urx - media_box.llx).abs(),

            glyphs: Vec::new(),
        });
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        self.glyphs += 1;
        if self.glyphs.is_multiple_of(4096) && Instant::now() > self.deadline {
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        let p = trm.post_transform(&self.flip);
        // The font size through the text matrix (as pdf-extract's own output).
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt().max(1.0);
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        if ch.chars().all(|c| c.is_control()) {
            return Ok(());
        }
        page.glyphs.push(Glyph {
            x: p.m31,
            y: p.m32,
            w: width * size,
            size,
            ch: ch.to_string(),
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// The bounds of one PDF read.
#[derive(Debug, Clone, Copy)]
pub struct PdfLimits {
    pub max_bytes: usize,
    pub max_pages: usize,
    pub max_inflated: u64,
    pub time_limit: Duration,
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits {
            max_bytes: MAX_BYTES,
            max_pages: MAX_PAGES,
            max_inflated: MAX_INFLATED,
            time_limit: TIME_LIMIT,
        }
    }
}

/// Read a text-layer PDF within the default limits.
pub fn text_from_pdf(bytes: &[u8]) -> Result<PdfText, PdfError> {
    text_from_pdf_with(bytes, &PdfLimits::default())
}

/// Read a text-layer PDF within `limits`.
pub fn text_from_pdf_with(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, PdfError> {
    if bytes.len() > limits.max_bytes {
        return Err(PdfError::TooBig(PdfLimit::Size {
            mb: bytes.len() / (1024 * 1024),
            max_mb: limits.max_bytes / (1024 * 1024),
        }));
    }
    let started = Instant::now();
    // The PDF library may panic on a broken file: catch it.
    let result =
        std::panic::catch_unwind(|| read_pages(bytes, started + limits.time_limit, limits));
    let (pages, mut warnings) = match result {
        Ok(r) => r?,
        Err(p) => {
            let m = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the PDF library failed".into());
            return Err(PdfError::Broken(m));
        }
    };
    let mut out = layout(&pages);
    out.warnings.append(&mut warnings);
    let letters = out.text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 20.max(pages.len() * 5) {
        return Err(PdfError::Scanned);
    }
    Ok(out)
}

fn read_pages(
    bytes: &[u8],
    deadline: Instant,
    limits: &PdfLimits,
) -> Result<(Vec<Page>, Vec<crate::Why>), PdfError> {
    let mut doc = match pdf_extract::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(e) => {
            let m = e.to_string();
            if m.to_ascii_lowercase().contains("decrypt")
                || m.to_ascii_lowercase().contains("password")
                || m.to_ascii_lowercase().contains("encrypt")
            {
                return Err(PdfError::Encrypted);
            }
            return Err(PdfError::Broken(m));
        }
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(PdfError::Encrypted);
    }
    // A PDF bomb: compressed streams that expand past the limit.
    let mut inflated: u64 = 0;
    for obj in doc.objects.values() {
        if let Ok(s) = obj.as_stream() {
            let flate = s
                .dict
                .get(b"Filter")
                .ok()
                .is_some_and(|f| format!("{f:?}").contains("FlateDecode"));
            if flate {
                let left = limits.max_inflated.saturating_sub(inflated) + 1;
                let mut dec = flate2::read::ZlibDecoder::new(&s.content[..]).take(left);
                let n = std::io::copy(&mut dec, &mut std::io::sink()).unwrap_or(0);
                inflated += n;
                if inflated > limits.max_inflated {
                    return Err(PdfError::TooBig(PdfLimit::Inflated {
                        max_mb: limits.max_inflated / (1024 * 1024),
                    }));
                }
            }
        }
        if Instant::now() > deadline {
            return Err(PdfError::TooBig(time_limit(limits)));
        }
    }
    let page_ids = doc.get_pages();
    let mut warnings = Vec::new();
    if page_ids.len() > limits.max_pages {
        warnings.push(crate::Why::new(
            format!(
                "tệp có {} trang; chỉ đọc {} trang đầu",
                page_ids.len(),
                limits.max_pages
            ),
            format!(
                "{} pages; only the first {} were read",
                page_ids.len(),
                limits.max_pages
            ),
        ));
    }
    let mut col = Collector {
        pages: Vec::new(),
        flip: Transform::identity(),
        deadline,
        max_pages: limits.max_pages,
        glyphs: 0,
    };
    for (&num, _) in page_ids.iter().take(col.max_pages) {
        let before = col.pages.len();
        if let Err(e) = pdf_extract::output_doc_page(&doc, &mut col, num) {
            if Instant::now() > deadline {
                return Err(PdfError::TooBig(time_limit(limits)));
            }
            warnings.push(crate::Why::new(
                format!("trang {num} không đọc được: {e}"),
                format!("page {num}: {e}"),
            ));
        }
        // Keep page numbering even when a page fails before it starts.
        while col.pages.len() <= before {
            col.pages.push(Page::default());
        }
        if Instant::now() > deadline {
            return Err(PdfError::TooBig(time_limit(limits)));
        }
    }
    Ok((col.pages, warnings))
}

/// One line of a page: its text, left edge, right edge, baseline and size.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
}

/// Group a page's glyphs into lines (cells split at wide gaps).
fn page_lines(page: &Page) -> Vec<Vec<Line>> {
    let mut gs: Vec<&Glyph> = page.glyphs.iter().collect();
    gs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    // Rows by baseline.
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        match rows.last_mut() {
            Some(r) if (r[0].y - g.y).abs() <= 0.4 * r[0].size.max(g.size) => r.push(g),
            _ => rows.push(vec![g]),
        }
    }
    let mut out = Vec::new();
    for mut r in rows {
        r.sort_by(|a, b| a.x.total_cmp(&b.x));
        // Cells: split where the gap is wider than 1.6 em (a column gutter of 1 cm
        // at 13 pt is 2.2 em; justified word spaces stay under 1 em).
        let mut cells: Vec<Line> = Vec::new();
        let mut cur = String::new();
        let mut x0 = r[0].x;
        let mut last_end = r[0].x;
        let mut size = r[0].size;
        let y = r[0].y;
        for (i, g) in r.iter().enumerate() {
            let gap = g.x - last_end;
            if i > 0 && gap > 1.6 * g.size {
                cells.push(Line {
                    text: std::mem::take(&mut cur).trim().to_string(),
                    x0,
                    x1: last_end,
                    y,
                    size,
                });
                x0 = g.x;
            } else if i > 0 && gap > 0.15 * g.size && !cur.ends_with(' ') && g.ch != " " {
                cur.push(' ');
            }
            if g.ch == " " && cur.ends_with(' ') {
                // collapse
            } else {
                cur.push_str(&g.ch);
            }
            last_end = last_end.max(g.x + g.w);
            size = size.max(g.size);
        }
        cells.push(Line {
            text: cur.trim().to_string(),
            x0,
            x1: last_end,
            y,
            size,
        });
        cells.retain(|c| !c.text.is_empty());
        if !cells.is_empty() {
            out.push(cells);
        }
    }
    out
}

/// A line that is only a page number: "12", "- 3 -", "Trang 2", "2/10", "Page 4 of 9".
fn is_page_number(t: &str) -> bool {
    let l = t.trim().to_lowercase();
    let l = l.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let l = l
        .strip_prefix("trang")
        .or_else(|| l.strip_prefix("page"))
        .unwrap_or(l)
        .trim();
    !l.is_empty()
        && l.len() <= 12
        && l.chars().any(|c| c.is_ascii_digit())
        && l.chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == ' ' || c == '-' || l.contains("of"))
        && l.split_whitespace().all(|w| {
            w == "of"
                || w.chars()
                    .all(|c| c.is_ascii_digit() || c == '/' || c == '-')
        })
}

/// Digits folded, for comparing running headers ("Trang 3" = "Trang 4").
fn furniture_key(t: &str) -> String {
    t.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// Order a page's rows for reading: two columns (left, then right) when most
/// rows split at one gutter near the middle; otherwise rows top to bottom,
/// table cells joined by " | ".
fn read_order(page: &Page, rows: Vec<Vec<Line>>) -> Vec<Line> {
    let w = if page.width > 0.0 { page.width } else { 612.0 };
    let mid_lo = 0.35 * w;
    let mid_hi = 0.65 * w;
    let split_at = |r: &Vec<Line>| -> Option<usize> {
        if r.len() != 2 {
            return None;
        }
        let (a, b) = (&r[0], &r[1]);
        (a.x1 <= mid_hi
            && b.x0 >= mid_lo
            && a.x1 < b.x0
            && (a.x1 - a.x0) > 0.2 * w
            && (b.x1 - b.x0) > 0.2 * w)
            .then_some(1)
    };
    let two = rows.iter().filter(|r| split_at(r).is_some()).count();
    if two >= 3 {
        // The gutter: the mean middle of the rows that split.
        let gutter = rows
            .iter()
            .filter(|r| split_at(r).is_some())
            .map(|r| (r[0].x1 + r[1].x0) / 2.0)
            .sum::<f64>()
            / two as f64;
        let on_one_side = |r: &Vec<Line>| {
            r.iter()
                .all(|c| c.x1 <= gutter + 2.0 || c.x0 >= gutter - 2.0)
        };
        // Column blocks: runs of rows that split at the gutter (or lie on one
        // side of it) holding at least three split rows; each block reads
        // its left column, then its right one. Rows across the gutter (a
        // title, a table, a full-width paragraph) stay where they are.
        let mut out: Vec<Line> = Vec::new();
        let mut i = 0;
        while i < rows.len() {
            let mut j = i;
            let mut splits = 0;
            while j < rows.len() && (split_at(&rows[j]).is_some() || on_one_side(&rows[j])) {
                splits += usize::from(split_at(&rows[j]).is_some());
                j += 1;
            }
            if splits >= 3 {
                let (mut left, mut right) = (Vec::new(), Vec::new());
                for r in &rows[i..j] {
                    for cell in r {
                        if cell.x1 <= gutter + 2.0 {
                            left.push(cell.clone());
                        } else {
                            right.push(cell.clone());
                        }
                    }
                }
                out.extend(left);
                out.extend(right);
                i = j;
            } else {
                let end = j.max(i + 1);
                for r in &rows[i..end] {
                    out.push(join_cells(r));
                }
                i = end;
            }
        }
        return out;
    }
    rows.iter().map(|r| join_cells(r)).collect()
}

/// A row as one line, its cells joined by " | " (a table row).
fn join_cells(r: &[Line]) -> Line {
    if r.len() == 1 {
        return r[0].clone();
    }
    Line {
        text: r
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        x0: r[0].x0,
        x1: r[r.len() - 1].x1,
        y: r[0].y,
        size: r.iter().map(|c| c.size).fold(0.0, f64::max),
    }
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end()
        .ends_with(['.', ':', ';', '!', '?', '"', '”', ')'])
}

fn starts_item(t: &str) -> bool {
    let t = t.trim_start();
    // "- Tiếp tục …" is a list item; "- xã hội" continues "kinh tế - xã hội".
    let dash_item = t.starts_with(['-', '–', '•', '+', '*'])
        && t[t.chars().next().map_or(0, char::len_utf8)..]
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| !c.is_lowercase());
    dash_item
        || t.split_once(['.', ')']).is_some_and(|(a, _)| {
            !a.is_empty()
                && a.len() <= 3
                && a.chars()
                    .all(|c| c.is_ascii_digit() || "ivxIVX".contains(c) || c.is_ascii_lowercase())
        })
}

/// Lay the pages out as text.
fn layout(pages: &[Page]) -> PdfText {
    // Rows top to bottom, before any reordering: headers and footers are
    // the page's first and last rows.
    let mut per_rows: Vec<Vec<Vec<Line>>> = pages.iter().map(page_lines).collect();
    // Running headers and footers: the first or last two rows of a page
    // whose digit-folded text recurs on at least half of the pages.
    let n_pages = per_rows.iter().filter(|l| !l.is_empty()).count();
    let row_text = |r: &Vec<Line>| join_cells(r).text;
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for rows in &per_rows {
        let mut keys: Vec<String> = Vec::new();
        let k = rows.len();
        for (i, r) in rows.iter().enumerate() {
            if i < 2 || i + 2 >= k {
                keys.push(furniture_key(&row_text(r)));
            }
        }
        keys.sort();
        keys.dedup();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
    }
    for rows in &mut per_rows {
        let k = rows.len();
        let mut i = 0;
        rows.retain(|r| {
            let edge = i < 2 || i + 2 >= k;
            i += 1;
            let t = row_text(r);
            let repeated = n_pages >= 2
                && counts.get(&furniture_key(&t)).copied().unwrap_or(0) * 2 >= n_pages.max(3);
            !(edge && (repeated || is_page_number(&t)))
        });
    }
    let per_page: Vec<Vec<Line>> = pages
        .iter()
        .zip(per_rows)
        .map(|(p, rows)| read_order(p, rows))
        .collect();
    let mut out = PdfText::default();
    let mut text = String::new();
    for (pi, lines) in per_page.iter().enumerate() {
        // Continue a paragraph across the page break?
        let continues = !text.is_empty()
            && !text.ends_with('\n')
            && lines
                .first()
                .is_some_and(|l| l.text.chars().next().is_some_and(|c| c.is_lowercase()));
        if !continues && !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        if continues {
            if text.ends_with('-') && !text.ends_with(" -") {
                text.pop();
            } else {
                text.push(' ');
            }
        }
        out.page_starts.push(text.len());
        let _ = pi;
        // Typical line spacing and width on this page.
        let mut gaps: Vec<f64> = lines
            .windows(2)
            .map(|w| w[1].y - w[0].y)
            .filter(|g| *g > 0.0)
            .collect();
        gaps.sort_by(f64::total_cmp);
        let spacing = gaps.get(gaps.len() / 2).copied().unwrap_or(14.0);
        let right = lines.iter().map(|l| l.x1).fold(0.0, f64::max);
        let left = lines.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                let prev = &lines[i - 1];
                let gap = l.y - prev.y;
                let short = prev.x1 < right - 0.15 * (right - left).max(1.0);
                let new_para = gap > 1.6 * spacing
                    || gap < 0.0
                    || (ends_sentence(&prev.text) && short)
                    || starts_item(&l.text)
                    || prev.text.contains(" | ")
                    || l.text.contains(" | ")
                    || (l.x0 > prev.x0 + 1.5 * l.size && ends_sentence(&prev.text))
                    || (l.size > prev.size * 1.15 || prev.size > l.size * 1.15);
                if new_para {
                    text.push('\n');
                } else if text.ends_with('-')
                    && !text.ends_with(" -")
                    && l.text.chars().next().is_some_and(|c| c.is_lowercase())
                {
                    // A word hyphenated at the line's end.
                    text.pop();
                } else {
                    text.push(' ');
                }
            }
            text.push_str(&l.text);
        }
    }
    if !text.ends_with('\n') && !text.is_empty() {
        text.push('\n');
    }
    out.text = text;
    out
}

/// The page (1-based) of a byte offset, given the pages' start offsets.
pub fn page_of(page_starts: &[usize], offset: usize) -> Option<u32> {
    if page_starts.is_empty() {
        return None;
    }
    let i = page_starts.partition_point(|&s| s <= offset);
    Some(i.max(1) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f64, x0: f64, x1: f64) -> Line {
        Line {
            text: text.into(),
            x0,
            x1,
            y,
            size: 12.0,
        }
    }

    fn page_of_lines(lines: &[(&str, f64, f64, f64)]) -> Page {
        // One glyph per character, 6 units wide, laid along each line.
        let mut p = Page {
            width: 600.0,

            glyphs: Vec::new(),
        };
        for (t, y, x0, _) in lines {
            let mut x = *x0;
            for ch in t.chars() {
                p.glyphs.push(Glyph {
                    x,
                    y: *y,
                    w: 6.0,
                    size: 12.0,
                    ch: ch.to_string(),
                });
                x += 6.0;
            }
        }
        p
    }

    #[test]
    fn page_numbers() {
        for t in ["12", "- 3 -", "Trang 2", "2/10", "Page 4 of 9", "– 7 –"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["Năm 2022", "39 dự án", "Trang chủ"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    #[test]
    fn headers_footers_hyphens_and_paragraphs() {
        let mk = |body: &[(&str, f64)], n: usize| {
            let mut ls: Vec<(&str, f64, f64, f64)> =
                vec![("SỞ NGOẠI VỤ TỈNH X", 40.0, 50.0, 200.0)];
            for (t, y) in body {
                ls.push((t, *y, 50.0, 550.0));
            }
            let num: &'static str = Box::leak(format!("{n}").into_boxed_str());
            ls.push((num, 780.0, 300.0, 306.0));
            page_of_lines(&ls)
        };
        let p1 = mk(
            &[
                (
                    "Năm 2022, tỉnh đã đón 30 đoàn khách nước ngoài và tổ chức nhiều hoạt",
                    100.0,
                ),
                (
                    "động đối ngoại. Kim ngạch xuất khẩu đạt 1,2 tỷ USD, tăng 5% so với cùng kỳ của năm trước",
                    114.0,
                ),
                ("đó, trong khi nhập khẩu đạt 800 triệu USD.", 128.0),
                (
                    "Tỉnh đã ký 3 thỏa thuận hợp tác quốc tế với các đối tác nước ngoài và các tổ chức quốc",
                    160.0,
                ),
            ],
            1,
        );
        let p2 = mk(
            &[
                ("tế trong năm.", 100.0),
                (
                    "Trong năm, tỉnh tiếp nhận 12 dự án viện trợ phi chính phủ nước ngoài với giá trị cam kết",
                    130.0,
                ),
            ],
            2,
        );
        let p3 = mk(&[("Kết thúc báo cáo.", 100.0)], 3);
        let t = layout(&[p1, p2, p3]);
        assert!(!t.text.contains("SỞ NGOẠI VỤ"), "{}", t.text);
        assert!(!t.text.lines().any(|l| l.trim() == "2"), "{}", t.text);
        assert!(t.text.contains("hoạt động đối ngoại"), "{}", t.text);
        assert!(t.text.contains("quốc tế trong năm."), "{}", t.text);
        assert_eq!(t.page_starts.len(), 3);
        assert_eq!(
            page_of(&t.page_starts, t.text.find("12 dự án").unwrap()),
            Some(2)
        );
        assert_eq!(page_of(&t.page_starts, 0), Some(1));
    }

    #[test]
    fn two_columns_read_left_then_right() {
        let mut ls = Vec::new();
        let left = [
            "Cột trái dòng một nói về tình hình",
            "đầu tư nước ngoài của tỉnh trong",
            "năm qua với nhiều kết quả tốt đẹp.",
            "Cột trái dòng bốn đến đây là hết.",
        ];
        let right = [
            "Cột phải dòng một nói về nguồn",
            "viện trợ phi chính phủ nước ngoài",
            "của tỉnh trong năm qua rất khả quan.",
            "Cột phải dòng bốn đến đây là hết.",
        ];
        for i in 0..4 {
            ls.push((left[i], 100.0 + 14.0 * i as f64, 40.0, 250.0));
            ls.push((right[i], 100.0 + 14.0 * i as f64, 320.0, 560.0));
        }
        let t = layout(&[page_of_lines(&ls)]);
        let a = t.text.find("Cột trái dòng bốn").unwrap();
        let b = t.text.find("Cột phải dòng một").unwrap();
        assert!(a < b, "{}", t.text);
    }

    #[test]
    fn tables_row_by_row() {
        let ls = [
            ("Chỉ tiêu", 100.0, 40.0, 100.0),
            ("Năm 2022", 100.0, 300.0, 360.0),
            ("Xuất khẩu", 114.0, 40.0, 100.0),
            ("1.200 triệu USD", 114.0, 300.0, 390.0),
        ];
        let t = layout(&[page_of_lines(&ls)]);
        assert!(t.text.contains("Xuất khẩu | 1.200 triệu USD"), "{}", t.text);
        let _ = line("x", 0.0, 0.0, 0.0);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(matches!(
            text_from_pdf(b"%PDF-1.4\n garbage"),
            Err(PdfError::Broken(_))
        ));
        assert!(text_from_pdf(b"").is_err());
    }
}
