package voci

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// ReportTables builds the national tables for exports: municipalities, counties, trends and
// municipality (one municipality's indicators), with labels and notes in req.Lang. Children's
// figures are the release's, already protected; a hidden cell stays Hidden. It returns
// EINVALID for a table it does not build, EINVALIDPERIOD for a bad period.
func (n *National) ReportTables(ctx context.Context, req ReportRequest) ([]ReportTable, error) {
	lang := req.Lang
	if lang != LangEN && lang != LangHU {
		lang = LangRO
	}
	switch req.Table {
	case "municipalities", "counties", "municipality":
	case "trends":
		return n.trendTable(ctx, req, lang)
	default:
		return nil, InvalidParam("table", "Unknown table %q; the national tables are municipalities, counties, trends and municipality.", req.Table)
	}
	p, err := ParsePeriod(req.Period, n.Clock())
	if req.Period == "" {
		p, err = n.ResolvePeriod("", "", "")
	}
	if err != nil {
		return nil, err
	}
	switch req.Table {
	case "municipalities":
		return n.municipalitiesTable(ctx, p, req, lang)
	case "counties":
		return n.countiesTable(ctx, p, lang)
	}
	return n.municipalityTable(ctx, p, req, lang)
}

// reportIndicators lists the indicator columns of a table, in order.
func reportIndicators(withLocality, withRepresentativeness bool) []string {
	keys := append([]string{}, ActivityIndicators...)
	for _, a := range Adaptations {
		keys = append(keys, IndAdaptations+string(a))
	}
	keys = append(keys, IndChildrenReached)
	for _, b := range AgeBands {
		keys = append(keys, IndChildrenByAge+string(b))
	}
	for _, g := range Genders {
		keys = append(keys, IndChildrenByGender+string(g))
	}
	if withLocality {
		keys = append(keys, IndChildrenUrban, IndChildrenRural)
	}
	for _, c := range GroupCategories {
		keys = append(keys, IndGroupFacts+string(c))
	}
	if withRepresentativeness {
		for _, b := range AgeBands {
			keys = append(keys, IndRepresentativeness+string(b), IndRepresentativenessWarning+string(b))
		}
	}
	return keys
}

func textCell(s string) ReportCell { return ReportCell{Text: s} }

// indicatorCell is the cell of key in m: as it is, or empty when the indicator has no value
// (a children's figure of a period without a release, a median with nothing to take it of).
func indicatorCell(m map[string]ReportCell, key string) ReportCell {
	c, ok := m[key]
	if !ok {
		return ReportCell{}
	}
	return c
}

func indicatorColumns(keys []string, lang Lang) []ReportColumn {
	cols := make([]ReportColumn, len(keys))
	for i, k := range keys {
		cols[i] = ReportColumn{Key: k, Label: IndicatorLabel(k, lang), Numeric: true}
	}
	return cols
}

// releaseName names rel as a printed report's heading does; "" without a release.
func releaseName(p Period, rel *Release, lang Lang) string {
	if rel == nil {
		return ""
	}
	return fmt.Sprintf(word("releaseName", lang), p.ID, rel.Version, FormatDate(Today(rel.CreatedAt)))
}

func (n *National) notes(p Period, rel *Release, lang Lang) []string {
	notes := []string{word("noteActivity", lang)}
	if rel != nil {
		notes = append(notes, fmt.Sprintf(word("noteRelease", lang), rel.Version, p.ID, FormatDate(Today(rel.CreatedAt))))
	} else {
		notes = append(notes, word("noteNoRel", lang))
	}
	return append(notes, fmt.Sprintf(word("noteHidden", lang), HiddenLabel[lang]),
		fmt.Sprintf(word("noteNYR", lang), NotYetRecordedLabel[lang]), word("noteRepr", lang))
}

func (n *National) municipalitiesTable(ctx context.Context, p Period, req ReportRequest, lang Lang) ([]ReportTable, error) {
	rows, rel, err := n.Municipalities(ctx, p, NationalFilter{County: req.County})
	if err != nil {
		return nil, err
	}
	counties, err := n.Store.ListCounties(ctx)
	if err != nil {
		return nil, err
	}
	abbrev := make(map[int]string, len(counties))
	for _, c := range counties {
		abbrev[c.Code] = c.Abbrev
	}
	keys := reportIndicators(false, true)
	t := ReportTable{Name: "municipalities", Title: fmt.Sprintf(word("titleMun", lang), p.ID),
		Columns: append([]ReportColumn{
			{Key: "siruta", Label: word("siruta", lang), Numeric: true}, {Key: "name", Label: word("name", lang)},
			{Key: "county", Label: word("county", lang)}, {Key: "countyCode", Label: word("code", lang)},
			{Key: "urban", Label: word("urban", lang)},
			{Key: "stage", Label: word("stage", lang)}, {Key: "enrolled", Label: word("enrolled", lang)},
		}, indicatorColumns(keys, lang)...), Notes: n.notes(p, rel, lang), Release: releaseName(p, rel, lang)}
	if req.Print {
		// The map of a printed report shows the counties' own figures: the sum of a county's
		// published municipalities would leave its hidden ones out.
		ct, err := n.countiesTable(ctx, p, lang)
		if err != nil {
			return nil, err
		}
		t.CountyMap = &ct[0]
	}
	for _, r := range rows {
		m := r.Municipality
		urban, enrolled := word("urbanNo", lang), word("no", lang)
		if m.Urban {
			urban = word("urbanYes", lang)
		}
		if m.Enrolled {
			enrolled = word("yes", lang)
		}
		row := []ReportCell{NumberCell(float64(m.SIRUTA)), textCell(m.Name), textCell(m.CountyName), textCell(abbrev[m.CountyCode]), textCell(urban),
			textCell(StageLabel(m.Stage, lang)), textCell(enrolled)}
		for _, k := range keys {
			row = append(row, indicatorCell(r.Indicators, k))
		}
		t.Rows = append(t.Rows, row)
	}
	return []ReportTable{t}, nil
}

func (n *National) countiesTable(ctx context.Context, p Period, lang Lang) ([]ReportTable, error) {
	rows, national, rel, err := n.Counties(ctx, p)
	if err != nil {
		return nil, err
	}
	keys := reportIndicators(true, false)
	t := ReportTable{Name: "counties", Title: fmt.Sprintf(word("titleCounty", lang), p.ID),
		Columns: append([]ReportColumn{
			{Key: "countyCode", Label: word("code", lang)}, {Key: "county", Label: word("county", lang)},
			{Key: "municipalitiesEnrolled", Label: word("enrolledN", lang), Numeric: true},
		}, indicatorColumns(keys, lang)...), Notes: n.notes(p, rel, lang), Release: releaseName(p, rel, lang)}
	enrolled := 0
	for _, r := range rows {
		enrolled += r.MunicipalitiesEnrolled
		row := []ReportCell{textCell(r.County.Abbrev), textCell(r.County.Name), NumberCell(float64(r.MunicipalitiesEnrolled))}
		for _, k := range keys {
			row = append(row, indicatorCell(r.Indicators, k))
		}
		t.Rows = append(t.Rows, row)
	}
	row := []ReportCell{textCell("RO"), textCell(word("national", lang)), NumberCell(float64(enrolled))}
	for _, k := range keys {
		row = append(row, indicatorCell(national, k))
	}
	t.Rows = append(t.Rows, row)
	return []ReportTable{t}, nil
}

func (n *National) municipalityTable(ctx context.Context, p Period, req ReportRequest, lang Lang) ([]ReportTable, error) {
	if req.Siruta <= 0 {
		return nil, InvalidParam("siruta", "Name the municipality by its SIRUTA code.")
	}
	r, rel, err := n.Municipality(ctx, req.Siruta, p)
	if err != nil {
		return nil, err
	}
	t := ReportTable{Name: "municipality-" + strconv.Itoa(req.Siruta), Title: fmt.Sprintf(word("titleOne", lang), r.Municipality.Name, p.ID),
		Columns: []ReportColumn{{Key: "indicator", Label: word("indicator", lang)}, {Key: "value", Label: word("value", lang), Numeric: true}},
		Notes:   n.notes(p, rel, lang), Release: releaseName(p, rel, lang)}
	t.Rows = append(t.Rows, []ReportCell{textCell(word("stage", lang)), textCell(StageLabel(r.Municipality.Stage, lang))})
	for _, k := range reportIndicators(false, true) {
		t.Rows = append(t.Rows, []ReportCell{textCell(IndicatorLabel(k, lang)), indicatorCell(r.Indicators, k)})
	}
	return []ReportTable{t}, nil
}

func (n *National) trendTable(ctx context.Context, req ReportRequest, lang Lang) ([]ReportTable, error) {
	indicator := req.Indicator
	if indicator == "" {
		indicator = IndChildrenReached
	}
	kind := PeriodQuarter
	if req.Period != "" {
		p, err := ParsePeriod(req.Period, n.Clock())
		if err != nil {
			return nil, err
		}
		kind = p.Kind
	}
	points, err := n.Trend(ctx, indicator, kind, req.County, req.Siruta)
	if err != nil {
		return nil, err
	}
	t := ReportTable{Name: "trends", Title: fmt.Sprintf(word("titleTrend", lang), IndicatorLabel(indicator, lang)),
		Columns: []ReportColumn{{Key: "period", Label: word("period", lang)}, {Key: indicator, Label: IndicatorLabel(indicator, lang), Numeric: true}},
		Notes:   []string{word("noteActivity", lang), fmt.Sprintf(word("noteHidden", lang), HiddenLabel[lang])}}
	for _, pt := range points {
		t.Rows = append(t.Rows, []ReportCell{textCell(pt.Period.ID), pt.Cell})
	}
	return []ReportTable{t}, nil
}

// LatestReleasedPeriod returns the latest period of kind (the one that ends last) with a
// published release, and false when none of that kind is published.
func (n *National) LatestReleasedPeriod(ctx context.Context, kind PeriodKind) (Period, bool, error) {
	list, err := n.Store.ListReleases(ctx, "")
	if err != nil {
		return Period{}, false, err
	}
	var latest Period
	found := false
	for _, r := range list {
		if r.Status != ReleasePublished || r.Kind != kind {
			continue
		}
		p, err := periodOf(r.Period)
		if err != nil || p.Kind != kind {
			continue
		}
		if !found || p.From.After(latest.From) {
			latest, found = p, true
		}
	}
	return latest, found, nil
}

// OpenDataTable keeps of a national table what the open data publishes: the units, their
// activity counts and their released children's figures. Representativeness is left out: it
// divides released figures by populations the municipalities declare, which are not
// published figures of the release.
func OpenDataTable(t ReportTable) ReportTable {
	out := t
	out.Columns, out.Rows, out.CountyMap = nil, make([][]ReportCell, len(t.Rows)), nil
	var keep []int
	for i, c := range t.Columns {
		if strings.HasPrefix(c.Key, IndRepresentativeness) || strings.HasPrefix(c.Key, IndRepresentativenessWarning) {
			continue
		}
		keep = append(keep, i)
		out.Columns = append(out.Columns, c)
	}
	for r, row := range t.Rows {
		cells := make([]ReportCell, 0, len(keep))
		for _, i := range keep {
			if i < len(row) {
				cells = append(cells, row[i])
			}
		}
		out.Rows[r] = cells
	}
	return out
}

var _ ReportSource = (*National)(nil)
