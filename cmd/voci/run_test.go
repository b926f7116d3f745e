package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/config"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(t *testing.T, url string, status int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == status {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered %d", url, status)
}

// TestServeSeedsAndStopsGracefully starts the whole program as `make run` does, on a real
// port, signs nothing in yet, and stops it the way SIGTERM does.
func TestServeSeedsAndStopsGracefully(t *testing.T) {
	addr := freeAddr(t)
	dataDir := t.TempDir()
	env := map[string]string{"VOCI_ADDR": addr, "VOCI_DATA_DIR": dataDir, "VOCI_DEMO": "true"}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, &stdout, &stderr) }()

	base := "http://" + addr
	waitFor(t, base+"/readyz", 200)

	resp, err := http.Get(base + "/api/v1/municipalities?q=colonesti")
	if err != nil {
		t.Fatal(err)
	}
	var found struct{ Total int }
	json.NewDecoder(resp.Body).Decode(&found)
	resp.Body.Close()
	if found.Total != 2 {
		t.Fatalf("colonesti: %d results", found.Total)
	}

	out := stdout.String()
	pw, err := os.ReadFile(filepath.Join(dataDir, "demo-password"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Voci is running at http://" + addr, "admin@demo.voci.ro", "coordinator.colonesti@demo.voci.ro", "safeguarding.corbasca@demo.voci.ro", strings.TrimSpace(string(pw))} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	// The banner prints two youth council members' card links, and they sign in.
	if cards := regexp.MustCompile(`/council#card=([A-Za-z0-9_-]+)`).FindAllStringSubmatch(out, -1); len(cards) != 2 {
		t.Errorf("banner has %d youth council card links:\n%s", len(cards), out)
	} else {
		resp, err := http.Post(base+"/api/v1/youth-council/sign-in", "application/json", strings.NewReader(`{"card":"`+cards[0][1]+`"}`))
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("the banner's card link: %v %v", resp, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	if !strings.Contains(stderr.String(), `"msg":"request"`) {
		t.Errorf("no structured request log:\n%s", stderr.String())
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(shutdownDeadline + 2*time.Second):
		t.Fatal("no shutdown within the deadline")
	}

	// A second start on the same data directory seeds nothing twice and keeps the password.
	ctx2, cancel2 := context.WithCancel(context.Background())
	var stdout2 syncBuffer
	go func() { done <- run(ctx2, nil, func(k string) string { return env[k] }, &stdout2, &stderr) }()
	waitFor(t, base+"/readyz", 200)
	cancel2()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout2.String(), strings.TrimSpace(string(pw))) {
		t.Fatalf("the demo password changed between starts:\n%s", stdout2.String())
	}
}

func TestBadConfigurationIsAUsageError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)
	for name, env := range map[string]map[string]string{
		"bad address":        {"VOCI_ADDR": "nowhere"},
		"bad demo flag":      {"VOCI_DEMO": "sometimes"},
		"data dir is a file": {"VOCI_ADDR": "127.0.0.1:0", "VOCI_DATA_DIR": filepath.Join(file, "data")},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), nil, func(k string) string { return env[k] }, &stdout, &stderr)
		if _, ok := errors.AsType[*config.UsageError](err); !ok {
			t.Errorf("%s: %v; want a usage error (exit status 2)", name, err)
		}
		if strings.Contains(err.Error(), "goroutine") || strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("%s: not one clear line: %q", name, err)
		}
	}
}

func TestSeedCommand(t *testing.T) {
	env := map[string]string{"VOCI_DATA_DIR": t.TempDir(), "VOCI_DEMO": "true", "VOCI_DEMO_PASSWORD": "a-demo-password-123"}
	var stdout, stderr bytes.Buffer
	for i := 0; i < 2; i++ {
		if err := run(context.Background(), []string{"seed"}, func(k string) string { return env[k] }, &stdout, &stderr); err != nil {
			t.Fatalf("seed #%d: %v", i+1, err)
		}
	}
	if !strings.Contains(stdout.String(), "a-demo-password-123") || !strings.Contains(stdout.String(), "national@demo.voci.ro") {
		t.Fatalf("%s", stdout.String())
	}
}

func TestVersion(t *testing.T) {
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &stdout, &stdout); err != nil || !strings.HasPrefix(stdout.String(), "voci ") {
		t.Fatalf("%v %q", err, stdout.String())
	}
}

// With MongoDB down, Voci still starts: alive, not ready, retrying, and it stops cleanly.
func TestUnreachableMongoDBIsNotReady(t *testing.T) {
	addr := freeAddr(t)
	env := map[string]string{
		"VOCI_ADDR": addr, "VOCI_DATA_DIR": t.TempDir(),
		"VOCI_MONGODB_URI": "mongodb://127.0.0.1:1/voci?serverSelectionTimeoutMS=200&connectTimeoutMS=200",
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, &stdout, &stderr) }()
	base := "http://" + addr
	waitFor(t, base+"/healthz", 200)
	waitFor(t, base+"/readyz", 503)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "MongoDB is not ready; retrying") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "MongoDB is not ready; retrying") {
		t.Errorf("no clear log line about MongoDB:\n%s", stderr.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(shutdownDeadline + 2*time.Second):
		t.Fatal("no shutdown within the deadline")
	}
}
