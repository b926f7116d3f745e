-- 0039: council decisions (voci.Decision). A decision is a draft until published; from then on
-- its versions, status changes and milestones are entries of an append-only chain, each
-- carrying the hash of the one before. decision_links lists which recommendations any version
-- links to, so that a recommendation finds its decisions.
CREATE TABLE decisions (
    id           TEXT    PRIMARY KEY,
    municipality INTEGER NOT NULL,
    draft        TEXT    NOT NULL, -- JSON: the content being prepared
    revision     INTEGER NOT NULL,
    published    INTEGER NOT NULL DEFAULT 0,
    published_at TEXT    NOT NULL DEFAULT '',
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
) STRICT;

CREATE INDEX decisions_by_municipality ON decisions (municipality, created_at);

CREATE TABLE decision_entries (
    decision_id  TEXT    NOT NULL REFERENCES decisions (id),
    seq          INTEGER NOT NULL,
    municipality INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    content      TEXT    NOT NULL DEFAULT '', -- JSON, for a version
    corrects     TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT '',
    date         TEXT    NOT NULL DEFAULT '',
    note         TEXT    NOT NULL DEFAULT '',
    recorded_by  TEXT    NOT NULL,
    recorded_at  TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    PRIMARY KEY (decision_id, seq),
    UNIQUE (decision_id, prev_hash)
) STRICT;

CREATE TABLE decision_links (
    recommendation_id TEXT NOT NULL,
    decision_id       TEXT NOT NULL REFERENCES decisions (id),
    PRIMARY KEY (recommendation_id, decision_id)
) STRICT;
