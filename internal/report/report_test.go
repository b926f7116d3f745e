package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/voci-platform/voci/internal/report"
	"github.com/voci-platform/voci/internal/voci"
)

func v(f float64) *float64 { return &f }

// sample is a table with every kind of cell: a formula-looking name, a hidden cell, one not
// yet recorded, numbers, and letters of Romanian and Hungarian.
func sample(rows int) voci.ReportTable {
	t := voci.ReportTable{Name: "municipalities", Title: "Localități și județe: Bacău, Brașov, Sfântu Gheorghe, Győr, Kőrös, Tűzoltó",
		Columns: []voci.ReportColumn{{Key: "name", Label: "Localitate"}, {Key: "countyCode", Label: "Cod județ"},
			{Key: "childrenReached", Label: "Copii ajunși", Numeric: true}, {Key: "meetingsHeld", Label: "Întâlniri ținute", Numeric: true}},
		Notes: []string{"Notă: cifrele copiilor sunt protejate."}}
	t.Rows = append(t.Rows,
		[]voci.ReportCell{{Text: `=HYPERLINK("http://evil.example","click")`}, {Text: "BC"}, {Value: v(12)}, {NotYetRecorded: true}},
		[]voci.ReportCell{{Text: "Colonești"}, {Text: "BC"}, {Hidden: true}, {NotYetRecorded: true}},
		[]voci.ReportCell{{Text: "Brașov"}, {Text: "BV"}, {Value: v(40)}, {NotYetRecorded: true}},
	)
	for i := len(t.Rows); i < rows; i++ {
		t.Rows = append(t.Rows, []voci.ReportCell{{Text: fmt.Sprintf("Comuna %d Șanțu Ő", i)}, {Text: "CJ"}, {Value: v(float64(i))}, {NotYetRecorded: true}})
	}
	return t
}

func doc(lang voci.Lang, tables ...voci.ReportTable) voci.ExportDocument {
	return voci.ExportDocument{Request: voci.ReportRequest{Table: "municipalities", Period: "2026-Q3", Lang: lang}, Tables: tables,
		GeneratedAt: time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC), Release: "2026-Q3 v1"}
}

func write(t *testing.T, format voci.ExportFormat, d voci.ExportDocument) []byte {
	t.Helper()
	var buf bytes.Buffer
	var last float64
	err := report.Writer{}.WriteExport(context.Background(), &buf, format, d, func(p float64) {
		if p < last {
			t.Errorf("progress went back from %v to %v", last, p)
		}
		last = p
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != 1 {
		t.Errorf("progress ended at %v, want 1", last)
	}
	return buf.Bytes()
}

func TestCSVNeutralisesFormulasAndLabelsCells(t *testing.T) {
	for lang, hidden := range map[voci.Lang]string{voci.LangRO: "ascuns pentru a proteja copiii", voci.LangEN: "hidden to protect children", voci.LangHU: "a gyermekek védelmében elrejtve"} {
		b := write(t, voci.ExportCSV, doc(lang, sample(3)))
		if !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Fatalf("%s: no byte order mark", lang)
		}
		rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || rows[0][0] != "Localitate" {
			t.Fatalf("%s: rows %q", lang, rows)
		}
		if rows[1][0] != `'=HYPERLINK("http://evil.example","click")` {
			t.Errorf("%s: formula cell written as %q", lang, rows[1][0])
		}
		if rows[1][2] != "12" || rows[2][2] != hidden {
			t.Errorf("%s: number %q, hidden %q; want 12 and %q", lang, rows[1][2], rows[2][2], hidden)
		}
		if rows[1][3] == "" || rows[1][3] == "0" {
			t.Errorf("%s: not yet recorded written as %q", lang, rows[1][3])
		}
	}
	if b := write(t, voci.ExportCSV, doc(voci.LangRO, sample(3))); !strings.Contains(string(b), "încă neînregistrat") {
		t.Error("not yet recorded is not in words")
	}
}

func TestXLSXWritesTextAsTextAndNumbersAsNumbers(t *testing.T) {
	second := voci.ReportTable{Name: "counties", Title: "Județe", Columns: []voci.ReportColumn{{Key: "county", Label: "Județ"}}, Rows: [][]voci.ReportCell{{{Text: "+Bacău"}}}}
	b := write(t, voci.ExportXLSX, doc(voci.LangEN, sample(3), second))
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "municipalities" || got[1] != "counties" {
		t.Fatalf("sheets %v", got)
	}
	cell := func(sheet, ref string) string {
		s, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if cell("municipalities", "A1") != sample(1).Title || cell("municipalities", "A2") != "Localitate" {
		t.Errorf("title %q, header %q", cell("municipalities", "A1"), cell("municipalities", "A2"))
	}
	// The formula stays text: its value is the words and the cell has no formula.
	if got := cell("municipalities", "A3"); got != `=HYPERLINK("http://evil.example","click")` {
		t.Errorf("A3 = %q", got)
	}
	for _, ref := range []string{"A3", "A4"} {
		if formula, _ := f.GetCellFormula("municipalities", ref); formula != "" {
			t.Errorf("%s has the formula %q", ref, formula)
		}
	}
	if typ, _ := f.GetCellType("municipalities", "C3"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("the number is written as text (%v)", typ)
	}
	if cell("municipalities", "C3") != "12" || cell("municipalities", "C4") != "hidden to protect children" || cell("municipalities", "D3") != "not yet recorded" {
		t.Errorf("C3 %q C4 %q D3 %q", cell("municipalities", "C3"), cell("municipalities", "C4"), cell("municipalities", "D3"))
	}
	if cell("counties", "A3") != "+Bacău" {
		t.Errorf("counties A3 = %q", cell("counties", "A3"))
	}
	// The header is styled (bold), the notes are below the rows, the columns are widened.
	style, err := f.GetCellStyle("municipalities", "A2")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(style)
	if err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header style %+v (%v)", st, err)
	}
	if cell("municipalities", "A7") != "Notă: cifrele copiilor sunt protejate." {
		t.Errorf("A7 = %q, want the note", cell("municipalities", "A7"))
	}
	if w, _ := f.GetColWidth("municipalities", "A"); w < 30 {
		t.Errorf("column A is %v wide", w)
	}
}

func TestPDFEmbedsTheFontAndShowsEveryLetter(t *testing.T) {
	for lang, want := range map[voci.Lang][]string{
		voci.LangRO: {"ascuns pentru a proteja copiii", "Perioada", "Pagina 1 din"},
		voci.LangEN: {"hidden to protect children", "Period", "Page 1 of"},
		voci.LangHU: {"a gyermekek védelmében elrejtve", "Időszak", "1. oldal /"},
	} {
		b := write(t, voci.ExportPDF, doc(lang, sample(3)))
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF", lang)
		}
		// The font is embedded (a TrueType font file) and is DejaVu Sans.
		if !bytes.Contains(b, []byte("/FontFile2")) || !bytes.Contains(b, []byte("/BaseFont /utf8dejavu")) {
			t.Errorf("%s: the font is not embedded", lang)
		}
		// A cell wraps onto as many lines as it needs: read the lines as one text.
		text := strings.Join(strings.Fields(pdfText(b)), " ")
		for _, s := range append(want, "Localități și județe: Bacău, Brașov, Sfântu Gheorghe, Győr, Kőrös, Tűzoltó", "Colonești", "2026-Q3 v1", "Notă: cifrele copiilor sunt protejate.") {
			if !strings.Contains(text, s) {
				t.Errorf("%s: the PDF does not show %q", lang, s)
			}
		}
	}
}

func TestPDFRepeatsTheHeaderOnEveryPageOfALongTable(t *testing.T) {
	b := write(t, voci.ExportPDF, doc(voci.LangEN, sample(300)))
	text := pdfText(b)
	pages := strings.Count(text, "Page ")
	headers := strings.Count(text, "Întâlniri")
	if pages < 5 {
		t.Fatalf("%d pages for 300 rows", pages)
	}
	// The header is on every page the table reaches: all but the first (title, chart, map).
	if headers < pages-1 {
		t.Errorf("the header is on %d of %d pages", headers, pages)
	}
	if !strings.Contains(text, fmt.Sprintf("Page %d of %d", pages, pages)) {
		t.Errorf("no last page number %d of %d", pages, pages)
	}
	if !strings.Contains(text, "Comuna 299 Șanțu Ő") {
		t.Error("the last row is missing")
	}
}

func TestPDFMapColoursTheCountiesWithValues(t *testing.T) {
	var buf bytes.Buffer
	if err := (report.Writer{Uncompressed: true}).WriteExport(context.Background(), &buf, voci.ExportPDF, doc(voci.LangEN, sample(3)), nil); err != nil {
		t.Fatal(err)
	}
	// Brașov (40, the largest value) is filled with the darkest class, Bacău (12) with the
	// lightest; counties without a row are grey.
	for name, fill := range map[string]string{"darkest": "0.031 0.318 0.612 rg", "lightest": "0.871 0.922 0.969 rg", "grey": "0.843 g"} {
		if !bytes.Contains(buf.Bytes(), []byte(fill)) {
			t.Errorf("no %s fill (%s) in the map", name, fill)
		}
	}
	if text := pdfText(buf.Bytes()); !strings.Contains(text, "Copii ajunși by county") || !strings.Contains(text, "no data") {
		t.Errorf("the map has no title or legend")
	}
}

func TestPDFChartsTheRequestedIndicator(t *testing.T) {
	d := doc(voci.LangEN, sample(3))
	d.Request.Indicator = "meetingsHeld"
	text := pdfText(write(t, voci.ExportPDF, d))
	if !strings.Contains(text, "Întâlniri ținute by localitate") {
		t.Errorf("the chart is not of the indicator asked for:\n%s", text)
	}
	if text := pdfText(write(t, voci.ExportPDF, doc(voci.LangEN, sample(3)))); !strings.Contains(text, "Copii ajunși by localitate") {
		t.Errorf("the chart is not of the first indicator")
	}
}

func TestPDFWithoutTablesIsStillAReport(t *testing.T) {
	b := write(t, voci.ExportPDF, doc(voci.LangRO))
	if !strings.Contains(pdfText(b), "Raport Voci") {
		t.Error("no title")
	}
}

func TestWriteSamplePDF(t *testing.T) {
	dir := os.Getenv("VOCI_REPORT_SAMPLE_DIR")
	if dir == "" {
		t.Skip("VOCI_REPORT_SAMPLE_DIR is not set")
	}
	os.WriteFile(dir+"/sample.pdf", write(t, voci.ExportPDF, doc(voci.LangRO, sample(120))), 0o644)
	os.WriteFile(dir+"/sample.xlsx", write(t, voci.ExportXLSX, doc(voci.LangRO, sample(120))), 0o644)
	os.WriteFile(dir+"/national.pdf", write(t, voci.ExportPDF, doc(voci.LangHU, nationalTable())), 0o644)
}

func TestCountyBoundariesDecode(t *testing.T) {
	regions, err := report.CountyCodes()
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 42 {
		t.Fatalf("%d counties", len(regions))
	}
	for _, code := range []string{"BC", "BV", "CJ", "B", "SV"} {
		if !slices.Contains(regions, code) {
			t.Errorf("no county %s among %v", code, regions)
		}
	}
}

// A table wider than a page is printed in parts, each with the columns that name a row: every
// header word stays whole, and every column and row is printed.
func TestPDFPrintsAWideTableInParts(t *testing.T) {
	wide := voci.ReportTable{Name: "municipalities", Title: "Municipalities",
		Columns: []voci.ReportColumn{{Key: "siruta", Label: "SIRUTA code", Numeric: true}, {Key: "name", Label: "Municipality"}}}
	row := []voci.ReportCell{{Value: v(21891)}, {Text: "Colonești"}}
	for i := range 40 {
		wide.Columns = append(wide.Columns, voci.ReportColumn{Key: fmt.Sprint("c", i), Label: fmt.Sprintf("Consultations answered on time %d", i), Numeric: true})
		row = append(row, voci.ReportCell{Value: v(float64(i))})
	}
	wide.Rows = [][]voci.ReportCell{row}
	text := strings.Join(strings.Fields(pdfText(write(t, voci.ExportPDF, doc(voci.LangEN, wide)))), " ")
	for _, s := range []string{"Municipalities (part 1 of 5)", "Municipalities (part 5 of 5)", "Consultations answered on time 0", "Consultations answered on time 39"} {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF does not show %q", s)
		}
	}
	if n := strings.Count(text, "Colonești"); n < 5 {
		t.Errorf("the row's name is printed %d times, want once in each of the 5 parts", n)
	}
}
