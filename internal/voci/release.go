package voci

import (
	"context"
	"strconv"
	"time"
)

// ReleaseStatus is where a frozen release of children's figures stands.
type ReleaseStatus string

const (
	// ReleaseRunning: the job is computing it; nothing of it is shown.
	ReleaseRunning ReleaseStatus = "running"
	// ReleasePublished: its cells are what pages, exports and the open data show for its period.
	ReleasePublished ReleaseStatus = "published"
	// ReleaseBlocked: a revision that would have changed or hidden a cell an earlier version
	// published; kept for review with its reason, never shown. The earlier version stays.
	ReleaseBlocked ReleaseStatus = "blocked"
	// ReleaseFailed: the job stopped on an error (logged); a later run tries again.
	ReleaseFailed ReleaseStatus = "failed"
)

// Release is one version of the children's figures of one period.
type Release struct {
	ID      string
	Period  string // a period ID: 2026-11, 2026-Q3 or 2026
	Kind    PeriodKind
	Version int // 1 for the first release of the period, +1 for each revision
	Status  ReleaseStatus
	// Reason says why a revision is blocked (which published cells it would change), or why
	// the job failed.
	Reason     string
	K          int // the smallest count shown
	CreatedAt  time.Time
	FinishedAt time.Time // zero while running
}

// Release cell scopes: one municipality, one county, or the whole country.
const ScopeNational = "n"

// MunicipalityScope is the scope of a municipality's cells.
func MunicipalityScope(siruta int) string { return "m:" + strconv.Itoa(siruta) }

// CountyScope is the scope of a county's cells.
func CountyScope(code int) string { return "c:" + strconv.Itoa(code) }

// ReleaseCell is one published cell of a release: a scope (MunicipalityScope, CountyScope or
// ScopeNational), an indicator key (childrenReached, childrenByAge.10_12, …) and its count.
// A hidden cell carries no value: stores never receive what a hidden cell would have shown.
type ReleaseCell struct {
	Scope  string
	Key    string
	Value  int // 0 when Hidden
	Hidden bool
}

// ReleaseStore keeps frozen releases. A release's cells are written once, with its final
// status; a published release is never changed.
type ReleaseStore interface {
	// CreateRelease stores r as running with the next version of its period (set in
	// r.Version), atomically, so that two runs for one period get two versions. ECONFLICT
	// when r.ID is taken.
	CreateRelease(ctx context.Context, r *Release) error
	// FinishRelease gives a running release its final status, reason and (when published)
	// cells. ENOTFOUND for an unknown ID; ECONFLICT when the release is not running any more.
	FinishRelease(ctx context.Context, id string, status ReleaseStatus, reason string, at time.Time, cells []ReleaseCell) error
	// FindRelease returns ENOTFOUND for an unknown ID.
	FindRelease(ctx context.Context, id string) (*Release, error)
	// ListReleases returns the releases of a period ("" for all), newest first (by creation,
	// then version).
	ListReleases(ctx context.Context, period string) ([]Release, error)
	// LatestPublishedRelease returns the published release of the period with the highest
	// version, or ENOTFOUND when none is published.
	LatestPublishedRelease(ctx context.Context, period string) (*Release, error)
	// ReleaseCells returns the cells of a release in the given scopes (all when scopes is nil).
	ReleaseCells(ctx context.Context, releaseID string, scopes []string) ([]ReleaseCell, error)
}
