package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testReleases: versions number themselves per period, also when runs start at once; a
// release is finished once; a hidden cell comes back without a value; the latest published
// version is the one read, a blocked one never.
func testReleases(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	newRelease := func(id, period string, created time.Time) *voci.Release {
		t.Helper()
		r := &voci.Release{ID: id, Period: period, Kind: voci.PeriodMonth, K: 5, CreatedAt: created}
		if err := s.CreateRelease(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r.Status != voci.ReleaseRunning {
			t.Fatalf("created %+v", r)
		}
		return r
	}
	_, err := s.LatestPublishedRelease(ctx, "2026-11")
	wantCode(t, "none published", err, voci.ENOTFOUND)

	r1 := newRelease("rel-1", "2026-11", at)
	other := newRelease("rel-o", "2026-10", at.Add(time.Second))
	if r1.Version != 1 || other.Version != 1 {
		t.Fatalf("first versions %d %d", r1.Version, other.Version)
	}
	wantCode(t, "same ID", s.CreateRelease(ctx, &voci.Release{ID: "rel-1", Period: "2026-11", Kind: voci.PeriodMonth, K: 5, CreatedAt: at}), voci.ECONFLICT)
	cells := []voci.ReleaseCell{
		{Scope: "m:20297", Key: "childrenReached", Value: 23},
		{Scope: "m:20297", Key: "childrenByAge.16_18", Value: 2, Hidden: true},
		{Scope: "c:4", Key: "childrenReached", Value: 26},
		{Scope: "n", Key: "childrenReached", Value: 26},
	}
	if err := s.FinishRelease(ctx, r1.ID, voci.ReleasePublished, "", at.Add(time.Minute), cells); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "finished twice", s.FinishRelease(ctx, r1.ID, voci.ReleaseFailed, "x", at, nil), voci.ECONFLICT)
	wantCode(t, "unknown", s.FinishRelease(ctx, "rel-none", voci.ReleaseFailed, "x", at, nil), voci.ENOTFOUND)

	got, err := s.ReleaseCells(ctx, r1.ID, nil)
	if err != nil || len(got) != 4 {
		t.Fatalf("cells %v %v", got, err)
	}
	for _, c := range got {
		if c.Key == "childrenByAge.16_18" && (!c.Hidden || c.Value != 0) {
			t.Errorf("hidden cell came back as %+v", c)
		}
		if c.Scope == "m:20297" && c.Key == "childrenReached" && (c.Hidden || c.Value != 23) {
			t.Errorf("shown cell came back as %+v", c)
		}
	}
	got, err = s.ReleaseCells(ctx, r1.ID, []string{"c:4", "n"})
	if err != nil || len(got) != 2 {
		t.Fatalf("cells of two scopes %v %v", got, err)
	}

	r2 := newRelease("rel-2", "2026-11", at.Add(2*time.Minute))
	if r2.Version != 2 {
		t.Fatalf("second version %d", r2.Version)
	}
	if err := s.FinishRelease(ctx, r2.ID, voci.ReleaseBlocked, "would change m:20297 childrenReached", at.Add(3*time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	latest, err := s.LatestPublishedRelease(ctx, "2026-11")
	if err != nil || latest.ID != r1.ID || latest.Version != 1 || latest.K != 5 || !latest.FinishedAt.Equal(at.Add(time.Minute)) {
		t.Fatalf("latest published %+v %v", latest, err)
	}
	blocked, err := s.FindRelease(ctx, r2.ID)
	if err != nil || blocked.Status != voci.ReleaseBlocked || blocked.Reason == "" || blocked.Period != "2026-11" || blocked.Kind != voci.PeriodMonth {
		t.Fatalf("blocked %+v %v", blocked, err)
	}
	list, err := s.ListReleases(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []string{"rel-2", "rel-o", "rel-1"}) {
		t.Errorf("newest first: %v", ids)
	}
	if list, _ := s.ListReleases(ctx, "2026-10"); len(list) != 1 || list[0].ID != "rel-o" {
		t.Errorf("one period: %+v", list)
	}

	// Runs started at once get distinct versions.
	var wg sync.WaitGroup
	versions := make([]int, 8)
	for i := range versions {
		wg.Go(func() {
			r := &voci.Release{ID: "rel-c" + string(rune('a'+i)), Period: "2026-Q4", Kind: voci.PeriodQuarter, K: 5, CreatedAt: at}
			if err := s.CreateRelease(ctx, r); err != nil {
				t.Error(err)
			}
			versions[i] = r.Version
		})
	}
	wg.Wait()
	slices.Sort(versions)
	if !slices.Equal(versions, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("concurrent versions %v", versions)
	}
}
