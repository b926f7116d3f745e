package httpapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/natsbus/natstest"
)

// setUpRanking starts a live session of a consultation with one ranking question of three
// options (bănci, copaci, teren).
func (ls *liveServer) setUpRanking(t *testing.T) (*fixture, question) {
	t.Helper()
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
	a = fac.do(t, "POST", base+"/"+cons.ID+"/questions", map[string]any{"kind": "ranking", "prompt": "Ce facem întâi?",
		"options": []map[string]string{{"label": "bănci"}, {"label": "copaci"}, {"label": "teren"}}})
	mustStatus(t, a, 201)
	var rank question
	decodeBody(t, a, &rank)
	mustStatus(t, fac.do(t, "POST", base+"/"+cons.ID+"/status", map[string]string{"status": "open"}), 200)
	a = fac.do(t, "POST", base+"/"+cons.ID+"/live-sessions", nil)
	mustStatus(t, a, 201)
	var live struct {
		ID       string `json:"id"`
		JoinCode string `json:"joinCode"`
	}
	decodeBody(t, a, &live)
	return &fixture{fac: fac, consultationID: cons.ID, sessionID: live.ID, joinCode: live.JoinCode}, rank
}

type rankedResults struct {
	QuestionID  string `json:"questionId"`
	Respondents int    `json:"respondents"`
	Options     []struct {
		ID    string `json:"id"`
		Count int    `json:"count"`
	} `json:"options"`
	Ranking []struct {
		ID          string   `json:"id"`
		AverageRank *float64 `json:"averageRank"`
		Points      *int     `json:"points"`
	} `json:"ranking"`
}

type rankFigures struct {
	first, points int
	average       float64
}

// figuresOf is each option's first places, points and average place in a results message.
func figuresOf(t *testing.T, r rankedResults) map[string]rankFigures {
	t.Helper()
	out := map[string]rankFigures{}
	for _, o := range r.Options {
		out[o.ID] = rankFigures{first: o.Count}
	}
	if len(r.Ranking) != len(r.Options) {
		t.Fatalf("ranking %+v, want one entry per option", r)
	}
	for _, o := range r.Ranking {
		if o.AverageRank == nil || o.Points == nil {
			t.Fatalf("ranking entry %s without its figures", o.ID)
		}
		f := out[o.ID]
		f.points, f.average = *o.Points, *o.AverageRank
		out[o.ID] = f
	}
	return out
}

// apiFigures is the same from the results API, the reference.
func apiFigures(t *testing.T, f *fixture, questionID string) map[string]rankFigures {
	t.Helper()
	a := f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/results?question=%s", bacau, f.consultationID, questionID), nil)
	mustStatus(t, a, 200)
	var r struct {
		Questions []struct {
			Options []struct {
				ID          string  `json:"id"`
				Count       int     `json:"count"`
				Points      int     `json:"points"`
				AverageRank float64 `json:"averageRank"`
			} `json:"options"`
		} `json:"questions"`
	}
	decodeBody(t, a, &r)
	out := map[string]rankFigures{}
	for _, o := range r.Questions[0].Options {
		out[o.ID] = rankFigures{first: o.Count, points: o.Points, average: o.AverageRank}
	}
	return out
}

// The revealed results of a ranking carry each option's average place and Borda points, as
// the results page computes them; an order changed while the question is open counts once,
// as it is now; a child removed keeps what they answered (as in results).
func TestLiveRankingResultsCarryAveragePlaceAndPoints(t *testing.T) {
	ls := newLiveServer(t)
	f, rank := ls.setUpRanking(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kids := []*child{ls.join(t, f, "ro"), ls.join(t, f, "hu"), ls.join(t, f, "ro")}
	f.command(t, fac, "question.open", map[string]any{"questionId": rank.ID})
	for _, k := range kids {
		k.await("session.state", hasAll(`"state":"question_open"`))
	}
	b, c, tr := rank.option("bănci"), rank.option("copaci"), rank.option("teren")
	kids[0].mustAnswer(t, rank.ID, []string{b, c, tr}, "", "rank-kid0-0001")
	kids[1].mustAnswer(t, rank.ID, []string{c, b, tr}, "", "rank-kid1-0001")
	kids[2].mustAnswer(t, rank.ID, []string{tr, b, c}, "", "rank-kid2-0001")
	// The third child changes their mind: their first order comes out of every figure.
	kids[2].mustAnswer(t, rank.ID, []string{b, tr, c}, "", "rank-kid2-0002")
	f.command(t, fac, "participant.remove", map[string]any{"participantId": kids[1].id})

	f.command(t, fac, "results.reveal", nil)
	var got rankedResults
	kids[0].await("results", hasAll(`"respondents":3`)).decode(t, &got)
	// Orders b>c>t, c>b>t, b>t>c: bănci 1+2+1 (avg 1.33, 9-4=5 points), copaci 2+1+3 (2, 3),
	// teren 3+3+2 (2.67, 1).
	want := map[string]rankFigures{b: {first: 2, points: 5, average: 1.33}, c: {first: 1, points: 3, average: 2}, tr: {first: 0, points: 1, average: 2.67}}
	if fig := figuresOf(t, got); fmt.Sprint(fig) != fmt.Sprint(want) {
		t.Fatalf("live results %v, want %v", fig, want)
	}
	if api := apiFigures(t, f, rank.ID); fmt.Sprint(api) != fmt.Sprint(want) {
		t.Fatalf("the results API says %v, the room %v", api, want)
	}
	// The projector gets the same, and a tally never carries them.
	pres := ls.adult(t, f.fac, f, "presenter")
	e := pres.expect("tally")
	var raw map[string]any
	e.decode(t, &raw)
	if _, ok := raw["ranking"]; ok {
		t.Fatalf("a tally carries the ranking: %s", e.Data)
	}
	var shown rankedResults
	k := ls.join(t, f, "ro")
	k.await("results", hasAll(`"ranking"`)).decode(t, &shown)
	if fig := figuresOf(t, shown); fmt.Sprint(fig) != fmt.Sprint(want) {
		t.Fatalf("a phone that connects after the reveal gets %v, want %v", fig, want)
	}
}

// Other kinds of question carry no ranking in their results.
func TestLiveResultsOfAChoiceCarryNoRanking(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "ro")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	kid.await("session.state", hasAll(`"state":"question_open"`))
	kid.mustAnswer(t, f.single.ID, []string{f.single.option("trees")}, "", "single-key-0001")
	f.command(t, fac, "results.reveal", nil)
	e := kid.await("results", hasAll(`"respondents":1`))
	var raw map[string]any
	e.decode(t, &raw)
	if _, ok := raw["ranking"]; ok {
		t.Fatalf("a single choice's results carry a ranking: %s", e.Data)
	}
}

// A ranking answered on one instance is placed whole in the room of another: the bus carries
// the order, not only its first place, and a changed order replaces the earlier one there too.
func TestLiveRankingAcrossInstances(t *testing.T) {
	nats := natstest.Run(t, -1)
	a, b, _ := newInstancesOn(t, nats.ClientURL())
	f, rank := a.setUpRanking(t)
	fac := b.adult(t, f.fac, f, "facilitator")
	watching, kid := b.join(t, f, "ro"), a.join(t, f, "ro")
	watching.await("session.state", hasAll(`"state":"lobby"`))
	kid.await("session.state", hasAll(`"state":"lobby"`))
	f.command(t, fac, "question.open", map[string]any{"questionId": rank.ID})
	kid.await("session.state", hasAll(`"state":"question_open"`))
	bn, c, tr := rank.option("bănci"), rank.option("copaci"), rank.option("teren")
	kid.mustAnswer(t, rank.ID, []string{tr, c, bn}, "", "rank-far-00001")
	kid.mustAnswer(t, rank.ID, []string{c, tr, bn}, "", "rank-far-00002")
	watching.mustAnswer(t, rank.ID, []string{bn, c, tr}, "", "rank-near-0001")
	f.command(t, fac, "results.reveal", nil)
	// c>t>b and b>c>t: bănci 3+1 (2, 6-4=2), copaci 1+2 (1.5, 3), teren 2+3 (2.5, 1).
	want := map[string]rankFigures{bn: {first: 1, points: 2, average: 2}, c: {first: 1, points: 3, average: 1.5}, tr: {first: 0, points: 1, average: 2.5}}
	var got rankedResults
	watching.await("results", func(e envelope) bool {
		var r rankedResults
		e.decode(t, &r)
		if r.Respondents != 2 {
			return false
		}
		got = r
		return true
	})
	if fig := figuresOf(t, got); fmt.Sprint(fig) != fmt.Sprint(want) {
		t.Fatalf("the other instance's room shows %v, want %v", fig, want)
	}
}
