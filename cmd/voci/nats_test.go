package main

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/config"
	"github.com/voci-platform/voci/internal/natsbus/natstest"
)

// With NATS down, Voci starts as with MongoDB down: alive, not ready, a clear log line, and
// ready once NATS answers; it stops within the deadline.
func TestUnreachableNATSIsNotReadyUntilItAnswers(t *testing.T) {
	natsAddr := freeAddr(t)
	addr := freeAddr(t)
	env := map[string]string{"VOCI_ADDR": addr, "VOCI_DATA_DIR": t.TempDir(), "VOCI_NATS_URL": "nats://" + natsAddr}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, &stdout, &stderr) }()
	base := "http://" + addr
	waitFor(t, base+"/healthz", 200)
	waitFor(t, base+"/readyz", 503)
	if !strings.Contains(stderr.String(), "NATS is not reachable yet; retrying") {
		t.Errorf("no clear log line about NATS:\n%s", stderr.String())
	}

	_, port, _ := net.SplitHostPort(natsAddr)
	n, _ := strconv.Atoi(port)
	natstest.Run(t, n)
	waitFor(t, base+"/readyz", 200)

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

func TestUnreadableNATSCredentialsAreAUsageError(t *testing.T) {
	env := map[string]string{"VOCI_ADDR": freeAddr(t), "VOCI_DATA_DIR": t.TempDir(),
		"VOCI_NATS_URL": "nats://127.0.0.1:4222", "VOCI_NATS_CREDS": "/nonexistent/voci.creds"}
	var out syncBuffer
	err := run(context.Background(), nil, func(k string) string { return env[k] }, &out, &out)
	var ue *config.UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "VOCI_NATS_CREDS") {
		t.Fatalf("got %v; want a usage error naming VOCI_NATS_CREDS", err)
	}
}
