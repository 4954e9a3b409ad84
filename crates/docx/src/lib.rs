//! A report ([`ngoaivu_document::Document`]) as a Word file (DOCX), laid out
//! as a Vietnamese administrative document under Decree 30/2020/NĐ-CP
//! (Appendix I): A4, margins 20/20/30/15 mm, Times New Roman 14 pt; the
//! two-column heading (issuer and number on the left, national name, motto
//! and place-and-date on the right, with their rules), the title, justified
//! paragraphs with a 1.27 cm first-line indent, bordered tables whose header
//! row repeats on every page, charts as pictures with a caption, and the
//! "Nơi nhận" and signature block. Page numbers are centred in the top
//! margin from page 2, as the decree asks.
//!
//! Why written by hand: the offices edit these files before they sign them,
//! so the text must be real paragraphs and tables, not a picture; and the
//! OOXML needed is small enough that a string builder with escaping (and the
//! `zip` crate) is simpler and lighter than a DOCX library. Charts are the
//! document crate's SVG rasterised by resvg with the embedded Liberation
//! Serif, never the server's fonts, so a picture is the same everywhere.
//!
//! [`write`] is a pure function: a document in, the file's bytes out.

mod body;
mod measure;
mod picture;

use std::io::Write as _;

use ngoaivu_document::{Document, Lang, fonts};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("writing the DOCX package: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("writing the DOCX package: {0}")]
    Io(#[from] std::io::Error),
    #[error("drawing a chart: {0}")]
    Chart(String),
}

/// Page geometry in twips (1/20 pt; 1 mm ≈ 56.7 twips).
pub(crate) mod page {
    /// A4: 210 × 297 mm.
    pub(crate) const WIDTH: u32 = 11906;
    pub(crate) const HEIGHT: u32 = 16838;
    /// Decree 30: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
    pub(crate) const TOP: u32 = 1134; // 20 mm
    pub(crate) const BOTTOM: u32 = 1134; // 20 mm
    pub(crate) const LEFT: u32 = 1701; // 30 mm
    pub(crate) const RIGHT: u32 = 850; // 15 mm
    pub(crate) const TEXT_WIDTH: u32 = WIDTH - LEFT - RIGHT;
}

pub(crate) const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
pub(crate) const REL_HEADER: &str = "rIdHeader";
pub(crate) const REL_HEADER_FIRST: &str = "rIdHeaderFirst";

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The document as the bytes of a .docx file.
pub fn write(doc: &Document) -> Result<Vec<u8>, Error> {
    let (document_xml, media) = body::Body::new(doc.lang).build(doc)?;

    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut put = |name: &str, bytes: &[u8], opts: SimpleFileOptions| -> Result<(), Error> {
        z.start_file(name, opts)?;
        z.write_all(bytes)?;
        Ok(())
    };

    put("[Content_Types].xml", content_types().as_bytes(), deflate)?;
    put("_rels/.rels", root_rels().as_bytes(), deflate)?;
    put("docProps/core.xml", core_props(doc).as_bytes(), deflate)?;
    put("docProps/app.xml", app_props().as_bytes(), deflate)?;
    put("word/document.xml", document_xml.as_bytes(), deflate)?;
    put(
        "word/_rels/document.xml.rels",
        document_rels(&media).as_bytes(),
        deflate,
    )?;
    put("word/styles.xml", styles(doc.lang).as_bytes(), deflate)?;
    put("word/settings.xml", settings(doc.lang).as_bytes(), deflate)?;
    put("word/fontTable.xml", font_table().as_bytes(), deflate)?;
    put("word/header1.xml", header(true).as_bytes(), deflate)?;
    put("word/header2.xml", header(false).as_bytes(), deflate)?;
    for m in &media {
        // PNG is compressed already.
        put(&format!("word/media/{}", m.name), &m.bytes, stored)?;
    }
    Ok(z.finish()?.into_inner())
}

/// `s` as XML character data or an attribute value; characters XML 1.0
/// cannot carry (most controls) are dropped.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi-VN",
        Lang::En => "en-GB",
    }
}

fn content_types() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        r#"{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="{main}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="{main}.styles+xml"/><Override PartName="/word/settings.xml" ContentType="{main}.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="{main}.fontTable+xml"/><Override PartName="/word/header1.xml" ContentType="{main}.header+xml"/><Override PartName="/word/header2.xml" ContentType="{main}.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#
    )
}

fn root_rels() -> String {
    format!(
        r#"{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_BASE}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL_BASE}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
    )
}

fn document_rels(media: &[body::Media]) -> String {
    let mut s = format!(
        r#"{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="{REL_BASE}/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="{REL_BASE}/settings" Target="settings.xml"/><Relationship Id="rIdFonts" Type="{REL_BASE}/fontTable" Target="fontTable.xml"/><Relationship Id="{REL_HEADER}" Type="{REL_BASE}/header" Target="header1.xml"/><Relationship Id="{REL_HEADER_FIRST}" Type="{REL_BASE}/header" Target="header2.xml"/>"#
    );
    for m in media {
        s.push_str(&format!(
            r#"<Relationship Id="{}" Type="{REL_BASE}/image" Target="media/{}"/>"#,
            m.rel_id, m.name
        ));
    }
    s.push_str("</Relationships>");
    s
}

fn core_props(doc: &Document) -> String {
    let mut title = doc.title.clone();
    for s in &doc.subtitle {
        title.push(' ');
        title.push_str(s);
    }
    format!(
        r#"{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>{}</dc:language></cp:coreProperties>"#,
        esc(&title),
        esc(&doc.heading.issuing_body),
        lang_tag(doc.lang)
    )
}

fn app_props() -> String {
    format!(
        r#"{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>ngoaivu</Application><DocSecurity>0</DocSecurity></Properties>"#
    )
}

fn font_table() -> String {
    format!(
        r#"{XML_DECL}<w:fonts xmlns:w="{NS_W}"><w:font w:name="{}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#,
        fonts::FAMILY_DECLARED
    )
}

fn settings(lang: Lang) -> String {
    format!(
        r#"{XML_DECL}<w:settings xmlns:w="{NS_W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="{}"/><w:decimalSymbol w:val="{}"/><w:listSeparator w:val=";"/></w:settings>"#,
        lang_tag(lang),
        match lang {
            Lang::Vi => ",",
            Lang::En => ".",
        }
    )
}

/// The page header: the page number, centred, 13 pt (`show_number`), or
/// nothing (the first page's).
fn header(show_number: bool) -> String {
    let content = if show_number {
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
    } else {
        ""
    };
    format!(
        r#"{XML_DECL}<w:hdr xmlns:w="{NS_W}" xmlns:r="{NS_R}"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>{content}</w:p></w:hdr>"#
    )
}

/// One paragraph style: `ppr` and `rpr` are the inner XML of `w:pPr` and
/// `w:rPr`, already in schema order.
fn style(o: &mut String, id: &str, name: &str, next: Option<&str>, ppr: &str, rpr: &str) {
    o.push_str(&format!(
        r#"<w:style w:type="paragraph" w:customStyle="{}" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/>"#,
        u8::from(!matches!(
            id,
            "Heading1" | "Heading2" | "Title" | "Subtitle" | "Caption" | "BodyText" | "Header"
        ))
    ));
    if let Some(n) = next {
        o.push_str(&format!(r#"<w:next w:val="{n}"/>"#));
    }
    o.push_str(r#"<w:qFormat/>"#);
    if !ppr.is_empty() {
        o.push_str(&format!("<w:pPr>{ppr}</w:pPr>"));
    }
    if !rpr.is_empty() {
        o.push_str(&format!("<w:rPr>{rpr}</w:rPr>"));
    }
    o.push_str("</w:style>");
}

fn styles(lang: Lang) -> String {
    let font = fonts::FAMILY_DECLARED;
    let tag = lang_tag(lang);
    let mut o = format!(
        r#"{XML_DECL}<w:styles xmlns:w="{NS_W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/><w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="{tag}" w:eastAsia="{tag}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#
    );
    o.push_str(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#);
    // Body: justified, 1.27 cm first-line indent, 6 pt after, line 1.2.
    let body = r#"<w:spacing w:before="0" w:after="120" w:line="288" w:lineRule="auto"/><w:ind w:firstLine="720"/><w:jc w:val="both"/>"#;
    style(&mut o, "BodyText", "Body Text", None, body, "");
    for (id, name, level) in [("Heading1", "heading 1", 0), ("Heading2", "heading 2", 1)] {
        style(
            &mut o,
            id,
            name,
            Some("BodyText"),
            &format!(
                r#"<w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="120" w:line="288" w:lineRule="auto"/><w:ind w:firstLine="720"/><w:jc w:val="both"/><w:outlineLvl w:val="{level}"/>"#
            ),
            r#"<w:b/><w:bCs/>"#,
        );
    }
    style(
        &mut o,
        "Title",
        "Title",
        Some("Subtitle"),
        r#"<w:keepNext/><w:spacing w:before="360" w:after="0"/><w:jc w:val="center"/>"#,
        r#"<w:b/><w:bCs/>"#,
    );
    style(
        &mut o,
        "Subtitle",
        "Subtitle",
        Some("BodyText"),
        r#"<w:keepNext/><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>"#,
        r#"<w:b/><w:bCs/>"#,
    );
    style(
        &mut o,
        "Caption",
        "caption",
        None,
        r#"<w:keepNext/><w:spacing w:before="120" w:after="80"/><w:jc w:val="center"/>"#,
        r#"<w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/>"#,
    );
    style(
        &mut o,
        "ChartCaption",
        "Chart Caption",
        Some("BodyText"),
        r#"<w:spacing w:before="0" w:after="160"/><w:jc w:val="center"/>"#,
        r#"<w:i/><w:iCs/><w:sz w:val="26"/><w:szCs w:val="26"/>"#,
    );
    style(
        &mut o,
        "TableText",
        "Table Text",
        None,
        r#"<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>"#,
        r#"<w:sz w:val="24"/><w:szCs w:val="24"/>"#,
    );
    style(
        &mut o,
        "TableNote",
        "Table Note",
        Some("BodyText"),
        r#"<w:spacing w:before="40" w:after="120"/><w:jc w:val="both"/>"#,
        r#"<w:i/><w:iCs/><w:sz w:val="22"/><w:szCs w:val="22"/>"#,
    );
    style(
        &mut o,
        "SmallNote",
        "Small Note",
        None,
        r#"<w:spacing w:before="360" w:after="0"/><w:jc w:val="both"/>"#,
        r#"<w:i/><w:iCs/><w:sz w:val="20"/><w:szCs w:val="20"/>"#,
    );
    style(
        &mut o,
        "Header",
        "header",
        None,
        r#"<w:jc w:val="center"/>"#,
        r#"<w:sz w:val="26"/><w:szCs w:val="26"/>"#,
    );
    o.push_str("</w:styles>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_controls() {
        assert_eq!(
            esc("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn margins_are_the_decrees() {
        assert_eq!(page::TEXT_WIDTH, 9355); // 165 mm
    }
}
