package httpapi_test

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

// throttledPair starts two instances behind a trusted proxy on one SQLite file, each with its
// own store handle, as two processes would open it. Options apply to both.
func throttledPair(t *testing.T, options ...func(*httpapi.Deps)) (a, b *liveServer) {
	t.Helper()
	a = newLiveServer(t, append([]func(*httpapi.Deps){behindProxy(t)}, options...)...)
	st, err := sqlitestore.Open(context.Background(), a.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	useSecondStore := func(d *httpapi.Deps) {
		auth, err := voci.NewAuth(st, testPasswords, testFactor, voci.DefaultSessionPolicy, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		auth.TOTPExempt = d.Auth.TOTPExempt
		d.Store, d.Auth = st, auth
	}
	ts := newTestServer(t, append([]func(*httpapi.Deps){useSecondStore, behindProxy(t)}, options...)...)
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
	return a, &liveServer{testServer: ts, addr: ln.Addr().String(), stop: stop}
}

// TestWrongSecretsShareOneBudgetAcrossInstances: a client that spreads its wrong join codes
// and links over two instances gets 20 in all, not 20 from each; then both refuse it on
// every route of the budget, and another client is untouched.
func TestWrongSecretsShareOneBudgetAcrossInstances(t *testing.T) {
	a, b := throttledPair(t)
	const cl = "203.0.113.40"
	for i := range 20 {
		ls := []*liveServer{a, b}[i%2]
		path, body := "/api/v1/join", fmt.Sprintf(`{"code":"%06d"}`, 200000+i)
		if i%5 == 4 {
			path, body = "/api/v1/invitations/preview", `{"token":"nosuchtoken"}`
		}
		if status, _ := postFrom(t, ls.addr, cl, path, body); status == 429 || status < 400 || status >= 500 {
			t.Fatalf("wrong secret %d on %s: %d", i+1, path, status)
		}
	}
	for name, ls := range map[string]*liveServer{"A": a, "B": b} {
		if status, h := postFrom(t, ls.addr, cl, "/api/v1/join", `{"code":"299999"}`); status != 429 || h.Get("Retry-After") == "" {
			t.Fatalf("instance %s after 20 wrong secrets on both: %d; want 429 with Retry-After", name, status)
		}
		if status, _ := postFrom(t, ls.addr, cl, "/api/v1/invitations/accept", `{"token":"nosuchtoken","password":"a long enough password 1"}`); status != 429 {
			t.Fatalf("instance %s, a link after 20 wrong secrets: %d; want 429", name, status)
		}
	}
	if status, _ := postFrom(t, b.addr, "192.0.2.51", "/api/v1/join", `{"code":"123456"}`); status != 404 {
		t.Fatalf("another client: %d; want 404", status)
	}
}

// TestConcurrentWrongPasswordsAcrossInstances: 60 wrong passwords for one email, sent at
// once and spread over two instances, run argon2 no more than the email's 10 in all: the
// place is reserved in the store before the hash, and given back only by a success.
func TestConcurrentWrongPasswordsAcrossInstances(t *testing.T) {
	pw := &countingPasswords{inner: testPasswords}
	a, b := throttledPair(t, withPasswords(t, pw))
	pw.runs.Store(0) // NewAuth hashed its dummy passwords
	statuses := make(chan int, 60)
	var wg sync.WaitGroup
	for i := range 60 {
		ls := []*liveServer{a, b}[i%2]
		wg.Go(func() {
			status, h := postFrom(t, ls.addr, fmt.Sprintf("198.51.100.%d", i+1), "/api/v1/auth/login",
				`{"email":"facilitator.bacau@demo.voci.ro","password":"not the password"}`)
			if status != 401 && h.Get("Retry-After") == "" {
				t.Errorf("a refusal (%d) without Retry-After", status)
			}
			statuses <- status
		})
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	if runs := pw.runs.Load(); runs > 10 || runs != int64(counts[401]) {
		t.Fatalf("argon2 ran %d times for %v; want at most 10 over both instances, one per 401", runs, counts)
	}
	if counts[401]+counts[429]+counts[503] != 60 || counts[429] < 50 {
		t.Fatalf("answers %v; want at most 10 × 401 and the rest 429 or 503", counts)
	}
	// The real owner, on either instance, is refused too until the window ends: the budget is
	// the email's, wherever the guesses came from.
	if status, _ := postFrom(t, b.addr, "192.0.2.60", "/api/v1/auth/login",
		`{"email":"facilitator.bacau@demo.voci.ro","password":"`+testPassword+`"}`); status != 429 {
		t.Fatalf("after 10 failures over both instances: %d; want 429", status)
	}
}

// TestPasswordResetRequestsCountAcrossInstances: five reset requests an hour per address,
// however they are spread over instances.
func TestPasswordResetRequestsCountAcrossInstances(t *testing.T) {
	a, b := throttledPair(t)
	body := `{"email":"Someone@Example.ro"}`
	for i := range 5 {
		ls := []*liveServer{a, b}[i%2]
		if status, _ := postFrom(t, ls.addr, fmt.Sprintf("198.51.100.%d", i+1), "/api/v1/auth/password-reset", body); status != 202 {
			t.Fatalf("request %d: %d; want 202", i+1, status)
		}
	}
	for name, ls := range map[string]*liveServer{"A": a, "B": b} {
		if status, h := postFrom(t, ls.addr, "198.51.100.99", "/api/v1/auth/password-reset", `{"email":"someone@example.ro"}`); status != 429 || h.Get("Retry-After") == "" {
			t.Fatalf("instance %s, a sixth request for the address: %d; want 429 with Retry-After", name, status)
		}
	}
	// Per client: 30 in all, over both instances, whatever the addresses.
	for i := range 30 {
		ls := []*liveServer{a, b}[i%2]
		if status, _ := postFrom(t, ls.addr, "203.0.113.77", "/api/v1/auth/password-reset", fmt.Sprintf(`{"email":"person%d@example.ro"}`, i)); status != 202 {
			t.Fatalf("client request %d: %d; want 202", i+1, status)
		}
	}
	if status, _ := postFrom(t, a.addr, "203.0.113.77", "/api/v1/auth/password-reset", `{"email":"another@example.ro"}`); status != 429 {
		t.Fatalf("the client's 31st request: %d; want 429", status)
	}
}
