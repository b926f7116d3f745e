package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

type throttleSlotDoc struct {
	ID          string    `bson:"_id"`
	WindowStart time.Time `bson:"windowStart"`
	WindowEnd   time.Time `bson:"windowEnd"`
	Uses        int       `bson:"uses"`
}

// TakeSlot counts one use of key in its window with one atomic upsert of one document (an
// update pipeline, MongoDB 4.2 and later): a window that has ended starts again at now with
// one use; otherwise the use is added. The use is within limit when the count it returns is.
// A TTL index deletes windows that ended.
func (s *Store) TakeSlot(ctx context.Context, key string, limit int, window time.Duration, now time.Time) (bool, time.Time, error) {
	now = now.UTC()
	ended := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "$eq", Value: bson.A{bson.D{{Key: "$type", Value: "$windowEnd"}}, "missing"}}},
		bson.D{{Key: "$lte", Value: bson.A{"$windowEnd", now}}},
	}}}
	cond := func(then, otherwise any) bson.D {
		return bson.D{{Key: "$cond", Value: bson.A{ended, then, otherwise}}}
	}
	// Every field of one $set stage is computed from the document as it was.
	update := bson.A{bson.D{{Key: "$set", Value: bson.D{
		{Key: "windowStart", Value: cond(now, "$windowStart")},
		{Key: "windowEnd", Value: cond(now.Add(window), "$windowEnd")},
		{Key: "uses", Value: cond(1, bson.D{{Key: "$add", Value: bson.A{"$uses", 1}}})},
	}}}}
	var doc throttleSlotDoc
	err := s.throttleSlots.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: key}}, update,
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&doc)
	if err != nil {
		return false, time.Time{}, storeError("take throttle slot", err)
	}
	return doc.Uses <= limit, doc.WindowEnd.UTC(), nil
}

type failureWindowDoc struct {
	ID          string    `bson:"_id"`
	WindowStart time.Time `bson:"windowStart"`
	WindowEnd   time.Time `bson:"windowEnd"`
	Failures    int       `bson:"failures"`
	Running     int       `bson:"running"`
	Granted     bool      `bson:"granted"`
}

func (d *failureWindowDoc) window() voci.FailureWindow {
	return voci.FailureWindow{Start: d.WindowStart.UTC(), End: d.WindowEnd.UTC(), Failures: d.Failures, Running: d.Running, Granted: d.Granted}
}

// windowEnded is true in an update pipeline when the document's window has ended by now (or
// the document is new).
func windowEnded(now time.Time) bson.D {
	return bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "$eq", Value: bson.A{bson.D{{Key: "$type", Value: "$windowEnd"}}, "missing"}}},
		bson.D{{Key: "$lte", Value: bson.A{"$windowEnd", now}}},
	}}}
}

// upsertFailures runs one update pipeline on key's window, upserting it, and returns the
// window after it.
func (s *Store) upsertFailures(ctx context.Context, op, key string, set bson.D) (voci.FailureWindow, error) {
	var doc failureWindowDoc
	err := s.throttleFailures.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: key}}, bson.A{bson.D{{Key: "$set", Value: set}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&doc)
	if err != nil {
		return voci.FailureWindow{}, storeError(op, err)
	}
	return doc.window(), nil
}

// ReserveAttempt takes a place with one atomic upsert of one document. Every field of one
// $set stage is computed from the document as it was, so "granted" and the new running count
// agree.
func (s *Store) ReserveAttempt(ctx context.Context, key string, limit int, window time.Duration, now time.Time) (voci.FailureWindow, error) {
	now = now.UTC()
	ended := windowEnded(now)
	cond := func(then, otherwise any) bson.D { return bson.D{{Key: "$cond", Value: bson.A{ended, then, otherwise}}} }
	open := bson.D{{Key: "$lt", Value: bson.A{bson.D{{Key: "$add", Value: bson.A{"$failures", "$running"}}}, limit}}}
	return s.upsertFailures(ctx, "reserve an attempt", key, bson.D{
		{Key: "windowStart", Value: cond(now, "$windowStart")},
		{Key: "windowEnd", Value: cond(now.Add(window), "$windowEnd")},
		{Key: "failures", Value: cond(0, "$failures")},
		{Key: "running", Value: cond(min(1, max(0, limit)), bson.D{{Key: "$cond", Value: bson.A{open, bson.D{{Key: "$add", Value: bson.A{"$running", 1}}}, "$running"}}})},
		{Key: "granted", Value: cond(limit > 0, open)},
	})
}

// FinishAttempt gives the place back in the window it was taken in, with one update.
func (s *Store) FinishAttempt(ctx context.Context, key string, start time.Time, failed bool) error {
	add := 0
	if failed {
		add = 1
	}
	_, err := s.throttleFailures.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "windowStart", Value: start.UTC()}},
		bson.A{bson.D{{Key: "$set", Value: bson.D{
			{Key: "running", Value: bson.D{{Key: "$max", Value: bson.A{0, bson.D{{Key: "$subtract", Value: bson.A{"$running", 1}}}}}}},
			{Key: "failures", Value: bson.D{{Key: "$add", Value: bson.A{"$failures", add}}}},
		}}}})
	return storeError("finish an attempt", err)
}

// AddFailure counts a failure with one atomic upsert, starting the window again when it has
// ended.
func (s *Store) AddFailure(ctx context.Context, key string, window time.Duration, now time.Time) (voci.FailureWindow, error) {
	now = now.UTC()
	ended := windowEnded(now)
	cond := func(then, otherwise any) bson.D { return bson.D{{Key: "$cond", Value: bson.A{ended, then, otherwise}}} }
	return s.upsertFailures(ctx, "count a failed attempt", key, bson.D{
		{Key: "windowStart", Value: cond(now, "$windowStart")},
		{Key: "windowEnd", Value: cond(now.Add(window), "$windowEnd")},
		{Key: "failures", Value: cond(1, bson.D{{Key: "$add", Value: bson.A{"$failures", 1}}})},
		{Key: "running", Value: cond(0, "$running")},
		{Key: "granted", Value: cond(false, "$granted")},
	})
}

// FindFailures reads key's window; no write on the way of an attempt that succeeds.
func (s *Store) FindFailures(ctx context.Context, key string, now time.Time) (voci.FailureWindow, error) {
	var doc failureWindowDoc
	err := s.throttleFailures.FindOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "windowEnd", Value: bson.D{{Key: "$gt", Value: now.UTC()}}}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return voci.FailureWindow{}, nil
	}
	if err != nil {
		return voci.FailureWindow{}, storeError("find failed attempts", err)
	}
	return doc.window(), nil
}
