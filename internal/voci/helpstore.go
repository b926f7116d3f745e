package voci

import (
	"context"
	"strings"
	"time"
)

// The help-request list of the leads, and what they do with a request.

// HelpRequestFilter selects a municipality's help requests, unacknowledged or acknowledged.
// Unacknowledged requests come oldest first, so that a request made before a flood of
// presses stays at the top; acknowledged ones newest first.
type HelpRequestFilter struct {
	Municipality int
	Acknowledged bool
	Offset       int
	Limit        int // 1..MaxPageSize
}

// HelpNoticeJob is one notice in the durable queue: telling one recipient of one help
// request, or, with Recipient empty, working out whom to tell (the fan-out). There is at most
// one per request and recipient (its ID is made of both), so a lead is told at most once.
type HelpNoticeJob struct {
	ID           string
	RequestID    string
	Municipality int
	Recipient    string // an email address; "" for the fan-out
	Name         string
	Lang         string
	Attempts     int
	DueAt        time.Time
	// LeaseOwner and LeaseUntil say which worker holds the notice while it is being sent;
	// another worker may take it only once the lease has run out.
	LeaseOwner string
	LeaseUntil time.Time
	SentAt     time.Time // zero until done
	LastError  string
	CreatedAt  time.Time
}

func helpNoticeID(requestID, recipient string) string { return requestID + "|" + recipient }

// HelpStore keeps help requests and the queue of notices about them.
type HelpStore interface {
	// CreateHelpRequest stores a help request. ECONFLICT if the ID exists, if the participant
	// already has an open request of kind HelpAsked (not closed), or if the answer already
	// raised one: the store enforces it (a unique index), so that racing presses make one.
	CreateHelpRequest(ctx context.Context, h *HelpRequest) error
	// FindOpenHelpRequest returns the participant's open request of kind HelpAsked;
	// ENOTFOUND if none.
	FindOpenHelpRequest(ctx context.Context, participantID string) (*HelpRequest, error)
	// FindHelpRequestByAnswer returns the request the answer raised; ENOTFOUND if none.
	FindHelpRequestByAnswer(ctx context.Context, answerID string) (*HelpRequest, error)
	// FindHelpRequestByID returns ENOTFOUND when the municipality has no such request.
	FindHelpRequestByID(ctx context.Context, municipality int, id string) (*HelpRequest, error)
	// FindHelpRequests returns a page of the requests f selects, in f's order, and how many
	// it selects in all.
	FindHelpRequests(ctx context.Context, f HelpRequestFilter) ([]HelpRequest, int, error)
	// AcknowledgeHelpRequest records who took the request on. ENOTFOUND if there is no such
	// request in the municipality; acknowledging twice keeps the first.
	AcknowledgeHelpRequest(ctx context.Context, municipality int, id, by string, at time.Time, audit *AuditEntry) error
	// NoteHelpRequest replaces the request's note. ENOTFOUND as above.
	NoteHelpRequest(ctx context.Context, municipality int, id, note, by string, at time.Time, audit *AuditEntry) error
	// CloseHelpRequest closes the request (acknowledging it too, when nobody had), so that the
	// child's next press makes a new one. ENOTFOUND as above; closing twice keeps the first.
	CloseHelpRequest(ctx context.Context, municipality int, id, by string, at time.Time, audit *AuditEntry) error
	// SetHelpNotification records how telling the safeguarding leads went. ENOTFOUND if there
	// is no such request in the municipality.
	SetHelpNotification(ctx context.Context, municipality int, id string, n HelpNotification) error

	// EnqueueHelpNotices stores each notice whose ID is not stored yet and leaves the others
	// as they are.
	EnqueueHelpNotices(ctx context.Context, notices []HelpNoticeJob) error
	// ClaimHelpNotices leases to owner, until until, up to limit notices that are not sent,
	// are due at now and are not leased (or whose lease ran out), each by a conditional
	// update, so that two workers never hold one notice; it returns them, earliest due first.
	ClaimHelpNotices(ctx context.Context, owner string, now, until time.Time, limit int) ([]HelpNoticeJob, error)
	// FinishHelpNotice marks the notice sent at at. ECONFLICT when owner no longer holds it.
	FinishHelpNotice(ctx context.Context, id, owner string, at time.Time) error
	// RetryHelpNotice releases the notice to be tried again at due, counting the attempt and
	// keeping its error. ECONFLICT when owner no longer holds it.
	RetryHelpNotice(ctx context.Context, id, owner string, due time.Time, lastError string) error
	// CountUnsentHelpNotices counts the request's notices not sent yet.
	CountUnsentHelpNotices(ctx context.Context, requestID string) (int, error)
}

// HelpRequestDetail is a help request with what the leads need to find the child.
type HelpRequestDetail struct {
	HelpRequest
	// AliasNow is the alias the child has now (children may change it); the alias at the
	// time of the request when the child cannot be read.
	AliasNow          string
	ConsultationTitle string
	MunicipalityName  string
	JoinCode          string // of the live session; "" for a self-paced child
	SessionStartedAt  time.Time
	Facilitator       string // the display name of the adult who started the session
	// AnswerText is the text that raised a possible disclosure. Only the municipality's
	// facilitators, coordinator and safeguarding leads may be shown it.
	AnswerText string
}

// MaxHelpNoteLength bounds a lead's note.
const MaxHelpNoteLength = 2000

// ListHelpRequests returns a page of the municipality's help requests, unacknowledged first
// (oldest first among them), then the others (newest first), and how many there are; only
// the unacknowledged ones when unacknowledgedOnly. EINVALID for a bad page.
func (p *Participation) ListHelpRequests(ctx context.Context, municipality, offset, limit int, unacknowledgedOnly bool) ([]HelpRequestDetail, int, error) {
	if offset < 0 || limit < 1 || limit > MaxPageSize {
		return nil, 0, InvalidParam("limit", "A page holds 1 to %d items, from an offset of 0 or more.", MaxPageSize)
	}
	open, openTotal, err := p.Store.FindHelpRequests(ctx, HelpRequestFilter{Municipality: municipality, Offset: offset, Limit: limit})
	if err != nil {
		return nil, 0, err
	}
	list, total := open, openTotal
	if !unacknowledgedOnly {
		rest := limit - len(open)
		restOffset := max(0, offset-openTotal)
		// The total of acknowledged requests is needed even when the page is full of open ones.
		done, doneTotal, err := p.Store.FindHelpRequests(ctx, HelpRequestFilter{Municipality: municipality, Acknowledged: true,
			Offset: restOffset, Limit: max(rest, 1)})
		if err != nil {
			return nil, 0, err
		}
		if rest > 0 {
			list = append(list, done...)
		}
		total += doneTotal
	}
	out := make([]HelpRequestDetail, 0, len(list))
	m, err := p.Store.FindMunicipalityBySIRUTA(ctx, municipality)
	if err != nil {
		return nil, 0, err
	}
	titles, sessions, names := map[string]string{}, map[string]*LiveSession{}, map[string]string{}
	for _, h := range list {
		d := HelpRequestDetail{HelpRequest: h, AliasNow: h.Alias, MunicipalityName: m.Name}
		if h.SessionID != "" {
			s, ok := sessions[h.SessionID]
			if !ok {
				s, _ = p.Store.FindLiveSessionByID(ctx, h.SessionID)
				sessions[h.SessionID] = s
			}
			if s != nil {
				d.JoinCode, d.SessionStartedAt = s.JoinCode, s.StartedAt
				if d.ConsultationID == "" {
					d.ConsultationID = s.ConsultationID
				}
				name, ok := names[s.StartedBy]
				if !ok {
					if a, err := p.Store.FindAccountByID(ctx, s.StartedBy); err == nil {
						name = a.DisplayName
						if name == "" {
							name = a.Email
						}
					}
					names[s.StartedBy] = name
				}
				d.Facilitator = name
			}
		}
		if part, err := p.findParticipantOf(ctx, h); err == nil && part.Alias != "" {
			d.AliasNow = part.Alias
		}
		if d.ConsultationID != "" {
			title, ok := titles[d.ConsultationID]
			if !ok {
				if c, err := p.Store.FindConsultationByID(ctx, d.ConsultationID); err == nil {
					title = c.Title
				}
				titles[d.ConsultationID] = title
			}
			d.ConsultationTitle = title
		}
		if h.Kind == HelpPossibleDisclosure && h.AnswerID != "" {
			if a, err := p.Store.FindAnswerByID(ctx, h.AnswerID); err == nil {
				d.AnswerText = a.Text
			}
		}
		out = append(out, d)
	}
	return out, total, nil
}

// CountUnacknowledgedHelpRequests counts the requests nobody has taken on yet in the
// municipalities, for the leads' badge.
func (p *Participation) CountUnacknowledgedHelpRequests(ctx context.Context, municipalities []int) (int, error) {
	n := 0
	for _, m := range municipalities {
		_, total, err := p.Store.FindHelpRequests(ctx, HelpRequestFilter{Municipality: m, Limit: 1})
		if err != nil {
			return 0, err
		}
		n += total
	}
	return n, nil
}

// AcknowledgeHelpRequest records that actor took the request on. ENOTFOUND if the
// municipality has no such request.
func (p *Participation) AcknowledgeHelpRequest(ctx context.Context, municipality int, id, actor string, audit *AuditEntry) error {
	return p.Store.AcknowledgeHelpRequest(ctx, municipality, id, actor, p.now(), audit)
}

// NoteHelpRequest replaces the request's note (trimmed; empty clears it). EINVALID for a
// note longer than MaxHelpNoteLength; ENOTFOUND as above.
func (p *Participation) NoteHelpRequest(ctx context.Context, municipality int, id, actor, note string, audit *AuditEntry) error {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > MaxHelpNoteLength {
		return InvalidParam("note", "A note holds at most %d characters.", MaxHelpNoteLength)
	}
	return p.Store.NoteHelpRequest(ctx, municipality, id, note, actor, p.now(), audit)
}

// CloseHelpRequest closes the request. ENOTFOUND as above.
func (p *Participation) CloseHelpRequest(ctx context.Context, municipality int, id, actor string, audit *AuditEntry) error {
	return p.Store.CloseHelpRequest(ctx, municipality, id, actor, p.now(), audit)
}
