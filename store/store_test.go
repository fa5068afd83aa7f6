package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
	"github.com/mattn/go-sqlite3"
)

// MustOpenDB opens a new database in a temporary directory and closes it when
// the test ends. Its clock starts at 2024-03-01 12:00 UTC and ticks a second
// per call.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	db := MustOpenDBPath(tb, filepath.Join(tb.TempDir(), "forecast.db"))
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time {
		now = now.Add(time.Second)
		return now
	}
	return db
}

// MustOpenDBPath opens the database at path and closes it when the test ends.
func MustOpenDBPath(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { MustCloseDB(tb, db) })
	return db
}

// MustCloseDB closes db.
func MustCloseDB(tb testing.TB, db *store.DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
}

// MustRawDB opens path with the plain driver, as a sqlite3 shell would.
func MustRawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	return raw
}

// queryInt runs a query that returns one integer.
func queryInt(tb testing.TB, db *sql.DB, query string) int {
	tb.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestOpen(t *testing.T) {
	ctx := context.Background()

	// A folder given for the database is named as one, not as a folder
	// that may not be writable.
	t.Run("Folder", func(t *testing.T) {
		dir := t.TempDir()
		for _, open := range []func(context.Context, string) (*store.DB, error){store.Open, store.OpenForReading} {
			if db, err := open(ctx, dir); err == nil || !strings.Contains(err.Error(), "database "+dir+" is a folder") {
				if db != nil {
					db.Close()
				}
				t.Errorf("open of a folder: %v", err)
			}
		}
	})

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		var mode string
		if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		} else if got, want := mode, "wal"; got != want {
			t.Fatalf("journal_mode=%q, want %q", got, want)
		}
		if got, want := queryInt(t, db.SQL(), `PRAGMA user_version`), newestSchema; got != want {
			t.Fatalf("user_version=%d, want %d", got, want)
		}
		if got, want := queryInt(t, db.SQL(), `PRAGMA busy_timeout`), 5000; got != want {
			t.Fatalf("busy_timeout=%d, want %d", got, want)
		}
		var name string
		if err := db.SQL().QueryRow(`SELECT name FROM schema_migrations WHERE version = 1`).Scan(&name); err != nil {
			t.Fatal(err)
		} else if got, want := name, "0001_init.sql"; got != want {
			t.Fatalf("migration name=%q, want %q", got, want)
		}
	})

	t.Run("PathWithURICharacters", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a?b#c%20 d.db")
		MustOpenDBPath(t, path)
		if _, err := os.Stat(path); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Reopen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "forecast.db")
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }
		if err := db.SaveFit(ctx, newRun(), newModelVersion("m"), nil); err != nil {
			t.Fatal(err)
		}
		var applied string
		if err := db.SQL().QueryRow(`SELECT applied_at FROM schema_migrations`).Scan(&applied); err != nil {
			t.Fatal(err)
		}
		MustCloseDB(t, db)

		db = MustOpenDBPath(t, path)
		db.Now = func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
		if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM schema_migrations`), newestSchema; got != want {
			t.Fatalf("schema_migrations rows=%d, want %d", got, want)
		}
		var again string
		if err := db.SQL().QueryRow(`SELECT applied_at FROM schema_migrations`).Scan(&again); err != nil {
			t.Fatal(err)
		} else if again != applied {
			t.Fatalf("applied_at=%s after reopening, want %s", again, applied)
		}
		if mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "m"}); err != nil {
			t.Fatal(err)
		} else if got, want := mv.Version, 1; got != want {
			t.Fatalf("Version=%d, want %d", got, want)
		}
	})

	t.Run("ErrNotSQLite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "data.csv")
		content := []byte(strings.Repeat("time,value\n2024-01-01,1.5\n", 20))
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(ctx, path)
		if err == nil {
			t.Fatal("expected error")
		} else if got, want := err.Error(), path+" is not a forecast database: file is not a database"; got != want {
			t.Fatalf("error=%q, want %q", got, want)
		}
		var se sqlite3.Error
		if !errors.As(err, &se) || se.Code != sqlite3.ErrNotADB {
			t.Fatalf("error %v does not wrap sqlite3.ErrNotADB", err)
		}
		if got, err := os.ReadFile(path); err != nil {
			t.Fatal(err)
		} else if !bytes.Equal(got, content) {
			t.Fatal("Open changed a file that is not a database")
		}
	})

	t.Run("ErrForeignDatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "other.db")
		raw := MustRawDB(t, path)
		if _, err := raw.Exec(`CREATE TABLE people (name TEXT); CREATE TABLE pets (name TEXT)`); err != nil {
			t.Fatal(err)
		}
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = store.Open(ctx, path)
		if err == nil {
			t.Fatal("expected error")
		} else if got, want := err.Error(), path+" is not a forecast database: it holds tables (people, pets) but no schema_migrations"; got != want {
			t.Fatalf("error=%q, want %q", got, want)
		}
		if got, want := queryInt(t, raw, `SELECT count(*) FROM sqlite_master`), 2; got != want {
			t.Fatalf("sqlite_master rows=%d, want %d: Open changed the database", got, want)
		}
		// Not even its journal mode, which is in the file's header.
		if got, err := os.ReadFile(path); err != nil {
			t.Fatal(err)
		} else if !bytes.Equal(got, content) {
			t.Fatal("Open changed the bytes of another program's database")
		}
	})

	// Another program's WAL database is refused without a -wal or -shm
	// file left beside it.
	t.Run("ErrForeignWALDatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "other.db")
		raw := MustRawDB(t, path)
		if _, err := raw.Exec(`PRAGMA journal_mode = WAL; CREATE TABLE people (name TEXT)`); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(path + suffix); err == nil {
				t.Fatalf("%s left by the setup", suffix)
			}
		}
		if _, err := store.Open(ctx, path); err == nil || !strings.Contains(err.Error(), "is not a forecast database") {
			t.Fatalf("Open: %v, want not a forecast database", err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(path + suffix); err == nil {
				t.Errorf("Open left %s beside another program's database", path+suffix)
			}
		}
	})

	// A newer program records its schema in schema_migrations, or may in
	// PRAGMA user_version alone.
	for name, mark := range map[string]string{
		"ErrNewerSchema":      `INSERT INTO schema_migrations VALUES (99, '0099_future.sql', '2030-01-01T00:00:00Z')`,
		"ErrNewerUserVersion": `PRAGMA user_version = 99`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "forecast.db")
			db, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().Exec(mark); err != nil {
				t.Fatal(err)
			}
			MustCloseDB(t, db)

			_, err = store.Open(ctx, path)
			if err == nil {
				t.Fatal("expected error")
			} else if got, want := err.Error(), "database "+path+" has schema version 99, but this forecast knows only up to "+strconv.Itoa(newestSchema)+": use a newer forecast"; got != want {
				t.Fatalf("error=%q, want %q", got, want)
			}
		})
	}

	t.Run("ForeignKeysOnEveryConnection", func(t *testing.T) {
		db := MustOpenDB(t)
		// Hold several connections at once so the pool must open new ones.
		const n = 6
		conns := make([]*sql.Conn, n)
		for i := range conns {
			conn, err := db.SQL().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conns[i] = conn
		}
		for i, conn := range conns {
			var fk int
			if err := conn.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
				t.Fatal(err)
			} else if fk != 1 {
				t.Fatalf("connection %d: foreign_keys=%d, want 1", i, fk)
			}
			_, err := conn.ExecContext(ctx, `
				INSERT INTO forecasts (run_id, model_version_id, series, origin, time, step, value)
				VALUES (999, 999, 's', 'o', 't', 1, 0)`)
			var se sqlite3.Error
			if !errors.As(err, &se) || se.ExtendedCode != sqlite3.ErrConstraintForeignKey {
				t.Fatalf("connection %d: insert with dangling references: err=%v, want a foreign key error", i, err)
			}
		}
	})

	t.Run("ConcurrentUse", func(t *testing.T) {
		// The real clock: MustOpenDB's is not safe for concurrent use.
		db := MustOpenDBPath(t, filepath.Join(t.TempDir(), "forecast.db"))
		errc := make(chan error)
		const n = 8
		for i := 0; i < n; i++ {
			go func() {
				if err := db.SaveFit(ctx, newRun(), newModelVersion("m"), newForecasts(3)); err != nil {
					errc <- err
					return
				}
				_, err := db.FindForecasts(ctx, store.ForecastFilter{})
				errc <- err
			}()
		}
		for i := 0; i < n; i++ {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
		if mvs, err := db.ListModelVersions(ctx, ""); err != nil {
			t.Fatal(err)
		} else if got, want := len(mvs), n; got != want {
			t.Fatalf("len(model versions)=%d, want %d", got, want)
		} else if got, want := mvs[n-1].Version, n; got != want {
			t.Fatalf("last Version=%d, want %d", got, want)
		}
	})
}

// Driver errors become messages that say what happened to the database.
func TestDB_FormatError(t *testing.T) {
	db := MustOpenDB(t)
	p := db.Path
	for _, tt := range []struct {
		err  sqlite3.Error
		want string
	}{
		{sqlite3.Error{Code: sqlite3.ErrBusy}, "database " + p + " is locked by another process"},
		{sqlite3.Error{Code: sqlite3.ErrLocked}, "database " + p + " is locked by another process"},
		{sqlite3.Error{Code: sqlite3.ErrReadonly}, "database " + p + " is read-only"},
		{sqlite3.Error{Code: sqlite3.ErrFull}, "database " + p + ": disk is full"},
		{sqlite3.Error{Code: sqlite3.ErrNotADB}, p + " is not a forecast database: file is not a database"},
	} {
		err := db.FormatError(tt.err)
		if got := err.Error(); got != tt.want {
			t.Errorf("code %d: %q, want %q", tt.err.Code, got, tt.want)
		}
		var se sqlite3.Error
		if !errors.As(err, &se) || se.Code != tt.err.Code {
			t.Errorf("code %d: the message does not wrap the driver error", tt.err.Code)
		}
	}
}

// A second writer waits for the busy timeout, then fails with a message
// that says the database is locked.
func TestOpen_ErrLocked(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 5 s busy timeout")
	}
	db := MustOpenDB(t)
	raw := MustRawDB(t, db.Path)
	conn, err := raw.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), `ROLLBACK`)
	err = db.SaveFit(context.Background(), newRun(), newModelVersion("air"), nil)
	if err == nil || err.Error() != "database "+db.Path+" is locked by another process" {
		t.Fatalf("err=%v, want a locked database", err)
	}
	// A command that writes is refused at Open, before it does any work
	// (a fit that trained for minutes and then could not store).
	if again, err := store.Open(context.Background(), db.Path); err == nil || err.Error() != "database "+db.Path+" is locked by another process" {
		if again != nil {
			again.Close()
		}
		t.Fatalf("Open: err=%v, want a locked database", err)
	}
}

// TestReadsDoNotWaitForWriter: while another process holds a write
// transaction, opening the database and the reads of the registry,
// forecasts, accuracy, runs and batches' cut-offs answer, as a sqlite3 shell's reads do
// under WAL, and see what was committed before it; waiting for the
// writer, they failed after the 5 s busy timeout.
func TestReadsDoNotWaitForWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "forecast.db")
	db := MustOpenDBPath(t, path)
	if err := db.SaveFit(ctx, newRun(), newModelVersion("air"), newForecasts(2)); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)
	conn, err := MustRawDB(t, path).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	if _, err := conn.ExecContext(ctx, `INSERT INTO model_tags (model_version_id, key, value) VALUES (1, 'k', 'v')`); err != nil {
		t.Fatal(err)
	}

	reader, err := store.OpenForReading(ctx, path)
	if err != nil {
		t.Fatalf("open for reading while another process writes: %v", err)
	}
	defer reader.Close()
	ref := store.ModelRef{Name: "air"}
	if mvs, err := reader.ListModelVersions(ctx, "air"); err != nil || len(mvs) != 1 {
		t.Errorf("ListModelVersions: %d, %v", len(mvs), err)
	}
	if _, err := reader.FindModelVersion(ctx, ref); err != nil {
		t.Errorf("FindModelVersion: %v", err)
	}
	if fcs, err := reader.FindForecasts(ctx, store.ForecastFilter{Model: &ref}); err != nil || len(fcs) != 2 {
		t.Errorf("FindForecasts: %d, %v", len(fcs), err)
	}
	if _, err := reader.FindAccuracy(ctx, ref); err != nil {
		t.Errorf("FindAccuracy: %v", err)
	}
	if runs, err := reader.ListRuns(ctx); err != nil || len(runs) != 1 {
		t.Errorf("ListRuns: %d, %v", len(runs), err)
	}
	if _, err := reader.DoneCutoffs(ctx, "air"); err != nil { // a batch's dry run
		t.Errorf("DoneCutoffs: %v", err)
	}
}
