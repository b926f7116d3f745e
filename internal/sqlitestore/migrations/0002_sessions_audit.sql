-- 0002: adults' sign-in sessions and the audit trail.

-- id is the SHA-256 of the cookie's token, never the token itself.
CREATE TABLE sessions (
    id           TEXT NOT NULL PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    user_agent   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_account ON sessions (account_id, created_at DESC, id DESC);

-- Entries are only ever appended. Listings are newest first; each filter has an index that
-- ends in that order.
CREATE TABLE audit_log (
    id           TEXT    NOT NULL PRIMARY KEY,
    at           TEXT    NOT NULL,
    actor_id     TEXT    NOT NULL,
    actor_email  TEXT    NOT NULL,
    actor_role   TEXT    NOT NULL,
    municipality INTEGER NOT NULL,
    action       TEXT    NOT NULL,
    object_type  TEXT    NOT NULL,
    object_id    TEXT    NOT NULL,
    request_id   TEXT    NOT NULL,
    detail       TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_log_by_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_by_municipality ON audit_log (municipality, at DESC, id DESC);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, at DESC, id DESC);
CREATE INDEX audit_log_by_action ON audit_log (action, at DESC, id DESC);
