package report

import (
	"context"
	"encoding/csv"
	"io"

	"github.com/voci-platform/voci/internal/voci"
)

// WriteCSV writes one table as UTF-8 CSV with a byte order mark (so that Excel reads ă, ș
// and ő), a header row of the columns' labels (or keys, for open data, whose description
// names them) and every cell through voci.SafeCSVCell. Hidden cells carry the one label and
// not-yet-recorded ones say so in words; nothing is written as 0 that is not 0.
func WriteCSV(ctx context.Context, w io.Writer, t voci.ReportTable, lang voci.Lang, keys bool, progress func(float64)) error {
	if progress == nil {
		progress = func(float64) {}
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Label
		if keys {
			header[i] = c.Key
		}
		header[i] = voci.SafeCSVCell(header[i])
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rc := newRowCounter(ctx, []voci.ReportTable{t}, progress)
	record := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i := range record {
			record[i] = ""
			if i < len(row) {
				record[i] = voci.SafeCSVCell(cellText(row[i], lang))
			}
		}
		if err := cw.Write(record); err != nil {
			return err
		}
		if err := rc.row(); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	progress(1)
	return nil
}
