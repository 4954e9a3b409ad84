//! Small reports written for the tests (tests/texts/NAME.txt with the
//! expected NAME.facts.json and NAME.meta.json): the reader must find exactly
//! the expected facts (F1 = 1 on both parts).

use std::path::PathBuf;

use ngoaivu_extract::{Facts, cli_support, extract, score};

#[test]
fn written_texts_read_exactly() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/texts");
    let mut gold = Vec::new();
    let mut pred = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let Some(name) = p
            .file_name()
            .and_then(|f| f.to_str())
            .and_then(|f| f.strip_suffix(".txt"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&p).unwrap();
        let date = cli_support::read_meta_date(&p).unwrap();
        let g: Facts = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}.facts.json"))).unwrap(),
        )
        .unwrap();
        let f = extract(&text, date);
        assert_eq!(f.subject, g.subject, "{name}");
        gold.push((name.to_string(), g));
        pred.push((name.to_string(), f));
    }
    assert!(gold.len() >= 2, "texts present");
    let s = score(&gold, &pred);
    assert!(s.observations.gold > 0 && s.partnerships.gold > 0);
    assert_eq!(
        (s.observations.f1(), s.partnerships.f1()),
        (1.0, 1.0),
        "{:#?}\n{:#?}",
        s.files,
        pred
    );
}
