package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/voci"
)

// TestJoinsAreCappedPerClient: one address adds at most VOCI_JOINS_PER_CLIENT children to one
// live session in ten minutes; the next is refused with 429 too_many_joins and Retry-After.
// Other addresses, and the same address in another session, are not affected. A class taking
// turns on a shared tablet (one address, a new join per turn) stays within the default.
func TestJoinsAreCappedPerClient(t *testing.T) {
	ls := newLiveServer(t, behindProxy(t), func(d *httpapi.Deps) { d.Config.JoinsPerClient = 5 })
	f := ls.setUp(t)
	body := fmt.Sprintf(`{"code":%q}`, f.joinCode)
	for i := range 5 {
		if status, _ := postFrom(t, ls.addr, "203.0.113.5", "/api/v1/join", body); status != 201 {
			t.Fatalf("join %d: %d", i+1, status)
		}
	}
	status, h := postFrom(t, ls.addr, "203.0.113.5", "/api/v1/join", body)
	retry, _ := strconv.Atoi(h.Get("Retry-After"))
	if status != 429 || retry < 1 || retry > int((10*time.Minute).Seconds()) {
		t.Fatalf("sixth join from one address: %d, Retry-After %q; want 429 within ten minutes", status, h.Get("Retry-After"))
	}
	a := ls.do(t, "POST", "/api/v1/join", "application/json", body) // from 127.0.0.1, another client
	mustStatus(t, a, 201)
	// The refusal names its code.
	if a := answerFrom(t, ls.addr, "203.0.113.5", "/api/v1/join", body); a.status != 429 || a.problem(t)["code"] != "too_many_joins" {
		t.Fatalf("refusal: %d %s", a.status, a.body)
	}
	// Another session: a budget of its own.
	g := ls.setUp(t)
	if status, _ := postFrom(t, ls.addr, "203.0.113.5", "/api/v1/join", fmt.Sprintf(`{"code":%q}`, g.joinCode)); status != 201 {
		t.Fatalf("the same address in another session: %d", status)
	}
	if n, err := ls.store.CountParticipants(t.Context(), f.sessionID); err != nil || n != 6 {
		t.Fatalf("participants: %d %v; want 6 (5 from the capped address, 1 from another)", n, err)
	}
}

// answerFrom posts body to path from client (as a trusted proxy forwards it) and returns the
// whole answer.
func answerFrom(t *testing.T, addr, client, path, body string) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", client)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

// TestSharedTabletWithinTheDefaultCap: thirty turns on one tablet (thirty joins from one
// address) pass the default cap.
func TestSharedTabletWithinTheDefaultCap(t *testing.T) {
	ls := newLiveServer(t, behindProxy(t))
	f := ls.setUp(t)
	if voci.DefaultJoinsPerClient < 60 {
		t.Fatalf("the default cap, %d, is below two classes", voci.DefaultJoinsPerClient)
	}
	for i := range 30 {
		if status, _ := postFrom(t, ls.addr, "192.0.2.30", "/api/v1/join", fmt.Sprintf(`{"code":%q}`, f.joinCode)); status != 201 {
			t.Fatalf("tablet turn %d: %d", i+1, status)
		}
	}
}

// TestSelfPacedJoinsAreCapped: the same cap on a self-paced link.
func TestSelfPacedJoinsAreCapped(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	ts.Participation.JoinsPerClient = 3
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.from)
	child := &kid{ts: ts, key: key}
	for range 3 {
		mustStatus(t, child.do(t, "POST", "/participants", map[string]string{"lang": "ro"}), 201)
	}
	a := child.do(t, "POST", "/participants", map[string]string{"lang": "ro"})
	childProblem(t, a, 429, "too_many_joins")
	// Ten minutes from the first join, by the server's clock.
	if got := a.header.Get("Retry-After"); got != "600" {
		t.Fatalf("Retry-After %q; want 600", got)
	}
}

// TestRoomLock: a facilitator locks the room from the console socket; the presenter screen
// hears it, new joins are refused with 403 session_locked, and a child already in stays and
// can reconnect. Unlocking through REST lets children join again; both changes are audited.
func TestRoomLock(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	fac := ls.adult(t, f.fac, f, "facilitator")
	presenter := ls.adult(t, f.fac, f, "presenter")

	f.command(t, fac, "joins.lock", map[string]any{"locked": true})
	for {
		var d struct {
			JoinsLocked bool `json:"joinsLocked"`
		}
		presenter.expect("session.state").decode(t, &d)
		if d.JoinsLocked {
			break
		}
	}
	a := ls.do(t, "POST", "/api/v1/join", "application/json", fmt.Sprintf(`{"code":%q}`, f.joinCode))
	if a.status != 403 || a.problem(t)["code"] != "session_locked" {
		t.Fatalf("join to a locked room: %d %s", a.status, a.body)
	}
	if r := kid.reply(kid.send("ping", nil)); r.Type != "pong" {
		t.Fatalf("a child already in: %s", r.Type)
	}
	kid.c.Close()
	ls.mustDial(t, participantPath, childHeader(kid.token)) // reconnecting is not joining
	// A command without its flag is refused.
	if r := fac.reply(fac.send("joins.lock", map[string]any{})); fac.errorCode(r) != "invalid_parameter" {
		t.Fatalf("joins.lock without locked: %s %s", r.Type, r.Data)
	}

	path := fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s", bacau, f.sessionID)
	if got := f.fac.do(t, "GET", path, nil); !strings.Contains(string(got.body), `"joinsLocked":true`) {
		t.Fatalf("the session does not say it is locked: %s", got.body)
	}
	a = f.fac.do(t, "PUT", path+"/joins-lock", map[string]any{"locked": false})
	if a.status != 200 || !strings.Contains(string(a.body), `"joinsLocked":false`) {
		t.Fatalf("unlock: %d %s", a.status, a.body)
	}
	ls.join(t, f, "en")
	for _, action := range []string{"live_session.lock_joins", "live_session.unlock_joins"} {
		entries, _, err := ls.store.FindAudit(t.Context(), voci.AuditFilter{Action: action, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			found = found || e.ObjectID == f.sessionID
		}
		if !found {
			t.Fatalf("no %s entry for the session", action)
		}
	}
	// Only a facilitator of the municipality may lock.
	council := ls.client()
	mustStatus(t, council.login(t, "council.bacau@demo.voci.ro", testPassword), 200)
	if a := council.do(t, "PUT", path+"/joins-lock", map[string]any{"locked": true}); a.status != 403 && a.status != 404 {
		t.Fatalf("a council member locks: %d", a.status)
	}
	ls.join(t, f, "hu")
}
