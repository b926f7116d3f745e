package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
)

// TestPublicPageChangesRightAfterPublish: the public municipality page, kept between requests
// while nothing changes, shows feedback on the very next request after it is published, a new
// recommendation right after it is made, and turns overdue when the due date passes with no
// write at all.
func TestPublicPageChangesRightAfterPublish(t *testing.T) {
	clock := &testClock{}
	ts := newTestServer(t, withClock(clock))
	cl := signedIn(t, ts, "facilitator.bacau", "council.bacau", "coordinator.bacau")
	fac, council, coord := cl["facilitator.bacau"], cl["council.bacau"], cl["coordinator.bacau"]
	one, _, _ := paperConsultation(t, fac)
	consID := one[strings.LastIndex(one, "/")+1:]
	rec := newRecommendation(t, ts, 20297, consID)
	anon := ts.client()
	type page struct {
		Consultations []struct {
			Feedback struct {
				State string `json:"state"`
			} `json:"feedback"`
			Recommendations []struct {
				ID       string `json:"id"`
				Feedback *struct {
					EasyRead string `json:"easyRead"`
				} `json:"feedback"`
			} `json:"recommendations"`
		} `json:"consultations"`
	}
	read := func() page {
		t.Helper()
		a := anon.do(t, "GET", "/api/v1/public/municipalities/20297?lang=ro", nil)
		mustStatus(t, a, 200)
		var p page
		decodeBody(t, a, &p)
		if len(p.Consultations) != 1 {
			t.Fatalf("page %s", a.body)
		}
		return p
	}
	for range 2 { // the second is the kept page
		if p := read(); p.Consultations[0].Feedback.State != "waiting" || len(p.Consultations[0].Recommendations) != 1 ||
			p.Consultations[0].Recommendations[0].Feedback != nil {
			t.Fatalf("before feedback %+v", p)
		}
	}

	base := fmt.Sprintf("/api/v1/municipalities/20297/recommendations/%s/feedback", rec.ID)
	var fb feedbackVersion
	a := council.do(t, "POST", base, map[string]any{"texts": map[string]any{"ro": map[string]string{"text": "Consiliul plantează copaci.", "easyRead": "Vom planta copaci."}}})
	mustStatus(t, a, 201)
	decodeBody(t, a, &fb)
	decodeBody(t, council.do(t, "POST", base+"/"+fb.ID+"/submit", map[string]any{"revision": fb.Revision}), &fb)
	if p := read(); p.Consultations[0].Recommendations[0].Feedback != nil {
		t.Fatalf("feedback shown before it is published %+v", p)
	}
	mustStatus(t, coord.do(t, "POST", base+"/"+fb.ID+"/publish", map[string]any{"revision": fb.Revision}), 200)
	if p := read(); p.Consultations[0].Feedback.State != "answered" || p.Consultations[0].Recommendations[0].Feedback == nil ||
		p.Consultations[0].Recommendations[0].Feedback.EasyRead != "Vom planta copaci." {
		t.Fatalf("right after publishing %+v", p)
	}

	// A second recommendation leaves the consultation waiting again, then overdue once its
	// due date (a month ahead) has passed, with nothing written meanwhile.
	second := newRecommendation(t, ts, 20297, consID)
	if p := read(); p.Consultations[0].Feedback.State != "waiting" || len(p.Consultations[0].Recommendations) != 2 ||
		p.Consultations[0].Recommendations[1].ID != second.ID {
		t.Fatalf("after a second recommendation %+v", p)
	}
	clock.advance(40 * 24 * time.Hour)
	if p := read(); p.Consultations[0].Feedback.State != "overdue" {
		t.Fatalf("after the due date %+v", p)
	}
}

// TestPublicReadsBoundedPerClient: the public pages need no sign-in, so a script reloading
// them from one device is stopped after a budget a class never reaches, with 429 and
// Retry-After, while another device still reads them.
func TestPublicReadsBoundedPerClient(t *testing.T) {
	ts := newTestServer(t, behindProxy(t))
	addr := "http://" + benchAddr(t, ts) // a real listener on 127.0.0.1, the trusted proxy
	get := func(client, path string) answer {
		t.Helper()
		req, _ := http.NewRequest("GET", addr+path, nil)
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, resp.Header, b}
	}
	const page, outcome = "/api/v1/public/municipalities/20297?lang=ro", "/api/v1/public/consultations/no-such-consultation/outcome"
	for i := range httpapi.PublicReadsPerClient {
		path := page
		if i%2 == 1 {
			path = outcome // a miss spends the same budget
		}
		if a := get("203.0.113.9", path); a.status != 200 && a.status != 404 {
			t.Fatalf("read %d of a device's budget: %d %s", i+1, a.status, a.body)
		}
	}
	for _, path := range []string{page, outcome} {
		a := get("203.0.113.9", path)
		childProblem(t, a, 429, "rate_limited")
		if a.header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
	}
	mustStatus(t, get("198.51.100.20", page), 200)
}
