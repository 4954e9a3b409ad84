//! Data in and out through the record service, on SQLite and PostgreSQL:
//! a province's workbook reviewed (errors at their cells, nothing written),
//! fixed, imported all or nothing with its audit rows, imported again
//! (nothing new, changes listed); partners named in cells; a workbook that
//! names another province; the round trip of every record type (export
//! from one database, import into another with no mapping step, no loss);
//! IATI out and back in.

mod libreoffice;
mod roundtrip;
mod workbook;

use std::sync::Arc;

use ngoaivu_core::{Actor, Role};
use ngoaivu_store::{Backend, Service};

/// Run `body` on a fresh SQLite database and a fresh PostgreSQL one.
pub async fn on_both<F, Fut>(body: F)
where
    F: Fn(Service, Arc<dyn Backend>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for b in ngoaivu_store_tests::both().await {
        eprintln!("backend: {}", b.kind());
        body(Service::new(b.clone()), b).await;
    }
}

pub async fn editor(b: &Arc<dyn Backend>, org: &str, name: &str) -> Actor {
    ngoaivu_store_tests::actor(b, org, Role::Editor, name).await
}

/// An approver: records of past years, entered (or carried over) in states
/// past a decision, are an approver's to enter (`workflow::check_entry`).
pub async fn approver(b: &Arc<dyn Backend>, org: &str, name: &str) -> Actor {
    ngoaivu_store_tests::actor(b, org, Role::Approver, name).await
}

/// Audit rows of the records of `org`'s type whose action is `import`.
pub async fn import_audits(
    svc: &Service,
    actor: &Actor,
    rt: ngoaivu_core::RecordType,
) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for r in svc.own_records(actor, rt).await.unwrap() {
        for a in svc.history(actor, rt, r.id).await.unwrap() {
            if a.action == "import" {
                out.push(a.after.unwrap_or_default());
            }
        }
    }
    out
}
