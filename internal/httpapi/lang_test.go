package httpapi_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/mail/smtptest"
	"github.com/voci-platform/voci/internal/voci"
)

// An adult's language: where it comes from (the invitation, then each sign-in) and where it
// is used (the mail Voci sends them). The real application on a real SQLite file, and a real
// SMTP server where mail is read.

// accountLang reads the language the account shows on GET /api/v1/me.
func accountLang(t *testing.T, cl *client) string {
	t.Helper()
	a := cl.do(t, "GET", "/api/v1/me", nil)
	mustStatus(t, a, 200)
	var me struct {
		Lang *string `json:"lang"`
	}
	decodeBody(t, a, &me)
	if me.Lang == nil {
		t.Fatalf("GET /api/v1/me has no lang: %s", a.body)
	}
	return *me.Lang
}

// signInIn signs in from a sign-in page shown in lang.
func signInIn(t *testing.T, ts *testServer, email, lang string) *client {
	t.Helper()
	cl := ts.client()
	a := cl.do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": testPassword, "lang": lang})
	mustStatus(t, a, 200)
	var me struct {
		CSRFToken string `json:"csrfToken"`
		Lang      string `json:"lang"`
	}
	decodeBody(t, a, &me)
	if me.Lang != lang {
		t.Fatalf("sign-in answered lang %q, want %q", me.Lang, lang)
	}
	cl.csrf = me.CSRFToken
	return cl
}

// TestSignInRemembersTheLanguage: a sign-in with a language sets the account's; one without
// leaves it; a language Voci does not speak, or a field it does not know, is refused before
// anything is checked; and the change leaves no entry of its own in the audit trail.
func TestSignInRemembersTheLanguage(t *testing.T) {
	ts := newTestServer(t)
	const email = "facilitator.bacau@demo.voci.ro"

	first := signInAs(t, ts, email)
	if got := accountLang(t, first); got != "" {
		t.Fatalf("a demo account's language before any sign-in with one: %q, want \"\"", got)
	}
	hu := signInIn(t, ts, email, "hu")
	if got := accountLang(t, hu); got != "hu" {
		t.Fatalf("after signing in in Hungarian: %q", got)
	}
	if got := accountLang(t, signInAs(t, ts, email)); got != "hu" {
		t.Fatalf("a sign-in without a language changed it to %q", got)
	}
	if got := accountLang(t, signInIn(t, ts, email, "en")); got != "en" {
		t.Fatalf("after signing in in English: %q", got)
	}

	for _, tc := range []struct {
		name, body, param string
		code              string
	}{
		{"unknown language", `{"email":"facilitator.bacau@demo.voci.ro","password":"` + testPassword + `","lang":"de"}`, "lang", "invalid_parameter"},
		{"language in capitals", `{"email":"facilitator.bacau@demo.voci.ro","password":"` + testPassword + `","lang":"HU"}`, "lang", "invalid_parameter"},
		{"language as a number", `{"email":"facilitator.bacau@demo.voci.ro","password":"` + testPassword + `","lang":1}`, "lang", "invalid_body"},
		{"unknown field", `{"email":"facilitator.bacau@demo.voci.ro","password":"` + testPassword + `","language":"hu"}`, "language", "invalid_body"},
	} {
		a := ts.client().do(t, "POST", "/api/v1/auth/login", tc.body)
		wantProblem(t, tc.name, a, 400, tc.code, tc.param)
		if p := a.problem(t); p["param"] != tc.param {
			t.Fatalf("%s: param %v, want %q", tc.name, p["param"], tc.param)
		}
	}
	if got := accountLang(t, first); got != "en" {
		t.Fatalf("a refused sign-in changed the language to %q", got)
	}

	// Four sign-ins, and nothing else, in the trail.
	if n := auditActions(t, ts); !maps.Equal(n, map[string]int{"session.sign_in": 4}) {
		t.Fatalf("audit %v, want four sign-ins only", n)
	}
}

// TestAccountTakesTheInvitationsLanguage: a new account starts in the invitation's language;
// an existing account that already has one keeps it when it accepts another invitation.
func TestAccountTakesTheInvitationsLanguage(t *testing.T) {
	var log logBuffer
	ts := newTestServer(t, withLog(&log))
	coord := signInAs(t, ts, "coordinator.bacau@demo.voci.ro")

	inv, a := invite(t, coord, map[string]any{"email": "ildiko@example.ro", "role": "facilitator", "municipality": bacau, "lang": "hu"})
	mustStatus(t, a, 201)
	newcomer := ts.client()
	a = newcomer.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": tokenOf(t, inv.Link), "displayName": "Ildikó", "password": "piros alma a kertben"})
	mustStatus(t, a, 201)
	var accepted struct {
		CSRFToken string `json:"csrfToken"`
		Lang      string `json:"lang"`
	}
	decodeBody(t, a, &accepted)
	if accepted.Lang != "hu" {
		t.Fatalf("a new account from a Hungarian invitation answered lang %q", accepted.Lang)
	}
	if got := accountLang(t, newcomer); got != "hu" {
		t.Fatalf("a new account from a Hungarian invitation: lang %q", got)
	}

	signInIn(t, ts, "council.brasov@demo.voci.ro", "en")
	inv, a = invite(t, coord, map[string]any{"email": "council.brasov@demo.voci.ro", "role": "council_member", "municipality": bacau, "lang": "ro"})
	mustStatus(t, a, 201)
	existing := ts.client()
	mustStatus(t, existing.do(t, "POST", "/api/v1/invitations/accept", map[string]string{"token": tokenOf(t, inv.Link), "password": testPassword}), 201)
	if got := accountLang(t, existing); got != "en" {
		t.Fatalf("an existing account's language after accepting a Romanian invitation: %q, want en", got)
	}
}

// TestHelpNoticeIsInEachLeadsLanguage: a lead who signed in in Hungarian is told of a child's
// help request in Hungarian; a lead whose language is not known, in Romanian; the profile's
// contact, who has no account, in Romanian.
func TestHelpNoticeIsInEachLeadsLanguage(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "Voci <voci@example.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	ls := newLiveServer(t, func(d *httpapi.Deps) { d.Mailer = sender })
	f := ls.setUp(t)

	lead := signInIn(t, ls.testServer, "safeguarding.bacau@demo.voci.ro", "hu")
	ls.createAccount(t, "second.lead@example.ro", voci.RoleSafeguardingLead, bacau)
	coordinator := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")
	mustStatus(t, coordinator.do(t, "PATCH", fmt.Sprintf("/api/v1/municipalities/%d/profile", bacau), map[string]any{
		"safeguardingLead": map[string]string{"name": "Elena Ionescu", "phone": "0234 581 849", "email": "protectia.copilului@example.ro"}}), 200)

	kid := ls.join(t, f, "ro")
	kid.askForHelp(t)
	if n := helpNotification(t, lead, kid.alias); n != string(voci.HelpNotifySent) {
		t.Fatalf("notification %q", n)
	}
	// The notification is recorded once every mail is handed over: all three are in.
	msgs := srv.Messages()
	subjects := map[string]string{}
	for _, m := range msgs {
		if len(m.To) != 1 {
			t.Fatalf("a notice to %v", m.To)
		}
		subject, _ := mailedPart(t, m.Data)
		subjects[m.To[0]] = subject
	}
	want := map[string]string{
		"safeguarding.bacau@demo.voci.ro": "Egy gyerek beszélni szeretne valakivel (Bacău)",
		"second.lead@example.ro":          "Un copil cere să vorbească cu cineva (Bacău)",
		"protectia.copilului@example.ro":  "Un copil cere să vorbească cu cineva (Bacău)",
	}
	if len(msgs) != len(want) || !maps.Equal(subjects, want) {
		t.Fatalf("%d notices, subjects by recipient %v, want %v", len(msgs), subjects, want)
	}
}

// TestHelpNoticeToTheProfilesContactWithAnAccount: the profile's contact who has an account
// without the safeguarding lead role is written to in that account's language.
func TestHelpNoticeToTheProfilesContactWithAnAccount(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "Voci <voci@example.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	ls := newLiveServer(t, func(d *httpapi.Deps) { d.Mailer = sender })
	f := ls.setUp(t)

	coordinator := signInIn(t, ls.testServer, "coordinator.bacau@demo.voci.ro", "en")
	mustStatus(t, coordinator.do(t, "PATCH", fmt.Sprintf("/api/v1/municipalities/%d/profile", bacau), map[string]any{
		"safeguardingLead": map[string]string{"name": "Coordonator Bacău", "phone": "0234 581 849", "email": "Coordinator.Bacau@demo.voci.ro"}}), 200)

	kid := ls.join(t, f, "ro")
	kid.askForHelp(t)
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	if n := helpNotification(t, lead, kid.alias); n != string(voci.HelpNotifySent) {
		t.Fatalf("notification %q", n)
	}
	subjects := map[string]string{}
	for _, m := range srv.Messages() {
		subject, _ := mailedPart(t, m.Data)
		subjects[m.To[0]] = subject
	}
	want := map[string]string{
		"safeguarding.bacau@demo.voci.ro": "Un copil cere să vorbească cu cineva (Bacău)",
		"coordinator.bacau@demo.voci.ro":  "A child asks to talk to someone (Bacău)",
	}
	if !maps.Equal(subjects, want) {
		t.Fatalf("subjects by recipient %v, want %v", subjects, want)
	}
}

// TestPasswordResetIsInTheAccountsLanguage: asked for without a language, the reset mail is
// in the account's; asked for with one, in that one.
func TestPasswordResetIsInTheAccountsLanguage(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "Voci <voci@example.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Mailer = sender })
	const email = "council.moinesti@demo.voci.ro"
	signInIn(t, ts, email, "hu")

	var subjects []string
	for i, body := range []map[string]string{{"email": email}, {"email": email, "lang": "en"}} {
		mustStatus(t, ts.client().do(t, "POST", "/api/v1/auth/password-reset", body), 202)
		ts.WaitForBackground()
		msgs := srv.Messages()
		if len(msgs) != i+1 {
			t.Fatalf("%d messages after %d requests", len(msgs), i+1)
		}
		subject, _ := mailedPart(t, msgs[i].Data)
		subjects = append(subjects, subject)
	}
	if want := []string{"Új jelszó a Voci platformhoz", "A new password for Voci"}; !slices.Equal(subjects, want) {
		t.Fatalf("subjects %q, want %q", subjects, want)
	}
}
