package voci_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
	"github.com/voci-platform/voci/seeds"
)

// A flood of release requests neither queues a computation per request nor makes a version
// per request: one period is computed once at a time, and only a few periods wait.
func TestReleaseRequestsAreBounded(t *testing.T) {
	ctx := t.Context()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := seeds.LoadReferenceData(ctx, st); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	// The suppression waits until the test lets it go: the first release stays computing.
	hold := make(chan struct{})
	suppress := func(inner []int, published [][]int32, k int, forced []int) []bool {
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
