package seeds

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

func TestReferenceData(t *testing.T) {
	counties, err := Counties()
	if err != nil {
		t.Fatal(err)
	}
	if len(counties) != 42 {
		t.Fatalf("%d counties; Romania has 41 and Bucharest", len(counties))
	}
	munis, err := Municipalities(counties)
	if err != nil {
		t.Fatal(err)
	}
	if len(munis) != 3181 {
		t.Fatalf("%d administrative units; SIRUTA has 3,181", len(munis))
	}
	bySIRUTA := map[int]voci.Municipality{}
	kinds := map[voci.MunicipalityKind]int{}
	for _, m := range munis {
		if _, dup := bySIRUTA[m.SIRUTA]; dup {
			t.Fatalf("SIRUTA %d twice", m.SIRUTA)
		}
		bySIRUTA[m.SIRUTA] = m
		kinds[m.Kind]++
	}
	if kinds[voci.KindMunicipality] != 103 || kinds[voci.KindTown] != 216 || kinds[voci.KindCommune] != 2862 {
		t.Errorf("kinds %v; want 103 municipalities, 216 towns, 2862 communes", kinds)
	}
	want := []voci.Municipality{
		{SIRUTA: 20297, Name: "Bacău", Kind: voci.KindMunicipality, Urban: true, CountyCode: 4, CountyName: "Bacău", Enrolled: true},
		{SIRUTA: 40198, Name: "Brașov", Kind: voci.KindMunicipality, Urban: true, CountyCode: 8, CountyName: "Brașov", Enrolled: true},
		{SIRUTA: 20876, Name: "Moinești", Kind: voci.KindMunicipality, Urban: true, CountyCode: 4, CountyName: "Bacău", Enrolled: true},
		{SIRUTA: 21891, Name: "Colonești", Kind: voci.KindCommune, Urban: false, CountyCode: 4, CountyName: "Bacău", Enrolled: true},
		{SIRUTA: 21971, Name: "Corbasca", Kind: voci.KindCommune, Urban: false, CountyCode: 4, CountyName: "Bacău", Enrolled: true},
		{SIRUTA: 126228, Name: "Colonești", Kind: voci.KindCommune, Urban: false, CountyCode: 28, CountyName: "Olt"},
		{SIRUTA: 179132, Name: "București", Kind: voci.KindMunicipality, Urban: true, CountyCode: 40, CountyName: "București"},
	}
	for _, w := range want {
		if got := bySIRUTA[w.SIRUTA]; got != w {
			t.Errorf("SIRUTA %d = %+v; want %+v", w.SIRUTA, got, w)
		}
	}
	enrolled := 0
	for _, m := range munis {
		if m.Enrolled {
			enrolled++
		}
	}
	if enrolled != len(Pilots) {
		t.Errorf("%d enrolled; want the %d pilots", enrolled, len(Pilots))
	}
}

func TestDemoAccountsCoverEveryRole(t *testing.T) {
	accounts := DemoAccounts(func(int) string { return "X" })
	if len(accounts) != 2+4*len(Pilots) {
		t.Fatalf("%d demo accounts", len(accounts))
	}
	roles := map[voci.Role]int{}
	for _, a := range accounts {
		if err := a.Role.Validate(); err != nil {
			t.Errorf("%s: %v", a.Email, err)
		}
		roles[a.Role.Role]++
	}
	for _, r := range voci.Roles {
		if roles[r] == 0 {
			t.Errorf("no demo account holds %s", r)
		}
	}
	if accounts[2].Email != "coordinator.bacau@demo.voci.ro" {
		t.Errorf("third account %s", accounts[2].Email)
	}
}

func TestEnsurePilotStagesIsIdempotent(t *testing.T) {
	ctx := t.Context()
	st := referenceStore(t)
	now := time.Date(2025, 10, 5, 22, 30, 0, 0, time.UTC) // already 6 October in Romania
	if n, err := EnsurePilotStages(ctx, st, now, voci.RandomID); err != nil || n != len(Pilots) {
		t.Fatalf("first run: %d, %v", n, err)
	}
	// An admin pauses Corbasca; a re-seed must neither resume it nor add history.
	if err := st.RecordStage(ctx, &voci.StageChange{ID: "pause", Municipality: 21971, Stage: voci.StagePaused,
		Date: voci.Today(now), RecordedAt: now, RecordedBy: "acc-admin"}, PilotStage, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadReferenceData(ctx, st); err != nil {
		t.Fatal(err)
	}
	if n, err := EnsurePilotStages(ctx, st, now.Add(48*time.Hour), voci.RandomID); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v", n, err)
	}
	for _, p := range Pilots {
		m, _ := st.FindMunicipalityBySIRUTA(ctx, p.SIRUTA)
		history, _ := st.ListStageHistory(ctx, p.SIRUTA)
		want, wantLen := PilotStage, 1
		if p.SIRUTA == 21971 {
			want, wantLen = voci.StagePaused, 2
		}
		if m.Stage != want || len(history) != wantLen || voci.FormatDate(history[len(history)-1].Date) != "2025-10-06" {
			t.Errorf("%s: stage %s, %d entries %+v", p.Place, m.Stage, len(history), history)
		}
	}
}

// The demo declares the pilots' child populations once, and never replaces one a
// coordinator typed.
func TestDemoProfilesKeepWhatWasTyped(t *testing.T) {
	ctx := t.Context()
	st := referenceStore(t)
	typed := 333
	if _, err := st.UpdateMunicipalityProfile(ctx, 21971, voci.ProfileUpdate{ChildPopulation: map[voci.AgeBand]*int{voci.Age10to12: &typed}, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := EnsureDemoProfiles(ctx, st, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	bacau, _ := st.FindMunicipalityProfile(ctx, 20297)
	if len(bacau.ChildPopulation) != len(voci.AgeBands) || bacau.ChildPopulation[voci.AgeUnder10] != 12000 {
		t.Fatalf("Bacău's population %+v", bacau.ChildPopulation)
	}
	corbasca, _ := st.FindMunicipalityProfile(ctx, 21971)
	if len(corbasca.ChildPopulation) != 1 || corbasca.ChildPopulation[voci.Age10to12] != typed {
		t.Fatalf("Corbasca's typed population was replaced: %+v", corbasca.ChildPopulation)
	}
}
