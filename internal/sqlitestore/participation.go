package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/voci-platform/voci/internal/voci"
)

// Lists are kept as JSON arrays; the types below are the adapter's, never the domain's.

type optionRow struct {
	ID      string      `json:"id"`
	Label   string      `json:"label"`
	Emoji   string      `json:"emoji,omitempty"`
	Picture *pictureRow `json:"picture,omitempty"`
}

// pictureRow is a question's or an option's picture, as kept in JSON.
type pictureRow struct {
	File   string `json:"file"`
	Alt    string `json:"alt"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

func toPictureRow(p voci.Picture) *pictureRow {
	if p.IsZero() {
		return nil
	}
	r := pictureRow(p)
	return &r
}

func fromPictureRow(r *pictureRow) voci.Picture {
	if r == nil {
		return voci.Picture{}
	}
	return voci.Picture(*r)
}

func questionPicture(q *voci.Question) string {
	if q.Picture.IsZero() {
		return ""
	}
	return toJSON(toPictureRow(q.Picture))
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func fromJSON[T any](s string) (T, error) {
	var v T
	err := json.Unmarshal([]byte(s), &v)
	return v, err
}

func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

func parseOptTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return parseTime(s)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// exactlyOne turns an UPDATE's result into ENOTFOUND when it changed no row.
func exactlyOne(op string, res sql.Result, err error, notFound string) error {
	if err != nil {
		return storeError(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return storeError(op, err)
	}
	if n == 0 {
		return voci.Errorf(voci.ENOTFOUND, "%s", notFound)
	}
	return nil
}

// ---- consultations

const consultationColumns = `id, municipality, title, purpose, easy_read, age_bands, goals, topics, audience_body,
	answer_by, status, modes, self_paced_from, self_paced_until, created_by, created_at, updated_at, languages, translations`

func consultationArgs(c *voci.Consultation) []any {
	return []any{c.ID, c.Municipality, c.Title, c.Purpose, c.EasyRead, toJSON(c.AgeBands), toJSON(c.Goals), toJSON(c.Topics),
		c.AudienceBody, optTime(c.AnswerBy), string(c.Status), toJSON(c.Modes), optTime(c.SelfPacedFrom), optTime(c.SelfPacedUntil),
		c.CreatedBy, formatTime(c.CreatedAt), formatTime(c.UpdatedAt), toJSON(c.OfferedLanguages()), consultationTranslations(c)}
}

func scanConsultation(row scanner) (voci.Consultation, error) {
	var c voci.Consultation
	var bands, goals, topics, modes, answerBy, status, from, until, created, updated, langs, translations string
	err := row.Scan(&c.ID, &c.Municipality, &c.Title, &c.Purpose, &c.EasyRead, &bands, &goals, &topics, &c.AudienceBody,
		&answerBy, &status, &modes, &from, &until, &c.CreatedBy, &created, &updated, &langs, &translations)
	if err != nil {
		return c, err
	}
	c.Status = voci.ConsultationStatus(status)
	errs := []error{}
	add := func(err error) { errs = append(errs, err) }
	var e error
	c.AgeBands, e = fromJSON[[]voci.AgeBand](bands)
	add(e)
	c.Goals, e = fromJSON[[]voci.CFCIGoal](goals)
	add(e)
	c.Topics, e = fromJSON[[]string](topics)
	add(e)
	c.Modes, e = fromJSON[[]voci.Mode](modes)
	add(e)
	c.AnswerBy, e = parseOptTime(answerBy)
	add(e)
	c.SelfPacedFrom, e = parseOptTime(from)
	add(e)
	c.SelfPacedUntil, e = parseOptTime(until)
	add(e)
	c.CreatedAt, e = parseTime(created)
	add(e)
	c.UpdatedAt, e = parseTime(updated)
	add(e)
	c.Languages, e = fromJSON[[]voci.Lang](langs)
	add(e)
	c.Translations, e = parseConsultationTranslations(translations)
	add(e)
	return c, errors.Join(errs...)
}

// CreateConsultation stores a consultation and its audit entry in one transaction; ECONFLICT
// if the ID exists.
func (s *Store) CreateConsultation(ctx context.Context, c *voci.Consultation, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create consultation", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO consultations (`+consultationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, consultationArgs(c)...)
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A consultation with this identifier already exists.")
		}
		return storeError("create consultation", err)
	})
}

// CreateConsultationWithQuestions stores the consultation and its questions in one transaction.
func (s *Store) CreateConsultationWithQuestions(ctx context.Context, c *voci.Consultation, qs []voci.Question, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create consultation", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO consultations (`+consultationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, consultationArgs(c)...)
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "A consultation with this identifier already exists.")
		}
		if err != nil {
			return storeError("create consultation", err)
		}
		for i := range qs {
			if err := insertQuestion(ctx, tx, &qs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindConsultationByID returns ENOTFOUND when there is no such consultation.
func (s *Store) FindConsultationByID(ctx context.Context, id string) (*voci.Consultation, error) {
	c, err := scanConsultation(s.read.QueryRowContext(ctx, `SELECT `+consultationColumns+` FROM consultations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such consultation.")
	}
	if err != nil {
		return nil, storeError("find consultation", err)
	}
	return &c, nil
}

// FindConsultations returns one page of a municipality's consultations, newest first.
func (s *Store) FindConsultations(ctx context.Context, f voci.ConsultationFilter) ([]voci.Consultation, int, error) {
	if f.Offset < 0 || f.Limit < 1 || f.Limit > voci.MaxPageSize {
		return nil, 0, voci.InvalidParam("pageSize", "The page size must be between 1 and %d.", voci.MaxPageSize)
	}
	cond, args := ` WHERE municipality = ?`, []any{f.Municipality}
	if f.Status != "" {
		cond += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, storeError("find consultations", err)
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM consultations`+cond, args...).Scan(&total); err != nil {
		return nil, 0, storeError("count consultations", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+consultationColumns+` FROM consultations`+cond+
		` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, storeError("find consultations", err)
	}
	defer rows.Close()
	var out []voci.Consultation
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, 0, storeError("find consultations", err)
		}
		out = append(out, c)
	}
	return out, total, storeError("find consultations", rows.Err())
}

// UpdateConsultation replaces the stored consultation, with its audit entry in the same
// transaction; ENOTFOUND if gone.
func (s *Store) UpdateConsultation(ctx context.Context, c *voci.Consultation, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update consultation", audit, func(tx *sql.Tx) error {
		args := consultationArgs(c)
		res, err := tx.ExecContext(ctx, `UPDATE consultations SET municipality = ?, title = ?, purpose = ?, easy_read = ?,
		age_bands = ?, goals = ?, topics = ?, audience_body = ?, answer_by = ?, status = ?, modes = ?, self_paced_from = ?,
		self_paced_until = ?, created_by = ?, created_at = ?, updated_at = ?, languages = ?, translations = ? WHERE id = ?`, append(args[1:], c.ID)...)
		return exactlyOne("update consultation", res, err, "No such consultation.")
	})
}

// ---- questions

const questionColumns = `id, consultation_id, municipality, position, kind, prompt, easy_read, options, emoji_faces,
	max_choices, frozen, created_at, updated_at, revision, prompt_version, prompt_since, earlier_prompts, picture, translations`

// promptRow is one earlier wording of a question, as kept in earlier_prompts.
type promptRow struct {
	Version  int    `json:"version"`
	Prompt   string `json:"prompt"`
	EasyRead string `json:"easyRead,omitempty"`
	// Translations are the wording in the consultation's other languages then.
	Translations map[string]questionTextRow `json:"translations,omitempty"`
	From         time.Time                  `json:"from"`
	Until        time.Time                  `json:"until"`
}

func earlierPrompts(q *voci.Question) string {
	rows := make([]promptRow, len(q.EarlierPrompts))
	for i, v := range q.EarlierPrompts {
		rows[i] = promptRow{Version: v.Version, Prompt: v.Prompt, EasyRead: v.EasyRead, From: v.From.UTC(), Until: v.Until.UTC()}
		if len(v.Translations) > 0 {
			rows[i].Translations = questionTextRows(v.Translations)
		}
	}
	return toJSON(rows)
}

func questionOptions(q *voci.Question) string {
	rows := make([]optionRow, len(q.Options))
	for i, o := range q.Options {
		rows[i] = optionRow{ID: o.ID, Label: o.Label, Emoji: o.Emoji, Picture: toPictureRow(o.Picture)}
	}
	return toJSON(rows)
}

func scanQuestion(row scanner) (voci.Question, error) {
	var q voci.Question
	var kind, options, created, updated, since, earlier, picture, translations string
	var faces, frozen int
	err := row.Scan(&q.ID, &q.ConsultationID, &q.Municipality, &q.Position, &kind, &q.Prompt, &q.EasyRead, &options,
		&faces, &q.MaxChoices, &frozen, &created, &updated, &q.Revision, &q.PromptVersion, &since, &earlier, &picture, &translations)
	if err != nil {
		return q, err
	}
	var err5 error
	if picture != "" {
		var pr *pictureRow
		pr, err5 = fromJSON[*pictureRow](picture)
		q.Picture = fromPictureRow(pr)
	}
	prompts, err0 := fromJSON[[]promptRow](earlier)
	for _, v := range prompts {
		q.EarlierPrompts = append(q.EarlierPrompts, voci.PromptVersion{Version: v.Version, Prompt: v.Prompt, EasyRead: v.EasyRead,
			Translations: questionTexts(v.Translations), From: v.From.UTC(), Until: v.Until.UTC()})
	}
	var err4 error
	q.PromptSince, err4 = parseOptTime(since)
	q.Kind, q.EmojiFaces, q.Frozen = voci.QuestionKind(kind), faces == 1, frozen == 1
	opts, err1 := fromJSON[[]optionRow](options)
	for _, o := range opts {
		q.Options = append(q.Options, voci.Option{ID: o.ID, Label: o.Label, Emoji: o.Emoji, Picture: fromPictureRow(o.Picture)})
	}
	var err2, err3 error
	q.CreatedAt, err2 = parseTime(created)
	q.UpdatedAt, err3 = parseTime(updated)
	var err6 error
	q.Translations, err6 = parseQuestionTranslations(translations)
	return q, errors.Join(err0, err1, err2, err3, err4, err5, err6)
}

// CreateQuestion stores a question and its audit entry in one transaction; ECONFLICT if the
// ID exists, ENOTFOUND without its consultation.
func (s *Store) CreateQuestion(ctx context.Context, q *voci.Question, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create question", audit, func(tx *sql.Tx) error {
		return insertQuestion(ctx, tx, q)
	})
}

func insertQuestion(ctx context.Context, tx *sql.Tx, q *voci.Question) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO questions (`+questionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		q.ID, q.ConsultationID, q.Municipality, q.Position, string(q.Kind), q.Prompt, q.EasyRead, questionOptions(q),
		b2i(q.EmojiFaces), q.MaxChoices, b2i(q.Frozen), formatTime(q.CreatedAt), formatTime(q.UpdatedAt),
		max(q.Revision, 1), max(q.PromptVersion, 1), optTime(q.PromptSince), earlierPrompts(q), questionPicture(q), questionTranslations(q))
	if isUniqueViolation(err) {
		return voci.Errorf(voci.ECONFLICT, "A question with this identifier already exists.")
	}
	if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		return voci.Errorf(voci.ENOTFOUND, "No such consultation.")
	}
	return storeError("create question", err)
}

// FindQuestionByID returns ENOTFOUND when there is no such question.
func (s *Store) FindQuestionByID(ctx context.Context, id string) (*voci.Question, error) {
	q, err := scanQuestion(s.read.QueryRowContext(ctx, `SELECT `+questionColumns+` FROM questions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such question.")
	}
	if err != nil {
		return nil, storeError("find question", err)
	}
	return &q, nil
}

// ListQuestions returns the consultation's questions by position.
func (s *Store) ListQuestions(ctx context.Context, consultationID string) ([]voci.Question, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+questionColumns+` FROM questions WHERE consultation_id = ?
		ORDER BY position, created_at, id`, consultationID)
	if err != nil {
		return nil, storeError("list questions", err)
	}
	defer rows.Close()
	var out []voci.Question
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, storeError("list questions", err)
		}
		out = append(out, q)
	}
	return out, storeError("list questions", rows.Err())
}

// UpdateQuestion replaces a question, with its audit entry, in one transaction, if the stored
// question is still at revision q.Revision-1 and frozen as q.Frozen: the check and the write
// are one statement, so a question frozen or changed meanwhile is never overwritten
// (EQUESTIONCHANGED).
func (s *Store) UpdateQuestion(ctx context.Context, q *voci.Question, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update question", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE questions SET kind = ?, prompt = ?, easy_read = ?, options = ?, emoji_faces = ?,
		max_choices = ?, updated_at = ?, revision = ?, prompt_version = ?, prompt_since = ?, earlier_prompts = ?, picture = ?, translations = ?
		WHERE id = ? AND revision = ? AND frozen = ?`,
			string(q.Kind), q.Prompt, q.EasyRead, questionOptions(q), b2i(q.EmojiFaces), q.MaxChoices, formatTime(q.UpdatedAt),
			q.Revision, q.PromptVersion, optTime(q.PromptSince), earlierPrompts(q), questionPicture(q), questionTranslations(q), q.ID, q.Revision-1, b2i(q.Frozen))
		return changedOne(ctx, tx, "update question", res, err, q.ID)
	})
}

// changedOne is exactlyOne for a conditional write of a question: EQUESTIONCHANGED when the
// question is there but no longer as the condition said, ENOTFOUND when it is gone.
func changedOne(ctx context.Context, tx *sql.Tx, op string, res sql.Result, err error, id string) error {
	err = exactlyOne(op, res, err, "No such question.")
	if voci.ErrorCode(err) != voci.ENOTFOUND {
		return err
	}
	var n int
	if qerr := tx.QueryRowContext(ctx, `SELECT count(*) FROM questions WHERE id = ?`, id).Scan(&n); qerr != nil {
		return storeError(op, qerr)
	}
	if n > 0 {
		return voci.Errorf(voci.EQUESTIONCHANGED, "The question changed meanwhile.")
	}
	return err
}

// FreezeQuestion marks the question frozen; ENOTFOUND if gone.
func (s *Store) FreezeQuestion(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, `UPDATE questions SET frozen = 1 WHERE id = ?`, id)
	return exactlyOne("freeze question", res, err, "No such question.")
}

// freezeWithAnswerTx freezes the question of an answer checked against its revision
// a.FreezeQuestionAt, inside the answer's transaction; EQUESTIONCHANGED (and the transaction
// is undone) when the question is no longer at that revision.
func freezeWithAnswerTx(ctx context.Context, tx *sql.Tx, a *voci.Answer) error {
	if a.FreezeQuestionAt == 0 {
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE questions SET frozen = 1 WHERE id = ? AND revision = ?`, a.QuestionID, a.FreezeQuestionAt)
	return changedOne(ctx, tx, "freeze question", res, err, a.QuestionID)
}

// DeleteQuestion removes a question that is still not frozen, with its audit entry, in one
// transaction; EQUESTIONCHANGED if it is frozen.
func (s *Store) DeleteQuestion(ctx context.Context, id string, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "delete question", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM questions WHERE id = ? AND frozen = 0`, id)
		return changedOne(ctx, tx, "delete question", res, err, id)
	})
}

// SetQuestionPositions numbers the consultation's questions in the order of ids, with the
// audit entry, in one transaction.
func (s *Store) SetQuestionPositions(ctx context.Context, consultationID string, ids []string, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "reorder questions", audit, func(tx *sql.Tx) error {
		for i, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE questions SET position = ? WHERE id = ? AND consultation_id = ?`, i, id, consultationID)
			if err := exactlyOne("reorder questions", res, err, "No such question in this consultation."); err != nil {
				return err
			}
		}
		return nil
	})
}

// ---- live sessions

const liveColumns = `id, consultation_id, municipality, join_code, state, question_id, deadline, revealed, trust_text,
	started_by, started_at, ended_at, joins_locked`

func scanLive(row scanner) (voci.LiveSession, error) {
	var l voci.LiveSession
	var state, deadline, revealed, started, ended string
	var trust, locked int
	err := row.Scan(&l.ID, &l.ConsultationID, &l.Municipality, &l.JoinCode, &state, &l.QuestionID, &deadline, &revealed,
		&trust, &l.StartedBy, &started, &ended, &locked)
	if err != nil {
		return l, err
	}
	l.State, l.TrustText, l.JoinsLocked = voci.LiveState(state), trust == 1, locked == 1
	var e1, e2, e3, e4 error
	l.Revealed, e1 = fromJSON[[]string](revealed)
	l.Deadline, e2 = parseOptTime(deadline)
	l.StartedAt, e3 = parseTime(started)
	l.EndedAt, e4 = parseOptTime(ended)
	return l, errors.Join(e1, e2, e3, e4)
}

// CreateLiveSession stores a session; ECONFLICT when its code is in use by an active session.
func (s *Store) CreateLiveSession(ctx context.Context, l *voci.LiveSession, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "create live session", audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO live_sessions (`+liveColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.ID, l.ConsultationID, l.Municipality, l.JoinCode, string(l.State), l.QuestionID, optTime(l.Deadline), toJSON(l.Revealed),
			b2i(l.TrustText), l.StartedBy, formatTime(l.StartedAt), optTime(l.EndedAt), b2i(l.JoinsLocked))
		if isUniqueViolation(err) {
			return voci.Errorf(voci.ECONFLICT, "This join code or identifier is in use.")
		}
		if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
			return voci.Errorf(voci.ENOTFOUND, "No such consultation.")
		}
		return storeError("create live session", err)
	})
}

// FindLiveSessionByID returns ENOTFOUND when there is no such session.
func (s *Store) FindLiveSessionByID(ctx context.Context, id string) (*voci.LiveSession, error) {
	l, err := scanLive(s.read.QueryRowContext(ctx, `SELECT `+liveColumns+` FROM live_sessions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such live session.")
	}
	if err != nil {
		return nil, storeError("find live session", err)
	}
	return &l, nil
}

// FindLiveSessionByCode returns the active session with the code, or ESESSIONNOTFOUND.
func (s *Store) FindLiveSessionByCode(ctx context.Context, code string) (*voci.LiveSession, error) {
	l, err := scanLive(s.read.QueryRowContext(ctx, `SELECT `+liveColumns+` FROM live_sessions WHERE join_code = ? AND state <> 'ended'`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ESESSIONNOTFOUND, "No session is open with this code. Check the code with your facilitator.")
	}
	if err != nil {
		return nil, storeError("find live session", err)
	}
	return &l, nil
}

// ListLiveSessions returns the consultation's sessions, newest first.
func (s *Store) ListLiveSessions(ctx context.Context, consultationID string) ([]voci.LiveSession, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+liveColumns+` FROM live_sessions WHERE consultation_id = ?
		ORDER BY started_at DESC, id DESC`, consultationID)
	if err != nil {
		return nil, storeError("list live sessions", err)
	}
	defer rows.Close()
	var out []voci.LiveSession
	for rows.Next() {
		l, err := scanLive(rows)
		if err != nil {
			return nil, storeError("list live sessions", err)
		}
		out = append(out, l)
	}
	return out, storeError("list live sessions", rows.Err())
}

// UpdateLiveSession replaces the stored session; ENOTFOUND if gone.
func (s *Store) UpdateLiveSession(ctx context.Context, l *voci.LiveSession, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update live session", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE live_sessions SET state = ?, question_id = ?, deadline = ?, revealed = ?,
			trust_text = ?, ended_at = ?, joins_locked = ? WHERE id = ?`,
			string(l.State), l.QuestionID, optTime(l.Deadline), toJSON(l.Revealed), b2i(l.TrustText), optTime(l.EndedAt), b2i(l.JoinsLocked), l.ID)
		return exactlyOne("update live session", res, err, "No such live session.")
	})
}

// ---- participants

const participantColumns = `id, session_id, token_hash, alias, lang, age_band, gender, rerolls, removed, joined_at, updated_at`

func scanParticipant(row scanner) (voci.Participant, error) {
	var p voci.Participant
	var lang, band, gender, joined, updated string
	var removed int
	err := row.Scan(&p.ID, &p.SessionID, &p.TokenHash, &p.Alias, &lang, &band, &gender, &p.Rerolls, &removed, &joined, &updated)
	if err != nil {
		return p, err
	}
	p.Lang, p.AgeBand, p.Gender, p.Removed = voci.Lang(lang), voci.AgeBand(band), voci.Gender(gender), removed == 1
	var e1, e2 error
	p.JoinedAt, e1 = parseTime(joined)
	p.UpdatedAt, e2 = parseTime(updated)
	return p, errors.Join(e1, e2)
}

// CreateParticipant stores a participant; ECONFLICT if the ID or token exists, ENOTFOUND
// without its session. Joins go through the group writer: a class joining at once shares
// fsyncs.
func (s *Store) CreateParticipant(ctx context.Context, p *voci.Participant) error {
	_, err := s.groupWrite(ctx, func(ctx context.Context, tx *sql.Tx) (any, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO participants (`+participantColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.SessionID, p.TokenHash, p.Alias, string(p.Lang), string(p.AgeBand), string(p.Gender), p.Rerolls, b2i(p.Removed),
			formatTime(p.JoinedAt), formatTime(p.UpdatedAt))
		if isUniqueViolation(err) {
			return nil, voci.Errorf(voci.ECONFLICT, "A participant with this identifier already exists.")
		}
		if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
			return nil, voci.Errorf(voci.ENOTFOUND, "No such live session.")
		}
		return nil, storeError("create participant", err)
	})
	return err
}

func (s *Store) findParticipant(ctx context.Context, col, v string) (*voci.Participant, error) {
	p, err := scanParticipant(s.read.QueryRowContext(ctx, `SELECT `+participantColumns+` FROM participants WHERE `+col+` = ?`, v))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such participant.")
	}
	if err != nil {
		return nil, storeError("find participant", err)
	}
	return &p, nil
}

// FindParticipantByTokenHash returns ENOTFOUND when no participant has the token.
func (s *Store) FindParticipantByTokenHash(ctx context.Context, hash string) (*voci.Participant, error) {
	return s.findParticipant(ctx, "token_hash", hash)
}

// FindParticipantByID returns ENOTFOUND when there is no such participant.
func (s *Store) FindParticipantByID(ctx context.Context, id string) (*voci.Participant, error) {
	return s.findParticipant(ctx, "id", id)
}

// UpdateParticipant replaces the stored participant's alias, profile and removal; a removal
// stays.
func (s *Store) UpdateParticipant(ctx context.Context, p *voci.Participant, audit *voci.AuditEntry) error {
	return s.withAudit(ctx, "update participant", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE participants SET alias = ?, lang = ?, age_band = ?, gender = ?, rerolls = ?,
			removed = max(removed, ?), updated_at = ? WHERE id = ?`,
			p.Alias, string(p.Lang), string(p.AgeBand), string(p.Gender), p.Rerolls, b2i(p.Removed), formatTime(p.UpdatedAt), p.ID)
		return exactlyOne("update participant", res, err, "No such participant.")
	})
}

// ListSessionParticipants returns the session's participants, first joined first.
func (s *Store) ListSessionParticipants(ctx context.Context, sessionID string) ([]voci.Participant, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+participantColumns+` FROM participants WHERE session_id = ?
		ORDER BY joined_at, id`, sessionID)
	if err != nil {
		return nil, storeError("list participants", err)
	}
	defer rows.Close()
	var out []voci.Participant
	for rows.Next() {
		p, err := scanParticipant(rows)
		if err != nil {
			return nil, storeError("list participants", err)
		}
		out = append(out, p)
	}
	return out, storeError("list participants", rows.Err())
}

// CountParticipants counts the session's participants that were not removed.
func (s *Store) CountParticipants(ctx context.Context, sessionID string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM participants WHERE session_id = ? AND removed = 0`, sessionID).Scan(&n)
	return n, storeError("count participants", err)
}

// ---- answers

const answerColumns = `id, question_id, consultation_id, session_id, participant_id, municipality, source, choices, text,
	moderation, flags, age_band, gender, idempotency_key, revision, created_at, updated_at, moderated_by, moderated_at`

func scanAnswer(row scanner) (voci.Answer, error) {
	var a voci.Answer
	var source, choices, moderation, flags, band, gender, created, updated, moderated string
	err := row.Scan(&a.ID, &a.QuestionID, &a.ConsultationID, &a.SessionID, &a.ParticipantID, &a.Municipality, &source,
		&choices, &a.Text, &moderation, &flags, &band, &gender, &a.IdempotencyKey, &a.Revision, &created, &updated,
		&a.ModeratedBy, &moderated)
	if err != nil {
		return a, err
	}
	a.Source, a.Moderation, a.AgeBand, a.Gender = voci.AnswerSource(source), voci.ModerationState(moderation), voci.AgeBand(band), voci.Gender(gender)
	var e1, e2, e3, e4, e5 error
	a.Choices, e1 = fromJSON[[]string](choices)
	a.Flags, e2 = fromJSON[[]string](flags)
	a.CreatedAt, e3 = parseTime(created)
	a.UpdatedAt, e4 = parseTime(updated)
	a.ModeratedAt, e5 = parseOptTime(moderated)
	return a, errors.Join(e1, e2, e3, e4, e5)
}

// SaveAnswer records a submission: the receipt of an earlier submission under the same key is
// returned unchanged; otherwise the answer is inserted or replaced and the receipt written.
// It returns once the transaction that holds the write has committed under synchronous=FULL,
// so the receipt returned is durable. Answers are committed in groups (see groupWrite).
func (s *Store) SaveAnswer(ctx context.Context, a *voci.Answer) (*voci.AnswerReceipt, error) {
	in := *a
	v, err := s.groupWrite(ctx, func(ctx context.Context, tx *sql.Tx) (any, error) {
		out := in // the function may run twice (see commitGroup): each run starts afresh
		if err := freezeWithAnswerTx(ctx, tx, &out); err != nil {
			return nil, err
		}
		r, err := s.saveAnswerTx(ctx, tx, &out)
		if err != nil {
			return nil, err
		}
		if err := s.afterAnswerTx(ctx, tx, &out, r); err != nil {
			return nil, err
		}
		return answerResult{receipt: r, answer: out}, nil
	})
	if err != nil {
		return nil, err
	}
	res := v.(answerResult)
	a.ID, a.Revision, a.CreatedAt = res.answer.ID, res.answer.Revision, res.answer.CreatedAt
	return res.receipt, nil
}

type answerResult struct {
	receipt *voci.AnswerReceipt
	answer  voci.Answer
}

// A write of the group writer: fn runs inside the group's transaction.
type groupRequest struct {
	ctx   context.Context
	fn    func(ctx context.Context, tx *sql.Tx) (any, error)
	reply chan groupResult
}

type groupResult struct {
	v   any
	err error
}

// maxGroup bounds one group commit, so that one transaction stays short.
const maxGroup = 512

// groupWrite runs fn in a transaction shared with the other writes waiting at that moment, and
// returns once that transaction has committed: one fsync for a whole room of children
// answering (or joining) at once, with durability unchanged. Once queued, the write is done
// even if the caller stops waiting (a cancelled context is honoured only before its turn), so
// fn must be idempotent under its caller's retries; answers are, by their keys.
func (s *Store) groupWrite(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) (any, error)) (any, error) {
	req := groupRequest{ctx: ctx, fn: fn, reply: make(chan groupResult, 1)}
	select {
	case s.groupQueue <- req:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.closing:
		return nil, voci.Errorf(voci.EUNAVAILABLE, "The database is closing.")
	}
	select {
	case res := <-req.reply:
		return res.v, res.err
	case <-s.writerDone:
		return nil, voci.Errorf(voci.EUNAVAILABLE, "The database is closing.")
	}
}

// groupWriter is the store's one group writer: it takes every write waiting, runs them in one
// transaction and answers each caller after the commit. If the group fails, each write runs
// on its own, so that one failing write does not refuse the others. It runs until Close.
func (s *Store) groupWriter() {
	defer close(s.writerDone)
	for {
		var batch []groupRequest
		select {
		case r := <-s.groupQueue:
			batch = append(batch, r)
		case <-s.closing:
			for {
				select {
				case r := <-s.groupQueue:
					r.reply <- groupResult{err: voci.Errorf(voci.EUNAVAILABLE, "The database is closing.")}
				default:
					return
				}
			}
		}
	gather:
		for len(batch) < maxGroup {
			select {
			case r := <-s.groupQueue:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		s.commitGroup(batch)
	}
}

func (s *Store) commitGroup(batch []groupRequest) {
	var pending []groupRequest
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.reply <- groupResult{err: err}
			continue
		}
		pending = append(pending, r)
	}
	if len(pending) == 0 {
		return
	}
	results, err := s.runGroup(pending)
	if err != nil && len(pending) > 1 {
		for _, r := range pending {
			res, err := s.runGroup([]groupRequest{r})
			if err != nil {
				r.reply <- groupResult{err: err}
			} else {
				r.reply <- res[0]
			}
		}
		return
	}
	for i, r := range pending {
		if err != nil {
			r.reply <- groupResult{err: err}
		} else {
			r.reply <- results[i]
		}
	}
}

// runGroup runs the writes in one transaction and commits it; any failure undoes the group.
func (s *Store) runGroup(batch []groupRequest) ([]groupResult, error) {
	// The transaction is shared, so it must not end with one caller's context.
	ctx := context.Background()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeError("group write", err)
	}
	defer tx.Rollback()
	results := make([]groupResult, len(batch))
	for i, r := range batch {
		v, err := r.fn(ctx, tx)
		if err != nil {
			return nil, err
		}
		results[i] = groupResult{v: v}
	}
	if err := tx.Commit(); err != nil {
		return nil, storeError("group write", err)
	}
	return results, nil
}

// A receipt holds what a replay needs, never the text.
const receiptColumns = `participant_id, idempotency_key, question_id, answer_id, revision, moderation, accepted_at`

func scanReceipt(row scanner) (*voci.AnswerReceipt, error) {
	var r voci.AnswerReceipt
	var moderation, accepted string
	if err := row.Scan(&r.ParticipantID, &r.IdempotencyKey, &r.QuestionID, &r.AnswerID, &r.Revision, &moderation, &accepted); err != nil {
		return nil, err
	}
	r.Moderation = voci.ModerationState(moderation)
	var err error
	r.AcceptedAt, err = parseTime(accepted)
	return &r, err
}

// FindAnswerReceipt returns the receipt of the participant's submission under key, or
// ENOTFOUND. A receipt is written in the transaction of its answer, so there is no receipt
// of an answer that was not stored.
func (s *Store) FindAnswerReceipt(ctx context.Context, participantID, key string) (*voci.AnswerReceipt, error) {
	r, err := scanReceipt(s.read.QueryRowContext(ctx, `SELECT `+receiptColumns+` FROM answer_receipts
		WHERE participant_id = ? AND idempotency_key = ?`, participantID, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No answer was stored under this key.")
	}
	if err != nil {
		return nil, storeError("find answer receipt", err)
	}
	return r, nil
}

// refuseRemovedTx returns EREMOVED when the live participant has been removed. Inside a write
// transaction it cannot be overtaken: removals go through the same one connection.
func (s *Store) refuseRemovedTx(ctx context.Context, tx *sql.Tx, participantID string) error {
	var removed int
	err := s.inTx(ctx, tx, sqlParticipantRemoved).QueryRowContext(ctx, participantID).Scan(&removed)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return storeError("check removal", err)
	}
	if removed == 1 {
		return voci.Errorf(voci.EREMOVED, "The facilitator removed you from this session.")
	}
	return nil
}

// saveAnswerTx is one submission inside the group's transaction.
func (s *Store) saveAnswerTx(ctx context.Context, tx *sql.Tx, a *voci.Answer) (*voci.AnswerReceipt, error) {
	var err error
	r, err := scanReceipt(s.inTx(ctx, tx, sqlFindReceipt).QueryRowContext(ctx, a.ParticipantID, a.IdempotencyKey))
	if err == nil {
		r.Replayed = true
		return r, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, storeError("save answer", err)
	}
	// The removal is checked in the transaction that writes the answer: the writer is one
	// connection, so no removal can come between this check and the write.
	if a.Source == voci.SourceLive {
		if err := s.refuseRemovedTx(ctx, tx, a.ParticipantID); err != nil {
			return nil, err
		}
	}
	r = &voci.AnswerReceipt{ParticipantID: a.ParticipantID, IdempotencyKey: a.IdempotencyKey}

	var created string
	err = s.inTx(ctx, tx, sqlUpsertAnswer).QueryRowContext(ctx,
		a.ID, a.QuestionID, a.ConsultationID, a.SessionID, a.ParticipantID, a.Municipality, string(a.Source),
		toJSON(a.Choices), a.Text, string(a.Moderation), toJSON(a.Flags), string(a.AgeBand), string(a.Gender),
		a.IdempotencyKey, formatTime(a.CreatedAt), formatTime(a.UpdatedAt), voci.FoldForSearch(a.Text)).Scan(&a.ID, &a.Revision, &created)
	if err != nil {
		return nil, storeError("save answer", err)
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return nil, storeError("save answer", err)
	}
	r.QuestionID, r.AnswerID, r.Revision, r.Moderation, r.AcceptedAt = a.QuestionID, a.ID, a.Revision, a.Moderation, a.UpdatedAt.UTC()
	_, err = s.inTx(ctx, tx, sqlInsertReceipt).ExecContext(ctx,
		r.ParticipantID, r.IdempotencyKey, r.QuestionID, r.AnswerID, r.Revision, string(r.Moderation), formatTime(r.AcceptedAt))
	if err != nil {
		return nil, storeError("save answer receipt", err)
	}
	return r, nil
}

// afterAnswerTx records, inside a new answer's transaction (not a replay's), which wording of
// the question it answered, and the audit entry of the change it belongs to, if any.
func (s *Store) afterAnswerTx(ctx context.Context, tx *sql.Tx, a *voci.Answer, r *voci.AnswerReceipt) error {
	if r.Replayed {
		return nil
	}
	if _, err := s.inTx(ctx, tx, sqlAnswerWording).ExecContext(ctx, max(a.PromptVersion, 1), string(a.Lang), a.ID); err != nil {
		return storeError("save answer", err)
	}
	if a.Audit != nil {
		return appendAudit(ctx, tx, a.Audit)
	}
	return nil
}

// CountAnswersByPromptVersion counts the question's visible answers by the version of the
// wording they answered.
func (s *Store) CountAnswersByPromptVersion(ctx context.Context, questionID string) (map[int]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT prompt_version, count(*) FROM answers
		WHERE question_id = ? AND moderation IN ('', 'approved') GROUP BY prompt_version`, questionID)
	if err != nil {
		return nil, storeError("count answers by prompt version", err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var v, n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, storeError("count answers by prompt version", err)
		}
		out[v] = n
	}
	return out, storeError("count answers by prompt version", rows.Err())
}

func (s *Store) listAnswers(ctx context.Context, op, where string, args ...any) ([]voci.Answer, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+answerColumns+` FROM answers WHERE `+where, args...)
	if err != nil {
		return nil, storeError(op, err)
	}
	defer rows.Close()
	var out []voci.Answer
	for rows.Next() {
		a, err := scanAnswer(rows)
		if err != nil {
			return nil, storeError(op, err)
		}
		out = append(out, a)
	}
	return out, storeError(op, rows.Err())
}

// FindAnswerByID returns ENOTFOUND when there is no such answer.
func (s *Store) FindAnswerByID(ctx context.Context, id string) (*voci.Answer, error) {
	a, err := scanAnswer(s.read.QueryRowContext(ctx, `SELECT `+answerColumns+` FROM answers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such answer.")
	}
	if err != nil {
		return nil, storeError("find answer", err)
	}
	return &a, nil
}

// CountAnswers returns the question's visible answers counted by choices, age band, gender
// and source from answer_tally, which triggers keep as answers are written (migration 0056),
// so that results and the review workspace read a few rows, not every answer.
func (s *Store) CountAnswers(ctx context.Context, questionID string) ([]voci.AnswerCount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT choices, age_band, gender, source, n FROM answer_tally
		WHERE question_id = ? AND n > 0 ORDER BY choices, age_band, gender, source`, questionID)
	if err != nil {
		return nil, storeError("count answers", err)
	}
	defer rows.Close()
	var out []voci.AnswerCount
	for rows.Next() {
		var c voci.AnswerCount
		var choices, band, gender, source string
		if err := rows.Scan(&choices, &band, &gender, &source, &c.N); err != nil {
			return nil, storeError("count answers", err)
		}
		if c.Choices, err = fromJSON[[]string](choices); err != nil {
			return nil, storeError("count answers", err)
		}
		c.AgeBand, c.Gender, c.Source = voci.AgeBand(band), voci.Gender(gender), voci.AnswerSource(source)
		out = append(out, c)
	}
	return out, storeError("count answers", rows.Err())
}

// ListAnswers returns the question's current answers, oldest first.
func (s *Store) ListAnswers(ctx context.Context, questionID string) ([]voci.Answer, error) {
	return s.listAnswers(ctx, "list answers", `question_id = ? ORDER BY created_at, id`, questionID)
}

// ListSupportAnswers returns the answers with the given IDs and every answer to the given
// questions, each once, in one query through the primary key and answers_by_question: the IDs
// go in as JSON arrays. Only the columns support is counted from are read.
func (s *Store) ListSupportAnswers(ctx context.Context, answerIDs, questionIDs []string) ([]voci.SupportAnswer, error) {
	if len(answerIDs)+len(questionIDs) == 0 {
		return nil, nil
	}
	const cols = `SELECT id, question_id, participant_id, source, choices, moderation, text FROM answers`
	// UNION ALL streams; an answer both named and to a named question is dropped here.
	rows, err := s.read.QueryContext(ctx, cols+` WHERE id IN (SELECT value FROM json_each(?))
		UNION ALL `+cols+` WHERE question_id IN (SELECT value FROM json_each(?))`, toJSON(answerIDs), toJSON(questionIDs))
	if err != nil {
		return nil, storeError("list support answers", err)
	}
	defer rows.Close()
	var out []voci.SupportAnswer
	seen := map[string]bool{}
	for rows.Next() {
		var a voci.SupportAnswer
		var source, choices, moderation string
		if err := rows.Scan(&a.ID, &a.QuestionID, &a.ParticipantID, &source, &choices, &moderation, &a.Text); err != nil {
			return nil, storeError("list support answers", err)
		}
		if seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		a.Source, a.Moderation = voci.AnswerSource(source), voci.ModerationState(moderation)
		if choices != "[]" && choices != "" {
			if a.Choices, err = fromJSON[[]string](choices); err != nil {
				return nil, storeError("list support answers", err)
			}
		}
		out = append(out, a)
	}
	return out, storeError("list support answers", rows.Err())
}

// ListParticipantAnswers returns the participant's current answers.
func (s *Store) ListParticipantAnswers(ctx context.Context, participantID string) ([]voci.Answer, error) {
	return s.listAnswers(ctx, "list participant answers", `participant_id = ? ORDER BY created_at, id`, participantID)
}

// FindModerationQueue returns the consultation's held and pending texts, oldest first.
func (s *Store) FindModerationQueue(ctx context.Context, consultationID string) ([]voci.Answer, error) {
	return s.listAnswers(ctx, "moderation queue", `consultation_id = ? AND moderation IN ('held', 'pending')
		ORDER BY created_at, id`, consultationID)
}

// ModerateAnswer sets the moderation state if the answer is still at revision.
func (s *Store) ModerateAnswer(ctx context.Context, id string, revision int, state voci.ModerationState, by string, at time.Time, audit *voci.AuditEntry) (*voci.Answer, error) {
	err := s.withAudit(ctx, "moderate answer", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE answers SET moderation = ?, moderated_by = ?, moderated_at = ?
			WHERE id = ? AND revision = ? AND moderation <> ''`, string(state), by, formatTime(at), id, revision)
		return exactlyOne("moderate answer", res, err, "No such answer.")
	})
	if err != nil {
		if voci.ErrorCode(err) == voci.ENOTFOUND {
			if _, ferr := s.FindAnswerByID(ctx, id); ferr == nil {
				return nil, voci.Errorf(voci.ECONFLICT, "The child changed this text since you saw it; look at it again.")
			}
		}
		return nil, err
	}
	return s.FindAnswerByID(ctx, id)
}

// DeletePaperForm removes the form's answers and receipts and writes the audit entry, in one
// transaction. secure_delete zeroes the bytes of the texts removed.
func (s *Store) DeletePaperForm(ctx context.Context, consultationID, participantID string, audit *voci.AuditEntry) (int, error) {
	var n int64
	err := s.withAudit(ctx, "delete paper form", audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM answers WHERE consultation_id = ? AND participant_id = ?`, consultationID, participantID)
		if err != nil {
			return storeError("delete paper form", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return storeError("delete paper form", err)
		} else if n == 0 {
			return voci.Errorf(voci.ENOTFOUND, "No such paper form.")
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM answer_receipts WHERE participant_id = ?`, participantID); err != nil {
			return storeError("delete paper form", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM paper_form_entries WHERE consultation_id = ? AND participant_id = ?`, consultationID, participantID)
		return storeError("delete paper form", err)
	})
	return int(n), err
}

// ---- reactions to ideas

// SaveReaction stores or replaces the participant's reaction to the idea, through the group
// writer (a board's reactions come in bursts).
func (s *Store) SaveReaction(ctx context.Context, r *voci.IdeaReaction) error {
	_, err := s.groupWrite(ctx, func(ctx context.Context, tx *sql.Tx) (any, error) {
		if r.SessionID != "" {
			if err := s.refuseRemovedTx(ctx, tx, r.ParticipantID); err != nil {
				return nil, err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO idea_reactions (idea_id, participant_id, question_id, session_id, reaction, at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (idea_id, participant_id) DO UPDATE SET reaction = excluded.reaction, at = excluded.at`,
			r.IdeaID, r.ParticipantID, r.QuestionID, r.SessionID, string(r.Reaction), formatTime(r.At))
		return nil, storeError("save reaction", err)
	})
	return err
}

// DeleteReactions forgets every reaction to the idea.
func (s *Store) DeleteReactions(ctx context.Context, questionID, ideaID string) error {
	_, err := s.groupWrite(ctx, func(ctx context.Context, tx *sql.Tx) (any, error) {
		_, err := tx.ExecContext(ctx, `DELETE FROM idea_reactions WHERE idea_id = ? AND question_id = ?`, ideaID, questionID)
		return nil, storeError("delete reactions", err)
	})
	return err
}

// CountReactions counts the reactions to the question's ideas, by idea.
func (s *Store) CountReactions(ctx context.Context, questionID string) (map[string]voci.ReactionCounts, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT idea_id, reaction, count(*) FROM idea_reactions WHERE question_id = ?
		GROUP BY idea_id, reaction`, questionID)
	if err != nil {
		return nil, storeError("count reactions", err)
	}
	defer rows.Close()
	out := map[string]voci.ReactionCounts{}
	for rows.Next() {
		var idea, reaction string
		var n int
		if err := rows.Scan(&idea, &reaction, &n); err != nil {
			return nil, storeError("count reactions", err)
		}
		out[idea] = out[idea].Add(voci.Reaction(reaction), n)
	}
	return out, storeError("count reactions", rows.Err())
}

// ListReactions returns the reactions given in the session to the question's ideas (read
// through the question's index).
func (s *Store) ListReactions(ctx context.Context, questionID, sessionID string) ([]voci.IdeaReaction, error) {
	return s.listReactions(ctx, `WHERE question_id = ? AND session_id = ? ORDER BY idea_id, participant_id`, questionID, sessionID)
}

// ListParticipantReactions returns the participant's reactions to the question's ideas.
func (s *Store) ListParticipantReactions(ctx context.Context, questionID, participantID string) ([]voci.IdeaReaction, error) {
	return s.listReactions(ctx, `WHERE participant_id = ? AND question_id = ? ORDER BY idea_id`, participantID, questionID)
}

func (s *Store) listReactions(ctx context.Context, where string, args ...any) ([]voci.IdeaReaction, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT idea_id, question_id, session_id, participant_id, reaction, at FROM idea_reactions `+where, args...)
	if err != nil {
		return nil, storeError("list reactions", err)
	}
	defer rows.Close()
	var out []voci.IdeaReaction
	for rows.Next() {
		var r voci.IdeaReaction
		var reaction, at string
		if err := rows.Scan(&r.IdeaID, &r.QuestionID, &r.SessionID, &r.ParticipantID, &reaction, &at); err != nil {
			return nil, storeError("list reactions", err)
		}
		r.Reaction = voci.Reaction(reaction)
		if r.At, err = parseTime(at); err != nil {
			return nil, storeError("list reactions", err)
		}
		out = append(out, r)
	}
	return out, storeError("list reactions", rows.Err())
}
