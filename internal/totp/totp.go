// Package totp is the second factor of adults' sign-in: RFC 6238 time-based one-time codes,
// as authenticator apps make them, through github.com/pquerna/otp; and the encryption of
// their secrets at rest (AES-256-GCM, standard library).
package totp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Issuer is the name authenticator apps show next to the code.
const Issuer = "Voci"

// Period is the length of one time step.
const Period = 30 * time.Second

// KeySize is the length of the key that seals secrets: AES-256.
const KeySize = 32

// sealedPrefix marks a sealed secret. A plain base32 secret never holds a colon, so a secret
// stored before sealing existed is told apart.
const sealedPrefix = "v1:"

// Factor implements voci.SecondFactor. Build it with New.
type Factor struct {
	aead cipher.AEAD
}

// New returns a Factor that seals secrets with key (KeySize bytes).
func New(key []byte) (*Factor, error) {
	if len(key) != KeySize {
		return nil, errors.New("totp: the secret key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Factor{aead: aead}, nil
}

// NewSecret returns a random secret for the account and its otpauth:// provisioning URI.
func (*Factor) NewSecret(accountEmail string) (string, string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: accountEmail})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// Verify accepts the code of the current 30-second step and of one step either side, for
// clocks that drift, and returns the step the code belongs to (Unix time / 30 s), which the
// caller records so that the code cannot be used again.
func (*Factor) Verify(code, secret string, at time.Time) (int64, bool) {
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: uint(Period / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for _, d := range []time.Duration{0, -Period, Period} {
		t := at.UTC().Add(d)
		want, err := totp.GenerateCodeCustom(secret, t, opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return t.Unix() / int64(Period/time.Second), true
		}
	}
	return 0, false
}

// Seal encrypts a secret for storage. The account's ID is authenticated with it, so that a
// sealed secret copied onto another account does not open.
func (f *Factor) Seal(accountID, secret string) (string, error) {
	nonce := make([]byte, f.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := f.aead.Seal(nonce, nonce, []byte(secret), []byte(accountID))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// ErrCannotOpen is Open's answer for a sealed secret that this key cannot open: another
// key sealed it, or it was altered.
var ErrCannotOpen = errors.New("totp: the stored secret cannot be opened with this key (is VOCI_SECRET_KEY the one it was sealed with?)")

// Open returns the secret Seal made for the account. A secret stored in plain text, before
// secrets were sealed, is returned as it is with sealed false, for the caller to seal it.
func (f *Factor) Open(accountID, stored string) (secret string, sealed bool, err error) {
	if stored == "" {
		return "", false, nil
	}
	rest, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, false, nil
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(raw) < f.aead.NonceSize() {
		return "", true, ErrCannotOpen
	}
	n := f.aead.NonceSize()
	plain, err := f.aead.Open(nil, raw[:n], raw[n:], []byte(accountID))
	if err != nil {
		return "", true, ErrCannotOpen
	}
	return string(plain), true, nil
}

// Code returns the code for a secret at a time: for tests and the command line.
func Code(secret string, at time.Time) (string, error) {
	return totp.GenerateCode(secret, at.UTC())
}
