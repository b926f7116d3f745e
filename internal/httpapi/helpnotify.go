package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/voci"
)

// Telling the safeguarding leads that a child asked to talk to someone. The child's websocket
// only records the request; the emails go out here, in the background, so that a slow or
// unreachable mail server never keeps the child waiting for the acknowledgement.

const (
	// helpNotifySlots bounds the notifications being sent at once. A request beyond it is not
	// queued behind a stuck mail server: it is recorded as failed, so that the list shows it.
	helpNotifySlots = 16
	// helpNotifyTimeout bounds one notification: reading the recipients and mailing each.
	helpNotifyTimeout = 2 * time.Minute
)

// helpNotifier is the voci.HelpNotifier of the server: it mails through the server's Mailer,
// or logs when there is none, and records the outcome on the request.
type helpNotifier struct {
	s     *Server
	slots chan struct{}
}

func newHelpNotifier(s *Server) *helpNotifier {
	return &helpNotifier{s: s, slots: make(chan struct{}, helpNotifySlots)}
}

// helpListPage is where a safeguarding lead follows up help requests in the web interface.
func (s *Server) helpListPage(municipality int) string {
	return s.Config.BaseURL.String() + fmt.Sprintf("/m/%d/help-requests", municipality)
}

// HelpRequested starts telling the leads of h and returns at once.
func (n *helpNotifier) HelpRequested(h voci.HelpRequest) {
	s := n.s
	s.jobs.Add(1)
	select {
	case n.slots <- struct{}{}:
	default:
		go func() {
			defer s.jobs.Done()
			s.Logger.Error("too many help notifications at once: the safeguarding leads are not emailed about this request",
				"help_request", h.ID, "municipality", h.Municipality)
			n.record(h, voci.HelpNotifyFailed)
		}()
		return
	}
	go func() {
		defer s.jobs.Done()
		defer func() { <-n.slots }()
		ctx, cancel := context.WithTimeout(context.Background(), helpNotifyTimeout)
		defer cancel()
		n.record(h, n.notify(ctx, h))
	}()
}

func (n *helpNotifier) record(h voci.HelpRequest, status voci.HelpNotification) {
	// A fresh context: the outcome is worth recording even when sending used up its time.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.s.Participation.RecordHelpNotification(ctx, h, status); err != nil {
		n.s.Logger.Error("the outcome of a help notification could not be recorded", "help_request", h.ID,
			"municipality", h.Municipality, "notification", string(status), "error", err)
	}
}

// notify mails every recipient and says how it went. The child's alias is in the mail, for
// the lead to find the child, but never in the log.
func (n *helpNotifier) notify(ctx context.Context, h voci.HelpRequest) voci.HelpNotification {
	s := n.s
	notice, err := s.Participation.PrepareHelpNotice(ctx, h)
	if err != nil {
		s.Logger.Error("a child asked for help, but the safeguarding leads to tell could not be read",
			"help_request", h.ID, "municipality", h.Municipality, "error", err)
		return voci.HelpNotifyFailed
	}
	link := s.helpListPage(h.Municipality)
	if len(notice.Recipients) == 0 {
		s.Logger.Warn("a child asked for help, but the municipality has no safeguarding lead to email: add one, or a contact email in its profile",
			"help_request", h.ID, "municipality", h.Municipality, "link", link)
		return voci.HelpNotifyNoRecipients
	}
	if s.Mailer == nil {
		s.Logger.Warn("a child asked for help (no SMTP server is configured, so the safeguarding leads are not emailed)",
			"help_request", h.ID, "municipality", h.Municipality, "recipients", len(notice.Recipients), "link", link)
		return voci.HelpNotifyNotConfigured
	}
	status := voci.HelpNotifySent
	for _, r := range notice.Recipients {
		msg := mail.HelpRequestMessage(mail.HelpRequest{Lang: r.Lang, To: r.Email, Municipality: notice.MunicipalityName,
			ConsultationTitle: notice.ConsultationTitle, Alias: h.Alias, At: h.CreatedAt, Link: link})
		if err := s.Mailer.Send(ctx, msg); err != nil {
			s.Logger.Error("a safeguarding lead could not be emailed about a help request", "help_request", h.ID,
				"municipality", h.Municipality, "recipient", r.Email, "error", err)
			status = voci.HelpNotifyFailed
		}
	}
	return status
}
