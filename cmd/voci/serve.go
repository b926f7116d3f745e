package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/voci-platform/voci/frontend"
	"github.com/voci-platform/voci/internal/config"
	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/mongostore"
	"github.com/voci-platform/voci/internal/natsbus"
	"github.com/voci-platform/voci/internal/password"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/totp"
	"github.com/voci-platform/voci/internal/voci"
	"github.com/voci-platform/voci/seeds"
)

// shutdownDeadline bounds a graceful stop: after it, connections are cut.
const shutdownDeadline = 10 * time.Second

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// store is what serve needs of either store.
type store interface {
	voci.Store
	Migrate(ctx context.Context) error
}

// openStore opens MongoDB when a URI is configured, the SQLite file in the data directory
// otherwise. MongoDB connects lazily, so an unreachable server does not stop start-up.
func openStore(ctx context.Context, cfg *config.Config) (store, error) {
	if err := checkDataDir(cfg.DataDir); err != nil {
		return nil, err
	}
	if cfg.MongoDBURI != "" {
		return mongostore.Open(ctx, cfg.MongoDBURI)
	}
	return sqlitestore.Open(ctx, filepath.Join(cfg.DataDir, "voci.db"))
}

// checkDataDir creates the data directory and proves it writable, so that a wrong path stops
// start-up with one clear line instead of failing at the first write.
func checkDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return &config.UsageError{Err: fmt.Errorf("VOCI_DATA_DIR %s cannot be created: %w", dir, errors.Unwrap(err))}
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return &config.UsageError{Err: fmt.Errorf("VOCI_DATA_DIR %s is not writable: %w", dir, errors.Unwrap(err))}
	}
	f.Close()
	return os.Remove(f.Name())
}

// prepare migrates the store and loads the seeds. It is idempotent.
// demoShown is what the start-up banner tells a newcomer of the demo: its sign-ins, their
// password, and a receipt code of the consultation whose loop is closed.
type demoShown struct {
	accounts []seeds.DemoAccount
	password string
	receipt  voci.ReceiptCode
	// receiptPage is the address of /r that opens the receipt.
	receiptPage string
	// councilCards are two members of Bacău's youth council and the links of the sign-in
	// cards issued to them at this start.
	councilCards []councilCard
}

// councilCard is a youth council member's sign-in link, printed in the banner.
type councilCard struct {
	name, office, link string
}

// prepare migrates and seeds the store; with demo mode on, it adds the demo content, whose
// receipt code is issued by receipts (the server's, keyed with its secret key).
func prepare(ctx context.Context, cfg *config.Config, st store, receipts *voci.Receipts, logger *slog.Logger) (demoShown, error) {
	if err := st.Migrate(ctx); err != nil {
		return demoShown{}, err
	}
	// Audit entries a crash left inside changed records (MongoDB's outbox) reach the trail.
	if moved, err := st.CompletePendingAudit(ctx); err != nil {
		return demoShown{}, err
	} else if moved > 0 {
		logger.Info("pending audit entries completed", "entries", moved)
	}
	added, err := seeds.LoadReferenceData(ctx, st)
	if err != nil {
		return demoShown{}, err
	}
	if added > 0 {
		logger.Info("reference data loaded", "municipalities_added", added)
	}
	staged, err := seeds.EnsurePilotStages(ctx, st, time.Now(), voci.RandomID)
	if err != nil {
		return demoShown{}, err
	}
	if staged > 0 {
		logger.Info("pilot municipalities given their first stage", "stage", seeds.PilotStage, "municipalities", staged)
	}
	// Meetings ended before their summaries were kept (or whose summary failed) get one, from
	// their logs, so that the national indicators count them.
	if written, skipped, err := voci.BackfillMeetingFigures(ctx, st); err != nil {
		logger.Warn("summarising ended meetings failed; the next start tries again", "error", err)
	} else if written > 0 || skipped > 0 {
		logger.Info("ended meetings summarised", "meetings", written, "without_log", skipped)
	}
	if !cfg.Demo {
		return demoShown{}, nil
	}
	pw, err := demoPassword(cfg)
	if err != nil {
		return demoShown{}, err
	}
	accounts, err := seeds.EnsureDemoAccounts(ctx, st, password.Hasher{Params: password.Default}, pw, time.Now().UTC(), voci.RandomID)
	if err != nil {
		return demoShown{}, err
	}
	// Something to look at: consultations made through the domain's rules, as a facilitator would.
	demo, err := seeds.EnsureDemoConsultations(ctx, st, voci.NewParticipation(st, moderation.New(), cfg.SmallCellK), time.Now())
	if err != nil {
		return demoShown{}, err
	}
	if demo != nil {
		logger.Info("demo consultations added", "self_paced_link", cfg.BaseURL.JoinPath("p", demo.SelfPacedKey).String())
	}
	// Live sessions planned for the next days, for the start pages.
	if _, err := seeds.EnsureDemoPlannedSessions(ctx, st, voci.NewParticipation(st, moderation.New(), cfg.SmallCellK), time.Now()); err != nil {
		return demoShown{}, err
	}
	// The pilots' child populations, so that representativeness has something to compare with.
	if err := seeds.EnsureDemoProfiles(ctx, st, time.Now()); err != nil {
		return demoShown{}, err
	}
	// Recommendations to answer, and a consultation whose answer is overdue.
	if err := seeds.EnsureDemoRecommendations(ctx, st, time.Now()); err != nil {
		return demoShown{}, err
	}
	// And one whose loop is closed: themes, a decision, milestones and published feedback.
	participation := voci.NewParticipation(st, moderation.New(), cfg.SmallCellK)
	feedbacks := voci.NewFeedbacks(st, time.Now)
	feedbacks.K = participation.K
	receipt, err := seeds.EnsureDemoAnswered(ctx, seeds.DemoLoop{Store: st, Participation: participation,
		Review: voci.NewReview(st, participation.K), Decisions: voci.NewDecisions(st, participation.K), Feedbacks: feedbacks,
		Receipts: receipts}, time.Now())
	if err != nil {
		return demoShown{}, err
	}
	// The national dashboard's first release: the demo's children, protected.
	releases := voci.NewReleases(st, time.Now, participation.K, httpapi.ReleaseSuppression, logger)
	if made, err := seeds.EnsureDemoReleases(ctx, releases, time.Now()); err != nil {
		return demoShown{}, err
	} else if made > 0 {
		logger.Info("demo releases of children's figures published", "releases", made)
	}
	// Bacău's youth council, and two members' cards: new ones at every start, as only their
	// hashes are kept.
	cards, err := seeds.EnsureDemoCouncil(ctx, st, moderation.New(), time.Now())
	if err != nil {
		return demoShown{}, err
	}
	// Its meetings: one held (its minutes are the meeting room's), one to come with an agenda.
	if _, err := seeds.EnsureDemoMeetings(ctx, st, moderation.New(), time.Now()); err != nil {
		return demoShown{}, err
	}
	shown := demoShown{accounts: accounts, password: pw, receipt: receipt,
		receiptPage: cfg.BaseURL.JoinPath("r").String() + "?c=" + string(receipt)}
	for _, c := range cards {
		shown.councilCards = append(shown.councilCards, councilCard{name: c.DisplayName,
			office: strings.ReplaceAll(string(c.Office), "_", "-"), link: cfg.BaseURL.JoinPath("council").String() + "#card=" + c.Secret})
	}
	return shown, nil
}

func serve(ctx context.Context, cfg *config.Config, logger *slog.Logger, stdout io.Writer) error {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	key, err := secretKey(cfg, logger)
	if err != nil {
		return err
	}
	factor, err := totp.New(key)
	if err != nil {
		return err
	}
	auth, err := voci.NewAuth(st, password.Hasher{Params: password.Default}, factor, voci.DefaultSessionPolicy, time.Now)
	if err != nil {
		return err
	}
	if cfg.Demo {
		auth.TOTPExempt = seeds.IsDemoAccount
	}
	mailer, err := newMailer(cfg, logger)
	if err != nil {
		return err
	}
	participation := voci.NewParticipation(st, moderation.New(), cfg.SmallCellK)
	participation.MaxParticipants = cfg.MaxParticipants
	participation.JoinsPerClient = cfg.JoinsPerClient
	bus, closeBus, err := openBus(cfg, logger)
	if err != nil {
		return err
	}
	// The bus is closed last, once the rooms have stopped, within what is left of the
	// shutdown deadline.
	stopping := make(chan time.Time, 1)
	context.AfterFunc(ctx, func() { stopping <- time.Now() })
	defer func() {
		by := time.Now().Add(shutdownDeadline)
		select {
		case t := <-stopping:
			by = t.Add(shutdownDeadline)
		default:
		}
		closeCtx, cancel := context.WithDeadline(context.Background(), by)
		defer cancel()
		if err := closeBus(closeCtx); err != nil {
			logger.Warn("the live bus did not close in time", "error", err)
		}
	}()
	hub := live.NewHub(participation, bus, time.Now, logger, live.DefaultConfig)
	receipts := voci.NewReceipts(st, key)
	auth.Watcher = hub // revoked rights close the adult's live connections, on every instance
	if nb, ok := bus.(*natsbus.Bus); ok {
		// Events of other instances sent while this one was away are lost: rooms read the store.
		nb.OnReconnect(hub.Resync)
	}
	srv, err := httpapi.New(httpapi.Deps{Config: cfg, Store: st, Logger: logger, Auth: auth, Frontend: frontendFiles(),
		Participation: participation, Hub: hub, Bus: bus, Mailer: mailer, Receipts: receipts})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err)
	}

	if cfg.MongoDBURI == "" {
		// The embedded store is local: prepare it before serving, and fail loudly if it can't be.
		demo, err := prepare(ctx, cfg, st, receipts, logger)
		if err != nil {
			ln.Close()
			return err
		}
		if err := sealTOTPSecrets(ctx, st, auth, logger); err != nil {
			ln.Close()
			return err
		}
		srv.SetReady(true)
		printBanner(stdout, cfg, ln.Addr(), demo)
	} else {
		// MongoDB may be down or still starting: serve at once (readiness says not ready) and
		// keep trying in the background.
		printBanner(stdout, cfg, ln.Addr(), demoShown{})
		go prepareWithRetry(ctx, cfg, st, srv, auth, logger, stdout)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String(), "store", storeName(cfg), "live_bus", busName(cfg))
	if cfg.MetricsAddr != "" {
		stop, err := serveMetrics(ctx, cfg.MetricsAddr, srv.MetricsHandler(), logger)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
	}
	// Ended sign-in sessions are cleared every ten minutes.
	go every(ctx, 10*time.Minute, logger, "ended sessions purged", "purging ended sessions failed", auth.PurgeExpiredSessions)
	// Each change moves its own audit entry at once; this catches an entry whose move failed
	// (MongoDB away for a moment) without waiting for a restart.
	go every(ctx, time.Minute, logger, "pending audit entries completed", "completing pending audit entries failed", st.CompletePendingAudit)
	return srv.Serve(ctx, ln, shutdownDeadline)
}

// openBus returns the bus that carries live events between instances: NATS when
// VOCI_NATS_URL is set, in-process otherwise. Like MongoDB, an unreachable NATS does not stop
// start-up: /readyz answers 503 and the client retries until it answers.
func openBus(cfg *config.Config, logger *slog.Logger) (live.Bus, func(context.Context) error, error) {
	if cfg.NATSURL == "" {
		return live.NewLocalBus(), func(context.Context) error { return nil }, nil
	}
	if cfg.NATSCreds != "" {
		f, err := os.Open(cfg.NATSCreds)
		if err != nil {
			return nil, nil, &config.UsageError{Err: fmt.Errorf("VOCI_NATS_CREDS %s cannot be read: %w", cfg.NATSCreds, errors.Unwrap(err))}
		}
		f.Close()
	}
	name := "voci"
	if host, err := os.Hostname(); err == nil {
		name += "@" + host
	}
	b, err := natsbus.Open(natsbus.Config{URL: cfg.NATSURL, CredsFile: cfg.NATSCreds, Name: name, Logger: logger})
	if err != nil {
		return nil, nil, &config.UsageError{Err: fmt.Errorf("VOCI_NATS_URL: %w", err)}
	}
	return b, b.Close, nil
}

func busName(cfg *config.Config) string {
	if cfg.NATSURL != "" {
		return "nats"
	}
	return "in-process"
}

// newMailer returns the SMTP sender, or nil when no server is configured: links are then
// logged, so a small install still works. (A nil *mail.Sender must not become a non-nil
// httpapi.Mailer, hence the interface result.)
func newMailer(cfg *config.Config, logger *slog.Logger) (httpapi.Mailer, error) {
	if cfg.SMTP.Host == "" {
		logger.Info("no SMTP server is configured: invitation and password-reset links are written to this log, and invitation links shown to the inviter; children's help requests are only listed for the safeguarding leads (and logged, without the child's alias), not emailed")
		return nil, nil
	}
	sender, err := mail.New(mail.Config{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
		Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS})
	if err != nil {
		return nil, &config.UsageError{Err: err}
	}
	return sender, nil
}

func prepareWithRetry(ctx context.Context, cfg *config.Config, st store, srv *httpapi.Server, auth *voci.Auth, logger *slog.Logger, stdout io.Writer) {
	wait := time.Second
	for {
		demo, err := prepare(ctx, cfg, st, srv.Receipts, logger)
		if err == nil {
			if err := sealTOTPSecrets(ctx, st, auth, logger); err != nil {
				logger.Error("second-factor secrets stored in plain text could not be encrypted; each is encrypted when next used", "error", err)
			}
			srv.SetReady(true)
			logger.Info("store ready", "store", "mongodb")
			if len(demo.accounts) > 0 {
				printDemo(stdout, demo)
			}
			return
		}
		logger.Warn("MongoDB is not ready; retrying", "error", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, 30*time.Second)
	}
}

// sealTOTPSecrets encrypts the second-factor secrets stored in plain text before secrets
// were encrypted at rest.
func sealTOTPSecrets(ctx context.Context, st store, auth *voci.Auth, logger *slog.Logger) error {
	n, err := voci.NewAccounts(st, auth).SealTOTPSecrets(ctx)
	if n > 0 {
		logger.Info("second-factor secrets encrypted at rest", "accounts", n)
	}
	if err != nil {
		return fmt.Errorf("encrypt second-factor secrets: %w", err)
	}
	return nil
}

// every runs job each interval until ctx is done, logging what it did: how many records it
// handled (when any) under done, or its error under failed.
func every(ctx context.Context, interval time.Duration, logger *slog.Logger, done, failed string, job func(context.Context) (int, error)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if n, err := job(ctx); err != nil {
				logger.Warn(failed, "error", err)
			} else if n > 0 {
				logger.Info(done, "count", n)
			}
		}
	}
}

func storeName(cfg *config.Config) string {
	if cfg.MongoDBURI != "" {
		return "mongodb"
	}
	return "sqlite"
}

func seed(ctx context.Context, cfg *config.Config, logger *slog.Logger, stdout io.Writer) error {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	key, err := secretKey(cfg, logger)
	if err != nil {
		return err
	}
	demo, err := prepare(ctx, cfg, st, voci.NewReceipts(st, key), logger)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Reference data is loaded.")
	if len(demo.accounts) > 0 {
		printDemo(stdout, demo)
	}
	return nil
}

// demoPassword is VOCI_DEMO_PASSWORD, or a random password kept in the data directory so
// that it stays the same from one start to the next.
func demoPassword(cfg *config.Config) (string, error) {
	if cfg.DemoPassword != "" {
		return cfg.DemoPassword, nil
	}
	path := filepath.Join(cfg.DataDir, "demo-password")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 12 {
		return strings.TrimSpace(string(b)), nil
	}
	pw := rand.Text()[:16]
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("keep the demo password: %w", err)
	}
	return pw, nil
}

func printBanner(w io.Writer, cfg *config.Config, addr net.Addr, demo demoShown) {
	fmt.Fprintf(w, "\nVoci is running at %s (store: %s, listening on %s)\n", cfg.BaseURL, storeName(cfg), addr)
	if len(demo.accounts) > 0 {
		printDemo(w, demo)
	}
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}

func printDemo(w io.Writer, demo demoShown) {
	fmt.Fprintf(w, "\nDemo sign-ins (password for all: %s)\n", demo.password)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, a := range demo.accounts {
		scope := a.Municipality
		if scope == "" {
			scope = "whole platform"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Email, strings.ReplaceAll(string(a.Role.Role), "_", " "), scope)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nTo try it: sign in as facilitator.bacau%s, open Consultations, start a live\nsession of %q and join it from a phone with its code.\n\n",
		seeds.DemoEmailDomain, seeds.DemoConsultationTitle)
	if demo.receipt != "" {
		fmt.Fprintf(w, "To see the loop closed, as a child would: the receipt code %s of %q,\nwhose council decision and feedback are published, opens at %s\n\n",
			demo.receipt.Grouped(), seeds.DemoAnsweredTitle, demo.receiptPage)
	}
	if len(demo.councilCards) > 0 {
		fmt.Fprintf(w, "Members of %q sign in on their phone with a personal card (new links at every start):\n", seeds.DemoCouncilName)
		for _, c := range demo.councilCards {
			fmt.Fprintf(w, "  %s (%s): %s\n", c.name, c.office, c.link)
		}
		fmt.Fprintln(w)
	}
}

// frontendFiles is the embedded web interface, or nil before its first build.
func frontendFiles() fs.FS {
	files := frontend.Files()
	if _, err := fs.Stat(files, "index.html"); err != nil {
		return nil
	}
	return files
}

// serveMetrics serves /metrics on the private address of VOCI_METRICS_ADDR, without a token,
// until ctx is done. The returned function stops it.
func serveMetrics(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s (VOCI_METRICS_ADDR): %w", addr, err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics address stopped", "addr", addr, "error", err)
		}
	}()
	logger.Info("serving metrics", "addr", ln.Addr().String())
	return func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		hs.Shutdown(shutdownCtx)
	}, nil
}
