package httpapi

import (
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/sqlitestore"
)

// openThrottleStore is a real store in a fresh file, for the budgets of a throttle alone.
func openThrottleStore(t *testing.T) *sqlitestore.Store {
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestFailureThrottleCountsOnlyFailures(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	th := newFailureThrottle(openThrottleStore(t), "joins", 3, time.Minute, clock, func(*fiber.Ctx) string { return "school" },
		func(c *fiber.Ctx, _ time.Duration) error { return c.SendStatus(fiber.StatusTooManyRequests) })
	app := fiber.New()
	app.Post("/join/:result", th.handler, func(c *fiber.Ctx) error {
		if c.Params("result") == "ok" {
			time.Sleep(20 * time.Millisecond) // all in flight together
			return c.SendStatus(fiber.StatusCreated)
		}
		return c.SendStatus(fiber.StatusNotFound)
	})
	call := func(result string) int {
		resp, err := app.Test(httptest.NewRequest("POST", "/join/"+result, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}

	// A class of thirty joining together is not throttled.
	var wg sync.WaitGroup
	refused := 0
	var rmu sync.Mutex
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if call("ok") != fiber.StatusCreated {
				rmu.Lock()
				refused++
				rmu.Unlock()
			}
		}()
	}
	wg.Wait()
	if refused > 0 {
		t.Fatalf("%d of 30 simultaneous successful joins refused", refused)
	}

	for i := range 3 {
		if got := call("wrong"); got != fiber.StatusNotFound {
			t.Fatalf("wrong code %d: %d", i+1, got)
		}
	}
	if got := call("wrong"); got != fiber.StatusTooManyRequests {
		t.Fatalf("fourth wrong code: %d, want 429", got)
	}
	if got := call("ok"); got != fiber.StatusTooManyRequests {
		t.Fatalf("a throttled client may still try: %d", got)
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if got := call("ok"); got != fiber.StatusCreated {
		t.Fatalf("after the window: %d", got)
	}
}

// TestFailureThrottleReservesBeforeTheWork: wrong attempts sent all at once reach the work
// no more often than the limit, however they interleave; the others are refused.
func TestFailureThrottleReservesBeforeTheWork(t *testing.T) {
	th := newFailureThrottle(openThrottleStore(t), "login", 10, time.Minute, time.Now, func(*fiber.Ctx) string { return "email:ana@example.ro" },
		func(c *fiber.Ctx, retry time.Duration) error {
			c.Set(fiber.HeaderRetryAfter, retryAfterSeconds(retry))
			return c.SendStatus(fiber.StatusTooManyRequests)
		})
	var mu sync.Mutex
	ran, running, most := 0, 0, 0
	release := make(chan struct{})
	app := fiber.New()
	app.Post("/login", th.slowHandler, func(c *fiber.Ctx) error {
		mu.Lock()
		ran++
		running++
		most = max(most, running)
		mu.Unlock()
		<-release // the slow work: every admitted request is inside at once
		mu.Lock()
		running--
		mu.Unlock()
		return c.SendStatus(fiber.StatusUnauthorized)
	})
	const n = 60
	statuses := make(chan int, n)
	retryAfter := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			resp, err := app.Test(httptest.NewRequest("POST", "/login", nil), -1)
			if err != nil {
				t.Error(err)
				return
			}
			statuses <- resp.StatusCode
			if resp.StatusCode == fiber.StatusTooManyRequests {
				retryAfter <- resp.Header.Get(fiber.HeaderRetryAfter)
			}
		})
	}
	// Wait until the limit's worth of requests is inside, then let them fail.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		inside := running
		mu.Unlock()
		if inside == 10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests inside; want 10", inside)
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	wg.Wait()
	close(statuses)
	close(retryAfter)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	for r := range retryAfter {
		if r == "" || r == "0" {
			t.Fatalf("a refusal with Retry-After %q", r)
		}
	}
	if ran != 10 || most > 10 || counts[fiber.StatusUnauthorized] != 10 || counts[fiber.StatusTooManyRequests] != n-10 {
		t.Fatalf("ran %d (at most %d at once), answers %v; want 10 runs and %d refusals", ran, most, counts, n-10)
	}
}
