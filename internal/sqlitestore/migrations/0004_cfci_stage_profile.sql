-- 0004: each municipality's place in the Child Friendly Cities Initiative (the current stage,
-- with its append-only history) and its profile (child population, safeguarding lead,
-- feedback deadline).
--
-- The current stage is kept on the municipality, next to enrolled, so that a listing reads it
-- without a join and RecordStage can change both with a compare-and-set on the stage it read.
-- stage is '' for a municipality never enrolled; stage_since is its effective day, YYYY-MM-DD.

ALTER TABLE municipalities ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE municipalities ADD COLUMN stage_since TEXT NOT NULL DEFAULT '';

-- Entries are only ever appended; rowid is the order they were recorded in. An ID is unique
-- within a municipality's history, as it is in the MongoDB store's embedded array.
CREATE TABLE municipality_stage_history (
    id                TEXT    NOT NULL,
    siruta            INTEGER NOT NULL REFERENCES municipalities (siruta),
    stage             TEXT    NOT NULL,
    effective_date    TEXT    NOT NULL,
    recorded_at       TEXT    NOT NULL,
    recorded_by       TEXT    NOT NULL,
    recorded_by_email TEXT    NOT NULL,
    note              TEXT    NOT NULL,
    UNIQUE (siruta, id)
) STRICT;

-- A row exists once something was recorded; until then the domain's defaults apply.
-- The rules (bounds, formats) are the domain's: voci.ProfileUpdate.Validate.
CREATE TABLE municipality_profiles (
    siruta                 INTEGER PRIMARY KEY REFERENCES municipalities (siruta),
    safeguarding_name      TEXT    NOT NULL DEFAULT '',
    safeguarding_phone     TEXT    NOT NULL DEFAULT '',
    safeguarding_email     TEXT    NOT NULL DEFAULT '',
    feedback_deadline_days INTEGER NOT NULL,
    updated_at             TEXT    NOT NULL,
    updated_by             TEXT    NOT NULL
) STRICT;

-- One row per known age band; an unknown band has no row.
CREATE TABLE municipality_child_population (
    siruta   INTEGER NOT NULL REFERENCES municipalities (siruta),
    age_band TEXT    NOT NULL,
    children INTEGER NOT NULL CHECK (children >= 0),
    PRIMARY KEY (siruta, age_band)
) STRICT;
