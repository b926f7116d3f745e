package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/voci-platform/voci/internal/voci"
)

// ---- self-paced links

const selfPacedLinkColumns = `link_key, consultation_id, municipality, created_by, created_at`

func (s *Store) findSelfPacedLink(ctx context.Context, col, v string) (*voci.SelfPacedLink, error) {
	var l voci.SelfPacedLink
	var created string
	err := s.read.QueryRowContext(ctx, `SELECT `+selfPacedLinkColumns+` FROM self_paced_links WHERE `+col+` = ?`, v).
		Scan(&l.Key, &l.ConsultationID, &l.Municipality, &l.CreatedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such self-paced link.")
	}
	if err != nil {
		return nil, storeError("find self-paced link", err)
	}
	if l.CreatedAt, err = parseTime(created); err != nil {
		return nil, storeError("find self-paced link", err)
	}
	return &l, nil
}

// CreateSelfPacedLink stores a link; ECONFLICT when the consultation has one or the key is
// taken, ENOTFOUND without its consultation.
func (s *Store) CreateSelfPacedLink(ctx context.Context, l *voci.SelfPacedLink) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO self_paced_links (`+selfPacedLinkColumns+`) VALUES (?, ?, ?, ?, ?)`,
		l.Key, l.ConsultationID, l.Municipality, l.CreatedBy, formatTime(l.CreatedAt))
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECONFLICT, "This consultation has a self-paced link already.")
	}
	if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		return voci.Errorf(voci.ENOTFOUND, "No such consultation.")
	}
	return storeError("create self-paced link", err)
}

// FindSelfPacedLink returns the consultation's link, or ENOTFOUND.
func (s *Store) FindSelfPacedLink(ctx context.Context, consultationID string) (*voci.SelfPacedLink, error) {
	return s.findSelfPacedLink(ctx, "consultation_id", consultationID)
}

// FindSelfPacedLinkByKey returns ENOTFOUND when no link has the key.
func (s *Store) FindSelfPacedLinkByKey(ctx context.Context, key string) (*voci.SelfPacedLink, error) {
	return s.findSelfPacedLink(ctx, "link_key", key)
}

// ---- self-paced participants

const selfPacedParticipantColumns = `id, consultation_id, token_hash, alias, lang, age_band, gender, rerolls, joined_at, updated_at`

// CreateSelfPacedParticipant stores a participant of a self-paced link; ECONFLICT if the ID
// or token exists, ENOTFOUND without its consultation. It goes through the group writer: a
// class given the link in the same lesson arrives at once.
func (s *Store) CreateSelfPacedParticipant(ctx context.Context, p *voci.Participant) error {
	_, err := s.groupWrite(ctx, func(ctx context.Context, tx *sql.Tx) (any, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO self_paced_participants (`+selfPacedParticipantColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.ConsultationID, p.TokenHash, p.Alias, string(p.Lang), string(p.AgeBand), string(p.Gender), p.Rerolls,
			formatTime(p.JoinedAt), formatTime(p.UpdatedAt))
		if isUniqueViolation(err) {
			return nil, voci.Errorf(voci.ECONFLICT, "A participant with this identifier already exists.")
		}
		if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
			return nil, voci.Errorf(voci.ENOTFOUND, "No such consultation.")
		}
		return nil, storeError("create self-paced participant", err)
	})
	return err
}

// FindSelfPacedParticipantByTokenHash returns ENOTFOUND when no self-paced participant has
// the token.
func (s *Store) FindSelfPacedParticipantByTokenHash(ctx context.Context, hash string) (*voci.Participant, error) {
	return s.findSelfPacedParticipant(ctx, `token_hash = ?`, hash)
}

// FindSelfPacedParticipantByID returns ENOTFOUND when no self-paced participant has the ID.
func (s *Store) FindSelfPacedParticipantByID(ctx context.Context, id string) (*voci.Participant, error) {
	return s.findSelfPacedParticipant(ctx, `id = ?`, id)
}

func (s *Store) findSelfPacedParticipant(ctx context.Context, where, arg string) (*voci.Participant, error) {
	var p voci.Participant
	var lang, band, gender, joined, updated string
	err := s.read.QueryRowContext(ctx, `SELECT `+selfPacedParticipantColumns+` FROM self_paced_participants WHERE `+where, arg).
		Scan(&p.ID, &p.ConsultationID, &p.TokenHash, &p.Alias, &lang, &band, &gender, &p.Rerolls, &joined, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such participant.")
	}
	if err != nil {
		return nil, storeError("find self-paced participant", err)
	}
	p.Lang, p.AgeBand, p.Gender = voci.Lang(lang), voci.AgeBand(band), voci.Gender(gender)
	var e1, e2 error
	p.JoinedAt, e1 = parseTime(joined)
	p.UpdatedAt, e2 = parseTime(updated)
	if err := errors.Join(e1, e2); err != nil {
		return nil, storeError("find self-paced participant", err)
	}
	return &p, nil
}

// UpdateSelfPacedParticipant replaces the participant's alias, language, profile and rerolls.
func (s *Store) UpdateSelfPacedParticipant(ctx context.Context, p *voci.Participant) error {
	res, err := s.write.ExecContext(ctx, `UPDATE self_paced_participants SET alias = ?, lang = ?, age_band = ?, gender = ?,
		rerolls = ?, updated_at = ? WHERE id = ?`,
		p.Alias, string(p.Lang), string(p.AgeBand), string(p.Gender), p.Rerolls, formatTime(p.UpdatedAt), p.ID)
	return exactlyOne("update self-paced participant", res, err, "No such participant.")
}
