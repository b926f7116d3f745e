package seeds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// GenOptions sizes a generated history. The defaults (DefaultGenOptions) are the volumes the
// national reporting benchmarks are measured at.
type GenOptions struct {
	// Municipalities is how many municipalities are enrolled, the pilots among them.
	Municipalities int
	// Months is how far back the history reaches from Now.
	Months int
	// Sessions is the number of live sessions in all.
	Sessions int
	// Answers is about how many answers the children give in all, over every channel.
	Answers int
	// Seed makes the history reproducible: one seed, one history (IDs included).
	Seed uint64
	Now  time.Time
	// Workers is how many answers are written at once; the SQLite store commits concurrent
	// writes together, so more workers mean fewer commits.
	Workers int
	// Progress, when set, is told how many answers are written, now and then.
	Progress func(answers int)
}

// DefaultGenOptions are 300 municipalities, two years, 20,000 sessions and 2 million answers.
func DefaultGenOptions(now time.Time) GenOptions {
	return GenOptions{Municipalities: 300, Months: 24, Sessions: 20_000, Answers: 2_000_000, Seed: 1, Now: now, Workers: 64}
}

// GenStats counts what Generate wrote.
type GenStats struct {
	Municipalities, Consultations, LiveSessions, Participants, PaperForms, Answers int
}

// generator holds the state of one Generate run.
type generator struct {
	store voci.Store
	o     GenOptions
	rng   *rand.Rand
	p     *voci.Participation
	clock time.Time
	stats GenStats
	ids   atomic.Uint64
}

// Generate fills store with a plausible history of children taking part: municipalities
// enrolled along the CFCI cycle, consultations with live sessions, self-paced links and paper
// forms, children with an age band and gender mix of their municipality, the group facts
// facilitators record, and answers to every kind of choice question. Rural communes get a few
// children per session, county seats a class or more. It is for benchmarks and demos of
// national reporting; it writes through the store's ports, so both stores can be filled. Run it
// on a store that holds the reference data (LoadReferenceData) and nothing else.
func Generate(ctx context.Context, store voci.Store, o GenOptions) (GenStats, error) {
	if o.Municipalities < len(Pilots) || o.Months < 1 || o.Sessions < o.Municipalities || o.Answers < 1 {
		return GenStats{}, fmt.Errorf("seeds: generate at least %d municipalities, one month, one session per municipality and one answer", len(Pilots))
	}
	if o.Workers < 1 {
		o.Workers = 1
	}
	g := &generator{store: store, o: o, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	g.p = voci.NewParticipation(store, nil, 5)
	g.p.Clock = func() time.Time { return g.clock }
	g.p.NewID = g.id

	places, err := g.pick()
	if err != nil {
		return GenStats{}, err
	}
	weights := make([]float64, len(places))
	sum := 0.0
	for i, m := range places {
		weights[i] = sizeOf(m)
		sum += weights[i]
	}
	// Children per live session are a municipality's size times a scale chosen so that the
	// answers come out near the target: each child answers about answersPerChild questions,
	// and self-paced links and paper forms add about a fifth on top.
	const answersPerChild = 3.6
	scale := float64(o.Answers) / 1.2 / answersPerChild / float64(o.Sessions) * sum / sumSquares(weights)

	w := newAnswerWriter(ctx, store, o.Workers, o.Progress)
	for i, m := range places {
		sessions := max(1, int(math.Round(float64(o.Sessions)*weights[i]/sum)))
		if err := g.municipality(ctx, w, m, sessions, max(2, weights[i]*scale)); err != nil {
			w.close()
			return g.stats, fmt.Errorf("seeds: generate %s: %w", m.Name, err)
		}
		if err := w.err(); err != nil {
			break
		}
	}
	n, err := w.close()
	g.stats.Answers = n
	return g.stats, err
}

// id returns the run's next ID: reproducible, and shaped like voci.RandomID's.
func (g *generator) id() string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d/%d", g.o.Seed, g.ids.Add(1)))
	return hex.EncodeToString(sum[:13])
}

// sizeOf weighs a municipality by how many children take part there.
func sizeOf(m voci.Municipality) float64 {
	switch {
	case m.Kind == voci.KindMunicipality:
		return 4
	case m.Kind == voci.KindTown:
		return 1.5
	default:
		return 0.35 // a commune: often a handful of children
	}
}

func sumSquares(w []float64) float64 {
	s := 0.0
	for _, x := range w {
		s += x * x
	}
	return s
}

// pick chooses the enrolled municipalities: the pilots, then others drawn at random, towns
// twice as likely as communes (the initiative starts in towns), in a stable order.
func (g *generator) pick() ([]voci.Municipality, error) {
	counties, err := Counties()
	if err != nil {
		return nil, err
	}
	all, err := Municipalities(counties)
	if err != nil {
		return nil, err
	}
	bySIRUTA := make(map[int]voci.Municipality, len(all))
	for _, m := range all {
		bySIRUTA[m.SIRUTA] = m
	}
	chosen := make([]voci.Municipality, 0, g.o.Municipalities)
	taken := map[int]bool{}
	for _, p := range Pilots {
		chosen = append(chosen, bySIRUTA[p.SIRUTA])
		taken[p.SIRUTA] = true
	}
	for len(chosen) < min(g.o.Municipalities, len(all)) {
		m := all[g.rng.IntN(len(all))]
		if taken[m.SIRUTA] || (m.Kind == voci.KindCommune && g.rng.IntN(2) == 0) {
			continue
		}
		taken[m.SIRUTA] = true
		chosen = append(chosen, m)
	}
	return chosen, nil
}

// municipality writes one municipality's history: its stages, its declared child
// population, and its consultations with their sessions and answers.
func (g *generator) municipality(ctx context.Context, w *answerWriter, m voci.Municipality, sessions int, perSession float64) error {
	start := g.o.Now.AddDate(0, -g.o.Months, 0)
	if err := g.stages(ctx, m, start); err != nil {
		return err
	}
	bands := g.bandMix(m)
	population := map[voci.AgeBand]*int{}
	for i, b := range voci.AgeBands {
		n := int(math.Round(perSession * sizeOf(m) * 40 * (0.5 + bands[i]*2)))
		population[b] = &n
	}
	if _, err := g.store.UpdateMunicipalityProfile(ctx, m.SIRUTA, voci.ProfileUpdate{ChildPopulation: population, UpdatedAt: start}); err != nil {
		return err
	}
	g.stats.Municipalities++

	consultations := max(1, (sessions+5)/6)
	for c := range consultations {
		n := sessions / consultations
		if c < sessions%consultations {
			n++
		}
		// Consultations follow one another through the history, each open for three weeks.
		span := g.o.Now.Sub(start) - 21*24*time.Hour
		opened := start.Add(time.Duration(float64(span) * (float64(c) + g.rng.Float64()) / float64(consultations)))
		if err := g.consultation(ctx, w, m, opened, n, perSession, bands); err != nil {
			return err
		}
	}
	return nil
}

// stages walks a municipality along the CFCI cycle from the start of the history, one step
// every few months, so that the municipalities end at every stage.
func (g *generator) stages(ctx context.Context, m voci.Municipality, start time.Time) error {
	steps := 1 + g.rng.IntN(6)
	if m.SIRUTA == 21891 { // Colonești waits at its situation analysis: the dashboard's walk-through moves it on
		steps = 3
	}
	day := voci.Today(start)
	current, err := g.store.FindMunicipalityBySIRUTA(ctx, m.SIRUTA)
	if err != nil {
		return err
	}
	if current.Stage != voci.StageNone {
		return nil // already enrolled (a pilot seeded before): its history is its own
	}
	from := voci.StageNone
	for i, stage := range voci.Stages[:steps] {
		c := &voci.StageChange{ID: g.id(), Municipality: m.SIRUTA, Stage: stage, Date: day, RecordedAt: day,
			Note: "Generated history."}
		if err := g.store.RecordStage(ctx, c, from, nil); err != nil {
			return err
		}
		from = stage
		day = day.AddDate(0, 1+g.rng.IntN(max(1, g.o.Months/(steps+1))), 0)
		if !day.Before(voci.Today(g.o.Now)) || i == steps-1 {
			break
		}
	}
	return nil
}

// bandMix draws the share of each age band among a municipality's children who take part.
func (g *generator) bandMix(m voci.Municipality) []float64 {
	mix := make([]float64, len(voci.AgeBands))
	sum := 0.0
	for i := range mix {
		mix[i] = 0.3 + g.rng.Float64()
		if m.Kind == voci.KindCommune && i == 0 {
			mix[i] += 0.8 // village schools: the youngest come most
		}
		sum += mix[i]
	}
	for i := range mix {
		mix[i] /= sum
	}
	return mix
}

var genderMix = []struct {
	g     voci.Gender
	share float64
}{{voci.GenderGirl, 0.47}, {voci.GenderBoy, 0.43}, {voci.GenderOther, 0.02}, {voci.GenderPreferNotToSay, 0.05}, {"", 0.03}}

// child draws one child's optional age band and gender.
func (g *generator) child(bands []float64) (voci.AgeBand, voci.Gender) {
	var band voci.AgeBand
	if g.rng.Float64() > 0.06 { // a few children give no age band
		x := g.rng.Float64()
		for i, share := range bands {
			if x -= share; x <= 0 || i == len(bands)-1 {
				band = voci.AgeBands[i]
				break
			}
		}
	}
	x := g.rng.Float64()
	for _, gm := range genderMix {
		if x -= gm.share; x <= 0 {
			return band, gm.g
		}
	}
	return band, ""
}

// consultation writes one consultation, opened at opened and closed three weeks later, with
// its live sessions, and for some a self-paced link and paper forms.
func (g *generator) consultation(ctx context.Context, w *answerWriter, m voci.Municipality, opened time.Time, sessions int, perSession float64, bands []float64) error {
	closes := opened.Add(21 * 24 * time.Hour)
	selfPaced := g.rng.IntN(3) == 0
	paper := m.Kind == voci.KindCommune && g.rng.IntN(3) == 0
	modes := []voci.Mode{voci.ModeLive}
	if selfPaced {
		modes = append(modes, voci.ModeSelfPaced)
	}
	if paper {
		modes = append(modes, voci.ModePaper)
	}
	g.clock = opened.Add(-24 * time.Hour)
	c := &voci.Consultation{
		Municipality: m.SIRUTA,
		Title:        fmt.Sprintf("%s: %s", topics[g.rng.IntN(len(topics))], opened.Format("01/2006")),
		Purpose:      "Vrem să aflăm ce cred copiii.",
		EasyRead:     "Spune-ne ce crezi.",
		AgeBands:     slices.Clone(voci.AgeBands),
		AudienceBody: "Consiliul Local",
		AnswerBy:     closes.AddDate(0, 0, voci.DefaultFeedbackDeadlineDays),
		Modes:        modes,
	}
	if selfPaced {
		c.SelfPacedFrom, c.SelfPacedUntil = opened, closes
	}
	if err := g.p.CreateConsultation(ctx, "", c, nil); err != nil {
		return err
	}
	questions, err := g.questions(ctx, c)
	if err != nil {
		return err
	}
	g.clock = opened
	if err := g.p.SetConsultationStatus(ctx, c, voci.StatusOpen, nil); err != nil {
		return err
	}
	g.stats.Consultations++

	for s := range sessions {
		at := opened.Add(time.Duration(float64(closes.Sub(opened)) * (float64(s) + 0.5) / float64(sessions)))
		if err := g.liveSession(ctx, w, c, questions, at, perSession, bands); err != nil {
			return err
		}
	}
	if selfPaced {
		if err := g.selfPaced(ctx, w, c, questions, opened, closes, perSession, bands); err != nil {
			return err
		}
	}
	if paper {
		g.clock = closes.Add(-time.Hour)
		for range 2 + g.rng.IntN(int(perSession)+1) {
			band, gender := g.child(bands)
			form := voci.PaperForm{Key: "paper-" + g.id()[:16], AgeBand: band, Gender: gender}
			for _, q := range questions {
				form.Answers = append(form.Answers, voci.PaperAnswer{QuestionID: q.ID, Input: g.input(q)})
			}
			if _, err := g.p.RecordPaperForm(ctx, c, form, nil); err != nil {
				return err
			}
			g.stats.PaperForms++
		}
	}
	if closes.Before(g.o.Now) {
		g.clock = closes
		return g.p.SetConsultationStatus(ctx, c, voci.StatusClosed, nil)
	}
	return nil
}

var topics = []string{"Parcul nostru", "Curtea școlii", "Drumul spre școală", "Biblioteca", "Terenul de sport", "Transportul", "Centrul de tineret"}

// questions adds a single-choice question, a scale, a multiple choice and a ranking.
func (g *generator) questions(ctx context.Context, c *voci.Consultation) ([]*voci.Question, error) {
	qs := []*voci.Question{
		{Kind: voci.KindSingle, Prompt: "Ce ar trebui făcut mai întâi?", Options: []voci.Option{{Label: "Mai mulți copaci"}, {Label: "Locuri de joacă"}, {Label: "Lumină seara"}, {Label: "Bănci"}}},
		{Kind: voci.KindScale, Prompt: "Cât de mulțumit ești acum?", EmojiFaces: true},
		{Kind: voci.KindMultiple, Prompt: "Ce folosești?", Options: []voci.Option{{Label: "Terenul"}, {Label: "Parcul"}, {Label: "Biblioteca"}}},
		{Kind: voci.KindRanking, Prompt: "Ce e cel mai important?", Options: []voci.Option{{Label: "Siguranța"}, {Label: "Curățenia"}, {Label: "Accesul pentru toți"}}},
	}
	for _, q := range qs {
		if err := g.p.AddQuestion(ctx, c, q, nil); err != nil {
			return nil, err
		}
	}
	return qs, nil
}

// input draws a plausible answer to q: some options are liked more than others.
func (g *generator) input(q *voci.Question) voci.AnswerInput {
	switch q.Kind {
	case voci.KindScale:
		return voci.AnswerInput{Choices: []string{q.Options[min(len(q.Options)-1, g.rng.IntN(len(q.Options))+g.rng.IntN(2))].ID}}
	case voci.KindMultiple:
		var ids []string
		for i, o := range q.Options {
			if g.rng.IntN(2) == 0 || (i == len(q.Options)-1 && len(ids) == 0) {
				ids = append(ids, o.ID)
			}
		}
		return voci.AnswerInput{Choices: ids}
	case voci.KindRanking:
		ids := make([]string, len(q.Options))
		for i, o := range q.Options {
			ids[i] = o.ID
		}
		g.rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		return voci.AnswerInput{Choices: ids}
	default:
		i := g.rng.IntN(len(q.Options))
		if g.rng.IntN(3) == 0 {
			i = 0
		}
		return voci.AnswerInput{Choices: []string{q.Options[i].ID}}
	}
}

// liveSession writes one ended live session: its children, their answers and the group facts
// the facilitator recorded.
func (g *generator) liveSession(ctx context.Context, w *answerWriter, c *voci.Consultation, qs []*voci.Question, at time.Time, perSession float64, bands []float64) error {
	s := &voci.LiveSession{ID: g.id(), ConsultationID: c.ID, Municipality: c.Municipality, JoinCode: fmt.Sprintf("%06d", g.rng.IntN(1_000_000)),
		State: voci.LiveEnded, StartedAt: at, EndedAt: at.Add(40 * time.Minute)}
	if err := g.store.CreateLiveSession(ctx, s, nil); err != nil {
		return err
	}
	g.stats.LiveSessions++
	children := max(1, int(math.Round(perSession*(0.5+g.rng.Float64()))))
	for range children {
		band, gender := g.child(bands)
		p := &voci.Participant{ID: g.id(), SessionID: s.ID, TokenHash: g.id() + g.id()[:12], Alias: "Copil", Lang: voci.LangRO,
			AgeBand: band, Gender: gender, JoinedAt: at, UpdatedAt: at}
		g.stats.Participants++
		w.put(func(ctx context.Context) error { return g.store.CreateParticipant(ctx, p) }, g.answers(c, qs, p, voci.SourceLive, at))
	}
	facts := &voci.GroupFacts{SessionID: s.ID, ConsultationID: c.ID, Municipality: c.Municipality, Present: children + g.rng.IntN(3),
		Counts: map[voci.GroupCategory]int{}, RecordedAt: s.EndedAt}
	for _, cat := range voci.GroupCategories {
		if g.rng.IntN(3) == 0 {
			facts.Counts[cat] = g.rng.IntN(max(1, children/4) + 1)
		}
	}
	for _, a := range voci.Adaptations {
		if g.rng.IntN(5) == 0 {
			facts.Adaptations = append(facts.Adaptations, a)
		}
	}
	return g.store.SetGroupFacts(ctx, facts, nil)
}

// selfPaced writes the children who answered through the consultation's link.
func (g *generator) selfPaced(ctx context.Context, w *answerWriter, c *voci.Consultation, qs []*voci.Question, from, until time.Time, perSession float64, bands []float64) error {
	link := &voci.SelfPacedLink{Key: g.id(), ConsultationID: c.ID, Municipality: c.Municipality, CreatedAt: from}
	if err := g.store.CreateSelfPacedLink(ctx, link); err != nil {
		return err
	}
	for range 1 + g.rng.IntN(int(perSession)+1) {
		at := from.Add(time.Duration(g.rng.Float64() * float64(until.Sub(from))))
		band, gender := g.child(bands)
		p := &voci.Participant{ID: g.id(), ConsultationID: c.ID, TokenHash: g.id() + g.id()[:12], Alias: "Copil", Lang: voci.LangRO,
			AgeBand: band, Gender: gender, JoinedAt: at, UpdatedAt: at}
		g.stats.Participants++
		w.put(func(ctx context.Context) error { return g.store.CreateSelfPacedParticipant(ctx, p) }, g.answers(c, qs, p, voci.SourceSelfPaced, at))
	}
	return nil
}

// answers draws a child's answers: most children answer most questions.
func (g *generator) answers(c *voci.Consultation, qs []*voci.Question, p *voci.Participant, source voci.AnswerSource, at time.Time) []*voci.Answer {
	var out []*voci.Answer
	for i, q := range qs {
		if g.rng.IntN(10) == 0 {
			continue
		}
		in := g.input(q)
		when := at.Add(time.Duration(i+1) * 3 * time.Minute)
		out = append(out, &voci.Answer{ID: g.id(), QuestionID: q.ID, ConsultationID: c.ID, SessionID: p.SessionID, ParticipantID: p.ID,
			Municipality: c.Municipality, Source: source, Choices: in.Choices, AgeBand: p.AgeBand, Gender: p.Gender,
			IdempotencyKey: "gen-" + g.id()[:20], CreatedAt: when, UpdatedAt: when, PromptVersion: q.PromptVersion})
	}
	return out
}

// childWrite is one child's writes: joining, then answering.
type childWrite struct {
	join    func(context.Context) error
	answers []*voci.Answer
}

// answerWriter writes children from several goroutines, so that the store can commit their
// joins and answers in groups, and keeps the first error.
type answerWriter struct {
	queue    chan childWrite
	wg       sync.WaitGroup
	written  atomic.Int64
	firstErr atomic.Pointer[error]
	cancel   context.CancelFunc
}

func newAnswerWriter(ctx context.Context, store voci.AnswerStore, workers int, progress func(int)) *answerWriter {
	ctx, cancel := context.WithCancel(ctx)
	w := &answerWriter{queue: make(chan childWrite, workers*4), cancel: cancel}
	fail := func(err error) {
		w.firstErr.CompareAndSwap(nil, &err)
		cancel()
	}
	for range workers {
		w.wg.Go(func() {
			for c := range w.queue {
				if w.firstErr.Load() != nil {
					continue
				}
				if err := c.join(ctx); err != nil {
					fail(err)
					continue
				}
				for _, a := range c.answers {
					if _, err := store.SaveAnswer(ctx, a); err != nil {
						fail(err)
						break
					}
					if n := w.written.Add(1); progress != nil && n%100_000 == 0 {
						progress(int(n))
					}
				}
			}
		})
	}
	return w
}

func (w *answerWriter) put(join func(context.Context) error, answers []*voci.Answer) {
	w.queue <- childWrite{join: join, answers: answers}
}

func (w *answerWriter) err() error {
	if p := w.firstErr.Load(); p != nil {
		return *p
	}
	return nil
}

// close waits for the queued writes and returns how many answers were written.
func (w *answerWriter) close() (int, error) {
	close(w.queue)
	w.wg.Wait()
	w.cancel()
	return int(w.written.Load()), w.err()
}

// RefuseNonEmpty returns an error when store holds more than its reference data: Generate
// invents children, and they must never mix with real ones.
func RefuseNonEmpty(ctx context.Context, store voci.Store) error {
	enrolled := true
	_, total, err := store.FindMunicipalities(ctx, voci.MunicipalityFilter{Enrolled: &enrolled, Limit: 1})
	if err != nil {
		return err
	}
	if total > len(Pilots) {
		return fmt.Errorf("seeds: the store has %d enrolled municipalities already; generate into an empty data directory", total)
	}
	for _, p := range Pilots {
		_, n, err := store.FindConsultations(ctx, voci.ConsultationFilter{Municipality: p.SIRUTA, Limit: 1})
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("seeds: the store holds consultations already; generate into an empty data directory")
		}
	}
	return nil
}
