package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Planned sessions (voci.PlannedSessionStore): one document per plan, changed in one write
// conditional on its revision (an edit, a cancellation) or on its live session (the link made
// by "start now"), with its audit entry pending on it.

func (s *Store) plannedSessions() *mongo.Collection { return s.db.Collection("plannedSessions") }

// plannedSessionIndexes are the indexes of the planned sessions' collection.
func (s *Store) plannedSessionIndexes(ctx context.Context) error {
	models := []mongo.IndexModel{
		{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "startsAt", Value: 1}}, Options: options.Index().SetName("consultation")},
		{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "cancelled", Value: 1}, {Key: "liveSessionId", Value: 1}, {Key: "startsAt", Value: 1}},
			Options: options.Index().SetName("upcoming")},
	}
	if _, err := s.plannedSessions().Indexes().CreateMany(ctx, models); err != nil {
		return storeError("create indexes on plannedSessions", err)
	}
	return nil
}

type plannedSessionDoc struct {
	ID             string     `bson:"_id"`
	ConsultationID string     `bson:"consultationId"`
	Municipality   int        `bson:"municipality"`
	StartsAt       time.Time  `bson:"startsAt"`
	Minutes        int        `bson:"minutes"`
	Group          string     `bson:"group"`
	Place          string     `bson:"place"`
	FacilitatorID  string     `bson:"facilitatorId"`
	Revision       int        `bson:"revision"`
	Cancelled      bool       `bson:"cancelled"`
	CancelledAt    *time.Time `bson:"cancelledAt"`
	LiveSessionID  string     `bson:"liveSessionId"` // "" until started
	StartedAt      *time.Time `bson:"startedAt"`
	CreatedBy      string     `bson:"createdBy"`
	CreatedAt      time.Time  `bson:"createdAt"`
	UpdatedAt      time.Time  `bson:"updatedAt"`
	PendingAudit   []auditDoc `bson:"pendingAudit,omitempty"`
}

func (d *plannedSessionDoc) planned() voci.PlannedSession {
	return voci.PlannedSession{ID: d.ID, ConsultationID: d.ConsultationID, Municipality: d.Municipality, StartsAt: d.StartsAt.UTC(),
		Minutes: d.Minutes, Group: d.Group, Place: d.Place, FacilitatorID: d.FacilitatorID, Revision: d.Revision,
		Cancelled: d.Cancelled, CancelledAt: fromOptional(d.CancelledAt), LiveSessionID: d.LiveSessionID,
		StartedAt: fromOptional(d.StartedAt), CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
}

// CreatePlannedSession stores a new plan with its audit entry pending on it.
func (s *Store) CreatePlannedSession(ctx context.Context, p *voci.PlannedSession, audit *voci.AuditEntry) error {
	_, err := s.plannedSessions().InsertOne(ctx, plannedSessionDoc{ID: p.ID, ConsultationID: p.ConsultationID, Municipality: p.Municipality,
		StartsAt: p.StartsAt.UTC(), Minutes: p.Minutes, Group: p.Group, Place: p.Place, FacilitatorID: p.FacilitatorID,
		Revision: max(p.Revision, 1), Cancelled: p.Cancelled, CancelledAt: optionalTime(p.CancelledAt), LiveSessionID: p.LiveSessionID,
		StartedAt: optionalTime(p.StartedAt), CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
		PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A planned session with this identifier already exists.")
	}
	if err != nil {
		return storeError("create planned session", err)
	}
	s.completeOne(ctx, s.plannedSessions(), p.ID)
	return nil
}

// FindPlannedSession returns ENOTFOUND when there is no such plan.
func (s *Store) FindPlannedSession(ctx context.Context, id string) (*voci.PlannedSession, error) {
	d, err := findOne[plannedSessionDoc](ctx, s.plannedSessions(), bson.D{{Key: "_id", Value: id}}, "planned session")
	if err != nil {
		return nil, err
	}
	p := d.planned()
	return &p, nil
}

// ListPlannedSessions returns the consultation's plans, soonest first.
func (s *Store) ListPlannedSessions(ctx context.Context, consultationID string) ([]voci.PlannedSession, error) {
	return s.findPlanned(ctx, bson.D{{Key: "consultationId", Value: consultationID}}, 0)
}

// FindUpcomingPlannedSessions returns the municipality's plans still to start from from on.
func (s *Store) FindUpcomingPlannedSessions(ctx context.Context, municipality int, from time.Time, limit int) ([]voci.PlannedSession, error) {
	return s.findPlanned(ctx, bson.D{{Key: "municipality", Value: municipality}, {Key: "cancelled", Value: false},
		{Key: "liveSessionId", Value: ""}, {Key: "startsAt", Value: bson.D{{Key: "$gte", Value: from.UTC()}}}}, max(limit, 1))
}

func (s *Store) findPlanned(ctx context.Context, filter bson.D, limit int) ([]voci.PlannedSession, error) {
	opts := options.Find().SetSort(bson.D{{Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}).
		SetProjection(bson.D{{Key: pendingField, Value: 0}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	var docs []plannedSessionDoc
	if err := findAll(ctx, s.plannedSessions(), filter, opts, &docs); err != nil {
		return nil, storeError("find planned sessions", err)
	}
	out := make([]voci.PlannedSession, 0, len(docs))
	for i := range docs {
		out = append(out, docs[i].planned())
	}
	return out, nil
}

// UpdatePlannedSession writes p over revision p.Revision-1 of a plan neither cancelled nor started.
func (s *Store) UpdatePlannedSession(ctx context.Context, p *voci.PlannedSession, audit *voci.AuditEntry) error {
	set := bson.D{{Key: "startsAt", Value: p.StartsAt.UTC()}, {Key: "minutes", Value: p.Minutes}, {Key: "group", Value: p.Group},
		{Key: "place", Value: p.Place}, {Key: "facilitatorId", Value: p.FacilitatorID}, {Key: "revision", Value: p.Revision},
		{Key: "cancelled", Value: p.Cancelled}, {Key: "cancelledAt", Value: optionalTime(p.CancelledAt)}, {Key: "updatedAt", Value: p.UpdatedAt.UTC()}}
	res, err := s.plannedSessions().UpdateOne(ctx, bson.D{{Key: "_id", Value: p.ID}, {Key: "revision", Value: p.Revision - 1},
		{Key: "cancelled", Value: false}, {Key: "liveSessionId", Value: ""}}, withPending(bson.D{{Key: "$set", Value: set}}, audit))
	return s.plannedChanged(ctx, "update planned session", p.ID, res, err)
}

// LinkPlannedSession sets the plan's live session if it is still previous and not cancelled.
func (s *Store) LinkPlannedSession(ctx context.Context, id, previous, liveSessionID string, at time.Time, audit *voci.AuditEntry) error {
	set := bson.D{{Key: "liveSessionId", Value: liveSessionID}, {Key: "startedAt", Value: optionalTime(at)}}
	if !at.IsZero() {
		set = append(set, bson.E{Key: "updatedAt", Value: at.UTC()})
	}
	res, err := s.plannedSessions().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "liveSessionId", Value: previous}, {Key: "cancelled", Value: false}},
		withPending(bson.D{{Key: "$set", Value: set}, {Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}}}, audit))
	return s.plannedChanged(ctx, "link planned session", id, res, err)
}

// plannedChanged turns a conditional update that matched nothing into ENOTFOUND or ECHANGED,
// and moves the audit entry of one that did.
func (s *Store) plannedChanged(ctx context.Context, op, id string, res *mongo.UpdateResult, err error) error {
	if err != nil {
		return storeError(op, err)
	}
	if res.MatchedCount == 1 {
		s.completeOne(ctx, s.plannedSessions(), id)
		return nil
	}
	if _, err := findOne[plannedSessionDoc](ctx, s.plannedSessions(), bson.D{{Key: "_id", Value: id}}, "planned session"); err != nil {
		return err
	}
	return voci.Errorf(voci.ECHANGED, "Someone else changed this planned session meanwhile; reload it and make your change again.")
}
