package httpapi_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

func accountID(t *testing.T, ts *testServer, email string) string {
	t.Helper()
	a, err := ts.store.FindAccountByEmail(t.Context(), email)
	if err != nil {
		t.Fatalf("%s: %v", email, err)
	}
	return a.ID
}

// TestRevokePlatformRoles: admins take platform-wide roles away, never the last enabled
// admin's; nobody else may.
func TestRevokePlatformRoles(t *testing.T) {
	ts := newTestServer(t)
	admin2 := ts.createAccount(t, "admin2@example.ro", voci.RolePlatformAdmin, 0)
	national := signInAs(t, ts, "national@demo.voci.ro")
	clients := map[string]*client{"national@demo.voci.ro": national}
	as := func(email string) *client {
		if clients[email] == nil {
			clients[email] = signInAs(t, ts, email)
		}
		return clients[email]
	}
	url := func(email, role string) string { return "/api/v1/people/" + accountID(t, ts, email) + "/roles/" + role }
	const admin, coord = "admin@demo.voci.ro", "coordinator.bacau@demo.voci.ro"
	cases := []struct {
		name, by, url string
		status        int
		code, param   string
	}{
		{"a coordinator", coord, url("national@demo.voci.ro", "national_committee"), 403, "forbidden", ""},
		{"a national member", "national@demo.voci.ro", url("national@demo.voci.ro", "national_committee"), 403, "forbidden", ""},
		{"a municipal role", admin, url("facilitator.bacau@demo.voci.ro", "facilitator"), 400, "invalid_parameter", "role"},
		{"an unknown role", admin, url("national@demo.voci.ro", "mayor"), 400, "invalid_parameter", "role"},
		{"a role not held", admin, url("national@demo.voci.ro", "platform_admin"), 404, "not_found", ""},
		{"an unknown person", admin, "/api/v1/people/nobody/roles/national_committee", 404, "not_found", ""},
		{"the national role", admin, url("national@demo.voci.ro", "national_committee"), 204, "", ""},
		{"the national role again", admin, url("national@demo.voci.ro", "national_committee"), 404, "not_found", ""},
		{"another admin's role", admin, "/api/v1/people/" + admin2.ID + "/roles/platform_admin", 204, "", ""},
		{"the last admin's own role", admin, url(admin, "platform_admin"), 409, "last_platform_admin", ""},
	}
	for _, c := range cases {
		a := as(c.by).do(t, "DELETE", c.url, nil)
		if c.status == 204 {
			if a.status != 204 {
				t.Fatalf("%s: %d %s", c.name, a.status, a.body)
			}
			continue
		}
		wantProblem(t, c.name, a, c.status, c.code, c.param)
	}
	// At once: the former national member's next request has no platform role left.
	if a := national.do(t, "GET", "/api/v1/people", nil); a.status != 403 {
		t.Fatalf("the former national member still lists everyone: %d", a.status)
	}
	if a, err := ts.store.FindAccountByID(t.Context(), admin2.ID); err != nil || len(a.Roles) != 0 {
		t.Fatalf("the second admin after the removal: %+v %v", a, err)
	}
	if a := as(admin).do(t, "GET", "/api/v1/people", nil); a.status != 200 {
		t.Fatalf("the last admin lost their role: %d", a.status)
	}
	if n := auditActions(t, ts); n["account.role_revoke"] != 2 {
		t.Fatalf("audit %v", n)
	}
}

type personAnswer struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	Disabled bool   `json:"disabled"`
	Roles    []struct {
		Role string `json:"role"`
	} `json:"roles"`
}

// TestDisableAccounts: who may disable whom, what bad input gets, and what disabling does.
func TestDisableAccounts(t *testing.T) {
	ts := newTestServer(t)
	both := ts.createAccount(t, "both@example.ro", voci.RoleFacilitator, 20297)
	if _, err := ts.store.AddAccountRole(t.Context(), both.ID, voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 40198}, time.Now()); err != nil {
		t.Fatal(err)
	}
	coCoordinator := ts.createAccount(t, "co.coordinator@example.ro", voci.RoleCoordinator, 20297)
	roleless := ts.createAccount(t, "roleless@example.ro", voci.RoleFacilitator, 20297)
	if _, err := ts.store.RemoveAccountRole(t.Context(), roleless.ID, voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297}, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	// The facilitator is signed in on two devices: both sessions end when the account is disabled.
	laptop := signInAs(t, ts, "facilitator.bacau@demo.voci.ro")
	phone := signInAs(t, ts, "facilitator.bacau@demo.voci.ro")
	clients := map[string]*client{}
	as := func(email string) *client {
		if clients[email] == nil {
			clients[email] = signInAs(t, ts, email)
		}
		return clients[email]
	}
	person := func(email string) string { return "/api/v1/people/" + accountID(t, ts, email) }
	const admin, coord = "admin@demo.voci.ro", "coordinator.bacau@demo.voci.ro"
	on, off := map[string]any{"disabled": true}, map[string]any{"disabled": false}
	cases := []struct {
		name, by, url string
		body          any
		status        int
		code, param   string
	}{
		{"a facilitator", "council.bacau@demo.voci.ro", person("facilitator.bacau@demo.voci.ro"), on, 403, "forbidden", ""},
		{"a national member", "national@demo.voci.ro", person("facilitator.bacau@demo.voci.ro"), on, 403, "forbidden", ""},
		{"another municipality's person", coord, person("facilitator.brasov@demo.voci.ro"), on, 404, "not_found", ""},
		{"an admin, by a coordinator", coord, person(admin), on, 404, "not_found", ""},
		{"someone without roles, by a coordinator", coord, "/api/v1/people/" + roleless.ID, on, 404, "not_found", ""},
		{"an unknown person", coord, "/api/v1/people/nobody", on, 404, "not_found", ""},
		{"someone with roles elsewhere too", coord, "/api/v1/people/" + both.ID, on, 403, "forbidden", ""},
		{"another coordinator", coord, "/api/v1/people/" + coCoordinator.ID, on, 403, "forbidden", ""},
		{"oneself, as a coordinator", coord, person(coord), on, 403, "cannot_disable_self", ""},
		{"oneself, as an admin", admin, person(admin), on, 403, "cannot_disable_self", ""},
		{"no field", coord, person("facilitator.bacau@demo.voci.ro"), map[string]any{}, 400, "invalid_parameter", "disabled"},
		{"not a boolean", coord, person("facilitator.bacau@demo.voci.ro"), map[string]any{"disabled": "yes"}, 400, "invalid_body", "disabled"},
		{"mass assignment", coord, person("facilitator.bacau@demo.voci.ro"), map[string]any{"disabled": true, "roles": []string{}}, 400, "invalid_body", "roles"},
		{"no JSON", coord, person("facilitator.bacau@demo.voci.ro"), nil, 415, "unsupported_media_type", ""},
		{"the municipality's facilitator", coord, person("facilitator.bacau@demo.voci.ro"), on, 200, "", ""},
		{"the same again", coord, person("facilitator.bacau@demo.voci.ro"), on, 200, "", ""},
		{"someone with roles in two places, by an admin", admin, "/api/v1/people/" + both.ID, on, 200, "", ""},
		{"a national member, by an admin", admin, person("national@demo.voci.ro"), on, 200, "", ""},
		{"the national member again, by an admin", admin, person("national@demo.voci.ro"), off, 200, "", ""},
	}
	for _, c := range cases {
		a := as(c.by).do(t, "PATCH", c.url, c.body)
		if c.status != 200 {
			wantProblem(t, c.name, a, c.status, c.code, c.param)
			continue
		}
		var p personAnswer
		if a.status != 200 || json.Unmarshal(a.body, &p) != nil || p.Disabled != (c.body.(map[string]any)["disabled"] == true) {
			t.Fatalf("%s: %d %s", c.name, a.status, a.body)
		}
	}

	// Every session of the disabled account ended at once.
	for name, c := range map[string]*client{"laptop": laptop, "phone": phone} {
		if a := c.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
			t.Errorf("the %s's session survived: %d", name, a.status)
		}
	}
	facilitatorID := accountID(t, ts, "facilitator.bacau@demo.voci.ro")
	if left, err := ts.store.ListAccountSessions(t.Context(), facilitatorID); err != nil || len(left) != 0 {
		t.Fatalf("sessions left: %v %v", left, err)
	}
	// The right password learns that the account is disabled; a wrong one gets the answer
	// anybody gets, so guessing reveals nothing.
	wantProblem(t, "sign-in, right password", ts.client().login(t, "facilitator.bacau@demo.voci.ro", testPassword), 403, "account_disabled", "")
	wrong := ts.client().login(t, "facilitator.bacau@demo.voci.ro", "not the password at all")
	unknown := ts.client().login(t, "nobody.here@demo.voci.ro", "not the password at all")
	wantProblem(t, "sign-in, wrong password", wrong, 401, "invalid_credentials", "")
	wantProblem(t, "sign-in, unknown email", unknown, 401, "invalid_credentials", "")
	if wrong.problem(t)["detail"] != unknown.problem(t)["detail"] {
		t.Fatalf("a disabled account's wrong password answers differently: %s / %s", wrong.body, unknown.body)
	}
	// Listed as disabled.
	p, _ := people(t, as(coord), "/api/v1/municipalities/20297/people")
	for _, it := range p.Items {
		if it.ID == facilitatorID && !it.Disabled {
			t.Fatalf("listed as enabled: %+v", it)
		}
	}

	// Enabled again, the account signs in; its old sessions stay ended.
	if a := as(coord).do(t, "PATCH", person("facilitator.bacau@demo.voci.ro"), off); a.status != 200 {
		t.Fatalf("enable: %d %s", a.status, a.body)
	}
	if a := laptop.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
		t.Fatalf("an ended session came back: %d", a.status)
	}
	if a := ts.client().login(t, "facilitator.bacau@demo.voci.ro", testPassword); a.status != 200 {
		t.Fatalf("sign-in after enabling: %d %s", a.status, a.body)
	}
	// Changes are audited; asking for the state an account is in already is not a change.
	if n := auditActions(t, ts); n["account.disable"] != 3 || n["account.enable"] != 2 {
		t.Fatalf("audit %v", n)
	}
}

// A disabled account cannot accept an invitation to add a role either: it would sign in.
func TestDisabledAccountCannotAcceptAnInvitation(t *testing.T) {
	ts := newTestServer(t)
	inv, a := invite(t, signInAs(t, ts, "coordinator.bacau@demo.voci.ro"),
		map[string]any{"email": "council.brasov@demo.voci.ro", "role": "council_member", "municipality": 20297})
	if a.status != 201 {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	if a := signInAs(t, ts, "admin@demo.voci.ro").do(t, "PATCH", "/api/v1/people/"+accountID(t, ts, "council.brasov@demo.voci.ro"), map[string]any{"disabled": true}); a.status != 200 {
		t.Fatalf("disable: %d %s", a.status, a.body)
	}
	body := map[string]string{"token": tokenOf(t, inv.Link), "password": "not the password at all"}
	wantProblem(t, "wrong password", ts.client().do(t, "POST", "/api/v1/invitations/accept", body), 401, "invalid_credentials", "password")
	body["password"] = testPassword
	wantProblem(t, "right password", ts.client().do(t, "POST", "/api/v1/invitations/accept", body), 403, "account_disabled", "")
}
