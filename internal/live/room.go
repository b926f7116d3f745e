package live

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	clients      map[*client]struct{}
	participants map[string]*client
	votes        map[string][]string // the current question's answers in this session, by participant
	revisions    map[string]int      // the revision of each participant's counted answer
	counts       map[string]int
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
	emptySince   time.Time // when the last connection left; zero while any is open
	// endedBy is closed once the command that ended the session has been answered.
	endedBy <-chan struct{}
}

type presence struct {
	connected int
	at        time.Time
}

// A room publishes its count of connected children when it changes and at least every
// presenceEvery; the other instances forget a count older than presenceExpiry.
const (
	presenceEvery  = 10 * time.Second
	presenceExpiry = 3 * presenceEvery
)

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
	commandMsg struct {
		typ   string
		data  json.RawMessage
		actor string
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

// commandAudit is how a command that changed something is entered in the audit trail: the
// action, object and detail of its REST twin where it has one. A zero commandAudit means
// nothing changed, so nothing is entered.
type commandAudit struct {
	action, objectType, objectID, detail string
}

type commandResult struct {
	audit commandAudit
	err   error
}

// command has the room carry out a command. The caller calls replied once it has queued its
// answer to the requester: a command that ends the session closes every connection, and the
// room waits (briefly) for that answer to be queued first, so that the console hears it.
func (r *Room) command(ctx context.Context, typ string, data json.RawMessage, actor string) (audit commandAudit, replied func(), err error) {
	reply, done := make(chan commandResult, 1), make(chan struct{})
	replied = sync.OnceFunc(func() { close(done) })
	if !r.send(commandMsg{typ: typ, data: data, actor: actor, reply: reply, replied: done}) {
		return commandAudit{}, replied, voci.Errorf(voci.ESESSIONENDED, "This live session has ended.")
	}
	select {
	case res := <-reply:
		return res.audit, replied, res.err
	case <-r.stop:
		return commandAudit{}, replied, voci.Errorf(voci.ESESSIONENDED, "This live session has ended.")
	case <-ctx.Done():
		return commandAudit{}, replied, ctx.Err()
	}
}

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
			r.broadcast(encode(TypeState, "", r.stateData()), func(*client) bool { return true })
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
		m.c.enqueue(encode(TypeState, "", r.stateData()))
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

// tick sends tallies that changed and locks a question whose timer ran out.
func (r *Room) tick(ctx context.Context) {
	now := r.hub.clock()
	if r.session.State == voci.LiveOpen && !r.session.Deadline.IsZero() && !now.Before(r.session.Deadline) {
		r.lockOnTimer(ctx)
	}
	r.expirePresence(now)
	if n := len(r.participants); n != r.presenceSent || now.Sub(r.presenceAt) >= presenceEvery {
		r.presenceSent, r.presenceAt = n, now
		r.publish(busEvent{Kind: "presence", Connected: n})
	}
	if r.dirty {
		r.dirty = false
		r.broadcast(encode(TypeTally, "", r.tallyData()), func(c *client) bool { return c.role != RoleParticipant })
	}
}

// lockOnTimer locks the open question whose timer ran out. A room of the same session on
// another instance may have changed the session since (revealed, opened another question):
// what the store holds is checked first, so that this room does not write an older state
// over it.
func (r *Room) lockOnTimer(ctx context.Context) {
	stored, err := r.hub.svc.Store.FindLiveSessionByID(ctx, r.id)
	if err != nil {
		// Tried again at the next tick; the store's outage is logged by whoever needs it.
		r.hub.logger.Debug("live: read session before locking", "session", r.id, "error", err)
		return
	}
	if stored.State != voci.LiveOpen || stored.QuestionID != r.session.QuestionID || !sameInstant(stored.Deadline, r.session.Deadline) {
		r.follow(ctx, stored)
		return
	}
	next := r.session
	if next.Lock() == nil && r.persist(ctx, &next) == nil {
		r.broadcastState()
		r.publish(busEvent{Kind: "session"})
	}
}

// sameInstant compares times to the millisecond, the precision MongoDB keeps.
func sameInstant(a, b time.Time) bool {
	return a.Truncate(time.Millisecond).Equal(b.Truncate(time.Millisecond))
}

// publish sends an event of this room to the rooms of the session on every instance.
func (r *Room) publish(ev busEvent) {
	ev.From = r.token
	r.hub.Notify(r.id, ev)
}

// announce tells the rooms elsewhere of a command this room carried out.
func (r *Room) announce(m commandMsg) {
	if m.typ == TypeRemove {
		var d participantRemove
		if decode(m.data, &d) == nil {
			r.publish(busEvent{Kind: "participant.removed", ParticipantID: d.ParticipantID})
		}
		return
	}
	r.publish(busEvent{Kind: "session"})
}

// persist stores next and makes it the room's state.
func (r *Room) persist(ctx context.Context, next *voci.LiveSession) error {
	if err := r.hub.svc.Store.UpdateLiveSession(ctx, next); err != nil {
		return err
	}
	r.session = *next
	r.publishView()
	return nil
}

func (r *Room) publishView() {
	qs := make(map[string]*voci.Question, len(r.questions))
	for k, v := range r.questions {
		qs[k] = v
	}
	r.view.Store(&roomView{session: r.session, questions: qs})
}

func (r *Room) answered(m answeredMsg) {
	a := m.answer
	if m.replayed {
		return
	}
	choices := r.counted(a.QuestionID, a.Choices)
	r.publish(busEvent{Kind: "answer", AnswerID: a.ID, ParticipantID: a.ParticipantID, QuestionID: a.QuestionID,
		Choices: choices, Revision: a.Revision, Moderation: string(a.Moderation)})
	if !r.count(a.ParticipantID, a.QuestionID, choices, a.Revision) {
		return
	}
	if a.Revision > 1 && r.isIdeaBoard(a.QuestionID) {
		r.forgetReactions(a.ID)
	}
	if a.Moderation != voci.ModerationNone {
		mod := encode(TypeModeration, "", moderationData{AnswerID: a.ID, QuestionID: a.QuestionID, Text: a.Text,
			Moderation: string(a.Moderation), Flags: nonNil(a.Flags), Revision: a.Revision})
		r.broadcast(mod, func(c *client) bool { return c.role == RoleFacilitator })
		if a.Moderation == voci.ModerationApproved {
			r.broadcastText(a)
		} else if a.Revision > 1 {
			// The child changed a text that may be on screens: it goes until approved again.
			r.broadcastWithdrawn(a)
		}
	}
}

// reacted counts a reaction that the store has kept.
func (r *Room) reacted(re voci.IdeaReaction) {
	if re.QuestionID != r.session.QuestionID || re.SessionID != r.id {
		return
	}
	mine := r.reactions[re.ParticipantID]
	if mine == nil {
		mine = map[string]voci.Reaction{}
		r.reactions[re.ParticipantID] = mine
	}
	if old, ok := mine[re.IdeaID]; ok {
		r.reactionCounts[re.IdeaID] = r.reactionCounts[re.IdeaID].Add(old, -1)
	}
	mine[re.IdeaID] = re.Reaction
	r.reactionCounts[re.IdeaID] = r.reactionCounts[re.IdeaID].Add(re.Reaction, 1)
	r.dirty = true
}

// forgetReactions drops the reactions to an idea whose author sent a new version of it (see
// voci.Participation.SubmitLiveAnswer, which drops them from the store).
func (r *Room) forgetReactions(ideaID string) {
	for _, mine := range r.reactions {
		delete(mine, ideaID)
	}
	if _, ok := r.reactionCounts[ideaID]; ok {
		delete(r.reactionCounts, ideaID)
		r.dirty = true
	}
}

// count makes a participant's answer to the current question count, in place of their
// previous one. It reports false, changing nothing, for another question or an answer older
// than the one counted (answers from other instances may arrive late).
func (r *Room) count(participantID, questionID string, choices []string, revision int) bool {
	if questionID != r.session.QuestionID || revision < r.revisions[participantID] {
		return false
	}
	for _, id := range r.votes[participantID] {
		r.counts[id]--
	}
	r.votes[participantID] = choices
	r.revisions[participantID] = revision
	for _, id := range choices {
		r.counts[id]++
	}
	r.dirty = true
	return true
}

// answeredElsewhere counts an answer stored by another instance, and shows its text to whom
// this room would have shown it. The text is read from the store, and only when someone here
// is to see it.
func (r *Room) answeredElsewhere(ctx context.Context, ev busEvent) {
	if !r.count(ev.ParticipantID, ev.QuestionID, nonNil(ev.Choices), ev.Revision) || ev.Moderation == "" || ev.Moderation == string(voci.ModerationNone) {
		return
	}
	if ev.Revision > 1 && r.isIdeaBoard(ev.QuestionID) {
		r.forgetReactions(ev.AnswerID)
	}
	approved := ev.Moderation == string(voci.ModerationApproved)
	wanted := false
	for c := range r.clients {
		if c.role == RoleFacilitator || (approved && (c.role != RoleParticipant || r.isIdeaBoard(ev.QuestionID))) {
			wanted = true
			break
		}
	}
	if !wanted {
		return
	}
	a, err := r.hub.svc.Store.FindAnswerByID(ctx, ev.AnswerID)
	if err != nil || a.SessionID != r.id || a.Revision != ev.Revision {
		return // gone, or replaced since: its own event follows
	}
	r.broadcast(encode(TypeModeration, "", moderationData{AnswerID: a.ID, QuestionID: a.QuestionID, Text: a.Text,
		Moderation: string(a.Moderation), Flags: nonNil(a.Flags), Revision: a.Revision}), func(c *client) bool { return c.role == RoleFacilitator })
	if a.Moderation == voci.ModerationApproved {
		r.broadcastText(*a)
	}
}

// counted is what an answer adds to the tally: its choices, or for a ranking its first place
// (as in results; every ranking names every option).
func (r *Room) counted(questionID string, choices []string) []string {
	if q, ok := r.questions[questionID]; ok && q.Kind == voci.KindRanking && len(choices) > 0 {
		return choices[:1]
	}
	return nonNil(choices)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// broadcastText shows an approved text on the adults' screens, and, for an idea board, on the
// children's phones too, so that they can react to it. The author's phone is told the idea is
// theirs, so that it does not offer to react to it.
func (r *Room) broadcastText(a voci.Answer) {
	toChildren := r.isIdeaBoard(a.QuestionID)
	author := r.participants[a.ParticipantID]
	r.broadcast(encode(TypeTextApproved, "", textData{AnswerID: a.ID, QuestionID: a.QuestionID, Text: a.Text}),
		func(c *client) bool { return c.role != RoleParticipant || (toChildren && c != author) })
	if toChildren && author != nil {
		author.enqueue(encode(TypeTextApproved, "", textData{AnswerID: a.ID, QuestionID: a.QuestionID, Text: a.Text, Own: true}))
	}
}

// broadcastWithdrawn takes a text off the screens (and phones) that may show it: the
// facilitator rejected it after all, or its author changed it.
func (r *Room) broadcastWithdrawn(a voci.Answer) {
	toChildren := r.isIdeaBoard(a.QuestionID)
	r.broadcast(encode(TypeTextWithdrawn, "", withdrawnData{AnswerID: a.ID, QuestionID: a.QuestionID}),
		func(c *client) bool { return c.role != RoleParticipant || toChildren })
}

func (r *Room) isIdeaBoard(questionID string) bool {
	q, ok := r.questions[questionID]
	return ok && q.Kind == voci.KindIdeaBoard
}

// sendIdeas queues the approved ideas of the current idea board to phones, in one message
// each (a board's ideas would overflow a connection's queue one by one): when a phone
// connects, and to every phone when the board opens. Each phone learns which idea is its own
// and what it said of the others; phones with neither share one encoding.
func (r *Room) sendIdeas(ctx context.Context, to []*client) {
	answers, err := r.hub.svc.Store.ListAnswers(ctx, r.session.QuestionID)
	if err != nil {
		r.hub.logger.Warn("live: ideas", "session", r.id, "error", err)
		return
	}
	ideas := []textData{}
	authors := map[string]bool{}
	for _, a := range answers {
		if a.SessionID == r.id && a.Moderation == voci.ModerationApproved {
			ideas = append(ideas, textData{AnswerID: a.ID, QuestionID: a.QuestionID, Text: a.Text})
			authors[a.ParticipantID] = true
		}
	}
	var shared []byte
	for _, c := range to {
		mine := r.reactions[c.participantID]
		if !authors[c.participantID] && len(mine) == 0 {
			if shared == nil {
				shared = encode(TypeIdeas, "", ideasData{QuestionID: r.session.QuestionID, Ideas: ideas})
			}
			c.enqueue(shared)
			continue
		}
		own := make([]textData, len(ideas))
		for i, idea := range ideas {
			idea.Own = voci.AnswerID(c.participantID, idea.QuestionID) == idea.AnswerID
			idea.Reaction = string(mine[idea.AnswerID])
			own[i] = idea
		}
		c.enqueue(encode(TypeIdeas, "", ideasData{QuestionID: r.session.QuestionID, Ideas: own}))
	}
}

// phones returns the connected children.
func (r *Room) phones() []*client {
	out := make([]*client, 0, len(r.participants))
	for _, c := range r.participants {
		out = append(out, c)
	}
	return out
}

// loadVotes reads this session's answers to the current question from the store, so that a
// room started after a restart (or a question opened again) tallies what is stored.
func (r *Room) loadVotes(ctx context.Context) error {
	r.votes, r.revisions, r.counts = map[string][]string{}, map[string]int{}, map[string]int{}
	r.reactions, r.reactionCounts = map[string]map[string]voci.Reaction{}, map[string]voci.ReactionCounts{}
	if r.session.QuestionID == "" {
		return nil
	}
	if r.isIdeaBoard(r.session.QuestionID) {
		reactions, err := r.hub.svc.Store.ListReactions(ctx, r.session.QuestionID, r.id)
		if err != nil {
			return err
		}
		for _, re := range reactions {
			r.reacted(re)
		}
	}
	answers, err := r.hub.svc.Store.ListAnswers(ctx, r.session.QuestionID)
	if err != nil {
		return err
	}
	for _, a := range answers {
		if a.SessionID != r.id {
			continue
		}
		r.count(a.ParticipantID, a.QuestionID, r.counted(a.QuestionID, a.Choices), a.Revision)
	}
	return nil
}

// execute carries out a facilitator's command and says how to audit it.
func (r *Room) execute(ctx context.Context, m commandMsg) (commandAudit, error) {
	next := r.session
	next.Revealed = slices.Clone(r.session.Revealed)
	audit := commandAudit{objectType: "live_session", objectID: r.id}
	switch m.typ {
	case TypeQuestionOpen:
		var d questionOpen
		if err := decode(m.data, &d); err != nil {
			return commandAudit{}, err
		}
		q, err := r.hub.svc.Store.FindQuestionByID(ctx, d.QuestionID)
		if voci.ErrorCode(err) == voci.ENOTFOUND {
			return commandAudit{}, &voci.Error{Code: voci.EQUESTIONUNKNOWN, Param: "questionId", Message: "This consultation has no such question."}
		} else if err != nil {
			return commandAudit{}, err
		}
		if err := next.OpenQuestion(q, time.Duration(d.TimerSeconds)*time.Second, r.hub.clock()); err != nil {
			return commandAudit{}, err
		}
		// Freeze before the first answer can arrive, so every answer means what it meant.
		if err := r.hub.svc.Store.FreezeQuestion(ctx, q.ID); err != nil {
			return commandAudit{}, err
		}
		q.Frozen = true
		r.questions[q.ID] = q
		if err := r.persist(ctx, &next); err != nil {
			return commandAudit{}, err
		}
		if err := r.loadVotes(ctx); err != nil {
			return commandAudit{}, err
		}
		r.dirty = true
		audit.action, audit.detail = "live_session.open_question", "question "+q.ID
		if q.Kind == voci.KindIdeaBoard {
			r.broadcastState()
			r.sendIdeas(ctx, r.phones())
			return audit, nil
		}
	case TypeQuestionLock:
		if err := next.Lock(); err != nil {
			return commandAudit{}, err
		}
		if err := r.persist(ctx, &next); err != nil {
			return commandAudit{}, err
		}
		r.dirty = true
		audit.action, audit.detail = "live_session.lock_question", "question "+next.QuestionID
	case TypeResultsReveal:
		if err := next.Reveal(); err != nil {
			return commandAudit{}, err
		}
		if err := r.persist(ctx, &next); err != nil {
			return commandAudit{}, err
		}
		r.broadcastState()
		r.broadcast(encode(TypeResults, "", r.resultsData(ctx)), func(*client) bool { return true })
		audit.action, audit.detail = "live_session.reveal_results", "question "+next.QuestionID
		return audit, nil
	case TypeTrustSet:
		var d trustSet
		if err := decode(m.data, &d); err != nil {
			return commandAudit{}, err
		}
		next.TrustText = d.On
		if err := r.persist(ctx, &next); err != nil {
			return commandAudit{}, err
		}
		audit.action, audit.detail = "live_session.set_trust", "trust "+strconv.FormatBool(d.On)
	case TypeRemove:
		var d participantRemove
		if err := decode(m.data, &d); err != nil {
			return commandAudit{}, err
		}
		p, err := r.hub.svc.Store.FindParticipantByID(ctx, d.ParticipantID)
		if err != nil || p.SessionID != r.id {
			return commandAudit{}, &voci.Error{Code: voci.ENOTFOUND, Param: "participantId", Message: "No such participant in this session."}
		}
		// As through REST: removing someone removed already changes (and records) nothing.
		removed := commandAudit{}
		if !p.Removed {
			p.Removed, p.UpdatedAt = true, r.hub.clock().UTC()
			if err := r.hub.svc.Store.UpdateParticipant(ctx, p); err != nil {
				return commandAudit{}, err
			}
			// The participant's ID, never the alias: an alias may name the child.
			removed = commandAudit{action: "participant.remove", objectType: "participant", objectID: p.ID, detail: "live session " + r.id}
		}
		r.removeParticipant(p.ID)
		return removed, nil
	case TypeSessionEnd:
		next.End(r.hub.clock().UTC())
		if err := r.persist(ctx, &next); err != nil {
			return commandAudit{}, err
		}
		audit.action = "live_session.end"
		return audit, nil
	default:
		return commandAudit{}, voci.Errorf(voci.EFORBIDDEN, "Unknown command %q.", m.typ)
	}
	r.broadcastState()
	return audit, nil
}

func (r *Room) removeParticipant(id string) {
	if c, ok := r.participants[id]; ok {
		c.removed.Store(true)
		c.enqueue(errorMessage("", voci.Errorf(voci.EREMOVED, "The facilitator removed you from this session.")))
		c.close(CloseRemoved, "removed")
	}
	r.dirty = true
}

func (r *Room) busEvent(ctx context.Context, b []byte) {
	var ev busEvent
	if json.Unmarshal(b, &ev) != nil || (ev.From != "" && ev.From == r.token) {
		return
	}
	switch ev.Kind {
	case "session":
		s, err := r.hub.svc.Store.FindLiveSessionByID(ctx, r.id)
		if err != nil {
			r.hub.logger.Warn("live: reload session", "session", r.id, "error", err)
			return
		}
		r.follow(ctx, s)
	case "participant.removed":
		r.removeParticipant(ev.ParticipantID)
	case "participant.connected":
		if c, ok := r.participants[ev.ParticipantID]; ok {
			c.close(CloseReplaced, "connected elsewhere")
			delete(r.participants, ev.ParticipantID)
			r.dirty = true
		}
	case "text.moderated":
		a, err := r.hub.svc.Store.FindAnswerByID(ctx, ev.AnswerID)
		switch {
		case err != nil || a.SessionID != r.id:
		case a.Moderation == voci.ModerationApproved:
			r.broadcastText(*a)
		default:
			// Rejected after all (or sent back): off every screen that shows it.
			r.broadcastWithdrawn(*a)
		}
	case "answer":
		r.answeredElsewhere(ctx, ev)
	case "reaction":
		r.reacted(voci.IdeaReaction{IdeaID: ev.AnswerID, QuestionID: ev.QuestionID, SessionID: r.id,
			ParticipantID: ev.ParticipantID, Reaction: voci.Reaction(ev.Reaction)})
	case "presence":
		if ev.From == "" {
			return
		}
		if ev.Connected == 0 {
			delete(r.elsewhere, ev.From)
		} else {
			r.elsewhere[ev.From] = presence{connected: ev.Connected, at: r.hub.clock()}
		}
		r.dirty = true
	}
}

// follow makes the session as stored the room's state, when it differs: a REST request, or
// the room of the same session on another instance, changed it.
func (r *Room) follow(ctx context.Context, s *voci.LiveSession) {
	if !s.Active() {
		r.session.End(s.EndedAt)
		r.publishView()
		return // Run says goodbye to everyone
	}
	cur := r.session
	if s.State == cur.State && s.QuestionID == cur.QuestionID && sameInstant(s.Deadline, cur.Deadline) &&
		s.TrustText == cur.TrustText && slices.Equal(s.Revealed, cur.Revealed) {
		return
	}
	// A question shown, or shown again, is read with what was answered to it so far.
	newQuestion := s.QuestionID != cur.QuestionID || (s.State == voci.LiveOpen && cur.State != voci.LiveOpen)
	if newQuestion && s.QuestionID != "" {
		q, err := r.hub.svc.Store.FindQuestionByID(ctx, s.QuestionID)
		if err != nil {
			r.hub.logger.Warn("live: read question", "session", r.id, "error", err)
			return
		}
		r.questions[q.ID] = q
	}
	r.session = *s
	r.publishView()
	if newQuestion {
		if err := r.loadVotes(ctx); err != nil {
			r.hub.logger.Warn("live: read answers", "session", r.id, "error", err)
		}
	}
	r.dirty = true
	r.broadcastState()
	if s.State == voci.LiveRevealed && (cur.State != voci.LiveRevealed || cur.QuestionID != s.QuestionID) {
		r.broadcast(encode(TypeResults, "", r.resultsData(ctx)), func(*client) bool { return true })
	}
}

// resync reads the session and the current question's answers from the store again, after
// the bus was away and events of other instances may have been lost.
func (r *Room) resync(ctx context.Context) {
	s, err := r.hub.svc.Store.FindLiveSessionByID(ctx, r.id)
	if err != nil {
		r.hub.logger.Warn("live: resync session", "session", r.id, "error", err)
		return
	}
	r.follow(ctx, s)
	if r.session.Active() {
		if err := r.loadVotes(ctx); err != nil {
			r.hub.logger.Warn("live: resync answers", "session", r.id, "error", err)
		}
		r.dirty = true
	}
}

// expirePresence forgets the counts of rooms elsewhere that stopped publishing them.
func (r *Room) expirePresence(now time.Time) {
	for from, p := range r.elsewhere {
		if now.Sub(p.at) > presenceExpiry {
			delete(r.elsewhere, from)
			r.dirty = true
		}
	}
}

func (r *Room) stateData() stateData {
	d := stateData{SessionID: r.id, State: string(r.session.State), TrustText: r.session.TrustText,
		Revealed: r.session.IsRevealed(r.session.QuestionID) && r.session.State == voci.LiveRevealed}
	if q, ok := r.questions[r.session.QuestionID]; ok && r.session.State != voci.LiveLobby && r.session.State != voci.LiveEnded {
		d.Question = ToQuestionJSON(q)
	}
	if !r.session.Deadline.IsZero() {
		t := r.session.Deadline
		d.Deadline = &t
	}
	return d
}

func (r *Room) broadcastState() {
	r.broadcast(encode(TypeState, "", r.stateData()), func(*client) bool { return true })
}

func (r *Room) tallyData() tallyData {
	connected := len(r.participants)
	for _, p := range r.elsewhere {
		connected += p.connected
	}
	d := tallyData{QuestionID: r.session.QuestionID, Respondents: len(r.votes), Connected: connected,
		Options: []tallyOption{}, At: r.hub.clock().UTC()}
	if q, ok := r.questions[r.session.QuestionID]; ok {
		for _, o := range q.Options {
			d.Options = append(d.Options, tallyOption{ID: o.ID, Count: r.counts[o.ID]})
		}
		if q.Kind == voci.KindIdeaBoard {
			d.Reactions = []ideaReactions{}
			for id, n := range r.reactionCounts {
				d.Reactions = append(d.Reactions, ideaReactions{IdeaID: id, Agree: n.Agree, Disagree: n.Disagree, Pass: n.Pass})
			}
			slices.SortFunc(d.Reactions, func(a, b ideaReactions) int { return strings.Compare(a.IdeaID, b.IdeaID) })
		}
	}
	return d
}

type resultsPayload struct {
	tallyData
	Texts []textData `json:"texts"`
}

// resultsData is what children see when the facilitator reveals: the counts and, for text
// questions, the approved texts of this session.
func (r *Room) resultsData(ctx context.Context) resultsPayload {
	p := resultsPayload{tallyData: r.tallyData(), Texts: []textData{}}
	if q, ok := r.questions[r.session.QuestionID]; ok && q.Kind.IsText() {
		answers, err := r.hub.svc.Store.ListAnswers(ctx, q.ID)
		if err != nil {
			r.hub.logger.Warn("live: results texts", "session", r.id, "error", err)
		}
		for _, a := range answers {
			if a.SessionID == r.id && a.Moderation == voci.ModerationApproved {
				p.Texts = append(p.Texts, textData{AnswerID: a.ID, QuestionID: a.QuestionID, Text: a.Text})
			}
		}
	}
	return p
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
