package mail

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// texts are the words of Voci's messages in one language. Formats take their arguments in
// the order of their comment.
type texts struct {
	code            string
	greeting        string
	inviteSubject   string
	inviteIntro     string // inviter, roles
	inviteAction    string // expiry
	inviteIgnore    string
	resetSubject    string
	resetIntro      string
	resetAction     string
	resetIgnore     string
	helpSubject     string // municipality
	helpIntro       string // time, consultation title, municipality
	helpAlias       string // alias
	helpToldChild   string
	helpAction      string
	helpButton      string
	helpAfter       string // municipality
	linkFallback    string // shown under the HTML button
	signature       string
	forMunicipality string // role, municipality
	and             string
	roles           map[voci.Role]string
}

var languages = map[string]texts{
	"ro": {
		code:            "ro",
		greeting:        "Bună ziua,",
		inviteSubject:   "Invitație în Voci",
		inviteIntro:     "%s vă invită în Voci, platforma prin care copiii și adolescenții participă la deciziile localității lor, ca %s.",
		inviteAction:    "Pentru a accepta invitația, deschideți linkul de mai jos până la %s:",
		inviteIgnore:    "Dacă nu vă așteptați la această invitație, ignorați mesajul: fără linkul de mai sus nu se creează niciun cont.",
		resetSubject:    "Parolă nouă pentru Voci",
		resetIntro:      "Cineva, probabil dumneavoastră, a cerut o parolă nouă pentru contul Voci al acestei adrese de email.",
		resetAction:     "Pentru a alege o parolă nouă, deschideți linkul de mai jos în următoarea oră:",
		resetIgnore:     "Dacă nu ați cerut o parolă nouă, ignorați mesajul: parola dumneavoastră rămâne aceeași.",
		helpSubject:     "Un copil cere să vorbească cu cineva (%s)",
		helpIntro:       "La %s (ora României), un copil a apăsat „Am nevoie să vorbesc cu cineva” în sesiunea live a consultării „%s”, %s.",
		helpAlias:       "Porecla copilului în sesiune: %s.",
		helpToldChild:   "Copilului i s-a spus că o persoană care are grijă de siguranța copiilor va vorbi cu el în persoană, cât de curând, și i s-au dat numerele 119 și 116 111. Nu spuneți nimic celorlalți din sală: copilul poate avea nevoie de ajutor din cauza cuiva de acolo.",
		helpAction:      "Deschideți lista cererilor de ajutor și marcați cererea când vă ocupați de ea:",
		helpButton:      "Deschideți cererile de ajutor",
		helpAfter:       "Primiți acest mesaj ca persoană responsabilă cu protecția copilului pentru %s. El nu cuprinde nimic din ce a răspuns copilul.",
		linkFallback:    "Dacă butonul nu funcționează, copiați acest link în browser:",
		signature:       "Echipa Voci",
		forMunicipality: "%s pentru %s",
		and:             " și ",
		roles: map[voci.Role]string{
			voci.RolePlatformAdmin:     "administrator al platformei",
			voci.RoleNationalCommittee: "membru al comitetului național de coordonare",
			voci.RoleCoordinator:       "coordonator municipal",
			voci.RoleFacilitator:       "facilitator",
			voci.RoleCouncilMember:     "membru al consiliului local",
			voci.RoleSafeguardingLead:  "responsabil cu protecția copilului",
		},
	},
	"en": {
		code:            "en",
		greeting:        "Hello,",
		inviteSubject:   "Your invitation to Voci",
		inviteIntro:     "%s invites you to Voci, the platform through which children and adolescents take part in the decisions of their town, as %s.",
		inviteAction:    "To accept the invitation, open the link below before %s:",
		inviteIgnore:    "If you did not expect this invitation, ignore this message: without the link above no account is created.",
		resetSubject:    "A new password for Voci",
		resetIntro:      "Someone, probably you, asked for a new password for the Voci account of this email address.",
		resetAction:     "To choose a new password, open the link below within the next hour:",
		resetIgnore:     "If you did not ask for a new password, ignore this message: your password stays as it is.",
		helpSubject:     "A child asks to talk to someone (%s)",
		helpIntro:       "At %s (Romanian time), a child pressed \"I need to talk to someone\" in the live session of the consultation \"%s\", %s.",
		helpAlias:       "The child's nickname in the session: %s.",
		helpToldChild:   "The child was told that a person who looks after children's safety will talk to them in person as soon as possible, and was given the numbers 119 and 116 111. Do not tell anyone else in the room: the child may need help because of someone there.",
		helpAction:      "Open the list of help requests, and mark the request when you take it on:",
		helpButton:      "Open the help requests",
		helpAfter:       "You receive this message as a safeguarding lead for %s. It holds nothing of what the child answered.",
		linkFallback:    "If the button does not work, copy this link into your browser:",
		signature:       "The Voci team",
		forMunicipality: "%s for %s",
		and:             " and ",
		roles: map[voci.Role]string{
			voci.RolePlatformAdmin:     "platform administrator",
			voci.RoleNationalCommittee: "member of the national coordinating committee",
			voci.RoleCoordinator:       "municipal coordinator",
			voci.RoleFacilitator:       "facilitator",
			voci.RoleCouncilMember:     "local council member",
			voci.RoleSafeguardingLead:  "safeguarding lead",
		},
	},
	"hu": {
		code:            "hu",
		greeting:        "Jó napot kívánunk!",
		inviteSubject:   "Meghívó a Voci platformra",
		inviteIntro:     "%s meghívja Önt a Voci platformra, amelyen keresztül a gyerekek és fiatalok részt vesznek településük döntéseiben, a következő szerepkörben: %s.",
		inviteAction:    "A meghívó elfogadásához nyissa meg az alábbi linket eddig: %s.",
		inviteIgnore:    "Ha nem számított erre a meghívóra, hagyja figyelmen kívül ezt az üzenetet: a fenti link nélkül nem jön létre fiók.",
		resetSubject:    "Új jelszó a Voci platformhoz",
		resetIntro:      "Valaki, valószínűleg Ön, új jelszót kért ennek az e-mail-címnek a Voci-fiókjához.",
		resetAction:     "Új jelszó választásához nyissa meg az alábbi linket a következő egy órán belül:",
		resetIgnore:     "Ha nem Ön kért új jelszót, hagyja figyelmen kívül ezt az üzenetet: a jelszava nem változik.",
		helpSubject:     "Egy gyerek beszélni szeretne valakivel (%s)",
		helpIntro:       "%s-kor (romániai idő szerint) egy gyerek megnyomta a „Beszélnem kell valakivel” gombot a(z) „%s” konzultáció élő ülésén (%s).",
		helpAlias:       "A gyerek beceneve az ülésen: %s.",
		helpToldChild:   "A gyereknek azt mondtuk, hogy egy felnőtt, aki a gyerekek biztonságára vigyáz, mielőbb személyesen beszél vele, és megkapta a 119-es és a 116 111-es számot. Ne szóljon senki másnak a teremben: lehet, hogy a gyereknek valaki miatt van szüksége segítségre, aki ott van.",
		helpAction:      "Nyissa meg a segítségkérések listáját, és jelölje meg a kérést, amikor foglalkozik vele:",
		helpButton:      "A segítségkérések megnyitása",
		helpAfter:       "Ezt az üzenetet a(z) %s gyermekvédelmi felelőseként kapja. Nem tartalmaz semmit abból, amit a gyerek válaszolt.",
		linkFallback:    "Ha a gomb nem működik, másolja be ezt a linket a böngészőjébe:",
		signature:       "A Voci csapata",
		forMunicipality: "%s (%s)",
		and:             " és ",
		roles: map[voci.Role]string{
			voci.RolePlatformAdmin:     "platformadminisztrátor",
			voci.RoleNationalCommittee: "a nemzeti koordinációs bizottság tagja",
			voci.RoleCoordinator:       "települési koordinátor",
			voci.RoleFacilitator:       "facilitátor",
			voci.RoleCouncilMember:     "helyi önkormányzati képviselő",
			voci.RoleSafeguardingLead:  "gyermekvédelmi felelős",
		},
	},
}

func textsFor(lang string) texts {
	if t, ok := languages[lang]; ok {
		return t
	}
	return languages["ro"]
}

// GrantedRole is a role with the name of its municipality ("" for platform-wide roles).
type GrantedRole struct {
	Role         voci.Role
	Municipality string
}

// Invitation is what an invitation message says.
type Invitation struct {
	Lang        string // ro, en or hu; anything else is written in Romanian
	To          string
	InviterName string
	Roles       []GrantedRole
	Link        string
	ExpiresAt   time.Time
}

// InvitationMessage writes the invitation in its language.
func InvitationMessage(inv Invitation) Message {
	t := textsFor(inv.Lang)
	roles := make([]string, 0, len(inv.Roles))
	for _, g := range inv.Roles {
		name := t.roles[g.Role]
		if g.Municipality != "" {
			name = fmt.Sprintf(t.forMunicipality, name, g.Municipality)
		}
		roles = append(roles, name)
	}
	return compose(inv.To, t, t.inviteSubject, t.inviteSubject, inv.Link, []string{
		fmt.Sprintf(t.inviteIntro, inv.InviterName, strings.Join(roles, t.and)),
		fmt.Sprintf(t.inviteAction, inv.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")),
	}, t.inviteIgnore)
}

// PasswordResetMessage writes the message with a reset link in lang.
func PasswordResetMessage(lang, to, link string) Message {
	t := textsFor(lang)
	return compose(to, t, t.resetSubject, t.resetSubject, link, []string{t.resetIntro, t.resetAction}, t.resetIgnore)
}

// HelpRequest is what the message to a safeguarding lead says: the child's alias and the
// consultation's title, and nothing the child answered.
type HelpRequest struct {
	Lang              string // ro, en or hu; anything else (and "": not known) is written in Romanian
	To                string
	Municipality      string
	ConsultationTitle string
	Alias             string
	At                time.Time
	Link              string // the municipality's list of help requests
}

// romania is the zone the time of a help request is written in: the leads are in Romania.
var romania = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// HelpRequestMessage writes the message that tells a safeguarding lead a child asked to talk
// to someone.
func HelpRequestMessage(h HelpRequest) Message {
	t := textsFor(h.Lang)
	return compose(h.To, t, fmt.Sprintf(t.helpSubject, h.Municipality), t.helpButton, h.Link, []string{
		fmt.Sprintf(t.helpIntro, h.At.In(romania).Format("2006-01-02 15:04"), h.ConsultationTitle, h.Municipality),
		fmt.Sprintf(t.helpAlias, h.Alias),
		t.helpToldChild,
		t.helpAction,
	}, fmt.Sprintf(t.helpAfter, h.Municipality))
}

var htmlBody = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36em">
<p>{{.Greeting}}</p>
{{range .Before}}<p>{{.}}</p>
{{end}}<p><a href="{{.Link}}" style="display: inline-block; padding: 0.75em 1.25em; background: #0b5cad; color: #ffffff; text-decoration: none; border-radius: 4px">{{.Button}}</a></p>
<p>{{.Fallback}}<br><a href="{{.Link}}">{{.Link}}</a></p>
<p>{{.After}}</p>
<p>{{.Signature}}</p>
</body></html>
`))

// compose lays a message out: greeting, the paragraphs before the link, the link (a button
// labelled button in HTML), the closing paragraph and the signature; once as plain text, once
// as HTML (escaped by html/template, since names and titles are typed by people).
func compose(to string, t texts, subject, button, link string, before []string, after string) Message {
	var text strings.Builder
	text.WriteString(t.greeting + "\n\n")
	for _, p := range before {
		text.WriteString(p + "\n\n")
	}
	text.WriteString(link + "\n\n" + after + "\n\n" + t.signature + "\n")

	var html strings.Builder
	err := htmlBody.Execute(&html, map[string]any{
		"Lang": t.code, "Subject": subject, "Button": button, "Greeting": t.greeting, "Before": before, "Link": link,
		"Fallback": t.linkFallback, "After": after, "Signature": t.signature,
	})
	if err != nil {
		// The template and its data are ours; a failure is a programming error.
		panic(err)
	}
	return Message{To: to, Subject: subject, Text: text.String(), HTML: html.String()}
}
