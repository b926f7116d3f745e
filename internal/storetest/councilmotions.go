package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testMotionRecommendationsOnce: a council motion is one recommendation. The same ID twice, or
// another ID for the same motion (municipality, source and reference), is ECONFLICT, also when
// eight writers race; consultations' recommendations, which carry no reference, are not
// limited; a list narrows to a source.
func testMotionRecommendationsOnce(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	ref := voci.MotionSourceRef("meeting-1", "M-2026-1")
	rec := func(id string, municipality int) *voci.Recommendation {
		return &voci.Recommendation{ID: id, Municipality: municipality, Source: voci.SourceCouncilMotion, SourceRef: ref,
			Title: "Bănci noi în parc", Text: "Zece bănci.", AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "co-1",
			CreatedAt: at, UpdatedAt: at}
	}
	id := voci.MotionRecommendationID("meeting-1", "M-2026-1")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CreateRecommendation(ctx, rec(id, 20297), nil)
		}()
	}
	wg.Wait()
	stored := 0
	for _, err := range errs {
		if err == nil {
			stored++
		} else {
			wantCode(t, "a racing send", err, voci.ECONFLICT)
		}
	}
	if stored != 1 {
		t.Fatalf("%d of 8 racing sends stored", stored)
	}
	wantCode(t, "the same motion under another ID", s.CreateRecommendation(ctx, rec("rec-other-id", 20297), nil), voci.ECONFLICT)
	if err := s.CreateRecommendation(ctx, rec("rec-elsewhere", 40198), nil); err != nil {
		t.Fatalf("the same reference in another municipality: %v", err)
	}
	for _, cid := range []string{"rec-c1", "rec-c2"} {
		c := &voci.Recommendation{ID: cid, Municipality: 20297, Source: voci.SourceConsultation, ConsultationID: "cons-m",
			Title: "Mai multă umbră", AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "cm-1", CreatedAt: at, UpdatedAt: at}
		if err := s.CreateRecommendation(ctx, c, nil); err != nil {
			t.Fatalf("a consultation's recommendation without a reference: %v", err)
		}
	}
	motions, err := s.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: 20297, Source: voci.SourceCouncilMotion})
	if err != nil || len(motions) != 1 || motions[0].ID != id || motions[0].SourceRef != ref {
		t.Fatalf("the council's motions: %+v %v", motions, err)
	}
	all, err := s.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: 20297})
	if err != nil || len(all) != 3 {
		t.Fatalf("every recommendation: %d %v", len(all), err)
	}
}

// testMeetingFigures: the summaries of ended meetings are counted by the period their meeting
// ended in, per municipality; a summary written again replaces the first; each write counts
// as a change to the past where the store counts those.
func testMeetingFigures(t *testing.T, s voci.Store) {
	ctx := t.Context()
	march := time.Date(2026, 3, 10, 17, 0, 0, 0, time.UTC)
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	past := func() int64 {
		if pc, ok := s.(voci.PastChangeCounter); ok {
			c, err := pc.PastChangeCount(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return c.Activity
		}
		return 0
	}
	before := past()
	for _, f := range []*voci.MeetingFigures{
		{MeetingID: "mt-1", CouncilID: "yc-1", Municipality: 20297, EndedAt: march, InOffice: 11, Present: 11, MotionsPassed: 5},
		{MeetingID: "mt-1", CouncilID: "yc-1", Municipality: 20297, EndedAt: march, InOffice: 11, Present: 9, MotionsPassed: 2}, // again
		{MeetingID: "mt-2", CouncilID: "yc-1", Municipality: 20297, EndedAt: march.Add(48 * time.Hour), InOffice: 10, Present: 6, MotionsPassed: 1},
		{MeetingID: "mt-3", CouncilID: "yc-1", Municipality: 20297, EndedAt: to.Add(time.Hour), InOffice: 10, Present: 10, MotionsPassed: 4},
		{MeetingID: "mt-4", CouncilID: "yc-2", Municipality: 40198, EndedAt: march, InOffice: 7, Present: 5, MotionsPassed: 0},
	} {
		if err := s.PutMeetingFigures(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := s.(voci.PastChangeCounter); ok && past() == before {
		t.Fatal("writing a meeting's summary is not counted as a change to the past")
	}
	all, err := s.ActivityCounts(ctx, from, to, voci.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b, bv := all[20297], all[40198]
	if b == nil || b.MeetingsHeld != 2 || b.MeetingMembersInOffice != 21 || b.MeetingMembersPresent != 15 || b.MotionsPassed != 3 {
		t.Fatalf("Bacău in March: %+v", b)
	}
	if bv == nil || bv.MeetingsHeld != 1 || bv.MeetingMembersPresent != 5 || bv.MotionsPassed != 0 {
		t.Fatalf("the other municipality in March: %+v", bv)
	}
	one, err := s.ActivityCounts(ctx, from, to, voci.ActivityFilter{Municipality: 40198})
	if err != nil || len(one) != 1 || one[40198] == nil || one[40198].MeetingsHeld != 1 {
		t.Fatalf("one municipality: %+v %v", one, err)
	}
}

// testBackfillMeetingFigures: the ended meetings without a summary are listed, and the
// backfill writes each one's summary from its log, once: a second run finds nothing to do.
// A meeting still scheduled or open is not listed; an ended one without a log is skipped.
func testBackfillMeetingFigures(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateYouthCouncil(ctx, newCouncil("yc-fill", 20297), nil); err != nil {
		t.Fatal(err)
	}
	ended := func(id string, day int) {
		m := newCouncilMeeting(id, "yc-fill", councilDay.Add(time.Duration(day)*24*time.Hour))
		m.State, m.OpenedAt, m.EndedAt = voci.MeetingStateEnded, roomAt, roomAt.Add(time.Hour)
		if err := s.CreateCouncilMeeting(ctx, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	ended("fill-old", 0)    // ended before summaries were kept: its log, no summary
	ended("fill-summed", 1) // has its summary
	ended("fill-nolog", 2)  // no log kept
	if err := s.CreateCouncilMeeting(ctx, newCouncilMeeting("fill-next", "yc-fill", councilDay.Add(9*24*time.Hour)), nil); err != nil {
		t.Fatal(err)
	}
	cmds := []voci.MeetingCommand{roomSetup(),
		{Seq: 2, ID: "k-open", Kind: voci.CmdOpen, By: "a", At: roomAt.Add(time.Second)},
		{Seq: 3, ID: "k-in-a", Kind: voci.CmdCheckIn, By: "a", Member: "a", At: roomAt.Add(2 * time.Second)},
		{Seq: 4, ID: "k-in-c", Kind: voci.CmdCheckIn, By: "b", Member: "c", Remote: true, At: roomAt.Add(3 * time.Second)},
		{Seq: 5, ID: "k-end", Kind: voci.CmdEnd, By: "a", At: roomAt.Add(time.Hour)},
	}
	for i := range cmds {
		if err := s.AppendMeetingCommand(ctx, "fill-old", &cmds[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutMeetingFigures(ctx, &voci.MeetingFigures{MeetingID: "fill-summed", CouncilID: "yc-fill", Municipality: 20297,
		EndedAt: roomAt.Add(25 * time.Hour), InOffice: 3, Present: 3}); err != nil {
		t.Fatal(err)
	}
	ids, err := s.EndedMeetingsWithoutFigures(ctx)
	if err != nil || len(ids) != 2 || ids[0] != "fill-nolog" || ids[1] != "fill-old" {
		t.Fatalf("ended meetings without a summary: %v %v", ids, err)
	}
	written, skipped, err := voci.BackfillMeetingFigures(ctx, s)
	if err != nil || written != 1 || skipped != 1 {
		t.Fatalf("backfill: wrote %d, skipped %d, %v", written, skipped, err)
	}
	ids, err = s.EndedMeetingsWithoutFigures(ctx)
	if err != nil || len(ids) != 1 || ids[0] != "fill-nolog" {
		t.Fatalf("after the backfill: %v %v", ids, err)
	}
	if written, _, err := voci.BackfillMeetingFigures(ctx, s); err != nil || written != 0 {
		t.Fatalf("a second backfill wrote %d (%v)", written, err)
	}
	// Counted: the old meeting (3 in office, 2 came) and the one summarised already.
	counts, err := s.ActivityCounts(ctx, roomAt.Add(-time.Hour), roomAt.Add(48*time.Hour), voci.ActivityFilter{Municipality: 20297})
	if err != nil {
		t.Fatal(err)
	}
	if c := counts[20297]; c == nil || c.MeetingsHeld != 2 || c.MeetingMembersInOffice != 6 || c.MeetingMembersPresent != 5 || c.MotionsPassed != 0 {
		t.Fatalf("the national counts after the backfill: %+v", c)
	}
}
