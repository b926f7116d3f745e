package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/voci-platform/voci/internal/config"
	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/natsbus"
	"github.com/voci-platform/voci/internal/natsbus/natstest"
	"github.com/voci-platform/voci/internal/voci"
	"github.com/voci-platform/voci/seeds"
)

// Several instances of Voci serving one platform: two real servers on 127.0.0.1:0, one store,
// each with its own rooms, linked by a real NATS server running in the test.

func openNATSBus(t *testing.T, url, name string, options ...func(*natsbus.Config)) *natsbus.Bus {
	t.Helper()
	cfg := natsbus.Config{URL: url, Name: name, MaxReconnectDelay: 200 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}
	for _, o := range options {
		o(&cfg)
	}
	b, err := natsbus.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Closed after the server (cleanups run last first), as serve does.
	t.Cleanup(func() { b.Close(context.Background()) })
	deadline := time.Now().Add(15 * time.Second)
	for b.Ready() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("bus %s never connected: %v", name, b.Ready())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return b
}

// newInstances starts instance A as the other live tests do, on NATS, and instance B on A's
// store with a hub and a bus of its own.
func newInstances(t *testing.T) (a, b *liveServer) {
	t.Helper()
	nats := natstest.Run(t, -1)
	a, b, _ = newInstancesOn(t, nats.ClientURL())
	return a, b
}

// newInstancesOn is newInstances on a given NATS; A's bus keeps nothing while disconnected,
// and B's hub reads the store again when its bus comes back, as serve wires it.
func newInstancesOn(t *testing.T, natsURL string) (a, b *liveServer, hubB *live.Hub) {
	t.Helper()
	busA := openNATSBus(t, natsURL, "a", func(c *natsbus.Config) { c.ReconnectBuffer = -1 })
	busB := openNATSBus(t, natsURL, "b")
	a = newLiveServer(t, func(d *httpapi.Deps) { d.Bus = busA })

	st := a.store
	auth, err := voci.NewAuth(st, testPasswords, testFactor, voci.DefaultSessionPolicy, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	auth.TOTPExempt = seeds.IsDemoAccount
	cfg, err := config.Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	participation := voci.NewParticipation(st, moderation.New(), voci.DefaultK)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	hubB = live.NewHub(participation, busB, time.Now, logger, live.DefaultConfig)
	busB.OnReconnect(hubB.Resync)
	srv, err := httpapi.New(httpapi.Deps{Config: cfg, Store: st, Logger: logger, Auth: auth,
		Frontend: fstest.MapFS{"index.html": {Data: []byte(testIndex)}}, Participation: participation, Hub: hubB, Bus: busB})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetReady(true)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, 5*time.Second) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return a, &liveServer{testServer: &testServer{Server: srv, store: st}, addr: ln.Addr().String(), stop: stop}, hubB
}

// await reads until a message of the type that ok accepts, failing after a generous deadline:
// what crosses instances takes a moment, never a fixed one.
func (w *wsConn) await(typ string, ok func(envelope) bool) envelope {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		e, err := w.read(time.Until(deadline))
		if err != nil {
			w.t.Fatalf("waiting for %s: %v", typ, err)
		}
		if e.Type == typ && (ok == nil || ok(e)) {
			return e
		}
	}
}

func hasAll(parts ...string) func(envelope) bool {
	return func(e envelope) bool {
		for _, p := range parts {
			if !strings.Contains(string(e.Data), p) {
				return false
			}
		}
		return true
	}
}

// awaitTally reads tallies until one satisfies ok.
func awaitTally(t *testing.T, w *wsConn, ok func(tally) bool) tally {
	t.Helper()
	var d tally
	w.await("tally", func(e envelope) bool { d = tally{}; e.decode(t, &d); return ok(d) })
	return d
}

// TestInstancesShareLiveSessions runs one session with the facilitator on instance A and
// children on both: what the facilitator does on A, through the console or REST, reaches the
// children on B, and what children on B answer reaches A's screens.
func TestInstancesShareLiveSessions(t *testing.T) {
	a, b := newInstances(t)
	f := a.setUp(t)
	fac := a.adult(t, f.fac, f, "facilitator")
	// The adult's session lives in the shared store: its cookie opens B too.
	presenterB := b.adult(t, f.fac, f, "presenter")

	onA, onB, leaving := a.join(t, f, "ro"), b.join(t, f, "en"), b.join(t, f, "hu")
	for _, c := range []*child{onA, onB, leaving} {
		c.await("session.state", hasAll(`"state":"lobby"`))
	}
	// Both rooms count the children of both: A's console hears of B's two.
	awaitTally(t, fac, func(d tally) bool { return d.Connected == 3 })
	awaitTally(t, presenterB, func(d tally) bool { return d.Connected == 3 })

	// A command on A's console opens the question on B's phones.
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	onB.await("session.state", hasAll(`"state":"question_open"`, f.single.ID))
	swings, trees := f.single.option("swings"), f.single.option("trees")
	onA.mustAnswer(t, f.single.ID, []string{swings}, "", "on-a-key-0001")
	onB.mustAnswer(t, f.single.ID, []string{swings}, "", "on-b-key-0001")
	// A changed answer replaces the first on both instances.
	onB.mustAnswer(t, f.single.ID, []string{trees}, "", "on-b-key-0002")
	counts := func(sw, tr int) func(tally) bool {
		return func(d tally) bool {
			return d.Respondents == 2 && d.Options[0].ID == swings && d.Options[0].Count == sw && d.Options[1].Count == tr
		}
	}
	awaitTally(t, fac, counts(1, 1))
	awaitTally(t, presenterB, counts(1, 1))

	// A participant removed from A's console is disconnected on B.
	f.command(t, fac, "participant.remove", map[string]string{"participantId": leaving.id})
	if code := leaving.closeCode(15 * time.Second); code != 4003 {
		t.Fatalf("removed child's close code %d, want 4003", code)
	}

	f.command(t, fac, "results.reveal", nil)
	onB.await("results", hasAll(`"respondents":2`))

	// Text sent on B reaches A's console for moderation; approved through REST on A, it
	// reaches B's screen.
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	onB.await("session.state", hasAll(`"state":"question_open"`, f.text.ID))
	onB.mustAnswer(t, f.text.ID, nil, "A bigger pond", "on-b-text-0001")
	var mod struct {
		AnswerID string `json:"answerId"`
		Text     string `json:"text"`
		Revision int    `json:"revision"`
	}
	fac.await("moderation.new", hasAll("A bigger pond")).decode(t, &mod)
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, mod.AnswerID),
		map[string]any{"state": "approved", "revision": mod.Revision}), 200)
	presenterB.await("text.approved", hasAll("A bigger pond"))

	// Ended through REST on A: the children on B see the end and are let go.
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/end", bacau, f.sessionID), nil), 200)
	onB.await("session.state", hasAll(`"state":"ended"`))
	if code := onB.closeCode(15 * time.Second); code != 4004 {
		t.Fatalf("close code on B %d, want 4004", code)
	}
	if code := onA.closeCode(15 * time.Second); code != 4004 {
		t.Fatalf("close code on A %d, want 4004", code)
	}
}

// A child who reconnects to the other instance is not connected twice: the first connection
// is closed as replaced (4001), as on one instance.
func TestReconnectingToAnotherInstanceReplacesTheFirstConnection(t *testing.T) {
	a, b := newInstances(t)
	f := a.setUp(t)
	first := a.join(t, f, "ro")
	first.await("session.state", nil)
	second := b.mustDial(t, participantPath, childHeader(first.token))
	second.await("session.state", nil)
	if code := first.closeCode(15 * time.Second); code != 4001 {
		t.Fatalf("first connection's close code %d, want 4001", code)
	}
}

// Core NATS keeps nothing for an instance that was away: what A published while NATS was
// down is lost (A's bus holds nothing here), and B's rooms catch up by reading the store
// when their bus comes back.
func TestRoomsCatchUpAfterTheBusComesBack(t *testing.T) {
	nats := natstest.Run(t, -1)
	port := nats.Addr().(*net.TCPAddr).Port
	a, b, _ := newInstancesOn(t, nats.ClientURL())
	f := a.setUp(t)
	fac := a.adult(t, f.fac, f, "facilitator")
	onB := b.join(t, f, "ro")
	onB.await("session.state", hasAll(`"state":"lobby"`))

	nats.Shutdown()
	nats.WaitForShutdown()
	deadline := time.Now().Add(15 * time.Second)
	for a.Bus.(*natsbus.Bus).Ready() == nil || b.Bus.(*natsbus.Bus).Ready() == nil {
		if time.Now().After(deadline) {
			t.Fatal("the buses did not notice that NATS went away")
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})

	natstest.Run(t, port)
	onB.await("session.state", hasAll(`"state":"question_open"`, f.single.ID))
}

// /readyz follows the bus: not ready while NATS is away.
func TestReadinessFollowsTheBus(t *testing.T) {
	nats := natstest.Run(t, -1)
	bus := openNATSBus(t, nats.ClientURL(), "ready")
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Bus = bus })
	if r := ts.do(t, "GET", "/readyz", "", ""); r.status != 200 {
		t.Fatalf("connected: %d %s", r.status, r.body)
	}
	nats.Shutdown()
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := ts.do(t, "GET", "/readyz", "", "")
		if r.status == 503 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %d with NATS down", r.status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A child on instance B reacts to an idea posted on instance A: the presenter on A counts it.
func TestReactionsCrossInstances(t *testing.T) {
	a, b := newInstances(t)
	f := a.setUp(t)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s", bacau, f.consultationID)
	added := f.fac.do(t, "POST", base+"/questions", map[string]any{"kind": "idea_board", "prompt": "Ce idee ai pentru parc?"})
	mustStatus(t, added, 201)
	var board question
	decodeBody(t, added, &board)

	fac := a.adult(t, f.fac, f, "facilitator")
	presenter := a.adult(t, f.fac, f, "presenter")
	author, reader := a.join(t, f, "ro"), b.join(t, f, "en")
	f.command(t, fac, "question.open", map[string]any{"questionId": board.ID})
	reader.expect("session.state")
	author.mustAnswer(t, board.ID, nil, "O fântână cu apă de băut", "idea-key-cross-1")
	var mod struct {
		AnswerID string `json:"answerId"`
		Revision int    `json:"revision"`
	}
	fac.expect("moderation.new").decode(t, &mod)
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, mod.AnswerID),
		map[string]any{"state": "approved", "revision": mod.Revision}), 200)
	reader.await("text.approved", hasAll("fântână"))

	if r := reader.reply(reader.send("idea.react", map[string]string{"questionId": board.ID, "ideaId": mod.AnswerID, "reaction": "agree"})); r.Type != "idea.ack" {
		t.Fatalf("react on B: %s %s", r.Type, r.Data)
	}
	presenter.await("tally", hasAll(`"ideaId":"`+mod.AnswerID+`"`, `"agree":1`))
}

// TestDisclosureOnOneInstanceReachesTheConsoleOnAnother: a text that may disclose harm, sent
// by a child on B, tells the facilitator's console on A that someone needs help; never who.
func TestDisclosureOnOneInstanceReachesTheConsoleOnAnother(t *testing.T) {
	a, b := newInstances(t)
	f := a.setUp(t)
	fac := a.adult(t, f.fac, f, "facilitator")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	onB := b.join(t, f, "ro")
	onB.await("session.state", hasAll(`"state":"question_open"`, f.text.ID))
	onB.mustAnswer(t, f.text.ID, nil, "tata mă bate acasă", "cross-disclosure-1")
	told := fac.await("help.requested", nil)
	if raw := string(told.Data); strings.Contains(raw, onB.alias) || strings.Contains(raw, onB.id) || strings.Contains(raw, "bate") {
		t.Fatalf("the console was told who or what: %s", raw)
	}
}
