// Package mongostore is Voci's production store on MongoDB (go.mongodb.org/mongo-driver v1).
//
// It keeps to what every MongoDB deployment offers, so that it runs on a standalone server, a
// replica set and MongoDB-compatible services alike: single-document atomic writes, unique
// indexes and idempotent upserts. There are no multi-document transactions and no change
// streams. That shapes the documents: an account is one document with its roles embedded, so
// that creating or updating it is one atomic write.
//
// Writes use write concern majority with journaling, so an acknowledged write survives the
// loss of the primary; reads use read concern majority, so nothing read can be rolled back.
//
// Document types (with their bson tags) live here and nowhere else; the domain's types carry
// no tags. Natural keys are the documents' _id: the SIRUTA code of a municipality, the county
// code of a county, the account ID. The _id index is unique and cannot be dropped, so it
// doubles as the uniqueness guarantee for those keys.
//
// The driver connects lazily: Open does not talk to the server, so a platform whose database
// is down still starts, reports not ready (Ping returns EUNAVAILABLE) and recovers when the
// database comes back. Call Migrate after Open to create the indexes.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/mongo/readconcern"
	"go.mongodb.org/mongo-driver/mongo/readpref"
	"go.mongodb.org/mongo-driver/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/x/mongo/driver/connstring"
	"go.mongodb.org/mongo-driver/x/mongo/driver/topology"

	"github.com/voci-platform/voci/internal/voci"
)

// DefaultDatabase is the database used when the URI names none.
const DefaultDatabase = "voci"

// closeTimeout bounds how long Close waits for in-flight operations and connections to end.
const closeTimeout = 10 * time.Second

// Store implements voci.Store on one MongoDB database. It is safe for concurrent use.
type Store struct {
	client         *mongo.Client
	db             *mongo.Database
	counties       *mongo.Collection
	municipalities *mongo.Collection
	accounts       *mongo.Collection
	sessions       *mongo.Collection
	audit          *mongo.Collection
	invitations    *mongo.Collection
	passwordResets *mongo.Collection
	consultations  *mongo.Collection
	questions      *mongo.Collection
	liveSessions   *mongo.Collection
	participants   *mongo.Collection
	answers        *mongo.Collection
	answerReceipts *mongo.Collection
	helpRequests   *mongo.Collection
	helpNotices    *mongo.Collection
	ideaReactions  *mongo.Collection

	selfPacedLinks        *mongo.Collection
	selfPacedParticipants *mongo.Collection
	groupFacts            *mongo.Collection
	recommendations       *mongo.Collection
	themes                *mongo.Collection
	decisions             *mongo.Collection
	decisionEntries       *mongo.Collection
	feedback              *mongo.Collection

	// noLegacyReceipts is set by Migrate when answerReceipts (receipts of earlier versions,
	// never written now) is empty, so that a new answer does not look there.
	noLegacyReceipts atomic.Bool
	throttleSlots    *mongo.Collection
	throttleFailures *mongo.Collection
}

var _ voci.Store = (*Store)(nil)

// Open prepares a store on the database named in the URI's path (DefaultDatabase when the
// path is empty). It does not contact the server (beyond the DNS lookup of a mongodb+srv
// URI), so it fails only for a malformed URI or invalid options; an unreachable server shows
// later as EUNAVAILABLE. The returned error is not a *voci.Error: it is a start-up failure.
func Open(ctx context.Context, uri string) (*Store, error) {
	cs, err := connstring.ParseAndValidate(uri)
	if err != nil {
		return nil, fmt.Errorf("open mongodb store: %w", err)
	}
	name := cs.Database
	if name == "" {
		name = DefaultDatabase
	}
	return OpenDatabase(ctx, uri, name)
}

// OpenDatabase is Open with the database named explicitly; the URI's path is then ignored.
// Tests use it to work in a fresh database. Write concern (majority, journaled) and read
// concern (majority) are set here and override w, journal and readConcernLevel in the URI:
// durability is a property of the platform, not of a deployment's connection string.
func OpenDatabase(ctx context.Context, uri, database string) (*Store, error) {
	if database == "" {
		return nil, errors.New("open mongodb store: no database name given")
	}
	wc := writeconcern.Majority()
	journal := true
	wc.Journal = &journal
	opts := options.Client().
		ApplyURI(uri).
		SetWriteConcern(wc).
		SetReadConcern(readconcern.Majority())
	client, err := mongo.Connect(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("open mongodb store: %w", err)
	}
	db := client.Database(database)
	return &Store{
		client:         client,
		db:             db,
		counties:       db.Collection("counties"),
		municipalities: db.Collection("municipalities"),
		accounts:       db.Collection("accounts"),
		sessions:       db.Collection("sessions"),
		audit:          db.Collection("audit"),
		invitations:    db.Collection("invitations"),
		passwordResets: db.Collection("passwordResets"),
		consultations:  db.Collection("consultations"),
		questions:      db.Collection("questions"),
		liveSessions:   db.Collection("liveSessions"),
		participants:   db.Collection("participants"),
		answers:        db.Collection("answers"),
		answerReceipts: db.Collection("answerReceipts"),
		helpRequests:   db.Collection("helpRequests"),
		helpNotices:    db.Collection("helpNotices"),
		ideaReactions:  db.Collection("ideaReactions"),

		selfPacedLinks:        db.Collection("selfPacedLinks"),
		selfPacedParticipants: db.Collection("selfPacedParticipants"),
		groupFacts:            db.Collection("groupFacts"),
		recommendations:       db.Collection("recommendations"),
		themes:                db.Collection("themes"),
		decisions:             db.Collection("decisions"),
		decisionEntries:       db.Collection("decisionEntries"),
		feedback:              db.Collection("feedback"),
		throttleSlots:         db.Collection("throttleSlots"),
		throttleFailures:      db.Collection("throttleFailures"),
	}, nil
}

// DatabaseName returns the name of the database the store works in.
func (s *Store) DatabaseName() string { return s.db.Name() }

// Close disconnects from the server, waiting at most closeTimeout for operations in flight.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return s.client.Disconnect(ctx)
}

// Ping asks the primary to answer. It returns EUNAVAILABLE when it does not, whatever the
// reason (unreachable, timed out, refused).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("%w (%w)", voci.Errorf(voci.EUNAVAILABLE, "The database cannot be reached."), err)
	}
	return nil
}

// Migrate creates the indexes the store relies on: the unique email of accounts (which is
// what makes CreateAccount safe under concurrency), the unique SIRUTA code of counties, the
// unique token hash of invitations (a link finds exactly one), and
// the indexes behind every listing (municipalities, an account's sessions, the audit trail),
// each ending in the listing's order. It also strips the copies of answers (children's text)
// that receipts of earlier versions held. Creating an
// index that exists with the same definition is a no-op, so Migrate is idempotent. It returns
// EUNAVAILABLE when the server cannot be reached.
func (s *Store) Migrate(ctx context.Context) error {
	indexes := []struct {
		coll   *mongo.Collection
		models []mongo.IndexModel
	}{
		{s.accounts, []mongo.IndexModel{
			{Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetName("email_unique").SetUnique(true)},
			{Keys: bson.D{{Key: "roles.municipality", Value: 1}, {Key: "email", Value: 1}}, Options: options.Index().SetName("roles.municipality_email")},
		}},
		{s.invitations, []mongo.IndexModel{
			{Keys: bson.D{{Key: "tokenHash", Value: 1}}, Options: options.Index().SetName("tokenHash_unique").SetUnique(true)},
			{Keys: bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("createdAt")},
			{Keys: bson.D{{Key: "roles.municipality", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("roles.municipality_createdAt")},
		}},
		{s.passwordResets, []mongo.IndexModel{
			{Keys: bson.D{{Key: "accountId", Value: 1}}, Options: options.Index().SetName("accountId")},
		}},
		{s.counties, []mongo.IndexModel{
			{Keys: bson.D{{Key: "siruta", Value: 1}}, Options: options.Index().SetName("siruta_unique").SetUnique(true)},
			{Keys: bson.D{{Key: "searchKey", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("searchKey")},
		}},
		{s.municipalities, []mongo.IndexModel{
			{Keys: bson.D{{Key: "searchKey", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("searchKey")},
			{Keys: bson.D{{Key: "countyCode", Value: 1}, {Key: "searchKey", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("countyCode_searchKey")},
			{Keys: bson.D{{Key: "enrolled", Value: 1}, {Key: "searchKey", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("enrolled_searchKey")},
		}},
		{s.sessions, []mongo.IndexModel{
			{Keys: bson.D{{Key: "accountId", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("accountId_createdAt")},
		}},
		{s.audit, []mongo.IndexModel{
			{Keys: bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("at")},
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "at", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("municipality_at")},
			{Keys: bson.D{{Key: "actorId", Value: 1}, {Key: "at", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("actorId_at")},
			{Keys: bson.D{{Key: "action", Value: 1}, {Key: "at", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("action_at")},
		}},
		{s.consultations, []mongo.IndexModel{
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("municipality_createdAt")},
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "acknowledgedBy", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("municipality_acknowledgedBy_createdAt")},
			// openKey is the participant's ID while a request it asked for is open, absent
			// otherwise; answerId only on a request an answer raised: sparse + unique makes one
			// open request per child, and one request per answer, however presses race.
			{Keys: bson.D{{Key: "openKey", Value: 1}}, Options: options.Index().SetName("openKey_unique").SetUnique(true).SetSparse(true)},
			{Keys: bson.D{{Key: "answerId", Value: 1}}, Options: options.Index().SetName("answerId_unique").SetUnique(true).SetSparse(true)},
		}},
		{s.helpNotices, []mongo.IndexModel{
			{Keys: bson.D{{Key: "sent", Value: 1}, {Key: "dueAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("sent_dueAt")},
			{Keys: bson.D{{Key: "requestId", Value: 1}, {Key: "sent", Value: 1}}, Options: options.Index().SetName("requestId_sent")},
		}},
		{s.questions, []mongo.IndexModel{
			{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "position", Value: 1}, {Key: "createdAt", Value: 1}}, Options: options.Index().SetName("consultationId_position")},
		}},
		{s.liveSessions, []mongo.IndexModel{
			// activeCode is present only while a session has not ended: sparse + unique makes a
			// join code unique among active sessions on every MongoDB and compatible server.
			{Keys: bson.D{{Key: "activeCode", Value: 1}}, Options: options.Index().SetName("activeCode_unique").SetUnique(true).SetSparse(true)},
			{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "startedAt", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("consultationId_startedAt")},
			// One municipality's activity counts (its page) read its own sessions only.
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "startedAt", Value: 1}}, Options: options.Index().SetName("municipality_startedAt")},
		}},
		{s.participants, []mongo.IndexModel{
			{Keys: bson.D{{Key: "tokenHash", Value: 1}}, Options: options.Index().SetName("tokenHash_unique").SetUnique(true)},
			{Keys: bson.D{{Key: "sessionId", Value: 1}, {Key: "removed", Value: 1}}, Options: options.Index().SetName("sessionId_removed")},
		}},
		{s.answers, []mongo.IndexModel{
			// One current answer per child and question: the _id is random, so this index is
			// what lets only one of concurrent first answers in.
			{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "questionId", Value: 1}}, Options: options.Index().SetName("participant_question_unique").SetUnique(true)},
			// A retry finds its receipt, on the answer it wrote, by participant and key.
			{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "receipts.key", Value: 1}}, Options: options.Index().SetName("participantId_receipts.key")},
			{Keys: bson.D{{Key: "questionId", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("questionId_createdAt")},
			{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "moderation", Value: 1}, {Key: "createdAt", Value: 1}}, Options: options.Index().SetName("consultationId_moderation")},
			// The review workspace's word search tests its words on the folded texts in this
			// index, in the order it pages in.
			{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "moderation", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1},
				{Key: "textFolded", Value: 1}}, Options: options.Index().SetName("consultationId_moderation_textFolded")},
		}},
		{s.ideaReactions, []mongo.IndexModel{
			{Keys: bson.D{{Key: "questionId", Value: 1}, {Key: "ideaId", Value: 1}}, Options: options.Index().SetName("questionId_ideaId")},
			{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "questionId", Value: 1}}, Options: options.Index().SetName("participantId_questionId")},
		}},
		{s.helpRequests, []mongo.IndexModel{
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("municipality_createdAt")},
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "acknowledgedBy", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("municipality_acknowledgedBy_createdAt")},
			// openKey is the participant's ID while a request it asked for is open, absent
			// otherwise; answerId only on a request an answer raised: sparse + unique makes one
			// open request per child, and one request per answer, however presses race.
			{Keys: bson.D{{Key: "openKey", Value: 1}}, Options: options.Index().SetName("openKey_unique").SetUnique(true).SetSparse(true)},
			{Keys: bson.D{{Key: "answerId", Value: 1}}, Options: options.Index().SetName("answerId_unique").SetUnique(true).SetSparse(true)},
		}},
		{s.helpNotices, []mongo.IndexModel{
			{Keys: bson.D{{Key: "sent", Value: 1}, {Key: "dueAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("sent_dueAt")},
			{Keys: bson.D{{Key: "requestId", Value: 1}, {Key: "sent", Value: 1}}, Options: options.Index().SetName("requestId_sent")},
		}},
		{s.selfPacedLinks, []mongo.IndexModel{
			{Keys: bson.D{{Key: "key", Value: 1}}, Options: options.Index().SetName("key_unique").SetUnique(true)},
		}},
		{s.selfPacedParticipants, []mongo.IndexModel{
			{Keys: bson.D{{Key: "tokenHash", Value: 1}}, Options: options.Index().SetName("tokenHash_unique").SetUnique(true)},
		}},
		{s.groupFacts, []mongo.IndexModel{
			{Keys: bson.D{{Key: "consultationId", Value: 1}}, Options: options.Index().SetName("consultationId")},
		}},
		{s.recommendations, []mongo.IndexModel{
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "consultationId", Value: 1}, {Key: "createdAt", Value: 1}},
				Options: options.Index().SetName("municipality_consultationId_createdAt")},
		}},
		{s.themes, []mongo.IndexModel{
			{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("consultationId_createdAt")},
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("municipality_createdAt")},
		}},
		{s.decisions, []mongo.IndexModel{
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "createdAt", Value: -1}}, Options: options.Index().SetName("municipality_createdAt")},
			{Keys: bson.D{{Key: "firstEntry.recommendationIds", Value: 1}}, Options: options.Index().SetName("firstEntry_recommendationIds").SetSparse(true)},
		}},
		{s.decisionEntries, []mongo.IndexModel{
			// One entry per place in a chain: of two appends after the same entry, one fails.
			{Keys: bson.D{{Key: "decisionId", Value: 1}, {Key: "seq", Value: 1}}, Options: options.Index().SetName("decisionId_seq").SetUnique(true)},
			{Keys: bson.D{{Key: "decisionId", Value: 1}, {Key: "prevHash", Value: 1}}, Options: options.Index().SetName("decisionId_prevHash").SetUnique(true)},
			{Keys: bson.D{{Key: "recommendationIds", Value: 1}}, Options: options.Index().SetName("recommendationIds")},
		}},
		{s.feedback, []mongo.IndexModel{
			{Keys: bson.D{{Key: "recommendationId", Value: 1}, {Key: "version", Value: 1}}, Options: options.Index().SetName("recommendationId_version_unique").SetUnique(true)},
			{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "consultationId", Value: 1}, {Key: "state", Value: 1}}, Options: options.Index().SetName("municipality_consultationId_state")},
		}},
		{s.selfPacedParticipants, []mongo.IndexModel{
			{Keys: bson.D{{Key: "consultationId", Value: 1}, {Key: "lang", Value: 1}}, Options: options.Index().SetName("consultationId_lang")},
		}},
		{s.throttleSlots, []mongo.IndexModel{
			// The server deletes a window a minute or so after it ends.
			{Keys: bson.D{{Key: "windowEnd", Value: 1}}, Options: options.Index().SetName("windowEnd_ttl").SetExpireAfterSeconds(0)},
		}},
		{s.throttleFailures, []mongo.IndexModel{
			{Keys: bson.D{{Key: "windowEnd", Value: 1}}, Options: options.Index().SetName("windowEnd_ttl").SetExpireAfterSeconds(0)},
		}},
	}
	// Receipts of earlier versions kept a copy of the answer, children's text included, for
	// ever: drop it. After the first start this matches nothing.
	if _, err := s.answerReceipts.UpdateMany(ctx, bson.D{{Key: "answer", Value: bson.D{{Key: "$exists", Value: true}}}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "answer", Value: ""}}}}); err != nil {
		return storeError("strip text from answer receipts", err)
	}
	if err := s.foldAnswerTexts(ctx); err != nil {
		return err
	}
	err := s.answerReceipts.FindOne(ctx, bson.D{}).Err()
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return storeError("look for answer receipts", err)
	}
	s.noLegacyReceipts.Store(errors.Is(err, mongo.ErrNoDocuments))
	// One createIndexes command per index rather than CreateMany: the cost is a few round trips
	// at start-up, and some MongoDB-compatible servers (FerretDB v1) fail when one command
	// repeats several indexes that already exist.
	for _, ix := range indexes {
		for _, model := range ix.models {
			if _, err := ix.coll.Indexes().CreateOne(ctx, model); err != nil {
				return storeError("create indexes on "+ix.coll.Name(), err)
			}
		}
	}
	if err := s.notificationIndexes(ctx); err != nil {
		return err
	}
	if err := s.releaseIndexes(ctx); err != nil {
		return err
	}
	if err := s.exportJobIndexes(ctx); err != nil {
		return err
	}
	if err := s.receiptIndexes(ctx); err != nil {
		return err
	}
	if err := s.councilIndexes(ctx); err != nil {
		return err
	}
	if err := s.councilMeetingIndexes(ctx); err != nil {
		return err
	}
	if err := s.minutesIndexes(ctx); err != nil {
		return err
	}
	if err := s.meetingRoomIndexes(ctx); err != nil {
		return err
	}
	if err := s.meetingFiguresIndexes(ctx); err != nil {
		return err
	}
	if err := s.plannedSessionIndexes(ctx); err != nil {
		return err
	}
	if err := s.paperFormEntryIndexes(ctx); err != nil {
		return err
	}
	return s.outboxIndexes(ctx)
}

// DropDatabase removes the store's database with everything in it. It exists for tests, which
// each work in a database of their own.
func (s *Store) DropDatabase(ctx context.Context) error {
	return storeError("drop database", s.db.Drop(ctx))
}

// isUnavailable reports whether err means the server could not be reached or did not answer
// in time, as opposed to a server that answered with an error.
func isUnavailable(err error) bool {
	return mongo.IsTimeout(err) ||
		mongo.IsNetworkError(err) ||
		errors.Is(err, topology.ErrServerSelectionTimeout) ||
		errors.Is(err, topology.ErrTopologyClosed) ||
		errors.Is(err, mongo.ErrClientDisconnected)
}

// storeError turns a driver error that no caller handled into the domain's terms: an
// unreachable server is EUNAVAILABLE, a *voci.Error passes through, anything else is an
// internal fault described by op. The driver's error stays in the chain for the log.
func storeError(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*voci.Error](err); ok {
		return err
	}
	if isUnavailable(err) {
		return fmt.Errorf("%w (%s: %w)", voci.Errorf(voci.EUNAVAILABLE, "The database cannot be reached."), op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// findOne decodes the one document that matches filter. It returns ENOTFOUND, worded with
// what, when there is none.
func findOne[D any](ctx context.Context, coll *mongo.Collection, filter bson.D, what string) (*D, error) {
	var d D
	err := coll.FindOne(ctx, filter).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such %s.", what)
	}
	if err != nil {
		return nil, storeError("find "+what, err)
	}
	return &d, nil
}
