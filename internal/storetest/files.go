package storetest

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// The file contract: a file is stored whole with its record, read back as written, never
// replaced by a second file with its ID, and deleted without a trace; pictures travel with
// their questions and options.

func testFiles(t *testing.T, s voci.Store) {
	ctx := t.Context()
	content := bytes.Repeat([]byte("voci\x00\xff"), 100_000) // 600 kB: several GridFS chunks
	f := &voci.File{ID: "file-one", Municipality: 20297, Purpose: voci.FilePicture, ContentType: "image/png", CreatedAt: liveStart}
	if err := s.PutFile(ctx, f, bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	if f.Size != int64(len(content)) {
		t.Fatalf("size %d, want %d", f.Size, len(content))
	}
	got, data, err := voci.ReadFile(ctx, s, "file-one")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, content) {
		t.Fatalf("read %d bytes, not what was written", len(data))
	}
	want := voci.File{ID: "file-one", Municipality: 20297, Purpose: voci.FilePicture, ContentType: "image/png", Size: int64(len(content)), CreatedAt: liveStart}
	if got.CreatedAt = got.CreatedAt.Truncate(1e6); *got != want {
		t.Fatalf("record %+v, want %+v", *got, want)
	}

	// A second file with the ID is refused and the first stays as it was.
	err = s.PutFile(ctx, &voci.File{ID: "file-one", Municipality: 20297, Purpose: voci.FilePicture, ContentType: "image/jpeg", CreatedAt: liveStart}, strings.NewReader("other"))
	wantCode(t, "a second file with the same ID", err, voci.ECONFLICT)
	if _, data, _ := voci.ReadFile(ctx, s, "file-one"); !bytes.Equal(data, content) {
		t.Fatal("a refused file changed the stored one")
	}

	// Records without an ID, purpose or municipality, and IDs unsafe as file names.
	for _, bad := range []voci.File{{ID: "", Municipality: 1, Purpose: "p"}, {ID: "x", Municipality: 1}, {ID: "x", Purpose: "p"},
		{ID: "../etc", Municipality: 1, Purpose: "p"}, {ID: "A", Municipality: 1, Purpose: "p"}} {
		wantCode(t, "a bad record "+bad.ID, s.PutFile(ctx, &bad, strings.NewReader("x")), voci.EINVALID)
	}

	// An empty file is a file.
	if err := s.PutFile(ctx, &voci.File{ID: "file-empty", Municipality: 20297, Purpose: "attachment", ContentType: "text/plain", CreatedAt: liveStart}, strings.NewReader("")); err != nil {
		t.Fatal(err)
	}
	if f, data, err := voci.ReadFile(ctx, s, "file-empty"); err != nil || len(data) != 0 || f.Size != 0 || f.Purpose != "attachment" {
		t.Fatalf("empty file: %+v %d %v", f, len(data), err)
	}

	// Deleted: gone, and deleting again, or what never was, is harmless.
	if err := s.DeleteFile(ctx, "file-one"); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.OpenFile(ctx, "file-one")
	wantCode(t, "a deleted file", err, voci.ENOTFOUND)
	for _, id := range []string{"file-one", "never-was", "../x"} {
		if err := s.DeleteFile(ctx, id); err != nil {
			t.Fatalf("deleting %q: %v", id, err)
		}
	}
	_, _, err = s.OpenFile(ctx, "../x")
	wantCode(t, "an ID unsafe as a file name", err, voci.ENOTFOUND)
	// The ID is free again.
	if err := s.PutFile(ctx, &voci.File{ID: "file-one", Municipality: 20297, Purpose: voci.FilePicture, ContentType: "image/png", CreatedAt: liveStart}, strings.NewReader("again")); err != nil {
		t.Fatal(err)
	}
	if _, data, _ := voci.ReadFile(ctx, s, "file-one"); string(data) != "again" {
		t.Fatalf("after deleting and writing again: %q", data)
	}
}

// A failing reader stores nothing.
func testFileFailedUpload(t *testing.T, s voci.Store) {
	ctx := t.Context()
	err := s.PutFile(ctx, &voci.File{ID: "file-broken", Municipality: 20297, Purpose: voci.FilePicture, ContentType: "image/png", CreatedAt: liveStart},
		io.MultiReader(bytes.NewReader(make([]byte, 300_000)), failingReader{}))
	if err == nil {
		t.Fatal("an upload whose reader failed was stored")
	}
	_, _, err = s.OpenFile(ctx, "file-broken")
	wantCode(t, "a file whose upload failed", err, voci.ENOTFOUND)
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// Of concurrent writers of one ID, exactly one succeeds and the file is whole.
func testConcurrentPutFile(t *testing.T, s voci.Store) {
	ctx := t.Context()
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 6 {
		wg.Go(func() {
			body := bytes.Repeat([]byte{byte('a' + i)}, 50_000)
			err := s.PutFile(ctx, &voci.File{ID: "file-race", Municipality: 20297, Purpose: voci.FilePicture, ContentType: "image/png", CreatedAt: liveStart}, bytes.NewReader(body))
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if voci.ErrorCode(err) != voci.ECONFLICT {
				t.Errorf("writer %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d writers succeeded, want 1", ok)
	}
	_, data, err := voci.ReadFile(ctx, s, "file-race")
	if err != nil || len(data) != 50_000 || bytes.Count(data, data[:1]) != 50_000 {
		t.Fatalf("the file is not one writer's whole content: %d bytes, %v", len(data), err)
	}
}

func testQuestionPictures(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-pic")
	q := newQuestion(t, s, c, "q-pic", 0)
	if got, _ := s.FindQuestionByID(ctx, q.ID); !got.Picture.IsZero() || !got.Options[0].Picture.IsZero() {
		t.Fatalf("a new question has pictures: %+v", got)
	}
	next := *q
	next.Options = []voci.Option{q.Options[0], q.Options[1]}
	next.Picture = voci.Picture{File: "file-q", Alt: "Parcul din centru", Width: 1280, Height: 720}
	next.Options[1].Picture = voci.Picture{File: "file-o", Alt: "Copaci", Width: 640, Height: 480}
	next.Revision = 2
	if err := s.UpdateQuestion(ctx, &next, nil); err != nil {
		t.Fatal(err)
	}
	for _, got := range []func() (*voci.Question, error){
		func() (*voci.Question, error) { return s.FindQuestionByID(ctx, q.ID) },
		func() (*voci.Question, error) { qs, err := s.ListQuestions(ctx, c.ID); return &qs[0], err },
	} {
		g, err := got()
		if err != nil {
			t.Fatal(err)
		}
		if g.Picture != next.Picture || g.Options[1].Picture != next.Options[1].Picture || !g.Options[0].Picture.IsZero() {
			t.Fatalf("pictures read back: %+v / %+v", g.Picture, g.Options)
		}
	}
	// Created with pictures (a duplicated question), and removed.
	cp := next
	cp.ID, cp.Revision = "q-pic-copy", 1
	if err := s.CreateQuestion(ctx, &cp, nil); err != nil {
		t.Fatal(err)
	}
	if g, _ := s.FindQuestionByID(ctx, cp.ID); g.Picture != next.Picture || g.Options[1].Picture != next.Options[1].Picture {
		t.Fatalf("created with pictures: %+v", g)
	}
	none := next
	none.Options = []voci.Option{q.Options[0], q.Options[1]}
	none.Picture, none.Revision = voci.Picture{}, 3
	if err := s.UpdateQuestion(ctx, &none, nil); err != nil {
		t.Fatal(err)
	}
	if g, _ := s.FindQuestionByID(ctx, q.ID); !g.Picture.IsZero() || !g.Options[1].Picture.IsZero() {
		t.Fatalf("pictures removed, still read: %+v", g)
	}
}
