package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voci-platform/voci/internal/config"
)

func parseConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestSecretKeyIsKeptInTheDataDirectory: without VOCI_SECRET_KEY a key is made once into the
// data directory, readable by its owner only, and found again at the next start; it is never
// logged.
func TestSecretKeyIsKeptInTheDataDirectory(t *testing.T) {
	dir := t.TempDir()
	cfg := parseConfig(t, map[string]string{"VOCI_DATA_DIR": dir})
	var log bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&log, nil))
	first, err := secretKey(cfg, logger)
	if err != nil || len(first) != 32 {
		t.Fatalf("key %d bytes, %v", len(first), err)
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("secret.key has mode %v, want 0600", info.Mode().Perm())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "secret.key")); strings.TrimSpace(string(b)) != base64.StdEncoding.EncodeToString(first) {
		t.Fatal("secret.key does not hold the key in base64, as VOCI_SECRET_KEY takes it")
	}
	again, err := secretKey(cfg, logger)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatalf("the second start has another key (%v)", err)
	}
	if strings.Contains(log.String(), base64.StdEncoding.EncodeToString(first)) || strings.Contains(log.String(), "WARN") {
		t.Fatalf("log: %s", log.String())
	}

	// MongoDB: the key is made all the same, with a warning that every instance needs it.
	log.Reset()
	mongo := parseConfig(t, map[string]string{"VOCI_DATA_DIR": t.TempDir(), "VOCI_MONGODB_URI": "mongodb://localhost:27017/voci"})
	key, err := secretKey(mongo, logger)
	if err != nil || len(key) != 32 {
		t.Fatalf("MongoDB without a key: %v", err)
	}
	if !strings.Contains(log.String(), "WARN") || !strings.Contains(log.String(), "Every instance") || strings.Contains(log.String(), base64.StdEncoding.EncodeToString(key)) {
		t.Fatalf("log: %s", log.String())
	}

	// VOCI_SECRET_KEY wins, and nothing is written.
	other := t.TempDir()
	set := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
	cfg = parseConfig(t, map[string]string{"VOCI_DATA_DIR": other, "VOCI_SECRET_KEY": set})
	if key, err := secretKey(cfg, logger); err != nil || !bytes.Equal(key, bytes.Repeat([]byte{9}, 32)) {
		t.Fatalf("VOCI_SECRET_KEY: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "secret.key")); !os.IsNotExist(err) {
		t.Fatalf("a key file was written although VOCI_SECRET_KEY is set: %v", err)
	}

	// A damaged key file stops start-up rather than making a new key that opens nothing.
	if err := os.WriteFile(filepath.Join(dir, "secret.key"), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := secretKey(parseConfig(t, map[string]string{"VOCI_DATA_DIR": dir}), logger); err == nil {
		t.Fatal("a damaged key file is accepted")
	}
}
