//! Reports built from figures: a province's annual and term reports and the
//! Ministry's national summary, as a `ngoaivu_document::Document` that the
//! writers (HTML, DOCX, XLSX, PDF) render alike.
//!
//! `build` is the I/O (figures through the store's `Service`, so the
//! caller's scope applies); `compose` is pure: the same figures give the
//! same document, which the tests read back number by number.

pub mod charts;
pub mod compose;
pub mod office;
pub mod phrases;
pub mod render;
pub mod table;

use ngoaivu_core::{Actor, Lang, OrgKind};
use ngoaivu_document::Document;
use ngoaivu_store::{Org, Service, StoreError};

pub use compose::compose;
pub use render::{Format, render};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A province's report on one year.
    Annual,
    /// A province's report on a term (e.g. 2015–2020).
    Term,
    /// The Ministry's summary of all provinces for one year.
    National,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "annual" => Some(Kind::Annual),
            "term" => Some(Kind::Term),
            "national" => Some(Kind::National),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Kind::Annual => "annual",
            Kind::Term => "term",
            Kind::National => "national",
        }
    }
}

/// What report to make.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub kind: Kind,
    /// The reporting organisation (a province; the Ministry for `National`).
    pub org: String,
    /// The year (annual, national) or the first year of the term.
    pub from: i32,
    /// The same as `from` except for a term.
    pub to: i32,
    pub lang: Lang,
    /// Show a year before the 2025 merger by the units of that time (one
    /// row per former unit) rather than by today's units.
    pub units_of_the_time: bool,
    /// The date on the document's place-and-date line.
    pub date: time::Date,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The years a report may cover.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

impl Spec {
    /// Checks that do not need the database: years in range and in order,
    /// one year for annual and national reports.
    pub fn check(&self) -> Result<(), ReportError> {
        let lang = self.lang;
        if !YEARS.contains(&self.from) || !YEARS.contains(&self.to) {
            return Err(ReportError::Invalid(
                lang.pick(
                    "Năm phải nằm trong khoảng 1990–2100.",
                    "The year must be between 1990 and 2100.",
                )
                .into(),
            ));
        }
        if self.from > self.to {
            return Err(ReportError::Invalid(
                lang.pick(
                    "Năm bắt đầu phải trước hoặc bằng năm kết thúc.",
                    "The first year must not come after the last.",
                )
                .into(),
            ));
        }
        if self.kind != Kind::Term && self.from != self.to {
            return Err(ReportError::Invalid(
                lang.pick(
                    "Báo cáo năm và báo cáo toàn quốc chỉ có một năm; dùng báo cáo nhiệm kỳ cho nhiều năm.",
                    "Annual and national reports cover one year; use a term report for several.",
                )
                .into(),
            ));
        }
        Ok(())
    }
}

/// Build the report: resolve the organisation within the caller's reach,
/// load the figures, compose the document.
pub async fn build(svc: &Service, actor: &Actor, spec: &Spec) -> Result<Document, ReportError> {
    build_with_timings(svc, actor, spec, false)
        .await
        .map(|(d, _)| d)
}

/// The time each query of the figures took, as `build_with_timings` gives it.
pub type Timings = Vec<(String, std::time::Duration, usize)>;

/// [`build`], also giving the time each figures query took (for
/// `ngoaivu report --timings` and the benchmark); `sequential` runs the
/// queries one at a time, so each time is the query's own.
pub async fn build_with_timings(
    svc: &Service,
    actor: &Actor,
    spec: &Spec,
    sequential: bool,
) -> Result<(Document, Timings), ReportError> {
    spec.check()?;
    let lang = spec.lang;
    let org: Org = match spec.kind {
        Kind::National => {
            if actor.org_kind != OrgKind::Ministry {
                return Err(StoreError::Forbidden(ngoaivu_core::Denied::OtherOrg).into());
            }
            svc.org_by_slug("bo-ngoai-giao")
                .await?
                .ok_or(StoreError::NotFound)?
        }
        Kind::Annual | Kind::Term => {
            let org = svc
                .org_by_slug(&spec.org)
                .await?
                .filter(|o| actor.read_scope().allows(o.id))
                .ok_or(StoreError::NotFound)?;
            if org.kind != OrgKind::Province {
                return Err(ReportError::Invalid(
                    lang.pick(
                        "Báo cáo năm và báo cáo nhiệm kỳ là của một tỉnh, thành phố; Bộ Ngoại giao dùng báo cáo toàn quốc.",
                        "Annual and term reports are a province's; the Ministry makes the national report.",
                    )
                    .into(),
                ));
            }
            org
        }
    };
    // Charts show five years of history, and the change needs the year
    // before; the figures are loaded once for all of it.
    let request = ngoaivu_stats::Request {
        org_id: match spec.kind {
            Kind::National => None,
            _ => Some(org.id),
        },
        from: match spec.kind {
            Kind::Annual => spec.from - 4,
            _ => spec.from,
        },
        to: spec.to,
        sequential,
    };
    let figures = ngoaivu_stats::load(svc, actor, &request).await?;
    let indicators = svc.indicators().await?;
    // A province's report names its plans and the NGOs registered in it;
    // the national summary counts figures only.
    let work = match spec.kind {
        Kind::National => office::OfficeWork::default(),
        _ => office::load(svc, actor, org.id, spec.from, spec.to, spec.date).await?,
    };
    Ok((
        compose(spec, &org, &figures, &indicators, &work),
        figures.timings,
    ))
}
