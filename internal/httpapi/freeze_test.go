package httpapi_test

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// A change whose audit entry cannot be written is not stored: the client gets a plain 500
// problem, and the consultation is not there.
func TestChangeNotStoredWithoutItsAuditEntry(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)

	// A full disk, as far as the audit trail is concerned.
	db, err := sql.Open("sqlite", ts.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER audit_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	a := fac.do(t, "POST", base, map[string]any{"title": "Parcul fără jurnal", "modes": []string{"live"}})
	if a.status != 500 || a.problem(t)["code"] != "internal" || a.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d %s: %s", a.status, a.header.Get("Content-Type"), a.body)
	}
	var list struct {
		Total int `json:"total"`
	}
	decodeBody(t, fac.do(t, "GET", base, nil), &list)
	if list.Total != 0 {
		t.Fatalf("%d consultations stored without their audit entry", list.Total)
	}
	if _, err := db.Exec(`DROP TRIGGER audit_full`); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, fac.do(t, "POST", base, map[string]any{"title": "Parcul cu jurnal", "modes": []string{"live"}}), 201)
	decodeBody(t, fac.do(t, "GET", base, nil), &list)
	if list.Total != 1 {
		t.Fatalf("%d consultations", list.Total)
	}
}

// A paper form whose audit entry cannot be written stores none of its answers; typed in
// again once the trail can be written, it is stored with one entry.
func TestPaperFormNotStoredWithoutItsAuditEntry(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	q := f.questions["single"]
	form := map[string]any{"key": "paper-form-0001", "answers": []map[string]any{{"questionId": q.ID, "choices": []string{q.Options[0].ID}}}}

	db, err := sql.Open("sqlite", ts.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER audit_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	a := f.fac.do(t, "POST", f.base+"/paper-forms", form)
	if a.status != 500 || a.problem(t)["code"] != "internal" {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if n := sqlCount(t, db, `SELECT count(*) FROM answers WHERE question_id = ?`, q.ID); n != 0 {
		t.Fatalf("%d answers stored without the form's audit entry", n)
	}
	if _, err := db.Exec(`DROP TRIGGER audit_full`); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, f.fac.do(t, "POST", f.base+"/paper-forms", form), 201)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/paper-forms", form), 201) // typed in twice: recorded once
	if n := sqlCount(t, db, `SELECT count(*) FROM answers WHERE question_id = ?`, q.ID); n != 1 {
		t.Fatalf("%d answers", n)
	}
	if n := sqlCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'paper_form.record'`); n != 1 {
		t.Fatalf("%d audit entries for one form", n)
	}
}

func sqlCount(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Through the real app: the options change while the first self-paced answers arrive. Every
// answer stored is counted on an option of the question as it stands; then the wording
// changes as a new version, which the results show.
func TestFirstAnswersFreezeOptionsAndRewordingIsAVersion(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	f.clock.Set(f.from.Add(time.Minute))
	key, _ := f.link(t)
	q := f.questions["single"]
	const children = 12
	kids := make([]*kid, children)
	for i := range kids {
		kids[i] = &kid{ts: ts, key: key}
		kids[i].join(t, "ro")
	}

	type shown struct {
		Options []struct {
			ID string `json:"id"`
		} `json:"options"`
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Go(func() {
		<-start
		for i := 0; ; i++ {
			a := f.fac.do(t, "PUT", f.base+"/questions/"+q.ID, map[string]any{"kind": "single", "prompt": "Ce vrei în curte?",
				"options": []map[string]string{{"label": fmt.Sprintf("bănci %d", i)}, {"label": fmt.Sprintf("copaci %d", i)}}})
			if a.status == 409 && a.problem(t)["code"] == "question_frozen" {
				return
			}
			if a.status != 200 && a.status != 409 {
				t.Errorf("edit: %d %s", a.status, a.body)
				return
			}
		}
	})
	stored := make([]bool, children)
	for i, k := range kids {
		wg.Go(func() {
			<-start
			for attempt := range 50 {
				var cur shown
				full := struct {
					Questions []struct {
						ID string `json:"id"`
						shown
					} `json:"questions"`
				}{}
				decodeBody(t, f.fac.do(t, "GET", f.base, nil), &full)
				for _, fq := range full.Questions {
					if fq.ID == q.ID {
						cur = fq.shown
					}
				}
				r := k.answer(t, q.ID, map[string]any{"choices": []string{cur.Options[0].ID}, "idempotencyKey": fmt.Sprintf("race-%02d-%02d", i, attempt)})
				if r.status == 200 {
					stored[i] = true
					return
				}
				if r.status != 400 || r.problem(t)["code"] != "option_not_in_question" {
					t.Errorf("child %d: %d %s", i, r.status, r.body)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	res := f.results(t, q.ID)
	counted := 0
	for _, o := range res.Questions[0].Options {
		counted += o.Count
	}
	if res.Questions[0].Respondents != children || counted != children {
		t.Fatalf("%d respondents, %d counted on the question's options; want %d", res.Questions[0].Respondents, counted, children)
	}

	// Reworded after answers: a new version, the earlier one kept and counted.
	type option struct {
		ID    string `json:"id"`
		Label string `json:"label"`
		Emoji string `json:"emoji,omitempty"`
	}
	var full struct {
		Questions []struct {
			ID      string   `json:"id"`
			Options []option `json:"options"`
		} `json:"questions"`
	}
	decodeBody(t, f.fac.do(t, "GET", f.base, nil), &full)
	var opts []option // as they stand, emoji included: the same options
	for _, fq := range full.Questions {
		if fq.ID == q.ID {
			opts = fq.Options
		}
	}
	a := f.fac.do(t, "PUT", f.base+"/questions/"+q.ID, map[string]any{"kind": "single", "prompt": "Ce ai vrea cel mai mult în curte?", "options": opts})
	mustStatus(t, a, 200)
	var after struct {
		PromptVersion int `json:"promptVersion"`
	}
	decodeBody(t, a, &after)
	if after.PromptVersion != 2 {
		t.Fatalf("after rewording: %s", a.body)
	}
	r := f.fac.do(t, "GET", f.base+"/results?question="+q.ID, nil)
	mustStatus(t, r, 200)
	var versions struct {
		Questions []struct {
			Prompt         string `json:"prompt"`
			PromptVersions []struct {
				Version     int    `json:"version"`
				Prompt      string `json:"prompt"`
				Respondents *int   `json:"respondents"`
				Suppressed  bool   `json:"suppressed"`
			} `json:"promptVersions"`
		} `json:"questions"`
	}
	decodeBody(t, r, &versions)
	v := versions.Questions[0].PromptVersions
	if len(v) != 2 || v[0].Prompt != "Ce vrei în curte?" || v[0].Respondents == nil || *v[0].Respondents != children ||
		v[1].Prompt != "Ce ai vrea cel mai mult în curte?" || v[1].Respondents == nil || *v[1].Respondents != 0 {
		t.Fatalf("versions in results: %s", r.body)
	}
	csv := f.fac.do(t, "GET", f.base+"/results.csv", nil)
	mustStatus(t, csv, 200)
	if !strings.Contains(string(csv.body), "prompt_version,1,,Ce vrei în curte?,12,,false") ||
		!strings.Contains(string(csv.body), "prompt_version,2,,Ce ai vrea cel mai mult în curte?,0,,false") {
		t.Fatalf("CSV without the wordings:\n%s", csv.body)
	}
	// Options stay frozen.
	mustStatus(t, f.fac.do(t, "PUT", f.base+"/questions/"+q.ID, map[string]any{"kind": "single", "prompt": "Altceva?",
		"options": []map[string]string{{"label": "x"}, {"label": "y"}}}), 409)
}
