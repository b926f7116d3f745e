package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// A facilitator records counts about the session's group, never about a child: they replace
// what was there, survive the session's end, are audited, and stay within the municipality.
func TestGroupFacts(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	path := fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/group-facts", bacau, f.sessionID)
	type facts struct {
		Present     int            `json:"present"`
		Counts      map[string]int `json:"counts"`
		Adaptations []string       `json:"adaptations"`
		RecordedAt  *string        `json:"recordedAt"`
		Categories  []string       `json:"categories"`
	}
	read := func() facts {
		t.Helper()
		a := f.fac.do(t, "GET", path, nil)
		mustStatus(t, a, 200)
		var out facts
		decodeBody(t, a, &out)
		return out
	}
	if got := read(); got.RecordedAt != nil || len(got.Counts) != 0 || len(got.Categories) != 6 {
		t.Fatalf("before anything is recorded: %+v", got)
	}

	a := f.fac.do(t, "PUT", path, map[string]any{"present": 24, "counts": map[string]int{"roma": 6, "disability": 2},
		"adaptations": []string{"shared_devices", "easy_read"}})
	mustStatus(t, a, 200)
	got := read()
	if got.Present != 24 || got.Counts["roma"] != 6 || got.Counts["disability"] != 2 || len(got.Counts) != 2 ||
		strings.Join(got.Adaptations, ",") != "easy_read,shared_devices" || got.RecordedAt == nil {
		t.Fatalf("recorded: %+v", got)
	}

	bad := []struct {
		name, body, code, param string
	}{
		{"a category Voci does not count", `{"counts":{"ethnicity":3}}`, "invalid_parameter", "counts"},
		{"more in a group than present", `{"present":10,"counts":{"roma":11}}`, "invalid_parameter", "counts.roma"},
		{"a negative count", `{"counts":{"rural":-1}}`, "invalid_parameter", "counts.rural"},
		{"too many present", `{"present":100001}`, "invalid_parameter", "present"},
		{"an unknown adaptation", `{"adaptations":["magic"]}`, "invalid_parameter", "adaptations"},
		{"an adaptation twice", `{"adaptations":["easy_read","easy_read"]}`, "invalid_parameter", "adaptations"},
		{"a field about a child", `{"present":3,"children":[{"alias":"Brave Otter 7","roma":true}]}`, "invalid_body", ""},
	}
	for _, c := range bad {
		a := f.fac.do(t, "PUT", path, json.RawMessage(c.body))
		if a.status != 400 {
			t.Fatalf("%s: %d %s", c.name, a.status, a.body)
		}
		p := a.problem(t)
		if p["code"] != c.code || (c.param != "" && p["param"] != c.param) {
			t.Fatalf("%s: %v", c.name, p)
		}
	}
	if got := read(); got.Present != 24 || got.Counts["roma"] != 6 {
		t.Fatalf("a refused change changed something: %+v", got)
	}

	// After the end, a second recording replaces the first.
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/end", bacau, f.sessionID), nil), 200)
	mustStatus(t, f.fac.do(t, "PUT", path, map[string]any{"present": 25, "counts": map[string]int{"roma": 7}}), 200)
	if got := read(); got.Present != 25 || len(got.Counts) != 1 || got.Counts["roma"] != 7 || len(got.Adaptations) != 0 {
		t.Fatalf("after the end: %+v", got)
	}

	coordinator := ls.client()
	mustStatus(t, coordinator.login(t, "coordinator.bacau@demo.voci.ro", testPassword), 200)
	a = coordinator.do(t, "GET", "/api/v1/audit?action=live_session.group_facts", nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"total":2`) || !strings.Contains(string(a.body), `"detail":"present 25, roma 7"`) {
		t.Fatalf("the coordinator's audit: %s", a.body)
	}

	other := ls.client()
	mustStatus(t, other.login(t, "facilitator.brasov@demo.voci.ro", testPassword), 200)
	for _, siruta := range []int{bacau, 40198} { // Bacău's path, and Bacău's session under Brașov
		wrong := fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/group-facts", siruta, f.sessionID)
		if a := other.do(t, "GET", wrong, nil); a.status != 404 {
			t.Fatalf("another municipality reads %s: %d %s", wrong, a.status, a.body)
		}
	}
}
