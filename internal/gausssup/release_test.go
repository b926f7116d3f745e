package gausssup

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// releaseTable builds a table shaped like one national release: per municipality 4 age bands
// × 4 genders of finest cells; published are each municipality's total, age bands and
// genders, and the same nine cells for every county and the country, each also split into
// urban and rural. Most municipalities are rural communes where a handful of children take
// part.
func releaseTable(municipalities int, seed uint64) Table {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	const ages, genders = 4, 4
	counties := max(1, municipalities/75)
	ageWeight := []float64{0.2, 0.3, 0.3, 0.2}
	genderWeight := []float64{0.48, 0.47, 0.03, 0.02}
	var t Table
	type area struct{ county, urban int }
	areas := make([]area, municipalities)
	for m := range municipalities {
		urban := 0
		size := 0
		if rng.IntN(10) == 0 {
			urban = 1
			size = 40 + rng.IntN(1500)
		} else {
			size = rng.IntN(25)
		}
		areas[m] = area{m % counties, urban}
		for a := range ages {
			for g := range genders {
				mean := float64(size) * ageWeight[a] * genderWeight[g]
				// A Poisson-like count around the mean.
				c := int(mean)
				if rng.Float64() < mean-float64(c) {
					c++
				}
				if c > 2 {
					c += rng.IntN(3) - 1
				}
				t.Inner = append(t.Inner, c)
			}
		}
	}
	inner := func(m, a, g int) int32 { return int32((m*ages+a)*genders + g) }
	// The nine cells (total, age bands, genders) over the municipalities kept by in.
	nine := func(in func(m int) bool) {
		var total []int32
		byAge := make([][]int32, ages)
		byGender := make([][]int32, genders)
		for m := range municipalities {
			if !in(m) {
				continue
			}
			for a := range ages {
				for g := range genders {
					r := inner(m, a, g)
					total = append(total, r)
					byAge[a] = append(byAge[a], r)
					byGender[g] = append(byGender[g], r)
				}
			}
		}
		t.Published = append(t.Published, total)
		t.Published = append(t.Published, byAge...)
		t.Published = append(t.Published, byGender...)
	}
	for m := range municipalities {
		nine(func(x int) bool { return x == m })
	}
	for c := range counties {
		nine(func(x int) bool { return areas[x].county == c })
		for u := range 2 {
			nine(func(x int) bool { return areas[x].county == c && areas[x].urban == u })
		}
	}
	nine(func(int) bool { return true })
	for u := range 2 {
		nine(func(x int) bool { return areas[x].urban == u })
	}
	return t
}

// TestReleaseSizedTable runs one release-shaped table end to end: every primary cell hidden,
// exact arithmetic enough, some secondary suppression, and the same answer twice.
func TestReleaseSizedTable(t *testing.T) {
	tab := releaseTable(300, 7)
	hidden, st := SuppressWithStats(tab, 5, nil)
	t.Logf("300 municipalities: %d finest cells, %d published cells; %+v", len(tab.Inner), len(tab.Published), st)
	if st.Exhausted || st.Secondary == 0 || st.Singletons == 0 || st.KnownZeroRows == 0 {
		t.Fatalf("unexpected: %+v", st)
	}
	for i := range tab.Published {
		if v := tab.Value(i); v > 0 && v < 5 && !hidden[i] {
			t.Fatalf("cell %d (%d) published", i, v)
		}
	}
	if again := Suppress(tab, 5, nil); !slices.Equal(again, hidden) {
		t.Fatal("two runs differ")
	}
}

// BenchmarkSuppress times one release: 300 municipalities (the enrolled ones) and all 3,181;
// plain, and as the server runs it, with every municipality's total known (Table.First) and
// every municipality taken in turn as the intruder (Table.Insiders).
func BenchmarkSuppress(b *testing.B) {
	for _, n := range []int{300, 3181} {
		for _, insiders := range []bool{false, true} {
			tab := releaseTable(n, 7)
			name := fmt.Sprintf("municipalities=%d", n)
			if insiders {
				for m := range n {
					tab.First = append(tab.First, m*9)
				}
				tab.Insiders = municipalityInsiders(n)
				name += "/insiders"
			}
			b.Run(name, func(b *testing.B) {
				var st Stats
				start := time.Now()
				for b.Loop() {
					_, st = SuppressWithStats(tab, 5, nil)
				}
				b.ReportMetric(float64(len(tab.Published)), "cells")
				b.ReportMetric(float64(st.Primary+st.InsiderPrimary), "primary")
				b.ReportMetric(float64(st.Secondary), "secondary")
				b.Logf("%d municipalities, %d finest cells, %d published cells: %v per release (%d primary, %d by a contributor's subtraction, %d secondary, %d of them against %d contributors)",
					n, len(tab.Inner), len(tab.Published), time.Since(start)/time.Duration(b.N), st.Primary, st.InsiderPrimary, st.Secondary, st.InsiderSecondary, st.InsidersLeaking)
			})
		}
	}
}

// TestSmallReleasesAgainstExactChecker runs the exact checker on whole releases of a few
// municipalities: municipality, county and national cells, urban and rural, all linked.
func TestSmallReleasesAgainstExactChecker(t *testing.T) {
	caught := 0
	for seed := range uint64(20) {
		tab := releaseTable(3+int(seed%3), seed)
		hidden, st := SuppressWithStats(tab, 5, nil)
		if bad := disclosures(tab, 5, nil, hidden, true); len(bad) > 0 {
			t.Fatalf("seed %d: %v (%+v)", seed, bad, st)
		}
		if len(disclosures(tab, 5, nil, primaryOnly(tab, 5, nil), true)) > 0 {
			caught++
		}
	}
	// The same releases with primary suppression alone give counts away.
	if caught < 10 {
		t.Fatalf("primary suppression alone disclosed in only %d of 20 releases", caught)
	}
}

// TestAnswerTotalsCannotUncoverReleaseCells plays the public "you said, we did" page against
// a release: it shows how many children answered each consultation, so for a consultation
// held within one period it gives away the municipality's total for that period (when that
// count is k or more; below k it is hidden there too). With every municipality's total offered
// first, no protected cell may lie in the span of the published cells plus those totals; the
// same releases suppressed without that rule must be caught by the same check, which shows it
// can fail.
func TestAnswerTotalsCannotUncoverReleaseCells(t *testing.T) {
	const k = 5
	// What the attacker holds: the release as published, and every municipality total of k
	// or more from the answer tables, hidden in the release or not.
	withAnswerTotals := func(tab Table, hidden []bool, municipalities int) []bool {
		known := slices.Clone(hidden)
		for m := range municipalities {
			if tab.Value(m*9) >= k {
				known[m*9] = false
			}
		}
		return known
	}
	caught, firstHidden := 0, 0
	for seed := range uint64(120) {
		municipalities := 2 + int(seed%5)
		tab := releaseTable(municipalities, 1000+seed)
		for m := range municipalities {
			tab.First = append(tab.First, m*9) // each municipality's total
		}
		hidden, st := SuppressWithStats(tab, k, nil)
		firstHidden += st.FirstHidden
		if bad := disclosures(tab, k, nil, withAnswerTotals(tab, hidden, municipalities), true); len(bad) > 0 {
			t.Fatalf("seed %d: the answer tables' totals uncover %v (%+v)", seed, bad, st)
		}
		plain := Table{Inner: tab.Inner, Published: tab.Published}
		if len(disclosures(plain, k, nil, withAnswerTotals(plain, Suppress(plain, k, nil), municipalities), true)) > 0 {
			caught++
		}
	}
	t.Logf("without the rule, answer totals uncovered a hidden cell in %d of 120 releases; with it, %d totals were hidden all the same", caught, firstHidden)
	if caught == 0 {
		t.Fatal("the check never caught a release suppressed without the rule: it cannot fail")
	}
}
