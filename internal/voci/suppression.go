package voci

// Small-cell suppression of a results breakdown.
//
// A breakdown is a table: a row per group of children (an age band, a gender, "not given"), a
// column per option. Beside its cells, results publish each group's number of respondents
// (the row totals), each option's overall count (the column totals) and the number of
// respondents (the grand total). Anyone can combine them, so hiding a small count is not
// enough: the other numbers must leave it undetermined.
//
// SuppressSmallCells is the one place results decide what to hide. It is written to be
// replaced: Gaussian-elimination secondary suppression (Langsrud, "Secondary Cell Suppression
// by Gaussian Elimination: An Algorithm Suitable for Handling Issues with Zeros and Singletons",
// Journal of Official Statistics, 2024; the GaussSuppression R package), which handles many
// linked tables at once, is the intended successor for national reporting, where one release
// publishes several tables over the same children.

// CountTable is one breakdown before it is published.
type CountTable struct {
	// Cells holds, per group (row), how many children chose each option (column).
	Cells [][]int
	// RowTotals holds how many children of each group answered.
	RowTotals []int
	// MaxChoices is how many columns one child's answer counts in: 1 when every child counts
	// in exactly one column (single choice, scale, a ranking's first place), so that a row's
	// cells add up to its total; more for multiple choice.
	MaxChoices int
}

// Suppression says which cells and which row totals of a CountTable must not be shown.
// Column totals and the grand total are always shown.
type Suppression struct {
	Cells [][]bool
	Rows  []bool
}

// SuppressSmallCells decides what of t may be shown when no group smaller than k may be seen.
//
// Primary suppression hides every count from 1 to k-1, and a group of 1 to k-1 children whole
// (its total and its cells). A cell whose value is public anyway (its option's overall count is
// 0, or its group's total of 0 is shown) is never hidden: hiding it protects nothing.
//
// Secondary suppression then hides more until, from everything shown (cells, row totals,
// column totals, every count a whole number of at least 0):
//   - no hidden cell and no hidden row total can be worked out exactly;
//   - no group with something hidden is seen to have chosen one option only, that is every
//     other option of the group pinned to 0 (an attribute disclosure), unless the overall
//     counts already say that everybody chose one option.
//
// The test is exact for tables whose rows add up to their totals: such a table is a flow
// network (rows and columns are nodes, hidden cells are arcs, and the hidden row totals hang
// on one extra node whose flow is the grand total minus the shown ones). A hidden value can
// move if and only if it lies on a cycle of the residual network, along which it and its
// partners change by ±1 and every total stays put. Complements are the cheapest such cycle (a
// shortest path: small non-zero cells first, zeros next, row totals last, the smallest group's
// first), so every value hidden as a complement widens the range of the value it protects.
// A zero pinned among a group's hidden cells is itself a value worked out exactly, so the
// first rule does most of the second's work; the second still catches a group whose other
// options are shown as 0. Multiple choice is judged on a narrower model (row sums treated as
// known, no cell above its group's total), so what passes there passes for real.
//
// Each table is judged alone. For single choice the age-band and gender tables of a question
// share only their column totals, which tie them no further; tables of different questions
// are tied by the children who answered both, which this method does not see (see
// costRowBase for what it does about it).
func SuppressSmallCells(t CountTable, k int) Suppression {
	p := newProtection(t)
	s := Suppression{Cells: make([][]bool, p.rows), Rows: make([]bool, p.rows)}
	for i := range p.rows {
		s.Cells[i] = make([]bool, p.cols)
		s.Rows[i] = t.RowTotals[i] > 0 && t.RowTotals[i] < k
		for j := range p.cols {
			n := t.Cells[i][j]
			s.Cells[i][j] = p.colTotals[j] > 0 && (s.Rows[i] || (n > 0 && n < k))
		}
	}
	// Each round fixes one exposure by hiding at least one more value, or hides everything;
	// so it ends. What is still exposed with everything hidden is told by the overall counts
	// alone, which results show anyway.
	for range p.rows*(p.cols+1) + 1 {
		if p.everything || !p.protect(&s, k) {
			return s
		}
	}
	p.hideAll(&s)
	return s
}

// protection holds what a table's suppression needs to know about it.
type protection struct {
	t          CountTable
	rows, cols int
	colTotals  []int
	rowSums    []int // the sum of each row's cells; its total for single choice
	multi      bool
	options    int  // columns with a non-zero total
	everything bool // every value that can be hidden is
}

func newProtection(t CountTable) *protection {
	p := &protection{t: t, rows: len(t.Cells), multi: t.MaxChoices > 1}
	if p.rows > 0 {
		p.cols = len(t.Cells[0])
	}
	p.colTotals = make([]int, p.cols)
	p.rowSums = make([]int, p.rows)
	for i, row := range t.Cells {
		for j, n := range row {
			p.colTotals[j] += n
			p.rowSums[i] += n
		}
	}
	for _, c := range p.colTotals {
		if c > 0 {
			p.options++
		}
	}
	return p
}

func (p *protection) hideRow(s *Suppression, i int) {
	s.Rows[i] = true
	for j := range p.cols {
		if p.colTotals[j] > 0 {
			s.Cells[i][j] = true
		}
	}
}

func (p *protection) hideAll(s *Suppression) {
	for i := range p.rows {
		p.hideRow(s, i)
	}
	p.everything = true
}

// The network: nodes 0..rows-1 are rows, rows..rows+cols-1 columns, and the last node is the
// source of the hidden row totals. An arc runs from a row to a column (a cell) or from the
// source to a row (the row's total). Its flow is the hidden value; flow is kept at every node,
// since every column total is shown, a shown row total is its cells' sum, and the hidden row
// totals add up to the grand total less the shown ones. Its residual edges say which way it
// may move: up (from→to) or, when above a bound, down (to→from).
type arc struct {
	row, col int // col is -1 for a row total
	from, to int
	flow     int
	inc, dec bool // may the value go up, or down, without breaking a bound
	cost     int  // 0 when hidden already; what hiding it costs otherwise
}

type edge struct {
	to, arc int
	cost    int
}

// A row total is hidden only when no cell will do, and then the smallest group's first:
// questions answered by the same children have the same group totals, so they hide the same
// groups, and one question's shown total cannot give away another's hidden one. A group shown
// as 0 is hidden last of all. Cell costs stay below costPerChild.
const (
	costPerChild = 1 << 24
	costRowBase  = 1 << 44
	costZeroRow  = 1 << 52
)

func rowCost(total int) int {
	if total == 0 {
		return costZeroRow
	}
	return costRowBase + costPerChild*min(total, 1<<16)
}

// cellCost prefers small non-zero counts: a zero can only move up, so it protects less.
func cellCost(n, k int) int {
	if n == 0 {
		return k + 1
	}
	return min(n, 1<<16)
}

// arcs lists every arc of the network: hidden ones (cost 0) and, with their cost, the ones that
// could be hidden next.
func (p *protection) arcs(s *Suppression, k int) []arc {
	var out []arc
	totalsNode := p.rows + p.cols
	for i := range p.rows {
		rowShownZero := !s.Rows[i] && p.t.RowTotals[i] == 0
		hiddenSum := 0
		for j := range p.cols {
			n := p.t.Cells[i][j]
			if s.Cells[i][j] {
				hiddenSum += n
			}
			if p.colTotals[j] == 0 {
				continue // a known zero
			}
			a := arc{row: i, col: j, from: i, to: p.rows + j, flow: n, inc: true, dec: n > 0}
			if p.multi && n >= p.t.RowTotals[i] {
				a.inc = false // no more children of the group can choose it than there are
			}
			switch {
			case s.Cells[i][j]:
			case rowShownZero:
				// A shown total of 0 makes its cells known: a cell of it is hidden only
				// with the total (see apply), as dearly as a total.
				a.cost = costZeroRow
			default:
				a.cost = cellCost(n, k)
			}
			out = append(out, a)
		}
		// What of a hidden row total is unknown is the sum of the row's hidden cells.
		a := arc{row: i, col: -1, from: totalsNode, to: i, flow: hiddenSum, inc: true, dec: hiddenSum > 0}
		if !s.Rows[i] {
			a.cost = rowCost(p.t.RowTotals[i])
		}
		if p.multi {
			// A child chose one option at least and MaxChoices at most.
			a.inc = a.inc && p.rowSums[i] < p.t.MaxChoices*p.t.RowTotals[i]
			a.dec = a.dec && p.rowSums[i] > p.t.RowTotals[i]
		}
		out = append(out, a)
	}
	return out
}

// graph builds the residual network's adjacency lists: of the hidden arcs only, or with the
// arcs that could be hidden too.
func (p *protection) graph(arcs []arc, withCandidates bool) [][]edge {
	g := make([][]edge, p.rows+p.cols+1)
	for n, a := range arcs {
		if a.cost != 0 && !withCandidates {
			continue
		}
		if a.inc {
			g[a.from] = append(g[a.from], edge{to: a.to, arc: n, cost: a.cost})
		}
		if a.dec {
			g[a.to] = append(g[a.to], edge{to: a.from, arc: n, cost: a.cost})
		}
	}
	return g
}

// path finds the cheapest path from one node to another that does not use arc skip, and
// returns the arcs it uses (nil and false when there is none).
func path(g [][]edge, from, to, skip int) ([]int, bool) {
	const inf = int(^uint(0) >> 2)
	dist := make([]int, len(g))
	via := make([]int, len(g)) // the edge's arc that reached a node
	prev := make([]int, len(g))
	done := make([]bool, len(g))
	for i := range dist {
		dist[i], via[i], prev[i] = inf, -1, -1
	}
	dist[from] = 0
	for {
		u := -1
		for v := range g {
			if !done[v] && dist[v] < inf && (u < 0 || dist[v] < dist[u]) {
				u = v
			}
		}
		if u < 0 {
			return nil, false
		}
		if u == to {
			break
		}
		done[u] = true
		for _, e := range g[u] {
			if e.arc == skip {
				continue
			}
			if d := dist[u] + e.cost; d < dist[e.to] {
				dist[e.to], via[e.to], prev[e.to] = d, e.arc, u
			}
		}
	}
	var used []int
	for v := to; v != from; v = prev[v] {
		used = append(used, via[v])
	}
	return used, true
}

// movable reports whether arc n can change: up along a cycle through its increase edge, or
// down along one through its decrease edge.
func movable(g [][]edge, a arc, n int) bool {
	if a.inc {
		if _, ok := path(g, a.to, a.from, n); ok {
			return true
		}
	}
	if a.dec {
		if _, ok := path(g, a.from, a.to, n); ok {
			return true
		}
	}
	return false
}

// protect finds the first exposure of s and hides what fixes it. It reports whether anything
// was exposed.
func (p *protection) protect(s *Suppression, k int) bool {
	arcs := p.arcs(s, k)
	hidden := p.graph(arcs, false)
	all := p.graph(arcs, true)
	// cheapest returns the cheapest cycle through arc n, as the arcs to hide.
	cheapest := func(n int) ([]int, bool) {
		a := arcs[n]
		best, found, bestCost := []int(nil), false, 0
		try := func(from, to int) {
			if used, ok := path(all, from, to, n); ok {
				c := 0
				for _, m := range used {
					c += arcs[m].cost
				}
				if !found || c < bestCost {
					best, found, bestCost = used, true, c
				}
			}
		}
		if a.inc {
			try(a.to, a.from)
		}
		if a.dec {
			try(a.from, a.to)
		}
		return best, found
	}
	apply := func(used []int) {
		for _, m := range used {
			a := arcs[m]
			switch {
			case a.cost == 0:
			case a.col < 0:
				s.Rows[a.row] = true
			default:
				s.Cells[a.row][a.col] = true
				if p.t.RowTotals[a.row] == 0 {
					s.Rows[a.row] = true // a shown 0 would tell the cell
				}
			}
		}
	}
	for n, a := range arcs {
		// Hidden cells, and for single choice hidden row totals (the flow on the totals node).
		if a.cost != 0 || (a.col < 0 && p.multi) || movable(hidden, a, n) {
			continue
		}
		if used, ok := cheapest(n); ok {
			apply(used)
		} else {
			p.hideAll(s)
		}
		return true
	}
	if p.multi {
		if i, ok := p.pinnedRowTotal(s); ok {
			p.partnerRow(s, i)
			return true
		}
	}
	// Attribute disclosure: a group with something hidden must have two options that may be
	// non-zero, unless the overall counts already tell that everybody chose the same option.
	if p.options < 2 {
		return false
	}
	for i := range p.rows {
		if p.t.RowTotals[i] == 0 && !s.Rows[i] {
			continue
		}
		anyHidden, possible := s.Rows[i], 0
		for j := range p.cols {
			anyHidden = anyHidden || s.Cells[i][j]
			if p.t.Cells[i][j] > 0 {
				possible++
			}
		}
		if !anyHidden || possible >= 2 {
			continue
		}
		var zeros []int // this group's zero cells that could show it chose more than one option
		for n, a := range arcs {
			if a.row == i && a.col >= 0 && a.flow == 0 && a.inc {
				if a.cost == 0 && movable(hidden, a, n) {
					possible++
				}
				zeros = append(zeros, n)
			}
		}
		if possible >= 2 {
			continue
		}
		var best []int
		found, bestCost := false, 0
		for _, n := range zeros {
			used, ok := path(all, arcs[n].to, arcs[n].from, n)
			if !ok {
				continue
			}
			used = append(used, n)
			c := 0
			for _, m := range used {
				c += arcs[m].cost
			}
			if !found || c < bestCost {
				best, found, bestCost = used, true, c
			}
		}
		if found {
			apply(best)
		} else {
			p.hideAll(s)
		}
		return true
	}
	return false
}

// For multiple choice a group's total is not the sum of its cells. Hidden totals add up to
// the grand total less the shown ones, so each needs a partner it can trade a child with:
// one may lose a child (staying at least its largest cell and enough to hold its choices)
// while the other gains one (staying at most the sum of its cells). Cells are held at their
// true values, so this understates what an attacker cannot know.
func (p *protection) canGive(i int) bool {
	r, m := p.t.RowTotals[i], p.t.MaxChoices
	least := (p.rowSums[i] + m - 1) / m
	for _, n := range p.t.Cells[i] {
		least = max(least, n)
	}
	return r-1 >= least
}

func (p *protection) canTake(i int) bool { return p.t.RowTotals[i]+1 <= p.rowSums[i] }

func (p *protection) pinnedRowTotal(s *Suppression) (int, bool) {
	for i := range p.rows {
		if !s.Rows[i] {
			continue
		}
		free := false
		for b := range p.rows {
			if b != i && s.Rows[b] && ((p.canGive(i) && p.canTake(b)) || (p.canTake(i) && p.canGive(b))) {
				free = true
				break
			}
		}
		if !free {
			return i, true
		}
	}
	return 0, false
}

func (p *protection) partnerRow(s *Suppression, i int) {
	best := -1
	for b := range p.rows {
		if b == i || s.Rows[b] || !((p.canGive(i) && p.canTake(b)) || (p.canTake(i) && p.canGive(b))) {
			continue
		}
		if best < 0 || p.t.RowTotals[b] < p.t.RowTotals[best] {
			best = b
		}
	}
	if best < 0 {
		p.hideAll(s)
		return
	}
	p.hideRow(s, best)
}
