//! What may be attached to a record: office documents, PDFs, images and
//! plain text, recognised by their content (not by the name or type the
//! client claims), within a size limit.

use crate::error::{Invalid, Problem};

/// The default size limit of one attachment.
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// (extension, content type, how the content must start).
const KINDS: &[(&str, &str, Magic)] = &[
    ("pdf", "application/pdf", Magic::Prefix(b"%PDF-")),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Magic::Zip,
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Magic::Zip,
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        Magic::Zip,
    ),
    ("odt", "application/vnd.oasis.opendocument.text", Magic::Zip),
    (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        Magic::Zip,
    ),
    (
        "doc",
        "application/msword",
        Magic::Prefix(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
    ),
    (
        "xls",
        "application/vnd.ms-excel",
        Magic::Prefix(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
    ),
    (
        "png",
        "image/png",
        Magic::Prefix(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
    ),
    ("jpg", "image/jpeg", Magic::Prefix(&[0xFF, 0xD8, 0xFF])),
    ("jpeg", "image/jpeg", Magic::Prefix(&[0xFF, 0xD8, 0xFF])),
    ("txt", "text/plain; charset=utf-8", Magic::Utf8),
    ("csv", "text/csv; charset=utf-8", Magic::Utf8),
];

#[derive(Debug, Clone, Copy)]
enum Magic {
    Prefix(&'static [u8]),
    Zip,
    Utf8,
}

impl Magic {
    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            Magic::Prefix(p) => bytes.starts_with(p),
            Magic::Zip => bytes.starts_with(b"PK\x03\x04"),
            Magic::Utf8 => std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0),
        }
    }
}

/// The extensions accepted, for messages and forms.
pub fn accepted_extensions() -> String {
    KINDS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
}

/// The content types attachments are served with, one per accepted kind.
pub fn accepted_content_types() -> Vec<&'static str> {
    let mut types: Vec<&'static str> = KINDS.iter().map(|k| k.1).collect();
    types.dedup();
    types
}

/// Check a file to attach; returns its cleaned name and content type.
pub fn check_file(
    filename: &str,
    bytes: &[u8],
    max_bytes: usize,
) -> Result<(String, &'static str), Invalid> {
    // Keep the last path component, without control characters and
    // without direction marks, which could show "hóa đơn<U+202E>fdp.exe" as
    // "hóa đơnexe.pdf".
    let base = filename.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !crate::values::is_forbidden_char(*c)
                && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
        })
        .collect::<String>()
        .trim()
        .to_owned();
    if clean.is_empty() || clean.starts_with('.') {
        return Err(Invalid::one("filename", Problem::Required));
    }
    if clean.chars().count() > 200 {
        return Err(Invalid::one("filename", Problem::TooLong { max: 200 }));
    }
    if bytes.is_empty() {
        return Err(Invalid::one(
            "file",
            Problem::Invalid {
                vi: "Tệp rỗng.".into(),
                en: "The file is empty.".into(),
            },
        ));
    }
    if bytes.len() > max_bytes {
        let mib = max_bytes / (1024 * 1024);
        return Err(Invalid::one(
            "file",
            Problem::Invalid {
                vi: format!("Tệp quá lớn: tối đa {mib} MiB."),
                en: format!("The file is too large: at most {mib} MiB."),
            },
        ));
    }
    let ext = clean
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, ctype, magic)) = KINDS.iter().find(|k| k.0 == ext) else {
        return Err(Invalid::one(
            "filename",
            Problem::Invalid {
                vi: format!(
                    "Không nhận loại tệp “.{ext}”; chỉ nhận: {}.",
                    accepted_extensions()
                ),
                en: format!(
                    "Files of type “.{ext}” are not accepted; accepted: {}.",
                    accepted_extensions()
                ),
            },
        ));
    };
    if !magic.matches(bytes) {
        return Err(Invalid::one(
            "file",
            Problem::Invalid {
                vi: format!("Nội dung tệp không phải là tệp .{ext} như tên tệp cho biết."),
                en: format!("The file's content is not a .{ext} file, as its name says."),
            },
        ));
    }
    Ok((clean, ctype))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_documents_and_refuses_pretenders() {
        let cases: &[(&str, &[u8], Result<&str, &str>)] = &[
            (
                "Biên bản ghi nhớ.pdf",
                b"%PDF-1.7 ...",
                Ok("application/pdf"),
            ),
            (
                "C:\\tmp\\ThoaThuan.DOCX",
                b"PK\x03\x04rest",
                Ok("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ),
            (
                "ghi chú.txt",
                "Xin chào".as_bytes(),
                Ok("text/plain; charset=utf-8"),
            ),
            ("photo.jpg", &[0xFF, 0xD8, 0xFF, 0xE0], Ok("image/jpeg")),
            ("virus.exe", b"MZ....", Err("filename")),
            ("fake.pdf", b"MZ....", Err("file")),
            ("empty.pdf", b"", Err("file")),
            ("", b"%PDF-", Err("filename")),
            ("../../.bashrc", b"x", Err("filename")),
            ("bin.txt", &[0x00, 0x01], Err("file")),
        ];
        for (name, bytes, want) in cases {
            match (check_file(name, bytes, 1024), want) {
                (Ok((_, ct)), Ok(w)) => assert_eq!(ct, *w, "{name}"),
                (Err(e), Err(field)) => assert_eq!(e.0[0].field, *field, "{name}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
        assert_eq!(
            check_file("C:\\tmp\\a.pdf", b"%PDF-", 10).unwrap().0,
            "a.pdf"
        );
        assert!(check_file("big.pdf", &[b'%'; 2048], 1024).is_err());
        // Direction overrides cannot disguise an extension.
        assert_eq!(
            check_file("hóa đơn\u{202e}fdp.txt", b"abc", 1024)
                .unwrap()
                .0,
            "hóa đơnfdp.txt"
        );
    }
}
