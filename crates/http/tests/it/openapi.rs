//! The served OpenAPI document: equal to the committed snapshot
//! `tests/openapi.snapshot.json` (rewrite it with `UPDATE_SNAPSHOTS=1`), and
//! complete: every record type has its four paths, every operation at least
//! one response, every `$ref` a target.

use std::path::PathBuf;

use ngoaivu_core::RecordType;
use serde_json::{Map, Value};

use crate::common::*;

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("openapi.snapshot.json")
}

/// Objects with their keys sorted, whatever map serde_json was built with
/// (a BTreeMap, or an insertion-ordered map with `preserve_order`).
fn normalise(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), normalise(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        other => other.clone(),
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(&normalise(v)).expect("serialise");
    s.push('\n');
    s
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_owned());
                    }
                } else {
                    refs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

async fn served() -> Value {
    let app = TestApp::sqlite("openapi").await;
    let r = app.get("/api/v1/openapi.json", None).await;
    r.expect(200, "GET /api/v1/openapi.json");
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
    );
    r.json
}

#[tokio::test]
async fn openapi_matches_the_snapshot() {
    let doc = served().await;
    let text = pretty(&doc);
    let path = snapshot_path();
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        eprintln!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {}: {e}; create it with UPDATE_SNAPSHOTS=1 cargo test -p ngoaivu-http --test it openapi", path.display()));
    let committed_value: Value = serde_json::from_str(&committed)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    if normalise(&committed_value) != normalise(&doc) {
        let (a, b): (Vec<&str>, Vec<&str>) = (committed.lines().collect(), text.lines().collect());
        let first = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        let show = |l: &[&str]| {
            l.iter()
                .skip(first.saturating_sub(3))
                .take(8)
                .copied()
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "the served OpenAPI document differs from {} from line {}:\n--- committed\n{}\n--- served\n{}\n\
             If the change is intended, run UPDATE_SNAPSHOTS=1 cargo test -p ngoaivu-http --test it openapi and commit the file.",
            path.display(),
            first + 1,
            show(&a),
            show(&b)
        );
    }
    assert_eq!(
        committed,
        text,
        "{} is not in the normal form (sorted keys, pretty-printed); rewrite it with UPDATE_SNAPSHOTS=1",
        path.display()
    );
}

#[tokio::test]
async fn openapi_is_complete() {
    let doc = served().await;
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().expect("paths");
    for rt in RecordType::ALL {
        let base = format!("/api/v1/{}", rt.path());
        for (p, methods) in [
            (base.clone(), &["get", "post"][..]),
            (format!("{base}/{{id}}"), &["get", "patch", "delete"][..]),
            (format!("{base}/{{id}}/history"), &["get"][..]),
            (format!("{base}/{{id}}/links"), &["get"][..]),
        ] {
            let item = paths
                .get(&p)
                .unwrap_or_else(|| panic!("the document lacks {p}"));
            for m in methods {
                assert!(
                    item.get(*m).is_some(),
                    "the document lacks {} {p}",
                    m.to_uppercase()
                );
            }
        }
    }
    let mut operations = 0;
    for (p, item) in paths {
        for (m, op) in item.as_object().expect("path item") {
            operations += 1;
            let responses = op["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{m} {p} has no responses"));
            assert!(!responses.is_empty(), "{m} {p} has no responses");
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{m} {p} documents no success"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{m} {p} has no summary"
            );
            let public = op
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|a| a.is_empty());
            if !public {
                assert!(
                    responses.contains_key("401"),
                    "{m} {p} needs a token but documents no 401"
                );
            }
            for name in p
                .match_indices('{')
                .map(|(i, _)| p[i + 1..].split('}').next().unwrap_or(""))
            {
                let declared = op["parameters"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x["name"] == name && x["in"] == "path"));
                assert!(
                    declared,
                    "{m} {p} does not declare its path parameter {name}"
                );
            }
        }
    }
    assert!(
        operations >= 11 + 11 * RecordType::ALL.len(),
        "only {operations} operations"
    );
    let mut all_refs = Vec::new();
    refs(&doc, &mut all_refs);
    assert!(!all_refs.is_empty());
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for r in all_refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(schemas.contains_key(name), "$ref {r} has no target");
    }
}
