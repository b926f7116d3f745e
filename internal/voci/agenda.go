package voci

import (
	"bytes"
	"context"
	"io"
	"mime"
	pathpkg "path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A council meeting's agenda. The coordinator, or the member who is the council's president,
// drafts it; the other members propose items from their phones before the meeting, since
// children set part of their own agenda. A proposal waits as proposed until the coordinator or
// the president accepts or declines it. A member's text is screened like every child's: text
// that screening holds is shown to no other member until the coordinator has read and
// approved it. The agenda can change only while its meeting is scheduled.

// Codes of agendas and their attachments.
const (
	EATTACHMENTTOOLARGE = "attachment_too_large"        // above MaxAttachmentBytes
	EATTACHMENTTYPE     = "attachment_type_not_allowed" // not a PDF, PNG, JPEG or plain text
	EATTACHMENTMISMATCH = "attachment_type_mismatch"    // the declared type or name is not what the content is
)

const (
	maxAgendaTitleChars       = 120
	maxAgendaDescriptionChars = 500
	maxAttachmentNameChars    = 120
	// MaxAgendaItems bounds an agenda's items, proposals and declined ones included.
	MaxAgendaItems = 40
	// MaxOpenProposals bounds the proposals one member has waiting in one meeting.
	MaxOpenProposals = 3
	// MaxItemAttachments bounds an item's documents.
	MaxItemAttachments = 5
	// MaxAttachmentBytes bounds one document.
	MaxAttachmentBytes = 5 << 20
	// FileAgendaAttachment is the purpose of an agenda item's document.
	FileAgendaAttachment = "attachment"
	maxAgendaRetries     = 5
)

// AttachmentTypes are the types an agenda's document may have, by the extensions that name
// them.
var AttachmentTypes = map[string][]string{
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"text/plain":      {".txt"},
}

// AgendaKind is what the council does with an item.
type AgendaKind string

const (
	AgendaInformation AgendaKind = "information"
	AgendaDiscussion  AgendaKind = "discussion"
	AgendaDecision    AgendaKind = "decision"
)

// AgendaKinds lists the kinds, in the order forms show them.
var AgendaKinds = []AgendaKind{AgendaInformation, AgendaDiscussion, AgendaDecision}

// AgendaItemStatus is whether an item is on the agenda.
type AgendaItemStatus string

const (
	AgendaAccepted AgendaItemStatus = "accepted" // on the agenda
	AgendaProposed AgendaItemStatus = "proposed" // a member's proposal, waiting
	AgendaDeclined AgendaItemStatus = "declined" // a proposal not taken
)

// AgendaAttachment is a document attached to an item, kept by the FileStore.
type AgendaAttachment struct {
	FileID      string
	Name        string
	ContentType string
	Size        int64
	AddedAt     time.Time
}

// AgendaItem is one item of an agenda.
type AgendaItem struct {
	ID          string
	Title       string
	Description string // optional, short
	Kind        AgendaKind
	Status      AgendaItemStatus
	// ProposedBy is the member who proposed the item, "" when an adult or the president
	// drafted it; ProposerName is their display name at the time, the only thing others see
	// of them ("" for a member whose name was removed).
	ProposedBy   string
	ProposerName string
	// Flags are screening's reasons to hold a member's text; TextApproved that the
	// coordinator has read it and let it be shown.
	Flags        []string
	TextApproved bool
	Attachments  []AgendaAttachment
	CreatedAt    time.Time
	// ApprovesMinutesOf is the meeting whose minutes this item approves (minutes.go), set on
	// the item the platform adds by itself.
	ApprovesMinutesOf string
}

// Held reports whether screening holds the item's text from the other members.
func (i *AgendaItem) Held() bool { return len(i.Flags) > 0 && !i.TextApproved }

// Agenda is a meeting's agenda: its accepted items in their order, with the proposals waiting
// or declined among them (their place there means nothing).
type Agenda struct {
	MeetingID    string
	CouncilID    string
	Municipality int
	Items        []AgendaItem
	// Version counts the agenda's saves: 0 for one never saved.
	Version   int
	UpdatedAt time.Time
}

// Item returns the item with the ID, or nil.
func (a *Agenda) Item(id string) *AgendaItem {
	for i := range a.Items {
		if a.Items[i].ID == id {
			return &a.Items[i]
		}
	}
	return nil
}

// Accepted returns the items on the agenda, in their order.
func (a *Agenda) Accepted() []AgendaItem {
	return slices.DeleteFunc(slices.Clone(a.Items), func(i AgendaItem) bool { return i.Status != AgendaAccepted })
}

// AgendaStore keeps meetings' agendas: one record per meeting, written whole.
type AgendaStore interface {
	// FindAgenda returns the meeting's agenda; ENOTFOUND when none was saved.
	FindAgenda(ctx context.Context, meetingID string) (*Agenda, error)
	// SaveAgenda stores a: a new agenda when a.Version is 1 (ECONFLICT if the meeting has
	// one), otherwise if the stored one is at a.Version-1 (ECONFLICT if not).
	SaveAgenda(ctx context.Context, a *Agenda, audit *AuditEntry) error
}

// AgendaActor is who changes an agenda: an adult (the coordinator or the admin, AccountID)
// or a member signed in with their card (Member).
type AgendaActor struct {
	AccountID string
	Member    *CouncilMember
}

// drafts reports whether the actor drafts the agenda: an adult, or the president in office
// who may take part.
func (a AgendaActor) drafts() bool {
	if a.Member == nil {
		return a.AccountID != ""
	}
	ok, _ := a.Member.CanTakePart()
	return ok && a.Member.Office == CouncilRolePresident
}

// Sees reports whether the actor may see the item: an adult sees every item; a member sees
// the items on the agenda, their own proposals, and, as president, the others' proposals
// that screening does not hold.
func (a AgendaActor) Sees(i *AgendaItem) bool {
	if a.Member == nil {
		return true
	}
	switch {
	case i.ProposedBy == a.Member.ID:
		return true
	case i.Held():
		return false
	case i.Status == AgendaAccepted:
		return true
	}
	return i.Status == AgendaProposed && a.drafts()
}

// Agenda returns the meeting's agenda, an empty one when none was saved.
func (s *CouncilMeetings) Agenda(ctx context.Context, m *CouncilMeeting) (*Agenda, error) {
	a, err := s.Store.FindAgenda(ctx, m.ID)
	if ErrorCode(err) == ENOTFOUND {
		return &Agenda{MeetingID: m.ID, CouncilID: m.CouncilID, Municipality: m.Municipality, Items: []AgendaItem{}}, nil
	}
	return a, err
}

// change applies edit to the meeting's agenda as stored and saves it, again on the agenda as
// it then is when another change came first. It returns the agenda saved.
func (s *CouncilMeetings) change(ctx context.Context, m *CouncilMeeting, edit func(a *Agenda) error, audit *AuditEntry) (*Agenda, error) {
	for range maxAgendaRetries {
		// The meeting's state is read again at every try: an agenda stops changing once its
		// meeting opens, ends or is cancelled.
		cur, err := s.Store.FindCouncilMeeting(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		if err := cur.scheduled(); err != nil {
			return nil, err
		}
		a, err := s.Agenda(ctx, cur)
		if err != nil {
			return nil, err
		}
		next := *a
		next.Items = cloneItems(a.Items)
		if err := edit(&next); err != nil {
			return nil, err
		}
		next.Version, next.UpdatedAt = a.Version+1, s.now()
		err = s.Store.SaveAgenda(ctx, &next, audit)
		if err == nil {
			return &next, nil
		}
		if ErrorCode(err) != ECONFLICT {
			return nil, err
		}
	}
	return nil, Errorf(ECONFLICT, "The agenda is changing right now; try again.")
}

func cloneItems(items []AgendaItem) []AgendaItem {
	out := make([]AgendaItem, len(items))
	for i, it := range items {
		it.Flags = slices.Clone(it.Flags)
		it.Attachments = slices.Clone(it.Attachments)
		out[i] = it
	}
	return out
}

// AgendaItemInput is a new item, or what changes of one (nil: left as it is).
type AgendaItemInput struct {
	Title       *string
	Description *string
	Kind        *AgendaKind
}

// screen checks and sets in's text and kind on it. A member's text is screened: a proposal
// screening flags is held, while a change the president makes to an item must be clean.
func (s *CouncilMeetings) screen(it *AgendaItem, in AgendaItemInput, by AgendaActor, proposal bool) error {
	title, desc := it.Title, it.Description
	if in.Title != nil {
		title = strings.Join(strings.Fields(*in.Title), " ")
	}
	if in.Description != nil {
		desc = strings.Join(strings.Fields(*in.Description), " ")
	}
	if in.Kind != nil {
		if !slices.Contains(AgendaKinds, *in.Kind) {
			return InvalidParam("kind", "An item is for information, discussion or a decision.")
		}
		it.Kind = *in.Kind
	}
	var flags []string
	if by.Member != nil && s.Screener != nil && (in.Title != nil || in.Description != nil) {
		var f1, f2 []string
		title, f1 = s.Screener.Screen(title)
		if desc != "" {
			desc, f2 = s.Screener.Screen(desc)
		}
		flags = append(f1, f2...)
		slices.Sort(flags)
		flags = slices.Compact(flags)
	}
	if err := ValidateText("title", title, 2, maxAgendaTitleChars); err != nil {
		return err
	}
	if desc != "" {
		if err := ValidateText("description", desc, 1, maxAgendaDescriptionChars); err != nil {
			return err
		}
	}
	if len(flags) > 0 && !proposal {
		return InvalidParam("title", "This text looks like it holds contact details or words that cannot be shown. Change it, or ask your coordinator.")
	}
	if in.Title != nil || in.Description != nil {
		it.Title, it.Description = title, desc
		// An adult's text is theirs: it needs no screening. A proposal's text carries its
		// screening's verdict.
		it.Flags, it.TextApproved = flags, false
	}
	return nil
}

// AddItem adds an item to the meeting's agenda. An adult's or the president's item goes on
// the agenda, after the others; another member's is a proposal, waiting, as is the
// president's own when screening holds it. EMEETINGNOTSCHEDULED when the meeting is no longer
// scheduled, EFORBIDDEN for a member who cannot take part, EINVALID for a bad field or too
// many items, ECONFLICT when the member has MaxOpenProposals waiting.
func (s *CouncilMeetings) AddItem(ctx context.Context, m *CouncilMeeting, by AgendaActor, in AgendaItemInput, audit AuditOf[AgendaItem]) (*Agenda, *AgendaItem, error) {
	if by.Member != nil {
		if ok, _ := by.Member.CanTakePart(); !ok || by.Member.CouncilID != m.CouncilID {
			return nil, nil, Errorf(EFORBIDDEN, "Only members who take part in the council's meetings can propose items.")
		}
	}
	if in.Title == nil {
		return nil, nil, InvalidParam("title", "Give the item a title.")
	}
	if in.Kind == nil {
		k := AgendaDiscussion
		in.Kind = &k
	}
	it := AgendaItem{ID: s.NewID(), CreatedAt: s.now()}
	if err := s.screen(&it, in, by, true); err != nil {
		return nil, nil, err
	}
	it.Status = AgendaAccepted
	if by.Member != nil {
		it.ProposedBy, it.ProposerName = by.Member.ID, by.Member.RecordName()
		if !by.drafts() || it.Held() {
			it.Status = AgendaProposed
		}
		if by.drafts() && !it.Held() {
			// The president drafts: the item is theirs as the chair's, not a proposal.
			it.ProposedBy, it.ProposerName = "", ""
		}
	}
	var entry *AuditEntry
	if audit != nil {
		entry = audit(&it)
	}
	a, err := s.change(ctx, m, func(a *Agenda) error {
		if len(a.Items) >= MaxAgendaItems {
			return InvalidParam("title", "An agenda has at most %d items, proposals included.", MaxAgendaItems)
		}
		if it.ProposedBy != "" {
			open := 0
			for _, o := range a.Items {
				if o.ProposedBy == it.ProposedBy && o.Status == AgendaProposed {
					open++
				}
			}
			if open >= MaxOpenProposals {
				return Errorf(ECONFLICT, "You have %d proposals waiting for this meeting. Wait until they are answered.", MaxOpenProposals)
			}
		}
		if it.Status == AgendaAccepted {
			a.Items = slices.Insert(a.Items, lastAccepted(a.Items)+1, it)
		} else {
			a.Items = append(a.Items, it)
		}
		return nil
	}, entry)
	if err != nil {
		return nil, nil, err
	}
	return a, a.Item(it.ID), nil
}

func lastAccepted(items []AgendaItem) int {
	last := -1
	for i := range items {
		if items[i].Status == AgendaAccepted {
			last = i
		}
	}
	return last
}

// AgendaChange is a change to an item: its text or kind, its status (a proposal accepted
// or declined), or its place (Move -1 up, +1 down among the accepted items).
type AgendaChange struct {
	AgendaItemInput
	Status *AgendaItemStatus
	// ConfirmHeld: the coordinator has read why screening held the proposal's text and
	// accepts it all the same.
	ConfirmHeld bool
	Move        int
}

// ChangeItem changes an item. Only an adult or the president may; only an adult may accept a
// proposal screening held (with ConfirmHeld, else EHELDNEEDSCONFIRM). ENOTFOUND for an item
// the actor cannot see, EFORBIDDEN for another member, EINVALID for a bad change,
// EMEETINGNOTSCHEDULED when the meeting is no longer scheduled.
func (s *CouncilMeetings) ChangeItem(ctx context.Context, m *CouncilMeeting, by AgendaActor, itemID string, ch AgendaChange, audit *AuditEntry) (*Agenda, error) {
	if !by.drafts() {
		return nil, Errorf(EFORBIDDEN, "Only the coordinator and the council's president can change the agenda.")
	}
	if ch.Move < -1 || ch.Move > 1 {
		return nil, InvalidParam("move", "An item moves one place up (-1) or down (1).")
	}
	return s.change(ctx, m, func(a *Agenda) error {
		it := a.Item(itemID)
		if it == nil || !by.Sees(it) {
			return Errorf(ENOTFOUND, "There is no such item on this agenda.")
		}
		if err := s.screen(it, ch.AgendaItemInput, by, false); err != nil {
			return err
		}
		if ch.Status != nil && *ch.Status != it.Status {
			if err := decide(it, *ch.Status, by, ch.ConfirmHeld); err != nil {
				return err
			}
			if it.Status == AgendaAccepted {
				moved := *it
				i := slices.IndexFunc(a.Items, func(o AgendaItem) bool { return o.ID == itemID })
				a.Items = slices.Delete(a.Items, i, i+1)
				a.Items = slices.Insert(a.Items, lastAccepted(a.Items)+1, moved)
			}
		}
		if ch.Move != 0 {
			return move(a, itemID, ch.Move)
		}
		return nil
	}, audit)
}

// decide moves a proposal to status.
func decide(it *AgendaItem, status AgendaItemStatus, by AgendaActor, confirmHeld bool) error {
	switch {
	case status != AgendaAccepted && status != AgendaDeclined:
		return InvalidParam("status", "A proposal is accepted or declined.")
	case it.Status == AgendaAccepted:
		return InvalidParam("status", "This item is on the agenda; remove it instead.")
	case status == AgendaAccepted && it.Held() && by.Member != nil:
		return Errorf(EFORBIDDEN, "The coordinator reads this proposal first.")
	case status == AgendaAccepted && it.Held() && !confirmHeld:
		return &Error{Code: EHELDNEEDSCONFIRM, Param: "confirmHeld", Message: "Screening held this proposal's text. Read why, then confirm that it may be shown."}
	}
	if status == AgendaAccepted && it.Held() {
		it.TextApproved = true
	}
	it.Status = status
	return nil
}

// move moves an accepted item one place up or down among the accepted items.
func move(a *Agenda, id string, dir int) error {
	i := slices.IndexFunc(a.Items, func(o AgendaItem) bool { return o.ID == id })
	if a.Items[i].Status != AgendaAccepted {
		return InvalidParam("move", "Only items on the agenda have a place; accept the proposal first.")
	}
	j := i + dir
	for j >= 0 && j < len(a.Items) && a.Items[j].Status != AgendaAccepted {
		j += dir
	}
	if j < 0 || j >= len(a.Items) {
		return InvalidParam("move", "The item is already at that end of the agenda.")
	}
	a.Items[i], a.Items[j] = a.Items[j], a.Items[i]
	return nil
}

// RemoveItem takes an item off the agenda, with its documents. An adult may remove any item;
// the president one they or an adult drafted (a member's proposal is declined, not removed).
// ChangeItem's errors.
func (s *CouncilMeetings) RemoveItem(ctx context.Context, m *CouncilMeeting, by AgendaActor, itemID string, audit *AuditEntry) (*Agenda, error) {
	if !by.drafts() {
		return nil, Errorf(EFORBIDDEN, "Only the coordinator and the council's president can change the agenda.")
	}
	var files []string
	a, err := s.change(ctx, m, func(a *Agenda) error {
		it := a.Item(itemID)
		if it == nil || !by.Sees(it) {
			return Errorf(ENOTFOUND, "There is no such item on this agenda.")
		}
		if by.Member != nil && it.ProposedBy != "" && it.ProposedBy != by.Member.ID {
			return Errorf(EFORBIDDEN, "A member's proposal is declined, not removed.")
		}
		files = files[:0]
		for _, f := range it.Attachments {
			files = append(files, f.FileID)
		}
		a.Items = slices.DeleteFunc(a.Items, func(o AgendaItem) bool { return o.ID == itemID })
		return nil
	}, audit)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		_ = s.Store.DeleteFile(ctx, f)
	}
	return a, nil
}

// DetectAttachmentType returns the type of an agenda document from its content: a PDF, a
// PNG or JPEG picture, or plain UTF-8 text; "" for anything else.
func DetectAttachmentType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")) && IsPDF(data):
		return "application/pdf"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case len(data) > 0 && utf8.Valid(data) && !bytes.ContainsFunc(data, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7f
	}):
		return "text/plain"
	}
	return ""
}

// CheckAttachment checks a document on its way in: its size, and that its content is of an
// allowed type that its declared type and its name's extension both agree with, so that a
// file whose name or type lies is refused. It returns the name cleaned and the type to store.
// EATTACHMENTTOOLARGE, EATTACHMENTTYPE, EATTACHMENTMISMATCH, or EINVALID for a bad name.
func CheckAttachment(name, declared string, data []byte) (string, string, error) {
	if len(data) > MaxAttachmentBytes {
		return "", "", Errorf(EATTACHMENTTOOLARGE, "This document is larger than %d MB. Make it smaller and send it again.", MaxAttachmentBytes>>20)
	}
	name = strings.Join(strings.Fields(pathpkg.Base(strings.ReplaceAll(name, "\\", "/"))), " ")
	if err := ValidateText("file", name, 1, maxAttachmentNameChars); err != nil || name == "." || name == "/" {
		return "", "", InvalidParam("file", "Give the document a name of at most %d characters.", maxAttachmentNameChars)
	}
	ext := strings.ToLower(pathpkg.Ext(name))
	known := false
	for _, exts := range AttachmentTypes {
		known = known || slices.Contains(exts, ext)
	}
	sniffed := DetectAttachmentType(data)
	if sniffed == "" || !known {
		return "", "", Errorf(EATTACHMENTTYPE, "A document is a PDF, a PNG or JPEG picture, or plain text.")
	}
	declaredType, _, err := mime.ParseMediaType(declared)
	if declared == "" || declaredType == "application/octet-stream" {
		declaredType, err = sniffed, nil
	}
	if err != nil || declaredType != sniffed || !slices.Contains(AttachmentTypes[sniffed], ext) {
		return "", "", Errorf(EATTACHMENTMISMATCH, "This document's content is not what its name or type says. Send the document itself, saved in its own format.")
	}
	if sniffed == "text/plain" {
		sniffed = "text/plain; charset=utf-8"
	}
	return name, sniffed, nil
}

// AddAttachment stores a document and attaches it to an item; an adult's act. CheckAttachment's
// errors, EINVALID when the item has MaxItemAttachments, and ChangeItem's.
func (s *CouncilMeetings) AddAttachment(ctx context.Context, m *CouncilMeeting, itemID, name, declared string, content io.Reader, audit AuditOf[AgendaAttachment]) (*Agenda, *AgendaAttachment, error) {
	data, err := io.ReadAll(io.LimitReader(content, MaxAttachmentBytes+1))
	if err != nil {
		return nil, nil, Errorf(EINVALID, "The document could not be read; send it again.")
	}
	name, ctype, err := CheckAttachment(name, declared, data)
	if err != nil {
		return nil, nil, err
	}
	if err := m.scheduled(); err != nil {
		return nil, nil, err
	}
	f := &File{ID: s.NewID(), Municipality: m.Municipality, Purpose: FileAgendaAttachment, ContentType: ctype, CreatedAt: s.now()}
	if err := s.Store.PutFile(ctx, f, bytes.NewReader(data)); err != nil {
		return nil, nil, err
	}
	att := AgendaAttachment{FileID: f.ID, Name: name, ContentType: ctype, Size: int64(len(data)), AddedAt: f.CreatedAt}
	a, err := s.change(ctx, m, func(a *Agenda) error {
		it := a.Item(itemID)
		if it == nil {
			return Errorf(ENOTFOUND, "There is no such item on this agenda.")
		}
		if len(it.Attachments) >= MaxItemAttachments {
			return InvalidParam("file", "An item has at most %d documents.", MaxItemAttachments)
		}
		it.Attachments = append(it.Attachments, att)
		return nil
	}, audit.of(&att))
	if err != nil {
		_ = s.Store.DeleteFile(ctx, f.ID)
		return nil, nil, err
	}
	return a, &att, nil
}

// RemoveAttachment detaches a document from an item and deletes it; ENOTFOUND when the item
// has no such document, and ChangeItem's errors.
func (s *CouncilMeetings) RemoveAttachment(ctx context.Context, m *CouncilMeeting, itemID, fileID string, audit *AuditEntry) (*Agenda, error) {
	a, err := s.change(ctx, m, func(a *Agenda) error {
		it := a.Item(itemID)
		if it == nil || !slices.ContainsFunc(it.Attachments, func(f AgendaAttachment) bool { return f.FileID == fileID }) {
			return Errorf(ENOTFOUND, "This item has no such document.")
		}
		it.Attachments = slices.DeleteFunc(it.Attachments, func(f AgendaAttachment) bool { return f.FileID == fileID })
		return nil
	}, audit)
	if err != nil {
		return nil, err
	}
	_ = s.Store.DeleteFile(ctx, fileID)
	return a, nil
}

// OpenAttachment returns a document of an item the actor may see, for download; the caller
// closes it. ENOTFOUND otherwise, whatever the reason, so that nothing is learnt of items
// one may not see.
func (s *CouncilMeetings) OpenAttachment(ctx context.Context, m *CouncilMeeting, by AgendaActor, itemID, fileID string) (*AgendaAttachment, io.ReadCloser, error) {
	none := Errorf(ENOTFOUND, "There is no such document.")
	a, err := s.Agenda(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	it := a.Item(itemID)
	if it == nil || !by.Sees(it) {
		return nil, nil, none
	}
	i := slices.IndexFunc(it.Attachments, func(f AgendaAttachment) bool { return f.FileID == fileID })
	if i < 0 {
		return nil, nil, none
	}
	f, r, err := s.Store.OpenFile(ctx, fileID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && (f.Purpose != FileAgendaAttachment || f.Municipality != m.Municipality)) {
		if r != nil {
			r.Close()
		}
		return nil, nil, none
	}
	if err != nil {
		return nil, nil, err
	}
	att := it.Attachments[i]
	return &att, r, nil
}
