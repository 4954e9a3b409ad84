-- The report reader's documents: every report read on /reader (pasted,
-- uploaded alone or in a batch) is kept with its text, so that its facts can
-- be reviewed later (the queue), the facts saved from it link back to it,
-- and the same report read twice is recognised. Kept in step with
-- crates/store-postgres/migrations/0014_reader_documents.sql.
CREATE TABLE reader_documents (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    -- SHA-256 of the text as read (hex); one copy per organisation.
    sha256      TEXT NOT NULL,
    title       TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    -- text, html, docx or pdf.
    format      TEXT NOT NULL,
    -- The document's date as given (YYYY-MM-DD or YYYY), or NULL.
    doc_date    TEXT,
    body        TEXT NOT NULL,
    -- JSON array of the byte offsets where the pages of a PDF start.
    page_starts TEXT NOT NULL DEFAULT '[]',
    -- JSON array of {vi, en} warnings met reading it.
    warnings    TEXT NOT NULL DEFAULT '[]',
    -- queued, reviewed or dismissed.
    status      TEXT NOT NULL,
    facts_saved INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    reviewed_at TEXT,
    reviewed_by TEXT,
    UNIQUE (org_id, sha256)
);
CREATE INDEX reader_documents_queue ON reader_documents (org_id, status, id);
