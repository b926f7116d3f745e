package seeds

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/gausssup"
	"github.com/voci-platform/voci/internal/voci"
)

// The demo's first start releases the children's figures of its month, quarter and year, so
// the national dashboard has Bacău's paper forms in it; a second start releases nothing more.
func TestDemoReleases(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := demoStore(t, now)
	if _, err := EnsureDemoAnswered(ctx, demoLoop(st, now), now); err != nil {
		t.Fatal(err)
	}
	// The suppression the server's releases go through: a revision keeps hidden what the
	// version before it hid.
	suppress := func(inner []int, published [][]int32, first []int, insiders [][]int32, k int, hiddenBefore []int) []bool {
		return gausssup.SuppressKeeping(gausssup.Table{Inner: inner, Published: published, First: first, Insiders: insiders}, k, nil, hiddenBefore)
	}
	releases := voci.NewReleases(st, clock, voci.DefaultK, suppress, nil)
	made, err := EnsureDemoReleases(ctx, releases, now)
	if err != nil || made != 3 {
		t.Fatalf("first start made %d releases (%v)", made, err)
	}
	if made, err := EnsureDemoReleases(ctx, releases, now.Add(time.Hour)); err != nil || made != 0 {
		t.Fatalf("second start made %d releases (%v)", made, err)
	}
	for _, period := range []string{"2026-11", "2026-Q4", "2026"} {
		rel, err := st.LatestPublishedRelease(ctx, period)
		if err != nil {
			t.Fatalf("%s: %v", period, err)
		}
		cells, err := st.ReleaseCells(ctx, rel.ID, []string{voci.MunicipalityScope(20297)})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range cells {
			if c.Key == voci.IndChildrenReached {
				found = true
				if !c.Hidden && c.Value < voci.DefaultK {
					t.Errorf("%s: Bacău's children %+v", period, c)
				}
			}
		}
		if !found {
			t.Errorf("%s: Bacău's children are not in the release", period)
		}
	}
}
