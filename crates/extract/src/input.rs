//! Input formats: plain text, HTML pages, DOCX files and text-layer PDFs,
//! all to plain text whose paragraphs are lines. No file access: bytes in,
//! text out.

use std::fmt;
use std::io::{Cursor, Read};

/// Why a document could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A zip that is not a readable DOCX (the detail in English).
    Docx(String),
    /// A DOCX whose text parts inflate past the reader's limit (a zip
    /// bomb?): the part where the limit was reached and the limit in MiB.
    DocxTooBig { part: String, max_mib: u64 },
    /// An old binary Word (.doc) file.
    LegacyDoc,
    /// A PDF that cannot be read (a scan, encrypted, damaged, too big).
    Pdf(crate::pdf::PdfError),
}

impl ReadError {
    /// A stable code: `docx`, `docx_too_big`, `legacy_doc`, `pdf_scanned`,
    /// `pdf_encrypted`, `pdf_broken`, `pdf_too_big`.
    pub fn code(&self) -> &'static str {
        use crate::pdf::PdfError;
        match self {
            ReadError::Docx(_) => "docx",
            ReadError::DocxTooBig { .. } => "docx_too_big",
            ReadError::LegacyDoc => "legacy_doc",
            ReadError::Pdf(PdfError::Scanned) => "pdf_scanned",
            ReadError::Pdf(PdfError::Encrypted) => "pdf_encrypted",
            ReadError::Pdf(PdfError::Broken(_)) => "pdf_broken",
            ReadError::Pdf(PdfError::TooBig(_)) => "pdf_too_big",
        }
    }

    /// What went wrong and what to do, in Vietnamese and English.
    pub fn message(&self) -> crate::Why {
        use crate::Why;
        match self {
            ReadError::Docx(m) => Why::new(
                format!(
                    "tệp DOCX bị hỏng hoặc không đọc được ({m}); hãy mở bằng Word, lưu lại rồi thử lại"
                ),
                format!("unreadable DOCX ({m}); open it in Word, save it again and retry"),
            ),
            ReadError::DocxTooBig { part, max_mib } => Why::new(
                format!(
                    "nội dung nén của tệp DOCX ({part}) bung ra quá {max_mib} MiB (có thể là tệp phá hoại); hãy mở bằng Word, lưu lại rồi thử lại, hoặc chia nhỏ văn bản"
                ),
                format!(
                    "a DOCX over the reader's limits (its text, {part}, expands past {max_mib} MiB: a zip bomb?); open it in Word, save it again and retry, or split it"
                ),
            ),
            ReadError::LegacyDoc => Why::new(
                "tệp Word cũ (.doc) không đọc được; trong Word chọn Lưu thành → Word Document (.docx) rồi tải lên tệp đó",
                "an old binary Word (.doc) file, which the reader does not open; in Word choose Save As → Word Document (.docx) and give that",
            ),
            ReadError::Pdf(e) => e.message(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for ReadError {}

/// The format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Docx,
    Pdf,
}

/// A document read to text: its format, the byte offsets where its pages
/// start (PDF; empty otherwise) and what the reader noticed (a legacy
/// TCVN3/VNI encoding, pages left out …).
#[derive(Debug, Clone, Default)]
pub struct ReadDocument {
    pub text: String,
    pub format: Option<Format>,
    pub page_starts: Vec<usize>,
    pub warnings: Vec<crate::Why>,
}

impl ReadDocument {
    /// The page (1-based) of a byte offset of `text`, for a PDF.
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        crate::pdf::page_of(&self.page_starts, offset)
    }
}

/// Read any supported document, keeping its pages and warnings.
pub fn read_document(
    bytes: &[u8],
    file_name_hint: Option<&str>,
) -> Result<ReadDocument, ReadError> {
    let format = detect_format(bytes, file_name_hint)?;
    let mut doc = ReadDocument {
        format: Some(format),
        ..Default::default()
    };
    match format {
        Format::Docx => doc.text = text_from_docx(bytes)?,
        Format::Html => doc.text = text_from_html(&decode_text(bytes)),
        Format::Text => doc.text = decode_text(bytes),
        Format::Pdf => {
            let p = crate::pdf::text_from_pdf(bytes).map_err(ReadError::Pdf)?;
            doc.text = p.text;
            doc.page_starts = p.page_starts;
            doc.warnings = p.warnings;
        }
    }
    if let Some(w) = legacy_encoding(&doc.text) {
        doc.warnings.push(w);
    }
    Ok(doc)
}

/// A warning when the text looks typed in a pre-Unicode Vietnamese font
/// encoding (TCVN3/ABC: "Th«ng b¸o"; VNI: "Thoâng baùo"): the reader would
/// find little in it; convert it to Unicode first (e.g. Unikey's converter).
pub fn legacy_encoding(text: &str) -> Option<crate::Why> {
    let unicode_vi = text
        .chars()
        .filter(|&c| {
            ('\u{1EA0}'..='\u{1EF9}').contains(&c) || matches!(c, 'đ' | 'Đ' | 'ư' | 'Ư' | 'ơ' | 'Ơ')
        })
        .count();
    // TCVN3 puts tone-marked vowels on Latin-1 symbols inside words ("Th«ng
    // b¸o"); VNI's are letters, counted below.
    // Three characters at a time, without a copy of the text (a DOCX's text
    // may be tens of MB).
    let (mut tcvn3, mut c0, mut c1) = (0usize, '\0', '\0');
    for c2 in text.chars() {
        if c0.is_ascii_alphabetic()
            && "«¸µ¶·¹¨¤¬®¦ª¡¢£¥§©»¼½¾×÷".contains(c1)
            && (c2.is_ascii_alphabetic() || c2 == ' ')
        {
            tcvn3 += 1;
        }
        (c0, c1) = (c1, c2);
    }
    // VNI writes a base letter then an ASCII-range diacritic letter.
    let vni = [
        "aø", "aù", "aû", "aõ", "aï", "eá", "eà", "eå", "eä", "oá", "oà", "oå", "oä", "öô", "ieä",
        "uyeå", "aâ", "oâ", "ñ",
    ]
    .iter()
    .map(|k| text.matches(k).count())
    .sum::<usize>();
    let words = text.split_whitespace().count().max(1);
    if unicode_vi * 50 < words && tcvn3 * 20 >= words.min(200) && tcvn3 >= 5 {
        return Some(crate::Why::new(
            "văn bản có vẻ được gõ bằng bảng mã cũ TCVN3 (ABC) (\"Th«ng b¸o\"); hãy chuyển sang Unicode trước (ví dụ bằng công cụ chuyển mã của Unikey) — sẽ đọc được rất ít số liệu",
            "the text looks typed in the legacy TCVN3 (ABC) encoding (\"Th«ng b¸o\"); convert it to Unicode first — few facts will be found",
        ));
    }
    if unicode_vi * 50 < words && vni * 20 >= words.min(200) && vni >= 5 {
        return Some(crate::Why::new(
            "văn bản có vẻ được gõ bằng bảng mã cũ VNI (\"Thoâng baùo\"); hãy chuyển sang Unicode trước (ví dụ bằng công cụ chuyển mã của Unikey) — sẽ đọc được rất ít số liệu",
            "the text looks typed in the legacy VNI encoding (\"Thoâng baùo\"); convert it to Unicode first — few facts will be found",
        ));
    }
    None
}

/// Decode bytes as text: UTF-8 (BOM dropped), UTF-16 with a BOM, else
/// Windows-1252 for the bytes that are not UTF-8 (an "ANSI" file).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        return String::from_utf16_lossy(&units);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        // A file saved by an old editor ("ANSI"): its bytes outside UTF-8 are
        // Windows-1252, which is also how text typed in the legacy TCVN3 and
        // VNI fonts is stored, so that [`legacy_encoding`] can name it.
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                out.extend(chunk.invalid().iter().map(|&b| windows_1252(b)));
            }
            out
        }
    }
}

/// A byte of Windows-1252 as a character (the five bytes it leaves
/// undefined as the C1 controls of the same number, as browsers do).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Guess the format from the bytes and an optional file name.
pub fn detect_format(bytes: &[u8], file_name_hint: Option<&str>) -> Result<Format, ReadError> {
    let ext = file_name_hint
        .and_then(|n| n.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()))
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Format::Docx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ReadError::LegacyDoc);
    }
    if bytes.starts_with(b"%PDF")
        || (ext == "pdf" && bytes.windows(5).take(1024).any(|w| w == b"%PDF-"))
    {
        return Ok(Format::Pdf);
    }
    match ext.as_str() {
        "docx" => return Ok(Format::Docx),
        "html" | "htm" | "xhtml" => return Ok(Format::Html),
        _ => {}
    }
    // Sniff the start of the text.
    let head = &bytes[..bytes.len().min(2048)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || t.starts_with("<?xml") && head.contains("<html")
        || (t.starts_with('<')
            && (head.contains("<body")
                || head.contains("<div")
                || head.contains("<p>")
                || head.contains("<p ")))
    {
        return Ok(Format::Html);
    }
    Ok(Format::Text)
}

/// Read any supported document to plain text.
pub fn detect_and_read(bytes: &[u8], file_name_hint: Option<&str>) -> Result<String, ReadError> {
    read_document(bytes, file_name_hint).map(|d| d.text)
}

// ---------------------------------------------------------------- HTML

const SKIP_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "nav", "iframe", "select", "button",
    "form", "menu", "object", "canvas", "math",
];
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "figcaption",
    "figure",
    "hr",
    "main",
    "td",
    "th",
    "caption",
    "address",
    "center",
    "body",
    "tbody",
    "thead",
    "header",
    "footer",
    "aside",
];
const NAV_WORDS: &[&str] = &[
    "menu",
    "nav",
    "navbar",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "footer",
    "topbar",
    "banner",
    "megamenu",
    "submenu",
    "dropdown",
    "pagination",
    "share",
    "social",
    "related",
    "widget",
    "cookie",
];
const NAV_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "menu",
    "menubar",
    "search",
    "complementary",
];

fn is_nav_attr(tag_src: &str) -> bool {
    let lower = tag_src.to_ascii_lowercase();
    for attr in ["class", "id"] {
        for v in attr_values(&lower, attr) {
            for token in v.split(|c: char| c.is_whitespace()) {
                if token.split(['-', '_']).any(|p| NAV_WORDS.contains(&p)) {
                    return true;
                }
            }
        }
    }
    attr_values(&lower, "role")
        .iter()
        .any(|v| NAV_ROLES.contains(&v.trim()))
}

/// The values of an attribute in a tag's source (lowercased).
fn attr_values(tag: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = tag.as_bytes();
    let mut from = 0;
    while let Some(rel) = tag[from..].find(name) {
        let at = from + rel;
        from = at + name.len();
        if at > 0
            && !(b[at - 1] == b' '
                || b[at - 1] == b'\t'
                || b[at - 1] == b'\n'
                || b[at - 1] == b'\r')
        {
            continue;
        }
        let mut j = at + name.len();
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if j >= b.len() || b[j] != b'=' {
            continue;
        }
        j += 1;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if j >= b.len() {
            break;
        }
        let (start, end) = if b[j] == b'"' || b[j] == b'\'' {
            let q = b[j];
            let s = j + 1;
            let e = b[s..]
                .iter()
                .position(|&c| c == q)
                .map_or(b.len(), |p| s + p);
            (s, e)
        } else {
            let e = b[j..]
                .iter()
                .position(|&c| c == b' ' || c == b'>' || c == b'/')
                .map_or(b.len(), |p| j + p);
            (j, e)
        };
        if tag.is_char_boundary(start) && tag.is_char_boundary(end) {
            out.push(tag[start..end].to_string());
        }
        from = end.max(from);
    }
    out
}

/// Plain text of an HTML page: markup, scripts, styles and site navigation
/// (nav, header/footer outside the article, menus, breadcrumbs, sidebars)
/// dropped; entities decoded; block elements become line breaks.
pub fn text_from_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let b = html.as_bytes();
    let mut i = 0;
    // Element being skipped, with its nesting depth.
    let mut skip: Option<(String, usize)> = None;
    let mut article_depth = 0usize;
    let mut in_pre = 0usize;
    let mut text_start = 0;
    let flush = |out: &mut String, s: &str, in_pre: bool| {
        if s.is_empty() {
            return;
        }
        let decoded = decode_entities(s);
        if in_pre {
            out.push_str(&decoded);
            return;
        }
        let mut last_space = out.ends_with([' ', '\n']) || out.is_empty();
        for c in decoded.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            } else {
                out.push(c);
                last_space = false;
            }
        }
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        // Text before the tag.
        if skip.is_none() {
            flush(&mut out, &html[text_start..i], in_pre > 0);
        }
        // Comments and CDATA.
        if html[i..].starts_with("<!--") {
            let end = html[i + 4..].find("-->").map_or(b.len(), |p| i + 4 + p + 3);
            i = end;
            text_start = i;
            continue;
        }
        if html[i..].starts_with("<![CDATA[") {
            let end = html[i + 9..].find("]]>").map_or(b.len(), |p| i + 9 + p);
            if skip.is_none() {
                flush(&mut out, &html[i + 9..end], in_pre > 0);
            }
            i = (end + 3).min(b.len());
            text_start = i;
            continue;
        }
        // Find the end of the tag, honouring quotes.
        let mut j = i + 1;
        let mut quote = 0u8;
        while j < b.len() {
            let c = b[j];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                // Quotes only count inside a real tag.
                if j > i + 1 && b[j - 1] == b'='
                    || (j > i + 1 && b[j - 1] == b' ' && b[..j].ends_with(b"= "))
                {
                    quote = c;
                }
            } else if c == b'>' {
                break;
            }
            j += 1;
        }
        let tag_src = &html[i + 1..j.min(b.len())];
        let after = (j + 1).min(b.len());
        let closing = tag_src.starts_with('/');
        let name: String = tag_src
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || tag_src.starts_with('!') || tag_src.starts_with('?') {
            if name.is_empty() && !tag_src.starts_with('!') && !tag_src.starts_with('?') && !closing
            {
                // A lone "<" in text: keep it.
                if skip.is_none() {
                    out.push('<');
                }
                i += 1;
                text_start = i;
                continue;
            }
            i = after;
            text_start = i;
            continue;
        }
        let self_closing = tag_src.ends_with('/');
        if let Some((ref sname, ref mut depth)) = skip {
            if name == *sname {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else if !self_closing {
                    *depth += 1;
                }
            }
            i = after;
            text_start = i;
            continue;
        }
        if !closing && !self_closing {
            let nav_container =
                matches!(name.as_str(), "header" | "footer" | "aside") && article_depth == 0;
            if SKIP_ELEMENTS.contains(&name.as_str()) || nav_container || is_nav_attr(tag_src) {
                if !is_void(&name) {
                    // Raw-text elements end at their closing tag whatever is inside.
                    if matches!(name.as_str(), "script" | "style") {
                        let close = format!("</{name}");
                        let lower_rest = html[after..].to_ascii_lowercase();
                        let end = lower_rest.find(&close).map_or(b.len(), |p| after + p);
                        let end = html[end..].find('>').map_or(b.len(), |p| end + p + 1);
                        i = end;
                        text_start = i;
                        continue;
                    }
                    skip = Some((name.clone(), 1));
                }
                i = after;
                text_start = i;
                continue;
            }
        }
        if matches!(name.as_str(), "article" | "main") {
            if closing {
                article_depth = article_depth.saturating_sub(1);
            } else {
                article_depth += 1;
            }
        }
        if name == "pre" {
            if closing {
                in_pre = in_pre.saturating_sub(1);
            } else {
                in_pre += 1;
            }
        }
        if BLOCK_ELEMENTS.contains(&name.as_str()) {
            while out.ends_with(' ') {
                out.pop();
            }
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        } else if matches!(name.as_str(), "td" | "th") {
            out.push(' ');
        }
        i = after;
        text_start = i;
    }
    if skip.is_none() && text_start < b.len() {
        flush(&mut out, &html[text_start..], in_pre > 0);
    }
    // Tidy: trim each line, drop empty lines.
    let mut tidy = String::with_capacity(out.len());
    for line in out.lines() {
        let l = line.trim_matches(|c: char| c == ' ' || c == '\t');
        if !l.is_empty() {
            tidy.push_str(l);
            tidy.push('\n');
        }
    }
    tidy
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Decode HTML/XML character references: named (the common ones and the
/// Latin-1 letters Vietnamese uses) and numeric (`&#7871;`, `&#x1EBF;`).
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let tail = &rest[p..];
        let semi = tail[1..].find(';').map(|q| q + 1).filter(|&q| q <= 32);
        let decoded = semi.and_then(|q| {
            let ent = &tail[1..q];
            let c = if let Some(num) = ent.strip_prefix('#') {
                let v = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    num.parse::<u32>().ok()
                };
                v.map(|v| match v {
                    // Windows-1252 code points written as numbers.
                    0x80..=0x9F => cp1252(v as u8),
                    _ => char::from_u32(v).unwrap_or('\u{FFFD}'),
                })
            } else {
                named_entity(ent)
            };
            c.map(|c| (c, q + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn cp1252(b: u8) -> char {
    match b {
        0x80 => '€',
        0x85 => '…',
        0x91 => '‘',
        0x92 => '’',
        0x93 => '“',
        0x94 => '”',
        0x96 => '–',
        0x97 => '—',
        _ => '\u{FFFD}',
    }
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "times" => '×',
        "shy" => '\u{AD}',
        "zwj" => '\u{200D}',
        "zwnj" => '\u{200C}',
        "thinsp" | "ensp" | "emsp" => ' ',
        "euro" => '€',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Atilde" => 'Ã',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Igrave" => 'Ì',
        "Iacute" => 'Í',
        "Ograve" => 'Ò',
        "Oacute" => 'Ó',
        "Ocirc" => 'Ô',
        "Otilde" => 'Õ',
        "Ugrave" => 'Ù',
        "Uacute" => 'Ú',
        "Yacute" => 'Ý',
        "ETH" => 'Ð',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "igrave" => 'ì',
        "iacute" => 'í',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "yacute" => 'ý',
        "eth" => 'ð',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "ccedil" => 'ç',
        "szlig" => 'ß',
        _ => return None,
    })
}

// ---------------------------------------------------------------- DOCX

/// Plain text of a DOCX file: the paragraphs of `word/document.xml` one a
/// line (a table row on one line, cells separated by " | "; a text box once,
/// not again from its VML fallback; deleted text and field codes dropped),
/// then the footnotes and endnotes. Parsed with a real XML parser.
pub fn text_from_docx(bytes: &[u8]) -> Result<String, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Docx(format!("not a zip archive ({e})")))?;
    // What the text parts may inflate to, all together; nothing else in the
    // archive (images, embedded objects, relationships) is ever opened.
    let mut budget = DOCX_TEXT_MAX;
    let mut part = |name: &str, required: bool| -> Result<Option<String>, ReadError> {
        let too_big = || ReadError::DocxTooBig {
            part: name.to_string(),
            max_mib: DOCX_TEXT_MAX / (1024 * 1024),
        };
        let mut f = match zip.by_name(name) {
            Ok(f) => f,
            Err(_) if !required => return Ok(None),
            Err(_) => return Err(ReadError::Docx(format!("no {name} in the archive"))),
        };
        // The size the archive declares, then the bytes actually inflated
        // (a declared size can lie): at most one byte past the budget.
        if f.size() > budget {
            return Err(too_big());
        }
        let mut raw = Vec::new();
        (&mut f)
            .take(budget + 1)
            .read_to_end(&mut raw)
            .map_err(|e| ReadError::Docx(format!("cannot inflate {name} ({e})")))?;
        if raw.len() as u64 > budget {
            return Err(too_big());
        }
        budget -= raw.len() as u64;
        Ok(Some(match String::from_utf8(raw) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }))
    };
    let body = part("word/document.xml", true)?.unwrap_or_default();
    let mut out = docx_xml_text(&body);
    for notes in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(xml) = part(notes, false)? {
            out.push_str(&docx_xml_text(&xml));
        }
    }
    Ok(out)
}

/// The most a DOCX's text parts (`word/document.xml`, the footnotes and the
/// endnotes) may inflate to, together: 64 MiB. A report of a hundred pages
/// with tables is a few MiB of XML; past this, a zip bomb is refused before
/// it fills the memory.
pub const DOCX_TEXT_MAX: u64 = 64 * 1024 * 1024;

/// The most XML nodes and attributes of a DOCX part read into a tree (see
/// [`docx_xml_text`]): some 200 MB at most.
const DOCX_NODES_MAX: u32 = 3_000_000;

/// The text of WordprocessingML (a document, footnotes or endnotes part).
/// Falls back to a tag scanner when the XML does not parse, or would make
/// too big a tree.
pub(crate) fn docx_xml_text(xml: &str) -> String {
    // A tree costs some 70 bytes a node and 50 an attribute: past
    // DOCX_NODES_MAX of them (a hundred-page report has a few hundred
    // thousand), the tag scanner reads the text in the memory of the text.
    // Tags and equals signs bound the elements and attributes from above.
    let marks = xml.bytes().filter(|&b| b == b'<' || b == b'=').count();
    if marks > DOCX_NODES_MAX as usize {
        return docx_xml_text_lenient(xml);
    }
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: DOCX_NODES_MAX,
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(xml, opts) else {
        return docx_xml_text_lenient(xml);
    };
    let mut out = String::with_capacity(xml.len() / 4);
    walk_docx(doc.root(), &mut out);
    // Drop empty lines.
    let mut tidy = String::with_capacity(out.len());
    for line in out.lines() {
        let l = line.trim_end();
        let l = l.trim_end_matches(" |").trim_end();
        if !l.trim().is_empty() {
            tidy.push_str(l);
            tidy.push('\n');
        }
    }
    tidy
}

fn walk_docx(node: roxmltree::Node<'_, '_>, out: &mut String) {
    for child in node.children() {
        if !child.is_element() {
            continue;
        }
        match child.tag_name().name() {
            // A text box is written twice: DrawingML (Choice) and VML (Fallback).
            "Fallback" => {}
            "delText" | "instrText" => {}
            // Separator footnotes ("-1", "0") carry no text worth reading.
            "footnote" | "endnote"
                if matches!(
                    child.attribute((W_NS, "type")),
                    Some("separator" | "continuationSeparator")
                ) => {}
            "t" => {
                if let Some(t) = child.text() {
                    out.push_str(t);
                }
            }
            "tab"
                if !out.ends_with('\n')
                    && child.parent().is_some_and(|p| p.tag_name().name() == "r") =>
            {
                out.push('\t');
            }
            "br" | "cr" => out.push('\n'),
            "p" => {
                walk_docx(child, out);
                // Inside a table cell, paragraphs join the cell.
                if child
                    .ancestors()
                    .skip(1)
                    .any(|a| a.tag_name().name() == "tc")
                {
                    if !out.ends_with(' ') && !out.ends_with('\n') {
                        out.push(' ');
                    }
                } else if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            "tr" => {
                if !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
                walk_docx(child, out);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            "tc" => {
                walk_docx(child, out);
                let t = out.trim_end_matches(' ').len();
                out.truncate(t);
                out.push_str(" | ");
            }
            _ => walk_docx(child, out),
        }
    }
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The tag scanner, for XML the parser refuses.
fn docx_xml_text_lenient(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 4);
    let b = xml.as_bytes();
    let mut i = 0;
    let mut in_text = false;
    let mut skip_text = false;
    let mut para_has_text = false;
    while i < b.len() {
        if b[i] == b'<' {
            let end = xml[i..].find('>').map_or(b.len(), |p| i + p);
            let tag = &xml[i + 1..end];
            let closing = tag.starts_with('/');
            let self_closing = tag.ends_with('/');
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("");
            match name {
                "w:t" => {
                    in_text = !closing && !self_closing;
                    skip_text = false;
                }
                "w:delText" | "w:instrText" => {
                    in_text = !closing && !self_closing;
                    skip_text = true;
                }
                "w:tab" if !closing => out.push('\t'),
                "w:br" | "w:cr" if !closing => out.push('\n'),
                "w:p" if closing || self_closing => {
                    if para_has_text || !out.ends_with('\n') {
                        out.push('\n');
                    }
                    para_has_text = false;
                }
                "w:p" => {}
                _ => {}
            }
            i = (end + 1).min(b.len());
            continue;
        }
        let next = xml[i..].find('<').map_or(b.len(), |p| i + p);
        if in_text && !skip_text {
            let t = decode_entities(&xml[i..next]);
            if !t.is_empty() {
                para_has_text = true;
            }
            out.push_str(&t);
        }
        i = next;
    }
    // Drop empty lines.
    let mut tidy = String::with_capacity(out.len());
    for line in out.lines() {
        if !line.trim().is_empty() {
            tidy.push_str(line.trim_end());
            tidy.push('\n');
        }
    }
    tidy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_basic() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body>\
            <nav><a>Trang chủ</a></nav><div class=\"main-menu\"><ul><li>Tin tức</li></ul></div>\
            <article><header><h1>Ti&ecirc;u đề</h1></header><p>Năm 2022, t&#7881;nh c&oacute; 5&nbsp;dự án &amp; hơn.</p>\
            <script>var a = '<p>no</p>';</script><p>Dòng&#x20;hai</p></article>\
            <footer>Bản quyền</footer></body></html>";
        let t = text_from_html(html);
        assert_eq!(
            t,
            "Tiêu đề\nNăm 2022, tỉnh có 5\u{a0}dự án & hơn.\nDòng hai\n"
        );
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp;b &#8211; &#x1EBF; &unknown; &"),
            "a &b – ế &unknown; &"
        );
    }

    #[test]
    fn docx_xml() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>Năm 2022,</w:t></w:r><w:r><w:t xml:space="preserve"> tỉnh &amp; dân</w:t></w:r></w:p><w:p><w:r><w:delText>xoá</w:delText><w:t>Dòng 2</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(docx_xml_text(xml), "Năm 2022, tỉnh & dân\nDòng 2\n");
    }
}
