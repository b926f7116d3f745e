package voci

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// SuppressFunc decides which cells of a release to hide: inner holds the counts of the finest
// cells, published[i] the inner cells that published cell i adds up, first the published cells
// other tables give away anyway (each municipality's total: see answerTablesGiveAway), which
// must be taken as known when choosing what else to hide, insiders the inner cells of each
// municipality, which its own adults know exactly (see contributorsKnowTheirOwn), k the
// smallest count shown, hiddenBefore the published cells the version before hid, which stay
// hidden whatever their count (protected again only when their count is from 1 to k-1, so that
// a revision of unchanged records hides exactly what the version before did).
// internal/gausssup's Gaussian-elimination secondary suppression is the one the server uses;
// voci itself imports nothing beyond the standard library.
type SuppressFunc func(inner []int, published [][]int32, first []int, insiders [][]int32, k int, hiddenBefore []int) []bool

// Releases computes frozen releases of children's figures: per municipality, county and the
// whole country, children reached by age band, gender and urban or rural locality, and the
// group facts, all protected together by one suppression over everything the release
// publishes. A revision keeps every cell an earlier version published: it hides again what
// was hidden, and if it would change or hide a published cell it is stored blocked, with the
// cells at fault named (never their values), and the earlier version stays the one shown.
//
// One release is computed at a time, so the memory a run holds is bounded by one period's
// cells (a few per municipality), never by the answers, which the store groups.
type Releases struct {
	Store    Store
	Clock    Clock
	K        int
	Suppress SuppressFunc
	Logger   *slog.Logger
	NewID    func() string
	// Interval is how often Run looks for finished periods not released yet (daily).
	Interval time.Duration
	// Ready, when set, says whether the store may be used yet (migrated and seeded).
	Ready func() bool

	mu      sync.Mutex // one computation at a time
	wg      sync.WaitGroup
	failing bool

	// started are the periods this process has started in the background and not finished:
	// a period is computed once at a time, and at most MaxStartedReleases wait, so that a
	// flood of requests does not queue hours of work or make a version per request.
	startedMu sync.Mutex
	started   map[string]bool
}

// MaxStartedReleases bounds the releases started in the background and not yet finished.
const MaxStartedReleases = 4

// NewReleases returns the release job over store.
func NewReleases(store Store, clock Clock, k int, suppress SuppressFunc, logger *slog.Logger) *Releases {
	if clock == nil {
		clock = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Releases{Store: store, Clock: clock, K: k, Suppress: suppress, Logger: logger, NewID: RandomID, Interval: 24 * time.Hour}
}

// How many finished periods of each kind the scheduled run looks back on.
var scheduledLookback = map[PeriodKind]int{PeriodMonth: 12, PeriodQuarter: 4, PeriodYear: 2}

// Start records a new version of p's release as running and computes it in the background;
// Wait waits for the background work. p must be a month, quarter or year (EINVALIDPERIOD for
// a custom range).
func (r *Releases) Start(ctx context.Context, p Period) (*Release, error) {
	if err := r.claim(p.ID); err != nil {
		return nil, err
	}
	rel, err := r.create(ctx, p)
	if err != nil {
		r.unclaim(p.ID)
		return nil, err
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer r.unclaim(p.ID)
		// The request that started it is over; the job is not.
		r.compute(context.WithoutCancel(ctx), rel, p)
	}()
	return rel, nil
}

// claim records that period is being released in the background: ECONFLICT when it is
// already, ERATELIMITED when MaxStartedReleases are.
func (r *Releases) claim(period string) error {
	r.startedMu.Lock()
	defer r.startedMu.Unlock()
	if r.started[period] {
		return Errorf(ECONFLICT, "A release of %s is being computed already; it will show in the list when it is done.", period)
	}
	if len(r.started) >= MaxStartedReleases {
		return Errorf(ERATELIMITED, "%d releases are being computed; wait for one to finish, then try again.", len(r.started))
	}
	if r.started == nil {
		r.started = map[string]bool{}
	}
	r.started[period] = true
	return nil
}

func (r *Releases) unclaim(period string) {
	r.startedMu.Lock()
	defer r.startedMu.Unlock()
	delete(r.started, period)
}

// Wait waits for the releases started in the background.
func (r *Releases) Wait() { r.wg.Wait() }

// Release computes a new version of p's release now and returns it as finished.
func (r *Releases) Release(ctx context.Context, p Period) (*Release, error) {
	rel, err := r.create(ctx, p)
	if err != nil {
		return nil, err
	}
	r.compute(ctx, rel, p)
	return r.Store.FindRelease(ctx, rel.ID)
}

func (r *Releases) create(ctx context.Context, p Period) (*Release, error) {
	if p.Kind == PeriodCustom {
		return nil, periodError("Children's figures are released per month, quarter or year; a custom range applies to activity counts only.")
	}
	rel := &Release{ID: r.NewID(), Period: p.ID, Kind: p.Kind, K: r.K, CreatedAt: r.Clock().UTC()}
	if err := r.Store.CreateRelease(ctx, rel); err != nil {
		return nil, err
	}
	return rel, nil
}

// compute works out the release and finishes it as published, blocked or failed.
func (r *Releases) compute(ctx context.Context, rel *Release, p Period) {
	r.mu.Lock()
	defer r.mu.Unlock()
	status, reason, cells, err := r.build(ctx, rel, p)
	if err != nil {
		r.Logger.Error("a release could not be computed", "release", rel.ID, "period", p.ID, "error", err)
		status, reason, cells = ReleaseFailed, "The release could not be computed; it is tried again at the next run.", nil
	}
	if err := r.Store.FinishRelease(ctx, rel.ID, status, reason, r.Clock().UTC(), cells); err != nil {
		r.Logger.Error("a release could not be stored", "release", rel.ID, "period", p.ID, "error", err)
	}
}

// releaseTable is everything one release publishes, as the linear system suppression reads.
type releaseTable struct {
	inner     []int
	owner     []int // the municipality (SIRUTA) whose records each inner cell counts
	published [][]int32
	cells     []ReleaseCell // one per published row: scope and key (values filled in later)
	index     map[[2]string]int
}

func (t *releaseTable) row(scope, key string) int {
	k := [2]string{scope, key}
	if i, ok := t.index[k]; ok {
		return i
	}
	i := len(t.published)
	t.index[k] = i
	t.published = append(t.published, nil)
	t.cells = append(t.cells, ReleaseCell{Scope: scope, Key: key})
	return i
}

// add makes a new inner cell of count n, from the records of municipality siruta, and adds it
// to each of the published rows.
func (t *releaseTable) add(siruta, n int, rows ...int) {
	j := int32(len(t.inner))
	t.inner = append(t.inner, n)
	t.owner = append(t.owner, siruta)
	for _, i := range rows {
		t.published[i] = append(t.published[i], j)
	}
}

// build reads the period's children and group facts and lays out the table.
func (r *Releases) build(ctx context.Context, rel *Release, p Period) (ReleaseStatus, string, []ReleaseCell, error) {
	places := map[int]Municipality{}
	national := NewNational(r.Store, r.Clock)
	list, err := national.allMunicipalities(ctx, MunicipalityFilter{})
	if err != nil {
		return "", "", nil, err
	}
	for _, m := range list {
		places[m.SIRUTA] = Municipality{SIRUTA: m.SIRUTA, CountyCode: m.CountyCode, Urban: m.Urban}
	}
	t := &releaseTable{index: map[[2]string]int{}}
	// Every scope publishes its total, its bands and its genders, zeros included, so that a
	// missing cell never stands for a number; counties and the country split urban and rural.
	scopeRows := func(scope string, withLocality bool) {
		t.row(scope, IndChildrenReached)
		for _, b := range AgeBands {
			t.row(scope, IndChildrenByAge+string(b))
		}
		for _, g := range Genders {
			t.row(scope, IndChildrenByGender+string(g))
		}
		if withLocality {
			t.row(scope, IndChildrenUrban)
			t.row(scope, IndChildrenRural)
		}
	}
	scopeRows(ScopeNational, true)
	end := p.End()
	err = r.Store.ChildrenReached(ctx, p.Start(), end, func(siruta int, cells []ChildCell) error {
		m, ok := places[siruta]
		if !ok {
			return nil // not a level-2 unit Voci knows: nothing to publish it under
		}
		ms, cs := MunicipalityScope(siruta), CountyScope(m.CountyCode)
		scopeRows(ms, false)
		scopeRows(cs, true)
		locality := IndChildrenRural
		if m.Urban {
			locality = IndChildrenUrban
		}
		for _, c := range cells {
			if c.Children <= 0 {
				continue
			}
			rows := []int{}
			for _, scope := range []string{ms, cs, ScopeNational} {
				rows = append(rows, t.row(scope, IndChildrenReached))
				if c.AgeBand.Valid() {
					rows = append(rows, t.row(scope, IndChildrenByAge+string(c.AgeBand)))
				}
				if c.Gender.Valid() {
					rows = append(rows, t.row(scope, IndChildrenByGender+string(c.Gender)))
				}
				if scope != ms {
					rows = append(rows, t.row(scope, locality))
				}
			}
			t.add(siruta, c.Children, rows...)
		}
		return ctx.Err()
	})
	if err != nil {
		return "", "", nil, err
	}
	facts, err := r.Store.GroupFactTotals(ctx, p.Start(), end)
	if err != nil {
		return "", "", nil, err
	}
	for siruta, f := range facts {
		m, ok := places[siruta]
		if !ok {
			continue
		}
		for _, cat := range GroupCategories {
			n, ok := f.Counts[cat]
			if !ok || n <= 0 {
				continue
			}
			key := IndGroupFacts + string(cat)
			t.add(siruta, n, t.row(MunicipalityScope(siruta), key), t.row(CountyScope(m.CountyCode), key), t.row(ScopeNational, key))
		}
	}

	// The previous published version: what it hid stays hidden, what it showed must not move.
	var before []ReleaseCell
	prev, err := r.Store.LatestPublishedRelease(ctx, p.ID)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		prev = nil
	case err != nil:
		return "", "", nil, err
	default:
		if before, err = r.Store.ReleaseCells(ctx, prev.ID, nil); err != nil {
			return "", "", nil, err
		}
	}
	var forced []int
	for _, c := range before {
		i := t.row(c.Scope, c.Key) // a cell no records add up to any more stays, as 0
		if c.Hidden {
			forced = append(forced, i)
		}
	}
	hidden := r.Suppress(t.inner, t.published, answerTablesGiveAway(t), contributorsKnowTheirOwn(t), r.K, forced)
	cells := make([]ReleaseCell, len(t.cells))
	for i, c := range t.cells {
		c.Hidden = hidden[i]
		if !c.Hidden {
			for _, j := range t.published[i] {
				c.Value += t.inner[j]
			}
		}
		cells[i] = c
	}
	if prev != nil {
		var moved []string
		for _, old := range before {
			if old.Hidden {
				continue
			}
			now := cells[t.row(old.Scope, old.Key)]
			if now.Hidden || now.Value != old.Value {
				moved = append(moved, old.Scope+" "+old.Key)
			}
		}
		if len(moved) > 0 {
			shown := moved[:min(len(moved), 5)]
			more := ""
			if len(moved) > len(shown) {
				more = fmt.Sprintf(" and %d more", len(moved)-len(shown))
			}
			return ReleaseBlocked, fmt.Sprintf("Blocked for review: late records would change %d cell(s) that version %d published (%s%s); version %d stays published.",
				len(moved), prev.Version, strings.Join(shown, ", "), more, prev.Version), nil, nil
		}
	}
	return ReleasePublished, "", cells, nil
}

// answerTablesGiveAway lists the release's cells that tables outside it give away: a
// municipality's public "you said, we did" page shows how many children answered each of its
// consultations (a count of k or more; fewer is hidden there too), and a consultation held
// within one period has every child of the municipality's period total. So each
// municipality's total is taken as known by the suppression: it is published whenever it is k
// or more, and the cells hidden around it stay hidden against it. No other table that leaves
// the server breaks children's answers down by the release's margins for anyone outside the
// municipality: the results' age bands and genders are for the municipality's own adults, the
// open data and the national exports are the release's own cells.
func answerTablesGiveAway(t *releaseTable) []int {
	var first []int
	for i, c := range t.cells {
		if c.Key == IndChildrenReached && strings.HasPrefix(c.Scope, "m:") {
			first = append(first, i)
		}
	}
	return first
}

// contributorsKnowTheirOwn lists, per municipality, the inner cells its records make up: its
// own facilitators, coordinator and council members know them exactly (they ran the sessions,
// typed the paper forms, and see the results by age band and gender in their workspace). Such
// an adult, subtracting their municipality's part from a county's or the country's cell,
// must not learn a count from 1 to k-1 of the other municipalities' children, nor work out a
// cell hidden to protect one: the suppression takes each municipality in turn as the intruder
// (gausssup.Table.Insiders).
func contributorsKnowTheirOwn(t *releaseTable) [][]int32 {
	index := map[int]int{}
	var groups [][]int32
	for j, siruta := range t.owner {
		g, ok := index[siruta]
		if !ok {
			g = len(groups)
			index[siruta] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], int32(j))
	}
	return groups
}

// Due returns the finished periods (the last 12 months, 4 quarters and 2 years) that have no
// published or blocked release yet.
func (r *Releases) Due(ctx context.Context, now time.Time) ([]Period, error) {
	var due []Period
	for _, kind := range ReleaseKinds {
		p := PeriodAt(kind, Today(now)).Previous()
		for range scheduledLookback[kind] {
			if p.From.Year() < earliestPeriodYear {
				break
			}
			list, err := r.Store.ListReleases(ctx, p.ID)
			if err != nil {
				return nil, err
			}
			done := false
			for _, rel := range list {
				if rel.Status == ReleasePublished || rel.Status == ReleaseBlocked || rel.Status == ReleaseRunning {
					done = true
				}
			}
			if !done {
				due = append(due, p)
			}
			p = p.Previous()
		}
	}
	return due, nil
}

// RunOnce releases every period Due at now, oldest kinds first, and returns how many it made.
func (r *Releases) RunOnce(ctx context.Context, now time.Time) (int, error) {
	due, err := r.Due(ctx, now)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, p := range due {
		if _, err := r.Release(ctx, p); err != nil {
			return made, err
		}
		made++
	}
	return made, nil
}

// Run looks for due periods at once and then every Interval until ctx is done. Failures are
// logged (the first of a series, then the recovery) and tried again at the next run.
func (r *Releases) Run(ctx context.Context) error {
	interval := r.Interval
	if interval <= 0 {
		interval = 24 * time.Hour
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for r.Ready != nil && !r.Ready() {
		select { // the store is being migrated and seeded: look again shortly
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	for {
		_, err := r.RunOnce(ctx, r.Clock())
		switch {
		case err != nil && ctx.Err() == nil && !r.failing:
			r.failing = true
			r.Logger.Error("due releases could not be made; trying again at the next run", "error", err)
		case err == nil && r.failing:
			r.failing = false
			r.Logger.Info("due releases are made again")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
