package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Youth councils' meetings: one document per meeting, saved in one conditional write on its
// version, with its audit entry pending on it.

func (s *Store) councilMeetings() *mongo.Collection { return s.db.Collection("councilMeetings") }

// councilMeetingIndexes are the indexes of the meetings' collections.
func (s *Store) councilMeetingIndexes(ctx context.Context) error {
	model := mongo.IndexModel{Keys: bson.D{{Key: "councilId", Value: 1}, {Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}},
		Options: options.Index().SetName("councilId_startsAt")}
	if _, err := s.councilMeetings().Indexes().CreateOne(ctx, model); err != nil {
		return storeError("create indexes on councilMeetings", err)
	}
	return nil
}

type councilMeetingDoc struct {
	ID           string     `bson:"_id"`
	CouncilID    string     `bson:"councilId"`
	Municipality int        `bson:"municipality"`
	Title        string     `bson:"title"`
	StartsAt     time.Time  `bson:"startsAt"`
	Place        string     `bson:"place"`
	State        string     `bson:"state"`
	OpenedAt     *time.Time `bson:"openedAt"`
	EndedAt      *time.Time `bson:"endedAt"`
	Version      int        `bson:"version"`
	CreatedAt    time.Time  `bson:"createdAt"`
	CreatedBy    string     `bson:"createdBy"`
	PendingAudit []auditDoc `bson:"pendingAudit,omitempty"`
}

func (d *councilMeetingDoc) meeting() *voci.CouncilMeeting {
	return &voci.CouncilMeeting{ID: d.ID, CouncilID: d.CouncilID, Municipality: d.Municipality, Title: d.Title, StartsAt: d.StartsAt.UTC(),
		Place: d.Place, State: voci.MeetingState(d.State), OpenedAt: fromOptional(d.OpenedAt), EndedAt: fromOptional(d.EndedAt),
		Version: d.Version, CreatedAt: d.CreatedAt.UTC(), CreatedBy: d.CreatedBy}
}

// CreateCouncilMeeting stores a new meeting.
func (s *Store) CreateCouncilMeeting(ctx context.Context, m *voci.CouncilMeeting, audit *voci.AuditEntry) error {
	_, err := s.councilMeetings().InsertOne(ctx, councilMeetingDoc{ID: m.ID, CouncilID: m.CouncilID, Municipality: m.Municipality,
		Title: m.Title, StartsAt: m.StartsAt.UTC(), Place: m.Place, State: string(m.State), OpenedAt: optionalTime(m.OpenedAt),
		EndedAt: optionalTime(m.EndedAt), Version: m.Version, CreatedAt: m.CreatedAt.UTC(), CreatedBy: m.CreatedBy, PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A meeting with this identifier exists.")
	}
	if err != nil {
		return storeError("create council meeting", err)
	}
	s.completeOne(ctx, s.councilMeetings(), m.ID)
	return nil
}

// FindCouncilMeeting returns ENOTFOUND for an unknown meeting.
func (s *Store) FindCouncilMeeting(ctx context.Context, id string) (*voci.CouncilMeeting, error) {
	d, err := findOne[councilMeetingDoc](ctx, s.councilMeetings(), bson.D{{Key: "_id", Value: id}}, "meeting")
	if err != nil {
		return nil, err
	}
	return d.meeting(), nil
}

// ListCouncilMeetings returns the council's meetings, earliest first.
func (s *Store) ListCouncilMeetings(ctx context.Context, councilID string) ([]voci.CouncilMeeting, error) {
	cur, err := s.councilMeetings().Find(ctx, bson.D{{Key: "councilId", Value: councilID}},
		options.Find().SetSort(bson.D{{Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: pendingField, Value: 0}}))
	if err != nil {
		return nil, storeError("list council meetings", err)
	}
	var docs []councilMeetingDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("list council meetings", err)
	}
	out := make([]voci.CouncilMeeting, 0, len(docs))
	for i := range docs {
		out = append(out, *docs[i].meeting())
	}
	return out, nil
}

// UpdateCouncilMeeting stores the meeting if it is still at m.Version-1.
func (s *Store) UpdateCouncilMeeting(ctx context.Context, m *voci.CouncilMeeting, audit *voci.AuditEntry) error {
	set := bson.D{{Key: "title", Value: m.Title}, {Key: "startsAt", Value: m.StartsAt.UTC()}, {Key: "place", Value: m.Place},
		{Key: "state", Value: string(m.State)}, {Key: "openedAt", Value: optionalTime(m.OpenedAt)}, {Key: "endedAt", Value: optionalTime(m.EndedAt)},
		{Key: "version", Value: m.Version}}
	res, err := s.councilMeetings().UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "version", Value: m.Version - 1}},
		withPending(bson.D{{Key: "$set", Value: set}}, audit))
	if err != nil {
		return storeError("update council meeting", err)
	}
	if res.MatchedCount == 0 {
		if _, err := s.FindCouncilMeeting(ctx, m.ID); err != nil {
			return err
		}
		return voci.Errorf(voci.ECONFLICT, "Someone changed this meeting meanwhile. Reload it and try again.")
	}
	s.completeOne(ctx, s.councilMeetings(), m.ID)
	return nil
}

// councilOpenMeetings holds one document per council with a meeting open: its _id is the
// council's, so that an insert is a claim only one writer wins.
func (s *Store) councilOpenMeetings() *mongo.Collection {
	return s.db.Collection("councilOpenMeetings")
}

type councilOpenMeetingDoc struct {
	CouncilID string `bson:"_id"`
	MeetingID string `bson:"meetingId"`
}

// FindCouncilOpenMeeting returns the meeting that holds the council's claim to be open, ""
// when none does.
func (s *Store) FindCouncilOpenMeeting(ctx context.Context, councilID string) (string, error) {
	var d councilOpenMeetingDoc
	err := s.councilOpenMeetings().FindOne(ctx, bson.D{{Key: "_id", Value: councilID}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", nil
	}
	if err != nil {
		return "", storeError("find council open meeting", err)
	}
	return d.MeetingID, nil
}

// SwapCouncilOpenMeeting moves the council's claim from meeting from ("" for none) to meeting
// to ("" to clear it), in one single-document conditional write; ECONFLICT when the claim is
// not at from.
func (s *Store) SwapCouncilOpenMeeting(ctx context.Context, councilID, from, to string) error {
	c := s.councilOpenMeetings()
	conflict := voci.Errorf(voci.ECONFLICT, "Another meeting of this council was opened meanwhile.")
	switch {
	case from == to:
		return nil
	case from == "":
		_, err := c.InsertOne(ctx, councilOpenMeetingDoc{CouncilID: councilID, MeetingID: to})
		if mongo.IsDuplicateKeyError(err) {
			return conflict
		}
		return storeError("swap council open meeting", err)
	case to == "":
		res, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: councilID}, {Key: "meetingId", Value: from}})
		if err != nil {
			return storeError("swap council open meeting", err)
		}
		if res.DeletedCount == 0 {
			return conflict
		}
		return nil
	default:
		res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: councilID}, {Key: "meetingId", Value: from}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "meetingId", Value: to}}}})
		if err != nil {
			return storeError("swap council open meeting", err)
		}
		if res.MatchedCount == 0 {
			return conflict
		}
		return nil
	}
}
