package voci

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// sampleCodes draws n codes from a seeded generator: the same sample on every run.
func sampleCodes(n int) []ReceiptCode {
	src := rand.New(rand.NewPCG(9, 4))
	codes := make([]ReceiptCode, n)
	for i := range codes {
		codes[i] = receiptCodeOf(src.Uint64())
	}
	return codes
}

// Every single wrong character, in every place of every sampled code, is caught by the check
// character (or is no character of the alphabet at all).
func TestReceiptCheckCatchesEverySubstitution(t *testing.T) {
	for _, code := range sampleCodes(300) {
		if got, err := ParseReceiptCode(string(code)); err != nil || got != code {
			t.Fatalf("%s does not parse back: %q, %v", code, got, err)
		}
		for i := range ReceiptCodeLength {
			alphabet := crockfordDigits
			if i == 10 {
				alphabet = crockfordCheck
			}
			for j := 0; j < len(alphabet); j++ {
				if alphabet[j] == code[i] {
					continue
				}
				wrong := []byte(code)
				wrong[i] = alphabet[j]
				if got, err := ParseReceiptCode(string(wrong)); err == nil {
					t.Fatalf("%s with place %d changed to %c was taken, as %s", code, i, alphabet[j], got)
				}
			}
		}
	}
}

// Every swap of two different neighbours, the check character included, is caught.
func TestReceiptCheckCatchesEveryAdjacentSwap(t *testing.T) {
	swaps := 0
	for _, code := range sampleCodes(3000) {
		for i := 0; i+1 < ReceiptCodeLength; i++ {
			if code[i] == code[i+1] {
				continue
			}
			swapped := []byte(code)
			swapped[i], swapped[i+1] = swapped[i+1], swapped[i]
			swaps++
			if got, err := ParseReceiptCode(string(swapped)); err == nil {
				t.Fatalf("%s with places %d and %d swapped was taken, as %s", code, i, i+1, got)
			}
		}
	}
	if swaps < 25000 {
		t.Fatalf("only %d swaps tried", swaps)
	}
}

func TestReceiptCodeParsesLeniently(t *testing.T) {
	code := receiptCodeOf(0x123456789ABCD)
	grouped := code.Grouped()
	if len(grouped) != 13 || grouped[4] != '-' || grouped[9] != '-' {
		t.Fatalf("grouped %q", grouped)
	}
	// A code whose digits include 0 and 1, to write them as O, I and L.
	var withOnes ReceiptCode
	for _, c := range sampleCodes(5000) {
		if strings.Contains(string(c[:10]), "0") && strings.Contains(string(c[:10]), "1") {
			withOnes = c
			break
		}
	}
	if withOnes == "" {
		t.Fatal("no sample code with 0 and 1")
	}
	for _, typed := range []string{
		string(code),
		strings.ToLower(string(code)),
		grouped,
		" " + strings.ToLower(grouped) + " ",
		strings.Join(strings.Split(string(code), ""), " "),
		strings.ReplaceAll(strings.ReplaceAll(string(withOnes[:10]), "0", "O"), "1", "I") + string(withOnes[10]),
		strings.ReplaceAll(strings.ReplaceAll(string(withOnes[:10]), "0", "o"), "1", "l") + string(withOnes[10]),
	} {
		want := code
		if strings.ContainsAny(strings.ToUpper(typed), "OIL") {
			want = withOnes
		}
		if got, err := ParseReceiptCode(typed); err != nil || got != want {
			t.Errorf("ParseReceiptCode(%q) = %q, %v; want %s", typed, got, err, want)
		}
	}
	for _, bad := range []string{"", "7KQ4-M2XD-9P", "7KQ4-M2XD-9PFF", "UKQ4M2XD9PF", "7KQ4_M2XD_9PF", strings.Repeat("0", 200)} {
		if _, err := ParseReceiptCode(bad); ErrorCode(err) != ERECEIPTCODEINVALID {
			t.Errorf("ParseReceiptCode(%q): %v; want %s", bad, err, ERECEIPTCODEINVALID)
		}
	}
}

func TestReceiptCodeUsesFiftyRandomBits(t *testing.T) {
	all := bytes.Repeat([]byte{0xff}, 8)
	code, err := NewReceiptCode(bytes.NewReader(all))
	if err != nil || code != receiptCodeOf(1<<50-1) || code[:10] != "ZZZZZZZZZZ" {
		t.Fatalf("all ones: %s, %v", code, err)
	}
	if _, err := NewReceiptCode(bytes.NewReader(nil)); err == nil {
		t.Fatal("no randomness, yet a code")
	}
	// The check symbols beyond the digits appear: 37 values.
	seen := map[byte]bool{}
	for _, c := range sampleCodes(2000) {
		seen[c[10]] = true
	}
	if len(seen) != 37 {
		t.Fatalf("%d check symbols seen", len(seen))
	}
}

func TestReceiptCodeFromTokenIsStableAndKeyed(t *testing.T) {
	a := NewReceipts(nil, []byte("key one, thirty-two bytes long!!"))
	b := NewReceipts(nil, []byte("key two, thirty-two bytes long!!"))
	if a.codeFromToken("tok", 0) != a.codeFromToken("tok", 0) {
		t.Fatal("the same token gave two codes")
	}
	if a.codeFromToken("tok", 0) == a.codeFromToken("tok", 1) || a.codeFromToken("tok", 0) == b.codeFromToken("tok", 0) {
		t.Fatal("attempts or keys do not change the code")
	}
	code := a.codeFromToken("tok", 0)
	if _, err := ParseReceiptCode(string(code)); err != nil {
		t.Fatal(err)
	}
	if h := a.ReceiptHash(code); len(h) != 64 || h == b.ReceiptHash(code) || strings.Contains(h, string(code)) {
		t.Fatalf("hash %s", h)
	}
}

func TestReceiptAnswerBackValidates(t *testing.T) {
	for _, a := range []ReceiptAnswerBack{{}, {Clarity: "maybe"}, {Agreement: "yes"}} {
		if ErrorCode(a.Validate()) != EINVALID {
			t.Errorf("%+v accepted", a)
		}
	}
	for _, a := range []ReceiptAnswerBack{{Clarity: Clear}, {Agreement: Disagree}, {Clarity: NotClear, Agreement: Agree}} {
		if err := a.Validate(); err != nil {
			t.Errorf("%+v: %v", a, err)
		}
	}
}
