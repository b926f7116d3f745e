package voci_test

import (
	"strings"
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// The rules of pictures and of duplicating a consultation, on a real SQLite file.

func png(tag string) voci.StoredPicture {
	return voci.StoredPicture{Data: []byte("\x89PNG " + tag), ContentType: "image/png", Width: 800, Height: 600}
}

func fileExists(t *testing.T, w *selfPacedWorld, id string) bool {
	t.Helper()
	_, _, err := w.store.OpenFile(t.Context(), id)
	if err != nil && voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatal(err)
	}
	return err == nil
}

func TestPictureRules(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, single, text := w.consultation(t, voci.ModeSelfPaced)

	_, err := w.p.SetQuestionPicture(ctx, c, single, "", png("q"), "  ", nil)
	wantCode(t, "a picture without a description", err, voci.EINVALID)
	_, err = w.p.SetQuestionPicture(ctx, c, single, "", png("q"), strings.Repeat("a", voci.MaxPictureAlt+1), nil)
	wantCode(t, "a description too long", err, voci.EINVALID)
	_, err = w.p.SetQuestionPicture(ctx, c, single, "nope", png("q"), "Parcul", nil)
	wantCode(t, "an unknown option", err, voci.ENOTFOUND)
	_, err = w.p.RemoveQuestionPicture(ctx, c, single, "", nil)
	wantCode(t, "removing no picture", err, voci.ENOTFOUND)

	q, err := w.p.SetQuestionPicture(ctx, c, single, "", png("q"), " Parcul ", nil)
	if err != nil {
		t.Fatal(err)
	}
	if q.Picture.Alt != "Parcul" || q.Picture.Width != 800 || q.Revision != single.Revision+1 || !fileExists(t, w, q.Picture.File) {
		t.Fatalf("picture set: %+v", q)
	}
	// A picture on a text question's own place is fine; options: only where there are some.
	if _, err := w.p.SetQuestionPicture(ctx, c, text, "", png("t"), "Idei", nil); err != nil {
		t.Fatal(err)
	}
	// Set on a stale copy of the question: applied to the question as stored.
	q, err = w.p.SetQuestionPicture(ctx, c, single, single.Options[0].ID, png("o"), "Leagăne", nil)
	if err != nil {
		t.Fatal(err)
	}
	if q.Picture.IsZero() || q.Options[0].Picture.Alt != "Leagăne" {
		t.Fatalf("a picture set on a stale question lost the other: %+v", q)
	}

	// Rewording keeps the pictures; a kind without options drops the options' pictures and
	// deletes their files.
	optionFile := q.Options[0].Picture.File
	edited, err := w.p.UpdateQuestion(ctx, q, voci.Question{Kind: voci.KindSingle, Prompt: "Ce alegi?",
		Options: []voci.Option{{ID: q.Options[0].ID, Label: "leagăne"}, {ID: q.Options[1].ID, Label: "copaci"}}}, nil)
	if err != nil || edited.Options[0].Picture.File != optionFile || edited.Picture != q.Picture {
		t.Fatalf("reworded: %+v %v", edited, err)
	}
	edited, err = w.p.UpdateQuestion(ctx, edited, voci.Question{Kind: voci.KindShortText, Prompt: "Ce alegi?"}, nil)
	if err != nil || edited.Picture != q.Picture || fileExists(t, w, optionFile) {
		t.Fatalf("to short text: %+v %v, option file kept %v", edited, err, fileExists(t, w, optionFile))
	}

	// Frozen: nothing added or replaced, but removal is allowed.
	if err := w.store.FreezeQuestion(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.p.SetQuestionPicture(ctx, c, edited, "", png("x"), "Alt", nil)
	wantCode(t, "replacing on a frozen question", err, voci.EFROZEN)
	frozen, _ := w.store.FindQuestionByID(ctx, q.ID)
	if _, err := w.p.RemoveQuestionPicture(ctx, c, frozen, "", nil); err != nil {
		t.Fatal(err)
	}
	if fileExists(t, w, q.Picture.File) {
		t.Fatal("a removed picture's file stays")
	}
}

// A picture's description changes alone: the same file, the other pictures kept, on the
// question as stored; refused where the picture itself may not change.
func TestDescribeQuestionPicture(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, single, _ := w.consultation(t, voci.ModeSelfPaced)

	_, err := w.p.DescribeQuestionPicture(ctx, c, single, "", "Parcul", nil)
	wantCode(t, "describing no picture", err, voci.ENOTFOUND)
	q, err := w.p.SetQuestionPicture(ctx, c, single, "", png("q"), "Parcul", nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err = w.p.SetQuestionPicture(ctx, c, q, q.Options[1].ID, png("o"), "Copaci", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.p.DescribeQuestionPicture(ctx, c, q, "", " ", nil)
	wantCode(t, "an empty description", err, voci.EINVALID)
	_, err = w.p.DescribeQuestionPicture(ctx, c, q, "", strings.Repeat("a", voci.MaxPictureAlt+1), nil)
	wantCode(t, "a description too long", err, voci.EINVALID)
	_, err = w.p.DescribeQuestionPicture(ctx, c, q, "nope", "Parcul", nil)
	wantCode(t, "an unknown option", err, voci.ENOTFOUND)
	_, err = w.p.DescribeQuestionPicture(ctx, c, q, q.Options[0].ID, "Leagăne", nil)
	wantCode(t, "an option without a picture", err, voci.ENOTFOUND)

	// Described on a stale copy (revision behind): applied to the question as stored, the
	// option's picture kept.
	described, err := w.p.DescribeQuestionPicture(ctx, c, single, "", "x", nil)
	wantCode(t, "a stale copy without the picture", err, voci.ENOTFOUND)
	stale := *q
	q, err = w.p.DescribeQuestionPicture(ctx, c, q, q.Options[1].ID, " Copaci înalți ", nil)
	if err != nil {
		t.Fatal(err)
	}
	described, err = w.p.DescribeQuestionPicture(ctx, c, &stale, "", "Parcul din centru", nil)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := w.store.FindQuestionByID(ctx, q.ID)
	if stored.Picture.Alt != "Parcul din centru" || stored.Picture.File != stale.Picture.File || stored.Options[1].Picture.Alt != "Copaci înalți" ||
		stored.Options[1].Picture.File != stale.Options[1].Picture.File || stored.Revision != stale.Revision+2 || described.Revision != stored.Revision {
		t.Fatalf("described: %+v", stored)
	}
	if !fileExists(t, w, stored.Picture.File) {
		t.Fatal("describing a picture lost its file")
	}
	// The same words again write nothing.
	same, err := w.p.DescribeQuestionPicture(ctx, c, stored, "", "Parcul din centru", nil)
	if err != nil || same.Revision != stored.Revision {
		t.Fatalf("the same description: %+v %v", same, err)
	}
	// A description written for a picture replaced meanwhile is refused, not put on the new one.
	if _, err := w.p.SetQuestionPicture(ctx, c, stored, "", png("new"), "Alt parc", nil); err != nil {
		t.Fatal(err)
	}
	_, err = w.p.DescribeQuestionPicture(ctx, c, stored, "", "Parcul vechi", nil)
	wantCode(t, "the picture replaced meanwhile", err, voci.EQUESTIONCHANGED)

	// Frozen: refused, like replacing the picture.
	if err := w.store.FreezeQuestion(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	frozen, _ := w.store.FindQuestionByID(ctx, q.ID)
	_, err = w.p.DescribeQuestionPicture(ctx, c, frozen, "", "Altceva", nil)
	wantCode(t, "a frozen question", err, voci.EFROZEN)
	closed := *c
	closed.Status = voci.StatusClosed
	_, err = w.p.DescribeQuestionPicture(ctx, &closed, frozen, "", "Altceva", nil)
	wantCode(t, "a closed consultation", err, voci.ECONFLICT)
}

func TestDeletedQuestionTakesItsPictures(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, _, _ := w.consultation(t, voci.ModeSelfPaced)
	q := &voci.Question{Kind: voci.KindSingle, Prompt: "Care?", Options: []voci.Option{{Label: "a"}, {Label: "b"}}}
	if err := w.p.AddQuestion(ctx, c, q, nil); err != nil {
		t.Fatal(err)
	}
	q, _ = w.p.SetQuestionPicture(ctx, c, q, "", png("1"), "Unu", nil)
	q, _ = w.p.SetQuestionPicture(ctx, c, q, q.Options[1].ID, png("2"), "Doi", nil)
	files := q.Pictures()
	if len(files) != 2 {
		t.Fatalf("pictures %v", files)
	}
	if err := w.p.DeleteQuestion(ctx, q, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if fileExists(t, w, f) {
			t.Fatalf("file %s of a deleted question stays", f)
		}
	}
}

func TestDuplicateConsultation(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, single, _ := w.consultation(t, voci.ModeSelfPaced, voci.ModeLive)
	c.AgeBands = []voci.AgeBand{voci.Age13to15}
	q, err := w.p.SetQuestionPicture(ctx, c, single, single.Options[1].ID, png("o"), "Copaci", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.FreezeQuestion(ctx, q.ID); err != nil {
		t.Fatal(err)
	}

	cp, err := w.p.DuplicateConsultation(ctx, "acct-2", c, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cp.ID == c.ID || cp.Title != "Parcul nostru (2)" || cp.Status != voci.StatusDraft || cp.CreatedBy != "acct-2" ||
		cp.Municipality != c.Municipality || len(cp.Modes) != 2 || cp.AgeBands[0] != voci.Age13to15 || !cp.SelfPacedUntil.Equal(c.SelfPacedUntil) {
		t.Fatalf("copy %+v", cp)
	}
	qs, _ := w.store.ListQuestions(ctx, cp.ID)
	if len(qs) != 2 || qs[0].ID == q.ID || qs[0].Frozen || qs[0].Revision != 1 || qs[1].Kind != voci.KindShortText {
		t.Fatalf("copied questions %+v", qs)
	}
	copied := qs[0].Options[1].Picture
	if copied.File == q.Options[1].Picture.File || copied.Alt != "Copaci" || !fileExists(t, w, copied.File) {
		t.Fatalf("copied picture %+v", copied)
	}
	_, data, _ := voci.ReadFile(ctx, w.store, copied.File)
	if string(data) != "\x89PNG o" {
		t.Fatalf("copied content %q", data)
	}
	// The original is untouched.
	if orig, _ := w.store.FindConsultationByID(ctx, c.ID); orig.Status != voci.StatusOpen {
		t.Fatalf("original %+v", orig)
	}

	// A long title keeps within 120 characters with its mark.
	c.Title = strings.Repeat("ă", 120)
	cp, err = w.p.DuplicateConsultation(ctx, "acct-2", c, "", nil)
	if err != nil || !strings.HasSuffix(cp.Title, voci.CopySuffix) || len([]rune(cp.Title)) != 120 {
		t.Fatalf("long title %q %v", cp.Title, err)
	}
	_, err = w.p.DuplicateConsultation(ctx, "acct-2", c, "x", nil)
	wantCode(t, "a title too short", err, voci.EINVALID)
}

func TestPictureWidth(t *testing.T) {
	for _, tt := range []struct{ w, own, want int }{{0, 800, 0}, {320, 800, 320}, {960, 800, 0}, {1280, 1280, 0}} {
		if got, err := voci.PictureWidth(tt.w, tt.own); err != nil || got != tt.want {
			t.Fatalf("PictureWidth(%d, %d) = %d, %v", tt.w, tt.own, got, err)
		}
	}
	_, err := voci.PictureWidth(500, 800)
	wantCode(t, "a width not offered", err, voci.EINVALID)
}
