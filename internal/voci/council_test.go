package voci_test

import (
	"testing"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

func TestValidateDisplayName(t *testing.T) {
	screener := moderation.New()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Ana", "Ana", true},
		{"  Ana   Maria ", "Ana Maria", true},
		{"Zsófi", "Zsófi", true},
		{"Iulică", "Iulică", true},
		{"D'Artagnan", "D'Artagnan", true},
		{"Ana Popescu", "", false}, // a surname
		{"Andrei Ionescu", "", false},
		{"Mihai07", "", false},
		{"ana@example.org", "", false},
		{"0722123456", "", false},
		{"@ana_b", "", false},
		{"Ana Maria Ioana", "", false}, // three words
		{"A", "", false},
		{"Abcdefghijklmnopqrstuvwxyz", "", false},
		{"", "", false},
	} {
		got, err := voci.ValidateDisplayName(tc.in, screener)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("%q: %q %v, want %q", tc.in, got, err, tc.want)
		}
		if !tc.ok && voci.ErrorCode(err) != voci.EINVALID {
			t.Errorf("%q: accepted as %q, want EINVALID", tc.in, got)
		}
	}
}

func TestCanTakePartAndChair(t *testing.T) {
	consent := &voci.GuardianConsent{GuardianName: "Maria Ionescu"}
	withdrawn := &voci.GuardianConsent{GuardianName: "Maria Ionescu", WithdrawnOn: consent.GivenOn.AddDate(2026, 0, 0)}
	for _, tc := range []struct {
		name   string
		m      voci.CouncilMember
		ok     bool
		reason string
	}{
		{"16-18 without consent", voci.CouncilMember{AgeBand: voci.Age16to18}, true, ""},
		{"13-15 without consent", voci.CouncilMember{AgeBand: voci.Age13to15}, false, voci.PartReasonConsentMissing},
		{"10-12 with consent", voci.CouncilMember{AgeBand: voci.Age10to12, Consent: consent}, true, ""},
		{"10-12 withdrawn", voci.CouncilMember{AgeBand: voci.Age10to12, Consent: withdrawn}, false, voci.PartReasonConsentWithdrawn},
		{"left", voci.CouncilMember{AgeBand: voci.Age16to18, LeftOn: withdrawn.WithdrawnOn}, false, voci.PartReasonLeft},
	} {
		ok, reason := tc.m.CanTakePart()
		if ok != tc.ok || reason != tc.reason {
			t.Errorf("%s: %v %q, want %v %q", tc.name, ok, reason, tc.ok, tc.reason)
		}
	}
	vice := &voci.CouncilMember{AgeBand: voci.Age16to18, Office: voci.CouncilRoleVicePresident}
	plain := &voci.CouncilMember{AgeBand: voci.Age16to18}
	noConsent := &voci.CouncilMember{AgeBand: voci.Age13to15, Office: voci.CouncilRolePresident}
	for _, tc := range []struct {
		rule voci.ChairRule
		m    *voci.CouncilMember
		want bool
	}{
		{voci.ChairPresident, vice, false},
		{voci.ChairPresidentOrVice, vice, true},
		{voci.ChairPresidentOrVice, plain, false},
		{voci.ChairAnyMember, plain, true},
		{voci.ChairPresident, noConsent, false}, // a president who cannot take part cannot chair
	} {
		c := &voci.YouthCouncil{Chair: tc.rule}
		if got := c.MayChair(tc.m); got != tc.want {
			t.Errorf("%s %+v: %v", tc.rule, tc.m, got)
		}
	}
}
