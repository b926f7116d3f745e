package voci_test

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

// The feedback rules on a real SQLite file, with a clock the test moves.

type feedbackWorld struct {
	f     *voci.Feedbacks
	p     *voci.Participation
	store *sqlitestore.Store
	mu    sync.Mutex
	now   time.Time
}

func (w *feedbackWorld) set(t time.Time) { w.mu.Lock(); w.now = t; w.mu.Unlock() }

func newFeedbackWorld(t *testing.T) *feedbackWorld {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &feedbackWorld{store: st, now: spFrom}
	clock := func() time.Time { w.mu.Lock(); defer w.mu.Unlock(); return w.now }
	w.p = voci.NewParticipation(st, moderation.New(), 5)
	w.p.Clock = clock
	w.f = voci.NewFeedbacks(st, clock)
	w.f.Results = w.p
	return w
}

// open makes an open consultation answering by answerBy, with n recommendations.
func (w *feedbackWorld) open(t *testing.T, answerBy time.Time, n int) (*voci.Consultation, []*voci.Recommendation) {
	t.Helper()
	ctx := t.Context()
	c := &voci.Consultation{Municipality: 20297, Title: "Parcul nostru", AudienceBody: "Consiliul Local Bacău", AnswerBy: answerBy,
		Modes: []voci.Mode{voci.ModeLive}}
	if err := w.p.CreateConsultation(ctx, "co-1", c, nil); err != nil {
		t.Fatal(err)
	}
	q := &voci.Question{Kind: voci.KindSingle, Prompt: "Ce vrei?", Options: []voci.Option{{Label: "Copaci"}, {Label: "Leagăne"}}}
	if err := w.p.AddQuestion(ctx, c, q, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.p.SetConsultationStatus(ctx, c, voci.StatusOpen, nil); err != nil {
		t.Fatal(err)
	}
	var recs []*voci.Recommendation
	for i := range n {
		r := &voci.Recommendation{ID: voci.RandomID(), Municipality: 20297, Source: voci.SourceConsultation, ConsultationID: c.ID,
			Title: "Recomandarea " + string(rune('A'+i)), AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "cm-1",
			CreatedAt: w.now.Add(time.Duration(i) * time.Second), UpdatedAt: w.now}
		if err := w.store.CreateRecommendation(ctx, r, nil); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return c, recs
}

var complete = map[voci.Lang]voci.FeedbackText{voci.LangRO: {Text: "Consiliul plantează copaci în parc.", EasyRead: "Vom planta copaci."}}

func (w *feedbackWorld) publish(t *testing.T, r *voci.Recommendation, texts map[voci.Lang]voci.FeedbackText) *voci.Feedback {
	t.Helper()
	ctx := t.Context()
	fb, err := w.f.StartFeedback(ctx, r, "cm-1", texts, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if fb, err = w.f.SubmitFeedback(ctx, r, fb, fb.Revision, nil); err != nil {
		t.Fatal(err)
	}
	if fb, err = w.f.PublishFeedback(ctx, r, fb, fb.Revision, "co-1", nil); err != nil {
		t.Fatal(err)
	}
	return fb
}

func TestAnsweredAndOverdueFollowTheClock(t *testing.T) {
	w := newFeedbackWorld(t)
	ctx := t.Context()
	due := spFrom.AddDate(0, 0, 84)
	c, recs := w.open(t, due, 2)
	empty, _ := w.open(t, due, 0)

	st, err := w.f.ConsultationAnswered(ctx, c.ID)
	if err != nil || st.Answered || st.Overdue || st.Recommendations != 2 || !st.DueBy.Equal(due) {
		t.Fatalf("before anything %+v %v", st, err)
	}
	w.set(spFrom.AddDate(0, 0, 10))
	w.publish(t, recs[0], complete)
	if st, _ = w.f.ConsultationAnswered(ctx, c.ID); st.Answered || st.Published != 1 {
		t.Fatalf("one of two answered %+v", st)
	}
	if _, ok, err := w.f.FeedbackPublishedAt(ctx, c.ID); ok || err != nil {
		t.Fatalf("answered with one of two: %v %v", ok, err)
	}
	w.set(due.Add(time.Minute))
	if st, _ = w.f.ConsultationAnswered(ctx, c.ID); !st.Overdue || st.Answered {
		t.Fatalf("past due, unanswered, is not overdue: %+v", st)
	}
	if st, _ = w.f.ConsultationAnswered(ctx, empty.ID); !st.Overdue || st.Answered {
		t.Fatalf("past due without any recommendation is not overdue: %+v", st)
	}
	answeredAt := due.Add(2 * time.Minute)
	w.set(answeredAt)
	w.publish(t, recs[1], complete)
	w.set(due.AddDate(0, 1, 0))
	st, _ = w.f.ConsultationAnswered(ctx, c.ID)
	at, ok, err := w.f.FeedbackPublishedAt(ctx, c.ID)
	if !st.Answered || st.Overdue || !ok || err != nil || !at.Equal(answeredAt) {
		t.Fatalf("answered late: %+v at %v %v %v", st, at, ok, err)
	}
	sts, err := w.f.FeedbackStatuses(ctx, 20297, []voci.Consultation{*c, *empty})
	if err != nil || !sts[c.ID].Answered || !sts[empty.ID].Overdue {
		t.Fatalf("statuses %+v %v", sts, err)
	}
}

func TestSecondAdultPublishes(t *testing.T) {
	w := newFeedbackWorld(t)
	ctx := t.Context()
	_, recs := w.open(t, spFrom.AddDate(0, 3, 0), 1)
	r := recs[0]
	fb, err := w.f.StartFeedback(ctx, r, "cm-1", complete, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.f.StartFeedback(ctx, r, "co-1", complete, "", nil)
	wantErr(t, "second draft", err, voci.ECONFLICT)
	// The coordinator edits it, so the coordinator has written it too.
	if fb, err = w.f.EditFeedback(ctx, fb, fb.Revision, "co-1", complete, nil); err != nil {
		t.Fatal(err)
	}
	_, err = w.f.EditFeedback(ctx, fb, fb.Revision-1, "cm-1", complete, nil)
	wantErr(t, "stale edit", err, voci.ECHANGED)
	_, err = w.f.PublishFeedback(ctx, r, fb, fb.Revision, "cm-2", nil)
	wantErr(t, "publish a draft", err, voci.EWRONGSTATE)
	if fb, err = w.f.SubmitFeedback(ctx, r, fb, fb.Revision, nil); err != nil {
		t.Fatal(err)
	}
	for _, author := range []string{"cm-1", "co-1"} {
		_, err = w.f.PublishFeedback(ctx, r, fb, fb.Revision, author, nil)
		wantErr(t, author+" approves own", err, voci.ESECONDADULT)
	}
	pub, err := w.f.PublishFeedback(ctx, r, fb, fb.Revision, "cm-2", nil)
	if err != nil || pub.State != voci.FeedbackPublished || pub.ReviewedBy != "cm-2" || pub.PublishedAt.IsZero() {
		t.Fatalf("published %+v %v", pub, err)
	}
	_, err = w.f.EditFeedback(ctx, pub, pub.Revision, "cm-1", complete, nil)
	wantErr(t, "edit published", err, voci.EFEEDBACKPUBLISHED)
	_, err = w.f.StartFeedback(ctx, r, "cm-1", complete, "", nil)
	wantErr(t, "correction without saying what", err, voci.EINVALID)
	v2, err := w.f.StartFeedback(ctx, r, "cm-1", complete, "The date of planting was wrong.", nil)
	if err != nil || v2.Version != 2 {
		t.Fatalf("correction %+v %v", v2, err)
	}
}

func TestRequiredLanguagesAreTheChildrens(t *testing.T) {
	w := newFeedbackWorld(t)
	ctx := t.Context()
	c, recs := w.open(t, spFrom.AddDate(0, 3, 0), 1)
	r := recs[0]
	l, err := w.p.StartLiveSession(ctx, c, "fa-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.p.Join(ctx, l.JoinCode, voci.LangHU); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.f.RequiredLanguages(ctx, r); len(got) != 2 || got[0] != voci.LangRO || got[1] != voci.LangHU {
		t.Fatalf("required %v", got)
	}
	fb, err := w.f.StartFeedback(ctx, r, "cm-1", complete, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.f.SubmitFeedback(ctx, r, fb, fb.Revision, nil)
	wantErr(t, "without Hungarian", err, voci.EFEEDBACKINCOMPLETE)
	if !strings.Contains(voci.ErrorMessage(err), "Hungarian") {
		t.Fatalf("the refusal does not name the language: %v", err)
	}
	noEasy := map[voci.Lang]voci.FeedbackText{voci.LangRO: complete[voci.LangRO], voci.LangHU: {Text: "A tanács fákat ültet."}}
	if fb, err = w.f.EditFeedback(ctx, fb, fb.Revision, "cm-1", noEasy, nil); err != nil {
		t.Fatal(err)
	}
	_, err = w.f.SubmitFeedback(ctx, r, fb, fb.Revision, nil)
	wantErr(t, "without Hungarian easy-read", err, voci.EFEEDBACKINCOMPLETE)
	if !strings.Contains(voci.ErrorMessage(err), "easy-read text in Hungarian") {
		t.Fatalf("the refusal does not name the easy-read: %v", err)
	}
	_, err = w.f.StartFeedback(ctx, r, "cm-1", map[voci.Lang]voci.FeedbackText{"de": {Text: "x"}}, "", nil)
	wantErr(t, "unknown language", err, voci.EINVALID)
}

func TestPublicCounts(t *testing.T) {
	hidden, shown := voci.PublicCounts([]int{3, 1}, 4, 1, 5)
	if shown || !hidden[0] || !hidden[1] {
		t.Fatalf("fewer than k answered: %v %v", hidden, shown)
	}
	hidden, shown = voci.PublicCounts([]int{12, 3, 7}, 22, 1, 5)
	if !shown || !hidden[1] || !hidden[2] || hidden[0] {
		t.Fatalf("one small cell needs a complement: %v", hidden)
	}
	hidden, _ = voci.PublicCounts([]int{12, 0, 7}, 19, 1, 5)
	if hidden[0] || hidden[1] || hidden[2] {
		t.Fatalf("nothing small: %v", hidden)
	}
}

func TestOfferAnswerBy(t *testing.T) {
	c := &voci.Consultation{SelfPacedUntil: spUntil}
	voci.OfferAnswerBy(c, voci.DefaultFeedbackDeadlineDays)
	if !c.AnswerBy.Equal(spUntil.AddDate(0, 0, 84)) {
		t.Fatalf("offered %v", c.AnswerBy)
	}
	chosen := spUntil.AddDate(0, 1, 0)
	c = &voci.Consultation{SelfPacedUntil: spUntil, AnswerBy: chosen}
	if voci.OfferAnswerBy(c, 84); !c.AnswerBy.Equal(chosen) {
		t.Fatal("the municipality's choice was replaced")
	}
}

func wantErr(t *testing.T, what string, err error, code string) {
	t.Helper()
	if voci.ErrorCode(err) != code {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
}
