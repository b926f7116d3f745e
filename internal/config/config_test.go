package config

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	cfg, err := Parse(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || cfg.DataDir != "./data" || cfg.Demo || cfg.MongoDBURI != "" {
		t.Fatalf("unexpected defaults %+v", cfg)
	}
	if cfg.BaseURL.String() != "http://localhost:8080" || len(cfg.AllowedOrigins) != 1 || cfg.AllowedOrigins[0] != "http://localhost:8080" {
		t.Fatalf("base %s origins %v", cfg.BaseURL, cfg.AllowedOrigins)
	}
}

func TestSmallCellK(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want int
	}{
		{want: 5},
		{env: map[string]string{"VOCI_SMALL_CELL_K": "10"}, want: 10},
		{env: map[string]string{"VOCI_SMALL_CELL_K": " 2 "}, want: 2},
		{env: map[string]string{"VOCI_SMALL_CELL_K": "10"}, args: []string{"--small-cell-k", "50"}, want: 50},
	}
	for _, c := range cases {
		cfg, err := Parse(c.args, env(c.env), io.Discard)
		if err != nil {
			t.Fatalf("Parse(%v, %v): %v", c.args, c.env, err)
		}
		if cfg.SmallCellK != c.want {
			t.Errorf("Parse(%v, %v).SmallCellK = %d, want %d", c.args, c.env, cfg.SmallCellK, c.want)
		}
	}
}

func TestFlagBeatsEnvironment(t *testing.T) {
	cfg, err := Parse([]string{"--addr", "127.0.0.1:9000", "--demo"}, env(map[string]string{"VOCI_ADDR": ":7000", "VOCI_DEMO": "false"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9000" || !cfg.Demo || cfg.BaseURL.String() != "http://127.0.0.1:9000" {
		t.Fatalf("got %+v", cfg)
	}
}

func TestBadValuesAreUsageErrors(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{env: map[string]string{"VOCI_ADDR": "8080"}, want: "VOCI_ADDR"},
		{env: map[string]string{"VOCI_ADDR": ":99999"}, want: "VOCI_ADDR"},
		{env: map[string]string{"VOCI_DEMO": "maybe"}, want: "VOCI_DEMO"},
		{env: map[string]string{"VOCI_DEMO_PASSWORD": "short"}, want: "VOCI_DEMO_PASSWORD"},
		{env: map[string]string{"VOCI_BASE_URL": "voci.ro"}, want: "VOCI_BASE_URL"},
		{env: map[string]string{"VOCI_ALLOWED_ORIGINS": "https://a.ro/path"}, want: "VOCI_ALLOWED_ORIGINS"},
		{env: map[string]string{"VOCI_MONGODB_URI": "postgres://x"}, want: "VOCI_MONGODB_URI"},
		{env: map[string]string{"VOCI_NATS_URL": "nats.example.ro:4222"}, want: "VOCI_NATS_URL"},
		{env: map[string]string{"VOCI_NATS_URL": "http://nats.example.ro:4222"}, want: "VOCI_NATS_URL"},
		{env: map[string]string{"VOCI_NATS_URL": "nats://a:4222,nats://b:99999"}, want: "VOCI_NATS_URL"},
		{args: []string{"--nats-creds", "/etc/voci/nats.creds"}, want: "VOCI_NATS_CREDS"},
		{env: map[string]string{"VOCI_LOG_LEVEL": "loud"}, want: "VOCI_LOG_LEVEL"},
		{env: map[string]string{"VOCI_MAX_BODY_BYTES": "-1"}, want: "VOCI_MAX_BODY_BYTES"},
		{env: map[string]string{"VOCI_SMALL_CELL_K": "five"}, want: "VOCI_SMALL_CELL_K"},
		{env: map[string]string{"VOCI_SMALL_CELL_K": "1"}, want: "VOCI_SMALL_CELL_K"},
		{env: map[string]string{"VOCI_SMALL_CELL_K": "51"}, want: "VOCI_SMALL_CELL_K"},
		{args: []string{"--small-cell-k", "0"}, want: "VOCI_SMALL_CELL_K"},
		{env: map[string]string{"VOCI_SMTP_PORT": "smtp"}, want: "VOCI_SMTP_PORT"},
		{env: map[string]string{"VOCI_SMTP_PORT": "70000"}, want: "VOCI_SMTP_PORT"},
		{env: map[string]string{"VOCI_SMTP_TLS": "ssl"}, want: "VOCI_SMTP_TLS"},
		{env: map[string]string{"VOCI_SMTP_HOST": "smtp.primaria.ro"}, want: "VOCI_SMTP_FROM"},
		{env: map[string]string{"VOCI_SMTP_HOST": "smtp.primaria.ro", "VOCI_SMTP_FROM": "not an address"}, want: "VOCI_SMTP_FROM"},
		{env: map[string]string{"VOCI_SMTP_HOST": "smtp://smtp.primaria.ro", "VOCI_SMTP_FROM": "voci@primaria.ro"}, want: "VOCI_SMTP_HOST"},
		{env: map[string]string{"VOCI_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, want: "VOCI_TRUSTED_PROXIES"},
		{args: []string{"--nope"}, want: "nope"},
		{args: []string{"extra"}, want: "extra"},
	}
	for _, c := range cases {
		_, err := Parse(c.args, env(c.env), io.Discard)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%v, %v) = %v; want a usage error naming %s", c.args, c.env, err, c.want)
		}
	}
}

func TestNATS(t *testing.T) {
	cfg, err := Parse([]string{"--nats-url", "nats://nats-1:4222, tls://nats-2.example.ro:4222"},
		env(map[string]string{"VOCI_NATS_CREDS": "/etc/voci/nats.creds"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NATSURL != "nats://nats-1:4222, tls://nats-2.example.ro:4222" || cfg.NATSCreds != "/etc/voci/nats.creds" {
		t.Fatalf("got %q %q", cfg.NATSURL, cfg.NATSCreds)
	}
	if cfg, _ := Parse(nil, env(nil), io.Discard); cfg.NATSURL != "" {
		t.Fatalf("default NATS URL %q; want none (the in-process bus)", cfg.NATSURL)
	}
}

func TestSMTP(t *testing.T) {
	cfg, err := Parse([]string{"--smtp-tls", "tls", "--smtp-port", "465"}, env(map[string]string{
		"VOCI_SMTP_HOST": "smtp.primaria-bacau.ro", "VOCI_SMTP_FROM": "Voci <voci@primaria-bacau.ro>",
		"VOCI_SMTP_USERNAME": "voci", "VOCI_SMTP_PASSWORD": " secret with spaces ",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := SMTP{Host: "smtp.primaria-bacau.ro", Port: 465, Username: "voci", Password: " secret with spaces ", From: "Voci <voci@primaria-bacau.ro>", TLS: "tls"}
	if cfg.SMTP != want {
		t.Fatalf("SMTP %+v, want %+v", cfg.SMTP, want)
	}
	cfg, err = Parse(nil, env(nil), io.Discard)
	if err != nil || cfg.SMTP.Host != "" || cfg.SMTP.Port != 587 || cfg.SMTP.TLS != "starttls" {
		t.Fatalf("default SMTP %+v, %v", cfg.SMTP, err)
	}
}

func TestAllowedOrigins(t *testing.T) {
	cfg, err := Parse(nil, env(map[string]string{"VOCI_ALLOWED_ORIGINS": "https://voci.bacau.ro, http://localhost:5173/"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.AllowedOrigins, " ") != "https://voci.bacau.ro http://localhost:5173" {
		t.Fatalf("origins %v", cfg.AllowedOrigins)
	}
}

// The README's configuration table is generated from the same list the parser reads, so the
// two cannot drift apart.
func TestREADMEDocumentsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skip("README.md not found")
	}
	if !strings.Contains(string(readme), Documentation()) {
		t.Fatalf("README.md's configuration table is out of date; it should contain:\n%s", Documentation())
	}
}

func TestSecretKey(t *testing.T) {
	cfg, err := Parse(nil, env(nil), io.Discard)
	if err != nil || cfg.SecretKey != nil {
		t.Fatalf("no key set: %v %v", cfg.SecretKey, err)
	}
	key := strings.Repeat("k", 32)
	for _, enc := range []string{
		"a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=", // standard base64 of 32 × "k"
		"a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s",  // unpadded
		" a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s= ",
	} {
		cfg, err := Parse(nil, env(map[string]string{"VOCI_SECRET_KEY": enc}), io.Discard)
		if err != nil || string(cfg.SecretKey) != key {
			t.Fatalf("VOCI_SECRET_KEY=%q: %q %v", enc, cfg.SecretKey, err)
		}
	}
	for _, bad := range []string{"c2hvcnQ=", "not base64 at all!!", "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tr"} {
		_, err := Parse(nil, env(map[string]string{"VOCI_SECRET_KEY": bad}), io.Discard)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "VOCI_SECRET_KEY") {
			t.Fatalf("VOCI_SECRET_KEY=%q: %v, want a usage error naming it", bad, err)
		}
		if strings.Contains(err.Error(), bad) {
			t.Fatalf("the error quotes the key: %v", err)
		}
	}
	// A secret is an environment variable only, never a flag that shows in the process list.
	if _, err := Parse([]string{"--secret-key", "x"}, env(nil), io.Discard); err == nil {
		t.Fatal("--secret-key is accepted")
	}
}

func TestMetricsAndJoinCap(t *testing.T) {
	cfg, err := Parse(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MetricsToken != "" || cfg.MetricsAddr != "" || cfg.JoinsPerClient != 60 {
		t.Fatalf("defaults: token %q addr %q joins %d; want none, none, 60", cfg.MetricsToken, cfg.MetricsAddr, cfg.JoinsPerClient)
	}
	cfg, err = Parse([]string{"--metrics-addr", "127.0.0.1:9090", "--joins-per-client", "200"},
		env(map[string]string{"VOCI_METRICS_TOKEN": "0123456789abcdef-token"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MetricsToken != "0123456789abcdef-token" || cfg.MetricsAddr != "127.0.0.1:9090" || cfg.JoinsPerClient != 200 {
		t.Fatalf("got token %q addr %q joins %d", cfg.MetricsToken, cfg.MetricsAddr, cfg.JoinsPerClient)
	}
	// The token is never a flag: it would show in the process list.
	if _, err := Parse([]string{"--metrics-token", "0123456789abcdef-token"}, env(nil), io.Discard); err == nil {
		t.Fatal("a --metrics-token flag was accepted")
	}
	for name, e := range map[string]map[string]string{
		"short token":       {"VOCI_METRICS_TOKEN": "short"},
		"address":           {"VOCI_METRICS_ADDR": "nine-o-nine-o"},
		"same address":      {"VOCI_ADDR": ":8080", "VOCI_METRICS_ADDR": ":8080"},
		"no joins":          {"VOCI_JOINS_PER_CLIENT": "0"},
		"joins not numeric": {"VOCI_JOINS_PER_CLIENT": "many"},
	} {
		_, err := Parse(nil, env(e), io.Discard)
		var ue *UsageError
		if !errors.As(err, &ue) {
			t.Errorf("%s: %v; want a usage error", name, err)
		}
	}
}

func TestReminderInterval(t *testing.T) {
	cfg, err := Parse(nil, env(nil), io.Discard)
	if err != nil || cfg.ReminderInterval != 5*time.Minute {
		t.Fatalf("default %v, %v", cfg.ReminderInterval, err)
	}
	cfg, err = Parse(nil, env(map[string]string{"VOCI_REMINDER_INTERVAL": "2s"}), io.Discard)
	if err != nil || cfg.ReminderInterval != 2*time.Second {
		t.Fatalf("2s: %v, %v", cfg.ReminderInterval, err)
	}
	for _, bad := range []string{"0s", "500ms", "25h", "often", "5"} {
		if _, err := Parse(nil, env(map[string]string{"VOCI_REMINDER_INTERVAL": bad}), io.Discard); err == nil {
			t.Errorf("VOCI_REMINDER_INTERVAL=%q accepted", bad)
		}
	}
}
