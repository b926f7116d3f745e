package voci_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
	"github.com/voci-platform/voci/seeds"
)

// A flood of release requests neither queues a computation per request nor makes a version
// per request: one period is computed once at a time, and only a few periods wait.
func TestReleaseRequestsAreBounded(t *testing.T) {
	ctx := t.Context()
	st := referenceStore(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	// The suppression waits until the test lets it go: the first release stays computing.
	hold := make(chan struct{})
	suppress := func(inner []int, published [][]int32, first []int, insiders [][]int32, k int, forced []int) []bool {
		<-hold
		return make([]bool, len(published))
	}
	r := voci.NewReleases(st, func() time.Time { return now }, 5, suppress, nil)
	period := func(id string) voci.Period {
		p, err := voci.ParsePeriod(id, now)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := r.Start(ctx, period("2026-11")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Start(ctx, period("2026-11")); voci.ErrorCode(err) != voci.ECONFLICT {
		t.Fatalf("the same period again: %v", err)
	}
	for _, id := range []string{"2026-10", "2026-09", "2026-Q3"} {
		if _, err := r.Start(ctx, period(id)); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	if _, err := r.Start(ctx, period("2026-08")); voci.ErrorCode(err) != voci.ERATELIMITED {
		t.Fatalf("a fifth period waiting: %v", err)
	}
	close(hold)
	r.Wait()
	list, err := st.ListReleases(ctx, "2026-11")
	if err != nil || len(list) != 1 || list[0].Status != voci.ReleasePublished {
		t.Fatalf("November's releases: %+v %v", list, err)
	}
	// Once done, the period may be released again.
	if _, err := r.Start(ctx, period("2026-11")); err != nil {
		t.Fatal(err)
	}
	r.Wait()
}

// A revision of unchanged records publishes what the version before published: the cells it
// hid only to protect others stay hidden without needing protection of their own, so no more
// cells are hidden and the revision is not blocked.
func TestARevisionOfUnchangedRecordsIsPublished(t *testing.T) {
	ctx := t.Context()
	st := referenceStore(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	if _, err := seeds.Generate(ctx, st, seeds.GenOptions{Municipalities: 40, Months: 6, Sessions: 240, Answers: 12000, Seed: 3, Now: now, Workers: 8}); err != nil {
		t.Fatal(err)
	}
	r := voci.NewReleases(st, func() time.Time { return now }, 5, httpapi.ReleaseSuppression, nil)
	for _, id := range []string{"2026-10", "2026-Q3"} {
		p, err := voci.ParsePeriod(id, now)
		if err != nil {
			t.Fatal(err)
		}
		first, err := r.Release(ctx, p)
		if err != nil || first.Status != voci.ReleasePublished {
			t.Fatalf("%s: first version %+v %v", id, first, err)
		}
		second, err := r.Release(ctx, p)
		if err != nil || second.Status != voci.ReleasePublished {
			t.Fatalf("%s: a revision of unchanged records %+v %v", id, second, err)
		}
		a, _ := st.ReleaseCells(ctx, first.ID, nil)
		b, _ := st.ReleaseCells(ctx, second.ID, nil)
		hidden := 0
		for _, c := range a {
			if c.Hidden {
				hidden++
			}
		}
		if len(a) != len(b) || hidden == 0 {
			t.Fatalf("%s: %d cells then %d, %d hidden", id, len(a), len(b), hidden)
		}
		// A municipality's public page gives away its total (how many children answered its
		// consultations), so the release never hides a total of k or more to protect
		// another cell: the cells around it were chosen knowing it.
		totals := map[string]int{}
		if err := st.ChildrenReached(ctx, p.Start(), p.End(), func(siruta int, cells []voci.ChildCell) error {
			for _, c := range cells {
				totals[voci.MunicipalityScope(siruta)] += c.Children
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		shown := 0
		for _, c := range a {
			if c.Key != voci.IndChildrenReached || totals[c.Scope] < 5 {
				continue
			}
			if c.Hidden || c.Value != totals[c.Scope] {
				t.Fatalf("%s: %s total %d is %+v", id, c.Scope, totals[c.Scope], c)
			}
			shown++
		}
		if shown == 0 {
			t.Fatalf("%s: no municipality total of 5 or more to check", id)
		}
	}
}

// The activity counts national pages read are kept between requests, and a new session of
// the current period shows at the first request voci.NationalRefreshAfter after the counts
// were read (TestNationalCountsReusedWhileChildrenAnswer: sooner, they are reused).
func TestNationalActivityShowsEveryWrite(t *testing.T) {
	ctx := t.Context()
	st := referenceStore(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	n := voci.NewNational(st, func() time.Time { return now })
	p, err := voci.ParsePeriod("2026-12", now)
	if err != nil {
		t.Fatal(err)
	}
	page := func(siruta int) float64 {
		t.Helper()
		m, _, err := n.Municipality(ctx, siruta, p)
		if err != nil {
			t.Fatal(err)
		}
		c := m.Indicators[voci.IndSessionsLive]
		if c.Value == nil {
			t.Fatalf("no live sessions cell: %+v", c)
		}
		return *c.Value
	}
	table := func() float64 {
		t.Helper()
		rows, _, err := n.Municipalities(ctx, p, voci.NationalFilter{County: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Municipality.SIRUTA == 20297 {
				return *r.Indicators[voci.IndSessionsLive].Value
			}
		}
		t.Fatal("Bacău is not in the table")
		return 0
	}
	// The page reads its own counts, or takes them from the country's once the table has read
	// those: each way, the same number, and a write shows at once.
	sessions := func() float64 {
		t.Helper()
		alone := page(20297)
		if other := page(40198); other != 0 {
			t.Fatalf("Brașov's page counts %v sessions", other)
		}
		if inTable := table(); inTable != alone {
			t.Fatalf("the page says %v, the table %v", alone, inTable)
		}
		if fromTable := page(20297); fromTable != alone {
			t.Fatalf("the page says %v, then %v", alone, fromTable)
		}
		return alone
	}
	c := &voci.Consultation{ID: "c-1", Municipality: 20297, Title: "Parcul nostru", Status: voci.StatusDraft, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if got := sessions(); got != float64(i) {
			t.Fatalf("after %d sessions the page says %v", i, got)
		}
		if got := sessions(); got != float64(i) {
			t.Fatalf("read again: %v", got)
		}
		s := &voci.LiveSession{ID: fmt.Sprint("session-", i), ConsultationID: "c-1", Municipality: 20297, JoinCode: fmt.Sprintf("%06d", i),
			State: voci.LiveEnded, StartedAt: now.Add(-time.Hour), EndedAt: now}
		if err := st.CreateLiveSession(ctx, s, nil); err != nil {
			t.Fatal(err)
		}
		now = now.Add(voci.NationalRefreshAfter)
	}
}

// referenceStore is a real SQLite file holding Romania's counties and municipalities, closed
// when the test ends.
func referenceStore(t *testing.T) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := seeds.LoadReferenceData(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	return st
}
