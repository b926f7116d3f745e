package voci_test

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// TestNationalCountsReusedWhileChildrenAnswer: the activity counts of the current period are
// reused for voci.NationalRefreshAfter while only new records come in (exports made one after
// another count once), counted again after it, and at once after a change to the past.
func TestNationalCountsReusedWhileChildrenAnswer(t *testing.T) {
	ctx := context.Background()
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	st := seededStore(t, now())
	n := voci.NewNational(st, now)
	earlier := now().Add(-time.Minute)
	c := &voci.Consultation{ID: "c-cache", Municipality: 20297, Title: "Our park", Status: voci.StatusOpen,
		Modes: []voci.Mode{voci.ModeLive}, CreatedBy: "acct", CreatedAt: earlier, UpdatedAt: earlier}
	if err := st.CreateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	session := func(id string) {
		t.Helper()
		l := &voci.LiveSession{ID: id, ConsultationID: c.ID, Municipality: 20297, JoinCode: "4" + id[len(id)-5:],
			State: voci.LiveEnded, StartedBy: "acct", StartedAt: earlier}
		if err := st.CreateLiveSession(ctx, l, nil); err != nil {
			t.Fatal(err)
		}
	}
	county := 4
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now()))
	sessions := func() float64 {
		t.Helper()
		rows, _, err := n.Municipalities(ctx, month, voci.NationalFilter{County: county})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Municipality.SIRUTA == 20297 {
				return *r.Indicators[voci.IndSessionsLive].Value
			}
		}
		t.Fatal("no Bacău")
		return 0
	}
	session("s-00001")
	if got := sessions(); got != 1 {
		t.Fatalf("first count: %v", got)
	}
	session("s-00002")
	if got := sessions(); got != 1 {
		t.Fatalf("counted again at once while only a session came in: %v", got)
	}
	clock.Add(int64(voci.NationalRefreshAfter))
	if got := sessions(); got != 2 {
		t.Fatalf("not counted again after %v: %v", voci.NationalRefreshAfter, got)
	}
	// A change to the past (a consultation edited) is counted at once.
	session("s-00003")
	c.Title, c.UpdatedAt = "Our new park", now()
	if err := st.UpdateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	if got := sessions(); got != 3 {
		t.Fatalf("after a change to the past: %v", got)
	}
}

// TestNationalStageLeavesActivityCounted: a stage recorded changes the table at once, and the
// activity counts it holds stand: they do not read stages (a session added meanwhile shows only
// when the counts are read again).
func TestNationalStageLeavesActivityCounted(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	st := seededStore(t, now)
	n := voci.NewNational(st, func() time.Time { return now })
	earlier := now.Add(-time.Minute)
	c := &voci.Consultation{ID: "c-stage", Municipality: 20297, Title: "Our park", Status: voci.StatusOpen,
		Modes: []voci.Mode{voci.ModeLive}, CreatedBy: "acct", CreatedAt: earlier, UpdatedAt: earlier}
	if err := st.CreateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now))
	row := func() voci.MunicipalityIndicators {
		t.Helper()
		rows, _, err := n.Municipalities(ctx, month, voci.NationalFilter{County: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Municipality.SIRUTA == 20297 {
				return r
			}
		}
		t.Fatal("no Bacău")
		return voci.MunicipalityIndicators{}
	}
	before := row()
	l := &voci.LiveSession{ID: "s-stage", ConsultationID: c.ID, Municipality: 20297, JoinCode: "512345", State: voci.LiveEnded, StartedBy: "acct", StartedAt: earlier}
	if err := st.CreateLiveSession(ctx, l, nil); err != nil {
		t.Fatal(err)
	}
	next := voci.StageSituationAnalysis
	if before.Municipality.Stage == next {
		next = voci.StageActionPlanAdopted
	}
	change := &voci.StageChange{ID: "stage-1", Municipality: 20297, Stage: next, Date: voci.Today(now), Note: "Test", RecordedBy: "acct", RecordedAt: now}
	if err := st.RecordStage(ctx, change, before.Municipality.Stage, nil); err != nil {
		t.Fatal(err)
	}
	after := row()
	if after.Municipality.Stage != next {
		t.Fatalf("the stage recorded does not show: %q", after.Municipality.Stage)
	}
	if got, was := *after.Indicators[voci.IndSessionsLive].Value, *before.Indicators[voci.IndSessionsLive].Value; got != was {
		t.Fatalf("a stage recorded counted the activity again: %v sessions, then %v", was, got)
	}
}

// countingReleaseStore is the real store, counting the release cells it reads.
type countingReleaseStore struct {
	voci.Store
	reads atomic.Int64
}

func (s *countingReleaseStore) ReleaseCells(ctx context.Context, id string, scopes []string) ([]voci.ReleaseCell, error) {
	s.reads.Add(1)
	return s.Store.ReleaseCells(ctx, id, scopes)
}

// TestPublishedReleaseCellsAreReadOnce: a published release never changes, so the national
// table computed again (after a stage, a profile) does not read and parse its cells again; a
// new version is read when it is published, and one municipality's page reads from the kept
// cells too.
func TestPublishedReleaseCellsAreReadOnce(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	st := &countingReleaseStore{Store: seededStore(t, now)}
	n := voci.NewNational(st, func() time.Time { return now })
	month, err := voci.ParsePeriod("2026-11", now)
	if err != nil {
		t.Fatal(err)
	}
	publish := func(id string, bacau int) {
		t.Helper()
		rel := &voci.Release{ID: id, Period: "2026-11", Kind: voci.PeriodMonth, K: 5, CreatedAt: now}
		if err := st.CreateRelease(ctx, rel); err != nil {
			t.Fatal(err)
		}
		if err := st.FinishRelease(ctx, id, voci.ReleasePublished, "", now, []voci.ReleaseCell{
			{Scope: voci.MunicipalityScope(20297), Key: voci.IndChildrenReached, Value: bacau},
			{Scope: voci.MunicipalityScope(20297), Key: voci.IndChildrenByAge + "10_12", Hidden: true},
		}); err != nil {
			t.Fatal(err)
		}
	}
	bacau := func() voci.ReportCell {
		t.Helper()
		rows, _, err := n.Municipalities(ctx, month, voci.NationalFilter{County: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Municipality.SIRUTA == 20297 {
				if !r.Indicators[voci.IndChildrenByAge+"10_12"].Hidden {
					t.Fatal("the hidden cell is shown")
				}
				return r.Indicators[voci.IndChildrenReached]
			}
		}
		t.Fatal("no Bacău")
		return voci.ReportCell{}
	}
	publish("rel-a", 40)
	for range 3 {
		if c := bacau(); c.Value == nil || *c.Value != 40 {
			t.Fatalf("Bacău: %+v", c)
		}
	}
	if got := st.reads.Load(); got != 1 {
		t.Fatalf("the release's cells were read %d times, want once", got)
	}
	page, _, err := n.Municipality(ctx, 20297, month)
	if err != nil || *page.Indicators[voci.IndChildrenReached].Value != 40 || st.reads.Load() != 1 {
		t.Fatalf("the page: %+v %v, %d reads", page, err, st.reads.Load())
	}
	// The table computed again reuses each row's cells while its counts, its release and its
	// declared population are the same; a population declared makes them again.
	rowCells := func() map[string]voci.ReportCell {
		t.Helper()
		rows, _, err := n.Municipalities(ctx, month, voci.NationalFilter{County: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Municipality.SIRUTA == 20297 {
				return r.Indicators
			}
		}
		t.Fatal("no Bacău")
		return nil
	}
	before := rowCells()
	if again := rowCells(); reflect.ValueOf(again).UnsafePointer() != reflect.ValueOf(before).UnsafePointer() {
		t.Fatal("the row's cells were made again with nothing changed")
	}
	if _, ok := before[voci.IndRepresentativeness+"10_12"]; ok {
		t.Fatal("representativeness without a declared population")
	}
	thousand := 1000
	if _, err := st.UpdateMunicipalityProfile(ctx, 20297, voci.ProfileUpdate{ChildPopulation: map[voci.AgeBand]*int{voci.Age10to12: &thousand}}); err != nil {
		t.Fatal(err)
	}
	// Its band is hidden in the release, so its ratio is too.
	if after := rowCells(); !after[voci.IndRepresentativeness+"10_12"].Hidden {
		t.Fatalf("a declared population is not read: %+v", after[voci.IndRepresentativeness+"10_12"])
	}

	// A revision is another release: read once, and shown.
	publish("rel-b", 41)
	if c := bacau(); c.Value == nil || *c.Value != 41 {
		t.Fatalf("Bacău after the revision: %+v", c)
	}
	bacau()
	if got := st.reads.Load(); got != 2 {
		t.Fatalf("%d reads after the revision, want 2", got)
	}
}
