package httpapi

import (
	"compress/gzip"
	"context"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// The committee's tables (every municipality of a period, the counties, one municipality's
// page) are computed from the whole store and encoded to megabytes of JSON, but they change
// only with what they read. So each answer is kept encoded, and compressed once per encoding,
// under the state it was computed from (voci.National.State):
//   - a period settled (over for two days) changes only with a change to the past (a stage, a
//     profile, a release, a consultation or a decision, a record dated in the past): the
//     answers children give now never make its table computed again;
//   - a period not yet settled is also moved by every new answer, join and session. Its kept
//     table is served, with the time it was computed, for up to voci.NationalStaleAtMost while
//     only those came in, and from voci.NationalRefreshAfter on one background job per table
//     computes it again: the request that finds it old never waits for it.
// A store that cannot tell when it changed (MongoDB) has every answer computed.

// keptAnswers holds one route's encoded answers by request.
type keptAnswers struct {
	mu         sync.Mutex
	answers    map[string]*keptAnswer
	refreshing map[string]bool
}

// keptAnswer is one encoded answer, the state it was computed from and when.
type keptAnswer struct {
	state        voci.NationalState
	at           time.Time
	body         []byte
	brotli, gzip compressed
}

// maxKeptAnswers bounds the answers kept: past it they are all let go, and computed again when
// asked. The dashboard asks for a few periods; a table of every municipality is a few
// megabytes.
const maxKeptAnswers = 48

func newKeptAnswers() *keptAnswers {
	return &keptAnswers{answers: map[string]*keptAnswer{}, refreshing: map[string]bool{}}
}

// get returns the answer kept for request under state st, or one computed under an older Live
// of the same Key no longer than voci.NationalStaleAtMost before now; old is true for that one
// when it is due to be computed again (voci.NationalRefreshAfter).
func (k *keptAnswers) get(request string, st voci.NationalState, now time.Time) (a *keptAnswer, old bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	a = k.answers[request]
	switch {
	case a == nil || a.state.Key != st.Key:
		return nil, false
	case a.state.Live == st.Live:
		return a, false
	case now.Sub(a.at) > voci.NationalStaleAtMost:
		return nil, false
	}
	return a, now.Sub(a.at) >= voci.NationalRefreshAfter
}

func (k *keptAnswers) put(request string, a *keptAnswer) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.answers[request]; !ok && len(k.answers) >= maxKeptAnswers {
		clear(k.answers)
	}
	k.answers[request] = a
}

// startRefresh reports whether the caller is the one to compute request again: none other is.
func (k *keptAnswers) startRefresh(request string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.refreshing[request] {
		return false
	}
	k.refreshing[request] = true
	return true
}

func (k *keptAnswers) endRefresh(request string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.refreshing, request)
}

// nationalBuild computes an answer about a period; asOf is when, for a period not yet settled
// (nil once it is: its figures no longer move with time).
type nationalBuild func(ctx context.Context, asOf *time.Time) (any, error)

// sendNational answers request about period p with the answer kept in kept when it still holds
// (see above), and otherwise with build's, encoded, kept and sent.
func (s *Server) sendNational(c *fiber.Ctx, kept *keptAnswers, request string, p voci.Period, build nationalBuild) error {
	ctx := c.UserContext()
	st, keep, err := s.national.State(ctx, p)
	if err != nil {
		return err
	}
	request = p.ID + " " + request
	if keep {
		if a, old := kept.get(request, st, s.Clock()); a != nil {
			if old && kept.startRefresh(request) {
				s.refreshNational(kept, request, p, build)
			}
			return sendKept(c, a)
		}
	}
	a, err := s.computeNational(ctx, kept, st, p, build)
	if err != nil {
		return err
	}
	if keep {
		kept.put(request, a)
	}
	return sendKept(c, a)
}

// computeNational computes and encodes one answer under state st.
func (s *Server) computeNational(ctx context.Context, kept *keptAnswers, st voci.NationalState, p voci.Period, build nationalBuild) (*keptAnswer, error) {
	a := &keptAnswer{state: st, at: s.Clock()}
	var asOf *time.Time
	if !s.national.Settled(p) {
		asOf = &a.at
	}
	s.nationalBuilds.Add(1)
	resp, err := build(ctx, asOf)
	if err != nil {
		return nil, err
	}
	if a.body, err = s.app.Config().JSONEncoder(resp); err != nil {
		return nil, err
	}
	return a, nil
}

// refreshNational computes request again in the background, once at a time (startRefresh),
// and keeps what it computed; a failure leaves the old answer, which ages out.
func (s *Server) refreshNational(kept *keptAnswers, request string, p voci.Period, build nationalBuild) {
	s.nationalRefreshes.Add(1)
	hold := s.nationalRefreshHold
	go func() {
		defer s.nationalRefreshes.Done()
		defer kept.endRefresh(request)
		if hold != nil {
			<-hold
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		st, _, err := s.national.State(ctx, p)
		var a *keptAnswer
		if err == nil {
			a, err = s.computeNational(ctx, kept, st, p, build)
		}
		if err != nil {
			s.Logger.Warn("national table not computed again", "request", request, "error", err)
			return
		}
		kept.put(request, a)
	}()
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
