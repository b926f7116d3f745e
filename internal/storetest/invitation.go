package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// inviteAt is when the fixture invitations are made; they expire seven days later.
var inviteAt = time.Date(2025, 10, 6, 10, 0, 0, 125_000_000, bucharest)

func newInvitation(id string, grants ...voci.RoleGrant) *voci.Invitation {
	return &voci.Invitation{
		ID: id, TokenHash: voci.TokenHash("secret-" + id), Email: id + "@example.org", Roles: grants,
		InvitedBy: "acc-admin", Lang: "hu", CreatedAt: inviteAt, ExpiresAt: inviteAt.Add(voci.InvitationTTL),
	}
}

func sameInvitation(t *testing.T, what string, got, want *voci.Invitation) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: nil invitation", what)
	}
	if got.ID != want.ID || got.TokenHash != want.TokenHash || got.Email != want.Email || got.InvitedBy != want.InvitedBy ||
		got.Lang != want.Lang || !slices.Equal(got.Roles, want.Roles) {
		t.Errorf("%s: got %+v, want %+v", what, *got, *want)
	}
	for _, tt := range []struct {
		name      string
		got, want time.Time
	}{{"CreatedAt", got.CreatedAt, want.CreatedAt}, {"ExpiresAt", got.ExpiresAt, want.ExpiresAt},
		{"UsedAt", got.UsedAt, want.UsedAt}, {"RevokedAt", got.RevokedAt, want.RevokedAt}} {
		if !tt.got.Equal(tt.want) || (!tt.got.IsZero() && tt.got.Location() != time.UTC) {
			t.Errorf("%s: %s = %v, want %v in UTC", what, tt.name, tt.got, tt.want)
		}
	}
}

func testInvitationRoundTrip(t *testing.T, s voci.Store) {
	ctx := t.Context()
	want := newInvitation("inv-1", voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 21891}, voci.RoleGrant{Role: voci.RoleCouncilMember, Municipality: 21891})
	if err := s.CreateInvitation(ctx, want, nil); err != nil {
		t.Fatalf("CreateInvitation: %v", err)
	}
	got, err := s.FindInvitationByID(ctx, "inv-1")
	if err != nil {
		t.Fatalf("FindInvitationByID: %v", err)
	}
	sameInvitation(t, "by ID", got, want)
	got, err = s.FindInvitationByTokenHash(ctx, want.TokenHash)
	if err != nil {
		t.Fatalf("FindInvitationByTokenHash: %v", err)
	}
	sameInvitation(t, "by token hash", got, want)

	platform := newInvitation("inv-2", voci.RoleGrant{Role: voci.RoleNationalCommittee})
	if err := s.CreateInvitation(ctx, platform, nil); err != nil {
		t.Fatalf("CreateInvitation(platform): %v", err)
	}
	got, err = s.FindInvitationByID(ctx, "inv-2")
	if err != nil {
		t.Fatalf("FindInvitationByID(platform): %v", err)
	}
	sameInvitation(t, "platform-wide", got, platform)

	_, err = s.FindInvitationByID(ctx, "inv-404")
	wantCode(t, "FindInvitationByID(unknown)", err, voci.ENOTFOUND)
	_, err = s.FindInvitationByTokenHash(ctx, voci.TokenHash("forged"))
	wantCode(t, "FindInvitationByTokenHash(forged)", err, voci.ENOTFOUND)
	// The ID is not a token hash.
	_, err = s.FindInvitationByTokenHash(ctx, "inv-1")
	wantCode(t, "FindInvitationByTokenHash(an ID)", err, voci.ENOTFOUND)

	sameID := newInvitation("inv-1", voci.RoleGrant{Role: voci.RolePlatformAdmin})
	sameID.TokenHash = voci.TokenHash("another")
	wantCode(t, "CreateInvitation(same ID)", s.CreateInvitation(ctx, sameID, nil), voci.ECONFLICT)
	sameToken := newInvitation("inv-3", voci.RoleGrant{Role: voci.RolePlatformAdmin})
	sameToken.TokenHash = want.TokenHash
	wantCode(t, "CreateInvitation(same token)", s.CreateInvitation(ctx, sameToken, nil), voci.ECONFLICT)
	_, err = s.FindInvitationByID(ctx, "inv-3")
	wantCode(t, "a refused invitation", err, voci.ENOTFOUND)
}

func testConsumeInvitation(t *testing.T, s voci.Store) {
	ctx := t.Context()
	inv := newInvitation("inv-1", voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297})
	if err := s.CreateInvitation(ctx, inv, nil); err != nil {
		t.Fatalf("CreateInvitation: %v", err)
	}
	// Expired at the very instant of expiry.
	_, err := s.ConsumeInvitation(ctx, inv.TokenHash, inv.ExpiresAt, nil)
	wantCode(t, "ConsumeInvitation at expiry", err, voci.ENOTFOUND)
	_, err = s.ConsumeInvitation(ctx, voci.TokenHash("forged"), inviteAt, nil)
	wantCode(t, "ConsumeInvitation(forged)", err, voci.ENOTFOUND)

	at := inviteAt.Add(time.Hour)
	got, err := s.ConsumeInvitation(ctx, inv.TokenHash, at, nil)
	if err != nil {
		t.Fatalf("ConsumeInvitation: %v", err)
	}
	inv.UsedAt = at
	sameInvitation(t, "consumed", got, inv)
	_, err = s.ConsumeInvitation(ctx, inv.TokenHash, at.Add(time.Minute), nil)
	wantCode(t, "ConsumeInvitation twice", err, voci.ENOTFOUND)
	stored, err := s.FindInvitationByID(ctx, inv.ID)
	if err != nil {
		t.Fatalf("FindInvitationByID: %v", err)
	}
	sameInvitation(t, "stored after use", stored, inv)
	wantCode(t, "RevokeInvitation(used)", s.RevokeInvitation(ctx, inv.ID, at, nil), voci.ECONFLICT)

	revoked := newInvitation("inv-2", voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297})
	if err := s.CreateInvitation(ctx, revoked, nil); err != nil {
		t.Fatalf("CreateInvitation: %v", err)
	}
	if err := s.RevokeInvitation(ctx, revoked.ID, at, nil); err != nil {
		t.Fatalf("RevokeInvitation: %v", err)
	}
	wantCode(t, "RevokeInvitation twice", s.RevokeInvitation(ctx, revoked.ID, at, nil), voci.ECONFLICT)
	wantCode(t, "RevokeInvitation(unknown)", s.RevokeInvitation(ctx, "inv-404", at, nil), voci.ENOTFOUND)
	_, err = s.ConsumeInvitation(ctx, revoked.TokenHash, at, nil)
	wantCode(t, "ConsumeInvitation(revoked)", err, voci.ENOTFOUND)
	stored, err = s.FindInvitationByID(ctx, revoked.ID)
	if err != nil {
		t.Fatalf("FindInvitationByID: %v", err)
	}
	revoked.RevokedAt = at
	sameInvitation(t, "stored after revoking", stored, revoked)
}

// testConcurrentConsumeInvitation: of many requests racing with one link, exactly one wins.
func testConcurrentConsumeInvitation(t *testing.T, s voci.Store) {
	ctx := t.Context()
	inv := newInvitation("inv-1", voci.RoleGrant{Role: voci.RoleCoordinator, Municipality: 40198})
	if err := s.CreateInvitation(ctx, inv, nil); err != nil {
		t.Fatalf("CreateInvitation: %v", err)
	}
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.ConsumeInvitation(ctx, inv.TokenHash, inviteAt.Add(time.Duration(i+1)*time.Second), nil)
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch voci.ErrorCode(err) {
		case "":
			won++
		case voci.ENOTFOUND:
		default:
			t.Errorf("goroutine %d: %v, want success or ENOTFOUND", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d concurrent uses of one invitation succeeded, want exactly 1", won, n)
	}
}

func testPendingInvitations(t *testing.T, s voci.Store) {
	ctx := t.Context()
	newPending := func(id string, created time.Time, g voci.RoleGrant) *voci.Invitation {
		inv := newInvitation(id, g)
		inv.CreatedAt = created
		inv.ExpiresAt = created.Add(voci.InvitationTTL)
		if err := s.CreateInvitation(ctx, inv, nil); err != nil {
			t.Fatalf("CreateInvitation(%s): %v", id, err)
		}
		return inv
	}
	day := 24 * time.Hour
	newPending("a-bacau-old", inviteAt.Add(-8*day), voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297}) // expired by now
	newPending("b-bacau", inviteAt.Add(-2*day), voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297})
	newPending("c-brasov", inviteAt.Add(-1*day), voci.RoleGrant{Role: voci.RoleCoordinator, Municipality: 40198})
	newPending("d-national", inviteAt.Add(-3*day), voci.RoleGrant{Role: voci.RoleNationalCommittee})
	newPending("e-bacau-used", inviteAt.Add(-1*day), voci.RoleGrant{Role: voci.RoleCouncilMember, Municipality: 20297})
	newPending("f-bacau-revoked", inviteAt.Add(-1*day), voci.RoleGrant{Role: voci.RoleCouncilMember, Municipality: 20297})
	newPending("g-corbasca", inviteAt.Add(-4*day), voci.RoleGrant{Role: voci.RoleSafeguardingLead, Municipality: 21971})
	if _, err := s.ConsumeInvitation(ctx, voci.TokenHash("secret-e-bacau-used"), inviteAt, nil); err != nil {
		t.Fatalf("ConsumeInvitation: %v", err)
	}
	if err := s.RevokeInvitation(ctx, "f-bacau-revoked", inviteAt, nil); err != nil {
		t.Fatalf("RevokeInvitation: %v", err)
	}

	ids := func(f voci.InvitationFilter) []string {
		t.Helper()
		f.Now = inviteAt
		if f.Limit == 0 {
			f.Limit = 100
		}
		found, err := s.FindPendingInvitations(ctx, f)
		if err != nil {
			t.Fatalf("FindPendingInvitations(%+v): %v", f, err)
		}
		out := []string{}
		for _, inv := range found {
			out = append(out, inv.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		f    voci.InvitationFilter
		want []string
	}{
		{"all, newest first", voci.InvitationFilter{}, []string{"c-brasov", "b-bacau", "d-national", "g-corbasca"}},
		{"one municipality", voci.InvitationFilter{Municipalities: []int{20297}}, []string{"b-bacau"}},
		{"two municipalities", voci.InvitationFilter{Municipalities: []int{21971, 40198}}, []string{"c-brasov", "g-corbasca"}},
		{"none", voci.InvitationFilter{Municipalities: []int{}}, []string{}},
		{"limited", voci.InvitationFilter{Limit: 2}, []string{"c-brasov", "b-bacau"}},
	} {
		if got := ids(tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func testPasswordReset(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateAccount(ctx, newAccount("acc-1", "ana@example.org")); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	want := &voci.PasswordReset{TokenHash: voci.TokenHash("reset-1"), AccountID: "acc-1", CreatedAt: inviteAt, ExpiresAt: inviteAt.Add(voci.PasswordResetTTL)}
	if err := s.CreatePasswordReset(ctx, want, nil); err != nil {
		t.Fatalf("CreatePasswordReset: %v", err)
	}
	same := func(what string, got *voci.PasswordReset) {
		t.Helper()
		if got == nil || got.TokenHash != want.TokenHash || got.AccountID != want.AccountID || !got.CreatedAt.Equal(want.CreatedAt) ||
			!got.ExpiresAt.Equal(want.ExpiresAt) || !got.UsedAt.Equal(want.UsedAt) || got.CreatedAt.Location() != time.UTC {
			t.Fatalf("%s: got %+v, want %+v", what, got, want)
		}
	}
	got, err := s.FindPasswordReset(ctx, want.TokenHash)
	if err != nil {
		t.Fatalf("FindPasswordReset: %v", err)
	}
	same("found", got)
	wantCode(t, "CreatePasswordReset(same hash)", s.CreatePasswordReset(ctx, want, nil), voci.ECONFLICT)
	orphan := *want
	orphan.TokenHash, orphan.AccountID = voci.TokenHash("reset-2"), "acc-404"
	wantCode(t, "CreatePasswordReset(unknown account)", s.CreatePasswordReset(ctx, &orphan, nil), voci.ENOTFOUND)
	_, err = s.FindPasswordReset(ctx, voci.TokenHash("forged"))
	wantCode(t, "FindPasswordReset(forged)", err, voci.ENOTFOUND)

	_, err = s.ConsumePasswordReset(ctx, want.TokenHash, want.ExpiresAt)
	wantCode(t, "ConsumePasswordReset at expiry", err, voci.ENOTFOUND)
	_, err = s.ConsumePasswordReset(ctx, voci.TokenHash("forged"), inviteAt)
	wantCode(t, "ConsumePasswordReset(forged)", err, voci.ENOTFOUND)

	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = s.ConsumePasswordReset(ctx, want.TokenHash, inviteAt.Add(time.Minute)) })
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch voci.ErrorCode(err) {
		case "":
			won++
		case voci.ENOTFOUND:
		default:
			t.Errorf("goroutine %d: %v", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d concurrent uses of one reset link succeeded, want exactly 1", won, n)
	}
	want.UsedAt = inviteAt.Add(time.Minute)
	got, err = s.FindPasswordReset(ctx, want.TokenHash)
	if err != nil {
		t.Fatalf("FindPasswordReset after use: %v", err)
	}
	same("used", got)

	// Spending the account's resets spends the unused ones only, of that account only.
	if err := s.CreateAccount(ctx, newAccount("acc-2", "ion@example.org")); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	for _, r := range []voci.PasswordReset{
		{TokenHash: voci.TokenHash("reset-3"), AccountID: "acc-1", CreatedAt: inviteAt, ExpiresAt: inviteAt.Add(voci.PasswordResetTTL)},
		{TokenHash: voci.TokenHash("reset-4"), AccountID: "acc-1", CreatedAt: inviteAt, ExpiresAt: inviteAt.Add(voci.PasswordResetTTL)},
		{TokenHash: voci.TokenHash("reset-5"), AccountID: "acc-2", CreatedAt: inviteAt, ExpiresAt: inviteAt.Add(voci.PasswordResetTTL)},
	} {
		if err := s.CreatePasswordReset(ctx, &r, nil); err != nil {
			t.Fatalf("CreatePasswordReset: %v", err)
		}
	}
	spentAt := inviteAt.Add(2 * time.Minute)
	if n, err := s.SpendPasswordResets(ctx, "acc-1", spentAt); err != nil || n != 2 {
		t.Fatalf("SpendPasswordResets = %d, %v; want 2", n, err)
	}
	_, err = s.ConsumePasswordReset(ctx, voci.TokenHash("reset-3"), inviteAt.Add(3*time.Minute))
	wantCode(t, "ConsumePasswordReset(spent)", err, voci.ENOTFOUND)
	if got, err := s.FindPasswordReset(ctx, want.TokenHash); err != nil || !got.UsedAt.Equal(want.UsedAt) {
		t.Fatalf("an already used reset was stamped again: %+v %v", got, err)
	}
	if _, err := s.ConsumePasswordReset(ctx, voci.TokenHash("reset-5"), inviteAt.Add(3*time.Minute)); err != nil {
		t.Fatalf("another account's reset was spent: %v", err)
	}
}

func testPeople(t *testing.T, s voci.Store) {
	ctx := t.Context()
	bacau, brasov := voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 20297}, voci.RoleGrant{Role: voci.RoleCoordinator, Municipality: 40198}
	for i, roles := range [][]voci.RoleGrant{{bacau}, {brasov}, {bacau, brasov}, nil, {{Role: voci.RolePlatformAdmin}}} {
		a := newAccount(fmt.Sprintf("acc-%d", i), fmt.Sprintf("user%d@example.org", 4-i)) // emails in reverse order of IDs
		a.Roles = roles
		if err := s.CreateAccount(ctx, a); err != nil {
			t.Fatalf("CreateAccount: %v", err)
		}
	}
	list := func(f voci.AccountFilter) ([]string, int) {
		t.Helper()
		found, total, err := s.FindAccounts(ctx, f)
		if err != nil {
			t.Fatalf("FindAccounts(%+v): %v", f, err)
		}
		ids := []string{}
		for _, a := range found {
			ids = append(ids, a.ID)
		}
		return ids, total
	}
	if ids, total := list(voci.AccountFilter{Limit: 10}); !slices.Equal(ids, []string{"acc-4", "acc-3", "acc-2", "acc-1", "acc-0"}) || total != 5 {
		t.Errorf("all accounts by email: %v (%d)", ids, total)
	}
	if ids, total := list(voci.AccountFilter{Limit: 2, Offset: 1}); !slices.Equal(ids, []string{"acc-3", "acc-2"}) || total != 5 {
		t.Errorf("second page: %v (%d)", ids, total)
	}
	if ids, total := list(voci.AccountFilter{Municipality: 20297, Limit: 10}); !slices.Equal(ids, []string{"acc-2", "acc-0"}) || total != 2 {
		t.Errorf("people of Bacău: %v (%d)", ids, total)
	}
	if ids, _ := list(voci.AccountFilter{Municipality: 21971, Limit: 10}); len(ids) != 0 {
		t.Errorf("people of Corbasca: %v", ids)
	}
	_, _, err := s.FindAccounts(ctx, voci.AccountFilter{Limit: voci.MaxPageSize + 1})
	wantCode(t, "FindAccounts(unbounded)", err, voci.EINVALID)

	at := time.Date(2025, 11, 2, 8, 0, 0, 0, time.UTC)
	council := voci.RoleGrant{Role: voci.RoleCouncilMember, Municipality: 20297}
	a, err := s.AddAccountRole(ctx, "acc-0", council, at)
	if err != nil {
		t.Fatalf("AddAccountRole: %v", err)
	}
	if !slices.Equal(a.Roles, []voci.RoleGrant{bacau, council}) || !a.UpdatedAt.Equal(at) {
		t.Fatalf("after AddAccountRole: %v %v", a.Roles, a.UpdatedAt)
	}
	if a, err = s.AddAccountRole(ctx, "acc-0", council, at); err != nil || len(a.Roles) != 2 {
		t.Fatalf("AddAccountRole twice: %v %v", a, err)
	}
	_, err = s.AddAccountRole(ctx, "acc-404", council, at)
	wantCode(t, "AddAccountRole(unknown)", err, voci.ENOTFOUND)

	if a, err = s.RemoveAccountRole(ctx, "acc-0", bacau, at, nil); err != nil || !slices.Equal(a.Roles, []voci.RoleGrant{council}) {
		t.Fatalf("RemoveAccountRole: %v %v", a, err)
	}
	stored, err := s.FindAccountByID(ctx, "acc-0")
	if err != nil || !slices.Equal(stored.Roles, []voci.RoleGrant{council}) {
		t.Fatalf("stored after RemoveAccountRole: %v %v", stored, err)
	}
	_, err = s.RemoveAccountRole(ctx, "acc-0", bacau, at, nil)
	wantCode(t, "RemoveAccountRole(not held)", err, voci.ENOTFOUND)
	_, err = s.RemoveAccountRole(ctx, "acc-404", bacau, at, nil)
	wantCode(t, "RemoveAccountRole(unknown account)", err, voci.ENOTFOUND)
	// Another account's grants were not touched.
	if other, err := s.FindAccountByID(ctx, "acc-2"); err != nil || !slices.Equal(other.Roles, []voci.RoleGrant{bacau, brasov}) {
		t.Fatalf("other account: %v %v", other, err)
	}
}

// testConcurrentRoleChanges: grants added at once to one account are all kept.
func testConcurrentRoleChanges(t *testing.T, s voci.Store) {
	ctx := t.Context()
	a := newAccount("acc-1", "ana@example.org")
	a.Roles = nil
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	places := []int{20297, 40198, 21891, 126228, 21971, 20876, 13169, 40438}
	var wg sync.WaitGroup
	for _, m := range places {
		wg.Go(func() {
			if _, err := s.AddAccountRole(ctx, "acc-1", voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: m}, inviteAt); err != nil {
				t.Errorf("AddAccountRole(%d): %v", m, err)
			}
		})
	}
	wg.Wait()
	got, err := s.FindAccountByID(ctx, "acc-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Roles) != len(places) {
		t.Fatalf("%d grants kept of %d added concurrently: %v", len(got.Roles), len(places), got.Roles)
	}
}
