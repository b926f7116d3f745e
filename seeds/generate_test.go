package seeds

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

// A small generated history has what national reporting needs: enrolled municipalities at
// several stages, declared child populations, sessions of a few children in communes and
// of a class in towns, group facts, and answers near the target. One seed gives one history.
func TestGenerate(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	o := GenOptions{Municipalities: 12, Months: 6, Sessions: 60, Answers: 4000, Seed: 7, Now: now, Workers: 8}
	first, st := generateInto(t, o)
	second, _ := generateInto(t, o)
	if first != second {
		t.Fatalf("one seed gave two histories: %+v and %+v", first, second)
	}
	if first.Municipalities != 12 || first.LiveSessions < 54 || first.Consultations < 12 {
		t.Fatalf("stats %+v", first)
	}
	if first.Answers < 2000 || first.Answers > 8000 {
		t.Fatalf("%d answers, want about 4000", first.Answers)
	}
	enrolled := true
	ms, total, err := st.FindMunicipalities(t.Context(), voci.MunicipalityFilter{Enrolled: &enrolled, Limit: voci.MaxPageSize})
	if err != nil || total != 12 {
		t.Fatalf("enrolled %d, %v", total, err)
	}
	stages := map[voci.Stage]bool{}
	for _, m := range ms {
		stages[m.Stage] = true
		if m.Stage == voci.StageNone {
			t.Fatalf("%s enrolled without a stage", m.Name)
		}
	}
	if len(stages) < 3 {
		t.Errorf("every municipality at %d stages; want a spread", len(stages))
	}
	colonesti, err := st.FindMunicipalityBySIRUTA(t.Context(), 21891)
	if err != nil || colonesti.Stage != voci.StageSituationAnalysis {
		t.Fatalf("Colonești at %v (%v), want situation analysis", colonesti, err)
	}
	profile, err := st.FindMunicipalityProfile(t.Context(), 21891)
	if err != nil || len(profile.ChildPopulation) != len(voci.AgeBands) {
		t.Fatalf("Colonești's profile %+v, %v", profile, err)
	}

	// A commune's sessions have a handful of children; a town's more.
	cs, _, err := st.FindConsultations(t.Context(), voci.ConsultationFilter{Municipality: 21891, Limit: voci.MaxPageSize})
	if err != nil || len(cs) == 0 {
		t.Fatalf("Colonești's consultations: %d, %v", len(cs), err)
	}
	sessions, err := st.ListLiveSessions(t.Context(), cs[0].ID)
	if err != nil || len(sessions) == 0 {
		t.Fatalf("sessions: %v", err)
	}
	n, err := st.CountParticipants(t.Context(), sessions[0].ID)
	if err != nil || n < 1 || n > 10 {
		t.Fatalf("a Colonești session has %d children (%v); want a handful", n, err)
	}
	if _, err := st.FindGroupFacts(t.Context(), sessions[0].ID); err != nil {
		t.Fatalf("group facts: %v", err)
	}
}

func generateInto(t *testing.T, o GenOptions) (GenStats, *sqlitestore.Store) {
	t.Helper()
	st := referenceStore(t)
	stats, err := Generate(t.Context(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	return stats, st
}
