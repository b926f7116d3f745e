package httpapi

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// Feedback to children: council members and the coordinator write and approve it (a second
// adult approves what another wrote), facilitators read it. The rules are voci.Feedbacks'.
var (
	feedbackWriters = []voci.Role{voci.RoleCoordinator, voci.RoleCouncilMember}
	feedbackReaders = []voci.Role{voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember}
)

type feedbackTextIO struct {
	Text     string `json:"text" validate:"max=4000"`
	EasyRead string `json:"easyRead" validate:"max=2000"`
}

type feedbackOut struct {
	ID               string                    `json:"id"`
	RecommendationID string                    `json:"recommendationId"`
	Version          int                       `json:"version"`
	Corrects         string                    `json:"corrects,omitempty"`
	State            string                    `json:"state"`
	Texts            map[string]feedbackTextIO `json:"texts"`
	Authors          []string                  `json:"authors"`
	ReviewedBy       string                    `json:"reviewedBy,omitempty"`
	Revision         int                       `json:"revision"`
	CreatedAt        time.Time                 `json:"createdAt"`
	UpdatedAt        time.Time                 `json:"updatedAt"`
	SubmittedAt      *time.Time                `json:"submittedAt"`
	PublishedAt      *time.Time                `json:"publishedAt"`
}

func toFeedbackOut(f *voci.Feedback) feedbackOut {
	out := feedbackOut{ID: f.ID, RecommendationID: f.RecommendationID, Version: f.Version, Corrects: f.Corrects, State: string(f.State),
		Texts: map[string]feedbackTextIO{}, Authors: f.Authors, ReviewedBy: f.ReviewedBy, Revision: f.Revision, CreatedAt: f.CreatedAt,
		UpdatedAt: f.UpdatedAt, SubmittedAt: optTime(f.SubmittedAt), PublishedAt: optTime(f.PublishedAt)}
	if out.Authors == nil {
		out.Authors = []string{}
	}
	for l, t := range f.Texts {
		out.Texts[string(l)] = feedbackTextIO(t)
	}
	return out
}

func feedbackTextsIn(in map[string]feedbackTextIO) map[voci.Lang]voci.FeedbackText {
	out := make(map[voci.Lang]voci.FeedbackText, len(in))
	for l, t := range in {
		out[voci.Lang(l)] = voci.FeedbackText(t)
	}
	return out
}

// feedbackStatusOut is where a consultation stands with its answer to the children: state is
// "answered", "overdue", "waiting" (due later) or "none" (no date set yet).
type feedbackStatusOut struct {
	State           string     `json:"state"`
	DueBy           *time.Time `json:"dueBy"`
	AnsweredAt      *time.Time `json:"answeredAt"`
	Recommendations int        `json:"recommendations"`
	Published       int        `json:"published"`
}

func toFeedbackStatusOut(st voci.FeedbackStatus) *feedbackStatusOut {
	out := &feedbackStatusOut{State: "waiting", DueBy: optTime(st.DueBy), AnsweredAt: optTime(st.AnsweredAt),
		Recommendations: st.Recommendations, Published: st.Published}
	switch {
	case st.Answered:
		out.State = "answered"
	case st.Overdue:
		out.State = "overdue"
	case st.DueBy.IsZero():
		out.State = "none"
	}
	return out
}

type recommendationFeedbackOut struct {
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Text         string        `json:"text"`
	AudienceBody string        `json:"audienceBody"`
	Versions     []feedbackOut `json:"versions"`
}

// handleListConsultationFeedback lists a consultation's recommendations, each with every
// version of its feedback, the languages feedback must be written in and the consultation's
// status.
func (s *Server) handleListConsultationFeedback() fiber.Handler {
	type response struct {
		ConsultationID    string                      `json:"consultationId"`
		Title             string                      `json:"title"`
		RequiredLanguages []string                    `json:"requiredLanguages"`
		Feedback          *feedbackStatusOut          `json:"feedback"`
		Recommendations   []recommendationFeedbackOut `json:"recommendations"`
	}
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		recs, err := s.Store.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: cons.Municipality, ConsultationID: cons.ID})
		if err != nil {
			return err
		}
		fbs, err := s.Store.ListFeedback(ctx, voci.FeedbackFilter{Municipality: cons.Municipality, ConsultationID: cons.ID})
		if err != nil {
			return err
		}
		used, err := s.Store.ParticipantLanguages(ctx, cons.ID)
		if err != nil {
			return err
		}
		st, err := s.Feedbacks.ConsultationStatusOf(ctx, cons)
		if err != nil {
			return err
		}
		resp := response{ConsultationID: cons.ID, Title: cons.Title, RequiredLanguages: stringsOf(voci.RequiredFeedbackLanguages(used)),
			Feedback: toFeedbackStatusOut(st), Recommendations: []recommendationFeedbackOut{}}
		for _, r := range recs {
			ro := recommendationFeedbackOut{ID: r.ID, Title: r.Title, Text: r.Text, AudienceBody: r.AudienceBody, Versions: []feedbackOut{}}
			for _, f := range fbs {
				if f.RecommendationID == r.ID {
					ro.Versions = append(ro.Versions, toFeedbackOut(f))
				}
			}
			resp.Recommendations = append(resp.Recommendations, ro)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

func (s *Server) recommendationIn(c *fiber.Ctx) (*voci.Recommendation, error) {
	return s.Feedbacks.RecommendationIn(c.UserContext(), sirutaOf(c), c.Params("rid"))
}

// handleListFeedback lists every version of a recommendation's feedback, oldest first.
func (s *Server) handleListFeedback() fiber.Handler {
	type response struct {
		RecommendationID  string        `json:"recommendationId"`
		RequiredLanguages []string      `json:"requiredLanguages"`
		Versions          []feedbackOut `json:"versions"`
	}
	return func(c *fiber.Ctx) error {
		r, err := s.recommendationIn(c)
		if err != nil {
			return err
		}
		fbs, err := s.Store.ListFeedback(c.UserContext(), voci.FeedbackFilter{Municipality: r.Municipality, RecommendationID: r.ID})
		if err != nil {
			return err
		}
		required, err := s.Feedbacks.RequiredLanguages(c.UserContext(), r)
		if err != nil {
			return err
		}
		resp := response{RecommendationID: r.ID, RequiredLanguages: stringsOf(required), Versions: []feedbackOut{}}
		for _, f := range fbs {
			resp.Versions = append(resp.Versions, toFeedbackOut(f))
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

// handleStartFeedback begins the first version of a recommendation's feedback, or a
// correction of the published one.
func (s *Server) handleStartFeedback() fiber.Handler {
	type request struct {
		Texts    map[string]feedbackTextIO `json:"texts" validate:"max=3,dive"`
		Corrects string                    `json:"corrects" validate:"max=1000"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		r, err := s.recommendationIn(c)
		if err != nil {
			return err
		}
		audit := s.changeAudit(c, "feedback.start", "feedback", "", "recommendation "+r.ID)
		fb, err := s.Feedbacks.StartFeedback(c.UserContext(), r, principalOf(c).account.ID, feedbackTextsIn(req.Texts), req.Corrects, audit)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toFeedbackOut(fb))
	}
}

func (s *Server) feedbackIn(c *fiber.Ctx) (*voci.Recommendation, *voci.Feedback, error) {
	r, err := s.recommendationIn(c)
	if err != nil {
		return nil, nil, err
	}
	fb, err := s.Feedbacks.FeedbackOf(c.UserContext(), r, c.Params("fid"))
	return r, fb, err
}

// handleEditFeedback replaces the texts of an unpublished version read at revision.
func (s *Server) handleEditFeedback() fiber.Handler {
	type request struct {
		Revision int                       `json:"revision" validate:"required,min=1"`
		Texts    map[string]feedbackTextIO `json:"texts" validate:"max=3,dive"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		_, fb, err := s.feedbackIn(c)
		if err != nil {
			return err
		}
		audit := s.changeAudit(c, "feedback.edit", "feedback", fb.ID, "version "+strconv.Itoa(fb.Version))
		next, err := s.Feedbacks.EditFeedback(c.UserContext(), fb, req.Revision, principalOf(c).account.ID, feedbackTextsIn(req.Texts), audit)
		if err != nil {
			return err
		}
		return c.JSON(toFeedbackOut(next))
	}
}

// handleFeedbackStep submits a draft for review (publish false) or approves and publishes it
// (publish true), read at revision.
func (s *Server) handleFeedbackStep(publish bool) fiber.Handler {
	type request struct {
		Revision int `json:"revision" validate:"required,min=1"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		r, fb, err := s.feedbackIn(c)
		if err != nil {
			return err
		}
		var next *voci.Feedback
		if publish {
			audit := s.changeAudit(c, "feedback.publish", "feedback", fb.ID, "version "+strconv.Itoa(fb.Version))
			next, err = s.Feedbacks.PublishFeedback(c.UserContext(), r, fb, req.Revision, principalOf(c).account.ID, audit)
		} else {
			audit := s.changeAudit(c, "feedback.submit", "feedback", fb.ID, "version "+strconv.Itoa(fb.Version))
			next, err = s.Feedbacks.SubmitFeedback(c.UserContext(), r, fb, req.Revision, audit)
		}
		if err != nil {
			return err
		}
		return c.JSON(toFeedbackOut(next))
	}
}
