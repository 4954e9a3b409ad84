//! A folder of reports read as `ngoaivu extract --out` reads it
//! (`cli_support::run_with`), on JOBS threads (default 2): total time and
//! files per second.
//!
//! The folder (in the system's temporary folder, removed afterwards) holds
//! N reports (default 500) made from the five fixture reports and the
//! development set (`../shared/fixtures/narrative{,-dev}`) with their
//! `NAME.meta.json`: every 25th a PDF (the test reports printed from
//! Writer), every 10th a DOCX written here from a report's text, the rest
//! plain text.
//!
//! cargo run --release -p ngoaivu-extract --features cli --example bench_batch [-- N JOBS]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ngoaivu_extract::cli_support::{ExtractOptions, run_with};

/// A DOCX whose paragraphs are the lines of `text`.
fn docx(text: &str) -> Vec<u8> {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for line in text.lines() {
        body.push_str(&format!(
            r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            esc(line)
        ));
    }
    body.push_str("</w:body></w:document>");
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, xml) in [("[Content_Types].xml", types), ("word/document.xml", &body)] {
            z.start_file(name, opts).unwrap();
            z.write_all(xml.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// Write the folder of `n` reports; returns its size in bytes.
fn build_folder(dir: &Path, n: usize) -> u64 {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    let mut texts: Vec<PathBuf> = Vec::new();
    for set in ["narrative", "narrative-dev"] {
        let d = shared.join(set);
        texts.extend(
            std::fs::read_dir(&d)
                .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt")),
        );
    }
    texts.sort();
    let pdf_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pdfs");
    let pdfs: Vec<Vec<u8>> = ["baocao.pdf", "columns.pdf"]
        .iter()
        .map(|p| std::fs::read(pdf_dir.join(p)).unwrap())
        .collect();
    std::fs::create_dir_all(dir).unwrap();
    let mut bytes = 0u64;
    for i in 0..n {
        let src = &texts[i % texts.len()];
        let stem = src.file_stem().unwrap().to_str().unwrap();
        let name = format!("{i:04}_{stem}");
        let is_pdf = i % 25 == 24;
        let (file, data) = if is_pdf {
            (format!("{name}.pdf"), pdfs[(i / 25) % pdfs.len()].clone())
        } else if i % 10 == 9 {
            let text = std::fs::read_to_string(src).unwrap();
            (format!("{name}.docx"), docx(&text))
        } else {
            (format!("{name}.txt"), std::fs::read(src).unwrap())
        };
        bytes += data.len() as u64;
        std::fs::write(dir.join(file), data).unwrap();
        // A PDF is not the text it is named after: it takes the --date.
        if !is_pdf && let Ok(m) = std::fs::read(src.with_extension("meta.json")) {
            std::fs::write(dir.join(format!("{name}.meta.json")), m).unwrap();
        }
    }
    bytes
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let jobs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    let root = std::env::temp_dir().join(format!("ngoaivu-bench-batch-{}", std::process::id()));
    let input = root.join("in");
    let bytes = build_folder(&input, n);
    let opts = ExtractOptions {
        files: vec![input.clone()],
        out: Some(root.join("out")),
        jobs: Some(jobs),
        date: Some("2023-01-10".into()),
        ..Default::default()
    };
    let mut best = f64::MAX;
    let mut summary = Vec::new();
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(root.join("out"));
        let mut stdout = Vec::new();
        summary.clear();
        let t0 = Instant::now();
        run_with(&opts, &mut stdout, &mut summary).expect("every report reads");
        best = best.min(t0.elapsed().as_secs_f64());
    }
    let last = String::from_utf8_lossy(&summary);
    let last = last
        .lines()
        .find(|l| l.contains("files read"))
        .unwrap_or_default();
    println!(
        "folder of {n} reports ({:.1} MB: text, DOCX, PDF) on {jobs} jobs: {best:.2} s (best of 3): {:.0} files/s, {:.1} MB/s\n  {last}",
        bytes as f64 / 1e6,
        n as f64 / best,
        bytes as f64 / 1e6 / best
    );
    let _ = std::fs::remove_dir_all(&root);
}
