-- 0030: failed-attempt budgets (wrong passwords, codes and links) are kept in the store, so
-- that every instance sharing it counts against the same budget. One row per key: the
-- window (Unix nanoseconds), the failures counted in it, the attempts holding a place that
-- have not finished, and whether the last reservation was granted.
CREATE TABLE throttle_failures (
	key          TEXT PRIMARY KEY,
	window_start INTEGER NOT NULL,
	window_end   INTEGER NOT NULL,
	failures     INTEGER NOT NULL,
	running      INTEGER NOT NULL,
	granted      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX throttle_failures_by_end ON throttle_failures (window_end);
