package live

// The session's state machine: a facilitator's commands, the question timer, and the state
// every screen is sent.

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

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
func (r *Room) command(ctx context.Context, typ string, data json.RawMessage, actor string, entries AuditEntries) (audit commandAudit, replied func(), err error) {
	reply, done := make(chan commandResult, 1), make(chan struct{})
	replied = sync.OnceFunc(func() { close(done) })
	if !r.send(commandMsg{typ: typ, data: data, actor: actor, audit: entries, reply: reply, replied: done}) {
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
	// Only while they are still on screen: a question opened since must not show its results.
	if r.resultsStale && r.session.State == voci.LiveRevealed {
		r.broadcastResults(ctx)
	}
	r.resultsStale = false
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
	if next.Lock() == nil && r.persist(ctx, &next, nil) == nil {
		r.broadcastState()
		r.publish(busEvent{Kind: "session"})
	}
}

// sameInstant compares times to the millisecond, the precision MongoDB keeps.
func sameInstant(a, b time.Time) bool {
	return a.Truncate(time.Millisecond).Equal(b.Truncate(time.Millisecond))
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

// persist stores next, with the audit entry when not nil, and makes it the room's state.
func (r *Room) persist(ctx context.Context, next *voci.LiveSession, audit *voci.AuditEntry) error {
	if err := r.hub.svc.Store.UpdateLiveSession(ctx, next, audit); err != nil {
		return err
	}
	r.session = *next
	r.publishView()
	return nil
}

// execute carries out a facilitator's command, storing each change with its audit entry, and
// says what it changed.
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
		// Read it again: the room checks answers against the question as it was frozen, not
		// as it was before an edit that landed in between.
		if q, err = r.hub.svc.Store.FindQuestionByID(ctx, q.ID); err != nil {
			return commandAudit{}, err
		}
		r.questions[q.ID] = q
		if err := r.loadLanguages(ctx); err != nil {
			return commandAudit{}, err
		}
		audit.action, audit.detail = "live_session.open_question", "question "+q.ID
		if err := r.persist(ctx, &next, m.audit.entry(audit)); err != nil {
			return commandAudit{}, err
		}
		if err := r.loadVotes(ctx); err != nil {
			return commandAudit{}, err
		}
		r.dirty = true
		if q.Kind == voci.KindIdeaBoard {
			r.broadcastState()
			r.sendIdeas(ctx, r.phones())
			return audit, nil
		}
	case TypeQuestionLock:
		if err := next.Lock(); err != nil {
			return commandAudit{}, err
		}
		audit.action, audit.detail = "live_session.lock_question", "question "+next.QuestionID
		if err := r.persist(ctx, &next, m.audit.entry(audit)); err != nil {
			return commandAudit{}, err
		}
		r.dirty = true
	case TypeResultsReveal:
		if err := next.Reveal(); err != nil {
			return commandAudit{}, err
		}
		audit.action, audit.detail = "live_session.reveal_results", "question "+next.QuestionID
		if err := r.persist(ctx, &next, m.audit.entry(audit)); err != nil {
			return commandAudit{}, err
		}
		r.broadcastState()
		r.broadcastResults(ctx)
		return audit, nil
	case TypeTrustSet:
		var d trustSet
		if err := decode(m.data, &d); err != nil {
			return commandAudit{}, err
		}
		next.TrustText = d.On
		audit.action, audit.detail = "live_session.set_trust", "trust "+strconv.FormatBool(d.On)
		if err := r.persist(ctx, &next, m.audit.entry(audit)); err != nil {
			return commandAudit{}, err
		}
	case TypeJoinsLock:
		var d joinsLock
		if err := decode(m.data, &d); err != nil {
			return commandAudit{}, err
		}
		if d.Locked == nil {
			return commandAudit{}, voci.InvalidParam("locked", "Say whether the room is locked: true or false.")
		}
		next.JoinsLocked = *d.Locked
		audit.action = "live_session.unlock_joins"
		if *d.Locked {
			audit.action = "live_session.lock_joins"
		}
		if err := r.persist(ctx, &next, m.audit.entry(audit)); err != nil {
			return commandAudit{}, err
		}
	case TypeRemove:
		var d participantRemove
		if err := decode(m.data, &d); err != nil {
			return commandAudit{}, err
		}
		// As through REST: removing someone removed already changes (and records) nothing.
		// The participant's ID, never the alias: an alias may name the child.
		removal := func(p *voci.Participant) commandAudit {
			return commandAudit{action: "participant.remove", objectType: "participant", objectID: p.ID, detail: "live session " + r.id}
		}
		p, changed, err := r.hub.svc.RemoveParticipant(ctx, &r.session, d.ParticipantID,
			func(p *voci.Participant) *voci.AuditEntry { return m.audit.entry(removal(p)) })
		if err != nil {
			return commandAudit{}, err
		}
		removed := commandAudit{}
		if changed {
			removed = removal(p)
		}
		r.removeParticipant(p.ID)
		return removed, nil
	case TypeSessionEnd:
		next.End(r.hub.clock().UTC())
		audit.action = "live_session.end"
		if err := r.persist(ctx, &next, m.audit.entry(audit)); err != nil {
			return commandAudit{}, err
		}
		return audit, nil
	default:
		return commandAudit{}, voci.Errorf(voci.EFORBIDDEN, "Unknown command %q.", m.typ)
	}
	r.broadcastState()
	return audit, nil
}

// stateData is the session's state with the question in lang; for adults' screens (all),
// also in each other language the consultation offers.
func (r *Room) stateData(lang voci.Lang, all bool) stateData {
	d := stateData{SessionID: r.id, State: string(r.session.State), TrustText: r.session.TrustText, JoinsLocked: r.session.JoinsLocked,
		Revealed: r.session.IsRevealed(r.session.QuestionID) && r.session.State == voci.LiveRevealed, Lang: string(lang)}
	if q, ok := r.questions[r.session.QuestionID]; ok && r.session.State != voci.LiveLobby && r.session.State != voci.LiveEnded {
		in := q.In(lang)
		d.Question = ToQuestionJSON(&in)
		d.Question.Number, d.Question.Of = r.placeOf(q)
		if all {
			for _, l := range r.languages[1:] {
				if d.Translations == nil {
					d.Translations = map[string]*QuestionJSON{}
				}
				tr := q.In(l)
				d.Translations[string(l)] = ToQuestionJSON(&tr)
				d.Translations[string(l)].Number, d.Translations[string(l)].Of = d.Question.Number, d.Question.Of
			}
		}
	}
	if all {
		d.Languages = stringsOf(r.languages)
	}
	if !r.session.Deadline.IsZero() {
		t := r.session.Deadline
		d.Deadline = &t
	}
	return d
}

// placeOf is q's place among the consultation's questions (1-based, by position) and how many
// there are.
func (r *Room) placeOf(q *voci.Question) (number, of int) {
	number = 1
	for _, o := range r.questions {
		if o.Position < q.Position || (o.Position == q.Position && o.ID < q.ID) {
			number++
		}
	}
	return number, len(r.questions)
}

// broadcastState sends every connection the session's state. It is encoded once for each
// language the consultation offers, not once per child (a room may hold ten thousand), and
// once for adults' screens, which get the question in every language.
func (r *Room) broadcastState() {
	byLang := make(map[voci.Lang][]byte, len(r.languages))
	for _, l := range r.languages {
		byLang[l] = encode(TypeState, "", r.stateData(l, false))
	}
	adults := encode(TypeState, "", r.stateData(r.languages[0], true))
	for c := range r.clients {
		if c.role != RoleParticipant {
			c.enqueue(adults)
		} else if msg, ok := byLang[c.lang]; ok {
			c.enqueue(msg)
		} else {
			c.enqueue(byLang[r.languages[0]])
		}
	}
}

// langOf is the language c reads the question in: a child's own where the consultation
// offers it, the consultation's original language otherwise (and for adults, whose screens
// follow the consultation, not their account).
func (r *Room) langOf(c *client) voci.Lang {
	if c.role == RoleParticipant && slices.Contains(r.languages, c.lang) {
		return c.lang
	}
	return r.languages[0]
}

// loadLanguages reads the languages the consultation offers: when the room starts, and when
// a question is opened, since translations may be added while a session runs.
func (r *Room) loadLanguages(ctx context.Context) error {
	c, err := r.hub.svc.Store.FindConsultationByID(ctx, r.session.ConsultationID)
	if err != nil {
		return err
	}
	r.languages = slices.Clone(c.OfferedLanguages())
	return nil
}

func stringsOf[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}
