package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
	"github.com/voci-platform/voci/seeds"
)

type scorecardAnswer struct {
	Consultation *struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"consultation"`
	Consultations *int `json:"consultations"`
	Dimensions    []struct {
		Key    string `json:"key"`
		Met    int    `json:"met"`
		Of     int    `json:"of"`
		Checks []struct {
			Key      string `json:"key"`
			Met      *bool  `json:"met"`
			Source   string `json:"source"`
			Evidence string `json:"evidence"`
			MetCount *int   `json:"metCount"`
			Of       *int   `json:"of"`
		} `json:"checks"`
	} `json:"dimensions"`
	Items []json.RawMessage `json:"items"`
}

// states maps each check to met, not met or null.
func (s scorecardAnswer) states() map[string]string {
	out := map[string]string{}
	for _, d := range s.Dimensions {
		for _, ch := range d.Checks {
			switch {
			case ch.Met == nil:
				out[ch.Key] = "null"
			case *ch.Met:
				out[ch.Key] = "met"
			default:
				out[ch.Key] = "not met"
			}
		}
	}
	return out
}

func getScorecard(t *testing.T, cl *client, url string) scorecardAnswer {
	t.Helper()
	a := cl.do(t, "GET", url, nil)
	if a.status != 200 {
		t.Fatalf("GET %s: %d %s", url, a.status, a.body)
	}
	var out scorecardAnswer
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// seedDemoAnswered builds the demo's answered consultation in Bacău, as `make run` does, and
// returns it with its receipt code.
func seedDemoAnswered(t *testing.T, ts *testServer) (*voci.Consultation, voci.ReceiptCode) {
	t.Helper()
	ctx := context.Background()
	code, err := seeds.EnsureDemoAnswered(ctx, seeds.DemoLoop{Store: ts.store, Participation: ts.Participation,
		Review: voci.NewReview(ts.store, voci.DefaultK), Decisions: ts.Decisions, Feedbacks: ts.Feedbacks, Receipts: ts.Receipts}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cs, _, err := ts.store.FindConsultations(ctx, voci.ConsultationFilter{Municipality: 20297, Limit: 10})
	if err != nil || len(cs) != 1 {
		t.Fatalf("consultations %+v %v", cs, err)
	}
	return &cs[0], code
}

// The demo's answered consultation: paper forms only, no live session, an easy-read text, a
// choice and a text question, the local council named, themes by a council member, a decision
// and feedback well before the answer date.
func TestScorecardOfTheAnsweredConsultation(t *testing.T) {
	ts := newTestServer(t)
	cons, code := seedDemoAnswered(t, ts)
	council := signInAs(t, ts, "council.bacau@demo.voci.ro")
	url := "/api/v1/municipalities/20297/consultations/" + cons.ID + "/scorecard"

	card := getScorecard(t, council, url+"?lang=en")
	if card.Consultation == nil || card.Consultation.ID != cons.ID || card.Consultation.Title != seeds.DemoAnsweredTitle || card.Consultations != nil {
		t.Fatalf("consultation %+v", card.Consultation)
	}
	want := map[string]string{
		"accessibleSession": "not met", "waysToTakePart": "not met", "representativeness": "null",
		"easyRead": "met", "questionKinds": "met", "freeText": "met",
		"namedAudience": "met", "councilReview": "met",
		"decisionLinked": "met", "feedbackOnTime": "met", "receiptsOpened": "not met",
	}
	if got := card.states(); !equalStates(got, want) {
		t.Fatalf("states %v, want %v", got, want)
	}
	if keys := dimensionKeys(card); keys != "space voice audience influence" {
		t.Fatalf("dimensions %q", keys)
	}
	for _, d := range card.Dimensions {
		for _, ch := range d.Checks {
			if ch.Source == "" || !strings.HasPrefix(ch.Evidence, "/m/20297/") || ch.MetCount != nil {
				t.Fatalf("check %+v", ch)
			}
		}
	}
	if d := card.Dimensions[1]; d.Met != 3 || d.Of != 3 {
		t.Fatalf("voice %d of %d", d.Met, d.Of)
	}
	if ro := getScorecard(t, council, url); !strings.Contains(ro.Dimensions[1].Checks[0].Source, "ușor de citit") {
		t.Fatalf("Romanian by default: %q", ro.Dimensions[1].Checks[0].Source)
	}

	// A child opens their receipt code after the feedback: receipts are opened.
	if _, err := ts.Receipts.Lookup(context.Background(), code.Grouped()); err != nil {
		t.Fatal(err)
	}
	// The municipality declares its children: 10–12 and 13–15 year olds were reached at the
	// same rate, then the older band turns out ten times larger.
	population := func(a, b int) {
		if _, err := ts.store.UpdateMunicipalityProfile(context.Background(), 20297, voci.ProfileUpdate{
			ChildPopulation: map[voci.AgeBand]*int{voci.Age10to12: &a, voci.Age13to15: &b}, UpdatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	population(400, 400)
	card = getScorecard(t, council, url)
	if s := card.states(); s["receiptsOpened"] != "met" || s["representativeness"] != "met" {
		t.Fatalf("after the receipt and the population: %v", s)
	}
	population(400, 4000)
	if s := getScorecard(t, council, url).states(); s["representativeness"] != "not met" {
		t.Fatalf("an under-reached band: %v", s)
	}

	roll := getScorecard(t, signInAs(t, ts, "national@demo.voci.ro"), "/api/v1/municipalities/20297/scorecard?lang=hu")
	if roll.Consultations == nil || *roll.Consultations != 1 || roll.Consultation != nil || len(roll.Items) != 1 {
		t.Fatalf("roll-up %+v", roll)
	}
	for _, d := range roll.Dimensions {
		for _, ch := range d.Checks {
			if ch.MetCount == nil || ch.Of == nil || ch.Evidence != "/m/20297/consultations" {
				t.Fatalf("roll-up check %+v", ch)
			}
			if ch.Key == "easyRead" && (*ch.MetCount != 1 || *ch.Of != 1 || ch.Met == nil || !*ch.Met) {
				t.Fatalf("easy read rolled up: %+v", ch)
			}
			if ch.Key == "waysToTakePart" && (*ch.MetCount != 0 || *ch.Of != 1) {
				t.Fatalf("ways rolled up: %+v", ch)
			}
		}
	}
}

// The scorecard export table: one row per check, in the language asked, from the same records.
func TestScorecardReportTable(t *testing.T) {
	ts := newTestServer(t)
	seedDemoAnswered(t, ts)
	tables, err := voci.NewLundy(ts.store).ReportTables(context.Background(), voci.ReportRequest{Table: "scorecard", Siruta: 20297, Lang: voci.LangHU})
	if err != nil || len(tables) != 1 {
		t.Fatalf("tables %+v %v", tables, err)
	}
	tab := tables[0]
	if tab.Name != "scorecard" || tab.Title != "Lundy-értékelés" || len(tab.Columns) != 6 || len(tab.Rows) != 11 {
		t.Fatalf("table %+v", tab)
	}
	if row := tab.Rows[3]; row[0].Text != "Hang" || row[2].Text != "teljesül" || *row[3].Value != 1 || *row[4].Value != 1 {
		t.Fatalf("easy-read row %+v", row)
	}
}

func TestScorecardReaders(t *testing.T) {
	ts := newTestServer(t)
	cons, _ := seedDemoAnswered(t, ts)
	ts.createAccount(t, "coordinator.brasov@example.ro", voci.RoleCoordinator, 40198)
	own := "/api/v1/municipalities/20297/consultations/" + cons.ID + "/scorecard"
	tests := []struct {
		email, url string
		status     int
	}{
		{"", own, 401},
		{"", "/api/v1/municipalities/20297/scorecard", 401},
		{"coordinator.bacau@demo.voci.ro", own, 200},
		{"facilitator.bacau@demo.voci.ro", "/api/v1/municipalities/20297/scorecard", 200},
		{"admin@demo.voci.ro", own, 200},
		{"national@demo.voci.ro", "/api/v1/municipalities/20297/scorecard", 200},
		{"safeguarding.bacau@demo.voci.ro", own, 404},
		// Another municipality's coordinator sees nothing of Bacău, under either address.
		{"coordinator.brasov@example.ro", own, 404},
		{"coordinator.brasov@example.ro", "/api/v1/municipalities/20297/scorecard", 404},
		{"coordinator.brasov@example.ro", "/api/v1/municipalities/40198/consultations/" + cons.ID + "/scorecard", 404},
		{"coordinator.brasov@example.ro", "/api/v1/municipalities/40198/scorecard", 200},
		{"coordinator.bacau@demo.voci.ro", "/api/v1/municipalities/20297/consultations/nope/scorecard", 404},
		{"admin@demo.voci.ro", "/api/v1/municipalities/99999999/scorecard", 404},
		{"admin@demo.voci.ro", "/api/v1/municipalities/x/scorecard", 400},
	}
	for _, tt := range tests {
		cl := ts.client()
		if tt.email != "" {
			cl = signInAs(t, ts, tt.email)
		}
		a := cl.do(t, "GET", tt.url, nil)
		if a.status != tt.status {
			t.Errorf("%s GET %s: %d, want %d: %s", tt.email, tt.url, a.status, tt.status, a.body)
			continue
		}
		if tt.status != 200 {
			a.problem(t)
		}
	}
	// Brașov has no opened consultation: nothing is judged, and nothing counts as failed.
	empty := getScorecard(t, signInAs(t, ts, "coordinator.brasov@example.ro"), "/api/v1/municipalities/40198/scorecard")
	for key, s := range empty.states() {
		if s != "null" {
			t.Errorf("%s is %s for a municipality without consultations", key, s)
		}
	}
}

func equalStates(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func dimensionKeys(s scorecardAnswer) string {
	var keys []string
	for _, d := range s.Dimensions {
		keys = append(keys, d.Key)
	}
	return strings.Join(keys, " ")
}
