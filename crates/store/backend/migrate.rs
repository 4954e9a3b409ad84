//! Migrations through sqlx's migrator, on either database: each released
//! migration's checksum is kept in `_sqlx_migrations`, so a migration
//! edited after release is refused at start, as is a database written by a
//! newer ngoaivu; on PostgreSQL the migrator holds an advisory lock, so
//! servers started together migrate one after the other.
//!
//! Databases made before the migrator (their versions in
//! `schema_migrations`) are adopted once: their versions are copied over
//! with this binary's checksums and the old table is dropped.

use std::borrow::Cow;

use ngoaivu_store::{Result, StoreError};
use sqlx::migrate::{Migrate as _, MigrateError, Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr as _};

use super::seed;
use crate::dialect::{DbBackend, TABLE_EXISTS, db_err};

/// One migration: its version, its name, and its file in the including
/// backend's `migrations/` (each backend has the same file names, with its
/// own database's DDL).
macro_rules! migration {
    ($version:literal, $name:literal, $file:literal) => {
        (
            $version,
            $name,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $file)),
        )
    };
}

/// The migrations, in order. A released one is never edited (its checksum
/// is checked at every start); a change is a new one.
pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    migration!(1, "records", "0001_records.sql"),
    migration!(2, "attachments", "0002_attachments.sql"),
    migration!(3, "search_speed", "0003_search_speed.sql"),
    migration!(4, "list_speed", "0004_list_speed.sql"),
    migration!(5, "search_scope", "0005_search_scope.sql"),
    migration!(6, "statistics", "0006_statistics.sql"),
    migration!(7, "catalog_calendar", "0007_catalog_calendar.sql"),
    migration!(8, "channel", "0008_channel.sql"),
    migration!(9, "workflow", "0009_workflow.sql"),
    migration!(10, "user_email", "0010_user_email.sql"),
    migration!(11, "list_order", "0011_list_order.sql"),
    migration!(12, "search_owner", "0012_search_owner.sql"),
    migration!(13, "import_mappings", "0013_import_mappings.sql"),
    migration!(14, "reader_documents", "0014_reader_documents.sql"),
    migration!(15, "digests_sent", "0015_digests_sent.sql"),
    migration!(16, "abtc_card_expiry", "0016_abtc_card_expiry.sql"),
    migration!(
        17,
        "publications_training",
        "0017_publications_training.sql"
    ),
    migration!(18, "ngo_registrations", "0018_ngo_registrations.sql"),
    migration!(
        19,
        "permits_consular_plans",
        "0019_permits_consular_plans.sql"
    ),
];

/// The table sqlx's migrator keeps its versions in.
pub(crate) const VERSIONS_TABLE: &str = "_sqlx_migrations";

/// The migrations this binary knows, in order.
fn migrator() -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, name, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*name),
                MigrationType::Simple,
                AssertSqlSafe(*sql).into_sql_str(),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// The newest migration this binary knows.
pub(crate) fn known_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

impl DbBackend {
    /// Bring the schema up to this binary's, then write the reference
    /// organisations and indicators into a database that has none.
    pub(crate) async fn migrate(&self) -> Result<()> {
        let pool = self.migration_pool();
        let migrator = migrator();
        self.adopt_old_versions(&migrator).await?;
        if self.table_exists(VERSIONS_TABLE).await? {
            let newest: Option<i64> = sqlx::query_scalar(stmt!(
                "SELECT MAX(version) FROM _sqlx_migrations WHERE success"
            ))
            .fetch_one(pool)
            .await
            .map_err(db_err)?;
            refuse_newer(newest.unwrap_or(0))?;
        }
        for m in migrator.iter() {
            tracing::debug!(version = m.version, name = %m.description, "known migration");
        }
        migrator.run(pool).await.map_err(migrate_err)?;
        let mut tx = self.begin().await?;
        let orgs: i64 = sqlx::query_scalar(stmt!("SELECT COUNT(*) FROM orgs"))
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        if orgs == 0 {
            tracing::info!("writing the reference organisations and indicators");
            seed(&mut tx).await?;
            tx.commit().await.map_err(db_err)?;
        }
        Ok(())
    }

    async fn table_exists(&self, name: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(TABLE_EXISTS)
            .bind(name)
            .fetch_one(self.migration_pool())
            .await
            .map_err(db_err)?;
        Ok(n > 0)
    }

    /// Copy the versions of a database migrated before sqlx's migrator
    /// (`schema_migrations`) into the migrator's table, in one transaction.
    async fn adopt_old_versions(&self, migrator: &Migrator) -> Result<()> {
        if !self.table_exists("schema_migrations").await?
            || self.table_exists(VERSIONS_TABLE).await?
        {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        let versions: Vec<i64> = sqlx::query_scalar(stmt!(
            "SELECT version FROM schema_migrations ORDER BY version"
        ))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        refuse_newer(versions.last().copied().unwrap_or(0))?;
        tracing::info!(
            versions = versions.len(),
            "adopting the schema versions of a database made before the migrator"
        );
        tx.ensure_migrations_table(VERSIONS_TABLE)
            .await
            .map_err(migrate_err)?;
        for m in migrator.iter().filter(|m| versions.contains(&m.version)) {
            sqlx::query(stmt!(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ($1, $2, TRUE, $3, 0)"
            ))
            .bind(m.version)
            .bind(m.description.as_ref())
            .bind(m.checksum.as_ref())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        sqlx::query(stmt!("DROP TABLE schema_migrations"))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }
}

/// A database whose schema is newer than this binary's was written by a
/// newer ngoaivu: this one would misread it.
fn refuse_newer(newest: i64) -> Result<()> {
    let known = known_version();
    if newest > known {
        return Err(StoreError::Other(format!(
            "the database's schema is version {newest}, newer than this binary's ({known}): \
             it was written by a newer ngoaivu. Run that version, or restore a backup made \
             with this one."
        )));
    }
    Ok(())
}

fn migrate_err(e: MigrateError) -> StoreError {
    match e {
        MigrateError::VersionMismatch(v) => StoreError::Other(format!(
            "migration {v} differs from the one applied to this database: a released \
             migration must never be edited (add a new one instead)"
        )),
        MigrateError::VersionMissing(v) => StoreError::Other(format!(
            "the database has migration {v}, which this binary does not know: it was \
             written by another ngoaivu"
        )),
        MigrateError::Dirty(v) => StoreError::Other(format!(
            "migration {v} failed part-way on an earlier start; restore a backup"
        )),
        MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => db_err(e),
        e => StoreError::Database(Box::new(e)),
    }
}
