package httpapi

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// failureThrottle refuses a client once it has failed max times within a window: wrong join
// codes, wrong passwords. Only answers of 400 and above count, and they count after the
// answer is known. Fiber's limiter counts every request on arrival and gives successes back
// afterwards, so thirty children of one class joining together through their school's single
// address would be refused for what are, in the end, thirty successes.
type failureThrottle struct {
	max    int
	window time.Duration
	clock  voci.Clock
	key    func(*fiber.Ctx) string
	refuse func(*fiber.Ctx) error

	mu      sync.Mutex
	windows map[string]*failureWindow
	swept   time.Time
}

type failureWindow struct {
	start    time.Time
	failures int
}

func newFailureThrottle(max int, window time.Duration, clock voci.Clock, key func(*fiber.Ctx) string, refuse func(*fiber.Ctx) error) *failureThrottle {
	return &failureThrottle{max: max, window: window, clock: clock, key: key, refuse: refuse, windows: map[string]*failureWindow{}}
}

func (t *failureThrottle) handler(c *fiber.Ctx) error {
	return t.handlerCounting(func(status int) bool { return status >= 400 && status != fiber.StatusTooManyRequests })(c)
}

// handlerCounting is handler counting only the answers whose status counts says are failures,
// in the same windows: routes may differ on what a failure is and still share one budget.
func (t *failureThrottle) handlerCounting(counts func(status int) bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := t.key(c)
		if t.failures(key) >= t.max {
			return t.refuse(c)
		}
		err := c.Next()
		if status := c.Response().StatusCode(); err == nil && counts(status) {
			t.fail(key)
		}
		return err
	}
}

func (t *failureThrottle) failures(key string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.windows[key]
	if w == nil || t.clock().Sub(w.start) >= t.window {
		return 0
	}
	return w.failures
}

func (t *failureThrottle) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock()
	if now.Sub(t.swept) >= t.window {
		// Forget finished windows now and then, so that the map does not grow without bound.
		for k, w := range t.windows {
			if now.Sub(w.start) >= t.window {
				delete(t.windows, k)
			}
		}
		t.swept = now
	}
	w := t.windows[key]
	if w == nil || now.Sub(w.start) >= t.window {
		w = &failureWindow{start: now}
		t.windows[key] = w
	}
	w.failures++
}
