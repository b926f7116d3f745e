package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/voci-platform/voci/internal/voci"
)

// agendaItemJSON is an agenda item as the items column holds it.
type agendaItemJSON struct {
	ID           string             `json:"id"`
	Title        string             `json:"title"`
	Description  string             `json:"description"`
	Kind         string             `json:"kind"`
	Status       string             `json:"status"`
	ProposedBy   string             `json:"proposedBy"`
	ProposerName string             `json:"proposerName"`
	Flags        []string           `json:"flags"`
	TextApproved bool               `json:"textApproved"`
	Attachments  []agendaAttachJSON `json:"attachments"`
	CreatedAt    string             `json:"createdAt"`
	// ApprovesMinutesOf: the meeting whose minutes the item approves (minutes.go).
	ApprovesMinutesOf string `json:"approvesMinutesOf,omitempty"`
}

type agendaAttachJSON struct {
	FileID      string `json:"fileId"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	AddedAt     string `json:"addedAt"`
}

func agendaItemsColumn(items []voci.AgendaItem) string {
	out := make([]agendaItemJSON, 0, len(items))
	for _, it := range items {
		j := agendaItemJSON{ID: it.ID, Title: it.Title, Description: it.Description, Kind: string(it.Kind), Status: string(it.Status),
			ProposedBy: it.ProposedBy, ProposerName: it.ProposerName, Flags: it.Flags, TextApproved: it.TextApproved,
			Attachments: []agendaAttachJSON{}, CreatedAt: formatTime(it.CreatedAt), ApprovesMinutesOf: it.ApprovesMinutesOf}
		for _, f := range it.Attachments {
			j.Attachments = append(j.Attachments, agendaAttachJSON{FileID: f.FileID, Name: f.Name, ContentType: f.ContentType, Size: f.Size,
				AddedAt: formatTime(f.AddedAt)})
		}
		out = append(out, j)
	}
	return toJSON(out)
}

func parseAgendaItems(s string) ([]voci.AgendaItem, error) {
	js, err := fromJSON[[]agendaItemJSON](s)
	if err != nil {
		return nil, err
	}
	out := make([]voci.AgendaItem, 0, len(js))
	var errs []error
	for _, j := range js {
		it := voci.AgendaItem{ID: j.ID, Title: j.Title, Description: j.Description, Kind: voci.AgendaKind(j.Kind),
			Status: voci.AgendaItemStatus(j.Status), ProposedBy: j.ProposedBy, ProposerName: j.ProposerName, Flags: j.Flags,
			TextApproved: j.TextApproved, ApprovesMinutesOf: j.ApprovesMinutesOf}
		var e error
		it.CreatedAt, e = parseTime(j.CreatedAt)
		errs = append(errs, e)
		for _, f := range j.Attachments {
			a := voci.AgendaAttachment{FileID: f.FileID, Name: f.Name, ContentType: f.ContentType, Size: f.Size}
			a.AddedAt, e = parseTime(f.AddedAt)
			errs = append(errs, e)
			it.Attachments = append(it.Attachments, a)
		}
		out = append(out, it)
	}
	return out, errors.Join(errs...)
}

// FindAgenda returns the meeting's agenda; ENOTFOUND when none was saved.
func (s *Store) FindAgenda(ctx context.Context, meetingID string) (*voci.Agenda, error) {
	var a voci.Agenda
	var items, updated string
	err := s.read.QueryRowContext(ctx, `SELECT meeting_id, council_id, municipality, items, version, updated_at
		FROM council_agendas WHERE meeting_id = ?`, meetingID).Scan(&a.MeetingID, &a.CouncilID, &a.Municipality, &items, &a.Version, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "This meeting has no agenda yet.")
	}
	if err != nil {
		return nil, storeError("find agenda", err)
	}
	var e1, e2 error
	a.Items, e1 = parseAgendaItems(items)
	a.UpdatedAt, e2 = parseTime(updated)
	if err := errors.Join(e1, e2); err != nil {
		return nil, storeError("find agenda", err)
	}
	return &a, nil
}

// SaveAgenda stores a new agenda (Version 1) or one still at a.Version-1.
func (s *Store) SaveAgenda(ctx context.Context, a *voci.Agenda, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "save agenda", audit, func(tx *sql.Tx) error {
		if a.Version == 1 {
			_, err := tx.ExecContext(ctx, `INSERT INTO council_agendas (meeting_id, council_id, municipality, items, version, updated_at)
				VALUES (?, ?, ?, ?, 1, ?)`, a.MeetingID, a.CouncilID, a.Municipality, agendaItemsColumn(a.Items), formatTime(a.UpdatedAt))
			if isUniqueViolation(err) {
				return voci.Errorf(voci.ECONFLICT, "Someone changed this agenda meanwhile. Reload it and try again.")
			}
			return storeError("save agenda", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE council_agendas SET items = ?, version = ?, updated_at = ? WHERE meeting_id = ? AND version = ?`,
			agendaItemsColumn(a.Items), a.Version, formatTime(a.UpdatedAt), a.MeetingID, a.Version-1)
		if err != nil {
			return storeError("save agenda", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return voci.Errorf(voci.ECONFLICT, "Someone changed this agenda meanwhile. Reload it and try again.")
		}
		return nil
	})
}
