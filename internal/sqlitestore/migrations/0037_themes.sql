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

-- The workspace pages through a consultation's approved texts, oldest first, counts them and
-- filters them by question, channel, age band and session from the index alone; only the texts
-- of the page are read from the table.
CREATE INDEX answers_approved ON answers (consultation_id, created_at, id, question_id, source, age_band, session_id)
    WHERE moderation = 'approved';

-- Counting a question's visible answers (CountAnswers: the workspace's options, and results)
-- reads this index alone, already in the order of its groups.
CREATE INDEX answers_tally ON answers (question_id, choices, age_band, gender, source, moderation)
    WHERE moderation IN ('', 'approved');
