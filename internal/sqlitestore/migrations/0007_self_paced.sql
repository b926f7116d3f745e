-- 0007: self-paced links and the children who come through them.

-- One link per consultation, made the first time a facilitator asks for it. The key is the
-- link's random part (/p/{key}); see voci.SelfPacedLink for why it is kept as is.
CREATE TABLE self_paced_links (
    consultation_id TEXT    NOT NULL PRIMARY KEY REFERENCES consultations (id),
    link_key        TEXT    NOT NULL UNIQUE,
    municipality    INTEGER NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
) STRICT;

-- A child on a self-paced link: as a live participant (alias, optional age band and gender,
-- the SHA-256 of the token on the child's device), but bound to the consultation. A separate
-- table, so that a self-paced token can never open a live session's websocket, nor the reverse.
CREATE TABLE self_paced_participants (
    id              TEXT    NOT NULL PRIMARY KEY,
    consultation_id TEXT    NOT NULL REFERENCES consultations (id),
    token_hash      TEXT    NOT NULL UNIQUE,
    alias           TEXT    NOT NULL,
    lang            TEXT    NOT NULL,
    age_band        TEXT    NOT NULL,
    gender          TEXT    NOT NULL,
    rerolls         INTEGER NOT NULL,
    joined_at       TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

CREATE INDEX self_paced_participants_by_consultation ON self_paced_participants (consultation_id);

-- A help request says which consultation the child was in: a self-paced child has no session.
ALTER TABLE help_requests ADD COLUMN consultation_id TEXT NOT NULL DEFAULT '';
