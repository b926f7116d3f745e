-- 0009: what a facilitator records about a live session's group as a whole (voci.GroupFacts):
-- counts, never a fact about one child. Kept apart from live_sessions, whose owner rewrites
-- its row while the session runs.
CREATE TABLE group_facts (
    session_id      TEXT    PRIMARY KEY,
    consultation_id TEXT    NOT NULL,
    municipality    INTEGER NOT NULL,
    present         INTEGER NOT NULL,
    counts          TEXT    NOT NULL, -- JSON object: category → count
    adaptations     TEXT    NOT NULL, -- JSON array
    recorded_by     TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL
) STRICT;

CREATE INDEX group_facts_by_consultation ON group_facts (consultation_id);
