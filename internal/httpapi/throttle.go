package httpapi

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// failureThrottle refuses a client once it has failed max times within a window: wrong join
// codes, wrong tokens, wrong passwords. Each request reserves a place in its client's window
// before it runs and gives it back when it did not fail, so that requests running at the same
// time cannot pass together the check that each would pass alone (60 wrong passwords sent at
// once for one email ran 60 argon2 hashes where the limit is 10). A request that finds every
// place taken by requests still running waits for one of them to end (at most wait): thirty
// children of one class joining together through their school's single address then go in
// one after the other, where counting every request on arrival (as Fiber's limiter does)
// would refuse them for what are, in the end, thirty successes.
//
// Counts are kept in this process: with several instances each holds its own (see README).
type failureThrottle struct {
	max    int
	window time.Duration
	wait   time.Duration
	clock  voci.Clock
	key    func(*fiber.Ctx) string
	refuse func(c *fiber.Ctx, retryAfter time.Duration) error

	mu      sync.Mutex
	windows map[string]*failureWindow
	swept   time.Time
	// changed is closed, and replaced, whenever a place is given back or a window fills, to
	// wake the requests waiting for a place.
	changed chan struct{}
}

type failureWindow struct {
	start    time.Time
	failures int // requests that failed
	running  int // requests holding a place, not finished yet
}

func newFailureThrottle(max int, window time.Duration, clock voci.Clock, key func(*fiber.Ctx) string, refuse func(*fiber.Ctx, time.Duration) error) *failureThrottle {
	return &failureThrottle{max: max, window: window, wait: 5 * time.Second, clock: clock, key: key, refuse: refuse,
		windows: map[string]*failureWindow{}, changed: make(chan struct{})}
}

// clientFailure is what most routes count as a failure: a refusal of what the client sent
// (4xx), but not the throttle's own 429; a 5xx is the server's failure, not the client's.
func clientFailure(status int) bool {
	return status >= 400 && status < 500 && status != fiber.StatusTooManyRequests
}

func (t *failureThrottle) handler(c *fiber.Ctx) error {
	return t.handlerCounting(clientFailure, nil)(c)
}

// handlerCounting is handler counting only the answers whose status counts says are failures,
// in the same windows, and refusing with refuse (the throttle's own when nil): routes may
// differ on what a failure is, and on what they tell the client, and still share one budget.
func (t *failureThrottle) handlerCounting(counts func(status int) bool, refuse func(*fiber.Ctx, time.Duration) error) fiber.Handler {
	if refuse == nil {
		refuse = t.refuse
	}
	return func(c *fiber.Ctx) error {
		// The key outlives the request in the map: a string taken from the context points
		// into a buffer that fasthttp reuses for the next request.
		key := strings.Clone(t.key(c))
		start, retry, ok := t.reserve(key)
		if !ok {
			return refuse(c, retry)
		}
		err := c.Next()
		t.finish(key, start, err == nil && counts(c.Response().StatusCode()))
		return err
	}
}

// reserve takes a place in key's window for one request, waiting while every free place is
// held by running requests. It returns the window's start, or how long until the window
// ends when the client has failed too often (or waited too long).
func (t *failureThrottle) reserve(key string) (time.Time, time.Duration, bool) {
	var timeout <-chan time.Time
	for {
		t.mu.Lock()
		now := t.clock()
		t.sweep(now)
		w := t.windows[key]
		if w == nil || now.Sub(w.start) >= t.window {
			running := 0
			if w != nil {
				running = w.running // still running from the window before: they hold places
			}
			w = &failureWindow{start: now, running: running}
			t.windows[key] = w
		}
		if w.failures+w.running < t.max {
			w.running++
			t.mu.Unlock()
			return w.start, 0, true
		}
		retry := w.start.Add(t.window).Sub(now)
		if w.failures >= t.max {
			t.mu.Unlock()
			return time.Time{}, retry, false
		}
		changed := t.changed
		t.mu.Unlock()
		if timeout == nil {
			timer := time.NewTimer(t.wait)
			defer timer.Stop()
			timeout = timer.C
		}
		select {
		case <-changed:
		case <-timeout:
			return time.Time{}, retry, false
		}
	}
}

// finish gives the request's place back, counting it as a failure when it failed.
func (t *failureThrottle) finish(key string, start time.Time, failed bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.windows[key]
	if w == nil {
		return
	}
	if w.running > 0 {
		w.running--
	}
	if failed && w.start.Equal(start) {
		w.failures++
	}
	close(t.changed)
	t.changed = make(chan struct{})
}

// sweep forgets finished windows now and then, so that the map does not grow without bound.
func (t *failureThrottle) sweep(now time.Time) {
	if now.Sub(t.swept) < t.window {
		return
	}
	for k, w := range t.windows {
		if now.Sub(w.start) >= t.window && w.running == 0 {
			delete(t.windows, k)
		}
	}
	t.swept = now
}

// refuseWith answers a throttled request with 429 rate_limited, the message, and Retry-After
// in whole seconds (at least one).
func (s *Server) refuseWith(message string) func(*fiber.Ctx, time.Duration) error {
	return func(c *fiber.Ctx, retry time.Duration) error {
		c.Set(fiber.HeaderRetryAfter, retryAfterSeconds(retry))
		return s.app.ErrorHandler(c, voci.Errorf(voci.ERATELIMITED, "%s", message))
	}
}

func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}

// clientKey is the client's address: the peer's, or behind a trusted proxy the one it
// forwarded (VOCI_TRUSTED_PROXIES). Copied, as every key a throttle keeps.
func clientKey(c *fiber.Ctx) string { return strings.Clone(c.IP()) }

// hashGate bounds how many requests hash or check a password at once in this process. Each
// argon2id run holds its memory (19 MiB) for its whole run: a few hundred sign-ins at once
// would take gigabytes from the process that also holds the children's live sessions. A
// request that finds every slot taken waits up to wait, then is answered 503 busy with
// Retry-After, without hashing.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newHashGate(slots int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, max(1, slots)), wait: wait}
}

// boundHashing runs the route's handler in one of the gate's slots.
func (s *Server) boundHashing(c *fiber.Ctx) error {
	select {
	case s.hashing.slots <- struct{}{}:
	default:
		timer := time.NewTimer(s.hashing.wait)
		defer timer.Stop()
		select {
		case s.hashing.slots <- struct{}{}:
		case <-timer.C:
			c.Set(fiber.HeaderRetryAfter, "1")
			return s.app.ErrorHandler(c, voci.Errorf(codeBusy, "The server is busy signing other people in. Try again in a moment."))
		}
	}
	defer func() { <-s.hashing.slots }()
	return c.Next()
}
