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

// ---- notifications and the queue of their emails: one document per notification, its
// email leased by single-document conditional updates.

type notificationDoc struct {
	ID               string     `bson:"_id"`
	Key              string     `bson:"key"` // unique
	Municipality     int        `bson:"municipality"`
	Recipient        string     `bson:"recipient"`
	Kind             string     `bson:"kind"`
	ConsultationID   string     `bson:"consultationId"`
	RecommendationID string     `bson:"recommendationId"`
	Title            string     `bson:"title"`
	DueAt            *time.Time `bson:"dueAt,omitempty"`
	CreatedAt        time.Time  `bson:"createdAt"`
	ReadAt           *time.Time `bson:"readAt,omitempty"` // absent while unread
	Email            string     `bson:"email"`
	Lang             string     `bson:"lang"`
	MailState        string     `bson:"mailState"`
	MailAttempts     int        `bson:"mailAttempts"`
	MailDueAt        time.Time  `bson:"mailDueAt"`
	MailSentAt       *time.Time `bson:"mailSentAt,omitempty"`
	MailError        string     `bson:"mailError"`
	LeaseOwner       string     `bson:"leaseOwner"`
	LeaseUntil       time.Time  `bson:"leaseUntil"`           // the Unix epoch when not leased
	ResolvedAt       *time.Time `bson:"resolvedAt,omitempty"` // absent while open
}

func (d *notificationDoc) notification() voci.Notification {
	n := voci.Notification{ID: d.ID, Key: d.Key, Municipality: d.Municipality, Recipient: d.Recipient, Kind: voci.NotificationKind(d.Kind),
		ConsultationID: d.ConsultationID, RecommendationID: d.RecommendationID, Title: d.Title, DueAt: fromOptTime(d.DueAt),
		CreatedAt: d.CreatedAt.UTC(), ReadAt: fromOptTime(d.ReadAt), Email: d.Email, Lang: d.Lang, MailState: voci.MailState(d.MailState),
		MailAttempts: d.MailAttempts, MailSentAt: fromOptTime(d.MailSentAt), MailError: d.MailError, LeaseOwner: d.LeaseOwner,
		ResolvedAt: fromOptTime(d.ResolvedAt)}
	if !d.MailDueAt.Equal(notLeased) {
		n.MailDueAt = d.MailDueAt.UTC()
	}
	if !d.LeaseUntil.Equal(notLeased) {
		n.LeaseUntil = d.LeaseUntil.UTC()
	}
	return n
}

func (s *Store) notifications() *mongo.Collection { return s.db.Collection("notifications") }

// notificationIndexes: the unique key that makes each notification once, the recipient's
// list newest first, the unread count, and the queue of emails.
func (s *Store) notificationIndexes(ctx context.Context) error {
	for _, model := range []mongo.IndexModel{
		{Keys: bson.D{{Key: "key", Value: 1}}, Options: options.Index().SetName("key_unique").SetUnique(true)},
		{Keys: bson.D{{Key: "recipient", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("recipient_createdAt")},
		{Keys: bson.D{{Key: "recipient", Value: 1}, {Key: "readAt", Value: 1}}, Options: options.Index().SetName("recipient_readAt")},
		{Keys: bson.D{{Key: "mailState", Value: 1}, {Key: "mailDueAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("mailState_mailDueAt")},
		{Keys: bson.D{{Key: "municipality", Value: 1}, {Key: "resolvedAt", Value: 1}}, Options: options.Index().SetName("municipality_resolvedAt")},
	} {
		if _, err := s.notifications().Indexes().CreateOne(ctx, model); err != nil {
			return storeError("create indexes on notifications", err)
		}
	}
	return nil
}

// CreateNotification stores n unless its key is stored: one upsert on the key with
// $setOnInsert; of two that race, the unique index refuses one.
func (s *Store) CreateNotification(ctx context.Context, n *voci.Notification) (bool, error) {
	mailDue := notLeased
	if !n.MailDueAt.IsZero() {
		mailDue = n.MailDueAt.UTC()
	}
	d := notificationDoc{ID: n.ID, Key: n.Key, Municipality: n.Municipality, Recipient: n.Recipient, Kind: string(n.Kind),
		ConsultationID: n.ConsultationID, RecommendationID: n.RecommendationID, Title: n.Title, DueAt: optTime(n.DueAt),
		CreatedAt: n.CreatedAt.UTC(), ReadAt: optTime(n.ReadAt), Email: n.Email, Lang: n.Lang, MailState: string(n.MailState),
		MailAttempts: n.MailAttempts, MailDueAt: mailDue, MailSentAt: optTime(n.MailSentAt), MailError: n.MailError,
		LeaseOwner: n.LeaseOwner, LeaseUntil: notLeased, ResolvedAt: optTime(n.ResolvedAt)}
	if !n.LeaseUntil.IsZero() {
		d.LeaseUntil = n.LeaseUntil.UTC()
	}
	res, err := s.notifications().UpdateOne(ctx, bson.D{{Key: "key", Value: n.Key}}, bson.D{{Key: "$setOnInsert", Value: d}},
		options.Update().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return false, storeError("create notification", err)
	}
	if err == nil && res.UpsertedCount == 1 {
		return true, nil
	}
	// The key is stored: reopen it if it was resolved, by one update conditional on that, so
	// that of two instances one reopens it. An email still pending keeps its place in the
	// queue; any other is queued as n's.
	set := bson.D{{Key: "createdAt", Value: d.CreatedAt}, {Key: "title", Value: d.Title}, {Key: "email", Value: d.Email}, {Key: "lang", Value: d.Lang}}
	unset := bson.D{{Key: "resolvedAt", Value: ""}, {Key: "readAt", Value: ""}}
	reopen := func(filter bson.D, set, unset bson.D) (bool, error) {
		res, err := s.notifications().UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: set}, {Key: "$unset", Value: unset}})
		if err != nil {
			return false, storeError("reopen notification", err)
		}
		return res.ModifiedCount == 1, nil
	}
	resolved := bson.E{Key: "resolvedAt", Value: bson.D{{Key: "$ne", Value: nil}}}
	if ok, err := reopen(bson.D{{Key: "key", Value: n.Key}, resolved, {Key: "mailState", Value: string(voci.MailPending)}}, set, unset); ok || err != nil {
		return ok, err
	}
	set = append(set, bson.E{Key: "mailState", Value: d.MailState}, bson.E{Key: "mailAttempts", Value: 0},
		bson.E{Key: "mailDueAt", Value: d.MailDueAt}, bson.E{Key: "mailError", Value: ""})
	unset = append(unset, bson.E{Key: "mailSentAt", Value: ""})
	return reopen(bson.D{{Key: "key", Value: n.Key}, resolved, {Key: "mailState", Value: bson.D{{Key: "$ne", Value: string(voci.MailPending)}}}}, set, unset)
}

// notificationFilter selects the recipient's open notifications, of f's municipalities when
// it names them.
func notificationFilter(f voci.NotificationFilter) bson.D {
	filter := bson.D{{Key: "recipient", Value: f.Recipient}}
	if !f.WithResolved || f.UnreadOnly {
		filter = append(filter, bson.E{Key: "resolvedAt", Value: nil})
	}
	if f.Municipalities != nil {
		filter = append(filter, bson.E{Key: "municipality", Value: bson.D{{Key: "$in", Value: f.Municipalities}}})
	}
	if f.UnreadOnly {
		filter = append(filter, bson.E{Key: "readAt", Value: nil})
	}
	return filter
}

// FindNotifications returns a page of the recipient's notifications, newest first.
func (s *Store) FindNotifications(ctx context.Context, f voci.NotificationFilter) ([]voci.Notification, int, error) {
	filter := notificationFilter(f)
	total, err := s.notifications().CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, storeError("count notifications", err)
	}
	cur, err := s.notifications().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64(f.Offset)).SetLimit(int64(f.Limit)))
	if err != nil {
		return nil, 0, storeError("find notifications", err)
	}
	var docs []notificationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, storeError("find notifications", err)
	}
	out := make([]voci.Notification, 0, len(docs))
	for i := range docs {
		out = append(out, docs[i].notification())
	}
	return out, int(total), nil
}

// CountUnreadNotifications counts the unread open notifications f selects.
func (s *Store) CountUnreadNotifications(ctx context.Context, f voci.NotificationFilter) (int, error) {
	f.UnreadOnly = true
	n, err := s.notifications().CountDocuments(ctx, notificationFilter(f))
	return int(n), storeError("count unread notifications", err)
}

// ResolveNotifications marks resolved the municipality's open notifications whose key is not
// due: one updateMany, each document updated atomically, and a second that withdraws the
// pending emails of the resolved ones that no worker holds (a crash between leaves an email
// that ClaimNotificationMails no longer picks, since it reads open notifications only).
func (s *Store) ResolveNotifications(ctx context.Context, municipality int, due []string, at time.Time) (int, error) {
	if due == nil {
		due = []string{}
	}
	res, err := s.notifications().UpdateMany(ctx, bson.D{{Key: "municipality", Value: municipality}, {Key: "resolvedAt", Value: nil},
		{Key: "key", Value: bson.D{{Key: "$nin", Value: due}}}}, bson.D{{Key: "$set", Value: bson.D{{Key: "resolvedAt", Value: at.UTC()}}}})
	if err != nil {
		return 0, storeError("resolve notifications", err)
	}
	_, err = s.notifications().UpdateMany(ctx, bson.D{{Key: "municipality", Value: municipality}, {Key: "resolvedAt", Value: bson.D{{Key: "$ne", Value: nil}}},
		{Key: "mailState", Value: string(voci.MailPending)}, {Key: "leaseUntil", Value: bson.D{{Key: "$lte", Value: at.UTC()}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "mailState", Value: string(voci.MailWithdrawn)}}}})
	if err != nil {
		return 0, storeError("resolve notifications", err)
	}
	return int(res.ModifiedCount), nil
}

// MarkNotificationRead marks one of the recipient's notifications read, keeping a first time.
func (s *Store) MarkNotificationRead(ctx context.Context, recipient, id string, at time.Time) error {
	res, err := s.notifications().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "recipient", Value: recipient}, {Key: "readAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "readAt", Value: at.UTC()}}}})
	if err != nil {
		return storeError("mark notification read", err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	n, err := s.notifications().CountDocuments(ctx, bson.D{{Key: "_id", Value: id}, {Key: "recipient", Value: recipient}})
	if err != nil {
		return storeError("mark notification read", err)
	}
	if n == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No such notification.")
	}
	return nil
}

// MarkAllNotificationsRead marks every unread notification of the recipient read.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, recipient string, at time.Time) (int, error) {
	res, err := s.notifications().UpdateMany(ctx, notificationFilter(voci.NotificationFilter{Recipient: recipient, UnreadOnly: true}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "readAt", Value: at.UTC()}}}})
	if err != nil {
		return 0, storeError("mark notifications read", err)
	}
	return int(res.ModifiedCount), nil
}

// ClaimNotificationMails leases due emails to owner, one findOneAndUpdate each: an email is
// matched and leased in one atomic update of its document.
func (s *Store) ClaimNotificationMails(ctx context.Context, owner string, now, until time.Time, limit int) ([]voci.Notification, error) {
	var out []voci.Notification
	filter := bson.D{{Key: "mailState", Value: string(voci.MailPending)}, {Key: "mailDueAt", Value: bson.D{{Key: "$lte", Value: now.UTC()}}},
		{Key: "leaseUntil", Value: bson.D{{Key: "$lte", Value: now.UTC()}}}, {Key: "resolvedAt", Value: nil}}
	opts := options.FindOneAndUpdate().SetSort(bson.D{{Key: "mailDueAt", Value: 1}, {Key: "_id", Value: 1}}).SetReturnDocument(options.After)
	for len(out) < limit {
		var d notificationDoc
		err := s.notifications().FindOneAndUpdate(ctx, filter,
			bson.D{{Key: "$set", Value: bson.D{{Key: "leaseOwner", Value: owner}, {Key: "leaseUntil", Value: until.UTC()}}}}, opts).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			break
		}
		if err != nil {
			return nil, storeError("claim notification mails", err)
		}
		out = append(out, d.notification())
	}
	return out, nil
}

func (s *Store) releaseNotificationMail(ctx context.Context, op, id, owner string, update bson.D) error {
	res, err := s.notifications().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "leaseOwner", Value: owner},
		{Key: "mailState", Value: string(voci.MailPending)}}, update)
	if err != nil {
		return storeError(op, err)
	}
	if res.MatchedCount == 0 {
		return voci.Errorf(voci.ECONFLICT, "This email is no longer held by this worker.")
	}
	return nil
}

// FinishNotificationMail records the email's final state.
func (s *Store) FinishNotificationMail(ctx context.Context, id, owner string, state voci.MailState, at time.Time, lastError string) error {
	set := bson.D{{Key: "mailState", Value: string(state)}, {Key: "mailError", Value: lastError}, {Key: "leaseUntil", Value: notLeased}}
	if state == voci.MailSent {
		set = append(set, bson.E{Key: "mailSentAt", Value: at.UTC()})
	}
	return s.releaseNotificationMail(ctx, "finish notification mail", id, owner, bson.D{{Key: "$set", Value: set}})
}

// RetryNotificationMail puts the email back for due, counting the attempt.
func (s *Store) RetryNotificationMail(ctx context.Context, id, owner string, due time.Time, lastError string) error {
	return s.releaseNotificationMail(ctx, "retry notification mail", id, owner, bson.D{
		{Key: "$set", Value: bson.D{{Key: "mailDueAt", Value: due.UTC()}, {Key: "mailError", Value: lastError},
			{Key: "leaseOwner", Value: ""}, {Key: "leaseUntil", Value: notLeased}}},
		{Key: "$inc", Value: bson.D{{Key: "mailAttempts", Value: 1}}}})
}
