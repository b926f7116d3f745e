package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"
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
