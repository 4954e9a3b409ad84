//! A chart as a PNG: the document crate's SVG, rasterised with resvg. Text is
//! drawn with the embedded Liberation Serif only (never the machine's fonts),
//! so the picture is the same on every server.

use std::sync::Arc;

use ngoaivu_document::{Chart, Lang, fonts};
use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use crate::Error;

/// The family the SVG asks for; the only one in the font database.
const FAMILY: &str = "Liberation Serif";
/// The SVG's width in user units (its height follows from the chart).
pub(crate) const SVG_WIDTH: u32 = 640;
/// Pixels per SVG unit: 640 units become 1,920 pixels, about 300 dpi at
/// the 16 cm the picture takes on the page.
const SCALE: f32 = 3.0;

pub(crate) struct Png {
    pub bytes: Vec<u8>,
    /// The picture's size in SVG units (the aspect ratio for the page).
    pub width: f32,
    pub height: f32,
}

/// The font database the charts are drawn with, built once per document.
pub(crate) fn font_db() -> Arc<fontdb::Database> {
    let mut db = fontdb::Database::new();
    for data in [
        fonts::SERIF_REGULAR,
        fonts::SERIF_BOLD,
        fonts::SERIF_ITALIC,
        fonts::SERIF_BOLD_ITALIC,
    ] {
        db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
    }
    db.set_serif_family(FAMILY);
    db.set_sans_serif_family(FAMILY);
    Arc::new(db)
}

pub(crate) fn render(chart: &Chart, lang: Lang, db: &Arc<fontdb::Database>) -> Result<Png, Error> {
    let svg = chart.to_svg(lang, SVG_WIDTH, FAMILY);
    let opt = usvg::Options {
        font_family: FAMILY.into(),
        languages: vec![
            match lang {
                Lang::Vi => "vi",
                Lang::En => "en",
            }
            .into(),
        ],
        fontdb: db.clone(),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(&svg, &opt).map_err(|e| Error::Chart(e.to_string()))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * SCALE).ceil() as u32,
        (size.height() * SCALE).ceil() as u32,
    );
    let mut pixmap = Pixmap::new(w, h).ok_or_else(|| Error::Chart(format!("size {w}×{h}")))?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap
        .encode_png()
        .map_err(|e| Error::Chart(e.to_string()))?;
    Ok(Png {
        bytes,
        width: size.width(),
        height: size.height(),
    })
}
