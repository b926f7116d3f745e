package gausssup

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// municipalityInsiders lists, for a releaseTable, each municipality's finest cells (4 age
// bands × 4 genders, one after the other).
func municipalityInsiders(municipalities int) [][]int32 {
	out := make([][]int32, municipalities)
	for m := range municipalities {
		for r := range 16 {
			out[m] = append(out[m], int32(m*16+r))
		}
	}
	return out
}

// insiderDisclosures lists what a group of finest cells (a municipality's own adults, who
// know its exact counts) learns from a release, with the tests' own exact rational arithmetic
// (check_test.go): for each group, what is known is every published cell, every cell of
// alsoKnown (given away by other tables), every finest cell inside a published 0, and the
// group's own finest cells. A cell whose count minus the group's part is from 1 to k-1 must
// be hidden and stay outside that span.
func insiderDisclosures(t Table, k int, hidden []bool, alsoKnown []int) []string {
	return insiderDisclosuresUpTo(t, k, hidden, alsoKnown, -1)
}

// insiderDisclosuresUpTo is insiderDisclosures that stops after limit findings (none when
// limit is negative).
func insiderDisclosuresUpTo(t Table, k int, hidden []bool, alsoKnown []int, limit int) []string {
	n := len(t.Inner)
	public := newRatSpan(n)
	knownZero := make([]bool, n)
	for i, cell := range t.Published {
		if hidden[i] && !slices.Contains(alsoKnown, i) {
			continue
		}
		public.add(ratColumn(n, cell))
		if !hidden[i] && t.Value(i) == 0 {
			for _, r := range cell {
				knownZero[r] = true
			}
		}
	}
	for r := range n {
		if knownZero[r] {
			public.add(ratColumn(n, []int32{int32(r)}))
		}
	}
	var out []string
	for g, rows := range t.Insiders {
		mine := map[int32]bool{}
		insider := public.clone()
		for _, r := range rows {
			mine[r] = true
			insider.add(ratColumn(n, []int32{r}))
		}
		for i, cell := range t.Published {
			rest := 0
			for _, r := range cell {
				if !mine[r] {
					rest += t.Inner[r]
				}
			}
			if rest < 1 || rest >= k {
				continue
			}
			if !hidden[i] {
				out = append(out, fmt.Sprintf("municipality %d reads cell %d (%d) and subtracts its own part: %d", g, i, t.Value(i), rest))
			} else if insider.contains(ratColumn(n, cell)) {
				out = append(out, fmt.Sprintf("municipality %d works out hidden cell %d (%d), the others' part %d", g, i, t.Value(i), rest))
			}
			if len(out) == limit {
				return out
			}
		}
	}
	return out
}

// TestContributorCannotSubtractItsOwnPart plays a municipality's own adults against small
// releases: they know their municipality's cells, so a county cell minus their part is the
// other municipalities' part. Each case fails without Table.Insiders.
func TestContributorCannotSubtractItsOwnPart(t *testing.T) {
	const k = 5
	cases := []struct {
		name string
		tab  Table
		// hide are the cells that must be hidden with the rule and were published without it.
		hide []int
	}{
		{
			// The county's cell is 6, municipality A's part 5: A learns that the others
			// contributed 1.
			name: "a county cell minus the contributor's part",
			tab: Table{
				Inner:     []int{5, 1},
				Published: [][]int32{{0, 1}},
				Insiders:  [][]int32{{0}, {1}},
			},
			hide: []int{0},
		},
		{
			// A's band 1 (5) is hidden to protect its band 2 (3), so outsiders cannot take
			// it from the county's band 1 (7); A knows it, and learns B's band 1 (2).
			name: "a county band around a band hidden to protect another",
			tab: Table{
				Inner: []int{5, 3, 2, 6}, // A band 1, A band 2, B band 1, B band 2
				Published: [][]int32{
					{0, 1}, {0}, {1}, // A: total, band 1, band 2
					{2, 3}, {2}, {3}, // B: total, band 1, band 2
					{0, 1, 2, 3}, {0, 2}, {1, 3}, // county: total, band 1, band 2
				},
				First:    []int{0, 3},
				Insiders: [][]int32{{0, 1}, {2, 3}},
			},
			hide: []int{7},
		},
		{
			// The county's band 1 (7) is hidden by the rule (A would subtract 5 and learn 2).
			// Its band 2 (11) leaves 6 or 5 to a subtracting contributor, but A, knowing its
			// band 2 (5), would learn B's band 2 (6) from it, and then B's band 1 (2) from
			// B's total: band 2 is hidden too.
			name: "a published cell that lets a contributor solve for a hidden one",
			tab: Table{
				Inner: []int{5, 5, 2, 6},
				Published: [][]int32{
					{0, 1},           // A: total
					{2, 3}, {2}, {3}, // B: total, band 1, band 2
					{0, 1, 2, 3}, {0, 2}, {1, 3}, // county: total, band 1, band 2
				},
				First:    []int{0, 1},
				Insiders: [][]int32{{0, 1}, {2, 3}},
			},
			hide: []int{5, 6},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plain := c.tab
			plain.Insiders = nil
			before := Suppress(plain, k, nil)
			if len(insiderDisclosures(c.tab, k, before, nil)) == 0 {
				t.Fatal("without the rule no contributor learns anything: the case tests nothing")
			}
			hidden, st := SuppressWithStats(c.tab, k, nil)
			if bad := insiderDisclosures(c.tab, k, hidden, nil); len(bad) > 0 {
				t.Fatalf("%v (%+v)", bad, st)
			}
			if bad := disclosures(c.tab, k, nil, hidden, true); len(bad) > 0 {
				t.Fatalf("%v (%+v)", bad, st)
			}
			for _, i := range c.hide {
				if before[i] || !hidden[i] {
					t.Errorf("cell %d: hidden without the rule %v, with it %v", i, before[i], hidden[i])
				}
			}
			t.Logf("hidden without the rule %v, with it %v; %+v", before, hidden, st)
		})
	}
}

// TestInsidersCannotUncoverReleaseCells plays every municipality's own adults against 120
// small linked releases (municipality, county and national cells by age band, gender, urban
// and rural), with the answer tables' totals known to all, by exact rational arithmetic: no
// contributor may read or work out a cell whose count minus its own part is from 1 to k-1.
// The same releases suppressed without Table.Insiders must be caught, which shows the check
// can fail.
func TestInsidersCannotUncoverReleaseCells(t *testing.T) {
	auditInsiders(t, 120, false)
}

// TestInsidersCannotUncoverReleaseCellsInPhases is the same audit with the work shared
// between leaking municipalities (phase 0, as for releases of thousands of municipalities)
// on small releases.
func TestInsidersCannotUncoverReleaseCellsInPhases(t *testing.T) {
	auditInsiders(t, 60, true)
}

func auditInsiders(t *testing.T, releases int, phases bool) {
	const k = 5
	leakedBefore, leakedPrimaryOnly, insiderSecondary, hiddenMore := 0, 0, 0, 0
	for seed := range uint64(releases) {
		municipalities := 2 + int(seed%5)
		tab := releaseTable(municipalities, 2000+seed)
		var totals []int
		for m := range municipalities {
			tab.First = append(tab.First, m*9)
			if tab.Value(m*9) >= k {
				totals = append(totals, m*9) // the answer tables give these away
			}
		}
		plain := tab
		tab.Insiders = municipalityInsiders(municipalities)
		if phases {
			tab.phasesAbove = -1
		}
		before := Suppress(plain, k, nil)
		if len(insiderDisclosuresUpTo(tab, k, before, totals, 1)) > 0 {
			leakedBefore++
		}
		// The primary rule alone: the cells a contributor would read a small count from,
		// hidden and protected, with no contributor taken as the intruder afterwards.
		if len(insiderDisclosuresUpTo(tab, k, Suppress(plain, k, contributorSensitive(tab, k)), totals, 1)) > 0 {
			leakedPrimaryOnly++
		}
		hidden, st := SuppressWithStats(tab, k, nil)
		insiderSecondary += st.InsiderSecondary
		if bad := insiderDisclosures(tab, k, hidden, totals); len(bad) > 0 {
			t.Fatalf("seed %d: %v (%+v)", seed, bad, st)
		}
		known := slices.Clone(hidden)
		for _, i := range totals {
			known[i] = false
		}
		if bad := disclosures(tab, k, nil, known, true); len(bad) > 0 {
			t.Fatalf("seed %d: %v (%+v)", seed, bad, st)
		}
		for i := range hidden {
			if hidden[i] && !before[i] {
				hiddenMore++
			}
		}
	}
	t.Logf("without the rule, a municipality's own adults uncovered a cell in %d of %d releases; with its primary part alone, in %d; with it, in none, at %d more hidden cells in all (%d of them hidden after taking each municipality as the intruder)",
		leakedBefore, releases, leakedPrimaryOnly, hiddenMore, insiderSecondary)
	if leakedBefore == 0 || leakedPrimaryOnly == 0 {
		t.Fatal("the check never caught a release suppressed without the rule, or without its secondary part: it cannot fail")
	}
}

// contributorSensitive lists the cells that some group, subtracting its own part, would
// learn from 1 to k-1 of.
func contributorSensitive(t Table, k int) []int {
	var out []int
	for i, cell := range t.Published {
		for _, rows := range t.Insiders {
			rest := 0
			for _, r := range cell {
				if !slices.Contains(rows, r) {
					rest += t.Inner[r]
				}
			}
			if rest > 0 && rest < k {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// TestInsidersInRandomTables runs the insiders' check on random linked tables with zeros,
// ones and forced cells, their finest cells dealt at random to a few intruders, one run per
// leaking intruder and in phases.
func TestInsidersInRandomTables(t *testing.T) {
	t.Run("one run per intruder", func(t *testing.T) { insidersInRandomTables(t, false) })
	t.Run("in phases", func(t *testing.T) { insidersInRandomTables(t, true) })
}

func insidersInRandomTables(t *testing.T, phases bool) {
	const k = 5
	rng := rand.New(rand.NewPCG(10, 10))
	leakedBefore := 0
	for range 1500 {
		tab := randomTable(rng, 10, 9)
		groups := 2 + rng.IntN(3)
		tab.Insiders = make([][]int32, groups)
		for r := range tab.Inner {
			g := rng.IntN(groups)
			tab.Insiders[g] = append(tab.Insiders[g], int32(r))
		}
		if phases {
			tab.phasesAbove = -1
		}
		forced := randomForced(rng, tab)
		plain := tab
		plain.Insiders = nil
		if len(insiderDisclosuresUpTo(tab, k, Suppress(plain, k, forced), nil, 1)) > 0 {
			leakedBefore++
		}
		hidden, st := SuppressWithStats(tab, k, forced)
		if bad := insiderDisclosures(tab, k, hidden, nil); len(bad) > 0 {
			t.Fatalf("%v (%+v)", bad, st)
		}
		if bad := disclosures(tab, k, forced, hidden, true); len(bad) > 0 {
			t.Fatalf("%v (%+v)", bad, st)
		}
	}
	t.Logf("without the rule, an intruder uncovered a cell in %d of 1,500 tables", leakedBefore)
	if leakedBefore == 0 {
		t.Fatal("the check never caught a table suppressed without the rule")
	}
}

// TestInsidersDeterministic: the same table gives the same cells hidden, run after run.
func TestInsidersDeterministic(t *testing.T) {
	tab := releaseTable(300, 11)
	for m := range 300 {
		tab.First = append(tab.First, m*9)
	}
	tab.Insiders = municipalityInsiders(300)
	first, st := SuppressWithStats(tab, 5, nil)
	if st.InsidersLeaking == 0 {
		t.Logf("no municipality needed more cells hidden: %+v", st)
	}
	for range 3 {
		if again := Suppress(tab, 5, nil); !slices.Equal(again, first) {
			t.Fatal("two runs differ")
		}
	}
}
