package voci

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The Lundy model (Laura Lundy, 2007) asks four things of children's participation: Space (a
// safe, inclusive place to speak), Voice (help to express their views), Audience (the views
// reach those who decide) and Influence (the views are acted upon, and children are told).
// Voci's scorecard answers each with a few checks computed from its own records, never typed
// in by anybody. A check is met (true), not met (false), or cannot be judged yet (nil): a
// check that can still come true before the moment it is about (the consultation closing, its
// answer date, the feedback) is not counted as failed before that moment.

// Lundy dimensions, in the model's order.
const (
	LundySpace     = "space"
	LundyVoice     = "voice"
	LundyAudience  = "audience"
	LundyInfluence = "influence"
)

// Lundy checks, by dimension.
const (
	CheckAccessibleSession = "accessibleSession"
	CheckWaysToTakePart    = "waysToTakePart"
	CheckRepresentative    = "representativeness"
	CheckEasyRead          = "easyRead"
	CheckQuestionKinds     = "questionKinds"
	CheckFreeText          = "freeText"
	CheckNamedAudience     = "namedAudience"
	CheckCouncilReview     = "councilReview"
	CheckDecisionLinked    = "decisionLinked"
	CheckFeedbackOnTime    = "feedbackOnTime"
	CheckReceiptsOpened    = "receiptsOpened"
)

// LundyChecks lists the checks of each dimension, dimensions in the model's order.
var LundyChecks = []struct {
	Dimension string
	Checks    []string
}{
	{LundySpace, []string{CheckAccessibleSession, CheckWaysToTakePart, CheckRepresentative}},
	{LundyVoice, []string{CheckEasyRead, CheckQuestionKinds, CheckFreeText}},
	{LundyAudience, []string{CheckNamedAudience, CheckCouncilReview}},
	{LundyInfluence, []string{CheckDecisionLinked, CheckFeedbackOnTime, CheckReceiptsOpened}},
}

// RepresentativeShare is how far below the best-reached age band another band may fall and
// still count as reached: each band the consultation is for must reach at least this share
// of the best band's rate (children reached over the declared child population). Half: a
// consultation that reached 10% of 13–15 year olds and 4% of 10–12 year olds heard the
// younger ones at under half the rate, and is not representative of them.
const RepresentativeShare = 0.5

// LundyCheck is one check of a scorecard. Met is nil when the check cannot be judged yet.
// For a municipality's roll-up, MetCount counts the consultations that meet it and Of those
// for which it could be judged.
type LundyCheck struct {
	Key      string
	Met      *bool
	Source   string // what the check is computed from, in the scorecard's language
	Evidence string // the page of the app that shows the records
	MetCount int
	Of       int
}

// LundyDimension is one dimension of a scorecard: its checks and how many are met, of those
// that could be judged.
type LundyDimension struct {
	Key    string
	Checks []LundyCheck
	Met    int
	Of     int
}

// LundyScorecard is a consultation's scorecard, or a municipality's roll-up of the
// scorecards of its consultations (Consultation nil, Consultations their number).
type LundyScorecard struct {
	Municipality  int
	Consultation  *Consultation // nil for a roll-up
	Consultations int
	Dimensions    []LundyDimension
}

// LundyFacts is what one consultation's scorecard is computed from. Reach holds children
// reached per age band; it never leaves the domain (only whether the bands were reached
// evenly does), so that no count below k can be read from a scorecard.
type LundyFacts struct {
	Consultation *Consultation
	Questions    []Question
	// LiveSessions counts the consultation's live sessions; Adapted those of them whose group
	// facts record at least one adaptation; SharedDevices whether any records tablets or paper
	// shared by children without a phone.
	LiveSessions  int
	Adapted       int
	SharedDevices bool
	// Sources are the ways answers came in (live, self-paced, paper).
	Sources map[AnswerSource]bool
	// Reach is, per age band, the most answers any one question received from children of
	// that band: a child answers a question once, so it is a lower bound of the children
	// reached. ChildPopulation is the municipality's declared child population.
	Reach           map[AgeBand]int
	ChildPopulation map[AgeBand]int
	// CouncilReviewAt is when an account with the council-member role of the municipality
	// first created a theme or a recommendation of the consultation; zero when none did.
	CouncilReviewAt time.Time
	// DecisionLinked: a published council decision links one of its recommendations.
	DecisionLinked bool
	Feedback       FeedbackStatus
	Receipts       ReceiptCounts
}

// ScoreConsultation computes the scorecard of one consultation from its facts at now, with
// the sentences in lang.
func ScoreConsultation(f LundyFacts, now time.Time, lang Lang) LundyScorecard {
	c := f.Consultation
	base := fmt.Sprintf("/m/%d/consultations/%s", c.Municipality, c.ID)
	open := c.Status != StatusDraft
	closed := c.Status == StatusClosed
	due := !c.AnswerBy.IsZero() && now.After(c.AnswerBy)
	// eventually is the usual shape of a check: met once it happened; not met once its
	// moment has passed without it; not judged before.
	eventually := func(happened, momentPassed bool) *bool {
		switch {
		case happened:
			return yes()
		case momentPassed:
			return no()
		}
		return nil
	}

	kinds := map[QuestionKind]bool{}
	freeText := false
	for _, q := range f.Questions {
		kinds[q.Kind] = true
		freeText = freeText || q.Kind.IsText()
	}
	ways := 0
	for _, s := range []AnswerSource{SourceLive, SourceSelfPaced, SourcePaper} {
		if f.Sources[s] {
			ways++
		}
	}
	if f.SharedDevices {
		ways++
	}
	var voice = func(met bool) *bool {
		if !open && !met {
			return nil // a draft may still gain it
		}
		return metPtr(met)
	}

	checks := map[string]LundyCheck{
		CheckAccessibleSession: {Met: eventually(f.Adapted > 0, closed), Evidence: base + "/sessions"},
		CheckWaysToTakePart:    {Met: eventually(ways > 1, closed), Evidence: base + "/results"},
		CheckRepresentative:    {Met: representative(c, f.Reach, f.ChildPopulation, closed), Evidence: base + "/results"},
		CheckEasyRead:          {Met: voice(strings.TrimSpace(c.EasyRead) != ""), Evidence: base},
		CheckQuestionKinds:     {Met: voice(len(kinds) > 1), Evidence: base},
		CheckFreeText:          {Met: voice(freeText), Evidence: base},
		CheckNamedAudience:     {Met: voice(strings.TrimSpace(c.AudienceBody) != ""), Evidence: base},
		CheckCouncilReview: {Met: eventually(!f.CouncilReviewAt.IsZero() && (c.AnswerBy.IsZero() || !f.CouncilReviewAt.After(c.AnswerBy)),
			open && (due || !f.CouncilReviewAt.IsZero())), Evidence: base + "/review"},
		CheckDecisionLinked: {Met: eventually(f.DecisionLinked, open && due), Evidence: fmt.Sprintf("/m/%d/decisions", c.Municipality)},
		CheckFeedbackOnTime: {Met: eventually(f.Feedback.Answered && (c.AnswerBy.IsZero() || !f.Feedback.AnsweredAt.After(c.AnswerBy)),
			open && (due || f.Feedback.Answered)), Evidence: base + "/feedback"},
		CheckReceiptsOpened: {Met: eventually(f.Receipts.OpenedAfterFeedback > 0, f.Feedback.Answered && f.Receipts.Issued > 0), Evidence: base + "/feedback"},
	}
	cons := *c
	return LundyScorecard{Municipality: c.Municipality, Consultation: &cons, Consultations: 1, Dimensions: assemble(checks, lang)}
}

// representative judges whether the children reached match the declared child population:
// every band the consultation is for (every band, when it names none) whose population is
// declared must be reached, at no less than RepresentativeShare of the best band's rate. Nil
// while the consultation is open and not yet representative, and when no population of its
// bands is declared.
func representative(c *Consultation, reach, population map[AgeBand]int, closed bool) *bool {
	bands := c.AgeBands
	if len(bands) == 0 {
		bands = AgeBands
	}
	var rates []float64
	for _, b := range bands {
		if population[b] > 0 {
			rates = append(rates, float64(reach[b])/float64(population[b]))
		}
	}
	if len(rates) == 0 {
		return nil
	}
	best := slices.Max(rates)
	met := best > 0
	for _, r := range rates {
		met = met && r > 0 && r >= RepresentativeShare*best
	}
	if !met && !closed {
		return nil
	}
	return metPtr(met)
}

// RollUpScorecards adds up the scorecards of a municipality's consultations: for each check,
// how many consultations meet it of those for which it could be judged. A check is met when
// every consultation judged meets it, and not judged when none could be.
func RollUpScorecards(siruta int, cards []LundyScorecard, lang Lang) LundyScorecard {
	checks := map[string]LundyCheck{}
	for _, card := range cards {
		for _, d := range card.Dimensions {
			for _, ch := range d.Checks {
				sum := checks[ch.Key]
				if ch.Met != nil {
					sum.Of++
					if *ch.Met {
						sum.MetCount++
					}
				}
				checks[ch.Key] = sum
			}
		}
	}
	for key, sum := range checks {
		if sum.Of > 0 {
			sum.Met = metPtr(sum.MetCount == sum.Of)
		}
		checks[key] = sum
	}
	for _, dim := range LundyChecks {
		for _, key := range dim.Checks {
			ch := checks[key]
			ch.Evidence = fmt.Sprintf("/m/%d/consultations", siruta)
			checks[key] = ch
		}
	}
	dims := assemble(checks, lang)
	for i := range dims {
		dims[i].Met, dims[i].Of = 0, 0
		for _, ch := range dims[i].Checks {
			dims[i].Met += ch.MetCount
			dims[i].Of += ch.Of
		}
	}
	return LundyScorecard{Municipality: siruta, Consultations: len(cards), Dimensions: dims}
}

// assemble orders the checks into their dimensions, with their sentences in lang, and counts
// what is met of what could be judged.
func assemble(checks map[string]LundyCheck, lang Lang) []LundyDimension {
	dims := make([]LundyDimension, 0, len(LundyChecks))
	for _, dim := range LundyChecks {
		d := LundyDimension{Key: dim.Dimension}
		for _, key := range dim.Checks {
			ch := checks[key]
			ch.Key, ch.Source = key, LundySource(key, lang)
			if ch.Met != nil {
				d.Of++
				if *ch.Met {
					d.Met++
				}
			}
			d.Checks = append(d.Checks, ch)
		}
		dims = append(dims, d)
	}
	return dims
}

func metPtr(b bool) *bool { return &b }
func yes() *bool          { return metPtr(true) }
func no() *bool           { return metPtr(false) }

// lundySources says, for each check, what it is computed from.
var lundySources = map[string]map[Lang]string{
	CheckAccessibleSession: {
		LangEN: "A live session whose group facts record at least one adaptation (easy-read materials, sign language, interpretation, assistive technology, an accessible venue, shared devices).",
		LangRO: "O sesiune live ale cărei date despre grup consemnează cel puțin o adaptare (materiale ușor de citit, limbaj mimico-gestual, interpretare, tehnologie asistivă, loc accesibil, dispozitive comune).",
		LangHU: "Egy élő foglalkozás, amelynek csoportadatai legalább egy alkalmazkodást rögzítenek (könnyen érthető anyagok, jelnyelv, tolmácsolás, segítő technológia, akadálymentes helyszín, közös eszközök).",
	},
	CheckWaysToTakePart: {
		LangEN: "The ways the answers came in: live, self-paced, on paper, and shared tablets or paper recorded in a session's group facts. Met with two or more.",
		LangRO: "Căile pe care au venit răspunsurile: live, în ritm propriu, pe hârtie și tablete sau hârtie comune consemnate în datele despre grup ale unei sesiuni. Îndeplinit cu cel puțin două.",
		LangHU: "Ahogyan a válaszok érkeztek: élőben, saját tempóban, papíron, és egy foglalkozás csoportadataiban rögzített közös táblagép vagy papír. Kettőtől teljesül.",
	},
	CheckRepresentative: {
		LangEN: "Children reached in each age band the consultation is for, against the child population the municipality declares on its profile: every band reached, none at less than half the rate of the best-reached band. No count is shown.",
		LangRO: "Copiii ajunși în fiecare grupă de vârstă căreia i se adresează consultarea, față de populația de copii declarată de primărie în profilul ei: fiecare grupă atinsă, niciuna sub jumătate din rata celei mai bine atinse. Nu se arată niciun număr.",
		LangHU: "Az elért gyerekek a konzultáció minden korcsoportjában, a település profiljában megadott gyermeklakossághoz mérve: minden korcsoport elérve, egyik sem a legjobban elért csoport arányának felénél kevesebbel. Szám nem jelenik meg.",
	},
	CheckEasyRead: {
		LangEN: "The consultation's easy-read text, written when it was prepared.",
		LangRO: "Textul ușor de citit al consultării, scris la pregătirea ei.",
		LangHU: "A konzultáció könnyen érthető szövege, az előkészítéskor megírva.",
	},
	CheckQuestionKinds: {
		LangEN: "The kinds of its questions (choice, scale, ranking, text, word cloud, idea board): met with two kinds or more.",
		LangRO: "Tipurile întrebărilor (alegere, scală, clasament, text, nor de cuvinte, panou de idei): îndeplinit cu cel puțin două tipuri.",
		LangHU: "A kérdések fajtái (választás, skála, rangsor, szöveg, szófelhő, ötlettábla): két fajtától teljesül.",
	},
	CheckFreeText: {
		LangEN: "A question children answer in their own words: a short text, a word cloud or an idea board.",
		LangRO: "O întrebare la care copiii răspund cu vorbele lor: text scurt, nor de cuvinte sau panou de idei.",
		LangHU: "Egy kérdés, amelyre a gyerekek a saját szavaikkal válaszolnak: rövid szöveg, szófelhő vagy ötlettábla.",
	},
	CheckNamedAudience: {
		LangEN: "The body named on the consultation as receiving the children's views.",
		LangRO: "Organismul numit în consultare ca destinatar al opiniilor copiilor.",
		LangHU: "A konzultációban megnevezett testület, amely a gyerekek véleményét megkapja.",
	},
	CheckCouncilReview: {
		LangEN: "A theme or recommendation of the consultation created by a council member of the municipality on or before the date the audience promised to answer by.",
		LangRO: "O temă sau o recomandare a consultării creată de un consilier local al primăriei până la data la care destinatarul a promis că răspunde.",
		LangHU: "A konzultáció egy témája vagy javaslata, amelyet a település egy képviselője hozott létre a válaszadásra ígért határidőig.",
	},
	CheckDecisionLinked: {
		LangEN: "A published council decision linked to one of the consultation's recommendations.",
		LangRO: "O hotărâre de consiliu publicată, legată de una dintre recomandările consultării.",
		LangHU: "Egy közzétett tanácsi határozat, amely a konzultáció valamelyik javaslatához kapcsolódik.",
	},
	CheckFeedbackOnTime: {
		LangEN: "Feedback published to the children on every recommendation, the last of it on or before the date the audience promised to answer by.",
		LangRO: "Răspunsul către copii publicat pentru fiecare recomandare, ultimul până la data la care destinatarul a promis că răspunde.",
		LangHU: "Minden javaslatra közzétett visszajelzés a gyerekeknek, az utolsó a válaszadásra ígért határidőig.",
	},
	CheckReceiptsOpened: {
		LangEN: "Receipt codes of the consultation opened by children after its feedback was published.",
		LangRO: "Coduri de confirmare ale consultării deschise de copii după publicarea răspunsului.",
		LangHU: "A konzultáció nyugtakódjai, amelyeket a gyerekek a visszajelzés közzététele után nyitottak meg.",
	},
}

// LundySource returns the sentence saying what the check is computed from, in lang.
func LundySource(check string, lang Lang) string {
	s := lundySources[check]
	if t, ok := s[lang]; ok {
		return t
	}
	return s[LangRO]
}

// LundyStore is what the scorecard reads.
type LundyStore interface {
	FindConsultationByID(ctx context.Context, id string) (*Consultation, error)
	FindConsultations(ctx context.Context, f ConsultationFilter) ([]Consultation, int, error)
	ListQuestions(ctx context.Context, consultationID string) ([]Question, error)
	ListLiveSessions(ctx context.Context, consultationID string) ([]LiveSession, error)
	FindGroupFacts(ctx context.Context, sessionID string) (*GroupFacts, error)
	CountAnswers(ctx context.Context, questionID string) ([]AnswerCount, error)
	ListThemes(ctx context.Context, consultationID string) ([]*Theme, error)
	ListRecommendations(ctx context.Context, f RecommendationFilter) ([]*Recommendation, error)
	ListFeedback(ctx context.Context, f FeedbackFilter) ([]*Feedback, error)
	ListDecisions(ctx context.Context, municipality int) ([]*Decision, error)
	CountReceipts(ctx context.Context, consultationID string) (ReceiptCounts, error)
	FindMunicipalityProfile(ctx context.Context, siruta int) (*MunicipalityProfile, error)
	FindAccountByID(ctx context.Context, id string) (*Account, error)
}

// Lundy computes scorecards from the store's records.
type Lundy struct {
	Store LundyStore
	Clock Clock
}

// NewLundy returns a Lundy on the real clock.
func NewLundy(store LundyStore) *Lundy { return &Lundy{Store: store, Clock: time.Now} }

// municipalityFacts are the facts read once for all of a municipality's consultations.
type municipalityFacts struct {
	siruta     int
	population map[AgeBand]int
	recs       []*Recommendation
	first      map[string]time.Time // recommendation → feedback first published
	linked     map[string]bool      // recommendations a published decision links
	council    map[string]bool      // account → council member of the municipality
}

func (l *Lundy) readMunicipality(ctx context.Context, siruta int) (*municipalityFacts, error) {
	m := &municipalityFacts{siruta: siruta, linked: map[string]bool{}, council: map[string]bool{}}
	profile, err := l.Store.FindMunicipalityProfile(ctx, siruta)
	if err != nil {
		return nil, err
	}
	m.population = profile.ChildPopulation
	if m.recs, err = l.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: siruta}); err != nil {
		return nil, err
	}
	fbs, err := l.Store.ListFeedback(ctx, FeedbackFilter{Municipality: siruta, PublishedOnly: true})
	if err != nil {
		return nil, err
	}
	m.first = firstPublished(fbs)
	decisions, err := l.Store.ListDecisions(ctx, siruta)
	if err != nil {
		return nil, err
	}
	for _, d := range decisions {
		if !d.Published {
			continue
		}
		for _, e := range d.Entries {
			if e.Kind == EntryVersion && e.Content != nil {
				for _, link := range e.Content.Links {
					m.linked[link.RecommendationID] = true
				}
			}
		}
	}
	return m, nil
}

// isCouncilMember reports whether the account holds the council-member role of the
// municipality, asking the store once per account.
func (l *Lundy) isCouncilMember(ctx context.Context, m *municipalityFacts, id string) (bool, error) {
	if is, ok := m.council[id]; ok {
		return is, nil
	}
	a, err := l.Store.FindAccountByID(ctx, id)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return false, err
	}
	m.council[id] = err == nil && a.HasRole(RoleCouncilMember, m.siruta)
	return m.council[id], nil
}

func (l *Lundy) facts(ctx context.Context, m *municipalityFacts, c *Consultation) (LundyFacts, error) {
	f := LundyFacts{Consultation: c, ChildPopulation: m.population, Sources: map[AnswerSource]bool{}, Reach: map[AgeBand]int{}}
	var err error
	if f.Questions, err = l.Store.ListQuestions(ctx, c.ID); err != nil {
		return f, err
	}
	for i := range f.Questions {
		counts, err := l.Store.CountAnswers(ctx, f.Questions[i].ID)
		if err != nil {
			return f, err
		}
		byBand := map[AgeBand]int{}
		for _, n := range counts {
			if n.N > 0 {
				f.Sources[n.Source] = true
			}
			if n.AgeBand != "" {
				byBand[n.AgeBand] += n.N
			}
		}
		for b, n := range byBand {
			f.Reach[b] = max(f.Reach[b], n)
		}
	}
	sessions, err := l.Store.ListLiveSessions(ctx, c.ID)
	if err != nil {
		return f, err
	}
	f.LiveSessions = len(sessions)
	for _, s := range sessions {
		gf, err := l.Store.FindGroupFacts(ctx, s.ID)
		if ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return f, err
		}
		if len(gf.Adaptations) > 0 {
			f.Adapted++
		}
		f.SharedDevices = f.SharedDevices || slices.Contains(gf.Adaptations, AdaptSharedDevices)
	}
	themes, err := l.Store.ListThemes(ctx, c.ID)
	if err != nil {
		return f, err
	}
	review := func(by string, at time.Time) error {
		is, err := l.isCouncilMember(ctx, m, by)
		if err == nil && is && (f.CouncilReviewAt.IsZero() || at.Before(f.CouncilReviewAt)) {
			f.CouncilReviewAt = at
		}
		return err
	}
	for _, t := range themes {
		if err := review(t.CreatedBy, t.CreatedAt); err != nil {
			return f, err
		}
	}
	for _, r := range m.recs {
		if r.ConsultationID != c.ID {
			continue
		}
		if err := review(r.CreatedBy, r.CreatedAt); err != nil {
			return f, err
		}
		f.DecisionLinked = f.DecisionLinked || m.linked[r.ID]
	}
	f.Feedback = ConsultationFeedbackStatus(c, m.recs, m.first, l.Clock().UTC())
	if f.Receipts, err = l.Store.CountReceipts(ctx, c.ID); err != nil {
		return f, err
	}
	return f, nil
}

// ConsultationScorecard returns the scorecard of consultation id of municipality siruta, in
// lang. ENOTFOUND when the municipality has no such consultation.
func (l *Lundy) ConsultationScorecard(ctx context.Context, siruta int, id string, lang Lang) (*LundyScorecard, error) {
	c, err := l.Store.FindConsultationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Municipality != siruta {
		return nil, Errorf(ENOTFOUND, "There is no such consultation.")
	}
	m, err := l.readMunicipality(ctx, siruta)
	if err != nil {
		return nil, err
	}
	f, err := l.facts(ctx, m, c)
	if err != nil {
		return nil, err
	}
	card := ScoreConsultation(f, l.Clock().UTC(), lang)
	return &card, nil
}

// MunicipalityScorecard rolls up the scorecards of the municipality's consultations that were
// opened (a draft promised children nothing yet), in lang, with each consultation's card.
// What is common to them (profile, recommendations, feedback, decisions) is read once.
func (l *Lundy) MunicipalityScorecard(ctx context.Context, siruta int, lang Lang) (*LundyScorecard, []LundyScorecard, error) {
	m, err := l.readMunicipality(ctx, siruta)
	if err != nil {
		return nil, nil, err
	}
	now := l.Clock().UTC()
	var cards []LundyScorecard
	for offset := 0; ; offset += MaxPageSize {
		page, total, err := l.Store.FindConsultations(ctx, ConsultationFilter{Municipality: siruta, Offset: offset, Limit: MaxPageSize})
		if err != nil {
			return nil, nil, err
		}
		for i := range page {
			if page[i].Status == StatusDraft {
				continue
			}
			f, err := l.facts(ctx, m, &page[i])
			if err != nil {
				return nil, nil, err
			}
			cards = append(cards, ScoreConsultation(f, now, lang))
		}
		if len(page) == 0 || offset+len(page) >= total {
			break
		}
	}
	roll := RollUpScorecards(siruta, cards, lang)
	return &roll, cards, nil
}

// lundyLabels name the dimensions, the checks, the states and the columns of the scorecard
// table, by language.
var lundyLabels = map[Lang]map[string]string{
	LangRO: {
		"title": "Tabloul Lundy", "dimension": "Dimensiune", "check": "Verificare", "state": "Stare",
		"metCount": "Consultări care o îndeplinesc", "of": "Consultări evaluate", "source": "Calculat din",
		"met": "îndeplinit", "notMet": "neîndeplinit", "notYet": "încă nu se poate spune",
		"note":     "Calculat din înregistrările platformei pentru consultările deschise ale primăriei (%d).",
		LundySpace: "Spațiu", LundyVoice: "Voce", LundyAudience: "Public", LundyInfluence: "Influență",
		CheckAccessibleSession: "O sesiune accesibilă", CheckWaysToTakePart: "Mai multe căi de participare",
		CheckRepresentative: "Reprezentativitate", CheckEasyRead: "Versiune ușor de citit",
		CheckQuestionKinds: "Mai multe tipuri de întrebări", CheckFreeText: "Text liber permis",
		CheckNamedAudience: "Destinatar numit", CheckCouncilReview: "Analizat de consilieri la timp",
		CheckDecisionLinked: "O hotărâre legată", CheckFeedbackOnTime: "Răspuns publicat la timp",
		CheckReceiptsOpened: "Coduri de confirmare deschise",
	},
	LangEN: {
		"title": "Lundy scorecard", "dimension": "Dimension", "check": "Check", "state": "State",
		"metCount": "Consultations meeting it", "of": "Consultations judged", "source": "Computed from",
		"met": "met", "notMet": "not met", "notYet": "cannot be judged yet",
		"note":     "Computed from the platform's records of the municipality's opened consultations (%d).",
		LundySpace: "Space", LundyVoice: "Voice", LundyAudience: "Audience", LundyInfluence: "Influence",
		CheckAccessibleSession: "An accessible session", CheckWaysToTakePart: "More than one way to take part",
		CheckRepresentative: "Representativeness", CheckEasyRead: "An easy-read version",
		CheckQuestionKinds: "More than one kind of question", CheckFreeText: "Free text allowed",
		CheckNamedAudience: "A named audience", CheckCouncilReview: "Reviewed by council members in time",
		CheckDecisionLinked: "A decision linked", CheckFeedbackOnTime: "Feedback published on time",
		CheckReceiptsOpened: "Receipts opened",
	},
	LangHU: {
		"title": "Lundy-értékelés", "dimension": "Dimenzió", "check": "Ellenőrzés", "state": "Állapot",
		"metCount": "Teljesítő konzultációk", "of": "Értékelt konzultációk", "source": "Számítás alapja",
		"met": "teljesül", "notMet": "nem teljesül", "notYet": "még nem ítélhető meg",
		"note":     "A platform nyilvántartásaiból számítva, a település megnyitott konzultációira (%d).",
		LundySpace: "Tér", LundyVoice: "Hang", LundyAudience: "Közönség", LundyInfluence: "Befolyás",
		CheckAccessibleSession: "Akadálymentes foglalkozás", CheckWaysToTakePart: "Többféle részvételi mód",
		CheckRepresentative: "Reprezentativitás", CheckEasyRead: "Könnyen érthető változat",
		CheckQuestionKinds: "Többféle kérdés", CheckFreeText: "Szabad szöveg megengedett",
		CheckNamedAudience: "Megnevezett címzett", CheckCouncilReview: "Képviselők időben áttekintették",
		CheckDecisionLinked: "Kapcsolódó határozat", CheckFeedbackOnTime: "Időben közzétett visszajelzés",
		CheckReceiptsOpened: "Megnyitott nyugták",
	},
}

// LundyLabel names a dimension, a check, a state or a column in lang.
func LundyLabel(key string, lang Lang) string {
	if t, ok := lundyLabels[lang][key]; ok {
		return t
	}
	return lundyLabels[LangRO][key]
}

// ReportTables implements ReportSource for the table "scorecard": the roll-up of the
// municipality req.Siruta, one row per check. A scorecard holds no count of children, so
// nothing in it needs hiding. EINVALID for another table or a missing municipality;
// ENOTFOUND for an unknown one.
func (l *Lundy) ReportTables(ctx context.Context, req ReportRequest) ([]ReportTable, error) {
	if req.Table != "scorecard" {
		return nil, InvalidParam("table", "Unknown table %q.", req.Table)
	}
	if req.Siruta <= 0 {
		return nil, InvalidParam("siruta", "Name the municipality of the scorecard.")
	}
	lang := ParseLang(string(req.Lang))
	roll, _, err := l.MunicipalityScorecard(ctx, req.Siruta, lang)
	if err != nil {
		return nil, err
	}
	label := func(k string) string { return LundyLabel(k, lang) }
	t := ReportTable{Name: "scorecard", Title: label("title"),
		Columns: []ReportColumn{{Key: "dimension", Label: label("dimension")}, {Key: "check", Label: label("check")},
			{Key: "state", Label: label("state")}, {Key: "metCount", Label: label("metCount"), Numeric: true},
			{Key: "of", Label: label("of"), Numeric: true}, {Key: "source", Label: label("source")}},
		Notes: []string{fmt.Sprintf(label("note"), roll.Consultations)}}
	for _, d := range roll.Dimensions {
		for _, ch := range d.Checks {
			state := "notYet"
			if ch.Met != nil {
				state = map[bool]string{true: "met", false: "notMet"}[*ch.Met]
			}
			met, of := float64(ch.MetCount), float64(ch.Of)
			t.Rows = append(t.Rows, []ReportCell{{Text: label(d.Key)}, {Text: label(ch.Key)}, {Text: label(state)},
				{Value: &met}, {Value: &of}, {Text: ch.Source}})
		}
	}
	return []ReportTable{t}, nil
}
