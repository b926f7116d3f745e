package voci

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"
)

// Feedback tells the children what became of one recommendation: what was decided and why,
// in words a child understands, with an easy-read version, in Romanian and in every other
// language the children of the consultation used. An adult writes it, a second adult
// approves it, and it is published; published feedback never changes, a correction is a new
// version and the old one stays readable.

// Error codes of feedback.
const (
	// EFEEDBACKINCOMPLETE: feedback cannot be reviewed or published while a required
	// language lacks its text or its easy-read version. The message names what is missing.
	EFEEDBACKINCOMPLETE = "feedback_incomplete"
	// ESECONDADULT: the adult who approves feedback must not be one who wrote it.
	ESECONDADULT = "second_adult_required"
	// EFEEDBACKPUBLISHED: published feedback is not edited; a correction is a new version.
	EFEEDBACKPUBLISHED = "feedback_published"
)

// FeedbackState is where one version of feedback stands.
type FeedbackState string

const (
	FeedbackDraft     FeedbackState = "draft"     // being written; editable
	FeedbackInReview  FeedbackState = "in_review" // submitted; waits for a second adult
	FeedbackPublished FeedbackState = "published" // approved and public; never changes
)

// FeedbackText is feedback in one language.
type FeedbackText struct {
	Text     string // what was decided and why, for children
	EasyRead string // the same in easy-read: short sentences, common words
}

// Feedback is one version of the feedback on a recommendation.
type Feedback struct {
	ID               string
	RecommendationID string
	ConsultationID   string // the recommendation's, '' for a council motion
	Municipality     int
	// Version is 1 for the first feedback on a recommendation and grows by one with each
	// correction; Corrects says what a correction corrects (required from version 2).
	Version  int
	Corrects string
	State    FeedbackState
	Texts    map[Lang]FeedbackText
	// Authors are the adults who wrote any revision of this version; none of them may
	// approve it. ReviewedBy is the adult who approved and published it.
	Authors     []string
	ReviewedBy  string
	Revision    int // 1 when created, +1 with every stored change
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt time.Time
	PublishedAt time.Time
}

// FeedbackFilter selects feedback. Municipality is required; the rest narrow.
type FeedbackFilter struct {
	Municipality     int
	ConsultationID   string
	RecommendationID string
	PublishedOnly    bool
}

// FeedbackStore keeps feedback.
type FeedbackStore interface {
	// CreateFeedback stores f with its audit entry (nil for none) in the same write;
	// ECONFLICT if the recommendation already has a version f.Version (or the ID exists).
	CreateFeedback(ctx context.Context, f *Feedback, audit *AuditEntry) error
	// FindFeedback returns ENOTFOUND when there is no such feedback.
	FindFeedback(ctx context.Context, id string) (*Feedback, error)
	// ListFeedback returns the filter's feedback, by recommendation (oldest first) and version.
	ListFeedback(ctx context.Context, f FeedbackFilter) ([]*Feedback, error)
	// UpdateFeedback replaces the stored version with f, with its audit entry, only if the
	// stored one is at revision f.Revision-1 and not published: ECHANGED when another write
	// came first, EFEEDBACKPUBLISHED when it is published, ENOTFOUND if gone. Nothing is
	// written then.
	UpdateFeedback(ctx context.Context, f *Feedback, audit *AuditEntry) error
	// ParticipantLanguages returns the languages the children of a consultation used (paper
	// forms count in the language they were printed in, when it was recorded), live
	// and on its self-paced link (each once, in any order).
	ParticipantLanguages(ctx context.Context, consultationID string) ([]Lang, error)
}

// FeedbackDeps is what the feedback rules read and write.
type FeedbackDeps interface {
	FeedbackStore
	RecommendationStore
	ConsultationStore
	MunicipalityStore
	CFCIStore
}

// Results counts a question's answers (Participation does), with small cells suppressed.
type Results interface {
	Results(ctx context.Context, q *Question) (*QuestionResults, error)
}

// Feedbacks holds the rules of feedback to children and of what the public sees of a
// consultation's outcome.
type Feedbacks struct {
	Store FeedbackDeps
	Clock Clock
	NewID func() string
	K     int // the smallest group a public figure may show (DefaultK when 0)
	// Results counts answers for the public outcome; without it no figures are shown.
	Results Results
	// Themes and Decisions are read from the parts that keep them; nil means none yet.
	Themes    PublicThemes
	Decisions DecisionLinks
}

// NewFeedbacks returns the feedback rules on store.
func NewFeedbacks(store FeedbackDeps, clock Clock) *Feedbacks {
	if clock == nil {
		clock = time.Now
	}
	return &Feedbacks{Store: store, Clock: clock, NewID: RandomID}
}

func (f *Feedbacks) now() time.Time { return f.Clock().UTC() }

func (f *Feedbacks) k() int {
	if f.K <= 0 {
		return DefaultK
	}
	return f.K
}

// RequiredFeedbackLanguages are the languages feedback must be written in: Romanian always,
// and every other language of Voci that children of the consultation used (the language their
// screen spoke, recorded when they joined), in the order editors list languages.
func RequiredFeedbackLanguages(used []Lang) []Lang {
	out := []Lang{LangRO}
	for _, l := range ContentLanguages {
		if l != LangRO && slices.Contains(used, l) {
			out = append(out, l)
		}
	}
	return out
}

// CheckComplete returns EFEEDBACKINCOMPLETE, naming every missing text, unless each required
// language has both its text and its easy-read version.
func (fb *Feedback) CheckComplete(required []Lang) error {
	var missing []string
	param := ""
	for _, l := range required {
		t := fb.Texts[l]
		if strings.TrimSpace(t.Text) == "" {
			missing = append(missing, "the text in "+LanguageName(l))
			param = or(param, "texts."+string(l)+".text")
		}
		if strings.TrimSpace(t.EasyRead) == "" {
			missing = append(missing, "the easy-read text in "+LanguageName(l))
			param = or(param, "texts."+string(l)+".easyRead")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &Error{Code: EFEEDBACKINCOMPLETE, Param: param,
		Message: "Children must be told in every language they used, in easy-read too. Missing: " + strings.Join(missing, ", ") + "."}
}

// LanguageName is a language's English name, for messages.
func LanguageName(l Lang) string {
	switch l {
	case LangHU:
		return "Hungarian"
	case LangEN:
		return "English"
	}
	return "Romanian"
}

func validateFeedbackTexts(texts map[Lang]FeedbackText) error {
	for l, t := range texts {
		if !slices.Contains(ContentLanguages, l) {
			return InvalidParam("texts", "Feedback is written in ro, hu or en, not %q.", l)
		}
		if err := validateLongText("texts."+string(l)+".text", t.Text, 0, 4000); err != nil {
			return err
		}
		if err := validateLongText("texts."+string(l)+".easyRead", t.EasyRead, 0, 2000); err != nil {
			return err
		}
	}
	return nil
}

func cleanTexts(texts map[Lang]FeedbackText) map[Lang]FeedbackText {
	out := make(map[Lang]FeedbackText, len(texts))
	for l, t := range texts {
		t.Text, t.EasyRead = strings.TrimSpace(t.Text), strings.TrimSpace(t.EasyRead)
		if t != (FeedbackText{}) {
			out[l] = t
		}
	}
	return out
}

// RecommendationIn returns the recommendation id of municipality siruta; ENOTFOUND when it
// belongs to another.
func (f *Feedbacks) RecommendationIn(ctx context.Context, siruta int, id string) (*Recommendation, error) {
	r, err := f.Store.FindRecommendation(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Municipality != siruta {
		return nil, Errorf(ENOTFOUND, "No such recommendation.")
	}
	return r, nil
}

// FeedbackOf returns the feedback id on recommendation r; ENOTFOUND when it is another's.
func (f *Feedbacks) FeedbackOf(ctx context.Context, r *Recommendation, id string) (*Feedback, error) {
	fb, err := f.Store.FindFeedback(ctx, id)
	if err != nil {
		return nil, err
	}
	if fb.RecommendationID != r.ID {
		return nil, Errorf(ENOTFOUND, "No such feedback on this recommendation.")
	}
	return fb, nil
}

// RequiredLanguages returns the languages feedback on r must be written in.
func (f *Feedbacks) RequiredLanguages(ctx context.Context, r *Recommendation) ([]Lang, error) {
	if r.ConsultationID == "" {
		return RequiredFeedbackLanguages(nil), nil
	}
	used, err := f.Store.ParticipantLanguages(ctx, r.ConsultationID)
	if err != nil {
		return nil, err
	}
	return RequiredFeedbackLanguages(used), nil
}

// StartFeedback begins a new version of the feedback on r, written by actor: the first, or a
// correction of the published one (corrects then says what it corrects). ECONFLICT while a
// version is unpublished (edit that one) or when another adult started one at the same time;
// EINVALID for bad texts or a correction that does not say what it corrects.
func (f *Feedbacks) StartFeedback(ctx context.Context, r *Recommendation, actor string, texts map[Lang]FeedbackText, corrects string, audit *AuditEntry) (*Feedback, error) {
	if err := validateFeedbackTexts(texts); err != nil {
		return nil, err
	}
	versions, err := f.Store.ListFeedback(ctx, FeedbackFilter{Municipality: r.Municipality, RecommendationID: r.ID})
	if err != nil {
		return nil, err
	}
	next := 1
	if n := len(versions); n > 0 {
		last := versions[n-1]
		if last.State != FeedbackPublished {
			return nil, Errorf(ECONFLICT, "This recommendation already has feedback being written; edit that one.")
		}
		next = last.Version + 1
	}
	corrects = strings.TrimSpace(corrects)
	if next > 1 {
		if err := validateLongText("corrects", corrects, 3, 1000); err != nil {
			return nil, InvalidParam("corrects", "Say what this correction corrects (3 to 1000 characters).")
		}
	} else if corrects != "" {
		return nil, InvalidParam("corrects", "Only a correction of published feedback says what it corrects.")
	}
	now := f.now()
	fb := &Feedback{ID: f.NewID(), RecommendationID: r.ID, ConsultationID: r.ConsultationID, Municipality: r.Municipality,
		Version: next, Corrects: corrects, State: FeedbackDraft, Texts: cleanTexts(texts), Authors: []string{actor},
		Revision: 1, CreatedAt: now, UpdatedAt: now}
	if err := f.Store.CreateFeedback(ctx, fb, audit.about(fb.ID)); err != nil {
		return nil, err
	}
	return fb, nil
}

// EditFeedback replaces the texts of an unpublished version, read at revision. Feedback in
// review goes back to draft: what a second adult approves is what they read. ECHANGED when
// someone else changed it since it was read, EFEEDBACKPUBLISHED when it is published.
func (f *Feedbacks) EditFeedback(ctx context.Context, fb *Feedback, revision int, actor string, texts map[Lang]FeedbackText, audit *AuditEntry) (*Feedback, error) {
	if err := f.checkEditable(fb, revision); err != nil {
		return nil, err
	}
	if err := validateFeedbackTexts(texts); err != nil {
		return nil, err
	}
	next := fb.clone()
	next.Texts, next.State, next.SubmittedAt = cleanTexts(texts), FeedbackDraft, time.Time{}
	if !slices.Contains(next.Authors, actor) {
		next.Authors = append(next.Authors, actor)
	}
	return next, f.save(ctx, next, audit)
}

// SubmitFeedback sends a complete draft, read at revision, for review by a second adult.
// EFEEDBACKINCOMPLETE names what is missing; EWRONGSTATE unless it is a draft.
func (f *Feedbacks) SubmitFeedback(ctx context.Context, r *Recommendation, fb *Feedback, revision int, audit *AuditEntry) (*Feedback, error) {
	if err := f.checkEditable(fb, revision); err != nil {
		return nil, err
	}
	if fb.State != FeedbackDraft {
		return nil, Errorf(EWRONGSTATE, "This feedback is already waiting for review.")
	}
	required, err := f.RequiredLanguages(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := fb.CheckComplete(required); err != nil {
		return nil, err
	}
	next := fb.clone()
	next.State, next.SubmittedAt = FeedbackInReview, f.now()
	return next, f.save(ctx, next, audit)
}

// PublishFeedback approves and publishes feedback in review, read at revision, by reviewer:
// ESECONDADULT when the reviewer wrote any of it, EFEEDBACKINCOMPLETE (naming what is
// missing) when a required language lacks its text or easy-read version, EWRONGSTATE unless it
// waits for review.
func (f *Feedbacks) PublishFeedback(ctx context.Context, r *Recommendation, fb *Feedback, revision int, reviewer string, audit *AuditEntry) (*Feedback, error) {
	if err := f.checkEditable(fb, revision); err != nil {
		return nil, err
	}
	if slices.Contains(fb.Authors, reviewer) {
		return nil, Errorf(ESECONDADULT, "You wrote this feedback, so another adult must approve it: a council member or the coordinator who did not write it.")
	}
	required, err := f.RequiredLanguages(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := fb.CheckComplete(required); err != nil {
		return nil, err
	}
	if fb.State != FeedbackInReview {
		return nil, Errorf(EWRONGSTATE, "Submit this feedback for review before it is approved.")
	}
	next := fb.clone()
	now := f.now()
	next.State, next.ReviewedBy, next.PublishedAt = FeedbackPublished, reviewer, now
	return next, f.save(ctx, next, audit)
}

func (f *Feedbacks) checkEditable(fb *Feedback, revision int) error {
	if fb.State == FeedbackPublished {
		return Errorf(EFEEDBACKPUBLISHED, "Published feedback is not changed; write a correction, which keeps this version readable.")
	}
	if revision != fb.Revision {
		return Errorf(ECHANGED, "Someone else changed this feedback meanwhile; reload it and make your change again.")
	}
	return nil
}

func (f *Feedbacks) save(ctx context.Context, next *Feedback, audit *AuditEntry) error {
	next.Revision++
	next.UpdatedAt = f.now()
	return f.Store.UpdateFeedback(ctx, next, audit.about(next.ID))
}

func (fb *Feedback) clone() *Feedback {
	out := *fb
	out.Texts = make(map[Lang]FeedbackText, len(fb.Texts))
	for l, t := range fb.Texts {
		out.Texts[l] = t
	}
	out.Authors = slices.Clone(fb.Authors)
	return &out
}

// In returns the feedback's text in lang, or in Romanian where lang's is missing, and the
// language it is in.
func (fb *Feedback) In(lang Lang) (FeedbackText, Lang) {
	if t, ok := fb.Texts[lang]; ok && t.Text != "" {
		return t, lang
	}
	return fb.Texts[LangRO], LangRO
}

// FeedbackStatus is where a consultation stands with its answer to the children.
type FeedbackStatus struct {
	// Recommendations counts the consultation's recommendations, Published those of them with
	// published feedback.
	Recommendations int
	Published       int
	// Answered: at least one recommendation and published feedback on every one; AnsweredAt
	// is when the last of them was first published.
	Answered   bool
	AnsweredAt time.Time
	// DueBy is the consultation's AnswerBy; Overdue once it has passed unanswered.
	DueBy   time.Time
	Overdue bool
}

// ConsultationFeedbackStatus computes c's status at now from its recommendations and when each
// first had feedback published (absent: never). A draft is never overdue: it promised nothing
// to anybody yet.
func ConsultationFeedbackStatus(c *Consultation, recs []*Recommendation, firstPublished map[string]time.Time, now time.Time) FeedbackStatus {
	st := FeedbackStatus{DueBy: c.AnswerBy}
	for _, r := range recs {
		if r.ConsultationID != c.ID {
			continue
		}
		st.Recommendations++
		if at, ok := firstPublished[r.ID]; ok {
			st.Published++
			if at.After(st.AnsweredAt) {
				st.AnsweredAt = at
			}
		}
	}
	st.Answered = st.Recommendations > 0 && st.Published == st.Recommendations
	if !st.Answered {
		st.AnsweredAt = time.Time{}
	}
	st.Overdue = !st.Answered && c.Status != StatusDraft && !c.AnswerBy.IsZero() && now.After(c.AnswerBy)
	return st
}

// firstPublished maps each recommendation to when its feedback was first published.
func firstPublished(fbs []*Feedback) map[string]time.Time {
	out := map[string]time.Time{}
	for _, fb := range fbs {
		if fb.State != FeedbackPublished {
			continue
		}
		if at, ok := out[fb.RecommendationID]; !ok || fb.PublishedAt.Before(at) {
			out[fb.RecommendationID] = fb.PublishedAt
		}
	}
	return out
}

// FeedbackStatuses returns the status of each of the municipality's consultations cs, by ID,
// from two reads whatever their number.
func (f *Feedbacks) FeedbackStatuses(ctx context.Context, siruta int, cs []Consultation) (map[string]FeedbackStatus, error) {
	recs, err := f.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: siruta})
	if err != nil {
		return nil, err
	}
	fbs, err := f.Store.ListFeedback(ctx, FeedbackFilter{Municipality: siruta, PublishedOnly: true})
	if err != nil {
		return nil, err
	}
	first, now := firstPublished(fbs), f.now()
	out := make(map[string]FeedbackStatus, len(cs))
	for i := range cs {
		out[cs[i].ID] = ConsultationFeedbackStatus(&cs[i], recs, first, now)
	}
	return out, nil
}

// ConsultationStatusOf returns the feedback status of one consultation.
func (f *Feedbacks) ConsultationStatusOf(ctx context.Context, c *Consultation) (FeedbackStatus, error) {
	recs, err := f.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: c.Municipality, ConsultationID: c.ID})
	if err != nil {
		return FeedbackStatus{}, err
	}
	fbs, err := f.Store.ListFeedback(ctx, FeedbackFilter{Municipality: c.Municipality, ConsultationID: c.ID, PublishedOnly: true})
	if err != nil {
		return FeedbackStatus{}, err
	}
	return ConsultationFeedbackStatus(c, recs, firstPublished(fbs), f.now()), nil
}

// ConsultationAnswered reports the feedback status of consultation id (ENOTFOUND if none).
func (f *Feedbacks) ConsultationAnswered(ctx context.Context, consultationID string) (FeedbackStatus, error) {
	c, err := f.Store.FindConsultationByID(ctx, consultationID)
	if err != nil {
		return FeedbackStatus{}, err
	}
	return f.ConsultationStatusOf(ctx, c)
}

// FeedbackPublishedAt returns when the consultation became answered (every recommendation with
// published feedback), and false while it is not.
func (f *Feedbacks) FeedbackPublishedAt(ctx context.Context, consultationID string) (time.Time, bool, error) {
	st, err := f.ConsultationAnswered(ctx, consultationID)
	if err != nil {
		return time.Time{}, false, err
	}
	return st.AnsweredAt, st.Answered, nil
}

// OfferAnswerBy sets the date by which the audience answers, when it is not set and the
// consultation's closing day is known (its self-paced link's end): that day plus the
// municipality's feedback days.
func OfferAnswerBy(c *Consultation, feedbackDays int) {
	if !c.AnswerBy.IsZero() || c.SelfPacedUntil.IsZero() || feedbackDays <= 0 {
		return
	}
	c.AnswerBy = c.SelfPacedUntil.AddDate(0, 0, feedbackDays)
}

// PublicCounts decides which of a question's option counts the public may see: nothing when
// fewer than k children answered; otherwise every count from 1 to k-1 is hidden, and when
// each child counts once (maxChoices 1) and a single count is hidden, the smallest other one
// too, so that the total cannot give it away. The number of respondents is shown only when it
// is at least k.
func PublicCounts(counts []int, respondents, maxChoices, k int) (hidden []bool, showRespondents bool) {
	hidden = make([]bool, len(counts))
	if respondents < k {
		for i := range hidden {
			hidden[i] = true
		}
		return hidden, false
	}
	n := 0
	for i, c := range counts {
		if c > 0 && c < k {
			hidden[i], n = true, n+1
		}
	}
	if n == 1 && maxChoices <= 1 {
		best := -1
		for i, c := range counts {
			if !hidden[i] && (best < 0 || c < counts[best]) {
				best = i
			}
		}
		if best >= 0 {
			hidden[best] = true
		}
	}
	return hidden, true
}

// sortByDate orders timeline entries, newest first.
func sortByDate[T any](items []T, at func(T) time.Time) {
	sort.SliceStable(items, func(i, j int) bool { return at(items[i]).After(at(items[j])) })
}
