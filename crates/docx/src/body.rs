//! `word/document.xml`: the Decree 30 layout as WordprocessingML.
//!
//! Element order inside `w:pPr`, `w:rPr`, `w:tblPr` and `w:tcPr` follows the
//! schema: Word refuses a file whose children are out of order.

use std::fmt::Write;

use ngoaivu_document::{AdminHeading, Block, Cell, Chart, Closing, Document, Lang, Table};

use crate::picture::{self, Png};
use crate::{Error, esc, measure, page};

/// Sizes in half-points, as `w:sz` wants them.
const SZ_BODY: u32 = 28; // 14 pt
const SZ_13: u32 = 26;
const SZ_TABLE: u32 = 24; // 12 pt
const SZ_11: u32 = 22;

/// Default left and right cell padding of the bordered tables (twips).
const CELL_PAD: u32 = 85;

/// A picture the body refers to: its relationship id and file name.
pub(crate) struct Media {
    pub rel_id: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

pub(crate) struct Body {
    xml: String,
    pub media: Vec<Media>,
    lang: Lang,
    next_drawing_id: u32,
    charts: u32,
}

/// How a run of text looks.
#[derive(Clone, Copy, Default)]
struct Run {
    bold: bool,
    italic: bool,
    /// Half-points; None keeps the paragraph style's size.
    size: Option<u32>,
}

impl Run {
    fn plain() -> Run {
        Run::default()
    }
    fn bold() -> Run {
        Run {
            bold: true,
            ..Run::default()
        }
    }
    fn size(mut self, sz: u32) -> Run {
        self.size = Some(sz);
        self
    }
    fn italic(mut self) -> Run {
        self.italic = true;
        self
    }
}

/// Paragraph properties, written in schema order.
#[derive(Clone, Default)]
struct Para<'a> {
    style: Option<&'a str>,
    keep_next: bool,
    /// (before, after) in twips.
    spacing: Option<(u32, u32)>,
    /// Exact line height in twips.
    line_exact: Option<u32>,
    /// (left, right, first line) in twips.
    ind: Option<(u32, u32, u32)>,
    jc: Option<&'a str>,
    /// A rule along the top of the paragraph.
    top_rule: bool,
}

impl Para<'_> {
    fn write(&self, o: &mut String) {
        o.push_str("<w:pPr>");
        if let Some(s) = self.style {
            let _ = write!(o, r#"<w:pStyle w:val="{s}"/>"#);
        }
        if self.keep_next {
            o.push_str("<w:keepNext/>");
        }
        if self.top_rule {
            o.push_str(
                r#"<w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr>"#,
            );
        }
        if self.spacing.is_some() || self.line_exact.is_some() {
            o.push_str("<w:spacing");
            if let Some((b, a)) = self.spacing {
                let _ = write!(o, r#" w:before="{b}" w:after="{a}""#);
            }
            if let Some(l) = self.line_exact {
                let _ = write!(o, r#" w:line="{l}" w:lineRule="exact""#);
            }
            o.push_str("/>");
        }
        if let Some((l, r, f)) = self.ind {
            let _ = write!(
                o,
                r#"<w:ind w:left="{l}" w:right="{r}" w:firstLine="{f}"/>"#
            );
        }
        if let Some(j) = self.jc {
            let _ = write!(o, r#"<w:jc w:val="{j}"/>"#);
        }
        if self.line_exact.is_some() {
            // A rule paragraph: keep its mark tiny.
            o.push_str(r#"<w:rPr><w:sz w:val="4"/><w:szCs w:val="4"/></w:rPr>"#);
        }
        o.push_str("</w:pPr>");
    }
}

fn run(o: &mut String, text: &str, r: Run) {
    o.push_str("<w:r>");
    if r.bold || r.italic || r.size.is_some() {
        o.push_str("<w:rPr>");
        if r.bold {
            o.push_str("<w:b/><w:bCs/>");
        }
        if r.italic {
            o.push_str("<w:i/><w:iCs/>");
        }
        if let Some(s) = r.size {
            let _ = write!(o, r#"<w:sz w:val="{s}"/><w:szCs w:val="{s}"/>"#);
        }
        o.push_str("</w:rPr>");
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            o.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                o.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(o, r#"<w:t xml:space="preserve">{}</w:t>"#, esc(piece));
            }
        }
    }
    o.push_str("</w:r>");
}

fn para(o: &mut String, p: &Para, text: &str, r: Run) {
    o.push_str("<w:p>");
    p.write(o);
    if !text.is_empty() {
        run(o, text, r);
    }
    o.push_str("</w:p>");
}

/// An empty paragraph whose top border is a rule `len` twips long, centred
/// in a space `room` twips wide.
fn rule(o: &mut String, len: u32, room: u32, before: u32) {
    let side = room.saturating_sub(len) / 2;
    para(
        o,
        &Para {
            top_rule: true,
            spacing: Some((before, 0)),
            line_exact: Some(80),
            ind: Some((side, side, 0)),
            jc: Some("center"),
            ..Para::default()
        },
        "",
        Run::plain(),
    );
}

/// A table without borders (the heading and the signature block).
fn open_plain_table(o: &mut String, cols: &[u32]) {
    let total: u32 = cols.iter().sum();
    let _ = write!(
        o,
        r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
    );
    for c in cols {
        let _ = write!(o, r#"<w:gridCol w:w="{c}"/>"#);
    }
    o.push_str("</w:tblGrid>");
}

fn open_cell(o: &mut String, width: u32) {
    let _ = write!(
        o,
        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>"#
    );
}

impl Body {
    pub(crate) fn new(lang: Lang) -> Body {
        Body {
            xml: String::new(),
            media: vec![],
            lang,
            next_drawing_id: 1,
            charts: 0,
        }
    }

    pub(crate) fn build(mut self, doc: &Document) -> Result<(String, Vec<Media>), Error> {
        self.heading(&doc.heading);
        self.title(doc);
        let mut db = None;
        for b in &doc.blocks {
            match b {
                Block::Heading { level, text } => para(
                    &mut self.xml,
                    &Para {
                        style: Some(if *level <= 1 { "Heading1" } else { "Heading2" }),
                        ..Para::default()
                    },
                    text,
                    Run::plain(),
                ),
                Block::Paragraph(text) => para(
                    &mut self.xml,
                    &Para {
                        style: Some("BodyText"),
                        ..Para::default()
                    },
                    text,
                    Run::plain(),
                ),
                Block::Table(t) => self.table(t),
                Block::Chart(c) => {
                    let db = db.get_or_insert_with(picture::font_db);
                    let png = picture::render(c, self.lang, db)?;
                    self.chart(c, png);
                }
            }
        }
        self.closing(&doc.closing);
        match &doc.footnote {
            Some(f) => para(
                &mut self.xml,
                &Para {
                    style: Some("SmallNote"),
                    ..Para::default()
                },
                f,
                Run::plain(),
            ),
            // The body never ends on a table.
            None => para(&mut self.xml, &Para::default(), "", Run::plain()),
        }
        let mut xml = String::with_capacity(self.xml.len() + 2048);
        xml.push_str(crate::XML_DECL);
        xml.push_str(r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>"#);
        xml.push_str(&self.xml);
        let _ = write!(
            xml,
            r#"<w:sectPr><w:headerReference w:type="default" r:id="{}"/><w:headerReference w:type="first" r:id="{}"/><w:pgSz w:w="{}" w:h="{}" w:orient="portrait"/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr></w:body></w:document>"#,
            crate::REL_HEADER,
            crate::REL_HEADER_FIRST,
            page::WIDTH,
            page::HEIGHT,
            page::TOP,
            page::RIGHT,
            page::BOTTOM,
            page::LEFT,
        );
        Ok((xml, self.media))
    }

    /// The heading of Decree 30 as a two-column table without borders: the
    /// issuer on the left, the national name on the right; a second row puts
    /// the number and the place-and-date line on one level.
    fn heading(&mut self, h: &AdminHeading) {
        let national_w = measure::width(AdminHeading::NATIONAL_NAME, true, 13.0);
        let motto_w = measure::width(AdminHeading::MOTTO, true, 14.0);
        let right = (national_w.max(motto_w) + 400).clamp(5300, page::TEXT_WIDTH - 3200);
        let left = page::TEXT_WIDTH - right;
        let o = &mut self.xml;
        open_plain_table(o, &[left, right]);
        let centred = Para {
            spacing: Some((0, 0)),
            jc: Some("center"),
            ..Para::default()
        };

        o.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        open_cell(o, left);
        if let Some(p) = &h.parent_body {
            para(o, &centred, p, Run::plain().size(SZ_13));
        }
        para(o, &centred, &h.issuing_body, Run::bold().size(SZ_13));
        let issuer_w = h
            .issuing_body
            .lines()
            .map(|l| measure::width(l, true, 13.0))
            .max()
            .unwrap_or(0)
            .min(left);
        rule(o, (issuer_w * 2 / 5).max(600), left, 30);
        o.push_str("</w:tc>");
        open_cell(o, right);
        para(
            o,
            &centred,
            AdminHeading::NATIONAL_NAME,
            Run::bold().size(SZ_13),
        );
        para(o, &centred, AdminHeading::MOTTO, Run::bold().size(SZ_BODY));
        rule(o, motto_w, right, 30);
        o.push_str("</w:tc></w:tr>");

        let second = Para {
            spacing: Some((120, 0)),
            jc: Some("center"),
            ..Para::default()
        };
        o.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        open_cell(o, left);
        para(o, &second, &h.number, Run::plain().size(SZ_13));
        o.push_str("</w:tc>");
        open_cell(o, right);
        para(
            o,
            &second,
            &h.place_date,
            Run::plain().italic().size(SZ_BODY),
        );
        o.push_str("</w:tc></w:tr></w:tbl>");
    }

    fn title(&mut self, doc: &Document) {
        let o = &mut self.xml;
        para(
            o,
            &Para {
                style: Some("Title"),
                ..Para::default()
            },
            &doc.title,
            Run::plain(),
        );
        for s in &doc.subtitle {
            para(
                o,
                &Para {
                    style: Some("Subtitle"),
                    ..Para::default()
                },
                s,
                Run::plain(),
            );
        }
        rule(o, 1800, page::TEXT_WIDTH, 80);
        // Room between the rule and the body.
        para(
            o,
            &Para {
                spacing: Some((0, 0)),
                line_exact: Some(240),
                ..Para::default()
            },
            "",
            Run::plain(),
        );
    }

    fn table(&mut self, t: &Table) {
        let lang = self.lang;
        let o = &mut self.xml;
        if !t.caption.is_empty() {
            para(
                o,
                &Para {
                    style: Some("Caption"),
                    ..Para::default()
                },
                &t.caption,
                Run::plain(),
            );
        }
        let ncols = t
            .columns
            .len()
            .max(t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0))
            .max(1);
        let widths = column_widths(t, ncols, lang);
        let total: u32 = widths.iter().sum();
        let _ = write!(
            o,
            r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="{CELL_PAD}" w:type="dxa"/><w:bottom w:w="20" w:type="dxa"/><w:right w:w="{CELL_PAD}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
        );
        for w in &widths {
            let _ = write!(o, r#"<w:gridCol w:w="{w}"/>"#);
        }
        o.push_str("</w:tblGrid>");

        // The header row, repeated at the top of every page the table runs to.
        o.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (i, w) in widths.iter().enumerate() {
            let label = t.columns.get(i).map_or("", |c| c.label.as_str());
            let _ = write!(
                o,
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/><w:vAlign w:val="center"/></w:tcPr>"#
            );
            para(
                o,
                &Para {
                    style: Some("TableText"),
                    jc: Some("center"),
                    ..Para::default()
                },
                label,
                Run::bold(),
            );
            o.push_str("</w:tc>");
        }
        o.push_str("</w:tr>");

        for r in &t.rows {
            o.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (i, w) in widths.iter().enumerate() {
                let cell = r.cells.get(i);
                let numeric = matches!(cell, Some(Cell::Number { .. }))
                    || t.columns.get(i).is_some_and(|c| c.numeric);
                let text = cell.map(|c| c.display(lang)).unwrap_or_default();
                open_cell(o, *w);
                para(
                    o,
                    &Para {
                        style: Some("TableText"),
                        jc: Some(if numeric { "right" } else { "left" }),
                        ..Para::default()
                    },
                    &text,
                    if r.total { Run::bold() } else { Run::plain() },
                );
                o.push_str("</w:tc>");
            }
            o.push_str("</w:tr>");
        }
        o.push_str("</w:tbl>");
        // A note (or an empty line) also keeps the next table from joining
        // this one.
        para(
            o,
            &Para {
                style: Some("TableNote"),
                ..Para::default()
            },
            t.note.as_deref().unwrap_or(""),
            Run::plain(),
        );
    }

    fn chart(&mut self, c: &Chart, png: Png) {
        self.charts += 1;
        let n = self.charts;
        let rel_id = format!("rIdImg{n}");
        let name = format!("chart{n}.png");
        // 15 cm wide (the text is 16.5 cm), in EMU.
        let cx: u64 = 15 * 360_000;
        let cy = (cx as f64 * f64::from(png.height) / f64::from(png.width)).round() as u64;
        let id = self.next_drawing_id;
        self.next_drawing_id += 1;
        let title = if c.unit.is_empty() {
            c.title.clone()
        } else {
            format!("{} ({})", c.title, c.unit)
        };
        let o = &mut self.xml;
        o.push_str("<w:p>");
        Para {
            keep_next: true,
            spacing: Some((120, 60)),
            jc: Some("center"),
            ..Para::default()
        }
        .write(o);
        let _ = write!(
            o,
            r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{id}" name="{name}" descr="{alt}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{id}" name="{name}" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#,
            alt = esc(&title),
        );
        let word = match self.lang {
            Lang::Vi => "Biểu đồ",
            Lang::En => "Chart",
        };
        para(
            o,
            &Para {
                style: Some("ChartCaption"),
                ..Para::default()
            },
            &format!("{word} {n}. {title}"),
            Run::plain(),
        );
        self.media.push(Media {
            rel_id,
            name,
            bytes: png.bytes,
        });
    }

    /// "Nơi nhận" on the left, the signature on the right, in a table
    /// without borders.
    fn closing(&mut self, c: &Closing) {
        let lang = self.lang;
        let o = &mut self.xml;
        // Keeps the table apart from a table just before it, and gives room.
        para(
            o,
            &Para {
                spacing: Some((120, 0)),
                ..Para::default()
            },
            "",
            Run::plain(),
        );
        let left = 4300;
        let right = page::TEXT_WIDTH - left;
        open_plain_table(o, &[left, right]);
        o.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        open_cell(o, left);
        let tight = Para {
            spacing: Some((0, 0)),
            ..Para::default()
        };
        para(
            o,
            &tight,
            match lang {
                Lang::Vi => "Nơi nhận:",
                Lang::En => "Recipients:",
            },
            Run::bold().italic().size(SZ_TABLE),
        );
        for r in &c.recipients {
            para(o, &tight, r, Run::plain().size(SZ_11));
        }
        o.push_str("</w:tc>");
        open_cell(o, right);
        let centred = Para {
            spacing: Some((0, 0)),
            jc: Some("center"),
            ..Para::default()
        };
        for a in &c.authority {
            para(o, &centred, a, Run::bold().size(SZ_BODY));
        }
        // Room for the signature and the seal.
        para(
            o,
            &Para {
                spacing: Some((0, 0)),
                line_exact: Some(1700),
                ..Para::default()
            },
            "",
            Run::plain(),
        );
        if let Some(s) = &c.signer {
            para(o, &centred, s, Run::bold().size(SZ_BODY));
        }
        o.push_str("</w:tc></w:tr></w:tbl>");
    }
}

/// Column widths (twips) that fill the text width: every column gets at
/// least its longest word, and the rest is shared by how much more each
/// would like for its longest line.
fn column_widths(t: &Table, ncols: usize, lang: Lang) -> Vec<u32> {
    let pad = 2 * CELL_PAD + 40;
    let size = f64::from(SZ_TABLE) / 2.0;
    let mut min = vec![pad + 400; ncols];
    let mut want = min.clone();
    for (i, c) in t.columns.iter().enumerate().take(ncols) {
        min[i] = min[i].max(slack(measure::longest_word(&c.label, true, size)) + pad);
        want[i] = want[i].max(slack(measure::width(&c.label, true, size)) + pad);
    }
    for r in &t.rows {
        for (i, cell) in r.cells.iter().enumerate().take(ncols) {
            let text = cell.display(lang);
            let bold = r.total;
            let w = slack(measure::width(&text, bold, size)) + pad;
            let lw = match cell {
                // A number never breaks.
                Cell::Number { .. } => w,
                _ => slack(measure::longest_word(&text, bold, size)) + pad,
            };
            min[i] = min[i].max(lw);
            want[i] = want[i].max(w);
        }
    }
    let room = page::TEXT_WIDTH;
    let min_sum: u32 = min.iter().sum();
    let want_sum: u32 = want.iter().sum();
    if want_sum <= room {
        // Everything fits on one line: the first column takes what is left.
        let mut w = want;
        w[0] += room - want_sum;
        return w;
    }
    if min_sum >= room {
        // Too many columns: share the width in proportion to the minimums.
        return min
            .iter()
            .map(|m| (u64::from(*m) * u64::from(room) / u64::from(min_sum)) as u32)
            .collect();
    }
    let extra = room - min_sum;
    let flex: u64 = want.iter().zip(&min).map(|(w, m)| u64::from(w - m)).sum();
    let mut w: Vec<u32> = want
        .iter()
        .zip(&min)
        .map(|(w, m)| m + (u64::from(w - m) * u64::from(extra) / flex.max(1)) as u32)
        .collect();
    let used: u32 = w.iter().sum();
    w[0] += room.saturating_sub(used);
    w
}

/// A little more than measured: a reader whose font is not quite Times New
/// Roman's metrics should not wrap a label that fits here.
fn slack(w: u32) -> u32 {
    w + w / 16
}
