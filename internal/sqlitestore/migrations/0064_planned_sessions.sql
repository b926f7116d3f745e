-- 0064: live sessions planned ahead (voci.PlannedSession). A plan is changed conditionally on
-- its revision; live_session_id is set once, conditionally on its previous value, so that two
-- presses of "start now" start one session.
CREATE TABLE planned_sessions (
    id              TEXT    PRIMARY KEY,
    consultation_id TEXT    NOT NULL,
    municipality    INTEGER NOT NULL,
    starts_at       TEXT    NOT NULL,
    minutes         INTEGER NOT NULL,
    group_name      TEXT    NOT NULL, -- the group in plain words, never a child's name
    place           TEXT    NOT NULL,
    facilitator_id  TEXT    NOT NULL,
    revision        INTEGER NOT NULL,
    cancelled       INTEGER NOT NULL,
    cancelled_at    TEXT    NOT NULL, -- '' unless cancelled
    live_session_id TEXT    NOT NULL, -- '' until started
    started_at      TEXT    NOT NULL, -- '' until started
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;
CREATE INDEX planned_sessions_consultation ON planned_sessions (consultation_id, starts_at);
CREATE INDEX planned_sessions_upcoming ON planned_sessions (municipality, starts_at) WHERE cancelled = 0 AND live_session_id = '';
