//! The report reader's documents: the reports given to `/reader` (pasted,
//! uploaded alone or in a batch), kept with their text so that their facts
//! can be reviewed later, one document after another (the queue), and so
//! that the facts saved from a report link back to the text they came from.
//!
//! A document belongs to the organisation that gave it, like a record: a
//! province sees its own, the Ministry all, a mission none.

use ngoaivu_core::{Actor, Denied, Invalid, OrgKind, Problem};
use sha2::{Digest, Sha256};

use crate::{
    AuditEntry, DocumentStatus, NewReaderDocument, ReaderDocument, Result, Service, StoreError,
};

/// Largest text kept (bytes): a 500-page report is about 2 MB of text.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// SHA-256 of a text, hex: the identity of a document.
pub fn text_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn check(doc: &NewReaderDocument) -> std::result::Result<(), Invalid> {
    let mut errs = Invalid::default();
    if doc.text.trim().is_empty() {
        errs.push("text", Problem::Required);
    } else if doc.text.len() > MAX_TEXT_BYTES {
        errs.push(
            "text",
            Problem::TooLong {
                max: MAX_TEXT_BYTES,
            },
        );
    }
    if doc.title.trim().is_empty() {
        errs.push("title", Problem::Required);
    }
    ngoaivu_core::values::check_len("title", &doc.title, 300, &mut errs);
    ngoaivu_core::values::check_len("file_name", &doc.file_name, 300, &mut errs);
    if !matches!(doc.format.as_str(), "text" | "html" | "docx" | "pdf") {
        errs.push(
            "format",
            Problem::OneOf {
                allowed: "text, html, docx, pdf".into(),
            },
        );
    }
    if doc.page_starts.iter().any(|&p| p > doc.text.len())
        || doc.page_starts.windows(2).any(|w| w[0] > w[1])
    {
        errs.push(
            "page_starts",
            Problem::Invalid {
                vi: "vị trí đầu trang nằm ngoài văn bản".into(),
                en: "a page start lies outside the text".into(),
            },
        );
    }
    errs.into_result()
}

impl Service {
    /// Keep a report for the caller's organisation (a mission keeps none;
    /// a viewer may read reports but keeps none). The same text given again
    /// returns the document kept before, with `false`.
    pub async fn add_document(
        &self,
        actor: &Actor,
        doc: &NewReaderDocument,
    ) -> Result<(ReaderDocument, bool)> {
        if actor.org_kind == OrgKind::Mission {
            return Err(StoreError::Forbidden(Denied::MissionRecords));
        }
        actor
            .may_write_org(actor.org_id)
            .map_err(StoreError::Forbidden)?;
        check(doc).map_err(StoreError::Invalid)?;
        self.backend.add_document(actor, actor.org_id, doc).await
    }

    /// The caller's documents (the Ministry's: everyone's), newest first.
    pub async fn documents(
        &self,
        actor: &Actor,
        status: Option<DocumentStatus>,
        limit: i64,
    ) -> Result<Vec<ReaderDocument>> {
        self.backend
            .list_documents(&actor.read_scope(), status, limit.clamp(1, 1000))
            .await
    }

    /// One document, if the caller may read it (else `NotFound`).
    pub async fn document(&self, actor: &Actor, id: i64) -> Result<ReaderDocument> {
        self.backend.get_document(&actor.read_scope(), id).await
    }

    /// Who gave a document and who reviewed it (its audit rows).
    pub async fn document_history(&self, actor: &Actor, id: i64) -> Result<Vec<AuditEntry>> {
        self.backend.document_history(&actor.read_scope(), id).await
    }

    /// The document a saved fact names by the start of its hash
    /// (`sha256:0123456789abcdef`, at least 16 hex digits).
    pub async fn document_by_hash(
        &self,
        actor: &Actor,
        prefix: &str,
    ) -> Result<Option<ReaderDocument>> {
        let prefix = prefix.to_ascii_lowercase();
        if prefix.len() < 16 || prefix.len() > 64 || !prefix.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Ok(None);
        }
        self.backend
            .document_by_hash(&actor.read_scope(), actor.org_id, &prefix)
            .await
    }

    /// Close a document's review: `Reviewed` with the number of facts saved
    /// from it, or `Dismissed`. Only its organisation's writers may.
    pub async fn finish_document(
        &self,
        actor: &Actor,
        id: i64,
        status: DocumentStatus,
        facts_saved: i64,
    ) -> Result<ReaderDocument> {
        let doc = self.document(actor, id).await?;
        actor
            .may_write_org(doc.org_id)
            .map_err(StoreError::Forbidden)?;
        self.backend
            .finish_document(actor, &actor.read_scope(), id, status, facts_saved)
            .await
    }
}
