//! The command-line edge (cli_support): names, dates, errors, score table.

use std::path::{Path, PathBuf};

use ngoaivu_extract::cli_support::{self, ExtractOptions};

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ngoaivu-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn output_and_meta_names() {
    assert_eq!(
        cli_support::output_name(Path::new("a/b/NAME.txt")).unwrap(),
        "NAME.facts.json"
    );
    assert_eq!(
        cli_support::output_name(Path::new("x.y.html")).unwrap(),
        "x.y.facts.json"
    );
    assert_eq!(
        cli_support::output_name(Path::new("r.DOCX")).unwrap(),
        "r.facts.json"
    );
    assert_eq!(
        cli_support::meta_path(Path::new("d/NAME.docx")).unwrap(),
        Path::new("d/NAME.meta.json")
    );
    assert_eq!(
        cli_support::parse_meta(r#"{"date": "2020"}"#)
            .unwrap()
            .unwrap()
            .year,
        2020
    );
    assert!(
        cli_support::parse_meta(r#"{"date": "2024-13-01"}"#)
            .unwrap_err()
            .contains("month 13")
    );
    assert_eq!(cli_support::parse_meta(r#"{}"#).unwrap(), None);
}

#[test]
fn errors_name_the_file() {
    let dir = temp_dir("err");
    let mut out = Vec::new();
    // Bad --date.
    let opts = ExtractOptions {
        files: vec![dir.join("a.txt")],
        date: Some("2024-13-01".into()),
        ..Default::default()
    };
    let e = cli_support::run(&opts, &mut out).unwrap_err().to_string();
    assert!(e.contains("2024-13-01") && e.contains("month 13"), "{e}");
    // Missing file.
    let opts = ExtractOptions {
        files: vec![dir.join("missing.txt")],
        ..Default::default()
    };
    let e = cli_support::run(&opts, &mut out).unwrap_err().to_string();
    assert!(
        e.contains("missing.txt") && e.contains("no such file"),
        "{e}"
    );
    // Unreadable DOCX; the good file beside it is still read.
    std::fs::write(dir.join("bad.docx"), b"PK\x03\x04 not really").unwrap();
    std::fs::write(
        dir.join("good.txt"),
        "Năm 2020, tỉnh Hà Nam đón 5 đoàn khách nước ngoài.",
    )
    .unwrap();
    let opts = ExtractOptions {
        files: vec![dir.join("bad.docx"), dir.join("good.txt")],
        out: Some(dir.join("out")),
        ..Default::default()
    };
    let e = cli_support::run(&opts, &mut out).unwrap_err().to_string();
    assert!(e.contains("bad.docx") && e.contains("DOCX"), "{e}");
    assert!(dir.join("out/good.facts.json").exists());
    // A bad meta.json names itself.
    std::fs::write(dir.join("good.meta.json"), r#"{"date": "20-1"}"#).unwrap();
    let e = cli_support::extract_file(
        &ngoaivu_extract::Extractor::new(),
        &dir.join("good.txt"),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("good.meta.json"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn meta_date_beats_date_flag_and_outputs() {
    let dir = temp_dir("meta");
    std::fs::write(
        dir.join("r.txt"),
        "Trong năm, tỉnh Hà Nam đón 5 đoàn khách nước ngoài.",
    )
    .unwrap();
    std::fs::write(
        dir.join("s.txt"),
        "Trong năm, tỉnh Hà Nam đón 6 đoàn khách nước ngoài.",
    )
    .unwrap();
    std::fs::write(dir.join("r.meta.json"), r#"{"date": "2019-05-01"}"#).unwrap();
    let mut out = Vec::new();
    let opts = ExtractOptions {
        files: vec![dir.join("r.txt"), dir.join("s.txt")],
        date: Some("2021".into()),
        ..Default::default()
    };
    cli_support::run(&opts, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "JSON Lines for several files: {text}");
    let a: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let b: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(a["observations"][0]["period"]["year"], 2019);
    assert_eq!(b["observations"][0]["period"]["year"], 2021);
    // One file: pretty JSON.
    let mut out = Vec::new();
    let opts = ExtractOptions {
        files: vec![dir.join("s.txt")],
        date: Some("2021".into()),
        ..Default::default()
    };
    cli_support::run(&opts, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["subject"]["name"], "Hà Nam");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn score_table_layout() {
    let gold = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/narrative");
    let empty = temp_dir("empty");
    let mut out = Vec::new();
    let opts = ExtractOptions {
        score: Some((gold, empty.clone())),
        ..Default::default()
    };
    cli_support::run(&opts, &mut out).unwrap();
    let t = String::from_utf8(out).unwrap();
    assert!(t.contains("warning: no predicted file; counted as empty"));
    assert!(t.contains("    miss       observation  "));
    assert_eq!(
        t.lines().last().unwrap(),
        "overall F1 observations=0.000 partnerships=0.000"
    );
    let _ = std::fs::remove_dir_all(&empty);
}

#[test]
fn a_folder_is_read_in_parallel_in_order_with_progress_and_a_summary() {
    let dir = temp_dir("batch");
    let src = dir.join("reports");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    for i in 0..30 {
        let sub = if i % 3 == 0 {
            src.join("sub")
        } else {
            src.clone()
        };
        std::fs::write(
            sub.join(format!("r{i:02}.txt")),
            format!("Năm 2020, tỉnh Hà Nam đón {} đoàn khách nước ngoài.", i + 1),
        )
        .unwrap();
    }
    std::fs::write(src.join("old.doc"), [0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0]).unwrap();
    std::fs::write(src.join("r00.meta.json"), r#"{"date": "2021-01-05"}"#).unwrap();
    let opts = ExtractOptions {
        files: vec![src.clone()],
        jobs: Some(4),
        ..Default::default()
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let e = cli_support::run_with(&opts, &mut out, &mut err).unwrap_err();
    assert!(e.to_string().contains("old.doc"), "{e}");
    let out = String::from_utf8(out).unwrap();
    let err = String::from_utf8(err).unwrap();
    // One JSON document per file read, in the (sorted, recursive) input order.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 30, "{out}");
    let files = cli_support::expand_inputs(std::slice::from_ref(&src)).unwrap();
    assert_eq!(files.len(), 31);
    let values: Vec<u64> = lines
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["observations"][0]["value"].as_u64().unwrap()
        })
        .collect();
    let expected: Vec<u64> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "txt"))
        .map(|f| {
            let n: u64 = f.file_stem().unwrap().to_str().unwrap()[1..]
                .parse()
                .unwrap();
            n + 1
        })
        .collect();
    assert_eq!(values, expected);
    // Progress and the summary on stderr.
    assert!(err.contains("extract: 31/31 files (1 refused)"), "{err}");
    assert!(err.contains("30 of 31 files read"), "{err}");
    assert!(err.contains("30 observations"), "{err}");
    assert!(err.contains("refused: ") && err.contains(".docx"), "{err}");
}
