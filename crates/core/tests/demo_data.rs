//! The demo dataset `data/demo.json` (loaded by `ngoaivu serve --demo`):
//! every record must pass the same validation a create through the API goes
//! through, every `@ref` must point at an earlier record of the same
//! organisation, and the dataset must carry every gold fact of the five
//! reports in `shared/fixtures/narrative/` it is built from.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;

use ngoaivu_core::Lang;
use ngoaivu_core::fold::fold_vi;
use ngoaivu_core::records::{Context, NATIONAL, RecordType, prepare};
use ngoaivu_core::refdata::{CodeSet, refdata};
use ngoaivu_core::values::Period;
use rust_decimal::Decimal;
use serde_json::Value;

const MINISTRY: &str = "bo-ngoai-giao";
/// Fields of a body that may hold `"@ref"` strings, and the record type each must point at.
const REF_FIELDS: &[(&str, RecordType)] = &[
    ("partner_ids", RecordType::Partner),
    ("investor_id", RecordType::Partner),
    ("replaces_id", RecordType::Agreement),
    ("event_id", RecordType::Event),
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_dir() -> PathBuf {
    manifest_dir().join("../../../shared/fixtures/narrative")
}

fn load_demo() -> Value {
    let path = manifest_dir().join("../../data/demo.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

fn records(demo: &Value) -> &Vec<Value> {
    demo.get("records")
        .and_then(Value::as_array)
        .expect("demo.json: `records` must be an array")
}

fn str_field<'a>(rec: &'a Value, key: &str) -> Option<&'a str> {
    rec.get(key).and_then(Value::as_str)
}

fn label(i: usize, rec: &Value) -> String {
    format!(
        "record #{i} ({} {} of {})",
        str_field(rec, "type").unwrap_or("?"),
        str_field(rec, "ref").unwrap_or("-"),
        str_field(rec, "org").unwrap_or("?")
    )
}

fn indicators() -> &'static [(String, Vec<String>)] {
    static IND: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    IND.get_or_init(|| {
        refdata()
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.units.clone()))
            .collect()
    })
}

fn context_for(org: &str) -> Context<'static> {
    if org == MINISTRY {
        Context {
            allowed_localities: None,
            default_locality: Some(NATIONAL.to_owned()),
            indicators: indicators(),
        }
    } else {
        Context {
            allowed_localities: Some(refdata().localities_of(org)),
            default_locality: Some(org.to_owned()),
            indicators: indicators(),
        }
    }
}

fn decimal(v: &Value) -> Option<Decimal> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

fn period(v: &Value) -> Option<Period> {
    serde_json::from_value(v.clone()).ok()
}

/// The slug of a unit as the gold files name it ("Tiền Giang" → `tien-giang`),
/// preferring the unit of the report's time (legacy) over the current one.
fn locality_slug(name: &str) -> String {
    if fold_vi(name) == fold_vi("Việt Nam") {
        return NATIONAL.to_owned();
    }
    let want = fold_vi(name);
    let r = refdata();
    r.legacy_units()
        .chain(r.current_units())
        .find(|u| fold_vi(&u.short_name) == want || fold_vi(&u.name) == want)
        .map_or_else(
            || panic!("gold locality {name:?} names no unit of provinces.csv"),
            |u| u.slug.clone(),
        )
}

/// The organisation that owns records of a locality today.
fn owner_of(slug: &str) -> String {
    if slug == NATIONAL {
        return MINISTRY.to_owned();
    }
    refdata()
        .successor(slug)
        .unwrap_or_else(|| panic!("no current unit owns {slug}"))
        .slug
        .clone()
}

/// Replace the `"@ref"` strings of a body by made-up ids, checking each
/// reference names an earlier record of the same organisation and the right type.
/// The types whose demo records may be invented (`source: illustrative`).
const ILLUSTRATIVE_TYPES: &[RecordType] = &[
    RecordType::CatalogProject,
    RecordType::NgoRegistration,
    RecordType::ConsularCase,
];

/// Replace `"@today±N"` strings as the loader does (from a fixed day: the
/// check is of the shape); true when there was one.
fn relative_dates(v: &mut Value) -> bool {
    match v {
        Value::String(s) if s.starts_with("@today") => {
            let n: i64 = s["@today".len()..]
                .trim_start_matches('+')
                .parse()
                .unwrap_or(0);
            let day = time::macros::date!(2026 - 01 - 01) + time::Duration::days(n);
            *v = Value::String(ngoaivu_core::values::format_date(day));
            true
        }
        Value::Array(a) => a.iter_mut().fold(false, |any, x| relative_dates(x) | any),
        Value::Object(o) => o.values_mut().fold(false, |any, x| relative_dates(x) | any),
        _ => false,
    }
}

fn resolve_refs(
    body: &mut Value,
    org: &str,
    seen: &HashMap<String, (String, RecordType, i64)>,
    problems: &mut Vec<String>,
) {
    let Some(obj) = body.as_object_mut() else {
        return;
    };
    // A plan's tasks name the records carrying them out.
    if let Some(Value::Array(tasks)) = obj.get_mut("tasks") {
        for task in tasks.iter_mut() {
            resolve_fields(task, TASK_REF_FIELDS, org, seen, problems);
        }
    }
    resolve_fields(body, REF_FIELDS, org, seen, problems);
}

/// The task fields of a plan that name records.
const TASK_REF_FIELDS: &[(&str, RecordType)] = &[
    ("delegation_ids", RecordType::Delegation),
    ("agreement_ids", RecordType::Agreement),
    ("event_ids", RecordType::Event),
];

fn resolve_fields(
    body: &mut Value,
    fields: &[(&str, RecordType)],
    org: &str,
    seen: &HashMap<String, (String, RecordType, i64)>,
    problems: &mut Vec<String>,
) {
    let Some(obj) = body.as_object_mut() else {
        return;
    };
    for (field, want) in fields.iter().copied() {
        let Some(v) = obj.get_mut(field) else {
            continue;
        };
        let slots: Vec<&mut Value> = match v {
            Value::Array(items) => items.iter_mut().collect(),
            other => vec![other],
        };
        for slot in slots {
            let Some(s) = slot.as_str() else {
                problems.push(format!("{field}: {slot} is not an \"@ref\" string"));
                continue;
            };
            let Some(name) = s.strip_prefix('@') else {
                problems.push(format!("{field}: {s:?} is not an \"@ref\" string"));
                continue;
            };
            match seen.get(name) {
                None => problems.push(format!("{field}: @{name} names no earlier record")),
                Some((ref_org, ref_type, id)) => {
                    if ref_org != org {
                        problems.push(format!("{field}: @{name} belongs to {ref_org}, not {org}"));
                    }
                    if *ref_type != want {
                        problems.push(format!(
                            "{field}: @{name} is a {}, not a {}",
                            ref_type.code(),
                            want.code()
                        ));
                    }
                    *slot = Value::from(*id);
                }
            }
        }
    }
}

#[test]
fn every_demo_record_is_valid() {
    let demo = load_demo();
    let top = demo.as_object().expect("demo.json must be an object");
    for key in top.keys() {
        assert!(
            ["source_note", "records"].contains(&key.as_str()),
            "demo.json: unknown top-level key {key:?}"
        );
    }
    assert!(
        str_field(&demo, "source_note").is_some_and(|s| !s.trim().is_empty()),
        "demo.json: `source_note` must say what the dataset is"
    );
    let recs = records(&demo);
    assert!(!recs.is_empty(), "demo.json has no records");
    let fixtures = fixtures_dir();
    assert!(
        fixtures.is_dir(),
        "fixtures not found at {}",
        fixtures.display()
    );

    let mut seen: HashMap<String, (String, RecordType, i64)> = HashMap::new();
    let mut failures: Vec<String> = Vec::new();
    for (i, rec) in recs.iter().enumerate() {
        let mut problems: Vec<String> = Vec::new();
        let Some(obj) = rec.as_object() else {
            failures.push(format!("record #{i} is not an object: {rec}"));
            continue;
        };
        for key in obj.keys() {
            if !["ref", "type", "org", "body", "source", "pictures"].contains(&key.as_str()) {
                problems.push(format!("unknown key {key:?}"));
            }
        }
        let Some(rt) = str_field(rec, "type").and_then(RecordType::from_code) else {
            failures.push(format!(
                "{}: unknown or missing `type`\n{rec:#}",
                label(i, rec)
            ));
            continue;
        };
        let org = str_field(rec, "org").unwrap_or("");
        if org != MINISTRY && refdata().current_unit(org).is_none() {
            problems.push(format!(
                "`org` {org:?} is neither a current provincial unit nor {MINISTRY}"
            ));
        }
        for pic in rec
            .get("pictures")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = pic.as_str().unwrap_or("");
            if rt != RecordType::CatalogProject
                || !manifest_dir()
                    .join("../../data/demo-pictures")
                    .join(name)
                    .is_file()
            {
                problems.push(format!("picture {name:?} is not a file of data/demo-pictures, or not of a catalog project"));
            }
        }
        match str_field(rec, "source") {
            Some(src) if fixtures.join(src).is_file() => {}
            // Catalog projects, and the one NGO registration and consular
            // case the reports describe without naming any, are invented for
            // the demo and must say so.
            Some("illustrative") if ILLUSTRATIVE_TYPES.contains(&rt) => {
                let notes = rec
                    .get("body")
                    .and_then(|b| b.get("notes"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if !notes.contains("minh họa") {
                    problems
                        .push("an illustrative record must say “minh họa” in its notes".to_owned());
                }
            }
            other => problems.push(format!(
                "`source` {other:?} names no report in {}",
                fixtures.display()
            )),
        }
        let Some(mut body) = rec.get("body").cloned() else {
            failures.push(format!("{}: no `body`\n{rec:#}", label(i, rec)));
            continue;
        };
        resolve_refs(&mut body, org, &seen, &mut problems);
        // Dates relative to the day of loading: only in invented records
        // (a report's dates are its own).
        if relative_dates(&mut body) && str_field(rec, "source") != Some("illustrative") {
            problems.push("a date relative to today (@today…) in a record from a report".into());
        }

        match prepare(rt, &body, &context_for(org)) {
            Ok((normalised, _idx)) => {
                if rt == RecordType::Agreement {
                    // An agreement of a unit merged away in 2025 is inherited by its successor.
                    if let Some(loc) = normalised.get("locality").and_then(Value::as_str) {
                        let legacy_only = refdata().current_unit(loc).is_none() && loc != NATIONAL;
                        let inherited = normalised
                            .get("inherited")
                            .and_then(Value::as_bool)
                            .unwrap_or(false);
                        if legacy_only && !inherited {
                            problems.push(format!(
                                "agreement of former unit {loc} must be `inherited: true`"
                            ));
                        }
                    }
                }
                if rt == RecordType::Observation {
                    if str_field(&normalised, "source") != Some("reader") {
                        problems.push("observation `source` must be \"reader\"".to_owned());
                    }
                    let doc = str_field(&normalised, "source_document").unwrap_or("");
                    if !str_field(rec, "source").is_some_and(|s| doc.contains(s)) {
                        problems.push(format!(
                            "observation `source_document` {doc:?} must name the report file"
                        ));
                    }
                }
            }
            Err(invalid) => {
                for e in &invalid.0 {
                    problems.push(format!(
                        "{}: {} ({})",
                        e.field,
                        e.code(),
                        e.message(Lang::En)
                    ));
                }
            }
        }

        if let Some(r) = str_field(rec, "ref") {
            if seen.contains_key(r) {
                problems.push(format!("duplicate ref {r:?}"));
            } else {
                seen.insert(
                    r.to_owned(),
                    (
                        org.to_owned(),
                        rt,
                        1000 + i64::try_from(i).expect("record index"),
                    ),
                );
            }
        } else if rec.get("ref").is_some() {
            problems.push("`ref` must be a string".to_owned());
        }

        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  - {}\n{rec:#}",
                label(i, rec),
                problems.join("\n  - ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} invalid demo record(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn demo_carries_every_gold_fact() {
    let demo = load_demo();
    let recs = records(&demo);
    let of_type = |t: &str| -> Vec<&Value> {
        recs.iter()
            .filter(|r| str_field(r, "type") == Some(t))
            .collect()
    };
    let observations = of_type("observation");
    let partners = of_type("partner");
    let agreements = of_type("agreement");

    let mut gold_files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", fixtures_dir().display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".facts.json"))
        .collect();
    gold_files.sort();
    assert!(
        gold_files.len() >= 5,
        "expected the five gold files, found {}",
        gold_files.len()
    );

    let mut missing: Vec<String> = Vec::new();
    let mut used: HashSet<usize> = HashSet::new();
    let (mut n_obs, mut n_part) = (0, 0);
    for path in &gold_files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let txt = name.replace(".facts.json", ".txt");
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{name} is not valid JSON: {e}"));

        for g in gold["observations"].as_array().expect("observations") {
            n_obs += 1;
            let slug = locality_slug(g["locality"].as_str().expect("locality"));
            let org = owner_of(&slug);
            let g_period = period(&g["period"]).expect("gold period");
            let g_value = decimal(&g["value"]).expect("gold value");
            let g_change = if g["change_pct"].is_null() {
                None
            } else {
                Some(decimal(&g["change_pct"]).expect("gold change_pct"))
            };
            let hit = observations.iter().enumerate().find(|(k, r)| {
                let b = &r["body"];
                !used.contains(k)
                    && str_field(r, "org") == Some(org.as_str())
                    && str_field(r, "source") == Some(txt.as_str())
                    && b["indicator"] == g["indicator"]
                    && str_field(b, "locality") == Some(slug.as_str())
                    && period(&b["period"]).as_ref() == Some(&g_period)
                    && b["unit"] == g["unit"]
                    && str_field(b, "qualifier").unwrap_or("exact")
                        == g["qualifier"].as_str().unwrap_or("")
                    && decimal(&b["value"]) == Some(g_value)
                    && b.get("change_pct").and_then(decimal) == g_change
            });
            match hit {
                Some((k, _)) => {
                    used.insert(k);
                }
                None => missing.push(format!("{name}: observation {g} (locality {slug}, org {org}) has no matching demo observation")),
            }
        }

        for g in gold["partnerships"].as_array().expect("partnerships") {
            n_part += 1;
            let slug = locality_slug(g["locality"].as_str().expect("locality"));
            let org = owner_of(&slug);
            let want_name = g["partner"].as_str().expect("partner").to_lowercase();
            let found = partners.iter().find(|r| {
                str_field(r, "org") == Some(org.as_str())
                    && str_field(&r["body"], "name")
                        .is_some_and(|n| n.trim().to_lowercase() == want_name)
            });
            let Some(p) = found else {
                missing.push(format!(
                    "{name}: partnership {g} has no demo partner named {:?} owned by {org}",
                    g["partner"]
                ));
                continue;
            };
            if let Some(c) = g["partner_country"].as_str()
                && str_field(&p["body"], "country")
                    .map(str::to_ascii_uppercase)
                    .as_deref()
                    != Some(c)
            {
                missing.push(format!(
                    "{name}: demo partner {:?} has country {}, gold says {c}",
                    g["partner"], p["body"]["country"]
                ));
            }
            let kinds: &[&str] = match g["kind"].as_str() {
                Some("agreement") => &["agreement", "mou"],
                Some("twinning") => &["twinning"],
                _ => continue, // a relation without a signed document: the partner alone
            };
            let pref = str_field(p, "ref").map(|r| format!("@{r}"));
            let has_agreement = agreements.iter().any(|a| {
                str_field(a, "org") == Some(org.as_str())
                    && str_field(&a["body"], "kind").is_some_and(|k| kinds.contains(&k))
                    && a["body"]["partner_ids"].as_array().is_some_and(|ids| {
                        ids.iter()
                            .any(|id| id.as_str().is_some() && id.as_str() == pref.as_deref())
                    })
            });
            if !has_agreement {
                missing.push(format!(
                    "{name}: partnership {g} has no demo agreement of kind {kinds:?} owned by {org} naming partner {:?}",
                    pref.as_deref().unwrap_or("(partner has no ref)")
                ));
            }
        }
    }
    assert!(n_obs > 0 && n_part > 0, "the gold files hold no facts");
    assert!(
        missing.is_empty(),
        "{} gold fact(s) missing from demo.json:\n  - {}",
        missing.len(),
        missing.join("\n  - ")
    );
}

#[test]
fn former_units_map_to_their_current_owner() {
    // The mapping the dataset relies on (checked here so a changed provinces.csv fails loudly).
    for (legacy, owner) in [
        ("tien-giang", "dong-thap"),
        ("ben-tre", "vinh-long"),
        ("tra-vinh", "vinh-long"),
        ("quang-nam", "da-nang"),
        ("phu-yen", "dak-lak"),
    ] {
        let u = refdata()
            .legacy_units()
            .find(|u| u.slug == legacy)
            .unwrap_or_else(|| panic!("{legacy} missing"));
        assert_eq!(u.code_set, CodeSet::Legacy);
        assert_eq!(owner_of(legacy), owner, "{legacy}");
    }
    assert_eq!(owner_of(NATIONAL), MINISTRY);
}
