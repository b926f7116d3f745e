package storetest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/password"
	"github.com/voci-platform/voci/internal/totp"
	"github.com/voci-platform/voci/internal/voci"
)

// A second-factor code opens one sign-in: the store records the last time step used in one
// conditional write, so that a replay, or the same code sent twice at once, is refused.

func testTOTPStepUsedOnce(t *testing.T, s voci.Store) {
	ctx := t.Context()
	a := newAccount("acct-totp", "totp@example.org")
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		step int64
		want string
	}{
		{59_000_000, ""},
		{59_000_000, voci.ECONFLICT}, // the same code again
		{58_999_999, voci.ECONFLICT}, // an older one, still in the window
		{59_000_001, ""},
		{59_000_003, ""},
		{59_000_002, voci.ECONFLICT},
	}
	for _, c := range steps {
		if err := s.UseTOTPStep(ctx, a.ID, c.step); voci.ErrorCode(err) != c.want {
			t.Fatalf("UseTOTPStep(%d) = %v, want %q", c.step, err, c.want)
		}
	}
	if err := s.UseTOTPStep(ctx, "no-such-account", 59_000_010); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("unknown account: %v", err)
	}
	// The record is the account's: another account's steps are its own.
	b := newAccount("acct-totp-2", "totp2@example.org")
	if err := s.CreateAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.UseTOTPStep(ctx, b.ID, 59_000_000); err != nil {
		t.Fatalf("another account: %v", err)
	}
	// Other changes to the account leave the record alone.
	name := "Ana"
	if _, err := s.UpdateAccount(ctx, a.ID, voci.AccountUpdate{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	if err := s.UseTOTPStep(ctx, a.ID, 59_000_003); voci.ErrorCode(err) != voci.ECONFLICT {
		t.Fatalf("after an update: %v", err)
	}
}

func testConcurrentTOTPStep(t *testing.T, s voci.Store) {
	ctx := t.Context()
	a := newAccount("acct-totp", "totp@example.org")
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = s.UseTOTPStep(ctx, a.ID, 60_000_000)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch voci.ErrorCode(err) {
		case "":
			ok++
		case voci.ECONFLICT:
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent uses of one step went through, want exactly 1", ok, n)
	}
}

// testTOTPCodeOpensOneSignIn runs the domain's sign-in over the store: the same valid code
// sent by several clients at once signs in exactly one, and a replay within the code's
// window is refused. A secret stored in plain text, as before secrets were sealed, still
// works and is sealed by its first use; the rest are sealed by SealTOTPSecrets.
func testTOTPCodeOpensOneSignIn(t *testing.T, s voci.Store) {
	ctx := t.Context()
	hasher := password.Hasher{Params: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	factor, err := totp.New([]byte(strings.Repeat("k", totp.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 18, 0, 10, 0, time.UTC)
	auth, err := voci.NewAuth(s, hasher, factor, voci.DefaultSessionPolicy, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	const pw = "a long passphrase for the contract"
	hash, err := hasher.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	const plain = "JBSWY3DPEHPK3PXP"
	a := newAccount("acct-totp", "totp@example.org")
	a.PasswordHash, a.TOTPSecret, a.TOTPEnabled = hash, plain, true
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	other := newAccount("acct-plain", "plain@example.org")
	other.TOTPSecret = plain
	if err := s.CreateAccount(ctx, other); err != nil {
		t.Fatal(err)
	}

	code, _ := totp.Code(plain, now)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = auth.SignIn(ctx, voci.Credentials{Email: a.Email, Password: pw, TOTP: code})
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch voci.ErrorCode(err) {
		case "":
			ok++
		case voci.EINVALIDTOTP:
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent sign-ins with one code went through, want exactly 1", ok, n)
	}

	// The plain secret was sealed by its use.
	if kept := stored(t, s, a.ID).TOTPSecret; !strings.HasPrefix(kept, "v1:") || strings.Contains(kept, plain) {
		t.Fatalf("the secret is still stored as %q", kept)
	}
	// Ten seconds later, still within the code's window: a replay is refused.
	now = now.Add(10 * time.Second)
	if _, err := auth.SignIn(ctx, voci.Credentials{Email: a.Email, Password: pw, TOTP: code}); voci.ErrorCode(err) != voci.EINVALIDTOTP {
		t.Fatalf("a replayed code: %v", err)
	}
	// The next code opens the next sign-in, through the sealed secret.
	now = now.Add(30 * time.Second)
	next, _ := totp.Code(plain, now)
	if _, err := auth.SignIn(ctx, voci.Credentials{Email: a.Email, Password: pw, TOTP: next}); err != nil {
		t.Fatalf("the next code: %v", err)
	}

	// The sweep seals what was never used since, once.
	sealed, err := voci.NewAccounts(s, auth).SealTOTPSecrets(ctx)
	if err != nil || sealed != 1 {
		t.Fatalf("SealTOTPSecrets = %d, %v; want 1", sealed, err)
	}
	got := stored(t, s, other.ID).TOTPSecret
	if secret, isSealed, err := factor.Open(other.ID, got); err != nil || !isSealed || secret != plain {
		t.Fatalf("after the sweep: %q (%v, %v)", got, isSealed, err)
	}
	if again, err := voci.NewAccounts(s, auth).SealTOTPSecrets(ctx); err != nil || again != 0 {
		t.Fatalf("a second sweep = %d, %v; want 0", again, err)
	}
}
