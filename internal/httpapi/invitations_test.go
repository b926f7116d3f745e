package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/mail/smtptest"
	"github.com/voci-platform/voci/internal/totp"
	"github.com/voci-platform/voci/internal/voci"
)

// logBuffer collects what the server logs, for tests that read links from it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func withLog(b *logBuffer) func(*httpapi.Deps) {
	return func(d *httpapi.Deps) { d.Logger = slog.New(slog.NewJSONHandler(b, nil)) }
}

// testClock is a clock the test moves forward.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }
func withClock(c *testClock) func(*httpapi.Deps) {
	return func(d *httpapi.Deps) { d.Clock = c.now; d.Auth.Clock = c.now }
}

// tokenOf takes the secret out of a link such as http://host/invitation#token=SECRET.
func tokenOf(t *testing.T, link string) string {
	t.Helper()
	_, token, ok := strings.Cut(link, "#token=")
	if !ok || token == "" {
		t.Fatalf("no token in link %q", link)
	}
	return strings.Fields(token)[0]
}

// loggedLinks returns the links written to the log after "<page>#token=".
func loggedLinks(t *testing.T, log, page string) []string {
	t.Helper()
	var links []string
	for _, line := range strings.Split(log, "\n") {
		var entry struct {
			Link string `json:"link"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && strings.Contains(entry.Link, page+"#token=") {
			links = append(links, entry.Link)
		}
	}
	return links
}

type invitationAnswer struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Roles []struct {
		Role             string `json:"role"`
		Municipality     int    `json:"municipality"`
		MunicipalityName string `json:"municipalityName"`
	} `json:"roles"`
	ExpiresAt time.Time `json:"expiresAt"`
	EmailSent *bool     `json:"emailSent"`
	Link      string    `json:"link"`
}

func signInAs(t *testing.T, ts *testServer, email string) *client {
	t.Helper()
	cl := ts.client()
	if a := cl.login(t, email, testPassword); a.status != 200 {
		t.Fatalf("login %s: %d %s", email, a.status, a.body)
	}
	return cl
}

func invite(t *testing.T, cl *client, body any) (invitationAnswer, answer) {
	t.Helper()
	a := cl.do(t, "POST", "/api/v1/invitations", body)
	var inv invitationAnswer
	if a.status == 201 {
		if err := json.Unmarshal(a.body, &inv); err != nil {
			t.Fatal(err)
		}
	}
	return inv, a
}

func wantProblem(t *testing.T, what string, a answer, status int, code, param string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, a.status, status, a.body)
	}
	p := a.problem(t)
	if p["code"] != code || (param != "" && p["param"] != param) {
		t.Fatalf("%s: problem %v, want code %q param %q", what, p, code, param)
	}
}

func auditActions(t *testing.T, ts *testServer) map[string]int {
	t.Helper()
	entries, _, err := ts.store.FindAudit(t.Context(), voci.AuditFilter{Limit: voci.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, e := range entries {
		n[e.Action]++
	}
	return n
}

// TestInvitationWithoutSMTP follows one invitation from a coordinator to a new facilitator
// on an install without a mail server: the link is shown to the inviter and logged.
func TestInvitationWithoutSMTP(t *testing.T) {
	var log logBuffer
	ts := newTestServer(t, withLog(&log))
	coord := signInAs(t, ts, "coordinator.bacau@demo.voci.ro")

	inv, a := invite(t, coord, map[string]any{"email": " Ana.Noua@Example.RO ", "role": "facilitator", "municipality": 20297, "lang": "en"})
	if a.status != 201 || inv.EmailSent == nil || *inv.EmailSent || inv.Link == "" || inv.Email != "ana.noua@example.ro" {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	if len(inv.Roles) != 1 || inv.Roles[0].Role != "facilitator" || inv.Roles[0].MunicipalityName != "Bacău" {
		t.Fatalf("roles %+v", inv.Roles)
	}
	if d := time.Until(inv.ExpiresAt); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour {
		t.Fatalf("expires in %v", d)
	}
	if !strings.HasPrefix(inv.Link, "http://localhost:8080/invitation#token=") {
		t.Fatalf("link %q", inv.Link)
	}
	if logged := loggedLinks(t, log.String(), "/invitation"); len(logged) != 1 || logged[0] != inv.Link {
		t.Fatalf("logged links %v, want %s", logged, inv.Link)
	}
	token := tokenOf(t, inv.Link)

	// The invitee sees what they are invited to, without signing in.
	invitee := ts.client()
	a = invitee.do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": token})
	if a.status != 200 || !strings.Contains(string(a.body), `"email":"ana.noua@example.ro"`) ||
		!strings.Contains(string(a.body), `"accountExists":false`) || !strings.Contains(string(a.body), `"municipalityName":"Bacău"`) {
		t.Fatalf("preview: %d %s", a.status, a.body)
	}

	// A weak password is refused and leaves the link usable.
	a = invitee.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "displayName": "Ana Nouă", "password": "password123456"})
	wantProblem(t, "weak password", a, 400, "invalid_parameter", "password")
	a = invitee.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "password": "mere verzi la Bacău"})
	wantProblem(t, "no display name", a, 400, "invalid_parameter", "displayName")
	a = invitee.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "displayName": "Ana\u0007", "password": "mere verzi la Bacău"})
	wantProblem(t, "control character", a, 400, "invalid_parameter", "displayName")
	a = invitee.do(t, "POST", "/api/v1/invitations/accept", map[string]any{"token": token, "displayName": "Ana", "password": "mere verzi la Bacău", "roles": []string{"platform_admin"}})
	wantProblem(t, "mass assignment", a, 400, "invalid_body", "roles")

	a = invitee.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "displayName": "Ana Nouă", "password": "mere verzi la Bacău"})
	if a.status != 201 || invitee.cookie == "" || !strings.Contains(string(a.body), `"role":"facilitator","municipality":20297,"municipalityName":"Bacău"`) ||
		!strings.Contains(string(a.body), `"csrfToken"`) || !strings.Contains(a.header.Get("Set-Cookie"), "HttpOnly") {
		t.Fatalf("accept: %d %s", a.status, a.body)
	}
	if me := invitee.do(t, "GET", "/api/v1/me", nil); me.status != 200 || !strings.Contains(string(me.body), `"displayName":"Ana Nouă"`) {
		t.Fatalf("me after accepting: %d %s", me.status, me.body)
	}
	if a := ts.client().login(t, "ana.noua@example.ro", "mere verzi la Bacău"); a.status != 200 {
		t.Fatalf("sign in with the new password: %d", a.status)
	}

	// The link is spent.
	a = ts.client().do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "displayName": "Eve", "password": "another long password"})
	wantProblem(t, "reused link", a, 400, "token_invalid", "")
	if !strings.Contains(a.problem(t)["detail"].(string), "already been accepted") {
		t.Fatalf("reused link message: %s", a.body)
	}
	wantProblem(t, "preview of a used link", ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": token}), 400, "token_invalid", "")

	if n := auditActions(t, ts); n["invitation.create"] != 1 || n["invitation.accept"] != 1 {
		t.Fatalf("audit %v", n)
	}
}

func TestForgedInvitationLinks(t *testing.T) {
	ts := newTestServer(t)
	for name, token := range map[string]string{
		"unknown":       voci.NewSecret(),
		"not base64url": "abc!def",
		"a hash":        voci.TokenHash("x"),
	} {
		a := ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": token})
		wantProblem(t, name, a, 400, "token_invalid", "")
		a = ts.client().do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "displayName": "X", "password": "a long enough password"})
		wantProblem(t, name+" accept", a, 400, "token_invalid", "")
	}
	a := ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": strings.Repeat("a", 101)})
	wantProblem(t, "overlong", a, 400, "invalid_parameter", "token")
	a = ts.client().do(t, "POST", "/api/v1/invitations/preview", `{"token":"x","email":"me@x.ro"}`)
	wantProblem(t, "unknown field", a, 400, "invalid_body", "email")
}

// TestInvitationRules: who may invite whom, and what bad input gets.
func TestInvitationRules(t *testing.T) {
	ts := newTestServer(t)
	clients := map[string]*client{}
	as := func(email string) *client {
		if clients[email] == nil {
			clients[email] = signInAs(t, ts, email)
		}
		return clients[email]
	}
	const coord, national, admin = "coordinator.bacau@demo.voci.ro", "national@demo.voci.ro", "admin@demo.voci.ro"
	cases := []struct {
		name, by string
		body     any
		status   int
		code     string
		param    string
	}{
		{"coordinator: facilitator", coord, map[string]any{"email": "f@x.ro", "role": "facilitator", "municipality": 20297}, 201, "", ""},
		{"coordinator: council member", coord, map[string]any{"email": "c@x.ro", "role": "council_member", "municipality": 20297, "lang": "hu"}, 201, "", ""},
		{"coordinator: safeguarding lead", coord, map[string]any{"email": "s@x.ro", "role": "safeguarding_lead", "municipality": 20297, "lang": "ro"}, 201, "", ""},
		{"coordinator: another municipality", coord, map[string]any{"email": "f@x.ro", "role": "facilitator", "municipality": 40198}, 404, "not_found", ""},
		{"coordinator: a coordinator", coord, map[string]any{"email": "k@x.ro", "role": "coordinator", "municipality": 20297}, 403, "forbidden", ""},
		{"coordinator: an admin", coord, map[string]any{"email": "k@x.ro", "role": "platform_admin"}, 403, "forbidden", ""},
		{"coordinator: national", coord, map[string]any{"email": "k@x.ro", "role": "national_committee"}, 403, "forbidden", ""},
		{"coordinator: someone holding the role", coord, map[string]any{"email": "facilitator.bacau@demo.voci.ro", "role": "facilitator", "municipality": 20297}, 409, "conflict", ""},
		{"national: coordinator", national, map[string]any{"email": "k@x.ro", "role": "coordinator", "municipality": 40198}, 201, "", ""},
		{"national: facilitator", national, map[string]any{"email": "k@x.ro", "role": "facilitator", "municipality": 40198}, 403, "forbidden", ""},
		{"national: national", national, map[string]any{"email": "k@x.ro", "role": "national_committee"}, 403, "forbidden", ""},
		{"admin: national", admin, map[string]any{"email": "n@x.ro", "role": "national_committee"}, 201, "", ""},
		{"admin: admin", admin, map[string]any{"email": "a@x.ro", "role": "platform_admin", "municipality": 0}, 201, "", ""},
		{"admin: coordinator", admin, map[string]any{"email": "k@x.ro", "role": "coordinator", "municipality": 21971}, 201, "", ""},
		{"admin: unknown municipality", admin, map[string]any{"email": "k@x.ro", "role": "coordinator", "municipality": 999999}, 400, "invalid_parameter", "municipality"},
		{"admin: municipal role without municipality", admin, map[string]any{"email": "k@x.ro", "role": "coordinator"}, 400, "invalid_parameter", "municipality"},
		{"admin: platform role with municipality", admin, map[string]any{"email": "k@x.ro", "role": "national_committee", "municipality": 20297}, 400, "invalid_parameter", "municipality"},
		{"admin: unknown role", admin, map[string]any{"email": "k@x.ro", "role": "mayor", "municipality": 20297}, 400, "invalid_parameter", "role"},
		{"facilitator", "facilitator.bacau@demo.voci.ro", map[string]any{"email": "k@x.ro", "role": "facilitator", "municipality": 20297}, 403, "forbidden", ""},
		{"invalid email", coord, map[string]any{"email": "not an email", "role": "facilitator", "municipality": 20297}, 400, "invalid_parameter", "email"},
		{"email with a name", coord, map[string]any{"email": "Ana <ana@x.ro>", "role": "facilitator", "municipality": 20297}, 400, "invalid_parameter", "email"},
		{"control character", coord, map[string]any{"email": "an\u0007a@x.ro", "role": "facilitator", "municipality": 20297}, 400, "invalid_parameter", "email"},
		{"overlong email", coord, map[string]any{"email": strings.Repeat("a", 250) + "@x.ro", "role": "facilitator", "municipality": 20297}, 400, "invalid_parameter", "email"},
		{"unknown language", coord, map[string]any{"email": "k@x.ro", "role": "facilitator", "municipality": 20297, "lang": "fr"}, 400, "invalid_parameter", "lang"},
		{"mass assignment: invitedBy", coord, map[string]any{"email": "k@x.ro", "role": "facilitator", "municipality": 20297, "invitedBy": "someone"}, 400, "invalid_body", "invitedBy"},
		{"mass assignment: expiresAt", coord, map[string]any{"email": "k@x.ro", "role": "facilitator", "municipality": 20297, "expiresAt": "2099-01-01T00:00:00Z"}, 400, "invalid_body", "expiresAt"},
		{"mass assignment: roles", coord, map[string]any{"email": "k@x.ro", "roles": []map[string]any{{"role": "platform_admin"}}}, 400, "invalid_body", "roles"},
		{"no role", coord, map[string]any{"email": "k@x.ro"}, 400, "invalid_parameter", "role"},
		{"negative municipality", coord, map[string]any{"email": "k@x.ro", "role": "facilitator", "municipality": -1}, 400, "invalid_parameter", "municipality"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, a := invite(t, as(c.by), c.body)
			if c.status == 201 {
				if a.status != 201 {
					t.Fatalf("status %d: %s", a.status, a.body)
				}
				return
			}
			wantProblem(t, c.name, a, c.status, c.code, c.param)
		})
	}
	if n := auditActions(t, ts); n["invitation.create"] != 7 {
		t.Fatalf("audit %v, want 7 invitation.create", n)
	}
}

// TestInvitationToAnExistingAccount adds the role to the account after its password is given.
func TestInvitationToAnExistingAccount(t *testing.T) {
	ts := newTestServer(t)
	inv, a := invite(t, signInAs(t, ts, "coordinator.bacau@demo.voci.ro"),
		map[string]any{"email": "council.brasov@demo.voci.ro", "role": "council_member", "municipality": 20297})
	if a.status != 201 {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	token := tokenOf(t, inv.Link)
	cl := ts.client()
	if a := cl.do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": token}); !strings.Contains(string(a.body), `"accountExists":true`) {
		t.Fatalf("preview: %d %s", a.status, a.body)
	}
	a = cl.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "password": "not the password at all"})
	wantProblem(t, "wrong password", a, 401, "invalid_credentials", "password")
	a = cl.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": token, "displayName": "Ignored", "password": testPassword})
	if a.status != 201 || !strings.Contains(string(a.body), `"role":"council_member","municipality":40198`) ||
		!strings.Contains(string(a.body), `"role":"council_member","municipality":20297,"municipalityName":"Bacău"`) ||
		strings.Contains(string(a.body), "Ignored") {
		t.Fatalf("accept: %d %s", a.status, a.body)
	}
}

// TestConcurrentAcceptance: one link accepted at once from many browsers makes one account.
func TestConcurrentAcceptance(t *testing.T) {
	ts := newTestServer(t)
	inv, _ := invite(t, signInAs(t, ts, "coordinator.corbasca@demo.voci.ro"),
		map[string]any{"email": "race@example.ro", "role": "facilitator", "municipality": 21971})
	token := tokenOf(t, inv.Link)
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			a := ts.client().do(t, "POST", "/api/v1/invitations/accept",
				map[string]string{"token": token, "displayName": fmt.Sprintf("Racer %d", i), "password": "o parolă destul de lungă"})
			statuses[i] = a.status
		})
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case 201:
			won++
		case 400:
		default:
			t.Errorf("status %d", s)
		}
	}
	if won != 1 {
		t.Fatalf("%d acceptances of one link succeeded: %v", won, statuses)
	}
}

func TestExpiredInvitation(t *testing.T) {
	clock := &testClock{}
	ts := newTestServer(t, withClock(clock))
	inv, _ := invite(t, signInAs(t, ts, "coordinator.moinesti@demo.voci.ro"),
		map[string]any{"email": "late@example.ro", "role": "council_member", "municipality": 20876})
	clock.advance(voci.InvitationTTL + time.Minute)
	a := ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": tokenOf(t, inv.Link)})
	wantProblem(t, "expired", a, 400, "token_invalid", "")
	if !strings.Contains(a.problem(t)["detail"].(string), "expired") {
		t.Fatalf("message: %s", a.body)
	}
	a = ts.client().do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": tokenOf(t, inv.Link), "displayName": "Late", "password": "a long enough password"})
	wantProblem(t, "expired accept", a, 400, "token_invalid", "")
}

func TestListAndRevokeInvitations(t *testing.T) {
	ts := newTestServer(t)
	bacau := signInAs(t, ts, "coordinator.bacau@demo.voci.ro")
	brasov := signInAs(t, ts, "coordinator.brasov@demo.voci.ro")
	admin := signInAs(t, ts, "admin@demo.voci.ro")
	national := signInAs(t, ts, "national@demo.voci.ro")
	inv, _ := invite(t, bacau, map[string]any{"email": "pending@example.ro", "role": "facilitator", "municipality": 20297})
	natInv, _ := invite(t, admin, map[string]any{"email": "nat@example.ro", "role": "national_committee"})

	list := func(cl *client, query string) answer {
		t.Helper()
		return cl.do(t, "GET", "/api/v1/invitations"+query, nil)
	}
	if a := list(bacau, ""); a.status != 200 || !strings.Contains(string(a.body), inv.ID) || strings.Contains(string(a.body), natInv.ID) {
		t.Fatalf("coordinator's list: %d %s", a.status, a.body)
	}
	if a := list(bacau, "?municipality=20297"); !strings.Contains(string(a.body), inv.ID) {
		t.Fatalf("coordinator's list for Bacău: %s", a.body)
	}
	if strings.Contains(string(list(bacau, "").body), `"link"`) {
		t.Fatal("a listing shows a link")
	}
	wantProblem(t, "another coordinator's municipality", list(brasov, "?municipality=20297"), 404, "not_found", "")
	if a := list(brasov, ""); a.status != 200 || strings.Contains(string(a.body), inv.ID) {
		t.Fatalf("another coordinator's list: %s", a.body)
	}
	if a := list(admin, ""); !strings.Contains(string(a.body), inv.ID) || !strings.Contains(string(a.body), natInv.ID) {
		t.Fatalf("admin's list: %s", a.body)
	}
	// National members manage coordinators' invitations only.
	if a := list(national, ""); a.status != 200 || strings.Contains(string(a.body), inv.ID) || strings.Contains(string(a.body), natInv.ID) {
		t.Fatalf("national's list: %s", a.body)
	}
	wantProblem(t, "bad municipality", list(admin, "?municipality=abc"), 400, "invalid_parameter", "municipality")

	wantProblem(t, "revoke by another coordinator", brasov.do(t, "DELETE", "/api/v1/invitations/"+inv.ID, nil), 404, "not_found", "")
	wantProblem(t, "revoke unknown", bacau.do(t, "DELETE", "/api/v1/invitations/nope", nil), 404, "not_found", "")
	if a := bacau.do(t, "DELETE", "/api/v1/invitations/"+inv.ID, nil); a.status != 204 {
		t.Fatalf("revoke: %d %s", a.status, a.body)
	}
	wantProblem(t, "revoke twice", bacau.do(t, "DELETE", "/api/v1/invitations/"+inv.ID, nil), 409, "conflict", "")
	a := ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": tokenOf(t, inv.Link)})
	wantProblem(t, "revoked link", a, 400, "token_invalid", "")
	if !strings.Contains(a.problem(t)["detail"].(string), "withdrawn") {
		t.Fatalf("message: %s", a.body)
	}
	if strings.Contains(string(list(bacau, "").body), inv.ID) {
		t.Fatal("a revoked invitation is still pending")
	}
	if n := auditActions(t, ts); n["invitation.revoke"] != 1 {
		t.Fatalf("audit %v", n)
	}
}

// mailedPart returns the decoded text/plain part of a delivered message and its subject.
func mailedPart(t *testing.T, data string) (subject, text string) {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no text part: %v", err)
		}
		if ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct == "text/plain" {
			b, _ := io.ReadAll(p)
			return subject, string(b)
		}
	}
}

// TestLinksAreMailedThroughSMTP runs the invitation and the password reset through a real SMTP
// server on 127.0.0.1 and follows the links found in the mail.
func TestLinksAreMailedThroughSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "Voci <voci@example.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	var log logBuffer
	ts := newTestServer(t, withLog(&log), func(d *httpapi.Deps) { d.Mailer = sender })

	inv, a := invite(t, signInAs(t, ts, "coordinator.colonesti@demo.voci.ro"),
		map[string]any{"email": "erzsebet@example.ro", "role": "safeguarding_lead", "municipality": 21891, "lang": "hu"})
	if a.status != 201 || inv.EmailSent == nil || !*inv.EmailSent || inv.Link != "" {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	msgs := srv.WaitFor(t, 1, 5*time.Second)
	if msgs[0].To[0] != "erzsebet@example.ro" {
		t.Fatalf("mailed to %v", msgs[0].To)
	}
	subject, text := mailedPart(t, msgs[0].Data)
	if subject != "Meghívó a Voci platformra" || !strings.Contains(text, "gyermekvédelmi felelős (Colonești)") {
		t.Fatalf("subject %q text:\n%s", subject, text)
	}
	if len(loggedLinks(t, log.String(), "/invitation")) != 0 {
		t.Fatal("a mailed link is also logged")
	}
	newcomer := ts.client()
	a = newcomer.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": tokenOf(t, text), "displayName": "Erzsébet", "password": "piros alma a kertben"})
	if a.status != 201 {
		t.Fatalf("accept with the mailed link: %d %s", a.status, a.body)
	}

	if a := ts.client().do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "erzsebet@example.ro", "lang": "en"}); a.status != 202 {
		t.Fatalf("reset: %d %s", a.status, a.body)
	}
	ts.WaitForBackground()
	msgs = srv.WaitFor(t, 2, 5*time.Second)
	subject, text = mailedPart(t, msgs[1].Data)
	if subject != "A new password for Voci" || !strings.Contains(text, "/password-reset#token=") {
		t.Fatalf("subject %q text:\n%s", subject, text)
	}
	if a := ts.client().do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": tokenOf(t, text), "newPassword": "zöld körte a fán"}); a.status != 204 {
		t.Fatalf("confirm with the mailed link: %d %s", a.status, a.body)
	}
	if a := newcomer.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
		t.Fatalf("the session survived the reset: %d", a.status)
	}
	if a := ts.client().login(t, "erzsebet@example.ro", "zöld körte a fán"); a.status != 200 {
		t.Fatalf("sign in with the new password: %d", a.status)
	}
}

// A mail server that refuses the connection does not lose the invitation: its link is given
// to the inviter.
func TestUnreachableSMTPShowsTheLink(t *testing.T) {
	sender, err := mail.New(mail.Config{Host: "127.0.0.1", Port: 1, From: "voci@example.ro", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Mailer = sender })
	inv, a := invite(t, signInAs(t, ts, "coordinator.bacau@demo.voci.ro"), map[string]any{"email": "x@example.ro", "role": "facilitator", "municipality": 20297})
	if a.status != 201 || inv.EmailSent == nil || *inv.EmailSent || inv.Link == "" {
		t.Fatalf("%d %s", a.status, a.body)
	}
}

// Accepting signs in, so an account with two-step sign-in on needs its code too: an
// invitation link must not be a way around the second factor.
func TestAcceptanceAsksForTheSecondFactor(t *testing.T) {
	ts := newTestServer(t)
	acct, err := ts.store.FindAccountByEmail(t.Context(), "facilitator.corbasca@demo.voci.ro")
	if err != nil {
		t.Fatal(err)
	}
	secret, on := "JBSWY3DPEHPK3PXP", true
	if _, err := ts.store.UpdateAccount(t.Context(), acct.ID, voci.AccountUpdate{TOTPSecret: &secret, TOTPEnabled: &on}); err != nil {
		t.Fatal(err)
	}
	inv, _ := invite(t, signInAs(t, ts, "coordinator.corbasca@demo.voci.ro"),
		map[string]any{"email": acct.Email, "role": "council_member", "municipality": 21971})
	body := map[string]string{"token": tokenOf(t, inv.Link), "password": testPassword}
	wantProblem(t, "no code", ts.client().do(t, "POST", "/api/v1/invitations/accept", body), 401, "totp_required", "totp")
	body["totp"] = "000000"
	wantProblem(t, "wrong code", ts.client().do(t, "POST", "/api/v1/invitations/accept", body), 401, "invalid_totp", "totp")
	body["totp"], _ = totp.Code(secret, time.Now())
	if a := ts.client().do(t, "POST", "/api/v1/invitations/accept", body); a.status != 201 {
		t.Fatalf("with the code: %d %s", a.status, a.body)
	}
	// The secret was stored in plain text, as before secrets were sealed: it worked, and its
	// use sealed it.
	if a, err := ts.store.FindAccountByID(t.Context(), acct.ID); err != nil || !strings.HasPrefix(a.TOTPSecret, "v1:") {
		t.Fatalf("the secret is not sealed after its use (%v)", err)
	}
}

func resend(t *testing.T, cl *client, id string, body any) (invitationAnswer, answer) {
	t.Helper()
	a := cl.do(t, "POST", "/api/v1/invitations/"+id+"/resend", body)
	var inv invitationAnswer
	if a.status == 200 {
		if err := json.Unmarshal(a.body, &inv); err != nil {
			t.Fatal(err)
		}
	}
	return inv, a
}

// TestResendInvitation without SMTP: a new link is shown and logged, the old one stops
// working, and the seven days start again.
func TestResendInvitation(t *testing.T) {
	var log logBuffer
	clock := &testClock{}
	ts := newTestServer(t, withLog(&log), withClock(clock))
	first, a := invite(t, signInAs(t, ts, "coordinator.bacau@demo.voci.ro"), map[string]any{"email": "again@example.ro", "role": "facilitator", "municipality": 20297, "lang": "hu"})
	if a.status != 201 {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	clock.advance(3 * 24 * time.Hour)
	bacau := signInAs(t, ts, "coordinator.bacau@demo.voci.ro") // the first session has ended

	cases := []struct {
		name   string
		by     *client
		id     string
		body   any
		status int
		code   string
		param  string
	}{
		{"another coordinator", signInAs(t, ts, "coordinator.brasov@demo.voci.ro"), first.ID, nil, 404, "not_found", ""},
		{"a facilitator", signInAs(t, ts, "facilitator.bacau@demo.voci.ro"), first.ID, nil, 403, "forbidden", ""},
		{"an unknown invitation", bacau, "nope", nil, 404, "not_found", ""},
		{"an unknown field", bacau, first.ID, map[string]any{"expiresAt": "2099-01-01T00:00:00Z"}, 400, "invalid_body", "expiresAt"},
		{"not an object", bacau, first.ID, "[]", 400, "invalid_body", ""},
	}
	for _, c := range cases {
		_, a := resend(t, c.by, c.id, c.body)
		wantProblem(t, c.name, a, c.status, c.code, c.param)
	}

	again, a := resend(t, bacau, first.ID, map[string]any{})
	if a.status != 200 || again.ID != first.ID || again.EmailSent == nil || *again.EmailSent || again.Link == "" || again.Link == first.Link {
		t.Fatalf("resend: %d %s", a.status, a.body)
	}
	if got, want := again.ExpiresAt, first.ExpiresAt.Add(3*24*time.Hour); got.Before(want.Add(-time.Minute)) || got.After(want.Add(time.Minute)) {
		t.Fatalf("expires at %v, want about %v", got, want)
	}
	if logged := loggedLinks(t, log.String(), "/invitation"); len(logged) != 2 || logged[1] != again.Link {
		t.Fatalf("logged links %v, want the new one last", logged)
	}
	wantProblem(t, "the old link", ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": tokenOf(t, first.Link)}), 400, "token_invalid", "")
	if a := ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": tokenOf(t, again.Link)}); a.status != 200 {
		t.Fatalf("the new link: %d %s", a.status, a.body)
	}
	// Still listed once, with the new expiry.
	var listed struct {
		Items []invitationAnswer `json:"items"`
	}
	if a := bacau.do(t, "GET", "/api/v1/invitations", nil); a.status != 200 || json.Unmarshal(a.body, &listed) != nil || len(listed.Items) != 1 || !listed.Items[0].ExpiresAt.Equal(again.ExpiresAt) {
		t.Fatalf("listed: %d %s", a.status, a.body)
	}

	// An invitation that expired unused may be sent again; its new link works.
	clock.advance(voci.InvitationTTL + time.Hour)
	wantProblem(t, "expired", ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": tokenOf(t, again.Link)}), 400, "token_invalid", "")
	bacau = signInAs(t, ts, "coordinator.bacau@demo.voci.ro")
	third, a := resend(t, bacau, first.ID, nil)
	if a.status != 200 {
		t.Fatalf("resend after expiry: %d %s", a.status, a.body)
	}
	a = ts.client().do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": tokenOf(t, third.Link), "displayName": "Din Nou", "password": "a treia oară e cu noroc"})
	if a.status != 201 {
		t.Fatalf("accept: %d %s", a.status, a.body)
	}
	_, a = resend(t, bacau, first.ID, nil)
	wantProblem(t, "accepted", a, 409, "conflict", "")

	withdrawn, _ := invite(t, bacau, map[string]any{"email": "gone@example.ro", "role": "facilitator", "municipality": 20297})
	if a := bacau.do(t, "DELETE", "/api/v1/invitations/"+withdrawn.ID, nil); a.status != 204 {
		t.Fatalf("withdraw: %d", a.status)
	}
	_, a = resend(t, bacau, withdrawn.ID, nil)
	wantProblem(t, "withdrawn", a, 409, "conflict", "")

	// Someone who meanwhile got the role another way needs no invitation.
	late, _ := invite(t, bacau, map[string]any{"email": "council.brasov@demo.voci.ro", "role": "council_member", "municipality": 20297})
	if _, err := ts.store.AddAccountRole(t.Context(), accountID(t, ts, "council.brasov@demo.voci.ro"), voci.RoleGrant{Role: voci.RoleCouncilMember, Municipality: 20297}, time.Now()); err != nil {
		t.Fatal(err)
	}
	_, a = resend(t, bacau, late.ID, nil)
	wantProblem(t, "the role is held already", a, 409, "conflict", "")

	if n := auditActions(t, ts); n["invitation.resend"] != 2 {
		t.Fatalf("audit %v", n)
	}
}

// TestResendInvitationThroughSMTP: the new link is mailed in the invitation's language, and
// only the new link works.
func TestResendInvitationThroughSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "Voci <voci@example.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Mailer = sender })
	admin := signInAs(t, ts, "admin@demo.voci.ro")
	first, a := invite(t, admin, map[string]any{"email": "nat.nou@example.ro", "role": "national_committee", "lang": "en"})
	if a.status != 201 {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	again, a := resend(t, admin, first.ID, nil)
	if a.status != 200 || again.EmailSent == nil || !*again.EmailSent || again.Link != "" {
		t.Fatalf("resend: %d %s", a.status, a.body)
	}
	msgs := srv.WaitFor(t, 2, 5*time.Second)
	_, firstText := mailedPart(t, msgs[0].Data)
	subject, text := mailedPart(t, msgs[1].Data)
	if msgs[1].To[0] != "nat.nou@example.ro" || subject != "Your invitation to Voci" {
		t.Fatalf("mailed to %v: %q", msgs[1].To, subject)
	}
	if tokenOf(t, firstText) == tokenOf(t, text) {
		t.Fatal("the same link was mailed again")
	}
	wantProblem(t, "the first mailed link", ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": tokenOf(t, firstText)}), 400, "token_invalid", "")
	if a := ts.client().do(t, "POST", "/api/v1/invitations/preview", map[string]string{"token": tokenOf(t, text)}); a.status != 200 {
		t.Fatalf("the second mailed link: %d %s", a.status, a.body)
	}
}
