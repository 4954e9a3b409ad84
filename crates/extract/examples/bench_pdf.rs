//! PDF throughput of the report reader on one core, as pages per second:
//!
//! * the test reports printed to PDF by LibreOffice (`tests/pdfs/baocao.pdf`,
//!   3 pages, and `tests/pdfs/columns.pdf`, its two-column version), read
//!   over and over, to text and then to facts;
//! * one long PDF written by `tests/support/long_pdf.rs` (500 pages of 36
//!   lines of Vietnamese in a standard font with a ToUnicode map, a running
//!   header and page numbers): the per-page cost of a big document, to text
//!   and to facts.
//!
//! cargo run --release -p ngoaivu-extract --example bench_pdf [-- SECONDS]

use std::time::Instant;

use ngoaivu_extract::{DocDate, Extractor, read_document};

#[path = "../tests/support/long_pdf.rs"]
mod long_pdf;

fn run(label: &str, docs: &[(&str, Vec<u8>)], secs: f64, ex: &Extractor) {
    let date = DocDate::parse("2023-01-10").ok();
    for with_facts in [false, true] {
        let t0 = Instant::now();
        let (mut pages, mut facts) = (0usize, 0usize);
        while t0.elapsed().as_secs_f64() < secs / 2.0 {
            for (name, bytes) in docs {
                let d = read_document(bytes, Some(name)).unwrap();
                pages += d.page_starts.len();
                if with_facts {
                    facts += ex.extract_document(&d, date).observations.len();
                }
            }
        }
        let dt = t0.elapsed().as_secs_f64();
        println!(
            "PDF, {label}, {}: {pages} pages in {dt:.2} s (one core): {:.0} pages/s{}",
            if with_facts { "to facts" } else { "to text" },
            pages as f64 / dt,
            if with_facts {
                format!("; {facts} observations")
            } else {
                String::new()
            }
        );
    }
}

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(6.0);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pdfs");
    let printed: Vec<(&str, Vec<u8>)> = ["baocao.pdf", "columns.pdf"]
        .into_iter()
        .map(|n| (n, std::fs::read(format!("{dir}/{n}")).unwrap()))
        .collect();
    let ex = Extractor::new();
    run("reports printed from Writer", &printed, secs / 2.0, &ex);
    let long = vec![("long.pdf", long_pdf::long_pdf(500))];
    run("one of 500 pages", &long, secs / 2.0, &ex);
}
