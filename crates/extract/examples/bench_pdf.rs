//! PDF throughput of the report reader: the test report printed to PDF
//! (`tests/pdfs/baocao.pdf`, 3 pages) read to text N times on one core,
//! printed as pages per second; then the same with facts extracted.
//!
//! cargo run --release -p ngoaivu-extract --example bench_pdf [-- SECONDS]

use std::time::Instant;

use ngoaivu_extract::{DocDate, Extractor, read_document};

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5.0);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pdfs/baocao.pdf");
    let bytes = std::fs::read(path).unwrap();
    let ex = Extractor::new();
    let date = DocDate::parse("2023-01-10").ok();
    for with_facts in [false, true] {
        let t0 = Instant::now();
        let (mut pages, mut facts) = (0usize, 0usize);
        while t0.elapsed().as_secs_f64() < secs / 2.0 {
            let d = read_document(&bytes, Some("baocao.pdf")).unwrap();
            pages += d.page_starts.len();
            if with_facts {
                facts += ex.extract_document(&d, date).observations.len();
            }
        }
        let dt = t0.elapsed().as_secs_f64();
        println!(
            "PDF {}: {pages} pages in {dt:.2} s (one core): {:.0} pages/s{}",
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
