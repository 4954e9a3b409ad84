//! The province–mission channel, on either database; the list SQL is
//! built in `ngoaivu_store::channel`.

use ngoaivu_core::channel::{
    self, Action, Follows, NoteDraft, Party, Reach, RequestDraft, RequestStatus,
};
use ngoaivu_core::{Actor, Denied};
use ngoaivu_store::channel::{self as ch, request_json};
use ngoaivu_store::{
    AttachmentMeta, AuditEntry, ChannelItem, ChannelMessage, ChannelRequest, MarketNote,
    NewAttachment, NoteFilter, Org, OrgRef, RequestFilter, RequestThread, Result, StoreError,
};
use sqlx::{AssertSqlSafe, Row};

use super::{attachment_from_row, audit, bind_all, dynamic};
use crate::dialect::{self, DIALECT, DbBackend, DbRow, RowExt as _, Tx, db_err};

fn refused(r: channel::Refusal) -> StoreError {
    StoreError::Forbidden(Denied::Channel(r))
}

fn request_from_row(r: &DbRow) -> ChannelRequest {
    ChannelRequest {
        id: r.get(0),
        batch: r.get(1),
        from: OrgRef {
            slug: r.get(2),
            name: r.get(3),
        },
        to: OrgRef {
            slug: r.get(4),
            name: r.get(5),
        },
        subject: r.get(6),
        body: r.get(7),
        sector: r.get(8),
        country: r.get(9),
        deadline: r.get(10),
        status: RequestStatus::parse(r.get::<&str, _>(11)).unwrap_or(RequestStatus::Open),
        created_at: r.ts(12),
        created_by: r.get(13),
        last_at: r.ts(14),
        last_by: r.get(15),
        unread: r.get::<i64, _>(16) != 0,
    }
}

fn note_from_row(r: &DbRow) -> MarketNote {
    MarketNote {
        id: r.get(0),
        org: OrgRef {
            slug: r.get(1),
            name: r.get(2),
        },
        kind: r.get(3),
        title: r.get(4),
        body: r.get(5),
        sector: r.get(6),
        country: r.get(7),
        date: r.get(8),
        created_at: r.ts(9),
        created_by: r.get(10),
        unread: r.get::<i64, _>(11) != 0,
    }
}

fn message_from_row(r: &DbRow) -> ChannelMessage {
    ChannelMessage {
        id: r.get(0),
        request_id: r.get(1),
        org: OrgRef {
            slug: r.get(2),
            name: r.get(3),
        },
        action: Action::parse(r.get::<&str, _>(4)).unwrap_or(Action::Reply),
        body: r.get(5),
        status: RequestStatus::parse(r.get::<&str, _>(6)).unwrap_or(RequestStatus::Open),
        created_at: r.ts(7),
        created_by: r.get(8),
    }
}

fn follows_from_rows(rows: Vec<(String, String)>) -> Follows {
    let mut f = Follows::default();
    for (kind, value) in rows {
        if kind == "sector" {
            f.sectors.push(value);
        } else {
            f.countries.push(value);
        }
    }
    f
}

const MESSAGE_SELECT: &str = "SELECT m.id, m.request_id, o.slug, o.name, m.action, m.body, m.status, m.created_at, m.created_by \
     FROM channel_messages m JOIN orgs o ON o.id = m.org_id";

const ATTACHMENT_COLUMNS: &str = "id, COALESCE(request_id, note_id), filename, content_type, size, sha256, created_at, created_by";

async fn request_tx(
    tx: &mut Tx,
    reach: Reach,
    actor: &Actor,
    id: i64,
) -> Result<(ChannelRequest, i64, i64)> {
    let mut s = ch::request_select(DIALECT, reach, actor);
    s.push(" AND q.id = ")
        .bind(ngoaivu_store::sql::Bind::I64(id));
    s.push(&dialect::for_update_of("q"));
    let row = bind_all(sqlx::query(AssertSqlSafe(&*s.text)), &s.binds)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
    let orgs: (i64, i64) = sqlx::query_as(stmt!(
        "SELECT from_org_id, to_org_id FROM channel_requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok((request_from_row(&row), orgs.0, orgs.1))
}

impl DbBackend {
    pub(crate) async fn ch_create_requests(
        &self,
        actor: &Actor,
        d: &RequestDraft,
        missions: &[Org],
    ) -> Result<Vec<ChannelRequest>> {
        let mut tx = self.begin().await?;
        let now = ngoaivu_store::seed::now();
        let mut batch: Option<i64> = None;
        let mut ids = Vec::new();
        for m in missions {
            let id: i64 = sqlx::query_scalar(
                stmt!("INSERT INTO channel_requests (batch, from_org_id, to_org_id, subject, body, sector, country, deadline, status, created_at, created_by, last_at, last_org_id) \
                 VALUES (COALESCE($1, 0), $2, $3, $4, $5, $6, $7, $8::date, 'open', $9, $10, $11, $12) RETURNING id"),
            )
            .bind(batch)
            .bind(actor.org_id)
            .bind(m.id)
            .bind(d.subject.trim())
            .bind(d.body.trim())
            .bind(&d.sector)
            .bind(&d.country)
            .bind(&d.deadline)
            .bind(dialect::ts(now))
            .bind(&actor.username)
            .bind(dialect::ts(now))
            .bind(actor.org_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            if batch.is_none() {
                // The batch is named by its first request.
                sqlx::query(stmt!(
                    "UPDATE channel_requests SET batch = id WHERE id = $1"
                ))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                batch = Some(id);
            }
            ids.push(id);
        }
        let mut out = Vec::new();
        for id in ids {
            let (r, _, _) = request_tx(&mut tx, Reach::Org(actor.org_id), actor, id).await?;
            audit(
                &mut tx,
                actor,
                Some(actor.org_id),
                "request",
                Some(id),
                "create",
                None,
                Some(&request_json(&r)),
            )
            .await?;
            out.push(r);
        }
        tx.commit().await.map_err(db_err)?;
        Ok(out)
    }

    pub(crate) async fn ch_list_requests(
        &self,
        reach: Reach,
        actor: &Actor,
        f: &RequestFilter,
    ) -> Result<Vec<ChannelRequest>> {
        let s = ch::request_list(DIALECT, reach, actor, f);
        let rows = bind_all(sqlx::query(AssertSqlSafe(&*s.text)), &s.binds)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(request_from_row).collect())
    }

    pub(crate) async fn ch_get_request(
        &self,
        reach: Reach,
        actor: &Actor,
        id: i64,
    ) -> Result<RequestThread> {
        let mut s = ch::request_select(DIALECT, reach, actor);
        s.push(" AND q.id = ")
            .bind(ngoaivu_store::sql::Bind::I64(id));
        let row = bind_all(sqlx::query(AssertSqlSafe(&*s.text)), &s.binds)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let request = request_from_row(&row);
        let messages = sqlx::query(dynamic(format!(
            "{MESSAGE_SELECT} WHERE m.request_id = $1 ORDER BY m.id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(message_from_row)
        .collect();
        let attachments = self.ch_attachments(ChannelItem::Request(id)).await?;
        Ok(RequestThread {
            request,
            messages,
            attachments,
        })
    }

    pub(crate) async fn ch_post_message(
        &self,
        actor: &Actor,
        reach: Reach,
        id: i64,
        action: Action,
        body: &str,
        expect: Option<&str>,
    ) -> Result<ChannelMessage> {
        let mut tx = self.begin().await?;
        // The row is locked (FOR UPDATE): the status read here cannot
        // change before this transaction commits.
        let (before, from, to) = request_tx(&mut tx, reach, actor, id).await?;
        let party = Party::of(actor, from, to);
        // Checked where the request is read for writing (the one writer on
        // SQLite, the row locked on PostgreSQL): nobody writes in between.
        if !before.is_version(expect) {
            return Err(StoreError::StaleRequest(Box::new(before)));
        }
        let status = channel::transition(before.status, party, actor.role.can_write(), action)
            .map_err(refused)?;
        let now = ngoaivu_store::seed::now();
        let mid: i64 = sqlx::query_scalar(
            stmt!("INSERT INTO channel_messages (request_id, org_id, action, body, status, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"),
        )
        .bind(id)
        .bind(actor.org_id)
        .bind(action.as_str())
        .bind(body)
        .bind(status.as_str())
        .bind(dialect::ts(now))
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query(stmt!(
            "UPDATE channel_requests SET status = $1, last_at = $2, last_org_id = $3 WHERE id = $4"
        ))
        .bind(status.as_str())
        .bind(dialect::ts(now))
        .bind(actor.org_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let (after, ..) = request_tx(&mut tx, reach, actor, id).await?;
        let msg = sqlx::query(dynamic(format!("{MESSAGE_SELECT} WHERE m.id = $1")))
            .bind(mid)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let msg = message_from_row(&msg);
        let mut after_json = request_json(&after);
        after_json["message"] = serde_json::to_value(&msg).unwrap_or_default();
        audit(
            &mut tx,
            actor,
            Some(from),
            "request",
            Some(id),
            action.as_str(),
            Some(&request_json(&before)),
            Some(&after_json),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(msg)
    }

    pub(crate) async fn ch_mark_read(&self, user_id: i64, item: ChannelItem) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(stmt!(
            "INSERT INTO channel_reads (user_id, item, item_id, read_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, item, item_id) DO UPDATE SET read_at = EXCLUDED.read_at"
        ))
        .bind(user_id)
        .bind(item.kind())
        .bind(item.id())
        .bind(dialect::ts(ngoaivu_store::seed::now()))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    pub(crate) async fn ch_create_note(&self, actor: &Actor, d: &NoteDraft) -> Result<MarketNote> {
        let mut tx = self.begin().await?;
        let now = ngoaivu_store::seed::now();
        let id: i64 = sqlx::query_scalar(
            stmt!("INSERT INTO market_notes (org_id, kind, title, body, sector, country, date, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9) RETURNING id"),
        )
        .bind(actor.org_id)
        .bind(&d.kind)
        .bind(d.title.trim())
        .bind(d.body.trim())
        .bind(&d.sector)
        .bind(&d.country)
        .bind(&d.date)
        .bind(dialect::ts(now))
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let mut s = ch::note_select(DIALECT, actor);
        s.push(" AND n.id = ")
            .bind(ngoaivu_store::sql::Bind::I64(id));
        let row = bind_all(sqlx::query(AssertSqlSafe(&*s.text)), &s.binds)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let note = note_from_row(&row);
        audit(
            &mut tx,
            actor,
            Some(actor.org_id),
            "market_note",
            Some(id),
            "create",
            None,
            Some(&serde_json::to_value(&note).unwrap_or_default()),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(note)
    }

    pub(crate) async fn ch_list_notes(
        &self,
        actor: &Actor,
        f: &NoteFilter,
    ) -> Result<Vec<MarketNote>> {
        let s = ch::note_list(DIALECT, actor, f);
        let rows = bind_all(sqlx::query(AssertSqlSafe(&*s.text)), &s.binds)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(note_from_row).collect())
    }

    pub(crate) async fn ch_get_note(&self, actor: &Actor, id: i64) -> Result<MarketNote> {
        let mut s = ch::note_select(DIALECT, actor);
        s.push(" AND n.id = ")
            .bind(ngoaivu_store::sql::Bind::I64(id));
        let row = bind_all(sqlx::query(AssertSqlSafe(&*s.text)), &s.binds)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        Ok(note_from_row(&row))
    }

    pub(crate) async fn ch_follows(&self, org_id: i64) -> Result<Follows> {
        let rows: Vec<(String, String)> = sqlx::query_as(stmt!(
            "SELECT kind, value FROM channel_follows WHERE org_id = $1 ORDER BY kind, value"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(follows_from_rows(rows))
    }

    pub(crate) async fn ch_set_follows(&self, actor: &Actor, f: &Follows) -> Result<Follows> {
        let mut tx = self.begin().await?;
        // What was followed before, read in the transaction that replaces it.
        let rows: Vec<(String, String)> = sqlx::query_as(stmt!(
            "SELECT kind, value FROM channel_follows WHERE org_id = $1 ORDER BY kind, value"
        ))
        .bind(actor.org_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let before = follows_from_rows(rows);
        sqlx::query(stmt!("DELETE FROM channel_follows WHERE org_id = $1"))
            .bind(actor.org_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let rows = f
            .sectors
            .iter()
            .map(|v| ("sector", v))
            .chain(f.countries.iter().map(|v| ("country", v)));
        for (kind, value) in rows {
            sqlx::query(stmt!(
                "INSERT INTO channel_follows (org_id, kind, value) VALUES ($1, $2, $3)"
            ))
            .bind(actor.org_id)
            .bind(kind)
            .bind(value)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        audit(
            &mut tx,
            actor,
            Some(actor.org_id),
            "follows",
            Some(actor.org_id),
            "update",
            Some(&serde_json::to_value(&before).unwrap_or_default()),
            Some(&serde_json::to_value(f).unwrap_or_default()),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(f.clone())
    }

    async fn ch_attachments(&self, item: ChannelItem) -> Result<Vec<AttachmentMeta>> {
        let col = match item {
            ChannelItem::Request(_) => "request_id",
            ChannelItem::Note(_) => "note_id",
        };
        let rows = sqlx::query(dynamic(format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM channel_attachments WHERE {col} = $1 ORDER BY id"
        )))
        .bind(item.id())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(attachment_from_row).collect())
    }

    /// The item within reach (404 otherwise).
    async fn ch_check_item(&self, actor: &Actor, reach: Reach, item: ChannelItem) -> Result<()> {
        match item {
            ChannelItem::Request(id) => self.ch_get_request(reach, actor, id).await.map(|_| ()),
            ChannelItem::Note(id) => self.ch_get_note(actor, id).await.map(|_| ()),
        }
    }

    pub(crate) async fn ch_add_attachment(
        &self,
        actor: &Actor,
        reach: Reach,
        item: ChannelItem,
        file: NewAttachment,
    ) -> Result<AttachmentMeta> {
        let mut tx = self.begin().await?;
        let (entity, audit_org, request_id, note_id) = match item {
            ChannelItem::Request(id) => {
                let (r, from, to) = request_tx(&mut tx, reach, actor, id).await?;
                channel::may_attach(r.status, Party::of(actor, from, to), actor.role.can_write())
                    .map_err(refused)?;
                ("request", from, Some(id), None)
            }
            ChannelItem::Note(id) => {
                let owner: Option<i64> =
                    sqlx::query_scalar(stmt!("SELECT org_id FROM market_notes WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db_err)?;
                let owner = owner.ok_or(StoreError::NotFound)?;
                if owner != actor.org_id {
                    return Err(refused(channel::Refusal::OnlyMissionsPublish));
                }
                channel::may_publish(actor).map_err(refused)?;
                ("market_note", owner, None, Some(id))
            }
        };
        let now = ngoaivu_store::seed::now();
        let id: i64 = sqlx::query_scalar(
            stmt!("INSERT INTO channel_attachments (request_id, note_id, org_id, filename, content_type, size, sha256, content, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"),
        )
        .bind(request_id)
        .bind(note_id)
        .bind(actor.org_id)
        .bind(&file.filename)
        .bind(&file.content_type)
        .bind(file.bytes.len() as i64)
        .bind(&file.sha256)
        .bind(&file.bytes)
        .bind(dialect::ts(now))
        .bind(&actor.username)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        if let Some(rid) = request_id {
            // A new file is news for the other side, like a message.
            sqlx::query(stmt!(
                "UPDATE channel_requests SET last_at = $1, last_org_id = $2 WHERE id = $3"
            ))
            .bind(dialect::ts(now))
            .bind(actor.org_id)
            .bind(rid)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        let meta = AttachmentMeta {
            id,
            record_id: item.id(),
            filename: file.filename,
            content_type: file.content_type,
            size: file.bytes.len() as i64,
            sha256: file.sha256,
            created_at: now,
            created_by: actor.username.clone(),
        };
        audit(
            &mut tx,
            actor,
            Some(audit_org),
            entity,
            Some(item.id()),
            "attach",
            None,
            Some(&serde_json::to_value(&meta).unwrap_or_default()),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(meta)
    }

    pub(crate) async fn ch_list_attachments(
        &self,
        actor: &Actor,
        reach: Reach,
        item: ChannelItem,
    ) -> Result<Vec<AttachmentMeta>> {
        self.ch_check_item(actor, reach, item).await?;
        self.ch_attachments(item).await
    }

    pub(crate) async fn ch_get_attachment(
        &self,
        actor: &Actor,
        reach: Reach,
        item: ChannelItem,
        id: i64,
    ) -> Result<(AttachmentMeta, Vec<u8>)> {
        self.ch_check_item(actor, reach, item).await?;
        let col = match item {
            ChannelItem::Request(_) => "request_id",
            ChannelItem::Note(_) => "note_id",
        };
        let row = sqlx::query(dynamic(format!(
            "SELECT {ATTACHMENT_COLUMNS}, content FROM channel_attachments WHERE id = $1 AND {col} = $2"
        )))
        .bind(id)
        .bind(item.id())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        Ok((attachment_from_row(&row), row.get(8)))
    }

    pub(crate) async fn ch_history(
        &self,
        actor: &Actor,
        reach: Reach,
        item: ChannelItem,
    ) -> Result<Vec<AuditEntry>> {
        self.ch_check_item(actor, reach, item).await?;
        let entity = match item {
            ChannelItem::Request(_) => "request",
            ChannelItem::Note(_) => "market_note",
        };
        self.audit_trail(entity, item.id()).await
    }
}
