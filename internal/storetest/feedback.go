package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testFeedback: feedback round-trips with its texts in each language; lists narrow to a
// consultation, a recommendation and what is published; a second version 1 of the same
// recommendation is refused; an update lands only on the revision it was read at, so of two
// concurrent edits exactly one lands and the other gets ECHANGED; a published version is
// never changed again, and a correction is a new version beside it.
func testFeedback(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	_, err := s.FindFeedback(ctx, "fb-none")
	wantCode(t, "missing", err, voci.ENOTFOUND)

	first := &voci.Feedback{ID: "fb-1", RecommendationID: "rec-f1", ConsultationID: "cons-f", Municipality: 20297, Version: 1,
		State: voci.FeedbackDraft, Texts: map[voci.Lang]voci.FeedbackText{
			voci.LangRO: {Text: "Consiliul a hotărât să planteze copaci.", EasyRead: "Vom planta copaci."},
			voci.LangHU: {Text: "A tanács fákat ültet.", EasyRead: ""},
		}, Authors: []string{"cm-1"}, Revision: 1, CreatedAt: at, UpdatedAt: at}
	if err := s.CreateFeedback(ctx, first, nil); err != nil {
		t.Fatal(err)
	}
	dup := *first
	dup.ID = "fb-1b"
	wantCode(t, "second version 1", s.CreateFeedback(ctx, &dup, nil), voci.ECONFLICT)
	other := &voci.Feedback{ID: "fb-2", RecommendationID: "rec-f2", ConsultationID: "cons-g", Municipality: 20297, Version: 1,
		State: voci.FeedbackDraft, Texts: map[voci.Lang]voci.FeedbackText{}, Authors: []string{"co-1"}, Revision: 1, CreatedAt: at, UpdatedAt: at}
	elsewhere := &voci.Feedback{ID: "fb-3", RecommendationID: "rec-f3", ConsultationID: "cons-x", Municipality: 40198, Version: 1,
		State: voci.FeedbackDraft, Texts: map[voci.Lang]voci.FeedbackText{}, Authors: []string{"cm-2"}, Revision: 1, CreatedAt: at, UpdatedAt: at}
	for _, f := range []*voci.Feedback{other, elsewhere} {
		if err := s.CreateFeedback(ctx, f, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.FindFeedback(ctx, "fb-1")
	if err != nil || got.RecommendationID != "rec-f1" || got.ConsultationID != "cons-f" || got.Municipality != 20297 || got.Version != 1 ||
		got.State != voci.FeedbackDraft || got.Texts[voci.LangRO] != first.Texts[voci.LangRO] || got.Texts[voci.LangHU] != first.Texts[voci.LangHU] ||
		len(got.Texts) != 2 || !slices.Equal(got.Authors, []string{"cm-1"}) || got.Revision != 1 || !got.CreatedAt.Equal(at) ||
		!got.SubmittedAt.IsZero() || !got.PublishedAt.IsZero() {
		t.Fatalf("round trip %+v %v", got, err)
	}
	ids := func(fs []*voci.Feedback, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	if got := ids(s.ListFeedback(ctx, voci.FeedbackFilter{Municipality: 20297})); !slices.Equal(got, []string{"fb-1", "fb-2"}) {
		t.Fatalf("municipality's %v", got)
	}
	if got := ids(s.ListFeedback(ctx, voci.FeedbackFilter{Municipality: 20297, ConsultationID: "cons-g"})); !slices.Equal(got, []string{"fb-2"}) {
		t.Fatalf("consultation's %v", got)
	}
	if got := ids(s.ListFeedback(ctx, voci.FeedbackFilter{Municipality: 20297, RecommendationID: "rec-f1"})); !slices.Equal(got, []string{"fb-1"}) {
		t.Fatalf("recommendation's %v", got)
	}
	if got := ids(s.ListFeedback(ctx, voci.FeedbackFilter{Municipality: 20297, PublishedOnly: true})); len(got) != 0 {
		t.Fatalf("published before any is %v", got)
	}

	// Two adults edit the same revision at once: one lands, the other is told.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := *got
			next.Texts = map[voci.Lang]voci.FeedbackText{voci.LangRO: {Text: "Versiunea " + string(rune('A'+i)), EasyRead: "Pe scurt."}}
			next.Revision = 2
			next.UpdatedAt = at.Add(time.Minute)
			errs[i] = s.UpdateFeedback(ctx, &next, nil)
		}()
	}
	wg.Wait()
	landed := 0
	for _, err := range errs {
		switch voci.ErrorCode(err) {
		case "":
			landed++
		case voci.ECHANGED:
		default:
			t.Fatalf("concurrent edit: %v", err)
		}
	}
	if landed != 1 {
		t.Fatalf("%d of two concurrent edits landed: %v", landed, errs)
	}
	cur, err := s.FindFeedback(ctx, "fb-1")
	if err != nil || cur.Revision != 2 || len(cur.Texts) != 1 {
		t.Fatalf("after the edit %+v %v", cur, err)
	}
	gone := *cur
	gone.ID, gone.Revision = "fb-gone", 9
	wantCode(t, "update of none", s.UpdateFeedback(ctx, &gone, nil), voci.ENOTFOUND)

	// Published: kept as it is.
	pub := *cur
	pub.State, pub.ReviewedBy, pub.Revision, pub.PublishedAt, pub.SubmittedAt = voci.FeedbackPublished, "co-1", 3, at.Add(time.Hour), at.Add(30*time.Minute)
	if err := s.UpdateFeedback(ctx, &pub, nil); err != nil {
		t.Fatal(err)
	}
	again := pub
	again.Texts = map[voci.Lang]voci.FeedbackText{voci.LangRO: {Text: "Rescris", EasyRead: "Rescris"}}
	again.Revision = 4
	wantCode(t, "edit of published", s.UpdateFeedback(ctx, &again, nil), voci.EFEEDBACKPUBLISHED)
	kept, err := s.FindFeedback(ctx, "fb-1")
	if err != nil || kept.State != voci.FeedbackPublished || kept.Revision != 3 || kept.Texts[voci.LangRO] != pub.Texts[voci.LangRO] ||
		kept.ReviewedBy != "co-1" || !kept.PublishedAt.Equal(at.Add(time.Hour)) || !kept.SubmittedAt.Equal(at.Add(30*time.Minute)) {
		t.Fatalf("published changed: %+v %v", kept, err)
	}
	correction := &voci.Feedback{ID: "fb-1v2", RecommendationID: "rec-f1", ConsultationID: "cons-f", Municipality: 20297, Version: 2,
		Corrects: "The date of planting.", State: voci.FeedbackDraft, Texts: map[voci.Lang]voci.FeedbackText{}, Authors: []string{"cm-1"},
		Revision: 1, CreatedAt: at.Add(2 * time.Hour), UpdatedAt: at.Add(2 * time.Hour)}
	if err := s.CreateFeedback(ctx, correction, nil); err != nil {
		t.Fatal(err)
	}
	if got := ids(s.ListFeedback(ctx, voci.FeedbackFilter{Municipality: 20297, RecommendationID: "rec-f1"})); !slices.Equal(got, []string{"fb-1", "fb-1v2"}) {
		t.Fatalf("versions %v", got)
	}
	if got := ids(s.ListFeedback(ctx, voci.FeedbackFilter{Municipality: 20297, PublishedOnly: true})); !slices.Equal(got, []string{"fb-1"}) {
		t.Fatalf("published %v", got)
	}
	if v2, err := s.FindFeedback(ctx, "fb-1v2"); err != nil || v2.Corrects != "The date of planting." || v2.Version != 2 {
		t.Fatalf("correction %+v %v", v2, err)
	}
}

// testParticipantLanguages: the languages children of a consultation used, live, self-paced
// and on paper forms that say their language, each once; another consultation's children are
// not counted.
func testParticipantLanguages(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-langs")
	none, err := s.ParticipantLanguages(ctx, c.ID)
	if err != nil || len(none) != 0 {
		t.Fatalf("no children yet: %v %v", none, err)
	}
	l := newLive(t, s, c, "live-langs", "551234")
	newParticipant(t, s, l, "p-langs-1") // English
	newParticipant(t, s, l, "p-langs-2") // English again
	sp := &voci.Participant{ID: "sp-langs-1", ConsultationID: c.ID, TokenHash: voci.SessionID("sp-langs-1"), Alias: "Vulpe Veselă 4",
		Lang: voci.LangHU, JoinedAt: liveStart, UpdatedAt: liveStart}
	if err := s.CreateSelfPacedParticipant(ctx, sp); err != nil {
		t.Fatal(err)
	}
	otherC := newConsultation(t, s, "cons-langs-other")
	otherSP := &voci.Participant{ID: "sp-langs-2", ConsultationID: otherC.ID, TokenHash: voci.SessionID("sp-langs-2"), Alias: "Vulpe Veselă 5",
		Lang: voci.LangRO, JoinedAt: liveStart, UpdatedAt: liveStart}
	if err := s.CreateSelfPacedParticipant(ctx, otherSP); err != nil {
		t.Fatal(err)
	}
	got, err := s.ParticipantLanguages(ctx, c.ID)
	slices.Sort(got)
	if err != nil || !slices.Equal(got, []voci.Lang{voci.LangEN, voci.LangHU}) {
		t.Fatalf("languages %v %v", got, err)
	}
	// Paper forms count in the language they were printed in; one typed in without it does
	// not count, nor another consultation's.
	for i, form := range []struct {
		cons string
		lang voci.Lang
	}{{c.ID, voci.LangRO}, {c.ID, ""}, {otherC.ID, voci.LangEN}, {c.ID, voci.LangRO}} {
		a := &voci.Answer{ID: fmt.Sprintf("paper-lang-%d", i), QuestionID: "q-paper-lang", ConsultationID: form.cons,
			ParticipantID: fmt.Sprintf("paper-langs-%d", i), Municipality: 20297, Source: voci.SourcePaper, Choices: []string{"o1"},
			Lang: form.lang, IdempotencyKey: "paper-q", CreatedAt: liveStart, UpdatedAt: liveStart}
		if _, err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	got, err = s.ParticipantLanguages(ctx, c.ID)
	slices.Sort(got)
	if err != nil || !slices.Equal(got, []voci.Lang{voci.LangEN, voci.LangHU, voci.LangRO}) {
		t.Fatalf("languages with paper forms %v %v", got, err)
	}
	if got, err := s.ParticipantLanguages(ctx, otherC.ID); err != nil || len(got) != 2 {
		t.Fatalf("the other consultation's %v %v", got, err)
	}
}
