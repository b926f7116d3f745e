package mail_test

import (
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/mail/smtptest"
	"github.com/voci-platform/voci/internal/voci"
)

const link = "https://voci.example.ro/invitation#token=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u"

// parts reads a delivered message and returns its subject and its text and HTML bodies,
// decoded from their transfer encodings.
func parts(t *testing.T, data string) (subject, text, html string) {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		t.Fatalf("content type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable parts
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
	return subject, text, html
}

// TestSendsThroughARealSMTPServer delivers an invitation to an SMTP server listening on
// 127.0.0.1 and reads it back as a mail client would.
func TestSendsThroughARealSMTPServer(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "Voci <voci@primaria-bacau.ro>", TLS: mail.TLSNone,
		Username: "voci", Password: "smtp secret"})
	if err != nil {
		t.Fatal(err)
	}
	msg := mail.InvitationMessage(mail.Invitation{
		Lang: "ro", To: "ana.pop@example.ro", InviterName: "Ioana <Coordonatoare> & co",
		Roles: []mail.GrantedRole{{Role: voci.RoleFacilitator, Municipality: "Bacău"}}, Link: link,
		ExpiresAt: time.Date(2026, 3, 9, 10, 30, 0, 0, time.UTC),
	})
	if err := sender.Send(t.Context(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.From != "voci@primaria-bacau.ro" || len(got.To) != 1 || got.To[0] != "ana.pop@example.ro" {
		t.Fatalf("envelope %q → %v", got.From, got.To)
	}
	if got.Auth != "voci:smtp secret" {
		t.Errorf("authenticated as %q", got.Auth)
	}
	subject, text, html := parts(t, got.Data)
	if subject != "Invitație în Voci" {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{link, "facilitator pentru Bacău", "2026-03-09 10:30 UTC", "Ioana <Coordonatoare> & co"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(html, `href="`+link+`"`) || !strings.Contains(html, "Ioana &lt;Coordonatoare&gt; &amp; co") || strings.Contains(html, "<Coordonatoare>") {
		t.Errorf("the HTML lacks the link or does not escape the inviter's name:\n%s", html)
	}
}

func TestMessagesInThreeLanguages(t *testing.T) {
	want := map[string][2]string{
		"ro": {"Invitație în Voci", "Parolă nouă pentru Voci"},
		"en": {"Your invitation to Voci", "A new password for Voci"},
		"hu": {"Meghívó a Voci platformra", "Új jelszó a Voci platformhoz"},
		"xx": {"Invitație în Voci", "Parolă nouă pentru Voci"}, // unknown: the default language
	}
	for lang, subjects := range want {
		inv := mail.InvitationMessage(mail.Invitation{Lang: lang, To: "a@b.ro", InviterName: "X", Link: link,
			Roles: []mail.GrantedRole{{Role: voci.RoleCoordinator, Municipality: "Corbasca"}}})
		reset := mail.PasswordResetMessage(lang, "a@b.ro", link)
		if inv.Subject != subjects[0] || reset.Subject != subjects[1] {
			t.Errorf("%s: subjects %q, %q", lang, inv.Subject, reset.Subject)
		}
		for _, m := range []mail.Message{inv, reset} {
			if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) {
				t.Errorf("%s: %q lacks the link", lang, m.Subject)
			}
		}
		if !strings.Contains(inv.Text, "Corbasca") {
			t.Errorf("%s: the invitation does not name the municipality", lang)
		}
	}
}

func TestNewRefusesABadConfiguration(t *testing.T) {
	for _, cfg := range []mail.Config{
		{Port: 587, From: "a@b.ro", TLS: mail.TLSStartTLS},
		{Host: "smtp.b.ro", Port: 0, From: "a@b.ro", TLS: mail.TLSStartTLS},
		{Host: "smtp.b.ro", Port: 587, From: "not an address", TLS: mail.TLSStartTLS},
		{Host: "smtp.b.ro", Port: 587, From: "a@b.ro", TLS: "ssl"},
	} {
		if _, err := mail.New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
}

// An unreachable server is an error for the caller to log, not a hang.
func TestSendToANonListeningPortFails(t *testing.T) {
	sender, err := mail.New(mail.Config{Host: "127.0.0.1", Port: 1, From: "a@b.ro", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(t.Context(), mail.PasswordResetMessage("en", "x@y.ro", link)); err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
}

// With starttls, a server that does not offer STARTTLS gets nothing: no silent downgrade to
// clear text.
func TestStartTLSIsRequired(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "a@b.ro", TLS: mail.TLSStartTLS})
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(t.Context(), mail.PasswordResetMessage("en", "x@y.ro", link)); err == nil {
		t.Fatal("Send without STARTTLS succeeded")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages delivered in clear", n)
	}
}

// TestHelpRequestMessage: a safeguarding lead is told the child's alias, the consultation and
// where to follow up, in their language, with the time in Romania; people's words are escaped.
func TestHelpRequestMessage(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := mail.New(mail.Config{Host: srv.Host(), Port: srv.Port(), From: "Voci <voci@primaria-bacau.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	const list = "https://voci.example.ro/m/20297/help-requests"
	for i, c := range []struct{ lang, subject, intro string }{
		{"en", "A child asks to talk to someone (Bacău)", `At 2026-03-09 12:30 (Romanian time), a child pressed "I need to talk to someone" in the live session of the consultation "Parks <& play>", Bacău.`},
		{"", "Un copil cere să vorbească cu cineva (Bacău)", "La 2026-03-09 12:30 (ora României), un copil a apăsat „Am nevoie să vorbesc cu cineva” în sesiunea live a consultării „Parks <& play>”, Bacău."},
		{"hu", "Egy gyerek beszélni szeretne valakivel (Bacău)", "2026-03-09 12:30-kor (romániai idő szerint)"},
	} {
		msg := mail.HelpRequestMessage(mail.HelpRequest{Lang: c.lang, To: "lead@example.ro", Municipality: "Bacău",
			ConsultationTitle: "Parks <& play>", Alias: "Brave Otter 7", At: time.Date(2026, 3, 9, 10, 30, 0, 0, time.UTC), Link: list})
		if err := sender.Send(t.Context(), msg); err != nil {
			t.Fatal(err)
		}
		subject, text, html := parts(t, srv.WaitFor(t, i+1, 5*time.Second)[i].Data)
		if subject != c.subject {
			t.Errorf("%q: subject %q", c.lang, subject)
		}
		for _, want := range []string{c.intro, "Brave Otter 7", list} {
			if !strings.Contains(text, want) {
				t.Errorf("%q: the text lacks %q:\n%s", c.lang, want, text)
			}
		}
		if !strings.Contains(html, "Parks &lt;&amp; play&gt;") || strings.Contains(html, "Parks <&") {
			t.Errorf("%q: the title is not escaped in HTML:\n%s", c.lang, html)
		}
	}
}
