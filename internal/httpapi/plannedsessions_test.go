package httpapi_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Planned sessions through the real application: planned, refused, edited at a revision, shown
// on the start page, and started once by presses on two instances at the same moment.

type plannedAnswer struct {
	ID              string `json:"id"`
	Start           string `json:"start"`
	Group           string `json:"group"`
	FacilitatorID   string `json:"facilitatorId"`
	FacilitatorName string `json:"facilitatorName"`
	Revision        int    `json:"revision"`
	Status          string `json:"status"`
	Due             bool   `json:"due"`
	LiveSessionID   string `json:"liveSessionId"`
}

func wantProblemCode(t *testing.T, what string, a answer, status int, code, param string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: %d %s, want %d", what, a.status, a.body, status)
	}
	p := a.problem(t)
	if p["code"] != code || (param != "" && p["param"] != param) {
		t.Fatalf("%s: %v, want %s %s", what, p, code, param)
	}
}

func TestPlannedSessionsAPI(t *testing.T) {
	a, b := newInstances(t)
	fac := a.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	var me struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
	}
	decodeBody(t, fac.do(t, "GET", "/api/v1/me", nil), &me)

	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	ans := fac.do(t, "POST", base, map[string]any{
		"title": "Parcul nostru", "purpose": "Ce ar trebui să aibă parcul nou?", "ageBands": []string{"10_12"},
		"audienceBody": "Consiliul Local Bacău", "answerBy": time.Now().AddDate(0, 2, 0).UTC().Format(time.RFC3339), "modes": []string{"live"},
	})
	mustStatus(t, ans, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, ans, &cons)
	mustStatus(t, fac.do(t, "POST", base+"/"+cons.ID+"/questions", map[string]any{"kind": "single", "prompt": "Ce vrei mai mult?",
		"options": []map[string]string{{"label": "leagăne"}, {"label": "copaci"}}}), 201)
	planned := base + "/" + cons.ID + "/planned-sessions"

	// Who may run it: the municipality's facilitators and coordinators.
	var list struct {
		Items        []plannedAnswer `json:"items"`
		Facilitators []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"facilitators"`
	}
	decodeBody(t, fac.do(t, "GET", planned, nil), &list)
	found := false
	for _, f := range list.Facilitators {
		found = found || f.ID == me.ID
	}
	if len(list.Items) != 0 || !found {
		t.Fatalf("list %+v", list)
	}

	soon := time.Now().Add(2 * time.Hour)
	plan := func(start time.Time, group string) answer {
		return fac.do(t, "POST", planned, map[string]any{"start": voci.RomanianWallClock(start), "minutes": 45, "group": group,
			"place": "Biblioteca județeană", "facilitatorId": me.ID})
	}
	wantProblemCode(t, "in the past", plan(time.Now().Add(-2*time.Hour), "Clasa a VI-a B"), 400, voci.EINVALID, "start")
	wantProblemCode(t, "a child named", plan(soon, "Grupa lui Andrei Popescu"), 400, voci.EINVALID, "group")
	wantProblemCode(t, "unknown field", fac.do(t, "POST", planned, map[string]any{"start": voci.RomanianWallClock(soon), "minutes": 45,
		"group": "Clasa a VI-a B", "place": "Biblioteca", "facilitatorId": me.ID, "childName": "Ana"}), 400, "invalid_body", "")
	// A draft consultation may be planned for; it must be open to start.
	ans = plan(soon, "Clasa a VI-a B, Școala nr. 5")
	mustStatus(t, ans, 201)
	var p plannedAnswer
	decodeBody(t, ans, &p)
	if p.Status != "planned" || p.Revision != 1 || p.FacilitatorName != me.DisplayName || p.Start != voci.RomanianWallClock(soon) || p.Due {
		t.Fatalf("planned %+v", p)
	}
	wantProblemCode(t, "start of a draft's plan", fac.do(t, "POST", planned+"/"+p.ID+"/start", nil), 409, voci.ENOTREADY, "")

	// Edited at its revision; an edit from the older copy is refused.
	edit := map[string]any{"revision": 1, "start": p.Start, "minutes": 60, "group": "Clasa a VI-a B, Școala nr. 5", "place": "Sala mare", "facilitatorId": me.ID}
	mustStatus(t, fac.do(t, "PUT", planned+"/"+p.ID, edit), 200)
	wantProblemCode(t, "stale edit", fac.do(t, "PUT", planned+"/"+p.ID, edit), 409, voci.ECHANGED, "")
	wantProblemCode(t, "no revision", fac.do(t, "POST", planned+"/"+p.ID+"/cancel", map[string]any{}), 400, voci.EINVALID, "revision")

	// Another plan, cancelled: it cannot start.
	ans = plan(soon.Add(24*time.Hour), "Clasa a VIII-a A")
	mustStatus(t, ans, 201)
	var other plannedAnswer
	decodeBody(t, ans, &other)
	mustStatus(t, fac.do(t, "POST", planned+"/"+other.ID+"/cancel", map[string]any{"revision": 1}), 200)

	// The start page lists the plan as the facilitator's own, not the cancelled one.
	var start struct {
		Facilitator []struct {
			Municipality int `json:"municipality"`
			Planned      []struct {
				plannedAnswer
				ConsultationTitle string `json:"consultationTitle"`
				Mine              bool   `json:"mine"`
			} `json:"planned"`
		} `json:"facilitator"`
	}
	decodeBody(t, fac.do(t, "GET", "/api/v1/me/start", nil), &start)
	if len(start.Facilitator) != 1 || len(start.Facilitator[0].Planned) != 1 || start.Facilitator[0].Planned[0].ID != p.ID ||
		!start.Facilitator[0].Planned[0].Mine || start.Facilitator[0].Planned[0].ConsultationTitle != "Parcul nostru" {
		t.Fatalf("start page %+v", start)
	}

	mustStatus(t, fac.do(t, "POST", base+"/"+cons.ID+"/status", map[string]string{"status": "open"}), 200)
	wantProblemCode(t, "start of a cancelled plan", fac.do(t, "POST", planned+"/"+other.ID+"/start", nil), 409, voci.EPLANNEDCANCELLED, "")

	// Three presses on each instance at once: one session.
	facB := b.client()
	mustStatus(t, facB.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	var wg sync.WaitGroup
	answers := make([]answer, 6)
	for i := range answers {
		cl := fac
		if i%2 == 1 {
			cl = facB
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = cl.do(t, "POST", planned+"/"+p.ID+"/start", nil)
		}()
	}
	wg.Wait()
	var sessions struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	decodeBody(t, fac.do(t, "GET", base+"/"+cons.ID+"/live-sessions", nil), &sessions)
	if len(sessions.Items) != 1 {
		t.Fatalf("%d live sessions, want 1", len(sessions.Items))
	}
	created := 0
	for i, ans := range answers {
		switch ans.status {
		case 201, 200:
			var got struct {
				Planned plannedAnswer `json:"planned"`
				Session struct {
					ID       string `json:"id"`
					JoinCode string `json:"joinCode"`
					State    string `json:"state"`
				} `json:"session"`
				Started bool `json:"started"`
			}
			decodeBody(t, ans, &got)
			if got.Session.ID != sessions.Items[0].ID || got.Planned.LiveSessionID != got.Session.ID || got.Planned.Status != "started" ||
				got.Started != (ans.status == 201) || len(got.Session.JoinCode) != 6 || got.Session.State != "lobby" {
				t.Fatalf("press %d: %s", i, ans.body)
			}
			if ans.status == 201 {
				created++
			}
		case 409:
			wantProblemCode(t, "press while starting", ans, 409, voci.EPLANNEDSTARTING, "")
		default:
			t.Fatalf("press %d: %d %s", i, ans.status, ans.body)
		}
	}
	if created != 1 {
		t.Fatalf("%d presses started a session, want 1", created)
	}
	// A later press opens the same session; the plan no longer changes; the start page drops it.
	ans = fac.do(t, "POST", planned+"/"+p.ID+"/start", nil)
	mustStatus(t, ans, 200)
	edit["revision"] = 3
	wantProblemCode(t, "edit of a started plan", fac.do(t, "PUT", planned+"/"+p.ID, edit), 409, voci.EPLANNEDSTARTED, "")
	decodeBody(t, fac.do(t, "GET", "/api/v1/me/start", nil), &start)
	if len(start.Facilitator[0].Planned) != 0 {
		t.Fatalf("start page after the start %+v", start)
	}
	for action, want := range map[string]int{"planned_session.create": 2, "planned_session.update": 1, "planned_session.cancel": 1,
		"planned_session.start": 1, "live_session.start": 1} {
		if _, n, err := a.store.FindAudit(t.Context(), voci.AuditFilter{Action: action, Limit: 10}); err != nil || n != want {
			t.Fatalf("%s: %d entries, want %d (%v)", action, n, want, err)
		}
	}
	// The coordinator's audit log names the plan by its consultation, time and group.
	coord := a.client()
	mustStatus(t, coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword), 200)
	var trail struct {
		Items []struct {
			ObjectName string `json:"objectName"`
		} `json:"items"`
	}
	decodeBody(t, coord.do(t, "GET", "/api/v1/audit?pageSize=10&action=planned_session.cancel", nil), &trail)
	if len(trail.Items) != 1 || !strings.HasPrefix(trail.Items[0].ObjectName, "Parcul nostru · ") || !strings.HasSuffix(trail.Items[0].ObjectName, " · Clasa a VIII-a A") {
		t.Fatalf("the cancelled plan in the audit log: %+v", trail)
	}
	// Another municipality's adults do not find it.
	bv := a.client()
	mustStatus(t, bv.login(t, "facilitator.brasov@demo.voci.ro", testPassword), 200)
	wantProblemCode(t, "from Brașov", bv.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/40198/consultations/%s/planned-sessions", cons.ID), nil), 404, voci.ENOTFOUND, "")
}
