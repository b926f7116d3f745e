package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/config"
	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/voci"
)

// behindProxy configures the server as VOCI_TRUSTED_PROXIES=127.0.0.1 would: the tests'
// requests come from there, and X-Forwarded-For names the client.
func behindProxy(t *testing.T) func(*httpapi.Deps) {
	return func(d *httpapi.Deps) {
		cfg, err := config.Parse(nil, func(k string) string {
			if k == "VOCI_TRUSTED_PROXIES" {
				return "127.0.0.1"
			}
			return ""
		}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		d.Config.TrustedProxies = cfg.TrustedProxies
	}
}

func postFrom(t *testing.T, addr, client, path, body string) (int, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", client)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// TestJoinThrottleBehindProxy: behind a trusted proxy, three clients each send 30 wrong join
// codes, all 90 at once over real connections. Each client gets exactly 20 answers "no such
// session" and is refused the other 10 with 429 and Retry-After; the throttle's keys are the
// clients' addresses, whatever fasthttp does with its request buffers (run under -race).
func TestJoinThrottleBehindProxy(t *testing.T) {
	ls := newLiveServer(t, behindProxy(t))
	clients := []string{"203.0.113.1", "203.0.113.22", "198.51.100.7"}
	type result struct {
		client string
		status int
		retry  string
	}
	results := make(chan result, 30*len(clients))
	var wg sync.WaitGroup
	for _, cl := range clients {
		for i := range 30 {
			wg.Go(func() {
				status, h := postFrom(t, ls.addr, cl, "/api/v1/join", fmt.Sprintf(`{"code":"%06d"}`, 100000+i))
				results <- result{cl, status, h.Get("Retry-After")}
			})
		}
	}
	wg.Wait()
	close(results)
	counts := map[string]map[int]int{}
	for r := range results {
		if counts[r.client] == nil {
			counts[r.client] = map[int]int{}
		}
		counts[r.client][r.status]++
		if r.status == 429 && r.retry == "" {
			t.Fatalf("429 without Retry-After")
		}
	}
	for _, cl := range clients {
		if c := counts[cl]; c[404] != 20 || c[429] != 10 {
			t.Fatalf("client %s: %v; want 20 × 404 and 10 × 429 (all: %v)", cl, c, counts)
		}
	}
	// A client that has not guessed is not affected.
	if status, _ := postFrom(t, ls.addr, "192.0.2.50", "/api/v1/join", `{"code":"123456"}`); status != 404 {
		t.Fatalf("another client: %d; want 404", status)
	}
}

// TestOneBudgetForWrongSecrets: wrong join codes, participant tokens, self-paced keys and
// invitation and reset links share one budget per client: 20 wrong ones spread over these
// routes use it up, and the next is refused on every one of them.
func TestOneBudgetForWrongSecrets(t *testing.T) {
	ls := newLiveServer(t, behindProxy(t))
	const cl = "203.0.113.9"
	wrong := []struct{ path, body string }{
		{"/api/v1/join", `{"code":"000001"}`},
		{"/api/v1/self-paced/no-such-link-key/participants", `{"lang":"ro"}`},
		{"/api/v1/invitations/accept", `{"token":"nosuchtoken","password":"a long enough password 1"}`},
		{"/api/v1/auth/password-reset/confirm", `{"token":"nosuchtoken","password":"a long enough password 1"}`},
		{"/api/v1/invitations/preview", `{"token":"nosuchtoken"}`},
	}
	for i := range 20 {
		w := wrong[i%len(wrong)]
		if status, _ := postFrom(t, ls.addr, cl, w.path, w.body); status < 400 || status >= 500 || status == 429 {
			t.Fatalf("wrong secret %d on %s: %d", i+1, w.path, status)
		}
	}
	for _, w := range wrong {
		if status, h := postFrom(t, ls.addr, cl, w.path, w.body); status != 429 || h.Get("Retry-After") == "" {
			t.Fatalf("after 20 wrong secrets, %s: %d; want 429 with Retry-After", w.path, status)
		}
	}
	// A participant token on the child's websocket is refused too, before any lookup.
	req, _ := http.NewRequest("GET", "http://"+ls.addr+"/api/v1/live/participant", nil)
	req.Header.Set("X-Forwarded-For", cl)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	req.Header.Set("Origin", allowedHost)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 {
		t.Fatalf("participant socket after 20 wrong secrets: %d; want 429", resp.StatusCode)
	}
}

// countingPasswords is the tests' cheap argon2id, counting the hashes it runs and how many
// ran at once.
type countingPasswords struct {
	inner         voci.Passwords
	runs, running atomic.Int64
	most          atomic.Int64
	hold          chan struct{} // when set, each hash waits on it: all run together
}

func (p *countingPasswords) enter() {
	p.runs.Add(1)
	n := p.running.Add(1)
	for {
		m := p.most.Load()
		if n <= m || p.most.CompareAndSwap(m, n) {
			break
		}
	}
	if p.hold != nil {
		<-p.hold
	}
}

func (p *countingPasswords) Hash(pw string) (string, error) {
	p.enter()
	defer p.running.Add(-1)
	return p.inner.Hash(pw)
}

func (p *countingPasswords) Verify(pw, hash string) (bool, error) {
	p.enter()
	defer p.running.Add(-1)
	return p.inner.Verify(pw, hash)
}

func (p *countingPasswords) CheckStrength(pw, email string) error {
	return p.inner.CheckStrength(pw, email)
}

func withPasswords(t *testing.T, pw voci.Passwords) func(*httpapi.Deps) {
	return func(d *httpapi.Deps) {
		auth, err := voci.NewAuth(d.Store, pw, testFactor, voci.DefaultSessionPolicy, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		auth.TOTPExempt = d.Auth.TOTPExempt
		d.Auth = auth
	}
}

// TestConcurrentSignInsAreBounded: 60 sign-ins with a wrong password for one email, sent at
// once, run argon2 at most 10 times (the email's limit), never more than the hashing bound at
// once; the others are refused with 429 (or 503 busy) and Retry-After, without hashing.
func TestConcurrentSignInsAreBounded(t *testing.T) {
	pw := &countingPasswords{inner: testPasswords}
	ls := newLiveServer(t, withPasswords(t, pw))
	pw.runs.Store(0) // NewAuth hashed its dummy password
	type result struct {
		status int
		retry  string
	}
	results := make(chan result, 60)
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			status, h := postFrom(t, ls.addr, fmt.Sprintf("198.51.100.%d", i+1), "/api/v1/auth/login",
				`{"email":"facilitator.bacau@demo.voci.ro","password":"not the password"}`)
			results <- result{status, h.Get("Retry-After")}
		})
	}
	wg.Wait()
	close(results)
	counts := map[int]int{}
	for r := range results {
		counts[r.status]++
		if r.status != 401 && r.retry == "" {
			t.Fatalf("a refusal (%d) without Retry-After", r.status)
		}
	}
	if runs := pw.runs.Load(); runs > 10 || runs != int64(counts[401]) {
		t.Fatalf("argon2 ran %d times for %v; want at most 10, one per 401", runs, counts)
	}
	if counts[401]+counts[429]+counts[503] != 60 || counts[429] < 50 {
		t.Fatalf("answers %v; want at most 10 × 401 and the rest 429 or 503", counts)
	}
	if most, bound := pw.most.Load(), int64(2*runtimeProcs()); most > bound {
		t.Fatalf("%d hashes ran at once; the bound is %d", most, bound)
	}
}

// TestHashingIsBoundedAcrossAccounts: sign-ins for many accounts at once (no per-email limit
// applies) never run more hashes at once than the bound; past it they are answered 503 busy
// with Retry-After, without hashing.
func TestHashingIsBoundedAcrossAccounts(t *testing.T) {
	pw := &countingPasswords{inner: testPasswords}
	ls := newLiveServer(t, withPasswords(t, pw))
	pw.runs.Store(0)
	pw.hold = make(chan struct{}) // set once NewAuth has hashed its dummy password
	bound := int64(2 * runtimeProcs())
	n := int(bound) + 6
	type result struct {
		status int
		retry  string
		code   string
	}
	results := make(chan result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", "http://"+ls.addr+"/api/v1/auth/login",
				strings.NewReader(fmt.Sprintf(`{"email":"nobody%d@example.ro","password":"not the password"}`, i)))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			code := ""
			if strings.Contains(string(b), `"code":"busy"`) {
				code = "busy"
			}
			results <- result{resp.StatusCode, resp.Header.Get("Retry-After"), code}
		})
	}
	// The bound's worth of hashes hold their slots while the others wait out their time.
	busy := 0
	for busy < n-int(bound) {
		r := <-results
		if r.status != 503 || r.code != "busy" || r.retry == "" {
			t.Fatalf("with every slot taken: %+v; want 503 busy with Retry-After", r)
		}
		busy++
	}
	if running := pw.running.Load(); running != bound {
		t.Fatalf("%d hashes running; want the bound, %d", running, bound)
	}
	close(pw.hold)
	wg.Wait()
	close(results)
	for r := range results {
		if r.status != 401 {
			t.Fatalf("a sign-in that got a slot: %d; want 401", r.status)
		}
	}
	if runs := pw.runs.Load(); runs != bound {
		t.Fatalf("argon2 ran %d times; want %d", runs, bound)
	}
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
