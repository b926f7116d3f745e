package seeds

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// The demo council's meetings: one held six weeks ago, whose minutes the next meeting approved
// by vote; that one, held three weeks ago, whose minutes are a draft to approve; and one in
// nine days whose agenda starts with approving them, then three items, one of them proposed
// by a member from their phone. The held meetings have the log their live room would have
// kept, and their minutes are drafted from it.

// DemoCoordinator is the demo account that scheduled the meetings, when it exists.
const DemoCoordinator = "coordinator.bacau@demo.voci.ro"

// DemoMeetings are the demo council's meetings: Earlier, whose minutes are approved; Past,
// which approved them and whose minutes are a draft; Upcoming.
type DemoMeetings struct {
	Earlier  *voci.CouncilMeeting
	Past     *voci.CouncilMeeting
	Upcoming *voci.CouncilMeeting
}

// DemoMeetingStore is what the demo meetings are written to.
type DemoMeetingStore interface {
	voci.YouthCouncilStore
	voci.MeetingAgendaStore
	voci.MeetingRoomStore
	voci.MinutesStore
	voci.MeetingFiguresStore
	FindAccountByEmail(ctx context.Context, email string) (*voci.Account, error)
}

var romanianMonths = [...]string{"ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august",
	"septembrie", "octombrie", "noiembrie", "decembrie"}

func meetingTitle(d time.Time) string {
	return fmt.Sprintf("Ședința din %d %s", d.Day(), romanianMonths[d.Month()-1])
}

// EnsureDemoMeetings gives Bacău's demo youth council (EnsureDemoCouncil) a past meeting and
// an upcoming one, unless it has meetings already; it returns them either way. Nothing when
// there is no demo council.
func EnsureDemoMeetings(ctx context.Context, store DemoMeetingStore, screener voci.TextScreener, now time.Time) (*DemoMeetings, error) {
	council, err := store.FindYouthCouncil(ctx, 20297)
	if voci.ErrorCode(err) == voci.ECOUNCILNOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	existing, err := store.ListCouncilMeetings(ctx, council.ID)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		out := &DemoMeetings{}
		for i := range existing {
			m := &existing[i]
			switch {
			case m.State == voci.MeetingStateEnded:
				out.Earlier, out.Past = out.Past, m
			case m.State == voci.MeetingStateScheduled && out.Upcoming == nil:
				out.Upcoming = m
			}
		}
		return out, nil
	}
	members, err := store.ListCouncilMembers(ctx, council.ID)
	if err != nil {
		return nil, err
	}
	member := func(name string) *voci.CouncilMember {
		for i := range members {
			if members[i].DisplayName == name {
				return &members[i]
			}
		}
		return nil
	}
	actor := "demo"
	if a, err := store.FindAccountByEmail(ctx, DemoCoordinator); err == nil {
		actor = a.ID
	}
	clock := now
	meetings := voci.NewCouncilMeetings(store, screener, func() time.Time { return clock })
	adult := voci.AgendaActor{AccountID: actor}
	day := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 14, 0, 0, 0, time.UTC) } // 16:00 in Bacău
	place := "Sala de consiliu a Primăriei Bacău"
	out := &DemoMeetings{}

	minutes := voci.NewCouncilMinutes(store, meetings, screener, func() time.Time { return clock })
	schedule := func(start time.Time, items []voci.AgendaItemInput) (*voci.CouncilMeeting, error) {
		clock = start.AddDate(0, 0, -7)
		m, err := meetings.ScheduleMeeting(ctx, council, voci.MeetingInput{Title: meetingTitle(start), StartsAt: start, Place: &place}, actor, nil)
		if err != nil {
			return nil, fmt.Errorf("seeds: a demo meeting: %w", err)
		}
		if err := minutes.EnsureMinutesItems(ctx, council.ID); err != nil {
			return nil, err
		}
		for _, in := range items {
			if _, _, err := meetings.AddItem(ctx, m, adult, in, nil); err != nil {
				return nil, fmt.Errorf("seeds: a demo meeting's agenda: %w", err)
			}
		}
		return m, nil
	}
	item := func(title string, kind voci.AgendaKind) voci.AgendaItemInput {
		return voci.AgendaItemInput{Title: &title, Kind: &kind}
	}
	id := func(name string) string {
		if m := member(name); m != nil {
			return m.ID
		}
		return ""
	}

	// The earlier meeting, six weeks ago: the members meet, talk of their rules, and the
	// secretary notes what they agreed.
	earlierStart := day(now.AddDate(0, 0, -42))
	if out.Earlier, err = schedule(earlierStart, []voci.AgendaItemInput{item("Ne cunoaștem: cine suntem și ce ne dorim", voci.AgendaInformation),
		item("Cum lucrăm împreună: regulile consiliului", voci.AgendaDiscussion)}); err != nil {
		return nil, err
	}
	checkIns := present(members, 2*time.Minute, "Maia")
	err = runDemoMeeting(ctx, store, council, members, out.Earlier.ID, earlierStart, func(chair string) []demoCommand {
		s := []demoCommand{{time.Minute, voci.MeetingCommand{Kind: voci.CmdOpen, By: chair}}}
		s = append(s, checkIns...)
		secretary := id("Ilinca")
		return append(s,
			demoCommand{10 * time.Minute, voci.MeetingCommand{Kind: voci.CmdStartItem, By: chair, Item: 1, Title: "Ne cunoaștem: cine suntem și ce ne dorim", ItemKind: "information"}},
			demoCommand{30 * time.Minute, voci.MeetingCommand{Kind: voci.CmdStartItem, By: chair, Item: 2, Title: "Cum lucrăm împreună: regulile consiliului", ItemKind: "discussion"}},
			demoCommand{31 * time.Minute, voci.MeetingCommand{Kind: voci.CmdRaiseHand, By: id("Zsófi"), Member: id("Zsófi"), Hand: voci.HandContribution}},
			demoCommand{32 * time.Minute, voci.MeetingCommand{Kind: voci.CmdGiveFloor, By: chair, Member: id("Zsófi")}},
			demoCommand{35 * time.Minute, voci.MeetingCommand{Kind: voci.CmdEndFloor, By: chair}},
			demoCommand{50 * time.Minute, voci.MeetingCommand{Kind: voci.CmdNote, By: secretary, Text: "Ne întâlnim o dată la trei săptămâni, miercurea, la ora 16."}},
			demoCommand{60 * time.Minute, voci.MeetingCommand{Kind: voci.CmdEnd, By: chair}})
	})
	if err != nil {
		return nil, err
	}
	if out.Earlier, err = moveDemoMeeting(ctx, store, out.Earlier, earlierStart.Add(time.Minute), earlierStart.Add(60*time.Minute)); err != nil {
		return nil, err
	}
	clock = out.Earlier.EndedAt
	if _, err := minutes.Minutes(ctx, council, out.Earlier); err != nil {
		return nil, err
	}

	// The past meeting, three weeks ago: it approves the earlier meeting's minutes by vote
	// (the item the platform put first on its agenda) and adopts a motion by a named vote.
	pastStart := day(now.AddDate(0, 0, -21))
	if out.Past, err = schedule(pastStart, []voci.AgendaItemInput{item("Ce propunem primăriei în acest an", voci.AgendaDecision)}); err != nil {
		return nil, err
	}
	checkIns = present(members, 2*time.Minute, "Maia", "Teo")
	err = runDemoMeeting(ctx, store, council, members, out.Past.ID, pastStart, func(chair string) []demoCommand {
		s := []demoCommand{{time.Minute, voci.MeetingCommand{Kind: voci.CmdOpen, By: chair}}}
		s = append(s, checkIns...)
		s = append(s,
			demoCommand{8 * time.Minute, voci.MeetingCommand{Kind: voci.CmdStartItem, By: chair, Item: 1, Title: voci.MinutesItemTitle(out.Earlier.StartsAt), ItemKind: "decision"}},
			demoCommand{9 * time.Minute, voci.MeetingCommand{Kind: voci.CmdOpenItemVote, By: chair, Title: "Aprobarea procesului-verbal", Decision: true, Majority: voci.MajoritySimple, Method: voci.VoteElectronic}})
		s = append(s, castAll(checkIns, func(i int) voci.BallotChoice {
			if i == 0 {
				return voci.BallotAbstain
			}
			return voci.BallotYes
		}, 10*time.Minute)...)
		s = append(s,
			demoCommand{11 * time.Minute, voci.MeetingCommand{Kind: voci.CmdCloseVote, By: chair}},
			demoCommand{12 * time.Minute, voci.MeetingCommand{Kind: voci.CmdStartItem, By: chair, Item: 2, Title: "Ce propunem primăriei în acest an", ItemKind: "decision"}},
			demoCommand{14 * time.Minute, voci.MeetingCommand{Kind: voci.CmdSubmitMotion, By: id("Matei"), Title: "Mai multă umbră în parcuri",
				Text: "Cerem primăriei să planteze copaci și să pună bănci la umbră în parcul Cancicov.", Majority: voci.MajoritySimple}},
			demoCommand{15 * time.Minute, voci.MeetingCommand{Kind: voci.CmdMoveMotion, By: id("Radu"), Motion: "$motion", State: voci.MotionSeconded}},
			demoCommand{16 * time.Minute, voci.MeetingCommand{Kind: voci.CmdRaiseHand, By: id("Bogdi"), Member: id("Bogdi"), Hand: voci.HandFor}},
			demoCommand{17 * time.Minute, voci.MeetingCommand{Kind: voci.CmdGiveFloor, By: chair, Member: id("Bogdi")}},
			demoCommand{19 * time.Minute, voci.MeetingCommand{Kind: voci.CmdEndFloor, By: chair}},
			demoCommand{20 * time.Minute, voci.MeetingCommand{Kind: voci.CmdMoveMotion, By: chair, Motion: "$motion", State: voci.MotionDebated}},
			demoCommand{25 * time.Minute, voci.MeetingCommand{Kind: voci.CmdOpenMotionVote, By: chair, Motion: "$motion", Method: voci.VoteElectronic}})
		s = append(s, castAll(checkIns, func(i int) voci.BallotChoice {
			switch i {
			case 1:
				return voci.BallotNo
			case 2:
				return voci.BallotAbstain
			}
			return voci.BallotYes
		}, 26*time.Minute)...)
		return append(s,
			demoCommand{27 * time.Minute, voci.MeetingCommand{Kind: voci.CmdCloseVote, By: chair}},
			demoCommand{30 * time.Minute, voci.MeetingCommand{Kind: voci.CmdNote, By: id("Ilinca"), Text: "Propunerea adoptată merge la primărie ca recomandare."}},
			demoCommand{40 * time.Minute, voci.MeetingCommand{Kind: voci.CmdEnd, By: chair}})
	})
	if err != nil {
		return nil, err
	}
	if out.Past, err = moveDemoMeeting(ctx, store, out.Past, pastStart.Add(time.Minute), pastStart.Add(40*time.Minute)); err != nil {
		return nil, err
	}
	clock = out.Past.EndedAt
	if _, err := minutes.Minutes(ctx, council, out.Past); err != nil {
		return nil, err
	}
	if _, err := minutes.ApproveMinutes(ctx, council, out.Earlier, out.Past.ID, nil); err != nil {
		return nil, fmt.Errorf("seeds: the earlier demo minutes approved: %w", err)
	}

	// The upcoming meeting, with an agenda of three items: two drafted by the coordinator, one
	// proposed by Matei from his phone and accepted.
	clock = now
	next := day(now.AddDate(0, 0, 9))
	if out.Upcoming, err = meetings.ScheduleMeeting(ctx, council, voci.MeetingInput{Title: meetingTitle(next), StartsAt: next, Place: &place}, actor, nil); err != nil {
		return nil, fmt.Errorf("seeds: the upcoming demo meeting: %w", err)
	}
	if err := minutes.EnsureMinutesItems(ctx, council.ID); err != nil {
		return nil, err
	}
	drafted := []struct {
		title, description string
		kind               voci.AgendaKind
	}{
		{"Bugetul participativ pentru tineri", "Primăria prezintă cât se poate cheltui și cum votăm propunerile.", voci.AgendaInformation},
		{"Mai multă umbră și bănci în parcuri", "Ce am aflat din consultarea despre parcuri și ce cerem.", voci.AgendaDiscussion},
	}
	var first *voci.AgendaItem
	for _, d := range drafted {
		title, desc, kind := d.title, d.description, d.kind
		_, it, err := meetings.AddItem(ctx, out.Upcoming, adult, voci.AgendaItemInput{Title: &title, Description: &desc, Kind: &kind}, nil)
		if err != nil {
			return nil, fmt.Errorf("seeds: the upcoming demo meeting's agenda: %w", err)
		}
		if first == nil {
			first = it
		}
	}
	note := "Bugetul participativ pentru tineri\n\nSuma propusă: 50.000 lei.\nPropunerile se depun până la sfârșitul lunii.\nFiecare membru al consiliului are un vot.\n"
	if _, _, err := meetings.AddAttachment(ctx, out.Upcoming, first.ID, "buget-participativ.txt", "text/plain", strings.NewReader(note), nil); err != nil {
		return nil, fmt.Errorf("seeds: the demo agenda's document: %w", err)
	}
	if matei := member("Matei"); matei != nil {
		title, desc, kind := "Un skatepark lângă Școala nr. 10", "Mulți copii merg cu placa pe trotuar.", voci.AgendaDecision
		_, it, err := meetings.AddItem(ctx, out.Upcoming, voci.AgendaActor{Member: matei}, voci.AgendaItemInput{Title: &title, Description: &desc, Kind: &kind}, nil)
		if err != nil {
			return nil, fmt.Errorf("seeds: the demo proposal: %w", err)
		}
		accepted := voci.AgendaAccepted
		if _, err := meetings.ChangeItem(ctx, out.Upcoming, adult, it.ID, voci.AgendaChange{Status: &accepted}, nil); err != nil {
			return nil, fmt.Errorf("seeds: the demo proposal accepted: %w", err)
		}
	}
	if out.Upcoming, err = store.FindCouncilMeeting(ctx, out.Upcoming.ID); err != nil {
		return nil, err
	}
	return out, nil
}
