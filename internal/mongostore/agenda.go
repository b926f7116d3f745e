package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/voci-platform/voci/internal/voci"
)

// Council meetings' agendas: one document per meeting (its _id is the meeting's), holding its
// items in their order, written whole in one write conditional on its version.

func (s *Store) councilAgendas() *mongo.Collection { return s.db.Collection("councilAgendas") }

type agendaAttachmentDoc struct {
	FileID      string    `bson:"fileId"`
	Name        string    `bson:"name"`
	ContentType string    `bson:"contentType"`
	Size        int64     `bson:"size"`
	AddedAt     time.Time `bson:"addedAt"`
}

type agendaItemDoc struct {
	ID           string                `bson:"id"`
	Title        string                `bson:"title"`
	Description  string                `bson:"description"`
	Kind         string                `bson:"kind"`
	Status       string                `bson:"status"`
	ProposedBy   string                `bson:"proposedBy"`
	ProposerName string                `bson:"proposerName"`
	Flags        []string              `bson:"flags"`
	TextApproved bool                  `bson:"textApproved"`
	Attachments  []agendaAttachmentDoc `bson:"attachments"`
	CreatedAt    time.Time             `bson:"createdAt"`
	// ApprovesMinutesOf: the meeting whose minutes the item approves (minutes.go).
	ApprovesMinutesOf string `bson:"approvesMinutesOf,omitempty"`
}

type agendaDoc struct {
	MeetingID    string          `bson:"_id"`
	CouncilID    string          `bson:"councilId"`
	Municipality int             `bson:"municipality"`
	Items        []agendaItemDoc `bson:"items"`
	Version      int             `bson:"version"`
	UpdatedAt    time.Time       `bson:"updatedAt"`
	PendingAudit []auditDoc      `bson:"pendingAudit,omitempty"`
}

func toAgendaItemDocs(items []voci.AgendaItem) []agendaItemDoc {
	out := make([]agendaItemDoc, 0, len(items))
	for _, it := range items {
		d := agendaItemDoc{ID: it.ID, Title: it.Title, Description: it.Description, Kind: string(it.Kind), Status: string(it.Status),
			ProposedBy: it.ProposedBy, ProposerName: it.ProposerName, Flags: it.Flags, TextApproved: it.TextApproved,
			Attachments: []agendaAttachmentDoc{}, CreatedAt: it.CreatedAt.UTC(), ApprovesMinutesOf: it.ApprovesMinutesOf}
		for _, f := range it.Attachments {
			d.Attachments = append(d.Attachments, agendaAttachmentDoc{FileID: f.FileID, Name: f.Name, ContentType: f.ContentType,
				Size: f.Size, AddedAt: f.AddedAt.UTC()})
		}
		out = append(out, d)
	}
	return out
}

func (d *agendaDoc) agenda() *voci.Agenda {
	a := &voci.Agenda{MeetingID: d.MeetingID, CouncilID: d.CouncilID, Municipality: d.Municipality, Items: []voci.AgendaItem{},
		Version: d.Version, UpdatedAt: d.UpdatedAt.UTC()}
	for _, it := range d.Items {
		item := voci.AgendaItem{ID: it.ID, Title: it.Title, Description: it.Description, Kind: voci.AgendaKind(it.Kind),
			Status: voci.AgendaItemStatus(it.Status), ProposedBy: it.ProposedBy, ProposerName: it.ProposerName, Flags: it.Flags,
			TextApproved: it.TextApproved, CreatedAt: it.CreatedAt.UTC(), ApprovesMinutesOf: it.ApprovesMinutesOf}
		for _, f := range it.Attachments {
			item.Attachments = append(item.Attachments, voci.AgendaAttachment{FileID: f.FileID, Name: f.Name, ContentType: f.ContentType,
				Size: f.Size, AddedAt: f.AddedAt.UTC()})
		}
		a.Items = append(a.Items, item)
	}
	return a
}

// FindAgenda returns the meeting's agenda; ENOTFOUND when none was saved.
func (s *Store) FindAgenda(ctx context.Context, meetingID string) (*voci.Agenda, error) {
	d, err := findOne[agendaDoc](ctx, s.councilAgendas(), bson.D{{Key: "_id", Value: meetingID}}, "agenda")
	if err != nil {
		return nil, err
	}
	return d.agenda(), nil
}

// SaveAgenda stores a new agenda (Version 1) or one still at a.Version-1.
func (s *Store) SaveAgenda(ctx context.Context, a *voci.Agenda, audit *voci.AuditEntry) error {
	conflict := voci.Errorf(voci.ECONFLICT, "Someone changed this agenda meanwhile. Reload it and try again.")
	if a.Version == 1 {
		_, err := s.councilAgendas().InsertOne(ctx, agendaDoc{MeetingID: a.MeetingID, CouncilID: a.CouncilID, Municipality: a.Municipality,
			Items: toAgendaItemDocs(a.Items), Version: 1, UpdatedAt: a.UpdatedAt.UTC(), PendingAudit: pending(audit)})
		if mongo.IsDuplicateKeyError(err) {
			return conflict
		}
		if err != nil {
			return storeError("save agenda", err)
		}
	} else {
		set := bson.D{{Key: "items", Value: toAgendaItemDocs(a.Items)}, {Key: "version", Value: a.Version}, {Key: "updatedAt", Value: a.UpdatedAt.UTC()}}
		res, err := s.councilAgendas().UpdateOne(ctx, bson.D{{Key: "_id", Value: a.MeetingID}, {Key: "version", Value: a.Version - 1}},
			withPending(bson.D{{Key: "$set", Value: set}}, audit))
		if err != nil {
			return storeError("save agenda", err)
		}
		if res.MatchedCount == 0 {
			return conflict
		}
	}
	s.completeOne(ctx, s.councilAgendas(), a.MeetingID)
	return nil
}
