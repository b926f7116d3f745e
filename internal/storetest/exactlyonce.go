package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Exactly-once: receipts found before anything else, answers whose IDs tell nothing, a crash
// in the middle of a write, and removal checked by the write itself.

func textAnswer(p *voci.Participant, q *voci.Question, key, text string, at time.Time) *voci.Answer {
	a := newAnswer(p, q, key, "", at)
	a.Choices, a.Text, a.Moderation, a.Flags = nil, text, voci.ModerationPending, nil
	return a
}

func testAnswerReceipts(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-rc")
	q := newQuestion(t, s, c, "qrc", 0)
	l := newLive(t, s, c, "live-rc", "313131")
	p := newParticipant(t, s, l, "part-rc")

	_, err := s.FindAnswerReceipt(ctx, p.ID, "rc-key-0001")
	wantCode(t, "receipt of nothing", err, voci.ENOTFOUND)

	first := textAnswer(p, q, "rc-key-0001", "Sunați-mă la 0722 123 456", liveStart)
	first.Moderation, first.Flags = voci.ModerationHeld, []string{"phone"}
	r1, err := s.SaveAnswer(ctx, first)
	if err != nil || r1.Revision != 1 || r1.Replayed {
		t.Fatalf("first save: %+v %v", r1, err)
	}
	second := textAnswer(p, q, "rc-key-0002", "Mai mulți copaci", liveStart.Add(time.Minute))
	r2, err := s.SaveAnswer(ctx, second)
	if err != nil || r2.Revision != 2 || r2.AnswerID != r1.AnswerID {
		t.Fatalf("change: %+v %v", r2, err)
	}
	got, err := s.FindAnswerReceipt(ctx, p.ID, "rc-key-0001")
	if err != nil || got.AnswerID != r1.AnswerID || got.QuestionID != q.ID || got.Revision != 1 ||
		got.Moderation != voci.ModerationHeld || !got.AcceptedAt.Equal(liveStart) || got.IdempotencyKey != "rc-key-0001" {
		t.Fatalf("receipt of the first submission: %+v %v", got, err)
	}
	got, err = s.FindAnswerReceipt(ctx, p.ID, "rc-key-0002")
	if err != nil || got.Revision != 2 || got.Moderation != voci.ModerationPending || !got.AcceptedAt.Equal(liveStart.Add(time.Minute)) {
		t.Fatalf("receipt of the change: %+v %v", got, err)
	}
	// A key is the participant's own: another child's key finds nothing.
	other := newParticipant(t, s, l, "part-rc-2")
	_, err = s.FindAnswerReceipt(ctx, other.ID, "rc-key-0001")
	wantCode(t, "another child's key", err, voci.ENOTFOUND)
	// The held text is gone with its version: only the current text is kept.
	answers, _ := s.ListAnswers(ctx, q.ID)
	if len(answers) != 1 || answers[0].Text != "Mai mulți copaci" || answers[0].Revision != 2 {
		t.Fatalf("answers %+v", answers)
	}
}

func testAnswerKeepsItsFirstID(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-id")
	q := newQuestion(t, s, c, "qid", 0)
	l := newLive(t, s, c, "live-id", "323232")
	p := newParticipant(t, s, l, "part-id")

	first := newAnswer(p, q, "id-key-0001", "swings", liveStart)
	first.ID = "random-first-id"
	if _, err := s.SaveAnswer(ctx, first); err != nil || first.ID != "random-first-id" || first.Revision != 1 {
		t.Fatalf("first: %+v %v", first, err)
	}
	change := newAnswer(p, q, "id-key-0002", "trees", liveStart.Add(time.Second))
	change.ID = "random-other-id"
	r, err := s.SaveAnswer(ctx, change)
	if err != nil || r.AnswerID != "random-first-id" || change.ID != "random-first-id" || change.Revision != 2 || !change.CreatedAt.Equal(liveStart) {
		t.Fatalf("change: %+v %+v %v", r, change, err)
	}
	if _, err := s.FindAnswerByID(ctx, "random-other-id"); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("the ID of a change named an answer: %v", err)
	}

	// Concurrent first answers of one child, each with its own ID and key: one answer, one ID,
	// one revision per submission.
	q2 := newQuestion(t, s, c, "qid2", 1)
	const n = 8
	var wg sync.WaitGroup
	ids := make([]string, n)
	for i := range n {
		wg.Go(func() {
			a := newAnswer(p, q2, fmt.Sprintf("id-race-%04d", i), "swings", liveStart)
			r, err := s.SaveAnswer(ctx, a)
			if err != nil {
				t.Errorf("SaveAnswer: %v", err)
				return
			}
			ids[i] = r.AnswerID
		})
	}
	wg.Wait()
	answers, _ := s.ListAnswers(ctx, q2.ID)
	if len(answers) != 1 || answers[0].Revision != n {
		t.Fatalf("concurrent first answers: %+v", answers)
	}
	for _, id := range ids {
		if id != answers[0].ID {
			t.Fatalf("receipts name %v, the answer is %s", ids, answers[0].ID)
		}
	}
}

// interruptedWriter is a store whose SaveAnswer is, or was in earlier versions, more than one
// write: SaveAnswerInterrupted leaves what a crash after the first write leaves. Adapters
// offer it to their tests only.
type interruptedWriter interface {
	SaveAnswerInterrupted(ctx context.Context, a *voci.Answer) error
}

func testInterruptedAnswerIsStoredByItsRetry(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-cr")
	q := newQuestion(t, s, c, "qcr", 0)
	l := newLive(t, s, c, "live-cr", "333333")
	p := newParticipant(t, s, l, "part-cr")
	crash := func(a *voci.Answer) {
		t.Helper()
		// A store that writes an answer in one transaction or one document has nothing to
		// leave half-written: a crash leaves neither write.
		if w, ok := s.(interruptedWriter); ok {
			if err := w.SaveAnswerInterrupted(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.FindAnswerReceipt(ctx, p.ID, a.IdempotencyKey)
		wantCode(t, "receipt of an interrupted write", err, voci.ENOTFOUND)
	}

	// A first answer.
	crash(newAnswer(p, q, "cr-key-0001", "swings", liveStart))
	r, err := s.SaveAnswer(ctx, newAnswer(p, q, "cr-key-0001", "swings", liveStart.Add(time.Second)))
	if err != nil || r.Replayed || r.Revision != 1 {
		t.Fatalf("retry of an interrupted first answer: %+v %v", r, err)
	}
	got, _ := s.ListAnswers(ctx, q.ID)
	if len(got) != 1 || !slices.Equal(got[0].Choices, []string{"swings"}) {
		t.Fatalf("after the retry: %+v", got)
	}

	// A change (a second revision).
	crash(newAnswer(p, q, "cr-key-0002", "trees", liveStart.Add(time.Minute)))
	r, err = s.SaveAnswer(ctx, newAnswer(p, q, "cr-key-0002", "trees", liveStart.Add(time.Minute+time.Second)))
	if err != nil || r.Replayed || r.Revision != 2 {
		t.Fatalf("retry of an interrupted change: %+v %v", r, err)
	}
	got, _ = s.ListAnswers(ctx, q.ID)
	if len(got) != 1 || !slices.Equal(got[0].Choices, []string{"trees"}) || got[0].Revision != 2 {
		t.Fatalf("after the retry of the change: %+v", got)
	}
	// Acknowledged now: a further retry replays, and the first key does not undo the change.
	for _, key := range []string{"cr-key-0002", "cr-key-0001"} {
		if r, err := s.SaveAnswer(ctx, newAnswer(p, q, key, "swings", liveStart.Add(time.Hour))); err != nil || !r.Replayed {
			t.Fatalf("replay of %s: %+v %v", key, r, err)
		}
	}
	got, _ = s.ListAnswers(ctx, q.ID)
	if !slices.Equal(got[0].Choices, []string{"trees"}) || got[0].Revision != 2 {
		t.Fatalf("a replay changed the answer: %+v", got[0])
	}
}

func testRemovedParticipantCannotAnswer(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-rm")
	q := newQuestion(t, s, c, "qrm", 0)
	l := newLive(t, s, c, "live-rm", "343434")
	p := newParticipant(t, s, l, "part-rm")
	if _, err := s.SaveAnswer(ctx, newAnswer(p, q, "rm-key-0001", "swings", liveStart)); err != nil {
		t.Fatal(err)
	}
	// The copy the child's connection holds says "not removed"; the store knows better.
	stale := *p
	removed := *p
	removed.Removed = true
	if err := s.UpdateParticipant(ctx, &removed, nil); err != nil {
		t.Fatal(err)
	}
	_, err := s.SaveAnswer(ctx, newAnswer(&stale, q, "rm-key-0002", "trees", liveStart.Add(time.Minute)))
	wantCode(t, "a change after the removal", err, voci.EREMOVED)
	q2 := newQuestion(t, s, c, "qrm2", 1)
	_, err = s.SaveAnswer(ctx, newAnswer(&stale, q2, "rm-key-0003", "trees", liveStart.Add(time.Minute)))
	wantCode(t, "a first answer after the removal", err, voci.EREMOVED)
	_, err = s.FindAnswerReceipt(ctx, p.ID, "rm-key-0002")
	wantCode(t, "receipt of a refused answer", err, voci.ENOTFOUND)
	mine, _ := s.ListParticipantAnswers(ctx, p.ID)
	if len(mine) != 1 || !slices.Equal(mine[0].Choices, []string{"swings"}) || mine[0].Revision != 1 {
		t.Fatalf("a removed child's answers changed: %+v", mine)
	}
	// Nor can they react to an idea.
	wantCode(t, "a reaction after the removal", s.SaveReaction(ctx, &voci.IdeaReaction{IdeaID: "idea-1", QuestionID: q.ID, SessionID: l.ID,
		ParticipantID: p.ID, Reaction: voci.ReactAgree, At: liveStart}), voci.EREMOVED)
	// What was answered before stays, and its retry is still acknowledged.
	if r, err := s.SaveAnswer(ctx, newAnswer(&stale, q, "rm-key-0001", "swings", liveStart)); err != nil || !r.Replayed {
		t.Fatalf("replay of an answer given before the removal: %+v %v", r, err)
	}
}

// testRemovalRacingAnswers removes a child while the child's answers are being written. An
// answer acknowledged was stored, and once the removal has returned nothing more is taken.
func testRemovalRacingAnswers(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-rr")
	l := newLive(t, s, c, "live-rr", "353535")
	p := newParticipant(t, s, l, "part-rr")
	const n = 12
	qs := make([]*voci.Question, n)
	for i := range qs {
		qs[i] = newQuestion(t, s, c, fmt.Sprintf("qrr-%02d", i), i)
	}
	start := make(chan struct{})
	receipts := make([]*voci.AnswerReceipt, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			receipts[i], errs[i] = s.SaveAnswer(ctx, newAnswer(p, qs[i], fmt.Sprintf("rr-key-%04d", i), "swings", liveStart))
		})
	}
	wg.Go(func() {
		<-start
		removed := *p
		removed.Removed = true
		if err := s.UpdateParticipant(ctx, &removed, nil); err != nil {
			t.Error(err)
		}
	})
	close(start)
	wg.Wait()
	for i := range n {
		switch {
		case errs[i] == nil:
			if a, err := s.FindAnswerByID(ctx, receipts[i].AnswerID); err != nil || a.QuestionID != qs[i].ID {
				t.Fatalf("acknowledged answer %d not stored: %+v %v", i, a, err)
			}
		case voci.ErrorCode(errs[i]) != voci.EREMOVED:
			t.Fatalf("answer %d: %v", i, errs[i])
		}
	}
	for i := range n {
		_, err := s.SaveAnswer(ctx, newAnswer(p, qs[i], fmt.Sprintf("rr-late-%04d", i), "trees", liveStart.Add(time.Minute)))
		wantCode(t, "an answer after the removal returned", err, voci.EREMOVED)
	}
	// Self-paced and paper answers have no removal to check.
	sp := newAnswer(&voci.Participant{ID: "paper-rr", AgeBand: voci.Age10to12}, qs[0], "paper-"+qs[0].ID, "trees", liveStart)
	sp.Source, sp.SessionID = voci.SourcePaper, ""
	if _, err := s.SaveAnswer(ctx, sp); err != nil {
		t.Fatalf("a paper answer: %v", err)
	}
}
