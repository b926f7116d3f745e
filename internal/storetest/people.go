package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var admin = voci.RoleGrant{Role: voci.RolePlatformAdmin}

// newPerson stores an account holding roles.
func newPerson(t *testing.T, s voci.Store, id string, disabled bool, roles ...voci.RoleGrant) *voci.Account {
	t.Helper()
	a := newAccount(id, id+"@example.org")
	a.Roles, a.Disabled = roles, disabled
	if err := s.CreateAccount(t.Context(), a); err != nil {
		t.Fatalf("CreateAccount(%s): %v", id, err)
	}
	return a
}

func stored(t *testing.T, s voci.Store, id string) *voci.Account {
	t.Helper()
	a, err := s.FindAccountByID(t.Context(), id)
	if err != nil {
		t.Fatalf("FindAccountByID(%s): %v", id, err)
	}
	return a
}

func testSetAccountDisabled(t *testing.T, s voci.Store) {
	ctx := t.Context()
	want := newPerson(t, s, "acc-1", false, voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297})
	other := newPerson(t, s, "acc-2", false, voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297})
	at := time.Date(2025, 11, 3, 9, 0, 0, 0, bucharest)

	got, err := s.SetAccountDisabled(ctx, "acc-1", true, at, nil)
	if err != nil {
		t.Fatalf("SetAccountDisabled: %v", err)
	}
	want.Disabled, want.UpdatedAt = true, at
	sameAccount(t, "returned after disabling", got, want)
	sameAccount(t, "stored after disabling", stored(t, s, "acc-1"), want)
	sameAccount(t, "another account", stored(t, s, "acc-2"), other)

	// Disabling twice is harmless; enabling brings the account back as it was.
	if _, err := s.SetAccountDisabled(ctx, "acc-1", true, at, nil); err != nil {
		t.Fatalf("SetAccountDisabled twice: %v", err)
	}
	later := at.Add(time.Hour)
	if got, err = s.SetAccountDisabled(ctx, "acc-1", false, later, nil); err != nil {
		t.Fatalf("SetAccountDisabled(false): %v", err)
	}
	want.Disabled, want.UpdatedAt = false, later
	sameAccount(t, "enabled again", got, want)
	sameAccount(t, "stored enabled again", stored(t, s, "acc-1"), want)

	_, err = s.SetAccountDisabled(ctx, "acc-404", true, at, nil)
	wantCode(t, "SetAccountDisabled(unknown)", err, voci.ENOTFOUND)
	_, err = s.SetAccountDisabled(ctx, "acc-404", false, at, nil)
	wantCode(t, "SetAccountDisabled(unknown, false)", err, voci.ENOTFOUND)
}

// testLastPlatformAdmin: the platform keeps at least one enabled admin, whichever way the last
// one would go (role taken, account disabled); other changes are not held up by the rule.
func testLastPlatformAdmin(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)
	national := voci.RoleGrant{Role: voci.RoleNationalCommittee}
	newPerson(t, s, "acc-a", false, admin, national)
	b := newPerson(t, s, "acc-b", false, voci.RoleGrant{Role: voci.RoleCoordinator, Municipality: 20297}, admin)
	newPerson(t, s, "acc-off", true, admin) // disabled: not an admin who can sign in

	if _, err := s.SetAccountDisabled(ctx, "acc-a", true, at, nil); err != nil {
		t.Fatalf("disabling one of two admins: %v", err)
	}
	_, err := s.SetAccountDisabled(ctx, "acc-b", true, at, nil)
	wantCode(t, "disabling the last enabled admin", err, voci.ELASTPLATFORMADMIN)
	sameAccount(t, "the last admin after the refusal", stored(t, s, "acc-b"), b)
	_, err = s.RemoveAccountRole(ctx, "acc-b", admin, at, nil)
	wantCode(t, "taking the last enabled admin's role", err, voci.ELASTPLATFORMADMIN)
	sameAccount(t, "the last admin after the refused removal", stored(t, s, "acc-b"), b)

	// The last admin's other roles, and the disabled admins' admin role, may go.
	got, err := s.RemoveAccountRole(ctx, "acc-b", voci.RoleGrant{Role: voci.RoleCoordinator, Municipality: 20297}, at, nil)
	if err != nil || len(got.Roles) != 1 || got.Roles[0] != admin {
		t.Fatalf("taking the last admin's other role: %v %v", got, err)
	}
	if _, err := s.RemoveAccountRole(ctx, "acc-off", admin, at, nil); err != nil {
		t.Fatalf("taking a disabled admin's role: %v", err)
	}
	if _, err := s.RemoveAccountRole(ctx, "acc-a", admin, at, nil); err != nil {
		t.Fatalf("taking a disabled admin's role: %v", err)
	}

	// With a second enabled admin, the first may go either way.
	if _, err := s.SetAccountDisabled(ctx, "acc-a", false, at, nil); err != nil {
		t.Fatalf("enabling: %v", err)
	}
	if _, err := s.AddAccountRole(ctx, "acc-a", admin, at); err != nil {
		t.Fatalf("AddAccountRole: %v", err)
	}
	if _, err := s.RemoveAccountRole(ctx, "acc-b", admin, at, nil); err != nil {
		t.Fatalf("taking one of two admins' role: %v", err)
	}
	if got := stored(t, s, "acc-b"); len(got.Roles) != 0 {
		t.Fatalf("roles after the removal: %v", got.Roles)
	}
	_, err = s.RemoveAccountRole(ctx, "acc-a", admin, at, nil)
	wantCode(t, "taking the admin role now last", err, voci.ELASTPLATFORMADMIN)
	// Other platform roles are not guarded.
	if _, err := s.RemoveAccountRole(ctx, "acc-a", national, at, nil); err != nil {
		t.Fatalf("taking the national role: %v", err)
	}
	// An unknown account is still not found, not refused.
	_, err = s.RemoveAccountRole(ctx, "acc-404", admin, at, nil)
	wantCode(t, "RemoveAccountRole(unknown)", err, voci.ENOTFOUND)
}

// testConcurrentLastPlatformAdmin: admins disabling one another, and giving up their own role,
// all at once, never leave the platform without an enabled admin.
func testConcurrentLastPlatformAdmin(t *testing.T, s voci.Store) {
	ctx := t.Context()
	const n = 4
	for i := range n {
		newPerson(t, s, fmt.Sprintf("acc-%d", i), false, admin)
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.SetAccountDisabled(ctx, fmt.Sprintf("acc-%d", (i+1)%n), true, inviteAt, nil)
			if err != nil && voci.ErrorCode(err) != voci.ELASTPLATFORMADMIN {
				t.Errorf("SetAccountDisabled: %v", err)
			}
		})
		wg.Go(func() {
			_, err := s.RemoveAccountRole(ctx, fmt.Sprintf("acc-%d", i), admin, inviteAt, nil)
			if err != nil && voci.ErrorCode(err) != voci.ELASTPLATFORMADMIN {
				t.Errorf("RemoveAccountRole: %v", err)
			}
		})
	}
	wg.Wait()
	enabledAdmins := 0
	for i := range n {
		if a := stored(t, s, fmt.Sprintf("acc-%d", i)); !a.Disabled && a.HasRole(voci.RolePlatformAdmin, 0) {
			enabledAdmins++
		}
	}
	if enabledAdmins == 0 {
		t.Fatal("no enabled platform admin is left")
	}
}

func testRenewInvitation(t *testing.T, s voci.Store) {
	ctx := t.Context()
	inv := newInvitation("inv-1", voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297})
	other := newInvitation("inv-2", voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297})
	for _, i := range []*voci.Invitation{inv, other} {
		if err := s.CreateInvitation(ctx, i, nil); err != nil {
			t.Fatalf("CreateInvitation: %v", err)
		}
	}
	oldHash := inv.TokenHash
	// Long expired: sending it again brings it back.
	expires := inviteAt.Add(30 * 24 * time.Hour)
	got, err := s.RenewInvitation(ctx, "inv-1", voci.TokenHash("renewed"), expires, nil)
	if err != nil {
		t.Fatalf("RenewInvitation: %v", err)
	}
	inv.TokenHash, inv.ExpiresAt = voci.TokenHash("renewed"), expires
	sameInvitation(t, "renewed", got, inv)
	if found, err := s.FindInvitationByTokenHash(ctx, inv.TokenHash); err != nil {
		t.Fatalf("FindInvitationByTokenHash(new): %v", err)
	} else {
		sameInvitation(t, "by the new hash", found, inv)
	}
	_, err = s.FindInvitationByTokenHash(ctx, oldHash)
	wantCode(t, "FindInvitationByTokenHash(old)", err, voci.ENOTFOUND)
	_, err = s.ConsumeInvitation(ctx, oldHash, inviteAt.Add(time.Minute), nil)
	wantCode(t, "ConsumeInvitation(old)", err, voci.ENOTFOUND)
	sameInvitation(t, "the other invitation", mustInvitation(t, s, "inv-2"), other)

	_, err = s.RenewInvitation(ctx, "inv-1", other.TokenHash, expires, nil)
	wantCode(t, "RenewInvitation(a hash taken)", err, voci.ECONFLICT)
	sameInvitation(t, "after a refused renewal", mustInvitation(t, s, "inv-1"), inv)
	_, err = s.RenewInvitation(ctx, "inv-404", voci.TokenHash("x"), expires, nil)
	wantCode(t, "RenewInvitation(unknown)", err, voci.ENOTFOUND)

	at := inviteAt.Add(8 * 24 * time.Hour)
	if _, err := s.ConsumeInvitation(ctx, inv.TokenHash, at, nil); err != nil {
		t.Fatalf("ConsumeInvitation(renewed, after the first expiry): %v", err)
	}
	_, err = s.RenewInvitation(ctx, "inv-1", voci.TokenHash("again"), expires, nil)
	wantCode(t, "RenewInvitation(used)", err, voci.ECONFLICT)
	if err := s.RevokeInvitation(ctx, "inv-2", at, nil); err != nil {
		t.Fatalf("RevokeInvitation: %v", err)
	}
	_, err = s.RenewInvitation(ctx, "inv-2", voci.TokenHash("again"), expires, nil)
	wantCode(t, "RenewInvitation(revoked)", err, voci.ECONFLICT)
	other.RevokedAt = at
	sameInvitation(t, "revoked, after a refused renewal", mustInvitation(t, s, "inv-2"), other)
}

func mustInvitation(t *testing.T, s voci.Store, id string) *voci.Invitation {
	t.Helper()
	inv, err := s.FindInvitationByID(t.Context(), id)
	if err != nil {
		t.Fatalf("FindInvitationByID(%s): %v", id, err)
	}
	return inv
}
