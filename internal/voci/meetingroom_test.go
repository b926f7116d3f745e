package voci_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// roomLog applies commands to a meeting as the room does, keeping each accepted one (ballots
// apart, as the store keeps them), through the stored form.
type roomLog struct {
	t       *testing.T
	m       *voci.Meeting
	log     []voci.MeetingCommand
	ballots map[string]voci.StoredBallot
	c       *meetingClock
}

func newRoomLog(t *testing.T) (*roomLog, []string) {
	var ids []string
	for i := 1; i <= 11; i++ {
		ids = append(ids, fmt.Sprintf("m%02d", i))
	}
	cfg := voci.MeetingConfig{Quorum: voci.DefaultQuorum, InOffice: ids, Chair: "m01", Secretary: "m03"}
	m, err := voci.NewMeeting(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &roomLog{t: t, m: m, ballots: map[string]voci.StoredBallot{}, c: &meetingClock{now: motionAt}}
	r.store(voci.MeetingCommand{Kind: voci.CmdSetup, Setup: &cfg, At: motionAt})
	return r, ids
}

func (r *roomLog) store(c voci.MeetingCommand) {
	r.t.Helper()
	c.Seq = int64(len(r.log) + 1)
	data, err := voci.MarshalMeetingCommand(&c)
	if err != nil {
		r.t.Fatal(err)
	}
	back, err := voci.UnmarshalMeetingCommand(c.Seq, data)
	if err != nil {
		r.t.Fatal(err)
	}
	r.log = append(r.log, back)
	if c.Kind == voci.CmdCloseVote {
		r.ballots = map[string]voci.StoredBallot{}
	}
}

func (r *roomLog) do(c voci.MeetingCommand) error {
	r.t.Helper()
	c.At = r.c.tick()
	if err := r.m.Apply(&c); err != nil {
		return err
	}
	if c.Kind == voci.CmdCast {
		r.ballots[c.Member] = voci.StoredBallot{Member: c.Member, Choice: c.Choice, CommandID: c.ID}
	} else {
		r.store(c)
	}
	return nil
}

func (r *roomLog) ok(c voci.MeetingCommand) {
	r.t.Helper()
	meetingOK(r.t, r.do(c))
}

func (r *roomLog) replay() *voci.Meeting {
	r.t.Helper()
	var bs []voci.StoredBallot
	for _, b := range r.ballots {
		bs = append(bs, b)
	}
	m, err := voci.ReplayMeeting(r.log, bs)
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

func sameMeeting(t *testing.T, got, want *voci.Meeting) {
	t.Helper()
	if g, w := got.Status(), want.Status(); !reflect.DeepEqual(g, w) {
		t.Fatalf("replayed status:\n%+v\nwant\n%+v", g, w)
	}
	if g, w := got.Events(), want.Events(); !reflect.DeepEqual(g, w) {
		t.Fatalf("replayed events:\n%+v\nwant\n%+v", g, w)
	}
	if g, w := got.Motions(), want.Motions(); !reflect.DeepEqual(g, w) {
		t.Fatalf("replayed motions:\n%+v\nwant\n%+v", g, w)
	}
}

// A meeting rebuilt from its stored log, at any point, is the meeting that wrote it: the
// roll, the list of speakers in its order, the motions, an open vote with its ballots, and a
// closed secret vote from its recorded counts alone.
func TestReplayMeetingRebuildsTheRoom(t *testing.T) {
	r, ids := newRoomLog(t)
	r.ok(voci.MeetingCommand{Kind: voci.CmdOpen, By: "m01"})
	for _, id := range ids[:7] {
		r.ok(voci.MeetingCommand{Kind: voci.CmdCheckIn, Member: id, By: id})
	}
	r.ok(voci.MeetingCommand{Kind: voci.CmdCheckIn, Member: ids[7], Remote: true, By: "m03"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdStartItem, Item: 1, Title: "Bike racks", ItemKind: "decision", By: "m01"})
	for _, id := range []string{"m04", "m05", "m06"} {
		r.ok(voci.MeetingCommand{Kind: voci.CmdRaiseHand, Member: id, By: id, Hand: voci.HandContribution})
	}
	r.ok(voci.MeetingCommand{Kind: voci.CmdRaiseHand, Member: "m07", By: "m07", Hand: voci.HandPointOfOrder})
	r.ok(voci.MeetingCommand{Kind: voci.CmdGiveFloor, By: "m01"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdLowerHand, Member: "m05", By: "m05"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdCloseList, Closed: true, By: "m01"})
	sameMeeting(t, r.replay(), r.m)

	r.ok(voci.MeetingCommand{Kind: voci.CmdSubmitMotion, By: "m02", Title: "Bike racks", Text: "Ten racks at the school."})
	number := r.m.Motions()[0].Number
	r.ok(voci.MeetingCommand{Kind: voci.CmdMoveMotion, Motion: number, State: voci.MotionSeconded, By: "m04"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdMoveMotion, Motion: number, State: voci.MotionDebated, By: "m01"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdOpenMotionVote, Motion: number, Secret: true, Method: voci.VoteElectronic, By: "m01"})
	for i, id := range ids[:8] {
		choice := voci.BallotYes
		if i%3 == 2 {
			choice = voci.BallotNo
		}
		r.ok(voci.MeetingCommand{ID: "c-" + id, Kind: voci.CmdCast, Member: id, By: id, Choice: choice})
	}
	r.ok(voci.MeetingCommand{Kind: voci.CmdCast, Member: "m02", By: "m02", Choice: voci.BallotAbstain}) // changed
	meetingRefused(t, r.do(voci.MeetingCommand{Kind: voci.CmdCast, Member: "m02", By: "m04", Choice: voci.BallotNo}), voci.EFORBIDDEN)
	// Replayed with the vote open: the same count of ballots, and the close counts the same.
	open := r.replay()
	sameMeeting(t, open, r.m)
	r.ok(voci.MeetingCommand{Kind: voci.CmdCloseVote, By: "m01"})
	cv, err := open.CloseVote("m01", r.c.now)
	meetingOK(t, err)
	if last := r.log[len(r.log)-1]; !reflect.DeepEqual(last.Vote.Result, cv.Result) || last.Vote.Ballots != nil {
		t.Fatalf("stored close %+v, replayed close %+v", last.Vote, cv)
	}
	sameMeeting(t, r.replay(), r.m)

	r.ok(voci.MeetingCommand{Kind: voci.CmdNote, Text: "Racks by spring.", By: "m03"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdOpenItemVote, Title: "Where do we stand?", Majority: voci.MajoritySimple, Method: voci.VoteShowOfHands, By: "m01"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdEnterCounts, Counts: voci.VoteCounts{Yes: 4, No: 2, Abstain: 1}, By: "m03"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdCloseVote, By: "m01"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdLeaveOffice, Member: "m08"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdEnd, By: "m01"})
	sameMeeting(t, r.replay(), r.m)
}

// After a secret vote closes nothing in the stored log says how a member voted: no ballot
// is in the log, the ballots kept while it was open are gone, and the close holds counts.
func TestSecretVoteLeavesNoChoiceInTheLog(t *testing.T) {
	r, ids := newRoomLog(t)
	r.ok(voci.MeetingCommand{Kind: voci.CmdOpen, By: "m01"})
	for _, id := range ids[:6] {
		r.ok(voci.MeetingCommand{Kind: voci.CmdCheckIn, Member: id, By: id})
	}
	r.ok(voci.MeetingCommand{Kind: voci.CmdStartItem, Item: 1, Title: "Budget", ItemKind: "decision", By: "m01"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdOpenItemVote, Title: "The budget", Majority: voci.MajoritySimple, Decision: true, Secret: true, By: "m01"})
	for _, id := range ids[:6] {
		r.ok(voci.MeetingCommand{Kind: voci.CmdCast, Member: id, By: id, Choice: voci.BallotNo})
	}
	if _, err := voci.MarshalMeetingCommand(&voci.MeetingCommand{Kind: voci.CmdCast, Member: "m01", Choice: voci.BallotYes}); voci.ErrorCode(err) != voci.EINVALID {
		t.Fatalf("a ballot was written to the log: %v", err)
	}
	r.ok(voci.MeetingCommand{Kind: voci.CmdCloseVote, By: "m01"})
	if len(r.ballots) != 0 {
		t.Fatal("ballots kept after the close")
	}
	for _, c := range r.log {
		data, _ := voci.MarshalMeetingCommand(&c)
		if strings.Contains(string(data), `"no"]`) || strings.Contains(string(data), "ballots") || strings.Contains(string(data), "choice") {
			t.Fatalf("a stored command links a member to a choice: %s", data)
		}
	}
	if res := r.log[len(r.log)-1].Vote.Result; res.No != 6 || res.Outcome != voci.VoteNotAdopted {
		t.Fatalf("stored result %+v", res)
	}
}

func TestReplayMeetingRefusesABadLog(t *testing.T) {
	if _, err := voci.ReplayMeeting(nil, nil); voci.ErrorCode(err) != voci.EINVALID {
		t.Fatalf("empty log: %v", err)
	}
	r, _ := newRoomLog(t)
	r.log = append(r.log, voci.MeetingCommand{Seq: 2, Kind: voci.CmdOpen, By: "m02"})
	if _, err := voci.ReplayMeeting(r.log, nil); voci.ErrorCode(err) != voci.ECONFLICT {
		t.Fatalf("damaged log: %v", err)
	}
}

// A meeting numbers its motions after those the council's earlier meetings gave, and keeps
// doing so when it is rebuilt from its log.
func TestMeetingNumbersMotionsAfterEarlierOnes(t *testing.T) {
	cfg := voci.MeetingConfig{Quorum: voci.DefaultQuorum, InOffice: []string{"m01", "m02"}, Chair: "m01", Secretary: "m01",
		Numbered: []string{"M-2026-1", "M-2026-2", "M-2026-2-A1"}}
	m, err := voci.NewMeeting(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &roomLog{t: t, m: m, ballots: map[string]voci.StoredBallot{}, c: &meetingClock{now: motionAt}}
	r.store(voci.MeetingCommand{Kind: voci.CmdSetup, Setup: &cfg, At: motionAt})
	r.ok(voci.MeetingCommand{Kind: voci.CmdOpen, By: "m01"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdCheckIn, Member: "m02", By: "m02"})
	r.ok(voci.MeetingCommand{Kind: voci.CmdSubmitMotion, By: "m02", Title: "Bike racks", Text: "Ten racks at the school."})
	if got := m.Motions()[0].Number; got != "M-2026-3" {
		t.Fatalf("the motion after two earlier ones is %q", got)
	}
	replayed := r.replay()
	r.ok(voci.MeetingCommand{Kind: voci.CmdSubmitMotion, By: "m02", Title: "Lights", Text: "Lights on the path."})
	if err := replayed.Apply(&r.log[len(r.log)-1]); err != nil {
		t.Fatal(err)
	}
	if got := replayed.Motions()[1].Number; got != "M-2026-4" {
		t.Fatalf("the next motion after a replay is %q", got)
	}
}
