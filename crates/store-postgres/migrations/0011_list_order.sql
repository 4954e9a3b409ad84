-- Lists narrowed by year and status, newest first, without a sort. Kept in
-- step with crates/store-sqlite/migrations/0011_list_order.sql.
-- "Agreements in force signed in 2023" is thousands of rows nationwide and a
-- page wants the newest fifty: with id in the key after (type, year,
-- status), a page is the last fifty entries of one range of the index,
-- where (type, year, status, kind, org_id) INCLUDE (id) made PostgreSQL read
-- all 7,199 and sort them. kind and org_id stay in the index (INCLUDE) so
-- that lists narrowed by them too are still answered from it alone.
DROP INDEX records_type_year;
CREATE INDEX records_type_year ON records(type, year, status, id) INCLUDE (kind, org_id);
