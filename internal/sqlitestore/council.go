package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// consentJSON is a guardian's consent as the consent column holds it.
type consentJSON struct {
	GuardianName string `json:"guardianName"`
	GivenOn      string `json:"givenOn"`
	Method       string `json:"method"`
	Scope        string `json:"scope"`
	RecordedBy   string `json:"recordedBy"`
	RecordedAt   string `json:"recordedAt"`
	WithdrawnOn  string `json:"withdrawnOn"`
}

func formatDate(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.UTC().Format(time.DateOnly)
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

// CreateYouthCouncil stores a new council; ECONFLICT when the municipality has one.
func (s *Store) CreateYouthCouncil(ctx context.Context, c *voci.YouthCouncil, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create youth council", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO youth_councils (id, municipality, name, term_start, term_end, quorum_num,
			quorum_den, majority, chair, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Municipality, c.Name, formatDate(c.TermStart), formatDate(c.TermEnd), c.Quorum.Numerator, c.Quorum.Denominator,
			string(c.Majority), string(c.Chair), formatTime(c.CreatedAt), formatTime(c.UpdatedAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "This municipality already has a youth council.")
		}
		return storeError("create youth council", err)
	})
}

// FindYouthCouncil returns the municipality's council; ECOUNCILNOTFOUND when it has none.
func (s *Store) FindYouthCouncil(ctx context.Context, municipality int) (*voci.YouthCouncil, error) {
	var c voci.YouthCouncil
	var start, end, majority, chair, created, updated string
	err := s.read.QueryRowContext(ctx, `SELECT id, municipality, name, term_start, term_end, quorum_num, quorum_den, majority,
		chair, created_at, updated_at FROM youth_councils WHERE municipality = ?`, municipality).
		Scan(&c.ID, &c.Municipality, &c.Name, &start, &end, &c.Quorum.Numerator, &c.Quorum.Denominator, &majority, &chair, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ECOUNCILNOTFOUND, "This municipality has no youth council yet.")
	}
	if err != nil {
		return nil, storeError("find youth council", err)
	}
	c.Majority, c.Chair = voci.MajorityRule(majority), voci.ChairRule(chair)
	var e [4]error
	c.TermStart, e[0] = parseDate(start)
	c.TermEnd, e[1] = parseDate(end)
	c.CreatedAt, e[2] = parseTime(created)
	c.UpdatedAt, e[3] = parseTime(updated)
	if err := errors.Join(e[:]...); err != nil {
		return nil, storeError("find youth council", err)
	}
	return &c, nil
}

// UpdateYouthCouncil replaces the council's name, term and rules.
func (s *Store) UpdateYouthCouncil(ctx context.Context, c *voci.YouthCouncil, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update youth council", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE youth_councils SET name = ?, term_start = ?, term_end = ?, quorum_num = ?,
			quorum_den = ?, majority = ?, chair = ?, updated_at = ? WHERE id = ?`,
			c.Name, formatDate(c.TermStart), formatDate(c.TermEnd), c.Quorum.Numerator, c.Quorum.Denominator,
			string(c.Majority), string(c.Chair), formatTime(c.UpdatedAt), c.ID)
		if err != nil {
			return storeError("update youth council", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return voci.Errorf(voci.ECOUNCILNOTFOUND, "This municipality has no youth council yet.")
		}
		return nil
	})
}

func consentColumn(g *voci.GuardianConsent) any {
	if g == nil {
		return nil
	}
	return toJSON(consentJSON{GuardianName: g.GuardianName, GivenOn: formatDate(g.GivenOn), Method: string(g.Method), Scope: g.Scope,
		RecordedBy: g.RecordedBy, RecordedAt: optTime(g.RecordedAt), WithdrawnOn: formatDate(g.WithdrawnOn)})
}

// CreateCouncilMember stores a new member; EOFFICETAKEN when the office is held.
func (s *Store) CreateCouncilMember(ctx context.Context, m *voci.CouncilMember, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create council member", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO council_members (id, council_id, municipality, display_name, age_band, office,
			joined_on, left_on, name_removed, consent, card_id, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.CouncilID, m.Municipality, m.DisplayName, string(m.AgeBand), string(m.Office), formatDate(m.JoinedOn),
			formatDate(m.LeftOn), b2i(m.NameRemoved), consentColumn(m.Consent), m.CardID, m.Version, formatTime(m.CreatedAt), formatTime(m.UpdatedAt))
		if isUniqueViolation(err) {
			if m.Office != voci.CouncilRoleNone {
				return voci.OfficeTaken(m.Office)
			}
			return voci.Errorf(voci.ECONFLICT, "A member with this identifier exists.")
		}
		return storeError("create council member", err)
	})
}

const memberColumns = `id, council_id, municipality, display_name, age_band, office, joined_on, left_on, name_removed,
	consent, card_id, version, created_at, updated_at`

func scanMember(row interface{ Scan(...any) error }) (*voci.CouncilMember, error) {
	var m voci.CouncilMember
	var band, office, joined, left, created, updated string
	var removed int
	var consent sql.NullString
	if err := row.Scan(&m.ID, &m.CouncilID, &m.Municipality, &m.DisplayName, &band, &office, &joined, &left, &removed,
		&consent, &m.CardID, &m.Version, &created, &updated); err != nil {
		return nil, err
	}
	m.AgeBand, m.Office, m.NameRemoved = voci.AgeBand(band), voci.CouncilRole(office), removed != 0
	var e [5]error
	m.JoinedOn, e[0] = parseDate(joined)
	m.LeftOn, e[1] = parseDate(left)
	m.CreatedAt, e[2] = parseTime(created)
	m.UpdatedAt, e[3] = parseTime(updated)
	if consent.Valid {
		var cj consentJSON
		cj, e[4] = fromJSON[consentJSON](consent.String)
		g := &voci.GuardianConsent{GuardianName: cj.GuardianName, Method: voci.ConsentMethod(cj.Method), Scope: cj.Scope, RecordedBy: cj.RecordedBy}
		var f [3]error
		g.GivenOn, f[0] = parseDate(cj.GivenOn)
		g.WithdrawnOn, f[1] = parseDate(cj.WithdrawnOn)
		g.RecordedAt, f[2] = parseOptTime(cj.RecordedAt)
		e[4] = errors.Join(e[4], errors.Join(f[:]...))
		m.Consent = g
	}
	return &m, errors.Join(e[:]...)
}

// FindCouncilMember returns ENOTFOUND for an unknown member.
func (s *Store) FindCouncilMember(ctx context.Context, id string) (*voci.CouncilMember, error) {
	m, err := scanMember(s.read.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM council_members WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "There is no such member in this council.")
	}
	if err != nil {
		return nil, storeError("find council member", err)
	}
	return m, nil
}

// ListCouncilMembers returns the council's members in the order they were added.
func (s *Store) ListCouncilMembers(ctx context.Context, councilID string) ([]voci.CouncilMember, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+memberColumns+` FROM council_members WHERE council_id = ?
		ORDER BY created_at, id`, councilID)
	if err != nil {
		return nil, storeError("list council members", err)
	}
	defer rows.Close()
	out := []voci.CouncilMember{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, storeError("list council members", err)
		}
		out = append(out, *m)
	}
	return out, storeError("list council members", rows.Err())
}

// UpdateCouncilMember stores the member's record if it is still at m.Version-1.
func (s *Store) UpdateCouncilMember(ctx context.Context, m *voci.CouncilMember, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update council member", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE council_members SET display_name = ?, age_band = ?, office = ?, joined_on = ?,
			left_on = ?, name_removed = ?, consent = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			m.DisplayName, string(m.AgeBand), string(m.Office), formatDate(m.JoinedOn), formatDate(m.LeftOn), b2i(m.NameRemoved),
			consentColumn(m.Consent), m.Version, formatTime(m.UpdatedAt), m.ID, m.Version-1)
		if isUniqueViolation(err) {
			return voci.OfficeTaken(m.Office)
		}
		if err != nil {
			return storeError("update council member", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM council_members WHERE id = ?`, m.ID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return voci.Errorf(voci.ENOTFOUND, "There is no such member in this council.")
			}
			return voci.Errorf(voci.ECONFLICT, "Someone changed this member's record meanwhile. Reload it and try again.")
		}
		return nil
	})
}

// IssueCouncilCard stores the card and makes it its member's one valid card.
func (s *Store) IssueCouncilCard(ctx context.Context, card *voci.CouncilCard, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "issue council card", audit, func(tx *sql.Tx) error {
		var left, current string
		err := tx.QueryRowContext(ctx, `SELECT left_on, card_id FROM council_members WHERE id = ?`, card.MemberID).Scan(&left, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return voci.Errorf(voci.ENOTFOUND, "There is no such member in this council.")
		}
		if err != nil {
			return storeError("issue council card", err)
		}
		if left != "" {
			return voci.Errorf(voci.EMEMBERLEFT, "This member has left the council; they get no card.")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO council_cards (id, member_id, council_id, municipality, token_hash, issued_by,
			issued_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, '')`,
			card.ID, card.MemberID, card.CouncilID, card.Municipality, card.TokenHash, card.IssuedBy, formatTime(card.IssuedAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "This card exists already.")
		}
		if err != nil {
			return storeError("issue council card", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE council_cards SET revoked_at = ? WHERE member_id = ? AND id <> ? AND revoked_at = ''`,
			formatTime(card.IssuedAt), card.MemberID, card.ID); err != nil {
			return storeError("issue council card", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE council_members SET card_id = ? WHERE id = ?`, card.ID, card.MemberID)
		return storeError("issue council card", err)
	})
}

// RevokeCouncilCard marks the member's valid card revoked and leaves them none.
func (s *Store) RevokeCouncilCard(ctx context.Context, memberID string, at time.Time, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "revoke council card", audit, func(tx *sql.Tx) error {
		var current string
		err := tx.QueryRowContext(ctx, `SELECT card_id FROM council_members WHERE id = ?`, memberID).Scan(&current)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && current == "") {
			return voci.Errorf(voci.ENOTFOUND, "This member has no valid sign-in card.")
		}
		if err != nil {
			return storeError("revoke council card", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE council_members SET card_id = '' WHERE id = ?`, memberID); err != nil {
			return storeError("revoke council card", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE council_cards SET revoked_at = ? WHERE id = ? AND revoked_at = ''`, formatTime(at), current)
		return storeError("revoke council card", err)
	})
}

// FindCouncilCardByTokenHash returns ENOTFOUND when no card has the hash.
func (s *Store) FindCouncilCardByTokenHash(ctx context.Context, hash string) (*voci.CouncilCard, error) {
	var c voci.CouncilCard
	var issued, revoked string
	err := s.read.QueryRowContext(ctx, `SELECT id, member_id, council_id, municipality, token_hash, issued_by, issued_at, revoked_at
		FROM council_cards WHERE token_hash = ?`, hash).
		Scan(&c.ID, &c.MemberID, &c.CouncilID, &c.Municipality, &c.TokenHash, &c.IssuedBy, &issued, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "There is no such card.")
	}
	if err != nil {
		return nil, storeError("find council card", err)
	}
	var e1, e2 error
	c.IssuedAt, e1 = parseTime(issued)
	c.RevokedAt, e2 = parseOptTime(revoked)
	if err := errors.Join(e1, e2); err != nil {
		return nil, storeError("find council card", err)
	}
	return &c, nil
}

// CreateMemberSession stores a member's new session.
func (s *Store) CreateMemberSession(ctx context.Context, ms *voci.MemberSession) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO council_member_sessions (id, member_id, council_id, municipality, card_id,
		csrf_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		ms.ID, ms.MemberID, ms.CouncilID, ms.Municipality, ms.CardID, ms.CSRFToken, formatTime(ms.CreatedAt))
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECONFLICT, "This session exists already.")
	}
	return storeError("create member session", err)
}

// FindMemberSession returns ENOTFOUND for an unknown session.
func (s *Store) FindMemberSession(ctx context.Context, id string) (*voci.MemberSession, error) {
	var ms voci.MemberSession
	var created string
	err := s.read.QueryRowContext(ctx, `SELECT id, member_id, council_id, municipality, card_id, csrf_token, created_at
		FROM council_member_sessions WHERE id = ?`, id).
		Scan(&ms.ID, &ms.MemberID, &ms.CouncilID, &ms.Municipality, &ms.CardID, &ms.CSRFToken, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "There is no such session.")
	}
	if err != nil {
		return nil, storeError("find member session", err)
	}
	if ms.CreatedAt, err = parseTime(created); err != nil {
		return nil, storeError("find member session", err)
	}
	return &ms, nil
}

// DeleteMemberSession ends a session.
func (s *Store) DeleteMemberSession(ctx context.Context, id string) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM council_member_sessions WHERE id = ?`, id)
	return storeError("delete member session", err)
}
