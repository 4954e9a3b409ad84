//! A report ([`ngoaivu_document::Document`]) as a PDF that looks like the
//! administrative document a provincial office signs: the layout of Decree
//! 30/2020/NĐ-CP, Appendix I. [`write`] is a pure function from the tree to
//! the bytes; nothing is read from or written to disk, and no system font is
//! consulted, so the same document gives the same PDF on every machine.
//!
//! Why its own small layout engine rather than a general one: the document
//! has a handful of block kinds and one page style, and the decree fixes
//! every measure, so a few hundred lines of measured lines and boxes lay it
//! out exactly, and the dependencies stay light (`pdf-writer` for the file,
//! `subsetter` and `ttf-parser` for the font, `usvg` only to read charts).
//!
//! Layout choices (all measures in points; 1 mm = 2.835 pt):
//! - A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm.
//! - Liberation Serif (metric twin of Times New Roman) embedded as subset CID
//!   fonts with a ToUnicode map, so every Vietnamese letter (ặ, ệ, ộ, ự, ỹ, Đ)
//!   is drawn from its precomposed glyph and copies out as NFC text. Text is
//!   normalised to NFC before it is measured or drawn.
//! - Heading in two columns, each centred in itself: left the parent body
//!   (13, regular), the issuing body (13, bold) with a short rule under it,
//!   then "Số: …"; right the national name (12, bold), the motto (13, bold)
//!   with a rule its own length, then the place and date (13, italic) on the
//!   same line as the number.
//! - Title and subtitle centred, bold 14, a short rule under them.
//! - Body 13 pt, justified, first-line indent 1.27 cm, line height 1.25,
//!   6 pt after each paragraph. No single line of a paragraph is left alone
//!   at the foot or head of a page, and a heading always moves with the start
//!   of what follows it.
//! - Tables as wide as the text, 12 pt (11 pt when the columns' texts would
//!   not all fit unbroken), thin borders; column widths from content (each column's
//!   longest word and whole text: short columns never wrap for a long one);
//!   bold centred header repeated on every page the table runs onto; numbers
//!   right-aligned; total rows bold; caption bold centred above (kept with
//!   the header and first rows), note small and italic below.
//! - Charts: the SVG of `Chart::to_svg` (540 units wide, so its labels come
//!   out at 9–12 pt), as vectors, scaled to the text width and kept on one
//!   page; its labels are real text in the embedded faces.
//! - Closing in two columns: "Nơi nhận:" (12, bold italic) and the recipients
//!   (11) on the left; the authority lines (13, bold) centred on the right,
//!   about 2.3 cm to sign and stamp, then the signer's name (13, bold). Kept
//!   on one page together with the footnote (10, italic, under a short rule).
//! - Page numbers centred in the top margin from page 2 on (13, regular), as
//!   the decree asks; the title and language (vi) in the document metadata.

mod font;
mod svg;

use ngoaivu_document::{AdminHeading, Block, Cell, Chart, Document, Lang, Table};
use pdf_writer::{Content, Filter, Finish, Pdf, Rect, Ref, Str, TextStr};
use unicode_normalization::UnicodeNormalization;

use font::{Fonts, Style};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("font: {0}")]
    Font(String),
    #[error("chart: {0}")]
    Chart(String),
}

/// The document as the bytes of a PDF file.
pub fn write(doc: &Document) -> Result<Vec<u8>, Error> {
    let mut l = Layout::new(doc)?;
    l.document()?;
    l.finish()
}

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
const TOP: f32 = PAGE_H - 20.0 * MM;
const BOTTOM: f32 = 20.0 * MM;
const LEFT: f32 = 30.0 * MM;
const RIGHT: f32 = PAGE_W - 15.0 * MM;
const WIDTH: f32 = RIGHT - LEFT;

const BODY: f32 = 13.0;
const BODY_LEADING: f32 = 1.25;
const INDENT: f32 = 12.7 * MM;
const PARA_AFTER: f32 = 6.0;
const TITLE: f32 = 14.0;
const HEAD: f32 = 13.0;
const RULE: f32 = 0.6;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;
const BORDER: f32 = 0.5;
/// The width the chart SVGs are drawn at, in their own units; scaled to the
/// text width (≈ 0.87), their 10–14 unit labels come out at 9–12 pt.
const CHART_UNITS: u32 = 540;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Center,
    Right,
    Justify,
}

/// A line of text after breaking: its words and whether it ends a paragraph
/// (the last line of a justified paragraph is not stretched).
struct Line {
    words: Vec<String>,
    last: bool,
}

/// A paragraph-like run of text with its look.
#[derive(Clone, Copy)]
struct Look {
    style: Style,
    size: f32,
    leading: f32,
    align: Align,
    /// Extra indent of the first line.
    indent: f32,
}

impl Look {
    fn line_height(&self) -> f32 {
        self.size * self.leading
    }
}

/// The baseline of a line of `size` text in a box of height `lh` whose top
/// is `top`: the font's ascent-to-descent range centred in the box
/// (Liberation Serif: ascent 0.891 em, descent 0.216 em).
fn baseline(top: f32, lh: f32, size: f32) -> f32 {
    top - lh / 2.0 - (0.891 - 0.216) / 2.0 * size
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

struct Layout<'a> {
    doc: &'a Document,
    fonts: Fonts,
    pages: Vec<Content>,
    /// The top of the free space on the current page.
    y: f32,
    /// Charts read from their SVG, by block index.
    charts: Vec<Option<usvg::Tree>>,
}

/// A table measured for a width: its column widths and each row's lines.
struct TableLayout {
    size: f32,
    widths: Vec<f32>,
    header: RowLayout,
    rows: Vec<RowLayout>,
}

struct RowLayout {
    cells: Vec<(Vec<String>, Align)>,
    style: Style,
    height: f32,
}

impl<'a> Layout<'a> {
    fn new(doc: &'a Document) -> Result<Layout<'a>, Error> {
        let charts = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Chart(c) => {
                    svg::parse(&c.to_svg(doc.lang, CHART_UNITS, svg::FAMILY)).map(Some)
                }
                _ => Ok(None),
            })
            .collect::<Result<_, _>>()?;
        Ok(Layout {
            doc,
            fonts: Fonts::new()?,
            pages: vec![Content::new()],
            y: TOP,
            charts,
        })
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a page")
    }

    fn at_top(&self) -> bool {
        self.y >= TOP - 0.01
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = TOP;
        // Decree 30: Arabic numerals centred in the top margin, not on the
        // first page.
        let n = self.pages.len().to_string();
        let w = self.fonts.width(Style::Regular, 13.0, &n);
        self.text(
            PAGE_W / 2.0 + (LEFT - (PAGE_W - RIGHT)) / 2.0 - w / 2.0,
            PAGE_H - 12.0 * MM,
            Style::Regular,
            13.0,
            &n,
        );
    }

    /// Starts a new page unless `h` points fit above the bottom margin.
    fn ensure(&mut self, h: f32) {
        if self.y - h < BOTTOM - 0.01 && !self.at_top() {
            self.new_page();
        }
    }

    fn space(&mut self, h: f32) {
        if !self.at_top() {
            self.y -= h;
        }
    }

    // ---- drawing primitives -------------------------------------------

    fn text(&mut self, x: f32, base: f32, style: Style, size: f32, s: &str) {
        let s = nfc(s);
        let codes = self.fonts.encode(style, &s);
        let p = self.page();
        p.begin_text();
        p.set_font(style.resource(), size);
        p.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, base]);
        p.show(Str(&codes));
        p.end_text();
    }

    /// Words spread over `width`: real space glyphs (so text copies out with
    /// its spaces) followed by a positioning adjustment.
    fn text_justified(
        &mut self,
        x: f32,
        base: f32,
        style: Style,
        size: f32,
        words: &[String],
        width: f32,
    ) {
        let natural: f32 = self.fonts.width(style, size, &words.join(" "));
        let gaps = words.len().saturating_sub(1).max(1) as f32;
        let extra = ((width - natural) / gaps).max(0.0);
        let codes: Vec<Vec<u8>> = words.iter().map(|w| self.fonts.encode(style, w)).collect();
        let space = self.fonts.encode(style, " ");
        let p = self.page();
        p.begin_text();
        p.set_font(style.resource(), size);
        p.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, base]);
        {
            let mut tj = p.show_positioned();
            let mut items = tj.items();
            for (i, c) in codes.iter().enumerate() {
                if i > 0 {
                    items.show(Str(&space));
                    items.adjust(-extra * 1000.0 / size);
                }
                items.show(Str(c));
            }
        }
        p.end_text();
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        let p = self.page();
        p.set_line_width(width);
        p.move_to(x1, y);
        p.line_to(x2, y);
        p.stroke();
    }

    /// A line of text aligned in the box from `x` over `width`.
    fn line_in(
        &mut self,
        x: f32,
        width: f32,
        base: f32,
        (style, size): (Style, f32),
        s: &str,
        align: Align,
    ) {
        let w = self.fonts.width(style, size, s);
        let x = match align {
            Align::Left | Align::Justify => x,
            Align::Center => x + (width - w) / 2.0,
            Align::Right => x + width - w,
        };
        self.text(x, base, style, size, s);
    }

    // ---- line breaking -------------------------------------------------

    /// Breaks `text` into lines no wider than `width` (the first line
    /// `width - indent`), on spaces; a word wider than a whole line is cut
    /// between letters. Hard line breaks in the text are kept.
    fn wrap(&mut self, style: Style, size: f32, text: &str, width: f32, indent: f32) -> Vec<Line> {
        let text = nfc(text);
        let space = self.fonts.width(style, size, " ");
        let mut lines = vec![];
        for para in text.split('\n') {
            let mut cur: Vec<String> = vec![];
            let mut cur_w = 0.0;
            let mut room = if lines.is_empty() {
                width - indent
            } else {
                width
            };
            for word in para.split_whitespace() {
                let mut word = word.to_string();
                loop {
                    let ww = self.fonts.width(style, size, &word);
                    let need = if cur.is_empty() {
                        ww
                    } else {
                        cur_w + space + ww
                    };
                    if need <= room + 0.01 {
                        cur_w = need;
                        cur.push(word);
                        break;
                    }
                    if !cur.is_empty() {
                        lines.push(Line {
                            words: std::mem::take(&mut cur),
                            last: false,
                        });
                        cur_w = 0.0;
                        room = width;
                        continue;
                    }
                    // A single word wider than the line: cut it.
                    let mut head = String::new();
                    let mut hw = 0.0;
                    let mut rest = String::new();
                    for (i, c) in word.chars().enumerate() {
                        let cw = self.fonts.width(style, size, c.encode_utf8(&mut [0; 4]));
                        if !rest.is_empty() || (i > 0 && hw + cw > room) {
                            rest.push(c);
                        } else {
                            head.push(c);
                            hw += cw;
                        }
                    }
                    lines.push(Line {
                        words: vec![head],
                        last: false,
                    });
                    room = width;
                    if rest.is_empty() {
                        break;
                    }
                    word = rest;
                }
            }
            lines.push(Line {
                words: cur,
                last: true,
            });
        }
        lines
    }

    /// Sets a run of text in the text column's box from `x` over `width`,
    /// breaking pages between lines, never leaving one line of a paragraph
    /// alone at the bottom or the top of a page.
    fn flow(&mut self, text: &str, look: Look, x: f32, width: f32) {
        let lines = self.wrap(look.style, look.size, text, width, look.indent);
        let lh = look.line_height();
        let total = lines.len();
        let mut i = 0;
        while i < total {
            let left = total - i;
            let fit = ((self.y - BOTTOM + 0.01) / lh).floor().max(0.0) as usize;
            if fit < left {
                let mut take = fit;
                if left - take == 1 {
                    take = take.saturating_sub(1);
                }
                if take < 2 && !self.at_top() {
                    self.new_page();
                    continue;
                }
                let take = take.max(1);
                self.lines(&lines[i..i + take], i == 0, look, x, width);
                i += take;
                self.new_page();
            } else {
                self.lines(&lines[i..], i == 0, look, x, width);
                i = total;
            }
        }
    }

    fn lines(&mut self, lines: &[Line], first: bool, look: Look, x: f32, width: f32) {
        let lh = look.line_height();
        for (k, line) in lines.iter().enumerate() {
            let indent = if first && k == 0 { look.indent } else { 0.0 };
            let base = baseline(self.y, lh, look.size);
            let (lx, lw) = (x + indent, width - indent);
            if look.align == Align::Justify && !line.last && line.words.len() > 1 {
                self.text_justified(lx, base, look.style, look.size, &line.words, lw);
            } else {
                let s = line.words.join(" ");
                self.line_in(lx, lw, base, (look.style, look.size), &s, look.align);
            }
            self.y -= lh;
        }
    }

    /// The text as one line when it fits (its spaces kept: "Số:      /BC-…"
    /// leaves the clerk room for the number), else broken into lines.
    fn keep_or_wrap(&mut self, style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
        if !text.contains('\n') && self.fonts.width(style, size, text) <= width {
            return vec![text.to_string()];
        }
        self.wrap(style, size, text, width, 0.0)
            .into_iter()
            .map(|l| l.words.join(" "))
            .collect()
    }

    fn height(&mut self, text: &str, look: Look, width: f32) -> f32 {
        self.wrap(look.style, look.size, text, width, look.indent)
            .len() as f32
            * look.line_height()
    }

    // ---- the document --------------------------------------------------

    fn document(&mut self) -> Result<(), Error> {
        self.admin_heading();
        self.title();
        let blocks = &self.doc.blocks;
        for (i, b) in blocks.iter().enumerate() {
            match b {
                Block::Heading { level, text } => {
                    let look = heading_look(*level);
                    let before = if *level <= 1 { 8.0 } else { 4.0 };
                    self.space(before);
                    // Keep the heading with the start of what follows.
                    let mut need = self.height(text, look, WIDTH) + PARA_AFTER;
                    if let Some(next) = blocks.get(i + 1) {
                        need += self.min_height(i + 1, next, blocks.get(i + 2));
                    }
                    self.ensure(need);
                    self.flow(text, look, LEFT, WIDTH);
                    self.y -= PARA_AFTER / 2.0;
                }
                Block::Paragraph(text) => {
                    self.flow(text, body_look(), LEFT, WIDTH);
                    self.y -= PARA_AFTER;
                }
                Block::Table(t) => self.table(t),
                Block::Chart(c) => self.chart(i, c),
            }
        }
        self.closing();
        Ok(())
    }

    /// The least height that must follow a heading on its page: two lines
    /// of a paragraph, a table's caption, header and first rows, a whole
    /// chart.
    fn min_height(&mut self, i: usize, b: &Block, after: Option<&Block>) -> f32 {
        match b {
            Block::Heading { level, text } => {
                let look = heading_look(*level);
                let h = self.height(text, look, WIDTH) + PARA_AFTER;
                h + match after {
                    Some(Block::Paragraph(_)) | None => 2.0 * body_look().line_height(),
                    Some(Block::Table(t)) => self.table_start_height(t),
                    Some(Block::Chart(_)) => self.chart_height(i + 1),
                    Some(Block::Heading { .. }) => 2.0 * body_look().line_height(),
                }
            }
            Block::Paragraph(text) => {
                let n = self
                    .wrap(Style::Regular, BODY, text, WIDTH, INDENT)
                    .len()
                    .min(2);
                n as f32 * body_look().line_height()
            }
            Block::Table(t) => self.table_start_height(t),
            Block::Chart(_) => self.chart_height(i),
        }
    }

    fn admin_heading(&mut self) {
        let h: &AdminHeading = &self.doc.heading;
        let lh = 13.0 * 1.2;
        let national = 12.0;
        let right_w = [
            self.fonts
                .width(Style::Bold, national, AdminHeading::NATIONAL_NAME),
            self.fonts.width(Style::Bold, HEAD, AdminHeading::MOTTO),
            self.fonts.width(Style::Italic, HEAD, &h.place_date),
        ]
        .into_iter()
        .fold(0.0, f32::max)
            + 10.0;
        let right_w = right_w.min(WIDTH * 0.62);
        let left_w = WIDTH - right_w;
        let (lx, rx) = (LEFT, LEFT + left_w);
        let top = self.y;

        // Left: parent body, issuing body, short rule.
        let mut y = top;
        let mut rows: Vec<(Style, String)> = vec![];
        if let Some(p) = &h.parent_body {
            for line in self.wrap(Style::Regular, HEAD, p, left_w, 0.0) {
                rows.push((Style::Regular, line.words.join(" ")));
            }
        }
        let mut body_w: f32 = 0.0;
        for line in self.wrap(Style::Bold, HEAD, &h.issuing_body, left_w, 0.0) {
            let s = line.words.join(" ");
            body_w = body_w.max(self.fonts.width(Style::Bold, HEAD, &s));
            rows.push((Style::Bold, s));
        }
        for (style, s) in &rows {
            self.line_in(
                lx,
                left_w,
                baseline(y, lh, HEAD),
                (*style, HEAD),
                s,
                Align::Center,
            );
            y -= lh;
        }
        // Decree 30: a rule a third to a half of the line above, centred.
        let rule = (body_w * 0.42).max(36.0);
        let cx = lx + left_w / 2.0;
        self.hline(cx - rule / 2.0, cx + rule / 2.0, y - 1.5, RULE);
        let left_end = y - 2.0;

        // Right: national name, motto with a rule its own length.
        let mut y = top;
        let nat = AdminHeading::NATIONAL_NAME;
        self.line_in(
            rx,
            right_w,
            baseline(y, lh, national),
            (Style::Bold, national),
            nat,
            Align::Center,
        );
        y -= lh;
        let motto_w = self.fonts.width(Style::Bold, HEAD, AdminHeading::MOTTO);
        self.line_in(
            rx,
            right_w,
            baseline(y, lh, HEAD),
            (Style::Bold, HEAD),
            AdminHeading::MOTTO,
            Align::Center,
        );
        y -= lh;
        let cx = rx + right_w / 2.0;
        self.hline(cx - motto_w / 2.0, cx + motto_w / 2.0, y - 2.0, RULE);
        let right_end = y - 2.0;

        // Number and place-date on one line.
        let mut y = left_end.min(right_end) - 8.0;
        let number_lines = self.keep_or_wrap(Style::Regular, HEAD, &h.number, left_w);
        let date_lines = self.keep_or_wrap(Style::Italic, HEAD, &h.place_date, right_w);
        for k in 0..number_lines.len().max(date_lines.len()) {
            let base = baseline(y, lh, HEAD);
            if let Some(l) = number_lines.get(k) {
                self.line_in(lx, left_w, base, (Style::Regular, HEAD), l, Align::Center);
            }
            if let Some(l) = date_lines.get(k) {
                self.line_in(rx, right_w, base, (Style::Italic, HEAD), l, Align::Center);
            }
            y -= lh;
        }
        self.y = y;
    }

    fn title(&mut self) {
        self.y -= 22.0;
        let look = Look {
            style: Style::Bold,
            size: TITLE,
            leading: 1.2,
            align: Align::Center,
            indent: 0.0,
        };
        let title = self.doc.title.clone();
        self.flow(&title, look, LEFT, WIDTH);
        let mut widest: f32 = 0.0;
        for s in self.doc.subtitle.clone() {
            for line in self.wrap(Style::Bold, TITLE, &s, WIDTH, 0.0) {
                widest = widest.max(self.fonts.width(Style::Bold, TITLE, &line.words.join(" ")));
            }
            self.flow(&s, look, LEFT, WIDTH);
        }
        if !self.doc.subtitle.is_empty() {
            let rule = (widest / 3.0).clamp(50.0, 110.0);
            let cx = LEFT + WIDTH / 2.0;
            let y = self.y - 3.0;
            self.hline(cx - rule / 2.0, cx + rule / 2.0, y, RULE);
            self.y -= 3.0;
        }
        self.y -= 18.0;
    }

    // ---- tables ----------------------------------------------------------

    fn table_layout(&mut self, t: &Table) -> TableLayout {
        let lang = self.doc.lang;
        let n = t.columns.len().max(1);
        let texts: Vec<(Vec<String>, Style)> = t
            .rows
            .iter()
            .map(|r| {
                let mut cells: Vec<String> =
                    r.cells.iter().map(|c| nfc(&c.display(lang))).collect();
                cells.resize(n, String::new());
                (cells, if r.total { Style::Bold } else { Style::Regular })
            })
            .collect();
        let labels: Vec<String> = t.columns.iter().map(|c| nfc(&c.label)).collect();
        // Measure at 12 pt; fall back to 11 pt when the columns' natural
        // widths do not fit.
        let mut size = 12.0;
        let (mut min, mut max) = self.column_extents(&labels, &texts, size);
        if max.iter().sum::<f32>() > WIDTH {
            size = 11.0;
            (min, max) = self.column_extents(&labels, &texts, size);
        }
        let widths = distribute(&min, &max, WIDTH);
        let header = self.row_layout(&labels, Style::Bold, size, &widths, |_| Align::Center);
        let rows = texts
            .iter()
            .zip(&t.rows)
            .map(|((cells, style), row)| {
                self.row_layout(cells, *style, size, &widths, |c| {
                    if t.columns.get(c).is_some_and(|col| col.numeric) {
                        Align::Right
                    } else if matches!(row.cells.get(c), Some(Cell::Empty)) {
                        Align::Center
                    } else {
                        Align::Left
                    }
                })
            })
            .collect();
        TableLayout {
            size,
            widths,
            header,
            rows,
        }
    }

    /// Each column's narrowest (its longest word) and natural (its longest
    /// text) width, padding included.
    fn column_extents(
        &mut self,
        labels: &[String],
        rows: &[(Vec<String>, Style)],
        size: f32,
    ) -> (Vec<f32>, Vec<f32>) {
        let n = labels.len();
        let mut min = vec![0.0f32; n];
        let mut max = vec![0.0f32; n];
        let all = std::iter::once((labels, Style::Bold))
            .chain(rows.iter().map(|(c, s)| (c.as_slice(), *s)));
        for (cells, style) in all {
            for (c, text) in cells.iter().enumerate().take(n) {
                for line in text.split('\n') {
                    max[c] = max[c].max(self.fonts.width(style, size, line));
                    for word in line.split_whitespace() {
                        min[c] = min[c].max(self.fonts.width(style, size, word));
                    }
                }
            }
        }
        let pad = 2.0 * CELL_PAD_X + 0.5;
        (
            min.iter().map(|w| w + pad).collect(),
            max.iter().map(|w| w + pad).collect(),
        )
    }

    fn row_layout(
        &mut self,
        cells: &[String],
        style: Style,
        size: f32,
        widths: &[f32],
        align: impl Fn(usize) -> Align,
    ) -> RowLayout {
        let lh = size * 1.2;
        let cells: Vec<(Vec<String>, Align)> = widths
            .iter()
            .enumerate()
            .map(|(c, w)| {
                let text = cells.get(c).map(String::as_str).unwrap_or("");
                let lines = self
                    .wrap(style, size, text, w - 2.0 * CELL_PAD_X, 0.0)
                    .into_iter()
                    .map(|l| l.words.join(" "))
                    .collect();
                (lines, align(c))
            })
            .collect();
        let most = cells.iter().map(|(l, _)| l.len()).max().unwrap_or(1).max(1);
        RowLayout {
            cells,
            style,
            height: most as f32 * lh + 2.0 * CELL_PAD_Y,
        }
    }

    fn caption_look() -> Look {
        Look {
            style: Style::Bold,
            size: BODY,
            leading: 1.2,
            align: Align::Center,
            indent: 0.0,
        }
    }

    fn note_look() -> Look {
        Look {
            style: Style::Italic,
            size: 11.0,
            leading: 1.2,
            align: Align::Justify,
            indent: 0.0,
        }
    }

    fn table_start_height(&mut self, t: &Table) -> f32 {
        let l = self.table_layout(t);
        6.0 + self.height(&t.caption, Self::caption_look(), WIDTH)
            + 4.0
            + l.header.height
            + l.rows.iter().take(3).map(|r| r.height).sum::<f32>()
    }

    fn table(&mut self, t: &Table) {
        let layout = self.table_layout(t);
        self.space(6.0);
        let start = self.table_start_height(t) - 6.0;
        self.ensure(start);
        self.flow(&t.caption, Self::caption_look(), LEFT, WIDTH);
        self.y -= 4.0;
        self.row(&layout, &layout.header);
        for row in &layout.rows {
            if self.y - row.height < BOTTOM - 0.01 {
                self.new_page();
                self.row(&layout, &layout.header);
            }
            self.row(&layout, row);
        }
        if let Some(note) = &t.note {
            self.y -= 3.0;
            self.flow(note, Self::note_look(), LEFT, WIDTH);
        }
        self.y -= 10.0;
    }

    fn row(&mut self, t: &TableLayout, row: &RowLayout) {
        let lh = t.size * 1.2;
        let top = self.y;
        let mut x = LEFT;
        for ((lines, align), w) in row.cells.iter().zip(&t.widths) {
            let content = lines.len() as f32 * lh;
            let mut y = top - (row.height - content) / 2.0;
            for line in lines {
                let base = baseline(y, lh, t.size);
                self.line_in(
                    x + CELL_PAD_X,
                    w - 2.0 * CELL_PAD_X,
                    base,
                    (row.style, t.size),
                    line,
                    *align,
                );
                y -= lh;
            }
            x += w;
        }
        let p = self.page();
        p.set_line_width(BORDER);
        let mut x = LEFT;
        for w in &t.widths {
            p.rect(x, top - row.height, *w, row.height);
            x += w;
        }
        p.stroke();
        self.y -= row.height;
    }

    // ---- charts ------------------------------------------------------------

    /// The scale a chart is drawn at: the text width, or less when it would
    /// not fit on a page.
    fn chart_scale(&self, i: usize) -> f32 {
        let Some(tree) = self.charts.get(i).and_then(Option::as_ref) else {
            return 1.0;
        };
        let size = tree.size();
        let s = WIDTH / size.width();
        s.min((TOP - BOTTOM - 12.0) / size.height())
    }

    fn chart_height(&self, i: usize) -> f32 {
        match self.charts.get(i).and_then(Option::as_ref) {
            Some(tree) => tree.size().height() * self.chart_scale(i) + 16.0,
            None => 0.0,
        }
    }

    fn chart(&mut self, i: usize, _c: &Chart) {
        let h = self.chart_height(i);
        self.space(6.0);
        self.ensure(h - 6.0);
        let scale = self.chart_scale(i);
        if let Some(tree) = self.charts[i].take() {
            let w = tree.size().width() * scale;
            let x = LEFT + (WIDTH - w) / 2.0;
            let top = self.y;
            let page = self.pages.last_mut().expect("a page");
            svg::draw(&tree, page, &mut self.fonts, x, top, scale);
            self.y -= tree.size().height() * scale;
            self.charts[i] = Some(tree);
        }
        self.y -= 10.0;
    }

    // ---- closing -----------------------------------------------------------

    fn closing(&mut self) {
        let c = &self.doc.closing;
        let left_w = WIDTH * 0.44;
        let right_w = WIDTH - left_w;
        let rx = LEFT + left_w;
        let (rec_label, sign_room) = match self.doc.lang {
            Lang::Vi => ("Nơi nhận:", 66.0),
            Lang::En => ("Recipients:", 66.0),
        };
        // Measure both columns, keep them on one page.
        let rec_lh = 11.0 * 1.2;
        let mut rec_lines: Vec<String> = vec![];
        for r in &c.recipients {
            for (k, l) in self
                .wrap(Style::Regular, 11.0, r, left_w - 8.0, 0.0)
                .into_iter()
                .enumerate()
            {
                let s = l.words.join(" ");
                // Continuation lines hang under the text after "- ".
                rec_lines.push(if k > 0 { format!("\u{a0}\u{a0}{s}") } else { s });
            }
        }
        let left_h = 12.0 * 1.3 + rec_lines.len() as f32 * rec_lh;
        let auth_lh = HEAD * 1.25;
        let mut auth_lines: Vec<String> = vec![];
        for a in &c.authority {
            for l in self.wrap(Style::Bold, HEAD, a, right_w, 0.0) {
                auth_lines.push(l.words.join(" "));
            }
        }
        let right_h = auth_lines.len() as f32 * auth_lh + sign_room + auth_lh;
        // The footnote stays with the signature.
        let foot_h = match &self.doc.footnote {
            Some(note) => 16.0 + 4.0 + self.height(note, footnote_look(), WIDTH),
            None => 0.0,
        };
        self.space(10.0);
        self.ensure(left_h.max(right_h) + foot_h);
        let top = self.y;

        let mut y = top;
        self.text(
            LEFT,
            baseline(y, 12.0 * 1.3, 12.0),
            Style::BoldItalic,
            12.0,
            rec_label,
        );
        y -= 12.0 * 1.3;
        for s in &rec_lines {
            self.text(LEFT, baseline(y, rec_lh, 11.0), Style::Regular, 11.0, s);
            y -= rec_lh;
        }
        let left_end = y;

        let mut y = top;
        for s in &auth_lines {
            self.line_in(
                rx,
                right_w,
                baseline(y, auth_lh, HEAD),
                (Style::Bold, HEAD),
                s,
                Align::Center,
            );
            y -= auth_lh;
        }
        y -= sign_room;
        if let Some(name) = &c.signer {
            self.line_in(
                rx,
                right_w,
                baseline(y, auth_lh, HEAD),
                (Style::Bold, HEAD),
                name,
                Align::Center,
            );
        }
        y -= auth_lh;
        self.y = left_end.min(y);

        if let Some(note) = &self.doc.footnote {
            self.space(16.0);
            let look = footnote_look();
            let h = self.height(note, look, WIDTH);
            self.ensure(h + 6.0);
            let y = self.y;
            self.hline(LEFT, LEFT + WIDTH / 4.0, y, 0.4);
            self.y -= 4.0;
            self.flow(note, look, LEFT, WIDTH);
        }
    }

    // ---- the file ----------------------------------------------------------

    fn finish(self) -> Result<Vec<u8>, Error> {
        let mut pdf = Pdf::new();
        let mut alloc = Ref::new(1);
        let catalog = alloc.bump();
        let tree = alloc.bump();
        let info = alloc.bump();
        let ids: Vec<(Ref, Ref)> = self
            .pages
            .iter()
            .map(|_| (alloc.bump(), alloc.bump()))
            .collect();
        let fonts = self.fonts.write(&mut pdf, &mut alloc)?;

        for ((page_id, content_id), content) in ids.iter().zip(self.pages) {
            let data = font::deflate(&content.finish());
            pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
                .parent(tree)
                .contents(*content_id);
            let mut res = page.resources();
            let mut f = res.fonts();
            for (style, r) in &fonts {
                f.pair(style.resource(), *r);
            }
            f.finish();
            res.finish();
            page.finish();
        }
        pdf.pages(tree)
            .kids(ids.iter().map(|(p, _)| *p))
            .count(ids.len() as i32);

        let doc = self.doc;
        let mut title = nfc(&doc.title);
        for s in &doc.subtitle {
            title.push(' ');
            title.push_str(&nfc(s));
        }
        let lang = match doc.lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        };
        {
            let mut cat = pdf.catalog(catalog);
            cat.pages(tree).lang(TextStr(lang));
            cat.viewer_preferences().display_doc_title(true);
        }
        let mut i = pdf.document_info(info);
        i.title(TextStr(&title))
            .author(TextStr(&nfc(&doc.heading.issuing_body)))
            .creator(TextStr("ngoaivu"))
            .producer(TextStr("ngoaivu-pdf"));
        i.finish();
        Ok(pdf.finish())
    }
}

fn body_look() -> Look {
    Look {
        style: Style::Regular,
        size: BODY,
        leading: BODY_LEADING,
        align: Align::Justify,
        indent: INDENT,
    }
}

fn footnote_look() -> Look {
    Look {
        style: Style::Italic,
        size: 10.0,
        leading: 1.2,
        align: Align::Left,
        indent: 0.0,
    }
}

fn heading_look(_level: u8) -> Look {
    Look {
        style: Style::Bold,
        size: BODY,
        leading: BODY_LEADING,
        align: Align::Justify,
        indent: INDENT,
    }
}

/// Column widths filling `total`. Columns whose natural width (the whole
/// text on one line) is within a fair share of what is left get it, again
/// and again as the share grows; the rest get their longest word and share
/// what remains in proportion to how much more they would like, so short
/// columns never wrap for the sake of a long one. When even the words do not
/// fit, the words are scaled (and cut when drawn). Spare width when
/// everything fits is shared in proportion to the natural widths.
fn distribute(min: &[f32], max: &[f32], total: f32) -> Vec<f32> {
    let n = max.len();
    let sum_max: f32 = max.iter().sum();
    if sum_max <= total {
        let spare = total - sum_max;
        return max
            .iter()
            .map(|m| m + spare * m / sum_max.max(1.0))
            .collect();
    }
    let sum_min: f32 = min.iter().sum();
    if sum_min > total {
        return min.iter().map(|m| m * total / sum_min).collect();
    }
    let mut fixed = vec![false; n];
    loop {
        let left: f32 = total - (0..n).filter(|&c| fixed[c]).map(|c| max[c]).sum::<f32>();
        let open = fixed.iter().filter(|f| !**f).count();
        if open == 0 {
            break;
        }
        let share = left / open as f32;
        // Fix a column only when the others can still have their words.
        let others_min = |c: usize| -> f32 {
            (0..n)
                .filter(|&k| !fixed[k] && k != c)
                .map(|k| min[k])
                .sum()
        };
        let mut any = false;
        for c in 0..n {
            if !fixed[c] && max[c] <= share && left - max[c] >= others_min(c) {
                fixed[c] = true;
                any = true;
                break;
            }
        }
        if !any {
            break;
        }
    }
    let used: f32 = (0..n).filter(|&c| fixed[c]).map(|c| max[c]).sum();
    let open_min: f32 = (0..n).filter(|&c| !fixed[c]).map(|c| min[c]).sum();
    let want: f32 = (0..n).filter(|&c| !fixed[c]).map(|c| max[c] - min[c]).sum();
    let spare = (total - used - open_min).max(0.0);
    (0..n)
        .map(|c| {
            if fixed[c] {
                max[c]
            } else if want > 0.0 {
                min[c] + spare * (max[c] - min[c]) / want
            } else {
                min[c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::distribute;

    #[test]
    fn short_columns_keep_their_natural_width() {
        // Natural widths fit: all kept, the spare shared.
        let w = distribute(&[10.0, 10.0], &[20.0, 60.0], 100.0);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 0.01 && w[1] > w[0]);
        // One long column: the short ones stay unbroken, the long one wraps.
        let w = distribute(&[20.0, 30.0, 40.0], &[25.0, 60.0, 900.0], 300.0);
        assert_eq!(&w[..2], &[25.0, 60.0]);
        assert!((w[2] - 215.0).abs() < 0.01);
        // Not even the words fit: scaled down.
        let w = distribute(&[200.0, 200.0], &[300.0, 300.0], 300.0);
        assert_eq!(w, vec![150.0, 150.0]);
    }
}
