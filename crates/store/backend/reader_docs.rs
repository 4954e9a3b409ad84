//! The reader's documents, on either database.

use ngoaivu_core::{Actor, Scope};
use ngoaivu_store::reader_docs::text_sha256;
use ngoaivu_store::{DocumentStatus, NewReaderDocument, ReaderDocument, Result, StoreError};
use sqlx::Row;
use time::OffsetDateTime;

use super::{audit, dynamic};
use crate::dialect::{self, DbBackend, DbRow, RowExt as _, db_err};

/// The columns of a document; `body` and `page_starts` only when `full`.
fn columns(full: bool) -> &'static str {
    if full {
        "id, org_id, sha256, title, file_name, format, doc_date, body, page_starts, warnings, status, facts_saved, created_at, created_by, reviewed_at, reviewed_by"
    } else {
        "id, org_id, sha256, title, file_name, format, doc_date, '' AS body, '[]' AS page_starts, warnings, status, facts_saved, created_at, created_by, reviewed_at, reviewed_by"
    }
}

fn from_row(r: &DbRow) -> ReaderDocument {
    ReaderDocument {
        id: r.get(0),
        org_id: r.get(1),
        sha256: r.get(2),
        title: r.get(3),
        file_name: r.get(4),
        format: r.get(5),
        doc_date: r.get(6),
        text: r.get(7),
        page_starts: serde_json::from_str(r.get::<&str, _>(8)).unwrap_or_default(),
        warnings: serde_json::from_str(r.get::<&str, _>(9)).unwrap_or_default(),
        status: DocumentStatus::from_code(r.get::<&str, _>(10)).unwrap_or(DocumentStatus::Queued),
        facts_saved: r.get(11),
        created_at: r.ts(12),
        created_by: r.get(13),
        reviewed_at: r.ts_opt(14),
        reviewed_by: r.get(15),
    }
}

/// `AND org_id = …` for a scope; `None` when it sees nothing.
fn scope_sql(scope: &Scope) -> Option<String> {
    match scope {
        Scope::All => Some(String::new()),
        Scope::Org(id) => Some(format!(" AND org_id = {id}")),
        Scope::Nothing => None,
    }
}

impl DbBackend {
    pub(crate) async fn rd_add(
        &self,
        actor: &Actor,
        org_id: i64,
        doc: &NewReaderDocument,
    ) -> Result<(ReaderDocument, bool)> {
        let sha = text_sha256(&doc.text);
        let mut tx = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            stmt!("INSERT INTO reader_documents (org_id, sha256, title, file_name, format, doc_date, body, page_starts, warnings, status, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (org_id, sha256) DO NOTHING RETURNING id"),
        )
        .bind(org_id)
        .bind(&sha)
        .bind(&doc.title)
        .bind(&doc.file_name)
        .bind(&doc.format)
        .bind(&doc.doc_date)
        .bind(&doc.text)
        .bind(serde_json::to_string(&doc.page_starts).unwrap_or_else(|_| "[]".into()))
        .bind(serde_json::Value::from(doc.warnings.clone()).to_string())
        .bind(doc.status.code())
        .bind(dialect::ts(OffsetDateTime::now_utc()))
        .bind(&actor.username)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some(id) = id else {
            drop(tx);
            let id: i64 = sqlx::query_scalar(stmt!(
                "SELECT id FROM reader_documents WHERE org_id = $1 AND sha256 = $2"
            ))
            .bind(org_id)
            .bind(&sha)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
            return Ok((self.rd_get(&Scope::Org(org_id), id).await?, false));
        };
        audit(
            &mut tx,
            actor,
            Some(org_id),
            "reader_document",
            Some(id),
            "upload",
            None,
            Some(&serde_json::json!({
                "title": doc.title, "file_name": doc.file_name, "format": doc.format,
                "sha256": sha, "bytes": doc.text.len(), "status": doc.status.code(),
            })),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok((self.rd_get(&Scope::Org(org_id), id).await?, true))
    }

    pub(crate) async fn rd_list(
        &self,
        scope: &Scope,
        status: Option<DocumentStatus>,
        limit: i64,
    ) -> Result<Vec<ReaderDocument>> {
        let Some(sc) = scope_sql(scope) else {
            return Ok(vec![]);
        };
        let sql = format!(
            "SELECT {} FROM reader_documents WHERE ($1::text IS NULL OR status = $1){sc} ORDER BY id DESC LIMIT $2",
            columns(false)
        );
        let rows = sqlx::query(dynamic(sql))
            .bind(status.map(DocumentStatus::code))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(from_row).collect())
    }

    pub(crate) async fn rd_get(&self, scope: &Scope, id: i64) -> Result<ReaderDocument> {
        let Some(sc) = scope_sql(scope) else {
            return Err(StoreError::NotFound);
        };
        let sql = format!(
            "SELECT {} FROM reader_documents WHERE id = $1{sc}",
            columns(true)
        );
        sqlx::query(dynamic(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(from_row)
            .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn rd_by_hash(
        &self,
        scope: &Scope,
        prefer_org: i64,
        prefix: &str,
    ) -> Result<Option<ReaderDocument>> {
        let Some(sc) = scope_sql(scope) else {
            return Ok(None);
        };
        // `prefix` is hex digits only (checked by the service).
        let sql = format!(
            "SELECT {} FROM reader_documents WHERE sha256 >= $1 AND sha256 < $2{sc} ORDER BY org_id <> $3, id LIMIT 1",
            columns(true)
        );
        sqlx::query(dynamic(sql))
            .bind(prefix)
            .bind(format!("{prefix}g"))
            .bind(prefer_org)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)
            .map(|r| r.as_ref().map(from_row))
    }

    pub(crate) async fn rd_finish(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: i64,
        status: DocumentStatus,
        facts_saved: i64,
    ) -> Result<ReaderDocument> {
        let before = self.rd_get(scope, id).await?;
        let mut tx = self.begin().await?;
        sqlx::query(stmt!("UPDATE reader_documents SET status = $1, facts_saved = facts_saved + $2, reviewed_at = $3, reviewed_by = $4 WHERE id = $5"))
            .bind(status.code())
            .bind(facts_saved)
            .bind(dialect::ts(OffsetDateTime::now_utc()))
            .bind(&actor.username)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(
            &mut tx,
            actor,
            Some(before.org_id),
            "reader_document",
            Some(id),
            if status == DocumentStatus::Dismissed { "dismiss" } else { "review" },
            Some(&serde_json::json!({"status": before.status.code(), "facts_saved": before.facts_saved})),
            Some(&serde_json::json!({"status": status.code(), "facts_saved": before.facts_saved + facts_saved})),
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        self.rd_get(scope, id).await
    }
}
