package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/voci-platform/voci/internal/voci"
)

// CreateSession stores a new session. It returns ECONFLICT when the ID exists and ENOTFOUND
// when the account does not.
func (s *Store) CreateSession(ctx context.Context, sess *voci.Session, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create session", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, account_id, csrf_token, user_agent, created_at, last_seen_at)
			VALUES (?, ?, ?, ?, ?, ?)`,
			sess.ID, sess.AccountID, sess.CSRFToken, sess.UserAgent, formatTime(sess.CreatedAt), formatTime(sess.LastSeenAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A session with this identifier already exists.")
		}
		if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
			return voci.Errorf(voci.ENOTFOUND, "No such account.")
		}
		return storeError("create session", err)
	})
}

// FindSession returns ENOTFOUND when there is no session with that ID.
func (s *Store) FindSession(ctx context.Context, id string) (*voci.Session, error) {
	sess, err := scanSession(s.read.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such session.")
	}
	if err != nil {
		return nil, storeError("find session", err)
	}
	return &sess, nil
}

const sessionColumns = `id, account_id, csrf_token, user_agent, created_at, last_seen_at`

func scanSession(row scanner) (voci.Session, error) {
	var sess voci.Session
	var created, seen string
	if err := row.Scan(&sess.ID, &sess.AccountID, &sess.CSRFToken, &sess.UserAgent, &created, &seen); err != nil {
		return sess, err
	}
	var err error
	if sess.CreatedAt, err = parseTime(created); err != nil {
		return sess, err
	}
	sess.LastSeenAt, err = parseTime(seen)
	return sess, err
}

// TouchSession sets LastSeenAt. It returns ENOTFOUND when the session is gone.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, formatTime(at), id)
	if err != nil {
		return storeError("touch session", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return storeError("touch session", err)
	}
	if n == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No such session.")
	}
	return nil
}

// DeleteSession ends one session and writes its audit entry (when not nil) in the same
// transaction. Deleting a missing one is not an error, so that signing out twice is harmless,
// and writes no entry.
func (s *Store) DeleteSession(ctx context.Context, id string, audit *voci.AuditEntry) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storeError("delete session", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	if err != nil {
		return storeError("delete session", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return storeError("delete session", err)
	}
	return commitWithAudit(ctx, tx, "delete session", audit)
}

// DeleteAccountSessions ends every session of the account except exceptID (which may be "")
// and returns how many it ended, writing the audit entry (when not nil) in the same
// transaction.
func (s *Store) DeleteAccountSessions(ctx context.Context, accountID, exceptID string, audit *voci.AuditEntry) (int, error) {
	var n int64
	err := s.withAudit(ctx, "delete account sessions", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ? AND id <> ?`, accountID, exceptID)
		if err != nil {
			return storeError("delete account sessions", err)
		}
		n, err = res.RowsAffected()
		return storeError("delete account sessions", err)
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}

// ListAccountSessions returns the account's sessions, newest first (ties by ID, descending).
func (s *Store) ListAccountSessions(ctx context.Context, accountID string) ([]voci.Session, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE account_id = ?
		ORDER BY created_at DESC, id DESC`, accountID)
	if err != nil {
		return nil, storeError("list sessions", err)
	}
	defer rows.Close()
	var sessions []voci.Session
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			return nil, storeError("list sessions", err)
		}
		sessions = append(sessions, sess)
	}
	return sessions, storeError("list sessions", rows.Err())
}

// DeleteExpiredSessions ends the sessions last seen before lastSeenBefore or created before
// createdBefore. Times are fixed-width UTC text, so they compare as strings.
func (s *Store) DeleteExpiredSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) (int, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`,
		formatTime(lastSeenBefore), formatTime(createdBefore))
	if err != nil {
		return 0, storeError("delete expired sessions", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, storeError("delete expired sessions", err)
	}
	return int(n), nil
}
