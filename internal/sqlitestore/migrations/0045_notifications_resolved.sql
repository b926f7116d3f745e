-- 0045: a notification is withdrawn once what it asked for is done (voci.ResolveNotifications):
-- resolved_at is when ('' while it is still due). Adults' lists and unread counts read open
-- notifications only, so the indexes lead with the recipient and hold resolved_at.
ALTER TABLE notifications ADD COLUMN resolved_at TEXT NOT NULL DEFAULT '';

DROP INDEX notifications_unread;
CREATE INDEX notifications_unread ON notifications (recipient, resolved_at, read_at);
CREATE INDEX notifications_open ON notifications (municipality, resolved_at);
