package sqlitestore

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/storetest"
	"github.com/voci-platform/voci/internal/voci"
)

func openTestStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) voci.Store {
		return openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	})
}

// TestStoreTwoHandles runs the contracts of two instances: two handles on one SQLite file.
func TestStoreTwoHandles(t *testing.T) {
	storetest.RunTwoHandles(t, func(t *testing.T) (voci.Store, voci.Store) {
		path := filepath.Join(t.TempDir(), "voci.db")
		return openTestStore(t, path), openTestStore(t, path)
	})
}

type appliedMigration struct {
	version   int
	name      string
	appliedAt string
}

func appliedMigrations(t *testing.T, s *Store) []appliedMigration {
	t.Helper()
	rows, err := s.read.QueryContext(t.Context(), `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var applied []appliedMigration
	for rows.Next() {
		var m appliedMigration
		if err := rows.Scan(&m.version, &m.name, &m.appliedAt); err != nil {
			t.Fatalf("scan schema_migrations: %v", err)
		}
		applied = append(applied, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return applied
}

func TestMigrationsAreRecordedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "voci.db")
	embedded, err := loadMigrations()
	if err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}

	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	first := appliedMigrations(t, s)
	if len(first) != len(embedded) {
		t.Fatalf("%d migrations recorded, want %d", len(first), len(embedded))
	}
	for i, m := range embedded {
		if first[i].version != m.version || first[i].name != m.name {
			t.Errorf("recorded %+v, want version %d name %s", first[i], m.version, m.name)
		}
		if _, err := time.Parse(time.RFC3339Nano, first[i].appliedAt); err != nil {
			t.Errorf("applied_at %q: %v", first[i].appliedAt, err)
		}
	}
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = openTestStore(t, path)
	again := appliedMigrations(t, s)
	if len(again) != len(first) {
		t.Fatalf("after reopen %d migrations recorded, want %d", len(again), len(first))
	}
	for i := range first {
		if again[i] != first[i] {
			t.Errorf("after reopen %+v, want %+v (a migration ran twice)", again[i], first[i])
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "voci.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	_, err = s.write.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', ?)`,
		formatTime(time.Now()))
	if err != nil {
		t.Fatalf("record a future migration: %v", err)
	}
	s.Close()

	_, err = Open(t.Context(), path)
	if err == nil || !strings.Contains(err.Error(), "schema version 9999") {
		t.Fatalf("Open on a newer schema: %v, want an error naming version 9999", err)
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "voci.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	counties := []voci.County{{Code: 8, SIRUTA: 83, Name: "Brașov", Abbrev: "BV"}}
	munis := []voci.Municipality{{SIRUTA: 40198, Name: "Brașov", Kind: voci.KindMunicipality, Urban: true, CountyCode: 8, CountyName: "Brașov"}}
	if _, err := s.SeedReferenceData(t.Context(), counties, munis); err != nil {
		t.Fatalf("SeedReferenceData: %v", err)
	}
	if err := s.SetMunicipalityEnrolled(t.Context(), 40198, true); err != nil {
		t.Fatalf("SetMunicipalityEnrolled: %v", err)
	}
	created := time.Date(2025, 5, 14, 6, 30, 0, 123456789, time.UTC)
	account := &voci.Account{
		ID: "acc-1", Email: "ana@example.org", DisplayName: "Ana", PasswordHash: "hash",
		Roles:     []voci.RoleGrant{{Role: voci.RoleCoordinator, Municipality: 40198}},
		CreatedAt: created, UpdatedAt: created,
	}
	if err := s.CreateAccount(t.Context(), account); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = openTestStore(t, path)
	m, err := s.FindMunicipalityBySIRUTA(t.Context(), 40198)
	if err != nil || !m.Enrolled {
		t.Fatalf("after reopen Brașov = %+v, %v; want enrolled", m, err)
	}
	got, err := s.FindAccountByEmail(t.Context(), "ana@example.org")
	if err != nil {
		t.Fatalf("after reopen FindAccountByEmail: %v", err)
	}
	// SQLite keeps nanoseconds, beyond the millisecond the contract asks for.
	if !got.CreatedAt.Equal(created) || len(got.Roles) != 1 || got.Roles[0] != account.Roles[0] {
		t.Fatalf("after reopen account = %+v", got)
	}
}

func TestOpenFailsWhenThePathCannotBeWritten(t *testing.T) {
	// A regular file where a directory should be stops root as well as anyone else.
	t.Run("under a regular file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "not-a-directory")
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(file, "voci.db")
		wantOpenError(t, path)
	})
	t.Run("read-only directory", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can write into a read-only directory; the regular-file case covers root")
		}
		dir := filepath.Join(t.TempDir(), "read-only")
		if err := os.Mkdir(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		wantOpenError(t, filepath.Join(dir, "voci.db"))
	})
	t.Run("missing directory", func(t *testing.T) {
		wantOpenError(t, filepath.Join(t.TempDir(), "no", "such", "dir", "voci.db"))
	})
}

func wantOpenError(t *testing.T, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := Open(ctx, path)
	if err == nil {
		s.Close()
		t.Fatalf("Open(%s) succeeded, want an error", path)
	}
	if want := "open sqlite store " + path + ": "; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Open error %q does not start with %q", err, want)
	}
}

func TestOpenRejectsNonFilePaths(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:voci.db", filepath.Join(t.TempDir(), "a?b.db")} {
		if s, err := Open(t.Context(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", path)
		}
	}
}

// Every connection of both pools must carry the durability settings, not only the first one.
func TestPragmasOnEveryConnection(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	ctx := t.Context()

	check := func(pool string, conn *sql.Conn, queryOnly int) {
		t.Helper()
		var journal string
		if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil || journal != "wal" {
			t.Errorf("%s: journal_mode = %q, %v; want wal", pool, journal, err)
		}
		for _, p := range []struct {
			name string
			want int
		}{
			{"synchronous", 2}, // FULL
			{"foreign_keys", 1},
			{"busy_timeout", 5000},
			{"query_only", queryOnly},
			{"secure_delete", 2}, // FAST
		} {
			var got int
			if err := conn.QueryRowContext(ctx, `PRAGMA `+p.name).Scan(&got); err != nil || got != p.want {
				t.Errorf("%s: %s = %d, %v; want %d", pool, p.name, got, err, p.want)
			}
		}
	}

	// Hold several read connections at once so that the pool has to open new ones.
	var conns []*sql.Conn
	for range 3 {
		conn, err := s.read.Conn(ctx)
		if err != nil {
			t.Fatalf("read pool: %v", err)
		}
		conns = append(conns, conn)
		check("read", conn, 1)
	}
	for _, c := range conns {
		c.Close()
	}

	conn, err := s.write.Conn(ctx)
	if err != nil {
		t.Fatalf("write pool: %v", err)
	}
	check("write", conn, 0)
	conn.Close()

	if got := s.write.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("write pool allows %d connections, want 1", got)
	}
}

func TestReadPoolRefusesWrites(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	_, err := s.read.ExecContext(t.Context(), `INSERT INTO counties (code, siruta, name, abbrev, search_key) VALUES (1, 10, 'Alba', 'AB', 'alba')`)
	if err == nil {
		t.Fatal("a write through the read pool succeeded; query_only is not set")
	}
}

func TestPingAfterCloseIsUnavailable(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.Close()
	if code := voci.ErrorCode(s.Ping(t.Context())); code != voci.EUNAVAILABLE {
		t.Fatalf("Ping after Close has code %q, want %q", code, voci.EUNAVAILABLE)
	}
}

// Stored times are fixed-width UTC text, so that they read well and sort as text.
func TestTimesAreStoredAsUTCText(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	local := time.Date(2025, 5, 14, 9, 30, 0, 5, time.FixedZone("EEST", 3*60*60))
	a := &voci.Account{ID: "acc-1", Email: "ana@example.org", DisplayName: "Ana", PasswordHash: "h", CreatedAt: local, UpdatedAt: local}
	if err := s.CreateAccount(t.Context(), a); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	var stored string
	if err := s.read.QueryRowContext(t.Context(), `SELECT created_at FROM accounts WHERE id = 'acc-1'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if want := "2025-05-14T06:30:00.000000005Z"; stored != want {
		t.Fatalf("created_at stored as %q, want %q", stored, want)
	}
}
