// Package smtptest is a small, real SMTP server for tests: it listens on 127.0.0.1, speaks
// enough of RFC 5321 (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for a mail
// library to deliver to it, and keeps every message it receives.
package smtptest

import (
	"encoding/base64"
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one delivered message.
type Message struct {
	From string
	To   []string
	// Auth is "username:password" when the client authenticated, "" otherwise.
	Auth string
	// Data is the message as sent after DATA: headers and body, dot-unstuffed.
	Data string
}

// Server is a running test SMTP server.
type Server struct {
	ln       net.Listener
	mu       sync.Mutex
	messages []Message
	arrived  chan struct{}
	conns    map[net.Conn]bool
	wg       sync.WaitGroup
}

// Start listens on 127.0.0.1:0 and serves until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartAt(t, "127.0.0.1:0")
}

// StartAt listens on addr and serves until the test ends: a test can have a mail server come
// up where a sender has been failing to reach one.
func StartAt(t testing.TB, addr string) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln, arrived: make(chan struct{}, 100), conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

// Host and Port say where the server listens.
func (s *Server) Host() string { return "127.0.0.1" }
func (s *Server) Port() int    { return s.ln.Addr().(*net.TCPAddr).Port }

// Messages returns what has been delivered so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor waits until n messages have arrived or the timeout passes, and returns them.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("smtptest: %d messages arrived within %v, want %d", len(s.Messages()), timeout, n)
		}
	}
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[conn] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				conn.Close()
				s.mu.Lock()
				delete(s.conns, conn)
				s.mu.Unlock()
			}()
			conn.SetDeadline(time.Now().Add(30 * time.Second))
			s.serve(textproto.NewConn(conn))
		}()
	}
}

func (s *Server) serve(c *textproto.Conn) {
	c.PrintfLine("220 localhost ESMTP smtptest")
	var msg Message
	auth := ""
	for {
		line, err := c.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			c.PrintfLine("250-localhost greets %s", arg)
			c.PrintfLine("250-8BITMIME")
			c.PrintfLine("250 AUTH PLAIN")
		case "HELO":
			c.PrintfLine("250 localhost")
		case "AUTH":
			mech, initial, _ := strings.Cut(arg, " ")
			if !strings.EqualFold(mech, "PLAIN") {
				c.PrintfLine("504 5.5.4 Unrecognized authentication type")
				continue
			}
			if initial == "" {
				c.PrintfLine("334 ")
				if initial, err = c.ReadLine(); err != nil {
					return
				}
			}
			raw, err := base64.StdEncoding.DecodeString(initial)
			parts := strings.Split(string(raw), "\x00")
			if err != nil || len(parts) != 3 {
				c.PrintfLine("501 5.5.2 Cannot decode the credentials")
				continue
			}
			auth = parts[1] + ":" + parts[2]
			c.PrintfLine("235 2.7.0 Authentication successful")
		case "MAIL":
			msg = Message{From: address(arg), Auth: auth}
			c.PrintfLine("250 2.1.0 OK")
		case "RCPT":
			msg.To = append(msg.To, address(arg))
			c.PrintfLine("250 2.1.5 OK")
		case "DATA":
			c.PrintfLine("354 End data with <CR><LF>.<CR><LF>")
			data, err := io.ReadAll(c.DotReader())
			if err != nil {
				return
			}
			msg.Data = string(data)
			s.mu.Lock()
			s.messages = append(s.messages, msg)
			s.mu.Unlock()
			select {
			case s.arrived <- struct{}{}:
			default:
			}
			msg = Message{}
			c.PrintfLine("250 2.0.0 OK: queued")
		case "RSET":
			msg = Message{}
			c.PrintfLine("250 2.0.0 OK")
		case "NOOP":
			c.PrintfLine("250 2.0.0 OK")
		case "QUIT":
			c.PrintfLine("221 2.0.0 Bye")
			return
		default:
			c.PrintfLine("502 5.5.2 Command not recognized")
		}
	}
}

// address takes the address out of "FROM:<a@b> SIZE=…" or "TO:<a@b>".
func address(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}
