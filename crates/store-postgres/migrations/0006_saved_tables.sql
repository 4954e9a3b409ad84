-- Tables of figures a user built (indicators × units × years) and saved for
-- reuse, per organisation. Kept in step with the SQLite migration.
CREATE TABLE saved_tables (
    id         BIGSERIAL PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    name       TEXT NOT NULL,
    spec       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (org_id, name)
);
