//! The table builder: any indicators × provincial units × years, as a
//! document (so it shows on a page and downloads in every format like the
//! reports). One table per indicator and unit of measure: a row per unit,
//! a column per year, a total row where the indicator may be summed.

use ngoaivu_core::Lang;
use ngoaivu_document::{
    AdminHeading, Block, Cell, Chart, ChartKind, Closing, Column, Document, NumFormat, Row, Series,
    Table,
};
use ngoaivu_stats::figures::units_of;
use ngoaivu_stats::{Figures, PeriodKey};
use ngoaivu_store::Indicator;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::compose::unit_name;
use crate::phrases::{table_unit, unit_label};

/// What the table shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    pub indicators: Vec<String>,
    /// Unit slugs: a current unit stands for itself and the former units
    /// it absorbed; a former unit for itself alone.
    pub localities: Vec<String>,
    pub from: i32,
    pub to: i32,
    /// Stocks at each year's end (`as_of`) instead of flows within it.
    pub stock: bool,
}

impl TableSpec {
    /// The canonical query string that saves and restores the table.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = self.indicators.iter().map(|i| format!("ind={i}")).collect();
        parts.extend(self.localities.iter().map(|l| format!("loc={l}")));
        parts.push(format!("from={}", self.from));
        parts.push(format!("to={}", self.to));
        parts.push(format!(
            "period={}",
            if self.stock { "as_of" } else { "year" }
        ));
        parts.join("&")
    }
}

/// The document of a built table. `issuer` is the organisation's office
/// line for the heading.
pub fn table_document(
    figs: &Figures,
    spec: &TableSpec,
    indicators: &[Indicator],
    issuer: &str,
    lang: Lang,
    date: time::Date,
) -> Document {
    let years: Vec<i32> = (spec.from..=spec.to).collect();
    let mut blocks = vec![];
    let mut n = 0;
    for code in &spec.indicators {
        let ind = indicators.iter().find(|i| &i.code == code);
        let name = ind
            .map(|i| lang.pick(&i.name_vi, &i.name_en).to_owned())
            .unwrap_or_else(|| code.clone());
        let summable = figs.is_summable(code);
        let mut measures: Vec<String> = figs.units_of_measure(code).into_iter().collect();
        if measures.is_empty() {
            measures = ind
                .and_then(|i| i.units.first().cloned())
                .into_iter()
                .collect();
        }
        for unit in measures {
            n += 1;
            let tu = table_unit(&unit);
            let format = if tu.decimals == 0 {
                NumFormat::Integer
            } else {
                NumFormat::Decimal2
            };
            let cell = |v: Option<Decimal>| match v {
                Some(v) => Cell::Number {
                    value: (v / Decimal::from(tu.divisor)).round_dp(tu.decimals),
                    format,
                },
                None => Cell::Empty,
            };
            let period = |y: i32| {
                if spec.stock {
                    PeriodKey::AsOf(y)
                } else {
                    PeriodKey::Year(y)
                }
            };
            let mut rows = vec![];
            let mut series = vec![];
            let mut totals: Vec<Option<Decimal>> = vec![None; years.len()];
            let mut differs = false;
            for loc in &spec.localities {
                let members = units_of(loc);
                let vals: Vec<Option<Decimal>> = years
                    .iter()
                    .map(|y| {
                        let v = figs.value(code, &members, period(*y), &unit);
                        differs |= v.differs();
                        v.best()
                    })
                    .collect();
                for (t, v) in totals.iter_mut().zip(&vals) {
                    if let Some(v) = v {
                        *t = Some(t.unwrap_or_default() + v);
                    }
                }
                series.push(Series {
                    name: unit_name(loc),
                    values: vals
                        .iter()
                        .map(|v| v.and_then(|v| (v / Decimal::from(tu.divisor)).to_f64()))
                        .collect(),
                });
                let mut cells = vec![Cell::text(unit_name(loc))];
                cells.extend(vals.into_iter().map(cell));
                rows.push(Row {
                    cells,
                    total: false,
                });
            }
            if summable && spec.localities.len() > 1 {
                let mut cells = vec![Cell::text(lang.pick("Tổng cộng", "Total"))];
                cells.extend(totals.into_iter().map(cell));
                rows.push(Row { cells, total: true });
            }
            let label = unit_label(code, &unit, lang);
            let caption = format!(
                "{} {n}. {name}{}{}",
                lang.pick("Bảng", "Table"),
                if spec.stock {
                    lang.pick(" (lũy kế)", " (cumulative)")
                } else {
                    ""
                },
                if label.is_empty() {
                    String::new()
                } else {
                    format!(" ({label})")
                }
            );
            let mut columns = vec![Column {
                label: lang.pick("Đơn vị hành chính", "Provincial unit").into(),
                numeric: false,
            }];
            columns.extend(years.iter().map(|y| Column {
                label: y.to_string(),
                numeric: true,
            }));
            let mut notes = vec![lang
                .pick(
                    "Mỗi ô là số liệu báo cáo nếu có, nếu không là tổng hợp từ hồ sơ.",
                    "Each cell is the reported figure if any, otherwise what the records add up to.",
                )
                .to_owned()];
            if differs {
                notes.push(
                    lang.pick(
                        "Có ô mà số liệu báo cáo khác số liệu từ hồ sơ; xem báo cáo năm của địa phương.",
                        "Some cells' reported and recorded figures differ; see the province's annual report.",
                    )
                    .into(),
                );
            }
            blocks.push(Block::Table(Table {
                caption: caption.clone(),
                columns,
                rows,
                note: Some(notes.join(" ")),
                sheet: format!("{n}. {name}").chars().take(31).collect(),
            }));
            if years.len() >= 2
                && series.len() <= 6
                && series.iter().any(|s| s.values.iter().any(Option::is_some))
            {
                blocks.push(Block::Chart(Chart {
                    title: format!(
                        "{name}{}",
                        if spec.stock {
                            lang.pick(" (lũy kế)", " (cumulative)")
                        } else {
                            ""
                        }
                    ),
                    kind: ChartKind::Column,
                    categories: years.iter().map(|y| y.to_string()).collect(),
                    series,
                    unit: label,
                    decimals: tu.decimals,
                    sheet: format!("{n}. {} ({})", name, lang.pick("biểu đồ", "chart"))
                        .chars()
                        .take(31)
                        .collect(),
                }));
            }
        }
    }
    Document {
        lang,
        heading: AdminHeading {
            parent_body: None,
            issuing_body: issuer.to_uppercase(),
            number: String::new(),
            place_date: match lang {
                Lang::Vi => format!(
                    "Ngày {}",
                    date.format(time::macros::format_description!("[day]/[month]/[year]"))
                        .unwrap_or_default()
                ),
                Lang::En => date
                    .format(time::macros::format_description!("[day]/[month]/[year]"))
                    .unwrap_or_default()
                    .clone(),
            },
        },
        title: lang.pick("BẢNG SỐ LIỆU", "TABLE OF FIGURES").into(),
        subtitle: vec![format!(
            "{} {}–{}",
            lang.pick("Các năm", "Years"),
            spec.from,
            spec.to
        )],
        blocks,
        closing: Closing {
            recipients: vec![],
            authority: vec![],
            signer: None,
        },
        footnote: None,
    }
}
