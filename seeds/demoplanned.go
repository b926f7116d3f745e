package seeds

import (
	"context"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// EnsureDemoPlannedSessions plans two live sessions of Bacău's park consultation for the next
// days, so that the facilitator's and the coordinator's start pages have something ahead: one
// tomorrow at 10:00 (Romania's time) run by the demo facilitator, one the day after at 12:30
// run by the demo coordinator. It runs at every start and adds nothing while Bacău has a
// planned session still to come, nor when the park consultation is not there or is closed.
func EnsureDemoPlannedSessions(ctx context.Context, store voci.Store, p *voci.Participation, now time.Time) (int, error) {
	const bacau = 20297
	upcoming, err := store.FindUpcomingPlannedSessions(ctx, bacau, now, 1)
	if err != nil || len(upcoming) > 0 {
		return 0, err
	}
	existing, _, err := store.FindConsultations(ctx, voci.ConsultationFilter{Municipality: bacau, Status: voci.StatusOpen, Limit: voci.MaxPageSize})
	if err != nil {
		return 0, err
	}
	var park *voci.Consultation
	for i := range existing {
		if existing[i].Title == DemoConsultationTitle {
			park = &existing[i]
		}
	}
	if park == nil {
		return 0, nil
	}
	facilitator, err := store.FindAccountByEmail(ctx, "facilitator.bacau"+DemoEmailDomain)
	if err != nil {
		return 0, fmt.Errorf("seeds: the demo facilitator of Bacău: %w", err)
	}
	coordinator, err := store.FindAccountByEmail(ctx, "coordinator.bacau"+DemoEmailDomain)
	if err != nil {
		return 0, fmt.Errorf("seeds: the demo coordinator of Bacău: %w", err)
	}
	day := func(days int, clock string) string {
		return voci.RomanianDayStart(now).AddDate(0, 0, days).Add(12*time.Hour).Format("2006-01-02") + "T" + clock
	}
	plans := []voci.PlannedSessionInput{
		{Start: day(1, "10:00"), Minutes: 50, Group: "Clasa a VI-a B, Școala Gimnazială nr. 5", Place: "Centrul comunitar din cartierul Mioriței", FacilitatorID: facilitator.ID},
		{Start: day(2, "12:30"), Minutes: 45, Group: "Consiliul elevilor, Colegiul Național nr. 2", Place: "Sala mică a Primăriei Bacău", FacilitatorID: coordinator.ID},
	}
	for _, in := range plans {
		if _, err := p.PlanSession(ctx, park, coordinator.ID, in, nil); err != nil {
			return 0, fmt.Errorf("seeds: a demo planned session: %w", err)
		}
	}
	return len(plans), nil
}
