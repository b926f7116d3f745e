package voci

import (
	"context"
	"io"
	"strings"
	"time"
)

// File is the record of a stored file: what it is, whose it is and how to serve it. Its
// content is kept by the FileStore beside the record.
type File struct {
	ID string
	// Municipality owns the file: only its people change it, and a copy stays with it.
	Municipality int
	// Purpose says what the file is for ("picture", an agenda's "attachment", …), so that a
	// route serving one kind of file never serves another.
	Purpose     string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// File purposes.
const (
	FilePicture = "picture" // a picture of a question or option, as re-encoded by Voci
)

// FileStore keeps files: on disk beside the embedded store, in GridFS with MongoDB. A file is
// written whole or not at all, and never changes: a new version is a new file.
type FileStore interface {
	// PutFile stores content under f.ID with f's record; Size is set from the bytes written.
	// ECONFLICT if the ID exists; EINVALID without an ID, purpose or municipality.
	PutFile(ctx context.Context, f *File, content io.Reader) error
	// OpenFile returns the record and the content of a file; the caller closes the content.
	// ENOTFOUND when there is no such file.
	OpenFile(ctx context.Context, id string) (*File, io.ReadCloser, error)
	// DeleteFile removes a file; removing a file that is not there is harmless.
	DeleteFile(ctx context.Context, id string) error
}

// ReadFile returns the record and the whole content of a small file (a picture). ENOTFOUND
// when there is no such file.
func ReadFile(ctx context.Context, fs FileStore, id string) (*File, []byte, error) {
	f, r, err := fs.OpenFile(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, Errorf(EINTERNAL, "read file %s: %v", id, err)
	}
	return f, b, nil
}

// Check is the rule every FileStore applies before writing: EINVALID without an ID of at most
// 64 lower-case letters, digits, '-' and '_' (safe as a file name), a purpose or a
// municipality.
func (f *File) Check() error {
	switch {
	case f.ID == "" || len(f.ID) > 64 || strings.Trim(f.ID, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "":
		return InvalidParam("id", "A file needs an identifier of at most 64 lower-case letters, digits, '-' and '_'.")
	case f.Purpose == "":
		return InvalidParam("purpose", "A file needs a purpose.")
	case f.Municipality <= 0:
		return InvalidParam("municipality", "A file belongs to a municipality.")
	}
	return nil
}
