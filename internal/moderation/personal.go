package moderation

// What tells who a child is or where to find them: an invitation to talk elsewhere, a home
// address, a full name, a name with a school or class. Read on tokens of the text: runs of
// letters or digits, with commas kept (they end an address).

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

type token struct {
	raw string // as written, after matchForm: capitals tell a name
	f   string // folded: lower case, no diacritics
}

func tokenize(m string) []token {
	var out []token
	start := -1
	flush := func(end int) {
		if start >= 0 {
			raw := m[start:end]
			out = append(out, token{raw: raw, f: fold(raw)})
			start = -1
		}
	}
	for i, r := range m {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if start < 0 {
				start = i
			}
		case r == ',' || r == ';':
			flush(i)
			out = append(out, token{raw: ",", f: ","})
		default:
			flush(i)
		}
	}
	flush(len(m))
	return out
}

func joinFolded(toks []token) string {
	fs := make([]string, len(toks))
	for i, t := range toks {
		fs[i] = t.f
	}
	return strings.Join(fs, " ")
}

func isNumber(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		} else if i < len(s)-1 || digits > 4 { // 12, 12a, 3b
			return false
		}
	}
	return digits <= 4
}

// Invitations to talk elsewhere. Some verbs say it alone ("text me", "sună-mă", "hívj fel");
// others only with a platform or "in private" after them ("add me on WhatsApp").
var (
	platforms    = `(?:whatsapp|whats app|wapp|wa|insta|instagram|ig|snap|snapchat|sc|tiktok|tik tok|discord|facebook|fb|messenger|mess|telegram|signal|viber|twitter|skype|roblox|minecraft|fortnite|steam|twitch|kik|wechat|threads|private|privately|privat|priv|privatban|privibe|priviben|dm|pm|inbox|telefon|phone|mobil|mobile|telefonon)`
	contactAlone = regexp.MustCompile(`\b(?:dm me|pm me|text me|txt me|call me on|call me at|ring me|message me|msg me|contact me|suna ma|sunati ma|suna mi|da mi (?:un )?(?:mesaj|sms|telefon|add|follow|dm|pm|beep)|trimite mi (?:un )?(?:mesaj|sms)|contacteaza ma|contactati ma|hivj fel|hivjatok fel|hivj meg|uzenj nekem|uzenjetek nekem|irj ram|irjatok ram|irj privatban|keress meg|keressetek meg|jelolj be|jeloljetek be|adj hozza|bejelolsz)\b`)
	contactVerb  = regexp.MustCompile(`\b(?:add me|adding me|follow me|find me|chat with me|talk to me|write to me|write me|snap me|hit me up|adauga ma|adaugati ma|adaugă ma|urmareste ma|urmariti ma|scrie mi|scrieti mi|cauta ma|cautati ma|ma gasesti|ma gasiti|vorbim|vorbeste cu mine|kovess|kovessetek|kovess be|irj nekem|irjatok nekem|talalsz meg|megtalalsz|beszeljunk|dumaljunk|irj)\b((?: \S+){0,4})`)
	// Hungarian adds case endings to a platform's name: "instán", "messengeren", "tiktokon".
	platformRe     = regexp.MustCompile(`\b(?:` + platforms + `|(?:whatsapp|insta|instagram|snap|snapchat|tiktok|discord|facebook|messenger|telegram|signal|viber|twitter|skype|roblox|discord|priv|privat)[a-z]{0,5})\b`)
	contactMessage = regexp.MustCompile(`\bmessage me\b|\bmy (?:snap|insta|discord|whatsapp|number|phone number) is\b|\bwhat ?s your (?:snap|snapchat|insta|instagram|ig|discord|whatsapp|number|phone number|tiktok)\b|\bnumarul meu (?:e|este)\b|\b(?:care e|cum e|da mi) (?:snapul|instaul|insta|numarul|discordul|whatsappul) (?:tau|tău)\b|\bszamom\b|\bmi (?:a|az) (?:snapod|instad|insta|szamod|telefonszamod|discordod)\b`)
)

func hasContactInvitation(plain string) bool {
	if contactAlone.MatchString(plain) || contactMessage.MatchString(plain) {
		return true
	}
	for _, m := range contactVerb.FindAllStringSubmatch(plain, -1) {
		if platformRe.MatchString(m[1]) {
			return true
		}
	}
	return false
}

// Addresses. A street word followed by a name and a number ("str. Mihai Viteazu nr. 12",
// "Fő utca 5"), a number followed by a name and a street word ("12 Oak Street"), a block or
// a flat with its number ("bl. A3", "ap. 14", "flat 4"), or "I live on" a street.
var (
	roStreets = map[string]bool{"str": true, "strada": true, "strazii": true, "bd": true, "bdul": true, "bld": true, "b": false,
		"bulevardul": true, "calea": true, "aleea": true, "sos": true, "soseaua": true, "intrarea": true, "drumul": true,
		"splaiul": true, "fundatura": true, "piata": true}
	huStreets = map[string]bool{"utca": true, "u": true, "ut": true, "utja": true, "ter": true, "tere": true, "korut": true,
		"krt": true, "koz": true, "sor": true, "setany": true, "fasor": true, "rakpart": true, "lakotelep": true}
	enStreets = map[string]bool{"street": true, "st": true, "road": true, "rd": true, "avenue": true, "ave": true, "lane": true,
		"ln": true, "drive": true, "dr": true, "close": true, "way": true, "court": true, "crescent": true, "terrace": true,
		"grove": true, "gardens": true, "place": true, "square": true, "boulevard": true, "blvd": true}
	// Words that sit between a number and a street word in ordinary sentences ("line 5 on
	// Main Street", "2 more street lamps").
	notStreetName = map[string]bool{"on": true, "at": true, "in": true, "to": true, "the": true, "from": true, "near": true,
		"by": true, "down": true, "up": true, "along": true, "of": true, "and": true, "or": true, "more": true, "new": true,
		"big": true, "old": true, "extra": true, "other": true, "goes": true, "go": true, "stops": true, "stop": true,
		"a": true, "an": true, "times": true, "minutes": true, "min": true, "years": true, "kids": true, "cars": true,
		"buses": true, "every": true, "per": true, "pe": true, "la": true, "din": true, "si": true, "de": true, "cu": true,
		"az": true, "egy": true, "es": true, "nagy": true, "uj": true, "ket": true, "sok": true, "minden": true, "ez": true}
	afterStreet = map[string]bool{"light": true, "lights": true, "lamp": true, "lamps": true, "food": true, "art": true,
		"party": true, "parties": true, "football": true, "sign": true, "signs": true, "crossing": true, "crossings": true,
		"parking": true, "dance": true, "market": true, "cleaning": true, "names": true}
	blockOrFlat = regexp.MustCompile(`\b(?:bl|bloc|blocul|ap|apart|apartament|apartamentul|apartamentului|sc|scara|et|flat|apt|apartment|lepcsohaz|emelet|ajto|lakas)\s+[a-z]?\d{1,3}[a-z]?\b|\b\d{1,2}\s+(?:emelet|em|ajto)\b`)
	livesOn     = regexp.MustCompile(`\bnumber \d+[a-z]? (?:on|in) (?:[a-z]+ ){1,3}(?:street|road|avenue|lane|drive|close|way|court|crescent|terrace|grove|gardens)\b|\b(?:locuiesc|locuim|stau|stam|domiciliez|sta|locuieste)\s+(?:pe|in|la)\s+(?:str|strada|bd|bdul|bulevardul|calea|aleea|soseaua|sos|blocul|bl)\b|\b(?:i|we)\s+live\s+(?:at|on|in)\s+(?:number\s+)?(?:\d+\s+)?(?:[a-z]+\s+){1,3}(?:street|road|avenue|lane|drive|close|way|court|crescent|terrace|grove|gardens)\b|\bmy (?:home )?address\b|\badresa mea\b|\ba cimem\b|\blakcimem\b|\b(?:lakom|lakunk|elek)\b(?: \S+){0,4} (?:utca|utcaban|utcan|uton|teren|koruton|kozben|lakotelepen)\b|\b(?:utcaban|utcan|uton|teren|koruton|kozben|lakotelepen)\b(?: \S+){0,3} (?:lakom|lakunk|elek|laknak|lakik)\b`)
)

func hasAddress(toks []token, plain string) bool {
	if blockOrFlat.MatchString(plain) || livesOn.MatchString(plain) {
		return true
	}
	n := len(toks)
	for i, t := range toks {
		switch {
		case roStreets[t.f]:
			// str. Mihai Viteazu nr. 12 — a name of one to four words, then a number.
			for j := i + 1; j < n && j <= i+6; j++ {
				if toks[j].f == "," {
					break
				}
				if toks[j].f == "nr" || toks[j].f == "numarul" || toks[j].f == "numar" {
					return j+1 < n && isNumber(toks[j+1].f)
				}
				if isNumber(toks[j].f) {
					// Without "nr", the number must end the address: "strada Florilor 7," or at the end.
					return j > i+1 && (j+1 == n || toks[j+1].f == "," || blockOrFlat.MatchString(toks[j+1].f+" 1"))
				}
				if notStreetName[toks[j].f] && j > i+1 {
					break
				}
			}
		case huStreets[t.f] && i > 0 && i+1 < n && isNumber(toks[i+1].f):
			// Fő utca 5, Petőfi u. 12 — a name before the street word, not an article.
			if !notStreetName[toks[i-1].f] && toks[i-1].f != "," {
				return true
			}
		case isNumber(t.f):
			// 12 Oak Street
			for j := i + 1; j < n && j <= i+4; j++ {
				if notStreetName[toks[j].f] || toks[j].f == "," || isNumber(toks[j].f) {
					break
				}
				if enStreets[toks[j].f] && j > i+1 {
					if j+1 < n && afterStreet[toks[j+1].f] {
						break
					}
					return true
				}
			}
		}
	}
	return false
}

// Names. A first name next to a last name, in either order (Hungarian puts the family name
// first, as do Romanian forms), makes a full name; a first name next to a capitalised word
// that is no first name ("Andrei Mureșan") does too. Public figures, whose names children
// write about streets, schools and books, do not count.
type nameLists struct {
	first, last map[string]bool
	huFirst     map[string]bool // Hungarian first names, which follow the family name
	figures     [][]string
}

var roSurname = regexp.MustCompile(`^[a-z]{2,}(?:escu|eanu|anu|oiu|aru)$`)

func (nl nameLists) isLast(t token) bool {
	return nl.last[t.f] || roSurname.MatchString(t.f)
}

func capitalised(t token) bool {
	r := []rune(t.raw)
	return len(r) >= 3 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1])
}

// find reports a full name, and a first name on its own.
func (nl nameLists) find(toks []token) (full, first bool) {
	covered := make([]bool, len(toks))
	for i := range toks {
		for _, fig := range nl.figures {
			if i+len(fig) <= len(toks) && slices.EqualFunc(toks[i:i+len(fig)], fig, func(t token, w string) bool { return t.f == w }) {
				for k := i; k < i+len(fig); k++ {
					covered[k] = true
				}
			}
		}
	}
	for i, t := range toks {
		if covered[i] || !nl.first[t.f] {
			continue
		}
		first = true
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(toks) || covered[j] {
				continue
			}
			o := toks[j]
			switch {
			case nl.isLast(o):
				return true, true
			case j == i+1 && capitalised(t) && capitalised(o) && !nl.first[o.f] && !commonCapitalised[o.f]:
				return true, true
			case j == i-1 && nl.huFirst[t.f] && capitalised(t) && capitalised(o) && !nl.first[o.f] && !commonCapitalised[o.f]:
				// Hungarian order: "Dobos Máté".
				return true, true
			}
		}
	}
	return false, first
}

// Capitalised words that follow a first name without being a family name.
var commonCapitalised = map[string]bool{"si": true, "and": true, "es": true, "din": true, "de": true, "from": true, "la": true,
	"is": true, "are": true, "was": true, "este": true, "e": true, "a": true, "az": true, "the": true, "said": true, "zice": true,
	"spune": true, "mondta": true, "says": true, "vagyok": true, "sunt": true, "am": true, "i": true, "me": true,
	"szia": true, "sziasztok": true, "hello": true, "hi": true, "hey": true, "salut": true, "buna": true, "kedves": true,
	"dear": true, "draga": true, "thanks": true, "multumesc": true, "koszonom": true, "koszi": true, "meg": true,
	"ask": true, "tell": true, "with": true, "cu": true, "for": true, "pentru": true, "neki": true, "nekem": true, "ezt": true,
	// Words that start a Hungarian sentence before a first name ("Szerintem Péter…").
	"szerintem": true, "holnap": true, "tegnap": true, "ma": true, "most": true, "aztan": true, "mert": true, "hogy": true,
	"ha": true, "amikor": true, "itt": true, "ott": true, "velem": true, "azt": true, "igen": true,
	"nem": true, "mi": true, "mit": true, "ki": true, "csak": true, "mint": true, "pedig": true, "majd": true, "sajnos": true,
	"remelem": true, "tudom": true, "mondd": true, "kerdezd": true, "vagy": true, "hat": true, "szoval": true}

// Schools and classes: "Școala nr. 3", "Liceul Teoretic", "clasa a 6-a B", "6.b osztály",
// "Year 7", "Oakwood Primary School". Held only with a person's name (see Screen).
var school = regexp.MustCompile(`\b(?:scoal\w*|scoli\w*|lice\w*|colegi\w*|gimnazi\w*|gradinit\w*|clasa|clasei|iskol\w*|osztaly\w*|school\w*|academy|primary|class|year \d+|grade \d+)\b`)

func hasSchool(plain string) bool { return school.MatchString(plain) }
