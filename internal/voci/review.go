package voci

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Review holds the rules of the review workspace: which input reviewers see, how they group it
// into themes and quote it, how much support a theme has, and how themes become
// recommendations. Handlers call it; it calls the store.
type Review struct {
	Store ReviewStore
	Clock Clock
	NewID IDSource
	// K is the smallest group size a count may show (DefaultK when 0).
	K int
}

// NewReview returns a Review with the real clock and random IDs.
func NewReview(store ReviewStore, k int) *Review {
	return &Review{Store: store, Clock: time.Now, NewID: RandomID, K: k}
}

func (r *Review) k() int {
	if r.K < 1 {
		return DefaultK
	}
	return r.K
}

func (r *Review) now() time.Time { return r.Clock().UTC() }

// DefaultReviewPage and MaxReviewPage bound a page of the workspace.
const (
	DefaultReviewPage = 50
	MaxReviewPage     = 200
)

// CheckReviewFilter checks a workspace filter and fills in its defaults. EINVALID names the
// field at fault.
func CheckReviewFilter(f *ReviewTextFilter) error {
	if f.Source != "" && !slices.Contains([]AnswerSource{SourceLive, SourceSelfPaced, SourcePaper}, f.Source) {
		return InvalidParam("channel", "A channel is live, self_paced or paper.")
	}
	if f.AgeBand != "" && !f.AgeBand.Valid() {
		return InvalidParam("ageBand", "Unknown age band %q.", f.AgeBand)
	}
	if utf8.RuneCountInString(f.Words) > 200 {
		return InvalidParam("q", "Search for at most 200 characters.")
	}
	if f.Offset < 0 {
		return InvalidParam("offset", "The offset is 0 or more.")
	}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultReviewPage
	case f.Limit < 0 || f.Limit > MaxReviewPage:
		return InvalidParam("limit", "A page holds 1 to %d texts.", MaxReviewPage)
	}
	f.Words = strings.TrimSpace(f.Words)
	return nil
}

// narrows reports whether the filter looks at a part of the children only: counts of a part
// are suppressed below k, as a breakdown's are.
func (f *ReviewTextFilter) narrows() bool {
	return f.Source != "" || f.AgeBand != "" || f.SessionID != ""
}

func (f *ReviewTextFilter) admits(a *Answer) bool {
	return (f.Source == "" || a.Source == f.Source) && (f.AgeBand == "" || a.AgeBand == f.AgeBand) &&
		(f.SessionID == "" || a.SessionID == f.SessionID)
}

// OptionInput is one option of an option question as input to review: how many of the
// question's respondents (within the filter) chose it.
type OptionInput struct {
	QuestionID  string
	OptionID    string
	Label       string
	Emoji       string
	Chosen      Cell
	Respondents Cell
}

// Workspace is one page of a consultation's approved input.
type Workspace struct {
	Texts   []ReviewText
	Total   int // texts matching the filter, over every page
	Options []OptionInput
	// ThemesOf lists, per text (by answer ID) and per option ("questionID/optionID"), the
	// themes it sits in.
	ThemesOf map[string][]string
}

// OptionKey names an option in Workspace.ThemesOf.
func OptionKey(questionID, optionID string) string { return questionID + "/" + optionID }

// ListInput returns the page of the consultation's approved texts that f selects, and the
// options of its option questions with how many chose each (suppressed below k when the filter
// looks at a part of the children). Held, pending and rejected texts are never listed.
func (r *Review) ListInput(ctx context.Context, cons *Consultation, f ReviewTextFilter) (*Workspace, error) {
	f.ConsultationID = cons.ID
	if err := CheckReviewFilter(&f); err != nil {
		return nil, err
	}
	qs, err := r.Store.ListQuestions(ctx, cons.ID)
	if err != nil {
		return nil, err
	}
	if f.QuestionID != "" && !slices.ContainsFunc(qs, func(q Question) bool { return q.ID == f.QuestionID }) {
		return nil, Errorf(ENOTFOUND, "No such question in this consultation.")
	}
	texts, total, err := r.Store.ListApprovedTexts(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &Workspace{Texts: texts, Total: total, ThemesOf: map[string][]string{}}
	themes, err := r.Store.ListThemes(ctx, cons.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range themes {
		for _, it := range t.Items {
			key := it.AnswerID
			if !it.IsText() {
				key = OptionKey(it.QuestionID, it.OptionID)
			}
			out.ThemesOf[key] = append(out.ThemesOf[key], t.ID)
		}
	}
	for i := range qs {
		q := &qs[i]
		if q.Kind.IsText() || (f.QuestionID != "" && q.ID != f.QuestionID) {
			continue
		}
		counts, err := r.optionCounts(ctx, q.ID, &f)
		if err != nil {
			return nil, err
		}
		out.Options = append(out.Options, r.optionInputs(q, counts, &f)...)
	}
	return out, nil
}

// optionCounts returns the question's visible answers counted alike, within the filter. The
// store counts them unless the filter names a session, which its counts do not keep apart.
func (r *Review) optionCounts(ctx context.Context, questionID string, f *ReviewTextFilter) ([]AnswerCount, error) {
	if f.SessionID == "" {
		counts, err := r.Store.CountAnswers(ctx, questionID)
		if err != nil {
			return nil, err
		}
		return slices.DeleteFunc(counts, func(c AnswerCount) bool {
			return (f.Source != "" && c.Source != f.Source) || (f.AgeBand != "" && c.AgeBand != f.AgeBand)
		}), nil
	}
	answers, err := r.Store.ListAnswers(ctx, questionID)
	if err != nil {
		return nil, err
	}
	var counts []AnswerCount
	for i := range answers {
		if a := &answers[i]; a.Visible() && f.admits(a) {
			counts = append(counts, AnswerCount{Choices: a.Choices, AgeBand: a.AgeBand, Gender: a.Gender, Source: a.Source, N: 1})
		}
	}
	return counts, nil
}

func (r *Review) optionInputs(q *Question, counts []AnswerCount, f *ReviewTextFilter) []OptionInput {
	chosen := make([]int, len(q.Options))
	respondents := 0
	for _, c := range counts {
		respondents += c.N
		for j, o := range q.Options {
			if slices.Contains(c.Choices, o.ID) {
				chosen[j] += c.N
			}
		}
	}
	var sup Suppression
	if f.narrows() {
		maxChoices := 1
		if q.Kind == KindMultiple {
			maxChoices = max(len(q.Options), 1)
		}
		sup = SuppressSmallCells(CountTable{Cells: [][]int{chosen}, RowTotals: []int{respondents}, MaxChoices: maxChoices}, r.k())
	}
	var out []OptionInput
	for j, o := range q.Options {
		if f.Words != "" && !f.WordsMatch(o.Label) {
			continue
		}
		in := OptionInput{QuestionID: q.ID, OptionID: o.ID, Label: o.Label, Emoji: o.Emoji,
			Chosen: Cell{N: chosen[j]}, Respondents: Cell{N: respondents}}
		if sup.Cells != nil {
			in.Chosen.Suppressed = sup.Cells[0][j] || sup.Rows[0]
			in.Respondents.Suppressed = sup.Rows[0]
		}
		out = append(out, in)
	}
	return out
}

// loneCount is a count published on its own, with no table around it to protect: only
// primary suppression applies, 1 to k-1 hidden.
func loneCount(n, k int) Cell {
	return Cell{N: n, Suppressed: n > 0 && n < k}
}

// OptionSupport is how many of a question's respondents chose an option a theme cites.
type OptionSupport struct {
	QuestionID  string
	OptionID    string
	Label       string
	Chosen      Cell
	Respondents int
	Percent     float64 // of respondents, one decimal; 0 when Chosen is suppressed
}

// ThemeItemView is a theme's item as reviewers see it: a text with its words while it is still
// approved (Shown false, Text empty once it is not), or an option with its label.
type ThemeItemView struct {
	Item   ThemeItem
	Text   string
	Shown  bool
	Source AnswerSource
	Label  string
}

// ThemeView is a theme with its support counted from the data.
type ThemeView struct {
	Theme *Theme
	// Inputs is how many children stand behind the theme: the distinct participants whose
	// approved texts it holds or who chose one of its options.
	Inputs  Cell
	Options []OptionSupport
	Items   []ThemeItemView
	// Quotes are the quotes whose texts are still approved and unchanged.
	Quotes []Quote
}

// viewThemes counts the support of each theme from one read of the answers behind them all:
// the texts they hold or quote, and every answer to the questions whose options they cite.
// With labels set the options' labels are filled in from the questions of the first theme's
// consultation (the workspace shows one consultation's themes).
func (r *Review) viewThemes(ctx context.Context, themes []*Theme, labels bool) ([]ThemeView, error) {
	var answerIDs, optionQuestions []string
	cited, named := map[string]bool{}, map[string]bool{}
	name := func(id string) {
		if !named[id] {
			named[id] = true
			answerIDs = append(answerIDs, id)
		}
	}
	for _, t := range themes {
		for _, it := range t.Items {
			if it.IsText() {
				name(it.AnswerID)
			} else if !cited[it.QuestionID] {
				cited[it.QuestionID] = true
				optionQuestions = append(optionQuestions, it.QuestionID)
			}
		}
		for _, q := range t.Quotes {
			name(q.AnswerID)
		}
	}
	answerByID := map[string]*SupportAnswer{}
	answersOf := map[string][]*SupportAnswer{}
	if len(answerIDs)+len(optionQuestions) > 0 {
		as, err := r.Store.ListSupportAnswers(ctx, answerIDs, optionQuestions)
		if err != nil {
			return nil, err
		}
		for i := range as {
			a := &as[i]
			answerByID[a.ID] = a
			if cited[a.QuestionID] {
				answersOf[a.QuestionID] = append(answersOf[a.QuestionID], a)
			}
		}
	}
	questionOf := map[string]*Question{}
	if labels && len(themes) > 0 {
		qs, err := r.Store.ListQuestions(ctx, themes[0].ConsultationID)
		if err != nil {
			return nil, err
		}
		for i := range qs {
			questionOf[qs[i].ID] = &qs[i]
		}
	}
	out := make([]ThemeView, 0, len(themes))
	for _, t := range themes {
		v := ThemeView{Theme: t}
		children := map[string]bool{}
		for _, it := range t.Items {
			if it.IsText() {
				iv := ThemeItemView{Item: it}
				// A text that was answered again since belongs to the same child and question;
				// it is shown only while its current version is approved.
				if a := answerByID[it.AnswerID]; a != nil && a.QuestionID == it.QuestionID && a.Moderation == ModerationApproved {
					children[a.ParticipantID] = true
					iv.Text, iv.Shown, iv.Source = a.Text, true, a.Source
				}
				v.Items = append(v.Items, iv)
				continue
			}
			answers := answersOf[it.QuestionID]
			q := questionOf[it.QuestionID]
			iv := ThemeItemView{Item: it, Shown: true}
			if q != nil {
				if o, ok := q.Option(it.OptionID); ok {
					iv.Label = o.Label
				}
			}
			v.Items = append(v.Items, iv)
			chosen, respondents := 0, 0
			for _, a := range answers {
				if !a.Visible() {
					continue
				}
				respondents++
				if slices.Contains(a.Choices, it.OptionID) {
					chosen++
					children[a.ParticipantID] = true
				}
			}
			s := OptionSupport{QuestionID: it.QuestionID, OptionID: it.OptionID, Label: iv.Label, Chosen: loneCount(chosen, r.k()), Respondents: respondents}
			if !s.Chosen.Suppressed && respondents > 0 {
				s.Percent = math.Round(1000*float64(chosen)/float64(respondents)) / 10
			}
			v.Options = append(v.Options, s)
		}
		v.Inputs = loneCount(len(children), r.k())
		for _, q := range t.Quotes {
			if a := answerByID[q.AnswerID]; a != nil && a.Moderation == ModerationApproved && a.Text == q.Text {
				v.Quotes = append(v.Quotes, q)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// ListThemes returns the consultation's themes with their support, oldest first.
func (r *Review) ListThemes(ctx context.Context, cons *Consultation) ([]ThemeView, error) {
	themes, err := r.Store.ListThemes(ctx, cons.ID)
	if err != nil {
		return nil, err
	}
	return r.viewThemes(ctx, themes, true)
}

// ViewTheme returns one theme of the consultation with its support; ENOTFOUND if it has none
// such.
func (r *Review) ViewTheme(ctx context.Context, cons *Consultation, id string) (*ThemeView, error) {
	t, err := r.themeOf(ctx, cons, id)
	if err != nil {
		return nil, err
	}
	vs, err := r.viewThemes(ctx, []*Theme{t}, true)
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// PublicThemes lists a consultation's themes as anyone may see them: title, summary, the
// quotes whose texts are still approved, and support suppressed below k.
func (r *Review) PublicThemes(ctx context.Context, consultationID string) ([]PublicTheme, error) {
	themes, err := r.Store.ListThemes(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	views, err := r.viewThemes(ctx, themes, false)
	if err != nil {
		return nil, err
	}
	out := make([]PublicTheme, 0, len(views))
	for i := range views {
		out = append(out, publicTheme(&views[i]))
	}
	return out, nil
}

// PublicThemesIn is PublicThemes for every consultation of the municipality, by consultation
// ID, from one read of its themes and one of the answers behind them.
func (r *Review) PublicThemesIn(ctx context.Context, municipality int) (map[string][]PublicTheme, error) {
	themes, err := r.Store.ListThemesIn(ctx, municipality)
	if err != nil {
		return nil, err
	}
	views, err := r.viewThemes(ctx, themes, false)
	if err != nil {
		return nil, err
	}
	out := map[string][]PublicTheme{}
	for i := range views {
		id := views[i].Theme.ConsultationID
		out[id] = append(out[id], publicTheme(&views[i]))
	}
	return out, nil
}

func publicTheme(v *ThemeView) PublicTheme {
	p := PublicTheme{ID: v.Theme.ID, Title: v.Theme.Title, Summary: v.Theme.Summary, Quotes: []string{}, InputsHidden: v.Inputs.Suppressed}
	if !v.Inputs.Suppressed {
		p.Inputs = v.Inputs.N
	}
	for _, q := range v.Quotes {
		p.Quotes = append(p.Quotes, q.Text)
	}
	return p
}

var _ PublicThemes = (*Review)(nil)

func checkReviewable(cons *Consultation) error {
	if cons.Status == StatusDraft {
		return Errorf(ECONFLICT, "This consultation is still a draft: there is no input to review yet.")
	}
	return nil
}

func (r *Review) themeOf(ctx context.Context, cons *Consultation, id string) (*Theme, error) {
	t, err := r.Store.FindTheme(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.ConsultationID != cons.ID || t.Municipality != cons.Municipality {
		return nil, Errorf(ENOTFOUND, "No such theme in this consultation.")
	}
	return t, nil
}

// CreateTheme starts a theme of the consultation, empty, with its audit entry (nil for none).
// EINVALID for a bad title or summary; ECONFLICT for a draft.
func (r *Review) CreateTheme(ctx context.Context, cons *Consultation, actorID, title, summary string, audit *AuditEntry) (*Theme, error) {
	if err := checkReviewable(cons); err != nil {
		return nil, err
	}
	now := r.now()
	t := &Theme{ID: r.NewID(), Municipality: cons.Municipality, ConsultationID: cons.ID, Title: strings.TrimSpace(title),
		Summary: strings.TrimSpace(summary), Items: []ThemeItem{}, Quotes: []Quote{}, Revision: 1, CreatedBy: actorID, CreatedAt: now, UpdatedAt: now}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if err := r.Store.CreateTheme(ctx, t, audit.about(t.ID)); err != nil {
		return nil, err
	}
	return t, nil
}

// QuoteRequest asks for one of a theme's texts to be quoted. A quote is the text alone:
// AgeBand, Gender and Alias are here only so that a request that tries to attach them is
// refused in words (EQUOTEDEMOGRAPHICS), not dropped in silence.
type QuoteRequest struct {
	AnswerID string
	AgeBand  string
	Gender   string
	Alias    string
}

// ThemeChange is one reviewer's edit of a theme, made against the revision they read. Nil
// fields stay as they are.
type ThemeChange struct {
	Revision     int
	Title        *string
	Summary      *string
	AddItems     []ThemeItem
	RemoveItems  []ThemeItem
	AddQuotes    []QuoteRequest
	RemoveQuotes []string // answer IDs
}

// UpdateTheme applies ch to the consultation's theme and stores it with its audit entry.
// ECHANGED when the theme is no longer at ch.Revision (nothing is written); ENOTAPPROVED for a
// text that is held, pending or rejected; EQUOTEDEMOGRAPHICS for a quote sent with an age
// band, gender or alias; ENOTFOUND for a theme, text, question or option that the
// consultation does not have; EINVALID for anything else at fault.
func (r *Review) UpdateTheme(ctx context.Context, cons *Consultation, id string, ch ThemeChange, audit *AuditEntry) (*Theme, error) {
	if err := checkReviewable(cons); err != nil {
		return nil, err
	}
	for _, q := range ch.AddQuotes {
		if q.AgeBand != "" || q.Gender != "" || q.Alias != "" {
			return nil, &Error{Code: EQUOTEDEMOGRAPHICS, Param: "addQuotes",
				Message: "A quote is shown as the child's words alone: it cannot carry an age band, a gender or an alias."}
		}
	}
	if len(ch.AddItems)+len(ch.RemoveItems) > MaxThemeItems {
		return nil, InvalidParam("addItems", "Change at most %d inputs at once.", MaxThemeItems)
	}
	cur, err := r.themeOf(ctx, cons, id)
	if err != nil {
		return nil, err
	}
	if ch.Revision != cur.Revision {
		return nil, Errorf(ECHANGED, "Someone else changed this theme meanwhile; reload it and make your change again.")
	}
	next := *cur
	next.Items = slices.Clone(cur.Items)
	next.Quotes = slices.Clone(cur.Quotes)
	if ch.Title != nil {
		next.Title = strings.TrimSpace(*ch.Title)
	}
	if ch.Summary != nil {
		next.Summary = strings.TrimSpace(*ch.Summary)
	}
	var qs []Question
	answers := map[string]*Answer{}
	for _, it := range ch.AddItems {
		if it.AnswerID != "" {
			a, err := r.approvedText(ctx, cons, it.AnswerID, answers)
			if err != nil {
				return nil, err
			}
			it = ThemeItem{AnswerID: a.ID, QuestionID: a.QuestionID}
		} else {
			if qs == nil {
				if qs, err = r.Store.ListQuestions(ctx, cons.ID); err != nil {
					return nil, err
				}
			}
			if err := checkOptionItem(qs, it); err != nil {
				return nil, err
			}
			it = ThemeItem{QuestionID: it.QuestionID, OptionID: it.OptionID}
		}
		if !next.HasItem(it) {
			next.Items = append(next.Items, it)
		}
	}
	for _, it := range ch.RemoveItems {
		next.Items = slices.DeleteFunc(next.Items, func(x ThemeItem) bool {
			return (it.AnswerID != "" && x.AnswerID == it.AnswerID) || (it.AnswerID == "" && x.AnswerID == "" && x.QuestionID == it.QuestionID && x.OptionID == it.OptionID)
		})
		if it.AnswerID != "" {
			next.Quotes = slices.DeleteFunc(next.Quotes, func(q Quote) bool { return q.AnswerID == it.AnswerID })
		}
	}
	for _, id := range ch.RemoveQuotes {
		next.Quotes = slices.DeleteFunc(next.Quotes, func(q Quote) bool { return q.AnswerID == id })
	}
	for _, q := range ch.AddQuotes {
		if !next.HasItem(ThemeItem{AnswerID: q.AnswerID}) {
			return nil, InvalidParam("addQuotes", "A quote is one of the theme's texts: add the text to the theme first.")
		}
		a, err := r.approvedText(ctx, cons, q.AnswerID, answers)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(next.Quotes, func(x Quote) bool { return x.AnswerID == a.ID }) {
			next.Quotes = append(next.Quotes, Quote{AnswerID: a.ID, Text: a.Text})
		}
	}
	next.Revision, next.UpdatedAt = cur.Revision+1, r.now()
	if err := next.Validate(); err != nil {
		return nil, err
	}
	if err := r.Store.UpdateTheme(ctx, &next, audit.about(next.ID)); err != nil {
		return nil, err
	}
	return &next, nil
}

// DeleteTheme removes the consultation's theme, read at revision, with its audit entry. A theme
// that a recommendation draws on stays: ETHEMEINUSE names the recommendation, whose page takes
// the theme out of it. ECHANGED when the theme is no longer at revision; ENOTFOUND when the
// consultation has no such theme. Nothing is written on any error.
func (r *Review) DeleteTheme(ctx context.Context, cons *Consultation, id string, revision int, audit *AuditEntry) error {
	cur, err := r.themeOf(ctx, cons, id)
	if err != nil {
		return err
	}
	if revision != cur.Revision {
		return Errorf(ECHANGED, "Someone else changed this theme meanwhile; reload it and make your change again.")
	}
	recs, err := r.ListRecommendations(ctx, cons)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if slices.Contains(rec.ThemeIDs, id) {
			return ThemeInUse(rec.Title)
		}
	}
	return r.Store.DeleteTheme(ctx, id, revision, audit.about(id))
}

// ThemeInUse is the ETHEMEINUSE error, naming the recommendation that draws on the theme
// when it is known ("" when not).
func ThemeInUse(recommendation string) error {
	if recommendation == "" {
		return Errorf(ETHEMEINUSE, "A recommendation draws on this theme: take the theme out of the recommendation first.")
	}
	return Errorf(ETHEMEINUSE, "The recommendation %q draws on this theme: take the theme out of the recommendation first.", recommendation)
}

// approvedText finds a text answer of the consultation that an adult approved.
func (r *Review) approvedText(ctx context.Context, cons *Consultation, id string, seen map[string]*Answer) (*Answer, error) {
	a := seen[id]
	if a == nil {
		var err error
		if a, err = r.Store.FindAnswerByID(ctx, id); err != nil {
			if ErrorCode(err) == ENOTFOUND {
				return nil, Errorf(ENOTFOUND, "No such text in this consultation.")
			}
			return nil, err
		}
		seen[id] = a
	}
	if a.ConsultationID != cons.ID {
		return nil, Errorf(ENOTFOUND, "No such text in this consultation.")
	}
	if a.Moderation == ModerationNone {
		return nil, InvalidParam("answerId", "This answer chose options: add the option to the theme instead.")
	}
	if a.Moderation != ModerationApproved {
		return nil, &Error{Code: ENOTAPPROVED, Param: "answerId", Message: "Only approved texts can be grouped or quoted; this one is not approved."}
	}
	return a, nil
}

func checkOptionItem(qs []Question, it ThemeItem) error {
	i := slices.IndexFunc(qs, func(q Question) bool { return q.ID == it.QuestionID })
	if i < 0 {
		return Errorf(ENOTFOUND, "No such question in this consultation.")
	}
	if qs[i].Kind.IsText() {
		return InvalidParam("optionId", "This question takes texts: add its texts instead.")
	}
	if _, ok := qs[i].Option(it.OptionID); !ok {
		return Errorf(ENOTFOUND, "No such option in this question.")
	}
	return nil
}

// RecommendationDraft is what reviewers write when they make a recommendation from themes.
type RecommendationDraft struct {
	ThemeIDs     []string
	Title        string
	Text         string
	AudienceBody string // the consultation's audience when empty
}

// CreateRecommendation makes a recommendation from one or more of the consultation's themes,
// addressed to the consultation's audience unless the draft names another body, with its
// audit entry. ENOTFOUND for a theme the consultation does not have; EINVALID for bad fields;
// ECONFLICT for a draft.
func (r *Review) CreateRecommendation(ctx context.Context, cons *Consultation, actorID string, d RecommendationDraft, audit *AuditEntry) (*Recommendation, error) {
	if err := checkReviewable(cons); err != nil {
		return nil, err
	}
	if len(d.ThemeIDs) == 0 {
		return nil, InvalidParam("themeIds", "Make a recommendation from at least one theme.")
	}
	if err := r.checkThemes(ctx, cons, d.ThemeIDs); err != nil {
		return nil, err
	}
	audience := strings.TrimSpace(d.AudienceBody)
	if audience == "" {
		audience = cons.AudienceBody
	}
	now := r.now()
	rec := &Recommendation{ID: r.NewID(), Municipality: cons.Municipality, Source: SourceConsultation, ConsultationID: cons.ID,
		ThemeIDs: slices.Clone(d.ThemeIDs), Title: strings.TrimSpace(d.Title), Text: strings.TrimSpace(d.Text), AudienceBody: audience,
		Revision: 1, CreatedBy: actorID, CreatedAt: now, UpdatedAt: now}
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	if err := r.Store.CreateRecommendation(ctx, rec, audit.about(rec.ID)); err != nil {
		return nil, err
	}
	return rec, nil
}

func (r *Review) checkThemes(ctx context.Context, cons *Consultation, ids []string) error {
	for _, id := range ids {
		if _, err := r.themeOf(ctx, cons, id); err != nil {
			if ErrorCode(err) == ENOTFOUND {
				return &Error{Code: ENOTFOUND, Param: "themeIds", Message: "No such theme in this consultation."}
			}
			return err
		}
	}
	return nil
}

// RecommendationChange is an edit of a recommendation made against the revision read. Nil
// fields stay as they are.
type RecommendationChange struct {
	Revision     int
	ThemeIDs     []string
	Title        *string
	Text         *string
	AudienceBody *string
}

// FindRecommendation returns the consultation's recommendation; ENOTFOUND if it has none such.
func (r *Review) FindRecommendation(ctx context.Context, cons *Consultation, id string) (*Recommendation, error) {
	rec, err := r.Store.FindRecommendation(ctx, id)
	if err != nil {
		return nil, err
	}
	if rec.ConsultationID != cons.ID || rec.Municipality != cons.Municipality {
		return nil, Errorf(ENOTFOUND, "No such recommendation in this consultation.")
	}
	return rec, nil
}

// UpdateRecommendation applies ch to the consultation's recommendation. ECHANGED when it is no
// longer at ch.Revision (nothing is written); ENOTFOUND for a theme or recommendation the
// consultation does not have; EINVALID for bad fields.
func (r *Review) UpdateRecommendation(ctx context.Context, cons *Consultation, id string, ch RecommendationChange, audit *AuditEntry) (*Recommendation, error) {
	cur, err := r.FindRecommendation(ctx, cons, id)
	if err != nil {
		return nil, err
	}
	if ch.Revision != cur.Revision {
		return nil, Errorf(ECHANGED, "Someone else changed this recommendation meanwhile; reload it and make your change again.")
	}
	next := *cur
	if ch.ThemeIDs != nil {
		if len(ch.ThemeIDs) == 0 {
			return nil, InvalidParam("themeIds", "A recommendation draws on at least one theme.")
		}
		if err := r.checkThemes(ctx, cons, ch.ThemeIDs); err != nil {
			return nil, err
		}
		next.ThemeIDs = slices.Clone(ch.ThemeIDs)
	}
	if ch.Title != nil {
		next.Title = strings.TrimSpace(*ch.Title)
	}
	if ch.Text != nil {
		next.Text = strings.TrimSpace(*ch.Text)
	}
	if ch.AudienceBody != nil {
		next.AudienceBody = strings.TrimSpace(*ch.AudienceBody)
	}
	next.Revision, next.UpdatedAt = cur.Revision+1, r.now()
	if err := next.Validate(); err != nil {
		return nil, err
	}
	if err := r.Store.UpdateRecommendation(ctx, &next, audit.about(next.ID)); err != nil {
		return nil, err
	}
	return &next, nil
}

// ListRecommendations returns the consultation's recommendations, oldest first.
func (r *Review) ListRecommendations(ctx context.Context, cons *Consultation) ([]*Recommendation, error) {
	return r.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: cons.Municipality, ConsultationID: cons.ID})
}
