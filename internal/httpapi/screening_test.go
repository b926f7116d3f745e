package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// In a trusted session, nothing a child writes reaches the presenter (the projector) or the
// phones before a facilitator approved it: not an insult screening held, not an insult
// screening missed, not a clean text. The console hears of each at once. A held text is
// approved only with its second step, and the approval is audited with its reasons.
func TestTrustedSessionShowsNothingUnapproved(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	mustStatus(t, f.fac.do(t, "PUT", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/trust", bacau, f.sessionID), map[string]bool{"on": true}), 200)
	fac := ls.adult(t, f.fac, f, "facilitator")
	presenter := ls.adult(t, f.fac, f, "presenter")
	rude, sly, kind, watcher := ls.join(t, f, "ro"), ls.join(t, f, "ro"), ls.join(t, f, "en"), ls.join(t, f, "hu")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})

	const (
		heldInsult   = "Ești un idiot"                           // screening holds it
		missedInsult = "Ești cel mai urât copil din toată clasa" // screening misses it
		clean        = "Mai multe bănci la umbră"
	)
	if a := rude.mustAnswer(t, f.text.ID, nil, heldInsult, "trust-key-0001"); a.Moderation != "held" {
		t.Fatalf("insult %+v", a)
	}
	for _, c := range []struct {
		kid  *child
		text string
		key  string
	}{{sly, missedInsult, "trust-key-0002"}, {kind, clean, "trust-key-0003"}} {
		if a := c.kid.mustAnswer(t, f.text.ID, nil, c.text, c.key); a.Moderation != "pending" {
			t.Fatalf("%q in a trusted session: %+v, want pending", c.text, a)
		}
	}
	// The console hears of all three at once.
	seen := map[string]bool{}
	for len(seen) < 3 {
		var mod struct {
			Text string `json:"text"`
		}
		fac.expect("moderation.new").decode(t, &mod)
		seen[mod.Text] = true
	}
	// Results revealed now show no text, to the projector or the phones.
	f.command(t, fac, "results.reveal", nil)
	for _, w := range []*wsConn{presenter, watcher.wsConn} {
		if r := w.expect("results"); !strings.Contains(string(r.Data), `"texts":[]`) {
			t.Fatalf("results before approval: %s", r.Data)
		}
	}

	// The facilitator shows the clean text to the room; everything the presenter received
	// until then carries none of the texts.
	queue := f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/moderation", bacau, f.consultationID), nil)
	mustStatus(t, queue, 200)
	var q struct {
		Items []moderationJSON `json:"items"`
		Held  []moderationJSON `json:"held"`
	}
	decodeBody(t, queue, &q)
	if len(q.Items) != 2 || len(q.Held) != 1 || q.Held[0].Text != heldInsult || q.Held[0].Flags[0] != "abusive_language" {
		t.Fatalf("queue %s", queue.body)
	}
	var cleanItem, missedItem moderationJSON
	for _, it := range q.Items {
		switch it.Text {
		case clean:
			cleanItem = it
		case missedInsult:
			missedItem = it
		}
	}
	moderate := func(it moderationJSON, body map[string]any) answer {
		return f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, it.AnswerID), body)
	}
	mustStatus(t, moderate(cleanItem, map[string]any{"state": "approved", "revision": cleanItem.Revision}), 200)
	deadline := time.Now().Add(5 * time.Second)
	for {
		e, err := presenter.read(time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for the approved text on the presenter: %v", err)
		}
		for _, text := range []string{heldInsult, missedInsult} {
			if strings.Contains(string(e.Data), text) {
				t.Fatalf("the presenter received unapproved text: %s %s", e.Type, e.Data)
			}
		}
		if e.Type == "text.approved" {
			if !strings.Contains(string(e.Data), clean) {
				t.Fatalf("text.approved %s", e.Data)
			}
			break
		}
		if strings.Contains(string(e.Data), clean) {
			t.Fatalf("the clean text reached the presenter before its approval: %s %s", e.Type, e.Data)
		}
	}
	mustStatus(t, moderate(missedItem, map[string]any{"state": "rejected", "revision": missedItem.Revision}), 200)

	// The held insult: a plain approval is refused; the second step passes.
	a := moderate(q.Held[0], map[string]any{"state": "approved", "revision": q.Held[0].Revision})
	mustStatus(t, a, 409)
	var problem struct {
		Code string `json:"code"`
	}
	decodeBody(t, a, &problem)
	if problem.Code != "held_text_needs_confirmation" || a.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("plain approval of held text: %s", a.body)
	}
	if got := f.results(t, f.text.ID); len(got.Questions[0].Texts) != 1 {
		t.Fatalf("results after a refused approval: %+v", got.Questions[0].Texts)
	}
	mustStatus(t, moderate(q.Held[0], map[string]any{"state": "approved", "revision": q.Held[0].Revision, "confirmHeld": true}), 200)

	coord := ls.client()
	mustStatus(t, coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword), 200)
	a = coord.do(t, "GET", fmt.Sprintf("/api/v1/audit?municipality=%d&pageSize=100", bacau), nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), "approved; confirmed, held for: abusive_language") {
		t.Fatalf("the confirmed approval is not audited with its reasons: %s", a.body)
	}
	for _, text := range []string{"idiot", "urât", "bănci"} {
		if strings.Contains(string(a.body), text) {
			t.Fatalf("the audit trail holds a child's words (%q)", text)
		}
	}
}

type moderationJSON struct {
	AnswerID string   `json:"answerId"`
	Text     string   `json:"text"`
	Flags    []string `json:"flags"`
	Revision int      `json:"revision"`
}
