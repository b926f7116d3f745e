package voci

import (
	"context"
	"slices"
)

// Traceability: for a decision, the chain back to the recommendations it answers, their
// themes and consultations (how many children took part, of which age bands, through which
// channels), and forward to its status history and milestones; for a consultation, the chain
// forward to its recommendations, their decisions and milestones. Counts of children are
// suppressed below k like every other count.

// NamedCell is one count of a reach: an age band or a channel.
type NamedCell struct {
	Name string
	Cell Cell
}

// ConsultationReach says how many children took part in a consultation, of which age bands
// (NotGiven for those who gave none) and through which channels. Every count from 1 to k-1 is
// hidden, and more as needed so that the total does not give a hidden one away.
type ConsultationReach struct {
	ConsultationID string
	Title          string
	Children       Cell
	AgeBands       []NamedCell
	Channels       []NamedCell
}

// RecommendationTrace is one recommendation a decision answers, with the link that says how,
// and the consultation behind it (nil for a recommendation from another source).
type RecommendationTrace struct {
	Recommendation *Recommendation
	// ThemeTitles are the titles of the themes the recommendation was made from, in its
	// ThemeIDs' order ("" for a theme no longer there).
	ThemeTitles  []string
	Link         DecisionLink
	Consultation *ConsultationReach
}

// DecisionTrace is a decision's chain back and forward.
type DecisionTrace struct {
	Decision        *Decision
	Recommendations []RecommendationTrace
}

// ConsultationTraceItem is one recommendation of a consultation and the published decisions
// that answer it.
type ConsultationTraceItem struct {
	Recommendation *Recommendation
	Decisions      []LinkedDecision
}

// ConsultationTrace is a consultation's chain forward.
type ConsultationTrace struct {
	Reach           ConsultationReach
	Recommendations []ConsultationTraceItem
}

// TraceDecision builds the decision's chain back to what children said and forward to its
// milestones, from its current content (the latest version once published).
func (s *Decisions) TraceDecision(ctx context.Context, d *Decision) (*DecisionTrace, error) {
	t := &DecisionTrace{Decision: d}
	reaches := map[string]*ConsultationReach{}
	for _, l := range d.Current().Links {
		r, err := s.Store.FindRecommendation(ctx, l.RecommendationID)
		if err != nil {
			return nil, err
		}
		rt := RecommendationTrace{Recommendation: r, Link: l}
		for _, id := range r.ThemeIDs {
			title := ""
			if th, err := s.Store.FindTheme(ctx, id); err == nil {
				title = th.Title
			} else if ErrorCode(err) != ENOTFOUND {
				return nil, err
			}
			rt.ThemeTitles = append(rt.ThemeTitles, title)
		}
		if r.ConsultationID != "" {
			reach, ok := reaches[r.ConsultationID]
			if !ok {
				if reach, err = s.Reach(ctx, r.ConsultationID); err != nil {
					return nil, err
				}
				reaches[r.ConsultationID] = reach
			}
			rt.Consultation = reach
		}
		t.Recommendations = append(t.Recommendations, rt)
	}
	return t, nil
}

// TraceConsultation builds the consultation's chain forward.
func (s *Decisions) TraceConsultation(ctx context.Context, c *Consultation) (*ConsultationTrace, error) {
	reach, err := s.Reach(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	t := &ConsultationTrace{Reach: *reach}
	recs, err := s.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: c.Municipality, ConsultationID: c.ID})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		linked, err := s.LinkedDecisions(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		t.Recommendations = append(t.Recommendations, ConsultationTraceItem{Recommendation: r, Decisions: linked})
	}
	return t, nil
}

// Reach counts the children who answered at least one question of the consultation, by age
// band and by channel, suppressed below k.
func (s *Decisions) Reach(ctx context.Context, consultationID string) (*ConsultationReach, error) {
	c, err := s.Store.FindConsultationByID(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	qs, err := s.Store.ListQuestions(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	type child struct {
		band   AgeBand
		source AnswerSource
	}
	children := map[string]child{}
	for _, q := range qs {
		answers, err := s.Store.ListAnswers(ctx, q.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range answers {
			if _, ok := children[a.ParticipantID]; !ok {
				children[a.ParticipantID] = child{band: a.AgeBand, source: a.Source}
			}
		}
	}
	bands := append(stringsOfBands(), NotGiven)
	channels := []string{string(SourceLive), string(SourceSelfPaced), string(SourcePaper)}
	byBand, byChannel := make([]int, len(bands)), make([]int, len(channels))
	for _, ch := range children {
		b := string(ch.band)
		if b == "" {
			b = NotGiven
		}
		if i := slices.Index(bands, b); i >= 0 {
			byBand[i]++
		}
		if i := slices.Index(channels, string(ch.source)); i >= 0 {
			byChannel[i]++
		}
	}
	k := max(s.K, 2)
	total := len(children)
	r := &ConsultationReach{ConsultationID: c.ID, Title: c.Title, Children: Cell{N: total}}
	if total > 0 && total < k {
		r.Children = Cell{Suppressed: true}
	}
	r.AgeBands = suppressedColumn(bands, byBand, k, r.Children.Suppressed)
	r.Channels = suppressedColumn(channels, byChannel, k, r.Children.Suppressed)
	return r, nil
}

// suppressedColumn hides small counts of one breakdown, and more so that the shown total does
// not give them away (the same rule as results' breakdowns, on a table of one column).
func suppressedColumn(names []string, counts []int, k int, all bool) []NamedCell {
	cells := make([][]int, len(counts))
	for i, n := range counts {
		cells[i] = []int{n}
	}
	sup := SuppressSmallCells(CountTable{Cells: cells, RowTotals: slices.Clone(counts), MaxChoices: 1}, k)
	out := make([]NamedCell, len(names))
	for i, name := range names {
		hidden := all || sup.Rows[i] || sup.Cells[i][0]
		out[i] = NamedCell{Name: name, Cell: Cell{N: counts[i], Suppressed: hidden}}
		if hidden {
			out[i].Cell.N = 0
		}
	}
	return out
}

func stringsOfBands() []string {
	out := make([]string, len(AgeBands))
	for i, b := range AgeBands {
		out[i] = string(b)
	}
	return out
}
