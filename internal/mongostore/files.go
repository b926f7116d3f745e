package mongostore

import (
	"context"
	"errors"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/gridfs"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// A file's content is kept in GridFS (bucket "fileContents"), uploaded under an ObjectID of
// its own, and its record in the files collection (its _id is the file's ID) is inserted
// once the content is whole. The record's unique _id decides between two writers of one ID:
// the one whose insert fails removes the content it uploaded. A crash between the upload and
// the record leaves content nothing refers to, never a record without content.

const contentsBucket = "fileContents"

type fileDoc struct {
	ID           string             `bson:"_id"`
	Content      primitive.ObjectID `bson:"content"`
	Municipality int                `bson:"municipality"`
	Purpose      string             `bson:"purpose"`
	ContentType  string             `bson:"contentType"`
	Size         int64              `bson:"size"`
	CreatedAt    time.Time          `bson:"createdAt"`
}

// bucket returns a GridFS bucket for one call. The driver's buckets take deadlines rather
// than contexts, and a deadline set on a shared bucket would reach other calls.
func (s *Store) bucket(ctx context.Context) (*gridfs.Bucket, error) {
	b, err := gridfs.NewBucket(s.db, options.GridFSBucket().SetName(contentsBucket))
	if err != nil {
		return nil, storeError("files bucket", err)
	}
	if d, ok := ctx.Deadline(); ok {
		_ = b.SetWriteDeadline(d)
		_ = b.SetReadDeadline(d)
	}
	return b, nil
}

func (s *Store) files() *mongo.Collection { return s.db.Collection("files") }

// PutFile uploads the content, then inserts the record; ECONFLICT if the ID exists.
func (s *Store) PutFile(ctx context.Context, f *voci.File, content io.Reader) error {
	if err := f.Check(); err != nil {
		return err
	}
	if n, err := s.files().CountDocuments(ctx, bson.D{{Key: "_id", Value: f.ID}}); err != nil {
		return storeError("put file", err)
	} else if n > 0 {
		return voci.Errorf(voci.ECONFLICT, "A file with this identifier already exists.")
	}
	b, err := s.bucket(ctx)
	if err != nil {
		return err
	}
	counted := &countingReader{r: content}
	gridID, err := b.UploadFromStream(f.ID, counted)
	if err != nil {
		return storeError("put file", err)
	}
	f.Size = counted.n
	_, err = s.files().InsertOne(ctx, fileDoc{ID: f.ID, Content: gridID, Municipality: f.Municipality, Purpose: f.Purpose,
		ContentType: f.ContentType, Size: f.Size, CreatedAt: f.CreatedAt.UTC()})
	if err != nil {
		_ = b.DeleteContext(ctx, gridID)
		if mongo.IsDuplicateKeyError(err) {
			return voci.Errorf(voci.ECONFLICT, "A file with this identifier already exists.")
		}
		return storeError("put file", err)
	}
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
	var d fileDoc
	err := s.files().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil, voci.Errorf(voci.ENOTFOUND, "No such file.")
	}
	if err != nil {
		return nil, nil, storeError("open file", err)
	}
	b, err := s.bucket(ctx)
	if err != nil {
		return nil, nil, err
	}
	r, err := b.OpenDownloadStream(d.Content)
	if errors.Is(err, gridfs.ErrFileNotFound) {
		return nil, nil, voci.Errorf(voci.ENOTFOUND, "No such file.")
	}
	if err != nil {
		return nil, nil, storeError("open file", err)
	}
	return &voci.File{ID: d.ID, Municipality: d.Municipality, Purpose: d.Purpose, ContentType: d.ContentType,
		Size: d.Size, CreatedAt: d.CreatedAt.UTC()}, r, nil
}

// DeleteFile removes the record, then the content; a file that is not there is not an error.
func (s *Store) DeleteFile(ctx context.Context, id string) error {
	var d fileDoc
	err := s.files().FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil
	}
	if err != nil {
		return storeError("delete file", err)
	}
	b, err := s.bucket(ctx)
	if err != nil {
		return err
	}
	if err := b.DeleteContext(ctx, d.Content); err != nil && !errors.Is(err, gridfs.ErrFileNotFound) {
		return storeError("delete file", err)
	}
	return nil
}
