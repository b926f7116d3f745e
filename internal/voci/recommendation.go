package voci

import (
	"context"
	"slices"
	"time"
)

// ECHANGED answers a write made against a revision that someone else has replaced since it was
// read: two reviewers editing one theme, two council members one recommendation. Neither edit
// is lost silently; the later one is told to reload and try again.
const ECHANGED = "changed_meanwhile"

// SourceKind says where a recommendation comes from.
type SourceKind string

const (
	// SourceConsultation: themes of a consultation's input, grouped by its reviewers.
	SourceConsultation SourceKind = "consultation"
	// SourceCouncilMotion: a motion the municipality's children's council passed.
	SourceCouncilMotion SourceKind = "council_motion"
)

// SourceKinds lists every source.
var SourceKinds = []SourceKind{SourceConsultation, SourceCouncilMotion}

// Recommendation is what children ask for, addressed to the body that must answer: the
// consultation's audience, or the local council for a children's council motion. Council
// decisions link to recommendations, and every recommendation needs published feedback
// before its consultation counts as answered.
type Recommendation struct {
	ID           string
	Municipality int // SIRUTA code
	Source       SourceKind
	// ConsultationID is the consultation whose input the recommendation draws on, when Source
	// is SourceConsultation; ThemeIDs are that consultation's themes it was made from.
	ConsultationID string
	ThemeIDs       []string
	// SourceRef names the record of another source, such as the motion's ID.
	SourceRef string
	// Title says in a line what children ask for; Text explains it.
	Title string
	Text  string
	// AudienceBody is who must answer; it starts as the consultation's audience.
	AudienceBody string
	// Revision counts the stored versions: 1 when created, +1 with every update.
	Revision  int
	CreatedBy string // account ID
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks the fields a recommendation must hold; EINVALID names the first at fault.
func (r *Recommendation) Validate() error {
	if r.ID == "" || r.Municipality <= 0 {
		return InvalidParam("municipality", "The recommendation belongs to no municipality.")
	}
	if !slices.Contains(SourceKinds, r.Source) {
		return InvalidParam("source", "Unknown source %q.", r.Source)
	}
	if r.Source == SourceConsultation && r.ConsultationID == "" {
		return InvalidParam("consultationId", "Name the consultation the recommendation comes from.")
	}
	if r.Source != SourceConsultation && (r.ConsultationID != "" || len(r.ThemeIDs) > 0) {
		return InvalidParam("source", "Only a recommendation from a consultation names a consultation and its themes.")
	}
	if r.Source != SourceConsultation && r.SourceRef == "" {
		return InvalidParam("sourceRef", "Name the record the recommendation comes from.")
	}
	if len(r.ThemeIDs) > 50 {
		return InvalidParam("themeIds", "A recommendation may draw on at most 50 themes.")
	}
	seen := make(map[string]bool, len(r.ThemeIDs))
	for _, id := range r.ThemeIDs {
		if id == "" || seen[id] {
			return InvalidParam("themeIds", "Name each theme once.")
		}
		seen[id] = true
	}
	if err := ValidateText("title", r.Title, 3, 200); err != nil {
		return err
	}
	if err := validateLongText("text", r.Text, 0, 4000); err != nil {
		return err
	}
	return ValidateText("audienceBody", r.AudienceBody, 3, 200)
}

// RecommendationFilter selects recommendations. Municipality is required; ConsultationID
// narrows to one consultation's, Source to one source's.
type RecommendationFilter struct {
	Municipality   int
	ConsultationID string
	Source         SourceKind
}

// RecommendationStore keeps recommendations.
type RecommendationStore interface {
	// CreateRecommendation stores r (at Revision 1) with its audit entry (nil for none) in the
	// same write; ECONFLICT if the ID exists. ENOTFOUND (param themeIds), writing nothing, if a
	// theme of r.ThemeIDs is not (or no longer) one of r's consultation: checked in the write
	// itself, so that DeleteTheme and CreateRecommendation racing on one theme never leave a
	// recommendation citing a deleted theme.
	CreateRecommendation(ctx context.Context, r *Recommendation, audit *AuditEntry) error
	// FindRecommendation returns ENOTFOUND when there is no such recommendation.
	FindRecommendation(ctx context.Context, id string) (*Recommendation, error)
	// ListRecommendations returns the filter's recommendations, oldest first.
	ListRecommendations(ctx context.Context, f RecommendationFilter) ([]*Recommendation, error)
	// UpdateRecommendation replaces the stored recommendation with r, with its audit entry, but
	// only if the stored one is still at revision r.Revision-1: otherwise it writes nothing
	// and returns ECHANGED. ENOTFOUND if gone, or (param themeIds) if a theme of r.ThemeIDs is
	// not its consultation's, checked as CreateRecommendation does.
	UpdateRecommendation(ctx context.Context, r *Recommendation, audit *AuditEntry) error
}
