package gausssup

import (
	"cmp"
	"slices"
)

// widenIntervals checks, for a small system, every hidden cell's range over all non-negative
// integer tables that give the published cells their values. It returns a published cell to
// hide next (the smallest one touching a hidden cell whose range spans less than k), or -1
// when every range spans at least k; checked is false when the system is too large to
// enumerate.
func widenIntervals(t Table, values []int, hidden []bool, k int) (more int, checked bool) {
	n := len(t.Inner)
	covered := make([]int32, n) // 1 + position among the enumerated rows, 0 when free
	var rows []int32
	ub := make([]int, n)
	for i, cell := range t.Published {
		if hidden[i] {
			continue
		}
		for _, r := range cell {
			if covered[r] == 0 {
				if len(rows) == maxIntervalRows {
					return -1, false
				}
				rows = append(rows, r)
				covered[r] = int32(len(rows))
				ub[r] = values[i]
			}
			ub[r] = min(ub[r], values[i])
		}
	}
	// Rows with the fewest possible values first: the search branches least.
	slices.SortStableFunc(rows, func(a, b int32) int { return cmp.Compare(ub[a], ub[b]) })
	for i, r := range rows {
		covered[r] = int32(i + 1)
	}
	// Constraints: each published cell's rows (with multiplicity) and value.
	type use struct{ con, mult int }
	uses := make([][]use, len(rows))
	var target, partial, remaining []int
	for i, cell := range t.Published {
		if hidden[i] {
			continue
		}
		c := len(target)
		target = append(target, values[i])
		partial = append(partial, 0)
		rem := 0
		for _, r := range cell {
			uses[covered[r]-1] = append(uses[covered[r]-1], use{c, 1})
			rem += ub[r]
		}
		remaining = append(remaining, rem)
	}
	// Hidden cells whose rows are all constrained have bounded ranges; the others can grow
	// without limit.
	type watch struct {
		cell   int
		rows   []int // positions among the enumerated rows
		lo, hi int
	}
	var watched []watch
	for i, cell := range t.Published {
		if !hidden[i] || len(cell) == 0 {
			continue
		}
		w := watch{cell: i, lo: -1, hi: -1}
		bounded := true
		for _, r := range cell {
			if covered[r] == 0 {
				bounded = false
				break
			}
			w.rows = append(w.rows, int(covered[r]-1))
		}
		if bounded {
			watched = append(watched, w)
		}
	}
	if len(watched) == 0 {
		return -1, true
	}
	y := make([]int, len(rows))
	nodes, wide := 0, 0
	var walk func(pos int) bool
	walk = func(pos int) bool {
		nodes++
		if nodes > maxIntervalNodes {
			return false
		}
		if pos == len(rows) {
			for wi := range watched {
				w := &watched[wi]
				if w.hi-w.lo >= k && w.lo >= 0 {
					continue
				}
				s := 0
				for _, q := range w.rows {
					s += y[q]
				}
				if w.lo < 0 || s < w.lo {
					w.lo = s
				}
				if s > w.hi {
					w.hi = s
				}
				if w.hi-w.lo >= k {
					wide++
				}
			}
			// Once every hidden cell is known to span k, the rest tells nothing new.
			return wide < len(watched)
		}
		r := rows[pos]
		// The values this row can take given every constraint it is in: at most what is
		// left of each, at least what the other unassigned rows cannot make up.
		lo, hi := 0, ub[r]
		for _, u := range uses[pos] {
			left := target[u.con] - partial[u.con]
			rest := remaining[u.con] - u.mult*ub[r]
			hi = min(hi, floorDiv(left, u.mult))
			lo = max(lo, -floorDiv(rest-left, u.mult))
		}
		for _, u := range uses[pos] {
			remaining[u.con] -= u.mult * ub[r]
		}
		fine := true
		for v := lo; v <= hi && fine; v++ {
			for _, u := range uses[pos] {
				partial[u.con] += u.mult * v
			}
			y[pos] = v
			fine = walk(pos + 1)
			for _, u := range uses[pos] {
				partial[u.con] -= u.mult * v
			}
		}
		for _, u := range uses[pos] {
			remaining[u.con] += u.mult * ub[r]
		}
		return fine
	}
	if !walk(0) && wide < len(watched) {
		return -1, false
	}
	for _, w := range watched {
		if w.hi-w.lo >= k {
			continue
		}
		// Hide the smallest published cell that shares a finest cell with w: a non-zero count
		// first, a zero only when nothing else is left.
		inW := make(map[int32]bool, len(t.Published[w.cell]))
		for _, r := range t.Published[w.cell] {
			inW[r] = true
		}
		// A cell other tables give away (Table.First) protects nothing when hidden: last.
		isFirst := func(i int) bool { return slices.Contains(t.First, i) }
		best := -1
		for i, cell := range t.Published {
			if hidden[i] {
				continue
			}
			touches := false
			for _, r := range cell {
				if inW[r] {
					touches = true
					break
				}
			}
			if !touches {
				continue
			}
			if best < 0 || (isFirst(best) && !isFirst(i)) ||
				(isFirst(best) == isFirst(i) && cheaper(values[i], len(cell), values[best], len(t.Published[best]))) {
				best = i
			}
		}
		if best >= 0 {
			return best, true
		}
	}
	return -1, true
}

// cheaper orders cells to hide for the interval step: non-zero before zero, then smaller
// counts, then fewer finest cells.
func cheaper(va, na, vb, nb int) bool {
	if (va == 0) != (vb == 0) {
		return vb == 0
	}
	if c := cmp.Compare(va, vb); c != 0 {
		return c < 0
	}
	return na < nb
}

// floorDiv is ⌊a/b⌋ for b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
