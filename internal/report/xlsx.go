package report

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// WriteXLSX writes each table on its own sheet: the title in the first row, a styled header
// row that stays in view, the rows, then the notes below. Numbers are numbers; every text is
// written as a string cell, never as a formula, whatever it begins with. Hidden cells carry
// the one label, in italics.
func WriteXLSX(ctx context.Context, w io.Writer, doc voci.ExportDocument, progress func(float64)) error {
	f := excelize.NewFile()
	defer f.Close()
	lang := doc.Request.Lang
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return err
	}
	marked, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}})
	if err != nil {
		return err
	}
	note, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Size: 9}})
	if err != nil {
		return err
	}
	tables := doc.Tables
	if len(tables) == 0 {
		tables = []voci.ReportTable{{Name: "empty"}}
	}
	rc := newRowCounter(ctx, tables, progress)
	used := map[string]bool{}
	for i, t := range tables {
		sheet := sheetName(t.Name, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		// Widths from the longest text of each column (header included), within reason.
		for c, col := range t.Columns {
			width := utf8.RuneCountInString(col.Label)
			for _, row := range t.Rows {
				if c < len(row) {
					width = max(width, utf8.RuneCountInString(cellText(row[c], lang)))
				}
			}
			if err := sw.SetColWidth(c+1, c+1, float64(min(max(width, 8), 60))+2); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: title, Value: t.Title}}); err != nil {
			return err
		}
		cells := make([]any, len(t.Columns))
		for c, col := range t.Columns {
			cells[c] = excelize.Cell{StyleID: header, Value: col.Label}
		}
		if err := sw.SetRow("A2", cells, excelize.RowOpts{Height: 30}); err != nil {
			return err
		}
		r := 3
		for _, row := range t.Rows {
			cells := make([]any, len(t.Columns))
			for c := range t.Columns {
				if c >= len(row) {
					cells[c] = nil
					continue
				}
				cell := row[c]
				switch {
				case cell.Hidden || cell.NotYetRecorded:
					cells[c] = excelize.Cell{StyleID: marked, Value: cellText(cell, lang)}
				case cell.Value != nil:
					cells[c] = *cell.Value
				default:
					// A string value is written as text: excelize writes formulas only from
					// Cell.Formula, so "=HYPERLINK(…)" stays the words it is.
					cells[c] = cell.Text
				}
			}
			if err := sw.SetRow(mustCell(1, r), cells); err != nil {
				return err
			}
			r++
			if err := rc.row(); err != nil {
				return err
			}
		}
		r++
		for _, n := range t.Notes {
			if err := sw.SetRow(mustCell(1, r), []any{excelize.Cell{StyleID: note, Value: n}}); err != nil {
				return err
			}
			r++
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return err
	}
	progress(1)
	return nil
}

func mustCell(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // col and row are always ≥ 1
	}
	return name
}

// sheetName makes a table's name a valid, unique sheet name: at most 31 characters, none of
// : \ / ? * [ ].
func sheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, name)
	if name == "" {
		name = "table"
	}
	if utf8.RuneCountInString(name) > 28 {
		name = string([]rune(name)[:28])
	}
	base, n := name, 2
	for used[strings.ToLower(name)] {
		name = fmt.Sprintf("%s %d", base, n)
		n++
	}
	used[strings.ToLower(name)] = true
	return name
}
