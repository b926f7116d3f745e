package httpapi

import (
	"context"
	"fmt"

	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/voci"
)

// Telling the safeguarding leads that a child asked to talk to someone. The child's websocket
// only records the request and queues a notice in the store; a voci.HelpNoticeWorker, run by
// Serve, sends the notices through the server's Mailer and retries them until they go, so a
// slow or unreachable mail server never keeps the child waiting, and a restart loses nothing.

// helpListPage is where a safeguarding lead follows up help requests in the web interface.
func (s *Server) helpListPage(municipality int) string {
	return s.Config.BaseURL.String() + fmt.Sprintf("/m/%d/help-requests", municipality)
}

// helpMailer is the voci.HelpMailer of the server: one email per lead, in their language,
// with the child's alias (never in the log) and a link to the list.
type helpMailer struct{ s *Server }

func (m helpMailer) SendHelpNotice(ctx context.Context, n *voci.HelpNotice, to voci.HelpRecipient) error {
	h := n.Request
	return m.s.Mailer.Send(ctx, mail.HelpRequestMessage(mail.HelpRequest{Lang: to.Lang, To: to.Email, Municipality: n.MunicipalityName,
		ConsultationTitle: n.ConsultationTitle, Alias: h.Alias, At: h.CreatedAt, Link: m.s.helpListPage(h.Municipality)}))
}

// newHelpWorker returns the worker of the notice queue; without a Mailer the requests reach
// the leads in Voci only.
func newHelpWorker(s *Server) *voci.HelpNoticeWorker {
	var m voci.HelpMailer
	if s.Mailer != nil {
		m = helpMailer{s: s}
	}
	return voci.NewHelpNoticeWorker(s.Participation, m, s.Logger)
}
