package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/voci-platform/voci/internal/voci"
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
		_, _ = s.write.ExecContext(ctx, `DELETE FROM throttle_failures WHERE window_end <= ?`, now.UnixNano())
	}
}

// failureReturning is the RETURNING clause every failure-budget write ends with.
const failureReturning = ` RETURNING window_start, window_end, failures, running, granted`

func scanFailureWindow(row interface{ Scan(...any) error }) (voci.FailureWindow, error) {
	var start, end int64
	var w voci.FailureWindow
	err := row.Scan(&start, &end, &w.Failures, &w.Running, &w.Granted)
	if err != nil {
		return voci.FailureWindow{}, err
	}
	w.Start, w.End = time.Unix(0, start).UTC(), time.Unix(0, end).UTC()
	return w, nil
}

// ReserveAttempt takes a place with one conditional upsert. Every expression of the update
// reads the row as it was, so "granted" and the new running count agree.
func (s *Store) ReserveAttempt(ctx context.Context, key string, limit int, window time.Duration, now time.Time) (voci.FailureWindow, error) {
	w, err := scanFailureWindow(s.write.QueryRowContext(ctx, `INSERT INTO throttle_failures
		(key, window_start, window_end, failures, running, granted) VALUES (?1, ?2, ?3, 0, CASE WHEN ?4 > 0 THEN 1 ELSE 0 END, ?4 > 0)
		ON CONFLICT (key) DO UPDATE SET
			window_start = CASE WHEN window_end <= ?2 THEN ?2 ELSE window_start END,
			window_end   = CASE WHEN window_end <= ?2 THEN ?3 ELSE window_end END,
			failures     = CASE WHEN window_end <= ?2 THEN 0 ELSE failures END,
			running      = CASE WHEN window_end <= ?2 THEN (?4 > 0) WHEN failures + running < ?4 THEN running + 1 ELSE running END,
			granted      = CASE WHEN window_end <= ?2 THEN ?4 > 0 ELSE failures + running < ?4 END`+failureReturning,
		key, now.UnixNano(), now.Add(window).UnixNano(), limit))
	if err != nil {
		return voci.FailureWindow{}, storeError("reserve an attempt", err)
	}
	s.pruneThrottle(ctx, now)
	return w, nil
}

// FinishAttempt gives the place back in the window it was taken in.
func (s *Store) FinishAttempt(ctx context.Context, key string, start time.Time, failed bool) error {
	_, err := s.write.ExecContext(ctx, `UPDATE throttle_failures SET running = MAX(running - 1, 0), failures = failures + ?
		WHERE key = ? AND window_start = ?`, failed, key, start.UnixNano())
	return storeError("finish an attempt", err)
}

// AddFailure counts a failure with one upsert, starting the window again when it has ended.
func (s *Store) AddFailure(ctx context.Context, key string, window time.Duration, now time.Time) (voci.FailureWindow, error) {
	w, err := scanFailureWindow(s.write.QueryRowContext(ctx, `INSERT INTO throttle_failures
		(key, window_start, window_end, failures, running, granted) VALUES (?1, ?2, ?3, 1, 0, 0)
		ON CONFLICT (key) DO UPDATE SET
			window_start = CASE WHEN window_end <= ?2 THEN ?2 ELSE window_start END,
			window_end   = CASE WHEN window_end <= ?2 THEN ?3 ELSE window_end END,
			failures     = CASE WHEN window_end <= ?2 THEN 1 ELSE failures + 1 END,
			running      = CASE WHEN window_end <= ?2 THEN 0 ELSE running END`+failureReturning,
		key, now.UnixNano(), now.Add(window).UnixNano()))
	if err != nil {
		return voci.FailureWindow{}, storeError("count a failed attempt", err)
	}
	s.pruneThrottle(ctx, now)
	return w, nil
}

// FindFailures reads key's window through the readers: no write on the way of an attempt
// that succeeds.
func (s *Store) FindFailures(ctx context.Context, key string, now time.Time) (voci.FailureWindow, error) {
	w, err := scanFailureWindow(s.read.QueryRowContext(ctx, `SELECT window_start, window_end, failures, running, granted
		FROM throttle_failures WHERE key = ? AND window_end > ?`, key, now.UnixNano()))
	if errors.Is(err, sql.ErrNoRows) {
		return voci.FailureWindow{}, nil
	}
	if err != nil {
		return voci.FailureWindow{}, storeError("find failed attempts", err)
	}
	return w, nil
}
