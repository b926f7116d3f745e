-- 0008: how telling the safeguarding leads of a help request went (see voci.HelpNotification),
-- so that the lead's list shows a request whose email could not be sent. Requests made before
-- this migration read as '' (not recorded).
ALTER TABLE help_requests ADD COLUMN notification TEXT NOT NULL DEFAULT '';
