package voci

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// IDSource makes identifiers; tests may replace it.
type IDSource func() string

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// RandomID returns 128 random bits as 26 lower-case base32 characters: unguessable, so an ID
// in a URL reveals nothing and cannot be enumerated.
func RandomID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: crypto/rand panics rather than return an error since Go 1.24
	return strings.ToLower(idEncoding.EncodeToString(b))
}
