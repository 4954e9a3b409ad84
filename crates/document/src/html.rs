//! A document as HTML: `fragment` for embedding in the web application's
//! page, `standalone` for a file (`ngoaivu report --format html`) with its
//! own print style, no script and nothing fetched from elsewhere.

use std::fmt::Write;

use crate::chart::esc;
use crate::{AdminHeading, Block, Document, Table};

const CHART_FONT: &str = "'Times New Roman', 'Liberation Serif', serif";

/// The document body as an `<article class="doc">`.
pub fn fragment(doc: &Document) -> String {
    let lang = doc.lang;
    let mut o = String::new();
    o.push_str(r#"<article class="doc">"#);
    let h = &doc.heading;
    o.push_str(r#"<header class="doc-heading"><div class="doc-issuer">"#);
    if let Some(p) = &h.parent_body {
        let _ = write!(o, r#"<div class="doc-parent">{}</div>"#, esc(p));
    }
    let _ = write!(
        o,
        r#"<div class="doc-body">{}</div><div class="doc-number">{}</div></div>"#,
        esc(&h.issuing_body),
        esc(&h.number)
    );
    let _ = write!(
        o,
        r#"<div class="doc-nation"><div class="doc-national">{}</div><div class="doc-motto">{}</div><div class="doc-date">{}</div></div></header>"#,
        AdminHeading::NATIONAL_NAME,
        AdminHeading::MOTTO,
        esc(&h.place_date)
    );
    let _ = write!(o, r#"<h1 class="doc-title">{}"#, esc(&doc.title));
    for s in &doc.subtitle {
        let _ = write!(o, r#"<span class="doc-subtitle">{}</span>"#, esc(s));
    }
    o.push_str("</h1>");
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                let tag = if *level <= 1 { "h2" } else { "h3" };
                let _ = write!(o, "<{tag}>{}</{tag}>", esc(text));
            }
            Block::Paragraph(t) => {
                let _ = write!(o, "<p>{}</p>", esc(t));
            }
            Block::Table(t) => table(&mut o, t, doc),
            Block::Chart(c) => {
                let _ = write!(
                    o,
                    r#"<figure class="doc-chart">{}<details><summary>{}</summary>"#,
                    c.to_svg(lang, 640, CHART_FONT),
                    match lang {
                        crate::Lang::Vi => "Số liệu của biểu đồ",
                        crate::Lang::En => "The chart's numbers",
                    }
                );
                table(&mut o, &c.as_table(lang), doc);
                o.push_str("</details></figure>");
            }
        }
    }
    let c = &doc.closing;
    o.push_str(r#"<footer class="doc-closing"><div class="doc-recipients">"#);
    let _ = write!(
        o,
        "<strong><em>{}</em></strong>",
        match lang {
            crate::Lang::Vi => "Nơi nhận:",
            crate::Lang::En => "Recipients:",
        }
    );
    for r in &c.recipients {
        let _ = write!(o, "<div>{}</div>", esc(r));
    }
    o.push_str(r#"</div><div class="doc-signature">"#);
    for a in &c.authority {
        let _ = write!(o, "<div><strong>{}</strong></div>", esc(a));
    }
    o.push_str(r#"<div class="doc-sign-space"></div>"#);
    if let Some(s) = &c.signer {
        let _ = write!(o, "<div><strong>{}</strong></div>", esc(s));
    }
    o.push_str("</div></footer>");
    if let Some(f) = &doc.footnote {
        let _ = write!(o, r#"<p class="doc-footnote">{}</p>"#, esc(f));
    }
    o.push_str("</article>");
    o
}

fn table(o: &mut String, t: &Table, doc: &Document) {
    let _ = write!(
        o,
        r#"<div class="doc-table-wrap"><table class="doc-table"><caption>{}</caption><thead><tr>"#,
        esc(&t.caption)
    );
    for c in &t.columns {
        let _ = write!(
            o,
            r#"<th scope="col"{}>{}</th>"#,
            if c.numeric { r#" class="num""# } else { "" },
            esc(&c.label)
        );
    }
    o.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        o.push_str(if r.total {
            r#"<tr class="total">"#
        } else {
            "<tr>"
        });
        for (i, cell) in r.cells.iter().enumerate() {
            let numeric = t.columns.get(i).is_some_and(|c| c.numeric);
            let _ = write!(
                o,
                "<td{}>{}</td>",
                if numeric { r#" class="num""# } else { "" },
                esc(&cell.display(doc.lang))
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table></div>");
    if let Some(n) = &t.note {
        let _ = write!(o, r#"<p class="doc-note">{}</p>"#, esc(n));
    }
}

/// The style of a document, shared by the standalone file and the web page.
pub const STYLE: &str = r#"
.doc{font-family:'Times New Roman','Liberation Serif',serif;font-size:14pt;line-height:1.4;color:#111;max-width:50rem;margin:0 auto;background:#fff}
.doc-heading{display:flex;justify-content:space-between;gap:1rem;text-align:center;font-size:13pt}
.doc-issuer{flex:0 0 40%}.doc-nation{flex:0 0 58%}
.doc-body,.doc-national{font-weight:bold}
.doc-body::after,.doc-motto::after{content:"";display:block;margin:2px auto 0;border-top:1px solid #111;width:35%}
.doc-motto{font-weight:bold;font-size:14pt}
.doc-number{margin-top:.4rem;white-space:pre}
.doc-date{font-style:italic;margin-top:.6rem}
.doc-title{text-align:center;font-size:14pt;margin:1.5rem 0 1rem;color:#111}
.doc-subtitle{display:block;font-weight:bold}
.doc h2{font-size:14pt;margin:1.2rem 0 .4rem;color:#111}
.doc h3{font-size:14pt;margin:1rem 0 .3rem;color:#111}
.doc p{text-align:justify;text-indent:1.27cm;margin:.3rem 0}
.doc-table-wrap{overflow-x:auto}
.doc-table{border-collapse:collapse;width:100%;font-size:12pt;margin:.5rem 0}
.doc-table caption{font-weight:bold;text-align:left;padding:.3rem 0}
.doc-table th,.doc-table td{border:1px solid #333;padding:.2rem .4rem;vertical-align:top}
.doc-table th{background:#f0f0f0}
.doc-table .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.doc-table tr.total td{font-weight:bold}
.doc p.doc-note,.doc p.doc-footnote{font-size:11pt;text-indent:0;color:#333}
.doc-chart{margin:.8rem 0}
.doc-chart svg{max-width:100%;height:auto}
.doc-chart summary{font-size:11pt;cursor:pointer}
.doc-closing{display:flex;justify-content:space-between;margin-top:2rem}
.doc-recipients{font-size:11pt;flex:0 0 45%}
.doc-signature{text-align:center;flex:0 0 45%}
.doc-sign-space{height:4.5rem}
@media print{.doc{max-width:none}.doc-chart details{display:none}}
@page{size:A4;margin:20mm 15mm 20mm 30mm}
"#;

/// A complete HTML file for the document.
pub fn standalone(doc: &Document) -> String {
    let lang = match doc.lang {
        crate::Lang::Vi => "vi",
        crate::Lang::En => "en",
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} {}</title><style>{STYLE}</style></head><body>{}</body></html>",
        esc(&doc.title),
        esc(&doc.subtitle.join(" ")),
        fragment(doc)
    )
}
