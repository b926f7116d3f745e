package httpapi_test

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

const brasov = 40198

// decisionsFixture: a real server with two recommendations of Bacău (one whose title tries a
// spreadsheet formula) and one of Brașov, created through the store as the review workspace
// would.
func decisionsFixture(t *testing.T) *testServer {
	t.Helper()
	ts := newTestServer(t)
	now := time.Now().UTC()
	for _, r := range []*voci.Recommendation{
		{ID: "rec-park", Municipality: bacau, Source: voci.SourceCouncilMotion, SourceRef: "motion-1", Title: "=HYPERLINK(\"http://evil\")  Shade in the park",
			AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "x", CreatedAt: now, UpdatedAt: now},
		{ID: "rec-bus", Municipality: bacau, Source: voci.SourceCouncilMotion, SourceRef: "motion-2", Title: "A bus stop by the school",
			AudienceBody: "Consiliul Local Bacău", Revision: 1, CreatedBy: "x", CreatedAt: now.Add(time.Second), UpdatedAt: now},
		{ID: "rec-brasov", Municipality: brasov, Source: voci.SourceCouncilMotion, SourceRef: "motion-3", Title: "Elsewhere",
			AudienceBody: "Consiliul Local Brașov", Revision: 1, CreatedBy: "x", CreatedAt: now, UpdatedAt: now},
	} {
		if err := ts.store.CreateRecommendation(t.Context(), r, nil); err != nil {
			t.Fatal(err)
		}
	}
	return ts
}

type decisionAnswer struct {
	ID        string `json:"id"`
	Published bool   `json:"published"`
	Revision  int    `json:"revision"`
	Status    string `json:"status"`
	HeadHash  string `json:"headHash"`
	Current   struct {
		Number    string `json:"number"`
		Text      string `json:"text"`
		PDFFileID string `json:"pdfFileId"`
		PDFSHA256 string `json:"pdfSha256"`
		Vote      struct {
			For int `json:"for"`
		} `json:"vote"`
		Links []struct {
			RecommendationID string `json:"recommendationId"`
			Response         string `json:"response"`
			Reasons          string `json:"reasons"`
		} `json:"links"`
	} `json:"current"`
	Versions []struct {
		Version  int    `json:"version"`
		Corrects string `json:"corrects"`
		Content  struct {
			Vote struct {
				For int `json:"for"`
			} `json:"vote"`
		} `json:"content"`
	} `json:"versions"`
	Entries    []struct{ Kind string } `json:"entries"`
	Milestones []struct{ Date, Note string }
}

func decodeDecision(t *testing.T, a answer) decisionAnswer {
	t.Helper()
	var d decisionAnswer
	decodeBody(t, a, &d)
	return d
}

func wantDecisionProblem(t *testing.T, what string, a answer, status int, code, param string) map[string]any {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: %d %s, want %d", what, a.status, a.body, status)
	}
	p := a.problem(t)
	if p["code"] != code || (param != "" && p["param"] != param) {
		t.Fatalf("%s: %v, want %s %s", what, p, code, param)
	}
	return p
}

// TestCouncilDecisions runs a decision's life through the API: recorded by a council member,
// refused for what breaks the rules, published, never edited after, corrected as a new
// version, given a status and a milestone, verified, and found to fail verification once its
// row is changed in the database file.
func TestCouncilDecisions(t *testing.T) {
	ts := decisionsFixture(t)
	council := signInAs(t, ts, "council.bacau@demo.voci.ro")
	base := fmt.Sprintf("/api/v1/municipalities/%d/decisions", bacau)
	html := `<script>alert("x")</script><b>Trees</b> & benches`
	draft := map[string]any{"number": "123/2026", "date": "2026-11-20", "title": "Shade for the playground", "text": html,
		"vote": map[string]int{"for": 15, "against": 2, "abstain": 1, "absent": 3}, "status": "adopted",
		"publicationUrl": "https://www.primariabacau.ro/mol/hcl-123-2026",
		"links":          []map[string]any{{"recommendationId": "rec-park", "response": "adopted_in_part", "reasons": "Trees, not a roof."}}}

	// Refused before anything is written.
	bad := func(change func(m map[string]any)) map[string]any {
		m := map[string]any{}
		for k, v := range draft {
			m[k] = v
		}
		change(m)
		return m
	}
	wantDecisionProblem(t, "a link to Brașov's recommendation", council.do(t, "POST", base, bad(func(m map[string]any) {
		m["links"] = []map[string]any{{"recommendationId": "rec-brasov", "response": "adopted_as_proposed"}}
	})), 422, "link_other_municipality", "links[0].recommendationId")
	wantDecisionProblem(t, "not adopted without reasons", council.do(t, "POST", base, bad(func(m map[string]any) {
		m["links"] = []map[string]any{{"recommendationId": "rec-park", "response": "not_adopted"}}
	})), 400, "invalid_parameter", "links[0].reasons")
	wantDecisionProblem(t, "deferred without a date", council.do(t, "POST", base, bad(func(m map[string]any) {
		m["links"] = []map[string]any{{"recommendationId": "rec-park", "response": "deferred"}}
	})), 400, "invalid_parameter", "links[0].deferredUntil")
	wantDecisionProblem(t, "an http publication", council.do(t, "POST", base, bad(func(m map[string]any) {
		m["publicationUrl"] = "http://www.primariabacau.ro/mol"
	})), 400, "invalid_parameter", "publicationUrl")
	wantDecisionProblem(t, "a negative vote", council.do(t, "POST", base, bad(func(m map[string]any) {
		m["vote"] = map[string]int{"for": -1}
	})), 400, "invalid_parameter", "")
	wantDecisionProblem(t, "an unknown field", council.do(t, "POST", base, bad(func(m map[string]any) { m["hash"] = "x" })), 400, "invalid_body", "")
	a := council.do(t, "GET", base, nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"decisions":[]`) {
		t.Fatalf("a refused decision was written: %s", a.body)
	}

	// Who may do what.
	facilitator := signInAs(t, ts, "facilitator.bacau@demo.voci.ro")
	wantDecisionProblem(t, "a facilitator records", facilitator.do(t, "POST", base, draft), 404, "not_found", "")
	brasovCouncil := signInAs(t, ts, "council.brasov@demo.voci.ro")
	wantDecisionProblem(t, "another municipality's council member", brasovCouncil.do(t, "POST", base, draft), 404, "not_found", "")
	safeguarding := signInAs(t, ts, "safeguarding.bacau@demo.voci.ro")
	wantDecisionProblem(t, "a safeguarding lead reads", safeguarding.do(t, "GET", base, nil), 404, "not_found", "")

	a = council.do(t, "POST", base, draft)
	mustStatus(t, a, 201)
	d := decodeDecision(t, a)
	if d.Published || d.Revision != 1 || d.Current.Text != html || len(d.Current.Links) != 1 || d.Current.Links[0].Response != "adopted_in_part" {
		t.Fatalf("draft %+v", d)
	}
	one := base + "/" + d.ID
	mustStatus(t, facilitator.do(t, "GET", one, nil), 200)
	wantDecisionProblem(t, "another municipality reads it", brasovCouncil.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/decisions/%s", brasov, d.ID), nil), 404, "not_found", "")

	// The coordinator edits the draft; an edit on a stale revision is told.
	coordinator := signInAs(t, ts, "coordinator.bacau@demo.voci.ro")
	edit := bad(func(m map[string]any) {
		m["revision"] = 1
		m["vote"] = map[string]int{"for": 16, "against": 2, "abstain": 1, "absent": 2}
	})
	mustStatus(t, coordinator.do(t, "PUT", one, edit), 200)
	wantDecisionProblem(t, "a stale edit", council.do(t, "PUT", one, edit), 409, "changed_meanwhile", "")
	wantDecisionProblem(t, "publishing a stale revision", council.do(t, "POST", one+"/publish", map[string]int{"revision": 1}), 409, "changed_meanwhile", "")
	wantDecisionProblem(t, "a milestone on a draft", council.do(t, "POST", one+"/milestones", map[string]string{"date": "2026-12-01", "note": "Too early"}), 409, "decision_not_published", "")

	a = council.do(t, "POST", one+"/publish", map[string]int{"revision": 2})
	mustStatus(t, a, 200)
	if d = decodeDecision(t, a); !d.Published || len(d.Versions) != 1 || d.HeadHash == "" {
		t.Fatalf("published %+v", d)
	}

	// Never edited once published.
	p := wantDecisionProblem(t, "an edit of a published decision", council.do(t, "PUT", one, bad(func(m map[string]any) { m["revision"] = 2 })), 409, "decision_published", "")
	if !strings.Contains(p["detail"].(string), "correction") {
		t.Fatalf("the refusal does not say to add a correction: %v", p)
	}
	wantDecisionProblem(t, "a correction that says nothing", council.do(t, "POST", one+"/corrections", draft), 400, "invalid_parameter", "corrects")
	corr := bad(func(m map[string]any) {
		m["corrects"] = "One member counted absent voted for."
		m["vote"] = map[string]int{"for": 17, "against": 2, "abstain": 1, "absent": 1}
	})
	a = council.do(t, "POST", one+"/corrections", corr)
	mustStatus(t, a, 201)
	mustStatus(t, council.do(t, "POST", one+"/status", map[string]string{"status": "being_implemented", "date": "2026-12-01", "note": "Works started."}), 201)
	wantDecisionProblem(t, "an unknown status", council.do(t, "POST", one+"/status", map[string]string{"status": "archived", "date": "2026-12-01"}), 400, "invalid_parameter", "status")
	wantDecisionProblem(t, "a step back to proposed", council.do(t, "POST", one+"/status", map[string]string{"status": "proposed", "date": "2026-12-02"}), 400, "invalid_parameter", "status")
	wantDecisionProblem(t, "a status dated before the one it follows", council.do(t, "POST", one+"/status", map[string]string{"status": "implemented", "date": "2026-11-30"}), 422, "status_date_out_of_range", "date")
	if p := wantDecisionProblem(t, "a status dated before the decision", council.do(t, "POST", one+"/status", map[string]string{"status": "implemented", "date": "2026-11-19"}), 422, "status_date_out_of_range", "date"); !strings.Contains(p["detail"].(string), "2026-11-20") {
		t.Fatalf("the refusal does not name the decision's date: %v", p)
	}
	far := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	wantDecisionProblem(t, "a status dated days ahead", council.do(t, "POST", one+"/status", map[string]string{"status": "implemented", "date": far}), 422, "status_date_out_of_range", "date")
	mustStatus(t, coordinator.do(t, "POST", one+"/milestones", map[string]string{"date": "2027-01-15", "note": "Twelve trees planted."}), 201)

	a = facilitator.do(t, "GET", one, nil)
	mustStatus(t, a, 200)
	d = decodeDecision(t, a)
	if len(d.Versions) != 2 || d.Versions[0].Content.Vote.For != 16 || d.Versions[1].Content.Vote.For != 17 ||
		d.Versions[1].Corrects == "" || d.Status != "being_implemented" || len(d.Milestones) != 1 || len(d.Entries) != 4 || d.Current.Text != html {
		t.Fatalf("after corrections %+v", d)
	}

	// Verification, by the national committee too, before and after a row is changed behind
	// the platform's back.
	national := signInAs(t, ts, "national@demo.voci.ro")
	verify := func() (ok bool, brokenAt int) {
		t.Helper()
		a := national.do(t, "GET", one+"/verify", nil)
		mustStatus(t, a, 200)
		var v struct {
			OK       bool `json:"ok"`
			BrokenAt int  `json:"brokenAt"`
		}
		decodeBody(t, a, &v)
		return v.OK, v.BrokenAt
	}
	if ok, _ := verify(); !ok {
		t.Fatal("a fresh chain does not verify")
	}
	db, err := sql.Open("sqlite", ts.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE decision_entries SET content = replace(content, '"voteFor":16', '"voteFor":20') WHERE decision_id = ? AND seq = 1`, d.ID)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("changing the row: %v (%d rows)", err, n)
	}
	if ok, at := verify(); ok || at != 1 {
		t.Fatalf("a changed row verifies: ok %v, broken at %d", ok, at)
	}

	// Audited, with the chain's head in the entry.
	a = coordinator.do(t, "GET", "/api/v1/audit?action=decision.publish", nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"total":1`) || !strings.Contains(string(a.body), "HCL 123/2026, hash ") {
		t.Fatalf("publication audit: %s", a.body)
	}
}

// TestDecisionTraceability: the chain from a decision back to its recommendations, and from a
// consultation forward, as JSON and as CSV that a spreadsheet cannot run.
func TestDecisionTraceability(t *testing.T) {
	ts := decisionsFixture(t)
	council := signInAs(t, ts, "council.bacau@demo.voci.ro")
	base := fmt.Sprintf("/api/v1/municipalities/%d/decisions", bacau)
	a := council.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/decision-recommendations", bacau), nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"id":"rec-park"`) || strings.Contains(string(a.body), "rec-brasov") {
		t.Fatalf("recommendations to link: %s", a.body)
	}
	a = council.do(t, "POST", base, map[string]any{"number": "9/2026", "date": "2026-11-20", "title": "Shade",
		"links": []map[string]any{{"recommendationId": "rec-park", "response": "not_adopted", "reasons": "No budget this year."},
			{"recommendationId": "rec-bus", "response": "not_competent", "passedTo": "Consiliul Județean Bacău"}}})
	mustStatus(t, a, 201)
	d := decodeDecision(t, a)
	one := base + "/" + d.ID
	mustStatus(t, council.do(t, "POST", one+"/publish", map[string]int{"revision": 1}), 200)
	mustStatus(t, council.do(t, "POST", one+"/milestones", map[string]string{"date": "2027-01-15", "note": "+Passed on by letter 55/2027"}), 201)

	a = council.do(t, "GET", one+"/trace", nil)
	mustStatus(t, a, 200)
	for _, want := range []string{`"response":"not_adopted"`, `"reasons":"No budget this year."`, `"passedTo":"Consiliul Județean Bacău"`, `"kind":"milestone"`} {
		if !strings.Contains(string(a.body), want) {
			t.Fatalf("trace lacks %s: %s", want, a.body)
		}
	}
	a = council.do(t, "GET", one+"/trace.csv", nil)
	mustStatus(t, a, 200)
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(a.body), "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 4 {
		t.Fatalf("csv %v %q", err, a.body)
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Fatalf("a cell a spreadsheet would run: %q", cell)
			}
		}
	}
	if !strings.Contains(string(a.body), `'=HYPERLINK`) || !strings.Contains(string(a.body), "'+Passed on") {
		t.Fatalf("formulas not neutralised: %s", a.body)
	}
	a = council.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/decision-recommendations", bacau), nil)
	if !strings.Contains(string(a.body), `"id":"rec-park","source":"council_motion","consultationId":"","themeIds":[],"sourceRef":"motion-1"`) ||
		strings.Contains(string(a.body), `"awaitingDecision":true`) {
		t.Fatalf("after publication every recommendation is answered: %s", a.body)
	}
}

// TestDecisionPDF: a decision's text is kept only if it really is a PDF.
func TestDecisionPDF(t *testing.T) {
	ts := decisionsFixture(t)
	council := signInAs(t, ts, "council.bacau@demo.voci.ro")
	files := fmt.Sprintf("/api/v1/municipalities/%d/decision-files", bacau)
	upload := func(data []byte) answer {
		t.Helper()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		part, _ := w.CreateFormFile("pdf", "hcl.pdf")
		part.Write(data)
		w.Close()
		req := httptest.NewRequest("POST", files, &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Cookie", "voci_session="+council.cookie)
		req.Header.Set("X-CSRF-Token", council.csrf)
		resp, err := ts.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, resp.Header, b}
	}
	wantDecisionProblem(t, "an HTML page named .pdf", upload([]byte("<html><script>alert(1)</script></html>")), 415, "not_a_pdf", "")
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	a := upload(pdf)
	mustStatus(t, a, 201)
	var f struct {
		FileID string `json:"fileId"`
	}
	decodeBody(t, a, &f)
	a = council.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/decisions", bacau), map[string]any{"title": "With its text", "pdfFileId": f.FileID})
	mustStatus(t, a, 201)
	if d := decodeDecision(t, a); d.Current.PDFFileID != f.FileID || len(d.Current.PDFSHA256) != 64 {
		t.Fatalf("pdf on the draft %+v", d.Current)
	}
	a = council.do(t, "GET", files+"/"+f.FileID, nil)
	mustStatus(t, a, 200)
	if a.header.Get("Content-Type") != "application/pdf" || !bytes.Equal(a.body, pdf) {
		t.Fatalf("served %q %q", a.header.Get("Content-Type"), a.body)
	}
	brasovCouncil := signInAs(t, ts, "council.brasov@demo.voci.ro")
	wantDecisionProblem(t, "Brașov uses Bacău's file", brasovCouncil.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/decisions", brasov),
		map[string]any{"title": "Borrowed text", "pdfFileId": f.FileID}), 400, "invalid_parameter", "pdfFileId")
	wantDecisionProblem(t, "Brașov reads Bacău's file", brasovCouncil.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/decision-files/%s", brasov, f.FileID), nil), 404, "not_found", "")
}

// TestConsultationTraceability: how many children took part in a consultation, by age band
// and channel with small counts hidden (and one more, so that the total gives none away), and
// its recommendations forward to the decisions that answer them.
func TestConsultationTraceability(t *testing.T) {
	ts := newTestServer(t)
	fac := signInAs(t, ts, "facilitator.bacau@demo.voci.ro")
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	a := fac.do(t, "POST", base, map[string]any{"title": "Parcul nostru", "modes": []string{"paper"}, "audienceBody": "Consiliul Local",
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
	bands := []string{"13_15", "13_15", "13_15", "13_15", "13_15", "13_15", "10_12", "10_12", "16_18", "16_18", "16_18", "16_18", "16_18"}
	for i, band := range bands {
		mustStatus(t, fac.do(t, "POST", one+"/paper-forms", map[string]any{"key": fmt.Sprintf("form-t%07d", i), "ageBand": band, "gender": "girl",
			"answers": []map[string]any{{"questionId": single.ID, "choices": []string{single.option("da")}}}}), 201)
	}
	now := time.Now().UTC()
	if err := ts.store.CreateTheme(t.Context(), &voci.Theme{ID: "theme-shade", Municipality: bacau, ConsultationID: cons.ID, Title: "Shade",
		Revision: 1, CreatedBy: "x", CreatedAt: now, UpdatedAt: now}, nil); err != nil {
		t.Fatal(err)
	}
	rec := &voci.Recommendation{ID: "rec-cons", Municipality: bacau, Source: voci.SourceConsultation, ConsultationID: cons.ID,
		ThemeIDs: []string{"theme-shade"}, Title: "Shade", AudienceBody: "Consiliul Local", Revision: 1, CreatedBy: "x", CreatedAt: now, UpdatedAt: now}
	if err := ts.store.CreateRecommendation(t.Context(), rec, nil); err != nil {
		t.Fatal(err)
	}
	council := signInAs(t, ts, "council.bacau@demo.voci.ro")
	a = council.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/decisions", bacau), map[string]any{"number": "4/2026", "date": "2026-11-20",
		"title": "Shade", "links": []map[string]any{{"recommendationId": "rec-cons", "response": "deferred", "deferredUntil": "2027-03-01"}}})
	mustStatus(t, a, 201)
	d := decodeDecision(t, a)
	mustStatus(t, council.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/decisions/%s/publish", bacau, d.ID), map[string]int{"revision": 1}), 200)

	a = council.do(t, "GET", one+"/trace", nil)
	mustStatus(t, a, 200)
	var out struct {
		Consultation struct {
			Children cellOutT   `json:"children"`
			AgeBands []cellOutT `json:"ageBands"`
			Channels []cellOutT `json:"channels"`
		} `json:"consultation"`
		Recommendations []struct {
			Recommendation struct {
				ThemeIDs []string `json:"themeIds"`
			} `json:"recommendation"`
			Decisions []struct {
				Number string `json:"number"`
				Link   struct {
					Response      string `json:"response"`
					DeferredUntil string `json:"deferredUntil"`
				} `json:"link"`
			} `json:"decisions"`
		} `json:"recommendations"`
	}
	decodeBody(t, a, &out)
	c := out.Consultation
	if c.Children.Count == nil || *c.Children.Count != 13 {
		t.Fatalf("children %+v", c.Children)
	}
	byName := map[string]cellOutT{}
	for _, b := range c.AgeBands {
		byName[b.Name] = b
	}
	if b := byName["13_15"]; b.Count == nil || *b.Count != 6 {
		t.Fatalf("13-15 %+v", b)
	}
	if b := byName["10_12"]; !b.Suppressed || b.Count != nil {
		t.Fatalf("a band of 2 children is shown: %+v", b)
	}
	hidden := 0
	for _, b := range c.AgeBands {
		if b.Suppressed {
			hidden++
		}
	}
	if hidden < 2 {
		t.Fatalf("one hidden band would be the total minus the others: %+v", c.AgeBands)
	}
	for _, ch := range c.Channels {
		if ch.Name == "paper" && (ch.Count == nil || *ch.Count != 13) {
			t.Fatalf("channel %+v", ch)
		}
	}
	if len(out.Recommendations) != 1 || out.Recommendations[0].Recommendation.ThemeIDs[0] != "theme-shade" || len(out.Recommendations[0].Decisions) != 1 ||
		out.Recommendations[0].Decisions[0].Link.Response != "deferred" || out.Recommendations[0].Decisions[0].Link.DeferredUntil != "2027-03-01" {
		t.Fatalf("forward chain %s", a.body)
	}
	a = council.do(t, "GET", one+"/trace.csv", nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), ",4/2026,") || !strings.Contains(string(a.body), ",deferred,2027-03-01,") || !strings.Contains(string(a.body), "age_band,13_15,6,false") {
		t.Fatalf("csv %s", a.body)
	}
	if strings.Contains(string(a.body), "age_band,10_12,2") {
		t.Fatalf("a hidden count reached the CSV: %s", a.body)
	}
	// The decision's own trace reaches back to the same consultation.
	a = council.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/decisions/%s/trace", bacau, d.ID), nil)
	mustStatus(t, a, 200)
	if !strings.Contains(string(a.body), `"consultationId":"`+cons.ID+`","title":"Parcul nostru","children":{"count":13`) {
		t.Fatalf("decision trace %s", a.body)
	}
}

type cellOutT struct {
	Name       string `json:"name"`
	Count      *int   `json:"count"`
	Suppressed bool   `json:"suppressed"`
}
