-- Publications and training courses (issue 15) are records like the others.
-- Kept in step with crates/store-postgres/migrations/0017_publications_training.sql.
-- SQLite keeps one full-text index per type, in the form of 0005 (the
-- owner's `zzo<org id>` word first).
CREATE VIRTUAL TABLE fts_publication USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_publication_insert AFTER INSERT ON records WHEN new.type = 'publication' BEGIN
    INSERT INTO fts_publication(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
CREATE TRIGGER fts_publication_delete AFTER DELETE ON records WHEN old.type = 'publication' BEGIN
    INSERT INTO fts_publication(fts_publication, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
END;
CREATE TRIGGER fts_publication_update AFTER UPDATE OF search_text ON records WHEN old.type = 'publication' BEGIN
    INSERT INTO fts_publication(fts_publication, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
    INSERT INTO fts_publication(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;

CREATE VIRTUAL TABLE fts_training_course USING fts5(
    search_text, content='records', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER fts_training_course_insert AFTER INSERT ON records WHEN new.type = 'training_course' BEGIN
    INSERT INTO fts_training_course(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
CREATE TRIGGER fts_training_course_delete AFTER DELETE ON records WHEN old.type = 'training_course' BEGIN
    INSERT INTO fts_training_course(fts_training_course, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
END;
CREATE TRIGGER fts_training_course_update AFTER UPDATE OF search_text ON records WHEN old.type = 'training_course' BEGIN
    INSERT INTO fts_training_course(fts_training_course, rowid, search_text) VALUES ('delete', old.id, 'zzo' || old.org_id || ' ' || old.search_text);
    INSERT INTO fts_training_course(rowid, search_text) VALUES (new.id, 'zzo' || new.org_id || ' ' || new.search_text);
END;
