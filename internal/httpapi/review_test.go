package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// reviewFixture is a Bacău consultation taken part in on paper: a text question and a single
// choice question, with approved texts, one held by screening and one rejected by the
// facilitator.
type reviewFixture struct {
	ts       *testServer
	fac      *client
	council  *client
	base     string // the consultation's address
	text     question
	single   question
	approved map[string]string // text → answer ID
	held     string            // answer ID
	rejected string            // answer ID
}

const heldText = "sună-mă la 0722 123 456"

func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	ts := newTestServer(t)
	f := &reviewFixture{ts: ts, fac: ts.client(), council: ts.client(), approved: map[string]string{}}
	mustStatus(t, f.fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	mustStatus(t, f.council.login(t, "council.bacau@demo.voci.ro", testPassword), 200)
	list := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	a := f.fac.do(t, "POST", list, map[string]any{"title": "Parcul", "modes": []string{"paper"}, "audienceBody": "Consiliul Local Bacău",
		"answerBy": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	f.base = list + "/" + cons.ID
	decodeBody(t, f.fac.do(t, "POST", f.base+"/questions", map[string]any{"kind": "short_text", "prompt": "Ce idee ai?"}), &f.text)
	decodeBody(t, f.fac.do(t, "POST", f.base+"/questions", map[string]any{"kind": "single", "prompt": "Ce vrei?",
		"options": []map[string]string{{"label": "leagăne"}, {"label": "copaci"}}}), &f.single)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)

	texts := []string{"Mai mulți copaci în parc", "Bănci la umbră", "<script>alert(1)</script> leagăne noi", heldText, "Un text de respins"}
	for i, text := range texts {
		band := []string{"10_12", "13_15", "10_12", "10_12", "10_12"}[i]
		choice := f.single.option([]string{"copaci", "copaci", "leagăne", "copaci", "copaci"}[i])
		mustStatus(t, f.fac.do(t, "POST", f.base+"/paper-forms", map[string]any{"key": fmt.Sprintf("review-form-%d", i), "ageBand": band,
			"answers": []map[string]any{{"questionId": f.text.ID, "text": text}, {"questionId": f.single.ID, "choices": []string{choice}}}}), 201)
	}
	// Two more children chose trees, without a text: five chose it in all.
	for i := range 2 {
		mustStatus(t, f.fac.do(t, "POST", f.base+"/paper-forms", map[string]any{"key": fmt.Sprintf("review-more-%d", i),
			"answers": []map[string]any{{"questionId": f.single.ID, "choices": []string{f.single.option("copaci")}}}}), 201)
	}
	var decided struct {
		Items []struct {
			AnswerID string `json:"answerId"`
			Text     string `json:"text"`
			Revision int    `json:"revision"`
		} `json:"items"`
		Held []struct {
			AnswerID string `json:"answerId"`
		} `json:"held"`
	}
	decodeBody(t, f.fac.do(t, "GET", f.base+"/moderation?state=approved", nil), &decided)
	for _, it := range decided.Items {
		f.approved[it.Text] = it.AnswerID
		if it.Text == "Un text de respins" {
			f.rejected = it.AnswerID
			mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, it.AnswerID),
				map[string]any{"state": "rejected", "revision": it.Revision}), 200)
		}
	}
	delete(f.approved, "Un text de respins")
	var waiting struct {
		Held []struct {
			AnswerID string `json:"answerId"`
		} `json:"held"`
	}
	decodeBody(t, f.fac.do(t, "GET", f.base+"/moderation", nil), &waiting)
	if len(f.approved) != 3 || f.rejected == "" || len(waiting.Held) != 1 {
		t.Fatalf("fixture: approved %v, rejected %q, held %+v", f.approved, f.rejected, waiting.Held)
	}
	f.held = waiting.Held[0].AnswerID
	return f
}

type workspaceOut struct {
	Total int `json:"total"`
	Texts []struct {
		ID       string   `json:"id"`
		Channel  string   `json:"channel"`
		AgeBand  string   `json:"ageBand"`
		Text     string   `json:"text"`
		ThemeIDs []string `json:"themeIds"`
	} `json:"texts"`
	Options []struct {
		OptionID   string   `json:"optionId"`
		Chosen     *int     `json:"chosen"`
		Suppressed bool     `json:"suppressed"`
		ThemeIDs   []string `json:"themeIds"`
	} `json:"options"`
}

func (f *reviewFixture) workspace(t *testing.T, query string) workspaceOut {
	t.Helper()
	a := f.council.do(t, "GET", f.base+"/review"+query, nil)
	mustStatus(t, a, 200)
	for _, never := range []string{"participant", "alias", "gender", "0722", "Un text de respins"} {
		if strings.Contains(string(a.body), never) {
			t.Fatalf("the workspace shows %q: %s", never, a.body)
		}
	}
	var w workspaceOut
	decodeBody(t, a, &w)
	return w
}

// TestReviewWorkspaceListsApprovedInput: a council member sees every approved text with its
// channel and age band, and the options with how many chose them; never a held or rejected
// text, never a participant. Filters narrow, words match without diacritics, pages page, and
// counts of a part of the children below k are suppressed.
func TestReviewWorkspaceListsApprovedInput(t *testing.T) {
	f := newReviewFixture(t)
	w := f.workspace(t, "")
	var texts []string
	for _, x := range w.Texts {
		texts = append(texts, x.Text)
		if x.Channel != "paper" || x.AgeBand == "" {
			t.Errorf("text %+v", x)
		}
	}
	if w.Total != 3 || !slices.Equal(texts, []string{"Mai mulți copaci în parc", "Bănci la umbră", "<script>alert(1)</script> leagăne noi"}) {
		t.Fatalf("texts %v (%d)", texts, w.Total)
	}
	if len(w.Options) != 2 || w.Options[1].OptionID != f.single.option("copaci") || w.Options[1].Chosen == nil || *w.Options[1].Chosen != 6 {
		t.Fatalf("options %+v", w.Options)
	}
	for _, tc := range []struct {
		query string
		total int
	}{
		{"?q=banci", 1}, {"?q=COPACI%20parc", 1}, {"?q=script", 1}, {"?q=respins", 0}, {"?q=0722", 0},
		{"?channel=paper", 3}, {"?channel=live", 0}, {"?ageBand=13_15", 1}, {"?question=" + f.single.ID, 0},
		{"?question=" + f.text.ID + "&limit=2", 3}, {"?session=none", 0},
	} {
		if got := f.workspace(t, tc.query); got.Total != tc.total {
			t.Errorf("%s: total %d, want %d", tc.query, got.Total, tc.total)
		}
	}
	page := f.workspace(t, "?limit=2&offset=2")
	if len(page.Texts) != 1 || page.Total != 3 || page.Texts[0].Text != "<script>alert(1)</script> leagăne noi" {
		t.Fatalf("second page %+v", page)
	}
	narrowed := f.workspace(t, "?ageBand=13_15")
	for _, o := range narrowed.Options {
		if o.Chosen != nil && *o.Chosen > 0 && *o.Chosen < voci.DefaultK {
			t.Errorf("a part of the children shows a small count: %+v", o)
		}
	}
	for _, bad := range []string{"?channel=radio", "?ageBand=7_9", "?limit=0", "?limit=500", "?offset=-1"} {
		a := f.council.do(t, "GET", f.base+"/review"+bad, nil)
		if a.status != 400 || a.problem(t)["code"] != "invalid_parameter" {
			t.Errorf("%s: %d %s", bad, a.status, a.body)
		}
	}
	if a := f.council.do(t, "GET", f.base+"/review?question=nope", nil); a.status != 404 {
		t.Errorf("unknown question: %d %s", a.status, a.body)
	}
}

// TestReviewAccess: the municipality's facilitators, coordinator and council members may
// review; its safeguarding lead, the platform's roles and another municipality's reviewers get
// 404, even through their own municipality's address.
func TestReviewAccess(t *testing.T) {
	f := newReviewFixture(t)
	for email, status := range map[string]int{
		"coordinator.bacau@demo.voci.ro": 200, "facilitator.bacau@demo.voci.ro": 200, "council.bacau@demo.voci.ro": 200,
		"safeguarding.bacau@demo.voci.ro": 404, "admin@demo.voci.ro": 404, "national@demo.voci.ro": 404, "council.brasov@demo.voci.ro": 404,
	} {
		cl := f.ts.client()
		mustStatus(t, cl.login(t, email, testPassword), 200)
		for _, path := range []string{"/review", "/themes", "/recommendations"} {
			if a := cl.do(t, "GET", f.base+path, nil); a.status != status {
				t.Errorf("%s %s: %d, want %d", email, path, a.status, status)
			}
		}
	}
	brasov := f.ts.client()
	mustStatus(t, brasov.login(t, "council.brasov@demo.voci.ro", testPassword), 200)
	own := strings.Replace(f.base, fmt.Sprint(bacau), "40198", 1)
	for _, path := range []string{"/review", "/themes"} {
		if a := brasov.do(t, "GET", own+path, nil); a.status != 404 {
			t.Errorf("Bacău's consultation through Brașov's address %s: %d", path, a.status)
		}
	}
	if a := brasov.do(t, "POST", own+"/themes", map[string]string{"title": "Furt"}); a.status != 404 {
		t.Errorf("a theme on another municipality's consultation: %d %s", a.status, a.body)
	}
}

type themeJSON struct {
	ID               string `json:"id"`
	Title            string `json:"title"`
	Summary          string `json:"summary"`
	Revision         int    `json:"revision"`
	Inputs           *int   `json:"inputs"`
	InputsSuppressed bool   `json:"inputsSuppressed"`
	Options          []struct {
		OptionID    string   `json:"optionId"`
		Chosen      *int     `json:"chosen"`
		Respondents int      `json:"respondents"`
		Percent     *float64 `json:"percent"`
	} `json:"options"`
	Items []struct {
		AnswerID string `json:"answerId"`
		OptionID string `json:"optionId"`
		Text     string `json:"text"`
		Shown    bool   `json:"shown"`
	} `json:"items"`
	Quotes []map[string]any `json:"quotes"`
}

// TestThemesGroupQuoteAndCount: reviewers make themes of texts and options, one input in
// several; quotes are approved text alone; held and rejected texts are refused, and so is a
// quote with an age band or gender; a stale revision gets 409 and changes nothing, and of two
// concurrent edits from one revision exactly one lands. Support counts distinct children and
// suppresses them below k. Every change is audited.
func TestThemesGroupQuoteAndCount(t *testing.T) {
	f := newReviewFixture(t)
	cl := f.council
	theme := func(a answer, status int) themeJSON {
		t.Helper()
		mustStatus(t, a, status)
		var th themeJSON
		decodeBody(t, a, &th)
		return th
	}
	problem := func(a answer, status int, code string) {
		t.Helper()
		if a.status != status || a.problem(t)["code"] != code {
			t.Fatalf("%d %s, want %d %s", a.status, a.body, status, code)
		}
	}
	shade := theme(cl.do(t, "POST", f.base+"/themes", map[string]string{"title": "Umbră și copaci", "summary": "Copacii fac umbră."}), 201)
	if shade.Revision != 1 || len(shade.Items) != 0 || shade.Inputs != nil && *shade.Inputs != 0 {
		t.Fatalf("new theme %+v", shade)
	}
	at := f.base + "/themes/" + shade.ID
	trees, benches := f.approved["Mai mulți copaci în parc"], f.approved["Bănci la umbră"]
	shade = theme(cl.do(t, "PATCH", at, map[string]any{"revision": 1, "addItems": []map[string]string{
		{"answerId": trees}, {"answerId": benches}}}), 200)
	if shade.Revision != 2 || len(shade.Items) != 2 || !shade.Items[0].Shown || shade.Items[0].Text != "Mai mulți copaci în parc" {
		t.Fatalf("with texts %+v", shade)
	}
	if shade.Inputs != nil || !shade.InputsSuppressed {
		t.Fatalf("two children are shown as a count: %+v", shade)
	}

	// Refused: held and rejected texts, demographics on a quote, a quote of a text the theme
	// does not hold, a stale revision. None of them changes anything.
	problem(cl.do(t, "PATCH", at, map[string]any{"revision": 2, "addItems": []map[string]string{{"answerId": f.held}}}), 409, "input_not_approved")
	problem(cl.do(t, "PATCH", at, map[string]any{"revision": 2, "addItems": []map[string]string{{"answerId": trees}, {"answerId": f.rejected}}}), 409, "input_not_approved")
	problem(cl.do(t, "PATCH", at, map[string]any{"revision": 2, "addQuotes": []map[string]string{{"answerId": trees, "ageBand": "10_12"}}}), 400, "quote_demographics_refused")
	problem(cl.do(t, "PATCH", at, map[string]any{"revision": 2, "addQuotes": []map[string]string{{"answerId": trees, "gender": "girl"}}}), 400, "quote_demographics_refused")
	problem(cl.do(t, "PATCH", at, map[string]any{"revision": 2, "addQuotes": []map[string]string{{"answerId": f.approved["<script>alert(1)</script> leagăne noi"]}}}), 400, "invalid_parameter")
	problem(cl.do(t, "PATCH", at, map[string]any{"revision": 1, "title": "Altceva"}), 409, "changed_meanwhile")
	problem(cl.do(t, "PATCH", at, map[string]any{"revision": 2, "addItems": []map[string]string{{"questionId": f.single.ID, "optionId": "nope"}}}), 404, "not_found")
	problem(cl.do(t, "PATCH", at, map[string]any{"revision": 2, "addItems": []map[string]string{{"questionId": f.text.ID, "optionId": "x"}}}), 400, "invalid_parameter")
	if got := theme(cl.do(t, "GET", at, nil), 200); got.Revision != 2 || got.Title != "Umbră și copaci" || len(got.Items) != 2 || len(got.Quotes) != 0 {
		t.Fatalf("a refused change changed the theme: %+v", got)
	}

	// A quote is the text alone; an option brings the children who chose it.
	shade = theme(cl.do(t, "PATCH", at, map[string]any{"revision": 2, "title": "Copaci", "addQuotes": []map[string]string{{"answerId": trees}},
		"addItems": []map[string]string{{"questionId": f.single.ID, "optionId": f.single.option("copaci")}}}), 200)
	if len(shade.Quotes) != 1 || shade.Quotes[0]["text"] != "Mai mulți copaci în parc" || len(shade.Quotes[0]) != 2 {
		t.Fatalf("quotes %+v", shade.Quotes)
	}
	// Five chose trees on paper (the held text's child among them) and one more wrote about
	// benches and chose trees: six children in all.
	if shade.Inputs == nil || *shade.Inputs != 6 || len(shade.Options) != 1 || shade.Options[0].Chosen == nil || *shade.Options[0].Chosen != 6 ||
		shade.Options[0].Respondents != 7 || shade.Options[0].Percent == nil || *shade.Options[0].Percent != 85.7 {
		t.Fatalf("support %+v", shade)
	}

	// One input sits in two themes.
	play := theme(cl.do(t, "POST", f.base+"/themes", map[string]string{"title": "Joacă"}), 201)
	theme(cl.do(t, "PATCH", f.base+"/themes/"+play.ID, map[string]any{"revision": 1, "addItems": []map[string]string{{"answerId": trees},
		{"questionId": f.single.ID, "optionId": f.single.option("leagăne")}}}), 200)
	w := f.workspace(t, "?q=copaci")
	if len(w.Texts) != 1 || !slices.Equal(w.Texts[0].ThemeIDs, []string{shade.ID, play.ID}) {
		t.Fatalf("themes of a text %+v", w.Texts)
	}

	// Two reviewers edit from revision 3 at once: one lands, one is told, neither is lost silently.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = cl.do(t, "PATCH", at, map[string]any{"revision": 3, "summary": fmt.Sprintf("Rezumatul %d", i)}).status
		}()
	}
	wg.Wait()
	slices.Sort(statuses)
	if !slices.Equal(statuses, []int{200, 409}) {
		t.Fatalf("concurrent edits: %v", statuses)
	}
	final := theme(cl.do(t, "GET", at, nil), 200)
	if final.Revision != 4 || (final.Summary != "Rezumatul 0" && final.Summary != "Rezumatul 1") {
		t.Fatalf("after concurrent edits %+v", final)
	}

	// Removing a quoted text drops its quote.
	final = theme(cl.do(t, "PATCH", at, map[string]any{"revision": 4, "removeItems": []map[string]string{{"answerId": trees}}}), 200)
	if len(final.Quotes) != 0 || len(final.Items) != 2 {
		t.Fatalf("after removing the quoted text %+v", final)
	}

	entries, _, err := f.ts.store.FindAudit(t.Context(), voci.AuditFilter{Municipalities: []int{bacau}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
		if strings.Contains(e.Detail, "copaci") || strings.Contains(e.Detail, "umbră") {
			t.Errorf("a child's words in the audit trail: %+v", e)
		}
	}
	if count["theme.create"] != 2 || count["theme.update"] != 5 {
		t.Fatalf("audit %v", count)
	}
}

// TestRecommendationsFromThemes: a recommendation is made from the consultation's themes,
// addressed to its audience by default; another consultation's theme is refused; an edit from
// a stale revision gets 409.
func TestRecommendationsFromThemes(t *testing.T) {
	f := newReviewFixture(t)
	cl := f.council
	var th themeJSON
	decodeBody(t, cl.do(t, "POST", f.base+"/themes", map[string]string{"title": "Umbră"}), &th)
	type rec struct {
		ID           string   `json:"id"`
		Source       string   `json:"source"`
		ThemeIDs     []string `json:"themeIds"`
		Title        string   `json:"title"`
		AudienceBody string   `json:"audienceBody"`
		Revision     int      `json:"revision"`
		// AwaitingDecision: no published council decision answers it yet.
		AwaitingDecision *bool `json:"awaitingDecision"`
	}
	a := cl.do(t, "POST", f.base+"/recommendations", map[string]any{"themeIds": []string{th.ID}, "title": "Mai mulți copaci", "text": "Plantați copaci lângă locul de joacă."})
	mustStatus(t, a, 201)
	var r rec
	decodeBody(t, a, &r)
	if r.Source != "consultation" || r.AudienceBody != "Consiliul Local Bacău" || !slices.Equal(r.ThemeIDs, []string{th.ID}) || r.Revision != 1 {
		t.Fatalf("recommendation %+v", r)
	}
	for _, bad := range []struct {
		body   map[string]any
		status int
		code   string
	}{
		{map[string]any{"themeIds": []string{}, "title": "Nimic"}, 400, "invalid_parameter"},
		{map[string]any{"themeIds": []string{"nope"}, "title": "Nimic"}, 404, "not_found"},
		{map[string]any{"themeIds": []string{th.ID}, "title": ""}, 400, "invalid_parameter"},
	} {
		if a := cl.do(t, "POST", f.base+"/recommendations", bad.body); a.status != bad.status || a.problem(t)["code"] != bad.code {
			t.Errorf("%v: %d %s", bad.body, a.status, a.body)
		}
	}
	at := f.base + "/recommendations/" + url.PathEscape(r.ID)
	a = cl.do(t, "PATCH", at, map[string]any{"revision": 1, "title": "Copaci și bănci"})
	mustStatus(t, a, 200)
	if a := cl.do(t, "PATCH", at, map[string]any{"revision": 1, "title": "Altceva"}); a.status != 409 || a.problem(t)["code"] != "changed_meanwhile" {
		t.Fatalf("stale edit: %d %s", a.status, a.body)
	}
	var list struct {
		Recommendations []rec `json:"recommendations"`
	}
	decodeBody(t, cl.do(t, "GET", f.base+"/recommendations", nil), &list)
	if len(list.Recommendations) != 1 || list.Recommendations[0].Title != "Copaci și bănci" || list.Recommendations[0].Revision != 2 ||
		list.Recommendations[0].AwaitingDecision == nil || !*list.Recommendations[0].AwaitingDecision {
		t.Fatalf("list %+v", list)
	}
}

// A council member whose role is taken away while the review workspace is open, or whose
// account is disabled, can change nothing more with the session they hold: every write checks
// the rights again, and the theme stays as it was.
func TestReviewerLosingRightsMidReview(t *testing.T) {
	f := newReviewFixture(t)
	coord := signInAs(t, f.ts, "coordinator.bacau@demo.voci.ro")
	a := f.council.do(t, "POST", f.base+"/themes", map[string]string{"title": "Umbră"})
	mustStatus(t, a, 201)
	var th themeJSON
	decodeBody(t, a, &th)
	at := f.base + "/themes/" + th.ID
	trees := f.approved["Mai mulți copaci în parc"]

	council := accountID(t, f.ts, "council.bacau@demo.voci.ro")
	mustStatus(t, coord.do(t, "DELETE", fmt.Sprintf("/api/v1/municipalities/%d/people/%s/roles/council_member", bacau, council), nil), 204)
	for _, try := range []struct{ method, path string }{{"PATCH", at}, {"POST", f.base + "/themes"}, {"GET", f.base + "/review"}} {
		body := map[string]any{"revision": th.Revision, "addItems": []map[string]string{{"answerId": trees}}, "title": "Alta"}
		if a := f.council.do(t, try.method, try.path, body); a.status != 403 && a.status != 404 {
			t.Fatalf("%s %s after the role was removed: %d %s", try.method, try.path, a.status, a.body)
		}
	}

	// The facilitator, disabled while their workspace is open, is signed out.
	facilitator := accountID(t, f.ts, "facilitator.bacau@demo.voci.ro")
	mustStatus(t, coord.do(t, "PATCH", "/api/v1/people/"+facilitator, map[string]any{"disabled": true}), 200)
	if a := f.fac.do(t, "PATCH", at, map[string]any{"revision": th.Revision, "title": "Alta"}); a.status != 401 && a.status != 403 && a.status != 404 {
		t.Fatalf("a disabled facilitator's edit: %d %s", a.status, a.body)
	}

	var got themeJSON
	decodeBody(t, coord.do(t, "GET", at, nil), &got)
	if got.Revision != th.Revision || got.Title != "Umbră" || len(got.Items) != 0 {
		t.Fatalf("the theme changed after the rights went: %+v", got)
	}
}

// The audit trail names themes and recommendations by their titles for the municipality's
// coordinator, and not for another municipality's.
func TestAuditNamesThemesAndRecommendations(t *testing.T) {
	f := newReviewFixture(t)
	var th themeJSON
	decodeBody(t, f.council.do(t, "POST", f.base+"/themes", map[string]string{"title": "Umbră și copaci"}), &th)
	mustStatus(t, f.council.do(t, "POST", f.base+"/recommendations", map[string]any{"themeIds": []string{th.ID}, "title": "Mai mulți copaci",
		"text": "Plantați copaci lângă locul de joacă."}), 201)
	names := func(email string) map[string]string {
		t.Helper()
		cl := signInAs(t, f.ts, email)
		a := cl.do(t, "GET", "/api/v1/audit?pageSize=100", nil)
		mustStatus(t, a, 200)
		var page struct {
			Items []struct {
				ObjectType string `json:"objectType"`
				ObjectName string `json:"objectName"`
			} `json:"items"`
		}
		decodeBody(t, a, &page)
		out := map[string]string{}
		for _, e := range page.Items {
			if e.ObjectType == "theme" || e.ObjectType == "recommendation" {
				out[e.ObjectType] = e.ObjectName
			}
		}
		return out
	}
	if got := names("coordinator.bacau@demo.voci.ro"); got["theme"] != "Umbră și copaci" || got["recommendation"] != "Mai mulți copaci" {
		t.Fatalf("the coordinator reads %v", got)
	}
	if got := names("coordinator.brasov@demo.voci.ro"); got["theme"] != "" || got["recommendation"] != "" {
		t.Fatalf("another municipality's coordinator reads %v", got)
	}
}

// A theme is deleted at the revision read, and never while a recommendation draws on it: the
// refusal names the recommendation and changes nothing; once the theme is taken out of the
// recommendation it goes, and the audit trail says so with its title.
func TestDeleteTheme(t *testing.T) {
	f := newReviewFixture(t)
	cl := f.council
	var shade, water themeJSON
	decodeBody(t, cl.do(t, "POST", f.base+"/themes", map[string]string{"title": "Umbră"}), &shade)
	decodeBody(t, cl.do(t, "POST", f.base+"/themes", map[string]string{"title": "Apă"}), &water)
	trees := f.approved["Mai mulți copaci în parc"]
	a := cl.do(t, "PATCH", f.base+"/themes/"+shade.ID, map[string]any{"revision": 1, "addItems": []map[string]string{{"answerId": trees}},
		"addQuotes": []map[string]string{{"answerId": trees}}})
	mustStatus(t, a, 200)
	var rec struct {
		ID       string `json:"id"`
		Revision int    `json:"revision"`
	}
	decodeBody(t, cl.do(t, "POST", f.base+"/recommendations", map[string]any{"themeIds": []string{shade.ID, water.ID}, "title": "Mai mulți copaci"}), &rec)

	del := func(c *client, id string, revision int) answer {
		return c.do(t, "DELETE", fmt.Sprintf("%s/themes/%s?revision=%d", f.base, url.PathEscape(id), revision), nil)
	}
	if a := del(cl, shade.ID, 2); a.status != 409 || a.problem(t)["code"] != "theme_in_use" ||
		!strings.Contains(a.problem(t)["detail"].(string), "Mai mulți copaci") {
		t.Fatalf("a cited theme deleted: %d %s", a.status, a.body)
	}
	if a := del(cl, shade.ID, 1); a.status != 409 || a.problem(t)["code"] != "changed_meanwhile" {
		t.Fatalf("a stale deletion: %d %s", a.status, a.body)
	}
	if a := cl.do(t, "DELETE", f.base+"/themes/"+shade.ID, nil); a.status != 400 || a.problem(t)["param"] != "revision" {
		t.Fatalf("a deletion without a revision: %d %s", a.status, a.body)
	}
	brasovCouncil := signInAs(t, f.ts, "council.brasov@demo.voci.ro")
	if a := del(brasovCouncil, shade.ID, 2); a.status != 403 && a.status != 404 {
		t.Fatalf("another municipality's council member: %d %s", a.status, a.body)
	}
	var still themeJSON
	decodeBody(t, cl.do(t, "GET", f.base+"/themes/"+shade.ID, nil), &still)
	if still.Revision != 2 || len(still.Items) != 1 || len(still.Quotes) != 1 {
		t.Fatalf("a refused deletion changed the theme: %+v", still)
	}

	// Taken out of the recommendation, the theme can go; the recommendation keeps the other.
	mustStatus(t, cl.do(t, "PATCH", f.base+"/recommendations/"+rec.ID, map[string]any{"revision": rec.Revision, "themeIds": []string{water.ID}}), 200)
	mustStatus(t, del(cl, shade.ID, 2), 204)
	mustStatus(t, cl.do(t, "GET", f.base+"/themes/"+shade.ID, nil), 404)
	mustStatus(t, del(cl, shade.ID, 2), 404)
	var list struct {
		Themes []themeJSON `json:"themes"`
	}
	decodeBody(t, cl.do(t, "GET", f.base+"/themes", nil), &list)
	if len(list.Themes) != 1 || list.Themes[0].ID != water.ID {
		t.Fatalf("themes after deletion %+v", list.Themes)
	}
	// The text it held is input still, in no theme now.
	ws := f.workspace(t, "")
	for _, x := range ws.Texts {
		if x.ID == trees && len(x.ThemeIDs) != 0 {
			t.Fatalf("the text still sits in %v", x.ThemeIDs)
		}
	}

	coord := signInAs(t, f.ts, "coordinator.bacau@demo.voci.ro")
	a = coord.do(t, "GET", "/api/v1/audit?action=theme.delete&pageSize=10", nil)
	mustStatus(t, a, 200)
	var page struct {
		Items []struct {
			ObjectID string `json:"objectId"`
			Detail   string `json:"detail"`
		} `json:"items"`
	}
	decodeBody(t, a, &page)
	if len(page.Items) != 1 || page.Items[0].ObjectID != shade.ID || !strings.Contains(page.Items[0].Detail, "Umbră") {
		t.Fatalf("audit of the deletion %+v", page.Items)
	}
}
