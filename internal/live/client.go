package live

import (
	"net"
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
type client struct {
	stats         *counters
	role          Role
	participantID string // for participants
	t             Transport
	send          chan []byte
	done          chan struct{}
	closeOnce     sync.Once
	closeCode     atomic.Int32
	closeReason   atomic.Value // string
	removed       atomic.Bool
}

func newClient(stats *counters, role Role, t Transport, queue int) *client {
	return &client{stats: stats, role: role, t: t, send: make(chan []byte, queue), done: make(chan struct{})}
}

// enqueue hands msg to the writer without waiting. It reports false, and closes the client,
// when the queue is full.
func (c *client) enqueue(msg []byte) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.send <- msg:
		return true
	default:
		c.close(CloseTooSlow, "too slow")
		return false
	}
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

// writeLoop is the connection's only writer: queued messages, pings, and the close frame.
func (c *client) writeLoop(cfg Config) {
	ping := time.NewTicker(cfg.PingInterval)
	defer ping.Stop()
	defer func() {
		// The peer has a second to answer the close frame; then the reader gives up, Serve
		// returns and the server closes the connection.
		c.t.NetConn().SetReadDeadline(time.Now().Add(time.Second))
		c.t.Close()
	}()
	for {
		select {
		case msg := <-c.send:
			if c.closed() {
				c.finish()
				return
			}
			c.t.SetWriteDeadline(time.Now().Add(cfg.WriteWait))
			if err := c.t.WriteMessage(TextMessage, msg); err != nil {
				c.close(CloseGoingAway, "")
				c.finish()
				return
			}
		case <-ping.C:
			if err := c.t.WriteControl(PingMessage, nil, time.Now().Add(cfg.WriteWait)); err != nil {
				c.close(CloseGoingAway, "")
				c.finish()
				return
			}
		case <-c.done:
			c.finish()
			return
		}
	}
}

// finish sends what was queued before the close (the final state, "you were removed") and
// the close frame, within one second: a client that does not read gets no longer. A client
// dropped for being too slow gets nothing more.
func (c *client) finish() {
	code := int(c.closeCode.Load())
	if code == CloseTooSlow {
		return
	}
	reason, _ := c.closeReason.Load().(string)
	deadline := time.Now().Add(time.Second)
	c.t.SetWriteDeadline(deadline)
	for drained := false; !drained; {
		select {
		case msg := <-c.send:
			if c.t.WriteMessage(TextMessage, msg) != nil {
				return
			}
		default:
			drained = true
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
