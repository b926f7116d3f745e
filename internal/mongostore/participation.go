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

// Documents of consultations, live sessions and answers. Each record is one document, so that
// every write is a single-document atomic write.

type consultationDoc struct {
	ID             string     `bson:"_id"`
	Municipality   int        `bson:"municipality"`
	Title          string     `bson:"title"`
	Purpose        string     `bson:"purpose"`
	EasyRead       string     `bson:"easyRead"`
	AgeBands       []string   `bson:"ageBands"`
	Goals          []string   `bson:"goals"`
	Topics         []string   `bson:"topics"`
	AudienceBody   string     `bson:"audienceBody"`
	AnswerBy       *time.Time `bson:"answerBy,omitempty"`
	Status         string     `bson:"status"`
	Modes          []string   `bson:"modes"`
	SelfPacedFrom  *time.Time `bson:"selfPacedFrom,omitempty"`
	SelfPacedUntil *time.Time `bson:"selfPacedUntil,omitempty"`
	CreatedBy      string     `bson:"createdBy"`
	CreatedAt      time.Time  `bson:"createdAt"`
	UpdatedAt      time.Time  `bson:"updatedAt"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func fromOptTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}

func typed[T ~string](v []string) []T {
	if len(v) == 0 {
		return nil
	}
	out := make([]T, len(v))
	for i, x := range v {
		out[i] = T(x)
	}
	return out
}

func toConsultationDoc(c *voci.Consultation) consultationDoc {
	return consultationDoc{
		ID: c.ID, Municipality: c.Municipality, Title: c.Title, Purpose: c.Purpose, EasyRead: c.EasyRead,
		AgeBands: strs(c.AgeBands), Goals: strs(c.Goals), Topics: append([]string{}, c.Topics...), AudienceBody: c.AudienceBody,
		AnswerBy: optTime(c.AnswerBy), Status: string(c.Status), Modes: strs(c.Modes),
		SelfPacedFrom: optTime(c.SelfPacedFrom), SelfPacedUntil: optTime(c.SelfPacedUntil),
		CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
	}
}

func (d consultationDoc) consultation() voci.Consultation {
	topics := d.Topics
	if len(topics) == 0 {
		topics = nil
	}
	return voci.Consultation{
		ID: d.ID, Municipality: d.Municipality, Title: d.Title, Purpose: d.Purpose, EasyRead: d.EasyRead,
		AgeBands: typed[voci.AgeBand](d.AgeBands), Goals: typed[voci.CFCIGoal](d.Goals), Topics: topics,
		AudienceBody: d.AudienceBody, AnswerBy: fromOptTime(d.AnswerBy), Status: voci.ConsultationStatus(d.Status),
		Modes: typed[voci.Mode](d.Modes), SelfPacedFrom: fromOptTime(d.SelfPacedFrom), SelfPacedUntil: fromOptTime(d.SelfPacedUntil),
		CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
}

// CreateConsultation stores a consultation; ECONFLICT if the ID exists.
func (s *Store) CreateConsultation(ctx context.Context, c *voci.Consultation) error {
	_, err := s.consultations.InsertOne(ctx, toConsultationDoc(c))
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A consultation with this identifier already exists.")
	}
	return storeError("create consultation", err)
}

// FindConsultationByID returns ENOTFOUND when there is no such consultation.
func (s *Store) FindConsultationByID(ctx context.Context, id string) (*voci.Consultation, error) {
	d, err := findOne[consultationDoc](ctx, s.consultations, bson.D{{Key: "_id", Value: id}}, "consultation")
	if err != nil {
		return nil, err
	}
	c := d.consultation()
	return &c, nil
}

// FindConsultations returns one page of a municipality's consultations, newest first.
func (s *Store) FindConsultations(ctx context.Context, f voci.ConsultationFilter) ([]voci.Consultation, int, error) {
	if f.Offset < 0 || f.Limit < 1 || f.Limit > voci.MaxPageSize {
		return nil, 0, voci.InvalidParam("pageSize", "The page size must be between 1 and %d.", voci.MaxPageSize)
	}
	filter := bson.D{{Key: "municipality", Value: f.Municipality}}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	}
	total, err := s.consultations.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, storeError("count consultations", err)
	}
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64(f.Offset)).SetLimit(int64(f.Limit))
	var docs []consultationDoc
	if err := findAll(ctx, s.consultations, filter, opts, &docs); err != nil {
		return nil, 0, storeError("find consultations", err)
	}
	out := make([]voci.Consultation, len(docs))
	for i, d := range docs {
		out[i] = d.consultation()
	}
	return out, int(total), nil
}

func findAll(ctx context.Context, coll *mongo.Collection, filter any, opts *options.FindOptions, out any) error {
	cur, err := coll.Find(ctx, filter, opts)
	if err != nil {
		return err
	}
	return cur.All(ctx, out)
}

// UpdateConsultation replaces the stored consultation; ENOTFOUND if gone.
func (s *Store) UpdateConsultation(ctx context.Context, c *voci.Consultation) error {
	res, err := s.consultations.ReplaceOne(ctx, bson.D{{Key: "_id", Value: c.ID}}, toConsultationDoc(c))
	return matchedOne("update consultation", res, err, "No such consultation.")
}

func matchedOne(op string, res *mongo.UpdateResult, err error, notFound string) error {
	if err != nil {
		return storeError(op, err)
	}
	if res.MatchedCount == 0 {
		return voci.Errorf(voci.ENOTFOUND, "%s", notFound)
	}
	return nil
}

// ---- questions

type optionDoc struct {
	ID    string `bson:"id"`
	Label string `bson:"label"`
	Emoji string `bson:"emoji,omitempty"`
}

type questionDoc struct {
	ID             string      `bson:"_id"`
	ConsultationID string      `bson:"consultationId"`
	Municipality   int         `bson:"municipality"`
	Position       int         `bson:"position"`
	Kind           string      `bson:"kind"`
	Prompt         string      `bson:"prompt"`
	EasyRead       string      `bson:"easyRead"`
	Options        []optionDoc `bson:"options"`
	EmojiFaces     bool        `bson:"emojiFaces"`
	MaxChoices     int         `bson:"maxChoices"`
	Frozen         bool        `bson:"frozen"`
	CreatedAt      time.Time   `bson:"createdAt"`
	UpdatedAt      time.Time   `bson:"updatedAt"`
}

func optionDocs(opts []voci.Option) []optionDoc {
	out := make([]optionDoc, len(opts))
	for i, o := range opts {
		out[i] = optionDoc(o)
	}
	return out
}

func (d questionDoc) question() voci.Question {
	q := voci.Question{ID: d.ID, ConsultationID: d.ConsultationID, Municipality: d.Municipality, Position: d.Position,
		Kind: voci.QuestionKind(d.Kind), Prompt: d.Prompt, EasyRead: d.EasyRead, EmojiFaces: d.EmojiFaces,
		MaxChoices: d.MaxChoices, Frozen: d.Frozen, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	for _, o := range d.Options {
		q.Options = append(q.Options, voci.Option(o))
	}
	return q
}

// CreateQuestion stores a question; ECONFLICT if the ID exists.
func (s *Store) CreateQuestion(ctx context.Context, q *voci.Question) error {
	_, err := s.questions.InsertOne(ctx, questionDoc{ID: q.ID, ConsultationID: q.ConsultationID, Municipality: q.Municipality,
		Position: q.Position, Kind: string(q.Kind), Prompt: q.Prompt, EasyRead: q.EasyRead, Options: optionDocs(q.Options),
		EmojiFaces: q.EmojiFaces, MaxChoices: q.MaxChoices, Frozen: q.Frozen, CreatedAt: q.CreatedAt.UTC(), UpdatedAt: q.UpdatedAt.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A question with this identifier already exists.")
	}
	return storeError("create question", err)
}

// FindQuestionByID returns ENOTFOUND when there is no such question.
func (s *Store) FindQuestionByID(ctx context.Context, id string) (*voci.Question, error) {
	d, err := findOne[questionDoc](ctx, s.questions, bson.D{{Key: "_id", Value: id}}, "question")
	if err != nil {
		return nil, err
	}
	q := d.question()
	return &q, nil
}

// ListQuestions returns the consultation's questions by position.
func (s *Store) ListQuestions(ctx context.Context, consultationID string) ([]voci.Question, error) {
	var docs []questionDoc
	opts := options.Find().SetSort(bson.D{{Key: "position", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	if err := findAll(ctx, s.questions, bson.D{{Key: "consultationId", Value: consultationID}}, opts, &docs); err != nil {
		return nil, storeError("list questions", err)
	}
	var out []voci.Question
	for _, d := range docs {
		out = append(out, d.question())
	}
	return out, nil
}

// UpdateQuestion replaces a question's content; with onlyIfNotFrozen the filter requires it
// unfrozen, so the check and the write are one atomic operation.
func (s *Store) UpdateQuestion(ctx context.Context, q *voci.Question, onlyIfNotFrozen bool) error {
	filter := bson.D{{Key: "_id", Value: q.ID}}
	if onlyIfNotFrozen {
		filter = append(filter, bson.E{Key: "frozen", Value: false})
	}
	res, err := s.questions.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{
		{Key: "kind", Value: string(q.Kind)}, {Key: "prompt", Value: q.Prompt}, {Key: "easyRead", Value: q.EasyRead},
		{Key: "options", Value: optionDocs(q.Options)}, {Key: "emojiFaces", Value: q.EmojiFaces},
		{Key: "maxChoices", Value: q.MaxChoices}, {Key: "updatedAt", Value: q.UpdatedAt.UTC()},
	}}})
	err = matchedOne("update question", res, err, "No such question.")
	if voci.ErrorCode(err) == voci.ENOTFOUND && onlyIfNotFrozen {
		if _, ferr := s.FindQuestionByID(ctx, q.ID); ferr == nil {
			return voci.Errorf(voci.EFROZEN, "Children have answered this question, so its kind and options can no longer change.")
		}
	}
	return err
}

// FreezeQuestion marks the question frozen; ENOTFOUND if gone.
func (s *Store) FreezeQuestion(ctx context.Context, id string) error {
	res, err := s.questions.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "frozen", Value: true}}}})
	return matchedOne("freeze question", res, err, "No such question.")
}

// DeleteQuestion removes a question that is not frozen.
func (s *Store) DeleteQuestion(ctx context.Context, id string) error {
	res, err := s.questions.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "frozen", Value: false}})
	if err != nil {
		return storeError("delete question", err)
	}
	if res.DeletedCount == 0 {
		if _, ferr := s.FindQuestionByID(ctx, id); ferr == nil {
			return voci.Errorf(voci.EFROZEN, "Children have answered this question, so it cannot be deleted.")
		}
		return voci.Errorf(voci.ENOTFOUND, "No such question.")
	}
	return nil
}

// SetQuestionPositions numbers the questions in the order of ids. Without multi-document
// transactions each question is one write; a failure half-way leaves positions that still
// sort every question once, and repeating the call settles them.
func (s *Store) SetQuestionPositions(ctx context.Context, consultationID string, ids []string) error {
	for i, id := range ids {
		res, err := s.questions.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "consultationId", Value: consultationID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "position", Value: i}}}})
		if err := matchedOne("reorder questions", res, err, "No such question in this consultation."); err != nil {
			return err
		}
	}
	return nil
}

// ---- live sessions

type liveDoc struct {
	ID             string `bson:"_id"`
	ConsultationID string `bson:"consultationId"`
	Municipality   int    `bson:"municipality"`
	JoinCode       string `bson:"joinCode"`
	// ActiveCode is the join code while the session has not ended, and absent after: a sparse
	// unique index on it makes the code unique among active sessions.
	ActiveCode *string    `bson:"activeCode,omitempty"`
	State      string     `bson:"state"`
	QuestionID string     `bson:"questionId"`
	Deadline   *time.Time `bson:"deadline,omitempty"`
	Revealed   []string   `bson:"revealed"`
	TrustText  bool       `bson:"trustText"`
	StartedBy  string     `bson:"startedBy"`
	StartedAt  time.Time  `bson:"startedAt"`
	EndedAt    *time.Time `bson:"endedAt,omitempty"`
}

func toLiveDoc(l *voci.LiveSession) liveDoc {
	d := liveDoc{ID: l.ID, ConsultationID: l.ConsultationID, Municipality: l.Municipality, JoinCode: l.JoinCode,
		State: string(l.State), QuestionID: l.QuestionID, Deadline: optTime(l.Deadline), Revealed: append([]string{}, l.Revealed...),
		TrustText: l.TrustText, StartedBy: l.StartedBy, StartedAt: l.StartedAt.UTC(), EndedAt: optTime(l.EndedAt)}
	if l.Active() {
		code := l.JoinCode
		d.ActiveCode = &code
	}
	return d
}

func (d liveDoc) live() voci.LiveSession {
	revealed := d.Revealed
	if len(revealed) == 0 {
		revealed = nil
	}
	return voci.LiveSession{ID: d.ID, ConsultationID: d.ConsultationID, Municipality: d.Municipality, JoinCode: d.JoinCode,
		State: voci.LiveState(d.State), QuestionID: d.QuestionID, Deadline: fromOptTime(d.Deadline), Revealed: revealed,
		TrustText: d.TrustText, StartedBy: d.StartedBy, StartedAt: d.StartedAt.UTC(), EndedAt: fromOptTime(d.EndedAt)}
}

// CreateLiveSession stores a session; ECONFLICT when its code is used by an active session.
func (s *Store) CreateLiveSession(ctx context.Context, l *voci.LiveSession) error {
	_, err := s.liveSessions.InsertOne(ctx, toLiveDoc(l))
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This join code or identifier is in use.")
	}
	return storeError("create live session", err)
}

func (s *Store) findLive(ctx context.Context, filter bson.D, notFound error) (*voci.LiveSession, error) {
	d, err := findOne[liveDoc](ctx, s.liveSessions, filter, "live session")
	if voci.ErrorCode(err) == voci.ENOTFOUND {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	l := d.live()
	return &l, nil
}

// FindLiveSessionByID returns ENOTFOUND when there is no such session.
func (s *Store) FindLiveSessionByID(ctx context.Context, id string) (*voci.LiveSession, error) {
	return s.findLive(ctx, bson.D{{Key: "_id", Value: id}}, voci.Errorf(voci.ENOTFOUND, "No such live session."))
}

// FindLiveSessionByCode returns the active session with the code, or ESESSIONNOTFOUND.
func (s *Store) FindLiveSessionByCode(ctx context.Context, code string) (*voci.LiveSession, error) {
	return s.findLive(ctx, bson.D{{Key: "activeCode", Value: code}},
		voci.Errorf(voci.ESESSIONNOTFOUND, "No session is open with this code. Check the code with your facilitator."))
}

// ListLiveSessions returns the consultation's sessions, newest first.
func (s *Store) ListLiveSessions(ctx context.Context, consultationID string) ([]voci.LiveSession, error) {
	var docs []liveDoc
	opts := options.Find().SetSort(bson.D{{Key: "startedAt", Value: -1}, {Key: "_id", Value: -1}})
	if err := findAll(ctx, s.liveSessions, bson.D{{Key: "consultationId", Value: consultationID}}, opts, &docs); err != nil {
		return nil, storeError("list live sessions", err)
	}
	var out []voci.LiveSession
	for _, d := range docs {
		out = append(out, d.live())
	}
	return out, nil
}

// UpdateLiveSession replaces the stored session; ENOTFOUND if gone.
func (s *Store) UpdateLiveSession(ctx context.Context, l *voci.LiveSession) error {
	res, err := s.liveSessions.ReplaceOne(ctx, bson.D{{Key: "_id", Value: l.ID}}, toLiveDoc(l))
	return matchedOne("update live session", res, err, "No such live session.")
}

// ---- participants

type participantDoc struct {
	ID        string    `bson:"_id"`
	SessionID string    `bson:"sessionId"`
	TokenHash string    `bson:"tokenHash"`
	Alias     string    `bson:"alias"`
	Lang      string    `bson:"lang"`
	AgeBand   string    `bson:"ageBand"`
	Gender    string    `bson:"gender"`
	Rerolls   int       `bson:"rerolls"`
	Removed   bool      `bson:"removed"`
	JoinedAt  time.Time `bson:"joinedAt"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

func (d participantDoc) participant() voci.Participant {
	return voci.Participant{ID: d.ID, SessionID: d.SessionID, TokenHash: d.TokenHash, Alias: d.Alias, Lang: voci.Lang(d.Lang),
		AgeBand: voci.AgeBand(d.AgeBand), Gender: voci.Gender(d.Gender), Rerolls: d.Rerolls, Removed: d.Removed,
		JoinedAt: d.JoinedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
}

// CreateParticipant stores a participant; ECONFLICT if the ID or token exists.
func (s *Store) CreateParticipant(ctx context.Context, p *voci.Participant) error {
	_, err := s.participants.InsertOne(ctx, participantDoc{ID: p.ID, SessionID: p.SessionID, TokenHash: p.TokenHash, Alias: p.Alias,
		Lang: string(p.Lang), AgeBand: string(p.AgeBand), Gender: string(p.Gender), Rerolls: p.Rerolls, Removed: p.Removed,
		JoinedAt: p.JoinedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A participant with this identifier already exists.")
	}
	return storeError("create participant", err)
}

func (s *Store) findParticipant(ctx context.Context, filter bson.D) (*voci.Participant, error) {
	d, err := findOne[participantDoc](ctx, s.participants, filter, "participant")
	if err != nil {
		return nil, err
	}
	p := d.participant()
	return &p, nil
}

// FindParticipantByTokenHash returns ENOTFOUND when no participant has the token.
func (s *Store) FindParticipantByTokenHash(ctx context.Context, hash string) (*voci.Participant, error) {
	return s.findParticipant(ctx, bson.D{{Key: "tokenHash", Value: hash}})
}

// FindParticipantByID returns ENOTFOUND when there is no such participant.
func (s *Store) FindParticipantByID(ctx context.Context, id string) (*voci.Participant, error) {
	return s.findParticipant(ctx, bson.D{{Key: "_id", Value: id}})
}

// UpdateParticipant replaces the participant's alias, profile and removal.
func (s *Store) UpdateParticipant(ctx context.Context, p *voci.Participant) error {
	// $max keeps a removal: true sorts after false.
	res, err := s.participants.UpdateOne(ctx, bson.D{{Key: "_id", Value: p.ID}}, bson.D{
		{Key: "$set", Value: bson.D{
			{Key: "alias", Value: p.Alias}, {Key: "lang", Value: string(p.Lang)}, {Key: "ageBand", Value: string(p.AgeBand)},
			{Key: "gender", Value: string(p.Gender)}, {Key: "rerolls", Value: p.Rerolls}, {Key: "updatedAt", Value: p.UpdatedAt.UTC()},
		}},
		{Key: "$max", Value: bson.D{{Key: "removed", Value: p.Removed}}},
	})
	return matchedOne("update participant", res, err, "No such participant.")
}

// ListSessionParticipants returns the session's participants, first joined first.
func (s *Store) ListSessionParticipants(ctx context.Context, sessionID string) ([]voci.Participant, error) {
	var docs []participantDoc
	opts := options.Find().SetSort(bson.D{{Key: "joinedAt", Value: 1}, {Key: "_id", Value: 1}})
	if err := findAll(ctx, s.participants, bson.D{{Key: "sessionId", Value: sessionID}}, opts, &docs); err != nil {
		return nil, storeError("list participants", err)
	}
	var out []voci.Participant
	for _, d := range docs {
		out = append(out, d.participant())
	}
	return out, nil
}

// CountParticipants counts the session's participants that were not removed.
func (s *Store) CountParticipants(ctx context.Context, sessionID string) (int, error) {
	n, err := s.participants.CountDocuments(ctx, bson.D{{Key: "sessionId", Value: sessionID}, {Key: "removed", Value: false}})
	return int(n), storeError("count participants", err)
}

// ---- answers

type answerDoc struct {
	ID             string     `bson:"_id"`
	QuestionID     string     `bson:"questionId"`
	ConsultationID string     `bson:"consultationId"`
	SessionID      string     `bson:"sessionId"`
	ParticipantID  string     `bson:"participantId"`
	Municipality   int        `bson:"municipality"`
	Source         string     `bson:"source"`
	Choices        []string   `bson:"choices"`
	Text           string     `bson:"text"`
	Moderation     string     `bson:"moderation"`
	Flags          []string   `bson:"flags"`
	AgeBand        string     `bson:"ageBand"`
	Gender         string     `bson:"gender"`
	IdempotencyKey string     `bson:"idempotencyKey"`
	Revision       int        `bson:"revision"`
	CreatedAt      time.Time  `bson:"createdAt"`
	UpdatedAt      time.Time  `bson:"updatedAt"`
	ModeratedBy    string     `bson:"moderatedBy"`
	ModeratedAt    *time.Time `bson:"moderatedAt,omitempty"`
}

func (d answerDoc) answer() voci.Answer {
	a := voci.Answer{ID: d.ID, QuestionID: d.QuestionID, ConsultationID: d.ConsultationID, SessionID: d.SessionID,
		ParticipantID: d.ParticipantID, Municipality: d.Municipality, Source: voci.AnswerSource(d.Source), Text: d.Text,
		Moderation: voci.ModerationState(d.Moderation), AgeBand: voci.AgeBand(d.AgeBand), Gender: voci.Gender(d.Gender),
		IdempotencyKey: d.IdempotencyKey, Revision: d.Revision, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
		ModeratedBy: d.ModeratedBy, ModeratedAt: fromOptTime(d.ModeratedAt)}
	if len(d.Choices) > 0 {
		a.Choices = d.Choices
	}
	if len(d.Flags) > 0 {
		a.Flags = d.Flags
	}
	return a
}

// receiptDoc is one submission, keyed by participant and idempotency key. It carries the
// answer as submitted, so that a retry after a crash between the two writes can finish the
// job.
type receiptDoc struct {
	ID             string    `bson:"_id"` // participantId + "\x00" + key
	ParticipantID  string    `bson:"participantId"`
	IdempotencyKey string    `bson:"idempotencyKey"`
	QuestionID     string    `bson:"questionId"`
	AnswerID       string    `bson:"answerId"`
	Moderation     string    `bson:"moderation"`
	AcceptedAt     time.Time `bson:"acceptedAt"`
	Answer         answerDoc `bson:"answer"`
}

func (d receiptDoc) receipt(replayed bool) *voci.AnswerReceipt {
	return &voci.AnswerReceipt{ParticipantID: d.ParticipantID, IdempotencyKey: d.IdempotencyKey, QuestionID: d.QuestionID,
		AnswerID: d.AnswerID, Moderation: voci.ModerationState(d.Moderation), AcceptedAt: d.AcceptedAt.UTC(), Replayed: replayed}
}

// SaveAnswer records a submission without a multi-document transaction. The receipt is
// inserted first: its unique _id (participant and key) lets exactly one of concurrent
// duplicates through. The winner then upserts the answer, keyed by participant and question
// (its _id is derived from both), so a participant has one current answer whatever happens.
// A duplicate that finds the receipt but no answer (the winner crashed between its writes)
// applies the receipt's answer itself. Both writes use majority, journaled write concern.
func (s *Store) SaveAnswer(ctx context.Context, a *voci.Answer) (*voci.AnswerReceipt, error) {
	doc := answerDoc{ID: a.ID, QuestionID: a.QuestionID, ConsultationID: a.ConsultationID, SessionID: a.SessionID,
		ParticipantID: a.ParticipantID, Municipality: a.Municipality, Source: string(a.Source), Choices: a.Choices,
		Text: a.Text, Moderation: string(a.Moderation), Flags: a.Flags, AgeBand: string(a.AgeBand), Gender: string(a.Gender),
		IdempotencyKey: a.IdempotencyKey, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
	rd := receiptDoc{ID: a.ParticipantID + "\x00" + a.IdempotencyKey, ParticipantID: a.ParticipantID, IdempotencyKey: a.IdempotencyKey,
		QuestionID: a.QuestionID, AnswerID: a.ID, Moderation: string(a.Moderation), AcceptedAt: a.UpdatedAt.UTC(), Answer: doc}
	_, err := s.answerReceipts.InsertOne(ctx, rd)
	if mongo.IsDuplicateKeyError(err) {
		var first receiptDoc
		if err := s.answerReceipts.FindOne(ctx, bson.D{{Key: "_id", Value: rd.ID}}).Decode(&first); err != nil {
			return nil, storeError("save answer", err)
		}
		n, err := s.answers.CountDocuments(ctx, bson.D{{Key: "_id", Value: first.AnswerID}})
		if err != nil {
			return nil, storeError("save answer", err)
		}
		if n == 0 {
			if _, err := s.upsertAnswer(ctx, first.Answer); err != nil {
				return nil, err
			}
		}
		return first.receipt(true), nil
	}
	if err != nil {
		return nil, storeError("save answer receipt", err)
	}
	stored, err := s.upsertAnswer(ctx, doc)
	if err != nil {
		return nil, err
	}
	a.Revision, a.CreatedAt = stored.Revision, stored.CreatedAt.UTC()
	return rd.receipt(false), nil
}

// upsertAnswer inserts or replaces the current answer in one atomic write, returning it.
func (s *Store) upsertAnswer(ctx context.Context, d answerDoc) (*answerDoc, error) {
	update := bson.D{
		{Key: "$set", Value: bson.D{
			{Key: "sessionId", Value: d.SessionID}, {Key: "source", Value: d.Source}, {Key: "choices", Value: d.Choices},
			{Key: "text", Value: d.Text}, {Key: "moderation", Value: d.Moderation}, {Key: "flags", Value: d.Flags},
			{Key: "ageBand", Value: d.AgeBand}, {Key: "gender", Value: d.Gender}, {Key: "idempotencyKey", Value: d.IdempotencyKey},
			{Key: "updatedAt", Value: d.UpdatedAt}, {Key: "moderatedBy", Value: ""},
		}},
		{Key: "$unset", Value: bson.D{{Key: "moderatedAt", Value: ""}}},
		{Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}},
		{Key: "$setOnInsert", Value: bson.D{
			{Key: "questionId", Value: d.QuestionID}, {Key: "consultationId", Value: d.ConsultationID},
			{Key: "participantId", Value: d.ParticipantID}, {Key: "municipality", Value: d.Municipality},
			{Key: "createdAt", Value: d.CreatedAt},
		}},
	}
	opts := options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)
	var out answerDoc
	var err error
	// Two concurrent upserts of one new _id may both try to insert; the loser's retry updates.
	for range 2 {
		err = s.answers.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: d.ID}}, update, opts).Decode(&out)
		if !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	if err != nil {
		return nil, storeError("save answer", err)
	}
	return &out, nil
}

func (s *Store) listAnswers(ctx context.Context, op string, filter bson.D) ([]voci.Answer, error) {
	var docs []answerDoc
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	if err := findAll(ctx, s.answers, filter, opts, &docs); err != nil {
		return nil, storeError(op, err)
	}
	var out []voci.Answer
	for _, d := range docs {
		out = append(out, d.answer())
	}
	return out, nil
}

// FindAnswerByID returns ENOTFOUND when there is no such answer.
func (s *Store) FindAnswerByID(ctx context.Context, id string) (*voci.Answer, error) {
	d, err := findOne[answerDoc](ctx, s.answers, bson.D{{Key: "_id", Value: id}}, "answer")
	if err != nil {
		return nil, err
	}
	a := d.answer()
	return &a, nil
}

// CountAnswers counts the question's visible answers by choices, age band, gender and source
// with one $group, so that results of a question with many answers read a few documents.
func (s *Store) CountAnswers(ctx context.Context, questionID string) ([]voci.AnswerCount, error) {
	pipeline := mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "questionId", Value: questionID}, {Key: "moderation", Value: bson.D{{Key: "$in", Value: bson.A{"", "approved"}}}}}}},
		{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: bson.D{{Key: "choices", Value: "$choices"}, {Key: "ageBand", Value: "$ageBand"}, {Key: "gender", Value: "$gender"}, {Key: "source", Value: "$source"}}},
			{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}},
		}}},
	}
	cur, err := s.answers.Aggregate(ctx, pipeline)
	if err != nil {
		return nil, storeError("count answers", err)
	}
	var docs []struct {
		ID struct {
			Choices []string `bson:"choices"`
			AgeBand string   `bson:"ageBand"`
			Gender  string   `bson:"gender"`
			Source  string   `bson:"source"`
		} `bson:"_id"`
		N int `bson:"n"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("count answers", err)
	}
	var out []voci.AnswerCount
	for _, d := range docs {
		out = append(out, voci.AnswerCount{Choices: d.ID.Choices, AgeBand: voci.AgeBand(d.ID.AgeBand), Gender: voci.Gender(d.ID.Gender),
			Source: voci.AnswerSource(d.ID.Source), N: d.N})
	}
	return out, nil
}

// ListAnswers returns the question's current answers, oldest first.
func (s *Store) ListAnswers(ctx context.Context, questionID string) ([]voci.Answer, error) {
	return s.listAnswers(ctx, "list answers", bson.D{{Key: "questionId", Value: questionID}})
}

// ListParticipantAnswers returns the participant's current answers.
func (s *Store) ListParticipantAnswers(ctx context.Context, participantID string) ([]voci.Answer, error) {
	return s.listAnswers(ctx, "list participant answers", bson.D{{Key: "participantId", Value: participantID}})
}

// FindModerationQueue returns the consultation's held and pending texts, oldest first.
func (s *Store) FindModerationQueue(ctx context.Context, consultationID string) ([]voci.Answer, error) {
	return s.listAnswers(ctx, "moderation queue", bson.D{{Key: "consultationId", Value: consultationID},
		{Key: "moderation", Value: bson.D{{Key: "$in", Value: bson.A{"held", "pending"}}}}})
}

// ModerateAnswer sets the moderation state if the answer is still at revision.
func (s *Store) ModerateAnswer(ctx context.Context, id string, revision int, state voci.ModerationState, by string, at time.Time) (*voci.Answer, error) {
	var d answerDoc
	err := s.answers.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "revision", Value: revision}, {Key: "moderation", Value: bson.D{{Key: "$ne", Value: ""}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "moderation", Value: string(state)}, {Key: "moderatedBy", Value: by}, {Key: "moderatedAt", Value: at.UTC()}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		if _, ferr := s.FindAnswerByID(ctx, id); ferr == nil {
			return nil, voci.Errorf(voci.ECONFLICT, "The child changed this text since you saw it; look at it again.")
		}
		return nil, voci.Errorf(voci.ENOTFOUND, "No such answer.")
	}
	if err != nil {
		return nil, storeError("moderate answer", err)
	}
	a := d.answer()
	return &a, nil
}

// ---- reactions to ideas

type reactionDoc struct {
	ID            string    `bson:"_id"` // ideaId + "\x00" + participantId: one per child and idea
	IdeaID        string    `bson:"ideaId"`
	ParticipantID string    `bson:"participantId"`
	QuestionID    string    `bson:"questionId"`
	SessionID     string    `bson:"sessionId"`
	Reaction      string    `bson:"reaction"`
	At            time.Time `bson:"at"`
}

// SaveReaction stores or replaces the participant's reaction to the idea, in one upsert.
func (s *Store) SaveReaction(ctx context.Context, r *voci.IdeaReaction) error {
	d := reactionDoc{ID: r.IdeaID + "\x00" + r.ParticipantID, IdeaID: r.IdeaID, ParticipantID: r.ParticipantID,
		QuestionID: r.QuestionID, SessionID: r.SessionID, Reaction: string(r.Reaction), At: r.At.UTC()}
	var err error
	// Two concurrent first reactions may both try to insert; the loser's retry replaces.
	for range 2 {
		_, err = s.ideaReactions.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
		if !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	return storeError("save reaction", err)
}

// DeleteReactions forgets every reaction to the idea (through the questionId_ideaId index).
func (s *Store) DeleteReactions(ctx context.Context, questionID, ideaID string) error {
	_, err := s.ideaReactions.DeleteMany(ctx, bson.D{{Key: "questionId", Value: questionID}, {Key: "ideaId", Value: ideaID}})
	return storeError("delete reactions", err)
}

// ListReactions returns the reactions given in the session to the question's ideas (through
// the questionId_ideaId index).
func (s *Store) ListReactions(ctx context.Context, questionID, sessionID string) ([]voci.IdeaReaction, error) {
	return s.listReactions(ctx, bson.D{{Key: "questionId", Value: questionID}, {Key: "sessionId", Value: sessionID}},
		bson.D{{Key: "ideaId", Value: 1}, {Key: "participantId", Value: 1}})
}

// ListParticipantReactions returns the participant's reactions to the question's ideas
// (through the participantId_questionId index).
func (s *Store) ListParticipantReactions(ctx context.Context, questionID, participantID string) ([]voci.IdeaReaction, error) {
	return s.listReactions(ctx, bson.D{{Key: "participantId", Value: participantID}, {Key: "questionId", Value: questionID}},
		bson.D{{Key: "ideaId", Value: 1}})
}

func (s *Store) listReactions(ctx context.Context, filter, sort bson.D) ([]voci.IdeaReaction, error) {
	cur, err := s.ideaReactions.Find(ctx, filter, options.Find().SetSort(sort))
	if err != nil {
		return nil, storeError("list reactions", err)
	}
	var docs []reactionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("list reactions", err)
	}
	out := make([]voci.IdeaReaction, 0, len(docs))
	for _, d := range docs {
		out = append(out, voci.IdeaReaction{IdeaID: d.IdeaID, QuestionID: d.QuestionID, SessionID: d.SessionID,
			ParticipantID: d.ParticipantID, Reaction: voci.Reaction(d.Reaction), At: d.At.UTC()})
	}
	return out, nil
}

// CountReactions counts the reactions to the question's ideas, by idea, with one $group.
func (s *Store) CountReactions(ctx context.Context, questionID string) (map[string]voci.ReactionCounts, error) {
	cur, err := s.ideaReactions.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "questionId", Value: questionID}}}},
		{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: bson.D{{Key: "idea", Value: "$ideaId"}, {Key: "reaction", Value: "$reaction"}}},
			{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}},
		}}},
	})
	if err != nil {
		return nil, storeError("count reactions", err)
	}
	var docs []struct {
		ID struct {
			Idea     string `bson:"idea"`
			Reaction string `bson:"reaction"`
		} `bson:"_id"`
		N int `bson:"n"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("count reactions", err)
	}
	out := map[string]voci.ReactionCounts{}
	for _, d := range docs {
		c := out[d.ID.Idea]
		switch voci.Reaction(d.ID.Reaction) {
		case voci.ReactAgree:
			c.Agree += d.N
		case voci.ReactDisagree:
			c.Disagree += d.N
		case voci.ReactPass:
			c.Pass += d.N
		}
		out[d.ID.Idea] = c
	}
	return out, nil
}
