package seeds

import (
	"context"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// EnsureDemoReleases gives the national dashboard something to show at the first start of
// the demo: a release of the children's figures of the current month, quarter and year, which
// hold the demo's answers. A period released before (at an earlier start) is left as it is:
// the daily run releases the periods that end later. It returns how many it made.
func EnsureDemoReleases(ctx context.Context, releases *voci.Releases, now time.Time) (int, error) {
	made := 0
	for _, kind := range voci.ReleaseKinds {
		p := voci.PeriodAt(kind, voci.Today(now))
		list, err := releases.Store.ListReleases(ctx, p.ID)
		if err != nil {
			return made, err
		}
		if len(list) > 0 {
			continue
		}
		if _, err := releases.Release(ctx, p); err != nil {
			return made, err
		}
		made++
	}
	return made, nil
}
