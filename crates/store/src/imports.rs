//! What an import needs of the service: the organisation it writes into,
//! validation reusable over many rows, the records its rows are matched
//! against, the one all-or-nothing write, and saved column mappings. The
//! review itself (reading files, matching rows) is `ngoaivu-import`'s.

use ngoaivu_core::records::{self, Index};
use ngoaivu_core::workflow;
use ngoaivu_core::{Actor, Denied, Invalid, OrgKind, RecordType, Role};
use serde_json::Value;

use crate::service::context_for;
use crate::{BulkRecord, ImportUpdate, Org, Record, Result, SavedMapping, Service, StoreError};

/// Validation of bodies of one record type, with what it needs read once
/// (the indicator vocabulary), for the thousands of rows of a workbook.
pub struct Validator {
    rt: RecordType,
    indicators: Vec<(String, Vec<String>)>,
    /// The importing user's role: a row entered past a workflow's decision
    /// needs an approver, as a create does (`workflow::check_entry`).
    role: Role,
}

impl Validator {
    /// The normalised body and its index, as a create would store them.
    pub fn prepare(&self, org: &Org, body: &Value) -> std::result::Result<(Value, Index), Invalid> {
        let (data, idx) = records::prepare(self.rt, body, &context_for(org, &self.indicators))?;
        workflow::check_entry(self.rt, &data, self.role)?;
        Ok((data, idx))
    }
}

impl Service {
    /// The organisation an import by `actor` writes into: always the
    /// caller's own (a workbook never chooses it), after the write policy.
    pub async fn import_org(&self, actor: &Actor) -> Result<Org> {
        if actor.org_kind == OrgKind::Mission {
            return Err(StoreError::Forbidden(Denied::MissionRecords));
        }
        if !actor.role.can_write() {
            return Err(StoreError::Forbidden(Denied::ReadOnlyRole));
        }
        actor
            .may_write_org(actor.org_id)
            .map_err(StoreError::Forbidden)?;
        self.backend
            .org_by_id(actor.org_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn validator(&self, actor: &Actor, rt: RecordType) -> Result<Validator> {
        Ok(Validator {
            rt,
            role: actor.role,
            indicators: self.indicator_units(rt).await?,
        })
    }

    /// Every record of `rt` of the caller's own organisation, in id order.
    pub async fn own_records(&self, actor: &Actor, rt: RecordType) -> Result<Vec<Record>> {
        let recs = self
            .backend
            .org_records(&actor.scope_of(rt), actor.org_id, rt)
            .await?;
        self.audit_reads(actor, rt, &recs, "import").await?;
        Ok(recs)
    }

    /// The caller's own records of `rt` as (id, last change, body as JSON
    /// text), for an import's review to match rows against.
    pub async fn own_record_bodies(
        &self,
        actor: &Actor,
        rt: RecordType,
    ) -> Result<Vec<(i64, time::OffsetDateTime, String)>> {
        let bodies = self
            .backend
            .org_record_bodies(&actor.scope_of(rt), actor.org_id, rt)
            .await?;
        // A restricted type's bodies read to match an import's rows are
        // reads like any other: one audit row each.
        if rt.restricted() && !actor.is_system() && !bodies.is_empty() {
            let read: Vec<(i64, i64)> = bodies.iter().map(|(id, ..)| (actor.org_id, *id)).collect();
            self.backend.audit_reads(actor, rt, &read, "import").await?;
        }
        Ok(bodies)
    }

    /// Write a reviewed import into `org` (from `import_org`): all of it in
    /// one transaction, each record with its audit row, or nothing.
    pub async fn import_records(
        &self,
        actor: &Actor,
        org: &Org,
        creates: Vec<BulkRecord>,
        updates: Vec<ImportUpdate>,
    ) -> Result<Vec<i64>> {
        if org.id != actor.org_id || creates.iter().any(|c| c.org_id != org.id) {
            return Err(StoreError::Forbidden(Denied::OtherOrg));
        }
        let r = self
            .backend
            .import_records(actor, org, creates, updates)
            .await;
        self.changed(r)
    }

    /// Save a column mapping under a name for the caller's organisation.
    pub async fn save_mapping(
        &self,
        actor: &Actor,
        rt: RecordType,
        name: &str,
        spec: &str,
    ) -> Result<SavedMapping> {
        let org = self.import_org(actor).await?;
        let mut errs = Invalid::default();
        ngoaivu_core::values::check_len("name", name, 100, &mut errs);
        if name.trim().is_empty() {
            errs.push("name", ngoaivu_core::Problem::Required);
        }
        errs.into_result().map_err(StoreError::Invalid)?;
        self.backend
            .save_mapping(actor, org.id, rt, name.trim(), spec)
            .await
    }

    /// The caller's organisation's saved mappings for `rt`.
    pub async fn mappings(&self, actor: &Actor, rt: RecordType) -> Result<Vec<SavedMapping>> {
        self.backend.list_mappings(actor.org_id, rt).await
    }
}
