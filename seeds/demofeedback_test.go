package seeds

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

// The demo's recommendations are added once: two on the park consultation, and a closed
// consultation whose answer is overdue.
func TestDemoRecommendations(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	st := demoStore(t, now)
	p := voci.NewParticipation(st, moderation.New(), voci.DefaultK)
	p.Clock = func() time.Time { return now }
	if _, err := EnsureDemoConsultations(ctx, st, p, now); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := EnsureDemoRecommendations(ctx, st, now); err != nil {
			t.Fatal(err)
		}
	}
	f := voci.NewFeedbacks(st, func() time.Time { return now })
	cs, _, err := st.FindConsultations(ctx, voci.ConsultationFilter{Municipality: 20297, Limit: 10})
	if err != nil || len(cs) != 2 {
		t.Fatalf("consultations %d %v", len(cs), err)
	}
	sts, err := f.FeedbackStatuses(ctx, 20297, cs)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		st := sts[c.ID]
		switch c.Title {
		case DemoConsultationTitle:
			if st.Recommendations != 2 || st.Overdue || st.Answered {
				t.Fatalf("park %+v", st)
			}
		case DemoOverdueTitle:
			if st.Recommendations != 1 || !st.Overdue {
				t.Fatalf("school yard %+v", st)
			}
		}
	}
}
