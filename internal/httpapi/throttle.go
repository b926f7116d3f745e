package httpapi

import (
	"context"
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
// The budget is kept in the store (voci.FailureStore), so it holds across instances. Where
// the work behind the throttle is slow (argon2id), the place itself is reserved in the store:
// two writes per attempt, which a sign-in can afford. Where it is cheap (a join code looked
// up, 10,000 children joining at once), an attempt reads its budget in the store, holds its
// place in this process, and writes to the store only when it fails, so a successful join
// costs one read and no write.
type failureThrottle struct {
	name   string // the budget's name, before each key in the store
	max    int
	window time.Duration
	wait   time.Duration
	clock  voci.Clock
	store  voci.FailureStore
	key    func(*fiber.Ctx) string
	refuse func(c *fiber.Ctx, retryAfter time.Duration) error

	mu sync.Mutex
	// local holds, per key, what this process knows beyond the store: the places of the
	// cheap attempts running here, and the failures it counted itself (a read of the store
	// that started before one of them was written does not see it).
	local map[string]*localWindow
	swept time.Time
	// changed is closed, and replaced, whenever a place is given back, to wake the requests
	// of this process waiting for one; requests waiting on another instance poll.
	changed chan struct{}
}

type localWindow struct {
	end      time.Time // of the store's window the failures belong to
	failures int
	running  int
}

// pollEvery is how often a request waiting for a place looks again in the store, for places
// given back on other instances.
const pollEvery = 50 * time.Millisecond

func newFailureThrottle(store voci.FailureStore, name string, max int, window time.Duration, clock voci.Clock, key func(*fiber.Ctx) string, refuse func(*fiber.Ctx, time.Duration) error) *failureThrottle {
	return &failureThrottle{name: name, max: max, window: window, wait: 5 * time.Second, clock: clock, store: store, key: key, refuse: refuse,
		local: map[string]*localWindow{}, changed: make(chan struct{})}
}

// clientFailure is what most routes count as a failure: a refusal of what the client sent
// (4xx), but not the throttle's own 429; a 5xx is the server's failure, not the client's.
func clientFailure(status int) bool {
	return status >= 400 && status < 500 && status != fiber.StatusTooManyRequests
}

// handler guards cheap work; slowHandler guards slow work, reserving each place in the store.
func (t *failureThrottle) handler(c *fiber.Ctx) error {
	return t.handlerCounting(clientFailure, nil, false)(c)
}

func (t *failureThrottle) slowHandler(c *fiber.Ctx) error {
	return t.handlerCounting(clientFailure, nil, true)(c)
}

// handlerCounting is handler counting only the answers whose status counts says are failures,
// in the same windows, and refusing with refuse (the throttle's own when nil): routes may
// differ on what a failure is, and on what they tell the client, and still share one budget.
// slow says whether the work is slow enough to reserve its place in the store.
func (t *failureThrottle) handlerCounting(counts func(status int) bool, refuse func(*fiber.Ctx, time.Duration) error, slow bool) fiber.Handler {
	if refuse == nil {
		refuse = t.refuse
	}
	return func(c *fiber.Ctx) error {
		// The key outlives the request: a string taken from the context points into a
		// buffer that fasthttp reuses for the next request.
		key := "fail:" + t.name + ":" + strings.Clone(t.key(c))
		ctx := c.UserContext()
		reserve, finish := t.reserveLocal, t.finishLocal
		if slow {
			reserve, finish = t.reserveInStore, t.finishInStore
		}
		start, retry, ok, err := reserve(ctx, key)
		if err != nil {
			return err
		}
		if !ok {
			return refuse(c, retry)
		}
		err = c.Next()
		// The request's own context may be done by now; the place must be given back.
		finish(context.WithoutCancel(ctx), key, start, err == nil && counts(c.Response().StatusCode()))
		return err
	}
}

// reserveInStore takes a place in the store, waiting while every free place is held by
// running attempts. It returns the window's start, or how long until the window ends when the
// client has failed too often (or waited too long).
func (t *failureThrottle) reserveInStore(ctx context.Context, key string) (time.Time, time.Duration, bool, error) {
	var timeout <-chan time.Time
	for {
		changed := t.changedChan()
		now := t.clock()
		w, err := t.store.ReserveAttempt(ctx, key, t.max, t.window, now)
		if err != nil {
			return time.Time{}, 0, false, err
		}
		if w.Granted {
			return w.Start, 0, true, nil
		}
		retry := w.End.Sub(now)
		if w.Exhausted(t.max) {
			return time.Time{}, retry, false, nil
		}
		if timeout == nil {
			timer := time.NewTimer(t.wait)
			defer timer.Stop()
			timeout = timer.C
		}
		if !t.await(ctx, changed, timeout) {
			return time.Time{}, retry, false, nil
		}
	}
}

func (t *failureThrottle) finishInStore(ctx context.Context, key string, start time.Time, failed bool) {
	// A place that could not be given back is held until its window ends: the client waits
	// longer, nothing more.
	_ = t.store.FinishAttempt(ctx, key, start, failed)
	t.wake()
}

// reserveLocal takes a place in this process after reading the budget in the store. The
// start it returns is unused: the failure is counted in whatever window is current.
func (t *failureThrottle) reserveLocal(ctx context.Context, key string) (time.Time, time.Duration, bool, error) {
	var timeout <-chan time.Time
	var w voci.FailureWindow
	var read time.Time
	for {
		changed := t.changedChan()
		now := t.clock()
		// A request woken because a place was given back here looks at this process's count
		// first; it reads the store again only when its last read is older than a poll, so
		// that a class waiting behind one address does not read the store at every join.
		if read.IsZero() || time.Since(read) >= pollEvery {
			var err error
			if w, err = t.store.FindFailures(ctx, key, now); err != nil {
				return time.Time{}, 0, false, err
			}
			read = time.Now()
		}
		t.mu.Lock()
		t.sweep(now)
		lw := t.learn(key, w, now)
		if lw.failures+lw.running+w.Running < t.max {
			lw.running++
			t.mu.Unlock()
			return time.Time{}, 0, true, nil
		}
		retry := lw.end.Sub(now)
		exhausted := lw.failures >= t.max
		t.mu.Unlock()
		if exhausted {
			return time.Time{}, retry, false, nil
		}
		if timeout == nil {
			timer := time.NewTimer(t.wait)
			defer timer.Stop()
			timeout = timer.C
		}
		if !t.await(ctx, changed, timeout) {
			return time.Time{}, retry, false, nil
		}
	}
}

// finishLocal counts a failure in the store first, and only then gives the place back: a
// request that finds the place free also finds the failure, here or in the store.
func (t *failureThrottle) finishLocal(ctx context.Context, key string, _ time.Time, failed bool) {
	var w voci.FailureWindow
	counted := false
	if failed {
		var err error
		w, err = t.store.AddFailure(ctx, key, t.window, t.clock())
		counted = err == nil
	}
	t.mu.Lock()
	lw := t.local[key]
	if counted {
		lw = t.learn(key, w, t.clock())
	}
	if lw != nil && lw.running > 0 {
		lw.running--
	}
	t.mu.Unlock()
	t.wake()
}

// learn merges what the store says of key's window into what this process knows, and
// returns the result; t.mu is held.
func (t *failureThrottle) learn(key string, w voci.FailureWindow, now time.Time) *localWindow {
	lw := t.local[key]
	if lw == nil {
		lw = &localWindow{}
		t.local[key] = lw
	}
	if !lw.end.After(now) {
		lw.end, lw.failures = time.Time{}, 0 // what was known has ended
	}
	switch {
	case w.End.After(lw.end):
		lw.end, lw.failures = w.End, w.Failures
	case w.End.Equal(lw.end):
		lw.failures = max(lw.failures, w.Failures)
	}
	if lw.end.IsZero() {
		lw.end = now.Add(t.window) // nothing failed yet: a refusal's wait is at most a window
	}
	return lw
}

func (t *failureThrottle) changedChan() chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}

// wake wakes the requests of this process waiting for a place.
func (t *failureThrottle) wake() {
	t.mu.Lock()
	close(t.changed)
	t.changed = make(chan struct{})
	t.mu.Unlock()
}

// await waits for a place given back here, the next poll, the end of the wait or of the
// request; false when the wait is over.
func (t *failureThrottle) await(ctx context.Context, changed chan struct{}, timeout <-chan time.Time) bool {
	poll := time.NewTimer(pollEvery)
	defer poll.Stop()
	select {
	case <-changed:
	case <-poll.C:
	case <-timeout:
		return false
	case <-ctx.Done():
		return false
	}
	return true
}

// sweep forgets, now and then, what this process knows of windows that ended and that no
// request of its holds a place in, so that the map does not grow without bound.
func (t *failureThrottle) sweep(now time.Time) {
	if now.Sub(t.swept) < t.window {
		return
	}
	for k, w := range t.local {
		if !w.end.After(now) && w.running == 0 {
			delete(t.local, k)
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
// Retry-After, without hashing. Unlike the failure budgets, the bound stays in each process:
// what it protects is that process's own CPU and memory, which a count shared with other
// instances would not.
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
