package storetest

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var councilDay = time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)

func newCouncil(id string, municipality int) *voci.YouthCouncil {
	return &voci.YouthCouncil{ID: id, Municipality: municipality, Name: "Consiliul Copiilor", TermStart: councilDay,
		TermEnd: councilDay.AddDate(2, 0, 0), Quorum: voci.DefaultQuorum, Majority: voci.MajoritySimple, Chair: voci.ChairPresident,
		CreatedAt: auditAt, UpdatedAt: auditAt}
}

func newMember(id, councilID, name string, office voci.CouncilRole) *voci.CouncilMember {
	return &voci.CouncilMember{ID: id, CouncilID: councilID, Municipality: 20297, DisplayName: name, AgeBand: voci.Age13to15,
		Office: office, JoinedOn: councilDay, Version: 1, CreatedAt: auditAt, UpdatedAt: auditAt}
}

// testYouthCouncil: one council per municipality; its rules round-trip and are updated.
func testYouthCouncil(t *testing.T, s voci.Store) {
	ctx := t.Context()
	_, err := s.FindYouthCouncil(ctx, 20297)
	wantCode(t, "no council yet", err, voci.ECOUNCILNOTFOUND)
	c := newCouncil("yc-1", 20297)
	if err := s.CreateYouthCouncil(ctx, c, auditEntry("yc-au-1", "youth_council.create", c.ID)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "second council", s.CreateYouthCouncil(ctx, newCouncil("yc-2", 20297), nil), voci.ECONFLICT)
	got, err := s.FindYouthCouncil(ctx, 20297)
	if err != nil || got.ID != "yc-1" || got.Name != c.Name || !got.TermStart.Equal(councilDay) || !got.TermEnd.Equal(c.TermEnd) ||
		got.Quorum != voci.DefaultQuorum || got.Majority != voci.MajoritySimple || got.Chair != voci.ChairPresident || !got.CreatedAt.Equal(auditAt) {
		t.Fatalf("round trip %+v %v", got, err)
	}
	c.Name, c.Quorum, c.Majority, c.Chair = "Sfatul", voci.QuorumRule{Numerator: 2, Denominator: 3}, voci.MajorityTwoThirds, voci.ChairAnyMember
	c.UpdatedAt = auditAt.Add(time.Hour)
	if err := s.UpdateYouthCouncil(ctx, c, auditEntry("yc-au-2", "youth_council.update", c.ID)); err != nil {
		t.Fatal(err)
	}
	got, err = s.FindYouthCouncil(ctx, 20297)
	if err != nil || got.Name != "Sfatul" || got.Quorum.Numerator != 2 || got.Majority != voci.MajorityTwoThirds || got.Chair != voci.ChairAnyMember ||
		!got.UpdatedAt.Equal(c.UpdatedAt) {
		t.Fatalf("updated %+v %v", got, err)
	}
	wantCode(t, "unknown council", s.UpdateYouthCouncil(ctx, newCouncil("yc-none", 1), nil), voci.ECOUNCILNOTFOUND)
	if _, err := s.CompletePendingAudit(ctx); err != nil {
		t.Fatal(err)
	}
	entries, n, err := s.FindAudit(ctx, voci.AuditFilter{Municipalities: []int{20297}, Limit: 10})
	if err != nil || n != 2 || entries[0].Action != "youth_council.update" {
		t.Fatalf("audit %+v %d %v", entries, n, err)
	}
}

// testCouncilMembers: members round-trip with their consent; an office is held by one member
// in office at a time; a change on an older version is refused.
func testCouncilMembers(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateYouthCouncil(ctx, newCouncil("yc-m", 20297), nil); err != nil {
		t.Fatal(err)
	}
	ana := newMember("m-1", "yc-m", "Ana", voci.CouncilRolePresident)
	if err := s.CreateCouncilMember(ctx, ana, auditEntry("m-au-1", "youth_council.member_add", ana.ID)); err != nil {
		t.Fatal(err)
	}
	second := newMember("m-2", "yc-m", "Bogdi", voci.CouncilRolePresident)
	second.CreatedAt = auditAt.Add(time.Minute)
	wantCode(t, "second president", s.CreateCouncilMember(ctx, second, nil), voci.EOFFICETAKEN)
	second.Office = voci.CouncilRoleSecretary
	if err := s.CreateCouncilMember(ctx, second, nil); err != nil {
		t.Fatal(err)
	}
	third := newMember("m-3", "yc-m", "Zoli", voci.CouncilRoleNone)
	third.CreatedAt = auditAt.Add(2 * time.Minute)
	if err := s.CreateCouncilMember(ctx, third, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateYouthCouncil(ctx, newCouncil("yc-other", 20298), nil); err != nil {
		t.Fatal(err)
	}
	other := newMember("m-x", "yc-other", "Ana", voci.CouncilRolePresident)
	if err := s.CreateCouncilMember(ctx, other, nil); err != nil {
		t.Fatalf("a president in another council: %v", err)
	}

	list, err := s.ListCouncilMembers(ctx, "yc-m")
	if err != nil || len(list) != 3 || list[0].ID != "m-1" || list[1].ID != "m-2" || list[2].ID != "m-3" {
		t.Fatalf("list %+v %v", list, err)
	}

	// Zoli may not become president while Ana is, whatever the version.
	z := list[2]
	z.Office, z.Version = voci.CouncilRolePresident, 2
	wantCode(t, "office taken by update", s.UpdateCouncilMember(ctx, &z, nil), voci.EOFFICETAKEN)

	// Ana's guardian consents, then Ana leaves: her office is free and her name removed.
	a := list[0]
	a.Consent = &voci.GuardianConsent{GuardianName: "Maria Popescu", GivenOn: councilDay, Method: voci.ConsentPaperForm, Scope: "council meetings",
		RecordedBy: "acct-1", RecordedAt: auditAt}
	a.Version = 2
	if err := s.UpdateCouncilMember(ctx, &a, auditEntry("m-au-2", "youth_council.consent_record", a.ID)); err != nil {
		t.Fatal(err)
	}
	stale := list[0]
	stale.DisplayName, stale.Version = "Anca", 2
	wantCode(t, "stale version", s.UpdateCouncilMember(ctx, &stale, nil), voci.ECONFLICT)
	ghost := newMember("m-none", "yc-m", "Nobody", voci.CouncilRoleNone)
	ghost.Version = 2
	wantCode(t, "unknown member", s.UpdateCouncilMember(ctx, ghost, nil), voci.ENOTFOUND)

	got, err := s.FindCouncilMember(ctx, "m-1")
	if err != nil || got.Version != 2 || got.Consent == nil || got.Consent.GuardianName != "Maria Popescu" || !got.Consent.GivenOn.Equal(councilDay) ||
		got.Consent.Method != voci.ConsentPaperForm || got.Consent.Scope != "council meetings" || !got.Consent.RecordedAt.Equal(auditAt) ||
		!got.Consent.WithdrawnOn.IsZero() || got.AgeBand != voci.Age13to15 || !got.JoinedOn.Equal(councilDay) {
		t.Fatalf("consent round trip %+v %v", got, err)
	}
	got.Consent.WithdrawnOn = councilDay.AddDate(0, 1, 0)
	got.LeftOn, got.Office, got.NameRemoved, got.Version = councilDay.AddDate(0, 1, 0), voci.CouncilRoleNone, true, 3
	if err := s.UpdateCouncilMember(ctx, got, nil); err != nil {
		t.Fatal(err)
	}
	z.Version = 2
	if err := s.UpdateCouncilMember(ctx, &z, nil); err != nil {
		t.Fatalf("president after the last one left: %v", err)
	}
	got, err = s.FindCouncilMember(ctx, "m-1")
	if err != nil || got.InOffice() || !got.NameRemoved || got.Office != voci.CouncilRoleNone || !got.Consent.WithdrawnOn.Equal(councilDay.AddDate(0, 1, 0)) {
		t.Fatalf("left %+v %v", got, err)
	}
	_, err = s.FindCouncilMember(ctx, "m-none")
	wantCode(t, "find unknown", err, voci.ENOTFOUND)
}

// testCouncilCards: a member has one valid card; a new one replaces it, revoking ends it, a
// member who left gets none; members' sessions round-trip.
func testCouncilCards(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateYouthCouncil(ctx, newCouncil("yc-c", 20297), nil); err != nil {
		t.Fatal(err)
	}
	m := newMember("mc-1", "yc-c", "Ana", voci.CouncilRoleNone)
	if err := s.CreateCouncilMember(ctx, m, nil); err != nil {
		t.Fatal(err)
	}
	first := &voci.CouncilCard{ID: "card-1", MemberID: m.ID, CouncilID: "yc-c", Municipality: 20297, TokenHash: "h1", IssuedBy: "acct-1", IssuedAt: auditAt}
	if err := s.IssueCouncilCard(ctx, first, auditEntry("c-au-1", "youth_council.card_issue", m.ID)); err != nil {
		t.Fatal(err)
	}
	dup := *first
	dup.ID = "card-dup"
	wantCode(t, "hash taken", s.IssueCouncilCard(ctx, &dup, nil), voci.ECONFLICT)
	if got, _ := s.FindCouncilMember(ctx, m.ID); got.CardID != "card-1" {
		t.Fatalf("member's card %q", got.CardID)
	}
	second := &voci.CouncilCard{ID: "card-2", MemberID: m.ID, CouncilID: "yc-c", Municipality: 20297, TokenHash: "h2", IssuedBy: "acct-1", IssuedAt: auditAt.Add(time.Hour)}
	if err := s.IssueCouncilCard(ctx, second, nil); err != nil {
		t.Fatal(err)
	}
	old, err := s.FindCouncilCardByTokenHash(ctx, "h1")
	if err != nil || old.ID != "card-1" || !old.RevokedAt.Equal(second.IssuedAt) || old.MemberID != m.ID || !old.IssuedAt.Equal(auditAt) {
		t.Fatalf("replaced card %+v %v", old, err)
	}
	cur, err := s.FindCouncilCardByTokenHash(ctx, "h2")
	if err != nil || cur.ID != "card-2" || !cur.RevokedAt.IsZero() || cur.Municipality != 20297 || cur.IssuedBy != "acct-1" {
		t.Fatalf("current card %+v %v", cur, err)
	}
	if got, _ := s.FindCouncilMember(ctx, m.ID); got.CardID != "card-2" {
		t.Fatalf("member's card %q", got.CardID)
	}
	_, err = s.FindCouncilCardByTokenHash(ctx, "h-none")
	wantCode(t, "unknown card", err, voci.ENOTFOUND)

	if err := s.RevokeCouncilCard(ctx, m.ID, auditAt.Add(2*time.Hour), auditEntry("c-au-2", "youth_council.card_revoke", m.ID)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "revoke twice", s.RevokeCouncilCard(ctx, m.ID, auditAt, nil), voci.ENOTFOUND)
	cur, _ = s.FindCouncilCardByTokenHash(ctx, "h2")
	if got, _ := s.FindCouncilMember(ctx, m.ID); got.CardID != "" || !cur.RevokedAt.Equal(auditAt.Add(2*time.Hour)) {
		t.Fatalf("after revoke: member card %q, card %+v", got.CardID, cur)
	}

	gone := newMember("mc-2", "yc-c", "Bogdi", voci.CouncilRoleNone)
	gone.LeftOn = councilDay
	if err := s.CreateCouncilMember(ctx, gone, nil); err != nil {
		t.Fatal(err)
	}
	card := &voci.CouncilCard{ID: "card-3", MemberID: gone.ID, CouncilID: "yc-c", Municipality: 20297, TokenHash: "h3", IssuedBy: "acct-1", IssuedAt: auditAt}
	wantCode(t, "card for a member who left", s.IssueCouncilCard(ctx, card, nil), voci.EMEMBERLEFT)
	_, err = s.FindCouncilCardByTokenHash(ctx, "h3")
	wantCode(t, "refused card is not kept", err, voci.ENOTFOUND)
	card.MemberID, card.ID = "mc-none", "card-4"
	wantCode(t, "card for nobody", s.IssueCouncilCard(ctx, card, nil), voci.ENOTFOUND)

	ms := &voci.MemberSession{ID: "ms-1", MemberID: m.ID, CouncilID: "yc-c", Municipality: 20297, CardID: "card-2", CSRFToken: "csrf", CreatedAt: auditAt}
	if err := s.CreateMemberSession(ctx, ms); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "session twice", s.CreateMemberSession(ctx, ms), voci.ECONFLICT)
	got, err := s.FindMemberSession(ctx, "ms-1")
	if err != nil || *got != *ms {
		t.Fatalf("session %+v %v", got, err)
	}
	if err := s.DeleteMemberSession(ctx, "ms-1"); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindMemberSession(ctx, "ms-1")
	wantCode(t, "ended session", err, voci.ENOTFOUND)
	if err := s.DeleteMemberSession(ctx, "ms-1"); err != nil {
		t.Fatal(err)
	}

	if _, err := s.CompletePendingAudit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"youth_council.card_issue", "youth_council.card_revoke"} {
		if _, n, err := s.FindAudit(ctx, voci.AuditFilter{Action: action, Limit: 10}); err != nil || n != 1 {
			t.Fatalf("%s: %d entries, %v", action, n, err)
		}
	}
}
