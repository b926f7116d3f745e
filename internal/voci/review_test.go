package voci_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

func TestThemeValidate(t *testing.T) {
	ok := func() voci.Theme {
		return voci.Theme{ID: "th", Municipality: 20297, ConsultationID: "c", Title: "Umbră",
			Items:  []voci.ThemeItem{{AnswerID: "a1", QuestionID: "q1"}, {QuestionID: "q2", OptionID: "o1"}},
			Quotes: []voci.Quote{{AnswerID: "a1", Text: "Copaci"}}}
	}
	if th := ok(); th.Validate() != nil {
		t.Fatalf("a good theme: %v", th.Validate())
	}
	for name, change := range map[string]func(*voci.Theme){
		"no consultation":    func(th *voci.Theme) { th.ConsultationID = "" },
		"no title":           func(th *voci.Theme) { th.Title = " " },
		"long summary":       func(th *voci.Theme) { th.Summary = strings.Repeat("a", 2001) },
		"item twice":         func(th *voci.Theme) { th.Items = append(th.Items, voci.ThemeItem{AnswerID: "a1", QuestionID: "q1"}) },
		"option twice":       func(th *voci.Theme) { th.Items = append(th.Items, voci.ThemeItem{QuestionID: "q2", OptionID: "o1"}) },
		"text and option":    func(th *voci.Theme) { th.Items[0].OptionID = "o1" },
		"neither":            func(th *voci.Theme) { th.Items[0].AnswerID = "" },
		"no question":        func(th *voci.Theme) { th.Items[1].QuestionID = "" },
		"quote of no item":   func(th *voci.Theme) { th.Quotes[0].AnswerID = "a9" },
		"quote of an option": func(th *voci.Theme) { th.Quotes[0].AnswerID = "o1" },
		"empty quote":        func(th *voci.Theme) { th.Quotes[0].Text = " " },
		"quote twice":        func(th *voci.Theme) { th.Quotes = append(th.Quotes, th.Quotes[0]) },
		"more than a few quotes": func(th *voci.Theme) {
			for i := range voci.MaxQuotes {
				id := fmt.Sprint("x", i)
				th.Items = append(th.Items, voci.ThemeItem{AnswerID: id, QuestionID: "q1"})
				th.Quotes = append(th.Quotes, voci.Quote{AnswerID: id, Text: "t"})
			}
		},
	} {
		th := ok()
		change(&th)
		if err := th.Validate(); voci.ErrorCode(err) != voci.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCheckReviewFilter(t *testing.T) {
	f := voci.ReviewTextFilter{Words: "  copaci  "}
	if err := voci.CheckReviewFilter(&f); err != nil || f.Limit != voci.DefaultReviewPage || f.Words != "copaci" {
		t.Fatalf("defaults %+v %v", f, err)
	}
	for name, f := range map[string]voci.ReviewTextFilter{
		"channel":   {Source: "radio"},
		"age band":  {AgeBand: "7_9"},
		"offset":    {Offset: -1},
		"limit":     {Limit: voci.MaxReviewPage + 1},
		"negative":  {Limit: -1},
		"long text": {Words: strings.Repeat("a", 201)},
	} {
		if err := voci.CheckReviewFilter(&f); voci.ErrorCode(err) != voci.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	match := voci.ReviewTextFilter{Words: "FANTANA  apă"}
	for text, want := range map[string]bool{"O fântână cu apă": true, "fantana, apa": true, "o fântână": false, "": false} {
		if got := match.WordsMatch(text); got != want {
			t.Errorf("%q: %v", text, got)
		}
	}
	if !(&voci.ReviewTextFilter{}).WordsMatch("anything") {
		t.Error("no words match everything")
	}
}

// reviewWorld is a real store with one open consultation: a text question and a single choice.
type reviewWorld struct {
	store   *sqlitestore.Store
	review  *voci.Review
	cons    *voci.Consultation
	text    *voci.Question
	single  *voci.Question
	answers int
}

func newReviewWorld(t *testing.T) *reviewWorld {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	at := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	w := &reviewWorld{store: st, review: voci.NewReview(st, 3)}
	w.review.Clock = func() time.Time { return at }
	n := 0
	w.review.NewID = func() string { n++; return fmt.Sprint("id-", n) }
	w.cons = &voci.Consultation{ID: "cons", Municipality: 20297, Title: "Parcul", AudienceBody: "Consiliul Local Bacău", Status: voci.StatusOpen,
		CreatedBy: "fac", CreatedAt: at, UpdatedAt: at}
	if err := st.CreateConsultation(t.Context(), w.cons, nil); err != nil {
		t.Fatal(err)
	}
	w.text = &voci.Question{ID: "qt", ConsultationID: "cons", Municipality: 20297, Kind: voci.KindShortText, Prompt: "Idei?", CreatedAt: at, UpdatedAt: at}
	w.single = &voci.Question{ID: "qs", ConsultationID: "cons", Municipality: 20297, Kind: voci.KindSingle, Prompt: "Ce?", Position: 1,
		Options: []voci.Option{{ID: "trees", Label: "Copaci"}, {ID: "swings", Label: "Leagăne"}}, CreatedAt: at, UpdatedAt: at}
	for _, q := range []*voci.Question{w.text, w.single} {
		if err := st.CreateQuestion(t.Context(), q, nil); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// answer stores a participant's answer: a text in the given state, or an option.
func (w *reviewWorld) answer(t *testing.T, participant string, q *voci.Question, text string, m voci.ModerationState, choice string) *voci.Answer {
	t.Helper()
	w.answers++
	at := time.Date(2026, 11, 5, 11, 0, w.answers, 0, time.UTC)
	a := &voci.Answer{ID: fmt.Sprint("ans-", w.answers), QuestionID: q.ID, ConsultationID: q.ConsultationID, ParticipantID: participant,
		Municipality: 20297, Source: voci.SourcePaper, Text: text, Moderation: m, AgeBand: voci.Age10to12, Gender: voci.GenderGirl,
		IdempotencyKey: fmt.Sprint("key-", w.answers), CreatedAt: at, UpdatedAt: at}
	if choice != "" {
		a.Choices = []string{choice}
	}
	if _, err := w.store.SaveAnswer(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReviewRules: only approved texts of the consultation enter a theme or its quotes; a
// quote refuses demographics; support counts distinct children (a child's text and option
// count once) and is hidden below k; the public view drops a quote whose text is no longer
// approved; recommendations go to the consultation's audience by default and only name its
// themes.
func TestReviewRules(t *testing.T) {
	w := newReviewWorld(t)
	ctx := t.Context()
	draft := *w.cons
	draft.Status = voci.StatusDraft
	if _, err := w.review.CreateTheme(ctx, &draft, "cm", "Umbră", "", nil); voci.ErrorCode(err) != voci.ECONFLICT {
		t.Fatalf("a theme of a draft: %v", err)
	}
	th, err := w.review.CreateTheme(ctx, w.cons, "cm", "  Umbră ", "", nil)
	if err != nil || th.Title != "Umbră" || th.Revision != 1 {
		t.Fatalf("create %+v %v", th, err)
	}
	approved := w.answer(t, "p1", w.text, "Mai mulți copaci", voci.ModerationApproved, "")
	held := w.answer(t, "p2", w.text, "sună-mă", voci.ModerationHeld, "")
	pending := w.answer(t, "p3", w.text, "poate", voci.ModerationPending, "")
	rejected := w.answer(t, "p4", w.text, "urât", voci.ModerationRejected, "")
	choice := w.answer(t, "p1", w.single, "", voci.ModerationNone, "trees")
	for _, p := range []string{"p2", "p3"} {
		w.answer(t, p, w.single, "", voci.ModerationNone, "trees")
	}
	w.answer(t, "p4", w.single, "", voci.ModerationNone, "swings")

	for name, tc := range map[string]struct {
		ch   voci.ThemeChange
		code string
	}{
		"held":             {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{AnswerID: held.ID}}}, voci.ENOTAPPROVED},
		"pending":          {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{AnswerID: pending.ID}}}, voci.ENOTAPPROVED},
		"rejected":         {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{AnswerID: rejected.ID}}}, voci.ENOTAPPROVED},
		"an option answer": {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{AnswerID: choice.ID}}}, voci.EINVALID},
		"unknown answer":   {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{AnswerID: "nope"}}}, voci.ENOTFOUND},
		"unknown option":   {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{QuestionID: "qs", OptionID: "pond"}}}, voci.ENOTFOUND},
		"option of a text": {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{QuestionID: "qt", OptionID: "trees"}}}, voci.EINVALID},
		"stale":            {voci.ThemeChange{Revision: 0, Title: ptr("x")}, voci.ECHANGED},
		"age band on a quote": {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{AnswerID: approved.ID}},
			AddQuotes: []voci.QuoteRequest{{AnswerID: approved.ID, AgeBand: "10_12"}}}, voci.EQUOTEDEMOGRAPHICS},
		"gender on a quote": {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{AnswerID: approved.ID}},
			AddQuotes: []voci.QuoteRequest{{AnswerID: approved.ID, Gender: "girl"}}}, voci.EQUOTEDEMOGRAPHICS},
		"alias on a quote": {voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{AnswerID: approved.ID}},
			AddQuotes: []voci.QuoteRequest{{AnswerID: approved.ID, Alias: "Vulpea 3"}}}, voci.EQUOTEDEMOGRAPHICS},
		"quote not in the theme": {voci.ThemeChange{Revision: 1, AddQuotes: []voci.QuoteRequest{{AnswerID: approved.ID}}}, voci.EINVALID},
	} {
		if _, err := w.review.UpdateTheme(ctx, w.cons, th.ID, tc.ch, nil); voci.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if got, _ := w.store.FindTheme(ctx, th.ID); got.Revision != 1 || len(got.Items) != 0 {
		t.Fatalf("a refused change was written: %+v", got)
	}

	// p1's text and p1's choice are one child; with p2 and p3 who chose trees, three: k.
	th, err = w.review.UpdateTheme(ctx, w.cons, th.ID, voci.ThemeChange{Revision: 1,
		AddItems:  []voci.ThemeItem{{AnswerID: approved.ID, QuestionID: "ignored"}, {QuestionID: "qs", OptionID: "trees"}},
		AddQuotes: []voci.QuoteRequest{{AnswerID: approved.ID}}}, nil)
	if err != nil || th.Revision != 2 || th.Items[0].QuestionID != "qt" || !slices.Equal(th.Quotes, []voci.Quote{{AnswerID: approved.ID, Text: "Mai mulți copaci"}}) {
		t.Fatalf("update %+v %v", th, err)
	}
	v, err := w.review.ViewTheme(ctx, w.cons, th.ID)
	if err != nil || v.Inputs != (voci.Cell{N: 3}) || len(v.Options) != 1 || v.Options[0].Chosen != (voci.Cell{N: 3}) ||
		v.Options[0].Respondents != 4 || v.Options[0].Percent != 75 {
		t.Fatalf("support %+v %v", v, err)
	}
	small, _ := w.review.CreateTheme(ctx, w.cons, "cm", "Leagăne", "", nil)
	if _, err := w.review.UpdateTheme(ctx, w.cons, small.ID, voci.ThemeChange{Revision: 1, AddItems: []voci.ThemeItem{{QuestionID: "qs", OptionID: "swings"}}}, nil); err != nil {
		t.Fatal(err)
	}
	pub, err := w.review.PublicThemes(ctx, w.cons.ID)
	if err != nil || len(pub) != 2 || pub[0].Inputs != 3 || pub[0].InputsHidden || !slices.Equal(pub[0].Quotes, []string{"Mai mulți copaci"}) ||
		pub[1].Inputs != 0 || !pub[1].InputsHidden || len(pub[1].Quotes) != 0 {
		t.Fatalf("public %+v %v", pub, err)
	}

	// The child's text is rejected after all: it leaves the quotes, the count and the view.
	if _, err := w.store.ModerateAnswer(ctx, approved.ID, 1, voci.ModerationRejected, "fac", time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	pub, _ = w.review.PublicThemes(ctx, w.cons.ID)
	if len(pub[0].Quotes) != 0 || pub[0].Inputs != 3 {
		t.Fatalf("after rejection %+v", pub[0])
	}
	v, _ = w.review.ViewTheme(ctx, w.cons, th.ID)
	if v.Items[0].Shown || v.Items[0].Text != "" {
		t.Fatalf("a rejected text is shown: %+v", v.Items[0])
	}

	// Another consultation's theme is not this one's.
	other := *w.cons
	other.ID = "cons-2"
	if _, err := w.review.UpdateTheme(ctx, &other, th.ID, voci.ThemeChange{Revision: 2}, nil); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("through another consultation: %v", err)
	}
	if _, err := w.review.CreateRecommendation(ctx, &other, "cm", voci.RecommendationDraft{ThemeIDs: []string{th.ID}, Title: "Copaci"}, nil); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("a recommendation from another consultation's theme: %v", err)
	}
	rec, err := w.review.CreateRecommendation(ctx, w.cons, "cm", voci.RecommendationDraft{ThemeIDs: []string{th.ID, small.ID}, Title: "Mai mulți copaci"}, nil)
	if err != nil || rec.AudienceBody != "Consiliul Local Bacău" || rec.Source != voci.SourceConsultation || rec.ConsultationID != "cons" {
		t.Fatalf("recommendation %+v %v", rec, err)
	}
	if _, err := w.review.UpdateRecommendation(ctx, w.cons, rec.ID, voci.RecommendationChange{Revision: 1, ThemeIDs: []string{}}, nil); voci.ErrorCode(err) != voci.EINVALID {
		t.Fatalf("no themes left: %v", err)
	}
	if _, err := w.review.UpdateRecommendation(ctx, w.cons, rec.ID, voci.RecommendationChange{Revision: 2, Title: ptr("x")}, nil); voci.ErrorCode(err) != voci.ECHANGED {
		t.Fatalf("stale: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
