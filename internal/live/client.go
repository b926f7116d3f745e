package live

import (
	"net"

	"github.com/voci-platform/voci/internal/voci"
	"sync"
	"sync/atomic"
	"time"
)

// Websocket message types and close codes (RFC 6455), so that this package needs no
// websocket library: the HTTP layer hands it a Transport.
const (
	TextMessage   = 1
	BinaryMessage = 2
	CloseMessage  = 8
	PingMessage   = 9
	PongMessage   = 10

	CloseNormal        = 1000
	CloseGoingAway     = 1001
	ClosePolicy        = 1008
	CloseTooBig        = 1009
	CloseTryAgainLater = 1013
	// Application codes (4000–4999).
	CloseReplaced     = 4001 // the participant connected again elsewhere
	CloseRemoved      = 4003 // the facilitator removed the participant
	CloseSessionEnded = 4004
	CloseTooSlow      = 4008 // the client did not read its messages fast enough
	CloseFlood        = 4029 // the client kept sending faster than its rate limit
)

// Transport is one websocket connection. *websocket.Conn of gorilla/websocket and its forks
// (fasthttp/websocket, used by gofiber/websocket) implement it. Close and WriteControl may be
// called concurrently with the other methods; the others have one caller each (the reader,
// or the single writer goroutine).
type Transport interface {
	ReadMessage() (messageType int, data []byte, err error)
	WriteMessage(messageType int, data []byte) error
	WriteControl(messageType int, data []byte, deadline time.Time) error
	SetReadLimit(limit int64)
	SetReadDeadline(t time.Time) error
	SetWriteDeadline(t time.Time) error
	SetPongHandler(h func(appData string) error)
	Close() error
	// NetConn is the network connection underneath. Its deadlines are how a connection is cut
	// at once: some servers (fasthttp among them) close a hijacked connection only when its
	// handler returns, so Close alone does not unblock a reader or a stuck writer.
	NetConn() net.Conn
}

// Role is what a connection may do in a room.
type Role string

const (
	RoleParticipant Role = "participant" // a child: answers, alias, profile, help
	RolePresenter   Role = "presenter"   // the projector: reads only
	RoleFacilitator Role = "facilitator" // runs the session
)

// client is one connection in a room. Its queue is bounded; whoever enqueues never waits:
// a full queue means the client does not keep up, and it is dropped.
//
// The connection has exactly one writer at a time, but not a goroutine for its whole life:
// a writer starts when a message is queued and ends when the queue is empty, and pings come
// from a timer (WriteControl may run beside a writer). Most of a room's ten thousand phones
// sit idle between questions, and a parked writer goroutine per phone cost its stack in
// memory and in every garbage-collection cycle's scan.
type client struct {
	stats         *counters
	cfg           Config
	role          Role
	participantID string // for participants
	// lang is a participant's language: the room sends them the question in it, where the
	// consultation offers it.
	lang voci.Lang
	t    Transport
	// queue holds the messages waiting for the writer, at most cfg.SendQueue besides the batch
	// being written. A slice (nil
	// when empty) rather than a channel, whose buffer every idle phone would hold.
	mu          sync.Mutex
	queue       [][]byte
	done        chan struct{}
	closeOnce   sync.Once
	closeCode   atomic.Int32
	closeReason atomic.Value // string
	removed     atomic.Bool
	// writing is true while a writer runs, and stays true after the last one has sent the
	// close frame, so that no writer starts again.
	writing atomic.Bool
	// finished is closed when the close frame has been sent and the transport closed.
	finished chan struct{}
	pinger   *time.Timer
}

func newClient(stats *counters, role Role, t Transport, cfg Config) *client {
	c := &client{stats: stats, cfg: cfg, role: role, t: t, done: make(chan struct{}), finished: make(chan struct{})}
	c.pinger = time.AfterFunc(cfg.PingInterval, c.ping)
	return c
}

// enqueue hands msg to the writer without waiting. It reports false, and closes the client,
// when the queue is full.
func (c *client) enqueue(msg []byte) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	c.mu.Lock()
	full := len(c.queue) >= c.cfg.SendQueue
	if !full {
		c.queue = append(c.queue, msg)
	}
	c.mu.Unlock()
	if full {
		c.close(CloseTooSlow, "too slow")
		return false
	}
	c.wakeWriter()
	return true
}

// takeQueue empties the queue and returns what it held.
func (c *client) takeQueue() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queue
	c.queue = nil
	return q
}

func (c *client) queued() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue) > 0
}

// close asks the writer to send a close frame with code and end the connection.
func (c *client) close(code int, reason string) {
	c.closeOnce.Do(func() {
		c.closeCode.Store(int32(code))
		c.closeReason.Store(reason)
		close(c.done)
		switch code {
		case CloseTooSlow:
			c.stats.slow.Add(1)
		case CloseFlood:
			c.stats.flood.Add(1)
		}
		if code == CloseTooSlow {
			// The writer may be stuck on the full socket until its write deadline: cut the
			// connection now, so that the reader returns and the room forgets the client at
			// once. A client that does not read would not read a close frame either.
			c.t.NetConn().SetDeadline(time.Unix(1, 0))
		}
		c.wakeWriter()
	})
}

func (c *client) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// wakeWriter starts a writer unless one is running.
func (c *client) wakeWriter() {
	if c.writing.CompareAndSwap(false, true) {
		go c.write()
	}
}

// write is the connection's writer while it runs: it sends what is queued, and ends when the
// queue is empty, or, once the client is closed, after the close frame.
func (c *client) write() {
	for {
		for {
			if c.closed() {
				c.finish()
				return
			}
			msgs := c.takeQueue()
			if len(msgs) == 0 {
				break
			}
			c.t.SetWriteDeadline(time.Now().Add(c.cfg.WriteWait))
			for _, msg := range msgs {
				if err := c.t.WriteMessage(TextMessage, msg); err != nil {
					c.close(CloseGoingAway, "")
					break
				}
			}
		}
		c.writing.Store(false)
		// A message queued, or a close, between the last look and the line above found a
		// writer still running and started none: look again.
		if !c.queued() && !c.closed() {
			return
		}
		if !c.writing.CompareAndSwap(false, true) {
			return // another writer took over
		}
	}
}

// ping keeps the connection alive and detects a dead peer; it runs on the client's timer.
func (c *client) ping() {
	if c.closed() {
		return
	}
	if err := c.t.WriteControl(PingMessage, nil, time.Now().Add(c.cfg.WriteWait)); err != nil {
		c.close(CloseGoingAway, "")
		return
	}
	c.pinger.Reset(c.cfg.PingInterval)
}

// finish sends what was queued before the close (the final state, "you were removed") and
// the close frame, within one second: a client that does not read gets no longer. A client
// dropped for being too slow gets nothing more. Then the peer has a second to answer the
// close frame before the reader gives up, Serve returns and the server closes the connection.
func (c *client) finish() {
	c.pinger.Stop()
	defer close(c.finished)
	defer func() {
		c.t.NetConn().SetReadDeadline(time.Now().Add(time.Second))
		c.t.Close()
	}()
	code := int(c.closeCode.Load())
	if code == CloseTooSlow {
		return
	}
	reason, _ := c.closeReason.Load().(string)
	deadline := time.Now().Add(time.Second)
	c.t.SetWriteDeadline(deadline)
	for _, msg := range c.takeQueue() {
		if c.t.WriteMessage(TextMessage, msg) != nil {
			return
		}
	}
	c.t.WriteControl(CloseMessage, formatClose(code, reason), deadline)
}

func formatClose(code int, reason string) []byte {
	b := []byte{byte(code >> 8), byte(code)}
	return append(b, reason...)
}

// bucket is a token bucket: rate tokens a second, up to burst.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
}

func newBucket(rate, burst float64, now time.Time) *bucket {
	return &bucket{rate: rate, burst: burst, tokens: burst, last: now}
}

func (b *bucket) allow(now time.Time) bool {
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}
