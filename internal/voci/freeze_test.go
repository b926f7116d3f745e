package voci_test

import (
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// The rules of frozen questions and their wordings, on a real SQLite file.

func TestFrozenQuestionCannotBeDeleted(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, single, text := w.consultation(t, voci.ModeSelfPaced)
	if err := w.store.FreezeQuestion(ctx, single.ID); err != nil {
		t.Fatal(err)
	}
	frozen, _ := w.store.FindQuestionByID(ctx, single.ID)
	if err := w.p.DeleteQuestion(ctx, frozen, nil); voci.ErrorCode(err) != voci.EFROZEN {
		t.Fatalf("deleting a frozen question: %v, want %s", err, voci.EFROZEN)
	}
	// Frozen after it was read: the store's condition refuses, and the domain says why.
	stale, _ := w.store.FindQuestionByID(ctx, text.ID)
	if err := w.store.FreezeQuestion(ctx, text.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.p.DeleteQuestion(ctx, stale, nil); voci.ErrorCode(err) != voci.EFROZEN {
		t.Fatalf("deleting a question frozen meanwhile: %v, want %s", err, voci.EFROZEN)
	}
	q := &voci.Question{Kind: voci.KindShortText, Prompt: "Altceva?"}
	if err := w.p.AddQuestion(ctx, c, q, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.p.DeleteQuestion(ctx, q, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.FindQuestionByID(ctx, q.ID); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("deleted question: %v", err)
	}
}

func TestScaleKeepsItsPointsWhenEdited(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, _, _ := w.consultation(t, voci.ModeSelfPaced)
	// Three points asked for; an edit that does not say keeps them; five asked for makes five.
	q := &voci.Question{Kind: voci.KindScale, Prompt: "Cât de mult?", Options: make([]voci.Option, 3)}
	if err := w.p.AddQuestion(ctx, c, q, nil); err != nil {
		t.Fatal(err)
	}
	edited, err := w.p.UpdateQuestion(ctx, q, voci.Question{Kind: voci.KindScale, Prompt: "Cât de mult îți place?", EmojiFaces: q.EmojiFaces}, nil)
	if err != nil || len(edited.Options) != 3 {
		t.Fatalf("edited scale: %+v %v", edited, err)
	}
	five, err := w.p.UpdateQuestion(ctx, edited, voci.Question{Kind: voci.KindScale, Prompt: edited.Prompt, Options: make([]voci.Option, 5)}, nil)
	if err != nil || len(five.Options) != 5 {
		t.Fatalf("five points: %+v %v", five, err)
	}
	fresh := &voci.Question{Kind: voci.KindScale, Prompt: "Și acum?"}
	if err := w.p.AddQuestion(ctx, c, fresh, nil); err != nil || len(fresh.Options) != 5 {
		t.Fatalf("a new scale without points: %+v %v", fresh, err)
	}
}

func TestRewordingAFrozenQuestionMakesAVersion(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	_, single, _ := w.consultation(t, voci.ModeSelfPaced)
	// Before anyone answered, the wording is corrected in place.
	fixed, err := w.p.UpdateQuestion(ctx, single, voci.Question{Kind: single.Kind, Prompt: "Ce vrei în parc?", Options: single.Options}, nil)
	if err != nil || fixed.PromptVersion != 1 || len(fixed.EarlierPrompts) != 0 {
		t.Fatalf("unfrozen rewording: %+v %v", fixed, err)
	}
	if err := w.store.FreezeQuestion(ctx, single.ID); err != nil {
		t.Fatal(err)
	}
	at := spFrom.Add(2 * time.Hour)
	w.set(at)
	// fixed was read before the freeze: the domain reads it again and applies the frozen rules.
	v2, err := w.p.UpdateQuestion(ctx, fixed, voci.Question{Kind: single.Kind, Prompt: "Ce ți-ar plăcea în parc?", Options: single.Options}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v2.PromptVersion != 2 || len(v2.EarlierPrompts) != 1 || v2.EarlierPrompts[0].Prompt != "Ce vrei în parc?" ||
		!v2.EarlierPrompts[0].Until.Equal(at) || !v2.PromptSince.Equal(at) {
		t.Fatalf("frozen rewording: %+v", v2)
	}
	stored, _ := w.store.FindQuestionByID(ctx, single.ID)
	if stored.PromptVersion != 2 || len(stored.EarlierPrompts) != 1 || stored.Prompt != v2.Prompt {
		t.Fatalf("stored: %+v", stored)
	}
	// Options stay.
	_, err = w.p.UpdateQuestion(ctx, stored, voci.Question{Kind: single.Kind, Prompt: stored.Prompt,
		Options: []voci.Option{{Label: "Un lac"}, {Label: "Bănci"}}}, nil)
	if voci.ErrorCode(err) != voci.EFROZEN {
		t.Fatalf("reshaping a frozen question: %v", err)
	}
}

func TestPromptVersionCountsAreSuppressedLikeCells(t *testing.T) {
	q := &voci.Question{PromptVersion: 3, Prompt: "c", PromptSince: spFrom, EarlierPrompts: []voci.PromptVersion{
		{Version: 1, Prompt: "a"}, {Version: 2, Prompt: "b"}}}
	got := voci.PromptVersions(q, map[int]int{1: 12, 2: 3, 3: 9}, 5)
	if len(got) != 3 || got[2].Prompt != "c" || !got[2].From.Equal(spFrom) {
		t.Fatalf("versions %+v", got)
	}
	// 3 is below k; hidden alone it would be the total minus the others, so one more hides.
	hidden := 0
	for _, v := range got {
		if v.Respondents.Suppressed {
			hidden++
		}
	}
	if !got[1].Respondents.Suppressed || hidden < 2 {
		t.Fatalf("suppression %+v", got)
	}
	if voci.PromptVersions(&voci.Question{PromptVersion: 1}, map[int]int{1: 40}, 5) != nil {
		t.Fatal("a question never reworded has no versions to show")
	}
}
