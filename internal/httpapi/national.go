package httpapi

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// The national committee's indicators (voci.National): activity counts live, children's
// figures from the latest published release only. Every value is a cell: a number, or
// hidden, or not yet recorded, and nothing else tells a hidden cell apart.

// cellJSON is one indicator value. Value is null when hidden or not yet recorded.
type cellJSON struct {
	Value          *float64 `json:"value"`
	Hidden         bool     `json:"hidden,omitempty"`
	NotYetRecorded bool     `json:"notYetRecorded,omitempty"`
}

func toCellJSON(c voci.ReportCell) cellJSON {
	if c.Hidden || c.NotYetRecorded {
		return cellJSON{Hidden: c.Hidden, NotYetRecorded: c.NotYetRecorded}
	}
	return cellJSON{Value: c.Value}
}

func toCellsJSON(m map[string]voci.ReportCell) map[string]cellJSON {
	out := make(map[string]cellJSON, len(m))
	for k, c := range m {
		out[k] = toCellJSON(c)
	}
	return out
}

type periodJSON struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	From string `json:"from"`
	To   string `json:"to"`
}

func toPeriodJSON(p voci.Period) periodJSON {
	return periodJSON{ID: p.ID, Kind: string(p.Kind), From: voci.FormatDate(p.From), To: voci.FormatDate(p.To)}
}

type releaseRefJSON struct {
	ID        string    `json:"id"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
}

func toReleaseRefJSON(r *voci.Release) *releaseRefJSON {
	if r == nil {
		return nil
	}
	return &releaseRefJSON{ID: r.ID, Version: r.Version, CreatedAt: r.CreatedAt}
}

type countyRefJSON struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Code string `json:"code"`
}

type nationalMunicipalityJSON struct {
	SIRUTA     int                 `json:"siruta"`
	Name       string              `json:"name"`
	County     countyRefJSON       `json:"county"`
	Urban      bool                `json:"urban"`
	Stage      string              `json:"stage"`
	Enrolled   bool                `json:"enrolled"`
	Indicators map[string]cellJSON `json:"indicators,omitempty"`
}

func toNationalMunicipalityJSON(m *voci.Municipality, counties map[int]voci.County, cells map[string]voci.ReportCell) nationalMunicipalityJSON {
	c := counties[m.CountyCode]
	out := nationalMunicipalityJSON{SIRUTA: m.SIRUTA, Name: m.Name, County: countyRefJSON{ID: m.CountyCode, Name: m.CountyName, Code: c.Abbrev},
		Urban: m.Urban, Stage: string(m.Stage), Enrolled: m.Enrolled}
	if cells != nil {
		out.Indicators = toCellsJSON(cells)
	}
	return out
}

// countiesByCode reads the counties once per request, for their two-letter codes.
func (s *Server) countiesByCode(ctx context.Context) (map[int]voci.County, error) {
	list, err := s.Store.ListCounties(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int]voci.County, len(list))
	for _, k := range list {
		out[k.Code] = k
	}
	return out, nil
}

// periodOf reads ?period= or ?from=&to=.
func (s *Server) periodOf(c *fiber.Ctx) (voci.Period, error) {
	return s.national.ResolvePeriod(c.Query("period"), c.Query("from"), c.Query("to"))
}

// handleNationalMunicipalities is the table of every municipality of a period: the dashboard's
// main request. Its cells repeat a great deal (3,181 rows, most with no activity, and the
// youth council's cells not yet recorded in every row), so each column's most common cell is
// said once, in common, and left out of the rows that have it.
func (s *Server) handleNationalMunicipalities() fiber.Handler {
	type response struct {
		Period  periodJSON                 `json:"period"`
		AsOf    *time.Time                 `json:"asOf,omitempty"`
		Release *releaseRefJSON            `json:"release"`
		Common  map[string]cellJSON        `json:"common"`
		Items   []nationalMunicipalityJSON `json:"items"`
		Total   int                        `json:"total"`
	}
	kept := newKeptAnswers()
	return func(c *fiber.Ctx) error {
		p, err := s.periodOf(c)
		if err != nil {
			return err
		}
		f := voci.NationalFilter{Query: c.Query("q"), Stage: voci.Stage(c.Query("stage"))}
		if c.Query("county") != "" {
			if f.County, err = intQuery(c, "county", 0, 1, 99); err != nil {
				return err
			}
		}
		if v := c.Query("all"); v != "" {
			if f.All, err = strconv.ParseBool(v); err != nil {
				return voci.InvalidParam("all", "The parameter all must be 1 or 0.")
			}
		}
		request := fmt.Sprintf("county=%d stage=%q q=%q all=%t", f.County, f.Stage, f.Query, f.All)
		return s.sendNational(c, kept, request, p, func(ctx context.Context, asOf *time.Time) (any, error) {
			rows, rel, err := s.national.Municipalities(ctx, p, f)
			if err != nil {
				return nil, err
			}
			counties, err := s.countiesByCode(ctx)
			if err != nil {
				return nil, err
			}
			cells := make([]map[string]voci.ReportCell, len(rows))
			for i := range rows {
				cells[i] = rows[i].Indicators
			}
			common := commonCells(cells)
			resp := response{Period: toPeriodJSON(p), AsOf: asOf, Release: toReleaseRefJSON(rel), Common: toCellsJSON(common),
				Items: make([]nationalMunicipalityJSON, len(rows)), Total: len(rows)}
			for i := range rows {
				resp.Items[i] = toNationalMunicipalityJSON(&rows[i].Municipality, counties, nil)
				resp.Items[i].Indicators = toCellsBesides(rows[i].Indicators, common)
			}
			return resp, nil
		})
	}
}

// cellKey compares cells by what they say.
type cellKey struct {
	value                  float64
	number, hidden, notYet bool
}

func keyOfCell(c voci.ReportCell) cellKey {
	if c.Hidden || c.NotYetRecorded {
		return cellKey{hidden: c.Hidden, notYet: c.NotYetRecorded}
	}
	if c.Value != nil {
		return cellKey{value: *c.Value, number: true}
	}
	return cellKey{}
}

func (k cellKey) cell() voci.ReportCell {
	if k.number {
		return voci.NumberCell(k.value)
	}
	return voci.ReportCell{Hidden: k.hidden, NotYetRecorded: k.notYet}
}

// commonCells returns, for each indicator every row has, the cell most rows share (when at
// least two do). A row is then sent with only the cells that differ from its column's common
// one (toCellsBesides); an indicator a row lacks stays out of common, so reading a row over
// common gives back exactly its cells. Each row's cells are read once, in one pass.
func commonCells(rows []map[string]voci.ReportCell) map[string]voci.ReportCell {
	type tally struct {
		rows   int
		counts map[cellKey]int
	}
	tallies := map[string]*tally{}
	for _, row := range rows {
		for key, c := range row {
			t := tallies[key]
			if t == nil {
				t = &tally{counts: map[cellKey]int{}}
				tallies[key] = t
			}
			t.rows++
			t.counts[keyOfCell(c)]++
		}
	}
	common := map[string]voci.ReportCell{}
	for key, t := range tallies {
		if t.rows != len(rows) {
			continue
		}
		var best cellKey
		most := 0
		for k, n := range t.counts {
			// Ties go to the smaller value, then hidden before not recorded, so that one
			// table is always encoded alike.
			if n > most || (n == most && lessCell(k, best)) {
				best, most = k, n
			}
		}
		if most >= 2 {
			common[key] = best.cell()
		}
	}
	return common
}

// toCellsBesides encodes the cells of m that differ from common's.
func toCellsBesides(m, common map[string]voci.ReportCell) map[string]cellJSON {
	out := map[string]cellJSON{}
	for k, c := range m {
		if cc, ok := common[k]; ok && keyOfCell(cc) == keyOfCell(c) {
			continue
		}
		out[k] = toCellJSON(c)
	}
	return out
}

func lessCell(a, b cellKey) bool {
	if a.number != b.number {
		return a.number
	}
	if a.value != b.value {
		return a.value < b.value
	}
	return a.hidden && !b.hidden
}

func (s *Server) handleNationalCounties() fiber.Handler {
	type county struct {
		ID                     int                 `json:"id"`
		Name                   string              `json:"name"`
		Code                   string              `json:"code"`
		MunicipalitiesEnrolled int                 `json:"municipalitiesEnrolled"`
		Stages                 map[string]int      `json:"stages"`
		Indicators             map[string]cellJSON `json:"indicators"`
	}
	type national struct {
		Indicators map[string]cellJSON `json:"indicators"`
	}
	type response struct {
		Period   periodJSON      `json:"period"`
		AsOf     *time.Time      `json:"asOf,omitempty"`
		Release  *releaseRefJSON `json:"release"`
		Items    []county        `json:"items"`
		National national        `json:"national"`
	}
	kept := newKeptAnswers()
	return func(c *fiber.Ctx) error {
		p, err := s.periodOf(c)
		if err != nil {
			return err
		}
		return s.sendNational(c, kept, "counties", p, func(ctx context.Context, asOf *time.Time) (any, error) {
			rows, total, rel, err := s.national.Counties(ctx, p)
			if err != nil {
				return nil, err
			}
			resp := response{Period: toPeriodJSON(p), AsOf: asOf, Release: toReleaseRefJSON(rel), Items: make([]county, len(rows)),
				National: national{Indicators: toCellsJSON(total)}}
			for i, r := range rows {
				stages := make(map[string]int, len(r.Stages))
				for st, n := range r.Stages {
					stages[string(st)] = n
				}
				resp.Items[i] = county{ID: r.County.Code, Name: r.County.Name, Code: r.County.Abbrev, MunicipalitiesEnrolled: r.MunicipalitiesEnrolled,
					Stages: stages, Indicators: toCellsJSON(r.Indicators)}
			}
			return resp, nil
		})
	}
}

func (s *Server) handleNationalTrends() fiber.Handler {
	type point struct {
		Period string   `json:"period"`
		Cell   cellJSON `json:"cell"`
	}
	type response struct {
		Indicator string  `json:"indicator"`
		Kind      string  `json:"kind"`
		Points    []point `json:"points"`
	}
	return func(c *fiber.Ctx) error {
		kind := c.Query("kind", string(voci.PeriodQuarter))
		var county, siruta int
		var err error
		if c.Query("county") != "" {
			if county, err = intQuery(c, "county", 0, 1, 99); err != nil {
				return err
			}
		}
		if c.Query("siruta") != "" {
			if siruta, err = intQuery(c, "siruta", 0, 1, 999999); err != nil {
				return err
			}
		}
		indicator := c.Query("indicator", voci.IndChildrenReached)
		points, err := s.national.Trend(c.UserContext(), indicator, voci.PeriodKind(kind), county, siruta)
		if err != nil {
			return err
		}
		resp := response{Indicator: indicator, Kind: kind, Points: make([]point, len(points))}
		for i, p := range points {
			resp.Points[i] = point{Period: p.Period.ID, Cell: toCellJSON(p.Cell)}
		}
		return c.JSON(resp)
	}
}

func (s *Server) handleMunicipalityIndicators() fiber.Handler {
	type response struct {
		Period          periodJSON               `json:"period"`
		AsOf            *time.Time               `json:"asOf,omitempty"`
		Release         *releaseRefJSON          `json:"release"`
		Municipality    nationalMunicipalityJSON `json:"municipality"`
		Indicators      map[string]cellJSON      `json:"indicators"`
		ChildPopulation map[string]int           `json:"childPopulation"`
	}
	kept := newKeptAnswers()
	return func(c *fiber.Ctx) error {
		siruta, err := sirutaParam(c)
		if err != nil {
			return err
		}
		p, err := s.periodOf(c)
		if err != nil {
			return err
		}
		return s.sendNational(c, kept, strconv.Itoa(siruta), p, func(ctx context.Context, asOf *time.Time) (any, error) {
			row, rel, err := s.national.Municipality(ctx, siruta, p)
			if err != nil {
				return nil, err
			}
			counties, err := s.countiesByCode(ctx)
			if err != nil {
				return nil, err
			}
			pop := make(map[string]int, len(row.ChildPopulation))
			for b, n := range row.ChildPopulation {
				pop[string(b)] = n
			}
			return response{Period: toPeriodJSON(p), AsOf: asOf, Release: toReleaseRefJSON(rel),
				Municipality: toNationalMunicipalityJSON(&row.Municipality, counties, nil), Indicators: toCellsJSON(row.Indicators), ChildPopulation: pop}, nil
		})
	}
}
