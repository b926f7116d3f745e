package sqlitestore

import (
	"context"
	"time"
)

// TakeSlot counts one use of key in its window with one conditional upsert: a window that has
// ended starts again at now with one use; otherwise the use is added. The use is within limit
// when the count it returns is. Ended windows are deleted at most once a minute.
func (s *Store) TakeSlot(ctx context.Context, key string, limit int, window time.Duration, now time.Time) (bool, time.Time, error) {
	n, end := now.UnixNano(), now.Add(window).UnixNano()
	var uses int
	var windowEnd int64
	err := s.write.QueryRowContext(ctx, `INSERT INTO throttle_slots (key, window_start, window_end, uses) VALUES (?, ?, ?, 1)
		ON CONFLICT (key) DO UPDATE SET
			window_start = CASE WHEN window_end <= excluded.window_start THEN excluded.window_start ELSE window_start END,
			window_end   = CASE WHEN window_end <= excluded.window_start THEN excluded.window_end ELSE window_end END,
			uses         = CASE WHEN window_end <= excluded.window_start THEN 1 ELSE uses + 1 END
		RETURNING uses, window_end`, key, n, end).Scan(&uses, &windowEnd)
	if err != nil {
		return false, time.Time{}, storeError("take throttle slot", err)
	}
	s.pruneThrottle(ctx, now)
	return uses <= limit, time.Unix(0, windowEnd).UTC(), nil
}

// pruneThrottle deletes the windows that have ended, now and then.
func (s *Store) pruneThrottle(ctx context.Context, now time.Time) {
	s.throttleMu.Lock()
	due := now.Sub(s.throttlePruned) >= time.Minute
	if due {
		s.throttlePruned = now
	}
	s.throttleMu.Unlock()
	if due {
		// Best effort: a row left over is deleted the next time.
		_, _ = s.write.ExecContext(ctx, `DELETE FROM throttle_slots WHERE window_end <= ?`, now.UnixNano())
	}
}
