package password

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"github.com/voci-platform/voci/internal/voci"
)

// MinLength and MaxLength bound a password. The maximum keeps hashing cheap for the server.
const (
	MinLength = 12
	MaxLength = 128
)

//go:embed common-passwords.txt
var commonList []byte

var (
	commonOnce sync.Once
	common     map[string]bool
)

func commonPasswords() map[string]bool {
	commonOnce.Do(func() {
		common = make(map[string]bool, 10100)
		sc := bufio.NewScanner(bytes.NewReader(commonList))
		for sc.Scan() {
			if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
				common[line] = true
			}
		}
	})
	return common
}

// CheckStrength returns EINVALID (param "password") with advice a person can follow when pw is
// too short or too long, is a common password or a common password padded with digits and
// symbols ("password123456!"), repeats one short pattern, or contains the email's name part.
func CheckStrength(pw, email string) error {
	n := len([]rune(pw))
	switch {
	case n < MinLength:
		return voci.InvalidParam("password", "Use at least %d characters. A few unrelated words make a good password.", MinLength)
	case n > MaxLength:
		return voci.InvalidParam("password", "Use at most %d characters.", MaxLength)
	}
	for _, r := range pw {
		if unicode.IsControl(r) {
			return voci.InvalidParam("password", "The password contains characters that are not allowed.")
		}
	}
	lower := strings.ToLower(pw)
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if commonPasswords()[lower] || (core != "" && commonPasswords()[core]) || repeats(lower) || sequence(lower) {
		return voci.InvalidParam("password", "This password is too common and easy to guess. Choose another one.")
	}
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && len(local) >= 4 && strings.Contains(lower, local) {
		return voci.InvalidParam("password", "The password must not contain your email address.")
	}
	return nil
}

// keyboardRuns are runs people type as passwords, on Romanian (QWERTY) and Hungarian (QWERTZ)
// keyboards, forwards and backwards.
var keyboardRuns = []string{
	"qwertyuiopasdfghjklzxcvbnm", "qwertzuiopasdfghjklyxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
	"abcdefghijklmnopqrstuvwxyz", "012345678901234567890", "987654321098765432109",
	"mnbvcxzlkjhgfdsapoiuytrewq", "zyxwvutsrqponmlkjihgfedcba",
}

// sequence reports whether s is a run of neighbouring keys or letters ("qwertyuiopas").
func sequence(s string) bool {
	for _, run := range keyboardRuns {
		if strings.Contains(run, s) {
			return true
		}
	}
	return false
}

// repeats reports whether s is one pattern of up to 4 characters over and over ("abcabcabcabc").
func repeats(s string) bool {
	for size := 1; size <= 4; size++ {
		if len(s)%size == 0 && strings.Repeat(s[:size], len(s)/size) == s {
			return true
		}
	}
	return false
}
