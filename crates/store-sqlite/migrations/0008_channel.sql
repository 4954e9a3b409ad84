-- The channel between provinces and missions abroad (issue 6). Kept in step
-- with crates/store-postgres/migrations/0008_channel.sql.
--
-- Not records: a request is seen by its sending province, the one mission it
-- is addressed to and the Ministry (core::channel::Reach), so it has its own
-- tables and its own scope in SQL. A request sent to several missions is
-- several rows sharing a `batch` (the id of the first), one thread each:
-- one mission never sees another's answers.
CREATE TABLE channel_requests (
    id            INTEGER PRIMARY KEY,
    batch         INTEGER NOT NULL,
    from_org_id   INTEGER NOT NULL REFERENCES orgs(id),
    to_org_id     INTEGER NOT NULL REFERENCES orgs(id),
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    sector        TEXT NOT NULL,
    country       TEXT NOT NULL,
    deadline      TEXT,
    status        TEXT NOT NULL CHECK (status IN ('open', 'answered', 'asked_back', 'closed')),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    -- The last message: for "new since I last looked" and for sorting.
    last_at       TEXT NOT NULL,
    last_org_id   INTEGER NOT NULL REFERENCES orgs(id)
);
CREATE INDEX channel_requests_from ON channel_requests(from_org_id, last_at);
CREATE INDEX channel_requests_to ON channel_requests(to_org_id, last_at);

CREATE TABLE channel_messages (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES channel_requests(id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    action      TEXT NOT NULL CHECK (action IN ('reply', 'answer', 'ask_back', 'close')),
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX channel_messages_request ON channel_messages(request_id, id);

CREATE TABLE market_notes (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT NOT NULL CHECK (kind IN ('trade_barrier', 'early_warning', 'opportunity', 'market_info')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    sector      TEXT NOT NULL,
    country     TEXT NOT NULL,
    date        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX market_notes_date ON market_notes(date, id);
CREATE INDEX market_notes_sector ON market_notes(sector, date);
CREATE INDEX market_notes_country ON market_notes(country, date);

-- What a province follows: `kind` is `sector` or `country`.
CREATE TABLE channel_follows (
    org_id  INTEGER NOT NULL REFERENCES orgs(id),
    kind    TEXT NOT NULL CHECK (kind IN ('sector', 'country')),
    value   TEXT NOT NULL,
    PRIMARY KEY (org_id, kind, value)
);

-- When a user last opened a request or a note (unread state is per user).
CREATE TABLE channel_reads (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    item     TEXT NOT NULL CHECK (item IN ('request', 'note')),
    item_id  INTEGER NOT NULL,
    read_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, item, item_id)
);

-- Files on a request or a note (exactly one of the two).
CREATE TABLE channel_attachments (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER REFERENCES channel_requests(id) ON DELETE CASCADE,
    note_id      INTEGER REFERENCES market_notes(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    CHECK ((request_id IS NULL) <> (note_id IS NULL))
);
CREATE INDEX channel_attachments_request ON channel_attachments(request_id, id);
CREATE INDEX channel_attachments_note ON channel_attachments(note_id, id);
