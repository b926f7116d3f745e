package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// day is a calendar day as the domain keeps it: midnight UTC.
func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func stageChange(id string, siruta int, stage voci.Stage, date string, recordedAt time.Time) *voci.StageChange {
	return &voci.StageChange{
		ID: id, Municipality: siruta, Stage: stage, Date: day(date), RecordedAt: recordedAt,
		RecordedBy: "acc-admin", RecordedByEmail: "admin@voci.ro",
		Note: "Memorandumul semnat de primar și de UNICEF.\nȘedința din " + date,
	}
}

func sameStageChange(t *testing.T, what string, got, want voci.StageChange) {
	t.Helper()
	if got.ID != want.ID || got.Municipality != want.Municipality || got.Stage != want.Stage ||
		got.RecordedBy != want.RecordedBy || got.RecordedByEmail != want.RecordedByEmail || got.Note != want.Note {
		t.Errorf("%s: got %+v, want %+v", what, got, want)
	}
	if !got.Date.Equal(want.Date) || got.Date.Location() != time.UTC {
		t.Errorf("%s: date %v, want %v at midnight UTC", what, got.Date, want.Date)
	}
	if !got.RecordedAt.Equal(want.RecordedAt) || got.RecordedAt.Location() != time.UTC {
		t.Errorf("%s: recorded at %v, want %v in UTC", what, got.RecordedAt, want.RecordedAt)
	}
}

func municipality(t *testing.T, s voci.Store, siruta int) *voci.Municipality {
	t.Helper()
	m, err := s.FindMunicipalityBySIRUTA(t.Context(), siruta)
	if err != nil {
		t.Fatalf("FindMunicipalityBySIRUTA(%d): %v", siruta, err)
	}
	return m
}

// A stage change is appended to the history and becomes the current stage, with the enrolled
// flag, in one step; pausing un-enrols without deleting anything.
func testRecordStage(t *testing.T, s voci.Store) {
	seed(t, s)
	ctx := t.Context()
	at := time.Date(2025, 10, 6, 9, 15, 0, 250_000_000, bucharest)

	if m := municipality(t, s, 21891); m.Stage != voci.StageNone || !m.StageSince.IsZero() || m.Enrolled {
		t.Fatalf("before enrolment Colonești = %+v; want no stage", m)
	}
	history, err := s.ListStageHistory(ctx, 21891)
	if err != nil || len(history) != 0 {
		t.Fatalf("ListStageHistory before enrolment = %v, %v; want none", history, err)
	}

	steps := []*voci.StageChange{
		stageChange("st-1", 21891, voci.StageMemorandumSigned, "2025-09-30", at),
		stageChange("st-2", 21891, voci.StageSituationAnalysis, "2025-10-01", at.Add(time.Hour)),
		stageChange("st-3", 21891, voci.StagePaused, "2025-10-01", at.Add(2*time.Hour)),
	}
	steps[2].RecordedBy, steps[2].RecordedByEmail, steps[2].Note = "", "", ""
	from := voci.StageNone
	for _, c := range steps {
		if err := s.RecordStage(ctx, c, from, nil); err != nil {
			t.Fatalf("RecordStage(%s from %q): %v", c.Stage, from, err)
		}
		m := municipality(t, s, 21891)
		if m.Stage != c.Stage || !m.StageSince.Equal(c.Date) || m.StageSince.Location() != time.UTC || m.Enrolled != (c.Stage != voci.StagePaused) {
			t.Fatalf("after %s: %+v", c.Stage, m)
		}
		from = c.Stage
	}
	// The listing sees the stage too, and the paused municipality is not enrolled.
	codes, _ := find(t, s, voci.MunicipalityFilter{Query: "colonesti"})
	if !slices.Equal(codes, []int{21891, 126228}) {
		t.Fatalf("search colonesti = %v", codes)
	}
	page, _, err := s.FindMunicipalities(ctx, voci.MunicipalityFilter{Query: "colonesti", Limit: 10})
	if err != nil || page[0].Stage != voci.StagePaused || page[0].Enrolled || page[1].Stage != voci.StageNone {
		t.Fatalf("listing = %+v, %v", page, err)
	}

	history, err = s.ListStageHistory(ctx, 21891)
	if err != nil || len(history) != 3 {
		t.Fatalf("ListStageHistory = %d entries, %v; want 3", len(history), err)
	}
	for i, want := range []*voci.StageChange{steps[2], steps[1], steps[0]} {
		sameStageChange(t, fmt.Sprintf("history[%d]", i), history[i], *want)
	}
	// The other Colonești is a different municipality.
	if other, err := s.ListStageHistory(ctx, 126228); err != nil || len(other) != 0 {
		t.Fatalf("history of Colonești (Olt) = %v, %v; want none", other, err)
	}

	// Re-enrolment after a pause goes on with the same history.
	if err := s.RecordStage(ctx, stageChange("st-4", 21891, voci.StageSituationAnalysis, "2025-10-02", at.Add(3*time.Hour)), voci.StagePaused, nil); err != nil {
		t.Fatalf("RecordStage after a pause: %v", err)
	}
	if m := municipality(t, s, 21891); !m.Enrolled || m.Stage != voci.StageSituationAnalysis {
		t.Fatalf("after resuming: %+v", m)
	}
}

func testRecordStageConflicts(t *testing.T, s voci.Store) {
	seed(t, s)
	ctx := t.Context()
	at := time.Date(2025, 10, 6, 9, 0, 0, 0, time.UTC)

	wantCode(t, "RecordStage(unknown municipality)",
		s.RecordStage(ctx, stageChange("st-x", 999999, voci.StageInterested, "2025-10-01", at), voci.StageNone, nil), voci.ENOTFOUND)
	_, err := s.ListStageHistory(ctx, 999999)
	wantCode(t, "ListStageHistory(unknown municipality)", err, voci.ENOTFOUND)

	if err := s.RecordStage(ctx, stageChange("st-1", 40198, voci.StageInterested, "2025-10-01", at), voci.StageNone, nil); err != nil {
		t.Fatalf("RecordStage: %v", err)
	}
	// Read before someone else's change: refused, and nothing is written.
	wantCode(t, "RecordStage from a stale stage",
		s.RecordStage(ctx, stageChange("st-2", 40198, voci.StageMemorandumSigned, "2025-10-02", at), voci.StageNone, nil), voci.ECONFLICT)
	wantCode(t, "RecordStage with a taken ID",
		s.RecordStage(ctx, stageChange("st-1", 40198, voci.StageMemorandumSigned, "2025-10-02", at), voci.StageInterested, nil), voci.ECONFLICT)
	history, err := s.ListStageHistory(ctx, 40198)
	if err != nil || len(history) != 1 || history[0].ID != "st-1" {
		t.Fatalf("history after refused changes = %+v, %v; want only st-1", history, err)
	}
	if m := municipality(t, s, 40198); m.Stage != voci.StageInterested || !m.Enrolled {
		t.Fatalf("after refused changes: %+v", m)
	}
}

// Of several people recording a stage from the same reading at once, exactly one wins.
func testConcurrentRecordStage(t *testing.T, s voci.Store) {
	seed(t, s)
	const n = 8
	at := time.Date(2025, 10, 6, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.RecordStage(t.Context(), stageChange(fmt.Sprintf("st-%d", i), 21971, voci.StageMemorandumSigned, "2025-10-01", at), voci.StageNone, nil)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch voci.ErrorCode(err) {
		case "":
			won++
		case voci.ECONFLICT:
		default:
			t.Fatalf("RecordStage: %v", err)
		}
	}
	history, err := s.ListStageHistory(t.Context(), 21971)
	if won != 1 || err != nil || len(history) != 1 {
		t.Fatalf("%d of %d concurrent changes won, history %d entries (%v); want exactly one", won, n, len(history), err)
	}
}

// A re-seed leaves the stage, its history and the profile alone.
func testSeedKeepsStageAndProfile(t *testing.T, s voci.Store) {
	seed(t, s)
	ctx := t.Context()
	at := time.Date(2025, 10, 6, 9, 0, 0, 0, time.UTC)
	if err := s.RecordStage(ctx, stageChange("st-1", 20297, voci.StagePaused, "2025-10-01", at), voci.StageNone, nil); err != nil {
		t.Fatalf("RecordStage: %v", err)
	}
	if _, err := s.UpdateMunicipalityProfile(ctx, 20297, voci.ProfileUpdate{FeedbackDeadlineDays: ptr(30), UpdatedAt: at, UpdatedBy: "acc-1"}); err != nil {
		t.Fatalf("UpdateMunicipalityProfile: %v", err)
	}
	munis := fixtureMunicipalities()
	for i := range munis {
		munis[i].Enrolled = true
	}
	if added, err := s.SeedReferenceData(ctx, fixtureCounties(), munis); err != nil || added != 0 {
		t.Fatalf("re-seed: added %d, %v", added, err)
	}
	if m := municipality(t, s, 20297); m.Stage != voci.StagePaused || m.Enrolled || !m.StageSince.Equal(day("2025-10-01")) {
		t.Fatalf("after re-seed Bacău = %+v; want still paused", m)
	}
	history, err := s.ListStageHistory(ctx, 20297)
	p, err2 := s.FindMunicipalityProfile(ctx, 20297)
	if err != nil || err2 != nil || len(history) != 1 || p.FeedbackDeadlineDays != 30 {
		t.Fatalf("after re-seed: history %v (%v), profile %+v (%v)", history, err, p, err2)
	}
}

func sameProfile(t *testing.T, what string, got, want *voci.MunicipalityProfile) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: nil profile", what)
	}
	samePopulation := len(got.ChildPopulation) == len(want.ChildPopulation)
	for b, n := range want.ChildPopulation {
		if m, ok := got.ChildPopulation[b]; !ok || m != n {
			samePopulation = false
		}
	}
	if got.Municipality != want.Municipality || !samePopulation || got.SafeguardingLead != want.SafeguardingLead ||
		got.FeedbackDeadlineDays != want.FeedbackDeadlineDays || got.UpdatedBy != want.UpdatedBy {
		t.Errorf("%s: got %+v, want %+v", what, *got, *want)
	}
	if !got.UpdatedAt.Equal(want.UpdatedAt) || (!got.UpdatedAt.IsZero() && got.UpdatedAt.Location() != time.UTC) {
		t.Errorf("%s: updated at %v, want %v in UTC", what, got.UpdatedAt, want.UpdatedAt)
	}
}

func testMunicipalityProfile(t *testing.T, s voci.Store) {
	seed(t, s)
	ctx := t.Context()
	_, err := s.FindMunicipalityProfile(ctx, 999999)
	wantCode(t, "FindMunicipalityProfile(unknown)", err, voci.ENOTFOUND)
	_, err = s.UpdateMunicipalityProfile(ctx, 999999, voci.ProfileUpdate{FeedbackDeadlineDays: ptr(30), UpdatedAt: time.Now()})
	wantCode(t, "UpdateMunicipalityProfile(unknown)", err, voci.ENOTFOUND)

	p, err := s.FindMunicipalityProfile(ctx, 20876)
	if err != nil {
		t.Fatalf("FindMunicipalityProfile: %v", err)
	}
	sameProfile(t, "nothing recorded", p, voci.NewMunicipalityProfile(20876))

	at := time.Date(2025, 10, 6, 9, 30, 0, 125_000_000, bucharest)
	lead := voci.Contact{Name: "Elena Ionescu-Bălan", Phone: "+40 234 123 456", Email: "protectia.copilului@moinesti.ro"}
	want := voci.NewMunicipalityProfile(20876)
	steps := []struct {
		name string
		upd  voci.ProfileUpdate
		want func(p *voci.MunicipalityProfile)
	}{
		{"population and lead", voci.ProfileUpdate{
			ChildPopulation:  map[voci.AgeBand]*int{voci.AgeUnder10: ptr(2140), voci.Age10to12: ptr(0), voci.Age16to18: ptr(905)},
			SafeguardingLead: &lead, UpdatedAt: at, UpdatedBy: "acc-coord",
		}, func(p *voci.MunicipalityProfile) {
			p.ChildPopulation = map[voci.AgeBand]int{voci.AgeUnder10: 2140, voci.Age10to12: 0, voci.Age16to18: 905}
			p.SafeguardingLead = lead
		}},
		{"deadline only keeps the rest", voci.ProfileUpdate{FeedbackDeadlineDays: ptr(45), UpdatedAt: at.Add(time.Minute), UpdatedBy: "acc-admin"},
			func(p *voci.MunicipalityProfile) { p.FeedbackDeadlineDays = 45 }},
		{"one band changed, one forgotten", voci.ProfileUpdate{
			ChildPopulation: map[voci.AgeBand]*int{voci.Age10to12: ptr(760), voci.Age16to18: nil}, UpdatedAt: at.Add(2 * time.Minute), UpdatedBy: "acc-coord",
		}, func(p *voci.MunicipalityProfile) {
			p.ChildPopulation = map[voci.AgeBand]int{voci.AgeUnder10: 2140, voci.Age10to12: 760}
		}},
		{"lead removed", voci.ProfileUpdate{SafeguardingLead: &voci.Contact{}, UpdatedAt: at.Add(3 * time.Minute), UpdatedBy: "acc-coord"},
			func(p *voci.MunicipalityProfile) { p.SafeguardingLead = voci.Contact{} }},
	}
	for _, step := range steps {
		step.want(want)
		want.UpdatedAt, want.UpdatedBy = step.upd.UpdatedAt, step.upd.UpdatedBy
		got, err := s.UpdateMunicipalityProfile(ctx, 20876, step.upd)
		if err != nil {
			t.Fatalf("%s: UpdateMunicipalityProfile: %v", step.name, err)
		}
		sameProfile(t, step.name+" (returned)", got, want)
		got, err = s.FindMunicipalityProfile(ctx, 20876)
		if err != nil {
			t.Fatalf("%s: FindMunicipalityProfile: %v", step.name, err)
		}
		sameProfile(t, step.name+" (read back)", got, want)
	}
	// Another municipality's profile is untouched.
	other, err := s.FindMunicipalityProfile(ctx, 20297)
	if err != nil {
		t.Fatalf("FindMunicipalityProfile: %v", err)
	}
	sameProfile(t, "another municipality", other, voci.NewMunicipalityProfile(20297))
}

// Two people changing different fields of one profile at once both keep their change.
func testConcurrentProfileUpdates(t *testing.T, s voci.Store) {
	seed(t, s)
	const rounds = 10
	at := time.Date(2025, 10, 6, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds)
	for i := range rounds {
		wg.Go(func() {
			_, err := s.UpdateMunicipalityProfile(t.Context(), 21971, voci.ProfileUpdate{
				ChildPopulation: map[voci.AgeBand]*int{voci.AgeBand(voci.AgeBands[i%len(voci.AgeBands)]): ptr(100 + i)}, UpdatedAt: at,
			})
			errs <- err
		})
		wg.Go(func() {
			_, err := s.UpdateMunicipalityProfile(t.Context(), 21971, voci.ProfileUpdate{FeedbackDeadlineDays: ptr(20 + i), UpdatedAt: at})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("UpdateMunicipalityProfile: %v", err)
		}
	}
	p, err := s.FindMunicipalityProfile(t.Context(), 21971)
	if err != nil {
		t.Fatalf("FindMunicipalityProfile: %v", err)
	}
	if len(p.ChildPopulation) != len(voci.AgeBands) || p.FeedbackDeadlineDays < 20 || p.FeedbackDeadlineDays >= 20+rounds {
		t.Fatalf("after concurrent updates: %+v; want every band and a deadline set", p)
	}
}

// FindAudit normalizes its filter, so a malformed one is refused rather than run.
func testAuditFilterIsNormalized(t *testing.T, s voci.Store) {
	as := auditStore(t, s)
	from := time.Date(2025, 10, 6, 12, 0, 0, 0, time.UTC)
	until := from.Add(-time.Hour)
	for _, f := range []voci.AuditFilter{
		{Limit: 10, Action: "municipality.stage; drop"},
		{Limit: 10, Municipalities: []int{0}},
		{Limit: 10, From: &from, Until: &until},
	} {
		_, _, err := as.FindAudit(t.Context(), f)
		wantCode(t, fmt.Sprintf("FindAudit(%+v)", f), err, voci.EINVALID)
	}
	for i, e := range fixtureAudit() {
		if err := as.AppendAudit(t.Context(), &e); err != nil {
			t.Fatalf("AppendAudit(%d): %v", i, err)
		}
	}
	// Repeated municipalities count once.
	_, total, err := as.FindAudit(t.Context(), voci.AuditFilter{Limit: 10, Municipalities: []int{40198, 40198, 40198}})
	if err != nil || total != 3 {
		t.Fatalf("FindAudit with repeated municipalities: total %d, %v; want 3", total, err)
	}
}
