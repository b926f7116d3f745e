package totp

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func newFactor(t *testing.T, fill byte) *Factor {
	t.Helper()
	f, err := New(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRoundTrip(t *testing.T) {
	f := newFactor(t, 7)
	secret, uri, err := f.NewSecret("ana@example.ro")
	if err != nil || !strings.HasPrefix(uri, "otpauth://totp/Voci:ana@example.ro?") {
		t.Fatalf("%v %s", err, uri)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	step := now.Unix() / 30
	code, err := Code(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := f.Verify(code, secret, now); !ok || got != step {
		t.Fatalf("a fresh code: step %d %v, want %d", got, ok, step)
	}
	// A code of the last step, for a clock that is behind, belongs to that step.
	if got, ok := f.Verify(code, secret, now.Add(30*time.Second)); !ok || got != step {
		t.Fatalf("a code of the previous step: step %d %v, want %d", got, ok, step)
	}
	if _, ok := f.Verify(code, secret, now.Add(5*time.Minute)); ok {
		t.Fatal("a five-minute-old code is accepted")
	}
	for _, bad := range [][2]string{{"", secret}, {code, ""}, {"12345", secret}} {
		if _, ok := f.Verify(bad[0], bad[1], now); ok {
			t.Fatalf("malformed input %q accepted", bad)
		}
	}
}

func TestSealOpen(t *testing.T) {
	f := newFactor(t, 7)
	const secret = "JBSWY3DPEHPK3PXP"
	sealed, err := f.Seal("acct-1", secret)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, secret) || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("sealed %q shows the secret or has no version", sealed)
	}
	again, _ := f.Seal("acct-1", secret)
	if again == sealed {
		t.Fatal("two seals of one secret are equal: the nonce is not random")
	}
	if got, ok, err := f.Open("acct-1", sealed); err != nil || !ok || got != secret {
		t.Fatalf("Open = %q %v %v", got, ok, err)
	}
	// A secret stored before sealing existed opens as it is, marked not sealed.
	if got, ok, err := f.Open("acct-1", secret); err != nil || ok || got != secret {
		t.Fatalf("Open(plain) = %q %v %v", got, ok, err)
	}
	if _, _, err := f.Open("acct-2", sealed); err != ErrCannotOpen {
		t.Fatalf("another account's sealed secret: %v", err)
	}
	if _, _, err := newFactor(t, 8).Open("acct-1", sealed); err != ErrCannotOpen {
		t.Fatalf("another key: %v", err)
	}
	// Another letter in the middle: every bit of it is data (the last letter's low bits may be
	// padding, which decoding ignores).
	altered := []byte(sealed)
	if i := len("v1:") + 8; altered[i] == 'A' {
		altered[i] = 'B'
	} else {
		altered[i] = 'A'
	}
	if _, _, err := f.Open("acct-1", string(altered)); err != ErrCannotOpen {
		t.Fatalf("an altered secret: %v", err)
	}
	if _, err := New(make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte key is accepted")
	}
}
