package mongostore

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Releases: one document per release in releases, unique on (period, version), so that of two
// runs that take the same next version one inserts and the other takes the one after. Cells
// are in releaseCells, one document per release and scope ({key: value}, null when hidden),
// written before the release's status turns published: readers read published releases
// only, so a crash between the two leaves a running release nobody reads, never half a
// published one.

type releaseDoc struct {
	ID         string     `bson:"_id"`
	Period     string     `bson:"period"`
	Kind       string     `bson:"kind"`
	Version    int        `bson:"version"`
	Status     string     `bson:"status"`
	Reason     string     `bson:"reason"`
	K          int        `bson:"k"`
	CreatedAt  time.Time  `bson:"createdAt"`
	FinishedAt *time.Time `bson:"finishedAt,omitempty"`
}

func (d *releaseDoc) release() voci.Release {
	r := voci.Release{ID: d.ID, Period: d.Period, Kind: voci.PeriodKind(d.Kind), Version: d.Version, Status: voci.ReleaseStatus(d.Status),
		Reason: d.Reason, K: d.K, CreatedAt: d.CreatedAt.UTC()}
	if d.FinishedAt != nil {
		r.FinishedAt = d.FinishedAt.UTC()
	}
	return r
}

type releaseCellsDoc struct {
	ID        string          `bson:"_id"` // release ID + " " + scope
	ReleaseID string          `bson:"releaseId"`
	Scope     string          `bson:"scope"`
	Cells     map[string]*int `bson:"cells"` // keys with "/" for ".", which field names avoid
}

func (s *Store) releases() *mongo.Collection     { return s.db.Collection("releases") }
func (s *Store) releaseCells() *mongo.Collection { return s.db.Collection("releaseCells") }

func (s *Store) releaseIndexes(ctx context.Context) error {
	for _, ix := range []struct {
		coll  *mongo.Collection
		model mongo.IndexModel
	}{
		{s.releases(), mongo.IndexModel{Keys: bson.D{{Key: "period", Value: 1}, {Key: "version", Value: 1}}, Options: options.Index().SetName("period_version_unique").SetUnique(true)}},
		{s.releases(), mongo.IndexModel{Keys: bson.D{{Key: "createdAt", Value: -1}, {Key: "version", Value: -1}}, Options: options.Index().SetName("createdAt_version")}},
		{s.releaseCells(), mongo.IndexModel{Keys: bson.D{{Key: "releaseId", Value: 1}, {Key: "scope", Value: 1}}, Options: options.Index().SetName("releaseId_scope")}},
	} {
		if _, err := ix.coll.Indexes().CreateOne(ctx, ix.model); err != nil {
			return storeError("create indexes on "+ix.coll.Name(), err)
		}
	}
	return nil
}

// CreateRelease reads the period's highest version and inserts the next; the unique index
// refuses a version another run took meanwhile, and the insert is tried with the next one.
func (s *Store) CreateRelease(ctx context.Context, r *voci.Release) error {
	for range 20 {
		var top releaseDoc
		err := s.releases().FindOne(ctx, bson.D{{Key: "period", Value: r.Period}},
			options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&top)
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
			return storeError("create release", err)
		}
		doc := releaseDoc{ID: r.ID, Period: r.Period, Kind: string(r.Kind), Version: top.Version + 1, Status: string(voci.ReleaseRunning),
			K: r.K, CreatedAt: r.CreatedAt.UTC()}
		_, err = s.releases().InsertOne(ctx, doc)
		if err == nil {
			r.Version, r.Status = doc.Version, voci.ReleaseRunning
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return storeError("create release", err)
		}
		if n, _ := s.releases().CountDocuments(ctx, bson.D{{Key: "_id", Value: r.ID}}); n > 0 {
			return voci.Errorf(voci.ECONFLICT, "A release with this ID exists.")
		}
	}
	return voci.Errorf(voci.EUNAVAILABLE, "Too many releases of %s are being made at once; try again.", r.Period)
}

// FinishRelease writes the cells, one document per scope, then the status with one update
// conditional on the release still running.
func (s *Store) FinishRelease(ctx context.Context, id string, status voci.ReleaseStatus, reason string, at time.Time, cells []voci.ReleaseCell) error {
	current, err := s.FindRelease(ctx, id)
	if err != nil {
		return err
	}
	if current.Status != voci.ReleaseRunning {
		return voci.Errorf(voci.ECONFLICT, "The release is not running any more.")
	}
	byScope := map[string]map[string]*int{}
	var order []string
	for _, c := range cells {
		m := byScope[c.Scope]
		if m == nil {
			m = map[string]*int{}
			byScope[c.Scope] = m
			order = append(order, c.Scope)
		}
		key := strings.ReplaceAll(c.Key, ".", "/")
		if c.Hidden {
			m[key] = nil
		} else {
			v := c.Value
			m[key] = &v
		}
	}
	for start := 0; start < len(order); start += 500 {
		var docs []any
		for _, scope := range order[start:min(start+500, len(order))] {
			docs = append(docs, releaseCellsDoc{ID: id + " " + scope, ReleaseID: id, Scope: scope, Cells: byScope[scope]})
		}
		// A retry after a crash finds some documents already there: they hold the same cells.
		if _, err := s.releaseCells().InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil && !mongo.IsDuplicateKeyError(err) {
			return storeError("finish release", err)
		}
	}
	res, err := s.releases().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: string(voci.ReleaseRunning)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(status)}, {Key: "reason", Value: reason}, {Key: "finishedAt", Value: at.UTC()}}}})
	if err != nil {
		return storeError("finish release", err)
	}
	if res.MatchedCount != 1 {
		return voci.Errorf(voci.ECONFLICT, "The release is not running any more.")
	}
	return nil
}

// FindRelease returns ENOTFOUND for an unknown ID.
func (s *Store) FindRelease(ctx context.Context, id string) (*voci.Release, error) {
	d, err := findOne[releaseDoc](ctx, s.releases(), bson.D{{Key: "_id", Value: id}}, "release")
	if err != nil {
		return nil, err
	}
	r := d.release()
	return &r, nil
}

// ListReleases returns the releases of a period ("" for all), newest first.
func (s *Store) ListReleases(ctx context.Context, period string) ([]voci.Release, error) {
	filter := bson.D{}
	if period != "" {
		filter = bson.D{{Key: "period", Value: period}}
	}
	var docs []releaseDoc
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "version", Value: -1}})
	if err := findAll(ctx, s.releases(), filter, opts, &docs); err != nil {
		return nil, storeError("list releases", err)
	}
	out := make([]voci.Release, len(docs))
	for i := range docs {
		out[i] = docs[i].release()
	}
	return out, nil
}

// LatestPublishedRelease returns ENOTFOUND when the period has no published release.
func (s *Store) LatestPublishedRelease(ctx context.Context, period string) (*voci.Release, error) {
	var d releaseDoc
	err := s.releases().FindOne(ctx, bson.D{{Key: "period", Value: period}, {Key: "status", Value: string(voci.ReleasePublished)}},
		options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No release of %s is published.", period)
	}
	if err != nil {
		return nil, storeError("latest release", err)
	}
	r := d.release()
	return &r, nil
}

// ReleaseCells reads a release's cells, in the scopes given (all when nil).
func (s *Store) ReleaseCells(ctx context.Context, releaseID string, scopes []string) ([]voci.ReleaseCell, error) {
	filter := bson.D{{Key: "releaseId", Value: releaseID}}
	if scopes != nil {
		if len(scopes) == 0 {
			return nil, nil
		}
		filter = append(filter, bson.E{Key: "scope", Value: bson.D{{Key: "$in", Value: scopes}}})
	}
	cur, err := s.releaseCells().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "scope", Value: 1}}))
	if err != nil {
		return nil, storeError("release cells", err)
	}
	defer cur.Close(ctx)
	var out []voci.ReleaseCell
	for cur.Next(ctx) {
		var d releaseCellsDoc
		if err := cur.Decode(&d); err != nil {
			return nil, storeError("release cells", err)
		}
		for key, v := range d.Cells {
			c := voci.ReleaseCell{Scope: d.Scope, Key: strings.ReplaceAll(key, "/", "."), Hidden: v == nil}
			if v != nil {
				c.Value = *v
			}
			out = append(out, c)
		}
	}
	return out, storeError("release cells", cur.Err())
}
