package httpapi

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

var (
	// decisionRecorders record a municipality's council decisions.
	decisionRecorders = []voci.Role{voci.RoleCouncilMember, voci.RoleCoordinator}
	// decisionReaders read them: the recorders, the municipality's facilitators, and the
	// platform's admins and national committee.
	decisionReaders = []voci.Role{voci.RoleCouncilMember, voci.RoleCoordinator, voci.RoleFacilitator,
		voci.RolePlatformAdmin, voci.RoleNationalCommittee}
)

// pdfBodySlack is what a multipart upload carries beside the PDF.
const pdfBodySlack = 64 << 10

// isDecisionPDFUpload reports whether a request uploads a decision's PDF, which has its own
// body limit.
func isDecisionPDFUpload(method, path string) bool {
	return method == fiber.MethodPost && strings.HasPrefix(path, "/api/v1/municipalities/") && strings.HasSuffix(path, "/decision-files")
}

type voteJSON struct {
	For     int `json:"for" validate:"min=0,max=1000"`
	Against int `json:"against" validate:"min=0,max=1000"`
	Abstain int `json:"abstain" validate:"min=0,max=1000"`
	Absent  int `json:"absent" validate:"min=0,max=1000"`
}

type decisionLinkJSON struct {
	RecommendationID string `json:"recommendationId"`
	Response         string `json:"response"`
	Reasons          string `json:"reasons"`
	DeferredUntil    string `json:"deferredUntil"` // YYYY-MM-DD, "" for none
	PassedTo         string `json:"passedTo"`
	MergedWith       string `json:"mergedWith"`
}

// decisionContentJSON is a decision's content as the API takes and shows it. Dates are days.
type decisionContentJSON struct {
	Number         string             `json:"number"`
	Date           string             `json:"date"`
	Title          string             `json:"title"`
	Text           string             `json:"text"`
	Vote           voteJSON           `json:"vote"`
	Status         string             `json:"status"`
	PublicationURL string             `json:"publicationUrl"`
	PDFFileID      string             `json:"pdfFileId"`
	PDFSHA256      string             `json:"pdfSha256,omitempty"`
	Links          []decisionLinkJSON `json:"links" validate:"max=100"`
}

func parseDay(param, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, voci.InvalidParam(param, "Write the date as YYYY-MM-DD.")
	}
	return t, nil
}

func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func (j *decisionContentJSON) content() (voci.DecisionContent, error) {
	date, err := parseDay("date", j.Date)
	if err != nil {
		return voci.DecisionContent{}, err
	}
	c := voci.DecisionContent{Number: j.Number, Date: date, Title: j.Title, Text: j.Text,
		Vote:   voci.Vote{For: j.Vote.For, Against: j.Vote.Against, Abstain: j.Vote.Abstain, Absent: j.Vote.Absent},
		Status: voci.DecisionStatus(j.Status), PublicationURL: j.PublicationURL, PDFFileID: j.PDFFileID}
	for i, l := range j.Links {
		until, err := parseDay(fmt.Sprintf("links[%d].deferredUntil", i), l.DeferredUntil)
		if err != nil {
			return voci.DecisionContent{}, err
		}
		c.Links = append(c.Links, voci.DecisionLink{RecommendationID: l.RecommendationID, Response: voci.ResponseKind(l.Response),
			Reasons: l.Reasons, DeferredUntil: until, PassedTo: l.PassedTo, MergedWith: l.MergedWith})
	}
	return c, nil
}

func toContentJSON(c *voci.DecisionContent) decisionContentJSON {
	out := decisionContentJSON{Number: c.Number, Date: formatDay(c.Date), Title: c.Title, Text: c.Text,
		Vote:   voteJSON{For: c.Vote.For, Against: c.Vote.Against, Abstain: c.Vote.Abstain, Absent: c.Vote.Absent},
		Status: string(c.Status), PublicationURL: c.PublicationURL, PDFFileID: c.PDFFileID, PDFSHA256: c.PDFSHA256,
		Links: []decisionLinkJSON{}}
	for _, l := range c.Links {
		out.Links = append(out.Links, decisionLinkJSON{RecommendationID: l.RecommendationID, Response: string(l.Response),
			Reasons: l.Reasons, DeferredUntil: formatDay(l.DeferredUntil), PassedTo: l.PassedTo, MergedWith: l.MergedWith})
	}
	return out
}

type decisionVersionOut struct {
	Version    int                 `json:"version"`
	Seq        int                 `json:"seq"`
	Corrects   string              `json:"corrects"`
	RecordedBy string              `json:"recordedBy"`
	RecordedAt time.Time           `json:"recordedAt"`
	Hash       string              `json:"hash"`
	Content    decisionContentJSON `json:"content"`
}

type decisionEntryOut struct {
	Seq        int       `json:"seq"`
	Kind       string    `json:"kind"`
	Status     string    `json:"status,omitempty"`
	Date       string    `json:"date,omitempty"`
	Note       string    `json:"note"`
	Corrects   string    `json:"corrects,omitempty"`
	RecordedBy string    `json:"recordedBy"`
	RecordedAt time.Time `json:"recordedAt"`
	PrevHash   string    `json:"prevHash"`
	Hash       string    `json:"hash"`
}

type milestoneOut struct {
	Date string `json:"date"`
	Note string `json:"note"`
}

// decisionOut is a decision as the API shows it: the content that stands (current), its
// draft while it is one, its versions, every entry of its chain, and its milestones.
type decisionOut struct {
	ID           string               `json:"id"`
	Municipality int                  `json:"municipality"`
	Published    bool                 `json:"published"`
	PublishedAt  *time.Time           `json:"publishedAt"`
	Revision     int                  `json:"revision"`
	Status       string               `json:"status"`
	NextStatuses []string             `json:"nextStatuses"`
	Current      decisionContentJSON  `json:"current"`
	Versions     []decisionVersionOut `json:"versions"`
	Entries      []decisionEntryOut   `json:"entries"`
	Milestones   []milestoneOut       `json:"milestones"`
	HeadHash     string               `json:"headHash"`
	CreatedBy    string               `json:"createdBy"`
	CreatedAt    time.Time            `json:"createdAt"`
	UpdatedAt    time.Time            `json:"updatedAt"`
}

func toDecisionOut(d *voci.Decision) decisionOut {
	head, _ := d.Head()
	out := decisionOut{ID: d.ID, Municipality: d.Municipality, Published: d.Published, PublishedAt: optTime(d.PublishedAt),
		Revision: d.Revision, Status: string(d.Status()), Current: toContentJSON(d.Current()), Versions: []decisionVersionOut{},
		Entries: []decisionEntryOut{}, Milestones: []milestoneOut{}, HeadHash: head, CreatedBy: d.CreatedBy,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, NextStatuses: []string{}}
	if d.Published {
		for _, st := range d.NextStatuses() {
			out.NextStatuses = append(out.NextStatuses, string(st))
		}
	}
	for _, e := range d.Entries {
		out.Entries = append(out.Entries, decisionEntryOut{Seq: e.Seq, Kind: string(e.Kind), Status: string(e.Status),
			Date: formatDay(e.Date), Note: e.Note, Corrects: e.Corrects, RecordedBy: e.RecordedBy, RecordedAt: e.RecordedAt,
			PrevHash: e.PrevHash, Hash: e.Hash})
		if e.Kind == voci.EntryVersion && e.Content != nil {
			out.Versions = append(out.Versions, decisionVersionOut{Version: len(out.Versions) + 1, Seq: e.Seq, Corrects: e.Corrects,
				RecordedBy: e.RecordedBy, RecordedAt: e.RecordedAt, Hash: e.Hash, Content: toContentJSON(e.Content)})
		}
	}
	for _, m := range d.Milestones() {
		out.Milestones = append(out.Milestones, milestoneOut{Date: formatDay(m.Date), Note: m.Note})
	}
	return out
}

// decisionIn loads the decision named by :did, answering 404 when it belongs to another
// municipality than the route's.
func (s *Server) decisionIn(c *fiber.Ctx) (*voci.Decision, error) {
	d, err := s.Store.FindDecision(c.UserContext(), c.Params("did"))
	if err != nil {
		return nil, err
	}
	if d.Municipality != sirutaOf(c) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such decision.")
	}
	return d, nil
}

// decisionAudit makes the audit entry of a change of a decision; its detail carries the head
// hash after the change, so that the audit trail anchors the chain too.
func (s *Server) decisionAudit(c *fiber.Ctx, action string) voci.AuditOf[voci.Decision] {
	return func(d *voci.Decision) *voci.AuditEntry {
		c2 := d.Current()
		head, _ := d.Head()
		detail := "HCL " + c2.Number
		if head != "" {
			detail += ", hash " + head
		}
		return s.changeAudit(c, action, "decision", d.ID, detail)
	}
}

type decisionSummaryOut struct {
	ID          string     `json:"id"`
	Number      string     `json:"number"`
	Date        string     `json:"date"`
	Title       string     `json:"title"`
	Status      string     `json:"status"`
	Published   bool       `json:"published"`
	Versions    int        `json:"versions"`
	Links       int        `json:"links"`
	UpdatedAt   time.Time  `json:"updatedAt"`
	PublishedAt *time.Time `json:"publishedAt"`
}

func (s *Server) handleListDecisions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ds, err := s.Store.ListDecisions(c.UserContext(), sirutaOf(c))
		if err != nil {
			return err
		}
		out := []decisionSummaryOut{}
		for _, d := range ds {
			cur := d.Current()
			out = append(out, decisionSummaryOut{ID: d.ID, Number: cur.Number, Date: formatDay(cur.Date), Title: cur.Title,
				Status: string(d.Status()), Published: d.Published, Versions: d.VersionCount(), Links: len(cur.Links),
				UpdatedAt: d.UpdatedAt, PublishedAt: optTime(d.PublishedAt)})
		}
		return c.JSON(fiber.Map{"decisions": out})
	}
}

func (s *Server) handleCreateDecision() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req decisionContentJSON
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		content, err := req.content()
		if err != nil {
			return err
		}
		d, err := s.Decisions.CreateDraft(c.UserContext(), sirutaOf(c), principalOf(c).account.ID, content, s.decisionAudit(c, "decision.create"))
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toDecisionOut(d))
	}
}

func (s *Server) handleGetDecision() fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := s.decisionIn(c)
		if err != nil {
			return err
		}
		return c.JSON(toDecisionOut(d))
	}
}

// handleUpdateDecision edits a draft. A published decision is never edited: the answer says
// to add a correction.
func (s *Server) handleUpdateDecision() fiber.Handler {
	type request struct {
		Revision int `json:"revision" validate:"min=1"`
		decisionContentJSON
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		d, err := s.decisionIn(c)
		if err != nil {
			return err
		}
		content, err := req.content()
		if err != nil {
			return err
		}
		d, err = s.Decisions.UpdateDraft(c.UserContext(), d, req.Revision, content, s.decisionAudit(c, "decision.update"))
		if err != nil {
			return err
		}
		return c.JSON(toDecisionOut(d))
	}
}

func (s *Server) handlePublishDecision() fiber.Handler {
	type request struct {
		Revision int `json:"revision" validate:"min=1"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		d, err := s.decisionIn(c)
		if err != nil {
			return err
		}
		d, err = s.Decisions.Publish(c.UserContext(), d, req.Revision, principalOf(c).account.ID, s.decisionAudit(c, "decision.publish"))
		if err != nil {
			return err
		}
		return c.JSON(toDecisionOut(d))
	}
}

func (s *Server) handleCorrectDecision() fiber.Handler {
	type request struct {
		Corrects string `json:"corrects"`
		decisionContentJSON
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		d, err := s.decisionIn(c)
		if err != nil {
			return err
		}
		content, err := req.content()
		if err != nil {
			return err
		}
		d, err = s.Decisions.Correct(c.UserContext(), d, content, req.Corrects, principalOf(c).account.ID, s.decisionAudit(c, "decision.correct"))
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toDecisionOut(d))
	}
}

func (s *Server) handleDecisionStatus() fiber.Handler {
	type request struct {
		Status string `json:"status"`
		Date   string `json:"date"`
		Note   string `json:"note"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		d, err := s.decisionIn(c)
		if err != nil {
			return err
		}
		date, err := parseDay("date", req.Date)
		if err != nil {
			return err
		}
		d, err = s.Decisions.RecordStatus(c.UserContext(), d, voci.DecisionStatus(req.Status), date, req.Note, principalOf(c).account.ID, s.decisionAudit(c, "decision.status"))
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toDecisionOut(d))
	}
}

func (s *Server) handleDecisionMilestone() fiber.Handler {
	type request struct {
		Date string `json:"date"`
		Note string `json:"note"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		d, err := s.decisionIn(c)
		if err != nil {
			return err
		}
		date, err := parseDay("date", req.Date)
		if err != nil {
			return err
		}
		d, err = s.Decisions.AddMilestone(c.UserContext(), d, date, req.Note, principalOf(c).account.ID, s.decisionAudit(c, "decision.milestone"))
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(toDecisionOut(d))
	}
}

// handleVerifyDecision recomputes the decision's chain and says whether every entry still
// matches its hash; a row changed in the store behind Voci's back does not.
func (s *Server) handleVerifyDecision() fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := s.decisionIn(c)
		if err != nil {
			return err
		}
		v := voci.VerifyDecisionChain(d)
		return c.JSON(fiber.Map{"ok": v.OK(), "entries": v.Entries, "headHash": v.HeadHash, "brokenAt": v.BrokenAt, "reason": v.Reason})
	}
}

// handleUploadDecisionPDF takes a decision's text as the multipart/form-data field "pdf",
// checks by its content that it is a PDF, and stores it; its fileId goes into a draft or a
// correction.
func (s *Server) handleUploadDecisionPDF() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
			return voci.Errorf(codeUnsupportedMediaType, "Send the PDF as multipart/form-data, in the field \"pdf\".")
		}
		fh, err := c.FormFile("pdf")
		if err != nil {
			return voci.InvalidParam("pdf", "Choose a PDF to send.")
		}
		if fh.Size > voci.MaxDecisionPDFBytes {
			return voci.Errorf(voci.EPDFTOOLARGE, "The PDF is larger than %d MB. Make it smaller and send it again.", voci.MaxDecisionPDFBytes>>20)
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(f, voci.MaxDecisionPDFBytes+1))
		f.Close()
		if err != nil {
			return err
		}
		file, err := s.Decisions.StorePDF(c.UserContext(), sirutaOf(c), data)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"fileId": file.ID, "size": file.Size})
	}
}

// handleGetDecisionPDF serves a decision text of the municipality; files never change.
func (s *Server) handleGetDecisionPDF() fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, data, err := voci.ReadFile(c.UserContext(), s.Store, c.Params("file"))
		if err != nil {
			return err
		}
		if f.Purpose != voci.FileDecisionPDF || f.Municipality != sirutaOf(c) {
			return voci.Errorf(voci.ENOTFOUND, "No such file.")
		}
		c.Set(fiber.HeaderContentType, "application/pdf")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+f.ID+`.pdf"`)
		c.Set(fiber.HeaderCacheControl, "private, max-age=31536000, immutable")
		return c.Send(data)
	}
}

// handleListDecisionRecommendations lists the municipality's recommendations a decision may
// answer, saying which no published decision answers yet.
func (s *Server) handleListDecisionRecommendations() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		recs, err := s.Store.ListRecommendations(ctx, voci.RecommendationFilter{Municipality: sirutaOf(c)})
		if err != nil {
			return err
		}
		waiting, err := s.Decisions.RecommendationsAwaitingDecision(ctx, sirutaOf(c))
		if err != nil {
			return err
		}
		open := map[string]bool{}
		for _, r := range waiting {
			open[r.ID] = true
		}
		out := []recommendationOut{}
		for _, r := range recs {
			out = append(out, toRecommendationOut(r).awaiting(open[r.ID]))
		}
		return c.JSON(fiber.Map{"recommendations": out})
	}
}

// ---- traceability

type cellOut struct {
	Name       string `json:"name,omitempty"`
	Count      *int   `json:"count"`
	Suppressed bool   `json:"suppressed"`
}

func toCellOut(name string, c voci.Cell) cellOut {
	if c.Suppressed {
		return cellOut{Name: name, Suppressed: true}
	}
	n := c.N
	return cellOut{Name: name, Count: &n}
}

type reachOut struct {
	ConsultationID string    `json:"consultationId"`
	Title          string    `json:"title"`
	Children       cellOut   `json:"children"`
	AgeBands       []cellOut `json:"ageBands"`
	Channels       []cellOut `json:"channels"`
}

func toReachOut(r *voci.ConsultationReach) *reachOut {
	if r == nil {
		return nil
	}
	out := &reachOut{ConsultationID: r.ConsultationID, Title: r.Title, Children: toCellOut("", r.Children), AgeBands: []cellOut{}, Channels: []cellOut{}}
	for _, b := range r.AgeBands {
		out.AgeBands = append(out.AgeBands, toCellOut(b.Name, b.Cell))
	}
	for _, ch := range r.Channels {
		out.Channels = append(out.Channels, toCellOut(ch.Name, ch.Cell))
	}
	return out
}

type traceRecommendationOut struct {
	Recommendation recommendationOut `json:"recommendation"`
	// ThemeTitles are the titles of the recommendation's themes, in its themeIds' order.
	ThemeTitles  []string         `json:"themeTitles"`
	Link         decisionLinkJSON `json:"link"`
	Consultation *reachOut        `json:"consultation"`
}

type decisionTraceOut struct {
	Decision        decisionOut              `json:"decision"`
	Recommendations []traceRecommendationOut `json:"recommendations"`
}

func (s *Server) decisionTrace(c *fiber.Ctx) (*decisionTraceOut, error) {
	d, err := s.decisionIn(c)
	if err != nil {
		return nil, err
	}
	t, err := s.Decisions.TraceDecision(c.UserContext(), d)
	if err != nil {
		return nil, err
	}
	out := &decisionTraceOut{Decision: toDecisionOut(d), Recommendations: []traceRecommendationOut{}}
	for _, r := range t.Recommendations {
		l := r.Link
		out.Recommendations = append(out.Recommendations, traceRecommendationOut{Recommendation: toRecommendationOut(r.Recommendation), ThemeTitles: append([]string{}, r.ThemeTitles...),
			Link: decisionLinkJSON{RecommendationID: l.RecommendationID, Response: string(l.Response), Reasons: l.Reasons,
				DeferredUntil: formatDay(l.DeferredUntil), PassedTo: l.PassedTo, MergedWith: l.MergedWith},
			Consultation: toReachOut(r.Consultation)})
	}
	return out, nil
}

func (s *Server) handleDecisionTrace() fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := s.decisionTrace(c)
		if err != nil {
			return err
		}
		if c.Query("download") != "" {
			c.Set(fiber.HeaderContentDisposition, `attachment; filename="voci-decision-trace-`+out.Decision.ID+`.json"`)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(out)
	}
}

// traceColumns are the columns of both traceability exports: one row per step of the chain.
var traceColumns = []string{"step", "decision_id", "decision_number", "decision_title", "recommendation_id", "recommendation_title",
	"theme_ids", "theme_titles", "consultation_id", "consultation_title", "measure", "group", "count", "suppressed", "response", "detail", "date", "hash"}

type traceCSV struct {
	w *csv.Writer
}

func newTraceCSV(buf *bytes.Buffer) *traceCSV {
	buf.WriteString("\ufeff") // a BOM, so that spreadsheet programs read UTF-8 (ă, ș, ő)
	t := &traceCSV{w: csv.NewWriter(buf)}
	t.w.Write(csvRow(append([]string(nil), traceColumns...)...))
	return t
}

// row writes named cells into their columns; every cell goes through the formula guard.
func (t *traceCSV) row(cells map[string]string) {
	out := make([]string, len(traceColumns))
	for i, col := range traceColumns {
		out[i] = cells[col]
	}
	t.w.Write(csvRow(out...))
}

func (t *traceCSV) reach(base map[string]string, r *reachOut) {
	with := func(extra map[string]string) map[string]string { return mergeCells(base, extra) }
	cell := func(c cellOut) (string, string) {
		if c.Count == nil {
			return "", "true"
		}
		return strconv.Itoa(*c.Count), "false"
	}
	n, sup := cell(r.Children)
	t.row(with(map[string]string{"step": "consultation", "measure": "children", "group": "all", "count": n, "suppressed": sup}))
	for _, b := range r.AgeBands {
		n, sup := cell(b)
		t.row(with(map[string]string{"step": "consultation", "measure": "age_band", "group": b.Name, "count": n, "suppressed": sup}))
	}
	for _, ch := range r.Channels {
		n, sup := cell(ch)
		t.row(with(map[string]string{"step": "consultation", "measure": "channel", "group": ch.Name, "count": n, "suppressed": sup}))
	}
}

func linkDetail(l decisionLinkJSON) string {
	parts := []string{}
	for _, p := range []string{l.Reasons, l.DeferredUntil, l.PassedTo, l.MergedWith} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
}

func (s *Server) handleDecisionTraceCSV() fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := s.decisionTrace(c)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		t := newTraceCSV(&buf)
		d := out.Decision
		dec := map[string]string{"decision_id": d.ID, "decision_number": d.Current.Number, "decision_title": d.Current.Title}
		for _, r := range out.Recommendations {
			rec := mergeCells(dec, map[string]string{"recommendation_id": r.Recommendation.ID, "recommendation_title": r.Recommendation.Title,
				"theme_ids": strings.Join(r.Recommendation.ThemeIDs, " "), "theme_titles": strings.Join(r.ThemeTitles, "; ")})
			if r.Consultation != nil {
				rec["consultation_id"], rec["consultation_title"] = r.Consultation.ConsultationID, r.Consultation.Title
				t.reach(rec, r.Consultation)
			}
			t.row(mergeCells(rec, map[string]string{"step": "recommendation", "response": r.Link.Response, "detail": linkDetail(r.Link)}))
		}
		writeDecisionEntries(t, dec, d)
		t.w.Flush()
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="voci-decision-trace-`+d.ID+`.csv"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(buf.Bytes())
	}
}

func writeDecisionEntries(t *traceCSV, dec map[string]string, d decisionOut) {
	for _, e := range d.Entries {
		row := mergeCells(dec, map[string]string{"step": e.Kind, "date": e.Date, "hash": e.Hash, "detail": e.Note})
		switch e.Kind {
		case string(voci.EntryVersion):
			row["detail"], row["date"] = e.Corrects, e.RecordedAt.UTC().Format(time.DateOnly)
		case string(voci.EntryStatus):
			row["response"] = e.Status
		}
		t.row(row)
	}
}

type consultationTraceItemOut struct {
	Recommendation recommendationOut   `json:"recommendation"`
	Decisions      []linkedDecisionOut `json:"decisions"`
}

type linkedDecisionOut struct {
	DecisionID     string           `json:"decisionId"`
	Version        int              `json:"version"`
	Number         string           `json:"number"`
	Date           string           `json:"date"`
	Title          string           `json:"title"`
	Status         string           `json:"status"`
	Link           decisionLinkJSON `json:"link"`
	PublicationURL string           `json:"publicationUrl"`
	Milestones     []milestoneOut   `json:"milestones"`
}

type consultationTraceOut struct {
	Consultation    *reachOut                  `json:"consultation"`
	Recommendations []consultationTraceItemOut `json:"recommendations"`
}

func (s *Server) consultationTrace(c *fiber.Ctx) (*consultationTraceOut, error) {
	cons, err := s.consultationIn(c)
	if err != nil {
		return nil, err
	}
	t, err := s.Decisions.TraceConsultation(c.UserContext(), cons)
	if err != nil {
		return nil, err
	}
	out := &consultationTraceOut{Consultation: toReachOut(&t.Reach), Recommendations: []consultationTraceItemOut{}}
	for _, item := range t.Recommendations {
		it := consultationTraceItemOut{Recommendation: toRecommendationOut(item.Recommendation).awaiting(len(item.Decisions) == 0), Decisions: []linkedDecisionOut{}}
		for _, d := range item.Decisions {
			ld := linkedDecisionOut{DecisionID: d.DecisionID, Version: d.Version, Number: d.Number, Date: formatDay(d.Date), Title: d.Title,
				Status: d.Status, PublicationURL: d.PublicationURL, Milestones: []milestoneOut{},
				Link: decisionLinkJSON{RecommendationID: item.Recommendation.ID, Response: d.Response, Reasons: d.Reasons,
					DeferredUntil: formatDay(d.DeferredUntil), PassedTo: d.PassedTo, MergedWith: d.MergedWith}}
			for _, m := range d.Milestones {
				ld.Milestones = append(ld.Milestones, milestoneOut{Date: formatDay(m.Date), Note: m.Note})
			}
			it.Decisions = append(it.Decisions, ld)
		}
		out.Recommendations = append(out.Recommendations, it)
	}
	return out, nil
}

func (s *Server) handleConsultationTrace() fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := s.consultationTrace(c)
		if err != nil {
			return err
		}
		if c.Query("download") != "" {
			c.Set(fiber.HeaderContentDisposition, `attachment; filename="voci-consultation-trace-`+out.Consultation.ConsultationID+`.json"`)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(out)
	}
}

func (s *Server) handleConsultationTraceCSV() fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := s.consultationTrace(c)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		t := newTraceCSV(&buf)
		cons := map[string]string{"consultation_id": out.Consultation.ConsultationID, "consultation_title": out.Consultation.Title}
		t.reach(cons, out.Consultation)
		for _, item := range out.Recommendations {
			rec := map[string]string{"recommendation_id": item.Recommendation.ID, "recommendation_title": item.Recommendation.Title,
				"theme_ids": strings.Join(item.Recommendation.ThemeIDs, " ")}
			for k, v := range cons {
				rec[k] = v
			}
			t.row(mergeCells(rec, map[string]string{"step": "recommendation"}))
			for _, d := range item.Decisions {
				dec := mergeCells(rec, map[string]string{"decision_id": d.DecisionID, "decision_number": d.Number, "decision_title": d.Title})
				t.row(mergeCells(dec, map[string]string{"step": "decision", "response": d.Link.Response, "detail": linkDetail(d.Link), "date": d.Date, "group": d.Status}))
				for _, m := range d.Milestones {
					t.row(mergeCells(dec, map[string]string{"step": "milestone", "detail": m.Note, "date": m.Date}))
				}
			}
		}
		t.w.Flush()
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="voci-consultation-trace-`+out.Consultation.ConsultationID+`.csv"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(buf.Bytes())
	}
}

func mergeCells(a, b map[string]string) map[string]string {
	m := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}
