-- export_jobs keeps the exports adults asked for (voci.ExportJobStore), so that a restart or
-- another instance sees them. A queued or running job holds one of its account's slots (slot
-- 0..n-1, NULL once finished): the unique index keeps one job per account and slot, so the
-- per-account limit holds whatever instance takes the request. request is the table, period,
-- language and scope asked for, as JSON.
CREATE TABLE export_jobs (
    id           TEXT    NOT NULL PRIMARY KEY,
    account_id   TEXT    NOT NULL,
    request      TEXT    NOT NULL,
    format       TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    slot         INTEGER,
    progress     REAL    NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    runner       TEXT    NOT NULL DEFAULT '',
    heartbeat_at TEXT,
    created_at   TEXT    NOT NULL,
    finished_at  TEXT,
    expires_at   TEXT,
    file_name    TEXT    NOT NULL,
    size         INTEGER NOT NULL DEFAULT 0,
    failure      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX export_jobs_account_slot ON export_jobs (account_id, slot) WHERE slot IS NOT NULL;
CREATE INDEX export_jobs_status_created ON export_jobs (status, created_at);
CREATE INDEX export_jobs_account_created ON export_jobs (account_id, created_at);
CREATE INDEX export_jobs_expires ON export_jobs (expires_at) WHERE expires_at IS NOT NULL;
