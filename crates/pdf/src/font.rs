//! The four embedded Liberation Serif faces: measuring text, encoding it as
//! glyph IDs of a subset, and writing each used face into the PDF as a CID
//! font (Type0, Identity-H) with its widths and a ToUnicode map, so that a
//! reader draws exactly the glyphs measured here and copies the text back.

use std::collections::{BTreeMap, HashMap};

use ngoaivu_document::fonts;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;

use crate::Error;

/// The four faces of the serif family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Style {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    BoldItalic = 3,
}

impl Style {
    pub(crate) const ALL: [Style; 4] = [
        Style::Regular,
        Style::Bold,
        Style::Italic,
        Style::BoldItalic,
    ];

    pub(crate) fn from_flags(bold: bool, italic: bool) -> Style {
        match (bold, italic) {
            (false, false) => Style::Regular,
            (true, false) => Style::Bold,
            (false, true) => Style::Italic,
            (true, true) => Style::BoldItalic,
        }
    }

    /// The resource name of the face on every page.
    pub(crate) fn resource(self) -> Name<'static> {
        Name(match self {
            Style::Regular => b"F1",
            Style::Bold => b"F2",
            Style::Italic => b"F3",
            Style::BoldItalic => b"F4",
        })
    }

    fn data(self) -> &'static [u8] {
        match self {
            Style::Regular => fonts::SERIF_REGULAR,
            Style::Bold => fonts::SERIF_BOLD,
            Style::Italic => fonts::SERIF_ITALIC,
            Style::BoldItalic => fonts::SERIF_BOLD_ITALIC,
        }
    }
}

/// One face: its parsed tables, and the glyphs used so far.
struct Face {
    style: Style,
    face: ttf_parser::Face<'static>,
    upem: f32,
    /// char → (glyph in the full font, advance in font units).
    glyphs: HashMap<char, (u16, u16)>,
    remapper: GlyphRemapper,
    /// New glyph ID → the character it stands for, and its width in
    /// thousandths of an em.
    used: BTreeMap<u16, (char, f32)>,
}

impl Face {
    fn new(style: Style) -> Result<Face, Error> {
        let face =
            ttf_parser::Face::parse(style.data(), 0).map_err(|e| Error::Font(e.to_string()))?;
        Ok(Face {
            style,
            upem: face.units_per_em() as f32,
            face,
            glyphs: HashMap::new(),
            remapper: GlyphRemapper::new(),
            used: BTreeMap::new(),
        })
    }

    fn glyph(&mut self, c: char) -> (u16, u16) {
        if let Some(g) = self.glyphs.get(&c) {
            return *g;
        }
        // Characters the font lacks: a no-break space is a space; anything
        // else becomes the font's "missing" glyph rather than vanishing.
        let lookup = match c {
            '\u{a0}' | '\u{202f}' | '\t' => ' ',
            _ => c,
        };
        let gid = self.face.glyph_index(lookup).map(|g| g.0).unwrap_or(0);
        let adv = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0);
        self.glyphs.insert(c, (gid, adv));
        (gid, adv)
    }
}

/// The family, shared by everything that measures or draws text.
pub(crate) struct Fonts {
    faces: Vec<Face>,
}

impl Fonts {
    pub(crate) fn new() -> Result<Fonts, Error> {
        Ok(Fonts {
            faces: Style::ALL
                .iter()
                .map(|s| Face::new(*s))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The width of `s` set in `style` at `size` points (no kerning, as
    /// drawn).
    pub(crate) fn width(&mut self, style: Style, size: f32, s: &str) -> f32 {
        let face = &mut self.faces[style as usize];
        let units: u32 = s.chars().map(|c| face.glyph(c).1 as u32).sum();
        units as f32 * size / face.upem
    }

    /// The glyph codes of `s` for a show-text operator (two bytes each,
    /// Identity-H), recording the glyphs for the subset.
    pub(crate) fn encode(&mut self, style: Style, s: &str) -> Vec<u8> {
        let face = &mut self.faces[style as usize];
        let mut out = Vec::with_capacity(s.len() * 2);
        for c in s.chars() {
            let (gid, adv) = face.glyph(c);
            let new = face.remapper.remap(gid);
            let w = adv as f32 * 1000.0 / face.upem;
            face.used.entry(new).or_insert((
                match c {
                    '\u{a0}' | '\u{202f}' | '\t' => ' ',
                    _ => c,
                },
                w,
            ));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    /// Writes every used face; returns its resource name and reference.
    pub(crate) fn write(&self, pdf: &mut Pdf, alloc: &mut Ref) -> Result<Vec<(Style, Ref)>, Error> {
        let mut out = vec![];
        for face in &self.faces {
            if face.used.is_empty() {
                continue;
            }
            let type0 = alloc.bump();
            let cid = alloc.bump();
            let descriptor = alloc.bump();
            let file = alloc.bump();
            let cmap_ref = alloc.bump();
            out.push((face.style, type0));

            let subset = subsetter::subset(face.style.data(), 0, &face.remapper)
                .map_err(|e| Error::Font(format!("subsetting: {e:?}")))?;
            let ps_name = face
                .face
                .names()
                .into_iter()
                .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME && n.is_unicode())
                .and_then(|n| n.to_string())
                .unwrap_or_else(|| "LiberationSerif".into());
            let base = format!("{}+{ps_name}", subset_tag(&face.used));
            let to_pdf = |v: f32| v * 1000.0 / face.upem;

            pdf.type0_font(type0)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid)
                .to_unicode(cmap_ref);

            let info = SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            };
            let mut c = pdf.cid_font(cid);
            c.subtype(CidFontType::Type2)
                .base_font(Name(base.as_bytes()))
                .system_info(info)
                .font_descriptor(descriptor)
                .default_width(0.0)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            {
                // New glyph IDs are consecutive from 0: one run.
                let mut w = c.widths();
                let first = face.used.keys().next().copied().unwrap_or(0);
                w.consecutive(first, face.used.values().map(|(_, width)| *width));
            }
            c.finish();

            let bbox = face.face.global_bounding_box();
            let italic = face.style == Style::Italic || face.style == Style::BoldItalic;
            let bold = face.style == Style::Bold || face.style == Style::BoldItalic;
            let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
            if italic {
                flags |= FontFlags::ITALIC;
            }
            pdf.font_descriptor(descriptor)
                .name(Name(base.as_bytes()))
                .family(Str(b"Liberation Serif"))
                .flags(flags)
                .bbox(Rect::new(
                    to_pdf(bbox.x_min as f32),
                    to_pdf(bbox.y_min as f32),
                    to_pdf(bbox.x_max as f32),
                    to_pdf(bbox.y_max as f32),
                ))
                .italic_angle(face.face.italic_angle())
                .ascent(to_pdf(face.face.ascender() as f32))
                .descent(to_pdf(face.face.descender() as f32))
                .cap_height(to_pdf(
                    face.face.capital_height().unwrap_or(face.face.ascender()) as f32,
                ))
                .weight(if bold { 700 } else { 400 })
                .stem_v(if bold { 140.0 } else { 80.0 })
                .font_file2(file);

            let packed = deflate(&subset);
            pdf.stream(file, &packed)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Length1"), subset.len() as i32);

            let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
            for (gid, (ch, _)) in &face.used {
                if *gid != 0 {
                    cmap.pair(*gid, *ch);
                }
            }
            let cmap = deflate(&cmap.finish());
            pdf.stream(cmap_ref, &cmap).filter(Filter::FlateDecode);
        }
        Ok(out)
    }
}

pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Six capital letters naming the subset (PDF 9.6.4), from its glyphs, so
/// the same document always gives the same bytes.
fn subset_tag(used: &BTreeMap<u16, (char, f32)>) -> String {
    // FNV-1a over the characters.
    let mut h: u64 = 0xcbf29ce484222325;
    for (g, (c, _)) in used {
        for b in g.to_le_bytes().into_iter().chain((*c as u32).to_le_bytes()) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    (0..6)
        .map(|_| {
            let l = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            l
        })
        .collect()
}
