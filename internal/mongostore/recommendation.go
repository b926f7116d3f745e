package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// recommendationDoc is one recommendation; its _id is the recommendation's ID.
type recommendationDoc struct {
	ID             string     `bson:"_id"`
	Municipality   int        `bson:"municipality"`
	Source         string     `bson:"source"`
	ConsultationID string     `bson:"consultationId"`
	ThemeIDs       []string   `bson:"themeIds"`
	SourceRef      string     `bson:"sourceRef"`
	Title          string     `bson:"title"`
	Text           string     `bson:"text"`
	AudienceBody   string     `bson:"audienceBody"`
	Revision       int        `bson:"revision"`
	CreatedBy      string     `bson:"createdBy"`
	CreatedAt      time.Time  `bson:"createdAt"`
	UpdatedAt      time.Time  `bson:"updatedAt"`
	PendingAudit   []auditDoc `bson:"pendingAudit,omitempty"` // see outbox.go
}

// CreateRecommendation stores r at revision 1 with its audit entry pending on the document.
func (s *Store) CreateRecommendation(ctx context.Context, r *voci.Recommendation, audit *voci.AuditEntry) error {
	themes := r.ThemeIDs
	if themes == nil {
		themes = []string{}
	}
	claim, err := s.claimThemes(ctx, r)
	if err != nil {
		return err
	}
	_, err = s.recommendations.InsertOne(ctx, recommendationDoc{ID: r.ID, Municipality: r.Municipality, Source: string(r.Source),
		ConsultationID: r.ConsultationID, ThemeIDs: themes, SourceRef: r.SourceRef, Title: r.Title, Text: r.Text,
		AudienceBody: r.AudienceBody, Revision: max(r.Revision, 1), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), PendingAudit: pending(audit)})
	if err != nil {
		// Only this write's claim goes: a duplicate's ID is an existing recommendation's.
		s.dropClaim(ctx, r.ThemeIDs, claim)
	}
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A recommendation with this identifier already exists.")
	}
	if err != nil {
		return storeError("create recommendation", err)
	}
	s.completeOne(ctx, s.recommendations, r.ID)
	return nil
}

// FindRecommendation returns ENOTFOUND when there is no such recommendation.
func (s *Store) FindRecommendation(ctx context.Context, id string) (*voci.Recommendation, error) {
	d, err := findOne[recommendationDoc](ctx, s.recommendations, bson.D{{Key: "_id", Value: id}}, "recommendation")
	if err != nil {
		return nil, err
	}
	return d.recommendation(), nil
}

// ListRecommendations returns the filter's recommendations, oldest first.
func (s *Store) ListRecommendations(ctx context.Context, f voci.RecommendationFilter) ([]*voci.Recommendation, error) {
	filter := bson.D{{Key: "municipality", Value: f.Municipality}}
	if f.ConsultationID != "" {
		filter = append(filter, bson.E{Key: "consultationId", Value: f.ConsultationID})
	}
	if f.Source != "" {
		filter = append(filter, bson.E{Key: "source", Value: string(f.Source)})
	}
	var docs []recommendationDoc
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	if err := findAll(ctx, s.recommendations, filter, opts, &docs); err != nil {
		return nil, storeError("list recommendations", err)
	}
	out := make([]*voci.Recommendation, len(docs))
	for i := range docs {
		out[i] = docs[i].recommendation()
	}
	return out, nil
}

// UpdateRecommendation replaces the stored recommendation if it is still at r.Revision-1: the
// filter and the write are one atomic update.
func (s *Store) UpdateRecommendation(ctx context.Context, r *voci.Recommendation, audit *voci.AuditEntry) error {
	themes := r.ThemeIDs
	if themes == nil {
		themes = []string{}
	}
	claim, err := s.claimThemes(ctx, r)
	if err != nil {
		return err
	}
	res, err := s.recommendations.UpdateOne(ctx, bson.D{{Key: "_id", Value: r.ID}, {Key: "revision", Value: r.Revision - 1}},
		withPending(bson.D{{Key: "$set", Value: bson.D{
			{Key: "themeIds", Value: themes}, {Key: "title", Value: r.Title}, {Key: "text", Value: r.Text},
			{Key: "audienceBody", Value: r.AudienceBody}, {Key: "revision", Value: r.Revision}, {Key: "updatedAt", Value: r.UpdatedAt.UTC()},
		}}}, audit))
	err = matchedOne("update recommendation", res, err, "No such recommendation.")
	if err != nil {
		s.dropClaim(ctx, r.ThemeIDs, claim)
	} else {
		// The earlier revisions' claims go: a theme taken out of the recommendation is free.
		_, _ = s.themes.UpdateMany(ctx, bson.D{{Key: "consultationId", Value: r.ConsultationID}, {Key: "claims.rec", Value: r.ID}},
			bson.D{{Key: "$pull", Value: bson.D{{Key: "claims", Value: bson.D{{Key: "rec", Value: r.ID}, {Key: "rev", Value: bson.D{{Key: "$lt", Value: r.Revision}}}}}}}})
	}
	if voci.ErrorCode(err) == voci.ENOTFOUND {
		if _, ferr := s.FindRecommendation(ctx, r.ID); ferr == nil {
			return voci.Errorf(voci.ECHANGED, "Someone else changed this recommendation meanwhile; reload it and make your change again.")
		}
	}
	if err != nil {
		return err
	}
	s.completeOne(ctx, s.recommendations, r.ID)
	return nil
}

func (d *recommendationDoc) recommendation() *voci.Recommendation {
	return &voci.Recommendation{ID: d.ID, Municipality: d.Municipality, Source: voci.SourceKind(d.Source),
		ConsultationID: d.ConsultationID, ThemeIDs: d.ThemeIDs, SourceRef: d.SourceRef, Title: d.Title, Text: d.Text,
		AudienceBody: d.AudienceBody, Revision: d.Revision, CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt.UTC(),
		UpdatedAt: d.UpdatedAt.UTC()}
}
