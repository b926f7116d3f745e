package live

// Keeping the rooms of one session on several instances in step over the bus: publishing
// this room's events, following the others', presence counts and resynchronisation.

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

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

// publish sends an event of this room to the rooms of the session on every instance.
func (r *Room) publish(ev busEvent) {
	ev.From = r.token
	r.hub.Notify(r.id, ev)
}

func (r *Room) publishView() {
	qs := make(map[string]*voci.Question, len(r.questions))
	for k, v := range r.questions {
		qs[k] = v
	}
	r.view.Store(&roomView{session: r.session, questions: qs})
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
	case "help.requested":
		r.broadcast(encode(TypeHelpRequested, "", map[string]time.Time{"at": r.hub.clock().UTC()}),
			func(c *client) bool { return c.role == RoleFacilitator })
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
		s.TrustText == cur.TrustText && s.JoinsLocked == cur.JoinsLocked && slices.Equal(s.Revealed, cur.Revealed) {
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
		if err := r.loadLanguages(ctx); err != nil {
			r.hub.logger.Warn("live: read languages", "session", r.id, "error", err)
		}
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
		r.broadcastResults(ctx)
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
		r.markResultsStale(r.session.QuestionID)
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
