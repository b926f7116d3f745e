-- 0054: live meetings' logs (voci.MeetingCommand). A meeting's commands are appended in
-- order, one row each, never changed; the client's key of a command is unique in its
-- meeting, so that a command sent again is not applied twice. The ballots of the open vote
-- are kept apart, one row per member, and deleted in the transaction that stores the vote's
-- close: after a secret vote closes, no row links a member to a choice.
CREATE TABLE meeting_log (
    meeting_id TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    command_id TEXT,             -- the client's key, NULL for commands without one
    kind       TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    body       TEXT    NOT NULL, -- the command as JSON (voci.MarshalMeetingCommand)
    PRIMARY KEY (meeting_id, seq)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX meeting_log_command ON meeting_log (meeting_id, command_id) WHERE command_id IS NOT NULL;

CREATE TABLE meeting_ballots (
    meeting_id TEXT NOT NULL,
    member_id  TEXT NOT NULL,
    choice     TEXT NOT NULL,
    command_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
) STRICT, WITHOUT ROWID;
