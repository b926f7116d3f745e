package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/mail/smtptest"
	"github.com/voci-platform/voci/internal/voci"
)

// These tests follow "I need to talk to someone" from the child's phone to the safeguarding
// leads' mailboxes, and the facilitator's websocket commands into the audit trail: the real
// application on 127.0.0.1:0, real websockets, a real SQLite file and a real SMTP server.

type helpAck struct {
	Message string `json:"message"`
	Contact *struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
	} `json:"contact"`
	Helplines []struct {
		Number string `json:"number"`
		Kind   string `json:"kind"`
	} `json:"helplines"`
}

func (c *child) askForHelp(t *testing.T) helpAck {
	t.Helper()
	r := c.reply(c.send("help.request", nil))
	if r.Type != "help.ack" {
		t.Fatalf("help.request: %s %s", r.Type, r.Data)
	}
	var a helpAck
	r.decode(t, &a)
	return a
}

type helpItem struct {
	ID           string `json:"id"`
	Alias        string `json:"alias"`
	Notification string `json:"notification"`
}

// helpNotification polls the lead's list until the child's request has left "pending", with
// a generous deadline: the mail goes out in the background.
func helpNotification(t *testing.T, lead *client, alias string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		a := lead.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/help-requests", bacau), nil)
		mustStatus(t, a, 200)
		var list struct{ Items []helpItem }
		decodeBody(t, a, &list)
		for _, h := range list.Items {
			if h.Alias == alias && h.Notification != string(voci.HelpNotifyPending) {
				return h.Notification
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the help request of %q is still pending or missing: %+v", alias, list.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestHelpRequestIsMailedToTheLeads: every safeguarding lead of the municipality and the
// profile's contact are mailed once, with the alias and the consultation's title only; the
// child is told who will come and which lines to call; pressing again mails nobody again.
func TestHelpRequestIsMailedToTheLeads(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "Voci <voci@example.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	var log logBuffer
	ls := newLiveServer(t, withLog(&log), func(d *httpapi.Deps) { d.Mailer = sender })
	f := ls.setUp(t)

	// A second lead, who is also the profile's contact (written in capitals there); a
	// disabled lead; a lead of another municipality. Only the first two are mailed, once each.
	ls.createAccount(t, "ioana.lead@example.ro", voci.RoleSafeguardingLead, bacau)
	gone := ls.createAccount(t, "gone.lead@example.ro", voci.RoleSafeguardingLead, bacau)
	disabled := true
	if _, err := ls.store.UpdateAccount(t.Context(), gone.ID, voci.AccountUpdate{Disabled: &disabled, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	coordinator := signInAs(t, ls.testServer, "coordinator.bacau@demo.voci.ro")
	mustStatus(t, coordinator.do(t, "PATCH", fmt.Sprintf("/api/v1/municipalities/%d/profile", bacau), map[string]any{
		"safeguardingLead": map[string]string{"name": "Elena Ionescu", "phone": "0234 581 849", "email": "Ioana.Lead@Example.ro"}}), 200)

	kid := ls.join(t, f, "en")
	facilitator := ls.adult(t, f.fac, f, "facilitator")
	f.command(t, facilitator, "question.open", map[string]any{"questionId": f.text.ID})
	const secret = "my uncle takes my pocket money every week"
	kid.mustAnswer(t, f.text.ID, nil, secret, "help-test-answer-1")

	ack := kid.askForHelp(t)
	if ack.Contact == nil || ack.Contact.Name != "Elena Ionescu" || ack.Contact.Phone != "0234 581 849" {
		t.Fatalf("contact %+v", ack.Contact)
	}
	var numbers []string
	for _, l := range ack.Helplines {
		numbers = append(numbers, l.Number+" "+l.Kind)
	}
	if !slices.Equal(numbers, []string{"119 abuse_report", "116 111 child_helpline", "112 emergency"}) {
		t.Fatalf("helplines %v", numbers)
	}
	if !strings.HasPrefix(ack.Message, "Thank you for telling us. Elena Ionescu, who looks after children's safety in your town,") {
		t.Fatalf("message %q", ack.Message)
	}

	msgs := srv.WaitFor(t, 2, 20*time.Second)
	var to []string
	for _, m := range msgs {
		to = append(to, m.To...)
		subject, text := mailedPart(t, m.Data)
		if subject != "Un copil cere să vorbească cu cineva (Bacău)" {
			t.Errorf("subject %q", subject)
		}
		for _, want := range []string{"Porecla copilului în sesiune: " + kid.alias + ".", "„Parcul nostru”",
			ls.Config.BaseURL.String() + fmt.Sprintf("/m/%d/help-requests", bacau)} {
			if !strings.Contains(text, want) {
				t.Errorf("the mail lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(m.Data, secret) || strings.Contains(text, secret) {
			t.Errorf("the mail holds the child's answer:\n%s", text)
		}
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"ioana.lead@example.ro", "safeguarding.bacau@demo.voci.ro"}) {
		t.Fatalf("mailed %v", to)
	}
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	if n := helpNotification(t, lead, kid.alias); n != string(voci.HelpNotifySent) {
		t.Fatalf("notification %q", n)
	}

	// Pressing again: the same answer, the same one request, and no second mail. A
	// notification would have been started before the ack, so waiting for the background
	// work after it is enough to see one.
	again := kid.askForHelp(t)
	if again.Message != ack.Message {
		t.Fatalf("second answer %q", again.Message)
	}
	ls.WaitForBackground()
	if n := len(srv.Messages()); n != 2 {
		t.Fatalf("%d messages after pressing again, want 2", n)
	}
	a := lead.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/help-requests?open=true", bacau), nil)
	var list struct{ Items []helpItem }
	decodeBody(t, a, &list)
	if len(list.Items) != 1 {
		t.Fatalf("open requests %+v", list.Items)
	}
	if strings.Contains(log.String(), kid.alias) {
		t.Fatalf("the log names the child:\n%s", log.String())
	}
}

// TestHelpRequestWithoutSMTP: without a mail server the request is logged without the child's
// alias, the list says the leads were not emailed, and a municipality that named nobody
// gives the child the adults who keep children safe and the national lines.
func TestHelpRequestWithoutSMTP(t *testing.T) {
	var log logBuffer
	ls := newLiveServer(t, withLog(&log))
	f := ls.setUp(t)
	kid := ls.join(t, f, "ro")
	ack := kid.askForHelp(t)
	if ack.Contact != nil {
		t.Fatalf("contact %+v for a municipality that named nobody", ack.Contact)
	}
	for _, want := range []string{"Mesajul tău ajunge la adulții care au grijă de siguranța copiilor", "119, dacă cineva",
		"116 111, Telefonul Copilului", "sună la 112."} {
		if !strings.Contains(ack.Message, want) {
			t.Errorf("message lacks %q: %s", want, ack.Message)
		}
	}
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	if n := helpNotification(t, lead, kid.alias); n != string(voci.HelpNotifyNotConfigured) {
		t.Fatalf("notification %q", n)
	}
	logged := log.String()
	if !strings.Contains(logged, "no SMTP server is configured, so the safeguarding leads are not emailed") {
		t.Fatalf("not logged:\n%s", logged)
	}
	if strings.Contains(logged, kid.alias) {
		t.Fatalf("the log names the child:\n%s", logged)
	}
}

// TestHelpNotificationFailureIsShown: a mail server that cannot be reached does not delay the
// child's answer, and the lead's list says the mail failed.
func TestHelpNotificationFailureIsShown(t *testing.T) {
	sender, err := mail.New(mail.Config{Host: "127.0.0.1", Port: 1, From: "voci@example.ro", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	ls := newLiveServer(t, func(d *httpapi.Deps) { d.Mailer = sender })
	f := ls.setUp(t)
	kid := ls.join(t, f, "hu")
	if ack := kid.askForHelp(t); !strings.HasPrefix(ack.Message, "Köszönjük, hogy szóltál.") {
		t.Fatalf("message %q", ack.Message)
	}
	lead := signInAs(t, ls.testServer, "safeguarding.bacau@demo.voci.ro")
	if n := helpNotification(t, lead, kid.alias); n != string(voci.HelpNotifyRetrying) {
		t.Fatalf("notification %q", n)
	}
}
