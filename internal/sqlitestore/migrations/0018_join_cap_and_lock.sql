-- 0018: a facilitator can close a live session to new children, and joins are capped per
-- client in windows that every request through this store sees.
ALTER TABLE live_sessions ADD COLUMN joins_locked INTEGER NOT NULL DEFAULT 0;

-- One row per throttled key: the window's start (Unix nanoseconds) and the uses counted in it.
CREATE TABLE throttle_slots (
	key          TEXT PRIMARY KEY,
	window_start INTEGER NOT NULL,
	window_end   INTEGER NOT NULL,
	uses         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX throttle_slots_by_end ON throttle_slots (window_end);
