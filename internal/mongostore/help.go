package mongostore

import (
	"context"
	"errors"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// ---- help requests and the queue of notices about them

type helpDoc struct {
	ID             string     `bson:"_id"`
	Municipality   int        `bson:"municipality"`
	SessionID      string     `bson:"sessionId"`
	ParticipantID  string     `bson:"participantId"`
	Alias          string     `bson:"alias"`
	CreatedAt      time.Time  `bson:"createdAt"`
	AcknowledgedBy string     `bson:"acknowledgedBy"`
	AcknowledgedAt *time.Time `bson:"acknowledgedAt,omitempty"`
	ConsultationID string     `bson:"consultationId,omitempty"`
	// Notification is absent from requests stored before it was recorded; they read as "".
	Notification string `bson:"notification,omitempty"`
	// Kind is absent from requests stored before it was recorded; they read as "asked".
	Kind     string `bson:"kind,omitempty"`
	AnswerID string `bson:"answerId,omitempty"`
	// OpenKey is the participant's ID while a request it asked for is open (unique, sparse).
	OpenKey  string     `bson:"openKey,omitempty"`
	Note     string     `bson:"note,omitempty"`
	NotedBy  string     `bson:"notedBy,omitempty"`
	NotedAt  *time.Time `bson:"notedAt,omitempty"`
	ClosedBy string     `bson:"closedBy,omitempty"`
	ClosedAt *time.Time `bson:"closedAt,omitempty"`
}

func (d *helpDoc) request() voci.HelpRequest {
	kind := voci.HelpKind(d.Kind)
	if kind == "" {
		kind = voci.HelpAsked
	}
	return voci.HelpRequest{ID: d.ID, Municipality: d.Municipality, SessionID: d.SessionID, ParticipantID: d.ParticipantID,
		Alias: d.Alias, CreatedAt: d.CreatedAt.UTC(), AcknowledgedBy: d.AcknowledgedBy, AcknowledgedAt: fromOptTime(d.AcknowledgedAt),
		ConsultationID: d.ConsultationID, Notification: voci.HelpNotification(d.Notification), Kind: kind, AnswerID: d.AnswerID,
		Note: d.Note, NotedBy: d.NotedBy, NotedAt: fromOptTime(d.NotedAt), ClosedBy: d.ClosedBy, ClosedAt: fromOptTime(d.ClosedAt)}
}

// CreateHelpRequest stores a help request; ECONFLICT if the ID exists, if the participant
// has an open request it asked for, or if the answer raised one (unique indexes).
func (s *Store) CreateHelpRequest(ctx context.Context, h *voci.HelpRequest) error {
	kind := h.Kind
	if kind == "" {
		kind = voci.HelpAsked
	}
	d := helpDoc{ID: h.ID, Municipality: h.Municipality, SessionID: h.SessionID,
		ParticipantID: h.ParticipantID, Alias: h.Alias, CreatedAt: h.CreatedAt.UTC(), AcknowledgedBy: h.AcknowledgedBy,
		AcknowledgedAt: optTime(h.AcknowledgedAt), ConsultationID: h.ConsultationID, Notification: string(h.Notification),
		Kind: string(kind), AnswerID: h.AnswerID, Note: h.Note, NotedBy: h.NotedBy, NotedAt: optTime(h.NotedAt),
		ClosedBy: h.ClosedBy, ClosedAt: optTime(h.ClosedAt)}
	if kind == voci.HelpAsked && h.ClosedAt.IsZero() {
		d.OpenKey = h.ParticipantID
	}
	_, err := s.helpRequests.InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This help request exists already.")
	}
	if err == nil {
		h.Kind = kind
	}
	return storeError("create help request", err)
}

func (s *Store) findHelpRequest(ctx context.Context, op string, filter bson.D) (*voci.HelpRequest, error) {
	var d helpDoc
	err := s.helpRequests.FindOne(ctx, filter).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such help request.")
	}
	if err != nil {
		return nil, storeError(op, err)
	}
	h := d.request()
	return &h, nil
}

// FindOpenHelpRequest returns the participant's open request; ENOTFOUND if none.
func (s *Store) FindOpenHelpRequest(ctx context.Context, participantID string) (*voci.HelpRequest, error) {
	if participantID == "" {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such help request.")
	}
	return s.findHelpRequest(ctx, "find open help request", bson.D{{Key: "openKey", Value: participantID}})
}

// FindHelpRequestByAnswer returns the request the answer raised; ENOTFOUND if none.
func (s *Store) FindHelpRequestByAnswer(ctx context.Context, answerID string) (*voci.HelpRequest, error) {
	if answerID == "" {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such help request.")
	}
	return s.findHelpRequest(ctx, "find help request by answer", bson.D{{Key: "answerId", Value: answerID}})
}

// FindHelpRequestByID returns ENOTFOUND when the municipality has no such request.
func (s *Store) FindHelpRequestByID(ctx context.Context, municipality int, id string) (*voci.HelpRequest, error) {
	return s.findHelpRequest(ctx, "find help request", bson.D{{Key: "_id", Value: id}, {Key: "municipality", Value: municipality}})
}

// FindHelpRequests returns a page of the requests f selects: unacknowledged oldest first,
// acknowledged newest first.
func (s *Store) FindHelpRequests(ctx context.Context, f voci.HelpRequestFilter) ([]voci.HelpRequest, int, error) {
	filter := bson.D{{Key: "municipality", Value: f.Municipality}, {Key: "acknowledgedBy", Value: ""}}
	sort := bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}
	if f.Acknowledged {
		filter[1] = bson.E{Key: "acknowledgedBy", Value: bson.D{{Key: "$ne", Value: ""}}}
		sort = bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}
	}
	total, err := s.helpRequests.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, storeError("find help requests", err)
	}
	var docs []helpDoc
	opts := options.Find().SetSort(sort).SetSkip(int64(f.Offset)).SetLimit(int64(f.Limit))
	if err := findAll(ctx, s.helpRequests, filter, opts, &docs); err != nil {
		return nil, 0, storeError("find help requests", err)
	}
	out := []voci.HelpRequest{}
	for i := range docs {
		out = append(out, docs[i].request())
	}
	return out, int(total), nil
}

// updateHelpRequest applies update to the municipality's request when cond holds, with the
// audit entry (which is kept even when cond no longer holds: the adult acted all the same);
// ENOTFOUND when the request does not exist there.
func (s *Store) updateHelpRequest(ctx context.Context, op string, municipality int, id string, cond bson.D, update bson.D, audit *voci.AuditEntry) error {
	if _, err := s.FindHelpRequestByID(ctx, municipality, id); err != nil {
		return err
	}
	key := bson.D{{Key: "_id", Value: id}, {Key: "municipality", Value: municipality}}
	res, err := s.helpRequests.UpdateOne(ctx, append(slices.Clone(key), cond...), withPending(update, audit))
	if err != nil {
		return storeError(op, err)
	}
	if audit != nil && res.MatchedCount == 0 {
		if _, err := s.helpRequests.UpdateOne(ctx, key, withPending(bson.D{}, audit)); err != nil {
			return storeError(op, err)
		}
	}
	if audit != nil {
		s.completeOne(ctx, s.helpRequests, id)
	}
	return nil
}

// AcknowledgeHelpRequest records who took the request on; the first acknowledgement stays.
func (s *Store) AcknowledgeHelpRequest(ctx context.Context, municipality int, id, by string, at time.Time, audit *voci.AuditEntry) error {
	return s.updateHelpRequest(ctx, "acknowledge help request", municipality, id, bson.D{{Key: "acknowledgedBy", Value: ""}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "acknowledgedBy", Value: by}, {Key: "acknowledgedAt", Value: at.UTC()}}}}, audit)
}

// NoteHelpRequest replaces the request's note.
func (s *Store) NoteHelpRequest(ctx context.Context, municipality int, id, note, by string, at time.Time, audit *voci.AuditEntry) error {
	return s.updateHelpRequest(ctx, "note help request", municipality, id, nil,
		bson.D{{Key: "$set", Value: bson.D{{Key: "note", Value: note}, {Key: "notedBy", Value: by}, {Key: "notedAt", Value: at.UTC()}}}}, audit)
}

// CloseHelpRequest closes the request, and acknowledges it when nobody had: two updates of
// the one document, each of which holds on its own (a close without acknowledgement is
// repaired by closing again).
func (s *Store) CloseHelpRequest(ctx context.Context, municipality int, id, by string, at time.Time, audit *voci.AuditEntry) error {
	err := s.updateHelpRequest(ctx, "close help request", municipality, id, bson.D{{Key: "closedAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "closedBy", Value: by}, {Key: "closedAt", Value: at.UTC()}}},
			{Key: "$unset", Value: bson.D{{Key: "openKey", Value: ""}}}}, audit)
	if err != nil {
		return err
	}
	_, err = s.helpRequests.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "municipality", Value: municipality}, {Key: "acknowledgedBy", Value: ""}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "acknowledgedBy", Value: by}, {Key: "acknowledgedAt", Value: at.UTC()}}}})
	return storeError("close help request", err)
}

// SetHelpNotification records how telling the safeguarding leads went.
func (s *Store) SetHelpNotification(ctx context.Context, municipality int, id string, n voci.HelpNotification) error {
	res, err := s.helpRequests.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "municipality", Value: municipality}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "notification", Value: string(n)}}}})
	if err != nil {
		return storeError("set help notification", err)
	}
	if res.MatchedCount == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No such help request.")
	}
	return nil
}

type helpNoticeDoc struct {
	ID           string     `bson:"_id,omitempty"` // request ID | recipient; from the filter on insert
	RequestID    string     `bson:"requestId"`
	Municipality int        `bson:"municipality"`
	Recipient    string     `bson:"recipient"`
	Name         string     `bson:"name"`
	Lang         string     `bson:"lang"`
	Attempts     int        `bson:"attempts"`
	DueAt        time.Time  `bson:"dueAt"`
	LeaseOwner   string     `bson:"leaseOwner"`
	LeaseUntil   time.Time  `bson:"leaseUntil"` // the Unix epoch when not leased
	Sent         bool       `bson:"sent"`
	SentAt       *time.Time `bson:"sentAt,omitempty"`
	LastError    string     `bson:"lastError"`
	CreatedAt    time.Time  `bson:"createdAt"`
}

var notLeased = time.Unix(0, 0).UTC()

func (d *helpNoticeDoc) job() voci.HelpNoticeJob {
	j := voci.HelpNoticeJob{ID: d.ID, RequestID: d.RequestID, Municipality: d.Municipality, Recipient: d.Recipient, Name: d.Name,
		Lang: d.Lang, Attempts: d.Attempts, DueAt: d.DueAt.UTC(), LeaseOwner: d.LeaseOwner, SentAt: fromOptTime(d.SentAt),
		LastError: d.LastError, CreatedAt: d.CreatedAt.UTC()}
	if !d.LeaseUntil.Equal(notLeased) {
		j.LeaseUntil = d.LeaseUntil.UTC()
	}
	return j
}

// EnqueueHelpNotices stores each notice whose ID is new ($setOnInsert upserts).
func (s *Store) EnqueueHelpNotices(ctx context.Context, notices []voci.HelpNoticeJob) error {
	for _, n := range notices {
		d := helpNoticeDoc{RequestID: n.RequestID, Municipality: n.Municipality, Recipient: n.Recipient, Name: n.Name,
			Lang: n.Lang, DueAt: n.DueAt.UTC(), LeaseUntil: notLeased, CreatedAt: n.CreatedAt.UTC()}
		_, err := s.helpNotices.UpdateOne(ctx, bson.D{{Key: "_id", Value: n.ID}}, bson.D{{Key: "$setOnInsert", Value: d}},
			options.Update().SetUpsert(true))
		if err != nil && !mongo.IsDuplicateKeyError(err) { // two upserts that raced: one stored it
			return storeError("enqueue help notices", err)
		}
	}
	return nil
}

// ClaimHelpNotices leases due notices to owner, one findOneAndUpdate each: a notice is
// matched and leased in one atomic update of its document.
func (s *Store) ClaimHelpNotices(ctx context.Context, owner string, now, until time.Time, limit int) ([]voci.HelpNoticeJob, error) {
	var out []voci.HelpNoticeJob
	filter := bson.D{{Key: "sent", Value: false}, {Key: "dueAt", Value: bson.D{{Key: "$lte", Value: now.UTC()}}},
		{Key: "leaseUntil", Value: bson.D{{Key: "$lte", Value: now.UTC()}}}}
	opts := options.FindOneAndUpdate().SetSort(bson.D{{Key: "dueAt", Value: 1}, {Key: "_id", Value: 1}}).SetReturnDocument(options.After)
	for len(out) < limit {
		var d helpNoticeDoc
		err := s.helpNotices.FindOneAndUpdate(ctx, filter,
			bson.D{{Key: "$set", Value: bson.D{{Key: "leaseOwner", Value: owner}, {Key: "leaseUntil", Value: until.UTC()}}}}, opts).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			break
		}
		if err != nil {
			return nil, storeError("claim help notices", err)
		}
		out = append(out, d.job())
	}
	return out, nil
}

func (s *Store) releaseNotice(ctx context.Context, op, id, owner string, update bson.D) error {
	res, err := s.helpNotices.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "leaseOwner", Value: owner}, {Key: "sent", Value: false}}, update)
	if err != nil {
		return storeError(op, err)
	}
	if res.MatchedCount == 0 {
		return voci.Errorf(voci.ECONFLICT, "This notice is no longer held by this worker.")
	}
	return nil
}

// FinishHelpNotice marks the notice sent.
func (s *Store) FinishHelpNotice(ctx context.Context, id, owner string, at time.Time) error {
	return s.releaseNotice(ctx, "finish help notice", id, owner, bson.D{{Key: "$set", Value: bson.D{{Key: "sent", Value: true},
		{Key: "sentAt", Value: at.UTC()}, {Key: "leaseUntil", Value: notLeased}}}})
}

// RetryHelpNotice puts the notice back for due, counting the attempt.
func (s *Store) RetryHelpNotice(ctx context.Context, id, owner string, due time.Time, lastError string) error {
	return s.releaseNotice(ctx, "retry help notice", id, owner, bson.D{
		{Key: "$set", Value: bson.D{{Key: "dueAt", Value: due.UTC()}, {Key: "lastError", Value: lastError},
			{Key: "leaseOwner", Value: ""}, {Key: "leaseUntil", Value: notLeased}}},
		{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}}})
}

// CountUnsentHelpNotices counts the request's notices not sent yet.
func (s *Store) CountUnsentHelpNotices(ctx context.Context, requestID string) (int, error) {
	n, err := s.helpNotices.CountDocuments(ctx, bson.D{{Key: "requestId", Value: requestID}, {Key: "sent", Value: false}})
	return int(n), storeError("count unsent help notices", err)
}
