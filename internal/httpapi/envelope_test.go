package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"
)

// TestEnvelopeIsStrict: a frame with a key given twice (in the envelope or its data), a field
// the envelope does not have, or anything after the JSON object is refused with an
// invalid_message error naming what is wrong, and the connection goes on.
func TestEnvelopeIsStrict(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	for _, tc := range []struct{ name, frame, param, detail string }{
		{"duplicate type", `{"type":"ping","type":"help.request","id":"a"}`, "type", "twice"},
		{"duplicate id", `{"type":"ping","id":"a","id":"b"}`, "id", "twice"},
		{"duplicate key in data", `{"type":"profile.set","id":"a","data":{"ageBand":"10_12","ageBand":"13_15"}}`, "ageBand", "twice"},
		{"unknown envelope field", `{"type":"ping","id":"a","token":"x"}`, "token", "token"},
		{"trailing object", `{"type":"ping","id":"a"}{"type":"help.request"}`, "", "nothing after"},
		{"trailing garbage", `{"type":"ping","id":"a"} x`, "", "nothing after"},
	} {
		kid.mu.Lock()
		err := kid.c.WriteMessage(websocket.TextMessage, []byte(tc.frame))
		kid.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		r := kid.expect("error")
		var d struct {
			Code, Message, Param string
		}
		r.decode(t, &d)
		if d.Code != "invalid_message" || d.Param != tc.param || !strings.Contains(d.Message, tc.detail) {
			t.Fatalf("%s: %+v; want invalid_message with param %q", tc.name, d, tc.param)
		}
		if r.ID != "" {
			t.Fatalf("%s: the refusal answers id %q, from a message that was not read", tc.name, r.ID)
		}
	}
	// Still connected, and a well-formed message works.
	if r := kid.reply(kid.send("ping", nil)); r.Type != "pong" {
		t.Fatalf("ping after the refusals: %s %s", r.Type, r.Data)
	}
}

// participantPath is a child's websocket; the token goes in childHeader, never in the path.
const participantPath = "/api/v1/live/participant"

// childHeader carries a participant token as PROTOCOL.md says: a subprotocol beside the live
// protocol's.
func childHeader(token string) http.Header {
	return http.Header{"Sec-WebSocket-Protocol": {"voci-live.1, voci-token." + token}}
}

func withOrigin(h http.Header, origin string) http.Header {
	h.Set("Origin", origin)
	return h
}

// TestParticipantTokenOutOfTheURL: the server answers with the live subprotocol, never
// echoes the token, and a token in the URL opens nothing.
func TestParticipantTokenOutOfTheURL(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	w, resp, err := ls.dial(t, participantPath, childHeader(kid.token))
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("Sec-WebSocket-Protocol"); got != "voci-live.1" {
		t.Fatalf("the server answered subprotocol %q; want voci-live.1 (and never the token)", got)
	}
	w.expect("welcome")
	if _, resp, err := ls.dial(t, participantPath+"?token="+kid.token, nil); err == nil || resp.StatusCode != 400 {
		t.Fatalf("a token in the URL: %v; want 400", err)
	}
}
