-- Conference permits, consular cases and plans (issue 15) are records like
-- the others; consular work is a grant on an account; a submitted report
-- is kept as it was submitted.
-- Kept in step with crates/store-postgres/migrations/0019_permits_consular_plans.sql.
ALTER TABLE users ADD COLUMN consular INTEGER NOT NULL DEFAULT 0;

CREATE TABLE submitted_reports (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    kind         TEXT NOT NULL,
    period       TEXT NOT NULL,
    title        TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    docx         BLOB NOT NULL,
    xlsx         BLOB NOT NULL,
    pdf          BLOB,
    UNIQUE (org_id, kind, period)
);

-- SQLite keeps one full-text index per type, in the form of 0005 (the
-- owner's `zzo<org id>` word first).
CREATE VIRTUAL TABLE fts_conference_permit USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_conference_permit_insert AFTER INSERT ON records WHEN new.type = 'conference_permit' BEGIN
    INSERT INTO fts_conference_permit(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
CREATE TRIGGER fts_conference_permit_delete AFTER DELETE ON records WHEN old.type = 'conference_permit' BEGIN
    INSERT INTO fts_conference_permit(fts_conference_permit, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
END;
CREATE TRIGGER fts_conference_permit_update AFTER UPDATE OF search_text ON records WHEN old.type = 'conference_permit' BEGIN
    INSERT INTO fts_conference_permit(fts_conference_permit, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
    INSERT INTO fts_conference_permit(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;

CREATE VIRTUAL TABLE fts_consular_case USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_consular_case_insert AFTER INSERT ON records WHEN new.type = 'consular_case' BEGIN
    INSERT INTO fts_consular_case(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
CREATE TRIGGER fts_consular_case_delete AFTER DELETE ON records WHEN old.type = 'consular_case' BEGIN
    INSERT INTO fts_consular_case(fts_consular_case, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
END;
CREATE TRIGGER fts_consular_case_update AFTER UPDATE OF search_text ON records WHEN old.type = 'consular_case' BEGIN
    INSERT INTO fts_consular_case(fts_consular_case, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
    INSERT INTO fts_consular_case(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;

CREATE VIRTUAL TABLE fts_plan USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_plan_insert AFTER INSERT ON records WHEN new.type = 'plan' BEGIN
    INSERT INTO fts_plan(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
CREATE TRIGGER fts_plan_delete AFTER DELETE ON records WHEN old.type = 'plan' BEGIN
    INSERT INTO fts_plan(fts_plan, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
END;
CREATE TRIGGER fts_plan_update AFTER UPDATE OF search_text ON records WHEN old.type = 'plan' BEGIN
    INSERT INTO fts_plan(fts_plan, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
    INSERT INTO fts_plan(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
