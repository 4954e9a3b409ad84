//! Aid money by the year it moved: the indicators an aid project's
//! transactions give (NGO aid mobilised, ODA disbursed, counterpart funds).
//! Unlike the other derived figures, these are not dated by the record (a
//! project approved in 2019 disburses in 2022) but by each transaction, so
//! they are read apart from the grouped counts (`load`) and summed here.
//! Pure: rows in, amounts out.

use ngoaivu_core::records::{AidTransaction, FundSource, TransactionKind, TransactionStage};
use ngoaivu_store::FundsRow;
use rust_decimal::Decimal;

/// Which transactions of which projects give an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct FundsDerivation {
    pub indicator: &'static str,
    /// The project kind (`ngo_aid`, `oda`).
    pub project_kind: &'static str,
    pub kind: TransactionKind,
    pub stage: TransactionStage,
    pub source: FundSource,
    /// Projects in these states give nothing (aid withdrawn or revoked is
    /// not aid mobilised).
    pub excluded: &'static [&'static str],
    /// A project that records no such transaction counts its committed
    /// value (`capital`) in the year of its record instead: most registers
    /// give the value of a pledge and nothing of its transactions.
    pub capital_otherwise: bool,
}

pub const FUNDS_DERIVATIONS: &[FundsDerivation] = &[
    // Foreign NGO aid mobilised (vận động được): the donors' commitments,
    // by the year each was made.
    FundsDerivation {
        indicator: "ngo_aid.mobilised",
        project_kind: "ngo_aid",
        kind: TransactionKind::Commitment,
        stage: TransactionStage::Actual,
        source: FundSource::Foreign,
        excluded: &["cancelled"],
        capital_otherwise: true,
    },
    // ODA disbursed (giải ngân): foreign funds paid out, by the year of
    // each payment, whatever became of the project since (the money moved).
    FundsDerivation {
        indicator: "oda.disbursed",
        project_kind: "oda",
        kind: TransactionKind::Disbursement,
        stage: TransactionStage::Actual,
        source: FundSource::Foreign,
        excluded: &[],
        capital_otherwise: false,
    },
    // Counterpart funds (vốn đối ứng) disbursed, kept apart from the
    // foreign funds.
    FundsDerivation {
        indicator: "oda.counterpart",
        project_kind: "oda",
        kind: TransactionKind::Disbursement,
        stage: TransactionStage::Actual,
        source: FundSource::Counterpart,
        excluded: &[],
        capital_otherwise: false,
    },
];

/// The project kinds the derivations read.
pub fn project_kinds() -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for d in FUNDS_DERIVATIONS {
        if !out.iter().any(|k| k == d.project_kind) {
            out.push(d.project_kind.to_owned());
        }
    }
    out
}

/// An amount of an indicator: whose (organisation and unit of the time as
/// the record has them), which year, which currency.
#[derive(Debug, Clone, PartialEq)]
pub struct FundsAmount {
    pub indicator: &'static str,
    pub org_id: i64,
    pub locality: Option<String>,
    pub year: i32,
    pub currency: String,
    pub amount: Decimal,
}

/// The transactions of a row: the current list and the earlier
/// `disbursements` of a body not written since (read as actual foreign
/// disbursements, as the record itself reads them). A list the database
/// holds but that does not read is skipped: the record's own check refused
/// it when it was written, so it is not one ngoaivu wrote.
pub fn transactions_of(row: &FundsRow) -> Vec<AidTransaction> {
    let mut out = Vec::new();
    for text in [&row.transactions, &row.legacy].into_iter().flatten() {
        if let Ok(list) = serde_json::from_str::<Vec<AidTransaction>>(text) {
            out.extend(list);
        }
    }
    out
}

/// Every amount the rows give, one per transaction (or committed value)
/// counted; the caller adds them into cells.
pub fn amounts(rows: &[FundsRow]) -> Vec<FundsAmount> {
    let mut out = Vec::new();
    for row in rows {
        let txs = transactions_of(row);
        let status = row.status.as_deref().unwrap_or("");
        for d in FUNDS_DERIVATIONS {
            if row.kind.as_deref() != Some(d.project_kind) || d.excluded.contains(&status) {
                continue;
            }
            let mut found = false;
            for t in &txs {
                if t.kind == d.kind && t.stage == d.stage && t.source == d.source {
                    found = true;
                    out.push(FundsAmount {
                        indicator: d.indicator,
                        org_id: row.org_id,
                        locality: row.locality.clone(),
                        year: t.on.0.year(),
                        currency: t.amount.currency.clone(),
                        amount: t.amount.amount.0,
                    });
                }
            }
            if !found
                && d.capital_otherwise
                && let (Some(year), Some(amount), Some(currency)) =
                    (row.year, row.amount, row.unit.clone())
            {
                out.push(FundsAmount {
                    indicator: d.indicator,
                    org_id: row.org_id,
                    locality: row.locality.clone(),
                    year,
                    currency,
                    amount,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(kind: &str, status: &str, txs: serde_json::Value) -> FundsRow {
        FundsRow {
            org_id: 7,
            locality: None,
            kind: Some(kind.into()),
            status: Some(status.into()),
            year: Some(2021),
            amount: Some(Decimal::from(500_000)),
            unit: Some("USD".into()),
            transactions: Some(txs.to_string()),
            legacy: None,
        }
    }

    fn summed(rows: &[FundsRow]) -> Vec<(&'static str, i32, String, Decimal)> {
        let mut out: Vec<(&'static str, i32, String, Decimal)> = vec![];
        for a in amounts(rows) {
            match out
                .iter_mut()
                .find(|o| o.0 == a.indicator && o.1 == a.year && o.2 == a.currency)
            {
                Some(o) => o.3 += a.amount,
                None => out.push((a.indicator, a.year, a.currency, a.amount)),
            }
        }
        out.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        out
    }

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn oda_is_counted_by_the_year_each_payment_was_made_and_counterpart_funds_apart() {
        let oda = row(
            "oda",
            "active",
            json!([
                {"kind": "commitment", "on": "2019-05-01", "amount": {"amount": "9000000", "currency": "USD"}},
                {"kind": "disbursement", "on": "2021-03-01", "amount": {"amount": "1000000", "currency": "USD"}},
                {"kind": "disbursement", "on": "2022-03-01", "amount": {"amount": "2500000", "currency": "USD"}},
                {"kind": "disbursement", "stage": "planned", "on": "2023-03-01", "amount": {"amount": "4000000", "currency": "USD"}},
                {"kind": "disbursement", "source": "counterpart", "on": "2022-06-01", "amount": {"amount": "12000000000", "currency": "VND"}},
                {"kind": "expenditure", "on": "2022-08-01", "amount": {"amount": "700000", "currency": "USD"}}
            ]),
        );
        assert_eq!(
            summed(&[oda]),
            [
                ("oda.counterpart", 2022, "VND".to_owned(), d(12_000_000_000)),
                ("oda.disbursed", 2021, "USD".to_owned(), d(1_000_000)),
                ("oda.disbursed", 2022, "USD".to_owned(), d(2_500_000)),
            ]
        );
    }

    #[test]
    fn ngo_aid_mobilised_is_its_commitments_or_else_its_committed_value() {
        let rows = [
            // Commitments recorded: they count, by their own years.
            row(
                "ngo_aid",
                "active",
                json!([
                    {"kind": "commitment", "on": "2020-11-20", "amount": {"amount": "120000", "currency": "USD"}},
                    {"kind": "commitment", "on": "2021-02-01", "amount": {"amount": "30000", "currency": "USD"}},
                    {"kind": "disbursement", "on": "2021-04-01", "amount": {"amount": "100000", "currency": "USD"}}
                ]),
            ),
            // None recorded: the committed value, in the record's year.
            row("ngo_aid", "approved", json!([])),
            // Withdrawn: nothing.
            row(
                "ngo_aid",
                "cancelled",
                json!([{"kind": "commitment", "on": "2021-01-05", "amount": {"amount": "80000", "currency": "USD"}}]),
            ),
        ];
        assert_eq!(
            summed(&rows),
            [
                ("ngo_aid.mobilised", 2020, "USD".to_owned(), d(120_000)),
                ("ngo_aid.mobilised", 2021, "USD".to_owned(), d(530_000)),
            ]
        );
    }

    #[test]
    fn earlier_disbursements_read_as_actual_foreign_disbursements() {
        let mut oda = row("oda", "completed", json!(null));
        oda.transactions = None;
        oda.legacy = Some(
            json!([{"on": "2018-09-09", "amount": {"amount": 250000, "currency": "USD"}}])
                .to_string(),
        );
        assert_eq!(
            summed(&[oda]),
            [("oda.disbursed", 2018, "USD".to_owned(), d(250_000))]
        );
        // An FDI project gives none of these.
        assert!(summed(&[row("fdi", "active", json!([]))]).is_empty());
    }

    #[test]
    fn every_funds_indicator_is_money_in_the_vocabulary() {
        let rd = ngoaivu_core::refdata::refdata();
        for d in FUNDS_DERIVATIONS {
            let ind = rd.indicators.iter().find(|i| i.code == d.indicator);
            let ind = ind.unwrap_or_else(|| panic!("{} is not an indicator", d.indicator));
            assert!(ind.units.iter().any(|u| u == "USD"), "{}", d.indicator);
            assert!(
                crate::derive::derivation(d.indicator).is_none(),
                "{} is derived twice",
                d.indicator
            );
        }
        assert_eq!(project_kinds(), ["ngo_aid", "oda"]);
    }
}
