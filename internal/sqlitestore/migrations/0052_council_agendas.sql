-- 0052: council meetings' agendas (voci.Agenda): one row per meeting, its items (with their
-- attachments' file IDs) as JSON, written whole and conditionally on its version.
CREATE TABLE council_agendas (
    meeting_id   TEXT    PRIMARY KEY REFERENCES council_meetings (id),
    council_id   TEXT    NOT NULL,
    municipality INTEGER NOT NULL,
    items        TEXT    NOT NULL, -- JSON array of agenda items, in their order
    version      INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL
) STRICT;
