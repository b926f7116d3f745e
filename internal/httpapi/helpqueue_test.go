package httpapi_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/mail/smtptest"
	"github.com/voci-platform/voci/internal/voci"
)

// Help requests that always reach someone: the durable notice queue against a real SMTP
// server that is down, then up; a restart; two workers on one store; the leads' list under a
// flood; a double press that races; the facilitator told that someone asked, never who.

// deadPort returns an address on 127.0.0.1 where nothing listens (yet).
func deadPort(t *testing.T) (string, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	return addr.String(), addr.Port
}

func senderAt(t *testing.T, port int) *mail.Sender {
	t.Helper()
	s, err := mail.New(mail.Config{Host: "127.0.0.1", Port: port, From: "Voci <voci@example.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type helpListItem struct {
	ID                string  `json:"id"`
	Kind              string  `json:"kind"`
	Alias             string  `json:"alias"`
	AliasAtRequest    string  `json:"aliasAtRequest"`
	ConsultationTitle string  `json:"consultationTitle"`
	SessionID         string  `json:"sessionId"`
	JoinCode          string  `json:"joinCode"`
	Facilitator       string  `json:"facilitator"`
	MunicipalityName  string  `json:"municipalityName"`
	AcknowledgedAt    *string `json:"acknowledgedAt"`
	ClosedAt          *string `json:"closedAt"`
	Note              string  `json:"note"`
	AnswerText        string  `json:"answerText"`
	Notification      string  `json:"notification"`
}

type helpListPage struct {
	Items          []helpListItem `json:"items"`
	Total          int            `json:"total"`
	MailConfigured bool           `json:"mailConfigured"`
}

func helpList(t *testing.T, lead *client, query string) helpListPage {
	t.Helper()
	a := lead.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/help-requests%s", bacau, query), nil)
	mustStatus(t, a, 200)
	var p helpListPage
	decodeBody(t, a, &p)
	return p
}

// waitNotification polls the list until the request of alias has the notification want.
func waitNotification(t *testing.T, lead *client, alias, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		for _, h := range helpList(t, lead, "?limit=100").Items {
			if h.AliasAtRequest == alias && h.Notification == want {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the request of %q never reached %q: %+v", alias, want, helpList(t, lead, "?limit=100").Items)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestHelpNoticeIsRetriedUntilSent: while the mail server is down the notice waits and the
// list says it is being retried; once it is up, the next attempt sends it, once.
func TestHelpNoticeIsRetriedUntilSent(t *testing.T) {
	addr, port := deadPort(t)
	var clock testClock
	ls := newLiveServer(t, withClock(&clock), func(d *httpapi.Deps) { d.Mailer = senderAt(t, port) })
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	kid.askForHelp(t)
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	waitNotification(t, lead, kid.alias, string(voci.HelpNotifyRetrying))

	srv := smtptest.StartAt(t, addr)
	clock.advance(voci.HelpNoticeBackoff(1) + time.Second)
	ls.HelpWorker().Wake()
	msgs := srv.WaitFor(t, 1, 20*time.Second)
	waitNotification(t, lead, kid.alias, string(voci.HelpNotifySent))
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "safeguarding.bacau@demo.voci.ro" {
		t.Fatalf("mailed %+v", msgs)
	}
	if _, text := mailedPart(t, msgs[0].Data); !strings.Contains(text, kid.alias) {
		t.Fatalf("the mail lacks the alias:\n%s", text)
	}
	// Nothing is left to send, and nothing is due later: the queue holds no unsent notice.
	page := helpList(t, lead, "")
	if n, err := ls.store.CountUnsentHelpNotices(t.Context(), page.Items[0].ID); err != nil || n != 0 {
		t.Fatalf("%d unsent notices (%v)", n, err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

// TestHelpNoticesSurviveARestartAndTwoWorkersSendOnce: notices that could not go before the
// server stopped are sent by the servers that come after it, on the same store; two of them
// working the queue at once mail each lead about each request exactly once.
func TestHelpNoticesSurviveARestartAndTwoWorkersSendOnce(t *testing.T) {
	_, port := deadPort(t)
	var clock testClock
	ls := newLiveServer(t, withClock(&clock), func(d *httpapi.Deps) { d.Mailer = senderAt(t, port) })
	f := ls.setUp(t)
	ls.createAccount(t, "ioana.lead@example.ro", voci.RoleSafeguardingLead, bacau)
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	var aliases []string
	for range 6 {
		kid := ls.join(t, f, "en")
		kid.askForHelp(t)
		aliases = append(aliases, kid.alias)
	}
	for _, a := range aliases {
		waitNotification(t, lead, a, string(voci.HelpNotifyRetrying))
	}
	ls.stop() // the first instance goes away with every notice still to send

	srv := smtptest.Start(t)
	clock.advance(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		next := newTestServer(t, withClock(&clock), func(d *httpapi.Deps) {
			d.Store = ls.store
			d.Participation = nil
			d.Mailer = senderAt(t, srv.Port())
		})
		w := next.HelpWorker()
		w.Poll = 20 * time.Millisecond
		wg.Go(func() { w.Run(ctx) })
	}
	defer func() { cancel(); wg.Wait() }()

	want := len(aliases) * 2 // two leads each
	msgs := srv.WaitFor(t, want, 30*time.Second)
	for _, a := range aliases {
		waitNotification(t, lead, a, string(voci.HelpNotifySent))
	}
	cancel()
	wg.Wait()
	msgs = srv.Messages()
	if len(msgs) != want {
		t.Fatalf("%d messages, want %d", len(msgs), want)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		_, text := mailedPart(t, m.Data)
		for _, a := range aliases {
			if strings.Contains(text, a) {
				key := a + " → " + strings.Join(m.To, ",")
				if seen[key] {
					t.Fatalf("mailed twice: %s", key)
				}
				seen[key] = true
			}
		}
	}
	if len(seen) != want {
		t.Fatalf("mailed %v", seen)
	}
}

// TestHelpPathWithoutSMTP: the default. Nobody is mailed; the leads and the coordinator see
// the badge count, the list finds the child (consultation, session, place, facilitator, the
// alias the child has now); the facilitator's console is told someone asked, never who; a
// lead acknowledges, notes and closes, each audited without the note.
func TestHelpPathWithoutSMTP(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	facilitator := ls.adult(t, f.fac, f, "facilitator")
	facilitator.expect("session.state")
	kid := ls.join(t, f, "hu")
	kid.askForHelp(t)

	told := facilitator.expect("help.requested")
	if raw := string(told.Data); strings.Contains(raw, kid.alias) || strings.Contains(raw, kid.id) || strings.Contains(raw, "participant") {
		t.Fatalf("the console was told who: %s", raw)
	}

	// The child changes alias after asking: the list shows the new one.
	r := kid.reply(kid.send("alias.reroll", nil))
	var rerolled struct {
		Alias string `json:"alias"`
	}
	r.decode(t, &rerolled)
	if r.Type != "alias" || rerolled.Alias == "" {
		t.Fatalf("reroll %s %s", r.Type, r.Data)
	}

	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	coordinator := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")
	council := signInAs(t, ls.testServer, "council.bacau@demo.voci.ro")
	count := func(c *client) int {
		t.Helper()
		a := c.do(t, "GET", "/api/v1/me/help-requests/count", nil)
		mustStatus(t, a, 200)
		var n struct {
			Unacknowledged int `json:"unacknowledged"`
		}
		decodeBody(t, a, &n)
		return n.Unacknowledged
	}
	if count(lead) != 1 || count(coordinator) != 1 || count(council) != 0 {
		t.Fatalf("badge counts %d %d %d", count(lead), count(coordinator), count(council))
	}
	waitNotification(t, lead, kid.alias, string(voci.HelpNotifyNotConfigured))
	page := helpList(t, lead, "")
	if page.MailConfigured || page.Total != 1 {
		t.Fatalf("page %+v", page)
	}
	h := page.Items[0]
	if h.Kind != "asked" || h.Alias != rerolled.Alias || h.AliasAtRequest != kid.alias || h.ConsultationTitle != "Parcul nostru" ||
		h.SessionID != f.sessionID || h.JoinCode != f.joinCode || h.MunicipalityName != "Bacău" || h.Facilitator == "" {
		t.Fatalf("the list does not find the child: %+v", h)
	}

	base := fmt.Sprintf("/api/v1/municipalities/%d/help-requests/%s", bacau, h.ID)
	mustStatus(t, lead.do(t, "POST", base+"/acknowledge", nil), 204)
	if count(lead) != 0 {
		t.Fatalf("badge after acknowledging %d", count(lead))
	}
	const note = "Vorbit cu copilul după sesiune."
	mustStatus(t, lead.do(t, "PUT", base+"/note", map[string]string{"note": note}), 204)
	a := lead.do(t, "PUT", base+"/note", map[string]string{"note": strings.Repeat("x", voci.MaxHelpNoteLength+1)})
	mustStatus(t, a, 400)
	mustStatus(t, lead.do(t, "POST", base+"/close", nil), 204)
	h = helpList(t, lead, "").Items[0]
	if h.Note != note || h.ClosedAt == nil || h.AcknowledgedAt == nil {
		t.Fatalf("after closing %+v", h)
	}
	mustStatus(t, lead.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/help-requests/nope/close", bacau), nil), 404)

	// Closed: the child's next press is a new request, and the console is told again.
	kid.askForHelp(t)
	facilitator.expect("help.requested")
	if count(lead) != 1 {
		t.Fatalf("badge after a new press %d", count(lead))
	}

	audit := coordinator.do(t, "GET", "/api/v1/audit?municipality=20297", nil)
	mustStatus(t, audit, 200)
	body := string(audit.body)
	for _, action := range []string{"help_request.acknowledge", "help_request.note", "help_request.close"} {
		if !strings.Contains(body, action) {
			t.Errorf("the audit trail lacks %s", action)
		}
	}
	if strings.Contains(body, note) || strings.Contains(body, kid.alias) || strings.Contains(body, rerolled.Alias) {
		t.Fatalf("the audit trail holds the note or the child: %s", body)
	}
}

// TestRealRequestStaysFirstUnderAFlood: one real request, then 500 presses by distinct
// participants: the real one is still at the top of the lead's first page.
func TestRealRequestStaysFirstUnderAFlood(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	kid.askForHelp(t)
	session, err := ls.store.FindLiveSessionByID(t.Context(), f.sessionID)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range 500 {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			part := &voci.Participant{ID: fmt.Sprintf("flood-%03d", i), SessionID: f.sessionID, Alias: fmt.Sprintf("Flood %d", i)}
			if _, err := ls.Participation.RequestHelp(context.Background(), session, part); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	page := helpList(t, lead, "?limit=10")
	if page.Total != 501 || len(page.Items) != 10 || page.Items[0].AliasAtRequest != kid.alias {
		t.Fatalf("first page of %d: %+v", page.Total, page.Items[:min(3, len(page.Items))])
	}
	last := helpList(t, lead, "?offset=500&limit=10")
	if len(last.Items) != 1 || last.Items[0].AliasAtRequest == kid.alias {
		t.Fatalf("last page %+v", last.Items)
	}
	mustStatus(t, lead.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/help-requests?limit=1000", bacau), nil), 400)
}

// TestDoublePressMakesOneRequest: presses that race make one request; all get its answer,
// and one of them is the new one.
func TestDoublePressMakesOneRequest(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	session, err := ls.store.FindLiveSessionByID(t.Context(), f.sessionID)
	if err != nil {
		t.Fatal(err)
	}
	part, err := ls.store.FindParticipantByID(t.Context(), kid.id)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	ids, fresh := map[string]bool{}, 0
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			ans, err := ls.Participation.RequestHelp(context.Background(), session, part)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[ans.Request.ID] = true
			if ans.New {
				fresh++
			}
		})
	}
	wg.Wait()
	if len(ids) != 1 || fresh != 1 {
		t.Fatalf("%d requests, %d new", len(ids), fresh)
	}
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	if p := helpList(t, lead, ""); p.Total != 1 {
		t.Fatalf("%d requests listed", p.Total)
	}
}

// TestPossibleDisclosureRaisesAHelpRequest: a stored text flagged as a possible disclosure
// raises one request, linked to the answer, shown to the leads with the text and marked so.
func TestPossibleDisclosureRaisesAHelpRequest(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	facilitator := ls.adult(t, f.fac, f, "facilitator")
	f.command(t, facilitator, "question.open", map[string]any{"questionId": f.text.ID})
	kid := ls.join(t, f, "ro")
	const text = "tata mă bate acasă"
	kid.mustAnswer(t, f.text.ID, nil, text, "disclosure-answer-1")
	// The session's console is told, as for a child who asked, and never who or what.
	told := facilitator.expect("help.requested")
	if raw := string(told.Data); strings.Contains(raw, kid.alias) || strings.Contains(raw, kid.id) ||
		strings.Contains(raw, "participant") || strings.Contains(raw, "bate") {
		t.Fatalf("the console was told who or what: %s", raw)
	}
	answers, err := ls.store.ListParticipantAnswers(t.Context(), kid.id)
	if err != nil || len(answers) != 1 {
		t.Fatalf("answers %+v %v", answers, err)
	}
	// Screening flagged the text, and storing it raised the request: raising it again finds it.
	if !slices.Contains(answers[0].Flags, voci.FlagPossibleDisclosure) {
		t.Fatalf("screening did not flag %q: %v", text, answers[0].Flags)
	}
	first, isNew, err := ls.Participation.RaisePossibleDisclosure(t.Context(), &answers[0])
	if err != nil || isNew || first.Kind != voci.HelpPossibleDisclosure || first.AnswerID != answers[0].ID {
		t.Fatalf("raised %+v %v %v; want the request the answer raised", first, isNew, err)
	}
	// A retry of the answer raises nothing more.
	kid.mustAnswer(t, f.text.ID, nil, text, "disclosure-answer-1")
	if _, _, err := ls.Participation.RaisePossibleDisclosure(t.Context(), &voci.Answer{}); voci.ErrorCode(err) != voci.EINVALID {
		t.Fatalf("an answer that was not stored: %v", err)
	}
	if voci.FlagPossibleDisclosure != "possible_disclosure" {
		t.Fatal("the flag's name changed")
	}
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	p := helpList(t, lead, "")
	if p.Total != 1 || p.Items[0].Kind != "possible_disclosure" || p.Items[0].AnswerText != text || p.Items[0].Alias != kid.alias {
		t.Fatalf("list %+v", p.Items)
	}
	waitNotification(t, lead, kid.alias, string(voci.HelpNotifyNotConfigured))
	// The committee never reads it.
	national := signInAs(t, ls.testServer, "national@demo.voci.ro")
	a := national.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/help-requests", bacau), nil)
	if a.status == 200 || strings.Contains(string(a.body), text) {
		t.Fatalf("the committee read %d %s", a.status, a.body)
	}
}

// TestSelfPacedDisclosureReachesTheLeads: a text sent through a self-paced link that may
// disclose harm is held and raises a help request for the leads, once, whatever the retries.
func TestSelfPacedDisclosureReachesTheLeads(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.from)
	child := &kid{ts: ts, key: key}
	child.join(t, "en")
	const text = "my father beats me at home"
	body := map[string]any{"text": text, "idempotencyKey": "sp-disclosure-1"}
	if ack := child.mustAnswer(t, f.questions["short_text"].ID, body); ack.Moderation != "held" {
		t.Fatalf("ack %+v, want the text held", ack)
	}
	if ack := child.mustAnswer(t, f.questions["short_text"].ID, body); !ack.Replayed {
		t.Fatalf("retry %+v, want a replay", ack)
	}
	lead := signInAs(t, ts, "safeguarding.bacau@demo.voci.ro")
	p := helpList(t, lead, "")
	if p.Total != 1 || p.Items[0].Kind != "possible_disclosure" || p.Items[0].AnswerText != text {
		t.Fatalf("list %+v, want one possible disclosure with its text", p.Items)
	}
	// An ordinary text raises nothing.
	child.mustAnswer(t, f.questions["word_cloud"].ID, map[string]any{"text": "copaci", "idempotencyKey": "sp-ordinary-1"})
	if p := helpList(t, lead, ""); p.Total != 1 {
		t.Fatalf("an ordinary text raised a request: %+v", p.Items)
	}
}

// TestSelfPacedHelpListShowsTheAliasNow: a child on a self-paced link who changes alias after
// a request, and after a text that raised one, is shown to the leads by the alias they have
// now, beside the one they had.
func TestSelfPacedHelpListShowsTheAliasNow(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.from)
	child := &kid{ts: ts, key: key}
	child.join(t, "en")
	child.mustAnswer(t, f.questions["short_text"].ID, map[string]any{"text": "my father beats me at home", "idempotencyKey": "sp-alias-now-1"})
	mustStatus(t, child.do(t, "POST", "/me/help?lang=en", nil), 200)

	a := child.do(t, "POST", "/me/alias", map[string]string{"lang": "en"})
	mustStatus(t, a, 200)
	var rerolled struct {
		Alias string `json:"alias"`
	}
	decodeBody(t, a, &rerolled)
	if rerolled.Alias == "" || rerolled.Alias == child.alias {
		t.Fatalf("reroll %s", a.body)
	}

	lead := signInAs(t, ts, "safeguarding.bacau@demo.voci.ro")
	p := helpList(t, lead, "")
	kinds := map[string]bool{}
	for _, h := range p.Items {
		kinds[h.Kind] = true
		if h.Alias != rerolled.Alias || h.AliasAtRequest != child.alias {
			t.Fatalf("%s request shows %q (at request %q); want %q (at request %q)", h.Kind, h.Alias, h.AliasAtRequest,
				rerolled.Alias, child.alias)
		}
	}
	if p.Total != 2 || !kinds["asked"] || !kinds["possible_disclosure"] {
		t.Fatalf("list %+v, want the child's request and the disclosure", p.Items)
	}
}
