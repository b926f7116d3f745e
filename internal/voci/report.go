package voci

import "context"

// ReportTable is one table as every export writes it (CSV, XLSX, PDF) and as the national
// pages show it: a title, typed columns and rows of cells. A cell derived from children that
// a release hides, and an indicator whose source is not recorded yet, are marked as such,
// never written as a number.
type ReportTable struct {
	// Name is a stable key for the table, for example "municipalities" or "counties"; it
	// names export files.
	Name    string
	Title   string
	Columns []ReportColumn
	Rows    [][]ReportCell
	// Notes are sentences printed under the table (sources, period, release version).
	Notes []string
	// Release names, in the table's language, the frozen release its children's figures come
	// from ("2026-Q3, version 2 of 2026-10-02"); empty when every figure is live.
	Release string
	// CountyMap, when set, is the table a printed county map is drawn from instead of this
	// one: the counties' own figures of the same release for a table of municipalities,
	// whose published cells would not add up to a county's figure (hidden cells are left out).
	CountyMap *ReportTable
}

// ReportColumn describes one column of a ReportTable.
type ReportColumn struct {
	Key     string
	Label   string
	Numeric bool
}

// ReportCell is one cell. For a numeric column Value holds the number unless Hidden or
// NotYetRecorded; Text holds the words of a text column (and may label a number).
type ReportCell struct {
	Text           string
	Value          *float64
	Hidden         bool // hidden to protect children (one label for every hidden cell)
	NotYetRecorded bool // the indicator's source does not exist yet; never shown as 0
}

// ReportRequest names a table and its scope, as an export or a page asks for it.
type ReportRequest struct {
	// Table is municipalities, counties, trends, municipality or scorecard.
	Table     string
	Period    string // a period ID: 2026-11, 2026-Q3 or 2026
	Lang      Lang   // the language of titles, labels and notes
	County    int    // 0: every county
	Siruta    int    // the municipality, for the municipality and scorecard tables
	Indicator string // the indicator, for trends
	// Print asks for what only a printed report shows (a table's CountyMap); exports set it
	// for PDF, so that CSV and XLSX are not slowed by it.
	Print bool
}

// ReportSource builds the tables a request names, with every cell derived from children
// already protected. It returns EINVALID for a table or scope it does not know.
type ReportSource interface {
	ReportTables(ctx context.Context, req ReportRequest) ([]ReportTable, error)
}
