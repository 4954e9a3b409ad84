//! What every new database starts with: the organisations (34 provinces,
//! the Ministry, the missions of `data/missions.csv`) and the indicator
//! vocabulary. Both backends insert exactly this on migration.

use ngoaivu_core::OrgKind;
use ngoaivu_core::fold::fold_vi;
use ngoaivu_core::refdata::refdata;

use crate::{Indicator, NewOrg};

pub const MINISTRY_SLUG: &str = "bo-ngoai-giao";

pub fn reference_orgs() -> Vec<NewOrg> {
    let r = refdata();
    let mut orgs: Vec<NewOrg> = r
        .current_units()
        .map(|u| NewOrg {
            slug: u.slug.clone(),
            kind: OrgKind::Province,
            name: u.name.clone(),
            office_name: Some("Sở Ngoại vụ".into()),
            country: Some("VN".into()),
            city: None,
            code: Some(u.code.clone()),
        })
        .collect();
    orgs.push(NewOrg {
        slug: MINISTRY_SLUG.into(),
        kind: OrgKind::Ministry,
        name: "Bộ Ngoại giao".into(),
        office_name: Some("Cục Ngoại vụ và Ngoại giao văn hóa".into()),
        country: Some("VN".into()),
        city: Some("Hà Nội".into()),
        code: None,
    });
    orgs.extend(r.missions.iter().map(|m| NewOrg {
        slug: m.slug.clone(),
        kind: OrgKind::Mission,
        name: m.name_vi.clone(),
        office_name: None,
        country: Some(m.country.clone()),
        city: Some(m.city.clone()),
        code: None,
    }));
    orgs
}

pub fn reference_indicators() -> Vec<Indicator> {
    refdata()
        .indicators
        .iter()
        .map(|i| Indicator {
            code: i.code.clone(),
            name_vi: i.name_vi.clone(),
            name_en: i.name_en.clone(),
            units: i.units.clone(),
            summable: i.summable,
        })
        .collect()
}

/// The folded text the search index holds: the record's own words and the
/// titles of the records it links to (an agreement is found by its partner's name).
pub fn search_text(own: &str, linked_titles: &[String]) -> String {
    let mut s = fold_vi(own);
    for t in linked_titles {
        s.push(' ');
        s.push_str(&fold_vi(t));
    }
    s
}

/// Timestamps as SQLite stores them: RFC 3339 in UTC with microseconds, so
/// that text order is time order.
pub fn ts_text(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

pub fn parse_ts(s: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// Truncate to microseconds, the precision both databases keep.
pub fn now() -> time::OffsetDateTime {
    let t = time::OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}

/// Put a link resolved during a bulk load into the body, where the API shows
/// it (`partner_ids`, `investor_id`, `replaces_id`).
pub fn apply_link(data: &mut serde_json::Value, rel: &str, id: i64) {
    let Some(o) = data.as_object_mut() else {
        return;
    };
    match rel {
        "investor" => {
            o.insert("investor_id".into(), id.into());
        }
        "ngo" => {
            o.insert("partner_id".into(), id.into());
        }
        "replaces" => {
            o.insert("replaces_id".into(), id.into());
        }
        _ => {
            let list = o
                .entry("partner_ids")
                .or_insert_with(|| serde_json::Value::Array(vec![]));
            if let Some(a) = list.as_array_mut()
                && !a.iter().any(|v| v.as_i64() == Some(id))
            {
                a.push(id.into());
            }
        }
    }
}
