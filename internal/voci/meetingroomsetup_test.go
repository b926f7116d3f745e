package voci_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

func TestSetUpMeetingPicksChairAndSecretary(t *testing.T) {
	consent := &voci.GuardianConsent{GuardianName: "Ana", Method: voci.ConsentPaperForm}
	left := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	members := []voci.CouncilMember{
		{ID: "a", AgeBand: voci.Age16to18},
		{ID: "b", AgeBand: voci.Age13to15, Office: voci.CouncilRoleVicePresident, Consent: consent},
		{ID: "c", AgeBand: voci.Age16to18, Office: voci.CouncilRolePresident, LeftOn: left}, // left: not in office
		{ID: "d", AgeBand: voci.Age13to15, Office: voci.CouncilRoleSecretary},               // no consent
	}
	council := &voci.YouthCouncil{Quorum: voci.DefaultQuorum, Chair: voci.ChairPresidentOrVice}
	cfg := voci.SetUpMeeting(council, members)
	want := voci.MeetingConfig{Quorum: voci.DefaultQuorum, InOffice: []string{"a", "b", "d"}, Chair: "b", Secretary: voci.MeetingOrganizer}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("got %+v, want %+v", cfg, want)
	}
	council.Chair = voci.ChairPresident
	if cfg := voci.SetUpMeeting(council, members); cfg.Chair != voci.MeetingOrganizer {
		t.Fatalf("no president in office: chair %q", cfg.Chair)
	}
	council.Chair = voci.ChairAnyMember
	if cfg := voci.SetUpMeeting(council, members); cfg.Chair != "b" {
		t.Fatalf("any member: chair %q", cfg.Chair)
	}
}

func TestMoveCouncilMeeting(t *testing.T) {
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := t.Context()
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	yc := &voci.YouthCouncil{ID: "yc", Municipality: 20297, Name: "Consiliul", TermStart: day, TermEnd: day.AddDate(1, 0, 0),
		Quorum: voci.DefaultQuorum, Majority: voci.MajoritySimple, Chair: voci.ChairPresident, CreatedAt: day, UpdatedAt: day}
	if err := st.CreateYouthCouncil(ctx, yc, nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"mt", "mt-cancelled"} {
		m := &voci.CouncilMeeting{ID: id, CouncilID: "yc", Municipality: 20297, Title: "Ședința", StartsAt: day.Add(15 * time.Hour),
			State: voci.MeetingStateScheduled, Version: 1, CreatedAt: day, CreatedBy: "acct"}
		if id == "mt-cancelled" {
			m.State = voci.MeetingStateCancelled
		}
		if err := st.CreateCouncilMeeting(ctx, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	opened, ended := day.Add(15*time.Hour), day.Add(17*time.Hour)
	for range 2 { // a retried move changes nothing
		if err := voci.MoveCouncilMeeting(ctx, st, "mt", voci.MeetingOpen, opened, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := voci.MoveCouncilMeeting(ctx, st, "mt", voci.MeetingEnded, ended, nil); err != nil {
		t.Fatal(err)
	}
	m, err := st.FindCouncilMeeting(ctx, "mt")
	if err != nil {
		t.Fatal(err)
	}
	if m.State != voci.MeetingStateEnded || !m.OpenedAt.Equal(opened) || !m.EndedAt.Equal(ended) || m.Version != 3 {
		t.Fatalf("moved meeting %+v", m)
	}
	if err := voci.MoveCouncilMeeting(ctx, st, "mt", voci.MeetingOpen, ended, nil); voci.ErrorCode(err) != voci.EWRONGSTATE {
		t.Fatalf("reopening an ended meeting: %v", err)
	}
	if err := voci.MoveCouncilMeeting(ctx, st, "mt-cancelled", voci.MeetingOpen, ended, nil); voci.ErrorCode(err) != voci.EWRONGSTATE {
		t.Fatalf("opening a cancelled meeting: %v", err)
	}
}
