package natsbus_test

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/natsbus"
	"github.com/voci-platform/voci/internal/natsbus/natstest"
)

var _ live.Bus = (*natsbus.Bus)(nil)

func open(t *testing.T, url string) *natsbus.Bus {
	t.Helper()
	b, err := natsbus.Open(natsbus.Config{URL: url, Name: t.Name(), MaxReconnectDelay: 200 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	return b
}

// eventually polls ok until it holds, failing after a generous deadline.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type inbox struct {
	mu  sync.Mutex
	got []string
}

func (in *inbox) add(b []byte) { in.mu.Lock(); in.got = append(in.got, string(b)); in.mu.Unlock() }
func (in *inbox) has(s string) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, g := range in.got {
		if g == s {
			return true
		}
	}
	return false
}
func (in *inbox) all() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.got...)
}

func TestPublishReachesSubscribersOfOtherConnections(t *testing.T) {
	srv := natstest.Run(t, -1)
	a, b := open(t, srv.ClientURL()), open(t, srv.ClientURL())
	eventually(t, "ready", func() bool { return a.Ready() == nil && b.Ready() == nil })

	var s1, s2 inbox
	unsubscribe, err := b.Subscribe("voci.live.s1", s1.add)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Subscribe("voci.live.s2", s2.add); err != nil {
		t.Fatal(err)
	}
	// A subscription is in force once the server has it; publish until it is heard.
	eventually(t, "delivered", func() bool {
		if err := a.Publish("voci.live.s1", []byte("first")); err != nil {
			t.Fatal(err)
		}
		return s1.has("first")
	})
	if got := s2.all(); len(got) != 0 {
		t.Fatalf("another session's subscriber heard %v", got)
	}

	// Unsubscribing takes effect at once on this side: nothing arrives after it, even what
	// the server had already sent. A message on s2 sent after marks when to look.
	unsubscribe()
	a.Publish("voci.live.s1", []byte("after"))
	a.Publish("voci.live.s2", []byte("marker"))
	eventually(t, "the marker delivered", func() bool { return s2.has("marker") })
	if s1.has("after") {
		t.Fatal("a message arrived after unsubscribing")
	}
}

func TestReconnectsAfterTheServerRestarts(t *testing.T) {
	srv := natstest.Run(t, -1)
	port := srv.Addr().(*net.TCPAddr).Port
	a, b := open(t, srv.ClientURL()), open(t, srv.ClientURL())
	var reconnected sync.WaitGroup
	reconnected.Add(1)
	var once sync.Once
	b.OnReconnect(func() { once.Do(reconnected.Done) })
	var got inbox
	if _, err := b.Subscribe("voci.live.s1", got.add); err != nil {
		t.Fatal(err)
	}
	eventually(t, "delivered before the restart", func() bool {
		a.Publish("voci.live.s1", []byte("before"))
		return got.has("before")
	})

	srv.Shutdown()
	srv.WaitForShutdown()
	eventually(t, "unready while NATS is down", func() bool { return a.Ready() != nil && b.Ready() != nil })
	// Publishing while down is buffered, not refused.
	if err := a.Publish("voci.live.s1", []byte("while down")); err != nil {
		t.Fatalf("publish while reconnecting: %v", err)
	}

	natstest.Run(t, port)
	eventually(t, "ready again", func() bool { return a.Ready() == nil && b.Ready() == nil })
	reconnected.Wait()
	// The subscription is restored by the client; the buffered message may or may not find
	// it there (a's buffer can be flushed before b resubscribed), a new one does.
	eventually(t, "delivered after the restart", func() bool {
		a.Publish("voci.live.s1", []byte("after"))
		return got.has("after")
	})
}

func TestUnreachableAtStartIsRetried(t *testing.T) {
	// Take a free port, then let it go: nobody listens there until the server starts.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	b := open(t, "nats://"+ln.Addr().String())
	if b.Ready() == nil {
		t.Fatal("ready with no server")
	}
	var got inbox
	if _, err := b.Subscribe("voci.live.s1", got.add); err != nil {
		t.Fatalf("subscribe while not connected: %v", err)
	}
	natstest.Run(t, port)
	eventually(t, "connected once the server is up", func() bool { return b.Ready() == nil })
	eventually(t, "the early subscription in force", func() bool {
		b.Publish("voci.live.s1", []byte("hello"))
		return got.has("hello")
	})
}

func TestMalformedURLIsRefused(t *testing.T) {
	if _, err := natsbus.Open(natsbus.Config{URL: "nats://host:notaport"}); err == nil {
		t.Fatal("a malformed URL was accepted")
	}
}

func TestCloseWithinItsDeadline(t *testing.T) {
	srv := natstest.Run(t, -1)
	b := open(t, srv.ClientURL())
	eventually(t, "ready", func() bool { return b.Ready() == nil })
	b.Subscribe("voci.live.s1", func([]byte) {})
	b.Publish("voci.live.s1", []byte("x"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if b.Publish("voci.live.s1", []byte("y")) == nil {
		t.Fatal("published after Close")
	}
	// Closing a bus whose server is gone does not wait.
	srv2 := natstest.Run(t, -1)
	c := open(t, srv2.ClientURL())
	eventually(t, "ready", func() bool { return c.Ready() == nil })
	srv2.Shutdown()
	eventually(t, "unready", func() bool { return c.Ready() != nil })
	start := time.Now()
	c.Close(ctx)
	if time.Since(start) > 2*time.Second {
		t.Fatalf("Close of a disconnected bus took %v", time.Since(start))
	}
}
