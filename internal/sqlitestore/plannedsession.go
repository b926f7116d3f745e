package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

const plannedColumns = `id, consultation_id, municipality, starts_at, minutes, group_name, place, facilitator_id, revision,
	cancelled, cancelled_at, live_session_id, started_at, created_by, created_at, updated_at`

// CreatePlannedSession stores a new plan with its audit entry.
func (s *Store) CreatePlannedSession(ctx context.Context, p *voci.PlannedSession, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create planned session", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO planned_sessions (`+plannedColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.ConsultationID, p.Municipality, formatTime(p.StartsAt), p.Minutes, p.Group, p.Place, p.FacilitatorID,
			max(p.Revision, 1), b2i(p.Cancelled), optTime(p.CancelledAt), p.LiveSessionID, optTime(p.StartedAt), p.CreatedBy,
			formatTime(p.CreatedAt), formatTime(p.UpdatedAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A planned session with this identifier already exists.")
		}
		return storeError("create planned session", err)
	})
}

// FindPlannedSession returns ENOTFOUND when there is no such plan.
func (s *Store) FindPlannedSession(ctx context.Context, id string) (*voci.PlannedSession, error) {
	list, err := s.plannedSessions(ctx, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such planned session.")
	}
	return &list[0], nil
}

// ListPlannedSessions returns the consultation's plans, soonest first.
func (s *Store) ListPlannedSessions(ctx context.Context, consultationID string) ([]voci.PlannedSession, error) {
	return s.plannedSessions(ctx, `WHERE consultation_id = ? ORDER BY starts_at, id`, consultationID)
}

// FindUpcomingPlannedSessions returns the municipality's plans still to start from from on.
func (s *Store) FindUpcomingPlannedSessions(ctx context.Context, municipality int, from time.Time, limit int) ([]voci.PlannedSession, error) {
	return s.plannedSessions(ctx, `WHERE municipality = ? AND starts_at >= ? AND cancelled = 0 AND live_session_id = ''
		ORDER BY starts_at, id LIMIT ?`, municipality, formatTime(from), max(limit, 1))
}

// UpdatePlannedSession writes p over revision p.Revision-1 of a plan neither cancelled nor started.
func (s *Store) UpdatePlannedSession(ctx context.Context, p *voci.PlannedSession, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update planned session", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE planned_sessions SET starts_at = ?, minutes = ?, group_name = ?, place = ?,
			facilitator_id = ?, revision = ?, cancelled = ?, cancelled_at = ?, updated_at = ?
			WHERE id = ? AND revision = ? AND cancelled = 0 AND live_session_id = ''`,
			formatTime(p.StartsAt), p.Minutes, p.Group, p.Place, p.FacilitatorID, p.Revision, b2i(p.Cancelled),
			optTime(p.CancelledAt), formatTime(p.UpdatedAt), p.ID, p.Revision-1)
		return s.plannedChanged(ctx, tx, "update planned session", p.ID, res, err)
	})
}

// LinkPlannedSession sets the plan's live session if it is still previous and not cancelled.
func (s *Store) LinkPlannedSession(ctx context.Context, id, previous, liveSessionID string, at time.Time, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "link planned session", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE planned_sessions SET live_session_id = ?, started_at = ?, revision = revision + 1,
			updated_at = CASE WHEN ? = '' THEN updated_at ELSE ? END
			WHERE id = ? AND live_session_id = ? AND cancelled = 0`,
			liveSessionID, optTime(at), optTime(at), optTime(at), id, previous)
		return s.plannedChanged(ctx, tx, "link planned session", id, res, err)
	})
}

// plannedChanged turns a conditional update that changed nothing into ENOTFOUND or ECHANGED.
func (s *Store) plannedChanged(ctx context.Context, tx *sql.Tx, op, id string, res sql.Result, err error) error {
	if err != nil {
		return storeError(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return storeError(op, err)
	} else if n == 1 {
		return nil
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM planned_sessions WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return voci.Errorf(voci.ENOTFOUND, "No such planned session.")
	}
	if err != nil {
		return storeError(op, err)
	}
	return voci.Errorf(voci.ECHANGED, "Someone else changed this planned session meanwhile; reload it and make your change again.")
}

func (s *Store) plannedSessions(ctx context.Context, where string, args ...any) ([]voci.PlannedSession, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+plannedColumns+` FROM planned_sessions `+where, args...)
	if err != nil {
		return nil, storeError("find planned sessions", err)
	}
	defer rows.Close()
	var out []voci.PlannedSession
	for rows.Next() {
		var p voci.PlannedSession
		var startsAt, cancelledAt, startedAt, createdAt, updatedAt string
		var cancelled int
		if err := rows.Scan(&p.ID, &p.ConsultationID, &p.Municipality, &startsAt, &p.Minutes, &p.Group, &p.Place, &p.FacilitatorID,
			&p.Revision, &cancelled, &cancelledAt, &p.LiveSessionID, &startedAt, &p.CreatedBy, &createdAt, &updatedAt); err != nil {
			return nil, storeError("find planned sessions", err)
		}
		p.Cancelled = cancelled != 0
		var e [5]error
		p.StartsAt, e[0] = parseTime(startsAt)
		p.CancelledAt, e[1] = parseOptTime(cancelledAt)
		p.StartedAt, e[2] = parseOptTime(startedAt)
		p.CreatedAt, e[3] = parseTime(createdAt)
		p.UpdatedAt, e[4] = parseTime(updatedAt)
		if err := errors.Join(e[:]...); err != nil {
			return nil, storeError("find planned sessions", err)
		}
		out = append(out, p)
	}
	return out, storeError("find planned sessions", rows.Err())
}
