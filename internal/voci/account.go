package voci

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode"
)

// Role is what an adult may do. Children never have accounts or roles.
type Role string

const (
	RolePlatformAdmin     Role = "platform_admin"
	RoleNationalCommittee Role = "national_committee"
	RoleCoordinator       Role = "coordinator"
	RoleFacilitator       Role = "facilitator"
	RoleCouncilMember     Role = "council_member"
	RoleSafeguardingLead  Role = "safeguarding_lead"
)

// Roles lists every role, platform-wide ones first.
var Roles = []Role{RolePlatformAdmin, RoleNationalCommittee, RoleCoordinator, RoleFacilitator, RoleCouncilMember, RoleSafeguardingLead}

// PlatformWide reports whether the role is held for the whole platform rather than for one
// municipality.
func (r Role) PlatformWide() bool { return r == RolePlatformAdmin || r == RoleNationalCommittee }

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// RoleGrant is one role held by an account, for one municipality unless the role is
// platform-wide (then Municipality is 0).
type RoleGrant struct {
	Role         Role
	Municipality int // SIRUTA code
}

// Validate returns EINVALID when the grant's scope does not fit its role.
func (g RoleGrant) Validate() error {
	switch {
	case !g.Role.Valid():
		return InvalidParam("role", "Unknown role %q.", g.Role)
	case g.Role.PlatformWide() && g.Municipality != 0:
		return InvalidParam("municipality", "The role %s is held for the whole platform, not for one municipality.", g.Role)
	case !g.Role.PlatformWide() && g.Municipality <= 0:
		return InvalidParam("municipality", "The role %s is held for a municipality; name one.", g.Role)
	}
	return nil
}

// ELASTPLATFORMADMIN is answered for a change that would leave the platform without an enabled
// platform admin, the only role that can enrol municipalities and invite admins. Stores keep
// this true atomically, as two admins could otherwise disable each other at the same instant.
const ELASTPLATFORMADMIN = "last_platform_admin"

// LastPlatformAdmin is the error a store returns when it refuses such a change.
func LastPlatformAdmin() error {
	return Errorf(ELASTPLATFORMADMIN, "This is the last platform administrator who can sign in. Invite another administrator first, then try again.")
}

// Account is an adult's account. Email is stored normalized (see NormalizeEmail) and unique.
type Account struct {
	ID           string
	Email        string
	DisplayName  string
	PasswordHash string // a PHC-format argon2id hash; never leaves the server
	// TOTPSecret is the base32 secret of the second factor; set during set-up, in force once
	// TOTPEnabled.
	TOTPSecret  string
	TOTPEnabled bool
	Roles       []RoleGrant
	Disabled    bool
	// Lang is the language Voci writes to the adult in (ro, en or hu): the invitation's when
	// the account was made, then the one the sign-in page was shown in at the latest sign-in.
	// "" when not known yet, which means Romanian.
	Lang      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RequiresTOTP reports whether the account must sign in with a second factor: platform admins
// and national committee members see every municipality.
func (a *Account) RequiresTOTP() bool {
	return a.HasRole(RolePlatformAdmin, 0) || a.HasRole(RoleNationalCommittee, 0)
}

// HasRole reports whether the account holds role for the municipality; for platform-wide roles
// the municipality is ignored.
func (a *Account) HasRole(role Role, municipality int) bool {
	for _, g := range a.Roles {
		if g.Role == role && (role.PlatformWide() || g.Municipality == municipality) {
			return true
		}
	}
	return false
}

// Validate checks the account's fields: a valid email, a display name of 1–100 printable
// characters, a language Voci speaks (or none yet), valid role grants, no grant twice. It
// returns EINVALID naming the field.
func (a *Account) Validate() error {
	if a.ID == "" {
		return InvalidParam("id", "The account has no identifier.")
	}
	email, err := NormalizeEmail(a.Email)
	if err != nil {
		return err
	}
	a.Email = email
	if err := ValidateText("displayName", a.DisplayName, 1, 100); err != nil {
		return err
	}
	if a.Lang != "" {
		if _, err := NormalizeLang(a.Lang); err != nil {
			return err
		}
	}
	seen := make(map[RoleGrant]bool, len(a.Roles))
	for _, g := range a.Roles {
		if err := g.Validate(); err != nil {
			return err
		}
		if seen[g] {
			return InvalidParam("roles", "The role %s is granted twice for the same scope.", g.Role)
		}
		seen[g] = true
	}
	return nil
}

// NormalizeEmail trims and lower-cases an address and checks that it is a bare address of at
// most 254 characters. It returns EINVALID (param "email") otherwise.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) == 0 || len(s) > 254 {
		return "", InvalidParam("email", "Enter an email address of at most 254 characters.")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", InvalidParam("email", "%q is not a valid email address.", s)
	}
	return s, nil
}

// ValidateText checks that s has between min and max characters, is valid UTF-8 and holds no
// control characters. It returns EINVALID naming param.
func ValidateText(param, s string, min, max int) error {
	n := 0
	for _, r := range s {
		if r == unicode.ReplacementChar || unicode.IsControl(r) {
			return InvalidParam(param, "The text contains characters that are not allowed.")
		}
		n++
	}
	if n < min || n > max {
		return InvalidParam(param, "The text must have between %d and %d characters.", min, max)
	}
	return nil
}

// AccountStore keeps adults' accounts.
type AccountStore interface {
	// CreateAccount stores a validated account. It returns ECONFLICT when the email or the ID is
	// already taken.
	CreateAccount(ctx context.Context, a *Account) error

	// FindAccountByID returns ENOTFOUND when there is no such account.
	FindAccountByID(ctx context.Context, id string) (*Account, error)

	// FindAccountByEmail looks the normalized email up; ENOTFOUND when absent.
	FindAccountByEmail(ctx context.Context, email string) (*Account, error)

	// UpdateAccount applies the set fields of upd to the account and returns it. It returns
	// ENOTFOUND for an unknown ID.
	UpdateAccount(ctx context.Context, id string, upd AccountUpdate) (*Account, error)

	// CountAccounts returns how many accounts exist.
	CountAccounts(ctx context.Context) (int, error)

	// UseTOTPStep records that the account's second-factor code of time step step was
	// accepted, in one conditional write: only when no step as late or later was recorded,
	// so that each code opens at most one sign-in, even when two arrive at once. It returns
	// ECONFLICT when step is not later than the last one used, and ENOTFOUND for an unknown
	// account.
	UseTOTPStep(ctx context.Context, accountID string, step int64) error
}

// AccountUpdate holds the fields to change; nil means "leave as it is".
type AccountUpdate struct {
	DisplayName  *string
	PasswordHash *string
	TOTPSecret   *string
	TOTPEnabled  *bool
	Roles        *[]RoleGrant
	Disabled     *bool
	Lang         *string // ro, en or hu; "" forgets it
	UpdatedAt    time.Time
	// Audit, when not nil, is the change's audit entry, written with it (see AuditStore).
	Audit *AuditEntry
}
