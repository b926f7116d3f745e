package seeds

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// DemoAccount is one sign-in of demo mode.
type DemoAccount struct {
	Email        string
	DisplayName  string
	Role         voci.RoleGrant
	Municipality string // the name of Role.Municipality; empty for platform-wide roles
}

// DemoAccounts lists the demo sign-ins: an admin, a national committee member, and for each
// pilot municipality a coordinator, a facilitator, a council member and a safeguarding lead.
func DemoAccounts(municipalityName func(siruta int) string) []DemoAccount {
	out := []DemoAccount{
		{Email: "admin@demo.voci.ro", DisplayName: "Demo platform admin", Role: voci.RoleGrant{Role: voci.RolePlatformAdmin}},
		{Email: "national@demo.voci.ro", DisplayName: "Demo national committee", Role: voci.RoleGrant{Role: voci.RoleNationalCommittee}},
	}
	perPlace := []struct {
		prefix, title string
		role          voci.Role
	}{
		{"coordinator", "coordinator", voci.RoleCoordinator},
		{"facilitator", "facilitator", voci.RoleFacilitator},
		{"council", "council member", voci.RoleCouncilMember},
		{"safeguarding", "safeguarding lead", voci.RoleSafeguardingLead},
	}
	for _, p := range Pilots {
		for _, r := range perPlace {
			out = append(out, DemoAccount{
				Email:        fmt.Sprintf("%s.%s@demo.voci.ro", r.prefix, p.Place),
				DisplayName:  fmt.Sprintf("Demo %s, %s", r.title, municipalityName(p.SIRUTA)),
				Role:         voci.RoleGrant{Role: r.role, Municipality: p.SIRUTA},
				Municipality: municipalityName(p.SIRUTA),
			})
		}
	}
	return out
}

// DemoEmailDomain is the domain of every demo sign-in. Demo accounts never need a second
// factor, whatever their role.
const DemoEmailDomain = "@demo.voci.ro"

// IsDemoAccount reports whether the account is one of demo mode's.
func IsDemoAccount(a *voci.Account) bool { return strings.HasSuffix(a.Email, DemoEmailDomain) }

// EnsureDemoAccounts creates the demo accounts that do not exist and resets the password of
// those whose password is no longer pw, so that the sign-ins printed at start always work.
// It returns the accounts in the order of DemoAccounts.
func EnsureDemoAccounts(ctx context.Context, store voci.Store, passwords voci.Passwords, pw string, now time.Time, newID voci.IDSource) ([]DemoAccount, error) {
	names := map[int]string{}
	for _, p := range Pilots {
		m, err := store.FindMunicipalityBySIRUTA(ctx, p.SIRUTA)
		if err != nil {
			return nil, fmt.Errorf("demo accounts: pilot municipality %d: %w", p.SIRUTA, err)
		}
		names[p.SIRUTA] = m.Name
	}
	accounts := DemoAccounts(func(s int) string { return names[s] })
	for _, d := range accounts {
		existing, err := store.FindAccountByEmail(ctx, d.Email)
		switch voci.ErrorCode(err) {
		case "":
			if ok, _ := passwords.Verify(pw, existing.PasswordHash); ok {
				continue
			}
			hash, err := passwords.Hash(pw)
			if err != nil {
				return nil, err
			}
			if _, err := store.UpdateAccount(ctx, existing.ID, voci.AccountUpdate{PasswordHash: &hash, UpdatedAt: now}); err != nil {
				return nil, fmt.Errorf("demo account %s: %w", d.Email, err)
			}
		case voci.ENOTFOUND:
			hash, err := passwords.Hash(pw)
			if err != nil {
				return nil, err
			}
			a := &voci.Account{
				ID: newID(), Email: d.Email, DisplayName: d.DisplayName, PasswordHash: hash,
				Roles: []voci.RoleGrant{d.Role}, CreatedAt: now, UpdatedAt: now,
			}
			if err := a.Validate(); err != nil {
				return nil, fmt.Errorf("demo account %s: %w", d.Email, err)
			}
			if err := store.CreateAccount(ctx, a); err != nil {
				return nil, fmt.Errorf("demo account %s: %w", d.Email, err)
			}
		default:
			return nil, fmt.Errorf("demo account %s: %w", d.Email, err)
		}
	}
	return accounts, nil
}
