package voci

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"
)

// The audit: what an attacker can work out from a published table.
//
// What is published of a table whose rows add up to their totals: the shown cells, the shown
// row totals, every column total (the overall counts) and the grand total. The hidden cells
// are the unknowns x ≥ 0, tied by one equation per shown row (its hidden cells add up to its
// total less its shown cells) and one per column. The hidden row totals need no equation of
// their own: each is its row's sum, and together they make the grand total less the shown
// ones, which the column equations already say.
//
// Each hidden value's feasible range is [min, max] of a linear program over these equations,
// solved below by a small two-phase simplex (dense tableau, Bland's rule, so it cannot cycle).
// The answer is exact for whole numbers too: the equations are a bipartite graph's incidence
// matrix, which is totally unimodular, so the extreme points are whole numbers, and fixing a
// cell to any whole value between its min and max keeps the system totally unimodular and
// feasible. TestAuditRangesMatchEnumeration checks this against a bounded enumeration of
// every table on small cases.

// publishedTable is what results show of a table: -1 marks a hidden value.
type publishedTable struct {
	cells     [][]int
	rowTotals []int
	colTotals []int
}

func publish(cells [][]int, rowTotals []int, s Suppression) publishedTable {
	p := publishedTable{rowTotals: make([]int, len(cells)), colTotals: make([]int, len(cells[0]))}
	for i, row := range cells {
		p.rowTotals[i] = rowTotals[i]
		if s.Rows[i] {
			p.rowTotals[i] = -1
		}
		shown := make([]int, len(row))
		for j, n := range row {
			p.colTotals[j] += n
			shown[j] = n
			if s.Cells[i][j] {
				shown[j] = -1
			}
		}
		p.cells = append(p.cells, shown)
	}
	return p
}

// unknowns numbers the hidden cells.
func (p publishedTable) unknowns() (index [][]int, n int) {
	index = make([][]int, len(p.cells))
	for i, row := range p.cells {
		index[i] = make([]int, len(row))
		for j, v := range row {
			index[i][j] = -1
			if v < 0 {
				index[i][j] = n
				n++
			}
		}
	}
	return index, n
}

// equations are the published facts about the unknowns, A x = b.
func (p publishedTable) equations() (a [][]float64, b []float64, index [][]int, n int) {
	index, n = p.unknowns()
	for i, row := range p.cells {
		if p.rowTotals[i] < 0 {
			continue
		}
		eq, rhs := make([]float64, n), float64(p.rowTotals[i])
		for j, v := range row {
			if v < 0 {
				eq[index[i][j]] = 1
			} else {
				rhs -= float64(v)
			}
		}
		a, b = append(a, eq), append(b, rhs)
	}
	for j := range p.colTotals {
		eq, rhs := make([]float64, n), float64(p.colTotals[j])
		for i := range p.cells {
			if v := p.cells[i][j]; v < 0 {
				eq[index[i][j]] = 1
			} else {
				rhs -= float64(v)
			}
		}
		a, b = append(a, eq), append(b, rhs)
	}
	return a, b, index, n
}

// valueRange is a hidden value's feasible range.
type valueRange struct{ min, max int }

// auditReport is what the audit finds; empty when the table gives nothing away.
type auditReport []string

// audit computes the feasible range of every hidden cell and hidden row total, and reports
// any that is a single value, and any group with something hidden whose options are all
// pinned to 0 but one (the group is seen to have chosen one option) unless the column totals
// already say that everybody chose one option.
func audit(p publishedTable) (auditReport, [][]valueRange) {
	a, b, index, n := p.equations()
	var report auditReport
	ranges := make([][]valueRange, len(p.cells))
	if n == 0 {
		return nil, ranges
	}
	span := func(objective []float64) valueRange {
		hi, ok := maximize(a, b, objective)
		if !ok {
			panic("the true table is not feasible")
		}
		neg := make([]float64, len(objective))
		for i, c := range objective {
			neg[i] = -c
		}
		lo, _ := maximize(a, b, neg)
		return valueRange{min: int(math.Round(-lo)), max: int(math.Round(hi))}
	}
	options := 0
	for _, c := range p.colTotals {
		if c > 0 {
			options++
		}
	}
	for i, row := range p.cells {
		ranges[i] = make([]valueRange, len(row))
		nonZero, anyHidden := 0, p.rowTotals[i] < 0
		for j, v := range row {
			if v >= 0 {
				ranges[i][j] = valueRange{v, v}
				if v > 0 {
					nonZero++
				}
				continue
			}
			anyHidden = true
			obj := make([]float64, n)
			obj[index[i][j]] = 1
			r := span(obj)
			ranges[i][j] = r
			if r.min == r.max {
				report = append(report, fmt.Sprintf("cell %d,%d is %d", i, j, r.min))
			}
			if r.max > 0 {
				nonZero++
			}
		}
		if p.rowTotals[i] < 0 {
			obj, shown := make([]float64, n), 0
			for j, v := range row {
				if v < 0 {
					obj[index[i][j]] = 1
				} else {
					shown += v
				}
			}
			r := span(obj)
			if r.min == r.max {
				report = append(report, fmt.Sprintf("row total %d is %d", i, r.min+shown))
			}
		}
		if anyHidden && p.rowTotals[i] != 0 && nonZero < 2 && options >= 2 {
			report = append(report, fmt.Sprintf("group %d chose one option only", i))
		}
	}
	return report, ranges
}

// maximize solves max c·x subject to A x = b, x ≥ 0, by the two-phase simplex method. It
// reports false when no x fits. Every problem here is bounded (each x is at most a column
// total), so an unbounded one is a bug and panics.
func maximize(a [][]float64, b, c []float64) (float64, bool) {
	const eps = 1e-9
	m, n := len(a), len(c)
	// Tableau: n structural columns, m artificial ones, then the right-hand side.
	t := make([][]float64, m)
	basis := make([]int, m)
	for i := range m {
		t[i] = make([]float64, n+m+1)
		sign := 1.0
		if b[i] < 0 {
			sign = -1
		}
		for j := range n {
			t[i][j] = sign * a[i][j]
		}
		t[i][n+i] = 1
		t[i][n+m] = sign * b[i]
		basis[i] = n + i
	}
	pivot := func(r, col int) {
		pv := t[r][col]
		for j := range t[r] {
			t[r][j] /= pv
		}
		for i := range m {
			if i != r && math.Abs(t[i][col]) > eps {
				f := t[i][col]
				for j := range t[i] {
					t[i][j] -= f * t[r][j]
				}
			}
		}
		basis[r] = col
	}
	// run maximises cost·x over the columns below limit.
	run := func(cost []float64, limit int) float64 {
		for {
			enter := -1
			for j := range limit {
				red := cost[j]
				for i := range m {
					red -= cost[basis[i]] * t[i][j]
				}
				if red > eps {
					enter = j // Bland: the first improving column
					break
				}
			}
			if enter < 0 {
				v := 0.0
				for i := range m {
					v += cost[basis[i]] * t[i][n+m]
				}
				return v
			}
			leave := -1
			for i := range m {
				if t[i][enter] > eps {
					ratio := t[i][n+m] / t[i][enter]
					if leave < 0 {
						leave = i
						continue
					}
					best := t[leave][n+m] / t[leave][enter]
					if ratio < best-eps || (math.Abs(ratio-best) <= eps && basis[i] < basis[leave]) {
						leave = i
					}
				}
			}
			if leave < 0 {
				panic("unbounded")
			}
			pivot(leave, enter)
		}
	}
	phase1 := make([]float64, n+m)
	for i := range m {
		phase1[n+i] = -1
	}
	if run(phase1, n+m) < -1e-7 {
		return 0, false
	}
	// Drive the artificial columns out of the basis; a row where none can leave is redundant.
	for i := range m {
		if basis[i] < n {
			continue
		}
		for j := range n {
			if math.Abs(t[i][j]) > eps {
				pivot(i, j)
				break
			}
		}
	}
	cost := make([]float64, n+m)
	copy(cost, c)
	return run(cost, n), true
}

// randomTable draws a table with many small counts, zero rows and zero columns: the cases
// where suppression goes wrong.
func randomTable(rng *rand.Rand) (cells [][]int, totals []int) {
	rows, cols := 2+rng.Intn(4), 2+rng.Intn(4)
	zeroCol := -1
	if rng.Intn(6) == 0 {
		zeroCol = rng.Intn(cols)
	}
	for range rows {
		row, sum := make([]int, cols), 0
		zeroRow := rng.Intn(6) == 0
		for j := range row {
			switch x := rng.Intn(10); {
			case zeroRow || j == zeroCol || x < 3:
			case x < 7:
				row[j] = 1 + rng.Intn(4)
			default:
				row[j] = 5 + rng.Intn(25)
			}
			sum += row[j]
		}
		cells, totals = append(cells, row), append(totals, sum)
	}
	return cells, totals
}

func TestSuppressionAuditRandomTables(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	tables := 3000
	if testing.Short() {
		tables = 300
	}
	hiddenSome := 0
	for n := range tables {
		cells, totals := randomTable(rng)
		k := []int{3, 5, 5, 5, 10}[rng.Intn(5)]
		s := SuppressSmallCells(CountTable{Cells: cells, RowTotals: totals, MaxChoices: 1}, k)
		checkPrimary(t, cells, totals, s, k)
		p := publish(cells, totals, s)
		report, _ := audit(p)
		if len(report) > 0 {
			t.Fatalf("table %d (k=%d) gives away %s:\n%s", n, k, strings.Join(report, "; "), showTable(p, cells))
		}
		for i := range s.Rows {
			if s.Rows[i] {
				hiddenSome++
				break
			}
		}
	}
	if hiddenSome < tables/4 {
		t.Fatalf("only %d of %d tables hid a group: the draw does not test much", hiddenSome, tables)
	}
}

// checkPrimary fails unless every count from 1 to k-1 is hidden, every group of 1 to k-1 is
// hidden whole (but for options nobody chose), and nothing already public is hidden: a cell of an option nobody chose, or of
// a group whose total of 0 is shown.
func checkPrimary(t *testing.T, cells [][]int, totals []int, s Suppression, k int) {
	t.Helper()
	colTotals := make([]int, len(cells[0]))
	for _, row := range cells {
		for j, n := range row {
			colTotals[j] += n
		}
	}
	for i, row := range cells {
		if totals[i] > 0 && totals[i] < k && !s.Rows[i] {
			t.Fatalf("a group of %d is shown: %v", totals[i], cells)
		}
		for j, n := range row {
			switch {
			case n > 0 && n < k && !s.Cells[i][j]:
				t.Fatalf("a cell of %d is shown: %v", n, cells)
			case s.Cells[i][j] && colTotals[j] == 0:
				t.Fatalf("cell %d,%d of an option nobody chose is hidden: %v", i, j, cells)
			case s.Cells[i][j] && !s.Rows[i] && totals[i] == 0:
				t.Fatalf("cell %d,%d of a group shown as 0 is hidden: %v", i, j, cells)
			case totals[i] > 0 && totals[i] < k && colTotals[j] > 0 && !s.Cells[i][j]:
				t.Fatalf("group %d is hidden but its cell %d is shown: %v", i, j, cells)
			}
		}
	}
}

func showTable(p publishedTable, truth [][]int) string {
	var b strings.Builder
	for i, row := range p.cells {
		for j, v := range row {
			if v < 0 {
				fmt.Fprintf(&b, " [%2d]", truth[i][j])
			} else {
				fmt.Fprintf(&b, "  %2d ", v)
			}
		}
		if p.rowTotals[i] < 0 {
			fmt.Fprintf(&b, " | [total]\n")
		} else {
			fmt.Fprintf(&b, " | %d\n", p.rowTotals[i])
		}
	}
	fmt.Fprintf(&b, "columns %v", p.colTotals)
	return b.String()
}

// The audit through what the results page calls: random answers to a single-choice question,
// tallied, and each breakdown read back the way the API publishes it.
func TestSuppressionAuditThroughTallyCounts(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	bands := append([]AgeBand{""}, AgeBands...)
	genders := append([]Gender{""}, Genders...)
	runs := 1000
	if testing.Short() {
		runs = 100
	}
	for n := range runs {
		q := &Question{ID: "q", Kind: []QuestionKind{KindSingle, KindScale, KindRanking}[rng.Intn(3)]}
		for j := range 2 + rng.Intn(3) {
			q.Options = append(q.Options, Option{ID: fmt.Sprintf("o%d", j), Label: fmt.Sprintf("O%d", j)})
		}
		var counts []AnswerCount
		for range 1 + rng.Intn(12) {
			choices := []string{q.Options[rng.Intn(len(q.Options))].ID}
			if q.Kind == KindRanking {
				for _, j := range rng.Perm(len(q.Options)) {
					if q.Options[j].ID != choices[0] {
						choices = append(choices, q.Options[j].ID)
					}
				}
			}
			counts = append(counts, AnswerCount{Choices: choices, AgeBand: bands[rng.Intn(len(bands))],
				Gender: genders[rng.Intn(len(genders))], Source: SourceLive, N: 1 + rng.Intn(6)})
		}
		r := TallyCounts(q, counts, nil, 5)
		for _, b := range []*Breakdown{r.ByAgeBand, r.ByGender} {
			p := publishedTable{colTotals: make([]int, len(q.Options))}
			truth := [][]int{}
			for j, o := range r.Options {
				p.colTotals[j] = o.Count
			}
			shownRows := 0
			for _, g := range b.Groups {
				row, trow := []int{}, []int{}
				for _, c := range g.Options {
					trow = append(trow, c.N)
					if c.Suppressed {
						row = append(row, -1)
					} else {
						row = append(row, c.N)
					}
				}
				total := g.Respondents.N
				if g.Respondents.Suppressed {
					total = -1
				} else {
					shownRows += total
				}
				p.cells, p.rowTotals, truth = append(p.cells, row), append(p.rowTotals, total), append(truth, trow)
			}
			if report, _ := audit(p); len(report) > 0 {
				t.Fatalf("run %d, %s by %s gives away %s:\n%s", n, q.Kind, b.Dimension, strings.Join(report, "; "), showTable(p, truth))
			}
		}
	}
}

// The audit's own tool, checked: on small tables its ranges are those of a bounded enumeration
// of every table of whole numbers ≥ 0 that fits what is published.
func TestAuditRangesMatchEnumeration(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for n := range 300 {
		rows, cols := 2+rng.Intn(2), 2+rng.Intn(2)
		cells, totals := make([][]int, rows), make([]int, rows)
		for i := range cells {
			cells[i] = make([]int, cols)
			for j := range cells[i] {
				cells[i][j] = rng.Intn(5)
				totals[i] += cells[i][j]
			}
		}
		s := Suppression{Cells: make([][]bool, rows), Rows: make([]bool, rows)}
		for i := range cells {
			s.Rows[i] = rng.Intn(3) == 0
			s.Cells[i] = make([]bool, cols)
			for j := range cells[i] {
				s.Cells[i][j] = s.Rows[i] || rng.Intn(2) == 0
			}
		}
		p := publish(cells, totals, s)
		_, ranges := audit(p)
		want := enumerateRanges(p)
		for i := range cells {
			for j := range cells[i] {
				if p.cells[i][j] < 0 && ranges[i][j] != want[i][j] {
					t.Fatalf("table %d cell %d,%d: simplex %v, enumeration %v\n%s", n, i, j, ranges[i][j], want[i][j], showTable(p, cells))
				}
			}
		}
	}
}

// enumerateRanges walks every table of whole numbers ≥ 0 that fits what is published, column
// by column: a hidden cell takes every value its column has left (the column's last hidden cell
// takes exactly what is left), and a row may not pass its shown total.
func enumerateRanges(p publishedTable) [][]valueRange {
	rows, cols := len(p.cells), len(p.colTotals)
	x := make([][]int, rows)
	out := make([][]valueRange, rows)
	rowSum := make([]int, rows)
	for i := range x {
		x[i] = make([]int, cols)
		out[i] = make([]valueRange, cols)
		for j := range out[i] {
			out[i][j] = valueRange{min: math.MaxInt, max: -1}
		}
	}
	var walk func(at, left int)
	walk = func(at, left int) {
		i, j := at%rows, at/rows
		if at == rows*cols || i == 0 {
			if at > 0 && left != 0 {
				return // the previous column does not add up
			}
			if at == rows*cols {
				for r := range rows {
					if p.rowTotals[r] >= 0 && rowSum[r] != p.rowTotals[r] {
						return
					}
				}
				for r := range rows {
					for c := range cols {
						o := &out[r][c]
						o.min, o.max = min(o.min, x[r][c]), max(o.max, x[r][c])
					}
				}
				return
			}
			left = p.colTotals[j]
			for r := range rows {
				if p.cells[r][j] >= 0 {
					left -= p.cells[r][j]
				}
			}
		}
		values := []int{p.cells[i][j]}
		if p.cells[i][j] < 0 {
			values = values[:0]
			last := true
			for r := i + 1; r < rows; r++ {
				last = last && p.cells[r][j] >= 0
			}
			for v := 0; v <= left; v++ {
				if !last || v == left {
					values = append(values, v)
				}
			}
		}
		for _, v := range values {
			if p.rowTotals[i] >= 0 && rowSum[i]+v > p.rowTotals[i] {
				break
			}
			x[i][j] = v
			rowSum[i] += v
			next := left
			if p.cells[i][j] < 0 {
				next -= v
			}
			walk(at+1, next)
			rowSum[i] -= v
		}
	}
	walk(0, 0)
	return out
}

// The case from the field: a hidden 2 whose partner sat in a group of nobody, so that
// subtraction found it. Complements are never cells whose value is public.
func TestSuppressionNeverLeansOnPublicZeros(t *testing.T) {
	cells := [][]int{{2, 9, 6}, {0, 0, 0}, {7, 8, 0}, {6, 5, 0}}
	totals := []int{17, 0, 15, 11}
	s := SuppressSmallCells(CountTable{Cells: cells, RowTotals: totals, MaxChoices: 1}, 5)
	checkPrimary(t, cells, totals, s, 5)
	p := publish(cells, totals, s)
	if report, _ := audit(p); len(report) > 0 {
		t.Fatalf("%s\n%s", strings.Join(report, "; "), showTable(p, cells))
	}
}

// Three children of one group all chose the same option: hiding their counts is not enough if
// the other options of the group are pinned to 0.
func TestSuppressionHidesASmallGroupsOnlyChoice(t *testing.T) {
	cells := [][]int{{3, 0, 0}, {10, 6, 7}, {8, 9, 12}}
	totals := []int{3, 23, 29}
	s := SuppressSmallCells(CountTable{Cells: cells, RowTotals: totals, MaxChoices: 1}, 5)
	checkPrimary(t, cells, totals, s, 5)
	p := publish(cells, totals, s)
	report, ranges := audit(p)
	if len(report) > 0 {
		t.Fatalf("%s\n%s", strings.Join(report, "; "), showTable(p, cells))
	}
	if ranges[0][1].max == 0 && ranges[0][2].max == 0 {
		t.Fatalf("the small group is seen to have chosen the first option only:\n%s", showTable(p, cells))
	}
}

// Everybody in one group: the group's total is the grand total unless another group, even an
// empty one, is hidden with it.
func TestSuppressionWhenEverybodyIsInOneGroup(t *testing.T) {
	cells := [][]int{{0, 0}, {0, 0}, {2, 1}}
	totals := []int{0, 0, 3}
	s := SuppressSmallCells(CountTable{Cells: cells, RowTotals: totals, MaxChoices: 1}, 5)
	p := publish(cells, totals, s)
	if report, _ := audit(p); len(report) > 0 {
		t.Fatalf("%s\n%s", strings.Join(report, "; "), showTable(p, cells))
	}
}

func TestSuppressSmallCells(t *testing.T) {
	cases := []struct {
		name    string
		cells   [][]int
		totals  []int
		wantSup [][]bool
		wantRow []bool
	}{
		{
			name:    "nothing small",
			cells:   [][]int{{10, 5}, {6, 7}},
			totals:  []int{15, 13},
			wantSup: [][]bool{{false, false}, {false, false}},
			wantRow: []bool{false, false},
		},
		{
			// 2 is hidden; its row total and its column total would give it away, so it
			// needs a partner in its row, one in its column, and the fourth corner.
			name:    "secondary in row and column",
			cells:   [][]int{{2, 5}, {9, 8}},
			totals:  []int{7, 17},
			wantSup: [][]bool{{true, true}, {true, true}},
			wantRow: []bool{false, false},
		},
		{
			// A group of 3 is hidden whole; a single hidden total would be the grand total less
			// the others, so a second group goes too: the smaller one.
			name:    "small group hidden with a partner",
			cells:   [][]int{{2, 1}, {20, 30}, {6, 6}},
			totals:  []int{3, 50, 12},
			wantSup: [][]bool{{true, true}, {false, false}, {true, true}},
			wantRow: []bool{true, false, true},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := SuppressSmallCells(CountTable{Cells: c.cells, RowTotals: c.totals, MaxChoices: 1}, 5)
			for i := range s.Rows {
				if s.Rows[i] != c.wantRow[i] {
					t.Errorf("row %d suppressed=%v, want %v", i, s.Rows[i], c.wantRow[i])
				}
				for j := range s.Cells[i] {
					if s.Cells[i][j] != c.wantSup[i][j] {
						t.Errorf("cell %d,%d suppressed=%v, want %v", i, j, s.Cells[i][j], c.wantSup[i][j])
					}
				}
			}
		})
	}
}

// Multiple choice, audited by enumeration. A child chooses between 1 and m options, so a
// group's cells need not add up to its total: what ties them is that no cell exceeds its
// group's total, and the cells add up to between the total and m times it. The audit walks
// every table of whole numbers that fits what is published under these rules, on tables
// small enough to walk, and asks the same questions as above.
func TestSuppressionAuditMultipleChoice(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for n := range 400 {
		rows, cols, m := 2+rng.Intn(2), 2+rng.Intn(2), 2
		cells, totals := make([][]int, rows), make([]int, rows)
		for i := range cells {
			cells[i] = make([]int, cols)
			if rng.Intn(5) == 0 {
				continue
			}
			totals[i] = rng.Intn(6)
			for range totals[i] {
				for _, j := range rng.Perm(cols)[:1+rng.Intn(m)] {
					cells[i][j]++
				}
			}
		}
		k := 3
		s := SuppressSmallCells(CountTable{Cells: cells, RowTotals: totals, MaxChoices: m}, k)
		checkPrimary(t, cells, totals, s, k)
		p := publish(cells, totals, s)
		if report := auditMultiple(p, totals, m); len(report) > 0 {
			t.Fatalf("table %d gives away %s:\n%s", n, strings.Join(report, "; "), showTable(p, cells))
		}
	}
}

func auditMultiple(p publishedTable, truth []int, m int) auditReport {
	rows, cols := len(p.cells), len(p.colTotals)
	grand := 0
	for _, r := range truth {
		grand += r
	}
	r := append([]int(nil), p.rowTotals...)
	x := make([][]int, rows)
	cellMin, cellMax := make([][]int, rows), make([][]int, rows)
	rowMin, rowMax := make([]int, rows), make([]int, rows)
	for i := range rows {
		x[i] = make([]int, cols)
		cellMin[i], cellMax[i] = make([]int, cols), make([]int, cols)
		for j := range cols {
			cellMin[i][j], cellMax[i][j] = math.MaxInt, -1
		}
		rowMin[i], rowMax[i] = math.MaxInt, -1
	}
	record := func() {
		for i := range rows {
			rowMin[i], rowMax[i] = min(rowMin[i], r[i]), max(rowMax[i], r[i])
			for j := range cols {
				cellMin[i][j], cellMax[i][j] = min(cellMin[i][j], x[i][j]), max(cellMax[i][j], x[i][j])
			}
		}
	}
	// Cells row by row; the last row takes what its columns have left.
	colLeft := append([]int(nil), p.colTotals...)
	var cellsFrom func(at int)
	cellsFrom = func(at int) {
		if at == rows*cols {
			for j := range cols {
				if colLeft[j] != 0 {
					return
				}
			}
			record()
			return
		}
		i, j := at/cols, at%cols
		var values []int
		switch {
		case p.cells[i][j] >= 0:
			values = []int{p.cells[i][j]}
		case i == rows-1:
			values = []int{colLeft[j]}
		default:
			for v := 0; v <= min(colLeft[j], r[i]); v++ {
				values = append(values, v)
			}
		}
		for _, v := range values {
			if v > r[i] || v > colLeft[j] {
				continue
			}
			x[i][j] = v
			colLeft[j] -= v
			ok := true
			if j == cols-1 {
				sum := 0
				for _, c := range x[i] {
					sum += c
				}
				ok = sum >= r[i] && sum <= m*r[i]
			}
			if ok {
				cellsFrom(at + 1)
			}
			colLeft[j] += v
		}
	}
	// Hidden row totals first: together they are the grand total less the shown ones.
	var totalsFrom func(i, left int)
	totalsFrom = func(i, left int) {
		if i == rows {
			if left == 0 {
				cellsFrom(0)
			}
			return
		}
		if p.rowTotals[i] >= 0 {
			totalsFrom(i+1, left)
			return
		}
		for v := 0; v <= left; v++ {
			r[i] = v
			totalsFrom(i+1, left-v)
		}
	}
	left := grand
	for _, t := range p.rowTotals {
		if t >= 0 {
			left -= t
		}
	}
	totalsFrom(0, left)

	options := 0
	for _, c := range p.colTotals {
		if c > 0 {
			options++
		}
	}
	var report auditReport
	for i := range rows {
		anyHidden, nonZero := p.rowTotals[i] < 0, 0
		if anyHidden && rowMin[i] == rowMax[i] {
			report = append(report, fmt.Sprintf("row total %d is %d", i, rowMin[i]))
		}
		for j := range cols {
			if p.cells[i][j] < 0 {
				anyHidden = true
				if cellMin[i][j] == cellMax[i][j] {
					report = append(report, fmt.Sprintf("cell %d,%d is %d", i, j, cellMin[i][j]))
				}
			}
			if cellMax[i][j] > 0 {
				nonZero++
			}
		}
		if anyHidden && p.rowTotals[i] != 0 && nonZero < 2 && options >= 2 {
			report = append(report, fmt.Sprintf("group %d chose one option only", i))
		}
	}
	return report
}

// Two questions answered by the same children have the same group totals. If one hid a small
// group with one partner and the other with another, the partner shown in one would give the
// small group away in the other. The partner is the smallest other group, whatever the cells.
func TestSuppressionHidesTheSameGroupsForTheSameTotals(t *testing.T) {
	totals := []int{3, 12, 20, 10}
	want := []bool{true, false, false, true}
	for _, cells := range [][][]int{
		{{2, 1}, {6, 6}, {10, 10}, {5, 5}},
		{{0, 3}, {7, 5}, {12, 8}, {9, 1}},
		{{3, 0}, {12, 0}, {0, 20}, {6, 4}},
		{{2, 1}, {11, 1}, {5, 15}, {10, 0}}, // the group of 12 would be the cheaper partner
	} {
		s := SuppressSmallCells(CountTable{Cells: cells, RowTotals: totals, MaxChoices: 1}, 5)
		for i := range want {
			if s.Rows[i] != want[i] {
				t.Errorf("%v: hidden groups %v, want %v", cells, s.Rows, want)
				break
			}
		}
		if report, _ := audit(publish(cells, totals, s)); len(report) > 0 {
			t.Errorf("%v gives away %v", cells, report)
		}
	}
}
