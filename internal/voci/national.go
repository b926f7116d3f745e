package voci

import (
	"context"
	"maps"
	"strconv"
	"strings"
	"sync"
	"time"
)

// National answers the coordinating committee's questions: every municipality's indicators,
// every county's, the country's, and their trends. Activity counts are read live; children's
// figures come from the latest published release of the period only, never computed for a
// page.
type National struct {
	Store Store
	Clock Clock

	// The activity counts of recent periods are kept under the state they were counted in
	// (State; stores that implement ChangeCounter only): the national table reads every
	// municipality's, each municipality's page and the exports their own. While children
	// answer, counts of a period not yet settled are reused for NationalRefreshAfter, so that
	// exports made one after another, and the tables computed again, count once.
	cacheMu       sync.Mutex
	activityCache map[activityKey]*keptActivity

	// releaseCells keeps, per published release, its cells read and parsed: a published
	// release never changes, so after a stage or a profile changes the table is computed again
	// without reading and parsing tens of thousands of cells again. Only whole releases are
	// kept (a request for some scopes reads them from a kept one, or from the store).
	releaseMu    sync.Mutex
	releaseCells map[string]*keptRelease
	releaseUse   uint64
	// rowCells keeps, per period and municipality, the cells of its last row in the table and
	// what they were made from (its activity counts, the release, its declared population).
	// A stage changes none of these: the table computed again after one reuses every row's
	// cells instead of making 3,181 maps again. Guarded by releaseMu.
	rowCells map[string]map[int]*keptRowCells
}

// keptRowCells is one municipality's row cells and what they were made from.
type keptRowCells struct {
	act     *ActivityCounts
	release string
	pop     map[AgeBand]int
	cells   map[string]ReportCell
}

// maxKeptRowPeriods bounds the periods whose rows' cells are kept.
const maxKeptRowPeriods = 4

// keptRelease is one published release's cells by scope and key, and when it was last read.
type keptRelease struct {
	cells map[string]map[string]ReportCell
	used  uint64
}

// maxKeptReleases bounds the releases whose parsed cells are kept: the periods a dashboard
// offers (12 months, 8 quarters, 5 years) and a few more.
const maxKeptReleases = 32

// keptActivity is one computation of activity counts and the state it was made in.
type keptActivity struct {
	state  NationalState
	at     time.Time
	counts map[int]*ActivityCounts
}

// activityKey names one computation of the activity counts: a period, up to its end or, for a
// period not over, up to today, and the filter. A period that is not over is counted up to
// now, and nothing can be recorded later than now without a write; only the day matters
// beyond that (overdue answers, receipts opened are counted by day).
type activityKey struct {
	from, to string
	filter   ActivityFilter
}

// maxCachedPeriods bounds the periods whose counts of every municipality are kept, and
// maxCachedOne the counts of one municipality in one period.
const (
	maxCachedPeriods = 64
	maxCachedOne     = 4096
)

// NewNational returns the committee's view of store.
func NewNational(store Store, clock Clock) *National {
	if clock == nil {
		clock = time.Now
	}
	return &National{Store: store, Clock: clock}
}

// NationalFilter narrows the municipalities table. The zero filter lists every municipality
// that is enrolled or has activity or children in the period.
type NationalFilter struct {
	County int    // 0: every county
	Stage  Stage  // StageNone: any stage
	Query  string // a substring of the name, ignoring case and diacritics
	All    bool   // every municipality, with or without activity
}

// MunicipalityIndicators is one municipality with its indicators.
type MunicipalityIndicators struct {
	Municipality Municipality
	Indicators   map[string]ReportCell
	// ChildPopulation is the declared child population (one municipality's page only).
	ChildPopulation map[AgeBand]int
}

// CountyIndicators is one county with its indicators and its municipalities' stages.
type CountyIndicators struct {
	County                 County
	MunicipalitiesEnrolled int
	Stages                 map[Stage]int
	Indicators             map[string]ReportCell
}

// TrendPoint is one period's value of an indicator.
type TrendPoint struct {
	Period Period
	Cell   ReportCell
}

// UnderReachedRatio is how far below a municipality's overall reach a band's reach must fall
// for its representativeness to carry a warning: a band reached at less than half the rate at
// which the municipality's children are reached overall is under-reached. A relative rule,
// because one consultation never reaches a whole population: what matters is that no age
// group is left behind the others.
const UnderReachedRatio = 0.5

// ResolvePeriod reads the period a request names: a custom range when from or to is given
// (activity counts only), a period ID otherwise, and the current year when neither is.
// EINVALIDPERIOD for what cannot be read.
func (n *National) ResolvePeriod(id, from, to string) (Period, error) {
	now := n.Clock()
	if from != "" || to != "" {
		if id != "" {
			return Period{}, periodError("Give either a period or a range from … to, not both.")
		}
		return ParseCustomPeriod(from, to, now)
	}
	if id == "" {
		return PeriodAt(PeriodYear, Today(now)), nil
	}
	return ParsePeriod(id, now)
}

// activityKey returns the key of the counts f keeps in p, and the instant they are counted up to.
func (n *National) activityKey(p Period, f ActivityFilter) (activityKey, time.Time) {
	end := p.End()
	key := activityKey{from: p.Start().UTC().Format(time.RFC3339Nano), to: end.UTC().Format(time.RFC3339Nano), filter: f}
	if now := n.Clock(); now.Before(end) {
		end = now
		key.to = "today " + now.UTC().Format(time.DateOnly)
	}
	return key, end
}

// PastChangeCounter is a store that counts, apart from its every write (ChangeCounter), the
// writes that can change what is recorded for a period already over: every write to what the
// national tables read, except the rows written while children answer (answers, joins, live
// sessions, the audit trail, receipts) that are dated at their writing. Those land in the
// current period only, so they leave a finished period's tables standing.
type PastChangeCounter interface {
	PastChangeCount(ctx context.Context) (PastChanges, error)
}

// PastChanges are two counts of changes to the past: Places, of the municipalities (their
// stages, profiles, declared populations) and releases; Activity, of what the activity counts
// read. A stage recorded changes the tables, not the activity counts they hold.
type PastChanges struct {
	Places, Activity int64
}

// How long the committee's tables of a period not yet settled may be served as they were
// computed. While children answer, every answer is a write, and computing the table of every
// municipality again at each refresh of a dashboard would take the server's time from the
// children for figures that move by a few sessions a minute. So a table of the current period
// is served, with the time it was computed ("figures as of HH:MM"), for up to
// NationalStaleAtMost after it was computed while only new records of the period have come
// in; from NationalRefreshAfter on, one background job computes it again. Anything else (a
// stage, a profile, a release, a consultation or a decision changed) is shown at once.
const (
	NationalStaleAtMost  = 60 * time.Second
	NationalRefreshAfter = 10 * time.Second
	// PeriodSettles is how long after its end a period's tables are computed only when the
	// past changes: a row dated at its writing may be written a little after the instant it
	// names, and receipts are counted by day.
	PeriodSettles = 48 * time.Hour
)

// NationalState names what an answer about a period is computed from besides the request.
// Key: the count of writes that can change the past, the period's bounds and, for a period not
// over, the day. Live: for a period not yet settled, the store's count of every write (new
// answers, joins and sessions of the period change it, not Key); 0 once the period has
// settled. Two answers to one request under the same Key and Live are the same; under the
// same Key and another Live, the older one lacks only the newest records of the period.
type NationalState struct {
	Key  string
	Live int64
	// Activity is the part of Key the activity counts read: they stand through a change of
	// places (a stage, a release).
	Activity string
}

// Settled reports whether p's tables can now change only through a change to the past.
func (n *National) Settled(p Period) bool {
	return !n.Clock().Before(p.End().Add(PeriodSettles))
}

// State returns the state answers about p are computed from; ok is false when the store
// cannot tell when it changed (it implements no ChangeCounter), and every answer is computed.
// A store without a PastChangeCounter keys every answer on its every write.
func (n *National) State(ctx context.Context, p Period) (st NationalState, ok bool, err error) {
	counter, ok := n.Store.(ChangeCounter)
	if !ok {
		return NationalState{}, false, nil
	}
	k, _ := n.activityKey(p, ActivityFilter{})
	bounds := k.from + " " + k.to
	version, err := counter.ChangeCount(ctx)
	if err != nil {
		return NationalState{}, false, err
	}
	past, ok := n.Store.(PastChangeCounter)
	if !ok {
		key := strconv.FormatInt(version, 10) + " " + bounds
		return NationalState{Key: key, Activity: key}, true, nil
	}
	// The store's count is read before the past's: an answer kept under both was computed
	// after both, so it is at least as new as they say.
	changes, err := past.PastChangeCount(ctx)
	if err != nil {
		return NationalState{}, false, err
	}
	activity := "activity " + strconv.FormatInt(changes.Activity, 10) + " " + bounds
	st = NationalState{Key: "places " + strconv.FormatInt(changes.Places, 10) + " " + activity, Activity: activity}
	if !n.Settled(p) {
		st.Live = version
	}
	return st, true, nil
}

// activity counts the activity f keeps in p, up to now. One municipality's counts are taken
// from the country's when those are kept, and read alone otherwise. Counts kept under the same
// state are reused; under the same Key and another Live (only new records of a period not
// settled), for NationalRefreshAfter. A change of places (a stage recorded, a release
// published) leaves them standing: they do not read it.
func (n *National) activity(ctx context.Context, p Period, f ActivityFilter) (map[int]*ActivityCounts, error) {
	key, end := n.activityKey(p, f)
	st, ok, err := n.State(ctx, p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return n.Store.ActivityCounts(ctx, p.Start(), end, f)
	}
	now := n.Clock()
	usable := func(k *keptActivity) bool {
		return k != nil && k.state.Activity == st.Activity && (k.state.Live == st.Live || now.Sub(k.at) < NationalRefreshAfter)
	}
	country := key
	country.filter = ActivityFilter{}
	n.cacheMu.Lock()
	if n.activityCache == nil {
		n.activityCache = map[activityKey]*keptActivity{}
	}
	var counts map[int]*ActivityCounts
	hit := false
	if k := n.activityCache[key]; usable(k) {
		counts, hit = k.counts, true
	} else if all := n.activityCache[country]; usable(all) {
		counts, hit = map[int]*ActivityCounts{}, true
		if a := all.counts[f.Municipality]; a != nil {
			counts[f.Municipality] = a
		}
	}
	n.cacheMu.Unlock()
	if hit {
		return counts, nil
	}
	counts, err = n.Store.ActivityCounts(ctx, p.Start(), end, f)
	if err != nil {
		return nil, err
	}
	n.cacheMu.Lock()
	// Counts read after the state was taken are at least as new as it: keep them under it.
	if !n.cacheRoom(f) {
		clear(n.activityCache)
	}
	n.activityCache[key] = &keptActivity{state: st, at: now, counts: counts}
	n.cacheMu.Unlock()
	return counts, nil
}

// cacheRoom reports whether counts f keeps may be added to the cache (n.cacheMu held); past
// its bounds the cache is emptied, and counts are read again when asked.
func (n *National) cacheRoom(f ActivityFilter) bool {
	country, one := 0, 0
	for k := range n.activityCache {
		if k.filter == (ActivityFilter{}) {
			country++
		} else {
			one++
		}
	}
	if f == (ActivityFilter{}) {
		return country < maxCachedPeriods
	}
	return one < maxCachedOne
}

// release returns the latest published release of p and its cells by scope, or nil for a
// custom range or a period with none published.
func (n *National) release(ctx context.Context, p Period, scopes []string) (*Release, map[string]map[string]ReportCell, error) {
	if p.Kind == PeriodCustom {
		return nil, nil, nil
	}
	rel, err := n.Store.LatestPublishedRelease(ctx, p.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if kept := n.keptReleaseCells(rel.ID); kept != nil {
		if scopes == nil {
			return rel, kept, nil
		}
		out := make(map[string]map[string]ReportCell, len(scopes))
		for _, sc := range scopes {
			if m, ok := kept[sc]; ok {
				out[sc] = m
			}
		}
		return rel, out, nil
	}
	cells, err := n.Store.ReleaseCells(ctx, rel.ID, scopes)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]map[string]ReportCell{}
	for _, c := range cells {
		m := out[c.Scope]
		if m == nil {
			m = map[string]ReportCell{}
			out[c.Scope] = m
		}
		m[c.Key] = releasedCell(c)
	}
	if scopes == nil && rel.Status == ReleasePublished {
		n.keepReleaseCells(rel.ID, out)
	}
	return rel, out, nil
}

// keptReleaseCells returns the kept cells of a release, or nil. They are shared: callers
// read them and copy what they change.
func (n *National) keptReleaseCells(id string) map[string]map[string]ReportCell {
	n.releaseMu.Lock()
	defer n.releaseMu.Unlock()
	k := n.releaseCells[id]
	if k == nil {
		return nil
	}
	n.releaseUse++
	k.used = n.releaseUse
	return k.cells
}

func (n *National) keepReleaseCells(id string, cells map[string]map[string]ReportCell) {
	n.releaseMu.Lock()
	defer n.releaseMu.Unlock()
	if n.releaseCells == nil {
		n.releaseCells = map[string]*keptRelease{}
	}
	if len(n.releaseCells) >= maxKeptReleases {
		oldest := ""
		for rid, k := range n.releaseCells {
			if oldest == "" || k.used < n.releaseCells[oldest].used {
				oldest = rid
			}
		}
		delete(n.releaseCells, oldest)
	}
	n.releaseUse++
	n.releaseCells[id] = &keptRelease{cells: cells, used: n.releaseUse}
}

func releasedCell(c ReleaseCell) ReportCell {
	if c.Hidden {
		return ReportCell{Hidden: true}
	}
	return NumberCell(float64(c.Value))
}

// NumberCell is a cell that shows v.
func NumberCell(v float64) ReportCell { return ReportCell{Value: &v} }

// ActivityCells turns one municipality's (or a sum's) activity into indicator cells: every
// count, 0 when nothing happened; the median when there is one; the youth council's as not
// yet recorded.
func ActivityCells(a *ActivityCounts) map[string]ReportCell {
	if a == nil {
		a = &ActivityCounts{}
	}
	// The table of every municipality makes this thousands of times per request: one map,
	// sized once, and no map of the counts on the way.
	m := make(map[string]ReportCell, 32)
	for _, c := range [...]struct {
		key string
		v   int
	}{
		{IndSessionsLive, a.SessionsLive}, {IndSessionsSelfPaced, a.SessionsSelfPaced}, {IndPaperForms, a.PaperForms},
		{IndConsultationsOpened, a.ConsultationsOpened}, {IndConsultationsClosed, a.ConsultationsClosed},
		{IndConsultationsAnswered, a.ConsultationsAnswered}, {IndConsultationsAnsweredOnTime, a.ConsultationsAnsweredOnTime},
		{IndConsultationsOverdue, a.ConsultationsOverdue}, {IndReceiptsOpenedAfterFeedback, a.ReceiptsOpenedAfterFeedback},
		{IndRecommendationsSent, a.RecommendationsSent}, {IndRecommendationsAnswered, a.RecommendationsAnswered},
		{IndDecisionsLinked, a.DecisionsLinked}, {IndDecisionsAdopted, a.DecisionsAdopted},
	} {
		m[c.key] = NumberCell(float64(c.v))
	}
	if a.MedianDaysToFeedback != nil {
		m[IndMedianDaysToFeedback] = NumberCell(*a.MedianDaysToFeedback)
	}
	councilCells(m, a)
	for key := range notYetRecorded {
		m[key] = ReportCell{NotYetRecorded: true}
	}
	for _, ad := range Adaptations {
		m[IndAdaptations+string(ad)] = NumberCell(float64(a.Adaptations[ad]))
	}
	return m
}

// addActivity adds b's counts to a (not the median, which does not add up).
func addActivity(a, b *ActivityCounts) {
	a.SessionsLive += b.SessionsLive
	a.SessionsSelfPaced += b.SessionsSelfPaced
	a.PaperForms += b.PaperForms
	a.ConsultationsOpened += b.ConsultationsOpened
	a.ConsultationsClosed += b.ConsultationsClosed
	a.ConsultationsAnswered += b.ConsultationsAnswered
	a.ConsultationsAnsweredOnTime += b.ConsultationsAnsweredOnTime
	a.ConsultationsOverdue += b.ConsultationsOverdue
	a.ReceiptsOpenedAfterFeedback += b.ReceiptsOpenedAfterFeedback
	a.RecommendationsSent += b.RecommendationsSent
	a.RecommendationsAnswered += b.RecommendationsAnswered
	a.DecisionsLinked += b.DecisionsLinked
	a.DecisionsAdopted += b.DecisionsAdopted
	addCouncilActivity(a, b)
	if a.Adaptations == nil {
		a.Adaptations = map[Adaptation]int{}
	}
	for k, v := range b.Adaptations {
		a.Adaptations[k] += v
	}
}

// Representativeness adds, to a municipality's released cells, the ratio of children reached
// in each band to the declared population of that band, and a warning cell ({"value":1} when
// under-reached, 0 otherwise; see UnderReachedRatio). A band whose count is hidden gets a
// hidden ratio and warning, since either would tell the count; a band with no declared
// population gets neither.
func Representativeness(cells map[string]ReportCell, population map[AgeBand]int) {
	if len(population) == 0 || cells == nil {
		return
	}
	reached, declared := 0.0, 0
	for _, b := range AgeBands {
		c, ok := cells[IndChildrenByAge+string(b)]
		if pop := population[b]; ok && pop > 0 && !c.Hidden && c.Value != nil {
			reached += *c.Value
			declared += pop
		}
	}
	for _, b := range AgeBands {
		pop := population[b]
		c, ok := cells[IndChildrenByAge+string(b)]
		if pop <= 0 || !ok {
			continue
		}
		if c.Hidden || c.Value == nil {
			cells[IndRepresentativeness+string(b)] = ReportCell{Hidden: true}
			cells[IndRepresentativenessWarning+string(b)] = ReportCell{Hidden: true}
			continue
		}
		ratio := *c.Value / float64(pop)
		cells[IndRepresentativeness+string(b)] = NumberCell(float64(int(ratio*10000+0.5)) / 10000)
		warn := 0.0
		if declared > 0 && ratio < UnderReachedRatio*reached/float64(declared) {
			warn = 1
		}
		cells[IndRepresentativenessWarning+string(b)] = NumberCell(warn)
	}
}

// allMunicipalities lists the municipalities matching f, in one read.
func (n *National) allMunicipalities(ctx context.Context, f MunicipalityFilter) ([]Municipality, error) {
	return n.Store.ListMunicipalities(ctx, f)
}

// Municipalities returns the municipalities table of period p: every municipality the filter
// keeps, with its activity and (for a released period) its children's figures.
func (n *National) Municipalities(ctx context.Context, p Period, f NationalFilter) ([]MunicipalityIndicators, *Release, error) {
	if f.Stage != StageNone && !f.Stage.Valid() {
		return nil, nil, InvalidParam("stage", "Unknown stage %q. The stages are: %s.", f.Stage, stageList())
	}
	mf := MunicipalityFilter{Query: f.Query}
	if f.County != 0 {
		mf.CountyCode = &f.County
	}
	list, err := n.allMunicipalities(ctx, mf)
	if err != nil {
		return nil, nil, err
	}
	act, err := n.activity(ctx, p, ActivityFilter{})
	if err != nil {
		return nil, nil, err
	}
	rel, cells, err := n.release(ctx, p, nil)
	if err != nil {
		return nil, nil, err
	}
	pops, err := n.Store.ListChildPopulations(ctx)
	if err != nil {
		return nil, nil, err
	}
	relID := ""
	if rel != nil {
		relID = rel.ID
	}
	n.releaseMu.Lock()
	kept := n.rowCells[p.ID]
	if kept == nil {
		if n.rowCells == nil {
			n.rowCells = map[string]map[int]*keptRowCells{}
		}
		if len(n.rowCells) >= maxKeptRowPeriods {
			clear(n.rowCells)
		}
		kept = map[int]*keptRowCells{}
		n.rowCells[p.ID] = kept
	}
	n.releaseMu.Unlock()
	var out []MunicipalityIndicators
	for _, m := range list {
		scope := MunicipalityScope(m.SIRUTA)
		if !f.All && !m.Enrolled && act[m.SIRUTA] == nil && cells[scope] == nil {
			continue
		}
		if f.Stage != StageNone && m.Stage != f.Stage {
			continue
		}
		a, pop := act[m.SIRUTA], pops[m.SIRUTA]
		n.releaseMu.Lock()
		k := kept[m.SIRUTA]
		n.releaseMu.Unlock()
		// The kept cells hold while the counts are the same ones (kept counts are shared,
		// counts read again are new), the release is the same and the population too.
		if k == nil || k.act != a || k.release != relID || !maps.Equal(k.pop, pop) {
			k = &keptRowCells{act: a, release: relID, pop: maps.Clone(pop), cells: municipalityCells(a, releasedOrNone(rel, cells[scope]), pop)}
			n.releaseMu.Lock()
			kept[m.SIRUTA] = k
			n.releaseMu.Unlock()
		}
		out = append(out, MunicipalityIndicators{Municipality: m, Indicators: k.cells})
	}
	return out, rel, nil
}

// releasedOrNone returns a municipality's released cells, or, when a release of the period is
// published but reached none of its children, zeros: a release publishes every municipality.
func releasedOrNone(rel *Release, cells map[string]ReportCell) map[string]ReportCell {
	if rel == nil || cells != nil {
		return cells
	}
	out := map[string]ReportCell{IndChildrenReached: NumberCell(0)}
	for _, b := range AgeBands {
		out[IndChildrenByAge+string(b)] = NumberCell(0)
	}
	for _, g := range Genders {
		out[IndChildrenByGender+string(g)] = NumberCell(0)
	}
	return out
}

func municipalityCells(a *ActivityCounts, released map[string]ReportCell, pop map[AgeBand]int) map[string]ReportCell {
	m := ActivityCells(a)
	for k, v := range released {
		m[k] = v
	}
	Representativeness(m, pop)
	return m
}

// Municipality returns one municipality's indicators in period p; ENOTFOUND for an unknown
// code.
func (n *National) Municipality(ctx context.Context, siruta int, p Period) (*MunicipalityIndicators, *Release, error) {
	m, err := n.Store.FindMunicipalityBySIRUTA(ctx, siruta)
	if err != nil {
		return nil, nil, err
	}
	act, err := n.activity(ctx, p, ActivityFilter{Municipality: siruta})
	if err != nil {
		return nil, nil, err
	}
	rel, cells, err := n.release(ctx, p, []string{MunicipalityScope(siruta)})
	if err != nil {
		return nil, nil, err
	}
	profile, err := n.Store.FindMunicipalityProfile(ctx, siruta)
	if err != nil {
		return nil, nil, err
	}
	return &MunicipalityIndicators{Municipality: *m, Indicators: municipalityCells(act[siruta], releasedOrNone(rel, cells[MunicipalityScope(siruta)]), profile.ChildPopulation),
		ChildPopulation: profile.ChildPopulation}, rel, nil
}

// Counties returns every county's indicators in period p, and the country's.
func (n *National) Counties(ctx context.Context, p Period) ([]CountyIndicators, map[string]ReportCell, *Release, error) {
	counties, err := n.Store.ListCounties(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	list, err := n.allMunicipalities(ctx, MunicipalityFilter{})
	if err != nil {
		return nil, nil, nil, err
	}
	act, err := n.activity(ctx, p, ActivityFilter{})
	if err != nil {
		return nil, nil, nil, err
	}
	scopes := []string{ScopeNational}
	for _, c := range counties {
		scopes = append(scopes, CountyScope(c.Code))
	}
	rel, cells, err := n.release(ctx, p, scopes)
	if err != nil {
		return nil, nil, nil, err
	}
	byCounty := map[int]*CountyIndicators{}
	sums := map[int]*ActivityCounts{}
	total := &ActivityCounts{}
	out := make([]CountyIndicators, len(counties))
	for i, c := range counties {
		out[i] = CountyIndicators{County: c, Stages: map[Stage]int{}}
		byCounty[c.Code] = &out[i]
		sums[c.Code] = &ActivityCounts{}
	}
	for _, m := range list {
		ci := byCounty[m.CountyCode]
		if ci == nil {
			continue
		}
		if m.Enrolled {
			ci.MunicipalitiesEnrolled++
		}
		if m.Stage != StageNone {
			ci.Stages[m.Stage]++
		}
		if a := act[m.SIRUTA]; a != nil {
			addActivity(sums[m.CountyCode], a)
			addActivity(total, a)
		}
	}
	for i := range out {
		out[i].Indicators = ActivityCells(sums[out[i].County.Code])
		for k, v := range cells[CountyScope(out[i].County.Code)] {
			out[i].Indicators[k] = v
		}
	}
	national := ActivityCells(total)
	for k, v := range cells[ScopeNational] {
		national[k] = v
	}
	return out, national, rel, nil
}

// IsChildIndicator reports whether key is a figure derived from children, published only
// through releases.
func IsChildIndicator(key string) bool {
	switch key {
	case IndChildrenReached, IndChildrenUrban, IndChildrenRural:
		return true
	}
	return strings.HasPrefix(key, IndChildrenByAge) || strings.HasPrefix(key, IndChildrenByGender) || strings.HasPrefix(key, IndGroupFacts)
}

// isActivityIndicator reports whether key is one of the activity counts.
func isActivityIndicator(key string) bool {
	for _, k := range ActivityIndicators {
		if k == key {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(key, IndAdaptations); ok {
		for _, a := range Adaptations {
			if string(a) == rest {
				return true
			}
		}
	}
	return false
}

// trendLength is how many periods of each kind a trend shows, the current one last.
var trendLength = map[PeriodKind]int{PeriodMonth: 12, PeriodQuarter: 8, PeriodYear: 5}

// Trend returns an indicator's values over the last periods of a kind (12 months, 8 quarters
// or 5 years, up to the current one) for one municipality (siruta), one county or the whole
// country. Children's figures come from each period's latest published release, and a
// period without one is left out; activity counts are read live. EINVALID for an unknown
// indicator or kind, or for both a county and a municipality.
func (n *National) Trend(ctx context.Context, indicator string, kind PeriodKind, county, siruta int) ([]TrendPoint, error) {
	child := IsChildIndicator(indicator)
	if !child && !isActivityIndicator(indicator) {
		return nil, InvalidParam("indicator", "Unknown indicator %q.", indicator)
	}
	count, ok := trendLength[kind]
	if !ok {
		return nil, InvalidParam("kind", "A trend's kind is month, quarter or year.")
	}
	if county != 0 && siruta != 0 {
		return nil, InvalidParam("county", "Give a county or a municipality, not both.")
	}
	scope := ScopeNational
	var inCounty map[int]bool
	switch {
	case siruta != 0:
		if _, err := n.Store.FindMunicipalityBySIRUTA(ctx, siruta); err != nil {
			return nil, err
		}
		scope = MunicipalityScope(siruta)
	case county != 0:
		scope = CountyScope(county)
		list, err := n.allMunicipalities(ctx, MunicipalityFilter{CountyCode: &county})
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, Errorf(ENOTFOUND, "No county has the code %d.", county)
		}
		inCounty = map[int]bool{}
		for _, m := range list {
			inCounty[m.SIRUTA] = true
		}
	}
	periods := make([]Period, count)
	p := PeriodAt(kind, Today(n.Clock()))
	for i := count - 1; i >= 0; i-- {
		periods[i] = p
		p = p.Previous()
	}
	var out []TrendPoint
	for _, p := range periods {
		if child || IsNotYetRecorded(indicator) {
			if IsNotYetRecorded(indicator) {
				out = append(out, TrendPoint{Period: p, Cell: ReportCell{NotYetRecorded: true}})
				continue
			}
			_, cells, err := n.release(ctx, p, []string{scope})
			if err != nil {
				return nil, err
			}
			if c, ok := cells[scope][indicator]; ok {
				out = append(out, TrendPoint{Period: p, Cell: c})
			} else if cells != nil {
				out = append(out, TrendPoint{Period: p, Cell: NumberCell(0)})
			}
			continue
		}
		act, err := n.activity(ctx, p, ActivityFilter{Municipality: siruta}) // the country's when siruta is 0
		if err != nil {
			return nil, err
		}
		sum := &ActivityCounts{}
		for m, a := range act {
			if (siruta != 0 && m == siruta) || (inCounty != nil && inCounty[m]) || (siruta == 0 && inCounty == nil) {
				addActivity(sum, a)
				if siruta != 0 {
					sum.MedianDaysToFeedback = a.MedianDaysToFeedback
				}
			}
		}
		c, ok := ActivityCells(sum)[indicator]
		if !ok {
			continue // a median where nothing was answered, or a median of a county
		}
		out = append(out, TrendPoint{Period: p, Cell: c})
	}
	return out, nil
}
