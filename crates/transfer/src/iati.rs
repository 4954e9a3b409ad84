//! IATI 2.03 for aid projects (ODA and foreign NGO aid): the organisation's
//! projects out as an `iati-activities` file, and a file's activities in
//! through the same review and all-or-nothing write as a spreadsheet. The
//! XML is `ngoaivu-iati`'s; this reads and writes records.

use ngoaivu_core::refdata::refdata;
use ngoaivu_core::{Actor, RecordType};
use ngoaivu_store::{Service, StoreError};
use serde_json::Value;

use crate::import::{ImportError, IncomingRow, PartnerName, Review, RowError};

/// Kinds of project that are aid, and so IATI activities.
pub const AID_KINDS: [&str; 2] = ["oda", "ngo_aid"];

/// The caller's organisation's aid projects as an IATI 2.03 document;
/// `year` keeps the projects whose main date falls in it.
pub async fn export(svc: &Service, actor: &Actor, year: Option<i32>) -> Result<String, StoreError> {
    let org = svc
        .org_by_id(actor.org_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let projects = svc.own_records(actor, RecordType::Project).await?;
    let partners = svc.own_records(actor, RecordType::Partner).await?;
    let partner = |id: i64| partners.iter().find(|p| p.id == id);
    let aid: Vec<_> = projects
        .iter()
        .filter(|p| {
            p.data
                .get("kind")
                .and_then(Value::as_str)
                .is_some_and(|k| AID_KINDS.contains(&k))
        })
        .filter(|p| year.is_none_or(|y| project_year(&p.data) == Some(y)))
        .collect();
    let list: Vec<ngoaivu_iati::ExportProject> = aid
        .iter()
        .map(|p| {
            let donor = p
                .data
                .get("investor_id")
                .and_then(Value::as_i64)
                .and_then(partner);
            ngoaivu_iati::ExportProject {
                id: p.id,
                body: &p.data,
                donor_name: donor.and_then(|d| d.data.get("name")?.as_str().map(str::to_string)),
                donor_country: donor
                    .and_then(|d| d.data.get("country")?.as_str().map(str::to_string)),
                updated_at: p.updated_at,
            }
        })
        .collect();
    let unit = refdata().unit(&org.slug);
    let publisher = ngoaivu_iati::Publisher {
        org_slug: org.slug.clone(),
        org_name_vi: org.office_name.clone().unwrap_or_else(|| org.name.clone()),
        org_name_en: org.name.clone(),
        unit_code: org.slug.clone(),
        unit_name: unit
            .map(|u| u.name.clone())
            .unwrap_or_else(|| org.name.clone()),
    };
    Ok(ngoaivu_iati::export(
        &publisher,
        &list,
        time::OffsetDateTime::now_utc(),
    ))
}

/// The year a project counts in: that of its approval, else its start.
fn project_year(data: &Value) -> Option<i32> {
    ["approved_on", "period_from"]
        .iter()
        .find_map(|k| data.get(*k)?.as_str()?.get(..4)?.parse().ok())
}

/// Review an IATI file's activities for the caller's province: those
/// located in it become project rows (their donors partners, matched by
/// name or created); the others are reported as skipped rows.
pub async fn review(
    svc: &Service,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<Review, ImportError> {
    let units = refdata().localities_of(&actor.org_slug);
    let outcome = ngoaivu_iati::import(bytes, &units).map_err(|e| {
        ImportError::File(ngoaivu_sheets::SheetError::new(
            e.code,
            with_line(&e.vi, e.line, "dòng"),
            with_line(&e.en, e.line, "line"),
        ))
    })?;
    // Activities this organisation published name their record in their
    // identifier (`<org ref>-<id>`): such a row is that record, and its
    // identifier is not kept as a note (it is derived from the id).
    let own_prefix = format!("{}-{}-", ngoaivu_iati::ORG_REF_PREFIX, actor.org_slug);
    let mut rows: Vec<IncomingRow> = outcome
        .activities
        .into_iter()
        .map(|a| {
            let known_id = a
                .iati_identifier
                .strip_prefix(&own_prefix)
                .and_then(|rest| rest.parse::<i64>().ok());
            let mut body = a.body;
            if known_id.is_some()
                && let Some(o) = body.as_object_mut()
            {
                o.remove("notes");
            }
            (a.line, body, a.donor_name, a.donor_country, known_id)
        })
        .map(
            |(line, body, donor_name, donor_country, known_id)| IncomingRow {
                known_id,
                sheet: "IATI".into(),
                row: line,
                body,
                partners: donor_name
                    .map(|name| PartnerName {
                        field: "investor_id",
                        name,
                        country: donor_country,
                    })
                    .into_iter()
                    .collect(),
                errors: vec![],
                cells: Default::default(),
            },
        )
        .collect();
    for e in outcome.errors {
        rows.push(IncomingRow {
            sheet: "IATI".into(),
            row: e.line.unwrap_or(0),
            body: serde_json::json!({}),
            partners: vec![],
            known_id: None,
            errors: vec![RowError {
                cell: e.line.map(|l| format!("dòng {l}")),
                column: None,
                message: e.vi,
                message_en: e.en,
            }],
            cells: Default::default(),
        });
    }
    let mut review = crate::import::review_rows(
        svc,
        actor,
        RecordType::Project,
        file_name,
        &crate::import::sha256_hex(bytes),
        rows,
    )
    .await?;
    review.skipped = outcome
        .skipped
        .into_iter()
        .map(|s| crate::import::Skipped {
            what: s.iati_identifier,
            message: s.vi,
            message_en: s.en,
        })
        .collect();
    Ok(review)
}

fn with_line(msg: &str, line: Option<usize>, word: &str) -> String {
    match line {
        Some(l) => format!("{msg} ({word} {l})"),
        None => msg.to_string(),
    }
}
