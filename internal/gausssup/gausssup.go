// Package gausssup hides cells of linked count tables so that no hidden count can be worked
// out from the published ones.
//
// # Method
//
// The method is Gaussian-elimination secondary suppression: Øyvind Langsrud, "Secondary Cell
// Suppression by Gaussian Elimination: An Algorithm Suitable for Handling Issues with Zeros
// and Singletons", Journal of Official Statistics 40(4), 2024. Statistics Norway's R package
// GaussSuppression (MIT) is its reference implementation; this is an independent Go
// implementation of the same algorithm.
//
// Everything a release can publish is one linear system: the finest cells (Table.Inner) are
// the unknowns and each publishable cell is a column of the model matrix X, the sum of some of
// them. A hidden cell is disclosed exactly when its column is a linear combination of the
// published columns. Primary suppression hides every count from 1 to k-1 and every forced
// cell; these are the protected columns. The other cells are candidates, taken one at a time
// in the paper's order: zeros first, then larger counts before smaller ones, and among equal
// counts cells made of more finest cells first. Each candidate is reduced by exact Gaussian
// elimination against the candidates already published. If nothing is left, it is already a
// combination of published cells and publishing it tells nothing new. Otherwise it becomes a
// pivot, unless eliminating with it would wipe out a protected column (that column would then
// lie in the span of the published ones): such a candidate is hidden instead (secondary
// suppression). Publishing the cells most worth publishing first means that what gets hidden
// is mostly small counts.
//
// # Zeros
//
// Counts cannot be negative, so a published 0 tells that every finest cell in it is 0: that
// is more than the linear system says. As in the paper, the finest cells of published zeros
// are taken as known and removed from the system before the elimination. Zeros are published
// first and never hidden by the elimination (their columns are empty after the removal, so
// hiding them protects nothing); only the interval step below may hide one, as a last resort.
//
// # Singletons
//
// A child alone in a finest cell knows that cell's count (1). Such a child must not recover
// another hidden cell by subtracting themselves: no protected cell may lie in the span of the
// published cells, the known zeros and that one finest cell, unless the protected cell is that
// finest cell alone (the child's own count). The paper offers several singleton methods; this
// one checks each child alone separately, exactly. The elimination never pivots on a singleton
// row, so a singleton's unit vector stays reduced, and the check is that no protected column
// reduces to a single singleton row. A candidate whose reduced column lies on singleton rows
// only would publish a sum of singletons; it is hidden (a conservative rule).
//
// # Cells known from elsewhere
//
// Some published cells are given away by other tables anyway: a municipality's public "you
// said, we did" page shows how many children answered each of its consultations, which, for a
// consultation held within one period, is that municipality's total for the period. Such a
// cell cannot protect anything by being hidden, since an attacker has it from the other table.
// Table.First lists them: they are offered before every other candidate, so that the cells
// published after them are chosen knowing them, and a protected cell is kept out of the span
// of the published cells and these. A First cell is hidden only when it alone (with the zeros
// and the First cells before it) would disclose a protected cell; Stats.FirstHidden counts
// those, and the caller must then not publish that figure elsewhere.
//
// # Contributors as intruders
//
// Table.Insiders lists groups of finest cells that one intruder knows exactly: in a release, a
// municipality's own adults know every count of their municipality (they ran its sessions and
// typed its paper forms). Such an intruder subtracts its own part from a published county or
// national cell and learns the other contributors' part. This is the intruder of the p% rule
// and of the (n,k)-dominance rule, a respondent who knows its own contribution and subtracts
// it from the cell total (A. Hundepool, J. Domingo-Ferrer, L. Franconi, S. Giessing, E.
// Schulte Nordholt, K. Spicer, P.-P. de Wolf, "Statistical Disclosure Control", Wiley 2012,
// chapter 4 on sensitivity rules for magnitude tables), here with the frequency threshold of
// chapter 5: the group plays the part of a respondent, as a holding does in τ-ARGUS, where
// the contributions of one holding count as one contributor. So:
//   - Primary: a cell is protected when, for some group, the cell minus that group's part is
//     from 1 to k-1 (Stats.InsiderPrimary counts those not protected already).
//   - Secondary: for every group g in turn, no cell protected against g (one whose count minus
//     g's part is from 1 to k-1, or a forced cell with a part outside g) may lie in the span
//     of the published cells, the known zeros and g's own finest cells. A cell wholly g's own
//     is not protected against g: g knows it.
//
// After the elimination, every group is checked against the published span: the protected
// columns are kept reduced against it, and so is each of g's unit vectors once reduced, so a
// protected column lies in the span with g's cells exactly when its reduced form is a
// combination of the (at most one per finest cell of g) reduced unit vectors, a small exact
// elimination. For a group that would learn a protected cell, the elimination is run again
// with g's finest cells known (a known value is to linear algebra what a known zero is: its
// rows leave every column), offering only what is published, and what it refuses is hidden
// too (Stats.InsiderSecondary). Hiding more never uncovers a cell, so groups found or made
// safe stay safe. To keep big releases fast, the cells that touch none of the groups that
// would learn a cell are offered once for all of them (a candidate is refused when it would
// leave a protected column with nothing but rows of one such group it is protected against),
// and each such group goes on alone with the cells that touch one (its county's, the
// country's, its own), each reduced once against the shared part. The intruder is one
// group: two municipalities pooling their records are not guarded against, nor a group
// together with a child alone in another group's cell.
//
// # Intervals
//
// Not lying in the span means no hidden cell has a single possible value; its range can still
// be narrow (hiding 1 and 1 whose sum is published leaves each in 0..2). For small systems (at
// most 24 finest cells under published cells, and at most 100,000 steps of search), Suppress enumerates every non-negative integer table that gives the published
// cells their values, and while some hidden cell's range spans less than k, it hides one more
// cell (the smallest published one touching it) and starts again. Larger systems, national
// releases among them, get the linear guarantee and the zero and singleton rules, without the
// interval check; Stats.IntervalChecked says which.
//
// # Guarantees
//
// For every cell with a count from 1 to k-1, every cell that some group of Table.Insiders
// would learn from 1 to k-1 of by subtracting its own part, and every forced cell (except a
// forced cell whose finest cells are all inside published zeros: its value, 0, is public
// anyway):
//   - it is hidden;
//   - it is not a linear combination of the published cells and the finest cells known to be 0;
//   - for every finest cell with a count of 1, it is not a linear combination of those and that
//     cell, unless it is that cell alone;
//   - for every group of Table.Insiders whose part of it leaves from 1 to k-1 (or, for a
//     forced cell, leaves anything), it is not a linear combination of the published cells,
//     the finest cells known to be 0 and that group's finest cells;
//   - when Stats.IntervalChecked is true, every hidden cell (of at least one finest cell)
//     ranges over at least k+1 values (max − min ≥ k) over all non-negative integer tables
//     consistent with what is published, or is unbounded.
//
// # Arithmetic
//
// Elimination is exact, in fraction-free int64 arithmetic with gcd normalisation and checked
// products. Should an entry ever exceed 2^61 (it does not for tables of sums in practice),
// Suppress does not guess: it hides every non-zero cell and reports Stats.Exhausted.
package gausssup

import (
	"cmp"
	"slices"
)

// Table is everything one release can publish at once, as a linear system over its finest
// cells. Inner holds the counts of the finest cells (for example one municipality, one age
// band, one gender); each published cell is the sum of some of them. A municipality's total,
// a county's age band and the national total are all rows of Published, so a hidden cell
// must stay hidden against every combination of them.
type Table struct {
	// Inner holds the non-negative count of each finest cell.
	Inner []int
	// Published lists, for each cell a release can publish, the indexes into Inner of the
	// finest cells it adds up.
	Published [][]int32
	// First lists published cells that other tables give away (see the package
	// documentation): they are offered first, before larger counts.
	First []int
	// Insiders lists groups of finest cells that one intruder knows exactly (a
	// municipality's own adults know all of its cells): see "Contributors as intruders" in
	// the package documentation. Groups are disjoint; a finest cell listed in a second group
	// is taken as the first group's only.
	Insiders [][]int32

	// phasesAbove, when not zero, replaces smallRelease (tests set -1 to run the phases of
	// protectFromInsiders on small tables).
	phasesAbove int
}

// Value returns published cell i's count.
func (t Table) Value(i int) int {
	n := 0
	for _, j := range t.Published[i] {
		n += t.Inner[j]
	}
	return n
}

// Stats explains one Suppress decision.
type Stats struct {
	// Primary counts the cells hidden because their count is from 1 to k-1.
	Primary int
	// Forced counts the cells hidden because the caller asked (and not primary).
	Forced int
	// Secondary counts the cells hidden to protect others, IntervalSecondary of them by the
	// interval step.
	Secondary, IntervalSecondary int
	// KnownZeroRows counts finest cells known to be 0 from published zeros; Singletons the
	// finest cells with a count of 1.
	KnownZeroRows, Singletons int
	// Unprotectable counts forced cells whose value is told by published zeros anyway.
	Unprotectable int
	// IntervalChecked says whether every hidden cell's integer range was checked to span at
	// least k (small systems only).
	IntervalChecked bool
	// Exhausted says that exact arithmetic ran out of range, so every non-zero cell was hidden.
	Exhausted bool
	// FirstHidden counts the cells of Table.First with a count of k or more that were hidden.
	FirstHidden int
	// InsiderPrimary counts the cells hidden because, for some group of Table.Insiders, the
	// cell minus that group's part is from 1 to k-1 (and not primary already).
	InsiderPrimary int
	// InsiderSecondary counts the cells hidden so that no group of Table.Insiders, knowing
	// its own finest cells, works out a protected cell (part of Secondary); InsidersLeaking
	// counts the groups that would have without them.
	InsiderSecondary, InsidersLeaking int
}

// maxIntervalRows bounds the systems whose integer ranges are enumerated.
const maxIntervalRows = 24

// maxIntervalNodes bounds the enumeration's work; past it the interval check is skipped.
const maxIntervalNodes = 100_000

// Suppress returns, for each published cell of t, whether it must be hidden, given the
// smallest count k that may be shown. Counts from 1 to k-1 are hidden (primary suppression).
// Forced lists published cells that must be hidden whatever their count (for example cells
// hidden in an earlier version of the same release); they are protected like primary cells.
// Indexes in forced outside t.Published are ignored. See the package documentation for the
// secondary suppression and what it guarantees.
func Suppress(t Table, k int, forced []int) []bool {
	hidden, _ := SuppressWithStats(t, k, forced)
	return hidden
}

// SuppressKeeping is Suppress for a revision: kept lists published cells an earlier version
// hid, which stay hidden but need no protection of their own. A cell the earlier version hid
// only to protect another (secondary) may be worked out from the published ones as it could
// then; protecting it as well, as Suppress does with forced cells, would hide more cells than
// the earlier version did, and a revision must keep every cell that version published. Kept
// cells whose count is from 1 to k-1 are primary, and protected, as always.
func SuppressKeeping(t Table, k int, forced, kept []int) []bool {
	hidden, _ := suppress(t, k, forced, kept)
	return hidden
}

// SuppressWithStats is Suppress, with an account of what was hidden and why.
func SuppressWithStats(t Table, k int, forced []int) ([]bool, Stats) {
	return suppress(t, k, forced, nil)
}

func suppress(t Table, k int, forced, kept []int) ([]bool, Stats) {
	m := len(t.Published)
	values := make([]int, m)
	for i := range m {
		values[i] = t.Value(i)
	}
	var st Stats
	protect := make([]bool, m)
	for i, v := range values {
		if v > 0 && v < k {
			protect[i] = true
			st.Primary++
		}
	}
	isForced := make([]bool, m)
	for _, i := range forced {
		if i >= 0 && i < m && !protect[i] {
			protect[i] = true
			isForced[i] = true
			st.Forced++
		}
	}
	groups := insiderGroups(t)
	st.InsiderPrimary = insiderPrimary(t, groups, values, k, protect)
	extra := make([]bool, m)
	for _, i := range kept {
		if i >= 0 && i < m && !protect[i] {
			extra[i] = true
		}
	}
	for {
		hidden, r := eliminate(t, values, protect, extra, elimOptions{})
		if !r.exhausted && groups != nil {
			var more int
			was := slices.Clone(hidden)
			more, st.InsidersLeaking, r.exhausted = protectFromInsiders(t, groups, values, k, protect, isForced, hidden, r.e, r.knownZero)
			st.InsiderSecondary = more
			r.secondary += more
			for _, i := range t.First {
				if i >= 0 && i < m && hidden[i] && !was[i] {
					r.firstHidden++
				}
			}
			if r.exhausted {
				for j := range m {
					hidden[j] = hidden[j] || values[j] > 0
				}
			}
		}
		st.Secondary = r.secondary
		st.KnownZeroRows, st.Singletons, st.Unprotectable = r.knownZeroRows, r.singletons, r.unprotectable
		st.Exhausted = r.exhausted
		st.FirstHidden = r.firstHidden
		st.IntervalChecked = false
		if r.exhausted {
			return hidden, st
		}
		more, checked := widenIntervals(t, values, hidden, k)
		if !checked {
			return hidden, st
		}
		if more < 0 {
			st.IntervalChecked = true
			return hidden, st
		}
		extra[more] = true
		st.IntervalSecondary++
	}
}

type elimResult struct {
	secondary, knownZeroRows, singletons, unprotectable, firstHidden int
	exhausted                                                        bool
	// e holds the published span and the protected columns reduced against it, and
	// knownZero the finest cells known to be 0, for the insiders' check.
	e         *eliminator
	knownZero []bool
}

// elimOptions change eliminate for the insiders' check: known are finest cells the intruder
// knows (their values, which linear algebra treats as it does known zeros), and without
// singletons no finest cell is treated as a child alone (the intruder is the municipality's
// adults, not one child).
type elimOptions struct {
	known        []bool
	noSingletons bool
}

// eliminate runs the Gaussian elimination. Protected cells are hidden and kept out of the
// span of the published ones; extra cells are hidden without needing protection.
func eliminate(t Table, values []int, protect, extra []bool, opt elimOptions) ([]bool, elimResult) {
	n, m := len(t.Inner), len(t.Published)
	var res elimResult
	hidden := make([]bool, m)
	for i := range m {
		hidden[i] = protect[i] || extra[i]
	}

	// Published zeros tell that their finest cells are 0.
	knownZero := make([]bool, n)
	for i, cell := range t.Published {
		if values[i] == 0 && !hidden[i] {
			for _, r := range cell {
				if !knownZero[r] {
					knownZero[r] = true
					res.knownZeroRows++
				}
			}
		}
	}
	res.knownZero = slices.Clone(knownZero)
	if opt.known != nil {
		for r, k := range opt.known {
			knownZero[r] = knownZero[r] || k
		}
	}
	singleton := make([]bool, n)
	for r, c := range t.Inner {
		if c == 1 && !knownZero[r] && !opt.noSingletons {
			singleton[r] = true
			res.singletons++
		}
	}
	column := func(i int) vec {
		v := make(vec, 0, len(t.Published[i]))
		for _, r := range t.Published[i] {
			if !knownZero[r] {
				v = append(v, entry{r, 1})
			}
		}
		return sumRows(v)
	}

	e := newEliminator(n)
	res.e = e
	var candidates []int
	for i := range m {
		switch {
		case protect[i]:
			p := column(i)
			if len(p) == 0 {
				res.unprotectable++
				continue
			}
			own := len(p) == 1 && singleton[p[0].row]
			e.addProtected(p, own, i)
		case extra[i]:
		case values[i] > 0:
			candidates = append(candidates, i)
		}
	}
	// The paper's order: larger counts first, then cells of more finest cells. Zeros are
	// published outright above. Cells other tables give away come before all of them.
	first := make([]bool, m)
	for _, i := range t.First {
		if i >= 0 && i < m {
			first[i] = true
		}
	}
	slices.SortFunc(candidates, candidateOrder(t, values, first))
	for _, i := range candidates {
		for _, r := range t.Published[i] {
			e.candCount[r]++
		}
	}
	e.singleton = singleton
	for _, i := range candidates {
		col := column(i)
		for _, r := range t.Published[i] {
			e.candCount[r]--
		}
		ok, fine := e.offer(col, first[i])
		if !fine {
			res.exhausted = true
			for j := range m {
				hidden[j] = hidden[j] || values[j] > 0
			}
			res.secondary = 0
			for j := range m {
				if hidden[j] && !protect[j] {
					res.secondary++
				}
			}
			return hidden, res
		}
		if !ok {
			hidden[i] = true
		}
	}
	for i := range m {
		if hidden[i] && !protect[i] {
			res.secondary++
			if first[i] {
				res.firstHidden++
			}
		}
	}
	return hidden, res
}

// sumRows sorts v by row, adds up the entries of one row (a finest cell listed twice counts
// twice, as in Value) and normalizes it.
func sumRows(v vec) vec {
	slices.SortFunc(v, func(a, b entry) int { return cmp.Compare(a.row, b.row) })
	out := v[:0]
	for _, e := range v {
		if len(out) > 0 && out[len(out)-1].row == e.row {
			out[len(out)-1].v += e.v
			continue
		}
		out = append(out, e)
	}
	normalize(out)
	return out
}

// candidateOrder is the order candidates are offered in: cells other tables give away first,
// then the paper's order, larger counts first, then cells of more finest cells.
func candidateOrder(t Table, values []int, first []bool) func(a, b int) int {
	return func(a, b int) int {
		if first[a] != first[b] {
			if first[a] {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(values[b], values[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(len(t.Published[b]), len(t.Published[a])); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
}

// eliminator holds the published cells' span in echelon form (left-looking: a candidate is
// reduced when its turn comes) and the protected columns fully reduced against it
// (right-looking: updated at every new pivot).
type eliminator struct {
	basis    []vec
	pivots   []int32
	pivotOf  []int32 // basis index of a row's pivot, or -1
	acc      []int64
	inAcc    []bool
	touched  []int32
	heap     []int32
	prot     []vec
	protCell []int // the published cell of each protected column
	own      []bool
	rowProt  [][]int32 // protected columns that may have an entry in a row (stale allowed)
	stamp    []int32
	stampNow int32
	// candCount counts, per row, the candidates still to come that contain it.
	candCount []int32
	singleton []bool
	// known are, for a singleton row a cell of Table.First was pivoted on, what the child
	// alone in it learns beyond the published span: its own row reduced against the basis,
	// which is the rest of that cell (see offer). inKnown marks the rows they cover.
	known   []knownSingleton
	inKnown []bool
	ownRow  []int32 // the finest row of a protected cell made of one singleton row, or -1
	// disclosed, when set, says whether protected column id, reduced to q, would be given
	// away (instead of q being empty): see protectFromInsiders.
	disclosed func(id int32, q vec) bool
}

type knownSingleton struct {
	row  int32
	rest vec
}

func newEliminator(n int) *eliminator {
	e := &eliminator{
		pivotOf:   make([]int32, n),
		acc:       make([]int64, n),
		inAcc:     make([]bool, n),
		rowProt:   make([][]int32, n),
		candCount: make([]int32, n),
	}
	for i := range e.pivotOf {
		e.pivotOf[i] = -1
	}
	return e
}

func (e *eliminator) addProtected(p vec, own bool, cell int) {
	id := int32(len(e.prot))
	e.prot = append(e.prot, p)
	e.protCell = append(e.protCell, cell)
	e.own = append(e.own, own)
	ownRow := int32(-1)
	if own {
		ownRow = p[0].row
	}
	e.ownRow = append(e.ownRow, ownRow)
	e.stamp = append(e.stamp, 0)
	for _, x := range p {
		e.rowProt[x.row] = append(e.rowProt[x.row], id)
	}
}

// offer decides one candidate: it returns whether the candidate may be published, and false
// as second value when exact arithmetic ran out of range.
func (e *eliminator) offer(col vec, first bool) (publish, fine bool) {
	a, fine := e.reduce(col)
	if !fine {
		return false, false
	}
	if len(a) == 0 {
		return true, true // already a combination of published cells
	}
	p := e.choosePivot(a)
	var learnt *knownSingleton
	if p < 0 {
		if !first {
			return false, true // a sum of singletons only
		}
		// A cell other tables give away, made of children alone in their finest cells
		// (every child of a small commune in a different age band and gender). Hiding it
		// protects nothing, so it is pivoted on one of its singleton rows s. The child in s
		// then knows, beyond the published span, the rest of the cell (a without row s): no
		// protected cell but the child's own may be parallel to it, now or after later
		// pivots. Other pivots never use singleton rows, so that rest stays reduced; two such
		// cells sharing a row are not both pivoted (the second is hidden).
		for _, x := range a {
			if e.inKnown != nil && e.inKnown[x.row] {
				return false, true
			}
			if p < 0 || len(e.rowProt[x.row]) < len(e.rowProt[p]) {
				p = x.row
			}
		}
		rest := make(vec, 0, len(a)-1)
		for _, x := range a {
			if x.row != p {
				rest = append(rest, x)
			}
		}
		if len(rest) > 0 {
			normalize(rest)
			learnt = &knownSingleton{row: p, rest: rest}
		}
	}
	// revealsToKnown says whether protected column id, reduced to q, is told to a child of a
	// pivoted singleton row.
	revealsToKnown := func(id int32, q vec) bool {
		for _, k := range e.known {
			if e.ownRow[id] != k.row && q.equal(k.rest) {
				return true
			}
		}
		if learnt != nil && e.ownRow[id] != learnt.row && q.equal(learnt.rest) {
			return true
		}
		return false
	}
	ap := a.at(p)
	// The protected columns touched by this pivot, and what they would become.
	e.stampNow++
	var ids []int32
	var next []vec
	for _, id := range e.rowProt[p] {
		if e.stamp[id] == e.stampNow {
			continue
		}
		e.stamp[id] = e.stampNow
		pp := e.prot[id].at(p)
		if pp == 0 {
			continue
		}
		if e.disclosed == nil && e.prot[id].equal(a) {
			return false, true // would reveal a protected cell
		}
		q, ok := combine(e.prot[id], ap, a, -pp)
		if !ok {
			return false, false
		}
		if e.disclosed != nil {
			if e.disclosed(id, q) {
				return false, true
			}
		} else if len(q) == 0 {
			return false, true
		}
		if len(q) == 1 && e.singleton[q[0].row] && !e.own[id] {
			return false, true // a child alone in q's row would reveal it
		}
		if revealsToKnown(id, q) {
			return false, true
		}
		ids = append(ids, id)
		next = append(next, q)
	}
	if learnt != nil {
		// The rest is new knowledge for the child in row p: no protected column, changed by
		// this pivot or not, may be parallel to it.
		changed := map[int32]bool{}
		for _, id := range ids {
			changed[id] = true
		}
		for id := range e.prot {
			if !changed[int32(id)] && e.ownRow[id] != learnt.row && e.prot[id].equal(learnt.rest) {
				return false, true
			}
		}
		if e.inKnown == nil {
			e.inKnown = make([]bool, len(e.pivotOf))
		}
		for _, x := range a {
			e.inKnown[x.row] = true
		}
		e.known = append(e.known, *learnt)
	}
	// Publish: commit the reduced protected columns and the new pivot.
	e.rowProt[p] = nil
	for k, id := range ids {
		old := e.prot[id]
		e.prot[id] = next[k]
		i := 0
		for _, x := range next[k] {
			for i < len(old) && old[i].row < x.row {
				i++
			}
			if i < len(old) && old[i].row == x.row {
				continue
			}
			e.rowProt[x.row] = append(e.rowProt[x.row], id)
		}
	}
	e.pivotOf[p] = int32(len(e.basis))
	e.basis = append(e.basis, a)
	e.pivots = append(e.pivots, p)
	return true, true
}

// choosePivot picks the row to eliminate on: never a singleton row, preferably a ±1 entry, and
// the row that touches the fewest protected columns and candidates to come (less fill-in).
func (e *eliminator) choosePivot(a vec) int32 {
	best := int32(-1)
	var bestUnit bool
	var bestProt, bestCand int
	for _, x := range a {
		if e.singleton[x.row] {
			continue
		}
		unit := x.v == 1 || x.v == -1
		np, nc := len(e.rowProt[x.row]), int(e.candCount[x.row])
		better := best < 0 ||
			(unit && !bestUnit) ||
			(unit == bestUnit && (np < bestProt || (np == bestProt && nc < bestCand)))
		if better {
			best, bestUnit, bestProt, bestCand = x.row, unit, np, nc
		}
	}
	return best
}

// reduce returns col minus its projection on the published span along the pivot rows: zero
// in every pivot row, and empty exactly when col is a combination of published cells.
func (e *eliminator) reduce(col vec) (vec, bool) {
	if len(e.basis) == 0 {
		return col, true
	}
	e.touched = e.touched[:0]
	e.heap = e.heap[:0]
	for _, x := range col {
		e.acc[x.row] = x.v
		e.inAcc[x.row] = true
		e.touched = append(e.touched, x.row)
		if b := e.pivotOf[x.row]; b >= 0 {
			e.push(b)
		}
	}
	fine := true
	for len(e.heap) > 0 && fine {
		b := e.pop()
		p := e.pivots[b]
		c := e.acc[p]
		if c == 0 {
			continue
		}
		bv := e.basis[b]
		bp := bv.at(p)
		// acc·s − bv·t zeroes row p.
		g := gcd(c, bp)
		s, t := bp/g, c/g
		if s != 1 {
			for _, r := range e.touched {
				v, ok := mulChecked(e.acc[r], s)
				if !ok {
					fine = false
					break
				}
				e.acc[r] = v
			}
		}
		for _, x := range bv {
			d, ok := mulChecked(x.v, t)
			if !ok {
				fine = false
				break
			}
			v, ok := subChecked(e.acc[x.row], d)
			if !ok {
				fine = false
				break
			}
			e.acc[x.row] = v
			if !e.inAcc[x.row] {
				e.inAcc[x.row] = true
				e.touched = append(e.touched, x.row)
			}
			if nb := e.pivotOf[x.row]; nb > b && v != 0 {
				e.push(nb)
			}
		}
	}
	var out vec
	if fine {
		slices.Sort(e.touched)
		for _, r := range e.touched {
			if v := e.acc[r]; v != 0 {
				out = append(out, entry{r, v})
			}
		}
		normalize(out)
	}
	for _, r := range e.touched {
		e.acc[r] = 0
		e.inAcc[r] = false
	}
	return out, fine
}

func (e *eliminator) push(b int32) {
	h := append(e.heap, b)
	i := len(h) - 1
	for i > 0 {
		up := (i - 1) / 2
		if h[up] <= h[i] {
			break
		}
		h[up], h[i] = h[i], h[up]
		i = up
	}
	e.heap = h
}

func (e *eliminator) pop() int32 {
	h := e.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i := 0
	for {
		l, r, small := 2*i+1, 2*i+2, i
		if l < len(h) && h[l] < h[small] {
			small = l
		}
		if r < len(h) && h[r] < h[small] {
			small = r
		}
		if small == i {
			break
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
	e.heap = h
	return top
}
