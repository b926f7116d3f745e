//go:build ignore

// gen_siruta derives seeds/counties.csv and seeds/municipalities.csv from the National
// Institute of Statistics' SIRUTA classification. It is run by hand when a new SIRUTA edition
// is published:
//
//	go run ./seeds/gen_siruta.go path/to/siruta.csv
//
// Voci itself never reads SIRUTA at run time: it embeds the two derived files.
package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/voci-platform/voci/internal/voci"
)

// countyAbbrev maps SIRUTA's county number (JUD) to the county's two-letter code.
var countyAbbrev = map[int]string{
	1: "AB", 2: "AR", 3: "AG", 4: "BC", 5: "BH", 6: "BN", 7: "BT", 8: "BV", 9: "BR", 10: "BZ",
	11: "CS", 12: "CJ", 13: "CT", 14: "CV", 15: "DB", 16: "DJ", 17: "GL", 18: "GJ", 19: "HR",
	20: "HD", 21: "IL", 22: "IS", 23: "IF", 24: "MM", 25: "MH", 26: "MS", 27: "NT", 28: "OT",
	29: "PH", 30: "SM", 31: "SJ", 32: "SB", 33: "SV", 34: "TR", 35: "TM", 36: "TL", 37: "VS",
	38: "VL", 39: "VN", 40: "B", 51: "CL", 52: "GR",
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen_siruta:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: go run ./seeds/gen_siruta.go siruta.csv")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	header, err := r.Read()
	if err != nil {
		return err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	var counties, munis [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		get := func(name string) string { return rec[col[name]] }
		level, _ := strconv.Atoi(get("NIV"))
		tip, _ := strconv.Atoi(get("TIP"))
		jud, _ := strconv.Atoi(get("JUD"))
		switch level {
		case 1:
			name := strings.TrimPrefix(strings.TrimPrefix(get("DENLOC"), "JUDEȚUL "), "MUNICIPIUL ")
			abbrev, ok := countyAbbrev[jud]
			if !ok {
				return fmt.Errorf("county %d has no abbreviation", jud)
			}
			counties = append(counties, []string{strconv.Itoa(jud), get("SIRUTA"), voci.RomanianTitleCase(name), abbrev})
		case 2:
			name, kind := get("DENLOC"), voci.KindCommune
			switch tip {
			case 1, 4, 9:
				name, kind = strings.TrimPrefix(name, "MUNICIPIUL "), voci.KindMunicipality
			case 2:
				name, kind = strings.TrimPrefix(name, "ORAȘ "), voci.KindTown
			case 3:
			default:
				return fmt.Errorf("unit %s has unknown TIP %d", get("SIRUTA"), tip)
			}
			urban := get("MED") == "1"
			munis = append(munis, []string{get("SIRUTA"), voci.RomanianTitleCase(name), string(kind), strconv.FormatBool(urban), strconv.Itoa(jud)})
		}
	}
	sortBy := func(rows [][]string) {
		sort.Slice(rows, func(i, j int) bool {
			a, _ := strconv.Atoi(rows[i][0])
			b, _ := strconv.Atoi(rows[j][0])
			return a < b
		})
	}
	sortBy(counties)
	sortBy(munis)
	dir := "seeds"
	if err := write(filepath.Join(dir, "counties.csv"), []string{"code", "siruta", "name", "abbrev"}, counties); err != nil {
		return err
	}
	return write(filepath.Join(dir, "municipalities.csv"), []string{"siruta", "name", "kind", "urban", "county"}, munis)
}

func write(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
