//! A document in the format asked for. The writers are separate crates
//! (ngoaivu-docx, ngoaivu-xlsx, ngoaivu-pdf); this is the one place that
//! chooses between them, for the command line and the web alike.

use ngoaivu_document::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Docx,
    Xlsx,
    Pdf,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Html, Format::Docx, Format::Xlsx, Format::Pdf];

    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }
}

/// The document's bytes in `format`.
pub fn render(doc: &Document, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Html => Ok(ngoaivu_document::html::standalone(doc).into_bytes()),
        Format::Docx => ngoaivu_docx::write(doc).map_err(|e| e.to_string()),
        Format::Xlsx => ngoaivu_xlsx::write(doc).map_err(|e| e.to_string()),
        Format::Pdf => ngoaivu_pdf::write(doc).map_err(|e| e.to_string()),
    }
}
