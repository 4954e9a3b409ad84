//! What the service offers besides records: the database's own state (for
//! the health and metrics pages and the start-up line), organisations and
//! indicators, accounts and sessions. Each is the backend's operation as it
//! is; the policy that guards it lives with its caller (the sign-in throttle
//! and timing in `ngoaivu-http::auth`, the administrator's checks in the
//! account pages and the API). They are here so that the `Service` stays the
//! one way to data: its backend is private.

use time::OffsetDateTime;

use ngoaivu_core::Actor;

use crate::{AuditEntry, Indicator, NewUser, Org, Result, Service, StoreGauges, User};

impl Service {
    /// `sqlite` or `postgresql`.
    pub fn database_kind(&self) -> &'static str {
        self.backend.kind()
    }
    /// Where the data lives, without credentials.
    pub fn database_description(&self) -> String {
        self.backend.describe()
    }
    /// The database answers.
    pub async fn database_health(&self) -> Result<()> {
        self.backend.health().await
    }
    /// (applied to the database, known to this binary).
    pub async fn schema_versions(&self) -> Result<(i64, i64)> {
        self.backend.schema_versions().await
    }
    /// The connection pools and write-ahead log, for the metrics page.
    pub fn store_gauges(&self) -> StoreGauges {
        self.backend.gauges()
    }
    /// Records of every organisation (the demo loads only into an empty database).
    pub async fn count_records(&self) -> Result<i64> {
        self.backend.count_records().await
    }

    pub async fn orgs(&self) -> Result<Vec<Org>> {
        self.backend.list_orgs().await
    }
    pub async fn org_by_slug(&self, slug: &str) -> Result<Option<Org>> {
        self.backend.org_by_slug(slug).await
    }
    pub async fn org_by_id(&self, id: i64) -> Result<Option<Org>> {
        self.backend.org_by_id(id).await
    }
    /// The office's name (with its audit row); `actor` must administer it.
    pub async fn set_org_office(
        &self,
        actor: &Actor,
        org_id: i64,
        office_name: &str,
    ) -> Result<Org> {
        self.backend
            .set_org_office(actor, org_id, office_name)
            .await
    }
    pub async fn indicators(&self) -> Result<Vec<Indicator>> {
        self.backend.list_indicators().await
    }
    pub async fn add_indicator(&self, actor: &Actor, ind: Indicator) -> Result<Indicator> {
        self.backend.add_indicator(actor, ind).await
    }

    pub async fn add_user(&self, actor: &Actor, user: NewUser) -> Result<User> {
        self.backend.add_user(actor, user).await
    }
    /// The user and their password hash (for `ngoaivu-http::auth` alone).
    pub async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>> {
        self.backend.user_for_login(username).await
    }
    pub async fn set_password(
        &self,
        actor: &Actor,
        username: &str,
        password_hash: &str,
    ) -> Result<()> {
        self.backend
            .set_password(actor, username, password_hash)
            .await
    }
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        self.backend
            .create_session(token_hash, user_id, expires_at)
            .await
    }
    /// The caller behind a live session of an enabled account.
    pub async fn session_actor(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(Actor, OffsetDateTime)>> {
        self.backend.session_actor(token_hash, now).await
    }
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.backend.delete_session(token_hash).await
    }
    /// The calendar feed's rotations (who, when; never the token).
    pub async fn calendar_token_history(&self, org_id: i64) -> Result<Vec<AuditEntry>> {
        self.backend.calendar_token_history(org_id).await
    }
}
