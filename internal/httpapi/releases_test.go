package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/voci"
)

// childrenIn stores n children of one band and gender who answered in a live session of the
// municipality at at.
func childrenIn(t *testing.T, ts *testServer, siruta int, session string, n int, band voci.AgeBand, gender voci.Gender, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := ts.store.FindLiveSessionByID(ctx, session); err != nil {
		liveSessionIn(t, ts, siruta, session, at)
		q := &voci.Question{ID: "q-" + session, ConsultationID: "cons-" + session, Municipality: siruta, Position: 1, Kind: voci.KindSingle,
			Prompt: "Which?", Options: []voci.Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}}, CreatedAt: at, UpdatedAt: at}
		if err := ts.store.CreateQuestion(ctx, q, nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		id := fmt.Sprintf("%s-%s-%s-%d-%d", session, band, gender, i, at.UnixNano())
		p := &voci.Participant{ID: id, SessionID: session, TokenHash: voci.SessionID("t-" + id), Alias: "Brave Otter 7", Lang: voci.LangRO,
			AgeBand: band, Gender: gender, JoinedAt: at, UpdatedAt: at}
		if err := ts.store.CreateParticipant(ctx, p); err != nil {
			t.Fatal(err)
		}
		a := &voci.Answer{ID: "ans-" + id, QuestionID: "q-" + session, ConsultationID: "cons-" + session, SessionID: session, ParticipantID: id,
			Municipality: siruta, Source: voci.SourceLive, Choices: []string{"a"}, AgeBand: band, Gender: gender, IdempotencyKey: "k", CreatedAt: at, UpdatedAt: at}
		if _, err := ts.store.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
}

// release starts a release of period as the committee and waits for the job to finish it.
func release(t *testing.T, cl *client, period string) map[string]any {
	t.Helper()
	a := cl.do(t, "POST", "/api/v1/national/releases", map[string]string{"period": period})
	if a.status != 202 || !strings.Contains(string(a.body), `"status":"running"`) {
		t.Fatalf("start release: %d %s", a.status, a.body)
	}
	var started struct{ ID string }
	json.Unmarshal(a.body, &started)
	deadline := time.Now().Add(20 * time.Second)
	for {
		a := cl.do(t, "GET", "/api/v1/national/releases/"+started.ID, nil)
		var rel map[string]any
		if err := json.Unmarshal(a.body, &rel); err != nil || a.status != 200 {
			t.Fatalf("release: %d %s", a.status, a.body)
		}
		if rel["status"] != "running" {
			return rel
		}
		if time.Now().After(deadline) {
			t.Fatalf("release still running: %s", a.body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type indicatorsBody struct {
	Release *struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	} `json:"release"`
	Indicators map[string]map[string]any `json:"indicators"`
}

func indicatorsOf(t *testing.T, cl *client, url string) (indicatorsBody, []byte) {
	t.Helper()
	a := cl.do(t, "GET", url, nil)
	if a.status != 200 {
		t.Fatalf("%s: %d %s", url, a.status, a.body)
	}
	var b indicatorsBody
	if err := json.Unmarshal(a.body, &b); err != nil {
		t.Fatal(err)
	}
	return b, a.body
}

// TestReleasesFreezeChildrensFigures: a release publishes children's figures with small
// counts hidden (their values stored nowhere and sent nowhere); a revision with nothing new is
// published with the same cells; a late arrival that would change a published cell blocks the
// revision, and every page keeps showing the last published version.
func TestReleasesFreezeChildrensFigures(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now)).ID
	at := now.Add(-time.Minute)
	childrenIn(t, ts, 20297, "live-rel-1", 12, voci.Age10to12, voci.GenderGirl, at)
	childrenIn(t, ts, 20297, "live-rel-1", 9, voci.Age13to15, voci.GenderBoy, at)
	childrenIn(t, ts, 20297, "live-rel-1", 2, voci.Age16to18, voci.GenderBoy, at)  // 2 < k
	childrenIn(t, ts, 20876, "live-rel-2", 3, voci.Age10to12, voci.GenderGirl, at) // Moinești: 3 children
	n := 400
	if _, err := ts.store.UpdateMunicipalityProfile(context.Background(), 20297, voci.ProfileUpdate{
		ChildPopulation: map[voci.AgeBand]*int{voci.Age10to12: &n, voci.Age13to15: &n}, UpdatedAt: now, UpdatedBy: "x"}); err != nil {
		t.Fatal(err)
	}
	clients := signedIn(t, ts, "national", "coordinator.bacau")
	runSteps(t, clients, []step{
		{name: "a coordinator starts no release", as: "coordinator.bacau", method: "POST", url: "/api/v1/national/releases", body: map[string]string{"period": month}, status: 403, code: "forbidden"},
		{name: "nobody without a session", method: "GET", url: "/api/v1/national/releases", status: 401, code: "unauthorized"},
		{name: "a future period", as: "national", method: "POST", url: "/api/v1/national/releases", body: map[string]string{"period": "2999-01"}, status: 400, code: "invalid_period"},
		{name: "an unreadable one", as: "national", method: "POST", url: "/api/v1/national/releases", body: map[string]string{"period": "last month"}, status: 400, code: "invalid_period"},
		{name: "nothing released yet", as: "national", method: "GET", url: "/api/v1/national/municipalities?period=" + month, status: 200, contains: []string{`"release":null`}, lacks: []string{`childrenReached`}},
	})
	nat := clients["national"]

	v1 := release(t, nat, month)
	if v1["status"] != "published" || v1["version"] != 1.0 {
		t.Fatalf("first release %v", v1)
	}
	url := "/api/v1/municipalities/20297/indicators?period=" + month
	first, raw := indicatorsOf(t, nat, url)
	if first.Release == nil || first.Release.Version != 1 {
		t.Fatalf("release of the page: %s", raw)
	}
	cell := func(b indicatorsBody, key string) map[string]any { return b.Indicators[key] }
	// 16–18 has two children: hidden, with no value, in the one shape of a hidden cell.
	if c := cell(first, "childrenByAge.16_18"); c["hidden"] != true || c["value"] != nil || len(c) != 2 {
		t.Errorf("a band of two children: %v", c)
	}
	// Secondary suppression may hide the band of twelve too; then its ratio is hidden with it.
	if c := cell(first, "childrenByAge.10_12"); c["hidden"] == true {
		if r := cell(first, "representativeness.10_12"); r["hidden"] != true || cell(first, "representativenessWarning.10_12")["hidden"] != true {
			t.Errorf("the ratio of a hidden band: %v", r)
		}
	} else {
		if c["value"] != 12.0 {
			t.Errorf("a band of twelve: %v", c)
		}
		if r := cell(first, "representativeness.10_12"); r["value"] != 0.03 {
			t.Errorf("representativeness 12/400: %v", r)
		}
	}
	if c := cell(first, "representativeness.16_18"); c != nil {
		t.Errorf("a band with no declared population has no ratio: %v", c)
	}
	moinesti, _ := indicatorsOf(t, nat, "/api/v1/municipalities/20876/indicators?period="+month)
	if c := moinesti.Indicators["childrenReached"]; c["hidden"] != true || c["value"] != nil {
		t.Errorf("three children in a municipality: %v", c)
	}
	// Every hidden cell of every scope has no value, and the store holds none either.
	for _, u := range []string{"/api/v1/national/municipalities?period=" + month, "/api/v1/national/counties?period=" + month} {
		_, raw := indicatorsOf(t, nat, u)
		var anyJSON any
		json.Unmarshal(raw, &anyJSON)
		walkCells(t, anyJSON)
	}
	cells, err := ts.store.ReleaseCells(context.Background(), first.Release.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	hidden := 0
	for _, c := range cells {
		if c.Hidden {
			hidden++
			if c.Value != 0 {
				t.Errorf("the store holds a hidden value: %+v", c)
			}
		}
	}
	if hidden == 0 {
		t.Fatal("nothing hidden: two children in a band must be")
	}

	// A revision with nothing new keeps every cell.
	if v2 := release(t, nat, month); v2["status"] != "published" || v2["version"] != 2.0 {
		t.Fatalf("revision without news: %v", v2)
	}
	second, _ := indicatorsOf(t, nat, url)
	if second.Release.Version != 2 || fmt.Sprint(second.Indicators) != fmt.Sprint(first.Indicators) {
		t.Fatalf("unchanged revision changed the figures:\n%v\n%v", first.Indicators, second.Indicators)
	}

	// One late child in a published band: the revision is blocked, the pages stay on version 2.
	// The municipality's total is one of the cells it names: its public page gives it away, so
	// the release publishes it (voci.answerTablesGiveAway).
	childrenIn(t, ts, 20297, "live-rel-1", 1, voci.Age10to12, voci.GenderGirl, at.Add(time.Second))
	v3 := release(t, nat, month)
	if v3["status"] != "blocked" || v3["version"] != 3.0 || !strings.Contains(fmt.Sprint(v3["reason"]), "m:20297 childrenReached") ||
		strings.Contains(fmt.Sprint(v3["reason"]), "24") {
		t.Fatalf("late arrival: %v", v3)
	}
	third, _ := indicatorsOf(t, nat, url)
	if third.Release.Version != 2 || fmt.Sprint(third.Indicators) != fmt.Sprint(first.Indicators) {
		t.Fatalf("a blocked revision reached the page:\n%v\n%v", first.Indicators, third.Indicators)
	}
	runSteps(t, clients, []step{
		{name: "the list", as: "national", method: "GET", url: "/api/v1/national/releases?period=" + month, status: 200,
			contains: []string{`"version":3,"status":"blocked"`, `"version":2,"status":"published"`, `"version":1,"status":"published"`}},
		{name: "the trend reads the release", as: "national", method: "GET", url: "/api/v1/national/trends?indicator=childrenReached&kind=month&siruta=20297", status: 200,
			contains: []string{`"period":"` + month + `","cell":`}},
		{name: "unknown release", as: "national", method: "GET", url: "/api/v1/national/releases/nope", status: 404, code: "not_found"},
	})
}

// walkCells fails on any hidden cell that carries a value.
func walkCells(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		if x["hidden"] == true && x["value"] != nil {
			t.Errorf("a hidden cell with a value: %v", x)
		}
		for _, y := range x {
			walkCells(t, y)
		}
	case []any:
		for _, y := range x {
			walkCells(t, y)
		}
	}
}

// TestScheduledReleases: the daily run releases every finished period it looks back on that
// has no release yet, once, including this month's children once the month is over.
func TestScheduledReleases(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	childrenIn(t, ts, 20297, "live-sched-1", 6, voci.Age13to15, voci.GenderGirl, now.Add(-time.Minute))
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now))
	later := month.End().AddDate(0, 0, 3) // three days into next month
	job := voci.NewReleases(ts.store, func() time.Time { return later }, voci.DefaultK, httpapi.ReleaseSuppression, nil)
	ctx := context.Background()
	made, err := job.RunOnce(ctx, later)
	if err != nil || made != 12+4+2 {
		t.Fatalf("first run made %d (%v)", made, err)
	}
	if made, err := job.RunOnce(ctx, later); err != nil || made != 0 {
		t.Fatalf("second run made %d (%v)", made, err)
	}
	rel, err := ts.store.LatestPublishedRelease(ctx, month.ID)
	if err != nil || rel.Version != 1 {
		t.Fatalf("this month: %+v %v", rel, err)
	}
	cells, err := ts.store.ReleaseCells(ctx, rel.ID, []string{voci.MunicipalityScope(20297)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		if c.Key == voci.IndChildrenReached && (c.Hidden || c.Value != 6) {
			t.Errorf("Bacău's six children: %+v", c)
		}
	}
	// The month still running is not released by the schedule.
	if list, _ := ts.store.ListReleases(ctx, voci.PeriodAt(voci.PeriodMonth, voci.Today(later)).ID); len(list) != 0 {
		t.Errorf("a month not over was released: %+v", list)
	}
}
