package seeds

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// The demo council's meetings: one held three weeks ago, ended, and one in nine days with an
// agenda of three items, one of them proposed by a member from their phone.

// DemoCoordinator is the demo account that scheduled the meetings, when it exists.
const DemoCoordinator = "coordinator.bacau@demo.voci.ro"

// DemoMeetings are the demo council's past and upcoming meetings. The past meeting's minutes
// are the meeting room's: it drafts them from the meeting's record (seeded with Past).
type DemoMeetings struct {
	Past     *voci.CouncilMeeting
	Upcoming *voci.CouncilMeeting
}

// DemoMeetingStore is what the demo meetings are written to.
type DemoMeetingStore interface {
	voci.YouthCouncilStore
	voci.MeetingAgendaStore
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
			case m.State == voci.MeetingStateEnded && out.Past == nil:
				out.Past = m
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

	// The past meeting: scheduled a month ago, held three weeks ago.
	pastStart := day(now.AddDate(0, 0, -21))
	clock = pastStart.AddDate(0, 0, -7)
	if out.Past, err = meetings.ScheduleMeeting(ctx, council, voci.MeetingInput{Title: meetingTitle(pastStart), StartsAt: pastStart, Place: &place}, actor, nil); err != nil {
		return nil, fmt.Errorf("seeds: the past demo meeting: %w", err)
	}
	for _, it := range []struct {
		title string
		kind  voci.AgendaKind
	}{{"Cum lucrăm împreună: regulile consiliului", voci.AgendaDiscussion}, {"Ce propunem primăriei în acest an", voci.AgendaDecision}} {
		title, kind := it.title, it.kind
		if _, _, err := meetings.AddItem(ctx, out.Past, adult, voci.AgendaItemInput{Title: &title, Kind: &kind}, nil); err != nil {
			return nil, fmt.Errorf("seeds: the past demo meeting's agenda: %w", err)
		}
	}
	// The room opened and ended it (as internal/voci/meeting*.go does, live).
	past := *out.Past
	past.State, past.OpenedAt, past.Version = voci.MeetingStateOpen, pastStart.Add(5*time.Minute), past.Version+1
	if err := store.UpdateCouncilMeeting(ctx, &past, nil); err != nil {
		return nil, err
	}
	past.State, past.EndedAt, past.Version = voci.MeetingStateEnded, pastStart.Add(80*time.Minute), past.Version+1
	if err := store.UpdateCouncilMeeting(ctx, &past, nil); err != nil {
		return nil, err
	}
	out.Past = &past

	// The upcoming meeting, with an agenda of three items: two drafted by the coordinator, one
	// proposed by Matei from his phone and accepted.
	clock = now
	next := day(now.AddDate(0, 0, 9))
	if out.Upcoming, err = meetings.ScheduleMeeting(ctx, council, voci.MeetingInput{Title: meetingTitle(next), StartsAt: next, Place: &place}, actor, nil); err != nil {
		return nil, fmt.Errorf("seeds: the upcoming demo meeting: %w", err)
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
