package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/voci-platform/voci/internal/voci"
)

const recommendationColumns = `id, municipality, source, consultation_id, theme_ids, source_ref, title, text,
	audience_body, revision, created_by, created_at, updated_at`

// CreateRecommendation stores r at revision 1 with its audit entry in the same transaction,
// which first checks that every theme r names is still its consultation's (see citedThemes).
func (s *Store) CreateRecommendation(ctx context.Context, r *voci.Recommendation, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create recommendation", audit, func(tx *sql.Tx) error {
		if err := citedThemes(ctx, tx, r); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO recommendations (`+recommendationColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Municipality, string(r.Source), r.ConsultationID, toJSON(r.ThemeIDs), r.SourceRef, r.Title, r.Text,
			r.AudienceBody, max(r.Revision, 1), r.CreatedBy, formatTime(r.CreatedAt), formatTime(r.UpdatedAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A recommendation with this identifier already exists.")
		}
		return storeError("create recommendation", err)
	})
}

// FindRecommendation returns ENOTFOUND when there is no such recommendation.
func (s *Store) FindRecommendation(ctx context.Context, id string) (*voci.Recommendation, error) {
	r, err := scanRecommendation(s.read.QueryRowContext(ctx, `SELECT `+recommendationColumns+` FROM recommendations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such recommendation.")
	}
	return r, storeError("find recommendation", err)
}

// ListRecommendations returns the filter's recommendations, oldest first.
func (s *Store) ListRecommendations(ctx context.Context, f voci.RecommendationFilter) ([]*voci.Recommendation, error) {
	q := `SELECT ` + recommendationColumns + ` FROM recommendations WHERE municipality = ?`
	args := []any{f.Municipality}
	if f.ConsultationID != "" {
		q += ` AND consultation_id = ?`
		args = append(args, f.ConsultationID)
	}
	if f.Source != "" {
		q += ` AND source = ?`
		args = append(args, string(f.Source))
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, storeError("list recommendations", err)
	}
	defer rows.Close()
	var out []*voci.Recommendation
	for rows.Next() {
		r, err := scanRecommendation(rows)
		if err != nil {
			return nil, storeError("list recommendations", err)
		}
		out = append(out, r)
	}
	return out, storeError("list recommendations", rows.Err())
}

// UpdateRecommendation replaces the stored recommendation if it is still at r.Revision-1.
func (s *Store) UpdateRecommendation(ctx context.Context, r *voci.Recommendation, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update recommendation", audit, func(tx *sql.Tx) error {
		if err := citedThemes(ctx, tx, r); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE recommendations SET theme_ids = ?, title = ?, text = ?, audience_body = ?,
			revision = ?, updated_at = ? WHERE id = ? AND revision = ?`,
			toJSON(r.ThemeIDs), r.Title, r.Text, r.AudienceBody, r.Revision, formatTime(r.UpdatedAt), r.ID, r.Revision-1)
		err = exactlyOne("update recommendation", res, err, "No such recommendation.")
		if voci.ErrorCode(err) != voci.ENOTFOUND {
			return err
		}
		var n int
		if qerr := tx.QueryRowContext(ctx, `SELECT count(*) FROM recommendations WHERE id = ?`, r.ID).Scan(&n); qerr != nil {
			return storeError("update recommendation", qerr)
		}
		if n > 0 {
			return voci.Errorf(voci.ECHANGED, "Someone else changed this recommendation meanwhile; reload it and make your change again.")
		}
		return err
	})
}

// citedThemes refuses (ENOTFOUND on themeIds) a recommendation naming a theme that its
// consultation does not have. It runs inside the write transaction that stores the
// recommendation, as DeleteTheme's check runs inside the one that deletes: the writes are
// serialised, so a theme deleted while a reviewer made a recommendation from it is either still
// there when the recommendation is stored (and then cannot be deleted) or refuses it.
func citedThemes(ctx context.Context, tx *sql.Tx, r *voci.Recommendation) error {
	if len(r.ThemeIDs) == 0 {
		return nil
	}
	var missing int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM json_each(?) j
		WHERE NOT EXISTS (SELECT 1 FROM themes t WHERE t.id = j.value AND t.consultation_id = ?)`,
		toJSON(r.ThemeIDs), r.ConsultationID).Scan(&missing)
	if err != nil {
		return storeError("check themes", err)
	}
	if missing > 0 {
		return &voci.Error{Code: voci.ENOTFOUND, Param: "themeIds", Message: "No such theme in this consultation."}
	}
	return nil
}

func scanRecommendation(row interface{ Scan(...any) error }) (*voci.Recommendation, error) {
	var r voci.Recommendation
	var source, themes, created, updated string
	if err := row.Scan(&r.ID, &r.Municipality, &source, &r.ConsultationID, &themes, &r.SourceRef, &r.Title, &r.Text,
		&r.AudienceBody, &r.Revision, &r.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	r.Source = voci.SourceKind(source)
	var e1, e2, e3 error
	r.ThemeIDs, e1 = fromJSON[[]string](themes)
	r.CreatedAt, e2 = parseTime(created)
	r.UpdatedAt, e3 = parseTime(updated)
	if err := errors.Join(e1, e2, e3); err != nil {
		return nil, err
	}
	return &r, nil
}
