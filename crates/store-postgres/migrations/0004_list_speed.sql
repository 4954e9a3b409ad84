-- Faster filtered lists at national scale. Kept in step with crates/store-sqlite/migrations/0004_list_speed.sql.
-- The filter indexes carry the id (INCLUDE), so a page's ids and its count
-- come from the index alone (an index-only scan) instead of thousands of
-- heap blocks.
DROP INDEX records_type_org_year;
CREATE INDEX records_type_org_year ON records(type, org_id, year, status, kind) INCLUDE (id);
DROP INDEX records_type_year;
CREATE INDEX records_type_year ON records(type, year, status, kind, org_id) INCLUDE (id);
DROP INDEX records_type_status;
CREATE INDEX records_type_status ON records(type, status, org_id) INCLUDE (id);
DROP INDEX records_type_kind;
CREATE INDEX records_type_kind ON records(type, kind, org_id) INCLUDE (id);
-- Searches must not depend on when autovacuum last ran: without the GIN
-- "pending list", new records go straight into the search indexes (a little
-- more work per write) and no search scans unmerged entries.
ALTER INDEX records_search_partner SET (fastupdate = off);
ALTER INDEX records_search_agreement SET (fastupdate = off);
ALTER INDEX records_search_delegation SET (fastupdate = off);
ALTER INDEX records_search_project SET (fastupdate = off);
ALTER INDEX records_search_event SET (fastupdate = off);
ALTER INDEX records_search_abtc_approval SET (fastupdate = off);
ALTER INDEX records_search_overseas_contact SET (fastupdate = off);
ALTER INDEX records_search_observation SET (fastupdate = off);
