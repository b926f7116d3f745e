package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/voci-platform/voci/internal/voci"
)

const meetingColumns = `id, council_id, municipality, title, starts_at, place, state, opened_at, ended_at, version,
	created_at, created_by`

func scanCouncilMeeting(row interface{ Scan(...any) error }) (*voci.CouncilMeeting, error) {
	var m voci.CouncilMeeting
	var starts, state, opened, ended, created string
	if err := row.Scan(&m.ID, &m.CouncilID, &m.Municipality, &m.Title, &starts, &m.Place, &state, &opened, &ended, &m.Version,
		&created, &m.CreatedBy); err != nil {
		return nil, err
	}
	m.State = voci.MeetingState(state)
	var e [4]error
	m.StartsAt, e[0] = parseTime(starts)
	m.OpenedAt, e[1] = parseOptTime(opened)
	m.EndedAt, e[2] = parseOptTime(ended)
	m.CreatedAt, e[3] = parseTime(created)
	return &m, errors.Join(e[:]...)
}

// CreateCouncilMeeting stores a new meeting.
func (s *Store) CreateCouncilMeeting(ctx context.Context, m *voci.CouncilMeeting, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create council meeting", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO council_meetings (`+meetingColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.CouncilID, m.Municipality, m.Title, formatTime(m.StartsAt), m.Place, string(m.State), optTime(m.OpenedAt),
			optTime(m.EndedAt), m.Version, formatTime(m.CreatedAt), m.CreatedBy)
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A meeting with this identifier exists.")
		}
		return storeError("create council meeting", err)
	})
}

// FindCouncilMeeting returns ENOTFOUND for an unknown meeting.
func (s *Store) FindCouncilMeeting(ctx context.Context, id string) (*voci.CouncilMeeting, error) {
	m, err := scanCouncilMeeting(s.read.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM council_meetings WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "There is no such meeting.")
	}
	if err != nil {
		return nil, storeError("find council meeting", err)
	}
	return m, nil
}

// ListCouncilMeetings returns the council's meetings, earliest first.
func (s *Store) ListCouncilMeetings(ctx context.Context, councilID string) ([]voci.CouncilMeeting, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+meetingColumns+` FROM council_meetings WHERE council_id = ?
		ORDER BY starts_at, id`, councilID)
	if err != nil {
		return nil, storeError("list council meetings", err)
	}
	defer rows.Close()
	out := []voci.CouncilMeeting{}
	for rows.Next() {
		m, err := scanCouncilMeeting(rows)
		if err != nil {
			return nil, storeError("list council meetings", err)
		}
		out = append(out, *m)
	}
	return out, storeError("list council meetings", rows.Err())
}

// UpdateCouncilMeeting stores the meeting if it is still at m.Version-1.
func (s *Store) UpdateCouncilMeeting(ctx context.Context, m *voci.CouncilMeeting, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update council meeting", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE council_meetings SET title = ?, starts_at = ?, place = ?, state = ?, opened_at = ?,
			ended_at = ?, version = ? WHERE id = ? AND version = ?`,
			m.Title, formatTime(m.StartsAt), m.Place, string(m.State), optTime(m.OpenedAt), optTime(m.EndedAt), m.Version, m.ID, m.Version-1)
		if err != nil {
			return storeError("update council meeting", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM council_meetings WHERE id = ?`, m.ID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return voci.Errorf(voci.ENOTFOUND, "There is no such meeting.")
			}
			return voci.Errorf(voci.ECONFLICT, "Someone changed this meeting meanwhile. Reload it and try again.")
		}
		return nil
	})
}

// FindCouncilOpenMeeting returns the meeting that holds the council's claim to be open, ""
// when none does.
func (s *Store) FindCouncilOpenMeeting(ctx context.Context, councilID string) (string, error) {
	var id string
	err := s.read.QueryRowContext(ctx, `SELECT meeting_id FROM council_open_meetings WHERE council_id = ?`, councilID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, storeError("find council open meeting", err)
}

// SwapCouncilOpenMeeting moves the council's claim from meeting from ("" for none) to meeting
// to ("" to clear it), in one conditional write; ECONFLICT when the claim is not at from.
func (s *Store) SwapCouncilOpenMeeting(ctx context.Context, councilID, from, to string) error {
	var res sql.Result
	var err error
	switch {
	case from == to:
		return nil
	case from == "":
		res, err = s.write.ExecContext(ctx, `INSERT INTO council_open_meetings (council_id, meeting_id) VALUES (?, ?)
			ON CONFLICT (council_id) DO NOTHING`, councilID, to)
	case to == "":
		res, err = s.write.ExecContext(ctx, `DELETE FROM council_open_meetings WHERE council_id = ? AND meeting_id = ?`, councilID, from)
	default:
		res, err = s.write.ExecContext(ctx, `UPDATE council_open_meetings SET meeting_id = ? WHERE council_id = ? AND meeting_id = ?`,
			to, councilID, from)
	}
	if err != nil {
		return storeError("swap council open meeting", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return voci.Errorf(voci.ECONFLICT, "Another meeting of this council was opened meanwhile.")
	}
	return nil
}
