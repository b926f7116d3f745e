package httpapi

import (
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

func TestFailureThrottleCountsOnlyFailures(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	th := newFailureThrottle(3, time.Minute, clock, func(*fiber.Ctx) string { return "school" },
		func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusTooManyRequests) })
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
