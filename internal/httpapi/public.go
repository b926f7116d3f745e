package httpapi

import (
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// What anyone may read without signing in: the outcome of a consultation that opened, and a
// municipality's "you said, we did" page. voci.Feedbacks decides what is public; nothing here
// carries a child's own answer, alias or time.

// publicReadsPerClient bounds the public pages' reads of one client address in
// publicReadWindow. The pages need no sign-in and, while children answer somewhere, every
// answer is a write that makes the next municipality page be built afresh (tens of
// milliseconds of a core), so a script reloading them could take the server from the room.
// A class opening the page in a computer lab behind one router, each child a few times, stays
// far below it.
const (
	publicReadsPerClient = 300
	publicReadWindow     = time.Minute
)

type publicOptionOut struct {
	Label   string   `json:"label"`
	Emoji   string   `json:"emoji,omitempty"`
	Count   *int     `json:"count"`
	Percent *float64 `json:"percent"`
	Hidden  bool     `json:"hidden,omitempty"`
}

type publicQuestionOut struct {
	Prompt      string            `json:"prompt"`
	Kind        string            `json:"kind"`
	Respondents *int              `json:"respondents"`
	Options     []publicOptionOut `json:"options"`
}

type publicThemeOut struct {
	Title   string   `json:"title"`
	Summary string   `json:"summary"`
	Quotes  []string `json:"quotes"`
	Inputs  *int     `json:"inputs"`
}

type publicFeedbackOut struct {
	Version     int       `json:"version"`
	Corrects    string    `json:"corrects,omitempty"`
	Lang        string    `json:"lang"`
	Text        string    `json:"text"`
	EasyRead    string    `json:"easyRead"`
	PublishedAt time.Time `json:"publishedAt"`
}

type publicDecisionOut struct {
	Number         string         `json:"number"`
	Date           *time.Time     `json:"date"`
	Title          string         `json:"title"`
	Status         string         `json:"status"`
	Response       string         `json:"response"`
	Reasons        string         `json:"reasons,omitempty"`
	DeferredUntil  *time.Time     `json:"deferredUntil,omitempty"`
	PassedTo       string         `json:"passedTo,omitempty"`
	MergedWith     string         `json:"mergedWith,omitempty"`
	PublicationURL string         `json:"publicationUrl,omitempty"`
	Milestones     []milestoneOut `json:"milestones"`
}

type publicRecommendationOut struct {
	ID           string              `json:"id"`
	Title        string              `json:"title"`
	Text         string              `json:"text"`
	AudienceBody string              `json:"audienceBody"`
	Feedback     *publicFeedbackOut  `json:"feedback"`
	Decisions    []publicDecisionOut `json:"decisions"`
}

type outcomeOut struct {
	ConsultationID  string                    `json:"consultationId"`
	Municipality    int                       `json:"municipality"`
	Lang            string                    `json:"lang"`
	Title           string                    `json:"title"`
	Purpose         string                    `json:"purpose"`
	EasyRead        string                    `json:"easyRead"`
	AudienceBody    string                    `json:"audienceBody"`
	Status          string                    `json:"status"`
	Feedback        *feedbackStatusOut        `json:"feedback"`
	Date            *time.Time                `json:"date"`
	Questions       []publicQuestionOut       `json:"questions,omitempty"`
	Themes          []publicThemeOut          `json:"themes"`
	Recommendations []publicRecommendationOut `json:"recommendations"`
}

func intPtr(n int, hidden bool) *int {
	if hidden {
		return nil
	}
	return &n
}

func toOutcomeOut(o *voci.Outcome) outcomeOut {
	out := outcomeOut{ConsultationID: o.ConsultationID, Municipality: o.Municipality, Lang: string(o.Lang), Title: o.Title,
		Purpose: o.Purpose, EasyRead: o.EasyRead, AudienceBody: o.AudienceBody, Status: string(o.Status),
		Feedback: toFeedbackStatusOut(o.Feedback), Date: optTime(o.Date), Themes: []publicThemeOut{}, Recommendations: []publicRecommendationOut{}}
	if o.Questions != nil {
		out.Questions = []publicQuestionOut{}
	}
	for _, q := range o.Questions {
		qo := publicQuestionOut{Prompt: q.Prompt, Kind: string(q.Kind), Respondents: intPtr(q.Respondents, q.RespondentsHidden), Options: []publicOptionOut{}}
		for _, op := range q.Options {
			po := publicOptionOut{Label: op.Label, Emoji: op.Emoji, Count: intPtr(op.Count, op.Hidden), Hidden: op.Hidden}
			if !op.Hidden {
				p := op.Percent
				po.Percent = &p
			}
			qo.Options = append(qo.Options, po)
		}
		out.Questions = append(out.Questions, qo)
	}
	for _, t := range o.Themes {
		quotes := t.Quotes
		if quotes == nil {
			quotes = []string{}
		}
		out.Themes = append(out.Themes, publicThemeOut{Title: t.Title, Summary: t.Summary, Quotes: quotes, Inputs: intPtr(t.Inputs, t.InputsHidden)})
	}
	for i := range o.Recommendations {
		out.Recommendations = append(out.Recommendations, toPublicRecommendationOut(&o.Recommendations[i]))
	}
	return out
}

func toPublicRecommendationOut(r *voci.PublicRecommendation) publicRecommendationOut {
	ro := publicRecommendationOut{ID: r.ID, Title: r.Title, Text: r.Text, AudienceBody: r.AudienceBody, Decisions: []publicDecisionOut{}}
	if f := r.Feedback; f != nil {
		ro.Feedback = &publicFeedbackOut{Version: f.Version, Corrects: f.Corrects, Lang: string(f.Lang), Text: f.Text, EasyRead: f.EasyRead, PublishedAt: f.PublishedAt}
	}
	for _, d := range r.Decisions {
		do := publicDecisionOut{Number: d.Number, Date: optTime(d.Date), Title: d.Title, Status: d.Status, Response: d.Response,
			Reasons: d.Reasons, DeferredUntil: optTime(d.DeferredUntil), PassedTo: d.PassedTo, MergedWith: d.MergedWith,
			PublicationURL: d.PublicationURL, Milestones: []milestoneOut{}}
		for _, m := range d.Milestones {
			do.Milestones = append(do.Milestones, milestoneOut{Date: m.Date.Format(time.DateOnly), Note: m.Note})
		}
		ro.Decisions = append(ro.Decisions, do)
	}
	return ro
}

// publicMotionOut is a youth council's motion sent to the local council, on the public page:
// no member is named.
type publicMotionOut struct {
	publicRecommendationOut
	Number string    `json:"number"`
	SentAt time.Time `json:"sentAt"`
	State  string    `json:"state"` // sent, decided, answered
}

// handlePublicOutcome is the public outcome of one consultation that opened, in ?lang=.
func (s *Server) handlePublicOutcome() fiber.Handler {
	return func(c *fiber.Ctx) error {
		o, err := s.Feedbacks.ConsultationOutcome(c.UserContext(), c.Params("id"), voci.ParseLang(c.Query("lang")))
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.JSON(toOutcomeOut(o))
	}
}

// handlePublicMunicipality is a municipality's public page, in ?lang=: every consultation it
// held, what children said and what was done.
func (s *Server) handlePublicMunicipality() fiber.Handler {
	type municipalityOut struct {
		SIRUTA     int    `json:"siruta"`
		Name       string `json:"name"`
		CountyName string `json:"countyName"`
	}
	type response struct {
		Municipality  municipalityOut `json:"municipality"`
		Lang          string          `json:"lang"`
		Consultations []outcomeOut    `json:"consultations"`
		// CouncilMotions are the youth council's motions sent to the local council.
		CouncilMotions []publicMotionOut `json:"councilMotions"`
	}
	pages := newPublicPages()
	return func(c *fiber.Ctx) error {
		siruta, err := strconv.Atoi(c.Params("siruta"))
		if err != nil || siruta <= 0 {
			return voci.InvalidParam("siruta", "The SIRUTA code is a positive whole number.")
		}
		lang := voci.ParseLang(c.Query("lang"))
		c.Set(fiber.HeaderCacheControl, "no-cache")
		// The page is kept, encoded, while the store's change count stays the same: any write
		// (a feedback published, a text moderated, a decision recorded) makes it be built again.
		key := strconv.Itoa(siruta) + "/" + string(lang)
		counter, counts := s.Store.(voci.ChangeCounter)
		var version int64
		if counts {
			if version, err = counter.ChangeCount(c.UserContext()); err != nil {
				counts = false
			} else if body, ok := pages.get(key, version, s.Clock()); ok {
				c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
				return c.Send(slices.Clone(body)) // the kept copy is never handed to the response
			}
		}
		m, err := s.Feedbacks.PublicMunicipality(c.UserContext(), siruta, lang)
		if err != nil {
			return err
		}
		resp := response{Municipality: municipalityOut{SIRUTA: m.Municipality.SIRUTA, Name: m.Municipality.Name, CountyName: m.Municipality.CountyName},
			Lang: string(lang), Consultations: []outcomeOut{}, CouncilMotions: []publicMotionOut{}}
		for i := range m.Consultations {
			resp.Consultations = append(resp.Consultations, toOutcomeOut(&m.Consultations[i]))
		}
		for i := range m.Motions {
			mo := &m.Motions[i]
			resp.CouncilMotions = append(resp.CouncilMotions, publicMotionOut{publicRecommendationOut: toPublicRecommendationOut(&mo.PublicRecommendation),
				Number: mo.Number, SentAt: mo.SentAt, State: string(mo.State)})
		}
		body, err := c.App().Config().JSONEncoder(resp)
		if err != nil {
			return err
		}
		if counts {
			pages.put(key, publicPage{version: version, until: m.StableUntil(s.Clock()), body: body})
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(body)
	}
}

// publicPages keeps encoded public municipality pages, each with the store's change count it
// was built at and, when the page waits on the clock (a due date ahead), the time it holds
// until.
type publicPages struct {
	mu    sync.Mutex
	pages map[string]publicPage
}

type publicPage struct {
	version int64
	until   time.Time
	body    []byte
}

// maxPublicPages bounds the pages kept: past it they are all let go, and built again when asked.
const maxPublicPages = 512

func newPublicPages() *publicPages { return &publicPages{pages: map[string]publicPage{}} }

func (p *publicPages) get(key string, version int64, now time.Time) ([]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pg, ok := p.pages[key]
	if !ok || pg.version != version || (!pg.until.IsZero() && now.After(pg.until)) {
		return nil, false
	}
	return pg.body, true
}

func (p *publicPages) put(key string, pg publicPage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pages) >= maxPublicPages {
		clear(p.pages)
	}
	p.pages[key] = pg
}
