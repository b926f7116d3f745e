package voci

import (
	"context"
	"slices"
	"time"
)

// Languages in which Voci writes to people. The first is the default.
var Languages = []string{"ro", "en", "hu"}

// NormalizeLang returns lang when Voci speaks it, the default ("ro") when lang is empty, and
// EINVALID (param "lang") otherwise.
func NormalizeLang(lang string) (string, error) {
	if lang == "" {
		return Languages[0], nil
	}
	if !slices.Contains(Languages, lang) {
		return "", InvalidParam("lang", "The language must be one of ro, en, hu.")
	}
	return lang, nil
}

// knownLang returns lang when Voci speaks it, and "" (not known) otherwise.
func knownLang(lang string) string {
	if slices.Contains(Languages, lang) {
		return lang
	}
	return ""
}

// maxPendingListed bounds one listing of pending invitations; a municipality has a few dozen
// adults at most.
const maxPendingListed = 500

// AccountsStore is what account management needs of the store.
type AccountsStore interface {
	AuthStore
	MunicipalityStore
	InvitationStore
	PeopleStore
}

// Accounts holds the rules of adults' accounts beyond signing in: who may invite whom, how an
// invitation becomes an account or adds roles to one, who may take a role away, and password
// resets by emailed link. Delivering the links is the caller's business.
type Accounts struct {
	Store AccountsStore
	Auth  *Auth // its password policy, hashing, sessions and clock are used
	NewID IDSource
}

// NewAccounts returns the account rules over store, signing people in through auth.
func NewAccounts(store AccountsStore, auth *Auth) *Accounts {
	return &Accounts{Store: store, Auth: auth, NewID: RandomID}
}

// coordinatorGrants are the roles a coordinator hands out in their own municipality.
var coordinatorGrants = []Role{RoleFacilitator, RoleCouncilMember, RoleSafeguardingLead}

// MayGrant says whether actor may invite someone to g (or, for a coordinator, take g away):
// platform admins grant every role; national committee members grant coordinators of any
// municipality; a coordinator grants facilitators, council members and safeguarding leads of
// their own municipalities. It returns EFORBIDDEN when the role is beyond the actor, and
// ENOTFOUND when a coordinator names a municipality that is not theirs, so that its records'
// existence does not leak.
func MayGrant(actor *Account, g RoleGrant) error {
	switch {
	case actor.HasRole(RolePlatformAdmin, 0):
		return nil
	case g.Role == RoleCoordinator && actor.HasRole(RoleNationalCommittee, 0):
		return nil
	case slices.Contains(coordinatorGrants, g.Role) && coordinatesAny(actor):
		if actor.HasRole(RoleCoordinator, g.Municipality) {
			return nil
		}
		return Errorf(ENOTFOUND, "There is no such municipality among yours.")
	}
	return Errorf(EFORBIDDEN, "Your role does not allow you to grant the role %s.", g.Role)
}

// mayRevoke says whether actor may take g away from someone: platform admins any role,
// coordinators the roles they grant in their own municipality (so never a coordinator's
// role, their own included).
func mayRevoke(actor *Account, g RoleGrant) error {
	if actor.HasRole(RolePlatformAdmin, 0) {
		return nil
	}
	if slices.Contains(coordinatorGrants, g.Role) && coordinatesAny(actor) {
		return MayGrant(actor, g)
	}
	return Errorf(EFORBIDDEN, "Your role does not allow you to take away the role %s.", g.Role)
}

func coordinatesAny(a *Account) bool {
	return slices.ContainsFunc(a.Roles, func(g RoleGrant) bool { return g.Role == RoleCoordinator })
}

// coordinatedMunicipalities lists the municipalities a is coordinator of.
func coordinatedMunicipalities(a *Account) []int {
	out := []int{}
	for _, g := range a.Roles {
		if g.Role == RoleCoordinator {
			out = append(out, g.Municipality)
		}
	}
	return out
}

// mayManage reports whether actor may see and revoke the invitation: they could have made it.
func mayManage(actor *Account, inv *Invitation) bool {
	for _, g := range inv.Roles {
		if MayGrant(actor, g) != nil {
			return false
		}
	}
	return true
}

// Invite creates an invitation for email to take role grant g, and returns it with the secret
// for its link. The message is to be written in lang. It returns EINVALID for a malformed
// email, role, scope or language, or a municipality that does not exist; EFORBIDDEN or
// ENOTFOUND when inviter may not grant g (see MayGrant); ECONFLICT when the person already
// holds g. The invitation is stored with audit's entry.
func (x *Accounts) Invite(ctx context.Context, inviter *Account, email string, g RoleGrant, lang string, audit AuditOf[Invitation]) (*Invitation, string, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, "", err
	}
	if err := g.Validate(); err != nil {
		return nil, "", err
	}
	if err := MayGrant(inviter, g); err != nil {
		return nil, "", err
	}
	if lang, err = NormalizeLang(lang); err != nil {
		return nil, "", err
	}
	if !g.Role.PlatformWide() {
		if _, err := x.Store.FindMunicipalityBySIRUTA(ctx, g.Municipality); ErrorCode(err) == ENOTFOUND {
			return nil, "", InvalidParam("municipality", "No municipality has the SIRUTA code %d.", g.Municipality)
		} else if err != nil {
			return nil, "", err
		}
	}
	existing, err := x.Store.FindAccountByEmail(ctx, email)
	switch {
	case err == nil && existing.HasRole(g.Role, g.Municipality):
		return nil, "", Errorf(ECONFLICT, "%s already holds this role.", email)
	case err != nil && ErrorCode(err) != ENOTFOUND:
		return nil, "", err
	}
	now := x.Auth.Clock().UTC()
	secret, hash := NewOneTimeToken()
	inv := &Invitation{
		ID: x.NewID(), TokenHash: hash, Email: email, Roles: []RoleGrant{g}, InvitedBy: inviter.ID, Lang: lang,
		CreatedAt: now, ExpiresAt: now.Add(InvitationTTL),
	}
	if err := x.Store.CreateInvitation(ctx, inv, audit.of(inv)); err != nil {
		return nil, "", err
	}
	return inv, secret, nil
}

// findUsableInvitation returns the invitation a link's secret stands for, or ETOKENINVALID
// saying why it cannot be used.
func (x *Accounts) findUsableInvitation(ctx context.Context, secret string) (*Invitation, error) {
	if !tokenLooksValid(secret) {
		return nil, invalidInvitationLink()
	}
	inv, err := x.Store.FindInvitationByTokenHash(ctx, TokenHash(secret))
	if ErrorCode(err) == ENOTFOUND {
		return nil, invalidInvitationLink()
	} else if err != nil {
		return nil, err
	}
	if err := inv.unusable(x.Auth.Clock()); err != nil {
		return nil, err
	}
	return inv, nil
}

// InvitationPreview is what an invitee sees before accepting.
type InvitationPreview struct {
	Invitation *Invitation
	// AccountExists: the invitee signs in with their existing password to accept, and the
	// roles are added to their account.
	AccountExists bool
}

// PreviewInvitation returns the invitation behind a link. It returns ETOKENINVALID for a link
// that is unknown, used, revoked or expired.
func (x *Accounts) PreviewInvitation(ctx context.Context, secret string) (*InvitationPreview, error) {
	inv, err := x.findUsableInvitation(ctx, secret)
	if err != nil {
		return nil, err
	}
	_, err = x.Store.FindAccountByEmail(ctx, inv.Email)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	return &InvitationPreview{Invitation: inv, AccountExists: err == nil}, nil
}

// Acceptance is what an invitee sends to accept.
type Acceptance struct {
	Token string
	// DisplayName is required for a new account and ignored for an existing one.
	DisplayName string
	// Password: the new account's password, or the existing account's current one.
	Password string
	// TOTP is the existing account's second-factor code, when it has one on: accepting signs
	// in, so it asks for what signing in asks for.
	TOTP      string
	UserAgent string
	// Audit makes the acceptance's audit entry, written with the link's consumption, from
	// the account that accepts (not stored yet when created is true) and the invitation.
	Audit func(acct *Account, inv *Invitation, created bool) *AuditEntry
}

// Accepted is the outcome of accepting an invitation.
type Accepted struct {
	SignedIn   *SignedIn
	Invitation *Invitation
	Created    bool // a new account was made; otherwise roles were added to an existing one
}

// AcceptInvitation turns an invitation into a signed-in account. Without an account for the
// invited email it creates one with the display name and password (which must meet the
// password policy); with one, the password must be that account's, and the roles are added.
// The link is consumed atomically, so two racing acceptances cannot both succeed. It returns
// ETOKENINVALID for a link that is unknown, used, revoked or expired; EINVALID for a missing
// or malformed display name or a weak password; EINVALIDCREDENTIALS (param "password") for a
// wrong password of an existing account; EACCOUNTDISABLED for the right password of a disabled
// one; ETOTPREQUIRED or EINVALIDTOTP when that account has a second factor on and the code is
// missing or wrong.
func (x *Accounts) AcceptInvitation(ctx context.Context, a Acceptance) (*Accepted, error) {
	inv, err := x.findUsableInvitation(ctx, a.Token)
	if err != nil {
		return nil, err
	}
	acct, err := x.Store.FindAccountByEmail(ctx, inv.Email)
	switch ErrorCode(err) {
	case "":
		return x.acceptForExisting(ctx, inv, acct, a)
	case ENOTFOUND:
		return x.acceptForNew(ctx, inv, a)
	}
	return nil, err
}

func (x *Accounts) acceptForExisting(ctx context.Context, inv *Invitation, acct *Account, a Acceptance) (*Accepted, error) {
	if len(a.Password) > 1024 {
		return nil, &Error{Code: EINVALIDCREDENTIALS, Param: "password", Message: "The password is not right."}
	}
	ok, err := x.Auth.Passwords.Verify(a.Password, acct.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &Error{Code: EINVALIDCREDENTIALS, Param: "password",
			Message: "An account with this email exists already: enter its current password to add the new role to it."}
	}
	if acct.Disabled {
		return nil, accountDisabled()
	}
	if acct.TOTPEnabled {
		if a.TOTP == "" {
			return nil, &Error{Code: ETOTPREQUIRED, Param: "totp", Message: "Enter the 6-digit code from your authenticator app."}
		}
		if err := x.Auth.checkTOTP(ctx, acct, a.TOTP, "totp"); err != nil {
			return nil, err
		}
	}
	now := x.Auth.Clock().UTC()
	used, err := x.consume(ctx, inv, now, a.audit(acct, inv, false))
	if err != nil {
		return nil, err
	}
	for _, g := range used.Roles {
		if acct, err = x.Store.AddAccountRole(ctx, acct.ID, g, now); err != nil {
			return nil, err
		}
	}
	// An account whose language is not known yet takes the invitation's, as a new one does;
	// one that has a language keeps it: its owner chose it by signing in.
	if acct.Lang == "" {
		if err := x.Auth.rememberLang(ctx, acct, knownLang(used.Lang)); err != nil {
			return nil, err
		}
	}
	signed, err := x.Auth.openSession(ctx, acct, a.UserAgent, nil)
	if err != nil {
		return nil, err
	}
	return &Accepted{SignedIn: signed, Invitation: used}, nil
}

// audit is the acceptance's audit entry, nil when none is asked for.
func (a Acceptance) audit(acct *Account, inv *Invitation, created bool) *AuditEntry {
	if a.Audit == nil {
		return nil
	}
	return a.Audit(acct, inv, created)
}

func (x *Accounts) acceptForNew(ctx context.Context, inv *Invitation, a Acceptance) (*Accepted, error) {
	if err := ValidateText("displayName", a.DisplayName, 1, 100); err != nil {
		return nil, err
	}
	if err := x.Auth.Passwords.CheckStrength(a.Password, inv.Email); err != nil {
		return nil, err
	}
	hash, err := x.Auth.Passwords.Hash(a.Password)
	if err != nil {
		return nil, err
	}
	now := x.Auth.Clock().UTC()
	// The inviter wrote the invitation in the language they expect the person to read: the
	// account starts with it, and the person's own sign-ins correct it.
	acct := &Account{ID: x.NewID(), Email: inv.Email, DisplayName: a.DisplayName, PasswordHash: hash,
		Roles: inv.Roles, Lang: knownLang(inv.Lang), CreatedAt: now, UpdatedAt: now}
	if err := acct.Validate(); err != nil {
		return nil, err
	}
	// The link is consumed before the account is made: of two racing acceptances only one
	// gets past this line.
	used, err := x.consume(ctx, inv, now, a.audit(acct, inv, true))
	if err != nil {
		return nil, err
	}
	if err := x.Store.CreateAccount(ctx, acct); err != nil {
		return nil, err
	}
	signed, err := x.Auth.openSession(ctx, acct, a.UserAgent, nil)
	if err != nil {
		return nil, err
	}
	return &Accepted{SignedIn: signed, Invitation: used, Created: true}, nil
}

// consume uses the invitation up, or explains why it could not: between the first look and
// now it may have been used, revoked or have expired.
func (x *Accounts) consume(ctx context.Context, inv *Invitation, now time.Time, audit *AuditEntry) (*Invitation, error) {
	used, err := x.Store.ConsumeInvitation(ctx, inv.TokenHash, now, audit)
	if ErrorCode(err) != ENOTFOUND {
		return used, err
	}
	again, ferr := x.Store.FindInvitationByTokenHash(ctx, inv.TokenHash)
	if ferr != nil {
		return nil, invalidInvitationLink()
	}
	if uerr := again.unusable(now); uerr != nil {
		return nil, uerr
	}
	return nil, invalidInvitationLink()
}

// PendingInvitations lists the pending invitations actor may manage, newest first: for one
// municipality when municipality is not 0, otherwise all of them (for a coordinator, those of
// their municipalities). It returns ENOTFOUND when a coordinator names a municipality that is
// not theirs.
func (x *Accounts) PendingInvitations(ctx context.Context, actor *Account, municipality int) ([]Invitation, error) {
	f := InvitationFilter{Now: x.Auth.Clock().UTC(), Limit: maxPendingListed}
	platform := actor.HasRole(RolePlatformAdmin, 0) || actor.HasRole(RoleNationalCommittee, 0)
	switch {
	case municipality != 0 && (platform || actor.HasRole(RoleCoordinator, municipality)):
		f.Municipalities = []int{municipality}
	case municipality != 0:
		return nil, Errorf(ENOTFOUND, "There is no such municipality among yours.")
	case !platform:
		f.Municipalities = coordinatedMunicipalities(actor)
	}
	all, err := x.Store.FindPendingInvitations(ctx, f)
	if err != nil {
		return nil, err
	}
	out := []Invitation{}
	for i := range all {
		if mayManage(actor, &all[i]) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// RevokeInvitation withdraws a pending invitation that actor could have made. It returns
// ENOTFOUND for an unknown invitation or one beyond actor, and ECONFLICT for one already
// accepted or withdrawn. The withdrawal is stored with audit's entry.
func (x *Accounts) RevokeInvitation(ctx context.Context, actor *Account, id string, audit AuditOf[Invitation]) (*Invitation, error) {
	inv, err := x.Store.FindInvitationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayManage(actor, inv) {
		return nil, Errorf(ENOTFOUND, "No such invitation.")
	}
	now := x.Auth.Clock().UTC()
	if err := x.Store.RevokeInvitation(ctx, id, now, audit.of(inv)); err != nil {
		return nil, err
	}
	inv.RevokedAt = now
	return inv, nil
}

// RevokeRole takes the municipal role grant g from an account. Admins may take any such role;
// a coordinator the roles they grant, in their own municipality. It returns EINVALID for a
// platform-wide or unknown role, EFORBIDDEN for a role beyond actor, and ENOTFOUND when the
// account does not hold g. The change is stored with audit's entry.
func (x *Accounts) RevokeRole(ctx context.Context, actor *Account, accountID string, g RoleGrant, audit AuditOf[Account]) (*Account, error) {
	if !g.Role.Valid() {
		return nil, InvalidParam("role", "Unknown role %q.", g.Role)
	}
	if err := g.Validate(); err != nil {
		return nil, InvalidParam("role", "The role %s is held for the whole platform, not for a municipality.", g.Role)
	}
	if err := mayRevoke(actor, g); err != nil {
		return nil, err
	}
	return x.removeRole(ctx, accountID, g, audit)
}

// removeRole takes g from the account, with its audit entry, and has what it holds open under
// g checked again.
func (x *Accounts) removeRole(ctx context.Context, accountID string, g RoleGrant, audit AuditOf[Account]) (*Account, error) {
	before, err := x.Store.FindAccountByID(ctx, accountID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "This person does not hold the role %s here.", g.Role)
	} else if err != nil {
		return nil, err
	}
	acct, err := x.Store.RemoveAccountRole(ctx, accountID, g, x.Auth.Clock().UTC(), audit.of(before))
	if err != nil {
		return nil, err
	}
	x.Auth.accessChanged(acct.ID)
	return acct, nil
}

// ResendInvitation gives an invitation that actor could have made a new link, valid for
// InvitationTTL from now, and returns it with the link's secret: the old link stops working at
// once. An invitation that expired unused may be sent again too. It returns ENOTFOUND for an
// unknown invitation or one beyond actor, and ECONFLICT for one accepted or withdrawn, or when
// the invitee meanwhile holds every role it grants. The new link is stored with audit's entry.
func (x *Accounts) ResendInvitation(ctx context.Context, actor *Account, id string, audit AuditOf[Invitation]) (*Invitation, string, error) {
	inv, err := x.Store.FindInvitationByID(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if !mayManage(actor, inv) {
		return nil, "", Errorf(ENOTFOUND, "No such invitation.")
	}
	switch {
	case !inv.UsedAt.IsZero():
		return nil, "", Errorf(ECONFLICT, "This invitation has already been accepted.")
	case !inv.RevokedAt.IsZero():
		return nil, "", Errorf(ECONFLICT, "This invitation was withdrawn. Invite the person again instead.")
	}
	acct, err := x.Store.FindAccountByEmail(ctx, inv.Email)
	switch {
	case err == nil && !slices.ContainsFunc(inv.Roles, func(g RoleGrant) bool { return !acct.HasRole(g.Role, g.Municipality) }):
		return nil, "", Errorf(ECONFLICT, "%s already holds this role.", inv.Email)
	case err != nil && ErrorCode(err) != ENOTFOUND:
		return nil, "", err
	}
	secret, hash := NewOneTimeToken()
	renewed, err := x.Store.RenewInvitation(ctx, id, hash, x.Auth.Clock().UTC().Add(InvitationTTL), audit.of(inv))
	if err != nil {
		return nil, "", err
	}
	return renewed, secret, nil
}

// RevokePlatformRole takes a platform-wide role (platform admin, national committee member)
// from an account; only platform admins may. The platform always keeps an enabled admin. It
// returns EINVALID (param "role") for an unknown or municipal role, EFORBIDDEN when actor is
// not a platform admin, ENOTFOUND when the account does not hold the role, and
// ELASTPLATFORMADMIN when no other enabled account would be a platform admin. The change is
// stored with audit's entry.
func (x *Accounts) RevokePlatformRole(ctx context.Context, actor *Account, accountID string, role Role, audit AuditOf[Account]) (*Account, error) {
	if !role.Valid() {
		return nil, InvalidParam("role", "Unknown role %q.", role)
	}
	if !role.PlatformWide() {
		return nil, InvalidParam("role", "The role %s is held for a municipality: take it away in that municipality's list of people.", role)
	}
	if !actor.HasRole(RolePlatformAdmin, 0) {
		return nil, Errorf(EFORBIDDEN, "Only a platform administrator may take away the role %s.", role)
	}
	return x.removeRole(ctx, accountID, RoleGrant{Role: role}, audit)
}

// ECANNOTDISABLESELF is answered to an adult who tries to disable their own account: someone
// else must, so that nobody locks themselves out by a slip.
const ECANNOTDISABLESELF = "cannot_disable_self"

// mayManageAccount says whether actor may disable or enable target: platform admins anyone; a
// coordinator someone each of whose roles they could take away, so roles in their own
// municipalities and no coordinator's. It returns ENOTFOUND when target holds no role in a
// municipality actor coordinates (its existence does not leak), and EFORBIDDEN when target
// holds a role beyond actor.
func mayManageAccount(actor, target *Account) error {
	if actor.HasRole(RolePlatformAdmin, 0) {
		return nil
	}
	mine := coordinatedMunicipalities(actor)
	if !slices.ContainsFunc(target.Roles, func(g RoleGrant) bool { return slices.Contains(mine, g.Municipality) }) {
		return Errorf(ENOTFOUND, "There is no such person among yours.")
	}
	for _, g := range target.Roles {
		if mayRevoke(actor, g) != nil {
			return Errorf(EFORBIDDEN, "This person also holds roles that are not yours to manage; ask a platform administrator.")
		}
	}
	return nil
}

// SetAccountDisabled disables an account, or enables it again, and reports whether that
// changed anything. A disabled account cannot sign in, and every one of its sessions ends at
// once. Admins may do it to anyone but themselves; a coordinator to the people whose roles are
// all theirs to take away. It returns ENOTFOUND for an unknown account or one beyond actor,
// ECANNOTDISABLESELF for actor's own account, EFORBIDDEN for someone holding roles beyond a
// coordinator, and ELASTPLATFORMADMIN for the last enabled platform admin. A change is stored
// with audit's entry, made from the account as it was.
func (x *Accounts) SetAccountDisabled(ctx context.Context, actor *Account, accountID string, disabled bool, audit AuditOf[Account]) (*Account, bool, error) {
	if disabled && accountID == actor.ID {
		return nil, false, Errorf(ECANNOTDISABLESELF, "You cannot disable your own account. Ask another administrator or your coordinator.")
	}
	target, err := x.Store.FindAccountByID(ctx, accountID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, false, Errorf(ENOTFOUND, "There is no such person among yours.")
	} else if err != nil {
		return nil, false, err
	}
	if err := mayManageAccount(actor, target); err != nil {
		return nil, false, err
	}
	if target.Disabled == disabled {
		return target, false, nil
	}
	updated, err := x.Store.SetAccountDisabled(ctx, accountID, disabled, x.Auth.Clock().UTC(), audit.of(target))
	if err != nil {
		return nil, false, err
	}
	if disabled {
		// Sessions are refused for a disabled account anyway; ending them also frees the
		// store and shows the person's devices signed out at once.
		if _, err := x.Auth.SignOutEverywhere(ctx, accountID, "", nil); err != nil {
			return nil, false, err
		}
	}
	return updated, true, nil
}

// RequestPasswordReset makes a reset link for the account with that email and returns its
// secret and the account. For an address that is malformed, unknown or of a disabled account
// it returns "", nil, nil: the caller answers alike in every case.
// The link is stored with audit's entry.
func (x *Accounts) RequestPasswordReset(ctx context.Context, email string, audit AuditOf[Account]) (string, *Account, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return "", nil, nil
	}
	acct, err := x.Store.FindAccountByEmail(ctx, email)
	if ErrorCode(err) == ENOTFOUND || (err == nil && acct.Disabled) {
		return "", nil, nil
	} else if err != nil {
		return "", nil, err
	}
	now := x.Auth.Clock().UTC()
	secret, hash := NewOneTimeToken()
	err = x.Store.CreatePasswordReset(ctx, &PasswordReset{TokenHash: hash, AccountID: acct.ID, CreatedAt: now, ExpiresAt: now.Add(PasswordResetTTL)}, audit.of(acct))
	if err != nil {
		return "", nil, err
	}
	return secret, acct, nil
}

// ResetPassword sets a new password with a reset link's secret, then spends the account's
// other reset links and ends every session of the account: whoever knew the old password is
// signed out. A weak password is refused before
// the link is used, so the person can try another. It returns ETOKENINVALID for a link that is
// unknown, used or expired, and EINVALID (param "password") for a weak password. The new
// password is stored with audit's entry.
func (x *Accounts) ResetPassword(ctx context.Context, secret, next string, audit AuditOf[Account]) (*Account, error) {
	invalid := Errorf(ETOKENINVALID, "This password reset link is not valid. Check that you copied the whole link from the email, or ask for a new one.")
	if !tokenLooksValid(secret) {
		return nil, invalid
	}
	hash := TokenHash(secret)
	r, err := x.Store.FindPasswordReset(ctx, hash)
	if ErrorCode(err) == ENOTFOUND {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	now := x.Auth.Clock().UTC()
	switch {
	case !r.UsedAt.IsZero():
		return nil, Errorf(ETOKENINVALID, "This password reset link has already been used. Ask for a new one if you need it.")
	case !now.Before(r.ExpiresAt):
		return nil, Errorf(ETOKENINVALID, "This password reset link has expired: it is valid for one hour. Ask for a new one.")
	}
	acct, err := x.Store.FindAccountByID(ctx, r.AccountID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && acct.Disabled) {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	if err := x.Auth.Passwords.CheckStrength(next, acct.Email); err != nil {
		return nil, err
	}
	if _, err := x.Store.ConsumePasswordReset(ctx, hash, now); ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ETOKENINVALID, "This password reset link has just been used or has expired. Ask for a new one.")
	} else if err != nil {
		return nil, err
	}
	if err := x.Auth.SetPassword(ctx, acct, next, audit.of(acct)); err != nil {
		return nil, err
	}
	if _, err := x.Store.SpendPasswordResets(ctx, acct.ID, now); err != nil {
		return nil, err
	}
	if _, err := x.Auth.SignOutEverywhere(ctx, acct.ID, "", nil); err != nil {
		return nil, err
	}
	return acct, nil
}

// OwnProfileUpdate is what adults may change of their own account; nil leaves a field as it is.
type OwnProfileUpdate struct {
	DisplayName *string
	Lang        *string // ro, en or hu
}

// UpdateProfile changes actor's own display name, language, or both, and returns the account
// with the names of the fields changed (for the audit trail). It returns EINVALID when
// neither is given, for a display name that is empty, too long or holds control characters
// (param "displayName"), and for a language Voci does not speak (param "lang").
// The change is stored with the audit entry that audit makes of the fields changed.
func (x *Accounts) UpdateProfile(ctx context.Context, actor *Account, p OwnProfileUpdate, audit func(changed []string) *AuditEntry) (*Account, []string, error) {
	if p.DisplayName == nil && p.Lang == nil {
		return nil, nil, InvalidParam("displayName", "Give a display name, a language (ro, en or hu), or both.")
	}
	var changed []string
	if p.DisplayName != nil {
		if err := ValidateText("displayName", *p.DisplayName, 1, 100); err != nil {
			return nil, nil, err
		}
		changed = append(changed, "displayName")
	}
	if p.Lang != nil {
		if !slices.Contains(Languages, *p.Lang) {
			return nil, nil, InvalidParam("lang", "The language must be one of ro, en, hu.")
		}
		changed = append(changed, "lang")
	}
	var entry *AuditEntry
	if audit != nil {
		entry = audit(changed)
	}
	acct, err := x.Store.UpdateAccount(ctx, actor.ID, AccountUpdate{DisplayName: p.DisplayName, Lang: p.Lang, UpdatedAt: x.Auth.Clock().UTC(), Audit: entry})
	if err != nil {
		return nil, nil, err
	}
	return acct, changed, nil
}

// SealTOTPSecrets seals every second-factor secret still stored in plain text, as they were
// before secrets were sealed, and returns how many it sealed. Run at start-up; a secret is
// also sealed when next used. It returns the store's errors, and the key's when a sealed
// secret cannot be opened (another VOCI_SECRET_KEY sealed it).
func (x *Accounts) SealTOTPSecrets(ctx context.Context) (int, error) {
	n := 0
	for offset := 0; ; offset += MaxPageSize {
		page, _, err := x.Store.FindAccounts(ctx, AccountFilter{Offset: offset, Limit: MaxPageSize})
		if err != nil {
			return n, err
		}
		for i := range page {
			acct := &page[i]
			secret, sealed, err := x.Auth.TOTP.Open(acct.ID, acct.TOTPSecret)
			if err != nil {
				return n, err
			}
			if secret == "" || sealed {
				continue
			}
			if err := x.Auth.sealTOTPSecret(ctx, acct, secret); err != nil {
				return n, err
			}
			n++
		}
		if len(page) < MaxPageSize {
			return n, nil
		}
	}
}
