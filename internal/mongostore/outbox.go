package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// The audit outbox. Without multi-document transactions a change and its audit entry cannot
// be written to two collections at once, so the entry travels inside the changed document: the
// one atomic write that makes the change also $pushes the entry to the document's
// pendingAudit array. CompletePendingAudit then copies each pending entry into the audit
// collection (its _id is the entry's ID, so a copy made twice is refused as a duplicate and
// counts as done) and $pulls it. A crash anywhere leaves the entry pending, and the next run
// (after each change, and at start-up) completes it. A deleted question is marked deleted in
// the same way and removed once its entry has moved, and so are a deleted theme and a session
// signed out (marked ended; see session.go).

// pendingField is the array of audit entries waiting in a changed document.
const pendingField = "pendingAudit"

func toAuditDoc(e *voci.AuditEntry) auditDoc {
	return auditDoc{ID: e.ID, At: e.At.UTC(), ActorID: e.ActorID, ActorEmail: e.ActorEmail, ActorRole: string(e.ActorRole),
		Municipality: e.Municipality, Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
		RequestID: e.RequestID, Detail: e.Detail}
}

// pending returns the entry as the value of a new document's pendingAudit, nil for none.
func pending(e *voci.AuditEntry) []auditDoc {
	if e == nil {
		return nil
	}
	return []auditDoc{toAuditDoc(e)}
}

// withPending adds the $push of the entry to an update; nil adds nothing.
func withPending(update bson.D, e *voci.AuditEntry) bson.D {
	if e == nil {
		return update
	}
	return append(update, bson.E{Key: "$push", Value: bson.D{{Key: pendingField, Value: toAuditDoc(e)}}})
}

// withPendingPush adds the entry to a $push that pushes other fields too: an update may hold
// one $push only.
func withPendingPush(push bson.D, e *voci.AuditEntry) bson.D {
	if e == nil {
		return push
	}
	return append(push, bson.E{Key: pendingField, Value: toAuditDoc(e)})
}

// withoutPending adds to an update that undoes a change the $pull of the change's entry, so
// that a change taken back leaves no record of itself; nil adds nothing.
func withoutPending(update bson.D, e *voci.AuditEntry) bson.D {
	if e == nil {
		return update
	}
	return append(update, bson.E{Key: "$pull", Value: bson.D{{Key: pendingField, Value: bson.D{{Key: "_id", Value: e.ID}}}}})
}

// outboxCollections are the collections whose documents carry pending audit entries.
func (s *Store) outboxCollections() []*mongo.Collection {
	return []*mongo.Collection{s.consultations, s.questions, s.answers, s.accounts, s.invitations, s.municipalities,
		s.liveSessions, s.participants, s.groupFacts, s.helpRequests, s.sessions, s.passwordResets,
		s.recommendations, s.themes, s.decisions, s.decisionEntries, s.feedback,
		s.youthCouncils(), s.councilMembers(), s.councilMeetings(), s.councilAgendas(),
		s.meetingMinutes(), s.plannedSessions()}
}

// outboxIndexes make the completer's queries read only the documents concerned.
func (s *Store) outboxIndexes(ctx context.Context) error {
	for _, coll := range s.outboxCollections() {
		model := mongo.IndexModel{Keys: bson.D{{Key: pendingField + "._id", Value: 1}},
			Options: options.Index().SetName("pendingAudit_id").SetSparse(true)}
		if _, err := coll.Indexes().CreateOne(ctx, model); err != nil {
			return storeError("create indexes on "+coll.Name(), err)
		}
	}
	model := mongo.IndexModel{Keys: bson.D{{Key: "deleted", Value: 1}}, Options: options.Index().SetName("deleted").SetSparse(true)}
	if _, err := s.questions.Indexes().CreateOne(ctx, model); err != nil {
		return storeError("create indexes on questions", err)
	}
	if _, err := s.themes.Indexes().CreateOne(ctx, model); err != nil {
		return storeError("create indexes on themes", err)
	}
	model = mongo.IndexModel{Keys: bson.D{{Key: "ended", Value: 1}}, Options: options.Index().SetName("ended").SetSparse(true)}
	if _, err := s.sessions.Indexes().CreateOne(ctx, model); err != nil {
		return storeError("create indexes on sessions", err)
	}
	// Questions stored before revisions were counted are at their first revision and wording.
	_, err := s.questions.UpdateMany(ctx, bson.D{{Key: "revision", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revision", Value: 1}, {Key: "promptVersion", Value: 1}}}})
	return storeError("give questions their revision", err)
}

// CompletePendingAudit moves every pending audit entry of every collection to the audit trail.
func (s *Store) CompletePendingAudit(ctx context.Context) (int, error) {
	moved := 0
	for _, coll := range s.outboxCollections() {
		n, err := s.completeAudit(ctx, coll, bson.D{{Key: pendingField + "._id", Value: bson.D{{Key: "$exists", Value: true}}}})
		moved += n
		if err != nil {
			return moved, err
		}
	}
	// A question deleted whose entry moved but which was not removed yet (a crash between).
	_, err := s.questions.DeleteMany(ctx, bson.D{{Key: "deleted", Value: true}, {Key: pendingField + ".0", Value: bson.D{{Key: "$exists", Value: false}}}})
	if err != nil {
		return moved, storeError("complete pending audit", err)
	}
	// Likewise a theme deleted.
	_, err = s.themes.DeleteMany(ctx, bson.D{{Key: "deleted", Value: true}, {Key: pendingField + ".0", Value: bson.D{{Key: "$exists", Value: false}}}})
	if err != nil {
		return moved, storeError("complete pending audit", err)
	}
	// Likewise a session signed out.
	_, err = s.sessions.DeleteMany(ctx, bson.D{{Key: "ended", Value: true}, {Key: pendingField + ".0", Value: bson.D{{Key: "$exists", Value: false}}}})
	return moved, storeError("complete pending audit", err)
}

// completeOne moves the pending entries of one document, right after its change. A failure
// here loses nothing: the entry stays pending for the next run, so it is not the caller's.
func (s *Store) completeOne(ctx context.Context, coll *mongo.Collection, id any) {
	if _, err := s.completeAudit(ctx, coll, bson.D{{Key: "_id", Value: id}}); err != nil {
		return
	}
	gone := map[*mongo.Collection]string{s.questions: "deleted", s.themes: "deleted", s.sessions: "ended"}[coll]
	if gone != "" {
		_, _ = coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: gone, Value: true},
			{Key: pendingField + ".0", Value: bson.D{{Key: "$exists", Value: false}}}})
	}
}

func (s *Store) completeAudit(ctx context.Context, coll *mongo.Collection, filter bson.D) (int, error) {
	cur, err := coll.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: pendingField, Value: 1}}))
	if err != nil {
		return 0, storeError("complete pending audit", err)
	}
	var docs []struct {
		ID      any        `bson:"_id"` // a string, or a municipality's SIRUTA code
		Pending []auditDoc `bson:"pendingAudit"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return 0, storeError("complete pending audit", err)
	}
	moved := 0
	for _, d := range docs {
		if len(d.Pending) == 0 {
			continue
		}
		ids := bson.A{}
		for _, e := range d.Pending {
			if _, err := s.audit.InsertOne(ctx, e); err != nil && !mongo.IsDuplicateKeyError(err) {
				return moved, storeError("complete pending audit", err)
			}
			ids = append(ids, e.ID)
		}
		if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}},
			bson.D{{Key: "$pull", Value: bson.D{{Key: pendingField, Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}}}}}); err != nil {
			return moved, storeError("complete pending audit", err)
		}
		moved += len(d.Pending)
	}
	return moved, nil
}
