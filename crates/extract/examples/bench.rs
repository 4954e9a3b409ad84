//! Plain-text throughput of the report reader on one core, in two shapes:
//!
//! * one large document: the five fixture reports and the development set
//!   (`../shared/fixtures/narrative{,-dev}/*.txt`, read at run time)
//!   repeated to MB megabytes and extracted as one text;
//! * many report-sized documents: the same reports extracted one by one
//!   (each with its own date from `NAME.meta.json`), round after round, to
//!   MB megabytes in all.
//!
//! Each shape is timed three times; the best is printed as MB/s.
//!
//! cargo run --release -p ngoaivu-extract --example bench [-- MB]

use std::path::PathBuf;
use std::time::Instant;

use ngoaivu_extract::{DocDate, Extractor};

/// The reports of the five and the development set, with their dates.
fn reports() -> Vec<(String, Option<DocDate>)> {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    let mut out = Vec::new();
    for set in ["narrative", "narrative-dev"] {
        let dir = shared.join(set);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            let meta = p.with_extension("meta.json");
            let date = std::fs::read_to_string(meta)
                .ok()
                .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
                .and_then(|v| v.get("date").and_then(|d| d.as_str()).map(str::to_string))
                .and_then(|d| DocDate::parse(&d).ok());
            out.push((text, date));
        }
    }
    assert!(!out.is_empty(), "no fixtures under {}", shared.display());
    out
}

fn main() {
    let target_mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let texts = reports();
    let ex = Extractor::new();
    let date = DocDate::parse("2020-12-31").ok();
    // Warm up (the vocabulary is built here, not timed).
    let _ = ex.extract(&texts[0].0, date);

    let mut big = String::new();
    while big.len() < target_mb * 1_000_000 {
        for (t, _) in &texts {
            big.push_str(t);
            big.push('\n');
        }
    }
    let mut best = f64::MAX;
    let mut n_facts = 0;
    for _ in 0..3 {
        let t0 = Instant::now();
        let facts = ex.extract(&big, date);
        best = best.min(t0.elapsed().as_secs_f64());
        n_facts = facts.observations.len() + facts.partnerships.len();
    }
    let mb = big.len() as f64 / 1e6;
    println!(
        "text, one document: {mb:.1} MB in {best:.3} s (best of 3, one core): {:.1} MB/s; {n_facts} facts",
        mb / best
    );

    // Many report-sized documents, as a batch reads them.
    let round: usize = texts.iter().map(|(t, _)| t.len()).sum();
    let rounds = (target_mb * 1_000_000).div_ceil(round);
    let mut best = f64::MAX;
    let mut n_facts = 0;
    for _ in 0..3 {
        let t0 = Instant::now();
        n_facts = 0;
        for _ in 0..rounds {
            for (t, d) in &texts {
                let f = ex.extract(t, *d);
                n_facts += f.observations.len() + f.partnerships.len();
            }
        }
        best = best.min(t0.elapsed().as_secs_f64());
    }
    let mb = (round * rounds) as f64 / 1e6;
    println!(
        "text, {} documents of {:.1} kB on average: {mb:.1} MB in {best:.3} s (best of 3, one core): {:.1} MB/s; {n_facts} facts",
        rounds * texts.len(),
        round as f64 / texts.len() as f64 / 1e3,
        mb / best
    );
}
