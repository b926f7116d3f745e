package main

import (
	"slices"
	"testing"
	"time"
)

func TestPeriodsOfTwoYears(t *testing.T) {
	b := &bench{months: 24}
	got := b.periods(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
	if len(got) != 24+8+2 || got[0] != "2025-01" || got[23] != "2026-12" || got[24] != "2025-Q1" || got[31] != "2026-Q4" ||
		!slices.Equal(got[32:], []string{"2025", "2026"}) {
		t.Fatalf("periods of two years ending December 2026: %v", got)
	}
	// Ending in a quarter's middle, the months touch nine quarters and three years.
	got = b.periods(time.Date(2026, 5, 31, 23, 0, 0, 0, time.UTC))
	if len(got) != 24+9+3 || got[0] != "2024-06" || got[24] != "2024-Q2" || got[len(got)-1] != "2026" {
		t.Fatalf("periods of two years ending May 2026: %v", got)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if pct(d, 50) != 50*time.Millisecond || pct(d, 99) != 99*time.Millisecond || pct(d[:1], 99) != 100*time.Millisecond {
		t.Fatalf("p50 %s, p99 %s", pct(d, 50), pct(d, 99))
	}
}
