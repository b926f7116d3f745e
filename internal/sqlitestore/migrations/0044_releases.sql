-- 0044: frozen releases of children's figures (voci.Release). A release is computed by a job:
-- created running with the next version of its period, then finished once, with its cells
-- when published. A hidden cell is stored without a value: the store never holds what it
-- would have shown.
CREATE TABLE releases (
    id          TEXT    PRIMARY KEY,
    period      TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('month', 'quarter', 'year')),
    version     INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('running', 'published', 'blocked', 'failed')),
    reason      TEXT    NOT NULL DEFAULT '',
    k           INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    finished_at TEXT    NOT NULL DEFAULT '',
    UNIQUE (period, version)
) STRICT;

CREATE INDEX releases_by_created ON releases (created_at DESC, version DESC);
CREATE INDEX releases_published ON releases (period, version DESC) WHERE status = 'published';

CREATE TABLE release_cells (
    release_id TEXT    NOT NULL REFERENCES releases (id),
    scope      TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    value      INTEGER,          -- NULL when hidden
    PRIMARY KEY (release_id, scope, key),
    CHECK (value IS NULL OR value >= 0)
) STRICT, WITHOUT ROWID;
