package report

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/voci-platform/voci/internal/voci"
)

// DejaVu Sans has every letter of Romanian (ă â î ș ț, with the comma below) and Hungarian
// (ő ű); its licence is in fonts/LICENSE-DejaVu.txt.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
)

const (
	fontFamily = "DejaVu"
	pageMargin = 15.0 // mm
	rowHeight  = 5.5  // mm
	// chartBars bounds the bars of the chart: the largest values.
	chartBars = 15
)

// pdfReport holds what every page needs.
type pdfReport struct {
	pdf  *fpdf.Fpdf
	lang voci.Lang
	doc  voci.ExportDocument
	rc   *rowCounter
}

// WritePDF writes doc as a report for print on A4: a title with the period, the release and
// the day it was made; a bar chart of one column (the request's indicator, or the first
// numeric column besides SIRUTA codes) and, when its table has a countyCode column (the
// two-letter code), a map of the counties coloured by that column summed per county (or by
// the same column of the table's CountyMap, the counties' own figures); then
// every table, breaking across pages with its header repeated (wide tables on landscape
// pages), and its notes. Every page has its number. Hidden cells carry the one label.
func WritePDF(ctx context.Context, w io.Writer, doc voci.ExportDocument, uncompressed bool, progress func(float64)) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(!uncompressed)
	pdf.AddUTF8FontFromBytes(fontFamily, "", dejaVuSans)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", dejaVuSansBold)
	pdf.SetMargins(pageMargin, pageMargin, pageMargin)
	pdf.SetAutoPageBreak(false, pageMargin)
	pdf.SetCreationDate(doc.GeneratedAt)
	pdf.SetModificationDate(doc.GeneratedAt)
	pdf.SetCatalogSort(true)
	lang := voci.ParseLang(string(doc.Request.Lang))
	pdf.SetLang(string(lang))
	title := word(lang, "report")
	if len(doc.Tables) > 0 && doc.Tables[0].Title != "" {
		title = doc.Tables[0].Title
	}
	pdf.SetTitle(title, true)
	pdf.SetCreator("Voci", true)
	pdf.AliasNbPages("{nb}")
	tables := splitWide(doc.Tables, lang)
	r := &pdfReport{pdf: pdf, lang: lang, doc: doc, rc: newRowCounter(ctx, tables, progress)}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-10)
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 5, fmt.Sprintf(word(lang, "page"), pdf.PageNo(), "{nb}"), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})

	pdf.AddPage()
	r.titleBlock(title)
	if t, col, ok := chartColumn(doc.Tables, doc.Request.Indicator); ok {
		r.barChart(t, col)
		mt, mcol := t, col
		if t.CountyMap != nil {
			mt, mcol = *t.CountyMap, columnIndex(*t.CountyMap, t.Columns[col].Key)
		}
		if countyCol := columnIndex(mt, "countyCode"); countyCol >= 0 && mcol >= 0 && mt.Columns[mcol].Numeric {
			if err := r.countyMap(mt, mcol, countyCol); err != nil {
				return err
			}
		}
	}
	for _, t := range tables {
		if err := r.table(t); err != nil {
			return err
		}
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	progress(1)
	return nil
}

func (r *pdfReport) titleBlock(title string) {
	pdf, lang := r.pdf, r.lang
	pdf.SetFont(fontFamily, "B", 18)
	pdf.MultiCell(0, 8, title, "", "L", false)
	pdf.Ln(2)
	pdf.SetFont(fontFamily, "", 10)
	period := r.doc.Request.Period
	if period == "" {
		period = word(lang, "asOf")
	}
	release := r.doc.Release
	if release == "" {
		release = word(lang, "live")
	}
	for _, line := range [][2]string{
		{word(lang, "period"), period},
		{word(lang, "release"), release},
		{word(lang, "generated"), r.doc.GeneratedAt.In(bucharest()).Format("2006-01-02 15:04")},
	} {
		pdf.SetFont(fontFamily, "B", 10)
		pdf.CellFormat(45, 5.5, line[0], "", 0, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", 10)
		pdf.CellFormat(0, 5.5, line[1], "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)
}

// chartColumn finds the column the chart and the map show: the request's indicator when a
// table has it, else the first numeric column other than SIRUTA codes of the first table that
// has one.
func chartColumn(tables []voci.ReportTable, indicator string) (voci.ReportTable, int, bool) {
	if indicator != "" {
		for _, t := range tables {
			if i := columnIndex(t, indicator); i >= 0 && t.Columns[i].Numeric && len(t.Rows) > 0 {
				return t, i, true
			}
		}
	}
	for _, t := range tables {
		for i, c := range t.Columns {
			if c.Numeric && c.Key != "siruta" && len(t.Rows) > 0 {
				return t, i, true
			}
		}
	}
	return voci.ReportTable{}, 0, false
}

func columnIndex(t voci.ReportTable, key string) int {
	return slices.IndexFunc(t.Columns, func(c voci.ReportColumn) bool { return c.Key == key })
}

// labelColumn is the first text column: what names a row in the chart.
func labelColumn(t voci.ReportTable) int {
	return max(slices.IndexFunc(t.Columns, func(c voci.ReportColumn) bool { return !c.Numeric }), 0)
}

type bar struct {
	label string
	value float64
}

// barChart draws the largest values of one column as horizontal bars with their numbers.
// Hidden and not-yet-recorded cells have no bar; the table below shows them with their label.
func (r *pdfReport) barChart(t voci.ReportTable, col int) {
	pdf := r.pdf
	lc := labelColumn(t)
	var bars []bar
	for _, row := range t.Rows {
		if col < len(row) && row[col].Value != nil && !row[col].Hidden && !row[col].NotYetRecorded && *row[col].Value > 0 {
			bars = append(bars, bar{label: cellText(row[lc], r.lang), value: *row[col].Value})
		}
	}
	slices.SortStableFunc(bars, func(a, b bar) int {
		switch {
		case a.value > b.value:
			return -1
		case a.value < b.value:
			return 1
		}
		return strings.Compare(a.label, b.label)
	})
	heading := fmt.Sprintf(word(r.lang, "chart"), t.Columns[col].Label, strings.ToLower(t.Columns[lc].Label))
	if len(bars) > chartBars {
		bars = bars[:chartBars]
		heading += " " + fmt.Sprintf(word(r.lang, "top"), chartBars)
	}
	pdf.SetFont(fontFamily, "B", 12)
	pdf.MultiCell(0, 6, heading, "", "L", false)
	pdf.Ln(1)
	if len(bars) == 0 {
		pdf.SetFont(fontFamily, "", 9)
		pdf.CellFormat(0, 5, word(r.lang, "noData"), "", 1, "L", false, 0, "")
		pdf.Ln(3)
		return
	}
	pageW, _ := pdf.GetPageSize()
	labelW, numW := 50.0, 16.0
	barMax := pageW - 2*pageMargin - labelW - numW
	top := bars[0].value
	pdf.SetFont(fontFamily, "", 8)
	for _, b := range bars {
		y := pdf.GetY()
		pdf.SetX(pageMargin)
		pdf.CellFormat(labelW, 4.5, fit(pdf, b.label, labelW-1), "", 0, "L", false, 0, "")
		pdf.SetFillColor(31, 78, 121)
		pdf.Rect(pageMargin+labelW, y+0.6, math.Max(barMax*b.value/top, 0.5), 3.3, "F")
		pdf.SetX(pageMargin + labelW + barMax + 1)
		pdf.CellFormat(numW-1, 4.5, formatNumber(b.value), "", 1, "R", false, 0, "")
	}
	pdf.Ln(4)
}

// countyMap draws the counties coloured by one column's value summed per county (a county
// with no row, or only hidden cells, is grey), with a legend of five equal classes.
func (r *pdfReport) countyMap(t voci.ReportTable, col, countyCol int) error {
	pdf := r.pdf
	regions, err := counties()
	if err != nil {
		return err
	}
	values := map[string]float64{}
	for _, row := range t.Rows {
		if col >= len(row) || countyCol >= len(row) {
			continue
		}
		c := row[col]
		if c.Value == nil || c.Hidden || c.NotYetRecorded {
			continue
		}
		values[strings.ToUpper(row[countyCol].Text)] += *c.Value
	}
	// The classes span the counties only: a national row (RO) would flatten them.
	hi := 0.0
	for _, rg := range regions {
		hi = math.Max(hi, values[strings.ToUpper(rg.ID)])
	}
	pageW, pageH := pdf.GetPageSize()
	const mapH, legendW = 95.0, 45.0
	if pdf.GetY()+mapH+12 > pageH-pageMargin-8 {
		pdf.AddPage()
	}
	pdf.SetFont(fontFamily, "B", 12)
	pdf.MultiCell(0, 6, fmt.Sprintf(word(r.lang, "map"), t.Columns[col].Label), "", "L", false)
	pdf.Ln(1)
	// An equirectangular projection scaled by the cosine of Romania's middle latitude: at
	// this size it is indistinguishable from a conic one.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	const lat0 = 45.9
	k := math.Cos(lat0 * math.Pi / 180)
	for _, rg := range regions {
		for _, ring := range rg.Rings {
			for _, p := range ring {
				x, y := p[0]*k, -p[1]
				minX, maxX = math.Min(minX, x), math.Max(maxX, x)
				minY, maxY = math.Min(minY, y), math.Max(maxY, y)
			}
		}
	}
	boxW := pageW - 2*pageMargin - legendW
	scale := math.Min(boxW/(maxX-minX), mapH/(maxY-minY))
	x0, y0 := pageMargin, pdf.GetY()
	pdf.SetDrawColor(255, 255, 255)
	pdf.SetLineWidth(0.2)
	for _, rg := range regions {
		v, ok := values[strings.ToUpper(rg.ID)]
		cr, cg, cb := classColour(v, hi, ok)
		pdf.SetFillColor(cr, cg, cb)
		for _, ring := range rg.Rings {
			pts := make([]fpdf.PointType, len(ring))
			for i, p := range ring {
				pts[i] = fpdf.PointType{X: x0 + (p[0]*k-minX)*scale, Y: y0 + (-p[1]-minY)*scale}
			}
			pdf.Polygon(pts, "DF")
		}
	}
	pdf.SetDrawColor(0, 0, 0)
	// The legend.
	lx, ly := x0+boxW+5, y0+5
	pdf.SetFont(fontFamily, "", 8)
	for i := range 5 {
		from, to := hi*float64(i)/5, hi*float64(i+1)/5
		cr, cg, cb := classColour((from+to)/2, hi, true)
		pdf.SetFillColor(cr, cg, cb)
		pdf.Rect(lx, ly, 5, 4, "F")
		pdf.SetXY(lx+7, ly)
		pdf.CellFormat(legendW-8, 4, formatNumber(from)+" – "+formatNumber(to), "", 0, "L", false, 0, "")
		ly += 6
	}
	cr, cg, cb := classColour(0, hi, false)
	pdf.SetFillColor(cr, cg, cb)
	pdf.Rect(lx, ly, 5, 4, "F")
	pdf.SetXY(lx+7, ly)
	pdf.CellFormat(legendW-8, 4, word(r.lang, "noData"), "", 0, "L", false, 0, "")
	pdf.SetY(y0 + mapH + 4)
	return nil
}

// classColour is the fill of a value in five equal classes of blue from 0 to hi; grey when
// there is no value.
func classColour(v, hi float64, ok bool) (int, int, int) {
	if !ok {
		return 215, 215, 215
	}
	shades := [5][3]int{{222, 235, 247}, {158, 202, 225}, {107, 174, 214}, {49, 130, 189}, {8, 81, 156}}
	i := 0
	if hi > 0 {
		i = min(int(v/hi*5), 4)
	}
	s := shades[i]
	return s[0], s[1], s[2]
}

// table writes one table: its title, then the rows under a header that is repeated on every
// page the table reaches, then its notes.
// maxColumnsPerPart bounds the columns of a table printed across a landscape page: beyond it
// the letters of each header would stand one under the other.
const maxColumnsPerPart = 10

// splitWide prints a table with more columns than a page holds as several parts, each with
// the columns that name a row (up to and including the first text column) and the next
// columns in turn; the notes go under the last part.
func splitWide(tables []voci.ReportTable, lang voci.Lang) []voci.ReportTable {
	var out []voci.ReportTable
	for _, t := range tables {
		keep := labelColumn(t) + 1
		per := maxColumnsPerPart - keep
		if len(t.Columns) <= maxColumnsPerPart || per < 2 {
			out = append(out, t)
			continue
		}
		parts := (len(t.Columns) - keep + per - 1) / per
		for p := range parts {
			from, to := keep+p*per, min(keep+(p+1)*per, len(t.Columns))
			part := voci.ReportTable{Name: t.Name, Title: fmt.Sprintf(word(lang, "part"), t.Title, p+1, parts),
				Columns: append(slices.Clone(t.Columns[:keep]), t.Columns[from:to]...)}
			for _, row := range t.Rows {
				cells := slices.Clone(row[:min(keep, len(row))])
				if from < len(row) {
					cells = append(cells, row[from:min(to, len(row))]...)
				}
				part.Rows = append(part.Rows, cells)
			}
			if p == parts-1 {
				part.Notes = t.Notes
			}
			out = append(out, part)
		}
	}
	return out
}

func (r *pdfReport) table(t voci.ReportTable) error {
	pdf := r.pdf
	// A wide table turns the page: landscape from its first page to its last.
	wide := len(t.Columns) > 8
	newPage := func() {
		if wide {
			pdf.AddPageFormat("L", fpdf.SizeType{Wd: 210, Ht: 297})
		} else {
			pdf.AddPageFormat("P", fpdf.SizeType{Wd: 210, Ht: 297})
		}
	}
	if wide {
		newPage()
	}
	pageW, pageH := pdf.GetPageSize()
	bottom := pageH - pageMargin - 6
	avail := pageW - 2*pageMargin
	fontSize := 8.0
	if len(t.Columns) > 7 {
		fontSize = 7
	}
	// Column widths: what the longest cell of each column needs (a sample of rows is enough),
	// within bounds: a text column at most 55 mm, a number column no wider than its numbers
	// or the longest word of its header (at most 22 mm). Hidden and not-yet-recorded cells
	// wrap onto more lines rather than widen a column. Then the columns share the page.
	pdf.SetFont(fontFamily, "", fontSize)
	widths := make([]float64, len(t.Columns))
	for c, col := range t.Columns {
		w := 10.0
		for _, word := range strings.Fields(col.Label) {
			w = math.Max(w, math.Min(pdf.GetStringWidth(word)+2, 22))
		}
		for i, row := range t.Rows {
			if i > 400 {
				break
			}
			if c >= len(row) {
				continue
			}
			text := cellText(row[c], r.lang)
			if row[c].Hidden || row[c].NotYetRecorded {
				// Room for the label in three lines, and for its longest word.
				w = math.Max(w, pdf.GetStringWidth(text)/3+2.5)
				for _, word := range strings.Fields(text) {
					w = math.Max(w, pdf.GetStringWidth(word)+2.5)
				}
				continue
			}
			w = math.Max(w, pdf.GetStringWidth(text)+2.5)
		}
		widths[c] = math.Min(w, 55)
	}
	total := 0.0
	for _, w := range widths {
		total += w
	}
	// Too wide for the page: a smaller type first (down to 5.5 pt), then narrower columns.
	if total > avail {
		smaller := math.Max(5.5, fontSize*avail/total)
		for c := range widths {
			widths[c] *= smaller / fontSize
		}
		total *= smaller / fontSize
		fontSize = smaller
	}
	for c := range widths {
		widths[c] *= avail / total
	}
	header := func() {
		pdf.SetFont(fontFamily, "B", fontSize)
		lines := make([][]string, len(t.Columns))
		n := 1
		for c, col := range t.Columns {
			lines[c] = pdf.SplitText(col.Label, widths[c])
			n = max(n, len(lines[c]))
		}
		h := float64(n)*fontSize*0.5 + 1.5
		y := pdf.GetY()
		x := pageMargin
		pdf.SetFillColor(31, 78, 121)
		pdf.SetTextColor(255, 255, 255)
		for c := range t.Columns {
			pdf.Rect(x, y, widths[c], h, "F")
			for i, l := range lines[c] {
				pdf.SetXY(x, y+0.75+float64(i)*fontSize*0.5)
				align := "L"
				if t.Columns[c].Numeric {
					align = "R"
				}
				pdf.CellFormat(widths[c], fontSize*0.5, l, "", 0, align, false, 0, "")
			}
			x += widths[c]
		}
		pdf.SetTextColor(0, 0, 0)
		pdf.SetXY(pageMargin, y+h)
		pdf.SetFont(fontFamily, "", fontSize)
	}
	if !wide && pdf.GetY()+20 > bottom {
		newPage()
	} else if !wide {
		pdf.Ln(4)
	}
	pdf.SetFont(fontFamily, "B", 12)
	pdf.MultiCell(0, 6, t.Title, "", "L", false)
	pdf.Ln(1)
	header()
	pdf.SetFont(fontFamily, "", fontSize)
	lineH := fontSize * 0.45
	for i, row := range t.Rows {
		// Each cell in as many lines as it needs: the one label of a hidden cell is never cut.
		lines := make([][]string, len(t.Columns))
		n := 1
		for c := range t.Columns {
			text := ""
			if c < len(row) {
				text = cellText(row[c], r.lang)
				if v := row[c].Value; v != nil && !row[c].Hidden && !row[c].NotYetRecorded {
					text = formatNumber(*v)
				}
			}
			if pdf.GetStringWidth(text) <= widths[c]-1.5 {
				lines[c] = []string{text}
			} else {
				lines[c] = pdf.SplitText(text, widths[c])
			}
			n = max(n, len(lines[c]))
		}
		h := math.Max(rowHeight, float64(n)*lineH+1.8)
		if pdf.GetY()+h > bottom {
			newPage()
			header()
		}
		y := pdf.GetY()
		if i%2 == 1 {
			pdf.SetFillColor(242, 242, 242)
			pdf.Rect(pageMargin, y, avail, h, "F")
		}
		x := pageMargin
		for c := range t.Columns {
			align := "L"
			if t.Columns[c].Numeric {
				align = "R"
			}
			marked := c < len(row) && (row[c].Hidden || row[c].NotYetRecorded)
			if marked {
				pdf.SetTextColor(90, 90, 90)
			}
			top := y + (h-float64(len(lines[c]))*lineH)/2
			for k, l := range lines[c] {
				pdf.SetXY(x, top+float64(k)*lineH)
				pdf.CellFormat(widths[c], lineH, l, "", 0, align, false, 0, "")
			}
			pdf.SetTextColor(0, 0, 0)
			x += widths[c]
		}
		pdf.SetXY(pageMargin, y+h)
		if err := r.rc.row(); err != nil {
			return err
		}
	}
	if len(t.Notes) > 0 {
		pdf.Ln(2)
		pdf.SetFont(fontFamily, "", 8)
		for _, n := range t.Notes {
			if pdf.GetY()+10 > bottom {
				newPage()
			}
			pdf.MultiCell(0, 4, n, "", "L", false)
		}
	}
	return nil
}

// fit shortens s with an ellipsis until it fits in width.
func fit(pdf *fpdf.Fpdf, s string, width float64) string {
	if pdf.GetStringWidth(s) <= width {
		return s
	}
	runes := []rune(s)
	for len(runes) > 0 && pdf.GetStringWidth(string(runes)+"…") > width {
		runes = runes[:len(runes)-1]
	}
	return string(runes) + "…"
}

// formatNumber writes a whole number without decimals and anything else with two.
func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// bucharest is Romania's time zone, for the day a report was made.
func bucharest() *time.Location {
	if loc, err := time.LoadLocation("Europe/Bucharest"); err == nil {
		return loc
	}
	return time.UTC
}
