package voci

import (
	"cmp"
	"context"
	"fmt"
	"io"
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
// the file once it is done. Only its owner sees it.
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
	// are forgotten at ExpiresAt.
	FinishedAt time.Time
	ExpiresAt  time.Time
	FileName   string // the name offered to the browser: voci-stages-2026-12-07-ro.xlsx
	Size       int64
	// Failure is a sentence for a person when the job failed.
	Failure string

	seq uint64 // the order of the requests, oldest first
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
	// maxQueuedExports bounds the whole queue, whatever the number of accounts.
	maxQueuedExports = 200
	// maxKeptPerAccount bounds the finished files one account keeps.
	maxKeptPerAccount = 20
)

// Exports is the export queue: adults ask for a table in a format, a bounded number of
// workers build the files in the background, and each file is kept for a while in Dir for
// its owner to download. Jobs are kept in memory: a restart forgets them and removes their
// files (an export is a copy of what the store holds, made again in seconds).
type Exports struct {
	Sources ReportSources
	Writer  ExportWriter
	// Dir holds the finished files; it is created when the first job runs.
	Dir    string
	Clock  Clock
	NewID  func() string
	Logger *slog.Logger
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

	mu    sync.Mutex
	jobs  map[string]*ExportJob
	queue chan string
	seq   uint64
}

// NewExports returns a queue with the defaults.
func NewExports(sources ReportSources, writer ExportWriter, dir string, clock Clock) *Exports {
	if clock == nil {
		clock = time.Now
	}
	return &Exports{Sources: sources, Writer: writer, Dir: dir, Clock: clock, NewID: RandomID,
		Logger: slog.New(slog.DiscardHandler), PerAccount: DefaultExportsPerAccount, Workers: DefaultExportWorkers,
		Keep: DefaultExportKeep, BusyShare: DefaultExportBusyShare, Pause: sleepCtx,
		jobs: map[string]*ExportJob{}, queue: make(chan string, maxQueuedExports)}
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
func (e *Exports) Request(acct *Account, req ReportRequest, format ExportFormat) (ExportJob, error) {
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
	e.mu.Lock()
	defer e.mu.Unlock()
	active := 0
	var finished []*ExportJob
	for _, j := range e.jobs {
		if j.AccountID != acct.ID {
			continue
		}
		if j.Status == ExportQueued || j.Status == ExportRunning {
			active++
		} else {
			finished = append(finished, j)
		}
	}
	if active >= e.PerAccount {
		return ExportJob{}, Errorf(EEXPORTQUEUEFULL, "You have %d exports under way, the most one person may have. Wait for one to finish, then ask again.", active)
	}
	// An account keeps its last maxKeptPerAccount files: older ones go before they expire,
	// so that a steady stream of exports cannot fill the disk.
	if extra := len(finished) - (maxKeptPerAccount - 1); extra > 0 {
		slices.SortFunc(finished, func(a, b *ExportJob) int { return cmp.Compare(a.seq, b.seq) })
		for _, j := range finished[:extra] {
			delete(e.jobs, j.ID)
			os.Remove(e.path(j.ID, j.Format))
		}
	}
	e.seq++
	j := &ExportJob{ID: e.NewID(), AccountID: acct.ID, Request: req, Format: format, Status: ExportQueued,
		CreatedAt: now.UTC(), FileName: exportFileName(req, format, now), seq: e.seq}
	select {
	case e.queue <- j.ID:
	default:
		return ExportJob{}, Errorf(EEXPORTQUEUEFULL, "Too many exports are under way. Try again in a few minutes.")
	}
	e.jobs[j.ID] = j
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
func (e *Exports) Job(acct *Account, id string) (ExportJob, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j, ok := e.jobs[id]
	if !ok || j.AccountID != acct.ID {
		return ExportJob{}, Errorf(ENOTFOUND, "There is no such export, or it has expired.")
	}
	return *j, nil
}

// File opens the file of acct's finished job; the caller closes it. ENOTFOUND as Job;
// ECONFLICT while the job is queued or running, or when it failed.
func (e *Exports) File(acct *Account, id string) (ExportJob, *os.File, error) {
	j, err := e.Job(acct, id)
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

// Run builds queued exports with Workers workers and forgets expired ones, until ctx is
// done. Files left by an earlier run are removed first: their jobs were in memory.
func (e *Exports) Run(ctx context.Context) {
	e.removeLeftovers()
	var wg sync.WaitGroup
	for range max(e.Workers, 1) {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case id := <-e.queue:
					e.build(ctx, id)
				}
			}
		})
	}
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-tick.C:
			e.Prune()
		}
	}
}

func (e *Exports) removeLeftovers() {
	entries, err := os.ReadDir(e.Dir)
	if err != nil {
		return
	}
	for _, de := range entries {
		// Only what an export writes: finished files and the temporary ones being written.
		name := de.Name()
		ext := filepath.Ext(name)
		if !de.IsDir() && (ext == ".csv" || ext == ".xlsx" || ext == ".pdf" || strings.HasPrefix(name, ".")) {
			os.Remove(filepath.Join(e.Dir, name))
		}
	}
}

// Prune forgets the jobs whose files have expired and removes the files. It returns how
// many it forgot.
func (e *Exports) Prune() int {
	now := e.Clock()
	e.mu.Lock()
	var gone []*ExportJob
	for id, j := range e.jobs {
		if !j.ExpiresAt.IsZero() && !now.Before(j.ExpiresAt) {
			gone = append(gone, j)
			delete(e.jobs, id)
		}
	}
	e.mu.Unlock()
	for _, j := range gone {
		os.Remove(e.path(j.ID, j.Format))
	}
	return len(gone)
}

func (e *Exports) update(id string, change func(j *ExportJob)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if j, ok := e.jobs[id]; ok {
		change(j)
	}
}

// build makes one job's file: the tables first (a fifth of the progress), then the writer,
// chunk by chunk. Between chunks the worker yields, so that requests waiting for a core get
// it before the export goes on, and while children answer it waits (Exports.Busy).
func (e *Exports) build(ctx context.Context, id string) {
	e.mu.Lock()
	j, ok := e.jobs[id]
	var job ExportJob
	if ok {
		j.Status, j.Progress = ExportRunning, 0.01
		job = *j
	}
	e.mu.Unlock()
	if !ok {
		return
	}
	err := e.write(ctx, job)
	now := e.Clock()
	e.update(id, func(j *ExportJob) {
		j.FinishedAt, j.ExpiresAt = now.UTC(), now.Add(e.Keep).UTC()
		if err != nil {
			j.Status, j.Failure = ExportFailed, ErrorMessage(err)
			return
		}
		j.Status, j.Progress = ExportDone, 1
		if fi, err := os.Stat(e.path(id, j.Format)); err == nil {
			j.Size = fi.Size()
		}
	})
	if err != nil {
		e.Logger.Warn("export failed", "export", id, "table", job.Request.Table, "format", job.Format, "error", err)
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
	tables, err := e.Sources.ReportTables(ctx, req)
	if err != nil {
		return err
	}
	e.update(job.ID, func(j *ExportJob) { j.Progress = 0.2 })
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
		e.update(job.ID, func(j *ExportJob) { j.Progress = 0.2 + 0.79*min(max(p, 0), 1) })
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
