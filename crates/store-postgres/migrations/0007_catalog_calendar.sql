-- The investment catalog and the calendar feed. Kept in step with crates/store-sqlite/migrations/0007_catalog_calendar.sql.
-- Catalog projects are records like the others (type 'catalog_project');
-- the generated tsvector column covers them with no change here.

-- One calendar feed per organisation, reached by a secret token. Only the
-- token's SHA-256 is kept (as for sessions): a stolen backup reveals no URL.
CREATE TABLE calendar_tokens (
    org_id     BIGINT PRIMARY KEY REFERENCES orgs(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);
