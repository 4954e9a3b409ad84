-- Foreign NGO registrations (issue 15) are records like the others.
-- Kept in step with crates/store-postgres/migrations/0018_ngo_registrations.sql.
-- SQLite keeps one full-text index per type, in the form of 0005 (the
-- owner's `zzo<org id>` word first).
CREATE VIRTUAL TABLE fts_ngo_registration USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_ngo_registration_insert AFTER INSERT ON records WHEN new.type = 'ngo_registration' BEGIN
    INSERT INTO fts_ngo_registration(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
CREATE TRIGGER fts_ngo_registration_delete AFTER DELETE ON records WHEN old.type = 'ngo_registration' BEGIN
    INSERT INTO fts_ngo_registration(fts_ngo_registration, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
END;
CREATE TRIGGER fts_ngo_registration_update AFTER UPDATE OF search_text ON records WHEN old.type = 'ngo_registration' BEGIN
    INSERT INTO fts_ngo_registration(fts_ngo_registration, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
    INSERT INTO fts_ngo_registration(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
