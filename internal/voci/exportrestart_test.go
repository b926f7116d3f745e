package voci_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/report"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
	"github.com/voci-platform/voci/seeds"
)

// stoppedWriter is the real writer that, at its first progress report, says so and waits
// for the server to stop (its context to end), as a file being built when a server stops.
type stoppedWriter struct{ reached chan struct{} }

func (w stoppedWriter) WriteExport(ctx context.Context, out io.Writer, f voci.ExportFormat, d voci.ExportDocument, progress func(float64)) error {
	return report.Writer{}.WriteExport(ctx, out, f, d, func(p float64) {
		progress(p)
		select {
		case <-w.reached:
		default:
			close(w.reached)
		}
		<-ctx.Done()
	})
}

// Export jobs are stored: a job being built when its server stops, and one still queued, are
// built after the restart (the first queued again once its heartbeat is old, a second
// attempt); the per-account limit counts the jobs of every instance; a finished file is
// deleted with its job when it expires.
func TestExportJobsSurviveARestart(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "voci.db")
	dir := t.TempDir()
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var clockNanos atomic.Int64
	clockNanos.Store(start.UnixNano())
	clock := func() time.Time { return time.Unix(0, clockNanos.Load()).UTC() }
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.LoadReferenceData(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.EnsurePilotStages(ctx, st, start, voci.RandomID); err != nil {
		t.Fatal(err)
	}
	committee := account("n", voci.RoleNationalCommittee, 0)
	sources := func(st voci.Store) voci.ReportSources {
		return voci.ReportSources{"stages": &voci.StageReport{Store: st, Clock: clock}}
	}

	// The first server builds one job and is stopped while doing so; a second stays queued.
	w := stoppedWriter{reached: make(chan struct{})}
	first := voci.NewExports(st, sources(st), w, dir, clock)
	run, stop := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { defer close(stopped); first.Run(run) }()
	building, err := first.Request(ctx, committee, voci.ReportRequest{Table: "stages", Lang: voci.LangHU}, voci.ExportXLSX)
	if err != nil {
		t.Fatal(err)
	}
	<-w.reached
	queued, err := first.Request(ctx, committee, voci.ReportRequest{Table: "stages"}, voci.ExportCSV)
	if err != nil {
		t.Fatal(err)
	}
	// Another instance on the same store: the account's third export is taken, its fourth
	// refused, whichever instance it asks.
	other := voci.NewExports(st, sources(st), report.Writer{}, dir, clock)
	third, err := other.Request(ctx, committee, voci.ReportRequest{Table: "stages", Siruta: 20297}, voci.ExportPDF)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Request(ctx, committee, voci.ReportRequest{Table: "stages"}, voci.ExportPDF); voci.ErrorCode(err) != voci.EEXPORTQUEUEFULL {
		t.Fatalf("a fourth export on another instance: %v", err)
	}
	if _, err := first.Request(ctx, committee, voci.ReportRequest{Table: "stages"}, voci.ExportPDF); voci.ErrorCode(err) != voci.EEXPORTQUEUEFULL {
		t.Fatalf("a fourth export: %v", err)
	}
	if j, err := first.Job(ctx, committee, building.ID); err != nil || j.Status != voci.ExportRunning || j.Progress < 0.2 {
		t.Fatalf("while building: %+v %v", j, err)
	}
	stop()
	<-stopped
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// The restart: the same file, a minute later (past voci.ExportStaleAfter).
	clockNanos.Store(start.Add(time.Minute).UnixNano())
	st, err = sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if j, err := st.FindExportJob(ctx, building.ID); err != nil || j.Status != voci.ExportRunning {
		t.Fatalf("after the restart, before recovery: %+v %v", j, err)
	}
	again := voci.NewExports(st, sources(st), report.Writer{}, dir, clock)
	run, stop = context.WithCancel(ctx)
	stopped = make(chan struct{})
	go func() { defer close(stopped); again.Run(run) }()
	defer func() { stop(); <-stopped }()
	deadline := time.Now().Add(60 * time.Second)
	for _, id := range []string{building.ID, queued.ID, third.ID} {
		for {
			j, err := again.Job(ctx, committee, id)
			if err != nil {
				t.Fatal(err)
			}
			if j.Status == voci.ExportDone {
				wantAttempts := 1
				if id == building.ID {
					wantAttempts = 2
				}
				if j.Attempts != wantAttempts || j.Progress != 1 || j.Size == 0 {
					t.Fatalf("%s done: %+v", id, j)
				}
				break
			}
			if j.Status == voci.ExportFailed || time.Now().After(deadline) {
				t.Fatalf("%s: %+v", id, j)
			}
			time.Sleep(10 * time.Millisecond)
		}
		_, f, err := again.File(ctx, committee, id)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	// A day later the files are deleted, with their jobs.
	clockNanos.Store(start.Add(time.Minute + voci.DefaultExportKeep).UnixNano())
	if n := again.Prune(ctx); n != 3 {
		t.Fatalf("pruned %d, want 3", n)
	}
	if _, err := again.Job(ctx, committee, building.ID); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("expired job: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, de := range entries {
		t.Errorf("file %s left behind", de.Name())
	}
}

// A job whose server stops on every attempt fails after voci.ExportAttempts, with a sentence
// that says so, and frees its account's slot.
func TestAnExportThatStopsItsServerGivesUp(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	st := seededStore(t, now)
	committee := account("n", voci.RoleNationalCommittee, 0)
	e := voci.NewExports(st, voci.ReportSources{"stages": &voci.StageReport{Store: st}}, report.Writer{}, t.TempDir(), func() time.Time { return now })
	job, err := e.Request(ctx, committee, voci.ReportRequest{Table: "stages"}, voci.ExportCSV)
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= voci.ExportAttempts; attempt++ {
		// An instance claims it and stops without a word.
		if j, err := st.ClaimExportJob(ctx, "gone", now); err != nil || j.ID != job.ID || j.Attempts != attempt {
			t.Fatalf("attempt %d: %+v %v", attempt, j, err)
		}
		now = now.Add(time.Minute)
		e.Recover(ctx)
	}
	j, err := e.Job(ctx, committee, job.ID)
	if err != nil || j.Status != voci.ExportFailed || j.Failure != voci.ExportGaveUp || j.Slot != -1 {
		t.Fatalf("after %d stopped attempts: %+v %v", voci.ExportAttempts, j, err)
	}
}
