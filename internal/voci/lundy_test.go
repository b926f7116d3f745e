package voci_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var lundyNow = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// lundyBase is a closed consultation past its answer date with nothing recorded: every check
// that depends on what happened is judged, and not met.
func lundyBase() voci.LundyFacts {
	return voci.LundyFacts{
		Consultation: &voci.Consultation{ID: "c1", Municipality: 20297, Title: "Parcul", Status: voci.StatusClosed,
			AnswerBy: lundyNow.AddDate(0, 0, -1), AgeBands: []voci.AgeBand{voci.Age10to12, voci.Age13to15}},
		Sources: map[voci.AnswerSource]bool{}, Reach: map[voci.AgeBand]int{},
		ChildPopulation: map[voci.AgeBand]int{voci.Age10to12: 1000, voci.Age13to15: 1000},
	}
}

func lundyState(t *testing.T, card voci.LundyScorecard, key string) string {
	t.Helper()
	for _, d := range card.Dimensions {
		for _, ch := range d.Checks {
			if ch.Key != key {
				continue
			}
			if ch.Source == "" || !strings.HasPrefix(ch.Evidence, "/m/20297/") {
				t.Fatalf("%s: source %q, evidence %q", key, ch.Source, ch.Evidence)
			}
			if ch.Met == nil {
				return "null"
			}
			if *ch.Met {
				return "met"
			}
			return "not met"
		}
	}
	t.Fatalf("no check %s", key)
	return ""
}

func TestLundyChecks(t *testing.T) {
	tests := []struct {
		name, check, want string
		change            func(f *voci.LundyFacts)
	}{
		{"accessible session: a session with an adaptation", voci.CheckAccessibleSession, "met", func(f *voci.LundyFacts) { f.LiveSessions, f.Adapted = 2, 1 }},
		{"accessible session: sessions without adaptations, closed", voci.CheckAccessibleSession, "not met", func(f *voci.LundyFacts) { f.LiveSessions = 2 }},
		{"accessible session: still open", voci.CheckAccessibleSession, "null", func(f *voci.LundyFacts) { f.Consultation.Status = voci.StatusOpen }},

		{"ways: live and paper", voci.CheckWaysToTakePart, "met", func(f *voci.LundyFacts) { f.Sources[voci.SourceLive], f.Sources[voci.SourcePaper] = true, true }},
		{"ways: live and shared tablets", voci.CheckWaysToTakePart, "met", func(f *voci.LundyFacts) { f.Sources[voci.SourceLive], f.SharedDevices = true, true }},
		{"ways: paper only", voci.CheckWaysToTakePart, "not met", func(f *voci.LundyFacts) { f.Sources[voci.SourcePaper] = true }},
		{"ways: open with one so far", voci.CheckWaysToTakePart, "null", func(f *voci.LundyFacts) {
			f.Sources[voci.SourcePaper], f.Consultation.Status = true, voci.StatusOpen
		}},

		{"representative: both bands at similar rates", voci.CheckRepresentative, "met", func(f *voci.LundyFacts) {
			f.Reach[voci.Age10to12], f.Reach[voci.Age13to15] = 60, 100
		}},
		{"representative: one band under half the best rate", voci.CheckRepresentative, "not met", func(f *voci.LundyFacts) {
			f.Reach[voci.Age10to12], f.Reach[voci.Age13to15] = 40, 100
		}},
		{"representative: one band not reached", voci.CheckRepresentative, "not met", func(f *voci.LundyFacts) { f.Reach[voci.Age13to15] = 3 }},
		{"representative: bands of other ages do not count", voci.CheckRepresentative, "met", func(f *voci.LundyFacts) {
			f.Reach[voci.Age10to12], f.Reach[voci.Age13to15] = 3, 3
			f.ChildPopulation[voci.Age16to18] = 500
		}},
		{"representative: no population declared", voci.CheckRepresentative, "null", func(f *voci.LundyFacts) {
			f.ChildPopulation = map[voci.AgeBand]int{}
			f.Reach[voci.Age10to12] = 20
		}},
		{"representative: still open and uneven", voci.CheckRepresentative, "null", func(f *voci.LundyFacts) {
			f.Consultation.Status, f.Reach[voci.Age13to15] = voci.StatusOpen, 30
		}},

		{"easy read: written", voci.CheckEasyRead, "met", func(f *voci.LundyFacts) { f.Consultation.EasyRead = "Facem un parc." }},
		{"easy read: missing", voci.CheckEasyRead, "not met", nil},
		{"easy read: a draft may still add it", voci.CheckEasyRead, "null", func(f *voci.LundyFacts) { f.Consultation.Status = voci.StatusDraft }},

		{"kinds: choice and text", voci.CheckQuestionKinds, "met", func(f *voci.LundyFacts) {
			f.Questions = []voci.Question{{Kind: voci.KindSingle}, {Kind: voci.KindShortText}}
		}},
		{"kinds: two of one kind", voci.CheckQuestionKinds, "not met", func(f *voci.LundyFacts) {
			f.Questions = []voci.Question{{Kind: voci.KindSingle}, {Kind: voci.KindSingle}}
		}},
		{"kinds: draft", voci.CheckQuestionKinds, "null", func(f *voci.LundyFacts) { f.Consultation.Status = voci.StatusDraft }},

		{"free text: a word cloud", voci.CheckFreeText, "met", func(f *voci.LundyFacts) { f.Questions = []voci.Question{{Kind: voci.KindWordCloud}} }},
		{"free text: choices only", voci.CheckFreeText, "not met", func(f *voci.LundyFacts) { f.Questions = []voci.Question{{Kind: voci.KindScale}} }},
		{"free text: draft", voci.CheckFreeText, "null", func(f *voci.LundyFacts) { f.Consultation.Status = voci.StatusDraft }},

		{"audience: named", voci.CheckNamedAudience, "met", func(f *voci.LundyFacts) { f.Consultation.AudienceBody = "Consiliul Local" }},
		{"audience: not named", voci.CheckNamedAudience, "not met", func(f *voci.LundyFacts) { f.Consultation.AudienceBody = "  " }},
		{"audience: draft", voci.CheckNamedAudience, "null", func(f *voci.LundyFacts) { f.Consultation.Status = voci.StatusDraft }},

		{"council review: before the answer date", voci.CheckCouncilReview, "met", func(f *voci.LundyFacts) { f.CouncilReviewAt = lundyNow.AddDate(0, 0, -5) }},
		{"council review: only after the answer date", voci.CheckCouncilReview, "not met", func(f *voci.LundyFacts) { f.CouncilReviewAt = lundyNow }},
		{"council review: none by the answer date", voci.CheckCouncilReview, "not met", nil},
		{"council review: not due yet", voci.CheckCouncilReview, "null", func(f *voci.LundyFacts) { f.Consultation.AnswerBy = lundyNow.AddDate(0, 1, 0) }},

		{"decision: linked", voci.CheckDecisionLinked, "met", func(f *voci.LundyFacts) { f.DecisionLinked = true }},
		{"decision: none after the answer date", voci.CheckDecisionLinked, "not met", nil},
		{"decision: not due yet", voci.CheckDecisionLinked, "null", func(f *voci.LundyFacts) { f.Consultation.AnswerBy = lundyNow.AddDate(0, 1, 0) }},

		{"feedback: published in time", voci.CheckFeedbackOnTime, "met", func(f *voci.LundyFacts) {
			f.Feedback = voci.FeedbackStatus{Answered: true, AnsweredAt: lundyNow.AddDate(0, 0, -2)}
		}},
		{"feedback: published late", voci.CheckFeedbackOnTime, "not met", func(f *voci.LundyFacts) {
			f.Feedback = voci.FeedbackStatus{Answered: true, AnsweredAt: lundyNow}
		}},
		{"feedback: overdue", voci.CheckFeedbackOnTime, "not met", nil},
		{"feedback: not due yet", voci.CheckFeedbackOnTime, "null", func(f *voci.LundyFacts) { f.Consultation.AnswerBy = lundyNow.AddDate(0, 1, 0) }},

		{"receipts: opened after feedback", voci.CheckReceiptsOpened, "met", func(f *voci.LundyFacts) {
			f.Feedback.Answered, f.Receipts = true, voci.ReceiptCounts{Issued: 20, OpenedAfterFeedback: 1}
		}},
		{"receipts: none opened after feedback", voci.CheckReceiptsOpened, "not met", func(f *voci.LundyFacts) {
			f.Feedback.Answered, f.Receipts = true, voci.ReceiptCounts{Issued: 20}
		}},
		{"receipts: feedback not published", voci.CheckReceiptsOpened, "null", func(f *voci.LundyFacts) { f.Receipts = voci.ReceiptCounts{Issued: 20} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lundyBase()
			if tt.change != nil {
				tt.change(&f)
			}
			if got := lundyState(t, voci.ScoreConsultation(f, lundyNow, voci.LangEN), tt.check); got != tt.want {
				t.Fatalf("%s is %s, want %s", tt.check, got, tt.want)
			}
		})
	}
}

func TestLundyDimensionsCountWhatIsJudged(t *testing.T) {
	f := lundyBase()
	f.Consultation.Status, f.Consultation.AnswerBy = voci.StatusOpen, lundyNow.AddDate(0, 1, 0)
	f.Consultation.EasyRead, f.Consultation.AudienceBody = "Pe scurt.", "Consiliul Local"
	f.Questions = []voci.Question{{Kind: voci.KindSingle}, {Kind: voci.KindIdeaBoard}}
	card := voci.ScoreConsultation(f, lundyNow, voci.LangRO)
	want := map[string][2]int{voci.LundySpace: {0, 0}, voci.LundyVoice: {3, 3}, voci.LundyAudience: {1, 1}, voci.LundyInfluence: {0, 0}}
	if len(card.Dimensions) != 4 {
		t.Fatalf("dimensions: %+v", card.Dimensions)
	}
	for _, d := range card.Dimensions {
		if got := [2]int{d.Met, d.Of}; got != want[d.Key] {
			t.Errorf("%s: met %d of %d, want %v", d.Key, d.Met, d.Of, want[d.Key])
		}
	}
	if card.Dimensions[1].Checks[0].Source != voci.LundySource(voci.CheckEasyRead, voci.LangRO) || !strings.Contains(card.Dimensions[1].Checks[0].Source, "ușor de citit") {
		t.Fatalf("Romanian source: %q", card.Dimensions[1].Checks[0].Source)
	}
}

func TestLundyRollUpCountsConsultations(t *testing.T) {
	met := lundyBase()
	met.Consultation.EasyRead = "Pe scurt."
	missing := lundyBase()
	draftish := lundyBase()
	draftish.Consultation.Status = voci.StatusOpen
	draftish.Consultation.AnswerBy = lundyNow.AddDate(0, 1, 0)
	var cards []voci.LundyScorecard
	for _, f := range []voci.LundyFacts{met, missing, draftish} {
		cards = append(cards, voci.ScoreConsultation(f, lundyNow, voci.LangEN))
	}
	roll := voci.RollUpScorecards(20297, cards, voci.LangEN)
	if roll.Consultations != 3 || roll.Consultation != nil {
		t.Fatalf("roll-up of %d consultations: %+v", roll.Consultations, roll)
	}
	for _, d := range roll.Dimensions {
		for _, ch := range d.Checks {
			switch ch.Key {
			case voci.CheckEasyRead:
				if ch.MetCount != 1 || ch.Of != 3 || ch.Met == nil || *ch.Met {
					t.Errorf("easy read: %+v", ch)
				}
			case voci.CheckDecisionLinked: // judged for the two past their date only
				if ch.MetCount != 0 || ch.Of != 2 {
					t.Errorf("decision linked: %+v", ch)
				}
			case voci.CheckRepresentative: // judged for the closed two: neither reached anyone
				if ch.Of != 2 || ch.MetCount != 0 {
					t.Errorf("representativeness: %+v", ch)
				}
			}
			if ch.Evidence != "/m/20297/consultations" {
				t.Errorf("%s evidence %q", ch.Key, ch.Evidence)
			}
		}
	}
	empty := voci.RollUpScorecards(20297, nil, voci.LangHU)
	for _, d := range empty.Dimensions {
		for _, ch := range d.Checks {
			if ch.Met != nil || ch.Of != 0 {
				t.Fatalf("an empty roll-up judged %s: %+v", ch.Key, ch)
			}
		}
	}
}

func TestLundyReportRejectsOtherTables(t *testing.T) {
	l := voci.NewLundy(nil)
	for _, req := range []voci.ReportRequest{{Table: "municipalities", Siruta: 20297}, {Table: "scorecard"}} {
		if _, err := l.ReportTables(context.Background(), req); voci.ErrorCode(err) != voci.EINVALID {
			t.Errorf("%+v: %v", req, err)
		}
	}
}
