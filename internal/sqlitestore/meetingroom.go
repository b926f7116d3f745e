package sqlitestore

import (
	"context"
	"database/sql"

	"github.com/voci-platform/voci/internal/voci"
)

// AppendMeetingCommand stores c at c.Seq in the meeting's log; ECONFLICT when the place or
// the command's key is taken. A vote's close deletes the meeting's ballots in the same
// transaction.
func (s *Store) AppendMeetingCommand(ctx context.Context, meetingID string, c *voci.MeetingCommand) error {
	body, err := voci.MarshalMeetingCommand(c)
	if err != nil {
		return err
	}
	var key any
	if c.ID != "" {
		key = c.ID
	}
	return s.withAudit(ctx, "append meeting command", nil, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meeting_log (meeting_id, seq, command_id, kind, at, body) VALUES (?, ?, ?, ?, ?, ?)`,
			meetingID, c.Seq, key, string(c.Kind), formatTime(c.At), string(body))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "The meeting's log has moved on, or this command was already stored.")
		}
		if err != nil {
			return storeError("append meeting command", err)
		}
		if c.Kind == voci.CmdCloseVote {
			_, err = tx.ExecContext(ctx, `DELETE FROM meeting_ballots WHERE meeting_id = ?`, meetingID)
		}
		return storeError("append meeting command", err)
	})
}

// PutMeetingBallots stores the ballots of the open vote in one transaction: ballots cast at
// the same moment share one commit.
func (s *Store) PutMeetingBallots(ctx context.Context, meetingID string, ballots []voci.StoredBallot) error {
	return s.withAudit(ctx, "put meeting ballots", nil, func(tx *sql.Tx) error {
		for _, b := range ballots {
			_, err := tx.ExecContext(ctx, `INSERT INTO meeting_ballots (meeting_id, member_id, choice, command_id) VALUES (?, ?, ?, ?)
				ON CONFLICT (meeting_id, member_id) DO UPDATE SET choice = excluded.choice, command_id = excluded.command_id`,
				meetingID, b.Member, string(b.Choice), b.CommandID)
			if err != nil {
				return storeError("put meeting ballots", err)
			}
		}
		return nil
	})
}

// LoadMeetingLog returns the meeting's log in order and its open vote's ballots, read in one
// transaction.
func (s *Store) LoadMeetingLog(ctx context.Context, meetingID string) ([]voci.MeetingCommand, []voci.StoredBallot, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, storeError("load meeting log", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT seq, body FROM meeting_log WHERE meeting_id = ? ORDER BY seq`, meetingID)
	if err != nil {
		return nil, nil, storeError("load meeting log", err)
	}
	var log []voci.MeetingCommand
	voteOpen := false
	for rows.Next() {
		var seq int64
		var body string
		if err := rows.Scan(&seq, &body); err != nil {
			rows.Close()
			return nil, nil, storeError("load meeting log", err)
		}
		c, err := voci.UnmarshalMeetingCommand(seq, []byte(body))
		if err != nil {
			rows.Close()
			return nil, nil, storeError("load meeting log", err)
		}
		switch c.Kind {
		case voci.CmdOpenMotionVote, voci.CmdOpenItemVote:
			voteOpen = true
		case voci.CmdCloseVote:
			voteOpen = false
		}
		log = append(log, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, storeError("load meeting log", err)
	}
	if !voteOpen {
		return log, nil, nil
	}
	rows, err = tx.QueryContext(ctx, `SELECT member_id, choice, command_id FROM meeting_ballots WHERE meeting_id = ? ORDER BY member_id`, meetingID)
	if err != nil {
		return nil, nil, storeError("load meeting ballots", err)
	}
	defer rows.Close()
	var ballots []voci.StoredBallot
	for rows.Next() {
		var b voci.StoredBallot
		var choice string
		if err := rows.Scan(&b.Member, &choice, &b.CommandID); err != nil {
			return nil, nil, storeError("load meeting ballots", err)
		}
		b.Choice = voci.BallotChoice(choice)
		ballots = append(ballots, b)
	}
	return log, ballots, storeError("load meeting ballots", rows.Err())
}
