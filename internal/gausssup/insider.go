package gausssup

import "slices"

// Contributors as intruders: see "Contributors as intruders" in the package documentation.

// insiderGroups maps each finest cell to its group in t.Insiders (-1 for none), or returns nil
// when there are no groups.
func insiderGroups(t Table) []int32 {
	if len(t.Insiders) == 0 {
		return nil
	}
	groups := make([]int32, len(t.Inner))
	for r := range groups {
		groups[r] = -1
	}
	for g, rows := range t.Insiders {
		for _, r := range rows {
			if r >= 0 && int(r) < len(groups) && groups[r] < 0 {
				groups[r] = int32(g)
			}
		}
	}
	return groups
}

// insiderPrimary marks as protected every cell that some group, subtracting its own part,
// would learn a count from 1 to k-1 of (the others' part), and returns how many it marked.
func insiderPrimary(t Table, groups []int32, values []int, k int, protect []bool) int {
	if groups == nil {
		return 0
	}
	marked := 0
	own := map[int32]int{}
	for i, cell := range t.Published {
		if protect[i] {
			continue
		}
		clear(own)
		for _, r := range cell {
			if g := groups[r]; g >= 0 {
				own[g] += t.Inner[r]
			}
		}
		for _, part := range own {
			if rest := values[i] - part; rest > 0 && rest < k {
				protect[i] = true
				marked++
				break
			}
		}
	}
	return marked
}

// rest returns cell i's count minus group g's part of it.
func rest(t Table, groups []int32, values []int, i int, g int32) int {
	n := values[i]
	for _, r := range t.Published[i] {
		if groups[r] == g {
			n -= t.Inner[r]
		}
	}
	return n
}

// smallRelease is the number of published cells up to which protectFromInsiders runs each
// leaking group over every cell (no phase 0), unless Table.phasesAbove says otherwise.
const smallRelease = 1000

// protectFromInsiders makes hidden safe against every group of t.Insiders in turn: a group
// knows its own finest cells, and must not work out any protected cell whose rest (the cell
// minus the group's part) is not zero and is below k, or any forced cell with a rest.
//
// It checks every group against the published span of e, the eliminator that chose hidden
// (cheap: a few reductions per group). For the groups that would learn something (the
// leaking groups), the elimination is run again over what hidden publishes, in the same
// order, with the group's finest cells known: a known value is to linear algebra what a known
// zero is, its rows leave every column. What that run refuses is hidden too. Most cells touch
// no leaking group, and their run is the same for every group but for which protected cells
// it may give away, so it is made once for all of them (phase 0): a candidate is refused when
// a protected column would be left with nothing but the rows of one leaking group it is
// protected against. From there each leaking group goes on alone with the cells that touch a
// leaking group (phase 1), which are few (its county's, the country's, its own). Hiding more
// never uncovers a cell, so groups found or made safe stay safe. It returns how many cells it
// hid, how many groups leaked, and whether exact arithmetic ran out of range.
func protectFromInsiders(t Table, groups []int32, values []int, k int, protect, forced, hidden []bool, e *eliminator, knownZero []bool) (more, leaking int, exhausted bool) {
	n, m := len(t.Inner), len(t.Published)
	against := func(g int32) func(i int) bool {
		return func(i int) bool {
			if !protect[i] {
				return false
			}
			r := rest(t, groups, values, i, g)
			if r <= 0 {
				// The cell is all the group's own (or the group's part is all of it).
				if !forced[i] {
					return false
				}
				for _, q := range t.Published[i] {
					if groups[q] != g && !knownZero[q] {
						return true
					}
				}
				return false
			}
			return r < k || forced[i]
		}
	}
	var leaks []int32
	for g, rows := range t.Insiders {
		var mine []int32
		for _, r := range rows {
			if r >= 0 && int(r) < n && groups[r] == int32(g) && !knownZero[r] {
				mine = append(mine, r)
			}
		}
		leak, fine := e.insiderLeaks(mine, against(int32(g)))
		if !fine {
			return 0, len(leaks), true
		}
		if leak {
			leaks = append(leaks, int32(g))
		}
	}
	if len(leaks) == 0 {
		return 0, 0, false
	}
	guards := map[int32]func(int) bool{}
	for _, g := range leaks {
		guards[g] = against(g)
	}
	inL := make([]bool, n)
	for r, g := range groups {
		_, inL[r] = guards[g]
	}
	// column is cell i's column without the known zeros and the rows of group strip.
	column := func(i int, strip int32) vec {
		v := make(vec, 0, len(t.Published[i]))
		for _, r := range t.Published[i] {
			if !knownZero[r] && (strip < 0 || groups[r] != strip) {
				v = append(v, entry{r, 1})
			}
		}
		return sumRows(v)
	}
	first := make([]bool, m)
	for _, i := range t.First {
		if i >= 0 && i < m {
			first[i] = true
		}
	}

	// Phase 0: the protected cells some leaking group must not learn, and the published cells
	// that touch no leaking group.
	e0 := newEliminator(n)
	e0.singleton = make([]bool, n)
	var guardHere []bool
	for i := range m {
		if !protect[i] {
			continue
		}
		guarded := false
		for _, g := range leaks {
			if guards[g](i) {
				guarded = true
				break
			}
		}
		col := column(i, -1)
		if !guarded || len(col) == 0 {
			continue
		}
		// Phase 0 never touches the rows of leaking groups: a column is given away to a
		// group when all that is left of it are rows of that group, and it is protected
		// against that group (or when nothing is left).
		only, several := int32(-1), false
		for _, x := range col {
			if inL[x.row] {
				if g := groups[x.row]; only < 0 {
					only = g
				} else if g != only {
					several = true
				}
			}
		}
		guardHere = append(guardHere, !several && (only < 0 || guards[only](i)))
		e0.addProtected(col, false, i)
	}
	e0.disclosed = func(id int32, q vec) bool {
		if !guardHere[id] {
			return false
		}
		for _, x := range q {
			if !inL[x.row] {
				return false
			}
		}
		return true
	}
	var phase0, phase1 []int
	for i := range m {
		if hidden[i] || values[i] <= 0 {
			continue
		}
		touches := false
		for _, r := range t.Published[i] {
			if inL[r] && !knownZero[r] {
				touches = true
				break
			}
		}
		if touches {
			phase1 = append(phase1, i)
		} else {
			phase0 = append(phase0, i)
		}
	}
	limit := smallRelease
	if t.phasesAbove != 0 {
		limit = t.phasesAbove
	}
	if len(phase0)+len(phase1) <= limit {
		// A small release (a county or two): one run per group over every cell, in the order
		// of one run, is fast enough, and hides the fewest. In phases, a county's cells come
		// after its municipalities' (which touch no leaking group) and may be hidden where one
		// run would hide a small municipality's cell (on the generator's releases, 2 cells
		// more of 10,464).
		phase1 = append(phase1, phase0...)
		phase0 = nil
	}
	order := candidateOrder(t, values, first)
	slices.SortFunc(phase0, order)
	slices.SortFunc(phase1, order)
	for _, i := range phase0 {
		for _, r := range t.Published[i] {
			e0.candCount[r]++
		}
	}
	for _, i := range phase0 {
		for _, r := range t.Published[i] {
			e0.candCount[r]--
		}
		ok, fine := e0.offer(column(i, -1), first[i])
		if !fine {
			return more, len(leaks), true
		}
		if !ok {
			hidden[i] = true
			more++
		}
	}

	// Phase 1: each leaking group alone, its rows known, from where phase 0 left off. Phase 0's
	// pivots are never rows of leaking groups, so a column reduced against phase 0 with every
	// row, its group's rows then struck out, is the group's column reduced: that reduction,
	// the costly part (the country's cells hold every finest cell), is made once.
	reduced0 := make(map[int]vec, len(phase1))
	for _, i := range phase1 {
		r, fine := e0.reduce(column(i, -1))
		if !fine {
			return more, len(leaks), true
		}
		reduced0[i] = r
	}
	for _, g := range leaks {
		e1 := &eliminator{
			basis:     e0.basis[:len(e0.basis):len(e0.basis)],
			pivots:    e0.pivots[:len(e0.pivots):len(e0.pivots)],
			pivotOf:   slices.Clone(e0.pivotOf),
			acc:       make([]int64, n),
			inAcc:     make([]bool, n),
			rowProt:   make([][]int32, n),
			candCount: make([]int32, n),
			singleton: e0.singleton,
		}
		for id, q := range e0.prot {
			i := e0.protCell[id]
			if !guards[g](i) {
				continue
			}
			var left vec
			for _, x := range q {
				if groups[x.row] != g {
					left = append(left, x)
				}
			}
			normalize(left)
			if len(left) > 0 { // phase 0 refused whatever would have emptied it
				e1.addProtected(left, false, i)
			}
		}
		for _, i := range phase1 {
			if !hidden[i] {
				for _, r := range t.Published[i] {
					e1.candCount[r]++
				}
			}
		}
		for _, i := range phase1 {
			if hidden[i] {
				continue // hidden for another group: hiding more never uncovers a cell
			}
			for _, r := range t.Published[i] {
				e1.candCount[r]--
			}
			var col vec
			for _, x := range reduced0[i] {
				if groups[x.row] != g {
					col = append(col, x)
				}
			}
			normalize(col)
			if len(col) == 0 {
				continue // the group's own, or already published: nothing new
			}
			ok, fine := e1.offer(col, first[i])
			if !fine {
				return more, len(leaks), true
			}
			if !ok {
				hidden[i] = true
				more++
			}
		}
	}
	return more, len(leaks), false
}

// insiderLeaks says whether someone who knows the finest cells rows (and everything
// published) works out a protected column for which against is true. Every protected column
// is kept reduced against the published span (zero in every pivot row), and so is what reduce
// returns for a row's unit vector: a column is a combination of the published cells and
// those unit vectors exactly when its reduced form is a combination of theirs. The reduced
// unit vectors are few (one per finest cell of the group), so that is a small elimination.
func (e *eliminator) insiderLeaks(rows []int32, against func(cell int) bool) (leak, fine bool) {
	var basis []vec // echelon form; each vector's pivot is its first row
	for _, r := range rows {
		u, ok := e.reduce(vec{{r, 1}})
		if !ok {
			return false, false
		}
		if u, ok = reduceSmall(basis, u); !ok {
			return false, false
		}
		if len(u) > 0 {
			basis = append(basis, u)
		}
	}
	if len(basis) == 0 {
		return false, true
	}
	support := map[int32]bool{}
	for _, b := range basis {
		for _, x := range b {
			support[x.row] = true
		}
	}
	seen := map[int32]bool{}
	for r := range support {
		for _, id := range e.rowProt[r] {
			if seen[id] {
				continue
			}
			seen[id] = true
			q := e.prot[id]
			inside := true
			for _, x := range q {
				if !support[x.row] {
					inside = false
					break
				}
			}
			if !inside || !against(e.protCell[id]) {
				continue
			}
			left, ok := reduceSmall(basis, q)
			if !ok {
				return false, false
			}
			if len(left) == 0 {
				return true, true
			}
		}
	}
	return false, true
}

// reduceSmall reduces v against an echelon basis whose vectors pivot on their first row.
func reduceSmall(basis []vec, v vec) (vec, bool) {
	for _, b := range basis {
		p := b[0]
		c := v.at(p.row)
		if c == 0 {
			continue
		}
		var ok bool
		if v, ok = combine(v, p.v, b, -c); !ok {
			return nil, false
		}
	}
	return v, true
}
