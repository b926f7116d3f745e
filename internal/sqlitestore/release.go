package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

const releaseColumns = `id, period, kind, version, status, reason, k, created_at, finished_at`

func scanRelease(row interface{ Scan(...any) error }) (*voci.Release, error) {
	var r voci.Release
	var kind, status, created, finished string
	if err := row.Scan(&r.ID, &r.Period, &kind, &r.Version, &status, &r.Reason, &r.K, &created, &finished); err != nil {
		return nil, err
	}
	r.Kind, r.Status = voci.PeriodKind(kind), voci.ReleaseStatus(status)
	var err error
	if r.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if r.FinishedAt, err = parseOptTime(finished); err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateRelease takes the next version of the period in the insert itself.
func (s *Store) CreateRelease(ctx context.Context, r *voci.Release) error {
	err := s.write.QueryRowContext(ctx, `INSERT INTO releases (id, period, kind, version, status, k, created_at)
		SELECT ?, ?, ?, COALESCE(MAX(version), 0) + 1, 'running', ?, ? FROM releases WHERE period = ?
		RETURNING version`, r.ID, r.Period, string(r.Kind), r.K, formatTime(r.CreatedAt), r.Period).Scan(&r.Version)
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECONFLICT, "A release with this ID exists.")
	}
	if err != nil {
		return storeError("create release", err)
	}
	r.Status = voci.ReleaseRunning
	return nil
}

// FinishRelease writes the cells and the status in one transaction.
func (s *Store) FinishRelease(ctx context.Context, id string, status voci.ReleaseStatus, reason string, at time.Time, cells []voci.ReleaseCell) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storeError("finish release", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE releases SET status = ?, reason = ?, finished_at = ? WHERE id = ? AND status = 'running'`,
		string(status), reason, formatTime(at), id)
	if err != nil {
		return storeError("finish release", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		if _, err := s.FindRelease(ctx, id); err != nil {
			return err
		}
		return voci.Errorf(voci.ECONFLICT, "The release is not running any more.")
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO release_cells (release_id, scope, key, value) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return storeError("finish release", err)
	}
	defer stmt.Close()
	for _, c := range cells {
		var v any = c.Value
		if c.Hidden {
			v = nil
		}
		if _, err := stmt.ExecContext(ctx, id, c.Scope, c.Key, v); err != nil {
			return storeError("finish release", err)
		}
	}
	return storeError("finish release", tx.Commit())
}

// FindRelease returns ENOTFOUND for an unknown ID.
func (s *Store) FindRelease(ctx context.Context, id string) (*voci.Release, error) {
	r, err := scanRelease(s.read.QueryRowContext(ctx, `SELECT `+releaseColumns+` FROM releases WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such release.")
	}
	if err != nil {
		return nil, storeError("find release", err)
	}
	return r, nil
}

// ListReleases returns the releases of a period ("" for all), newest first.
func (s *Store) ListReleases(ctx context.Context, period string) ([]voci.Release, error) {
	var out []voci.Release
	err := s.eachRow(ctx, "list releases", `SELECT `+releaseColumns+` FROM releases WHERE ?1 = '' OR period = ?1
		ORDER BY created_at DESC, version DESC`, []any{period}, func(rows *sql.Rows) error {
		r, err := scanRelease(rows)
		if err != nil {
			return err
		}
		out = append(out, *r)
		return nil
	})
	return out, err
}

// LatestPublishedRelease returns ENOTFOUND when the period has no published release.
func (s *Store) LatestPublishedRelease(ctx context.Context, period string) (*voci.Release, error) {
	r, err := scanRelease(s.read.QueryRowContext(ctx, `SELECT `+releaseColumns+` FROM releases
		WHERE period = ? AND status = 'published' ORDER BY version DESC LIMIT 1`, period))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No release of %s is published.", period)
	}
	if err != nil {
		return nil, storeError("latest release", err)
	}
	return r, nil
}

// ReleaseCells reads a release's cells, in the scopes given (all when nil).
func (s *Store) ReleaseCells(ctx context.Context, releaseID string, scopes []string) ([]voci.ReleaseCell, error) {
	query := `SELECT scope, key, value FROM release_cells WHERE release_id = ?`
	args := []any{releaseID}
	if scopes != nil {
		if len(scopes) == 0 {
			return nil, nil
		}
		query += ` AND scope IN (?` + strings.Repeat(", ?", len(scopes)-1) + `)`
		for _, sc := range scopes {
			args = append(args, sc)
		}
	}
	var out []voci.ReleaseCell
	err := s.eachRow(ctx, "release cells", query+` ORDER BY scope, key`, args, func(rows *sql.Rows) error {
		var c voci.ReleaseCell
		var v sql.NullInt64
		if err := rows.Scan(&c.Scope, &c.Key, &v); err != nil {
			return err
		}
		c.Value, c.Hidden = int(v.Int64), !v.Valid
		out = append(out, c)
		return nil
	})
	return out, err
}
