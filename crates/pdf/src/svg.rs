//! A chart's SVG (from `Chart::to_svg`) drawn into the page as vectors.
//!
//! usvg reads the SVG into absolute paths and text chunks. Shapes become PDF
//! paths; text is not drawn from usvg's outlines but set again with the
//! embedded faces at usvg's positions, so chart labels are real, selectable
//! text in the same font as the report. usvg's font database holds only the
//! embedded Liberation Serif bytes: nothing is looked up on the machine.

use std::sync::{Arc, OnceLock};

use ngoaivu_document::fonts;
use pdf_writer::Content;
use usvg::tiny_skia_path::PathSegment;
use usvg::{Node, Paint, TextAnchor, Transform};

use crate::Error;
use crate::font::{Fonts, Style};

/// The family the chart SVGs ask for; the only one in the database.
pub(crate) const FAMILY: &str = "Liberation Serif";

fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for data in [
            fonts::SERIF_REGULAR,
            fonts::SERIF_BOLD,
            fonts::SERIF_ITALIC,
            fonts::SERIF_BOLD_ITALIC,
        ] {
            db.load_font_data(data.to_vec());
        }
        db.set_serif_family(FAMILY);
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Reads a chart's SVG.
pub(crate) fn parse(svg: &str) -> Result<usvg::Tree, Error> {
    let opt = usvg::Options {
        fontdb: fontdb(),
        font_family: FAMILY.into(),
        languages: vec!["vi".into()],
        ..Default::default()
    };
    usvg::Tree::from_str(svg, &opt).map_err(|e| Error::Chart(e.to_string()))
}

/// Draws `tree` with its top-left corner at (`x`, `top`) in PDF points,
/// scaled by `scale`.
pub(crate) fn draw(
    tree: &usvg::Tree,
    page: &mut Content,
    fonts: &mut Fonts,
    x: f32,
    top: f32,
    scale: f32,
) {
    page.save_state();
    // SVG's y axis points down; flip it once for the whole chart.
    page.transform([scale, 0.0, 0.0, -scale, x, top]);
    group(tree.root(), page, fonts);
    page.restore_state();
}

fn matrix(t: Transform) -> [f32; 6] {
    [t.sx, t.ky, t.kx, t.sy, t.tx, t.ty]
}

fn rgb(p: &Paint) -> Option<[f32; 3]> {
    match p {
        Paint::Color(c) => Some([
            c.red as f32 / 255.0,
            c.green as f32 / 255.0,
            c.blue as f32 / 255.0,
        ]),
        _ => None,
    }
}

fn group(g: &usvg::Group, page: &mut Content, fonts: &mut Fonts) {
    for node in g.children() {
        match node {
            Node::Group(g) => group(g, page, fonts),
            Node::Path(p) => path(p, page),
            Node::Text(t) => text(t, page, fonts),
            Node::Image(_) => {}
        }
    }
}

fn path(p: &usvg::Path, page: &mut Content) {
    if !p.is_visible() {
        return;
    }
    let fill = p.fill().and_then(|f| rgb(f.paint()));
    let stroke = p
        .stroke()
        .and_then(|s| rgb(s.paint()).map(|c| (c, s.width().get())));
    if fill.is_none() && stroke.is_none() {
        return;
    }
    page.save_state();
    page.transform(matrix(p.abs_transform()));
    let mut last = (0.0f32, 0.0f32);
    for seg in p.data().segments() {
        match seg {
            PathSegment::MoveTo(pt) => {
                page.move_to(pt.x, pt.y);
                last = (pt.x, pt.y);
            }
            PathSegment::LineTo(pt) => {
                page.line_to(pt.x, pt.y);
                last = (pt.x, pt.y);
            }
            PathSegment::QuadTo(c, pt) => {
                let c1 = (
                    last.0 + 2.0 / 3.0 * (c.x - last.0),
                    last.1 + 2.0 / 3.0 * (c.y - last.1),
                );
                let c2 = (
                    pt.x + 2.0 / 3.0 * (c.x - pt.x),
                    pt.y + 2.0 / 3.0 * (c.y - pt.y),
                );
                page.cubic_to(c1.0, c1.1, c2.0, c2.1, pt.x, pt.y);
                last = (pt.x, pt.y);
            }
            PathSegment::CubicTo(c1, c2, pt) => {
                page.cubic_to(c1.x, c1.y, c2.x, c2.y, pt.x, pt.y);
                last = (pt.x, pt.y);
            }
            PathSegment::Close => {
                page.close_path();
            }
        }
    }
    if let Some([r, g, b]) = fill {
        page.set_fill_rgb(r, g, b);
    }
    if let Some(([r, g, b], w)) = stroke {
        page.set_stroke_rgb(r, g, b);
        page.set_line_width(w);
    }
    match (fill.is_some(), stroke.is_some()) {
        (true, true) => page.fill_nonzero_and_stroke(),
        (true, false) => page.fill_nonzero(),
        _ => page.stroke(),
    };
    page.restore_state();
}

fn text(t: &usvg::Text, page: &mut Content, fonts: &mut Fonts) {
    for chunk in t.chunks() {
        let Some(span) = chunk.spans().first() else {
            continue;
        };
        let s = chunk.text().trim();
        if s.is_empty() {
            continue;
        }
        let size = span.font_size().get();
        let style = Style::from_flags(
            span.font().weight() >= 600,
            span.font().style() != usvg::FontStyle::Normal,
        );
        let width = fonts.width(style, size, s);
        let x = chunk.x().unwrap_or(0.0)
            - match chunk.anchor() {
                TextAnchor::Start => 0.0,
                TextAnchor::Middle => width / 2.0,
                TextAnchor::End => width,
            };
        let y = chunk.y().unwrap_or(0.0);
        let [r, g, b] = span
            .fill()
            .and_then(|f| rgb(f.paint()))
            .unwrap_or([0.0, 0.0, 0.0]);
        let codes = fonts.encode(style, s);
        page.save_state();
        page.transform(matrix(t.abs_transform()));
        page.set_fill_rgb(r, g, b);
        page.begin_text();
        page.set_font(style.resource(), 1.0);
        // Undo the chart's flip for the glyphs themselves.
        page.set_text_matrix([size, 0.0, 0.0, -size, x, y]);
        page.show(pdf_writer::Str(&codes));
        page.end_text();
        page.restore_state();
    }
}
