package sqlitestore

import (
	"context"
	"strings"

	"github.com/voci-platform/voci/internal/voci"
)

// AppendAudit stores a new entry, its time in UTC. It returns ECONFLICT when the ID exists.
func (s *Store) AppendAudit(ctx context.Context, e *voci.AuditEntry) error {
	return appendAudit(ctx, s.write, e)
}

// FindAudit returns one page of entries, newest first (ties by ID, descending), and the number
// of matches. From is inclusive and Until exclusive. A nil Municipalities means every
// municipality; an empty, non-nil one matches nothing, so that a caller who may see no
// municipality sees no entry. It normalizes the filter (voci.AuditFilter.Normalize), so that no
// caller can ask for an unbounded page, and returns its EINVALID.
func (s *Store) FindAudit(ctx context.Context, f voci.AuditFilter) ([]voci.AuditEntry, int, error) {
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	if f.Municipalities != nil && len(f.Municipalities) == 0 {
		return nil, 0, nil
	}
	var where []string
	var args []any
	if len(f.Municipalities) > 0 {
		where = append(where, `municipality IN (?`+strings.Repeat(", ?", len(f.Municipalities)-1)+`)`)
		for _, m := range f.Municipalities {
			args = append(args, m)
		}
	}
	if f.ActorID != "" {
		where = append(where, `actor_id = ?`)
		args = append(args, f.ActorID)
	}
	if f.Action != "" {
		where = append(where, `action = ?`)
		args = append(args, f.Action)
	}
	if f.From != nil {
		where = append(where, `at >= ?`)
		args = append(args, formatTime(*f.From))
	}
	if f.Until != nil {
		where = append(where, `at < ?`)
		args = append(args, formatTime(*f.Until))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}

	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, storeError("find audit entries", err)
	}
	defer tx.Rollback()

	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`+cond, args...).Scan(&total); err != nil {
		return nil, 0, storeError("count audit entries", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, at, actor_id, actor_email, actor_role, municipality, action,
		object_type, object_id, request_id, detail FROM audit_log`+cond+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, storeError("find audit entries", err)
	}
	defer rows.Close()
	var entries []voci.AuditEntry
	for rows.Next() {
		var e voci.AuditEntry
		var at, role string
		err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorEmail, &role, &e.Municipality, &e.Action,
			&e.ObjectType, &e.ObjectID, &e.RequestID, &e.Detail)
		if err != nil {
			return nil, 0, storeError("find audit entries", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, 0, storeError("find audit entries", err)
		}
		e.ActorRole = voci.Role(role)
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, storeError("find audit entries", err)
	}
	return entries, total, nil
}
