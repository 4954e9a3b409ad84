//! What a province's report says of its office's work beyond the figures:
//! the plans and directives it carries out, with their progress, and the
//! foreign NGOs registered to work in it. Read from the organisation's
//! records by `load` (I/O); `compose` renders them (pure).

use ngoaivu_core::records::{NgoRegistration, Plan};
use ngoaivu_core::{Actor, RecordType};
use ngoaivu_store::{ListQuery, Service, StoreError};
use time::{Date, Month};

/// A plan or directive and how far it has come.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLine {
    pub title: String,
    pub reference: Option<String>,
    pub year: i32,
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
}

/// A foreign NGO's registration in force at the end of the report's period.
#[derive(Debug, Clone, PartialEq)]
pub struct NgoLine {
    pub name: String,
    pub country: Option<String>,
    /// `operation`, `project_office`, `representative_office`.
    pub kind: String,
    pub number: String,
    pub issued_on: Date,
    pub valid_until: Option<Date>,
    pub sectors: Vec<String>,
}

/// The office's work for a report on the years `from..=to`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficeWork {
    /// The day progress is counted on (the report's date).
    pub as_of: Option<Date>,
    /// Plans of the years covered, and earlier ones with tasks still open,
    /// oldest first.
    pub plans: Vec<PlanLine>,
    /// Registrations in force on the last day of the period, by name.
    pub ngos: Vec<NgoLine>,
    /// How many of those were issued within the period.
    pub ngos_new: usize,
}

/// The most records of a type one report reads (a province holds a few
/// dozen plans and registrations).
const MOST: i64 = 1000;

/// Read the organisation's plans and NGO registrations (the caller's scope
/// applies) and keep what a report on `from..=to`, dated `as_of`, names.
pub async fn load(
    svc: &Service,
    actor: &Actor,
    org_id: i64,
    from: i32,
    to: i32,
    as_of: Date,
) -> Result<OfficeWork, StoreError> {
    let query = |rt| {
        let mut q = ListQuery::new(rt);
        q.org_id = Some(org_id);
        q.limit = MOST;
        q
    };
    let mut pages = svc
        .list_each(
            actor,
            vec![query(RecordType::Plan), query(RecordType::NgoRegistration)],
        )
        .await?
        .into_iter();
    let plans: Vec<Plan> = bodies(pages.next());
    let ngos: Vec<NgoRegistration> = bodies(pages.next());
    Ok(select(&plans, &ngos, from, to, as_of))
}

/// The bodies of a page's records, as their type (stored bodies passed the
/// type's checks when written, so none is expected to fail).
fn bodies<T: serde::de::DeserializeOwned>(page: Option<ngoaivu_store::Page>) -> Vec<T> {
    page.map(|p| p.items)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| serde_json::from_value(r.data).ok())
        .collect()
}

/// The pure part of `load`.
pub fn select(
    plans: &[Plan],
    ngos: &[NgoRegistration],
    from: i32,
    to: i32,
    as_of: Date,
) -> OfficeWork {
    let mut lines: Vec<PlanLine> = plans
        .iter()
        .filter_map(|p| {
            let pr = p.progress(as_of);
            let covered = (from..=to).contains(&p.year);
            let still_open = p.year < from && pr.done < pr.total;
            (covered || still_open).then(|| PlanLine {
                title: p.title.trim().to_owned(),
                reference: p.reference.clone(),
                year: p.year,
                done: pr.done,
                total: pr.total,
                overdue: pr.overdue,
            })
        })
        .collect();
    lines.sort_by(|a, b| (a.year, &a.title).cmp(&(b.year, &b.title)));

    let end = Date::from_calendar_date(to, Month::December, 31).unwrap_or(as_of);
    let start = Date::from_calendar_date(from, Month::January, 1).unwrap_or(as_of);
    let mut in_force: Vec<NgoLine> = ngos
        .iter()
        .filter(|n| {
            n.issued_on.0 <= end
                && n.valid_until.is_none_or(|d| d.0 >= end)
                && n.ended_on.is_none_or(|d| d.0 > end)
        })
        .map(|n| NgoLine {
            name: n.name.trim().to_owned(),
            country: n.country.clone(),
            kind: n.kind.code().to_owned(),
            number: n.number.clone(),
            issued_on: n.issued_on.0,
            valid_until: n.valid_until.map(|d| d.0),
            sectors: n.sectors.clone(),
        })
        .collect();
    in_force.sort_by_key(|n| ngoaivu_core::fold::vi_sort_key(&n.name));
    let ngos_new = in_force.iter().filter(|n| n.issued_on >= start).count();
    OfficeWork {
        as_of: Some(as_of),
        plans: lines,
        ngos: in_force,
        ngos_new,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    fn plan(title: &str, year: i32, statuses: &[(&str, Option<&str>)]) -> Plan {
        let tasks: Vec<_> = statuses
            .iter()
            .map(|(s, due)| json!({"title": "Nhiệm vụ", "status": s, "due_on": due}))
            .collect();
        serde_json::from_value(
            json!({"kind": "yearly_plan", "title": title, "year": year, "tasks": tasks}),
        )
        .unwrap()
    }

    fn ngo(name: &str, issued: &str, until: Option<&str>, ended: Option<&str>) -> NgoRegistration {
        serde_json::from_value(
            json!({"name": name, "kind": "project_office", "number": "1/BNG",
            "issued_on": issued, "valid_until": until, "ended_on": ended}),
        )
        .unwrap()
    }

    #[test]
    fn a_report_names_the_plans_of_its_years_and_earlier_ones_still_open() {
        let plans = [
            plan(
                "Kế hoạch 2022",
                2022,
                &[("done", None), ("in_progress", Some("2022-06-30"))],
            ),
            plan("Chương trình 2021", 2021, &[("in_progress", None)]),
            plan("Kế hoạch 2020", 2020, &[("done", None), ("dropped", None)]),
            plan("Kế hoạch 2023", 2023, &[("not_started", None)]),
        ];
        let w = select(&plans, &[], 2022, 2022, date!(2022 - 12 - 31));
        let got: Vec<_> = w
            .plans
            .iter()
            .map(|p| (p.title.as_str(), p.done, p.total, p.overdue))
            .collect();
        assert_eq!(
            got,
            [("Chương trình 2021", 0, 1, 0), ("Kế hoạch 2022", 1, 2, 1)]
        );
    }

    #[test]
    fn registrations_in_force_at_the_end_of_the_period_and_those_new_in_it() {
        let ngos = [
            ngo("Tổ chức B", "2020-03-01", Some("2025-03-01"), None),
            ngo("Tổ chức A", "2022-05-01", Some("2027-05-01"), None),
            ngo("Đã hết hạn", "2017-01-01", Some("2022-01-01"), None),
            ngo(
                "Chấm dứt sớm",
                "2021-01-01",
                Some("2026-01-01"),
                Some("2022-07-01"),
            ),
            ngo("Cấp sau", "2023-02-01", None, None),
        ];
        let w = select(&[], &ngos, 2022, 2022, date!(2023 - 01 - 10));
        let names: Vec<_> = w.ngos.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["Tổ chức A", "Tổ chức B"]);
        assert_eq!(w.ngos_new, 1);
    }
}
