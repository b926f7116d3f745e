package seeds

import (
	"context"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// DemoAnsweredTitle names the demo's consultation in Bacău whose loop is closed: children
// spoke, reviewers grouped what they said, the local council decided, and the children were
// told.
const DemoAnsweredTitle = "Un loc de joacă pentru toți copiii"

// demoReceiptToken stands for the participant token of one child of the answered
// consultation: receipt codes are derived from a token under the server's secret key, so the
// demo's code is the same at every start (for as long as the key is).
const demoReceiptToken = "voci-demo-receipt-of-the-answered-playground-consultation"

// DemoLoop is what the demo's answered consultation is made with: the domain's rules, as the
// adults of Bacău would use them.
type DemoLoop struct {
	Store         voci.Store
	Participation *voci.Participation
	Review        *voci.Review
	Decisions     *voci.Decisions
	Feedbacks     *voci.Feedbacks
	Receipts      *voci.Receipts
}

// EnsureDemoAnswered gives a newcomer the whole loop to look at: in Bacău a closed
// consultation about a playground every child can use, with twenty paper forms and their
// approved texts, two themes with quotes, a recommendation, the local council's decision that
// adopts it in part with two implementation milestones, and feedback to the children in
// Romanian and Hungarian, written by a council member and approved by the coordinator. It
// returns a receipt code of that consultation, the same at every start, for the banner.
func EnsureDemoAnswered(ctx context.Context, l DemoLoop, now time.Time) (voci.ReceiptCode, error) {
	const bacau = 20297
	now = now.UTC()
	existing, _, err := l.Store.FindConsultations(ctx, voci.ConsultationFilter{Municipality: bacau, Limit: voci.MaxPageSize})
	if err != nil {
		return "", err
	}
	for i := range existing {
		if existing[i].Title == DemoAnsweredTitle {
			return l.Receipts.IssueForParticipant(ctx, demoReceiptToken, &existing[i], voci.LangRO)
		}
	}
	people := map[string]*voci.Account{}
	for _, who := range []string{"facilitator", "council", "coordinator"} {
		a, err := l.Store.FindAccountByEmail(ctx, who+".bacau"+DemoEmailDomain)
		if err != nil {
			return "", fmt.Errorf("seeds: the demo %s of Bacău: %w", who, err)
		}
		people[who] = a
	}
	facilitator, council, coordinator := people["facilitator"].ID, people["council"].ID, people["coordinator"].ID

	c := &voci.Consultation{
		Municipality: bacau,
		Title:        DemoAnsweredTitle,
		Purpose: "Primăria pregătește un loc de joacă nou în Parcul Cancicov. Vrem să fie bun pentru toți copiii, " +
			"și pentru cei în scaun cu rotile sau care nu văd bine. Spuneți-ne ce ar trebui să aibă.",
		EasyRead:     "Facem un loc de joacă nou. Spune-ne cum să fie bun pentru toți.",
		AgeBands:     []voci.AgeBand{voci.Age10to12, voci.Age13to15},
		Goals:        []voci.CFCIGoal{voci.GoalFamilyPlayLeisure},
		Topics:       []string{"joacă", "accesibilitate"},
		AudienceBody: "Consiliul Local Bacău",
		AnswerBy:     now.AddDate(0, 2, 0),
		Modes:        []voci.Mode{voci.ModePaper},
		Languages:    []voci.Lang{voci.LangRO, voci.LangHU},
		Translations: map[voci.Lang]voci.ConsultationText{voci.LangHU: {Title: "Játszótér minden gyereknek",
			Purpose: "A polgármesteri hivatal új játszóteret készít a Cancicov parkban. Azt szeretnénk, hogy minden gyereknek jó legyen, " +
				"a kerekesszékeseknek és a gyengénlátóknak is. Mondjátok el, mi legyen benne.",
			EasyRead: "Új játszóteret építünk. Mondd el, hogyan legyen jó mindenkinek."}},
	}
	if err := l.Participation.CreateConsultation(ctx, facilitator, c, nil); err != nil {
		return "", err
	}
	first := &voci.Question{Kind: voci.KindSingle, Prompt: "Ce e cel mai important la locul de joacă?",
		Options: []voci.Option{{Label: "Leagăn pentru scaun cu rotile"}, {Label: "Alei fără trepte"}, {Label: "Umbră și bănci"}, {Label: "Toalete pentru toți"}},
		Translations: map[voci.Lang]voci.QuestionText{voci.LangHU: wording("Mi a legfontosabb a játszótéren?", "",
			"Kerekesszékes hinta", "Lépcső nélküli utak", "Árnyék és padok", "Mosdó mindenkinek")}}
	idea := &voci.Question{Kind: voci.KindShortText, Prompt: "Ce ar face locul de joacă bun și pentru prietenul tău?",
		Translations: map[voci.Lang]voci.QuestionText{voci.LangHU: wording("Mitől lenne jó a játszótér a barátodnak is?", "")}}
	for _, q := range []*voci.Question{first, idea} {
		if err := l.Participation.AddQuestion(ctx, c, q, nil); err != nil {
			return "", err
		}
	}
	if err := l.Participation.SetConsultationStatus(ctx, c, voci.StatusOpen, nil); err != nil {
		return "", err
	}

	// Twenty forms filled in at a school and at a day centre for children with disabilities.
	texts := []string{
		"Un leagăn în care să încapă și scaunul cu rotile al colegului meu.",
		"Alei netede, fără pietriș, ca să poată veni toți.",
		"Bănci la umbră pentru bunici.",
		"Să fie și jocuri cu sunete pentru copiii care nu văd.",
		"O toaletă unde să încapă și un scaun cu rotile.",
	}
	bands := []voci.AgeBand{voci.Age10to12, voci.Age13to15}
	var approved []string
	for i := range 20 {
		answers := []voci.PaperAnswer{{QuestionID: first.ID, Input: voci.AnswerInput{Choices: []string{first.Options[[]int{0, 1, 0, 2, 1, 0, 3}[i%7]].ID}}}}
		if i < len(texts) {
			answers = append(answers, voci.PaperAnswer{QuestionID: idea.ID, Input: voci.AnswerInput{Text: texts[i]}})
		}
		receipts, err := l.Participation.RecordPaperForm(ctx, c, voci.PaperForm{Key: fmt.Sprintf("demo-playground-%02d", i),
			AgeBand: bands[i%2], Answers: answers}, nil)
		if err != nil {
			return "", err
		}
		for _, r := range receipts {
			if r.QuestionID != idea.ID {
				continue
			}
			a, err := l.Store.FindAnswerByID(ctx, r.AnswerID)
			if err != nil {
				return "", err
			}
			if _, err := l.Participation.Moderate(ctx, a, a.Revision, voci.ModerationApproved, facilitator, true, nil); err != nil {
				return "", err
			}
			approved = append(approved, a.ID)
		}
	}
	if err := l.Participation.SetConsultationStatus(ctx, c, voci.StatusClosed, nil); err != nil {
		return "", err
	}

	// The council member groups what children said into two themes, with quotes.
	theme := func(title, summary string, items []voci.ThemeItem, quotes []string) (*voci.Theme, error) {
		t, err := l.Review.CreateTheme(ctx, c, council, title, summary, nil)
		if err != nil {
			return nil, err
		}
		ch := voci.ThemeChange{Revision: t.Revision, AddItems: items}
		for _, q := range quotes {
			ch.AddQuotes = append(ch.AddQuotes, voci.QuoteRequest{AnswerID: q})
		}
		return l.Review.UpdateTheme(ctx, c, t.ID, ch, nil)
	}
	textItems := func(ids ...string) []voci.ThemeItem {
		var out []voci.ThemeItem
		for _, id := range ids {
			out = append(out, voci.ThemeItem{AnswerID: id})
		}
		return out
	}
	reach, err := theme("Să poată ajunge și să se joace toți",
		"Copiii cer un leagăn pentru scaun cu rotile, alei fără trepte și jocuri pentru cei care nu văd.",
		append(textItems(approved[0], approved[1], approved[3]),
			voci.ThemeItem{QuestionID: first.ID, OptionID: first.Options[0].ID}, voci.ThemeItem{QuestionID: first.ID, OptionID: first.Options[1].ID}),
		[]string{approved[0], approved[1]})
	if err != nil {
		return "", err
	}
	comfort, err := theme("Umbră, bănci și toalete",
		"Copiii vor umbră și bănci pentru cei care îi însoțesc, și o toaletă accesibilă.",
		append(textItems(approved[2], approved[4]), voci.ThemeItem{QuestionID: first.ID, OptionID: first.Options[2].ID},
			voci.ThemeItem{QuestionID: first.ID, OptionID: first.Options[3].ID}),
		[]string{approved[2]})
	if err != nil {
		return "", err
	}
	rec, err := l.Review.CreateRecommendation(ctx, c, council, voci.RecommendationDraft{ThemeIDs: []string{reach.ID, comfort.ID},
		Title: "Un loc de joacă accesibil tuturor copiilor",
		Text:  "Leagăn pentru scaun cu rotile, alei netede fără trepte, jocuri cu sunete, umbră cu bănci și o toaletă accesibilă."}, nil)
	if err != nil {
		return "", err
	}

	// The local council adopts it in part, and the works begin.
	decided := now.AddDate(0, 0, -20)
	d, err := l.Decisions.CreateDraft(ctx, bacau, council, voci.DecisionContent{
		Number: "214/2026", Date: time.Date(decided.Year(), decided.Month(), decided.Day(), 0, 0, 0, 0, time.UTC),
		Title: "Hotărâre privind amenajarea unui loc de joacă accesibil în Parcul Cancicov",
		Text:  "Se aprobă amenajarea locului de joacă cu leagăn pentru scaun cu rotile, alei fără trepte și umbră cu bănci. Toaleta accesibilă se va face în etapa a doua, după obținerea finanțării.",
		Vote:  voci.Vote{For: 19, Against: 0, Abstain: 2, Absent: 2}, Status: voci.DecisionAdopted,
		PublicationURL: "https://www.primariabacau.ro/monitorul-oficial-local/",
		Links: []voci.DecisionLink{{RecommendationID: rec.ID, Response: voci.ResponseAdoptedInPart,
			Reasons: "Toaleta accesibilă are nevoie de o finanțare separată; consiliul o va cere în bugetul anului viitor."}},
	}, nil)
	if err != nil {
		return "", err
	}
	if d, err = l.Decisions.Publish(ctx, d, d.Revision, council, nil); err != nil {
		return "", err
	}
	if d, err = l.Decisions.RecordStatus(ctx, d, voci.DecisionBeingImplemented, decided.AddDate(0, 0, 7), "Lucrările au început.", coordinator, nil); err != nil {
		return "", err
	}
	if d, err = l.Decisions.AddMilestone(ctx, d, decided.AddDate(0, 0, 10), "Aleile fără trepte sunt gata.", coordinator, nil); err != nil {
		return "", err
	}
	if _, err = l.Decisions.AddMilestone(ctx, d, decided.AddDate(0, 0, 18), "Leagănul pentru scaun cu rotile a fost montat.", coordinator, nil); err != nil {
		return "", err
	}

	// The children are told, in their words: written by the council member, approved by the
	// coordinator.
	fb, err := l.Feedbacks.StartFeedback(ctx, rec, council, map[voci.Lang]voci.FeedbackText{
		voci.LangRO: {Text: "Ne-ați spus că locul de joacă trebuie să fie pentru toți. Consiliul Local a hotărât să facă leagănul pentru scaun cu rotile, " +
			"aleile fără trepte și umbra cu bănci. Toaleta accesibilă vine mai târziu, pentru că e nevoie de bani în plus: consiliul îi va cere anul viitor.",
			EasyRead: "Ați cerut un loc de joacă pentru toți. Primăria face leagănul, aleile și băncile. Toaleta vine mai târziu."},
		voci.LangHU: {Text: "Azt mondtátok, hogy a játszótér legyen mindenkié. A helyi tanács úgy döntött, hogy elkészül a kerekesszékes hinta, " +
			"a lépcső nélküli utak és az árnyékos padok. Az akadálymentes mosdó később jön, mert több pénz kell hozzá: a tanács jövőre kéri.",
			EasyRead: "Mindenkinek való játszóteret kértetek. A város megépíti a hintát, az utakat és a padokat. A mosdó később jön."},
	}, "", nil)
	if err != nil {
		return "", err
	}
	if fb, err = l.Feedbacks.SubmitFeedback(ctx, rec, fb, fb.Revision, nil); err != nil {
		return "", err
	}
	if _, err = l.Feedbacks.PublishFeedback(ctx, rec, fb, fb.Revision, coordinator, nil); err != nil {
		return "", err
	}
	return l.Receipts.IssueForParticipant(ctx, demoReceiptToken, c, voci.LangRO)
}
