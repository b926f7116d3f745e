package voci

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestFoldForSearch(t *testing.T) {
	for in, want := range map[string]string{
		"Brașov":            "brasov",
		"  BRAŞOV  ":        "brasov", // cedilla form, as older data spells it
		"Târgu   Mureș":     "targu mures",
		"Székelyudvarhely":  "szekelyudvarhely",
		"Bistrița-Năsăud":   "bistrita-nasaud",
		"Öcsém Ő Ű":         "ocsem o u",
		"":                  "",
		"50%_off\\":         "50%_off\\",
		"Îndreptarea Ăștia": "indreptarea astia",
	} {
		if got := FoldForSearch(in); got != want {
			t.Errorf("FoldForSearch(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestRomanianTitleCase(t *testing.T) {
	for in, want := range map[string]string{
		"BRAȘOV":             "Brașov",
		"SÂNPETRU DE CÂMPIE": "Sânpetru de Câmpie",
		"BISTRIȚA-NĂSĂUD":    "Bistrița-Năsăud",
		"C.A. ROSETTI":       "C.A. Rosetti",
		"I.C.BRĂTIANU":       "I.C.Brătianu",
		"23 AUGUST":          "23 August",
		"ȘIRIA":              "Șiria",
		"DE LA MUNTE":        "De la Munte",
	} {
		if got := RomanianTitleCase(in); got != want {
			t.Errorf("RomanianTitleCase(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", InvalidParam("page", "The page must be 1 or more."))
	if ErrorCode(err) != EINVALID || ErrorMessage(err) != "The page must be 1 or more." {
		t.Fatalf("code %q message %q", ErrorCode(err), ErrorMessage(err))
	}
	raw := errors.New("sql: connection refused at 10.0.0.3")
	if ErrorCode(raw) != EINTERNAL || strings.Contains(ErrorMessage(raw), "10.0.0.3") {
		t.Fatalf("an internal error leaks: %q", ErrorMessage(raw))
	}
	if ErrorCode(nil) != "" {
		t.Fatal("nil has a code")
	}
}

func TestMunicipalityFilterNormalize(t *testing.T) {
	f := MunicipalityFilter{Query: " Brașov ", Limit: 20}
	if err := f.Normalize(); err != nil || f.Query != "brasov" {
		t.Fatalf("%v %q", err, f.Query)
	}
	for _, bad := range []MunicipalityFilter{
		{Limit: 0}, {Limit: MaxPageSize + 1}, {Limit: 1, Offset: -1}, {Limit: 1, Query: strings.Repeat("a", 101)},
	} {
		if err := bad.Normalize(); ErrorCode(err) != EINVALID {
			t.Errorf("Normalize(%+v) = %v; want EINVALID", bad, err)
		}
	}
}

func TestAccountValidate(t *testing.T) {
	ok := Account{ID: "a1", Email: " Ana@Example.RO ", DisplayName: "Ana Pop", Roles: []RoleGrant{
		{Role: RoleFacilitator, Municipality: 20297}, {Role: RoleFacilitator, Municipality: 40198}, {Role: RoleNationalCommittee},
	}}
	if err := ok.Validate(); err != nil || ok.Email != "ana@example.ro" {
		t.Fatalf("%v %q", err, ok.Email)
	}
	if !ok.HasRole(RoleFacilitator, 40198) || ok.HasRole(RoleFacilitator, 21891) || !ok.HasRole(RoleNationalCommittee, 0) {
		t.Fatal("HasRole")
	}
	cases := map[string]Account{
		"email":        {ID: "a", Email: "not an email", DisplayName: "x"},
		"email name":   {ID: "a", Email: "Ana <ana@example.ro>", DisplayName: "x"},
		"displayName":  {ID: "a", Email: "a@b.ro", DisplayName: "bad\x00name"},
		"empty name":   {ID: "a", Email: "a@b.ro", DisplayName: ""},
		"role":         {ID: "a", Email: "a@b.ro", DisplayName: "x", Roles: []RoleGrant{{Role: "mayor", Municipality: 1}}},
		"scope":        {ID: "a", Email: "a@b.ro", DisplayName: "x", Roles: []RoleGrant{{Role: RoleCoordinator}}},
		"global scope": {ID: "a", Email: "a@b.ro", DisplayName: "x", Roles: []RoleGrant{{Role: RolePlatformAdmin, Municipality: 5}}},
		"duplicate":    {ID: "a", Email: "a@b.ro", DisplayName: "x", Roles: []RoleGrant{{Role: RolePlatformAdmin}, {Role: RolePlatformAdmin}}},
	}
	for name, a := range cases {
		if err := a.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: Validate = %v; want EINVALID", name, err)
		}
	}
}

func TestMayGrant(t *testing.T) {
	admin := &Account{Roles: []RoleGrant{{Role: RolePlatformAdmin}}}
	national := &Account{Roles: []RoleGrant{{Role: RoleNationalCommittee}}}
	coord := &Account{Roles: []RoleGrant{{Role: RoleCoordinator, Municipality: 20297}, {Role: RoleFacilitator, Municipality: 40198}}}
	facilitator := &Account{Roles: []RoleGrant{{Role: RoleFacilitator, Municipality: 20297}}}
	cases := []struct {
		name  string
		actor *Account
		grant RoleGrant
		code  string
	}{
		{"admin: admin", admin, RoleGrant{Role: RolePlatformAdmin}, ""},
		{"admin: facilitator", admin, RoleGrant{Role: RoleFacilitator, Municipality: 1}, ""},
		{"national: coordinator anywhere", national, RoleGrant{Role: RoleCoordinator, Municipality: 40198}, ""},
		{"national: national", national, RoleGrant{Role: RoleNationalCommittee}, EFORBIDDEN},
		{"national: facilitator", national, RoleGrant{Role: RoleFacilitator, Municipality: 40198}, EFORBIDDEN},
		{"coordinator: own municipality", coord, RoleGrant{Role: RoleSafeguardingLead, Municipality: 20297}, ""},
		{"coordinator: where only a facilitator", coord, RoleGrant{Role: RoleFacilitator, Municipality: 40198}, ENOTFOUND},
		{"coordinator: a coordinator", coord, RoleGrant{Role: RoleCoordinator, Municipality: 20297}, EFORBIDDEN},
		{"coordinator: platform role", coord, RoleGrant{Role: RoleNationalCommittee}, EFORBIDDEN},
		{"facilitator", facilitator, RoleGrant{Role: RoleFacilitator, Municipality: 20297}, EFORBIDDEN},
	}
	for _, c := range cases {
		if got := ErrorCode(MayGrant(c.actor, c.grant)); got != c.code {
			t.Errorf("%s: %q, want %q", c.name, got, c.code)
		}
	}
	if ErrorCode(mayRevoke(coord, RoleGrant{Role: RoleCoordinator, Municipality: 20297})) != EFORBIDDEN ||
		ErrorCode(mayRevoke(national, RoleGrant{Role: RoleCoordinator, Municipality: 20297})) != EFORBIDDEN ||
		mayRevoke(admin, RoleGrant{Role: RoleCoordinator, Municipality: 20297}) != nil {
		t.Error("mayRevoke")
	}
}

func TestOneTimeTokens(t *testing.T) {
	secret, hash := NewOneTimeToken()
	if len(secret) != 43 || TokenHash(secret) != hash || hash == secret || !tokenLooksValid(secret) {
		t.Fatalf("secret %q hash %q", secret, hash)
	}
	for _, bad := range []string{"", "a b", "a/b", "a=b", strings.Repeat("a", 101), "ă"} {
		if tokenLooksValid(bad) {
			t.Errorf("%q looks valid", bad)
		}
	}
}
