package mail

import (
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Notification is what a reminder to a council member or coordinator says: the kind, the
// consultation's title, the due date and a link to act on. Never anything a child wrote.
type Notification struct {
	Lang         string // ro, en or hu; anything else (and "": not known) is written in Romanian
	To           string
	Kind         voci.NotificationKind
	Title        string // the consultation's (or the recommendation's) title, written by adults
	Municipality string
	DueAt        time.Time // the feedback due date, for the feedback kinds
	Link         string    // where to act: the review workspace or the consultation's page
}

// notificationTexts are the words of the reminders in one language. Subjects take the title;
// intros take the title, and the due date for the feedback kinds.
type notificationTexts struct {
	subjects map[voci.NotificationKind]string
	intros   map[voci.NotificationKind]string
	button   map[voci.NotificationKind]string
	after    string // municipality
	settings string
}

var notificationLanguages = map[string]notificationTexts{
	"ro": {
		subjects: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "Părerile copiilor așteaptă să fie analizate: „%s”",
			voci.NotifyAwaitingAnswer:  "O recomandare a copiilor așteaptă răspunsul dumneavoastră: „%s”",
			voci.NotifyFeedbackDueSoon: "Răspunsul către copii trebuie dat în 7 zile: „%s”",
			voci.NotifyFeedbackOverdue: "Răspunsul către copii a întârziat: „%s”",
		},
		intros: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "Consultarea „%s” s-a încheiat, iar părerile copiilor sunt gata să fie analizate: grupați-le pe teme și formulați recomandări.",
			voci.NotifyAwaitingAnswer:  "Recomandarea „%s”, făcută pe baza părerilor copiilor, nu are încă o decizie a consiliului legată de ea.",
			voci.NotifyFeedbackDueSoon: "Copiii care au participat la consultarea „%s” au fost anunțați că vor primi un răspuns până la %s. Mai sunt cel mult 7 zile.",
			voci.NotifyFeedbackOverdue: "Copiii care au participat la consultarea „%s” trebuiau să primească un răspuns până la %s. Termenul a trecut.",
		},
		button: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "Deschideți analiza",
			voci.NotifyAwaitingAnswer:  "Deschideți recomandările",
			voci.NotifyFeedbackDueSoon: "Deschideți consultarea",
			voci.NotifyFeedbackOverdue: "Deschideți consultarea",
		},
		after:    "Primiți acest mesaj ca membru al consiliului local sau coordonator pentru %s. El nu cuprinde nimic din ce au scris copiii.",
		settings: "Toate notificările sunt și în Voci, sub clopoțelul din meniu.",
	},
	"en": {
		subjects: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "Children's views are ready for review: “%s”",
			voci.NotifyAwaitingAnswer:  "A recommendation from children awaits your answer: “%s”",
			voci.NotifyFeedbackDueSoon: "Feedback to children is due within 7 days: “%s”",
			voci.NotifyFeedbackOverdue: "Feedback to children is overdue: “%s”",
		},
		intros: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "The consultation “%s” has closed, and the children's views are ready for review: group them into themes and make recommendations.",
			voci.NotifyAwaitingAnswer:  "The recommendation “%s”, made from the children's views, has no council decision linked to it yet.",
			voci.NotifyFeedbackDueSoon: "The children who took part in the consultation “%s” were told they would hear back by %s. That is 7 days away or less.",
			voci.NotifyFeedbackOverdue: "The children who took part in the consultation “%s” were told they would hear back by %s. That date has passed.",
		},
		button: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "Open the review",
			voci.NotifyAwaitingAnswer:  "Open the recommendations",
			voci.NotifyFeedbackDueSoon: "Open the consultation",
			voci.NotifyFeedbackOverdue: "Open the consultation",
		},
		after:    "You receive this message as a council member or coordinator for %s. It contains nothing the children wrote.",
		settings: "Every notification is also in Voci, under the bell in the menu.",
	},
	"hu": {
		subjects: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "A gyerekek véleménye áttekintésre vár: „%s”",
			voci.NotifyAwaitingAnswer:  "A gyerekek egyik ajánlása az Ön válaszára vár: „%s”",
			voci.NotifyFeedbackDueSoon: "A gyerekeknek 7 napon belül válaszolni kell: „%s”",
			voci.NotifyFeedbackOverdue: "A gyerekeknek adandó válasz késik: „%s”",
		},
		intros: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "A(z) „%s” konzultáció lezárult, a gyerekek véleménye áttekintésre kész: csoportosítsa témákba, és fogalmazzon meg ajánlásokat.",
			voci.NotifyAwaitingAnswer:  "A gyerekek véleményéből készült „%s” ajánláshoz még nem kapcsolódik tanácsi határozat.",
			voci.NotifyFeedbackDueSoon: "A(z) „%s” konzultáció résztvevői azt az ígéretet kapták, hogy választ kapnak, legkésőbb ekkor: %s. Ez legfeljebb 7 nap múlva esedékes.",
			voci.NotifyFeedbackOverdue: "A(z) „%s” konzultáció résztvevői azt az ígéretet kapták, hogy választ kapnak, legkésőbb ekkor: %s. A határidő lejárt.",
		},
		button: map[voci.NotificationKind]string{
			voci.NotifyInputReady:      "Az áttekintés megnyitása",
			voci.NotifyAwaitingAnswer:  "Az ajánlások megnyitása",
			voci.NotifyFeedbackDueSoon: "A konzultáció megnyitása",
			voci.NotifyFeedbackOverdue: "A konzultáció megnyitása",
		},
		after:    "Ezt az üzenetet %s helyi tanácsának tagjaként vagy koordinátoraként kapja. Semmit sem tartalmaz abból, amit a gyerekek írtak.",
		settings: "Minden értesítés a Vociban is megtalálható, a menü csengője alatt.",
	},
}

// NotificationMessage writes a reminder in its language.
func NotificationMessage(n Notification) Message {
	t := textsFor(n.Lang)
	nt, ok := notificationLanguages[t.code]
	if !ok {
		nt = notificationLanguages["ro"]
	}
	intro := fmt.Sprintf(nt.intros[n.Kind], n.Title)
	if n.Kind == voci.NotifyFeedbackDueSoon || n.Kind == voci.NotifyFeedbackOverdue {
		intro = fmt.Sprintf(nt.intros[n.Kind], n.Title, n.DueAt.In(romania).Format("2006-01-02"))
	}
	return compose(n.To, t, fmt.Sprintf(nt.subjects[n.Kind], n.Title), nt.button[n.Kind], n.Link,
		[]string{intro, nt.settings}, fmt.Sprintf(nt.after, n.Municipality))
}
