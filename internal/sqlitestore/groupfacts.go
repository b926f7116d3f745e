package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/voci-platform/voci/internal/voci"
)

// SetGroupFacts stores f, replacing what was recorded for its session before.
func (s *Store) SetGroupFacts(ctx context.Context, f *voci.GroupFacts, audit *voci.AuditEntry) error {
	counts := map[voci.GroupCategory]int{}
	for k, v := range f.Counts {
		counts[k] = v
	}
	return s.withAudit(ctx, "set group facts", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO group_facts (session_id, consultation_id, municipality, present, counts,
			adaptations, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET present = excluded.present, counts = excluded.counts,
			adaptations = excluded.adaptations, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
			f.SessionID, f.ConsultationID, f.Municipality, f.Present, toJSON(counts), toJSON(f.Adaptations), f.RecordedBy, formatTime(f.RecordedAt))
		return storeError("set group facts", err)
	})
}

// FindGroupFacts returns ENOTFOUND when nothing was recorded for the session.
func (s *Store) FindGroupFacts(ctx context.Context, sessionID string) (*voci.GroupFacts, error) {
	var f voci.GroupFacts
	var counts, adaptations, recorded string
	err := s.read.QueryRowContext(ctx, `SELECT session_id, consultation_id, municipality, present, counts, adaptations,
		recorded_by, recorded_at FROM group_facts WHERE session_id = ?`, sessionID).
		Scan(&f.SessionID, &f.ConsultationID, &f.Municipality, &f.Present, &counts, &adaptations, &f.RecordedBy, &recorded)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "Nothing was recorded about this session's group.")
	}
	if err != nil {
		return nil, storeError("find group facts", err)
	}
	var e1, e2, e3 error
	f.Counts, e1 = fromJSON[map[voci.GroupCategory]int](counts)
	f.Adaptations, e2 = fromJSON[[]voci.Adaptation](adaptations)
	f.RecordedAt, e3 = parseTime(recorded)
	if err := errors.Join(e1, e2, e3); err != nil {
		return nil, storeError("find group facts", err)
	}
	return &f, nil
}
