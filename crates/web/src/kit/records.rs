//! How pages name records and what records point to: organisations and
//! indicators by their names (`Names`), a record's title, an observation's
//! value with its unit. The list page, search, forms, the reader and the
//! dashboard all show them the same way.

use std::collections::HashMap;

use ngoaivu_core::fold::vi_sort_key;
use ngoaivu_core::{Lang, OrgKind, RecordType};
use ngoaivu_http::AppState;
use serde_json::Value;

use crate::kit::text::{locality_name, number_json, period, unit_label};

/// Names the pages need beside the records: organisations and indicators.
pub(crate) struct Names {
    pub orgs: HashMap<String, String>,
    /// Organisation ids to slugs.
    pub org_ids: HashMap<i64, String>,
    pub provinces: Vec<(String, String)>,
    pub indicators: HashMap<String, (String, String)>,
}

impl Names {
    pub(crate) async fn load(st: &AppState) -> ngoaivu_store::Result<Names> {
        let orgs = st.service.orgs().await?;
        let mut provinces: Vec<(String, String)> = orgs
            .iter()
            .filter(|o| o.kind != OrgKind::Mission)
            .map(|o| (o.slug.clone(), o.name.clone()))
            .collect();
        provinces.sort_by_key(|(_, n)| vi_sort_key(n));
        let indicators = st
            .service
            .indicators()
            .await?
            .into_iter()
            .map(|i| (i.code, (i.name_vi, i.name_en)))
            .collect();
        Ok(Names {
            org_ids: orgs.iter().map(|o| (o.id, o.slug.clone())).collect(),
            orgs: orgs.into_iter().map(|o| (o.slug, o.name)).collect(),
            provinces,
            indicators,
        })
    }
    pub(crate) fn org(&self, slug: &str) -> String {
        self.orgs
            .get(slug)
            .cloned()
            .unwrap_or_else(|| slug.to_owned())
    }
    pub(crate) fn indicator(&self, code: &str, lang: Lang) -> String {
        self.indicators
            .get(code)
            .map(|(vi, en)| lang.pick(vi, en).to_owned())
            .unwrap_or_else(|| code.to_owned())
    }
}

/// A text field of a record's body, or empty.
pub(crate) fn str_field<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(|x| x.as_str()).unwrap_or("")
}

/// The name a record is known by.
pub(crate) fn record_title(
    rt: RecordType,
    data: &Value,
    names: Option<&Names>,
    lang: Lang,
) -> String {
    let title = match rt {
        RecordType::Partner
        | RecordType::Project
        | RecordType::OverseasContact
        | RecordType::Agreement
        | RecordType::Event
        | RecordType::Delegation
        | RecordType::AbtcApproval
        | RecordType::Publication
        | RecordType::TrainingCourse
        | RecordType::NgoRegistration
        | RecordType::ConferencePermit
        | RecordType::ConsularCase
        | RecordType::Plan => str_field(data, rt.title_field()).to_owned(),
        RecordType::CatalogProject => catalog_name(data, lang),
        RecordType::Observation => {
            let code = str_field(data, "indicator");
            let name = names
                .map(|n| n.indicator(code, lang))
                .unwrap_or_else(|| code.to_owned());
            let loc = data
                .get("locality")
                .and_then(|l| l.as_str())
                .map(|l| locality_name(l, lang));
            let per = data
                .get("period")
                .map(|p| period(p, lang))
                .unwrap_or_default();
            [Some(name), loc, Some(per)]
                .into_iter()
                .flatten()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(" · ")
        }
    };
    if title.trim().is_empty() {
        "—".into()
    } else {
        title
    }
}

/// A catalog project's name in `lang`, else in Vietnamese.
pub(crate) fn catalog_name(data: &Value, lang: Lang) -> String {
    let tr = data.get("translations");
    let code = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    tr.and_then(|t| t.get(code))
        .or_else(|| tr.and_then(|t| t.get("vi")))
        .map(|t| str_field(t, "name").to_owned())
        .unwrap_or_default()
}

/// An observation's value with its unit: `793.000.000 USD`, `37,91 %`.
pub(crate) fn obs_value(d: &Value, lang: Lang) -> String {
    let v = d
        .get("value")
        .and_then(|v| number_json(v, lang))
        .unwrap_or_default();
    let unit = unit_label(str_field(d, "unit"), lang);
    if unit.is_empty() {
        v
    } else {
        format!("{v} {unit}")
    }
}
