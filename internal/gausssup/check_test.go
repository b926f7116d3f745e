package gausssup

import (
	"fmt"
	"math/big"
)

// This file is the tests' own account of disclosure, written apart from the implementation:
// dense vectors of exact rationals (math/big.Rat) and plain Gauss-Jordan elimination.

// ratSpan is the span of some vectors, kept in reduced row echelon form.
type ratSpan struct {
	n     int
	rows  [][]*big.Rat
	pivot []int
}

func newRatSpan(n int) *ratSpan { return &ratSpan{n: n} }

func (s *ratSpan) clone() *ratSpan {
	c := &ratSpan{n: s.n, pivot: append([]int(nil), s.pivot...)}
	for _, r := range s.rows {
		cr := make([]*big.Rat, len(r))
		for i, x := range r {
			cr[i] = new(big.Rat).Set(x)
		}
		c.rows = append(c.rows, cr)
	}
	return c
}

// residual returns v minus its components along the span's pivots.
func (s *ratSpan) residual(v []*big.Rat) []*big.Rat {
	out := make([]*big.Rat, s.n)
	for i := range out {
		out[i] = new(big.Rat).Set(v[i])
	}
	tmp := new(big.Rat)
	for k, row := range s.rows {
		p := s.pivot[k]
		if out[p].Sign() == 0 {
			continue
		}
		f := new(big.Rat).Set(out[p]) // row[p] is 1
		for i := range out {
			if row[i].Sign() != 0 {
				out[i].Sub(out[i], tmp.Mul(f, row[i]))
			}
		}
	}
	return out
}

func (s *ratSpan) contains(v []*big.Rat) bool {
	for _, x := range s.residual(v) {
		if x.Sign() != 0 {
			return false
		}
	}
	return true
}

func (s *ratSpan) add(v []*big.Rat) {
	r := s.residual(v)
	p := -1
	for i, x := range r {
		if x.Sign() != 0 {
			p = i
			break
		}
	}
	if p < 0 {
		return
	}
	inv := new(big.Rat).Inv(r[p])
	for i := range r {
		r[i].Mul(r[i], inv)
	}
	tmp := new(big.Rat)
	for k, row := range s.rows {
		if row[p].Sign() == 0 {
			continue
		}
		f := new(big.Rat).Set(row[p])
		for i := range row {
			row[i].Sub(row[i], tmp.Mul(f, r[i]))
		}
		s.rows[k] = row
	}
	s.rows = append(s.rows, r)
	s.pivot = append(s.pivot, p)
}

func ratColumn(n int, rows []int32) []*big.Rat {
	v := make([]*big.Rat, n)
	for i := range v {
		v[i] = new(big.Rat)
	}
	one := big.NewRat(1, 1)
	for _, r := range rows {
		v[r].Add(v[r], one)
	}
	return v
}

// disclosures lists what an attacker learns from a release: a protected cell (a count from 1
// to k-1, or forced) that is published, or whose column lies in the span of what is known —
// the published cells, and each finest cell inside a published 0 (counts are never negative).
// With singletons, it also plays every child alone in a finest cell, who knows that cell's
// count: no protected cell other than that finest cell alone may lie in the span of what is
// known plus that cell. Forced cells made only of known zeros cannot be protected and are
// skipped.
func disclosures(t Table, k int, forced []int, hidden []bool, singletons bool) []string {
	n := len(t.Inner)
	known := newRatSpan(n)
	knownZero := make([]bool, n)
	for i, cell := range t.Published {
		if hidden[i] {
			continue
		}
		known.add(ratColumn(n, cell))
		if t.Value(i) == 0 {
			for _, r := range cell {
				knownZero[r] = true
			}
		}
	}
	for r := range n {
		if knownZero[r] {
			known.add(ratColumn(n, []int32{int32(r)}))
		}
	}
	isForced := map[int]bool{}
	for _, i := range forced {
		isForced[i] = true
	}
	var out []string
	var protected []int
	for i, cell := range t.Published {
		v := t.Value(i)
		if !(v > 0 && v < k) && !isForced[i] {
			continue
		}
		if !hidden[i] {
			out = append(out, fmt.Sprintf("cell %d (%d) is published", i, v))
			continue
		}
		allZero := true
		for _, r := range cell {
			allZero = allZero && knownZero[r]
		}
		if allZero && v == 0 {
			continue
		}
		protected = append(protected, i)
		if known.contains(ratColumn(n, cell)) {
			out = append(out, fmt.Sprintf("cell %d (%d) is a combination of published cells", i, v))
		}
	}
	if !singletons {
		return out
	}
	for r, c := range t.Inner {
		if c != 1 || knownZero[r] {
			continue
		}
		child := known.clone()
		child.add(ratColumn(n, []int32{int32(r)}))
		for _, i := range protected {
			own := true
			for _, q := range t.Published[i] {
				own = own && (int(q) == r || knownZero[q])
			}
			if own {
				continue
			}
			if child.contains(ratColumn(n, t.Published[i])) {
				out = append(out, fmt.Sprintf("the child alone in finest cell %d recovers cell %d (%d)", r, i, t.Value(i)))
			}
		}
	}
	return out
}

// integerRanges returns, for every hidden cell, the smallest and largest value it takes over
// all non-negative integer tables that give the published cells their values, by brute force
// over every finest cell's possible counts; unbounded is true for a cell with a finest cell
// no published cell bounds.
func integerRanges(t Table, hidden []bool) (lo, hi []int, unbounded []bool) {
	n, m := len(t.Inner), len(t.Published)
	upper := make([]int, n)
	for r := range upper {
		upper[r] = -1
	}
	for i, cell := range t.Published {
		if hidden[i] {
			continue
		}
		v := t.Value(i)
		for _, r := range cell {
			if upper[r] < 0 || v < upper[r] {
				upper[r] = v
			}
		}
	}
	lo, hi, unbounded = make([]int, m), make([]int, m), make([]bool, m)
	for i := range m {
		lo[i], hi[i] = -1, -1
		for _, r := range t.Published[i] {
			if upper[r] < 0 {
				unbounded[i] = true
			}
		}
	}
	values := make([]int, m)
	for i := range m {
		values[i] = t.Value(i)
	}
	// Every table of counts, finest cell by finest cell (free ones stay 0), dropping a branch
	// as soon as a published cell's partial sum passes its value: counts only add up.
	y := make([]int, n)
	partial := make([]int, m)
	var walk func(r int)
	walk = func(r int) {
		if r == n {
			for i := range m {
				if !hidden[i] && partial[i] != values[i] {
					return
				}
			}
			for i, cell := range t.Published {
				if !hidden[i] {
					continue
				}
				s := 0
				for _, q := range cell {
					s += y[q]
				}
				if lo[i] < 0 || s < lo[i] {
					lo[i] = s
				}
				hi[i] = max(hi[i], s)
			}
			return
		}
		for v := 0; v <= max(upper[r], 0); v++ {
			y[r] = v
			over := false
			for i, cell := range t.Published {
				if hidden[i] {
					continue
				}
				for _, q := range cell {
					if int(q) == r {
						partial[i] += v
					}
				}
				over = over || partial[i] > values[i]
			}
			if !over {
				walk(r + 1)
			}
			for i, cell := range t.Published {
				if hidden[i] {
					continue
				}
				for _, q := range cell {
					if int(q) == r {
						partial[i] -= v
					}
				}
			}
			if over {
				break
			}
		}
		y[r] = 0
	}
	walk(0)
	return lo, hi, unbounded
}
