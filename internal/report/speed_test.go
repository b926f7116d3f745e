package report_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/voci-platform/voci/internal/report"
	"github.com/voci-platform/voci/internal/voci"
)

// nationalTable is the shape of the national table of all 3,181 municipalities: names,
// county, stage and a dozen indicators, a few hidden, the youth councils' not yet recorded.
func nationalTable() voci.ReportTable {
	counties := []string{"AB", "AR", "AG", "BC", "BH", "BN", "BT", "BV", "BR", "BZ", "CS", "CL", "CJ", "CT", "CV", "DB", "DJ", "GL", "GR", "GJ", "HR", "HD", "IL", "IS", "IF", "MM", "MH", "MS", "NT", "OT", "PH", "SM", "SJ", "SB", "SV", "TR", "TM", "TL", "VS", "VL", "VN", "B"}
	t := voci.ReportTable{Name: "municipalities", Title: "Localitățile României: indicatori", Notes: []string{"Sursa: Voci."},
		Columns: []voci.ReportColumn{{Key: "siruta", Label: "Cod SIRUTA", Numeric: true}, {Key: "name", Label: "Localitate"},
			{Key: "countyCode", Label: "Cod județ"}, {Key: "stage", Label: "Etapă"}}}
	for _, k := range []string{"sessionsLive", "sessionsSelfPaced", "paperForms", "consultationsOpened", "consultationsAnswered",
		"childrenReached", "childrenUrban", "childrenRural", "decisionsLinked", "meetingsHeld", "motionsPassed", "medianDaysToFeedback"} {
		t.Columns = append(t.Columns, voci.ReportColumn{Key: k, Label: k, Numeric: true})
	}
	for i := range 3181 {
		row := []voci.ReportCell{{Value: v(float64(1000 + i))}, {Text: fmt.Sprintf("Comuna Șișești-Ő %d", i)}, {Text: counties[i%len(counties)]}, {Text: "implementare"}}
		for c := range 12 {
			switch {
			case c >= 9 && c <= 10:
				row = append(row, voci.ReportCell{NotYetRecorded: true})
			case (i+c)%7 == 0:
				row = append(row, voci.ReportCell{Hidden: true})
			default:
				row = append(row, voci.ReportCell{Value: v(float64((i * (c + 3)) % 500))})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// TestExportSpeed writes the XLSX and the PDF of every municipality and prints how long
// each took (make bench-exports; goals: XLSX ≤ 5 s, national PDF ≤ 10 s).
func TestExportSpeed(t *testing.T) {
	if os.Getenv("VOCI_BENCH_EXPORTS") == "" {
		t.Skip("VOCI_BENCH_EXPORTS is not set")
	}
	d := voci.ExportDocument{Request: voci.ReportRequest{Table: "municipalities", Lang: voci.LangRO, Period: "2026-Q3"},
		Tables: []voci.ReportTable{nationalTable()}, GeneratedAt: time.Now()}
	for _, format := range []voci.ExportFormat{voci.ExportXLSX, voci.ExportPDF} {
		var buf bytes.Buffer
		start := time.Now()
		if err := (report.Writer{}).WriteExport(context.Background(), &buf, format, d, nil); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		goal := "≤ 5 s"
		if format == voci.ExportPDF {
			goal = "≤ 10 s"
		}
		fmt.Printf("exports: %s of 3,181 municipalities × 16 columns: %.2f s, %d KB (goal %s)\n", format, took.Seconds(), buf.Len()/1024, goal)
		if format == voci.ExportXLSX {
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("municipalities")
			f.Close()
			if len(rows) < 3183 {
				t.Fatalf("%d rows", len(rows))
			}
		}
	}
}
