package voci

import (
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestTodayIsRomaniasDay(t *testing.T) {
	// 22:30 UTC on 5 October is 01:30 on 6 October in Bucharest (EEST, UTC+3).
	if got := Today(time.Date(2025, 10, 5, 22, 30, 0, 0, time.UTC)); !got.Equal(date("2025-10-06")) {
		t.Fatalf("Today = %v", got)
	}
	// 22:30 UTC on 5 January is 00:30 on 6 January (EET, UTC+2).
	if got := Today(time.Date(2025, 1, 5, 22, 30, 0, 0, time.UTC)); !got.Equal(date("2025-01-06")) {
		t.Fatalf("Today in winter = %v", got)
	}
	if got := StartOfDay(date("2025-10-06")); !got.Equal(time.Date(2025, 10, 5, 21, 0, 0, 0, time.UTC)) {
		t.Fatalf("StartOfDay = %v", got)
	}
}

func TestStageRules(t *testing.T) {
	now := time.Date(2025, 10, 6, 12, 0, 0, 0, time.UTC)
	never := Municipality{SIRUTA: 21891, Name: "Colonești"}
	at := func(s Stage, since string) Municipality {
		return Municipality{SIRUTA: 21891, Name: "Colonești", Stage: s, StageSince: date(since), Enrolled: s != StagePaused}
	}
	change := func(s Stage, d string) *StageChange {
		return &StageChange{ID: "x", Municipality: 21891, Stage: s, Date: date(d), Note: "  Ședința consiliului local.\r\nHCL 12/2025  "}
	}
	tests := []struct {
		name  string
		m     Municipality
		c     *StageChange
		enrol bool
		code  string
		param string
	}{
		{"enrol at the start", never, change(StageInterested, "2025-10-01"), true, "", ""},
		{"enrol further on", never, change(StageImplementation, "2025-10-06"), true, "", ""},
		{"enrol paused", never, change(StagePaused, "2025-10-01"), true, EINVALID, "stage"},
		{"enrol twice", at(StageInterested, "2025-09-01"), change(StageInterested, "2025-10-01"), true, ECONFLICT, ""},
		{"enrol again after a pause", at(StagePaused, "2025-09-01"), change(StageEvaluation, "2025-10-01"), true, "", ""},
		{"unknown stage", never, change("approved", "2025-10-01"), true, EINVALID, "stage"},
		{"tomorrow", never, change(StageInterested, "2025-10-07"), true, EINVALID, "date"},
		{"before the initiative", never, change(StageInterested, "1995-12-31"), true, EINVALID, "date"},
		{"no date", never, &StageChange{Municipality: 21891, Stage: StageInterested}, true, EINVALID, "date"},

		{"one step on", at(StageMemorandumSigned, "2025-09-01"), change(StageSituationAnalysis, "2025-10-01"), false, "", ""},
		{"same day", at(StageMemorandumSigned, "2025-10-01"), change(StageSituationAnalysis, "2025-10-01"), false, "", ""},
		{"skipping a step with its reason", at(StageMemorandumSigned, "2025-09-01"), change(StageImplementation, "2025-10-01"), false, "", ""},
		{"backwards with its reason", at(StageImplementation, "2025-09-01"), change(StageInterested, "2025-10-01"), false, "", ""},
		{"skipping a step without a reason", at(StageMemorandumSigned, "2025-09-01"), &StageChange{Municipality: 21891, Stage: StageActionPlanAdopted, Date: date("2025-10-01")}, false, EOUTOFORDER, "note"},
		{"backwards without a reason", at(StageImplementation, "2025-09-01"), &StageChange{Municipality: 21891, Stage: StageInterested, Date: date("2025-10-01"), Note: " \r\n "}, false, EOUTOFORDER, "note"},
		{"out of order, before the current stage", at(StageMemorandumSigned, "2025-09-01"), change(StageImplementation, "2025-08-31"), false, EINVALID, "date"},
		{"evaluation back to implementation", at(StageEvaluation, "2025-09-01"), change(StageImplementation, "2025-10-01"), false, "", ""},
		{"a new cycle after recognition", at(StageRecognised, "2025-09-01"), change(StageSituationAnalysis, "2025-10-01"), false, "", ""},
		{"pause from anywhere", at(StageActionPlanAdopted, "2025-09-01"), change(StagePaused, "2025-10-01"), false, "", ""},
		{"resume anywhere", at(StagePaused, "2025-09-01"), change(StageActionPlanAdopted, "2025-10-01"), false, "", ""},
		{"same stage", at(StagePaused, "2025-09-01"), change(StagePaused, "2025-10-01"), false, EINVALID, "stage"},
		{"before the current stage", at(StageMemorandumSigned, "2025-09-01"), change(StageSituationAnalysis, "2025-08-31"), false, EINVALID, "date"},
		{"never enrolled", never, change(StageSituationAnalysis, "2025-10-01"), false, ECONFLICT, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.enrol {
				err = tt.m.CheckEnrolment(tt.c, now)
			} else {
				err = tt.m.CheckStageChange(tt.c, now)
			}
			if ErrorCode(err) != tt.code {
				t.Fatalf("error %v, want code %q", err, tt.code)
			}
			if e, ok := err.(*Error); ok && tt.param != "" && e.Param != tt.param {
				t.Fatalf("error %v names %q, want %q", err, e.Param, tt.param)
			}
			if err == nil && tt.c.Note != "Ședința consiliului local.\nHCL 12/2025" {
				t.Fatalf("note not normalized: %q", tt.c.Note)
			}
		})
	}
}

func TestStageNote(t *testing.T) {
	now := time.Date(2025, 10, 6, 12, 0, 0, 0, time.UTC)
	m := Municipality{SIRUTA: 1, Name: "X"}
	for note, ok := range map[string]bool{
		strings.Repeat("ă", MaxStageNoteChars):   true,
		strings.Repeat("ă", MaxStageNoteChars+1): false,
		"line one\nline two\twith a tab":         true,
		"bell \a":                                false,
		"escape \x1b[31m":                        false,
		"zero \x00":                              false,
		"invalid \xff utf-8":                     false,
	} {
		err := m.CheckEnrolment(&StageChange{Municipality: 1, Stage: StageInterested, Date: date("2025-10-01"), Note: note}, now)
		if (err == nil) != ok {
			t.Errorf("note %.20q: %v, want ok=%v", note, err, ok)
		}
	}
}

func TestProfileUpdateValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	tests := []struct {
		name  string
		u     ProfileUpdate
		param string // "" when valid
	}{
		{"nothing", ProfileUpdate{}, "-"},
		{"population", ProfileUpdate{ChildPopulation: map[AgeBand]*int{AgeUnder10: n(0), Age16to18: n(MaxChildrenPerBand), Age10to12: nil}}, ""},
		{"negative", ProfileUpdate{ChildPopulation: map[AgeBand]*int{Age13to15: n(-1)}}, "childPopulation.13_15"},
		{"too many", ProfileUpdate{ChildPopulation: map[AgeBand]*int{Age13to15: n(MaxChildrenPerBand + 1)}}, "childPopulation.13_15"},
		{"unknown band", ProfileUpdate{ChildPopulation: map[AgeBand]*int{"0_18": n(5)}}, "childPopulation.0_18"},
		{"lead", ProfileUpdate{SafeguardingLead: &Contact{Name: "Elena Bălan", Phone: "+40 (234) 123-456"}}, ""},
		{"lead by email", ProfileUpdate{SafeguardingLead: &Contact{Name: "Elena Bălan", Email: " Elena@Primaria.ro "}}, ""},
		{"lead removed", ProfileUpdate{SafeguardingLead: &Contact{}}, ""},
		{"lead without name", ProfileUpdate{SafeguardingLead: &Contact{Phone: "0234123456"}}, "safeguardingLead.name"},
		{"lead unreachable", ProfileUpdate{SafeguardingLead: &Contact{Name: "Elena"}}, "safeguardingLead.phone"},
		{"letters in phone", ProfileUpdate{SafeguardingLead: &Contact{Name: "Elena", Phone: "call me maybe"}}, "safeguardingLead.phone"},
		{"short phone", ProfileUpdate{SafeguardingLead: &Contact{Name: "Elena", Phone: "112"}}, "safeguardingLead.phone"},
		{"bad email", ProfileUpdate{SafeguardingLead: &Contact{Name: "Elena", Email: "elena@"}}, "safeguardingLead.email"},
		{"control in name", ProfileUpdate{SafeguardingLead: &Contact{Name: "Elena\x1b", Email: "e@x.ro"}}, "safeguardingLead.name"},
		{"deadline", ProfileUpdate{FeedbackDeadlineDays: n(7)}, ""},
		{"deadline short", ProfileUpdate{FeedbackDeadlineDays: n(6)}, "feedbackDeadlineDays"},
		{"deadline long", ProfileUpdate{FeedbackDeadlineDays: n(181)}, "feedbackDeadlineDays"},
	}
	for _, tt := range tests {
		err := tt.u.Validate()
		switch {
		case tt.param == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.param == "-" && ErrorCode(err) != EINVALID:
			t.Errorf("%s: %v, want EINVALID", tt.name, err)
		case tt.param != "" && tt.param != "-" && (ErrorCode(err) != EINVALID || err.(*Error).Param != tt.param):
			t.Errorf("%s: %v, want EINVALID naming %s", tt.name, err, tt.param)
		}
	}
	u := ProfileUpdate{SafeguardingLead: &Contact{Name: " Elena ", Email: " Elena@Primaria.ro ", Phone: " 0234  123 456 "}}
	if err := u.Validate(); err != nil || *u.SafeguardingLead != (Contact{Name: "Elena", Email: "elena@primaria.ro", Phone: "0234 123 456"}) {
		t.Fatalf("normalized %+v, %v", *u.SafeguardingLead, err)
	}
}

func TestAuditFilterNormalize(t *testing.T) {
	from := time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC)
	until := from.Add(24 * time.Hour)
	f := AuditFilter{Municipalities: []int{40198, 20297, 40198}, Action: "municipality.stage", From: &from, Until: &until, Limit: 50}
	if err := f.Normalize(); err != nil || len(f.Municipalities) != 2 || f.Municipalities[0] != 20297 {
		t.Fatalf("%+v, %v", f, err)
	}
	if err := f.Normalize(); err != nil {
		t.Fatalf("not idempotent: %v", err)
	}
	none := AuditFilter{Municipalities: []int{}, Limit: 1}
	if err := none.Normalize(); err != nil || none.Municipalities == nil {
		t.Fatalf("an empty list must stay empty, not become 'all': %+v, %v", none, err)
	}
	for param, bad := range map[string]AuditFilter{
		"limit":        {Limit: 0},
		"page":         {Limit: 1, Offset: -1},
		"municipality": {Limit: 1, Municipalities: []int{-3}},
		"action":       {Limit: 1, Action: "Municipality.Stage"},
		"to":           {Limit: 1, From: &until, Until: &from},
		"actor":        {Limit: 1, ActorID: strings.Repeat("a", 101)},
	} {
		if err := bad.Normalize(); ErrorCode(err) != EINVALID || err.(*Error).Param != param {
			t.Errorf("%s: %v", param, err)
		}
	}
	for _, ok := range []string{"session.sign_in", "municipality.profile_update", "a"} {
		if !isDottedName(ok, 64) {
			t.Errorf("%s refused", ok)
		}
	}
	for _, bad := range []string{".a", "a.", "a..b", "a b", "ă", strings.Repeat("a", 65)} {
		if isDottedName(bad, 64) {
			t.Errorf("%q accepted", bad)
		}
	}
}
