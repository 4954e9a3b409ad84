//! Text widths from the embedded Liberation Serif, which has the metrics of
//! Times New Roman: the header rules are drawn as long as the text they
//! underline, and table columns are shared out by what they hold.

use std::sync::OnceLock;

use ngoaivu_document::fonts;
use ttf_parser::Face;

/// Twips (1/20 pt) in a point.
const TWIPS_PER_PT: f64 = 20.0;

struct Faces {
    regular: Face<'static>,
    bold: Face<'static>,
}

fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some(Faces {
                regular: Face::parse(fonts::SERIF_REGULAR, 0).ok()?,
                bold: Face::parse(fonts::SERIF_BOLD, 0).ok()?,
            })
        })
        .as_ref()
}

/// The width of `text` on one line, in twips, at `size_pt`.
pub(crate) fn width(text: &str, bold: bool, size_pt: f64) -> u32 {
    let em = size_pt * TWIPS_PER_PT;
    let Some(f) = faces() else {
        // Not reached with the embedded fonts; a fair average otherwise.
        return (text.chars().count() as f64 * em * 0.55) as u32;
    };
    let face = if bold { &f.bold } else { &f.regular };
    let upem = f64::from(face.units_per_em());
    let units: f64 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(upem * 0.55, f64::from)
        })
        .sum();
    (units / upem * em).ceil() as u32
}

/// The width of the longest word of `text` (what a column cannot go below
/// without breaking a word).
pub(crate) fn longest_word(text: &str, bold: bool, size_pt: f64) -> u32 {
    text.split_whitespace()
        .map(|w| width(w, bold, size_pt))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_capitals_are_wider_than_plain_lower_case() {
        let a = width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, 13.0);
        let b = width("cộng hòa xã hội chủ nghĩa việt nam", false, 13.0);
        assert!(a > b && b > 2000, "{a} {b}");
        assert_eq!(
            longest_word("a bb ccc", false, 12.0),
            width("ccc", false, 12.0)
        );
    }
}
