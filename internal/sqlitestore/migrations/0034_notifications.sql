-- 0034: notifications of council members and coordinators (see voci.Notification). The key
-- (kind, object, recipient, due date) is unique, so that the reminder job, run by several
-- instances, makes each notification once; the email of each waits in the same row, leased
-- to one worker at a time.
CREATE TABLE notifications (
    id                TEXT    NOT NULL PRIMARY KEY,
    key               TEXT    NOT NULL UNIQUE,
    municipality      INTEGER NOT NULL,
    recipient         TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    consultation_id   TEXT    NOT NULL,
    recommendation_id TEXT    NOT NULL,
    title             TEXT    NOT NULL,
    due_at            TEXT    NOT NULL, -- '' when none
    created_at        TEXT    NOT NULL,
    read_at           TEXT    NOT NULL, -- '' while unread
    email             TEXT    NOT NULL,
    lang              TEXT    NOT NULL,
    mail_state        TEXT    NOT NULL,
    mail_attempts     INTEGER NOT NULL,
    mail_due_at       TEXT    NOT NULL,
    mail_sent_at      TEXT    NOT NULL,
    mail_error        TEXT    NOT NULL,
    lease_owner       TEXT    NOT NULL,
    lease_until       TEXT    NOT NULL
) STRICT;

CREATE INDEX notifications_by_recipient ON notifications (recipient, created_at, id);
CREATE INDEX notifications_unread ON notifications (recipient, read_at);
CREATE INDEX notifications_mail_due ON notifications (mail_state, mail_due_at);
