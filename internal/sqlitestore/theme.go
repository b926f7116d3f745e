package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/voci-platform/voci/internal/voci"
)

// themeItemRow and quoteRow are a theme's items and quotes as stored in its JSON columns.
type themeItemRow struct {
	AnswerID   string `json:"answerId,omitempty"`
	QuestionID string `json:"questionId"`
	OptionID   string `json:"optionId,omitempty"`
}

type quoteRow struct {
	AnswerID string `json:"answerId"`
	Text     string `json:"text"`
}

const themeColumns = `id, municipality, consultation_id, title, summary, items, quotes, revision, created_by, created_at, updated_at`

func themeJSON(t *voci.Theme) (items, quotes string) {
	ir := make([]themeItemRow, len(t.Items))
	for i, it := range t.Items {
		ir[i] = themeItemRow(it)
	}
	qr := make([]quoteRow, len(t.Quotes))
	for i, q := range t.Quotes {
		qr[i] = quoteRow(q)
	}
	return toJSON(ir), toJSON(qr)
}

// CreateTheme stores t at revision 1 with its audit entry in the same transaction.
func (s *Store) CreateTheme(ctx context.Context, t *voci.Theme, audit *voci.AuditEntry) error {
	items, quotes := themeJSON(t)
	return s.withAudit(ctx, "create theme", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO themes (`+themeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.Municipality, t.ConsultationID, t.Title, t.Summary, items, quotes, max(t.Revision, 1), t.CreatedBy,
			formatTime(t.CreatedAt), formatTime(t.UpdatedAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A theme with this identifier already exists.")
		}
		return storeError("create theme", err)
	})
}

// FindTheme returns ENOTFOUND when there is no such theme.
func (s *Store) FindTheme(ctx context.Context, id string) (*voci.Theme, error) {
	t, err := scanTheme(s.read.QueryRowContext(ctx, `SELECT `+themeColumns+` FROM themes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such theme.")
	}
	return t, storeError("find theme", err)
}

// ListThemes returns the consultation's themes, oldest first.
func (s *Store) ListThemes(ctx context.Context, consultationID string) ([]*voci.Theme, error) {
	return s.listThemes(ctx, `consultation_id = ?`, consultationID)
}

// ListThemesIn returns the themes of the municipality's consultations, oldest first.
func (s *Store) ListThemesIn(ctx context.Context, municipality int) ([]*voci.Theme, error) {
	return s.listThemes(ctx, `municipality = ?`, municipality)
}

func (s *Store) listThemes(ctx context.Context, where string, arg any) ([]*voci.Theme, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+themeColumns+` FROM themes WHERE `+where+` ORDER BY created_at, id`, arg)
	if err != nil {
		return nil, storeError("list themes", err)
	}
	defer rows.Close()
	var out []*voci.Theme
	for rows.Next() {
		t, err := scanTheme(rows)
		if err != nil {
			return nil, storeError("list themes", err)
		}
		out = append(out, t)
	}
	return out, storeError("list themes", rows.Err())
}

// UpdateTheme replaces the stored theme if it is still at t.Revision-1.
func (s *Store) UpdateTheme(ctx context.Context, t *voci.Theme, audit *voci.AuditEntry) error {
	items, quotes := themeJSON(t)
	return s.withAudit(ctx, "update theme", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE themes SET title = ?, summary = ?, items = ?, quotes = ?, revision = ?, updated_at = ?
			WHERE id = ? AND revision = ?`, t.Title, t.Summary, items, quotes, t.Revision, formatTime(t.UpdatedAt), t.ID, t.Revision-1)
		err = exactlyOne("update theme", res, err, "No such theme.")
		if voci.ErrorCode(err) != voci.ENOTFOUND {
			return err
		}
		var n int
		if qerr := tx.QueryRowContext(ctx, `SELECT count(*) FROM themes WHERE id = ?`, t.ID).Scan(&n); qerr != nil {
			return storeError("update theme", qerr)
		}
		if n > 0 {
			return voci.Errorf(voci.ECHANGED, "Someone else changed this theme meanwhile; reload it and make your change again.")
		}
		return err
	})
}

// DeleteTheme removes the theme if it is still at revision and no recommendation names it: the
// check and the delete are one transaction, so a recommendation made meanwhile either sees
// the theme or is refused.
func (s *Store) DeleteTheme(ctx context.Context, id string, revision int, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "delete theme", audit, func(tx *sql.Tx) error {
		var cur int
		err := tx.QueryRowContext(ctx, `SELECT revision FROM themes WHERE id = ?`, id).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return voci.Errorf(voci.ENOTFOUND, "No such theme.")
		}
		if err != nil {
			return storeError("delete theme", err)
		}
		if cur != revision {
			return voci.Errorf(voci.ECHANGED, "Someone else changed this theme meanwhile; reload it and make your change again.")
		}
		var title string
		err = tx.QueryRowContext(ctx, `SELECT r.title FROM recommendations r, json_each(r.theme_ids) j
			WHERE r.consultation_id = (SELECT consultation_id FROM themes WHERE id = ?) AND j.value = ? ORDER BY r.created_at, r.id LIMIT 1`,
			id, id).Scan(&title)
		if err == nil {
			return voci.ThemeInUse(title)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return storeError("delete theme", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM themes WHERE id = ? AND revision = ?`, id, revision)
		return storeError("delete theme", err)
	})
}

func scanTheme(row interface{ Scan(...any) error }) (*voci.Theme, error) {
	var t voci.Theme
	var items, quotes, created, updated string
	if err := row.Scan(&t.ID, &t.Municipality, &t.ConsultationID, &t.Title, &t.Summary, &items, &quotes, &t.Revision,
		&t.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	ir, e1 := fromJSON[[]themeItemRow](items)
	qr, e2 := fromJSON[[]quoteRow](quotes)
	var e3, e4 error
	t.CreatedAt, e3 = parseTime(created)
	t.UpdatedAt, e4 = parseTime(updated)
	if err := errors.Join(e1, e2, e3, e4); err != nil {
		return nil, err
	}
	t.Items = make([]voci.ThemeItem, len(ir))
	for i, it := range ir {
		t.Items[i] = voci.ThemeItem(it)
	}
	t.Quotes = make([]voci.Quote, len(qr))
	for i, q := range qr {
		t.Quotes[i] = voci.Quote(q)
	}
	return &t, nil
}

// ListApprovedTexts pages through the consultation's approved texts in SQL, through the
// answers_approved index (answers_approved_words for a word search). Words are matched on text_folded, the text folded when it was
// written (voci.FoldForSearch): instr is an exact substring test there, so counting and paging
// a search stay in SQL and read the index alone.
func (s *Store) ListApprovedTexts(ctx context.Context, f voci.ReviewTextFilter) ([]voci.ReviewText, int, error) {
	// filters are the conditions on columns that approved_text_tally keeps too.
	var filters []string
	var filterArgs []any
	for _, c := range []struct{ col, v string }{{"question_id", f.QuestionID}, {"source", string(f.Source)},
		{"age_band", string(f.AgeBand)}, {"session_id", f.SessionID}} {
		if c.v != "" {
			filters = append(filters, ` AND `+c.col+` = ?`)
			filterArgs = append(filterArgs, c.v)
		}
	}
	cond := `consultation_id = ? AND moderation = 'approved'` + strings.Join(filters, ``)
	args := append([]any{f.ConsultationID}, filterArgs...)
	for _, w := range f.FoldedWords() {
		cond += ` AND instr(text_folded, ?) > 0`
		args = append(args, w)
	}
	// The indexes of approved texts keep them in order and hold every column filtered on; the
	// wider one holds the folded texts too.
	index := `INDEXED BY answers_approved`
	// Without words the total is the sum of a few rows of approved_text_tally, which triggers
	// keep as answers are written (migration 0056); with words the matching texts are counted.
	count := `SELECT coalesce(sum(n), 0) FROM approved_text_tally WHERE consultation_id = ?` + strings.Join(filters, ``)
	countArgs := append([]any{f.ConsultationID}, filterArgs...)
	if len(f.FoldedWords()) > 0 {
		index = `INDEXED BY answers_approved_words`
		count, countArgs = `SELECT count(*) FROM answers `+index+` WHERE `+cond, args
	}
	var total int
	if err := s.read.QueryRowContext(ctx, count, countArgs...).Scan(&total); err != nil {
		return nil, 0, storeError("list approved texts", err)
	}
	q := `SELECT id, question_id, session_id, source, age_band, text, created_at FROM answers ` + index + ` WHERE ` + cond +
		` ORDER BY created_at, id`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, storeError("list approved texts", err)
	}
	defer rows.Close()
	out := []voci.ReviewText{}
	for rows.Next() {
		var t voci.ReviewText
		var source, band, created string
		if err := rows.Scan(&t.AnswerID, &t.QuestionID, &t.SessionID, &source, &band, &t.Text, &created); err != nil {
			return nil, 0, storeError("list approved texts", err)
		}
		t.Source, t.AgeBand = voci.AnswerSource(source), voci.AgeBand(band)
		if t.CreatedAt, err = parseTime(created); err != nil {
			return nil, 0, storeError("list approved texts", err)
		}
		out = append(out, t)
	}
	return out, total, storeError("list approved texts", rows.Err())
}

// likeSuperset turns a folded word into a LIKE pattern that matches every text whose folded
// form holds the word: ASCII letters that folding never produces from another character stay
// (LIKE ignores their case), any other character matches one character (the Kelvin sign lowers
// to k), and LIKE's own wildcards are escaped.
func likeSuperset(word string) string {
	var b strings.Builder
	for _, r := range word {
		switch {
		case r >= 0x80 || strings.ContainsRune("aeiostukAEIOSTUK", r):
			b.WriteByte('_')
		case r == '%' || r == '_' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
