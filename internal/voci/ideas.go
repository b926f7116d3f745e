package voci

import (
	"context"
	"time"
)

// Reaction is what a child thinks of another child's idea on an idea board.
type Reaction string

const (
	ReactAgree    Reaction = "agree"
	ReactDisagree Reaction = "disagree"
	ReactPass     Reaction = "pass"
)

// Valid reports whether r is a known reaction.
func (r Reaction) Valid() bool { return r == ReactAgree || r == ReactDisagree || r == ReactPass }

// IdeaReaction is one child's reaction to one idea. A child has at most one per idea; reacting
// again replaces it.
type IdeaReaction struct {
	IdeaID        string // the answer that holds the idea
	QuestionID    string
	SessionID     string
	ParticipantID string
	Reaction      Reaction
	At            time.Time
}

// ReactionCounts are the reactions to one idea.
type ReactionCounts struct {
	Agree, Disagree, Pass int
}

// Add returns c with n more reactions r (n < 0 takes them away); an unknown r changes nothing.
func (c ReactionCounts) Add(r Reaction, n int) ReactionCounts {
	switch r {
	case ReactAgree:
		c.Agree += n
	case ReactDisagree:
		c.Disagree += n
	case ReactPass:
		c.Pass += n
	}
	return c
}

// IdeaStore keeps reactions to ideas.
type IdeaStore interface {
	// SaveReaction stores the participant's reaction to the idea, replacing an earlier one;
	// saving the same reaction again changes nothing. It returns once durable. A live
	// participant's reaction (SessionID set) is refused with EREMOVED once they are removed,
	// as SaveAnswer refuses an answer.
	SaveReaction(ctx context.Context, r *IdeaReaction) error
	// CountReactions counts the reactions to the question's ideas, by idea (answer) ID.
	CountReactions(ctx context.Context, questionID string) (map[string]ReactionCounts, error)
	// ListReactions returns every reaction given in the live session to the question's
	// ideas, so that a room can count them and show each child what they chose.
	ListReactions(ctx context.Context, questionID, sessionID string) ([]IdeaReaction, error)
	// ListParticipantReactions returns the participant's reactions to the question's ideas.
	ListParticipantReactions(ctx context.Context, questionID, participantID string) ([]IdeaReaction, error)
	// DeleteReactions forgets every reaction to the question's idea; none is no error.
	DeleteReactions(ctx context.Context, questionID, ideaID string) error
}

// React records a child's reaction to an idea of the open idea board. It returns EINVALID for
// an unknown reaction, for a question that is not an idea board and for the child's own idea,
// ENOTOPEN when the board does not take answers now, and ENOTFOUND for an idea that is not an
// approved idea of this board (ideas are seen, and so reacted to, only once approved).
func (p *Participation) React(ctx context.Context, s *LiveSession, part *Participant, q *Question, ideaID string, reaction Reaction) error {
	if !reaction.Valid() {
		return InvalidParam("reaction", "React with agree, disagree or pass.")
	}
	if q.Kind != KindIdeaBoard {
		return InvalidParam("questionId", "Only ideas of an idea board take reactions.")
	}
	if part.Removed {
		return Errorf(EREMOVED, "The facilitator removed you from this session.")
	}
	if part.SessionID != s.ID || !s.AcceptsAnswers(q.ID, p.now()) {
		return &Error{Code: ENOTOPEN, Param: "questionId", Message: "This idea board is not open right now."}
	}
	idea, err := p.Store.FindAnswerByID(ctx, ideaID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return err
	}
	// Only ideas of the child's own session reach their phone; another session's are not theirs to judge.
	if err != nil || idea.QuestionID != q.ID || idea.SessionID != s.ID || idea.Moderation != ModerationApproved {
		return &Error{Code: ENOTFOUND, Param: "ideaId", Message: "There is no such idea on this board."}
	}
	if idea.ParticipantID == part.ID {
		return InvalidParam("ideaId", "This is your own idea; react to the others'.")
	}
	return p.Store.SaveReaction(ctx, &IdeaReaction{IdeaID: idea.ID, QuestionID: q.ID, SessionID: s.ID,
		ParticipantID: part.ID, Reaction: reaction, At: p.now()})
}
