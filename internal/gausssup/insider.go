package gausssup

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

// protectFromInsiders makes hidden safe against every group of t.Insiders in turn: a group
// knows its own finest cells, and must not work out any protected cell whose rest (the cell
// minus the group's part) is not zero and is below k, or any forced cell with a rest.
//
// It checks every group against the published span of e, the eliminator that chose hidden
// (cheap: a few reductions per group). For a group that would learn something, it runs the
// elimination again with that group's finest cells known (linear algebra treats a known value
// as it treats a known zero), offering only what hidden publishes, and hides what that run
// refuses. Hiding more never uncovers a cell, so groups found safe or made safe stay safe.
// The first round makes one run serve several groups that share no protected cell (groups of
// different counties), taking them as known together, which is safe for each of them except
// for a cell that lies wholly inside the others; so the published span is built again and
// every group checked again, and from the second round on every group still leaking gets a
// run of its own, which is exact. It returns how many cells it hid, how many groups needed
// it, and whether exact arithmetic ran out of range.
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
	everLeaking := map[int32]bool{}
	for round := 0; ; round++ {
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
				return more, len(everLeaking), true
			}
			if leak {
				leaks = append(leaks, int32(g))
				everLeaking[int32(g)] = true
			}
		}
		if len(leaks) == 0 {
			return more, len(everLeaking), false
		}
		var batches [][]int32
		if round == 0 {
			batches = batchInsiders(t, groups, protect, leaks)
		} else {
			for _, g := range leaks {
				batches = append(batches, []int32{g})
			}
		}
		for _, batch := range batches {
			known := make([]bool, n)
			inBatch := map[int32]bool{}
			for _, g := range batch {
				inBatch[g] = true
			}
			for r, g := range groups {
				known[r] = inBatch[g]
			}
			guards := make([]func(int) bool, len(batch))
			for j, g := range batch {
				guards[j] = against(g)
			}
			protect2, extra2 := make([]bool, m), make([]bool, m)
			for i := range m {
				for _, guard := range guards {
					if guard(i) {
						protect2[i] = true
						break
					}
				}
				extra2[i] = hidden[i] && !protect2[i]
			}
			hidden2, r := eliminate(t, values, protect2, extra2, elimOptions{known: known, noSingletons: true})
			if r.exhausted {
				return more, len(everLeaking), true
			}
			for i := range m {
				if hidden2[i] && !hidden[i] {
					hidden[i] = true
					more++
				}
			}
		}
		// The published span of what is now published, to check every group again. Offered
		// only what is published, the elimination hides nothing new unless it must.
		extra := make([]bool, m)
		for i := range m {
			extra[i] = hidden[i] && !protect[i]
		}
		again, r := eliminate(t, values, protect, extra, elimOptions{})
		if r.exhausted {
			return more, len(everLeaking), true
		}
		for i := range m {
			if again[i] && !hidden[i] {
				hidden[i] = true
				more++
			}
		}
		e, knownZero = r.e, r.knownZero
	}
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

// batchInsiders puts the leaking groups into batches whose groups share no protected cell
// (typically groups of different counties), so that one elimination serves a whole batch: it
// takes every group of the batch as known at once, which protects each group's cells against
// more than that group knows (hiding more, never less). A cell that lies wholly inside the
// other groups of its batch is not protected by that run; protectFromInsiders checks again.
func batchInsiders(t Table, groups []int32, protect []bool, leaks []int32) [][]int32 {
	leaking := map[int32]bool{}
	for _, g := range leaks {
		leaking[g] = true
	}
	cellsOf := map[int32][]int{}
	for i, cell := range t.Published {
		if !protect[i] {
			continue
		}
		var last int32 = -1
		for _, r := range cell {
			if g := groups[r]; g >= 0 && leaking[g] && g != last {
				if c := cellsOf[g]; len(c) == 0 || c[len(c)-1] != i {
					cellsOf[g] = append(c, i)
				}
				last = g
			}
		}
	}
	var batches [][]int32
	var taken []map[int]bool
	for _, g := range leaks {
		placed := false
		for b := range batches {
			clash := false
			for _, i := range cellsOf[g] {
				if taken[b][i] {
					clash = true
					break
				}
			}
			if clash {
				continue
			}
			batches[b] = append(batches[b], g)
			for _, i := range cellsOf[g] {
				taken[b][i] = true
			}
			placed = true
			break
		}
		if !placed {
			batches = append(batches, []int32{g})
			taken = append(taken, map[int]bool{})
			for _, i := range cellsOf[g] {
				taken[len(taken)-1][i] = true
			}
		}
	}
	return batches
}
