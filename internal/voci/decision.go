package voci

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Council decisions (HCL, hotărâre a consiliului local) and how they answer children's
// recommendations. Others rely on them (children through their receipts, the national
// committee through its reports), so a published decision is never edited: every version,
// status change and implementation milestone is an entry appended to the decision's chain,
// and each entry's hash covers its content and the hash of the entry before it. A row changed
// behind the platform's back no longer matches its hash, and VerifyDecisionChain says where.

// Error codes of decisions.
const (
	// EDECISIONPUBLISHED refuses an edit of a published decision: a correction is added instead.
	EDECISIONPUBLISHED = "decision_published"
	// EDECISIONDRAFT refuses what only a published decision may have (a correction, a status
	// change, a milestone).
	EDECISIONDRAFT = "decision_not_published"
	// ELINKOTHERMUNICIPALITY refuses a link to another municipality's recommendation.
	ELINKOTHERMUNICIPALITY = "link_other_municipality"
	// ENOTAPDF refuses a decision's text that is not a PDF; EPDFTOOLARGE one above MaxDecisionPDFBytes.
	ENOTAPDF     = "not_a_pdf"
	EPDFTOOLARGE = "pdf_too_large"
	// ESTATUSDATERANGE refuses a status change dated before the decision's date or before
	// the status it follows, or later than StatusDateAhead after today.
	ESTATUSDATERANGE = "status_date_out_of_range"
)

// StatusDateAhead is how far after today a status change may be dated: a status records what
// has happened, and a day covers the time zones between the council and the server.
const StatusDateAhead = 24 * time.Hour

// MaxDecisionPDFBytes bounds the PDF of a decision's text.
const MaxDecisionPDFBytes = 10 << 20

// FileDecisionPDF is the purpose of a decision's text as a PDF.
const FileDecisionPDF = "decision_pdf"

// DecisionStatus is where a decision stands.
type DecisionStatus string

const (
	DecisionProposed              DecisionStatus = "proposed"
	DecisionAdopted               DecisionStatus = "adopted"
	DecisionAdoptedWithChanges    DecisionStatus = "adopted_with_changes"
	DecisionRejected              DecisionStatus = "rejected"
	DecisionBeingImplemented      DecisionStatus = "being_implemented"
	DecisionImplemented           DecisionStatus = "implemented"
	DecisionCouldNotBeImplemented DecisionStatus = "could_not_be_implemented"
)

// DecisionStatuses lists every status, in the order a decision usually goes through them.
var DecisionStatuses = []DecisionStatus{DecisionProposed, DecisionAdopted, DecisionAdoptedWithChanges, DecisionRejected,
	DecisionBeingImplemented, DecisionImplemented, DecisionCouldNotBeImplemented}

// nextDecisionStatuses says where a decision may go from each status. A proposal is adopted
// (as proposed or with changes) or rejected; an adopted decision is being implemented, then
// implemented or not; work that could not go on may start again. Rejected and implemented are
// final: a status recorded by mistake is put right with a correction (a new version), so the
// history keeps what was said and when.
var nextDecisionStatuses = map[DecisionStatus][]DecisionStatus{
	DecisionProposed:              {DecisionAdopted, DecisionAdoptedWithChanges, DecisionRejected},
	DecisionAdopted:               {DecisionBeingImplemented, DecisionImplemented, DecisionCouldNotBeImplemented},
	DecisionAdoptedWithChanges:    {DecisionBeingImplemented, DecisionImplemented, DecisionCouldNotBeImplemented},
	DecisionBeingImplemented:      {DecisionImplemented, DecisionCouldNotBeImplemented},
	DecisionCouldNotBeImplemented: {DecisionBeingImplemented},
}

// NextStatuses lists the statuses d may be given now.
func (d *Decision) NextStatuses() []DecisionStatus {
	return slices.Clone(nextDecisionStatuses[d.Status()])
}

// statusSince is the day d's current status took effect: the latest status entry's date, or
// else the decision's own date.
func (d *Decision) statusSince() time.Time {
	for i := len(d.Entries) - 1; i >= 0; i-- {
		if d.Entries[i].Kind == EntryStatus {
			return d.Entries[i].Date
		}
	}
	return d.Current().Date
}

// CheckStatusChange decides whether d may move to status on date, today being today: one of
// NextStatuses (else EINVALID naming "status"), dated no earlier than the decision's own date
// and the current status's, and no later than StatusDateAhead after today (else
// ESTATUSDATERANGE naming "date").
func (d *Decision) CheckStatusChange(status DecisionStatus, date, today time.Time) error {
	if !slices.Contains(DecisionStatuses, status) {
		return InvalidParam("status", "Unknown status %q.", status)
	}
	next := d.NextStatuses()
	if !slices.Contains(next, status) {
		if len(next) == 0 {
			return InvalidParam("status", "The decision is %s: that status is final. To put a mistake right, add a correction.", d.Status())
		}
		names := make([]string, len(next))
		for i, s := range next {
			names[i] = string(s)
		}
		return InvalidParam("status", "From %s a decision can move to: %s.", d.Status(), strings.Join(names, ", "))
	}
	day := dayOf(date)
	if c := d.Current(); c != nil && !c.Date.IsZero() && day.Before(dayOf(c.Date)) {
		return &Error{Code: ESTATUSDATERANGE, Param: "date",
			Message: fmt.Sprintf("The date may not be before %s, the date of the decision.", FormatDate(c.Date))}
	}
	if since := d.statusSince(); !since.IsZero() && day.Before(dayOf(since)) {
		return &Error{Code: ESTATUSDATERANGE, Param: "date",
			Message: fmt.Sprintf("The date may not be before %s, when the current status (%s) took effect.", FormatDate(since), d.Status())}
	}
	if latest := dayOf(today.Add(StatusDateAhead)); day.After(latest) {
		return &Error{Code: ESTATUSDATERANGE, Param: "date",
			Message: fmt.Sprintf("A status records what has happened: date it no later than %s.", FormatDate(latest))}
	}
	return nil
}

// ResponseKind says how a decision took a recommendation, and so the children's views, into account.
type ResponseKind string

const (
	ResponseAdoptedAsProposed ResponseKind = "adopted_as_proposed"
	ResponseAdoptedInPart     ResponseKind = "adopted_in_part"
	ResponseNotAdopted        ResponseKind = "not_adopted"   // the reasons are required
	ResponseDeferred          ResponseKind = "deferred"      // the date it is deferred to is required
	ResponseNotCompetent      ResponseKind = "not_competent" // who it was passed to is required
	ResponseMerged            ResponseKind = "merged"        // the recommendation it was merged with is required
)

// ResponseKinds lists every kind of response.
var ResponseKinds = []ResponseKind{ResponseAdoptedAsProposed, ResponseAdoptedInPart, ResponseNotAdopted, ResponseDeferred,
	ResponseNotCompetent, ResponseMerged}

// Vote is how the council voted. Absent counts members not present.
type Vote struct {
	For, Against, Abstain, Absent int
}

// DecisionLink says how a decision answers one recommendation of its municipality.
type DecisionLink struct {
	RecommendationID string
	Response         ResponseKind
	// Reasons explain the response; required when it is ResponseNotAdopted.
	Reasons string
	// DeferredUntil is the date a deferred recommendation will be taken up again.
	DeferredUntil time.Time
	// PassedTo names the body a recommendation outside the council's competence was passed to.
	PassedTo string
	// MergedWith is the recommendation (of the same municipality) this one was merged with.
	MergedWith string
}

// DecisionContent is what a version of a decision says.
type DecisionContent struct {
	Number string    // the HCL number, as the council writes it ("123/2026")
	Date   time.Time // the day it was adopted (or proposed), at midnight UTC
	Title  string
	Text   string
	Vote   Vote
	// Status is the decision's status as this version records it; later status entries follow it.
	Status DecisionStatus
	// PublicationURL is where the municipality's Monitorul Oficial Local publishes it (https).
	PublicationURL string
	// PDFFileID names its text as a PDF in the FileStore, and PDFSHA256 is that file's hash, so
	// that the chain covers the text too.
	PDFFileID string
	PDFSHA256 string
	Links     []DecisionLink
}

// EntryKind is what one entry of a decision's chain records.
type EntryKind string

const (
	EntryVersion   EntryKind = "version"   // the decision's content: the first publication or a correction
	EntryStatus    EntryKind = "status"    // a dated change of status
	EntryMilestone EntryKind = "milestone" // a dated step of its implementation
)

// DecisionEntry is one entry of a decision's chain. Entries are never changed or removed.
type DecisionEntry struct {
	DecisionID   string
	Municipality int
	Seq          int // 1 for the first publication, +1 for each entry
	Kind         EntryKind
	// Content is what a version entry says; Corrects (required for every version after the
	// first) says what the correction corrects.
	Content  *DecisionContent
	Corrects string
	// Status is a status entry's new status; Date is a status entry's or milestone's date, and
	// Note what it says.
	Status     DecisionStatus
	Date       time.Time
	Note       string
	RecordedBy string // account ID
	RecordedAt time.Time
	// PrevHash is the hash of the entry before (empty for the first); Hash covers this entry's
	// canonical content and PrevHash (hex SHA-256).
	PrevHash string
	Hash     string
}

// Decision is a council decision: a draft that its recorders may still edit, and once
// published, its chain of entries.
type Decision struct {
	ID           string
	Municipality int
	// Draft is the content being prepared, and Revision counts its edits (1 when created). Once
	// the decision is published, the draft is frozen and the entries say what it is.
	Draft       DecisionContent
	Revision    int
	Published   bool
	PublishedAt time.Time
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Entries     []DecisionEntry // by Seq
}

// Current returns the content that stands: the latest version once published, the draft before.
func (d *Decision) Current() *DecisionContent {
	if v := d.LatestVersion(); v != nil {
		return v.Content
	}
	return &d.Draft
}

// LatestVersion returns the latest version entry, or nil for a draft.
func (d *Decision) LatestVersion() *DecisionEntry {
	for i := len(d.Entries) - 1; i >= 0; i-- {
		if d.Entries[i].Kind == EntryVersion {
			return &d.Entries[i]
		}
	}
	return nil
}

// Version returns the version entry numbered n (1 is the first publication, 2 its first
// correction, …), or nil.
func (d *Decision) Version(n int) *DecisionEntry {
	for i := range d.Entries {
		if d.Entries[i].Kind == EntryVersion {
			if n--; n == 0 {
				return &d.Entries[i]
			}
		}
	}
	return nil
}

// VersionCount is how many versions a published decision has.
func (d *Decision) VersionCount() int {
	n := 0
	for _, e := range d.Entries {
		if e.Kind == EntryVersion {
			n++
		}
	}
	return n
}

// Status is the decision's current status: the latest status entry's, or else what its latest
// version records.
func (d *Decision) Status() DecisionStatus {
	for i := len(d.Entries) - 1; i >= 0; i-- {
		if d.Entries[i].Kind == EntryStatus {
			return d.Entries[i].Status
		}
	}
	return d.Current().Status
}

// Milestones lists the decision's implementation milestones in the order they were recorded.
func (d *Decision) Milestones() []Milestone {
	var out []Milestone
	for _, e := range d.Entries {
		if e.Kind == EntryMilestone {
			out = append(out, Milestone{Date: e.Date, Note: e.Note})
		}
	}
	return out
}

// Head returns the hash of the last entry ("" for a draft) and the next sequence number.
func (d *Decision) Head() (hash string, next int) {
	if n := len(d.Entries); n > 0 {
		return d.Entries[n-1].Hash, d.Entries[n-1].Seq + 1
	}
	return "", 1
}

// canonical is the entry's content as its hash covers it: every field in a fixed order, each
// written as name, length and value, so that no two different entries read alike.
func (e *DecisionEntry) canonical() []byte {
	var b bytes.Buffer
	field := func(name, v string) { fmt.Fprintf(&b, "%s %d %s\n", name, len(v), v) }
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.DateOnly)
	}
	field("format", "voci-decision-entry/1")
	field("decision", e.DecisionID)
	field("municipality", strconv.Itoa(e.Municipality))
	field("seq", strconv.Itoa(e.Seq))
	field("kind", string(e.Kind))
	field("prev", e.PrevHash)
	field("recordedBy", e.RecordedBy)
	field("recordedAt", e.RecordedAt.UTC().Format(time.RFC3339Nano))
	switch e.Kind {
	case EntryVersion:
		c := e.Content
		if c == nil {
			c = &DecisionContent{}
		}
		field("corrects", e.Corrects)
		field("number", c.Number)
		field("date", day(c.Date))
		field("title", c.Title)
		field("text", c.Text)
		field("vote", fmt.Sprintf("%d/%d/%d/%d", c.Vote.For, c.Vote.Against, c.Vote.Abstain, c.Vote.Absent))
		field("status", string(c.Status))
		field("publicationUrl", c.PublicationURL)
		field("pdf", c.PDFFileID)
		field("pdfSha256", c.PDFSHA256)
		field("links", strconv.Itoa(len(c.Links)))
		for _, l := range c.Links {
			field("recommendation", l.RecommendationID)
			field("response", string(l.Response))
			field("reasons", l.Reasons)
			field("deferredUntil", day(l.DeferredUntil))
			field("passedTo", l.PassedTo)
			field("mergedWith", l.MergedWith)
		}
	default:
		field("status", string(e.Status))
		field("date", day(e.Date))
		field("note", e.Note)
	}
	return b.Bytes()
}

// ComputeHash returns the hash the entry should carry: hex SHA-256 of its canonical content,
// which includes PrevHash.
func (e *DecisionEntry) ComputeHash() string {
	sum := sha256.Sum256(e.canonical())
	return hex.EncodeToString(sum[:])
}

// ChainVerification is what VerifyDecisionChain found.
type ChainVerification struct {
	Entries  int
	HeadHash string
	// BrokenAt is the Seq of the first entry that does not verify (0 when all do), and Reason
	// says why.
	BrokenAt int
	Reason   string
}

// OK reports whether every entry verified.
func (v ChainVerification) OK() bool { return v.BrokenAt == 0 }

// VerifyDecisionChain recomputes every entry's hash from its content and checks that each
// entry follows the one before: numbered in order, carrying its hash. A row changed in the
// store, removed or inserted, breaks it.
func VerifyDecisionChain(d *Decision) ChainVerification {
	v := ChainVerification{Entries: len(d.Entries)}
	prev := ""
	for i := range d.Entries {
		e := &d.Entries[i]
		switch {
		case e.Seq != i+1:
			v.BrokenAt, v.Reason = max(e.Seq, i+1), fmt.Sprintf("entry %d is numbered %d", i+1, e.Seq)
		case e.DecisionID != d.ID || e.Municipality != d.Municipality:
			v.BrokenAt, v.Reason = e.Seq, "the entry belongs to another decision"
		case e.PrevHash != prev:
			v.BrokenAt, v.Reason = e.Seq, "the entry does not follow the one before"
		case e.Hash != e.ComputeHash():
			v.BrokenAt, v.Reason = e.Seq, "the entry's content does not match its hash"
		case i == 0 && e.Kind != EntryVersion:
			v.BrokenAt, v.Reason = e.Seq, "the chain does not start with a version"
		}
		if v.BrokenAt != 0 {
			return v
		}
		prev = e.Hash
	}
	v.HeadHash = prev
	if d.Published && len(d.Entries) == 0 {
		v.BrokenAt, v.Reason = 1, "the published decision has no version"
	}
	return v
}

// ValidateHTTPSURL checks that s is an absolute https address of at most 500 characters,
// without credentials.
func ValidateHTTPSURL(param, s string) error {
	u, err := url.Parse(s)
	if err != nil || len(s) > 500 || u.Scheme != "https" || u.Host == "" || u.User != nil || strings.ContainsAny(s, " \t\r\n") {
		return InvalidParam(param, "Give the full https:// address of the publication in the Monitorul Oficial Local.")
	}
	return nil
}

// Validate checks the content on its own; links are checked against the store by Decisions.
// A draft needs only a title; publishing needs the number and the date too.
func (c *DecisionContent) Validate(publishing bool) error {
	if err := ValidateText("title", c.Title, 3, 300); err != nil {
		return err
	}
	if err := validateLongText("text", c.Text, 0, 20000); err != nil {
		return err
	}
	if err := ValidateText("number", c.Number, 0, 40); err != nil {
		return err
	}
	if publishing && strings.TrimSpace(c.Number) == "" {
		return InvalidParam("number", "Give the decision's number (HCL nr.) before publishing it.")
	}
	if publishing && c.Date.IsZero() {
		return InvalidParam("date", "Give the decision's date before publishing it.")
	}
	if !c.Date.IsZero() && (c.Date.Year() < 1990 || c.Date.Year() > 2200) {
		return InvalidParam("date", "The date is not plausible.")
	}
	for i, n := range []int{c.Vote.For, c.Vote.Against, c.Vote.Abstain, c.Vote.Absent} {
		if n < 0 || n > 1000 {
			return InvalidParam("vote."+[]string{"for", "against", "abstain", "absent"}[i], "A vote count is a whole number from 0 to 1000.")
		}
	}
	if !slices.Contains(DecisionStatuses, c.Status) {
		return InvalidParam("status", "Unknown status %q.", c.Status)
	}
	if c.PublicationURL != "" {
		if err := ValidateHTTPSURL("publicationUrl", c.PublicationURL); err != nil {
			return err
		}
	}
	if (c.PDFFileID == "") != (c.PDFSHA256 == "") {
		return InvalidParam("pdfFileId", "The PDF is not known.")
	}
	if len(c.Links) > 100 {
		return InvalidParam("links", "A decision may answer at most 100 recommendations.")
	}
	seen := map[string]bool{}
	for i := range c.Links {
		l := &c.Links[i]
		if l.RecommendationID == "" || seen[l.RecommendationID] {
			return InvalidParam(fmt.Sprintf("links[%d].recommendationId", i), "Link each recommendation once.")
		}
		seen[l.RecommendationID] = true
		if err := l.Validate(fmt.Sprintf("links[%d].", i)); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks that a link carries what its kind of response requires, and nothing that
// belongs to another kind.
func (l *DecisionLink) Validate(prefix string) error {
	if !slices.Contains(ResponseKinds, l.Response) {
		return InvalidParam(prefix+"response", "Unknown response %q.", l.Response)
	}
	if err := validateLongText(prefix+"reasons", l.Reasons, 0, 4000); err != nil {
		return err
	}
	if err := ValidateText(prefix+"passedTo", l.PassedTo, 0, 200); err != nil {
		return err
	}
	switch l.Response {
	case ResponseNotAdopted:
		if len([]rune(strings.TrimSpace(l.Reasons))) < 3 {
			return InvalidParam(prefix+"reasons", "Say why the recommendation was not adopted.")
		}
	case ResponseDeferred:
		if l.DeferredUntil.IsZero() {
			return InvalidParam(prefix+"deferredUntil", "Say until when the recommendation is deferred.")
		}
	case ResponseNotCompetent:
		if len([]rune(strings.TrimSpace(l.PassedTo))) < 3 {
			return InvalidParam(prefix+"passedTo", "Say who the recommendation was passed to.")
		}
	case ResponseMerged:
		if l.MergedWith == "" {
			return InvalidParam(prefix+"mergedWith", "Say which recommendation it was merged with.")
		}
		if l.MergedWith == l.RecommendationID {
			return InvalidParam(prefix+"mergedWith", "A recommendation cannot be merged with itself.")
		}
	}
	if l.Response != ResponseDeferred && !l.DeferredUntil.IsZero() {
		return InvalidParam(prefix+"deferredUntil", "Only a deferred recommendation has a date it is deferred to.")
	}
	if l.Response != ResponseNotCompetent && l.PassedTo != "" {
		return InvalidParam(prefix+"passedTo", "Only a recommendation outside the council's competence is passed to someone.")
	}
	if l.Response != ResponseMerged && l.MergedWith != "" {
		return InvalidParam(prefix+"mergedWith", "Only a merged recommendation names the one it was merged with.")
	}
	return nil
}

// IsPDF reports whether data starts as a PDF does ("%PDF-" within its first 1024 bytes, as
// readers accept it) and has an end-of-file marker near its end.
func IsPDF(data []byte) bool {
	head := data[:min(len(data), 1024)]
	i := bytes.Index(head, []byte("%PDF-"))
	if i < 0 || len(data) < i+8 {
		return false
	}
	tail := data[max(0, len(data)-1024):]
	return bytes.Contains(tail, []byte("%%EOF"))
}

// DecisionStore keeps decisions and their chains.
type DecisionStore interface {
	// CreateDecision stores a new draft (Revision 1) with its audit entry. ECONFLICT if the ID exists.
	CreateDecision(ctx context.Context, d *Decision, audit *AuditEntry) error
	// FindDecision returns the decision with its entries. ENOTFOUND when there is none.
	FindDecision(ctx context.Context, id string) (*Decision, error)
	// ListDecisions returns the municipality's decisions with their entries, newest first.
	ListDecisions(ctx context.Context, municipality int) ([]*Decision, error)
	// UpdateDecisionDraft replaces the draft with d.Draft at d.Revision, only if the stored
	// draft is still at d.Revision-1 and unpublished: ECHANGED otherwise (EDECISIONPUBLISHED
	// when it was published meanwhile). ENOTFOUND if gone.
	UpdateDecisionDraft(ctx context.Context, d *Decision, audit *AuditEntry) error
	// PublishDecision marks the draft at revision draftRevision published and appends first
	// (Seq 1), in one write: ECHANGED when the draft changed meanwhile, EDECISIONPUBLISHED when
	// it is published already.
	PublishDecision(ctx context.Context, d *Decision, draftRevision int, first *DecisionEntry, audit *AuditEntry) error
	// AppendDecisionEntry appends e to its published decision's chain. e.Seq must be the next
	// number and e.PrevHash the hash of the last entry: when another entry took that place
	// meanwhile, nothing is written and it returns ECHANGED.
	AppendDecisionEntry(ctx context.Context, e *DecisionEntry, audit *AuditEntry) error
	// DecisionsLinkingTo returns the IDs of published decisions any version of which links to
	// the recommendation.
	DecisionsLinkingTo(ctx context.Context, recommendationID string) ([]string, error)
}
