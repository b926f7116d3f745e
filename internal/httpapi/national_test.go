package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// liveSessionIn stores a consultation of the municipality and a live session started at.
func liveSessionIn(t *testing.T, ts *testServer, siruta int, id string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	c := &voci.Consultation{ID: "cons-" + id, Municipality: siruta, Title: "Our park", Status: voci.StatusOpen,
		Modes: []voci.Mode{voci.ModeLive}, CreatedBy: "acct", CreatedAt: at, UpdatedAt: at}
	if err := ts.store.CreateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	l := &voci.LiveSession{ID: id, ConsultationID: c.ID, Municipality: siruta, JoinCode: fmt.Sprint(100000 + len(id)*7919%899999),
		State: voci.LiveEnded, StartedBy: "acct", StartedAt: at}
	if err := ts.store.CreateLiveSession(ctx, l, nil); err != nil {
		t.Fatal(err)
	}
}

// TestNationalIndicators: who may read the committee's tables and a municipality's
// indicators, what they hold, and the periods refused.
func TestNationalIndicators(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	liveSessionIn(t, ts, 20297, "live-national-1", now.Add(-time.Minute))
	// A municipality that is not enrolled but held a session is listed too.
	liveSessionIn(t, ts, 40241, "live-national-2", now.Add(-time.Minute))
	ts.createAccount(t, "coordinator.brasov.test@demo.voci.ro", voci.RoleCoordinator, 40198)
	clients := signedIn(t, ts, "admin", "national", "coordinator.bacau", "coordinator.brasov.test")
	year := fmt.Sprint(voci.Today(now).Year())
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now)).ID
	nextMonth := voci.PeriodAt(voci.PeriodMonth, voci.Today(now).AddDate(0, 1, 0)).ID
	// The youth council's meetings are counted from their records: none held is 0.
	notYet := `"meetingsHeld":{"value":0}`
	runSteps(t, clients, []step{
		{name: "anonymous", method: "GET", url: "/api/v1/national/municipalities", status: 401, code: "unauthorized"},
		{name: "a coordinator cannot read the national table", as: "coordinator.bacau", method: "GET", url: "/api/v1/national/municipalities", status: 403, code: "forbidden"},
		{name: "nor the counties", as: "coordinator.bacau", method: "GET", url: "/api/v1/national/counties", status: 403, code: "forbidden"},
		{name: "nor trends", as: "coordinator.bacau", method: "GET", url: "/api/v1/national/trends", status: 403, code: "forbidden"},
		{name: "a coordinator reads their own", as: "coordinator.bacau", method: "GET", url: "/api/v1/municipalities/20297/indicators", status: 200,
			contains: []string{`"municipality":{"siruta":20297`, `"county":{"id":4,"name":"Bacău","code":"BC"}`, `"urban":true`, `"stage":"memorandum_signed"`,
				`"sessionsLive":{"value":1}`, notYet, `"release":null`, `"period":{"id":"` + year + `","kind":"year"`}},
		{name: "not another municipality's", as: "coordinator.brasov.test", method: "GET", url: "/api/v1/municipalities/20297/indicators", status: 404, code: "not_found"},
		{name: "the committee reads any", as: "national", method: "GET", url: "/api/v1/municipalities/40198/indicators?period=" + month, status: 200,
			contains: []string{`"siruta":40198`, `"sessionsLive":{"value":0}`}},
		{name: "table", as: "national", method: "GET", url: "/api/v1/national/municipalities?period=" + month, status: 200,
			contains: []string{`"siruta":20297`, `"siruta":21971`, `"siruta":40241`, `"enrolled":false`, notYet, `"sessionsLive":{"value":1}`},
			lacks:    []string{`"siruta":126228`}},
		{name: "by county", as: "admin", method: "GET", url: "/api/v1/national/municipalities?county=8", status: 200,
			contains: []string{`"siruta":40198`, `"siruta":40241`}, lacks: []string{`"siruta":20297`}},
		{name: "by stage and name", as: "admin", method: "GET", url: "/api/v1/national/municipalities?stage=memorandum_signed&q=corbasca", status: 200,
			contains: []string{`"siruta":21971`, `"total":1`}},
		{name: "all", as: "admin", method: "GET", url: "/api/v1/national/municipalities?all=1&county=28", status: 200, contains: []string{`"siruta":126228`}},
		{name: "unknown stage", as: "admin", method: "GET", url: "/api/v1/national/municipalities?stage=flying", status: 400, code: "invalid_parameter", param: "stage"},
		{name: "counties", as: "national", method: "GET", url: "/api/v1/national/counties?period=" + year, status: 200,
			contains: []string{`"id":4,"name":"Bacău","code":"BC","municipalitiesEnrolled":4,"stages":{"memorandum_signed":4}`,
				`"national":{"indicators":{`, `"sessionsLive":{"value":2}`}},
		{name: "custom range", as: "national", method: "GET", url: "/api/v1/national/counties?from=" + today() + "&to=" + today(), status: 200,
			contains: []string{`"kind":"custom"`, `"release":null`}},
		{name: "activity trend", as: "national", method: "GET", url: "/api/v1/national/trends?indicator=sessionsLive&kind=month&siruta=20297", status: 200,
			contains: []string{`"period":"` + month + `","cell":{"value":1}`}},
		{name: "youth council trend", as: "national", method: "GET", url: "/api/v1/national/trends?indicator=motionsPassed&kind=year", status: 200,
			contains: []string{`"period":"` + year + `","cell":{"value":0}`}},
		{name: "unknown indicator", as: "national", method: "GET", url: "/api/v1/national/trends?indicator=happiness", status: 400, code: "invalid_parameter", param: "indicator"},

		{name: "out of order without a reason", as: "national", method: "POST", url: "/api/v1/municipalities/21891/stage",
			body: stageBody("action_plan_adopted", today(), ""), status: 422, code: "stage_out_of_order", param: "note"},
		{name: "nothing was written", as: "national", method: "GET", url: "/api/v1/municipalities/21891/stage-history", status: 200,
			contains: []string{`"stage":"memorandum_signed"`}, lacks: []string{`action_plan_adopted"`}},
		{name: "a coordinator moves no stage", as: "coordinator.brasov.test", method: "POST", url: "/api/v1/municipalities/21891/stage",
			body: stageBody("situation_analysis", today(), ""), status: 403, code: "forbidden"},
		{name: "out of order with its reason", as: "national", method: "POST", url: "/api/v1/municipalities/21891/stage",
			body: stageBody("action_plan_adopted", today(), "Analiza situației a fost făcută în 2025, înainte de memorandum."), status: 201,
			contains: []string{`"stage":"action_plan_adopted"`, `înainte de memorandum`}},
		{name: "the table follows", as: "national", method: "GET", url: "/api/v1/national/municipalities?stage=action_plan_adopted", status: 200,
			contains: []string{`"siruta":21891`, `"total":1`}},
		{name: "unreadable period", as: "national", method: "GET", url: "/api/v1/national/municipalities?period=2026-13", status: 400, code: "invalid_period", param: "period"},
		{name: "future period", as: "national", method: "GET", url: "/api/v1/national/counties?period=" + nextMonth, status: 400, code: "invalid_period"},
		{name: "reversed range", as: "national", method: "GET", url: "/api/v1/national/counties?from=" + today() + "&to=2020-01-01", status: 400, code: "invalid_period"},
		{name: "range too long", as: "national", method: "GET", url: "/api/v1/national/counties?from=2019-01-01&to=" + today(), status: 400, code: "invalid_period"},
		{name: "range into the future", as: "national", method: "GET", url: "/api/v1/municipalities/20297/indicators?from=" + today() + "&to=" + tomorrow(), status: 400, code: "invalid_period"},
		{name: "period and range", as: "national", method: "GET", url: "/api/v1/national/counties?period=" + year + "&from=" + today() + "&to=" + today(), status: 400, code: "invalid_period"},
	})

	// Cells have exactly the contract's shapes.
	a := clients["national"].do(t, "GET", "/api/v1/municipalities/20297/indicators", nil)
	var body struct {
		Indicators map[string]map[string]any `json:"indicators"`
	}
	if err := json.Unmarshal(a.body, &body); err != nil {
		t.Fatal(err)
	}
	for _, key := range voci.ActivityIndicators {
		if key == voci.IndMedianDaysToFeedback || key == voci.IndMeetingAttendanceRate {
			continue // none without answered consultations, or without meetings held
		}
		c, ok := body.Indicators[key]
		if !ok {
			t.Errorf("%s missing", key)
			continue
		}
		if _, ok := c["value"]; !ok || len(c) > 2 {
			t.Errorf("%s: %v", key, c)
		}
	}
}
