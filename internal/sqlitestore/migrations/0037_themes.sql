-- 0037: themes of a consultation's input (voci.Theme), grouped by its reviewers, and the index
-- the review workspace lists approved texts through.
CREATE TABLE themes (
    id              TEXT    PRIMARY KEY,
    municipality    INTEGER NOT NULL,
    consultation_id TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    summary         TEXT    NOT NULL,
    items           TEXT    NOT NULL, -- JSON array of {answerId, questionId, optionId}
    quotes          TEXT    NOT NULL, -- JSON array of {answerId, text}: the approved text only
    revision        INTEGER NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

CREATE INDEX themes_by_consultation ON themes (consultation_id, created_at, id);

-- The workspace pages through a consultation's approved texts, oldest first, and counts them.
CREATE INDEX answers_approved ON answers (consultation_id, created_at, id) WHERE moderation = 'approved';
