package mongostore

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/voci-platform/voci/internal/voci"
)

// A session signed out, alone or everywhere, is gone to every lookup at once, even while its
// audit entry waits in the outbox; a session signed in after "sign out everywhere" still
// counts; once the entries move, the ended session's document goes too.
func TestSignedOutSessionsGoneBeforeTheirEntryMoves(t *testing.T) {
	s := openTestStore(t)
	ctx := t.Context()
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	if err := s.CreateAccount(ctx, &voci.Account{ID: "acc-out", Email: "out@example.org", DisplayName: "Ana",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g", CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	session := func(id string, created time.Time) {
		t.Helper()
		if err := s.CreateSession(ctx, &voci.Session{ID: id, AccountID: "acc-out", CSRFToken: "csrf-" + id,
			CreatedAt: created, LastSeenAt: created}, nil); err != nil {
			t.Fatal(err)
		}
	}
	gone := func(id string) bool {
		t.Helper()
		_, err := s.FindSession(ctx, id)
		if err != nil && voci.ErrorCode(err) != voci.ENOTFOUND {
			t.Fatal(err)
		}
		return err != nil
	}
	entry := func(id, action string) *voci.AuditEntry {
		return &voci.AuditEntry{ID: id, At: at, ActorID: "acc-out", ActorEmail: "out@example.org", ActorRole: voci.RoleFacilitator,
			Action: action, ObjectType: "account", ObjectID: "acc-out", RequestID: "req-" + id}
	}
	session("s-laptop", at.Add(-time.Hour))
	session("s-phone", at.Add(-time.Hour))
	session("s-tablet", at.Add(-time.Hour))

	setAuditValidator(t, s, bson.D{{Key: "$expr", Value: false}})
	if err := s.DeleteSession(ctx, "s-laptop", entry("out-1", "session.sign_out")); err != nil {
		t.Fatal(err)
	}
	if !gone("s-laptop") || gone("s-phone") {
		t.Fatalf("after signing out: laptop gone %v, phone gone %v", gone("s-laptop"), gone("s-phone"))
	}
	if err := s.TouchSession(ctx, "s-laptop", at); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("touching a signed-out session: %v", err)
	}
	if n, err := s.sessions.CountDocuments(ctx, bson.D{{Key: "_id", Value: "s-laptop"}, {Key: "ended", Value: true}}); err != nil || n != 1 {
		t.Fatalf("the signed-out session's document carries its entry: %d, %v", n, err)
	}

	if _, err := s.DeleteAccountSessions(ctx, "acc-out", "s-tablet", entry("out-2", "session.sign_out_everywhere")); err != nil {
		t.Fatal(err)
	}
	session("s-later", at.Add(time.Minute))
	if !gone("s-phone") || gone("s-tablet") || gone("s-later") {
		t.Fatalf("after signing out everywhere but the tablet: phone gone %v, tablet gone %v, later gone %v",
			gone("s-phone"), gone("s-tablet"), gone("s-later"))
	}
	list, err := s.ListAccountSessions(ctx, "acc-out")
	if err != nil || len(list) != 2 {
		t.Fatalf("listed %+v, %v; want the tablet and the later session", list, err)
	}

	setAuditValidator(t, s, bson.D{})
	moved, err := s.CompletePendingAudit(ctx)
	if err != nil || moved != 2 {
		t.Fatalf("completed %d, %v; want 2", moved, err)
	}
	if n, err := s.sessions.CountDocuments(ctx, bson.D{{Key: "ended", Value: true}}); err != nil || n != 0 {
		t.Fatalf("ended sessions left after their entries moved: %d, %v", n, err)
	}
	for _, id := range []string{"out-1", "out-2"} {
		if n, err := s.audit.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}}); err != nil || n != 1 {
			t.Fatalf("entry %s in the trail %d times, %v", id, n, err)
		}
	}
}
