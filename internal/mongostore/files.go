package mongostore

import (
	"context"
	"errors"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/gridfs"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Files are kept in GridFS, in the bucket "files" (collections files.files and files.chunks).
// GridFS writes a file's chunks first and its record last, so a reader never finds a record
// of a file half written; the record's metadata holds what voci.File says beyond its size.

const filesBucket = "files"

type fileMetadata struct {
	Municipality int       `bson:"municipality"`
	Purpose      string    `bson:"purpose"`
	ContentType  string    `bson:"contentType"`
	CreatedAt    time.Time `bson:"createdAt"`
}

type gridFile struct {
	ID       string       `bson:"_id"`
	Length   int64        `bson:"length"`
	Metadata fileMetadata `bson:"metadata"`
}

// bucket returns a GridFS bucket for one call. The driver's buckets take deadlines rather
// than contexts, and a deadline set on a shared bucket would reach other calls.
func (s *Store) bucket(ctx context.Context) (*gridfs.Bucket, error) {
	b, err := gridfs.NewBucket(s.db, options.GridFSBucket().SetName(filesBucket))
	if err != nil {
		return nil, storeError("files bucket", err)
	}
	if d, ok := ctx.Deadline(); ok {
		_ = b.SetWriteDeadline(d)
		_ = b.SetReadDeadline(d)
	}
	return b, nil
}

func (s *Store) findFile(ctx context.Context, id string) (*gridFile, error) {
	var f gridFile
	err := s.db.Collection(filesBucket+".files").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&f)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such file.")
	}
	if err != nil {
		return nil, storeError("find file", err)
	}
	return &f, nil
}

// PutFile uploads the content with f's record as the GridFS file's metadata; ECONFLICT if the
// ID exists. The existence check comes first: an upload that collides would, on failing,
// remove the chunks of the file it collided with.
func (s *Store) PutFile(ctx context.Context, f *voci.File, content io.Reader) error {
	if err := f.Check(); err != nil {
		return err
	}
	if _, err := s.findFile(ctx, f.ID); err == nil {
		return voci.Errorf(voci.ECONFLICT, "A file with this identifier already exists.")
	} else if voci.ErrorCode(err) != voci.ENOTFOUND {
		return err
	}
	b, err := s.bucket(ctx)
	if err != nil {
		return err
	}
	meta := fileMetadata{Municipality: f.Municipality, Purpose: f.Purpose, ContentType: f.ContentType, CreatedAt: f.CreatedAt.UTC()}
	counted := &countingReader{r: content}
	err = b.UploadFromStreamWithID(f.ID, f.ID, counted, options.GridFSUpload().SetMetadata(meta))
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A file with this identifier already exists.")
	}
	if err != nil {
		return storeError("put file", err)
	}
	f.Size = counted.n
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// OpenFile returns ENOTFOUND when there is no such file.
func (s *Store) OpenFile(ctx context.Context, id string) (*voci.File, io.ReadCloser, error) {
	g, err := s.findFile(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	b, err := s.bucket(ctx)
	if err != nil {
		return nil, nil, err
	}
	r, err := b.OpenDownloadStream(id)
	if errors.Is(err, gridfs.ErrFileNotFound) {
		return nil, nil, voci.Errorf(voci.ENOTFOUND, "No such file.")
	}
	if err != nil {
		return nil, nil, storeError("open file", err)
	}
	return &voci.File{ID: g.ID, Municipality: g.Metadata.Municipality, Purpose: g.Metadata.Purpose,
		ContentType: g.Metadata.ContentType, Size: g.Length, CreatedAt: g.Metadata.CreatedAt.UTC()}, r, nil
}

// DeleteFile removes the file's record, then its chunks; a file that is not there is not an
// error.
func (s *Store) DeleteFile(ctx context.Context, id string) error {
	b, err := s.bucket(ctx)
	if err != nil {
		return err
	}
	err = b.DeleteContext(ctx, id)
	if err != nil && !errors.Is(err, gridfs.ErrFileNotFound) {
		return storeError("delete file", err)
	}
	return nil
}
