package httpapi_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/voci-platform/voci/internal/httpapi"
)

const testMetricsToken = "metrics-token-for-the-tests"

// scrape reads /metrics as a scraper holding VOCI_METRICS_TOKEN does.
func (ts *testServer) scrape(t *testing.T) answer {
	t.Helper()
	return ts.getWith(t, "/metrics", "Bearer "+testMetricsToken)
}

func (ts *testServer) getWith(t *testing.T, path, authorization string) answer {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := ts.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

// TestMetricsNeedTheToken: /metrics on the public address answers only the bearer of
// VOCI_METRICS_TOKEN; without a token configured it is not there at all, and the separate
// address (VOCI_METRICS_ADDR) serves it without one.
func TestMetricsNeedTheToken(t *testing.T) {
	ts := newTestServer(t)
	for _, auth := range []string{"", "Bearer", "Bearer wrong-token-of-some-length", "Basic " + testMetricsToken, testMetricsToken, "Bearer " + testMetricsToken + "x"} {
		a := ts.getWith(t, "/metrics", auth)
		if a.status != 404 || a.problem(t)["code"] != "not_found" || strings.Contains(string(a.body), "voci_") {
			t.Fatalf("/metrics with Authorization %q: %d %s; want 404", auth, a.status, a.body)
		}
	}
	if a := ts.scrape(t); a.status != 200 || !strings.Contains(string(a.body), "voci_live_rooms") {
		t.Fatalf("/metrics with the token: %d", a.status)
	}

	// No token configured: 404 whatever is sent; the handler for the separate address serves.
	open := newTestServer(t, func(d *httpapi.Deps) { d.Config.MetricsToken = "" })
	for _, auth := range []string{"", "Bearer ", "Bearer " + testMetricsToken} {
		if a := open.getWith(t, "/metrics", auth); a.status != 404 {
			t.Fatalf("/metrics without a configured token, Authorization %q: %d; want 404", auth, a.status)
		}
	}
	rec := httptest.NewRecorder()
	open.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "voci_live_rooms") {
		t.Fatalf("the separate metrics address: %d", rec.Code)
	}
}
