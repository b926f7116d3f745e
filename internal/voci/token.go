package voci

import (
	"context"
	"time"
)

// ETOKENINVALID is answered for a one-time link (invitation or password reset) that is
// unknown, expired, already used or withdrawn. The message says which, for the person who
// holds the link; it reveals nothing to anyone else, since only the holder has the token.
const ETOKENINVALID = "token_invalid"

// How long one-time links stay valid. An invitation waits for a busy council member to read
// their mail; a password reset is used at once or asked for again.
const (
	InvitationTTL    = 7 * 24 * time.Hour
	PasswordResetTTL = time.Hour
)

// maxTokenLength bounds what is hashed: a real token has 43 characters.
const maxTokenLength = 100

// NewOneTimeToken returns a fresh secret for a link and the hash under which the store keeps
// it. The secret travels only in the link; a copy of the database opens nothing.
func NewOneTimeToken() (secret, hash string) {
	secret = NewSecret()
	return secret, TokenHash(secret)
}

// TokenHash maps a link's secret to the stored hash (hex SHA-256, as for sessions).
func TokenHash(secret string) string { return SessionID(secret) }

// tokenLooksValid rejects what cannot be a token before any store lookup.
func tokenLooksValid(secret string) bool {
	if secret == "" || len(secret) > maxTokenLength {
		return false
	}
	for _, r := range secret {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Invitation lets one person create an account, or add roles to the one they have, by opening
// a link sent to Email. It can be used once, until ExpiresAt, unless it is revoked first.
type Invitation struct {
	ID        string // random, shown to inviters; never the token
	TokenHash string // TokenHash of the link's secret
	Email     string // normalized
	Roles     []RoleGrant
	InvitedBy string // the inviter's account ID
	Lang      string // the language of the message: ro, en or hu
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until accepted
	RevokedAt time.Time // zero unless withdrawn
}

// Pending reports whether the invitation can still be accepted at now.
func (inv *Invitation) Pending(now time.Time) bool {
	return inv.UsedAt.IsZero() && inv.RevokedAt.IsZero() && now.Before(inv.ExpiresAt)
}

// unusable explains why the invitation cannot be accepted at now, or returns nil.
func (inv *Invitation) unusable(now time.Time) error {
	switch {
	case !inv.UsedAt.IsZero():
		return Errorf(ETOKENINVALID, "This invitation has already been accepted. Sign in with your email and password.")
	case !inv.RevokedAt.IsZero():
		return Errorf(ETOKENINVALID, "This invitation was withdrawn. Ask the person who invited you for a new one.")
	case !now.Before(inv.ExpiresAt):
		return Errorf(ETOKENINVALID, "This invitation has expired. Ask the person who invited you for a new one.")
	}
	return nil
}

func invalidInvitationLink() error {
	return Errorf(ETOKENINVALID, "This invitation link is not valid. Check that you copied the whole link from the email.")
}

// PasswordReset lets the holder of an emailed link choose a new password for one account.
type PasswordReset struct {
	TokenHash string // also the record's identity
	AccountID string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until used
}

// InvitationFilter selects pending invitations.
type InvitationFilter struct {
	// Municipalities: invitations with a grant for any of these; nil means every invitation,
	// platform-wide ones included; empty and non-nil matches nothing.
	Municipalities []int
	// Now: invitations expired at Now, used or revoked are left out.
	Now   time.Time
	Limit int
}

// InvitationStore keeps invitations and password-reset links. Consuming a link is one atomic
// conditional write, so that of two requests racing with one link exactly one wins.
type InvitationStore interface {
	// CreateInvitation stores a new invitation, with its audit entry when audit is not nil
	// (see AuditStore); ECONFLICT if its ID or token hash exists.
	CreateInvitation(ctx context.Context, inv *Invitation, audit *AuditEntry) error
	// FindInvitationByID returns ENOTFOUND when there is none.
	FindInvitationByID(ctx context.Context, id string) (*Invitation, error)
	// FindInvitationByTokenHash returns ENOTFOUND when there is none.
	FindInvitationByTokenHash(ctx context.Context, hash string) (*Invitation, error)
	// FindPendingInvitations returns at most f.Limit pending invitations, newest first.
	FindPendingInvitations(ctx context.Context, f InvitationFilter) ([]Invitation, error)
	// ConsumeInvitation marks the invitation with that token hash used at `at` if, at that
	// instant, it is neither used nor revoked nor expired, and returns it as it is afterwards.
	// It returns ENOTFOUND otherwise. The audit entry, when not nil, is written with it.
	ConsumeInvitation(ctx context.Context, hash string, at time.Time, audit *AuditEntry) (*Invitation, error)
	// RevokeInvitation marks a pending invitation revoked at `at`. It returns ENOTFOUND for an
	// unknown ID and ECONFLICT when the invitation was already used or revoked. The audit
	// entry, when not nil, is written with it.
	RevokeInvitation(ctx context.Context, id string, at time.Time, audit *AuditEntry) error
	// RenewInvitation gives an invitation that is neither used nor revoked (it may have
	// expired) a new token hash and expiry in one atomic write, so that from then on the old
	// link opens nothing, and returns the invitation afterwards. It returns ENOTFOUND for an
	// unknown ID and ECONFLICT when the invitation was used or revoked, or the hash is taken.
	// The audit entry, when not nil, is written with it.
	RenewInvitation(ctx context.Context, id, tokenHash string, expiresAt time.Time, audit *AuditEntry) (*Invitation, error)

	// CreatePasswordReset stores a new reset link; ECONFLICT if the hash exists, ENOTFOUND
	// when the account does not.
	// The audit entry, when not nil, is written with it.
	CreatePasswordReset(ctx context.Context, r *PasswordReset, audit *AuditEntry) error
	// FindPasswordReset returns ENOTFOUND when no reset has that token hash.
	FindPasswordReset(ctx context.Context, hash string) (*PasswordReset, error)
	// ConsumePasswordReset marks the reset used at `at` if it is unused and not expired at
	// that instant, atomically; ENOTFOUND otherwise.
	ConsumePasswordReset(ctx context.Context, hash string, at time.Time) (*PasswordReset, error)
	// SpendPasswordResets marks every unused reset of the account used at `at`, so that once
	// a password is reset, older links in a mailbox open nothing. It returns how many.
	SpendPasswordResets(ctx context.Context, accountID string, at time.Time) (int, error)
}

// AccountFilter selects accounts for people management.
type AccountFilter struct {
	Municipality int // accounts holding a role there; 0 means every account
	Offset       int
	Limit        int
}

// PeopleStore is what people management needs beyond AccountStore: listing accounts, and
// changing one role grant at a time atomically, so that two coordinators changing one
// person's roles at once cannot undo each other's change.
type PeopleStore interface {
	// FindAccounts returns one page of the accounts matching f, ordered by email, and the
	// number of matches. EINVALID for a page outside 1..MaxPageSize or a negative offset.
	FindAccounts(ctx context.Context, f AccountFilter) ([]Account, int, error)
	// AddAccountRole grants g to the account unless it holds it already, and returns the
	// account afterwards. ENOTFOUND for an unknown account.
	AddAccountRole(ctx context.Context, accountID string, g RoleGrant, at time.Time) (*Account, error)
	// RemoveAccountRole takes g from the account and returns it afterwards. ENOTFOUND when the
	// account is unknown or does not hold g. For the platform admin role it returns
	// ELASTPLATFORMADMIN, changing nothing, when the account is enabled and no other enabled
	// account holds the role (see LastPlatformAdmin). The audit entry, when not nil, is
	// written with the change.
	RemoveAccountRole(ctx context.Context, accountID string, g RoleGrant, at time.Time, audit *AuditEntry) (*Account, error)
	// SetAccountDisabled disables the account, or enables it again, and returns it afterwards.
	// ENOTFOUND for an unknown account; ELASTPLATFORMADMIN, changing nothing, when it would
	// disable the last enabled platform admin. The audit entry, when not nil, is written with
	// the change.
	SetAccountDisabled(ctx context.Context, accountID string, disabled bool, at time.Time, audit *AuditEntry) (*Account, error)
}
