package httpapi

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/frontend"
	"github.com/voci-platform/voci/internal/voci"
)

// maxAuditExport bounds one CSV export; a wider one is refused with a request to narrow it.
const maxAuditExport = 50_000

// auditExportTimeout bounds how long one export may keep reading the store.
const auditExportTimeout = 2 * time.Minute

// auditQuery reads the audit trail's filters (municipality, actor, action, from, to) and
// narrows them to what the caller may see: platform-wide roles see everything, a coordinator
// only the municipalities they coordinate, and asking for another municipality is answered
// as not found. nothing is true when the filter cannot match (an actor email without an
// account), so that the caller answers with no entries without asking the store.
func (s *Server) auditQuery(c *fiber.Ctx) (f voci.AuditFilter, nothing bool, err error) {
	ctx := c.UserContext()
	acct := principalOf(c).account
	platformWide := acct.HasRole(voci.RolePlatformAdmin, 0) || acct.HasRole(voci.RoleNationalCommittee, 0)

	var own []int
	if !platformWide {
		own = []int{}
		for _, g := range acct.Roles {
			if g.Role == voci.RoleCoordinator {
				own = append(own, g.Municipality)
			}
		}
	}
	if v := c.Query("municipality"); v != "" {
		siruta, err := strconv.Atoi(v)
		if err != nil || siruta <= 0 {
			return f, false, voci.InvalidParam("municipality", "The parameter municipality must be a SIRUTA code, a positive whole number.")
		}
		if !platformWide && !mayActFor(acct, siruta, voci.RoleCoordinator) {
			return f, false, voci.Errorf(voci.ENOTFOUND, "There is no audit trail for municipality %d that you may see.", siruta)
		}
		if _, err := s.Store.FindMunicipalityBySIRUTA(ctx, siruta); err != nil {
			return f, false, err
		}
		f.Municipalities = []int{siruta}
	} else {
		f.Municipalities = own // nil for platform-wide roles: every municipality
	}

	if v := strings.TrimSpace(c.Query("actor")); v != "" {
		if strings.Contains(v, "@") {
			email, err := voci.NormalizeEmail(v)
			if err != nil {
				return f, false, voci.InvalidParam("actor", "The parameter actor must be an email address or an account ID.")
			}
			a, err := s.Store.FindAccountByEmail(ctx, email)
			switch voci.ErrorCode(err) {
			case "":
				f.ActorID = a.ID
			case voci.ENOTFOUND:
				nothing = true
			default:
				return f, false, err
			}
		} else {
			f.ActorID = v
		}
	}
	f.Action = c.Query("action")
	if f.From, err = timeQuery(c, "from", false); err != nil {
		return f, false, err
	}
	if f.Until, err = timeQuery(c, "to", true); err != nil {
		return f, false, err
	}
	return f, nothing, nil
}

// timeQuery reads an instant (RFC 3339) or a calendar day (YYYY-MM-DD, a day in Romania).
// A day as the end of a period includes the whole day.
func timeQuery(c *fiber.Ctx, name string, end bool) (*time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		t = t.UTC()
		return &t, nil
	}
	d, err := voci.ParseDate(name, v)
	if err != nil {
		return nil, voci.InvalidParam(name, "The parameter %s must be a date (YYYY-MM-DD) or a time (RFC 3339, e.g. 2025-10-06T09:30:00Z).", name)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	t := voci.StartOfDay(d)
	return &t, nil
}

// auditEntryJSON is one entry of the audit trail.
type auditEntryJSON struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	ActorEmail string    `json:"actorEmail"`
	ActorRole  string    `json:"actorRole"`
	// Municipality is null for platform-wide changes (a sign-in, say).
	Municipality     *int   `json:"municipality"`
	MunicipalityName string `json:"municipalityName,omitempty"`
	Action           string `json:"action"`
	ObjectType       string `json:"objectType"`
	ObjectID         string `json:"objectId"`
	// ObjectName is the object in words (a consultation's title, a person the reader may see);
	// empty when it has none for this reader (voci.AuditObjectNamer).
	ObjectName string `json:"objectName,omitempty"`
	RequestID  string `json:"requestId"`
	Detail     string `json:"detail"`
}

// municipalityNames looks names up once per municipality for a run of entries.
type municipalityNames struct {
	store voci.MunicipalityStore
	names map[int]string
}

func (n *municipalityNames) name(ctx context.Context, siruta int) (string, error) {
	if siruta == 0 {
		return "", nil
	}
	if name, ok := n.names[siruta]; ok {
		return name, nil
	}
	m, err := n.store.FindMunicipalityBySIRUTA(ctx, siruta)
	if err != nil && voci.ErrorCode(err) != voci.ENOTFOUND {
		return "", err
	}
	if m != nil {
		n.names[siruta] = m.Name
	} else {
		n.names[siruta] = ""
	}
	return n.names[siruta], nil
}

func (s *Server) handleListAudit() fiber.Handler {
	type response struct {
		Items    []auditEntryJSON `json:"items"`
		Total    int              `json:"total"`
		Page     int              `json:"page"`
		PageSize int              `json:"pageSize"`
	}
	return func(c *fiber.Ctx) error {
		page, err := intQuery(c, "page", 1, 1, 100000)
		if err != nil {
			return err
		}
		size, err := intQuery(c, "pageSize", 50, 1, voci.MaxPageSize)
		if err != nil {
			return err
		}
		f, nothing, err := s.auditQuery(c)
		if err != nil {
			return err
		}
		f.Offset, f.Limit = (page-1)*size, size
		if err := f.Normalize(); err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		resp := response{Items: []auditEntryJSON{}, Page: page, PageSize: size}
		if nothing {
			return c.JSON(resp)
		}
		entries, total, err := s.Store.FindAudit(c.UserContext(), f)
		if err != nil {
			return err
		}
		resp.Total = total
		names := &municipalityNames{store: s.Store, names: map[int]string{}}
		objects := voci.NewAuditObjectNamer(s.Store, principalOf(c).account)
		for _, e := range entries {
			j := auditEntryJSON{
				ID: e.ID, At: e.At.UTC(), ActorEmail: e.ActorEmail, ActorRole: string(e.ActorRole), Action: e.Action,
				ObjectType: e.ObjectType, ObjectID: e.ObjectID, RequestID: e.RequestID, Detail: e.Detail,
			}
			if j.ObjectName, err = objects.Name(c.UserContext(), &e); err != nil {
				return err
			}
			if e.Municipality != 0 {
				m := e.Municipality
				j.Municipality = &m
				if j.MunicipalityName, err = names.name(c.UserContext(), m); err != nil {
					return err
				}
			}
			resp.Items = append(resp.Items, j)
		}
		return c.JSON(resp)
	}
}

// auditCSVHeader is the first row of an export. Its names stay the same in every language,
// for programs that read the file; the action and the kind of object come twice, as the
// code (for programs) and in words in the reader's language (for people).
var auditCSVHeader = []string{"id", "at", "actorEmail", "actorRole", "municipality", "municipalityName", "action", "actionWords", "objectType", "objectTypeWords", "objectId", "requestId", "detail"}

// auditWords are the audit log's actions and kinds of objects in words, by code and language.
// They are read from the file the audit page reads (frontend.AuditWords), not from a Go copy
// of it: the page and the export then cannot drift apart, and the test that every code the
// server writes has words (TestEveryAuditCodeHasWords) guards both.
type auditWords struct {
	Actions map[string]map[voci.Lang]string `json:"actions"`
	Objects map[string]map[voci.Lang]string `json:"objects"`
}

// loadAuditWords reads the embedded words; on a damaged file the export writes codes where
// words would be, which still says everything.
func loadAuditWords(raw []byte) (*auditWords, error) {
	var w auditWords
	if err := json.Unmarshal(raw, &w); err != nil {
		return &auditWords{}, fmt.Errorf("audit words: %w", err)
	}
	return &w, nil
}

// inWords returns a code's words in lang, or the code itself when it has none (a code
// written by a newer version, say).
func inWords(dict map[string]map[voci.Lang]string, code string, lang voci.Lang) string {
	if w := dict[code][lang]; w != "" {
		return w
	}
	return code
}

func auditCSVRow(e *voci.AuditEntry, municipalityName string, words *auditWords, lang voci.Lang) []string {
	municipality := ""
	if e.Municipality != 0 {
		municipality = strconv.Itoa(e.Municipality)
	}
	objectType := ""
	if e.ObjectType != "" {
		objectType = inWords(words.Objects, e.ObjectType, lang)
	}
	return csvRow(
		e.ID, e.At.UTC().Format(time.RFC3339Nano), e.ActorEmail, string(e.ActorRole), municipality, municipalityName,
		e.Action, inWords(words.Actions, e.Action, lang), e.ObjectType, objectType, e.ObjectID, e.RequestID, e.Detail,
	)
}

// handleExportAudit streams every entry matching the filters as CSV, newest first, with a
// header row and a UTF-8 byte order mark so that spreadsheets read the diacritics. The first
// page is read before the answer starts, so that filters, permissions and an unreachable store
// still get a proper problem; an export of more than maxAuditExport entries is refused. The
// rest is read page by page while the body is written, up to the moment the export began, so
// entries appended meanwhile do not shift the pages; should the store fail half-way, the file
// ends with a line saying it is incomplete. Actions and kinds of objects are written in words
// in the language of ?lang= (ro, the default, en or hu; another falls back to Romanian),
// beside their codes.
func (s *Server) handleExportAudit() fiber.Handler {
	words, err := loadAuditWords(frontend.AuditWords())
	if err != nil {
		s.Logger.Error("the audit export will write codes only", "error", err)
	}
	return func(c *fiber.Ctx) error {
		lang := voci.ParseLang(c.Query("lang"))
		f, nothing, err := s.auditQuery(c)
		if err != nil {
			return err
		}
		f.Offset, f.Limit = 0, voci.MaxPageSize
		if err := f.Normalize(); err != nil {
			return err
		}
		now := s.Clock().UTC()
		if f.Until == nil || f.Until.After(now) {
			f.Until = &now
		}
		if f.From != nil && !f.From.Before(*f.Until) {
			nothing = true // a period that has not begun yet
		}
		var first []voci.AuditEntry
		total := 0
		if !nothing {
			if first, total, err = s.Store.FindAudit(c.UserContext(), f); err != nil {
				return err
			}
		}
		if total > maxAuditExport {
			return voci.Errorf(voci.EINVALID, "The export would hold %d entries; one file holds at most %d. Narrow the period (from, to) or the other filters.", total, maxAuditExport)
		}

		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="voci-audit-%s.csv"`, voci.FormatDate(voci.Today(now))))
		c.Set(fiber.HeaderCacheControl, "no-store")
		// Nothing taken from c may be used once the handler returns: the writer below runs
		// after it, so it gets copies.
		store, logger, reqID := s.Store, s.Logger, strings.Clone(requestID(c))
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			ctx, cancel := context.WithTimeout(context.Background(), auditExportTimeout)
			defer cancel()
			if err := writeAuditCSV(ctx, w, store, f, first, total, words, lang); err != nil {
				logger.Error("audit export incomplete", "request_id", reqID, "error", err)
				fmt.Fprintf(w, "\nEXPORT INCOMPLETE: the database failed while reading; request ID %s\n", reqID)
			}
			w.Flush()
		})
		return nil
	}
}

func writeAuditCSV(ctx context.Context, w *bufio.Writer, store voci.Store, f voci.AuditFilter, page []voci.AuditEntry, total int, words *auditWords, lang voci.Lang) error {
	w.WriteString("\ufeff")
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(auditCSVHeader); err != nil {
		return err
	}
	names := &municipalityNames{store: store, names: map[int]string{}}
	seen := make(map[string]bool, total)
	for {
		for i := range page {
			e := &page[i]
			// An entry appended with an earlier time while the export runs may shift a page;
			// an entry is written once all the same.
			if seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			name, err := names.name(ctx, e.Municipality)
			if err != nil {
				return err
			}
			if err := cw.Write(auditCSVRow(e, name, words, lang)); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		f.Offset += f.Limit
		if len(page) < f.Limit || f.Offset >= total || f.Offset >= maxAuditExport {
			return nil
		}
		var err error
		if page, _, err = store.FindAudit(ctx, f); err != nil {
			return err
		}
	}
}
