package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
)

// The rules of consultations and questions, as clients meet them.
func TestConsultationRules(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)

	a := fac.do(t, "POST", base, map[string]any{"title": "Parcul", "modes": []string{"live"}})
	mustStatus(t, a, 201)
	var cons struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	decodeBody(t, a, &cons)
	if cons.Status != "draft" {
		t.Fatalf("status %s", cons.Status)
	}
	one := base + "/" + cons.ID

	problem := func(a answer, status int, code, param string) {
		t.Helper()
		if a.status != status {
			t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
		}
		p := a.problem(t)
		if p["code"] != code || (param != "" && p["param"] != param) {
			t.Fatalf("problem %v, want %s/%s", p, code, param)
		}
	}
	// Cannot open without a question, an audience and an answer date.
	problem(fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 409, "consultation_not_ready", "audienceBody")
	upd := map[string]any{"title": "Parcul", "modes": []string{"live"}, "audienceBody": "Consiliul Local"}
	mustStatus(t, fac.do(t, "PUT", one, upd), 200)
	problem(fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 409, "consultation_not_ready", "answerBy")
	upd["answerBy"] = time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	mustStatus(t, fac.do(t, "PUT", one, upd), 200)
	problem(fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 409, "consultation_not_ready", "answerBy")
	upd["answerBy"] = time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)
	mustStatus(t, fac.do(t, "PUT", one, upd), 200)
	problem(fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 409, "consultation_not_ready", "questions")

	// Bad questions.
	problem(fac.do(t, "POST", one+"/questions", map[string]any{"kind": "single", "prompt": "Ce?", "options": []map[string]string{{"label": "a"}}}), 400, "invalid_parameter", "options")
	problem(fac.do(t, "POST", one+"/questions", map[string]any{"kind": "poll", "prompt": "Ce?"}), 400, "invalid_parameter", "kind")
	problem(fac.do(t, "POST", one+"/questions", map[string]any{"kind": "short_text", "prompt": "Ce?", "options": []map[string]string{{"label": "a"}, {"label": "b"}}}), 400, "invalid_parameter", "options")
	problem(fac.do(t, "POST", one+"/questions", map[string]any{"kind": "short_text", "prompt": "Ce?", "secret": 1}), 400, "invalid_body", "secret")

	a = fac.do(t, "POST", one+"/questions", map[string]any{"kind": "scale", "prompt": "Cât de mult îți place?", "emojiFaces": true})
	mustStatus(t, a, 201)
	if !strings.Contains(string(a.body), "😄") {
		t.Fatalf("scale without faces: %s", a.body)
	}
	a = fac.do(t, "POST", one+"/questions", map[string]any{"kind": "single", "prompt": "Ce vrei?", "options": []map[string]string{{"label": "leagăne", "emoji": "🛝"}, {"label": "copaci"}}})
	mustStatus(t, a, 201)
	var q question
	decodeBody(t, a, &q)
	a = fac.do(t, "GET", one, nil)
	var full struct {
		Questions []question `json:"questions"`
	}
	decodeBody(t, a, &full)
	if len(full.Questions) != 2 {
		t.Fatalf("questions %s", a.body)
	}
	mustStatus(t, fac.do(t, "PUT", one+"/question-order", map[string]any{"questionIds": []string{q.ID, full.Questions[0].ID}}), 204)
	problem(fac.do(t, "PUT", one+"/question-order", map[string]any{"questionIds": []string{q.ID}}), 400, "invalid_parameter", "questionIds")
	decodeBody(t, fac.do(t, "GET", one, nil), &full)
	if full.Questions[0].ID != q.ID {
		t.Fatalf("order %+v", full.Questions)
	}

	mustStatus(t, fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 200)
	// An open consultation cannot lose its audience.
	delete(upd, "audienceBody")
	problem(fac.do(t, "PUT", one, upd), 409, "consultation_not_ready", "audienceBody")

	// A question opened in a live session is frozen: wording may change, options may not.
	a = fac.do(t, "POST", one+"/live-sessions", nil)
	mustStatus(t, a, 201)
	var live struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &live)
	a = fac.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/live-sessions/%s/qr.png", bacau, live.ID), nil)
	if a.status != 200 || a.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(string(a.body), "\x89PNG") {
		t.Fatalf("QR code: %d %s", a.status, a.header.Get("Content-Type"))
	}
	if err := ts.store.FreezeQuestion(t.Context(), q.ID); err != nil { // as question.open does
		t.Fatal(err)
	}
	reworded := map[string]any{"kind": "single", "prompt": "Ce vrei cel mai mult?", "options": []map[string]string{{"id": q.Options[0].ID, "label": "leagăne", "emoji": "🛝"}, {"id": q.Options[1].ID, "label": "copaci"}}}
	mustStatus(t, fac.do(t, "PUT", one+"/questions/"+q.ID, reworded), 200)
	reshaped := map[string]any{"kind": "single", "prompt": "Ce vrei?", "options": []map[string]string{{"label": "leagăne"}, {"label": "copaci"}, {"label": "lac"}}}
	problem(fac.do(t, "PUT", one+"/questions/"+q.ID, reshaped), 409, "question_frozen", "options")
	problem(fac.do(t, "DELETE", one+"/questions/"+q.ID, nil), 409, "question_frozen", "")

	// Other municipalities and other roles see nothing.
	other := ts.client()
	mustStatus(t, other.login(t, "facilitator.brasov@demo.voci.ro", testPassword), 200)
	problem(other.do(t, "GET", one, nil), 404, "not_found", "")
	problem(other.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/40198/consultations/%s", cons.ID), nil), 404, "not_found", "")
	council := ts.client()
	mustStatus(t, council.login(t, "council.bacau@demo.voci.ro", testPassword), 200)
	mustStatus(t, council.do(t, "GET", one, nil), 200)
	problem(council.do(t, "POST", base, map[string]any{"title": "Alt parc"}), 404, "not_found", "")
	problem(council.do(t, "POST", one+"/live-sessions", nil), 404, "not_found", "")
	problem(ts.client().do(t, "GET", one, nil), 401, "unauthorized", "")
	// Without the CSRF token, no change.
	noCSRF := &client{ts: ts, cookie: fac.cookie}
	problem(noCSRF.do(t, "POST", one+"/live-sessions", nil), 403, "csrf_failed", "")

	mustStatus(t, fac.do(t, "POST", one+"/status", map[string]string{"status": "closed"}), 200)
	problem(fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 409, "conflict", "")
	problem(fac.do(t, "POST", one+"/live-sessions", nil), 409, "consultation_not_ready", "status")
}

func TestTimerLocksTheQuestion(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "ro")
	kid.expect("session.state")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID, "timerSeconds": 1})
	st := kid.expect("session.state")
	if !strings.Contains(string(st.Data), `"deadline"`) {
		t.Fatalf("no deadline: %s", st.Data)
	}
	st = kid.expect("session.state")
	if !strings.Contains(string(st.Data), `"state":"question_locked"`) {
		t.Fatalf("after the timer: %s", st.Data)
	}
	if code := kid.errorCode(kid.answer(t, f.single.ID, []string{f.single.option("trees")}, "", "too-late-0001")); code != "question_not_open" {
		t.Fatalf("answer after the timer: %s", code)
	}
}

func TestPaperForms(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	a := fac.do(t, "POST", base, map[string]any{"title": "Școala noastră", "modes": []string{"paper"}, "audienceBody": "Consiliul Local",
		"answerBy": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	one := base + "/" + cons.ID
	var single, text question
	decodeBody(t, fac.do(t, "POST", one+"/questions", map[string]any{"kind": "single", "prompt": "Ce?", "options": []map[string]string{{"label": "da"}, {"label": "nu"}}}), &single)
	decodeBody(t, fac.do(t, "POST", one+"/questions", map[string]any{"kind": "short_text", "prompt": "De ce?"}), &text)
	form := func(key string, answers ...map[string]any) answer {
		return fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": key, "ageBand": "13_15", "gender": "girl", "answers": answers})
	}
	yes := map[string]any{"questionId": single.ID, "choices": []string{single.option("da")}}
	problem := func(a answer, status int, code string) {
		t.Helper()
		if a.status != status || a.problem(t)["code"] != code {
			t.Fatalf("%d %s, want %d %s", a.status, a.body, status, code)
		}
	}
	problem(form("form-0000001", yes), 409, "consultation_not_ready") // still a draft
	mustStatus(t, fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 200)

	// A bad answer on the form: nothing of the form is written.
	problem(form("form-0000001", yes, map[string]any{"questionId": single.ID + "x", "choices": []string{"a"}}), 404, "question_not_in_consultation")
	problem(form("form-0000001", yes, map[string]any{"questionId": text.ID, "text": strings.Repeat("a", 300)}), 400, "text_too_long")
	if r := fetchResults(t, fac, one); r.Questions[0].Respondents != 0 {
		t.Fatalf("half a form was written: %+v", r)
	}

	a = form("form-0000001", yes, map[string]any{"questionId": text.ID, "text": "sunați-mă: 0745 111 222"})
	mustStatus(t, a, 201)
	if !strings.Contains(string(a.body), `"moderation":"held"`) {
		t.Fatalf("phone number not held: %s", a.body)
	}
	a = form("form-0000001", yes) // typed in again
	mustStatus(t, a, 201)
	if !strings.Contains(string(a.body), `"replayed":true`) {
		t.Fatalf("second typing not replayed: %s", a.body)
	}
	mustStatus(t, form("form-0000002", map[string]any{"questionId": single.ID, "choices": []string{single.option("nu")}},
		map[string]any{"questionId": text.ID, "text": "mai multe cărți"}), 201)
	r := fetchResults(t, fac, one)
	if r.Questions[0].Respondents != 2 || r.Questions[0].BySource["paper"] != 2 {
		t.Fatalf("paper results %+v", r.Questions[0])
	}
	if len(r.Questions[1].Texts) != 1 || r.Questions[1].Texts[0].Text != "mai multe cărți" {
		t.Fatalf("paper texts %+v", r.Questions[1].Texts)
	}
	// The question has answers now: its options are frozen.
	a = fac.do(t, "PUT", one+"/questions/"+single.ID, map[string]any{"kind": "single", "prompt": "Ce?", "options": []map[string]string{{"label": "da"}, {"label": "nu"}, {"label": "poate"}}})
	problem(a, 409, "question_frozen")
}

type paperResults struct {
	Questions []struct {
		Respondents int            `json:"respondents"`
		BySource    map[string]int `json:"bySource"`
		Texts       []struct {
			Text string `json:"text"`
		} `json:"texts"`
	} `json:"questions"`
}

func fetchResults(t *testing.T, cl *client, consultation string) paperResults {
	t.Helper()
	a := cl.do(t, "GET", consultation+"/results", nil)
	mustStatus(t, a, 200)
	var r paperResults
	decodeBody(t, a, &r)
	return r
}

// TestSmallCellKFromConfig: the threshold of VOCI_SMALL_CELL_K reaches the results. Four
// children of one age band are hidden with k=5 and shown with k=3.
func TestSmallCellKFromConfig(t *testing.T) {
	for _, c := range []struct {
		k          int
		suppressed bool
	}{{5, true}, {3, false}} {
		ts := newTestServer(t, func(d *httpapi.Deps) { d.Config.SmallCellK = c.k })
		fac := ts.client()
		mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
		base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
		a := fac.do(t, "POST", base, map[string]any{"title": "Parcul", "modes": []string{"paper"}, "audienceBody": "Consiliul Local",
			"answerBy": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)})
		mustStatus(t, a, 201)
		var cons struct {
			ID string `json:"id"`
		}
		decodeBody(t, a, &cons)
		one := base + "/" + cons.ID
		var single question
		decodeBody(t, fac.do(t, "POST", one+"/questions", map[string]any{"kind": "single", "prompt": "Ce?", "options": []map[string]string{{"label": "da"}, {"label": "nu"}}}), &single)
		mustStatus(t, fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 200)
		for i := range 4 {
			mustStatus(t, fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": fmt.Sprintf("form-k%07d", i), "ageBand": "13_15", "gender": "girl",
				"answers": []map[string]any{{"questionId": single.ID, "choices": []string{single.option("da")}}}}), 201)
		}
		a = fac.do(t, "GET", one+"/results", nil)
		mustStatus(t, a, 200)
		var r struct {
			K         int `json:"k"`
			Questions []struct {
				ByAgeBand struct {
					Groups []struct {
						Group       string `json:"group"`
						Respondents *int   `json:"respondents"`
						Suppressed  bool   `json:"suppressed"`
					} `json:"groups"`
				} `json:"byAgeBand"`
			} `json:"questions"`
		}
		decodeBody(t, a, &r)
		if r.K != c.k {
			t.Errorf("k=%d: results say k=%d", c.k, r.K)
		}
		found := false
		for _, g := range r.Questions[0].ByAgeBand.Groups {
			if g.Group != "13_15" {
				continue
			}
			found = true
			if g.Suppressed != c.suppressed || (g.Respondents == nil) != c.suppressed || (!c.suppressed && *g.Respondents != 4) {
				t.Errorf("k=%d: group 13_15 suppressed=%v respondents=%v, want suppressed=%v", c.k, g.Suppressed, g.Respondents, c.suppressed)
			}
		}
		if !found {
			t.Fatalf("k=%d: no 13_15 group in %s", c.k, a.body)
		}
	}
}

// TestFacilitatorChangesAreAudited: the coordinator finds a facilitator's consultation work in
// the audit trail, without a word of what the children wrote.
func TestFacilitatorChangesAreAudited(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	a := fac.do(t, "POST", base, map[string]any{"title": "Biblioteca", "modes": []string{"paper"}, "audienceBody": "Consiliul Local",
		"answerBy": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	one := base + "/" + cons.ID
	var text question
	decodeBody(t, fac.do(t, "POST", one+"/questions", map[string]any{"kind": "short_text", "prompt": "Ce lipsește?"}), &text)
	mustStatus(t, fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 200)
	mustStatus(t, fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": "form-audit001", "ageBand": "13_15", "gender": "girl",
		"answers": []map[string]any{{"questionId": text.ID, "text": "Ana, sunați-mă: 0745 111 222"}}}), 201)

	a = fac.do(t, "GET", one+"/moderation", nil)
	mustStatus(t, a, 200)
	var queue struct {
		Items []struct {
			AnswerID string `json:"answerId"`
			Revision int    `json:"revision"`
		} `json:"held"`
	}
	decodeBody(t, a, &queue)
	if len(queue.Items) != 1 {
		t.Fatalf("queue %s", a.body)
	}
	mustStatus(t, fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, queue.Items[0].AnswerID),
		map[string]any{"state": "rejected", "revision": queue.Items[0].Revision}), 200)

	coord := ts.client()
	mustStatus(t, coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword), 200)
	a = coord.do(t, "GET", fmt.Sprintf("/api/v1/audit?municipality=%d&pageSize=100", bacau), nil)
	mustStatus(t, a, 200)
	var page struct {
		Items []struct {
			Action     string `json:"action"`
			ActorEmail string `json:"actorEmail"`
			ObjectType string `json:"objectType"`
			ObjectID   string `json:"objectId"`
		} `json:"items"`
	}
	decodeBody(t, a, &page)
	want := map[string]string{
		"consultation.create":     cons.ID,
		"question.create":         text.ID,
		"consultation.set_status": cons.ID,
		"paper_form.record":       cons.ID,
		"answer.moderate":         queue.Items[0].AnswerID,
	}
	for _, it := range page.Items {
		if id, ok := want[it.Action]; ok && it.ObjectID == id && it.ActorEmail == "facilitator.bacau@demo.voci.ro" && it.ObjectType != "" {
			delete(want, it.Action)
		}
	}
	if len(want) != 0 {
		t.Errorf("not audited: %v in %s", want, a.body)
	}
	for _, word := range []string{"Ana", "sunați", "0745"} {
		if strings.Contains(string(a.body), word) {
			t.Errorf("the audit trail holds a child's words (%q): %s", word, a.body)
		}
	}
}
