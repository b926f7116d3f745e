package mongostore

import (
	"context"
	"errors"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// themeDoc is one theme; its _id is the theme's ID. Items and quotes live in the document, so
// that every edit is one atomic update.
type themeDoc struct {
	ID             string         `bson:"_id"`
	Municipality   int            `bson:"municipality"`
	ConsultationID string         `bson:"consultationId"`
	Title          string         `bson:"title"`
	Summary        string         `bson:"summary"`
	Items          []themeItemDoc `bson:"items"`
	Quotes         []quoteDoc     `bson:"quotes"`
	Revision       int            `bson:"revision"`
	CreatedBy      string         `bson:"createdBy"`
	CreatedAt      time.Time      `bson:"createdAt"`
	UpdatedAt      time.Time      `bson:"updatedAt"`
	PendingAudit   []auditDoc     `bson:"pendingAudit,omitempty"` // see outbox.go
	// Claims are the recommendations that cite the theme, each claim made before the
	// recommendation's write names it: see claimThemes.
	Claims []themeClaimDoc `bson:"claims,omitempty"`
}

// themeClaimDoc is one recommendation's claim on a theme, made for the recommendation's
// revision Rev at At.
type themeClaimDoc struct {
	Rec string    `bson:"rec"`
	Rev int       `bson:"rev"`
	At  time.Time `bson:"at"`
}

// claimGrace is how long a claim whose recommendation does not (yet) cite the theme keeps the
// theme from being deleted: long enough for the recommendation's own write to follow it.
const claimGrace = time.Minute

// claimThemes guards a recommendation's themes against deletion without a multi-document
// transaction. Before the recommendation (at revision r.Revision) is written, each theme it
// names gets a claim pushed by one update that matches only a theme of r's consultation that is
// not deleted; DeleteTheme marks a theme deleted by one update that matches only a theme without
// claims. Both are atomic updates of the theme's one document, so MongoDB orders them: either the
// claim comes first and the deletion is refused, or the deletion does and the claim, and with
// it the recommendation, is refused (ENOTFOUND on themeIds). On a refusal the claims already
// made are taken back.
//
// Chosen over a count of uses kept on the theme because a count left too high by a crash
// between the two writes could never be told from a real use, and a theme would stay
// undeletable; a claim names its recommendation, so DeleteTheme can see that it leads nowhere
// and clear it once older than claimGrace. Chosen over checking the themes again after the
// write and deleting the recommendation when one is gone, because that shows readers, for a
// moment, a recommendation citing a deleted theme, and a crash before the undo keeps it.
// It returns the claim made, so that a caller whose write then fails takes back exactly it.
func (s *Store) claimThemes(ctx context.Context, r *voci.Recommendation) (themeClaimDoc, error) {
	claim := themeClaimDoc{Rec: r.ID, Rev: max(r.Revision, 1), At: time.Now().UTC().Truncate(time.Millisecond)}
	for i, id := range r.ThemeIDs {
		res, err := s.themes.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "consultationId", Value: r.ConsultationID}, notDeleted},
			bson.D{{Key: "$push", Value: bson.D{{Key: "claims", Value: claim}}}})
		if err == nil && res.MatchedCount == 1 {
			continue
		}
		s.dropClaim(ctx, r.ThemeIDs[:i], claim)
		if err != nil {
			return claim, storeError("claim themes", err)
		}
		return claim, &voci.Error{Code: voci.ENOTFOUND, Param: "themeIds", Message: "No such theme in this consultation."}
	}
	return claim, nil
}

// dropClaim takes back one claim from the themes.
func (s *Store) dropClaim(ctx context.Context, themes []string, c themeClaimDoc) {
	s.dropClaims(ctx, themes, bson.D{{Key: "rec", Value: c.Rec}, {Key: "rev", Value: c.Rev}, {Key: "at", Value: c.At}})
}

// dropClaims pulls the claims that match from the themes. It is tidying: a claim left behind
// (on an error here) is cleared by DeleteTheme after claimGrace.
func (s *Store) dropClaims(ctx context.Context, themes []string, match bson.D) {
	if len(themes) == 0 {
		return
	}
	_, _ = s.themes.UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: themes}}}},
		bson.D{{Key: "$pull", Value: bson.D{{Key: "claims", Value: match}}}})
}

type themeItemDoc struct {
	AnswerID   string `bson:"answerId,omitempty"`
	QuestionID string `bson:"questionId"`
	OptionID   string `bson:"optionId,omitempty"`
}

type quoteDoc struct {
	AnswerID string `bson:"answerId"`
	Text     string `bson:"text"`
}

func themeParts(t *voci.Theme) ([]themeItemDoc, []quoteDoc) {
	items := make([]themeItemDoc, len(t.Items))
	for i, it := range t.Items {
		items[i] = themeItemDoc(it)
	}
	quotes := make([]quoteDoc, len(t.Quotes))
	for i, q := range t.Quotes {
		quotes[i] = quoteDoc(q)
	}
	return items, quotes
}

// CreateTheme stores t at revision 1 with its audit entry pending on the document.
func (s *Store) CreateTheme(ctx context.Context, t *voci.Theme, audit *voci.AuditEntry) error {
	items, quotes := themeParts(t)
	_, err := s.themes.InsertOne(ctx, themeDoc{ID: t.ID, Municipality: t.Municipality, ConsultationID: t.ConsultationID,
		Title: t.Title, Summary: t.Summary, Items: items, Quotes: quotes, Revision: max(t.Revision, 1), CreatedBy: t.CreatedBy,
		CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(), PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A theme with this identifier already exists.")
	}
	if err != nil {
		return storeError("create theme", err)
	}
	s.completeOne(ctx, s.themes, t.ID)
	return nil
}

// FindTheme returns ENOTFOUND when there is no such theme.
func (s *Store) FindTheme(ctx context.Context, id string) (*voci.Theme, error) {
	d, err := findOne[themeDoc](ctx, s.themes, bson.D{{Key: "_id", Value: id}, notDeleted}, "theme")
	if err != nil {
		return nil, err
	}
	return d.theme(), nil
}

// ListThemes returns the consultation's themes, oldest first.
func (s *Store) ListThemes(ctx context.Context, consultationID string) ([]*voci.Theme, error) {
	return s.listThemes(ctx, bson.D{{Key: "consultationId", Value: consultationID}, notDeleted})
}

// ListThemesIn returns the themes of the municipality's consultations, oldest first.
func (s *Store) ListThemesIn(ctx context.Context, municipality int) ([]*voci.Theme, error) {
	return s.listThemes(ctx, bson.D{{Key: "municipality", Value: municipality}, notDeleted})
}

func (s *Store) listThemes(ctx context.Context, filter bson.D) ([]*voci.Theme, error) {
	var docs []themeDoc
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	if err := findAll(ctx, s.themes, filter, opts, &docs); err != nil {
		return nil, storeError("list themes", err)
	}
	out := make([]*voci.Theme, len(docs))
	for i := range docs {
		out[i] = docs[i].theme()
	}
	return out, nil
}

// UpdateTheme replaces the stored theme if it is still at t.Revision-1: the filter and the
// write are one atomic update.
func (s *Store) UpdateTheme(ctx context.Context, t *voci.Theme, audit *voci.AuditEntry) error {
	items, quotes := themeParts(t)
	res, err := s.themes.UpdateOne(ctx, bson.D{{Key: "_id", Value: t.ID}, notDeleted, {Key: "revision", Value: t.Revision - 1}},
		withPending(bson.D{{Key: "$set", Value: bson.D{
			{Key: "title", Value: t.Title}, {Key: "summary", Value: t.Summary}, {Key: "items", Value: items},
			{Key: "quotes", Value: quotes}, {Key: "revision", Value: t.Revision}, {Key: "updatedAt", Value: t.UpdatedAt.UTC()},
		}}}, audit))
	err = matchedOne("update theme", res, err, "No such theme.")
	if voci.ErrorCode(err) == voci.ENOTFOUND {
		if _, ferr := s.FindTheme(ctx, t.ID); ferr == nil {
			return voci.Errorf(voci.ECHANGED, "Someone else changed this theme meanwhile; reload it and make your change again.")
		}
	}
	if err != nil {
		return err
	}
	s.completeOne(ctx, s.themes, t.ID)
	return nil
}

// DeleteTheme marks the theme deleted, with its audit entry, in one update conditional on its
// revision and on the theme having no claims (see claimThemes); the document goes once the
// entry has moved to the audit trail (see outbox.go), as a deleted question's does. Before the
// mark, a recommendation naming the theme refuses it by its title (this also covers
// recommendations written before claims existed); a claim younger than claimGrace whose
// recommendation does not name it yet may be a recommendation being written, and refuses it
// too; older such claims lead nowhere and are cleared.
func (s *Store) DeleteTheme(ctx context.Context, id string, revision int, audit *voci.AuditEntry) error {
	cur, err := findOne[themeDoc](ctx, s.themes, bson.D{{Key: "_id", Value: id}, notDeleted}, "theme")
	if err != nil {
		return err
	}
	if cur.Revision != revision {
		return voci.Errorf(voci.ECHANGED, "Someone else changed this theme meanwhile; reload it and make your change again.")
	}
	var r struct {
		Title string `bson:"title"`
	}
	err = s.recommendations.FindOne(ctx, bson.D{{Key: "consultationId", Value: cur.ConsultationID}, {Key: "themeIds", Value: id}},
		options.FindOne().SetProjection(bson.D{{Key: "title", Value: 1}})).Decode(&r)
	if err == nil {
		return voci.ThemeInUse(r.Title)
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return storeError("delete theme", err)
	}
	cutoff := time.Now().UTC().Add(-claimGrace)
	for _, c := range cur.Claims {
		if c.At.After(cutoff) {
			return voci.ThemeInUse("")
		}
	}
	if len(cur.Claims) > 0 {
		s.dropClaims(ctx, []string{id}, bson.D{{Key: "at", Value: bson.D{{Key: "$lte", Value: cutoff}}}})
	}
	unclaimed := bson.E{Key: "$or", Value: bson.A{
		bson.D{{Key: "claims", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "claims", Value: bson.D{{Key: "$size", Value: 0}}}},
	}}
	res, err := s.themes.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, notDeleted, {Key: "revision", Value: revision}, unclaimed},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "deleted", Value: true}}}}, audit))
	if err := matchedOne("delete theme", res, err, "No such theme."); err != nil {
		if voci.ErrorCode(err) != voci.ENOTFOUND {
			return err
		}
		now, ferr := findOne[themeDoc](ctx, s.themes, bson.D{{Key: "_id", Value: id}, notDeleted}, "theme")
		switch {
		case ferr != nil:
			return ferr
		case now.Revision != revision:
			return voci.Errorf(voci.ECHANGED, "Someone else changed this theme meanwhile; reload it and make your change again.")
		default:
			return voci.ThemeInUse("")
		}
	}
	s.completeOne(ctx, s.themes, id)
	return nil
}

func (d *themeDoc) theme() *voci.Theme {
	t := &voci.Theme{ID: d.ID, Municipality: d.Municipality, ConsultationID: d.ConsultationID, Title: d.Title, Summary: d.Summary,
		Items: make([]voci.ThemeItem, len(d.Items)), Quotes: make([]voci.Quote, len(d.Quotes)), Revision: d.Revision,
		CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	for i, it := range d.Items {
		t.Items[i] = voci.ThemeItem(it)
	}
	for i, q := range d.Quotes {
		t.Quotes[i] = voci.Quote(q)
	}
	return t
}

// reviewTextDoc is the part of an answer the review workspace reads.
type reviewTextDoc struct {
	ID         string    `bson:"_id"`
	QuestionID string    `bson:"questionId"`
	SessionID  string    `bson:"sessionId"`
	Source     string    `bson:"source"`
	AgeBand    string    `bson:"ageBand"`
	Text       string    `bson:"text"`
	TextFolded string    `bson:"textFolded"`
	CreatedAt  time.Time `bson:"createdAt"`
}

// ListApprovedTexts pages through the consultation's approved texts through the
// consultationId_moderation_textFolded index. Words are matched on textFolded, the text folded
// when it was written (voci.FoldForSearch), by one escaped regular expression per word, so the
// server sends only the texts that hold them all; an answer that has no textFolded yet (written
// by an earlier version, before Migrate folded it) is sent too and folded here.
func (s *Store) ListApprovedTexts(ctx context.Context, f voci.ReviewTextFilter) ([]voci.ReviewText, int, error) {
	filter := bson.D{{Key: "consultationId", Value: f.ConsultationID}, {Key: "moderation", Value: string(voci.ModerationApproved)}}
	for _, c := range []struct{ key, v string }{{"questionId", f.QuestionID}, {"source", string(f.Source)},
		{"ageBand", string(f.AgeBand)}, {"sessionId", f.SessionID}} {
		if c.v != "" {
			filter = append(filter, bson.E{Key: c.key, Value: c.v})
		}
	}
	words := f.FoldedWords()
	if len(words) > 0 {
		all := bson.A{}
		for _, w := range words {
			all = append(all, bson.D{{Key: "textFolded", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(w)}}}})
		}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "$and", Value: all}},
			bson.D{{Key: "textFolded", Value: bson.D{{Key: "$exists", Value: false}}}},
		}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).
		SetProjection(bson.D{{Key: "questionId", Value: 1}, {Key: "sessionId", Value: 1}, {Key: "source", Value: 1},
			{Key: "ageBand", Value: 1}, {Key: "text", Value: 1}, {Key: "textFolded", Value: 1}, {Key: "createdAt", Value: 1}})
	total := 0
	if len(words) == 0 {
		n, err := s.answers.CountDocuments(ctx, filter)
		if err != nil {
			return nil, 0, storeError("list approved texts", err)
		}
		total = int(n)
		if f.Limit > 0 {
			opts.SetSkip(int64(f.Offset)).SetLimit(int64(f.Limit))
		}
	}
	var docs []reviewTextDoc
	if err := findAll(ctx, s.answers, filter, opts, &docs); err != nil {
		return nil, 0, storeError("list approved texts", err)
	}
	out := []voci.ReviewText{}
	for _, d := range docs {
		if len(words) > 0 {
			folded := d.TextFolded
			if folded == "" {
				folded = voci.FoldForSearch(d.Text)
			}
			if !f.FoldedMatch(folded) {
				continue
			}
			total++
			if total <= f.Offset || (f.Limit > 0 && total > f.Offset+f.Limit) {
				continue
			}
		}
		out = append(out, voci.ReviewText{AnswerID: d.ID, QuestionID: d.QuestionID, SessionID: d.SessionID,
			Source: voci.AnswerSource(d.Source), AgeBand: voci.AgeBand(d.AgeBand), Text: d.Text, CreatedAt: d.CreatedAt.UTC()})
	}
	return out, total, nil
}

// foldAnswerTexts gives textFolded to the answers written before it existed. Each update is
// conditional on the text it folded, so an answer changed meanwhile keeps the folded text its
// own write gave it. After the first start this finds nothing.
func (s *Store) foldAnswerTexts(ctx context.Context) error {
	cur, err := s.answers.Find(ctx, bson.D{{Key: "textFolded", Value: bson.D{{Key: "$exists", Value: false}}}, {Key: "text", Value: bson.D{{Key: "$gt", Value: ""}}}},
		options.Find().SetProjection(bson.D{{Key: "text", Value: 1}}))
	if err != nil {
		return storeError("fold answer texts", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var d struct {
			ID   string `bson:"_id"`
			Text string `bson:"text"`
		}
		if err := cur.Decode(&d); err != nil {
			return storeError("fold answer texts", err)
		}
		if _, err := s.answers.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "text", Value: d.Text}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "textFolded", Value: voci.FoldForSearch(d.Text)}}}}); err != nil {
			return storeError("fold answer texts", err)
		}
	}
	return storeError("fold answer texts", cur.Err())
}
