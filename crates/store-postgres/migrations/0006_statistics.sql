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

-- Statistics group records of one type and a few years by kind, status,
-- organisation and unit, summing amounts (`sql::aggregate_statement`): an
-- index that holds every column they read allows index-only scans.
CREATE INDEX records_stats ON records (type, year) INCLUDE (kind, status, org_id, locality, unit, amount, country, date_end);

-- A province's list in Vietnamese alphabetical order (the default for names)
-- walks its own records in title order instead of every organisation's.
CREATE INDEX records_type_org_title ON records (type, org_id, title_key) INCLUDE (id);
