package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/voci-platform/voci/internal/httpapi"
)

// gzipBomb is a JSON body that is a few dozen kilobytes compressed and size bytes inflated.
func gzipBomb(t *testing.T, size int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	io.WriteString(zw, `{"code":"123456","lang":"ro","pad":"`)
	chunk := bytes.Repeat([]byte{'a'}, 1<<20)
	for written := 0; written < size; written += len(chunk) {
		zw.Write(chunk)
	}
	io.WriteString(zw, `"}`)
	zw.Close()
	return buf.Bytes()
}

// TestCompressedBodiesRefused sends 64 MiB of JSON squeezed into about 63 KB of gzip, which
// Fiber would inflate on first read whatever the body limit: it must be refused before that,
// with 415 unsupported_content_encoding, on the children's join route and an adult's route,
// and the server's memory must not grow by anything like the inflated size.
func TestCompressedBodiesRefused(t *testing.T) {
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Config.MaxBodyBytes = 1 << 20 })
	bomb := gzipBomb(t, 64<<20)
	if len(bomb) > 1<<20 {
		t.Fatalf("the compressed body has %d bytes; it must pass the body limit to test anything", len(bomb))
	}
	adult := signInAs(t, ts, "Facilitator.Bacau@demo.voci.ro")
	for _, path := range []string{"/api/v1/join", "/api/v1/auth/login", "/api/v1/me"} {
		for _, enc := range []string{"gzip", "deflate", "br", "GZIP"} {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			method := "POST"
			if path == "/api/v1/me" {
				method = "PATCH"
			}
			req := httptest.NewRequest(method, path, bytes.NewReader(bomb))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Content-Encoding", enc)
			if path == "/api/v1/me" {
				req.Header.Set("Cookie", "voci_session="+adult.cookie)
				req.Header.Set("X-CSRF-Token", adult.csrf)
			}
			resp, err := ts.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			runtime.ReadMemStats(&after)
			a := answer{resp.StatusCode, resp.Header, body}
			if a.status != 415 || a.problem(t)["code"] != "unsupported_content_encoding" {
				t.Fatalf("%s %s with %s: %d %s; want 415 unsupported_content_encoding", method, path, enc, a.status, body)
			}
			// Everything allocated while answering, garbage included: far below the 64 MiB
			// the body would have become.
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
				t.Fatalf("%s %s with %s allocated %d MiB", method, path, enc, grew>>20)
			}
		}
	}
	// Without a Content-Encoding (or "identity") the same route works as before.
	for _, enc := range []string{"", "identity"} {
		req := httptest.NewRequest("POST", "/api/v1/join", strings.NewReader(`{"code":"000000"}`))
		req.Header.Set("Content-Type", "application/json")
		if enc != "" {
			req.Header.Set("Content-Encoding", enc)
		}
		resp, err := ts.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Fatalf("join with Content-Encoding %q: %d; want 404 session_not_found", enc, resp.StatusCode)
		}
	}
}

// TestDuplicateKeysRefused: a JSON body that gives a key twice is refused on every JSON route
// with 400 duplicate_key naming the key, before anything is done with it.
func TestDuplicateKeysRefused(t *testing.T) {
	ts := newTestServer(t)
	adult := signInAs(t, ts, "Coordinator.Bacau@demo.voci.ro")
	for _, tc := range []struct {
		cl           *client
		method, path string
		body         string
		key          string
	}{
		{ts.client(), "POST", "/api/v1/join", `{"code":"123456","code":"654321"}`, "code"},
		{ts.client(), "POST", "/api/v1/auth/login", `{"email":"a@b.ro","password":"x","email":"Facilitator.Bacau@demo.voci.ro"}`, "email"},
		{ts.client(), "POST", "/api/v1/invitations/accept", `{"token":"a","token":"b","password":"x"}`, "token"},
		{adult, "PATCH", "/api/v1/me", `{"displayName":"A","displayName":"B"}`, "displayName"},
		{adult, "POST", "/api/v1/municipalities/20297/consultations", `{"title":"T","title":"U","topic":"x"}`, "title"},
	} {
		a := tc.cl.do(t, tc.method, tc.path, tc.body)
		if a.status != 400 {
			t.Fatalf("%s %s %s: %d %s; want 400", tc.method, tc.path, tc.body, a.status, a.body)
		}
		p := a.problem(t)
		if p["code"] != "duplicate_key" || p["param"] != tc.key || !strings.Contains(p["detail"].(string), tc.key) {
			t.Fatalf("%s %s: %v; want duplicate_key naming %q", tc.method, tc.path, p, tc.key)
		}
	}
	// The display name was not changed by the refused request.
	if a := adult.do(t, "GET", "/api/v1/me", nil); strings.Contains(string(a.body), `"displayName":"A"`) || strings.Contains(string(a.body), `"displayName":"B"`) {
		t.Fatalf("a refused body changed the account: %s", a.body)
	}
}
