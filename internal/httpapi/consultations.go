package httpapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// Who works on consultations: facilitators and coordinators prepare and run them; council
// members read them and their results.
var (
	consultationEditors = []voci.Role{voci.RoleFacilitator, voci.RoleCoordinator}
	consultationReaders = []voci.Role{voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember}
)

type optionIO struct {
	ID    string `json:"id,omitempty" validate:"max=32"`
	Label string `json:"label" validate:"required,max=100"`
	Emoji string `json:"emoji,omitempty" validate:"max=32"`
	// Picture is shown, and ignored when sent: pictures have their own routes (pictures.go).
	Picture *live.PictureJSON `json:"picture,omitempty"`
}

type questionOut struct {
	ID         string     `json:"id"`
	Position   int        `json:"position"`
	Kind       string     `json:"kind"`
	Prompt     string     `json:"prompt"`
	EasyRead   string     `json:"easyRead"`
	Options    []optionIO `json:"options"`
	EmojiFaces bool       `json:"emojiFaces"`
	MaxChoices int        `json:"maxChoices"`
	Frozen     bool       `json:"frozen"`
	// PromptVersion counts the wordings: above 1 when reworded after children answered.
	PromptVersion int                       `json:"promptVersion"`
	Picture       *live.PictureJSON         `json:"picture,omitempty"`
	Translations  map[string]questionTextIO `json:"translations"`
}

func toQuestionOut(q *voci.Question) questionOut {
	out := questionOut{ID: q.ID, Position: q.Position, Kind: string(q.Kind), Prompt: q.Prompt, EasyRead: q.EasyRead,
		Options: []optionIO{}, EmojiFaces: q.EmojiFaces, MaxChoices: q.MaxChoices, Frozen: q.Frozen, PromptVersion: q.PromptVersion,
		Picture: live.ToPictureJSON(q.Picture), Translations: toQuestionTextsOut(q.Translations)}
	for _, o := range q.Options {
		out.Options = append(out.Options, optionIO{ID: o.ID, Label: o.Label, Emoji: o.Emoji, Picture: live.ToPictureJSON(o.Picture)})
	}
	return out
}

type consultationOut struct {
	ID             string        `json:"id"`
	Municipality   int           `json:"municipality"`
	Title          string        `json:"title"`
	Purpose        string        `json:"purpose"`
	EasyRead       string        `json:"easyRead"`
	AgeBands       []string      `json:"ageBands"`
	Goals          []string      `json:"goals"`
	Topics         []string      `json:"topics"`
	AudienceBody   string        `json:"audienceBody"`
	AnswerBy       *time.Time    `json:"answerBy"`
	Status         string        `json:"status"`
	Modes          []string      `json:"modes"`
	SelfPacedFrom  *time.Time    `json:"selfPacedFrom"`
	SelfPacedUntil *time.Time    `json:"selfPacedUntil"`
	CreatedAt      time.Time     `json:"createdAt"`
	UpdatedAt      time.Time     `json:"updatedAt"`
	Questions      []questionOut `json:"questions,omitempty"`
	// Languages are offered, the original first; Translations hold the texts in the others.
	Languages    []string                      `json:"languages"`
	Translations map[string]consultationTextIO `json:"translations"`
	// MissingTranslations counts the texts not yet written in each other language (with the
	// questions only); Lang is the language the texts were asked in (?lang=), once resolved.
	MissingTranslations map[string]int `json:"missingTranslations,omitempty"`
	Lang                string         `json:"lang,omitempty"`
	// Feedback says whether the audience has answered the children: answered, overdue,
	// waiting or none (no date yet).
	Feedback *feedbackStatusOut `json:"feedback,omitempty"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func stringsOf[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}

func typed[T ~string](v []string) []T {
	out := make([]T, len(v))
	for i, x := range v {
		out[i] = T(x)
	}
	return out
}

func toConsultationOut(c *voci.Consultation, qs []voci.Question) consultationOut {
	topics := c.Topics
	if topics == nil {
		topics = []string{}
	}
	out := consultationOut{ID: c.ID, Municipality: c.Municipality, Title: c.Title, Purpose: c.Purpose, EasyRead: c.EasyRead,
		AgeBands: stringsOf(c.AgeBands), Goals: stringsOf(c.Goals), Topics: topics, AudienceBody: c.AudienceBody,
		AnswerBy: optTime(c.AnswerBy), Status: string(c.Status), Modes: stringsOf(c.Modes),
		SelfPacedFrom: optTime(c.SelfPacedFrom), SelfPacedUntil: optTime(c.SelfPacedUntil), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Languages: stringsOf(c.OfferedLanguages()), Translations: toConsultationTextsOut(c.Translations)}
	if qs != nil {
		out.MissingTranslations = toMissingOut(voci.MissingTranslations(c, qs))
		out.Questions = []questionOut{}
		for i := range qs {
			out.Questions = append(out.Questions, toQuestionOut(&qs[i]))
		}
	}
	return out
}

// consultationRequest is the editable part of a consultation, for creating and replacing.
type consultationRequest struct {
	Title          string     `json:"title" validate:"required,max=120"`
	Purpose        string     `json:"purpose" validate:"max=2000"`
	EasyRead       string     `json:"easyRead" validate:"max=2000"`
	AgeBands       []string   `json:"ageBands" validate:"max=4"`
	Goals          []string   `json:"goals" validate:"max=5"`
	Topics         []string   `json:"topics" validate:"max=10"`
	AudienceBody   string     `json:"audienceBody" validate:"max=200"`
	AnswerBy       *time.Time `json:"answerBy"`
	Modes          []string   `json:"modes" validate:"max=3"`
	SelfPacedFrom  *time.Time `json:"selfPacedFrom"`
	SelfPacedUntil *time.Time `json:"selfPacedUntil"`
	// Languages: empty keeps Romanian only (on creation) or the languages offered (on a
	// change that does not say).
	Languages    []string                      `json:"languages" validate:"max=3"`
	Translations map[string]consultationTextIO `json:"translations" validate:"max=3,dive"`
}

func (r consultationRequest) consultation() voci.Consultation {
	c := voci.Consultation{Title: r.Title, Purpose: r.Purpose, EasyRead: r.EasyRead, AgeBands: typed[voci.AgeBand](r.AgeBands),
		Languages: typed[voci.Lang](r.Languages), Translations: consultationTextsIn(r.Translations),
		Goals: typed[voci.CFCIGoal](r.Goals), Topics: r.Topics, AudienceBody: r.AudienceBody, Modes: typed[voci.Mode](r.Modes)}
	if r.AnswerBy != nil {
		c.AnswerBy = r.AnswerBy.UTC()
	}
	if r.SelfPacedFrom != nil {
		c.SelfPacedFrom = r.SelfPacedFrom.UTC()
	}
	if r.SelfPacedUntil != nil {
		c.SelfPacedUntil = r.SelfPacedUntil.UTC()
	}
	return c
}

func sirutaOf(c *fiber.Ctx) int {
	n, _ := strconv.Atoi(c.Params("siruta")) // the access rule has checked it
	return n
}

// consultationIn loads the consultation named by :id, answering 404 when it belongs to
// another municipality than the route's :siruta.
func (s *Server) consultationIn(c *fiber.Ctx) (*voci.Consultation, error) {
	cons, err := s.Store.FindConsultationByID(c.UserContext(), c.Params("id"))
	if err != nil {
		return nil, err
	}
	if cons.Municipality != sirutaOf(c) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such consultation.")
	}
	return cons, nil
}

func (s *Server) questionIn(c *fiber.Ctx, cons *voci.Consultation) (*voci.Question, error) {
	q, err := s.Store.FindQuestionByID(c.UserContext(), c.Params("qid"))
	if err != nil {
		return nil, err
	}
	if q.ConsultationID != cons.ID {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such question in this consultation.")
	}
	return q, nil
}

func (s *Server) handleListConsultations() fiber.Handler {
	type response struct {
		Items    []consultationOut `json:"items"`
		Total    int               `json:"total"`
		Page     int               `json:"page"`
		PageSize int               `json:"pageSize"`
	}
	return func(c *fiber.Ctx) error {
		page, err := intQuery(c, "page", 1, 1, 100000)
		if err != nil {
			return err
		}
		size, err := intQuery(c, "pageSize", 20, 1, voci.MaxPageSize)
		if err != nil {
			return err
		}
		f := voci.ConsultationFilter{Municipality: sirutaOf(c), Offset: (page - 1) * size, Limit: size}
		switch st := voci.ConsultationStatus(c.Query("status")); st {
		case "", voci.StatusDraft, voci.StatusOpen, voci.StatusClosed:
			f.Status = st
		default:
			return voci.InvalidParam("status", "The status is draft, open or closed.")
		}
		found, total, err := s.Store.FindConsultations(c.UserContext(), f)
		if err != nil {
			return err
		}
		statuses, err := s.Feedbacks.FeedbackStatuses(c.UserContext(), f.Municipality, found)
		if err != nil {
			return err
		}
		resp := response{Items: []consultationOut{}, Total: total, Page: page, PageSize: size}
		for i := range found {
			out := toConsultationOut(&found[i], nil)
			out.Feedback = toFeedbackStatusOut(statuses[found[i].ID])
			resp.Items = append(resp.Items, out)
		}
		return c.JSON(resp)
	}
}

func (s *Server) handleCreateConsultation() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req consultationRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons := req.consultation()
		cons.Municipality = sirutaOf(c)
		// Unless the request says otherwise, the audience answers the municipality's feedback
		// days after the consultation closes.
		profile, err := s.Store.FindMunicipalityProfile(c.UserContext(), cons.Municipality)
		if err != nil {
			return err
		}
		voci.OfferAnswerBy(&cons, profile.FeedbackDeadlineDays)
		audit := s.changeAudit(c, "consultation.create", "consultation", "", "")
		if err := s.Participation.CreateConsultation(c.UserContext(), principalOf(c).account.ID, &cons, audit); err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toConsultationOut(&cons, []voci.Question{}))
	}
}

func (s *Server) handleGetConsultation() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		qs, err := s.Store.ListQuestions(c.UserContext(), cons.ID)
		if err != nil {
			return err
		}
		if qs == nil {
			qs = []voci.Question{}
		}
		st, err := s.Feedbacks.ConsultationStatusOf(c.UserContext(), cons)
		if err != nil {
			return err
		}
		if want := c.Query("lang"); want != "" {
			read, rqs, lang := inLang(cons, qs, want)
			out := toConsultationOut(read, rqs)
			out.Lang, out.MissingTranslations = string(lang), toMissingOut(voci.MissingTranslations(cons, qs))
			out.Feedback = toFeedbackStatusOut(st)
			return c.JSON(out)
		}
		out := toConsultationOut(cons, qs)
		out.Feedback = toFeedbackStatusOut(st)
		return c.JSON(out)
	}
}

func (s *Server) handleUpdateConsultation() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req consultationRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		audit := s.changeAudit(c, "consultation.update", "consultation", cons.ID, "")
		next := req.consultation()
		if next.Languages == nil {
			next.Languages, next.Translations = cons.Languages, cons.Translations
		}
		updated, err := s.Participation.UpdateConsultation(c.UserContext(), cons, next, audit)
		if err != nil {
			return err
		}
		return c.JSON(toConsultationOut(updated, nil))
	}
}

func (s *Server) handleSetConsultationStatus() fiber.Handler {
	type request struct {
		Status string `json:"status" validate:"required,oneof=open closed"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		audit := s.changeAudit(c, "consultation.set_status", "consultation", cons.ID, "status "+req.Status)
		if err := s.Participation.SetConsultationStatus(c.UserContext(), cons, voci.ConsultationStatus(req.Status), audit); err != nil {
			return err
		}
		return c.JSON(toConsultationOut(cons, nil))
	}
}

type questionRequest struct {
	Kind       string     `json:"kind" validate:"required,max=20"`
	Prompt     string     `json:"prompt" validate:"required,max=300"`
	EasyRead   string     `json:"easyRead" validate:"max=600"`
	Options    []optionIO `json:"options" validate:"max=12,dive"`
	EmojiFaces bool       `json:"emojiFaces"`
	MaxChoices int        `json:"maxChoices" validate:"min=0,max=12"`
	// ScalePoints is 3 or 5 for a scale question; its options are then generated (by the
	// domain's rule when it is not given).
	ScalePoints int `json:"scalePoints" validate:"omitempty,oneof=3 5"`
	// Translations: the wording in the consultation's other languages, keyed by language.
	Translations map[string]questionTextIO `json:"translations" validate:"max=3,dive"`
}

func (r questionRequest) question() voci.Question {
	q := voci.Question{Kind: voci.QuestionKind(r.Kind), Prompt: r.Prompt, EasyRead: r.EasyRead, EmojiFaces: r.EmojiFaces, MaxChoices: r.MaxChoices,
		Translations: questionTextsIn(r.Translations)}
	for _, o := range r.Options {
		q.Options = append(q.Options, voci.Option{ID: o.ID, Label: o.Label, Emoji: o.Emoji})
	}
	if q.Kind == voci.KindScale {
		q.Options = make([]voci.Option, r.ScalePoints) // as many as asked for; none when not given
	}
	return q
}

func (s *Server) handleAddQuestion() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req questionRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		q := req.question()
		audit := s.changeAudit(c, "question.create", "question", "", "consultation "+cons.ID)
		if err := s.Participation.AddQuestion(c.UserContext(), cons, &q, audit); err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toQuestionOut(&q))
	}
}

func (s *Server) handleUpdateQuestion() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req questionRequest
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		q, err := s.questionIn(c, cons)
		if err != nil {
			return err
		}
		audit := s.changeAudit(c, "question.update", "question", q.ID, "consultation "+cons.ID)
		next := req.question()
		if req.Translations == nil { // not given: kept as they are
			next.Translations = q.Translations
		}
		updated, err := s.Participation.UpdateQuestion(c.UserContext(), q, next, audit)
		if err != nil {
			return err
		}
		return c.JSON(toQuestionOut(updated))
	}
}

func (s *Server) handleDeleteQuestion() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		q, err := s.questionIn(c, cons)
		if err != nil {
			return err
		}
		audit := s.changeAudit(c, "question.delete", "question", q.ID, "consultation "+cons.ID)
		if err := s.Participation.DeleteQuestion(c.UserContext(), q, audit); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (s *Server) handleReorderQuestions() fiber.Handler {
	type request struct {
		QuestionIDs []string `json:"questionIds" validate:"required,max=50"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		audit := s.changeAudit(c, "question.reorder", "consultation", cons.ID, "")
		if err := s.Participation.ReorderQuestions(c.UserContext(), cons, req.QuestionIDs, audit); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// handleRemovePaperForm takes back a paper form typed in by mistake, by the key it was typed
// in under, so that the facilitator can type it again, corrected.
func (s *Server) handleRemovePaperForm() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		key := strings.Clone(c.Params("key"))
		audit := s.changeAudit(c, "paper_form.remove", "consultation", cons.ID, "form "+key)
		if _, err := s.Participation.RemovePaperForm(c.UserContext(), cons, key, audit); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// handleListSittingPaperForms lists the paper forms the caller typed in one sitting of the
// entry screen, with their answers, so that the screen shows its list again after a reload.
// Another adult's forms are never listed: the forms are read by the caller's account.
func (s *Server) handleListSittingPaperForms() fiber.Handler {
	type answerOut struct {
		QuestionID string   `json:"questionId"`
		Choices    []string `json:"choices,omitempty"`
		Text       string   `json:"text,omitempty"`
		Moderation string   `json:"moderation,omitempty"`
	}
	type formOut struct {
		Key     string      `json:"key"`
		Number  int         `json:"number"`
		TypedAt time.Time   `json:"typedAt"`
		AgeBand string      `json:"ageBand"`
		Gender  string      `json:"gender"`
		Lang    string      `json:"lang"`
		Answers []answerOut `json:"answers"`
	}
	type response struct {
		Forms []formOut `json:"forms"`
	}
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		adult := ""
		if p := principalOf(c); p != nil && p.account != nil {
			adult = p.account.ID
		}
		forms, err := s.Participation.ListSittingPaperForms(c.UserContext(), cons, adult, strings.Clone(c.Query("sitting")))
		if err != nil {
			return err
		}
		resp := response{Forms: make([]formOut, 0, len(forms))}
		for _, f := range forms {
			out := formOut{Key: f.Key, Number: f.Number, TypedAt: f.TypedAt, AgeBand: string(f.AgeBand), Gender: string(f.Gender),
				Lang: string(f.Lang), Answers: make([]answerOut, 0, len(f.Answers))}
			for _, a := range f.Answers {
				out.Answers = append(out.Answers, answerOut{QuestionID: a.QuestionID, Choices: a.Choices, Text: a.Text, Moderation: string(a.Moderation)})
			}
			resp.Forms = append(resp.Forms, out)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

// handleRecordPaperForm takes one child's paper form, typed in by a facilitator.
func (s *Server) handleRecordPaperForm() fiber.Handler {
	type paperAnswer struct {
		QuestionID string   `json:"questionId" validate:"required,max=64"`
		Choices    []string `json:"choices" validate:"max=12"`
		Text       string   `json:"text" validate:"max=2000"`
	}
	type request struct {
		Key     string        `json:"key" validate:"required,max=64"`
		AgeBand string        `json:"ageBand" validate:"max=20"`
		Gender  string        `json:"gender" validate:"max=20"`
		Lang    string        `json:"lang" validate:"max=8"` // the language the form was printed in
		Answers []paperAnswer `json:"answers" validate:"required,max=50,dive"`
		// The entry screen's sitting and the form's number in it, to list it back (optional).
		Sitting string `json:"sitting" validate:"max=64"`
		Number  int    `json:"number"`
	}
	type answerOut struct {
		QuestionID string `json:"questionId"`
		Moderation string `json:"moderation,omitempty"`
		Replayed   bool   `json:"replayed"`
	}
	type response struct {
		Answers []answerOut `json:"answers"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		form := voci.PaperForm{Key: req.Key, AgeBand: voci.AgeBand(req.AgeBand), Gender: voci.Gender(req.Gender), Lang: voci.Lang(req.Lang),
			Sitting: req.Sitting, Number: req.Number}
		if p := principalOf(c); p != nil && p.account != nil {
			form.EnteredBy = p.account.ID
		}
		for _, a := range req.Answers {
			form.Answers = append(form.Answers, voci.PaperAnswer{QuestionID: a.QuestionID, Input: voci.AnswerInput{Choices: a.Choices, Text: a.Text}})
		}
		// Only the count: the form's answers are a child's.
		audit := s.changeAudit(c, "paper_form.record", "consultation", cons.ID, fmt.Sprintf("%d answers", len(form.Answers)))
		receipts, err := s.Participation.RecordPaperForm(c.UserContext(), cons, form, audit)
		if err != nil {
			return err
		}
		resp := response{Answers: []answerOut{}}
		for _, r := range receipts {
			resp.Answers = append(resp.Answers, answerOut{QuestionID: r.QuestionID, Moderation: string(r.Moderation), Replayed: r.Replayed})
		}
		return c.Status(fiber.StatusCreated).JSON(resp)
	}
}
