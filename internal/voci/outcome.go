package voci

import (
	"context"
	"time"
)

// The loop from children's views to decisions and back is built from parts that read each
// other's records. These are the seams between them: small read-only views, so that the
// public outcome of a consultation, the receipt page and the reminders need not know how
// themes, decisions and feedback are stored.

// PublicTheme is a theme as anyone may see it: its title, summary and approved quotes, with
// its support already suppressed (Inputs is 0 and InputsHidden set below the threshold). A
// quote carries no age band, gender, alias or time.
type PublicTheme struct {
	ID           string
	Title        string
	Summary      string
	Quotes       []string
	Inputs       int
	InputsHidden bool
}

// PublicThemes lists a consultation's themes for the public outcome; PublicThemesIn does it
// for every consultation of a municipality at once, by consultation ID.
type PublicThemes interface {
	PublicThemes(ctx context.Context, consultationID string) ([]PublicTheme, error)
	PublicThemesIn(ctx context.Context, municipality int) (map[string][]PublicTheme, error)
}

// LinkedDecision is a published council decision as it answers one recommendation.
type LinkedDecision struct {
	DecisionID string
	Version    int
	Number     string // the HCL number
	Date       time.Time
	Title      string
	Status     string // the decision's current status, as the decisions part names them
	// Response says how the children's views were taken into account, with what each kind
	// requires: Reasons (not adopted), DeferredUntil (deferred), PassedTo (not the
	// municipality's competence), MergedWith (merged with another recommendation).
	Response       string
	Reasons        string
	DeferredUntil  time.Time
	PassedTo       string
	MergedWith     string
	PublicationURL string // its publication in Monitorul Oficial Local
	Milestones     []Milestone
}

// Milestone is a dated step of a decision's implementation.
type Milestone struct {
	Date time.Time
	Note string
}

// DecisionLinks lists the published decisions linked to a recommendation, latest version of
// each, oldest decision first; LinkedDecisionsIn does it for every recommendation of a
// municipality at once, by recommendation ID.
type DecisionLinks interface {
	LinkedDecisions(ctx context.Context, recommendationID string) ([]LinkedDecision, error)
	LinkedDecisionsIn(ctx context.Context, municipality int) (map[string][]LinkedDecision, error)
}
