//! Charts drawn as SVG by the server, so a dashboard and a report show the
//! same picture, and the numbers behind every chart are also a table.
//!
//! Two shapes cover what the reports need: columns (categories along the
//! bottom, e.g. years; one or more series side by side, e.g. delegations in
//! and out) and bars (categories down the side, e.g. countries or provinces
//! ranked). Text widths are estimated from the character count: the SVG
//! leaves generous room rather than measuring glyphs.

use std::fmt::Write;

use ngoaivu_core::Lang;
use ngoaivu_core::numfmt::format_number;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::{Cell, Column, NumFormat, Row, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical columns; categories along the x axis.
    Column,
    /// Horizontal bars; categories down the y axis (rankings).
    Bar,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// One value per category; `None` where there is no figure.
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The unit of the values ("đoàn", "triệu USD"), shown with the title.
    pub unit: String,
    /// Decimals shown on value labels (0 for counts, 2 for money).
    pub decimals: u32,
    /// The sheet name of its table in a workbook.
    pub sheet: String,
}

/// Colours that stay distinct for colour-blind readers and print in grey.
pub const PALETTE: [&str; 4] = ["#1f5f99", "#d9822b", "#3a8f5c", "#8c4f9f"];

impl Chart {
    /// The chart's numbers as a table: one row per category, one column per
    /// series.
    pub fn as_table(&self, lang: Lang) -> Table {
        let first = match lang {
            Lang::Vi => "Hạng mục",
            Lang::En => "Category",
        };
        let mut columns = vec![Column {
            label: first.into(),
            numeric: false,
        }];
        for s in &self.series {
            columns.push(Column {
                label: if self.unit.is_empty() {
                    s.name.clone()
                } else {
                    format!("{} ({})", s.name, self.unit)
                },
                numeric: true,
            });
        }
        let format = if self.decimals == 0 {
            NumFormat::Integer
        } else {
            NumFormat::Decimal2
        };
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, cat)| {
                let mut cells = vec![Cell::Text(cat.clone())];
                for s in &self.series {
                    cells.push(
                        match s
                            .values
                            .get(i)
                            .copied()
                            .flatten()
                            .and_then(Decimal::from_f64)
                        {
                            Some(v) => Cell::Number {
                                value: v.round_dp(self.decimals),
                                format,
                            },
                            None => Cell::Empty,
                        },
                    );
                }
                Row {
                    cells,
                    total: false,
                }
            })
            .collect();
        Table {
            caption: self.title.clone(),
            columns,
            rows,
            note: None,
            sheet: self.sheet.clone(),
        }
    }

    fn max_value(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().copied().flatten())
            .fold(0.0, f64::max)
    }

    fn label(&self, v: f64, lang: Lang) -> String {
        match Decimal::from_f64(v) {
            Some(d) => format_number(d, self.decimals, lang),
            None => String::new(),
        }
    }

    /// The chart as a standalone SVG element (no XML declaration), `width`
    /// user units wide; it scales with its container through `viewBox`.
    pub fn to_svg(&self, lang: Lang, width: u32, font_family: &str) -> String {
        match self.kind {
            ChartKind::Column => self.columns_svg(lang, width, font_family),
            ChartKind::Bar => self.bars_svg(lang, width, font_family),
        }
    }

    fn open(&self, out: &mut String, w: f64, h: f64, font_family: &str) {
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" font-family="{}" font-size="12"><title>{}</title><rect width="{w}" height="{h}" fill="#ffffff"/>"##,
            esc(font_family),
            esc(&self.full_title())
        );
        let _ = write!(
            out,
            r##"<text x="0" y="16" font-size="14" font-weight="bold" fill="#1a1a1a">{}</text>"##,
            esc(&self.full_title())
        );
    }

    fn full_title(&self) -> String {
        if self.unit.is_empty() {
            self.title.clone()
        } else {
            format!("{} ({})", self.title, self.unit)
        }
    }

    fn legend(&self, out: &mut String, y: f64) {
        if self.series.len() < 2 {
            return;
        }
        let mut x = 0.0;
        for (i, s) in self.series.iter().enumerate() {
            let _ = write!(
                out,
                r##"<rect x="{x}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" fill="#333333">{}</text>"##,
                y - 10.0,
                PALETTE[i % PALETTE.len()],
                x + 16.0,
                y,
                esc(&s.name)
            );
            x += 16.0 + text_width(&s.name, 12.0) + 24.0;
        }
    }

    fn columns_svg(&self, lang: Lang, width: u32, font_family: &str) -> String {
        let w = width as f64;
        let legend_h = if self.series.len() > 1 { 22.0 } else { 0.0 };
        let top = 28.0 + legend_h + 14.0;
        let plot_h = 200.0;
        let longest = self
            .categories
            .iter()
            .map(|c| text_width(c, 11.0))
            .fold(0.0, f64::max);
        let n = self.categories.len().max(1) as f64;
        let left = 8.0;
        let plot_w = w - left - 8.0;
        let slot = plot_w / n;
        // Category labels turn when they would not fit under their column.
        let slanted = longest > slot - 4.0;
        let bottom = if slanted {
            (longest * 0.72).min(120.0) + 14.0
        } else {
            22.0
        };
        let h = top + plot_h + bottom;
        let mut out = String::new();
        self.open(&mut out, w, h, font_family);
        self.legend(&mut out, 28.0 + 14.0);
        let max = nice_max(self.max_value());
        let base = top + plot_h;
        for k in 0..=4 {
            let y = base - plot_h * k as f64 / 4.0;
            let _ = write!(
                out,
                r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="{}" stroke-width="1"/>"##,
                w - 8.0,
                if k == 0 { "#555555" } else { "#e2e2e2" }
            );
        }
        let groups = self.series.len().max(1) as f64;
        let bar_w = (slot * 0.75 / groups).min(48.0);
        for (ci, cat) in self.categories.iter().enumerate() {
            let cx = left + slot * (ci as f64 + 0.5);
            let gx = cx - bar_w * groups / 2.0;
            for (si, s) in self.series.iter().enumerate() {
                let Some(v) = s.values.get(ci).copied().flatten() else {
                    continue;
                };
                let bh = if max > 0.0 { plot_h * v / max } else { 0.0 };
                let x = gx + bar_w * si as f64;
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="{}"><title>{}: {}</title></rect>"#,
                    base - bh,
                    (bar_w - 2.0).max(1.0),
                    PALETTE[si % PALETTE.len()],
                    esc(&format!("{cat} — {}", s.name)),
                    self.label(v, lang)
                );
                let _ = write!(
                    out,
                    r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
                    x + bar_w / 2.0 - 1.0,
                    base - bh - 3.0,
                    self.label(v, lang)
                );
            }
            if slanted {
                let _ = write!(
                    out,
                    r##"<text x="{cx:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#333333" transform="rotate(-45 {cx:.1} {:.1})">{}</text>"##,
                    base + 14.0,
                    base + 14.0,
                    esc(cat)
                );
            } else {
                let _ = write!(
                    out,
                    r##"<text x="{cx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#333333">{}</text>"##,
                    base + 16.0,
                    esc(cat)
                );
            }
        }
        out.push_str("</svg>");
        out
    }

    fn bars_svg(&self, lang: Lang, width: u32, font_family: &str) -> String {
        let w = width as f64;
        let legend_h = if self.series.len() > 1 { 22.0 } else { 0.0 };
        let top = 28.0 + legend_h + 8.0;
        let groups = self.series.len().max(1) as f64;
        let bar_h = 14.0;
        let row_h = bar_h * groups + 8.0;
        let label_w = self
            .categories
            .iter()
            .map(|c| text_width(c, 11.0))
            .fold(40.0, f64::max)
            .min(w * 0.4)
            + 8.0;
        let value_room = 70.0;
        let plot_w = (w - label_w - value_room).max(40.0);
        let h = top + row_h * self.categories.len() as f64 + 8.0;
        let mut out = String::new();
        self.open(&mut out, w, h, font_family);
        self.legend(&mut out, 28.0 + 14.0);
        let max = nice_max(self.max_value());
        let _ = write!(
            out,
            r##"<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{:.1}" stroke="#555555" stroke-width="1"/>"##,
            h - 8.0
        );
        for (ci, cat) in self.categories.iter().enumerate() {
            let y0 = top + row_h * ci as f64 + 4.0;
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#333333">{}</text>"##,
                label_w - 6.0,
                y0 + row_h / 2.0,
                esc(&truncate(cat, label_w - 8.0, 11.0))
            );
            for (si, s) in self.series.iter().enumerate() {
                let Some(v) = s.values.get(ci).copied().flatten() else {
                    continue;
                };
                let bw = if max > 0.0 { plot_w * v / max } else { 0.0 };
                let y = y0 + bar_h * si as f64;
                let _ = write!(
                    out,
                    r#"<rect x="{label_w}" y="{y:.1}" width="{bw:.1}" height="{:.1}" fill="{}"><title>{}: {}</title></rect>"#,
                    bar_h - 2.0,
                    PALETTE[si % PALETTE.len()],
                    esc(&format!("{cat} — {}", s.name)),
                    self.label(v, lang)
                );
                let _ = write!(
                    out,
                    r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#1a1a1a">{}</text>"##,
                    label_w + bw + 4.0,
                    y + bar_h - 4.0,
                    self.label(v, lang)
                );
            }
        }
        out.push_str("</svg>");
        out
    }
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `v`, so that the plot's top is
/// a round number and bars do not touch it.
fn nice_max(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let t = v * 1.08;
    let base = 10f64.powf(t.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0] {
        if m * base >= t {
            return m * base;
        }
    }
    10.0 * base
}

/// An estimate of the width of `s` in a proportional font of size `px`.
fn text_width(s: &str, px: f64) -> f64 {
    s.chars().count() as f64 * px * 0.55
}

fn truncate(s: &str, room: f64, px: f64) -> String {
    if text_width(s, px) <= room {
        return s.to_string();
    }
    let keep = ((room / (px * 0.55)) as usize).saturating_sub(1);
    let mut t: String = s.chars().take(keep).collect();
    t.push('…');
    t
}

pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(kind: ChartKind) -> Chart {
        Chart {
            title: "Đoàn ra, đoàn vào".into(),
            kind,
            categories: vec!["2021".into(), "2022".into(), "2023".into()],
            series: vec![
                Series {
                    name: "Đoàn vào".into(),
                    values: vec![Some(12.0), Some(1588.0), None],
                },
                Series {
                    name: "Đoàn ra".into(),
                    values: vec![Some(3.0), Some(5.0), Some(7.0)],
                },
            ],
            unit: "đoàn".into(),
            decimals: 0,
            sheet: "Đoàn".into(),
        }
    }

    #[test]
    fn svg_is_well_formed_and_labels_numbers_the_vietnamese_way() {
        for kind in [ChartKind::Column, ChartKind::Bar] {
            let svg = sample(kind).to_svg(Lang::Vi, 640, "Liberation Serif");
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(svg.contains(">1.588<"), "{svg}");
            assert!(svg.contains("Đoàn ra, đoàn vào (đoàn)"));
            // One rectangle per value present plus background and legend.
            let rects = svg.matches("<rect").count();
            assert_eq!(rects, 1 + 2 + 5, "{kind:?}");
            assert!(!svg.contains("NaN"));
        }
    }

    #[test]
    fn the_table_behind_a_chart_has_every_number() {
        let t = sample(ChartKind::Column).as_table(Lang::Vi);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.columns[1].label, "Đoàn vào (đoàn)");
        assert_eq!(t.rows[1].cells[1].display(Lang::Vi), "1.588");
        assert_eq!(t.rows[2].cells[1], Cell::Empty);
    }

    #[test]
    fn round_tops() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(93.0), 120.0);
        assert_eq!(nice_max(1588.0), 2000.0);
        assert_eq!(nice_max(4.0), 5.0);
    }

    #[test]
    fn text_is_escaped() {
        let mut c = sample(ChartKind::Bar);
        c.categories[0] = "A & <B>".into();
        let svg = c.to_svg(Lang::En, 400, "serif");
        assert!(svg.contains("A &amp; &lt;B&gt;"));
    }
}
