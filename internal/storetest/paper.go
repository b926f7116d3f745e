package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testDeletePaperForm: a paper form's answers go together, receipts included (so the form can
// be typed in again under its key), with exactly one audit entry; another form, another
// consultation's answers under the same participant and a missing form are left alone and
// write no entry.
func testDeletePaperForm(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-pf")
	other := newConsultation(t, s, "cons-pf-2")
	q1 := newQuestion(t, s, c, "q-pf-1", 0)
	q2 := newQuestion(t, s, c, "q-pf-2", 1)
	qo := newQuestion(t, s, other, "q-pf-o", 0)
	paper := func(participant string, q *voci.Question, choice string) *voci.Answer {
		a := selfPacedAnswer(&voci.Participant{ID: participant}, q, "paper-"+q.ID, choice)
		a.Source = voci.SourcePaper
		if _, err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	paper("paper-one", q1, "swings")
	paper("paper-one", q2, "trees")
	paper("paper-one", qo, "trees") // the same participant ID in another consultation
	kept := paper("paper-two", q1, "trees")

	n, err := s.DeletePaperForm(ctx, c.ID, "paper-one", auditEntry("au-pf-1", "paper_form.remove", c.ID))
	if err != nil || n != 2 {
		t.Fatalf("delete: %d %v", n, err)
	}
	left, err := s.ListParticipantAnswers(ctx, "paper-one")
	if err != nil || len(left) != 1 || left[0].QuestionID != qo.ID {
		t.Fatalf("left of the form: %+v %v", left, err)
	}
	if _, err := s.FindAnswerByID(ctx, kept.ID); err != nil {
		t.Fatalf("the other form: %v", err)
	}
	if _, err := s.FindAnswerReceipt(ctx, "paper-one", "paper-"+q1.ID); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("the removed form's receipt: %v", err)
	}
	// Typed in again under its key: stored anew, not replayed.
	again := selfPacedAnswer(&voci.Participant{ID: "paper-one"}, q1, "paper-"+q1.ID, "trees")
	again.ID, again.Source = "answer-again", voci.SourcePaper
	if r, err := s.SaveAnswer(ctx, again); err != nil || r.Replayed {
		t.Fatalf("typed in again: %+v %v", r, err)
	}
	_, err = s.DeletePaperForm(ctx, c.ID, "paper-none", auditEntry("au-pf-x", "paper_form.remove", c.ID))
	wantCode(t, "a missing form", err, voci.ENOTFOUND)

	for range 2 {
		if _, err := s.CompletePendingAudit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	entries, _, err := s.FindAudit(ctx, voci.AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	if len(ids) != 1 || ids[0] != "au-pf-1" {
		t.Fatalf("audit trail %v, want [au-pf-1]", ids)
	}
}

// testPaperFormEntries: a sitting lists the entries of the adult who typed them, by number,
// never another adult's, another sitting's or another consultation's; saving an entry again
// keeps the first; the limit holds; removing the form removes its entry and leaves the others.
func testPaperFormEntries(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-pfe")
	other := newConsultation(t, s, "cons-pfe-2")
	q := newQuestion(t, s, c, "q-pfe-1", 0)
	at := liveStart
	entry := func(cons *voci.Consultation, key, participant, by, sitting string, n int) *voci.PaperFormEntry {
		at = at.Add(time.Second)
		e := &voci.PaperFormEntry{ConsultationID: cons.ID, Key: key, ParticipantID: participant, Municipality: cons.Municipality,
			EnteredBy: by, Sitting: sitting, Number: n, Lang: voci.LangHU, CreatedAt: at}
		if err := s.SavePaperFormEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	third := entry(c, "form-key-3", "paper-3", "acct-ana", "sitting-1", 3)
	first := entry(c, "form-key-1", "paper-1", "acct-ana", "sitting-1", 1)
	entry(c, "form-key-2", "paper-2", "acct-ana", "sitting-1", 2)
	entry(c, "form-key-b", "paper-b", "acct-bob", "sitting-1", 4)     // another adult
	entry(c, "form-key-o", "paper-o", "acct-ana", "sitting-2", 1)     // another sitting
	entry(other, "form-key-x", "paper-x", "acct-ana", "sitting-1", 5) // another consultation
	// Saved again (a retry) under the same key: the first entry stays.
	entry(c, "form-key-1", "paper-1", "acct-bob", "sitting-9", 7)

	list, err := s.ListPaperFormEntries(ctx, c.ID, "acct-ana", "sitting-1", 10)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range list {
		keys = append(keys, e.Key)
	}
	if strings.Join(keys, ",") != "form-key-1,form-key-2,form-key-3" {
		t.Fatalf("the sitting lists %v", keys)
	}
	if got := list[0]; got.ParticipantID != first.ParticipantID || got.Number != 1 || got.EnteredBy != "acct-ana" ||
		got.Sitting != "sitting-1" || got.Municipality != c.Municipality || got.Lang != voci.LangHU || !got.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("the first entry came back as %+v, want %+v", got, first)
	}
	if list, err := s.ListPaperFormEntries(ctx, c.ID, "acct-ana", "sitting-1", 2); err != nil || len(list) != 2 {
		t.Fatalf("limit 2: %d %v", len(list), err)
	}
	if list, err := s.ListPaperFormEntries(ctx, c.ID, "acct-bob", "sitting-9", 10); err != nil || len(list) != 0 {
		t.Fatalf("the retry's sitting: %+v %v", list, err)
	}

	// The third form's answer, then its removal: the entry goes with it.
	a := selfPacedAnswer(&voci.Participant{ID: third.ParticipantID}, q, "paper-"+q.ID, "swings")
	a.Source = voci.SourcePaper
	if _, err := s.SaveAnswer(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeletePaperForm(ctx, c.ID, third.ParticipantID, nil); err != nil {
		t.Fatal(err)
	}
	list, err = s.ListPaperFormEntries(ctx, c.ID, "acct-ana", "sitting-1", 10)
	if err != nil || len(list) != 2 || list[1].Key != "form-key-2" {
		t.Fatalf("after the removal: %+v %v", list, err)
	}
	// Typed in again, corrected, under its key and number: listed again.
	entry(c, third.Key, third.ParticipantID, "acct-ana", "sitting-1", 3)
	if list, err := s.ListPaperFormEntries(ctx, c.ID, "acct-ana", "sitting-1", 10); err != nil || len(list) != 3 || list[2].Key != third.Key {
		t.Fatalf("typed in again: %+v %v", list, err)
	}
}
