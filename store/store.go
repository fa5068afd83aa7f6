package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Errors returned by DB methods; test for them with errors.Is.
var (
	// ErrNotFound means a model or version does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a write would break a uniqueness rule.
	ErrConflict = errors.New("conflict")
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is a forecast database: one SQLite file.
type DB struct {
	// Path is the database file.
	Path string

	// Now returns the current time. It can be replaced in tests; nil means time.Now.
	Now func() time.Time

	// Upgraded is the schema version the database had before Open
	// migrated it to the newest, Version; 0 if it did not (a new or
	// current database). A forecast older than the migration refuses it.
	Upgraded, Version int

	db *sql.DB
	// rdb is a pool of Open's whose transactions take no lock at BEGIN,
	// for reads (see beginRead): under WAL they never wait for a writer.
	// nil in a read-only DB, whose db takes none either.
	rdb *sql.DB
	uri string // the SQLite URI a read-only DB was opened with; "" for Open's
}

// Open opens the forecast database at path, creating it if needed, and
// migrates it to the newest schema. A file that is not SQLite, a SQLite
// database of some other program and a database from a newer forecast are
// refused with an error that says so.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, false)
}

// open opens as Open does; lockFree skips the write lock that checking
// the migrations takes where the schema is current, for a command that
// only reads (see OpenForReading). A command that writes takes it, so it
// waits for another process's write, and fails behind a long one (or on
// a read-only file), before it does any work.
func open(ctx context.Context, path string, lockFree bool) (*DB, error) {
	db := &DB{Path: path}
	if err := refuseForeign(ctx, path); err != nil {
		return nil, err
	}

	// Connection settings go in the DSN so that go-sqlite3 applies them to
	// every connection of the pool, not just the first:
	//   - WAL lets readers (say, a sqlite3 shell) work while forecast writes.
	//   - SQLite leaves foreign keys off unless asked, per connection.
	//   - busy_timeout waits for another process's write instead of failing.
	//   - txlock=immediate takes the write lock at BEGIN, so a transaction
	//     never fails half-way because another process wrote meanwhile.
	//   - the pool for reads takes no lock at BEGIN (txlock=deferred).
	dsn := "file:" + escapePath(path) + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=5000&_txlock="
	sqldb, err := sql.Open("sqlite3", dsn+"immediate")
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.db = sqldb

	if err := db.db.PingContext(ctx); err != nil {
		db.db.Close()
		return nil, db.openError(err)
	}
	if err := db.migrate(ctx, lockFree); err != nil {
		db.db.Close()
		return nil, db.openError(err)
	}
	if db.rdb, err = sql.Open("sqlite3", dsn+"deferred"); err != nil {
		db.db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// OpenForReading opens the forecast database at path for a command that
// only reads it. It opens as Open does, so that a database is created and
// upgraded as usual, but without the write lock where the schema is
// current, so that it never waits for another process's write; if that
// fails because the file or its folder is
// read-only, it opens the file read-only instead (mode=ro), and if SQLite
// cannot even do that (a WAL database in a read-only folder, whose shared
// memory file cannot be made), as an immutable file (immutable=1): no
// process can be writing it then. A read-only database must be of the
// current schema, as it cannot be upgraded.
func OpenForReading(ctx context.Context, path string) (*DB, error) {
	db, err := open(ctx, path, true)
	if err == nil || !isPermissionError(err) {
		return db, err
	}
	if _, serr := os.Stat(path); serr != nil {
		return nil, err
	}
	ro, rerr := openReadOnly(ctx, path, readOnly, immutable)
	if rerr != nil {
		return nil, err
	}
	if verr := ro.checkCurrent(ctx); verr != nil {
		ro.Close()
		return nil, fmt.Errorf("%w; and read-only, %w", err, verr)
	}
	return ro, nil
}

// The SQLite URI parameters of openReadOnly: plain read-only, which takes
// the usual locks (and makes the -shm file of a WAL database), and
// immutable, which takes none and assumes no process writes the file.
const (
	readOnly  = "mode=ro"
	immutable = "mode=ro&immutable=1"
)

// openReadOnly opens the file at path read-only, without creating, migrating
// or writing anything, not even the journal mode: in the first of modes
// that works. It checks that the file is SQLite.
func openReadOnly(ctx context.Context, path string, modes ...string) (*DB, error) {
	var first error
	for _, mode := range modes {
		// txlock=deferred: a read-only connection cannot take the write
		// lock that Open's transactions take at BEGIN.
		sqldb, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?"+mode+"&_foreign_keys=on&_busy_timeout=5000&_txlock=deferred")
		if err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		db := &DB{Path: path, db: sqldb, uri: "file:" + escapePath(path) + "?" + mode}
		var n int
		if err = sqldb.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err == nil {
			return db, nil
		}
		sqldb.Close()
		if first == nil {
			first = db.formatError(err)
		}
		var se sqlite3.Error
		if errors.As(err, &se) && se.Code == sqlite3.ErrNotADB {
			break
		}
	}
	return nil, first
}

// errOlderSchema marks a database whose schema is older than the program's.
var errOlderSchema = errors.New("older schema")

// checkCurrent returns an error unless the database is a forecast database
// of the newest schema this program knows.
func (db *DB) checkCurrent(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	known := ms[len(ms)-1].version
	current, err := db.schemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case current < known:
		return &storeError{msg: fmt.Sprintf("database %s has schema version %d and this forecast needs %d: let a forecast that may write it upgrade it once", db.Path, current, known), errs: []error{errOlderSchema}}
	case current > known:
		return fmt.Errorf("database %s has schema version %d, but this forecast knows only up to %d: use a newer forecast", db.Path, current, known)
	}
	return nil
}

// schemaVersion returns the newest migration applied to the database,
// without writing: an error if it is empty or not a forecast database.
func (db *DB) schemaVersion(ctx context.Context) (int, error) {
	var tables []string
	rows, err := db.db.QueryContext(ctx, `
		SELECT name FROM sqlite_master
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
		ORDER BY name`)
	if err != nil {
		return 0, db.formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return 0, db.formatError(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		return 0, db.formatError(err)
	}
	switch {
	case len(tables) == 0:
		return 0, fmt.Errorf("%s is not a forecast database: it is empty", db.Path)
	case !slices.Contains(tables, "schema_migrations"):
		return 0, fmt.Errorf("%s is not a forecast database: it holds tables (%s) but no schema_migrations", db.Path, strings.Join(tables, ", "))
	}
	v, err := db.recordedVersion(ctx)
	return v, db.formatError(err)
}

// recordedVersion returns the newest schema version the database records:
// the highest of schema_migrations and of PRAGMA user_version, which a
// program that migrates otherwise may have set alone.
func (db *DB) recordedVersion(ctx context.Context) (int, error) {
	var v int
	err := db.db.QueryRowContext(ctx, `
		SELECT max(coalesce((SELECT max(version) FROM schema_migrations), 0), (SELECT user_version FROM pragma_user_version))`).Scan(&v)
	return v, err
}

// openError is formatError for an error of Open, with the cause SQLite
// does not give: a database that cannot be created says whether its folder
// is missing or not writable, rather than "unable to open database file".
func (db *DB) openError(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrCantOpen {
		return db.formatError(err)
	}
	if fi, serr := os.Stat(db.Path); serr == nil && fi.IsDir() {
		return &storeError{msg: fmt.Sprintf("database %s is a folder: give a database file, such as %s", db.Path, filepath.Join(db.Path, "forecast.db")), errs: []error{err}}
	} else if serr == nil {
		return &storeError{msg: fmt.Sprintf("database %s cannot be opened for writing: %v (is the folder %s writable?)", db.Path, se, filepath.Dir(db.Path)), errs: []error{os.ErrPermission, err}}
	}
	if cerr := checkCreatable(db.Path, err); cerr != nil {
		return cerr
	}
	return db.formatError(err)
}

// CheckCreatable returns an error, as Open would, if a database cannot be
// created at path, which does not exist: its folder is missing or cannot
// be written. A command that creates its database only to store (so that
// input it refuses leaves no empty database) checks it first.
func CheckCreatable(path string) error {
	return checkCreatable(path, nil)
}

// checkCreatable is CheckCreatable, for the error err of SQLite if any.
func checkCreatable(path string, err error) error {
	dir := filepath.Dir(path)
	if _, serr := os.Stat(dir); serr != nil {
		return &storeError{msg: fmt.Sprintf("cannot create database %s: %v", path, serr), errs: nonNil(serr, err)}
	}
	probe, perr := os.CreateTemp(dir, ".forecast-probe-*")
	if perr != nil {
		cause := perr
		var pe *os.PathError
		if errors.As(perr, &pe) {
			cause = pe.Err
		}
		return &storeError{msg: fmt.Sprintf("cannot create database %s: folder %s: %v", path, dir, cause), errs: nonNil(perr, err)}
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// nonNil returns errs without the nil ones.
func nonNil(errs ...error) []error {
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// isPermissionError reports whether err says that a database could not be
// written or created because of the permissions of its file or folder.
func isPermissionError(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrCantOpen || se.Code == sqlite3.ErrPerm) {
		return true
	}
	return errors.Is(err, os.ErrPermission)
}

// escapePath escapes the characters that would end or alter the path part
// of a SQLite file: URI.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// Close closes the database.
func (db *DB) Close() error {
	if db.rdb != nil {
		db.rdb.Close()
	}
	return db.db.Close()
}

// now returns the current time in UTC.
func (db *DB) now() time.Time {
	if db.Now == nil {
		return time.Now().UTC()
	}
	return db.Now().UTC()
}

// dbTx is a transaction that fixes the current time at its start, so every
// timestamp it writes is the same.
type dbTx struct {
	*sql.Tx
	now time.Time
}

// begin starts a transaction. Every transaction takes the write lock at once
// (see Open), so it either waits for another writer or fails at BEGIN.
func (db *DB) begin(ctx context.Context) (*dbTx, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &dbTx{Tx: tx, now: db.now()}, nil
}

// beginRead starts a transaction that only reads: it takes no lock at
// BEGIN, so a command that reads neither waits for nor fails behind
// another process's long write (a merge, a batch), and it sees the
// database as it was at its first read.
func (db *DB) beginRead(ctx context.Context) (*dbTx, error) {
	pool := db.rdb
	if pool == nil {
		pool = db.db
	}
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &dbTx{Tx: tx, now: db.now()}, nil
}

// migration is one embedded schema file, e.g. 0001_init.sql.
type migration struct {
	version int
	name    string
}

// migrations returns the embedded migrations in version order.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	ms := make([]migration, 0, len(names))
	for _, name := range names { // fs.Glob sorts them
		base := strings.TrimPrefix(name, "migrations/")
		prefix, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v < 1 || (len(ms) > 0 && v <= ms[len(ms)-1].version) {
			return nil, fmt.Errorf("migration %s: name must start with a new version number, like 0002_", base)
		}
		ms = append(ms, migration{version: v, name: base})
	}
	return ms, nil
}

// migrate applies the migrations the database has not seen, each in its own
// transaction, recording them in schema_migrations and PRAGMA user_version.
func (db *DB) migrate(ctx context.Context, lockFree bool) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	// For a command that reads, a current database needs nothing: known
	// without the write lock that initMigrations takes, which another
	// process's write holds.
	if v, err := db.schemaVersion(ctx); lockFree && err == nil && v == ms[len(ms)-1].version {
		db.Version = v
		return nil
	}
	if err := db.initMigrations(ctx); err != nil {
		return err
	}

	current, err := db.recordedVersion(ctx)
	if err != nil {
		return err
	}
	if known := ms[len(ms)-1].version; current > known {
		return fmt.Errorf("database %s has schema version %d, but this forecast knows only up to %d: use a newer forecast", db.Path, current, known)
	}

	for _, m := range ms {
		if m.version > current {
			if err := db.applyMigration(ctx, m); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
		}
	}
	db.Version = ms[len(ms)-1].version
	if current > 0 && current < db.Version {
		db.Upgraded = current
	}
	return nil
}

// refuseForeign returns an error if the file at path is a SQLite database
// of some other program (see foreignTables), read without writing: Open's
// connection would first switch it to WAL, which rewrites its header.
// Anything else, a missing, empty or unreadable file, is left to Open.
func refuseForeign(ctx context.Context, path string) error {
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return nil
	}
	// Immutable: a read-only connection to a WAL database leaves its -wal
	// and -shm files behind. A forecast database whose newest pages are
	// still in its WAL shows its schema_migrations all the same, created
	// alone before any other table.
	ro, err := openReadOnly(ctx, path, immutable)
	if err != nil {
		return nil
	}
	defer ro.Close()
	return ro.foreignTables(ctx, ro.db)
}

// foreignTables returns an error naming the tables of a database that has
// some but no schema_migrations: it belongs to some other program. q is the
// database or a transaction of it.
func (db *DB) foreignTables(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) error {
	rows, err := q.QueryContext(ctx, `
		SELECT name FROM sqlite_master
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
		ORDER BY name`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		if name == "schema_migrations" {
			return nil
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(names) > 0 {
		return fmt.Errorf("%s is not a forecast database: it holds tables (%s) but no schema_migrations", db.Path, strings.Join(names, ", "))
	}
	return nil
}

// initMigrations creates the schema_migrations table in a new, empty
// database. A database that has tables but no schema_migrations belongs to
// some other program and is refused.
func (db *DB) initMigrations(ctx context.Context) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := db.foreignTables(ctx, tx); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'`).Scan(&n); err != nil || n > 0 {
		return err
	}

	if _, err := tx.ExecContext(ctx, `
		CREATE TABLE schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		)`); err != nil {
		return err
	}
	return tx.Commit()
}

// applyMigration runs one migration unless another process applied it first.
func (db *DB) applyMigration(ctx context.Context, m migration) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}

	script, err := fs.ReadFile(migrationFS, "migrations/"+m.name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, formatTime(tx.now)); err != nil {
		return err
	}
	// PRAGMA takes no parameters; the version is an int we parsed.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	return tx.Commit()
}

// storeError is an error with a message for people. It unwraps to the
// sentinel (ErrNotFound, ErrConflict) and to the driver error behind it, if any.
type storeError struct {
	msg  string
	errs []error
}

func (e *storeError) Error() string { return e.msg }

func (e *storeError) Unwrap() []error { return e.errs }

// errorf returns an error with the message format and args, wrapping kind.
func errorf(kind error, format string, args ...any) error {
	return &storeError{msg: fmt.Sprintf(format, args...), errs: []error{kind}}
}

// formatError turns a SQLite error into an error that says what happened to
// the database. Other errors are returned as they are.
func (db *DB) formatError(err error) error {
	var e *storeError
	var se sqlite3.Error
	if err == nil || errors.As(err, &e) || !errors.As(err, &se) {
		return err
	}
	msg := func(format string, args ...any) error {
		return &storeError{msg: fmt.Sprintf(format, args...), errs: []error{err}}
	}
	switch {
	case se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey:
		return &storeError{msg: fmt.Sprintf("database %s: %v", db.Path, se), errs: []error{ErrConflict, err}}
	case se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked:
		return msg("database %s is locked by another process", db.Path)
	case se.Code == sqlite3.ErrReadonly:
		return msg("database %s is read-only", db.Path)
	case se.Code == sqlite3.ErrFull:
		return msg("database %s: disk is full", db.Path)
	case se.Code == sqlite3.ErrNotADB:
		return msg("%s is not a forecast database: %v", db.Path, se)
	default:
		return msg("database %s: %v", db.Path, err)
	}
}

// isForeignKeyError reports whether err is SQLite's foreign key violation.
func isForeignKeyError(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

// formatTime encodes t for the database: RFC 3339 in UTC, to the second
// unless t has a fraction, so readable in the sqlite3 shell (see the migration).
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// parseTime decodes a time written by formatTime, or any RFC 3339 time.
func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}
