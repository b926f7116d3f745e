package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// groupFactsDoc is one session's group facts; its _id is the session's ID.
type groupFactsDoc struct {
	SessionID      string         `bson:"_id"`
	ConsultationID string         `bson:"consultationId"`
	Municipality   int            `bson:"municipality"`
	Present        int            `bson:"present"`
	Counts         map[string]int `bson:"counts"`
	Adaptations    []string       `bson:"adaptations"`
	RecordedBy     string         `bson:"recordedBy"`
	RecordedAt     time.Time      `bson:"recordedAt"`
}

// SetGroupFacts stores f, replacing what was recorded for its session before.
func (s *Store) SetGroupFacts(ctx context.Context, f *voci.GroupFacts, audit *voci.AuditEntry) error {
	d := groupFactsDoc{SessionID: f.SessionID, ConsultationID: f.ConsultationID, Municipality: f.Municipality, Present: f.Present,
		Counts: map[string]int{}, Adaptations: []string{}, RecordedBy: f.RecordedBy, RecordedAt: f.RecordedAt.UTC()}
	for k, v := range f.Counts {
		d.Counts[string(k)] = v
	}
	for _, a := range f.Adaptations {
		d.Adaptations = append(d.Adaptations, string(a))
	}
	// Every field is set, rather than the document replaced, so that pending audit entries stay.
	set := bson.D{{Key: "consultationId", Value: d.ConsultationID}, {Key: "municipality", Value: d.Municipality},
		{Key: "present", Value: d.Present}, {Key: "counts", Value: d.Counts}, {Key: "adaptations", Value: d.Adaptations},
		{Key: "recordedBy", Value: d.RecordedBy}, {Key: "recordedAt", Value: d.RecordedAt}}
	_, err := s.groupFacts.UpdateOne(ctx, bson.D{{Key: "_id", Value: f.SessionID}}, withPending(bson.D{{Key: "$set", Value: set}}, audit),
		options.Update().SetUpsert(true))
	if err != nil {
		return storeError("set group facts", err)
	}
	if audit != nil {
		s.completeOne(ctx, s.groupFacts, f.SessionID)
	}
	return nil
}

// FindGroupFacts returns ENOTFOUND when nothing was recorded for the session.
func (s *Store) FindGroupFacts(ctx context.Context, sessionID string) (*voci.GroupFacts, error) {
	d, err := findOne[groupFactsDoc](ctx, s.groupFacts, bson.D{{Key: "_id", Value: sessionID}}, "record of this session's group")
	if err != nil {
		return nil, err
	}
	f := &voci.GroupFacts{SessionID: d.SessionID, ConsultationID: d.ConsultationID, Municipality: d.Municipality, Present: d.Present,
		Counts: map[voci.GroupCategory]int{}, RecordedBy: d.RecordedBy, RecordedAt: d.RecordedAt.UTC()}
	for k, v := range d.Counts {
		f.Counts[voci.GroupCategory(k)] = v
	}
	for _, a := range d.Adaptations {
		f.Adaptations = append(f.Adaptations, voci.Adaptation(a))
	}
	return f, nil
}
