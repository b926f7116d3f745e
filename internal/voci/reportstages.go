package voci

import (
	"context"
	"fmt"
	"time"
)

// StageReport is the ReportSource of the "stages" table: every enrolled municipality with its
// county, CFCI stage and the day it reached it, and a second table of enrolled
// municipalities per county and stage. Stages are not about children: the figures are live.
// A request with a SIRUTA code keeps that municipality only; one with a county, that county.
type StageReport struct {
	Store MunicipalityStore
	Clock Clock
}

var stageReportWords = map[Lang]map[string]string{
	LangRO: {"title": "Etapele CFCI ale localităților înscrise", "countyTitle": "Localități înscrise, pe județe și etape",
		"siruta": "Cod SIRUTA", "municipality": "Localitate", "county": "Județ", "countyCode": "Cod județ", "kind": "Tip",
		"stage": "Etapă", "since": "Din data", "enrolled": "Localități înscrise",
		"municipality.kind": "municipiu", "town.kind": "oraș", "commune.kind": "comună",
		"note": "Sursa: istoricul etapelor CFCI din Voci, la data de %s. Etapele nu privesc copiii: cifrele sunt la zi, nu dintr-o versiune publicată."},
	LangEN: {"title": "CFCI stages of enrolled municipalities", "countyTitle": "Enrolled municipalities by county and stage",
		"siruta": "SIRUTA code", "municipality": "Municipality", "county": "County", "countyCode": "County code", "kind": "Kind",
		"stage": "Stage", "since": "Since", "enrolled": "Enrolled municipalities",
		"municipality.kind": "municipality", "town.kind": "town", "commune.kind": "commune",
		"note": "Source: Voci's CFCI stage history, as of %s. Stages are not about children: the figures are live, not from a release."},
	LangHU: {"title": "A csatlakozott települések CFCI-szakaszai", "countyTitle": "Csatlakozott települések megyénként és szakaszonként",
		"siruta": "SIRUTA-kód", "municipality": "Település", "county": "Megye", "countyCode": "Megyekód", "kind": "Típus",
		"stage": "Szakasz", "since": "Kezdete", "enrolled": "Csatlakozott települések",
		"municipality.kind": "municípium", "town.kind": "város", "commune.kind": "község",
		"note": "Forrás: a Voci CFCI-szakaszainak története, %s állapot szerint. A szakaszok nem a gyermekekről szólnak: a számok élők, nem egy kiadásból származnak."},
}

func num(v float64) ReportCell { return ReportCell{Value: &v} }

// ReportTables returns the "stages" table and the "stagesByCounty" table. ENOTFOUND for an
// unknown SIRUTA code.
func (r *StageReport) ReportTables(ctx context.Context, req ReportRequest) ([]ReportTable, error) {
	lang := ParseLang(string(req.Lang))
	w := stageReportWords[lang]
	now := time.Now()
	if r.Clock != nil {
		now = r.Clock()
	}
	counties, err := r.Store.ListCounties(ctx)
	if err != nil {
		return nil, err
	}
	abbrev := map[int]string{}
	for _, c := range counties {
		abbrev[c.Code] = c.Abbrev
	}
	var ms []Municipality
	if req.Siruta > 0 {
		m, err := r.Store.FindMunicipalityBySIRUTA(ctx, req.Siruta)
		if err != nil {
			return nil, err
		}
		if m.Enrolled {
			ms = append(ms, *m)
		}
	} else {
		enrolled := true
		f := MunicipalityFilter{Enrolled: &enrolled, Limit: MaxPageSize}
		if req.County > 0 {
			f.CountyCode = &req.County
		}
		if err := f.Normalize(); err != nil {
			return nil, err
		}
		for {
			page, total, err := r.Store.FindMunicipalities(ctx, f)
			if err != nil {
				return nil, err
			}
			ms = append(ms, page...)
			f.Offset += len(page)
			if len(page) == 0 || f.Offset >= total {
				break
			}
		}
	}
	stages := ReportTable{Name: "stages", Title: w["title"], Columns: []ReportColumn{
		{Key: "siruta", Label: w["siruta"], Numeric: true}, {Key: "municipality", Label: w["municipality"]},
		{Key: "kind", Label: w["kind"]}, {Key: "county", Label: w["county"]}, {Key: "countyCode", Label: w["countyCode"]},
		{Key: "stage", Label: w["stage"]}, {Key: "since", Label: w["since"]},
	}}
	type countyRow struct {
		name    string
		code    int
		byStage map[Stage]int
		total   int
	}
	perCounty := map[int]*countyRow{}
	for _, m := range ms {
		since := ""
		if !m.StageSince.IsZero() {
			since = FormatDate(m.StageSince)
		}
		stages.Rows = append(stages.Rows, []ReportCell{num(float64(m.SIRUTA)), {Text: m.Name}, {Text: w[string(m.Kind)+".kind"]},
			{Text: m.CountyName}, {Text: abbrev[m.CountyCode]}, {Text: StageLabel(m.Stage, lang)}, {Text: since}})
		c := perCounty[m.CountyCode]
		if c == nil {
			c = &countyRow{name: m.CountyName, code: m.CountyCode, byStage: map[Stage]int{}}
			perCounty[m.CountyCode] = c
		}
		c.byStage[m.Stage]++
		c.total++
	}
	byCounty := ReportTable{Name: "stagesByCounty", Title: w["countyTitle"], Columns: []ReportColumn{
		{Key: "county", Label: w["county"]}, {Key: "countyCode", Label: w["countyCode"]}, {Key: "enrolled", Label: w["enrolled"], Numeric: true},
	}}
	for _, s := range Stages {
		byCounty.Columns = append(byCounty.Columns, ReportColumn{Key: string(s), Label: StageLabel(s, lang), Numeric: true})
	}
	// Every county is listed (in ListCounties' order), so that the map colours a county with
	// no enrolled municipality as 0, not as missing.
	for _, c := range counties {
		if req.County > 0 && c.Code != req.County {
			continue
		}
		row := perCounty[c.Code]
		if req.Siruta > 0 && row == nil {
			continue
		}
		if row == nil {
			row = &countyRow{byStage: map[Stage]int{}}
		}
		cells := []ReportCell{{Text: c.Name}, {Text: c.Abbrev}, num(float64(row.total))}
		for _, s := range Stages {
			cells = append(cells, num(float64(row.byStage[s])))
		}
		byCounty.Rows = append(byCounty.Rows, cells)
	}
	note := fmt.Sprintf(w["note"], FormatDate(Today(now)))
	stages.Notes = []string{note}
	byCounty.Notes = []string{note}
	return []ReportTable{stages, byCounty}, nil
}
