package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/report"
	"github.com/voci-platform/voci/internal/voci"
)

// The minutes' PDF shows their text with Romanian and Hungarian letters, and the status box
// says they are approved with the hash, or warns that the text no longer matches it.
func TestMinutesPDF(t *testing.T) {
	text := "# Proces-verbal — Consiliul Copiilor\n\n## Prezență\n\n- Ana (președinte)\n- Zsófi\n\n> Mai multă umbră în parcuri, ő és ű.\n"
	m := &voci.MeetingMinutes{Text: text, Status: voci.MinutesApproved, Hash: voci.MinutesHash(text), ApprovedAt: time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC),
		Approval: voci.VoteCounts{Yes: 5, No: 1}}
	var buf bytes.Buffer
	if err := report.WriteMinutesPDF(&buf, report.MinutesPDF{Title: "Ședința din 2 noiembrie", Lang: "ro", Text: text,
		Status: report.MinutesStatusLines(voci.LangRO, m, "Ședința din 23 noiembrie"), At: m.ApprovedAt}); err != nil {
		t.Fatal(err)
	}
	got := pdfText(buf.Bytes())
	for _, want := range []string{"Proces-verbal — Consiliul Copiilor", "• Ana (președinte)", "Mai multă umbră în parcuri, ő és ű.",
		"Aprobat la 2026-12-07, prin votul ședinței „Ședința din 23 noiembrie” (pentru 5, împotrivă 1, abțineri 0).", m.Hash} {
		if !strings.Contains(got, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, got)
		}
	}
	m.Text += "x"
	if lines := report.MinutesStatusLines(voci.LangEN, m, "x"); len(lines) != 3 || !strings.Contains(lines[2], "does NOT match") {
		t.Fatalf("a changed text: %v", lines)
	}
	if lines := report.MinutesStatusLines(voci.LangHU, &voci.MeetingMinutes{Status: voci.MinutesDraft}, ""); len(lines) != 1 || !strings.HasPrefix(lines[0], "Tervezet") {
		t.Fatalf("a draft: %v", lines)
	}
}
