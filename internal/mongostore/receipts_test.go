package mongostore

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/voci-platform/voci/internal/voci"
)

// Receipts of earlier versions held a copy of the answer, text included: Migrate strips it,
// and a legacy receipt whose answer was stored is still replayed. Receipts kept on answers
// hold no text.
func TestReceiptsKeepNoText(t *testing.T) {
	s := openTestStore(t)
	ctx := t.Context()
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	// An answer and its receipt as an earlier version wrote them.
	old := answerDoc{ID: "a-old", QuestionID: "q1", ConsultationID: "c1", SessionID: "l1", ParticipantID: "p1", Municipality: 20297,
		Source: "live", Text: "Sunați-mă la 0722 123 456", Moderation: "held", IdempotencyKey: "old-key-0001", Revision: 1,
		CreatedAt: at, UpdatedAt: at}
	if _, err := s.answers.InsertOne(ctx, old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.answerReceipts.InsertOne(ctx, bson.M{"_id": "p1\x00old-key-0001", "participantId": "p1", "idempotencyKey": "old-key-0001",
		"questionId": "q1", "answerId": "a-old", "moderation": "held", "acceptedAt": at, "answer": old}); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.answerReceipts.CountDocuments(ctx, bson.M{"answer": bson.M{"$exists": true}}); err != nil || n != 0 {
		t.Fatalf("%d receipts still hold an answer: %v", n, err)
	}
	r, err := s.FindAnswerReceipt(ctx, "p1", "old-key-0001")
	if err != nil || r.AnswerID != "a-old" || r.Revision != 1 || r.Moderation != voci.ModerationHeld {
		t.Fatalf("legacy receipt: %+v %v", r, err)
	}

	// A change writes its receipt on the answer: key, revision, outcome, time.
	change := &voci.Answer{ID: "a-new", QuestionID: "q1", ConsultationID: "c1", SessionID: "l1", ParticipantID: "p1", Municipality: 20297,
		Source: voci.SourceSelfPaced, Text: "Mai mulți copaci", Moderation: voci.ModerationPending, IdempotencyKey: "new-key-0001",
		CreatedAt: at.Add(time.Minute), UpdatedAt: at.Add(time.Minute)}
	if r, err := s.SaveAnswer(ctx, change); err != nil || r.AnswerID != "a-old" || r.Revision != 2 {
		t.Fatalf("change: %+v %v", r, err)
	}
	var raw bson.M
	if err := s.answers.FindOne(ctx, bson.M{"_id": "a-old"}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	receipts, _ := raw["receipts"].(bson.A)
	if len(receipts) != 1 {
		t.Fatalf("receipts %v", raw["receipts"])
	}
	b, err := bson.Marshal(receipts[0])
	if err != nil {
		t.Fatal(err)
	}
	var first bson.M
	if err := bson.Unmarshal(b, &first); err != nil {
		t.Fatal(err)
	}
	for k := range first {
		if k != "key" && k != "revision" && k != "moderation" && k != "acceptedAt" {
			t.Fatalf("a receipt holds %q: %v", k, first)
		}
	}
	if raw["text"] != "Mai mulți copaci" {
		t.Fatalf("text %v", raw["text"])
	}
	// The old receipt still replays, and does not undo the change.
	if r, err := s.SaveAnswer(ctx, &voci.Answer{ID: "x", QuestionID: "q1", ParticipantID: "p1", Source: voci.SourceLive,
		IdempotencyKey: "old-key-0001", UpdatedAt: at.Add(time.Hour)}); err != nil || !r.Replayed {
		t.Fatalf("legacy replay: %+v %v", r, err)
	}
}
