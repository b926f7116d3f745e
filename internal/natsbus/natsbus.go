// Package natsbus is the live bus over NATS (core NATS, no JetStream), for several Voci
// instances that serve one platform: an event one instance publishes reaches the rooms of
// every instance.
//
// The connection is made in the background and kept for the life of the process: while NATS
// cannot be reached, Ready reports it (so /readyz answers 503), the reason is logged, and
// the client retries with a growing delay, for ever. Publishes made meanwhile are held in a
// bounded buffer and sent on reconnection; core NATS keeps nothing for a subscriber that was
// away, so a reconnection is announced (OnReconnect) for the rooms to read the store again.
package natsbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

// Config is how to reach NATS.
type Config struct {
	// URL is one server (nats://host:4222, or tls://host:4222 for TLS with the system's
	// roots) or several, separated by commas.
	URL string
	// CredsFile is a NATS credentials file (a user JWT and its NKey seed); empty for none.
	CredsFile string
	// Name is this connection's name in the server's monitoring.
	Name string
	// ReconnectBuffer bounds the bytes of publishes held while reconnecting (default 8 MiB);
	// beyond it Publish fails, and the event is lost rather than memory.
	ReconnectBuffer int
	// MaxReconnectDelay bounds the delay between attempts (default 10 s).
	MaxReconnectDelay time.Duration
	Logger            *slog.Logger
}

// Bus is a live.Bus over one NATS connection. It is safe for concurrent use.
type Bus struct {
	nc          *nats.Conn
	logger      *slog.Logger
	closed      chan struct{}
	closeOnce   sync.Once
	onReconnect atomic.Pointer[func()]
}

// Open connects to NATS. It returns at once, connected or not: an unreachable server is
// retried in the background (see Ready). It fails only for a configuration that cannot
// work, such as a malformed URL or an unreadable credentials file.
func Open(cfg Config) (*Bus, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ReconnectBuffer == 0 {
		cfg.ReconnectBuffer = 8 << 20
	}
	if cfg.MaxReconnectDelay == 0 {
		cfg.MaxReconnectDelay = 10 * time.Second
	}
	b := &Bus{logger: cfg.Logger, closed: make(chan struct{})}
	log := cfg.Logger
	opts := []nats.Option{
		nats.Name(cfg.Name),
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.CustomReconnectDelay(backoff(cfg.MaxReconnectDelay)),
		nats.ReconnectBufSize(cfg.ReconnectBuffer),
		// A server that vanished without closing the TCP connection is noticed within 30 s.
		nats.PingInterval(10 * time.Second),
		nats.MaxPingsOutstanding(3),
		nats.Timeout(5 * time.Second),
		nats.DrainTimeout(5 * time.Second),
		nats.ConnectHandler(func(nc *nats.Conn) {
			log.Info("live bus: connected to NATS", "url", nc.ConnectedUrlRedacted())
		}),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if nc.IsClosed() || nc.IsDraining() {
				return
			}
			log.Warn("live bus: disconnected from NATS; live events between instances wait until it is back", "error", err)
		}),
		nats.ReconnectErrHandler(func(nc *nats.Conn, err error) {
			log.Warn("live bus: cannot reach NATS; retrying", "error", err)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("live bus: reconnected to NATS", "url", nc.ConnectedUrlRedacted())
			if f := b.onReconnect.Load(); f != nil {
				(*f)()
			}
		}),
		nats.ClosedHandler(func(*nats.Conn) { b.closeOnce.Do(func() { close(b.closed) }) }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Warn("live bus: NATS error", "subject", subject, "error", err)
		}),
	}
	if cfg.CredsFile != "" {
		opts = append(opts, nats.UserCredentials(cfg.CredsFile))
	}
	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("NATS %s: %w", cfg.URL, err)
	}
	b.nc = nc
	if !nc.IsConnected() {
		log.Warn("live bus: NATS is not reachable yet; retrying in the background", "url", cfg.URL)
	}
	return b, nil
}

// backoff doubles the delay between attempts from a quarter of a second up to max, with up
// to a fifth of jitter, so that instances restarted together do not knock in step.
func backoff(max time.Duration) nats.ReconnectDelayHandler {
	return func(attempts int) time.Duration {
		d := 250 * time.Millisecond << min(attempts, 16)
		d = min(d, max)
		return d + rand.N(d/5+1)
	}
}

// OnReconnect sets what is called, on a goroutine of the client's, after the connection
// came back (not after the first connection). Events published by other instances while this
// one was away are lost, so the rooms must read the store again.
func (b *Bus) OnReconnect(f func()) { b.onReconnect.Store(&f) }

// Publish sends data to every subscriber of subject on every instance. While reconnecting it
// buffers; it fails when that buffer is full or the bus is closed.
func (b *Bus) Publish(subject string, data []byte) error {
	return b.nc.Publish(subject, data)
}

// Subscribe calls fn, on a goroutine of this subscription, for each message on subject,
// in the order published by each instance, until unsubscribe is called. fn owns data.
func (b *Bus) Subscribe(subject string, fn func(data []byte)) (func(), error) {
	sub, err := b.nc.Subscribe(subject, func(m *nats.Msg) { fn(m.Data) })
	if err != nil {
		return nil, err
	}
	return func() {
		// Fails only when the connection is already closed, which unsubscribes everything.
		_ = sub.Unsubscribe()
	}, nil
}

// ErrNotConnected is Ready's answer while NATS cannot be reached.
var ErrNotConnected = errors.New("not connected to NATS")

// Ready reports whether events reach the other instances now: nil when connected,
// ErrNotConnected (with the connection's state) otherwise.
func (b *Bus) Ready() error {
	if b.nc.IsConnected() {
		return nil
	}
	return fmt.Errorf("%w (%s)", ErrNotConnected, b.nc.Status())
}

// Close drains the connection, so that what was published is sent, and closes it, within
// ctx. A connection that is down is closed at once; what its buffer held is lost.
func (b *Bus) Close(ctx context.Context) error {
	if err := b.nc.Drain(); err != nil {
		b.nc.Close()
		return nil
	}
	select {
	case <-b.closed:
		return nil
	case <-ctx.Done():
		b.nc.Close()
		return ctx.Err()
	}
}
