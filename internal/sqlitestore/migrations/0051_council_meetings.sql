-- 0051: youth councils' meetings (voci.CouncilMeeting).
CREATE TABLE council_meetings (
    id           TEXT    PRIMARY KEY,
    council_id   TEXT    NOT NULL REFERENCES youth_councils (id),
    municipality INTEGER NOT NULL,
    title        TEXT    NOT NULL,
    starts_at    TEXT    NOT NULL,
    place        TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    opened_at    TEXT    NOT NULL, -- '' until the room opens it
    ended_at     TEXT    NOT NULL, -- '' until it ends
    version      INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    created_by   TEXT    NOT NULL
) STRICT;

CREATE INDEX council_meetings_by_council ON council_meetings (council_id, starts_at, id);
