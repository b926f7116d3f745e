package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

type ideaJSON struct {
	AnswerID string `json:"answerId"`
	Text     string `json:"text"`
	Own      bool   `json:"own"`
	Reaction string `json:"reaction"`
}

type reactionCount struct {
	IdeaID   string `json:"ideaId"`
	Agree    int    `json:"agree"`
	Disagree int    `json:"disagree"`
	Pass     int    `json:"pass"`
}

// waitReactions reads tallies until the idea's reactions are want.
func waitReactions(t *testing.T, w *wsConn, idea string, want reactionCount) {
	t.Helper()
	want.IdeaID = idea
	deadline := time.Now().Add(5 * time.Second)
	for {
		e, err := w.read(time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for reactions %+v: %v", want, err)
		}
		if e.Type != "tally" {
			continue
		}
		var d struct {
			Reactions []reactionCount `json:"reactions"`
		}
		e.decode(t, &d)
		for _, r := range d.Reactions {
			if r == want {
				return
			}
		}
	}
}

// expectIdeas reads until the phone's list of ideas.
func expectIdeas(t *testing.T, w *wsConn) []ideaJSON {
	t.Helper()
	var d struct {
		QuestionID string     `json:"questionId"`
		Ideas      []ideaJSON `json:"ideas"`
	}
	w.expect("ideas").decode(t, &d)
	return d.Ideas
}

// Children react to each other's ideas: the author's phone knows the idea is theirs, the
// presenter counts the reactions as they come, a phone that comes back shows what it chose,
// and an idea the facilitator rejects after all leaves every screen and the results.
func TestIdeaReactionsReachScreensAndPhones(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s", bacau, f.consultationID)
	a := f.fac.do(t, "POST", base+"/questions", map[string]any{"kind": "idea_board", "prompt": "Ce idee ai pentru parc?"})
	mustStatus(t, a, 201)
	var board question
	decodeBody(t, a, &board)
	fac := ls.adult(t, f.fac, f, "facilitator")
	presenter := ls.adult(t, f.fac, f, "presenter")
	author, reader := ls.join(t, f, "ro"), ls.join(t, f, "en")
	f.command(t, fac, "question.open", map[string]any{"questionId": board.ID})
	if ideas := expectIdeas(t, reader.wsConn); len(ideas) != 0 {
		t.Fatalf("a new board has no ideas: %+v", ideas)
	}

	author.mustAnswer(t, board.ID, nil, "O fântână cu apă de băut", "react-key-0001")
	var mod struct {
		AnswerID string `json:"answerId"`
		Revision int    `json:"revision"`
	}
	fac.expect("moderation.new").decode(t, &mod)
	moderate := func(state string, revision int) answer {
		return f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, mod.AnswerID),
			map[string]any{"state": state, "revision": revision})
	}
	mustStatus(t, moderate("approved", mod.Revision), 200)
	var seen, mine ideaJSON
	reader.expect("text.approved").decode(t, &seen)
	author.expect("text.approved").decode(t, &mine)
	if seen.AnswerID != mod.AnswerID || seen.Own || !mine.Own || mine.AnswerID != mod.AnswerID {
		t.Fatalf("approved idea: reader %+v, author %+v", seen, mine)
	}

	react := func(c *child, reaction string) envelope {
		return c.reply(c.send("idea.react", map[string]string{"questionId": board.ID, "ideaId": mod.AnswerID, "reaction": reaction}))
	}
	if r := react(reader, "agree"); r.Type != "idea.ack" {
		t.Fatalf("react: %s %s", r.Type, r.Data)
	}
	waitReactions(t, presenter, mod.AnswerID, reactionCount{Agree: 1})
	if r := react(reader, "disagree"); r.Type != "idea.ack" {
		t.Fatalf("react again: %s %s", r.Type, r.Data)
	}
	waitReactions(t, presenter, mod.AnswerID, reactionCount{Disagree: 1})

	// Phones that come back show the child's own idea as theirs and their reaction as chosen.
	reader.c.Close()
	back := ls.mustDial(t, participantPath, childHeader(reader.token))
	if ideas := expectIdeas(t, back); len(ideas) != 1 || ideas[0].AnswerID != mod.AnswerID || ideas[0].Own || ideas[0].Reaction != "disagree" {
		t.Fatalf("ideas after reconnecting: %+v", ideas)
	}
	author.c.Close()
	authorBack := ls.mustDial(t, participantPath, childHeader(author.token))
	if ideas := expectIdeas(t, authorBack); len(ideas) != 1 || !ideas[0].Own || ideas[0].Reaction != "" {
		t.Fatalf("the author's ideas after reconnecting: %+v", ideas)
	}
	r := approvedTexts(t, f, board.ID)
	if len(r) != 1 || r[0].Reactions == nil || *r[0].Reactions != (reactionCount{Disagree: 1}) {
		t.Fatalf("results texts %+v", r)
	}

	// The facilitator goes back on the approval, at the revision seen.
	mustStatus(t, moderate("rejected", mod.Revision), 200)
	for _, w := range []*wsConn{presenter, back, authorBack} {
		var gone struct {
			AnswerID string `json:"answerId"`
		}
		w.expect("text.withdrawn").decode(t, &gone)
		if gone.AnswerID != mod.AnswerID {
			t.Fatalf("withdrawn %+v", gone)
		}
	}
	if r := approvedTexts(t, f, board.ID); len(r) != 0 {
		t.Fatalf("a rejected idea is still in results: %+v", r)
	}
	if code := back.errorCode(back.reply(back.send("idea.react", map[string]string{"questionId": board.ID, "ideaId": mod.AnswerID, "reaction": "agree"}))); code != "not_found" {
		t.Fatalf("reacting to a rejected idea: %q", code)
	}

	// Another session's child cannot react to this session's idea, even knowing its ID.
	mustStatus(t, moderate("approved", mod.Revision), 200)
	other := f.fac.do(t, "POST", base+"/live-sessions", nil)
	mustStatus(t, other, 201)
	var live struct {
		ID       string `json:"id"`
		JoinCode string `json:"joinCode"`
	}
	decodeBody(t, other, &live)
	g := *f
	g.sessionID, g.joinCode = live.ID, live.JoinCode
	otherFac := ls.adult(t, f.fac, &g, "facilitator")
	stranger := ls.join(t, &g, "ro")
	g.command(t, otherFac, "question.open", map[string]any{"questionId": board.ID})
	if code := stranger.errorCode(stranger.reply(stranger.send("idea.react", map[string]string{"questionId": board.ID, "ideaId": mod.AnswerID, "reaction": "agree"}))); code != "not_found" {
		t.Fatalf("reacting to another session's idea: %q", code)
	}
}

type textResult struct {
	ID        string         `json:"id"`
	Text      string         `json:"text"`
	Reactions *reactionCount `json:"reactions"`
}

func approvedTexts(t *testing.T, f *fixture, questionID string) []textResult {
	t.Helper()
	a := f.fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/results?question=%s", bacau, f.consultationID, questionID), nil)
	mustStatus(t, a, 200)
	var r struct {
		Questions []struct {
			Texts []textResult `json:"texts"`
		} `json:"questions"`
	}
	decodeBody(t, a, &r)
	return r.Questions[0].Texts
}

// The facilitator sees decided texts too, filtered, with the screening's flags, and can change
// their mind at the revision they saw; a child's later change wins over a stale decision.
func TestReviewDecidedTexts(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	clean, flagged := ls.join(t, f, "ro"), ls.join(t, f, "ro")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	clean.mustAnswer(t, f.text.ID, nil, "Mai multe bănci la umbră", "review-key-001")
	flagged.mustAnswer(t, f.text.ID, nil, "Sunați-mă la 0745 111 222", "review-key-002")

	queue := fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/moderation", bacau, f.consultationID)
	type item struct {
		AnswerID   string   `json:"answerId"`
		Text       string   `json:"text"`
		Moderation string   `json:"moderation"`
		Flags      []string `json:"flags"`
		Revision   int      `json:"revision"`
	}
	list := func(state string) []item {
		t.Helper()
		a := f.fac.do(t, "GET", queue+state, nil)
		mustStatus(t, a, 200)
		var r struct {
			Items []item `json:"items"`
			Held  []item `json:"held"`
		}
		decodeBody(t, a, &r)
		return append(r.Items, r.Held...)
	}
	waiting := list("")
	if len(waiting) != 2 || len(list("?state=waiting")) != 2 {
		t.Fatalf("waiting %+v", waiting)
	}
	byText := map[string]item{}
	for _, it := range waiting {
		byText[it.Text] = it
	}
	cleanItem, flaggedItem := byText["Mai multe bănci la umbră"], byText["Sunați-mă la 0745 111 222"]
	moderate := func(it item, state string, revision int) answer {
		return f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, it.AnswerID),
			map[string]any{"state": state, "revision": revision})
	}
	mustStatus(t, moderate(cleanItem, "approved", cleanItem.Revision), 200)
	mustStatus(t, moderate(flaggedItem, "rejected", flaggedItem.Revision), 200)

	if got := list("?state=waiting"); len(got) != 0 {
		t.Fatalf("waiting after deciding %+v", got)
	}
	approved, rejected, all := list("?state=approved"), list("?state=rejected"), list("?state=all")
	if len(approved) != 1 || approved[0].AnswerID != cleanItem.AnswerID || approved[0].Moderation != "approved" {
		t.Fatalf("approved %+v", approved)
	}
	if len(rejected) != 1 || rejected[0].AnswerID != flaggedItem.AnswerID || len(rejected[0].Flags) == 0 || rejected[0].Flags[0] != "phone" {
		t.Fatalf("rejected %+v", rejected)
	}
	if len(all) != 2 {
		t.Fatalf("all %+v", all)
	}
	a := f.fac.do(t, "GET", queue+"?state=everything", nil)
	mustStatus(t, a, 400)
	var problem struct {
		Code  string `json:"code"`
		Param string `json:"param"`
	}
	decodeBody(t, a, &problem)
	if problem.Code != "invalid_parameter" || problem.Param != "state" || a.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("unknown filter: %s %s", a.header.Get("Content-Type"), a.body)
	}

	// Change of mind: the approved text is rejected, the rejected one approved.
	mustStatus(t, moderate(cleanItem, "rejected", cleanItem.Revision), 200)
	// A text screening flagged is approved only in a second, explicit step, even once rejected.
	a = moderate(flaggedItem, "approved", flaggedItem.Revision)
	mustStatus(t, a, 409)
	decodeBody(t, a, &problem)
	if problem.Code != "held_text_needs_confirmation" || problem.Param != "confirmHeld" {
		t.Fatalf("flagged text approved without confirmation: %s", a.body)
	}
	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, flaggedItem.AnswerID),
		map[string]any{"state": "approved", "revision": flaggedItem.Revision, "confirmHeld": true}), 200)
	if got := list("?state=rejected"); len(got) != 1 || got[0].AnswerID != cleanItem.AnswerID {
		t.Fatalf("rejected after changing mind %+v", got)
	}
	// The child changed the text meanwhile: a decision on the old revision is refused.
	clean.mustAnswer(t, f.text.ID, nil, "Bănci și o fântână", "review-key-003")
	a = moderate(cleanItem, "approved", cleanItem.Revision)
	mustStatus(t, a, 409)
	decodeBody(t, a, &problem)
	if problem.Code != "conflict" {
		t.Fatalf("stale revision: %s", a.body)
	}

	// Each decision is audited, the change of mind with what it overturned, never the text.
	coord := ls.client()
	mustStatus(t, coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword), 200)
	a = coord.do(t, "GET", fmt.Sprintf("/api/v1/audit?municipality=%d&pageSize=100", bacau), nil)
	mustStatus(t, a, 200)
	var page struct {
		Items []struct {
			Action   string `json:"action"`
			ObjectID string `json:"objectId"`
			Detail   string `json:"detail"`
		} `json:"items"`
	}
	decodeBody(t, a, &page)
	details := map[string][]string{}
	for _, it := range page.Items {
		if it.Action == "answer.moderate" {
			details[it.ObjectID] = append(details[it.ObjectID], it.Detail)
		}
	}
	if fmt.Sprint(details[cleanItem.AnswerID]) != "[rejected (was approved) approved]" ||
		fmt.Sprint(details[flaggedItem.AnswerID]) != "[approved (was rejected); confirmed, held for: phone, contact_invitation rejected]" {
		t.Fatalf("audit details %v", details)
	}
	b, _ := json.Marshal(page)
	for _, word := range []string{"bănci", "0745"} {
		if strings.Contains(strings.ToLower(string(b)), word) {
			t.Fatalf("the audit trail holds a child's words (%q)", word)
		}
	}
}
