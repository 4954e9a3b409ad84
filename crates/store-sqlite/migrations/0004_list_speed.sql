-- Faster filtered lists at national scale. Kept in step with crates/store-postgres/migrations/0004_list_speed.sql.
-- A province's list filtered by year, status or kind is answered from this
-- index alone (SQLite indexes carry the rowid, so the page's ids come free).
DROP INDEX records_type_org_year;
CREATE INDEX records_type_org_year ON records(type, org_id, year, status, kind);
