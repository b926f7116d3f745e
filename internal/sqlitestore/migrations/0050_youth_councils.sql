-- 0050: youth councils (voci.YouthCouncil), one per municipality, their members with their
-- guardians' consent, members' sign-in cards (only the hash of a card's secret) and the
-- sessions members open with them, apart from adults' sessions.
CREATE TABLE youth_councils (
    id           TEXT    PRIMARY KEY,
    municipality INTEGER NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    term_start   TEXT    NOT NULL, -- YYYY-MM-DD
    term_end     TEXT    NOT NULL,
    quorum_num   INTEGER NOT NULL,
    quorum_den   INTEGER NOT NULL,
    majority     TEXT    NOT NULL,
    chair        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
) STRICT;

CREATE TABLE council_members (
    id           TEXT    PRIMARY KEY,
    council_id   TEXT    NOT NULL REFERENCES youth_councils (id),
    municipality INTEGER NOT NULL,
    display_name TEXT    NOT NULL,
    age_band     TEXT    NOT NULL,
    office       TEXT    NOT NULL, -- '' for none
    joined_on    TEXT    NOT NULL,
    left_on      TEXT    NOT NULL, -- '' while in office
    name_removed INTEGER NOT NULL,
    consent      TEXT,             -- JSON of the guardian's consent, NULL when none
    card_id      TEXT    NOT NULL, -- the one valid card, '' for none
    version      INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
) STRICT;

CREATE INDEX council_members_by_council ON council_members (council_id, created_at, id);
-- One president, one vice-president and one secretary among the members in office.
CREATE UNIQUE INDEX council_members_one_office ON council_members (council_id, office)
    WHERE office <> '' AND left_on = '';

CREATE TABLE council_cards (
    id           TEXT    PRIMARY KEY,
    member_id    TEXT    NOT NULL REFERENCES council_members (id),
    council_id   TEXT    NOT NULL,
    municipality INTEGER NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    issued_by    TEXT    NOT NULL,
    issued_at    TEXT    NOT NULL,
    revoked_at   TEXT    NOT NULL -- '' unless revoked or replaced
) STRICT;

CREATE INDEX council_cards_by_member ON council_cards (member_id);

CREATE TABLE council_member_sessions (
    id           TEXT    PRIMARY KEY,
    member_id    TEXT    NOT NULL,
    council_id   TEXT    NOT NULL,
    municipality INTEGER NOT NULL,
    card_id      TEXT    NOT NULL,
    csrf_token   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
) STRICT;
