package httpapi_test

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

type auditItem struct {
	ActorEmail   string `json:"actorEmail"`
	ActorRole    string `json:"actorRole"`
	Municipality *int   `json:"municipality"`
	Action       string `json:"action"`
	ObjectType   string `json:"objectType"`
	ObjectID     string `json:"objectId"`
	RequestID    string `json:"requestId"`
	Detail       string `json:"detail"`
}

// TestFacilitatorCommandsAreAudited: every command that changes a session over the
// facilitator's websocket is in GET /api/v1/audit as its REST twin would be, under the
// upgrade's request ID; refused commands are not.
func TestFacilitatorCommandsAreAudited(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	fac := ls.adult(t, f.fac, f, "facilitator")

	refused := func(typ string, data any, code string) {
		t.Helper()
		if r := fac.reply(fac.send(typ, data)); fac.errorCode(r) != code {
			t.Fatalf("%s: %s %s, want %s", typ, r.Type, r.Data, code)
		}
	}
	refused("question.lock", nil, "wrong_state")
	refused("question.open", map[string]any{"questionId": "no-such-question"}, "question_not_in_consultation")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	f.command(t, fac, "question.lock", nil)
	f.command(t, fac, "results.reveal", nil)
	f.command(t, fac, "trust.set", map[string]any{"on": true})
	f.command(t, fac, "participant.remove", map[string]any{"participantId": kid.id})
	refused("participant.remove", map[string]any{"participantId": "no-such-child"}, "not_found")
	// The same change through REST, to compare the entries.
	mustStatus(t, f.fac.do(t, "PUT", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/trust", bacau, f.sessionID), map[string]bool{"on": true}), 200)
	// The presenter may not send commands; the refusal is not audited either.
	presenter := ls.adult(t, f.fac, f, "presenter")
	if r := presenter.reply(presenter.send("question.lock", nil)); presenter.errorCode(r) != "forbidden" {
		t.Fatalf("presenter: %s %s", r.Type, r.Data)
	}
	// The entry is written before command.ok, which comes before the room closes every
	// connection.
	if r := fac.reply(fac.send("session.end", nil)); r.Type != "command.ok" {
		t.Fatalf("session.end: %s %s", r.Type, r.Data)
	}

	coordinator := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")
	var entries []auditItem
	deadline := time.Now().Add(20 * time.Second)
	for {
		a := coordinator.do(t, "GET", fmt.Sprintf("/api/v1/audit?municipality=%d&pageSize=100", bacau), nil)
		mustStatus(t, a, 200)
		var page struct{ Items []auditItem }
		decodeBody(t, a, &page)
		entries = page.Items
		if slices.ContainsFunc(entries, func(e auditItem) bool { return e.Action == "live_session.end" }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no live_session.end in %+v", entries)
		}
		time.Sleep(50 * time.Millisecond)
	}

	var overSocket []auditItem
	for _, e := range entries {
		switch e.Action {
		case "live_session.open_question", "live_session.lock_question", "live_session.reveal_results",
			"live_session.set_trust", "participant.remove", "live_session.end":
			overSocket = append(overSocket, e)
		}
	}
	// Newest first: the REST twin of trust.set was made after the websocket's.
	byAction := map[string][]auditItem{}
	for _, e := range overSocket {
		byAction[e.Action] = append(byAction[e.Action], e)
	}
	if n := len(byAction["live_session.set_trust"]); n != 2 {
		t.Fatalf("%d trust entries, want the websocket's and the REST one", n)
	}
	restTrust := byAction["live_session.set_trust"][0]
	socketTrust := byAction["live_session.set_trust"][1]
	if socketTrust.ObjectType != restTrust.ObjectType || socketTrust.ObjectID != restTrust.ObjectID || socketTrust.Detail != restTrust.Detail ||
		socketTrust.ActorEmail != restTrust.ActorEmail || socketTrust.ActorRole != restTrust.ActorRole || *socketTrust.Municipality != *restTrust.Municipality {
		t.Fatalf("the websocket's entry %+v differs from the REST one %+v", socketTrust, restTrust)
	}
	if socketTrust.RequestID == restTrust.RequestID {
		t.Fatalf("the websocket's entry has the REST request's ID %q", socketTrust.RequestID)
	}

	want := map[string]auditItem{
		"live_session.open_question":  {ObjectType: "live_session", ObjectID: f.sessionID, Detail: "question " + f.single.ID},
		"live_session.lock_question":  {ObjectType: "live_session", ObjectID: f.sessionID, Detail: "question " + f.single.ID},
		"live_session.reveal_results": {ObjectType: "live_session", ObjectID: f.sessionID, Detail: "question " + f.single.ID},
		"participant.remove":          {ObjectType: "participant", ObjectID: kid.id, Detail: "live session " + f.sessionID},
		"live_session.end":            {ObjectType: "live_session", ObjectID: f.sessionID},
	}
	for action, w := range want {
		got := byAction[action]
		if len(got) != 1 {
			t.Fatalf("%s: %d entries, want 1 (refused commands are not audited): %+v", action, len(got), got)
		}
		e := got[0]
		if e.ObjectType != w.ObjectType || e.ObjectID != w.ObjectID || e.Detail != w.Detail {
			t.Errorf("%s: %+v, want %+v", action, e, w)
		}
		if e.ActorEmail != "facilitator.bacau@demo.voci.ro" || e.ActorRole != "facilitator" || e.Municipality == nil || *e.Municipality != bacau {
			t.Errorf("%s: actor %s as %s in %v", action, e.ActorEmail, e.ActorRole, e.Municipality)
		}
		if e.RequestID != socketTrust.RequestID || e.RequestID == "" {
			t.Errorf("%s: request ID %q, want the upgrade's %q", action, e.RequestID, socketTrust.RequestID)
		}
	}
}
