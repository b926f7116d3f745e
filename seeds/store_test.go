package seeds

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/password"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

// referenceStore is a real SQLite file holding Romania's counties and municipalities, closed
// when the test ends.
func referenceStore(t *testing.T) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := LoadReferenceData(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

// demoStore is referenceStore with the demo accounts, their passwords hashed cheaply.
func demoStore(t *testing.T, now time.Time) *sqlitestore.Store {
	t.Helper()
	st := referenceStore(t)
	cheap := password.Hasher{Params: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	if _, err := EnsureDemoAccounts(t.Context(), st, cheap, "demo-password-for-tests", now, voci.RandomID); err != nil {
		t.Fatal(err)
	}
	return st
}
