package httpapi_test

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Exactly-once in a live room: a retry of an acknowledged answer gets the same
// acknowledgement whatever the session did since, and a child removed where the room could
// not see it cannot answer.

type fullAck struct {
	QuestionID     string    `json:"questionId"`
	IdempotencyKey string    `json:"idempotencyKey"`
	AcceptedAt     time.Time `json:"acceptedAt"`
	Moderation     string    `json:"moderation"`
	Replayed       bool      `json:"replayed"`
}

func (c *child) ackOf(t *testing.T, questionID string, choices []string, text, key string) fullAck {
	t.Helper()
	r := c.answer(t, questionID, choices, text, key)
	if r.Type != "answer.ack" {
		t.Fatalf("answer %s: %s %s", key, r.Type, r.Data)
	}
	var a fullAck
	r.decode(t, &a)
	return a
}

func TestRetryOfAnAcknowledgedAnswerIsReplayedAfterTheLock(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "ro")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	trees := f.single.option("trees")
	first := kid.ackOf(t, f.single.ID, []string{trees}, "", "lock-key-0001")
	if first.Replayed {
		t.Fatalf("first ack replayed: %+v", first)
	}

	f.command(t, fac, "question.lock", nil)
	again := kid.ackOf(t, f.single.ID, []string{trees}, "", "lock-key-0001")
	if !again.Replayed || !again.AcceptedAt.Equal(first.AcceptedAt) || again.QuestionID != first.QuestionID ||
		again.Moderation != first.Moderation || again.IdempotencyKey != first.IdempotencyKey {
		t.Fatalf("retry after the lock: %+v, first %+v", again, first)
	}
	// A new answer is refused: the question is locked.
	if code := kid.errorCode(kid.answer(t, f.single.ID, []string{trees}, "", "lock-key-0002")); code != "question_not_open" {
		t.Fatalf("a new answer after the lock: %s", code)
	}

	// A held text, then the session moves on to the next question: the retry is still
	// acknowledged as held, and its text is not sent back.
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	held := kid.ackOf(t, f.text.ID, nil, "Sunați-mă la 0722 123 456", "text-key-0001")
	if held.Moderation != "held" {
		t.Fatalf("a phone number: %+v", held)
	}
	f.command(t, fac, "question.open", map[string]any{"questionId": f.multiple.ID})
	if a := kid.ackOf(t, f.text.ID, nil, "Sunați-mă la 0722 123 456", "text-key-0001"); !a.Replayed || a.Moderation != "held" || !a.AcceptedAt.Equal(held.AcceptedAt) {
		t.Fatalf("retry on the next question: %+v", a)
	}
	if a := kid.ackOf(t, f.single.ID, []string{trees}, "", "lock-key-0001"); !a.Replayed || !a.AcceptedAt.Equal(first.AcceptedAt) {
		t.Fatalf("retry two questions later: %+v", a)
	}
	if res := f.results(t, f.single.ID); res.Questions[0].Respondents != 1 || count(res, trees) != 1 {
		t.Fatalf("replays counted: %+v", res.Questions[0])
	}
}

func TestChildRemovedWhereTheRoomCouldNotSeeCannotAnswer(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "en")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	trees := f.single.option("trees")
	kid.mustAnswer(t, f.single.ID, []string{trees}, "", "gone-key-0001")

	// The removal reaches the store but not the room, as when it lands while the child's
	// connection is being set up: the room holds a copy that says "not removed".
	p, err := ls.store.FindParticipantByID(t.Context(), kid.id)
	if err != nil {
		t.Fatal(err)
	}
	p.Removed = true
	if err := ls.store.UpdateParticipant(t.Context(), p, nil); err != nil {
		t.Fatal(err)
	}
	if code := kid.errorCode(kid.answer(t, f.single.ID, []string{f.single.option("swings")}, "", "gone-key-0002")); code != voci.EREMOVED {
		t.Fatalf("an answer after the removal: %s", code)
	}
	if code := kid.closeCode(5 * time.Second); code != 4003 {
		t.Fatalf("close %d, want 4003", code)
	}
	if res := f.results(t, f.single.ID); count(res, trees) != 1 || res.Questions[0].Respondents != 1 {
		t.Fatalf("results after the refused change: %+v", res.Questions[0])
	}
}

// The self-paced equivalent: the link closes between an answer and its retry (the child's
// acknowledgement was lost at the last minute), and the consultation is closed after.
func TestSelfPacedRetryIsReplayedAfterTheLinkCloses(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.until.Add(-time.Second))
	child := &kid{ts: ts, key: key}
	child.join(t, "ro")
	single, text := f.questions["single"], f.questions["short_text"]
	body := map[string]any{"choices": []string{single.option("copaci")}, "idempotencyKey": "last-minute-01"}
	first := child.mustAnswer(t, single.ID, body)
	held := child.mustAnswer(t, text.ID, map[string]any{"text": "Sunați-mă la 0722 123 456", "idempotencyKey": "last-minute-02"})
	if first.Replayed || held.Moderation != "held" {
		t.Fatalf("answers: %+v %+v", first, held)
	}

	f.clock.Set(f.until)
	for _, step := range []string{"link closed", "consultation closed"} {
		if a := child.mustAnswer(t, single.ID, body); !a.Replayed || !a.AcceptedAt.Equal(first.AcceptedAt) || a.QuestionID != single.ID {
			t.Fatalf("%s: retry %+v, first %+v", step, a, first)
		}
		if a := child.mustAnswer(t, text.ID, map[string]any{"text": "Sunați-mă la 0722 123 456", "idempotencyKey": "last-minute-02"}); !a.Replayed || a.Moderation != "held" {
			t.Fatalf("%s: retry of the held text %+v", step, a)
		}
		// Anything new is refused, kindly, and a stranger's token replays nothing.
		childProblem(t, child.answer(t, single.ID, map[string]any{"choices": []string{single.option("bănci")}, "idempotencyKey": "too-late-0001"}), 410, "self_paced_closed")
		stranger := &kid{ts: ts, key: key, token: "forged-token-forged-token-forged-token-0000"}
		childProblem(t, stranger.answer(t, single.ID, body), 410, "self_paced_closed")
		mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "closed"}), 200)
	}
	if r := f.results(t, single.ID); r.Questions[0].Respondents != 1 || r.Questions[0].BySource["self_paced"] != 1 {
		t.Fatalf("results %+v", r)
	}
}
