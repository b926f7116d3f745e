package sqlitestore

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var choiceValue = regexp.MustCompile(`"(yes|no|abstain)"\s*[^:\s]`)

// After a secret vote closes, no row of the database links a member to a choice: the
// ballots' rows are gone and the log's rows hold the counts and who voted, never how.
func TestSecretVoteRowsAfterTheClose(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	ctx := t.Context()
	members := []string{"mem-a", "mem-b", "mem-c", "mem-d"}
	cfg := voci.MeetingConfig{Quorum: voci.DefaultQuorum, InOffice: members, Chair: "mem-a", Secretary: "mem-b"}
	m, err := voci.NewMeeting(cfg)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC)
	seq := int64(0)
	do := func(c voci.MeetingCommand) {
		t.Helper()
		at = at.Add(time.Second)
		c.At = at
		if c.Kind != voci.CmdSetup {
			if err := m.Apply(&c); err != nil {
				t.Fatal(err)
			}
		}
		if c.Kind == voci.CmdCast {
			if err := s.PutMeetingBallots(ctx, "mt-secret", []voci.StoredBallot{{Member: c.Member, Choice: c.Choice, CommandID: c.ID}}); err != nil {
				t.Fatal(err)
			}
			return
		}
		seq++
		c.Seq = seq
		if err := s.AppendMeetingCommand(ctx, "mt-secret", &c); err != nil {
			t.Fatal(err)
		}
	}
	do(voci.MeetingCommand{Kind: voci.CmdSetup, Setup: &cfg})
	do(voci.MeetingCommand{Kind: voci.CmdOpen, By: "mem-a"})
	for _, id := range members {
		do(voci.MeetingCommand{Kind: voci.CmdCheckIn, Member: id, By: id})
	}
	do(voci.MeetingCommand{Kind: voci.CmdOpenItemVote, Title: "Secret", Majority: voci.MajoritySimple, Decision: true, Secret: true, By: "mem-a"})
	choices := []voci.BallotChoice{voci.BallotYes, voci.BallotNo, voci.BallotAbstain, voci.BallotYes}
	for i, id := range members {
		do(voci.MeetingCommand{ID: fmt.Sprint("cast-", i), Kind: voci.CmdCast, Member: id, By: id, Choice: choices[i]})
	}
	var open int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM meeting_ballots`).Scan(&open); err != nil || open != 4 {
		t.Fatalf("ballots while open: %d %v", open, err)
	}
	do(voci.MeetingCommand{Kind: voci.CmdCloseVote, By: "mem-a"})

	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM meeting_ballots`).Scan(&open); err != nil || open != 0 {
		t.Fatalf("ballot rows after the close: %d %v", open, err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT kind, body FROM meeting_log`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, body string
		if err := rows.Scan(&kind, &body); err != nil {
			t.Fatal(err)
		}
		// A choice appears only as a count's name ("yes":2), never as a value.
		if choiceValue.MatchString(body) || strings.Contains(body, "ballots") || strings.Contains(body, "choice") {
			t.Fatalf("a %s row holds a choice: %s", kind, body)
		}
	}
	log, ballots, err := s.LoadMeetingLog(ctx, "mt-secret")
	if err != nil {
		t.Fatal(err)
	}
	back, err := voci.ReplayMeeting(log, ballots)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Status().LastResult; got == nil || got.Yes != 2 || got.No != 1 || got.Abstain != 1 || got.Outcome != voci.VoteAdopted {
		t.Fatalf("the result replayed from the rows: %+v", got)
	}
}
