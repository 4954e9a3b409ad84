//! The reads that take no user: the public investment catalog and the
//! calendar feeds. They are the **one deliberate exception** to "every read
//! is scoped to the caller" (see ARCHITECTURE.md), and each is narrowed in
//! its own way instead:
//!
//! - the catalog reads every province (`Scope::All`) but only catalog
//!   projects whose status is `published`, hands out their public fields
//!   only (never `notes`, never who changed them), and of their files only
//!   PNG and JPEG pictures;
//! - a calendar feed reads delegations and events of the one organisation
//!   whose secret token the URL carries (`Scope::Org`), nothing else.
//!
//! Anything else (a draft, a withdrawn project, a PDF, a wrong token) is
//! `NotFound`, exactly like a missing id.

use ngoaivu_core::records::{CATALOG_PUBLISHED, CatalogProject};
use ngoaivu_core::{Actor, Denied, OrgKind, RecordType, Scope};
use sha2::Digest;

use crate::{
    AttachmentMeta, CalendarToken, ListQuery, Org, Record, Result, Service, SortKey, StoreError,
};

/// The picture types the public catalog serves.
pub const PUBLIC_PICTURE_TYPES: [&str; 2] = ["image/png", "image/jpeg"];

/// What the public may filter the catalog by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogFilter {
    /// A province's slug.
    pub province: Option<String>,
    /// A sector code.
    pub sector: Option<String>,
    /// A country of interest (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A published catalog project as the public sees it.
#[derive(Debug, Clone)]
pub struct PublicProject {
    pub id: i64,
    /// The province that publishes it.
    pub org: Org,
    /// The body without its internal notes.
    pub body: CatalogProject,
    /// When it was last changed (the feed's `updated`).
    pub updated_at: time::OffsetDateTime,
    /// Its pictures (PNG, JPEG), oldest first.
    pub pictures: Vec<AttachmentMeta>,
}

/// One page of the public catalog.
#[derive(Debug, Clone)]
pub struct PublicPage {
    pub items: Vec<PublicProject>,
    pub total: i64,
}

fn sha256_hex(token: &str) -> String {
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn is_picture(a: &AttachmentMeta) -> bool {
    PUBLIC_PICTURE_TYPES.contains(&a.content_type.as_str())
}

impl Service {
    async fn public_project(&self, rec: Record) -> Result<PublicProject> {
        let mut body: CatalogProject =
            serde_json::from_value(rec.data).map_err(|e| StoreError::Other(e.to_string()))?;
        if body.status != CATALOG_PUBLISHED {
            return Err(StoreError::NotFound);
        }
        // Internal: sources, follow-up, names of officials.
        body.notes = None;
        let org = self
            .backend
            .org_by_id(rec.org_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let pictures = self
            .backend
            .list_attachments(&Scope::All, RecordType::CatalogProject, rec.id)
            .await?
            .into_iter()
            .filter(is_picture)
            .collect();
        Ok(PublicProject {
            id: rec.id,
            org,
            body,
            updated_at: rec.updated_at,
            pictures,
        })
    }

    /// The published catalog projects of every province, newest first.
    /// Not scoped to a user: see the module's documentation.
    pub async fn public_catalog(&self, f: &CatalogFilter) -> Result<PublicPage> {
        let mut q = ListQuery::new(RecordType::CatalogProject);
        q.status = Some(CATALOG_PUBLISHED.to_owned());
        q.sector = f.sector.clone();
        q.country = f.country.as_ref().map(|c| c.to_ascii_uppercase());
        q.sort = SortKey::UpdatedAt;
        q.descending = true;
        q.limit = f.limit.clamp(1, 100);
        q.offset = f.offset.max(0);
        if let Some(slug) = &f.province {
            match self.backend.org_by_slug(slug).await? {
                Some(o) if o.kind == OrgKind::Province => q.org_id = Some(o.id),
                _ => {
                    return Ok(PublicPage {
                        items: vec![],
                        total: 0,
                    });
                }
            }
        }
        let page = self.backend.list_records(&Scope::All, &q).await?;
        let mut items = Vec::with_capacity(page.items.len());
        for rec in page.items {
            // The status filter is in the SQL; `public_project` checks again.
            items.push(self.public_project(rec).await?);
        }
        Ok(PublicPage {
            items,
            total: page.total,
        })
    }

    /// One published catalog project; anything else is `NotFound`.
    pub async fn public_catalog_project(&self, id: i64) -> Result<PublicProject> {
        let rec = self
            .backend
            .get_record(&Scope::All, RecordType::CatalogProject, id)
            .await?;
        self.public_project(rec).await
    }

    /// A picture of a published catalog project; a file of another type, of
    /// an unpublished project or of another record is `NotFound`.
    pub async fn public_catalog_picture(
        &self,
        id: i64,
        picture: i64,
    ) -> Result<(AttachmentMeta, Vec<u8>)> {
        let project = self.public_catalog_project(id).await?;
        if !project.pictures.iter().any(|p| p.id == picture) {
            return Err(StoreError::NotFound);
        }
        let (meta, bytes) = self
            .backend
            .get_attachment(&Scope::All, RecordType::CatalogProject, id, picture)
            .await?;
        if !is_picture(&meta) {
            return Err(StoreError::NotFound);
        }
        Ok((meta, bytes))
    }

    /// The calendar feed's token of the caller's organisation, if one was made.
    pub async fn calendar_token(&self, actor: &Actor) -> Result<Option<CalendarToken>> {
        self.backend.calendar_token(actor.org_id).await
    }

    /// Give the caller's organisation a new feed token (`token`, random,
    /// made by the caller); the old URL stops working. Editors and above of
    /// a province or the Ministry; audited.
    pub async fn rotate_calendar_token(&self, actor: &Actor, token: &str) -> Result<CalendarToken> {
        if actor.org_kind == OrgKind::Mission {
            return Err(StoreError::Forbidden(Denied::MissionRecords));
        }
        if !actor.role.can_write() {
            return Err(StoreError::Forbidden(Denied::ReadOnlyRole));
        }
        if token.len() < 32 {
            return Err(StoreError::Other("calendar token too short".into()));
        }
        self.backend
            .set_calendar_token(actor, actor.org_id, &sha256_hex(token))
            .await
    }

    /// The organisation a feed token opens and its delegations and events
    /// with a start date, by start date. A wrong token is `NotFound`.
    /// Not scoped to a user: see the module's documentation.
    pub async fn calendar_feed(&self, token: &str) -> Result<(Org, Vec<Record>)> {
        let org_id = self
            .backend
            .calendar_org(&sha256_hex(token))
            .await?
            .ok_or(StoreError::NotFound)?;
        let org = self
            .backend
            .org_by_id(org_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let scope = Scope::Org(org_id);
        let mut out = vec![];
        for rt in [RecordType::Delegation, RecordType::Event] {
            let mut q = ListQuery::new(rt);
            q.sort = SortKey::Date;
            q.descending = false;
            q.date_from = Some("0001-01-01".into());
            q.limit = 500;
            loop {
                let page = self.backend.list_records(&scope, &q).await?;
                let n = page.items.len() as i64;
                out.extend(page.items);
                if n < q.limit {
                    break;
                }
                q.offset += n;
            }
        }
        Ok((org, out))
    }
}
