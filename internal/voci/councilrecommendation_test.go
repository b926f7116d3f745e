package voci_test

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

func TestMotionSourceRefRoundTrip(t *testing.T) {
	ref := voci.MotionSourceRef("abc123", "M-2026-3")
	meeting, number, ok := voci.ParseMotionSourceRef(ref)
	if !ok || meeting != "abc123" || number != "M-2026-3" {
		t.Fatalf("%q → %q %q %v", ref, meeting, number, ok)
	}
	for _, bad := range []string{"", "/M-1", "abc/", "abc"} {
		if _, _, ok := voci.ParseMotionSourceRef(bad); ok {
			t.Fatalf("%q read as a reference", bad)
		}
	}
	a, b := voci.MotionRecommendationID("abc123", "M-2026-3"), voci.MotionRecommendationID("abc123", "M-2026-4")
	if a == b || len(a) != len(voci.RandomID()) || a != voci.MotionRecommendationID("abc123", "M-2026-3") {
		t.Fatalf("IDs %q %q", a, b)
	}
}

// The summary of an ended meeting is read from its log: the members it was called with, those
// who checked in at any time (once each, a member checking in twice or leaving early counts),
// and the motions adopted, amendments left out.
func TestFiguresOfMeeting(t *testing.T) {
	at := time.Date(2026, 12, 3, 16, 0, 0, 0, time.UTC)
	ids := []string{"m1", "m2", "m3", "m4", "m5", "m6"}
	log := []voci.MeetingCommand{{Seq: 1, Kind: voci.CmdSetup, At: at, Setup: &voci.MeetingConfig{Quorum: voci.DefaultQuorum, InOffice: ids, Chair: "m1", Secretary: "m3"}}}
	m, err := voci.ReplayMeeting(log, nil)
	if err != nil {
		t.Fatal(err)
	}
	apply := func(c voci.MeetingCommand) {
		t.Helper()
		c.Seq, c.At = int64(len(log)+1), at.Add(time.Duration(len(log))*time.Minute)
		if err := m.Apply(&c); err != nil {
			t.Fatalf("%s: %v", c.Kind, err)
		}
		log = append(log, c)
	}
	apply(voci.MeetingCommand{Kind: voci.CmdOpen, By: "m1"})
	for _, id := range []string{"m1", "m2", "m3", "m4"} {
		apply(voci.MeetingCommand{Kind: voci.CmdCheckIn, Member: id, By: id})
	}
	apply(voci.MeetingCommand{Kind: voci.CmdCheckOut, Member: "m4", By: "m4"})
	apply(voci.MeetingCommand{Kind: voci.CmdCheckIn, Member: "m4", By: "m4"})
	apply(voci.MeetingCommand{Kind: voci.CmdStartItem, Item: 1, Title: "Parcul", ItemKind: "decision", By: "m1"})
	apply(voci.MeetingCommand{Kind: voci.CmdSubmitMotion, By: "m2", Title: "Bănci", Text: "Zece bănci noi."})
	number := m.Motions()[0].Number
	apply(voci.MeetingCommand{Kind: voci.CmdMoveMotion, Motion: number, State: voci.MotionSeconded, By: "m3"})
	apply(voci.MeetingCommand{Kind: voci.CmdMoveMotion, Motion: number, State: voci.MotionDebated, By: "m1"})
	apply(voci.MeetingCommand{Kind: voci.CmdSubmitMotion, By: "m2", Title: "Douăzeci", Text: "Douăzeci de bănci.", Motion: number})
	amendment := m.Motions()[1].Number
	vote := func(number string) {
		apply(voci.MeetingCommand{Kind: voci.CmdMoveMotion, Motion: number, State: voci.MotionSeconded, By: "m3"})
		apply(voci.MeetingCommand{Kind: voci.CmdMoveMotion, Motion: number, State: voci.MotionDebated, By: "m1"})
		apply(voci.MeetingCommand{Kind: voci.CmdOpenMotionVote, Motion: number, By: "m1"})
		for _, id := range []string{"m1", "m2", "m3", "m4"} {
			if err := m.Cast(id, voci.BallotYes); err != nil {
				t.Fatal(err)
			}
		}
		apply(voci.MeetingCommand{Kind: voci.CmdCloseVote, By: "m1"})
	}
	vote(amendment)
	apply(voci.MeetingCommand{Kind: voci.CmdOpenMotionVote, Motion: number, By: "m1"})
	for _, id := range []string{"m1", "m2", "m3", "m4"} {
		if err := m.Cast(id, voci.BallotYes); err != nil {
			t.Fatal(err)
		}
	}
	apply(voci.MeetingCommand{Kind: voci.CmdCloseVote, By: "m1"})
	if mo := m.Motions(); mo[0].State != voci.MotionAdopted || mo[1].State != voci.MotionAdopted {
		t.Fatalf("motions %+v", mo)
	}
	apply(voci.MeetingCommand{Kind: voci.CmdEnd, By: "m1"})

	cm := &voci.CouncilMeeting{ID: "mt", CouncilID: "yc", Municipality: 20297, State: voci.MeetingStateScheduled}
	if _, err := voci.FiguresOfMeeting(cm, log); voci.ErrorCode(err) != voci.EWRONGSTATE {
		t.Fatalf("a meeting whose record has not ended: %v", err)
	}
	cm.State, cm.EndedAt = voci.MeetingStateEnded, at.Add(time.Hour)
	f, err := voci.FiguresOfMeeting(cm, log)
	if err != nil {
		t.Fatal(err)
	}
	if f.InOffice != 6 || f.Present != 4 || f.MotionsPassed != 1 || !f.EndedAt.Equal(at.Add(time.Hour)) || f.Municipality != 20297 {
		t.Fatalf("figures %+v", f)
	}
}
