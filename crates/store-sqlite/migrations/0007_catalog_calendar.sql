-- The investment catalog and the calendar feed. Kept in step with crates/store-postgres/migrations/0007_catalog_calendar.sql.

-- Catalog projects are records like the others (type 'catalog_project');
-- SQLite keeps one full-text index per type, in the form of 0005 (the
-- owner's `zzo<org id>` word first).
CREATE VIRTUAL TABLE fts_catalog_project USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO fts_catalog_project(rowid, search_text) SELECT id, 'zzo' || org_id || ' ' || search_text FROM records WHERE type = 'catalog_project';
CREATE TRIGGER fts_catalog_project_insert AFTER INSERT ON records WHEN new.type = 'catalog_project' BEGIN
    INSERT INTO fts_catalog_project(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
CREATE TRIGGER fts_catalog_project_delete AFTER DELETE ON records WHEN old.type = 'catalog_project' BEGIN
    INSERT INTO fts_catalog_project(fts_catalog_project, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
END;
CREATE TRIGGER fts_catalog_project_update AFTER UPDATE OF search_text ON records WHEN old.type = 'catalog_project' BEGIN
    INSERT INTO fts_catalog_project(fts_catalog_project, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
    INSERT INTO fts_catalog_project(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;

-- One calendar feed per organisation, reached by a secret token. Only the
-- token's SHA-256 is kept (as for sessions): a stolen backup reveals no URL.
CREATE TABLE calendar_tokens (
    org_id     INTEGER PRIMARY KEY REFERENCES orgs(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
