package httpapi

import "testing"

// One sanitizer serves every CSV export; it knows every character that opens a formula.
func TestCSVCell(t *testing.T) {
	cases := map[string]string{
		`=HYPERLINK("http://evil.example","x")`: `'=HYPERLINK("http://evil.example","x")`,
		"+cmd|' /C calc'!A0":                    "'+cmd|' /C calc'!A0",
		"-2+3":                                  "'-2+3",
		"@SUM(1+1)":                             "'@SUM(1+1)",
		"\t=1+1":                                "'\t=1+1",
		"\r=1+1":                                "'\r=1+1",
		"|calc":                                 "'|calc",
		"%0A=1":                                 "'%0A=1",
		"＝1+1":                                  "'＝1+1",
		"＋1":                                    "'＋1",
		"－1":                                    "'－1",
		"＠SUM(1)":                               "'＠SUM(1)",
		"":                                      "",
		"12":                                    "12",
		"mai mulți copaci = mai multă umbră":    "mai mulți copaci = mai multă umbră",
		"ana@example.ro":                        "ana@example.ro",
		"'=already quoted":                      "'=already quoted",
	}
	for in, want := range cases {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
	row := csvRow("=1", "ok", "-x")
	if row[0] != "'=1" || row[1] != "ok" || row[2] != "'-x" {
		t.Errorf("csvRow = %q", row)
	}
}
