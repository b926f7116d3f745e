package voci_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/report"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
	"github.com/voci-platform/voci/seeds"
)

// seededStore is a real SQLite file with Romania's municipalities and the pilots' stages.
func seededStore(t *testing.T, now time.Time) *sqlitestore.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := seeds.LoadReferenceData(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.EnsurePilotStages(ctx, st, now, voci.RandomID); err != nil {
		t.Fatal(err)
	}
	return st
}

func account(id string, role voci.Role, municipality int) *voci.Account {
	return &voci.Account{ID: id, Roles: []voci.RoleGrant{{Role: role, Municipality: municipality}}}
}

// gatedWriter is the real writer, held at its first progress report until the test opens
// the gate, so that a test sees a job while it runs.
type gatedWriter struct {
	reached chan struct{}
	gate    chan struct{}
}

func (g *gatedWriter) WriteExport(ctx context.Context, w io.Writer, f voci.ExportFormat, d voci.ExportDocument, progress func(float64)) error {
	first := true
	return report.Writer{}.WriteExport(ctx, w, f, d, func(p float64) {
		if first {
			first = false
			progress(p)
			close(g.reached)
			<-g.gate
			return
		}
		progress(p)
	})
}

func TestStageReportListsEnrolledMunicipalitiesInEveryLanguage(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	st := seededStore(t, now)
	src := &voci.StageReport{Store: st, Clock: func() time.Time { return now }}
	for lang, want := range map[voci.Lang]string{voci.LangRO: "memorandum semnat", voci.LangEN: "memorandum signed", voci.LangHU: "aláírt együttműködési megállapodás"} {
		tables, err := src.ReportTables(context.Background(), voci.ReportRequest{Table: "stages", Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != 2 || tables[0].Name != "stages" || tables[1].Name != "stagesByCounty" {
			t.Fatalf("%s: tables %+v", lang, tables)
		}
		if n := len(tables[0].Rows); n != len(seeds.Pilots) {
			t.Fatalf("%s: %d enrolled rows, want the %d pilots", lang, n, len(seeds.Pilots))
		}
		var colonesti []voci.ReportCell
		for _, r := range tables[0].Rows {
			if *r[0].Value == 21891 {
				colonesti = r
			}
		}
		if colonesti == nil || colonesti[1].Text != "Colonești" || colonesti[3].Text != "Bacău" || colonesti[4].Text != "BC" ||
			colonesti[5].Text != want || colonesti[6].Text != "2026-12-07" {
			t.Errorf("%s: Colonești's row %+v", lang, colonesti)
		}
		if len(tables[1].Rows) != 42 {
			t.Errorf("%s: %d counties", lang, len(tables[1].Rows))
		}
		for _, r := range tables[1].Rows {
			if r[1].Text == "BC" && *r[2].Value != 4 {
				t.Errorf("%s: Bacău county has %v enrolled, want 4", lang, *r[2].Value)
			}
		}
	}
	one, err := src.ReportTables(context.Background(), voci.ReportRequest{Table: "stages", Siruta: 40198})
	if err != nil || len(one[0].Rows) != 1 || one[0].Rows[0][1].Text != "Brașov" || len(one[1].Rows) != 1 {
		t.Fatalf("Brașov alone: %+v %v", one, err)
	}
	if _, err := src.ReportTables(context.Background(), voci.ReportRequest{Table: "stages", Siruta: 1}); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Errorf("unknown SIRUTA: %v", err)
	}
}

func TestMayExport(t *testing.T) {
	committee := account("n", voci.RoleNationalCommittee, 0)
	admin := account("a", voci.RolePlatformAdmin, 0)
	bacau := account("c", voci.RoleCoordinator, 20297)
	facilitator := account("f", voci.RoleFacilitator, 20297)
	for _, c := range []struct {
		name string
		acct *voci.Account
		req  voci.ReportRequest
		code string
	}{
		{"committee, national", committee, voci.ReportRequest{Table: "stages"}, ""},
		{"admin, a municipality", admin, voci.ReportRequest{Table: "municipality", Siruta: 40198}, ""},
		{"coordinator, own", bacau, voci.ReportRequest{Table: "stages", Siruta: 20297}, ""},
		{"coordinator, own scorecard", bacau, voci.ReportRequest{Table: "scorecard", Siruta: 20297}, ""},
		{"coordinator, another municipality", bacau, voci.ReportRequest{Table: "stages", Siruta: 40198}, voci.EFORBIDDEN},
		{"coordinator, national", bacau, voci.ReportRequest{Table: "municipalities"}, voci.EFORBIDDEN},
		{"facilitator, own", facilitator, voci.ReportRequest{Table: "stages", Siruta: 20297}, voci.EFORBIDDEN},
		{"municipal table without a municipality", committee, voci.ReportRequest{Table: "scorecard"}, voci.EINVALID},
	} {
		if got := voci.ErrorCode(voci.MayExport(c.acct, c.req)); got != c.code {
			t.Errorf("%s: %q, want %q", c.name, got, c.code)
		}
	}
}

func TestExportQueueRefusesBadRequestsAndFloods(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	st := seededStore(t, now)
	e := voci.NewExports(st, voci.ReportSources{"stages": &voci.StageReport{Store: st}}, report.Writer{}, t.TempDir(), func() time.Time { return now })
	committee := account("n", voci.RoleNationalCommittee, 0)
	for _, c := range []struct {
		req    voci.ReportRequest
		format voci.ExportFormat
		param  string
	}{
		{voci.ReportRequest{Table: "stages"}, "docx", "format"},
		{voci.ReportRequest{Table: "nope"}, voci.ExportCSV, "table"},
		{voci.ReportRequest{Table: "stages", Lang: "fr"}, voci.ExportCSV, "lang"},
		{voci.ReportRequest{Table: "stages", Period: "2026-13"}, voci.ExportCSV, "period"},
		{voci.ReportRequest{Table: "stages", Period: "2027-Q1"}, voci.ExportCSV, "period"},
		{voci.ReportRequest{Table: "stages", County: 99}, voci.ExportCSV, "county"},
	} {
		_, err := e.Request(t.Context(), committee, c.req, c.format)
		var ve *voci.Error
		if !errors.As(err, &ve) || ve.Code != voci.EINVALID || ve.Param != c.param {
			t.Errorf("%+v %s: %v, want EINVALID %s", c.req, c.format, err, c.param)
		}
	}
	// Nothing runs the queue here: three stay queued, the fourth is refused.
	for i := range voci.DefaultExportsPerAccount {
		j, err := e.Request(t.Context(), committee, voci.ReportRequest{Table: "stages", Period: "2026-Q4"}, voci.ExportCSV)
		if err != nil || j.Status != voci.ExportQueued || j.Progress != 0 {
			t.Fatalf("export %d: %+v %v", i, j, err)
		}
		if j.FileName != "voci-stages-2026-Q4-ro.csv" {
			t.Errorf("file name %q", j.FileName)
		}
	}
	if _, err := e.Request(t.Context(), committee, voci.ReportRequest{Table: "stages"}, voci.ExportPDF); voci.ErrorCode(err) != voci.EEXPORTQUEUEFULL {
		t.Fatalf("fourth export: %v, want %s", err, voci.EEXPORTQUEUEFULL)
	}
	// Another account has its own allowance.
	if _, err := e.Request(t.Context(), account("a", voci.RolePlatformAdmin, 0), voci.ReportRequest{Table: "stages"}, voci.ExportPDF); err != nil {
		t.Fatalf("another account: %v", err)
	}
}

func TestExportJobRunsReportsProgressAndExpires(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := seededStore(t, now)
	g := &gatedWriter{reached: make(chan struct{}), gate: make(chan struct{})}
	dir := t.TempDir()
	e := voci.NewExports(st, voci.ReportSources{"stages": &voci.StageReport{Store: st}}, g, dir, func() time.Time { return clock() })
	// One row per progress report is enough to see progress move: write many rows.
	committee := account("n", voci.RoleNationalCommittee, 0)
	bacau := account("c", voci.RoleCoordinator, 20297)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	defer func() { cancel(); <-done }()

	job, err := e.Request(t.Context(), committee, voci.ReportRequest{Table: "stages", Lang: voci.LangHU}, voci.ExportXLSX)
	if err != nil {
		t.Fatal(err)
	}
	<-g.reached
	running, err := e.Job(t.Context(), committee, job.ID)
	if err != nil || running.Status != voci.ExportRunning || running.Progress < 0.2 || running.Progress >= 1 {
		t.Fatalf("while running: %+v %v", running, err)
	}
	if _, err := e.Job(t.Context(), bacau, job.ID); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Errorf("another adult sees the job: %v", err)
	}
	if _, _, err := e.File(t.Context(), committee, job.ID); voci.ErrorCode(err) != voci.ECONFLICT {
		t.Errorf("file while running: %v", err)
	}
	close(g.gate)
	deadline := time.Now().Add(30 * time.Second)
	for {
		j, _ := e.Job(t.Context(), committee, job.ID)
		if j.Status == voci.ExportDone {
			if j.Progress != 1 || j.Size == 0 || !j.ExpiresAt.Equal(now.Add(24*time.Hour)) {
				t.Fatalf("done: %+v", j)
			}
			break
		}
		if j.Status == voci.ExportFailed || time.Now().After(deadline) {
			t.Fatalf("job %+v", j)
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, f, err := e.File(t.Context(), committee, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatal("not an XLSX file")
	}
	if _, _, err := e.File(t.Context(), bacau, job.ID); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Errorf("another adult downloads the file: %v", err)
	}
	// A day later the file is gone, with its job.
	if n := e.Prune(t.Context()); n != 0 {
		t.Fatalf("pruned %d too early", n)
	}
	now = now.Add(24 * time.Hour)
	if n := e.Prune(t.Context()); n != 1 {
		t.Fatalf("pruned %d", n)
	}
	if _, err := e.Job(t.Context(), committee, job.ID); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Errorf("expired job: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, de := range entries {
		if !strings.HasPrefix(de.Name(), ".") {
			t.Errorf("file %s left behind", de.Name())
		}
	}
}

func TestExportQueueKeepsTheLastFilesOfAnAccount(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	st := seededStore(t, now)
	dir := t.TempDir()
	e := voci.NewExports(st, voci.ReportSources{"stages": &voci.StageReport{Store: st}}, report.Writer{}, dir, func() time.Time { return now })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	defer func() { cancel(); <-done }()
	committee := account("n", voci.RoleNationalCommittee, 0)
	var first string
	for i := range 21 {
		j, err := e.Request(t.Context(), committee, voci.ReportRequest{Table: "stages", Siruta: 21891}, voci.ExportCSV)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = j.ID
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			got, _ := e.Job(t.Context(), committee, j.ID)
			if got.Status == voci.ExportDone {
				break
			}
			if got.Status == voci.ExportFailed || time.Now().After(deadline) {
				t.Fatalf("job %+v", got)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if _, err := e.Job(t.Context(), committee, first); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Errorf("the oldest of 21 files is still kept: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 20 {
		t.Errorf("%d files kept, want 20", len(entries))
	}
}

// recordingWriter is the real writer (uncompressed, so that a test can read its fills), which
// keeps the documents it was given.
type recordingWriter struct {
	mu   sync.Mutex
	docs map[string]voci.ExportDocument
}

func (r *recordingWriter) WriteExport(ctx context.Context, w io.Writer, f voci.ExportFormat, d voci.ExportDocument, progress func(float64)) error {
	r.mu.Lock()
	r.docs[d.Request.Table] = d
	r.mu.Unlock()
	return report.Writer{Uncompressed: true}.WriteExport(ctx, w, f, d, progress)
}

// TestNationalPDFNamesItsReleaseAndMapsTheCounties: a national PDF names the release its
// children's figures come from, and its county map is coloured by the counties' own released
// figures, for the counties' table (whose national row does not flatten the classes) and for
// the municipalities' one (whose published cells would not add up to a county's figure).
func TestNationalPDFNamesItsReleaseAndMapsTheCounties(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := seededStore(t, now)
	ctx := context.Background()
	rel := &voci.Release{ID: "rel-nov", Period: "2026-11", Kind: voci.PeriodMonth, Status: voci.ReleaseRunning, K: 5, CreatedAt: now.Add(-time.Hour)}
	if err := st.CreateRelease(ctx, rel); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRelease(ctx, rel.ID, voci.ReleasePublished, "", now, []voci.ReleaseCell{
		{Scope: voci.CountyScope(4), Key: voci.IndChildrenReached, Value: 100}, // Bacău: the most
		{Scope: voci.CountyScope(8), Key: voci.IndChildrenReached, Value: 50},  // Brașov
		{Scope: voci.CountyScope(6), Key: voci.IndChildrenReached, Hidden: true},
		{Scope: voci.ScopeNational, Key: voci.IndChildrenReached, Value: 150},
	}); err != nil {
		t.Fatal(err)
	}
	nat := voci.NewNational(st, clock)
	rec := &recordingWriter{docs: map[string]voci.ExportDocument{}}
	e := voci.NewExports(st, voci.ReportSources{"counties": nat, "municipalities": nat}, rec, t.TempDir(), clock)
	committee := account("n", voci.RoleNationalCommittee, 0)
	run, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); e.Run(run) }()
	defer func() { cancel(); <-done }()

	// The darkest of the map's five classes: once in the legend, and on every county at the top.
	darkest := []byte("0.031 0.318 0.612 rg")
	for _, table := range []string{"counties", "municipalities"} {
		job, err := e.Request(t.Context(), committee, voci.ReportRequest{Table: table, Period: "2026-11", Lang: voci.LangEN, Indicator: voci.IndChildrenReached}, voci.ExportPDF)
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			j, _ := e.Job(t.Context(), committee, job.ID)
			if j.Status == voci.ExportDone {
				break
			}
			if j.Status == voci.ExportFailed || time.Now().After(deadline) {
				t.Fatalf("%s: job %+v", table, j)
			}
			time.Sleep(10 * time.Millisecond)
		}
		_, f, err := e.File(t.Context(), committee, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		pdf, _ := io.ReadAll(f)
		f.Close()
		rec.mu.Lock()
		d := rec.docs[table]
		rec.mu.Unlock()
		if want := "2026-11, version 1 of 2026-12-07"; d.Release != want {
			t.Errorf("%s: release %q, want %q", table, d.Release, want)
		}
		if n := bytes.Count(pdf, darkest); n < 2 {
			t.Errorf("%s: the darkest class is used %d times: Bacău's county is not coloured by its own figure", table, n)
		}
		if table == "municipalities" && (d.Tables[0].CountyMap == nil || d.Tables[0].CountyMap.Name != "counties") {
			t.Errorf("municipalities: no counties' table for the map")
		}
	}
	// A table asked for a spreadsheet carries no map, and live tables name no release.
	tables, err := nat.ReportTables(ctx, voci.ReportRequest{Table: "municipalities", Period: "2026-11", Lang: voci.LangRO})
	if err != nil || tables[0].CountyMap != nil || tables[0].Release != "2026-11, ediția 1 din 2026-12-07" {
		t.Errorf("municipalities for a spreadsheet: %v %q %v", tables[0].CountyMap != nil, tables[0].Release, err)
	}
	tables, err = nat.ReportTables(ctx, voci.ReportRequest{Table: "counties", Period: "2026-10", Lang: voci.LangEN})
	if err != nil || tables[0].Release != "" {
		t.Errorf("a period without a release: %q %v", tables[0].Release, err)
	}
}

// TestExportWaitsWhileChildrenAnswer: while children answer (Busy), the worker waits after
// the tables and after each chunk three times as long as the step took (a quarter of a core);
// otherwise it never waits.
func TestExportWaitsWhileChildrenAnswer(t *testing.T) {
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	st := seededStore(t, start)
	const tick = 10 * time.Millisecond
	var mu sync.Mutex
	now := start
	clock := func() time.Time { // every reading is a step of work
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(tick)
		return now
	}
	var pauses []time.Duration
	e := voci.NewExports(st, voci.ReportSources{"stages": &voci.StageReport{Store: st}}, report.Writer{}, t.TempDir(), clock)
	e.Pause = func(_ context.Context, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		pauses = append(pauses, d)
	}
	var busy atomic.Bool
	e.Busy = busy.Load
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	defer func() { cancel(); <-done }()
	committee := account("n", voci.RoleNationalCommittee, 0)
	export := func() []time.Duration {
		t.Helper()
		mu.Lock()
		pauses = nil
		mu.Unlock()
		job, err := e.Request(t.Context(), committee, voci.ReportRequest{Table: "stages", Lang: voci.LangRO}, voci.ExportCSV)
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			j, _ := e.Job(t.Context(), committee, job.ID)
			if j.Status == voci.ExportDone {
				break
			}
			if j.Status == voci.ExportFailed || time.Now().After(deadline) {
				t.Fatalf("job %+v", j)
			}
			time.Sleep(5 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(pauses)
	}
	if got := export(); len(got) != 0 {
		t.Fatalf("with no child answering the export waited %v", got)
	}
	busy.Store(true)
	got := export()
	if len(got) < 2 {
		t.Fatalf("while children answer the export waited only %v", got)
	}
	for _, d := range got {
		if d <= 0 || d%(3*tick) != 0 || d > time.Second {
			t.Errorf("a wait of %v is not three times a step", d)
		}
	}
}
