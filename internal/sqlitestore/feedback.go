package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/voci-platform/voci/internal/voci"
)

const feedbackColumns = `id, recommendation_id, consultation_id, municipality, version, corrects, state, texts, authors,
	reviewed_by, revision, created_at, updated_at, submitted_at, published_at`

// feedbackText is a voci.FeedbackText as stored in the texts column.
type feedbackText struct {
	Text     string `json:"text"`
	EasyRead string `json:"easyRead"`
}

func feedbackTextsJSON(texts map[voci.Lang]voci.FeedbackText) string {
	m := make(map[string]feedbackText, len(texts))
	for l, t := range texts {
		m[string(l)] = feedbackText(t)
	}
	return toJSON(m)
}

// CreateFeedback stores f with its audit entry in the same transaction.
func (s *Store) CreateFeedback(ctx context.Context, f *voci.Feedback, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create feedback", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO feedback (`+feedbackColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ID, f.RecommendationID, f.ConsultationID, f.Municipality, f.Version, f.Corrects, string(f.State),
			feedbackTextsJSON(f.Texts), toJSON(f.Authors), f.ReviewedBy, max(f.Revision, 1), formatTime(f.CreatedAt),
			formatTime(f.UpdatedAt), optTime(f.SubmittedAt), optTime(f.PublishedAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "This recommendation already has this version of feedback; reload it.")
		}
		return storeError("create feedback", err)
	})
}

// FindFeedback returns ENOTFOUND when there is no such feedback.
func (s *Store) FindFeedback(ctx context.Context, id string) (*voci.Feedback, error) {
	f, err := scanFeedback(s.read.QueryRowContext(ctx, `SELECT `+feedbackColumns+` FROM feedback WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such feedback.")
	}
	return f, storeError("find feedback", err)
}

// ListFeedback returns the filter's feedback by recommendation and version.
func (s *Store) ListFeedback(ctx context.Context, f voci.FeedbackFilter) ([]*voci.Feedback, error) {
	q := `SELECT ` + feedbackColumns + ` FROM feedback WHERE municipality = ?`
	args := []any{f.Municipality}
	if f.ConsultationID != "" {
		q += ` AND consultation_id = ?`
		args = append(args, f.ConsultationID)
	}
	if f.RecommendationID != "" {
		q += ` AND recommendation_id = ?`
		args = append(args, f.RecommendationID)
	}
	if f.PublishedOnly {
		q += ` AND state = 'published'`
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY recommendation_id, version`, args...)
	if err != nil {
		return nil, storeError("list feedback", err)
	}
	defer rows.Close()
	var out []*voci.Feedback
	for rows.Next() {
		fb, err := scanFeedback(rows)
		if err != nil {
			return nil, storeError("list feedback", err)
		}
		out = append(out, fb)
	}
	return out, storeError("list feedback", rows.Err())
}

// UpdateFeedback replaces an unpublished version still at f.Revision-1.
func (s *Store) UpdateFeedback(ctx context.Context, f *voci.Feedback, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update feedback", audit, func(tx *sql.Tx) error {
		var state string
		var revision int
		err := tx.QueryRowContext(ctx, `SELECT state, revision FROM feedback WHERE id = ?`, f.ID).Scan(&state, &revision)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return voci.Errorf(voci.ENOTFOUND, "No such feedback.")
		case err != nil:
			return storeError("update feedback", err)
		case state == string(voci.FeedbackPublished):
			return voci.Errorf(voci.EFEEDBACKPUBLISHED, "Published feedback is not changed; write a correction.")
		case revision != f.Revision-1:
			return voci.Errorf(voci.ECHANGED, "Someone else changed this feedback meanwhile; reload it and make your change again.")
		}
		res, err := tx.ExecContext(ctx, `UPDATE feedback SET state = ?, texts = ?, authors = ?, reviewed_by = ?, revision = ?,
			updated_at = ?, submitted_at = ?, published_at = ? WHERE id = ? AND revision = ? AND state <> 'published'`,
			string(f.State), feedbackTextsJSON(f.Texts), toJSON(f.Authors), f.ReviewedBy, f.Revision, formatTime(f.UpdatedAt),
			optTime(f.SubmittedAt), optTime(f.PublishedAt), f.ID, f.Revision-1)
		return exactlyOne("update feedback", res, err, "No such feedback.")
	})
}

// ParticipantLanguages returns the languages of the consultation's live and self-paced
// children, and of its paper forms (through answers_paper_langs).
func (s *Store) ParticipantLanguages(ctx context.Context, consultationID string) ([]voci.Lang, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT p.lang FROM participants p JOIN live_sessions ls ON ls.id = p.session_id
			WHERE ls.consultation_id = ?
		UNION SELECT lang FROM self_paced_participants WHERE consultation_id = ?
		UNION SELECT DISTINCT lang FROM answers WHERE consultation_id = ? AND source = 'paper' AND lang <> ''`,
		consultationID, consultationID, consultationID)
	if err != nil {
		return nil, storeError("participant languages", err)
	}
	defer rows.Close()
	var out []voci.Lang
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, storeError("participant languages", err)
		}
		out = append(out, voci.Lang(l))
	}
	return out, storeError("participant languages", rows.Err())
}

func scanFeedback(row interface{ Scan(...any) error }) (*voci.Feedback, error) {
	var f voci.Feedback
	var state, texts, authors, created, updated, submitted, published string
	if err := row.Scan(&f.ID, &f.RecommendationID, &f.ConsultationID, &f.Municipality, &f.Version, &f.Corrects, &state, &texts,
		&authors, &f.ReviewedBy, &f.Revision, &created, &updated, &submitted, &published); err != nil {
		return nil, err
	}
	f.State = voci.FeedbackState(state)
	m, e1 := fromJSON[map[string]feedbackText](texts)
	f.Texts = make(map[voci.Lang]voci.FeedbackText, len(m))
	for l, t := range m {
		f.Texts[voci.Lang(l)] = voci.FeedbackText(t)
	}
	var e2, e3, e4, e5, e6 error
	f.Authors, e2 = fromJSON[[]string](authors)
	f.CreatedAt, e3 = parseTime(created)
	f.UpdatedAt, e4 = parseTime(updated)
	f.SubmittedAt, e5 = parseOptTime(submitted)
	f.PublishedAt, e6 = parseOptTime(published)
	if err := errors.Join(e1, e2, e3, e4, e5, e6); err != nil {
		return nil, err
	}
	return &f, nil
}
