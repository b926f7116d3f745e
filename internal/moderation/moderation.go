// Package moderation screens children's text before anyone but the facilitator sees it. It
// finds what must never be shown without an adult's look: Romanian phone numbers, email
// addresses, CNPs (personal numeric codes, checked by their control digit), links, social media
// handles and invitations to talk elsewhere, home addresses, a child's full name or name with a
// school, abusive words and slurs, and what may be a child telling of abuse, neglect, self-harm
// or grooming — in Romanian, English and Hungarian, with diacritics or without. A text with any
// of these is held and flagged; everything else still waits for the facilitator (see
// voci.InitialModeration).
//
// Text is normalised first (see Normalize) and read in a folded form: look-alike letters,
// case, diacritics and digit-for-letter swaps do not get a word past the lists.
//
// Screening errs towards holding: a held text costs a facilitator one look, a shown phone
// number can cost a child much more. The corpus under testdata measures both errors per
// language (TestCorpus): what should be held and was not, and ordinary answers held for nothing.
package moderation

import (
	"bufio"
	"embed"
	"regexp"
	"strings"
	"unicode"

	"github.com/voci-platform/voci/internal/voci"
)

// Reasons a text is held. They are stable: the facilitator's console translates them.
const (
	ReasonPhone      = "phone"
	ReasonEmail      = "email"
	ReasonCNP        = "cnp"
	ReasonURL        = "url"
	ReasonHandle     = "social_handle"
	ReasonContact    = "contact_invitation"  // "add me on WhatsApp", "scrie-mi pe insta"
	ReasonAddress    = "address"             // street and number, block, flat
	ReasonName       = "personal_name"       // a first and last name together
	ReasonSchool     = "school"              // a school or class with a person's name
	ReasonAbuse      = "abusive_language"    // insults and slurs
	ReasonDisclosure = "possible_disclosure" // abuse, neglect, self-harm, grooming told of; same value as voci.FlagPossibleDisclosure
	ReasonDisguise   = "disguised_text"      // bidi overrides, look-alike letters mixed into words
)

//go:embed words/*.txt
var wordFiles embed.FS

// Screener implements voci.TextScreener. Build it with New; it is safe for concurrent use.
type Screener struct {
	words       map[string]bool // single folded words
	phrases     []string        // folded multi-word phrases, matched on word boundaries
	disclosures []*regexp.Regexp
	names       nameLists
}

var _ voci.TextScreener = (*Screener)(nil)

// New loads the word lists shipped with the package.
func New() *Screener {
	s := &Screener{words: map[string]bool{}, names: nameLists{first: map[string]bool{}, last: map[string]bool{}, huFirst: map[string]bool{}}}
	for _, name := range []string{"words/ro.txt", "words/en.txt", "words/hu.txt"} {
		for _, line := range lines(name) {
			w := strings.Join(strings.Fields(strings.ReplaceAll(fold(line), "-", " ")), " ")
			if strings.Contains(w, " ") {
				s.phrases = append(s.phrases, w)
			} else {
				s.words[w] = true
			}
		}
	}
	for _, line := range lines("words/disclosures.txt") {
		s.disclosures = append(s.disclosures, regexp.MustCompile(`\b(?:`+line+`)\b`))
	}
	hungarian := false
	for _, line := range rawLines("words/first_names.txt") {
		if strings.HasPrefix(line, "#") {
			hungarian = line == "# Hungarian"
			continue
		}
		s.names.first[fold(line)] = true
		if hungarian {
			s.names.huFirst[fold(line)] = true
		}
	}
	for _, line := range lines("words/last_names.txt") {
		s.names.last[fold(line)] = true
	}
	for _, line := range lines("words/public_figures.txt") {
		s.names.figures = append(s.names.figures, strings.Fields(fold(line)))
	}
	return s
}

// lines returns the embedded file's lines that are not blank or comments.
func lines(name string) []string {
	var out []string
	for _, line := range rawLines(name) {
		if !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// rawLines returns the embedded file's lines that are not blank, comments included (a
// comment of its own such as "# Hungarian" starts a section).
func rawLines(name string) []string {
	f, err := wordFiles.Open(name)
	if err != nil {
		panic(err) // unreachable: the files are embedded above
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, line)
		}
	}
	return out
}

var (
	// Digits with the separators people type in phone numbers; the digits are checked apart.
	phoneCandidate = regexp.MustCompile(`(?:\+|\b00)?\d[\d \t.\-/()]{7,20}\d`)
	email          = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+\s?(?:@|\(at\)|\[at\])\s?[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	thirteenDigits = regexp.MustCompile(`(?:^|\D)(\d{13})(?:\D|$)`)
	url            = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|ro|net|org|hu|eu|io|me|tv|gg|app|info|co|ly|xyz|link|site|online|live|to)\b(?:/\S*)?`)
	handle         = regexp.MustCompile(`(?:^|[^\w@.])@[\p{L}0-9_.]{2,30}`)
	platformHandle = regexp.MustCompile(`(?i)\b(?:insta|instagram|ig|tiktok|tik tok|snap|snapchat|sc|discord|telegram|whatsapp|fb|facebook|roblox|twitch|youtube|yt)\s*[:=\-]\s*[\p{L}0-9_.]{3,30}`)
)

// idioms are everyday phrases that contain a disclosure's words ("mor de râs", dying of
// laughter); they are taken out before disclosures are looked for.
var idioms = regexp.MustCompile(`\bmor de (?:ras|plictiseala|foame|sete|curiozitate|nerabdare|dragul|frig|cald|caldura)\b|\bdying to\b|\b(?:beat|beats|beating) (?:me|us) at (?:chess|football|fifa|tennis|cards|games?|running|racing|everything|[a-z]*ball)\b|\bmeghalok (?:az unalomtol|a nevetestol|ehen)\b`)

// Screen returns the text normalised as it is to be stored (see Normalize) and the reasons
// to hold it, in a fixed order, or none.
func (s *Screener) Screen(text string) (string, []string) {
	clean, disguised := Normalize(text)
	m := matchForm(clean)
	var reasons []string
	if hasPhone(m) {
		reasons = append(reasons, ReasonPhone)
	}
	if email.MatchString(m) {
		reasons = append(reasons, ReasonEmail)
	}
	if hasCNP(m) {
		reasons = append(reasons, ReasonCNP)
	}
	if url.MatchString(m) && !onlyInEmail(m) {
		reasons = append(reasons, ReasonURL)
	}
	if handle.MatchString(m) || platformHandle.MatchString(m) {
		reasons = append(reasons, ReasonHandle)
	}
	toks := tokenize(m)
	plain := joinFolded(toks)
	if hasContactInvitation(plain) {
		reasons = append(reasons, ReasonContact)
	}
	if hasAddress(toks, plain) {
		reasons = append(reasons, ReasonAddress)
	}
	fullName, firstName := s.names.find(toks)
	if fullName {
		reasons = append(reasons, ReasonName)
	}
	if (fullName || firstName) && hasSchool(plain) {
		reasons = append(reasons, ReasonSchool)
	}
	if s.abusive(m) {
		reasons = append(reasons, ReasonAbuse)
	}
	told := idioms.ReplaceAllString(plain, " ")
	for _, d := range s.disclosures {
		if d.MatchString(told) {
			reasons = append(reasons, ReasonDisclosure)
			break
		}
	}
	if disguised {
		reasons = append(reasons, ReasonDisguise)
	}
	return clean, reasons
}

// hasPhone finds a Romanian phone number: 0 and nine digits whose first is 2, 3 or 7 (07xx
// mobiles, 02x/03x land lines), or the same after the country code 40 (+40, 0040).
func hasPhone(text string) bool {
	for _, m := range phoneCandidate.FindAllString(text, -1) {
		digits := onlyDigits(m)
		intl := strings.HasPrefix(strings.TrimSpace(m), "+") || strings.HasPrefix(m, "00")
		if strings.HasPrefix(digits, "0040") {
			digits = digits[2:]
		}
		switch {
		case len(digits) == 11 && strings.HasPrefix(digits, "40") && isRoSubscriber(digits[2:]):
			return true
		case len(digits) == 12 && strings.HasPrefix(digits, "400") && isRoSubscriber(digits[3:]): // +40 0722…
			return true
		case !intl && len(digits) == 10 && digits[0] == '0' && isRoSubscriber(digits[1:]):
			return true
		}
	}
	return false
}

func isRoSubscriber(nine string) bool {
	return len(nine) == 9 && (nine[0] == '2' || nine[0] == '3' || nine[0] == '7')
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasCNP finds 13 digits that form a valid CNP: a first digit from 1 to 9 and the right
// control digit. Thirteen digits that fail the check are some other number.
func hasCNP(text string) bool {
	for _, m := range thirteenDigits.FindAllStringSubmatch(text, -1) {
		if ValidCNP(m[1]) {
			return true
		}
	}
	return false
}

// ValidCNP reports whether s is a Romanian personal numeric code with a correct control digit.
func ValidCNP(s string) bool {
	if len(s) != 13 || s[0] < '1' || s[0] > '9' {
		return false
	}
	const key = "279146358279"
	sum := 0
	for i := range 12 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * int(key[i]-'0')
	}
	check := sum % 11
	if check == 10 {
		check = 1
	}
	return s[12] >= '0' && s[12] <= '9' && int(s[12]-'0') == check
}

// onlyInEmail reports whether every link-like match is the domain of an email address, which
// the email check already flags.
func onlyInEmail(text string) bool {
	return url.MatchString(email.ReplaceAllString(text, " ")) == false
}

// abusive reports whether a listed word or phrase occurs as whole words, ignoring case,
// diacritics and simple disguises (f*ck, sh1t).
func (s *Screener) abusive(text string) bool {
	words := strings.FieldsFunc(unleet(fold(text)), func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		if s.words[w] {
			return true
		}
		// Romanian adds its article to the end of a word: "țiganii", "dobitocul".
		for _, suffix := range []string{"ii", "ul", "ului", "ilor", "lor", "le"} {
			if base, ok := strings.CutSuffix(w, suffix); ok && len(base) >= 3 && s.words[base] {
				return true
			}
		}
	}
	if len(s.phrases) > 0 {
		joined := " " + strings.Join(words, " ") + " "
		for _, p := range s.phrases {
			if strings.Contains(joined, " "+p+" ") {
				return true
			}
		}
	}
	return false
}
