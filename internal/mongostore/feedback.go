package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// feedbackDoc is one version of the feedback on a recommendation; its _id is the feedback's
// ID, and (recommendationId, version) is unique. A published document is never updated: every
// update filters on a state other than published.
type feedbackDoc struct {
	ID               string                     `bson:"_id"`
	RecommendationID string                     `bson:"recommendationId"`
	ConsultationID   string                     `bson:"consultationId"`
	Municipality     int                        `bson:"municipality"`
	Version          int                        `bson:"version"`
	Corrects         string                     `bson:"corrects"`
	State            string                     `bson:"state"`
	Texts            map[string]feedbackTextDoc `bson:"texts"`
	Authors          []string                   `bson:"authors"`
	ReviewedBy       string                     `bson:"reviewedBy"`
	Revision         int                        `bson:"revision"`
	CreatedAt        time.Time                  `bson:"createdAt"`
	UpdatedAt        time.Time                  `bson:"updatedAt"`
	SubmittedAt      *time.Time                 `bson:"submittedAt,omitempty"`
	PublishedAt      *time.Time                 `bson:"publishedAt,omitempty"`
	PendingAudit     []auditDoc                 `bson:"pendingAudit,omitempty"` // see outbox.go
}

type feedbackTextDoc struct {
	Text     string `bson:"text"`
	EasyRead string `bson:"easyRead"`
}

func feedbackTextsDoc(texts map[voci.Lang]voci.FeedbackText) map[string]feedbackTextDoc {
	out := make(map[string]feedbackTextDoc, len(texts))
	for l, t := range texts {
		out[string(l)] = feedbackTextDoc(t)
	}
	return out
}

func optUTC(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func stringsOrEmpty(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// CreateFeedback stores f with its audit entry pending on the document.
func (s *Store) CreateFeedback(ctx context.Context, f *voci.Feedback, audit *voci.AuditEntry) error {
	_, err := s.feedback.InsertOne(ctx, feedbackDoc{ID: f.ID, RecommendationID: f.RecommendationID, ConsultationID: f.ConsultationID,
		Municipality: f.Municipality, Version: f.Version, Corrects: f.Corrects, State: string(f.State), Texts: feedbackTextsDoc(f.Texts),
		Authors: stringsOrEmpty(f.Authors), ReviewedBy: f.ReviewedBy, Revision: max(f.Revision, 1), CreatedAt: f.CreatedAt.UTC(),
		UpdatedAt: f.UpdatedAt.UTC(), SubmittedAt: optUTC(f.SubmittedAt), PublishedAt: optUTC(f.PublishedAt), PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This recommendation already has this version of feedback; reload it.")
	}
	if err != nil {
		return storeError("create feedback", err)
	}
	s.completeOne(ctx, s.feedback, f.ID)
	return nil
}

// FindFeedback returns ENOTFOUND when there is no such feedback.
func (s *Store) FindFeedback(ctx context.Context, id string) (*voci.Feedback, error) {
	d, err := findOne[feedbackDoc](ctx, s.feedback, bson.D{{Key: "_id", Value: id}}, "feedback")
	if err != nil {
		return nil, err
	}
	return d.feedback(), nil
}

// ListFeedback returns the filter's feedback by recommendation and version.
func (s *Store) ListFeedback(ctx context.Context, f voci.FeedbackFilter) ([]*voci.Feedback, error) {
	filter := bson.D{{Key: "municipality", Value: f.Municipality}}
	if f.ConsultationID != "" {
		filter = append(filter, bson.E{Key: "consultationId", Value: f.ConsultationID})
	}
	if f.RecommendationID != "" {
		filter = append(filter, bson.E{Key: "recommendationId", Value: f.RecommendationID})
	}
	if f.PublishedOnly {
		filter = append(filter, bson.E{Key: "state", Value: string(voci.FeedbackPublished)})
	}
	var docs []feedbackDoc
	opts := options.Find().SetSort(bson.D{{Key: "recommendationId", Value: 1}, {Key: "version", Value: 1}})
	if err := findAll(ctx, s.feedback, filter, opts, &docs); err != nil {
		return nil, storeError("list feedback", err)
	}
	out := make([]*voci.Feedback, len(docs))
	for i := range docs {
		out[i] = docs[i].feedback()
	}
	return out, nil
}

// UpdateFeedback replaces an unpublished version still at f.Revision-1: the filter and the
// write are one atomic update; when it matches nothing, a read says why.
func (s *Store) UpdateFeedback(ctx context.Context, f *voci.Feedback, audit *voci.AuditEntry) error {
	set := bson.D{
		{Key: "state", Value: string(f.State)}, {Key: "texts", Value: feedbackTextsDoc(f.Texts)},
		{Key: "authors", Value: stringsOrEmpty(f.Authors)}, {Key: "reviewedBy", Value: f.ReviewedBy}, {Key: "revision", Value: f.Revision},
		{Key: "updatedAt", Value: f.UpdatedAt.UTC()},
	}
	unset := bson.D{}
	for _, t := range []struct {
		key string
		at  time.Time
	}{{"submittedAt", f.SubmittedAt}, {"publishedAt", f.PublishedAt}} {
		if t.at.IsZero() {
			unset = append(unset, bson.E{Key: t.key, Value: ""})
		} else {
			set = append(set, bson.E{Key: t.key, Value: t.at.UTC()})
		}
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	res, err := s.feedback.UpdateOne(ctx, bson.D{{Key: "_id", Value: f.ID}, {Key: "revision", Value: f.Revision - 1},
		{Key: "state", Value: bson.D{{Key: "$ne", Value: string(voci.FeedbackPublished)}}}}, withPending(update, audit))
	err = matchedOne("update feedback", res, err, "No such feedback.")
	if voci.ErrorCode(err) == voci.ENOTFOUND {
		if cur, ferr := s.FindFeedback(ctx, f.ID); ferr == nil {
			if cur.State == voci.FeedbackPublished {
				return voci.Errorf(voci.EFEEDBACKPUBLISHED, "Published feedback is not changed; write a correction.")
			}
			return voci.Errorf(voci.ECHANGED, "Someone else changed this feedback meanwhile; reload it and make your change again.")
		}
	}
	if err != nil {
		return err
	}
	s.completeOne(ctx, s.feedback, f.ID)
	return nil
}

// ParticipantLanguages returns the languages of the consultation's live and self-paced
// children, and of its paper forms.
func (s *Store) ParticipantLanguages(ctx context.Context, consultationID string) ([]voci.Lang, error) {
	sessions, err := s.liveSessions.Distinct(ctx, "_id", bson.D{{Key: "consultationId", Value: consultationID}})
	if err != nil {
		return nil, storeError("participant languages", err)
	}
	seen := map[string]bool{}
	if len(sessions) > 0 {
		live, err := s.participants.Distinct(ctx, "lang", bson.D{{Key: "sessionId", Value: bson.D{{Key: "$in", Value: sessions}}}})
		if err != nil {
			return nil, storeError("participant languages", err)
		}
		for _, l := range live {
			if v, ok := l.(string); ok {
				seen[v] = true
			}
		}
	}
	self, err := s.selfPacedParticipants.Distinct(ctx, "lang", bson.D{{Key: "consultationId", Value: consultationID}})
	if err != nil {
		return nil, storeError("participant languages", err)
	}
	for _, l := range self {
		if v, ok := l.(string); ok {
			seen[v] = true
		}
	}
	// Paper forms count in the language they were printed in, when it was recorded.
	paper, err := s.answers.Distinct(ctx, "lang", bson.D{{Key: "consultationId", Value: consultationID}, {Key: "source", Value: string(voci.SourcePaper)},
		{Key: "lang", Value: bson.D{{Key: "$gt", Value: ""}}}})
	if err != nil {
		return nil, storeError("participant languages", err)
	}
	for _, l := range paper {
		if v, ok := l.(string); ok {
			seen[v] = true
		}
	}
	var out []voci.Lang
	for l := range seen {
		out = append(out, voci.Lang(l))
	}
	return out, nil
}

func (d *feedbackDoc) feedback() *voci.Feedback {
	f := &voci.Feedback{ID: d.ID, RecommendationID: d.RecommendationID, ConsultationID: d.ConsultationID, Municipality: d.Municipality,
		Version: d.Version, Corrects: d.Corrects, State: voci.FeedbackState(d.State), Texts: make(map[voci.Lang]voci.FeedbackText, len(d.Texts)),
		Authors: d.Authors, ReviewedBy: d.ReviewedBy, Revision: d.Revision, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	for l, t := range d.Texts {
		f.Texts[voci.Lang(l)] = voci.FeedbackText(t)
	}
	if d.SubmittedAt != nil {
		f.SubmittedAt = d.SubmittedAt.UTC()
	}
	if d.PublishedAt != nil {
		f.PublishedAt = d.PublishedAt.UTC()
	}
	return f
}
