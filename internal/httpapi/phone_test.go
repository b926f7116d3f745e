package httpapi_test

import (
	"fmt"
	"testing"
	"time"
)

// A phone's view of a live session: the question's place ("2 / 7"), and a ranking that must
// be placed whole before it counts.
func TestPhoneQuestionPlaceAndUnplacedRanking(t *testing.T) {
	ls := newLiveServer(t)
	fac := ls.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	a := fac.do(t, "POST", base, map[string]any{
		"title": "Curtea școlii", "purpose": "Ce schimbăm în curte?", "easyRead": "Spune-ne despre curte.",
		"ageBands": []string{"10_12"}, "goals": []string{"safe_environment"}, "topics": []string{"parcuri"},
		"audienceBody": "Consiliul Local Bacău", "answerBy": time.Now().AddDate(0, 2, 0).UTC().Format(time.RFC3339), "modes": []string{"live"},
	})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	add := func(body map[string]any) question {
		a := fac.do(t, "POST", base+"/"+cons.ID+"/questions", body)
		mustStatus(t, a, 201)
		var q question
		decodeBody(t, a, &q)
		return q
	}
	add(map[string]any{"kind": "short_text", "prompt": "Ce idee ai?"})
	rank := add(map[string]any{"kind": "ranking", "prompt": "Ce facem întâi?", "options": []map[string]string{
		{"label": "bănci"}, {"label": "copaci"}, {"label": "teren"}}})
	add(map[string]any{"kind": "short_text", "prompt": "Altceva?"})
	mustStatus(t, fac.do(t, "POST", base+"/"+cons.ID+"/status", map[string]string{"status": "open"}), 200)
	a = fac.do(t, "POST", base+"/"+cons.ID+"/live-sessions", nil)
	mustStatus(t, a, 201)
	var live struct {
		ID       string `json:"id"`
		JoinCode string `json:"joinCode"`
	}
	decodeBody(t, a, &live)
	f := &fixture{fac: fac, consultationID: cons.ID, sessionID: live.ID, joinCode: live.JoinCode}
	// The end screen says who reads the children's views, and by when they answer.
	j := ls.do(t, "POST", "/api/v1/join", "application/json", fmt.Sprintf(`{"code":%q,"lang":"ro"}`, live.JoinCode))
	mustStatus(t, j, 201)
	var joined struct {
		Session struct {
			AudienceBody string    `json:"audienceBody"`
			AnswerBy     time.Time `json:"answerBy"`
		} `json:"session"`
	}
	decodeBody(t, j, &joined)
	if joined.Session.AudienceBody != "Consiliul Local Bacău" || joined.Session.AnswerBy.IsZero() {
		t.Fatalf("join %s", j.body)
	}
	console := ls.adult(t, fac, f, "facilitator")
	kid := ls.join(t, f, "ro")
	kid.expect("session.state")

	f.command(t, console, "question.open", map[string]any{"questionId": rank.ID})
	var st struct {
		State    string `json:"state"`
		Question struct {
			ID     string `json:"id"`
			Number int    `json:"number"`
			Of     int    `json:"of"`
		} `json:"question"`
	}
	kid.expect("session.state").decode(t, &st)
	if st.State != "question_open" || st.Question.ID != rank.ID || st.Question.Number != 2 || st.Question.Of != 3 {
		t.Fatalf("state %+v, want the ranking as question 2 of 3", st)
	}

	benches, trees, field := rank.option("bănci"), rank.option("copaci"), rank.option("teren")
	for name, choices := range map[string][]string{
		"nothing placed": {},
		"one placed":     {trees},
		"two placed":     {trees, benches},
		"one twice":      {trees, trees, benches},
	} {
		r := kid.answer(t, rank.ID, choices, "", fmt.Sprintf("rank-%d-%d", len(choices), len(name)))
		if code := kid.errorCode(r); code != "invalid_parameter" {
			t.Fatalf("%s: %s %s, want invalid_parameter", name, r.Type, r.Data)
		}
	}
	if res := f.results(t, rank.ID); res.Questions[0].Respondents != 0 {
		t.Fatalf("a refused ranking was counted: %+v", res)
	}
	kid.mustAnswer(t, rank.ID, []string{field, trees, benches}, "", "rank-whole-01")
}
