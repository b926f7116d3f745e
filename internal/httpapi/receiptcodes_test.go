package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/voci"
)

// publishedFeedback stands in for the feedback part of Voci, which says when a consultation's
// feedback to children was published.
type publishedFeedback struct{ at time.Time }

func (p publishedFeedback) FeedbackPublishedAt(context.Context, string) (time.Time, bool, error) {
	return p.at, true, nil
}

type receiptCode struct {
	Code    string `json:"code"`
	Grouped string `json:"grouped"`
}

// liveReceipt asks for the receipt of the child holding token, as the end screen does.
func liveReceipt(t *testing.T, ts *testServer, token string) answer {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/live/me/receipt", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return appDo(t, ts, req)
}

func appDo(t *testing.T, ts *testServer, req *http.Request) answer {
	t.Helper()
	resp, err := ts.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return answer{resp.StatusCode, resp.Header, b.Bytes()}
}

func lookupReceipt(t *testing.T, ts *testServer, code, lang string) answer {
	t.Helper()
	return ts.do(t, "POST", "/api/v1/receipts/lookup", "application/json", fmt.Sprintf(`{"code":%q,"lang":%q}`, code, lang))
}

// joinREST joins the fixture's session as a phone does, without opening the websocket.
func joinREST(t *testing.T, ls *liveServer, f *fixture, lang string) string {
	t.Helper()
	a := ls.do(t, "POST", "/api/v1/join", "application/json", fmt.Sprintf(`{"code":%q,"lang":%q}`, f.joinCode, lang))
	mustStatus(t, a, 201)
	var joined struct {
		ParticipantToken string `json:"participantToken"`
	}
	decodeBody(t, a, &joined)
	return joined.ParticipantToken
}

func mustReceipt(t *testing.T, a answer) receiptCode {
	t.Helper()
	mustStatus(t, a, 200)
	var rc receiptCode
	decodeBody(t, a, &rc)
	if len(rc.Code) != voci.ReceiptCodeLength || rc.Grouped != voci.ReceiptCode(rc.Code).Grouped() {
		t.Fatalf("receipt %s", a.body)
	}
	return rc
}

// A child of a live session gets one code, the same however often the end screen asks, and
// it opens the consultation: title, who answers and by when, the municipality. Nothing about
// the child, and the council has not answered yet.
func TestReceiptFromALiveSessionOpensItsConsultation(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	ts := ls.testServer
	ana, bogdan := joinREST(t, ls, f, "hu"), joinREST(t, ls, f, "ro")
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/end", bacau, f.sessionID), nil), 200)

	first := mustReceipt(t, liveReceipt(t, ts, ana))
	if again := mustReceipt(t, liveReceipt(t, ts, ana)); again != first {
		t.Fatalf("the end screen shown again got %s, then %s", first.Code, again.Code)
	}
	if other := mustReceipt(t, liveReceipt(t, ts, bogdan)); other.Code == first.Code {
		t.Fatal("two children share a code")
	}
	childProblem(t, liveReceipt(t, ts, ""), 401, "unauthorized")
	childProblem(t, liveReceipt(t, ts, "not-a-token"), 401, "unauthorized")
	if counts, err := ts.store.CountReceipts(t.Context(), f.consultationID); err != nil || counts.Issued != 2 {
		t.Fatalf("counts %+v %v", counts, err)
	}

	// Typed by hand: lower case, grouped, O for 0 and L for 1.
	typed := strings.NewReplacer("0", "o", "1", "l").Replace(strings.ToLower(first.Grouped))
	a := lookupReceipt(t, ts, typed, "")
	mustStatus(t, a, 200)
	var got struct {
		Consultation struct {
			ID           string    `json:"id"`
			Title        string    `json:"title"`
			AudienceBody string    `json:"audienceBody"`
			AnswerBy     time.Time `json:"answerBy"`
			Municipality struct {
				SIRUTA int    `json:"siruta"`
				Name   string `json:"name"`
			} `json:"municipality"`
		} `json:"consultation"`
		ReceiptLang       string `json:"receiptLang"`
		FeedbackPublished bool   `json:"feedbackPublished"`
		AnswerBack        struct {
			Open bool `json:"open"`
		} `json:"answerBack"`
	}
	decodeBody(t, a, &got)
	if got.Consultation.ID != f.consultationID || got.Consultation.Title != "Parcul nostru" || got.Consultation.AudienceBody != "Consiliul Local Bacău" ||
		got.Consultation.AnswerBy.IsZero() || got.Consultation.Municipality.SIRUTA != bacau || got.Consultation.Municipality.Name != "Bacău" ||
		got.ReceiptLang != "hu" || got.FeedbackPublished || got.AnswerBack.Open {
		t.Fatalf("lookup %s", a.body)
	}
	for _, secret := range []string{ana, first.Code, "alias", "participant", "joined"} {
		if strings.Contains(string(a.body), secret) {
			t.Fatalf("the lookup tells %q: %s", secret, a.body)
		}
	}
	if a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("cache-control %q", a.header.Get("Cache-Control"))
	}
	// Before the council answers, nobody answers back.
	childProblem(t, ts.do(t, "POST", "/api/v1/receipts/answer-back", "application/json", fmt.Sprintf(`{"code":%q,"clarity":"clear"}`, first.Code)),
		409, voci.ERECEIPTFEEDBACKNOTPUBLISHED)

	// A mistyped character is said to be one; a code Voci never issued says nothing more.
	wrongChar := []byte(first.Code)
	wrongChar[3] = map[bool]byte{true: 'A', false: 'B'}[wrongChar[3] != 'A']
	childProblem(t, lookupReceipt(t, ts, string(wrongChar), ""), 400, voci.ERECEIPTCODEINVALID)
	childProblem(t, lookupReceipt(t, ts, "", ""), 400, "invalid_parameter")
	childProblem(t, ts.do(t, "POST", "/api/v1/receipts/lookup", "application/json", `{"code":"x","extra":1}`), 400, "invalid_body")
}

// The store keeps the code's keyed hash only: the database file holds the code in no form.
func TestReceiptCodesAreStoredAsHashesOnly(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	ts := ls.testServer
	var codes []receiptCode
	for range 3 {
		codes = append(codes, mustReceipt(t, liveReceipt(t, ts, joinREST(t, ls, f, "ro"))))
	}
	// Everything written so far, in the main file and the write-ahead log.
	var stored []byte
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(ts.store.Path() + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		stored = append(stored, b...)
	}
	if len(stored) == 0 {
		t.Fatal("nothing read from " + filepath.Base(ts.store.Path()))
	}
	for _, rc := range codes {
		for _, form := range []string{rc.Code, rc.Grouped, strings.ToLower(rc.Code), rc.Code[:10]} {
			if bytes.Contains(stored, []byte(form)) {
				t.Fatalf("the database holds the code %q", form)
			}
		}
		hash := ts.Receipts.ReceiptHash(voci.ReceiptCode(rc.Code))
		if !bytes.Contains(stored, []byte(hash)) {
			t.Fatalf("the receipt's hash %s is not in the database", hash)
		}
	}
}

// Many wrong codes from one client are refused with 429, and every wrong code gets the same
// answer, which tells nothing about codes.
func TestWrongReceiptCodesAreThrottled(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	ts := ls.testServer
	right := mustReceipt(t, liveReceipt(t, ts, joinREST(t, ls, f, "ro")))
	var firstDetail string
	for i := range 20 {
		wrong := fmt.Sprintf("%010d", 1000+i)
		code := voci.ReceiptCode("")
		for _, check := range "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U" {
			if c, err := voci.ParseReceiptCode(wrong + string(check)); err == nil {
				code = c
			}
		}
		a := lookupReceipt(t, ts, string(code), "")
		p := childProblem(t, a, 404, voci.ERECEIPTNOTFOUND)
		detail, _ := p["detail"].(string)
		if i == 0 {
			firstDetail = detail
		}
		if detail != firstDetail || strings.Contains(detail, string(code)) || strings.Contains(detail, code.Grouped()) {
			t.Fatalf("wrong code %d answered %q", i, detail)
		}
	}
	a := lookupReceipt(t, ts, right.Code, "")
	childProblem(t, a, 429, "rate_limited")
	if a.header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
}

// Once the council's answer is out, the first lookup of each receipt counts once, and a
// receipt answers back once; the answers are counted per consultation.
func TestReceiptAnswerBackCountsOnce(t *testing.T) {
	published := time.Now().Add(-time.Hour)
	ls := newLiveServer(t)
	ts := ls.testServer
	ts.Receipts.Feedback = publishedFeedback{at: published}
	f := ls.setUp(t)
	a, b := mustReceipt(t, liveReceipt(t, ts, joinREST(t, ls, f, "ro"))), mustReceipt(t, liveReceipt(t, ts, joinREST(t, ls, f, "en")))

	for range 2 {
		got := lookupReceipt(t, ts, a.Grouped, "en")
		mustStatus(t, got, 200)
		if !strings.Contains(string(got.body), `"feedbackPublished":true`) || !strings.Contains(string(got.body), `"open":true`) {
			t.Fatalf("lookup after feedback: %s", got.body)
		}
	}
	answerBack := func(code, body string) answer {
		return ts.do(t, "POST", "/api/v1/receipts/answer-back", "application/json", fmt.Sprintf(`{"code":%q%s}`, code, body))
	}
	childProblem(t, answerBack(a.Code, ``), 400, "invalid_parameter")
	childProblem(t, answerBack(a.Code, `,"clarity":"maybe"`), 400, "invalid_parameter")
	mustStatus(t, answerBack(a.Code, `,"clarity":"clear","agreement":"disagree"`), 204)
	childProblem(t, answerBack(a.Code, `,"clarity":"not_clear"`), 409, voci.ERECEIPTANSWERED)
	mustStatus(t, answerBack(strings.ToLower(b.Grouped), `,"agreement":"agree"`), 204)

	counts, err := ts.store.CountReceipts(t.Context(), f.consultationID)
	want := voci.ReceiptCounts{Issued: 2, OpenedAfterFeedback: 1, Clear: 1, Agree: 1, Disagree: 1}
	if err != nil || counts != want {
		t.Fatalf("counts %+v %v; want %+v", counts, err, want)
	}
}

// A child who finishes a self-paced link gets a code of their own, the same on every ask.
func TestReceiptFromASelfPacedLink(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.from)
	child := &kid{ts: ts, key: key}
	child.join(t, "hu")
	first := mustReceipt(t, child.do(t, "POST", "/me/receipt", nil))
	if again := mustReceipt(t, child.do(t, "POST", "/me/receipt", nil)); again != first {
		t.Fatalf("%s then %s", first.Code, again.Code)
	}
	stranger := &kid{ts: ts, key: key, token: "wrong-token"}
	childProblem(t, stranger.do(t, "POST", "/me/receipt", nil), 401, "unauthorized")
	a := lookupReceipt(t, ts, first.Code, "")
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"title":"Curtea școlii"`) {
		t.Fatalf("lookup %s", a.body)
	}
}

// A script replaying one right code is stopped like one guessing: successful lookups spend a
// budget of their own, which a class behind one router does not reach.
func TestRightReceiptCodesAreBoundedPerClient(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	ts := ls.testServer
	right := mustReceipt(t, liveReceipt(t, ts, joinREST(t, ls, f, "ro")))
	for i := range httpapi.ReceiptLookupsPerClient {
		if a := lookupReceipt(t, ts, right.Code, ""); a.status != 200 {
			t.Fatalf("lookup %d of a class's budget: %d %s", i+1, a.status, a.body)
		}
	}
	a := lookupReceipt(t, ts, right.Code, "")
	childProblem(t, a, 429, "rate_limited")
	if a.header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	childProblem(t, ts.do(t, "POST", "/api/v1/receipts/answer-back", "application/json", fmt.Sprintf(`{"code":%q,"clarity":"clear"}`, right.Code)),
		429, "rate_limited")
}
