-- The records core. Kept in step with crates/store-sqlite/migrations/0001_records.sql.
CREATE TABLE orgs (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('province', 'ministry', 'mission')),
    name        TEXT NOT NULL,
    office_name TEXT,
    country     TEXT,
    city        TEXT,
    code        TEXT
);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE indicators (
    code     TEXT PRIMARY KEY,
    name_vi  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    units    TEXT NOT NULL,
    summable BOOLEAN NOT NULL
);

-- One table for the eight record types: the validated JSON body plus the
-- projections that filters, sorting and search use (see ARCHITECTURE.md).
CREATE TABLE records (
    id          BIGSERIAL PRIMARY KEY,
    type        TEXT NOT NULL,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    locality    TEXT,
    kind        TEXT,
    status      TEXT,
    country     TEXT,
    year        INTEGER,
    date        DATE,
    date_end    DATE,
    amount      NUMERIC,
    unit        TEXT,
    title       TEXT NOT NULL,
    title_key   TEXT COLLATE "C" NOT NULL,
    search_own  TEXT NOT NULL,
    search_text TEXT NOT NULL,
    search_tsv  TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED,
    data        JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT NOT NULL
);
CREATE INDEX records_type_org ON records(type, org_id, id);
CREATE INDEX records_type_org_year ON records(type, org_id, year);
-- Covers counts of year-based filters (with status, kind, organisation).
CREATE INDEX records_type_year ON records(type, year, status, kind, org_id);
CREATE INDEX records_type_status ON records(type, status, org_id);
CREATE INDEX records_type_kind ON records(type, kind, org_id);
CREATE INDEX records_type_title ON records(type, title_key);
CREATE INDEX records_type_date ON records(type, date);
CREATE INDEX records_search ON records USING GIN (search_tsv);

CREATE TABLE record_tags (
    tag       TEXT NOT NULL,
    record_id BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    PRIMARY KEY (tag, record_id)
);
CREATE INDEX record_tags_record ON record_tags(record_id);

CREATE TABLE record_links (
    record_id BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    rel       TEXT NOT NULL,
    target_id BIGINT NOT NULL REFERENCES records(id),
    PRIMARY KEY (record_id, rel, target_id)
);
CREATE INDEX record_links_target ON record_links(target_id);

CREATE TABLE audit (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    user_id   BIGINT,
    username  TEXT NOT NULL,
    org_id    BIGINT,
    entity    TEXT NOT NULL,
    entity_id BIGINT,
    action    TEXT NOT NULL,
    before    JSONB,
    after     JSONB
);
CREATE INDEX audit_entity ON audit(entity, entity_id, id);
