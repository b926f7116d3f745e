package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// sessionDoc is an adult's session, keyed by the SHA-256 of its token.
type sessionDoc struct {
	ID           string     `bson:"_id"`
	AccountID    string     `bson:"accountId"`
	CSRFToken    string     `bson:"csrfToken"`
	UserAgent    string     `bson:"userAgent"`
	CreatedAt    time.Time  `bson:"createdAt"`
	LastSeenAt   time.Time  `bson:"lastSeenAt"`
	PendingAudit []auditDoc `bson:"pendingAudit,omitempty"` // see outbox.go
}

func (d sessionDoc) session() voci.Session {
	return voci.Session{
		ID:         d.ID,
		AccountID:  d.AccountID,
		CSRFToken:  d.CSRFToken,
		UserAgent:  d.UserAgent,
		CreatedAt:  d.CreatedAt.UTC(),
		LastSeenAt: d.LastSeenAt.UTC(),
	}
}

// CreateSession stores a new session. It returns ECONFLICT when the ID exists.
func (s *Store) CreateSession(ctx context.Context, sess *voci.Session, audit *voci.AuditEntry) error {
	_, err := s.sessions.InsertOne(ctx, sessionDoc{
		ID:           sess.ID,
		AccountID:    sess.AccountID,
		CSRFToken:    sess.CSRFToken,
		UserAgent:    sess.UserAgent,
		CreatedAt:    sess.CreatedAt.UTC(),
		LastSeenAt:   sess.LastSeenAt.UTC(),
		PendingAudit: pending(audit),
	})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A session with this identifier already exists.")
	}
	if err != nil {
		return storeError("create session", err)
	}
	if audit != nil {
		s.completeOne(ctx, s.sessions, sess.ID)
	}
	return nil
}

// FindSession returns ENOTFOUND when there is no session with that ID.
func (s *Store) FindSession(ctx context.Context, id string) (*voci.Session, error) {
	d, err := findOne[sessionDoc](ctx, s.sessions, bson.D{{Key: "_id", Value: id}}, "session")
	if err != nil {
		return nil, err
	}
	sess := d.session()
	return &sess, nil
}

// TouchSession sets LastSeenAt. It returns ENOTFOUND when the session is gone.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	res, err := s.sessions.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "lastSeenAt", Value: at.UTC()}}}})
	if err != nil {
		return storeError("touch session", err)
	}
	if res.MatchedCount == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No such session.")
	}
	return nil
}

// DeleteSession ends one session; deleting a missing one is not an error, so that signing out
// twice is harmless.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	return storeError("delete session", err)
}

// DeleteAccountSessions ends every session of the account except exceptID (which may be "")
// and returns how many it ended.
func (s *Store) DeleteAccountSessions(ctx context.Context, accountID, exceptID string) (int, error) {
	res, err := s.sessions.DeleteMany(ctx, bson.D{
		{Key: "accountId", Value: accountID},
		{Key: "_id", Value: bson.D{{Key: "$ne", Value: exceptID}}},
	})
	if err != nil {
		return 0, storeError("delete account sessions", err)
	}
	return int(res.DeletedCount), nil
}

// DeleteExpiredSessions ends the sessions last seen before lastSeenBefore or created before
// createdBefore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) (int, error) {
	res, err := s.sessions.DeleteMany(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "lastSeenAt", Value: bson.D{{Key: "$lt", Value: lastSeenBefore.UTC()}}}},
		bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: createdBefore.UTC()}}}},
	}}})
	if err != nil {
		return 0, storeError("delete expired sessions", err)
	}
	return int(res.DeletedCount), nil
}

// ListAccountSessions returns the account's sessions, newest first (ties by ID, descending).
func (s *Store) ListAccountSessions(ctx context.Context, accountID string) ([]voci.Session, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}})
	cur, err := s.sessions.Find(ctx, bson.D{{Key: "accountId", Value: accountID}}, opts)
	if err != nil {
		return nil, storeError("list sessions", err)
	}
	var docs []sessionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("list sessions", err)
	}
	var sessions []voci.Session
	for _, d := range docs {
		sessions = append(sessions, d.session())
	}
	return sessions, nil
}
