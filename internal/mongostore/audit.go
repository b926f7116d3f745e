package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// auditDoc is one entry of the append-only audit trail.
type auditDoc struct {
	ID           string    `bson:"_id"`
	At           time.Time `bson:"at"`
	ActorID      string    `bson:"actorId"`
	ActorEmail   string    `bson:"actorEmail"`
	ActorRole    string    `bson:"actorRole"`
	Municipality int       `bson:"municipality"`
	Action       string    `bson:"action"`
	ObjectType   string    `bson:"objectType"`
	ObjectID     string    `bson:"objectId"`
	RequestID    string    `bson:"requestId"`
	Detail       string    `bson:"detail"`
}

// AppendAudit stores a new entry. It returns ECONFLICT when the ID exists.
func (s *Store) AppendAudit(ctx context.Context, e *voci.AuditEntry) error {
	_, err := s.audit.InsertOne(ctx, auditDoc{
		ID:           e.ID,
		At:           e.At.UTC(),
		ActorID:      e.ActorID,
		ActorEmail:   e.ActorEmail,
		ActorRole:    string(e.ActorRole),
		Municipality: e.Municipality,
		Action:       e.Action,
		ObjectType:   e.ObjectType,
		ObjectID:     e.ObjectID,
		RequestID:    e.RequestID,
		Detail:       e.Detail,
	})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "An audit entry with this identifier already exists.")
	}
	return storeError("append audit entry", err)
}

// FindAudit returns one page of entries, newest first (ties by ID, descending), and the number
// of matches. From is inclusive and Until exclusive. A nil Municipalities means every
// municipality; an empty, non-nil one matches nothing, so that a caller who may see no
// municipality sees no entry. It normalizes the filter (voci.AuditFilter.Normalize), so that no
// caller can ask for an unbounded page, and returns its EINVALID.
func (s *Store) FindAudit(ctx context.Context, f voci.AuditFilter) ([]voci.AuditEntry, int, error) {
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	if f.Municipalities != nil && len(f.Municipalities) == 0 {
		return nil, 0, nil
	}
	filter := bson.D{}
	if len(f.Municipalities) > 0 {
		filter = append(filter, bson.E{Key: "municipality", Value: bson.D{{Key: "$in", Value: f.Municipalities}}})
	}
	if f.ActorID != "" {
		filter = append(filter, bson.E{Key: "actorId", Value: f.ActorID})
	}
	if f.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: f.Action})
	}
	at := bson.D{}
	if f.From != nil {
		at = append(at, bson.E{Key: "$gte", Value: f.From.UTC()})
	}
	if f.Until != nil {
		at = append(at, bson.E{Key: "$lt", Value: f.Until.UTC()})
	}
	if len(at) > 0 {
		filter = append(filter, bson.E{Key: "at", Value: at})
	}

	total, err := s.audit.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, storeError("count audit entries", err)
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64(f.Offset)).
		SetLimit(int64(f.Limit))
	cur, err := s.audit.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, storeError("find audit entries", err)
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, storeError("find audit entries", err)
	}
	var entries []voci.AuditEntry
	for _, d := range docs {
		entries = append(entries, voci.AuditEntry{
			ID:           d.ID,
			At:           d.At.UTC(),
			ActorID:      d.ActorID,
			ActorEmail:   d.ActorEmail,
			ActorRole:    voci.Role(d.ActorRole),
			Municipality: d.Municipality,
			Action:       d.Action,
			ObjectType:   d.ObjectType,
			ObjectID:     d.ObjectID,
			RequestID:    d.RequestID,
			Detail:       d.Detail,
		})
	}
	return entries, int(total), nil
}
