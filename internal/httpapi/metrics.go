package httpapi

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/voci-platform/voci/internal/live"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "voci_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "voci_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// middleware labels by the route's pattern, never the raw path, so that metrics stay bounded
// whatever clients send.
func (m *metrics) middleware(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	route := c.Route().Path
	// The label values outlive the request: c.Method() points into a buffer fasthttp reuses
	// (after a websocket upgrade at once), so it is copied.
	method := utils.CopyString(c.Method())
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
	return err
}

// handleMetrics serves /metrics on the public address only to a scraper holding
// VOCI_METRICS_TOKEN as a bearer token. Without a token it is not there (404), as for anyone
// without the right one: the figures tell an outsider how many children are connected now.
// With VOCI_METRICS_ADDR the metrics are served on that private address instead (see
// MetricsHandler).
func (s *Server) handleMetrics(reg *prometheus.Registry) fiber.Handler {
	serve := adaptor.HTTPHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return func(c *fiber.Ctx) error {
		want := s.Config.MetricsToken
		got, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		if want == "" || !ok || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return fiber.ErrNotFound
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return serve(c)
	}
}

// MetricsHandler is /metrics for the separate address of VOCI_METRICS_ADDR, without a token.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	return mux
}

// registerLiveMetrics exposes the live engine's figures: how many sockets are open, and how
// many were dropped for not reading or closed for flooding (a rising count is worth a look).
func registerLiveMetrics(reg prometheus.Registerer, hub *live.Hub) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "voci_live_rooms", Help: "Live session rooms running on this instance."},
			func() float64 { return float64(hub.Stats().Rooms) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "voci_live_connections", Help: "Open live websocket connections."},
			func() float64 { return float64(hub.Stats().Connections) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "voci_live_dropped_slow_total", Help: "Live connections dropped because they did not read their messages fast enough."},
			func() float64 { return float64(hub.Stats().DroppedSlow) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "voci_live_flooding_total", Help: "Live connections closed for sending faster than their rate limit."},
			func() float64 { return float64(hub.Stats().Flooding) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "voci_live_answers_total", Help: "Live answers stored and acknowledged (retries not counted)."},
			func() float64 { return float64(hub.Stats().Answers) }),
	)
}
