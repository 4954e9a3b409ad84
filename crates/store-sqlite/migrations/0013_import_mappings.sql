-- Column mappings of spreadsheet imports, saved by name per organisation and
-- record type, so next year's workbook maps without correction. Kept in step
-- with crates/store-postgres/migrations/0013_import_mappings.sql.
CREATE TABLE import_mappings (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    record_type TEXT NOT NULL,
    name        TEXT NOT NULL,
    -- The mapping as JSON (`ngoaivu_sheets::mapping::Mapping`).
    spec        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (org_id, record_type, name)
);
