package httpapi_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// benchAddr returns the address of the real application serving ts's SQLite file, for a
// measurement. With VOCI_BENCH_SERVER_CPUS set (make bench-review and bench-public set it to
// 0, and run this test pinned to core 1) the application runs in a second process, this test
// binary again running TestBenchServer, pinned by taskset to those CPUs: the server and the
// measuring client then never share a core, as bin/voci and its load generator do not in
// bench-national. Without it, the application serves from this process.
func benchAddr(t *testing.T, ts *testServer) string {
	t.Helper()
	cpus := os.Getenv("VOCI_BENCH_SERVER_CPUS")
	if cpus == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- ts.Serve(ctx, ln, 5*time.Second) }()
		t.Cleanup(func() { cancel(); <-done })
		return ln.Addr().String()
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("taskset", "-c", cpus, exe, "-test.run=^TestBenchServer$", "-test.count=1")
	cmd.Env = append(os.Environ(), "VOCI_BENCH_SERVE_DB="+ts.path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if addr, ok := strings.CutPrefix(lines.Text(), "bench server listening on "); ok {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return addr
		}
	}
	t.Fatalf("the bench server did not start: %v", lines.Err())
	return ""
}

// TestBenchServer is benchAddr's second process: the real application on the SQLite file named
// by VOCI_BENCH_SERVE_DB, already seeded, until its standard input closes.
func TestBenchServer(t *testing.T) {
	path := os.Getenv("VOCI_BENCH_SERVE_DB")
	if path == "" {
		t.Skip("the server half of make bench-review and bench-public")
	}
	ts := openTestServer(t, path, false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); cancel() }()
	fmt.Printf("bench server listening on %s\n", ln.Addr())
	if err := ts.Serve(ctx, ln, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}

// benchConditions says how the figures were taken: whether server and client had a core each,
// and the machine's load average (/proc/loadavg) as they finished, since a shared machine's
// other work shows in the tails.
func benchConditions() string {
	how := "server and client in one process"
	if cpus := os.Getenv("VOCI_BENCH_SERVER_CPUS"); cpus != "" {
		how = "server pinned to CPU " + cpus + ", client to the others it was started on"
	}
	load, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return how
	}
	f := strings.Fields(string(load))
	if len(f) < 3 {
		return how
	}
	return fmt.Sprintf("%s; load average %s %s %s", how, f[0], f[1], f[2])
}
