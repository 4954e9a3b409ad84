-- Tables of figures a user built (indicators × units × years) and saved for
-- reuse, per organisation. Kept in step with the PostgreSQL migration.
CREATE TABLE saved_tables (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    name       TEXT NOT NULL,
    -- The table's choices as a canonical query string
    -- (`ind=trade.export&loc=vinh-long&from=2018&to=2022&period=year`).
    spec       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (org_id, name)
);

-- Statistics group records of one type and a few years by kind, status,
-- organisation and unit, summing amounts (`sql::aggregate_statement`). With
-- every column they read in one index, each aggregate is an index-only scan
-- instead of a lookup of each wide row (134 ms → 42 ms for a year of
-- projects on the 1M dataset).
CREATE INDEX records_stats ON records(type, year, kind, status, org_id, locality, unit, amount, country, date_end);

-- A province's list in Vietnamese alphabetical order (the default for names)
-- walks its own records in title order instead of every organisation's.
CREATE INDEX records_type_org_title ON records(type, org_id, title_key);
