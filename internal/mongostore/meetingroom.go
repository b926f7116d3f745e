package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Live meetings' logs: one document per command, unique by (meetingId, seq) and by
// (meetingId, commandId) where the command has a key, so that two writers cannot take one
// place and a command sent again is not stored twice. The open vote's ballots are one
// document per member, replaced by each new ballot.
//
// Without multi-document transactions a vote's close is two writes: the close is inserted,
// then the meeting's ballots are deleted. Should the second fail, or the server stop between
// them, LoadMeetingLog deletes the ballots of a meeting with no open vote before it returns:
// the room loads the log before it takes any command, so the ballots of a closed vote never
// outlive the next load.

func (s *Store) meetingLog() *mongo.Collection     { return s.db.Collection("meetingLog") }
func (s *Store) meetingBallots() *mongo.Collection { return s.db.Collection("meetingBallots") }

func (s *Store) meetingRoomIndexes(ctx context.Context) error {
	indexes := []struct {
		coll  *mongo.Collection
		model mongo.IndexModel
	}{
		{s.meetingLog(), mongo.IndexModel{Keys: bson.D{{Key: "meetingId", Value: 1}, {Key: "seq", Value: 1}},
			Options: options.Index().SetName("meetingId_seq_unique").SetUnique(true)}},
		{s.meetingLog(), mongo.IndexModel{Keys: bson.D{{Key: "meetingId", Value: 1}, {Key: "commandId", Value: 1}},
			Options: options.Index().SetName("meetingId_commandId_unique").SetUnique(true).
				SetPartialFilterExpression(bson.D{{Key: "commandId", Value: bson.D{{Key: "$exists", Value: true}}}})}},
		{s.meetingBallots(), mongo.IndexModel{Keys: bson.D{{Key: "meetingId", Value: 1}}, Options: options.Index().SetName("meetingId")}},
	}
	for _, ix := range indexes {
		if _, err := ix.coll.Indexes().CreateOne(ctx, ix.model); err != nil {
			return storeError("create indexes on "+ix.coll.Name(), err)
		}
	}
	return nil
}

type meetingCommandDoc struct {
	ID        string    `bson:"_id"`
	MeetingID string    `bson:"meetingId"`
	Seq       int64     `bson:"seq"`
	CommandID string    `bson:"commandId,omitempty"`
	Kind      string    `bson:"kind"`
	At        time.Time `bson:"at"`
	Body      string    `bson:"body"` // the command as JSON (voci.MarshalMeetingCommand)
}

type meetingBallotDoc struct {
	ID        string `bson:"_id"`
	MeetingID string `bson:"meetingId"`
	Member    string `bson:"memberId"`
	Choice    string `bson:"choice"`
	CommandID string `bson:"commandId"`
}

// AppendMeetingCommand stores c at c.Seq; ECONFLICT when the place or the key is taken. A
// vote's close then deletes the meeting's ballots.
func (s *Store) AppendMeetingCommand(ctx context.Context, meetingID string, c *voci.MeetingCommand) error {
	body, err := voci.MarshalMeetingCommand(c)
	if err != nil {
		return err
	}
	_, err = s.meetingLog().InsertOne(ctx, meetingCommandDoc{ID: fmt.Sprintf("%s/%d", meetingID, c.Seq), MeetingID: meetingID,
		Seq: c.Seq, CommandID: c.ID, Kind: string(c.Kind), At: c.At.UTC(), Body: string(body)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "The meeting's log has moved on, or this command was already stored.")
	}
	if err != nil {
		return storeError("append meeting command", err)
	}
	if c.Kind == voci.CmdCloseVote {
		_, err = s.meetingBallots().DeleteMany(ctx, bson.D{{Key: "meetingId", Value: meetingID}})
	}
	return storeError("delete meeting ballots", err)
}

// PutMeetingBallots stores the ballots, each one replace of its member's document, in one
// ordered bulk write (so that the last of a member's ballots wins).
func (s *Store) PutMeetingBallots(ctx context.Context, meetingID string, ballots []voci.StoredBallot) error {
	if len(ballots) == 0 {
		return nil
	}
	models := make([]mongo.WriteModel, 0, len(ballots))
	for _, b := range ballots {
		id := meetingID + "/" + b.Member
		models = append(models, mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: id}}).SetUpsert(true).
			SetReplacement(meetingBallotDoc{ID: id, MeetingID: meetingID, Member: b.Member, Choice: string(b.Choice), CommandID: b.CommandID}))
	}
	_, err := s.meetingBallots().BulkWrite(ctx, models, options.BulkWrite().SetOrdered(true))
	return storeError("put meeting ballots", err)
}

// LoadMeetingLog returns the meeting's log in order and its open vote's ballots.
func (s *Store) LoadMeetingLog(ctx context.Context, meetingID string) ([]voci.MeetingCommand, []voci.StoredBallot, error) {
	cur, err := s.meetingLog().Find(ctx, bson.D{{Key: "meetingId", Value: meetingID}}, options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}))
	if err != nil {
		return nil, nil, storeError("load meeting log", err)
	}
	var docs []meetingCommandDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, nil, storeError("load meeting log", err)
	}
	log := make([]voci.MeetingCommand, 0, len(docs))
	voteOpen := false
	for _, d := range docs {
		c, err := voci.UnmarshalMeetingCommand(d.Seq, []byte(d.Body))
		if err != nil {
			return nil, nil, storeError("load meeting log", err)
		}
		switch c.Kind {
		case voci.CmdOpenMotionVote, voci.CmdOpenItemVote:
			voteOpen = true
		case voci.CmdCloseVote:
			voteOpen = false
		}
		log = append(log, c)
	}
	if !voteOpen {
		// The ballots of a vote whose close was stored but whose ballots were not deleted.
		if _, err := s.meetingBallots().DeleteMany(ctx, bson.D{{Key: "meetingId", Value: meetingID}}); err != nil {
			return nil, nil, storeError("delete meeting ballots", err)
		}
		return log, nil, nil
	}
	cur, err = s.meetingBallots().Find(ctx, bson.D{{Key: "meetingId", Value: meetingID}}, options.Find().SetSort(bson.D{{Key: "memberId", Value: 1}}))
	if err != nil {
		return nil, nil, storeError("load meeting ballots", err)
	}
	var bdocs []meetingBallotDoc
	if err := cur.All(ctx, &bdocs); err != nil {
		return nil, nil, storeError("load meeting ballots", err)
	}
	var ballots []voci.StoredBallot
	for _, d := range bdocs {
		ballots = append(ballots, voci.StoredBallot{Member: d.Member, Choice: voci.BallotChoice(d.Choice), CommandID: d.CommandID})
	}
	return log, ballots, nil
}
