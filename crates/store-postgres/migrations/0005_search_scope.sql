-- Kept in step with crates/store-sqlite/migrations/0005_search_scope.sql, which
-- adds an owner word to SQLite's full-text indexes. PostgreSQL needs no
-- change: it combines the per-type GIN index with the owner's b-tree index
-- itself (a BitmapAnd), so this migration only records the version.
SELECT 1;
