//! Which records give which indicator. Each derivation is one grouped count
//! or sum over one record type; the store runs it as a single `GROUP BY`
//! (the "plain SQL aggregate" the benchmark compares against).

use ngoaivu_core::RecordType;

/// What is taken from a group of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The number of records.
    Count,
    /// The sum of their amounts (capital, aid), one figure per currency.
    Sum,
}

/// A flow: records dated in the year (signed, started, approved).
#[derive(Debug, Clone, PartialEq)]
pub struct Derivation {
    pub indicator: &'static str,
    pub rt: RecordType,
    pub kinds: &'static [&'static str],
    pub statuses: &'static [&'static str],
    pub measure: Measure,
}

/// Agreements count once signed, whatever happened to them since.
const SIGNED: &[&str] = &[
    "signed",
    "in_force",
    "amended",
    "renewed",
    "suspended",
    "expired",
    "terminated",
];
/// Delegations count once decided: an outbound draft or a dossier still
/// waiting for the chairman's decision is not a delegation sent, and a
/// rejected or cancelled one never is. Inbound visits count when announced
/// (planned, confirmed, received, reported). One list serves both
/// directions (the store counts a type in one grouped query): the two
/// workflows share only `reported`, and an outbound delegation is never
/// `planned` (it is stored as `draft`).
const COUNTED: &[&str] = &[
    "approved",
    "travelling",
    "returned",
    "planned",
    "confirmed",
    "received",
    "reported",
];
/// Projects count once licensed or approved, unless cancelled.
const LICENSED: &[&str] = &["approved", "active", "completed", "suspended"];
/// Businesspeople count once permitted.
const PERMITTED: &[&str] = &["approved", "issued"];

pub const DERIVATIONS: &[Derivation] = &[
    Derivation {
        indicator: "agreements.signed",
        rt: RecordType::Agreement,
        kinds: &["agreement", "twinning"],
        statuses: SIGNED,
        measure: Measure::Count,
    },
    Derivation {
        indicator: "mous.signed",
        rt: RecordType::Agreement,
        kinds: &["mou"],
        statuses: SIGNED,
        measure: Measure::Count,
    },
    Derivation {
        indicator: "delegations.inbound",
        rt: RecordType::Delegation,
        kinds: &["inbound"],
        statuses: COUNTED,
        measure: Measure::Count,
    },
    Derivation {
        indicator: "delegations.outbound",
        rt: RecordType::Delegation,
        kinds: &["outbound"],
        statuses: COUNTED,
        measure: Measure::Count,
    },
    Derivation {
        indicator: "fdi.projects",
        rt: RecordType::Project,
        kinds: &["fdi"],
        statuses: LICENSED,
        measure: Measure::Count,
    },
    Derivation {
        indicator: "fdi.capital.registered",
        rt: RecordType::Project,
        kinds: &["fdi"],
        statuses: LICENSED,
        measure: Measure::Sum,
    },
    Derivation {
        indicator: "oda.projects",
        rt: RecordType::Project,
        kinds: &["oda"],
        statuses: LICENSED,
        measure: Measure::Count,
    },
    Derivation {
        indicator: "oda.capital",
        rt: RecordType::Project,
        kinds: &["oda"],
        statuses: LICENSED,
        measure: Measure::Sum,
    },
    Derivation {
        indicator: "ngo_aid.programs",
        rt: RecordType::Project,
        kinds: &["ngo_aid"],
        statuses: LICENSED,
        measure: Measure::Count,
    },
    Derivation {
        indicator: "ngo_aid.amount",
        rt: RecordType::Project,
        kinds: &["ngo_aid"],
        statuses: LICENSED,
        measure: Measure::Sum,
    },
    Derivation {
        indicator: "bulletins.issues",
        rt: RecordType::Publication,
        kinds: &["bulletin"],
        statuses: &[],
        measure: Measure::Sum,
    },
    Derivation {
        indicator: "training.courses",
        rt: RecordType::TrainingCourse,
        kinds: &[],
        statuses: &[],
        measure: Measure::Count,
    },
    Derivation {
        indicator: "training.trainees",
        rt: RecordType::TrainingCourse,
        kinds: &[],
        statuses: &[],
        measure: Measure::Sum,
    },
    // International conferences held with the permit (or held and
    // reported on); counted by the year they opened.
    Derivation {
        indicator: "conferences.held",
        rt: RecordType::ConferencePermit,
        kinds: &[],
        statuses: &["held", "reported"],
        measure: Measure::Count,
    },
    // Consular and citizen-protection cases opened in the year, whatever
    // their state: a count, no personal data.
    Derivation {
        indicator: "consular.cases",
        rt: RecordType::ConsularCase,
        kinds: &[],
        statuses: &[],
        measure: Measure::Count,
    },
    Derivation {
        indicator: "abtc.approved",
        rt: RecordType::AbtcApproval,
        kinds: &[],
        statuses: PERMITTED,
        measure: Measure::Count,
    },
];

/// The outcomes of conference permits counted in the breakdown by kind
/// (`conferences.by_kind`): a permit held (or reported on) was permitted
/// first; one permitted then cancelled counts as neither.
pub const PERMIT_OUTCOMES: &[(&str, &[&str])] = &[
    ("permitted", &["permitted", "held", "reported"]),
    ("refused", &["refused"]),
    ("held", &["held", "reported"]),
];

/// Stocks: FDI projects valid at the end of a year and their registered
/// capital ("đến năm 2020, có 131 dự án FDI còn hiệu lực"). A project is
/// valid from its licence until its period ends; completed or cancelled
/// projects are not.
pub const STOCK_INDICATORS: &[&str] = &["fdi.projects", "fdi.capital.registered"];
pub const STOCK_STATUSES: &[&str] = &["approved", "active", "suspended"];

/// The derivation of an indicator, if records give it.
pub fn derivation(indicator: &str) -> Option<&'static Derivation> {
    DERIVATIONS.iter().find(|d| d.indicator == indicator)
}

/// The derivations of one record type and kind (a group row of the store
/// feeds every indicator its kind belongs to).
pub fn for_kind(rt: RecordType, kind: Option<&str>) -> impl Iterator<Item = &'static Derivation> {
    let kind = kind.map(str::to_owned);
    DERIVATIONS.iter().filter(move |d| {
        d.rt == rt && (d.kinds.is_empty() || kind.as_deref().is_some_and(|k| d.kinds.contains(&k)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_derived_indicator_is_in_the_vocabulary() {
        let rd = ngoaivu_core::refdata::refdata();
        for d in DERIVATIONS {
            let ind = rd.indicators.iter().find(|i| i.code == d.indicator);
            assert!(ind.is_some(), "{} is not an indicator", d.indicator);
            // A money indicator is summed (per currency), never counted.
            // Counts may be either: records counted, or a number each
            // record carries summed (a bulletin's issues, a course's trainees).
            let money = ind.unwrap().units.iter().any(|u| u == "USD" || u == "VND");
            if money {
                assert_eq!(d.measure, Measure::Sum, "{}", d.indicator);
            }
        }
        for s in STOCK_INDICATORS {
            assert!(derivation(s).is_some());
        }
    }

    #[test]
    fn derivations_of_one_type_share_their_statuses() {
        for a in DERIVATIONS {
            for b in DERIVATIONS.iter().filter(|b| b.rt == a.rt) {
                assert_eq!(a.statuses, b.statuses, "{} / {}", a.indicator, b.indicator);
            }
        }
    }

    #[test]
    fn drafts_and_dossiers_waiting_for_a_decision_are_not_delegations_sent() {
        let sent = derivation("delegations.outbound").unwrap();
        for s in ["draft", "submitted", "rejected", "cancelled"] {
            assert!(!sent.statuses.contains(&s), "{s}");
        }
        for s in ["approved", "travelling", "returned", "reported"] {
            assert!(sent.statuses.contains(&s), "{s}");
        }
        // Every state of each direction's workflow is either counted or
        // named above as not counted.
        let machines = [
            ngoaivu_core::records::OUTBOUND_STATUSES,
            ngoaivu_core::records::INBOUND_STATUSES,
        ];
        for s in machines.iter().flat_map(|m| m.iter()) {
            assert!(
                sent.statuses.contains(s)
                    || ["draft", "submitted", "rejected", "cancelled"].contains(s),
                "{s} is neither counted nor excluded"
            );
        }
    }

    #[test]
    fn a_kind_feeds_its_indicators() {
        let fdi: Vec<_> = for_kind(RecordType::Project, Some("fdi"))
            .map(|d| d.indicator)
            .collect();
        assert_eq!(fdi, ["fdi.projects", "fdi.capital.registered"]);
        let abtc: Vec<_> = for_kind(RecordType::AbtcApproval, None)
            .map(|d| d.indicator)
            .collect();
        assert_eq!(abtc, ["abtc.approved"]);
        assert_eq!(
            for_kind(RecordType::Agreement, Some("draft-kind")).count(),
            0
        );
    }
}
