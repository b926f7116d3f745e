package voci

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// EEXPORTQUEUEFULL: the account already has as many exports queued or running as it may.
const EEXPORTQUEUEFULL = "export_queue_full"

// ExportFormat is the kind of file an export writes.
type ExportFormat string

const (
	ExportCSV  ExportFormat = "csv"
	ExportXLSX ExportFormat = "xlsx"
	ExportPDF  ExportFormat = "pdf"
)

// ContentType is the media type a format is served with.
func (f ExportFormat) ContentType() string {
	switch f {
	case ExportCSV:
		return "text/csv; charset=utf-8"
	case ExportXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ExportPDF:
		return "application/pdf"
	}
	return "application/octet-stream"
}

// ExportStatus is where an export job stands.
type ExportStatus string

const (
	ExportQueued  ExportStatus = "queued"
	ExportRunning ExportStatus = "running"
	ExportDone    ExportStatus = "done"
	ExportFailed  ExportStatus = "failed"
)

// ExportJob is one export asked for by one adult: what it writes, how far it has got, and
// the file once it is done. Only its owner sees it. Jobs are stored (ExportJobStore), so a
// restart or another instance sees them.
type ExportJob struct {
	ID        string
	AccountID string
	Request   ReportRequest
	Format    ExportFormat
	Status    ExportStatus
	// Progress runs from 0 to 1: building the tables, then writing them chunk by chunk.
	Progress  float64
	CreatedAt time.Time
	// FinishedAt and ExpiresAt are set when the job is done or failed; the file and the job
	// are deleted at ExpiresAt.
	FinishedAt time.Time
	ExpiresAt  time.Time
	FileName   string // the name offered to the browser: voci-stages-2026-12-07-ro.xlsx
	Size       int64
	// Failure is a sentence for a person when the job failed.
	Failure string
	// Slot is which of its account's PerAccount places a queued or running job holds (the
	// store keeps one job per account and slot, so the limit holds across instances); -1
	// once it is finished.
	Slot int
	// Runner is the instance building a running job, HeartbeatAt when it last said so, and
	// Attempts how many times the job was started.
	Runner      string
	HeartbeatAt time.Time
	Attempts    int
}

// ExportJobStore keeps export jobs.
type ExportJobStore interface {
	// CreateExportJob stores j as queued in the first of slots 0..perAccount-1 its account
	// has free (a slot is held while a job is queued or running), setting j.Slot; atomic per
	// slot, so two instances never give one account more than perAccount. EEXPORTQUEUEFULL
	// when every slot is taken; ECONFLICT when j.ID is taken.
	CreateExportJob(ctx context.Context, j *ExportJob, perAccount int) error
	// ClaimExportJob marks the oldest queued job running for runner at now (one more
	// attempt) and returns it; ENOTFOUND when none is queued. Two claims never get one job.
	ClaimExportJob(ctx context.Context, runner string, now time.Time) (*ExportJob, error)
	// SetExportProgress records a running job's progress and runner's heartbeat. ECONFLICT
	// when the job is not running for runner any more; ENOTFOUND for an unknown ID.
	SetExportProgress(ctx context.Context, id, runner string, progress float64, now time.Time) error
	// FinishExportJob ends a job running for runner: done (with its size) or failed (with a
	// sentence), and frees its slot. ECONFLICT / ENOTFOUND as SetExportProgress.
	FinishExportJob(ctx context.Context, id, runner string, status ExportStatus, failure string, size int64, finished, expires time.Time) error
	// FindExportJob returns ENOTFOUND for an unknown ID.
	FindExportJob(ctx context.Context, id string) (*ExportJob, error)
	// ListExportJobs returns an account's jobs, oldest first.
	ListExportJobs(ctx context.Context, accountID string) ([]ExportJob, error)
	// RecoverExportJobs takes back the running jobs whose heartbeat is before stale (their
	// instance stopped): those started fewer than maxAttempts times are queued again, the
	// others fail with failure, finished at now and kept until expires.
	RecoverExportJobs(ctx context.Context, stale time.Time, maxAttempts int, failure string, now, expires time.Time) (requeued, failed int, err error)
	// ExpiredExportJobs lists the finished jobs whose ExpiresAt is at or before now.
	ExpiredExportJobs(ctx context.Context, now time.Time) ([]ExportJob, error)
	// DeleteExportJob removes a job; ENOTFOUND for an unknown ID.
	DeleteExportJob(ctx context.Context, id string) error
}

// ExportDocument is what a writer writes: the tables of one request and what a printed
// report says about them.
type ExportDocument struct {
	Request     ReportRequest
	Tables      []ReportTable
	GeneratedAt time.Time
	// Release names the frozen release the children's figures come from; empty when every
	// figure of the tables is live (activity counts, stages).
	Release string
}

// ExportWriter writes a document in one format. progress is called with the share of rows
// written so far (0..1) after each chunk; a writer stops with ctx's error when it is done.
type ExportWriter interface {
	WriteExport(ctx context.Context, w io.Writer, format ExportFormat, doc ExportDocument, progress func(float64)) error
}

// ReportSources is the composite source exports read: each table name is served by one
// source. It returns EINVALID, naming the table, for a table no source serves.
type ReportSources map[string]ReportSource

// ReportTables builds the tables of req with the source of req.Table.
func (s ReportSources) ReportTables(ctx context.Context, req ReportRequest) ([]ReportTable, error) {
	src, ok := s[req.Table]
	if !ok {
		return nil, InvalidParam("table", "There is no table %q to export. The tables are: %s.", req.Table, strings.Join(s.Names(), ", "))
	}
	return src.ReportTables(ctx, req)
}

// Names lists the tables, sorted.
func (s ReportSources) Names() []string {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// municipalTables are the tables about one municipality: they need its SIRUTA code, and its
// coordinator may export them.
var municipalTables = []string{"municipality", "scorecard"}

// Export defaults.
const (
	DefaultExportsPerAccount = 3
	DefaultExportWorkers     = 1
	DefaultExportKeep        = 24 * time.Hour
	// maxKeptPerAccount bounds the finished files one account keeps.
	maxKeptPerAccount = 20
)

// Exports is the export queue: adults ask for a table in a format, a bounded number of
// workers build the files in the background, and each file is kept for a while in Dir for
// its owner to download. Jobs are stored (Jobs), so that the per-account limit holds across
// instances and restarts, and a job whose instance stopped while it was queued or building
// is built again (see Recover).
type Exports struct {
	Jobs    ExportJobStore
	Sources ReportSources
	Writer  ExportWriter
	// Dir holds the finished files; it is created when the first job runs.
	Dir    string
	Clock  Clock
	NewID  func() string
	Logger *slog.Logger
	// Runner names this instance in the jobs it builds.
	Runner string
	// PerAccount bounds the jobs one account has queued or running at once.
	PerAccount int
	// Workers is how many exports are built at once. Exports are slower than anything a
	// person waits for live, so one worker (one core at most) is the default.
	Workers int
	// Keep is how long a finished file stays downloadable.
	Keep time.Duration
	// Busy, when set, says whether children are answering on this instance (live rooms
	// running). While they are, an export takes at most BusyShare of a core: after the tables
	// and after each chunk of rows, the worker waits (1/BusyShare − 1) times as long as that
	// step took (Pause, at most maxExportPause at once). Go has no priorities between
	// goroutines, and an export running flat out took the core from the children's
	// acknowledgements whenever the server had one core to itself; this runs it below them.
	// Otherwise the worker only yields between chunks.
	Busy      func() bool
	BusyShare float64
	// Pause waits d or until ctx is done (a timer; tests record it).
	Pause func(ctx context.Context, d time.Duration)

	// progress holds the progress of the jobs this instance builds, as it moves; the store
	// gets it at most every exportProgressEvery.
	mu       sync.Mutex
	progress map[string]float64
	wake     chan struct{}
}

// How stored jobs are kept alive and taken back: a running job's instance writes its
// progress (its heartbeat) at least every ExportHeartbeat; a job whose heartbeat is older than
// ExportStaleAfter is taken back by any instance, queued again up to ExportAttempts starts.
const (
	ExportHeartbeat     = 10 * time.Second
	ExportStaleAfter    = 45 * time.Second
	ExportAttempts      = 3
	exportProgressEvery = time.Second
	// exportPollEvery is how often idle workers look for jobs queued by other instances.
	exportPollEvery = 2 * time.Second
)

// ExportGaveUp is the failure of a job whose server stopped ExportAttempts times while
// building it.
const ExportGaveUp = "The server stopped while building this export, three times. Ask for it again; if it fails again, tell the platform's administrators."

// NewExports returns a queue with the defaults.
func NewExports(jobs ExportJobStore, sources ReportSources, writer ExportWriter, dir string, clock Clock) *Exports {
	if clock == nil {
		clock = time.Now
	}
	return &Exports{Jobs: jobs, Sources: sources, Writer: writer, Dir: dir, Clock: clock, NewID: RandomID,
		Logger: slog.New(slog.DiscardHandler), Runner: RandomID(), PerAccount: DefaultExportsPerAccount, Workers: DefaultExportWorkers,
		Keep: DefaultExportKeep, BusyShare: DefaultExportBusyShare, Pause: sleepCtx,
		progress: map[string]float64{}, wake: make(chan struct{}, 1)}
}

// DefaultExportBusyShare is the share of a core an export takes while children answer: a
// quarter, so an export of every municipality (a second or so alone) still ends in seconds.
// maxExportPause bounds one wait, so that a long step is not followed by a longer stop.
const (
	DefaultExportBusyShare = 0.25
	maxExportPause         = time.Second
)

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// stepper yields the worker between the steps of one export (see Exports.Busy).
type stepper struct {
	e    *Exports
	ctx  context.Context
	last time.Time
}

func (s *stepper) step() {
	e := s.e
	now := e.Clock()
	if e.Busy != nil && e.Pause != nil && e.BusyShare > 0 && e.BusyShare < 1 && e.Busy() {
		if took := now.Sub(s.last); took > 0 {
			e.Pause(s.ctx, min(time.Duration(float64(took)*(1/e.BusyShare-1)), maxExportPause))
			now = e.Clock()
		}
	} else {
		runtime.Gosched()
	}
	s.last = now
}

var periodID = regexp.MustCompile(`^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$`)

// checkExportPeriod accepts an empty period (the tables' own default) or a period ID of a
// month, quarter or year that has begun. EINVALID "period" otherwise.
func checkExportPeriod(p string, now time.Time) error {
	if p == "" {
		return nil
	}
	m := periodID.FindStringSubmatch(p)
	if m == nil {
		return InvalidParam("period", "A period is a month (2026-11), a quarter (2026-Q3) or a year (2026).")
	}
	year, _ := strconv.Atoi(m[1])
	month := 1
	if m[2] != "" {
		month, _ = strconv.Atoi(m[2])
	} else if m[3] != "" {
		q, _ := strconv.Atoi(m[3])
		month = 3*q - 2
	}
	start := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, romania)
	if year < 1996 || start.After(now) {
		return InvalidParam("period", "The period %s is in the future or before the initiative began.", p)
	}
	return nil
}

// MayExport decides whether acct may export req: platform admins and the national committee
// any table; a coordinator only the tables of a municipality they coordinate. It returns
// EINVALID for a municipal table without a SIRUTA code and EFORBIDDEN otherwise.
func MayExport(acct *Account, req ReportRequest) error {
	if slices.Contains(municipalTables, req.Table) && req.Siruta <= 0 {
		return InvalidParam("siruta", "The %s table is about one municipality: give its SIRUTA code.", req.Table)
	}
	if acct.HasRole(RolePlatformAdmin, 0) || acct.HasRole(RoleNationalCommittee, 0) {
		return nil
	}
	if req.Siruta > 0 && acct.HasRole(RoleCoordinator, req.Siruta) {
		return nil
	}
	if req.Siruta > 0 {
		return Errorf(EFORBIDDEN, "You may export only the tables of a municipality you coordinate.")
	}
	return Errorf(EFORBIDDEN, "National tables are exported by the national committee and platform admins.")
}

// Request queues an export of req in format for acct and returns the job. It returns
// EINVALID for an unknown format, language, table or a malformed period, EFORBIDDEN when
// acct may not export it (MayExport) and EEXPORTQUEUEFULL when acct already has PerAccount
// jobs queued or running, or the whole queue is full.
func (e *Exports) Request(ctx context.Context, acct *Account, req ReportRequest, format ExportFormat) (ExportJob, error) {
	switch format {
	case ExportCSV, ExportXLSX, ExportPDF:
	default:
		return ExportJob{}, InvalidParam("format", "The formats are csv, xlsx and pdf.")
	}
	switch req.Lang {
	case LangRO, LangEN, LangHU:
	case "":
		req.Lang = LangRO
	default:
		return ExportJob{}, InvalidParam("lang", "The languages are ro, en and hu.")
	}
	if _, ok := e.Sources[req.Table]; !ok {
		return ExportJob{}, InvalidParam("table", "There is no table %q to export. The tables are: %s.", req.Table, strings.Join(e.Sources.Names(), ", "))
	}
	now := e.Clock()
	if err := checkExportPeriod(req.Period, now); err != nil {
		return ExportJob{}, err
	}
	if req.County < 0 || req.County > 52 {
		return ExportJob{}, InvalidParam("county", "A county is a number from 1 to 52.")
	}
	if req.Siruta < 0 {
		return ExportJob{}, InvalidParam("siruta", "A SIRUTA code is a positive whole number.")
	}
	if err := MayExport(acct, req); err != nil {
		return ExportJob{}, err
	}
	j := &ExportJob{ID: e.NewID(), AccountID: acct.ID, Request: req, Format: format, Status: ExportQueued,
		CreatedAt: now.UTC(), FileName: exportFileName(req, format, now)}
	if err := e.Jobs.CreateExportJob(ctx, j, e.PerAccount); err != nil {
		if ErrorCode(err) == EEXPORTQUEUEFULL {
			return ExportJob{}, Errorf(EEXPORTQUEUEFULL, "You have %d exports under way, the most one person may have. Wait for one to finish, then ask again.", e.PerAccount)
		}
		return ExportJob{}, err
	}
	// An account keeps its last maxKeptPerAccount files: older ones go before they expire,
	// so that a steady stream of exports cannot fill the disk.
	if list, err := e.Jobs.ListExportJobs(ctx, acct.ID); err == nil {
		var finished []ExportJob
		for _, f := range list {
			if f.Status == ExportDone || f.Status == ExportFailed {
				finished = append(finished, f)
			}
		}
		if extra := len(finished) - (maxKeptPerAccount - 1); extra > 0 {
			for _, f := range finished[:extra] {
				e.remove(ctx, f)
			}
		}
	}
	select {
	case e.wake <- struct{}{}:
	default:
	}
	return *j, nil
}

// exportFileName names the file after the table, its scope, period (or day) and language.
func exportFileName(req ReportRequest, format ExportFormat, now time.Time) string {
	parts := []string{"voci", req.Table}
	if req.Siruta > 0 {
		parts = append(parts, strconv.Itoa(req.Siruta))
	} else if req.County > 0 {
		parts = append(parts, "county-"+strconv.Itoa(req.County))
	}
	if req.Period != "" {
		parts = append(parts, req.Period)
	} else {
		parts = append(parts, FormatDate(Today(now)))
	}
	parts = append(parts, string(req.Lang))
	return strings.Join(parts, "-") + "." + string(format)
}

// Job returns acct's job. ENOTFOUND when there is none, or it is someone else's.
func (e *Exports) Job(ctx context.Context, acct *Account, id string) (ExportJob, error) {
	j, err := e.Jobs.FindExportJob(ctx, id)
	if ErrorCode(err) == ENOTFOUND || (err == nil && j.AccountID != acct.ID) {
		return ExportJob{}, Errorf(ENOTFOUND, "There is no such export, or it has expired.")
	}
	if err != nil {
		return ExportJob{}, err
	}
	if j.Status == ExportRunning {
		e.mu.Lock()
		if p, ok := e.progress[id]; ok && p > j.Progress {
			j.Progress = p // built here: the latest, not the last stored
		}
		e.mu.Unlock()
	}
	return *j, nil
}

// List returns acct's jobs still kept, oldest first, with the progress of those built here.
func (e *Exports) List(ctx context.Context, acct *Account) ([]ExportJob, error) {
	jobs, err := e.Jobs.ListExportJobs(ctx, acct.ID)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	for i := range jobs {
		if p, ok := e.progress[jobs[i].ID]; ok && jobs[i].Status == ExportRunning && p > jobs[i].Progress {
			jobs[i].Progress = p
		}
	}
	e.mu.Unlock()
	return jobs, nil
}

// File opens the file of acct's finished job; the caller closes it. ENOTFOUND as Job;
// ECONFLICT while the job is queued or running, or when it failed.
func (e *Exports) File(ctx context.Context, acct *Account, id string) (ExportJob, *os.File, error) {
	j, err := e.Job(ctx, acct, id)
	if err != nil {
		return j, nil, err
	}
	switch j.Status {
	case ExportFailed:
		return j, nil, Errorf(ECONFLICT, "This export failed: %s", j.Failure)
	case ExportQueued, ExportRunning:
		return j, nil, Errorf(ECONFLICT, "This export is not finished yet.")
	}
	f, err := os.Open(e.path(j.ID, j.Format))
	if err != nil {
		return j, nil, Errorf(ENOTFOUND, "There is no such export, or it has expired.")
	}
	return j, f, nil
}

func (e *Exports) path(id string, format ExportFormat) string {
	return filepath.Join(e.Dir, id+"."+string(format))
}

// remove deletes a finished job's file, then the job.
func (e *Exports) remove(ctx context.Context, j ExportJob) {
	if err := os.Remove(e.path(j.ID, j.Format)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		e.Logger.Warn("an export file could not be removed", "export", j.ID, "error", err)
		return
	}
	if err := e.Jobs.DeleteExportJob(ctx, j.ID); err != nil && ErrorCode(err) != ENOTFOUND {
		e.Logger.Warn("an expired export could not be deleted", "export", j.ID, "error", err)
	}
}

// Run builds queued exports with Workers workers, takes back the jobs of stopped instances
// and deletes expired ones, until ctx is done. Temporary files left by a stopped run, and
// files no stored job owns, are removed first.
func (e *Exports) Run(ctx context.Context) {
	e.removeLeftovers(ctx)
	e.Recover(ctx)
	var wg sync.WaitGroup
	for range max(e.Workers, 1) {
		wg.Go(func() {
			poll := time.NewTicker(exportPollEvery)
			defer poll.Stop()
			for {
				for e.claimAndBuild(ctx) {
				}
				select {
				case <-ctx.Done():
					return
				case <-e.wake:
				case <-poll.C:
				}
			}
		})
	}
	tick := time.NewTicker(ExportStaleAfter / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-tick.C:
			e.Recover(ctx)
			e.Prune(ctx)
		}
	}
}

// Recover takes back the jobs whose instance stopped while building them (no heartbeat for
// ExportStaleAfter): they are queued again, up to ExportAttempts starts, then fail with
// ExportGaveUp. An export is a copy of what the store holds, so building it again is safe,
// and the adult gets the file without asking again; a job that itself stops its server is
// not tried for ever.
func (e *Exports) Recover(ctx context.Context) {
	now := e.Clock()
	requeued, failed, err := e.Jobs.RecoverExportJobs(ctx, now.Add(-ExportStaleAfter), ExportAttempts, ExportGaveUp, now.UTC(), now.Add(e.Keep).UTC())
	if err != nil {
		if ctx.Err() == nil {
			e.Logger.Warn("exports of stopped instances could not be taken back", "error", err)
		}
		return
	}
	if requeued+failed > 0 {
		e.Logger.Info("exports of a stopped instance taken back", "requeued", requeued, "failed", failed)
		select {
		case e.wake <- struct{}{}:
		default:
		}
	}
}

func (e *Exports) claimAndBuild(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	j, err := e.Jobs.ClaimExportJob(ctx, e.Runner, e.Clock().UTC())
	if err != nil {
		if ErrorCode(err) != ENOTFOUND && ctx.Err() == nil {
			e.Logger.Warn("an export could not be claimed", "error", err)
		}
		return false
	}
	e.build(ctx, *j)
	return true
}

func (e *Exports) removeLeftovers(ctx context.Context) {
	entries, err := os.ReadDir(e.Dir)
	if err != nil {
		return
	}
	for _, de := range entries {
		// Only what an export writes: the temporary files of a stopped run, and finished
		// files whose job is gone.
		name := de.Name()
		ext := filepath.Ext(name)
		if de.IsDir() {
			continue
		}
		if strings.HasPrefix(name, ".") {
			os.Remove(filepath.Join(e.Dir, name))
			continue
		}
		if ext == ".csv" || ext == ".xlsx" || ext == ".pdf" {
			if _, err := e.Jobs.FindExportJob(ctx, strings.TrimSuffix(name, ext)); ErrorCode(err) == ENOTFOUND {
				os.Remove(filepath.Join(e.Dir, name))
			}
		}
	}
}

// Prune deletes the jobs whose files have expired, with their files. It returns how many it
// deleted.
func (e *Exports) Prune(ctx context.Context) int {
	gone, err := e.Jobs.ExpiredExportJobs(ctx, e.Clock().UTC())
	if err != nil {
		if ctx.Err() == nil {
			e.Logger.Warn("expired exports could not be listed", "error", err)
		}
		return 0
	}
	for _, j := range gone {
		e.remove(ctx, j)
	}
	return len(gone)
}

// build makes one claimed job's file: the tables first (a fifth of the progress), then the
// writer, chunk by chunk. Between chunks the worker yields, so that requests waiting for a
// core get it before the export goes on, and while children answer it waits (Exports.Busy).
// Its progress is stored at most every second, and at least every ExportHeartbeat, which
// tells other instances that this one is still building it.
func (e *Exports) build(ctx context.Context, job ExportJob) {
	e.mu.Lock()
	e.progress[job.ID] = 0.01
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.progress, job.ID)
		e.mu.Unlock()
	}()
	stop := make(chan struct{})
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		t := time.NewTicker(ExportHeartbeat)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				e.storeProgress(ctx, job.ID)
			}
		}
	}()
	err := e.write(ctx, job)
	close(stop)
	<-beat
	if ctx.Err() != nil {
		// The server is stopping: the job stays running, and is taken back (queued again)
		// when its heartbeat is old, here after a restart or by another instance.
		return
	}
	now := e.Clock()
	status, failure, size := ExportDone, "", int64(0)
	if err != nil {
		status, failure = ExportFailed, ErrorMessage(err)
		e.Logger.Warn("export failed", "export", job.ID, "table", job.Request.Table, "format", job.Format, "error", err)
	} else if fi, err := os.Stat(e.path(job.ID, job.Format)); err == nil {
		size = fi.Size()
	}
	if err := e.Jobs.FinishExportJob(ctx, job.ID, e.Runner, status, failure, size, now.UTC(), now.Add(e.Keep).UTC()); err != nil {
		e.Logger.Warn("an export could not be finished", "export", job.ID, "error", err)
	}
}

// storeProgress writes the job's latest progress (and this instance's heartbeat).
func (e *Exports) storeProgress(ctx context.Context, id string) {
	e.mu.Lock()
	p := e.progress[id]
	e.mu.Unlock()
	if err := e.Jobs.SetExportProgress(ctx, id, e.Runner, p, e.Clock().UTC()); err != nil && ctx.Err() == nil {
		e.Logger.Warn("an export's progress could not be stored", "export", id, "error", err)
	}
}

func (e *Exports) write(ctx context.Context, job ExportJob) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Errorf(EINTERNAL, "export %s panicked: %v", job.ID, r)
		}
	}()
	req := job.Request
	req.Print = job.Format == ExportPDF
	steps := &stepper{e: e, ctx: ctx, last: e.Clock()}
	stored := time.Now()
	setProgress := func(p float64) {
		e.mu.Lock()
		e.progress[job.ID] = p
		e.mu.Unlock()
		if time.Since(stored) >= exportProgressEvery {
			stored = time.Now()
			e.storeProgress(ctx, job.ID)
		}
	}
	tables, err := e.Sources.ReportTables(ctx, req)
	if err != nil {
		return err
	}
	setProgress(0.2)
	steps.step()
	if err := os.MkdirAll(e.Dir, 0o750); err != nil {
		return fmt.Errorf("export directory: %w", err)
	}
	f, err := os.CreateTemp(e.Dir, "."+job.ID+"-*")
	if err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	defer os.Remove(f.Name()) // harmless once renamed
	doc := ExportDocument{Request: job.Request, Tables: tables, GeneratedAt: e.Clock()}
	for _, t := range tables {
		if t.Release != "" {
			doc.Release = t.Release
			break
		}
	}
	progress := func(p float64) {
		setProgress(0.2 + 0.79*min(max(p, 0), 1))
		steps.step()
	}
	if err := e.Writer.WriteExport(ctx, f, job.Format, doc, progress); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	return os.Rename(f.Name(), e.path(job.ID, job.Format))
}
