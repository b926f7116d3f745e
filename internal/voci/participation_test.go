package voci

import (
	"strings"
	"testing"
	"time"
)

func TestCheckAnswer(t *testing.T) {
	single := &Question{Kind: KindSingle, Options: []Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}}}
	multi := &Question{Kind: KindMultiple, MaxChoices: 2, Options: []Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}, {ID: "c", Label: "C"}}}
	rank := &Question{Kind: KindRanking, Options: []Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}}}
	text := &Question{Kind: KindShortText}
	cloud := &Question{Kind: KindWordCloud}
	cases := []struct {
		name string
		q    *Question
		in   AnswerInput
		code string
	}{
		{"single ok", single, AnswerInput{Choices: []string{"a"}}, ""},
		{"single two", single, AnswerInput{Choices: []string{"a", "b"}}, EINVALID},
		{"single none", single, AnswerInput{}, EINVALID},
		{"option of another question", single, AnswerInput{Choices: []string{"zz"}}, EOPTIONUNKNOWN},
		{"single with text", single, AnswerInput{Choices: []string{"a"}, Text: "x"}, EINVALID},
		{"multi ok", multi, AnswerInput{Choices: []string{"a", "c"}}, ""},
		{"multi too many", multi, AnswerInput{Choices: []string{"a", "b", "c"}}, EINVALID},
		{"multi twice", multi, AnswerInput{Choices: []string{"a", "a"}}, EINVALID},
		{"ranking ok", rank, AnswerInput{Choices: []string{"b", "a"}}, ""},
		{"ranking partial", rank, AnswerInput{Choices: []string{"b"}}, EINVALID},
		{"text ok", text, AnswerInput{Text: "  more trees in the park  "}, ""},
		{"text empty", text, AnswerInput{Text: "   "}, EINVALID},
		{"text too long", text, AnswerInput{Text: strings.Repeat("a", MaxShortText+1)}, ETEXTTOOLONG},
		{"text of 280 letters with diacritics", text, AnswerInput{Text: strings.Repeat("ă", MaxShortText)}, ""},
		{"text invalid utf-8", text, AnswerInput{Text: "ab\xffcd"}, EINVALID},
		{"text control character", text, AnswerInput{Text: "ab\x00cd"}, EINVALID},
		{"cloud too long", cloud, AnswerInput{Text: strings.Repeat("a", MaxWordCloud+1)}, ETEXTTOOLONG},
		{"text with options", text, AnswerInput{Choices: []string{"a"}}, EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.q.CheckAnswer(c.in)
			if got := ErrorCode(err); got != c.code {
				t.Fatalf("code %q (%v), want %q", got, err, c.code)
			}
		})
	}
}

func TestConsultationCannotOpenWithoutAudience(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	c := &Consultation{ID: "c", Municipality: 1, Title: "Our park", Status: StatusDraft, Modes: []Mode{ModeLive}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckReadyToOpen(1, now); ErrorCode(err) != ENOTREADY {
		t.Fatalf("no audience: %v", err)
	}
	c.AudienceBody = "Local council"
	if err := c.CheckReadyToOpen(1, now); ErrorCode(err) != ENOTREADY {
		t.Fatalf("no answer date: %v", err)
	}
	c.AnswerBy = now.AddDate(0, 1, 0)
	if err := c.CheckReadyToOpen(0, now); ErrorCode(err) != ENOTREADY {
		t.Fatalf("no question: %v", err)
	}
	if err := c.CheckReadyToOpen(1, now); err != nil {
		t.Fatal(err)
	}
}

func TestLiveSessionStates(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s := &LiveSession{ID: "s", ConsultationID: "c", State: LiveLobby}
	q := &Question{ID: "q1", ConsultationID: "c"}
	other := &Question{ID: "q9", ConsultationID: "other"}
	if err := s.Lock(); ErrorCode(err) != EWRONGSTATE {
		t.Fatalf("lock in lobby: %v", err)
	}
	if err := s.OpenQuestion(other, 0, now); ErrorCode(err) != EQUESTIONUNKNOWN {
		t.Fatalf("open another consultation's question: %v", err)
	}
	if err := s.OpenQuestion(q, 30*time.Second, now); err != nil {
		t.Fatal(err)
	}
	if !s.AcceptsAnswers("q1", now.Add(29*time.Second)) || s.AcceptsAnswers("q1", now.Add(30*time.Second)) || s.AcceptsAnswers("q2", now) {
		t.Fatal("timer or question not respected")
	}
	if err := s.Reveal(); err != nil || !s.IsRevealed("q1") || s.AcceptsAnswers("q1", now) {
		t.Fatalf("reveal: %v %+v", err, s)
	}
	s.End(now)
	if err := s.OpenQuestion(q, 0, now); ErrorCode(err) != ESESSIONENDED {
		t.Fatalf("open after end: %v", err)
	}
}

func TestAliases(t *testing.T) {
	for _, lang := range []Lang{LangRO, LangEN, LangHU, "xx"} {
		a := NewAlias(lang)
		if len(strings.Fields(a)) != 3 {
			t.Errorf("%s alias %q", lang, a)
		}
	}
}

func TestTallyResults(t *testing.T) {
	q := &Question{ID: "q", Kind: KindSingle, Options: []Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}}}
	var answers []Answer
	for i := range 12 {
		a := Answer{ID: itoa(i), QuestionID: "q", Source: SourceLive, Choices: []string{"a"}, AgeBand: Age10to12, Gender: GenderGirl}
		if i%3 == 0 {
			a.Choices = []string{"b"}
			a.AgeBand = Age13to15
		}
		answers = append(answers, a)
	}
	r := TallyResults(q, answers, 5)
	if r.Respondents != 12 || r.Options[0].Count != 8 || r.Options[1].Count != 4 || r.Options[0].Percent != 66.7 {
		t.Fatalf("%+v", r.Options)
	}
	for _, g := range r.ByAgeBand.Groups {
		if g.Group == string(Age13to15) && !g.Respondents.Suppressed {
			t.Fatalf("a group of 4 is shown: %+v", g)
		}
	}
}
