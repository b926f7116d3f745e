package voci_test

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

// The self-paced rules on a real SQLite file, with a clock the test moves.

var (
	spFrom  = time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	spUntil = time.Date(2026, 4, 15, 20, 0, 0, 0, time.UTC)
)

type selfPacedWorld struct {
	p     *voci.Participation
	store *sqlitestore.Store
	now   time.Time
	mu    sync.Mutex
}

func (w *selfPacedWorld) set(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = t
}

func newSelfPacedWorld(t *testing.T) *selfPacedWorld {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &selfPacedWorld{store: st, now: spFrom.Add(-24 * time.Hour)}
	w.p = voci.NewParticipation(st, moderation.New(), 5)
	w.p.Clock = func() time.Time {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.now
	}
	return w
}

// consultation makes an open consultation of Bacău with the modes, a single-choice question
// and a short-text question.
func (w *selfPacedWorld) consultation(t *testing.T, modes ...voci.Mode) (*voci.Consultation, *voci.Question, *voci.Question) {
	t.Helper()
	ctx := t.Context()
	c := &voci.Consultation{Municipality: 20297, Title: "Parcul nostru", AudienceBody: "Consiliul Local Bacău",
		AnswerBy: spUntil.AddDate(0, 2, 0), Modes: modes, SelfPacedFrom: spFrom, SelfPacedUntil: spUntil}
	if err := w.p.CreateConsultation(ctx, "acct-1", c, nil); err != nil {
		t.Fatal(err)
	}
	single := &voci.Question{Kind: voci.KindSingle, Prompt: "Ce vrei în parc?", Options: []voci.Option{{Label: "leagăne"}, {Label: "copaci"}}}
	text := &voci.Question{Kind: voci.KindShortText, Prompt: "Ce idee ai?"}
	for _, q := range []*voci.Question{single, text} {
		if err := w.p.AddQuestion(ctx, c, q, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.p.SetConsultationStatus(ctx, c, voci.StatusOpen, nil); err != nil {
		t.Fatal(err)
	}
	return c, single, text
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if voci.ErrorCode(err) != code {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
}

func TestSelfPacedLinkIsMadeOnceForAnOpenSelfPacedConsultation(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	liveOnly, _, _ := w.consultation(t, voci.ModeLive)
	_, err := w.p.SelfPacedLink(ctx, liveOnly, "acct-1")
	wantCode(t, "a consultation without the mode", err, voci.ENOTREADY)

	draft := &voci.Consultation{Municipality: 20297, Title: "Ciornă", Modes: []voci.Mode{voci.ModeSelfPaced}, SelfPacedFrom: spFrom, SelfPacedUntil: spUntil}
	if err := w.p.CreateConsultation(ctx, "acct-1", draft, nil); err != nil {
		t.Fatal(err)
	}
	_, err = w.p.SelfPacedLink(ctx, draft, "acct-1")
	wantCode(t, "a draft", err, voci.ENOTREADY)

	c, _, _ := w.consultation(t, voci.ModeSelfPaced)
	var wg sync.WaitGroup
	keys := make([]string, 6)
	for i := range keys {
		wg.Go(func() {
			l, err := w.p.SelfPacedLink(ctx, c, "acct-1")
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = l.Key
		})
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] || len(k) != 26 {
			t.Fatalf("keys %q: one link, 26 characters, whoever asks", keys)
		}
	}
}

func TestSelfPacedWindow(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, _, _ := w.consultation(t, voci.ModeSelfPaced)
	l, err := w.p.SelfPacedLink(ctx, c, "acct-1")
	if err != nil {
		t.Fatal(err)
	}
	window := func(what string, at time.Time, code string) {
		t.Helper()
		w.set(at)
		_, err := w.p.JoinSelfPaced(ctx, l.Key, voci.LangRO)
		wantCode(t, what, err, code)
		if code == "" {
			return
		}
		var we *voci.SelfPacedWindowError
		if !errors.As(err, &we) || !we.From.Equal(spFrom) || !we.Until.Equal(spUntil) {
			t.Fatalf("%s: %v does not say the dates", what, err)
		}
	}
	window("a second before it opens", spFrom.Add(-time.Second), voci.ESELFPACEDNOTYET)
	window("as it opens", spFrom, "")
	window("a second before it closes", spUntil.Add(-time.Second), "")
	window("as it closes", spUntil, voci.ESELFPACEDCLOSED)
	window("a week later", spUntil.AddDate(0, 0, 7), voci.ESELFPACEDCLOSED)

	// Closing the consultation closes the link within its dates too.
	w.set(spFrom.Add(time.Hour))
	joined, err := w.p.JoinSelfPaced(ctx, l.Key, voci.LangEN)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.p.SetConsultationStatus(ctx, c, voci.StatusClosed, nil); err != nil {
		t.Fatal(err)
	}
	window("a closed consultation", spFrom.Add(2*time.Hour), voci.ESELFPACEDCLOSED)
	_, _, err = w.p.AuthenticateSelfPaced(ctx, l.Key, joined.Token)
	wantCode(t, "a child coming back after the close", err, voci.ESELFPACEDCLOSED)

	for _, key := range []string{"", "123456", strings.Repeat("a", 26), strings.ToUpper(l.Key), l.Key + "a", "../../etc/passwd"} {
		_, err := w.p.JoinSelfPaced(ctx, key, voci.LangRO)
		wantCode(t, "key "+key, err, voci.ESELFPACEDUNKNOWN)
	}
}

func TestSelfPacedAnswers(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, single, text := w.consultation(t, voci.ModeSelfPaced, voci.ModeLive)
	other, otherSingle, _ := w.consultation(t, voci.ModeSelfPaced)
	l, _ := w.p.SelfPacedLink(ctx, c, "acct-1")
	ol, _ := w.p.SelfPacedLink(ctx, other, "acct-1")
	w.set(spFrom.Add(time.Hour))

	joined, err := w.p.JoinSelfPaced(ctx, l.Key, voci.LangHU)
	if err != nil {
		t.Fatal(err)
	}
	if joined.Participant.Alias == "" || joined.Participant.ConsultationID != c.ID || joined.Participant.SessionID != "" || len(joined.Token) < 40 {
		t.Fatalf("joined %+v", joined.Participant)
	}
	stranger, err := w.p.JoinSelfPaced(ctx, ol.Key, voci.LangRO)
	if err != nil {
		t.Fatal(err)
	}

	// Tokens: forged, or of another consultation's link.
	_, _, err = w.p.AuthenticateSelfPaced(ctx, l.Key, "forged-token-forged-token-forged-token-0000")
	wantCode(t, "forged token", err, voci.EUNAUTHORIZED)
	_, _, err = w.p.AuthenticateSelfPaced(ctx, l.Key, stranger.Token)
	wantCode(t, "another consultation's token", err, voci.EUNAUTHORIZED)
	cons, part, err := w.p.AuthenticateSelfPaced(ctx, l.Key, joined.Token)
	if err != nil || part.ID != joined.Participant.ID || cons.ID != c.ID {
		t.Fatalf("own token: %+v %v", part, err)
	}

	submit := func(qid string, in voci.AnswerInput, key string) (*voci.AnswerReceipt, error) {
		r, _, err := w.p.SubmitSelfPacedAnswer(ctx, voci.SelfPacedSubmission{Consultation: cons, Participant: part, QuestionID: qid, Input: in, IdempotencyKey: key})
		return r, err
	}
	yes := voci.AnswerInput{Choices: []string{single.Options[0].ID}}
	_, err = submit(otherSingle.ID, voci.AnswerInput{Choices: []string{otherSingle.Options[0].ID}}, "key-other-q")
	wantCode(t, "another consultation's question", err, voci.EQUESTIONUNKNOWN)
	_, err = submit(single.ID, voci.AnswerInput{Choices: []string{otherSingle.Options[0].ID}}, "key-other-o")
	wantCode(t, "another question's option", err, voci.EOPTIONUNKNOWN)
	_, err = submit(text.ID, voci.AnswerInput{Text: strings.Repeat("ă", voci.MaxShortText+1)}, "key-too-long")
	wantCode(t, "over-long text", err, voci.ETEXTTOOLONG)
	_, err = submit(single.ID, yes, "short")
	wantCode(t, "a bad idempotency key", err, voci.EINVALID)
	_, _, err = w.p.SubmitSelfPacedAnswer(ctx, voci.SelfPacedSubmission{Consultation: cons, Participant: stranger.Participant, QuestionID: single.ID, Input: yes, IdempotencyKey: "key-stranger"})
	wantCode(t, "a participant of another consultation", err, voci.EUNAUTHORIZED)
	if mine, _ := w.store.ListParticipantAnswers(ctx, part.ID); len(mine) != 0 {
		t.Fatalf("refused answers were written: %+v", mine)
	}
	if q, _ := w.store.FindQuestionByID(ctx, single.ID); q.Frozen {
		t.Fatal("a refused answer froze the question")
	}

	// The profile given later goes with later answers.
	if err := w.p.SetSelfPacedProfile(ctx, part, voci.Age13to15, voci.GenderPreferNotToSay); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "unknown band", w.p.SetSelfPacedProfile(ctx, part, "adult", ""), voci.EINVALID)

	// Concurrent duplicates under one key: one answer, one count, the same receipt for all.
	var wg sync.WaitGroup
	receipts := make([]*voci.AnswerReceipt, 8)
	for i := range receipts {
		wg.Go(func() {
			r, err := submit(single.ID, yes, "key-same-0001")
			if err != nil {
				t.Error(err)
			}
			receipts[i] = r
		})
	}
	wg.Wait()
	fresh := 0
	for _, r := range receipts {
		if r == nil || !r.AcceptedAt.Equal(receipts[0].AcceptedAt) || r.AnswerID != receipts[0].AnswerID {
			t.Fatalf("receipts differ: %+v", receipts)
		}
		if !r.Replayed {
			fresh++
		}
	}
	if fresh != 1 {
		t.Fatalf("%d first receipts", fresh)
	}
	res, err := w.p.Results(ctx, single)
	if err != nil || res.Respondents != 1 || res.BySource[voci.SourceSelfPaced] != 1 || res.Options[0].Count != 1 {
		t.Fatalf("results %+v %v", res, err)
	}
	if q, _ := w.store.FindQuestionByID(ctx, single.ID); !q.Frozen {
		t.Fatal("an answered question is not frozen")
	}

	// Changing the answer replaces it.
	if _, err := submit(single.ID, voci.AnswerInput{Choices: []string{single.Options[1].ID}}, "key-change-01"); err != nil {
		t.Fatal(err)
	}
	res, _ = w.p.Results(ctx, single)
	if res.Respondents != 1 || res.Options[0].Count != 0 || res.Options[1].Count != 1 {
		t.Fatalf("after a change %+v", res.Options)
	}

	// Text waits for the facilitator; a phone number is held.
	r, err := submit(text.ID, voci.AnswerInput{Text: "sunați-mă la 0745 111 222"}, "key-text-0001")
	if err != nil || r.Moderation != voci.ModerationHeld {
		t.Fatalf("text with a phone number: %+v %v", r, err)
	}
	r, err = submit(text.ID, voci.AnswerInput{Text: "mai mulți copaci"}, "key-text-0002")
	if err != nil || r.Moderation != voci.ModerationPending {
		t.Fatalf("clean text: %+v %v", r, err)
	}
	queue, _ := w.store.FindModerationQueue(ctx, c.ID)
	if len(queue) != 1 || queue[0].Text != "mai mulți copaci" || queue[0].Source != voci.SourceSelfPaced {
		t.Fatalf("moderation queue %+v", queue)
	}
	mine, _ := w.store.ListParticipantAnswers(ctx, part.ID)
	if len(mine) != 2 || mine[0].AgeBand != voci.Age13to15 || mine[0].Gender != voci.GenderPreferNotToSay {
		t.Fatalf("the child's answers %+v", mine)
	}

	// After the dates, nothing more is taken, not even a change.
	w.set(spUntil)
	_, err = submit(single.ID, yes, "key-late-0001")
	wantCode(t, "an answer after the close", err, voci.ESELFPACEDCLOSED)
}

func TestSelfPacedAliasAndHelp(t *testing.T) {
	w := newSelfPacedWorld(t)
	ctx := t.Context()
	c, _, _ := w.consultation(t, voci.ModeSelfPaced)
	l, _ := w.p.SelfPacedLink(ctx, c, "acct-1")
	w.set(spFrom)
	joined, err := w.p.JoinSelfPaced(ctx, l.Key, voci.LangRO)
	if err != nil {
		t.Fatal(err)
	}
	part := joined.Participant
	for range voci.MaxRerolls {
		if err := w.p.RerollSelfPaced(ctx, part, voci.LangEN); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "one reroll too many", w.p.RerollSelfPaced(ctx, part, voci.LangEN), voci.ERATELIMITED)
	_, back, err := w.p.AuthenticateSelfPaced(ctx, l.Key, joined.Token)
	if err != nil || back.Alias != part.Alias || back.Lang != voci.LangEN || back.Rerolls != voci.MaxRerolls {
		t.Fatalf("the alias did not last: %+v %v", back, err)
	}

	first, err := w.p.RequestSelfPacedHelp(ctx, c, part)
	if err != nil {
		t.Fatal(err)
	}
	again, err := w.p.RequestSelfPacedHelp(ctx, c, part)
	if err != nil || again.Request.ID != first.Request.ID || !first.New || again.New {
		t.Fatalf("pressed twice: %+v %v", again, err)
	}
	open, _, _ := w.store.FindHelpRequests(ctx, voci.HelpRequestFilter{Municipality: 20297, Limit: 10})
	if len(open) != 1 || open[0].ConsultationID != c.ID || open[0].SessionID != "" || open[0].Alias != part.Alias {
		t.Fatalf("help requests %+v", open)
	}
}
