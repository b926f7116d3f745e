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

// sessionDoc is an adult's session, keyed by the SHA-256 of its token.
type sessionDoc struct {
	ID           string     `bson:"_id"`
	AccountID    string     `bson:"accountId"`
	CSRFToken    string     `bson:"csrfToken"`
	UserAgent    string     `bson:"userAgent"`
	CreatedAt    time.Time  `bson:"createdAt"`
	LastSeenAt   time.Time  `bson:"lastSeenAt"`
	PendingAudit []auditDoc `bson:"pendingAudit,omitempty"` // see outbox.go
	// Ended marks a session signed out whose audit entry has not moved yet; it is removed
	// once it has (see outbox.go), and until then every lookup treats it as gone.
	Ended bool `bson:"ended,omitempty"`
}

// Ending sessions with their audit entry. MongoDB has no multi-document transactions, and a
// deleted session leaves no document to carry its entry, so:
//   - one session is marked ended, with its entry pushed to its pendingAudit, in one update;
//     the session is removed once its entry has moved to the trail, as a deleted question is;
//   - "sign out everywhere" stamps the account document with when its sessions ended
//     (sessionsEndedAt, and sessionsKept, the one session spared) and pushes the entry there,
//     in one update, then deletes the sessions. A session created before the stamp no longer
//     counts even if that delete never ran, until the expiry purge removes it.
// A lookup reads the session and, only for the stamp, its account by _id (one more point read
// of one field), so a signed-out session never authenticates, even before the entry moves.

// notEnded excludes sessions signed out whose removal waits for their audit entry.
var notEnded = bson.E{Key: "ended", Value: bson.D{{Key: "$ne", Value: true}}}

// sessionsStamp is what an account document says of its sessions' end.
type sessionsStamp struct {
	EndedAt time.Time `bson:"sessionsEndedAt"`
	Kept    string    `bson:"sessionsKept"`
}

// ends reports whether the stamp ended the session: created before it, and not the one kept.
// A session created in the same millisecond as the stamp is spared here and ended by the
// delete that follows the stamp.
func (st sessionsStamp) ends(d *sessionDoc) bool {
	return !st.EndedAt.IsZero() && d.CreatedAt.Before(st.EndedAt) && d.ID != st.Kept
}

// stampOf reads the account's stamp; an account without one (or missing) ends nothing.
func (s *Store) stampOf(ctx context.Context, accountID string) (sessionsStamp, error) {
	var st sessionsStamp
	err := s.accounts.FindOne(ctx, bson.D{{Key: "_id", Value: accountID}},
		options.FindOne().SetProjection(bson.D{{Key: "sessionsEndedAt", Value: 1}, {Key: "sessionsKept", Value: 1}})).Decode(&st)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return sessionsStamp{}, nil
	}
	if err != nil {
		return st, storeError("find session", err)
	}
	st.EndedAt = st.EndedAt.UTC()
	return st, nil
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
	d, err := findOne[sessionDoc](ctx, s.sessions, bson.D{{Key: "_id", Value: id}, notEnded}, "session")
	if err != nil {
		return nil, err
	}
	st, err := s.stampOf(ctx, d.AccountID)
	if err != nil {
		return nil, err
	}
	if st.ends(d) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such session.")
	}
	sess := d.session()
	return &sess, nil
}

// TouchSession sets LastSeenAt. It returns ENOTFOUND when the session is gone.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	res, err := s.sessions.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, notEnded},
		bson.D{{Key: "$set", Value: bson.D{{Key: "lastSeenAt", Value: at.UTC()}}}})
	if err != nil {
		return storeError("touch session", err)
	}
	if res.MatchedCount == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No such session.")
	}
	return nil
}

// DeleteSession ends one session. Without an entry it deletes the session; with one it marks
// the session ended and pushes the entry in one update, and the session goes once its entry
// has moved. Deleting a missing (or ended) one is not an error, so that signing out twice is
// harmless, and writes no entry.
func (s *Store) DeleteSession(ctx context.Context, id string, audit *voci.AuditEntry) error {
	if audit == nil {
		return s.endSessions(ctx, bson.D{{Key: "_id", Value: id}}, nil)
	}
	res, err := s.sessions.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, notEnded},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "ended", Value: true}}}}, audit))
	if err != nil {
		return storeError("delete session", err)
	}
	if res.MatchedCount > 0 {
		s.completeOne(ctx, s.sessions, id)
	}
	return nil
}

// DeleteAccountSessions ends every session of the account except exceptID (which may be "")
// and returns how many it ended. With an entry, it first stamps the account with when its
// sessions ended (the entry's At) and pushes the entry there, in one update: from then on the
// sessions no longer count, whether or not the delete that follows runs. The entry is written
// when the account exists.
func (s *Store) DeleteAccountSessions(ctx context.Context, accountID, exceptID string, audit *voci.AuditEntry) (int, error) {
	if audit != nil {
		res, err := s.accounts.UpdateOne(ctx, bson.D{{Key: "_id", Value: accountID}},
			withPending(bson.D{{Key: "$set", Value: bson.D{
				{Key: "sessionsEndedAt", Value: audit.At.UTC()}, {Key: "sessionsKept", Value: exceptID},
			}}}, audit))
		if err != nil {
			return 0, storeError("delete account sessions", err)
		}
		if res.MatchedCount > 0 {
			s.completeOne(ctx, s.accounts, accountID)
		}
	}
	var n int
	err := s.endSessions(ctx, bson.D{
		{Key: "accountId", Value: accountID},
		{Key: "_id", Value: bson.D{{Key: "$ne", Value: exceptID}}},
	}, &n)
	return n, err
}

// endSessions deletes the sessions filter matches, except one whose audit entry still waits
// in it (its sign-in or its sign-out): that one is marked ended, and goes once its entry has
// moved. n, when not nil, receives how many sessions ended that had not already.
func (s *Store) endSessions(ctx context.Context, filter bson.D, n *int) error {
	waiting := append(append(bson.D{}, filter...), bson.E{Key: pendingField + ".0", Value: bson.D{{Key: "$exists", Value: true}}}, notEnded)
	marked, err := s.sessions.UpdateMany(ctx, waiting, bson.D{{Key: "$set", Value: bson.D{{Key: "ended", Value: true}}}})
	if err != nil {
		return storeError("delete sessions", err)
	}
	done := append(append(bson.D{}, filter...), bson.E{Key: pendingField + ".0", Value: bson.D{{Key: "$exists", Value: false}}})
	if n != nil {
		// Count first the sessions still live among those about to go.
		live, err := s.sessions.CountDocuments(ctx, append(append(bson.D{}, done...), notEnded))
		if err != nil {
			return storeError("delete sessions", err)
		}
		*n = int(marked.ModifiedCount + live)
	}
	_, err = s.sessions.DeleteMany(ctx, done)
	return storeError("delete sessions", err)
}

// DeleteExpiredSessions ends the sessions last seen before lastSeenBefore or created before
// createdBefore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) (int, error) {
	var n int
	err := s.endSessions(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "lastSeenAt", Value: bson.D{{Key: "$lt", Value: lastSeenBefore.UTC()}}}},
		bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: createdBefore.UTC()}}}},
	}}}, &n)
	return n, err
}

// ListAccountSessions returns the account's sessions, newest first (ties by ID, descending).
func (s *Store) ListAccountSessions(ctx context.Context, accountID string) ([]voci.Session, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}})
	st, err := s.stampOf(ctx, accountID)
	if err != nil {
		return nil, err
	}
	cur, err := s.sessions.Find(ctx, bson.D{{Key: "accountId", Value: accountID}, notEnded}, opts)
	if err != nil {
		return nil, storeError("list sessions", err)
	}
	var docs []sessionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("list sessions", err)
	}
	var sessions []voci.Session
	for i := range docs {
		if !st.ends(&docs[i]) {
			sessions = append(sessions, docs[i].session())
		}
	}
	return sessions, nil
}
