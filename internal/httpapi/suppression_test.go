package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestHiddenCellsLookAlike: a count hidden because it is small and a count hidden to protect it
// reach the API, the JSON export and the CSV export in the same form, so that nothing tells
// their range. Paper forms: ages 10-12 chose "da" twice and "nu" nine times, so the 2 is hidden
// and the 9 beside it too (else the group's total less 9 gives the 2).
func TestHiddenCellsLookAlike(t *testing.T) {
	ts := newTestServer(t)
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
	forms := 0
	for _, g := range []struct {
		band   string
		da, nu int
	}{{"10_12", 2, 9}, {"13_15", 8, 7}, {"16_18", 6, 6}} {
		for i := range g.da + g.nu {
			choice := "da"
			if i >= g.da {
				choice = "nu"
			}
			forms++
			mustStatus(t, fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": fmt.Sprintf("form-h%07d", forms), "ageBand": g.band, "gender": "girl",
				"answers": []map[string]any{{"questionId": single.ID, "choices": []string{single.option(choice)}}}}), 201)
		}
	}

	a = fac.do(t, "GET", one+"/results", nil)
	mustStatus(t, a, 200)
	var raw struct {
		Questions []struct {
			ByAgeBand struct {
				Groups []struct {
					Group   string                       `json:"group"`
					Options []map[string]json.RawMessage `json:"options"`
				} `json:"groups"`
			} `json:"byAgeBand"`
		} `json:"questions"`
	}
	decodeBody(t, a, &raw)
	hidden := map[string]bool{}
	for _, g := range raw.Questions[0].ByAgeBand.Groups {
		for _, o := range g.Options {
			var id string
			json.Unmarshal(o["id"], &id)
			switch {
			case string(o["count"]) == "null":
				if string(o["suppressed"]) != "true" || len(o) != 3 {
					t.Errorf("hidden cell %s/%s is %v", g.Group, id, o)
				}
				hidden[g.Group+"/"+id] = true
			case o["suppressed"] != nil:
				t.Errorf("shown cell %s/%s is %v", g.Group, id, o)
			}
		}
	}
	if !hidden["10_12/"+single.option("da")] || !hidden["10_12/"+single.option("nu")] {
		t.Fatalf("the 2 and the 9 protecting it are not both hidden: %v\n%s", hidden, a.body)
	}
	if !bytes.Contains(a.body, []byte(`"count":null,"suppressed":true`)) || bytes.Contains(a.body, []byte(`"count":2,`)) || bytes.Contains(a.body, []byte(`"count":9,`)) {
		t.Fatalf("results %s", a.body)
	}

	exp := fac.do(t, "GET", one+"/results.json", nil)
	mustStatus(t, exp, 200)
	strip := func(b []byte) string {
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		delete(v, "generatedAt")
		out, _ := json.Marshal(v)
		return string(out)
	}
	if strip(exp.body) != strip(a.body) {
		t.Errorf("the JSON export differs from the results:\n%s\n%s", exp.body, a.body)
	}

	c := fac.do(t, "GET", one+"/results.csv", nil)
	mustStatus(t, c, 200)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(c.body), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range rows[1:] {
		if r[4] != "age_band" {
			continue
		}
		key := r[5] + "/" + r[6]
		if hidden[key] {
			seen++
			if r[8] != "" || r[9] != "" || r[10] != "true" {
				t.Errorf("hidden cell %s in CSV: %q", key, r)
			}
		} else if r[8] == "" || r[10] != "false" {
			t.Errorf("shown cell %s in CSV: %q", key, r)
		}
	}
	if seen != len(hidden) {
		t.Errorf("CSV has %d of %d hidden cells", seen, len(hidden))
	}
}
