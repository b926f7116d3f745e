package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

// Rights taken away reach the adults' open websockets: the console and the presenter screen
// of an adult who lost them are closed with 1008, on every instance, through the bus, and
// the periodic check closes them when the bus lost the news.

const policyViolation = 1008

func accountIDOf(t *testing.T, ls *liveServer, email string) string {
	t.Helper()
	a, err := ls.store.FindAccountByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// stillOpen proves the connection still serves: a ping is answered.
func stillOpen(t *testing.T, w *wsConn) {
	t.Helper()
	id := w.send("ping", nil)
	if r := w.reply(id); r.Type != "pong" {
		t.Fatalf("ping answered %s %s", r.Type, r.Data)
	}
}

func (ls *liveServer) socketAs(t *testing.T, cl *client, f *fixture, role string) *wsConn {
	t.Helper()
	h := http.Header{}
	h.Set("Cookie", "voci_session="+cl.cookie)
	w := ls.mustDial(t, fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/%s", bacau, f.sessionID, role), h)
	stillOpen(t, w) // the check made at connection time has passed
	return w
}

// withQuietRechecks gives the server a hub whose periodic check runs only when the test
// ticks, so that what closes a socket is the bus, or the tick the test sends.
func withQuietRechecks(ticks <-chan time.Time) func(*httpapi.Deps) {
	return func(d *httpapi.Deps) {
		if d.Bus == nil {
			d.Bus = live.NewLocalBus()
		}
		d.Participation = voci.NewParticipation(d.Store, moderation.New(), voci.DefaultK)
		cfg := live.DefaultConfig
		cfg.AdultRecheckTicks = ticks
		d.Hub = live.NewHub(d.Participation, d.Bus, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	}
}

func withBus(b live.Bus) func(*httpapi.Deps) { return func(d *httpapi.Deps) { d.Bus = b } }

// TestPresenterClosedWhenAccountDisabled: a presenter never sends a command, yet it is
// closed within a second when its adult is disabled.
func TestPresenterClosedWhenAccountDisabled(t *testing.T) {
	bus := live.NewLocalBus()
	ls := newLiveServer(t, withBus(bus), withQuietRechecks(make(chan time.Time)))
	f := ls.setUp(t)
	presenter := ls.socketAs(t, f.fac, f, "presenter")
	coord := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")
	console := ls.socketAs(t, coord, f, "facilitator")

	mustStatus(t, coord.do(t, "PATCH", "/api/v1/people/"+accountIDOf(t, ls, "facilitator.bacau@demo.voci.ro"), map[string]any{"disabled": true}), 200)
	if code := presenter.closeCode(time.Second); code != policyViolation {
		t.Fatalf("presenter closed with %d, want %d", code, policyViolation)
	}
	stillOpen(t, console) // the coordinator's rights did not change
}

// TestConsoleClosedWhenRoleRemoved: taking the facilitator role in the municipality closes
// the console; the adult's presenter screen of the same account closes too.
func TestConsoleClosedWhenRoleRemoved(t *testing.T) {
	ls := newLiveServer(t, withQuietRechecks(make(chan time.Time)))
	f := ls.setUp(t)
	console := ls.socketAs(t, f.fac, f, "facilitator")
	presenter := ls.socketAs(t, f.fac, f, "presenter")
	coord := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")
	coordConsole := ls.socketAs(t, coord, f, "facilitator")

	url := fmt.Sprintf("/api/v1/municipalities/%d/people/%s/roles/facilitator", bacau, accountIDOf(t, ls, "facilitator.bacau@demo.voci.ro"))
	mustStatus(t, coord.do(t, "DELETE", url, nil), 204)
	for name, w := range map[string]*wsConn{"console": console, "presenter": presenter} {
		if code := w.closeCode(5 * time.Second); code != policyViolation {
			t.Fatalf("%s closed with %d, want %d", name, code, policyViolation)
		}
	}
	stillOpen(t, coordConsole)
}

// TestSignOutsCloseSockets: ending one sign-in session closes what was opened with it and
// nothing else; signing out everywhere closes the rest.
func TestSignOutsCloseSockets(t *testing.T) {
	ls := newLiveServer(t, withQuietRechecks(make(chan time.Time)))
	f := ls.setUp(t) // f.fac is the laptop
	phone := signInAs(t, ls.testServer, "facilitator.bacau@demo.voci.ro")
	laptopConsole := ls.socketAs(t, f.fac, f, "facilitator")
	phonePresenter := ls.socketAs(t, phone, f, "presenter")

	var sessions struct {
		Items []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
		} `json:"items"`
	}
	a := phone.do(t, "GET", "/api/v1/me/sessions", nil)
	mustStatus(t, a, 200)
	decodeBody(t, a, &sessions)
	ended := 0
	for _, s := range sessions.Items {
		if !s.Current {
			mustStatus(t, phone.do(t, "DELETE", "/api/v1/me/sessions/"+s.ID, nil), 204)
			ended++
		}
	}
	if ended != 1 {
		t.Fatalf("ended %d sessions, want the laptop's: %s", ended, a.body)
	}
	if code := laptopConsole.closeCode(5 * time.Second); code != policyViolation {
		t.Fatalf("the laptop's console closed with %d, want %d", code, policyViolation)
	}
	stillOpen(t, phonePresenter)

	mustStatus(t, phone.do(t, "POST", "/api/v1/auth/logout-everywhere", nil), 204)
	if code := phonePresenter.closeCode(5 * time.Second); code != policyViolation {
		t.Fatalf("the phone's presenter closed with %d, want %d", code, policyViolation)
	}
}

// TestPasswordChangesCloseSockets: a password changed on one device closes the sockets of
// the others; a password reset closes them all.
func TestPasswordChangesCloseSockets(t *testing.T) {
	ls := newLiveServer(t, withQuietRechecks(make(chan time.Time)))
	f := ls.setUp(t)
	phone := signInAs(t, ls.testServer, "facilitator.bacau@demo.voci.ro")
	laptopConsole := ls.socketAs(t, f.fac, f, "facilitator")
	phonePresenter := ls.socketAs(t, phone, f, "presenter")

	mustStatus(t, phone.do(t, "POST", "/api/v1/me/password", map[string]string{
		"currentPassword": testPassword, "newPassword": "a long new passphrase for the park 2026"}), 204)
	if code := laptopConsole.closeCode(5 * time.Second); code != policyViolation {
		t.Fatalf("the laptop's console closed with %d, want %d", code, policyViolation)
	}
	stillOpen(t, phonePresenter)

	secret, _, err := voci.NewAccounts(ls.store, ls.Auth).RequestPasswordReset(context.Background(), "facilitator.bacau@demo.voci.ro", nil)
	if err != nil || secret == "" {
		t.Fatalf("reset link %q: %v", secret, err)
	}
	a := ls.do(t, "POST", "/api/v1/auth/password-reset/confirm", "application/json",
		fmt.Sprintf(`{"token":%q,"newPassword":"another long passphrase for the pond"}`, secret))
	mustStatus(t, a, 204)
	if code := phonePresenter.closeCode(5 * time.Second); code != policyViolation {
		t.Fatalf("the phone's presenter closed with %d, want %d", code, policyViolation)
	}
}

// TestRevocationAcrossInstances: the console runs on instance B; the coordinator disables its
// adult through instance A. B hears it over NATS and closes the console.
func TestRevocationAcrossInstances(t *testing.T) {
	a, b := newInstances(t)
	f := a.setUp(t)
	consoleOnB := b.socketAs(t, f.fac, f, "facilitator")
	presenterOnA := a.socketAs(t, f.fac, f, "presenter")
	coord := signInAs(t, a.testServer, "coordinator.bacau@demo.voci.ro")

	mustStatus(t, coord.do(t, "PATCH", "/api/v1/people/"+accountIDOf(t, a, "facilitator.bacau@demo.voci.ro"), map[string]any{"disabled": true}), 200)
	for name, w := range map[string]*wsConn{"console on B": consoleOnB, "presenter on A": presenterOnA} {
		if code := w.closeCode(15 * time.Second); code != policyViolation {
			t.Fatalf("%s closed with %d, want %d", name, code, policyViolation)
		}
	}
}

// TestPeriodicRecheckClosesSockets: the account is disabled in the store behind the domain's
// back, so no event is published; the next periodic check closes the console.
func TestPeriodicRecheckClosesSockets(t *testing.T) {
	ticks := make(chan time.Time)
	ls := newLiveServer(t, withQuietRechecks(ticks))
	f := ls.setUp(t)
	console := ls.socketAs(t, f.fac, f, "facilitator")

	if _, err := ls.store.SetAccountDisabled(context.Background(), accountIDOf(t, ls, "facilitator.bacau@demo.voci.ro"), true, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	stillOpen(t, console) // nobody has told the hub
	ticks <- time.Now()
	if code := console.closeCode(5 * time.Second); code != policyViolation {
		t.Fatalf("console closed with %d, want %d", code, policyViolation)
	}
}

// TestRevokingRoutesAnnounceIt: every route that takes rights away announces the account on
// the bus, which is what the instances act on.
func TestRevokingRoutesAnnounceIt(t *testing.T) {
	bus := live.NewLocalBus()
	ls := newLiveServer(t, withBus(bus))
	var mu sync.Mutex
	var heard []string
	unsub, err := bus.Subscribe("voci.accounts", func(data []byte) {
		var ev struct {
			Account string `json:"account"`
		}
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Errorf("malformed event %s", data)
		}
		mu.Lock()
		heard = append(heard, ev.Account)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer unsub()
	expectHeard := func(what, id string) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if len(heard) == 0 || heard[len(heard)-1] != id {
			t.Fatalf("%s: heard %v, want %s last", what, heard, id)
		}
		heard = nil
	}
	admin := signInAs(t, ls.testServer, "admin@demo.voci.ro")
	coord := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")

	fac := accountIDOf(t, ls, "facilitator.bacau@demo.voci.ro")
	mustStatus(t, coord.do(t, "PATCH", "/api/v1/people/"+fac, map[string]any{"disabled": true}), 200)
	expectHeard("disable", fac)

	council := accountIDOf(t, ls, "council.bacau@demo.voci.ro")
	mustStatus(t, coord.do(t, "DELETE", fmt.Sprintf("/api/v1/municipalities/%d/people/%s/roles/council_member", bacau, council), nil), 204)
	expectHeard("municipal role", council)

	national := accountIDOf(t, ls, "national@demo.voci.ro")
	mustStatus(t, admin.do(t, "DELETE", "/api/v1/people/"+national+"/roles/national_committee", nil), 204)
	expectHeard("platform role", national)

	lead := "safeguarding.bacau@demo.voci.ro"
	leadID := accountIDOf(t, ls, lead)
	laptop := signInAs(t, ls.testServer, lead)
	signInAs(t, ls.testServer, lead) // another device, whose session the change ends
	mustStatus(t, laptop.do(t, "POST", "/api/v1/me/password", map[string]string{
		"currentPassword": testPassword, "newPassword": "a long new passphrase for the park 2026"}), 204)
	expectHeard("password change", leadID)

	laptop2 := signInAs2(t, ls, lead, "a long new passphrase for the park 2026")
	var sessions struct {
		Items []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
		} `json:"items"`
	}
	a := laptop2.do(t, "GET", "/api/v1/me/sessions", nil)
	decodeBody(t, a, &sessions)
	for _, s := range sessions.Items {
		if !s.Current {
			mustStatus(t, laptop2.do(t, "DELETE", "/api/v1/me/sessions/"+s.ID, nil), 204)
			expectHeard("one session ended", leadID)
		}
	}
	mustStatus(t, laptop2.do(t, "POST", "/api/v1/auth/logout-everywhere", nil), 204)
	expectHeard("sign out everywhere", leadID)

	laptop3 := signInAs2(t, ls, lead, "a long new passphrase for the park 2026")
	mustStatus(t, laptop3.do(t, "POST", "/api/v1/auth/logout", nil), 204)
	expectHeard("sign out", leadID)

	secret, _, err := voci.NewAccounts(ls.store, ls.Auth).RequestPasswordReset(context.Background(), lead, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, ls.do(t, "POST", "/api/v1/auth/password-reset/confirm", "application/json",
		fmt.Sprintf(`{"token":%q,"newPassword":"another long passphrase for the pond"}`, secret)), 204)
	expectHeard("password reset", leadID)
}

func signInAs2(t *testing.T, ls *liveServer, email, password string) *client {
	t.Helper()
	cl := ls.client()
	mustStatus(t, cl.login(t, email, password), 200)
	return cl
}

// TestMeetingScreensClosedWhenAdultLosesAccess: a coordinator's meeting console and the
// projector they opened never send a command, yet they close when the admin disables that
// coordinator, or at the next periodic check when an account was disabled behind the domain's
// back; the members' phones and the other coordinator's console stay.
func TestMeetingScreensClosedWhenAdultLosesAccess(t *testing.T) {
	ticks := make(chan time.Time)
	f := newRoom(t, 3, withQuietRechecks(ticks))
	phone := f.phone(t, 0)
	room := fmt.Sprintf("/api/v1/municipalities/%d/youth-council/meetings/%s/room", bacau, f.meetingID)
	second := f.ls.createAccount(t, "coordinator2.bacau@demo.voci.ro", voci.RoleCoordinator, bacau)
	deputy := signInAs(t, f.ls.testServer, second.Email)
	dial := func(cl *client, query string) *wsConn {
		h := http.Header{}
		h.Set("Cookie", "voci_session="+cl.cookie)
		return f.ls.mustDial(t, room+query, h)
	}
	console, projector, mine := dial(deputy, ""), dial(deputy, "?view=projector"), dial(f.coord, "")
	admin := signInAs(t, f.ls.testServer, "admin@demo.voci.ro")
	mustStatus(t, admin.do(t, "PATCH", "/api/v1/people/"+second.ID, map[string]any{"disabled": true}), 200)
	for name, w := range map[string]*wsConn{"console": console, "projector": projector} {
		if code := w.closeCode(5 * time.Second); code != policyViolation {
			t.Fatalf("%s closed with %d, want %d", name, code, policyViolation)
		}
	}
	stillOpen(t, phone)
	stillOpen(t, mine)

	// Behind the domain's back: only the periodic check can see it.
	if _, err := f.ls.store.SetAccountDisabled(context.Background(), accountIDOf(t, f.ls, "coordinator.bacau@demo.voci.ro"), true, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	stillOpen(t, mine)
	ticks <- time.Now()
	if code := mine.closeCode(5 * time.Second); code != policyViolation {
		t.Fatalf("after the periodic check the console closed with %d, want %d", code, policyViolation)
	}
	stillOpen(t, phone)
}
