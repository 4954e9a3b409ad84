//! A report ([`ngoaivu_document::Document`]) as an Excel workbook (XLSX).
//!
//! The first sheet ("Báo cáo", or "Report" in English) carries the text:
//! the Decree 30 heading, title, sections and paragraphs, with a link to the
//! sheet of each table, and the closing. Then every table of
//! [`Document::tables`] (the tables behind the charts included) gets a sheet
//! of its own: caption in row 1, a bold filled header in row 2 with the
//! panes frozen under it, and the figures as real numbers (the exact
//! `Decimal` becomes an `f64` only at the cell) with the number format of
//! [`NumFormat::excel`], so people can add, sort and chart them. Each chart
//! of the report becomes a native Excel chart on its table's sheet, its
//! series pointing at the cells, so changing a figure changes the chart.
//!
//! Why: the provinces send their figures upward in spreadsheets; a workbook
//! whose numbers are text, or whose charts are pictures, has to be typed in
//! again. [`write`] is a pure function: a document in, the file's bytes out.

use ngoaivu_document::{Block, Cell, Chart, ChartKind, Document, Lang, NumFormat, Table, chart};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart as XlsxChart, ChartAxisCrossing, ChartDataLabel, ChartFormat, ChartLegendPosition,
    ChartSolidFill, ChartType, Color, Format, FormatAlign, FormatBorder, Url, Workbook, Worksheet,
    XlsxError, quote_sheet_name,
};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// The font of every cell, as in the report itself.
const FONT: &str = ngoaivu_document::fonts::FAMILY_DECLARED;
const FONT_SIZE: f64 = 12.0;
/// A4 in Excel's paper codes.
const PAPER_A4: u8 = 9;
/// The row of a table sheet with the column labels (0-based); the caption
/// is in the row above, the figures start below.
const HEADER_ROW: u32 = 1;
const FIRST_DATA_ROW: u32 = HEADER_ROW + 1;

/// The document as the bytes of an .xlsx file.
pub fn write(doc: &Document) -> Result<Vec<u8>, Error> {
    let lang = doc.lang;
    let mut wb = Workbook::new();
    let report_name = match lang {
        Lang::Vi => "Báo cáo",
        Lang::En => "Report",
    };
    let mut taken = vec![report_name.to_string()];

    // The tables in document order, each with its chart if it came from one,
    // and the sheet it goes to.
    let mut sheets: Vec<(Table, Option<&Chart>, String)> = vec![];
    for b in &doc.blocks {
        let (table, chart) = match b {
            Block::Table(t) => (t.clone(), None),
            Block::Chart(c) => (c.as_table(lang), Some(c)),
            _ => continue,
        };
        let name = ngoaivu_document::sheet_name(&table.sheet, &taken);
        taken.push(name.clone());
        sheets.push((table, chart, name));
    }

    let report = wb.add_worksheet();
    report.set_name(report_name)?;
    report_sheet(report, doc, &sheets)?;

    for (table, chart, name) in &sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        table_sheet(ws, table, lang)?;
        if let Some(c) = chart {
            native_chart(ws, c, table, name)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(FONT_SIZE)
}

fn report_sheet(
    ws: &mut Worksheet,
    doc: &Document,
    sheets: &[(Table, Option<&Chart>, String)],
) -> Result<(), Error> {
    let lang = doc.lang;
    ws.set_paper_size(PAPER_A4);
    // Decree 30's margins, in inches: left 30 mm, right 15, top and bottom 20.
    ws.set_margins(30.0 / 25.4, 15.0 / 25.4, 20.0 / 25.4, 20.0 / 25.4, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 100)?;

    let plain = base().set_text_wrap().set_align(FormatAlign::Top);
    let bold = plain.clone().set_bold();
    let centred_bold = bold.clone().set_align(FormatAlign::Center);
    let italic = plain.clone().set_italic();
    let title = centred_bold.clone().set_font_size(14);
    let small = italic.clone().set_font_size(10);

    let mut row = 0u32;
    let line = |ws: &mut Worksheet, row: &mut u32, text: &str, f: &Format| -> Result<(), Error> {
        ws.write_string_with_format(*row, 0, text, f)?;
        *row += 1;
        Ok(())
    };
    let h = &doc.heading;
    if let Some(p) = &h.parent_body {
        line(ws, &mut row, p, &plain)?;
    }
    line(ws, &mut row, &h.issuing_body, &bold)?;
    line(ws, &mut row, &h.number, &plain)?;
    line(
        ws,
        &mut row,
        ngoaivu_document::AdminHeading::NATIONAL_NAME,
        &bold,
    )?;
    line(ws, &mut row, ngoaivu_document::AdminHeading::MOTTO, &bold)?;
    line(ws, &mut row, &h.place_date, &italic)?;
    line(ws, &mut row, "", &plain)?;
    line(ws, &mut row, &doc.title, &title)?;
    for s in &doc.subtitle {
        line(ws, &mut row, s, &centred_bold)?;
    }
    line(ws, &mut row, "", &plain)?;

    let mut tables = sheets.iter();
    let link = base()
        .set_underline(rust_xlsxwriter::FormatUnderline::Single)
        .set_font_color(Color::Theme(10, 0));
    for b in &doc.blocks {
        match b {
            Block::Heading { text, .. } => line(ws, &mut row, text, &bold)?,
            Block::Paragraph(text) => line(ws, &mut row, text, &plain)?,
            Block::Table(_) | Block::Chart(_) => {
                let Some((t, _, name)) = tables.next() else {
                    continue;
                };
                let see = match lang {
                    Lang::Vi => "xem trang tính",
                    Lang::En => "see sheet",
                };
                let text = format!("{} ({see} «{name}»)", t.caption);
                let url =
                    Url::new(format!("internal:{}!A1", quote_sheet_name(name))).set_text(&text);
                ws.write_url_with_format(row, 0, url, &link)?;
                row += 1;
            }
        }
    }

    let c = &doc.closing;
    line(ws, &mut row, "", &plain)?;
    for a in &c.authority {
        line(ws, &mut row, a, &bold)?;
    }
    if let Some(s) = &c.signer {
        line(ws, &mut row, s, &bold)?;
    }
    line(ws, &mut row, "", &plain)?;
    line(
        ws,
        &mut row,
        match lang {
            Lang::Vi => "Nơi nhận:",
            Lang::En => "Recipients:",
        },
        &bold.clone().set_italic(),
    )?;
    for r in &c.recipients {
        line(ws, &mut row, r, &plain)?;
    }
    if let Some(f) = &doc.footnote {
        line(ws, &mut row, "", &plain)?;
        line(ws, &mut row, f, &small)?;
    }
    ws.set_active(true);
    Ok(())
}

fn table_sheet(ws: &mut Worksheet, t: &Table, lang: Lang) -> Result<(), Error> {
    let ncols = t
        .columns
        .len()
        .max(t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0))
        .max(1);
    ws.set_paper_size(PAPER_A4);
    if ncols > 5 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, HEADER_ROW)?;

    ws.write_string_with_format(0, 0, &t.caption, &base().set_bold().set_font_size(13))?;

    let border = base()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let header = border
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9E1F2));
    for (i, c) in t.columns.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col(i), &c.label, &header)?;
    }
    for i in t.columns.len()..ncols {
        ws.write_blank(HEADER_ROW, col(i), &header)?;
    }

    let text = border.clone().set_text_wrap();
    for (ri, r) in t.rows.iter().enumerate() {
        let row = FIRST_DATA_ROW + ri as u32;
        let bold = |f: Format| if r.total { f.set_bold() } else { f };
        for i in 0..ncols {
            match r.cells.get(i).unwrap_or(&Cell::Empty) {
                Cell::Text(s) => {
                    ws.write_string_with_format(row, col(i), s, &bold(text.clone()))?;
                }
                Cell::Number { value, format } => {
                    // The one place the exact decimal becomes binary.
                    let v = value.to_f64().unwrap_or(f64::NAN);
                    let f = bold(border.clone().set_num_format(format.excel()));
                    ws.write_number_with_format(row, col(i), v, &f)?;
                }
                Cell::Empty => {
                    ws.write_blank(row, col(i), &bold(border.clone()))?;
                }
            }
        }
    }
    if let Some(n) = &t.note {
        let row = FIRST_DATA_ROW + t.rows.len() as u32 + 1;
        ws.write_string_with_format(row, 0, n, &base().set_italic().set_font_size(11))?;
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, 0)?;

    for (i, w) in column_widths(t, ncols, lang).into_iter().enumerate() {
        ws.set_column_width(col(i), w)?;
    }
    Ok(())
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Widths in characters: the first column (names) wide enough for its
/// longest entry, within reason; figures as wide as their formatted value
/// or the longest word of their label.
fn column_widths(t: &Table, ncols: usize, lang: Lang) -> Vec<f64> {
    let chars = |s: &str| s.chars().count() as f64;
    let longest_word = |s: &str| s.split_whitespace().map(chars).fold(0.0, f64::max);
    (0..ncols)
        .map(|i| {
            let label = t.columns.get(i).map_or("", |c| c.label.as_str());
            let mut w = longest_word(label).max(chars(label) / 2.0);
            for r in &t.rows {
                if let Some(c) = r.cells.get(i) {
                    w = w.max(chars(&c.display(lang)));
                }
            }
            if i == 0 {
                (w + 2.0).clamp(24.0, 60.0)
            } else {
                (w + 3.0).clamp(11.0, 30.0)
            }
        })
        .collect()
}

/// An Excel chart of the table's cells, to the right of the table.
fn native_chart(ws: &mut Worksheet, c: &Chart, t: &Table, sheet: &str) -> Result<(), Error> {
    let n = c.categories.len() as u32;
    if n == 0 || c.series.is_empty() {
        return Ok(());
    }
    let last = FIRST_DATA_ROW + n - 1;
    let mut ch = XlsxChart::new(match c.kind {
        ChartKind::Column => ChartType::Column,
        ChartKind::Bar => ChartType::Bar,
    });
    let format = if c.decimals == 0 {
        NumFormat::Integer
    } else {
        NumFormat::Decimal2
    };
    for (i, _) in c.series.iter().enumerate() {
        let vcol = col(i + 1);
        let colour = u32::from_str_radix(
            chart::PALETTE[i % chart::PALETTE.len()].trim_start_matches('#'),
            16,
        )
        .unwrap_or(0x1f5f99);
        ch.add_series()
            .set_name((sheet, HEADER_ROW, vcol))
            .set_categories((sheet, FIRST_DATA_ROW, 0, last, 0))
            .set_values((sheet, FIRST_DATA_ROW, vcol, last, vcol))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)))
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format(format.excel()),
            );
    }
    let title = if c.unit.is_empty() {
        c.title.clone()
    } else {
        format!("{} ({})", c.title, c.unit)
    };
    ch.title().set_name(&title);
    if c.series.len() > 1 {
        ch.legend().set_position(ChartLegendPosition::Bottom);
    } else {
        ch.legend().set_hidden();
    }
    match c.kind {
        ChartKind::Column => {
            ch.y_axis().set_num_format(NumFormat::Integer.excel());
        }
        ChartKind::Bar => {
            // Bars are rankings: read from the top, in the table's order.
            // Reversed, the category axis would carry the value axis to the
            // top; crossing at its maximum keeps the values at the bottom.
            ch.y_axis()
                .set_reverse()
                .set_crossing(ChartAxisCrossing::Max);
            ch.x_axis().set_num_format(NumFormat::Integer.excel());
        }
    }
    let rows_per_category = if c.kind == ChartKind::Bar { 24 } else { 0 };
    ch.set_width(640)
        .set_height((360 + rows_per_category * n.saturating_sub(8)).min(900));
    ws.insert_chart_with_offset(HEADER_ROW, col(t.columns.len() + 1), &ch, 10, 0)?;
    Ok(())
}
