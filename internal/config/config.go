// Package config reads Voci's configuration from environment variables and equivalent
// command-line flags (a flag wins over its variable). Every setting is listed in the README.
package config

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of one Voci process.
type Config struct {
	Addr       string // VOCI_ADDR: where to listen
	DataDir    string // VOCI_DATA_DIR: the SQLite file and local state
	MongoDBURI string // VOCI_MONGODB_URI: when set, MongoDB is the store
	// NATSURL is the NATS server (or servers, comma-separated) that carries live events
	// between instances (VOCI_NATS_URL); empty for one instance, with the in-process bus.
	NATSURL        string
	NATSCreds      string   // VOCI_NATS_CREDS: a NATS credentials file, or empty
	BaseURL        *url.URL // VOCI_BASE_URL: how people reach this server
	AllowedOrigins []string // VOCI_ALLOWED_ORIGINS: origins allowed for websockets and state changes
	Demo           bool     // VOCI_DEMO: seed demo content and accounts
	DemoPassword   string   // VOCI_DEMO_PASSWORD: the demo accounts' password (random when empty)
	LogLevel       slog.Level
	MaxBodyBytes   int // VOCI_MAX_BODY_BYTES: largest request body accepted
	// SmallCellK is the smallest group of children a result shows (VOCI_SMALL_CELL_K): a
	// municipality with small schools may need more than the default to keep children unknown.
	SmallCellK int
	// MaxParticipants bounds the children in one live session (VOCI_MAX_PARTICIPANTS).
	MaxParticipants int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client, so that
	// throttling counts clients rather than the proxy (VOCI_TRUSTED_PROXIES).
	TrustedProxies []string
	SMTP           SMTP
	// SecretKey seals secrets kept in the store, such as adults' second-factor secrets
	// (VOCI_SECRET_KEY, the base64 of 32 bytes); nil when not set, and then a key is kept in
	// the data directory. Never logged.
	SecretKey []byte
	// MetricsToken, when set, is the bearer token /metrics asks for (VOCI_METRICS_TOKEN).
	MetricsToken string
	// MetricsAddr, when set, is a separate address where /metrics is served with no token
	// (VOCI_METRICS_ADDR), for a scraper on a private network. With neither, /metrics is not
	// served.
	MetricsAddr string
	// JoinsPerClient bounds the children one client address may add to one live session or
	// self-paced link in 10 minutes (VOCI_JOINS_PER_CLIENT).
	JoinsPerClient int
	// ReminderInterval is how often the reminder job looks for what council members and
	// coordinators must be told of (VOCI_REMINDER_INTERVAL).
	ReminderInterval time.Duration
}

// SMTP is the mail server that delivers invitations and password-reset links. A zero Host
// means none: links are then logged, and invitation links shown to the inviter.
type SMTP struct {
	Host     string // VOCI_SMTP_HOST
	Port     int    // VOCI_SMTP_PORT
	Username string // VOCI_SMTP_USERNAME
	Password string // VOCI_SMTP_PASSWORD
	From     string // VOCI_SMTP_FROM
	TLS      string // VOCI_SMTP_TLS: starttls, tls or none
}

// UsageError marks a configuration mistake: the process stops with exit status 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// setting is one configuration item: its variable, its flag, its default and its meaning.
type setting struct {
	env, flag, def, help string
}

// Settings lists every setting, in the order the README documents them.
var settings = []setting{
	{"VOCI_ADDR", "addr", ":8080", "address to listen on (host:port)"},
	{"VOCI_DATA_DIR", "data-dir", "./data", "directory for the embedded database and local state"},
	{"VOCI_MONGODB_URI", "mongodb-uri", "", "MongoDB connection string; when set, MongoDB is the store"},
	{"VOCI_NATS_URL", "nats-url", "", "NATS server(s) that carry live events between instances, such as `nats://nats:4222` (comma-separated for a cluster; `tls://` for TLS); empty: one instance, in-process events"},
	{"VOCI_NATS_CREDS", "nats-creds", "", "NATS credentials file (user JWT and NKey seed); empty: no authentication"},
	{"VOCI_BASE_URL", "base-url", "", "public URL of this server (default http://localhost:<port>)"},
	{"VOCI_ALLOWED_ORIGINS", "allowed-origins", "", "comma-separated origins allowed to call the API and open websockets (default: the base URL's origin)"},
	{"VOCI_DEMO", "demo", "false", "seed demo content and one demo account per role"},
	{"VOCI_DEMO_PASSWORD", "", "", "password of the demo accounts (default: random per data directory)"},
	{"VOCI_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
	{"VOCI_MAX_BODY_BYTES", "max-body-bytes", "1048576", "largest request body accepted, in bytes"},
	{"VOCI_SMALL_CELL_K", "small-cell-k", "5", "smallest group of children whose count results show (2 to 50); smaller groups are suppressed"},
	{"VOCI_MAX_PARTICIPANTS", "max-participants", "10000", "most children one live session takes (1 to 100000); further joins are refused with session_full"},
	{"VOCI_SMTP_HOST", "smtp-host", "", "SMTP server that sends invitations, password-reset links and children's help requests to safeguarding leads; when empty, links are written to the log and invitation links shown to the inviter, and help requests reach the safeguarding leads and the coordinator inside Voci only: a badge and an alert in their menu, the help-request list (and the log, without the child's alias)"},
	{"VOCI_SMTP_PORT", "smtp-port", "587", "port of the SMTP server"},
	{"VOCI_SMTP_USERNAME", "smtp-username", "", "SMTP user name (empty: no authentication)"},
	{"VOCI_SMTP_PASSWORD", "", "", "SMTP password (an environment variable only, so that it does not show in the process list)"},
	{"VOCI_SMTP_FROM", "smtp-from", "", "sender of Voci's mail, such as `Voci <voci@primaria.ro>`; required with VOCI_SMTP_HOST"},
	{"VOCI_SMTP_TLS", "smtp-tls", "starttls", "starttls (STARTTLS required), tls (TLS from the start, usually port 465) or none (only for a relay on this host or a trusted network)"},
	{"VOCI_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated IPs or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (the proxy must set it to the client's address, not append to it)"},
	{"VOCI_SECRET_KEY", "", "", "key that encrypts secrets at rest (two-step sign-in secrets): the base64 of 32 random bytes, such as the output of `openssl rand -base64 32`; an environment variable only. When empty, a key is generated into `<data dir>/secret.key` (mode 0600); every instance of one platform needs the same key"},
	{"VOCI_METRICS_TOKEN", "", "", "bearer token that `GET /metrics` asks for (an environment variable only, so that it does not show in the process list); with neither this nor VOCI_METRICS_ADDR, /metrics answers 404"},
	{"VOCI_METRICS_ADDR", "metrics-addr", "", "separate address (host:port) that serves `/metrics` without a token, for a scraper on a private network, such as `127.0.0.1:9090`"},
	{"VOCI_JOINS_PER_CLIENT", "joins-per-client", "60", "children one address (a school's router, a shared tablet) may add to one live session or self-paced link in 10 minutes (1 to 1000000); further joins are refused with too_many_joins"},
	{"VOCI_REMINDER_INTERVAL", "reminder-interval", "5m", "how often the reminder job looks for what council members and coordinators must be told of (input to review, feedback due in 7 days or overdue), such as `5m` (1s to 24h)"},
}

// Parse reads the configuration from flags in args and from getenv. It returns a *UsageError
// for an unknown flag or a value that cannot be used, naming the setting.
func Parse(args []string, getenv func(string) string, stderr io.Writer) (*Config, error) {
	fs := flag.NewFlagSet("voci", flag.ContinueOnError)
	fs.SetOutput(stderr)
	values := make(map[string]*string, len(settings))
	for _, s := range settings {
		v := getenv(s.env)
		if v == "" {
			v = s.def
		}
		values[s.env] = &v
		if s.flag != "" {
			fs.Var(&flagValue{p: values[s.env], isBool: s.def == "false"}, s.flag, s.help+" ["+s.env+"]")
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, &UsageError{Err: err}
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q", fs.Arg(0))
	}
	get := func(env string) string { return strings.TrimSpace(*values[env]) }

	cfg := &Config{
		Addr:         get("VOCI_ADDR"),
		DataDir:      get("VOCI_DATA_DIR"),
		MongoDBURI:   get("VOCI_MONGODB_URI"),
		NATSURL:      get("VOCI_NATS_URL"),
		NATSCreds:    get("VOCI_NATS_CREDS"),
		DemoPassword: *values["VOCI_DEMO_PASSWORD"],
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, usagef("VOCI_ADDR %q is not host:port (for example :8080 or 127.0.0.1:8080)", cfg.Addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return nil, usagef("VOCI_ADDR %q has no valid port", cfg.Addr)
	}
	if cfg.DataDir == "" {
		return nil, usagef("VOCI_DATA_DIR must not be empty")
	}
	if cfg.MongoDBURI != "" && !strings.HasPrefix(cfg.MongoDBURI, "mongodb://") && !strings.HasPrefix(cfg.MongoDBURI, "mongodb+srv://") {
		return nil, usagef("VOCI_MONGODB_URI must start with mongodb:// or mongodb+srv://")
	}
	if err := checkNATS(cfg.NATSURL, cfg.NATSCreds); err != nil {
		return nil, err
	}

	base := get("VOCI_BASE_URL")
	if base == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	if cfg.BaseURL, err = parseOrigin("VOCI_BASE_URL", base, true); err != nil {
		return nil, err
	}

	if list := get("VOCI_ALLOWED_ORIGINS"); list != "" {
		for _, o := range strings.Split(list, ",") {
			u, err := parseOrigin("VOCI_ALLOWED_ORIGINS", strings.TrimSpace(o), false)
			if err != nil {
				return nil, err
			}
			cfg.AllowedOrigins = append(cfg.AllowedOrigins, u.Scheme+"://"+u.Host)
		}
	} else {
		cfg.AllowedOrigins = []string{cfg.BaseURL.Scheme + "://" + cfg.BaseURL.Host}
	}

	if cfg.Demo, err = strconv.ParseBool(get("VOCI_DEMO")); err != nil {
		return nil, usagef("VOCI_DEMO %q is not a boolean (use true or false)", get("VOCI_DEMO"))
	}
	if cfg.DemoPassword != "" && len([]rune(cfg.DemoPassword)) < 12 {
		return nil, usagef("VOCI_DEMO_PASSWORD must have at least 12 characters")
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(get("VOCI_LOG_LEVEL"))); err != nil {
		return nil, usagef("VOCI_LOG_LEVEL %q is not one of debug, info, warn, error", get("VOCI_LOG_LEVEL"))
	}
	if cfg.MaxBodyBytes, err = strconv.Atoi(get("VOCI_MAX_BODY_BYTES")); err != nil || cfg.MaxBodyBytes < 1024 {
		return nil, usagef("VOCI_MAX_BODY_BYTES %q must be a whole number of bytes, at least 1024", get("VOCI_MAX_BODY_BYTES"))
	}
	if cfg.SmallCellK, err = strconv.Atoi(get("VOCI_SMALL_CELL_K")); err != nil || cfg.SmallCellK < 2 || cfg.SmallCellK > 50 {
		return nil, usagef("VOCI_SMALL_CELL_K %q must be a whole number from 2 to 50", get("VOCI_SMALL_CELL_K"))
	}
	if cfg.MaxParticipants, err = strconv.Atoi(get("VOCI_MAX_PARTICIPANTS")); err != nil || cfg.MaxParticipants < 1 || cfg.MaxParticipants > 100000 {
		return nil, usagef("VOCI_MAX_PARTICIPANTS %q must be a whole number from 1 to 100000", get("VOCI_MAX_PARTICIPANTS"))
	}
	if list := get("VOCI_TRUSTED_PROXIES"); list != "" {
		for _, p := range strings.Split(list, ",") {
			p = strings.TrimSpace(p)
			if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
				return nil, usagef("VOCI_TRUSTED_PROXIES: %q is neither an IP address nor a CIDR range", p)
			}
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	if cfg.SMTP, err = parseSMTP(get, *values["VOCI_SMTP_PASSWORD"]); err != nil {
		return nil, err
	}
	if k := get("VOCI_SECRET_KEY"); k != "" {
		if cfg.SecretKey, err = ParseSecretKey(k); err != nil {
			return nil, &UsageError{Err: fmt.Errorf("VOCI_SECRET_KEY: %w", err)}
		}
	}
	if cfg.MetricsToken = get("VOCI_METRICS_TOKEN"); cfg.MetricsToken != "" && len(cfg.MetricsToken) < 16 {
		return nil, usagef("VOCI_METRICS_TOKEN must have at least 16 characters")
	}
	if cfg.MetricsAddr = get("VOCI_METRICS_ADDR"); cfg.MetricsAddr != "" {
		_, port, err := net.SplitHostPort(cfg.MetricsAddr)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
			return nil, usagef("VOCI_METRICS_ADDR %q is not host:port (for example 127.0.0.1:9090)", cfg.MetricsAddr)
		}
		if cfg.MetricsAddr == cfg.Addr {
			return nil, usagef("VOCI_METRICS_ADDR must differ from VOCI_ADDR: the metrics address is the private one")
		}
	}
	if cfg.JoinsPerClient, err = strconv.Atoi(get("VOCI_JOINS_PER_CLIENT")); err != nil || cfg.JoinsPerClient < 1 || cfg.JoinsPerClient > 1000000 {
		return nil, usagef("VOCI_JOINS_PER_CLIENT %q must be a whole number from 1 to 1000000", get("VOCI_JOINS_PER_CLIENT"))
	}
	if cfg.ReminderInterval, err = time.ParseDuration(get("VOCI_REMINDER_INTERVAL")); err != nil || cfg.ReminderInterval < time.Second || cfg.ReminderInterval > 24*time.Hour {
		return nil, usagef("VOCI_REMINDER_INTERVAL %q must be a duration from 1s to 24h, such as 5m", get("VOCI_REMINDER_INTERVAL"))
	}
	return cfg, nil
}

// checkNATS refuses a NATS address that no server could have: every comma-separated URL
// needs a nats, tls, ws or wss scheme and a host. Whether a server answers there is not a
// configuration matter: an unreachable NATS is retried, like an unreachable MongoDB.
func checkNATS(list, creds string) error {
	if list == "" {
		if creds != "" {
			return usagef("VOCI_NATS_CREDS is set without VOCI_NATS_URL")
		}
		return nil
	}
	for _, s := range strings.Split(list, ",") {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" {
			return usagef("VOCI_NATS_URL %q is not a NATS URL such as nats://nats.example.ro:4222", s)
		}
		switch u.Scheme {
		case "nats", "tls", "ws", "wss":
		default:
			return usagef("VOCI_NATS_URL %q must start with nats://, tls://, ws:// or wss://", s)
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return usagef("VOCI_NATS_URL %q has no valid port", s)
			}
		}
	}
	return nil
}

// parseSMTP reads the mail settings. The sender must be set when a host is: a message
// without a valid From is refused by most servers, and better at start-up than at the first
// invitation.
func parseSMTP(get func(string) string, password string) (SMTP, error) {
	c := SMTP{Host: get("VOCI_SMTP_HOST"), Username: get("VOCI_SMTP_USERNAME"), Password: password,
		From: get("VOCI_SMTP_FROM"), TLS: strings.ToLower(get("VOCI_SMTP_TLS"))}
	var err error
	if c.Port, err = strconv.Atoi(get("VOCI_SMTP_PORT")); err != nil || c.Port < 1 || c.Port > 65535 {
		return c, usagef("VOCI_SMTP_PORT %q is not a port number (1 to 65535)", get("VOCI_SMTP_PORT"))
	}
	switch c.TLS {
	case "starttls", "tls", "none":
	default:
		return c, usagef("VOCI_SMTP_TLS %q is not one of starttls, tls, none", get("VOCI_SMTP_TLS"))
	}
	if strings.ContainsAny(c.Host, "/: ") {
		return c, usagef("VOCI_SMTP_HOST %q must be a host name or address, without a scheme or port (set VOCI_SMTP_PORT)", c.Host)
	}
	if c.Host != "" {
		if _, err := mail.ParseAddress(c.From); err != nil {
			return c, usagef("VOCI_SMTP_FROM %q must be an email address such as voci@primaria.ro when VOCI_SMTP_HOST is set", c.From)
		}
	}
	return c, nil
}

// flagValue writes a flag into the string its variable filled, so that a flag overrides the
// environment. Boolean settings may be given as a bare --flag.
type flagValue struct {
	p      *string
	isBool bool
}

func (f *flagValue) String() string {
	if f.p == nil {
		return ""
	}
	return *f.p
}
func (f *flagValue) Set(s string) error { *f.p = s; return nil }
func (f *flagValue) IsBoolFlag() bool   { return f.isBool }

// parseOrigin accepts an absolute http(s) URL; a path is allowed only when allowPath is set.
func parseOrigin(name, s string, allowPath bool) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, usagef("%s %q is not an http(s) URL such as https://voci.example.ro", name, s)
	}
	if !allowPath && u.Path != "" && u.Path != "/" {
		return nil, usagef("%s %q must be an origin, without a path", name, s)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// Documentation returns the settings as Markdown table rows, for the README.
func Documentation() string {
	var b strings.Builder
	b.WriteString("| variable | flag | default | meaning |\n|---|---|---|---|\n")
	for _, s := range settings {
		fl := ""
		if s.flag != "" {
			fl = "`--" + s.flag + "`"
		}
		def := s.def
		if def != "" {
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.env, fl, def, s.help)
	}
	return b.String()
}

// SecretKeySize is the length of VOCI_SECRET_KEY once decoded: an AES-256 key.
const SecretKeySize = 32

// ParseSecretKey decodes a secret key written as base64 (standard or URL alphabet, padded or
// not). Its error never quotes the key.
func ParseSecretKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != SecretKeySize {
				return nil, fmt.Errorf("the key must be %d bytes once decoded, not %d (make one with: openssl rand -base64 32)", SecretKeySize, len(k))
			}
			return k, nil
		}
	}
	return nil, errors.New("the key is not base64 (make one with: openssl rand -base64 32)")
}
