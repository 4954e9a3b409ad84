//! A page's query string (`Params`), and a record list's query built from
//! it (`list_query`), which the list page and the exports share so that an
//! export holds exactly the records the list shows.

use ngoaivu_core::refdata::refdata;
use ngoaivu_core::{FieldError, Problem, RecordType};
use ngoaivu_http::AppState;
use ngoaivu_store::{ListQuery, SortKey};

/// Records on one page of a list.
pub(crate) const PAGE_SIZE: i64 = 50;

/// Lists count at most this many records: counting a whole nation's
/// records for a page header cost more than the page (see BENCHMARKS.md).
pub(crate) const LIST_COUNT_CAP: i64 = 10_000;
/// Each group of the search page counts at most this many matches.
pub(crate) const SEARCH_COUNT_CAP: i64 = 1_000;

/// The list's query, as the page's parameters.
#[derive(Default, Clone)]
pub(crate) struct Params {
    pub pairs: Vec<(String, String)>,
}

impl Params {
    pub(crate) fn parse(raw: Option<&str>) -> Params {
        Params {
            pairs: serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or(""))
                .unwrap_or_default(),
        }
    }
    pub(crate) fn get(&self, k: &str) -> &str {
        self.pairs
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }
    /// The query string with `k` set to `v` (removed when empty).
    pub(crate) fn with(&self, over: &[(&str, &str)]) -> String {
        let mut out: Vec<(String, String)> = self
            .pairs
            .iter()
            .filter(|(k, v)| !v.is_empty() && !over.iter().any(|(o, _)| o == k))
            .cloned()
            .collect();
        for (k, v) in over {
            if !v.is_empty() {
                out.push(((*k).into(), (*v).into()));
            }
        }
        serde_urlencoded::to_string(&out).unwrap_or_default()
    }
}

/// Build the store's query from the page's parameters; errors carry the
/// API's messages.
pub(crate) async fn list_query(
    st: &AppState,
    rt: RecordType,
    p: &Params,
) -> (ListQuery, Vec<FieldError>) {
    let mut q = ListQuery::new(rt);
    let mut errs: Vec<FieldError> = vec![];
    let int = |name: &str, v: &str, lo: i64, hi: i64, errs: &mut Vec<FieldError>| -> Option<i64> {
        if v.is_empty() {
            return None;
        }
        match v.parse::<i64>() {
            Ok(n) if (lo..=hi).contains(&n) => Some(n),
            _ => {
                errs.push(FieldError::new(
                    name,
                    Problem::Invalid {
                        vi: format!("Cần số nguyên từ {lo} đến {hi}."),
                        en: format!("Expected a whole number from {lo} to {hi}."),
                    },
                ));
                None
            }
        }
    };
    q.year = int("year", p.get("year"), 1900, 2100, &mut errs).map(|y| y as i32);
    let page = int("page", p.get("page"), 1, 200_000, &mut errs).unwrap_or(1);
    q.limit = PAGE_SIZE;
    q.count_cap = Some(LIST_COUNT_CAP);
    q.offset = (page - 1) * PAGE_SIZE;
    let text = p.get("q");
    if !text.is_empty() {
        if text.chars().count() > 200 {
            errs.push(FieldError::new("q", Problem::TooLong { max: 200 }));
        } else {
            q.q = Some(text.to_owned());
        }
    }
    let status = p.get("status");
    if !status.is_empty() {
        if rt.statuses().contains(&status) {
            q.status = Some(status.to_owned());
        } else {
            errs.push(FieldError::new(
                "status",
                Problem::OneOf {
                    allowed: rt.statuses().join(", "),
                },
            ));
        }
    }
    let kind = p.get("kind");
    if !kind.is_empty() {
        let kinds = rt.kinds();
        if kinds.contains(&kind) {
            q.kind = Some(kind.to_owned());
        } else {
            errs.push(FieldError::new(
                "kind",
                Problem::OneOf {
                    allowed: kinds.join(", "),
                },
            ));
        }
    }
    let country = p.get("country").to_ascii_uppercase();
    if !country.is_empty() {
        if refdata().country(&country).is_some() {
            q.country = Some(country);
        } else {
            errs.push(FieldError::new(
                "country",
                Problem::UnknownCountry { value: country },
            ));
        }
    }
    let sector = p.get("sector");
    if !sector.is_empty() {
        let mut inv = ngoaivu_core::Invalid::default();
        ngoaivu_core::values::check_sectors("sector", &[sector.to_owned()], &mut inv);
        if inv.is_empty() {
            q.sector = Some(sector.to_owned());
        } else {
            errs.extend(inv.0);
        }
    }
    let org = p.get("org");
    if !org.is_empty() {
        match st.service.org_filter(org).await {
            Ok(id) => q.org_id = Some(id),
            Err(ngoaivu_store::StoreError::Invalid(inv)) => errs.extend(inv.0),
            Err(e) => errs.push(FieldError::new(
                "org",
                Problem::Invalid {
                    vi: e.to_string(),
                    en: e.to_string(),
                },
            )),
        }
    }
    let sort = p.get("sort");
    if sort.is_empty() && matches!(rt, RecordType::Partner | RecordType::OverseasContact) {
        // Lists of names read in Vietnamese alphabetical order by default.
        q.sort = SortKey::Title;
        q.descending = false;
    }
    if !sort.is_empty() {
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort),
        };
        let key = match key {
            "id" => Some(SortKey::Id),
            "title" => Some(SortKey::Title),
            "date" => Some(SortKey::Date),
            "year" => Some(SortKey::Year),
            "updated_at" => Some(SortKey::UpdatedAt),
            _ => None,
        };
        match key {
            Some(k) => {
                q.sort = k;
                q.descending = desc;
            }
            None => errs.push(FieldError::new(
                "sort",
                Problem::OneOf {
                    allowed: "id, title, date, year, updated_at".into(),
                },
            )),
        }
    }
    (q, errs)
}

/// A record id from a path: a positive integer.
pub(crate) fn parse_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|n| *n > 0)
}
