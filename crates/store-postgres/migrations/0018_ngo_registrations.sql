-- Foreign NGO registrations (issue 15) are records like the others: the
-- generated tsvector column covers them; the type gets its search index as
-- the others have. Kept in step with
-- crates/store-sqlite/migrations/0018_ngo_registrations.sql.
CREATE INDEX records_search_ngo_registration ON records USING GIN (search_tsv) WITH (fastupdate = off) WHERE type = 'ngo_registration';
