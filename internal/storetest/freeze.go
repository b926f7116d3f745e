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

// The freeze contract: an answer checked against an unfrozen question freezes it in the
// store's write, and only if the question is still at the revision it was checked against; a
// question's wordings are kept and answers counted by the one they answered; a change and its
// audit entry are stored together.

func selfPacedAnswer(p *voci.Participant, q *voci.Question, key, choice string) *voci.Answer {
	return &voci.Answer{ID: "answer-" + p.ID + "-" + q.ID, QuestionID: q.ID, ConsultationID: q.ConsultationID, ParticipantID: p.ID,
		Municipality: q.Municipality, Source: voci.SourceSelfPaced, Choices: []string{choice}, IdempotencyKey: key,
		CreatedAt: liveStart, UpdatedAt: liveStart, PromptVersion: q.PromptVersion}
}

func testFreezeWithFirstAnswer(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-fz")
	q := newQuestion(t, s, c, "q-fz", 0)
	child := newSelfPacedParticipant(t, s, c, "sp-fz-1")
	other := newSelfPacedParticipant(t, s, c, "sp-fz-2")

	// The options change after the child's answer was checked: nothing is written.
	edited := *q
	edited.Options, edited.Revision = []voci.Option{{ID: "pond", Label: "A pond"}, {ID: "trees", Label: "Trees"}}, 2
	if err := s.UpdateQuestion(ctx, &edited, nil); err != nil {
		t.Fatal(err)
	}
	stale := selfPacedAnswer(child, q, "key-fz-0001", "swings")
	stale.FreezeQuestionAt = 1
	_, err := s.SaveAnswer(ctx, stale)
	wantCode(t, "an answer checked against the old options", err, voci.EQUESTIONCHANGED)
	if _, err := s.FindAnswerByID(ctx, stale.ID); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("the refused answer was stored: %v", err)
	}
	if got, _ := s.FindQuestionByID(ctx, q.ID); got.Frozen {
		t.Fatal("a refused answer froze the question")
	}

	// Checked against the current revision: stored, and the question frozen with it.
	fresh := selfPacedAnswer(child, &edited, "key-fz-0002", "pond")
	fresh.FreezeQuestionAt = 2
	if _, err := s.SaveAnswer(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	got, _ := s.FindQuestionByID(ctx, q.ID)
	if !got.Frozen || got.Revision != 2 {
		t.Fatalf("after the first answer: frozen %v revision %d", got.Frozen, got.Revision)
	}
	// A second first answer checked at the same revision freezes nothing new and is stored.
	second := selfPacedAnswer(other, &edited, "key-fz-0003", "trees")
	second.FreezeQuestionAt = 2
	if _, err := s.SaveAnswer(ctx, second); err != nil {
		t.Fatal(err)
	}
	// The reshape decided on the unfrozen question is refused.
	reshape := edited
	reshape.Options, reshape.Revision = reshape.Options[:1], 3
	reshape.Options = append(reshape.Options, voci.Option{ID: "bench", Label: "Benches"})
	wantCode(t, "reshape after the first answer", s.UpdateQuestion(ctx, &reshape, nil), voci.EQUESTIONCHANGED)
}

// testFreezeRace changes a question's options while the first self-paced answers arrive, with
// the domain's rules on the real store: no answer may be stored with options the question
// does not have.
func testFreezeRace(t *testing.T, s voci.Store) {
	ctx := t.Context()
	p := voci.NewParticipation(s, nil, voci.DefaultK)
	p.Clock = func() time.Time { return liveStart.Add(time.Hour) }
	c := newConsultation(t, s, "cons-race")
	c.Status = voci.StatusOpen
	if err := s.UpdateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	q := &voci.Question{Kind: voci.KindSingle, Prompt: "Which do you prefer?", Options: []voci.Option{{Label: "Swings"}, {Label: "Trees"}}}
	if err := p.AddQuestion(ctx, c, q, nil); err != nil {
		t.Fatal(err)
	}
	const children = 24
	parts := make([]*voci.Participant, children)
	for i := range parts {
		parts[i] = newSelfPacedParticipant(t, s, c, fmt.Sprintf("sp-race-%02d", i))
	}

	var wg sync.WaitGroup
	start := make(chan struct{})
	edits := 0
	wg.Go(func() {
		<-start
		// Keep renaming the options (new labels get new IDs) until the question is frozen.
		for i := 0; ; i++ {
			cur, err := s.FindQuestionByID(ctx, q.ID)
			if err != nil {
				t.Error(err)
				return
			}
			next := voci.Question{Kind: voci.KindSingle, Prompt: cur.Prompt,
				Options: []voci.Option{{Label: fmt.Sprintf("Swings %d", i)}, {Label: fmt.Sprintf("Trees %d", i)}}}
			_, err = p.UpdateQuestion(ctx, cur, next, nil)
			if voci.ErrorCode(err) == voci.EFROZEN {
				return
			}
			if err != nil && voci.ErrorCode(err) != voci.EQUESTIONCHANGED {
				t.Error(err)
				return
			}
			edits++
		}
	})
	errs := make([]error, children)
	for i, part := range parts {
		wg.Go(func() {
			<-start
			// The child's page shows the question as it was read; the answer picks its first option.
			for attempt := 0; attempt < 50; attempt++ {
				seen, err := s.FindQuestionByID(ctx, q.ID)
				if err != nil {
					errs[i] = err
					return
				}
				_, _, err = p.SubmitSelfPacedAnswer(ctx, voci.SelfPacedSubmission{Consultation: c, Participant: part, QuestionID: q.ID,
					Input: voci.AnswerInput{Choices: []string{seen.Options[0].ID}}, IdempotencyKey: fmt.Sprintf("race-key-%02d-%02d", i, attempt)})
				// An option renamed meanwhile is refused, as a page showing old options would be.
				if voci.ErrorCode(err) == voci.EOPTIONUNKNOWN {
					continue
				}
				errs[i] = err
				return
			}
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("child %d: %v", i, err)
		}
	}
	final, err := s.FindQuestionByID(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !final.Frozen {
		t.Fatal("the question is not frozen after its answers")
	}
	answers, err := s.ListAnswers(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != children {
		t.Fatalf("%d answers stored, want %d", len(answers), children)
	}
	for _, a := range answers {
		for _, ch := range a.Choices {
			if _, ok := final.Option(ch); !ok {
				t.Fatalf("answer %s stored with option %q, which the question (%v) does not have; %d edits", a.ID, ch, final.Options, edits)
			}
		}
	}
	counts, err := s.CountAnswers(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := voci.TallyCounts(final, counts, nil, voci.DefaultK)
	total := 0
	for _, o := range r.Options {
		total += o.Count
	}
	if total != children {
		t.Fatalf("results count %d choices among the options, want %d", total, children)
	}
}

func testPromptVersionCounts(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-pv")
	q := newQuestion(t, s, c, "q-pv", 0)
	if err := s.FreezeQuestion(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		part := newSelfPacedParticipant(t, s, c, fmt.Sprintf("sp-pv-%d", i))
		a := selfPacedAnswer(part, q, fmt.Sprintf("key-pv-%04d", i), "swings")
		if i >= 4 {
			a.PromptVersion = 2
		}
		if _, err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := s.CountAnswersByPromptVersion(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts[1] != 4 || counts[2] != 3 || len(counts) != 2 {
		t.Fatalf("counts by wording %v, want map[1:4 2:3]", counts)
	}
}

func auditEntry(id, action, objectID string) *voci.AuditEntry {
	return &voci.AuditEntry{ID: id, At: liveStart, ActorID: "acct-1", ActorEmail: "ana@example.org", ActorRole: voci.RoleFacilitator,
		Municipality: 20297, Action: action, ObjectType: "question", ObjectID: objectID, RequestID: "req-" + id}
}

// testAuditWrittenWithChange: each audited consultation and question write leaves exactly one
// entry in the trail once pending entries are completed, however often completion runs; a
// change refused leaves none.
func testAuditWrittenWithChange(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := &voci.Consultation{ID: "cons-au", Municipality: 20297, Title: "Our park", Status: voci.StatusDraft, CreatedBy: "acct-1",
		CreatedAt: liveStart, UpdatedAt: liveStart}
	if err := s.CreateConsultation(ctx, c, auditEntry("au-1", "consultation.create", c.ID)); err != nil {
		t.Fatal(err)
	}
	c.Title = "Our new park"
	if err := s.UpdateConsultation(ctx, c, auditEntry("au-2", "consultation.update", c.ID)); err != nil {
		t.Fatal(err)
	}
	q := &voci.Question{ID: "q-au", ConsultationID: c.ID, Municipality: 20297, Kind: voci.KindShortText, Prompt: "What is missing?",
		Revision: 1, PromptVersion: 1, CreatedAt: liveStart, UpdatedAt: liveStart}
	if err := s.CreateQuestion(ctx, q, auditEntry("au-3", "question.create", q.ID)); err != nil {
		t.Fatal(err)
	}
	q2 := *q
	q2.ID = "q-au-2"
	if err := s.CreateQuestion(ctx, &q2, auditEntry("au-4", "question.create", q2.ID)); err != nil {
		t.Fatal(err)
	}
	q.Prompt, q.Revision = "What is missing in the park?", 2
	if err := s.UpdateQuestion(ctx, q, auditEntry("au-5", "question.update", q.ID)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetQuestionPositions(ctx, c.ID, []string{q2.ID, q.ID}, auditEntry("au-6", "question.reorder", c.ID)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteQuestion(ctx, q2.ID, auditEntry("au-7", "question.delete", q2.ID)); err != nil {
		t.Fatal(err)
	}
	// Refused changes leave no entry.
	wantCode(t, "stale update", s.UpdateQuestion(ctx, q, auditEntry("au-x1", "question.update", q.ID)), voci.EQUESTIONCHANGED)
	if err := s.FreezeQuestion(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "delete frozen", s.DeleteQuestion(ctx, q.ID, auditEntry("au-x2", "question.delete", q.ID)), voci.EQUESTIONCHANGED)
	wantCode(t, "update missing", s.UpdateConsultation(ctx, &voci.Consultation{ID: "nope"}, auditEntry("au-x3", "consultation.update", "nope")), voci.ENOTFOUND)

	// A paper form's entry goes with its first answer; a replay writes none.
	part := newSelfPacedParticipant(t, s, c, "sp-au")
	withEntry := selfPacedAnswer(part, q, "key-au-0001", "")
	withEntry.Choices, withEntry.Text, withEntry.Moderation = nil, "More trees", voci.ModerationPending
	withEntry.Audit = auditEntry("au-8", "paper_form.record", c.ID)
	if _, err := s.SaveAnswer(ctx, withEntry); err != nil {
		t.Fatal(err)
	}
	replay := *withEntry
	replay.Audit = auditEntry("au-x4", "paper_form.record", c.ID)
	if r, err := s.SaveAnswer(ctx, &replay); err != nil || !r.Replayed {
		t.Fatalf("replay: %+v %v", r, err)
	}

	for range 2 {
		if _, err := s.CompletePendingAudit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	entries, total, err := s.FindAudit(ctx, voci.AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	if want := []string{"au-1", "au-2", "au-3", "au-4", "au-5", "au-6", "au-7", "au-8"}; total != len(want) || !slices.Equal(ids, want) {
		t.Fatalf("audit trail %v (%d), want %v", ids, total, want)
	}
	// The deleted question is gone, the others are read as before.
	if _, err := s.FindQuestionByID(ctx, q2.ID); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("deleted question: %v", err)
	}
	qs, err := s.ListQuestions(ctx, c.ID)
	if err != nil || len(qs) != 1 || qs[0].ID != q.ID || qs[0].Prompt != q.Prompt {
		t.Fatalf("questions after the changes: %+v %v", qs, err)
	}
	got, err := s.FindConsultationByID(ctx, c.ID)
	if err != nil || got.Title != "Our new park" {
		t.Fatalf("consultation after the changes: %+v %v", got, err)
	}
}

// editBeforeSave is the real store, with one edit run just before the first answer is saved:
// the interleaving the race test may or may not hit, made certain.
type editBeforeSave struct {
	voci.Store
	once sync.Once
	edit func()
}

func (s *editBeforeSave) SaveAnswer(ctx context.Context, a *voci.Answer) (*voci.AnswerReceipt, error) {
	s.once.Do(s.edit)
	return s.Store.SaveAnswer(ctx, a)
}

// testFreezeInterleaved: the options change after a first answer was checked and before it
// is stored. The answer is checked again against the new options and refused; nothing is
// stored with the old ones.
func testFreezeInterleaved(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-il")
	c.Status = voci.StatusOpen
	if err := s.UpdateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	real := voci.NewParticipation(s, nil, voci.DefaultK)
	q := &voci.Question{Kind: voci.KindSingle, Prompt: "Which do you prefer?", Options: []voci.Option{{Label: "Swings"}, {Label: "Trees"}}}
	if err := real.AddQuestion(ctx, c, q, nil); err != nil {
		t.Fatal(err)
	}
	old := q.Options[0].ID
	wrapped := &editBeforeSave{Store: s, edit: func() {
		if _, err := real.UpdateQuestion(ctx, q, voci.Question{Kind: voci.KindSingle, Prompt: q.Prompt,
			Options: []voci.Option{{Label: "A pond"}, {Label: "Benches"}}}, nil); err != nil {
			t.Errorf("edit: %v", err)
		}
	}}
	p := voci.NewParticipation(wrapped, nil, voci.DefaultK)
	p.Clock = func() time.Time { return liveStart.Add(time.Hour) }
	child := newSelfPacedParticipant(t, s, c, "sp-il")
	_, _, err := p.SubmitSelfPacedAnswer(ctx, voci.SelfPacedSubmission{Consultation: c, Participant: child, QuestionID: q.ID,
		Input: voci.AnswerInput{Choices: []string{old}}, IdempotencyKey: "key-il-0001"})
	wantCode(t, "an answer checked against options changed before it was stored", err, voci.EOPTIONUNKNOWN)
	if answers, _ := s.ListAnswers(ctx, q.ID); len(answers) != 0 {
		t.Fatalf("stored %+v", answers)
	}
	now, _ := s.FindQuestionByID(ctx, q.ID)
	if now.Frozen || now.Options[0].Label != "A pond" {
		t.Fatalf("question after the refused answer: %+v", now)
	}
	_, a, err := p.SubmitSelfPacedAnswer(ctx, voci.SelfPacedSubmission{Consultation: c, Participant: child, QuestionID: q.ID,
		Input: voci.AnswerInput{Choices: []string{now.Options[0].ID}}, IdempotencyKey: "key-il-0002"})
	if err != nil {
		t.Fatal(err)
	}
	if now, _ = s.FindQuestionByID(ctx, q.ID); !now.Frozen || a.PromptVersion != 1 {
		t.Fatalf("after the first answer: frozen %v, answer's wording %d", now.Frozen, a.PromptVersion)
	}
}
