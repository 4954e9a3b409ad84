-- Files attached to records. Kept in step with crates/store-sqlite/migrations/0002_attachments.sql.
-- The bytes live in the database so that one backup holds everything.
CREATE TABLE attachments (
    id           BIGSERIAL PRIMARY KEY,
    record_id    BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX attachments_record ON attachments(record_id, id);
