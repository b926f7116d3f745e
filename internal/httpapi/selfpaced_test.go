package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/voci"
)

// A clock the test moves: the self-paced link's dates are the point of these tests.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *movableClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// kid is a child's browser on a self-paced link: no cookie, a bearer token once joined.
type kid struct {
	ts    *testServer
	key   string
	token string
	alias string
}

func (k *kid) do(t *testing.T, method, path string, body any) answer {
	t.Helper()
	r := strings.NewReader("")
	if s, ok := body.(string); ok {
		r = strings.NewReader(s)
	} else if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req := httptest.NewRequest(method, "/api/v1/self-paced/"+k.key+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if k.token != "" {
		req.Header.Set("Authorization", "Bearer "+k.token)
	}
	resp, err := k.ts.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

func (k *kid) join(t *testing.T, lang string) {
	t.Helper()
	a := k.do(t, "POST", "/participants", map[string]string{"lang": lang})
	mustStatus(t, a, 201)
	var joined struct {
		ParticipantToken string `json:"participantToken"`
		Participant      struct {
			Alias string `json:"alias"`
		} `json:"participant"`
	}
	decodeBody(t, a, &joined)
	if len(joined.ParticipantToken) < 40 || joined.Participant.Alias == "" {
		t.Fatalf("joined %s", a.body)
	}
	k.token, k.alias = joined.ParticipantToken, joined.Participant.Alias
}

type selfPacedAck struct {
	QuestionID     string    `json:"questionId"`
	IdempotencyKey string    `json:"idempotencyKey"`
	AcceptedAt     time.Time `json:"acceptedAt"`
	Moderation     string    `json:"moderation"`
	Replayed       bool      `json:"replayed"`
}

func (k *kid) answer(t *testing.T, qid string, body map[string]any) answer {
	t.Helper()
	return k.do(t, "PUT", "/me/answers/"+qid, body)
}

func (k *kid) mustAnswer(t *testing.T, qid string, body map[string]any) selfPacedAck {
	t.Helper()
	a := k.answer(t, qid, body)
	mustStatus(t, a, 200)
	var ack selfPacedAck
	decodeBody(t, a, &ack)
	return ack
}

func childProblem(t *testing.T, a answer, status int, code string) map[string]any {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d (%s): %s", a.status, status, code, a.body)
	}
	p := a.problem(t)
	if p["code"] != code {
		t.Fatalf("problem %v, want %s", p, code)
	}
	return p
}

// selfPacedFixture is a Bacău consultation with one question of every kind, its link open
// between from and until.
type selfPacedFixture struct {
	clock       *movableClock
	fac         *client
	base        string // the consultation's URL
	from, until time.Time
	questions   map[string]question // by kind
}

func newSelfPacedFixture(t *testing.T) (*testServer, *selfPacedFixture) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	f := &selfPacedFixture{clock: &movableClock{now: now}, from: now.Add(time.Hour), until: now.Add(72 * time.Hour), questions: map[string]question{}}
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Clock = f.clock.Now })
	f.fac = ts.client()
	mustStatus(t, f.fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	a := f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau), map[string]any{
		"title": "Curtea școlii", "purpose": "Ce schimbăm în curte?", "audienceBody": "Consiliul Local Bacău",
		"answerBy": now.AddDate(0, 2, 0).Format(time.RFC3339), "modes": []string{"self_paced", "paper"},
		"selfPacedFrom": f.from.Format(time.RFC3339), "selfPacedUntil": f.until.Format(time.RFC3339),
	})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	f.base = fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s", bacau, cons.ID)
	for _, q := range []map[string]any{
		{"kind": "single", "prompt": "Ce vrei în curte?", "options": []map[string]string{{"label": "bănci"}, {"label": "copaci", "emoji": "🌳"}}},
		{"kind": "multiple", "prompt": "Ce jocuri?", "maxChoices": 2, "options": []map[string]string{{"label": "șotron"}, {"label": "fotbal"}, {"label": "șah"}}},
		{"kind": "scale", "prompt": "Cât de mult îți place curtea?", "emojiFaces": true},
		{"kind": "short_text", "prompt": "Ce idee ai?"},
		{"kind": "word_cloud", "prompt": "Un cuvânt despre curte"},
		{"kind": "ranking", "prompt": "Ordonează", "options": []map[string]string{{"label": "umbră"}, {"label": "apă"}, {"label": "flori"}}},
		{"kind": "idea_board", "prompt": "Propune ceva"},
	} {
		a := f.fac.do(t, "POST", f.base+"/questions", q)
		mustStatus(t, a, 201)
		var got question
		decodeBody(t, a, &got)
		f.questions[got.Kind] = got
	}
	return ts, f
}

func (f *selfPacedFixture) link(t *testing.T) (key, url string) {
	t.Helper()
	a := f.fac.do(t, "GET", f.base+"/self-paced-link", nil)
	mustStatus(t, a, 200)
	var l struct {
		Key string `json:"key"`
		URL string `json:"url"`
	}
	decodeBody(t, a, &l)
	return l.Key, l.URL
}

type selfPacedResults struct {
	Questions []struct {
		QuestionID  string         `json:"questionId"`
		Respondents int            `json:"respondents"`
		BySource    map[string]int `json:"bySource"`
		Options     []struct {
			ID    string `json:"id"`
			Count int    `json:"count"`
		} `json:"options"`
		Texts []struct {
			Text   string `json:"text"`
			Source string `json:"source"`
		} `json:"texts"`
	} `json:"questions"`
}

func (f *selfPacedFixture) results(t *testing.T, qid string) selfPacedResults {
	t.Helper()
	a := f.fac.do(t, "GET", f.base+"/results?question="+qid, nil)
	mustStatus(t, a, 200)
	var r selfPacedResults
	decodeBody(t, a, &r)
	return r
}

func TestSelfPacedFromLinkToResults(t *testing.T) {
	ts, f := newSelfPacedFixture(t)

	// No link before the consultation opens.
	childProblem(t, f.fac.do(t, "GET", f.base+"/self-paced-link", nil), 409, "consultation_not_ready")
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, url := f.link(t)
	if again, _ := f.link(t); again != key || !strings.HasSuffix(url, "/p/"+key) || len(key) != 26 {
		t.Fatalf("link %q %q, then %q", key, url, again)
	}
	council := ts.client()
	mustStatus(t, council.login(t, "council.bacau@demo.voci.ro", testPassword), 200)
	childProblem(t, council.do(t, "GET", f.base+"/self-paced-link", nil), 404, "not_found")

	// Before the dates: a kind refusal that says them.
	child := &kid{ts: ts, key: key}
	for _, a := range []answer{child.do(t, "GET", "", nil), child.do(t, "POST", "/participants", map[string]string{"lang": "ro"})} {
		p := childProblem(t, a, 409, "self_paced_not_yet_open")
		if p["opensAt"] != f.from.Format(time.RFC3339) || p["closesAt"] != f.until.Format(time.RFC3339) {
			t.Fatalf("the dates are not said: %v", p)
		}
	}

	f.clock.Set(f.from)
	a := child.do(t, "GET", "", nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"title":"Curtea școlii"`) || !strings.Contains(string(a.body), `"audienceBody":"Consiliul Local Bacău"`) {
		t.Fatalf("what the child sees first: %s", a.body)
	}
	child.join(t, "hu")

	// Coming back: the questions, nothing answered yet.
	a = child.do(t, "GET", "/me", nil)
	mustStatus(t, a, 200)
	var me struct {
		Participant struct {
			Alias string `json:"alias"`
			Lang  string `json:"lang"`
		} `json:"participant"`
		Questions []struct {
			ID        string `json:"id"`
			Kind      string `json:"kind"`
			MaxLength int    `json:"maxLength"`
		} `json:"questions"`
		Answers []struct {
			QuestionID string   `json:"questionId"`
			Choices    []string `json:"choices"`
			Text       string   `json:"text"`
			Moderation string   `json:"moderation"`
		} `json:"answers"`
	}
	decodeBody(t, a, &me)
	if len(me.Questions) != 7 || len(me.Answers) != 0 || me.Participant.Lang != "hu" || me.Questions[3].MaxLength != 280 {
		t.Fatalf("me %s", a.body)
	}
	mustStatus(t, child.do(t, "PUT", "/me/profile", map[string]string{"ageBand": "13_15", "gender": "prefer_not_to_say"}), 200)
	a = child.do(t, "POST", "/me/alias", map[string]string{"lang": "en"})
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"lang":"en"`) {
		t.Fatalf("reroll %s", a.body)
	}

	// Every kind of question.
	q := f.questions
	key1 := map[string]any{"choices": []string{q["single"].option("copaci")}, "idempotencyKey": "single-000001"}
	first := child.mustAnswer(t, q["single"].ID, key1)
	if first.Replayed || first.Moderation != "" {
		t.Fatalf("first ack %+v", first)
	}
	child.mustAnswer(t, q["multiple"].ID, map[string]any{"choices": []string{q["multiple"].option("șah"), q["multiple"].option("fotbal")}, "idempotencyKey": "multiple-0001"})
	child.mustAnswer(t, q["scale"].ID, map[string]any{"choices": []string{"5"}, "idempotencyKey": "scale-000001"})
	text := child.mustAnswer(t, q["short_text"].ID, map[string]any{"text": "  mai multă umbră  ", "idempotencyKey": "text-0000001"})
	if text.Moderation != "pending" {
		t.Fatalf("text not held for the facilitator: %+v", text)
	}
	child.mustAnswer(t, q["word_cloud"].ID, map[string]any{"text": "verde", "idempotencyKey": "cloud-000001"})
	child.mustAnswer(t, q["ranking"].ID, map[string]any{"choices": []string{q["ranking"].option("apă"), q["ranking"].option("umbră"), q["ranking"].option("flori")}, "idempotencyKey": "rank-0000001"})
	held := child.mustAnswer(t, q["idea_board"].ID, map[string]any{"text": "scrieți-mi la ana@example.com", "idempotencyKey": "idea-0000001"})
	if held.Moderation != "held" {
		t.Fatalf("an email address not held: %+v", held)
	}

	// A retry is the first acknowledgement again.
	again := child.mustAnswer(t, q["single"].ID, key1)
	if !again.Replayed || !again.AcceptedAt.Equal(first.AcceptedAt) {
		t.Fatalf("retry %+v, first %+v", again, first)
	}

	// Bad input, answered with problems, and nothing written.
	other := &kid{ts: ts, key: key}
	other.join(t, "ro")
	childProblem(t, child.answer(t, "no-such-question", map[string]any{"choices": []string{"1"}, "idempotencyKey": "bad-00000001"}), 404, "question_not_in_consultation")
	childProblem(t, child.answer(t, q["single"].ID, map[string]any{"choices": []string{q["multiple"].option("șah")}, "idempotencyKey": "bad-00000002"}), 400, "option_not_in_question")
	childProblem(t, child.answer(t, q["word_cloud"].ID, map[string]any{"text": strings.Repeat("a", 41), "idempotencyKey": "bad-00000003"}), 400, "text_too_long")
	childProblem(t, child.answer(t, q["short_text"].ID, map[string]any{"text": strings.Repeat("ș", 281), "idempotencyKey": "bad-00000004"}), 400, "text_too_long")
	childProblem(t, child.answer(t, q["single"].ID, map[string]any{"choices": []string{q["single"].option("bănci")}, "idempotencyKey": "short"}), 400, "invalid_parameter")
	childProblem(t, child.answer(t, q["single"].ID, map[string]any{"choices": []string{q["single"].option("bănci")}, "idempotencyKey": "bad-00000005", "vote": 2}), 400, "invalid_body")
	childProblem(t, child.do(t, "PUT", "/me/profile", map[string]string{"ageBand": "adult"}), 400, "invalid_parameter")
	forged := &kid{ts: ts, key: key, token: "forged-token-forged-token-forged-token-0000"}
	childProblem(t, forged.do(t, "GET", "/me", nil), 401, "unauthorized")
	childProblem(t, (&kid{ts: ts, key: key}).do(t, "GET", "/me", nil), 401, "unauthorized")
	childProblem(t, (&kid{ts: ts, key: "aaaaaaaaaaaaaaaaaaaaaaaaaa"}).do(t, "GET", "", nil), 404, "self_paced_link_unknown")
	childProblem(t, (&kid{ts: ts, key: "123456"}).do(t, "POST", "/participants", map[string]string{}), 404, "self_paced_link_unknown")
	r := f.results(t, q["single"].ID)
	if r.Questions[0].Respondents != 1 || r.Questions[0].Options[1].Count != 1 {
		t.Fatalf("a refused answer was counted: %+v", r)
	}

	// The other child answers too; the two count together, by source.
	other.mustAnswer(t, q["single"].ID, map[string]any{"choices": []string{q["single"].option("bănci")}, "idempotencyKey": "other-000001"})
	mustStatus(t, f.fac.do(t, "POST", f.base+"/paper-forms", map[string]any{"key": "paper-form-01", "answers": []map[string]any{
		{"questionId": q["single"].ID, "choices": []string{q["single"].option("bănci")}}}}), 201)
	r = f.results(t, q["single"].ID)
	if got := r.Questions[0]; got.Respondents != 3 || got.BySource["self_paced"] != 2 || got.BySource["paper"] != 1 || got.Options[0].Count != 2 {
		t.Fatalf("results by source %+v", got)
	}

	// Changing an answer replaces it.
	child.mustAnswer(t, q["single"].ID, map[string]any{"choices": []string{q["single"].option("bănci")}, "idempotencyKey": "single-000002"})
	r = f.results(t, q["single"].ID)
	if got := r.Questions[0]; got.Respondents != 3 || got.Options[0].Count != 3 || got.Options[1].Count != 0 {
		t.Fatalf("after a change %+v", got)
	}

	// Text is counted once the facilitator approves it, marked as self-paced.
	if r := f.results(t, q["short_text"].ID); len(r.Questions[0].Texts) != 0 {
		t.Fatalf("unmoderated text shown: %+v", r)
	}
	a = f.fac.do(t, "GET", f.base+"/moderation", nil)
	var queue struct {
		Items []struct {
			AnswerID string `json:"answerId"`
			Text     string `json:"text"`
			Source   string `json:"source"`
			Revision int    `json:"revision"`
		} `json:"items"`
		Held []struct {
			Text string `json:"text"`
		} `json:"held"`
	}
	decodeBody(t, a, &queue)
	approved := false
	for _, it := range queue.Items {
		if it.Text == "mai multă umbră" && it.Source == "self_paced" {
			mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, it.AnswerID),
				map[string]any{"state": "approved", "revision": it.Revision}), 200)
			approved = true
		}
	}
	if !approved || len(queue.Items) != 2 || len(queue.Held) != 1 {
		t.Fatalf("moderation queue %s", a.body)
	}
	if r := f.results(t, q["short_text"].ID); len(r.Questions[0].Texts) != 1 || r.Questions[0].Texts[0].Source != "self_paced" || r.Questions[0].Texts[0].Text != "mai multă umbră" {
		t.Fatalf("approved text %+v", r)
	}

	// Coming back on the same device: every answer as given.
	decodeBody(t, child.do(t, "GET", "/me", nil), &me)
	if len(me.Answers) != 7 {
		t.Fatalf("answers on return %+v", me.Answers)
	}
	for _, ans := range me.Answers {
		if ans.QuestionID == q["single"].ID && (len(ans.Choices) != 1 || ans.Choices[0] != q["single"].option("bănci")) {
			t.Fatalf("the changed answer %+v", ans)
		}
		if ans.QuestionID == q["idea_board"].ID && ans.Moderation != "held" {
			t.Fatalf("the held idea %+v", ans)
		}
	}

	// "I need to talk to someone" reaches the safeguarding lead.
	a = child.do(t, "POST", "/me/help?lang=en", nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), "116 111") || !strings.Contains(string(a.body), `{"number":"119","kind":"abuse_report"}`) {
		t.Fatalf("help %s", a.body)
	}
	lead := ts.client()
	mustStatus(t, lead.login(t, "safeguarding.bacau@demo.voci.ro", testPassword), 200)
	a = lead.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/help-requests?open=true", bacau), nil)
	if !strings.Contains(string(a.body), `"consultationId":"`+strings.TrimPrefix(f.base, fmt.Sprintf("/api/v1/municipalities/%d/consultations/", bacau))+`"`) {
		t.Fatalf("help requests %s", a.body)
	}

	// Once the dates pass, the link and the token stop, kindly.
	f.clock.Set(f.until)
	p := childProblem(t, child.do(t, "GET", "/me", nil), 410, "self_paced_closed")
	if p["closesAt"] != f.until.Format(time.RFC3339) {
		t.Fatalf("the closing date is not said: %v", p)
	}
	childProblem(t, child.answer(t, q["scale"].ID, map[string]any{"choices": []string{"1"}, "idempotencyKey": "late-0000001"}), 410, "self_paced_closed")
}

// Concurrent duplicates under one idempotency key: exactly one answer is counted and every
// request gets the same acknowledgement.
func TestSelfPacedConcurrentDuplicatesCountOnce(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.from.Add(time.Minute))
	child := &kid{ts: ts, key: key}
	child.join(t, "ro")
	single := f.questions["single"]
	var wg sync.WaitGroup
	acks := make([]selfPacedAck, 10)
	for i := range acks {
		wg.Go(func() {
			a := child.answer(t, single.ID, map[string]any{"choices": []string{single.option("copaci")}, "idempotencyKey": "same-key-0001"})
			if a.status != 200 {
				t.Errorf("status %d: %s", a.status, a.body)
				return
			}
			json.Unmarshal(a.body, &acks[i])
		})
	}
	wg.Wait()
	fresh := 0
	for _, ack := range acks {
		if !ack.AcceptedAt.Equal(acks[0].AcceptedAt) {
			t.Fatalf("acknowledgements differ: %+v", acks)
		}
		if !ack.Replayed {
			fresh++
		}
	}
	r := f.results(t, single.ID)
	if fresh != 1 || r.Questions[0].Respondents != 1 || r.Questions[0].BySource["self_paced"] != 1 {
		t.Fatalf("%d first acknowledgements, results %+v", fresh, r)
	}
}

// A token opens only its own consultation's link, and a question of another consultation is
// refused.
func TestSelfPacedTokensStayWithTheirConsultation(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	keyA, _ := f.link(t)
	otherBase := f.base
	// A second consultation with its own link.
	a := f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau), map[string]any{
		"title": "Parcul", "audienceBody": "Consiliul Local Bacău", "answerBy": f.until.AddDate(0, 1, 0).Format(time.RFC3339),
		"modes": []string{"self_paced"}, "selfPacedFrom": f.from.Format(time.RFC3339), "selfPacedUntil": f.until.Format(time.RFC3339),
	})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	f.base = fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s", bacau, cons.ID)
	a = f.fac.do(t, "POST", f.base+"/questions", map[string]any{"kind": "single", "prompt": "Ce?", "options": []map[string]string{{"label": "da"}, {"label": "nu"}}})
	var foreign question
	decodeBody(t, a, &foreign)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	keyB, _ := f.link(t)
	if keyA == keyB {
		t.Fatal("two consultations share a link")
	}
	f.clock.Set(f.from)

	childA := &kid{ts: ts, key: keyA}
	childA.join(t, "ro")
	childB := &kid{ts: ts, key: keyB}
	childB.join(t, "ro")
	// A's token on B's link.
	childProblem(t, (&kid{ts: ts, key: keyB, token: childA.token}).do(t, "GET", "/me", nil), 401, "unauthorized")
	// B's question through A's link.
	childProblem(t, childA.answer(t, foreign.ID, map[string]any{"choices": []string{foreign.option("da")}, "idempotencyKey": "foreign-0001"}), 404, "question_not_in_consultation")
	f.base = otherBase
	if r := f.results(t, f.questions["single"].ID); r.Questions[0].Respondents != 0 {
		t.Fatalf("a refused answer was counted %+v", r)
	}
	// The token is no live participant's either: the live websocket would refuse it.
	if _, err := ts.Participation.AuthenticateParticipant(t.Context(), childA.token); voci.ErrorCode(err) != voci.EUNAUTHORIZED {
		t.Fatalf("a self-paced token as a live participant: %v", err)
	}
}

// Guessing link keys is throttled like guessing join codes; a class opening a link that is
// not open yet is not.
func TestSelfPacedGuessesAreThrottled(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	early := &kid{ts: ts, key: key}
	for range 30 {
		childProblem(t, early.do(t, "POST", "/participants", map[string]string{"lang": "ro"}), 409, "self_paced_not_yet_open")
	}
	var last answer
	for i := range 21 {
		last = (&kid{ts: ts, key: fmt.Sprintf("%026d", i)}).do(t, "GET", "", nil)
	}
	childProblem(t, last, 429, "rate_limited")
	// The budget is shared with join codes: this client's next wrong code is refused too.
	childProblem(t, ts.do(t, "POST", "/api/v1/join", "application/json", `{"code":"000000"}`), 429, "rate_limited")
}

// A child on the link reads the others' approved ideas and reacts to them; the reactions
// count in the results, and a changed idea is judged afresh.
func TestSelfPacedIdeaBoard(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.from.Add(time.Minute))
	author, reader := &kid{ts: ts, key: key}, &kid{ts: ts, key: key}
	author.join(t, "ro")
	reader.join(t, "en")
	board := f.questions["idea_board"]
	type ideas struct {
		Items []struct {
			IdeaID   string `json:"ideaId"`
			Text     string `json:"text"`
			Own      bool   `json:"own"`
			Reaction string `json:"reaction"`
		} `json:"items"`
	}
	list := func(k *kid) ideas {
		t.Helper()
		a := k.do(t, "GET", "/me/ideas/"+board.ID, nil)
		mustStatus(t, a, 200)
		var out ideas
		decodeBody(t, a, &out)
		return out
	}
	react := func(k *kid, idea, reaction string) answer {
		t.Helper()
		return k.do(t, "PUT", "/me/ideas/"+board.ID+"/reactions/"+idea, map[string]string{"reaction": reaction})
	}

	author.mustAnswer(t, board.ID, map[string]any{"text": "O grădină de legume", "idempotencyKey": "idea-sp-0001"})
	var queue struct {
		Items []struct {
			AnswerID string `json:"answerId"`
		} `json:"items"`
	}
	decodeBody(t, f.fac.do(t, "GET", f.base+"/moderation", nil), &queue)
	if len(queue.Items) != 1 {
		t.Fatalf("queue %+v", queue)
	}
	idea := queue.Items[0].AnswerID
	if got := list(reader); len(got.Items) != 0 {
		t.Fatalf("an idea not yet approved is shown: %+v", got)
	}
	childProblem(t, react(reader, idea, "agree"), 404, "not_found")
	approve := func(revision int) {
		t.Helper()
		mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, idea),
			map[string]any{"state": "approved", "revision": revision}), 200)
	}
	approve(1)

	if got := list(reader); len(got.Items) != 1 || got.Items[0].Text != "O grădină de legume" || got.Items[0].Own || got.Items[0].Reaction != "" {
		t.Fatalf("the reader's board: %+v", got)
	}
	if got := list(author); len(got.Items) != 1 || !got.Items[0].Own {
		t.Fatalf("the author's board: %+v", got)
	}
	mustStatus(t, react(reader, idea, "pass"), 200)
	mustStatus(t, react(reader, idea, "agree"), 200) // changed their mind: replaced
	if got := list(reader); got.Items[0].Reaction != "agree" {
		t.Fatalf("the reader's reaction: %+v", got)
	}
	childProblem(t, react(author, idea, "agree"), 400, "invalid_parameter")
	childProblem(t, react(reader, idea, "love"), 400, "invalid_parameter")
	childProblem(t, react(reader, "no-such-idea", "agree"), 404, "not_found")
	childProblem(t, react(reader, idea+"x", "agree"), 404, "not_found")
	childProblem(t, reader.do(t, "GET", "/me/ideas/"+f.questions["single"].ID, nil), 400, "invalid_parameter")
	stranger := &kid{ts: ts, key: key, token: "not-a-token-of-this-link"}
	childProblem(t, stranger.do(t, "GET", "/me/ideas/"+board.ID, nil), 401, "unauthorized")

	var r struct {
		Questions []struct {
			Texts []struct {
				Reactions struct{ Agree, Disagree, Pass int } `json:"reactions"`
			} `json:"texts"`
		} `json:"questions"`
	}
	decodeBody(t, f.fac.do(t, "GET", f.base+"/results?question="+board.ID, nil), &r)
	if len(r.Questions[0].Texts) != 1 || r.Questions[0].Texts[0].Reactions.Agree != 1 || r.Questions[0].Texts[0].Reactions.Pass != 0 {
		t.Fatalf("results %+v", r)
	}

	// The author changes the idea: once approved again, nobody has judged the new words.
	author.mustAnswer(t, board.ID, map[string]any{"text": "O grădină de legume și flori", "idempotencyKey": "idea-sp-0002"})
	approve(2)
	if got := list(reader); len(got.Items) != 1 || got.Items[0].Reaction != "" || got.Items[0].Text != "O grădină de legume și flori" {
		t.Fatalf("after the change: %+v", got)
	}

	// After the link's dates, the board is closed too.
	f.clock.Set(f.until)
	childProblem(t, reader.do(t, "GET", "/me/ideas/"+board.ID, nil), 410, "self_paced_closed")
}
