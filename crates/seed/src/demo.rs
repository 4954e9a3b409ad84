//! Load `data/demo.json`: every record goes through `Service::create` as the
//! system actor, so the demo obeys the same validation and audit as any
//! client. `"@ref"` strings name earlier records of the file.

use std::collections::HashMap;

use anyhow::{Context, bail};
use ngoaivu_core::{Actor, RecordType};
use ngoaivu_store::Service;
use serde_json::Value;

pub const DEMO_JSON: &str = include_str!("../../../data/demo.json");

/// The pictures demo catalog projects name in `"pictures"`: illustrations
/// drawn for the demo (`data/demo-pictures/src`), compiled in like the rest.
const DEMO_PICTURES: [(&str, &[u8]); 5] = [
    (
        "minh-hoa-coconut.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-coconut.jpg"),
    ),
    (
        "minh-hoa-logistics.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-logistics.jpg"),
    ),
    (
        "minh-hoa-mango.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-mango.jpg"),
    ),
    (
        "minh-hoa-dryport.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-dryport.jpg"),
    ),
    (
        "minh-hoa-coffee.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-coffee.jpg"),
    ),
];

/// The organisations that get one demo account per role.
pub const DEMO_ORGS: [&str; 6] = [
    "vinh-long",
    "dong-thap",
    "dak-lak",
    "lang-son",
    "da-nang",
    "bo-ngoai-giao",
];

fn resolve_refs(v: &mut Value, ids: &HashMap<String, i64>) -> anyhow::Result<()> {
    match v {
        Value::String(s) if s.starts_with('@') => {
            let id = ids
                .get(&s[1..])
                .with_context(|| format!("unknown reference {s}"))?;
            *v = Value::from(*id);
        }
        Value::Array(a) => {
            for x in a {
                resolve_refs(x, ids)?;
            }
        }
        Value::Object(o) => {
            for (_, x) in o.iter_mut() {
                resolve_refs(x, ids)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Load the demo records; returns how many were created.
pub async fn load(
    service: &Service,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<usize> {
    let doc: Value = serde_json::from_str(DEMO_JSON).context("data/demo.json is not valid JSON")?;
    let records = doc["records"]
        .as_array()
        .context("data/demo.json has no records array")?;
    let system = Actor::system();
    let mut ids = HashMap::new();
    for (i, rec) in records.iter().enumerate() {
        let code = rec["type"].as_str().unwrap_or("");
        let Some(rt) = RecordType::from_code(code) else {
            bail!("demo record {i}: unknown type {code:?}")
        };
        let mut body = rec["body"].clone();
        resolve_refs(&mut body, &ids)?;
        if let Some(o) = body.as_object_mut() {
            o.insert("org".into(), rec["org"].clone());
        }
        let created = service
            .create(&system, rt, body)
            .await
            .map_err(|e| anyhow::anyhow!("demo record {i} ({code}): {e:?}"))?;
        for name in rec["pictures"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap_or("");
            let Some((_, bytes)) = DEMO_PICTURES.iter().find(|(n, _)| *n == name) else {
                bail!("demo record {i}: unknown picture {name:?}")
            };
            service
                .attach(
                    &system,
                    rt,
                    created.id,
                    name,
                    bytes.to_vec(),
                    ngoaivu_core::attachments::DEFAULT_MAX_BYTES,
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo record {i}: picture {name}: {e:?}"))?;
        }
        if let Some(r) = rec["ref"].as_str() {
            ids.insert(r.to_owned(), created.id);
        }
        progress(i + 1, records.len());
    }
    Ok(records.len())
}
