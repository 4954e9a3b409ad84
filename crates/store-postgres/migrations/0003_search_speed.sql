-- Faster searches at national scale. Kept in step with crates/store-sqlite/migrations/0003_search_speed.sql.
-- One partial GIN index per record type, so that a search meets only the
-- matches of its own type (the list SQL names the type as a literal so the
-- planner can use them). They replace the index over all types.
CREATE INDEX records_search_partner ON records USING GIN (search_tsv) WHERE type = 'partner';
CREATE INDEX records_search_agreement ON records USING GIN (search_tsv) WHERE type = 'agreement';
CREATE INDEX records_search_delegation ON records USING GIN (search_tsv) WHERE type = 'delegation';
CREATE INDEX records_search_project ON records USING GIN (search_tsv) WHERE type = 'project';
CREATE INDEX records_search_event ON records USING GIN (search_tsv) WHERE type = 'event';
CREATE INDEX records_search_abtc_approval ON records USING GIN (search_tsv) WHERE type = 'abtc_approval';
CREATE INDEX records_search_overseas_contact ON records USING GIN (search_tsv) WHERE type = 'overseas_contact';
CREATE INDEX records_search_observation ON records USING GIN (search_tsv) WHERE type = 'observation';
DROP INDEX records_search;
