package httpapi

import "github.com/voci-platform/voci/internal/voci"

// csvCell keeps a spreadsheet from reading a cell as a formula: see voci.SafeCSVCell, which
// every CSV export (these handlers' and the export queue's) writes every cell through.
func csvCell(s string) string { return voci.SafeCSVCell(s) }

// csvRow is csvCell applied to each cell of a row, in place.
func csvRow(cells ...string) []string {
	for i := range cells {
		cells[i] = csvCell(cells[i])
	}
	return cells
}
