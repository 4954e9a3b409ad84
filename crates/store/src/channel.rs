//! The province–mission channel as the store sees it: rows, filters and the
//! service methods. The rules are `ngoaivu_core::channel`'s; this file
//! decides which rule applies to which caller, and the backends apply the
//! caller's `Reach` in SQL and write each change with its audit row.

use ngoaivu_core::channel::{
    self, Action, Follows, Match, NoteDraft, Offer, Reach, Refusal, RequestDraft, RequestStatus,
    Want,
};
use ngoaivu_core::codes::{CountryCode, SectorCode};
use ngoaivu_core::values::{Date, Timestamp};
use ngoaivu_core::{Actor, Denied, Invalid, OrgKind, Problem, RecordType};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::Digest;
use time::OffsetDateTime;

use crate::{AttachmentMeta, ListQuery, NewAttachment, Org, Result, Service, StoreError};

/// An organisation as a party of the channel.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct OrgRef {
    pub slug: String,
    pub name: String,
}

/// A province's request to one mission. Seen by the sending province, the addressed mission and the Ministry only.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ChannelRequest {
    pub id: i64,
    /// The first request sent together with this one (to several missions at once).
    pub batch: i64,
    pub from: OrgRef,
    pub to: OrgRef,
    pub subject: String,
    pub body: String,
    #[schemars(with = "SectorCode")]
    pub sector: String,
    #[schemars(with = "CountryCode")]
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Date>")]
    pub deadline: Option<String>,
    pub status: RequestStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "Timestamp")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
    /// When the thread last changed.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "Timestamp")]
    pub last_at: OffsetDateTime,
    /// Slug of the organisation that wrote last.
    pub last_by: String,
    /// The other side wrote since this user last opened it.
    pub unread: bool,
}

impl ChannelRequest {
    /// The request's version, for `ETag` and `If-Match`: it changes with
    /// every message (the thread's last change), whoever wrote it.
    pub fn etag(&self) -> String {
        format!(
            "\"q{}-{}-{}\"",
            self.id,
            self.last_at.unix_timestamp_nanos(),
            self.status.as_str()
        )
    }

    /// Whether a write meant for version `expect` (an `If-Match` or a
    /// form's version; `*` is any) may go on.
    pub fn is_version(&self, expect: Option<&str>) -> bool {
        expect.is_none_or(|e| {
            e.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == "*" || t == self.etag())
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ChannelMessage {
    pub id: i64,
    pub request_id: i64,
    pub org: OrgRef,
    pub action: Action,
    pub body: String,
    /// The request's status after this message.
    pub status: RequestStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "Timestamp")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
}

/// A request with its messages and files, oldest first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RequestThread {
    pub request: ChannelRequest,
    pub messages: Vec<ChannelMessage>,
    pub attachments: Vec<AttachmentMeta>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct MarketNote {
    pub id: i64,
    pub org: OrgRef,
    #[schemars(with = "channel::NoteKind")]
    pub kind: String,
    pub title: String,
    pub body: String,
    #[schemars(with = "SectorCode")]
    pub sector: String,
    #[schemars(with = "CountryCode")]
    pub country: String,
    /// The date of the information.
    #[schemars(with = "Date")]
    pub date: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "Timestamp")]
    pub created_at: OffsetDateTime,
    pub created_by: String,
    /// Not yet opened by this user (and not written by their organisation).
    pub unread: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestFilter {
    pub status: Option<RequestStatus>,
    /// Only those with something new for the caller.
    pub unread_only: bool,
    pub limit: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteFilter {
    pub sector: Option<String>,
    pub country: Option<String>,
    pub kind: Option<String>,
    /// Notes of this organisation (a mission's own list).
    pub org_id: Option<i64>,
    /// Notes in any of these sectors or countries (a province's follows).
    pub any_of: Option<Follows>,
    pub unread_only: bool,
    pub limit: i64,
}

/// What a channel file hangs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelItem {
    Request(i64),
    Note(i64),
}

impl ChannelItem {
    pub fn kind(self) -> &'static str {
        match self {
            ChannelItem::Request(_) => "request",
            ChannelItem::Note(_) => "note",
        }
    }
    pub fn id(self) -> i64 {
        match self {
            ChannelItem::Request(id) | ChannelItem::Note(id) => id,
        }
    }
}

/// What the inbox shows a user: requests with news, notes they follow.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Inbox {
    pub requests: Vec<ChannelRequest>,
    pub notes: Vec<MarketNote>,
    pub follows: Follows,
}

/// A suggestion for a request, with its reasons.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suggestion {
    /// `mission`, `partner` or `note`.
    pub kind: &'static str,
    pub id: Option<i64>,
    pub slug: Option<String>,
    pub title: String,
    pub score: u32,
    pub reasons_vi: String,
    pub reasons_en: String,
}

impl Suggestion {
    fn new(
        kind: &'static str,
        id: Option<i64>,
        slug: Option<String>,
        title: String,
        m: &Match,
    ) -> Self {
        Suggestion {
            kind,
            id,
            slug,
            title,
            score: m.score,
            reasons_vi: m.explain(ngoaivu_core::Lang::Vi),
            reasons_en: m.explain(ngoaivu_core::Lang::En),
        }
    }
}

fn refused(r: Refusal) -> StoreError {
    StoreError::Forbidden(Denied::Channel(r))
}

/// The audit JSON of a request.
pub fn request_json(r: &ChannelRequest) -> Value {
    serde_json::to_value(r).unwrap_or_else(|_| json!({}))
}

impl Service {
    /// Send a request to each named mission: one request per mission, all in
    /// one transaction with their audit rows.
    pub async fn send_request(
        &self,
        actor: &Actor,
        draft: &RequestDraft,
    ) -> Result<Vec<ChannelRequest>> {
        channel::may_send(actor).map_err(refused)?;
        let today = OffsetDateTime::now_utc().date();
        draft.check(today).map_err(StoreError::Invalid)?;
        let mut missions: Vec<Org> = Vec::new();
        let mut errs = Invalid::default();
        for (i, slug) in draft.missions.iter().enumerate() {
            match self.backend.org_by_slug(slug).await? {
                Some(o) => {
                    channel::may_address(actor.org_kind, o.kind).map_err(refused)?;
                    if !missions.iter().any(|m| m.id == o.id) {
                        missions.push(o);
                    }
                }
                None => errs.push(
                    format!("missions[{i}]"),
                    Problem::UnknownUnit {
                        value: slug.clone(),
                    },
                ),
            }
        }
        errs.into_result().map_err(StoreError::Invalid)?;
        self.backend.create_requests(actor, draft, &missions).await
    }

    pub async fn requests(&self, actor: &Actor, f: &RequestFilter) -> Result<Vec<ChannelRequest>> {
        self.backend.list_requests(Reach::of(actor), actor, f).await
    }

    /// A request's thread; opening it marks it read for this user.
    pub async fn request_thread(&self, actor: &Actor, id: i64) -> Result<RequestThread> {
        let t = self
            .backend
            .get_request(Reach::of(actor), actor, id)
            .await?;
        self.backend
            .mark_read(actor.user_id, ChannelItem::Request(id))
            .await?;
        Ok(t)
    }

    /// Write in a request's thread: the status moves as
    /// `core::channel::transition` says, checked inside the transaction.
    /// Write a message in a request's thread, moving its status. With
    /// `expect` (the version the writer read, `ChannelRequest::etag`), only
    /// if nobody wrote in the thread since: `StoreError::StaleRequest`
    /// with the request as it is now otherwise.
    pub async fn post_message(
        &self,
        actor: &Actor,
        id: i64,
        action: Action,
        body: &str,
        expect: Option<&str>,
    ) -> Result<ChannelMessage> {
        channel::check_message(action, body).map_err(StoreError::Invalid)?;
        let m = self
            .backend
            .post_message(actor, Reach::of(actor), id, action, body.trim(), expect)
            .await?;
        // The writer has read what they answered. (A loader acting without
        // an account, user id 0, has no unread state to keep.)
        if actor.user_id != 0 {
            self.backend
                .mark_read(actor.user_id, ChannelItem::Request(id))
                .await?;
        }
        Ok(m)
    }

    pub async fn publish_note(&self, actor: &Actor, draft: &NoteDraft) -> Result<MarketNote> {
        channel::may_publish(actor).map_err(refused)?;
        draft.check().map_err(StoreError::Invalid)?;
        self.backend.create_note(actor, draft).await
    }

    /// Market notes: every signed-in organisation reads them.
    pub async fn notes(&self, actor: &Actor, f: &NoteFilter) -> Result<Vec<MarketNote>> {
        self.backend.list_notes(actor, f).await
    }

    pub async fn note(&self, actor: &Actor, id: i64) -> Result<MarketNote> {
        let n = self.backend.get_note(actor, id).await?;
        self.backend
            .mark_read(actor.user_id, ChannelItem::Note(id))
            .await?;
        Ok(n)
    }

    /// The caller's organisation's follows (empty for missions and the Ministry).
    pub async fn follows(&self, actor: &Actor) -> Result<Follows> {
        self.backend.follows(actor.org_id).await
    }

    pub async fn set_follows(&self, actor: &Actor, follows: Follows) -> Result<Follows> {
        channel::may_follow(actor).map_err(refused)?;
        let f = follows.normalised().map_err(StoreError::Invalid)?;
        self.backend.set_follows(actor, &f).await
    }

    /// Requests with something new and unread notes the organisation follows.
    pub async fn inbox(&self, actor: &Actor) -> Result<Inbox> {
        let requests = self
            .requests(
                actor,
                &RequestFilter {
                    unread_only: true,
                    limit: 100,
                    ..Default::default()
                },
            )
            .await?;
        let follows = self.follows(actor).await?;
        let notes = if follows.is_empty() {
            Vec::new()
        } else {
            self.notes(
                actor,
                &NoteFilter {
                    any_of: Some(follows.clone()),
                    unread_only: true,
                    limit: 100,
                    ..Default::default()
                },
            )
            .await?
        };
        Ok(Inbox {
            requests,
            notes,
            follows,
        })
    }

    /// Suggestions for a request: other missions in its country (and those
    /// that published notes in its sector), the province's own partners and the
    /// market notes sharing its sector or country, best first.
    pub async fn suggestions(&self, actor: &Actor, id: i64) -> Result<Vec<Suggestion>> {
        let thread = self
            .backend
            .get_request(Reach::of(actor), actor, id)
            .await?;
        let r = &thread.request;
        let want = Want {
            sectors: vec![r.sector.clone()],
            countries: vec![r.country.clone()],
        };
        self.rank_for(actor, &want, &r.from.slug, Some(&r.to.slug))
            .await
    }

    /// Suggestions for a province's investment-catalog project: the missions
    /// in the countries it hopes to attract investors from, the province's
    /// partners and the market notes sharing its sector or those countries.
    /// The project is read within the caller's reach (another province's is
    /// not found; a mission reads no provincial records).
    pub async fn catalog_suggestions(&self, actor: &Actor, id: i64) -> Result<Vec<Suggestion>> {
        let project = self.get(actor, RecordType::CatalogProject, id).await?;
        let want = Want {
            sectors: project.data["sector"]
                .as_str()
                .map(str::to_owned)
                .into_iter()
                .collect(),
            countries: str_list(&project.data["countries_of_interest"]),
        };
        self.rank_for(actor, &want, &project.org_slug, None).await
    }

    /// Missions, `owner`'s partners and market notes ranked against `want`,
    /// best first; `skip_mission` is left out (the one already asked).
    async fn rank_for(
        &self,
        actor: &Actor,
        want: &Want,
        owner: &str,
        skip_mission: Option<&str>,
    ) -> Result<Vec<Suggestion>> {
        let want = want.clone();
        let notes = self
            .backend
            .list_notes(
                actor,
                &NoteFilter {
                    any_of: Some(Follows {
                        sectors: want.sectors.clone(),
                        countries: want.countries.clone(),
                    }),
                    limit: 200,
                    ..Default::default()
                },
            )
            .await?;
        let mut out = Vec::new();

        // Missions: the country they serve; sectors they published notes in.
        // The one the request is addressed to is not suggested again.
        let missions: Vec<(Org, Offer)> = self
            .backend
            .list_orgs()
            .await?
            .into_iter()
            .filter(|o| o.kind == OrgKind::Mission && Some(o.slug.as_str()) != skip_mission)
            .map(|o| {
                let mut sectors: Vec<String> = notes
                    .iter()
                    .filter(|n| n.org.slug == o.slug)
                    .map(|n| n.sector.clone())
                    .collect();
                sectors.sort();
                sectors.dedup();
                let offer = Offer {
                    sectors,
                    countries: o.country.clone().into_iter().collect(),
                };
                (o, offer)
            })
            .collect();
        for (o, m) in channel::rank(&want, missions) {
            out.push(Suggestion::new(
                "mission",
                None,
                Some(o.slug.clone()),
                o.name.clone(),
                &m,
            ));
        }

        // The province's own partners: the records' scope applies (the
        // Ministry sees the sender's; a mission has no provincial records).
        if actor.org_kind != OrgKind::Mission {
            let mut q = ListQuery::new(RecordType::Partner);
            q.limit = 200;
            q.org_id = Some(
                self.backend
                    .org_by_slug(owner)
                    .await?
                    .map(|o| o.id)
                    .unwrap_or(0),
            );
            let partners = self.list(actor, &q).await?;
            let cands: Vec<(crate::Record, Offer)> = partners
                .items
                .into_iter()
                .map(|p| {
                    let offer = Offer {
                        sectors: str_list(&p.data["sectors"]),
                        countries: p.data["country"]
                            .as_str()
                            .map(str::to_owned)
                            .into_iter()
                            .collect(),
                    };
                    (p, offer)
                })
                .collect();
            for (p, m) in channel::rank(&want, cands) {
                let name = p.data["name"].as_str().unwrap_or_default().to_owned();
                out.push(Suggestion::new("partner", Some(p.id), None, name, &m));
            }
        }

        let cands: Vec<(MarketNote, Offer)> = notes
            .into_iter()
            .map(|n| {
                let offer = Offer {
                    sectors: vec![n.sector.clone()],
                    countries: vec![n.country.clone()],
                };
                (n, offer)
            })
            .collect();
        for (n, m) in channel::rank(&want, cands) {
            out.push(Suggestion::new(
                "note",
                Some(n.id),
                None,
                n.title.clone(),
                &m,
            ));
        }
        // Best first across kinds; within a score, missions, partners, notes.
        out.sort_by_key(|s| std::cmp::Reverse(s.score));
        Ok(out)
    }

    /// Attach a file to a request (its parties, while it is open) or a note
    /// (its publishing mission).
    pub async fn attach_channel(
        &self,
        actor: &Actor,
        item: ChannelItem,
        filename: &str,
        bytes: Vec<u8>,
        max_bytes: usize,
    ) -> Result<AttachmentMeta> {
        let (filename, content_type) =
            ngoaivu_core::attachments::check_file(filename, &bytes, max_bytes)
                .map_err(StoreError::Invalid)?;
        let sha256 = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let file = NewAttachment {
            filename,
            content_type: content_type.to_owned(),
            sha256,
            bytes,
        };
        self.backend
            .add_channel_attachment(actor, Reach::of(actor), item, file)
            .await
    }

    /// Who did what on a request or note (its audit rows).
    pub async fn channel_history(
        &self,
        actor: &Actor,
        item: ChannelItem,
    ) -> Result<Vec<crate::AuditEntry>> {
        self.backend
            .channel_history(actor, Reach::of(actor), item)
            .await
    }

    pub async fn channel_attachments(
        &self,
        actor: &Actor,
        item: ChannelItem,
    ) -> Result<Vec<AttachmentMeta>> {
        self.backend
            .list_channel_attachments(actor, Reach::of(actor), item)
            .await
    }

    pub async fn channel_attachment(
        &self,
        actor: &Actor,
        item: ChannelItem,
        id: i64,
    ) -> Result<(AttachmentMeta, Vec<u8>)> {
        self.backend
            .get_channel_attachment(actor, Reach::of(actor), item, id)
            .await
    }
}

fn str_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

// ------------------------------------------------- SQL both backends share

use crate::sql::{Bind, Dialect, Sql};

fn date_text(d: Dialect, col: &str) -> String {
    match d {
        Dialect::Sqlite => col.to_owned(),
        Dialect::Postgres => format!("to_char({col}, 'YYYY-MM-DD')"),
    }
}

/// The reach as a condition on `channel_requests q`. The ids are integers
/// from the signed-in actor, written as literals.
pub fn reach_clause(reach: Reach) -> String {
    match reach {
        Reach::All => String::new(),
        Reach::Org(id) => format!(" AND (q.from_org_id = {id} OR q.to_org_id = {id})"),
    }
}

/// Columns: id, batch, from slug, from name, to slug, to name, subject,
/// body, sector, country, deadline (ISO text), status, created_at,
/// created_by, last_at, last org slug, unread (0/1).
pub fn request_select(d: Dialect, reach: Reach, actor: &Actor) -> Sql {
    let mut s = Sql::new(d);
    s.push(&format!(
        "SELECT q.id, q.batch, fo.slug, fo.name, tt.slug, tt.name, q.subject, q.body, q.sector, q.country, {}, q.status, \
         q.created_at, q.created_by, q.last_at, lo.slug, \
         CAST(CASE WHEN q.last_org_id <> {} AND (rd.read_at IS NULL OR rd.read_at < q.last_at) THEN 1 ELSE 0 END AS BIGINT) \
         FROM channel_requests q \
         JOIN orgs fo ON fo.id = q.from_org_id JOIN orgs tt ON tt.id = q.to_org_id JOIN orgs lo ON lo.id = q.last_org_id \
         LEFT JOIN channel_reads rd ON rd.user_id = ",
        date_text(d, "q.deadline"),
        actor.org_id
    ));
    s.bind(Bind::I64(actor.user_id));
    s.push(" AND rd.item = 'request' AND rd.item_id = q.id WHERE 1 = 1");
    s.push(&reach_clause(reach));
    s
}

pub fn request_list(d: Dialect, reach: Reach, actor: &Actor, f: &RequestFilter) -> Sql {
    let mut s = request_select(d, reach, actor);
    if let Some(st) = f.status {
        s.push(" AND q.status = ")
            .bind(Bind::Text(st.as_str().into()));
    }
    if f.unread_only {
        s.push(&format!(
            " AND q.last_org_id <> {} AND (rd.read_at IS NULL OR rd.read_at < q.last_at)",
            actor.org_id
        ));
    }
    let limit = if f.limit > 0 { f.limit.min(500) } else { 200 };
    s.push(&format!(
        " ORDER BY q.last_at DESC, q.id DESC LIMIT {limit}"
    ));
    s
}

/// Columns: id, org slug, org name, kind, title, body, sector, country,
/// date (ISO text), created_at, created_by, unread (0/1).
pub fn note_select(d: Dialect, actor: &Actor) -> Sql {
    let mut s = Sql::new(d);
    s.push(&format!(
        "SELECT n.id, o.slug, o.name, n.kind, n.title, n.body, n.sector, n.country, {}, n.created_at, n.created_by, \
         CAST(CASE WHEN n.org_id <> {} AND rd.read_at IS NULL THEN 1 ELSE 0 END AS BIGINT) \
         FROM market_notes n JOIN orgs o ON o.id = n.org_id \
         LEFT JOIN channel_reads rd ON rd.user_id = ",
        date_text(d, "n.date"),
        actor.org_id
    ));
    s.bind(Bind::I64(actor.user_id));
    s.push(" AND rd.item = 'note' AND rd.item_id = n.id WHERE 1 = 1");
    s
}

fn push_in(s: &mut Sql, col: &str, values: &[String]) {
    s.push(&format!(" {col} IN ("));
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(", ");
        }
        s.bind(Bind::Text(v.clone()));
    }
    s.push(")");
}

pub fn note_list(d: Dialect, actor: &Actor, f: &NoteFilter) -> Sql {
    let mut s = note_select(d, actor);
    if let Some(v) = &f.sector {
        s.push(" AND n.sector = ").bind(Bind::Text(v.clone()));
    }
    if let Some(v) = &f.country {
        s.push(" AND n.country = ").bind(Bind::Text(v.clone()));
    }
    if let Some(v) = &f.kind {
        s.push(" AND n.kind = ").bind(Bind::Text(v.clone()));
    }
    if let Some(id) = f.org_id {
        s.push(" AND n.org_id = ").bind(Bind::I64(id));
    }
    if let Some(any) = &f.any_of {
        match (any.sectors.is_empty(), any.countries.is_empty()) {
            (true, true) => {
                s.push(" AND 1 = 0");
            }
            (false, true) => {
                s.push(" AND");
                push_in(&mut s, "n.sector", &any.sectors);
            }
            (true, false) => {
                s.push(" AND");
                push_in(&mut s, "n.country", &any.countries);
            }
            (false, false) => {
                s.push(" AND (");
                push_in(&mut s, "n.sector", &any.sectors);
                s.push(" OR");
                push_in(&mut s, "n.country", &any.countries);
                s.push(")");
            }
        }
    }
    if f.unread_only {
        s.push(&format!(
            " AND n.org_id <> {} AND rd.read_at IS NULL",
            actor.org_id
        ));
    }
    let limit = if f.limit > 0 { f.limit.min(500) } else { 200 };
    s.push(&format!(" ORDER BY n.date DESC, n.id DESC LIMIT {limit}"));
    s
}
