package sqlitestore

import (
	"context"
	"database/sql"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// FindAccounts returns one page of the accounts matching f, ordered by email, and the number
// of matches, read in one snapshot.
func (s *Store) FindAccounts(ctx context.Context, f voci.AccountFilter) ([]voci.Account, int, error) {
	if f.Offset < 0 {
		return nil, 0, voci.InvalidParam("page", "The page must be 1 or more.")
	}
	if f.Limit < 1 || f.Limit > voci.MaxPageSize {
		return nil, 0, voci.InvalidParam("limit", "The page size must be between 1 and %d.", voci.MaxPageSize)
	}
	cond, args := "", []any{}
	if f.Municipality != 0 {
		cond = ` WHERE id IN (SELECT account_id FROM account_roles WHERE municipality = ?)`
		args = append(args, f.Municipality)
	}
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, storeError("find accounts", err)
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts`+cond, args...).Scan(&total); err != nil {
		return nil, 0, storeError("count accounts", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM accounts`+cond+` ORDER BY email LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, storeError("find accounts", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, storeError("find accounts", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, storeError("find accounts", err)
	}
	accounts := make([]voci.Account, 0, len(ids))
	for _, id := range ids {
		a, err := readAccount(ctx, tx, "id", id)
		if err != nil {
			return nil, 0, err
		}
		accounts = append(accounts, *a)
	}
	return accounts, total, nil
}

// AddAccountRole grants g unless the account holds it already, in one transaction, and returns
// the account afterwards. ENOTFOUND for an unknown account.
func (s *Store) AddAccountRole(ctx context.Context, accountID string, g voci.RoleGrant, at time.Time) (*voci.Account, error) {
	return s.changeAccount(ctx, accountID, at, nil, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO account_roles (account_id, role, municipality) VALUES (?, ?, ?)`,
			accountID, string(g.Role), g.Municipality)
		return storeError("add account role", err)
	})
}

// RemoveAccountRole takes g from the account in one transaction and returns the account
// afterwards. ENOTFOUND when the account is unknown or does not hold g; ELASTPLATFORMADMIN
// when it is the last enabled platform admin's admin role.
func (s *Store) RemoveAccountRole(ctx context.Context, accountID string, g voci.RoleGrant, at time.Time, audit *voci.AuditEntry) (*voci.Account, error) {
	return s.changeAccount(ctx, accountID, at, audit, func(tx *sql.Tx) error {
		if g.Role == voci.RolePlatformAdmin {
			if err := keepAnAdmin(ctx, tx, accountID); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM account_roles WHERE account_id = ? AND role = ? AND municipality = ?`,
			accountID, string(g.Role), g.Municipality)
		if err != nil {
			return storeError("remove account role", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return storeError("remove account role", err)
		} else if n == 0 {
			return voci.Errorf(voci.ENOTFOUND, "This person does not hold the role %s here.", g.Role)
		}
		return nil
	})
}

// changeAccount stamps the account's update time (which also tells whether it exists), applies
// change, reads the account back and writes the audit entry (when not nil), all in one write
// transaction.
func (s *Store) changeAccount(ctx context.Context, accountID string, at time.Time, audit *voci.AuditEntry, change func(tx *sql.Tx) error) (*voci.Account, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError("change account", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE accounts SET updated_at = ? WHERE id = ?`, formatTime(at), accountID)
	if err != nil {
		return nil, storeError("change account", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, storeError("change account", err)
	} else if n == 0 {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such account.")
	}
	if err := change(tx); err != nil {
		return nil, err
	}
	a, err := readAccount(ctx, tx, "id", accountID)
	if err != nil {
		return nil, err
	}
	return a, commitWithAudit(ctx, tx, "change account", audit)
}

// SetAccountDisabled disables or enables the account in one transaction and returns it
// afterwards. ENOTFOUND for an unknown account; ELASTPLATFORMADMIN when it would disable the
// last enabled platform admin.
func (s *Store) SetAccountDisabled(ctx context.Context, accountID string, disabled bool, at time.Time, audit *voci.AuditEntry) (*voci.Account, error) {
	return s.changeAccount(ctx, accountID, at, audit, func(tx *sql.Tx) error {
		if disabled {
			if err := keepAnAdmin(ctx, tx, accountID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET disabled = ? WHERE id = ?`, disabled, accountID)
		return storeError("set account disabled", err)
	})
}

// keepAnAdmin returns ELASTPLATFORMADMIN when the account is an enabled platform admin and no
// other enabled account is one. It runs inside the write transaction that then changes the
// account, and writes are serialized, so two admins cannot both pass it for each other.
func keepAnAdmin(ctx context.Context, tx *sql.Tx, accountID string) error {
	var self, others int
	err := tx.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE a.id = ?),
		count(*) FILTER (WHERE a.id <> ?)
		FROM accounts a JOIN account_roles r ON r.account_id = a.id
		WHERE r.role = ? AND a.disabled = 0`, accountID, accountID, string(voci.RolePlatformAdmin)).Scan(&self, &others)
	if err != nil {
		return storeError("count platform admins", err)
	}
	if self > 0 && others == 0 {
		return voci.LastPlatformAdmin()
	}
	return nil
}
