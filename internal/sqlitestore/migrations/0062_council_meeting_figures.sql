-- 0062: the summary of each ended youth-council meeting (voci.MeetingFigures), written when the
-- meeting ends, from its stored log: what the national indicators meetings held, attendance
-- rate and motions passed count. One row per meeting; writing it again replaces it. A write
-- counts as a change to the past (past_changes 'activity'), as recommendations do.
CREATE TABLE council_meeting_figures (
    meeting_id     TEXT    PRIMARY KEY,
    council_id     TEXT    NOT NULL,
    municipality   INTEGER NOT NULL,
    ended_at       TEXT    NOT NULL,
    in_office      INTEGER NOT NULL,
    present        INTEGER NOT NULL,
    motions_passed INTEGER NOT NULL
) STRICT;

CREATE INDEX council_meeting_figures_by_end ON council_meeting_figures (ended_at, municipality);
CREATE INDEX council_meeting_figures_by_municipality ON council_meeting_figures (municipality, ended_at);

CREATE TRIGGER past_changes_council_meeting_figures_insert AFTER INSERT ON council_meeting_figures BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_council_meeting_figures_update AFTER UPDATE ON council_meeting_figures BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
CREATE TRIGGER past_changes_council_meeting_figures_delete AFTER DELETE ON council_meeting_figures BEGIN UPDATE past_changes SET n = n + 1 WHERE name = 'activity'; END;
