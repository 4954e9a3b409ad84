//! Throughput of the report reader: ~20 MB of Vietnamese text built by
//! repeating the five fixture reports (read at run time from ../shared),
//! extracted as one document, timed, printed as MB/s.
//!
//! cargo run --release -p ngoaivu-extract --example bench [-- MB]

use std::path::PathBuf;
use std::time::Instant;

use ngoaivu_extract::{DocDate, Extractor};

fn main() {
    let target_mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/narrative");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| std::fs::read_to_string(&p).unwrap())
        .collect();
    texts.sort();
    assert!(!texts.is_empty(), "no fixtures in {}", dir.display());
    let mut big = String::new();
    while big.len() < target_mb * 1_000_000 {
        for t in &texts {
            big.push_str(t);
            big.push('\n');
        }
    }
    let ex = Extractor::new();
    let date = DocDate::parse("2020-12-31").ok();
    // Warm up on one report.
    let _ = ex.extract(&texts[0], date);
    let mut best = f64::MAX;
    let mut n_obs = 0;
    for _ in 0..3 {
        let t0 = Instant::now();
        let facts = ex.extract(&big, date);
        let dt = t0.elapsed().as_secs_f64();
        n_obs = facts.observations.len() + facts.partnerships.len();
        best = best.min(dt);
    }
    let mb = big.len() as f64 / 1e6;
    println!(
        "{mb:.1} MB in {best:.3} s (best of 3, one core): {:.1} MB/s; {n_obs} facts",
        mb / best
    );
    // Many small documents, as a batch would be.
    let t0 = Instant::now();
    let mut total = 0usize;
    let mut docs = 0usize;
    while total < target_mb * 1_000_000 {
        for t in &texts {
            let _ = ex.extract(t, date);
            total += t.len();
            docs += 1;
        }
    }
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "{docs} documents, {:.1} MB in {dt:.3} s: {:.1} MB/s",
        total as f64 / 1e6,
        total as f64 / 1e6 / dt
    );
}
