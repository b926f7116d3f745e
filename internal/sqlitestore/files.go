package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Files live in the "files" folder beside the database file, one file per ID, in a
// subfolder named after the ID's first two characters so that no folder grows too large.
// Their records are rows of the files table.

func (s *Store) filesDir() string { return filepath.Join(filepath.Dir(s.path), "files") }

func (s *Store) filePath(id string) string {
	return filepath.Join(s.filesDir(), id[:min(2, len(id))], id)
}

// PutFile writes the content to a temporary file, syncs it and links it into place (a link,
// unlike a rename, never replaces a file another writer put there first), then writes its
// record: a crash leaves either no file or a whole one, and a record only for a whole file.
// ECONFLICT if the ID exists.
func (s *Store) PutFile(ctx context.Context, f *voci.File, content io.Reader) error {
	if err := f.Check(); err != nil {
		return err
	}
	if s.hasFile(ctx, f.ID) {
		return voci.Errorf(voci.ECONFLICT, "A file with this identifier already exists.")
	}
	dir := filepath.Dir(s.filePath(f.ID))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return storeError("put file", err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return storeError("put file", err)
	}
	defer os.Remove(tmp.Name()) // harmless once renamed
	size, err := io.Copy(tmp, content)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return storeError("put file", err)
	}
	err = os.Link(tmp.Name(), s.filePath(f.ID))
	if errors.Is(err, fs.ErrExist) && s.staleContent(ctx, f.ID) {
		os.Remove(s.filePath(f.ID))
		err = os.Link(tmp.Name(), s.filePath(f.ID))
	}
	if errors.Is(err, fs.ErrExist) {
		return voci.Errorf(voci.ECONFLICT, "A file with this identifier already exists.")
	}
	if err != nil {
		return storeError("put file", err)
	}
	syncDir(dir)
	f.Size = size
	_, err = s.write.ExecContext(ctx, `INSERT INTO files (id, municipality, purpose, content_type, size, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		f.ID, f.Municipality, f.Purpose, f.ContentType, f.Size, formatTime(f.CreatedAt))
	if err != nil {
		os.Remove(s.filePath(f.ID))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A file with this identifier already exists.")
		}
		return storeError("put file", err)
	}
	return nil
}

// staleContent reports whether the content under id has no record and was written long
// enough ago to be left by a crash, not by a writer about to add its record.
func (s *Store) staleContent(ctx context.Context, id string) bool {
	st, err := os.Stat(s.filePath(id))
	return err == nil && time.Since(st.ModTime()) > 10*time.Minute && !s.hasFile(ctx, id)
}

func (s *Store) hasFile(ctx context.Context, id string) bool {
	var n int
	err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM files WHERE id = ?`, id).Scan(&n)
	return err == nil && n > 0
}

// syncDir makes a rename in dir durable; where directories cannot be synced it does nothing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// OpenFile returns ENOTFOUND when there is no record or no content.
func (s *Store) OpenFile(ctx context.Context, id string) (*voci.File, io.ReadCloser, error) {
	if (&voci.File{ID: id, Purpose: "-", Municipality: 1}).Check() != nil {
		return nil, nil, voci.Errorf(voci.ENOTFOUND, "No such file.")
	}
	var f voci.File
	var created string
	err := s.read.QueryRowContext(ctx, `SELECT id, municipality, purpose, content_type, size, created_at FROM files WHERE id = ?`, id).
		Scan(&f.ID, &f.Municipality, &f.Purpose, &f.ContentType, &f.Size, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, voci.Errorf(voci.ENOTFOUND, "No such file.")
	}
	if err != nil {
		return nil, nil, storeError("open file", err)
	}
	if f.CreatedAt, err = parseTime(created); err != nil {
		return nil, nil, storeError("open file", err)
	}
	r, err := os.Open(s.filePath(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, voci.Errorf(voci.ENOTFOUND, "No such file.")
	}
	if err != nil {
		return nil, nil, storeError("open file", err)
	}
	return &f, r, nil
}

// DeleteFile removes the record, then the content; what is not there is not an error.
func (s *Store) DeleteFile(ctx context.Context, id string) error {
	if (&voci.File{ID: id, Purpose: "-", Municipality: 1}).Check() != nil {
		return nil
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM files WHERE id = ?`, id); err != nil {
		return storeError("delete file", err)
	}
	if err := os.Remove(s.filePath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return storeError("delete file", fmt.Errorf("remove %s: %w", id, err))
	}
	return nil
}
