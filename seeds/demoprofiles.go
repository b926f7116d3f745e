package seeds

import (
	"context"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// demoChildPopulation is each pilot's child population by age band as the demo declares it:
// rounded orders of magnitude for the size of each place, not official statistics. A real
// municipality types its own on its profile. They let the demo show representativeness.
var demoChildPopulation = map[int][4]int{
	20297: {12000, 4100, 4000, 4200}, // Bacău
	40198: {21000, 7000, 6900, 7100}, // Brașov
	20876: {1800, 610, 590, 620},     // Moinești
	21891: {210, 70, 68, 72},         // Colonești
	21971: {310, 100, 105, 98},       // Corbasca
}

// EnsureDemoProfiles declares the pilots' child populations where their profile declares none,
// so that a population a coordinator typed is never replaced.
func EnsureDemoProfiles(ctx context.Context, store voci.CFCIStore, now time.Time) error {
	for _, p := range Pilots {
		profile, err := store.FindMunicipalityProfile(ctx, p.SIRUTA)
		if err != nil {
			return fmt.Errorf("seeds: the profile of %d: %w", p.SIRUTA, err)
		}
		if len(profile.ChildPopulation) > 0 {
			continue
		}
		counts := demoChildPopulation[p.SIRUTA]
		update := voci.ProfileUpdate{ChildPopulation: map[voci.AgeBand]*int{}, UpdatedAt: now.UTC()}
		for i, band := range voci.AgeBands {
			update.ChildPopulation[band] = &counts[i]
		}
		if err := update.Validate(); err != nil {
			return err
		}
		if _, err := store.UpdateMunicipalityProfile(ctx, p.SIRUTA, update); err != nil {
			return fmt.Errorf("seeds: the profile of %d: %w", p.SIRUTA, err)
		}
	}
	return nil
}
