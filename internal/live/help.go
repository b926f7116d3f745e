package live

import (
	"strings"

	"github.com/voci-platform/voci/internal/voci"
)

// The answer to "I need to talk to someone". Nobody in the room is told: the child may need
// help because of someone there. The child is told who will come to talk to them (the
// safeguarding lead named in the municipality's profile, or, when it names nobody, the adults
// who keep children safe there) and the national lines they can call by themselves.

type helpContactJSON struct {
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
}

type helplineJSON struct {
	Number string `json:"number"`
	Kind   string `json:"kind"`
}

type helpAckData struct {
	// Message is the whole answer as one text in the child's language, for clients that do
	// not lay out the fields below.
	Message string `json:"message"`
	// Contact is the municipality's safeguarding lead; null when it has named nobody.
	Contact   *helpContactJSON `json:"contact"`
	Helplines []helplineJSON   `json:"helplines"`
}

// helpWords are the answer's sentences in one language. {name}, {phone} and the lines'
// numbers are put in by toHelpAck.
type helpWords struct {
	thanks, lead, leadPhone, nobody, lines, emergency string
	line                                              map[voci.HelplineKind]string
}

var helpTexts = map[voci.Lang]helpWords{
	voci.LangRO: {
		thanks:    "Mulțumim că ne-ai spus.",
		lead:      "{name}, care are grijă de siguranța copiilor din localitatea ta, află de mesajul tău și va veni să vorbească cu tine, în persoană, cât de curând poate.",
		leadPhone: "Telefon: {phone}.",
		nobody:    "Mesajul tău ajunge la adulții care au grijă de siguranța copiilor din localitatea ta. Ei vor vorbi cu tine, în persoană, cât de curând pot.",
		lines:     "Poți suna și tu, gratuit:",
		emergency: "Dacă ești în pericol chiar acum, sună la 112.",
		line: map[voci.HelplineKind]string{
			voci.HelplineAbuseReport:   "{number}, dacă cineva îți face rău sau nu te simți în siguranță (zi și noapte)",
			voci.HelplineChildHelpline: "{number}, Telefonul Copilului, ca să vorbești cu un consilier, fără să afle nimeni altcineva",
		},
	},
	voci.LangEN: {
		thanks:    "Thank you for telling us.",
		lead:      "{name}, who looks after children's safety in your town, gets your message and will come to talk to you in person as soon as they can.",
		leadPhone: "Phone: {phone}.",
		nobody:    "Your message goes to the adults who look after children's safety in your town. They will talk to you in person as soon as they can.",
		lines:     "You can also call, for free:",
		emergency: "If you are in danger right now, call 112.",
		line: map[voci.HelplineKind]string{
			voci.HelplineAbuseReport:   "{number} if someone is hurting you or you do not feel safe (day and night)",
			voci.HelplineChildHelpline: "{number}, Telefonul Copilului (the child helpline), to talk to a counsellor in confidence",
		},
	},
	voci.LangHU: {
		thanks:    "Köszönjük, hogy szóltál.",
		lead:      "{name}, aki a településeden a gyerekek biztonságára vigyáz, megkapja az üzenetedet, és személyesen beszél veled, amint tud.",
		leadPhone: "Telefon: {phone}.",
		nobody:    "Az üzeneted eljut azokhoz a felnőttekhez, akik a településeden a gyerekek biztonságára vigyáznak. Személyesen beszélnek veled, amint tudnak.",
		lines:     "Te is hívhatod ingyen:",
		emergency: "Ha most veszélyben vagy, hívd a 112-t.",
		line: map[voci.HelplineKind]string{
			voci.HelplineAbuseReport:   "a {number}-et, ha valaki bánt, vagy nem érzed magad biztonságban (éjjel-nappal)",
			voci.HelplineChildHelpline: "a {number}-et, a Telefonul Copilului gyermekvonalat, hogy bizalmasan beszélj egy tanácsadóval",
		},
	},
}

func toHelpAck(ans *voci.HelpAnswer, lang voci.Lang) helpAckData {
	w, ok := helpTexts[voci.ParseLang(string(lang))]
	if !ok {
		w = helpTexts[voci.LangRO]
	}
	d := helpAckData{Helplines: []helplineJSON{}}
	parts := []string{w.thanks}
	if ans.Lead.Name != "" {
		d.Contact = &helpContactJSON{Name: ans.Lead.Name, Phone: ans.Lead.Phone}
		parts = append(parts, strings.ReplaceAll(w.lead, "{name}", ans.Lead.Name))
		if ans.Lead.Phone != "" {
			parts = append(parts, strings.ReplaceAll(w.leadPhone, "{phone}", ans.Lead.Phone))
		}
	} else {
		parts = append(parts, w.nobody)
	}
	var lines []string
	for _, l := range ans.Helplines {
		d.Helplines = append(d.Helplines, helplineJSON{Number: l.Number, Kind: string(l.Kind)})
		if text, ok := w.line[l.Kind]; ok {
			lines = append(lines, strings.ReplaceAll(text, "{number}", l.Number))
		}
	}
	if len(lines) > 0 {
		parts = append(parts, w.lines+" "+strings.Join(lines, "; ")+".")
	}
	parts = append(parts, w.emergency)
	d.Message = strings.Join(parts, " ")
	return d
}
