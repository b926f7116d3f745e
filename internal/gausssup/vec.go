package gausssup

import (
	"math/bits"
	"slices"
)

// Exact integer arithmetic for the elimination.
//
// Every vector is kept with integer entries whose greatest common divisor is 1 and whose first
// entry is positive, so two vectors are parallel exactly when they are equal. Elimination is
// fraction-free (x·a[p] − a·x[p]), and every product and difference is checked: a magnitude
// above maxMagnitude stops the elimination (see Stats.Exhausted) instead of wrapping around.
// Tables built from sums (entries 0 and 1) keep their entries tiny in practice.

// maxMagnitude bounds every stored entry, so the difference of two of them cannot overflow.
const maxMagnitude = 1 << 61

// entry is one non-zero coefficient of a vector over the inner cells.
type entry struct {
	row int32
	v   int64
}

// vec is a sparse vector, sorted by row, without zeros.
type vec []entry

// at returns v's coefficient in row r.
func (v vec) at(r int32) int64 {
	i, ok := slices.BinarySearchFunc(v, r, func(e entry, r int32) int {
		switch {
		case e.row < r:
			return -1
		case e.row > r:
			return 1
		}
		return 0
	})
	if !ok {
		return 0
	}
	return v[i].v
}

func (v vec) equal(w vec) bool {
	if len(v) != len(w) {
		return false
	}
	for i := range v {
		if v[i] != w[i] {
			return false
		}
	}
	return true
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func gcd(a, b int64) int64 {
	a, b = abs64(a), abs64(b)
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// mulChecked returns a·b, or false when its magnitude exceeds maxMagnitude.
func mulChecked(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	hi, lo := bits.Mul64(uint64(abs64(a)), uint64(abs64(b)))
	if hi != 0 || lo > maxMagnitude {
		return 0, false
	}
	p := int64(lo)
	if (a < 0) != (b < 0) {
		p = -p
	}
	return p, true
}

// subChecked returns a−b for |a|,|b| ≤ maxMagnitude, or false when the result exceeds it.
func subChecked(a, b int64) (int64, bool) {
	d := a - b
	return d, abs64(d) <= maxMagnitude
}

// normalize divides v by the gcd of its entries and makes its first entry positive.
func normalize(v vec) {
	if len(v) == 0 {
		return
	}
	g := int64(0)
	for _, e := range v {
		g = gcd(g, e.v)
		if g == 1 {
			break
		}
	}
	if v[0].v < 0 {
		g = -g
	}
	if g == 1 {
		return
	}
	for i := range v {
		v[i].v /= g
	}
}

// combine returns the normalized cx·x + cy·y, or false on overflow.
func combine(x vec, cx int64, y vec, cy int64) (vec, bool) {
	out := make(vec, 0, len(x)+len(y))
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		var r int32
		var a, b int64
		switch {
		case j >= len(y) || (i < len(x) && x[i].row < y[j].row):
			r, a = x[i].row, x[i].v
			i++
		case i >= len(x) || y[j].row < x[i].row:
			r, b = y[j].row, y[j].v
			j++
		default:
			r, a, b = x[i].row, x[i].v, y[j].v
			i++
			j++
		}
		pa, ok1 := mulChecked(a, cx)
		pb, ok2 := mulChecked(b, cy)
		if !ok1 || !ok2 {
			return nil, false
		}
		s, ok := subChecked(pa, -pb)
		if !ok {
			return nil, false
		}
		if s != 0 {
			out = append(out, entry{r, s})
		}
	}
	normalize(out)
	return out, true
}
