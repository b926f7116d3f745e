package live

// Fan-out of children's texts: approved texts to every screen, withdrawn ones taken back.

import (
	"github.com/voci-platform/voci/internal/voci"
)

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
	r.markResultsStale(a.QuestionID)
}

// broadcastWithdrawn takes a text off the screens (and phones) that may show it: the
// facilitator rejected it after all, or its author changed it.
func (r *Room) broadcastWithdrawn(a voci.Answer) {
	toChildren := r.isIdeaBoard(a.QuestionID)
	r.broadcast(encode(TypeTextWithdrawn, "", withdrawnData{AnswerID: a.ID, QuestionID: a.QuestionID}),
		func(c *client) bool { return c.role != RoleParticipant || toChildren })
	r.markResultsStale(a.QuestionID)
}

// phones returns the connected children.
func (r *Room) phones() []*client {
	out := make([]*client, 0, len(r.participants))
	for _, c := range r.participants {
		out = append(out, c)
	}
	return out
}
