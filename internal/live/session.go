package live

import (
	"context"

	"github.com/voci-platform/voci/internal/voci"
)

// session handles the messages of one connection, in its reader goroutine. The participant
// it holds is this goroutine's own copy: only it changes the alias and the profile.
type session struct {
	hub    *Hub
	room   *Room
	client *client
	id     Identity
}

// Who may send what. A message of another role's is refused, never ignored.
var allowed = map[string][]Role{
	TypePing:          {RoleParticipant, RolePresenter, RoleFacilitator},
	TypeAnswerSubmit:  {RoleParticipant},
	TypeAliasReroll:   {RoleParticipant},
	TypeProfileSet:    {RoleParticipant},
	TypeLangSet:       {RoleParticipant},
	TypeHelpRequest:   {RoleParticipant},
	TypeIdeaReact:     {RoleParticipant},
	TypeQuestionOpen:  {RoleFacilitator},
	TypeQuestionLock:  {RoleFacilitator},
	TypeResultsReveal: {RoleFacilitator},
	TypeRemove:        {RoleFacilitator},
	TypeTrustSet:      {RoleFacilitator},
	TypeSessionEnd:    {RoleFacilitator},
	TypeJoinsLock:     {RoleFacilitator},
}

func (s *session) reply(msg []byte) { s.client.enqueue(msg) }

func (s *session) handle(ctx context.Context, env Envelope) {
	roles, known := allowed[env.Type]
	switch {
	case !known:
		s.reply(errorMessage(env.ID, voci.Errorf(codeInvalidMessage, "Unknown message type %q.", env.Type)))
		return
	case !containsRole(roles, s.id.Role):
		s.reply(errorMessage(env.ID, voci.Errorf(voci.EFORBIDDEN, "This connection may not send %q.", env.Type)))
		return
	case s.client.removed.Load():
		s.reply(errorMessage(env.ID, voci.Errorf(voci.EREMOVED, "The facilitator removed you from this session.")))
		return
	}
	if s.id.Role != RoleParticipant && env.Type != TypePing && s.id.Reauthorize != nil {
		if err := s.id.Reauthorize(ctx); err != nil {
			s.reply(errorMessage(env.ID, err))
			s.client.close(ClosePolicy, "not authorized")
			return
		}
	}
	var err error
	switch env.Type {
	case TypePing:
		s.reply(encode(TypePong, env.ID, nil))
	case TypeAnswerSubmit:
		err = s.submit(ctx, env)
	case TypeAliasReroll:
		err = s.reroll(ctx, env)
	case TypeProfileSet:
		err = s.profile(ctx, env)
	case TypeLangSet:
		err = s.setLang(ctx, env)
	case TypeHelpRequest:
		err = s.help(ctx, env)
	case TypeIdeaReact:
		err = s.react(ctx, env)
	default:
		err = s.command(ctx, env)
	}
	if err != nil {
		s.reply(errorMessage(env.ID, err))
		if voci.ErrorCode(err) == voci.EREMOVED {
			// Removed where the room could not see it (while connecting, or between the room's
			// check and the write): the store refused; the connection goes as the room would
			// have closed it.
			s.client.removed.Store(true)
			s.client.close(CloseRemoved, "removed")
		}
	}
}

// command has the room carry out a facilitator's command, which the store writes with its
// audit entry, so that a console that saw command.ok finds it in the trail, and a change
// whose entry could not be written is not made.
func (s *session) command(ctx context.Context, env Envelope) error {
	_, replied, err := s.room.command(ctx, env.Type, env.Data, s.id.AccountID, s.id.Audit)
	defer replied()
	if err != nil {
		s.reply(errorMessage(env.ID, err))
	} else {
		s.reply(encode(TypeCommandOK, env.ID, map[string]string{"command": env.Type}))
	}
	return nil
}

func containsRole(roles []Role, r Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// submit checks an answer against the room's current view and stores it; the ack is queued
// only once the store has committed it.
func (s *session) submit(ctx context.Context, env Envelope) error {
	var d answerSubmit
	if err := decode(env.Data, &d); err != nil {
		return err
	}
	view := s.room.view.Load()
	// A question this room does not know (nil) is refused after a retry of a stored answer to
	// it has been replayed.
	rcpt, a, err := s.hub.svc.SubmitLiveAnswer(ctx, voci.Submission{
		Session: &view.session, Participant: s.id.Participant, Question: view.questions[d.QuestionID],
		Input: voci.AnswerInput{Choices: d.Choices, Text: d.Text}, IdempotencyKey: d.IdempotencyKey,
	})
	if err != nil {
		return err
	}
	s.reply(encode(TypeAnswerAck, env.ID, ackData{QuestionID: rcpt.QuestionID, IdempotencyKey: rcpt.IdempotencyKey,
		AcceptedAt: rcpt.AcceptedAt, Moderation: string(rcpt.Moderation), Replayed: rcpt.Replayed}))
	if !rcpt.Replayed {
		s.hub.stats.answers.Add(1)
	}
	s.room.send(answeredMsg{answer: *a, replayed: rcpt.Replayed})
	return nil
}

func (s *session) reroll(ctx context.Context, env Envelope) error {
	var d aliasReroll
	if err := decode(env.Data, &d); err != nil {
		return err
	}
	p := *s.id.Participant
	lang := voci.Lang(d.Lang)
	if d.Lang == "" {
		lang = p.Lang
	}
	if err := p.Reroll(voci.ParseLang(string(lang))); err != nil {
		return err
	}
	p.UpdatedAt = s.hub.clock().UTC()
	if err := s.hub.svc.Store.UpdateParticipant(ctx, &p, nil); err != nil {
		return err
	}
	*s.id.Participant = p
	s.reply(encode(TypeAlias, env.ID, toParticipantOut(&p)))
	return nil
}

func (s *session) profile(ctx context.Context, env Envelope) error {
	var d profileSet
	if err := decode(env.Data, &d); err != nil {
		return err
	}
	p := *s.id.Participant
	if err := p.SetProfile(voci.AgeBand(d.AgeBand), voci.Gender(d.Gender)); err != nil {
		return err
	}
	p.UpdatedAt = s.hub.clock().UTC()
	if err := s.hub.svc.Store.UpdateParticipant(ctx, &p, nil); err != nil {
		return err
	}
	*s.id.Participant = p
	s.reply(encode(TypeProfileOK, env.ID, toParticipantOut(&p)))
	return nil
}

// setLang changes the language the child reads in, mid-session: kept with the participant, so
// that a reconnection keeps it, and told to the room, which sends this connection the state
// in it before the reply.
func (s *session) setLang(ctx context.Context, env Envelope) error {
	var d langSet
	if err := decode(env.Data, &d); err != nil {
		return err
	}
	p := *s.id.Participant
	if err := p.SetLang(voci.Lang(d.Lang)); err != nil {
		return err
	}
	cons, err := s.hub.svc.Store.FindConsultationByID(ctx, s.room.view.Load().session.ConsultationID)
	if err != nil {
		return err
	}
	p.UpdatedAt = s.hub.clock().UTC()
	if err := s.hub.svc.Store.UpdateParticipant(ctx, &p, nil); err != nil {
		return err
	}
	*s.id.Participant = p
	done := make(chan struct{})
	if s.room.send(langMsg{c: s.client, lang: p.Lang, done: done}) {
		select {
		case <-done:
		case <-s.room.stop:
		}
	}
	read := cons.In(cons.ContentLang(string(p.Lang)))
	s.reply(encode(TypeLangOK, env.ID, langOK{Participant: toParticipantOut(&p), ConsultationTitle: read.Title,
		ConsultationEasyRead: read.EasyRead, AudienceBody: read.AudienceBody}))
	return nil
}

func (s *session) help(ctx context.Context, env Envelope) error {
	view := s.room.view.Load()
	ans, err := s.hub.svc.RequestHelp(ctx, &view.session, s.id.Participant)
	if err != nil {
		return err
	}
	// A new request was told to the session's consoles by the Participation (Consoles).
	s.reply(encode(TypeHelpAck, env.ID, toHelpAck(ans, s.id.Participant.Lang)))
	return nil
}

// react records the child's reaction to another child's approved idea.
func (s *session) react(ctx context.Context, env Envelope) error {
	var d ideaReact
	if err := decode(env.Data, &d); err != nil {
		return err
	}
	view := s.room.view.Load()
	q, ok := view.questions[d.QuestionID]
	if !ok {
		return &voci.Error{Code: voci.ENOTOPEN, Param: "questionId", Message: "This question is not part of your session."}
	}
	if err := s.hub.svc.React(ctx, &view.session, s.id.Participant, q, d.IdeaID, voci.Reaction(d.Reaction)); err != nil {
		return err
	}
	s.room.send(reactedMsg{reaction: voci.IdeaReaction{IdeaID: d.IdeaID, QuestionID: q.ID, SessionID: view.session.ID,
		ParticipantID: s.id.Participant.ID, Reaction: voci.Reaction(d.Reaction)}})
	s.reply(encode(TypeIdeaAck, env.ID, map[string]string{"ideaId": d.IdeaID, "reaction": d.Reaction}))
	return nil
}
