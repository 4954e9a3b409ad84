//! THE isolation test: every (path, method) of the served OpenAPI document,
//! for every kind of caller, against a record of the caller's own province
//! and one of another province, checked against one rule.
//!
//! Organisations: `vinh-long` (province A), `dong-thap` (province B),
//! `bo-ngoai-giao` (the Ministry) and the mission `dsq-lao`. Callers: A's four
//! roles, the Ministry's four roles, a mission user, and nobody (no token).
//!
//! The rule, in short:
//! - no token: 401 on every route the document marks as authenticated;
//! - a province user reading (GET one, history, links) another province's
//!   record gets 404 with the very body a missing id gets; PATCH/DELETE of
//!   it: 404 too, whatever the role; a viewer's PATCH/DELETE/POST: 403;
//! - the Ministry reads everything (200) and its writers write everything;
//! - a mission user gets 404 for provincial records and empty lists;
//! - a list holds exactly the caller's visible records (checked against a
//!   ledger of every record this test created and deleted), with and without
//!   `q`, `year`, `country` and `org` filters.
//!
//! The province–mission channel (`/api/v1/requests…`, `/market-notes…`,
//! `/follows`, `/inbox`) has its own rule: a request of A's sent to the
//! caller mission `dsq-lao` is seen by A, by that mission and by the
//! Ministry; one of B's sent to `dsq-campuchia` by B and the Ministry only
//! (404 for everyone else). The Ministry reads every thread but writes in
//! none (403); viewers write nothing (403); only provinces' writers send,
//! only missions' writers publish notes, every signed-in user reads notes.
//!
//! Mismatches are collected and reported together at the end.

use std::collections::{BTreeSet, HashMap};

use ngoaivu_core::{RecordType, Role};
use serde_json::{Value, json};

use crate::common::*;

const A: &str = "vinh-long";
const B: &str = "dong-thap";
const MINISTRY: &str = "bo-ngoai-giao";
const MISSION: &str = "dsq-lao";
/// An id no test record has.
const MISSING_ID: i64 = 999_999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Province(Role),
    Ministry(Role),
    Mission,
    Anon,
}

struct Caller {
    who: Who,
    label: String,
    username: String,
    user_id: i64,
    token: Option<String>,
}

impl Caller {
    fn org(&self) -> Option<&'static str> {
        match self.who {
            Who::Province(_) => Some(A),
            Who::Ministry(_) => Some(MINISTRY),
            Who::Mission => Some(MISSION),
            Who::Anon => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    A,
    B,
}

impl Target {
    fn slug(self) -> &'static str {
        match self {
            Target::A => A,
            Target::B => B,
        }
    }
}

const TARGETS: [Target; 2] = [Target::A, Target::B];

// ---------------------------------------------------------------- bodies

/// The country every test record of `rt` names (ABTC economies must be APEC members).
fn country_of(rt: RecordType) -> &'static str {
    match rt {
        RecordType::AbtcApproval => "TH",
        _ => "LA",
    }
}

/// Whether records of `rt` made from [`template`] have year 2022.
fn has_year(rt: RecordType) -> bool {
    !matches!(
        rt,
        RecordType::Partner | RecordType::OverseasContact | RecordType::CatalogProject
    )
}

/// Whether `country=country_of(rt)` finds records of `rt` made from
/// [`template`].
fn has_country(rt: RecordType) -> bool {
    // Agreements have no country of their own: they are found by their
    // partners' country (`pcountry:` tags).
    !matches!(
        rt,
        RecordType::Observation | RecordType::Publication | RecordType::Plan
    )
}

/// A valid body of `rt`; every one holds the word "Mekong", year 2022 where
/// the type has a date, and the country of [`country_of`] where it has one.
fn template(rt: RecordType, n: u64, partner_id: i64) -> Value {
    match rt {
        RecordType::Partner => {
            json!({"name": format!("Đối tác Mekong {n}"), "kind": "foreign_locality", "country": "LA", "notes": "Hợp tác Mekong"})
        }
        RecordType::Agreement => json!({
            "title": format!("Thỏa thuận hợp tác Mekong {n}"), "kind": "agreement", "partner_ids": [partner_id],
            "signed_on": "2022-03-01", "valid_from": "2022-03-01", "valid_until": "2027-12-31", "status": "in_force"
        }),
        RecordType::Delegation => json!({
            "direction": "outbound", "purpose": format!("Đoàn công tác Mekong {n}"), "countries": ["LA"],
            "start_on": "2022-05-01", "end_on": "2022-05-05", "status": "done",
            "decision_number": "77/QĐ-UBND"
        }),
        RecordType::Project => json!({
            "kind": "fdi", "name": format!("Dự án Mekong {n}"), "country": "LA", "approved_on": "2022-06-01",
            "capital": {"amount": "1000000", "currency": "USD"}
        }),
        RecordType::Event => {
            json!({"kind": "trade_promotion", "title": format!("Hội chợ Mekong {n}"), "start_on": "2022-07-01", "country": "LA"})
        }
        RecordType::AbtcApproval => json!({
            "person_name": "Nguyễn Văn Mekong", "enterprise": format!("Công ty Mekong {n}"), "economies": ["TH"],
            "decision_on": "2022-08-01", "decision_number": "123/QĐ-UBND", "status": "approved"
        }),
        RecordType::OverseasContact => {
            json!({"kind": "association", "name": format!("Hội người Việt Mekong {n}"), "country": "LA", "city": "Viêng Chăn"})
        }
        RecordType::Observation => json!({
            "indicator": "trade.export", "period": {"year": 2022}, "value": "793000000", "unit": "USD", "change_pct": "37.91",
            "note": format!("Mekong {n}")
        }),
        RecordType::CatalogProject => json!({
            "translations": {"vi": {"name": format!("Khu chế biến nông sản Mekong {n}")}, "en": {"name": format!("Mekong agro-processing zone {n}")}},
            "sector": "agriculture", "countries_of_interest": ["LA"], "status": "published",
            "capital": {"amount": "25000000", "currency": "USD"}, "area_ha": "12.5"
        }),
        RecordType::Publication => json!({
            "title": format!("Bản tin Mekong {n}"), "kind": "bulletin", "year": 2022, "issues": 12,
            "languages": ["vi", "lo"]
        }),
        RecordType::NgoRegistration => json!({
            "name": format!("Tổ chức Mekong {n}"), "country": "LA", "kind": "operation",
            "number": format!("{n}/BNG-ĐK"), "issued_on": "2022-03-01", "valid_until": "2027-02-28",
            "sectors": ["health"]
        }),
        RecordType::ConferencePermit => json!({
            "title": format!("Hội thảo Mekong {n}"), "kind": "seminar", "organiser": "Sở Ngoại vụ",
            "start_on": "2022-10-01", "received_on": "2022-08-20", "countries": ["LA"]
        }),
        // Every caller here holds the consular grant (see `setup`), so the
        // cases follow the province rule; `consular.rs` tests the grant.
        RecordType::ConsularCase => json!({
            "kind": "foreigner_incident", "incident": format!("Vụ việc Mekong {n}"),
            "person": {"name": "Khamla Mekong", "consent": true}, "nationality": "LA",
            "opened_on": "2022-04-01"
        }),
        RecordType::Plan => json!({
            "kind": "yearly_plan", "title": format!("Kế hoạch đối ngoại Mekong {n}"), "year": 2022,
            "tasks": [{"title": "Đón đoàn Mekong", "status": "in_progress"}]
        }),
        // Found by its Lao partner's country, as agreements are.
        RecordType::TrainingCourse => json!({
            "topic": format!("Bồi dưỡng đối ngoại Mekong {n}"), "kind": "foreign_affairs",
            "start_on": "2022-09-01", "trainee_count": 30, "partner_ids": [partner_id]
        }),
    }
}

/// A valid change that keeps the record matching every filter.
fn harmless_patch(rt: RecordType, n: u64) -> Value {
    match rt {
        RecordType::Delegation => json!({"outcome": format!("Kết quả tốt {n}")}),
        RecordType::Observation => json!({"note": format!("Mekong, đã sửa {n}")}),
        _ => json!({"notes": format!("Đã sửa {n}")}),
    }
}

// ---------------------------------------------------------------- the rule

fn is_writer(r: Role) -> bool {
    r.can_write()
}

/// GET one, history, links (`write` false); PATCH, DELETE (`write` true).
fn expect_item(who: Who, target: Target, write: bool, ok: u16) -> u16 {
    match who {
        Who::Anon => 401,
        Who::Mission => 404,
        Who::Province(_) if target == Target::B => 404,
        // The Ministry reads every province's records and writes none.
        Who::Ministry(_) if write => 403,
        Who::Province(r) | Who::Ministry(r) => {
            if write && !is_writer(r) {
                403
            } else {
                ok
            }
        }
    }
}

/// POST on a collection with `"org": target`.
fn expect_create(who: Who, target: Target) -> u16 {
    match who {
        Who::Anon => 401,
        Who::Mission => 403,
        Who::Province(r) if !is_writer(r) => 403,
        Who::Province(_) => {
            if target == Target::A {
                201
            } else {
                403
            }
        }
        // A province's records are the province's: the Ministry creates
        // none there, whatever its role.
        Who::Ministry(_) => 403,
    }
}

/// PATCH /api/v1/orgs/{slug}.
fn expect_org_patch(who: Who, target: Target) -> u16 {
    match who {
        Who::Anon => 401,
        Who::Mission => 404,
        Who::Province(_) if target == Target::B => 404,
        Who::Province(r) | Who::Ministry(r) => {
            if r == Role::Admin {
                200
            } else {
                403
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Healthz,
    OpenApi,
    Sessions,
    SessionCurrent,
    Me,
    Orgs,
    Org,
    Indicators,
    Countries,
    Units,
    Collection(RecordType),
    Item(RecordType),
    History(RecordType),
    Links(RecordType),
    Attachments(RecordType),
    Attachment(RecordType),
    Transitions(RecordType),
    /// A catalog project's suggestions: read like the record itself.
    Suggestions(RecordType),
    Channel(Ch),
    /// Data in and out (`transfer_api.rs`).
    Template(RecordType),
    Imports(RecordType),
    ImportMappings(RecordType),
    Iati,
}

/// The channel's routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ch {
    Requests,
    Request,
    Messages,
    RequestHistory,
    Suggestions,
    RequestFiles,
    RequestFile,
    Notes,
    Note,
    NoteFiles,
    NoteFile,
    Follows,
    Inbox,
}

/// A small valid PDF-looking file for attachment checks.
const PDF: &[u8] = b"%PDF-1.4\n% ngoaivu isolation test\n%%EOF\n";

fn classify(path: &str) -> Option<Route> {
    Some(match path {
        "/healthz" | "/readyz" => Route::Healthz,
        "/api/v1/openapi.json" => Route::OpenApi,
        "/api/v1/sessions" => Route::Sessions,
        "/api/v1/sessions/current" => Route::SessionCurrent,
        "/api/v1/me" => Route::Me,
        "/api/v1/orgs" => Route::Orgs,
        "/api/v1/orgs/{slug}" => Route::Org,
        "/api/v1/indicators" => Route::Indicators,
        "/api/v1/countries" => Route::Countries,
        "/api/v1/units" => Route::Units,
        "/api/v1/requests" => Route::Channel(Ch::Requests),
        "/api/v1/requests/{id}" => Route::Channel(Ch::Request),
        "/api/v1/requests/{id}/messages" => Route::Channel(Ch::Messages),
        "/api/v1/requests/{id}/history" => Route::Channel(Ch::RequestHistory),
        "/api/v1/requests/{id}/suggestions" => Route::Channel(Ch::Suggestions),
        "/api/v1/requests/{id}/attachments" => Route::Channel(Ch::RequestFiles),
        "/api/v1/requests/{id}/attachments/{attachment}" => Route::Channel(Ch::RequestFile),
        "/api/v1/market-notes" => Route::Channel(Ch::Notes),
        "/api/v1/market-notes/{id}" => Route::Channel(Ch::Note),
        "/api/v1/market-notes/{id}/attachments" => Route::Channel(Ch::NoteFiles),
        "/api/v1/market-notes/{id}/attachments/{attachment}" => Route::Channel(Ch::NoteFile),
        "/api/v1/follows" => Route::Channel(Ch::Follows),
        "/api/v1/inbox" => Route::Channel(Ch::Inbox),
        "/api/v1/projects/iati" => Route::Iati,
        _ => {
            let rest = path.strip_prefix("/api/v1/")?;
            let parts: Vec<&str> = rest.split('/').collect();
            let rt = RecordType::from_path(parts[0])?;
            match parts[1..] {
                [] => Route::Collection(rt),
                ["{id}"] => Route::Item(rt),
                ["{id}", "history"] => Route::History(rt),
                ["{id}", "links"] => Route::Links(rt),
                ["{id}", "transitions"] => Route::Transitions(rt),
                ["{id}", "suggestions"] => Route::Suggestions(rt),
                ["{id}", "attachments"] => Route::Attachments(rt),
                ["{id}", "attachments", "{attachment}"] => Route::Attachment(rt),
                ["template"] => Route::Template(rt),
                ["imports"] => Route::Imports(rt),
                ["import-mappings"] => Route::ImportMappings(rt),
                _ => return None,
            }
        }
    })
}

// ---------------------------------------------------------------- the world

struct World {
    app: TestApp,
    callers: Vec<Caller>,
    /// Editors' tokens, to make records in each province.
    editor: HashMap<Target, String>,
    /// A Ministry admin's token, to look behind the callers.
    ministry: String,
    /// The records seeded by A's and B's editors.
    seed: HashMap<(Target, RecordType), i64>,
    /// An attachment seeded on each seeded record.
    att: HashMap<(Target, RecordType), i64>,
    /// The seeded partner each province's agreements name.
    partner: HashMap<Target, i64>,
    /// Every record this test created and has not deleted, by owner.
    ledger: HashMap<(String, RecordType), BTreeSet<i64>>,
    n: u64,
    checks: usize,
    requests_before: usize,
    failures: Vec<String>,
    /// The channel's seeds: a request per target (A → dsq-lao, B →
    /// dsq-campuchia), a note per target's mission, a file on each.
    ch_request: HashMap<Target, i64>,
    ch_request_file: HashMap<Target, i64>,
    ch_note: HashMap<Target, i64>,
    ch_note_file: HashMap<Target, i64>,
    /// Every request this test sent, with the province that sent it.
    ch_ledger: Vec<(i64, Target)>,
}

impl World {
    fn next(&mut self) -> u64 {
        self.n += 1;
        self.n
    }

    fn check(&mut self, ok: bool, msg: impl FnOnce() -> String) {
        self.checks += 1;
        if !ok {
            let m = msg();
            eprintln!("[{}] MISMATCH {m}", self.app.db.name());
            self.failures.push(m);
        }
    }

    /// Check a status against the rule.
    fn status(&mut self, ctx: &str, r: &Resp, want: u16) {
        let hint = if (r.status == 404 || r.status == 405) && want != 404 && want != 405 {
            " — the document lists this route but the router does not serve it (doc and router disagree)"
        } else {
            ""
        };
        self.check(r.status == want, || {
            format!("{ctx}: expected {want}, got {} {}{hint}", r.status, r.json)
        });
    }

    fn ledger_add(&mut self, org: &str, rt: RecordType, id: i64) {
        self.ledger
            .entry((org.to_owned(), rt))
            .or_default()
            .insert(id);
    }

    fn ledger_of(&self, org: &str, rt: RecordType) -> BTreeSet<i64> {
        self.ledger
            .get(&(org.to_owned(), rt))
            .cloned()
            .unwrap_or_default()
    }

    /// A new record of `rt` in `target`, made by its editor.
    async fn create(&mut self, target: Target, rt: RecordType) -> i64 {
        let n = self.next();
        let partner = self.partner.get(&target).copied().unwrap_or(0);
        let token = self.editor[&target].clone();
        let r = self
            .app
            .post(
                &format!("/api/v1/{}", rt.path()),
                Some(&token),
                &template(rt, n, partner),
            )
            .await;
        r.expect(
            201,
            &format!(
                "[{}] seed {} in {}",
                self.app.db.name(),
                rt.path(),
                target.slug()
            ),
        );
        let id = r.id();
        self.ledger_add(target.slug(), rt, id);
        id
    }

    async fn setup(app: TestApp) -> World {
        let mut callers = Vec::new();
        let mut editor = HashMap::new();
        let mut ministry = String::new();
        for role in Role::ALL {
            let name = format!("vl-{}", role.as_str());
            let (u, t) = app.user(A, &name, role).await;
            callers.push(Caller {
                who: Who::Province(role),
                label: format!("A {}", role.as_str()),
                username: name,
                user_id: u.id,
                token: Some(t.clone()),
            });
            // The records are seeded by the approver: most are entered in
            // states past a decision, which an editor may not enter.
            if role == Role::Approver {
                editor.insert(Target::A, t);
            }
        }
        for role in Role::ALL {
            let name = format!("bng-{}", role.as_str());
            let (u, t) = app.user(MINISTRY, &name, role).await;
            callers.push(Caller {
                who: Who::Ministry(role),
                label: format!("Ministry {}", role.as_str()),
                username: name,
                user_id: u.id,
                token: Some(t.clone()),
            });
            if role == Role::Admin {
                ministry = t;
            }
        }
        // B's users exist (all four roles) but only its approver acts here.
        for role in Role::ALL {
            let name = format!("dt-{}", role.as_str());
            let u = app.add_user(B, &name, role).await;
            if role == Role::Approver {
                let t = app.login(&name, PASSWORD).await;
                editor.insert(Target::B, t);
            }
            let _ = u;
        }
        // A mission user with an editor's role: still no provincial records.
        let (u, t) = app.user(MISSION, "lao-editor", Role::Editor).await;
        callers.push(Caller {
            who: Who::Mission,
            label: "mission editor".into(),
            username: "lao-editor".into(),
            user_id: u.id,
            token: Some(t),
        });
        callers.push(Caller {
            who: Who::Anon,
            label: "anonymous".into(),
            username: String::new(),
            user_id: 0,
            token: None,
        });

        // Everyone here may read consular cases, so that they follow the
        // province rule like any record (`consular.rs` tests the grant).
        let mut names: Vec<String> = callers.iter().map(|c| c.username.clone()).collect();
        names.extend(Role::ALL.iter().map(|r| format!("dt-{}", r.as_str())));
        for name in names.iter().filter(|n| !n.is_empty()) {
            app.backend
                .set_consular(&ngoaivu_core::Actor::system(), name, true)
                .await
                .expect("grant consular work");
        }
        let mut w = World {
            app,
            callers,
            editor,
            ministry,
            seed: HashMap::new(),
            att: HashMap::new(),
            partner: HashMap::new(),
            ledger: HashMap::new(),
            n: 0,
            checks: 0,
            requests_before: 0,
            failures: Vec::new(),
            ch_request: HashMap::new(),
            ch_request_file: HashMap::new(),
            ch_note: HashMap::new(),
            ch_note_file: HashMap::new(),
            ch_ledger: Vec::new(),
        };
        for target in TARGETS {
            let p = w.create(target, RecordType::Partner).await;
            w.partner.insert(target, p);
            w.seed.insert((target, RecordType::Partner), p);
            for rt in RecordType::ALL
                .into_iter()
                .filter(|rt| *rt != RecordType::Partner)
            {
                let id = w.create(target, rt).await;
                w.seed.insert((target, rt), id);
            }
            for rt in RecordType::ALL {
                let token = w.editor[&target].clone();
                let id = w.seed[&(target, rt)];
                let r = w.upload(rt, id, &token).await;
                r.expect(201, "seed attachment");
                w.att.insert((target, rt), r.id());
            }
            w.seed_transfer(target).await;
        }
        w
    }

    async fn upload(&self, rt: RecordType, id: i64, token: &str) -> Resp {
        let uri = format!(
            "/api/v1/{}/{id}/attachments?filename=bi%C3%AAn%20b%E1%BA%A3n.pdf",
            rt.path()
        );
        self.app
            .raw(
                "POST",
                &uri,
                Some(token),
                &[("content-type", "application/pdf")],
                Some(PDF.to_vec()),
            )
            .await
    }

    async fn attachment_count(&self, rt: RecordType, id: i64) -> i64 {
        self.app
            .get(
                &format!("/api/v1/{}/{id}/attachments", rt.path()),
                Some(&self.ministry),
            )
            .await
            .total()
    }

    async fn check_upload(&mut self, ci: usize, path: &str, rt: RecordType, target: Target) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let id = self.seed[&(target, rt)];
        let ctx = format!(
            "POST {} ({}'s) as {}",
            path.replace("{id}", &id.to_string()),
            target.slug(),
            self.callers[ci].label
        );
        let before = self.attachment_count(rt, id).await;
        let uri = format!(
            "{}?filename=t%E1%BB%87p.pdf",
            path.replace("{id}", &id.to_string())
        );
        let r = self
            .app
            .raw(
                "POST",
                &uri,
                token.as_deref(),
                &[("content-type", "application/pdf")],
                Some(PDF.to_vec()),
            )
            .await;
        self.status(&ctx, &r, expect_item(who, target, true, 201));
        let after = self.attachment_count(rt, id).await;
        let grew = if r.status == 201 { 1 } else { 0 };
        self.check(after == before + grew, || {
            format!(
                "{ctx}: {} attachments before, {after} after, answer {}",
                before, r.status
            )
        });
        if r.status == 404 {
            let missing_uri = format!(
                "{}?filename=t%E1%BB%87p.pdf",
                path.replace("{id}", &MISSING_ID.to_string())
            );
            let missing = self
                .app
                .raw(
                    "POST",
                    &missing_uri,
                    token.as_deref(),
                    &[("content-type", "application/pdf")],
                    Some(PDF.to_vec()),
                )
                .await;
            self.check(missing.status == 404 && missing.json == r.json, || {
                format!(
                    "{ctx}: the 404 body {} differs from a missing record's {}",
                    r.json, missing.json
                )
            });
        }
    }

    async fn check_download(&mut self, ci: usize, path: &str, rt: RecordType, target: Target) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let id = self.seed[&(target, rt)];
        let att = self.att[&(target, rt)];
        let uri = path
            .replace("{id}", &id.to_string())
            .replace("{attachment}", &att.to_string());
        let ctx = format!(
            "GET {uri} ({}'s) as {}",
            target.slug(),
            self.callers[ci].label
        );
        let r = self.app.get(&uri, token.as_deref()).await;
        self.status(&ctx, &r, expect_item(who, target, false, 200));
        if r.status == 200 {
            let cd = r.header("content-disposition").unwrap_or("").to_owned();
            self.check(
                r.body == PDF
                    && cd.starts_with("attachment;")
                    && cd.contains("filename*=UTF-8''bi%C3%AAn"),
                || format!("{ctx}: {cd}"),
            );
        }
        if r.status == 404 {
            let missing = self
                .app
                .get(
                    &path
                        .replace("{id}", &id.to_string())
                        .replace("{attachment}", &MISSING_ID.to_string()),
                    Some(&self.ministry),
                )
                .await;
            self.check(missing.status == 404 && missing.json == r.json, || {
                format!(
                    "{ctx}: the 404 body {} differs from a missing one's {}",
                    r.json, missing.json
                )
            });
        }
    }

    async fn check_detach(&mut self, ci: usize, path: &str, rt: RecordType, target: Target) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let id = self.seed[&(target, rt)];
        let editor = self.editor[&target].clone();
        let fresh = self.upload(rt, id, &editor).await;
        fresh.expect(201, "fresh attachment");
        let uri = path
            .replace("{id}", &id.to_string())
            .replace("{attachment}", &fresh.id().to_string());
        let ctx = format!(
            "DELETE {uri} ({}'s, fresh) as {}",
            target.slug(),
            self.callers[ci].label
        );
        let r = self.app.delete(&uri, token.as_deref()).await;
        self.status(&ctx, &r, expect_item(who, target, true, 204));
        let after = self.app.get(&uri, Some(&self.ministry)).await;
        let want_after = if r.status == 204 { 404 } else { 200 };
        self.check(after.status == want_after, || {
            format!(
                "{ctx}: answered {} but the attachment answers {}",
                r.status, after.status
            )
        });
    }

    /// The body of the same request on an id nobody has: what a 404 must look like.
    async fn compare_with_missing(
        &mut self,
        ctx: &str,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        got: &Resp,
    ) {
        let missing = self
            .app
            .call(
                method,
                &path.replace("{id}", &MISSING_ID.to_string()),
                token,
                body,
            )
            .await;
        self.check(
            missing.status == 404 && got.json == missing.json && got.error() == "not_found",
            || {
                format!(
                    "{ctx}: the 404 body {} differs from a missing record's {} {}",
                    got.json, missing.status, missing.json
                )
            },
        );
        self.check(
            got.header("content-type") == missing.header("content-type"),
            || {
                format!(
                    "{ctx}: content-type {:?} differs from a missing record's {:?}",
                    got.header("content-type"),
                    missing.header("content-type")
                )
            },
        );
    }

    async fn ministry_view(&self, rt: RecordType, id: i64) -> Resp {
        self.app
            .get(&format!("/api/v1/{}/{id}", rt.path()), Some(&self.ministry))
            .await
    }

    // ------------------------------------------------------------ one operation

    async fn check_op(&mut self, path: &str, method: &str, op: &Value) {
        let public = op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|a| a.is_empty());
        let Some(route) = classify(path) else {
            self.check(false, || format!("{method} {path}: no rule for this documented path; add one to tests/it/isolation.rs"));
            return;
        };
        let expect_public = matches!(route, Route::Healthz | Route::OpenApi | Route::Sessions);
        self.check(public == expect_public, || format!("{method} {path}: the document marks it public={public}, the rule expects {expect_public}"));
        let method_up = method.to_ascii_uppercase();
        let known = matches!(
            (route, method),
            (
                Route::Healthz
                    | Route::OpenApi
                    | Route::Me
                    | Route::Orgs
                    | Route::Countries
                    | Route::Units
                    | Route::History(_)
                    | Route::Links(_)
                    | Route::Suggestions(_)
                    | Route::Channel(
                        Ch::Request
                            | Ch::RequestHistory
                            | Ch::Suggestions
                            | Ch::RequestFile
                            | Ch::Note
                            | Ch::NoteFile
                            | Ch::Inbox
                    )
                    | Route::Template(_),
                "get"
            ) | (
                Route::Sessions
                    | Route::Channel(Ch::Messages)
                    | Route::Transitions(_)
                    | Route::Imports(_),
                "post"
            ) | (Route::SessionCurrent, "delete")
                | (Route::Org, "patch")
                | (
                    Route::Indicators
                        | Route::Collection(_)
                        | Route::Attachments(_)
                        | Route::Channel(
                            Ch::Requests | Ch::Notes | Ch::RequestFiles | Ch::NoteFiles
                        )
                        | Route::ImportMappings(_)
                        | Route::Iati,
                    "get" | "post"
                )
                | (Route::Item(_), "get" | "patch" | "delete")
                | (Route::Attachment(_), "get" | "delete")
                | (Route::Channel(Ch::Follows), "get" | "put")
        );
        if !known {
            self.check(false, || format!("{method_up} {path}: no rule for this documented method; add one to tests/it/isolation.rs"));
            return;
        }
        for ci in 0..self.callers.len() {
            match route {
                Route::Collection(rt) if method == "get" => self.check_list(ci, rt).await,
                Route::Collection(rt) => {
                    for t in TARGETS {
                        self.check_create(ci, rt, t).await;
                    }
                }
                Route::Item(rt)
                | Route::History(rt)
                | Route::Links(rt)
                | Route::Suggestions(rt) => {
                    for t in TARGETS {
                        match method {
                            "get" => self.check_read(ci, route, path, rt, t).await,
                            "patch" => self.check_patch(ci, path, rt, t).await,
                            _ => self.check_delete(ci, path, rt, t).await,
                        }
                    }
                }
                Route::Attachments(rt) => {
                    for t in TARGETS {
                        if method == "get" {
                            self.check_read(ci, route, path, rt, t).await;
                        } else {
                            self.check_upload(ci, path, rt, t).await;
                        }
                    }
                }
                Route::Attachment(rt) => {
                    for t in TARGETS {
                        if method == "get" {
                            self.check_download(ci, path, rt, t).await;
                        } else {
                            self.check_detach(ci, path, rt, t).await;
                        }
                    }
                }
                Route::Transitions(rt) => {
                    for t in TARGETS {
                        self.check_transition(ci, path, rt, t).await;
                    }
                }
                Route::Org => {
                    for t in TARGETS {
                        self.check_org_patch(ci, path, t).await;
                    }
                }
                Route::Channel(ch) => self.check_channel(ci, ch, path, method).await,
                Route::Template(rt) => self.check_template(ci, rt).await,
                Route::Imports(rt) => self.check_import(ci, rt).await,
                Route::ImportMappings(rt) => self.check_mappings(ci, rt, method).await,
                Route::Iati => self.check_iati(ci, method).await,
                Route::Sessions => self.check_login(ci).await,
                Route::SessionCurrent => self.check_logout(ci).await,
                Route::Indicators if method == "post" => self.check_add_indicator(ci).await,
                _ => self.check_simple_get(ci, route, path, public).await,
            }
        }
    }

    async fn check_simple_get(&mut self, ci: usize, route: Route, path: &str, public: bool) {
        let token = self.callers[ci].token.clone();
        let label = self.callers[ci].label.clone();
        let r = self.app.get(path, token.as_deref()).await;
        let ctx = format!("GET {path} as {label}");
        let want = if token.is_none() && !public { 401 } else { 200 };
        self.status(&ctx, &r, want);
        if r.status != 200 {
            if want == 401 {
                self.check(r.error() == "unauthorized", || {
                    format!("{ctx}: error {:?}, expected unauthorized", r.error())
                });
            }
            return;
        }
        match route {
            Route::Me => {
                let org = self.callers[ci].org();
                let username = self.callers[ci].username.clone();
                self.check(
                    r.json["org"]["slug"].as_str() == org
                        && r.json["username"] == username.as_str(),
                    || format!("{ctx}: {} is not {username} of {org:?}", r.json),
                );
            }
            Route::Orgs => {
                let slugs: BTreeSet<String> = r
                    .items()
                    .iter()
                    .filter_map(|o| o["slug"].as_str().map(str::to_owned))
                    .collect();
                self.check(
                    [A, B, MINISTRY, MISSION].iter().all(|s| slugs.contains(*s)),
                    || format!("{ctx}: organisations {slugs:?}"),
                );
            }
            Route::Indicators | Route::Countries | Route::Units => {
                self.check(r.total() > 0 && r.items().len() as i64 == r.total(), || {
                    format!("{ctx}: {} items, total {}", r.items().len(), r.total())
                });
            }
            Route::OpenApi => self.check(r.json["paths"].is_object(), || {
                format!("{ctx}: not an OpenAPI document")
            }),
            Route::Healthz => self.check(
                r.json["status"] == "ok" || r.json["status"] == "ready",
                || format!("{ctx}: {}", r.json),
            ),
            _ => {}
        }
    }

    async fn check_login(&mut self, ci: usize) {
        // With a token, the caller signs in again as themselves; without, as A's viewer.
        let (username, token) = match &self.callers[ci].token {
            Some(t) => (self.callers[ci].username.clone(), Some(t.clone())),
            None => ("vl-viewer".to_owned(), None),
        };
        let ctx = format!("POST /api/v1/sessions as {}", self.callers[ci].label);
        let r = self
            .app
            .post(
                "/api/v1/sessions",
                token.as_deref(),
                &json!({"username": username, "password": PASSWORD}),
            )
            .await;
        self.status(&ctx, &r, 201);
        if r.status == 201 {
            self.check(
                r.json["token"].as_str().is_some_and(|t| t.len() >= 40)
                    && r.json["user"]["username"] == username.as_str(),
                || format!("{ctx}: {}", r.json),
            );
        }
        // A different unknown name each time, so that the login throttle stays out of the way.
        let nobody = format!("nobody-{}", self.next());
        let bad = self
            .app
            .post(
                "/api/v1/sessions",
                token.as_deref(),
                &json!({"username": nobody, "password": "wrong password"}),
            )
            .await;
        self.status(&format!("{ctx} (unknown user)"), &bad, 401);
        self.check(bad.error() == "invalid_credentials", || {
            format!("{ctx} (unknown user): {}", bad.json)
        });
    }

    async fn check_logout(&mut self, ci: usize) {
        let label = self.callers[ci].label.clone();
        let ctx = format!("DELETE /api/v1/sessions/current as {label}");
        let Some(main) = self.callers[ci].token.clone() else {
            let r = self.app.delete("/api/v1/sessions/current", None).await;
            self.status(&ctx, &r, 401);
            return;
        };
        // End a second session, so that the caller's own token lives on.
        let extra = self.app.extra_session(self.callers[ci].user_id).await;
        let r = self
            .app
            .delete("/api/v1/sessions/current", Some(&extra))
            .await;
        self.status(&ctx, &r, 204);
        let again = self.app.get("/api/v1/me", Some(&extra)).await;
        self.status(
            &format!("{ctx}, then GET /api/v1/me with the ended token"),
            &again,
            401,
        );
        let other = self.app.get("/api/v1/me", Some(&main)).await;
        self.status(
            &format!("{ctx}, then GET /api/v1/me with the caller's other token"),
            &other,
            200,
        );
    }

    async fn check_add_indicator(&mut self, ci: usize) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let ctx = format!("POST /api/v1/indicators as {}", self.callers[ci].label);
        let n = self.next();
        let code = format!("it.test_{n}");
        let body = json!({"code": code, "name_vi": "Chỉ tiêu thử", "name_en": "Test indicator", "units": ["count"], "summable": true});
        let r = self
            .app
            .post("/api/v1/indicators", token.as_deref(), &body)
            .await;
        let want = match who {
            Who::Anon => 401,
            Who::Ministry(Role::Admin) => 201,
            _ => 403,
        };
        self.status(&ctx, &r, want);
        let exists = self
            .app
            .backend
            .list_indicators()
            .await
            .expect("indicators")
            .iter()
            .any(|i| i.code == code);
        self.check(exists == (r.status == 201), || {
            format!(
                "{ctx}: answered {} but the indicator exists={exists}",
                r.status
            )
        });
    }

    async fn check_org_patch(&mut self, ci: usize, path: &str, target: Target) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let ctx = format!(
            "PATCH {path} ({}) as {}",
            target.slug(),
            self.callers[ci].label
        );
        let before = self
            .app
            .backend
            .org_by_slug(target.slug())
            .await
            .expect("org")
            .expect("org exists")
            .office_name;
        let office = format!("Sở Ngoại vụ (thử {})", self.next());
        let r = self
            .app
            .patch(
                &path.replace("{slug}", target.slug()),
                token.as_deref(),
                &json!({"office_name": office}),
            )
            .await;
        self.status(&ctx, &r, expect_org_patch(who, target));
        let after = self
            .app
            .backend
            .org_by_slug(target.slug())
            .await
            .expect("org")
            .expect("org exists")
            .office_name;
        if r.status == 200 {
            self.check(
                r.json["slug"] == target.slug() && after.as_deref() == Some(office.as_str()),
                || format!("{ctx}: {} / stored {after:?}", r.json),
            );
        } else {
            self.check(after == before, || {
                format!(
                    "{ctx}: refused with {} but the office changed {before:?} -> {after:?}",
                    r.status
                )
            });
        }
        if r.status == 404 {
            let missing = self
                .app
                .patch(
                    "/api/v1/orgs/no-such-org",
                    token.as_deref(),
                    &json!({"office_name": office}),
                )
                .await;
            self.check(missing.json == r.json, || {
                format!(
                    "{ctx}: the 404 body {} differs from a missing organisation's {}",
                    r.json, missing.json
                )
            });
        }
    }

    async fn check_read(
        &mut self,
        ci: usize,
        route: Route,
        path: &str,
        rt: RecordType,
        target: Target,
    ) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let id = self.seed[&(target, rt)];
        let uri = path.replace("{id}", &id.to_string());
        let ctx = format!(
            "GET {uri} ({}'s) as {}",
            target.slug(),
            self.callers[ci].label
        );
        let r = self.app.get(&uri, token.as_deref()).await;
        self.status(&ctx, &r, expect_item(who, target, false, 200));
        match r.status {
            200 => match route {
                Route::Item(_) => {
                    self.check(r.json["id"] == id && r.json["org"] == target.slug(), || {
                        format!("{ctx}: {}", r.json)
                    });
                }
                Route::Suggestions(_) => {
                    self.check(r.json["items"].is_array(), || format!("{ctx}: {}", r.json));
                }
                Route::History(_) => {
                    let items = r.items();
                    self.check(!items.is_empty() && items[0]["action"] == "create", || {
                        format!("{ctx}: {}", r.json)
                    });
                }
                Route::Attachments(_) => {
                    let seeded = self.att[&(target, rt)];
                    self.check(
                        r.items()
                            .iter()
                            .any(|a| a["id"] == seeded && a["record_id"] == id),
                        || format!("{ctx}: {}", r.json),
                    );
                }
                _ => {
                    self.check(
                        r.json["outgoing"].is_array() && r.json["incoming"].is_array(),
                        || format!("{ctx}: {}", r.json),
                    );
                }
            },
            404 => {
                self.compare_with_missing(&ctx, "GET", path, token.as_deref(), None, &r)
                    .await;
            }
            _ => {}
        }
    }

    async fn check_patch(&mut self, ci: usize, path: &str, rt: RecordType, target: Target) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let username = self.callers[ci].username.clone();
        let id = self.seed[&(target, rt)];
        let uri = path.replace("{id}", &id.to_string());
        let ctx = format!(
            "PATCH {uri} ({}'s) as {}",
            target.slug(),
            self.callers[ci].label
        );
        let before = self.ministry_view(rt, id).await;
        let body = harmless_patch(rt, self.next());
        let r = self.app.patch(&uri, token.as_deref(), &body).await;
        self.status(&ctx, &r, expect_item(who, target, true, 200));
        if r.status == 200 {
            self.check(
                r.json["org"] == target.slug() && r.json["updated_by"] == username.as_str(),
                || format!("{ctx}: {}", r.json),
            );
        } else {
            let after = self.ministry_view(rt, id).await;
            self.check(before.status == 200 && after.json == before.json, || {
                format!("{ctx}: refused with {} but the record changed", r.status)
            });
        }
        if r.status == 404 {
            self.compare_with_missing(&ctx, "PATCH", path, token.as_deref(), Some(&body), &r)
                .await;
        }
    }

    async fn check_delete(&mut self, ci: usize, path: &str, rt: RecordType, target: Target) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let id = self.create(target, rt).await;
        let uri = path.replace("{id}", &id.to_string());
        let ctx = format!(
            "DELETE {uri} ({}'s, fresh) as {}",
            target.slug(),
            self.callers[ci].label
        );
        let r = self.app.delete(&uri, token.as_deref()).await;
        self.status(&ctx, &r, expect_item(who, target, true, 204));
        let after = self.ministry_view(rt, id).await;
        if r.status == 204 {
            self.ledger
                .entry((target.slug().to_owned(), rt))
                .or_default()
                .remove(&id);
            self.check(after.status == 404, || {
                format!(
                    "{ctx}: answered 204 but the record is still there ({})",
                    after.status
                )
            });
        } else {
            self.check(after.status == 200, || {
                format!(
                    "{ctx}: refused with {} but the record is gone ({})",
                    r.status, after.status
                )
            });
        }
        if r.status == 404 {
            self.compare_with_missing(&ctx, "DELETE", path, token.as_deref(), None, &r)
                .await;
        }
    }

    /// POST a workflow step an editor may take on a fresh record in a state
    /// that has one: only the owning province's writers move it; the
    /// Ministry reads it but does not own it (403); others do not see it.
    async fn check_transition(&mut self, ci: usize, path: &str, rt: RecordType, target: Target) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let n = self.next();
        let partner = self.partner.get(&target).copied().unwrap_or(0);
        let mut body = template(rt, n, partner);
        let to = match rt {
            RecordType::Delegation => {
                body["status"] = json!("travelling");
                "returned"
            }
            RecordType::Agreement => "expired",
            RecordType::AbtcApproval => "issued",
            RecordType::Project => {
                body["kind"] = json!("ngo_aid");
                body["status"] = json!("proposed");
                "appraisal"
            }
            RecordType::ConferencePermit => "submitted",
            RecordType::ConsularCase => "verifying",
            _ => unreachable!("{rt:?} has no workflow"),
        };
        let editor = self.editor[&target].clone();
        let made = self
            .app
            .post(&format!("/api/v1/{}", rt.path()), Some(&editor), &body)
            .await;
        made.expect(201, &format!("seed a {} to move", rt.path()));
        let id = made.id();
        self.ledger_add(target.slug(), rt, id);
        let uri = path.replace("{id}", &id.to_string());
        let ctx = format!(
            "POST {uri} ({}'s, fresh) as {}",
            target.slug(),
            self.callers[ci].label
        );
        let step = json!({"to": to, "note": "kiểm tra phân quyền"});
        let before = self.ministry_view(rt, id).await;
        let r = self.app.post(&uri, token.as_deref(), &step).await;
        let want = match who {
            Who::Ministry(r) if r.can_write() => 403,
            _ => expect_item(who, target, true, 200),
        };
        self.status(&ctx, &r, want);
        let after = self.ministry_view(rt, id).await;
        if r.status == 200 {
            self.check(after.json["status"] == to, || {
                format!("{ctx}: {}", after.json)
            });
        } else {
            self.check(after.json == before.json, || {
                format!("{ctx}: refused with {} but the record changed", r.status)
            });
        }
        if r.status == 404 {
            self.compare_with_missing(&ctx, "POST", path, token.as_deref(), Some(&step), &r)
                .await;
        }
    }

    async fn check_create(&mut self, ci: usize, rt: RecordType, target: Target) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let username = self.callers[ci].username.clone();
        let n = self.next();
        let mut body = template(rt, n, self.partner[&target]);
        body["org"] = json!(target.slug());
        // Who may create where is the question here, not who may enter a
        // record past a decision: every caller's record starts in its
        // workflow's first state.
        if let Some(o) = body.as_object_mut() {
            o.remove("status");
        }
        let uri = format!("/api/v1/{}", rt.path());
        let ctx = format!(
            "POST {uri} (org {}) as {}",
            target.slug(),
            self.callers[ci].label
        );
        let r = self.app.post(&uri, token.as_deref(), &body).await;
        self.status(&ctx, &r, expect_create(who, target));
        if r.status == 201 {
            let id = r.json["id"].as_i64().unwrap_or(0);
            let org = r.json["org"].as_str().unwrap_or("").to_owned();
            self.ledger_add(&org, rt, id);
            let location = format!("/api/v1/{}/{id}", rt.path());
            self.check(
                org == target.slug()
                    && r.json["created_by"] == username.as_str()
                    && r.header("location") == Some(location.as_str()),
                || format!("{ctx}: {} (location {:?})", r.json, r.header("location")),
            );
        }
    }

    /// Lists: exactly the visible records of the ledger, with each filter.
    async fn check_list(&mut self, ci: usize, rt: RecordType) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let label = self.callers[ci].label.clone();
        let country = country_of(rt);
        let year_filter: &[(&str, &str)] = &[("year", "2022")];
        // (query parameters, whether they can match this type, the organisation they name)
        type Variant<'a> = (Vec<(&'a str, &'a str)>, bool, Option<&'a str>);
        let variants: Vec<Variant> = vec![
            (vec![], true, None),
            (vec![("q", "mekong")], true, None),
            (vec![("q", "MEKONG")], true, None),
            (year_filter.to_vec(), has_year(rt), None),
            (vec![("country", country)], has_country(rt), None),
            (vec![("q", "mekong"), ("year", "2022")], has_year(rt), None),
            (vec![("q", "no-such-word-xyz")], false, None),
            (vec![("org", A)], true, Some(A)),
            (vec![("org", B)], true, Some(B)),
        ];
        for (params, matches, org_filter) in variants {
            let mut pairs = params.clone();
            pairs.push(("limit", "200"));
            let uri = format!("/api/v1/{}?{}", rt.path(), query(&pairs));
            let ctx = format!("GET {uri} as {label}");
            let r = self.app.get(&uri, token.as_deref()).await;
            let visible_orgs: Vec<&str> = match who {
                Who::Anon => {
                    self.status(&ctx, &r, 401);
                    continue;
                }
                Who::Mission => vec![],
                Who::Province(_) => vec![A],
                Who::Ministry(_) => vec![A, B],
            };
            self.status(&ctx, &r, 200);
            if r.status != 200 {
                continue;
            }
            let mut expected = BTreeSet::new();
            if matches {
                for org in visible_orgs
                    .iter()
                    .filter(|o| org_filter.is_none_or(|f| f == **o))
                {
                    expected.extend(self.ledger_of(org, rt));
                }
            }
            let items = r.items();
            let got: BTreeSet<i64> = items.iter().filter_map(|i| i["id"].as_i64()).collect();
            let foreign: Vec<String> = items
                .iter()
                .filter(|i| !visible_orgs.contains(&i["org"].as_str().unwrap_or("?")))
                .map(|i| format!("{}#{}", i["org"], i["id"]))
                .collect();
            self.check(foreign.is_empty(), || {
                format!("{ctx}: items of organisations the caller must not see: {foreign:?}")
            });
            self.check(r.total() == expected.len() as i64, || {
                format!(
                    "{ctx}: total {} but {} visible records match",
                    r.total(),
                    expected.len()
                )
            });
            self.check(got == expected, || {
                let extra: Vec<_> = got.difference(&expected).collect();
                let missing: Vec<_> = expected.difference(&got).collect();
                format!(
                    "{ctx}: ids differ from the ledger: unexpected {extra:?}, missing {missing:?}"
                )
            });
            if params.is_empty() || org_filter.is_some() {
                self.check_export(&ctx, rt, &pairs, token.as_deref(), &expected)
                    .await;
            }
            if matches!(who, Who::Ministry(_)) && matches && org_filter.is_none() {
                let orgs: BTreeSet<&str> = items.iter().filter_map(|i| i["org"].as_str()).collect();
                self.check(orgs.contains(A) && orgs.contains(B), || {
                    format!("{ctx}: the Ministry's list lacks a province: {orgs:?}")
                });
            }
        }
    }

    /// A method the document does not list for a path must answer 405.
    async fn check_undocumented(&mut self, path: &str, method: &str) {
        let uri = path
            .replace(
                "{id}",
                &self.seed[&(Target::A, RecordType::Partner)].to_string(),
            )
            .replace("{slug}", A);
        let token = self.ministry.clone();
        let body = json!({});
        let r = self
            .app
            .call(
                &method.to_ascii_uppercase(),
                &uri,
                Some(&token),
                if method == "get" || method == "delete" {
                    None
                } else {
                    Some(&body)
                },
            )
            .await;
        self.check(r.status == 405, || {
            format!("{} {uri} (not in the document) answered {} {}: the router serves a route the document does not list", method.to_ascii_uppercase(), r.status, r.json)
        });
    }
}

async fn run(app: TestApp) {
    let db = app.db;
    let mut w = World::setup(app).await;
    w.setup_channel().await;
    let _ = w.requests_before;
    let doc = w.app.get("/api/v1/openapi.json", None).await;
    doc.expect(200, "GET /api/v1/openapi.json");
    let paths = doc.json["paths"].as_object().expect("paths").clone();
    let mut ops: Vec<(String, String, Value)> = Vec::new();
    for (path, item) in &paths {
        let item = item.as_object().expect("path item");
        for (method, op) in item {
            if [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&method.as_str())
            {
                ops.push((path.clone(), method.clone(), op.clone()));
            }
        }
        for m in ["get", "post", "put", "patch", "delete"] {
            if !item.contains_key(m) {
                w.check_undocumented(path, m).await;
            }
        }
    }
    // Lists last, so that they see every record the other checks created and deleted.
    ops.sort_by_key(|(path, method, _)| {
        (
            matches!(
                classify(path),
                Some(Route::Collection(_) | Route::Channel(Ch::Requests))
            ) && method == "get",
            path.clone(),
            method.clone(),
        )
    });
    let expected_ops = 11 + 7 * RecordType::ALL.len();
    assert!(
        ops.len() >= expected_ops,
        "[{}] the document lists {} operations, expected at least {expected_ops}",
        db.name(),
        ops.len()
    );
    for (path, method, op) in &ops {
        w.check_op(path, method, op).await;
    }
    eprintln!(
        "isolation [{}]: {} operations × {} callers × 2 targets: {} checks, {} mismatches",
        db.name(),
        ops.len(),
        w.callers.len(),
        w.checks,
        w.failures.len()
    );
    assert!(
        w.checks > 1000,
        "[{}] only {} checks: the isolation test would pass vacuously",
        db.name(),
        w.checks
    );
    if !w.failures.is_empty() {
        panic!(
            "[{}] {} isolation mismatches:\n{}",
            db.name(),
            w.failures.len(),
            w.failures.join("\n")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn isolation_every_route_every_caller() {
    on_both_backends("isolation", run).await;
}

// ------------------------------------------------------------------ channel

fn is_writer_who(who: Who) -> bool {
    match who {
        Who::Province(r) | Who::Ministry(r) => is_writer(r),
        Who::Mission => true,
        Who::Anon => false,
    }
}

/// Whether `who` sees the target's request (A's goes to the caller mission).
fn ch_sees(who: Who, target: Target) -> bool {
    match who {
        Who::Anon => false,
        Who::Ministry(_) => true,
        Who::Province(_) | Who::Mission => target == Target::A,
    }
}

fn ch_read(who: Who, target: Target) -> u16 {
    match who {
        Who::Anon => 401,
        _ if ch_sees(who, target) => 200,
        _ => 404,
    }
}

/// Writing in a request's thread or attaching to it.
fn ch_write(who: Who, target: Target, ok: u16) -> u16 {
    match who {
        Who::Anon => 401,
        _ if !ch_sees(who, target) => 404,
        Who::Ministry(_) => 403,
        _ if !is_writer_who(who) => 403,
        _ => ok,
    }
}

const PDF_NAME: &str = "?filename=b%C3%A1o%20gi%C3%A1.pdf";

impl World {
    fn mission_token(&self) -> String {
        self.callers
            .iter()
            .find(|c| c.who == Who::Mission)
            .and_then(|c| c.token.clone())
            .expect("mission caller")
    }

    async fn setup_channel(&mut self) {
        let (_, other) = self
            .app
            .user("dsq-campuchia", "cpc-editor", Role::Editor)
            .await;
        let mine = self.mission_token();
        for (target, mission, mission_token) in [
            (Target::A, MISSION, mine),
            (Target::B, "dsq-campuchia", other),
        ] {
            let editor = self.editor[&target].clone();
            let r = self
                .app
                .post("/api/v1/requests", Some(&editor), &ch_request_body(mission))
                .await;
            r.expect(201, "seed request");
            let id = r.items()[0]["id"].as_i64().unwrap();
            self.ch_request.insert(target, id);
            self.ch_ledger.push((id, target));
            let f = self
                .app
                .raw(
                    "POST",
                    &format!("/api/v1/requests/{id}/attachments{PDF_NAME}"),
                    Some(&editor),
                    &[("content-type", "application/pdf")],
                    Some(PDF.to_vec()),
                )
                .await;
            f.expect(201, "seed request file");
            self.ch_request_file.insert(target, f.id());
            let n = self
                .app
                .post(
                    "/api/v1/market-notes",
                    Some(&mission_token),
                    &ch_note_body(),
                )
                .await;
            n.expect(201, "seed note");
            let nid = n.id();
            self.ch_note.insert(target, nid);
            let f = self
                .app
                .raw(
                    "POST",
                    &format!("/api/v1/market-notes/{nid}/attachments{PDF_NAME}"),
                    Some(&mission_token),
                    &[("content-type", "application/pdf")],
                    Some(PDF.to_vec()),
                )
                .await;
            f.expect(201, "seed note file");
            self.ch_note_file.insert(target, f.id());
        }
    }

    /// A refusal is 403 `forbidden` with a reason; an unseen item is 404
    /// `not_found`, as a missing one.
    fn ch_body(&mut self, ctx: &str, r: &Resp) {
        match r.status {
            403 => self.check(r.error() == "forbidden" && !r.message().is_empty(), || {
                format!("{ctx}: a refusal without its reason: {}", r.json)
            }),
            404 => self.check(r.error() == "not_found", || format!("{ctx}: {}", r.json)),
            _ => {}
        }
    }

    async fn check_channel(&mut self, ci: usize, ch: Ch, path: &str, method: &str) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let label = self.callers[ci].label.clone();
        let tok = token.as_deref();
        let signed_in = if who == Who::Anon { 401 } else { 200 };
        match (ch, method) {
            (Ch::Requests, "get") => {
                let ctx = format!("GET /api/v1/requests as {label}");
                let r = self.app.get("/api/v1/requests", tok).await;
                self.status(&ctx, &r, signed_in);
                if r.status == 200 {
                    let got: BTreeSet<i64> =
                        r.items().iter().filter_map(|i| i["id"].as_i64()).collect();
                    let want: BTreeSet<i64> = self
                        .ch_ledger
                        .iter()
                        .filter(|(_, t)| ch_sees(who, *t))
                        .map(|(id, _)| *id)
                        .collect();
                    self.check(got == want, || {
                        format!("{ctx}: got {got:?}, want exactly {want:?}")
                    });
                }
            }
            (Ch::Requests, _) => {
                let ctx = format!("POST /api/v1/requests as {label}");
                let r = self
                    .app
                    .post("/api/v1/requests", tok, &ch_request_body(MISSION))
                    .await;
                let want = match who {
                    Who::Anon => 401,
                    Who::Province(r) if is_writer(r) => 201,
                    _ => 403,
                };
                self.status(&ctx, &r, want);
                self.ch_body(&ctx, &r);
                if r.status == 201 {
                    let id = r.items()[0]["id"].as_i64().unwrap_or(0);
                    self.ch_ledger.push((id, Target::A));
                    self.check(
                        r.items()[0]["from"]["slug"] == A && r.items()[0]["to"]["slug"] == MISSION,
                        || format!("{ctx}: {}", r.json),
                    );
                }
            }
            (Ch::Request | Ch::RequestHistory | Ch::Suggestions | Ch::RequestFiles, "get") => {
                for t in TARGETS {
                    let id = self.ch_request[&t];
                    let uri = path.replace("{id}", &id.to_string());
                    let ctx = format!("GET {uri} ({}'s) as {label}", t.slug());
                    let r = self.app.get(&uri, tok).await;
                    self.status(&ctx, &r, ch_read(who, t));
                    self.ch_body(&ctx, &r);
                    if r.status == 200 {
                        let ok = match ch {
                            Ch::Request => r.json["id"] == id && r.json["messages"].is_array(),
                            Ch::RequestHistory => {
                                r.items().first().is_some_and(|h| h["action"] == "create")
                            }
                            Ch::Suggestions => r.json["items"].is_array(),
                            _ => r
                                .items()
                                .iter()
                                .any(|a| a["id"] == self.ch_request_file[&t]),
                        };
                        self.check(ok, || format!("{ctx}: {}", r.json));
                    }
                }
                // A missing id answers as an unseen one.
                let uri = path.replace("{id}", &MISSING_ID.to_string());
                let r = self.app.get(&uri, tok).await;
                self.status(
                    &format!("GET {uri} as {label}"),
                    &r,
                    if who == Who::Anon { 401 } else { 404 },
                );
            }
            (Ch::RequestFile, _) => {
                for t in TARGETS {
                    let uri = path
                        .replace("{id}", &self.ch_request[&t].to_string())
                        .replace("{attachment}", &self.ch_request_file[&t].to_string());
                    let ctx = format!("GET {uri} ({}'s) as {label}", t.slug());
                    let r = self.app.get(&uri, tok).await;
                    self.status(&ctx, &r, ch_read(who, t));
                    if r.status == 200 {
                        self.check(r.body == PDF, || format!("{ctx}: other bytes"));
                    }
                }
            }
            (Ch::Messages, _) => {
                for t in TARGETS {
                    let id = self.ch_request[&t];
                    let uri = path.replace("{id}", &id.to_string());
                    let action = if matches!(who, Who::Province(_)) {
                        "reply"
                    } else {
                        "answer"
                    };
                    let ctx = format!("POST {uri} {action} ({}'s) as {label}", t.slug());
                    let body =
                        json!({"action": action, "body": format!("Trao đổi {}", self.next())});
                    let r = self.app.post(&uri, tok, &body).await;
                    self.status(&ctx, &r, ch_write(who, t, 201));
                    self.ch_body(&ctx, &r);
                    if r.status == 201 {
                        let want = if action == "reply" {
                            "open"
                        } else {
                            "answered"
                        };
                        self.check(r.json["status"] == want, || format!("{ctx}: {}", r.json));
                    }
                    // The side that is not the caller's is refused with a reason.
                    if ch_write(who, t, 201) == 201 {
                        let wrong = if action == "reply" { "answer" } else { "reply" };
                        let r = self
                            .app
                            .post(&uri, tok, &json!({"action": wrong, "body": "x"}))
                            .await;
                        self.status(&format!("{ctx} then {wrong}"), &r, 403);
                        self.ch_body(&ctx, &r);
                    }
                }
            }
            (Ch::RequestFiles, _) => {
                for t in TARGETS {
                    let uri = format!(
                        "{}{PDF_NAME}",
                        path.replace("{id}", &self.ch_request[&t].to_string())
                    );
                    let ctx = format!("POST {uri} ({}'s) as {label}", t.slug());
                    let r = self
                        .app
                        .raw(
                            "POST",
                            &uri,
                            tok,
                            &[("content-type", "application/pdf")],
                            Some(PDF.to_vec()),
                        )
                        .await;
                    self.status(&ctx, &r, ch_write(who, t, 201));
                    self.ch_body(&ctx, &r);
                }
            }
            (Ch::Notes, "get") => {
                let r = self.app.get(path, tok).await;
                let ctx = format!("GET {path} as {label}");
                self.status(&ctx, &r, signed_in);
                if r.status == 200 {
                    let ids: BTreeSet<i64> =
                        r.items().iter().filter_map(|n| n["id"].as_i64()).collect();
                    let ok = TARGETS.iter().all(|t| ids.contains(&self.ch_note[t]));
                    self.check(ok, || {
                        format!("{ctx}: notes are read by every signed-in user: {ids:?}")
                    });
                }
            }
            (Ch::Notes, _) => {
                let ctx = format!("POST {path} as {label}");
                let r = self.app.post(path, tok, &ch_note_body()).await;
                let want = match who {
                    Who::Anon => 401,
                    Who::Mission => 201,
                    _ => 403,
                };
                self.status(&ctx, &r, want);
                self.ch_body(&ctx, &r);
            }
            (Ch::Note | Ch::NoteFiles, "get") => {
                for t in TARGETS {
                    let uri = path.replace("{id}", &self.ch_note[&t].to_string());
                    let ctx = format!("GET {uri} as {label}");
                    let r = self.app.get(&uri, tok).await;
                    self.status(&ctx, &r, signed_in);
                }
            }
            (Ch::NoteFile, _) => {
                for t in TARGETS {
                    let uri = path
                        .replace("{id}", &self.ch_note[&t].to_string())
                        .replace("{attachment}", &self.ch_note_file[&t].to_string());
                    let ctx = format!("GET {uri} as {label}");
                    let r = self.app.get(&uri, tok).await;
                    self.status(&ctx, &r, signed_in);
                }
            }
            (Ch::NoteFiles, _) => {
                for t in TARGETS {
                    let uri = format!(
                        "{}{PDF_NAME}",
                        path.replace("{id}", &self.ch_note[&t].to_string())
                    );
                    let ctx = format!("POST {uri} ({}'s mission's note) as {label}", t.slug());
                    let r = self
                        .app
                        .raw(
                            "POST",
                            &uri,
                            tok,
                            &[("content-type", "application/pdf")],
                            Some(PDF.to_vec()),
                        )
                        .await;
                    // Only the publishing mission adds files to its notes.
                    let want = match who {
                        Who::Anon => 401,
                        Who::Mission if t == Target::A => 201,
                        _ => 403,
                    };
                    self.status(&ctx, &r, want);
                    self.ch_body(&ctx, &r);
                }
            }
            (Ch::Follows, "get") | (Ch::Inbox, _) => {
                let ctx = format!("GET {path} as {label}");
                let r = self.app.get(path, tok).await;
                self.status(&ctx, &r, signed_in);
                if r.status == 200 && ch == Ch::Inbox {
                    let unseen: Vec<i64> = r.json["requests"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x["id"].as_i64())
                        .filter(|id| {
                            !self
                                .ch_ledger
                                .iter()
                                .any(|(l, t)| l == id && ch_sees(who, *t))
                        })
                        .collect();
                    self.check(unseen.is_empty(), || {
                        format!("{ctx}: requests out of reach in the inbox: {unseen:?}")
                    });
                }
            }
            (Ch::Follows, _) => {
                let ctx = format!("PUT {path} as {label}");
                let r = self
                    .app
                    .call(
                        "PUT",
                        path,
                        tok,
                        Some(&json!({"sectors": ["agriculture"], "countries": ["LA"]})),
                    )
                    .await;
                let want = match who {
                    Who::Anon => 401,
                    Who::Province(r) if is_writer(r) => 200,
                    _ => 403,
                };
                self.status(&ctx, &r, want);
                self.ch_body(&ctx, &r);
            }
            _ => self.check(false, || format!("{method} {path}: no channel rule")),
        }
    }
}

fn ch_request_body(mission: &str) -> Value {
    json!({
        "missions": [mission], "subject": "Tìm đối tác Mekong", "body": "Đề nghị hỗ trợ kết nối.",
        "sector": "agriculture", "country": "LA", "deadline": "2099-12-31"
    })
}

fn ch_note_body() -> Value {
    json!({
        "kind": "market_info", "title": "Thị trường Mekong", "body": "Thông tin thị trường.",
        "sector": "agriculture", "country": "LA", "date": "2026-01-05"
    })
}

// ------------------------------------------------------------ data in and out

/// The name of the seeded aid project of a target (IATI exports it).
fn aid_name(target: Target) -> String {
    format!("Viện trợ Mekong của {}", target.slug())
}

/// A one-row CSV of a partner, written by the exporter itself (so its
/// headers are the ones imports recognise), with a name unique to `n`.
fn partner_csv(n: u64) -> (String, Vec<u8>) {
    let name = format!("Đối tác nhập Mekong {n}");
    let body = json!({"name": name, "kind": "foreign_locality", "country": "LA"});
    let mut out = Vec::new();
    let mut w = ngoaivu_sheets::write::CsvExport::new(
        RecordType::Partner,
        ngoaivu_core::Lang::Vi,
        &mut out,
    )
    .expect("csv header");
    w.push(&ngoaivu_sheets::write::ExportRow {
        id: 0,
        link: String::new(),
        body: &body,
        partner_names: vec![],
    })
    .expect("csv row");
    w.finish().expect("csv end");
    (name, out)
}

/// The ids in an exported list (the `id` column).
fn exported_ids(bytes: &[u8], rt: RecordType) -> Option<BTreeSet<i64>> {
    let wb = ngoaivu_sheets::read(bytes, "export.csv", &ngoaivu_sheets::Limits::default()).ok()?;
    let sheet = wb.sheets.first()?;
    let header = sheet.rows.first()?;
    let label = ngoaivu_sheets::columns::columns(rt)
        .iter()
        .find(|c| c.key == "id")?
        .vi;
    let col = header.iter().position(|c| c.text() == label)?;
    Some(
        sheet.rows[1..]
            .iter()
            .filter_map(|r| r.get(col).map(|c| c.text()))
            .filter_map(|t| t.trim().parse::<i64>().ok())
            .collect(),
    )
}

impl World {
    /// An aid project (IATI exports it) and a saved mapping per target.
    async fn seed_transfer(&mut self, target: Target) {
        let token = self.editor[&target].clone();
        let r = self
            .app
            .post(
                "/api/v1/projects",
                Some(&token),
                &json!({"kind": "oda", "name": aid_name(target), "country": "LA", "approved_on": "2022-06-01",
                        "capital": {"amount": "2500000", "currency": "USD"}}),
            )
            .await;
        r.expect(201, "seed aid project");
        self.ledger_add(target.slug(), RecordType::Project, r.id());
        let r = self
            .app
            .post(
                "/api/v1/partners/import-mappings",
                Some(&token),
                &json!({"name": format!("mapping of {}", target.slug()), "mapping": {"sheet": "Sheet1", "header_row": 1, "columns": []}}),
            )
            .await;
        r.expect(201, "seed import mapping");
    }

    /// A list exported as CSV holds exactly the ids of the JSON list.
    async fn check_export(
        &mut self,
        ctx: &str,
        rt: RecordType,
        pairs: &[(&str, &str)],
        token: Option<&str>,
        expected: &BTreeSet<i64>,
    ) {
        let mut pairs = pairs.to_vec();
        pairs.retain(|(k, _)| *k != "limit");
        pairs.push(("format", "csv"));
        let uri = format!("/api/v1/{}?{}", rt.path(), query(&pairs));
        let r = self.app.get(&uri, token).await;
        self.status(&format!("{ctx} (CSV)"), &r, 200);
        if r.status != 200 {
            return;
        }
        let got = exported_ids(&r.body, rt);
        self.check(got.as_ref() == Some(expected), || {
            format!("{ctx} as CSV: ids {got:?}, expected {expected:?}")
        });
    }

    async fn check_template(&mut self, ci: usize, rt: RecordType) {
        let token = self.callers[ci].token.clone();
        let uri = format!("/api/v1/{}/template", rt.path());
        let ctx = format!("GET {uri} as {}", self.callers[ci].label);
        let r = self.app.get(&uri, token.as_deref()).await;
        self.status(&ctx, &r, if token.is_none() { 401 } else { 200 });
        if r.status == 200 {
            self.check(r.body.starts_with(b"PK"), || {
                format!("{ctx}: not an XLSX file")
            });
        }
    }

    /// A province writer's import lands in its own province whatever the
    /// file says; the Ministry's writers may import (a dry run here); viewers
    /// and missions may not.
    async fn check_import(&mut self, ci: usize, rt: RecordType) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let n = self.next();
        let (name, csv) = partner_csv(n);
        let real = rt == RecordType::Partner && matches!(who, Who::Province(r) if is_writer(r));
        let uri = format!(
            "/api/v1/{}/imports?filename=doi-tac.csv{}",
            rt.path(),
            if real { "" } else { "&dry_run=true" }
        );
        let ctx = format!("POST {uri} as {}", self.callers[ci].label);
        let r = self
            .app
            .raw(
                "POST",
                &uri,
                token.as_deref(),
                &[("content-type", "text/csv")],
                Some(csv),
            )
            .await;
        let want: &[u16] = match who {
            Who::Anon => &[401],
            Who::Mission => &[403],
            Who::Province(r) | Who::Ministry(r) if !is_writer(r) => &[403],
            // A partner's CSV read as another type maps few columns: a
            // review with errors (422) is an answer the caller may have.
            _ if rt == RecordType::Partner => &[if real { 201 } else { 200 }],
            _ => &[200, 422],
        };
        self.check(want.contains(&r.status), || {
            format!("{ctx}: {} {}, expected {want:?}", r.status, r.json)
        });
        if real && r.status == 201 {
            let created: Vec<i64> = r.json["outcome"]["created"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            self.check(created.len() == 1, || format!("{ctx}: created {created:?}"));
            for id in created {
                let seen = self.ministry_view(RecordType::Partner, id).await;
                self.check(
                    seen.json["org"] == A && seen.json["name"] == name.as_str(),
                    || format!("{ctx}: the imported partner is {}", seen.json),
                );
                self.ledger_add(A, RecordType::Partner, id);
            }
        }
    }

    async fn check_mappings(&mut self, ci: usize, rt: RecordType, method: &str) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let uri = format!("/api/v1/{}/import-mappings", rt.path());
        let ctx = format!(
            "{} {uri} as {}",
            method.to_ascii_uppercase(),
            self.callers[ci].label
        );
        if method == "get" {
            let r = self.app.get(&uri, token.as_deref()).await;
            self.status(&ctx, &r, if token.is_none() { 401 } else { 200 });
            let names: Vec<String> = r
                .items()
                .iter()
                .filter_map(|m| m["name"].as_str().map(str::to_owned))
                .collect();
            let other = format!("mapping of {B}");
            let own_visible = matches!(who, Who::Province(_)) && rt == RecordType::Partner;
            self.check(!names.contains(&other), || {
                format!("{ctx}: another province's mapping is listed: {names:?}")
            });
            if own_visible {
                let own = format!("mapping of {A}");
                self.check(names.contains(&own), || {
                    format!("{ctx}: its own mapping is missing: {names:?}")
                });
            }
            return;
        }
        let n = self.next();
        let body = json!({"name": format!("mapping {n}"), "mapping": {"sheet": "Sheet1", "header_row": 1, "columns": []}});
        let r = self.app.post(&uri, token.as_deref(), &body).await;
        let want = match who {
            Who::Anon => 401,
            Who::Mission => 403,
            Who::Province(r) | Who::Ministry(r) if !is_writer(r) => 403,
            _ => 201,
        };
        self.status(&ctx, &r, want);
    }

    async fn check_iati(&mut self, ci: usize, method: &str) {
        let who = self.callers[ci].who;
        let token = self.callers[ci].token.clone();
        let ctx = format!(
            "{} /api/v1/projects/iati as {}",
            method.to_ascii_uppercase(),
            self.callers[ci].label
        );
        if method == "get" {
            let r = self
                .app
                .get("/api/v1/projects/iati", token.as_deref())
                .await;
            self.status(&ctx, &r, if token.is_none() { 401 } else { 200 });
            if r.status != 200 {
                return;
            }
            let xml = String::from_utf8_lossy(&r.body).into_owned();
            let (own, other) = match who {
                Who::Province(_) => (Some(aid_name(Target::A)), Some(aid_name(Target::B))),
                _ => (None, Some(aid_name(Target::B))),
            };
            if let Some(own) = own {
                self.check(xml.contains(&own), || {
                    format!("{ctx}: its own aid project is missing")
                });
            }
            if let Some(other) = other {
                self.check(!xml.contains(&other), || {
                    format!("{ctx}: another province's aid project is in the file")
                });
            }
            return;
        }
        // Import A's own export back, as a dry run: nothing new.
        let export = self
            .app
            .get(
                "/api/v1/projects/iati",
                Some(&self.editor[&Target::A].clone()),
            )
            .await;
        let r = self
            .app
            .raw(
                "POST",
                "/api/v1/projects/iati?dry_run=true&filename=a.xml",
                token.as_deref(),
                &[("content-type", "application/xml")],
                Some(export.body.clone()),
            )
            .await;
        let want: &[u16] = match who {
            Who::Anon => &[401],
            Who::Mission => &[403],
            Who::Province(r) | Who::Ministry(r) if !is_writer(r) => &[403],
            // A's activities are located in A: none is the Ministry's to import.
            Who::Ministry(_) => &[422],
            Who::Province(_) => &[200],
        };
        self.check(want.contains(&r.status), || {
            format!("{ctx}: {} {}, expected {want:?}", r.status, r.json)
        });
        if r.status == 422 {
            self.check(r.error() == "no_rows", || format!("{ctx}: {}", r.json));
        }
        if matches!(who, Who::Province(r) if is_writer(r)) && r.status == 200 {
            let s = &r.json["review"]["summary"];
            self.check(s["create"] == 0 && s["unchanged"] == 1, || {
                format!("{ctx}: re-importing its own export should change nothing: {s}")
            });
        }
    }
}
