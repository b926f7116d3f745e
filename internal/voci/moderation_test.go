package voci

import "testing"

func TestInitialModerationNeverApprovesALiveText(t *testing.T) {
	for _, c := range []struct {
		flags        []string
		typedByAdult bool
		want         ModerationState
	}{
		{nil, false, ModerationPending},
		{[]string{"phone"}, false, ModerationHeld},
		{[]string{"phone"}, true, ModerationHeld},
		{nil, true, ModerationApproved}, // a paper form: the adult who typed it has read it
	} {
		if got := InitialModeration(c.flags, c.typedByAdult); got != c.want {
			t.Errorf("InitialModeration(%v, %v) = %s, want %s", c.flags, c.typedByAdult, got, c.want)
		}
	}
}

func TestCheckModerationAsksToConfirmFlaggedText(t *testing.T) {
	held := &Answer{Moderation: ModerationHeld, Flags: []string{"address"}}
	rejected := &Answer{Moderation: ModerationRejected, Flags: []string{"phone"}}
	pending := &Answer{Moderation: ModerationPending}
	for _, c := range []struct {
		a       *Answer
		state   ModerationState
		confirm bool
		want    string
	}{
		{held, ModerationApproved, false, EHELDNEEDSCONFIRM},
		{rejected, ModerationApproved, false, EHELDNEEDSCONFIRM},
		{held, ModerationApproved, true, ""},
		{held, ModerationRejected, false, ""},
		{pending, ModerationApproved, false, ""},
		{pending, ModerationHeld, true, EINVALID},
		{&Answer{}, ModerationApproved, true, EINVALID},
	} {
		if got := ErrorCode(CheckModeration(c.a, c.state, c.confirm)); got != c.want {
			t.Errorf("CheckModeration(%s %v, %s, %v) = %q, want %q", c.a.Moderation, c.a.Flags, c.state, c.confirm, got, c.want)
		}
	}
}
