package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testThemes: a theme round-trips with its items and quotes; a consultation lists its own,
// oldest first; an update applies only on the revision it was read at, so of two concurrent
// updates from one revision exactly one lands and the other gets ECHANGED and writes nothing.
func testThemes(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	_, err := s.FindTheme(ctx, "th-none")
	wantCode(t, "missing", err, voci.ENOTFOUND)

	first := &voci.Theme{ID: "th-1", Municipality: 20297, ConsultationID: "cons-t", Title: "Shade", Summary: "Trees by the playground.",
		Items:  []voci.ThemeItem{{AnswerID: "ans-1", QuestionID: "q-1"}, {QuestionID: "q-2", OptionID: "trees"}},
		Quotes: []voci.Quote{{AnswerID: "ans-1", Text: "More trees, please"}}, Revision: 1, CreatedBy: "cm-1", CreatedAt: at, UpdatedAt: at}
	if err := s.CreateTheme(ctx, first, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "duplicate", s.CreateTheme(ctx, first, nil), voci.ECONFLICT)
	second := &voci.Theme{ID: "th-2", Municipality: 20297, ConsultationID: "cons-t", Title: "Water", Items: []voci.ThemeItem{},
		Quotes: []voci.Quote{}, Revision: 1, CreatedBy: "cm-1", CreatedAt: at.Add(time.Minute), UpdatedAt: at.Add(time.Minute)}
	other := &voci.Theme{ID: "th-3", Municipality: 20297, ConsultationID: "cons-u", Title: "Elsewhere", Revision: 1,
		CreatedBy: "cm-1", CreatedAt: at, UpdatedAt: at}
	for _, th := range []*voci.Theme{second, other} {
		if err := s.CreateTheme(ctx, th, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.FindTheme(ctx, "th-1")
	if err != nil || got.Municipality != 20297 || got.ConsultationID != "cons-t" || got.Title != "Shade" || got.Summary != first.Summary ||
		!slices.Equal(got.Items, first.Items) || !slices.Equal(got.Quotes, first.Quotes) || got.Revision != 1 || got.CreatedBy != "cm-1" ||
		!got.CreatedAt.Equal(at) || !got.UpdatedAt.Equal(at) {
		t.Fatalf("round trip %+v %v", got, err)
	}
	list, err := s.ListThemes(ctx, "cons-t")
	if err != nil || len(list) != 2 || list[0].ID != "th-1" || list[1].ID != "th-2" || len(list[1].Items) != 0 || len(list[1].Quotes) != 0 {
		t.Fatalf("list %+v %v", list, err)
	}
	if none, err := s.ListThemes(ctx, "cons-none"); err != nil || len(none) != 0 {
		t.Fatalf("no themes: %+v %v", none, err)
	}
	// The municipality's themes, of every consultation, oldest first.
	in, err := s.ListThemesIn(ctx, 20297)
	if err != nil || len(in) != 3 || in[0].ID != "th-1" || in[1].ID != "th-3" || in[2].ID != "th-2" ||
		!slices.Equal(in[0].Items, first.Items) || !slices.Equal(in[0].Quotes, first.Quotes) || in[1].ConsultationID != "cons-u" {
		t.Fatalf("themes of the municipality %+v %v", in, err)
	}
	if none, err := s.ListThemesIn(ctx, 12345); err != nil || len(none) != 0 {
		t.Fatalf("themes of another municipality: %+v %v", none, err)
	}

	// Two reviewers read revision 1 and both write revision 2: one lands, one is told.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th := *got
			th.Title = []string{"Shade and benches", "Shade and water"}[i]
			th.Items = append(slices.Clone(got.Items), voci.ThemeItem{AnswerID: []string{"ans-7", "ans-8"}[i], QuestionID: "q-1"})
			th.Revision, th.UpdatedAt = 2, at.Add(time.Hour)
			errs[i] = s.UpdateTheme(ctx, &th, nil)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("exactly one update should land: %v, %v", errs[0], errs[1])
	}
	winner := 0
	if errs[0] != nil {
		wantCode(t, "later update", errs[0], voci.ECHANGED)
		winner = 1
	} else {
		wantCode(t, "later update", errs[1], voci.ECHANGED)
	}
	after, err := s.FindTheme(ctx, "th-1")
	if err != nil || after.Revision != 2 || after.Title != []string{"Shade and benches", "Shade and water"}[winner] || len(after.Items) != 3 ||
		after.Items[2].AnswerID != []string{"ans-7", "ans-8"}[winner] || !after.UpdatedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("after update %+v %v", after, err)
	}
	gone := *after
	gone.ID, gone.Revision = "th-none", 2
	wantCode(t, "update of a missing one", s.UpdateTheme(ctx, &gone, nil), voci.ENOTFOUND)

	// A theme is deleted at the revision read, and only while no recommendation of its
	// consultation draws on it; a refused deletion writes nothing.
	rec := &voci.Recommendation{ID: "rec-th", Municipality: 20297, Source: voci.SourceConsultation, ConsultationID: "cons-t",
		ThemeIDs: []string{"th-2", "th-1"}, Title: "Shade first", AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "cm-1",
		CreatedAt: at, UpdatedAt: at}
	if err := s.CreateRecommendation(ctx, rec, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "delete at an old revision", s.DeleteTheme(ctx, "th-1", 1, nil), voci.ECHANGED)
	wantCode(t, "delete of a cited theme", s.DeleteTheme(ctx, "th-1", 2, nil), voci.ETHEMEINUSE)
	if still, err := s.FindTheme(ctx, "th-1"); err != nil || still.Revision != 2 {
		t.Fatalf("a refused deletion kept %+v %v", still, err)
	}
	wantCode(t, "delete of a missing one", s.DeleteTheme(ctx, "th-none", 1, nil), voci.ENOTFOUND)
	// Taken out of the recommendation, it goes; the other consultation's theme stays.
	rec.ThemeIDs, rec.Revision = []string{"th-2"}, 2
	if err := s.UpdateRecommendation(ctx, rec, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTheme(ctx, "th-1", 2, nil); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindTheme(ctx, "th-1")
	wantCode(t, "deleted", err, voci.ENOTFOUND)
	wantCode(t, "deleted twice", s.DeleteTheme(ctx, "th-1", 2, nil), voci.ENOTFOUND)
	if list, err := s.ListThemes(ctx, "cons-t"); err != nil || len(list) != 1 || list[0].ID != "th-2" {
		t.Fatalf("after deletion %+v %v", list, err)
	}
	if in, err := s.ListThemesIn(ctx, 20297); err != nil || len(in) != 2 {
		t.Fatalf("municipality's after deletion %+v %v", in, err)
	}
	wantCode(t, "update of a deleted one", s.UpdateTheme(ctx, after, nil), voci.ENOTFOUND)
}

// testApprovedTexts: the review workspace lists a consultation's approved texts only (never
// held, pending or rejected ones, nor option answers), oldest first, narrowed by question,
// channel, age band, session and folded words, a page at a time with the total matched.
func testApprovedTexts(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-rv")
	other := newConsultation(t, s, "cons-rv-2")
	qt := &voci.Question{ID: "q-rv-t", ConsultationID: c.ID, Municipality: c.Municipality, Kind: voci.KindShortText, Prompt: "Your idea?", CreatedAt: liveStart, UpdatedAt: liveStart}
	qt2 := &voci.Question{ID: "q-rv-t2", ConsultationID: c.ID, Municipality: c.Municipality, Kind: voci.KindShortText, Prompt: "And?", Position: 1, CreatedAt: liveStart, UpdatedAt: liveStart}
	qo := &voci.Question{ID: "q-rv-o", ConsultationID: other.ID, Municipality: other.Municipality, Kind: voci.KindShortText, Prompt: "Other?", CreatedAt: liveStart, UpdatedAt: liveStart}
	for _, q := range []*voci.Question{qt, qt2, qo} {
		if err := s.CreateQuestion(ctx, q, nil); err != nil {
			t.Fatal(err)
		}
	}
	qc := newQuestion(t, s, c, "q-rv-c", 2)
	l := newLive(t, s, c, "live-rv", "444555")
	n := 0
	text := func(q *voci.Question, src voci.AnswerSource, band voci.AgeBand, session, words string, m voci.ModerationState) *voci.Answer {
		n++
		p := &voci.Participant{ID: "p-rv-" + time.Duration(n).String(), SessionID: session}
		a := newAnswer(p, q, "key-rv", "", liveStart.Add(time.Duration(n)*time.Second))
		a.Choices, a.Text, a.Moderation, a.Source, a.AgeBand = nil, words, m, src, band
		if _, err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	a1 := text(qt, voci.SourceLive, voci.Age10to12, l.ID, "Mai mulți copaci în parc", voci.ModerationApproved)
	text(qt, voci.SourceLive, voci.Age10to12, l.ID, "call me 0722 123 456", voci.ModerationHeld)
	text(qt, voci.SourceLive, voci.Age10to12, l.ID, "pending words copaci", voci.ModerationPending)
	rejected := text(qt, voci.SourceLive, voci.Age10to12, l.ID, "rejected copaci", voci.ModerationRejected)
	a5 := text(qt, voci.SourceSelfPaced, voci.Age13to15, "", "O fântână cu apă și COPACI", voci.ModerationApproved)
	a6 := text(qt2, voci.SourcePaper, voci.Age13to15, "", "Bănci la umbră", voci.ModerationApproved)
	text(qo, voci.SourceLive, voci.Age10to12, "", "copaci elsewhere", voci.ModerationApproved)
	choice := newAnswer(&voci.Participant{ID: "p-rv-choice", SessionID: l.ID}, qc, "key-rv-c", "trees", liveStart)
	if _, err := s.SaveAnswer(ctx, choice); err != nil {
		t.Fatal(err)
	}

	ids := func(ts []voci.ReviewText) []string {
		out := []string{}
		for _, x := range ts {
			out = append(out, x.AnswerID)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		f     voci.ReviewTextFilter
		want  []string
		total int
	}{
		{"all", voci.ReviewTextFilter{}, []string{a1.ID, a5.ID, a6.ID}, 3},
		{"question", voci.ReviewTextFilter{QuestionID: qt2.ID}, []string{a6.ID}, 1},
		{"channel", voci.ReviewTextFilter{Source: voci.SourceSelfPaced}, []string{a5.ID}, 1},
		{"age band", voci.ReviewTextFilter{AgeBand: voci.Age13to15}, []string{a5.ID, a6.ID}, 2},
		{"session", voci.ReviewTextFilter{SessionID: l.ID}, []string{a1.ID}, 1},
		{"words folded", voci.ReviewTextFilter{Words: "copaci"}, []string{a1.ID, a5.ID}, 2},
		{"words without diacritics", voci.ReviewTextFilter{Words: "fantana apa"}, []string{a5.ID}, 1},
		{"words with diacritics", voci.ReviewTextFilter{Words: "BĂNCI"}, []string{a6.ID}, 1},
		{"page", voci.ReviewTextFilter{Offset: 1, Limit: 1}, []string{a5.ID}, 3},
		{"page of a search", voci.ReviewTextFilter{Words: "copaci", Offset: 1, Limit: 1}, []string{a5.ID}, 2},
		{"past the end", voci.ReviewTextFilter{Offset: 5, Limit: 2}, []string{}, 3},
	} {
		tc.f.ConsultationID = c.ID
		got, total, err := s.ListApprovedTexts(ctx, tc.f)
		if err != nil || !slices.Equal(ids(got), tc.want) || total != tc.total {
			t.Errorf("%s: %v (%d) %v, want %v (%d)", tc.name, ids(got), total, err, tc.want, tc.total)
		}
	}
	got, _, err := s.ListApprovedTexts(ctx, voci.ReviewTextFilter{ConsultationID: c.ID, QuestionID: qt.ID})
	if err != nil || len(got) != 2 || got[0].Text != a1.Text || got[0].QuestionID != qt.ID || got[0].SessionID != l.ID ||
		got[0].Source != voci.SourceLive || got[0].AgeBand != voci.Age10to12 || !got[0].CreatedAt.Equal(a1.CreatedAt) {
		t.Fatalf("fields %+v %v", got, err)
	}

	// A text answered again is found by its new words only.
	again := *a6
	again.Text, again.IdempotencyKey, again.UpdatedAt = "Un teren de fotbal", "key-rv-again", a6.UpdatedAt.Add(time.Minute)
	if _, err := s.SaveAnswer(ctx, &again); err != nil {
		t.Fatal(err)
	}
	for words, want := range map[string][]string{"banci": {}, "FOTBAL": {a6.ID}} {
		got, total, err := s.ListApprovedTexts(ctx, voci.ReviewTextFilter{ConsultationID: c.ID, Words: words})
		if err != nil || !slices.Equal(ids(got), want) || total != len(want) {
			t.Errorf("after answering again, %q: %v (%d) %v", words, ids(got), total, err)
		}
	}

	// What the support of themes is counted from: the answers named and every answer to the
	// questions named, each once, whatever their moderation.
	support, err := s.ListSupportAnswers(ctx, []string{a1.ID, a5.ID, choice.ID, rejected.ID, "ans-none"}, []string{qc.ID})
	if err != nil || len(support) != 4 {
		t.Fatalf("support answers %+v %v", support, err)
	}
	byID := map[string]voci.SupportAnswer{}
	for _, a := range support {
		byID[a.ID] = a
	}
	if g := byID[a5.ID]; g.QuestionID != qt.ID || g.ParticipantID != a5.ParticipantID || g.Source != voci.SourceSelfPaced ||
		g.Moderation != voci.ModerationApproved || g.Text != a5.Text || len(g.Choices) != 0 {
		t.Errorf("support text %+v", g)
	}
	if g := byID[choice.ID]; g.QuestionID != qc.ID || g.ParticipantID != choice.ParticipantID || !slices.Equal(g.Choices, choice.Choices) ||
		g.Moderation != choice.Moderation {
		t.Errorf("support choice %+v", g)
	}
	if g := byID[rejected.ID]; g.Moderation != voci.ModerationRejected || g.Visible() {
		t.Errorf("support rejected %+v", g)
	}
	if _, ok := byID[a1.ID]; !ok {
		t.Errorf("support lacks %s", a1.ID)
	}
	if none, err := s.ListSupportAnswers(ctx, nil, nil); err != nil || len(none) != 0 {
		t.Errorf("no support answers asked for: %+v %v", none, err)
	}
}
