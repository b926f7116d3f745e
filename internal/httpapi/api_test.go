package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/voci-platform/voci/internal/config"
	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/password"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/totp"
	"github.com/voci-platform/voci/internal/voci"
	"github.com/voci-platform/voci/seeds"
)

const testIndex = `<!doctype html><html><head><script>window.start = 1;</script></head><body><div id="app"></div></body></html>`

const testPassword = "demo password for tests"

// testFactor seals second-factor secrets with a fixed key.
var testFactor, _ = totp.New([]byte("a test key of exactly 32 bytes!!"))

// testPasswords hashes cheaply: the tests check behaviour, not argon2's cost.
var testPasswords = password.Hasher{Params: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}

// createAccount adds an account with testPassword and one role.
func (ts *testServer) createAccount(t *testing.T, email string, role voci.Role, municipality int) *voci.Account {
	t.Helper()
	hash, _ := testPasswords.Hash(testPassword)
	a := &voci.Account{ID: voci.RandomID(), Email: email, DisplayName: "Test " + string(role), PasswordHash: hash,
		Roles: []voci.RoleGrant{{Role: role, Municipality: municipality}}, CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := ts.store.CreateAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

type testServer struct {
	*httpapi.Server
	store *sqlitestore.Store
	path  string // the SQLite file
}

// newTestServer builds the real application on a real SQLite file with the real seeds.
// Options may change its dependencies (a mailer, a logger to read) before it is built.
func newTestServer(t *testing.T, options ...func(*httpapi.Deps)) *testServer {
	t.Helper()
	return openTestServer(t, filepath.Join(t.TempDir(), "voci.db"), true, options...)
}

// openTestServer builds the real application on the SQLite file at path, seeding it first
// when seed is set.
func openTestServer(t *testing.T, path string, seed bool, options ...func(*httpapi.Deps)) *testServer {
	t.Helper()
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if seed {
		if _, err := seeds.LoadReferenceData(ctx, st); err != nil {
			t.Fatal(err)
		}
		if _, err := seeds.EnsurePilotStages(ctx, st, time.Now(), voci.RandomID); err != nil {
			t.Fatal(err)
		}
		if _, err := seeds.EnsureDemoAccounts(ctx, st, testPasswords, testPassword, time.Now(), voci.RandomID); err != nil {
			t.Fatal(err)
		}
	}
	auth, err := voci.NewAuth(st, testPasswords, testFactor, voci.DefaultSessionPolicy, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	auth.TOTPExempt = seeds.IsDemoAccount
	cfg, err := config.Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxBodyBytes = 4096
	cfg.MetricsToken = testMetricsToken
	frontend := fstest.MapFS{
		"index.html":                  {Data: []byte(testIndex)},
		"_app/immutable/entry/app.js": {Data: []byte("console.log(1)")},
		"robots.txt":                  {Data: []byte("User-agent: *\n")},
	}
	deps := httpapi.Deps{Config: cfg, Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Auth: auth, Frontend: frontend}
	for _, o := range options {
		o(&deps)
	}
	srv, err := httpapi.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetReady(true)
	return &testServer{Server: srv, store: st, path: path}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (ts *testServer) do(t *testing.T, method, url, contentType, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := ts.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

func (a answer) problem(t *testing.T) map[string]any {
	t.Helper()
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q for status %d: %s", ct, a.status, a.body)
	}
	var p map[string]any
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestScenarios walks the API as clients use it: each case says what is sent and what must
// come back.
func TestScenarios(t *testing.T) {
	ts := newTestServer(t)
	const jsonCT = "application/json"
	cases := []struct {
		name, method, url, ct, body string
		status                      int
		code, param                 string   // for problems
		contains                    []string // for successes
	}{
		{name: "alive", method: "GET", url: "/healthz", status: 200, contains: []string{`"ok"`}},
		{name: "ready", method: "GET", url: "/readyz", status: 200, contains: []string{`"ready"`}},
		{name: "search without diacritics", method: "GET", url: "/api/v1/municipalities?q=brasov", status: 200,
			contains: []string{`"name":"Brașov"`, `"county":"Brașov"`, `"siruta":40198`, `"kind":"municipality"`}},
		{name: "search upper case", method: "GET", url: "/api/v1/municipalities?q=MOINEȘTI", status: 200, contains: []string{`"siruta":20876`}},
		{name: "search by county", method: "GET", url: "/api/v1/municipalities?county=8&pageSize=100", status: 200, contains: []string{`"siruta":40198`}},
		{name: "enrolled filter", method: "GET", url: "/api/v1/municipalities?enrolled=true", status: 200, contains: []string{`"total":5`}},
		{name: "one municipality", method: "GET", url: "/api/v1/municipalities/21971", status: 200, contains: []string{`"name":"Corbasca"`, `"enrolled":true`}},
		{name: "counties", method: "GET", url: "/api/v1/counties", status: 200, contains: []string{`{"code":8,"name":"Brașov","abbrev":"BV"}`}},
		{name: "openapi", method: "GET", url: "/api/v1/openapi.json", status: 200, contains: []string{`"openapi": "3.1.0"`}},

		{name: "page zero", method: "GET", url: "/api/v1/municipalities?page=0", status: 400, code: "invalid_parameter", param: "page"},
		{name: "page not a number", method: "GET", url: "/api/v1/municipalities?page=two", status: 400, code: "invalid_parameter", param: "page"},
		{name: "page size too big", method: "GET", url: "/api/v1/municipalities?pageSize=1000", status: 400, code: "invalid_parameter", param: "pageSize"},
		{name: "county not a number", method: "GET", url: "/api/v1/municipalities?county=BV", status: 400, code: "invalid_parameter", param: "county"},
		{name: "enrolled not boolean", method: "GET", url: "/api/v1/municipalities?enrolled=maybe", status: 400, code: "invalid_parameter", param: "enrolled"},
		{name: "query too long", method: "GET", url: "/api/v1/municipalities?q=" + strings.Repeat("a", 101), status: 400, code: "invalid_parameter", param: "q"},
		{name: "unknown municipality", method: "GET", url: "/api/v1/municipalities/999999", status: 404, code: "not_found"},
		{name: "malformed siruta", method: "GET", url: "/api/v1/municipalities/abc", status: 400, code: "invalid_parameter", param: "siruta"},
		{name: "unknown api route", method: "GET", url: "/api/v1/nothing-here", status: 404, code: "not_found"},
		{name: "unknown api method", method: "DELETE", url: "/api/v1/counties", status: 404, code: "not_found"},

		{name: "join unknown code", method: "POST", url: "/api/v1/join", ct: jsonCT, body: `{"code":"123456"}`, status: 404, code: "session_not_found"},
		{name: "join short code", method: "POST", url: "/api/v1/join", ct: jsonCT, body: `{"code":"12345"}`, status: 400, code: "invalid_parameter", param: "code"},
		{name: "join letters", method: "POST", url: "/api/v1/join", ct: jsonCT, body: `{"code":"12345a"}`, status: 400, code: "invalid_parameter", param: "code"},
		{name: "join unknown field", method: "POST", url: "/api/v1/join", ct: jsonCT, body: `{"code":"123456","name":"Ana"}`, status: 400, code: "invalid_body", param: "name"},
		{name: "join wrong type", method: "POST", url: "/api/v1/join", ct: jsonCT, body: `{"code":123456}`, status: 400, code: "invalid_body", param: "code"},
		{name: "join broken json", method: "POST", url: "/api/v1/join", ct: jsonCT, body: `{"code":`, status: 400, code: "invalid_body"},
		{name: "join two objects", method: "POST", url: "/api/v1/join", ct: jsonCT, body: `{"code":"123456"}{}`, status: 400, code: "invalid_body"},
		{name: "join empty body", method: "POST", url: "/api/v1/join", ct: jsonCT, body: ``, status: 400, code: "invalid_body"},
		{name: "join invalid utf-8", method: "POST", url: "/api/v1/join", ct: jsonCT, body: "{\"code\":\"\xff\xfe\"}", status: 400, code: "invalid_body"},
		{name: "join not json", method: "POST", url: "/api/v1/join", ct: "text/plain", body: `code=123456`, status: 415, code: "unsupported_media_type"},

		{name: "home page", method: "GET", url: "/", status: 200, contains: []string{`<div id="app">`}},
		{name: "client route falls back to the page", method: "GET", url: "/municipalities?q=x", status: 200, contains: []string{`<div id="app">`}},
		{name: "static file", method: "GET", url: "/robots.txt", status: 200, contains: []string{"User-agent"}},
		{name: "immutable asset", method: "GET", url: "/_app/immutable/entry/app.js", status: 200, contains: []string{"console.log"}},
		{name: "missing asset is not the page", method: "GET", url: "/_app/immutable/entry/gone.js", status: 404, code: "not_found"},
		{name: "posting to a page", method: "POST", url: "/municipalities", ct: jsonCT, body: `{}`, status: 405, code: "method_not_allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := ts.do(t, c.method, c.url, c.ct, c.body)
			if a.status != c.status {
				t.Fatalf("status %d, want %d: %s", a.status, c.status, a.body)
			}
			if c.code != "" {
				p := a.problem(t)
				if p["code"] != c.code || (c.param != "" && p["param"] != c.param) {
					t.Fatalf("problem %v; want code %q param %q", p, c.code, c.param)
				}
				if p["detail"] == "" || p["status"] != float64(c.status) || p["requestId"] == "" {
					t.Fatalf("incomplete problem %v", p)
				}
			}
			for _, s := range c.contains {
				if !bytes.Contains(a.body, []byte(s)) {
					t.Errorf("body lacks %s: %.400s", s, a.body)
				}
			}
		})
	}
}

func TestSearchFindsBothColonesti(t *testing.T) {
	ts := newTestServer(t)
	a := ts.do(t, "GET", "/api/v1/municipalities?q=colonesti", "", "")
	var resp struct {
		Items []struct {
			SIRUTA int    `json:"siruta"`
			Name   string `json:"name"`
			County string `json:"county"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal(a.body, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Total != 2 || len(resp.Items) != 2 {
		t.Fatalf("%+v", resp)
	}
	counties := resp.Items[0].County + "," + resp.Items[1].County
	if counties != "Bacău,Olt" && counties != "Olt,Bacău" {
		t.Fatalf("counties %s", counties)
	}
}

func TestPagingCoversEveryMunicipalityOnce(t *testing.T) {
	ts := newTestServer(t)
	seen := map[float64]bool{}
	for page := 1; ; page++ {
		a := ts.do(t, "GET", "/api/v1/municipalities?pageSize=100&page="+strconv.Itoa(page), "", "")
		var resp struct {
			Items []map[string]any `json:"items"`
			Total int              `json:"total"`
		}
		json.Unmarshal(a.body, &resp)
		if resp.Total != 3181 {
			t.Fatalf("total %d", resp.Total)
		}
		if len(resp.Items) == 0 {
			break
		}
		for _, it := range resp.Items {
			s := it["siruta"].(float64)
			if seen[s] {
				t.Fatalf("siruta %v on two pages", s)
			}
			seen[s] = true
		}
	}
	if len(seen) != 3181 {
		t.Fatalf("saw %d", len(seen))
	}
}

func TestSecurityHeadersAndCSP(t *testing.T) {
	ts := newTestServer(t)
	a := ts.do(t, "GET", "/", "", "")
	csp := a.header.Get("Content-Security-Policy")
	// The hash of the page's inline start-up script, and no 'unsafe-inline' for scripts.
	if !strings.Contains(csp, "script-src 'self' 'sha256-") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Fatalf("CSP %q", csp)
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "X-Request-Id"} {
		if a.header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	etag := a.header.Get("ETag")
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("If-None-Match", etag)
	resp, _ := ts.App().Test(req, -1)
	if resp.StatusCode != 304 {
		t.Errorf("conditional GET: %d", resp.StatusCode)
	}
	imm := ts.do(t, "GET", "/_app/immutable/entry/app.js", "", "")
	if !strings.Contains(imm.header.Get("Cache-Control"), "immutable") {
		t.Errorf("immutable asset cache %q", imm.header.Get("Cache-Control"))
	}
}

// The body limit is enforced while the request is read, before routing, so this test goes
// through a real listener rather than app.Test.
func TestOversizedBodyIs413(t *testing.T) {
	ts := newTestServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ts.Serve(ctx, ln, 5*time.Second) }()
	t.Cleanup(func() { cancel(); <-done })

	body := `{"code":"` + strings.Repeat("1", 8000) + `"}`
	resp, err := http.Post("http://"+ln.Addr().String()+"/api/v1/join", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{resp.StatusCode, resp.Header, b}
	if a.status != 413 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if p := a.problem(t); p["code"] != "body_too_large" {
		t.Fatalf("%v", p)
	}
}

func TestWrongJoinCodesAreThrottled(t *testing.T) {
	ts := newTestServer(t)
	var last answer
	for i := 0; i < 21; i++ {
		last = ts.do(t, "POST", "/api/v1/join", "application/json", `{"code":"000000"}`)
	}
	if last.status != 429 || last.problem(t)["code"] != "rate_limited" || last.header.Get("Retry-After") == "" {
		t.Fatalf("21st wrong code: %d %s", last.status, last.body)
	}
}

func TestReadinessFollowsTheStore(t *testing.T) {
	ts := newTestServer(t)
	ts.SetReady(false)
	if a := ts.do(t, "GET", "/readyz", "", ""); a.status != 503 || a.problem(t)["code"] != "unavailable" {
		t.Fatalf("not prepared: %d %s", a.status, a.body)
	}
	ts.SetReady(true)
	ts.store.Close()
	if a := ts.do(t, "GET", "/readyz", "", ""); a.status != 503 {
		t.Fatalf("closed store: %d %s", a.status, a.body)
	}
	// A store failure is answered without revealing the driver's words.
	a := ts.do(t, "GET", "/api/v1/counties", "", "")
	if a.status < 500 || bytes.Contains(bytes.ToLower(a.body), []byte("sql")) {
		t.Fatalf("closed store leaks: %d %s", a.status, a.body)
	}
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t)
	ts.do(t, "GET", "/api/v1/municipalities?q=bacau", "", "")
	a := ts.scrape(t)
	if !bytes.Contains(a.body, []byte(`voci_http_requests_total{method="GET",route="/api/v1/municipalities",status="200"} 1`)) {
		t.Fatalf("metrics lack the request:\n%s", a.body)
	}
}

// TestOpenAPIDocumentsEveryRoute fails when a route is added without being described.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	ts := newTestServer(t)
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:(\w+)`)
	documented := 0
	for _, r := range ts.App().GetRoutes(true) {
		if r.Path == "/" || r.Method == "HEAD" {
			continue // the web interface's catch-all, and HEAD that Fiber adds to every GET
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is not in openapi.json", r.Method, p)
		}
		documented++
	}
	if documented < 8 {
		t.Fatalf("only %d routes found", documented)
	}
}

// TestOpenAPIListsEveryProblemCode fails when an error code can reach a client without being
// in the document's list of problem codes, which clients switch on.
func TestOpenAPIListsEveryProblemCode(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				Problem struct {
					Properties struct {
						Code struct {
							Enum []string `json:"enum"`
						} `json:"code"`
					} `json:"properties"`
				} `json:"Problem"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	listed := doc.Components.Schemas.Problem.Properties.Code.Enum
	for _, code := range httpapi.ProblemCodes() {
		if !slices.Contains(listed, code) {
			t.Errorf("problem code %q is not in openapi.json's Problem.code enum", code)
		}
	}
}
