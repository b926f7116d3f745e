// Package seeds holds the data Voci starts with: Romania's counties and level-2 administrative
// units, derived from the SIRUTA classification (see gen_siruta.go), the pilot municipalities of
// the Child Friendly Cities Initiative, and the demo accounts of demo mode.
package seeds

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/voci-platform/voci/internal/voci"
)

var (
	//go:embed counties.csv
	countiesCSV []byte
	//go:embed municipalities.csv
	municipalitiesCSV []byte
)

// Pilot is a municipality of the Romanian pilot, enrolled from the first start.
type Pilot struct {
	SIRUTA int
	// Place is the ASCII slug used in demo sign-ins: coordinator.<place>@demo.voci.ro.
	Place string
}

// Pilots are matched on SIRUTA code, never on name: Romania has two Colonești.
var Pilots = []Pilot{
	{20297, "bacau"},
	{40198, "brasov"},
	{20876, "moinesti"},
	{21891, "colonesti"},
	{21971, "corbasca"},
}

// Counties parses the embedded county list.
func Counties() ([]voci.County, error) {
	rows, err := readCSV(countiesCSV, 4)
	if err != nil {
		return nil, fmt.Errorf("seeds: counties.csv: %w", err)
	}
	out := make([]voci.County, 0, len(rows))
	for i, r := range rows {
		code, err1 := strconv.Atoi(r[0])
		siruta, err2 := strconv.Atoi(r[1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("seeds: counties.csv line %d: bad number", i+2)
		}
		out = append(out, voci.County{Code: code, SIRUTA: siruta, Name: r[2], Abbrev: r[3]})
	}
	return out, nil
}

// Municipalities parses the embedded list of administrative units, with their county names
// filled in and the pilots marked as enrolled.
func Municipalities(counties []voci.County) ([]voci.Municipality, error) {
	rows, err := readCSV(municipalitiesCSV, 5)
	if err != nil {
		return nil, fmt.Errorf("seeds: municipalities.csv: %w", err)
	}
	countyName := make(map[int]string, len(counties))
	for _, c := range counties {
		countyName[c.Code] = c.Name
	}
	pilot := make(map[int]bool, len(Pilots))
	for _, p := range Pilots {
		pilot[p.SIRUTA] = true
	}
	out := make([]voci.Municipality, 0, len(rows))
	for i, r := range rows {
		siruta, err1 := strconv.Atoi(r[0])
		urban, err2 := strconv.ParseBool(r[3])
		county, err3 := strconv.Atoi(r[4])
		kind := voci.MunicipalityKind(r[2])
		if err1 != nil || err2 != nil || err3 != nil || !kind.Valid() || countyName[county] == "" {
			return nil, fmt.Errorf("seeds: municipalities.csv line %d: malformed row", i+2)
		}
		out = append(out, voci.Municipality{
			SIRUTA: siruta, Name: r[1], Kind: kind, Urban: urban,
			CountyCode: county, CountyName: countyName[county], Enrolled: pilot[siruta],
		})
	}
	return out, nil
}

// LoadReferenceData adds the counties and municipalities the store lacks. Running it again
// changes nothing, and keeps any enrolment made since.
func LoadReferenceData(ctx context.Context, store voci.MunicipalityStore) (added int, err error) {
	counties, err := Counties()
	if err != nil {
		return 0, err
	}
	munis, err := Municipalities(counties)
	if err != nil {
		return 0, err
	}
	return store.SeedReferenceData(ctx, counties, munis)
}

func readCSV(data []byte, fields int) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = fields
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("no rows")
	}
	return rows[1:], nil
}
