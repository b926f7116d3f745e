package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// serveEnv makes the test binary act as the server: TestAcknowledgedAnswersSurviveKill starts
// it as a separate process so that it can kill it with SIGKILL, which no in-process server
// could survive to be asked about.
const serveEnv = "VOCI_TEST_RUN_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, []string{"serve"}, os.Getenv, os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const durabilityPassword = "durability-demo-password"

// startServerProcess starts this test binary as a Voci server on dataDir and waits until it
// is ready. The log goes to log.
func startServerProcess(t *testing.T, dataDir, addr string, log io.Writer) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"=1",
		"VOCI_ADDR="+addr, "VOCI_DATA_DIR="+dataDir, "VOCI_MONGODB_URI=", "VOCI_DEMO=true",
		"VOCI_DEMO_PASSWORD="+durabilityPassword, "VOCI_BASE_URL=http://"+addr,
		"VOCI_ALLOWED_ORIGINS=http://"+addr, "VOCI_LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(2 * time.Minute) // the first start seeds 3,181 units
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the server never became ready:\n%s", log)
	return nil
}

// durabilityClient is a facilitator's browser, reduced to what the test needs.
type durabilityClient struct {
	t      *testing.T
	base   string
	http   *http.Client
	csrf   string
	cookie string
}

func signIn(t *testing.T, base string) *durabilityClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &durabilityClient{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var me struct {
		CSRFToken string `json:"csrfToken"`
	}
	c.call("POST", "/api/v1/auth/login", map[string]string{"email": "facilitator.bacau@demo.voci.ro", "password": durabilityPassword}, &me)
	c.csrf = me.CSRFToken
	u, _ := url.Parse(base)
	for _, k := range jar.Cookies(u) {
		if k.Name == "voci_session" {
			c.cookie = k.Value
		}
	}
	return c
}

func (c *durabilityClient) call(method, path string, body, out any) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.base)
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func (c *durabilityClient) socket(path string, header http.Header) *websocket.Conn {
	c.t.Helper()
	header.Set("Origin", c.base)
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(c.base, "http")+path, header)
	if err != nil {
		c.t.Fatalf("websocket %s: %v", path, err)
	}
	return conn
}

// awaitReply reads conn until the reply to the message with id arrives, and returns its type
// and raw frame.
func awaitReply(t *testing.T, conn *websocket.Conn, id string) (string, []byte) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		_, b, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for the reply to %s: %v", id, err)
		}
		var env struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		}
		if json.Unmarshal(b, &env) == nil && env.ID == id {
			return env.Type, b
		}
	}
}

// TestAcknowledgedAnswersSurviveKill holds Voci to its promise that an acknowledged answer is
// durable: children answer (and some change their answer) over real websockets, the server
// is killed with SIGKILL the moment the last acknowledgement arrives, and after a restart on
// the same data directory the results hold every acknowledged answer exactly once, in its
// latest version.
func TestAcknowledgedAnswersSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a server process")
	}
	dataDir, addr := t.TempDir(), freeAddr(t)
	base := "http://" + addr
	var log syncBuffer
	server := startServerProcess(t, dataDir, addr, &log)

	adult := signIn(t, base)
	consultations := "/api/v1/municipalities/20297/consultations"
	var cons struct {
		ID string `json:"id"`
	}
	adult.call("POST", consultations, map[string]any{"title": "Durability", "modes": []string{"live"},
		"audienceBody": "Consiliul Local", "answerBy": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)}, &cons)
	var q struct {
		ID      string `json:"id"`
		Options []struct {
			ID string `json:"id"`
		} `json:"options"`
	}
	adult.call("POST", consultations+"/"+cons.ID+"/questions", map[string]any{"kind": "single", "prompt": "Swings or trees?",
		"options": []map[string]string{{"label": "swings"}, {"label": "trees"}}}, &q)
	adult.call("POST", consultations+"/"+cons.ID+"/status", map[string]string{"status": "open"}, nil)
	var session struct {
		ID       string `json:"id"`
		JoinCode string `json:"joinCode"`
	}
	adult.call("POST", consultations+"/"+cons.ID+"/live-sessions", nil, &session)

	facilitator := adult.socket("/api/v1/municipalities/20297/live-sessions/"+session.ID+"/facilitator", http.Header{"Cookie": {"voci_session=" + adult.cookie}})
	defer facilitator.Close()
	facilitator.WriteJSON(map[string]any{"type": "question.open", "id": "open", "data": map[string]any{"questionId": q.ID}})
	if typ, b := awaitReply(t, facilitator, "open"); typ == "error" {
		t.Fatalf("opening the question: %s", b)
	}

	// Every child answers "swings"; the even ones then change to "trees", which replaces
	// their first answer. Expected after the crash: 10 swings, 10 trees, 20 respondents.
	const children = 20
	swings, trees := q.Options[0].ID, q.Options[1].ID
	conns := make([]*websocket.Conn, children)
	for i := range conns {
		var joined struct {
			ParticipantToken string `json:"participantToken"`
		}
		adult.call("POST", "/api/v1/join", map[string]string{"code": session.JoinCode}, &joined)
		conns[i] = adult.socket("/api/v1/live/participant", http.Header{"Sec-WebSocket-Protocol": {"voci-live.1, voci-token." + joined.ParticipantToken}})
		defer conns[i].Close()
	}
	answer := func(i int, option, key string) {
		t.Helper()
		conns[i].WriteJSON(map[string]any{"type": "answer.submit", "id": key, "data": map[string]any{
			"questionId": q.ID, "choices": []string{option}, "idempotencyKey": key}})
	}
	for i := range conns {
		answer(i, swings, fmt.Sprintf("first-%02d", i))
	}
	for i := range conns {
		if typ, b := awaitReply(t, conns[i], fmt.Sprintf("first-%02d", i)); typ != "answer.ack" {
			t.Fatalf("child %d's answer was not acknowledged: %s", i, b)
		}
	}
	for i := 0; i < children; i += 2 {
		answer(i, trees, fmt.Sprintf("second-%02d", i))
	}
	for i := 0; i < children; i += 2 {
		if typ, b := awaitReply(t, conns[i], fmt.Sprintf("second-%02d", i)); typ != "answer.ack" {
			t.Fatalf("child %d's changed answer was not acknowledged: %s", i, b)
		}
	}

	// No shutdown, no flush: the process is gone the instant the last child saw its ack.
	if err := server.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = server.Wait()

	startServerProcess(t, dataDir, addr, &log)
	adult = signIn(t, base)
	var results struct {
		Questions []struct {
			Respondents int `json:"respondents"`
			Options     []struct {
				ID    string `json:"id"`
				Count int    `json:"count"`
			} `json:"options"`
		} `json:"questions"`
	}
	adult.call("GET", consultations+"/"+cons.ID+"/results?question="+q.ID, nil, &results)
	if len(results.Questions) != 1 {
		t.Fatalf("results hold %d questions, want 1", len(results.Questions))
	}
	got := results.Questions[0]
	counts := map[string]int{}
	for _, o := range got.Options {
		counts[o.ID] = o.Count
	}
	if got.Respondents != children || counts[swings] != children/2 || counts[trees] != children/2 {
		t.Fatalf("after the crash: %d respondents, %d swings, %d trees; want %d, %d, %d",
			got.Respondents, counts[swings], counts[trees], children, children/2, children/2)
	}
}
