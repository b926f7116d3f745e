package voci_test

import (
	"context"
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
