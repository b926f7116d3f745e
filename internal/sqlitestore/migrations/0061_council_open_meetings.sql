-- 0061: one meeting of a youth council is open at a time, across instances. Opening a meeting
-- first claims the council's row here with a conditional write (insert if absent, or swap
-- from the holder read); ending it clears the row.
CREATE TABLE council_open_meetings (
	council_id TEXT PRIMARY KEY,
	meeting_id TEXT NOT NULL
) STRICT;
