package sqlitestore

import (
	"context"

	"github.com/voci-platform/voci/internal/voci"
)

// SavePaperFormEntry stores e unless its consultation and key have an entry already.
func (s *Store) SavePaperFormEntry(ctx context.Context, e *voci.PaperFormEntry) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO paper_form_entries (consultation_id, form_key, participant_id, municipality,
		entered_by, sitting, number, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (consultation_id, form_key) DO NOTHING`,
		e.ConsultationID, e.Key, e.ParticipantID, e.Municipality, e.EnteredBy, e.Sitting, e.Number, string(e.Lang), formatTime(e.CreatedAt))
	return storeError("save paper form entry", err)
}

// ListPaperFormEntries returns the entries enteredBy typed in the sitting, by number.
func (s *Store) ListPaperFormEntries(ctx context.Context, consultationID, enteredBy, sitting string, limit int) ([]voci.PaperFormEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT consultation_id, form_key, participant_id, municipality, entered_by, sitting, number, lang, created_at
		FROM paper_form_entries WHERE consultation_id = ? AND entered_by = ? AND sitting = ? ORDER BY number, created_at, form_key LIMIT ?`,
		consultationID, enteredBy, sitting, max(limit, 1))
	if err != nil {
		return nil, storeError("list paper form entries", err)
	}
	defer rows.Close()
	out := []voci.PaperFormEntry{}
	for rows.Next() {
		var e voci.PaperFormEntry
		var lang, created string
		if err := rows.Scan(&e.ConsultationID, &e.Key, &e.ParticipantID, &e.Municipality, &e.EnteredBy, &e.Sitting, &e.Number, &lang, &created); err != nil {
			return nil, storeError("list paper form entries", err)
		}
		if e.CreatedAt, err = parseTime(created); err != nil {
			return nil, storeError("list paper form entries", err)
		}
		e.Lang = voci.Lang(lang)
		out = append(out, e)
	}
	return out, storeError("list paper form entries", rows.Err())
}
