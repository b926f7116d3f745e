package voci

import (
	"context"
	"strings"
	"time"
)

// Codes of signing in.
const (
	EINVALIDCREDENTIALS = "invalid_credentials" // wrong email or password: never says which
	ETOTPREQUIRED       = "totp_required"       // the password was right; now the second factor
	EINVALIDTOTP        = "invalid_totp"        // the second factor's code was wrong
	// EACCOUNTDISABLED: the password was right, but the account has been disabled. Only
	// someone who knows the password learns it, so it reveals nothing to a guesser.
	EACCOUNTDISABLED = "account_disabled"
)

// Passwords hashes and checks adults' passwords (internal/password).
type Passwords interface {
	Hash(pw string) (string, error)
	Verify(pw, hash string) (bool, error)
	// CheckStrength returns EINVALID with advice when pw is too weak for the account's email.
	CheckStrength(pw, email string) error
}

// SecondFactor checks time-based one-time codes and keeps their secrets sealed at rest
// (internal/totp).
type SecondFactor interface {
	NewSecret(accountEmail string) (secret, provisioningURI string, err error)
	// Verify reports whether code is valid for secret at the time, and the time step it
	// belongs to: a later code has a later step.
	Verify(code, secret string, at time.Time) (step int64, ok bool)
	// Seal encrypts a secret for storage on the account.
	Seal(accountID, secret string) (string, error)
	// Open returns the secret that Seal made for the account. A secret stored in plain text
	// (before secrets were sealed) is returned as it is, with sealed false. It fails when
	// the key cannot open the stored secret.
	Open(accountID, stored string) (secret string, sealed bool, err error)
}

// AuthStore is what signing in needs of the store.
type AuthStore interface {
	AccountStore
	SessionStore
}

// Auth signs adults in and out and keeps their sessions. Children never sign in.
type Auth struct {
	Store     AuthStore
	Passwords Passwords
	TOTP      SecondFactor
	Policy    SessionPolicy
	Clock     Clock
	// TOTPExempt lets demo accounts skip the second factor that their role would require.
	TOTPExempt func(*Account) bool
	// Watcher hears of every change that may take access away from an account; nil hears
	// nothing.
	Watcher AccessWatcher
	// dummyHash is verified when the email is unknown, so that the answer takes as long as
	// for a known one and timing reveals nothing.
	dummyHash string
}

// NewAuth returns an Auth ready to use.
func NewAuth(store AuthStore, pw Passwords, totp SecondFactor, policy SessionPolicy, clock Clock) (*Auth, error) {
	dummy, err := pw.Hash("not a password anyone has: " + NewSecret())
	if err != nil {
		return nil, err
	}
	return &Auth{Store: store, Passwords: pw, TOTP: totp, Policy: policy, Clock: clock, dummyHash: dummy,
		TOTPExempt: func(*Account) bool { return false }}, nil
}

// AccessWatcher hears that an adult's access may have shrunk: a session ended, the account
// was disabled, a role was taken away, the password was changed or reset. Whatever the
// adult holds open under earlier rights (a live console, a presenter screen) must check
// again (see Authorize) and close what is no longer allowed; live.Hub does so on every
// instance. It is called after the change is stored, and must not block.
type AccessWatcher interface {
	AccessChanged(accountID string)
}

// accessChanged tells the watcher, if any, that accountID may have lost access.
func (a *Auth) accessChanged(accountID string) {
	if a.Watcher != nil {
		a.Watcher.AccessChanged(accountID)
	}
}

// Authorize checks that a cookie's token still stands for a session of an enabled account
// that holds one of roles for the municipality (or one of them platform-wide), and returns
// the account. It is how a connection opened earlier (a live console) finds out that its
// rights are gone. It returns EUNAUTHORIZED as Authenticate does, and EFORBIDDEN when the
// account no longer holds any of the roles there.
func (a *Auth) Authorize(ctx context.Context, token string, municipality int, roles ...Role) (*Account, error) {
	_, acct, err := a.Authenticate(ctx, token)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if acct.HasRole(r, municipality) {
			return acct, nil
		}
	}
	return nil, Errorf(EFORBIDDEN, "Your role no longer allows this.")
}

// Credentials are what an adult types to sign in.
type Credentials struct {
	Email     string
	Password  string
	TOTP      string // empty on the first step
	UserAgent string
	// Lang is the language the sign-in page is shown in (ro, en or hu), remembered on the
	// account at a successful sign-in; "" leaves the account's as it is.
	Lang string
	// Audit makes the sign-in's audit entry from the account signing in; the session is
	// stored with it. nil records nothing.
	Audit AuditOf[Account]
}

// SignedIn is an open session and the cookie token that proves it.
type SignedIn struct {
	Token   string
	Session *Session
	Account *Account
}

// SignIn checks the credentials and opens a new session. It returns EINVALIDCREDENTIALS for an
// unknown email or a wrong password, alike and in similar time; EACCOUNTDISABLED when the
// password is right but the account is disabled; ETOTPREQUIRED when the password is right and
// a second factor is on; EINVALIDTOTP for a wrong code; EINVALID (param "lang") for a language
// Voci does not speak.
func (a *Auth) SignIn(ctx context.Context, c Credentials) (*SignedIn, error) {
	if c.Lang != "" {
		if _, err := NormalizeLang(c.Lang); err != nil {
			return nil, err
		}
	}
	wrong := Errorf(EINVALIDCREDENTIALS, "The email or the password is not right.")
	email, err := NormalizeEmail(c.Email)
	if err != nil || len(c.Password) > 1024 {
		a.Passwords.Verify(c.Password, a.dummyHash)
		return nil, wrong
	}
	acct, err := a.Store.FindAccountByEmail(ctx, email)
	if ErrorCode(err) == ENOTFOUND {
		a.Passwords.Verify(c.Password, a.dummyHash)
		return nil, wrong
	} else if err != nil {
		return nil, err
	}
	ok, err := a.Passwords.Verify(c.Password, acct.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, wrong
	}
	if acct.Disabled {
		return nil, accountDisabled()
	}
	// A second factor that is on is always asked for, even on an account exempt from having one.
	if acct.TOTPEnabled {
		if c.TOTP == "" {
			return nil, Errorf(ETOTPREQUIRED, "Enter the 6-digit code from your authenticator app.")
		}
		if err := a.checkTOTP(ctx, acct, c.TOTP, ""); err != nil {
			return nil, err
		}
	}
	if err := a.rememberLang(ctx, acct, c.Lang); err != nil {
		return nil, err
	}
	return a.openSession(ctx, acct, c.UserAgent, c.Audit.of(acct))
}

// rememberLang stores lang as the account's language when it is set and differs, so that
// mail to the adult is written in the language they last read Voci in. It is a preference
// that follows from the sign-in, not a change an adult decides on: the sign-in itself is in
// the audit trail, and an entry for every switch of the page's language would bury the
// changes worth finding there. For the same reason UpdatedAt, the time the account was last
// edited, is left as it is.
func (a *Auth) rememberLang(ctx context.Context, acct *Account, lang string) error {
	if lang == "" || lang == acct.Lang {
		return nil
	}
	updated, err := a.Store.UpdateAccount(ctx, acct.ID, AccountUpdate{Lang: &lang})
	if err != nil {
		return err
	}
	*acct = *updated
	return nil
}

func accountDisabled() error {
	return Errorf(EACCOUNTDISABLED, "This account has been disabled. Ask your coordinator or a platform administrator to enable it again.")
}

func (a *Auth) openSession(ctx context.Context, acct *Account, userAgent string, audit *AuditEntry) (*SignedIn, error) {
	now := a.Clock().UTC()
	token, id := NewSessionToken()
	if r := []rune(strings.ToValidUTF8(userAgent, "")); len(r) > 200 {
		userAgent = string(r[:200])
	}
	s := &Session{ID: id, AccountID: acct.ID, CSRFToken: NewSecret(), UserAgent: userAgent, CreatedAt: now, LastSeenAt: now}
	if err := a.Store.CreateSession(ctx, s, audit); err != nil {
		return nil, err
	}
	return &SignedIn{Token: token, Session: s, Account: acct}, nil
}

// Authenticate returns the session and account a cookie's token stands for, refreshing the
// session's last use. It returns EUNAUTHORIZED when the token is unknown, the session has
// expired (it is then deleted) or the account is disabled.
func (a *Auth) Authenticate(ctx context.Context, token string) (*Session, *Account, error) {
	none := Errorf(EUNAUTHORIZED, "Please sign in.")
	if token == "" || len(token) > 100 {
		return nil, nil, none
	}
	s, err := a.Store.FindSession(ctx, SessionID(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, none
	} else if err != nil {
		return nil, nil, err
	}
	now := a.Clock().UTC()
	if a.Policy.Expired(s, now) {
		_ = a.Store.DeleteSession(ctx, s.ID, nil)
		return nil, nil, Errorf(EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	}
	acct, err := a.Store.FindAccountByID(ctx, s.AccountID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && acct.Disabled) {
		_ = a.Store.DeleteSession(ctx, s.ID, nil)
		return nil, nil, none
	} else if err != nil {
		return nil, nil, err
	}
	if now.Sub(s.LastSeenAt) >= a.Policy.TouchEvery {
		if err := a.Store.TouchSession(ctx, s.ID, now); err != nil && ErrorCode(err) != ENOTFOUND {
			return nil, nil, err
		}
		s.LastSeenAt = now
	}
	return s, acct, nil
}

// PurgeExpiredSessions deletes the sessions that have ended under the policy. Sessions are
// also ended when next used; this clears those that never are.
func (a *Auth) PurgeExpiredSessions(ctx context.Context) (int, error) {
	now := a.Clock().UTC()
	return a.Store.DeleteExpiredSessions(ctx, now.Add(-a.Policy.Idle), now.Add(-a.Policy.Absolute))
}

// SignOut ends one session, and what was opened with it. The audit entry, when not nil, is
// stored with the change.
func (a *Auth) SignOut(ctx context.Context, s *Session, audit *AuditEntry) error {
	if err := a.Store.DeleteSession(ctx, s.ID, audit); err != nil {
		return err
	}
	a.accessChanged(s.AccountID)
	return nil
}

// EndSession ends one of the account's own sessions, as SignOut does, and returns it. It
// returns ENOTFOUND for an unknown session or one of another account. The audit entry, when
// not nil, is stored with the change.
func (a *Auth) EndSession(ctx context.Context, accountID, sessionID string, audit *AuditEntry) (*Session, error) {
	s, err := a.Store.FindSession(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if s.AccountID != accountID {
		return nil, Errorf(ENOTFOUND, "There is no such session.")
	}
	return s, a.SignOut(ctx, s, audit)
}

// SignOutEverywhere ends every session of the account except keepID ("" ends them all), and
// what was opened with them. The audit entry, when not nil, is stored with the change.
func (a *Auth) SignOutEverywhere(ctx context.Context, accountID, keepID string, audit *AuditEntry) (int, error) {
	n, err := a.Store.DeleteAccountSessions(ctx, accountID, keepID, audit)
	if err != nil {
		return n, err
	}
	a.accessChanged(accountID)
	return n, nil
}

// ChangePassword replaces the password after checking the current one, then ends the
// account's other sessions, as someone changing a password may fear a stolen one. It returns
// EINVALIDCREDENTIALS for a wrong current password and EINVALID for a weak new one. The new
// password is stored with the audit entry, when not nil.
func (a *Auth) ChangePassword(ctx context.Context, acct *Account, current, next, keepSessionID string, audit *AuditEntry) error {
	ok, err := a.Passwords.Verify(current, acct.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return &Error{Code: EINVALIDCREDENTIALS, Param: "currentPassword", Message: "The current password is not right."}
	}
	if err := a.SetPassword(ctx, acct, next, audit); err != nil {
		return err
	}
	_, err = a.SignOutEverywhere(ctx, acct.ID, keepSessionID, nil)
	return err
}

// SetPassword checks the new password's strength and stores its hash. It returns EINVALID
// (param "password") for a weak password. The audit entry, when not nil, is stored with it.
func (a *Auth) SetPassword(ctx context.Context, acct *Account, next string, audit *AuditEntry) error {
	if err := a.Passwords.CheckStrength(next, acct.Email); err != nil {
		return err
	}
	hash, err := a.Passwords.Hash(next)
	if err != nil {
		return err
	}
	now := a.Clock().UTC()
	updated, err := a.Store.UpdateAccount(ctx, acct.ID, AccountUpdate{PasswordHash: &hash, UpdatedAt: now, Audit: audit})
	if err != nil {
		return err
	}
	*acct = *updated
	return nil
}

// BeginTOTP creates a new second-factor secret for the account, not yet in force, and returns
// it with the URI an authenticator app reads from a QR code. It returns ECONFLICT when a second
// factor is already on. The secret is stored with the audit entry, when not nil.
func (a *Auth) BeginTOTP(ctx context.Context, acct *Account, audit *AuditEntry) (secret, uri string, err error) {
	if acct.TOTPEnabled {
		return "", "", Errorf(ECONFLICT, "Two-step sign-in is already on.")
	}
	secret, uri, err = a.TOTP.NewSecret(acct.Email)
	if err != nil {
		return "", "", err
	}
	sealed, err := a.TOTP.Seal(acct.ID, secret)
	if err != nil {
		return "", "", err
	}
	_, err = a.Store.UpdateAccount(ctx, acct.ID, AccountUpdate{TOTPSecret: &sealed, UpdatedAt: a.Clock().UTC(), Audit: audit})
	return secret, uri, err
}

// EnableTOTP puts the second factor in force once the adult proves their app has the secret.
// It returns EINVALIDTOTP for a wrong code and ECONFLICT when set-up was not begun. The change
// is stored with the audit entry, when not nil.
func (a *Auth) EnableTOTP(ctx context.Context, acct *Account, code string, audit *AuditEntry) error {
	if acct.TOTPSecret == "" {
		return Errorf(ECONFLICT, "Start the set-up of two-step sign-in first.")
	}
	if err := a.checkTOTP(ctx, acct, code, "code"); err != nil {
		return err
	}
	on := true
	_, err := a.Store.UpdateAccount(ctx, acct.ID, AccountUpdate{TOTPEnabled: &on, UpdatedAt: a.Clock().UTC(), Audit: audit})
	return err
}

// DisableTOTP turns the second factor off with a valid code. It returns EFORBIDDEN for roles
// that require it and EINVALIDTOTP for a wrong code. The change is stored with the audit
// entry, when not nil.
func (a *Auth) DisableTOTP(ctx context.Context, acct *Account, code string, audit *AuditEntry) error {
	if acct.RequiresTOTP() && !a.TOTPExempt(acct) {
		return Errorf(EFORBIDDEN, "Your role requires two-step sign-in; it cannot be turned off.")
	}
	if !acct.TOTPEnabled {
		return &Error{Code: EINVALIDTOTP, Param: "code", Message: "The code is not right or has expired."}
	}
	if err := a.checkTOTP(ctx, acct, code, "code"); err != nil {
		return err
	}
	off, empty := false, ""
	_, err := a.Store.UpdateAccount(ctx, acct.ID, AccountUpdate{TOTPEnabled: &off, TOTPSecret: &empty, UpdatedAt: a.Clock().UTC(), Audit: audit})
	return err
}

// MustSetUpTOTP reports whether the account has to turn on two-step sign-in before doing
// anything else.
func (a *Auth) MustSetUpTOTP(acct *Account) bool {
	return acct.RequiresTOTP() && !acct.TOTPEnabled && !a.TOTPExempt(acct)
}

// checkTOTP accepts a second-factor code of the account once: the code must be valid now,
// and its time step later than the last one the account used, which the store records in
// one conditional write, so that a code seen over a shoulder or replayed, even at the same
// instant, opens nothing more. A secret still stored in plain text is sealed on the way. It
// returns EINVALIDTOTP (naming param, when set) for a wrong, expired or used code.
func (a *Auth) checkTOTP(ctx context.Context, acct *Account, code, param string) error {
	secret, sealed, err := a.TOTP.Open(acct.ID, acct.TOTPSecret)
	if err != nil {
		return err
	}
	step, ok := a.TOTP.Verify(code, secret, a.Clock())
	if !ok {
		return &Error{Code: EINVALIDTOTP, Param: param, Message: "The code is not right or has expired. Enter the newest code from your authenticator app."}
	}
	if err := a.Store.UseTOTPStep(ctx, acct.ID, step); ErrorCode(err) == ECONFLICT {
		return &Error{Code: EINVALIDTOTP, Param: param, Message: "This code has been used already. Wait for the next code from your authenticator app."}
	} else if err != nil {
		return err
	}
	if !sealed {
		// The code was right, so the sign-in goes on; a secret that could not be sealed now
		// is sealed at the next use or the next start (Accounts.SealTOTPSecrets).
		_ = a.sealTOTPSecret(ctx, acct, secret)
	}
	return nil
}

// sealTOTPSecret stores the account's plain secret sealed.
func (a *Auth) sealTOTPSecret(ctx context.Context, acct *Account, secret string) error {
	sealed, err := a.TOTP.Seal(acct.ID, secret)
	if err != nil {
		return err
	}
	if _, err := a.Store.UpdateAccount(ctx, acct.ID, AccountUpdate{TOTPSecret: &sealed}); err != nil {
		return err
	}
	acct.TOTPSecret = sealed
	return nil
}
