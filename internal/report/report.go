// Package report writes Voci's tables (voci.ReportTable) as files: CSV for any program, XLSX
// for spreadsheets (excelize) and a PDF laid out for print with a chart and a map of the
// counties (fpdf, with an embedded DejaVu Sans that has every Romanian and Hungarian letter).
// The tables arrive with every figure derived from children already protected; a hidden
// cell is written with the one label, whatever the format.
package report

import (
	"context"
	"io"
	"strconv"

	"github.com/voci-platform/voci/internal/voci"
)

// Writer writes exports in every format; it is the voci.ExportWriter of the export queue.
type Writer struct {
	// Uncompressed leaves the PDF's page streams readable, for tests that look at them.
	Uncompressed bool
}

// WriteExport writes doc in format to w. It returns EINVALID for an unknown format.
func (wr Writer) WriteExport(ctx context.Context, w io.Writer, format voci.ExportFormat, doc voci.ExportDocument, progress func(float64)) error {
	if progress == nil {
		progress = func(float64) {}
	}
	switch format {
	case voci.ExportCSV:
		var t voci.ReportTable
		if len(doc.Tables) > 0 {
			t = doc.Tables[0]
		}
		return WriteCSV(ctx, w, t, doc.Request.Lang, false, progress)
	case voci.ExportXLSX:
		return WriteXLSX(ctx, w, doc, progress)
	case voci.ExportPDF:
		return WritePDF(ctx, w, doc, wr.Uncompressed, progress)
	}
	return voci.InvalidParam("format", "The formats are csv, xlsx and pdf.")
}

// words are the few sentences the writers add themselves.
var words = map[voci.Lang]map[string]string{
	voci.LangRO: {"hidden": "ascuns pentru a proteja copiii", "notYetRecorded": "încă neînregistrat",
		"period": "Perioada", "release": "Versiunea publicată", "live": "date la zi (fără versiune publicată)",
		"generated": "Generat la", "asOf": "la zi", "page": "Pagina %d din %s", "noData": "fără date",
		"chart": "%s, pe %s", "map": "%s, pe județe", "top": "(primele %d)", "report": "Raport Voci",
		"part": "%s (partea %d din %d)"},
	voci.LangEN: {"hidden": "hidden to protect children", "notYetRecorded": "not yet recorded",
		"period": "Period", "release": "Release", "live": "live data (no release)",
		"generated": "Generated", "asOf": "as of today", "page": "Page %d of %s", "noData": "no data",
		"chart": "%s by %s", "map": "%s by county", "top": "(top %d)", "report": "Voci report",
		"part": "%s (part %d of %d)"},
	voci.LangHU: {"hidden": "a gyermekek védelmében elrejtve", "notYetRecorded": "még nincs rögzítve",
		"period": "Időszak", "release": "Kiadás", "live": "élő adatok (nem kiadásból)",
		"generated": "Készült", "asOf": "mai állapot", "page": "%d. oldal / %s", "noData": "nincs adat",
		"chart": "%s – %s szerint", "map": "%s megyénként", "top": "(az első %d)", "report": "Voci-jelentés",
		"part": "%s (%d/%d. rész)"},
}

func word(lang voci.Lang, key string) string {
	return words[voci.ParseLang(string(lang))][key]
}

// HiddenLabel is the one label of every hidden cell, in lang.
func HiddenLabel(lang voci.Lang) string { return word(lang, "hidden") }

// NotYetRecordedLabel says, in lang, that an indicator's source does not exist yet.
func NotYetRecordedLabel(lang voci.Lang) string { return word(lang, "notYetRecorded") }

// cellText is a cell as words: the one label when hidden, "not yet recorded" in words, the
// number when there is one (with a dot for decimals), its text otherwise.
func cellText(c voci.ReportCell, lang voci.Lang) string {
	switch {
	case c.Hidden:
		return word(lang, "hidden")
	case c.NotYetRecorded:
		return word(lang, "notYetRecorded")
	case c.Value != nil:
		return strconv.FormatFloat(*c.Value, 'f', -1, 64)
	}
	return c.Text
}

// progressEvery is how many rows a writer writes between two progress reports.
const progressEvery = 250

// rowCounter reports progress over every table's rows and stops when ctx is done.
type rowCounter struct {
	ctx      context.Context
	total    int
	done     int
	progress func(float64)
}

func newRowCounter(ctx context.Context, tables []voci.ReportTable, progress func(float64)) *rowCounter {
	n := 0
	for _, t := range tables {
		n += len(t.Rows)
	}
	return &rowCounter{ctx: ctx, total: max(n, 1), progress: progress}
}

func (r *rowCounter) row() error {
	r.done++
	if r.done%progressEvery == 0 {
		r.progress(float64(r.done) / float64(r.total))
		return r.ctx.Err()
	}
	return nil
}
