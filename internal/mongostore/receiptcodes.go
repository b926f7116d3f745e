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

// Receipt codes: one document per code in receiptCodes, its _id the code's hash (so the hash
// is unique by the _id index), and one document of answer-back tallies per consultation in
// receiptAnswerBack.

// receiptCodeDoc holds no participant, session, answer or time of day.
type receiptCodeDoc struct {
	Hash                  string `bson:"_id"`
	ConsultationID        string `bson:"consultationId"`
	Municipality          int    `bson:"municipality"`
	IssuedOn              string `bson:"issuedOn"` // YYYY-MM-DD, UTC
	Lang                  string `bson:"lang"`
	OpenedAfterFeedbackOn string `bson:"openedAfterFeedbackOn"` // "" until opened after feedback
	AnsweredBack          bool   `bson:"answeredBack"`
}

func (d *receiptCodeDoc) receipt() (*voci.Receipt, error) {
	r := &voci.Receipt{Hash: d.Hash, ConsultationID: d.ConsultationID, Municipality: d.Municipality, Lang: voci.Lang(d.Lang), AnsweredBack: d.AnsweredBack}
	var err error
	if r.IssuedOn, err = time.Parse(time.DateOnly, d.IssuedOn); err != nil {
		return nil, err
	}
	if d.OpenedAfterFeedbackOn != "" {
		if r.OpenedAfterFeedbackOn, err = time.Parse(time.DateOnly, d.OpenedAfterFeedbackOn); err != nil {
			return nil, err
		}
	}
	return r, nil
}

type receiptAnswerBackDoc struct {
	ConsultationID string `bson:"_id"`
	Clear          int    `bson:"clear"`
	NotClear       int    `bson:"notClear"`
	Agree          int    `bson:"agree"`
	Disagree       int    `bson:"disagree"`
}

func (s *Store) receiptCodes() *mongo.Collection      { return s.db.Collection("receiptCodes") }
func (s *Store) receiptAnswerBack() *mongo.Collection { return s.db.Collection("receiptAnswerBack") }

// receiptIndexes: the consultation's receipts are counted through an index.
func (s *Store) receiptIndexes(ctx context.Context) error {
	model := mongo.IndexModel{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "openedAfterFeedbackOn", Value: 1}},
		Options: options.Index().SetName("consultationId_opened")}
	if _, err := s.receiptCodes().Indexes().CreateOne(ctx, model); err != nil {
		return storeError("create indexes on receiptCodes", err)
	}
	return nil
}

// IssueReceipt inserts the receipt once: one upsert that sets the fields only on insert, so
// that of two concurrent issues of one code one inserts and the other reads it.
func (s *Store) IssueReceipt(ctx context.Context, r *voci.Receipt) (*voci.Receipt, bool, error) {
	d := receiptCodeDoc{Hash: r.Hash, ConsultationID: r.ConsultationID, Municipality: r.Municipality,
		IssuedOn: r.IssuedOn.UTC().Format(time.DateOnly), Lang: string(r.Lang)}
	update := bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "consultationId", Value: d.ConsultationID}, {Key: "municipality", Value: d.Municipality},
		{Key: "issuedOn", Value: d.IssuedOn}, {Key: "lang", Value: d.Lang}, {Key: "openedAfterFeedbackOn", Value: ""}, {Key: "answeredBack", Value: false}}}}
	res, err := s.receiptCodes().UpdateOne(ctx, bson.D{{Key: "_id", Value: r.Hash}}, update, options.Update().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// Two upserts raced on one _id: the other one inserted it.
		res, err = &mongo.UpdateResult{}, nil
	}
	if err != nil {
		return nil, false, storeError("issue receipt", err)
	}
	if res.UpsertedCount == 1 {
		stored := *r
		stored.IssuedOn, _ = time.Parse(time.DateOnly, d.IssuedOn)
		stored.OpenedAfterFeedbackOn, stored.AnsweredBack = time.Time{}, false
		return &stored, true, nil
	}
	stored, err := s.FindReceiptByHash(ctx, r.Hash)
	return stored, false, err
}

// FindReceiptByHash returns ENOTFOUND when no receipt has that hash.
func (s *Store) FindReceiptByHash(ctx context.Context, hash string) (*voci.Receipt, error) {
	d, err := findOne[receiptCodeDoc](ctx, s.receiptCodes(), bson.D{{Key: "_id", Value: hash}}, "receipt")
	if err != nil {
		return nil, err
	}
	return d.receipt()
}

// MarkReceiptOpenedAfterFeedback sets the day once, in one conditional update.
func (s *Store) MarkReceiptOpenedAfterFeedback(ctx context.Context, hash string, on time.Time) (bool, error) {
	res, err := s.receiptCodes().UpdateOne(ctx, bson.D{{Key: "_id", Value: hash}, {Key: "openedAfterFeedbackOn", Value: ""}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "openedAfterFeedbackOn", Value: on.UTC().Format(time.DateOnly)}}}})
	if err != nil {
		return false, storeError("mark receipt opened", err)
	}
	if res.ModifiedCount == 1 {
		return true, nil
	}
	if _, err := s.FindReceiptByHash(ctx, hash); err != nil {
		return false, err
	}
	return false, nil
}

// RecordReceiptAnswerBack marks the receipt answered with one conditional update, then adds
// the answer to its consultation's tallies with one $inc. MongoDB is used without
// multi-document transactions: a crash between the two leaves the receipt answered and the
// answer uncounted, so a tally may fall one short, never count one twice.
func (s *Store) RecordReceiptAnswerBack(ctx context.Context, hash string, a voci.ReceiptAnswerBack) error {
	var d receiptCodeDoc
	err := s.receiptCodes().FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: hash}, {Key: "answeredBack", Value: false}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "answeredBack", Value: true}}}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		if _, err := s.FindReceiptByHash(ctx, hash); err != nil {
			return err
		}
		return voci.ReceiptAnsweredError()
	}
	if err != nil {
		return storeError("answer back", err)
	}
	one := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	inc := bson.D{{Key: "clear", Value: one(a.Clarity == voci.Clear)}, {Key: "notClear", Value: one(a.Clarity == voci.NotClear)},
		{Key: "agree", Value: one(a.Agreement == voci.Agree)}, {Key: "disagree", Value: one(a.Agreement == voci.Disagree)}}
	_, err = s.receiptAnswerBack().UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ConsultationID}}, bson.D{{Key: "$inc", Value: inc}},
		options.Update().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// Two first answers of one consultation raced to create its tallies: the second $inc
		// now finds the document.
		_, err = s.receiptAnswerBack().UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ConsultationID}}, bson.D{{Key: "$inc", Value: inc}})
	}
	return storeError("count answer back", err)
}

// CountReceipts counts the consultation's receipts and reads its tallies.
func (s *Store) CountReceipts(ctx context.Context, consultationID string) (voci.ReceiptCounts, error) {
	var c voci.ReceiptCounts
	issued, err := s.receiptCodes().CountDocuments(ctx, bson.D{{Key: "consultationId", Value: consultationID}})
	if err != nil {
		return c, storeError("count receipts", err)
	}
	opened, err := s.receiptCodes().CountDocuments(ctx, bson.D{{Key: "consultationId", Value: consultationID},
		{Key: "openedAfterFeedbackOn", Value: bson.D{{Key: "$ne", Value: ""}}}})
	if err != nil {
		return c, storeError("count receipts", err)
	}
	c.Issued, c.OpenedAfterFeedback = int(issued), int(opened)
	var d receiptAnswerBackDoc
	err = s.receiptAnswerBack().FindOne(ctx, bson.D{{Key: "_id", Value: consultationID}}).Decode(&d)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return c, storeError("count answer back", err)
	}
	c.Clear, c.NotClear, c.Agree, c.Disagree = d.Clear, d.NotClear, d.Agree, d.Disagree
	return c, nil
}
