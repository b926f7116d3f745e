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
	}
	if err := p.CreateConsultation(ctx, facilitator.ID, park, nil); err != nil {
		return nil, err
	}
	first := &voci.Question{Kind: voci.KindSingle, Prompt: "Ce ar trebui să aibă parcul mai întâi?", EasyRead: "Alege un lucru.",
		Options: []voci.Option{{Label: "Leagăne", Emoji: "🛝"}, {Label: "Copaci și umbră", Emoji: "🌳"},
			{Label: "Teren de sport", Emoji: "⚽"}, {Label: "Fântână cu apă de băut", Emoji: "🚰"}}}
	safe := &voci.Question{Kind: voci.KindScale, Prompt: "Cât de în siguranță te simți în parc seara?", EmojiFaces: true}
	things := &voci.Question{Kind: voci.KindMultiple, Prompt: "Ce îți place în parc acum?", MaxChoices: 3,
		Options: []voci.Option{{Label: "Locurile de joacă"}, {Label: "Băncile"}, {Label: "Iarba"}, {Label: "Prietenii pe care îi întâlnesc"}}}
	questions := []*voci.Question{
		first, safe, things,
		{Kind: voci.KindWordCloud, Prompt: "Spune parcul tău într-un cuvânt."},
		{Kind: voci.KindRanking, Prompt: "Pune-le în ordine: ce e cel mai important?",
			Options: []voci.Option{{Label: "Să fie curat"}, {Label: "Să fie luminat seara"}, {Label: "Să fie loc pentru toți, și pentru copiii în scaun cu rotile"}}},
		{Kind: voci.KindShortText, Prompt: "Ce nu-ți place în parc?"},
		{Kind: voci.KindIdeaBoard, Prompt: "Ce idee ai pentru parc?"},
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
