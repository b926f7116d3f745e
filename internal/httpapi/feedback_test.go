package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

type feedbackVersion struct {
	ID       string `json:"id"`
	Version  int    `json:"version"`
	State    string `json:"state"`
	Revision int    `json:"revision"`
	Texts    map[string]struct {
		Text     string `json:"text"`
		EasyRead string `json:"easyRead"`
	} `json:"texts"`
}

type feedbackState struct {
	Feedback struct {
		State           string `json:"state"`
		Recommendations int    `json:"recommendations"`
		Published       int    `json:"published"`
	} `json:"feedback"`
}

func newRecommendation(t *testing.T, ts *testServer, siruta int, consultationID string) *voci.Recommendation {
	t.Helper()
	now := time.Now().UTC()
	r := &voci.Recommendation{ID: voci.RandomID(), Municipality: siruta, Source: voci.SourceConsultation, ConsultationID: consultationID,
		Title: "Mai multă umbră în parc", Text: "Copii cer copaci lângă locul de joacă.", AudienceBody: "Consiliul Local", Revision: 1,
		CreatedBy: "cm", CreatedAt: now, UpdatedAt: now}
	if err := ts.store.CreateRecommendation(t.Context(), r, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFeedbackWrittenReviewedPublished: a council member writes feedback in every language the
// children used, with its easy-read version; what is missing is named; a stale edit is told;
// the writer cannot approve it, the coordinator does; it is then kept as published, the
// consultation is answered and the public sees it without signing in, in Hungarian.
func TestFeedbackWrittenReviewedPublished(t *testing.T) {
	ts := newTestServer(t)
	cl := signedIn(t, ts, "facilitator.bacau", "council.bacau", "coordinator.bacau", "coordinator.brasov")
	fac, council, coord := cl["facilitator.bacau"], cl["council.bacau"], cl["coordinator.bacau"]
	one, _, _ := paperConsultation(t, fac)
	consID := one[strings.LastIndex(one, "/")+1:]
	rec := newRecommendation(t, ts, 20297, consID)
	// A child took part in Hungarian: feedback must be in Hungarian too.
	if err := ts.store.CreateSelfPacedParticipant(t.Context(), &voci.Participant{ID: voci.RandomID(), ConsultationID: consID,
		TokenHash: voci.SessionID("hu-child"), Alias: "Vidám Róka 3", Lang: voci.LangHU, JoinedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/api/v1/municipalities/20297/recommendations/%s/feedback", rec.ID)
	ro := map[string]string{"text": "Consiliul a hotărât: <b>copaci</b> în parc.", "easyRead": "Vom planta copaci."}

	wantProblem(t, "a facilitator writes", fac.do(t, "POST", base, map[string]any{"texts": map[string]any{"ro": ro}}), 404, "not_found", "")
	wantProblem(t, "another municipality's coordinator", cl["coordinator.brasov"].do(t, "POST", base, map[string]any{"texts": map[string]any{"ro": ro}}), 404, "not_found", "")
	wantProblem(t, "unknown field", council.do(t, "POST", base, map[string]any{"texts": map[string]any{"ro": ro}, "reviewedBy": "me"}), 400, "invalid_body", "")
	var fb feedbackVersion
	a := council.do(t, "POST", base, map[string]any{"texts": map[string]any{"ro": ro}})
	mustStatus(t, a, 201)
	decodeBody(t, a, &fb)
	if fb.Version != 1 || fb.State != "draft" || fb.Texts["ro"].Text != ro["text"] {
		t.Fatalf("draft %+v", fb)
	}
	wantProblem(t, "a second draft", coord.do(t, "POST", base, map[string]any{"texts": map[string]any{"ro": ro}}), 409, "conflict", "")
	one1 := base + "/" + fb.ID
	wantProblem(t, "without Hungarian", council.do(t, "POST", one1+"/submit", map[string]any{"revision": fb.Revision}), 422, "feedback_incomplete", "texts.hu.text")
	hu := map[string]string{"text": "A tanács fákat ültet a parkba."}
	decodeBody(t, council.do(t, "PUT", one1, map[string]any{"revision": fb.Revision, "texts": map[string]any{"ro": ro, "hu": hu}}), &fb)
	a = council.do(t, "POST", one1+"/submit", map[string]any{"revision": fb.Revision})
	wantProblem(t, "without Hungarian easy-read", a, 422, "feedback_incomplete", "texts.hu.easyRead")
	if !strings.Contains(string(a.body), "easy-read text in Hungarian") {
		t.Fatalf("the refusal does not say what is missing: %s", a.body)
	}
	hu["easyRead"] = "Fákat ültetünk."
	wantProblem(t, "stale edit", coord.do(t, "PUT", one1, map[string]any{"revision": fb.Revision - 1, "texts": map[string]any{"ro": ro, "hu": hu}}), 409, "changed_meanwhile", "")
	a = council.do(t, "PUT", one1, map[string]any{"revision": fb.Revision, "texts": map[string]any{"ro": ro, "hu": hu}})
	mustStatus(t, a, 200)
	decodeBody(t, a, &fb)
	a = council.do(t, "POST", one1+"/submit", map[string]any{"revision": fb.Revision})
	mustStatus(t, a, 200)
	decodeBody(t, a, &fb)
	wantProblem(t, "the writer approves", council.do(t, "POST", one1+"/publish", map[string]any{"revision": fb.Revision}), 403, "second_adult_required", "")
	a = coord.do(t, "POST", one1+"/publish", map[string]any{"revision": fb.Revision})
	mustStatus(t, a, 200)
	decodeBody(t, a, &fb)
	if fb.State != "published" {
		t.Fatalf("published %+v", fb)
	}
	wantProblem(t, "edit published", coord.do(t, "PUT", one1, map[string]any{"revision": fb.Revision, "texts": map[string]any{"ro": ro}}), 409, "feedback_published", "")
	if n := auditActions(t, ts); n["feedback.start"] != 1 || n["feedback.edit"] != 2 || n["feedback.submit"] != 1 || n["feedback.publish"] != 1 {
		t.Fatalf("audit %v", n)
	}

	var page feedbackState
	decodeBody(t, fac.do(t, "GET", one, nil), &page)
	if page.Feedback.State != "answered" || page.Feedback.Recommendations != 1 {
		t.Fatalf("consultation page %+v", page)
	}
	var list struct {
		Items []struct {
			ID string `json:"id"`
			feedbackState
		} `json:"items"`
	}
	decodeBody(t, fac.do(t, "GET", "/api/v1/municipalities/20297/consultations", nil), &list)
	if len(list.Items) != 1 || list.Items[0].Feedback.State != "answered" {
		t.Fatalf("list %+v", list)
	}
	var versions struct {
		Recommendations []struct {
			Versions []feedbackVersion `json:"versions"`
		} `json:"recommendations"`
		RequiredLanguages []string `json:"requiredLanguages"`
	}
	decodeBody(t, fac.do(t, "GET", one+"/feedback", nil), &versions)
	if len(versions.Recommendations) != 1 || len(versions.Recommendations[0].Versions) != 1 || strings.Join(versions.RequiredLanguages, ",") != "ro,hu" {
		t.Fatalf("a facilitator reads %+v", versions)
	}

	anon := ts.client()
	a = anon.do(t, "GET", "/api/v1/public/consultations/"+consID+"/outcome?lang=hu", nil)
	mustStatus(t, a, 200)
	var out struct {
		Title           string `json:"title"`
		Recommendations []struct {
			Feedback *struct {
				Lang     string `json:"lang"`
				Text     string `json:"text"`
				EasyRead string `json:"easyRead"`
			} `json:"feedback"`
		} `json:"recommendations"`
		Feedback struct {
			State string `json:"state"`
		} `json:"feedback"`
	}
	decodeBody(t, a, &out)
	if len(out.Recommendations) != 1 || out.Recommendations[0].Feedback == nil || out.Recommendations[0].Feedback.Lang != "hu" ||
		out.Recommendations[0].Feedback.EasyRead != "Fákat ültetünk." || out.Feedback.State != "answered" {
		t.Fatalf("public outcome %s", a.body)
	}
	for _, never := range []string{"Vidám", "alias", "authors", "joinedAt"} {
		if strings.Contains(string(a.body), never) {
			t.Fatalf("the public outcome shows %q: %s", never, a.body)
		}
	}
	a = anon.do(t, "GET", "/api/v1/public/municipalities/20297?lang=en", nil)
	mustStatus(t, a, 200)
	var pub struct {
		Municipality struct {
			Name string `json:"name"`
		} `json:"municipality"`
		Consultations []json.RawMessage `json:"consultations"`
	}
	decodeBody(t, a, &pub)
	if pub.Municipality.Name != "Bacău" || len(pub.Consultations) != 1 || !strings.Contains(string(pub.Consultations[0]), "Vom planta copaci.") {
		t.Fatalf("public page %s", a.body)
	}
	wantProblem(t, "bad siruta", anon.do(t, "GET", "/api/v1/public/municipalities/abc", nil), 400, "invalid_parameter", "siruta")
}

// TestFeedbackRefusals: a draft's outcome is not public; a recommendation of another
// municipality is not found; a consultation past its date without feedback is overdue; a new
// consultation is offered the profile's feedback days after its link closes.
func TestFeedbackRefusals(t *testing.T) {
	ts := newTestServer(t)
	cl := signedIn(t, ts, "facilitator.bacau", "coordinator.bacau")
	fac, coord := cl["facilitator.bacau"], cl["coordinator.bacau"]
	until := time.Date(2031, 6, 1, 0, 0, 0, 0, time.UTC)
	a := fac.do(t, "POST", "/api/v1/municipalities/20297/consultations", map[string]any{"title": "Ciornă", "modes": []string{"self_paced"},
		"selfPacedFrom": until.AddDate(0, 0, -14).Format(time.RFC3339), "selfPacedUntil": until.Format(time.RFC3339)})
	mustStatus(t, a, 201)
	var draft struct {
		ID       string    `json:"id"`
		AnswerBy time.Time `json:"answerBy"`
	}
	decodeBody(t, a, &draft)
	if !draft.AnswerBy.Equal(until.AddDate(0, 0, 84)) {
		t.Fatalf("offered answer-by %v", draft.AnswerBy)
	}
	wantProblem(t, "a draft's outcome", ts.client().do(t, "GET", "/api/v1/public/consultations/"+draft.ID+"/outcome", nil), 404, "not_found", "")
	wantProblem(t, "no such consultation", ts.client().do(t, "GET", "/api/v1/public/consultations/nope/outcome", nil), 404, "not_found", "")

	elsewhere := newRecommendation(t, ts, 40198, "cons-elsewhere")
	wantProblem(t, "another municipality's recommendation", coord.do(t, "POST",
		"/api/v1/municipalities/20297/recommendations/"+elsewhere.ID+"/feedback", map[string]any{"texts": map[string]any{}}), 404, "not_found", "")

	one, _, _ := paperConsultation(t, fac)
	consID := one[strings.LastIndex(one, "/")+1:]
	newRecommendation(t, ts, 20297, consID)
	c, err := ts.store.FindConsultationByID(t.Context(), consID)
	if err != nil {
		t.Fatal(err)
	}
	c.AnswerBy = time.Now().UTC().AddDate(0, 0, -1)
	if err := ts.store.UpdateConsultation(t.Context(), c, nil); err != nil {
		t.Fatal(err)
	}
	var page feedbackState
	decodeBody(t, fac.do(t, "GET", one, nil), &page)
	if page.Feedback.State != "overdue" || page.Feedback.Published != 0 {
		t.Fatalf("past due %+v", page)
	}
	decodeBody(t, fac.do(t, "GET", "/api/v1/municipalities/20297/consultations/"+draft.ID, nil), &page)
	if page.Feedback.State != "waiting" {
		t.Fatalf("a draft %+v", page)
	}
}
