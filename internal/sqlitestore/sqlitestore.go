// Package sqlitestore is Voci's embedded store: one SQLite file, written through
// modernc.org/sqlite so that the binary needs no cgo and no database server.
//
// # Durability
//
// Every connection runs in WAL mode with synchronous=FULL, so a commit that has returned is on
// disk and survives kill -9 or a power cut. foreign_keys is on and busy_timeout is set on every
// connection, because SQLite keeps these per connection, not per file.
//
// # Concurrency
//
// SQLite allows one writer at a time. Rather than let writers discover that through
// SQLITE_BUSY, the store holds two pools on the same file:
//
//   - write: at most one open connection. Every change goes through it, so writes queue in
//     database/sql instead of failing, and its transactions start with BEGIN IMMEDIATE
//     (_txlock=immediate) so a transaction that reads and then writes never has to upgrade a
//     read lock, which is where deadlocks and SQLITE_BUSY come from.
//   - read: several connections with query_only set. WAL lets them read a consistent snapshot
//     while the writer commits; reads that take more than one statement run in a (deferred)
//     transaction so they see one snapshot.
//
// busy_timeout still matters for other processes on the same file (a `voci seed` next to a
// running server) and for WAL checkpoints.
//
// # Schema
//
// Migrations are SQL files embedded from migrations/, named NNNN_name.sql. Migrate applies the
// ones not yet recorded in schema_migrations, each in its own transaction, in version order.
// Open calls it, so a database that cannot be created or written fails at start-up, not on the
// first request.
package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/voci-platform/voci/internal/voci"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// connPragmas are run by the driver on every new connection of both pools. busy_timeout (in
// milliseconds) is how long a connection waits for another process's lock before it gives up
// with SQLITE_BUSY; inside one process writers queue on the single write connection instead.
// secure_delete(fast) zeroes what a change or a deletion frees inside the pages it writes
// anyway, so that a child's earlier text (a held phone number) does not linger in the file.
const connPragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)" +
	"&_pragma=secure_delete(fast)"

// Store implements voci.Store on one SQLite file. It is safe for concurrent use.
type Store struct {
	path  string
	write *sql.DB // one connection; every change goes through it
	read  *sql.DB // several query_only connections

	// Answers and joins go through one goroutine that commits them in groups (groupWrite).
	groupQueue chan groupRequest
	closing    chan struct{}
	writerDone chan struct{}
	closeOnce  sync.Once

	// changes is one connection, kept for the store's life, that only reads PRAGMA
	// data_version (see ChangeCount).
	changesDB *sql.DB
	changes   *sql.Conn

	// hot are the writer's prepared statements of every answer, by their text (hotwrites.go).
	hot map[string]*sql.Stmt

	// throttlePruned is when ended throttle windows were last deleted (see TakeSlot).
	throttleMu     sync.Mutex
	throttlePruned time.Time
}

var (
	_ voci.Store             = (*Store)(nil)
	_ voci.ChangeCounter     = (*Store)(nil)
	_ voci.PastChangeCounter = (*Store)(nil)
)

// Open opens the database file at path, creating it when missing, and applies pending
// migrations. The error names the path; it is not a *voci.Error, because a store that cannot
// be opened is a start-up failure for the operator, not an answer for a client.
func Open(ctx context.Context, path string) (*Store, error) {
	s, err := open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string) (*Store, error) {
	switch {
	case path == "":
		return nil, errors.New("no database path given")
	case path == ":memory:" || strings.HasPrefix(path, "file:"):
		// Each pool would get its own private database, so writes would be invisible to reads.
		return nil, errors.New("the path must name a file (in-memory databases and URIs are not supported)")
	case strings.Contains(path, "?"):
		// The driver splits the DSN at the first '?'.
		return nil, errors.New("the path must not contain '?'")
	}

	write, err := sql.Open("sqlite", path+"?"+connPragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)

	// query_only makes a stray write on the read pool fail instead of racing the writer.
	read, err := sql.Open("sqlite", path+"?"+connPragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	readers := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	read.SetConnMaxLifetime(0)

	s := &Store{path: path, write: write, read: read, groupQueue: make(chan groupRequest, maxGroup),
		closing: make(chan struct{}), writerDone: make(chan struct{})}
	go s.groupWriter()
	// Migrate runs on the write pool first, so the file exists and is in WAL mode before the
	// first read connection opens it.
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.hot, err = prepareHot(ctx, write); err != nil {
		s.Close()
		return nil, err
	}
	if s.changesDB, err = sql.Open("sqlite", path+"?"+connPragmas+"&_pragma=query_only(1)"); err == nil {
		s.changes, err = s.changesDB.Conn(ctx)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// ChangeCount returns SQLite's data_version as seen by a connection that never writes: it
// changes whenever any other connection, the store's writer or another process's, commits.
// The connection is the same one for the store's life, so two counts are comparable.
func (s *Store) ChangeCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.changes.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&n)
	return n, storeError("read the change count", err)
}

// Close closes both pools. The store must not be used afterwards.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	<-s.writerDone
	var errs []error
	if s.changes != nil {
		errs = append(errs, s.changes.Close())
	}
	if s.changesDB != nil {
		errs = append(errs, s.changesDB.Close())
	}
	errs = append(errs, closeHot(s.hot))
	return errors.Join(append(errs, s.read.Close(), s.write.Close())...)
}

// Ping reads from the file through the read pool. It returns EUNAVAILABLE when that fails.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		return unavailable(err)
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

// Migrate applies the embedded migrations that schema_migrations does not record yet, each in
// its own transaction. Running it again changes nothing. It fails when the database records a
// version this binary does not know, because an older binary must not write a newer schema.
func (s *Store) Migrate(ctx context.Context) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	_, err = s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}

	var newest int
	if err := s.write.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	if known := migrations[len(migrations)-1].version; newest > known {
		return fmt.Errorf("the database has schema version %d but this binary knows only up to %d; use a newer binary", newest, known)
	}

	for _, m := range migrations {
		if err := s.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// applyMigration checks and applies one migration inside one write transaction, so two
// processes opening the same new file cannot both apply it.
func (s *Store) applyMigration(ctx context.Context, m migration) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var applied int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&applied); err != nil {
		return err
	}
	if applied > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if step := migrationSteps[m.version]; step != nil {
		if err := step(ctx, tx); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, formatTime(time.Now()))
	if err != nil {
		return err
	}
	return tx.Commit()
}

// migrationSteps are the parts of migrations that SQL cannot do, by version: they run after
// the migration's SQL, in its transaction.
var migrationSteps = map[int]func(ctx context.Context, tx *sql.Tx) error{
	49: foldAnswerTexts,
}

// foldAnswerTexts fills text_folded for the answers stored before it existed.
func foldAnswerTexts(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, text FROM answers WHERE text <> ''`)
	if err != nil {
		return err
	}
	type row struct{ id, text string }
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.text); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE answers SET text_folded = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range all {
		if _, err := stmt.ExecContext(ctx, voci.FoldForSearch(r.text), r.id); err != nil {
			return err
		}
	}
	return nil
}

// loadMigrations reads the embedded migrations in version order. A misnamed or duplicated
// file is a programming error caught by the first test run.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var migrations []migration
	seen := make(map[int]string)
	for _, path := range names {
		name := strings.TrimPrefix(path, "migrations/")
		prefix, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: the name must start with a positive number and '_'", name)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", other, name, version)
		}
		seen[version] = name
		text, err := migrationFiles.ReadFile(path)
		if err != nil {
			return nil, err
		}
		migrations = append(migrations, migration{version: version, name: name, sql: string(text)})
	}
	if len(migrations) == 0 {
		return nil, errors.New("no migrations embedded")
	}
	sort.Slice(migrations, func(i, j int) bool { return migrations[i].version < migrations[j].version })
	return migrations, nil
}

// timeLayout is RFC 3339 with a fixed nine-digit fraction, so stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// queryer is what *sql.DB and *sql.Tx share, so that a lookup can run inside a write
// transaction (to read its own changes) or in a read transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sqliteCode returns the extended result code of a driver error, or 0.
func sqliteCode(err error) int {
	if e, ok := errors.AsType[*sqlite.Error](err); ok {
		return e.Code()
	}
	return 0
}

func isUniqueViolation(err error) bool {
	code := sqliteCode(err)
	return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// unavailable wraps err as EUNAVAILABLE, keeping err in the chain for the log.
func unavailable(err error) error {
	return fmt.Errorf("%w (%w)", voci.Errorf(voci.EUNAVAILABLE, "The database cannot be reached."), err)
}

// storeError turns a driver error that no caller handled into the domain's terms: a locked or
// closed database is EUNAVAILABLE, a *voci.Error passes through, anything else is an internal
// fault described by op.
func storeError(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*voci.Error](err); ok {
		return err
	}
	if code := sqliteCode(err) & 0xff; code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED {
		return fmt.Errorf("%w (%s: %w)", voci.Errorf(voci.EUNAVAILABLE, "The database is busy; try again."), op, err)
	}
	if errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "sql: database is closed") {
		return fmt.Errorf("%s: %w", op, unavailable(err))
	}
	return fmt.Errorf("%s: %w", op, err)
}
