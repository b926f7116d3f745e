package voci

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	// 22:30 UTC on 30 November is already 1 December in Bucharest.
	now := time.Date(2026, 11, 30, 22, 30, 0, 0, time.UTC)
	good := []struct{ id, kind, from, to string }{
		{"2026-11", "month", "2026-11-01", "2026-11-30"},
		{"2026-12", "month", "2026-12-01", "2026-12-31"},
		{"2026-02", "month", "2026-02-01", "2026-02-28"},
		{"2024-02", "month", "2024-02-01", "2024-02-29"},
		{"2026-Q3", "quarter", "2026-07-01", "2026-09-30"},
		{"2026-Q4", "quarter", "2026-10-01", "2026-12-31"},
		{"2025", "year", "2025-01-01", "2025-12-31"},
	}
	for _, g := range good {
		p, err := ParsePeriod(g.id, now)
		if err != nil {
			t.Errorf("%s: %v", g.id, err)
			continue
		}
		if p.ID != g.id || string(p.Kind) != g.kind || FormatDate(p.From) != g.from || FormatDate(p.To) != g.to {
			t.Errorf("%s = %+v", g.id, p)
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-11", "2026/11", "2026-1", "1990", "+202", "2027", "2027-01", "2026-1x", "2026-11-01"} {
		if _, err := ParsePeriod(bad, now); ErrorCode(err) != EINVALIDPERIOD {
			t.Errorf("%q: got %v, want %s", bad, err, EINVALIDPERIOD)
		}
	}
	p, _ := ParsePeriod("2026-11", now)
	if p.Start() != time.Date(2026, 10, 31, 22, 0, 0, 0, time.UTC) || p.End() != time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC) {
		t.Errorf("bounds %v..%v", p.Start(), p.End())
	}
	if !p.Finished(now) || p.Finished(now.Add(-time.Hour)) {
		t.Error("November is finished once its last day is over in Bucharest, not before")
	}
	if q := PeriodAt(PeriodQuarter, date("2026-08-15")); q.ID != "2026-Q3" || q.Previous().ID != "2026-Q2" {
		t.Errorf("PeriodAt %+v", q)
	}
}

func TestParseCustomPeriod(t *testing.T) {
	now := time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	p, err := ParseCustomPeriod("2026-01-05", "2026-02-20", now)
	if err != nil || p.Kind != PeriodCustom || p.ID != "2026-01-05..2026-02-20" {
		t.Fatalf("%+v %v", p, err)
	}
	if _, err := ParseCustomPeriod("2021-12-08", "2026-12-07", now); err != nil {
		t.Errorf("five years exactly: %v", err)
	}
	for _, c := range [][2]string{
		{"2026-02-20", "2026-01-05"}, // reversed
		{"2020-01-01", "2026-01-01"}, // more than five years
		{"2026-12-01", "2026-12-08"}, // ends tomorrow
		{"1990-01-01", "1990-02-01"}, // before the initiative
		{"2026-1-5", "2026-02-01"},   // unreadable
		{"", ""},
	} {
		if _, err := ParseCustomPeriod(c[0], c[1], now); ErrorCode(err) != EINVALIDPERIOD {
			t.Errorf("%v: got %v, want %s", c, err, EINVALIDPERIOD)
		}
	}
}
