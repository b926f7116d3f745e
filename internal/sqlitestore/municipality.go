package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/voci-platform/voci/internal/voci"
)

// SeedReferenceData inserts the counties and municipalities that are missing, in one
// transaction, and leaves existing rows untouched so that enrolment survives a re-seed. It
// returns how many municipalities it added, and EINVALID when a municipality names a county
// that is neither stored nor given.
func (s *Store) SeedReferenceData(ctx context.Context, counties []voci.County, municipalities []voci.Municipality) (int, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, storeError("seed reference data", err)
	}
	defer tx.Rollback()

	countyStmt, err := tx.PrepareContext(ctx, `INSERT INTO counties (code, siruta, name, abbrev, search_key)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, storeError("seed counties", err)
	}
	defer countyStmt.Close()
	for _, c := range counties {
		if _, err := countyStmt.ExecContext(ctx, c.Code, c.SIRUTA, c.Name, c.Abbrev, voci.FoldForSearch(c.Name)); err != nil {
			return 0, storeError(fmt.Sprintf("seed county %d", c.Code), err)
		}
	}

	municipalityStmt, err := tx.PrepareContext(ctx, `INSERT INTO municipalities (siruta, name, search_key, kind, urban, county_code, enrolled)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, storeError("seed municipalities", err)
	}
	defer municipalityStmt.Close()
	added := 0
	for _, m := range municipalities {
		res, err := municipalityStmt.ExecContext(ctx, m.SIRUTA, m.Name, m.SearchKey(), string(m.Kind), m.Urban, m.CountyCode, m.Enrolled)
		if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
			return 0, voci.InvalidParam("countyCode", "The municipality %s (%d) names county %d, which is not known.", m.Name, m.SIRUTA, m.CountyCode)
		}
		if err != nil {
			return 0, storeError(fmt.Sprintf("seed municipality %d", m.SIRUTA), err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, storeError("seed municipalities", err)
		}
		added += int(n)
	}

	if err := tx.Commit(); err != nil {
		return 0, storeError("seed reference data", err)
	}
	return added, nil
}

// ListCounties returns every county ordered by folded name, then code.
func (s *Store) ListCounties(ctx context.Context) ([]voci.County, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT code, siruta, name, abbrev FROM counties ORDER BY search_key, code`)
	if err != nil {
		return nil, storeError("list counties", err)
	}
	defer rows.Close()
	var counties []voci.County
	for rows.Next() {
		var c voci.County
		if err := rows.Scan(&c.Code, &c.SIRUTA, &c.Name, &c.Abbrev); err != nil {
			return nil, storeError("list counties", err)
		}
		counties = append(counties, c)
	}
	return counties, storeError("list counties", rows.Err())
}

// municipalityColumns is what scanMunicipality reads; the county name comes from the join so
// that it is stored once.
const municipalityColumns = `m.siruta, m.name, m.kind, m.urban, m.county_code, c.name, m.enrolled, m.stage, m.stage_since
	FROM municipalities m JOIN counties c ON c.code = m.county_code`

type scanner interface{ Scan(dest ...any) error }

func scanMunicipality(row scanner) (voci.Municipality, error) {
	var m voci.Municipality
	var kind, stage, since string
	if err := row.Scan(&m.SIRUTA, &m.Name, &kind, &m.Urban, &m.CountyCode, &m.CountyName, &m.Enrolled, &stage, &since); err != nil {
		return m, err
	}
	m.Kind = voci.MunicipalityKind(kind)
	m.Stage = voci.Stage(stage)
	if since != "" {
		d, err := time.Parse(time.DateOnly, since)
		if err != nil {
			return m, fmt.Errorf("stored stage date %q: %w", since, err)
		}
		m.StageSince = d
	}
	return m, nil
}

// FindMunicipalityBySIRUTA returns ENOTFOUND when no municipality has that code.
func (s *Store) FindMunicipalityBySIRUTA(ctx context.Context, siruta int) (*voci.Municipality, error) {
	m, err := scanMunicipality(s.read.QueryRowContext(ctx, `SELECT `+municipalityColumns+` WHERE m.siruta = ?`, siruta))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No municipality has the SIRUTA code %d.", siruta)
	}
	if err != nil {
		return nil, storeError(fmt.Sprintf("find municipality %d", siruta), err)
	}
	return &m, nil
}

// FindMunicipalities returns one page of the municipalities matching a normalized filter,
// ordered by folded name then SIRUTA code, and the number of all matches. The count and the
// page are read in one transaction, so they agree. It normalizes the filter again (that is
// idempotent) so that no caller can ask for an unbounded page, and returns EINVALID for a
// filter that does not normalize.
func (s *Store) FindMunicipalities(ctx context.Context, f voci.MunicipalityFilter) ([]voci.Municipality, int, error) {
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	cond, args := municipalityWhere(f)
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, storeError("find municipalities", err)
	}
	defer tx.Rollback()

	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM municipalities m`+cond, args...).Scan(&total); err != nil {
		return nil, 0, storeError("count municipalities", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+municipalityColumns+cond+` ORDER BY m.search_key, m.siruta LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, storeError("find municipalities", err)
	}
	defer rows.Close()
	var page []voci.Municipality
	for rows.Next() {
		m, err := scanMunicipality(rows)
		if err != nil {
			return nil, 0, storeError("find municipalities", err)
		}
		page = append(page, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, storeError("find municipalities", err)
	}
	return page, total, nil
}

// municipalityWhere is the WHERE clause (with its arguments) of a normalized filter.
func municipalityWhere(f voci.MunicipalityFilter) (string, []any) {
	var where []string
	var args []any
	if f.Query != "" {
		where = append(where, `m.search_key LIKE '%' || ? || '%' ESCAPE '\'`)
		args = append(args, escapeLike(f.Query))
	}
	if f.CountyCode != nil {
		where = append(where, `m.county_code = ?`)
		args = append(args, *f.CountyCode)
	}
	if f.Enrolled != nil {
		where = append(where, `m.enrolled = ?`)
		args = append(args, *f.Enrolled)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	return cond, args
}

// ListMunicipalities reads every municipality matching the filter in one query.
func (s *Store) ListMunicipalities(ctx context.Context, f voci.MunicipalityFilter) ([]voci.Municipality, error) {
	f.Limit, f.Offset = voci.MaxPageSize, 0
	if err := f.Normalize(); err != nil {
		return nil, err
	}
	cond, args := municipalityWhere(f)
	rows, err := s.read.QueryContext(ctx, `SELECT `+municipalityColumns+cond+` ORDER BY m.search_key, m.siruta`, args...)
	if err != nil {
		return nil, storeError("list municipalities", err)
	}
	defer rows.Close()
	var out []voci.Municipality
	for rows.Next() {
		m, err := scanMunicipality(rows)
		if err != nil {
			return nil, storeError("list municipalities", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError("list municipalities", err)
	}
	return out, nil
}

// escapeLike makes s match itself literally in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SetMunicipalityEnrolled records whether a municipality takes part in the initiative. It
// returns ENOTFOUND for an unknown code.
func (s *Store) SetMunicipalityEnrolled(ctx context.Context, siruta int, enrolled bool) error {
	res, err := s.write.ExecContext(ctx, `UPDATE municipalities SET enrolled = ? WHERE siruta = ?`, enrolled, siruta)
	if err != nil {
		return storeError(fmt.Sprintf("set municipality %d enrolled", siruta), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return storeError(fmt.Sprintf("set municipality %d enrolled", siruta), err)
	}
	if n == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No municipality has the SIRUTA code %d.", siruta)
	}
	return nil
}
