// Package mail sends Voci's email (invitations, password-reset links, and the notice to
// safeguarding leads that a child asked for help) through an SMTP server, using
// github.com/wneessen/go-mail, and writes those messages in Romanian, English and Hungarian,
// as plain text with an HTML alternative.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes of the connection to the SMTP server.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, which is required (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: only for a relay on the same host or network
)

// Config says how to reach the SMTP server. A zero Host means mail is not configured.
type Config struct {
	Host     string
	Port     int
	Username string // empty: no authentication
	Password string
	From     string // the sender, e.g. "Voci <voci@primaria.ro>"
	TLS      string // TLSStartTLS, TLSImplicit or TLSNone
}

// Message is one email to one person.
type Message struct {
	To      string
	Subject string
	Text    string // the plain-text body
	HTML    string // the same content as HTML
}

// Sender delivers messages through the configured SMTP server. It is safe for concurrent use:
// each Send opens its own connection.
type Sender struct {
	cfg  Config
	opts []gomail.Option
}

// sendTimeout bounds one delivery: connecting, greeting and sending.
const sendTimeout = 30 * time.Second

// New checks cfg and returns a Sender. It fails for a missing host or sender address, a port
// outside 1..65535 or an unknown TLS mode.
func New(cfg Config) (*Sender, error) {
	if cfg.Host == "" {
		return nil, errors.New("mail: no SMTP host")
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("mail: SMTP port %d is out of range", cfg.Port)
	}
	if _, err := mail.ParseAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("mail: sender address %q: %w", cfg.From, err)
	}
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(sendTimeout)}
	switch cfg.TLS {
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		return nil, fmt.Errorf("mail: TLS mode %q is not one of starttls, tls, none", cfg.TLS)
	}
	if cfg.Username != "" {
		// Over TLS, the strongest mechanism the server offers. Without TLS, PLAIN, which the
		// library sends only to a server on this host: a password never crosses a network
		// in clear.
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.TLS == TLSNone {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return &Sender{cfg: cfg, opts: opts}, nil
}

// Send delivers m. The error describes what failed (connection, authentication, refusal) for
// the operator's log; it may name the server.
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("mail: sender: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	// The library leaves the connection open when the greeting, STARTTLS or authentication
	// fails; closing it here, whatever happens, keeps a misconfigured server from piling up
	// connections.
	var conn net.Conn
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		conn = c
		return c, err
	}
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	client, err := gomail.NewClient(s.cfg.Host, append(s.opts, gomail.WithDialContextFunc(dial))...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send to %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}
	return nil
}
