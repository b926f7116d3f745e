package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/totp"
)

// client is a browser for the API: it keeps the session cookie and sends the CSRF token.
type client struct {
	ts     *testServer
	cookie string
	csrf   string
	origin string
}

func (ts *testServer) client() *client { return &client{ts: ts} }

func (cl *client) do(t *testing.T, method, url string, body any) answer {
	t.Helper()
	var r *strings.Reader
	if body == nil {
		r = strings.NewReader("")
	} else if s, ok := body.(string); ok {
		r = strings.NewReader(s)
	} else {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req := httptest.NewRequest(method, url, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.cookie != "" {
		req.Header.Set("Cookie", "voci_session="+cl.cookie)
	}
	if cl.csrf != "" {
		req.Header.Set("X-CSRF-Token", cl.csrf)
	}
	if cl.origin != "" {
		req.Header.Set("Origin", cl.origin)
	}
	resp, err := cl.ts.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{resp.StatusCode, resp.Header, b}
	for _, c := range resp.Cookies() {
		if c.Name == "voci_session" {
			cl.cookie = c.Value
		}
	}
	return a
}

// login signs the client in and keeps its CSRF token.
func (cl *client) login(t *testing.T, email, password string) answer {
	t.Helper()
	a := cl.do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
	if a.status == 200 {
		var me struct {
			CSRFToken string `json:"csrfToken"`
		}
		json.Unmarshal(a.body, &me)
		cl.csrf = me.CSRFToken
	}
	return a
}

func TestSignInAndOut(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client()
	if a := cl.do(t, "GET", "/api/v1/me", nil); a.status != 401 || a.problem(t)["code"] != "unauthorized" {
		t.Fatalf("me without session: %d %s", a.status, a.body)
	}
	a := cl.login(t, "Facilitator.Bacau@demo.voci.ro", testPassword)
	if a.status != 200 || cl.cookie == "" || cl.csrf == "" {
		t.Fatalf("login: %d %s", a.status, a.body)
	}
	if strings.Contains(string(a.body), "argon2") || strings.Contains(string(a.body), "passwordHash") {
		t.Fatalf("login answer leaks the hash: %s", a.body)
	}
	setCookie := a.header.Get("Set-Cookie")
	if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") {
		t.Fatalf("cookie flags: %s", setCookie)
	}
	me := cl.do(t, "GET", "/api/v1/me", nil)
	if me.status != 200 || !strings.Contains(string(me.body), `"role":"facilitator","municipality":20297,"municipalityName":"Bacău"`) {
		t.Fatalf("me: %d %s", me.status, me.body)
	}

	// State changes need the CSRF token and an allowed origin.
	noToken := &client{ts: ts, cookie: cl.cookie}
	if a := noToken.do(t, "POST", "/api/v1/auth/logout", nil); a.status != 403 || a.problem(t)["code"] != "csrf_failed" {
		t.Fatalf("logout without token: %d %s", a.status, a.body)
	}
	evil := &client{ts: ts, cookie: cl.cookie, csrf: cl.csrf, origin: "https://evil.example"}
	if a := evil.do(t, "POST", "/api/v1/auth/logout", nil); a.status != 403 || a.problem(t)["code"] != "origin_not_allowed" {
		t.Fatalf("logout from another origin: %d %s", a.status, a.body)
	}

	cl.origin = "http://localhost:8080"
	if a := cl.do(t, "POST", "/api/v1/auth/logout", nil); a.status != 204 {
		t.Fatalf("logout: %d %s", a.status, a.body)
	}
	old := &client{ts: ts, cookie: noToken.cookie}
	if a := old.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
		t.Fatalf("old cookie after logout: %d", a.status)
	}
}

func TestWrongCredentialsLookAlike(t *testing.T) {
	ts := newTestServer(t)
	unknown := ts.client().login(t, "nobody@demo.voci.ro", "whatever-password-1")
	wrong := ts.client().login(t, "council.brasov@demo.voci.ro", "whatever-password-1")
	if unknown.status != 401 || wrong.status != 401 {
		t.Fatalf("%d %d", unknown.status, wrong.status)
	}
	pu, pw := unknown.problem(t), wrong.problem(t)
	if pu["code"] != "invalid_credentials" || pu["code"] != pw["code"] || pu["detail"] != pw["detail"] {
		t.Fatalf("answers differ: %v / %v", pu, pw)
	}
}

func TestFiftyWrongPasswordsAreThrottled(t *testing.T) {
	ts := newTestServer(t)
	for _, email := range []string{"council.brasov@demo.voci.ro", "nobody-here@demo.voci.ro"} {
		var last answer
		for i := 0; i < 50; i++ {
			last = ts.client().login(t, email, "wrong-password-number-x")
		}
		if last.status != 429 || last.problem(t)["code"] != "rate_limited" {
			t.Fatalf("%s after 50 wrong passwords: %d %s", email, last.status, last.body)
		}
	}
}

func TestSignInRotatesTheSession(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client()
	cl.login(t, "coordinator.moinesti@demo.voci.ro", testPassword)
	first := cl.cookie
	cl.login(t, "coordinator.moinesti@demo.voci.ro", testPassword)
	if cl.cookie == first {
		t.Fatal("the session token did not change at sign-in")
	}
	if a := (&client{ts: ts, cookie: first}).do(t, "GET", "/api/v1/me", nil); a.status != 401 {
		t.Fatalf("the earlier session still works: %d", a.status)
	}
}

func TestProfileUpdateRejectsMassAssignment(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client()
	cl.login(t, "facilitator.colonesti@demo.voci.ro", testPassword)
	for field, body := range map[string]string{
		"role":         `{"displayName":"Ana","role":"platform_admin"}`,
		"roles":        `{"displayName":"Ana","roles":[{"role":"platform_admin"}]}`,
		"municipality": `{"displayName":"Ana","municipality":40198}`,
	} {
		a := cl.do(t, "PATCH", "/api/v1/me", body)
		if a.status != 400 || a.problem(t)["param"] != field {
			t.Errorf("%s: %d %s", field, a.status, a.body)
		}
	}
	for _, bad := range []string{`{"displayName":""}`, `{"displayName":"` + strings.Repeat("a", 101) + `"}`, `{"displayName":"bell\u0007"}`} {
		if a := cl.do(t, "PATCH", "/api/v1/me", bad); a.status != 400 {
			t.Errorf("%s: %d", bad, a.status)
		}
	}
	if a := cl.do(t, "PATCH", "/api/v1/me", `{"displayName":"Ana Popescu"}`); a.status != 200 || !strings.Contains(string(a.body), "Ana Popescu") || !strings.Contains(string(a.body), `"role":"facilitator"`) {
		t.Fatalf("%d %s", a.status, a.body)
	}
	// The language of Voci's emails, on its own; the name stays.
	if a := cl.do(t, "PATCH", "/api/v1/me", `{"lang":"hu"}`); a.status != 200 || !strings.Contains(string(a.body), `"lang":"hu"`) || !strings.Contains(string(a.body), "Ana Popescu") {
		t.Fatalf("language: %d %s", a.status, a.body)
	}
	for body, param := range map[string]string{`{"lang":"de"}`: "lang", `{}`: "displayName"} {
		if a := cl.do(t, "PATCH", "/api/v1/me", body); a.status != 400 || a.problem(t)["param"] != param {
			t.Errorf("%s: %d %s", body, a.status, a.body)
		}
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	ts := newTestServer(t)
	laptop, phone := ts.client(), ts.client()
	laptop.login(t, "council.corbasca@demo.voci.ro", testPassword)
	phone.login(t, "council.corbasca@demo.voci.ro", testPassword)
	if a := laptop.do(t, "POST", "/api/v1/me/password", map[string]string{"currentPassword": testPassword, "newPassword": "password123456"}); a.status != 400 || a.problem(t)["param"] != "newPassword" {
		t.Fatalf("weak password: %d %s", a.status, a.body)
	}
	if a := laptop.do(t, "POST", "/api/v1/me/password", map[string]string{"currentPassword": "not-the-password", "newPassword": "vin rosu de la Corbasca"}); a.status != 401 {
		t.Fatalf("wrong current: %d %s", a.status, a.body)
	}
	if a := laptop.do(t, "POST", "/api/v1/me/password", map[string]string{"currentPassword": testPassword, "newPassword": "vin rosu de la Corbasca"}); a.status != 204 {
		t.Fatalf("change: %d %s", a.status, a.body)
	}
	if a := phone.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
		t.Fatalf("the other session survived: %d", a.status)
	}
	if a := laptop.do(t, "GET", "/api/v1/me/sessions", nil); a.status != 200 || strings.Count(string(a.body), `"id"`) != 1 {
		t.Fatalf("sessions: %s", a.body)
	}
	if a := ts.client().login(t, "council.corbasca@demo.voci.ro", "vin rosu de la Corbasca"); a.status != 200 {
		t.Fatalf("new password: %d", a.status)
	}
}

func TestTwoStepSignIn(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client()
	cl.login(t, "coordinator.brasov@demo.voci.ro", testPassword)
	a := cl.do(t, "POST", "/api/v1/me/totp", nil)
	var setup struct{ Secret, URI string }
	json.Unmarshal(a.body, &setup)
	if a.status != 200 || setup.Secret == "" {
		t.Fatalf("begin: %d %s", a.status, a.body)
	}
	if a := cl.do(t, "POST", "/api/v1/me/totp/enable", map[string]string{"code": "000000"}); a.status != 401 || a.problem(t)["code"] != "invalid_totp" {
		t.Fatalf("wrong code: %d %s", a.status, a.body)
	}
	code, _ := totp.Code(setup.Secret, time.Now())
	if a := cl.do(t, "POST", "/api/v1/me/totp/enable", map[string]string{"code": code}); a.status != 204 {
		t.Fatalf("enable: %d %s", a.status, a.body)
	}
	first := ts.client().login(t, "coordinator.brasov@demo.voci.ro", testPassword)
	if first.status != 401 || first.problem(t)["code"] != "totp_required" {
		t.Fatalf("password alone: %d %s", first.status, first.body)
	}
	// The code that turned it on is spent: each code opens one sign-in.
	a = ts.client().do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "coordinator.brasov@demo.voci.ro", "password": testPassword, "totp": code})
	if a.status != 401 || a.problem(t)["code"] != "invalid_totp" {
		t.Fatalf("the enabling code again: %d %s", a.status, a.body)
	}
	// The next step's code (accepted a step early, for clocks that drift) signs in, once.
	next, _ := totp.Code(setup.Secret, time.Now().Add(30*time.Second))
	second := ts.client()
	a = second.do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "coordinator.brasov@demo.voci.ro", "password": testPassword, "totp": next})
	if a.status != 200 || !strings.Contains(string(a.body), `"totpEnabled":true`) {
		t.Fatalf("with code: %d %s", a.status, a.body)
	}
	a = ts.client().do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "coordinator.brasov@demo.voci.ro", "password": testPassword, "totp": next})
	if a.status != 401 || a.problem(t)["code"] != "invalid_totp" {
		t.Fatalf("a replayed code: %d %s", a.status, a.body)
	}
	// The secret is stored sealed, never as the app was given it.
	acct, err := ts.store.FindAccountByEmail(t.Context(), "coordinator.brasov@demo.voci.ro")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(acct.TOTPSecret, "v1:") || strings.Contains(acct.TOTPSecret, setup.Secret) {
		t.Fatalf("the secret is stored as %q", acct.TOTPSecret)
	}
}

func TestAdminMustTurnOnTwoStepSignIn(t *testing.T) {
	ts := newTestServer(t)
	ts.createAccount(t, "real.admin@example.ro", "platform_admin", 0)
	cl := ts.client()
	if a := cl.login(t, "real.admin@example.ro", testPassword); a.status != 200 || !strings.Contains(string(a.body), `"mustSetUpTotp":true`) {
		t.Fatalf("%d %s", a.status, a.body)
	}
	if a := cl.do(t, "GET", "/api/v1/me", nil); a.status != 200 {
		t.Fatalf("me during set-up: %d", a.status)
	}
	// Demo accounts never need the second factor.
	demo := ts.client()
	if a := demo.login(t, "admin@demo.voci.ro", testPassword); a.status != 200 || !strings.Contains(string(a.body), `"mustSetUpTotp":false`) {
		t.Fatalf("demo admin: %d %s", a.status, a.body)
	}
}
