package voci

import (
	"context"
	"slices"
)

// SelfPacedIdea is an approved idea of an idea board as a child on a self-paced link sees it.
type SelfPacedIdea struct {
	IdeaID string // the answer that holds the idea
	Text   string
	// Own marks the child's own idea, which they do not react to.
	Own bool
	// Reaction is the child's reaction to the idea; "" when none.
	Reaction Reaction
}

// MaxSelfPacedIdeas bounds the ideas a child on a self-paced link is shown: the newest.
const MaxSelfPacedIdeas = 200

// selfPacedBoard returns the idea board questionID of the consultation, for its child part,
// while the link takes children. EUNAUTHORIZED for a child of another consultation, a
// *SelfPacedWindowError outside the link's dates, EQUESTIONUNKNOWN for a question of another
// consultation and EINVALID for a question that is not an idea board.
func (p *Participation) selfPacedBoard(ctx context.Context, c *Consultation, part *Participant, questionID string) (*Question, error) {
	if part.ConsultationID != c.ID {
		return nil, Errorf(EUNAUTHORIZED, "Open the link again to take part.")
	}
	if err := c.CheckSelfPacedWindow(p.now()); err != nil {
		return nil, err
	}
	q, err := p.Store.FindQuestionByID(ctx, questionID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && q.ConsultationID != c.ID) {
		return nil, &Error{Code: EQUESTIONUNKNOWN, Param: "questionId", Message: "This consultation has no such question."}
	} else if err != nil {
		return nil, err
	}
	if q.Kind != KindIdeaBoard {
		return nil, InvalidParam("questionId", "Only an idea board has ideas to react to.")
	}
	return q, nil
}

// SelfPacedIdeas returns the approved ideas of the consultation's idea board, newest first
// (at most MaxSelfPacedIdeas), from every way of taking part, with the child's reactions. A
// child alone with a link has no room to hear the others in: this is where they read them.
// It returns the errors of selfPacedBoard.
func (p *Participation) SelfPacedIdeas(ctx context.Context, c *Consultation, part *Participant, questionID string) ([]SelfPacedIdea, error) {
	q, err := p.selfPacedBoard(ctx, c, part, questionID)
	if err != nil {
		return nil, err
	}
	answers, err := p.Store.ListAnswers(ctx, q.ID)
	if err != nil {
		return nil, err
	}
	answers = slices.DeleteFunc(answers, func(a Answer) bool { return a.Moderation != ModerationApproved })
	slices.SortStableFunc(answers, func(a, b Answer) int { return b.CreatedAt.Compare(a.CreatedAt) })
	answers = answers[:min(len(answers), MaxSelfPacedIdeas)]
	reactions, err := p.Store.ListParticipantReactions(ctx, q.ID, part.ID)
	if err != nil {
		return nil, err
	}
	mine := map[string]Reaction{}
	for _, r := range reactions {
		mine[r.IdeaID] = r.Reaction
	}
	ideas := make([]SelfPacedIdea, len(answers))
	for i, a := range answers {
		ideas[i] = SelfPacedIdea{IdeaID: a.ID, Text: a.Text, Own: a.ParticipantID == part.ID, Reaction: mine[a.ID]}
	}
	return ideas, nil
}

// ReactSelfPaced records the reaction of a child on a self-paced link to an approved idea of
// the board, replacing their earlier one. It returns EINVALID for an unknown reaction and for
// the child's own idea, ENOTFOUND for an idea that is not an approved idea of this board, and
// the errors of selfPacedBoard.
func (p *Participation) ReactSelfPaced(ctx context.Context, c *Consultation, part *Participant, questionID, ideaID string, reaction Reaction) error {
	if !reaction.Valid() {
		return InvalidParam("reaction", "React with agree, disagree or pass.")
	}
	q, err := p.selfPacedBoard(ctx, c, part, questionID)
	if err != nil {
		return err
	}
	idea, err := p.Store.FindAnswerByID(ctx, ideaID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return err
	}
	if err != nil || idea.QuestionID != q.ID || idea.Moderation != ModerationApproved {
		return &Error{Code: ENOTFOUND, Param: "ideaId", Message: "There is no such idea on this board."}
	}
	if idea.ParticipantID == part.ID {
		return InvalidParam("ideaId", "This is your own idea; react to the others'.")
	}
	return p.Store.SaveReaction(ctx, &IdeaReaction{IdeaID: idea.ID, QuestionID: q.ID, ParticipantID: part.ID, Reaction: reaction, At: p.now()})
}
