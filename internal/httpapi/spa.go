package httpapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// spa serves the embedded web interface: its files as they are, a page written out at build
// time for its own path, and index.html for every other path that is not the API, so that
// client-side routes survive a reload.
//
// Pages written out at build time are the children's: /join is join.html, /session is
// session.html, and a page named after its route parameter, p/[key].html, stands for every
// /p/KEY (the page reads the key from the address once started).
type spa struct {
	files map[string]*asset // by path without the leading slash
	index *asset
	// shells are the pages named after a route parameter, by the directory they stand in for.
	shells map[string]*asset
	// scriptHashes are the CSP hashes of the pages' inline scripts: SvelteKit starts the app
	// from one, and hashing them lets the policy forbid every other inline script.
	scriptHashes []string
}

type asset struct {
	body        []byte
	contentType string
	etag        string
	// Text files are compressed at build time (the build writes NAME.br and NAME.gz beside
	// NAME); a file the build did not compress is compressed once, the first time a browser
	// asks for each encoding, at the highest level, rather than on every request: ten thousand
	// phones joining at once fetch the same scripts, and the municipalities' boundaries take
	// seconds to compress on a busy core.
	brotli, gzip compressed
}

// compressed is one encoding of an asset's body, made on first use.
type compressed struct {
	once sync.Once
	body []byte // nil when the encoding does not make the file smaller
}

// minCompressed is the size below which a file is sent as it is: the encoding's own bytes
// would eat what it saves.
const minCompressed = 512

// notBuilt is served when the binary was built before the web interface.
const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Voci</title>` +
	`<main><h1>Voci</h1><p>The web interface has not been built into this binary. Run <code>make build</code>.</p></main></html>`

var inlineScript = regexp.MustCompile(`(?s)<script(\s[^>]*)?>(.*?)</script>`)

func newSPA(fsys fs.FS) (*spa, error) {
	s := &spa{files: map[string]*asset{}, shells: map[string]*asset{}}
	if fsys != nil {
		err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(path.Base(name), ".") {
				return err
			}
			body, err := fs.ReadFile(fsys, name)
			if err != nil {
				return err
			}
			s.files[name] = newAsset(name, body)
			return nil
		})
		if err != nil {
			return nil, err
		}
		s.takePrecompressed()
	}
	var ok bool
	if s.index, ok = s.files["index.html"]; !ok {
		s.index = newAsset("index.html", []byte(notBuilt))
	}
	pages := []string{"index.html"}
	for name, a := range s.files {
		if path.Ext(name) != ".html" || name == "index.html" {
			continue
		}
		pages = append(pages, name)
		if base := path.Base(name); strings.HasPrefix(base, "[") && strings.HasSuffix(base, "].html") {
			s.shells[path.Dir(name)] = a
		}
	}
	sort.Strings(pages[1:])
	seen := map[string]bool{}
	for _, name := range pages {
		page := s.index
		if name != "index.html" {
			page = s.files[name]
		}
		for _, m := range inlineScript.FindAllSubmatch(page.body, -1) {
			if strings.Contains(string(m[1]), "src=") {
				continue
			}
			sum := sha256.Sum256(m[2])
			if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !seen[h] {
				seen[h] = true
				s.scriptHashes = append(s.scriptHashes, h)
			}
		}
	}
	return s, nil
}

// takePrecompressed makes each NAME.br and NAME.gz the build wrote the ready encoding of
// NAME, and no longer a file of its own.
func (s *spa) takePrecompressed() {
	for name, a := range s.files {
		ext := path.Ext(name)
		original, ok := s.files[strings.TrimSuffix(name, ext)]
		if !ok {
			continue
		}
		switch ext {
		case ".br":
			original.brotli.preset(a.body, len(original.body))
		case ".gz":
			original.gzip.preset(a.body, len(original.body))
		default:
			continue
		}
		delete(s.files, name)
	}
}

// page is the page written out at build time for a page path (no leading slash), if any.
func (s *spa) page(name string) (*asset, bool) {
	if name == "" || path.Ext(name) != "" {
		return nil, false
	}
	if a, ok := s.files[name+".html"]; ok {
		return a, true
	}
	a, ok := s.shells[path.Dir(name)]
	return a, ok
}

func newAsset(name string, body []byte) *asset {
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	sum := sha256.Sum256(body)
	return &asset{body: body, contentType: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// compressible tells the text files (pages, scripts, styles, pictures in SVG, JSON) from the
// ones already compressed (PNG, WOFF2).
func (a *asset) compressible() bool {
	if len(a.body) < minCompressed {
		return false
	}
	ctype, _, _ := strings.Cut(a.contentType, ";")
	return strings.HasPrefix(ctype, "text/") || ctype == "application/javascript" ||
		ctype == "application/json" || ctype == "image/svg+xml" || ctype == "application/manifest+json"
}

// encoded is the body in the best encoding the request accepts ("" and the body itself when
// none helps), made the first time it is asked for.
func (a *asset) encoded(c *fiber.Ctx) (encoding string, body []byte) {
	if !a.compressible() {
		return "", a.body
	}
	header := &c.Context().Request.Header
	if header.HasAcceptEncoding("br") {
		if b := a.brotli.get(a.body, compressBrotli); b != nil {
			return "br", b
		}
	}
	if header.HasAcceptEncoding("gzip") {
		if b := a.gzip.get(a.body, compressGzip); b != nil {
			return "gzip", b
		}
	}
	return "", a.body
}

func (e *compressed) get(body []byte, compress func(io.Writer, []byte) error) []byte {
	e.once.Do(func() {
		var buf bytes.Buffer
		if err := compress(&buf, body); err == nil && buf.Len() < len(body) {
			e.body = buf.Bytes()
		}
	})
	return e.body
}

// preset takes an encoding made at build time, if it is smaller than the original.
func (e *compressed) preset(body []byte, originalSize int) {
	e.once.Do(func() {
		if len(body) < originalSize {
			e.body = body
		}
	})
}

func compressBrotli(w io.Writer, body []byte) error {
	bw := brotli.NewWriterLevel(w, brotli.BestCompression)
	if _, err := bw.Write(body); err != nil {
		return err
	}
	return bw.Close()
}

func compressGzip(w io.Writer, body []byte) error {
	gw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := gw.Write(body); err != nil {
		return err
	}
	return gw.Close()
}

// contentSecurityPolicy allows only this server's own resources: no CDN, font or analytics
// host may be reached from a child's browser.
func (s *spa) contentSecurityPolicy() string {
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' " + strings.Join(s.scriptHashes, " "),
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"font-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

func (s *spa) serve(c *fiber.Ctx) error {
	p := c.Path()
	if p == "/api" || strings.HasPrefix(p, "/api/") {
		return voci.Errorf(voci.ENOTFOUND, "There is no API endpoint at %s.", p)
	}
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return fiber.ErrMethodNotAllowed
	}
	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	a, ok := s.files[name]
	if page, isPage := s.page(name); !ok && isPage {
		a, ok = page, true
	}
	switch {
	case ok && strings.HasPrefix(name, "_app/immutable/"):
		// Content-hashed file names: cache for a year.
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	case ok:
		c.Set(fiber.HeaderCacheControl, "no-cache")
	case strings.HasPrefix(name, "_app/") || path.Ext(name) != "":
		// A missing asset must not be answered with the page: the browser would run HTML as JS.
		return fiber.ErrNotFound
	default:
		a = s.index
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	encoding, body := a.encoded(c)
	etag := a.etag
	if a.compressible() {
		c.Vary(fiber.HeaderAcceptEncoding)
	}
	if encoding != "" {
		// Each encoding is a representation of its own, with a tag of its own.
		etag = strings.TrimSuffix(a.etag, `"`) + "-" + encoding + `"`
		c.Set(fiber.HeaderContentEncoding, encoding)
	}
	c.Set(fiber.HeaderETag, etag)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, a.contentType)
	return c.Send(body)
}
