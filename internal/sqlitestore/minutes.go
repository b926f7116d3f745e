package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/voci-platform/voci/internal/voci"
)

// Meetings' minutes (voci.MinutesStore): one row per meeting. A save is conditional on the
// revision and on the row still being a draft, so approved minutes never change here either.

const minutesColumns = `meeting_id, council_id, municipality, text, status, revision, flags, text_approved, drafted_at,
	updated_at, edited_by, approved_at, approved_in, hash, approval_yes, approval_no, approval_abstain, shown_text, dropped_edit_by,
	dropped_edit_at`

func scanMinutes(row interface{ Scan(...any) error }) (*voci.MeetingMinutes, error) {
	var m voci.MeetingMinutes
	var status, flags, drafted, updated, approved, dropped string
	if err := row.Scan(&m.MeetingID, &m.CouncilID, &m.Municipality, &m.Text, &status, &m.Revision, &flags, &m.TextApproved,
		&drafted, &updated, &m.EditedBy, &approved, &m.ApprovedIn, &m.Hash, &m.Approval.Yes, &m.Approval.No, &m.Approval.Abstain,
		&m.ShownText, &m.DroppedEditBy, &dropped); err != nil {
		return nil, err
	}
	m.Status = voci.MinutesStatus(status)
	var e [5]error
	m.DroppedEditAt, e[4] = parseOptTime(dropped)
	m.Flags, e[0] = fromJSON[[]string](flags)
	m.DraftedAt, e[1] = parseTime(drafted)
	m.UpdatedAt, e[2] = parseTime(updated)
	m.ApprovedAt, e[3] = parseOptTime(approved)
	return &m, errors.Join(e[:]...)
}

func flagsColumn(f []string) string {
	if f == nil {
		f = []string{}
	}
	return toJSON(f)
}

// CreateMinutes stores new minutes; ECONFLICT when the meeting has some.
func (s *Store) CreateMinutes(ctx context.Context, m *voci.MeetingMinutes, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create minutes", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meeting_minutes (`+minutesColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.MeetingID, m.CouncilID, m.Municipality, m.Text, string(m.Status), m.Revision, flagsColumn(m.Flags), m.TextApproved,
			formatTime(m.DraftedAt), formatTime(m.UpdatedAt), m.EditedBy, optTime(m.ApprovedAt), m.ApprovedIn, m.Hash,
			m.Approval.Yes, m.Approval.No, m.Approval.Abstain, m.ShownText, m.DroppedEditBy, optTime(m.DroppedEditAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "This meeting has minutes already.")
		}
		return storeError("create minutes", err)
	})
}

// FindMinutes returns ENOTFOUND when the meeting has none.
func (s *Store) FindMinutes(ctx context.Context, meetingID string) (*voci.MeetingMinutes, error) {
	m, err := scanMinutes(s.read.QueryRowContext(ctx, `SELECT `+minutesColumns+` FROM meeting_minutes WHERE meeting_id = ?`, meetingID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "This meeting has no minutes yet.")
	}
	if err != nil {
		return nil, storeError("find minutes", err)
	}
	return m, nil
}

// ListCouncilMinutes returns the council's minutes.
func (s *Store) ListCouncilMinutes(ctx context.Context, councilID string) ([]voci.MeetingMinutes, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+minutesColumns+` FROM meeting_minutes WHERE council_id = ? ORDER BY meeting_id`, councilID)
	if err != nil {
		return nil, storeError("list minutes", err)
	}
	defer rows.Close()
	out := []voci.MeetingMinutes{}
	for rows.Next() {
		m, err := scanMinutes(rows)
		if err != nil {
			return nil, storeError("list minutes", err)
		}
		out = append(out, *m)
	}
	return out, storeError("list minutes", rows.Err())
}

// UpdateMinutes stores m if the stored row is a draft at m.Revision-1.
func (s *Store) UpdateMinutes(ctx context.Context, m *voci.MeetingMinutes, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update minutes", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE meeting_minutes SET text = ?, status = ?, revision = ?, flags = ?, text_approved = ?,
			updated_at = ?, edited_by = ?, approved_at = ?, approved_in = ?, hash = ?, approval_yes = ?, approval_no = ?, approval_abstain = ?,
			shown_text = ?, dropped_edit_by = ?, dropped_edit_at = ?
			WHERE meeting_id = ? AND revision = ? AND status = 'draft'`,
			m.Text, string(m.Status), m.Revision, flagsColumn(m.Flags), m.TextApproved, formatTime(m.UpdatedAt), m.EditedBy,
			optTime(m.ApprovedAt), m.ApprovedIn, m.Hash, m.Approval.Yes, m.Approval.No, m.Approval.Abstain, m.ShownText, m.DroppedEditBy,
			optTime(m.DroppedEditAt), m.MeetingID, m.Revision-1)
		if err != nil {
			return storeError("update minutes", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM meeting_minutes WHERE meeting_id = ?`, m.MeetingID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return voci.Errorf(voci.ENOTFOUND, "This meeting has no minutes yet.")
			}
			return voci.Errorf(voci.ECONFLICT, "Someone changed these minutes meanwhile, or they were approved. Reload them.")
		}
		return nil
	})
}
