package httpapi_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// TestNationalReportTables: the tables exports write, in each language, with children's
// figures from the release (hidden cells stay hidden) and the youth council's not recorded.
func TestNationalReportTables(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now)).ID
	childrenIn(t, ts, 20297, "live-rep-1", 8, voci.Age10to12, voci.GenderGirl, now.Add(-time.Minute))
	childrenIn(t, ts, 20297, "live-rep-1", 1, voci.Age13to15, voci.GenderBoy, now.Add(-time.Minute))
	clients := signedIn(t, ts, "national")
	if rel := release(t, clients["national"], month); rel["status"] != "published" {
		t.Fatalf("release %v", rel)
	}
	src := voci.NewNational(ts.store, time.Now)
	ctx := context.Background()

	for _, c := range []struct {
		lang  voci.Lang
		words []string
	}{
		{voci.LangRO, []string{"Copii participanți", "Cod SIRUTA", "ascuns pentru a proteja copiii"}},
		{voci.LangEN, []string{"Children reached", "SIRUTA code", "hidden to protect children"}},
		{voci.LangHU, []string{"Elért gyermekek", "SIRUTA-kód", "a gyermekek védelmében elrejtve"}},
	} {
		tables, err := src.ReportTables(ctx, voci.ReportRequest{Table: "municipalities", Period: month, Lang: c.lang, County: 4})
		if err != nil || len(tables) != 1 {
			t.Fatalf("%s: %v", c.lang, err)
		}
		tb := tables[0]
		var text strings.Builder
		for _, col := range tb.Columns {
			text.WriteString(col.Label + "|")
		}
		text.WriteString(strings.Join(tb.Notes, "|"))
		for _, w := range c.words {
			if !strings.Contains(text.String(), w) {
				t.Errorf("%s: no %q in %s", c.lang, w, text.String())
			}
		}
		col := slices.IndexFunc(tb.Columns, func(c voci.ReportColumn) bool { return c.Key == "childrenByAge.13_15" })
		nyr := slices.IndexFunc(tb.Columns, func(c voci.ReportColumn) bool { return c.Key == "meetingsHeld" })
		found := false
		for _, row := range tb.Rows {
			if len(row) != len(tb.Columns) {
				t.Fatalf("a row of %d cells under %d columns", len(row), len(tb.Columns))
			}
			if row[0].Value != nil && *row[0].Value == 20297 {
				found = true
				if !row[col].Hidden || row[col].Value != nil {
					t.Errorf("one child in a band: %+v", row[col])
				}
				if row[nyr].NotYetRecorded || row[nyr].Value == nil || *row[nyr].Value != 0 {
					t.Errorf("youth council meetings: %+v", row[nyr])
				}
			}
		}
		if !found {
			t.Errorf("%s: Bacău missing", c.lang)
		}
	}

	counties, err := src.ReportTables(ctx, voci.ReportRequest{Table: "counties", Period: month, Lang: voci.LangEN})
	if err != nil || len(counties[0].Rows) != 43 || counties[0].Rows[42][1].Text != "Romania" {
		t.Fatalf("counties: %v rows, %v", len(counties[0].Rows), err)
	}
	one, err := src.ReportTables(ctx, voci.ReportRequest{Table: "municipality", Period: month, Lang: voci.LangHU, Siruta: 20297})
	if err != nil || !strings.Contains(one[0].Title, "Bacău") || one[0].Rows[0][1].Text != "aláírt együttműködési megállapodás" {
		t.Fatalf("one municipality: %+v %v", one, err)
	}
	trend, err := src.ReportTables(ctx, voci.ReportRequest{Table: "trends", Period: month, Lang: voci.LangRO, Indicator: "childrenReached", Siruta: 20297})
	if err != nil || len(trend[0].Rows) != 1 || trend[0].Rows[0][0].Text != month {
		t.Fatalf("trend: %+v %v", trend, err)
	}
	for _, bad := range []voci.ReportRequest{{Table: "scorecards"}, {Table: "municipality", Period: month}} {
		if _, err := src.ReportTables(ctx, bad); voci.ErrorCode(err) != voci.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := src.ReportTables(ctx, voci.ReportRequest{Table: "counties", Period: "2999"}); voci.ErrorCode(err) != voci.EINVALIDPERIOD {
		t.Errorf("future period: %v", err)
	}
}
