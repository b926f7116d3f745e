package mail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/voci"
)

// TestNotificationMessagesInEveryLanguage writes every kind of reminder in ro, en and hu:
// each has its own subject, names the consultation, links to where to act, and escapes the
// title in HTML (titles are typed by people).
func TestNotificationMessagesInEveryLanguage(t *testing.T) {
	due := time.Date(2026, 5, 31, 21, 30, 0, 0, time.UTC) // 1 June in Romania
	link := "https://voci.example.ro/m/20297/consultations/c1/review"
	want := map[string]string{"ro": "Deschideți", "en": "Open the", "hu": "megnyitása"}
	for lang, button := range want {
		subjects := map[string]bool{}
		for _, kind := range voci.NotificationKinds {
			m := mail.NotificationMessage(mail.Notification{Lang: lang, To: "ana@example.ro", Kind: kind, Title: "Parcul <nostru>",
				Municipality: "Bacău", DueAt: due, Link: link})
			if m.To != "ana@example.ro" || !strings.Contains(m.Subject, "Parcul <nostru>") || subjects[m.Subject] {
				t.Errorf("%s %s: subject %q", lang, kind, m.Subject)
			}
			subjects[m.Subject] = true
			if !strings.Contains(m.Text, link) || !strings.Contains(m.Text, "Bacău") || strings.Contains(m.Text, "%!") {
				t.Errorf("%s %s: text %q", lang, kind, m.Text)
			}
			if !strings.Contains(m.HTML, "Parcul &lt;nostru&gt;") || strings.Contains(m.HTML, "<nostru>") || !strings.Contains(m.HTML, button) {
				t.Errorf("%s %s: html %q", lang, kind, m.HTML)
			}
			if (kind == voci.NotifyFeedbackDueSoon || kind == voci.NotifyFeedbackOverdue) && !strings.Contains(m.Text, "2026-06-01") {
				t.Errorf("%s %s: no due date in Romania's time: %q", lang, kind, m.Text)
			}
		}
	}
	if m := mail.NotificationMessage(mail.Notification{Lang: "de", Kind: voci.NotifyInputReady, Title: "X"}); !strings.Contains(m.Subject, "analizate") {
		t.Errorf("an unknown language is not written in Romanian: %q", m.Subject)
	}
}
