-- The records core. Kept in step with crates/store-postgres/migrations/0001_records.sql.
CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('province', 'ministry', 'mission')),
    name        TEXT NOT NULL,
    office_name TEXT,
    country     TEXT,
    city        TEXT,
    code        TEXT
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE indicators (
    code     TEXT PRIMARY KEY,
    name_vi  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    units    TEXT NOT NULL,
    summable INTEGER NOT NULL
);

-- One table for the eight record types: the validated JSON body plus the
-- projections that filters, sorting and search use (see ARCHITECTURE.md).
CREATE TABLE records (
    id          INTEGER PRIMARY KEY,
    type        TEXT NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    locality    TEXT,
    kind        TEXT,
    status      TEXT,
    country     TEXT,
    year        INTEGER,
    date        TEXT,
    date_end    TEXT,
    amount      TEXT,
    unit        TEXT,
    title       TEXT NOT NULL,
    title_key   TEXT NOT NULL,
    search_own  TEXT NOT NULL,
    search_text TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
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

CREATE TABLE record_tags (
    tag       TEXT NOT NULL,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    PRIMARY KEY (tag, record_id)
) WITHOUT ROWID;
CREATE INDEX record_tags_record ON record_tags(record_id);

CREATE TABLE record_links (
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    rel       TEXT NOT NULL,
    target_id INTEGER NOT NULL REFERENCES records(id),
    PRIMARY KEY (record_id, rel, target_id)
) WITHOUT ROWID;
CREATE INDEX record_links_target ON record_links(target_id);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   INTEGER,
    username  TEXT NOT NULL,
    org_id    INTEGER,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_entity ON audit(entity, entity_id, id);

-- Full-text search over the folded column, one FTS5 table per record type
-- (a search meets only matches of its own type). External content: the
-- text lives in records.search_text; triggers keep each index in step.
-- unicode61 with remove_diacritics 2 is belt and braces: the column is
-- already folded (see crates/core/src/fold.rs).
CREATE VIRTUAL TABLE fts_partner USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_partner_insert AFTER INSERT ON records WHEN new.type = 'partner' BEGIN
    INSERT INTO fts_partner(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER fts_partner_delete AFTER DELETE ON records WHEN old.type = 'partner' BEGIN
    INSERT INTO fts_partner(fts_partner, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER fts_partner_update AFTER UPDATE OF search_text ON records WHEN old.type = 'partner' BEGIN
    INSERT INTO fts_partner(fts_partner, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO fts_partner(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE VIRTUAL TABLE fts_agreement USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_agreement_insert AFTER INSERT ON records WHEN new.type = 'agreement' BEGIN
    INSERT INTO fts_agreement(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER fts_agreement_delete AFTER DELETE ON records WHEN old.type = 'agreement' BEGIN
    INSERT INTO fts_agreement(fts_agreement, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER fts_agreement_update AFTER UPDATE OF search_text ON records WHEN old.type = 'agreement' BEGIN
    INSERT INTO fts_agreement(fts_agreement, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO fts_agreement(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE VIRTUAL TABLE fts_delegation USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_delegation_insert AFTER INSERT ON records WHEN new.type = 'delegation' BEGIN
    INSERT INTO fts_delegation(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER fts_delegation_delete AFTER DELETE ON records WHEN old.type = 'delegation' BEGIN
    INSERT INTO fts_delegation(fts_delegation, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER fts_delegation_update AFTER UPDATE OF search_text ON records WHEN old.type = 'delegation' BEGIN
    INSERT INTO fts_delegation(fts_delegation, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO fts_delegation(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE VIRTUAL TABLE fts_project USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_project_insert AFTER INSERT ON records WHEN new.type = 'project' BEGIN
    INSERT INTO fts_project(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER fts_project_delete AFTER DELETE ON records WHEN old.type = 'project' BEGIN
    INSERT INTO fts_project(fts_project, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER fts_project_update AFTER UPDATE OF search_text ON records WHEN old.type = 'project' BEGIN
    INSERT INTO fts_project(fts_project, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO fts_project(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE VIRTUAL TABLE fts_event USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_event_insert AFTER INSERT ON records WHEN new.type = 'event' BEGIN
    INSERT INTO fts_event(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER fts_event_delete AFTER DELETE ON records WHEN old.type = 'event' BEGIN
    INSERT INTO fts_event(fts_event, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER fts_event_update AFTER UPDATE OF search_text ON records WHEN old.type = 'event' BEGIN
    INSERT INTO fts_event(fts_event, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO fts_event(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE VIRTUAL TABLE fts_abtc_approval USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_abtc_approval_insert AFTER INSERT ON records WHEN new.type = 'abtc_approval' BEGIN
    INSERT INTO fts_abtc_approval(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER fts_abtc_approval_delete AFTER DELETE ON records WHEN old.type = 'abtc_approval' BEGIN
    INSERT INTO fts_abtc_approval(fts_abtc_approval, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER fts_abtc_approval_update AFTER UPDATE OF search_text ON records WHEN old.type = 'abtc_approval' BEGIN
    INSERT INTO fts_abtc_approval(fts_abtc_approval, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO fts_abtc_approval(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE VIRTUAL TABLE fts_overseas_contact USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_overseas_contact_insert AFTER INSERT ON records WHEN new.type = 'overseas_contact' BEGIN
    INSERT INTO fts_overseas_contact(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER fts_overseas_contact_delete AFTER DELETE ON records WHEN old.type = 'overseas_contact' BEGIN
    INSERT INTO fts_overseas_contact(fts_overseas_contact, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER fts_overseas_contact_update AFTER UPDATE OF search_text ON records WHEN old.type = 'overseas_contact' BEGIN
    INSERT INTO fts_overseas_contact(fts_overseas_contact, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO fts_overseas_contact(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE VIRTUAL TABLE fts_observation USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_observation_insert AFTER INSERT ON records WHEN new.type = 'observation' BEGIN
    INSERT INTO fts_observation(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER fts_observation_delete AFTER DELETE ON records WHEN old.type = 'observation' BEGIN
    INSERT INTO fts_observation(fts_observation, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER fts_observation_update AFTER UPDATE OF search_text ON records WHEN old.type = 'observation' BEGIN
    INSERT INTO fts_observation(fts_observation, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO fts_observation(rowid, search_text) VALUES (new.id, new.search_text);
END;
