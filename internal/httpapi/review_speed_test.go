package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// TestReviewWorkspaceSpeed is the review workspace's figure in make bench: a consultation with
// 10,000 approved texts (and an option question every child answered) in a real SQLite file,
// listed and filtered through the real HTTP route on a real listener. It prints p50 and p99 per
// kind of request; the goal is p99 ≤ 100 ms. It never fails on timing, and runs only when
// VOCI_BENCH_REVIEW is set.
func TestReviewWorkspaceSpeed(t *testing.T) {
	if os.Getenv("VOCI_BENCH_REVIEW") == "" {
		t.Skip("set VOCI_BENCH_REVIEW=1 (make bench) to measure the review workspace")
	}
	const texts, rounds = 10_000, 100
	ls := newLiveServer(t)
	fac, council := ls.client(), ls.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	mustStatus(t, council.login(t, "council.bacau@demo.voci.ro", testPassword), 200)
	list := fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau)
	a := fac.do(t, "POST", list, map[string]any{"title": "Parcul", "modes": []string{"paper", "self_paced"}, "audienceBody": "Consiliul Local Bacău",
		"answerBy": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339), "selfPacedFrom": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
		"selfPacedUntil": time.Now().AddDate(0, 0, 7).UTC().Format(time.RFC3339)})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	base := list + "/" + cons.ID
	var text, single question
	decodeBody(t, fac.do(t, "POST", base+"/questions", map[string]any{"kind": "short_text", "prompt": "Ce idee ai?"}), &text)
	decodeBody(t, fac.do(t, "POST", base+"/questions", map[string]any{"kind": "single", "prompt": "Ce vrei?",
		"options": []map[string]string{{"label": "leagăne"}, {"label": "copaci"}, {"label": "apă"}}}), &single)
	mustStatus(t, fac.do(t, "POST", base+"/status", map[string]string{"status": "open"}), 200)

	words := []string{"copaci", "bănci", "umbră", "leagăne", "fântână", "apă", "lumină", "seara", "câini", "gunoi", "flori", "teren",
		"fotbal", "baschet", "skate", "nisip", "tobogan", "curat", "sigur", "paznic", "mai", "mulți", "vreau", "să", "fie", "în", "parc"}
	start := time.Now().Add(-24 * time.Hour)
	sources := []voci.AnswerSource{voci.SourcePaper, voci.SourceSelfPaced}
	began := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < texts; i += 64 {
				body := ""
				for j := range 8 + i%12 {
					body += words[(i*7+j*13)%len(words)] + " "
				}
				at := start.Add(time.Duration(i) * time.Second)
				common := voci.Answer{ConsultationID: cons.ID, ParticipantID: fmt.Sprintf("bench-child-%05d", i), Municipality: bacau,
					Source: sources[i%2], AgeBand: voci.AgeBands[i%4], Gender: voci.Genders[i%4], Revision: 1, CreatedAt: at, UpdatedAt: at}
				t1, t2 := common, common
				t1.ID, t1.QuestionID, t1.Text, t1.Moderation, t1.IdempotencyKey = fmt.Sprintf("bench-text-%05d", i), text.ID, body, voci.ModerationApproved, "bench-key-t"
				t2.ID, t2.QuestionID, t2.Choices, t2.IdempotencyKey = fmt.Sprintf("bench-choice-%05d", i), single.ID, []string{single.Options[i%3].ID}, "bench-key-c"
				for _, ans := range []*voci.Answer{&t1, &t2} {
					if _, err := ls.store.SaveAnswer(t.Context(), ans); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	fmt.Printf("review workspace: stored %d approved texts and %d choices in %s\n", texts, texts, time.Since(began).Round(time.Millisecond))

	queries := []struct{ name, query string }{
		{"first page", ""},
		{"a page deep in", "?offset=9000&limit=50"},
		{"by question", "?question=" + text.ID},
		{"by channel", "?channel=self_paced"},
		{"by age band", "?ageBand=13_15"},
		{"channel and age band", "?channel=paper&ageBand=10_12&offset=500"},
		{"words", "?q=" + url.QueryEscape("fantana")},
		{"words and filters", "?q=" + url.QueryEscape("copaci umbra") + "&channel=paper&ageBand=16_18"},
	}
	addr := benchAddr(t, ls.testServer)
	httpc := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) time.Duration {
		req, err := http.NewRequest("GET", "http://"+addr+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Cookie", "voci_session="+council.cookie)
		t0 := time.Now()
		resp, err := httpc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return d
	}
	percentile := func(ds []time.Duration, p float64) time.Duration {
		slices.Sort(ds)
		return ds[min(len(ds)-1, int(float64(len(ds))*p))]
	}
	var all []time.Duration
	fmt.Printf("%-22s %8s %8s\n", "review workspace", "p50", "p99")
	for _, q := range queries {
		get(base + "/review" + q.query) // warm
		ds := make([]time.Duration, rounds)
		for i := range ds {
			ds[i] = get(base + "/review" + q.query)
		}
		all = append(all, ds...)
		fmt.Printf("%-22s %8s %8s\n", q.name, percentile(ds, 0.50).Round(10*time.Microsecond), percentile(ds, 0.99).Round(10*time.Microsecond))
	}
	p99 := percentile(all, 0.99)
	verdict := "within"
	if p99 > 100*time.Millisecond {
		verdict = "OVER"
	}
	fmt.Printf("%-22s %8s %8s  (goal p99 ≤ 100ms: %s)\n", "all requests", percentile(all, 0.50).Round(10*time.Microsecond), p99.Round(10*time.Microsecond), verdict)
	fmt.Printf("review workspace: %s\n", benchConditions())
}
