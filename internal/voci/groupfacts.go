package voci

import (
	"context"
	"slices"
	"time"
)

// GroupCategory is a group of children whose taking part the Child Friendly Cities Initiative
// follows. Voci never records it of one child: a facilitator counts, for a whole session, how
// many of the children in the room belonged to it, as far as they know.
type GroupCategory string

const (
	GroupRoma         GroupCategory = "roma"          // children from Roma communities
	GroupDisability   GroupCategory = "disability"    // children with disabilities
	GroupRural        GroupCategory = "rural"         // children living in rural areas
	GroupInCare       GroupCategory = "in_care"       // children in foster or residential care
	GroupOutOfSchool  GroupCategory = "out_of_school" // children not in school
	GroupRefugee      GroupCategory = "refugee"       // refugee or migrant children
	maxGroupHeadcount               = 10000
)

// GroupCategories lists every category, in the order forms show them.
var GroupCategories = []GroupCategory{GroupRoma, GroupDisability, GroupRural, GroupInCare, GroupOutOfSchool, GroupRefugee}

// Adaptation is something done so that every child in the room could take part.
type Adaptation string

const (
	AdaptEasyRead        Adaptation = "easy_read"            // easy-read materials
	AdaptSignLanguage    Adaptation = "sign_language"        // sign-language interpretation
	AdaptLanguageSupport Adaptation = "language_support"     // interpretation into another language
	AdaptAssistiveTech   Adaptation = "assistive_technology" // screen readers, switches, large print
	AdaptAccessibleVenue Adaptation = "accessible_venue"     // step-free venue, accessible toilets
	AdaptSharedDevices   Adaptation = "shared_devices"       // tablets or paper for children without a phone
)

// Adaptations lists every adaptation, in the order forms show them.
var Adaptations = []Adaptation{AdaptEasyRead, AdaptSignLanguage, AdaptLanguageSupport, AdaptAssistiveTech, AdaptAccessibleVenue, AdaptSharedDevices}

// GroupFacts are what a facilitator records about a live session's group as a whole: how many
// children were in the room, how many of them belonged to each category, and what was adapted.
// They are counts, never a fact about one child, and reports suppress the small ones like any
// other count.
type GroupFacts struct {
	SessionID      string
	ConsultationID string
	Municipality   int
	// Present is how many children were in the room, with a phone or not; 0 when not counted.
	Present int
	// Counts holds the categories the facilitator counted; one absent was not recorded.
	Counts      map[GroupCategory]int
	Adaptations []Adaptation
	RecordedBy  string // account ID
	RecordedAt  time.Time
}

// Validate checks the counts and adaptations. EINVALID names the offending field.
func (f *GroupFacts) Validate() error {
	if f.Present < 0 || f.Present > maxGroupHeadcount {
		return InvalidParam("present", "Count between 0 and %d children.", maxGroupHeadcount)
	}
	for cat := range f.Counts {
		if !slices.Contains(GroupCategories, cat) {
			return InvalidParam("counts", "%q is not a group Voci counts.", cat)
		}
	}
	for _, cat := range GroupCategories { // in a fixed order, so the same mistake gets the same answer
		n, ok := f.Counts[cat]
		if !ok {
			continue
		}
		if n < 0 || n > maxGroupHeadcount {
			return InvalidParam("counts."+string(cat), "Count between 0 and %d children.", maxGroupHeadcount)
		}
		if f.Present > 0 && n > f.Present {
			return InvalidParam("counts."+string(cat), "A group cannot have more children than were present (%d).", f.Present)
		}
	}
	return distinctValid("adaptations", f.Adaptations, func(a Adaptation) bool { return slices.Contains(Adaptations, a) })
}

// GroupFactsStore keeps the group facts of live sessions, apart from the sessions themselves,
// whose owner rewrites them while the session runs.
type GroupFactsStore interface {
	// SetGroupFacts stores f, replacing what was recorded for its session before.
	SetGroupFacts(ctx context.Context, f *GroupFacts, audit *AuditEntry) error
	// FindGroupFacts returns ENOTFOUND when nothing was recorded for the session.
	FindGroupFacts(ctx context.Context, sessionID string) (*GroupFacts, error)
}

// RecordGroupFacts records f for the session s, during the session or after it. EINVALID for
// bad counts.
func (p *Participation) RecordGroupFacts(ctx context.Context, s *LiveSession, f GroupFacts, actorID string, audit AuditOf[GroupFacts]) (*GroupFacts, error) {
	f.SessionID, f.ConsultationID, f.Municipality = s.ID, s.ConsultationID, s.Municipality
	f.RecordedBy, f.RecordedAt = actorID, p.now()
	if f.Counts == nil {
		f.Counts = map[GroupCategory]int{}
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	slices.SortFunc(f.Adaptations, func(a, b Adaptation) int {
		return slices.Index(Adaptations, a) - slices.Index(Adaptations, b)
	})
	if err := p.Store.SetGroupFacts(ctx, &f, audit.of(&f)); err != nil {
		return nil, err
	}
	return &f, nil
}
