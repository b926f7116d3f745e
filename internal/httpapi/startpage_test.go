package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

type startPageJSON struct {
	Facilitator []struct {
		Municipality     int    `json:"municipality"`
		MunicipalityName string `json:"municipalityName"`
		Sessions         []struct {
			ID                string `json:"id"`
			ConsultationTitle string `json:"consultationTitle"`
			JoinCode          string `json:"joinCode"`
			State             string `json:"state"`
		} `json:"sessions"`
		Moderation []struct {
			ConsultationID string `json:"consultationId"`
			SessionID      string `json:"sessionId"`
			JoinCode       string `json:"joinCode"`
			Pending        int    `json:"pending"`
			Held           int    `json:"held"`
		} `json:"moderation"`
	} `json:"facilitator"`
	Coordinator []struct {
		Municipality      int `json:"municipality"`
		OpenConsultations []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"openConsultations"`
		OpenConsultationsTotal int `json:"openConsultationsTotal"`
		PendingInvitations     int `json:"pendingInvitations"`
	} `json:"coordinator"`
	CouncilMember []struct {
		Municipality  int `json:"municipality"`
		Consultations []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"consultations"`
	} `json:"councilMember"`
	SafeguardingLead []struct {
		Municipality int `json:"municipality"`
	} `json:"safeguardingLead"`
	Municipalities []struct {
		SIRUTA int     `json:"siruta"`
		Stage  *string `json:"stage"`
	} `json:"municipalities"`
	MunicipalitiesTotal int `json:"municipalitiesTotal"`
}

func startPageOf(t *testing.T, cl *client) startPageJSON {
	t.Helper()
	a := cl.do(t, "GET", "/api/v1/me/start", nil)
	mustStatus(t, a, 200)
	var p startPageJSON
	decodeBody(t, a, &p)
	return p
}

// Each role's start page lists what needs it now, in its own municipality and nowhere else.
func TestStartPagePerRole(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")

	// Two texts in the live session: one clean (pending), one with a phone number (held).
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	ana, bogdan := ls.join(t, f, "ro"), ls.join(t, f, "ro")
	if a := ana.mustAnswer(t, f.text.ID, nil, "Mai mulți copaci în parc", "ana-start-0001"); a.Moderation != "pending" {
		t.Fatalf("clean text: %+v", a)
	}
	if a := bogdan.mustAnswer(t, f.text.ID, nil, "sunați-mă la 0722 123 456", "bogdan-start-01"); a.Moderation != "held" {
		t.Fatalf("phone number: %+v", a)
	}
	// A pending invitation in Bacău, made by its coordinator.
	coord := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")
	if _, a := invite(t, coord, map[string]any{"email": "noua.facilitatoare@example.ro", "role": "facilitator", "municipality": bacau}); a.status != 201 {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}

	t.Run("facilitator", func(t *testing.T) {
		p := startPageOf(t, f.fac)
		if len(p.Facilitator) != 1 || p.Facilitator[0].Municipality != bacau || p.Facilitator[0].MunicipalityName != "Bacău" {
			t.Fatalf("facilitator part %+v", p.Facilitator)
		}
		got := p.Facilitator[0]
		if len(got.Sessions) != 1 || got.Sessions[0].ID != f.sessionID || got.Sessions[0].JoinCode != f.joinCode || got.Sessions[0].ConsultationTitle != "Parcul nostru" {
			t.Fatalf("sessions %+v", got.Sessions)
		}
		if len(got.Moderation) != 1 {
			t.Fatalf("moderation %+v", got.Moderation)
		}
		m := got.Moderation[0]
		if m.SessionID != f.sessionID || m.JoinCode != f.joinCode || m.ConsultationID != f.consultationID || m.Pending != 1 || m.Held != 1 {
			t.Fatalf("moderation counts %+v", m)
		}
		if len(p.Coordinator)+len(p.CouncilMember)+len(p.SafeguardingLead) != 0 || p.Municipalities != nil {
			t.Fatalf("a facilitator sees other roles' parts: %+v", p)
		}
	})

	t.Run("coordinator", func(t *testing.T) {
		p := startPageOf(t, coord)
		if len(p.Coordinator) != 1 || p.Coordinator[0].Municipality != bacau {
			t.Fatalf("coordinator part %+v", p.Coordinator)
		}
		k := p.Coordinator[0]
		if k.OpenConsultationsTotal != 1 || len(k.OpenConsultations) != 1 || k.OpenConsultations[0].ID != f.consultationID || k.PendingInvitations != 1 {
			t.Fatalf("coordinator counts %+v", k)
		}
		if len(p.Facilitator) != 0 || p.Municipalities != nil {
			t.Fatalf("coordinator sees %+v", p)
		}
	})

	t.Run("council member", func(t *testing.T) {
		p := startPageOf(t, signInAs(t, ls.testServer, "council.bacau@demo.voci.ro"))
		if len(p.CouncilMember) != 1 || len(p.CouncilMember[0].Consultations) != 1 || p.CouncilMember[0].Consultations[0].Status != "open" {
			t.Fatalf("council part %+v", p.CouncilMember)
		}
	})

	t.Run("safeguarding lead", func(t *testing.T) {
		p := startPageOf(t, signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro"))
		if len(p.SafeguardingLead) != 1 || p.SafeguardingLead[0].Municipality != bacau || len(p.Facilitator)+len(p.Coordinator) != 0 {
			t.Fatalf("safeguarding part %+v", p)
		}
	})

	t.Run("platform roles", func(t *testing.T) {
		for _, email := range []string{"admin@demo.voci.ro", "national@demo.voci.ro"} {
			p := startPageOf(t, signInAs(t, ls.testServer, email))
			if p.MunicipalitiesTotal < 5 || len(p.Municipalities) != p.MunicipalitiesTotal {
				t.Fatalf("%s: municipalities %d of %d", email, len(p.Municipalities), p.MunicipalitiesTotal)
			}
			found := false
			for _, m := range p.Municipalities {
				if m.Stage == nil {
					t.Fatalf("%s: an enrolled municipality without a stage: %+v", email, m)
				}
				found = found || m.SIRUTA == bacau
			}
			if !found || len(p.Facilitator)+len(p.Coordinator)+len(p.CouncilMember)+len(p.SafeguardingLead) != 0 {
				t.Fatalf("%s: %+v", email, p)
			}
		}
	})

	// Brașov's people see nothing of Bacău: not its sessions, texts, consultations or invitations.
	t.Run("another municipality", func(t *testing.T) {
		for _, role := range []string{"facilitator", "coordinator", "council", "safeguarding"} {
			p := startPageOf(t, signInAs(t, ls.testServer, fmt.Sprintf("%s.brasov@demo.voci.ro", role)))
			for _, x := range p.Facilitator {
				if x.Municipality != 40198 || len(x.Sessions)+len(x.Moderation) != 0 {
					t.Fatalf("%s of Brașov sees %+v", role, x)
				}
			}
			for _, x := range p.Coordinator {
				if x.Municipality != 40198 || x.OpenConsultationsTotal+x.PendingInvitations != 0 {
					t.Fatalf("%s of Brașov sees %+v", role, x)
				}
			}
			for _, x := range p.CouncilMember {
				if x.Municipality != 40198 || len(x.Consultations) != 0 {
					t.Fatalf("%s of Brașov sees %+v", role, x)
				}
			}
			if len(p.Facilitator)+len(p.Coordinator)+len(p.CouncilMember)+len(p.SafeguardingLead) != 1 {
				t.Fatalf("%s of Brașov: %+v", role, p)
			}
		}
	})

	t.Run("signed out", func(t *testing.T) {
		if a := ls.client().do(t, "GET", "/api/v1/me/start", nil); a.status != 401 {
			t.Fatalf("anonymous: %d", a.status)
		}
	})
}

// Admins and national committee members follow every municipality: its consultations list
// answers them (it used to be 404, shown as "Something went wrong"), while results and
// moderation stay the municipality's.
func TestPlatformRolesSeeAMunicipalitysConsultations(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	for _, email := range []string{"admin@demo.voci.ro", "national@demo.voci.ro"} {
		cl := signInAs(t, ls.testServer, email)
		a := cl.do(t, "GET", base, nil)
		mustStatus(t, a, 200)
		var list struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			Total int `json:"total"`
		}
		decodeBody(t, a, &list)
		if list.Total != 1 || list.Items[0].ID != f.consultationID {
			t.Fatalf("%s: %s", email, a.body)
		}
		for _, path := range []string{"/" + f.consultationID + "/results", "/" + f.consultationID + "/moderation"} {
			if a := cl.do(t, "GET", base+path, nil); a.status != 404 {
				t.Fatalf("%s %s: %d", email, path, a.status)
			}
		}
	}
}

// The audit log names objects in words, as far as its reader may see them.
func TestAuditNamesObjects(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	type entry struct {
		Action     string `json:"action"`
		ObjectType string `json:"objectType"`
		ObjectID   string `json:"objectId"`
		ObjectName string `json:"objectName"`
		ActorEmail string `json:"actorEmail"`
	}
	read := func(cl *client, query string) []entry {
		t.Helper()
		a := cl.do(t, "GET", "/api/v1/audit?pageSize=100"+query, nil)
		mustStatus(t, a, 200)
		var page struct {
			Items []entry `json:"items"`
		}
		decodeBody(t, a, &page)
		return page.Items
	}
	find := func(items []entry, action, actor string) entry {
		t.Helper()
		for _, e := range items {
			if e.Action == action && (actor == "" || e.ActorEmail == actor) {
				return e
			}
		}
		t.Fatalf("no %s by %q in %+v", action, actor, items)
		return entry{}
	}
	coord := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")
	if _, a := invite(t, coord, map[string]any{"email": "noua.facilitatoare@example.ro", "role": "facilitator", "municipality": bacau}); a.status != 201 {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	items := read(coord, "")
	if e := find(items, "consultation.create", ""); e.ObjectName != "Parcul nostru" {
		t.Fatalf("consultation: %+v", e)
	}
	if e := find(items, "live_session.start", ""); e.ObjectName != "Parcul nostru · "+f.joinCode {
		t.Fatalf("live session: %+v", e)
	}
	if e := find(items, "question.create", ""); e.ObjectName == "" || e.ObjectName == e.ObjectID {
		t.Fatalf("question: %+v", e)
	}
	if e := find(items, "invitation.create", ""); e.ObjectName != "noua.facilitatoare@example.ro" {
		t.Fatalf("invitation: %+v", e)
	}
	// A child's text is never named: the entry of its moderation gives kind and ID only.
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s", bacau, f.consultationID)
	f.command(t, ls.adult(t, f.fac, f, "facilitator"), "question.open", map[string]any{"questionId": f.text.ID})
	ls.join(t, f, "ro").mustAnswer(t, f.text.ID, nil, "sunați-mă la 0722 123 456", "audit-name-0001")
	var queue struct {
		Held []struct {
			AnswerID string `json:"answerId"`
			Revision int    `json:"revision"`
		} `json:"held"`
	}
	decodeBody(t, f.fac.do(t, "GET", base+"/moderation", nil), &queue)
	if len(queue.Held) != 1 {
		t.Fatalf("held %+v", queue)
	}
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, queue.Held[0].AnswerID),
		map[string]any{"state": "rejected", "revision": queue.Held[0].Revision}), 200)
	if e := find(read(coord, "&action=answer.moderate"), "answer.moderate", ""); e.ObjectName != "" || e.ObjectID != queue.Held[0].AnswerID {
		t.Fatalf("a child's answer is named: %+v", e)
	}
	// The filter takes an action code; the admin sees who signed in, by name and email.
	admin := signInAs(t, ls.testServer, "admin@demo.voci.ro")
	signIns := read(admin, "&action=session.sign_in")
	for _, e := range signIns {
		if e.Action != "session.sign_in" {
			t.Fatalf("filtered by action: %+v", e)
		}
	}
	if e := find(signIns, "session.sign_in", "coordinator.bacau@demo.voci.ro"); e.ObjectName == "" || !strings.Contains(e.ObjectName, "coordinator.bacau@demo.voci.ro") {
		t.Fatalf("account: %+v", e)
	}
}
