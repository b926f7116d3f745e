package mongostore

import (
	"context"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// decisionDoc is a decision's head: its draft while it is one, and whether it is published.
// Its chain lives in decisionEntries, one document per entry. MongoDB has no transaction
// across the two, so publishing first freezes the draft and keeps the first entry on the
// head (firstEntry), then inserts it; a reader that finds the head published and no entry
// inserts firstEntry itself, so a crash between the two writes loses nothing.
type decisionDoc struct {
	ID           string             `bson:"_id"`
	Municipality int                `bson:"municipality"`
	Draft        decisionContentDoc `bson:"draft"`
	Revision     int                `bson:"revision"`
	Published    bool               `bson:"published"`
	PublishedAt  time.Time          `bson:"publishedAt,omitempty"`
	FirstEntry   *decisionEntryDoc  `bson:"firstEntry,omitempty"`
	CreatedBy    string             `bson:"createdBy"`
	CreatedAt    time.Time          `bson:"createdAt"`
	UpdatedAt    time.Time          `bson:"updatedAt"`
	PendingAudit []auditDoc         `bson:"pendingAudit,omitempty"` // see outbox.go
}

type decisionContentDoc struct {
	Number         string            `bson:"number"`
	Date           time.Time         `bson:"date,omitempty"`
	Title          string            `bson:"title"`
	Text           string            `bson:"text"`
	Vote           [4]int            `bson:"vote"` // for, against, abstain, absent
	Status         string            `bson:"status"`
	PublicationURL string            `bson:"publicationUrl"`
	PDFFileID      string            `bson:"pdfFileId"`
	PDFSHA256      string            `bson:"pdfSha256"`
	Links          []decisionLinkDoc `bson:"links"`
}

type decisionLinkDoc struct {
	RecommendationID string    `bson:"recommendationId"`
	Response         string    `bson:"response"`
	Reasons          string    `bson:"reasons"`
	DeferredUntil    time.Time `bson:"deferredUntil,omitempty"`
	PassedTo         string    `bson:"passedTo"`
	MergedWith       string    `bson:"mergedWith"`
}

// decisionEntryDoc is one entry of a chain; its _id is "<decision>:<seq>", and unique indexes
// on (decisionId, seq) and (decisionId, prevHash) let only one of two appends after the same
// entry in. RecommendationIDs (a version's links) let a recommendation find its decisions.
type decisionEntryDoc struct {
	ID                string              `bson:"_id"`
	DecisionID        string              `bson:"decisionId"`
	Municipality      int                 `bson:"municipality"`
	Seq               int                 `bson:"seq"`
	Kind              string              `bson:"kind"`
	Content           *decisionContentDoc `bson:"content,omitempty"`
	RecommendationIDs []string            `bson:"recommendationIds,omitempty"`
	Corrects          string              `bson:"corrects"`
	Status            string              `bson:"status"`
	Date              time.Time           `bson:"date,omitempty"`
	Note              string              `bson:"note"`
	RecordedBy        string              `bson:"recordedBy"`
	RecordedAt        time.Time           `bson:"recordedAt"`
	PrevHash          string              `bson:"prevHash"`
	Hash              string              `bson:"hash"`
	PendingAudit      []auditDoc          `bson:"pendingAudit,omitempty"` // see outbox.go
}

func toDecisionContentDoc(c *voci.DecisionContent) decisionContentDoc {
	d := decisionContentDoc{Number: c.Number, Date: c.Date.UTC(), Title: c.Title, Text: c.Text,
		Vote:   [4]int{c.Vote.For, c.Vote.Against, c.Vote.Abstain, c.Vote.Absent},
		Status: string(c.Status), PublicationURL: c.PublicationURL, PDFFileID: c.PDFFileID, PDFSHA256: c.PDFSHA256,
		Links: []decisionLinkDoc{}}
	if c.Date.IsZero() {
		d.Date = time.Time{}
	}
	for _, l := range c.Links {
		ld := decisionLinkDoc{RecommendationID: l.RecommendationID, Response: string(l.Response), Reasons: l.Reasons,
			PassedTo: l.PassedTo, MergedWith: l.MergedWith}
		if !l.DeferredUntil.IsZero() {
			ld.DeferredUntil = l.DeferredUntil.UTC()
		}
		d.Links = append(d.Links, ld)
	}
	return d
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func (d *decisionContentDoc) content() *voci.DecisionContent {
	c := &voci.DecisionContent{Number: d.Number, Date: utcOrZero(d.Date), Title: d.Title, Text: d.Text,
		Vote:   voci.Vote{For: d.Vote[0], Against: d.Vote[1], Abstain: d.Vote[2], Absent: d.Vote[3]},
		Status: voci.DecisionStatus(d.Status), PublicationURL: d.PublicationURL, PDFFileID: d.PDFFileID, PDFSHA256: d.PDFSHA256}
	for _, l := range d.Links {
		c.Links = append(c.Links, voci.DecisionLink{RecommendationID: l.RecommendationID, Response: voci.ResponseKind(l.Response),
			Reasons: l.Reasons, DeferredUntil: utcOrZero(l.DeferredUntil), PassedTo: l.PassedTo, MergedWith: l.MergedWith})
	}
	return c
}

func toDecisionEntryDoc(e *voci.DecisionEntry, audit *voci.AuditEntry) decisionEntryDoc {
	d := decisionEntryDoc{ID: e.DecisionID + ":" + strconv.Itoa(e.Seq), DecisionID: e.DecisionID, Municipality: e.Municipality,
		Seq: e.Seq, Kind: string(e.Kind), Corrects: e.Corrects, Status: string(e.Status), Date: utcOrZero(e.Date), Note: e.Note,
		RecordedBy: e.RecordedBy, RecordedAt: e.RecordedAt.UTC(), PrevHash: e.PrevHash, Hash: e.Hash, PendingAudit: pending(audit)}
	if e.Kind == voci.EntryVersion && e.Content != nil {
		c := toDecisionContentDoc(e.Content)
		d.Content = &c
		for _, l := range e.Content.Links {
			d.RecommendationIDs = append(d.RecommendationIDs, l.RecommendationID)
		}
	}
	return d
}

func (d *decisionEntryDoc) entry() voci.DecisionEntry {
	e := voci.DecisionEntry{DecisionID: d.DecisionID, Municipality: d.Municipality, Seq: d.Seq, Kind: voci.EntryKind(d.Kind),
		Corrects: d.Corrects, Status: voci.DecisionStatus(d.Status), Date: utcOrZero(d.Date), Note: d.Note,
		RecordedBy: d.RecordedBy, RecordedAt: d.RecordedAt.UTC(), PrevHash: d.PrevHash, Hash: d.Hash}
	if d.Content != nil {
		e.Content = d.Content.content()
	}
	return e
}

// CreateDecision stores a new draft with its audit entry pending on the document.
func (s *Store) CreateDecision(ctx context.Context, d *voci.Decision, audit *voci.AuditEntry) error {
	_, err := s.decisions.InsertOne(ctx, decisionDoc{ID: d.ID, Municipality: d.Municipality, Draft: toDecisionContentDoc(&d.Draft),
		Revision: max(d.Revision, 1), CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
		PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A decision with this identifier already exists.")
	}
	if err != nil {
		return storeError("create decision", err)
	}
	s.completeOne(ctx, s.decisions, d.ID)
	return nil
}

// FindDecision returns the decision with its entries; ENOTFOUND when there is none.
func (s *Store) FindDecision(ctx context.Context, id string) (*voci.Decision, error) {
	d, err := findOne[decisionDoc](ctx, s.decisions, bson.D{{Key: "_id", Value: id}}, "decision")
	if err != nil {
		return nil, err
	}
	return s.decision(ctx, d)
}

// ListDecisions returns the municipality's decisions, newest first.
func (s *Store) ListDecisions(ctx context.Context, municipality int) ([]*voci.Decision, error) {
	var docs []decisionDoc
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: 1}})
	if err := findAll(ctx, s.decisions, bson.D{{Key: "municipality", Value: municipality}}, opts, &docs); err != nil {
		return nil, storeError("list decisions", err)
	}
	out := make([]*voci.Decision, 0, len(docs))
	for i := range docs {
		d, err := s.decision(ctx, &docs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *Store) decision(ctx context.Context, doc *decisionDoc) (*voci.Decision, error) {
	d := &voci.Decision{ID: doc.ID, Municipality: doc.Municipality, Draft: *doc.Draft.content(), Revision: doc.Revision,
		Published: doc.Published, PublishedAt: utcOrZero(doc.PublishedAt), CreatedBy: doc.CreatedBy, CreatedAt: doc.CreatedAt.UTC(),
		UpdatedAt: doc.UpdatedAt.UTC()}
	if !doc.Published {
		return d, nil
	}
	var entries []decisionEntryDoc
	opts := options.Find().SetSort(bson.D{{Key: "seq", Value: 1}})
	if err := findAll(ctx, s.decisionEntries, bson.D{{Key: "decisionId", Value: doc.ID}}, opts, &entries); err != nil {
		return nil, storeError("read decision entries", err)
	}
	if len(entries) == 0 && doc.FirstEntry != nil {
		// Published, but the first entry's insert did not happen: do it now.
		if _, err := s.decisionEntries.InsertOne(ctx, *doc.FirstEntry); err != nil && !mongo.IsDuplicateKeyError(err) {
			return nil, storeError("complete publication", err)
		}
		entries = append(entries, *doc.FirstEntry)
	}
	for i := range entries {
		d.Entries = append(d.Entries, entries[i].entry())
	}
	return d, nil
}

// UpdateDecisionDraft replaces the draft if it is still unpublished at d.Revision-1, in one
// conditional update.
func (s *Store) UpdateDecisionDraft(ctx context.Context, d *voci.Decision, audit *voci.AuditEntry) error {
	res, err := s.decisions.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "revision", Value: d.Revision - 1}, {Key: "published", Value: false}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "draft", Value: toDecisionContentDoc(&d.Draft)},
			{Key: "revision", Value: d.Revision}, {Key: "updatedAt", Value: d.UpdatedAt.UTC()}}}}, audit))
	if err = matchedOne("update decision", res, err, "No such decision."); voci.ErrorCode(err) == voci.ENOTFOUND {
		return s.draftConflict(ctx, d.ID, err)
	}
	if err != nil {
		return err
	}
	s.completeOne(ctx, s.decisions, d.ID)
	return nil
}

func (s *Store) draftConflict(ctx context.Context, id string, notFound error) error {
	doc, err := findOne[decisionDoc](ctx, s.decisions, bson.D{{Key: "_id", Value: id}}, "decision")
	switch {
	case voci.ErrorCode(err) == voci.ENOTFOUND:
		return notFound
	case err != nil:
		return err
	case doc.Published:
		return voci.Errorf(voci.EDECISIONPUBLISHED, "This decision is published and is never edited. Add a correction instead.")
	}
	return voci.Errorf(voci.ECHANGED, "Someone else changed this decision meanwhile; reload it and make your change again.")
}

// PublishDecision freezes the draft at draftRevision with the first entry kept on it (one
// conditional update, with the audit entry), then inserts that entry into the chain.
func (s *Store) PublishDecision(ctx context.Context, d *voci.Decision, draftRevision int, first *voci.DecisionEntry, audit *voci.AuditEntry) error {
	entry := toDecisionEntryDoc(first, nil)
	res, err := s.decisions.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "revision", Value: draftRevision}, {Key: "published", Value: false}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "published", Value: true}, {Key: "publishedAt", Value: d.PublishedAt.UTC()},
			{Key: "updatedAt", Value: d.UpdatedAt.UTC()}, {Key: "firstEntry", Value: entry}}}}, audit))
	if err = matchedOne("publish decision", res, err, "No such decision."); voci.ErrorCode(err) == voci.ENOTFOUND {
		return s.draftConflict(ctx, d.ID, err)
	}
	if err != nil {
		return err
	}
	s.completeOne(ctx, s.decisions, d.ID)
	// Should this insert fail, the head holds the entry and the next read completes the
	// publication, so the error is not the caller's.
	_, _ = s.decisionEntries.InsertOne(ctx, entry)
	return nil
}

// AppendDecisionEntry inserts e if it follows the chain's last entry: the unique indexes
// refuse a second entry at the same place, so concurrent appends cannot fork the chain.
func (s *Store) AppendDecisionEntry(ctx context.Context, e *voci.DecisionEntry, audit *voci.AuditEntry) error {
	d, err := s.FindDecision(ctx, e.DecisionID) // completes a publication left half-done
	if err != nil {
		return err
	}
	if !d.Published {
		return voci.Errorf(voci.EDECISIONDRAFT, "This decision is still a draft.")
	}
	if prev, next := d.Head(); prev != e.PrevHash || next != e.Seq {
		return voci.Errorf(voci.ECHANGED, "Someone else added to this decision meanwhile; reload it and make your change again.")
	}
	doc := toDecisionEntryDoc(e, audit)
	if _, err := s.decisionEntries.InsertOne(ctx, doc); mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECHANGED, "Someone else added to this decision meanwhile; reload it and make your change again.")
	} else if err != nil {
		return storeError("append decision entry", err)
	}
	s.completeOne(ctx, s.decisionEntries, doc.ID)
	return nil
}

// DecisionsLinkingTo returns the published decisions any version of which links to the recommendation.
func (s *Store) DecisionsLinkingTo(ctx context.Context, recommendationID string) ([]string, error) {
	ids, err := s.decisionEntries.Distinct(ctx, "decisionId", bson.D{{Key: "recommendationIds", Value: recommendationID}})
	if err != nil {
		return nil, storeError("decisions linking to", err)
	}
	// A publication whose first entry is still only on its head.
	heads, err := s.decisions.Distinct(ctx, "_id", bson.D{{Key: "firstEntry.recommendationIds", Value: recommendationID}})
	if err != nil {
		return nil, storeError("decisions linking to", err)
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range append(ids, heads...) {
		if id, ok := v.(string); ok && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}
