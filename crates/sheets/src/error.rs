//! Errors in both languages, with stable codes the API and the pages can
//! branch on.

use std::fmt;

/// A refusal of a whole file or mapping. `code` is stable snake_case
/// (`too_large`, `not_a_spreadsheet`, `wrong_extension`, `encrypted`,
/// `corrupt`, `too_many_rows`, `doctype`, `zip_bomb`, `bad_encoding`,
/// `unsupported`, `empty`, `no_sheet`, `no_header`, `bad_mapping`);
/// `vi` and `en` say what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    pub code: &'static str,
    pub vi: String,
    pub en: String,
}

impl SheetError {
    pub fn new(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        SheetError {
            code,
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: ngoaivu_core::Lang) -> &str {
        lang.pick(&self.vi, &self.en)
    }

    pub(crate) fn corrupt(detail: impl fmt::Display) -> Self {
        SheetError::new(
            "corrupt",
            format!(
                "Tệp bảng tính bị hỏng hoặc không đọc được ({detail}); hãy mở lại trong Excel, lưu lại rồi tải lên."
            ),
            format!(
                "The workbook is damaged or unreadable ({detail}); open it in Excel, save it again and upload it."
            ),
        )
    }

    pub(crate) fn encrypted() -> Self {
        SheetError::new(
            "encrypted",
            "Tệp được mã hóa bằng mật khẩu; hãy gỡ mật khẩu trong Excel rồi tải lên lại.",
            "The workbook is password-protected; remove the password in Excel and upload it again.",
        )
    }
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for SheetError {}

/// A value that could not be read from a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub vi: String,
    pub en: String,
}

impl ValueError {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        ValueError {
            vi: vi.into(),
            en: en.into(),
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for ValueError {}
