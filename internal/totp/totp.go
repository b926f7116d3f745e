// Package totp is the second factor of adults' sign-in: RFC 6238 time-based one-time codes,
// as authenticator apps make them, through github.com/pquerna/otp.
package totp

import (
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Issuer is the name authenticator apps show next to the code.
const Issuer = "Voci"

// Factor implements voci.SecondFactor.
type Factor struct{}

// NewSecret returns a random secret for the account and its otpauth:// provisioning URI.
func (Factor) NewSecret(accountEmail string) (string, string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: accountEmail})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// Validate accepts the code of the current 30-second step and of one step either side, for
// clocks that drift.
func (Factor) Validate(code, secret string, at time.Time) bool {
	if len(code) != 6 || secret == "" {
		return false
	}
	ok, err := totp.ValidateCustom(code, secret, at.UTC(), totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return err == nil && ok
}

// Code returns the code for a secret at a time: for tests and the command line.
func Code(secret string, at time.Time) (string, error) {
	return totp.GenerateCode(secret, at.UTC())
}
