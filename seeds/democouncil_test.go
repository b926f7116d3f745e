package seeds

import (
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

// The demo gives Bacău a youth council of nine, every under-16 with consent, and issues two
// cards at each start; a second start keeps the council and makes the first cards worthless.
func TestDemoCouncil(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	st := referenceStore(t)
	cards, err := EnsureDemoCouncil(ctx, st, moderation.New(), now)
	if err != nil || len(cards) != 2 || cards[0].DisplayName != "Ana" || cards[1].Office != voci.CouncilRoleSecretary {
		t.Fatalf("first start: %+v %v", cards, err)
	}
	council, err := st.FindYouthCouncil(ctx, 20297)
	if err != nil || council.Name != DemoCouncilName || !council.TermStart.Equal(time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("council %+v %v", council, err)
	}
	members, err := st.ListCouncilMembers(ctx, council.ID)
	if err != nil || len(members) != 9 {
		t.Fatalf("members %d %v", len(members), err)
	}
	for _, m := range members {
		if ok, reason := m.CanTakePart(); !ok {
			t.Errorf("%s cannot take part: %s", m.DisplayName, reason)
		}
	}
	councils := voci.NewYouthCouncils(st, nil, func() time.Time { return now })
	if _, err := councils.SignInWithCard(ctx, cards[0].Secret); err != nil {
		t.Fatalf("the printed card: %v", err)
	}

	again, err := EnsureDemoCouncil(ctx, st, moderation.New(), now.Add(time.Hour))
	if err != nil || len(again) != 2 {
		t.Fatalf("second start: %+v %v", again, err)
	}
	if members, _ := st.ListCouncilMembers(ctx, council.ID); len(members) != 9 {
		t.Fatalf("second start added members: %d", len(members))
	}
	if _, err := councils.SignInWithCard(ctx, cards[0].Secret); voci.ErrorCode(err) != voci.ECARDREVOKED {
		t.Fatalf("the first start's card: %v", err)
	}
	if _, err := councils.SignInWithCard(ctx, again[0].Secret); err != nil {
		t.Fatalf("the second start's card: %v", err)
	}
}

// The demo council gets two held meetings, the later approving the earlier's minutes by vote,
// and an upcoming one whose agenda starts with approving the later's minutes, then three
// items, one proposed by a member; a second start adds nothing.
func TestDemoMeetings(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	st := referenceStore(t)
	if got, err := EnsureDemoMeetings(ctx, st, moderation.New(), now); got != nil || err != nil {
		t.Fatalf("without a council: %+v %v", got, err)
	}
	if _, err := EnsureDemoCouncil(ctx, st, moderation.New(), now); err != nil {
		t.Fatal(err)
	}
	got, err := EnsureDemoMeetings(ctx, st, moderation.New(), now)
	if err != nil || got.Past == nil || got.Upcoming == nil {
		t.Fatalf("meetings %+v %v", got, err)
	}
	if got.Past.State != voci.MeetingStateEnded || !got.Past.StartsAt.Before(now) || got.Past.EndedAt.IsZero() || got.Past.Title != "Ședința din 2 noiembrie" {
		t.Fatalf("past %+v", got.Past)
	}
	if got.Upcoming.State != voci.MeetingStateScheduled || !got.Upcoming.StartsAt.After(now) {
		t.Fatalf("upcoming %+v", got.Upcoming)
	}
	agenda, err := st.FindAgenda(ctx, got.Upcoming.ID)
	if err != nil || len(agenda.Accepted()) != 4 || agenda.Items[0].ApprovesMinutesOf != got.Past.ID || agenda.Items[0].Kind != voci.AgendaDecision {
		t.Fatalf("agenda %+v %v", agenda, err)
	}
	proposed := agenda.Items[3]
	if proposed.ProposerName != "Matei" || proposed.Status != voci.AgendaAccepted || proposed.Held() || len(agenda.Items[1].Attachments) != 1 {
		t.Fatalf("items %+v", agenda.Items)
	}
	earlier, err := st.FindMinutes(ctx, got.Earlier.ID)
	if err != nil || earlier.Status != voci.MinutesApproved || earlier.ApprovedIn != got.Past.ID || !earlier.Verified() ||
		earlier.Approval.Yes == 0 || !strings.Contains(earlier.Text, "Ne întâlnim o dată la trei săptămâni") {
		t.Fatalf("the earlier meeting's minutes %+v %v", earlier, err)
	}
	past, err := st.FindMinutes(ctx, got.Past.ID)
	if err != nil || past.Status != voci.MinutesDraft || !strings.Contains(past.Text, "Mai multă umbră în parcuri") || !strings.Contains(past.Text, "s-a adoptat") {
		t.Fatalf("the past meeting's minutes %+v %v", past, err)
	}
	// The two held meetings count in the national indicators, as meetings the room ended do.
	acts, err := st.ActivityCounts(ctx, got.Earlier.StartsAt.Add(-time.Hour), now, voci.ActivityFilter{Municipality: got.Past.Municipality})
	if a := acts[got.Past.Municipality]; err != nil || a == nil || a.MeetingsHeld != 2 || a.MotionsPassed == 0 {
		t.Fatalf("the demo meetings in the indicators: %+v %v", a, err)
	}
	again, err := EnsureDemoMeetings(ctx, st, moderation.New(), now.Add(time.Hour))
	if err != nil || again.Past.ID != got.Past.ID || again.Earlier.ID != got.Earlier.ID || again.Upcoming.ID != got.Upcoming.ID {
		t.Fatalf("second start %+v %v", again, err)
	}
	if all, _ := st.ListCouncilMeetings(ctx, got.Past.CouncilID); len(all) != 3 {
		t.Fatalf("second start added meetings: %d", len(all))
	}
}
