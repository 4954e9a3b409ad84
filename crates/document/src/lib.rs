//! A report as a neutral tree: the administrative heading of Decree
//! 30/2020/NĐ-CP, a title, sections of headings, paragraphs, tables and
//! charts, and the closing block ("Nơi nhận", signature). Report builders
//! (crates/report) fill it from figures; each writer (HTML, DOCX, XLSX, PDF)
//! renders the same tree, so the four formats cannot tell different stories.
//!
//! Numbers in tables are kept as exact decimals with a format, never as
//! pre-formatted text, so the spreadsheet gets real numbers and every writer
//! formats them the Vietnamese way (`1.588`, `370,34`) through one function.

pub mod chart;
pub mod html;

pub use chart::{Chart, ChartKind, Series};
pub use ngoaivu_core::Lang;
use rust_decimal::Decimal;

/// The embedded serif family (Liberation Serif 2.1.5, metric-compatible with
/// Times New Roman; see fonts/README.md for source and licence).
pub mod fonts {
    pub const SERIF_REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
    pub const SERIF_BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
    pub const SERIF_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");
    pub const SERIF_BOLD_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf");
    /// The family name writers declare (DOCX asks the reader's machine for
    /// Times New Roman; the PDF embeds Liberation Serif).
    pub const FAMILY_DECLARED: &str = "Times New Roman";
}

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub lang: Lang,
    pub heading: AdminHeading,
    /// The document's kind in capitals, e.g. "BÁO CÁO".
    pub title: String,
    /// What it is about, one or more lines under the title
    /// ("Tình hình công tác đối ngoại năm 2022").
    pub subtitle: Vec<String>,
    pub blocks: Vec<Block>,
    pub closing: Closing,
    /// Shown small at the end: where the figures come from, when made.
    pub footnote: Option<String>,
}

/// The top of a Vietnamese administrative document (Decree 30, Appendix I):
/// on the left the body that issues it under its parent body, and the number
/// and symbol; on the right the national name and motto, and the place and
/// date line.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminHeading {
    /// "UBND TỈNH VĨNH LONG" (upper case, not bold). None for the Ministry.
    pub parent_body: Option<String>,
    /// "SỞ NGOẠI VỤ" (upper case, bold).
    pub issuing_body: String,
    /// "Số: …/BC-SNV" (the number is left for the clerk to fill).
    pub number: String,
    /// "Vĩnh Long, ngày 20 tháng 12 năm 2022" (italic).
    pub place_date: String,
}

impl AdminHeading {
    /// The national name, upper case and bold.
    pub const NATIONAL_NAME: &'static str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    /// The motto, bold, words capitalised, underlined by a rule.
    pub const MOTTO: &'static str = "Độc lập - Tự do - Hạnh phúc";
}

/// The end of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Closing {
    /// "Nơi nhận:" lines ("- UBND tỉnh;", "- Bộ Ngoại giao;", "- Lưu: VT.").
    pub recipients: Vec<String>,
    /// "KT. GIÁM ĐỐC" / "GIÁM ĐỐC" and the position line under it.
    pub authority: Vec<String>,
    /// The signer's name, if known; otherwise room is left for it.
    pub signer: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1: "I. QUAN HỆ CHÍNH TRỊ …" (bold, upper case as given);
    /// level 2: "1. Thu hút đầu tư" (bold).
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    Table(Table),
    Chart(Chart),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// "Bảng 1. Thỏa thuận quốc tế và đoàn ra, đoàn vào"
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Under the table, small: units, sources, flags explained.
    pub note: Option<String>,
    /// The sheet name in a workbook (at most 31 characters, no `[]:*?/\`).
    pub sheet: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    /// Numbers are right-aligned; text left.
    pub numeric: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A total or subtotal row, set in bold.
    pub total: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number {
        value: Decimal,
        format: NumFormat,
    },
    /// No figure ("—" when shown).
    Empty,
}

/// How a number is shown. Every writer uses [`NumFormat::display`] for text
/// and [`NumFormat::excel`] for a spreadsheet's number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumFormat {
    /// 1.588
    Integer,
    /// 370,34 (at most two decimals; trailing zeros dropped, as reports write "56 tỷ")
    Decimal2,
    /// +37,91% (the value is in percent: 37.91)
    ChangePct,
    /// 37,91% (the value is in percent: 37.91)
    Pct,
}

impl NumFormat {
    pub fn display(self, value: Decimal, lang: Lang) -> String {
        use ngoaivu_core::numfmt::format_number;
        match self {
            NumFormat::Integer => format_number(value.round(), 0, lang),
            NumFormat::Decimal2 => format_number(value.round_dp(2), 2, lang),
            NumFormat::Pct => format!("{}%", format_number(value.round_dp(2), 2, lang)),
            NumFormat::ChangePct => {
                let v = value.round_dp(2);
                let sign = if v.is_sign_positive() && !v.is_zero() {
                    "+"
                } else {
                    ""
                };
                format!("{sign}{}%", format_number(v, 2, lang))
            }
        }
    }

    /// The Excel number format code. The separators in a code are always
    /// `,` (thousands) and `.` (decimal); the reader's locale shows them as
    /// `1.588` and `370,34` in Vietnamese.
    pub fn excel(self) -> &'static str {
        match self {
            NumFormat::Integer => "#,##0",
            NumFormat::Decimal2 => "#,##0.00",
            NumFormat::Pct => "0.00\"%\"",
            NumFormat::ChangePct => "+0.00\"%\";-0.00\"%\";0.00\"%\"",
        }
    }
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn int(v: impl Into<Decimal>) -> Cell {
        Cell::Number {
            value: v.into(),
            format: NumFormat::Integer,
        }
    }
    pub fn dec2(v: Decimal) -> Cell {
        Cell::Number {
            value: v,
            format: NumFormat::Decimal2,
        }
    }
    pub fn change(v: Option<Decimal>) -> Cell {
        match v {
            Some(value) => Cell::Number {
                value,
                format: NumFormat::ChangePct,
            },
            None => Cell::Empty,
        }
    }
    /// The cell as text, formatted for `lang`.
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number { value, format } => format.display(*value, lang),
            Cell::Empty => "—".into(),
        }
    }
}

impl Document {
    /// Every table of the document, including the tables behind its charts,
    /// in order; what a workbook writes as sheets.
    pub fn tables(&self) -> Vec<Table> {
        let mut out = vec![];
        for b in &self.blocks {
            match b {
                Block::Table(t) => out.push(t.clone()),
                Block::Chart(c) => out.push(c.as_table(self.lang)),
                _ => {}
            }
        }
        out
    }

    /// All the text a reader of the document should find (for tests and
    /// search): heading, title, paragraphs, table cells.
    pub fn plain_text(&self) -> String {
        let mut s = String::new();
        let h = &self.heading;
        if let Some(p) = &h.parent_body {
            s.push_str(p);
            s.push('\n');
        }
        for line in [
            h.issuing_body.as_str(),
            h.number.as_str(),
            AdminHeading::NATIONAL_NAME,
            AdminHeading::MOTTO,
            h.place_date.as_str(),
            self.title.as_str(),
        ] {
            s.push_str(line);
            s.push('\n');
        }
        for line in &self.subtitle {
            s.push_str(line);
            s.push('\n');
        }
        for b in &self.blocks {
            match b {
                Block::Heading { text, .. } | Block::Paragraph(text) => {
                    s.push_str(text);
                    s.push('\n');
                }
                Block::Table(t) => table_text(t, self.lang, &mut s),
                Block::Chart(c) => table_text(&c.as_table(self.lang), self.lang, &mut s),
            }
        }
        s
    }
}

fn table_text(t: &Table, lang: Lang, s: &mut String) {
    s.push_str(&t.caption);
    s.push('\n');
    let labels: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    s.push_str(&labels.join(" | "));
    s.push('\n');
    for r in &t.rows {
        let cells: Vec<String> = r.cells.iter().map(|c| c.display(lang)).collect();
        s.push_str(&cells.join(" | "));
        s.push('\n');
    }
}

/// A worksheet name Excel accepts: at most 31 characters, none of
/// `[]:*?/\`, unique within the workbook (a suffix ` (2)` is added).
pub fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let base: String = clean.chars().take(31).collect();
    let base = if base.trim().is_empty() {
        "Bảng".to_string()
    } else {
        base
    };
    if !taken.iter().any(|t| t.eq_ignore_ascii_case(&base)) {
        return base;
    }
    for n in 2.. {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        let cand: String = base.chars().take(keep).collect::<String>() + &suffix;
        if !taken.iter().any(|t| t.eq_ignore_ascii_case(&cand)) {
            return cand;
        }
    }
    unreachable!()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_the_vietnamese_way() {
        let cases = [
            (NumFormat::Integer, "1588", "1.588"),
            (NumFormat::Decimal2, "370.34", "370,34"),
            (NumFormat::Decimal2, "56", "56"),
            (NumFormat::ChangePct, "37.91", "+37,91%"),
            (NumFormat::ChangePct, "-4.5", "-4,5%"),
            (NumFormat::Pct, "8.2", "8,2%"),
        ];
        for (f, v, want) in cases {
            assert_eq!(f.display(v.parse().unwrap(), Lang::Vi), want, "{v}");
        }
        assert_eq!(
            NumFormat::Integer.display("1588".parse().unwrap(), Lang::En),
            "1,588"
        );
    }

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let a = sheet_name("Bảng 1: FDI/ODA [triệu USD] theo quốc gia và năm", &[]);
        assert!(
            a.chars().count() <= 31 && !a.contains(['/', ':', '[']),
            "{a}"
        );
        let b = sheet_name(
            "Bảng 1: FDI/ODA [triệu USD] theo quốc gia và năm",
            std::slice::from_ref(&a),
        );
        assert_ne!(a, b);
        assert!(b.ends_with(" (2)") && b.chars().count() <= 31);
    }
}
