// Command voci-load drives simulated children over real websockets against a running Voci and
// prints one line of figures. It signs in as a demo facilitator (VOCI_DEMO_PASSWORD), creates
// its own consultation and live session through the API, lets every child join and connect,
// opens a question, has every child answer within the answer window, and reads the counted
// answers back from the results API:
//
//	participants=N joined=N answers_sent=N answers_acked=N answers_counted=N ack_p50_ms=X ack_p99_ms=X tally_p99_ms=X server_rss_kb_per_participant=X
//
// ack is the time from sending an answer to its acknowledgement; tally is the time from an
// answer's acknowledgement to the first presenter tally that counts it; RSS is the server's
// resident memory (from its /metrics) after everyone connected, minus before, per child.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "voci-load:", err)
		os.Exit(1)
	}
}

type options struct {
	base         *url.URL
	participants int
	window       time.Duration
	email        string
	password     string
	metricsToken string // VOCI_METRICS_TOKEN: the server's /metrics answers only its bearer
	siruta       int
	concurrency  int
	timeout      time.Duration
}

func parse(args []string, getenv func(string) string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("voci-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "Voci's base URL")
	n := fs.Int("participants", 10000, "simulated children")
	window := fs.Duration("window", 5*time.Second, "every child answers at a random moment within this window")
	email := fs.String("email", "facilitator.bacau@demo.voci.ro", "demo facilitator to sign in as")
	siruta := fs.Int("siruta", 20297, "the facilitator's municipality (SIRUTA)")
	conc := fs.Int("concurrency", 100, "joins and connections in flight at once")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up on outstanding answers after this long")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	u, err := url.Parse(*base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("-url %q is not a URL", *base)
	}
	pw := getenv("VOCI_DEMO_PASSWORD")
	if pw == "" {
		return nil, errors.New("set VOCI_DEMO_PASSWORD to the demo accounts' password")
	}
	if *n < 1 {
		return nil, errors.New("-participants must be at least 1")
	}
	return &options{base: u, participants: *n, window: *window, email: *email, password: pw, metricsToken: getenv("VOCI_METRICS_TOKEN"), siruta: *siruta,
		concurrency: max(1, *conc), timeout: *timeout}, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	opt, err := parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	l := &load{opt: opt, log: stderr}
	return l.run(ctx, stdout)
}

type load struct {
	opt     *options
	log     io.Writer
	http    *http.Client
	csrf    string
	cookie  string
	origin  string
	dialer  *websocket.Dialer
	session string
	code    string
	// consultationPath is the REST path of the consultation the run created.
	consultationPath string
	qid              string
	options          []string

	acked    atomic.Int64
	sent     atomic.Int64
	mu       sync.Mutex
	ackLat   []time.Duration
	ackTimes []time.Time // when each ack arrived
	tallies  []tallySeen
}

type tallySeen struct {
	at          time.Time
	respondents int
}

func (l *load) logf(format string, args ...any) {
	fmt.Fprintf(l.log, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

func (l *load) run(ctx context.Context, stdout io.Writer) error {
	jar, _ := cookiejar.New(nil)
	l.http = &http.Client{Jar: jar, Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: l.opt.concurrency}}
	l.origin = l.opt.base.Scheme + "://" + l.opt.base.Host
	l.dialer = &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 512, WriteBufferSize: 512}

	if err := l.prepare(ctx); err != nil {
		return err
	}
	memBefore, err := l.serverMemory(ctx)
	if err != nil {
		return err
	}

	presenter, err := l.adultSocket(ctx, "presenter")
	if err != nil {
		return err
	}
	defer presenter.Close()
	go l.watchTallies(presenter)
	facilitator, err := l.adultSocket(ctx, "facilitator")
	if err != nil {
		return err
	}
	defer facilitator.Close()
	go drain(facilitator)

	l.logf("joining %d children", l.opt.participants)
	kids, joined := l.joinAll(ctx)
	defer func() {
		for _, k := range kids {
			if k != nil && k.conn != nil {
				k.conn.Close()
			}
		}
	}()
	connected := 0
	for _, k := range kids {
		if k != nil && k.conn != nil {
			connected++
		}
	}
	l.logf("%d joined, %d connected", joined, connected)
	time.Sleep(time.Second) // let the server settle before measuring memory
	memAfter, err := l.serverMemory(ctx)
	if err != nil {
		return err
	}
	if connected > 0 {
		// Where each child's memory goes, for whoever tunes it; the figures line keeps RSS.
		var parts []string
		for _, g := range memoryGauges {
			per := (memAfter[g] - memBefore[g]) / float64(connected)
			if strings.HasSuffix(g, "_bytes") {
				parts = append(parts, fmt.Sprintf("%s %.1f KB", g, per/1024))
			} else {
				parts = append(parts, fmt.Sprintf("%s %.2f", g, per))
			}
		}
		l.logf("per connected child: %s", strings.Join(parts, ", "))
	}

	// Open the question; each child answers at a random moment of the window.
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, k := range kids {
		if k == nil || k.conn == nil {
			continue
		}
		wg.Go(func() { l.answer(k, start) })
	}
	if err := sendJSON(facilitator, &sync.Mutex{}, map[string]any{"type": "question.open", "id": "open", "data": map[string]any{"questionId": l.qid}}); err != nil {
		return err
	}
	close(start)
	l.logf("question open; answering within %v", l.opt.window)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(l.opt.window + l.opt.timeout):
		l.logf("timed out waiting for acknowledgements")
	case <-ctx.Done():
		return ctx.Err()
	}
	time.Sleep(500 * time.Millisecond) // the last tallies
	counted, err := l.counted(ctx)
	if err != nil {
		return err
	}

	// The results of the question with every answer, fetched as a council member's screen
	// would: reported on the log, as the figures line has no field for it.
	var fetches []time.Duration
	for range 50 {
		start := time.Now()
		if _, err := l.counted(ctx); err != nil {
			return err
		}
		fetches = append(fetches, time.Since(start))
	}
	l.logf("results fetch with %d answers: p50 %.1f ms, p99 %.1f ms", counted, ms(percentile(fetches, 50)), ms(percentile(fetches, 99)))

	ackP50, ackP99 := l.ackPercentiles()
	rssPer := 0.0
	if connected > 0 {
		rssPer = (memAfter["process_resident_memory_bytes"] - memBefore["process_resident_memory_bytes"]) / 1024 / float64(connected)
	}
	fmt.Fprintf(stdout, "participants=%d joined=%d answers_sent=%d answers_acked=%d answers_counted=%d ack_p50_ms=%.1f ack_p99_ms=%.1f tally_p99_ms=%.1f server_rss_kb_per_participant=%.1f\n",
		l.opt.participants, joined, l.sent.Load(), l.acked.Load(), counted, ms(ackP50), ms(ackP99), ms(l.tallyP99()), rssPer)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// api calls the REST API as the signed-in facilitator.
func (l *load) api(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	path, query, _ := strings.Cut(path, "?")
	u := l.opt.base.JoinPath(path)
	u.RawQuery = query
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", l.origin)
	if l.csrf != "" {
		req.Header.Set("X-CSRF-Token", l.csrf)
	}
	resp, err := l.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// prepare signs in and creates an open consultation with one question and a live session.
func (l *load) prepare(ctx context.Context) error {
	var me struct {
		CSRFToken string `json:"csrfToken"`
	}
	if err := l.api(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": l.opt.email, "password": l.opt.password}, &me); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	l.csrf = me.CSRFToken
	for _, c := range l.http.Jar.Cookies(l.opt.base) {
		if c.Name == "voci_session" {
			l.cookie = c.Value
		}
	}
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", l.opt.siruta)
	var cons struct {
		ID string `json:"id"`
	}
	// In three languages, as the children join in: the room encodes the question once for each.
	err := l.api(ctx, "POST", base, map[string]any{"title": "Load test " + time.Now().Format(time.RFC3339), "modes": []string{"live"},
		"audienceBody": "Load test council", "answerBy": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339),
		"languages": []string{"en", "ro", "hu"}}, &cons)
	if err != nil {
		return err
	}
	var q struct {
		ID      string `json:"id"`
		Options []struct {
			ID string `json:"id"`
		} `json:"options"`
	}
	err = l.api(ctx, "POST", base+"/"+cons.ID+"/questions", map[string]any{"kind": "single", "prompt": "Which do you prefer?",
		"options": []map[string]string{{"label": "swings"}, {"label": "trees"}, {"label": "a pond"}, {"label": "a court"}},
		"translations": map[string]any{
			"ro": map[string]any{"prompt": "Ce preferi?", "options": []map[string]string{{"label": "leagăne"}, {"label": "copaci"}, {"label": "un lac"}, {"label": "un teren"}}},
			"hu": map[string]any{"prompt": "Melyiket szereted jobban?", "options": []map[string]string{{"label": "hinta"}, {"label": "fák"}, {"label": "egy tó"}, {"label": "egy pálya"}}},
		}}, &q)
	if err != nil {
		return err
	}
	l.qid = q.ID
	for _, o := range q.Options {
		l.options = append(l.options, o.ID)
	}
	if err := l.api(ctx, "POST", base+"/"+cons.ID+"/status", map[string]string{"status": "open"}, nil); err != nil {
		return err
	}
	var live struct {
		ID       string `json:"id"`
		JoinCode string `json:"joinCode"`
	}
	if err := l.api(ctx, "POST", base+"/"+cons.ID+"/live-sessions", nil, &live); err != nil {
		return err
	}
	l.session, l.code = live.ID, live.JoinCode
	l.consultationPath = base + "/" + cons.ID
	return nil
}

func (l *load) adultSocket(ctx context.Context, role string) (*websocket.Conn, error) {
	u := *l.opt.base
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	u.Path = fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/%s", l.opt.siruta, l.session, role)
	h := http.Header{"Origin": {l.origin}, "Cookie": {"voci_session=" + l.cookie}}
	c, _, err := l.dialer.DialContext(ctx, u.String(), h)
	if err != nil {
		return nil, fmt.Errorf("%s socket: %w", role, err)
	}
	return c, nil
}

func drain(c *websocket.Conn) {
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			return
		}
	}
}

func (l *load) watchTallies(c *websocket.Conn) {
	for {
		_, b, err := c.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		if !bytes.Contains(b, []byte(`"type":"tally"`)) {
			continue
		}
		var e struct {
			Data struct {
				QuestionID  string `json:"questionId"`
				Respondents int    `json:"respondents"`
			} `json:"data"`
		}
		if json.Unmarshal(b, &e) == nil && e.Data.QuestionID == l.qid {
			l.mu.Lock()
			l.tallies = append(l.tallies, tallySeen{at: now, respondents: e.Data.Respondents})
			l.mu.Unlock()
		}
	}
}

type kid struct {
	token string
	conn  *websocket.Conn
	wmu   sync.Mutex
}

// joinAll joins every child and opens its websocket, a bounded number at a time.
func (l *load) joinAll(ctx context.Context) ([]*kid, int) {
	kids := make([]*kid, l.opt.participants)
	var joined atomic.Int64
	sem := make(chan struct{}, l.opt.concurrency)
	var wg sync.WaitGroup
	for i := range kids {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			k, err := l.joinOne(ctx)
			if err != nil {
				l.logf("child %d: %v", i, err)
				return
			}
			joined.Add(1)
			kids[i] = k
		})
	}
	wg.Wait()
	return kids, int(joined.Load())
}

func (l *load) joinOne(ctx context.Context) (*kid, error) {
	var resp struct {
		ParticipantToken string `json:"participantToken"`
	}
	var err error
	for attempt := range 5 {
		err = l.api(ctx, "POST", "/api/v1/join", map[string]string{"code": l.code, "lang": []string{"ro", "en", "hu"}[rand.IntN(3)]}, &resp)
		if err == nil {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	if err != nil {
		return nil, err
	}
	k := &kid{token: resp.ParticipantToken}
	u := *l.opt.base
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	u.Path = "/api/v1/live/participant"
	// The token travels as a subprotocol, never in the URL (PROTOCOL.md).
	header := http.Header{"Origin": {l.origin}, "Sec-WebSocket-Protocol": {"voci-live.1, voci-token." + k.token}}
	for attempt := range 5 {
		k.conn, _, err = l.dialer.DialContext(ctx, u.String(), header)
		if err == nil {
			return k, nil
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	return k, err
}

func sendJSON(c *websocket.Conn, mu *sync.Mutex, v any) error {
	b, _ := json.Marshal(v)
	mu.Lock()
	defer mu.Unlock()
	return c.WriteMessage(websocket.TextMessage, b)
}

// answer waits for the start, then for a random moment of the window, sends one answer and
// waits for its acknowledgement.
func (l *load) answer(k *kid, start <-chan struct{}) {
	<-start
	time.Sleep(time.Duration(rand.Int64N(int64(l.opt.window))))
	key := fmt.Sprintf("load-%d-%d", time.Now().UnixNano(), rand.Int64())
	msg := map[string]any{"type": "answer.submit", "id": "a", "data": map[string]any{
		"questionId": l.qid, "choices": []string{l.options[rand.IntN(len(l.options))]}, "idempotencyKey": key}}
	// The question may reach this phone a little after the facilitator opened it; a refusal
	// as not open yet is retried, as a real phone would once it shows the question.
	deadline := time.Now().Add(l.opt.window + l.opt.timeout)
	for time.Now().Before(deadline) {
		sent := time.Now()
		if err := sendJSON(k.conn, &k.wmu, msg); err != nil {
			return
		}
		l.sent.Add(1)
		for {
			k.conn.SetReadDeadline(deadline)
			_, b, err := k.conn.ReadMessage()
			if err != nil {
				return
			}
			if !bytes.Contains(b, []byte(`"id":"a"`)) {
				continue
			}
			if bytes.Contains(b, []byte(`"type":"answer.ack"`)) {
				now := time.Now()
				l.acked.Add(1)
				l.mu.Lock()
				l.ackLat = append(l.ackLat, now.Sub(sent))
				l.ackTimes = append(l.ackTimes, now)
				l.mu.Unlock()
				return
			}
			if bytes.Contains(b, []byte(`question_not_open`)) {
				l.sent.Add(-1)
				time.Sleep(50 * time.Millisecond)
				break
			}
			l.logf("answer refused: %s", b)
			return
		}
	}
}

func (l *load) ackPercentiles() (p50, p99 time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return percentile(l.ackLat, 50), percentile(l.ackLat, 99)
}

// tallyP99: for the i-th acknowledged answer, the wait until a presenter tally counted at
// least i answers.
func (l *load) tallyP99() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	acks := slices.Clone(l.ackTimes)
	slices.SortFunc(acks, func(a, b time.Time) int { return a.Compare(b) })
	var lat []time.Duration
	j := 0
	for i, at := range acks {
		for j < len(l.tallies) && l.tallies[j].respondents < i+1 {
			j++
		}
		if j == len(l.tallies) {
			break
		}
		lat = append(lat, max(0, l.tallies[j].at.Sub(at)))
	}
	return percentile(lat, 99)
}

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(len(s)-1, max(0, i-1))]
}

// counted reads the answers the results API counts for the question.
func (l *load) counted(ctx context.Context) (int, error) {
	var r struct {
		Questions []struct {
			Respondents int `json:"respondents"`
		} `json:"questions"`
	}
	if err := l.api(ctx, "GET", l.consultationPath+"/results?question="+l.qid, nil, &r); err != nil {
		return 0, err
	}
	if len(r.Questions) != 1 {
		return 0, errors.New("the results lack the question")
	}
	return r.Questions[0].Respondents, nil
}

// memoryGauges are the server's /metrics lines that say where its memory goes.
// go_gc_heap_live_bytes is the heap that survived the last collection: the steadiest of them,
// since the heap in use also holds garbage that a collection soon after would free.
var memoryGauges = []string{"process_resident_memory_bytes", "go_memstats_stack_inuse_bytes", "go_memstats_heap_inuse_bytes",
	"go_gc_heap_live_bytes", "go_goroutines"}

// serverMemory reads memoryGauges from the server's /metrics.
func (l *load) serverMemory(ctx context.Context) (map[string]float64, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", l.opt.base.JoinPath("/metrics").String(), nil)
	req.Header.Set("Authorization", "Bearer "+l.opt.metricsToken)
	resp, err := l.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	got := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), " ")
		if ok && slices.Contains(memoryGauges, name) {
			if got[name], err = strconv.ParseFloat(v, 64); err != nil {
				return nil, err
			}
		}
	}
	if _, ok := got["process_resident_memory_bytes"]; !ok {
		return nil, errors.New("the server's /metrics has no process_resident_memory_bytes")
	}
	return got, nil
}
