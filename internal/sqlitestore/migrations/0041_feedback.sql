-- 0041: feedback to children (voci.Feedback): one row per version of the feedback on a
-- recommendation. A published row is never changed: a correction is the next version.
CREATE TABLE feedback (
    id                TEXT    PRIMARY KEY,
    recommendation_id TEXT    NOT NULL,
    consultation_id   TEXT    NOT NULL DEFAULT '',
    municipality      INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    corrects          TEXT    NOT NULL DEFAULT '',
    state             TEXT    NOT NULL CHECK (state IN ('draft', 'in_review', 'published')),
    texts             TEXT    NOT NULL, -- JSON: {"ro": {"text": …, "easyRead": …}, …}
    authors           TEXT    NOT NULL, -- JSON array of account IDs
    reviewed_by       TEXT    NOT NULL DEFAULT '',
    revision          INTEGER NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    submitted_at      TEXT    NOT NULL DEFAULT '',
    published_at      TEXT    NOT NULL DEFAULT '',
    UNIQUE (recommendation_id, version)
) STRICT;

CREATE INDEX feedback_by_municipality ON feedback (municipality, state);
CREATE INDEX feedback_by_consultation ON feedback (consultation_id, state);

-- Published feedback stays as it was published, whatever writes to the file.
CREATE TRIGGER feedback_published_is_kept BEFORE UPDATE ON feedback
WHEN OLD.state = 'published'
BEGIN
    SELECT RAISE(ABORT, 'published feedback is not changed');
END;
