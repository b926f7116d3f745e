package httpapi

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/voci-platform/voci/internal/voci"
)

// The review workspace: a consultation's approved input, its themes and the recommendations
// made from them, for the municipality's facilitators, coordinator and council members. A text
// is shown with its question, channel, age band and session, never with its participant, so
// that a child's several answers cannot be linked here.

// review returns the rules of the review workspace on the server's store, clock and k.
func (s *Server) review() *voci.Review {
	r := voci.NewReview(s.Store, s.Participation.K)
	r.Clock = s.Clock
	return r
}

type reviewTextOut struct {
	ID         string   `json:"id"`
	QuestionID string   `json:"questionId"`
	Channel    string   `json:"channel"`
	AgeBand    string   `json:"ageBand"`
	SessionID  string   `json:"sessionId"`
	Text       string   `json:"text"`
	ThemeIDs   []string `json:"themeIds"`
}

type reviewOptionOut struct {
	QuestionID  string   `json:"questionId"`
	OptionID    string   `json:"optionId"`
	Label       string   `json:"label"`
	Emoji       string   `json:"emoji,omitempty"`
	Chosen      *int     `json:"chosen"`
	Respondents *int     `json:"respondents"`
	Suppressed  bool     `json:"suppressed,omitempty"`
	ThemeIDs    []string `json:"themeIds"`
}

type reviewQuestionOut struct {
	ID       string `json:"id"`
	Position int    `json:"position"`
	Kind     string `json:"kind"`
	Prompt   string `json:"prompt"`
}

type reviewSessionOut struct {
	ID        string    `json:"id"`
	StartedAt time.Time `json:"startedAt"`
}

type reviewOut struct {
	ConsultationID string              `json:"consultationId"`
	Title          string              `json:"title"`
	Status         string              `json:"status"`
	AudienceBody   string              `json:"audienceBody"`
	K              int                 `json:"k"`
	Total          int                 `json:"total"`
	Offset         int                 `json:"offset"`
	Limit          int                 `json:"limit"`
	Texts          []reviewTextOut     `json:"texts"`
	Options        []reviewOptionOut   `json:"options"`
	Questions      []reviewQuestionOut `json:"questions"`
	Sessions       []reviewSessionOut  `json:"sessions"`
	AgeBands       []string            `json:"ageBands"`
	Channels       []string            `json:"channels"`
}

func themeIDs(m map[string][]string, key string) []string {
	if ids := m[key]; ids != nil {
		return ids
	}
	return []string{}
}

// handleReviewWorkspace lists a page of a consultation's approved input, filtered.
func (s *Server) handleReviewWorkspace() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		offset, err := intQuery(c, "offset", 0, 0, 1_000_000)
		if err != nil {
			return err
		}
		limit, err := intQuery(c, "limit", voci.DefaultReviewPage, 1, voci.MaxReviewPage)
		if err != nil {
			return err
		}
		f := voci.ReviewTextFilter{QuestionID: c.Query("question"), Source: voci.AnswerSource(c.Query("channel")),
			AgeBand: voci.AgeBand(c.Query("ageBand")), SessionID: c.Query("session"), Words: c.Query("q"), Offset: offset, Limit: limit}
		r := s.review()
		ws, err := r.ListInput(c.UserContext(), cons, f)
		if err != nil {
			return err
		}
		qs, err := s.Store.ListQuestions(c.UserContext(), cons.ID)
		if err != nil {
			return err
		}
		// Input is kept by question and option ID, the same in every language; ?lang= only
		// chooses the words of prompts and options the reader sees.
		read, qs, _ := inLang(cons, qs, c.Query("lang"))
		labels := optionLabels(qs)
		sessions, err := s.Store.ListLiveSessions(c.UserContext(), cons.ID)
		if err != nil {
			return err
		}
		out := reviewOut{ConsultationID: cons.ID, Title: read.Title, Status: string(cons.Status), AudienceBody: cons.AudienceBody,
			K: r.K, Total: ws.Total, Offset: offset, Limit: limit, Texts: []reviewTextOut{}, Options: []reviewOptionOut{},
			Questions: []reviewQuestionOut{}, Sessions: []reviewSessionOut{}, AgeBands: stringsOf(voci.AgeBands),
			Channels: []string{string(voci.SourceLive), string(voci.SourceSelfPaced), string(voci.SourcePaper)}}
		if out.K < 1 {
			out.K = voci.DefaultK
		}
		for _, t := range ws.Texts {
			out.Texts = append(out.Texts, reviewTextOut{ID: t.AnswerID, QuestionID: t.QuestionID, Channel: string(t.Source),
				AgeBand: string(t.AgeBand), SessionID: t.SessionID, Text: t.Text, ThemeIDs: themeIDs(ws.ThemesOf, t.AnswerID)})
		}
		for _, o := range ws.Options {
			out.Options = append(out.Options, reviewOptionOut{QuestionID: o.QuestionID, OptionID: o.OptionID, Label: labels.of(o.QuestionID, o.OptionID, o.Label), Emoji: o.Emoji,
				Chosen: cellPtr(o.Chosen), Respondents: cellPtr(o.Respondents), Suppressed: o.Chosen.Suppressed || o.Respondents.Suppressed,
				ThemeIDs: themeIDs(ws.ThemesOf, voci.OptionKey(o.QuestionID, o.OptionID))})
		}
		for _, q := range qs {
			out.Questions = append(out.Questions, reviewQuestionOut{ID: q.ID, Position: q.Position, Kind: string(q.Kind), Prompt: q.Prompt})
		}
		for _, l := range sessions {
			out.Sessions = append(out.Sessions, reviewSessionOut{ID: l.ID, StartedAt: l.StartedAt})
		}
		return c.JSON(out)
	}
}

// labelsIn holds the option labels of a consultation's questions in the reader's language.
type labelsIn map[string]string

func optionLabels(qs []voci.Question) labelsIn {
	out := labelsIn{}
	for _, q := range qs {
		for _, o := range q.Options {
			out[voci.OptionKey(q.ID, o.ID)] = o.Label
		}
	}
	return out
}

func (l labelsIn) of(questionID, optionID, fallback string) string {
	if label, ok := l[voci.OptionKey(questionID, optionID)]; ok {
		return label
	}
	return fallback
}

// themeLabels returns the option labels of the consultation in the language asked for.
func (s *Server) themeLabels(c *fiber.Ctx, cons *voci.Consultation) (labelsIn, error) {
	qs, err := s.Store.ListQuestions(c.UserContext(), cons.ID)
	if err != nil {
		return nil, err
	}
	_, qs, _ = inLang(cons, qs, c.Query("lang"))
	return optionLabels(qs), nil
}

type themeItemIO struct {
	AnswerID   string `json:"answerId,omitempty" validate:"max=64"`
	QuestionID string `json:"questionId,omitempty" validate:"max=64"`
	OptionID   string `json:"optionId,omitempty" validate:"max=64"`
}

type themeItemOut struct {
	AnswerID   string `json:"answerId,omitempty"`
	QuestionID string `json:"questionId"`
	OptionID   string `json:"optionId,omitempty"`
	// Text is an approved text's words; Shown is false (and Text empty) once it is no longer
	// approved. Label is an option's.
	Text    string `json:"text,omitempty"`
	Shown   bool   `json:"shown"`
	Channel string `json:"channel,omitempty"`
	Label   string `json:"label,omitempty"`
}

type quoteOut struct {
	AnswerID string `json:"answerId"`
	Text     string `json:"text"`
}

type optionSupportOut struct {
	QuestionID  string   `json:"questionId"`
	OptionID    string   `json:"optionId"`
	Label       string   `json:"label"`
	Chosen      *int     `json:"chosen"`
	Respondents int      `json:"respondents"`
	Percent     *float64 `json:"percent"`
	Suppressed  bool     `json:"suppressed,omitempty"`
}

type themeOut struct {
	ID               string             `json:"id"`
	ConsultationID   string             `json:"consultationId"`
	Title            string             `json:"title"`
	Summary          string             `json:"summary"`
	Revision         int                `json:"revision"`
	Inputs           *int               `json:"inputs"`
	InputsSuppressed bool               `json:"inputsSuppressed,omitempty"`
	Options          []optionSupportOut `json:"options"`
	Items            []themeItemOut     `json:"items"`
	Quotes           []quoteOut         `json:"quotes"`
	CreatedAt        time.Time          `json:"createdAt"`
	UpdatedAt        time.Time          `json:"updatedAt"`
}

func toThemeOut(v *voci.ThemeView, labels labelsIn) themeOut {
	t := v.Theme
	out := themeOut{ID: t.ID, ConsultationID: t.ConsultationID, Title: t.Title, Summary: t.Summary, Revision: t.Revision,
		Inputs: cellPtr(v.Inputs), InputsSuppressed: v.Inputs.Suppressed, Options: []optionSupportOut{}, Items: []themeItemOut{},
		Quotes: []quoteOut{}, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	for _, o := range v.Options {
		so := optionSupportOut{QuestionID: o.QuestionID, OptionID: o.OptionID, Label: labels.of(o.QuestionID, o.OptionID, o.Label), Chosen: cellPtr(o.Chosen),
			Respondents: o.Respondents, Suppressed: o.Chosen.Suppressed}
		if !o.Chosen.Suppressed {
			p := o.Percent
			so.Percent = &p
		}
		out.Options = append(out.Options, so)
	}
	for _, it := range v.Items {
		out.Items = append(out.Items, themeItemOut{AnswerID: it.Item.AnswerID, QuestionID: it.Item.QuestionID, OptionID: it.Item.OptionID,
			Text: it.Text, Shown: it.Shown, Channel: string(it.Source), Label: labels.of(it.Item.QuestionID, it.Item.OptionID, it.Label)})
	}
	for _, q := range v.Quotes {
		out.Quotes = append(out.Quotes, quoteOut{AnswerID: q.AnswerID, Text: q.Text})
	}
	return out
}

// handleListThemes lists a consultation's themes with the support behind each.
func (s *Server) handleListThemes() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		views, err := s.review().ListThemes(c.UserContext(), cons)
		if err != nil {
			return err
		}
		labels, err := s.themeLabels(c, cons)
		if err != nil {
			return err
		}
		out := struct {
			Themes []themeOut `json:"themes"`
		}{Themes: []themeOut{}}
		for i := range views {
			out.Themes = append(out.Themes, toThemeOut(&views[i], labels))
		}
		return c.JSON(out)
	}
}

// handleGetTheme shows one theme with its support.
func (s *Server) handleGetTheme() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		v, err := s.review().ViewTheme(c.UserContext(), cons, c.Params("tid"))
		if err != nil {
			return err
		}
		labels, err := s.themeLabels(c, cons)
		if err != nil {
			return err
		}
		return c.JSON(toThemeOut(v, labels))
	}
}

// handleCreateTheme starts an empty theme.
func (s *Server) handleCreateTheme() fiber.Handler {
	type request struct {
		Title   string `json:"title" validate:"max=400"`
		Summary string `json:"summary" validate:"max=4000"`
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
		r := s.review()
		t, err := r.CreateTheme(c.UserContext(), cons, principalOf(c).account.ID, req.Title, req.Summary,
			s.changeAudit(c, "theme.create", "theme", "", "consultation "+cons.ID))
		if err != nil {
			return err
		}
		v, err := r.ViewTheme(c.UserContext(), cons, t.ID)
		if err != nil {
			return err
		}
		labels, err := s.themeLabels(c, cons)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toThemeOut(v, labels))
	}
}

// handleUpdateTheme renames a theme, rewrites its summary, adds and removes inputs and quotes:
// one change, made against the revision the reviewer read (409 changed_meanwhile otherwise).
func (s *Server) handleUpdateTheme() fiber.Handler {
	type quoteIn struct {
		AnswerID string `json:"answerId" validate:"required,max=64"`
		// A quote is the text alone: these are accepted only to be refused in words.
		AgeBand string `json:"ageBand,omitempty" validate:"max=64"`
		Gender  string `json:"gender,omitempty" validate:"max=64"`
		Alias   string `json:"alias,omitempty" validate:"max=64"`
	}
	type request struct {
		Revision     int           `json:"revision" validate:"min=1"`
		Title        *string       `json:"title" validate:"omitempty,max=400"`
		Summary      *string       `json:"summary" validate:"omitempty,max=4000"`
		AddItems     []themeItemIO `json:"addItems" validate:"max=5000,dive"`
		RemoveItems  []themeItemIO `json:"removeItems" validate:"max=5000,dive"`
		AddQuotes    []quoteIn     `json:"addQuotes" validate:"max=20,dive"`
		RemoveQuotes []string      `json:"removeQuotes" validate:"max=20,dive,max=64"`
	}
	items := func(in []themeItemIO) []voci.ThemeItem {
		out := make([]voci.ThemeItem, len(in))
		for i, it := range in {
			out[i] = voci.ThemeItem{AnswerID: it.AnswerID, QuestionID: it.QuestionID, OptionID: it.OptionID}
		}
		return out
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
		ch := voci.ThemeChange{Revision: req.Revision, Title: req.Title, Summary: req.Summary, AddItems: items(req.AddItems),
			RemoveItems: items(req.RemoveItems), RemoveQuotes: req.RemoveQuotes}
		for _, q := range req.AddQuotes {
			ch.AddQuotes = append(ch.AddQuotes, voci.QuoteRequest{AnswerID: q.AnswerID, AgeBand: q.AgeBand, Gender: q.Gender, Alias: q.Alias})
		}
		id := c.Params("tid")
		r := s.review()
		if _, err := r.UpdateTheme(c.UserContext(), cons, id, ch,
			s.changeAudit(c, "theme.update", "theme", id, themeChangeDetail(&ch))); err != nil {
			return err
		}
		v, err := r.ViewTheme(c.UserContext(), cons, id)
		if err != nil {
			return err
		}
		labels, err := s.themeLabels(c, cons)
		if err != nil {
			return err
		}
		return c.JSON(toThemeOut(v, labels))
	}
}

// handleDeleteTheme deletes a theme read at ?revision=: 409 changed_meanwhile when someone
// changed it since, 409 theme_in_use while a recommendation draws on it (take it out of the
// recommendation first). The audit entry keeps the theme's title, since the theme is gone.
func (s *Server) handleDeleteTheme() fiber.Handler {
	return func(c *fiber.Ctx) error {
		revision, err := intQuery(c, "revision", 0, 1, 1_000_000_000)
		if err != nil {
			return err
		}
		if revision == 0 {
			return voci.InvalidParam("revision", "Give the revision of the theme you read.")
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		id := utils.CopyString(c.Params("tid"))
		title := ""
		if t, err := s.Store.FindTheme(c.UserContext(), id); err == nil {
			title = t.Title
		}
		if err := s.review().DeleteTheme(c.UserContext(), cons, id, revision,
			s.changeAudit(c, "theme.delete", "theme", id, fmt.Sprintf("consultation %s: %s", cons.ID, title))); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// themeChangeDetail sums up a theme's change for the audit trail, in counts: children's words
// stay out of it.
func themeChangeDetail(ch *voci.ThemeChange) string {
	var parts []string
	if ch.Title != nil {
		parts = append(parts, "title")
	}
	if ch.Summary != nil {
		parts = append(parts, "summary")
	}
	for _, p := range []struct {
		name string
		n    int
	}{{"inputs added", len(ch.AddItems)}, {"inputs removed", len(ch.RemoveItems)}, {"quotes added", len(ch.AddQuotes)}, {"quotes removed", len(ch.RemoveQuotes)}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", p.name, p.n))
		}
	}
	return fmt.Sprintf("revision %d: %s", ch.Revision+1, strings.Join(parts, ", "))
}

type recommendationOut struct {
	ID             string    `json:"id"`
	Source         string    `json:"source"`
	ConsultationID string    `json:"consultationId"`
	ThemeIDs       []string  `json:"themeIds"`
	SourceRef      string    `json:"sourceRef,omitempty"`
	Title          string    `json:"title"`
	Text           string    `json:"text"`
	AudienceBody   string    `json:"audienceBody"`
	Revision       int       `json:"revision"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
	// AwaitingDecision says, where the answer has looked, that no published decision answers
	// the recommendation yet.
	AwaitingDecision *bool `json:"awaitingDecision,omitempty"`
}

// awaiting returns r saying whether it still awaits a decision.
func (r recommendationOut) awaiting(yes bool) recommendationOut {
	r.AwaitingDecision = &yes
	return r
}

func toRecommendationOut(r *voci.Recommendation) recommendationOut {
	themes := r.ThemeIDs
	if themes == nil {
		themes = []string{}
	}
	return recommendationOut{ID: r.ID, Source: string(r.Source), ConsultationID: r.ConsultationID, ThemeIDs: themes, SourceRef: r.SourceRef,
		Title: r.Title, Text: r.Text, AudienceBody: r.AudienceBody, Revision: r.Revision, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// handleListRecommendations lists the recommendations made from a consultation's themes.
func (s *Server) handleListRecommendations() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		recs, err := s.review().ListRecommendations(c.UserContext(), cons)
		if err != nil {
			return err
		}
		// Which of them no published council decision answers yet, so that reviewers see
		// what is still with the council.
		waiting, err := s.Decisions.RecommendationsAwaitingDecision(c.UserContext(), cons.Municipality)
		if err != nil {
			return err
		}
		open := make(map[string]bool, len(waiting))
		for _, r := range waiting {
			open[r.ID] = true
		}
		out := struct {
			Recommendations []recommendationOut `json:"recommendations"`
		}{Recommendations: []recommendationOut{}}
		for _, r := range recs {
			out.Recommendations = append(out.Recommendations, toRecommendationOut(r).awaiting(open[r.ID]))
		}
		return c.JSON(out)
	}
}

// handleCreateRecommendation makes a recommendation from one or more of the consultation's
// themes, addressed to its audience unless another body is named.
func (s *Server) handleCreateRecommendation() fiber.Handler {
	type request struct {
		ThemeIDs     []string `json:"themeIds" validate:"max=50,dive,max=64"`
		Title        string   `json:"title" validate:"max=400"`
		Text         string   `json:"text" validate:"max=8000"`
		AudienceBody string   `json:"audienceBody" validate:"max=400"`
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
		rec, err := s.review().CreateRecommendation(c.UserContext(), cons, principalOf(c).account.ID,
			voci.RecommendationDraft{ThemeIDs: req.ThemeIDs, Title: req.Title, Text: req.Text, AudienceBody: req.AudienceBody},
			s.changeAudit(c, "recommendation.create", "recommendation", "", fmt.Sprintf("consultation %s, %d themes", cons.ID, len(req.ThemeIDs))))
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toRecommendationOut(rec))
	}
}

// handleUpdateRecommendation edits a recommendation against the revision read.
func (s *Server) handleUpdateRecommendation() fiber.Handler {
	type request struct {
		Revision     int      `json:"revision" validate:"min=1"`
		ThemeIDs     []string `json:"themeIds" validate:"max=50,dive,max=64"`
		Title        *string  `json:"title" validate:"omitempty,max=400"`
		Text         *string  `json:"text" validate:"omitempty,max=8000"`
		AudienceBody *string  `json:"audienceBody" validate:"omitempty,max=400"`
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
		id := c.Params("rid")
		rec, err := s.review().UpdateRecommendation(c.UserContext(), cons, id,
			voci.RecommendationChange{Revision: req.Revision, ThemeIDs: req.ThemeIDs, Title: req.Title, Text: req.Text, AudienceBody: req.AudienceBody},
			s.changeAudit(c, "recommendation.update", "recommendation", id, fmt.Sprintf("revision %d", req.Revision+1)))
		if err != nil {
			return err
		}
		return c.JSON(toRecommendationOut(rec))
	}
}
