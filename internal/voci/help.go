package voci

import (
	"context"
	"slices"
)

// "I need to talk to someone": a child's request is recorded for the municipality's
// safeguarding lead, the leads are told by email, the child is told who will contact them and
// which national lines they can call, and nothing of it reaches results or the room.

// HelpNotification is how telling the safeguarding leads of a help request went.
type HelpNotification string

const (
	// HelpNotifyPending: the emails are being sent.
	HelpNotifyPending HelpNotification = "pending"
	// HelpNotifySent: every recipient's email was handed to the mail server.
	HelpNotifySent HelpNotification = "sent"
	// HelpNotifyFailed is found only on requests recorded by earlier versions, which gave up
	// on a mail that failed; notices are now retried until they go (HelpNotifyRetrying). It
	// stays so that the list can still say what happened to those.
	HelpNotifyFailed HelpNotification = "failed"
	// HelpNotifyNotConfigured: no mail server is configured; the server's log says a request
	// was made, and the list shows it.
	HelpNotifyNotConfigured HelpNotification = "not_configured"
	// HelpNotifyNoRecipients: nobody holds the safeguarding lead role for the municipality and
	// its profile names no email to write to.
	HelpNotifyNoRecipients HelpNotification = "no_recipients"
	// HelpNotifyRetrying: a recipient's email could not be sent yet; it is tried again, with
	// a growing pause, until it goes.
	HelpNotifyRetrying HelpNotification = "retrying"
)

// HelpKind says why a help request was made.
type HelpKind string

const (
	// HelpAsked: the child pressed "I need to talk to someone".
	HelpAsked HelpKind = "asked"
	// HelpPossibleDisclosure: screening flagged one of the child's text answers as a possible
	// disclosure of abuse, neglect, self-harm or grooming.
	HelpPossibleDisclosure HelpKind = "possible_disclosure"
)

// FlagPossibleDisclosure is the screening flag of a text that may disclose harm; such a text
// raises a help request (Participation.RaisePossibleDisclosure).
const FlagPossibleDisclosure = "possible_disclosure"

// HelpNotifier tells the safeguarding leads of a new help request. HelpRequested must return
// at once: the child is waiting for the acknowledgement. The notifier records the outcome with
// Participation.RecordHelpNotification.
type HelpNotifier interface {
	HelpRequested(h HelpRequest)
}

// SessionConsoles tells the facilitators' consoles of a live session that someone in the room
// needs help. It is given the session only, never who: the consoles show that a child asked
// or wrote something that worries, and the safeguarding lead finds out who. It must return
// at once.
type SessionConsoles interface {
	HelpRequested(sessionID string)
}

// HelplineKind says what a national line is for.
type HelplineKind string

const (
	// HelplineAbuseReport is 119, Romania's single national number for reporting abuse,
	// neglect, exploitation or any violence against a child. Free from any network, answered
	// day and night by the child-protection directorate (DGASPC) of each county; children may
	// call it themselves.
	HelplineAbuseReport HelplineKind = "abuse_report"
	// HelplineChildHelpline is 116 111, "Telefonul Copilului", the European helpline for
	// children, run in Romania by the Telefonul Copilului association: free, and the child
	// talks in confidence with a counsellor.
	HelplineChildHelpline HelplineKind = "child_helpline"
	// HelplineEmergency is 112, for immediate danger.
	HelplineEmergency HelplineKind = "emergency"
)

// Helpline is a national telephone line a child can call by themselves.
type Helpline struct {
	Number string
	Kind   HelplineKind
}

// Helplines are Romania's lines for children, given with every answer to a help request,
// whether or not the municipality named a safeguarding lead.
var Helplines = []Helpline{
	{Number: "119", Kind: HelplineAbuseReport},
	{Number: "116 111", Kind: HelplineChildHelpline},
	{Number: "112", Kind: HelplineEmergency},
}

// HelpAnswer is what a child is told after asking to talk to someone.
type HelpAnswer struct {
	Request *HelpRequest
	// New is false when the child had asked already and that request is still open: nobody
	// is told a second time.
	New bool
	// Lead is the safeguarding lead named in the municipality's profile, with their name and
	// phone only: an adult professional's contact, which the child may use. Zero when the
	// municipality has named nobody.
	Lead Contact
	// Helplines are the national lines the child can call by themselves.
	Helplines []Helpline
}

// RequestHelp records that a child in a live session asked to talk to someone, for the
// municipality's safeguarding lead, and queues the notices to the leads. It never touches
// results. Pressing again while the request is still open (not closed) returns it rather than
// adding another, so that the lead's list stays one line per child and the leads are not told
// again; the store's unique index on a participant's open request makes this hold when two
// presses race.
func (p *Participation) RequestHelp(ctx context.Context, s *LiveSession, part *Participant) (*HelpAnswer, error) {
	return p.requestHelp(ctx, HelpRequest{Municipality: s.Municipality, ConsultationID: s.ConsultationID, SessionID: s.ID,
		ParticipantID: part.ID, Alias: part.Alias, Kind: HelpAsked})
}

// RequestSelfPacedHelp is RequestHelp for a child on a self-paced link.
func (p *Participation) RequestSelfPacedHelp(ctx context.Context, c *Consultation, part *Participant) (*HelpAnswer, error) {
	return p.requestHelp(ctx, HelpRequest{Municipality: c.Municipality, ConsultationID: c.ID, ParticipantID: part.ID, Alias: part.Alias,
		Kind: HelpAsked})
}

func (p *Participation) requestHelp(ctx context.Context, req HelpRequest) (*HelpAnswer, error) {
	h, isNew, err := p.recordHelpRequest(ctx, req, func() (*HelpRequest, error) {
		return p.Store.FindOpenHelpRequest(ctx, req.ParticipantID)
	})
	if err != nil {
		return nil, err
	}
	ans := &HelpAnswer{Request: h, New: isNew, Helplines: Helplines}
	// Read after recording: the request stands even when the profile cannot be read, and the
	// child is then given the national lines only.
	if prof, err := p.Store.FindMunicipalityProfile(ctx, req.Municipality); err == nil && prof.SafeguardingLead.Name != "" {
		ans.Lead = Contact{Name: prof.SafeguardingLead.Name, Phone: prof.SafeguardingLead.Phone}
	}
	return ans, nil
}

// RaisePossibleDisclosure records a help request for a stored text answer that screening
// flagged as a possible disclosure (FlagPossibleDisclosure), and queues the notices to the
// leads as for a child who asked. One answer raises one request: a second call returns the
// first (new is false). EINVALID for an answer that has no ID or no text; the store's errors.
func (p *Participation) RaisePossibleDisclosure(ctx context.Context, a *Answer) (h *HelpRequest, isNew bool, err error) {
	if a.ID == "" || a.Text == "" || a.Municipality == 0 {
		return nil, false, Errorf(EINVALID, "Only a stored text answer can raise a possible disclosure.")
	}
	req := HelpRequest{Municipality: a.Municipality, ConsultationID: a.ConsultationID, SessionID: a.SessionID,
		ParticipantID: a.ParticipantID, Kind: HelpPossibleDisclosure, AnswerID: a.ID}
	if part, err := p.findParticipantOf(ctx, req); err == nil {
		req.Alias = part.Alias
	}
	return p.recordHelpRequest(ctx, req, func() (*HelpRequest, error) {
		return p.Store.FindHelpRequestByAnswer(ctx, a.ID)
	})
}

// findParticipantOf finds the child who made h: among a live session's participants, or
// among the self-paced link's when h names no session.
func (p *Participation) findParticipantOf(ctx context.Context, h HelpRequest) (*Participant, error) {
	if h.SessionID != "" {
		return p.Store.FindParticipantByID(ctx, h.ParticipantID)
	}
	return p.Store.FindSelfPacedParticipantByID(ctx, h.ParticipantID)
}

// raiseIfDisclosure raises a possible-disclosure help request for a stored text answer that
// screening flagged FlagPossibleDisclosure, and does nothing for any other answer. It is
// idempotent (one request per answer), so that a retry may call it again.
func (p *Participation) raiseIfDisclosure(ctx context.Context, a *Answer) error {
	if !slices.Contains(a.Flags, FlagPossibleDisclosure) {
		return nil
	}
	_, _, err := p.RaisePossibleDisclosure(ctx, a)
	return err
}

// raiseDisclosureOf raises what a just-stored submission needs: for a new answer, from its
// flags; for one the store replayed (a concurrent duplicate), from the stored answer.
func (p *Participation) raiseDisclosureOf(ctx context.Context, r *AnswerReceipt, a *Answer) error {
	if r.Replayed {
		return p.raiseForReplay(ctx, r)
	}
	return p.raiseIfDisclosure(ctx, a)
}

// raiseForReplay repairs a disclosure whose request was not recorded when its answer was
// (the store failed between the two writes, and the child was not acknowledged): the retry
// is a replay, whose receipt holds no text, so the held answer is read to see its flags.
func (p *Participation) raiseForReplay(ctx context.Context, r *AnswerReceipt) error {
	if r.Moderation != ModerationHeld {
		return nil
	}
	a, err := p.Store.FindAnswerByID(ctx, r.AnswerID)
	if err != nil {
		return err
	}
	if a.Revision != r.Revision {
		return nil // changed since: its own submission raised what it had to
	}
	return p.raiseIfDisclosure(ctx, a)
}

// recordHelpRequest stores req as a new request, or finds the one that stands in its way
// (existing), and queues the notice that fans out to the leads. Queuing is repeated for an
// existing request: it is idempotent, and repairs a queue write that failed before.
func (p *Participation) recordHelpRequest(ctx context.Context, req HelpRequest, existing func() (*HelpRequest, error)) (*HelpRequest, bool, error) {
	h := req
	h.ID, h.CreatedAt, h.Notification = p.NewID(), p.now(), HelpNotifyPending
	isNew := true
	err := p.Store.CreateHelpRequest(ctx, &h)
	switch ErrorCode(err) {
	case "":
	case ECONFLICT:
		found, ferr := existing()
		if ferr != nil {
			if ErrorCode(ferr) == ENOTFOUND {
				return nil, false, err
			}
			return nil, false, ferr
		}
		h, isNew = *found, false
	default:
		return nil, false, err
	}
	if err := p.Store.EnqueueHelpNotices(ctx, []HelpNoticeJob{{ID: helpNoticeID(h.ID, ""), RequestID: h.ID,
		Municipality: h.Municipality, CreatedAt: p.now(), DueAt: p.now()}}); err != nil {
		return nil, false, err
	}
	if isNew && p.Notifier != nil {
		p.Notifier.HelpRequested(h)
	}
	if isNew && h.SessionID != "" && p.Consoles != nil {
		p.Consoles.HelpRequested(h.SessionID)
	}
	return &h, isNew, nil
}

// HelpRecipient is one person to email about a help request.
type HelpRecipient struct {
	Email string
	Name  string
	// Lang is the language to write in (ro, en or hu); "" when not known, which means
	// Romanian.
	Lang string
}

// HelpNotice is what the safeguarding leads are told of a help request: the child's alias,
// so that an adult in the room can find the child, and the consultation's title. Never
// anything the child answered.
type HelpNotice struct {
	Request           HelpRequest
	MunicipalityName  string
	ConsultationTitle string
	Recipients        []HelpRecipient
}

// helpDirectory is what telling the safeguarding leads needs of the store beyond sessions.
type helpDirectory interface {
	FindAccountByID(ctx context.Context, id string) (*Account, error)
	FindMunicipalityBySIRUTA(ctx context.Context, siruta int) (*Municipality, error)
	FindMunicipalityProfile(ctx context.Context, siruta int) (*MunicipalityProfile, error)
	FindAccounts(ctx context.Context, f AccountFilter) ([]Account, int, error)
	FindAccountByEmail(ctx context.Context, email string) (*Account, error)
}

// PrepareHelpNotice gathers whom to tell of h and what: every account that holds the
// safeguarding lead role for the municipality and is not disabled, and the email of the
// safeguarding lead named in its profile, each address once. Each is written to in their
// account's language; the profile's address, when no account has it, in Romanian. It returns
// the store's errors.
func (p *Participation) PrepareHelpNotice(ctx context.Context, h HelpRequest) (*HelpNotice, error) {
	n := &HelpNotice{Request: h}
	m, err := p.Store.FindMunicipalityBySIRUTA(ctx, h.Municipality)
	if err != nil {
		return nil, err
	}
	n.MunicipalityName = m.Name
	consultationID := h.ConsultationID
	if consultationID == "" { // a request recorded before requests named their consultation
		s, err := p.Store.FindLiveSessionByID(ctx, h.SessionID)
		if err != nil {
			return nil, err
		}
		consultationID = s.ConsultationID
	}
	c, err := p.Store.FindConsultationByID(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	n.ConsultationTitle = c.Title

	seen := map[string]bool{}
	add := func(email, name, lang string) {
		if email == "" || seen[email] {
			return
		}
		seen[email] = true
		n.Recipients = append(n.Recipients, HelpRecipient{Email: email, Name: name, Lang: lang})
	}
	for offset := 0; ; offset += MaxPageSize {
		accounts, total, err := p.Store.FindAccounts(ctx, AccountFilter{Municipality: h.Municipality, Offset: offset, Limit: MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, a := range accounts {
			if !a.Disabled && a.HasRole(RoleSafeguardingLead, h.Municipality) {
				add(a.Email, a.DisplayName, a.Lang)
			}
		}
		if len(accounts) < MaxPageSize || offset+MaxPageSize >= total {
			break
		}
	}
	prof, err := p.Store.FindMunicipalityProfile(ctx, h.Municipality)
	if err != nil {
		return nil, err
	}
	// Stored normalized (lower case), as account emails are, so one person is written to once.
	email := prof.SafeguardingLead.Email
	if email != "" && !seen[email] {
		// The contact may have an account without the role (a coordinator who looks after
		// safeguarding too): its language is still theirs.
		lang := ""
		acct, err := p.Store.FindAccountByEmail(ctx, email)
		switch ErrorCode(err) {
		case "":
			lang = acct.Lang
		case ENOTFOUND:
		default:
			return nil, err
		}
		add(email, prof.SafeguardingLead.Name, lang)
	}
	return n, nil
}

// RecordHelpNotification records how telling the leads of h went, for the help-request list.
func (p *Participation) RecordHelpNotification(ctx context.Context, h HelpRequest, n HelpNotification) error {
	return p.Store.SetHelpNotification(ctx, h.Municipality, h.ID, n)
}
