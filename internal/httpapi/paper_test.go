package httpapi_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"
)

// paperConsultation opens a paper consultation with one ranking question of three options,
// then the extra questions given, whose IDs it returns.
func paperConsultation(t *testing.T, fac *client, extra ...map[string]any) (one string, rank question, more []question) {
	t.Helper()
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	a := fac.do(t, "POST", base, map[string]any{"title": "Parcul", "modes": []string{"paper"}, "audienceBody": "Consiliul Local",
		"answerBy": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	one = base + "/" + cons.ID
	decodeBody(t, fac.do(t, "POST", one+"/questions", map[string]any{"kind": "ranking", "prompt": "Ordonează",
		"options": []map[string]string{{"label": "umbră"}, {"label": "apă"}, {"label": "flori"}}}), &rank)
	for _, q := range extra {
		var made question
		decodeBody(t, fac.do(t, "POST", one+"/questions", q), &made)
		more = append(more, made)
	}
	mustStatus(t, fac.do(t, "POST", one+"/status", map[string]string{"status": "open"}), 200)
	return one, rank, more
}

// TestPaperRankingResults: four paper ballots, worked by hand (2, 1, 0 points for places 1-3):
// umbră apă flori twice, apă umbră flori, flori apă umbră. umbră: 5 points, places 7/4 = 1.75,
// first twice; apă: 5 points, 1.75, first once; flori: 2 points, 10/4 = 2.5, first once. The
// JSON and the CSV say so; every child is 13-15 and a girl, four is below k, so every group's
// ranking statistics are hidden.
func TestPaperRankingResults(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	one, rank, _ := paperConsultation(t, fac)
	u, a, f := rank.option("umbră"), rank.option("apă"), rank.option("flori")
	for i, order := range [][]string{{u, a, f}, {u, a, f}, {a, u, f}, {f, a, u}} {
		mustStatus(t, fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": fmt.Sprintf("rank-form-%d", i), "ageBand": "13_15", "gender": "girl",
			"answers": []map[string]any{{"questionId": rank.ID, "choices": order}}}), 201)
	}
	var r struct {
		Questions []struct {
			Respondents int            `json:"respondents"`
			BySource    map[string]int `json:"bySource"`
			Options     []struct {
				ID          string  `json:"id"`
				Count       int     `json:"count"`
				Points      int     `json:"points"`
				AverageRank float64 `json:"averageRank"`
			} `json:"options"`
			ByAgeBand struct {
				Groups []struct {
					Group string `json:"group"`
					Ranks []struct {
						Points      *int     `json:"points"`
						AverageRank *float64 `json:"averageRank"`
						Suppressed  bool     `json:"suppressed"`
					} `json:"ranks"`
				} `json:"groups"`
			} `json:"byAgeBand"`
		} `json:"questions"`
	}
	res := fac.do(t, "GET", one+"/results", nil)
	mustStatus(t, res, 200)
	decodeBody(t, res, &r)
	q := r.Questions[0]
	if q.Respondents != 4 || q.BySource["paper"] != 4 {
		t.Fatalf("respondents %d by source %v", q.Respondents, q.BySource)
	}
	want := map[string]struct {
		first, points int
		avg           float64
	}{u: {2, 5, 1.75}, a: {1, 5, 1.75}, f: {1, 2, 2.5}}
	for _, o := range q.Options {
		if w := want[o.ID]; o.Count != w.first || o.Points != w.points || o.AverageRank != w.avg {
			t.Errorf("option %s: %+v, want %+v", o.ID, o, w)
		}
	}
	for _, g := range q.ByAgeBand.Groups {
		if len(g.Ranks) != 3 {
			t.Fatalf("group %s: %d ranks", g.Group, len(g.Ranks))
		}
		if g.Group == "13_15" {
			for _, st := range g.Ranks {
				if !st.Suppressed || st.Points != nil || st.AverageRank != nil {
					t.Errorf("a group of four shows its ranking: %+v", st)
				}
			}
		}
	}

	c := fac.do(t, "GET", one+"/results.csv", nil)
	mustStatus(t, c, 200)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(c.body), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := rows[0]; h[11] != "points" || h[12] != "average_rank" {
		t.Fatalf("header %v", h)
	}
	found := 0
	for _, row := range rows[1:] {
		switch {
		case row[4] == "all" && row[6] == u:
			found++
			if row[8] != "2" || row[11] != "5" || row[12] != "1.75" {
				t.Errorf("overall row %v", row)
			}
		case row[4] == "age_band" && row[5] == "13_15":
			found++
			if row[8] != "" || row[10] != "true" || row[11] != "" || row[12] != "" {
				t.Errorf("a small group's row shows figures: %v", row)
			}
		}
	}
	if found != 4 {
		t.Fatalf("found %d rows of interest in %v", found, rows)
	}
}

// TestRemovePaperForm: the last form typed in can be taken back and typed again, corrected;
// the removal is audited; a form never typed, a bad key or another municipality's facilitator
// get a problem and change nothing.
func TestRemovePaperForm(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	one, rank, _ := paperConsultation(t, fac)
	u, a, f := rank.option("umbră"), rank.option("apă"), rank.option("flori")
	form := func(key string, order ...string) {
		t.Helper()
		mustStatus(t, fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": key,
			"answers": []map[string]any{{"questionId": rank.ID, "choices": order}}}), 201)
	}
	form("paper-keep-0001", u, a, f)
	form("paper-oops-0001", f, a, u)
	if r := fetchResults(t, fac, one); r.Questions[0].Respondents != 2 {
		t.Fatalf("before: %+v", r)
	}
	problem := func(res answer, status int, code string) {
		t.Helper()
		if res.status != status || res.problem(t)["code"] != code {
			t.Fatalf("%d %s, want %d %s", res.status, res.body, status, code)
		}
	}
	problem(fac.do(t, "DELETE", one+"/paper-forms/never-typed-01", nil), 404, "not_found")
	problem(fac.do(t, "DELETE", one+"/paper-forms/bad", nil), 400, "invalid_parameter")

	mustStatus(t, fac.do(t, "DELETE", one+"/paper-forms/paper-oops-0001", nil), 204)
	if r := fetchResults(t, fac, one); r.Questions[0].Respondents != 1 || r.Questions[0].BySource["paper"] != 1 {
		t.Fatalf("after removal: %+v", r)
	}
	problem(fac.do(t, "DELETE", one+"/paper-forms/paper-oops-0001", nil), 404, "not_found")
	// Typed again, corrected, under the same key: stored, not a replay.
	form("paper-oops-0001", a, u, f)
	if r := fetchResults(t, fac, one); r.Questions[0].Respondents != 2 {
		t.Fatalf("typed again: %+v", r)
	}
	coord := ts.client()
	mustStatus(t, coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword), 200)
	audit := coord.do(t, "GET", "/api/v1/audit?action=paper_form.remove", nil)
	mustStatus(t, audit, 200)
	if n := strings.Count(string(audit.body), `"paper_form.remove"`); n != 1 {
		t.Fatalf("%d removal entries: %s", n, audit.body)
	}
}

// TestRemoveAnyPaperForm: any form of a sitting can be taken back, not only the last one
// typed, and typed again, corrected, under its key; the forms typed after it stay.
func TestRemoveAnyPaperForm(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	one, rank, _ := paperConsultation(t, fac)
	u, a, f := rank.option("umbră"), rank.option("apă"), rank.option("flori")
	form := func(key string, order ...string) {
		t.Helper()
		mustStatus(t, fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": key,
			"answers": []map[string]any{{"questionId": rank.ID, "choices": order}}}), 201)
	}
	respondents := func(want int) {
		t.Helper()
		if r := fetchResults(t, fac, one); r.Questions[0].Respondents != want || r.Questions[0].BySource["paper"] != want {
			t.Fatalf("want %d respondents: %+v", want, r)
		}
	}
	form("paper-first-001", u, a, f)
	form("paper-second-01", f, a, u)
	form("paper-third-001", a, f, u)
	respondents(3)
	// The first form, two forms back.
	mustStatus(t, fac.do(t, "DELETE", one+"/paper-forms/paper-first-001", nil), 204)
	respondents(2)
	if res := fac.do(t, "DELETE", one+"/paper-forms/paper-first-001", nil); res.status != 404 {
		t.Fatalf("removed twice: %d %s", res.status, res.body)
	}
	// The middle one corrected: taken back and typed again under its key.
	mustStatus(t, fac.do(t, "DELETE", one+"/paper-forms/paper-second-01", nil), 204)
	respondents(1)
	form("paper-second-01", u, f, a)
	respondents(2)
	// The last one was never touched: it is still there to take back.
	mustStatus(t, fac.do(t, "DELETE", one+"/paper-forms/paper-third-001", nil), 204)
	respondents(1)
}

// TestPaperFormWithDisclosureStays: a paper text that may disclose harm raised a help request
// that points at it, so its form cannot be removed; a form with another held text (a phone
// number) can, and its text goes with it.
func TestPaperFormWithDisclosureStays(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	one, _, more := paperConsultation(t, fac, map[string]any{"kind": "short_text", "prompt": "Spune-ne"})
	text := more[0]
	form := func(key, said string) {
		t.Helper()
		a := fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": key, "answers": []map[string]any{{"questionId": text.ID, "text": said}}})
		mustStatus(t, a, 201)
		if !strings.Contains(string(a.body), `"moderation":"held"`) {
			t.Fatalf("not held: %s", a.body)
		}
	}
	form("paper-harm-0001", "tata mă bate acasă")
	form("paper-phone-001", "sunați-mă: 0745 111 222")
	a := fac.do(t, "DELETE", one+"/paper-forms/paper-harm-0001", nil)
	if p := a.problem(t); a.status != 409 || p["code"] != "conflict" || p["param"] != "disclosure" {
		t.Fatalf("%d %s", a.status, a.body)
	}
	mustStatus(t, fac.do(t, "DELETE", one+"/paper-forms/paper-phone-001", nil), 204)
	var queue struct {
		Held []struct {
			Text string `json:"text"`
		} `json:"held"`
	}
	q := fac.do(t, "GET", one+"/moderation", nil)
	mustStatus(t, q, 200)
	decodeBody(t, q, &queue)
	if len(queue.Held) != 1 || !strings.Contains(queue.Held[0].Text, "bate") {
		t.Fatalf("held texts %+v", queue.Held)
	}
}

// TestPaperFormLanguage: a paper form says the language it was printed in, and that language
// is then one the consultation's feedback must be written in; a form without it adds none, and
// a language Voci does not speak is refused and writes nothing.
func TestPaperFormLanguage(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	one, rank, _ := paperConsultation(t, fac)
	order := []string{rank.option("umbră"), rank.option("apă"), rank.option("flori")}
	required := func() string {
		t.Helper()
		var out struct {
			RequiredLanguages []string `json:"requiredLanguages"`
		}
		decodeBody(t, fac.do(t, "GET", one+"/feedback", nil), &out)
		return strings.Join(out.RequiredLanguages, ",")
	}
	form := func(key, lang string) answer {
		t.Helper()
		body := map[string]any{"key": key, "answers": []map[string]any{{"questionId": rank.ID, "choices": order}}}
		if lang != "" {
			body["lang"] = lang
		}
		return fac.do(t, "POST", one+"/paper-forms", body)
	}
	mustStatus(t, form("paper-lang-none1", ""), 201)
	if got := required(); got != "ro" {
		t.Fatalf("without a language: %s", got)
	}
	bad := form("paper-lang-bad01", "de")
	if bad.status != 400 || bad.problem(t)["code"] != "invalid_parameter" || bad.problem(t)["param"] != "lang" {
		t.Fatalf("German: %d %s", bad.status, bad.body)
	}
	if r := fetchResults(t, fac, one); r.Questions[0].Respondents != 1 {
		t.Fatalf("a refused form was stored: %+v", r)
	}
	mustStatus(t, form("paper-lang-hu001", "hu"), 201)
	if got := required(); got != "ro,hu" {
		t.Fatalf("after a Hungarian form: %s", got)
	}
}

// TestPaperFormsOfASitting: the forms a facilitator typed in one sitting come back to them, by
// number, with what was typed (choices in order, text, profile, language); not to another
// adult of the municipality, not from another sitting; a removed form is gone from the list,
// and typed in again under its key and number it is back, corrected.
func TestPaperFormsOfASitting(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	coord := ts.client()
	mustStatus(t, coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword), 200)
	one, rank, more := paperConsultation(t, fac, map[string]any{"kind": "short_text", "prompt": "Spune-ne"})
	text := more[0]
	u, a, f := rank.option("umbră"), rank.option("apă"), rank.option("flori")
	const sitting = "sitting-0001-abcd"
	record := func(who *client, key, sit string, n int, order []string, said string) {
		t.Helper()
		answers := []map[string]any{{"questionId": rank.ID, "choices": order}}
		if said != "" {
			answers = append(answers, map[string]any{"questionId": text.ID, "text": said})
		}
		mustStatus(t, who.do(t, "POST", one+"/paper-forms", map[string]any{"key": key, "ageBand": "13_15", "gender": "girl", "lang": "hu",
			"sitting": sit, "number": n, "answers": answers}), 201)
	}
	record(fac, "sit-form-0003", sitting, 3, []string{f, a, u}, "")
	record(fac, "sit-form-0001", sitting, 1, []string{u, a, f}, "mai multă umbră")
	record(fac, "sit-form-0002", sitting, 2, []string{a, u, f}, "")
	record(fac, "sit-form-0002", sitting, 2, []string{a, u, f}, "") // saved twice: listed once
	record(fac, "sit-form-other", "sitting-0002-abcd", 1, []string{u, a, f}, "")
	record(coord, "sit-form-coord", sitting, 4, []string{u, a, f}, "") // another adult, the same sitting ID
	mustStatus(t, fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": "no-sitting-01", "answers": []map[string]any{{"questionId": rank.ID, "choices": []string{u, a, f}}}}), 201)

	type listed struct {
		Forms []struct {
			Key     string    `json:"key"`
			Number  int       `json:"number"`
			TypedAt time.Time `json:"typedAt"`
			AgeBand string    `json:"ageBand"`
			Gender  string    `json:"gender"`
			Lang    string    `json:"lang"`
			Answers []struct {
				QuestionID string   `json:"questionId"`
				Choices    []string `json:"choices"`
				Text       string   `json:"text"`
				Moderation string   `json:"moderation"`
			} `json:"answers"`
		} `json:"forms"`
	}
	list := func(who *client, sit string) listed {
		t.Helper()
		res := who.do(t, "GET", one+"/paper-forms?sitting="+sit, nil)
		mustStatus(t, res, 200)
		var l listed
		decodeBody(t, res, &l)
		return l
	}
	numbers := func(l listed) string {
		var out []string
		for _, f := range l.Forms {
			out = append(out, fmt.Sprintf("%d:%s", f.Number, f.Key))
		}
		return strings.Join(out, " ")
	}
	l := list(fac, sitting)
	if got := numbers(l); got != "1:sit-form-0001 2:sit-form-0002 3:sit-form-0003" {
		t.Fatalf("the sitting lists %q", got)
	}
	first := l.Forms[0]
	if first.AgeBand != "13_15" || first.Gender != "girl" || first.Lang != "hu" || first.TypedAt.IsZero() || len(first.Answers) != 2 {
		t.Fatalf("form 1: %+v", first)
	}
	for _, ans := range first.Answers {
		switch ans.QuestionID {
		case rank.ID:
			if strings.Join(ans.Choices, ",") != strings.Join([]string{u, a, f}, ",") {
				t.Errorf("form 1's ranking %v", ans.Choices)
			}
		case text.ID:
			if ans.Text != "mai multă umbră" || ans.Moderation != "approved" {
				t.Errorf("form 1's text %+v", ans)
			}
		default:
			t.Errorf("an answer to %s", ans.QuestionID)
		}
	}
	if got := numbers(list(coord, sitting)); got != "4:sit-form-coord" {
		t.Fatalf("the coordinator, with the same sitting ID, sees %q: only their own", got)
	}
	if got := numbers(list(fac, "sitting-0002-abcd")); got != "1:sit-form-other" {
		t.Fatalf("the other sitting lists %q", got)
	}

	// Removed, then typed in again, corrected, under its key and number.
	mustStatus(t, fac.do(t, "DELETE", one+"/paper-forms/sit-form-0002", nil), 204)
	if got := numbers(list(fac, sitting)); got != "1:sit-form-0001 3:sit-form-0003" {
		t.Fatalf("after the removal %q", got)
	}
	record(fac, "sit-form-0002", sitting, 2, []string{f, u, a}, "")
	l = list(fac, sitting)
	if got := numbers(l); got != "1:sit-form-0001 2:sit-form-0002 3:sit-form-0003" || l.Forms[1].Answers[0].Choices[0] != f {
		t.Fatalf("corrected: %q %+v", got, l.Forms[1])
	}

	wantProblem(t, "no sitting", fac.do(t, "GET", one+"/paper-forms", nil), 400, "invalid_parameter", "sitting")
	wantProblem(t, "a bad sitting", fac.do(t, "GET", one+"/paper-forms?sitting=a%20b", nil), 400, "invalid_parameter", "sitting")
	wantProblem(t, "a sitting without a number", fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": "sit-form-nonum", "sitting": sitting,
		"answers": []map[string]any{{"questionId": rank.ID, "choices": []string{u, a, f}}}}), 400, "invalid_parameter", "number")
	wantProblem(t, "a bad sitting typed in", fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": "sit-form-badsit", "sitting": "short", "number": 1,
		"answers": []map[string]any{{"questionId": rank.ID, "choices": []string{u, a, f}}}}), 400, "invalid_parameter", "sitting")
}
