package sqlitestore

import (
	"context"
	"database/sql"

	"github.com/voci-platform/voci/internal/voci"
)

// PutMeetingFigures stores the summary of an ended meeting, replacing an earlier one.
func (s *Store) PutMeetingFigures(ctx context.Context, f *voci.MeetingFigures) error {
	return s.withAudit(ctx, "put meeting figures", nil, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO council_meeting_figures (meeting_id, council_id, municipality, ended_at,
			in_office, present, motions_passed) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (meeting_id) DO UPDATE SET council_id = excluded.council_id, municipality = excluded.municipality,
			ended_at = excluded.ended_at, in_office = excluded.in_office, present = excluded.present,
			motions_passed = excluded.motions_passed`,
			f.MeetingID, f.CouncilID, f.Municipality, formatTime(f.EndedAt), f.InOffice, f.Present, f.MotionsPassed)
		return storeError("put meeting figures", err)
	})
}

// EndedMeetingsWithoutFigures returns the IDs of the ended meetings that have no summary.
func (s *Store) EndedMeetingsWithoutFigures(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM council_meetings WHERE state = 'ended'
		AND id NOT IN (SELECT meeting_id FROM council_meeting_figures) ORDER BY id`)
	if err != nil {
		return nil, storeError("list meetings without figures", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, storeError("list meetings without figures", err)
		}
		out = append(out, id)
	}
	return out, storeError("list meetings without figures", rows.Err())
}
