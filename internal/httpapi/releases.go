package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/gausssup"
	"github.com/voci-platform/voci/internal/voci"
)

// Frozen releases of children's figures (voci.Releases): listed, started and followed by the
// committee. A release's cells are read through the indicator routes only, and a hidden
// cell's value is never stored, so no answer here can carry it.

// ReleaseSuppression is the suppression every release goes through, for the release jobs
// made outside the server (the demo's first release at start-up).
var ReleaseSuppression voci.SuppressFunc = gaussSuppress

// gaussSuppress is the suppression every release goes through; a revision keeps hidden what
// the version before it hid.
func gaussSuppress(inner []int, published [][]int32, first []int, insiders [][]int32, k int, hiddenBefore []int) []bool {
	return gausssup.SuppressKeeping(gausssup.Table{Inner: inner, Published: published, First: first, Insiders: insiders}, k, nil, hiddenBefore)
}

// newReleases returns the release job of the server: the daily look for finished periods
// (run by Serve) and the releases the committee starts.
func newReleases(s *Server, k int) *voci.Releases {
	r := voci.NewReleases(s.Store, s.Clock, k, gaussSuppress, s.Logger)
	r.Ready = s.ready.Load
	return r
}

type releaseJSON struct {
	ID         string     `json:"id"`
	Period     string     `json:"period"`
	Kind       string     `json:"kind"`
	Version    int        `json:"version"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"createdAt"`
	FinishedAt *time.Time `json:"finishedAt,omitempty"`
	Reason     string     `json:"reason,omitempty"`
	K          int        `json:"k"`
}

func toReleaseJSON(r *voci.Release) releaseJSON {
	out := releaseJSON{ID: r.ID, Period: r.Period, Kind: string(r.Kind), Version: r.Version, Status: string(r.Status),
		CreatedAt: r.CreatedAt, Reason: r.Reason, K: r.K}
	if !r.FinishedAt.IsZero() {
		out.FinishedAt = &r.FinishedAt
	}
	return out
}

func (s *Server) handleListReleases() fiber.Handler {
	type response struct {
		Items []releaseJSON `json:"items"`
	}
	return func(c *fiber.Ctx) error {
		period := c.Query("period")
		if period != "" {
			p, err := voci.ParsePeriod(period, s.Clock())
			if err != nil {
				return err
			}
			period = p.ID
		}
		list, err := s.Store.ListReleases(c.UserContext(), period)
		if err != nil {
			return err
		}
		resp := response{Items: make([]releaseJSON, len(list))}
		for i := range list {
			resp.Items[i] = toReleaseJSON(&list[i])
		}
		return c.JSON(resp)
	}
}

func (s *Server) handleStartRelease() fiber.Handler {
	type request struct {
		Period string `json:"period" validate:"required,max=20"`
	}
	type response struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p, err := voci.ParsePeriod(req.Period, s.Clock())
		if err != nil {
			return err
		}
		rel, err := s.releases.Start(c.UserContext(), p)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusAccepted).JSON(response{ID: rel.ID, Status: string(rel.Status)})
	}
}

func (s *Server) handleGetRelease() fiber.Handler {
	return func(c *fiber.Ctx) error {
		rel, err := s.Store.FindRelease(c.UserContext(), c.Params("id"))
		if err != nil {
			return err
		}
		return c.JSON(toReleaseJSON(rel))
	}
}
