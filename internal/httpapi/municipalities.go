package httpapi

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

type municipalityJSON struct {
	SIRUTA     int    `json:"siruta"`
	Name       string `json:"name"`
	County     string `json:"county"`
	CountyCode int    `json:"countyCode"`
	Kind       string `json:"kind"`
	Urban      bool   `json:"urban"`
	Enrolled   bool   `json:"enrolled"`
	// Stage is where the municipality stands in the initiative and StageSince (YYYY-MM-DD) the
	// day it got there; both null when it was never enrolled. Public: no notes, no people.
	Stage      *string `json:"stage"`
	StageSince *string `json:"stageSince"`
}

func toMunicipalityJSON(m *voci.Municipality) municipalityJSON {
	j := municipalityJSON{
		SIRUTA: m.SIRUTA, Name: m.Name, County: m.CountyName, CountyCode: m.CountyCode,
		Kind: string(m.Kind), Urban: m.Urban, Enrolled: m.Enrolled,
	}
	if m.Stage != voci.StageNone {
		stage, since := string(m.Stage), voci.FormatDate(m.StageSince)
		j.Stage, j.StageSince = &stage, &since
	}
	return j
}

func (s *Server) handleListCounties() fiber.Handler {
	type county struct {
		Code   int    `json:"code"`
		Name   string `json:"name"`
		Abbrev string `json:"abbrev"`
	}
	type response struct {
		Items []county `json:"items"`
	}
	return func(c *fiber.Ctx) error {
		counties, err := s.Store.ListCounties(c.UserContext())
		if err != nil {
			return err
		}
		resp := response{Items: make([]county, len(counties))}
		for i, k := range counties {
			resp.Items[i] = county{Code: k.Code, Name: k.Name, Abbrev: k.Abbrev}
		}
		return c.JSON(resp)
	}
}

func (s *Server) handleFindMunicipalities() fiber.Handler {
	type response struct {
		Items    []municipalityJSON `json:"items"`
		Total    int                `json:"total"`
		Page     int                `json:"page"`
		PageSize int                `json:"pageSize"`
	}
	return func(c *fiber.Ctx) error {
		page, err := intQuery(c, "page", 1, 1, 100000)
		if err != nil {
			return err
		}
		size, err := intQuery(c, "pageSize", 20, 1, voci.MaxPageSize)
		if err != nil {
			return err
		}
		filter := voci.MunicipalityFilter{Query: c.Query("q"), Offset: (page - 1) * size, Limit: size}
		if c.Query("county") != "" {
			county, err := intQuery(c, "county", 0, 1, 99)
			if err != nil {
				return err
			}
			filter.CountyCode = &county
		}
		if v := c.Query("enrolled"); v != "" {
			enrolled, err := strconv.ParseBool(v)
			if err != nil {
				return voci.InvalidParam("enrolled", "The parameter enrolled must be true or false.")
			}
			filter.Enrolled = &enrolled
		}
		if err := filter.Normalize(); err != nil {
			return err
		}
		found, total, err := s.Store.FindMunicipalities(c.UserContext(), filter)
		if err != nil {
			return err
		}
		resp := response{Items: make([]municipalityJSON, len(found)), Total: total, Page: page, PageSize: size}
		for i := range found {
			resp.Items[i] = toMunicipalityJSON(&found[i])
		}
		return c.JSON(resp)
	}
}

func (s *Server) handleGetMunicipality() fiber.Handler {
	return func(c *fiber.Ctx) error {
		siruta, err := strconv.Atoi(c.Params("siruta"))
		if err != nil || siruta <= 0 {
			return voci.InvalidParam("siruta", "A SIRUTA code is a positive whole number.")
		}
		m, err := s.Store.FindMunicipalityBySIRUTA(c.UserContext(), siruta)
		if err != nil {
			return err
		}
		return c.JSON(toMunicipalityJSON(m))
	}
}

// intQuery reads an optional whole-number query parameter within [min, max].
func intQuery(c *fiber.Ctx, name string, def, min, max int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		return 0, voci.InvalidParam(name, "The parameter %s must be a whole number from %d to %d.", name, min, max)
	}
	return n, nil
}
