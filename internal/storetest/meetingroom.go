package storetest

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var roomAt = time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)

func roomSetup() voci.MeetingCommand {
	return voci.MeetingCommand{Seq: 1, Kind: voci.CmdSetup, At: roomAt, Setup: &voci.MeetingConfig{Quorum: voci.DefaultQuorum,
		InOffice: []string{"a", "b", "c"}, Chair: "a", Secretary: "b"}}
}

// testMeetingLog: a meeting's commands come back in order, as stored; a place is taken once,
// a client's key once per meeting; another meeting's log is apart.
func testMeetingLog(t *testing.T, s voci.Store) {
	ctx := context.Background()
	setup := roomSetup()
	cmds := []voci.MeetingCommand{setup,
		{Seq: 2, ID: "k-open", Kind: voci.CmdOpen, By: "a", At: roomAt.Add(time.Second)},
		{Seq: 3, ID: "k-in", Kind: voci.CmdCheckIn, By: "b", Member: "c", Remote: true, At: roomAt.Add(2 * time.Second)},
		{Seq: 4, Kind: voci.CmdStartItem, By: "a", Item: 1, Title: "Bănci în parc", ItemKind: "decision", At: roomAt.Add(3 * time.Second)},
	}
	for i := range cmds {
		if err := s.AppendMeetingCommand(ctx, "mt-log", &cmds[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AppendMeetingCommand(ctx, "mt-log", &voci.MeetingCommand{Seq: 4, Kind: voci.CmdEnd, By: "a", At: roomAt}); voci.ErrorCode(err) != voci.ECONFLICT {
		t.Fatalf("a taken place: %v", err)
	}
	if err := s.AppendMeetingCommand(ctx, "mt-log", &voci.MeetingCommand{Seq: 5, ID: "k-in", Kind: voci.CmdCheckIn, By: "c", Member: "c", At: roomAt}); voci.ErrorCode(err) != voci.ECONFLICT {
		t.Fatalf("a key used twice: %v", err)
	}
	other := roomSetup()
	if err := s.AppendMeetingCommand(ctx, "mt-other", &other); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendMeetingCommand(ctx, "mt-other", &voci.MeetingCommand{Seq: 2, ID: "k-open", Kind: voci.CmdOpen, By: "a", At: roomAt}); err != nil {
		t.Fatalf("another meeting's key: %v", err)
	}
	log, ballots, err := s.LoadMeetingLog(ctx, "mt-log")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(log, cmds) || len(ballots) != 0 {
		t.Fatalf("loaded\n%+v\nwant\n%+v (ballots %v)", log, cmds, ballots)
	}
	if log, _, err := s.LoadMeetingLog(ctx, "mt-none"); err != nil || len(log) != 0 {
		t.Fatalf("an unknown meeting: %v %v", log, err)
	}
}

// testMeetingBallots: a member has one ballot in the open vote, the last one; the vote's
// close deletes them all with it, so that after a secret vote nothing stored says who chose
// what, and the close holds counts and voters only.
func testMeetingBallots(t *testing.T, s voci.Store) {
	ctx := context.Background()
	setup := roomSetup()
	open := voci.MeetingCommand{Seq: 2, Kind: voci.CmdOpen, By: "a", At: roomAt}
	vote := voci.MeetingCommand{Seq: 3, Kind: voci.CmdOpenItemVote, By: "a", Title: "Secret", Majority: voci.MajoritySimple, Secret: true, At: roomAt}
	for _, c := range []*voci.MeetingCommand{&setup, &open, &vote} {
		if err := s.AppendMeetingCommand(ctx, "mt-vote", c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutMeetingBallots(ctx, "mt-vote", []voci.StoredBallot{{Member: "a", Choice: voci.BallotYes, CommandID: "1"},
		{Member: "b", Choice: voci.BallotNo, CommandID: "2"}}); err != nil {
		t.Fatal(err)
	}
	// One write with two ballots of a member: the last one counts.
	if err := s.PutMeetingBallots(ctx, "mt-vote", []voci.StoredBallot{{Member: "a", Choice: voci.BallotNo, CommandID: "2b"},
		{Member: "a", Choice: voci.BallotAbstain, CommandID: "3"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutMeetingBallots(ctx, "mt-elsewhere", []voci.StoredBallot{{Member: "a", Choice: voci.BallotNo, CommandID: "9"}}); err != nil {
		t.Fatal(err)
	}
	_, ballots, err := s.LoadMeetingLog(ctx, "mt-vote")
	if err != nil {
		t.Fatal(err)
	}
	want := []voci.StoredBallot{{Member: "a", Choice: voci.BallotAbstain, CommandID: "3"}, {Member: "b", Choice: voci.BallotNo, CommandID: "2"}}
	if !reflect.DeepEqual(ballots, want) {
		t.Fatalf("ballots %+v, want %+v", ballots, want)
	}
	cv := voci.ClosedVote{Spec: voci.VoteSpec{Majority: voci.MajoritySimple, Quorum: voci.DefaultQuorum, Secret: true, Method: voci.VoteElectronic},
		Roll: voci.RollSnapshot{InOffice: []string{"a", "b", "c"}, Present: []string{"a", "b"}}, Voters: []string{"a", "b"},
		Result: voci.VoteResult{Rule: voci.MajoritySimple, Quorum: voci.DefaultQuorum, InOffice: 3, Present: 2, No: 1, Abstain: 1, Absent: 1,
			YesNeeded: 2, QuorumMet: true, Outcome: voci.VoteNotAdopted, SecretVote: true}}
	closeCmd := voci.MeetingCommand{Seq: 4, Kind: voci.CmdCloseVote, By: "a", At: roomAt, Vote: &cv}
	if err := s.AppendMeetingCommand(ctx, "mt-vote", &closeCmd); err != nil {
		t.Fatal(err)
	}
	log, ballots, err := s.LoadMeetingLog(ctx, "mt-vote")
	if err != nil {
		t.Fatal(err)
	}
	if len(ballots) != 0 {
		t.Fatalf("ballots kept after the close: %+v", ballots)
	}
	if got := log[len(log)-1].Vote; got == nil || !reflect.DeepEqual(*got, cv) {
		t.Fatalf("stored close %+v, want %+v", got, cv)
	}
	if _, ballots, _ := s.LoadMeetingLog(ctx, "mt-elsewhere"); len(ballots) != 0 {
		// "mt-elsewhere" has no open vote in its log: its stray ballot is not an open vote's.
		t.Fatalf("a meeting without an open vote has ballots: %+v", ballots)
	}
}

// testConcurrentMeetingAppends: writers racing for one place of a log: one wins.
func testConcurrentMeetingAppends(t *testing.T, s voci.Store) {
	ctx := context.Background()
	setup := roomSetup()
	if err := s.AppendMeetingCommand(ctx, "mt-race", &setup); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, lost := 0, 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.AppendMeetingCommand(ctx, "mt-race", &voci.MeetingCommand{Seq: 2, ID: string(rune('a' + i)), Kind: voci.CmdOpen, By: "a", At: roomAt})
			mu.Lock()
			defer mu.Unlock()
			switch voci.ErrorCode(err) {
			case "":
				won++
			case voci.ECONFLICT:
				lost++
			default:
				t.Errorf("append: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 || lost != 7 {
		t.Fatalf("won %d, lost %d", won, lost)
	}
}
