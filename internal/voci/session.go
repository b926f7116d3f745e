package voci

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Session is an adult's signed-in browser. The token that proves it lives only in the
// browser's cookie; the store keeps its SHA-256 (the session's ID), so a copy of the database
// signs nobody in.
type Session struct {
	ID         string // hex SHA-256 of the token
	AccountID  string
	CSRFToken  string // sent back in a header with every state-changing request
	UserAgent  string // at most 200 characters, to tell one's sessions apart
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// SessionPolicy bounds a session's life.
type SessionPolicy struct {
	Idle     time.Duration // ends after this long without a request
	Absolute time.Duration // ends this long after sign-in, whatever happens
	// TouchEvery limits writes: LastSeenAt is refreshed at most this often.
	TouchEvery time.Duration
}

// DefaultSessionPolicy lets a facilitator run a long workshop without signing in again, and
// still ends a forgotten session on a shared computer the same evening.
var DefaultSessionPolicy = SessionPolicy{Idle: 2 * time.Hour, Absolute: 12 * time.Hour, TouchEvery: time.Minute}

// Expired reports whether the session has ended at now under policy p.
func (p SessionPolicy) Expired(s *Session, now time.Time) bool {
	return now.Sub(s.LastSeenAt) > p.Idle || now.Sub(s.CreatedAt) > p.Absolute
}

// NewSessionToken returns a fresh random token for a cookie and the session ID it maps to.
func NewSessionToken() (token, id string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, SessionID(token)
}

// SessionID maps a cookie's token to the stored session ID.
func SessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewSecret returns 32 random bytes, URL-safe base64 encoded: for CSRF tokens and one-time
// links.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SessionStore keeps adults' sessions.
type SessionStore interface {
	// CreateSession stores a new session, with the audit entry when not nil (see
	// AuditStore); ECONFLICT if the ID exists.
	CreateSession(ctx context.Context, s *Session, audit *AuditEntry) error
	// FindSession returns ENOTFOUND when there is no session with that ID.
	FindSession(ctx context.Context, id string) (*Session, error)
	// TouchSession sets LastSeenAt; ENOTFOUND when the session is gone.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// DeleteSession ends one session, with the audit entry when not nil (see AuditStore);
	// deleting a missing one is not an error and writes no entry.
	DeleteSession(ctx context.Context, id string, audit *AuditEntry) error
	// DeleteAccountSessions ends every session of the account but exceptID (which may be "")
	// and returns how many it ended. The audit entry, when not nil, is written with the
	// change, even when there was no session to end; its At is when the sessions ended.
	DeleteAccountSessions(ctx context.Context, accountID, exceptID string, audit *AuditEntry) (int, error)
	// ListAccountSessions returns the account's sessions, newest first.
	ListAccountSessions(ctx context.Context, accountID string) ([]Session, error)
	// DeleteExpiredSessions ends the sessions last seen before lastSeenBefore or created
	// before createdBefore, and returns how many it ended.
	DeleteExpiredSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) (int, error)
}
