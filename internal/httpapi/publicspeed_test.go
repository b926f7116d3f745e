package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// TestPublicMunicipalityLatency (make bench-public) stores a municipality with 50 opened
// consultations, three recommendations each with published feedback in two languages, in a
// real SQLite file, and asks the public page's API for it through a real listener. It prints
// p50 and p99; it never fails on timing. The goal is p99 ≤ 50 ms.
func TestPublicMunicipalityLatency(t *testing.T) {
	if os.Getenv("VOCI_BENCH_PUBLIC") == "" {
		t.Skip("set VOCI_BENCH_PUBLIC=1 (make bench-public)")
	}
	ts := newTestServer(t)
	ctx := t.Context()
	start := time.Now().UTC().AddDate(-2, 0, 0)
	texts := map[voci.Lang]voci.FeedbackText{
		voci.LangRO: {Text: "Consiliul a hotărât să planteze 40 de copaci în parc până în primăvară, pentru că ați cerut mai multă umbră.", EasyRead: "Vom planta copaci în parc."},
		voci.LangHU: {Text: "A tanács úgy döntött, hogy tavaszig 40 fát ültet a parkba, mert több árnyékot kértetek.", EasyRead: "Fákat ültetünk a parkba."},
	}
	for i := range 50 {
		at := start.AddDate(0, 0, 7*i)
		c := &voci.Consultation{ID: fmt.Sprintf("bench-cons-%02d", i), Municipality: 20297, Title: fmt.Sprintf("Consultarea %d", i),
			Purpose: "Ce ar trebui să aibă orașul pentru copii?", Languages: []voci.Lang{voci.LangRO, voci.LangHU},
			Translations: map[voci.Lang]voci.ConsultationText{voci.LangHU: {Title: fmt.Sprintf("Konzultáció %d", i)}},
			AudienceBody: "Consiliul Local Bacău", AnswerBy: at.AddDate(0, 3, 0), Status: voci.StatusClosed, Modes: []voci.Mode{voci.ModePaper},
			CreatedBy: "bench", CreatedAt: at, UpdatedAt: at}
		if err := ts.store.CreateConsultation(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		for j := range 3 {
			r := &voci.Recommendation{ID: fmt.Sprintf("bench-rec-%02d-%d", i, j), Municipality: 20297, Source: voci.SourceConsultation,
				ConsultationID: c.ID, Title: fmt.Sprintf("Recomandarea %d", j), Text: "Copiii cer mai multă umbră.", AudienceBody: c.AudienceBody,
				Revision: 1, CreatedBy: "bench", CreatedAt: at, UpdatedAt: at}
			if err := ts.store.CreateRecommendation(ctx, r, nil); err != nil {
				t.Fatal(err)
			}
			fb := &voci.Feedback{ID: "fb-" + r.ID, RecommendationID: r.ID, ConsultationID: c.ID, Municipality: 20297, Version: 1,
				State: voci.FeedbackPublished, Texts: texts, Authors: []string{"a"}, ReviewedBy: "b", Revision: 3, CreatedAt: at, UpdatedAt: at,
				SubmittedAt: at, PublishedAt: at.AddDate(0, 1, 0)}
			if err := ts.store.CreateFeedback(ctx, fb, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ts.Serve(sctx, ln, 5*time.Second) }()
	t.Cleanup(func() { cancel(); <-done })
	url := "http://" + ln.Addr().String() + "/api/v1/public/municipalities/20297?lang=hu"
	get := func() time.Duration {
		began := time.Now()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || n < 10000 {
			t.Fatalf("status %d, %d bytes", resp.StatusCode, n)
		}
		return time.Since(began)
	}
	for range 20 {
		get()
	}
	var took []time.Duration
	for range 500 {
		took = append(took, get())
	}
	slices.Sort(took)
	p := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
	fmt.Printf("public municipality page (50 consultations, 150 recommendations with feedback): p50 %.1f ms, p99 %.1f ms (goal p99 ≤ 50 ms)\n", p(0.5), p(0.99))
}
