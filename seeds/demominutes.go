package seeds

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// The demo meetings' records: each held meeting gets the log its live room would have kept,
// made with the room's own rules (voci.Meeting) and stored as the room stores it, so that its
// minutes are drafted from it exactly as after a real meeting.

// demoCommand is one step of a scripted meeting: who gives it and what it is. A cast is kept
// in the meeting (for the close to count it) and never stored, as in the room.
type demoCommand struct {
	after time.Duration
	cmd   voci.MeetingCommand
}

// runDemoMeeting applies script to the meeting from its setup and stores its log. script
// may refer to the motion last submitted as "$motion".
func runDemoMeeting(ctx context.Context, store DemoMeetingStore, council *voci.YouthCouncil, members []voci.CouncilMember, meetingID string,
	start time.Time, script func(chair string) []demoCommand) error {
	cfg := voci.SetUpMeeting(council, members)
	numbered, err := voci.CouncilMotionNumbers(ctx, store, store, council.ID, meetingID)
	if err != nil {
		return err
	}
	cfg.Numbered = numbered
	m, err := voci.NewMeeting(cfg)
	if err != nil {
		return err
	}
	seq := int64(1)
	setup := voci.MeetingCommand{Seq: seq, Kind: voci.CmdSetup, Setup: &cfg, At: start}
	if err := store.AppendMeetingCommand(ctx, meetingID, &setup); err != nil {
		return err
	}
	motion := ""
	for _, s := range script(cfg.Chair) {
		c := s.cmd
		c.At = start.Add(s.after)
		if c.Motion == "$motion" {
			c.Motion = motion
		}
		if err := m.Apply(&c); err != nil {
			return fmt.Errorf("seeds: the demo meeting's %s: %w", c.Kind, err)
		}
		if c.Kind == voci.CmdSubmitMotion {
			ev := m.Events()
			motion = ev[len(ev)-1].Motion
		}
		if c.Kind == voci.CmdCast {
			continue
		}
		seq++
		c.Seq = seq
		if err := store.AppendMeetingCommand(ctx, meetingID, &c); err != nil {
			return err
		}
	}
	return nil
}

// present checks in the members who may take part, but those named absent.
func present(members []voci.CouncilMember, at time.Duration, absent ...string) []demoCommand {
	var out []demoCommand
	for i := range members {
		mb := &members[i]
		if ok, _ := mb.CanTakePart(); !ok || !mb.InOffice() || slices.Contains(absent, mb.DisplayName) {
			continue
		}
		out = append(out, demoCommand{at + time.Duration(len(out)+1)*time.Minute/2, voci.MeetingCommand{Kind: voci.CmdCheckIn, Member: mb.ID, By: mb.ID}})
	}
	return out
}

// castAll has every member checked in by the script so far vote choice.
func castAll(checkIns []demoCommand, choice func(i int) voci.BallotChoice, at time.Duration) []demoCommand {
	var out []demoCommand
	for i, c := range checkIns {
		out = append(out, demoCommand{at, voci.MeetingCommand{Kind: voci.CmdCast, Member: c.cmd.Member, By: c.cmd.Member, Choice: choice(i)}})
	}
	return out
}

// moveDemoMeeting records on the meeting that the room opened and ended it, with the summary
// the room writes when a meeting ends.
func moveDemoMeeting(ctx context.Context, store DemoMeetingStore, m *voci.CouncilMeeting, opened, ended time.Time) (*voci.CouncilMeeting, error) {
	if err := voci.MoveCouncilMeeting(ctx, store, m.ID, voci.MeetingOpen, opened, nil); err != nil {
		return nil, err
	}
	if err := voci.MoveCouncilMeeting(ctx, store, m.ID, voci.MeetingEnded, ended, nil); err != nil {
		return nil, err
	}
	m, err := store.FindCouncilMeeting(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	// As the room does when a meeting ends: its summary feeds the national indicators.
	log, _, err := store.LoadMeetingLog(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	f, err := voci.FiguresOfMeeting(m, log)
	if err != nil {
		return nil, err
	}
	if err := store.PutMeetingFigures(ctx, f); err != nil {
		return nil, err
	}
	return m, nil
}
