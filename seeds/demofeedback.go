package seeds

import (
	"context"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// DemoOverdueTitle names the demo's closed consultation in Bacău whose answer to the children
// is overdue.
const DemoOverdueTitle = "Curtea școlii"

// EnsureDemoRecommendations gives the demo something to answer: two recommendations on the
// Bacău park consultation, as its reviewers would make them from its themes, and a closed
// consultation about the school yard whose answer-by date has passed with one recommendation
// still unanswered, so that "overdue" shows. The overdue consultation is written to the store
// as it stands weeks later (a consultation cannot be opened with a date already past). Each
// part is added once: a restart adds nothing.
func EnsureDemoRecommendations(ctx context.Context, store voci.Store, now time.Time) error {
	const bacau = 20297
	now = now.UTC()
	existing, _, err := store.FindConsultations(ctx, voci.ConsultationFilter{Municipality: bacau, Limit: voci.MaxPageSize})
	if err != nil {
		return err
	}
	var park, yard *voci.Consultation
	for i := range existing {
		switch existing[i].Title {
		case DemoConsultationTitle:
			park = &existing[i]
		case DemoOverdueTitle:
			yard = &existing[i]
		}
	}
	if park == nil {
		return nil
	}
	council, err := store.FindAccountByEmail(ctx, "council.bacau"+DemoEmailDomain)
	if err != nil {
		return fmt.Errorf("seeds: the demo council member of Bacău: %w", err)
	}
	recommend := func(c *voci.Consultation, at time.Time, title, text string) error {
		r := &voci.Recommendation{ID: voci.RandomID(), Municipality: bacau, Source: voci.SourceConsultation, ConsultationID: c.ID,
			Title: title, Text: text, AudienceBody: c.AudienceBody, Revision: 1, CreatedBy: council.ID, CreatedAt: at, UpdatedAt: at}
		if err := r.Validate(); err != nil {
			return err
		}
		return store.CreateRecommendation(ctx, r, nil)
	}
	recs, err := store.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: bacau, ConsultationID: park.ID})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		if err := recommend(park, now, "Mai multă umbră lângă locul de joacă",
			"Copiii cer copaci și o pergolă lângă leagăne: vara e prea cald ca să se joace."); err != nil {
			return err
		}
		if err := recommend(park, now.Add(time.Second), "Lumină seara pe alei",
			"Copiii spun că seara le e frică pe aleile întunecate și cer stâlpi de iluminat."); err != nil {
			return err
		}
	}
	if yard != nil {
		return nil
	}
	opened := now.AddDate(0, -4, 0)
	yard = &voci.Consultation{ID: voci.RandomID(), Municipality: bacau, Title: DemoOverdueTitle,
		Purpose: "Ce ar trebui să aibă curtea școlii ca să vă placă în pauze?", AudienceBody: "Consiliul Local Bacău",
		AnswerBy: now.AddDate(0, 0, -14), Status: voci.StatusClosed, Modes: []voci.Mode{voci.ModePaper},
		CreatedBy: council.ID, CreatedAt: opened, UpdatedAt: opened}
	if err := yard.Validate(); err != nil {
		return err
	}
	if err := store.CreateConsultation(ctx, yard, nil); err != nil {
		return err
	}
	return recommend(yard, opened.AddDate(0, 1, 0), "Bănci și un coș de baschet în curte",
		"Copiii cer locuri de stat și un coș de baschet, ca să aibă ce face în pauze.")
}
