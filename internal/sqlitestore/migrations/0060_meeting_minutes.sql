-- 0060: council meetings' minutes (voci.MeetingMinutes): one row per meeting, its Markdown text
-- written whole and conditionally on its revision while a draft; once approved the row keeps
-- the SHA-256 of its text, so that a text changed outside the platform shows as not verified.
CREATE TABLE meeting_minutes (
    meeting_id    TEXT    PRIMARY KEY REFERENCES council_meetings (id),
    council_id    TEXT    NOT NULL,
    municipality  INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'approved')),
    revision      INTEGER NOT NULL,
    flags         TEXT    NOT NULL, -- JSON array: screening's reasons to hold a member's edit
    text_approved INTEGER NOT NULL,
    drafted_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    edited_by     TEXT    NOT NULL,
    approved_at   TEXT    NOT NULL, -- '' while a draft
    approved_in   TEXT    NOT NULL, -- the approving meeting's ID
    hash          TEXT    NOT NULL,
    approval_yes     INTEGER NOT NULL,
    approval_no      INTEGER NOT NULL,
    approval_abstain INTEGER NOT NULL
) STRICT;
CREATE INDEX meeting_minutes_council ON meeting_minutes (council_id);
