// Package live runs live sessions: one room per session, owned by one goroutine (Room.Run),
// with every connection served by its own reader (Hub.Serve) and its own single writer.
//
// Answers are checked and stored by the reader of the child's connection, so that durable
// writes run side by side and none waits for the room; the room only hears that an answer was
// stored and updates its tallies in memory. Tallies are encoded once, at most every
// Config.TallyInterval, and the same bytes are queued to every presenter and facilitator.
// Queues are bounded and never waited for: a client whose queue is full is dropped (close
// code 4008) and may reconnect; nobody else slows down.
//
// The message set is in PROTOCOL.md.
package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/voci-platform/voci/internal/strictjson"
	"github.com/voci-platform/voci/internal/voci"
)

// Config tunes the engine; DefaultConfig suits a room of 10,000 children.
type Config struct {
	TallyInterval time.Duration // how often changed tallies are sent
	SendQueue     int           // messages queued per connection before it is dropped
	ReadLimit     int64         // largest message accepted, in bytes
	PingInterval  time.Duration
	PongWait      time.Duration // a connection silent for this long is closed
	WriteWait     time.Duration
	// Participants may send Rate messages a second, in bursts of Burst; a client that keeps
	// exceeding it (FloodLimit messages refused) is disconnected.
	Rate, Burst           float64
	AdultRate, AdultBurst float64
	FloodLimit            int
	// IdleRoom stops a room that has had no connection for this long; the next connection
	// starts it again from the store.
	IdleRoom time.Duration
	// AdultRecheck is how often every adult's connection checks its rights again, in case
	// the bus lost the news that they were taken away. AdultRecheckTicks, when set, drives
	// these checks instead (tests).
	AdultRecheck      time.Duration
	AdultRecheckTicks <-chan time.Time
}

// DefaultConfig is the configuration of production.
var DefaultConfig = Config{
	TallyInterval: 100 * time.Millisecond,
	SendQueue:     64,
	ReadLimit:     4096,
	PingInterval:  20 * time.Second,
	PongWait:      50 * time.Second,
	WriteWait:     10 * time.Second,
	Rate:          5, Burst: 10,
	AdultRate: 20, AdultBurst: 40,
	FloodLimit:   50,
	IdleRoom:     10 * time.Minute,
	AdultRecheck: 20 * time.Second,
}

// Identity is who is behind a connection, established by the HTTP layer at the upgrade.
type Identity struct {
	Role Role
	// Participant is the child, for RoleParticipant.
	Participant *voci.Participant
	// AccountID and Reauthorize are for adults. Reauthorize is called before each command an
	// adult sends, when the account's access changed (Hub.AccessChanged, from any instance)
	// and every Config.AdultRecheck: a connection whose adult is no longer allowed in
	// (EUNAUTHORIZED, EFORBIDDEN) is closed with 1008.
	AccountID   string
	Reauthorize func(ctx context.Context) error
	// Audit, for adults, makes the audit entry of a command that changes the session, under
	// the action (and object) of the REST request that makes the same change, so that the
	// trail is the same whichever way the facilitator acted. The room has the store write the
	// entry with the change; nil records nothing.
	Audit AuditEntries
}

// AuditEntries makes the audit entry of a change made by one adult: the action, object and
// detail are the room's, the actor and request the caller's. It is called in the room's
// goroutine, so it must not use anything of a request that may have ended.
type AuditEntries func(action, objectType, objectID, detail string) *voci.AuditEntry

func (f AuditEntries) entry(a commandAudit) *voci.AuditEntry {
	if f == nil || a.action == "" {
		return nil
	}
	return f(a.action, a.objectType, a.objectID, a.detail)
}

// Hub keeps the rooms of this instance.
type Hub struct {
	svc    *voci.Participation
	bus    Bus
	clock  voci.Clock
	logger *slog.Logger
	cfg    Config

	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	rooms  map[string]*Room
	wg     sync.WaitGroup
	stats  counters
	// publishFailing is set while the bus refuses events.
	publishFailing atomic.Bool
	// adults are the adults' connections, checked again when their access changes.
	adults adults
	// alsoRecheck hear every access change this instance checks (see OnAccessChanged).
	alsoRecheck []func(accountID string)
	// unsubscribe ends the subscription to access changes.
	unsubscribe func()
}

type counters struct {
	connections atomic.Int64
	slow, flood atomic.Int64
	answers     atomic.Int64
}

// Stats are the hub's figures for monitoring.
type Stats struct {
	Rooms       int   // rooms running on this instance
	Connections int64 // open websocket connections
	DroppedSlow int64 // connections dropped because they did not read fast enough
	Flooding    int64 // connections closed for sending faster than their rate limit
	Answers     int64 // answers stored and acknowledged (retries not counted)
}

// Stats returns the hub's current figures.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	rooms := len(h.rooms)
	h.mu.Unlock()
	return Stats{Rooms: rooms, Connections: h.stats.connections.Load(), DroppedSlow: h.stats.slow.Load(),
		Flooding: h.stats.flood.Load(), Answers: h.stats.answers.Load()}
}

// NewHub returns a hub. Rooms start when their first connection arrives and stop when the
// session ends or the hub shuts down.
func NewHub(svc *voci.Participation, bus Bus, clock voci.Clock, logger *slog.Logger, cfg Config) *Hub {
	ctx, cancel := context.WithCancel(context.Background())
	if clock == nil {
		clock = time.Now
	}
	h := &Hub{svc: svc, bus: bus, clock: clock, logger: logger, cfg: cfg, ctx: ctx, cancel: cancel, rooms: map[string]*Room{}}
	// Without the subscription, the periodic check still closes revoked connections.
	if unsub, err := bus.Subscribe(accountsSubject, h.onAccountEvent); err != nil {
		logger.Error("live: cannot hear access changes on the bus; adults' rights are checked periodically only", "error", err)
	} else {
		h.unsubscribe = unsub
	}
	ticks := cfg.AdultRecheckTicks
	if ticks == nil && cfg.AdultRecheck > 0 {
		t := time.NewTicker(cfg.AdultRecheck)
		context.AfterFunc(ctx, t.Stop)
		ticks = t.C
	}
	if ticks != nil {
		h.wg.Add(1)
		go h.runRechecks(ticks)
	}
	return h
}

// Shutdown closes every connection with 1001 (going away), so that clients reconnect to
// another instance or after the restart, and waits for the rooms to stop or ctx to end.
func (h *Hub) Shutdown(ctx context.Context) error {
	if h.unsubscribe != nil {
		h.unsubscribe()
	}
	h.cancel()
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Notify tells the room of a session, on whichever instance owns it, that its session,
// a participant or a text changed in the store.
func (h *Hub) Notify(sessionID string, ev busEvent) {
	b, _ := json.Marshal(ev)
	// While the bus is away and its buffer full, every answer would fail to publish: the
	// first failure is logged, then the recovery.
	if err := h.bus.Publish(sessionSubject(sessionID), b); err != nil {
		if !h.publishFailing.Swap(true) {
			h.logger.Warn("live: publish failed; further failures are not logged until one succeeds", "session", sessionID, "error", err)
		}
	} else if h.publishFailing.Swap(false) {
		h.logger.Info("live: publishing again")
	}
}

// Audit is what a command changed, as the audit trail records it: zero when it changed
// nothing.
type Audit struct{ Action, Detail string }

// Command has the session's room carry out a facilitator's command that came through REST
// (session.end, trust.set, joins.lock), starting the room on this instance if none runs: the
// room stays the only writer of its session, where a REST write beside it could undo a change
// it made meanwhile. The change is stored with the entry audit makes of it. It returns what
// changed, and the command's errors (ESESSIONENDED once the session is over).
func (h *Hub) Command(ctx context.Context, sessionID, typ string, data any, actorID string, audit AuditEntries) (Audit, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return Audit{}, err
	}
	// A room that has just stopped (idle) refuses the command; a second attempt starts a new one.
	for attempt := 0; ; attempt++ {
		r, err := h.room(ctx, sessionID)
		if err != nil {
			return Audit{}, err
		}
		changed, replied, err := r.command(ctx, typ, raw, actorID, audit)
		replied()
		if err != nil && attempt == 0 && voci.ErrorCode(err) == voci.ESESSIONENDED && r.stopped() {
			continue
		}
		return Audit{Action: changed.action, Detail: changed.detail}, err
	}
}

// SessionChanged tells the room to re-read its session (ended, trust changed).
func (h *Hub) SessionChanged(sessionID string) { h.Notify(sessionID, busEvent{Kind: "session"}) }

// ParticipantRemoved tells the room to disconnect a removed participant.
func (h *Hub) ParticipantRemoved(sessionID, participantID string) {
	h.Notify(sessionID, busEvent{Kind: "participant.removed", ParticipantID: participantID})
}

// TextModerated tells the room that a text was approved or rejected.
func (h *Hub) TextModerated(sessionID, answerID string) {
	h.Notify(sessionID, busEvent{Kind: "text.moderated", AnswerID: answerID})
}

// HelpRequested tells the facilitators of the session, on every instance (this one too: no
// From), that someone in the room needs help; never who. It is the Participation's
// SessionConsoles.
func (h *Hub) HelpRequested(sessionID string) { h.Notify(sessionID, busEvent{Kind: "help.requested"}) }

// Resync has every room of this instance read its session and tallies from the store again.
// Call it when the bus comes back after a disconnection: what other instances published
// meanwhile was lost. It also checks every adult's rights again. It does not wait.
func (h *Hub) Resync() {
	h.recheck("") // an access change may have been lost too
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.rooms {
		go r.send(resyncMsg{})
	}
}

// room returns the running room of the session, starting it if needed.
func (h *Hub) room(ctx context.Context, sessionID string) (*Room, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ctx.Err() != nil {
		return nil, voci.Errorf(voci.EUNAVAILABLE, "The server is restarting; connect again in a moment.")
	}
	if r, ok := h.rooms[sessionID]; ok && !r.stopped() {
		return r, nil
	}
	r, err := newRoom(ctx, h, sessionID)
	if err != nil {
		return nil, err
	}
	h.rooms[sessionID] = r
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		if err := r.Run(h.ctx); err != nil && !errors.Is(err, context.Canceled) {
			h.logger.Error("live: room stopped", "session", sessionID, "error", err)
		}
		h.mu.Lock()
		if h.rooms[sessionID] == r {
			delete(h.rooms, sessionID)
		}
		h.mu.Unlock()
	}()
	return r, nil
}

// Serve runs one connection of the session until it ends. It returns when the connection is
// closed and its writer has stopped, so the caller may release the transport.
func (h *Hub) Serve(ctx context.Context, t Transport, sessionID string, id Identity) {
	c := newClient(&h.stats, id.Role, t, h.cfg)
	h.stats.connections.Add(1)
	defer h.stats.connections.Add(-1)
	if id.Participant != nil {
		c.participantID, c.lang = id.Participant.ID, id.Participant.Lang
	}
	// Whatever ends the connection, its close frame is sent before Serve returns.
	defer func() { c.close(CloseNormal, ""); <-c.finished }()

	// A room that has just stopped (idle, see Config.IdleRoom) refuses the registration; a
	// second attempt starts a new one.
	var r *Room
	for attempt := 0; ; attempt++ {
		var err error
		r, err = h.room(ctx, sessionID)
		if err != nil {
			c.enqueue(errorMessage("", err))
			if voci.ErrorCode(err) == voci.ESESSIONENDED {
				c.close(CloseSessionEnded, "session ended")
			} else {
				c.close(CloseTryAgainLater, "unavailable")
			}
			return
		}
		if attempt == 0 {
			if !h.welcome(ctx, c, r, sessionID, id) {
				return
			}
		}
		if r.register(c) {
			break
		}
		if attempt == 1 {
			c.close(CloseTryAgainLater, "unavailable")
			return
		}
	}
	defer r.unregister(c)
	if id.Role != RoleParticipant && id.Reauthorize != nil {
		// Registered first, then checked: a right taken away after the upgrade's check is
		// caught by this check or by the event that announces it.
		ac := adultConn{client: c, check: id.Reauthorize}
		h.adults.add(id.AccountID, ac)
		defer h.adults.remove(id.AccountID, c)
		if h.checkAdult(ac); c.closed() {
			return
		}
	}

	t.SetReadLimit(h.cfg.ReadLimit)
	t.SetReadDeadline(time.Now().Add(h.cfg.PongWait))
	t.SetPongHandler(func(string) error { return t.SetReadDeadline(time.Now().Add(h.cfg.PongWait)) })
	// The reader runs until the transport fails; closing the client ends the writer, which
	// closes the transport and so ends the read below.

	rate, burst := h.cfg.Rate, h.cfg.Burst
	if id.Role != RoleParticipant {
		rate, burst = h.cfg.AdultRate, h.cfg.AdultBurst
	}
	limit := newBucket(rate, burst, time.Now())
	refused := 0
	var lastRefusal time.Time
	s := &session{hub: h, room: r, client: c, id: id}
	for {
		typ, data, err := t.ReadMessage()
		if err != nil {
			if isReadLimit(err) {
				c.close(CloseTooBig, "message too big")
			}
			c.close(CloseNormal, "")
			return
		}
		t.SetReadDeadline(time.Now().Add(h.cfg.PongWait))
		if c.closed() {
			return
		}
		now := time.Now()
		if !limit.allow(now) {
			refused++
			if refused >= h.cfg.FloodLimit {
				c.close(CloseFlood, "too many messages")
				return
			}
			if now.Sub(lastRefusal) >= time.Second {
				lastRefusal = now
				c.enqueue(errorMessage("", voci.Errorf(voci.ERATELIMITED, "Slow down: wait a moment before sending again.")))
			}
			continue
		}
		if typ != TextMessage || !utf8.Valid(data) {
			c.enqueue(errorMessage("", voci.Errorf(codeInvalidMessage, "Send messages as JSON text in UTF-8.")))
			continue
		}
		env, err := decodeEnvelope(data)
		if err != nil {
			c.enqueue(errorMessage("", err))
			continue
		}
		s.handle(ctx, env)
	}
}

// welcome queues the first message: the protocol, the role and, for a child, their current
// answers, so that a reconnecting phone shows what it already said. It reports false when
// the store could not be read (the client is then closed).
func (h *Hub) welcome(ctx context.Context, c *client, r *Room, sessionID string, id Identity) bool {
	w := welcomeData{Protocol: ProtocolVersion, Role: string(id.Role), SessionID: sessionID}
	if id.Participant != nil {
		w.Participant = toParticipantOut(id.Participant)
		// The store's engine runs deep frames; reading on a goroutine of its own keeps them off
		// the connection's stack, which lives as long as the phone is connected.
		var answers []voci.Answer
		var err error
		read := make(chan struct{})
		go func() {
			defer close(read)
			answers, err = h.svc.Store.ListParticipantAnswers(ctx, id.Participant.ID)
		}()
		<-read
		if err != nil {
			c.enqueue(errorMessage("", err))
			c.close(CloseTryAgainLater, "unavailable")
			return false
		}
		for _, a := range answers {
			w.Answers = append(w.Answers, answerOut{QuestionID: a.QuestionID, Choices: a.Choices, Text: a.Text, Moderation: string(a.Moderation)})
		}
	} else {
		w.JoinCode = r.joinCode
	}
	c.enqueue(encode(TypeWelcome, "", w))
	return true
}

// codeInvalidMessage answers a message that is not a well-formed envelope.
const codeInvalidMessage = "invalid_message"

// isReadLimit recognises the read-limit error of gorilla/websocket and its forks, which is not
// exported under one name.
func isReadLimit(err error) bool {
	return err != nil && err.Error() == "websocket: read limit exceeded"
}

// decodeEnvelope reads one frame as PROTOCOL.md says: a single JSON object {type, id, data}
// with nothing after it, no other field, and no key twice anywhere in it (the data included).
// Every refusal is an invalid_message error for the client, never a dropped connection.
func decodeEnvelope(frame []byte) (Envelope, error) {
	var env Envelope
	err := strictjson.Decode(frame, &env)
	var dup *strictjson.DuplicateKeyError
	var unknown *strictjson.UnknownFieldError
	switch {
	case errors.As(err, &dup):
		return env, &voci.Error{Code: codeInvalidMessage, Param: dup.Key, Message: fmt.Sprintf("The key %q is given twice in the message.", dup.Key)}
	case errors.As(err, &unknown):
		return env, &voci.Error{Code: codeInvalidMessage, Param: unknown.Field, Message: fmt.Sprintf("A message has type, id and data only, not %q.", unknown.Field)}
	case errors.Is(err, strictjson.ErrTrailingData):
		return env, voci.Errorf(codeInvalidMessage, "Send one JSON object per message, with nothing after it.")
	case err != nil || env.Type == "" || len(env.ID) > 64:
		return env, voci.Errorf(codeInvalidMessage, "A message is a JSON object {type, id, data}.")
	}
	return env, nil
}

// decode strictly decodes a message's data into dst.
func decode(data json.RawMessage, dst any) error {
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	if err := strictjson.Decode(data, dst); err != nil {
		return voci.Errorf(codeInvalidMessage, "The message's data does not fit its type.")
	}
	return nil
}
