package httpapi

import (
	"sync"

	"github.com/voci-platform/voci/internal/voci"
)

// SetAuthzProbe lets tests hear every access decision the route guard makes.
func (s *Server) SetAuthzProbe(f func(route string, allowed bool)) { s.authzProbe = f }

// WaitForBackground waits for the work requests left running after their answer (mail).
func (s *Server) WaitForBackground() { s.jobs.Wait() }

// ProblemCodes lists every code a problem+json answer may carry.
func ProblemCodes() []string {
	codes := make([]string, 0, len(statusOf))
	for code := range statusOf {
		codes = append(codes, code)
	}
	return codes
}

// HelpWorker is the worker of the help-notice queue that Serve runs.
func (s *Server) HelpWorker() *voci.HelpNoticeWorker { return s.helpWorker }

// ReceiptLookupsPerClient is how many receipt lookups one client may make in a window.
const ReceiptLookupsPerClient = receiptLookupsPerClient

const PublicReadsPerClient = publicReadsPerClient

// OpenDataPerClient is how many open-data downloads one client may make in a window.
const OpenDataPerClient = openDataPerClient

// NationalBuilds is how many of the committee's tables were computed, in requests and in the
// background; WaitForNationalRefreshes waits for those computed in the background.
func (s *Server) NationalBuilds() int64 { return s.nationalBuilds.Load() }

func (s *Server) WaitForNationalRefreshes() { s.nationalRefreshes.Wait() }

// HoldNationalRefreshes keeps the tables computed again in the background from starting until
// the returned function is called, so that a test sees every request served while one is due.
// Call it before any request.
func (s *Server) HoldNationalRefreshes() (release func()) {
	hold := make(chan struct{})
	s.nationalRefreshHold = hold
	return sync.OnceFunc(func() { close(hold) })
}

var FieldPath = fieldPath
