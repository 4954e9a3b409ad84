//! Loading figures: a handful of grouped queries through the store's
//! `Service` (so the caller's scope applies), then pure bookkeeping.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use ngoaivu_core::values::Period;
use ngoaivu_core::{Actor, OrgKind, RecordType};
use ngoaivu_store::{AggQuery, AggRow, FundsQuery, ObsQuery, Service, StoreError};
use rust_decimal::Decimal;

use crate::derive::{self, DERIVATIONS, Measure, STOCK_INDICATORS, STOCK_STATUSES};
use crate::figures::{Figures, Key, PeriodKey, Reported, TallyKey};
use crate::funds;

/// Which figures to load: one organisation's (a province's report) or
/// every organisation in reach (national), for the years `from..=to`. The
/// year before `from` is loaded too, for the change against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub org_id: Option<i64>,
    pub from: i32,
    pub to: i32,
    /// Run the queries one after the other instead of side by side, so that
    /// each one's time is its own (`ngoaivu report --timings`, benchmarks).
    pub sequential: bool,
}

pub async fn load(svc: &Service, actor: &Actor, req: &Request) -> Result<Figures, StoreError> {
    let mut figs = Figures::default();
    for ind in svc.indicators().await? {
        figs.summable.insert(ind.code.clone(), ind.summable);
    }
    // Records filed without a unit belong to their organisation's.
    let orgs: HashMap<i64, String> = svc
        .orgs()
        .await?
        .into_iter()
        .filter_map(|o| match o.kind {
            OrgKind::Province => Some((o.id, o.slug)),
            OrgKind::Ministry => Some((o.id, "viet-nam".to_owned())),
            OrgKind::Mission => None,
        })
        .collect();
    let unit_of = |row_org: i64, loc: &Option<String>| -> Option<String> {
        loc.clone().or_else(|| orgs.get(&row_org).cloned())
    };
    let first = req.from - 1;

    // Every query is started at once: they are independent, each is one
    // grouped scan, and the database answers them side by side (SQLite on
    // its pool's connections, PostgreSQL on its backends).
    let year_range = |q: &mut AggQuery| {
        q.year_from = Some(first);
        q.year_to = Some(req.to);
        q.org_id = req.org_id;
    };

    // Flows: one query per record type, every kind at once (the
    // derivations of one type share their statuses; a test in `derive`
    // holds that, since the rows are grouped by kind, not status).
    let mut by_type: Vec<(RecordType, Vec<&str>)> = vec![];
    for d in DERIVATIONS {
        match by_type.iter_mut().find(|(rt, _)| *rt == d.rt) {
            Some((_, st)) => {
                for s in d.statuses {
                    if !st.contains(s) {
                        st.push(s);
                    }
                }
            }
            None => by_type.push((d.rt, d.statuses.to_vec())),
        }
    }
    let mut flows = Vec::with_capacity(by_type.len());
    for (rt, statuses) in by_type {
        let mut q = AggQuery::new(rt);
        q.statuses = statuses.iter().map(|s| s.to_string()).collect();
        year_range(&mut q);
        flows.push((rt, spawn_aggregate(svc, actor, q, req.sequential).await));
    }
    // Events by kind ("events.fair", "events.cultural" …): not indicators
    // of the vocabulary, but what the reports' sections on promotion and
    // cultural diplomacy count.
    let mut q = AggQuery::new(RecordType::Event);
    year_range(&mut q);
    let events = spawn_aggregate(svc, actor, q, req.sequential).await;
    // Stocks: FDI projects valid at the end of each year.
    let mut q = AggQuery::new(RecordType::Project);
    q.kinds = vec!["fdi".into()];
    q.statuses = STOCK_STATUSES.iter().map(|s| s.to_string()).collect();
    year_range(&mut q);
    q.year_from = None;
    q.by_end_year = true;
    let stocks = spawn_aggregate(svc, actor, q, req.sequential).await;
    // By country: FDI by investor country, agreements by partner country.
    let mut q = AggQuery::new(RecordType::Project);
    q.kinds = vec!["fdi".into()];
    q.statuses = statuses_of("fdi.projects");
    year_range(&mut q);
    q.by_country = true;
    let fdi_countries = spawn_aggregate(svc, actor, q, req.sequential).await;
    let mut q = AggQuery::new(RecordType::Agreement);
    q.statuses = statuses_of("agreements.signed");
    year_range(&mut q);
    q.by_country = true;
    let agreement_countries = spawn_aggregate(svc, actor, q, req.sequential).await;
    // Breakdowns: permits by kind and state (outcomes), consular cases by
    // kind and nationality (counts only: no personal data leaves the store).
    let mut q = AggQuery::new(RecordType::ConferencePermit);
    year_range(&mut q);
    q.by_status = true;
    let permits = spawn_aggregate(svc, actor, q, req.sequential).await;
    let mut q = AggQuery::new(RecordType::ConsularCase);
    year_range(&mut q);
    q.by_country = true;
    let consular = spawn_aggregate(svc, actor, q, req.sequential).await;
    // Aid money, dated by its transactions (see `funds`).
    let funds_query = FundsQuery {
        kinds: funds::project_kinds(),
        org_id: req.org_id,
    };
    let funds_rows = {
        let (svc, actor) = (svc.clone(), actor.clone());
        spawn_timed(
            async move { svc.funds(&actor, &funds_query).await },
            req.sequential,
        )
        .await
    };
    // Reported figures. One organisation's are few, so all its years are
    // read (a 2020 report quotes "since 2016" figures); a national load
    // reads the years asked for.
    let oq = ObsQuery {
        source: None,
        year_from: if req.org_id.is_some() {
            None
        } else {
            Some(first)
        },
        year_to: Some(req.to),
        org_id: req.org_id,
        indicators: vec![],
    };
    let observations = {
        let (svc, actor) = (svc.clone(), actor.clone());
        spawn_timed(
            async move { svc.observations(&actor, &oq).await },
            req.sequential,
        )
        .await
    };

    for (rt, handle) in flows {
        for row in collect(&mut figs, format!("{} by kind", rt.code()), handle).await? {
            let (Some(year), Some(unit)) = (row.year, unit_of(row.org_id, &row.locality)) else {
                continue;
            };
            for d in derive::for_kind(rt, row.kind.as_deref()) {
                add_derived(
                    &mut figs,
                    d.indicator,
                    d.measure,
                    &unit,
                    PeriodKey::Year(year),
                    &row,
                );
            }
        }
    }

    for row in collect(&mut figs, "event by kind".into(), events).await? {
        let (Some(year), Some(unit), Some(kind)) = (
            row.year,
            unit_of(row.org_id, &row.locality),
            row.kind.as_deref(),
        ) else {
            continue;
        };
        let code = format!("events.{kind}");
        figs.summable.insert(code.clone(), true);
        let cell = figs.cell_mut(Key {
            indicator: code,
            locality: unit,
            period: PeriodKey::Year(year),
            unit: "count".into(),
        });
        cell.derived = Some(cell.derived.unwrap_or_default() + Decimal::from(row.count));
    }

    let stock_rows = collect(&mut figs, "project fdi stock".into(), stocks).await?;
    for y in first..=req.to {
        for row in &stock_rows {
            let (Some(start), Some(unit)) = (row.year, unit_of(row.org_id, &row.locality)) else {
                continue;
            };
            if start > y || row.end_year.is_some_and(|e| e <= y) {
                continue;
            }
            for ind in STOCK_INDICATORS {
                let d = derive::derivation(ind).expect("stock indicators are derived");
                add_derived(&mut figs, ind, d.measure, &unit, PeriodKey::AsOf(y), row);
            }
        }
    }

    let mut countries: HashMap<(String, i32), BTreeSet<String>> = HashMap::new();
    for row in collect(&mut figs, "project fdi by country".into(), fdi_countries).await? {
        let (Some(year), Some(unit), Some(country)) = (
            row.year,
            unit_of(row.org_id, &row.locality),
            row.country.clone(),
        ) else {
            continue;
        };
        countries
            .entry((unit.clone(), year))
            .or_default()
            .insert(country.clone());
        if row.unit.as_deref() == Some("USD") || row.sum.is_none() {
            let e = figs
                .fdi_by_country
                .entry((unit, year, country))
                .or_default();
            e.0 += row.count;
            e.1 += row.sum.unwrap_or_default();
        }
    }
    for ((unit, year), set) in countries {
        figs.cell_mut(Key {
            indicator: "fdi.source_countries".into(),
            locality: unit,
            period: PeriodKey::Year(year),
            unit: "count".into(),
        })
        .derived = Some(Decimal::from(set.len() as i64));
    }
    for row in collect(
        &mut figs,
        "agreement by partner country".into(),
        agreement_countries,
    )
    .await?
    {
        let (Some(year), Some(unit), Some(country)) = (
            row.year,
            unit_of(row.org_id, &row.locality),
            row.country.clone(),
        ) else {
            continue;
        };
        *figs
            .agreements_by_country
            .entry((unit, year, country))
            .or_default() += row.count;
    }

    for row in collect(&mut figs, "conference permits by kind".into(), permits).await? {
        let (Some(year), Some(unit), Some(kind), Some(status)) = (
            row.year,
            unit_of(row.org_id, &row.locality),
            row.kind.clone(),
            row.status.as_deref(),
        ) else {
            continue;
        };
        for (outcome, states) in derive::PERMIT_OUTCOMES {
            if states.contains(&status) {
                *figs
                    .tallies
                    .entry(TallyKey {
                        table: "conferences.by_kind",
                        locality: unit.clone(),
                        year,
                        row: kind.clone(),
                        col: (*outcome).to_owned(),
                    })
                    .or_default() += row.count;
            }
        }
    }
    for row in collect(&mut figs, "consular cases by kind".into(), consular).await? {
        let (Some(year), Some(unit), Some(kind)) = (
            row.year,
            unit_of(row.org_id, &row.locality),
            row.kind.clone(),
        ) else {
            continue;
        };
        let mut add = |table: &'static str, key: String| {
            *figs
                .tallies
                .entry(TallyKey {
                    table,
                    locality: unit.clone(),
                    year,
                    row: key,
                    col: "count".into(),
                })
                .or_default() += row.count;
        };
        add("consular.by_kind", kind);
        if let Some(country) = row.country.clone() {
            add("consular.by_nationality", country);
        }
    }
    let rows = collect(&mut figs, "aid transactions".into(), funds_rows).await?;
    for a in funds::amounts(&rows) {
        if a.year < first || a.year > req.to {
            continue;
        }
        let Some(unit) = unit_of(a.org_id, &a.locality) else {
            continue;
        };
        let cell = figs.cell_mut(Key {
            indicator: a.indicator.into(),
            locality: unit,
            period: PeriodKey::Year(a.year),
            unit: a.currency,
        });
        cell.derived = Some(cell.derived.unwrap_or_default() + a.amount);
    }

    for obs in collect(&mut figs, "observations".into(), observations).await? {
        let Some(period) = obs
            .period
            .as_deref()
            .and_then(|p| serde_json::from_str::<Period>(p).ok())
            .and_then(|p| PeriodKey::from_period(&p))
        else {
            continue;
        };
        let Some(unit_slug) = unit_of(obs.org_id, &obs.locality) else {
            continue;
        };
        let Some(value) = obs.value else { continue };
        figs.cell_mut(Key {
            indicator: obs.indicator.clone(),
            locality: unit_slug,
            period,
            unit: obs.unit.clone().unwrap_or_else(|| "count".into()),
        })
        .reported
        .push(Reported {
            id: obs.id,
            value,
            qualifier: obs.qualifier.clone().unwrap_or_else(|| "exact".into()),
            change_pct: obs.change_pct.as_deref().and_then(|s| s.parse().ok()),
            source_document: obs.source_document.clone(),
            note: obs.note.clone(),
        });
    }
    Ok(figs)
}

type Pending<T> = tokio::task::JoinHandle<(Result<Vec<T>, StoreError>, std::time::Duration)>;

/// Start one grouped query on its own task, timing it; with `sequential`,
/// run it to the end first.
async fn spawn_aggregate(
    svc: &Service,
    actor: &Actor,
    q: AggQuery,
    sequential: bool,
) -> Pending<AggRow> {
    let (svc, actor) = (svc.clone(), actor.clone());
    spawn_timed(async move { svc.aggregate(&actor, &q).await }, sequential).await
}

/// Start a query on its own task, timing it; with `sequential`, run it to
/// the end first.
async fn spawn_timed<T, F>(query: F, sequential: bool) -> Pending<T>
where
    T: Send + 'static,
    F: std::future::Future<Output = Result<Vec<T>, StoreError>> + Send + 'static,
{
    let task = async move {
        let start = Instant::now();
        let r = query.await;
        (r, start.elapsed())
    };
    if sequential {
        let done = task.await;
        tokio::spawn(async move { done })
    } else {
        tokio::spawn(task)
    }
}

/// Wait for a query started by `spawn_aggregate` (or the observations'),
/// noting its time and number of rows.
async fn collect<T>(
    figs: &mut Figures,
    label: String,
    pending: Pending<T>,
) -> Result<Vec<T>, StoreError> {
    let (rows, took) = pending
        .await
        .map_err(|e| StoreError::Other(format!("figures query {label} failed: {e}")))?;
    let rows = rows?;
    tracing::debug!(query = %label, rows = rows.len(), ms = took.as_secs_f64() * 1000.0, "figures query");
    figs.timings.push((label, took, rows.len()));
    Ok(rows)
}

fn statuses_of(indicator: &str) -> Vec<String> {
    derive::derivation(indicator)
        .map(|d| d.statuses.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default()
}

fn add_derived(
    figs: &mut Figures,
    indicator: &str,
    measure: Measure,
    unit_slug: &str,
    period: PeriodKey,
    row: &AggRow,
) {
    let (unit, amount) = match measure {
        Measure::Count => {
            let u = if indicator == "abtc.approved" {
                "people"
            } else {
                "count"
            };
            (u.to_owned(), Decimal::from(row.count))
        }
        Measure::Sum => match (&row.unit, row.sum) {
            (Some(cur), Some(sum)) => (cur.clone(), sum),
            _ => return,
        },
    };
    let cell = figs.cell_mut(Key {
        indicator: indicator.into(),
        locality: unit_slug.into(),
        period,
        unit,
    });
    cell.derived = Some(cell.derived.unwrap_or_default() + amount);
}
