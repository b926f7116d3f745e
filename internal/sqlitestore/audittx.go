package sqlitestore

import (
	"context"
	"database/sql"

	"github.com/voci-platform/voci/internal/voci"
)

// execer is what *sql.DB and *sql.Tx share for writing.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// appendAudit inserts the entry through w, which is the change's own transaction when the
// entry is written with a change. ECONFLICT when the ID exists.
func appendAudit(ctx context.Context, w execer, e *voci.AuditEntry) error {
	_, err := w.ExecContext(ctx, `INSERT INTO audit_log
		(id, at, actor_id, actor_email, actor_role, municipality, action, object_type, object_id, request_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, formatTime(e.At), e.ActorID, e.ActorEmail, string(e.ActorRole), e.Municipality,
		e.Action, e.ObjectType, e.ObjectID, e.RequestID, e.Detail)
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECONFLICT, "An audit entry with this identifier already exists.")
	}
	return storeError("append audit entry", err)
}

// withAudit runs change and writes its audit entry (when not nil) in one transaction: both
// are stored, or neither.
func (s *Store) withAudit(ctx context.Context, op string, audit *voci.AuditEntry, change func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storeError(op, err)
	}
	defer tx.Rollback()
	if err := change(tx); err != nil {
		return err
	}
	return commitWithAudit(ctx, tx, op, audit)
}

// commitWithAudit writes the change's audit entry (when not nil) in the change's own
// transaction and commits it: both are stored, or neither.
func commitWithAudit(ctx context.Context, tx *sql.Tx, op string, audit *voci.AuditEntry) error {
	if audit != nil {
		if err := appendAudit(ctx, tx, audit); err != nil {
			return err
		}
	}
	return storeError(op, tx.Commit())
}

// CompletePendingAudit has nothing to do: the embedded store writes each audit entry in its
// change's transaction.
func (s *Store) CompletePendingAudit(context.Context) (int, error) { return 0, nil }

// Path returns the database file's path, for tools and tests that open the file themselves.
func (s *Store) Path() string { return s.path }
