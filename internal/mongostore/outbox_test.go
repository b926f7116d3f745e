package mongostore

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/voci-platform/voci/internal/storetest"
	"github.com/voci-platform/voci/internal/voci"
)

// A crash after a change was written with its audit entry in its outbox, and before the
// entry moved to the trail: the next start (a second store on the same database, as after a
// restart) completes it, once, and a question deleted meanwhile goes.
func TestPendingAuditCompletedAfterRestart(t *testing.T) {
	s := openTestStore(t)
	ctx := t.Context()
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	entry := func(id, action string) auditDoc {
		return auditDoc{ID: id, At: at, ActorID: "acct-1", ActorRole: string(voci.RoleFacilitator), Municipality: 20297,
			Action: action, ObjectType: "consultation", ObjectID: "cons-crash", RequestID: "req-" + id}
	}
	// What the change's one write left behind, before the process died.
	c := toConsultationDoc(&voci.Consultation{ID: "cons-crash", Municipality: 20297, Title: "Our park", Status: voci.StatusDraft,
		CreatedAt: at, UpdatedAt: at})
	c.PendingAudit = []auditDoc{entry("crash-1", "consultation.create")}
	if _, err := s.consultations.InsertOne(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.questions.InsertOne(ctx, questionDoc{ID: "q-crash", ConsultationID: "cons-crash", Municipality: 20297, Kind: "short_text",
		Prompt: "What is missing?", CreatedAt: at, UpdatedAt: at, Revision: 1, PromptVersion: 1, Deleted: true,
		PendingAudit: []auditDoc{entry("crash-2", "question.delete")}}); err != nil {
		t.Fatal(err)
	}
	// The entry was copied once already, then the process died before the $pull.
	if _, err := s.audit.InsertOne(ctx, entry("crash-2", "question.delete")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindQuestionByID(ctx, "q-crash"); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("a deleted question is still read: %v", err)
	}

	restarted, err := OpenDatabase(context.Background(), testURI(t), s.DatabaseName())
	if err != nil {
		t.Fatal(err)
	}
	defer restarted.Close()
	if err := restarted.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	moved, err := restarted.CompletePendingAudit(ctx)
	if err != nil || moved != 2 {
		t.Fatalf("completed %d, %v; want 2", moved, err)
	}
	if again, err := restarted.CompletePendingAudit(ctx); err != nil || again != 0 {
		t.Fatalf("second run completed %d, %v; want 0", again, err)
	}
	entries, total, err := restarted.FindAudit(ctx, voci.AuditFilter{Limit: 10})
	if err != nil || total != 2 {
		t.Fatalf("audit trail %+v (%d), %v", entries, total, err)
	}
	n, err := restarted.questions.CountDocuments(ctx, bson.D{{Key: "_id", Value: "q-crash"}})
	if err != nil || n != 0 {
		t.Fatalf("the deleted question's document: %d, %v", n, err)
	}
	var left consultationDoc
	if err := restarted.consultations.FindOne(context.Background(), bson.D{{Key: "_id", Value: "cons-crash"}}).Decode(&left); err != nil || len(left.PendingAudit) != 0 {
		t.Fatalf("consultation after completion: %+v %v", left, err)
	}
}

// TestAuditFailureLeavesTheEntryPending: with the audit collection refusing every insert (a
// validator no document passes), each audited write still stores its change, with its entry
// pending on the changed document; once the collection takes inserts again, the completion
// run at start-up moves every entry, once.
func TestAuditFailureLeavesTheEntryPending(t *testing.T) {
	storetest.RunAuditFailure(t, func(t *testing.T) voci.Store { return openTestStore(t) },
		func(t *testing.T, s voci.Store) {
			setAuditValidator(t, s.(*Store), bson.D{{Key: "$expr", Value: false}})
		}, func(t *testing.T, s voci.Store) {
			setAuditValidator(t, s.(*Store), bson.D{})
		})
}

func setAuditValidator(t *testing.T, s *Store, validator bson.D) {
	t.Helper()
	cmd := bson.D{{Key: "collMod", Value: s.audit.Name()}, {Key: "validator", Value: validator}, {Key: "validationAction", Value: "error"}}
	if err := s.audit.Database().RunCommand(t.Context(), cmd).Err(); err != nil {
		t.Fatal(err)
	}
}
