package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/voci-platform/voci/internal/voci"
)

// CreateAccount stores a validated account and its role grants in one transaction, times in
// UTC. It returns ECONFLICT when the email or the ID is already taken, and EINVALID when a
// grant is listed twice.
func (s *Store) CreateAccount(ctx context.Context, a *voci.Account) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storeError("create account", err)
	}
	defer tx.Rollback()

	_, err = tx.ExecContext(ctx, `INSERT INTO accounts
		(id, email, display_name, password_hash, totp_secret, totp_enabled, disabled, lang, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Email, a.DisplayName, a.PasswordHash, a.TOTPSecret, a.TOTPEnabled, a.Disabled, a.Lang,
		formatTime(a.CreatedAt), formatTime(a.UpdatedAt))
	if isUniqueViolation(err) {
		if strings.Contains(err.Error(), "accounts.email") {
			return voci.Errorf(voci.ECONFLICT, "An account with this email already exists.")
		}
		return voci.Errorf(voci.ECONFLICT, "An account with this identifier already exists.")
	}
	if err != nil {
		return storeError("create account", err)
	}
	if err := insertRoles(ctx, tx, a.ID, a.Roles); err != nil {
		return err
	}
	return storeError("create account", tx.Commit())
}

func insertRoles(ctx context.Context, tx *sql.Tx, accountID string, roles []voci.RoleGrant) error {
	for _, g := range roles {
		_, err := tx.ExecContext(ctx, `INSERT INTO account_roles (account_id, role, municipality) VALUES (?, ?, ?)`,
			accountID, string(g.Role), g.Municipality)
		if isUniqueViolation(err) {
			return voci.InvalidParam("roles", "The role %s is granted twice for the same scope.", g.Role)
		}
		if err != nil {
			return storeError("write account roles", err)
		}
	}
	return nil
}

// FindAccountByID returns ENOTFOUND when there is no such account.
func (s *Store) FindAccountByID(ctx context.Context, id string) (*voci.Account, error) {
	return s.findAccount(ctx, "id", id)
}

// FindAccountByEmail looks the normalized email up; it returns ENOTFOUND when absent.
func (s *Store) FindAccountByEmail(ctx context.Context, email string) (*voci.Account, error) {
	return s.findAccount(ctx, "email", email)
}

// findAccount reads the account and its roles in one read transaction, so an update that
// commits in between cannot pair old fields with new roles. column is "id" or "email".
func (s *Store) findAccount(ctx context.Context, column, value string) (*voci.Account, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError("find account", err)
	}
	defer tx.Rollback()
	return readAccount(ctx, tx, column, value)
}

// readAccount returns ENOTFOUND when no account has value in column. column is spliced into the
// SQL, so callers pass only the constants "id" and "email".
func readAccount(ctx context.Context, q queryer, column, value string) (*voci.Account, error) {
	var a voci.Account
	var created, updated string
	err := q.QueryRowContext(ctx, `SELECT id, email, display_name, password_hash, totp_secret, totp_enabled, disabled,
		lang, created_at, updated_at FROM accounts WHERE `+column+` = ?`, value).
		Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &a.TOTPSecret, &a.TOTPEnabled, &a.Disabled,
			&a.Lang, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such account.")
	}
	if err != nil {
		return nil, storeError("find account", err)
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return nil, storeError("find account", err)
	}
	if a.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, storeError("find account", err)
	}

	rows, err := q.QueryContext(ctx, `SELECT role, municipality FROM account_roles WHERE account_id = ? ORDER BY rowid`, a.ID)
	if err != nil {
		return nil, storeError("find account roles", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g voci.RoleGrant
		var role string
		if err := rows.Scan(&role, &g.Municipality); err != nil {
			return nil, storeError("find account roles", err)
		}
		g.Role = voci.Role(role)
		a.Roles = append(a.Roles, g)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError("find account roles", err)
	}
	return &a, nil
}

// UpdateAccount applies the set fields of upd in one transaction and returns the account as
// it is afterwards. Roles, when set, replace all grants. UpdatedAt is written when it is not
// zero. It returns ENOTFOUND for an unknown ID and EINVALID when a grant is listed twice.
func (s *Store) UpdateAccount(ctx context.Context, id string, upd voci.AccountUpdate) (*voci.Account, error) {
	var sets []string
	var args []any
	if upd.DisplayName != nil {
		sets = append(sets, "display_name = ?")
		args = append(args, *upd.DisplayName)
	}
	if upd.PasswordHash != nil {
		sets = append(sets, "password_hash = ?")
		args = append(args, *upd.PasswordHash)
	}
	if upd.TOTPSecret != nil {
		sets = append(sets, "totp_secret = ?")
		args = append(args, *upd.TOTPSecret)
	}
	if upd.TOTPEnabled != nil {
		sets = append(sets, "totp_enabled = ?")
		args = append(args, *upd.TOTPEnabled)
	}
	if upd.Disabled != nil {
		sets = append(sets, "disabled = ?")
		args = append(args, *upd.Disabled)
	}
	if upd.Lang != nil {
		sets = append(sets, "lang = ?")
		args = append(args, *upd.Lang)
	}
	if !upd.UpdatedAt.IsZero() {
		sets = append(sets, "updated_at = ?")
		args = append(args, formatTime(upd.UpdatedAt))
	}

	if len(sets) == 0 {
		// Only the roles (or nothing) change; the no-op update still tells whether the account
		// exists, so ENOTFOUND comes from one place.
		sets = append(sets, "id = id")
	}

	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError("update account", err)
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `UPDATE accounts SET `+strings.Join(sets, ", ")+` WHERE id = ?`, append(args, id)...)
	if err != nil {
		return nil, storeError("update account", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, storeError("update account", err)
	}
	if n == 0 {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such account.")
	}
	if upd.Roles != nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_roles WHERE account_id = ?`, id); err != nil {
			return nil, storeError("update account roles", err)
		}
		if err := insertRoles(ctx, tx, id, *upd.Roles); err != nil {
			return nil, err
		}
	}
	a, err := readAccount(ctx, tx, "id", id)
	if err != nil {
		return nil, err
	}
	if err := commitWithAudit(ctx, tx, "update account", upd.Audit); err != nil {
		return nil, err
	}
	return a, nil
}

// CountAccounts returns how many accounts exist.
func (s *Store) CountAccounts(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n); err != nil {
		return 0, storeError("count accounts", err)
	}
	return n, nil
}

// UseTOTPStep records step as the account's last second-factor step when it is later than
// the one recorded, in one UPDATE. It returns ECONFLICT otherwise and ENOTFOUND for an
// unknown account.
func (s *Store) UseTOTPStep(ctx context.Context, accountID string, step int64) error {
	res, err := s.write.ExecContext(ctx, `UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, accountID, step)
	if err != nil {
		return storeError("use totp step", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return storeError("use totp step", err)
	}
	if n == 1 {
		return nil
	}
	var one int
	err = s.read.QueryRowContext(ctx, `SELECT 1 FROM accounts WHERE id = ?`, accountID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return voci.Errorf(voci.ENOTFOUND, "No such account.")
	} else if err != nil {
		return storeError("use totp step", err)
	}
	return voci.Errorf(voci.ECONFLICT, "This code has been used already.")
}
