package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/voci"
)

// The adults' notifications: what the reminder job (voci.Reminders, run by Serve) told them.
// Each adult reads and marks only their own; another adult's notification is "not found".

// notificationLink is where a notification leads in the web interface: the review workspace
// for input to review and recommendations to answer, the consultation's page for feedback.
func notificationLink(n *voci.Notification) string {
	if n.ConsultationID == "" {
		if n.RecommendationID != "" {
			// A recommendation from no consultation is a youth council's motion: its page lists
			// the motions sent, with their decisions and feedback.
			return fmt.Sprintf("/m/%d/youth-council", n.Municipality)
		}
		return fmt.Sprintf("/m/%d/consultations", n.Municipality)
	}
	switch n.Kind {
	case voci.NotifyInputReady, voci.NotifyAwaitingAnswer:
		return fmt.Sprintf("/m/%d/consultations/%s/review", n.Municipality, n.ConsultationID)
	}
	return fmt.Sprintf("/m/%d/consultations/%s", n.Municipality, n.ConsultationID)
}

type notificationJSON struct {
	ID               string     `json:"id"`
	Kind             string     `json:"kind"`
	Municipality     int        `json:"municipality"`
	ConsultationID   string     `json:"consultationId"`
	RecommendationID string     `json:"recommendationId"`
	Title            string     `json:"title"`
	DueAt            *time.Time `json:"dueAt"`
	CreatedAt        time.Time  `json:"createdAt"`
	ReadAt           *time.Time `json:"readAt"`
	// Link is the path of the page to act on.
	Link string `json:"link"`
	// Mail is none (no mail server), pending, sent or failed.
	Mail string `json:"mail"`
}

func toNotificationJSON(n *voci.Notification) notificationJSON {
	return notificationJSON{ID: n.ID, Kind: string(n.Kind), Municipality: n.Municipality, ConsultationID: n.ConsultationID,
		RecommendationID: n.RecommendationID, Title: n.Title, DueAt: optTime(n.DueAt), CreatedAt: n.CreatedAt.UTC(),
		ReadAt: optTime(n.ReadAt), Link: notificationLink(n), Mail: string(n.MailState)}
}

// handleListMyNotifications answers a page of the signed-in adult's notifications, newest
// first, with their total and how many are unread (the bell's count).
func (s *Server) handleListMyNotifications() fiber.Handler {
	type response struct {
		Items  []notificationJSON `json:"items"`
		Total  int                `json:"total"`
		Unread int                `json:"unread"`
		Offset int                `json:"offset"`
		Limit  int                `json:"limit"`
	}
	return func(c *fiber.Ctx) error {
		offset, err := intQuery(c, "offset", 0, 0, 1_000_000)
		if err != nil {
			return err
		}
		limit, err := intQuery(c, "limit", 20, 1, voci.MaxPageSize)
		if err != nil {
			return err
		}
		page, err := voci.ListNotifications(c.UserContext(), s.Store, principalOf(c).account, c.Query("unread") == "true", offset, limit)
		if err != nil {
			return err
		}
		resp := response{Items: make([]notificationJSON, 0, len(page.Items)), Total: page.Total, Unread: page.Unread, Offset: offset, Limit: limit}
		for i := range page.Items {
			resp.Items = append(resp.Items, toNotificationJSON(&page.Items[i]))
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

// handleReadNotification marks one of the signed-in adult's notifications read.
func (s *Server) handleReadNotification() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := utils.CopyString(c.Params("id"))
		if err := voci.MarkNotificationRead(c.UserContext(), s.Store, principalOf(c).account.ID, id, s.Clock()); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// handleReadAllNotifications marks every notification of the signed-in adult read.
func (s *Server) handleReadAllNotifications() fiber.Handler {
	type response struct {
		Marked int `json:"marked"`
	}
	return func(c *fiber.Ctx) error {
		n, err := s.Store.MarkAllNotificationsRead(c.UserContext(), principalOf(c).account.ID, s.Clock())
		if err != nil {
			return err
		}
		return c.JSON(response{Marked: n})
	}
}

// notificationMailer is the voci.NotificationMailer of the server: one email per
// notification, in the adult's language, with a link to act on.
type notificationMailer struct{ s *Server }

func (m notificationMailer) SendNotification(ctx context.Context, n *voci.Notification) error {
	name := ""
	if mun, err := m.s.Store.FindMunicipalityBySIRUTA(ctx, n.Municipality); err == nil {
		name = mun.Name
	} else {
		return err
	}
	return m.s.Mailer.Send(ctx, mail.NotificationMessage(mail.Notification{Lang: n.Lang, To: n.Email, Kind: n.Kind, Title: n.Title,
		Municipality: name, DueAt: n.DueAt, Link: m.s.Config.BaseURL.String() + notificationLink(n)}))
}

// newReminders returns the reminder job of the server, every VOCI_REMINDER_INTERVAL; without
// a Mailer the notifications are in Voci only.
func newReminders(s *Server) *voci.Reminders {
	var m voci.NotificationMailer
	if s.Mailer != nil {
		m = notificationMailer{s: s}
	}
	var interval time.Duration
	if s.Config != nil {
		interval = s.Config.ReminderInterval
	}
	r := voci.NewReminders(s.Store, m, s.Logger, s.Clock, interval)
	r.Ready = s.ready.Load
	// What the consultations alone cannot tell: whether every recommendation of a
	// consultation has published feedback (from Feedbacks), and which recommendations no
	// published council decision answers yet (from Decisions).
	facts := r.Facts.(*voci.ConsultationFacts)
	facts.Answered = func(ctx context.Context, c *voci.Consultation) (bool, error) {
		st, err := s.Feedbacks.ConsultationStatusOf(ctx, c)
		return st.Answered, err
	}
	facts.Awaiting = func(ctx context.Context, municipality int) ([]voci.PendingRecommendation, error) {
		recs, err := s.Decisions.RecommendationsAwaitingDecision(ctx, municipality)
		out := make([]voci.PendingRecommendation, 0, len(recs))
		for _, rec := range recs {
			out = append(out, voci.PendingRecommendation{ID: rec.ID, ConsultationID: rec.ConsultationID, Title: rec.Title})
		}
		return out, err
	}
	return r
}
