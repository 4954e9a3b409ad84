-- Which user's daily digest of which day went out. Kept in step with
-- crates/store-sqlite/migrations/0015_digests_sent.sql.
-- A restart of the server (or a second `ngoaivu remind` the same day) then
-- neither repeats a digest nor skips one: the day's run sends only to the
-- users not listed here, and a digest the mail server refused is not listed,
-- so the next run tries it again.
CREATE TABLE digests_sent (
    day TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sent_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (day, user_id)
);
