package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// The self-paced contract: one link per consultation, found by its key; its children kept
// apart from live sessions' children; their answers counted with their source.

func testSelfPacedLinks(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-sp")
	other := newConsultation(t, s, "cons-sp2")
	_, err := s.FindSelfPacedLink(ctx, c.ID)
	wantCode(t, "no link yet", err, voci.ENOTFOUND)

	l := &voci.SelfPacedLink{Key: "aaaaaaaaaaaaaaaaaaaaaaaaaa", ConsultationID: c.ID, Municipality: c.Municipality, CreatedBy: "acct-1", CreatedAt: liveStart}
	if err := s.CreateSelfPacedLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	for name, find := range map[string]func() (*voci.SelfPacedLink, error){
		"by consultation": func() (*voci.SelfPacedLink, error) { return s.FindSelfPacedLink(ctx, c.ID) },
		"by key":          func() (*voci.SelfPacedLink, error) { return s.FindSelfPacedLinkByKey(ctx, l.Key) },
	} {
		got, err := find()
		if err != nil || *got != *l {
			t.Fatalf("%s: %+v %v; want %+v", name, got, err, l)
		}
	}
	_, err = s.FindSelfPacedLinkByKey(ctx, "bbbbbbbbbbbbbbbbbbbbbbbbbb")
	wantCode(t, "unknown key", err, voci.ENOTFOUND)
	second := *l
	second.Key = "cccccccccccccccccccccccccc"
	wantCode(t, "a second link for the consultation", s.CreateSelfPacedLink(ctx, &second), voci.ECONFLICT)
	sameKey := *l
	sameKey.ConsultationID = other.ID
	wantCode(t, "another consultation with the same key", s.CreateSelfPacedLink(ctx, &sameKey), voci.ECONFLICT)

	// Two facilitators asking at once: exactly one link is made.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			k := []byte("dddddddddddddddddddddddddd")
			k[0] = byte('a' + i)
			errs[i] = s.CreateSelfPacedLink(ctx, &voci.SelfPacedLink{Key: string(k), ConsultationID: other.ID, Municipality: other.Municipality, CreatedAt: liveStart})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantCode(t, "racing link", err, voci.ECONFLICT)
		}
	}
	if won != 1 {
		t.Fatalf("%d links made for one consultation", won)
	}
}

func newSelfPacedParticipant(t *testing.T, s voci.Store, c *voci.Consultation, id string) *voci.Participant {
	t.Helper()
	p := &voci.Participant{ID: id, ConsultationID: c.ID, TokenHash: voci.SessionID("sp-token-" + id), Alias: "Vulpe Veselă 4", Lang: voci.LangRO,
		JoinedAt: liveStart, UpdatedAt: liveStart}
	if err := s.CreateSelfPacedParticipant(t.Context(), p); err != nil {
		t.Fatalf("CreateSelfPacedParticipant: %v", err)
	}
	return p
}

func testSelfPacedParticipants(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-spp")
	l := newLive(t, s, c, "live-spp", "112233")
	live := newParticipant(t, s, l, "live-child")
	p := newSelfPacedParticipant(t, s, c, "sp-child")

	got, err := s.FindSelfPacedParticipantByTokenHash(ctx, p.TokenHash)
	if err != nil || got.ID != p.ID || got.ConsultationID != c.ID || got.SessionID != "" || got.Alias != p.Alias ||
		got.Lang != voci.LangRO || got.AgeBand != "" || got.Gender != "" || !got.JoinedAt.Equal(liveStart) {
		t.Fatalf("by token: %+v %v", got, err)
	}
	// A token opens only its own kind of participation.
	_, err = s.FindParticipantByTokenHash(ctx, p.TokenHash)
	wantCode(t, "a self-paced token among live participants", err, voci.ENOTFOUND)
	_, err = s.FindSelfPacedParticipantByTokenHash(ctx, live.TokenHash)
	wantCode(t, "a live token among self-paced participants", err, voci.ENOTFOUND)
	_, err = s.FindSelfPacedParticipantByTokenHash(ctx, voci.SessionID("forged"))
	wantCode(t, "forged token", err, voci.ENOTFOUND)
	dup := *p
	dup.ID = "sp-child-2"
	wantCode(t, "same token twice", s.CreateSelfPacedParticipant(ctx, &dup), voci.ECONFLICT)

	got.Alias, got.Lang, got.AgeBand, got.Gender, got.Rerolls = "Brave Otter 9", voci.LangEN, voci.Age13to15, voci.GenderPreferNotToSay, 1
	got.UpdatedAt = liveStart.Add(time.Minute)
	if err := s.UpdateSelfPacedParticipant(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.FindSelfPacedParticipantByTokenHash(ctx, p.TokenHash)
	byID, err := s.FindSelfPacedParticipantByID(ctx, p.ID)
	if err != nil || *byID != *again {
		t.Fatalf("by ID: %+v %v; want %+v", byID, err, again)
	}
	if again.Alias != "Brave Otter 9" || again.Lang != voci.LangEN || again.AgeBand != voci.Age13to15 ||
		again.Gender != voci.GenderPreferNotToSay || again.Rerolls != 1 || !again.UpdatedAt.Equal(liveStart.Add(time.Minute)) {
		t.Fatalf("after update %+v", again)
	}
	gone := *got
	gone.ID = "nobody"
	wantCode(t, "update of a missing participant", s.UpdateSelfPacedParticipant(ctx, &gone), voci.ENOTFOUND)
	_, err = s.FindSelfPacedParticipantByID(ctx, "nobody")
	wantCode(t, "unknown ID", err, voci.ENOTFOUND)
	_, err = s.FindSelfPacedParticipantByID(ctx, live.ID)
	wantCode(t, "a live participant's ID among self-paced participants", err, voci.ENOTFOUND)
}

// Self-paced answers sit beside live ones: same question, counted together, told apart by
// source, listed for the child who gave them.
func testSelfPacedAnswersCountWithLive(t *testing.T, s voci.Store) {
	ctx := t.Context()
	c := newConsultation(t, s, "cons-spa")
	q := newQuestion(t, s, c, "q-spa", 0)
	l := newLive(t, s, c, "live-spa", "445566")
	live := newParticipant(t, s, l, "live-a")
	sp := newSelfPacedParticipant(t, s, c, "sp-a")
	if _, err := s.SaveAnswer(ctx, newAnswer(live, q, "live-key-1", "trees", liveStart)); err != nil {
		t.Fatal(err)
	}
	a := newAnswer(sp, q, "sp-key-0001", "trees", liveStart)
	a.Source = voci.SourceSelfPaced
	first, err := s.SaveAnswer(ctx, a)
	if err != nil || first.Replayed {
		t.Fatalf("first %+v %v", first, err)
	}
	// Changing the answer replaces it; the first key still replays the first receipt.
	b := newAnswer(sp, q, "sp-key-0002", "swings", liveStart.Add(time.Minute))
	b.Source = voci.SourceSelfPaced
	if _, err := s.SaveAnswer(ctx, b); err != nil {
		t.Fatal(err)
	}
	replay, err := s.SaveAnswer(ctx, a)
	if err != nil || !replay.Replayed || !replay.AcceptedAt.Equal(first.AcceptedAt) {
		t.Fatalf("replay %+v %v", replay, err)
	}
	mine, err := s.ListParticipantAnswers(ctx, sp.ID)
	if err != nil || len(mine) != 1 || mine[0].Choices[0] != "swings" || mine[0].Source != voci.SourceSelfPaced || mine[0].SessionID != "" || mine[0].Revision != 2 {
		t.Fatalf("the child's answers %+v %v", mine, err)
	}
	counts, err := s.CountAnswers(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[voci.AnswerSource]int{}
	for _, n := range counts {
		bySource[n.Source] += n.N
	}
	if len(bySource) != 2 || bySource[voci.SourceLive] != 1 || bySource[voci.SourceSelfPaced] != 1 {
		t.Fatalf("counts by source %+v", counts)
	}
}

func testHelpRequestOfSelfPacedChild(t *testing.T, s voci.Store) {
	ctx := t.Context()
	h := &voci.HelpRequest{ID: "help-sp", Municipality: 20297, ConsultationID: "cons-h", ParticipantID: "sp-h", Alias: "Vulpe Veselă 4", CreatedAt: liveStart}
	if err := s.CreateHelpRequest(ctx, h); err != nil {
		t.Fatal(err)
	}
	list, _, err := s.FindHelpRequests(ctx, voci.HelpRequestFilter{Municipality: 20297, Limit: 10})
	if err != nil || len(list) != 1 || list[0].ConsultationID != "cons-h" || list[0].SessionID != "" || list[0].ParticipantID != "sp-h" {
		t.Fatalf("help requests %+v %v", list, err)
	}
}
