package live

// Tallies: the current question's answers and reactions counted in memory, and the results
// revealed to screens.

import (
	"context"
	"slices"
	"strings"

	"github.com/voci-platform/voci/internal/voci"
)

func (r *Room) answered(m answeredMsg) {
	a := m.answer
	if m.replayed {
		return
	}
	choices := nonNil(a.Choices)
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
	ranking := r.isRanking(questionID)
	r.tallyVote(r.votes[participantID], ranking, -1)
	r.votes[participantID] = choices
	r.revisions[participantID] = revision
	r.tallyVote(choices, ranking, 1)
	r.dirty = true
	r.markResultsStale(questionID)
	return true
}

// markResultsStale notes that the results of questionID, if they are on screens now, have
// changed since they were sent. An answer the store took just before the reveal may reach the
// room after it (its reader checked the question while it was open), and a phone that was
// told "got it" must find itself counted in what the room shows.
func (r *Room) markResultsStale(questionID string) {
	if r.session.State == voci.LiveRevealed && questionID == r.session.QuestionID {
		r.resultsStale = true
	}
}

// broadcastResults sends the revealed question's results to every screen and phone.
func (r *Room) broadcastResults(ctx context.Context) {
	r.resultsStale = false
	r.broadcast(encode(TypeResults, "", r.resultsData(ctx)), func(*client) bool { return true })
}

// rankSum is what the counted orders of a ranking gave one option.
type rankSum struct {
	ballots int // orders that placed it
	places  int // the sum of its places in them (1 is first)
}

// tallyVote adds a participant's answer to the tallies (by is 1), or takes it out (-1): its
// choices, or for a ranking its first place (as in results; every ranking names every option)
// and every option's place. O(options) per answer.
func (r *Room) tallyVote(choices []string, ranking bool, by int) {
	if !ranking {
		for _, id := range choices {
			r.counts[id] += by
		}
		return
	}
	if len(choices) > 0 {
		r.counts[choices[0]] += by
	}
	for pos, id := range choices {
		s := r.ranks[id]
		s.ballots += by
		s.places += (pos + 1) * by
		r.ranks[id] = s
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (r *Room) isRanking(questionID string) bool {
	q, ok := r.questions[questionID]
	return ok && q.Kind == voci.KindRanking
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
	authorOf := map[string]string{} // answer ID → participant ID
	for _, a := range answers {
		if a.SessionID == r.id && a.Moderation == voci.ModerationApproved {
			ideas = append(ideas, textData{AnswerID: a.ID, QuestionID: a.QuestionID, Text: a.Text})
			authors[a.ParticipantID] = true
			authorOf[a.ID] = a.ParticipantID
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
			idea.Own = authorOf[idea.AnswerID] == c.participantID
			idea.Reaction = string(mine[idea.AnswerID])
			own[i] = idea
		}
		c.enqueue(encode(TypeIdeas, "", ideasData{QuestionID: r.session.QuestionID, Ideas: own}))
	}
}

// loadVotes reads this session's answers to the current question from the store, so that a
// room started after a restart (or a question opened again) tallies what is stored.
func (r *Room) loadVotes(ctx context.Context) error {
	r.votes, r.revisions, r.counts, r.ranks = map[string][]string{}, map[string]int{}, map[string]int{}, map[string]rankSum{}
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
		r.count(a.ParticipantID, a.QuestionID, nonNil(a.Choices), a.Revision)
	}
	return nil
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
	// Ranking: per option, in the question's order, its average place and Borda points, as
	// the results page computes them (voci.RankingStats). Like the first-place counts beside
	// them they are shown whatever the number of respondents: the results page hides ranking
	// figures only in its breakdowns by group (a whole group's row together), which a live
	// screen does not have.
	Ranking []rankingOption `json:"ranking,omitempty"`
	Texts   []textData      `json:"texts"`
}

type rankingOption struct {
	ID          string  `json:"id"`
	AverageRank float64 `json:"averageRank"` // 1 is first; 0 when nobody placed it
	Points      int     `json:"points"`
}

// resultsData is what children see when the facilitator reveals: the counts and, for text
// questions, the approved texts of this session.
func (r *Room) resultsData(ctx context.Context) resultsPayload {
	p := resultsPayload{tallyData: r.tallyData(), Texts: []textData{}}
	if q, ok := r.questions[r.session.QuestionID]; ok && q.Kind == voci.KindRanking {
		p.Ranking = make([]rankingOption, 0, len(q.Options))
		for _, o := range q.Options {
			s := r.ranks[o.ID]
			st := voci.RankingStats(len(q.Options), s.ballots, s.places)
			p.Ranking = append(p.Ranking, rankingOption{ID: o.ID, AverageRank: st.AverageRank, Points: st.Points})
		}
	}
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
