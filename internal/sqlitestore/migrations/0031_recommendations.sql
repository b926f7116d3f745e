-- 0031: recommendations (voci.Recommendation): what children ask for, made from a consultation's
-- themes or from a children's council motion, addressed to the body that must answer.
CREATE TABLE recommendations (
    id              TEXT    PRIMARY KEY,
    municipality    INTEGER NOT NULL,
    source          TEXT    NOT NULL,
    consultation_id TEXT    NOT NULL DEFAULT '', -- '' unless source = 'consultation'
    theme_ids       TEXT    NOT NULL,            -- JSON array
    source_ref      TEXT    NOT NULL DEFAULT '',
    title           TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    audience_body   TEXT    NOT NULL,
    revision        INTEGER NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

CREATE INDEX recommendations_by_municipality ON recommendations (municipality, created_at);
CREATE INDEX recommendations_by_consultation ON recommendations (consultation_id, created_at);
