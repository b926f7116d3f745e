package sqlitestore

import (
	"path/filepath"
	"testing"
)

// TestChangeCountMovesWithEveryCommit: the change count stays while nothing is written, and
// moves after a write through the store and after one through another connection to the file.
func TestChangeCountMovesWithEveryCommit(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "voci.db")
	s := openTestStore(t, path)
	first, err := s.ChangeCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := s.ChangeCount(ctx); err != nil || again != first {
		t.Fatalf("nothing written, yet %d then %d (%v)", first, again, err)
	}
	storeApprovedTexts(t, s, []string{"Bănci la umbră"})
	second, err := s.ChangeCount(ctx)
	if err != nil || second == first {
		t.Fatalf("after an answer: %d then %d (%v)", first, second, err)
	}
	other := openTestStore(t, path) // another process's connections to the same file
	storeApprovedTexts(t, other, []string{"Bănci la umbră", "Un teren de fotbal"})
	if third, err := s.ChangeCount(ctx); err != nil || third == second {
		t.Fatalf("after another connection's write: %d then %d (%v)", second, third, err)
	}
}
