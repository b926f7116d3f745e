package seeds

import (
	"context"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// DemoConsultationTitle names the demo's open consultation in Bacău; its presence is how a
// later start knows the demo content is there already.
const DemoConsultationTitle = "Cum vrem să arate parcul din cartier?"

// DemoConsultations is what EnsureDemoConsultations added, for the start-up banner.
type DemoConsultations struct {
	// SelfPacedKey is the key of the open consultation's self-paced link: /p/{key}.
	SelfPacedKey string
}

// EnsureDemoConsultations gives the demo something to look at: in Bacău an open consultation
// about a neighbourhood park, with every kind of question, taking part live, through its
// self-paced link and on paper, with twenty paper forms already typed in so that its results
// show (and show small groups suppressed); in Brașov a draft about the way to school. The
// consultations are made through the domain's rules, as a facilitator would make them. Nothing
// is added when Bacău already has the park consultation, so a restart adds no second copy; it
// then returns nil.
func EnsureDemoConsultations(ctx context.Context, store voci.Store, p *voci.Participation, now time.Time) (*DemoConsultations, error) {
	const bacau, brasov = 20297, 40198
	existing, _, err := store.FindConsultations(ctx, voci.ConsultationFilter{Municipality: bacau, Limit: voci.MaxPageSize})
	if err != nil {
		return nil, err
	}
	for _, c := range existing {
		if c.Title == DemoConsultationTitle {
			return nil, nil
		}
	}
	facilitator, err := store.FindAccountByEmail(ctx, "facilitator.bacau"+DemoEmailDomain)
	if err != nil {
		return nil, fmt.Errorf("seeds: the demo facilitator of Bacău: %w", err)
	}
	now = now.UTC()

	park := &voci.Consultation{
		Municipality: bacau,
		Title:        DemoConsultationTitle,
		Purpose: "Primăria vrea să refacă parcul din cartierul Mioriței. Înainte de a desena planurile, " +
			"vrem să știm ce vă doriți voi, copiii care vă jucați acolo: ce să aibă, ce vă place și ce nu, " +
			"ce v-ar face să vă simțiți în siguranță.",
		EasyRead:     "Parcul se schimbă. Spune-ne ce vrei în el.",
		AgeBands:     []voci.AgeBand{voci.Age10to12, voci.Age13to15},
		Goals:        []voci.CFCIGoal{voci.GoalSafeEnvironment, voci.GoalFamilyPlayLeisure},
		Topics:       []string{"parcuri", "joacă", "siguranță"},
		AudienceBody: "Consiliul Local Bacău",
		AnswerBy:     now.AddDate(0, 3, 0),
		Modes:        []voci.Mode{voci.ModeLive, voci.ModeSelfPaced, voci.ModePaper},
		// A day back, so that the link is open at once.
		SelfPacedFrom:  now.AddDate(0, 0, -1),
		SelfPacedUntil: now.AddDate(0, 1, 0),
		// Bacău has Hungarian-speaking children, and visitors: the park is asked about in three
		// languages, each child reading their own.
		Languages: []voci.Lang{voci.LangRO, voci.LangHU, voci.LangEN},
		Translations: map[voci.Lang]voci.ConsultationText{
			voci.LangHU: {Title: "A mi parkunk",
				Purpose: "A polgármesteri hivatal fel akarja újítani a Mioriței negyed parkját. Mielőtt megrajzolnánk a terveket, " +
					"tudni szeretnénk, mit szeretnétek ti, gyerekek, akik ott játszotok: mi legyen benne, mi tetszik és mi nem, " +
					"mitől éreznétek magatokat biztonságban.",
				EasyRead:     "A park megváltozik. Mondd el, mit szeretnél benne.",
				AudienceBody: "Bákó Helyi Tanácsa"},
			voci.LangEN: {Title: "Our park",
				Purpose: "The town hall wants to rebuild the park in the Mioriței neighbourhood. Before drawing the plans, " +
					"we want to know what you, the children who play there, would like: what it should have, what you like and what you don't, " +
					"what would make you feel safe.",
				EasyRead:     "The park is changing. Tell us what you want in it.",
				AudienceBody: "Bacău Local Council"},
		},
	}
	if err := p.CreateConsultation(ctx, facilitator.ID, park, nil); err != nil {
		return nil, err
	}
	first := &voci.Question{Kind: voci.KindSingle, Prompt: "Ce ar trebui să aibă parcul mai întâi?", EasyRead: "Alege un lucru.",
		Options: []voci.Option{{Label: "Leagăne", Emoji: "🛝"}, {Label: "Copaci și umbră", Emoji: "🌳"},
			{Label: "Teren de sport", Emoji: "⚽"}, {Label: "Fântână cu apă de băut", Emoji: "🚰"}},
		Translations: inHungarianAndEnglish(
			wording("Mi legyen először a parkban?", "Válassz egy dolgot.", "Hinta", "Fák és árnyék", "Sportpálya", "Ivókút"),
			wording("What should the park have first?", "Pick one thing.", "Swings", "Trees and shade", "A sports pitch", "A drinking fountain"))}
	safe := &voci.Question{Kind: voci.KindScale, Prompt: "Cât de în siguranță te simți în parc seara?", EmojiFaces: true,
		Translations: inHungarianAndEnglish(wording("Mennyire érzed magad biztonságban este a parkban?", ""),
			wording("How safe do you feel in the park in the evening?", ""))}
	things := &voci.Question{Kind: voci.KindMultiple, Prompt: "Ce îți place în parc acum?", MaxChoices: 3,
		Options: []voci.Option{{Label: "Locurile de joacă"}, {Label: "Băncile"}, {Label: "Iarba"}, {Label: "Prietenii pe care îi întâlnesc"}},
		Translations: inHungarianAndEnglish(
			wording("Mi tetszik most a parkban?", "", "A játszóterek", "A padok", "A fű", "A barátok, akikkel találkozom"),
			wording("What do you like in the park now?", "", "The playgrounds", "The benches", "The grass", "The friends I meet"))}
	questions := []*voci.Question{
		first, safe, things,
		{Kind: voci.KindWordCloud, Prompt: "Spune parcul tău într-un cuvânt.",
			Translations: inHungarianAndEnglish(wording("Mondd el a parkodat egy szóban.", ""), wording("Say your park in one word.", ""))},
		{Kind: voci.KindRanking, Prompt: "Pune-le în ordine: ce e cel mai important?",
			Options: []voci.Option{{Label: "Să fie curat"}, {Label: "Să fie luminat seara"}, {Label: "Să fie loc pentru toți, și pentru copiii în scaun cu rotile"}},
			Translations: inHungarianAndEnglish(
				wording("Tedd sorrendbe: mi a legfontosabb?", "", "Legyen tiszta", "Legyen kivilágítva este", "Legyen hely mindenkinek, a kerekesszékes gyerekeknek is"),
				wording("Put them in order: what matters most?", "", "That it is clean", "That it is lit in the evening", "That there is room for everyone, children in wheelchairs too"))},
		{Kind: voci.KindShortText, Prompt: "Ce nu-ți place în parc?",
			Translations: inHungarianAndEnglish(wording("Mi nem tetszik a parkban?", ""), wording("What don't you like in the park?", ""))},
		{Kind: voci.KindIdeaBoard, Prompt: "Ce idee ai pentru parc?",
			Translations: inHungarianAndEnglish(wording("Milyen ötleted van a parkhoz?", ""), wording("What idea do you have for the park?", ""))},
	}
	for _, q := range questions {
		if err := p.AddQuestion(ctx, park, q, nil); err != nil {
			return nil, err
		}
	}
	if err := p.SetConsultationStatus(ctx, park, voci.StatusOpen, nil); err != nil {
		return nil, err
	}
	link, err := p.SelfPacedLink(ctx, park, facilitator.ID)
	if err != nil {
		return nil, err
	}

	// Twenty paper forms from a class at the community centre: enough for results with bars,
	// and few enough per age band and gender that some cells are suppressed.
	bands := []voci.AgeBand{voci.Age10to12, voci.Age10to12, voci.Age13to15, ""}
	genders := []voci.Gender{voci.GenderGirl, voci.GenderBoy, voci.GenderPreferNotToSay, voci.GenderGirl, voci.GenderBoy}
	for i := range 20 {
		form := voci.PaperForm{Key: fmt.Sprintf("demo-paper-%02d", i), AgeBand: bands[i%len(bands)], Gender: genders[i%len(genders)],
			Answers: []voci.PaperAnswer{
				{QuestionID: first.ID, Input: voci.AnswerInput{Choices: []string{first.Options[[]int{0, 1, 1, 2, 3, 1, 0}[i%7]].ID}}},
				{QuestionID: safe.ID, Input: voci.AnswerInput{Choices: []string{safe.Options[[]int{1, 2, 2, 3, 0, 2, 4}[i%7]].ID}}},
				{QuestionID: things.ID, Input: voci.AnswerInput{Choices: []string{things.Options[i%4].ID, things.Options[(i+1)%4].ID}}},
			}}
		if _, err := p.RecordPaperForm(ctx, park, form, nil); err != nil {
			return nil, err
		}
	}

	school := &voci.Consultation{
		Municipality: brasov,
		Title:        "Drumul spre școală",
		Purpose:      "Cum ajungeți la școală și ce v-ar face drumul mai sigur?",
		AgeBands:     []voci.AgeBand{voci.Age10to12, voci.Age13to15, voci.Age16to18},
		Goals:        []voci.CFCIGoal{voci.GoalSafeEnvironment},
		Topics:       []string{"transport", "școală"},
		Modes:        []voci.Mode{voci.ModeLive},
	}
	brasovFacilitator, err := store.FindAccountByEmail(ctx, "facilitator.brasov"+DemoEmailDomain)
	if err != nil {
		return nil, fmt.Errorf("seeds: the demo facilitator of Brașov: %w", err)
	}
	if err := p.CreateConsultation(ctx, brasovFacilitator.ID, school, nil); err != nil {
		return nil, err
	}
	if err := p.AddQuestion(ctx, school, &voci.Question{Kind: voci.KindSingle, Prompt: "Cum ajungi la școală?",
		Options: []voci.Option{{Label: "Pe jos", Emoji: "🚶"}, {Label: "Cu autobuzul", Emoji: "🚌"}, {Label: "Cu mașina", Emoji: "🚗"}, {Label: "Cu bicicleta", Emoji: "🚲"}}}, nil); err != nil {
		return nil, err
	}
	return &DemoConsultations{SelfPacedKey: link.Key}, nil
}

// wording is a question's text in another language, its option labels in the original's
// order (matched by position when the question is added).
func wording(prompt, easyRead string, labels ...string) voci.QuestionText {
	t := voci.QuestionText{Prompt: prompt, EasyRead: easyRead}
	for _, l := range labels {
		t.Options = append(t.Options, voci.OptionLabel{Label: l})
	}
	return t
}

func inHungarianAndEnglish(hu, en voci.QuestionText) map[voci.Lang]voci.QuestionText {
	return map[voci.Lang]voci.QuestionText{voci.LangHU: hu, voci.LangEN: en}
}
