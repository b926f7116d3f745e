package moderation

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns text as Voci stores it: in Unicode's composed form (NFC), so that "ș"
// typed on two keyboards is one letter, with invisible format characters (zero-width
// spaces and joiners, soft hyphens, bidi controls, tags) taken out, so that what an adult
// reads is exactly what was screened. A joiner inside an emoji sequence stays. disguised
// reports a text that tried to hide what it says: a bidi override or isolate, which
// reorders what is shown, or a word that mixes Latin letters with Cyrillic or Greek
// look-alikes ("Fаcilitator" with a Cyrillic а).
func Normalize(text string) (clean string, disguised bool) {
	var b strings.Builder
	b.Grow(len(text))
	prev := rune(0)
	for _, r := range norm.NFC.String(text) {
		if unicode.Is(unicode.Cf, r) {
			if unicode.Is(unicode.Bidi_Control, r) {
				disguised = true
			}
			if r == '\u200d' && (unicode.Is(unicode.So, prev) || unicode.Is(unicode.Sk, prev) || prev == '\ufe0f') {
				b.WriteRune(r)
				prev = r
			}
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	clean = strings.TrimSpace(b.String())
	if clean == "" && strings.TrimSpace(text) != "" {
		// Nothing but invisible characters: keep what was sent, and hold it.
		return text, true
	}
	return clean, disguised || mixesScripts(clean)
}

// mixesScripts reports a word with Latin letters and Cyrillic or Greek ones. A whole word in
// Cyrillic (a child writing Ukrainian) is not a disguise.
func mixesScripts(text string) bool {
	latin, other := false, false
	for _, r := range text {
		switch {
		case !unicode.IsLetter(r):
			latin, other = false, false
			continue
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r):
			other = true
		}
		if latin && other {
			return true
		}
	}
	return false
}

// confusables maps Cyrillic and Greek letters to the Latin letters they look like, so that
// a word spelt with look-alikes matches the word lists.
var confusables = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ɡ': 'g',
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
	'У': 'Y', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S',
	'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
}

// matchForm is the form of a text that screening reads: compatibility characters folded
// (NFKC: full-width and circled letters, ligatures), look-alike letters made Latin. Case
// and diacritics stay, so that capitals can still tell a name.
func matchForm(text string) string {
	return strings.Map(func(r rune) rune {
		if l, ok := confusables[r]; ok {
			return l
		}
		return r
	}, norm.NFKC.String(text))
}

// fold lowers text and strips diacritics (every mark, so "ș", "ş", "ő" and "é" all go), for
// matching against the word lists, which are written without them.
func fold(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range norm.NFD.String(text) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// unleet undoes the letter-for-digit swaps used to slip words past filters, inside words
// only ("sh1t", not "10").
func unleet(f string) string {
	var b strings.Builder
	b.Grow(len(f))
	runes := []rune(f)
	for i, r := range runes {
		letterNear := (i > 0 && unicode.IsLetter(runes[i-1])) || (i+1 < len(runes) && unicode.IsLetter(runes[i+1]))
		if letterNear {
			switch r {
			case '0':
				r = 'o'
			case '1', '!':
				r = 'i'
			case '3':
				r = 'e'
			case '4', '@':
				r = 'a'
			case '5', '$':
				r = 's'
			case '7':
				r = 't'
			case '*':
				r = 'u'
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
