package storetest

import (
	"testing"

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
