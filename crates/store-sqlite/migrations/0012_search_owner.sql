-- Kept in step with crates/store-postgres/migrations/0012_search_owner.sql,
-- which gives PostgreSQL's catalog projects a search index. SQLite's have
-- had their full-text table since 0007; this records the version.
SELECT 1;
