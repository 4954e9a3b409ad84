-- Conference permits, consular cases and plans (issue 15) are records like
-- the others: the generated tsvector column covers them; each type gets
-- its search index as the others have. Consular work is a grant on an
-- account; a submitted report is kept as it was submitted. Kept in step
-- with crates/store-sqlite/migrations/0019_permits_consular_plans.sql.
ALTER TABLE users ADD COLUMN consular boolean NOT NULL DEFAULT false;

CREATE TABLE submitted_reports (
    id           bigserial PRIMARY KEY,
    org_id       bigint NOT NULL REFERENCES orgs(id),
    kind         text NOT NULL,
    period       text NOT NULL,
    title        text NOT NULL,
    submitted_at timestamptz NOT NULL,
    submitted_by text NOT NULL,
    docx         bytea NOT NULL,
    xlsx         bytea NOT NULL,
    pdf          bytea,
    UNIQUE (org_id, kind, period)
);

CREATE INDEX records_search_conference_permit ON records USING GIN (search_tsv) WITH (fastupdate = off) WHERE type = 'conference_permit';
CREATE INDEX records_search_consular_case ON records USING GIN (search_tsv) WITH (fastupdate = off) WHERE type = 'consular_case';
CREATE INDEX records_search_plan ON records USING GIN (search_tsv) WITH (fastupdate = off) WHERE type = 'plan';
