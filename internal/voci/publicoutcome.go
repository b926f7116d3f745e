package voci

import (
	"context"
	"slices"
	"time"
)

// What anyone may see of what children said and what became of it: no child's own answer,
// alias or time, no count below k, no text but approved quotes and the adults' answers.

// PublicOption is one option of a question as the public sees it.
type PublicOption struct {
	Label   string
	Emoji   string
	Count   int // 0 when Hidden
	Percent float64
	Hidden  bool
}

// PublicQuestion is what children answered to one option question, as the public sees it.
type PublicQuestion struct {
	Prompt            string
	Kind              QuestionKind
	Respondents       int // 0 when RespondentsHidden
	RespondentsHidden bool
	Options           []PublicOption
}

// PublicFeedback is published feedback in the reader's language (Lang is the one it is in).
type PublicFeedback struct {
	Version     int
	Corrects    string
	Lang        Lang
	Text        string
	EasyRead    string
	PublishedAt time.Time
}

// PublicRecommendation is a recommendation with its latest published feedback (nil when none
// yet) and the decisions that answer it.
type PublicRecommendation struct {
	ID           string
	Title        string
	Text         string
	AudienceBody string
	Feedback     *PublicFeedback
	Decisions    []LinkedDecision
}

// Outcome is the public outcome of one consultation.
type Outcome struct {
	ConsultationID  string
	Municipality    int
	Lang            Lang // the language the consultation's texts are in
	Title           string
	Purpose         string
	EasyRead        string
	AudienceBody    string
	Status          ConsultationStatus
	Feedback        FeedbackStatus
	Questions       []PublicQuestion // nil on the municipality's page
	Themes          []PublicTheme
	Recommendations []PublicRecommendation
	// Date places the consultation on a timeline: when it was answered, or else when it
	// must be.
	Date time.Time
}

// MunicipalityOutcome is the public page of a municipality: every consultation it held (that
// opened), newest first, each with what children said and what was done, and the motions its
// youth council sent to the local council, newest first, with the answer.
type MunicipalityOutcome struct {
	Municipality  Municipality
	Consultations []Outcome
	Motions       []PublicMotion
}

// PublicMotion is a youth council's motion sent to the local council, as anyone may read it:
// its recommendation (the motion's title and wording, read from the meeting's log), when it
// was sent, and the answer so far. It names no member: not the proposer, nor who voted.
type PublicMotion struct {
	PublicRecommendation
	Number string // the motion's number in its council, e.g. M-2026-3
	SentAt time.Time
	State  MotionAnswerState
}

// ConsultationOutcome returns the public outcome of consultation id in lang, with the figures
// of its option questions. ENOTFOUND for a consultation that never opened.
func (f *Feedbacks) ConsultationOutcome(ctx context.Context, id string, lang Lang) (*Outcome, error) {
	c, err := f.Store.FindConsultationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusDraft {
		return nil, Errorf(ENOTFOUND, "No such consultation.")
	}
	recs, err := f.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: c.Municipality, ConsultationID: c.ID})
	if err != nil {
		return nil, err
	}
	fbs, err := f.Store.ListFeedback(ctx, FeedbackFilter{Municipality: c.Municipality, ConsultationID: c.ID, PublishedOnly: true})
	if err != nil {
		return nil, err
	}
	out, err := f.outcome(ctx, c, &outcomeReads{recs: recs, fbs: fbs, first: firstPublished(fbs)}, lang)
	if err != nil {
		return nil, err
	}
	out.Questions, err = f.publicQuestions(ctx, c, out.Lang)
	return out, err
}

// PublicMunicipality returns the public page of municipality siruta in lang: ENOTFOUND when
// there is no such municipality. It reads the store a fixed number of times, whatever the
// number of its consultations, themes and recommendations.
func (f *Feedbacks) PublicMunicipality(ctx context.Context, siruta int, lang Lang) (*MunicipalityOutcome, error) {
	m, err := f.Store.FindMunicipalityBySIRUTA(ctx, siruta)
	if err != nil {
		return nil, err
	}
	out := &MunicipalityOutcome{Municipality: *m, Consultations: []Outcome{}}
	var cs []Consultation
	for _, st := range []ConsultationStatus{StatusOpen, StatusClosed} {
		for offset := 0; ; offset += MaxPageSize {
			page, total, err := f.Store.FindConsultations(ctx, ConsultationFilter{Municipality: siruta, Status: st, Offset: offset, Limit: MaxPageSize})
			if err != nil {
				return nil, err
			}
			cs = append(cs, page...)
			if offset+MaxPageSize >= total || len(page) == 0 {
				break
			}
		}
	}
	recs, err := f.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: siruta})
	if err != nil {
		return nil, err
	}
	motions := slices.ContainsFunc(recs, func(r *Recommendation) bool { return r.Source == SourceCouncilMotion })
	if len(cs) == 0 && !motions {
		return out, nil
	}
	fbs, err := f.Store.ListFeedback(ctx, FeedbackFilter{Municipality: siruta, PublishedOnly: true})
	if err != nil {
		return nil, err
	}
	reads := &outcomeReads{recs: recs, fbs: fbs, first: firstPublished(fbs)}
	if f.Decisions != nil {
		if reads.linked, err = f.Decisions.LinkedDecisionsIn(ctx, siruta); err != nil {
			return nil, err
		}
	}
	if f.Themes != nil {
		if reads.themes, err = f.Themes.PublicThemesIn(ctx, siruta); err != nil {
			return nil, err
		}
	}
	for i := range cs {
		o, err := f.outcome(ctx, &cs[i], reads, lang)
		if err != nil {
			return nil, err
		}
		out.Consultations = append(out.Consultations, *o)
	}
	sortByDate(out.Consultations, func(o Outcome) time.Time { return o.Date })
	out.Motions = publicMotions(recs, reads, lang)
	return out, nil
}

// publicMotions are the motions of the municipality's youth council sent to the local council,
// newest first, each with its latest published feedback in lang and the decisions linked to it.
func publicMotions(recs []*Recommendation, r *outcomeReads, lang Lang) []PublicMotion {
	latest := latestPublished(r.fbs, func(fb *Feedback) bool { return fb.ConsultationID == "" })
	out := []PublicMotion{}
	for _, rec := range recs {
		if rec.Source != SourceCouncilMotion {
			continue
		}
		_, number, _ := ParseMotionSourceRef(rec.SourceRef)
		pm := PublicMotion{PublicRecommendation: PublicRecommendation{ID: rec.ID, Title: rec.Title, Text: rec.Text, AudienceBody: rec.AudienceBody,
			Decisions: []LinkedDecision{}}, Number: number, SentAt: rec.CreatedAt, State: MotionAnswerSent}
		if ds := r.linked[rec.ID]; len(ds) > 0 {
			pm.Decisions, pm.State = append(pm.Decisions, ds...), MotionAnswerDecided
		}
		if fb := latest[rec.ID]; fb != nil {
			t, tl := fb.In(lang)
			pm.Feedback = &PublicFeedback{Version: fb.Version, Corrects: fb.Corrects, Lang: tl, Text: t.Text, EasyRead: t.EasyRead, PublishedAt: fb.PublishedAt}
			pm.State = MotionAnswerAnswered
		}
		out = append(out, pm)
	}
	sortByDate(out, func(m PublicMotion) time.Time { return m.SentAt })
	return out
}

// latestPublished is the latest published version of each recommendation's feedback, among
// those keep accepts.
func latestPublished(fbs []*Feedback, keep func(*Feedback) bool) map[string]*Feedback {
	latest := map[string]*Feedback{}
	for _, fb := range fbs {
		if fb.State == FeedbackPublished && keep(fb) {
			if cur := latest[fb.RecommendationID]; cur == nil || fb.Version > cur.Version {
				latest[fb.RecommendationID] = fb
			}
		}
	}
	return latest
}

// outcomeReads are what outcome works from, read once for a page of several consultations:
// recommendations and published feedback (which may hold other consultations'), when each
// recommendation's feedback was first published, and, when not nil, the decisions linked to
// each recommendation and the public themes of each consultation (read per consultation or
// recommendation otherwise).
type outcomeReads struct {
	recs   []*Recommendation
	fbs    []*Feedback
	first  map[string]time.Time
	linked map[string][]LinkedDecision
	themes map[string][]PublicTheme
}

// outcome is the public part of c from what r holds.
func (f *Feedbacks) outcome(ctx context.Context, c *Consultation, r *outcomeReads, lang Lang) (*Outcome, error) {
	recs, fbs, linked := r.recs, r.fbs, r.linked
	cl := c.ContentLang(string(lang))
	read := c.In(cl)
	out := &Outcome{ConsultationID: c.ID, Municipality: c.Municipality, Lang: cl, Title: read.Title, Purpose: read.Purpose,
		EasyRead: read.EasyRead, AudienceBody: read.AudienceBody, Status: c.Status, Themes: []PublicTheme{}, Recommendations: []PublicRecommendation{}}
	out.Feedback = ConsultationFeedbackStatus(c, recs, r.first, f.now())
	out.Date = c.AnswerBy
	if out.Feedback.Answered {
		out.Date = out.Feedback.AnsweredAt
	}
	if f.Themes != nil {
		themes := r.themes[c.ID]
		if r.themes == nil {
			var err error
			if themes, err = f.Themes.PublicThemes(ctx, c.ID); err != nil {
				return nil, err
			}
		}
		for _, t := range themes {
			if t.InputsHidden || t.Inputs < f.k() {
				t.Inputs, t.InputsHidden = 0, true
			}
			out.Themes = append(out.Themes, t)
		}
	}
	latest := map[string]*Feedback{}
	for _, fb := range fbs {
		if fb.State == FeedbackPublished && fb.ConsultationID == c.ID {
			if cur := latest[fb.RecommendationID]; cur == nil || fb.Version > cur.Version {
				latest[fb.RecommendationID] = fb
			}
		}
	}
	for _, rec := range recs {
		if rec.ConsultationID != c.ID {
			continue
		}
		pr := PublicRecommendation{ID: rec.ID, Title: rec.Title, Text: rec.Text, AudienceBody: rec.AudienceBody, Decisions: []LinkedDecision{}}
		if fb := latest[rec.ID]; fb != nil {
			t, tl := fb.In(lang)
			pr.Feedback = &PublicFeedback{Version: fb.Version, Corrects: fb.Corrects, Lang: tl, Text: t.Text, EasyRead: t.EasyRead, PublishedAt: fb.PublishedAt}
		}
		switch {
		case linked != nil:
			pr.Decisions = append(pr.Decisions, linked[rec.ID]...)
		case f.Decisions != nil:
			ds, err := f.Decisions.LinkedDecisions(ctx, rec.ID)
			if err != nil {
				return nil, err
			}
			pr.Decisions = append(pr.Decisions, ds...)
		}
		out.Recommendations = append(out.Recommendations, pr)
	}
	return out, nil
}

// publicQuestions are the figures of c's option questions, in lang. Text questions are left
// out: their answers are children's own words, and the public sees only approved quotes.
func (f *Feedbacks) publicQuestions(ctx context.Context, c *Consultation, lang Lang) ([]PublicQuestion, error) {
	out := []PublicQuestion{}
	if f.Results == nil {
		return out, nil
	}
	qs, err := f.Store.ListQuestions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for i := range qs {
		if !qs[i].Kind.HasOptions() {
			continue
		}
		res, err := f.Results.Results(ctx, &qs[i])
		if err != nil {
			return nil, err
		}
		read := qs[i].In(lang)
		counts := make([]int, len(res.Options))
		for j, o := range res.Options {
			counts[j] = o.Count
		}
		maxChoices := 1
		if qs[i].Kind == KindMultiple {
			maxChoices = max(qs[i].MaxChoices, 2)
		}
		hidden, showRespondents := PublicCounts(counts, res.Respondents, maxChoices, f.k())
		pq := PublicQuestion{Prompt: read.Prompt, Kind: qs[i].Kind, RespondentsHidden: !showRespondents, Options: []PublicOption{}}
		if showRespondents {
			pq.Respondents = res.Respondents
		}
		for j, o := range res.Options {
			label := o.Label
			if j < len(read.Options) {
				label = read.Options[j].Label
			}
			po := PublicOption{Label: label, Emoji: o.Emoji, Hidden: hidden[j]}
			if !po.Hidden {
				po.Count, po.Percent = o.Count, o.Percent
			}
			pq.Options = append(pq.Options, po)
		}
		out = append(out, pq)
	}
	return out, nil
}
