// Package httpapi is Voci's HTTP interface: the Fiber application, its middleware, the REST
// handlers under /api/v1, health and metrics endpoints, and the embedded web interface.
// Handlers parse, validate, call the domain and encode; they hold no business rules.
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"regexp"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/voci-platform/voci/internal/config"
	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/voci"
)

const requestIDKey = "requestid"

// Deps are what the HTTP layer needs from the rest of Voci.
type Deps struct {
	Config   *config.Config
	Store    voci.Store
	Logger   *slog.Logger
	Clock    voci.Clock
	Auth     *voci.Auth
	Frontend fs.FS // the built web interface, rooted at index.html
	// Mailer delivers invitations and password-reset links; nil when no SMTP server is
	// configured, and the links are then logged (and invitation links shown to the inviter).
	Mailer Mailer
	// Participation holds the rules of consultations and live sessions; New builds one on
	// Store, with the moderation screener, when it is nil, and gives it a notifier that mails
	// help requests to the safeguarding leads when it has none.
	Participation *voci.Participation
	// Decisions holds the rules of council decisions; New builds one on Store when it is nil.
	Decisions *voci.Decisions
	// Feedbacks holds the rules of feedback to children and of the public outcome; New builds
	// one on Store when it is nil. Its Themes and Decisions are read when set.
	Feedbacks *voci.Feedbacks
	// Hub runs the live rooms; New builds one on Bus when it is nil.
	Hub *live.Hub
	// Receipts issues and opens children's receipt codes; New builds one keyed with
	// Config.SecretKey when it is nil.
	Receipts *voci.Receipts
	// Bus carries live events between instances: the one Hub uses (the in-process bus when
	// nil). When it can say whether it reaches the others (Ready() error, as NATS does),
	// /readyz answers 503 while it does not.
	Bus live.Bus
	// Reports are the tables exports can write, by name; New adds those it builds itself (the
	// stages, the national tables and the scorecard) unless they are given.
	Reports voci.ReportSources
	// ExportDir keeps finished export files; exports/ in the data directory when empty.
	ExportDir string
	// MeetingRooms tunes the live rooms of youth council meetings; live.DefaultConfig when nil.
	MeetingRooms *live.Config
	// MeetingProbes hear the meeting rooms' timings (the meeting benchmark); nil in service.
	MeetingProbes *MeetingProbes
}

// MeetingProbes are told how long meeting rooms took: to send a state to every screen, and
// to store a ballot durably.
type MeetingProbes struct {
	Fanout, Stored func(time.Duration)
}

// Server is Voci's HTTP server. Build it with New, run it with Serve.
type Server struct {
	Deps
	app      *fiber.App
	validate *validator.Validate
	metrics  *metrics
	registry *prometheus.Registry
	ready    atomic.Bool
	spa      *spa
	accounts *voci.Accounts
	// jobs are the requests' work that outlives them (mail sent after answering); Serve waits
	// for them before it returns.
	jobs sync.WaitGroup
	// tokenFailures is the one budget of wrong secrets per client: join codes, participant
	// tokens, self-paced keys and tokens, invitation and reset links.
	tokenFailures *failureThrottle
	// receiptLookups bounds every receipt lookup and answer-back of one client, right codes
	// included (see receiptLookupsPerClient).
	receiptLookups fiber.Handler
	// openDataReads bounds the open data's downloads per client (see openDataPerClient).
	openDataReads fiber.Handler
	// publicReads bounds the public pages' reads per client (see publicReadsPerClient).
	publicReads fiber.Handler
	// hashing bounds the password hashing running at once (see hashGate).
	hashing *hashGate
	// helpWorker sends the queued notices of help requests.
	helpWorker *voci.HelpNoticeWorker
	// reminders makes the notifications of council members and coordinators and mails them.
	reminders *voci.Reminders
	// exports is the export queue; Serve runs its workers.
	exports *voci.Exports
	// national computes the committee's indicators (national.go); nationalRefreshes are its
	// tables being computed again in the background (nationalkept.go), nationalBuilds how many
	// were computed; a test may hold the background jobs until it lets them go
	// (nationalRefreshHold, nil otherwise).
	national            *voci.National
	nationalRefreshes   sync.WaitGroup
	nationalBuilds      atomic.Int64
	nationalRefreshHold chan struct{}
	// releases computes frozen releases of children's figures (releases.go).
	releases *voci.Releases
	// councils holds the rules of youth councils (council.go).
	councils *voci.YouthCouncils
	// meetings holds the rules of council meetings and their agendas (meetings.go).
	meetings *voci.CouncilMeetings
	// minutes holds the rules of meetings' minutes (minutes.go).
	minutes *voci.CouncilMinutes
	// meetingRooms runs the live rooms of youth council meetings (meetingroom.go).
	meetingRooms *live.MeetingHub
	// meetingSeats counts the meeting-room connections of each gallery, member and adult
	// (meetingseats.go).
	meetingSeats connSeats
	// authzProbe, when set by a test, hears every access decision.
	authzProbe func(route string, allowed bool)
}

// New builds the Fiber application with every route of routes.go. The server answers /readyz
// with 503 until SetReady(true): the store may still be migrating or unreachable.
func New(deps Deps) (*Server, error) {
	if deps.Clock == nil {
		deps.Clock = time.Now
	}
	if deps.Participation == nil {
		k := voci.DefaultK
		if deps.Config != nil && deps.Config.SmallCellK != 0 {
			k = deps.Config.SmallCellK
		}
		deps.Participation = voci.NewParticipation(deps.Store, moderation.New(), k)
		deps.Participation.Clock = deps.Clock
		if deps.Config != nil {
			deps.Participation.MaxParticipants = deps.Config.MaxParticipants
			deps.Participation.JoinsPerClient = deps.Config.JoinsPerClient
		}
	}
	if deps.Receipts == nil {
		deps.Receipts = newReceipts(deps)
	}
	if deps.Decisions == nil {
		deps.Decisions = voci.NewDecisions(deps.Store, deps.Participation.K)
		deps.Decisions.Clock = deps.Clock
	}
	if deps.Feedbacks == nil {
		deps.Feedbacks = voci.NewFeedbacks(deps.Store, deps.Clock)
		deps.Feedbacks.K = deps.Participation.K
		deps.Feedbacks.Results = deps.Participation
		// The public outcome reads the reviewers' themes and the council's decisions.
		deps.Feedbacks.Themes = voci.NewReview(deps.Store, deps.Participation.K)
		deps.Feedbacks.Decisions = deps.Decisions
	}
	// A receipt opened after its consultation's feedback is published counts as feedback that
	// reached a child, and opens the child's answer back.
	if deps.Receipts.Feedback == nil {
		deps.Receipts.Feedback = deps.Feedbacks
	}
	if deps.Bus == nil {
		deps.Bus = live.NewLocalBus()
	}
	if deps.Hub == nil {
		deps.Hub = live.NewHub(deps.Participation, deps.Bus, deps.Clock, deps.Logger, live.DefaultConfig)
	}
	s := &Server{Deps: deps, validate: validator.New(validator.WithRequiredStructEnabled())}
	if deps.Auth != nil && deps.Auth.Watcher == nil {
		// Revoked rights close the adult's live connections, on every instance.
		deps.Auth.Watcher = deps.Hub
	}
	// A child's help request queues notices in the store; the worker, run by Serve, mails them
	// to the safeguarding leads through Mailer (without one, the leads see it in Voci only).
	s.helpWorker = newHelpWorker(s)
	if deps.Participation.Notifier == nil {
		deps.Participation.Notifier = s.helpWorker
	}
	s.reminders = newReminders(s)
	s.national = voci.NewNational(deps.Store, deps.Clock)
	s.exports = newExports(s)
	s.releases = newReleases(s, deps.Participation.K)
	// A new help request in a live session, asked or raised by a text, reaches its consoles.
	if deps.Participation.Consoles == nil {
		deps.Participation.Consoles = deps.Hub
	}
	// One budget for every secret a client may guess: a wrong join code, participant token,
	// self-paced key or token, invitation or reset link are all guesses, and a client that
	// spreads its guesses over several routes gets no more of them.
	s.tokenFailures = newFailureThrottle(deps.Store, "secret", 20, time.Minute, deps.Clock, clientKey,
		s.refuseWith("Too many wrong codes from this device. Wait a minute, then check the code with your facilitator."))
	s.hashing = newHashGate(2*runtime.GOMAXPROCS(0), time.Second)
	s.openDataReads = limiter.New(limiter.Config{Max: openDataPerClient, Expiration: openDataWindow, KeyGenerator: clientKey,
		LimitReached: func(c *fiber.Ctx) error {
			return s.app.ErrorHandler(c, voci.Errorf(voci.ERATELIMITED, "This address has downloaded the open data many times. The files change at most daily; wait a few minutes."))
		}})
	s.receiptLookups = limiter.New(limiter.Config{Max: receiptLookupsPerClient, Expiration: receiptLookupWindow, KeyGenerator: clientKey,
		LimitReached: func(c *fiber.Ctx) error {
			return s.app.ErrorHandler(c, voci.Errorf(voci.ERATELIMITED, "This device has opened many receipt codes. Wait a few minutes, then try again."))
		}})
	s.publicReads = limiter.New(limiter.Config{Max: publicReadsPerClient, Expiration: publicReadWindow, KeyGenerator: clientKey,
		LimitReached: func(c *fiber.Ctx) error {
			return s.app.ErrorHandler(c, voci.Errorf(voci.ERATELIMITED, "This device has opened the public pages very often. Wait a minute, then try again."))
		}})
	s.validate.RegisterTagNameFunc(jsonFieldName)
	s.accounts = voci.NewAccounts(deps.Store, deps.Auth)
	s.councils = voci.NewYouthCouncils(deps.Store, deps.Participation.Screener, deps.Clock)
	s.meetings = voci.NewCouncilMeetings(deps.Store, deps.Participation.Screener, deps.Clock)
	s.minutes = voci.NewCouncilMinutes(deps.Store, s.meetings, deps.Participation.Screener, deps.Clock)
	s.meetingRooms = s.newMeetingRooms()
	if deps.Hub != nil {
		// An adult disabled, or their role or session taken away, loses their meeting
		// consoles and projectors too, on every instance, as their live consoles.
		deps.Hub.OnAccessChanged(s.meetingAccessChanged)
	}

	var err error
	if s.spa, err = newSPA(deps.Frontend); err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	s.registry = reg
	// Besides the usual Go metrics, the live heap as of the last collection
	// (go_gc_heap_live_bytes): unlike the heap in use, it does not count garbage not yet
	// collected, so the load test's memory per child does not depend on when a collection ran.
	liveHeap := collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)}
	reg.MustRegister(collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(liveHeap)),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.metrics = newMetrics(reg)
	registerLiveMetrics(reg, deps.Hub)

	s.app = fiber.New(fiber.Config{
		AppName:               "voci",
		ErrorHandler:          errorHandler(deps.Logger),
		BodyLimit:             deps.Config.MaxBodyBytes,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
		// Behind a reverse proxy, throttles must count the children's and adults' devices, not
		// the proxy: believe X-Forwarded-For from the configured proxies only.
		EnableTrustedProxyCheck: len(deps.Config.TrustedProxies) > 0,
		TrustedProxies:          deps.Config.TrustedProxies,
		ProxyHeader:             proxyHeader(deps.Config.TrustedProxies),
		EnableIPValidation:      true,
		// Unknown methods on known paths answer 405 with the allowed ones.
		StrictRouting: false,
	})
	s.app.Use(
		requestid.New(requestid.Config{Generator: uuid.NewString, ContextKey: requestIDKey}),
		s.logRequests,
		s.metrics.middleware,
		s.answerErrors,
		refuseCompressedBodies,
		recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}),
		helmet.New(helmet.Config{
			ContentSecurityPolicy:     s.spa.contentSecurityPolicy(),
			ReferrerPolicy:            "strict-origin-when-cross-origin",
			XFrameOptions:             "DENY",
			PermissionPolicy:          "camera=(), microphone=(), geolocation=(), payment=()",
			CrossOriginEmbedderPolicy: "unsafe-none",
			HSTSMaxAge:                31536000,
		}),
		compress.New(),
	)
	s.app.Server().HeaderReceived = bodyLimits(deps.Config.MaxBodyBytes)
	s.registerRoutes(reg)
	return s, nil
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// SetReady marks whether the store is migrated and seeded, for /readyz.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Exports is the export queue; Serve runs its workers, and tests may run them themselves.
func (s *Server) Exports() *voci.Exports { return s.exports }

// App exposes the Fiber application, for tests through app.Test.
func (s *Server) App() *fiber.App { return s.app }

// Serve answers requests on ln until ctx is done, then stops accepting connections, lets
// running requests finish and returns within the shutdown deadline.
func (s *Server) Serve(ctx context.Context, ln net.Listener, deadline time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(ln) }()
	// The help-notice worker stops with the server; a notice it was sending is taken again
	// when its lease runs out, by this instance after a restart or by another one.
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); s.helpWorker.Run(workerCtx) }()
	defer func() { stopWorker(); <-workerDone }()
	// So does the reminder job: what it made is in the store, and the next run goes on.
	remindersDone := make(chan struct{})
	go func() { defer close(remindersDone); s.reminders.Run(workerCtx) }()
	defer func() { stopWorker(); <-remindersDone }()
	// Exports are built one at a time in the background; a job being built when the server
	// stops stays stored as running and is queued again once its heartbeat is old.
	exportsDone := make(chan struct{})
	go func() { defer close(exportsDone); s.exports.Run(workerCtx) }()
	defer func() { stopWorker(); <-exportsDone }()
	// And the daily look for finished periods to release; a release it was computing stays
	// running and the next run makes a new version.
	releasesDone := make(chan struct{})
	go func() { defer close(releasesDone); s.releases.Run(workerCtx) }()
	defer func() { stopWorker(); <-releasesDone; s.releases.Wait() }()
	defer s.nationalRefreshes.Wait()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.Logger.Info("shutting down", "deadline", deadline.String())
	// Websockets are hijacked connections that the HTTP server's shutdown does not wait for:
	// close them first, with 1001 (going away), so that clients reconnect after the restart.
	hubCtx, cancel := context.WithTimeout(context.Background(), deadline)
	if err := s.Hub.Shutdown(hubCtx); err != nil {
		s.Logger.Warn("live rooms did not stop in time", "error", err)
	}
	s.meetingRooms.Shutdown()
	cancel()
	if err := s.app.ShutdownWithTimeout(deadline); err != nil {
		return err
	}
	s.jobs.Wait()
	return <-errc
}

// logRequests writes one structured line per request.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.Logger.Log(c.UserContext(), level, "request",
		"request_id", requestID(c), "method", c.Method(), "path", c.Path(),
		"status", status, "duration_ms", float64(time.Since(start).Microseconds())/1000,
		"ip", c.IP())
	return err
}

// answerErrors renders a handler's error as problem+json right away, so that the log line and
// the metrics above it see the status the client gets.
func (s *Server) answerErrors(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return s.app.ErrorHandler(c, err)
	}
	return nil
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.Logger.Error("panic in handler", "request_id", requestID(c), "path", c.Path(), "panic", e)
}
