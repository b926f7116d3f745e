package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// decisionContentRow is a decision's content as JSON in the decisions and decision_entries
// tables. Dates are days (YYYY-MM-DD).
type decisionContentRow struct {
	Number         string            `json:"number"`
	Date           string            `json:"date"`
	Title          string            `json:"title"`
	Text           string            `json:"text"`
	VoteFor        int               `json:"voteFor"`
	VoteAgainst    int               `json:"voteAgainst"`
	VoteAbstain    int               `json:"voteAbstain"`
	VoteAbsent     int               `json:"voteAbsent"`
	Status         string            `json:"status"`
	PublicationURL string            `json:"publicationUrl"`
	PDFFileID      string            `json:"pdfFileId"`
	PDFSHA256      string            `json:"pdfSha256"`
	Links          []decisionLinkRow `json:"links"`
}

type decisionLinkRow struct {
	RecommendationID string `json:"recommendationId"`
	Response         string `json:"response"`
	Reasons          string `json:"reasons"`
	DeferredUntil    string `json:"deferredUntil"`
	PassedTo         string `json:"passedTo"`
	MergedWith       string `json:"mergedWith"`
}

func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

func toContentRow(c *voci.DecisionContent) string {
	r := decisionContentRow{Number: c.Number, Date: formatDay(c.Date), Title: c.Title, Text: c.Text, VoteFor: c.Vote.For,
		VoteAgainst: c.Vote.Against, VoteAbstain: c.Vote.Abstain, VoteAbsent: c.Vote.Absent, Status: string(c.Status),
		PublicationURL: c.PublicationURL, PDFFileID: c.PDFFileID, PDFSHA256: c.PDFSHA256, Links: []decisionLinkRow{}}
	for _, l := range c.Links {
		r.Links = append(r.Links, decisionLinkRow{RecommendationID: l.RecommendationID, Response: string(l.Response),
			Reasons: l.Reasons, DeferredUntil: formatDay(l.DeferredUntil), PassedTo: l.PassedTo, MergedWith: l.MergedWith})
	}
	return toJSON(r)
}

func fromContentRow(s string) (*voci.DecisionContent, error) {
	r, err := fromJSON[decisionContentRow](s)
	if err != nil {
		return nil, err
	}
	date, err := parseDay(r.Date)
	if err != nil {
		return nil, err
	}
	c := &voci.DecisionContent{Number: r.Number, Date: date, Title: r.Title, Text: r.Text,
		Vote:   voci.Vote{For: r.VoteFor, Against: r.VoteAgainst, Abstain: r.VoteAbstain, Absent: r.VoteAbsent},
		Status: voci.DecisionStatus(r.Status), PublicationURL: r.PublicationURL, PDFFileID: r.PDFFileID, PDFSHA256: r.PDFSHA256}
	for _, l := range r.Links {
		until, err := parseDay(l.DeferredUntil)
		if err != nil {
			return nil, err
		}
		c.Links = append(c.Links, voci.DecisionLink{RecommendationID: l.RecommendationID, Response: voci.ResponseKind(l.Response),
			Reasons: l.Reasons, DeferredUntil: until, PassedTo: l.PassedTo, MergedWith: l.MergedWith})
	}
	return c, nil
}

const decisionColumns = `id, municipality, draft, revision, published, published_at, created_by, created_at, updated_at`

// CreateDecision stores a new draft with its audit entry in one transaction.
func (s *Store) CreateDecision(ctx context.Context, d *voci.Decision, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create decision", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO decisions (`+decisionColumns+`) VALUES (?, ?, ?, ?, 0, '', ?, ?, ?)`,
			d.ID, d.Municipality, toContentRow(&d.Draft), max(d.Revision, 1), d.CreatedBy, formatTime(d.CreatedAt), formatTime(d.UpdatedAt))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A decision with this identifier already exists.")
		}
		return storeError("create decision", err)
	})
}

// FindDecision returns the decision with its entries; ENOTFOUND when there is none.
func (s *Store) FindDecision(ctx context.Context, id string) (*voci.Decision, error) {
	ds, err := s.queryDecisions(ctx, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such decision.")
	}
	return ds[0], nil
}

// ListDecisions returns the municipality's decisions, newest first.
func (s *Store) ListDecisions(ctx context.Context, municipality int) ([]*voci.Decision, error) {
	return s.queryDecisions(ctx, `WHERE municipality = ? ORDER BY created_at DESC, id`, municipality)
}

func (s *Store) queryDecisions(ctx context.Context, where string, args ...any) ([]*voci.Decision, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+decisionColumns+` FROM decisions `+where, args...)
	if err != nil {
		return nil, storeError("list decisions", err)
	}
	var out []*voci.Decision
	byID := map[string]*voci.Decision{}
	for rows.Next() {
		var d voci.Decision
		var draft, publishedAt, created, updated string
		var published int
		if err := rows.Scan(&d.ID, &d.Municipality, &draft, &d.Revision, &published, &publishedAt, &d.CreatedBy, &created, &updated); err != nil {
			rows.Close()
			return nil, storeError("list decisions", err)
		}
		c, e1 := fromContentRow(draft)
		var e2, e3, e4 error
		d.PublishedAt, e2 = parseOptTime(publishedAt)
		d.CreatedAt, e3 = parseTime(created)
		d.UpdatedAt, e4 = parseTime(updated)
		if err := errors.Join(e1, e2, e3, e4); err != nil {
			rows.Close()
			return nil, storeError("list decisions", err)
		}
		d.Draft, d.Published = *c, published == 1
		out = append(out, &d)
		byID[d.ID] = &d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeError("list decisions", err)
	}
	for _, d := range out {
		if !d.Published {
			continue
		}
		if d.Entries, err = s.decisionEntries(ctx, d.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) decisionEntries(ctx context.Context, id string) ([]voci.DecisionEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT decision_id, seq, municipality, kind, content, corrects, status, date, note,
		recorded_by, recorded_at, prev_hash, hash FROM decision_entries WHERE decision_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, storeError("read decision entries", err)
	}
	defer rows.Close()
	var out []voci.DecisionEntry
	for rows.Next() {
		var e voci.DecisionEntry
		var kind, content, status, date, recorded string
		if err := rows.Scan(&e.DecisionID, &e.Seq, &e.Municipality, &kind, &content, &e.Corrects, &status, &date, &e.Note,
			&e.RecordedBy, &recorded, &e.PrevHash, &e.Hash); err != nil {
			return nil, storeError("read decision entries", err)
		}
		e.Kind, e.Status = voci.EntryKind(kind), voci.DecisionStatus(status)
		var e1, e2, e3 error
		if e.Kind == voci.EntryVersion {
			e.Content, e1 = fromContentRow(content)
		}
		e.Date, e2 = parseDay(date)
		e.RecordedAt, e3 = parseTime(recorded)
		if err := errors.Join(e1, e2, e3); err != nil {
			return nil, storeError("read decision entries", err)
		}
		out = append(out, e)
	}
	return out, storeError("read decision entries", rows.Err())
}

// UpdateDecisionDraft replaces the draft if it is still unpublished at d.Revision-1.
func (s *Store) UpdateDecisionDraft(ctx context.Context, d *voci.Decision, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update decision", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE decisions SET draft = ?, revision = ?, updated_at = ?
			WHERE id = ? AND revision = ? AND published = 0`,
			toContentRow(&d.Draft), d.Revision, formatTime(d.UpdatedAt), d.ID, d.Revision-1)
		err = exactlyOne("update decision", res, err, "No such decision.")
		if voci.ErrorCode(err) != voci.ENOTFOUND {
			return err
		}
		return draftConflict(ctx, tx, d.ID, err)
	})
}

// draftConflict tells why a conditional write of a draft matched nothing.
func draftConflict(ctx context.Context, tx *sql.Tx, id string, notFound error) error {
	var published int
	err := tx.QueryRowContext(ctx, `SELECT published FROM decisions WHERE id = ?`, id).Scan(&published)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return notFound
	case err != nil:
		return storeError("update decision", err)
	case published == 1:
		return voci.Errorf(voci.EDECISIONPUBLISHED, "This decision is published and is never edited. Add a correction instead.")
	}
	return voci.Errorf(voci.ECHANGED, "Someone else changed this decision meanwhile; reload it and make your change again.")
}

// PublishDecision marks the draft published and writes its first entry in one transaction.
func (s *Store) PublishDecision(ctx context.Context, d *voci.Decision, draftRevision int, first *voci.DecisionEntry, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "publish decision", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE decisions SET published = 1, published_at = ?, updated_at = ?
			WHERE id = ? AND revision = ? AND published = 0`, formatTime(d.PublishedAt), formatTime(d.UpdatedAt), d.ID, draftRevision)
		err = exactlyOne("publish decision", res, err, "No such decision.")
		if voci.ErrorCode(err) == voci.ENOTFOUND {
			return draftConflict(ctx, tx, d.ID, err)
		}
		if err != nil {
			return err
		}
		return insertEntry(ctx, tx, first)
	})
}

// AppendDecisionEntry appends e if it follows the chain's last entry.
func (s *Store) AppendDecisionEntry(ctx context.Context, e *voci.DecisionEntry, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "append decision entry", audit, func(tx *sql.Tx) error {
		var published int
		err := tx.QueryRowContext(ctx, `SELECT published FROM decisions WHERE id = ?`, e.DecisionID).Scan(&published)
		if errors.Is(err, sql.ErrNoRows) {
			return voci.Errorf(voci.ENOTFOUND, "No such decision.")
		}
		if err != nil {
			return storeError("append decision entry", err)
		}
		if published == 0 {
			return voci.Errorf(voci.EDECISIONDRAFT, "This decision is still a draft.")
		}
		var last int
		var hash string
		err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM decision_entries WHERE decision_id = ? ORDER BY seq DESC LIMIT 1`, e.DecisionID).Scan(&last, &hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return storeError("append decision entry", err)
		}
		if last != e.Seq-1 || hash != e.PrevHash {
			return voci.Errorf(voci.ECHANGED, "Someone else added to this decision meanwhile; reload it and make your change again.")
		}
		return insertEntry(ctx, tx, e)
	})
}

func insertEntry(ctx context.Context, tx *sql.Tx, e *voci.DecisionEntry) error {
	content := ""
	if e.Kind == voci.EntryVersion && e.Content != nil {
		content = toContentRow(e.Content)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO decision_entries (decision_id, seq, municipality, kind, content, corrects, status,
		date, note, recorded_by, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.DecisionID, e.Seq, e.Municipality, string(e.Kind), content, e.Corrects, string(e.Status), formatDay(e.Date), e.Note,
		e.RecordedBy, formatTime(e.RecordedAt), e.PrevHash, e.Hash)
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECHANGED, "Someone else added to this decision meanwhile; reload it and make your change again.")
	}
	if err != nil {
		return storeError("append decision entry", err)
	}
	if e.Kind == voci.EntryVersion && e.Content != nil {
		for _, l := range e.Content.Links {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO decision_links (recommendation_id, decision_id) VALUES (?, ?)`,
				l.RecommendationID, e.DecisionID); err != nil {
				return storeError("append decision entry", err)
			}
		}
	}
	return nil
}

// DecisionsLinkingTo returns the published decisions any version of which links to the recommendation.
func (s *Store) DecisionsLinkingTo(ctx context.Context, recommendationID string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT decision_id FROM decision_links WHERE recommendation_id = ? ORDER BY decision_id`, recommendationID)
	if err != nil {
		return nil, storeError("decisions linking to", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, storeError("decisions linking to", err)
		}
		out = append(out, id)
	}
	return out, storeError("decisions linking to", rows.Err())
}
