package httpapi_test

import (
	"slices"
	"testing"
)

// TestReviewWordSearchFoldsAndSuppresses: the workspace's word search ignores case and
// diacritics on both sides, pages and counts what it finds, never finds a held or rejected
// text by any of its words, and a search narrowed to a part of the children still hides the
// option counts below k.
func TestReviewWordSearchFoldsAndSuppresses(t *testing.T) {
	f := newReviewFixture(t)
	texts := func(w workspaceOut) []string {
		out := []string{}
		for _, x := range w.Texts {
			out = append(out, x.Text)
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?q=MULTI", []string{"Mai mulți copaci în parc"}},
		{"?q=mul%C8%9Bi%20%C3%8EN", []string{"Mai mulți copaci în parc"}}, // "mulți ÎN"
		{"?q=umbra%20BANCI", []string{"Bănci la umbră"}},
		{"?q=leag%C4%83ne", []string{"<script>alert(1)</script> leagăne noi"}}, // "leagăne"
		{"?q=a", []string{"Mai mulți copaci în parc", "Bănci la umbră", "<script>alert(1)</script> leagăne noi"}},
		{"?q=umbra&ageBand=10_12", []string{}},
		{"?q=copaci&channel=paper&ageBand=10_12", []string{"Mai mulți copaci în parc"}},
		{"?q=suna", []string{}}, {"?q=0722%20123", []string{}}, {"?q=respins", []string{}}, {"?q=%25", []string{}}, {"?q=_", []string{}},
	} {
		w := f.workspace(t, tc.query)
		if got := texts(w); !slices.Equal(got, tc.want) || w.Total != len(tc.want) {
			t.Errorf("%s: %v (total %d), want %v", tc.query, got, w.Total, tc.want)
		}
	}
	page := f.workspace(t, "?q=A&limit=1&offset=1")
	if got := texts(page); page.Total != 3 || !slices.Equal(got, []string{"Bănci la umbră"}) {
		t.Fatalf("second page of a search: %v (total %d)", got, page.Total)
	}
	// One child of 13 to 15 chose trees: within that age band the count is below k.
	narrowed := f.workspace(t, "?q=COPACI&ageBand=13_15")
	if len(narrowed.Options) != 1 || narrowed.Options[0].OptionID != f.single.option("copaci") ||
		narrowed.Options[0].Chosen != nil || !narrowed.Options[0].Suppressed {
		t.Fatalf("a search within an age band shows a count below k: %+v", narrowed.Options)
	}
	whole := f.workspace(t, "?q=copaci")
	if len(whole.Options) != 1 || whole.Options[0].Chosen == nil || *whole.Options[0].Chosen != 6 {
		t.Fatalf("the whole consultation's count: %+v", whole.Options)
	}
}
