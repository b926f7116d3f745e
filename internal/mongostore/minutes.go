package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Meetings' minutes (voci.MinutesStore): one document per meeting (its _id is the meeting's),
// saved in one write conditional on its revision and on its still being a draft, with its
// audit entry pending on it.

func (s *Store) meetingMinutes() *mongo.Collection { return s.db.Collection("meetingMinutes") }

// minutesIndexes are the indexes of the minutes' collection.
func (s *Store) minutesIndexes(ctx context.Context) error {
	model := mongo.IndexModel{Keys: bson.D{{Key: "councilId", Value: 1}}, Options: options.Index().SetName("councilId")}
	if _, err := s.meetingMinutes().Indexes().CreateOne(ctx, model); err != nil {
		return storeError("create indexes on meetingMinutes", err)
	}
	return nil
}

type minutesDoc struct {
	MeetingID       string     `bson:"_id"`
	CouncilID       string     `bson:"councilId"`
	Municipality    int        `bson:"municipality"`
	Text            string     `bson:"text"`
	Status          string     `bson:"status"`
	Revision        int        `bson:"revision"`
	Flags           []string   `bson:"flags"`
	TextApproved    bool       `bson:"textApproved"`
	DraftedAt       time.Time  `bson:"draftedAt"`
	UpdatedAt       time.Time  `bson:"updatedAt"`
	EditedBy        string     `bson:"editedBy"`
	ApprovedAt      *time.Time `bson:"approvedAt"`
	ApprovedIn      string     `bson:"approvedIn"`
	Hash            string     `bson:"hash"`
	ApprovalYes     int        `bson:"approvalYes"`
	ApprovalNo      int        `bson:"approvalNo"`
	ApprovalAbstain int        `bson:"approvalAbstain"`
	ShownText       string     `bson:"shownText,omitempty"`
	DroppedEditBy   string     `bson:"droppedEditBy,omitempty"`
	DroppedEditAt   *time.Time `bson:"droppedEditAt,omitempty"`
	PendingAudit    []auditDoc `bson:"pendingAudit,omitempty"`
}

func (d *minutesDoc) minutes() *voci.MeetingMinutes {
	return &voci.MeetingMinutes{MeetingID: d.MeetingID, CouncilID: d.CouncilID, Municipality: d.Municipality, Text: d.Text,
		Status: voci.MinutesStatus(d.Status), Revision: d.Revision, Flags: d.Flags, TextApproved: d.TextApproved,
		DraftedAt: d.DraftedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), EditedBy: d.EditedBy, ApprovedAt: fromOptional(d.ApprovedAt),
		ApprovedIn: d.ApprovedIn, Hash: d.Hash, Approval: voci.VoteCounts{Yes: d.ApprovalYes, No: d.ApprovalNo, Abstain: d.ApprovalAbstain},
		ShownText: d.ShownText, DroppedEditBy: d.DroppedEditBy, DroppedEditAt: fromOptional(d.DroppedEditAt)}
}

func flagsOrEmpty(f []string) []string {
	if f == nil {
		return []string{}
	}
	return f
}

// CreateMinutes stores new minutes; ECONFLICT when the meeting has some.
func (s *Store) CreateMinutes(ctx context.Context, m *voci.MeetingMinutes, audit *voci.AuditEntry) error {
	_, err := s.meetingMinutes().InsertOne(ctx, minutesDoc{MeetingID: m.MeetingID, CouncilID: m.CouncilID, Municipality: m.Municipality,
		Text: m.Text, Status: string(m.Status), Revision: m.Revision, Flags: flagsOrEmpty(m.Flags), TextApproved: m.TextApproved,
		DraftedAt: m.DraftedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(), EditedBy: m.EditedBy, ApprovedAt: optionalTime(m.ApprovedAt),
		ApprovedIn: m.ApprovedIn, Hash: m.Hash, ApprovalYes: m.Approval.Yes, ApprovalNo: m.Approval.No, ApprovalAbstain: m.Approval.Abstain,
		ShownText: m.ShownText, DroppedEditBy: m.DroppedEditBy, DroppedEditAt: optionalTime(m.DroppedEditAt), PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This meeting has minutes already.")
	}
	if err != nil {
		return storeError("create minutes", err)
	}
	s.completeOne(ctx, s.meetingMinutes(), m.MeetingID)
	return nil
}

// FindMinutes returns ENOTFOUND when the meeting has none.
func (s *Store) FindMinutes(ctx context.Context, meetingID string) (*voci.MeetingMinutes, error) {
	d, err := findOne[minutesDoc](ctx, s.meetingMinutes(), bson.D{{Key: "_id", Value: meetingID}}, "minutes")
	if err != nil {
		return nil, err
	}
	return d.minutes(), nil
}

// ListCouncilMinutes returns the council's minutes.
func (s *Store) ListCouncilMinutes(ctx context.Context, councilID string) ([]voci.MeetingMinutes, error) {
	cur, err := s.meetingMinutes().Find(ctx, bson.D{{Key: "councilId", Value: councilID}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, storeError("list minutes", err)
	}
	var docs []minutesDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("list minutes", err)
	}
	out := make([]voci.MeetingMinutes, 0, len(docs))
	for i := range docs {
		out = append(out, *docs[i].minutes())
	}
	return out, nil
}

// UpdateMinutes stores m if the stored document is a draft at m.Revision-1.
func (s *Store) UpdateMinutes(ctx context.Context, m *voci.MeetingMinutes, audit *voci.AuditEntry) error {
	set := bson.D{{Key: "text", Value: m.Text}, {Key: "status", Value: string(m.Status)}, {Key: "revision", Value: m.Revision},
		{Key: "flags", Value: flagsOrEmpty(m.Flags)}, {Key: "textApproved", Value: m.TextApproved}, {Key: "updatedAt", Value: m.UpdatedAt.UTC()},
		{Key: "editedBy", Value: m.EditedBy}, {Key: "approvedAt", Value: optionalTime(m.ApprovedAt)}, {Key: "approvedIn", Value: m.ApprovedIn},
		{Key: "hash", Value: m.Hash}, {Key: "approvalYes", Value: m.Approval.Yes}, {Key: "approvalNo", Value: m.Approval.No},
		{Key: "approvalAbstain", Value: m.Approval.Abstain}, {Key: "shownText", Value: m.ShownText}, {Key: "droppedEditBy", Value: m.DroppedEditBy},
		{Key: "droppedEditAt", Value: optionalTime(m.DroppedEditAt)}}
	res, err := s.meetingMinutes().UpdateOne(ctx, bson.D{{Key: "_id", Value: m.MeetingID}, {Key: "revision", Value: m.Revision - 1},
		{Key: "status", Value: string(voci.MinutesDraft)}}, withPending(bson.D{{Key: "$set", Value: set}}, audit))
	if err != nil {
		return storeError("update minutes", err)
	}
	if res.MatchedCount == 0 {
		if _, err := s.FindMinutes(ctx, m.MeetingID); err != nil {
			return err
		}
		return voci.Errorf(voci.ECONFLICT, "Someone changed these minutes meanwhile, or they were approved. Reload them.")
	}
	s.completeOne(ctx, s.meetingMinutes(), m.MeetingID)
	return nil
}
