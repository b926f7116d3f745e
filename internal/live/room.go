package live

import (
	"bytes"
	"context"
	"encoding/json"
	"sync/atomic"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Room is one live session on this instance. Its Run goroutine owns the session's state,
// its connections and its tallies; everyone else talks to it through its inbox. Readers of
// connections check answers against view, an immutable snapshot the room replaces on every
// change.
//
// Several instances may each run a room of the same session, when its children's websockets
// land on different instances. The rooms keep each other in step through the bus: every
// change of state a room makes (a facilitator's command, a timer) and every answer it hears
// of are published, and the others follow (see busEvent).
type Room struct {
	hub      *Hub
	id       string
	token    string // the room's name on the bus, so that it ignores its own events
	joinCode string
	inbox    chan any
	view     atomic.Pointer[roomView]
	stop     chan struct{} // closed when Run returns

	// Owned by Run.
	session      voci.LiveSession
	questions    map[string]*voci.Question
	languages    []voci.Lang // the consultation's, the original first
	clients      map[*client]struct{}
	participants map[string]*client
	votes        map[string][]string // the current question's answers in this session, by participant
	revisions    map[string]int      // the revision of each participant's counted answer
	counts       map[string]int      // by option; for a ranking, how often it was put first
	// ranks are a ranking's places by option, summed over the counted orders: enough for
	// its average place and points, and an order changed or taken back comes out of them.
	ranks map[string]rankSum
	// The current idea board's reactions in this session: each child's, by idea, and their
	// counts by idea.
	reactions      map[string]map[string]voci.Reaction
	reactionCounts map[string]voci.ReactionCounts
	// elsewhere counts the children connected to this session's rooms on other instances, by
	// room; an entry not refreshed within presenceExpiry is dropped (an instance that died).
	elsewhere    map[string]presence
	presenceSent int       // the count last published
	presenceAt   time.Time // when it was
	dirty        bool
	// resultsStale: what changed the revealed question's results after they were sent (an
	// answer stored before the reveal but counted after it, here or on another instance; a
	// text approved or withdrawn since), so that the next tick sends them again.
	resultsStale bool
	emptySince   time.Time // when the last connection left; zero while any is open
	// endedBy is closed once the command that ended the session has been answered.
	endedBy <-chan struct{}
}

type roomView struct {
	session   voci.LiveSession
	questions map[string]*voci.Question
}

// Inbox messages.
type (
	registerMsg struct {
		c  *client
		ok chan bool
	}
	unregisterMsg struct{ c *client }
	answeredMsg   struct {
		answer   voci.Answer
		replayed bool
	}
	reactedMsg struct{ reaction voci.IdeaReaction }
	// langMsg: a child changed language; done is closed once the state in it is queued.
	langMsg struct {
		c    *client
		lang voci.Lang
		done chan struct{}
	}
	commandMsg struct {
		typ   string
		data  json.RawMessage
		actor string
		audit AuditEntries // makes the entry the store writes with the command's change
		reply chan commandResult
		// replied is closed once the requester has queued its answer to the command.
		replied chan struct{}
	}
	busMsg []byte
	// resyncMsg asks the room to read its session and tallies from the store again: events of
	// other instances may have been lost while the bus was disconnected.
	resyncMsg struct{}
)

func newRoom(ctx context.Context, h *Hub, sessionID string) (*Room, error) {
	s, err := h.svc.Store.FindLiveSessionByID(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if !s.Active() {
		return nil, voci.Errorf(voci.ESESSIONENDED, "This live session has ended.")
	}
	qs, err := h.svc.Store.ListQuestions(ctx, s.ConsultationID)
	if err != nil {
		return nil, err
	}
	r := &Room{hub: h, id: sessionID, token: voci.RandomID(), joinCode: s.JoinCode, elsewhere: map[string]presence{}, inbox: make(chan any, 1024), stop: make(chan struct{}),
		session: *s, questions: map[string]*voci.Question{}, clients: map[*client]struct{}{}, participants: map[string]*client{}}
	if err := r.loadLanguages(ctx); err != nil {
		return nil, err
	}
	for i := range qs {
		r.questions[qs[i].ID] = &qs[i]
	}
	if err := r.loadVotes(ctx); err != nil {
		return nil, err
	}
	r.emptySince = h.clock()
	r.publishView()
	return r, nil
}

func (r *Room) stopped() bool {
	select {
	case <-r.stop:
		return true
	default:
		return false
	}
}

// send puts m in the inbox unless the room has stopped.
func (r *Room) send(m any) bool {
	select {
	case r.inbox <- m:
		return true
	case <-r.stop:
		return false
	}
}

func (r *Room) register(c *client) bool {
	ok := make(chan bool, 1)
	if !r.send(registerMsg{c: c, ok: ok}) {
		return false
	}
	select {
	case v := <-ok:
		return v
	case <-r.stop:
		return false
	}
}

func (r *Room) unregister(c *client) { r.send(unregisterMsg{c: c}) }

// Run owns the room until the session ends (nil) or ctx is done (its error). On the way out it
// closes every connection: 1001 when the server goes away, 4004 when the session ended.
func (r *Room) Run(ctx context.Context) error {
	defer close(r.stop)
	from := []byte(`"from":"` + r.token + `"`)
	unsubscribe, err := r.hub.bus.Subscribe(sessionSubject(r.id), func(b []byte) {
		// The room's own events come back to it (every answer, on one instance): they are
		// dropped here, before they take a place in the inbox.
		if bytes.Contains(b, from) {
			return
		}
		// A bus handler must not block; a full inbox is worked around by a goroutine that
		// waits for room or stop.
		select {
		case r.inbox <- busMsg(b):
		default:
			go r.send(busMsg(b))
		}
	})
	if err != nil {
		return err
	}
	defer unsubscribe()
	// Rooms elsewhere stop counting this one's children at once.
	defer r.publish(busEvent{Kind: "presence"})
	ticker := time.NewTicker(r.hub.cfg.TallyInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			r.closeAll(CloseGoingAway, "server restarting")
			return ctx.Err()
		case <-ticker.C:
			r.tick(ctx)
			if idle := r.hub.cfg.IdleRoom; idle > 0 && len(r.clients) == 0 && r.hub.clock().Sub(r.emptySince) >= idle {
				return nil
			}
		case m := <-r.inbox:
			r.handle(ctx, m)
		}
		if r.session.State == voci.LiveEnded {
			if r.endedBy != nil {
				select { // the console that ended the session hears command.ok before 4004
				case <-r.endedBy:
				case <-time.After(time.Second):
				}
			}
			r.broadcastState()
			r.closeAll(CloseSessionEnded, "session ended")
			return nil
		}
	}
}

func (r *Room) handle(ctx context.Context, m any) {
	switch m := m.(type) {
	case registerMsg:
		r.clients[m.c] = struct{}{}
		r.emptySince = time.Time{}
		if m.c.role == RoleParticipant {
			if old, ok := r.participants[m.c.participantID]; ok && old != m.c {
				old.close(CloseReplaced, "connected elsewhere")
			}
			r.participants[m.c.participantID] = m.c
			// The same child connected to a room elsewhere is replaced there too.
			r.publish(busEvent{Kind: "participant.connected", ParticipantID: m.c.participantID})
		}
		m.ok <- true
		m.c.enqueue(encode(TypeState, "", r.stateData(r.langOf(m.c), m.c.role != RoleParticipant)))
		if m.c.role != RoleParticipant {
			m.c.enqueue(encode(TypeTally, "", r.tallyData()))
		} else if r.session.State == voci.LiveRevealed {
			m.c.enqueue(encode(TypeResults, "", r.resultsData(ctx)))
		} else if r.session.State == voci.LiveOpen && r.isIdeaBoard(r.session.QuestionID) {
			r.sendIdeas(ctx, []*client{m.c})
		}
		r.dirty = true // the connected count changed
	case unregisterMsg:
		delete(r.clients, m.c)
		if len(r.clients) == 0 {
			r.emptySince = r.hub.clock()
		}
		if m.c.role == RoleParticipant && r.participants[m.c.participantID] == m.c {
			delete(r.participants, m.c.participantID)
		}
		r.dirty = true
	case langMsg:
		m.c.lang = m.lang
		m.c.enqueue(encode(TypeState, "", r.stateData(r.langOf(m.c), false)))
		close(m.done)
	case answeredMsg:
		r.answered(m)
	case reactedMsg:
		r.reacted(m.reaction)
		re := m.reaction
		r.publish(busEvent{Kind: "reaction", AnswerID: re.IdeaID, QuestionID: re.QuestionID, ParticipantID: re.ParticipantID,
			Reaction: string(re.Reaction)})
	case commandMsg:
		audit, err := r.execute(ctx, m)
		if err == nil {
			r.announce(m)
		}
		m.reply <- commandResult{audit: audit, err: err}
		if r.session.State == voci.LiveEnded {
			r.endedBy = m.replied
		}
	case busMsg:
		r.busEvent(ctx, m)
	case resyncMsg:
		r.resync(ctx)
	}
}

// broadcast queues one encoded message to every client that to selects. A client whose queue
// is full is dropped by enqueue; nobody waits.
func (r *Room) broadcast(msg []byte, to func(*client) bool) {
	for c := range r.clients {
		if to(c) {
			c.enqueue(msg)
		}
	}
}

func (r *Room) closeAll(code int, reason string) {
	for c := range r.clients {
		c.close(code, reason)
	}
}
