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
	// Languages: absent for consultations stored before languages were chosen (Romanian).
	Languages    []string                       `bson:"languages,omitempty"`
	Translations map[string]consultationTextDoc `bson:"translations,omitempty"`
	PendingAudit []auditDoc                     `bson:"pendingAudit,omitempty"` // see outbox.go
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
		Languages: strs(c.OfferedLanguages()), Translations: consultationTextDocs(c.Translations),
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
		Languages: typed[voci.Lang](d.Languages), Translations: consultationTexts(d.Translations),
	}
}

// CreateConsultation stores a consultation with its audit entry pending inside it (one
// insert; see outbox.go); ECONFLICT if the ID exists.
func (s *Store) CreateConsultation(ctx context.Context, c *voci.Consultation, audit *voci.AuditEntry) error {
	d := toConsultationDoc(c)
	d.PendingAudit = pending(audit)
	_, err := s.consultations.InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A consultation with this identifier already exists.")
	}
	if err != nil {
		return storeError("create consultation", err)
	}
	s.completeOne(ctx, s.consultations, c.ID)
	return nil
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

// UpdateConsultation replaces the stored consultation's fields and pushes its audit entry in
// one update (see outbox.go); ENOTFOUND if gone.
func (s *Store) UpdateConsultation(ctx context.Context, c *voci.Consultation, audit *voci.AuditEntry) error {
	d := toConsultationDoc(c)
	set := bson.D{
		{Key: "municipality", Value: d.Municipality}, {Key: "title", Value: d.Title}, {Key: "purpose", Value: d.Purpose},
		{Key: "easyRead", Value: d.EasyRead}, {Key: "ageBands", Value: d.AgeBands}, {Key: "goals", Value: d.Goals},
		{Key: "topics", Value: d.Topics}, {Key: "audienceBody", Value: d.AudienceBody}, {Key: "status", Value: d.Status},
		{Key: "modes", Value: d.Modes}, {Key: "createdBy", Value: d.CreatedBy}, {Key: "createdAt", Value: d.CreatedAt},
		{Key: "updatedAt", Value: d.UpdatedAt}, {Key: "languages", Value: d.Languages}, {Key: "translations", Value: d.Translations},
	}
	unset := bson.D{}
	for _, f := range []struct {
		key string
		t   *time.Time
	}{{"answerBy", d.AnswerBy}, {"selfPacedFrom", d.SelfPacedFrom}, {"selfPacedUntil", d.SelfPacedUntil}} {
		if f.t != nil {
			set = append(set, bson.E{Key: f.key, Value: *f.t})
		} else {
			unset = append(unset, bson.E{Key: f.key, Value: ""})
		}
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	res, err := s.consultations.UpdateOne(ctx, bson.D{{Key: "_id", Value: c.ID}}, withPending(update, audit))
	if err := matchedOne("update consultation", res, err, "No such consultation."); err != nil {
		return err
	}
	s.completeOne(ctx, s.consultations, c.ID)
	return nil
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
	ID      string      `bson:"id"`
	Label   string      `bson:"label"`
	Emoji   string      `bson:"emoji,omitempty"`
	Picture *pictureDoc `bson:"picture,omitempty"`
}

// pictureDoc is a question's or an option's picture; its file is in GridFS (files.go).
type pictureDoc struct {
	File   string `bson:"file"`
	Alt    string `bson:"alt"`
	Width  int    `bson:"width"`
	Height int    `bson:"height"`
}

func toPictureDoc(p voci.Picture) *pictureDoc {
	if p.IsZero() {
		return nil
	}
	d := pictureDoc(p)
	return &d
}

func (d *pictureDoc) picture() voci.Picture {
	if d == nil {
		return voci.Picture{}
	}
	return voci.Picture(*d)
}

type questionDoc struct {
	ID             string                     `bson:"_id"`
	ConsultationID string                     `bson:"consultationId"`
	Municipality   int                        `bson:"municipality"`
	Position       int                        `bson:"position"`
	Kind           string                     `bson:"kind"`
	Prompt         string                     `bson:"prompt"`
	EasyRead       string                     `bson:"easyRead"`
	Options        []optionDoc                `bson:"options"`
	EmojiFaces     bool                       `bson:"emojiFaces"`
	MaxChoices     int                        `bson:"maxChoices"`
	Frozen         bool                       `bson:"frozen"`
	CreatedAt      time.Time                  `bson:"createdAt"`
	UpdatedAt      time.Time                  `bson:"updatedAt"`
	Revision       int                        `bson:"revision"`
	PromptVersion  int                        `bson:"promptVersion"`
	PromptSince    *time.Time                 `bson:"promptSince,omitempty"`
	EarlierPrompts []promptDoc                `bson:"earlierPrompts,omitempty"`
	Picture        *pictureDoc                `bson:"picture,omitempty"`
	Translations   map[string]questionTextDoc `bson:"translations,omitempty"`
	Deleted        bool                       `bson:"deleted,omitempty"`      // removed once its audit entry has moved
	PendingAudit   []auditDoc                 `bson:"pendingAudit,omitempty"` // see outbox.go
}

// promptDoc is one earlier wording of a question.
type promptDoc struct {
	Version      int                        `bson:"version"`
	Prompt       string                     `bson:"prompt"`
	EasyRead     string                     `bson:"easyRead"`
	Translations map[string]questionTextDoc `bson:"translations,omitempty"`
	From         time.Time                  `bson:"from"`
	Until        time.Time                  `bson:"until"`
}

func promptDocs(q *voci.Question) []promptDoc {
	out := make([]promptDoc, len(q.EarlierPrompts))
	for i, v := range q.EarlierPrompts {
		out[i] = promptDoc{Version: v.Version, Prompt: v.Prompt, EasyRead: v.EasyRead, From: v.From.UTC(), Until: v.Until.UTC()}
		if len(v.Translations) > 0 {
			out[i].Translations = questionTextDocs(v.Translations)
		}
	}
	return out
}

// notDeleted excludes questions deleted whose removal waits for their audit entry.
var notDeleted = bson.E{Key: "deleted", Value: bson.D{{Key: "$ne", Value: true}}}

// atRevision matches a question at revision r; questions stored before revisions were
// counted are at revision 1.
func atRevision(r int) bson.E {
	if r == 1 {
		return bson.E{Key: "revision", Value: bson.D{{Key: "$in", Value: bson.A{1, nil}}}}
	}
	return bson.E{Key: "revision", Value: r}
}

func optionDocs(opts []voci.Option) []optionDoc {
	out := make([]optionDoc, len(opts))
	for i, o := range opts {
		out[i] = optionDoc{ID: o.ID, Label: o.Label, Emoji: o.Emoji, Picture: toPictureDoc(o.Picture)}
	}
	return out
}

func (d questionDoc) question() voci.Question {
	q := voci.Question{ID: d.ID, ConsultationID: d.ConsultationID, Municipality: d.Municipality, Position: d.Position,
		Kind: voci.QuestionKind(d.Kind), Prompt: d.Prompt, EasyRead: d.EasyRead, EmojiFaces: d.EmojiFaces,
		MaxChoices: d.MaxChoices, Frozen: d.Frozen, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
		Revision: max(d.Revision, 1), PromptVersion: max(d.PromptVersion, 1), PromptSince: d.CreatedAt.UTC(),
		Translations: questionTexts(d.Translations)}
	if d.PromptSince != nil {
		q.PromptSince = d.PromptSince.UTC()
	}
	q.Picture = d.Picture.picture()
	for _, o := range d.Options {
		q.Options = append(q.Options, voci.Option{ID: o.ID, Label: o.Label, Emoji: o.Emoji, Picture: o.Picture.picture()})
	}
	for _, v := range d.EarlierPrompts {
		q.EarlierPrompts = append(q.EarlierPrompts, voci.PromptVersion{Version: v.Version, Prompt: v.Prompt, EasyRead: v.EasyRead,
			Translations: questionTexts(v.Translations), From: v.From.UTC(), Until: v.Until.UTC()})
	}
	return q
}

// CreateQuestion stores a question with its audit entry pending inside it (see outbox.go);
// ECONFLICT if the ID exists.
func (s *Store) CreateQuestion(ctx context.Context, q *voci.Question, audit *voci.AuditEntry) error {
	_, err := s.questions.InsertOne(ctx, toQuestionDoc(q, audit))
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A question with this identifier already exists.")
	}
	if err != nil {
		return storeError("create question", err)
	}
	s.completeOne(ctx, s.questions, q.ID)
	return nil
}

func toQuestionDoc(q *voci.Question, audit *voci.AuditEntry) questionDoc {
	return questionDoc{ID: q.ID, ConsultationID: q.ConsultationID, Municipality: q.Municipality,
		Position: q.Position, Kind: string(q.Kind), Prompt: q.Prompt, EasyRead: q.EasyRead, Options: optionDocs(q.Options),
		EmojiFaces: q.EmojiFaces, MaxChoices: q.MaxChoices, Frozen: q.Frozen, CreatedAt: q.CreatedAt.UTC(), UpdatedAt: q.UpdatedAt.UTC(),
		Revision: max(q.Revision, 1), PromptVersion: max(q.PromptVersion, 1), PromptSince: optTime(q.PromptSince),
		EarlierPrompts: promptDocs(q), Picture: toPictureDoc(q.Picture), Translations: questionTextDocs(q.Translations), PendingAudit: pending(audit)}
}

// CreateConsultationWithQuestions stores the questions first and the consultation last: the
// questions are found only through their consultation, so until it is stored none of them is
// visible, and when a write fails the questions already stored are deleted again.
func (s *Store) CreateConsultationWithQuestions(ctx context.Context, c *voci.Consultation, qs []voci.Question, audit *voci.AuditEntry) error {
	docs := make([]any, len(qs))
	ids := make([]string, len(qs))
	for i := range qs {
		docs[i], ids[i] = toQuestionDoc(&qs[i], nil), qs[i].ID
	}
	undo := func(err error) error {
		// Ordered inserts stop at the first failure; delete only what this call stored, never
		// a question that already existed under a duplicate ID.
		stored := ids
		var bulk mongo.BulkWriteException
		if errors.As(err, &bulk) && len(bulk.WriteErrors) > 0 {
			stored = ids[:bulk.WriteErrors[0].Index]
		}
		if len(stored) > 0 {
			_, _ = s.questions.DeleteMany(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: stored}}}})
		}
		return err
	}
	if len(docs) > 0 {
		if _, err := s.questions.InsertMany(ctx, docs); err != nil {
			err = undo(err)
			if mongo.IsDuplicateKeyError(err) {
				return voci.Errorf(voci.ECONFLICT, "A question with this identifier already exists.")
			}
			return storeError("create questions", err)
		}
	}
	if err := s.CreateConsultation(ctx, c, audit); err != nil {
		_, _ = s.questions.DeleteMany(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
		return err
	}
	return nil
}

// FindQuestionByID returns ENOTFOUND when there is no such question.
func (s *Store) FindQuestionByID(ctx context.Context, id string) (*voci.Question, error) {
	d, err := findOne[questionDoc](ctx, s.questions, bson.D{{Key: "_id", Value: id}, notDeleted}, "question")
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
	if err := findAll(ctx, s.questions, bson.D{{Key: "consultationId", Value: consultationID}, notDeleted}, opts, &docs); err != nil {
		return nil, storeError("list questions", err)
	}
	var out []voci.Question
	for _, d := range docs {
		out = append(out, d.question())
	}
	return out, nil
}

// UpdateQuestion replaces a question's content and pushes its audit entry in one update whose
// filter requires the revision and frozen state the change was decided on, so that the check
// and the write are one atomic operation (EQUESTIONCHANGED when they no longer hold).
func (s *Store) UpdateQuestion(ctx context.Context, q *voci.Question, audit *voci.AuditEntry) error {
	filter := bson.D{{Key: "_id", Value: q.ID}, notDeleted, atRevision(q.Revision - 1), {Key: "frozen", Value: q.Frozen}}
	res, err := s.questions.UpdateOne(ctx, filter, withPending(bson.D{{Key: "$set", Value: bson.D{
		{Key: "kind", Value: string(q.Kind)}, {Key: "prompt", Value: q.Prompt}, {Key: "easyRead", Value: q.EasyRead},
		{Key: "options", Value: optionDocs(q.Options)}, {Key: "emojiFaces", Value: q.EmojiFaces},
		{Key: "maxChoices", Value: q.MaxChoices}, {Key: "updatedAt", Value: q.UpdatedAt.UTC()},
		{Key: "revision", Value: q.Revision}, {Key: "promptVersion", Value: q.PromptVersion},
		{Key: "promptSince", Value: q.PromptSince.UTC()}, {Key: "earlierPrompts", Value: promptDocs(q)},
		{Key: "picture", Value: toPictureDoc(q.Picture)},
		{Key: "translations", Value: questionTextDocs(q.Translations)},
	}}}, audit))
	if err := s.changedOne(ctx, "update question", res, err, q.ID); err != nil {
		return err
	}
	s.completeOne(ctx, s.questions, q.ID)
	return nil
}

// changedOne is matchedOne for a conditional write of a question: EQUESTIONCHANGED when the
// question is there but no longer as the filter said, ENOTFOUND when it is gone.
func (s *Store) changedOne(ctx context.Context, op string, res *mongo.UpdateResult, err error, id string) error {
	err = matchedOne(op, res, err, "No such question.")
	if voci.ErrorCode(err) != voci.ENOTFOUND {
		return err
	}
	if _, ferr := s.FindQuestionByID(ctx, id); ferr == nil {
		return voci.Errorf(voci.EQUESTIONCHANGED, "The question changed meanwhile.")
	}
	return err
}

// FreezeQuestion marks the question frozen; ENOTFOUND if gone.
func (s *Store) FreezeQuestion(ctx context.Context, id string) error {
	res, err := s.questions.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, notDeleted}, bson.D{{Key: "$set", Value: bson.D{{Key: "frozen", Value: true}}}})
	return matchedOne("freeze question", res, err, "No such question.")
}

// freezeForAnswer freezes the question of an answer checked against its revision
// a.FreezeQuestionAt, before the answer is written, in one conditional update: an answer
// checked against options that have changed since is refused (EQUESTIONCHANGED) and nothing is
// written. Once frozen, the options cannot change, so the answer written next means what was
// checked. A crash between the two writes leaves a frozen question without that answer, as
// opening a live question does.
func (s *Store) freezeForAnswer(ctx context.Context, a *voci.Answer) error {
	if a.FreezeQuestionAt == 0 {
		return nil
	}
	res, err := s.questions.UpdateOne(ctx, bson.D{{Key: "_id", Value: a.QuestionID}, notDeleted, atRevision(a.FreezeQuestionAt)},
		bson.D{{Key: "$set", Value: bson.D{{Key: "frozen", Value: true}}}})
	return s.changedOne(ctx, "freeze question", res, err, a.QuestionID)
}

// DeleteQuestion marks a question that is still not frozen deleted and pushes its audit entry
// in one update (EQUESTIONCHANGED if it is frozen); the document goes once the entry has
// moved to the audit trail (see outbox.go).
func (s *Store) DeleteQuestion(ctx context.Context, id string, audit *voci.AuditEntry) error {
	res, err := s.questions.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, notDeleted, {Key: "frozen", Value: false}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "deleted", Value: true}}}}, audit))
	if err := s.changedOne(ctx, "delete question", res, err, id); err != nil {
		return err
	}
	s.completeOne(ctx, s.questions, id)
	return nil
}

// SetQuestionPositions numbers the questions in the order of ids. Without multi-document
// transactions each question is one write; a failure half-way leaves positions that still
// sort every question once, and repeating the call settles them. The audit entry goes with
// the first write, so that no reorder is ever without its entry.
func (s *Store) SetQuestionPositions(ctx context.Context, consultationID string, ids []string, audit *voci.AuditEntry) error {
	for i, id := range ids {
		update := bson.D{{Key: "$set", Value: bson.D{{Key: "position", Value: i}}}}
		if i == 0 {
			update = withPending(update, audit)
		}
		res, err := s.questions.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "consultationId", Value: consultationID}, notDeleted}, update)
		if err := matchedOne("reorder questions", res, err, "No such question in this consultation."); err != nil {
			return err
		}
	}
	if len(ids) > 0 {
		s.completeOne(ctx, s.questions, ids[0])
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
	// JoinsLocked is absent (false) on sessions stored before the room lock existed.
	JoinsLocked  bool       `bson:"joinsLocked,omitempty"`
	StartedBy    string     `bson:"startedBy"`
	StartedAt    time.Time  `bson:"startedAt"`
	EndedAt      *time.Time `bson:"endedAt,omitempty"`
	PendingAudit []auditDoc `bson:"pendingAudit,omitempty"` // see outbox.go
}

// liveUpdate sets every field of the stored session to l's, leaving its pending audit entries
// in place (a replacement would drop them).
func liveUpdate(l *voci.LiveSession) bson.D {
	d := toLiveDoc(l)
	set := bson.D{{Key: "consultationId", Value: d.ConsultationID}, {Key: "municipality", Value: d.Municipality},
		{Key: "joinCode", Value: d.JoinCode}, {Key: "state", Value: d.State}, {Key: "questionId", Value: d.QuestionID},
		{Key: "revealed", Value: d.Revealed}, {Key: "trustText", Value: d.TrustText}, {Key: "joinsLocked", Value: d.JoinsLocked},
		{Key: "startedBy", Value: d.StartedBy}, {Key: "startedAt", Value: d.StartedAt}}
	unset := bson.D{}
	for _, f := range []struct {
		key string
		v   any
		ok  bool
	}{{"activeCode", d.ActiveCode, d.ActiveCode != nil}, {"deadline", d.Deadline, d.Deadline != nil}, {"endedAt", d.EndedAt, d.EndedAt != nil}} {
		if f.ok {
			set = append(set, bson.E{Key: f.key, Value: f.v})
		} else {
			unset = append(unset, bson.E{Key: f.key, Value: ""})
		}
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	return update
}

func toLiveDoc(l *voci.LiveSession) liveDoc {
	d := liveDoc{ID: l.ID, ConsultationID: l.ConsultationID, Municipality: l.Municipality, JoinCode: l.JoinCode,
		State: string(l.State), QuestionID: l.QuestionID, Deadline: optTime(l.Deadline), Revealed: append([]string{}, l.Revealed...),
		TrustText: l.TrustText, JoinsLocked: l.JoinsLocked, StartedBy: l.StartedBy, StartedAt: l.StartedAt.UTC(), EndedAt: optTime(l.EndedAt)}
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
		TrustText: d.TrustText, JoinsLocked: d.JoinsLocked, StartedBy: d.StartedBy, StartedAt: d.StartedAt.UTC(), EndedAt: fromOptTime(d.EndedAt)}
}

// CreateLiveSession stores a session; ECONFLICT when its code is used by an active session.
func (s *Store) CreateLiveSession(ctx context.Context, l *voci.LiveSession, audit *voci.AuditEntry) error {
	d := toLiveDoc(l)
	d.PendingAudit = pending(audit)
	_, err := s.liveSessions.InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This join code or identifier is in use.")
	}
	if err != nil {
		return storeError("create live session", err)
	}
	if audit != nil {
		s.completeOne(ctx, s.liveSessions, l.ID)
	}
	return nil
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

// UpdateLiveSession replaces the stored session's fields in one update; ENOTFOUND if gone.
func (s *Store) UpdateLiveSession(ctx context.Context, l *voci.LiveSession, audit *voci.AuditEntry) error {
	res, err := s.liveSessions.UpdateOne(ctx, bson.D{{Key: "_id", Value: l.ID}}, withPending(liveUpdate(l), audit))
	if err := matchedOne("update live session", res, err, "No such live session."); err != nil {
		return err
	}
	if audit != nil {
		s.completeOne(ctx, s.liveSessions, l.ID)
	}
	return nil
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
func (s *Store) UpdateParticipant(ctx context.Context, p *voci.Participant, audit *voci.AuditEntry) error {
	// $max keeps a removal: true sorts after false.
	res, err := s.participants.UpdateOne(ctx, bson.D{{Key: "_id", Value: p.ID}}, withPending(bson.D{
		{Key: "$set", Value: bson.D{
			{Key: "alias", Value: p.Alias}, {Key: "lang", Value: string(p.Lang)}, {Key: "ageBand", Value: string(p.AgeBand)},
			{Key: "gender", Value: string(p.Gender)}, {Key: "rerolls", Value: p.Rerolls}, {Key: "updatedAt", Value: p.UpdatedAt.UTC()},
		}},
		{Key: "$max", Value: bson.D{{Key: "removed", Value: p.Removed}}},
	}, audit))
	if err := matchedOne("update participant", res, err, "No such participant."); err != nil {
		return err
	}
	if audit != nil {
		s.completeOne(ctx, s.participants, p.ID)
	}
	return nil
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
	ID             string   `bson:"_id"`
	QuestionID     string   `bson:"questionId"`
	ConsultationID string   `bson:"consultationId"`
	SessionID      string   `bson:"sessionId"`
	ParticipantID  string   `bson:"participantId"`
	Municipality   int      `bson:"municipality"`
	Source         string   `bson:"source"`
	Choices        []string `bson:"choices"`
	Text           string   `bson:"text"`
	// TextFolded is Text folded (voci.FoldForSearch), written with it: the review workspace's
	// word search matches on it. Absent on answers written before it existed until Migrate
	// folds them.
	TextFolded string `bson:"textFolded,omitempty"`
	// Lang is the language of the paper form the answer was typed from (voci.Answer.Lang).
	Lang           string     `bson:"lang,omitempty"`
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
	// Receipts are the submissions that wrote this answer, newest last; absent from answers
	// written before receipts moved here.
	Receipts []receiptDoc `bson:"receipts,omitempty"`

	PromptVersion int `bson:"promptVersion,omitempty"` // 0 (absent): the first wording
	// PendingAudit is the audit outbox (see outbox.go): an entry written with this version.
	PendingAudit []auditDoc `bson:"pendingAudit,omitempty"`
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

// receiptDoc is what a replay of one submission needs, kept on the answer document it wrote:
// the key, the revision it made and its outcome, never the text. The answer and its receipt
// are one document and one write, so a crash leaves both or neither.
type receiptDoc struct {
	Key        string    `bson:"key"`
	Revision   int       `bson:"revision"`
	Moderation string    `bson:"moderation"`
	AcceptedAt time.Time `bson:"acceptedAt"`
}

// maxReceipts bounds the receipts kept on one answer: the newest. A key older than that many
// changes of one answer is taken as new if it ever comes again.
const maxReceipts = 100

func (d answerDoc) receiptFor(key string) *voci.AnswerReceipt {
	for _, r := range d.Receipts {
		if r.Key == key {
			return &voci.AnswerReceipt{ParticipantID: d.ParticipantID, IdempotencyKey: key, QuestionID: d.QuestionID, AnswerID: d.ID,
				Revision: r.Revision, Moderation: voci.ModerationState(r.Moderation), AcceptedAt: r.AcceptedAt.UTC()}
		}
	}
	return nil
}

// DeletePaperForm removes the form's answers (their receipts are on them). Without
// multi-document transactions the audit entry goes first, pending on the consultation's
// document (see outbox.go), then the answers go in one DeleteMany, which is safe to repeat.
// A crash between the two leaves an entry for a removal that did not finish: the form is
// still counted and can be removed again, never gone without its entry.
func (s *Store) DeletePaperForm(ctx context.Context, consultationID, participantID string, audit *voci.AuditEntry) (int, error) {
	filter := bson.D{{Key: "consultationId", Value: consultationID}, {Key: "participantId", Value: participantID}}
	if err := s.answers.FindOne(ctx, filter).Err(); errors.Is(err, mongo.ErrNoDocuments) {
		return 0, voci.Errorf(voci.ENOTFOUND, "No such paper form.")
	} else if err != nil {
		return 0, storeError("delete paper form", err)
	}
	if audit != nil {
		res, err := s.consultations.UpdateOne(ctx, bson.D{{Key: "_id", Value: consultationID}}, withPending(bson.D{}, audit))
		if err := matchedOne("delete paper form", res, err, "No such consultation."); err != nil {
			return 0, err
		}
	}
	res, err := s.answers.DeleteMany(ctx, filter)
	if err != nil {
		return 0, storeError("delete paper form", err)
	}
	if _, err := s.answerReceipts.DeleteMany(ctx, bson.D{{Key: "participantId", Value: participantID}}); err != nil {
		return 0, storeError("delete paper form", err)
	}
	if _, err := s.paperFormEntries().DeleteMany(ctx, filter); err != nil {
		return 0, storeError("delete paper form", err)
	}
	if audit != nil {
		s.completeOne(ctx, s.consultations, consultationID)
	}
	return int(res.DeletedCount), nil
}

// legacyReceiptDoc is a receipt of the answerReceipts collection, where earlier versions kept
// receipts apart from answers (inserted before the answer). They are only read now, so that
// retries in flight across an upgrade are still replayed; Migrate strips the copies of
// children's text they held.
type legacyReceiptDoc struct {
	ID             string    `bson:"_id"` // participantId + "\x00" + key
	ParticipantID  string    `bson:"participantId"`
	IdempotencyKey string    `bson:"idempotencyKey"`
	QuestionID     string    `bson:"questionId"`
	AnswerID       string    `bson:"answerId"`
	Moderation     string    `bson:"moderation"`
	AcceptedAt     time.Time `bson:"acceptedAt"`
}

// FindAnswerReceipt returns the receipt of the participant's submission under key, or
// ENOTFOUND when no answer was stored under it.
func (s *Store) FindAnswerReceipt(ctx context.Context, participantID, key string) (*voci.AnswerReceipt, error) {
	var d answerDoc
	err := s.answers.FindOne(ctx, bson.D{{Key: "participantId", Value: participantID}, {Key: "receipts.key", Value: key}}).Decode(&d)
	if err == nil {
		if r := d.receiptFor(key); r != nil {
			return r, nil
		}
	} else if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, storeError("find answer receipt", err)
	}
	return s.findLegacyReceipt(ctx, participantID, key)
}

// findLegacyReceipt replays a receipt of the answerReceipts collection if its answer was
// stored. Such a receipt was written before its answer: when the answer is missing, or is
// still a version older than the receipt, the writer stopped in between, the submission was
// never acknowledged, and its retry is to store it (ENOTFOUND).
func (s *Store) findLegacyReceipt(ctx context.Context, participantID, key string) (*voci.AnswerReceipt, error) {
	notFound := voci.Errorf(voci.ENOTFOUND, "No answer was stored under this key.")
	if s.noLegacyReceipts.Load() {
		return nil, notFound
	}
	var old legacyReceiptDoc
	err := s.answerReceipts.FindOne(ctx, bson.D{{Key: "_id", Value: participantID + "\x00" + key}}).Decode(&old)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound
	} else if err != nil {
		return nil, storeError("find answer receipt", err)
	}
	var cur answerDoc
	err = s.answers.FindOne(ctx, bson.D{{Key: "participantId", Value: participantID}, {Key: "questionId", Value: old.QuestionID}}).Decode(&cur)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound
	} else if err != nil {
		return nil, storeError("find answer receipt", err)
	}
	r := &voci.AnswerReceipt{ParticipantID: participantID, IdempotencyKey: key, QuestionID: old.QuestionID, AnswerID: cur.ID,
		Moderation: voci.ModerationState(old.Moderation), AcceptedAt: old.AcceptedAt.UTC()}
	switch {
	case cur.IdempotencyKey == key:
		r.Revision = cur.Revision
	case !cur.UpdatedAt.After(old.AcceptedAt):
		return nil, notFound // the answer is older than this submission: it never landed
	}
	return r, nil
}

// refuseRemoved returns EREMOVED when a's author is a live participant who has been removed.
func (s *Store) refuseRemoved(ctx context.Context, a *voci.Answer) error {
	if a.Source != voci.SourceLive {
		return nil
	}
	return s.refuseRemovedParticipant(ctx, a.ParticipantID)
}

func (s *Store) refuseRemovedParticipant(ctx context.Context, participantID string) error {
	n, err := s.participants.CountDocuments(ctx, bson.D{{Key: "_id", Value: participantID}, {Key: "removed", Value: true}})
	if err != nil {
		return storeError("save answer", err)
	}
	if n > 0 {
		return voci.Errorf(voci.EREMOVED, "The facilitator removed you from this session.")
	}
	return nil
}

// saveAttempts bounds how often SaveAnswer starts again after another write of the same
// answer came first.
const saveAttempts = 16

// SaveAnswer records a submission without a multi-document transaction: the answer and the
// receipt of the submission are one document, written by one atomic insert (a first answer;
// the unique index on participant and question lets one of concurrent first answers in) or
// one update conditional on the revision that was read (a change; a concurrent change makes
// it read again). A key found on the answer is replayed, so concurrent duplicates write once.
// A removed live participant is refused before the write, and again after it: an answer
// written while the removal ran is not acknowledged, so every acknowledged answer was stored
// before the removal. Writes use majority, journaled write concern.
func (s *Store) SaveAnswer(ctx context.Context, a *voci.Answer) (*voci.AnswerReceipt, error) {
	if r, err := s.FindAnswerReceipt(ctx, a.ParticipantID, a.IdempotencyKey); err == nil {
		r.Replayed = true
		return r, nil
	} else if voci.ErrorCode(err) != voci.ENOTFOUND {
		return nil, err
	}
	if err := s.refuseRemoved(ctx, a); err != nil {
		return nil, err
	}
	if err := s.freezeForAnswer(ctx, a); err != nil {
		return nil, err
	}
	rc := receiptDoc{Key: a.IdempotencyKey, Moderation: string(a.Moderation), AcceptedAt: a.UpdatedAt.UTC()}
	for range saveAttempts {
		var cur answerDoc
		err := s.answers.FindOne(ctx, bson.D{{Key: "participantId", Value: a.ParticipantID}, {Key: "questionId", Value: a.QuestionID}}).Decode(&cur)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			rc.Revision = 1
			doc := answerDoc{ID: a.ID, QuestionID: a.QuestionID, ConsultationID: a.ConsultationID, SessionID: a.SessionID,
				ParticipantID: a.ParticipantID, Municipality: a.Municipality, Source: string(a.Source), Choices: a.Choices,
				Text: a.Text, TextFolded: voci.FoldForSearch(a.Text), Moderation: string(a.Moderation), Flags: a.Flags, AgeBand: string(a.AgeBand), Gender: string(a.Gender),
				IdempotencyKey: a.IdempotencyKey, Revision: 1, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(),
				Receipts: []receiptDoc{rc}, PromptVersion: max(a.PromptVersion, 1), Lang: string(a.Lang), PendingAudit: pending(a.Audit)}
			_, err := s.answers.InsertOne(ctx, doc)
			if mongo.IsDuplicateKeyError(err) {
				continue // a first answer of this child to this question came first: read it
			}
			if err != nil {
				return nil, storeError("save answer", err)
			}
			a.Revision, a.CreatedAt = 1, doc.CreatedAt
		case err != nil:
			return nil, storeError("save answer", err)
		default:
			if r := cur.receiptFor(a.IdempotencyKey); r != nil {
				r.Replayed = true
				return r, nil
			}
			rc.Revision = cur.Revision + 1
			res, err := s.answers.UpdateOne(ctx, bson.D{{Key: "_id", Value: cur.ID}, {Key: "revision", Value: cur.Revision}}, bson.D{
				{Key: "$set", Value: bson.D{
					{Key: "sessionId", Value: a.SessionID}, {Key: "source", Value: string(a.Source)}, {Key: "choices", Value: a.Choices},
					{Key: "text", Value: a.Text}, {Key: "textFolded", Value: voci.FoldForSearch(a.Text)},
					{Key: "moderation", Value: string(a.Moderation)}, {Key: "flags", Value: a.Flags},
					{Key: "ageBand", Value: string(a.AgeBand)}, {Key: "gender", Value: string(a.Gender)},
					{Key: "idempotencyKey", Value: a.IdempotencyKey}, {Key: "revision", Value: rc.Revision},
					{Key: "updatedAt", Value: a.UpdatedAt.UTC()}, {Key: "moderatedBy", Value: ""},
					{Key: "promptVersion", Value: max(a.PromptVersion, 1)}, {Key: "lang", Value: string(a.Lang)},
				}},
				{Key: "$unset", Value: bson.D{{Key: "moderatedAt", Value: ""}}},
				{Key: "$push", Value: withPendingPush(bson.D{{Key: "receipts", Value: bson.D{
					{Key: "$each", Value: []receiptDoc{rc}}, {Key: "$slice", Value: -maxReceipts},
				}}}, a.Audit)},
			})
			if err != nil {
				return nil, storeError("save answer", err)
			}
			if res.MatchedCount == 0 {
				continue // changed meanwhile: read it again
			}
			a.ID, a.Revision, a.CreatedAt = cur.ID, rc.Revision, cur.CreatedAt.UTC()
		}
		if a.Audit != nil {
			s.completeOne(ctx, s.answers, a.ID)
		}
		if err := s.refuseRemoved(ctx, a); err != nil {
			return nil, err
		}
		return &voci.AnswerReceipt{ParticipantID: a.ParticipantID, IdempotencyKey: a.IdempotencyKey, QuestionID: a.QuestionID,
			AnswerID: a.ID, Revision: rc.Revision, Moderation: a.Moderation, AcceptedAt: rc.AcceptedAt}, nil
	}
	return nil, voci.Errorf(voci.EUNAVAILABLE, "The answer is being changed by other requests at the same time; try again.")
}

// CountAnswersByPromptVersion counts the question's visible answers by the version of the
// wording they answered, with one $group.
func (s *Store) CountAnswersByPromptVersion(ctx context.Context, questionID string) (map[int]int, error) {
	pipeline := mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "questionId", Value: questionID}, {Key: "moderation", Value: bson.D{{Key: "$in", Value: bson.A{"", "approved"}}}}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$ifNull", Value: bson.A{"$promptVersion", 1}}}},
			{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	}
	cur, err := s.answers.Aggregate(ctx, pipeline)
	if err != nil {
		return nil, storeError("count answers by prompt version", err)
	}
	var docs []struct {
		Version int `bson:"_id"`
		N       int `bson:"n"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("count answers by prompt version", err)
	}
	out := map[int]int{}
	for _, d := range docs {
		out[max(d.Version, 1)] += d.N
	}
	return out, nil
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

// ListSupportAnswers returns the answers with the given IDs and every answer to the given
// questions, each once, in one find (through _id and questionId_createdAt), with only the
// fields support is counted from.
func (s *Store) ListSupportAnswers(ctx context.Context, answerIDs, questionIDs []string) ([]voci.SupportAnswer, error) {
	if len(answerIDs)+len(questionIDs) == 0 {
		return nil, nil
	}
	var or bson.A
	if len(answerIDs) > 0 {
		or = append(or, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: answerIDs}}}})
	}
	if len(questionIDs) > 0 {
		or = append(or, bson.D{{Key: "questionId", Value: bson.D{{Key: "$in", Value: questionIDs}}}})
	}
	var docs []struct {
		ID            string   `bson:"_id"`
		QuestionID    string   `bson:"questionId"`
		ParticipantID string   `bson:"participantId"`
		Source        string   `bson:"source"`
		Choices       []string `bson:"choices"`
		Moderation    string   `bson:"moderation"`
		Text          string   `bson:"text"`
	}
	opts := options.Find().SetProjection(bson.D{{Key: "questionId", Value: 1}, {Key: "participantId", Value: 1}, {Key: "source", Value: 1},
		{Key: "choices", Value: 1}, {Key: "moderation", Value: 1}, {Key: "text", Value: 1}})
	if err := findAll(ctx, s.answers, bson.D{{Key: "$or", Value: or}}, opts, &docs); err != nil {
		return nil, storeError("list support answers", err)
	}
	out := make([]voci.SupportAnswer, len(docs))
	for i, d := range docs {
		out[i] = voci.SupportAnswer{ID: d.ID, QuestionID: d.QuestionID, ParticipantID: d.ParticipantID, Source: voci.AnswerSource(d.Source),
			Choices: d.Choices, Moderation: voci.ModerationState(d.Moderation), Text: d.Text}
	}
	return out, nil
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
func (s *Store) ModerateAnswer(ctx context.Context, id string, revision int, state voci.ModerationState, by string, at time.Time, audit *voci.AuditEntry) (*voci.Answer, error) {
	var d answerDoc
	err := s.answers.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "revision", Value: revision}, {Key: "moderation", Value: bson.D{{Key: "$ne", Value: ""}}}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "moderation", Value: string(state)}, {Key: "moderatedBy", Value: by}, {Key: "moderatedAt", Value: at.UTC()}}}}, audit),
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
	if audit != nil {
		s.completeOne(ctx, s.answers, id)
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
	// A live participant removed is refused before the write and, as for answers, after it.
	if r.SessionID != "" {
		if err := s.refuseRemovedParticipant(ctx, r.ParticipantID); err != nil {
			return err
		}
	}
	var err error
	// Two concurrent first reactions may both try to insert; the loser's retry replaces.
	for range 2 {
		_, err = s.ideaReactions.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
		if !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	if err != nil {
		return storeError("save reaction", err)
	}
	if r.SessionID != "" {
		return s.refuseRemovedParticipant(ctx, r.ParticipantID)
	}
	return nil
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
