package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// ---- help requests and the queue of notices about them

const helpColumns = `id, municipality, session_id, participant_id, alias, created_at, acknowledged_by, acknowledged_at,
	consultation_id, notification, kind, answer_id, note, noted_by, noted_at, closed_by, closed_at`

func scanHelpRequest(row interface{ Scan(...any) error }) (*voci.HelpRequest, error) {
	var h voci.HelpRequest
	var created, acked, noted, closed string
	if err := row.Scan(&h.ID, &h.Municipality, &h.SessionID, &h.ParticipantID, &h.Alias, &created, &h.AcknowledgedBy, &acked,
		&h.ConsultationID, &h.Notification, &h.Kind, &h.AnswerID, &h.Note, &h.NotedBy, &noted, &h.ClosedBy, &closed); err != nil {
		return nil, err
	}
	var e1, e2, e3, e4 error
	h.CreatedAt, e1 = parseTime(created)
	h.AcknowledgedAt, e2 = parseOptTime(acked)
	h.NotedAt, e3 = parseOptTime(noted)
	h.ClosedAt, e4 = parseOptTime(closed)
	return &h, errors.Join(e1, e2, e3, e4)
}

// CreateHelpRequest stores a help request; ECONFLICT if the ID exists, if the participant
// has an open request it asked for, or if the answer raised one (unique indexes).
func (s *Store) CreateHelpRequest(ctx context.Context, h *voci.HelpRequest) error {
	kind := h.Kind
	if kind == "" {
		kind = voci.HelpAsked
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO help_requests (id, municipality, session_id, participant_id, alias,
		created_at, acknowledged_by, acknowledged_at, consultation_id, notification, kind, answer_id, note, noted_by, noted_at,
		closed_by, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		h.ID, h.Municipality, h.SessionID, h.ParticipantID, h.Alias, formatTime(h.CreatedAt), h.AcknowledgedBy, optTime(h.AcknowledgedAt),
		h.ConsultationID, string(h.Notification), string(kind), h.AnswerID, h.Note, h.NotedBy, optTime(h.NotedAt), h.ClosedBy, optTime(h.ClosedAt))
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECONFLICT, "This help request exists already.")
	}
	if err == nil {
		h.Kind = kind
	}
	return storeError("create help request", err)
}

func (s *Store) findHelpRequest(ctx context.Context, op, where string, args ...any) (*voci.HelpRequest, error) {
	h, err := scanHelpRequest(s.read.QueryRowContext(ctx, `SELECT `+helpColumns+` FROM help_requests WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such help request.")
	}
	if err != nil {
		return nil, storeError(op, err)
	}
	return h, nil
}

// FindOpenHelpRequest returns the participant's open request; ENOTFOUND if none.
func (s *Store) FindOpenHelpRequest(ctx context.Context, participantID string) (*voci.HelpRequest, error) {
	return s.findHelpRequest(ctx, "find open help request", `participant_id = ? AND kind = 'asked' AND closed_at = ''`, participantID)
}

// FindHelpRequestByAnswer returns the request the answer raised; ENOTFOUND if none.
func (s *Store) FindHelpRequestByAnswer(ctx context.Context, answerID string) (*voci.HelpRequest, error) {
	if answerID == "" {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such help request.")
	}
	return s.findHelpRequest(ctx, "find help request by answer", `answer_id = ?`, answerID)
}

// FindHelpRequestByID returns ENOTFOUND when the municipality has no such request.
func (s *Store) FindHelpRequestByID(ctx context.Context, municipality int, id string) (*voci.HelpRequest, error) {
	return s.findHelpRequest(ctx, "find help request", `id = ? AND municipality = ?`, id, municipality)
}

// FindHelpRequests returns a page of the requests f selects: unacknowledged oldest first,
// acknowledged newest first.
func (s *Store) FindHelpRequests(ctx context.Context, f voci.HelpRequestFilter) ([]voci.HelpRequest, int, error) {
	cond, order := `acknowledged_by = ''`, `created_at ASC, id ASC`
	if f.Acknowledged {
		cond, order = `acknowledged_by != ''`, `created_at DESC, id DESC`
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM help_requests WHERE municipality = ? AND `+cond, f.Municipality).Scan(&total); err != nil {
		return nil, 0, storeError("find help requests", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+helpColumns+` FROM help_requests WHERE municipality = ? AND `+cond+
		` ORDER BY `+order+` LIMIT ? OFFSET ?`, f.Municipality, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, storeError("find help requests", err)
	}
	defer rows.Close()
	out := []voci.HelpRequest{}
	for rows.Next() {
		h, err := scanHelpRequest(rows)
		if err != nil {
			return nil, 0, storeError("find help requests", err)
		}
		out = append(out, *h)
	}
	return out, total, storeError("find help requests", rows.Err())
}

// updateHelpRequest runs one conditional update of the municipality's request; ENOTFOUND
// when the request does not exist there. A condition that no longer holds (acknowledged or
// closed already) leaves the request as it is.
func (s *Store) updateHelpRequest(ctx context.Context, op string, municipality int, id string, audit *voci.AuditEntry, set string, args ...any) error {
	if _, err := s.FindHelpRequestByID(ctx, municipality, id); err != nil {
		return err
	}
	args = append(args, id, municipality)
	return s.withAudit(ctx, op, audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE help_requests SET `+set+` AND id = ? AND municipality = ?`, args...)
		return storeError(op, err)
	})
}

// AcknowledgeHelpRequest records who took the request on; the first acknowledgement stays.
func (s *Store) AcknowledgeHelpRequest(ctx context.Context, municipality int, id, by string, at time.Time, audit *voci.AuditEntry) error {
	return s.updateHelpRequest(ctx, "acknowledge help request", municipality, id, audit,
		`acknowledged_by = ?, acknowledged_at = ? WHERE acknowledged_by = ''`, by, formatTime(at))
}

// NoteHelpRequest replaces the request's note.
func (s *Store) NoteHelpRequest(ctx context.Context, municipality int, id, note, by string, at time.Time, audit *voci.AuditEntry) error {
	return s.updateHelpRequest(ctx, "note help request", municipality, id, audit, `note = ?, noted_by = ?, noted_at = ? WHERE 1`, note, by, formatTime(at))
}

// CloseHelpRequest closes the request, acknowledging it when nobody had; the first close stays.
func (s *Store) CloseHelpRequest(ctx context.Context, municipality int, id, by string, at time.Time, audit *voci.AuditEntry) error {
	t := formatTime(at)
	return s.updateHelpRequest(ctx, "close help request", municipality, id, audit, `closed_by = ?, closed_at = ?,
		acknowledged_at = CASE WHEN acknowledged_by = '' THEN ? ELSE acknowledged_at END,
		acknowledged_by = CASE WHEN acknowledged_by = '' THEN ? ELSE acknowledged_by END WHERE closed_at = ''`, by, t, t, by)
}

// SetHelpNotification records how telling the safeguarding leads went.
func (s *Store) SetHelpNotification(ctx context.Context, municipality int, id string, n voci.HelpNotification) error {
	res, err := s.write.ExecContext(ctx, `UPDATE help_requests SET notification = ? WHERE id = ? AND municipality = ?`,
		string(n), id, municipality)
	if err != nil {
		return storeError("set help notification", err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return storeError("set help notification", err)
	} else if k == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No such help request.")
	}
	return nil
}

// EnqueueHelpNotices stores each notice whose ID is new.
func (s *Store) EnqueueHelpNotices(ctx context.Context, notices []voci.HelpNoticeJob) error {
	for _, n := range notices {
		_, err := s.write.ExecContext(ctx, `INSERT INTO help_notices (id, request_id, municipality, recipient, name, lang, attempts,
			due_at, lease_owner, lease_until, sent_at, last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, '', '', '', '', ?)
			ON CONFLICT (id) DO NOTHING`, n.ID, n.RequestID, n.Municipality, n.Recipient, n.Name, n.Lang, formatTime(n.DueAt), formatTime(n.CreatedAt))
		if err != nil {
			return storeError("enqueue help notices", err)
		}
	}
	return nil
}

// ClaimHelpNotices leases due notices to owner in one conditional update.
func (s *Store) ClaimHelpNotices(ctx context.Context, owner string, now, until time.Time, limit int) ([]voci.HelpNoticeJob, error) {
	n := formatTime(now)
	rows, err := s.write.QueryContext(ctx, `UPDATE help_notices SET lease_owner = ?, lease_until = ?
		WHERE id IN (SELECT id FROM help_notices WHERE sent_at = '' AND due_at <= ? AND lease_until <= ? ORDER BY due_at, id LIMIT ?)
		  AND sent_at = '' AND lease_until <= ?
		RETURNING id, request_id, municipality, recipient, name, lang, attempts, due_at, lease_owner, lease_until, sent_at, last_error, created_at`,
		owner, formatTime(until), n, n, limit, n)
	if err != nil {
		return nil, storeError("claim help notices", err)
	}
	defer rows.Close()
	var out []voci.HelpNoticeJob
	for rows.Next() {
		var j voci.HelpNoticeJob
		var due, leaseUntil, sent, created string
		if err := rows.Scan(&j.ID, &j.RequestID, &j.Municipality, &j.Recipient, &j.Name, &j.Lang, &j.Attempts, &due, &j.LeaseOwner,
			&leaseUntil, &sent, &j.LastError, &created); err != nil {
			return nil, storeError("claim help notices", err)
		}
		var e1, e2, e3, e4 error
		j.DueAt, e1 = parseTime(due)
		j.LeaseUntil, e2 = parseOptTime(leaseUntil)
		j.SentAt, e3 = parseOptTime(sent)
		j.CreatedAt, e4 = parseTime(created)
		if err := errors.Join(e1, e2, e3, e4); err != nil {
			return nil, storeError("claim help notices", err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError("claim help notices", err)
	}
	// RETURNING gives rows in no set order.
	sortNotices(out)
	return out, nil
}

func sortNotices(js []voci.HelpNoticeJob) {
	slices.SortFunc(js, func(a, b voci.HelpNoticeJob) int {
		if c := a.DueAt.Compare(b.DueAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

func (s *Store) releaseNotice(ctx context.Context, op, set, id, owner string, args ...any) error {
	args = append(args, id, owner)
	res, err := s.write.ExecContext(ctx, `UPDATE help_notices SET `+set+` WHERE id = ? AND lease_owner = ? AND sent_at = ''`, args...)
	if err != nil {
		return storeError(op, err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return storeError(op, err)
	} else if k == 0 {
		return voci.Errorf(voci.ECONFLICT, "This notice is no longer held by this worker.")
	}
	return nil
}

// FinishHelpNotice marks the notice sent.
func (s *Store) FinishHelpNotice(ctx context.Context, id, owner string, at time.Time) error {
	return s.releaseNotice(ctx, "finish help notice", `sent_at = ?, lease_until = ''`, id, owner, formatTime(at))
}

// RetryHelpNotice puts the notice back for due, counting the attempt.
func (s *Store) RetryHelpNotice(ctx context.Context, id, owner string, due time.Time, lastError string) error {
	return s.releaseNotice(ctx, "retry help notice", `attempts = attempts + 1, due_at = ?, last_error = ?, lease_owner = '', lease_until = ''`,
		id, owner, formatTime(due), lastError)
}

// CountUnsentHelpNotices counts the request's notices not sent yet.
func (s *Store) CountUnsentHelpNotices(ctx context.Context, requestID string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM help_notices WHERE request_id = ? AND sent_at = ''`, requestID).Scan(&n)
	return n, storeError("count unsent help notices", err)
}
