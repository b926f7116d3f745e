package moderation

import (
	"slices"
	"testing"
)

func TestScreen(t *testing.T) {
	s := New()
	cases := []struct {
		text string
		want []string // nil: clean
	}{
		// Phone numbers, the ways children type them.
		{"suna-ma 0722123456", []string{ReasonPhone, ReasonContact}},
		{"0722 123 456", []string{ReasonPhone}},
		{"0722.123.456", []string{ReasonPhone}},
		{"0722-123-456", []string{ReasonPhone}},
		{"(0722) 123 456", []string{ReasonPhone}},
		{"+40 722 123 456", []string{ReasonPhone}},
		{"+40722123456", []string{ReasonPhone}},
		{"0040 722 123 456", []string{ReasonPhone}},
		{"+40 (0) 722 123 456", []string{ReasonPhone}},
		{"fix 0234 567 890", []string{ReasonPhone}},
		{"Brașov: 0268 123 456", []string{ReasonPhone}},

		// Emails.
		{"scrie-mi la ana.maria@gmail.com", []string{ReasonEmail}},
		{"ANA_2012@YAHOO.RO", []string{ReasonEmail}},
		{"ana (at) gmail.com", []string{ReasonEmail}},

		// CNP: only with a valid control digit.
		{"cnp 1960101221141", []string{ReasonCNP}},
		{"5010101123455", []string{ReasonCNP}},

		// Links.
		{"uite https://example.org/x", []string{ReasonURL}},
		{"www.joc.ro e tare", []string{ReasonURL}},
		{"intrati pe parcul-nou.ro", []string{ReasonURL}},

		// Social handles.
		{"da-mi follow @ana_maria12", []string{ReasonHandle, ReasonContact}},
		{"insta: ana.maria", []string{ReasonHandle}},
		{"tiktok - dansatoarea12", []string{ReasonHandle}},

		// Abuse, in three languages, with diacritics or without, disguised or not.
		{"esti un idiot si o pizdă", []string{ReasonAbuse}},
		{"PIZDA", []string{ReasonAbuse}},
		{"ce căcat de parc", []string{ReasonAbuse}},
		{"this park is shit", []string{ReasonAbuse}},
		{"sh1t", []string{ReasonAbuse}},
		{"f*ck this", []string{ReasonAbuse}},
		{"ez egy kurva rossz játszótér", []string{ReasonAbuse}},
		{"seggfej", []string{ReasonAbuse}},
		{"kill yourself", []string{ReasonAbuse}},
		{"te omor", []string{ReasonAbuse}},

		// Addresses, names, schools, invitations and disclosures (the corpus has many more).
		{"str. Mihai Viteazu nr. 12, bl. A3, ap. 14", []string{ReasonAddress}},
		{"Fő utca 5", []string{ReasonAddress}},
		{"12 Oak Street", []string{ReasonAddress}},
		{"Ion Popescu din clasa a 6-a B de la Școala nr. 3", []string{ReasonName, ReasonSchool}},
		{"add me on WhatsApp", []string{ReasonContact}},
		{"tata mă bate acasă", []string{"possible_disclosure"}},
		{"my father beats me at home", []string{"possible_disclosure"}},
		{"someone older keeps asking me to send photos", []string{"possible_disclosure"}},
		{"nu mai vreau să trăiesc", []string{"possible_disclosure"}},
		{"nu mai vreau sa traiesc", []string{"possible_disclosure"}},

		// Several at once, in a fixed order.
		{"fuck, call 0722123456 or mail a@b.ro", []string{ReasonPhone, ReasonEmail, ReasonAbuse}},

		// Near-misses: ordinary answers that must not be held.
		{"Vreau mai mulți copaci în parc", nil},
		{"I am 12 years old", nil},
		{"Am 10-12 ani", nil},
		{"the 2025 budget has 1000000 lei", nil},
		{"în 12.05.2025 la ora 10:30", nil},
		{"room 0722", nil},
		{"scorul a fost 3-2", nil},
		{"1234567890123", nil},    // 13 digits, wrong control digit
		{"0722 12 34", nil},       // too short for a phone number
		{"07221234567890", nil},   // too long
		{"+44 20 7946 0958", nil}, // not Romanian
		{"5010101123452", nil},    // CNP shape, wrong control digit
		{"Pulover roșu și un ciocan", nil},
		{"Avem nevoie de o clasă nouă", nil},
		{"Szarvasokat láttunk az erdőben", nil},
		{"Assessment of the classroom", nil},
		{"Scunthorpe United", nil},
		{"Vidám Mókus vagyok", nil},
		{"întâlnire @ 5 la școală", nil},
		{"e.g. mai multe bănci, etc.", nil},
		{"I like TikTok and Roblox", nil},
		{"Mă uit pe YouTube la desene", nil},
		{"ne trebuie 3 leagăne, 2 tobogane", nil},
		{"", nil},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			_, got := s.Screen(c.text)
			if !slices.Equal(got, c.want) {
				t.Fatalf("Screen(%q) = %v, want %v", c.text, got, c.want)
			}
		})
	}
}

func TestValidCNP(t *testing.T) {
	for _, c := range []struct {
		cnp  string
		want bool
	}{
		{"1960101221141", true},
		{"5010101123455", true},
		{"1960101221144", false},
		{"0960101221141", false},
		{"196010122114", false},
		{"19601012211a4", false},
	} {
		if got := ValidCNP(c.cnp); got != c.want {
			t.Errorf("ValidCNP(%s) = %v, want %v", c.cnp, got, c.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	s := New()
	for _, c := range []struct {
		in, want string
		flags    []string
	}{
		// NFC: "ș" as s + comma below becomes one letter.
		{"s\u0326i ", "ș" + "i", nil},
		// Zero-width characters and soft hyphens go; the word behind them is found.
		{"fu\u200bck", "fuck", []string{ReasonAbuse}},
		{"pi\u00adzda", "pizda", []string{ReasonAbuse}},
		// A bidi override goes, and the text is held: it tried to reorder what is shown.
		{"ok\u202e tnemmoc", "ok tnemmoc", []string{ReasonDisguise}},
		// Cyrillic look-alikes in a Latin word: held, and folded before matching.
		{"F\u0430cilitator", "F\u0430cilitator", []string{ReasonDisguise}},
		{"\u0441\u0430\u0441\u0430t", "\u0441\u0430\u0441\u0430t", []string{ReasonAbuse, ReasonDisguise}},
		// A whole word in Cyrillic is a child writing Ukrainian, not a disguise.
		{"Привіт, хочу парк", "Привіт, хочу парк", nil},
		// Full-width letters are read as letters.
		{"ｆｕｃｋ", "ｆｕｃｋ", []string{ReasonAbuse}},
		// A joiner inside an emoji sequence stays.
		{"👨\u200d👩\u200d👧 parc", "👨\u200d👩\u200d👧 parc", nil},
		// Nothing but invisible characters: kept as sent, and held.
		{"\u200b\u200b", "\u200b\u200b", []string{ReasonDisguise}},
	} {
		got, flags := s.Screen(c.in)
		if got != c.want || !slices.Equal(flags, c.flags) {
			t.Errorf("Screen(%q) = %q %v, want %q %v", c.in, got, flags, c.want, c.flags)
		}
	}
}
