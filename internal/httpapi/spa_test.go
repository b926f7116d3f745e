package httpapi_test

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/voci-platform/voci/internal/httpapi"
)

// The children's pages written out at build time are served for their own paths (a page named
// after its route parameter for every value of it), and every other page path gets index.html.
func TestPagesWrittenOutAtBuildTime(t *testing.T) {
	page := func(name string) string {
		return `<!doctype html><html><head><script>start("` + name + `")</script></head><body><p>` + name + `</p></body></html>`
	}
	frontend := fstest.MapFS{
		"index.html":                      {Data: []byte(page("fallback"))},
		"join.html":                       {Data: []byte(page("join"))},
		"join/next.html":                  {Data: []byte(page("join-next"))},
		"session.html":                    {Data: []byte(page("session"))},
		"p/[key].html":                    {Data: []byte(page("self-paced"))},
		"_app/immutable/entry/app.abc.js": {Data: []byte("console.log(1)")},
	}
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Frontend = frontend })

	cases := []struct{ url, want string }{
		{"/join", "join"},
		{"/join?code=482913", "join"},
		{"/join?code=482913&lang=hu", "join"},
		{"/join/", "join"},
		{"/join/next", "join-next"},
		{"/session", "session"},
		{"/p/k3y9QwErTy", "self-paced"},
		{"/p/k3y9QwErTy?lang=en", "self-paced"},
		{"/p/k3y9QwErTy/more", "fallback"},
		{"/p", "fallback"},
		{"/", "fallback"},
		{"/municipalities", "fallback"},
		{"/m/20297/consultations", "fallback"},
		{"/join/other", "fallback"},
		{"/sessions", "fallback"},
	}
	for _, c := range cases {
		a := ts.do(t, "GET", c.url, "", "")
		if a.status != 200 || !strings.Contains(string(a.body), "<p>"+c.want+"</p>") {
			t.Errorf("GET %s: %d %q, want the %s page", c.url, a.status, a.body, c.want)
			continue
		}
		if a.header.Get("Cache-Control") != "no-cache" || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") || a.header.Get("ETag") == "" {
			t.Errorf("GET %s: Cache-Control %q, Content-Type %q, ETag %q", c.url, a.header.Get("Cache-Control"), a.header.Get("Content-Type"), a.header.Get("ETag"))
		}
	}

	// Each page starts the app from its own inline script: the policy allows each of them.
	csp := ts.do(t, "GET", "/join", "", "").header.Get("Content-Security-Policy")
	for _, name := range []string{"fallback", "join", "join-next", "session", "self-paced"} {
		sum := sha256.Sum256([]byte(`start("` + name + `")`))
		if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, h) {
			t.Errorf("CSP %q lacks the hash of the %s page's script", csp, name)
		}
	}

	imm := ts.do(t, "GET", "/_app/immutable/entry/app.abc.js", "", "")
	if imm.status != 200 || imm.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("hashed script: %d, Cache-Control %q", imm.status, imm.header.Get("Cache-Control"))
	}
	if a := ts.do(t, "GET", "/_app/immutable/entry/gone.js", "", ""); a.status != 404 {
		t.Errorf("missing script: %d", a.status)
	}
	if a := ts.do(t, "POST", "/join", "application/json", "{}"); a.status != 405 {
		t.Errorf("POST /join: %d", a.status)
	}
}
