package voci

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EINVALIDPERIOD answers a period that cannot be read, is reversed, longer than MaxPeriodYears,
// or lies in the future.
const EINVALIDPERIOD = "invalid_period"

// PeriodKind is the length of a reporting period.
type PeriodKind string

const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodYear    PeriodKind = "year"
	// PeriodCustom is a range of days asked for by hand; it applies to activity counts only,
	// never to children's figures, which are published as frozen releases of the other kinds.
	PeriodCustom PeriodKind = "custom"
)

// ReleaseKinds are the kinds of period children's figures are released for.
var ReleaseKinds = []PeriodKind{PeriodMonth, PeriodQuarter, PeriodYear}

// MaxPeriodYears bounds a custom range.
const MaxPeriodYears = 5

// earliestPeriodYear is the first year a period may name: the initiative is younger.
const earliestPeriodYear = 1996

// Period is a reporting period of whole calendar days in Romania (Europe/Bucharest). From and
// To are its first and last days, inclusive, as midnight UTC (see ParseDate).
type Period struct {
	// ID is 2026-11 (month), 2026-Q3 (quarter), 2026 (year) or 2026-01-05..2026-02-20 (custom).
	ID   string
	Kind PeriodKind
	From time.Time
	To   time.Time
}

// Start is the instant the period begins; End the instant after its last day ends.
func (p Period) Start() time.Time { return StartOfDay(p.From) }

// End is the instant the period's last day ends in Romania.
func (p Period) End() time.Time { return StartOfDay(p.To.AddDate(0, 0, 1)) }

// Finished reports whether the period's last day is over in Romania at now.
func (p Period) Finished(now time.Time) bool { return !now.Before(p.End()) }

func periodError(format string, args ...any) error {
	return &Error{Code: EINVALIDPERIOD, Param: "period", Message: fmt.Sprintf(format, args...)}
}

// ParsePeriod reads a period ID: 2026-11 (a month), 2026-Q3 (a quarter) or 2026 (a year). A
// period that has begun (the current month, say) may be read; one that begins after today in
// Romania may not. It returns EINVALIDPERIOD otherwise.
func ParsePeriod(id string, now time.Time) (Period, error) {
	p, err := periodOf(strings.TrimSpace(id))
	if err != nil {
		return Period{}, err
	}
	if p.From.After(Today(now)) {
		return Period{}, periodError("The period %s has not begun yet.", p.ID)
	}
	return p, nil
}

func periodOf(id string) (Period, error) {
	bad := periodError("Write a period as 2026-11 (a month), 2026-Q3 (a quarter) or 2026 (a year).")
	if len(id) < 4 {
		return Period{}, bad
	}
	year, err := strconv.Atoi(id[:4])
	if err != nil || year < earliestPeriodYear || year > 9998 || strings.ContainsAny(id[:4], "+-") {
		return Period{}, bad
	}
	rest := id[4:]
	switch {
	case rest == "":
		from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		return Period{ID: id, Kind: PeriodYear, From: from, To: from.AddDate(1, 0, -1)}, nil
	case len(rest) == 3 && rest[0] == '-' && rest[1] == 'Q' && rest[2] >= '1' && rest[2] <= '4':
		q := int(rest[2] - '0')
		from := time.Date(year, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		return Period{ID: id, Kind: PeriodQuarter, From: from, To: from.AddDate(0, 3, -1)}, nil
	case len(rest) == 3 && rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9' && rest[2] >= '0' && rest[2] <= '9':
		m, _ := strconv.Atoi(rest[1:])
		if m < 1 || m > 12 {
			return Period{}, bad
		}
		from := time.Date(year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		return Period{ID: id, Kind: PeriodMonth, From: from, To: from.AddDate(0, 1, -1)}, nil
	}
	return Period{}, bad
}

// ParseCustomPeriod reads a range of days from and to (YYYY-MM-DD, both inclusive), for
// activity counts. The range must not be reversed, longer than MaxPeriodYears, begin before
// 1996 or end after today in Romania; EINVALIDPERIOD otherwise.
func ParseCustomPeriod(from, to string, now time.Time) (Period, error) {
	f, err1 := time.Parse(time.DateOnly, strings.TrimSpace(from))
	t, err2 := time.Parse(time.DateOnly, strings.TrimSpace(to))
	if err1 != nil || err2 != nil {
		return Period{}, periodError("Write both days of a range as YYYY-MM-DD, for example from=2026-01-05&to=2026-02-20.")
	}
	switch {
	case t.Before(f):
		return Period{}, periodError("The range ends (%s) before it begins (%s).", FormatDate(t), FormatDate(f))
	case t.After(f.AddDate(MaxPeriodYears, 0, -1)):
		return Period{}, periodError("A range may cover at most %d years.", MaxPeriodYears)
	case f.Year() < earliestPeriodYear:
		return Period{}, periodError("A range may not begin before %d.", earliestPeriodYear)
	case t.After(Today(now)):
		return Period{}, periodError("The range ends in the future (%s); today is %s.", FormatDate(t), FormatDate(Today(now)))
	}
	return Period{ID: FormatDate(f) + ".." + FormatDate(t), Kind: PeriodCustom, From: f, To: t}, nil
}

// PeriodAt returns the period of the kind (month, quarter or year) that contains day d.
func PeriodAt(kind PeriodKind, d time.Time) Period {
	var id string
	switch kind {
	case PeriodMonth:
		id = fmt.Sprintf("%04d-%02d", d.Year(), int(d.Month()))
	case PeriodQuarter:
		id = fmt.Sprintf("%04d-Q%d", d.Year(), (int(d.Month())+2)/3)
	default:
		id = fmt.Sprintf("%04d", d.Year())
	}
	p, _ := periodOf(id)
	return p
}

// Previous returns the period of the same kind before p (not for custom ranges).
func (p Period) Previous() Period { return PeriodAt(p.Kind, p.From.AddDate(0, 0, -1)) }

// Contains reports whether the period q lies within p (the quarters of a year, say).
func (p Period) Contains(q Period) bool { return !q.From.Before(p.From) && !q.To.After(p.To) }
