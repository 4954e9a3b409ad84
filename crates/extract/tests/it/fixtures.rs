//! The five gold reports of shared/fixtures/narrative: F1 ≥ 0.95 on
//! observations and on partnerships, scored with the crate's `score` (the
//! spec's rule), and the same numbers as the official scorer when Python is
//! available.

use std::path::{Path, PathBuf};

use ngoaivu_extract::cli_support::{self, ExtractOptions};
use ngoaivu_extract::{DocDate, Extractor, Facts, score};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/narrative")
}

fn names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("shared/fixtures/narrative beside the repo")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|n| n.strip_suffix(".txt").map(str::to_string))
        .collect();
    v.sort();
    v
}

fn gold(name: &str) -> Facts {
    let t = std::fs::read_to_string(fixtures_dir().join(format!("{name}.facts.json"))).unwrap();
    serde_json::from_str(&t).unwrap_or_else(|e| panic!("{name}.facts.json: {e}"))
}

fn date(name: &str) -> Option<DocDate> {
    cli_support::read_meta_date(&fixtures_dir().join(format!("{name}.txt"))).unwrap()
}

type Named = Vec<(String, Facts)>;

fn run_all(ex: &Extractor) -> (Named, Named) {
    let mut g = Vec::new();
    let mut p = Vec::new();
    for n in names() {
        let text = std::fs::read_to_string(fixtures_dir().join(format!("{n}.txt"))).unwrap();
        p.push((n.clone(), ex.extract(&text, date(&n))));
        g.push((n.clone(), gold(&n)));
    }
    (g, p)
}

#[test]
fn fixtures_f1_at_least_095() {
    let (g, p) = run_all(&Extractor::new());
    assert_eq!(g.len(), 5, "the five gold reports");
    let s = score(&g, &p);
    // Not vacuous: the gold has facts of both kinds.
    assert!(
        s.observations.gold >= 30 && s.partnerships.gold >= 10,
        "{s:?}"
    );
    let (fo, fp) = (s.observations.f1(), s.partnerships.f1());
    eprintln!("observations F1 {fo:.3}, partnerships F1 {fp:.3}");
    assert!(fo >= 0.95, "observations F1 {fo:.3}: {:#?}", s.files);
    assert!(fp >= 0.95, "partnerships F1 {fp:.3}: {:#?}", s.files);
}

#[test]
fn subjects_match_gold() {
    let (g, p) = run_all(&Extractor::new());
    for ((n, gf), (_, pf)) in g.iter().zip(&p) {
        assert_eq!(gf.subject, pf.subject, "{n}");
    }
}

#[test]
fn spans_point_at_the_figures() {
    let ex = Extractor::new();
    for n in names() {
        let text = std::fs::read_to_string(fixtures_dir().join(format!("{n}.txt"))).unwrap();
        let f = ex.extract(&text, date(&n));
        for o in &f.observations {
            let [a, b] = o.span;
            assert!(a < b && b <= text.len(), "{n}: {o:?}");
            let s = &text[a..b];
            assert!(
                s.chars().any(|c| c.is_ascii_digit()) || s.split_whitespace().count() >= 2,
                "{n}: span {s:?} of {o:?}"
            );
        }
        for p in &f.partnerships {
            let [a, b] = p.span;
            let s = &text[a..b];
            assert!(
                s.contains(p.partner.as_str()),
                "{n}: span {s:?} does not name {}",
                p.partner
            );
        }
    }
}

/// The partner patterns, not the vocabulary, find the fixtures' partners:
/// with an empty vocabulary the partnerships still score ≥ 0.9.
#[test]
fn partnerships_without_vocabulary() {
    let ex = Extractor::with_partner_vocabulary("name,aliases,country,kind,source\n").unwrap();
    let (g, p) = run_all(&ex);
    let s = score(&g, &p);
    assert!(s.partnerships.gold > 0);
    eprintln!(
        "without vocabulary: partnerships {}/{} matched, {} predicted",
        s.partnerships.matched, s.partnerships.gold, s.partnerships.predicted
    );
    assert!(s.partnerships.f1() >= 0.9, "{:.3}", s.partnerships.f1());
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ngoaivu-extract-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `--out` on the fixtures writes NAME.facts.json files that score ≥ 0.95,
/// and the score table agrees with the official scorer.
#[test]
fn out_folder_scores_and_matches_official_scorer() {
    let out = temp_dir("out");
    let files: Vec<PathBuf> = names()
        .iter()
        .map(|n| fixtures_dir().join(format!("{n}.txt")))
        .collect();
    let opts = ExtractOptions {
        files,
        out: Some(out.clone()),
        ..Default::default()
    };
    let mut buf = Vec::new();
    cli_support::run(&opts, &mut buf).unwrap();
    assert_eq!(String::from_utf8(buf).unwrap().lines().count(), 5);
    let report = cli_support::score_dirs(&fixtures_dir(), &out).unwrap();
    assert!(report.scores.observations.f1() >= 0.95);
    assert!(report.scores.partnerships.f1() >= 0.95);
    let ours = cli_support::format_scores(&report, true);
    let last = ours.lines().last().unwrap().to_string();
    assert!(last.starts_with("overall F1 observations="), "{last}");
    let scorer = fixtures_dir().join("../../tools/score-facts");
    if let Ok(o) = std::process::Command::new("python3")
        .arg(&scorer)
        .arg("-q")
        .arg(fixtures_dir())
        .arg(&out)
        .output()
        && o.status.success()
    {
        let official = String::from_utf8_lossy(&o.stdout).to_string();
        assert_eq!(
            official.lines().last().unwrap(),
            last,
            "official:\n{official}\nours:\n{ours}"
        );
        // Same per-file lines too.
        let pick = |s: &str| {
            s.lines()
                .filter(|l| l.contains("gold="))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(pick(&official), pick(&ours));
    }
    let _ = std::fs::remove_dir_all(&out);
}

/// Scoring is the spec's rule: a perturbed prediction loses exactly what it should.
#[test]
fn score_counts_misses_and_false_hits() {
    let g = gold("000_9d5cd8e4fd5c3780");
    let mut p = g.clone();
    p.observations[0].value *= 1.004; // within 0.5%: still a match
    p.observations[1].value *= 1.01; // outside: a miss and a false hit
    p.partnerships[3].partner = "Siem Reap".into(); // folded spaces: still a match
    p.partnerships[0].kind = ngoaivu_extract::PartnershipKind::Cooperation;
    let s = score(&[("a".into(), g.clone())], &[("a".into(), p)]);
    assert_eq!(s.observations.matched, g.observations.len() - 1);
    assert_eq!(s.partnerships.matched, g.partnerships.len() - 1);
    let missing = score(&[("a".into(), g.clone())], &[]);
    assert_eq!(missing.observations.matched, 0);
    assert!(missing.files[0].missing_prediction);
    assert_eq!(missing.observations.f1(), 0.0);
}

#[test]
fn dates_of_the_fixtures_are_read() {
    let d = date("001_48e1829c32424006").unwrap();
    assert_eq!((d.year, d.month, d.day), (2022, Some(12), Some(20)));
    assert_eq!(date("003_32308bf95aa79d5a").unwrap(), DocDate::year(2020));
    assert!(Path::new(&fixtures_dir()).is_dir());
}

/// Without the documents' dates the reader infers each report's year from the text.
#[test]
fn fixtures_without_dates() {
    let ex = Extractor::new();
    let mut g = Vec::new();
    let mut p = Vec::new();
    for n in names() {
        let text = std::fs::read_to_string(fixtures_dir().join(format!("{n}.txt"))).unwrap();
        p.push((n.clone(), ex.extract(&text, None)));
        g.push((n.clone(), gold(&n)));
    }
    let s = score(&g, &p);
    assert!(s.observations.f1() >= 0.95, "{:.3}", s.observations.f1());
    assert!(s.partnerships.f1() >= 0.95, "{:.3}", s.partnerships.f1());
}
