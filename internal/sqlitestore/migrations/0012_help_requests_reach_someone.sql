-- 0012: help requests that always reach someone. A request says why it was made (the child
-- asked, or a text was flagged as a possible disclosure), carries the leads' note and can be
-- closed; a participant has at most one open request, and an answer raises at most one, both
-- held by unique indexes so that racing presses make one request. Notices to the leads wait
-- in a durable queue, one row per request and recipient.
ALTER TABLE help_requests ADD COLUMN kind      TEXT NOT NULL DEFAULT 'asked';
ALTER TABLE help_requests ADD COLUMN answer_id TEXT NOT NULL DEFAULT '';
ALTER TABLE help_requests ADD COLUMN note      TEXT NOT NULL DEFAULT '';
ALTER TABLE help_requests ADD COLUMN noted_by  TEXT NOT NULL DEFAULT '';
ALTER TABLE help_requests ADD COLUMN noted_at  TEXT NOT NULL DEFAULT '';
ALTER TABLE help_requests ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE help_requests ADD COLUMN closed_at TEXT NOT NULL DEFAULT '';

-- Before, a request was done once acknowledged: those are closed. Of a participant's
-- remaining open requests (two presses that raced), the earliest stays open.
UPDATE help_requests SET closed_by = acknowledged_by, closed_at = acknowledged_at WHERE acknowledged_by != '';
UPDATE help_requests SET closed_at = created_at
 WHERE closed_at = '' AND EXISTS (SELECT 1 FROM help_requests o
   WHERE o.participant_id = help_requests.participant_id AND o.closed_at = ''
     AND (o.created_at < help_requests.created_at OR (o.created_at = help_requests.created_at AND o.id < help_requests.id)));

CREATE UNIQUE INDEX help_requests_open_by_participant ON help_requests (participant_id) WHERE kind = 'asked' AND closed_at = '';
CREATE UNIQUE INDEX help_requests_by_answer ON help_requests (answer_id) WHERE answer_id != '';
CREATE INDEX help_requests_by_acknowledgement ON help_requests (municipality, acknowledged_by, created_at, id);

CREATE TABLE help_notices (
    id           TEXT    NOT NULL PRIMARY KEY, -- request ID | recipient
    request_id   TEXT    NOT NULL,
    municipality INTEGER NOT NULL,
    recipient    TEXT    NOT NULL,             -- '' for the fan-out
    name         TEXT    NOT NULL,
    lang         TEXT    NOT NULL,
    attempts     INTEGER NOT NULL,
    due_at       TEXT    NOT NULL,
    lease_owner  TEXT    NOT NULL,
    lease_until  TEXT    NOT NULL,
    sent_at      TEXT    NOT NULL,
    last_error   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
) STRICT;

CREATE INDEX help_notices_due ON help_notices (sent_at, due_at);
CREATE INDEX help_notices_by_request ON help_notices (request_id, sent_at);
