package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/voci-platform/voci/internal/voci"
)

// CreateInvitation stores a new invitation and its role grants in one transaction. It returns
// ECONFLICT when the ID or the token hash exists.
func (s *Store) CreateInvitation(ctx context.Context, inv *voci.Invitation, audit *voci.AuditEntry) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storeError("create invitation", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO invitations
		(id, token_hash, email, invited_by, lang, created_at, expires_at, used_at, revoked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.ID, inv.TokenHash, inv.Email, inv.InvitedBy, inv.Lang, formatTime(inv.CreatedAt), formatTime(inv.ExpiresAt),
		nullTime(inv.UsedAt), nullTime(inv.RevokedAt))
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECONFLICT, "An invitation with this identifier or link already exists.")
	}
	if err != nil {
		return storeError("create invitation", err)
	}
	for _, g := range inv.Roles {
		_, err := tx.ExecContext(ctx, `INSERT INTO invitation_roles (invitation_id, role, municipality) VALUES (?, ?, ?)`,
			inv.ID, string(g.Role), g.Municipality)
		if isUniqueViolation(err) {
			return voci.InvalidParam("roles", "The role %s is granted twice for the same scope.", g.Role)
		}
		if err != nil {
			return storeError("create invitation roles", err)
		}
	}
	return commitWithAudit(ctx, tx, "create invitation", audit)
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

const invitationColumns = `id, token_hash, email, invited_by, lang, created_at, expires_at, used_at, revoked_at`

// readInvitations reads the invitations a query selects (invitationColumns) with their roles.
func readInvitations(ctx context.Context, q queryer, query string, args ...any) ([]voci.Invitation, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, storeError("find invitations", err)
	}
	var out []voci.Invitation
	for rows.Next() {
		var inv voci.Invitation
		var created, expires string
		var used, revoked sql.NullString
		if err := rows.Scan(&inv.ID, &inv.TokenHash, &inv.Email, &inv.InvitedBy, &inv.Lang, &created, &expires, &used, &revoked); err != nil {
			rows.Close()
			return nil, storeError("find invitations", err)
		}
		for _, p := range []struct {
			dst *time.Time
			s   sql.NullString
		}{{&inv.CreatedAt, sql.NullString{String: created, Valid: true}}, {&inv.ExpiresAt, sql.NullString{String: expires, Valid: true}}, {&inv.UsedAt, used}, {&inv.RevokedAt, revoked}} {
			if *p.dst, err = parseNullTime(p.s); err != nil {
				rows.Close()
				return nil, storeError("find invitations", err)
			}
		}
		out = append(out, inv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeError("find invitations", err)
	}
	for i := range out {
		roles, err := q.QueryContext(ctx, `SELECT role, municipality FROM invitation_roles WHERE invitation_id = ? ORDER BY rowid`, out[i].ID)
		if err != nil {
			return nil, storeError("find invitation roles", err)
		}
		for roles.Next() {
			var g voci.RoleGrant
			var role string
			if err := roles.Scan(&role, &g.Municipality); err != nil {
				roles.Close()
				return nil, storeError("find invitation roles", err)
			}
			g.Role = voci.Role(role)
			out[i].Roles = append(out[i].Roles, g)
		}
		roles.Close()
		if err := roles.Err(); err != nil {
			return nil, storeError("find invitation roles", err)
		}
	}
	return out, nil
}

func (s *Store) findOneInvitation(ctx context.Context, q queryer, column, value string) (*voci.Invitation, error) {
	found, err := readInvitations(ctx, q, `SELECT `+invitationColumns+` FROM invitations WHERE `+column+` = ?`, value)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such invitation.")
	}
	return &found[0], nil
}

// readTx runs f in a read transaction, so that an invitation and its roles are one snapshot.
func (s *Store) readTx(ctx context.Context, op string, f func(tx *sql.Tx) error) error {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return storeError(op, err)
	}
	defer tx.Rollback()
	return f(tx)
}

// FindInvitationByID returns ENOTFOUND when there is none.
func (s *Store) FindInvitationByID(ctx context.Context, id string) (inv *voci.Invitation, err error) {
	err = s.readTx(ctx, "find invitation", func(tx *sql.Tx) error {
		inv, err = s.findOneInvitation(ctx, tx, "id", id)
		return err
	})
	return inv, err
}

// FindInvitationByTokenHash returns ENOTFOUND when there is none.
func (s *Store) FindInvitationByTokenHash(ctx context.Context, hash string) (inv *voci.Invitation, err error) {
	err = s.readTx(ctx, "find invitation", func(tx *sql.Tx) error {
		inv, err = s.findOneInvitation(ctx, tx, "token_hash", hash)
		return err
	})
	return inv, err
}

// FindPendingInvitations returns at most f.Limit pending invitations, newest first (ties by
// ID, descending).
func (s *Store) FindPendingInvitations(ctx context.Context, f voci.InvitationFilter) (out []voci.Invitation, err error) {
	if f.Municipalities != nil && len(f.Municipalities) == 0 {
		return nil, nil
	}
	if f.Limit < 1 {
		return nil, voci.InvalidParam("limit", "The page size must be at least 1.")
	}
	where := []string{`used_at IS NULL`, `revoked_at IS NULL`, `expires_at > ?`}
	args := []any{formatTime(f.Now)}
	if len(f.Municipalities) > 0 {
		where = append(where, `id IN (SELECT invitation_id FROM invitation_roles WHERE municipality IN (?`+strings.Repeat(", ?", len(f.Municipalities)-1)+`))`)
		for _, m := range f.Municipalities {
			args = append(args, m)
		}
	}
	err = s.readTx(ctx, "find pending invitations", func(tx *sql.Tx) error {
		out, err = readInvitations(ctx, tx, `SELECT `+invitationColumns+` FROM invitations WHERE `+strings.Join(where, " AND ")+
			` ORDER BY created_at DESC, id DESC LIMIT ?`, append(args, f.Limit)...)
		return err
	})
	return out, err
}

// ConsumeInvitation marks the invitation used with one conditional UPDATE: only a request that
// finds it unused, unrevoked and unexpired changes the row. It returns ENOTFOUND otherwise.
func (s *Store) ConsumeInvitation(ctx context.Context, hash string, at time.Time, audit *voci.AuditEntry) (*voci.Invitation, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError("consume invitation", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = ?
		WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
		formatTime(at), hash, formatTime(at))
	if err != nil {
		return nil, storeError("consume invitation", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, storeError("consume invitation", err)
	} else if n == 0 {
		return nil, voci.Errorf(voci.ENOTFOUND, "No usable invitation has this link.")
	}
	inv, err := s.findOneInvitation(ctx, tx, "token_hash", hash)
	if err != nil {
		return nil, err
	}
	return inv, commitWithAudit(ctx, tx, "consume invitation", audit)
}

// RevokeInvitation marks a pending invitation revoked. It returns ENOTFOUND for an unknown ID
// and ECONFLICT when the invitation was already used or revoked.
func (s *Store) RevokeInvitation(ctx context.Context, id string, at time.Time, audit *voci.AuditEntry) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storeError("revoke invitation", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL`,
		formatTime(at), id)
	if err != nil {
		return storeError("revoke invitation", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return storeError("revoke invitation", err)
	}
	if n == 0 {
		inv, err := s.findOneInvitation(ctx, tx, "id", id)
		if err != nil {
			return err
		}
		if !inv.UsedAt.IsZero() {
			return voci.Errorf(voci.ECONFLICT, "This invitation has already been accepted.")
		}
		return voci.Errorf(voci.ECONFLICT, "This invitation has already been withdrawn.")
	}
	return commitWithAudit(ctx, tx, "revoke invitation", audit)
}

// RenewInvitation replaces the token hash and expiry of an invitation that is neither used nor
// revoked, with one conditional UPDATE, and returns it afterwards. ENOTFOUND for an unknown ID;
// ECONFLICT when it was used or revoked, or the hash is taken.
func (s *Store) RenewInvitation(ctx context.Context, id, tokenHash string, expiresAt time.Time, audit *voci.AuditEntry) (*voci.Invitation, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError("renew invitation", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = ?, expires_at = ?
		WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL`, tokenHash, formatTime(expiresAt), id)
	if isUniqueViolation(err) {
		return nil, voci.Errorf(voci.ECONFLICT, "An invitation with this link already exists.")
	}
	if err != nil {
		return nil, storeError("renew invitation", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, storeError("renew invitation", err)
	}
	inv, err := s.findOneInvitation(ctx, tx, "id", id)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if !inv.UsedAt.IsZero() {
			return nil, voci.Errorf(voci.ECONFLICT, "This invitation has already been accepted.")
		}
		return nil, voci.Errorf(voci.ECONFLICT, "This invitation has already been withdrawn.")
	}
	return inv, commitWithAudit(ctx, tx, "renew invitation", audit)
}

// CreatePasswordReset stores a new reset link. It returns ECONFLICT when the hash exists and
// ENOTFOUND when the account does not.
func (s *Store) CreatePasswordReset(ctx context.Context, r *voci.PasswordReset, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create password reset", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, account_id, created_at, expires_at, used_at)
			VALUES (?, ?, ?, ?, ?)`, r.TokenHash, r.AccountID, formatTime(r.CreatedAt), formatTime(r.ExpiresAt), nullTime(r.UsedAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A password reset with this link already exists.")
		}
		if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
			return voci.Errorf(voci.ENOTFOUND, "No such account.")
		}
		return storeError("create password reset", err)
	})
}

func readPasswordReset(ctx context.Context, q queryer, hash string) (*voci.PasswordReset, error) {
	var r voci.PasswordReset
	var created, expires string
	var used sql.NullString
	err := q.QueryRowContext(ctx, `SELECT token_hash, account_id, created_at, expires_at, used_at FROM password_resets WHERE token_hash = ?`, hash).
		Scan(&r.TokenHash, &r.AccountID, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such password reset.")
	}
	if err != nil {
		return nil, storeError("find password reset", err)
	}
	if r.CreatedAt, err = parseTime(created); err != nil {
		return nil, storeError("find password reset", err)
	}
	if r.ExpiresAt, err = parseTime(expires); err != nil {
		return nil, storeError("find password reset", err)
	}
	if r.UsedAt, err = parseNullTime(used); err != nil {
		return nil, storeError("find password reset", err)
	}
	return &r, nil
}

// FindPasswordReset returns ENOTFOUND when no reset has that token hash.
func (s *Store) FindPasswordReset(ctx context.Context, hash string) (*voci.PasswordReset, error) {
	return readPasswordReset(ctx, s.read, hash)
}

// ConsumePasswordReset marks the reset used with one conditional UPDATE; ENOTFOUND when it is
// unknown, used or expired at `at`.
func (s *Store) ConsumePasswordReset(ctx context.Context, hash string, at time.Time) (*voci.PasswordReset, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError("consume password reset", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
		formatTime(at), hash, formatTime(at))
	if err != nil {
		return nil, storeError("consume password reset", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, storeError("consume password reset", err)
	} else if n == 0 {
		return nil, voci.Errorf(voci.ENOTFOUND, "No usable password reset has this link.")
	}
	r, err := readPasswordReset(ctx, tx, hash)
	if err != nil {
		return nil, err
	}
	return r, storeError("consume password reset", tx.Commit())
}

// SpendPasswordResets marks every unused reset of the account used.
func (s *Store) SpendPasswordResets(ctx context.Context, accountID string, at time.Time) (int, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE account_id = ? AND used_at IS NULL`,
		formatTime(at), accountID)
	if err != nil {
		return 0, storeError("spend password resets", err)
	}
	n, err := res.RowsAffected()
	return int(n), storeError("spend password resets", err)
}
