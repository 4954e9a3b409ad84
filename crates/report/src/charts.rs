//! The charts reports and dashboards share, built from figures. Each is
//! `None` when there is nothing to draw.

use std::collections::BTreeMap;

use ngoaivu_core::Lang;
use ngoaivu_core::fold::vi_sort_key;
use ngoaivu_core::refdata::refdata;
use ngoaivu_document::{Chart, ChartKind, Series};
use ngoaivu_stats::{Figures, PeriodKey};
use rust_decimal::prelude::ToPrimitive;

pub fn country_name(alpha2: &str, lang: Lang) -> String {
    refdata()
        .country(alpha2)
        .map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned())
        .unwrap_or_else(|| alpha2.to_owned())
}

/// A bar chart of the ten largest, largest first (ties in Vietnamese
/// alphabetical order).
pub fn ranked_chart(
    mut items: Vec<(String, f64)>,
    title: String,
    unit: &str,
    decimals: u32,
    sheet: &str,
    series: &str,
) -> Option<Chart> {
    items.retain(|(_, v)| *v > 0.0);
    if items.is_empty() {
        return None;
    }
    items.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| vi_sort_key(&a.0).cmp(&vi_sort_key(&b.0)))
    });
    items.truncate(10);
    Some(Chart {
        title,
        kind: ChartKind::Bar,
        categories: items.iter().map(|(c, _)| c.clone()).collect(),
        series: vec![Series {
            name: series.into(),
            values: items.iter().map(|(_, v)| Some(*v)).collect(),
        }],
        unit: unit.into(),
        decimals,
        sheet: sheet.into(),
    })
}

/// Agreements signed in `from..=to` by partner country.
pub fn agreements_by_country(
    figs: &Figures,
    units: &[String],
    from: i32,
    to: i32,
    lang: Lang,
) -> Option<Chart> {
    let mut by: BTreeMap<String, i64> = BTreeMap::new();
    for ((u, y, c), n) in &figs.agreements_by_country {
        if units.contains(u) && (from..=to).contains(y) {
            *by.entry(c.clone()).or_default() += n;
        }
    }
    ranked_chart(
        by.into_iter()
            .map(|(c, n)| (country_name(&c, lang), n as f64))
            .collect(),
        format!(
            "{} {from}–{to}",
            lang.pick(
                "Thỏa thuận quốc tế theo quốc gia đối tác,",
                "Agreements by partner country,"
            )
        ),
        lang.pick("thỏa thuận", "agreements"),
        0,
        lang.pick("Thỏa thuận theo quốc gia", "Agreements by country"),
        lang.pick("Số thỏa thuận", "Agreements"),
    )
}

/// FDI capital registered in `from..=to` by investor country (USD).
pub fn fdi_by_country(
    figs: &Figures,
    units: &[String],
    from: i32,
    to: i32,
    lang: Lang,
) -> Option<Chart> {
    let mut by: BTreeMap<String, f64> = BTreeMap::new();
    for ((u, y, c), (_, usd)) in &figs.fdi_by_country {
        if units.contains(u) && (from..=to).contains(y) {
            *by.entry(c.clone()).or_default() += usd.to_f64().unwrap_or(0.0) / 1e6;
        }
    }
    ranked_chart(
        by.into_iter()
            .map(|(c, v)| (country_name(&c, lang), v))
            .collect(),
        format!(
            "{} {from}–{to}",
            lang.pick(
                "Vốn FDI đăng ký theo quốc gia, vùng lãnh thổ,",
                "FDI registered capital by country,"
            )
        ),
        lang.pick("triệu USD", "million USD"),
        2,
        lang.pick("FDI theo quốc gia", "FDI by country"),
        lang.pick("Vốn đăng ký", "Registered capital"),
    )
}

fn years(from: i32, to: i32) -> (Vec<i32>, Vec<String>) {
    let years: Vec<i32> = (from..=to).collect();
    let cats = years.iter().map(|y| y.to_string()).collect();
    (years, cats)
}

/// Export turnover per year, when at least two years have a figure.
pub fn exports_by_year(
    figs: &Figures,
    units: &[String],
    from: i32,
    to: i32,
    lang: Lang,
) -> Option<Chart> {
    let (years, cats) = years(from, to);
    let export: Vec<Option<f64>> = years
        .iter()
        .map(|y| {
            figs.value("trade.export", units, PeriodKey::Year(*y), "USD")
                .best()
                .and_then(|v| v.to_f64())
                .map(|v| v / 1e6)
        })
        .collect();
    if export.iter().filter(|v| v.is_some()).count() < 2 {
        return None;
    }
    Some(Chart {
        title: lang
            .pick("Kim ngạch xuất khẩu theo năm", "Export turnover by year")
            .into(),
        kind: ChartKind::Column,
        categories: cats,
        series: vec![Series {
            name: lang.pick("Xuất khẩu", "Exports").into(),
            values: export,
        }],
        unit: lang.pick("triệu USD", "million USD").into(),
        decimals: 2,
        sheet: lang.pick("Xuất khẩu theo năm", "Exports by year").into(),
    })
}

/// Delegations sent and received per year.
pub fn delegations_by_year(
    figs: &Figures,
    units: &[String],
    from: i32,
    to: i32,
    lang: Lang,
) -> Option<Chart> {
    let (years, cats) = years(from, to);
    let series: Vec<Series> = [
        ("delegations.outbound", lang.pick("Đoàn ra", "Sent abroad")),
        ("delegations.inbound", lang.pick("Đoàn vào", "Received")),
    ]
    .iter()
    .map(|(code, name)| Series {
        name: (*name).into(),
        values: years
            .iter()
            .map(|y| {
                figs.value(code, units, PeriodKey::Year(*y), "count")
                    .best()
                    .and_then(|v| v.to_f64())
            })
            .collect(),
    })
    .collect();
    if !series
        .iter()
        .flat_map(|s| s.values.iter())
        .any(|v| v.is_some_and(|v| v > 0.0))
    {
        return None;
    }
    Some(Chart {
        title: format!(
            "{} {from}–{to}",
            lang.pick("Đoàn ra, đoàn vào theo năm,", "Delegations by year,")
        ),
        kind: ChartKind::Column,
        categories: cats,
        series,
        unit: lang.pick("đoàn", "delegations").into(),
        decimals: 0,
        sheet: lang
            .pick("Đoàn ra, đoàn vào theo năm", "Delegations by year")
            .into(),
    })
}
