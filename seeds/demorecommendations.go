package seeds

import (
	"context"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// DemoRecommendationTitle names the recommendation the demo's park consultation leads to.
const DemoRecommendationTitle = "Mai multă umbră și bănci la locul de joacă"

// EnsureDemoRecommendations gives the demo's council members something to answer: a
// recommendation drawn from the park consultation of Bacău, addressed to its audience, as the
// review workspace would make it. Nothing is added when Bacău has a recommendation already, or
// when the park consultation is not there.
func EnsureDemoRecommendations(ctx context.Context, store voci.Store, now time.Time) error {
	const bacau = 20297
	existing, err := store.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: bacau})
	if err != nil || len(existing) > 0 {
		return err
	}
	cons, _, err := store.FindConsultations(ctx, voci.ConsultationFilter{Municipality: bacau, Limit: voci.MaxPageSize})
	if err != nil {
		return err
	}
	for _, c := range cons {
		if c.Title != DemoConsultationTitle {
			continue
		}
		coordinator, err := store.FindAccountByEmail(ctx, "coordinator.bacau"+DemoEmailDomain)
		if err != nil {
			return err
		}
		now = now.UTC()
		r := &voci.Recommendation{ID: voci.RandomID(), Municipality: bacau, Source: voci.SourceConsultation, ConsultationID: c.ID,
			Title:        DemoRecommendationTitle,
			Text:         "Copiii cer copaci care să facă umbră lângă locul de joacă și bănci unde să stea cei care îi însoțesc.",
			AudienceBody: c.AudienceBody, Revision: 1, CreatedBy: coordinator.ID, CreatedAt: now, UpdatedAt: now}
		if err := r.Validate(); err != nil {
			return err
		}
		return store.CreateRecommendation(ctx, r, nil)
	}
	return nil
}
