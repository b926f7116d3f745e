package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/voci"
)

type exportJob struct {
	ID       string  `json:"id"`
	Status   string  `json:"status"`
	Progress float64 `json:"progress"`
	FileName string  `json:"fileName"`
	FileURL  string  `json:"fileUrl"`
	Error    string  `json:"error"`
}

func exporter(t *testing.T, ts *testServer, email string) *client {
	t.Helper()
	cl := ts.client()
	if a := cl.login(t, email, testPassword); a.status != 200 {
		t.Fatalf("login %s: %d %s", email, a.status, a.body)
	}
	return cl
}

// waitForExport polls the job until it is done (or failed), within a deadline.
func waitForExport(t *testing.T, cl *client, id string) exportJob {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		a := cl.do(t, "GET", "/api/v1/exports/"+id, nil)
		var j exportJob
		if a.status != 200 || json.Unmarshal(a.body, &j) != nil {
			t.Fatalf("job %s: %d %s", id, a.status, a.body)
		}
		if j.Progress < 0 || j.Progress > 1 {
			t.Fatalf("progress %v", j.Progress)
		}
		if j.Status == "done" || j.Status == "failed" {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s", id, j.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestExportsThroughTheAPI(t *testing.T) {
	ts := newTestServer(t, func(d *httpapi.Deps) { d.ExportDir = t.TempDir() })
	committee := exporter(t, ts, "national@demo.voci.ro")
	admin := exporter(t, ts, "admin@demo.voci.ro")

	if a := ts.client().do(t, "POST", "/api/v1/exports", map[string]any{"table": "stages", "format": "csv"}); a.status != 401 {
		t.Fatalf("without a session: %d", a.status)
	}
	for _, c := range []struct {
		body  string
		param string
	}{
		{`{"table":"stages","format":"docx"}`, "format"},
		{`{"table":"everything","format":"csv"}`, "table"},
		{`{"table":"stages","format":"csv","period":"2026-13"}`, "period"},
		{`{"table":"stages","format":"csv","period":"2099"}`, "period"},
	} {
		a := committee.do(t, "POST", "/api/v1/exports", c.body)
		if a.status != 400 || a.problem(t)["param"] != c.param {
			t.Errorf("%s: %d %s", c.body, a.status, a.body)
		}
	}

	// The workers are not running yet: three exports wait, the fourth is refused.
	var jobs []exportJob
	for _, format := range []string{"xlsx", "pdf", "csv"} {
		a := committee.do(t, "POST", "/api/v1/exports", map[string]any{"table": "stages", "format": format, "lang": "ro"})
		var j exportJob
		if a.status != 202 || json.Unmarshal(a.body, &j) != nil || j.Status != "queued" || j.Progress != 0 || a.header.Get("Location") != "/api/v1/exports/"+j.ID {
			t.Fatalf("%s: %d %s", format, a.status, a.body)
		}
		jobs = append(jobs, j)
	}
	a := committee.do(t, "POST", "/api/v1/exports", map[string]any{"table": "stages", "format": "csv"})
	if a.status != 429 || a.problem(t)["code"] != "export_queue_full" {
		t.Fatalf("fourth export: %d %s", a.status, a.body)
	}
	// Only the owner sees a job.
	if a := admin.do(t, "GET", "/api/v1/exports/"+jobs[0].ID, nil); a.status != 404 {
		t.Fatalf("another adult's job: %d %s", a.status, a.body)
	}
	if a := committee.do(t, "GET", "/api/v1/exports/"+jobs[0].ID+"/file", nil); a.status != 409 {
		t.Fatalf("file before it is built: %d %s", a.status, a.body)
	}
	// The list finds them (a page reloaded follows them); another adult's list is empty.
	var list struct {
		Exports []struct {
			ID       string  `json:"id"`
			Status   string  `json:"status"`
			Progress float64 `json:"progress"`
		} `json:"exports"`
	}
	if a := committee.do(t, "GET", "/api/v1/exports", nil); a.status != 200 || json.Unmarshal(a.body, &list) != nil || len(list.Exports) != 3 ||
		list.Exports[0].ID != jobs[0].ID || list.Exports[2].Status != "queued" {
		t.Fatalf("list: %d %s", a.status, a.body)
	}
	if a := admin.do(t, "GET", "/api/v1/exports", nil); a.status != 200 || !strings.Contains(string(a.body), `"exports":[]`) {
		t.Fatalf("another adult's list: %d %s", a.status, a.body)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ts.Exports().Run(ctx) }()
	defer func() { cancel(); <-done }()

	files := map[string][]byte{}
	for _, j := range jobs {
		got := waitForExport(t, committee, j.ID)
		if got.Status != "done" || got.Progress != 1 || got.FileURL == "" {
			t.Fatalf("job %+v", got)
		}
		if a := admin.do(t, "GET", got.FileURL, nil); a.status != 404 {
			t.Fatalf("another adult downloads: %d", a.status)
		}
		a := committee.do(t, "GET", got.FileURL, nil)
		if a.status != 200 || !strings.Contains(a.header.Get("Content-Disposition"), `attachment; filename="voci-stages-`) {
			t.Fatalf("file: %d %v", a.status, a.header)
		}
		files[a.header.Get("Content-Type")] = a.body
	}
	x, err := excelize.OpenReader(bytes.NewReader(files["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("stages")
	x.Close()
	found := false
	for _, r := range rows {
		if len(r) > 5 && r[1] == "Colonești" && r[5] == "memorandum semnat" {
			found = true
		}
	}
	if !found {
		t.Errorf("the XLSX has no row for Colonești: %q", rows)
	}
	if pdf := files["application/pdf"]; !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Error("not a PDF")
	}
	if c := files["text/csv; charset=utf-8"]; !bytes.HasPrefix(c, []byte("\ufeff")) || !strings.Contains(string(c), "Colonești") {
		t.Errorf("CSV %q", c)
	}
}

func TestExportsOfACoordinator(t *testing.T) {
	ts := newTestServer(t, func(d *httpapi.Deps) { d.ExportDir = t.TempDir() })
	coordinator := exporter(t, ts, "coordinator.bacau@demo.voci.ro")
	if a := coordinator.do(t, "POST", "/api/v1/exports", map[string]any{"table": "stages", "format": "csv", "siruta": 20297}); a.status != 202 {
		t.Fatalf("own municipality: %d %s", a.status, a.body)
	}
	for _, body := range []map[string]any{
		{"table": "stages", "format": "csv", "siruta": 40198}, // Brașov: another municipality
		{"table": "stages", "format": "csv"},                  // the national table
	} {
		if a := coordinator.do(t, "POST", "/api/v1/exports", body); a.status != 403 || a.problem(t)["code"] != "forbidden" {
			t.Errorf("%v: %d %s", body, a.status, a.body)
		}
	}
	facilitator := exporter(t, ts, "facilitator.bacau@demo.voci.ro")
	if a := facilitator.do(t, "POST", "/api/v1/exports", map[string]any{"table": "stages", "format": "csv", "siruta": 20297}); a.status != 403 {
		t.Errorf("facilitator: %d %s", a.status, a.body)
	}
}

func TestOpenData(t *testing.T) {
	ts := newTestServer(t)
	a := ts.do(t, "GET", "/api/v1/open-data/datapackage.json", "", "")
	var pkg struct {
		Name     string `json:"name"`
		Licenses []struct {
			Name string `json:"name"`
		} `json:"licenses"`
		Resources []struct {
			Name   string `json:"name"`
			Path   string `json:"path"`
			Schema struct {
				Fields []struct {
					Name, Type, Description string
				} `json:"fields"`
				MissingValues []string `json:"missingValues"`
			} `json:"schema"`
		} `json:"resources"`
	}
	if a.status != 200 || json.Unmarshal(a.body, &pkg) != nil || pkg.Licenses[0].Name != "CC-BY-4.0" || len(pkg.Resources) != 2 {
		t.Fatalf("datapackage: %d %s", a.status, a.body)
	}
	r := pkg.Resources[0]
	if r.Name != "stages" || r.Path != "stages.csv?lang=en" || r.Schema.Fields[0].Name != "siruta" || r.Schema.Fields[0].Type != "number" ||
		r.Schema.Fields[1].Type != "string" || r.Schema.Fields[0].Description == "" {
		t.Errorf("resource %+v", r)
	}
	if !strings.Contains(strings.Join(r.Schema.MissingValues, "|"), "hidden to protect children") {
		t.Errorf("missing values %q", r.Schema.MissingValues)
	}
	for _, res := range pkg.Resources {
		a := ts.do(t, "GET", "/api/v1/open-data/"+res.Path, "", "")
		if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: %d %s", res.Path, a.status, a.body)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(a.body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range res.Schema.Fields {
			if rows[0][i] != f.Name {
				t.Errorf("%s: header %q, want the fields' names", res.Name, rows[0])
			}
		}
	}
	stages := ts.do(t, "GET", "/api/v1/open-data/stages.csv?lang=ro", "", "")
	if !strings.Contains(string(stages.body), "20297,Bacău,municipiu,Bacău,BC,memorandum semnat,") {
		t.Errorf("stages.csv: %s", stages.body)
	}
	if a := ts.do(t, "GET", "/api/v1/open-data/people.csv", "", ""); a.status != 404 {
		t.Errorf("unknown resource: %d", a.status)
	}
	if a := ts.do(t, "GET", "/api/v1/open-data/stages.csv?lang=fr", "", ""); a.status != 400 {
		t.Errorf("unknown language: %d", a.status)
	}
}

// TestOpenDataPublishesTheLatestReleases: once a month is released, anyone can download its
// municipalities' and counties' tables, described field by field, with every hidden cell
// written as the one label the schema declares missing, and nothing beyond the release's
// figures and activity counts.
func TestOpenDataPublishesTheLatestReleases(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now)).ID
	at := now.Add(-time.Minute)
	childrenIn(t, ts, 20297, "live-open-1", 12, voci.Age10to12, voci.GenderGirl, at)
	childrenIn(t, ts, 20297, "live-open-1", 9, voci.Age13to15, voci.GenderBoy, at)
	childrenIn(t, ts, 20297, "live-open-1", 2, voci.Age16to18, voci.GenderBoy, at) // 2 < k: hidden
	type field struct{ Name, Type, Description string }
	type resource struct {
		Name, Path, Description string
		Schema                  struct {
			Fields        []field
			MissingValues []string
		}
	}
	datapackage := func() map[string]resource {
		a := ts.do(t, "GET", "/api/v1/open-data/datapackage.json", "", "")
		var pkg struct{ Resources []resource }
		if a.status != 200 || json.Unmarshal(a.body, &pkg) != nil {
			t.Fatalf("datapackage: %d %s", a.status, a.body)
		}
		out := map[string]resource{}
		for _, r := range pkg.Resources {
			out[r.Name] = r
		}
		return out
	}
	if res := datapackage(); len(res) != 2 {
		t.Fatalf("before any release: %v", res)
	}
	if a := ts.do(t, "GET", "/api/v1/open-data/municipalities-month.csv", "", ""); a.status != 404 {
		t.Fatalf("a table of no release: %d %s", a.status, a.body)
	}
	if rel := release(t, signedIn(t, ts, "national")["national"], month); rel["status"] != "published" {
		t.Fatalf("release %v", rel)
	}

	res := datapackage()
	for _, name := range []string{"stages", "stages-by-county", "municipalities-month", "counties-month"} {
		if _, ok := res[name]; !ok {
			t.Errorf("%s is not listed: %v", name, res)
		}
	}
	if _, ok := res["municipalities-quarter"]; ok {
		t.Error("a quarter without a release is listed")
	}
	hidden := 0
	for _, name := range []string{"municipalities-month", "counties-month"} {
		r := res[name]
		if !strings.Contains(r.Description, month+", version 1") || !slices.Contains(r.Schema.MissingValues, "hidden to protect children") {
			t.Errorf("%s: %q %q", name, r.Description, r.Schema.MissingValues)
		}
		cols := map[string]int{}
		for i, f := range r.Schema.Fields {
			cols[f.Name] = i
			if f.Description == "" || (f.Type != "number" && f.Type != "string") {
				t.Errorf("%s: field %+v", name, f)
			}
			if strings.HasPrefix(f.Name, "representativeness") {
				t.Errorf("%s publishes %s, which is not a figure of the release", name, f.Name)
			}
		}
		a := ts.do(t, "GET", "/api/v1/open-data/"+r.Path, "", "")
		if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: %d %s", r.Path, a.status, a.body)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(a.body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows[0]) != len(r.Schema.Fields) {
			t.Fatalf("%s: header %q, fields %d", name, rows[0], len(r.Schema.Fields))
		}
		for i, f := range r.Schema.Fields {
			if rows[0][i] != f.Name {
				t.Errorf("%s: header %q, want the fields' names", name, rows[0])
			}
		}
		// Every number field holds a number or a declared missing value, never anything else.
		for _, row := range rows[1:] {
			for i, f := range r.Schema.Fields {
				if f.Type != "number" || slices.Contains(r.Schema.MissingValues, row[i]) {
					continue
				}
				if _, err := strconv.ParseFloat(row[i], 64); err != nil {
					t.Errorf("%s: %s = %q", name, f.Name, row[i])
				}
			}
		}
		key := map[string]string{"municipalities-month": "siruta", "counties-month": "countyCode"}[name]
		want := map[string]string{"municipalities-month": "20297", "counties-month": "BC"}[name]
		for _, row := range rows[1:] {
			if row[cols[key]] != want {
				continue
			}
			if c := row[cols["childrenByAge.16_18"]]; c != "hidden to protect children" {
				t.Errorf("%s: two children of 16–18 read %q", name, c)
			}
			if c := row[cols["childrenByAge.10_12"]]; c != "12" && c != "hidden to protect children" {
				t.Errorf("%s: twelve children of 10–12 read %q", name, c)
			}
			hidden++
		}
	}
	if hidden != 2 {
		t.Errorf("Bacău found in %d of the 2 tables", hidden)
	}
	if a := ts.do(t, "GET", "/api/v1/open-data/municipalities-month.csv?lang=ro", "", ""); !strings.Contains(string(a.body), "ascuns pentru a proteja copiii") {
		t.Errorf("the Romanian label: %s", a.body)
	}
}

// A script downloading the open data in a loop is stopped after a client's share, without a
// sign-in to stop.
func TestOpenDataDownloadsAreBoundedPerClient(t *testing.T) {
	ts := newTestServer(t)
	for i := range httpapi.OpenDataPerClient {
		if a := ts.do(t, "GET", "/api/v1/open-data/stages.csv", "", ""); a.status != 200 {
			t.Fatalf("download %d: %d %s", i+1, a.status, a.body)
		}
	}
	a := ts.do(t, "GET", "/api/v1/open-data/datapackage.json", "", "")
	if a.status != 429 || a.problem(t)["code"] != "rate_limited" || a.header.Get("Retry-After") == "" {
		t.Fatalf("past the share: %d %s", a.status, a.body)
	}
}
