package gausssup

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomTable draws a small linked table: a few random groupings of the finest cells (each
// finest cell gets a label per grouping), and published cells for several combinations of
// groupings at once, so that margins, cross tables and overlapping filters all share the same
// finest cells. Counts are mostly small, with zeros and ones.
func randomTable(rng *rand.Rand, maxInner, maxCount int) Table {
	n := 2 + rng.IntN(maxInner-1)
	var t Table
	for range n {
		switch rng.IntN(5) {
		case 0:
			t.Inner = append(t.Inner, 0)
		case 1:
			t.Inner = append(t.Inner, 1)
		default:
			t.Inner = append(t.Inner, rng.IntN(maxCount+1))
		}
	}
	groupings := 1 + rng.IntN(3)
	labels := make([][]int, groupings)
	for g := range labels {
		levels := 2 + rng.IntN(3)
		labels[g] = make([]int, n)
		for r := range n {
			labels[g][r] = rng.IntN(levels)
		}
	}
	seen := map[string]bool{}
	for mask := range 1 << groupings {
		if mask != 0 && rng.IntN(3) == 0 {
			continue
		}
		groups := map[string][]int32{}
		var keys []string
		for r := range n {
			var key strings.Builder
			for g := range groupings {
				if mask&(1<<g) != 0 {
					key.WriteByte(byte('a' + labels[g][r]))
				}
			}
			if _, ok := groups[key.String()]; !ok {
				keys = append(keys, key.String())
			}
			groups[key.String()] = append(groups[key.String()], int32(r))
		}
		for _, k := range keys {
			cell := groups[k]
			var sig strings.Builder
			for _, r := range cell {
				sig.WriteByte(byte('A' + r))
			}
			if seen[sig.String()] {
				continue
			}
			seen[sig.String()] = true
			t.Published = append(t.Published, cell)
		}
	}
	// Sometimes every finest cell is published too.
	if rng.IntN(3) == 0 {
		for r := range n {
			t.Published = append(t.Published, []int32{int32(r)})
		}
	}
	return t
}

func randomForced(rng *rand.Rand, t Table) []int {
	if rng.IntN(5) != 0 {
		return nil
	}
	return []int{rng.IntN(len(t.Published))}
}

func primaryOnly(t Table, k int, forced []int) []bool {
	hidden := make([]bool, len(t.Published))
	for i := range t.Published {
		if v := t.Value(i); v > 0 && v < k {
			hidden[i] = true
		}
	}
	for _, i := range forced {
		hidden[i] = true
	}
	return hidden
}

// TestNoHiddenCellIsACombinationOfPublishedOnes is the property test: over thousands of random
// linked tables, exact rational rank arithmetic finds no protected cell in the span of what is
// published (zeros and singletons included).
func TestNoHiddenCellIsACombinationOfPublishedOnes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const tables = 3000
	var protected, secondary, intervals int
	for n := range tables {
		tab := randomTable(rng, 12, 9)
		k := 2 + rng.IntN(4)
		forced := randomForced(rng, tab)
		hidden, st := SuppressWithStats(tab, k, forced)
		if st.Exhausted {
			t.Fatalf("table %d: exact arithmetic ran out of range", n)
		}
		if bad := disclosures(tab, k, forced, hidden, true); len(bad) > 0 {
			t.Fatalf("table %d (k=%d, forced %v): %v\ninner %v\npublished %v\nhidden %v", n, k, forced, bad, tab.Inner, tab.Published, hidden)
		}
		protected += st.Primary + st.Forced
		secondary += st.Secondary
		if st.IntervalChecked {
			intervals++
		}
	}
	t.Logf("%d tables: %d protected cells, %d hidden to protect them; ranges checked in %d tables", tables, protected, secondary, intervals)
	if secondary == 0 {
		t.Fatal("no secondary suppression at all: the tables test nothing")
	}
}

// TestCheckerCatchesPrimaryOnly is the negative control: hiding the primary cells alone must
// fail the same check, on the same tables.
func TestCheckerCatchesPrimaryOnly(t *testing.T) {
	// A 2×2 table with its margins: the hidden 2 is its row total minus a published cell.
	tab := Table{
		Inner:     []int{2, 7, 6, 9},
		Published: [][]int32{{0}, {1}, {2}, {3}, {0, 1}, {2, 3}, {0, 2}, {1, 3}, {0, 1, 2, 3}},
	}
	if bad := disclosures(tab, 5, nil, primaryOnly(tab, 5, nil), false); len(bad) == 0 {
		t.Fatal("the checker misses a hidden 2 beside its published row total")
	}
	if bad := disclosures(tab, 5, nil, Suppress(tab, 5, nil), false); len(bad) > 0 {
		t.Fatalf("Suppress: %v", bad)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	const tables = 3000
	caught := 0
	for range tables {
		tab := randomTable(rng, 12, 9)
		k := 2 + rng.IntN(4)
		forced := randomForced(rng, tab)
		if len(disclosures(tab, k, forced, primaryOnly(tab, k, forced), true)) > 0 {
			caught++
		}
	}
	t.Logf("primary suppression alone discloses in %d of %d tables", caught, tables)
	if caught < tables/10 {
		t.Fatalf("the checker caught primary-only suppression in only %d of %d tables", caught, tables)
	}
}

// TestHiddenRangesSpanAtLeastK is the interval audit: on small tables, every hidden cell's
// range over all non-negative integer tables consistent with what is published, found by brute
// force, spans at least k.
func TestHiddenRangesSpanAtLeastK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const tables = 3000
	widened := 0
	for n := range tables {
		tab := randomTable(rng, 6, 5)
		k := 2 + rng.IntN(4)
		forced := randomForced(rng, tab)
		hidden, st := SuppressWithStats(tab, k, forced)
		if !st.IntervalChecked {
			t.Fatalf("table %d: interval check skipped on a small table: %+v", n, st)
		}
		widened += st.IntervalSecondary
		if bad := disclosures(tab, k, forced, hidden, true); len(bad) > 0 {
			t.Fatalf("table %d: %v", n, bad)
		}
		lo, hi, unbounded := integerRanges(tab, hidden)
		for i := range tab.Published {
			if !hidden[i] || unbounded[i] || len(tab.Published[i]) == 0 {
				continue
			}
			if hi[i]-lo[i] < k {
				t.Fatalf("table %d (k=%d): hidden cell %d (%d) ranges over %d..%d\ninner %v\npublished %v\nhidden %v",
					n, k, i, tab.Value(i), lo[i], hi[i], tab.Inner, tab.Published, hidden)
			}
		}
	}
	t.Logf("%d tables: the interval step hid %d more cells", tables, widened)
	if widened == 0 {
		t.Fatal("the interval step never acted: the audit tests nothing beyond the span")
	}
}

// TestTwoSmallCellsWithAPublishedSumAreWidened: hiding 1 and 1 whose sum is told by the others
// leaves each in 0..2; the interval step hides more.
func TestTwoSmallCellsWithAPublishedSumAreWidened(t *testing.T) {
	// Row cells 1, 1, 20 and their total; the two 1s are hidden, and the GE alone would
	// publish 20 and 22, which tell 1+1 = 2.
	tab := Table{Inner: []int{1, 1, 20}, Published: [][]int32{{0}, {1}, {2}, {0, 1, 2}}}
	hidden, st := SuppressWithStats(tab, 5, nil)
	if !st.IntervalChecked {
		t.Fatalf("not checked: %+v", st)
	}
	lo, hi, unbounded := integerRanges(tab, hidden)
	for i := range tab.Published {
		if hidden[i] && !unbounded[i] && hi[i]-lo[i] < 5 {
			t.Fatalf("cell %d ranges over %d..%d; hidden %v", i, lo[i], hi[i], hidden)
		}
	}
	if !hidden[2] && !hidden[3] {
		t.Fatalf("neither the 20 nor the total is hidden: %v", hidden)
	}
}

// TestSingletonCannotSubtractThemselves: a child alone in a cell knows that count. Cells 1, 3
// and 20 with their total: hiding 1 and 3 is enough against everyone else (their sum 4 has
// many splits), but the child in the 1 subtracts themselves and gets the 3.
func TestSingletonCannotSubtractThemselves(t *testing.T) {
	tab := Table{Inner: []int{1, 3, 20}, Published: [][]int32{{0}, {1}, {2}, {0, 1, 2}}}
	plain := []bool{true, true, false, false}
	if bad := disclosures(tab, 5, nil, plain, false); len(bad) > 0 {
		t.Fatalf("hiding 1 and 3 should protect against the linear system alone: %v", bad)
	}
	if bad := disclosures(tab, 5, nil, plain, true); len(bad) == 0 {
		t.Fatal("the checker misses the child who subtracts themselves")
	}
	hidden, st := SuppressWithStats(tab, 5, nil)
	if st.Singletons != 1 || st.IntervalSecondary != 0 {
		t.Fatalf("the elimination did not protect the singleton: %+v", st)
	}
	if bad := disclosures(tab, 5, nil, hidden, true); len(bad) > 0 {
		t.Fatalf("Suppress: %v (hidden %v)", bad, hidden)
	}
	if !hidden[2] && !hidden[3] {
		t.Fatalf("neither the 20 nor the total is hidden: %v", hidden)
	}
}

// TestSingletonInLinkedTables: a municipality whose only girl is 10-12 publishes its girls by
// age and its age bands by gender; the child must not learn the boys of her age band.
func TestSingletonInLinkedTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	checked := 0
	for n := 0; checked < 500; n++ {
		tab := randomTable(rng, 10, 6)
		ones := 0
		for _, c := range tab.Inner {
			if c == 1 {
				ones++
			}
		}
		if ones == 0 {
			continue
		}
		checked++
		k := 3 + rng.IntN(3)
		hidden := Suppress(tab, k, nil)
		if bad := disclosures(tab, k, nil, hidden, true); len(bad) > 0 {
			t.Fatalf("table %d: %v\ninner %v\npublished %v\nhidden %v", n, bad, tab.Inner, tab.Published, hidden)
		}
	}
}

// TestZerosPublishedAndUsed: a published 0 tells each of its finest cells, which the linear
// system alone does not. Finest cells a=3, b=0, c=9, d=0; published a (primary), a+c, b+c and
// b+d=0. Linearly a+c minus b+c is a−b, which hides a; but b+d=0 tells b=0, so a = (a+c)−(b+c).
func TestZerosPublishedAndUsed(t *testing.T) {
	tab := Table{Inner: []int{3, 0, 9, 0}, Published: [][]int32{{0}, {0, 2}, {1, 2}, {1, 3}}}
	if bad := disclosures(tab, 5, nil, []bool{true, false, false, false}, false); len(bad) == 0 {
		t.Fatal("the checker misses what a published zero tells")
	}
	hidden, st := SuppressWithStats(tab, 5, nil)
	if st.KnownZeroRows != 2 || st.IntervalSecondary != 0 {
		t.Fatalf("the elimination did not use the zeros: %+v", st)
	}
	if hidden[3] {
		t.Fatal("the zero was hidden")
	}
	if !hidden[1] && !hidden[2] {
		t.Fatalf("a+c and b+c both published: %v", hidden)
	}
	if bad := disclosures(tab, 5, nil, hidden, true); len(bad) > 0 {
		t.Fatal(bad)
	}
}

func TestForcedAndOutOfRange(t *testing.T) {
	tab := Table{Inner: []int{8, 9, 10}, Published: [][]int32{{0}, {1}, {2}, {0, 1, 2}}}
	hidden := Suppress(tab, 5, []int{1, -1, 99})
	if !hidden[1] {
		t.Fatal("forced cell published")
	}
	if bad := disclosures(tab, 5, []int{1}, hidden, true); len(bad) > 0 {
		t.Fatal(bad)
	}
	if n := slices.Index(hidden, true); n < 0 {
		t.Fatal("nothing hidden")
	}
}
