-- Publications and training courses (issue 15) are records like the others:
-- the generated tsvector column covers them; each type gets its search
-- index as the others have (0003, 0012). Kept in step with
-- crates/store-sqlite/migrations/0017_publications_training.sql.
CREATE INDEX records_search_publication ON records USING GIN (search_tsv) WITH (fastupdate = off) WHERE type = 'publication';
CREATE INDEX records_search_training_course ON records USING GIN (search_tsv) WITH (fastupdate = off) WHERE type = 'training_course';
