package voci_test

import (
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

// closed is a closed decision vote on no motion with the outcome.
func closed(outcome voci.VoteOutcome, decision bool) *voci.ClosedVote {
	return &voci.ClosedVote{Spec: voci.VoteSpec{Majority: voci.MajoritySimple, Decision: decision}, Result: voci.VoteResult{Outcome: outcome, Yes: 3}}
}

// The vote that approves minutes is the last decision vote on no motion held under the item
// that approves them; one without quorum or not adopted leaves them a draft, and a vote on a
// motion, an indicative vote or a vote under another item does not count.
func TestMinutesApprovalVote(t *testing.T) {
	items := []voci.AgendaItem{{ID: "a", ApprovesMinutesOf: "m-1"}, {ID: "b"}}
	start := func(n int) voci.MeetingEvent { return voci.MeetingEvent{Kind: voci.EventItemStarted, Item: n} }
	vote := func(v *voci.ClosedVote, motion string) voci.MeetingEvent {
		return voci.MeetingEvent{Kind: voci.EventVoteClosed, Vote: v, Motion: motion}
	}
	for _, tc := range []struct {
		name   string
		events []voci.MeetingEvent
		target string
		want   string
	}{
		{"no vote", []voci.MeetingEvent{start(1)}, "m-1", voci.EMINUTESNOTVOTED},
		{"adopted", []voci.MeetingEvent{start(1), vote(closed(voci.VoteAdopted, true), "")}, "m-1", ""},
		{"without quorum", []voci.MeetingEvent{start(1), vote(closed(voci.VoteNotValid, true), "")}, "m-1", voci.EMINUTESNOQUORUM},
		{"not adopted", []voci.MeetingEvent{start(1), vote(closed(voci.VoteNotAdopted, true), "")}, "m-1", voci.EMINUTESNOTADOPTED},
		{"without quorum, then adopted", []voci.MeetingEvent{start(1), vote(closed(voci.VoteNotValid, true), ""), vote(closed(voci.VoteAdopted, true), "")}, "m-1", ""},
		{"adopted, then not", []voci.MeetingEvent{start(1), vote(closed(voci.VoteAdopted, true), ""), vote(closed(voci.VoteNotAdopted, true), "")}, "m-1", voci.EMINUTESNOTADOPTED},
		{"a motion's vote", []voci.MeetingEvent{start(1), vote(closed(voci.VoteAdopted, true), "M-2026-1")}, "m-1", voci.EMINUTESNOTVOTED},
		{"an indicative vote", []voci.MeetingEvent{start(1), vote(closed(voci.VoteAdopted, false), "")}, "m-1", voci.EMINUTESNOTVOTED},
		{"under another item", []voci.MeetingEvent{start(2), vote(closed(voci.VoteAdopted, true), "")}, "m-1", voci.EMINUTESNOTVOTED},
		{"before any item", []voci.MeetingEvent{vote(closed(voci.VoteAdopted, true), "")}, "m-1", voci.EMINUTESNOTVOTED},
		{"other minutes", []voci.MeetingEvent{start(1), vote(closed(voci.VoteAdopted, true), "")}, "m-2", voci.EMINUTESNOTVOTED},
		{"an item beyond the agenda", []voci.MeetingEvent{start(3), vote(closed(voci.VoteAdopted, true), "")}, "m-1", voci.EMINUTESNOTVOTED},
	} {
		_, err := voci.MinutesApprovalVote(tc.events, items, tc.target)
		if got := voci.ErrorCode(err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Approved minutes verify only while their text is the one hashed.
func TestMinutesVerified(t *testing.T) {
	m := voci.MeetingMinutes{Text: "# Proces-verbal\n", Status: voci.MinutesApproved}
	if m.Verified() {
		t.Fatal("verified without a hash")
	}
	m.Hash = voci.MinutesHash(m.Text)
	if voci.MinutesHash("") != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Fatal("not the SHA-256 of the text")
	}
	if !m.Verified() {
		t.Fatal("not verified with its hash")
	}
	m.Text += " "
	if m.Verified() {
		t.Fatal("a changed text verified")
	}
	m.Text, m.Status = "# Proces-verbal\n", voci.MinutesDraft
	if m.Verified() {
		t.Fatal("a draft verified")
	}
}

// On a real store: minutes are drafted only once a meeting has ended; only the secretary in
// office among members edits them, screened; an adult's save lifts screening's hold; the
// approval of minutes is on the next scheduled meeting once, and a meeting cannot approve its
// own minutes.
func TestMinutesRules(t *testing.T) {
	w := newMeetingWorld(t)
	ctx := t.Context()
	clock := func() time.Time { return meetNow }
	rules := voci.NewCouncilMinutes(w.store, w.meetings, moderation.New(), clock)
	held := w.schedule(t)
	_, err := rules.Minutes(ctx, w.council, held)
	wantErr(t, "minutes before the end", err, voci.EMINUTESNOTENDED)
	if err := voci.MoveCouncilMeeting(ctx, w.store, held.ID, voci.MeetingEnded, meetNow.Add(241*time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	held, _ = w.store.FindCouncilMeeting(ctx, held.ID)
	m, err := rules.Minutes(ctx, w.council, held)
	if err != nil || m.Status != voci.MinutesDraft || m.Revision != 1 || !strings.HasPrefix(m.Text, "# Proces-verbal — Consiliul Copiilor") {
		t.Fatalf("the draft %+v %v", m, err)
	}
	if again, err := rules.Minutes(ctx, w.council, held); err != nil || again.Revision != 1 || again.DraftedAt != m.DraftedAt {
		t.Fatalf("read again %+v %v", again, err)
	}
	_, err = rules.EditMinutes(ctx, w.council, held, voci.MinutesEditor{Member: w.bogdi}, "Alt text", 1, nil)
	wantErr(t, "a member who is not the secretary", err, voci.EFORBIDDEN)
	office := voci.CouncilRoleSecretary
	sec, err := w.councils.UpdateMember(ctx, w.council, w.zoli.ID, voci.MemberInput{Office: &office}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rules.EditMinutes(ctx, w.council, held, voci.MinutesEditor{Member: sec}, "  ", 1, nil)
	wantErr(t, "an empty text", err, voci.EINVALID)
	m, err = rules.EditMinutes(ctx, w.council, held, voci.MinutesEditor{Member: sec}, "Scrieți-mi la zoli@example.org", 1, nil)
	if err != nil || !m.Held() || m.Revision != 2 || m.EditedBy != "council_member:"+sec.ID {
		t.Fatalf("the secretary's screened edit %+v %v", m, err)
	}
	_, err = rules.EditMinutes(ctx, w.council, held, voci.MinutesEditor{AccountID: "acct-1"}, "Textul coordonatorului.", 1, nil)
	wantErr(t, "a stale revision", err, voci.ECONFLICT)
	m, err = rules.EditMinutes(ctx, w.council, held, voci.MinutesEditor{AccountID: "acct-1"}, "Textul coordonatorului.", 2, nil)
	if err != nil || m.Held() || m.Text != "Textul coordonatorului." || m.EditedBy != "account:acct-1" {
		t.Fatalf("the coordinator's edit %+v %v", m, err)
	}
	_, err = rules.ApproveMinutes(ctx, w.council, held, held.ID, nil)
	wantErr(t, "a meeting approving its own minutes", err, voci.EMINUTESWRONGMEETING)

	next, err := w.meetings.ScheduleMeeting(ctx, w.council, voci.MeetingInput{Title: "Ședința din ianuarie", StartsAt: meetNow.Add(600 * time.Hour)}, "acct-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := rules.EnsureMinutesItems(ctx, w.council.ID); err != nil {
			t.Fatal(err)
		}
	}
	a, err := w.meetings.Agenda(ctx, next)
	if err != nil || len(a.Items) != 1 || a.Items[0].ApprovesMinutesOf != held.ID || a.Items[0].Kind != voci.AgendaDecision ||
		a.Items[0].Title != voci.MinutesItemTitle(held.StartsAt) {
		t.Fatalf("the next agenda %+v %v", a, err)
	}
	_, err = rules.ApproveMinutes(ctx, w.council, held, next.ID, nil)
	wantErr(t, "approved by a meeting not held", err, voci.EMINUTESWRONGMEETING)
}
