package sqlitestore

import (
	"path/filepath"
	"testing"

	"github.com/voci-platform/voci/internal/storetest"
	"github.com/voci-platform/voci/internal/voci"
)

// TestAuditFailureRollsBackTheChange: with every insert into the audit trail failing (as on a
// full disk), each audited write fails and leaves its change unwritten.
func TestAuditFailureRollsBackTheChange(t *testing.T) {
	storetest.RunAuditFailure(t, func(t *testing.T) voci.Store {
		return openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	}, func(t *testing.T, s voci.Store) {
		if _, err := s.(*Store).write.ExecContext(t.Context(), `CREATE TRIGGER audit_log_full BEFORE INSERT ON audit_log
			BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
			t.Fatal(err)
		}
	}, func(t *testing.T, s voci.Store) {
		if _, err := s.(*Store).write.ExecContext(t.Context(), `DROP TRIGGER audit_log_full`); err != nil {
			t.Fatal(err)
		}
	})
}
