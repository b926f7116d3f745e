package httpapi_test

import (
	"database/sql"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/voci-platform/voci/internal/voci"
)

// Ending sign-in sessions is written with its audit entry: while the trail cannot be written,
// signing out, ending a session and signing out everywhere fail and every session still
// works; once it can, each ending is stored with exactly one entry.
func TestEndingSessionsCarriesItsAuditEntry(t *testing.T) {
	ts := newTestServer(t)
	const email = "facilitator.bacau@demo.voci.ro"
	laptop, phone, tablet := ts.client(), ts.client(), ts.client()
	for _, cl := range []*client{laptop, phone, tablet} {
		mustStatus(t, cl.login(t, email, testPassword), 200)
	}
	var list struct {
		Items []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
		} `json:"items"`
	}
	decodeBody(t, phone.do(t, "GET", "/api/v1/me/sessions", nil), &list)
	phoneID := ""
	for _, x := range list.Items {
		if x.Current {
			phoneID = x.ID
		}
	}
	if len(list.Items) != 3 || phoneID == "" {
		t.Fatalf("sessions: %+v", list.Items)
	}

	db, err := sql.Open("sqlite", ts.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER audit_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	for _, try := range []struct {
		cl           *client
		method, path string
	}{
		{laptop, "POST", "/api/v1/auth/logout"},
		{laptop, "DELETE", "/api/v1/me/sessions/" + phoneID},
		{tablet, "POST", "/api/v1/auth/logout-everywhere"},
	} {
		if a := try.cl.do(t, try.method, try.path, nil); a.status != 500 || a.problem(t)["code"] != "internal" {
			t.Fatalf("%s %s with a full trail: %d %s", try.method, try.path, a.status, a.body)
		}
	}
	for i, cl := range []*client{laptop, phone, tablet} {
		if a := cl.do(t, "GET", "/api/v1/me", nil); a.status != 200 {
			t.Fatalf("session %d ended without its audit entry: %d", i, a.status)
		}
	}
	if _, err := db.Exec(`DROP TRIGGER audit_full`); err != nil {
		t.Fatal(err)
	}

	mustStatus(t, laptop.do(t, "DELETE", "/api/v1/me/sessions/"+phoneID, nil), 204)
	if a := phone.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
		t.Fatalf("the ended session still works: %d", a.status)
	}
	mustStatus(t, laptop.do(t, "POST", "/api/v1/auth/logout", nil), 204)
	if a := laptop.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
		t.Fatalf("the signed-out session still works: %d", a.status)
	}
	mustStatus(t, tablet.do(t, "POST", "/api/v1/auth/logout-everywhere", nil), 204)
	if a := tablet.do(t, "GET", "/api/v1/me", nil); a.status != 401 {
		t.Fatalf("signed out everywhere, the session still works: %d", a.status)
	}
	for _, action := range []string{"session.end", "session.sign_out", "session.sign_out_everywhere"} {
		entries, total, err := ts.store.FindAudit(t.Context(), voci.AuditFilter{Action: action, Limit: 10})
		if err != nil || total != 1 || entries[0].ActorEmail != email || entries[0].ObjectType != "account" {
			t.Fatalf("%s: %d entries %+v, %v; want one by %s", action, total, entries, err, email)
		}
	}
}
