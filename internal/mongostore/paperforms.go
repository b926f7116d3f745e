package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Paper forms' entries (voci.PaperFormStore): one document per form, its _id made of the
// consultation and the form's key, so that saving a form twice inserts one entry (the second
// insert meets the _id and changes nothing). DeletePaperForm deletes it after the form's
// answers: an entry left without answers by a crash in between is not listed.

func (s *Store) paperFormEntries() *mongo.Collection { return s.db.Collection("paperFormEntries") }

// paperFormEntryIndexes are the indexes of the paper forms' entries.
func (s *Store) paperFormEntryIndexes(ctx context.Context) error {
	models := []mongo.IndexModel{
		{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "enteredBy", Value: 1}, {Key: "sitting", Value: 1}, {Key: "number", Value: 1}},
			Options: options.Index().SetName("sitting")},
		{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "participantId", Value: 1}}, Options: options.Index().SetName("participant")},
	}
	if _, err := s.paperFormEntries().Indexes().CreateMany(ctx, models); err != nil {
		return storeError("create indexes on paperFormEntries", err)
	}
	return nil
}

type paperFormEntryDoc struct {
	ID             string    `bson:"_id"` // consultationId + "\x00" + key
	ConsultationID string    `bson:"consultationId"`
	Key            string    `bson:"key"`
	ParticipantID  string    `bson:"participantId"`
	Municipality   int       `bson:"municipality"`
	EnteredBy      string    `bson:"enteredBy"`
	Sitting        string    `bson:"sitting"`
	Number         int       `bson:"number"`
	Lang           string    `bson:"lang"`
	CreatedAt      time.Time `bson:"createdAt"`
}

// SavePaperFormEntry stores e unless its consultation and key have an entry already.
func (s *Store) SavePaperFormEntry(ctx context.Context, e *voci.PaperFormEntry) error {
	_, err := s.paperFormEntries().InsertOne(ctx, paperFormEntryDoc{ID: e.ConsultationID + "\x00" + e.Key, ConsultationID: e.ConsultationID,
		Key: e.Key, ParticipantID: e.ParticipantID, Municipality: e.Municipality, EnteredBy: e.EnteredBy, Sitting: e.Sitting,
		Number: e.Number, Lang: string(e.Lang), CreatedAt: e.CreatedAt.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	return storeError("save paper form entry", err)
}

// ListPaperFormEntries returns the entries enteredBy typed in the sitting, by number.
func (s *Store) ListPaperFormEntries(ctx context.Context, consultationID, enteredBy, sitting string, limit int) ([]voci.PaperFormEntry, error) {
	filter := bson.D{{Key: "consultationId", Value: consultationID}, {Key: "enteredBy", Value: enteredBy}, {Key: "sitting", Value: sitting}}
	opts := options.Find().SetSort(bson.D{{Key: "number", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "key", Value: 1}}).
		SetLimit(int64(max(limit, 1)))
	var docs []paperFormEntryDoc
	if err := findAll(ctx, s.paperFormEntries(), filter, opts, &docs); err != nil {
		return nil, storeError("list paper form entries", err)
	}
	out := make([]voci.PaperFormEntry, 0, len(docs))
	for _, d := range docs {
		out = append(out, voci.PaperFormEntry{ConsultationID: d.ConsultationID, Key: d.Key, ParticipantID: d.ParticipantID,
			Municipality: d.Municipality, EnteredBy: d.EnteredBy, Sitting: d.Sitting, Number: d.Number,
			Lang: voci.Lang(d.Lang), CreatedAt: d.CreatedAt.UTC()})
	}
	return out, nil
}
