package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// TestPasswordResetWithoutSMTP: the link is only logged; using it sets the password and ends
// every session of the account.
func TestPasswordResetWithoutSMTP(t *testing.T) {
	var log logBuffer
	ts := newTestServer(t, withLog(&log))
	laptop := signInAs(t, ts, "council.moinesti@demo.voci.ro")
	phone := signInAs(t, ts, "council.moinesti@demo.voci.ro")

	known := ts.client().do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "Council.Moinesti@demo.voci.ro", "lang": "hu"})
	unknown := ts.client().do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "nobody.here@demo.voci.ro"})
	if known.status != 202 || unknown.status != 202 || string(known.body) != string(unknown.body) {
		t.Fatalf("answers differ: %d %q / %d %q", known.status, known.body, unknown.status, unknown.body)
	}
	// Asked twice: two links, and using one spends the other.
	ts.client().do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "council.moinesti@demo.voci.ro"})
	ts.WaitForBackground()
	links := loggedLinks(t, log.String(), "/password-reset")
	if len(links) != 2 || !strings.HasPrefix(links[0], "http://localhost:8080/password-reset#token=") {
		t.Fatalf("logged reset links %v, want two", links)
	}
	token := tokenOf(t, links[0])

	cl := ts.client()
	a := cl.do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "newPassword": "password123456"})
	wantProblem(t, "weak password", a, 400, "invalid_parameter", "newPassword")
	a = cl.do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "newPassword": "ceai de tei la Moinești", "email": "x@y.ro"})
	wantProblem(t, "unknown field", a, 400, "invalid_body", "email")
	if a := cl.do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "newPassword": "ceai de tei la Moinești"}); a.status != 204 {
		t.Fatalf("confirm: %d %s", a.status, a.body)
	}
	for name, c := range map[string]*client{"laptop": laptop, "phone": phone} {
		if a := c.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
			t.Errorf("the %s's session survived the reset: %d", name, a.status)
		}
	}
	if a := ts.client().login(t, "council.moinesti@demo.voci.ro", testPassword); a.status != 401 {
		t.Fatalf("the old password still works: %d", a.status)
	}
	if a := ts.client().login(t, "council.moinesti@demo.voci.ro", "ceai de tei la Moinești"); a.status != 200 {
		t.Fatalf("the new password does not work: %d", a.status)
	}
	a = cl.do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "newPassword": "altă parolă destul de lungă"})
	wantProblem(t, "reused link", a, 400, "token_invalid", "")
	if !strings.Contains(a.problem(t)["detail"].(string), "already been used") {
		t.Fatalf("message: %s", a.body)
	}
	for name, token := range map[string]string{"forged": voci.NewSecret(), "garbage": "not/a token", "the other link": tokenOf(t, links[1])} {
		a := cl.do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "newPassword": "altă parolă destul de lungă"})
		wantProblem(t, name, a, 400, "token_invalid", "")
	}
	if n := auditActions(t, ts); n["account.password_reset_request"] != 2 || n["account.password_reset"] != 1 {
		t.Fatalf("audit %v", n)
	}
}

func TestPasswordResetLinkExpiresAfterAnHour(t *testing.T) {
	var log logBuffer
	clock := &testClock{}
	ts := newTestServer(t, withLog(&log), withClock(clock))
	ts.client().do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "facilitator.brasov@demo.voci.ro"})
	ts.WaitForBackground()
	links := loggedLinks(t, log.String(), "/password-reset")
	if len(links) != 1 {
		t.Fatalf("links %v", links)
	}
	clock.advance(voci.PasswordResetTTL + time.Second)
	a := ts.client().do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": tokenOf(t, links[0]), "newPassword": "prea târziu pentru asta"})
	wantProblem(t, "expired", a, 400, "token_invalid", "")
	if !strings.Contains(a.problem(t)["detail"].(string), "expired") {
		t.Fatalf("message: %s", a.body)
	}
}

func TestPasswordResetBadInputAndThrottling(t *testing.T) {
	ts := newTestServer(t)
	for name, body := range map[string]string{
		"invalid email":    `{"email":"not an email"}`,
		"control char":     `{"email":"a\u0000b@x.ro"}`,
		"overlong":         `{"email":"` + strings.Repeat("a", 260) + `@x.ro"}`,
		"unknown language": `{"email":"a@x.ro","lang":"de"}`,
	} {
		if a := ts.client().do(t, "POST", "/api/v1/auth/password-reset", body); a.status != 400 {
			t.Errorf("%s: %d %s", name, a.status, a.body)
		}
	}
	wantProblem(t, "mass assignment", ts.client().do(t, "POST", "/api/v1/auth/password-reset", `{"email":"a@x.ro","accountId":"x"}`), 400, "invalid_body", "accountId")
	// Five requests an hour per address, whether or not it has an account.
	for _, email := range []string{"safeguarding.bacau@demo.voci.ro", "nobody.at.all@demo.voci.ro"} {
		var last answer
		for range 6 {
			last = ts.client().do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": email})
		}
		wantProblem(t, "sixth request for "+email, last, 429, "rate_limited", "")
	}
	ts.WaitForBackground()

	// Wrong links are throttled per client: 30 failures in 15 minutes.
	var last answer
	for range 31 {
		last = ts.client().do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": voci.NewSecret(), "newPassword": "o parolă destul de lungă"})
	}
	wantProblem(t, "31st wrong link", last, 429, "rate_limited", "")
}

type peopleAnswer struct {
	Items []struct {
		ID          string `json:"id"`
		Email       string `json:"email"`
		DisplayName string `json:"displayName"`
		Disabled    bool   `json:"disabled"`
		Roles       []struct {
			Role             string `json:"role"`
			Municipality     int    `json:"municipality"`
			MunicipalityName string `json:"municipalityName"`
		} `json:"roles"`
	} `json:"items"`
	Total int `json:"total"`
}

func people(t *testing.T, cl *client, url string) (peopleAnswer, answer) {
	t.Helper()
	a := cl.do(t, "GET", url, nil)
	var p peopleAnswer
	if a.status == 200 {
		if err := json.Unmarshal(a.body, &p); err != nil {
			t.Fatal(err)
		}
	}
	return p, a
}

func TestPeopleOfAMunicipality(t *testing.T) {
	ts := newTestServer(t)
	// Someone who also holds a role in Brașov: only the Bacău role shows for Bacău.
	both := ts.createAccount(t, "both@example.ro", voci.RoleFacilitator, 40198)
	if _, err := ts.store.AddAccountRole(t.Context(), both.ID, voci.RoleGrant{Role: voci.RoleCouncilMember, Municipality: 20297}, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"coordinator.bacau@demo.voci.ro", "admin@demo.voci.ro", "national@demo.voci.ro"} {
		p, a := people(t, signInAs(t, ts, who), "/api/v1/municipalities/20297/people")
		if a.status != 200 || p.Total != 5 || len(p.Items) != 5 {
			t.Fatalf("%s: %d %s", who, a.status, a.body)
		}
		if p.Items[0].Email != "both@example.ro" || len(p.Items[0].Roles) != 1 || p.Items[0].Roles[0].Role != "council_member" || p.Items[0].Roles[0].MunicipalityName != "Bacău" {
			t.Fatalf("%s: first person %+v", who, p.Items[0])
		}
		if strings.Contains(string(a.body), "argon2") || strings.Contains(string(a.body), "totp") {
			t.Fatalf("the listing leaks secrets: %s", a.body)
		}
	}
	_, a := people(t, signInAs(t, ts, "coordinator.brasov@demo.voci.ro"), "/api/v1/municipalities/20297/people")
	wantProblem(t, "another coordinator", a, 404, "not_found", "")
	p, _ := people(t, signInAs(t, ts, "coordinator.bacau@demo.voci.ro"), "/api/v1/municipalities/20297/people?pageSize=2&page=2")
	if p.Total != 5 || len(p.Items) != 2 {
		t.Fatalf("second page: %+v", p)
	}

	all, a := people(t, signInAs(t, ts, "national@demo.voci.ro"), "/api/v1/people?pageSize=100")
	if a.status != 200 || all.Total != 23 || len(all.Items) != 23 {
		t.Fatalf("everyone: %d total %d", a.status, all.Total)
	}
	for _, it := range all.Items {
		if it.Email == "both@example.ro" && len(it.Roles) != 2 {
			t.Fatalf("the platform listing shows %+v", it)
		}
	}
	_, a = people(t, signInAs(t, ts, "coordinator.bacau@demo.voci.ro"), "/api/v1/people")
	wantProblem(t, "coordinator lists everyone", a, 403, "forbidden", "")
	_, a = people(t, signInAs(t, ts, "admin@demo.voci.ro"), "/api/v1/people?pageSize=1000")
	wantProblem(t, "page too big", a, 400, "invalid_parameter", "pageSize")
}

func TestRevokeRoles(t *testing.T) {
	ts := newTestServer(t)
	id := func(email string) string {
		a, err := ts.store.FindAccountByEmail(t.Context(), email)
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	coord := signInAs(t, ts, "coordinator.bacau@demo.voci.ro")
	facilitator := signInAs(t, ts, "facilitator.bacau@demo.voci.ro")
	url := func(siruta, email, role string) string {
		return "/api/v1/municipalities/" + siruta + "/people/" + id(email) + "/roles/" + role
	}

	wantProblem(t, "own coordinator role", coord.do(t, "DELETE", url("20297", "coordinator.bacau@demo.voci.ro", "coordinator"), nil), 403, "forbidden", "")
	wantProblem(t, "a platform role", coord.do(t, "DELETE", url("20297", "admin@demo.voci.ro", "platform_admin"), nil), 400, "invalid_parameter", "role")
	wantProblem(t, "an unknown role", coord.do(t, "DELETE", url("20297", "facilitator.bacau@demo.voci.ro", "mayor"), nil), 400, "invalid_parameter", "role")
	wantProblem(t, "a role not held", coord.do(t, "DELETE", url("20297", "facilitator.bacau@demo.voci.ro", "council_member"), nil), 404, "not_found", "")
	wantProblem(t, "an unknown person", coord.do(t, "DELETE", "/api/v1/municipalities/20297/people/nobody/roles/facilitator", nil), 404, "not_found", "")
	wantProblem(t, "another municipality", coord.do(t, "DELETE", url("40198", "facilitator.brasov@demo.voci.ro", "facilitator"), nil), 404, "not_found", "")
	wantProblem(t, "a role held elsewhere", coord.do(t, "DELETE", url("20297", "facilitator.brasov@demo.voci.ro", "facilitator"), nil), 404, "not_found", "")

	if a := coord.do(t, "DELETE", url("20297", "facilitator.bacau@demo.voci.ro", "facilitator"), nil); a.status != 204 {
		t.Fatalf("revoke: %d %s", a.status, a.body)
	}
	// At once: the person's next request has no role left.
	if a := facilitator.do(t, "GET", "/api/v1/me", nil); a.status != 200 || !strings.Contains(string(a.body), `"roles":[]`) {
		t.Fatalf("me after revoking: %d %s", a.status, a.body)
	}
	if p, _ := people(t, coord, "/api/v1/municipalities/20297/people"); strings.Contains(strings.Join(emails(p), ","), "facilitator.bacau") {
		t.Fatalf("still listed: %v", emails(p))
	}
	wantProblem(t, "revoke twice", coord.do(t, "DELETE", url("20297", "facilitator.bacau@demo.voci.ro", "facilitator"), nil), 404, "not_found", "")

	// An admin may take a coordinator's role.
	admin := signInAs(t, ts, "admin@demo.voci.ro")
	if a := admin.do(t, "DELETE", url("20297", "coordinator.bacau@demo.voci.ro", "coordinator"), nil); a.status != 204 {
		t.Fatalf("admin revokes a coordinator: %d %s", a.status, a.body)
	}
	if a := coord.do(t, "GET", "/api/v1/municipalities/20297/people", nil); a.status != 404 {
		t.Fatalf("the former coordinator still lists people: %d", a.status)
	}
	if n := auditActions(t, ts); n["account.role_revoke"] != 2 {
		t.Fatalf("audit %v", n)
	}
}

func emails(p peopleAnswer) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Email)
	}
	return out
}
