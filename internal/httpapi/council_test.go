package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// memberPhone is a council member's phone: it keeps the member cookie and its CSRF token.
type memberPhone struct {
	ts     *testServer
	cookie string
	csrf   string
}

func (ph *memberPhone) do(t *testing.T, method, url string, body any) answer {
	t.Helper()
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req := httptest.NewRequest(method, url, bytes.NewReader(b))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ph.cookie != "" {
		req.Header.Set("Cookie", "voci_member="+ph.cookie)
	}
	if ph.csrf != "" {
		req.Header.Set("X-CSRF-Token", ph.csrf)
	}
	resp, err := ph.ts.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.Name == "voci_member" {
			ph.cookie = c.Value
		}
	}
	return answer{resp.StatusCode, resp.Header, out}
}

func decodeInto[T any](t *testing.T, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("%d %s: %v", a.status, a.body, err)
	}
	return v
}

type councilMemberOut struct {
	ID          string  `json:"id"`
	DisplayName string  `json:"displayName"`
	RecordName  *string `json:"recordName"`
	Office      string  `json:"office"`
	InOffice    bool    `json:"inOffice"`
	CanTakePart bool    `json:"canTakePart"`
	Reason      *string `json:"reason"`
	HasCard     bool    `json:"hasCard"`
	Version     int     `json:"version"`
}

func wantCouncilProblem(t *testing.T, what string, a answer, status int, code string) {
	t.Helper()
	wantProblem(t, what, a, status, code, "")
}

// TestYouthCouncilEndToEnd: a coordinator creates a council, adds members, records consent
// and issues a card; the member signs in with it on their phone and sees their council; a
// reissued or revoked card is refused; facilitators read the council but never consent.
func TestYouthCouncilEndToEnd(t *testing.T) {
	ts := newTestServer(t)
	const base = "/api/v1/municipalities/20297/youth-council"
	coord := ts.client()
	coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword)
	fac := ts.client()
	fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword)

	wantCouncilProblem(t, "no council yet", coord.do(t, "GET", base, nil), 404, "youth_council_not_found")
	wantCouncilProblem(t, "facilitator creates", fac.do(t, "PUT", base, map[string]any{"name": "X"}), 404, "not_found")
	wantCouncilProblem(t, "bad quorum", coord.do(t, "PUT", base, map[string]any{"name": "Consiliul Copiilor Bacău", "quorum": map[string]int{"numerator": 3, "denominator": 2}}), 400, "invalid_parameter")
	if a := coord.do(t, "PUT", base, map[string]any{"name": "Consiliul Copiilor Bacău", "majority": "two_thirds", "chair": "president_or_vice"}); a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}

	add := func(name, band, office string) answer {
		return coord.do(t, "POST", base+"/members", map[string]any{"displayName": name, "ageBand": band, "office": office})
	}
	a := add("Ana", "13_15", "president")
	if a.status != 201 {
		t.Fatalf("add: %d %s", a.status, a.body)
	}
	ana := decodeInto[councilMemberOut](t, a)
	if ana.CanTakePart || ana.Reason == nil || *ana.Reason != voci.PartReasonConsentMissing {
		t.Fatalf("a 13-year-old without consent: %+v", ana)
	}
	for _, bad := range []string{"Mihai07", "ana@example.org", "0722 123 456", "Ana Maria Ioana", ""} {
		wantCouncilProblem(t, "display name "+bad, add(bad, "13_15", ""), 400, "invalid_parameter")
	}
	wantCouncilProblem(t, "second president", add("Bogdi", "16_18", "president"), 409, "office_taken")
	wantCouncilProblem(t, "same name", add("ana", "16_18", ""), 409, "conflict")
	bogdi := decodeInto[councilMemberOut](t, add("Bogdi", "16_18", "secretary"))
	if !bogdi.CanTakePart {
		t.Fatalf("a 16-year-old needs no consent: %+v", bogdi)
	}

	// Consent: the coordinator records it; a facilitator sees neither it nor the guardian.
	a = coord.do(t, "PUT", base+"/members/"+ana.ID+"/consent", map[string]any{"guardianName": "Maria Ionescu", "givenOn": "2026-09-01",
		"method": "paper_form", "scope": "council meetings and trips", "version": ana.Version})
	if a.status != 200 || !strings.Contains(string(a.body), `"guardianName":"Maria Ionescu"`) {
		t.Fatalf("consent: %d %s", a.status, a.body)
	}
	wantCouncilProblem(t, "facilitator reads consent", fac.do(t, "GET", base+"/consents", nil), 404, "not_found")
	wantCouncilProblem(t, "facilitator records consent", fac.do(t, "PUT", base+"/members/"+ana.ID+"/consent", map[string]any{"guardianName": "X Y",
		"givenOn": "2026-09-01", "method": "paper_form", "scope": "all"}), 404, "not_found")
	national := ts.client()
	national.login(t, "national@demo.voci.ro", testPassword)
	wantCouncilProblem(t, "national committee reads consent", national.do(t, "GET", base+"/consents", nil), 404, "not_found")
	read := fac.do(t, "GET", base, nil)
	if read.status != 200 || strings.Contains(string(read.body), "Maria") || !strings.Contains(string(read.body), `"displayName":"Ana"`) {
		t.Fatalf("facilitator reads the council: %d %s", read.status, read.body)
	}
	if c := coord.do(t, "GET", base+"/consents", nil); c.status != 200 || !strings.Contains(string(c.body), "Maria Ionescu") {
		t.Fatalf("coordinator reads consent: %d %s", c.status, c.body)
	}

	// A card: its link carries the secret in the fragment; the store keeps only the hash.
	a = coord.do(t, "POST", base+"/members/"+ana.ID+"/card", nil)
	card := decodeInto[struct {
		Link string `json:"link"`
		QR   string `json:"qr"`
	}](t, a)
	if a.status != 201 || !strings.Contains(card.Link, "/council#card=") || !strings.HasPrefix(card.QR, "data:image/png;base64,") {
		t.Fatalf("card: %d %s", a.status, a.body)
	}
	secret := card.Link[strings.Index(card.Link, "#card=")+len("#card="):]
	if _, err := ts.store.FindCouncilCardByTokenHash(t.Context(), voci.TokenHash(secret)); err != nil {
		t.Fatalf("card by hash: %v", err)
	}
	for _, f := range []string{ts.store.Path(), ts.store.Path() + "-wal"} {
		if raw, err := os.ReadFile(f); err == nil && bytes.Contains(raw, []byte(secret)) {
			t.Fatalf("%s holds the card's secret", f)
		}
	}

	phone := &memberPhone{ts: ts}
	wantCouncilProblem(t, "no session", phone.do(t, "GET", "/api/v1/youth-council/me", nil), 401, "unauthorized")
	wantCouncilProblem(t, "adult on the member page", coord.do(t, "GET", "/api/v1/youth-council/me", nil), 403, "forbidden")
	a = phone.do(t, "POST", "/api/v1/youth-council/sign-in", map[string]string{"card": secret})
	if a.status != 200 || phone.cookie == "" {
		t.Fatalf("sign in: %d %s", a.status, a.body)
	}
	if sc := a.header.Get("Set-Cookie"); !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") {
		t.Fatalf("member cookie flags: %s", sc)
	}
	view := decodeInto[struct {
		Council struct {
			Name string `json:"name"`
		} `json:"council"`
		Me struct {
			DisplayName string `json:"displayName"`
			Office      string `json:"office"`
			CanTakePart bool   `json:"canTakePart"`
		} `json:"me"`
		Members []struct {
			DisplayName *string `json:"displayName"`
		} `json:"members"`
		Meetings  []any  `json:"meetings"`
		CSRFToken string `json:"csrfToken"`
	}](t, phone.do(t, "GET", "/api/v1/youth-council/me", nil))
	if view.Council.Name != "Consiliul Copiilor Bacău" || view.Me.DisplayName != "Ana" || view.Me.Office != "president" || !view.Me.CanTakePart ||
		len(view.Members) != 1 || *view.Members[0].DisplayName != "Bogdi" || view.Meetings == nil || view.CSRFToken == "" {
		t.Fatalf("member view %+v", view)
	}
	// The phone's session is not an adult's: it opens nothing else.
	if a := phone.do(t, "GET", base, nil); a.status != 401 {
		t.Fatalf("member cookie on an adults' route: %d %s", a.status, a.body)
	}
	wantCouncilProblem(t, "sign-out without token", phone.do(t, "POST", "/api/v1/youth-council/me/sign-out", nil), 403, "csrf_failed")

	// Reissued: the old card is refused as revoked, and its session ends.
	a = coord.do(t, "POST", base+"/members/"+ana.ID+"/card", nil)
	newLink := decodeInto[struct {
		Link string `json:"link"`
	}](t, a).Link
	newSecret := newLink[strings.Index(newLink, "#card=")+len("#card="):]
	wantCouncilProblem(t, "old session", phone.do(t, "GET", "/api/v1/youth-council/me", nil), 401, "unauthorized")
	other := &memberPhone{ts: ts}
	wantCouncilProblem(t, "old card", other.do(t, "POST", "/api/v1/youth-council/sign-in", map[string]string{"card": secret}), 410, "card_revoked")
	if a := other.do(t, "POST", "/api/v1/youth-council/sign-in", map[string]string{"card": newSecret}); a.status != 200 {
		t.Fatalf("new card: %d %s", a.status, a.body)
	}
	other.csrf = decodeInto[struct {
		CSRFToken string `json:"csrfToken"`
	}](t, other.do(t, "GET", "/api/v1/youth-council/me", nil)).CSRFToken
	if a := coord.do(t, "DELETE", base+"/members/"+ana.ID+"/card", nil); a.status != 204 {
		t.Fatalf("revoke: %d %s", a.status, a.body)
	}
	wantCouncilProblem(t, "revoke twice", coord.do(t, "DELETE", base+"/members/"+ana.ID+"/card", nil), 404, "not_found")
	wantCouncilProblem(t, "revoked card", (&memberPhone{ts: ts}).do(t, "POST", "/api/v1/youth-council/sign-in", map[string]string{"card": newSecret}), 410, "card_revoked")
	wantCouncilProblem(t, "session of a revoked card", other.do(t, "GET", "/api/v1/youth-council/me", nil), 401, "unauthorized")
	wantCouncilProblem(t, "unknown card", (&memberPhone{ts: ts}).do(t, "POST", "/api/v1/youth-council/sign-in", map[string]string{"card": "nope"}), 404, "card_invalid")

	// Withdrawal: Ana can no longer take part and is no longer named in future records.
	cur := decodeInto[councilMemberOut](t, coord.do(t, "PATCH", base+"/members/"+ana.ID, map[string]any{}))
	a = coord.do(t, "POST", base+"/members/"+ana.ID+"/consent/withdraw", map[string]any{"version": cur.Version})
	if a.status != 200 {
		t.Fatalf("withdraw: %d %s", a.status, a.body)
	}
	wantCouncilProblem(t, "stale version", coord.do(t, "PATCH", base+"/members/"+ana.ID, map[string]any{"displayName": "Anca", "version": cur.Version}), 409, "conflict")
	page := decodeInto[struct {
		Members []councilMemberOut `json:"members"`
	}](t, coord.do(t, "GET", base, nil))
	if m := page.Members[0]; m.CanTakePart || *m.Reason != voci.PartReasonConsentWithdrawn || m.RecordName != nil || m.DisplayName != "Ana" {
		t.Fatalf("after withdrawal %+v", m)
	}

	// Leaving frees the office.
	if a := coord.do(t, "POST", base+"/members/"+ana.ID+"/leave", map[string]any{}); a.status != 200 {
		t.Fatalf("leave: %d %s", a.status, a.body)
	}
	wantCouncilProblem(t, "a member who left", coord.do(t, "PATCH", base+"/members/"+ana.ID, map[string]any{"office": "secretary"}), 409, "member_left")
	if a := coord.do(t, "PATCH", base+"/members/"+bogdi.ID, map[string]any{"office": "president"}); a.status != 200 {
		t.Fatalf("president after Ana left: %d %s", a.status, a.body)
	}

	for _, action := range []string{"youth_council.save", "youth_council.member_add", "youth_council.consent_record", "youth_council.consent_withdraw",
		"youth_council.card_issue", "youth_council.card_revoke", "youth_council.member_leave"} {
		entries, n, err := ts.store.FindAudit(t.Context(), voci.AuditFilter{Action: action, Limit: 10})
		if err != nil || n == 0 {
			t.Fatalf("audit %s: %d %v", action, n, err)
		}
		for _, e := range entries {
			if strings.Contains(e.Detail, "Maria") || strings.Contains(e.Detail, "Ana") {
				t.Fatalf("audit detail names a person: %+v", e)
			}
		}
	}
}

// TestCardSignInsAreThrottled: wrong cards spend the client's budget of wrong secrets.
func TestCardSignInsAreThrottled(t *testing.T) {
	ts := newTestServer(t)
	phone := &memberPhone{ts: ts}
	last := 0
	for i := range 25 {
		last = phone.do(t, "POST", "/api/v1/youth-council/sign-in", map[string]string{"card": fmt.Sprintf("guess%d", i)}).status
	}
	if last != 429 {
		t.Fatalf("25 wrong cards: last answered %d, want 429", last)
	}
}

// TestCardSignInsOfACouncilBehindOneRouter: a council of 40 signs in at once through one
// school router, each member on a phone and again on a shared tablet, and nobody is turned
// away; only a flood beyond that is.
func TestCardSignInsOfACouncilBehindOneRouter(t *testing.T) {
	ts := newTestServer(t)
	const base = "/api/v1/municipalities/20297/youth-council"
	coord := ts.client()
	coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword)
	if a := coord.do(t, "PUT", base, map[string]any{"name": "Consiliul Copiilor Bacău"}); a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	var secrets []string
	for i := range 40 {
		name := "Co" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		m := decodeInto[councilMemberOut](t, coord.do(t, "POST", base+"/members", map[string]any{"displayName": name, "ageBand": "16_18"}))
		card := decodeInto[struct {
			Link string `json:"link"`
		}](t, coord.do(t, "POST", base+"/members/"+m.ID+"/card", nil))
		secrets = append(secrets, card.Link[strings.Index(card.Link, "#card=")+len("#card="):])
	}
	signIn := func(secret string) int {
		return (&memberPhone{ts: ts}).do(t, "POST", "/api/v1/youth-council/sign-in", map[string]string{"card": secret}).status
	}
	for device := range 3 {
		for i, s := range secrets {
			if got := signIn(s); got != 200 {
				t.Fatalf("device %d of member %d: %d", device, i, got)
			}
		}
	}
	if got := signIn(secrets[0]); got != 429 {
		t.Fatalf("sign-in %d from one router: %d, want 429", 3*len(secrets)+1, got)
	}
}
