package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// scorecardReaders may read a municipality's Lundy scorecards: the adults who read its
// consultations, and the platform-wide followers.
var scorecardReaders = append(append([]voci.Role{}, consultationReaders...), platformFollowers...)

type scorecardConsultationOut struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type scorecardCheckOut struct {
	Key      string `json:"key"`
	Met      *bool  `json:"met"`
	Source   string `json:"source"`
	Evidence string `json:"evidence"`
	// MetCount and Of are the roll-up's: consultations meeting the check, of those judged.
	MetCount *int `json:"metCount,omitempty"`
	Of       *int `json:"of,omitempty"`
}

type scorecardDimensionOut struct {
	Key    string              `json:"key"`
	Checks []scorecardCheckOut `json:"checks"`
	Met    int                 `json:"met"`
	Of     int                 `json:"of"`
}

// scorecardOut is the Lundy scorecard JSON of the national reporting contract. A roll-up has
// consultations (their number) and items (each consultation's dimensions, briefly).
type scorecardOut struct {
	Consultation  *scorecardConsultationOut `json:"consultation,omitempty"`
	Consultations *int                      `json:"consultations,omitempty"`
	Dimensions    []scorecardDimensionOut   `json:"dimensions"`
	Items         []scorecardOut            `json:"items,omitempty"`
}

func toScorecardOut(card *voci.LundyScorecard, lang voci.Lang, rollUp bool) scorecardOut {
	out := scorecardOut{Dimensions: make([]scorecardDimensionOut, 0, len(card.Dimensions))}
	if card.Consultation != nil {
		read := card.Consultation.In(card.Consultation.ContentLang(string(lang)))
		out.Consultation = &scorecardConsultationOut{ID: card.Consultation.ID, Title: read.Title}
	}
	if rollUp {
		n := card.Consultations
		out.Consultations = &n
	}
	for _, d := range card.Dimensions {
		dim := scorecardDimensionOut{Key: d.Key, Met: d.Met, Of: d.Of, Checks: make([]scorecardCheckOut, 0, len(d.Checks))}
		for _, ch := range d.Checks {
			o := scorecardCheckOut{Key: ch.Key, Met: ch.Met, Source: ch.Source, Evidence: ch.Evidence}
			if rollUp {
				metCount, of := ch.MetCount, ch.Of
				o.MetCount, o.Of = &metCount, &of
			}
			dim.Checks = append(dim.Checks, o)
		}
		out.Dimensions = append(out.Dimensions, dim)
	}
	return out
}

func (s *Server) lundy() *voci.Lundy {
	return &voci.Lundy{Store: s.Store, Clock: s.Clock}
}

// handleConsultationScorecard answers a consultation's Lundy scorecard, its sentences in
// ?lang (Romanian by default).
func (s *Server) handleConsultationScorecard() fiber.Handler {
	return func(c *fiber.Ctx) error {
		lang := voci.ParseLang(c.Query("lang"))
		card, err := s.lundy().ConsultationScorecard(c.UserContext(), sirutaOf(c), c.Params("id"), lang)
		if err != nil {
			return err
		}
		return c.JSON(toScorecardOut(card, lang, false))
	}
}

// handleMunicipalityScorecard answers the roll-up of the municipality's opened consultations,
// with each one's dimensions.
func (s *Server) handleMunicipalityScorecard() fiber.Handler {
	return func(c *fiber.Ctx) error {
		lang := voci.ParseLang(c.Query("lang"))
		siruta := sirutaOf(c)
		if _, err := s.Store.FindMunicipalityBySIRUTA(c.UserContext(), siruta); err != nil {
			return err
		}
		roll, cards, err := s.lundy().MunicipalityScorecard(c.UserContext(), siruta, lang)
		if err != nil {
			return err
		}
		out := toScorecardOut(roll, lang, true)
		out.Items = make([]scorecardOut, 0, len(cards))
		for i := range cards {
			item := toScorecardOut(&cards[i], lang, false)
			for j := range item.Dimensions {
				item.Dimensions[j].Checks = []scorecardCheckOut{}
			}
			out.Items = append(out.Items, item)
		}
		return c.JSON(out)
	}
}
