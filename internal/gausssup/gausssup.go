// Package gausssup hides cells of linked count tables so that no hidden count can be worked
// out from the published ones.
package gausssup

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
}

// Value returns published cell i's count.
func (t Table) Value(i int) int {
	n := 0
	for _, j := range t.Published[i] {
		n += t.Inner[j]
	}
	return n
}

// Suppress returns, for each published cell of t, whether it must be hidden, given the
// smallest count k that may be shown. Counts from 1 to k-1 are hidden (primary suppression).
// Forced lists published cells that must be hidden whatever their count (for example cells
// hidden in an earlier version of the same release).
//
// This first version hides the primary cells only.
func Suppress(t Table, k int, forced []int) []bool {
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
