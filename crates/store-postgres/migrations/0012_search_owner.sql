-- Catalog projects get the per-type search index the other types have had
-- since 0003 (they came with 0007 without one). Kept in step with
-- crates/store-sqlite/migrations/0012_search_owner.sql.
-- Tried here and left: the owner's word in PostgreSQL's search indexes, as
-- SQLite's have since 0005 (an expression index over search_tsv and
-- 'zzo' || org_id). A province's search then read 19 table pages instead
-- of 548, but reading the owner's long posting list cost as much as the
-- pages saved (a province's search: 2,300 requests/s either way), so the
-- indexes stay as they were.
CREATE INDEX records_search_catalog_project ON records USING GIN (search_tsv) WITH (fastupdate = off) WHERE type = 'catalog_project';
