//! The demo's reports: the shared narrative texts (the five of
//! `fixtures/narrative/` and the development set of
//! `fixtures/narrative-dev/`) read by the report reader and kept as
//! reviewed documents, with the facts of their gold (`NAME.facts.json`, the
//! reviewed answer) loaded as records of the organisation each fact belongs
//! to, so that the Ministry's dashboard shows figures of many provinces and
//! years, each linked to the text it came from (`source_document` names the
//! document by hash; `/reader/sources/{hash}` opens it).
//!
//! The five reports' facts are already records of `data/demo.json` (with
//! notes written by hand); for them only the documents are kept, one per
//! organisation that holds their facts.
//!
//! Everything is written through `Service` as an actor of the owning
//! organisation: the same validation, isolation and audit as any client.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use ngoaivu_core::fold::{fold_vi as fold, slugify};
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::{Actor, RecordType, Role};
use ngoaivu_extract::{DocDate, Facts, Partnership, PartnershipKind, Period};
use ngoaivu_store::{BulkRecord, DocumentStatus, ImportSource, NewReaderDocument, Service};
use serde_json::{Value, json};

/// The Ministry's organisation: national figures are its records.
const MINISTRY: &str = "bo-ngoai-giao";

/// What loading the reports did.
#[derive(Debug, Default)]
pub struct ReportsLoaded {
    /// Texts read (with a gold file beside them).
    pub texts: usize,
    /// Documents kept (one per text and organisation).
    pub documents: usize,
    pub observations: usize,
    pub partners: usize,
    pub agreements: usize,
    /// The reader's F1 on these texts against their gold: observations,
    /// partnerships.
    pub f1: (f64, f64),
    /// Facts of the gold that could not be written, and why.
    pub skipped: Vec<String>,
}

/// Where the shared fixtures are, if anywhere: `dir` when given, else
/// `../shared/fixtures` from the working directory, from the binary's
/// checkout, or from the source tree it was built from.
pub fn find_fixtures(dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(d) = dir {
        return d.join("narrative").is_dir().then(|| d.to_path_buf());
    }
    let mut candidates = vec![PathBuf::from("../shared/fixtures")];
    if let Ok(exe) = std::env::current_exe() {
        // target/release/ngoaivu → the checkout's parent.
        if let Some(root) = exe.ancestors().nth(4) {
            candidates.push(root.join("shared/fixtures"));
        }
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"));
    candidates
        .into_iter()
        .find(|c| c.join("narrative").is_dir())
}

/// One text with its gold and date.
struct Text {
    name: String,
    /// `narrative` (the five) or `narrative-dev`.
    set: &'static str,
    text: String,
    date: Option<String>,
    gold: Facts,
}

fn read_texts(fixtures: &Path) -> anyhow::Result<Vec<Text>> {
    let mut out = vec![];
    for set in ["narrative", "narrative-dev"] {
        let dir = fixtures.join(set);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter_map(|n| n.strip_suffix(".txt").map(str::to_owned))
            .collect();
        names.sort();
        for name in names {
            let gold_path = dir.join(format!("{name}.facts.json"));
            let Ok(gold) = std::fs::read_to_string(&gold_path) else {
                continue; // no reviewed answer: not a demo text
            };
            let gold: Facts = serde_json::from_str(&gold)
                .with_context(|| format!("{}: not a facts file", gold_path.display()))?;
            let text = std::fs::read_to_string(dir.join(format!("{name}.txt")))
                .with_context(|| format!("{set}/{name}.txt"))?;
            let date = std::fs::read_to_string(dir.join(format!("{name}.meta.json")))
                .ok()
                .and_then(|m| serde_json::from_str::<Value>(&m).ok())
                .and_then(|m| m["date"].as_str().map(str::to_owned));
            out.push(Text {
                name,
                set,
                // As the reader's page keeps a text (and hashes it).
                text: text
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .trim_end()
                    .to_owned(),
                date,
                gold,
            });
        }
    }
    Ok(out)
}

/// The title of a text: its first line, shortened.
fn title_of(t: &Text) -> String {
    let first = t
        .text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(&t.name);
    let mut title: String = first.chars().take(150).collect();
    if first.chars().count() > 150 {
        title.push('…');
    }
    title
}

/// The unit slug and owning organisation of a locality as the reader names
/// it ("Vĩnh Long", "Bà Rịa - Vũng Tàu", "Việt Nam").
fn owner(locality: &str) -> Option<(String, String)> {
    if locality == ngoaivu_extract::NATIONAL {
        return Some((
            ngoaivu_core::records::NATIONAL.to_owned(),
            MINISTRY.to_owned(),
        ));
    }
    let rd = refdata();
    let unit = rd.unit(&slugify(locality))?;
    let current = rd.successor(&unit.slug)?;
    Some((unit.slug.clone(), current.slug.clone()))
}

fn num_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn period_json(p: &Period) -> Value {
    match *p {
        Period::Year(y) => json!({"year": y}),
        Period::Range { from, to } => json!({"from": from, "to": to}),
        Period::AsOf(y) => json!({"as_of": y}),
        Period::Since(y) => json!({"since": y}),
    }
}

fn code<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

async fn actor_of(service: &Service, slug: &str) -> anyhow::Result<Actor> {
    let org = service
        .org_by_slug(slug)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .with_context(|| format!("no organisation {slug}"))?;
    Ok(Actor {
        user_id: 0,
        username: "demo (report reader)".into(),
        org_id: org.id,
        org_slug: org.slug,
        org_kind: org.kind,
        role: Role::Admin,
        consular: false,
    })
}

/// The partner kind of a partnership's partner, from how its name starts.
fn partner_kind(p: &Partnership) -> &'static str {
    let f = fold(&p.partner);
    for (w, k) in [
        ("tap doan", "enterprise"),
        ("cong ty", "enterprise"),
        ("quy ", "ngo"),
        ("to chuc", "ngo"),
        ("truong dai hoc", "university"),
        ("dai hoc", "university"),
        ("hoi huu nghi", "friendship_society"),
        ("dang ", "political_party"),
        ("lien doan", "chamber_of_commerce"),
        ("hiep hoi", "chamber_of_commerce"),
        ("bo ", "ministry"),
    ] {
        if f.starts_with(w) {
            return k;
        }
    }
    "foreign_locality"
}

/// Load the reports of `fixtures` (see the module's comment). `five_orgs`
/// names, for each of the five reports, the organisations `data/demo.json`
/// gave its facts to.
pub async fn load(
    service: &Service,
    fixtures: &Path,
    five_orgs: &HashMap<String, BTreeMap<String, i64>>,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<ReportsLoaded> {
    let texts = read_texts(fixtures)?;
    let mut out = ReportsLoaded {
        texts: texts.len(),
        ..Default::default()
    };
    // The reader on every text, scored against the gold.
    let ex = ngoaivu_extract::Extractor::new();
    let mut gold = vec![];
    let mut pred = vec![];
    for t in &texts {
        let date = t.date.as_deref().and_then(|d| DocDate::parse(d).ok());
        pred.push((t.name.clone(), ex.extract(&t.text, date)));
        gold.push((t.name.clone(), t.gold.clone()));
    }
    let scores = ngoaivu_extract::score(&gold, &pred);
    out.f1 = (scores.observations.f1(), scores.partnerships.f1());

    let mut partners_made: HashMap<(String, String), ()> = HashMap::new();
    for (n, t) in texts.iter().enumerate() {
        progress(n + 1, texts.len());
        let title = title_of(t);
        // The facts of each owning organisation.
        let mut by_org: BTreeMap<String, (Vec<Value>, Vec<&Partnership>)> = BTreeMap::new();
        if t.set == "narrative" {
            for org in five_orgs
                .get(&format!("{}.txt", t.name))
                .into_iter()
                .flatten()
                .map(|(o, _)| o)
            {
                by_org.entry(org.clone()).or_default();
            }
        } else {
            for o in &t.gold.observations {
                let Some((slug, org)) = owner(&o.locality) else {
                    out.skipped.push(format!(
                        "{}: {} — no unit {:?}",
                        t.name,
                        o.indicator.code(),
                        o.locality
                    ));
                    continue;
                };
                let mut body = json!({
                    "indicator": o.indicator.code(),
                    "locality": slug,
                    "period": period_json(&o.period),
                    "value": num_text(o.value),
                    "unit": code(o.unit),
                    "qualifier": code(o.qualifier),
                    "source": "reader",
                });
                if let Some(c) = o.change_pct {
                    body["change_pct"] = Value::from(num_text(c));
                }
                by_org.entry(org).or_default().0.push(body);
            }
            for p in &t.gold.partnerships {
                match owner(&p.locality) {
                    Some((_, org)) if org != MINISTRY => by_org.entry(org).or_default().1.push(p),
                    _ => out.skipped.push(format!(
                        "{}: partnership {} — no province {:?}",
                        t.name, p.partner, p.locality
                    )),
                }
            }
        }
        for (org_slug, (observations, partnerships)) in by_org {
            let actor = actor_of(service, &org_slug).await?;
            let (doc, _) = service
                .add_document(
                    &actor,
                    &NewReaderDocument {
                        title: title.clone(),
                        file_name: format!("{}/{}.txt", t.set, t.name),
                        format: "text".into(),
                        doc_date: t.date.clone(),
                        text: t.text.clone(),
                        page_starts: vec![],
                        warnings: vec![],
                        status: DocumentStatus::Queued,
                    },
                )
                .await
                .map_err(|e| {
                    anyhow::anyhow!("{}: keeping the document for {org_slug}: {e}", t.name)
                })?;
            out.documents += 1;
            let source_document = format!("{} · sha256:{}", doc.title, doc.hash16());
            let org = service
                .import_org(&actor)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let file = Arc::new(
                json!({"file": doc.file_name, "sha256": doc.sha256, "reader_document": doc.id}),
            );
            let sheet: Arc<str> = Arc::from("reader");
            let now = time::OffsetDateTime::now_utc();
            let mut creates: Vec<BulkRecord> = vec![];
            let obs_v = service
                .validator(&actor, RecordType::Observation)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let partner_v = service
                .validator(&actor, RecordType::Partner)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let agreement_v = service
                .validator(&actor, RecordType::Agreement)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let push = |creates: &mut Vec<BulkRecord>, rt, data, idx, batch_links| {
                let row = creates.len() + 1;
                creates.push(BulkRecord {
                    rt,
                    org_id: org.id,
                    data,
                    idx,
                    batch_links,
                    created_at: now,
                    source: Some(ImportSource {
                        file: file.clone(),
                        sheet: sheet.clone(),
                        row,
                    }),
                });
            };
            let (mut n_obs, mut n_partners, mut n_agreements) = (0, 0, 0);
            for mut body in observations {
                body["source_document"] = Value::from(source_document.clone());
                match obs_v.prepare(&org, &body) {
                    Ok((data, idx)) => {
                        push(&mut creates, RecordType::Observation, data, idx, vec![]);
                        n_obs += 1;
                    }
                    Err(e) => out
                        .skipped
                        .push(format!("{}: {} — {e:?}", t.name, body["indicator"])),
                }
            }
            for p in partnerships {
                let key = (org_slug.clone(), fold(&p.partner));
                if partners_made.contains_key(&key) {
                    continue;
                }
                let note = format!("Đọc từ báo cáo: {source_document}");
                let mut partner =
                    json!({"name": p.partner, "kind": partner_kind(p), "notes": note});
                if let Some(c) = &p.partner_country {
                    partner["country"] = Value::from(c.clone());
                }
                let (data, idx) = match partner_v.prepare(&org, &partner) {
                    Ok(x) => x,
                    Err(e) => {
                        out.skipped
                            .push(format!("{}: partner {} — {e:?}", t.name, p.partner));
                        continue;
                    }
                };
                let pos = creates.len();
                push(&mut creates, RecordType::Partner, data, idx, vec![]);
                partners_made.insert(key, ());
                n_partners += 1;
                if matches!(
                    p.kind,
                    PartnershipKind::Agreement | PartnershipKind::Twinning
                ) {
                    let twinning = p.kind == PartnershipKind::Twinning;
                    let mut agreement = json!({
                        "title": if twinning { format!("Kết nghĩa với {}", p.partner) } else { format!("Thỏa thuận hợp tác với {}", p.partner) },
                        "kind": if twinning { "twinning" } else { "agreement" },
                        "status": "signed",
                        "notes": note,
                        // A placeholder for the partner created with it.
                        "partner_ids": [-(pos as i64) - 1],
                    });
                    match p.period {
                        Some(Period::Range { from, to }) => {
                            agreement["valid_from"] = Value::from(format!("{from}-01-01"));
                            agreement["valid_until"] = Value::from(format!("{to}-12-31"));
                        }
                        Some(Period::Since(y) | Period::Year(y)) => {
                            agreement["valid_from"] = Value::from(format!("{y}-01-01"));
                        }
                        _ => {}
                    }
                    match agreement_v.prepare(&org, &agreement) {
                        Ok((mut data, mut idx)) => {
                            idx.links.retain(|(_, id)| *id >= 0);
                            if let Some(Value::Array(ids)) = data.get_mut("partner_ids") {
                                ids.retain(|v| v.as_i64().is_none_or(|n| n >= 0));
                            }
                            push(
                                &mut creates,
                                RecordType::Agreement,
                                data,
                                idx,
                                vec![("partner", pos)],
                            );
                            n_agreements += 1;
                        }
                        Err(e) => out
                            .skipped
                            .push(format!("{}: agreement with {} — {e:?}", t.name, p.partner)),
                    }
                }
            }
            if !creates.is_empty() {
                service
                    .import_records(&actor, &org, creates, vec![])
                    .await
                    .map_err(|e| {
                        anyhow::anyhow!("{}: writing the facts of {org_slug}: {e}", t.name)
                    })?;
            }
            out.observations += n_obs;
            out.partners += n_partners;
            out.agreements += n_agreements;
            let saved = if t.set == "narrative" {
                // data/demo.json's records of this report and organisation.
                five_orgs
                    .get(&format!("{}.txt", t.name))
                    .and_then(|m| m.get(&org_slug))
                    .copied()
                    .unwrap_or(0)
            } else {
                (n_obs + n_partners) as i64
            };
            service
                .finish_document(&actor, doc.id, DocumentStatus::Reviewed, saved)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", t.name))?;
        }
    }
    Ok(out)
}
