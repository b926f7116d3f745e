package voci_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

// Planned sessions on a real SQLite file, with a clock the test sets. The clock reads
// 2026-05-04 09:00 in Romania (06:00 UTC).

var planNow = time.Date(2026, 5, 4, 6, 0, 0, 0, time.UTC)

type planWorld struct {
	p     *voci.Participation
	store *sqlitestore.Store
	mu    sync.Mutex
	now   time.Time
	c     *voci.Consultation
}

func (w *planWorld) set(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = t
}

func newPlanWorld(t *testing.T) *planWorld {
	t.Helper()
	ctx := t.Context()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &planWorld{store: st, now: planNow}
	w.p = voci.NewParticipation(st, moderation.New(), 5)
	w.p.Clock = func() time.Time {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.now
	}
	if _, err := st.SeedReferenceData(ctx, []voci.County{{Code: 4, SIRUTA: 47, Name: "Bacău", Abbrev: "BC"}, {Code: 8, SIRUTA: 83, Name: "Brașov", Abbrev: "BV"}},
		[]voci.Municipality{{SIRUTA: 20297, Name: "Bacău", Kind: voci.KindMunicipality, Urban: true, CountyCode: 4},
			{SIRUTA: 40198, Name: "Brașov", Kind: voci.KindMunicipality, Urban: true, CountyCode: 8}}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []*voci.Account{
		{ID: "fac", Email: "fac@example.org", DisplayName: "Ioana Facilitatoare", Roles: []voci.RoleGrant{{Role: voci.RoleFacilitator, Municipality: 20297}}},
		{ID: "coord", Email: "coord@example.org", DisplayName: "Coordonatorul", Roles: []voci.RoleGrant{{Role: voci.RoleCoordinator, Municipality: 20297}}},
		{ID: "council", Email: "council@example.org", DisplayName: "Consilier", Roles: []voci.RoleGrant{{Role: voci.RoleCouncilMember, Municipality: 20297}}},
		{ID: "brasov", Email: "bv@example.org", DisplayName: "Din Brașov", Roles: []voci.RoleGrant{{Role: voci.RoleFacilitator, Municipality: 40198}}},
		{ID: "off", Email: "off@example.org", DisplayName: "Plecată", Disabled: true, Roles: []voci.RoleGrant{{Role: voci.RoleFacilitator, Municipality: 20297}}},
	} {
		a.CreatedAt, a.UpdatedAt = planNow, planNow
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	w.c = &voci.Consultation{Municipality: 20297, Title: "Parcul nostru", AudienceBody: "Consiliul Local Bacău",
		AnswerBy: planNow.AddDate(0, 2, 0), Modes: []voci.Mode{voci.ModeLive}}
	if err := w.p.CreateConsultation(ctx, "coord", w.c, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.p.AddQuestion(ctx, w.c, &voci.Question{Kind: voci.KindSingle, Prompt: "Ce vrei în parc?",
		Options: []voci.Option{{Label: "leagăne"}, {Label: "copaci"}}}, nil); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *planWorld) open(t *testing.T) {
	t.Helper()
	if err := w.p.SetConsultationStatus(t.Context(), w.c, voci.StatusOpen, nil); err != nil {
		t.Fatal(err)
	}
}

func goodPlan() voci.PlannedSessionInput {
	return voci.PlannedSessionInput{Start: "2026-05-05T10:00", Minutes: 50, Group: "Clasa a VI-a B, Școala nr. 5",
		Place: "Biblioteca Costache Sturdza", FacilitatorID: "fac"}
}

func TestPlanSessionRules(t *testing.T) {
	w := newPlanWorld(t)
	ctx := t.Context()
	tests := []struct {
		name  string
		edit  func(in *voci.PlannedSessionInput)
		param string // "" when the plan is taken
	}{
		{"a plan for tomorrow", func(in *voci.PlannedSessionInput) {}, ""},
		{"this very minute, in Romania's time", func(in *voci.PlannedSessionInput) { in.Start = "2026-05-04T09:00" }, ""},
		{"a minute ago, typed as it began", func(in *voci.PlannedSessionInput) { in.Start = "2026-05-04T08:59" }, ""},
		{"fifteen minutes ago", func(in *voci.PlannedSessionInput) { in.Start = "2026-05-04T08:45" }, ""},
		{"sixteen minutes ago", func(in *voci.PlannedSessionInput) { in.Start = "2026-05-04T08:44" }, "start"},
		{"9:00 UTC is not Romania's 9:00", func(in *voci.PlannedSessionInput) { in.Start = "2026-05-04T06:30" }, "start"},
		{"more than a year ahead", func(in *voci.PlannedSessionInput) { in.Start = "2027-06-01T10:00" }, "start"},
		{"not a time", func(in *voci.PlannedSessionInput) { in.Start = "mâine la 10" }, "start"},
		{"with seconds and zone", func(in *voci.PlannedSessionInput) { in.Start = "2026-05-05T10:00:00Z" }, "start"},
		{"too short", func(in *voci.PlannedSessionInput) { in.Minutes = 5 }, "minutes"},
		{"too long", func(in *voci.PlannedSessionInput) { in.Minutes = 300 }, "minutes"},
		{"no group", func(in *voci.PlannedSessionInput) { in.Group = "  " }, "group"},
		{"a group too long", func(in *voci.PlannedSessionInput) { in.Group = string(make([]byte, 81)) + "x" }, "group"},
		{"a child's name in the group", func(in *voci.PlannedSessionInput) { in.Group = "Grupa lui Andrei Popescu" }, "group"},
		{"a phone number in the group", func(in *voci.PlannedSessionInput) { in.Group = "Clasa a V-a, sunați 0722 123 456" }, "group"},
		{"no place", func(in *voci.PlannedSessionInput) { in.Place = "" }, "place"},
		{"a place named after a person", func(in *voci.PlannedSessionInput) { in.Place = "Casa de Cultură George Apostu, str. Mărăști 5" }, ""},
		{"a phone number as the place", func(in *voci.PlannedSessionInput) { in.Place = "sunați la 0722 123 456" }, "place"},
		{"nobody to run it", func(in *voci.PlannedSessionInput) { in.FacilitatorID = "" }, "facilitatorId"},
		{"a coordinator runs it", func(in *voci.PlannedSessionInput) { in.FacilitatorID = "coord" }, ""},
		{"a council member cannot", func(in *voci.PlannedSessionInput) { in.FacilitatorID = "council" }, "facilitatorId"},
		{"another municipality's facilitator", func(in *voci.PlannedSessionInput) { in.FacilitatorID = "brasov" }, "facilitatorId"},
		{"a disabled account", func(in *voci.PlannedSessionInput) { in.FacilitatorID = "off" }, "facilitatorId"},
		{"an unknown account", func(in *voci.PlannedSessionInput) { in.FacilitatorID = "nobody" }, "facilitatorId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := goodPlan()
			tt.edit(&in)
			p, err := w.p.PlanSession(ctx, w.c, "coord", in, nil)
			if tt.param == "" {
				if err != nil {
					t.Fatal(err)
				}
				want, _ := voci.ParseRomanianTime("start", in.Start)
				if p.Revision != 1 || !p.StartsAt.Equal(want) || p.Group == "" || p.Municipality != 20297 {
					t.Fatalf("planned %+v", p)
				}
				return
			}
			e, ok := err.(*voci.Error)
			if !ok || e.Code != voci.EINVALID || e.Param != tt.param {
				t.Fatalf("got %v, want invalid %s", err, tt.param)
			}
		})
	}
	if got, _ := voci.ParseRomanianTime("start", "2026-05-05T10:00"); !got.Equal(time.Date(2026, 5, 5, 7, 0, 0, 0, time.UTC)) {
		t.Fatalf("Romania's 10:00 in summer is 07:00 UTC, got %v", got)
	}
	if got, _ := voci.ParseRomanianTime("start", "2026-12-08T10:00"); !got.Equal(time.Date(2026, 12, 8, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("Romania's 10:00 in winter is 08:00 UTC, got %v", got)
	}

	// A closed consultation takes no plans and its plans no edits.
	p, err := w.p.PlanSession(ctx, w.c, "coord", goodPlan(), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.open(t)
	if err := w.p.SetConsultationStatus(ctx, w.c, voci.StatusClosed, nil); err != nil {
		t.Fatal(err)
	}
	_, err = w.p.PlanSession(ctx, w.c, "coord", goodPlan(), nil)
	wantCode(t, "plan for a closed consultation", err, voci.ECONFLICT)
	_, err = w.p.UpdatePlannedSession(ctx, w.c, p, 1, goodPlan(), nil)
	wantCode(t, "edit for a closed consultation", err, voci.ECONFLICT)
}

func TestPlannedSessionEditAndCancel(t *testing.T) {
	w := newPlanWorld(t)
	ctx := t.Context()
	p, err := w.p.PlanSession(ctx, w.c, "coord", goodPlan(), nil)
	if err != nil {
		t.Fatal(err)
	}
	in := goodPlan()
	in.Place, in.Minutes = "Sala mare a Primăriei", 90
	edited, err := w.p.UpdatePlannedSession(ctx, w.c, p, 1, in, nil)
	if err != nil || edited.Revision != 2 || edited.Place != "Sala mare a Primăriei" || edited.Minutes != 90 {
		t.Fatalf("edited %+v %v", edited, err)
	}
	// Someone still on revision 1.
	_, err = w.p.UpdatePlannedSession(ctx, w.c, edited, 1, goodPlan(), nil)
	wantCode(t, "stale edit", err, voci.ECHANGED)
	_, err = w.p.CancelPlannedSession(ctx, edited, 1, nil)
	wantCode(t, "stale cancel", err, voci.ECHANGED)
	// The domain's view was stale, the store's check holds.
	_, err = w.p.UpdatePlannedSession(ctx, w.c, p, 1, goodPlan(), nil)
	wantCode(t, "edit from an old copy", err, voci.ECHANGED)

	// Its time passes: a later edit that keeps the time is taken, one that moves it into the past is not.
	w.set(planNow.Add(30 * time.Hour))
	in.Place = "Sala mică"
	edited, err = w.p.UpdatePlannedSession(ctx, w.c, edited, 2, in, nil)
	if err != nil || edited.Place != "Sala mică" {
		t.Fatalf("kept time %+v %v", edited, err)
	}
	in.Start = "2026-05-05T09:59"
	_, err = w.p.UpdatePlannedSession(ctx, w.c, edited, 3, in, nil)
	wantCode(t, "moved into the past", err, voci.EINVALID)

	cancelled, err := w.p.CancelPlannedSession(ctx, edited, 3, nil)
	if err != nil || !cancelled.Cancelled || cancelled.Revision != 4 {
		t.Fatalf("cancelled %+v %v", cancelled, err)
	}
	_, err = w.p.UpdatePlannedSession(ctx, w.c, cancelled, 4, goodPlan(), nil)
	wantCode(t, "edit of a cancelled plan", err, voci.EPLANNEDCANCELLED)
	_, err = w.p.CancelPlannedSession(ctx, cancelled, 4, nil)
	wantCode(t, "second cancel", err, voci.EPLANNEDCANCELLED)
	w.open(t)
	_, _, err = w.p.StartPlannedSession(ctx, w.c, cancelled, "fac", nil, nil)
	wantCode(t, "start of a cancelled plan", err, voci.EPLANNEDCANCELLED)
}

func TestStartPlannedSessionOnce(t *testing.T) {
	w := newPlanWorld(t)
	ctx := t.Context()
	p, err := w.p.PlanSession(ctx, w.c, "coord", goodPlan(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A draft cannot run a session, and the refusal leaves the plan as it was.
	_, _, err = w.p.StartPlannedSession(ctx, w.c, p, "fac", nil, nil)
	wantCode(t, "start for a draft", err, voci.ENOTREADY)
	if got, err := w.store.FindPlannedSession(ctx, p.ID); err != nil || got.Started() || got.Revision != 1 {
		t.Fatalf("after a refused start %+v %v", got, err)
	}
	w.open(t)

	// Eight presses at once, each from its own copy of the plan as read before.
	var wg sync.WaitGroup
	type result struct {
		l       *voci.LiveSession
		started bool
		err     error
	}
	results := make([]result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			copyOf := *p
			l, started, err := w.p.StartPlannedSession(ctx, w.c, &copyOf, "fac", nil, nil)
			results[i] = result{l, started, err}
		}()
	}
	wg.Wait()
	sessions, err := w.store.ListLiveSessions(ctx, w.c.ID)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("%d live sessions, want 1 (%v)", len(sessions), err)
	}
	starters := 0
	for i, r := range results {
		switch {
		case r.err == nil:
			if r.l.ID != sessions[0].ID {
				t.Fatalf("press %d got session %s, want %s", i, r.l.ID, sessions[0].ID)
			}
			if r.started {
				starters++
			}
		case voci.ErrorCode(r.err) == voci.EPLANNEDSTARTING:
			// Read while the winner was still making the session.
		default:
			t.Fatalf("press %d: %v", i, r.err)
		}
	}
	if starters != 1 {
		t.Fatalf("%d presses started the session, want 1", starters)
	}
	got, err := w.store.FindPlannedSession(ctx, p.ID)
	if err != nil || got.LiveSessionID != sessions[0].ID || !got.StartedAt.Equal(planNow) {
		t.Fatalf("linked %+v %v", got, err)
	}
	// A later press opens the same session; the plan no longer changes.
	l, started, err := w.p.StartPlannedSession(ctx, w.c, got, "fac", nil, nil)
	if err != nil || started || l.ID != sessions[0].ID {
		t.Fatalf("later press %v %v %v", l, started, err)
	}
	_, err = w.p.UpdatePlannedSession(ctx, w.c, got, got.Revision, goodPlan(), nil)
	wantCode(t, "edit of a started plan", err, voci.EPLANNEDSTARTED)
	_, err = w.p.CancelPlannedSession(ctx, got, got.Revision, nil)
	wantCode(t, "cancel of a started plan", err, voci.EPLANNEDSTARTED)
}

func TestStartPlannedSessionTakesOverAStaleClaim(t *testing.T) {
	w := newPlanWorld(t)
	ctx := t.Context()
	w.open(t)
	p, err := w.p.PlanSession(ctx, w.c, "coord", goodPlan(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// An instance claimed the plan and stopped before it made the session.
	if err := w.store.LinkPlannedSession(ctx, p.ID, "", "live-never-made", planNow, nil); err != nil {
		t.Fatal(err)
	}
	claimed, err := w.store.FindPlannedSession(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = w.p.StartPlannedSession(ctx, w.c, claimed, "fac", nil, nil)
	wantCode(t, "a fresh claim", err, voci.EPLANNEDSTARTING)

	w.set(planNow.Add(2 * time.Minute))
	l, started, err := w.p.StartPlannedSession(ctx, w.c, claimed, "fac", nil, nil)
	if err != nil || !started || l.ID == "live-never-made" {
		t.Fatalf("takeover %v %v %v", l, started, err)
	}
	if got, err := w.store.FindPlannedSession(ctx, p.ID); err != nil || got.LiveSessionID != l.ID {
		t.Fatalf("relinked %+v %v", got, err)
	}
}

func TestStartPageListsPlannedSessions(t *testing.T) {
	w := newPlanWorld(t)
	ctx := t.Context()
	w.open(t)
	plan := func(start, facilitator string) *voci.PlannedSession {
		in := goodPlan()
		in.Start, in.FacilitatorID = start, facilitator
		p, err := w.p.PlanSession(ctx, w.c, "coord", in, nil)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	morning := plan("2026-05-04T09:30", "fac")
	tomorrow := plan("2026-05-05T10:00", "coord")
	cancelled := plan("2026-05-04T12:00", "fac")
	if _, err := w.p.CancelPlannedSession(ctx, cancelled, 1, nil); err != nil {
		t.Fatal(err)
	}
	// 10:00 in Romania: the morning's session is due and not started.
	now := planNow.Add(time.Hour)
	fac, _ := w.store.FindAccountByID(ctx, "fac")
	page, err := voci.BuildStartPage(ctx, w.store, fac, now)
	if err != nil || len(page.Facilitating) != 1 {
		t.Fatalf("page %+v %v", page, err)
	}
	got := page.Facilitating[0].Planned
	if len(got) != 2 || got[0].ID != morning.ID || !got[0].Mine || !got[0].Due || got[0].ConsultationTitle != "Parcul nostru" ||
		got[0].FacilitatorName != "Ioana Facilitatoare" || got[1].ID != tomorrow.ID || got[1].Mine || got[1].Due {
		t.Fatalf("facilitator's planned %+v", got)
	}
	coord, _ := w.store.FindAccountByID(ctx, "coord")
	page, err = voci.BuildStartPage(ctx, w.store, coord, now)
	if err != nil || len(page.Coordinating) != 1 || len(page.Coordinating[0].Planned) != 2 || !page.Coordinating[0].Planned[1].Mine {
		t.Fatalf("coordinator's page %+v %v", page, err)
	}
	// Started, it leaves the list; a Brașov facilitator never sees Bacău's.
	if _, _, err := w.p.StartPlannedSession(ctx, w.c, morning, "fac", nil, nil); err != nil {
		t.Fatal(err)
	}
	page, _ = voci.BuildStartPage(ctx, w.store, fac, now)
	if got := page.Facilitating[0].Planned; len(got) != 1 || got[0].ID != tomorrow.ID {
		t.Fatalf("after the start %+v", got)
	}
	bv, _ := w.store.FindAccountByID(ctx, "brasov")
	if page, err := voci.BuildStartPage(ctx, w.store, bv, now); err != nil || len(page.Facilitating) != 1 || len(page.Facilitating[0].Planned) != 0 {
		t.Fatalf("Brașov's page %+v %v", page, err)
	}
}
