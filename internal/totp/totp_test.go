package totp

import (
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	var f Factor
	secret, uri, err := f.NewSecret("ana@example.ro")
	if err != nil || !strings.HasPrefix(uri, "otpauth://totp/Voci:ana@example.ro?") {
		t.Fatalf("%v %s", err, uri)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	code, err := Code(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Validate(code, secret, now) || !f.Validate(code, secret, now.Add(30*time.Second)) {
		t.Fatal("a fresh code is refused")
	}
	if f.Validate(code, secret, now.Add(5*time.Minute)) {
		t.Fatal("a five-minute-old code is accepted")
	}
	if f.Validate("", secret, now) || f.Validate(code, "", now) || f.Validate("12345", secret, now) {
		t.Fatal("malformed input accepted")
	}
}
