package sqlitestore

import (
	"path/filepath"
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// TestLikeSupersetKeepsEveryMatch: the LIKE pattern that narrows a word search never drops a
// text that the folded comparison (voci.ReviewTextFilter.WordsMatch) would keep, and escapes
// LIKE's wildcards.
func TestLikeSupersetKeepsEveryMatch(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	texts := []string{"O FÂNTÂNĂ cu apă", "Ștrand și țară", "Székely ÖRÖM", "100% sigur_da", "a\\b", "\u212Aelvin", "İnsula", "fara"}
	words := []string{"fantana", "APA", "strand", "tara", "szekely", "orom", "100%", "sigur_da", "a\\b", "kelvin", "insula", "far", "x_y", "10%"}
	for _, text := range texts {
		for _, w := range words {
			f := voci.ReviewTextFilter{Words: w}
			var like bool
			if err := s.read.QueryRowContext(t.Context(), `SELECT ? LIKE ? ESCAPE '\'`, text, "%"+likeSuperset(voci.FoldForSearch(w))+"%").Scan(&like); err != nil {
				t.Fatal(err)
			}
			if f.WordsMatch(text) && !like {
				t.Errorf("%q holds %q, but LIKE drops it", text, w)
			}
		}
	}
	var like bool
	if err := s.read.QueryRowContext(t.Context(), `SELECT ? LIKE ? ESCAPE '\'`, "100 lei", "%"+likeSuperset("100%")+"%").Scan(&like); err != nil || like {
		t.Fatalf("%% is not escaped: %v %v", like, err)
	}
}
