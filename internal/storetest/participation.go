package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// The consultation, live session and answer contract.

var liveStart = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func newConsultation(t *testing.T, s voci.Store, id string) *voci.Consultation {
	t.Helper()
	c := &voci.Consultation{
		ID: id, Municipality: 20297, Title: "Our park", Purpose: "What should the new park have?", EasyRead: "Tell us about the park.",
		AgeBands: []voci.AgeBand{voci.Age10to12, voci.Age13to15}, Goals: []voci.CFCIGoal{voci.GoalSafeEnvironment},
		Topics: []string{"parks", "play"}, AudienceBody: "Bacău local council", AnswerBy: liveStart.AddDate(0, 2, 0),
		Status: voci.StatusDraft, Modes: []voci.Mode{voci.ModeLive, voci.ModeSelfPaced},
		SelfPacedFrom: liveStart, SelfPacedUntil: liveStart.AddDate(0, 0, 14),
		CreatedBy: "acct-1", CreatedAt: liveStart, UpdatedAt: liveStart,
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateConsultation(t.Context(), c, nil); err != nil {
		t.Fatalf("CreateConsultation: %v", err)
	}
	return c
}

func newQuestion(t *testing.T, s voci.Store, c *voci.Consultation, id string, pos int) *voci.Question {
	t.Helper()
	q := &voci.Question{ID: id, ConsultationID: c.ID, Municipality: c.Municipality, Position: pos, Kind: voci.KindSingle,
		Prompt: "Which do you prefer?", Options: []voci.Option{{ID: "swings", Label: "Swings", Emoji: "🛝"}, {ID: "trees", Label: "Trees"}},
		CreatedAt: liveStart.Add(time.Duration(pos) * time.Second), UpdatedAt: liveStart}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateQuestion(t.Context(), q, nil); err != nil {
		t.Fatalf("CreateQuestion: %v", err)
	}
	return q
}

func newLive(t *testing.T, s voci.Store, c *voci.Consultation, id, code string) *voci.LiveSession {
	t.Helper()
	l := &voci.LiveSession{ID: id, ConsultationID: c.ID, Municipality: c.Municipality, JoinCode: code, State: voci.LiveLobby,
		StartedBy: "acct-1", StartedAt: liveStart}
	if err := s.CreateLiveSession(t.Context(), l, nil); err != nil {
		t.Fatalf("CreateLiveSession: %v", err)
	}
	return l
}

func newParticipant(t *testing.T, s voci.Store, l *voci.LiveSession, id string) *voci.Participant {
	t.Helper()
	p := &voci.Participant{ID: id, SessionID: l.ID, TokenHash: voci.SessionID("token-" + id), Alias: "Brave Otter 7", Lang: voci.LangEN,
		AgeBand: voci.Age10to12, Gender: voci.GenderPreferNotToSay, JoinedAt: liveStart, UpdatedAt: liveStart}
	if err := s.CreateParticipant(t.Context(), p); err != nil {
		t.Fatalf("CreateParticipant: %v", err)
	}
	return p
}

func newAnswer(p *voci.Participant, q *voci.Question, key string, choice string, at time.Time) *voci.Answer {
	// Each submission brings an ID of its own, as voci gives it; the store keeps the first.
	return &voci.Answer{ID: "ans-" + p.ID + "-" + key, QuestionID: q.ID, ConsultationID: q.ConsultationID, SessionID: p.SessionID,
		ParticipantID: p.ID, Municipality: q.Municipality, Source: voci.SourceLive, Choices: []string{choice},
		AgeBand: p.AgeBand, Gender: p.Gender, IdempotencyKey: key, CreatedAt: at, UpdatedAt: at}
}

func testConsultationRoundTrip(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-1")
	got, err := s.FindConsultationByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != c.Title || !slices.Equal(got.AgeBands, c.AgeBands) || !slices.Equal(got.Goals, c.Goals) ||
		!slices.Equal(got.Topics, c.Topics) || !slices.Equal(got.Modes, c.Modes) || !got.AnswerBy.Equal(c.AnswerBy) ||
		!got.SelfPacedUntil.Equal(c.SelfPacedUntil) || got.Status != voci.StatusDraft || got.AudienceBody != c.AudienceBody {
		t.Fatalf("round trip: got %+v, want %+v", got, c)
	}
	got.Status, got.AnswerBy, got.Topics = voci.StatusOpen, time.Time{}, nil
	if err := s.UpdateConsultation(ctx, got, nil); err != nil {
		t.Fatal(err)
	}
	again, _ := s.FindConsultationByID(ctx, c.ID)
	if again.Status != voci.StatusOpen || !again.AnswerBy.IsZero() || len(again.Topics) != 0 {
		t.Fatalf("after update: %+v", again)
	}
	_, err = s.FindConsultationByID(ctx, "nope")
	wantCode(t, "find missing consultation", err, voci.ENOTFOUND)
	wantCode(t, "update missing consultation", s.UpdateConsultation(ctx, &voci.Consultation{ID: "nope"}, nil), voci.ENOTFOUND)
	wantCode(t, "duplicate consultation", s.CreateConsultation(ctx, c, nil), voci.ECONFLICT)

	other := newConsultation(t, s, "cons-2")
	other.Municipality = 40198
	s.UpdateConsultation(ctx, other, nil)
	page, total, err := s.FindConsultations(ctx, voci.ConsultationFilter{Municipality: 20297, Limit: 10})
	if err != nil || total != 1 || len(page) != 1 || page[0].ID != c.ID {
		t.Fatalf("FindConsultations: %v total %d %v", page, total, err)
	}
	_, _, err = s.FindConsultations(ctx, voci.ConsultationFilter{Municipality: 20297, Limit: 0})
	wantCode(t, "unbounded page", err, voci.EINVALID)
}

func testQuestionsOrderAndFreeze(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-q")
	q1 := newQuestion(t, s, c, "q1", 0)
	newQuestion(t, s, c, "q2", 1)
	newQuestion(t, s, c, "q3", 2)
	if err := s.SetQuestionPositions(ctx, c.ID, []string{"q3", "q1", "q2"}, nil); err != nil {
		t.Fatal(err)
	}
	qs, err := s.ListQuestions(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	order := []string{}
	for _, q := range qs {
		order = append(order, q.ID)
	}
	if !slices.Equal(order, []string{"q3", "q1", "q2"}) {
		t.Fatalf("order %v", order)
	}
	got, _ := s.FindQuestionByID(ctx, "q1")
	if !slices.Equal(got.Options, q1.Options) || got.Kind != voci.KindSingle || got.Frozen {
		t.Fatalf("round trip %+v", got)
	}
	if got.Revision != 1 || got.PromptVersion != 1 {
		t.Fatalf("a new question is at revision %d, wording %d; want 1, 1", got.Revision, got.PromptVersion)
	}
	changed := *got
	changed.Options = append(slices.Clone(changed.Options), voci.Option{ID: "pond", Label: "A pond"})
	changed.Revision = 2
	if err := s.UpdateQuestion(ctx, &changed, nil); err != nil {
		t.Fatalf("reshape an unfrozen question: %v", err)
	}
	wantCode(t, "write over a revision seen by nobody", s.UpdateQuestion(ctx, &changed, nil), voci.EQUESTIONCHANGED)
	if err := s.FreezeQuestion(ctx, "q1"); err != nil {
		t.Fatal(err)
	}
	stale := changed
	stale.Options, stale.Revision = stale.Options[:2], 3
	wantCode(t, "a change decided on the unfrozen question", s.UpdateQuestion(ctx, &stale, nil), voci.EQUESTIONCHANGED)
	changed.Frozen, changed.Revision, changed.Prompt, changed.PromptVersion = true, 3, "Which one do you like best?", 2
	changed.EarlierPrompts = []voci.PromptVersion{{Version: 1, Prompt: got.Prompt, From: liveStart, Until: liveStart.Add(time.Hour)}}
	changed.PromptSince = liveStart.Add(time.Hour)
	if err := s.UpdateQuestion(ctx, &changed, nil); err != nil {
		t.Fatalf("reword a frozen question: %v", err)
	}
	got, _ = s.FindQuestionByID(ctx, "q1")
	if got.Prompt != changed.Prompt || len(got.Options) != 3 || !got.Frozen || got.Revision != 3 || got.PromptVersion != 2 ||
		!got.PromptSince.Equal(changed.PromptSince) || len(got.EarlierPrompts) != 1 ||
		got.EarlierPrompts[0].Prompt != "Which do you prefer?" || !got.EarlierPrompts[0].Until.Equal(liveStart.Add(time.Hour)) {
		t.Fatalf("after rewording %+v", got)
	}
	wantCode(t, "delete frozen", s.DeleteQuestion(ctx, "q1", nil), voci.EQUESTIONCHANGED)
	if err := s.DeleteQuestion(ctx, "q2", nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "delete missing", s.DeleteQuestion(ctx, "q2", nil), voci.ENOTFOUND)
	wantCode(t, "freeze missing", s.FreezeQuestion(ctx, "q2"), voci.ENOTFOUND)
}

func testJoinCodeUniqueAmongActiveSessions(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-l")
	first := newLive(t, s, c, "live-1", "123456")
	dup := &voci.LiveSession{ID: "live-2", ConsultationID: c.ID, Municipality: c.Municipality, JoinCode: "123456", State: voci.LiveLobby, StartedAt: liveStart}
	wantCode(t, "second active session with the code", s.CreateLiveSession(ctx, dup, nil), voci.ECONFLICT)

	got, err := s.FindLiveSessionByCode(ctx, "123456")
	if err != nil || got.ID != first.ID {
		t.Fatalf("by code: %+v %v", got, err)
	}
	q := newQuestion(t, s, c, "lq", 0)
	if err := got.OpenQuestion(q, 30*time.Second, liveStart); err != nil {
		t.Fatal(err)
	}
	got.Reveal()
	got.TrustText = true
	got.End(liveStart.Add(time.Hour))
	if err := s.UpdateLiveSession(ctx, got, nil); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindLiveSessionByCode(ctx, "123456")
	wantCode(t, "code of an ended session", err, voci.ESESSIONNOTFOUND)
	if err := s.CreateLiveSession(ctx, dup, nil); err != nil {
		t.Fatalf("the code is free once the first session ended: %v", err)
	}
	ended, _ := s.FindLiveSessionByID(ctx, "live-1")
	if ended.State != voci.LiveEnded || !ended.TrustText || !slices.Equal(ended.Revealed, []string{"lq"}) || !ended.EndedAt.Equal(liveStart.Add(time.Hour)) {
		t.Fatalf("ended session %+v", ended)
	}
	list, err := s.ListLiveSessions(ctx, c.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("ListLiveSessions %v %v", list, err)
	}
}

func testParticipants(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-p")
	l := newLive(t, s, c, "live-p", "654321")
	p := newParticipant(t, s, l, "part-1")
	newParticipant(t, s, l, "part-2")
	got, err := s.FindParticipantByTokenHash(ctx, voci.SessionID("token-part-1"))
	if err != nil || got.ID != p.ID || got.Alias != p.Alias || got.AgeBand != voci.Age10to12 || got.Gender != voci.GenderPreferNotToSay {
		t.Fatalf("by token: %+v %v", got, err)
	}
	_, err = s.FindParticipantByTokenHash(ctx, voci.SessionID("forged"))
	wantCode(t, "forged token", err, voci.ENOTFOUND)
	dup := *p
	dup.ID = "part-3"
	wantCode(t, "same token twice", s.CreateParticipant(ctx, &dup), voci.ECONFLICT)

	got.Removed, got.Alias = true, "Vidám Mókus 3"
	if err := s.UpdateParticipant(ctx, got, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountParticipants(ctx, l.ID); err != nil || n != 1 {
		t.Fatalf("CountParticipants = %d, %v; want 1", n, err)
	}
	list, err := s.ListSessionParticipants(ctx, l.ID)
	if err != nil || len(list) != 2 || !list[0].Removed || list[1].ID != "part-2" {
		t.Fatalf("ListSessionParticipants: %+v %v", list, err)
	}
	again, _ := s.FindParticipantByID(ctx, p.ID)
	if !again.Removed || again.Alias != "Vidám Mókus 3" {
		t.Fatalf("after update %+v", again)
	}
	// A profile change written from a copy read before the removal does not undo it.
	stale := *p
	stale.Removed, stale.AgeBand = false, voci.Age13to15
	if err := s.UpdateParticipant(ctx, &stale, nil); err != nil {
		t.Fatal(err)
	}
	if again, _ = s.FindParticipantByID(ctx, p.ID); !again.Removed || again.AgeBand != voci.Age13to15 {
		t.Fatalf("a stale write after the removal: %+v", again)
	}
}

func testAnswerReplaceAndReplay(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-a")
	q := newQuestion(t, s, c, "qa", 0)
	l := newLive(t, s, c, "live-a", "111111")
	p := newParticipant(t, s, l, "part-a")

	first := newAnswer(p, q, "key-00000001", "swings", liveStart)
	r1, err := s.SaveAnswer(ctx, first)
	if err != nil || r1.Replayed || r1.AnswerID != first.ID || r1.QuestionID != q.ID {
		t.Fatalf("first save: %+v %v", r1, err)
	}
	retry := newAnswer(p, q, "key-00000001", "trees", liveStart.Add(time.Second))
	r2, err := s.SaveAnswer(ctx, retry)
	if err != nil || !r2.Replayed || r2.AnswerID != r1.AnswerID || !r2.AcceptedAt.Equal(r1.AcceptedAt) {
		t.Fatalf("retry: %+v %v", r2, err)
	}
	got, _ := s.ListAnswers(ctx, q.ID)
	if len(got) != 1 || !slices.Equal(got[0].Choices, []string{"swings"}) || got[0].Revision != 1 {
		t.Fatalf("a retry changed the answer: %+v", got)
	}

	change := newAnswer(p, q, "key-00000002", "trees", liveStart.Add(2*time.Second))
	r3, err := s.SaveAnswer(ctx, change)
	if err != nil || r3.Replayed || r3.AnswerID != r1.AnswerID {
		t.Fatalf("change: %+v %v", r3, err)
	}
	got, _ = s.ListAnswers(ctx, q.ID)
	if len(got) != 1 || !slices.Equal(got[0].Choices, []string{"trees"}) || got[0].Revision != 2 || !got[0].CreatedAt.Equal(liveStart) {
		t.Fatalf("a change must replace: %+v", got)
	}
	// A late retry of the first key must not undo the change.
	if r, err := s.SaveAnswer(ctx, newAnswer(p, q, "key-00000001", "swings", liveStart.Add(3*time.Second))); err != nil || !r.Replayed {
		t.Fatalf("late retry: %+v %v", r, err)
	}
	got, _ = s.ListAnswers(ctx, q.ID)
	if !slices.Equal(got[0].Choices, []string{"trees"}) {
		t.Fatalf("a late retry undid the change: %+v", got[0])
	}
	counts, err := s.CountAnswers(ctx, q.ID)
	if err != nil || len(counts) != 1 || counts[0].N != 1 || !slices.Equal(counts[0].Choices, []string{"trees"}) ||
		counts[0].AgeBand != voci.Age10to12 || counts[0].Gender != voci.GenderPreferNotToSay || counts[0].Source != voci.SourceLive {
		t.Fatalf("CountAnswers: %+v %v", counts, err)
	}
	mine, err := s.ListParticipantAnswers(ctx, p.ID)
	if err != nil || len(mine) != 1 || mine[0].ID != r1.AnswerID {
		t.Fatalf("ListParticipantAnswers: %+v %v", mine, err)
	}
}

func testConcurrentDuplicateKeyCountsOnce(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-cc")
	q := newQuestion(t, s, c, "qcc", 0)
	l := newLive(t, s, c, "live-cc", "222222")
	p := newParticipant(t, s, l, "part-cc")
	others := []*voci.Participant{}
	for i := range 10 {
		others = append(others, newParticipant(t, s, l, fmt.Sprintf("other-%d", i)))
	}

	const tries = 16
	var wg sync.WaitGroup
	receipts := make([]*voci.AnswerReceipt, tries)
	errs := make([]error, tries)
	for i := range tries {
		wg.Go(func() {
			receipts[i], errs[i] = s.SaveAnswer(ctx, newAnswer(p, q, "same-key-123", "swings", liveStart))
		})
	}
	for _, o := range others {
		wg.Go(func() {
			if _, err := s.SaveAnswer(ctx, newAnswer(o, q, "own-key-"+o.ID, "trees", liveStart)); err != nil {
				t.Errorf("SaveAnswer(%s): %v", o.ID, err)
			}
		})
	}
	wg.Wait()
	fresh := 0
	for i := range tries {
		if errs[i] != nil {
			t.Fatalf("SaveAnswer: %v", errs[i])
		}
		if !receipts[i].Replayed {
			fresh++
		}
		if receipts[i].AnswerID != receipts[0].AnswerID {
			t.Fatalf("receipts differ: %+v %+v", receipts[i], receipts[0])
		}
	}
	if fresh != 1 {
		t.Fatalf("%d submissions under one key were taken as new, want 1", fresh)
	}
	got, _ := s.ListAnswers(ctx, q.ID)
	if len(got) != 1+len(others) {
		t.Fatalf("%d answers stored, want %d", len(got), 1+len(others))
	}
	counts, err := s.CountAnswers(ctx, q.ID)
	total := 0
	for _, c := range counts {
		total += c.N
	}
	if err != nil || total != 1+len(others) {
		t.Fatalf("CountAnswers: %+v %v, want %d in all", counts, err, 1+len(others))
	}
	for _, a := range got {
		if a.ParticipantID == p.ID && a.Revision != 1 {
			t.Fatalf("duplicates replaced the answer: revision %d", a.Revision)
		}
	}
}

func testModeration(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-m")
	q := &voci.Question{ID: "qm", ConsultationID: c.ID, Municipality: c.Municipality, Kind: voci.KindShortText, Prompt: "Your idea?", CreatedAt: liveStart, UpdatedAt: liveStart}
	if err := s.CreateQuestion(ctx, q, nil); err != nil {
		t.Fatal(err)
	}
	l := newLive(t, s, c, "live-m", "333333")
	p1, p2 := newParticipant(t, s, l, "pm1"), newParticipant(t, s, l, "pm2")
	a1 := newAnswer(p1, q, "key-held-1", "", liveStart)
	a1.Choices, a1.Text, a1.Moderation, a1.Flags = nil, "call me 0722 123 456", voci.ModerationHeld, []string{"phone"}
	a2 := newAnswer(p2, q, "key-pend-1", "", liveStart.Add(time.Second))
	a2.Choices, a2.Text, a2.Moderation = nil, "more trees", voci.ModerationPending
	for _, a := range []*voci.Answer{a1, a2} {
		if _, err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	queue, err := s.FindModerationQueue(ctx, c.ID)
	if err != nil || len(queue) != 2 || queue[0].ID != a1.ID || !slices.Equal(queue[0].Flags, []string{"phone"}) || queue[1].Text != "more trees" {
		t.Fatalf("queue %+v %v", queue, err)
	}
	_, err = s.ModerateAnswer(ctx, a2.ID, 7, voci.ModerationApproved, "acct-1", liveStart, nil)
	wantCode(t, "stale revision", err, voci.ECONFLICT)
	got, err := s.ModerateAnswer(ctx, a2.ID, 1, voci.ModerationApproved, "acct-1", liveStart.Add(time.Minute), nil)
	if err != nil || got.Moderation != voci.ModerationApproved || got.ModeratedBy != "acct-1" || !got.ModeratedAt.Equal(liveStart.Add(time.Minute)) {
		t.Fatalf("approve: %+v %v", got, err)
	}
	_, err = s.ModerateAnswer(ctx, "nope", 1, voci.ModerationApproved, "acct-1", liveStart, nil)
	wantCode(t, "missing answer", err, voci.ENOTFOUND)
	if counts, _ := s.CountAnswers(ctx, q.ID); len(counts) != 1 || counts[0].N != 1 {
		t.Fatalf("CountAnswers counts the approved text only: %+v", counts)
	}
	queue, _ = s.FindModerationQueue(ctx, c.ID)
	if len(queue) != 1 {
		t.Fatalf("queue after approval %+v", queue)
	}
	// Changing an approved text sends it back to moderation.
	a2b := newAnswer(p2, q, "key-pend-2", "", liveStart.Add(2*time.Minute))
	a2b.Choices, a2b.Text, a2b.Moderation = nil, "more trees and a pond", voci.ModerationPending
	s.SaveAnswer(ctx, a2b)
	back, _ := s.FindAnswerByID(ctx, a2.ID)
	if back.Moderation != voci.ModerationPending || back.ModeratedBy != "" || !back.ModeratedAt.IsZero() || back.Revision != 2 {
		t.Fatalf("changed text %+v", back)
	}
}

func testIdeaReactions(t *testing.T, s voci.Store) {
	ctx := t.Context()
	react := func(idea, participant string, r voci.Reaction) {
		t.Helper()
		err := s.SaveReaction(ctx, &voci.IdeaReaction{IdeaID: idea, QuestionID: "board", SessionID: "live", ParticipantID: participant, Reaction: r, At: liveStart})
		if err != nil {
			t.Fatalf("SaveReaction: %v", err)
		}
	}
	react("idea-1", "p1", voci.ReactAgree)
	react("idea-1", "p2", voci.ReactAgree)
	react("idea-1", "p3", voci.ReactPass)
	react("idea-1", "p3", voci.ReactDisagree) // changed their mind: replaced
	react("idea-1", "p1", voci.ReactAgree)    // the same again: no change
	react("idea-2", "p1", voci.ReactPass)
	if err := s.SaveReaction(ctx, &voci.IdeaReaction{IdeaID: "other", QuestionID: "another board", ParticipantID: "p1", Reaction: voci.ReactAgree, At: liveStart}); err != nil {
		t.Fatal(err)
	}
	got, err := s.CountReactions(ctx, "board")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]voci.ReactionCounts{"idea-1": {Agree: 2, Disagree: 1}, "idea-2": {Pass: 1}}
	if len(got) != len(want) || got["idea-1"] != want["idea-1"] || got["idea-2"] != want["idea-2"] {
		t.Fatalf("CountReactions = %+v, want %+v", got, want)
	}
	// Another session's reaction to the same board is not this session's.
	if err := s.SaveReaction(ctx, &voci.IdeaReaction{IdeaID: "idea-9", QuestionID: "board", SessionID: "live-2", ParticipantID: "p9", Reaction: voci.ReactAgree, At: liveStart}); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListReactions(ctx, "board", "live")
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ idea, participant, reaction string }
	var rows []row
	for _, r := range list {
		if r.QuestionID != "board" || r.SessionID != "live" || !r.At.Equal(liveStart) {
			t.Fatalf("ListReactions row %+v", r)
		}
		rows = append(rows, row{r.IdeaID, r.ParticipantID, string(r.Reaction)})
	}
	wantRows := []row{{"idea-1", "p1", "agree"}, {"idea-1", "p2", "agree"}, {"idea-1", "p3", "disagree"}, {"idea-2", "p1", "pass"}}
	if !slices.Equal(rows, wantRows) {
		t.Fatalf("ListReactions = %+v, want %+v", rows, wantRows)
	}
	if none, err := s.ListReactions(ctx, "board", "no such session"); err != nil || len(none) != 0 {
		t.Fatalf("ListReactions of another session = %+v, %v", none, err)
	}

	mine, err := s.ListParticipantReactions(ctx, "board", "p1")
	if err != nil || len(mine) != 2 || mine[0].IdeaID != "idea-1" || mine[0].Reaction != voci.ReactAgree ||
		mine[1].IdeaID != "idea-2" || mine[1].Reaction != voci.ReactPass || mine[0].SessionID != "live" {
		t.Fatalf("ListParticipantReactions = %+v, %v", mine, err)
	}

	// An idea's new version loses its reactions; the other ideas keep theirs.
	if err := s.DeleteReactions(ctx, "board", "idea-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteReactions(ctx, "board", "idea-1"); err != nil {
		t.Fatalf("deleting none: %v", err)
	}
	got, err = s.CountReactions(ctx, "board")
	if err != nil || len(got) != 2 || got["idea-2"] != (voci.ReactionCounts{Pass: 1}) || got["idea-9"] != (voci.ReactionCounts{Agree: 1}) {
		t.Fatalf("after DeleteReactions: %+v %v", got, err)
	}
	react("idea-1", "p2", voci.ReactDisagree)
	if got, _ = s.CountReactions(ctx, "board"); got["idea-1"] != (voci.ReactionCounts{Disagree: 1}) {
		t.Fatalf("a reaction to the new version: %+v", got)
	}
}

// A consultation made with its questions (a duplicate) is stored whole or not at all.
func testConsultationWithQuestions(t *testing.T, s voci.Store) {
	ctx := t.Context()
	existing := newQuestion(t, s, newConsultation(t, s, "cons-old"), "q-taken", 0)
	c := &voci.Consultation{ID: "cons-copy", Municipality: 20297, Title: "Our park (2)", Purpose: "What should the new park have?",
		AgeBands: []voci.AgeBand{voci.Age10to12}, Status: voci.StatusDraft, Modes: []voci.Mode{voci.ModeLive},
		CreatedBy: "acct-1", CreatedAt: liveStart, UpdatedAt: liveStart}
	question := func(id string, pos int) voci.Question {
		return voci.Question{ID: id, ConsultationID: c.ID, Municipality: c.Municipality, Position: pos, Kind: voci.KindSingle,
			Prompt: "Which do you prefer?", Options: []voci.Option{{ID: "swings", Label: "Swings"}, {ID: "trees", Label: "Trees"}},
			Revision: 1, CreatedAt: liveStart, UpdatedAt: liveStart}
	}

	// A question ID that exists already: nothing of the copy is stored, and the existing
	// question is untouched.
	err := s.CreateConsultationWithQuestions(ctx, c, []voci.Question{question("q-new-1", 0), question(existing.ID, 1), question("q-new-2", 2)}, nil)
	wantCode(t, "a copy with a question ID taken", err, voci.ECONFLICT)
	_, err = s.FindConsultationByID(ctx, c.ID)
	wantCode(t, "the refused copy", err, voci.ENOTFOUND)
	for _, id := range []string{"q-new-1", "q-new-2"} {
		_, err = s.FindQuestionByID(ctx, id)
		wantCode(t, "a question of the refused copy", err, voci.ENOTFOUND)
	}
	if q, err := s.FindQuestionByID(ctx, existing.ID); err != nil || q.ConsultationID != "cons-old" {
		t.Fatalf("the existing question after the refused copy: %+v, %v", q, err)
	}

	// A consultation ID that exists already: none of the questions is stored.
	taken := *c
	taken.ID = "cons-old"
	err = s.CreateConsultationWithQuestions(ctx, &taken, []voci.Question{question("q-new-3", 0)}, nil)
	wantCode(t, "a copy with a consultation ID taken", err, voci.ECONFLICT)
	_, err = s.FindQuestionByID(ctx, "q-new-3")
	wantCode(t, "a question of the copy refused for its ID", err, voci.ENOTFOUND)

	// Whole: the consultation and its questions, in order.
	if err := s.CreateConsultationWithQuestions(ctx, c, []voci.Question{question("q-new-1", 0), question("q-new-2", 1)}, nil); err != nil {
		t.Fatal(err)
	}
	qs, err := s.ListQuestions(ctx, c.ID)
	if err != nil || len(qs) != 2 || qs[0].ID != "q-new-1" || qs[1].ID != "q-new-2" {
		t.Fatalf("the copy's questions: %+v, %v", qs, err)
	}
}
