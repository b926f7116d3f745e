package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/voci"
)

// nationalTable is the municipalities table as the dashboard reads it: each row's cells over
// the common ones.
type nationalTable struct {
	Release *struct {
		ID string `json:"id"`
	} `json:"release"`
	Common map[string]map[string]any `json:"common"`
	Items  []struct {
		SIRUTA     int                       `json:"siruta"`
		Stage      string                    `json:"stage"`
		Indicators map[string]map[string]any `json:"indicators"`
	} `json:"items"`
}

func readNationalTable(t *testing.T, body []byte) nationalTable {
	t.Helper()
	var tab nationalTable
	if err := json.Unmarshal(body, &tab); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if tab.Common == nil {
		t.Fatalf("no common cells: %s", body)
	}
	for i := range tab.Items {
		row := map[string]map[string]any{}
		for k, c := range tab.Common {
			row[k] = c
		}
		for k, c := range tab.Items[i].Indicators {
			row[k] = c
		}
		tab.Items[i].Indicators = row
	}
	return tab
}

func (tab nationalTable) row(t *testing.T, siruta int) map[string]map[string]any {
	t.Helper()
	for _, m := range tab.Items {
		if m.SIRUTA == siruta {
			return m.Indicators
		}
	}
	t.Fatalf("%d is not in the table", siruta)
	return nil
}

func (tab nationalTable) stage(siruta int) string {
	for _, m := range tab.Items {
		if m.SIRUTA == siruta {
			return m.Stage
		}
	}
	return ""
}

// TestNationalTablesShowEveryWrite: the committee's tables are kept, encoded, between
// requests, and the request right after any write (a session held, a stage recorded, a
// release published) shows it: the table, the counties and a municipality's page.
func TestNationalTablesShowEveryWrite(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	committee := signedIn(t, ts, "national")["national"]
	committee.origin = "http://localhost:8080"
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now)).ID
	tableURL := "/api/v1/national/municipalities?all=1&county=4&period=" + month
	table := func() nationalTable {
		t.Helper()
		a := committee.do(t, "GET", tableURL, nil)
		if a.status != 200 {
			t.Fatalf("table: %d %s", a.status, a.body)
		}
		return readNationalTable(t, a.body)
	}
	sessions := func(cells map[string]map[string]any) float64 {
		t.Helper()
		v, ok := cells[voci.IndSessionsLive]["value"].(float64)
		if !ok {
			t.Fatalf("no live sessions: %v", cells[voci.IndSessionsLive])
		}
		return v
	}
	page := func() float64 {
		t.Helper()
		a := committee.do(t, "GET", "/api/v1/municipalities/20297/indicators?period="+month, nil)
		var body struct {
			Indicators map[string]map[string]any `json:"indicators"`
		}
		if a.status != 200 || json.Unmarshal(a.body, &body) != nil {
			t.Fatalf("page: %d %s", a.status, a.body)
		}
		return sessions(body.Indicators)
	}
	county := func() float64 {
		t.Helper()
		a := committee.do(t, "GET", "/api/v1/national/counties?period="+month, nil)
		var body struct {
			Items []struct {
				ID         int                       `json:"id"`
				Indicators map[string]map[string]any `json:"indicators"`
			} `json:"items"`
		}
		if a.status != 200 || json.Unmarshal(a.body, &body) != nil {
			t.Fatalf("counties: %d %s", a.status, a.body)
		}
		for _, c := range body.Items {
			if c.ID == 4 {
				return sessions(c.Indicators)
			}
		}
		t.Fatal("no Bacău county")
		return 0
	}

	for i := range 3 {
		for range 2 { // the second read is the kept answer
			if got := sessions(table().row(t, 20297)); got != float64(i) {
				t.Fatalf("after %d sessions the table says %v", i, got)
			}
			if got := page(); got != float64(i) {
				t.Fatalf("after %d sessions the page says %v", i, got)
			}
			if got := county(); got != float64(i) {
				t.Fatalf("after %d sessions the county says %v", i, got)
			}
		}
		liveSessionIn(t, ts, 20297, fmt.Sprint("live-kept-", i), now.Add(-time.Minute))
	}

	// A stage recorded through the API.
	if got := table().stage(21891); got != "memorandum_signed" {
		t.Fatalf("Colonești's stage: %q", got)
	}
	if a := committee.do(t, "POST", "/api/v1/municipalities/21891/stage", stageBody("situation_analysis", today(), "")); a.status != 201 {
		t.Fatalf("stage: %d %s", a.status, a.body)
	}
	if got := table().stage(21891); got != "situation_analysis" {
		t.Fatalf("after the change the table says %q", got)
	}

	// A release published: the table names it, and its children's figures come in.
	if tab := table(); tab.Release != nil {
		t.Fatalf("a release before any: %+v", tab.Release)
	}
	childrenIn(t, ts, 20297, "live-kept-children", 6, voci.Age13to15, voci.GenderGirl, now.Add(-time.Minute))
	job := voci.NewReleases(ts.store, func() time.Time { return now }, voci.DefaultK, httpapi.ReleaseSuppression, nil)
	p, err := voci.ParsePeriod(month, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := job.Release(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	tab := table()
	if tab.Release == nil {
		t.Fatal("the table does not name the release")
	}
	if got := tab.row(t, 20297)[voci.IndChildrenReached]["value"]; got != 6.0 {
		t.Fatalf("Bacău's children reached: %v", got)
	}
}

// TestNationalTableSaysCommonCellsOnce: each column's most common cell is sent once, rows
// carry only the cells that differ, and reading a row over the common cells gives back every
// indicator; a kept answer is sent compressed as the request accepts, the same table.
func TestNationalTableSaysCommonCellsOnce(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	liveSessionIn(t, ts, 20297, "live-common-1", now.Add(-time.Minute))
	committee := signedIn(t, ts, "national")["national"]
	url := "/api/v1/national/municipalities?all=1&county=4"
	a := committee.do(t, "GET", url, nil)
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	var raw struct {
		Common map[string]json.RawMessage `json:"common"`
		Items  []struct {
			SIRUTA     int                        `json:"siruta"`
			Indicators map[string]json.RawMessage `json:"indicators"`
		} `json:"items"`
	}
	if err := json.Unmarshal(a.body, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Items) < 50 {
		t.Fatalf("only %d municipalities in Bacău county", len(raw.Items))
	}
	if got := string(raw.Common[voci.IndMeetingsHeld]); got != `{"value":0}` {
		t.Errorf("meetings held once: %s", got)
	}
	if got := string(raw.Common[voci.IndSessionsLive]); got != `{"value":0}` {
		t.Errorf("no live sessions is the common cell: %s", got)
	}
	for _, m := range raw.Items {
		if _, ok := m.Indicators[voci.IndMeetingsHeld]; ok {
			t.Errorf("%d repeats meetings held", m.SIRUTA)
		}
		for k, c := range m.Indicators {
			if string(c) == string(raw.Common[k]) {
				t.Errorf("%d repeats the common %s", m.SIRUTA, k)
			}
		}
		if m.SIRUTA == 20297 && string(m.Indicators[voci.IndSessionsLive]) != `{"value":1}` {
			t.Errorf("Bacău's session: %s", m.Indicators[voci.IndSessionsLive])
		}
	}
	tab := readNationalTable(t, a.body)
	for _, m := range tab.Items {
		for _, k := range voci.ActivityIndicators {
			if _, ok := m.Indicators[k]; !ok && k != voci.IndMedianDaysToFeedback && k != voci.IndMeetingAttendanceRate {
				t.Errorf("%d has no %s", m.SIRUTA, k)
			}
		}
	}

	for _, encoding := range []string{"gzip", "br"} {
		for range 2 { // made, then kept
			req := httptest.NewRequest("GET", url, nil)
			req.Header.Set("Cookie", "voci_session="+committee.cookie)
			req.Header.Set("Accept-Encoding", encoding)
			resp, err := ts.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != encoding {
				t.Fatalf("%s: %d %q", encoding, resp.StatusCode, resp.Header.Get("Content-Encoding"))
			}
			var r io.Reader = brotli.NewReader(bytes.NewReader(body))
			if encoding == "gzip" {
				if r, err = gzip.NewReader(bytes.NewReader(body)); err != nil {
					t.Fatal(err)
				}
			}
			plain, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(plain, a.body) {
				t.Fatalf("%s: another table (%d bytes, %d plain)", encoding, len(plain), len(a.body))
			}
		}
	}
}
