package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// RecordStage appends the change to the history and makes it the current stage in one write
// transaction, provided the stored stage is still from. It returns ENOTFOUND for an unknown
// municipality, ECONFLICT when the stage changed meanwhile or the ID is taken.
func (s *Store) RecordStage(ctx context.Context, c *voci.StageChange, from voci.Stage, audit *voci.AuditEntry) error {
	op := fmt.Sprintf("record stage of municipality %d", c.Municipality)
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storeError(op, err)
	}
	defer tx.Rollback()

	var current string
	err = tx.QueryRowContext(ctx, `SELECT stage FROM municipalities WHERE siruta = ?`, c.Municipality).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return voci.Errorf(voci.ENOTFOUND, "No municipality has the SIRUTA code %d.", c.Municipality)
	}
	if err != nil {
		return storeError(op, err)
	}
	if voci.Stage(current) != from {
		return voci.Errorf(voci.ECONFLICT, "The stage of this municipality was changed meanwhile (it is now %s); reload and try again.", stageName(voci.Stage(current)))
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO municipality_stage_history
		(id, siruta, stage, effective_date, recorded_at, recorded_by, recorded_by_email, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Municipality, string(c.Stage), voci.FormatDate(c.Date), formatTime(c.RecordedAt),
		c.RecordedBy, c.RecordedByEmail, c.Note)
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECONFLICT, "A stage change with this identifier already exists.")
	}
	if err != nil {
		return storeError(op, err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE municipalities SET stage = ?, stage_since = ?, enrolled = ? WHERE siruta = ?`,
		string(c.Stage), voci.FormatDate(c.Date), c.Stage != voci.StagePaused, c.Municipality)
	if err != nil {
		return storeError(op, err)
	}
	return commitWithAudit(ctx, tx, op, audit)
}

func stageName(s voci.Stage) string {
	if s == voci.StageNone {
		return "not enrolled"
	}
	return string(s)
}

// ListStageHistory returns the changes most recently recorded first; ENOTFOUND for an unknown
// municipality. The existence check and the history are read in one snapshot.
func (s *Store) ListStageHistory(ctx context.Context, siruta int) ([]voci.StageChange, error) {
	op := fmt.Sprintf("list stage history of municipality %d", siruta)
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError(op, err)
	}
	defer tx.Rollback()
	if err := municipalityExists(ctx, tx, siruta); err != nil {
		return nil, storeError(op, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, siruta, stage, effective_date, recorded_at, recorded_by, recorded_by_email, note
		FROM municipality_stage_history WHERE siruta = ? ORDER BY rowid DESC`, siruta)
	if err != nil {
		return nil, storeError(op, err)
	}
	defer rows.Close()
	history := []voci.StageChange{}
	for rows.Next() {
		var c voci.StageChange
		var stage, date, at string
		if err := rows.Scan(&c.ID, &c.Municipality, &stage, &date, &at, &c.RecordedBy, &c.RecordedByEmail, &c.Note); err != nil {
			return nil, storeError(op, err)
		}
		c.Stage = voci.Stage(stage)
		if c.Date, err = time.Parse(time.DateOnly, date); err != nil {
			return nil, storeError(op, err)
		}
		if c.RecordedAt, err = parseTime(at); err != nil {
			return nil, storeError(op, err)
		}
		history = append(history, c)
	}
	return history, storeError(op, rows.Err())
}

func municipalityExists(ctx context.Context, q queryer, siruta int) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM municipalities WHERE siruta = ?`, siruta).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No municipality has the SIRUTA code %d.", siruta)
	}
	return nil
}

// FindMunicipalityProfile returns the stored profile, or the defaults when none is stored;
// ENOTFOUND for an unknown municipality.
func (s *Store) FindMunicipalityProfile(ctx context.Context, siruta int) (*voci.MunicipalityProfile, error) {
	op := fmt.Sprintf("find profile of municipality %d", siruta)
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError(op, err)
	}
	defer tx.Rollback()
	p, err := readProfile(ctx, tx, siruta)
	return p, storeError(op, err)
}

// readProfile reads the profile inside tx, so that it sees tx's own writes.
func readProfile(ctx context.Context, q queryer, siruta int) (*voci.MunicipalityProfile, error) {
	if err := municipalityExists(ctx, q, siruta); err != nil {
		return nil, err
	}
	p := voci.NewMunicipalityProfile(siruta)
	var at string
	err := q.QueryRowContext(ctx, `SELECT safeguarding_name, safeguarding_phone, safeguarding_email, feedback_deadline_days,
		updated_at, updated_by FROM municipality_profiles WHERE siruta = ?`, siruta).
		Scan(&p.SafeguardingLead.Name, &p.SafeguardingLead.Phone, &p.SafeguardingLead.Email, &p.FeedbackDeadlineDays, &at, &p.UpdatedBy)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, err
	default:
		if p.UpdatedAt, err = parseTime(at); err != nil {
			return nil, err
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT age_band, children FROM municipality_child_population WHERE siruta = ?`, siruta)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var band string
		var n int
		if err := rows.Scan(&band, &n); err != nil {
			return nil, err
		}
		p.ChildPopulation[voci.AgeBand(band)] = n
	}
	return p, rows.Err()
}

// UpdateMunicipalityProfile applies the update in one write transaction, which SQLite runs
// alone, so that two updates of different fields both survive.
func (s *Store) UpdateMunicipalityProfile(ctx context.Context, siruta int, u voci.ProfileUpdate) (*voci.MunicipalityProfile, error) {
	op := fmt.Sprintf("update profile of municipality %d", siruta)
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError(op, err)
	}
	defer tx.Rollback()
	p, err := readProfile(ctx, tx, siruta)
	if err != nil {
		return nil, storeError(op, err)
	}
	u.Apply(p)
	_, err = tx.ExecContext(ctx, `INSERT INTO municipality_profiles
		(siruta, safeguarding_name, safeguarding_phone, safeguarding_email, feedback_deadline_days, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (siruta) DO UPDATE SET safeguarding_name = excluded.safeguarding_name,
			safeguarding_phone = excluded.safeguarding_phone, safeguarding_email = excluded.safeguarding_email,
			feedback_deadline_days = excluded.feedback_deadline_days, updated_at = excluded.updated_at,
			updated_by = excluded.updated_by`,
		siruta, p.SafeguardingLead.Name, p.SafeguardingLead.Phone, p.SafeguardingLead.Email,
		p.FeedbackDeadlineDays, formatTime(p.UpdatedAt), p.UpdatedBy)
	if err != nil {
		return nil, storeError(op, err)
	}
	for band, n := range u.ChildPopulation {
		if n == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM municipality_child_population WHERE siruta = ? AND age_band = ?`, siruta, string(band))
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO municipality_child_population (siruta, age_band, children) VALUES (?, ?, ?)
				ON CONFLICT (siruta, age_band) DO UPDATE SET children = excluded.children`, siruta, string(band), *n)
		}
		if err != nil {
			return nil, storeError(op, err)
		}
	}
	if err := commitWithAudit(ctx, tx, op, u.Audit); err != nil {
		return nil, err
	}
	p.UpdatedAt = p.UpdatedAt.UTC()
	return p, nil
}
