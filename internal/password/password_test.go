package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	fast := Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, err := Hash("corect horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	h2, _ := Hash("corect horse battery", fast)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"corect horse battery": true, "corect horse batterY": false, "": false} {
		ok, err := Verify(pw, h)
		if err != nil || ok != want {
			t.Errorf("Verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
		if _, err := Verify("x", h); !errors.Is(err, ErrMalformedHash) {
			t.Errorf("Verify(%q) error = %v; want ErrMalformedHash", h, err)
		}
	}
}

func TestCheckStrength(t *testing.T) {
	for _, pw := range []string{
		"short", "password123456", "Password123456!", "qwertyuiopasdf", "123456789012", "abcabcabcabc",
		"aaaaaaaaaaaaaaaa", "parola123456", "ana.popescu-is-great", strings.Repeat("x", 129), "tab\tinside-password",
	} {
		if err := CheckStrength(pw, "ana.popescu@example.ro"); err == nil {
			t.Errorf("CheckStrength(%q) accepted a weak password", pw)
		}
	}
	for _, pw := range []string{"mere verzi pe dealul lung", "Correct-Horse-Battery-7", "szép idő van ma Brassóban"} {
		if err := CheckStrength(pw, "ana.popescu@example.ro"); err != nil {
			t.Errorf("CheckStrength(%q) = %v", pw, err)
		}
	}
}
