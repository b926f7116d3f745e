package voci_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

// meeting is a scripted meeting of a council of 12 (m12 left the council after it), run
// through the real rules: the roll, the speaking queue, the motion book and the ballot
// boxes. Each step appends what a meeting room would log.
type meeting struct {
	t      *testing.T
	now    time.Time
	roll   *voci.MeetingRoll
	queue  *voci.SpeakingQueue
	book   *voci.MotionBook
	events []voci.MeetingEvent
}

func (m *meeting) at(hhmm string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-12-07 "+hhmm, time.FixedZone("EET", 2*3600))
	if err != nil {
		m.t.Fatal(err)
	}
	m.now = t.UTC()
}

func (m *meeting) log(e voci.MeetingEvent) {
	e.At = m.now
	m.events = append(m.events, e)
}

func (m *meeting) must(err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatal(err)
	}
}

func (m *meeting) checkIn(member string, remote bool) {
	m.must(m.roll.CheckIn(member, remote))
	m.log(voci.MeetingEvent{Kind: voci.EventCheckIn, Member: member, Remote: remote})
}

func (m *meeting) checkOut(member string) {
	m.roll.CheckOut(member)
	m.log(voci.MeetingEvent{Kind: voci.EventCheckOut, Member: member})
}

func (m *meeting) move(number string, to voci.MotionState, by voci.MotionActor) voci.Motion {
	m.t.Helper()
	mo, err := m.book.Move(number, to, by, m.now)
	m.must(err)
	m.log(voci.MeetingEvent{Kind: voci.EventMotionMoved, Motion: number, State: to, Member: by.Member, Title: mo.Title, Text: mo.Text})
	return mo
}

func (m *meeting) submit(p voci.MotionProposal, amends string) voci.Motion {
	m.t.Helper()
	var mo voci.Motion
	var err error
	if amends == "" {
		mo, err = m.book.Submit(p, m.now)
	} else {
		mo, err = m.book.Amend(amends, p, m.now)
	}
	m.must(err)
	m.log(voci.MeetingEvent{Kind: voci.EventMotionSubmitted, Motion: mo.Number, Amends: amends, Member: p.Proposer, Title: mo.Title, Text: mo.Text})
	return mo
}

// vote opens a vote, lets ballots be cast, runs between (check-outs), closes it and records
// the result on the motion, if there is one.
func (m *meeting) vote(motion, subject string, spec voci.VoteSpec, ballots map[string]voci.BallotChoice, hands *voci.VoteCounts, between func()) voci.ClosedVote {
	m.t.Helper()
	box, err := voci.OpenVote(spec, m.roll.Snapshot())
	m.must(err)
	m.log(voci.MeetingEvent{Kind: voci.EventVoteOpened, Motion: motion, Title: subject, Spec: spec})
	for member, c := range ballots {
		_, err := box.Cast(member, c)
		m.must(err)
	}
	if hands != nil {
		m.must(box.EnterCounts(*hands))
	}
	if between != nil {
		between()
	}
	cv, err := box.Close(m.roll.Snapshot())
	m.must(err)
	m.log(voci.MeetingEvent{Kind: voci.EventVoteClosed, Motion: motion, Title: subject, Vote: &cv})
	if motion != "" {
		mo, err := m.book.RecordVote(motion, cv.Result, m.now)
		m.must(err)
		m.log(voci.MeetingEvent{Kind: voci.EventMotionMoved, Motion: motion, State: mo.State})
	}
	return cv
}

func (m *meeting) speak(member string) {
	f, err := m.queue.GiveFloor(member, m.now)
	m.must(err)
	m.log(voci.MeetingEvent{Kind: voci.EventFloorGiven, Member: f.Member, Hand: f.Kind})
}

var councilNow = []voci.MinutesMember{
	{ID: "m01", Name: "Ana", Role: voci.CouncilRolePresident},
	{ID: "m02", Name: "Bogdan", Role: voci.CouncilRoleVicePresident},
	{ID: "m03", Name: "Csilla", Role: voci.CouncilRoleSecretary},
	{ID: "m04", Name: "Dan"}, {ID: "m05", Name: "Elena"}, {ID: "m06", Name: "Florin"},
	{ID: "m07", Name: "Gabi"}, {ID: "m08", Name: "Horia"}, {ID: "m09", Name: "Ioana"},
	{ID: "m10", Name: "József"}, {ID: "m11", Name: "Kinga"},
}

func scriptedMeeting(t *testing.T) []voci.MeetingEvent {
	inOffice := []string{"m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10", "m11", "m12"}
	m := &meeting{t: t, roll: voci.NewMeetingRoll(inOffice), queue: voci.NewSpeakingQueue(),
		book: voci.NewMotionBook([]voci.Motion{
			{Number: "M-2026-1", Proposer: "m02", Title: "A school radio", Text: "Ask the schools for a weekly radio hour.", Majority: voci.MajoritySimple, State: voci.MotionAdopted, Version: 1},
			{Number: "M-2026-2", Proposer: "m09", Title: "Summer festival", Text: "Hold a children's festival in the park in June.", Majority: voci.MajoritySimple, State: voci.MotionDeferred, Version: 1},
		})}
	chair := voci.MotionActor{Member: "m01", Chair: true}
	decision := voci.VoteSpec{Majority: voci.MajoritySimple, Quorum: voci.DefaultQuorum, Decision: true}

	m.at("16:00")
	m.log(voci.MeetingEvent{Kind: voci.EventMeetingOpened})
	for _, id := range []string{"m01", "m02", "m03", "m04", "m05", "m12"} {
		m.checkIn(id, false)
	}
	m.checkIn("m06", true)
	m.at("16:05")
	m.checkIn("m07", false)

	m.at("16:06")
	m.log(voci.MeetingEvent{Kind: voci.EventItemStarted, Item: 1, ItemKind: "decision", Title: "Approve the minutes of 2026-11-09"})
	hands := decision
	hands.Method = voci.VoteShowOfHands
	m.at("16:08")
	m.vote("", "Approve the minutes of 2026-11-09", hands, nil, &voci.VoteCounts{Yes: 7, Abstain: 1}, nil)

	m.at("16:10")
	m.log(voci.MeetingEvent{Kind: voci.EventItemStarted, Item: 2, ItemKind: "decision", Title: "Bike racks at schools"})
	racks := m.submit(voci.MotionProposal{Proposer: "m04", Title: "Bike racks", Text: "Ask the town hall for bike racks at every school.\nStart with the three largest schools."}, "")
	m.at("16:11")
	m.move(racks.Number, voci.MotionSeconded, voci.MotionActor{Member: "m05"})
	m.move(racks.Number, voci.MotionDebated, chair)
	m.queue.Raise("m01", voci.HandContribution, m.now)
	m.queue.Raise("m02", voci.HandAgainst, m.now)
	m.queue.Raise("m12", voci.HandFor, m.now)
	m.at("16:12")
	m.queue.Raise("m03", voci.HandPointOfOrder, m.now)
	for _, h := range m.queue.Hands() {
		m.speak(h.Member)
		m.now = m.now.Add(2 * time.Minute)
	}
	m.at("16:21")
	cover := m.submit(voci.MotionProposal{Proposer: "m06", Text: "Ask the town hall for covered bike racks at every school.\nStart with the three largest schools."}, racks.Number)
	m.move(cover.Number, voci.MotionSeconded, voci.MotionActor{Member: "m07"})
	m.move(cover.Number, voci.MotionDebated, chair)
	m.move(cover.Number, voci.MotionVoting, chair)
	secret := decision
	secret.Secret = true
	m.at("16:24")
	cv := m.vote(cover.Number, "", secret, map[string]voci.BallotChoice{
		"m01": voci.BallotYes, "m02": voci.BallotNo, "m03": voci.BallotYes, "m04": voci.BallotYes,
		"m05": voci.BallotAbstain, "m06": voci.BallotYes, "m07": voci.BallotYes,
	}, nil, nil)
	if cv.Ballots != nil || cv.Result.Outcome != voci.VoteAdopted {
		t.Fatalf("the secret vote: %+v", cv)
	}
	m.at("16:26")
	m.move(racks.Number, voci.MotionVoting, chair)
	m.at("16:28")
	m.vote(racks.Number, "", decision, map[string]voci.BallotChoice{
		"m01": voci.BallotYes, "m02": voci.BallotNo, "m03": voci.BallotYes, "m04": voci.BallotYes,
		"m05": voci.BallotYes, "m06": voci.BallotYes, "m07": voci.BallotAbstain, "m12": voci.BallotYes,
	}, nil, nil)
	m.log(voci.MeetingEvent{Kind: voci.EventNote, Text: "The president will hand the motion to the mayor's office."})

	m.at("16:40")
	m.log(voci.MeetingEvent{Kind: voci.EventItemStarted, Item: 3, ItemKind: "decision", Title: "Longer breaks"})
	breaks := m.submit(voci.MotionProposal{Proposer: "m07", Title: "Longer breaks", Text: "Ask the schools for a 20-minute long break.", Majority: voci.MajorityAbsolute}, "")
	m.move(breaks.Number, voci.MotionSeconded, voci.MotionActor{Member: "m01"})
	m.move(breaks.Number, voci.MotionDebated, chair)
	m.move(breaks.Number, voci.MotionVoting, chair)
	m.at("16:45")
	absolute := decision
	absolute.Majority = voci.MajorityAbsolute
	m.vote(breaks.Number, "", absolute, map[string]voci.BallotChoice{
		"m01": voci.BallotYes, "m02": voci.BallotYes, "m03": voci.BallotYes, "m04": voci.BallotYes,
		"m05": voci.BallotYes, "m06": voci.BallotYes, "m07": voci.BallotYes,
	}, nil, func() {
		m.checkOut("m04")
		m.checkOut("m05")
	})

	m.at("17:00")
	m.log(voci.MeetingEvent{Kind: voci.EventItemStarted, Item: 4, ItemKind: "discussion", Title: "Summer festival"})
	m.move("M-2026-2", voci.MotionDebated, chair)
	m.queue.Raise("m06", voci.HandQuestion, m.now)
	m.speak("m06")
	m.at("17:10")
	m.move("M-2026-2", voci.MotionDeferred, chair)
	m.log(voci.MeetingEvent{Kind: voci.EventNote, Text: "Florin will ask the park's staff which weekends are free."})
	m.at("17:15")
	m.checkOut("m06")
	m.at("17:30")
	m.log(voci.MeetingEvent{Kind: voci.EventMeetingClosed})
	return m.events
}

func TestMinutesMatchGoldenRendering(t *testing.T) {
	events := scriptedMeeting(t)
	minutes := voci.DraftMinutes("Consiliul Copiilor și Tinerilor Bacău", councilNow, events)
	for _, lang := range voci.MinutesLanguages {
		t.Run(lang, func(t *testing.T) {
			got := minutes.Markdown(lang)
			path := filepath.Join("testdata", "meeting_minutes."+lang+".golden")
			if *updateGolden {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got != string(want) {
				t.Fatalf("the minutes differ from %s (run with -update after checking the change):\n%s", path, got)
			}
			if strings.Contains(got, "m12") {
				t.Fatal("a former member's ID is in the minutes")
			}
		})
	}
}

func TestMinutesNameNoFormerMemberAndKeepSecretVotesSecret(t *testing.T) {
	minutes := voci.DraftMinutes("Council", councilNow, scriptedMeeting(t))
	formers := 0
	for _, a := range minutes.Present {
		if a.Name == "" {
			formers++
		}
	}
	if formers != 1 || len(minutes.Present) != 8 || strings.Join(minutes.Absent, ",") != "Horia,Ioana,József,Kinga" {
		t.Fatalf("attendance: %+v absent %v", minutes.Present, minutes.Absent)
	}
	if len(minutes.Items) != 4 {
		t.Fatalf("%d items", len(minutes.Items))
	}
	racks := minutes.Items[1].Motions
	if len(racks) != 2 || racks[0].State != voci.MotionAdopted || racks[1].Amends != racks[0].Number {
		t.Fatalf("item 2's motions: %+v", racks)
	}
	if amendment := racks[1].Votes[0]; amendment.Ballots != nil || !amendment.Spec.Secret {
		t.Fatalf("the secret vote's minutes: %+v", amendment)
	}
	named := racks[0].Votes[0].Ballots
	if len(named) != 8 || named[7].Name != "" || named[7].Choice != voci.BallotYes {
		t.Fatalf("the named vote, former member last: %+v", named)
	}
	breaks := minutes.Items[2].Motions[0]
	if breaks.State != voci.MotionRejected || breaks.Votes[0].Result.Outcome != voci.VoteNotValid {
		t.Fatalf("the vote that lost its quorum: %+v", breaks)
	}
	if festival := minutes.Items[3].Motions[0]; !festival.CarriedOver || festival.State != voci.MotionDeferred {
		t.Fatalf("a motion carried over: %+v", festival)
	}
}
