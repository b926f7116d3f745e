package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

// These tests drive live sessions as they run: the real application on a real listener at
// 127.0.0.1:0, a real SQLite file, and real websockets.

const (
	bacau       = 20297
	allowedHost = "http://localhost:8080" // the default allowed origin of the test configuration
)

type liveServer struct {
	*testServer
	addr string
	stop func()
}

func newLiveServer(t *testing.T, opts ...func(*httpapi.Deps)) *liveServer {
	t.Helper()
	ts := newTestServer(t, opts...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ts.Serve(ctx, ln, 5*time.Second) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return &liveServer{testServer: ts, addr: ln.Addr().String(), stop: stop}
}

// fixture is a consultation of Bacău with three questions, open, with a live session started.
type fixture struct {
	fac            *client
	consultationID string
	sessionID      string
	joinCode       string
	single         question // swings / trees / pond
	text           question
	multiple       question
}

type question struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Options []struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"options"`
}

func (q question) option(label string) string {
	for _, o := range q.Options {
		if o.Label == label {
			return o.ID
		}
	}
	panic("no option " + label)
}

func mustStatus(t *testing.T, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
}

func decodeBody(t *testing.T, a answer, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("%v: %s", err, a.body)
	}
}

func (ls *liveServer) setUp(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{fac: ls.client()}
	mustStatus(t, f.fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	a := f.fac.do(t, "POST", base, map[string]any{
		"title": "Parcul nostru", "purpose": "Ce ar trebui să aibă parcul nou?", "easyRead": "Spune-ne despre parc.",
		"ageBands": []string{"10_12", "13_15"}, "goals": []string{"safe_environment"}, "topics": []string{"parcuri"},
		"audienceBody": "Consiliul Local Bacău", "answerBy": time.Now().AddDate(0, 2, 0).UTC().Format(time.RFC3339), "modes": []string{"live"},
	})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	f.consultationID = cons.ID
	add := func(body map[string]any) question {
		a := f.fac.do(t, "POST", base+"/"+cons.ID+"/questions", body)
		mustStatus(t, a, 201)
		var q question
		decodeBody(t, a, &q)
		return q
	}
	f.single = add(map[string]any{"kind": "single", "prompt": "Ce vrei mai mult?", "options": []map[string]string{
		{"label": "swings", "emoji": "🛝"}, {"label": "trees", "emoji": "🌳"}, {"label": "pond"}}})
	f.text = add(map[string]any{"kind": "short_text", "prompt": "Ce idee ai?"})
	f.multiple = add(map[string]any{"kind": "multiple", "prompt": "Ce sporturi?", "maxChoices": 2, "options": []map[string]string{
		{"label": "football"}, {"label": "basket"}, {"label": "chess"}}})
	mustStatus(t, f.fac.do(t, "POST", base+"/"+cons.ID+"/status", map[string]string{"status": "open"}), 200)
	a = f.fac.do(t, "POST", base+"/"+cons.ID+"/live-sessions", nil)
	mustStatus(t, a, 201)
	var live struct {
		ID       string `json:"id"`
		JoinCode string `json:"joinCode"`
		State    string `json:"state"`
	}
	decodeBody(t, a, &live)
	if len(live.JoinCode) != 6 || live.State != "lobby" {
		t.Fatalf("started %+v", live)
	}
	f.sessionID, f.joinCode = live.ID, live.JoinCode
	return f
}

// A websocket test client.
type wsConn struct {
	t    *testing.T
	c    *websocket.Conn
	mu   sync.Mutex
	next int
}

type envelope struct {
	Type string          `json:"type"`
	ID   string          `json:"id"`
	Data json.RawMessage `json:"data"`
}

func (e envelope) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(e.Data, v); err != nil {
		t.Fatalf("%s: %v: %s", e.Type, err, e.Data)
	}
}

func (ls *liveServer) dial(t *testing.T, path string, header http.Header) (*wsConn, *http.Response, error) {
	t.Helper()
	if header == nil {
		header = http.Header{}
	}
	if header.Get("Origin") == "" {
		header.Set("Origin", allowedHost)
	}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial("ws://"+ls.addr+path, header)
	if err != nil {
		return nil, resp, err
	}
	w := &wsConn{t: t, c: c}
	t.Cleanup(func() { c.Close() })
	return w, resp, nil
}

func (ls *liveServer) mustDial(t *testing.T, path string, header http.Header) *wsConn {
	t.Helper()
	w, resp, err := ls.dial(t, path, header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", path, err, status)
	}
	w.expect("welcome")
	return w
}

func (ls *liveServer) adult(t *testing.T, cl *client, f *fixture, role string) *wsConn {
	t.Helper()
	h := http.Header{}
	h.Set("Cookie", "voci_session="+cl.cookie)
	return ls.mustDial(t, fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/%s", bacau, f.sessionID, role), h)
}

type child struct {
	*wsConn
	token string
	alias string
	id    string
}

func (ls *liveServer) join(t *testing.T, f *fixture, lang string) *child {
	t.Helper()
	a := ls.do(t, "POST", "/api/v1/join", "application/json", fmt.Sprintf(`{"code":%q,"lang":%q}`, f.joinCode, lang))
	mustStatus(t, a, 201)
	var resp struct {
		Alias            string `json:"alias"`
		ParticipantToken string `json:"participantToken"`
		Participant      struct {
			ID string `json:"id"`
		} `json:"participant"`
		Session struct {
			ID string `json:"id"`
		} `json:"session"`
	}
	decodeBody(t, a, &resp)
	if resp.Session.ID != f.sessionID || resp.ParticipantToken == "" || resp.Alias == "" {
		t.Fatalf("join %s", a.body)
	}
	c := &child{token: resp.ParticipantToken, alias: resp.Alias, id: resp.Participant.ID}
	c.wsConn = ls.mustDial(t, participantPath, childHeader(c.token))
	return c
}

func (w *wsConn) send(typ string, data any) string {
	w.mu.Lock()
	w.next++
	id := fmt.Sprintf("m%d", w.next)
	w.mu.Unlock()
	w.sendAs(typ, id, data)
	return id
}

func (w *wsConn) sendAs(typ, id string, data any) {
	b, _ := json.Marshal(map[string]any{"type": typ, "id": id, "data": data})
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.c.WriteMessage(websocket.TextMessage, b); err != nil {
		w.t.Fatalf("send %s: %v", typ, err)
	}
}

// read returns the next message, or the error that ended the connection.
func (w *wsConn) read(within time.Duration) (envelope, error) {
	w.c.SetReadDeadline(time.Now().Add(within))
	_, b, err := w.c.ReadMessage()
	if err != nil {
		return envelope{}, err
	}
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		w.t.Fatalf("not an envelope: %s", b)
	}
	return e, nil
}

// expect reads until a message of the type, failing after 5 seconds.
func (w *wsConn) expect(typ string) envelope {
	w.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		e, err := w.read(time.Until(deadline))
		if err != nil {
			w.t.Fatalf("waiting for %s: %v", typ, err)
		}
		if e.Type == typ {
			return e
		}
	}
}

// reply reads until the answer to the message id (its result or its error).
func (w *wsConn) reply(id string) envelope {
	w.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		e, err := w.read(time.Until(deadline))
		if err != nil {
			w.t.Fatalf("waiting for the reply to %s: %v", id, err)
		}
		if e.ID == id {
			return e
		}
	}
}

func (w *wsConn) errorCode(e envelope) string {
	if e.Type != "error" {
		return ""
	}
	var d struct {
		Code string `json:"code"`
	}
	json.Unmarshal(e.Data, &d)
	return d.Code
}

// closeCode reads until the connection closes and returns its close code.
func (w *wsConn) closeCode(within time.Duration) int {
	w.t.Helper()
	deadline := time.Now().Add(within)
	for {
		_, err := w.read(time.Until(deadline))
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		w.t.Fatalf("connection ended without a close frame: %v", err)
	}
}

func (f *fixture) command(t *testing.T, fac *wsConn, typ string, data any) {
	t.Helper()
	id := fac.send(typ, data)
	if r := fac.reply(id); r.Type != "command.ok" {
		t.Fatalf("%s: %s %s", typ, r.Type, r.Data)
	}
}

type ack struct {
	QuestionID     string `json:"questionId"`
	IdempotencyKey string `json:"idempotencyKey"`
	Moderation     string `json:"moderation"`
	Replayed       bool   `json:"replayed"`
}

func (c *child) answer(t *testing.T, questionID string, choices []string, text, key string) envelope {
	t.Helper()
	id := c.send("answer.submit", map[string]any{"questionId": questionID, "choices": choices, "text": text, "idempotencyKey": key})
	return c.reply(id)
}

func (c *child) mustAnswer(t *testing.T, questionID string, choices []string, text, key string) ack {
	t.Helper()
	r := c.answer(t, questionID, choices, text, key)
	if r.Type != "answer.ack" {
		t.Fatalf("answer: %s %s", r.Type, r.Data)
	}
	var a ack
	r.decode(t, &a)
	return a
}

type resultsJSON struct {
	Questions []struct {
		QuestionID  string `json:"questionId"`
		Respondents int    `json:"respondents"`
		Options     []struct {
			ID    string `json:"id"`
			Count int    `json:"count"`
		} `json:"options"`
		Texts []struct {
			Text string `json:"text"`
		} `json:"texts"`
		ByAgeBand *struct {
			Groups []struct {
				Group       string `json:"group"`
				Respondents *int   `json:"respondents"`
			} `json:"groups"`
		} `json:"byAgeBand"`
	} `json:"questions"`
}

func (f *fixture) results(t *testing.T, questionID string) resultsJSON {
	t.Helper()
	a := f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/results?question=%s", bacau, f.consultationID, questionID), nil)
	mustStatus(t, a, 200)
	var r resultsJSON
	decodeBody(t, a, &r)
	return r
}

func count(r resultsJSON, optionID string) int {
	for _, o := range r.Questions[0].Options {
		if o.ID == optionID {
			return o.Count
		}
	}
	return -1
}

type tally struct {
	QuestionID  string `json:"questionId"`
	Respondents int    `json:"respondents"`
	Connected   int    `json:"connected"`
	Options     []struct {
		ID    string `json:"id"`
		Count int    `json:"count"`
	} `json:"options"`
}

// waitTally reads tallies until one satisfies ok.
func waitTally(t *testing.T, w *wsConn, ok func(tally) bool) tally {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		e, err := w.read(time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for a tally: %v", err)
		}
		if e.Type != "tally" {
			continue
		}
		var d tally
		e.decode(t, &d)
		if ok(d) {
			return d
		}
	}
}

func TestLiveSessionFromJoinToResults(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	presenter := ls.adult(t, f.fac, f, "presenter")

	ana, bogdan, csilla := ls.join(t, f, "ro"), ls.join(t, f, "en"), ls.join(t, f, "hu")
	for _, c := range []*child{ana, bogdan, csilla} {
		if st := c.expect("session.state"); !strings.Contains(string(st.Data), `"state":"lobby"`) {
			t.Fatalf("lobby: %s", st.Data)
		}
	}
	if r := ana.reply(ana.send("profile.set", map[string]string{"ageBand": "10_12", "gender": "prefer_not_to_say"})); r.Type != "profile.ok" {
		t.Fatalf("profile: %s %s", r.Type, r.Data)
	}
	old := bogdan.alias
	r := bogdan.reply(bogdan.send("alias.reroll", map[string]string{"lang": "en"}))
	if r.Type != "alias" || strings.Contains(string(r.Data), fmt.Sprintf(`"alias":%q`, old)) && false {
		t.Fatalf("reroll: %s %s", r.Type, r.Data)
	}

	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID, "timerSeconds": 60})
	for _, c := range []*child{ana, bogdan, csilla} {
		st := c.expect("session.state")
		if !strings.Contains(string(st.Data), `"state":"question_open"`) || !strings.Contains(string(st.Data), f.single.ID) {
			t.Fatalf("open: %s", st.Data)
		}
	}
	swings, trees := f.single.option("swings"), f.single.option("trees")
	ana.mustAnswer(t, f.single.ID, []string{swings}, "", "ana-key-0001")
	bogdan.mustAnswer(t, f.single.ID, []string{trees}, "", "bogdan-key-01")
	csilla.mustAnswer(t, f.single.ID, []string{trees}, "", "csilla-key-01")
	// Changing an answer while open replaces it.
	ana.mustAnswer(t, f.single.ID, []string{trees}, "", "ana-key-0002")

	tl := waitTally(t, presenter, func(d tally) bool { return d.Respondents == 3 && d.Options[1].Count == 3 })
	if tl.Options[0].Count != 0 || tl.Connected != 3 {
		t.Fatalf("presenter tally %+v", tl)
	}
	res := f.results(t, f.single.ID)
	if res.Questions[0].Respondents != 3 || count(res, trees) != 3 || count(res, swings) != 0 {
		t.Fatalf("results %+v", res)
	}
	// Three children: every age band cell is below k and is suppressed.
	for _, g := range res.Questions[0].ByAgeBand.Groups {
		if g.Respondents != nil && *g.Respondents > 0 {
			t.Fatalf("a group below k is shown: %+v", g)
		}
	}

	f.command(t, fac, "results.reveal", nil)
	rv := bogdan.expect("results")
	if !strings.Contains(string(rv.Data), `"respondents":3`) {
		t.Fatalf("revealed %s", rv.Data)
	}

	// Text: a phone number is held automatically; clean text waits for the facilitator.
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	held := ana.mustAnswer(t, f.text.ID, nil, "sună-mă la 0722 123 456", "ana-text-0001")
	pending := bogdan.mustAnswer(t, f.text.ID, nil, "More trees and a pond", "bogdan-text-1")
	if held.Moderation != "held" || pending.Moderation != "pending" {
		t.Fatalf("moderation: held=%+v pending=%+v", held, pending)
	}
	mod := fac.expect("moderation.new")
	if !strings.Contains(string(mod.Data), `"phone"`) {
		t.Fatalf("the facilitator hears of held text with its flags: %s", mod.Data)
	}
	a := f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/moderation", bacau, f.consultationID), nil)
	mustStatus(t, a, 200)
	var queue struct {
		Items []struct {
			AnswerID   string   `json:"answerId"`
			Text       string   `json:"text"`
			Moderation string   `json:"moderation"`
			Flags      []string `json:"flags"`
			Revision   int      `json:"revision"`
		} `json:"items"`
		Held []struct {
			AnswerID string   `json:"answerId"`
			Flags    []string `json:"flags"`
		} `json:"held"`
	}
	decodeBody(t, a, &queue)
	// The held text comes apart from the ordinary one, with its reasons.
	if len(queue.Items) != 1 || queue.Items[0].Moderation != "pending" || len(queue.Held) != 1 || queue.Held[0].Flags[0] != "phone" {
		t.Fatalf("queue %s", a.body)
	}
	// Nobody but the facilitator sees text before approval.
	if res := f.results(t, f.text.ID); len(res.Questions[0].Texts) != 0 {
		t.Fatalf("unapproved text in results: %+v", res)
	}
	for _, it := range queue.Items {
		if it.Moderation == "pending" {
			a := f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, it.AnswerID),
				map[string]any{"state": "approved", "revision": it.Revision})
			mustStatus(t, a, 200)
		}
	}
	approved := presenter.expect("text.approved")
	if !strings.Contains(string(approved.Data), "More trees and a pond") {
		t.Fatalf("presenter text %s", approved.Data)
	}
	res = f.results(t, f.text.ID)
	if len(res.Questions[0].Texts) != 1 || res.Questions[0].Texts[0].Text != "More trees and a pond" {
		t.Fatalf("results texts %+v", res.Questions[0].Texts)
	}

	// "I need to talk to someone" reaches the safeguarding lead and no result.
	for range 2 { // pressed twice: one request
		hr := csilla.reply(csilla.send("help.request", nil))
		if hr.Type != "help.ack" || !strings.Contains(string(hr.Data), "112") {
			t.Fatalf("help: %s %s", hr.Type, hr.Data)
		}
	}
	lead := ls.client()
	mustStatus(t, lead.login(t, "safeguarding.bacau@demo.voci.ro", testPassword), 200)
	a = lead.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/help-requests?open=true", bacau), nil)
	mustStatus(t, a, 200)
	if strings.Count(string(a.body), `"alias":`) != 1 || !strings.Contains(string(a.body), csilla.alias) {
		t.Fatalf("help requests %s", a.body)
	}
	// The facilitator cannot read them; the lead cannot read results.
	mustStatus(t, f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/help-requests", bacau), nil), 404)

	// CSV export: safe against formula injection.
	evil := ls.join(t, f, "en")
	evil.expect("session.state")
	evil.mustAnswer(t, f.text.ID, nil, "=HYPERLINK(\"x\")", "evil-key-0001")
	a = f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/moderation", bacau, f.consultationID), nil)
	decodeBody(t, a, &queue)
	for _, it := range queue.Items {
		if strings.HasPrefix(it.Text, "=") {
			mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, it.AnswerID),
				map[string]any{"state": "approved", "revision": it.Revision}), 200)
		}
	}
	a = f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/results.csv", bacau, f.consultationID), nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `'=HYPERLINK`) || strings.Contains(string(a.body), `,=HYPERLINK`) {
		t.Fatalf("CSV not defused:\n%s", a.body)
	}
	council := ls.client()
	mustStatus(t, council.login(t, "council.bacau@demo.voci.ro", testPassword), 200)
	mustStatus(t, council.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/results.json", bacau, f.consultationID), nil), 200)
	mustStatus(t, council.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/moderation", bacau, f.consultationID), nil), 404)

	// Ending the session closes every connection, the console's too (after its command.ok),
	// and frees the code.
	if r := fac.reply(fac.send("session.end", nil)); r.Type != "command.ok" {
		t.Fatalf("session.end: %s %s", r.Type, r.Data)
	}
	if code := fac.closeCode(5 * time.Second); code != 4004 {
		t.Fatalf("console close code %d, want 4004", code)
	}
	if code := ana.closeCode(5 * time.Second); code != 4004 {
		t.Fatalf("close code %d, want 4004", code)
	}
	a = ls.do(t, "POST", "/api/v1/join", "application/json", fmt.Sprintf(`{"code":%q}`, f.joinCode))
	mustStatus(t, a, 404)
}

func TestLiveBadInput(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "ro")
	swings := f.single.option("swings")

	// Not yet open.
	if code := kid.errorCode(kid.answer(t, f.single.ID, []string{swings}, "", "early-key-01")); code != "question_not_open" {
		t.Fatalf("answer in the lobby: %s", code)
	}
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})

	// Another session's question: a second consultation of the same municipality.
	other := ls.setUp(t)
	if code := kid.errorCode(kid.answer(t, other.single.ID, []string{other.single.option("swings")}, "", "other-key-01")); code != "question_not_open" {
		t.Fatalf("another session's question: %s", code)
	}
	// A question of this consultation that is not the open one.
	if code := kid.errorCode(kid.answer(t, f.multiple.ID, []string{f.multiple.option("chess")}, "", "multi-key-01")); code != "question_not_open" {
		t.Fatalf("not the open question: %s", code)
	}
	// Another question's option.
	if code := kid.errorCode(kid.answer(t, f.single.ID, []string{f.multiple.option("chess")}, "", "wrong-opt-01")); code != "option_not_in_question" {
		t.Fatalf("another question's option: %s", code)
	}
	// A bad idempotency key.
	if code := kid.errorCode(kid.answer(t, f.single.ID, []string{swings}, "", "x")); code != "invalid_parameter" {
		t.Fatalf("short key: %s", code)
	}
	// Unknown fields and unknown types are refused, not ignored.
	if code := kid.errorCode(kid.reply(kid.send("answer.submit", map[string]any{"questionId": f.single.ID, "name": "Ana"}))); code != "invalid_message" {
		t.Fatalf("unknown field: %s", code)
	}
	if code := kid.errorCode(kid.reply(kid.send("vote.twice", nil))); code != "invalid_message" {
		t.Fatalf("unknown type: %s", code)
	}
	// A child cannot send the facilitator's commands.
	if code := kid.errorCode(kid.reply(kid.send("question.lock", nil))); code != "forbidden" {
		t.Fatalf("child locks: %s", code)
	}

	// Duplicates under one key, sent concurrently: one counted, every one acknowledged alike.
	// (A fresh child: this one has used up its burst of messages.)
	twin := ls.join(t, f, "en")
	twin.expect("session.state")
	const dups = 8
	var wg sync.WaitGroup
	for range dups {
		wg.Go(func() {
			twin.sendAs("answer.submit", "dup", map[string]any{"questionId": f.single.ID, "choices": []string{swings}, "idempotencyKey": "dup-key-0001"})
		})
	}
	wg.Wait()
	fresh := 0
	for range dups {
		r := twin.reply("dup")
		var a ack
		r.decode(t, &a)
		if r.Type != "answer.ack" {
			t.Fatalf("duplicate: %s %s", r.Type, r.Data)
		}
		if !a.Replayed {
			fresh++
		}
	}
	if fresh != 1 {
		t.Fatalf("%d duplicates were taken as new", fresh)
	}
	if res := f.results(t, f.single.ID); res.Questions[0].Respondents != 1 || count(res, swings) != 1 {
		t.Fatalf("duplicates counted: %+v", res)
	}

	// Locked: answers are refused. (Another fresh child, for the same reason.)
	kid = ls.join(t, f, "hu")
	kid.expect("session.state")
	f.command(t, fac, "question.lock", nil)
	kid.expect("session.state")
	if code := kid.errorCode(kid.answer(t, f.single.ID, []string{swings}, "", "late-key-001")); code != "question_not_open" {
		t.Fatalf("answer to a locked question: %s", code)
	}

	// Text too long, and invalid UTF-8.
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	if code := kid.errorCode(kid.answer(t, f.text.ID, nil, strings.Repeat("a", 281), "long-key-001")); code != "text_too_long" {
		t.Fatalf("long text: %s", code)
	}
	kid.mu.Lock()
	kid.c.WriteMessage(websocket.TextMessage, []byte("{\"type\":\"answer.submit\",\"id\":\"bad\",\"data\":{\"text\":\"\xff\xfe\"}}"))
	kid.mu.Unlock()
	if r := kid.expect("error"); kid.errorCode(r) != "invalid_message" {
		t.Fatalf("invalid UTF-8: %s", r.Data)
	}
	// A frame over the read limit closes the connection with 1009.
	kid.mu.Lock()
	kid.c.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping","data":"`+strings.Repeat("x", 10000)+`"}`))
	kid.mu.Unlock()
	if code := kid.closeCode(5 * time.Second); code != websocket.CloseMessageTooBig {
		t.Fatalf("oversize frame: close %d", code)
	}
}

func TestLiveUpgradeIsChecked(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	kid.expect("session.state")
	fac := ls.adult(t, f.fac, f, "facilitator")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	kid.mustAnswer(t, f.single.ID, []string{f.single.option("swings")}, "", "kid-before-removal")

	cases := []struct {
		name   string
		path   string
		header http.Header
		status int
	}{
		{"forged token", participantPath, childHeader("forged-token"), 401},
		{"no token", participantPath, http.Header{"Sec-WebSocket-Protocol": {"voci-live.1"}}, 401},
		{"token in the URL", participantPath + "?token=" + kid.token, http.Header{"Sec-WebSocket-Protocol": {"voci-live.1"}}, 400},
		{"token in the URL and the header", participantPath + "?token=" + kid.token, childHeader(kid.token), 400},
		{"token without the live protocol", participantPath, http.Header{"Sec-WebSocket-Protocol": {"voci-token." + kid.token}}, 400},
		{"origin not allowed", participantPath, withOrigin(childHeader(kid.token), "https://evil.example"), 403},
		{"adult socket without a session", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/facilitator", bacau, f.sessionID), nil, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, resp, err := ls.dial(t, c.path, c.header)
			if err == nil || resp == nil || resp.StatusCode != c.status {
				t.Fatalf("err %v resp %v; want status %d", err, resp, c.status)
			}
		})
	}
	// Another municipality's facilitator does not see the session.
	other := ls.client()
	mustStatus(t, other.login(t, "facilitator.brasov@demo.voci.ro", testPassword), 200)
	h := http.Header{"Cookie": {"voci_session=" + other.cookie}}
	if _, resp, err := ls.dial(t, fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/facilitator", bacau, f.sessionID), h); err == nil || resp.StatusCode != 404 {
		t.Fatalf("other municipality: %v %v", err, resp)
	}
	// A plain GET on a websocket address.
	if a := f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/presenter", bacau, f.sessionID), nil); a.status != 426 || a.problem(t)["code"] != "upgrade_required" {
		t.Fatalf("plain GET: %d %s", a.status, a.body)
	}

	// Removing a participant closes their connection and revokes their token.
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/participants/%s/remove", bacau, f.sessionID, kid.id), nil), 204)
	if code := kid.closeCode(5 * time.Second); code != 4003 {
		t.Fatalf("removed: close %d", code)
	}
	if _, resp, err := ls.dial(t, participantPath, childHeader(kid.token)); err == nil || resp.StatusCode != 403 {
		t.Fatalf("revoked token: %v %v", err, resp)
	}
	// What the child said before the removal still counts (see voci.Participant.Removed).
	if res := f.results(t, f.single.ID); res.Questions[0].Respondents != 1 {
		t.Fatalf("after the removal: %+v", res.Questions[0])
	}
}

func TestReconnectRestoresStateWithoutDoubleVote(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "en")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	trees := f.single.option("trees")
	kid.mustAnswer(t, f.single.ID, []string{trees}, "", "first-key-01")
	kid.c.Close() // the phone drops the connection

	again, _, err := ls.dial(t, participantPath, childHeader(kid.token))
	if err != nil {
		t.Fatal(err)
	}
	w := again.expect("welcome")
	if !strings.Contains(string(w.Data), f.single.ID) || !strings.Contains(string(w.Data), trees) {
		t.Fatalf("welcome lacks the earlier answer: %s", w.Data)
	}
	st := again.expect("session.state")
	if !strings.Contains(string(st.Data), `"question_open"`) {
		t.Fatalf("state %s", st.Data)
	}
	// The retry of the answer whose ack was lost is acknowledged again, not counted again.
	back := &child{wsConn: again, token: kid.token}
	if a := back.mustAnswer(t, f.single.ID, []string{trees}, "", "first-key-01"); !a.Replayed {
		t.Fatalf("retry not replayed: %+v", a)
	}
	if res := f.results(t, f.single.ID); res.Questions[0].Respondents != 1 {
		t.Fatalf("double vote: %+v", res)
	}
	// A second connection with the same token replaces the first.
	third, _, err := ls.dial(t, participantPath, childHeader(kid.token))
	if err != nil {
		t.Fatal(err)
	}
	third.expect("welcome")
	if code := again.closeCode(5 * time.Second); code != 4001 {
		t.Fatalf("replaced connection: close %d", code)
	}
}

func TestFloodThrottlesOnlyThatParticipant(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	flooder, calm := ls.join(t, f, "ro"), ls.join(t, f, "ro")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	calm.expect("session.state")

	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 300 {
			b, _ := json.Marshal(map[string]any{"type": "answer.submit", "id": fmt.Sprint(i), "data": map[string]any{
				"questionId": f.single.ID, "choices": []string{f.single.option("pond")}, "idempotencyKey": fmt.Sprintf("flood-%08d", i)}})
			flooder.mu.Lock()
			err := flooder.c.WriteMessage(websocket.TextMessage, b)
			flooder.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	start := time.Now()
	calm.mustAnswer(t, f.single.ID, []string{f.single.option("swings")}, "", "calm-key-0001")
	// A flooding child's 300 messages take no one else's turn: the calm child's answer is
	// acknowledged as soon as it is stored (the bound leaves room for the race detector).
	if took := time.Since(start); took > 8*time.Second {
		t.Fatalf("the calm child waited %v", took)
	}
	<-done
	limited := false
	for {
		e, err := flooder.read(5 * time.Second)
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && ce.Code == 4029 {
				limited = true
			}
			break
		}
		if flooder.errorCode(e) == "rate_limited" {
			limited = true
		}
	}
	if !limited {
		t.Fatal("the flooding child was not throttled")
	}
	res := f.results(t, f.single.ID)
	if res.Questions[0].Respondents != 2 {
		t.Fatalf("respondents %d, want 2 (one answer per child)", res.Questions[0].Respondents)
	}
}

func TestShutdownClosesSocketsWithGoingAway(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	kid := ls.join(t, f, "hu")
	kid.expect("session.state")
	go ls.stop()
	if code := kid.closeCode(5 * time.Second); code != websocket.CloseGoingAway {
		t.Fatalf("close %d, want 1001", code)
	}
}

// A phone that stops reading is dropped; the others get every message at once. The slow
// phone's socket has a tiny receive buffer and is never read, so the server's writes to it
// block once the kernel's buffers are full; large results (many approved texts) fill them
// fast. The facilitator's rate limit is raised so that the test sends enough of them quickly.
func TestSlowReaderIsDroppedWithoutSlowingOthers(t *testing.T) {
	ls := newLiveServer(t, func(d *httpapi.Deps) {
		cfg := live.DefaultConfig
		cfg.AdultRate, cfg.AdultBurst = 10000, 10000
		d.Participation = voci.NewParticipation(d.Store, moderation.New(), voci.DefaultK)
		d.Hub = live.NewHub(d.Participation, live.NewLocalBus(), nil, d.Logger, cfg)
	})
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")

	a := ls.do(t, "POST", "/api/v1/join", "application/json", fmt.Sprintf(`{"code":%q}`, f.joinCode))
	mustStatus(t, a, 201)
	var joined struct {
		ParticipantToken string `json:"participantToken"`
	}
	decodeBody(t, a, &joined)
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, NetDial: func(network, addr string) (net.Conn, error) {
		c, err := net.Dial(network, addr)
		if err == nil {
			c.(*net.TCPConn).SetReadBuffer(2048)
		}
		return c, err
	}}
	slow, _, err := d.Dial("ws://"+ls.addr+participantPath, withOrigin(childHeader(joined.ParticipantToken), allowedHost))
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()

	fast := ls.join(t, f, "ro")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	// Forty children's approved texts make every results message about 14 KB.
	for i := range 40 {
		c := ls.join(t, f, "en")
		c.mustAnswer(t, f.text.ID, nil, fmt.Sprintf("%02d %s", i, strings.Repeat("copaci și bănci ", 16)), fmt.Sprintf("text-key-%04d", i))
		c.c.Close()
	}
	approveWaitingTexts(t, f)
	fast.expect("session.state")

	// The facilitator reveals again and again; each reveal sends the results (15 KB) to
	// everyone: 600 of them are more than the slow phone's socket buffers and queue hold.
	for i := range 600 {
		start := time.Now()
		f.command(t, fac, "results.reveal", nil)
		r := fast.expect("results")
		if !strings.Contains(string(r.Data), `"texts":[{`) {
			t.Fatalf("results without texts: %.200s", r.Data)
		}
		// Waiting for the slow phone would take the write deadline (10 s) or forever; the bound
		// leaves room for a loaded machine running the race detector.
		if took := time.Since(start); took > 8*time.Second {
			t.Fatalf("reveal %d reached the fast phone after %v", i, took)
		}
	}
	// The slow phone was dropped (and counted), the fast one was not.
	metrics := ls.scrape(t)
	if !strings.Contains(string(metrics.body), "voci_live_dropped_slow_total 1\n") {
		t.Fatalf("the slow phone was not dropped: %d\n%s", metrics.status, grepLines(string(metrics.body), "voci_live"))
	}
	if r := fast.reply(fast.send("ping", nil)); r.Type != "pong" {
		t.Fatalf("the fast phone: %s", r.Type)
	}
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// A class behind one router joins at the same moment: nobody is refused; wrong codes still are.
func TestManyJoinsAtOnceAreNotThrottled(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	var wg sync.WaitGroup
	statuses := make([]int, 60)
	for i := range statuses {
		wg.Go(func() {
			resp, err := http.Post("http://"+ls.addr+"/api/v1/join", "application/json", strings.NewReader(fmt.Sprintf(`{"code":%q}`, f.joinCode)))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 201 {
			t.Fatalf("join %d: status %d", i, s)
		}
	}
	wrong := "000000"
	if f.joinCode == wrong {
		wrong = "000001"
	}
	var last int
	for range 21 {
		resp, err := http.Post("http://"+ls.addr+"/api/v1/join", "application/json", strings.NewReader(fmt.Sprintf(`{"code":%q}`, wrong)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		last = resp.StatusCode
	}
	if last != 429 {
		t.Fatalf("21st wrong code: %d", last)
	}
	// The right code is refused too now: the client is throttled, not the code.
	resp, _ := http.Post("http://"+ls.addr+"/api/v1/join", "application/json", strings.NewReader(fmt.Sprintf(`{"code":%q}`, f.joinCode)))
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("throttled client: %d", resp.StatusCode)
	}
}

// A room without connections stops after a while and starts again, from the store, when a
// phone comes back.
func TestIdleRoomStopsAndComesBack(t *testing.T) {
	ls := newLiveServer(t, func(d *httpapi.Deps) {
		cfg := live.DefaultConfig
		cfg.IdleRoom = 300 * time.Millisecond
		d.Participation = voci.NewParticipation(d.Store, moderation.New(), voci.DefaultK)
		d.Hub = live.NewHub(d.Participation, live.NewLocalBus(), nil, d.Logger, cfg)
	})
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "ro")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	kid.mustAnswer(t, f.single.ID, []string{f.single.option("trees")}, "", "idle-key-0001")
	kid.c.Close()
	fac.c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(string(ls.scrape(t).body), "voci_live_rooms 0\n") {
		if time.Now().After(deadline) {
			t.Fatal("the idle room did not stop")
		}
		time.Sleep(50 * time.Millisecond)
	}
	back := ls.mustDial(t, participantPath, childHeader(kid.token))
	st := back.expect("session.state")
	if !strings.Contains(string(st.Data), `"question_open"`) {
		t.Fatalf("state after the room came back: %s", st.Data)
	}
	presenter := ls.adult(t, f.fac, f, "presenter")
	waitTally(t, presenter, func(d tally) bool { return d.Respondents == 1 })
}

// An idea board: a child posts an idea; once approved the others see it on their phones and
// react; nobody reacts to an idea not yet approved or to their own.
func TestIdeaBoard(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s", bacau, f.consultationID)
	a := f.fac.do(t, "POST", base+"/questions", map[string]any{"kind": "idea_board", "prompt": "Ce idee ai pentru parc?"})
	mustStatus(t, a, 201)
	var board question
	decodeBody(t, a, &board)
	fac := ls.adult(t, f.fac, f, "facilitator")
	author, reader := ls.join(t, f, "ro"), ls.join(t, f, "en")
	f.command(t, fac, "question.open", map[string]any{"questionId": board.ID})
	reader.expect("session.state")

	ack := author.mustAnswer(t, board.ID, nil, "O fântână cu apă de băut", "idea-key-0001")
	if ack.Moderation != "pending" {
		t.Fatalf("idea %+v", ack)
	}
	var mod struct {
		AnswerID string `json:"answerId"`
		Revision int    `json:"revision"`
	}
	fac.expect("moderation.new").decode(t, &mod)
	react := func(c *child, idea, reaction string) envelope {
		return c.reply(c.send("idea.react", map[string]string{"questionId": board.ID, "ideaId": idea, "reaction": reaction}))
	}
	if code := reader.errorCode(react(reader, mod.AnswerID, "agree")); code != "not_found" {
		t.Fatalf("reacting to an idea not yet approved: %s", code)
	}
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, mod.AnswerID),
		map[string]any{"state": "approved", "revision": mod.Revision}), 200)
	seen := reader.expect("text.approved")
	if !strings.Contains(string(seen.Data), "fântână") {
		t.Fatalf("the idea on the phone: %s", seen.Data)
	}
	if r := react(reader, mod.AnswerID, "agree"); r.Type != "idea.ack" {
		t.Fatalf("react: %s %s", r.Type, r.Data)
	}
	if code := author.errorCode(react(author, mod.AnswerID, "agree")); code != "invalid_parameter" {
		t.Fatalf("reacting to one's own idea: %s", code)
	}
	if code := reader.errorCode(react(reader, mod.AnswerID, "love")); code != "invalid_parameter" {
		t.Fatalf("unknown reaction: %s", code)
	}
	// A phone that connects later gets the approved ideas, all in one message.
	late := ls.join(t, f, "hu")
	if e := late.expect("ideas"); !strings.Contains(string(e.Data), mod.AnswerID) {
		t.Fatalf("late phone: %s", e.Data)
	}
	a = f.fac.do(t, "GET", base+"/results?question="+board.ID, nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"reactions":{"agree":1,"disagree":0,"pass":0}`) {
		t.Fatalf("results %s", a.body)
	}

	// The author changes the idea: a new version, judged afresh once approved again.
	author.mustAnswer(t, board.ID, nil, "O fântână cu apă de băut și o bancă", "idea-key-0002")
	fac.await("moderation.new", hasAll(`"revision":2`)).decode(t, &mod)
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, mod.AnswerID),
		map[string]any{"state": "approved", "revision": mod.Revision}), 200)
	a = f.fac.do(t, "GET", base+"/results?question="+board.ID, nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), "și o bancă") || !strings.Contains(string(a.body), `"reactions":{"agree":0,"disagree":0,"pass":0}`) {
		t.Fatalf("results after the idea changed %s", a.body)
	}
	if r := react(reader, mod.AnswerID, "disagree"); r.Type != "idea.ack" {
		t.Fatalf("react to the new version: %s %s", r.Type, r.Data)
	}
}

// The server pings every connection: a phone that answers the pings stays connected though it
// sends nothing, and one that went silent (no pong, no message) is closed after PongWait.
func TestHeartbeatsKeepAnsweringPhonesAndCloseSilentOnes(t *testing.T) {
	ls := newLiveServer(t, func(d *httpapi.Deps) {
		cfg := live.DefaultConfig
		cfg.PingInterval, cfg.PongWait = 200*time.Millisecond, 5*time.Second
		d.Participation = voci.NewParticipation(d.Store, moderation.New(), voci.DefaultK)
		d.Hub = live.NewHub(d.Participation, live.NewLocalBus(), nil, d.Logger, cfg)
	})
	f := ls.setUp(t)
	answering, silent := ls.join(t, f, "ro"), ls.join(t, f, "en")

	var pings atomic.Int32
	answering.c.SetPingHandler(func(data string) error {
		pings.Add(1)
		return answering.c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	silent.c.SetPingHandler(func(string) error { return nil })
	readUntilClosed := func(c *websocket.Conn) <-chan error {
		ended := make(chan error, 1)
		c.SetReadDeadline(time.Time{})
		go func() {
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					ended <- err
					return
				}
			}
		}()
		return ended
	}
	answeringEnded, silentEnded := readUntilClosed(answering.c), readUntilClosed(silent.c)

	select {
	case <-silentEnded:
	case err := <-answeringEnded:
		t.Fatalf("the answering phone was closed first: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the silent phone was never closed")
	}
	select {
	case err := <-answeringEnded:
		t.Fatalf("the phone that answered every ping was closed: %v", err)
	default:
	}
	if n := pings.Load(); n < 3 {
		t.Fatalf("the answering phone got %d pings while the silent one timed out", n)
	}
}

// approveWaitingTexts approves every clean text waiting in the consultation's queue, as a
// facilitator showing them to the room would.
func approveWaitingTexts(t *testing.T, f *fixture) {
	t.Helper()
	a := f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/moderation", bacau, f.consultationID), nil)
	mustStatus(t, a, 200)
	var queue struct {
		Items []struct {
			AnswerID string `json:"answerId"`
			Revision int    `json:"revision"`
		} `json:"items"`
	}
	decodeBody(t, a, &queue)
	for _, it := range queue.Items {
		mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, it.AnswerID),
			map[string]any{"state": "approved", "revision": it.Revision}), 200)
	}
}
