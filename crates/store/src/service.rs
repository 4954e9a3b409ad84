//! The record service: the one path from a caller to the backend. It decides
//! the caller's scope, applies the write policy, resolves organisations and
//! validates bodies; the backend then applies the scope in SQL.

use std::sync::Arc;

use ngoaivu_core::records::{self, Context, NATIONAL};
use ngoaivu_core::refdata::refdata;
use ngoaivu_core::workdays::{Calendar, Holiday};
use ngoaivu_core::workflow::{self, Settings};
use ngoaivu_core::{Actor, Denied, Invalid, OrgKind, Problem, RecordType};
use serde_json::Value;
use sha2::Digest;

use crate::{Backend, Indicator, ListQuery, Org, Page, Record, Result, StoreError};

#[derive(Clone)]
pub struct Service {
    /// Private: every caller goes through the service's methods, so that
    /// scope and write policy cannot be skipped by reaching past them.
    pub(crate) backend: Arc<dyn Backend>,
    /// Counts the record changes made through this service, so that caches
    /// of derived data (dashboard figures) know when they are stale.
    writes: Arc<std::sync::atomic::AtomicU64>,
    /// The legal periods deadlines are computed with (`ngoaivu.toml`).
    pub settings: Settings,
}

/// Today in Vietnam (UTC+7), the day deadlines and dated steps use.
pub fn today_in_vietnam() -> time::Date {
    (time::OffsetDateTime::now_utc() + time::Duration::hours(7)).date()
}

/// The validation context for records owned by `org`.
pub fn context_for<'a>(org: &Org, indicators: &'a [(String, Vec<String>)]) -> Context<'a> {
    match org.kind {
        OrgKind::Province => {
            let allowed = refdata().localities_of(&org.slug);
            Context {
                allowed_localities: Some(allowed),
                default_locality: Some(org.slug.clone()),
                indicators,
            }
        }
        _ => Context {
            allowed_localities: None,
            default_locality: Some(NATIONAL.into()),
            indicators,
        },
    }
}

impl Service {
    pub fn new(backend: Arc<dyn Backend>) -> Self {
        Service {
            backend,
            writes: Arc::default(),
            settings: Settings::default(),
        }
    }

    /// The same service with other legal periods.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The working-day calendar: `data/holidays.csv` merged with the days
    /// administrators added.
    pub async fn calendar(&self) -> Result<Calendar> {
        Ok(Calendar::with_extra(self.backend.list_holidays().await?))
    }

    /// Add a holiday (or a working Saturday) to the calendar; administrators only.
    pub async fn add_holiday(&self, actor: &Actor, day: &Holiday) -> Result<()> {
        if actor.role != ngoaivu_core::Role::Admin {
            return Err(StoreError::Forbidden(Denied::NotAdmin));
        }
        self.backend.add_holiday(actor, day).await
    }

    /// Move a record along its workflow to `to`, today.
    pub async fn transition(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        to: &str,
        note: Option<&str>,
    ) -> Result<Record> {
        self.transition_on(actor, rt, id, to, note, today_in_vietnam())
            .await
    }

    /// Move a record along its workflow to `to` on `today`: the record is
    /// read within the caller's scope, the step checked against the machine
    /// and the caller's role and organisation (`workflow::plan`), the status
    /// and dated fields written with an audit row `transition` (from, to,
    /// note), all in one transaction.
    pub async fn transition_on(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        to: &str,
        note: Option<&str>,
        today: time::Date,
    ) -> Result<Record> {
        self.transition_expecting(actor, rt, id, to, note, today, None)
            .await
    }

    /// [`Service::transition_on`] of the version `expect` (`Record::etag`)
    /// only: `StoreError::Stale` when the record has changed since.
    #[allow(clippy::too_many_arguments)]
    pub async fn transition_expecting(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        to: &str,
        note: Option<&str>,
        today: time::Date,
        expect: Option<&str>,
    ) -> Result<Record> {
        let input = workflow::StepInput {
            note,
            decision_number: None,
        };
        self.transition_with(actor, rt, id, to, input, today, expect)
            .await
    }

    /// [`Service::transition_expecting`] with the decision's number besides
    /// the note: an act on an agreement records both (`workflow::plan_with`).
    #[allow(clippy::too_many_arguments)]
    pub async fn transition_with(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        to: &str,
        input: workflow::StepInput<'_>,
        today: time::Date,
        expect: Option<&str>,
    ) -> Result<Record> {
        // A mission's scope reaches no record: the read answers 404, as for
        // any record out of reach.
        let note = input.note.map(str::trim).filter(|n| !n.is_empty());
        let decision_number = input
            .decision_number
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let mut errs = Invalid::default();
        if note.is_some_and(|n| n.chars().count() > 2000) {
            errs.push("note", Problem::TooLong { max: 2000 });
        }
        if decision_number.is_some_and(|n| n.chars().count() > 100) {
            errs.push("decision_number", Problem::TooLong { max: 100 });
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        let input = workflow::StepInput {
            note,
            decision_number,
        };
        let cal = self.calendar().await?;
        let indicators = self.indicator_units(rt).await?;
        let settings = self.settings;
        let change = |org: &Org, body: &Value| {
            let planned = workflow::plan_with(
                rt,
                org.id,
                body,
                to,
                actor,
                workflow::When {
                    today,
                    calendar: &cal,
                    settings: &settings,
                },
                input,
            )
            .map_err(|r| StoreError::Forbidden(Denied::Transition(r)))?;
            let ctx = context_for(org, &indicators);
            let (data, idx) =
                records::prepare(rt, &planned.body, &ctx).map_err(StoreError::Invalid)?;
            let mut step =
                serde_json::json!({"from": planned.from, "to": planned.to, "note": note});
            if let Some(n) = decision_number {
                step["decision_number"] = n.into();
            }
            Ok((data, idx, Some(step)))
        };
        self.changed(
            self.backend
                .transition_record(actor, &actor.scope_of(rt), rt, id, &change, expect)
                .await,
        )
    }

    /// The indicator vocabulary with its units, which only a reported
    /// figure (an observation) is checked against; other types skip the read
    /// (a hundred rows, on every create and edit).
    pub(crate) async fn indicator_units(
        &self,
        rt: RecordType,
    ) -> Result<Vec<(String, Vec<String>)>> {
        if rt != RecordType::Observation {
            return Ok(Vec::new());
        }
        Ok(self
            .backend
            .list_indicators()
            .await?
            .into_iter()
            .map(|i: Indicator| (i.code, i.units))
            .collect())
    }

    /// Which organisation a new record goes to: the caller's own for a
    /// province; the one named by `org` for the Ministry (a former unit's
    /// slug names the unit that absorbed it, and tags the record with it).
    async fn target_org(&self, actor: &Actor, rt: RecordType, body: &mut Value) -> Result<Org> {
        let named = body.as_object_mut().and_then(|o| o.remove("org"));
        let named = match named {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                return Err(StoreError::Invalid(Invalid::one(
                    "org",
                    Problem::WrongType { expected: "string" },
                )));
            }
        };
        match actor.org_kind {
            OrgKind::Province => {
                if let Some(slug) = &named {
                    if slug != &actor.org_slug
                        && refdata().successor(slug).map(|u| u.slug.as_str())
                            != Some(actor.org_slug.as_str())
                    {
                        return Err(StoreError::Forbidden(Denied::OtherOrg));
                    }
                    self.tag_former_unit(rt, slug, &actor.org_slug, body);
                }
                self.backend
                    .org_by_id(actor.org_id)
                    .await?
                    .ok_or(StoreError::NotFound)
            }
            OrgKind::Ministry => {
                // A Ministry user's records are the Ministry's own (it
                // writes no other organisation's: `Actor::may_write_org`);
                // the operator's loads name where each record belongs.
                let Some(slug) = named else {
                    if actor.is_system() {
                        return Err(StoreError::Invalid(Invalid::one("org", Problem::Required)));
                    }
                    return self
                        .backend
                        .org_by_id(actor.org_id)
                        .await?
                        .ok_or(StoreError::NotFound);
                };
                if let Some(org) = self.backend.org_by_slug(&slug).await? {
                    if org.kind == OrgKind::Mission {
                        return Err(StoreError::Forbidden(Denied::MissionRecords));
                    }
                    return Ok(org);
                }
                // A former unit: the record belongs to its successor today.
                if let Some(succ) = refdata().successor(&slug) {
                    let succ = succ.slug.clone();
                    self.tag_former_unit(rt, &slug, &succ, body);
                    return self
                        .backend
                        .org_by_slug(&succ)
                        .await?
                        .ok_or(StoreError::NotFound);
                }
                Err(StoreError::Invalid(Invalid::one(
                    "org",
                    Problem::UnknownUnit { value: slug },
                )))
            }
            OrgKind::Mission => Err(StoreError::Forbidden(Denied::MissionRecords)),
        }
    }

    /// Tag the record with the former unit it was filed under, for the types
    /// that keep a locality (partners and overseas contacts have none: they
    /// simply belong to the successor).
    fn tag_former_unit(&self, rt: RecordType, slug: &str, current: &str, body: &mut Value) {
        let has_locality = !matches!(rt, RecordType::Partner | RecordType::OverseasContact);
        if slug != current
            && has_locality
            && let Some(o) = body.as_object_mut()
        {
            o.entry("locality")
                .or_insert_with(|| Value::String(slug.to_owned()));
        }
    }

    /// The number of record changes made through this service so far.
    pub fn generation(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn changed<T>(&self, r: Result<T>) -> Result<T> {
        if r.is_ok() {
            self.writes
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
        r
    }

    pub async fn create(&self, actor: &Actor, rt: RecordType, mut body: Value) -> Result<Record> {
        if !body.is_object() {
            return Err(StoreError::Invalid(Invalid::one(
                "",
                Problem::WrongType { expected: "object" },
            )));
        }
        if actor.org_kind == OrgKind::Mission {
            return Err(StoreError::Forbidden(Denied::MissionRecords));
        }
        if !actor.role.can_write() {
            return Err(StoreError::Forbidden(Denied::ReadOnlyRole));
        }
        if matches!(actor.scope_of(rt), ngoaivu_core::Scope::Nothing) {
            return Err(StoreError::Forbidden(Denied::Restricted));
        }
        let org = self.target_org(actor, rt, &mut body).await?;
        actor.may_write_org(org.id).map_err(StoreError::Forbidden)?;
        let indicators = self.indicator_units(rt).await?;
        let ctx = context_for(&org, &indicators);
        let (mut data, mut idx) = records::prepare(rt, &body, &ctx).map_err(StoreError::Invalid)?;
        // The demo and `gen` enter history as their sources give it: a
        // decision date a report does not name is not invented for them.
        if !actor.is_system() {
            workflow::check_entry(rt, &data, actor.role).map_err(StoreError::Invalid)?;
        }
        // Deadlines a step would have set, for a record entered past the
        // step (the calendar is read only then).
        if workflow::Machine::of(rt, &data)
            .is_some_and(|m| data.get("status").and_then(Value::as_str) != Some(m.initial()))
        {
            let before = data.clone();
            workflow::fill_derived(rt, &mut data, &self.calendar().await?, &self.settings);
            if data != before {
                (data, idx) = records::prepare(rt, &data, &ctx).map_err(StoreError::Invalid)?;
            }
        }
        self.changed(self.backend.insert_record(actor, rt, &org, data, idx).await)
    }

    pub async fn get(&self, actor: &Actor, rt: RecordType, id: i64) -> Result<Record> {
        let rec = self.backend.get_record(&actor.scope_of(rt), rt, id).await?;
        self.audit_reads(actor, rt, std::slice::from_ref(&rec), "record")
            .await?;
        Ok(rec)
    }

    /// A restricted record read (`RecordType::restricted`) leaves an audit
    /// row `read` per record, naming who read it and how (`via`: the
    /// record, a list), before the caller sees it.
    pub(crate) async fn audit_reads(
        &self,
        actor: &Actor,
        rt: RecordType,
        recs: &[Record],
        via: &str,
    ) -> Result<()> {
        if !rt.restricted() || recs.is_empty() || actor.is_system() {
            return Ok(());
        }
        let read: Vec<(i64, i64)> = recs.iter().map(|r| (r.org_id, r.id)).collect();
        self.backend.audit_reads(actor, rt, &read, via).await
    }

    pub async fn update(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        patch: &Value,
    ) -> Result<Record> {
        self.update_expecting(actor, rt, id, patch, None).await
    }

    /// [`Service::update`] of the version `expect` (`Record::etag`) only:
    /// `StoreError::Stale` with the record as it is now when someone else
    /// changed it since `expect` was read.
    pub async fn update_expecting(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        patch: &Value,
        expect: Option<&str>,
    ) -> Result<Record> {
        if !patch.is_object() {
            return Err(StoreError::Invalid(Invalid::one(
                "",
                Problem::WrongType { expected: "object" },
            )));
        }
        if let Some(o) = patch.as_object()
            && o.contains_key("org")
        {
            return Err(StoreError::Invalid(Invalid::one(
                "org",
                Problem::Invalid {
                    vi: "Không thể chuyển bản ghi sang cơ quan khác.".into(),
                    en: "A record cannot be moved to another organisation.".into(),
                },
            )));
        }
        let indicators = self.indicator_units(rt).await?;
        let prepare = |org: &Org, body: &Value| {
            let ctx = context_for(org, &indicators);
            records::prepare(rt, body, &ctx)
        };
        self.changed(
            self.backend
                .update_record(actor, &actor.scope_of(rt), rt, id, patch, &prepare, expect)
                .await,
        )
    }

    pub async fn delete(&self, actor: &Actor, rt: RecordType, id: i64) -> Result<()> {
        self.delete_expecting(actor, rt, id, None).await
    }

    /// [`Service::delete`] of the version `expect` (`Record::etag`) only.
    pub async fn delete_expecting(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        expect: Option<&str>,
    ) -> Result<()> {
        self.changed(
            self.backend
                .delete_record(actor, &actor.scope_of(rt), rt, id, expect)
                .await,
        )
    }

    pub async fn list(&self, actor: &Actor, q: &ListQuery) -> Result<Page> {
        let page = self.backend.list_records(&actor.scope_of(q.rt), q).await?;
        self.audit_reads(actor, q.rt, &page.items, "list").await?;
        Ok(page)
    }

    /// Several independent lists at once (the search page's record types, the
    /// overview's counts): each runs on its own task, so the database
    /// answers them side by side; the pages come back in the queries' order.
    pub async fn list_each(&self, actor: &Actor, queries: Vec<ListQuery>) -> Result<Vec<Page>> {
        let tasks: Vec<_> = queries
            .into_iter()
            .map(|q| {
                let (svc, actor) = (self.clone(), actor.clone());
                tokio::spawn(async move { svc.list(&actor, &q).await })
            })
            .collect();
        let mut pages = Vec::with_capacity(tasks.len());
        for task in tasks {
            pages.push(task.await.map_err(|e| StoreError::Other(e.to_string()))??);
        }
        Ok(pages)
    }

    /// A page as JSON text (`[...]`) and the list's total: what the API sends.
    pub async fn list_json(&self, actor: &Actor, q: &ListQuery) -> Result<(String, i64)> {
        if q.rt.restricted() {
            // The page is read as records, so that each read is audited.
            let page = self.list(actor, q).await?;
            let items: Vec<Value> = page.items.iter().map(Record::to_json).collect();
            return Ok((Value::Array(items).to_string(), page.total));
        }
        self.backend
            .list_records_json(&actor.scope_of(q.rt), q)
            .await
    }

    /// Save a table of the table builder under a name for the caller's
    /// organisation. A table of that name is replaced only when `replacing`
    /// names the version the caller opened (`StoreError::StaleTable`
    /// otherwise, with the table as it is now). Any role may: a saved table
    /// is a view of figures, not a record.
    pub async fn save_table(
        &self,
        actor: &Actor,
        name: &str,
        spec: &str,
        replacing: crate::Replacing<'_>,
    ) -> Result<crate::SavedTable> {
        if actor.org_kind == OrgKind::Mission {
            return Err(StoreError::Forbidden(Denied::MissionRecords));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(StoreError::Invalid(Invalid::one(
                "name",
                Problem::Invalid {
                    vi: "Tên bảng phải có từ 1 đến 200 ký tự.".into(),
                    en: "The table's name must have 1 to 200 characters.".into(),
                },
            )));
        }
        self.backend
            .save_table(actor, actor.org_id, name, spec, replacing)
            .await
    }

    /// The caller's organisation's saved tables.
    pub async fn tables(&self, actor: &Actor) -> Result<Vec<crate::SavedTable>> {
        self.backend.list_tables(actor.org_id).await
    }

    pub async fn delete_table(&self, actor: &Actor, id: i64) -> Result<()> {
        self.backend.delete_table(actor, actor.org_id, id).await
    }

    /// Grouped counts and sums within the caller's reach (statistics).
    pub async fn aggregate(
        &self,
        actor: &Actor,
        q: &crate::AggQuery,
    ) -> Result<Vec<crate::AggRow>> {
        // Counts and sums hold no personal data: a restricted type's
        // figures (consular cases by kind and nationality) are counted in
        // the caller's read scope like any other.
        self.backend.aggregate(&actor.read_scope(), q).await
    }

    /// Aid projects' money within the caller's reach (statistics: the
    /// transaction figures).
    pub async fn funds(
        &self,
        actor: &Actor,
        q: &crate::FundsQuery,
    ) -> Result<Vec<crate::FundsRow>> {
        self.backend
            .funds(&actor.scope_of(RecordType::Project), q)
            .await
    }

    /// Reported figures within the caller's reach (statistics).
    pub async fn observations(
        &self,
        actor: &Actor,
        q: &crate::ObsQuery,
    ) -> Result<Vec<crate::ObsRow>> {
        self.backend.observations(&actor.read_scope(), q).await
    }

    pub async fn history(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
    ) -> Result<Vec<crate::AuditEntry>> {
        self.backend.history(&actor.scope_of(rt), rt, id).await
    }

    pub async fn links(&self, actor: &Actor, rt: RecordType, id: i64) -> Result<crate::Links> {
        self.backend.links(&actor.scope_of(rt), rt, id).await
    }

    /// Attach a file: checked by content and size (`core::attachments`).
    pub async fn attach(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        filename: &str,
        bytes: Vec<u8>,
        max_bytes: usize,
    ) -> Result<crate::AttachmentMeta> {
        let (filename, content_type) =
            ngoaivu_core::attachments::check_file(filename, &bytes, max_bytes)
                .map_err(StoreError::Invalid)?;
        let sha256 = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let file = crate::NewAttachment {
            filename,
            content_type: content_type.to_owned(),
            sha256,
            bytes,
        };
        self.backend
            .add_attachment(actor, &actor.scope_of(rt), rt, id, file)
            .await
    }

    pub async fn attachments(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
    ) -> Result<Vec<crate::AttachmentMeta>> {
        self.backend
            .list_attachments(&actor.scope_of(rt), rt, id)
            .await
    }

    pub async fn attachment(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        attachment: i64,
    ) -> Result<(crate::AttachmentMeta, Vec<u8>)> {
        self.backend
            .get_attachment(&actor.scope_of(rt), rt, id, attachment)
            .await
    }

    pub async fn detach(
        &self,
        actor: &Actor,
        rt: RecordType,
        id: i64,
        attachment: i64,
    ) -> Result<()> {
        self.backend
            .delete_attachment(actor, &actor.scope_of(rt), rt, id, attachment)
            .await
    }

    /// Submit a province's report: its files are kept as they are now and
    /// served so from then on, whatever later changes to the records (a
    /// report sent to the People's Committee and the Ministry does not
    /// change after). The province's approvers and administrators submit
    /// its own reports, once per kind and period.
    pub async fn submit_report(
        &self,
        actor: &Actor,
        report: crate::NewSubmittedReport,
    ) -> Result<crate::SubmittedReport> {
        if actor.org_kind != OrgKind::Province || actor.org_id != report.org_id {
            return Err(StoreError::Forbidden(Denied::OtherOrg));
        }
        if actor.role < ngoaivu_core::Role::Approver {
            return Err(StoreError::Forbidden(Denied::Transition(
                workflow::Refusal::NeedsApprover,
            )));
        }
        self.backend.add_submitted_report(actor, report).await
    }

    /// The submitted reports the caller may read: its province's, or every
    /// province's for the Ministry.
    pub async fn submitted_reports(&self, actor: &Actor) -> Result<Vec<crate::SubmittedReport>> {
        self.backend
            .list_submitted_reports(&actor.read_scope())
            .await
    }

    /// One file of a submitted report, as it was submitted.
    pub async fn submitted_report_file(
        &self,
        actor: &Actor,
        id: i64,
        format: &str,
    ) -> Result<(crate::SubmittedReport, Vec<u8>)> {
        self.backend
            .submitted_report_file(&actor.read_scope(), id, format)
            .await
    }

    /// Resolve an `org` filter slug to an id; an unknown slug is a field error.
    pub async fn org_filter(&self, slug: &str) -> Result<i64> {
        match self.backend.org_by_slug(slug).await? {
            Some(o) => Ok(o.id),
            None => Err(StoreError::Invalid(Invalid::one(
                "org",
                Problem::UnknownUnit {
                    value: slug.to_owned(),
                },
            ))),
        }
    }
}
