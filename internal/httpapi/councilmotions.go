package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// A youth council's passed motions sent to the local council as recommendations, and the
// answer coming back (voci.CouncilRecommendations). The coordinator sends them from the
// council's page; so may the council's president from their phone, as they draft the
// council's agenda there: sending speaks for the council, which the president does. Members
// see on their phones what became of each motion sent.

func (s *Server) councilRecommendations() *voci.CouncilRecommendations {
	return &voci.CouncilRecommendations{Store: s.Store, Clock: s.Clock, Decisions: s.Decisions}
}

type voteCountsJSON struct {
	Yes       int    `json:"yes"`
	No        int    `json:"no"`
	Abstain   int    `json:"abstain"`
	NotVoting int    `json:"notVoting"`
	Absent    int    `json:"absent"`
	Present   int    `json:"present"`
	InOffice  int    `json:"inOffice"`
	Outcome   string `json:"outcome"`
	Rule      string `json:"rule"`
}

type motionDecisionJSON struct {
	Number        string     `json:"number"`
	Date          time.Time  `json:"date"`
	Title         string     `json:"title"`
	Status        string     `json:"status"`
	Response      string     `json:"response"`
	Reasons       string     `json:"reasons,omitempty"`
	DeferredUntil *time.Time `json:"deferredUntil,omitempty"`
	PassedTo      string     `json:"passedTo,omitempty"`
}

type motionFeedbackJSON struct {
	Version     int                       `json:"version"`
	Texts       map[string]feedbackTextIO `json:"texts"`
	PublishedAt time.Time                 `json:"publishedAt"`
}

type councilMotionJSON struct {
	MeetingID    string          `json:"meetingId"`
	MeetingTitle string          `json:"meetingTitle"`
	MeetingDate  time.Time       `json:"meetingDate"`
	Number       string          `json:"number"`
	Title        string          `json:"title"`
	Text         string          `json:"text"`
	MotionState  string          `json:"motionState"`
	Vote         *voteCountsJSON `json:"vote"`
	// Sent: the motion went to the local council; RecommendationID is its recommendation.
	Sent             bool                 `json:"sent"`
	RecommendationID string               `json:"recommendationId,omitempty"`
	SentAt           *time.Time           `json:"sentAt,omitempty"`
	AudienceBody     string               `json:"audienceBody,omitempty"`
	Answer           string               `json:"answer,omitempty"` // sent, decided, answered
	Decisions        []motionDecisionJSON `json:"decisions"`
	Feedback         *motionFeedbackJSON  `json:"feedback"`
}

func toCouncilMotionJSON(sm *voci.SentMotion) councilMotionJSON {
	mo := sm.Motion
	out := councilMotionJSON{MeetingID: sm.MeetingID, MeetingTitle: sm.MeetingTitle, MeetingDate: sm.MeetingDate, Number: mo.Number,
		Title: mo.Title, Text: mo.Text, MotionState: string(mo.State), Decisions: []motionDecisionJSON{}}
	if r := sm.Result; r != nil {
		out.Vote = &voteCountsJSON{Yes: r.Yes, No: r.No, Abstain: r.Abstain, NotVoting: r.NotVoting, Absent: r.Absent,
			Present: r.Present, InOffice: r.InOffice, Outcome: string(r.Outcome), Rule: string(r.Rule)}
	}
	if rec := sm.Recommendation; rec != nil {
		at := rec.CreatedAt
		out.Sent, out.RecommendationID, out.SentAt, out.AudienceBody, out.Answer = true, rec.ID, &at, rec.AudienceBody, string(sm.State)
	}
	for _, d := range sm.Decisions {
		out.Decisions = append(out.Decisions, motionDecisionJSON{Number: d.Number, Date: d.Date, Title: d.Title, Status: d.Status,
			Response: d.Response, Reasons: d.Reasons, DeferredUntil: optTime(d.DeferredUntil), PassedTo: d.PassedTo})
	}
	if fb := sm.Feedback; fb != nil {
		out.Feedback = &motionFeedbackJSON{Version: fb.Version, Texts: map[string]feedbackTextIO{}, PublishedAt: fb.PublishedAt}
		for l, t := range fb.Texts {
			out.Feedback.Texts[string(l)] = feedbackTextIO(t)
		}
	}
	return out
}

func councilMotionsJSON(list []voci.SentMotion) []councilMotionJSON {
	out := make([]councilMotionJSON, 0, len(list))
	for i := range list {
		out = append(out, toCouncilMotionJSON(&list[i]))
	}
	return out
}

// handleListCouncilMotions lists the council's passed motions, sent or not, with the answer.
func (s *Server) handleListCouncilMotions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		list, err := s.councilRecommendations().CouncilMotions(c.UserContext(), yc, false)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"motions": councilMotionsJSON(list)})
	}
}

// handleCouncilMotionsFeedback lists, in one answer, every version of the feedback (drafts
// too) of each of the council's motions sent to the local council, with the languages it must
// be written in: what the coordinator's page needs to write and review it, in two reads of
// the store however many motions were sent.
func (s *Server) handleCouncilMotionsFeedback() fiber.Handler {
	type recommendationOut struct {
		ID                string        `json:"id"`
		RequiredLanguages []string      `json:"requiredLanguages"`
		Versions          []feedbackOut `json:"versions"`
	}
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		siruta := sirutaOf(c)
		recs, err := s.Store.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: siruta, Source: voci.SourceCouncilMotion})
		if err != nil {
			return err
		}
		out := []recommendationOut{}
		if len(recs) > 0 {
			fbs, err := s.Store.ListFeedback(ctx, voci.FeedbackFilter{Municipality: siruta})
			if err != nil {
				return err
			}
			at := map[string]int{}
			for _, r := range recs {
				required, err := s.Feedbacks.RequiredLanguages(ctx, r)
				if err != nil {
					return err
				}
				at[r.ID] = len(out)
				out = append(out, recommendationOut{ID: r.ID, RequiredLanguages: stringsOf(required), Versions: []feedbackOut{}})
			}
			for _, f := range fbs {
				if i, ok := at[f.RecommendationID]; ok {
					out[i].Versions = append(out[i].Versions, toFeedbackOut(f))
				}
			}
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"recommendations": out})
	}
}

// sendMotion sends the route's motion and answers with it: 201 when this request sent it,
// 200 when it had been sent already.
func (s *Server) sendMotion(c *fiber.Ctx, yc *voci.YouthCouncil, by voci.MotionSender, audit *voci.AuditEntry) error {
	ctx := c.UserContext()
	meetingID, number := c.Params("meeting"), c.Params("number")
	rec, created, err := s.councilRecommendations().SendMotion(ctx, yc, meetingID, number, by, audit)
	if err != nil {
		return err
	}
	list, err := s.councilRecommendations().CouncilMotions(ctx, yc, true)
	if err != nil {
		return err
	}
	for i := range list {
		if list[i].Recommendation != nil && list[i].Recommendation.ID == rec.ID {
			if created {
				c.Status(fiber.StatusCreated)
			}
			return c.JSON(toCouncilMotionJSON(&list[i]))
		}
	}
	return voci.Errorf(voci.ENOTFOUND, "The motion was sent, but its meeting is no longer listed.")
}

// handleSendCouncilMotion: the coordinator (or the admin) sends a passed motion.
func (s *Server) handleSendCouncilMotion() fiber.Handler {
	return func(c *fiber.Ctx) error {
		yc, err := s.councilOf(c)
		if err != nil {
			return err
		}
		p := principalOf(c)
		audit := s.changeAudit(c, "council_motion.send", "recommendation", "",
			fmt.Sprintf("meeting %s, motion %s", c.Params("meeting"), c.Params("number")))
		return s.sendMotion(c, yc, voci.MotionSender{AccountID: p.account.ID}, audit)
	}
}

// handleMemberSendCouncilMotion: the council's president sends a passed motion from their
// phone; any other member gets 403.
func (s *Server) handleMemberSendCouncilMotion() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := c.Locals(memberKey).(*memberPrincipal)
		yc, err := s.Store.FindYouthCouncil(c.UserContext(), p.member.Municipality)
		if err != nil {
			return err
		}
		if yc.ID != p.member.CouncilID {
			return voci.Errorf(voci.ENOTFOUND, "Your council has no such meeting.")
		}
		audit := s.memberAuditEntry(c, p, "council_motion.send", "recommendation", "", fmt.Sprintf("meeting %s, motion %s", c.Params("meeting"), c.Params("number")))
		return s.sendMotion(c, yc, voci.MotionSender{Member: p.member}, audit)
	}
}

// handleMemberCouncilAnswers shows a member what became of the council's motions sent to the
// local council: published feedback only, never a draft. The president, who may send them,
// also sees the passed motions not sent yet (maySend).
func (s *Server) handleMemberCouncilAnswers() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := c.Locals(memberKey).(*memberPrincipal)
		yc, err := s.Store.FindYouthCouncil(c.UserContext(), p.member.Municipality)
		if err != nil {
			return err
		}
		if yc.ID != p.member.CouncilID {
			return c.JSON(fiber.Map{"motions": []councilMotionJSON{}, "maySend": false})
		}
		maySend := voci.MotionSender{Member: p.member}.MaySend()
		list, err := s.councilRecommendations().CouncilMotions(c.UserContext(), yc, !maySend)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"motions": councilMotionsJSON(list), "maySend": maySend})
	}
}

// councilFiguresOnMeetingEnded writes the summary of a meeting that has just ended, which the
// national indicators count (voci.MeetingFigures). A failure is logged: the meeting has ended
// whatever its summary.
func (s *Server) councilFiguresOnMeetingEnded(ctx context.Context, meetingID string, at time.Time) {
	if err := s.writeMeetingFigures(ctx, meetingID, at); err != nil {
		s.Logger.Error("meeting figures not written", "meeting", meetingID, "error", err)
	}
}

func (s *Server) writeMeetingFigures(ctx context.Context, meetingID string, at time.Time) error {
	cm, err := s.Store.FindCouncilMeeting(ctx, meetingID)
	if err != nil {
		return err
	}
	log, _, err := s.Store.LoadMeetingLog(ctx, meetingID)
	if err != nil {
		return err
	}
	if cm.EndedAt.IsZero() {
		cm.EndedAt = at
	}
	f, err := voci.FiguresOfMeeting(cm, log)
	if err != nil {
		return err
	}
	return s.Store.PutMeetingFigures(ctx, f)
}
