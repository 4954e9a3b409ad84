-- Workflows and working days. Kept in step with crates/store-sqlite/migrations/0009_workflow.sql.

-- Delegation statuses of the earlier vocabulary, mapped onto the workflow
-- states (the same mapping `Delegation::check` applies to a body sent with
-- them): an outbound `planned` is a `draft`, an inbound `approved` is
-- `confirmed`, `done` is `reported`.
UPDATE records SET status = 'draft', data = jsonb_set(data, '{status}', '"draft"')
 WHERE type = 'delegation' AND status = 'planned' AND kind = 'outbound';
UPDATE records SET status = 'confirmed', data = jsonb_set(data, '{status}', '"confirmed"')
 WHERE type = 'delegation' AND status = 'approved' AND kind = 'inbound';
UPDATE records SET status = 'reported', data = jsonb_set(data, '{status}', '"reported"')
 WHERE type = 'delegation' AND status = 'done';

-- Holidays and working Saturdays administrators add to data/holidays.csv
-- (`ngoaivu holiday add`); a row here wins over the file's for its date.
CREATE TABLE holidays (
    date     DATE PRIMARY KEY,
    name_vi  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('off', 'working')),
    added_at TIMESTAMPTZ NOT NULL,
    added_by TEXT NOT NULL
);
