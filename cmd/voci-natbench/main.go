// Command voci-natbench measures national reporting against a running Voci filled by
// `voci gen`, over HTTP as the demo national committee member (VOCI_DEMO_PASSWORD), and prints
// one line of figures:
//
//	release_periods=N release_published=N release_blocked=N release_failed=N release_s=X
//	release_heap_live_peak_mb=X server_max_rss_mb=X
//	national_table_rows=N national_table_p50_ms=X national_table_p99_ms=X
//	municipality_p50_ms=X municipality_p99_ms=X national_table_after_write_p50_ms=X
//	national_table_after_write_p99_ms=X municipality_after_write_p50_ms=X
//	municipality_after_write_p99_ms=X export_pdf_s=X export_xlsx_s=X
//
// The release job releases every month, quarter and year of the last -months months through
// POST /api/v1/national/releases (computed in the server's background) and is timed from the
// first request to the last release finished. It waits first for the releases the server
// makes when it starts (the finished periods without one) to be done; the periods they cover
// get a new version, computed the same way and then published or blocked. Meanwhile the server's live heap
// (go_gc_heap_live_bytes on /metrics, VOCI_METRICS_TOKEN) and, with -pid, its peak resident
// memory (VmHWM in /proc) are read. The national table is GET
// /api/v1/national/municipalities?all=1 for the release's year, a municipality's page GET
// /api/v1/municipalities/{siruta}/indicators over the enrolled ones, each timed as it comes
// and again right after a write (a stage recorded and recorded back for one municipality,
// which the server's kept answers cannot survive); the exports are asked
// for with POST /api/v1/exports and timed until the file is ready.
//
// With -exports-loop it only asks for the national PDF and XLSX one after the other until it
// is interrupted, and then prints how many it made: the live benchmark runs beside it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "voci-natbench:", err)
		os.Exit(1)
	}
}

type bench struct {
	base         *url.URL
	email        string
	password     string
	metricsToken string
	pid          int
	months       int
	requests     int
	log          io.Writer
	http         *http.Client
	csrf         string
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("voci-natbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "Voci's base URL")
	email := fs.String("email", "national@demo.voci.ro", "demo national committee member to sign in as")
	pid := fs.Int("pid", 0, "the server's process ID, to read its peak resident memory (0: not read)")
	months := fs.Int("months", 24, "release every month, quarter and year of this many months, ending with the current one")
	requests := fs.Int("requests", 200, "requests timed per page")
	loop := fs.Bool("exports-loop", false, "only ask for exports one after the other until interrupted")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*base)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-url %q is not a URL", *base)
	}
	b := &bench{base: u, email: *email, password: getenv("VOCI_DEMO_PASSWORD"), metricsToken: getenv("VOCI_METRICS_TOKEN"),
		pid: *pid, months: max(1, *months), requests: max(1, *requests), log: stderr}
	if b.password == "" {
		return errors.New("set VOCI_DEMO_PASSWORD to the demo accounts' password")
	}
	jar, _ := cookiejar.New(nil)
	b.http = &http.Client{Jar: jar, Timeout: 5 * time.Minute}
	if err := b.signIn(ctx); err != nil {
		return err
	}
	if *loop {
		return b.exportsLoop(ctx, stdout)
	}
	return b.all(ctx, stdout)
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

// api calls the REST API as the signed-in committee member and returns the body's length.
func (b *bench) api(ctx context.Context, method, path string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		r = bytes.NewReader(j)
	}
	path, query, _ := strings.Cut(path, "?")
	u := b.base.JoinPath(path)
	u.RawQuery = query
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", b.base.Scheme+"://"+b.base.Host)
	if b.csrf != "" {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode >= 300 {
		return 0, &statusError{status: resp.StatusCode, text: fmt.Sprintf("%s %s: %d %s", method, path, resp.StatusCode, data)}
	}
	if out != nil {
		return len(data), json.Unmarshal(data, out)
	}
	return len(data), nil
}

// statusError is an answer other than a success.
type statusError struct {
	status int
	text   string
}

func (e *statusError) Error() string { return e.text }

func (b *bench) signIn(ctx context.Context) error {
	var me struct {
		CSRFToken string `json:"csrfToken"`
	}
	if _, err := b.api(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": b.email, "password": b.password}, &me); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	b.csrf = me.CSRFToken
	return nil
}

type release struct {
	ID     string `json:"id"`
	Period string `json:"period"`
	Status string `json:"status"`
}

// settle waits until no release is running: the server releases the finished periods that
// have none when it starts, and the benchmark's own releases must not share the machine with them.
func (b *bench) settle(ctx context.Context) error {
	last, stable := -1, 0
	for {
		var list struct {
			Items []release `json:"items"`
		}
		if _, err := b.api(ctx, "GET", "/api/v1/national/releases", nil, &list); err != nil {
			return err
		}
		running := 0
		for _, r := range list.Items {
			if r.Status == "running" {
				running++
			}
		}
		// Between two of its releases none is running: wait for the count to stay put too.
		if running == 0 && len(list.Items) == last {
			stable++
		} else {
			stable = 0
		}
		last = len(list.Items)
		if stable == 3 {
			b.logf("the server's own releases are done (%d)", last)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// periods are every month, quarter and year that the last b.months months touch.
func (b *bench) periods(now time.Time) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	first := time.Date(now.Year(), now.Month(), 1, 12, 0, 0, 0, time.UTC)
	for i := b.months - 1; i >= 0; i-- {
		add(first.AddDate(0, -i, 0).Format("2006-01"))
	}
	for i := b.months - 1; i >= 0; i-- {
		m := first.AddDate(0, -i, 0)
		add(fmt.Sprintf("%d-Q%d", m.Year(), (int(m.Month())+2)/3))
	}
	for i := b.months - 1; i >= 0; i-- {
		add(strconv.Itoa(first.AddDate(0, -i, 0).Year()))
	}
	return out
}

// memory follows the server's live heap and peak RSS while a job runs.
type memory struct {
	mu       sync.Mutex
	heapPeak float64 // bytes
	rssPeak  float64 // kB, VmHWM
}

func (b *bench) watchMemory(ctx context.Context, m *memory) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		heap := b.liveHeap(ctx)
		rss := b.peakRSS()
		m.mu.Lock()
		m.heapPeak, m.rssPeak = max(m.heapPeak, heap), max(m.rssPeak, rss)
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// liveHeap reads go_gc_heap_live_bytes from the server's /metrics (0 when it cannot).
func (b *bench) liveHeap(ctx context.Context) float64 {
	req, err := http.NewRequestWithContext(ctx, "GET", b.base.JoinPath("/metrics").String(), nil)
	if err != nil {
		return 0
	}
	if b.metricsToken != "" {
		req.Header.Set("Authorization", "Bearer "+b.metricsToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go_gc_heap_live_bytes "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f
		}
	}
	return 0
}

// peakRSS reads the server's VmHWM in kB (0 without -pid).
func (b *bench) peakRSS() float64 {
	if b.pid == 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", b.pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return f
		}
	}
	return 0
}

func (b *bench) all(ctx context.Context, stdout io.Writer) error {
	var fig []string
	put := func(k string, v any) {
		if f, ok := v.(float64); ok {
			v = strconv.FormatFloat(f, 'f', 1, 64)
		}
		fig = append(fig, fmt.Sprintf("%s=%v", k, v))
	}
	if err := b.settle(ctx); err != nil {
		return err
	}

	// The release job over every month, quarter and year.
	periods := b.periods(time.Now())
	mem := &memory{}
	watchCtx, stopWatch := context.WithCancel(ctx)
	var watching sync.WaitGroup
	watching.Go(func() { b.watchMemory(watchCtx, mem) })
	started := time.Now()
	ids := make([]string, 0, len(periods))
	for _, p := range periods {
		var r release
		for {
			_, err := b.api(ctx, "POST", "/api/v1/national/releases", map[string]string{"period": p}, &r)
			var status *statusError
			if errors.As(err, &status) && status.status == http.StatusTooManyRequests {
				// The server computes a few periods at a time: ask again when one is done.
				select {
				case <-ctx.Done():
					stopWatch()
					return ctx.Err()
				case <-time.After(100 * time.Millisecond):
				}
				continue
			}
			if err != nil {
				stopWatch()
				return err
			}
			break
		}
		ids = append(ids, r.ID)
	}
	b.logf("asked for %d releases in %s, a few waiting at a time; they compute in the background", len(ids), time.Since(started).Round(time.Millisecond))
	statuses := map[string]int{}
	for _, id := range ids {
		for {
			var r release
			if _, err := b.api(ctx, "GET", "/api/v1/national/releases/"+id, nil, &r); err != nil {
				stopWatch()
				return err
			}
			if r.Status != "running" {
				statuses[r.Status]++
				break
			}
			select {
			case <-ctx.Done():
				stopWatch()
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	releaseTime := time.Since(started)
	stopWatch()
	watching.Wait()
	b.logf("releases: %v", statuses)
	put("release_periods", len(ids))
	put("release_published", statuses["published"])
	put("release_blocked", statuses["blocked"])
	put("release_failed", statuses["failed"])
	put("release_s", releaseTime.Seconds())
	put("release_heap_live_peak_mb", mem.heapPeak/(1<<20))
	put("server_max_rss_mb", mem.rssPeak/1024)

	// The national table of every municipality, for the year just released.
	period := periods[len(periods)-1]
	var table struct {
		Items []struct {
			SIRUTA   int    `json:"siruta"`
			Enrolled bool   `json:"enrolled"`
			Stage    string `json:"stage"`
		} `json:"items"`
	}
	tablePath := "/api/v1/national/municipalities?all=1&period=" + period
	size, err := b.api(ctx, "GET", tablePath, nil, &table)
	if err != nil {
		return err
	}
	var enrolled []int
	stages := map[int]string{}
	for _, m := range table.Items {
		if m.Enrolled {
			enrolled = append(enrolled, m.SIRUTA)
			stages[m.SIRUTA] = m.Stage
		}
	}
	if len(enrolled) == 0 {
		return errors.New("no enrolled municipality in the national table: was the data generated?")
	}
	lat, err := b.time(ctx, b.requests, func(int) string { return tablePath })
	if err != nil {
		return err
	}
	put("national_table_rows", len(table.Items))
	put("national_table_kb", float64(size)/1024)
	put("national_table_p50_ms", ms(pct(lat, 50)))
	put("national_table_p99_ms", ms(pct(lat, 99)))

	// One municipality's page, over the enrolled ones.
	lat, err = b.time(ctx, b.requests, func(i int) string {
		return fmt.Sprintf("/api/v1/municipalities/%d/indicators?period=%s", enrolled[i%len(enrolled)], period)
	})
	if err != nil {
		return err
	}
	put("municipality_p50_ms", ms(pct(lat, 50)))
	put("municipality_p99_ms", ms(pct(lat, 99)))

	// The same requests, each right after a write (a stage recorded, then recorded back), as
	// while the platform is in use: the server cannot answer them from what it keeps.
	moved := enrolled[len(enrolled)-1]
	for _, m := range enrolled {
		if stages[m] != "paused" && stages[m] != "" {
			moved = m
		}
	}
	write := func(i int) error {
		stage := "paused"
		if i%2 == 1 {
			stage = stages[moved]
		}
		_, err := b.api(ctx, "POST", fmt.Sprintf("/api/v1/municipalities/%d/stage", moved),
			map[string]string{"stage": stage, "date": time.Now().UTC().Format(time.DateOnly), "note": "Benchmark: a write before the request."}, nil)
		return err
	}
	changed := min(b.requests, 50)
	if lat, err = b.timeAfter(ctx, changed, write, func(int) string { return tablePath }); err != nil {
		return err
	}
	put("national_table_after_write_p50_ms", ms(pct(lat, 50)))
	put("national_table_after_write_p99_ms", ms(pct(lat, 99)))
	if lat, err = b.timeAfter(ctx, b.requests, write, func(i int) string {
		return fmt.Sprintf("/api/v1/municipalities/%d/indicators?period=%s", enrolled[i%len(enrolled)], period)
	}); err != nil {
		return err
	}
	put("municipality_after_write_p50_ms", ms(pct(lat, 50)))
	put("municipality_after_write_p99_ms", ms(pct(lat, 99)))

	// The national PDF and the XLSX of every municipality, through the export queue.
	for _, format := range []string{"pdf", "xlsx"} {
		d, size, err := b.export(ctx, format, period)
		if err != nil {
			return err
		}
		put("export_"+format+"_s", d.Seconds())
		put("export_"+format+"_kb", float64(size)/1024)
	}
	fmt.Fprintln(stdout, strings.Join(fig, " "))
	return nil
}

// time makes n GET requests one after the other and returns their latencies.
func (b *bench) time(ctx context.Context, n int, path func(i int) string) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := range n {
		t := time.Now()
		if _, err := b.api(ctx, "GET", path(i), nil, nil); err != nil {
			return nil, err
		}
		out = append(out, time.Since(t))
	}
	return out, nil
}

// timeAfter makes n GET requests one after the other, each after write(i), and returns their
// latencies (the writes' not counted).
func (b *bench) timeAfter(ctx context.Context, n int, write func(i int) error, path func(i int) string) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := range n {
		if err := write(i); err != nil {
			return nil, err
		}
		t := time.Now()
		if _, err := b.api(ctx, "GET", path(i), nil, nil); err != nil {
			return nil, err
		}
		out = append(out, time.Since(t))
	}
	return out, nil
}

// export asks for the national table of every municipality in format and waits for the file.
func (b *bench) export(ctx context.Context, format, period string) (time.Duration, int, error) {
	type job struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Size   int    `json:"size"`
		Error  string `json:"error"`
	}
	started := time.Now()
	var j job
	if _, err := b.api(ctx, "POST", "/api/v1/exports", map[string]any{"table": "municipalities", "format": format, "period": period, "lang": "ro"}, &j); err != nil {
		return 0, 0, err
	}
	for j.Status == "queued" || j.Status == "running" {
		select {
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := b.api(ctx, "GET", "/api/v1/exports/"+j.ID, nil, &j); err != nil {
			return 0, 0, err
		}
	}
	d := time.Since(started)
	if j.Status != "done" {
		return 0, 0, fmt.Errorf("export %s %s: %s", format, j.Status, j.Error)
	}
	return d, j.Size, nil
}

// exportsLoop asks for the PDF and the XLSX of every municipality one after the other until
// ctx ends, then prints how many it made.
func (b *bench) exportsLoop(ctx context.Context, stdout io.Writer) error {
	period := strconv.Itoa(time.Now().Year())
	made := 0
	for i := 0; ; i++ {
		_, _, err := b.export(ctx, []string{"pdf", "xlsx"}[i%2], period)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			return err
		}
		made++
	}
	fmt.Fprintf(stdout, "exports_made=%d\n", made)
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
