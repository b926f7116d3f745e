package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

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

// Text files go out compressed in the best encoding the browser takes, made once; each encoding
// has its own tag, so that a cache never mistakes one for another.
func TestInterfaceFilesCompressed(t *testing.T) {
	script := strings.Repeat("export const answer = 'a child''s answer';\n", 200)
	picture := string(bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 7, 1, 200, 3}, 200))
	index := strings.Replace(testIndex, "<body>", "<body>"+strings.Repeat("<p>Voci</p>", 100), 1)
	frontend := fstest.MapFS{
		"index.html":                      {Data: []byte(index)},
		"_app/immutable/chunks/phone.js":  {Data: []byte(script)},
		"_app/immutable/assets/photo.png": {Data: []byte(picture)},
	}
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Frontend = frontend })
	get := func(url, acceptEncoding, ifNoneMatch string) *http.Response {
		t.Helper()
		req := httptest.NewRequest("GET", url, nil)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		resp, err := ts.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	decode := func(resp *http.Response) string {
		t.Helper()
		var r io.Reader = resp.Body
		switch resp.Header.Get("Content-Encoding") {
		case "br":
			r = brotli.NewReader(resp.Body)
		case "gzip":
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	tags := map[string]string{}
	for _, c := range []struct{ accept, want string }{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip, deflate", "gzip"},
		{"", ""},
	} {
		resp := get("/_app/immutable/chunks/phone.js", c.accept, "")
		if got := resp.Header.Get("Content-Encoding"); got != c.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.want)
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: Vary %q", c.accept, resp.Header.Get("Vary"))
		}
		if resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("Accept-Encoding %q: Cache-Control %q", c.accept, resp.Header.Get("Cache-Control"))
		}
		if body := decode(resp); body != script {
			t.Fatalf("Accept-Encoding %q: the script came back as %d other bytes", c.accept, len(body))
		}
		tags[c.want] = resp.Header.Get("ETag")
	}
	if tags["br"] == tags["gzip"] || tags["br"] == tags[""] || tags["gzip"] == tags[""] {
		t.Errorf("one tag for two encodings: %v", tags)
	}
	if resp := get("/_app/immutable/chunks/phone.js", "br", tags["br"]); resp.StatusCode != 304 {
		t.Errorf("conditional GET with the brotli tag: %d", resp.StatusCode)
	}

	// The page itself is text too; a picture already compressed goes as it is.
	if resp := get("/join", "gzip", ""); resp.Header.Get("Content-Encoding") != "gzip" || decode(resp) != index {
		t.Errorf("page: Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	if resp := get("/_app/immutable/assets/photo.png", "gzip, br", ""); resp.Header.Get("Content-Encoding") != "" || decode(resp) != picture {
		t.Errorf("picture: Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}

// The encodings the build wrote beside a file (NAME.br, NAME.gz) are sent as they are, and are
// not files of their own.
func TestInterfaceFilesPrecompressedAtBuild(t *testing.T) {
	boundaries := `{"type":"Topology","objects":{}}` + strings.Repeat(" ", 2000)
	compress := func(enc func(io.Writer) io.WriteCloser) []byte {
		var buf bytes.Buffer
		w := enc(&buf)
		if _, err := io.WriteString(w, boundaries); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	br := compress(func(w io.Writer) io.WriteCloser { return brotli.NewWriterLevel(w, 1) })
	gz := compress(func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
	frontend := fstest.MapFS{
		"index.html":               {Data: []byte(testIndex)},
		"geo/romania.topo.json":    {Data: []byte(boundaries)},
		"geo/romania.topo.json.br": {Data: br},
		"geo/romania.topo.json.gz": {Data: gz},
	}
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Frontend = frontend })
	get := func(url, acceptEncoding string) (*http.Response, []byte) {
		t.Helper()
		req := httptest.NewRequest("GET", url, nil)
		req.Header.Set("Accept-Encoding", acceptEncoding)
		resp, err := ts.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	for _, c := range []struct {
		accept, want string
		body         []byte
	}{
		{"gzip, br", "br", br},
		{"gzip", "gzip", gz},
		{"", "", []byte(boundaries)},
	} {
		resp, body := get("/geo/romania.topo.json", c.accept)
		if got := resp.Header.Get("Content-Encoding"); got != c.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.want)
		}
		if !bytes.Equal(body, c.body) {
			t.Errorf("Accept-Encoding %q: %d bytes, not the build's %d", c.accept, len(body), len(c.body))
		}
	}
	if resp, _ := get("/geo/romania.topo.json.br", "br"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the build's encoding is served as a file of its own: %d", resp.StatusCode)
	}
}
