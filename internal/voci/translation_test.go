package voci_test

import (
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// Content in several languages, on a real SQLite file.

func offer(t *testing.T, w *selfPacedWorld, c *voci.Consultation, langs ...voci.Lang) *voci.Consultation {
	t.Helper()
	next := *c
	next.Languages = langs
	next.Translations = map[voci.Lang]voci.ConsultationText{voci.LangHU: {Title: "A parkunk", AudienceBody: "Bákó Helyi Tanácsa"}}
	updated, err := w.p.UpdateConsultation(t.Context(), c, next, nil)
	if err != nil {
		t.Fatal(err)
	}
	return updated
}

func TestContentFallsBackToTheOriginalLanguage(t *testing.T) {
	w := newSelfPacedWorld(t)
	c, single, _ := w.consultation(t, voci.ModeSelfPaced)
	c = offer(t, w, c, voci.LangRO, voci.LangHU, voci.LangEN)
	for want, lang := range map[string]voci.Lang{"hu": voci.LangHU, "en": voci.LangEN, "ro": voci.LangRO, "de": voci.LangRO, "": voci.LangRO, "<x>": voci.LangRO} {
		if got := c.ContentLang(want); got != lang {
			t.Errorf("ContentLang(%q) = %q, want %q", want, got, lang)
		}
	}
	// English is offered but not written: every text falls back to Romanian, field by field.
	if hu, en := c.In(voci.LangHU), c.In(voci.LangEN); hu.Title != "A parkunk" || en.Title != c.Title ||
		hu.AudienceBody != "Bákó Helyi Tanácsa" || en.AudienceBody != c.AudienceBody || c.AudienceBody == "" {
		t.Fatalf("in hu %q to %q, in en %q to %q", hu.Title, hu.AudienceBody, en.Title, en.AudienceBody)
	}
	next := voci.Question{Kind: single.Kind, Prompt: single.Prompt, Options: single.Options, Translations: map[voci.Lang]voci.QuestionText{
		voci.LangHU: {Prompt: "Mit szeretnél a parkba?", Options: []voci.OptionLabel{{Label: "hinta"}, {ID: single.Options[1].ID}}},
	}}
	q, err := w.p.UpdateQuestion(t.Context(), single, next, nil)
	if err != nil {
		t.Fatal(err)
	}
	hu := q.In(voci.LangHU)
	if hu.Prompt != "Mit szeretnél a parkba?" || hu.Options[0].Label != "hinta" || hu.Options[1].Label != "copaci" ||
		hu.Options[0].ID != single.Options[0].ID {
		t.Fatalf("question in Hungarian: %+v", hu)
	}
	if missing := voci.MissingTranslations(c, []voci.Question{*q}); missing[voci.LangHU] != 1 || missing[voci.LangEN] != 5 {
		t.Fatalf("missing: %v, want hu 1 (a label), en 5 (title, audience, prompt, two labels)", missing)
	}
}

func TestTranslatedOptionsKeepTheOriginalIDs(t *testing.T) {
	w := newSelfPacedWorld(t)
	c, single, text := w.consultation(t, voci.ModeSelfPaced)
	c = offer(t, w, c, voci.LangRO, voci.LangHU)
	ctx := t.Context()
	for name, labels := range map[string][]voci.OptionLabel{
		"an ID the original lacks": {{ID: single.Options[0].ID, Label: "hinta"}, {ID: "pond", Label: "tó"}},
		"one option twice":         {{ID: single.Options[0].ID, Label: "hinta"}, {ID: single.Options[0].ID, Label: "fák"}},
		"an option fewer":          {{ID: single.Options[0].ID, Label: "hinta"}},
	} {
		next := voci.Question{Kind: single.Kind, Prompt: single.Prompt, Options: single.Options,
			Translations: map[voci.Lang]voci.QuestionText{voci.LangHU: {Prompt: "Mit?", Options: labels}}}
		_, err := w.p.UpdateQuestion(ctx, single, next, nil)
		wantCode(t, name, err, voci.ETRANSLATIONOPTIONS)
	}
	// A text question has no options to translate; a new question's translation names its
	// options by position.
	_, err := w.p.UpdateQuestion(ctx, text, voci.Question{Kind: text.Kind, Prompt: text.Prompt,
		Translations: map[voci.Lang]voci.QuestionText{voci.LangHU: {Options: []voci.OptionLabel{{Label: "x"}}}}}, nil)
	wantCode(t, "options on a text question", err, voci.ETRANSLATIONOPTIONS)
	fresh := &voci.Question{Kind: voci.KindMultiple, Prompt: "Ce sport?", Options: []voci.Option{{Label: "fotbal"}, {Label: "baschet"}},
		Translations: map[voci.Lang]voci.QuestionText{voci.LangHU: {Options: []voci.OptionLabel{{Label: "foci"}, {Label: "kosárlabda"}}}}}
	if err := w.p.AddQuestion(ctx, c, fresh, nil); err != nil {
		t.Fatal(err)
	}
	if hu := fresh.In(voci.LangHU); hu.Options[1].Label != "kosárlabda" || hu.Options[1].ID != fresh.Options[1].ID {
		t.Fatalf("new question in Hungarian: %+v", hu)
	}
	// A language the consultation does not offer cannot be written.
	_, err = w.p.UpdateQuestion(ctx, text, voci.Question{Kind: text.Kind, Prompt: text.Prompt,
		Translations: map[voci.Lang]voci.QuestionText{voci.LangEN: {Prompt: "Your idea?"}}}, nil)
	wantCode(t, "a language not offered", err, voci.EINVALID)
	// The original language stays the original.
	next := *c
	next.Languages = []voci.Lang{voci.LangHU, voci.LangRO}
	_, err = w.p.UpdateConsultation(ctx, c, next, nil)
	wantCode(t, "another first language", err, voci.EINVALID)
}

func TestTranslationAfterTheFreeze(t *testing.T) {
	w := newSelfPacedWorld(t)
	c, single, _ := w.consultation(t, voci.ModeSelfPaced)
	offer(t, w, c, voci.LangRO, voci.LangHU)
	ctx := t.Context()
	if err := w.store.FreezeQuestion(ctx, single.ID); err != nil {
		t.Fatal(err)
	}
	frozen, _ := w.store.FindQuestionByID(ctx, single.ID)
	with := func(prompt string, labels ...string) voci.Question {
		tr := voci.QuestionText{Prompt: prompt}
		for i, l := range labels {
			tr.Options = append(tr.Options, voci.OptionLabel{ID: frozen.Options[i].ID, Label: l})
		}
		return voci.Question{Kind: frozen.Kind, Prompt: frozen.Prompt, Options: frozen.Options,
			Translations: map[voci.Lang]voci.QuestionText{voci.LangHU: tr}}
	}
	// Written where it was missing: nobody read it yet, so the version stays.
	added, err := w.p.UpdateQuestion(ctx, frozen, with("Mit szeretnél?", "hinta", ""), nil)
	if err != nil || added.PromptVersion != 1 {
		t.Fatalf("a translation added after the freeze: %+v %v", added, err)
	}
	filled, err := w.p.UpdateQuestion(ctx, added, with("Mit szeretnél?", "hinta", "fák"), nil)
	if err != nil || filled.PromptVersion != 1 {
		t.Fatalf("a missing label filled in: %+v %v", filled, err)
	}
	// A written label reworded: children may have read it, so it is kept as a version.
	reworded, err := w.p.UpdateQuestion(ctx, filled, with("Mit szeretnél?", "hintázás", "fák"), nil)
	if err != nil || reworded.PromptVersion != 2 || len(reworded.EarlierPrompts) != 1 ||
		reworded.EarlierPrompts[0].Translations[voci.LangHU].Options[0].Label != "hinta" {
		t.Fatalf("a translated label reworded after the freeze: %+v %v", reworded, err)
	}
	// The options' identity stays frozen whatever the language.
	bad := with("Mit szeretnél?", "hinta", "fák")
	bad.Translations[voci.LangHU].Options[1].ID = "pond"
	_, err = w.p.UpdateQuestion(ctx, reworded, bad, nil)
	wantCode(t, "a frozen question's translation with another option", err, voci.ETRANSLATIONOPTIONS)
}
