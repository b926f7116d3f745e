package httpapi

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/report"
	"github.com/voci-platform/voci/internal/voci"
)

// newExports builds the export queue on the report sources of deps (the stages table when
// none are given) with the report package's writers. Files go to Deps.ExportDir, or to
// exports/ in the data directory.
func newExports(s *Server) *voci.Exports {
	sources := s.Reports
	if sources == nil {
		sources = voci.ReportSources{}
	}
	if _, ok := sources["stages"]; !ok {
		sources["stages"] = &voci.StageReport{Store: s.Store, Clock: s.Clock}
	}
	if _, ok := sources["scorecard"]; !ok {
		sources["scorecard"] = s.lundy()
	}
	for _, table := range []string{"municipalities", "counties", "trends", "municipality"} {
		if _, ok := sources[table]; !ok {
			sources[table] = s.national
		}
	}
	s.Reports = sources
	dir := s.ExportDir
	if dir == "" && s.Config != nil {
		dir = filepath.Join(s.Config.DataDir, "exports")
	}
	e := voci.NewExports(s.Store, sources, report.Writer{}, dir, s.Clock)
	// Exports run below the live rooms: while children answer on this instance, one takes a
	// quarter of a core at most.
	e.Busy = func() bool { return s.Hub.Stats().Rooms > 0 }
	if s.Logger != nil {
		e.Logger = s.Logger
	}
	return e
}

// exportJSON is an export job as its owner sees it.
type exportJSON struct {
	ID         string     `json:"id"`
	Status     string     `json:"status"`
	Progress   float64    `json:"progress"`
	Table      string     `json:"table"`
	Format     string     `json:"format"`
	Period     string     `json:"period,omitempty"`
	Lang       string     `json:"lang"`
	County     int        `json:"county,omitempty"`
	Siruta     int        `json:"siruta,omitempty"`
	FileName   string     `json:"fileName"`
	CreatedAt  time.Time  `json:"createdAt"`
	FinishedAt *time.Time `json:"finishedAt,omitempty"`
	ExpiresAt  *time.Time `json:"expiresAt,omitempty"`
	Size       int64      `json:"size,omitempty"`
	// FileURL is where the file is downloaded, once it is done.
	FileURL string `json:"fileUrl,omitempty"`
	Error   string `json:"error,omitempty"`
}

func toExportJSON(j voci.ExportJob) exportJSON {
	out := exportJSON{ID: j.ID, Status: string(j.Status), Progress: j.Progress, Table: j.Request.Table, Format: string(j.Format),
		Period: j.Request.Period, Lang: string(j.Request.Lang), County: j.Request.County, Siruta: j.Request.Siruta,
		FileName: j.FileName, CreatedAt: j.CreatedAt, Size: j.Size, Error: j.Failure}
	if !j.FinishedAt.IsZero() {
		out.FinishedAt, out.ExpiresAt = &j.FinishedAt, &j.ExpiresAt
	}
	if j.Status == voci.ExportDone {
		out.FileURL = "/api/v1/exports/" + j.ID + "/file"
	}
	return out
}

// handleRequestExport queues an export and answers 202 with the job; its progress is read
// with GET /exports/:id.
func (s *Server) handleRequestExport() fiber.Handler {
	type request struct {
		Table     string `json:"table" validate:"required,max=64"`
		Format    string `json:"format" validate:"required,max=8"`
		Period    string `json:"period" validate:"max=32"`
		Lang      string `json:"lang" validate:"max=8"`
		County    int    `json:"county"`
		Siruta    int    `json:"siruta"`
		Indicator string `json:"indicator" validate:"max=128"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		job, err := s.exports.Request(c.UserContext(), principalOf(c).account, voci.ReportRequest{Table: req.Table, Period: req.Period,
			Lang: voci.Lang(req.Lang), County: req.County, Siruta: req.Siruta, Indicator: req.Indicator}, voci.ExportFormat(req.Format))
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderLocation, "/api/v1/exports/"+job.ID)
		return c.Status(fiber.StatusAccepted).JSON(toExportJSON(job))
	}
}

// handleListExports lists the caller's exports still kept, so that a page finds the ones
// under way after a reload or a restart.
func (s *Server) handleListExports() fiber.Handler {
	return func(c *fiber.Ctx) error {
		jobs, err := s.exports.List(c.UserContext(), principalOf(c).account)
		if err != nil {
			return err
		}
		out := make([]exportJSON, 0, len(jobs))
		for _, j := range jobs {
			out = append(out, toExportJSON(j))
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"exports": out})
	}
}

// handleGetExport shows the caller's export job; anybody else's is not found.
func (s *Server) handleGetExport() fiber.Handler {
	return func(c *fiber.Ctx) error {
		job, err := s.exports.Job(c.UserContext(), principalOf(c).account, c.Params("id"))
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(toExportJSON(job))
	}
}

// handleGetExportFile sends the finished file as an attachment named after its table,
// scope, period and language.
func (s *Server) handleGetExportFile() fiber.Handler {
	return func(c *fiber.Ctx) error {
		job, f, err := s.exports.File(c.UserContext(), principalOf(c).account, c.Params("id"))
		if err != nil {
			return err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return err
		}
		c.Set(fiber.HeaderContentType, job.Format.ContentType())
		c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, job.FileName))
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		// fasthttp closes the file once it is sent.
		return c.SendStream(f, int(fi.Size()))
	}
}

// openDataPerClient bounds the open data's downloads per client address in openDataWindow:
// anyone may download them without signing in, and each builds national tables, so a script
// downloading in a loop must not take the server's time from the children. The files change at
// most with a release or a stage, and are sent with a public cache lifetime.
const (
	openDataPerClient = 30
	openDataWindow    = time.Minute
)

// openDataResource is one CSV of the open data: a table of a report source, in every
// language's labels but always with its columns' keys as header.
type openDataResource struct {
	Name        string // the file is <Name>.csv
	Request     voci.ReportRequest
	Table       string // the table's Name among those the request returns
	Description string
	// Released, when set, is the kind of period whose latest published release the table
	// is of; the resource is listed only once such a release is published.
	Released voci.PeriodKind
	// Fields describe this resource's fields where the shared descriptions do not fit.
	Fields map[string]string
}

// openDataResources are the non-sensitive aggregates anyone may download: stages are not
// about children; the national tables of the latest published month, quarter and year hold
// activity counts and the release's children's figures, hidden cells with the one label.
var openDataResources = append([]openDataResource{
	{Name: "stages", Request: voci.ReportRequest{Table: "stages"}, Table: "stages",
		Description: "Every municipality enrolled in the Child Friendly Cities Initiative, with its county, CFCI stage and the day it reached it. Live: stages are not about children."},
	{Name: "stages-by-county", Request: voci.ReportRequest{Table: "stages"}, Table: "stagesByCounty",
		Description: "Enrolled municipalities per county and CFCI stage. Live: stages are not about children."},
}, releasedOpenData()...)

func releasedOpenData() []openDataResource {
	var out []openDataResource
	for _, kind := range voci.ReleaseKinds {
		out = append(out,
			openDataResource{Name: "municipalities-" + string(kind), Request: voci.ReportRequest{Table: "municipalities"}, Table: "municipalities", Released: kind,
				Description: fmt.Sprintf("Every municipality that is enrolled or had activity in the latest %s with a published release: its activity counts in that %s, and the children's figures of its latest release, with small and revealing cells hidden.", kind, kind),
				Fields:      map[string]string{"enrolled": "Whether the municipality is enrolled in the Child Friendly Cities Initiative (yes or no)."}},
			openDataResource{Name: "counties-" + string(kind), Request: voci.ReportRequest{Table: "counties"}, Table: "counties", Released: kind,
				Fields:      map[string]string{"countyCode": "The county's two-letter code (as on number plates); RO for the whole country.", "county": "The county's name; Romania for the whole country."},
				Description: fmt.Sprintf("Every county, and the whole country in the last row (code RO), in the latest %s with a published release: activity counts in that %s, and the children's figures of its latest release, with small and revealing cells hidden.", kind, kind)},
		)
	}
	return out
}

func findOpenData(name string) (openDataResource, bool) {
	for _, r := range openDataResources {
		if r.Name == name {
			return r, true
		}
	}
	return openDataResource{}, false
}

// openDataTable builds one resource's table in lang. A released resource's period is the
// latest of its kind with a published release; ENOTFOUND while there is none.
func (s *Server) openDataTable(c *fiber.Ctx, r openDataResource, lang voci.Lang) (voci.ReportTable, error) {
	req := r.Request
	req.Lang = lang
	if r.Released != "" {
		p, ok, err := s.national.LatestReleasedPeriod(c.UserContext(), r.Released)
		if err != nil {
			return voci.ReportTable{}, err
		}
		if !ok {
			return voci.ReportTable{}, voci.Errorf(voci.ENOTFOUND, "No %s's figures are released yet.", r.Released)
		}
		req.Period = p.ID
	}
	tables, err := s.Reports.ReportTables(c.UserContext(), req)
	if err != nil {
		return voci.ReportTable{}, err
	}
	for _, t := range tables {
		if t.Name == r.Table {
			if r.Released != "" {
				t = voci.OpenDataTable(t)
			}
			return t, nil
		}
	}
	return voci.ReportTable{}, voci.Errorf(voci.EINTERNAL, "open data %s: no table %s", r.Name, r.Table)
}

func openDataLang(c *fiber.Ctx) (voci.Lang, error) {
	switch l := c.Query("lang", "en"); l {
	case "ro", "en", "hu":
		return voci.Lang(l), nil
	}
	return "", voci.InvalidParam("lang", "The languages are ro, en and hu.")
}

// handleDataPackage describes the open data as a Frictionless Data Package: its licence,
// and each CSV with its fields' types and descriptions. Hidden cells and figures not yet
// recorded are declared as missing values, so that a number column stays a number column.
func (s *Server) handleDataPackage() fiber.Handler {
	type field struct {
		Name        string `json:"name"`
		Title       string `json:"title"`
		Type        string `json:"type"`
		Description string `json:"description"`
	}
	type schema struct {
		Fields        []field  `json:"fields"`
		MissingValues []string `json:"missingValues"`
	}
	type resource struct {
		Name        string `json:"name"`
		Path        string `json:"path"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Format      string `json:"format"`
		MediaType   string `json:"mediatype"`
		Encoding    string `json:"encoding"`
		Schema      schema `json:"schema"`
	}
	type license struct {
		Name  string `json:"name"`
		Path  string `json:"path"`
		Title string `json:"title"`
	}
	type pkg struct {
		Profile     string     `json:"profile"`
		Name        string     `json:"name"`
		Title       string     `json:"title"`
		Description string     `json:"description"`
		Licenses    []license  `json:"licenses"`
		Created     string     `json:"created"`
		Resources   []resource `json:"resources"`
	}
	return func(c *fiber.Ctx) error {
		lang, err := openDataLang(c)
		if err != nil {
			return err
		}
		missing := []string{""}
		for _, l := range []voci.Lang{voci.LangRO, voci.LangEN, voci.LangHU} {
			missing = append(missing, report.HiddenLabel(l), report.NotYetRecordedLabel(l))
		}
		out := pkg{Profile: "tabular-data-package", Name: "voci-cfci-romania",
			Title:       "Child Friendly Cities Initiative in Romania: open data from Voci",
			Description: "Non-sensitive aggregates of the municipalities taking part in the Child Friendly Cities Initiative. Figures derived from children are published only from frozen releases, with small and revealing cells hidden; every hidden cell carries the same label.",
			Licenses:    []license{{Name: "CC-BY-4.0", Path: "https://creativecommons.org/licenses/by/4.0/", Title: "Creative Commons Attribution 4.0"}},
			Created:     s.Clock().UTC().Format(time.RFC3339)}
		for _, r := range openDataResources {
			t, err := s.openDataTable(c, r, lang)
			if r.Released != "" && voci.ErrorCode(err) == voci.ENOTFOUND {
				continue // listed once its first release is published
			}
			if err != nil {
				return err
			}
			desc := r.Description
			if t.Release != "" {
				desc += " Release: " + t.Release + "."
			}
			res := resource{Name: r.Name, Path: r.Name + ".csv?lang=" + string(lang), Title: t.Title, Description: desc,
				Format: "csv", MediaType: "text/csv", Encoding: "utf-8-sig", Schema: schema{MissingValues: missing}}
			for _, col := range t.Columns {
				typ := "string"
				if col.Numeric {
					typ = "number"
				}
				desc := fieldDescription(r, col)
				res.Schema.Fields = append(res.Schema.Fields, field{Name: col.Key, Title: col.Label, Type: typ, Description: desc})
			}
			out.Resources = append(out.Resources, res)
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		return c.JSON(out)
	}
}

// fieldDescription says what a field of r holds: its own description, the shared one, or
// for an indicator its meaning and where it comes from.
func fieldDescription(r openDataResource, col voci.ReportColumn) string {
	if d, ok := r.Fields[col.Key]; ok {
		return d
	}
	if d, ok := fieldDescriptions[col.Key]; ok {
		return d
	}
	label := voci.IndicatorLabel(col.Key, voci.LangEN)
	switch {
	case voci.IsChildIndicator(col.Key):
		return label + ": children's figure from the period's latest published release (children who gave at least one answer in the period; group facts as recorded by facilitators). Hidden cells carry the hidden label, never a number."
	case col.Numeric:
		return label + ": activity in the period, counted from the platform's records; not about children. A figure whose source is not recorded yet carries the not-yet-recorded label, never 0."
	}
	return col.Label
}

// fieldDescriptions say what the open data's fields hold, beyond their titles.
var fieldDescriptions = map[string]string{
	"siruta":       "The municipality's SIRUTA code (Romania's classification of administrative units).",
	"municipality": "The municipality's name, without its legal prefix.",
	"kind":         "Municipality (municipiu), town (oraș) or commune (comună).",
	"county":       "The county's name.",
	"countyCode":   "The county's two-letter code (as on number plates).",
	"stage":        "The municipality's current CFCI stage.",
	"since":        "The day (YYYY-MM-DD) the municipality reached its current stage.",
	"enrolled":     "How many of the county's municipalities are enrolled.",
	"name":         "The municipality's name, as SIRUTA writes it.",
	"urban":        "Whether the municipality is urban (a municipiu or town) or rural (a commune).",
	"code":         "The county's two-letter code (as on number plates).",

	"municipalitiesEnrolled": "How many of the county's municipalities are enrolled in the Child Friendly Cities Initiative.",
}

// handleOpenDataCSV sends one open-data resource as CSV, headed by its fields' names.
func (s *Server) handleOpenDataCSV() fiber.Handler {
	return func(c *fiber.Ctx) error {
		name, ok := strings.CutSuffix(c.Params("resource"), ".csv")
		r, found := findOpenData(name)
		if !ok || !found {
			return voci.Errorf(voci.ENOTFOUND, "There is no such open-data file; datapackage.json lists them.")
		}
		lang, err := openDataLang(c)
		if err != nil {
			return err
		}
		t, err := s.openDataTable(c, r, lang)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := report.WriteCSV(c.UserContext(), &buf, t, lang, true, nil); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="voci-%s-%s.csv"`, r.Name, lang))
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		return c.Send(buf.Bytes())
	}
}
