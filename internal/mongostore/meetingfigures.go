package mongostore

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// The summaries of ended youth-council meetings (voci.MeetingFigures): one document per
// meeting, its _id the meeting's ID, so that writing a summary again replaces it.

func (s *Store) meetingFigures() *mongo.Collection { return s.db.Collection("councilMeetingFigures") }

func (s *Store) meetingFiguresIndexes(ctx context.Context) error {
	_, err := s.meetingFigures().Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: "municipality", Value: 1}, {Key: "endedAt", Value: 1}},
		Options: options.Index().SetName("municipality_endedAt")})
	if err != nil {
		return storeError("create indexes on councilMeetingFigures", err)
	}
	// A motion is sent to the local council once: one recommendation per source record, for
	// every source but a consultation (a partial index names the source it covers).
	_, err = s.recommendations.Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "source", Value: 1}, {Key: "sourceRef", Value: 1}},
		Options: options.Index().SetName("municipality_source_sourceRef").SetUnique(true).
			SetPartialFilterExpression(bson.D{{Key: "source", Value: string(voci.SourceCouncilMotion)}})})
	return storeError("create indexes on recommendations", err)
}

// PutMeetingFigures stores the summary of an ended meeting, replacing an earlier one: one
// single-document upsert.
func (s *Store) PutMeetingFigures(ctx context.Context, f *voci.MeetingFigures) error {
	_, err := s.meetingFigures().ReplaceOne(ctx, bson.D{{Key: "_id", Value: f.MeetingID}}, bson.D{
		{Key: "_id", Value: f.MeetingID}, {Key: "councilId", Value: f.CouncilID}, {Key: "municipality", Value: f.Municipality},
		{Key: "endedAt", Value: f.EndedAt.UTC()}, {Key: "inOffice", Value: f.InOffice}, {Key: "present", Value: f.Present},
		{Key: "motionsPassed", Value: f.MotionsPassed}}, options.Replace().SetUpsert(true))
	return storeError("put meeting figures", err)
}

// EndedMeetingsWithoutFigures returns the IDs of the ended meetings that have no summary: the
// ended meetings' IDs less those of the summaries, two reads (MongoDB has no join worth one).
func (s *Store) EndedMeetingsWithoutFigures(ctx context.Context) ([]string, error) {
	ids := func(c *mongo.Collection, filter bson.D) (map[string]bool, error) {
		cur, err := c.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return nil, storeError("list meetings without figures", err)
		}
		var docs []struct {
			ID string `bson:"_id"`
		}
		if err := cur.All(ctx, &docs); err != nil {
			return nil, storeError("list meetings without figures", err)
		}
		out := make(map[string]bool, len(docs))
		for _, d := range docs {
			out[d.ID] = true
		}
		return out, nil
	}
	ended, err := ids(s.councilMeetings(), bson.D{{Key: "state", Value: string(voci.MeetingStateEnded)}})
	if err != nil {
		return nil, err
	}
	summed, err := ids(s.meetingFigures(), bson.D{})
	if err != nil {
		return nil, err
	}
	out := []string{}
	for id := range ended {
		if !summed[id] {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}
