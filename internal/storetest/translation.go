package storetest

import (
	"reflect"
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// The translation contract: a consultation's languages and texts in them, and a question's
// wordings in them, are kept with the consultation and the question, and an earlier wording
// keeps the translations it had.

func testTranslationsRoundTrip(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-tr")
	got, err := s.FindConsultationByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.OfferedLanguages(), []voci.Lang{voci.LangRO}) || len(got.Translations) != 0 {
		t.Fatalf("a consultation without languages: %v %v", got.Languages, got.Translations)
	}

	c.Languages = []voci.Lang{voci.LangRO, voci.LangHU, voci.LangEN}
	c.Translations = map[voci.Lang]voci.ConsultationText{
		voci.LangHU: {Title: "A parkunk", Purpose: "Mi legyen az új parkban?", AudienceBody: "Bákó Helyi Tanácsa"},
		voci.LangEN: {Title: "Our park", EasyRead: "Tell us about the park."},
	}
	if err := s.UpdateConsultation(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	got, err = s.FindConsultationByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Languages, c.Languages) || !reflect.DeepEqual(got.Translations, c.Translations) {
		t.Fatalf("languages %v translations %+v, want %v %+v", got.Languages, got.Translations, c.Languages, c.Translations)
	}
	page, _, err := s.FindConsultations(ctx, voci.ConsultationFilter{Municipality: c.Municipality, Limit: 10})
	if err != nil || len(page) != 1 || !reflect.DeepEqual(page[0].Translations, c.Translations) {
		t.Fatalf("listed: %+v %v", page, err)
	}

	q := newQuestion(t, s, c, "q-tr", 0)
	hu := voci.QuestionText{Prompt: "Melyiket szereted jobban?", Options: []voci.OptionLabel{{ID: "swings", Label: "Hinta"}, {ID: "trees", Label: "Fák"}}}
	edited := *q
	edited.Revision = 2 // stored at revision 1
	edited.Translations = map[voci.Lang]voci.QuestionText{voci.LangHU: hu}
	if err := s.UpdateQuestion(ctx, &edited, nil); err != nil {
		t.Fatal(err)
	}
	gq, err := s.FindQuestionByID(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gq.Translations, edited.Translations) {
		t.Fatalf("question translations %+v, want %+v", gq.Translations, edited.Translations)
	}
	if in := gq.In(voci.LangHU); in.Prompt != hu.Prompt || in.Options[0].Label != "Hinta" || in.Options[0].ID != "swings" {
		t.Fatalf("read in Hungarian: %+v", in)
	}

	// A rewording after the freeze keeps the earlier wording with its translations.
	if err := s.FreezeQuestion(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	frozen, _ := s.FindQuestionByID(ctx, q.ID)
	next := *frozen
	next.Revision, next.PromptVersion = frozen.Revision+1, 2
	next.Translations = map[voci.Lang]voci.QuestionText{voci.LangHU: {Prompt: "Mit szeretnél inkább?", Options: hu.Options}}
	next.EarlierPrompts = []voci.PromptVersion{{Version: 1, Prompt: frozen.Prompt, Translations: frozen.Translations,
		From: liveStart, Until: liveStart.Add(1e9)}}
	if err := s.UpdateQuestion(ctx, &next, nil); err != nil {
		t.Fatal(err)
	}
	gq, _ = s.FindQuestionByID(ctx, q.ID)
	if len(gq.EarlierPrompts) != 1 || !reflect.DeepEqual(gq.EarlierPrompts[0].Translations, edited.Translations) {
		t.Fatalf("earlier wordings: %+v", gq.EarlierPrompts)
	}
	list, err := s.ListQuestions(ctx, c.ID)
	if err != nil || len(list) != 1 || list[0].Translations[voci.LangHU].Prompt != "Mit szeretnél inkább?" {
		t.Fatalf("listed questions: %+v %v", list, err)
	}
}
