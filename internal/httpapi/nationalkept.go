package httpapi

import (
	"compress/gzip"
	"io"
	"slices"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// The committee's tables (every municipality of a period, the counties, one municipality's
// page) are computed from the whole store and encoded to megabytes of JSON, but they change
// only with a write or, for a period not over, with the day. So each answer is kept encoded,
// and compressed once per encoding, under the state it was computed from
// (voci.National.StateKey): any write to the store (a session held, a stage recorded, a
// release published) makes the next request compute it again. A store that cannot tell when
// it changed (MongoDB) has every answer computed.

// keptAnswers holds one route's encoded answers by request.
type keptAnswers struct {
	mu      sync.Mutex
	answers map[string]*keptAnswer
}

// keptAnswer is one encoded answer and the state it was computed from.
type keptAnswer struct {
	state        string
	body         []byte
	brotli, gzip compressed
}

// maxKeptAnswers bounds the answers kept: past it they are all let go, and computed again when
// asked. The dashboard asks for a few periods; a table of every municipality is a few
// megabytes.
const maxKeptAnswers = 48

func newKeptAnswers() *keptAnswers { return &keptAnswers{answers: map[string]*keptAnswer{}} }

func (k *keptAnswers) get(request, state string) *keptAnswer {
	k.mu.Lock()
	defer k.mu.Unlock()
	if a := k.answers[request]; a != nil && a.state == state {
		return a
	}
	return nil
}

func (k *keptAnswers) put(request string, a *keptAnswer) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.answers[request]; !ok && len(k.answers) >= maxKeptAnswers {
		clear(k.answers)
	}
	k.answers[request] = a
}

// sendNational answers request about period p with the answer kept in kept when the store has
// not changed since it was computed, and otherwise with build's, encoded, kept and sent.
func (s *Server) sendNational(c *fiber.Ctx, kept *keptAnswers, request string, p voci.Period, build func() (any, error)) error {
	state, keep, err := s.national.StateKey(c.UserContext(), p)
	if err != nil {
		return err
	}
	request = p.ID + " " + request
	if keep {
		if a := kept.get(request, state); a != nil {
			return sendKept(c, a)
		}
	}
	resp, err := build()
	if err != nil {
		return err
	}
	body, err := c.App().Config().JSONEncoder(resp)
	if err != nil {
		return err
	}
	a := &keptAnswer{state: state, body: body}
	if keep {
		kept.put(request, a)
	}
	return sendKept(c, a)
}

// sendKept sends a kept answer in the best encoding the request accepts, compressing it the
// first time that encoding is asked for. The kept bytes are never handed to the response,
// which may reuse what it is given.
func sendKept(c *fiber.Ctx, a *keptAnswer) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	body := a.body
	if len(body) >= minCompressed {
		c.Vary(fiber.HeaderAcceptEncoding)
		header := &c.Context().Request.Header
		var encoding string
		var encoded []byte
		switch {
		case header.HasAcceptEncoding("br"):
			encoding, encoded = "br", a.brotli.get(body, brotliFast)
		case header.HasAcceptEncoding("gzip"):
			encoding, encoded = "gzip", a.gzip.get(body, gzipFast)
		}
		if encoded != nil {
			c.Set(fiber.HeaderContentEncoding, encoding)
			body = encoded
		}
	}
	return c.Send(slices.Clone(body))
}

// brotliFast and gzipFast compress at the levels the server uses for any other answer: an
// answer is compressed again after every write, so its time counts.
func brotliFast(w io.Writer, body []byte) error {
	bw := brotli.NewWriterLevel(w, 4)
	if _, err := bw.Write(body); err != nil {
		return err
	}
	return bw.Close()
}

func gzipFast(w io.Writer, body []byte) error {
	gw, err := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	if err != nil {
		return err
	}
	if _, err := gw.Write(body); err != nil {
		return err
	}
	return gw.Close()
}
